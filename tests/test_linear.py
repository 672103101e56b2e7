"""Parse time grows linearly with the input: the shapes that once made it quadratic, each with its outcome.

The reproducers in fixtures/hostile/ (blank lines, long address headers, a colon-rich
X-Failed-Recipients, ...) are held to their exact result. The same shapes built around a real
report at a megabyte must still give that report's recipient, within a bound that a quadratic
parse would pass by hours (no timing is measured finely here: bench/parse_worst.py does that).
The patterns rewritten for linear time are checked to match as the old ones did.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.parse_worst import FAMILIES
from bounced.model import Action, BounceType, Kind
from bounced.parse import parse_message
from bounced.parse import fallback, mimeparse
from bounced.parse.mime import ADDRESS_RE, MAX_RECIPIENTS, find_addresses, html_to_text

HOSTILE = Path(__file__).resolve().parent.parent / "fixtures" / "hostile"
BOUND = 20.0  # seconds for a 1 MB message: generous (about 1 s is expected); quadratic took hours
MB = 1_000_000
NOT_A_BOUNCE = "not a bounce report: no detector recognised it"
NO_RECIPIENTS = "a report with no recipients"

# fixtures/hostile/<file>: (kind, error)
REPRODUCERS = {
    "blank-lines-16k.eml": NOT_A_BOUNCE,
    "bulletdsn-newlines-16k.eml": NOT_A_BOUNCE,
    "returned-to-32k.eml": NO_RECIPIENTS,
    "to-header-32k.eml": NOT_A_BOUNCE,
    "x-failed-recipients-16k.eml": NO_RECIPIENTS,
    "x-failed-recipients-colons.eml": NOT_A_BOUNCE,  # flufl.bounce's RecursionError is not ours
}


@pytest.mark.parametrize("name", sorted(REPRODUCERS))
def test_reproducer(name: str) -> None:
    bounce = parse_message((HOSTILE / name).read_bytes(), source=name)
    assert (bounce.kind, bounce.recipients, bounce.error) == (Kind.UNKNOWN, (), REPRODUCERS[name])


def test_every_reproducer_is_held() -> None:
    assert sorted(p.name for p in HOSTILE.glob("*.eml")) == sorted(REPRODUCERS)


# -- the same shapes around a real report, at a megabyte ------------------------------------------

_REPORT = (
    b"From: MAILER-DAEMON@mx.example.net\nSubject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n"
    b'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n'
    b"--b\nContent-Type: text/plain\n\nThe mail system\n\n<nobody@example.org>: host mx.example.org[192.0.2.1] said:\n"
    b"    550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown (in reply to RCPT TO command)\n\n"
    b"--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n"
    b"Final-Recipient: rfc822; nobody@example.org\nAction: failed\nStatus: 5.1.1\n"
    b"Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown\n\n"
)
_END = b"--b--\n"


def _with_part(part: bytes) -> bytes:
    return _REPORT + b"--b\n" + part + b"\n" + _END


def _fill(unit: bytes, n: int) -> bytes:
    return unit * (n // len(unit))


SHAPES: dict[str, Callable[[int], bytes]] = {
    "blank lines after the report": lambda n: _REPORT + _END + _fill(b"\n", n),
    "blank lines in a text part": lambda n: _with_part(b"Content-Type: text/plain\n\n" + _fill(b" \n", n)),
    "a long To without @": lambda n: _REPORT.replace(b"MIME-Version", b"To: " + _fill(b"a.", n) + b"\nMIME-Version") + _END,
    "a long X-Failed-Recipients": lambda n: _REPORT.replace(
        b"MIME-Version", b"X-Failed-Recipients: " + _fill(b"a:", n) + b"\nMIME-Version") + _END,
    "returned headers with a long To": lambda n: _with_part(
        b"Content-Type: text/rfc822-headers\n\nFrom: a@example.com\nTo: " + _fill(b"a", n) + b"\nSubject: x\n"),
    "HTML of '<' without '>'": lambda n: _with_part(b"Content-Type: text/html\n\n" + _fill(b"<p", n)),
    "many empty parts": lambda n: _REPORT + _fill(b"--b\n\n", n) + _END,
    "many empty parts, no closing boundary": lambda n: _REPORT + _fill(b"--b\n\n", n),
    "Apache James openings": lambda n: _with_part(b"Content-Type: text/plain\n\n" + _fill(b"Error message below:\n", n)),
    "a bulleted list of blank lines": lambda n: _with_part(
        b"Content-Type: text/plain\n\nDelivery to the following recipients failed permanently:\n" + _fill(b"\n", n)),
    "nested a thousand deep": lambda n: _with_part(
        b"".join(b'Content-Type: multipart/mixed; boundary="N%d"\n\n--N%d\n' % (i, i) for i in range(1000))
        + b"\n" + _fill(b"x\n", n)),
    "a dotted X-Failed-Recipients domain": lambda n: _REPORT.replace(
        b"MIME-Version", b"X-Failed-Recipients: a@" + _fill(b"b.", n) + b" x\nMIME-Version") + _END,
    "RFC 2047 words in the Subject": lambda n: _REPORT.replace(
        b"Subject: Undelivered", b"Subject: " + _fill(b"=?utf-8?b?w6k=?= ", n) + b"Undelivered") + _END,
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_report_is_read_past_a_hostile_megabyte(shape: str) -> None:
    data = SHAPES[shape](MB)
    started = time.perf_counter()
    bounce = parse_message(data)
    elapsed = time.perf_counter() - started
    assert bounce.kind is Kind.BOUNCE, bounce.error
    assert [(r.address, r.action, r.status, r.reply_code, r.reason, r.bounce_type) for r in bounce.recipients] == [
        ("nobody@example.org", Action.FAILED, "5.1.1", 550, "userunknown", BounceType.HARD)
    ]
    assert elapsed < BOUND, f"{shape}: {elapsed:.1f} s for 1 MB"


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_benchmark_family_within_bound(family: str) -> None:
    data = FAMILIES[family](MB)
    started = time.perf_counter()
    bounce = parse_message(data)
    elapsed = time.perf_counter() - started
    assert bounce.error is None or not bounce.error.startswith(("RecursionError", "MemoryError")), bounce.error
    assert elapsed < BOUND, f"{family}: {elapsed:.1f} s for 1 MB"


# -- caps ------------------------------------------------------------------------------------------

def test_recipients_are_capped_and_share_one_reading() -> None:
    """IMail gives every listed recipient the one response: 3000 of them, each the same text."""
    targets = b"".join(b"undeliverable to u%d@example.org\n" % i for i in range(3 * MAX_RECIPIENTS))
    data = (b"From: postmaster@example.com\nSubject: Undeliverable Mail\n\n" + targets
            + b"Body of message generated response:\n550 5.1.1 no such user " + b"here " * 100_000 + b"\n")
    bounce = parse_message(data)
    assert len(bounce.recipients) == MAX_RECIPIENTS
    first, last = bounce.recipients[0], bounce.recipients[-1]
    assert (first.address, last.address) == ("u0@example.org", f"u{MAX_RECIPIENTS - 1}@example.org")
    for r in (first, last):
        assert (r.action, r.status, r.reply_code, r.reason, r.bounce_type) == (
            Action.FAILED, "5.1.1", 550, "userunknown", BounceType.HARD)
        assert len(r.diagnostic) == 4000 and r.diagnostic.startswith("550 5.1.1 no such user here here")
    assert first.diagnostic is last.diagnostic  # read once, not copied per recipient


def test_fallback_reads_a_bounded_copy() -> None:
    """flufl.bounce is handed at most FALLBACK_LINES lines, FALLBACK_PARTS parts, FALLBACK_HEADER per field."""
    data = (b"From: MAILER-DAEMON@example.net\nSubject: Undelivered Mail\nX-Failed-Recipients: " + b"a:" * 5000
            + b'\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n'
            + b"--b\n\n" + b"x\n" * 5000 + b"--b\n\nx\n" * 200 + b"--b--\n")
    from bounced.parse.mime import parse_bytes

    msg = parse_bytes(data)
    copy = fallback._bounded(msg, [fallback.FALLBACK_CHARS, fallback.FALLBACK_LINES, fallback.FALLBACK_PARTS])
    parts = list(copy.walk())
    lines = sum(p.get_payload().count("\n") for p in parts if not p.is_multipart())
    assert len(parts) <= fallback.FALLBACK_PARTS and lines <= fallback.FALLBACK_LINES
    assert max(len(v) for _, v in copy.items()) == fallback.FALLBACK_HEADER
    assert len(list(msg.walk())) == 202  # the message itself is not changed
    assert parse_message(data).error == NOT_A_BOUNCE


def test_x_failed_recipients_are_read_as_far_as_needed() -> None:
    """Gmail's empty delivery-status part: the recipients are X-Failed-Recipients', the first MAX_RECIPIENTS."""
    header = b", ".join(b"u%d@example.org" % (i % (2 * MAX_RECIPIENTS)) for i in range(50_000))
    data = (b"From: MAILER-DAEMON@example.com\nSubject: Delivery Status Notification (Failure)\nX-Failed-Recipients: "
            + header + b'\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n'
            b"--b\nContent-Type: text/plain\n\nThe address was not found.\n"
            b"--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; x\n\n--b--\n")
    bounce = parse_message(data)
    assert [r.address for r in bounce.recipients] == [f"u{i}@example.org" for i in range(MAX_RECIPIENTS)]
    assert {r.diagnostic for r in bounce.recipients} == {"The address was not found."}


def test_mimeparse_gives_up_past_max_parts() -> None:
    data = b'Content-Type: multipart/mixed; boundary="b"\n\n' + b"--b\n\n" * (mimeparse.MAX_PARTS + 1) + b"--b--\n"
    with pytest.raises(mimeparse.Fallback):
        mimeparse.parse_text(data.decode())
    small = b'Content-Type: multipart/mixed; boundary="b"\n\n' + b"--b\n\n" * 10 + b"--b--\n"
    assert len(mimeparse.parse_text(small.decode()).get_payload()) == 10


# -- rewritten patterns match as before ------------------------------------------------------------

_OLD_ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)
_OLD_TAG = re.compile(r"<(?:br|p|div|tr|li|/p|/div|/tr|/li|/h\d)\b[^>]*>", re.I)
_OLD_ANY_TAG = re.compile(r"<(?![^<>@\s]+@)[^>]*>")
# classifier wordings as they were, and as they are (bounced/classify/reasons/)
_OLD_NEW_WORDINGS = [
    (r"\[\S+ [\d.:a-f]+: timed out\]", r"(?<!\S)[^\s\[]*\[\S+ [\d.:a-f]+: timed out\]"),
    (r"violat\w* (?:\S+ ){0,3}?polic(?:y|ies)", r"\b(?>\w*?(?=violat))violat\w*+ (?:\S+ ){0,3}?polic(?:y|ies)"),
]


def _random_texts(pieces: list[str], count: int = 20_000) -> list[str]:
    rng = random.Random(11)
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) for _ in range(count)]


def test_address_pattern_finds_what_it_found() -> None:
    for text in _random_texts(["a", "b.", "@", "@x.org", ".", "-", " ", "<", ">", "é", "!", "/", "\n", "x@y"]):
        assert find_addresses(text) == _OLD_ADDRESS.findall(text), text
        old = _OLD_ADDRESS.search(text)
        assert getattr(ADDRESS_RE.search(text), "span", int)() == getattr(old, "span", int)(), text


def test_html_to_text_as_before() -> None:
    import html as htmllib

    for text in _random_texts(["<", ">", "<p", "<br>", "<a@b.c>", "x", " ", "<div class=x>", "&amp;", "\n", "@"]):
        assert html_to_text(text) == htmllib.unescape(_OLD_ANY_TAG.sub("", _OLD_TAG.sub("\n", text))), text


@pytest.mark.parametrize(("old", "new"), _OLD_NEW_WORDINGS)
def test_wording_matches_as_before(old: str, new: str) -> None:
    from bounced.classify.reasons import MODULES

    assert any(new in m.PHRASES.alternatives for m in MODULES.values() if m.PHRASES is not None)
    pieces = ["[", "x", " ", "1.2", ":", " timed out]", "]", "\n", "violat", "ion", "policy", "ies", "a b ", "é"]
    old_re, new_re = re.compile(old), re.compile(new)
    for text in _random_texts(pieces):
        assert bool(old_re.search(text)) == bool(new_re.search(text)), text


def _groups(pattern: re.Pattern[str], text: str) -> list[tuple[str | None, ...]]:
    return [m.groups() for m in pattern.finditer(text)]


def test_detector_patterns_match_as_before() -> None:
    """Each rewritten detector pattern against the one it replaced, on random lines of its own words."""
    from bounced.parse.mime import _WHOLE
    from bounced.parse.mta import dragonfly, ezweb, mx6, sendmail, zoho

    rng = random.Random(7)

    def text(start: str, pieces: list[str]) -> str:
        return start + "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))

    old_whole = re.compile(r"^[^\s@<>\"(),;:]+@[^\s@<>\"(),;:]+\.[^\s@<>\"(),;:]+$")
    old_listed = re.compile(r"^[ \t]*-{2,} ?The following addresses? (?:had|has) ([\w -]+?) ?-{2,}[ \t]*$", re.M | re.I)
    old_zoho = re.compile(
        r"^\[Status: *(\w+), *Address: *<?([^\s<>,]+@[^\s<>,]+)>?, *(?:ResponseCode *(\d{3}))?[, ]*(.*?)\]?\s*$", re.M)
    old_ezweb = re.compile(r"^\s*Could not be delivered to:\s*<?(?P<addr>[^\s<>]+@[^\s<>]+?)>?(?P<rest>\s*)$", re.I)
    old_dragonfly = re.compile(r"error delivering your mail to <?([^\s<>]+@[^\s<>]+?)>?\.?\s*$", re.M)
    old_mx6 = re.compile(
        r"^The following recipients returned (permanent|temporary) errors:\s*(.+?)\.?\s+Reason:\s*([^\n]+)$", re.M | re.I)
    for _ in range(20_000):
        line = text("", ["a", "@", ".", " ", "b.", "\n", "<", "é", ";", "x@y"])
        assert bool(_WHOLE.match(line)) == bool(old_whole.match(line)), line
        line = text("----- The following addresses had ", ["-", " ", "x", "--", "\n", "\t", "transient"])
        assert [(m.end(), "transient" in m.group(1)) for m in sendmail._LISTED.finditer(line)] == [
            (m.end(), "transient" in m.group(1)) for m in old_listed.finditer(line)], line
        line = text("[Status: x, Address: ", ["a", "@", "<", ">", ",", " ", "]", "b.c", "\n", "x@y", ", ResponseCode 550"])
        assert [g[:3] + (zoho._said(g[3]).strip(", "),) for g in _groups(zoho._BRACKETED, line)] == [
            g[:3] + (g[3].strip(", "),) for g in _groups(old_zoho, line)], line
        line = text(" Could not be delivered to: ", ["a", "@", "<", ">", " ", "b.c", "x@y", "\t"])
        new, old = ezweb._FORMATS[1].entry.match(line), old_ezweb.match(line)
        assert (new and new.groupdict()) == (old and old.groupdict()), line
        line = text("", ["error delivering your mail to ", "x", "a", "@", "<", ">", ".", " ", "\n", "x@y"])
        new_start = next((m for m in dragonfly._START.finditer(line) if dragonfly._address(m)), None)
        old_start = old_dragonfly.search(line)
        assert (new_start and (dragonfly._address(new_start), new_start.end())) == (
            old_start and (old_start.group(1), old_start.end())), line
        line = text("The following recipients returned permanent errors:", ["a", " ", ".", "x@y.org", " Reason: z", ","])
        # a list of blanks alone (no recipient to report) no longer matches
        assert [(g[0], find_addresses(g[1]), g[2]) for g in _groups(mx6._SENTENCE, line)] == [
            (g[0], find_addresses(g[1]), g[2]) for g in _groups(old_mx6, line) if g[1].strip()], line
