"""`userunknown`: the mailbox does not exist."""

from bounced.classify.reasons import phrases

NAME = "userunknown"
PHRASES = phrases(
    # Postfix: "Recipient address rejected: User unknown in local recipient table", local(8)
    r"user unknown",
    r"unknown user",
    # OpenBSD's mail.local, the local delivery agent of OpenSMTPD: "mail.local: unknown name: ghost"
    r"mail\.local: unknown name",
    r"(?:user|recipient|mailbox|addressee|(?<!sender )address) (?:is )?(?:unknown|not known)",
    r"unknown (?:recipient|local[- ]?part|mailbox|e-?mail address|addressee)",
    # Sendmail, Courier, Exim, Exchange, qmail ("Sorry, no mailbox here by that name")
    r"no such (?:user|mailbox|recipient|local user|account|person|e-?mail address)",
    r"no mailbox (?:here )?by that name",
    r"unknown or illegal (?:user|alias)",
    r"(?:user|mailbox|recipient|account|e-?mail address|addressee|(?<!sender )address)"
    r" (?:does not|doesn'?t|did not) exist",
    r"(?:user|mailbox|recipient|e-?mail account|account) (?:was )?not found",
    r"(?:user|mailbox|account|recipient) (?:name )?(?:is )?(?:invalid|not valid)",
    r"invalid (?:recipient|mailbox|user|e-?mail address|address)\b",
    r"not a (?:known|valid) (?:user|recipient|mailbox)",
    r"is not a valid (?:mailbox|user|recipient)",
    r"bad destination mailbox address",
    # Gmail: "The email account that you tried to reach does not exist"
    r"the email account that you tried to reach does not exist",
    # Exchange / Office 365: "Requested action not taken: mailbox unavailable", RESOLVER.ADR.RecipNotFound,
    # "Recipient address rejected: Access denied" (directory-based edge blocking)
    r"requested action not taken: mailbox unavailable",
    r"mailbox (?:is )?unavailable(?! due)",
    r"recipient address rejected: access denied",
    r"the recipient name is not recognized",
    r"recipient not recognized",
    # Yahoo: "This user doesn't have a yahoo.com account"
    r"(?:this|the) user doesn'?t have an? \S+ account",
    # Domino: "User x not listed in Domino Directory" (and the Japanese form)
    r"not listed in (?:the )?(?:domino directory|public name & address book)",
    r"domino ディレクトリには見つかりません",
    r"ディレクトリのリストにありません",
    # Verizon MMS gateway: "No valid recipients for this MM"
    r"no valid recipients? for this",
    # Orange / La Poste: "Adresse d au moins un destinataire invalide. Invalid recipient"
    r"destinataire (?:invalide|inconnu)",
    r"recipient no longer (?:exists|valid)",
    r"this address no longer accepts mail",
    r"address (?:is )?no longer (?:valid|in use)",
)
STATUSES = frozenset({"5.1.1", "4.1.1", "5.1.0", "5.1.3", "5.1.9"})
REPLY_CODES: frozenset[int] = frozenset()
