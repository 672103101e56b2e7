"""`mailboxfull`: the mailbox is over its quota."""

from bounced.classify.reasons import phrases

NAME = "mailboxfull"
PHRASES = phrases(
    r"mail ?box (?:is |was )?(?:currently )?full",
    r"(?:inbox|mail ?folder|account|mail ?drop) is full",
    r"full mailbox",
    r"over ?quota",
    r"(?<!sending )(?<!relay )(?<!message )(?<!submission )quota (?:exceeded|exceed|full|violation|limit (?:reached|exceeded))",
    r"(?:exceeds?|exceeded|exceeding|over|reached)(?: the| his| her| their| its| your)?"
    r" (?:disk |storage |mailbox |mail |e-?mail |user'?s? |account )quota",
    # "Account is exceeding their quota", "User is over the quota", "would be over the allowed quota"
    r"(?:exceeding|over)(?: the| his| her| their| its)? (?:allowed )?quota(?! (?:for|of) )",
    # vpopmail: "Maildir delivery failed: Userdisk quota exceeded", "... Domaindisk quota ..."
    r"(?:user|domain)disk quota",
    r"(?:user|recipient|mailbox|account)'?s? (?:disk |mailbox |storage )?quota",
    r"mail ?box (?:size )?(?:limit )?(?:exceeded|has exceeded|has reached)",
    r"mailbox exceeds allowed size",
    r"(?:mailbox|storage) (?:size )?(?:limit )?(?:is )?exceeded",
    r"exceeded (?:the )?(?:allowed )?(?:mailbox|storage) (?:size|space|limit)",
    r"would exceed (?:the )?(?:maximum )?(?:allowed )?(?:mailbox|storage|quota)",
    # (not "insufficient disk space", "not enough disk space": the receiving system's disk, systemfull)
    r"insufficient (?:space|storage)(?! on)",
    r"not enough (?:storage|space)",
    r"(?:not|n'?t) have enough (?:storage )?space",
    r"space has been used up",
    # GoDaddy: "Account storage limit"; Sendmail/mail.local: "Mail file size exceeds the maximum size allowed for mail delivery"
    r"(?:account|mailbox) storage limit",
    r"mail file size exceeds",
    r"out of storage space",
    r"user has (?:too many messages|exceeded)",
    r"too much mail data",
    # RFC 5321 552 "Requested mail action aborted: exceeded storage allocation"
    r"exceeded storage allocation",
    # Postfix local(8): "cannot update mailbox ... error writing message: Disk quota exceeded"
    r"error writing message: (?:file too large|disk quota exceeded)",
    # Orange / La Poste: "Boite du destinataire pleine. Recipient overquota"
    r"boite du destinataire pleine",
    # (not Exchange's SubmissionQuotaExceededException: the sender's submission quota, ratelimited)
    r"(?<!submission)quotaexceededexception",
)
STATUSES = frozenset({"5.2.2", "4.2.2"})
REPLY_CODES: frozenset[int] = frozenset()
