"""`notcompliantrfc`: the message does not comply with RFC 5322."""

from bounced.classify.reasons import phrases

NAME = "notcompliantrfc"
PHRASES = phrases(
    # Gmail: "This message is not RFC 5322 compliant. There are multiple Subject headers."
    r"rfc ?(?:5322|2822)",
    r"not (?:rfc|standards?)[ -]?compliant",
    r"headers are not rfc compliant",
    r"multiple (?:from|to|cc|subject|date|message-id|sender) headers",
    r"multiple addresses in from",
    r"duplicate (?:from|to|subject|date|message-id|sender) headers?",
    r"missing (?:required )?(?:date|message-id|from) header",
    r"missing (?:a )?required header",
    r"(?:invalid|malformed) (?:from|date|message-id|sender)(?::)? header",
    r"bare (?:lf|line ?feeds?)",
    # Gmail: "Messages missing a valid address in From: header, or having no From: header, are not
    # accepted"; "Messages missing a valid Message-ID header are not accepted"
    r"missing a valid (?:address in from:? header|message-?id header)",
)
# Office 365 5.7.512 "Access denied, message must be RFC 5322 section 3.6.2 compliant"
STATUSES = frozenset({"5.7.512"})
REPLY_CODES: frozenset[int] = frozenset()
