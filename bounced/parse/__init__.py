"""parse_message(bytes) -> Bounce.  Bad input gives kind "unknown" with an error; it never raises."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import fields, replace
from collections import OrderedDict
from email.message import Message
from operator import attrgetter

from bounced.classify import classify
from bounced.model import Action, Bounce, BounceType, Detection, Finding, Kind, Recipient, VerpInfo
from bounced.parse.mime import MAX_RECIPIENTS, Mail, NestedTooDeeply, normalize_address, parse_bytes
from bounced.parse.mimeparse import MAX_NESTING
from bounced.parse.original import describe, returned_headers
from bounced.parse.registry import Detector, detectors
from bounced.parse.weigh import weighed

log = logging.getLogger(__name__)

_DETECTORS = detectors()


VerpDecoder = Callable[[str], VerpInfo | None]


def parse_message(
    data: bytes,
    source: str | None = None,
    envelope_to: str | None = None,
    decode_verp: VerpDecoder | None = None,
) -> Bounce:
    """Parse one raw message into a Bounce, whatever the bytes are.

    ``envelope_to`` is the SMTP RCPT the report came to, where intake knows it (else the
    Delivered-To / X-Original-To / To headers say); ``decode_verp`` reads it as our VERP address.
    """
    if not data.strip():
        return Bounce(Kind.UNKNOWN, source=source, envelope_to=envelope_to, error="empty message")
    try:
        bounce = _parse(data, source, envelope_to)
        if decode_verp is not None and bounce.envelope_to:
            bounce = replace(bounce, verp=decode_verp(bounce.envelope_to))
        return bounce
    # The one catch-all of the parser: malformed mail must yield an answer, not stop the stream.
    # RecursionError comes from deeply nested message/rfc822 parts.
    except (Exception, RecursionError) as exc:  # noqa: BLE001
        log.warning("cannot parse %s: %s: %s", source, type(exc).__name__, exc)
        return Bounce(Kind.UNKNOWN, source=source, error=f"{type(exc).__name__}: {exc}")


def _parse(data: bytes, source: str | None, envelope_to: str | None) -> Bounce:
    mail = Mail(parse_bytes(data))
    envelope_to = envelope_to or _envelope_to(mail)
    detection, read = _detect(mail)
    message_id = mail.header("Message-ID") or None
    if not detection:
        return Bounce(Kind.UNKNOWN, source=source, envelope_to=envelope_to, error=_why_unknown(mail, detection),
                      message_id=message_id)
    findings, dropped = _addressed(detection.findings[:MAX_RECIPIENTS])
    if detection.findings and not findings:
        return Bounce(Kind.UNKNOWN, source=source, envelope_to=envelope_to, message_id=message_id,
                      error=f"a report whose recipients are not addresses: {dropped}")
    original = detection.original or describe(returned_headers(read), _envelope_id(mail))
    senders = tuple(dict.fromkeys(a for a in (envelope_to, original.from_) if a))  # rule 6 of reasons.md
    recipients = tuple(_recipient(replace(f, senders=f.senders or senders)) for f in findings)
    if detection.detector == "rfc3464":  # a DSN's fields and the notice above them: two accounts
        recipients = weighed(recipients, read.report)
    if original.message_id is None and (replied_to := _in_reply_to(mail)):
        original = replace(original, message_id=replied_to)  # an auto-reply names what it answers
    return Bounce(
        kind=detection.kind or kind_of(recipients),
        recipients=recipients,
        original=original,
        reporting_mta=detection.reporting_mta,
        arrival_date=detection.arrival_date,
        envelope_to=envelope_to,
        detector=detection.detector,
        source=source,
        message_id=message_id,
        error=f"recipients that are not addresses left out: {dropped}" if dropped else None,
    )


def _addressed(findings: tuple[Finding, ...]) -> tuple[tuple[Finding, ...], str]:
    """The findings whose address keeps the output contract (made to where it can: a lower-cased
    domain, no brackets or type), and the addresses of the others, which name no recipient.
    An empty address stays only in a complaint: a redacted one names no one."""
    kept, dropped = [], []
    for finding in findings:
        address = normalize_address(finding.address)
        if not address and (finding.address or finding.reason != "feedback"):
            dropped.append(finding.address)
            continue
        kept.append(finding if address == finding.address else replace(finding, address=address))
    return tuple(kept), ", ".join(repr(a[:100]) for a in dropped[:5])


def _detect(mail: Mail, forwarded: bool = True) -> tuple[Detection, Mail]:
    """The first detector's result, and the message it read (the attached report, for a wrapper)."""
    detection = Detection("none")
    for detector in _DETECTORS:
        detection = _run(detector, mail)
        if detection:  # recipients, or a kind without them (a complaint that names no one)
            break
    if forwarded and not any(f.status or f.diagnostic for f in detection.findings):
        # A gateway that wraps the report it got (a multipart/report attached as message/rfc822)
        # and says nothing of its own: the attached report is the one to read.
        inner = _attached(mail, report_only=True)
        if inner is not None:
            nested, inner_mail = _detect(Mail(inner), forwarded=False)
            if any(f.status or f.diagnostic for f in nested.findings):
                return nested, inner_mail
    elif forwarded and detection.findings and all(_undecided(f) for f in detection.findings):
        # A gateway whose own words decide nothing ("Unable to deliver message to <x>") and that
        # attaches the bounce it got from the next hop (InterScan MSS): the attached bounce says why,
        # if it is about the same recipients.
        inner = _attached(mail, report_only=False)
        if inner is not None:
            nested, inner_mail = _detect(Mail(inner), forwarded=False)
            ours = {f.address for f in detection.findings}
            if nested.findings and {f.address for f in nested.findings} <= ours and not all(map(_undecided, nested.findings)):
                return nested, inner_mail
    return (detection if detection else Detection("none")), mail


