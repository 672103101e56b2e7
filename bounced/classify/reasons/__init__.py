"""One module per reason of reasons.md: each holds its phrases, its status codes and its reply codes.

A reason module has ``NAME``, ``PHRASES`` (a compiled pattern of the wordings that name the reason,
or None), ``STATUSES`` and ``REPLY_CODES`` (what it claims when the text names nothing). It may also
have ``WEAK``: wordings that decide only after the status codes had nothing to say. Patterns are
written in lower case and matched against the lower-cased diagnostic (three times faster than
re.IGNORECASE, and classify() runs once per recipient).
"""

from __future__ import annotations

import importlib
import re
from types import ModuleType


def phrases(*alternatives: str) -> re.Pattern[str]:
    """One pattern for a reason's wordings (each alternative a lower-case regex), for lower-cased text."""
    return re.compile("|".join(f"(?:{a})" for a in alternatives))


# Every reason name of spec/reasons.md that a failed or delayed recipient can get.
NAMES = (
    "userunknown", "hostunknown", "hasmoved", "notaccept", "mailboxfull", "mesgtoobig", "exceedlimit",
    "systemfull", "suspend", "filtered", "rejected", "blocked", "badreputation", "spamdetected",
    "virusdetected", "contenterror", "policyviolation", "authfailure", "requireptr", "securityerror",
    "norelaying", "notcompliantrfc", "syntaxerror", "toomanyconn", "speeding", "networkerror",
    "expired", "systemerror", "mailererror", "onhold", "undefined",
)
# Reasons that are not failures: they come from the report's kind, not from a reason module.
NOT_FAILURES = ("delivered", "feedback", "vacation")
# Reasons whose bounce type is hard: the address itself is dead (notaccept only on a 5xx).
HARD = frozenset({"userunknown", "hostunknown", "hasmoved", "notaccept"})

MODULES: dict[str, ModuleType] = {name: importlib.import_module(f"{__name__}.{name}") for name in NAMES}
