"""`policyviolation`: The receiver's policy (not spam or virus) refused the message."""

import re

NAME = "policyviolation"
PHRASES = re.compile(
    r"(?:"
    r"policy|"
    r"dmarc|"
    r"attachment (?:type|not allowed|blocked|is not permitted)|"
    r"not (?:allowed|permitted) (?:by|due to) .*(?:policy|rule)|"
    r"prohibited (?:attachment|content|file)|"
    r"(?:forbidden|banned|blocked) (?:attachment|content|file|extension)|"
    r"content policy|"
    r"violat|"
    r"(?:message|email) (?:was |is )?(?:not accepted|refused|rejected) (?:for|due to) (?:policy|security) reasons|"
    r"rejected by (?:local )?rule|"
    r"local policy|"
    r"message rejected due to content restrictions|"
    r"this message was blocked because its content presents|"
    r"administrative prohibition"
    r")",
    re.I,
)
STATUSES = frozenset({'5.7.0', '5.7.9', '5.7.17', '5.7.18', '5.7.19', '5.7.20', '5.7.21', '5.7.22'})
REPLY_CODES: frozenset[int] = frozenset()