def _run(detector: Detector, mail: Mail) -> Detection:
    """One detector's result; a detector that trips on a hostile part (flufl.bounce recursing on
    a header of colons, a codec error deep in a format's own decoding) is "not mine", so that
    the detectors after it still read the message: one bad part must not lose a report."""
    try:
        return detector.detect(mail)
    # Detectors are plug-ins over hostile input; the traceback is logged, the message goes on.
    except (Exception, RecursionError) as exc:  # noqa: BLE001
        log.warning("detector %s failed on %s: %s: %s", detector.name, mail.header("Message-ID") or "a message",
                    type(exc).__name__, exc, exc_info=True)
        return Detection(detector.name)


def _undecided(finding) -> bool:
    return finding.status is None and finding.reason is None and _classify(finding)[0] in ("onhold", "undefined")


# A finding may be classified twice (to see whether a gateway's own words decide anything, then for
# the result); Findings are frozen, so the answer is kept. Recipients that differ only in their
# local part (and the recipient fields that name it, which the classifier does not read) share it: a report that gives its thousand recipients one text (IMail, the bulleted
# DSN) is read by the classifier once, not once per recipient (a few milliseconds each).
_ANSWERS: OrderedDict[tuple[object, ...], tuple[str, BounceType, str]] = OrderedDict()
_ANSWERS_KEPT = 256
# The key: the domain and every other field but the recipient ones, read in C (a dataclasses.replace
# per finding cost more than the rest of the lookup).
_KEYED = attrgetter(*(f.name for f in fields(Finding) if f.name not in ("address", "final_recipient", "original_recipient")))


def _classify(finding: Finding) -> tuple[str, BounceType, str]:
    key = (finding.address.rpartition("@")[2], *_KEYED(finding))
    answer = _ANSWERS.get(key)
    if answer is None:
        answer = _ANSWERS[key] = classify(finding)
        if len(_ANSWERS) > _ANSWERS_KEPT:
            _ANSWERS.popitem(last=False)
    return answer


def _attached(mail: Mail, report_only: bool) -> Message | None:
    """The first attached message (only a multipart/report one, with ``report_only``)."""
    for part in mail.parts_of("message/rfc822"):
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else None
        if isinstance(inner, Message) and (not report_only or inner.get_content_type() == "multipart/report"):
            return inner
    return None


def _recipient(finding) -> Recipient:
    reason, bounce_type, rule = _classify(finding)
    return Recipient(
        address=finding.address,
        action=finding.action,
        status=finding.status,
        reply_code=finding.reply_code,
        reason=reason,
        bounce_type=bounce_type,
        diagnostic=finding.diagnostic,
        remote_mta=finding.remote_mta,
        final_recipient=finding.final_recipient,
        original_recipient=finding.original_recipient,
        feedback_type=finding.feedback_type,
        rule=rule,
    )


_MSG_ID = re.compile(r"^\s*(<[^<>\s@]+@[^<>\s]+>)\s*$")


def _in_reply_to(mail: Mail) -> str | None:
    """The notice's In-Reply-To where it names one message: the one it answers (RFC 3834 says
    an auto-reply sets it), for notices that carry nothing else of the original."""
    found = _MSG_ID.match(mail.header("In-Reply-To"))
    return found.group(1) if found else None


def kind_of(recipients: tuple[Recipient, ...]) -> Kind:
    """bounce if any recipient failed, delay if the rest are delayed, else delivered."""
    actions = {r.action for r in recipients}
    if Action.FAILED in actions:
        return Kind.BOUNCE
    if Action.DELAYED in actions:
        return Kind.DELAY
    return Kind.DELIVERED


def _envelope_to(mail: Mail) -> str | None:
    for name in ("Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "To"):
        value = normalize_address(mail.header(name))
        if value:
            return value
    return None


def _envelope_id(mail: Mail) -> str | None:
    from bounced.parse.rfc3464 import dsn_blocks

    for block in dsn_blocks(mail):
        if "original-envelope-id" in block:
            return block["original-envelope-id"].strip() or None
    return None


def _why_unknown(mail: Mail, detection: Detection) -> str:
    if any(isinstance(d, NestedTooDeeply) for d in mail.msg.defects):
        return f"MIME parts nested deeper than {MAX_NESTING} levels: those below were not read, and no report above them"
    if not mail.msg.keys():
        return "not a mail message: no header fields"
    if mail.msg.defects and any("Boundary" in type(d).__name__ for d in mail.msg.defects):
        return "broken MIME and no recognisable report: " + ", ".join(type(d).__name__ for d in mail.msg.defects)
    if mail.content_type == "multipart/report":
        return "a report with no recipients"
    return "not a bounce report: no detector recognised it"
