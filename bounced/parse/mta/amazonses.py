"""Amazon SES notifications sent by e-mail through SNS: a JSON document instead of a report.

The body is the SES event (``notificationType`` Bounce, Complaint or Delivery), either bare or
wrapped in an SNS envelope whose ``Message`` field holds it as a string.  Mail systems on the
way fold the long JSON line, leaving ``!`` + newline + space in it (sendmail's line splitting);
those are taken out before decoding.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace

from bounced.model import Action, Detection, Finding, Kind, Original
from bounced.parse.mime import Mail, find_status, normalize_address, strip_type
from bounced.parse.rfc3464 import reply_code_in

PRIORITY = 10

_FOLD = re.compile(r"!?\n ")
_ACTIONS = {"failed": Action.FAILED, "delayed": Action.DELAYED, "delivered": Action.DELIVERED}


def _event(text: str) -> dict | None:
    start = text.find("{")
    end = text.rfind("}")
    if start < 0 or end < start:
        return None
    try:
        doc = json.loads(_FOLD.sub("", text[start : end + 1]))
    except ValueError:  # not JSON after all: some other notice from the same sender
        return None
    if isinstance(doc, dict) and isinstance(doc.get("Message"), str):
        try:
            doc = json.loads(doc["Message"])
        except ValueError:  # an SNS message that is not an SES event
            return None
    return doc if isinstance(doc, dict) and ("notificationType" in doc or "eventType" in doc) else None


class AmazonSES:
    name = "amazonses"

    def detect(self, mail: Mail) -> Detection:
        if mail.content_type != "text/plain" or '"notificationType"' not in mail.body_text[:4000].replace('\\"', '"'):
            return Detection(self.name)
        event = _event(mail.body_text)
        if event is None:
            return Detection(self.name)
        kind = str(event.get("notificationType") or event.get("eventType")).lower()
        if kind == "bounce":
            detection = _bounce(self.name, event.get("bounce") or {})
        elif kind == "complaint":
            detection = _complaint(self.name, event.get("complaint") or {})
        elif kind == "delivery":
            detection = _delivery(self.name, event.get("delivery") or {})
        else:
            return Detection(self.name)
        return replace(detection, original=_original(event.get("mail")))


def _original(mail: object) -> Original | None:
    """The sent message as SES describes it: ``mail.commonHeaders`` (messageId, from, subject)."""
    if not isinstance(mail, dict):
        return None
    common = mail.get("commonHeaders") if isinstance(mail.get("commonHeaders"), dict) else {}
    senders = common.get("from") or [mail.get("source")]
    sender = normalize_address(str(senders[0])) if senders and senders[0] else ""
    message_id = common.get("messageId")
    return Original(
        message_id=str(message_id) if message_id else None,
        from_=sender or None,
        subject=str(common["subject"]) if common.get("subject") else None,
    )


def _bounce(name: str, bounce: dict) -> Detection:
    findings = []
    transient = str(bounce.get("bounceType", "")).lower() == "transient"
    for rcpt in bounce.get("bouncedRecipients") or []:
        address = normalize_address(str(rcpt.get("emailAddress", "")))
        if not address:
            continue
        diagnostic = (
            " ".join(strip_type(str(rcpt.get("diagnosticCode", ""))).split()) if rcpt.get("diagnosticCode") else ""
        )
        status = find_status(str(rcpt.get("status", ""))) or find_status(diagnostic)
        action = _ACTIONS.get(str(rcpt.get("action", "")).lower(), Action.DELAYED if transient else Action.FAILED)
        findings.append(
            Finding(
                address=address,
                action=action,
                status=status,
                reply_code=reply_code_in(diagnostic),
                diagnostic=diagnostic,
            )
        )
    return Detection(
        name,
        tuple(findings),
        reporting_mta=strip_type(bounce.get("reportingMTA")) or None,
        arrival_date=bounce.get("timestamp"),
    )


def _complaint(name: str, complaint: dict) -> Detection:
    feedback_type = str(complaint.get("complaintFeedbackType") or "abuse").lower()
    findings = tuple(
        Finding(
            address=address,
            reason="feedback",
            feedback_type=feedback_type,
            diagnostic=f"Feedback-Type: {feedback_type}",
        )
        for address in dict.fromkeys(
            normalize_address(str(r.get("emailAddress", ""))) for r in complaint.get("complainedRecipients") or []
        )
        if address
    )
    return Detection(name, findings, kind=Kind.FEEDBACK, arrival_date=complaint.get("timestamp"))


def _delivery(name: str, delivery: dict) -> Detection:
    response = " ".join(str(delivery.get("smtpResponse", "")).split())
    findings = tuple(
        Finding(
            address=address,
            action=Action.DELIVERED,
            status=find_status(response),
            reply_code=reply_code_in(response),
            diagnostic=response,
            remote_mta=delivery.get("remoteMtaIp"),
        )
        for address in dict.fromkeys(normalize_address(str(a)) for a in delivery.get("recipients") or [])
        if address
    )
    return Detection(name, findings, reporting_mta=delivery.get("reportingMTA"), arrival_date=delivery.get("timestamp"))


DETECTOR = AmazonSES()
