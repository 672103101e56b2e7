"""Frozen dataclasses and enums shared by every stage: what a bounce is."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """What a message is, as far as bounce processing is concerned (parse-output.md)."""

    BOUNCE = "bounce"
    DELAY = "delay"
    DELIVERED = "delivered"
    FEEDBACK = "feedback"
    AUTOREPLY = "autoreply"
    UNKNOWN = "unknown"


class BounceType(StrEnum):
    HARD = "hard"
    SOFT = "soft"
    NONE = "none"


class Action(StrEnum):
    """RFC 3464 section 2.3.3 action values."""

    FAILED = "failed"
    DELAYED = "delayed"
    DELIVERED = "delivered"
    RELAYED = "relayed"
    EXPANDED = "expanded"


@dataclass(frozen=True)
class Finding:
    """One recipient as a detector read it, before classification.

    ``reason`` is set only where the format itself states the reason (an ARF
    report is ``feedback``, an auto-reply is ``vacation``); otherwise the
    classifier decides from status, reply code and diagnostic.
    """

    address: str
    action: Action = Action.FAILED
    status: str | None = None
    reply_code: int | None = None
    diagnostic: str = ""
    remote_mta: str | None = None
    final_recipient: str | None = None
    original_recipient: str | None = None
    command: str | None = None
    reason: str | None = None
    feedback_type: str | None = None
    # The original message's envelope sender and From, where the report shows them: a reply that
    # names them refuses the sender, not the recipient (spec/reasons.md rule 6).
    senders: tuple[str, ...] = ()


@dataclass(frozen=True)
class Detection:
    """What one detector found in a message; an empty ``findings`` means "not mine"."""

    detector: str
    findings: tuple[Finding, ...] = ()
    kind: Kind | None = None
    reporting_mta: str | None = None
    arrival_date: str | None = None
    original: Original | None = None  # where the format says it outside a returned message (SES JSON)

    def __bool__(self) -> bool:
        return bool(self.findings) or self.kind is not None


@dataclass(frozen=True)
class Recipient:
    """One classified recipient of a report (parse-output.md, ``recipients[]``)."""

    address: str
    action: Action
    status: str | None
    reply_code: int | None
    reason: str
    bounce_type: BounceType
    diagnostic: str
    remote_mta: str | None
    final_recipient: str | None
    original_recipient: str | None
    feedback_type: str | None = None
    rule: str = ""


@dataclass(frozen=True)
class Original:
    """What a report carries of the message that bounced."""

    message_id: str | None = None
    envelope_id: str | None = None
    from_: str | None = None
    subject: str | None = None
    to: str | None = None


@dataclass(frozen=True)
class VerpInfo:
    """The decoded parts of one of bounced's own VERP return paths."""

    message: str
    recipient: str | None
    valid: bool
    signed: bool = True
    problem: str | None = None


@dataclass(frozen=True)
class Bounce:
    """The result of parsing one message: one object of ``bounced parse --json``."""

    kind: Kind
    recipients: tuple[Recipient, ...] = ()
    original: Original = field(default_factory=Original)
    verp: VerpInfo | None = None
    reporting_mta: str | None = None
    arrival_date: str | None = None
    envelope_to: str | None = None
    detector: str | None = None
    source: str | None = None
    error: str | None = None
    message_id: str | None = None  # the report's own Message-ID


@dataclass(frozen=True)
class Sent:
    """One registered send: a message to one recipient (the unit a VERP token names)."""

    id: int
    key: str
    message_id: str | None
    recipient: str
    campaign: str | None
    sent_at: str
    envelope_id: str | None = None


@dataclass(frozen=True)
class Correlation:
    """How a bounced recipient was matched to what was sent, and whether it may count."""

    method: str  # verp, envid, message-id (bound to the send); recent, orphan, stranger, foreign, forged
    sent: Sent | None = None
    verp: str | None = None  # valid, forged, expired, malformed, unsigned, no-secret
    sent_key: str | None = None  # a valid VERP key not registered yet

    @property
    def trusted(self) -> bool:
        """Bound to one registered send: a valid token, or its ENVID or Message-ID."""
        return self.sent is not None and self.method in ("verp", "envid", "message-id")


@dataclass(frozen=True)
class Event:
    """One recorded recipient of one report, as policy sees it."""

    address: str
    kind: str
    action: str
    reason: str
    bounce_type: str
    event_at: str
    counts: bool
    report_key: str
    sent_id: int | None = None
    status: str | None = None
    rule: str | None = None
    correlation: str | None = None
    report_at: str | None = None  # the report's own time (never before the send); event_at if None
    held: int | None = None  # a hard bounce held during this storm (storms.id): it decides nothing alone


@dataclass(frozen=True)
class Decision:
    """What policy makes of an address's history, and why."""

    suppressed: bool
    rule: str
    why: str
    suppressed_at: str | None = None  # the report time of the event that decided
    state: str = ""  # suppressed, active, held, probation ("" : suppressed or active, from ``suppressed``)
    tier: str | None = None  # hard, soft, complaint, manual (a suppression's kind)
    sent_id: int | None = None  # the send whose report decided
    lapses_at: str | None = None  # a soft suppression turns to probation then
    storm: int | None = None  # held: the storm holding its hard bounce


@dataclass(frozen=True)
class ImapCopy:
    """Where a message read from an IMAP mailbox lives now, and what is left to do with it.

    ``uid`` (with the folder's ``uidvalidity``) is None while unknown: a server without UIDPLUS,
    or a crash between a MOVE and its record; the message is then found by its Message-ID."""

    raw_id: int
    folder: str
    uidvalidity: int | None
    uid: int | None
    state: str  # filed, kept, refiling, refiled, gone (schema m003_imap_messages)
