"""Apache James (and James-based gateways such as some SMS/MMS portals).

"Error message below:" carries the SMTP reply; "Message details:" then lists the envelope,
where "RCPT TO:" is the recipient that failed.
"""

from __future__ import annotations

import re

from bounced.model import Detection
from bounced.parse.mime import ADDRESS_RE, Mail, normalize_address
from bounced.parse.textscan import finding_from_text

PRIORITY = 30

_ERROR = re.compile(r"^Error message below:\s*\n(.+?)\n\s*\n\s*Message details:", re.M | re.S | re.I)
_RCPT = re.compile(r"^\s*RCPT TO:\s*<?(" + ADDRESS_RE.pattern + r")>?", re.M | re.A | re.I)


class ApacheJames:
    name = "apachejames"

    def detect(self, mail: Mail) -> Detection:
        text = mail.body_text
        error = _ERROR.search(text)
        if error is None:
            return Detection(self.name)
        said = error.group(1)
        details = text[error.end() : error.end() + 2000]
        findings = [finding_from_text(normalize_address(m.group(1)), said) for m in _RCPT.finditer(details)]
        return Detection(self.name, tuple(f for f in findings if f.address))


DETECTOR = ApacheJames()
