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
    r"(?<!sender address rejected: )(?:recipient |mail |destination )?domain (?:name )?(?:does not exist|doesn'?t exist|not found|is unknown|unknown)",
    # Postfix reject_unknown_recipient_domain: "Recipient address rejected: unknown domain name"
    r"(?<!sender address rejected: )(?<!sender )unknown domain\b",
    r"domain must exist",
    r"no such domain",
    r"nxdomain",
    r"name or service not known",
    # Exim: "Unrouteable address", "Unrouteable mail domain"
    r"unroute?able (?:mail )?(?:domain|address)",
    # (not a bare "invalid domain": servers answer it about the sender's domain or the HELO name too; under
    # a status that says the destination could not be routed (X.4.4) or its system is bad (X.1.2), as
    # Amazon SES words it, "550 5.4.4 Invalid domain", it is the recipient's)
    r"invalid recipient domain\b",
    r"[45]\.(?:4\.4|1\.2) invalid domain\b",
    r"illegal host/domain",
    r"domain (?:is )?not reachable",
    r"domain (?:is )?(?:not|no longer) (?:valid|registered)",
    r"all relevant mx records point to non-existent hosts",
    # qmail: "Sorry, I couldn't find any host named x. (#5.1.2)", "... any host by that name"
    r"couldn'?t find any host\b",
    # Exim: "all host address lookups failed permanently"
    r"all host address lookups failed permanently",
    # Gmail: "DNS Error: DNS server returned answer with no data" (the name has no MX nor A record)
    r"dns server returned answer with no data",
    # no MX and no A, in each MTA's words (spec rule 5): Gmail "DNS type 'mx' lookup of example.org
    # responded with code NOERROR ... had no relevant answers"; OpenSMTPD "No MX found for domain";
    # Exim "all relevant MX records point to non-existent hosts" (above); Exchange "no DNS MX record"
    r"had no relevant answers",
    r"no mx found for (?:domain|destination)",
    r"(?:no|could not find(?: an?)?|couldn'?t find(?: an?)?) (?:dns )?mx (?:or a )?records?\b(?! found for domain)",
    # Google Workspace: "We weren't able to find the recipient domain"
    r"(?:weren'?t|were not|was not|wasn'?t) able to find the recipient domain",
    r"the account or domain may not exist",
    r"mail domain mentioned in e-?mail address is unknown",
    r"non-?existent domain",
    r"address domain invalid",
    r"dns records for the destination computer could not be found",
    # Exchange Online 5.4.310: "DNS domain example.invalid does not exist [Message=InfoDomainNonexistent]"
    r"dns domain \S+ does not exist",
    r"infodomainnonexistent",
)
STATUSES = frozenset({"5.1.2", "4.1.2"})
REPLY_CODES: frozenset[int] = frozenset()
