"""Bounce -> the JSON object of parse-output.md, and a readable table line."""

from __future__ import annotations

import json
from typing import Any

from bounced.model import Bounce


def to_dict(bounce: Bounce) -> dict[str, Any]:
    out: dict[str, Any] = {
        "source": bounce.source,
        "kind": bounce.kind.value,
        "recipients": [
            {
                "address": r.address or None,  # None: a redacted complaint
                "action": r.action.value,
                "status": r.status,
                "reply_code": r.reply_code,
                "reason": r.reason,
                "bounce_type": r.bounce_type.value,
                "diagnostic": r.diagnostic,
                "remote_mta": r.remote_mta,
                "final_recipient": r.final_recipient,
                "original_recipient": r.original_recipient,
                "rule": r.rule,  # what decided the reason: "status 5.1.1", "text:userunknown", "refused at MAIL FROM"
            }
            for r in bounce.recipients
        ],
        "original": {
            "message_id": bounce.original.message_id,
            "envelope_id": bounce.original.envelope_id,
            "from": bounce.original.from_,
            "subject": bounce.original.subject,
        },
        "verp": None,
        "reporting_mta": bounce.reporting_mta,
        "arrival_date": bounce.arrival_date,
    }
    if bounce.verp is not None:
        out["verp"] = {"message": bounce.verp.message, "recipient": bounce.verp.recipient, "valid": bounce.verp.valid}
    if bounce.error is not None:
        out["error"] = bounce.error
    return out


def to_json(bounce: Bounce) -> str:
    return json.dumps(to_dict(bounce), ensure_ascii=False)


def table_rows(bounce: Bounce) -> list[tuple[str, ...]]:
    """One row per recipient (one for a message without any): source, kind, address, status, reason, type."""
    src = bounce.source or "-"
    if not bounce.recipients:
        return [(src, bounce.kind.value, "-", "-", "-", "-", bounce.error or "")]
    return [
        (src, bounce.kind.value, r.address, r.status or "-", r.reason, r.bounce_type.value, r.diagnostic[:60])
        for r in bounce.recipients
    ]
