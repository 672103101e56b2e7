"""`requireptr`: the sending IP has no PTR record."""

from bounced.classify.reasons import phrases

NAME = "requireptr"
PHRASES = phrases(
    r"reverse (?:dns|lookup|hostname|address|name)",
    r"\bptr\b(?: record|s)?",
    r"\brdns\b",
    # Postfix reject_unknown_client_hostname: "Client host rejected: cannot find your hostname"
    r"cannot find your (?:reverse )?hostname",
    r"ip name lookup failed",
    r"cannot resolve your (?:address|ip|host)",
    r"(?:no|missing|invalid) (?:reverse|rdns|ptr)",
    r"mismatches client ip",
    r"hostname (?:does not|doesn'?t) match",
)
STATUSES = frozenset({"5.7.25", "4.7.25"})
REPLY_CODES: frozenset[int] = frozenset()
