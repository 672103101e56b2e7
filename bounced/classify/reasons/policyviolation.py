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
    r"content examination policy",
    r"number of posts without solving a captcha",
    r"no data before greeting",
)
STATUSES = frozenset({"5.7.17", "5.7.18", "5.7.19", "5.7.20", "5.7.21", "5.7.22"})
REPLY_CODES: frozenset[int] = frozenset()
