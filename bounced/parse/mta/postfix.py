"""Postfix without a DSN part (``notify_classes``/old versions): "This is the mail system at host ...".

Each recipient is ``<user@example.org>: host mx.example.org[192.0.2.1] said: 550 ...``,
the reply folded onto indented lines.
"""

import re

from bounced.parse.textscan import Format, TextDetector

PRIORITY = 30


class Postfix(TextDetector):
    name = "postfix"
    formats = (
        Format(
            re.compile(r"(?:This is the (?:Postfix program|mail system) at host|The mail system)[^\n]*\n", re.I),
            end=re.compile(r"^--- ?Delivery report|^Content-Description: (?:Delivery report|Undelivered Message)", re.M),
        ),
    )


DETECTOR = Postfix()
