"""`badreputation`: Refused because of the sender's low reputation."""

import re

NAME = "badreputation"
PHRASES = re.compile(
    r"(?:"
    r"low reputation|"
    r"(?:bad|poor|low) (?:sender |ip |domain )?reputation|"
    r"reputation (?:of|score)|"
    r"our system has detected .* unusual rate|"
    r"this message (?:has been|was) (?:blocked|rejected) because .* reputation"
    r")",
    re.I,
)
STATUSES: frozenset[str] = frozenset()
REPLY_CODES: frozenset[int] = frozenset()
