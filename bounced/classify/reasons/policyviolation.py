"""`policyviolation`: the receiver's policy (not spam or virus) refused the message."""

from bounced.classify.reasons import phrases

NAME = "policyviolation"
PHRASES = phrases(
    # Yahoo: "Email not accepted for policy reasons"; Exchange transport rules: "the message was rejected
    # by organization policy"; Gmail: "This message was blocked because its content presents a potential
    # security issue"
    r"(?:not accepted|rejected|refused|denied|blocked|bounced) (?:for|due to|by) (?:\S+ ){0,3}?polic(?:y|ies)",
    r"polic(?:y|ies) (?:violation|reasons|restrictions)",
    # tried from the first "violat" of a word only: from each of "violatviolat..." the "\w*" ran to its end
    r"\b(?>\w*?(?=violat))violat\w*+ (?:\S+ ){0,3}?polic(?:y|ies)",
    r"content polic(?:y|ies)",
    r"organi[sz]ational settings",
    r"blocked because its content presents a potential",
    r"(?:an )?illegal attachment",
    r"(?<!delivery to )(?:attachment|file|extension)s? (?:type )?(?:is |are )?(?:not allowed|not permitted|blocked|prohibited|forbidden|banned)",
    r"(?:prohibited|forbidden|banned|blocked) (?:attachment|file|extension)",
    r"we do not accept messages containing",
    r"message rejected due to content restrictions",
    r"transport\.rules\.rejectmessage",
    r"policy rejection",
    r"does not allow external forwarding",
    # amavisd-new: "554 5.7.0 Reject, id=... - BANNED: P=p003,L=1,M=multipart/mixed"
    r"- banned:",
    # Exchange "because the recipient is not accepting mail with attachments"; Gmail "552-5.7.0 ... blocked
    # because it has a potentially executable attachment", "The user or domain that you are sending to (or
    # from) has a policy that prohibited the mail"; Mimecast "Anti-Spoofing policy - Inbound not allowed",
    # "Message bounced due to Content Examination Policy"; Google Groups captcha limit; Cox "ESMTP no data
    # before greeting"
    r"recipient is not accepting mail with",
    r"potentially executable attachment",
    r"has a policy that prohibit",
    r"anti-spoofing policy",
    # Mimecast: "554 Host network not allowed": an administrator's Permitted Senders policy, not a blocklist
    r"host network not allowed",
    r"content examination policy",
    r"number of posts without solving a captcha",
    r"no data before greeting",
)
# RFC 3463 X.7.2 mailing list expansion prohibited; RFC 7293 X.7.19 RRVS test cannot be completed
# and Exchange Online 5.7.520 "Your organization does not allow external forwarding"
STATUSES = frozenset({"5.7.2", "5.7.19", "5.7.520"})
REPLY_CODES: frozenset[int] = frozenset()
