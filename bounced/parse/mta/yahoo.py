"""Yahoo! Mail (and Yahoo! Japan) failure notices, a qmail descendant.

"Sorry, we were unable to deliver your message to the following address." then
``<user@example.org>:`` and "Remote host said: ..." with the SMTP command in brackets;
the copy of the message follows "--- Below this line is a copy of the message.".
"""

import re

from bounced.parse.textscan import Format, TextDetector

PRIORITY = 30


class Yahoo(TextDetector):
    name = "yahoo"
    formats = (
        Format(
            re.compile(
                r"^Sorry,? we were unable to deliver your message to the following address(?:es)?\.?[^\n]*\n",
                re.I | re.M,
            ),
            end=re.compile(r"^--- Below this line is a copy", re.M),
        ),
    )


DETECTOR = Yahoo()
