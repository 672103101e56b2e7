"""`authfailure`: SPF, DKIM or DMARC authentication failed."""

import re

NAME = "authfailure"
PHRASES = re.compile(
    r"(?:"
    r"\bspf\b|"
    r"\bdkim\b|"
    r"dmarc (?:policy|check|fail|reject|verification)|"
    r"sender policy framework|"
    r"not (?:pass|passing) (?:spf|dkim|dmarc|authentication)|"
    r"authentication (?:check|checks)? ?(?:failed|failure)|"
    r"(?:is not|not) (?:an )?authorized (?:sender|to send)|"
    r"not designated|"
    r"unauthenticated (?:email|mail)|"
    r"domain owner'?s? policy|"
    r"fails? (?:to pass )?(?:the )?(?:spf|dkim|dmarc)|"
    r"(?:spf|dkim|dmarc).{0,10}(?:fail|check|hard ?fail|reject)"
    r")",
    re.I,
)
STATUSES = frozenset({'5.7.23', '5.7.24', '5.7.26', '4.7.23', '4.7.24', '4.7.26', '5.7.20', '5.7.21', '5.7.22'})
REPLY_CODES: frozenset[int] = frozenset()
