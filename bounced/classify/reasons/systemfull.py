"""`systemfull`: the receiving system is out of disk or storage."""

from bounced.classify.reasons import phrases

NAME = "systemfull"
PHRASES = phrases(
    # RFC 5321 452 "Insufficient system storage"
    # Exchange: "452 4.3.1 Insufficient system resources"
    r"insufficient system (?:storage|resources)",
    r"(?:mail|file) ?system (?:is )?full",
    r"disk (?:is )?full",
    r"no space left on device",
    r"out of disk space",
    r"insufficient disk space",
    r"(?:not enough|no|low|out of) (?:free )?disk space",
    r"disk space (?:is )?(?:low|full|exhausted)",
    r"(?:file ?system|partition|spool|volume) (?:is )?full",
    # qmail: "Requested action not taken: mailbox unavailable (not enough free space)"
    r"not enough free space",
)
STATUSES = frozenset({"4.3.1", "5.3.1"})
REPLY_CODES: frozenset[int] = frozenset()
