"""One module per reason of reasons.md: each holds its phrases, its status codes and its reply codes."""

from __future__ import annotations

import importlib
from types import ModuleType

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
