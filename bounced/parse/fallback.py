"""Last-resort reading: flufl.bounce's detectors find the addresses, the text around them says why.

Runs after every format detector.  It gives a result only for messages that look like delivery
failures (a mailer-daemon sender, a failure subject, or a report content type), so that a human
reply that merely quotes an address is not taken for a bounce.
"""

from __future__ import annotations

import re

from bounced.model import Action, Detection, Finding
from bounced.parse.mime import Mail, normalize_address
from bounced.parse.textscan import finding_from_text

_LOOKS_LIKE_BOUNCE = re.compile(
    r"mailer-daemon|postmaster|mail delivery|delivery (?:status|failure|notification|report)|undeliver|"
    r"returned mail|failure notice|non[- ]?delivery|could not be delivered|delivery has failed|nicht zustellbar|"
    r"not delivered|delivery problem|error sending|warning:|message delayed|delayed mail",
    re.I,
)


class Fallback:
    name = "fallback"

    def detect(self, mail: Mail) -> Detection:
        if not _LOOKS_LIKE_BOUNCE.search(mail.sender_line) and mail.content_type != "multipart/report":
            return Detection(self.name)
        from flufl.bounce import all_failures  # imported on first use: most messages never get this far

        try:
            temporary, permanent = all_failures(mail.msg)
        except (LookupError, UnicodeError, ValueError, TypeError, AttributeError):  # flufl reads raw text
            return Detection(self.name)
        report = mail.report
        findings: list[Finding] = []
        for raw, action in [(a, Action.FAILED) for a in sorted(permanent)] + [(a, Action.DELAYED) for a in sorted(temporary)]:
            address = normalize_address(raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw))
            if address and all(f.address != address for f in findings):
                findings.append(finding_from_text(address, _near(report, address), action))
        return Detection(self.name, tuple(findings))


def _near(text: str, address: str) -> str:
    """The lines that follow the first mention of ``address`` up to a blank line."""
    index = text.lower().find(address.lower())
    if index < 0:
        return ""
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n\n", index)
    return text[start : end if end > 0 else start + 1000][:1000]


DETECTOR = Fallback()
