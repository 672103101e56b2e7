"""`norelaying`: the receiver refused to relay."""

from bounced.classify.reasons import phrases

NAME = "norelaying"
PHRASES = phrases(
    # Postfix: "Relay access denied"; Sendmail: "Relaying denied"; Exchange: "Unable to relay"
    r"relay(?:ing)? (?:access )?(?:denied|disallowed|not (?:allowed|permitted)|prohibited|refused|rejected)",
    r"relay(?:ing)? (?:mail )?(?:for|to) \S+ (?:is )?(?:denied|not (?:allowed|permitted))",
    r"not (?:permitted|allowed|authorized) to relay",
    r"(?:unable|not able) to relay(?! message back)",  # amavisd's "unable to relay message back to MTA" is its own fault
    r"(?:cannot|can'?t) relay",
    r"we do not relay",
    r"no relaying",
    r"not configured to relay",
    r"relay not (?:allowed|permitted)",
    r"isn'?t in my list of allowed rcpthosts?",
    # MessageLabs: "you are trying to use me [server-x] as a relay, but I have not been configured to let you"
    r"as a relay, but i have not been configured",
    # Sendmail "... not local host x, not a gateway"; "Insecure mail relay"; "we don't handle mail for x";
    # "mail server requires authentication when attempting to send to a non-local e-mail address"
    r"\bnot a gateway\b",
    r"not local host",
    r"insecure mail relay",
    r"we don'?t handle mail for",
    r"when attempting to send to a non-local e-?mail address",
    r"\bas a relay\b",
    # "We are not an open relay, so get lost"
    r"not an open relay",
    # MailEnable: "550 Requested action not taken: mailbox unavailable or not local"
    r"mailbox unavailable or not local",
)
STATUSES = frozenset({"5.7.64"})
REPLY_CODES: frozenset[int] = frozenset()
