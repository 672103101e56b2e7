"""`mesgtoobig`: the message is larger than the recipient accepts."""

from bounced.classify.reasons import phrases

NAME = "mesgtoobig"
PHRASES = phrases(
    # Postfix: "552 5.3.4 Error: message file too big"
    r"message (?:file |size )?(?:is )?too (?:big|large)",
    r"message (?:size|length) exceeds",
    r"(?<!mailbox )exceed(?:s|ed)? (?:the )?(?:fixed |allowed |local |system )?(?:maximum |max\.? )?(?:message |mail )?(?:size|length)",
    r"(?:max|maximum) message size exceeded",
    r"exceeded maximum inbound message size",
    r"(?:mail|message) size limit",
    r"size limit exceeded",
    r"message size exceeded",
    r"message too large for this",
    r"line limit exceeded",
    r"taille limite du message atteinte",
)
STATUSES = frozenset({"5.3.4", "4.3.4"})
REPLY_CODES: frozenset[int] = frozenset()
