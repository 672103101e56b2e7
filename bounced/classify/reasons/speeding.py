"""`speeding`: the sender was rate limited."""

from bounced.classify.reasons import phrases

NAME = "speeding"
PHRASES = phrases(
    r"rate[ -]?limit(?:ed|ing)?\b",
    # Gmail: "The user you are trying to contact is receiving mail at a rate that prevents additional
    # messages from being delivered"; "... receiving mail too quickly"
    r"receiving mail (?:at a rate|too quickly)",
    r"(?:sending|message|delivery|receiving) rate (?:limit|exceeded)",
    r"too many (?:messages|e-?mails|mails) (?:from|sent|in the last|per|this)",
    r"too many recipients (?:this|per|in the last) (?:hour|day|minute)",
    r"(?:exceeded|reached) (?:the |your )?(?:sending|message|hourly|daily) (?:limit|quota|rate)",
    r"(?:hourly|daily) (?:sending |message )?(?:limit|quota) (?:exceeded|reached)",
    # Gmail 4.7.28: "Our system has detected an unusual rate of unsolicited mail originating from your IP"
    r"unusual rate of unsolicited mail",
    # Gmail: "550 5.4.5 Daily user sending quota exceeded"
    r"sending (?:quota|limit) (?:exceeded|reached)",
    r"throttl",
    r"slow down",
    r"too fast",
)
STATUSES = frozenset({"4.7.28", "5.7.28"})
REPLY_CODES: frozenset[int] = frozenset()
