"""`spamdetected`: the content was judged spam."""

from bounced.classify.reasons import phrases

NAME = "spamdetected"
CONTENT_REFUSED = phrases(r"message content rejected", r"content (?:was )?rejected", r"content (?:was )?refused")
PHRASES = phrases(
    r"\bspam\b",
    r"\bube\b",
    # Mimecast "554 Email rejected due to security policies - MCSpamSignature.sa.2.1"; ClamAV's
    # Sanesecurity spam signatures ("Sanesecurity.Spam.1234.UNOFFICIAL", ".Junk.", ".Jurlbl.")
    r"spam ?signature",
    r"sanesecurity\.(?:spam|junk|jurlbl|scam|phish)",
    r"junk mail",
    r"unsolicited (?:bulk |commercial )?(?:e-?mail|mail|message)",
    r"(?:likely|appears to be) unsolicited",
    r"(?:considered|identified|detected|classified|flagged|marked) as (?:spam|junk|bulk|unsolicited)",
    r"spam ?assassin",
    r"x-spam",
    r"(?:spam|content) filter",
    r"scored? too high",
    r"suspicious (?:message|content|url|link)",
    r"\b(?:uribl|surbl)\b",
    r"mail content denied",
    # content refused without saying why: spam under a 5.7.x (policy) status, contenterror under 5.6.x
    # or none (see classify)
    *CONTENT_REFUSED.alternatives,
    r"\bphish",
    # Sisimai's Reason::SpamDetected table: bulk-mail and content classifiers
    # Cyberoam: "... has identified this email as a bulk email"; "rejected due to classification as bulk mail"
    r"(?:this (?:e-?mail|message) |classification )as (?:a )?bulk (?:e-?)?mail",
    r"bulk\.advertising",
    r"using a mass mailer",
    r"spamming not allowed",
    r"recurrent pattern detection",
    r"rejecting (?:banned|mail) content",
    r"(?:black|block)listed url in (?:the )?message",
    r"our system has detected that this message is",
    # 163.com: "... http://mail.163.com/help/help_spam_16.htm"; Orange: "Mail rejete. Mail rejected. OU_506"
    r"mail\.163\.com/help/help_spam",
    r"mail rejete\. mail rejected",
)
# (not Office 365's 5.7.512, "message must be RFC 5322 section 3.6.2 compliant": notcompliantrfc)
STATUSES: frozenset[str] = frozenset()
REPLY_CODES: frozenset[int] = frozenset()
