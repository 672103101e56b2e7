"""A hosted gateway that answers "We had trouble delivering your message. Full details follow:".

Each failure is one sentence: "The following recipients returned permanent errors:
user@example.org. Reason: SMTP Server <ip> refused to accept your message (DATA), with the
following error message: [554 5.4.6 ...]"; temporary errors say "temporary" instead.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bounced.model import Action, Detection
from bounced.parse.mime import Mail, find_addresses, normalize_address
from bounced.parse.textscan import finding_from_text

PRIORITY = 30

# "(?:\.|(?<!\s))\s+" where "\.?\s+" was: the lazy list ends where the blanks before "Reason:" start,
# not at each of them in turn (each of which ran to the end of a long run of blanks: quadratic).
_SENTENCE = re.compile(
    r"^The following recipients returned (permanent|temporary) errors:\s*(.+?)(?:\.|(?<!\s))\s+Reason:\s*([^\n]+)$",
    re.M | re.I,
)
_SERVER = re.compile(r"SMTP Server <([^>]+)> refused to accept your message \((\w[\w ]*)\)", re.I)
_BRACKETED = re.compile(r"error message:\s*\[(.+)\]", re.I)


class MX6:
    name = "mx6"

    def detect(self, mail: Mail) -> Detection:
        text = mail.body_text
        if "trouble delivering your message" not in text[:400]:
            return Detection(self.name)
        findings = []
        for kind, listed, reason in (m.groups() for m in _SENTENCE.finditer(text)):
            action = Action.DELAYED if kind.lower() == "temporary" else Action.FAILED
            said = _BRACKETED.search(reason)
            server = _SERVER.search(reason)
            for address in find_addresses(listed):
                finding = finding_from_text(normalize_address(address), said.group(1) if said else reason, action)
                if server is not None:
                    finding = replace(finding, remote_mta=server.group(1), command=server.group(2).upper())
                findings.append(finding)
        return Detection(self.name, tuple(findings))


DETECTOR = MX6()
