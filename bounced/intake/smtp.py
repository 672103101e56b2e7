"""The aiosmtpd handler: RCPT only for our bounce domains (and valid VERP tokens); DATA spools, then 250 or 451.

RFC 5321 section 4.5.5: bounces come from the null sender, shown by aiosmtpd as ``<>``; we
accept it.  We never send mail ourselves, so we never bounce a bounce: a message we cannot
parse is still answered 250 once it is stored.
"""

from __future__ import annotations

import logging
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

from bounced import verp
from bounced.config import Settings
from bounced.errors import StoreError
from bounced.intake.spool import Spool

log = logging.getLogger(__name__)


class BounceHandler:
    def __init__(self, settings: Settings, spool: Spool, secret: bytes | None, lmtp: bool = False) -> None:
        self.settings = settings
        self.spool = spool
        self.secret = secret
        self.lmtp = lmtp

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]) -> str:
        if len(envelope.rcpt_tos) >= self.settings.smtp_max_recipients:
            return "452 4.5.3 Too many recipients"
        local, at, domain = address.rpartition("@")
        domains = self.settings.bounce_domains
        if not at or (domains and domain.lower() not in domains):
            return "550 5.7.1 Relaying denied"
        info = verp.decode(address, self.secret, self.settings.verp_prefix, self.settings.verp_max_age_days)
        if info is not None and info.signed and not info.valid and self.settings.smtp_forged_verp == "reject":
            log.info("RCPT %s refused: VERP token %s (peer %s)", address, info.problem, session.peer)
            return f"550 5.1.1 Unknown recipient ({info.problem} return path)"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        data = envelope.original_content or b""
        mail_from = envelope.mail_from or "<>"
        peer = session.peer[0] if isinstance(session.peer, tuple) else str(session.peer)
        rcpts = ", ".join(envelope.rcpt_tos)
        try:
            raw_id, duplicate = await self.spool.store(data, f"smtp:{peer}", mail_from, rcpts)
        except StoreError as exc:
            log.error("from=%s to=%s size=%d: not stored, 451: %s", mail_from, rcpts, len(data), exc)
            reply = "451 4.3.0 Cannot store the message now; try again later"
        # The outermost step of one message: whatever went wrong, it is not kept, so the MTA
        # must keep it and retry (451, never a 5xx that would make it bounce a bounce).
        except Exception:  # noqa: BLE001
            log.exception("from=%s to=%s size=%d: not stored, 451", mail_from, rcpts, len(data))
            reply = "451 4.3.0 Cannot store the message now; try again later"
        else:
            log.info("from=%s to=%s size=%d raw=%s%s", mail_from, rcpts, len(data), raw_id, " duplicate" if duplicate else "")
            reply = f"250 2.0.0 Stored as {raw_id}"
        if self.lmtp:
            return "\r\n".join(reply for _ in envelope.rcpt_tos)  # RFC 2033 section 4.2: one reply per recipient
        return reply

    async def handle_exception(self, error: Exception) -> str:
        """A bug in a command's handling: 451, so that the sender retries (aiosmtpd would say 500)."""
        log.error("SMTP session error: %s: %s", type(error).__name__, error, exc_info=error)
        return "451 4.3.0 Internal error; try again later"


def smtp_kwargs(settings: Settings, tls_context: Any = None) -> dict[str, Any]:
    return {
        "data_size_limit": settings.smtp_max_size,
        "enable_SMTPUTF8": True,
        "decode_data": False,
        "timeout": settings.smtp_timeout,
        "tls_context": tls_context,
        "ident": "bounced",
    }
