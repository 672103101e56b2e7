"""`speeding`: The sender was rate limited."""

import re

NAME = "speeding"
PHRASES = re.compile(
    r"(?:"
    r"rate ?limit|"
    r"too many (?:messages|emails|mails)|"
    r"(?:sending|message|delivery|receiving) rate|"
    r"(?:exceeded|reached) (?:the )?(?:sending|message|hourly|daily) (?:limit|quota|rate)|"
    r"(?:try|please try) again later|"
    r"throttl|"
    r"unusual rate|"
    r"slow down|"
    r"too fast|"
    r"(?:receiving|sending) limit|"
    r"please retry later"
    r")",
    re.I,
)
STATUSES = frozenset({'4.7.28', '5.7.28', '4.7.27'})
REPLY_CODES: frozenset[int] = frozenset()
