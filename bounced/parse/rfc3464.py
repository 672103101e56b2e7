"""RFC 3464 delivery status notifications, and RFC 6533 internationalized ones (message/global-delivery-status)."""

from __future__ import annotations

import re
from email.message import Message

from bounced.model import Action, Detection, Finding
from bounced.parse.mime import (
    Mail,
    field_blocks,
    find_reply_code,
    find_status,
    normalize_address,
    parse_date,
    part_text,
    strip_type,
)

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
            if isinstance(sub, Message):
                block = {k.lower(): " ".join(str(v).split()) for k, v in reversed(sub.items())}
                if block:
                    blocks.append(block)
        return blocks
    if isinstance(payload, list):  # base64 delivery-status: compat32 split the encoded text
        raw = "".join(p.as_string() for p in payload if isinstance(p, Message))
        part = Message()
        part.set_payload(raw)
        part["Content-Transfer-Encoding"] = cte
    return field_blocks(part_text(part))


def findings_from_blocks(blocks: list[dict[str, str]]) -> tuple[dict[str, str], list[Finding]]:
    """Split blocks into the per-message fields and one Finding per recipient block."""
    per_message: dict[str, str] = {}
    findings: list[Finding] = []
    for block in blocks:
        if "final-recipient" not in block and "original-recipient" not in block and "x-actual-recipient" not in block:
            if not findings:
                per_message.update({k: v for k, v in block.items() if k not in per_message})
            continue
        finding = _finding(block)
        if finding is not None:
            findings.append(finding)
    return per_message, findings


def _finding(block: dict[str, str]) -> Finding | None:
    final = block.get("final-recipient") or block.get("x-actual-recipient") or ""
    original = block.get("original-recipient")
    address = normalize_address(final) or normalize_address(original) or normalize_address(block.get("x-actual-recipient"))
    if not address:
        return None
    diagnostic = strip_type(block.get("diagnostic-code", "")) if ";" in block.get("diagnostic-code", "")[:20] else block.get("diagnostic-code", "")
    diagnostic = " ".join(diagnostic.split())
    status = find_status(block.get("status", ""))
    action = _action(block.get("action", ""), status)
    return Finding(
        address=address,
        action=action,
        status=status,
        reply_code=find_reply_code(diagnostic[:40]) if diagnostic else None,
        diagnostic=diagnostic,
        remote_mta=strip_type(block.get("remote-mta")) or None,
        final_recipient=" ".join(final.split()) or None,
        original_recipient=" ".join(original.split()) if original else None,
    )


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
        blocks: list[dict[str, str]] = []
        for part in mail.parts_of(*_DSN_TYPES):
            blocks.extend(status_blocks(part))
        if not blocks:
            text = mail.body_text
            if not _TEXT_DSN.search(text):
                return Detection(self.name)
            blocks = field_blocks(text)
        per_message, findings = findings_from_blocks(blocks)
        if not findings:
            return Detection(self.name)
        return Detection(
            self.name,
            tuple(findings),
            reporting_mta=strip_type(per_message.get("reporting-mta")) or None,
            arrival_date=parse_date(per_message.get("arrival-date")),
        )


DETECTOR = RFC3464()
