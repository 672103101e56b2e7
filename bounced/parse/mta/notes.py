"""Lotus Notes / Domino SMTP MTA plain-text reports: "------- Failure Reasons --------".

The reason (often in Japanese or another local language) comes first, then the failed
address on a line of its own; the returned message follows "------- Returned Message --------".
"""

from __future__ import annotations

import re

from bounced.model import Detection
from bounced.parse.mime import ADDRESS_RE, Mail, normalize_address
from bounced.parse.textscan import finding_from_text

PRIORITY = 30

_START = re.compile(r"^-+ *Failure Reasons *-+[ \t]*\n", re.M | re.I)
_END = re.compile(r"^-+ *Returned Message *-+", re.M | re.I)
_ADDRESS_LINE = re.compile(r"^\s*<?(" + ADDRESS_RE.pattern + r")>?\s*$", re.A)


class Notes:
    name = "notes"

    def detect(self, mail: Mail) -> Detection:
        text = mail.body_text
        start = _START.search(text)
        if start is None:
            return Detection(self.name)
        end = _END.search(text, start.end())
        findings = []
        reasons: list[str] = []
        for line in text[start.end() : end.start() if end else start.end() + 4000].split("\n"):
            match = _ADDRESS_LINE.match(line)
            if match is None:
                if line.strip():
                    reasons.append(line.strip())
                continue
            findings.append(finding_from_text(normalize_address(match.group(1)), " ".join(reasons)))
            reasons = []
        return Detection(self.name, tuple(findings))


DETECTOR = Notes()
