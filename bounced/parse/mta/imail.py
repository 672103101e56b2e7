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

# The address is the rest of the line: "\S+@\S+?" with a lazy end would try every "@" of a long
# token and run to its end from each (quadratic); the lookahead asks for an "@" once.
_TO = re.compile(r"^[^\S\n]*undeliverable to (?=\S+@\S)(\S+)[^\S\n]*$", re.M | re.I)
_RESPONSE = re.compile(r"^Body of message generated response:\s*$", re.M | re.I)


_SPACE = re.compile(r"\s*")


def _after(report: str, end: int) -> int:
    """Where the first "undeliverable to" line's match ended when it was written with "\\s*$": at the last
    line break of the blank lines that follow it."""
    blank_end = _SPACE.match(report, end).end()
    return blank_end if blank_end == len(report) else report.rfind("\n", end, blank_end)


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
        said = report[response.end():] if response else report[_after(report, _TO.search(report).end()):]
        said = said.split("\n\n")[0] if "\n\n" in said.strip("\n") else said
        findings = tuple(finding_from_text(a, said) for a in dict.fromkeys(normalize_address(t) for t in targets) if a)
        return Detection(self.name, findings)


DETECTOR = IMail()
