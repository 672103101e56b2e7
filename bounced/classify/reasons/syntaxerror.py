"""`syntaxerror`: an SMTP command had a syntax error."""

from bounced.classify.reasons import phrases

NAME = "syntaxerror"
PHRASES = phrases(
    # RFC 5321 500-504
    r"syntax error",
    r"command (?:not )?(?:recognized|unrecognized|implemented)",
    r"unrecognized command",
    r"(?:bad|improper) sequence of commands",
    r"parameter not implemented",
    r"(?:invalid|unknown) command",
)
STATUSES = frozenset({"5.5.0", "5.5.1", "5.5.2", "5.5.4", "5.5.5", "4.5.1", "4.5.2", "4.5.4"})
REPLY_CODES = frozenset({500, 501, 502, 503, 504})
