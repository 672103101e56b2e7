"""`notaccept`: The domain accepts no mail at all (null MX, RFC 7505)."""

import re

NAME = "notaccept"
PHRASES = re.compile(
    r"(?:"
    r"does not accept mail|"
    r"accepts no mail|"
    r"null mx|"
    r"mail (?:is )?not accepted|"
    r"domain does not receive mail|"
    r"mx (?:record )?(?:points|resolves) to (?:localhost|a local)|"
    r"does not receive e?mail"
    r")",
    re.I,
)
STATUSES = frozenset({'5.7.27', '5.1.10'})
REPLY_CODES = frozenset({521, 556})
