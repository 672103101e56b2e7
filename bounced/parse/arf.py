"""RFC 5965 Abuse Reporting Format (feedback loops), and Hotmail's older JMRP complaint mail."""

from __future__ import annotations

import re

from bounced.model import Action, Detection, Finding, Kind
from bounced.parse.mime import Mail, decode_header, find_addresses, field_blocks, normalize_address, parse_date, part_text
from bounced.parse.original import returned_headers
from bounced.parse.rfc3464 import status_blocks

# Hotmail/Outlook.com JMRP reports predate RFC 5965: multipart/mixed, the complaint as message/rfc822.
_JMRP_SUBJECT = re.compile(r"^complaint about message from ", re.I)


class ARF:
    """Feedback reports: the complaining recipient from Original-Rcpt-To, Removal-Recipient or the original's To.

    A report that names no recipient (redacted) still gives one recipient, with an empty address."""

    name = "arf"

    def detect(self, mail: Mail) -> Detection:
        reports = mail.parts_of("message/feedback-report")
        if not reports:
            if not (_JMRP_SUBJECT.search(mail.subject) and mail.parts_of("message/rfc822")):
                return Detection(self.name)
            fields: dict[str, str] = {"feedback-type": "abuse"}
            rcpts: list[str] = []
        else:
            fields, rcpts = _report_fields(reports[0])
        if not rcpts:
            rcpts = _original_recipients(mail)
        if not rcpts:
            # Feedback loops often redact the complainer (RFC 6590); the complaint still names the
            # message, through which the pipeline finds whom it was sent to. An empty address is that.
            rcpts = [""]
        feedback_type = fields.get("feedback-type", "abuse").split()[0].lower() if fields.get("feedback-type") else "abuse"
        findings = tuple(
            Finding(
                address=address,
                action=Action.DELIVERED,  # the message arrived; its recipient complained about it
                diagnostic=fields.get("user-agent", "") and f"Feedback-Type: {feedback_type}",
                reason="feedback",
                feedback_type=feedback_type,
            )
            for address in dict.fromkeys(rcpts)
        )
        return Detection(
            self.name,
            findings,
            kind=Kind.FEEDBACK,
            reporting_mta=fields.get("reporting-mta", "").split(";")[-1].strip() or None,
            arrival_date=parse_date(fields.get("arrival-date") or fields.get("received-date")),
        )


def _report_fields(part) -> tuple[dict[str, str], list[str]]:
    blocks = status_blocks(part) or field_blocks(part_text(part))
    fields: dict[str, str] = {}
    rcpts: list[str] = []
    for block in blocks:
        for key, value in block.items():
            fields.setdefault(key, value)
    # Original-Rcpt-To may repeat (RFC 5965 section 3.2); the blocks keep only the first, so read them all.
    text = part_text(part)
    for match in re.finditer(r"^(?:Original-Rcpt-To|Removal-Recipient):\s*(.+)$", text, re.I | re.M):
        address = normalize_address(match.group(1))
        if address:
            rcpts.append(address)
    return fields, rcpts


def _original_recipients(mail: Mail) -> list[str]:
    headers = returned_headers(mail)
    if headers is None:
        return []
    for name in ("To", "Delivered-To", "X-Original-To"):
        found = [normalize_address(a) for a in find_addresses(decode_header(headers.get(name)))]
        if found:
            return found
    return []


DETECTOR = ARF()
