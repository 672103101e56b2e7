"""IBM/HCL Domino (Lotus Domino) plain-text reports.

    Your message
      Subject: ...
    was not delivered to:
      user@example.org
    because:
      User Some Name (user@example.org) not listed in Domino Directory

One or more addresses follow "was not delivered to:", and the reason follows "because:".
"""

from __future__ import annotations

import re

from bounced.model import Detection
from bounced.parse.mime import Mail, find_addresses, normalize_address
from bounced.parse.textscan import finding_from_text

PRIORITY = 40

_REPORT = re.compile(r"was not delivered to:\s*\n(?P<to>.*?)\n\s*because:\s*\n(?P<why>.*?)(?:\n\s*\n|\Z)", re.S | re.I)


class Domino:
    name = "domino"

    def detect(self, mail: Mail) -> Detection:
        text = mail.body_text
        if "was not delivered to:" not in text[:4000]:
            return Detection(self.name)
        match = _REPORT.search(text[:8000])
        if match is None:
            return Detection(self.name)
        why = " ".join(match.group("why").split())
        addresses = dict.fromkeys(normalize_address(a) for a in find_addresses(match.group("to")))
        return Detection(self.name, tuple(finding_from_text(a, why) for a in addresses if a))


DETECTOR = Domino()
