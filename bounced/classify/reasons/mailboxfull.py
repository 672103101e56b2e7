"""`mailboxfull`: The mailbox is over its quota."""

import re

NAME = "mailboxfull"
PHRASES = re.compile(
    r"(?:"
    r"mailbox (?:is )?full|"
    r"(?:over|exceeded?|exceeding|exceeds)(?: the| his| her| their| its)? (?:disk |storage |mailbox |email |e-mail )?quota|"
    r"quota (?:exceeded|exceed|full|violation|limit)|"
    r"mailbox (?:size )?(?:limit )?exceeded|"
    r"mail ?box (?:has )?(?:exceeded|reached)|"
    r"insufficient (?:disk )?(?:space|storage)(?! on)|"
    r"(?:storage|mailbox|disk) (?:space )?(?:is )?(?:full|exceeded)|"
    r"not enough (?:storage|space)|"
    r"over ?quota|"
    r"inbox is full|"
    r"user has (?:too many messages|exceeded)|"
    r"too much mail|"
    r"mailfolder is full|"
    r"full mailbox|"
    r"mailbox is over|"
    r"account is full|"
    r"would exceed (?:the )?(?:mailbox|user'?s?) |"
    r"exceed(?:ed|s)? (?:the )?(?:allowed )?(?:mailbox|storage) (?:size|space)|"
    r"is over the allowed quota|"
    r"out of (?:mailbox )?space|"
    r"no space left|"
    r"user'?s? (?:disk|mailbox) (?:quota|is full)|"
    r"quota"
    r")",
    re.I,
)
STATUSES = frozenset({'5.2.2', '4.2.2'})
REPLY_CODES: frozenset[int] = frozenset()
