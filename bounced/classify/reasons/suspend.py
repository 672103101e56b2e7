"""`suspend`: The mailbox exists but is disabled or suspended."""

import re

NAME = "suspend"
PHRASES = re.compile(
    r"(?:"
    r"(?:account|mailbox|user|address|recipient)(?: has been| is)? (?:temporarily )?(?:disabled|suspended|inactive|deactivated|locked|blocked|frozen|expired|closed)|"
    r"(?:disabled|suspended|inactive|deactivated|locked|expired|closed) (?:account|mailbox|user|recipient)|"
    r"account (?:not|no longer) (?:active|enabled)|"
    r"user (?:is )?(?:suspended|terminated)|"
    r"currently suspended|"
    r"has been disabled|"
    r"not active|"
    r"this account has been|"
    r"mailbox (?:has been )?(?:is )?(?:disabled|unavailable due)"
    r")",
    re.I,
)
STATUSES: frozenset[str] = frozenset()
REPLY_CODES: frozenset[int] = frozenset()
