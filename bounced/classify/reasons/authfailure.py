"""`authfailure`: SPF, DKIM or DMARC authentication failed."""

from bounced.classify.reasons import phrases

NAME = "authfailure"
PHRASES = phrases(
    r"\bspf\b[^.;]{0,30}?(?:check |validation |record )?(?:fail|failed|failure|hard ?fail|soft ?fail|error|sender invalid)",
    r"\bspf: \S+ is not allowed to send",
    r"bad spf records?",
    r"sender policy framework",
    r"does not designate \S+ as permitted sender",
    r"\bdkim\b[^.;]{0,30}?(?:fail|failed|failure|invalid|permanently deferred)",
    r"\bdmarc\b[^.;]{0,30}?(?:fail|failed|failure|verification|policy|reject)",
    r"(?:does not|doesn'?t|did not|failed to|fails? to) pass (?:the )?(?:spf|dkim|dmarc|authentication)",
    # Gmail: "Unauthenticated email from x is not accepted due to domain's DMARC policy",
    # "This message does not have authentication information or fails to pass authentication checks"
    r"unauthenticated e-?mail (?:from|is not accepted)",
    r"does not have authentication information",
    r"authentication checks? (?:failed|failure)",
    # GoDaddy IB508: "x is not allowed to send from <domain> per it's SPF Record"
    r"not allowed to send (?:mail )?from \S+ per it'?s spf",
    # Office 365 5.7.515: "... must pass either SPF or DKIM validation, this message is not signed"
    r"(?:requires all senders to authenticate with|must pass) either spf or dkim",
    # pobox's SPF explanation page, quoted by many SPF rejections; "Please inspect your SPF settings"
    r"spf\.pobox\.com/why",
    r"inspect your spf settings",
)
# RFC 5248: X.7.20-X.7.22 no (acceptable, author-matched) DKIM signature, X.7.23/24 SPF, X.7.26 multiple
# checks failed, X.7.29 ARC validation failure; Office 365 5.7.509 DMARC (not 5.7.510, "does not accept
# email over IPv6": blocked)
STATUSES = frozenset({
    "5.7.20", "5.7.21", "5.7.22", "5.7.23", "5.7.24", "5.7.26", "5.7.29", "4.7.23", "4.7.24", "4.7.26", "4.7.29",
    "5.7.509",
})
REPLY_CODES: frozenset[int] = frozenset()
