"""Last-resort reading: flufl.bounce's detectors find the addresses, the text around them says why.

Runs after every format detector.  It gives a result only for messages that look like delivery
failures (a mailer-daemon sender, a failure subject, or a report content type), so that a human
reply that merely quotes an address is not taken for a bounce.
"""

from __future__ import annotations

import copy
import re
from email.message import Message

from bounced.model import Action, Detection, Finding
from bounced.parse.mime import Mail, normalize_address
from bounced.parse.textscan import finding_from_text

_LOOKS_LIKE_BOUNCE = re.compile(
    r"mailer-daemon|postmaster|mail delivery|delivery (?:status|failure|notification|report)|undeliver|"
    r"returned mail|failure notice|non[- ]?delivery|could not be delivered|delivery has failed|nicht zustellbar|"
    r"not delivered|delivery problem|error sending|warning:|message delayed|delayed mail",
    re.I,
)


# What flufl.bounce is given to read. Its detectors try some fifty patterns on every body line
# (85 s for a 10 MB message of short lines), and its address-list parser recurses once per ":"
# (a RecursionError from a 2 KB X-Failed-Recipients). The bounces that reach this detector are
# short notices (the longest in the development corpus has 50 lines), and the format detectors
# before it have read the whole message already.
FALLBACK_CHARS = 64 * 1024  # characters of body text, over all parts
FALLBACK_LINES = 1000  # body lines, over all parts
FALLBACK_HEADER = 1000  # characters of each header field
FALLBACK_PARTS = 50  # MIME parts: flufl walks them all once per pattern


class Fallback:
    name = "fallback"

    def detect(self, mail: Mail) -> Detection:
        if not _LOOKS_LIKE_BOUNCE.search(mail.sender_line) and mail.content_type != "multipart/report":
            return Detection(self.name)
        from flufl.bounce import all_failures  # imported on first use: most messages never get this far

        try:
            temporary, permanent = all_failures(_bounded(mail.msg, [FALLBACK_CHARS, FALLBACK_LINES, FALLBACK_PARTS]))
        # flufl reads raw text; RecursionError: its address-list parser recurses per ":" of a header
        except (LookupError, UnicodeError, ValueError, TypeError, AttributeError, RecursionError):
            return Detection(self.name)
        report = mail.report
        findings: list[Finding] = []
        for raw, action in [(a, Action.FAILED) for a in sorted(permanent)] + [(a, Action.DELAYED) for a in sorted(temporary)]:
            address = normalize_address(raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw))
            if address and all(f.address != address for f in findings):
                findings.append(finding_from_text(address, _near(report, address), action))
        return Detection(self.name, tuple(findings))


def _bounded(msg: Message, budget: list[int]) -> Message:
    """A copy of ``msg`` cut to the budget (characters, lines, parts) left, which it spends; header fields cut too."""
    budget[2] -= 1
    out = copy.copy(msg)
    out._headers = [(name, value[:FALLBACK_HEADER] if isinstance(value, str) else value) for name, value in msg._headers]
    payload = msg._payload
    if isinstance(payload, list):
        out._payload = []
        for part in payload:
            if min(budget) <= 0:
                break
            out._payload.append(_bounded(part, budget) if isinstance(part, Message) else part)
    elif isinstance(payload, str):
        cut = _first_lines(payload[: budget[0]], budget[1])
        budget[0] -= len(cut)
        budget[1] -= cut.count("\n") + 1
        out._payload = cut
    return out


def _first_lines(text: str, lines: int) -> str:
    """``text`` up to its ``lines``-th line break (found by steps, not by splitting all of it)."""
    at = -1
    for _ in range(max(lines, 0)):
        at = text.find("\n", at + 1)
        if at < 0:
            return text
    return text[: at + 1]


def _near(text: str, address: str) -> str:
    """The lines that follow the first mention of ``address`` up to a blank line."""
    index = text.lower().find(address.lower())
    if index < 0:
        return ""
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n\n", index)
    return text[start : end if end > 0 else start + 1000][:1000]


DETECTOR = Fallback()
