"""Microsoft Exchange 2007 and later, and Exchange Online (Office 365), when the NDR comes as plain text.

"Delivery has failed to these recipients or groups:" lists ``user@example.org<mailto:...>``
with a sentence for people; "Diagnostic information for administrators:" then repeats the
address with the remote server's words ("Remote Server returned '550 5.1.1 ...'" or
"#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##"), which are the diagnostic.
"""

from __future__ import annotations

import re

from bounced.model import Detection
from bounced.parse.mime import ADDRESS_RE, Mail, normalize_address
from bounced.parse.textscan import finding_from_text

PRIORITY = 30

_START = re.compile(
    r"^[^\S\n]*Delivery has failed to these recipients or (?:groups|distribution lists):[ \t]*$", re.M | re.I
)
_ADMIN = re.compile(r"^[^\S\n]*Diagnostic information for administrators:[ \t]*$", re.M | re.I)
_END = re.compile(r"^[^\S\n]*Original message headers:|^Received: ", re.M | re.I)
# "\s*+": not given back, which a line of blanks made quadratic (the address cannot start in them)
_LISTED = re.compile(r"^\s*+(?:[^\n<]*?\()?<?(" + ADDRESS_RE.pattern + r")", re.M | re.A)


def _blocks(text: str) -> dict[str, list[str]]:
    """address -> the lines below it (to the next address), in one section of the NDR."""
    blocks: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.split("\n"):
        match = _LISTED.match(line)
        if match is not None and match.start(1) < 60:
            current = blocks.setdefault(normalize_address(match.group(1)), [])
            continue
        if current is not None and line.strip():
            current.append(line.strip())
    return blocks


class Exchange2007:
    name = "exchange2007"

    def detect(self, mail: Mail) -> Detection:
        text = mail.body_text
        start = _START.search(text)
        if start is None:
            return Detection(self.name)
        end = _END.search(text, start.end())
        report = text[start.end() : end.start() if end else start.end() + 8000]
        admin = _ADMIN.search(report)
        people = _blocks(report[: admin.start()] if admin else report)
        technical = _blocks(report[admin.end() :]) if admin else {}
        findings = []
        for address, lines in people.items():
            said = " ".join(technical.get(address) or lines)
            findings.append(finding_from_text(address, said))
        return Detection(self.name, tuple(findings))


DETECTOR = Exchange2007()
