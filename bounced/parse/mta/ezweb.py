"""au by KDDI's EZweb mail (ezweb.ne.jp) and au one net: "Mail System Error - Returned Mail".

The text part opens in Japanese, then "Each of the following recipients was rejected by a
remote mail server." and, per recipient, "Recipient: <addr>" with the SMTP exchange as
">>> RCPT TO:<addr>" / "<<< 550 ...".  Older reports name the rejected address on a line of
its own *before* that sentence and give no exchange.  au one net says
"Could not be delivered to: <addr>" followed by the cause.
"""

from __future__ import annotations

import re

from bounced.model import Detection
from bounced.parse.mime import ADDRESS_RE, Mail, normalize_address
from bounced.parse.textscan import Format, finding_from_text, scan

PRIORITY = 30

_REJECTED = re.compile(
    r"^Each of the following recipients was rejected by a remote\s+mail server\.[^\n]*\n", re.M | re.I
)
_FORMATS = (
    Format(_REJECTED, end=re.compile(r"^-{10,}", re.M)),
    Format(
        re.compile(r"^Your mail sent on:[^\n]*\n", re.M),
        # the address is the whole word: asked for an "@" once (each "@" of a long word was tried to its end)
        entry=re.compile(
            r"^\s*Could not be delivered to:\s*<?(?=[^\s<>]*?[^\s<>]@[^\s<>])(?P<addr>[^\s<>]++)>?(?P<rest>\s*)$", re.I
        ),
    ),
)
_BARE = re.compile(r"^<?(" + ADDRESS_RE.pattern + r")>?\s*$", re.M | re.A)


class EZweb:
    name = "ezweb"

    def detect(self, mail: Mail) -> Detection:
        text = mail.body_text
        for fmt in _FORMATS:
            findings = scan(text, fmt)
            if findings:
                return Detection(self.name, tuple(findings))
        rejected = _REJECTED.search(text)
        if rejected is None:
            return Detection(self.name)
        # The older form: the address stands alone above the sentence, and that is all it says.
        said = " ".join(rejected.group(0).split())
        addresses = dict.fromkeys(normalize_address(m.group(1)) for m in _BARE.finditer(text[: rejected.start()]))
        return Detection(self.name, tuple(finding_from_text(a, said) for a in addresses if a))


DETECTOR = EZweb()
