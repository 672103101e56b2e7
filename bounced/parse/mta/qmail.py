"""qmail (and netqmail, vpopmail, s/qmail): "Hi. This is the qmail-send program at ...".

Recipients stand as ``<user@example.org>:`` with the remote server's reply on the next lines;
the returned message follows "--- Below this line is a copy of the message.".
"""

import re

from bounced.parse.textscan import Format, TextDetector

PRIORITY = 30


class Qmail(TextDetector):
    name = "qmail"
    formats = (
        Format(
            re.compile(r"(?:This is the qmail-send program|qmail-send|I'm afraid I wasn't able to deliver your message)[^\n]*\n", re.I),
            end=re.compile(r"^--- (?:Below this line|Enclosed is a copy)", re.M),
        ),
    )


DETECTOR = Qmail()
