"""DragonFly Mail Agent (dma), the small MTA of DragonFly BSD and some Linux systems.

"This is the DragonFly Mail Agent ... There was an error delivering your mail to <addr>."
then the failure: "host [ip] did not like our RCPT TO:" with the server's (multi-line) reply,
or a local error such as "DNS lookup failure: ...".  The returned headers follow
"Message headers follow.".  One recipient per report.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bounced.model import Detection
from bounced.parse.mime import Mail, normalize_address
from bounced.parse.textscan import finding_from_text

PRIORITY = 20

# The word after "to" is taken whole and its address read from it (_address): written as
# "([^\s<>]+@[^\s<>]+?)>?\.?", each "@" of a long word was tried to its end (quadratic).
_START = re.compile(r"error delivering your mail to <?([^\s<>]++)(>?)\.?\s*$", re.M)
_END = re.compile(r"^Message headers follow\.", re.M)
_REMOTE = re.compile(r"^([\w.-]+\.[a-z]{2,}) \[[\d.:a-f]+\] did not like our ([A-Z ]+?):", re.I | re.M)


def _address(start: re.Match[str]) -> str | None:
    """The address of the opening line: its word (with an "@" that has a character on each side),
    less a full stop that ends the sentence where a character stays after the last such "@"."""
    word, bracket = start.group(1), start.group(2)
    at = word.rfind("@", 1, len(word) - 1)
    if at < 0:
        return None
    return word[:-1] if word.endswith(".") and not bracket and at <= len(word) - 3 else word


class DragonFly:
    name = "dragonfly"

    def detect(self, mail: Mail) -> Detection:
        text = mail.body_text
        if "DragonFly Mail Agent" not in text[:500] and "DragonFly Mail Agent" not in mail.header("Received"):
            return Detection(self.name)
        start = next((m for m in _START.finditer(text) if _address(m)), None)
        if start is None:
            return Detection(self.name)
        body = text[start.end() :]
        end = _END.search(body)
        said = body[: end.start()] if end else body[:2000]
        remote = _REMOTE.search(said)
        finding = finding_from_text(normalize_address(_address(start)), said[remote.end() :] if remote else said)
        if remote is not None:
            finding = replace(finding, remote_mta=remote.group(1).lower(), command=remote.group(2).strip().upper())
        return Detection(self.name, (finding,))


DETECTOR = DragonFly()
