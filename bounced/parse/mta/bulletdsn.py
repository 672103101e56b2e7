"""A plain-text "Delivery Status Notification" with bulleted recipients (an unnamed MTA; Sisimai's X3).

    This is an automatically generated Delivery Status Notification.
    Delevery to the following recipients failed permanently:      (sic, or "was aborted after 5.0 hour(s):")
      * user@example.org
    Technical details:
    SMTP:RCPT host 192.0.2.1: 553 5.3.0 <user@example.org>... No such user

The opening sentence and the technical details together are each recipient's diagnostic.
"""

from __future__ import annotations

import re

from bounced.model import Detection
from bounced.parse.mime import ADDRESS_RE, Mail, normalize_address
from bounced.parse.textscan import finding_from_text

PRIORITY = 15  # before gmail, whose wording it copies; its own banner is the sure sign

# "^[^\S\n]*" where "^\s*" would run from every line start over all the blank lines below it
# (quadratic in a run of them), and "\n[^\S\n]*\n" for "\n\s*\n": both match where the "\s*" forms did.
_HEAD = re.compile(r"^[^\S\n]*(Del[ei]?very to the following recipients? [^\n]*?):[^\S\n]*$", re.M | re.I)
_DETAILS = re.compile(r"Technical details:\s*\n(?P<text>.*?)(?:\n=====|\n[^\S\n]*\n[^\S\n]*\n|\Z)", re.S | re.I)
_LISTED = re.compile(r"^[^\S\n]*\*\s*(\S+@\S+)", re.M)


class BulletDSN:
    name = "bulletdsn"

    def detect(self, mail: Mail) -> Detection:
        text = mail.body_text
        if "automatically generated Delivery Status Notification" not in text[:3000]:
            return Detection(self.name)
        head = _HEAD.search(text)
        if head is None:
            return Detection(self.name)
        details = _DETAILS.search(text, head.end())
        listed = text[head.end() : details.start() if details else head.end() + 2000]
        addresses = dict.fromkeys(normalize_address(m) for m in _LISTED.findall(listed))
        why = " ".join(head.group(1).split())
        if details:
            why += ": " + " ".join(details.group("text").split())
        return Detection(self.name, tuple(finding_from_text(a, why) for a in addresses if a and ADDRESS_RE.search(a)))


DETECTOR = BulletDSN()
