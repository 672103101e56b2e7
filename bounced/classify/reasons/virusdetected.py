"""`virusdetected`: The message was judged to carry a virus."""

import re

NAME = "virusdetected"
PHRASES = re.compile(
    r"(?:"
    r"virus|"
    r"malware|"
    r"infected|"
    r"trojan|"
    r"worm|"
    r"harmful (?:content|attachment)|"
    r"malicious"
    r")",
    re.I,
)
STATUSES: frozenset[str] = frozenset()
REPLY_CODES: frozenset[int] = frozenset()
