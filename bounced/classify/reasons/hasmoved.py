"""`hasmoved`: The mailbox has moved and left no forwarding address."""

import re

NAME = "hasmoved"
PHRASES = re.compile(
    r"(?:"
    r"has been replaced by|"
    r"user not local; please try|"
    r"address has (?:been )?(?:moved|changed)|"
    r"no longer at this address"
    r")",
    re.I,
)
STATUSES = frozenset({'5.1.6'})
REPLY_CODES = frozenset({551})
