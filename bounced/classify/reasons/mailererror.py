"""`mailererror`: The receiving mail program (a local delivery agent or pipe) failed."""

import re

NAME = "mailererror"
PHRASES = re.compile(
    r"(?:"
    r"(?:local )?mailer (?:error|failure)|"
    r"exited with (?:status|exit code)|"
    r"command (?:died|failed|output)|"
    r"pipe to \||"
    r"procmail|"
    r"\bmaildrop\b|"
    r"unknown mailer error|"
    r"delivery agent|"
    r"child (?:process )?exited|"
    r"x-unix;|"
    r"program (?:exited|failed)|"
    r"(?:dovecot|deliver|lda|lmtp)(?: error)?:|"
    r"permission denied|"
    r"sh: |"
    r"exit(?:ed)? (?:code|status) \d+"
    r")",
    re.I,
)
STATUSES: frozenset[str] = frozenset()
REPLY_CODES: frozenset[int] = frozenset()
