"""`badreputation`: refused because of the sender's low reputation."""

from bounced.classify.reasons import phrases

NAME = "badreputation"
PHRASES = phrases(
    # Gmail: "this message is likely suspicious due to the very low reputation of the sending IP address"
    r"(?:low|poor|bad) (?:e-?mail |sender |sending |ip |domain )?reputation",
    r"(?:ip|domain|sender|sending)(?:/domain)? reputation",
    r"reputation (?:problems?|score)",
    r"sending mta'?s poor reputation",
    # Yahoo: "[TSS04] Messages from x temporarily deferred due to unexpected volume or user complaints"
    r"temporarily deferred due to unexpected volume or user complaints",
)
STATUSES: frozenset[str] = frozenset()
REPLY_CODES: frozenset[int] = frozenset()
