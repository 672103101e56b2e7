"""RFC 3464 delivery status notifications, and RFC 6533 internationalized ones (message/global-delivery-status)."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from email.message import Message

from bounced.classify.command import command_of
from bounced.model import Action, Detection, Finding
from bounced.parse.mime import (
    MAX_RECIPIENTS,
    Mail,
    addresses_of,
    field_blocks,
    find_reply_code,
    find_status,
    normalize_address,
    parse_date,
    part_text,
    returned_text_start,
    split_fields,
    strip_type,
)
from bounced.parse.original import sole_recipient
from bounced.parse.transcript import transcript_of, transcript_said

_DSN_TYPES = ("message/delivery-status", "message/global-delivery-status")
_ACTIONS = {a.value: a for a in Action}
# Some MTAs put the delivery-status fields into a text part or the plain body.
_TEXT_DSN = re.compile(r"^(?:Final|Original)-Recipient:", re.I | re.M)


def status_blocks(part: Message) -> list[dict[str, str]]:
    """The field blocks of a delivery-status part, however it was encoded."""
    payload = part.get_payload()
    cte = str(part.get("Content-Transfer-Encoding", "")).lower().strip()
    if isinstance(payload, list) and cte not in ("base64", "quoted-printable"):
        blocks = []
        for sub in payload:
            if isinstance(sub, Message) and any(type(d).__name__ == "MissingHeaderBodySeparatorDefect" for d in sub.defects):
                # a line that is not a field ended compat32's header: an unindented continuation of a
                # multi-line Diagnostic-Code ("550-5.7.1 from) has a policy ..."); read the block as text
                head = "\n".join(f"{k}: {' '.join(_utf8(v).split())}" for k, v in sub.raw_items())
                body = sub.get_payload(decode=True)
                blocks.extend(field_blocks(head + "\n" + (_utf8(body) if isinstance(body, bytes) else "")))
            elif isinstance(sub, Message):
                blocks.extend(split_fields((k.lower(), " ".join(_utf8(v).split())) for k, v in sub.raw_items()))
                inner = sub.get_payload(decode=True)  # bytes: the str form has lost its UTF-8 already
                if isinstance(inner, bytes) and inner.strip():
                    # message/global-delivery-status: compat32 reads it as one message whose
                    # header is the first block and whose body holds the others
                    blocks.extend(field_blocks(_utf8(inner)))
        return blocks
    if isinstance(payload, list):  # base64 delivery-status: compat32 split the encoded text
        raw = "".join(p.as_string() for p in payload if isinstance(p, Message))
        part = Message()
        part.set_payload(raw)
        part["Content-Transfer-Encoding"] = cte
    return field_blocks(part_text(part))


def dsn_blocks(mail: Mail) -> list[dict[str, str]]:
    """The field blocks of all the message's delivery-status parts (read once per message)."""
    blocks = mail.derived.get("dsn_blocks")
    if blocks is None:
        blocks = [block for part in mail.parts_of(*_DSN_TYPES) for block in status_blocks(part)]
        mail.derived["dsn_blocks"] = blocks
    return blocks


