"""`contenterror`: malformed content, headers or MIME that the receiver rejects."""

from bounced.classify.reasons import phrases

NAME = "contenterror"
PHRASES = phrases(
    # Sendmail: "554 5.6.9 improper use of 8-bit data in message header"
    r"improper use of 8-bit data",
    r"(?:header|mime|content) (?:error|syntax)",
    r"(?:malformed|invalid|illegal|improperly[- ]formatted) (?:message|mime|header|content|character|binary)",
    r"message (?:contains|has) (?:invalid|illegal|bad)",
    r"headers? (?:size |line )?(?:is |are )?too (?:long|large|many)",
    r"header size exceeds",
    r"message header size",
    r"mime complexity",
    r"unnecessary base64 encoding",
    r"line too long",
    r"data format error",
    # amavisd-new: "554 5.7.0 Reject, id=... - BAD-HEADER"
    r"- bad[- ]header",
    # Gmail: "554 5.6.0 Mail message is malformed. Not accepted."
    r"message is malformed",
    # header defects: "invalid header", "Bad header line", "header field is malformed", "non-ASCII characters in header"
    r"(?:invalid|malformed|illegal|bad|broken|corrupt) (?:\S+ )?header",
    r"header (?:field |line )?(?:is )?(?:invalid|malformed|corrupt)",
    r"non-?ascii (?:characters? )?in (?:the )?(?:message )?header",
    r"unencoded 8-?bit",
)
STATUSES = frozenset({"5.6.0", "5.6.1", "5.6.2", "5.6.3", "5.6.5", "5.6.6", "5.6.9"})
REPLY_CODES: frozenset[int] = frozenset()
