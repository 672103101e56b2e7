"""Trend Micro InterScan Messaging Security Suite (IMSS / InterScan MSS) reports.

The text part shows the SMTP exchange as "Sent <<< RCPT TO:<addr>" and the reply as
"Received >>> 550 ...", or gives "Reason: Unable to deliver message to <addr> ...".  It ends
with "***** End of message *****"; the message/rfc822 part holds the original.
"""

from __future__ import annotations

import re

from bounced.model import Detection
from bounced.parse.mime import ADDRESS_RE, Mail, normalize_address
from bounced.parse.textscan import finding_from_text

PRIORITY = 30

_SENDER = re.compile(r"InterScan|Mail could not be delivered|メッセージを配信できません", re.I)
_EXCHANGE = re.compile(
    r"^Sent <<< RCPT TO:\s*<?(" + ADDRESS_RE.pattern + r")>?\s*\nReceived >>> ([^\n]+)", re.M | re.A | re.I
)
_REASON = re.compile(r"^Reason:\s*([^\n]*?<?(" + ADDRESS_RE.pattern + r")>?[^\n]*)$", re.M | re.A)


class InterScanMSS:
    name = "interscanmss"

    def detect(self, mail: Mail) -> Detection:
        if not _SENDER.search(mail.sender_line):
            return Detection(self.name)
        text = mail.body_text
        found = {normalize_address(m.group(1)): m.group(2) for m in _EXCHANGE.finditer(text)}
        if not found:
            found = {normalize_address(m.group(2)): m.group(1) for m in _REASON.finditer(text)}
        return Detection(self.name, tuple(finding_from_text(a, said) for a, said in found.items() if a))


DETECTOR = InterScanMSS()
