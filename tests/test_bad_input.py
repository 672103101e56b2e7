"""Inputs that are broken, hostile or huge: each yields exactly one object, quickly, and the stream goes on.

A message that cannot be read gives ``kind: "unknown"`` with an ``error`` string; a broken message
whose report can still be read gives that report.  `bounced parse` exits 0 and goes on with the
next input either way (spec/parse-output.md).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fixtures_expected import EXPECTED, summary

from bounced.cli import cli
from bounced.output import to_dict
from bounced.parse import parse_message

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
GOOD = "postfix-01.eml"
UNKNOWN = {"kind": "unknown", "message_id": None, "recipients": [], "error": True}
USER_UNKNOWN = EXPECTED[GOOD]["recipients"]
BOUNDARY = b"--4RkQ1m2XyZz9tKx.1795342445/mail.example.com"
BOUND = 10.0  # seconds: generous, to catch runaway parsing, not to measure speed
BIG_BOUND = 30.0


def good() -> bytes:
    return (FIXTURES / GOOD).read_bytes()


def nested(levels: int) -> bytes:
    """A message/rfc822 inside a message/rfc822 ... ``levels`` deep."""
    inner = b"From: a@example.com\nTo: b@example.org\nSubject: innermost\nMessage-ID: <inner@example.com>\n\nhello\n"
    for level in range(levels):
        inner = (b"From: a@example.com\nSubject: level %d\nMIME-Version: 1.0\nContent-Type: message/rfc822\n\n" % level) + inner
    return inner


def with_original(original: bytes) -> bytes:
    """postfix-01's report with ``original`` as its returned message."""
    head, sep, _ = good().partition(b"Content-Description: Undelivered Message\n")
    assert sep
    return head + sep + b"Content-Type: message/rfc822\n\n" + original + b"\n" + BOUNDARY + b"--\n"


def huge() -> bytes:
    """A 50 MB report: postfix-01 whose returned message carries about 50 MB of base64 lines."""
    line = b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\n"
    data = good()
    at = data.index(b"Hello, here is what happened")
    return data[:at] + line * (50 * 1024 * 1024 // len(line)) + data[at:]


def junk() -> bytes:
    """Deterministic binary noise: every byte value, NULs and lone CRs included."""
    state, out = 12345, bytearray()
    for _ in range(200_000):
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        out.append(state >> 16 & 0xFF)
    return bytes(out)


def bounce(message_id: str | None) -> dict[str, Any]:
    return {"kind": "bounce", "message_id": message_id, "recipients": USER_UNKNOWN}


# name -> (the bytes, what they must give, time bound)
CASES: dict[str, tuple[Callable[[], bytes], dict[str, Any], float]] = {
    "empty": (lambda: b"", UNKNOWN, BOUND),
    "blank-lines": (lambda: b"\n\r\n\n", UNKNOWN, BOUND),
    "binary-junk": (junk, UNKNOWN, BOUND),
    "one-50MB-line": (lambda: b"x" * 50_000_000, UNKNOWN, BIG_BOUND),
    "nested-2000": (lambda: nested(2000), UNKNOWN, BOUND),
    # The report is whole and at the top; only its returned message is absurdly deep.
    "report-with-nested-2000-original": (lambda: with_original(nested(2000)), bounce(None), BOUND),
    "report-50MB": (huge, bounce("<20261122101402.4711@app1.example.com>"), BIG_BOUND),
}
KNOWN_BAD = sorted(name for name in EXPECTED if name.startswith("known-bad/"))


def case(name: str) -> tuple[bytes, dict[str, Any], float]:
    if name in CASES:
        make, expected, bound = CASES[name]
        return make(), expected, bound
    return (FIXTURES / name).read_bytes(), EXPECTED[name], BOUND


ALL = sorted(CASES) + KNOWN_BAD


@pytest.mark.parametrize("name", ALL)
def test_one_result_in_bounded_time(name):
    data, expected, bound = case(name)
    started = time.monotonic()
    result = to_dict(parse_message(data, source=name))
    elapsed = time.monotonic() - started
    assert summary(result) == expected
    assert elapsed < bound


@pytest.fixture
def run(tmp_path, monkeypatch):
    cfg = tmp_path / "bounced.toml"
    cfg.write_text(f'database = "{tmp_path / "b.db"}"\nbounce_domains = ["bounce.example.com"]\n')
    monkeypatch.setenv("BOUNCED_CONFIG", str(cfg))
    runner = CliRunner()
    return lambda *args: runner.invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize("name", ALL)
def test_the_command_goes_on_with_the_next_input(run, tmp_path, name):
    data, expected, _ = case(name)
    bad = tmp_path / "bad.eml"
    bad.write_bytes(data)
    result = run("parse", "--json", str(bad), str(FIXTURES / GOOD))
    assert result.exit_code == 0
    objects = [json.loads(line) for line in result.output.splitlines()]
    assert [o["source"] for o in objects] == [str(bad), str(FIXTURES / GOOD)]
    assert [summary(o) for o in objects] == [expected, EXPECTED[GOOD]]


def test_unknown_results_say_why(run, tmp_path):
    (tmp_path / "in").mkdir()
    for i, data in enumerate([b"", junk(), nested(2000), (FIXTURES / "known-bad/no-recipients-01.eml").read_bytes()]):
        (tmp_path / "in" / f"{i}.eml").write_bytes(data)
    result = run("parse", "--json", str(tmp_path / "in"))
    assert result.exit_code == 0
    objects = [json.loads(line) for line in result.output.splitlines()]
    assert [o["kind"] for o in objects] == ["unknown"] * 4
    assert all(isinstance(o["error"], str) and o["error"].strip() for o in objects)
    assert all(o["recipients"] == [] for o in objects)


def test_bad_message_inside_an_mbox_does_not_stop_it(run, tmp_path):
    sep = b"From MAILER-DAEMON Sun Nov 22 10:14:05 2026\n"
    box = tmp_path / "mixed.mbox"
    box.write_bytes(sep + good() + b"\n" + sep + junk().replace(b"\nFrom ", b"\nFrum ") + b"\n\n" + sep + good() + b"\n")
    result = run("parse", "--json", str(box))
    assert result.exit_code == 0
    objects = [json.loads(line) for line in result.output.splitlines()]
    assert [summary(o)["kind"] for o in objects] == ["bounce", "unknown", "bounce"]
    assert summary(objects[2]) == EXPECTED[GOOD]


def test_a_directory_that_cannot_be_read_as_mail_is_still_one_object_per_file(run, tmp_path):
    folder = tmp_path / "spool"
    folder.mkdir()
    (folder / "a.eml").write_bytes(b"")
    (folder / "b.eml").write_bytes(good())
    (folder / "c.eml").write_bytes(b"\x00\xff" * 10)
    result = run("parse", "--json", str(folder))
    objects = [json.loads(line) for line in result.output.splitlines()]
    assert (result.exit_code, [o["kind"] for o in objects]) == (0, ["unknown", "bounce", "unknown"])
