"""`spamdetected`: The content was judged spam."""

import re

NAME = "spamdetected"
PHRASES = re.compile(
    r"(?:"
    r"\bspam\b|"
    r"junk mail|"
    r"unsolicited|"
    r"content (?:rejected|filter)|"
    r"message content rejected|"
    r"bulk mail|"
    r"considered (?:as )?(?:spam|junk|unsolicited)|"
    r"identified as spam|"
    r"score|"
    r"suspicious|"
    r"\burl\b.*(?:blocked|listed)|"
    r"uribl|surbl|"
    r"(?:rejected|blocked) (?:as|because|due to) (?:spam|junk)|"
    r"classified as"
    r")",
    re.I,
)
STATUSES = frozenset({'5.7.512'})
REPLY_CODES: frozenset[int] = frozenset()
