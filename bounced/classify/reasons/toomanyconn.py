"""`toomanyconn`: Too many connections or recipients."""

import re

NAME = "toomanyconn"
PHRASES = re.compile(
    r"(?:"
    r"too many (?:connections|recipients|simultaneous|concurrent|sessions|hops|rcpt)|"
    r"connection (?:limit|rate limit)|"
    r"too many (?:open )?connections|"
    r"(?:max|maximum) (?:number of )?(?:connections|recipients)|"
    r"too many (?:smtp )?sessions|"
    r"recipients? (?:limit|count) (?:reached|exceeded)|"
    r"too many messages in this connection"
    r")",
    re.I,
)
STATUSES = frozenset({'4.3.2', '4.5.3', '5.5.3'})
REPLY_CODES: frozenset[int] = frozenset()
