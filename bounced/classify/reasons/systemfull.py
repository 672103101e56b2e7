"""`systemfull`: the receiving system is out of disk or storage."""

from bounced.classify.reasons import phrases

NAME = "systemfull"
PHRASES = phrases(
    # RFC 5321 452 "Insufficient system storage"
    r"insufficient system storage",
    r"(?:mail|file) ?system (?:is )?full",
    r"disk (?:is )?full",
    r"no space left on device",
    r"out of disk space",
    r"insufficient disk space on",
)
STATUSES = frozenset({"4.3.1", "5.3.1"})
REPLY_CODES: frozenset[int] = frozenset()
