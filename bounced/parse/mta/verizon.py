"""Verizon Wireless MMS gateway (vzwpix.com / vtext.com) NDRs: "Message could not be delivered to mobile."

The reason follows on an "Error:" line; the recipient is only in the quoted "Original
Message:" block, as its "To:".
"""

from __future__ import annotations

import re

from bounced.model import Detection
from bounced.parse.mime import Mail, find_addresses, normalize_address
from bounced.parse.textscan import finding_from_text

PRIORITY = 30

_START = re.compile(r"^Message could not be delivered to mobile\.?\s*$", re.M | re.I)
_ERROR = re.compile(r"^Error:\s*(.+)$", re.M)
_TO = re.compile(r"^Original Message:\s*\n(?:[\w-]+:.*\n)*?To:\s*(.+)$", re.M | re.I)


class Verizon:
    name = "verizon"

    def detect(self, mail: Mail) -> Detection:
        text = mail.body_text
        start = _START.search(text)
        if start is None:
            return Detection(self.name)
        error = _ERROR.search(text, start.end())
        to = _TO.search(text, start.end())
        if to is None:
            return Detection(self.name)
        said = error.group(1).strip() if error else ""
        addresses = dict.fromkeys(normalize_address(a) for a in find_addresses(to.group(1)))
        return Detection(self.name, tuple(finding_from_text(a, said) for a in addresses if a))


DETECTOR = Verizon()
