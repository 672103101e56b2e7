"""Ipswitch IMail Server: "undeliverable to user@example.org", then the remote server's reply.

    Subject: Undeliverable Mail
    undeliverable to user@example.org
    Body of message generated response:
    550-REJECTED - Blacklisted URL in message. ...

Other IMail wordings put the reply after "SMTP: ..." or "Unknown user: ..." lines; the
returned message follows "Original message follows.".
"""

from __future__ import annotations

import re

from bounced.model import Detection
from bounced.parse.mime import Mail, normalize_address
from bounced.parse.textscan import finding_from_text

PRIORITY = 40

_TO = re.compile(r"^\s*undeliverable to (\S+@\S+?)\s*$", re.M | re.I)
_RESPONSE = re.compile(r"^Body of message generated response:\s*$", re.M | re.I)


class IMail:
    name = "imail"

    def detect(self, mail: Mail) -> Detection:
        if "undeliverable" not in mail.subject.lower():
            return Detection(self.name)
        report = mail.report
        targets = _TO.findall(report)
        if not targets:
            return Detection(self.name)
        response = _RESPONSE.search(report)
        said = report[response.end():] if response else report[_TO.search(report).end():]
        said = said.split("\n\n")[0] if "\n\n" in said.strip("\n") else said
        findings = tuple(finding_from_text(a, said) for a in dict.fromkeys(normalize_address(t) for t in targets) if a)
        return Detection(self.name, findings)


DETECTOR = IMail()
