"""OpenSMTPD's reports: "This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail."

Failures follow "An error has occurred while attempting to deliver a message for the
following list of recipients:", delays "A message is delayed for more than ... for the
following list of recipients:"; each recipient is ``user@example.org: <reason>`` on one line,
and the copy of the message follows "Below is a copy of the original message:".  Newer
versions add a delivery-status part whose Status is only x.0.0 (read by rfc3464).
"""

import re

from bounced.model import Action
from bounced.parse.textscan import Format, TextDetector

PRIORITY = 30

_END = re.compile(
    r"^[^\S\n]*(?:Below is a copy of the original message|Please note that this is only a temporary failure report)",
    re.M | re.I,
)


class OpenSMTPD(TextDetector):
    name = "opensmtpd"
    formats = (
        Format(
            re.compile(
                r"error has occurred while attempting to deliver a message for\s+the following list of recipients:[^\n]*\n",
                re.I,
            ),
            end=_END,
        ),
        Format(
            re.compile(
                r"message is delayed for more than .{1,40}? for\s+the following\s+list of recipients:[^\n]*\n",
                re.I | re.S,
            ),
            end=_END,
            action=Action.DELAYED,
        ),
    )


DETECTOR = OpenSMTPD()
