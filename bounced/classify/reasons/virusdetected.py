"""`virusdetected`: the message was judged to carry a virus."""

from bounced.classify.reasons import phrases

NAME = "virusdetected"
PHRASES = phrases(
    r"\bvirus",
    r"malware",
    r"\binfected\b",
    r"trojan",
    r"\bworm\b",
    r"malicious (?:content|code|software|attachment|payload)",
    r"harmful (?:content|attachment)",
)
STATUSES: frozenset[str] = frozenset()
REPLY_CODES: frozenset[int] = frozenset()
