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
from re import _constants as _c, _parser  # the standard library's own regex parser
from types import ModuleType
from typing import Any


class Phrases:
    """A reason's wordings: one compiled alternation, searched only when the text holds, for every
    alternative, the longest literal run that alternative cannot match without (a substring test
    in C is far cheaper than trying thirty alternations at every position). Exact: the regex
    decides whenever it could match."""

    def __init__(self, alternatives: tuple[str, ...]) -> None:
        self.pattern = "|".join(f"(?:{a})" for a in alternatives)
        self._regex = re.compile(self.pattern)
        needed = [_required(_parser.parse(a)) for a in alternatives]
        # an alternative with nothing it cannot match without: the regex must always be tried
        self._needles = None if any(n is None for n in needed) else tuple(dict.fromkeys(x for n in needed for x in n))

    def search(self, text: str) -> re.Match[str] | None:
        if self._needles is not None and not any(n in text for n in self._needles):
            return None
        return self._regex.search(text)


def _required(items: Any) -> tuple[str, ...] | None:
    """Strings one of which every match of the parsed regex ``items`` contains, or None.

    A run of top-level literal characters is such a string on its own; a top-level group whose
    branches each have one gives the set of them. The longest single run is preferred."""
    runs: list[str] = []
    sets: list[tuple[str, ...]] = []
    run: list[str] = []
    for op, arg in items:
        if op is _c.LITERAL:
            run.append(chr(arg))
            continue
        runs.append("".join(run))
        run = []
        if op is _c.BRANCH:  # (?:a|b) is inlined by the parser as a bare branch
            branches = [_required(b) for b in arg[1]]
            if all(branches):
                sets.append(tuple(x for b in branches for x in b))  # type: ignore[union-attr]
        elif op is _c.SUBPATTERN:
            found = _required(arg[-1])
            if found:
                sets.append(found)
    runs.append("".join(run))
    longest = max(runs, key=len)
    if len(longest) >= 3:
        return (longest,)
    sets = [s for s in sets if all(len(x) >= 3 for x in s)]
    return min(sets, key=len) if sets else None


def phrases(*alternatives: str) -> Phrases:
    """One pattern for a reason's wordings (each alternative a lower-case regex), for lower-cased text."""
    return Phrases(alternatives)


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
