"""`filtered`: Refused by a per-recipient filter or rule after the address was accepted."""

import re

NAME = "filtered"
PHRASES = re.compile(
    r"(?:"
    r"due to (?:extended )?inactivity|"
    r"refused by (?:the )?recipient|"
    r"(?:rejected|refused|blocked) by (?:the )?(?:user|recipient|mailbox owner)|"
    r"recipient has (?:rejected|refused|blocked)|"
    r"(?:user|recipient) (?:refuses|rejected) to accept|"
    r"does not accept (?:e?mail|messages) from|"
    r"you are not allowed to send|"
    r"not authorized to send to|"
    r"(?:sender|you) (?:is|are) not (?:authorized|allowed|permitted) to send|"
    r"blocked by (?:the )?recipient|"
    r"email address (?:has been )?blocked by the recipient|"
    r"this mailbox is restricted|"
    r"delivery not authorized|"
    r"(?:user|recipient|mailbox) reject|"
    r"message filtered|"
    r"filtered|"
    r"rcpt restricted|"
    r"restricted recipient|"
    r"prohibited"
    r")",
    re.I,
)
STATUSES: frozenset[str] = frozenset()
REPLY_CODES: frozenset[int] = frozenset()
