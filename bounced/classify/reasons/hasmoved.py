"""`hasmoved`: the mailbox has moved and left no forwarding address."""

from bounced.classify.reasons import phrases

NAME = "hasmoved"
PHRASES = phrases(
    r"has been replaced by",
    # RFC 5321 551: "User not local; please try <forward-path>"
    r"user not local; please try",
    r"(?:address|mailbox|user) has (?:been )?moved",
    r"no longer at this address",
    r"recipient no longer on server",
)
# RFC 7293 X.7.17/X.7.18: the mailbox's (or domain's) owner has changed since the date the sender gave
STATUSES = frozenset({"5.1.6", "4.1.6", "5.7.17", "5.7.18"})
# (not a bare 551: servers answer it to relay refusals too, "551 sorry, not our customer"; RFC 5321's
# own text, "User not local; please try", is among the wordings above)
REPLY_CODES: frozenset[int] = frozenset()
