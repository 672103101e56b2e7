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
from collections.abc import Callable
from types import ModuleType

from bounced.regexlits import literals_of

_REGEX_SYNTAX = re.compile(r"[\\.^$*+?{}\[\]|()]")


class Phrases:
    """A reason's wordings. A plain wording (no regex syntax) is found by the literal index alone;
    any other is a regex searched only when the text holds the longest literal run that wording
    cannot match without (a substring test in C is far cheaper than a regex search, and the
    standard library's regex compiler, written in Python, is the dearest part of start-up).
    Exact: a wording's regex decides whenever it could match."""

    def __init__(self, alternatives: tuple[str, ...]) -> None:
        self.alternatives = alternatives
        plain = [not _REGEX_SYNTAX.search(a) and len(a) >= 3 for a in alternatives]
        # the regex wordings parsed once at import for their literals, each compiled when a text first holds them
        patterns = tuple(a for a, is_plain in zip(alternatives, plain) if not is_plain)
        needed = iter(literals_of(patterns) if patterns else ())
        self._wordings: list[tuple[tuple[str, ...] | None, Callable[[], re.Pattern[str]] | None]] = [
            ((a,), None) if is_plain else (next(needed), _lazy(a)) for a, is_plain in zip(alternatives, plain)
        ]
        self._needles = tuple(dict.fromkeys(x for n, _ in self._wordings if n is not None for x in n))
        self._always = any(n is None for n, _ in self._wordings)  # a wording that must be tried on every text
        NEEDLES.add(self._needles, self)

    def search(self, text: str, present: frozenset[str] | set[str] | None = None) -> bool:
        """Whether ``text`` holds one of the wordings; ``present``, where given, is NEEDLES.present(text)."""
        if present is None:
            present = {n for n in self._needles if n in text}
        if not self._always and present.isdisjoint(self._needles):
            return False  # the common case: none of its wordings can be in the text
        for needles, regex in self._wordings:  # needles None: nothing it cannot match without, always tried
            if needles is None or not present.isdisjoint(needles):
                if regex is None or regex().search(text):
                    return True  # a plain wording is in the text when its literal is
        return False


def _lazy(pattern: str) -> Callable[[], re.Pattern[str]]:
    compiled: list[re.Pattern[str]] = []

    def regex() -> re.Pattern[str]:
        if not compiled:
            compiled.append(re.compile(pattern))
        return compiled[0]

    return regex


class Needles:
    """Which of all the phrases' literals a text holds, in one pass over its three-letter runs:
    the classifier asks about thirty reasons of one diagnostic, and this answers for all of them
    at once. Exact: a literal is in the text where a run equals its first three letters and the
    literal starts there (every literal has three letters or more, see regexlits)."""

    def __init__(self) -> None:
        self._by_start: dict[str, list[str]] = {}
        self._owners: dict[str, set[Phrases]] = {}  # literal -> the phrases whose wordings need it
        self._always: set[Phrases] = set()  # phrases with a wording that has no literal to look for

    def add(self, needles: tuple[str, ...], owner: Phrases) -> None:
        for needle in needles:
            starting = self._by_start.setdefault(needle[:3], [])
            if needle not in starting:
                starting.append(needle)
            self._owners.setdefault(needle, set()).add(owner)
        if owner._always:
            self._always.add(owner)

    def hopeful(self, present: set[str]) -> set[Phrases]:
        """The phrases that may match a text holding ``present``: the others cannot."""
        found = set(self._always)
        for needle in present:
            found |= self._owners[needle]
        return found

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
    "userunknown", "hostunknown", "hasmoved", "notaccept", "mailboxfull", "emailtoolarge",
    "systemfull", "suspend", "filtered", "rejected", "blocked", "badreputation", "spamdetected",
    "virusdetected", "contenterror", "policyviolation", "authfailure", "requireptr", "securityerror",
    "norelaying", "notcompliantrfc", "syntaxerror", "ratelimited", "networkerror", "failedstarttls", "suppressed",
    "expired", "systemerror", "mailererror", "onhold", "undefined",
)
# Reasons that are not failures: they come from the report's kind, not from a reason module.
NOT_FAILURES = ("delivered", "feedback", "vacation")
# Reasons whose bounce type is hard: the address itself is dead (notaccept only on a 5xx), or a relay
# will never deliver to it (suppressed).
HARD = frozenset({"userunknown", "hostunknown", "hasmoved", "notaccept", "suppressed"})

MODULES: dict[str, ModuleType] = {name: importlib.import_module(f"{__name__}.{name}") for name in NAMES}
