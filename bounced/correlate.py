"""Match a bounced recipient to what was sent, and decide whom the report may count against.

Trust is evidence bound to the send: only a valid signed VERP token, or the ENVID or Message-ID of a
send we registered, lets a report count, and only against that send's own recipients.  Order (first
that answers wins):

1. our VERP token in the envelope recipient: valid -> its send, and the event belongs to the send's
   registered recipient whatever address the report names (that one is kept as a forwarding or
   alias hint); forged/expired/malformed -> "forged", which never counts; valid but not registered
   yet -> "orphan" with the key kept.  An unsigned classic VERP address is no evidence at all;
2. the original's envelope id (RFC 3461 ENVID), then its Message-ID, among registered sends: the
   send to the address the report names (or to its Original-Recipient), else the send's only
   recipient.  A send with several recipients none of whom the report names gives "stranger",
   which counts for no one; a Message-ID that was never sent is "foreign" and counts for no one;
3. only when the report names no Message-ID: the recipient's latest send inside the window
   ("recent"), else "orphan".  Both rest on the address alone, which anyone can write into a
   report: they count only where ``count_orphans`` says so.

Orphans, strangers and foreign reports are re-tried when registrations arrive.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol

from bounced import verp
from bounced.config import Settings
from bounced.model import Bounce, Correlation, Recipient, Sent

_METHOD = {"envelope_id": "envid", "message_id": "message-id"}


class SentLookup(Protocol):
    def sent_by(self, column: str, value: str) -> Sent | None: ...
    def sends_with(self, column: str, value: str, recipients: Sequence[str] = (), limit: int = 2) -> list[Sent]: ...
    def latest_sent_to(self, recipient: str, before: str, after: str) -> Sent | None: ...


def decode_verp(envelope_to: str | None, settings: Settings, secret: bytes | None) -> verp.VerpInfo | None:
    if not envelope_to:
        return None
    return verp.decode(envelope_to, (secret, settings.verp_previous_secret()), settings.verp_prefix, settings.verp_max_age_days)


def correlate_all(bounce: Bounce, lookup: SentLookup, settings: Settings, received_at: str) -> list[Correlation]:
    """One correlation for each of the report's recipients, in order.

    Where several recipients are bound to the same registered address (the forwarding targets of
    one send, or a report naming more addresses than the send had), one of them counts: the one
    naming that address itself, else the first; the others are recorded as strangers."""
    matches = [correlate(bounce, r, lookup, settings, received_at) for r in bounce.recipients]
    winner: dict[str, int] = {}
    for i, (recipient, match) in enumerate(zip(bounce.recipients, matches)):
        if not match.trusted or match.sent is None:
            continue
        who = match.sent.recipient
        if who not in winner or (who in _names(recipient) and who not in _names(bounce.recipients[winner[who]])):
            winner[who] = i
    keep = set(winner.values())
    return [
        m if i in keep or not m.trusted or m.sent is None
        else Correlation("stranger", verp=m.verp, sent_key=m.sent.key)
        for i, m in enumerate(matches)
    ]


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
        if sent is None:
            return Correlation("orphan", verp="valid", sent_key=info.message)
        return Correlation("verp", sent, verp="valid")
    state = "unsigned" if info is not None else None
    names = _names(recipient)
    known = False
    for column, value in (("envelope_id", bounce.original.envelope_id), ("message_id", bounce.original.message_id)):
        if not value:
            continue
        sends = (lookup.sends_with(column, value, names, limit=1) if names else []) or lookup.sends_with(column, value)
        if len(sends) == 1:
            return Correlation(_METHOD[column], sends[0], verp=state)
        known = known or bool(sends)
    if known:  # a send of ours, to others: redacted complaints cannot say which recipient
        return Correlation("stranger" if names else "orphan", verp=state)
    if bounce.original.message_id:
        return Correlation("foreign", verp=state)
    # The window ends at the report's Arrival-Date (when the original reached the reporting MTA,
    # just after the send), or when the report reached us; a day of clock skew is allowed.
    when = _parse(bounce.arrival_date or received_at)
    after = (when - timedelta(days=settings.correlate_window_days)).isoformat()
    sent = lookup.latest_sent_to(recipient.address, (when + timedelta(days=1)).isoformat(), after) if recipient.address else None
    if sent is not None:
        return Correlation("recent", sent, verp=state)
    return Correlation("orphan", verp=state)


def owner(match: Correlation, recipient: Recipient) -> str:
    """The address an event is recorded against: a bound send's registered recipient, else the
    address the report names ("" for a redacted complaint that correlates with nothing)."""
    if match.trusted and match.sent is not None:
        return match.sent.recipient
    return recipient.address


def counts(match: Correlation, address: str, settings: Settings) -> bool:
    """Whether an event may count against ``address``: bound to a send, or, with ``count_orphans``,
    matched by nothing but its address (never with a VERP token that failed or an unsigned one)."""
    if not address:
        return False
    if match.trusted:
        return True
    return match.method in ("recent", "orphan") and match.verp is None and settings.count_orphans


def _names(recipient: Recipient) -> list[str]:
    """The addresses a report names for one recipient: the final one and the original one."""
    from bounced.parse.mime import normalize_address

    found = [recipient.address, normalize_address(recipient.original_recipient)]
    return list(dict.fromkeys(a for a in found if a))


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
