"""regexlits: the literals every match of a pattern holds, and the table of them bounced ships."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from bounced import regexlits
from bounced.classify.reasons import Phrases
from bounced.regexlits_known import KNOWN

# (pattern, what every match must hold: one of these strings, or None when nothing of 3+ letters)
CASES = [
    (r"user unknown", ("user unknown",)),
    (r"unknown (?:recipient|mailbox)", ("unknown ",)),
    (r"(?:recipient|mailbox) rejected", (" rejected",)),
    (r"(?:mailbox|account) (?:is )?full", ("full",)),  # the longest run is preferred to a set
    (r"(?:mailbox|account) (?:is )?(?:full|over)", ("mailbox", "account")),
    (r"no such (?:user|mailbox)\b", ("no such ",)),
    (r"\d{3} \S+", None),
    (r"ab(?:cd)?", None),
    (r"(?:quota|over) ?(?:limit|exceeded)", ("quota", "over")),
]


@pytest.mark.parametrize(("pattern", "expected"), CASES)
def test_required_literals(pattern: str, expected: tuple[str, ...] | None) -> None:
    assert regexlits.computed(pattern) == expected


@pytest.mark.parametrize(("pattern", "expected"), CASES)
def test_every_match_holds_a_literal(pattern: str, expected: tuple[str, ...] | None) -> None:
    samples = ["user unknown", "unknown mailbox", "mailbox rejected", "account is full", "no such user here",
               "550 x", "ab", "abcd", "quota exceeded", "overlimit"]
    for text in samples:
        if re.search(pattern, text) and expected is not None:
            assert any(lit in text for lit in expected), (pattern, text)


def test_alternatives_parsed_together_agree_with_each_alone() -> None:
    alternatives = tuple(p for p, _ in CASES) + (r"(?:this|the) user doesn'?t have an? \S+ account",)
    assert regexlits._parsed_together(alternatives) == [regexlits.computed(a) for a in alternatives]


def test_the_shipped_table_is_current() -> None:
    """Fails after a pattern changed: run `python -m bounced.regexlits_write` and commit the result.
    In a process of its own, so that it sees the patterns bounced asks about and no test's."""
    check = subprocess.run([sys.executable, "-m", "bounced.regexlits_write", "--check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_the_table_holds_what_the_parser_finds() -> None:
    assert len(KNOWN) > 200
    assert {p: regexlits.computed(p) for p in KNOWN} == KNOWN


def test_a_pattern_the_table_lacks_is_parsed() -> None:
    pattern = r"(?:frobnicated|defenestrated) mailbox"
    assert pattern not in KNOWN
    assert regexlits.literals_of((pattern, r"user unknown")) == [(" mailbox",), ("user unknown",)]


def test_plain_and_regex_wordings_match_as_their_regexes_do() -> None:
    wordings = (r"user unknown", r"no such (?:user|mailbox)", r"mailbox (?:is )?unavailable(?! due)", r"\d{3} denied")
    phrases = Phrases(wordings)
    texts = ["550 user unknown", "no such mailbox", "mailbox unavailable due to load", "mailbox is unavailable",
             "554 denied", "nothing here", ""]
    for text in texts:
        assert phrases.search(text) == any(re.search(w, text) for w in wordings), text
