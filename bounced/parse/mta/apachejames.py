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

# The error text runs from "Error message below:" to a "Message details:" after a blank line. As one
# regex ("(.+?)\n\s*\n\s*Message details:") it was retried from every such opening line and from
# every line of a run of blank ones, each time to the end of the text: here the opening is found
# once and the gap is matched from its first character only (the lookbehind), each run once.
_ERROR = re.compile(r"^Error message below:\s*\n", re.M | re.I)
_DETAILS = re.compile(r"(?<=\S)(\s*)Message details:", re.I)
_RCPT = re.compile(r"^[^\S\n]*RCPT TO:\s*<?(" + ADDRESS_RE.pattern + r")>?", re.M | re.A | re.I)


def _error(text: str) -> tuple[str, int] | None:
    """The error text and where "Message details:" ends, if the report has both."""
    opening = _ERROR.search(text)
    if opening is None:
        return None
    for details in _DETAILS.finditer(text, opening.end() + 1):
        if details.group(1).count("\n") >= 2:  # a blank line between
            return text[opening.end() : details.start()], details.end()
    return None


class ApacheJames:
    name = "apachejames"

    def detect(self, mail: Mail) -> Detection:
        text = mail.body_text
        error = _error(text)
        if error is None:
            return Detection(self.name)
        said, end = error
        details = text[end : end + 2000]
        findings = [finding_from_text(normalize_address(m.group(1)), said) for m in _RCPT.finditer(details)]
        return Detection(self.name, tuple(f for f in findings if f.address))


DETECTOR = ApacheJames()
