"""Match a bounced recipient to what was sent: VERP, then ENVID, then Message-ID, then the latest send.

Order (first that answers wins):

1. our VERP token in the envelope recipient: valid -> its send; forged/expired/malformed -> "forged",
   which never counts; valid but not registered yet -> "orphan" with the key kept;
2. the original's envelope id (RFC 3461 ENVID) among registered sends;
3. the original's Message-ID among registered sends (the recipient, or the only recipient);
   a Message-ID that was never sent is "foreign" (backscatter or forgery) and counts for no one;
4. only when the report names no Message-ID: the recipient's latest send inside the window;
5. "orphan".  Orphans and foreign reports are re-tried when registrations arrive.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from bounced import verp
from bounced.config import Settings
from bounced.model import Bounce, Correlation, Recipient, Sent


class SentLookup(Protocol):
    def sent_by(self, column: str, value: str) -> Sent | None: ...
    def sent_for_message(self, message_id: str) -> list[Sent]: ...
    def latest_sent_to(self, recipient: str, before: str, after: str) -> Sent | None: ...


def decode_verp(envelope_to: str | None, settings: Settings, secret: bytes | None) -> verp.VerpInfo | None:
    if not envelope_to:
        return None
    return verp.decode(envelope_to, (secret, settings.verp_previous_secret()), settings.verp_prefix, settings.verp_max_age_days)


def correlate(
    bounce: Bounce,
    recipient: Recipient,
    lookup: SentLookup,
    settings: Settings,
    received_at: str,
) -> Correlation:
    info = bounce.verp
    if info is not None and info.signed:
        if not info.valid:
            state = "expired" if (info.problem or "").startswith("expired") else "forged"
            return Correlation("forged", verp=state if info.problem != "malformed" else "malformed")
        sent = lookup.sent_by("key", info.message)
        if sent is not None and _same_person(sent, recipient, bounce):
            return Correlation("verp", sent, verp="valid")
        if sent is None:
            return Correlation("orphan", verp="valid", sent_key=info.message)
    state = "unsigned" if info is not None else None
    if bounce.original.envelope_id:
        sent = lookup.sent_by("envelope_id", bounce.original.envelope_id)
        if sent is not None and sent.recipient == recipient.address:
            return Correlation("envid", sent, verp=state)
    message_id = bounce.original.message_id
    if message_id:
        sends = lookup.sent_for_message(message_id)
        for sent in sends:
            if sent.recipient in (recipient.address, _address(recipient.original_recipient)):
                return Correlation("message-id", sent, verp=state)
        if len(sends) == 1:
            return Correlation("message-id", sends[0], verp=state)
        return Correlation("foreign" if not sends else "orphan", verp=state)
    # The window ends at the report's Arrival-Date (when the original reached the reporting MTA,
    # just after the send), or when the report reached us; a day of clock skew is allowed.
    when = _parse(bounce.arrival_date or received_at)
    after = (when - timedelta(days=settings.correlate_window_days)).isoformat()
    sent = lookup.latest_sent_to(recipient.address, (when + timedelta(days=1)).isoformat(), after)
    if sent is not None:
        return Correlation("recent", sent, verp=state)
    return Correlation("orphan", verp=state)


def _same_person(sent: Sent, recipient: Recipient, bounce: Bounce) -> bool:
    """A VERP token names one recipient; a report about another address is about a forward of it."""
    if len(bounce.recipients) == 1:
        return True
    return sent.recipient in (recipient.address, _address(recipient.original_recipient))


def _address(value: str | None) -> str | None:
    from bounced.parse.mime import normalize_address

    return normalize_address(value) or None


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
