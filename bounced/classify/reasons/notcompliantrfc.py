"""`notcompliantrfc`: The message does not comply with RFC 5322."""

import re

NAME = "notcompliantrfc"
PHRASES = re.compile(
    r"(?:"
    r"rfc ?5322|"
    r"rfc ?2822|"
    r"rfc ?822|"
    r"multiple (?:from|to|subject|date|message-id|sender) headers|"
    r"not (?:rfc|standards)[ -]compliant|"
    r"duplicate (?:header|from|date|message-id)|"
    r"missing (?:required )?(?:header|date|message-id|from)|"
    r"bare line ?feed|"
    r"bare lf|"
    r"not compliant"
    r")",
    re.I,
)
STATUSES: frozenset[str] = frozenset()
REPLY_CODES: frozenset[int] = frozenset()
