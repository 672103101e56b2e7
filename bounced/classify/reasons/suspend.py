"""`suspend`: the mailbox exists but is disabled or suspended."""

from bounced.classify.reasons import phrases

NAME = "suspend"
PHRASES = phrases(
    r"(?:account|mailbox|user|recipient|address)(?: has been| is| was)?(?: temporarily)?"
    r" (?:disabled|suspended|inactive|deactivated|locked|frozen)",
    r"(?:disabled|suspended|inactive|deactivated|locked) (?:recipient|mailbox|account|user)",
    # Gmail: "The email account that you tried to reach is disabled" / "is inactive"
    r"account that you tried to reach is (?:disabled|inactive)",
    r"(?:account|mailbox)(?: \S+@\S+)? (?:is )?(?:not|no longer) (?:active|enabled)",
    r"user not active",
    r"currently suspended",
    r"(?<!ip )(?<!\d\.\d )has been suspended",
    r"recipient suspend",
    r"temporarily inactive",
    r"temporar(?:il)?y locked",
    # EZweb: "The user(s) account is temporarily limited."
    r"account is temporarily limited",
    # qmail (sic): "Mailaddress is administrativley disabled"
    r"is administrativ\S* disabled",
    # Exchange Online: "Access denied, banned recipient", "mailbox cannot be accessed"
    r"banned recipient",
    r"mailbox cannot be accessed",
    r"(?:closed|disabled) due to (?:extended )?inactivity",
    r"due to (?:extended )?inactivity",
    # Orange / La Poste: "Boite du destinataire archivee. Archived recipient"
    r"boite du destinataire archivee",
    r"archived recipient",
)
STATUSES = frozenset({"5.2.1", "4.2.1", "5.7.13"})
REPLY_CODES: frozenset[int] = frozenset()
