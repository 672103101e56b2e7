"""Literal strings that every match of a regex must contain: a cheap substring test before a regex search.

Finding them takes the standard library's regex parser, which is written in Python: for the
classifier's four hundred wordings that was a sixth of bounced's import.  So the answers for the
patterns bounced ships are kept in ``regexlits_known.py``, written by ``python -m bounced.regexlits_write``
(tests/test_regexlits.py fails when it is out of date).  A pattern it does not hold is parsed here,
which is slower and never wrong.
"""

from __future__ import annotations

from functools import lru_cache
from re import _constants as _c
from re import _parser  # the standard library's own regex parser
from typing import Any

from bounced.regexlits_known import KNOWN

ASKED: set[str] = set()  # every pattern asked about in this process: what the table should hold


@lru_cache(maxsize=None)
def required_literals(pattern: str) -> tuple[str, ...] | None:
    """Strings one of which every match of ``pattern`` contains (as written: lower-case them for
    a case-insensitive pattern), or None when no such set of 3 characters or more can be told."""
    ASKED.add(pattern)
    return KNOWN[pattern] if pattern in KNOWN else computed(pattern)


def literals_of(alternatives: tuple[str, ...]) -> list[tuple[str, ...] | None]:
    """required_literals of each alternative; those the table lacks from one parse of their alternation."""
    ASKED.update(alternatives)
    unknown = tuple(a for a in alternatives if a not in KNOWN)
    found = dict(zip(unknown, _parsed_together(unknown))) if unknown else {}
    return [KNOWN[a] if a in KNOWN else found[a] for a in alternatives]


def computed(pattern: str) -> tuple[str, ...] | None:
    """required_literals without the table."""
    return _required(_parser.parse(pattern))


def _parsed_together(alternatives: tuple[str, ...]) -> list[tuple[str, ...] | None]:
    parsed = _parser.parse("|".join(f"(?:{a})" for a in alternatives))
    top = parsed.data
    if len(alternatives) == 1:
        return [_required(parsed)]
    if len(top) == 1 and top[0][0] is _c.BRANCH and len(top[0][1][1]) == len(alternatives):
        return [_required(branch) for branch in top[0][1][1]]  # one branch per alternative
    return [computed(a) for a in alternatives]  # the parser factored out a common prefix


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
