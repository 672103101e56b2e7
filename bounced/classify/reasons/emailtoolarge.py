"""`emailtoolarge`: the message is larger than the recipient or its system accepts, or exceeds another per-message limit (Sisimai 5.6 merged mesgtoobig and exceedlimit)."""

from bounced.classify.reasons import phrases

NAME = "emailtoolarge"
PHRASES = phrases(
    # the message size (formerly mesgtoobig)
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
    # another per-message limit (formerly exceedlimit)
    # RFC 3463 X.2.3 "Message length exceeds administrative limit"
    r"exceeds? (?:the )?(?:administrative|per-recipient|recipient'?s?) limit",
    # "552 5.3.4 Message header size exceeds limit" (the header, not the message size)
    r"header size exceeds (?:the )?limit",
)
STATUSES = frozenset({"4.2.3", "4.3.4", "5.2.3", "5.3.4"})
REPLY_CODES: frozenset[int] = frozenset()
