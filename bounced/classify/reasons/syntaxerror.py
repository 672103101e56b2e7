"""`syntaxerror`: An SMTP command had a syntax error."""

import re

NAME = "syntaxerror"
PHRASES = re.compile(
    r"(?:"
    r"syntax error|"
    r"command (?:not )?(?:recognized|unrecognized|implemented)|"
    r"bad sequence of commands|"
    r"unrecognized command|"
    r"parameter not implemented|"
    r"invalid command|"
    r"command unrecognized|"
    r"line too long"
    r")",
    re.I,
)
STATUSES = frozenset({'5.5.2', '5.5.1', '5.5.4', '5.5.0'})
REPLY_CODES = frozenset({500, 501, 502, 503, 504})
