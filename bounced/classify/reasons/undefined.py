"""`undefined`: a failure whose reason cannot be told at all."""

NAME = "undefined"
PHRASES = None  # decided by the classifier's order, not by text
STATUSES: frozenset[str] = frozenset()
REPLY_CODES: frozenset[int] = frozenset()
