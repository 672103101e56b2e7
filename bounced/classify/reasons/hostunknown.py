"""`hostunknown`: the recipient domain does not exist or has no usable MX/A record."""

from bounced.classify.reasons import phrases

NAME = "hostunknown"
PHRASES = phrases(
    # Postfix: "Host or domain name not found. Name service error for name=... type=A: Host not found"
    r"host or domain name not found",
    r"host (?:name )?not found(?!, try again)",
    # DragonFly dma: "DNS lookup failure: host x not found"
    r"\bhost \S+ not found",
    r"host unknown",
    r"unknown host",
    # (not Postfix's "Sender address rejected: Domain not found": that is the sender's domain)
    r"(?<!sender address rejected: )(?:recipient |mail |destination )?domain (?:name )?(?:does not exist|not found|is unknown|unknown)",
    r"domain must exist",
    r"no such domain",
    r"nxdomain",
    r"name or service not known",
    # Exim: "Unrouteable address", "Unrouteable mail domain"
    r"unroute?able (?:mail )?(?:domain|address)",
    r"invalid (?:recipient )?domain\b",
    r"illegal host/domain",
    r"domain (?:is )?not reachable",
    r"domain (?:is )?(?:not|no longer) (?:valid|registered)",
    r"all relevant mx records point to non-existent hosts",
    r"couldn'?t find any host named",
    r"the account or domain may not exist",
    r"mail domain mentioned in e-?mail address is unknown",
    r"non-?existent domain",
    r"address domain invalid",
    r"dns records for the destination computer could not be found",
)
STATUSES = frozenset({"5.1.2", "4.1.2"})
REPLY_CODES: frozenset[int] = frozenset()
