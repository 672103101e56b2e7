"""The aiosmtpd handler: RCPT only for our bounce domains (and valid VERP tokens); DATA spools, then 250 or 451.

RFC 5321 section 4.5.5: bounces come from the null sender, shown by aiosmtpd as ``<>``; we
accept it.  We never send mail ourselves, so we never bounce a bounce: a message we cannot
parse is still answered 250 once it is stored.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

from bounced import verp
from bounced.config import Settings
from bounced.errors import StoreError
from bounced.intake.spool import Spool
from bounced.intake.surge import ForgedSurge
from bounced.surge import Surge

log = logging.getLogger(__name__)


class BounceHandler:
    def __init__(self, settings: Settings, spool: Spool, secret: bytes | None, lmtp: bool = False) -> None:
        self.settings = settings
        self.spool = spool
        self.secret = secret
        self.lmtp = lmtp
        self.forged = Surge("forged or expired VERP tokens refused at RCPT")

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]) -> str:
        if len(envelope.rcpt_tos) >= self.settings.smtp_max_recipients:
            return "452 4.5.3 Too many recipients"
        local, at, domain = address.rpartition("@")
        domains = self.settings.bounce_domains
        if not at or (domains and domain.lower() not in domains):
            return "550 5.7.1 Relaying denied"
        keys = (self.secret, self.settings.verp_previous_secret())
        info = verp.decode(address, keys, self.settings.verp_prefix, self.settings.verp_max_age_days)
        if info is not None and info.signed and info.problem != "malformed":
            forged = info.problem == "forged"
            was = self.surge.active
            if self.surge.see(forged) and forged:
                log.error("RCPT %s accepted and recorded as forged: %d of the last %d signed VERP tokens failed their"
                          " signature; is verp_secret_file the secret the sender signs with? (after a rotation, set"
                          " verp_previous_secret_file; then `bounced reprocess --all`) (peer %s)",
                          address, sum(self.surge.recent), len(self.surge.recent), session.peer)
                envelope.rcpt_tos.append(address)
                return "250 2.1.5 OK"
            if was and not self.surge.active:
                log.warning("forged VERP tokens are rare again: refusing them at RCPT")
        if info is not None and info.signed and not info.valid and self.settings.smtp_forged_verp == "reject":
            log.info("RCPT %s refused: VERP token %s (peer %s)", address, info.problem, session.peer)
            self.forged.note(f"{address} ({info.problem}) from {session.peer}")
            return f"550 5.1.1 Unknown recipient ({info.problem} return path)"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    @functools.cached_property
    def surge(self) -> ForgedSurge:
        return ForgedSurge(self.settings.smtp_forged_surge_percent, self.settings.smtp_forged_surge_window)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        data = envelope.original_content or b""
        mail_from = envelope.mail_from or "<>"
        peer = session.peer[0] if isinstance(session.peer, tuple) else str(session.peer)
        rcpts = ", ".join(envelope.rcpt_tos)
        try:
            raw_id, duplicate = await self.spool.store(data, f"{'lmtp' if self.lmtp else 'smtp'}:{peer or 'unix'}", mail_from, rcpts)
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
