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
_BLANKS = re.compile(r"(?<!\s)\s+")  # a whole run of white space, matched from its start only


def _runs_shortened(text: str) -> str:
    r"""``text`` with every run of white space that holds line breaks made one or two of them.

    _REPORT reads only whether a run holds one line break or two, and its groups are read word by
    word; but its lazy groups retried each "\n\s*" from every line of a run of blank lines, to
    the run's end (quadratic)."""
    return _BLANKS.sub(lambda m: m.group() if "\n" not in m.group() else "\n\n"[: min(2, m.group().count("\n"))], text)


class Domino:
    name = "domino"

    def detect(self, mail: Mail) -> Detection:
        text = mail.body_text
        if "was not delivered to:" not in text[:4000]:
            return Detection(self.name)
        match = _REPORT.search(_runs_shortened(text[:8000]))
        if match is None:
            return Detection(self.name)
        why = " ".join(match.group("why").split())
        addresses = dict.fromkeys(normalize_address(a) for a in find_addresses(match.group("to")))
        return Detection(self.name, tuple(finding_from_text(a, why) for a in addresses if a))


DETECTOR = Domino()
