"""`securityerror`: A security requirement was not met: authentication or TLS required."""

import re

NAME = "securityerror"
PHRASES = re.compile(
    r"(?:"
    r"authentication (?:is )?required|"
    r"must (?:be )?authenticate|"
    r"\b(?:starttls|tls|ssl)\b.{0,30}(?:required|needed|must)|"
    r"encryption (?:is )?required|"
    r"user not authenticated|"
    r"authentication (?:credentials )?invalid|"
    r"unauthorized|"
    r"security|"
    r"certificate|"
    r"\bauth\b|"
    r"sasl|"
    r"smtp auth"
    r")",
    re.I,
)
STATUSES = frozenset({'5.7.0', '4.7.0', '5.7.8', '5.7.10', '5.7.11', '5.7.14', '5.7.15', '5.7.16'})
REPLY_CODES = frozenset({530, 535, 538})
