"""`hostunknown`: The recipient domain does not exist or has no usable MX/A record."""

import re

NAME = "hostunknown"
PHRASES = re.compile(
    r"(?:"
    r"host (?:or domain name )?not found|"
    r"host unknown|"
    r"unknown host|"
    r"domain (?:does not exist|not found|unknown|name not found)|"
    r"name or service not known|"
    r"no such domain|"
    r"nxdomain|"
    r"unrouteable (?:mail )?domain|"
    r"invalid domain|"
    r"illegal host/domain|"
    r"domain (?:is )?(?:not|no longer) (?:valid|registered|in use)|"
    r"no (?:valid )?mx (?:record|host)|"
    r"host name lookup failure|"
    r"all relevant mx records point to non-existent hosts|"
    r"can'?t find the domain|"
    r"dns error: domain|"
    r"recipient domain .* does not exist|"
    r"domain must exist|"
    r"unknown domain|"
    r"non-?existent domain|"
    r"address domain invalid"
    r")",
    re.I,
)
STATUSES = frozenset({'5.1.2', '4.1.2'})
REPLY_CODES: frozenset[int] = frozenset()
