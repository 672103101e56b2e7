"""`requireptr`: The sending IP has no PTR record."""

import re

NAME = "requireptr"
PHRASES = re.compile(
    r"(?:"
    r"reverse dns|"
    r"\bptr\b|"
    r"(?:no|missing|unresolvable|invalid) (?:reverse|rdns|ptr)|"
    r"rdns|"
    r"cannot find your hostname|"
    r"reverse (?:dns|lookup|address)|"
    r"client host .* (?:did not resolve|no hostname)|"
    r"ip name lookup failed|"
    r"your hostname|"
    r"unresolvable|"
    r"hostname does not match|"
    r"could not resolve|"
    r"(?:name|host) lookup failed|"
    r"no host name|"
    r"not resolve your"
    r")",
    re.I,
)
STATUSES = frozenset({'5.7.25', '4.7.25'})
REPLY_CODES: frozenset[int] = frozenset()
