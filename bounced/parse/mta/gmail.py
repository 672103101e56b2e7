"""Gmail's own non-DSN reports (mailer-daemon@googlemail.com, before Gmail sent RFC 3464).

"Delivery to the following recipient(s) failed permanently:" or "... has been delayed:",
the addresses indented on lines of their own, then "Technical details of permanent (or
temporary) failure:" with Google's account and the remote server's reply, up to
"----- Original message -----".  The remote host is named in "by mx.example.org. [ip]".
"""

from __future__ import annotations

import re
from dataclasses import replace

from bounced.model import Action, Detection
from bounced.parse.mime import Mail, returned_text_start
from bounced.parse.textscan import addresses_in, finding_from_text

PRIORITY = 20

_START = re.compile(
    r"^Delivery to the following recipients? (failed permanently|has been delayed|was delayed|failed)", re.M | re.I
)
_DETAILS = re.compile(r"^Technical details of (?:permanent|temporary) failure:[ \t]*\n?", re.M | re.I)
_ORIGINAL = re.compile(r"^ *-+ ?(?:Original message|Message header follows)", re.M | re.I)
_REMOTE = re.compile(r"\bby ([a-z0-9][\w-]*(?:\.[\w-]+)+)\.? \[[\d.:a-f]+\]", re.I)
_RETURNED = re.compile(r"the (?:other|remote) server returned was:\s*", re.I)


class Gmail:
    name = "gmail"

    def detect(self, mail: Mail) -> Detection:
        text = mail.body_text
        start = _START.search(text)
        if start is None:
            return Detection(self.name)
        action = Action.DELAYED if "delayed" in start.group(1).lower() else Action.FAILED
        end = _ORIGINAL.search(text, start.end())
        report = text[start.end() : end.start() if end else returned_text_start(text)]
        details = _DETAILS.search(report)
        listed, said = (report[: details.start()], report[details.end() :]) if details else (report, "")
        said = " ".join(said.split())
        remote = _REMOTE.search(said)
        reply = _RETURNED.search(said)
        findings = []
        for address in addresses_in(listed):
            # The remote server's words, where Google quotes them, say more than Google's preamble.
            finding = finding_from_text(address, said[reply.end() :] if reply else said, action)
            findings.append(replace(finding, remote_mta=remote.group(1).lower() if remote else finding.remote_mta))
        return Detection(self.name, tuple(findings))


DETECTOR = Gmail()
