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

from bounced.regexlits import compile_with_literals


class Phrases:
    """A reason's wordings: one compiled alternation, searched only when the text holds, for every
    alternative, the longest literal run that alternative cannot match without (a substring test
    in C is far cheaper than trying thirty alternations at every position). Exact: the regex
    decides whenever it could match."""

    def __init__(self, alternatives: tuple[str, ...]) -> None:
        self.pattern = "|".join(f"(?:{a})" for a in alternatives)
        # parsed once at import; compiled when a text first holds its literals
        self._regex, needed = compile_with_literals(alternatives)
        # an alternative with nothing it cannot match without: the regex must always be tried
        self._needles = None if any(n is None for n in needed) else tuple(dict.fromkeys(x for n in needed for x in n))
        if self._needles is not None:
            NEEDLES.add(self._needles)

    def search(self, text: str, present: frozenset[str] | set[str] | None = None) -> re.Match[str] | None:
        """The first match in ``text``; ``present``, where given, is NEEDLES.present(text)."""
        if self._needles is not None:
            if present is not None:
                if present.isdisjoint(self._needles):
                    return None
            elif not any(n in text for n in self._needles):
                return None
        return self._regex().search(text)


class Needles:
    """Which of all the phrases' literals a text holds, in one pass over its three-letter runs:
    the classifier asks about thirty reasons of one diagnostic, and this answers for all of them
    at once. Exact: a literal is in the text where a run equals its first three letters and the
    literal starts there (every literal has three letters or more, see regexlits)."""

    def __init__(self) -> None:
        self._by_start: dict[str, list[str]] = {}

    def add(self, needles: tuple[str, ...]) -> None:
        for needle in needles:
            starting = self._by_start.setdefault(needle[:3], [])
            if needle not in starting:
                starting.append(needle)

    def present(self, text: str) -> set[str]:
        found: set[str] = set()
        by_start = self._by_start.get
        starts = text.startswith
        for i in range(len(text) - 2):
            candidates = by_start(text[i : i + 3])
            if candidates:
                for needle in candidates:
                    if starts(needle, i):
                        found.add(needle)
        return found


NEEDLES = Needles()


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
