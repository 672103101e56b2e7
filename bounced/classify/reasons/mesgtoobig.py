"""`mesgtoobig`: the message is larger than the recipient accepts."""

from bounced.classify.reasons import phrases

NAME = "mesgtoobig"
PHRASES = phrases(
    # Postfix: "552 5.3.4 Error: message file too big"
    r"message (?:file |size )?(?:is )?too (?:big|large)",
    r"message (?:size|length) exceeds",
    # (not "mail file size exceeds the maximum size": the mailbox file, mailboxfull)
    r"(?<!mailbox )(?<!mail file size )exceed(?:s|ed)? (?:the )?(?:fixed |allowed |local |system )?(?:maximum |max\.? )?(?:message |mail )?(?:size|length)",
    # Mimecast: "Maximum email size exceeded"
    r"(?:max|maximum) (?:message|e-?mail|mail) size exceeded",
    # qmail (sic): "The message exeeded the maximum size the user accepts"
    r"maximum size the user accepts",
    r"exceeded maximum inbound message size",
    r"(?:mail|message) size limit",
    r"(?<!mailbox )size limit exceeded",
    r"message size exceeded",
    r"message too large for this",
    r"line limit exceeded",
    r"taille limite du message atteinte",
)
STATUSES = frozenset({"5.3.4", "4.3.4"})
REPLY_CODES: frozenset[int] = frozenset()
