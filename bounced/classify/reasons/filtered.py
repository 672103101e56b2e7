"""`filtered`: refused by a per-recipient filter or rule after the address was accepted."""

from bounced.classify.reasons import phrases

NAME = "filtered"
PHRASES = phrases(
    # Facebook: "Refused due to recipient preferences"; AOL: "the recipient is only accepting mail from
    # specific email addresses"; Exchange: "Delivery not authorized, message refused"
    r"refused due to recipient preferences",
    r"recipient is only accepting mail from specific",
    r"due to (?:the )?recipients?'?s? policy",
    r"due to receiver policy",
    r"delivery not authorized",
    r"resolver\.rst\.notauthorized",
    r"has restricted sms e-?mail",
    r"is not accepting any mail",
    r"message rejected due to user rules",
    r"(?:rejected|refused|blocked) by (?:the )?(?:recipient|user|mailbox owner)",
    r"(?:recipient|user) has (?:rejected|refused|blocked)",
    r"user refuses to accept",
    r"\buser reject",
    r"this account is protected by",
    r"does not accept (?:e-?mail|mail|messages) from (?:you|this sender|your address)",
    r"message filtered",
    r"delivery to this address is restricted",
    r"refuse to receive mail",
    # au (KDDI): "Each of the following recipients was rejected by a remote mail server."
    r"recipients was rejected by a remote mail server",
    # Postfix's default text for an access(5) REJECT on the recipient: a rule about this recipient (not
    # Exchange Online's directory-based edge blocking, which uses the same words: see classify)
    r"recipient address rejected: access denied",
)
# Exchange Online: 5.7.124 "sender not in allowed-senders list", 5.7.133/5.7.134 a group or mailbox that
# accepts only authenticated (internal) senders: a restriction the recipient's owner set
STATUSES = frozenset({"5.2.0", "4.2.0", "5.7.124", "5.7.133", "5.7.134"})
REPLY_CODES: frozenset[int] = frozenset()
