"""`networkerror`: DNS failure, routing loop, too many hops, connection refused or timed out."""

import re

NAME = "networkerror"
PHRASES = re.compile(
    r"(?:"
    r"(?:connection|connect) (?:timed out|timeout|refused|reset|lost|closed|failed)|"
    r"(?:mail )?loop(?:s|ing)? (?:back to|detected)|"
    r"too many hops|"
    r"hop count exceeded|"
    r"network (?:is )?unreachable|"
    r"no route to host|"
    r"dns (?:error|failure|lookup|temporary)|"
    r"temporary (?:dns|name|lookup) (?:error|failure)|"
    r"could not (?:connect|contact)|"
    r"unable to (?:connect|contact|resolve)|"
    r"(?:lost|dropped) connection|"
    r"name server (?:error|failure)|"
    r"malformed or unexpected name server reply|"
    r"routing (?:loop|error)|"
    r"host (?:is )?(?:unreachable|down|not responding)|"
    r"timed? out|"
    r"unreachable|"
    r"conversation with .* timed out|"
    r"mail for .* loops back to myself"
    r")",
    re.I,
)
STATUSES = frozenset({'4.4.1', '4.4.0', '4.4.2', '4.4.3', '4.4.4', '4.4.5', '4.4.6', '5.4.0', '5.4.1', '5.4.2', '5.4.3', '5.4.4', '5.4.5', '5.4.6', '5.4.8', '5.3.5'})
REPLY_CODES: frozenset[int] = frozenset()
