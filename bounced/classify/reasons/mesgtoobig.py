"""`mesgtoobig`: The message is larger than the recipient accepts."""

import re

NAME = "mesgtoobig"
PHRASES = re.compile(
    r"(?:"
    r"message (?:size )?(?:is )?too (?:big|large)|"
    r"(?:size|length) (?:of message )?exceeds|"
    r"exceeds (?:the )?(?:maximum|max) (?:message )?size|"
    r"message size (?:exceeds|limit)|"
    r"message length exceeds|"
    r"mail size limit|"
    r"too large for|"
    r"size limit exceeded|"
    r"message exceeds"
    r")",
    re.I,
)
STATUSES = frozenset({'5.3.4', '4.3.4'})
REPLY_CODES: frozenset[int] = frozenset()
