"""`spamdetected`: the content was judged spam."""

from bounced.classify.reasons import phrases

NAME = "spamdetected"
PHRASES = phrases(
    r"\bspam\b",
    r"\bube\b",
    r"message content rejected",
    r"content (?:was )?rejected",
    r"junk mail",
    r"unsolicited (?:bulk |commercial )?(?:e-?mail|mail|message)",
    r"likely unsolicited",
    r"(?:considered|identified|detected|classified|flagged|marked) as (?:spam|junk|bulk|unsolicited)",
    r"spam ?assassin",
    r"x-spam",
    r"(?:spam|content) filter",
    r"scored? too high",
    r"suspicious (?:message|content|url|link)",
    r"\b(?:uribl|surbl)\b",
    r"mail content denied",
    r"\bphish",
)
STATUSES = frozenset({"5.7.512"})
REPLY_CODES: frozenset[int] = frozenset()
