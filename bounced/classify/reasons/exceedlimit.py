"""`exceedlimit`: the message exceeds a per-recipient limit other than size."""

from bounced.classify.reasons import phrases

NAME = "exceedlimit"
PHRASES = phrases(
    # RFC 3463 X.2.3 "Message length exceeds administrative limit"
    r"exceeds? (?:the )?(?:administrative|per-recipient|recipient'?s?) limit",
    # "552 5.3.4 Message header size exceeds limit" (the header, not the message size)
    r"header size exceeds (?:the )?limit",
)
STATUSES = frozenset({"5.2.3", "4.2.3"})
REPLY_CODES: frozenset[int] = frozenset()
