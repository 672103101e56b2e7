"""`notaccept`: the domain accepts no mail at all (null MX, RFC 7505)."""

from bounced.classify.reasons import phrases

NAME = "notaccept"
PHRASES = phrases(
    # RFC 7505 section 3: "556 5.1.10 Recipient address has null MX"; Gmail: "returned Null MX"
    r"null mx",
    r"does not accept (?:e-?)?mail(?! from)",
    r"doesn'?t (?:accept|receive) (?:e-?)?mail",
    r"does not receive (?:e-?)?mail",
    r"accepts no mail",
    r"mail receiving disabled",
    # RFC 3463 X.3.2 with 521: "System not accepting network messages"
    r"not accepting network messages",
    # Yahoo: "No mx record found for domain=..."; qmail: "Sorry, I couldn't find a mail exchanger or IP address"
    r"no mx record found for domain",
    r"couldn'?t find a mail exchanger or ip address",
)
STATUSES = frozenset({"5.1.10", "4.1.10"})
REPLY_CODES = frozenset({521, 556})
