"""RFC 8098 message disposition notifications: a Sieve ``reject`` (RFC 5429), or a read receipt.

A recipient's Sieve script that rejects a message (Dovecot Pigeonhole, Cyrus) answers with an
MDN whose disposition is ``automatic-action/...; deleted``: the address exists and accepted the
message, and the recipient's own rule refused it, which spec/reasons.md calls ``filtered``. The
text the script gave (any words its owner chose) is the diagnostic; it decides nothing. Any other
disposition (displayed, dispatched, processed) says the message reached the recipient: delivered.
"""

from __future__ import annotations

import re

from bounced.model import Action, Detection, Finding
from bounced.parse.mime import Mail, field_blocks, normalize_address, part_text

_DELETED_BY_RULE = re.compile(r"^\s*automatic-action\s*/[^;]*;\s*deleted\b", re.I)


class MDN:
    name = "mdn"

    def detect(self, mail: Mail) -> Detection:
        parts = mail.parts_of("message/disposition-notification")
        if not parts:
            return Detection(self.name)
        fields: dict[str, str] = {}
        for block in field_blocks(part_text(parts[0])):
            for key, value in block.items():
                fields.setdefault(key, value)
        address = normalize_address(fields.get("final-recipient") or fields.get("original-recipient"))
        if not address:
            return Detection(self.name)
        disposition = " ".join(fields.get("disposition", "").split())
        final = " ".join(fields.get("final-recipient", "").split()) or None
        if _DELETED_BY_RULE.match(disposition):
            said = " ".join(mail.report.split())
            finding = Finding(address=address, action=Action.FAILED, diagnostic=said[:1000] or disposition,
                              final_recipient=final, reason="filtered")
        else:
            finding = Finding(address=address, action=Action.DELIVERED, diagnostic=disposition, final_recipient=final)
        return Detection(self.name, (finding,), reporting_mta=fields.get("reporting-ua", "").split(";")[0].strip() or None)


DETECTOR = MDN()
