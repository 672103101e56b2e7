"""`rejected`: The sender (envelope from or its domain) is refused."""

import re

NAME = "rejected"
PHRASES = re.compile(
    r"(?:"
    r"sender (?:address )?(?:is )?(?:rejected|refused|denied|invalid|not allowed|blacklisted|blocked|unknown|verify failed)|"
    r"sender address rejected|"
    r"(?:mail from|envelope sender|envelope from)\b.{0,40}(?:rejected|refused|invalid|denied|not allowed)|"
    r"address rejected|"
    r"domain of sender address .* does not exist|"
    r"sender domain (?:must exist|is empty|not found|does not exist|unknown|rejected)|"
    r"(?:sender|from) (?:address|domain) (?:does not|doesn't) (?:exist|resolve)|"
    r"rejected sender|"
    r"(?:sender|from) .*blacklist|"
    r"your (?:email )?address has been (?:blacklisted|blocked)|"
    r"invalid sender|"
    r"unknown sender|"
    r"sender verify failed|"
    r"bogus mail from|"
    r"not allowed to (?:send|post)|"
    r"(?:is|are) not permitted to|"
    r"return path|"
    r"null sender|"
    r"we do not accept mail from|"
    r"spoof|"
    r"from address|"
    r"the sender|"
    r"sender address|"
    r"mail from"
    r")",
    re.I,
)
STATUSES = frozenset({'5.1.8', '5.1.7', '4.1.8', '5.7.12'})
REPLY_CODES: frozenset[int] = frozenset()