def _utf8(value: object) -> str:
    """Header text that compat32 read as ASCII with surrogate escapes, as the UTF-8 it is (RFC 6533)."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    text = str(value)
    if text.isascii():
        return text
    try:
        return text.encode("ascii", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # already real text
        return text


def findings_from_blocks(blocks: list[dict[str, str]], text: str = "") -> tuple[dict[str, str], list[Finding]]:
    """Split blocks into the per-message fields and one Finding per recipient block.

    ``text`` is the human-readable part of the report: where a block has no Diagnostic-Code,
    what that text says about the recipient stands in for it.
    """
    per_message: dict[str, str] = {}
    findings: list[Finding] = []
    seen: set[tuple[str, Action]] = set()
    for block in blocks:
        if "final-recipient" not in block and "original-recipient" not in block and "x-actual-recipient" not in block:
            if not findings:
                per_message.update({k: v for k, v in block.items() if k not in per_message})
            continue
        if not findings and "reporting-mta" in block:
            per_message.setdefault("reporting-mta", block["reporting-mta"])
        if len(findings) >= MAX_RECIPIENTS:
            break
        finding = _finding(block, text)
        if finding is not None and (finding.address, finding.action) not in seen:
            seen.add((finding.address, finding.action))
            findings.append(finding)
    return per_message, findings


def _iso2022(value: str) -> str:
    """A field with raw ISO-2022-JP escapes (Lotus Domino and Japanese MTAs write them into
    Diagnostic-Code, which has no charset) as the text it spells."""
    if "\x1b$" not in value:
        return value
    try:
        return value.encode("latin-1").decode("iso-2022-jp")
    except (UnicodeEncodeError, UnicodeDecodeError):  # not ISO-2022-JP after all: keep the bytes' text
        return value


# PowerMTA classifies each bounce itself (X-PowerMTA-BounceCategory). Where its category names the
# state of the address, it is the reporting MTA's own statement of the reason; the other categories
# (spam-related, policy-related, ...) are broader than what the diagnostic's words tell.
_POWERMTA_CATEGORIES = {
    "bad-mailbox": "userunknown",
    "bad-domain": "hostunknown",
    "inactive-mailbox": "suspend",
    "quota-issues": "mailboxfull",
}


def _finding(block: dict[str, str], text: str) -> Finding | None:
    final = block.get("final-recipient") or block.get("x-actual-recipient") or ""
    original = block.get("original-recipient")
    address = normalize_address(final) or normalize_address(original) or normalize_address(block.get("x-actual-recipient"))
    if not address:
        return None
    raw = _iso2022(block.get("diagnostic-code", ""))
    # a bare exit status keeps its type: "X-Unix; 75" says a local program failed, "75" says nothing
    diagnostic = " ".join((strip_type(raw) if _DIAGNOSTIC_TYPE.match(raw) and not _EXIT_STATUS.match(raw) else raw).split())
    if not diagnostic and text:
        diagnostic = text_about(text, address)
    field = find_status(block.get("status", ""))
    if _ALL_MXS_FAILED.search(block.get("status", "")):
        field = None  # Haraka's "5.1.2 (550 Tried all MXs example.org)": no server said it, every MX failed
    status = prefer_status(field, diagnostic)
    action = _action(block.get("action", ""), field)
    if action is Action.DELAYED and _EXPIRED.match(diagnostic):
        action = Action.FAILED  # OpenSMTPD reports an envelope it dropped at its expiry as "delayed"
    return Finding(
        address=address,
        action=action,
        status=status,
        # failure codes only: "X-Unix; 255" is a local program's exit status, not an SMTP reply
        reply_code=reply_code_in(diagnostic, action in (Action.FAILED, Action.DELAYED)),
        diagnostic=diagnostic,
        remote_mta=strip_type(block.get("remote-mta")) or None,
        final_recipient=" ".join(final.split()) or None,
        original_recipient=" ".join(original.split()) if original else None,
        reason=_POWERMTA_CATEGORIES.get(block.get("x-powermta-bouncecategory", "").strip().lower()),
    )


def prefer_status(field: str | None, diagnostic: str) -> str | None:
    """The Status field, unless the remote server's own code in the diagnostic says more.

    The Status field is the reporting MTA's summary (often just x.0.0, or 4.4.7 when a
    message expired after a run of deferrals); the code in the server's reply names the
    cause.  A code of the other class is taken only over a bare x.0.0 (Exim's 5.0.0 on
    "452 4.2.2 Mailbox full: retry timeout exceeded", the last reply before it gave up);
    beside a specific field it belongs to another attempt.
    """
    # beside a failure's field, a 2.x.x in the text is another reply or a version ("Postfix 2.10.1")
    said = find_status(diagnostic, failure=field is not None and field[0] in "45") if diagnostic else None
    if field is None or said is None:
        return field or said
    if said.endswith(".0.0") or (said[0] != field[0] and not field.endswith(".0.0")):
        return field
    return said


def reply_code_in(diagnostic: str, failure: bool = False) -> int | None:
    """The SMTP reply code of a diagnostic: at its start, after the server's "said:", or after a
    transcript's "<<< " (Courier quotes the dialogue: ">>> RCPT TO:<x> <<< 452 4.2.2 ...");
    4xx or 5xx only, for a ``failure``."""
    if not diagnostic:
        return None
    code = find_reply_code(diagnostic[:40], failure)
    if code is None:
        match = _SAID.search(diagnostic)
        code = find_reply_code(diagnostic[match.end():match.end() + 40], failure) if match else None
    if code is None and (reply := diagnostic.rfind("<<< ")) >= 0:
        code = find_reply_code(diagnostic[reply + 4:reply + 44], failure)
    return code


_ALL_MXS_FAILED = re.compile(r"\(\s*\d{3} tried all mxs\b", re.I)
_EXPIRED = re.compile(r"envelope expired\b", re.I)  # OpenSMTPD: the envelope left the queue
_EXIT_STATUS = re.compile(r"^\s*x-unix\s*;\s*\d{1,3}\s*$", re.I)  # Sendmail: a local mailer's exit status (sysexits.h)
_DIAGNOSTIC_TYPE = re.compile(r"^\s*[\w.-]{1,40}\s*;")  # "smtp;", "X-Unix;", "X-Outbound-Mail-Relay;"
_SAID = re.compile(r"\b(?:said|returned|replied|responded|response|error)\s*:?\s*['\"(\[]?", re.I)
_EMPTY_REASON = re.compile(r"^\(reason:\s*\)")
_RETURNED_START = re.compile(r"^(?:Return-Path|Received|Message-I[dD]|DKIM-Signature):", re.M)


@lru_cache(maxsize=4)  # a report's text is asked about each of its recipients: lowered once
def _lowered(text: str) -> str:
    return text.lower()


def text_about(text: str, address: str) -> str:
    """What a human-readable report says about ``address``: its line and the lines that follow, to a blank line."""
    lower = _lowered(text)
    index = lower.find(address.lower())
    while index >= 0:
        start = text.rfind("\n", 0, index) + 1
        line_end = text.find("\n", index)
        line_end = len(text) if line_end < 0 else line_end
        if _RETURNED_START.match(text, start) is None and not text[start:index].lstrip().lower().startswith(("to:", "from:", "for ")):
            end = text.find("\n\n", index)
            end = len(text) if end < 0 else end
            said = text[index + len(address): min(end, index + 1000)]
            said = " ".join(said.lstrip(">\"' \t:.-)").split())
            if (local := _LOCAL_DELIVERY.search(text, max(0, start - 300), line_end)) is not None:
                said = f"{local.group(1)} {said}"  # Exim: "pipe to |cmd" / "generated by <address>" / "local delivery failed"
            return _EMPTY_REASON.sub("", said).lstrip()  # Sendmail's "(reason: )" says nothing
        index = lower.find(address.lower(), line_end)
    return ""


# Exim names what an address was redirected to on the line above it: a pipe, a file, a directory.
_LOCAL_DELIVERY = re.compile(r"^[ \t]*((?:pipe|save|file) to [^\n]{1,200})\n[ \t]*generated by [^\n]*\Z", re.M | re.I)
_TRANSCRIPT_DATA = re.compile(r"^>>> (?:DATA|\.)\s*$\n(?:<<< [^\n]*\n)*?<<< [45]\d\d", re.M | re.I)


def _with_command(finding: Finding, report: str, text: str) -> Finding:
    """The SMTP command the reply answered, where the human-readable part says it: Postfix's
    "(in reply to RCPT TO command)" after the recipient, or a Sendmail transcript whose failure
    followed ">>> DATA"."""
    if finding.command:
        return finding
    command = command_of(None, text_about(report, finding.address)) if report else None
    if command is None and _data_refused(text):  # the transcript follows the report proper
        command = "DATA"
    return replace(finding, command=command) if command else finding


@lru_cache(maxsize=4)  # asked once per recipient of the same text
def _data_refused(text: str) -> bool:
    return _TRANSCRIPT_DATA.search(text) is not None


def _from_transcript(finding: Finding, transcript: str, sole: bool) -> Finding:
    diagnostic, command = transcript_said(transcript, finding.address, sole)
    if not diagnostic:
        return finding
    return replace(finding, diagnostic=diagnostic, status=prefer_status(finding.status, diagnostic),
                   reply_code=finding.reply_code or reply_code_in(diagnostic, finding.action in (Action.FAILED, Action.DELAYED)), command=finding.command or command)


def _action(value: str, status: str | None) -> Action:
    value = value.strip().lower().split()[0] if value.strip() else ""
    if value in _ACTIONS:
        return _ACTIONS[value]
    if value.startswith(("fail", "undeliver", "bounce", "error")):
        return Action.FAILED
    if value.startswith(("delay", "defer")):
        return Action.DELAYED
    if status and status[0] == "2":
        return Action.DELIVERED
    return Action.FAILED


class RFC3464:
    """Standard DSNs: multipart/report with message/delivery-status, or its fields in a text part."""

    name = "rfc3464"

    def detect(self, mail: Mail) -> Detection:
        blocks = list(dsn_blocks(mail))
        text = mail.body_text
        report = None
        if not blocks and (in_text := _TEXT_DSN.search(text)):
            blocks = field_blocks(text)
            text = text[: in_text.start()]
            report = text[: returned_text_start(text)]
        elif not blocks and not mail.parts_of(*_DSN_TYPES):
            return Detection(self.name)
        report = mail.report if report is None else report
        per_message, findings = findings_from_blocks(blocks, report)
        if not findings and mail.parts_of(*_DSN_TYPES) and (failed := addresses_of(mail.header("X-Failed-Recipients"))):
            # An empty delivery-status part (Gmail's "Send mail as" failures): the recipients are in
            # X-Failed-Recipients (Exim's and Gmail's header), the reason in the human-readable part.
            summary = " ".join(report.split())[:1000]
            findings = [Finding(address=a, diagnostic=text_about(report, a) or summary) for a in failed]
        if not findings and (sole := sole_recipient(mail)) and mail.parts_of(*_DSN_TYPES):
            # A report whose delivery-status part lost its recipient blocks (Postfix's "Delivery
            # report unavailable"): the returned message's only recipient is the one that failed.
            # One recipient block whose Final-Recipient is no address (Sendmail's "RFC822; @mx.example.org"):
            # its fields are about that recipient.
            named = [b for b in blocks if "final-recipient" in b or "original-recipient" in b]
            finding = _finding({**named[0], "final-recipient": sole}, report) if len(named) == 1 else None
            if finding is not None:
                finding = replace(finding, final_recipient=" ".join(named[0].get("final-recipient", "").split()) or None)
            findings = [finding or Finding(address=sole, diagnostic=text_about(report, sole))]
        if not findings:
            return Detection(self.name)
        if any(not f.diagnostic for f in findings) and (transcript := transcript_of(text)):
            # No Diagnostic-Code and nothing said beside the address: Sendmail's transcript says it.
            findings = [f if f.diagnostic else _from_transcript(f, transcript, len(findings) == 1) for f in findings]
        return Detection(
            self.name,
            tuple(_with_command(f, report, text) for f in findings),
            reporting_mta=strip_type(per_message.get("reporting-mta")) or None,
            arrival_date=parse_date(per_message.get("arrival-date")),
        )


DETECTOR = RFC3464()
