"""`onhold`: it failed, but the reason cannot be decided yet."""

NAME = "onhold"
PHRASES = None  # decided by the classifier's order, not by text
STATUSES: frozenset[str] = frozenset()
REPLY_CODES: frozenset[int] = frozenset()
