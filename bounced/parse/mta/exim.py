"""Exim: "A message that you sent could not be delivered to all of its recipients", and its delay warnings.

Each failed address stands on its own line, indented two spaces, with Exim's account of the
SMTP exchange indented below it; the returned message follows "------ This is a copy".
"""

import re

from bounced.model import Action
from bounced.parse.textscan import Format, TextDetector

PRIORITY = 30


class Exim(TextDetector):
    name = "exim"
    sender = re.compile(r"Mail delivery failed|Warning: message .* delayed|Mail Delivery System|Mailer-Daemon|returning message to sender", re.I)
    formats = (
        Format(re.compile(r"(?:following address(?:\(es\)|es)? failed|could not be delivered to (?:all|one or more) of its recipients)[^\n]*\n", re.I)),
        Format(
            re.compile(r"address(?:\(es\)|es)? to which the message has not yet been delivered (?:is|are):[^\n]*\n|has not yet been delivered to (?:all|one or more) of its\s+recipients[^\n]*\n|following address(?:\(es\)|es)? (?:are|have) (?:still )?been delayed[^\n]*\n", re.I),
            action=Action.DELAYED,
        ),
    )


DETECTOR = Exim()
