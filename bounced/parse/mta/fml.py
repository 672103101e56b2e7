"""fml (a Japanese mailing-list manager) refusing a post: "You are not a member of this mailing list <list>".

fml marks its mail with an ``X-MLServer: fml ...`` header.  The recipient that refused the
message is the list named in the text; the post was not delivered to it.
"""

from __future__ import annotations

import re

from bounced.model import Detection
from bounced.parse.mime import ADDRESS_RE, Mail, normalize_address
from bounced.parse.textscan import finding_from_text

PRIORITY = 20

_REFUSAL = re.compile(
    r"^(.*(?:not a member of|not permitted to post to|rejected by) (?:this )?mailing list\s*<?("
    + ADDRESS_RE.pattern
    + r")>?.*)$",
    re.M | re.I | re.A,
)


class FML:
    name = "fml"

    def detect(self, mail: Mail) -> Detection:
        if not mail.header("X-MLServer").lower().startswith("fml"):
            return Detection(self.name)
        refusal = _REFUSAL.search(mail.body_text)
        if refusal is None:
            return Detection(self.name)
        return Detection(self.name, (finding_from_text(normalize_address(refusal.group(2)), refusal.group(1).strip()),))


DETECTOR = FML()
