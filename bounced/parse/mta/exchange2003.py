"""Microsoft Exchange 2000/2003 plain-text NDRs: "Your message did not reach some or all of the intended recipients."

After "The following recipient(s) could not be reached:" (or "Your message ... did not reach
the following recipient(s):") each recipient stands indented as
``user@example.org on 4/29/01 11:34:45 PM`` with the reason and an ``MSEXCH:`` code indented
below it.
"""

import re

from bounced.parse.textscan import Format, TextDetector

PRIORITY = 30

_ENTRY = re.compile(r"^\s*'?(?P<addr>[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+)'?(?:\s+on\s+.*)?(?P<rest>)$", re.A)


class Exchange2003(TextDetector):
    name = "exchange2003"
    formats = (
        Format(
            re.compile(
                r"^[^\S\n]*(?:The following recipient\(s\) could not be reached|did not reach the following recipient\(s\)):[^\n]*\n",
                re.M | re.I,
            ),
            end=re.compile(r"^[^\S\n]*(?:The following recipient\(s\) (?!could not)|-+ ?Original message)", re.M | re.I),
            entry=_ENTRY,
        ),
    )


DETECTOR = Exchange2003()
