"""`userunknown`: the mailbox does not exist."""

from bounced.classify.reasons import phrases

NAME = "userunknown"
PHRASES = phrases(
    # Postfix: "Recipient address rejected: User unknown in local recipient table", local(8)
    r"user unknown",
    r"unknown user",
    # OpenBSD's mail.local, the local delivery agent of OpenSMTPD: "mail.local: unknown name: ghost"
    r"mail\.local: unknown name",
    r"(?:user|recipient|mailbox|addressee|(?<!sender )(?<!ip )(?<!client )(?<!your )(?<!from )(?<!return )address) (?:is )?(?:unknown|not known)",
    # Courier: "550 User <nosuchuser> unknown"; "User (x) unknown"
    r"(?:user|recipient|mailbox) [<(][^\s<>()]+[>)] (?:is )?unknown",
    r"unknown (?:recipient|local[- ]?part|mailbox|e-?mail address|addressee)",
    # Sendmail, Courier, Exim, Exchange, qmail ("Sorry, no mailbox here by that name")
    r"no such (?:user|mailbox|recipient|local user|account|person|e-?mail address)",
    r"no (?:mailbox|account) (?:here )?by that name",
    r"no mail ?box available for this user",
    r"no +\S+ in name directory",
    r"unknown or illegal (?:user|alias)",
    # with the address between: "Mailbox <x> does not exist", "rcpt <x> does not exist",
    # Postfix: "Recipient address rejected: User x does not exist"
    r"(?:user|mailbox|recipient|rcpt|account|e-?mail address|addressee|(?<!sender )(?<!from )address)(?: \S+)?"
    r" (?:does not|doesn'?t|did not) exist",
    # McAfee: "550 <x@example.org>. User not exist"
    r"(?:user|recipient) not exists?\b",
    r"(?:user|mailbox|recipient|e-?mail account|account) (?:was )?not found",
    r"(?:user|mailbox|recipient) \S+ was not found",
    # "<x@example.org> not found" (the recipient in brackets)
    r"(?<!sender )<[^\s<>]+> not found",
    # Exchange: "The email account does not exist at the organization this message was sent to"
    r"does not exist at the organization",
    r"(?:user|mailbox|account|recipient) (?:name )?(?:is )?(?:invalid|not valid)",
    r"(?<!sender )(?<!sender's )(?<!ip )(?<!from )(?<!return )address (?:is )?invalid",
    r"invalid[- ](?:recipient|mailbox|user|e-?mail address|address)\b",
    # IMail: "Invalid final delivery userid"; vpopmail: "vdeliver: Invalid or unknown virtual user"
    r"invalid final delivery userid",
    r"unknown virtual user",
    r"non[- ]?existent (?:user|recipient|mailbox|account)",
    r"bad[-_ ]recipient(?! address syntax)",
    r"can'?t accept user",
    r"destination addresses were unknown",
    r"destination server rejected recipients",
    # Gmail / Google Workspace: "because the address couldn't be found. Check for typos"
    r"(?<!sender )(?<!ip )address could(?:n'?t| not) be found",
    r"not an active address",
    r"not present in (?:the )?directory",
    r"email name is not found",
    r"there is no one at this address",
    r"user missing home directory",
    r"this spectator does not exist",
    # McAfee: "User (x@example.org) unknown"
    r"user \(\S+\) unknown",
    # qmail patches: badrcptto, badrecipientto, validrcptto lists; "Sorry, your envelope recipient has been denied"
    r"badrcptto",
    r"badrecipientto",
    r"not in my validrcptto",
    r"envelope recipient has been denied",
    r"(?<!sender is )not a local address",
    # Exchange Online: "Invalid X.400 address", "Recipient address reserved by RFC 2606",
    # "Recipient addresses in single label domains not accepted"
    r"invalid x\.400 address",
    r"recipient address reserved by rfc ?2606",
    r"addresses in single label domains not accepted",
    r"not a (?:known|valid) (?:user|recipient|mailbox)",
    r"is not a valid (?:mailbox|user|recipient)",
    r"bad destination mailbox address",
    # Gmail: "The email account that you tried to reach does not exist"
    r"the email account that you tried to reach does not exist",
    r"the recipient name is not recognized",
    r"recipient not recognized",
    # Yahoo: "This user doesn't have a yahoo.com account"
    r"(?:this|the) user doesn'?t have an? \S+ account",
    # Domino: "User x not listed in Domino Directory" (and the Japanese form)
    r"not listed in (?:the )?(?:domino directory|public name & address book)",
    r"domino ディレクトリには見つかりません",
    r"non répertorié dans l'annuaire domino",
    r"ディレクトリのリストにありません",
    # Verizon MMS gateway: "No valid recipients for this MM"
    r"no valid recipients? for this",
    # Orange / La Poste: "Adresse d au moins un destinataire invalide. Invalid recipient"
    r"destinataire (?:invalide|inconnu)",
    r"utilisateur inconnu",
    # Italian, Spanish
    r"nessun utente simile in questo indirizzo",
    r"no existe (?:dicha persona|ese usuario)",
    r"recipient no longer (?:exists|valid)",
    r"this address no longer accepts mail",
    r"address (?:is )?(?:wrong or )?no longer (?:valid|in use)",
)
# Wordings that say only that the recipient was refused: RFC 5321's default text of 450 and 550,
# "Requested action not taken: mailbox unavailable", which GMX, web.de and Outlook.com answer at RCPT for
# an address they do not have, but Exchange and others also send after DATA or under a 5.7.x status for a
# content or policy refusal; Postfix's bare "Recipient address rejected." The classifier reads them as
# userunknown only on a 5xx reply at RCPT (or at an unknown phase) whose status, if any, is an addressing
# one (X.1.x) or generic, and only after every other wording had nothing to say (spec rule 7).
AMBIGUOUS = phrases(
    r"requested action not taken: mailbox unavailable",
    # (not Tencent QQ's "550 Mailbox unavailable or access denied", which it answers to refused senders
    # too, nor MailEnable's "mailbox unavailable or not local", its relay refusal)
    r"mailbox (?:is )?unavailable(?! due| or access denied| or not local)",
    r"mailbox \S+@\S+ (?:is )?unavailable",
    r"recipient address rejected\. \(in reply to rcpt to command\)",
)
# X.1.1 bad destination mailbox, X.1.3 bad destination mailbox address syntax (not X.1.0 "other address
# status", a generic code that says nothing of the mailbox: spec rule 7)
STATUSES = frozenset({"5.1.1", "4.1.1", "5.1.3"})
REPLY_CODES: frozenset[int] = frozenset()
