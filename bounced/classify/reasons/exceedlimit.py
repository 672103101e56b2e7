"""`exceedlimit`: The message exceeds a per-recipient limit other than size."""

import re

NAME = "exceedlimit"
PHRASES = re.compile(
    r"(?:"
    r"message too large for this recipient|"
    r"exceeds (?:the )?(?:recipient'?s?|size) limit|"
    r"limit exceeded"
    r")",
    re.I,
)
STATUSES = frozenset({'5.2.3', '4.2.3'})
REPLY_CODES: frozenset[int] = frozenset()
