"""Google Groups: a post to a group that refuses it ("the group you tried to contact may not exist,
or you may not have permission to post messages to the group").

Sent by mailer-daemon@googlemail.com in the poster's language, with the group in
X-Failed-Recipients and a link to groups.google.com; no status code.  Every language says the
same one thing, which Google does not split further: the group does not take this sender's
posts, so the format itself gives the reason (``rejected``: the sender is refused).
"""

from __future__ import annotations

import re

from bounced.model import Action, Detection, Finding
from bounced.parse.mime import Mail, addresses_of

PRIORITY = 20

_GROUP = re.compile(r"@googlegroups\.com\s*$", re.I)


class GoogleGroups:
    name = "googlegroups"

    def detect(self, mail: Mail) -> Detection:
        failed = mail.header("X-Failed-Recipients")
        if not _GROUP.search(failed) or "googlemail.com" not in mail.from_.lower():
            return Detection(self.name)
        report = mail.report
        if "groups.google.com" not in report:
            return Detection(self.name)
        paragraphs = [" ".join(p.split()) for p in report.split("\n\n") if p.strip()]
        # the greeting, then the paragraph that says what happened
        diagnostic = paragraphs[1] if len(paragraphs) > 1 else (paragraphs[0] if paragraphs else "")
        findings = tuple(
            Finding(address=address, action=Action.FAILED, diagnostic=diagnostic[:500], reason="rejected")
            for address in addresses_of(failed)
        )
        return Detection(self.name, findings)


DETECTOR = GoogleGroups()
