"""One bad header, part, charset or date degrades that one value, never the message.

The reproducers found by fuzzing are fixtures (fixtures/hostile-headers/, fixtures/known-bad/, each
with a README line); each one's whole result is asserted here.  Then the decoding edges one by
one: header values, part bodies, dates, addresses, and the pipeline's conversion of report dates.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.header import Header
from pathlib import Path
from typing import Any

import pytest

from bounced.config import Settings
from bounced.model import Finding
from bounced.output import to_dict
from bounced.parse import _addressed, parse_message
from bounced.parse.decode import decode_bytes, decode_header, parse_date, part_text
from bounced.parse.mime import normalize_address, parse_bytes
from bounced.pipeline import Pipeline, _utc
from bounced.store import Store

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
NOTHING = {"message_id": None, "envelope_id": None, "from": None, "subject": None}

# postfix-01's whole result: the hostile-headers/ files derived from it must give exactly this.
POSTFIX_01 = {
    "kind": "bounce",
    "recipients": [{
        "address": "nobody@example.org", "action": "failed", "status": "5.1.1", "reply_code": 550,
        "reason": "userunknown", "bounce_type": "hard",
        "diagnostic": "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in local recipient table",
        "remote_mta": "mx.example.org", "final_recipient": "rfc822; nobody@example.org",
        "original_recipient": "rfc822;nobody@example.org", "rule": "status 5.1.1",
    }],
    "original": {"message_id": "<20261122101402.4711@app1.example.com>", "envelope_id": None,
                 "from": "news@example.com", "subject": "November newsletter"},
    "verp": None,
    "reporting_mta": "mail.example.com",
    "arrival_date": "2026-11-22T10:14:03+00:00",
}


def unknown(error: str) -> dict[str, Any]:
    return {"kind": "unknown", "recipients": [], "original": NOTHING, "verp": None, "reporting_mta": None,
            "arrival_date": None, "error": error}


NO_DETECTOR = "not a bounce report: no detector recognised it"
NO_HEADER = "not a mail message: no header fields"

REPRODUCERS: dict[str, dict[str, Any]] = {
    "hostile-headers/bad-base64-word-01.eml": POSTFIX_01,
    "hostile-headers/nul-charset-word-01.eml": POSTFIX_01,
    "hostile-headers/idna-word-01.eml": POSTFIX_01,
    "hostile-headers/punycode-word-01.eml": POSTFIX_01,
    # the date has no UTC equivalent: it is left out, the report is read
    "hostile-headers/arrival-date-9999-01.eml": {
        "kind": "bounce",
        "recipients": [{
            "address": "user@example.org", "action": "failed", "status": "5.1.1", "reply_code": 550,
            "reason": "userunknown", "bounce_type": "hard", "diagnostic": "550 5.1.1 <user@example.org>: User unknown",
            "remote_mta": None, "final_recipient": "rfc822; user@example.org", "original_recipient": None,
            "rule": "status 5.1.1",
        }],
        "original": NOTHING,
        "verp": None,
        "reporting_mta": "mx.evil.example",
        "arrival_date": None,
    },
    "known-bad/empty-charset-word-01.eml": unknown(NO_DETECTOR),
    "known-bad/failed-recipients-colons-01.eml": unknown(NO_DETECTOR),
    "known-bad/deep-nesting-01.eml": unknown("MIME parts nested deeper than 40 levels: those below were not read, and no report above them"),
    "known-bad/punycode-charset-part-01.eml": unknown(NO_DETECTOR),
    "known-bad/punycode-word-01.eml": unknown(NO_DETECTOR),
    "known-bad/undefined-charset-part-01.eml": unknown(NO_DETECTOR),
    "known-bad/nul-charset-header-01.eml": unknown(NO_DETECTOR),
    "known-bad/nul-charset-part-01.eml": unknown(NO_DETECTOR),
    # "Final-Recipient:@Q", "@>l", "@": no address, so no recipient (the contract has no room for them)
    "known-bad/no-local-part-01.eml": unknown(NO_HEADER),
    "known-bad/bracket-domain-01.eml": unknown(NO_HEADER),
    "known-bad/delay-and-delivered-01.eml": unknown(NO_HEADER),
    "known-bad/iso2022jp-8bit-attached-01.eml": {
        "kind": "feedback",
        "recipients": [{
            "address": None, "action": "delivered", "status": None, "reply_code": None, "reason": "feedback",
            "bounce_type": "none", "diagnostic": "", "remote_mta": None, "final_recipient": None, "original_recipient": None,
            "rule": "format states feedback",
        }],
        "original": NOTHING,
        "verp": None,
        "reporting_mta": None,
        "arrival_date": None,
    },
}


@pytest.mark.parametrize("name", sorted(REPRODUCERS))
def test_reproducer_parses_in_full(name):
    result = to_dict(parse_message((FIXTURES / name).read_bytes(), source=name))
    assert result.pop("source") == name
    assert result == REPRODUCERS[name]


def test_every_reproducer_fixture_is_listed_in_its_readme():
    for name in REPRODUCERS:
        folder, file = name.split("/")
        assert f"`{file}`" in (FIXTURES / folder / "README.md").read_text()


# A report whose notification part carries the damage, or whose Subject does: still the report.
def _postfix_01_with(old: bytes, new: bytes) -> bytes:
    data = (FIXTURES / "postfix-01.eml").read_bytes()
    assert old in data
    return data.replace(old, new, 1)


SUBJECT = b"Subject: Undelivered Mail Returned to Sender"
TEXT_PART = b"Content-Type: text/plain; charset=utf-8"
BOUNDARY = b'boundary="4RkQ1m2XyZz9tKx.1795342445/mail.example.com"'
DAMAGED = {
    "subject-utf7-garbage": (SUBJECT, b"Subject: =?utf-7?q?+AGEAYgBj-+?="),
    "subject-unknown-charset": (SUBJECT, b"Subject: =?x-no-such-charset?q?abc?="),
    "subject-nul-in-charset": (SUBJECT, b"Subject: =?utf-8\x00?q?abc?="),
    "subject-8bit-latin1": (SUBJECT, b"Subject: Unzustellbar: \xe4\xf6\xfc"),
    "subject-overlong-words": (SUBJECT, b"Subject: " + b"=?utf-8?b?w6k=?= " * 5000),
    "part-charset-punycode": (TEXT_PART, b"Content-Type: text/plain; charset=punycode"),
    "part-charset-undefined": (TEXT_PART, b"Content-Type: text/plain; charset=undefined"),
    "part-charset-rfc2231-garbage": (TEXT_PART, b"Content-Type: text/plain; charset*=unknown''%FF%00"),
    "part-charset-utf16": (TEXT_PART, b"Content-Type: text/plain; charset=utf-16"),
    # RFC 2231 boundaries in charsets that are none: Message.get_boundary raises on them
    "boundary-rfc2231-nul-charset": (BOUNDARY, b"boundary*=\x00''4RkQ1m2XyZz9tKx.1795342445%2Fmail.example.com"),
    "boundary-rfc2231-idna-charset": (BOUNDARY, b"boundary*=idna''4RkQ1m2XyZz9tKx.1795342445%2Fmail.example.com"),
}


@pytest.mark.parametrize("name", sorted(DAMAGED))
def test_one_damaged_header_or_part_leaves_the_report(name):
    result = to_dict(parse_message(_postfix_01_with(*DAMAGED[name])))
    del result["source"]
    assert result == POSTFIX_01


def test_a_report_followed_by_a_part_nested_past_the_recursion_limit_is_read():
    deep = (FIXTURES / "known-bad/deep-nesting-01.eml").read_bytes().split(b"\n\n", 1)[1]
    closing = b"--4RkQ1m2XyZz9tKx.1795342445/mail.example.com--"
    data = _postfix_01_with(closing, closing[:-2] + b'\nContent-Type: multipart/mixed; boundary="N0"\n\n' + deep + b"\n" + closing)
    result = to_dict(parse_message(data))
    del result["source"]
    assert result == POSTFIX_01


# -- the decoding edges ---------------------------------------------------------------------------

HEADERS = [
    ("plain", "Undelivered  Mail\n\tReturned", "Undelivered Mail Returned"),
    ("q word", "=?utf-8?q?caf=C3=A9_au_lait?=", "café au lait"),
    ("b word", "=?UTF-8?B?Y2Fmw6k=?=", "café"),
    ("b word without its padding", "=?utf-8?b?Y2Fmw6k?=", "café"),
    ("space between words is dropped", "=?utf-8?q?a?= =?utf-8?q?b?=", "ab"),
    ("text around words is kept", "Re: =?utf-8?q?caf=C3=A9?= (2)", "Re: café (2)"),
    ("language suffix", "=?utf-8*en?q?hello?=", "hello"),
    ("bad base64 is kept as it came", "=?utf-8?b?A?=", "=?utf-8?b?A?="),
    ("no charset", "=??b?QUJD?=", "ABC"),
    ("unknown charset reads as UTF-8", "=?x-no-such?q?caf=C3=A9?=", "café"),
    ("NUL charset", "=?\x00?q?abc?=", "abc"),
    ("punycode is no charset", "=?punycode?q?\\?=", "\\"),
    ("idna is no charset", "=?idna?q?xn--?=", "xn--"),
    ("undefined is no charset", "=?undefined?q?abc?=", "abc"),
    ("bytes that lie about their charset", "=?us-ascii?q?caf=E9?=", "café"),
    ("8-bit UTF-8 (RFC 6532)", "caf\udcc3\udca9", "café"),
    ("8-bit Latin-1", "caf\udce9", "café"),
    ("unknown encoding letter", "=?utf-8?x?abc?=", "=?utf-8?x?abc?="),
    ("UTF-7 to a lone surrogate", "=?utf-7?q?+2D0-?=", "+2D0-"),
    ("a Header object", Header("café", "utf-8"), "café"),
    ("None", None, ""),
]


@pytest.mark.parametrize(("value", "expected"), [h[1:] for h in HEADERS], ids=[h[0] for h in HEADERS])
def test_decode_header(value, expected):
    assert decode_header(value) == expected


@pytest.mark.parametrize(("data", "charset", "expected"), [
    (b"caf\xc3\xa9", "utf-8", "café"),
    (b"caf\xe9", "iso-8859-1", "café"),
    (b"caf\xe9", "utf-8", "café"),  # not UTF-8 after all: Latin-1
    (b"caf\xc3\xa9", "\x00", "café"),
    (b"caf\xc3\xa9", "punycode", "café"),
    (b"\xd0", "undefined", "Ð"),
    (b"abc", "rot13", "abc"),  # a codec, not a text encoding
    (b"abc", "x-\udcff", "abc"),
    (b"+2D0-", "utf-7", "+2D0-"),
    (b"+AOk-", "utf-7", "\xe9"),
])
def test_decode_bytes(data, charset, expected):
    assert decode_bytes(data, charset) == expected


@pytest.mark.parametrize(("message", "expected"), [
    (b"Content-Type: text/plain; charset=punycode\n\n\xbb\n", "»\n"),
    (b"Content-Type: text/plain; charset=undefined\n\n\xd0\n", "Ð\n"),
    (b"Content-Type: text/plain; charset=\x00\n\n\x98\n", "\x98\n"),
    (b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\nY2Fmw6k=\n", "café"),
    (b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n!!!\n", ""),
    (b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: x-uuencode\n\nbegin 644 x\nnot uu\n", "begin 644 x\nnot uu\n"),
    (b"Content-Type: message/rfc822\n\nSubject: =?utf-8?b?A?=\nContent-Type: text/plain; charset=iso-2022-jp\n\n\xe5\xe1\n",
     "Subject: =?utf-8?b?A?=\nContent-Type: text/plain; charset=iso-2022-jp\n\nåá\n"),
])
def test_part_text(message, expected):
    msg = parse_bytes(message)
    assert part_text(msg) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("Sun, 22 Nov 2026 10:14:03 +0000", "2026-11-22T10:14:03+00:00"),
    ("Sun, 22 Nov 2026 10:14:03 -0500", "2026-11-22T10:14:03-05:00"),
    ("Fri, 31 Dec 9999 23:00:00 -0500", None),  # 10000-01-01 in UTC
    ("Fri, 31 Dec 9999 23:00:00 +0000", None),  # a day later overflows (the correlation window)
    ("Thu, 01 Jan 1970 00:00:00 +0000", "1970-01-01T00:00:00+00:00"),
    ("Wed, 31 Dec 1969 23:59:59 +0000", None),
    ("Mon, 15 Jan 8999 12:00:00 -0000", "8999-01-15T12:00:00"),
    ("Sat, 01 Jan 2000 00:00:00 +9999", None),  # no such zone
    ("not a date", None),
    ("", None),
    (None, None),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("2026-11-22T10:14:03-05:00", "2026-11-22T15:14:03+00:00"),
    ("2026-11-22T10:14:03", "2026-11-22T10:14:03+00:00"),
    ("9999-12-31T23:00:00-05:00", None),  # OverflowError before
    ("0001-01-01T00:30:00+01:00", None),
    ("not a date", None),
    (None, None),
])
def test_pipeline_utc(value, expected):
    assert _utc(value) == expected


ADDRESSES = [
    ("lower-cased domain", "User@Example.ORG", "User@example.org"),
    ("brackets and type", "rfc822; <nobody@Example.org>", "nobody@example.org"),
    ("display name", "Nobody <nobody@example.org>", "nobody@example.org"),
    ("dotless domain", "rfc822; postmaster@LOCALHOST", "postmaster@localhost"),
    ("dotless domain in brackets", "Postmaster <postmaster@localhost>", "postmaster@localhost"),
    ("address literal", "user@[192.0.2.1]", "user@[192.0.2.1]"),
    ("internationalized", "utf-8; j\\x{00F6}rg@b\\x{00FC}cher.example", "jörg@bücher.example"),
    ("no local part", "@Q", ""),
    ("bracket as domain", "@>l", ""),
    ("at sign alone", "@", ""),
    ("undecodable byte in the domain", "user@re\ufffdused.example", ""),
    ("empty label", "user@.example.net", ""),
    ("escape past Unicode", "utf-8; a\\x{FFFFFF}@example.org", ""),
    ("escape to a surrogate", "utf-8; a\\x{D800}@example.org", ""),
    ("no address", "undisclosed-recipients:;", ""),
]


@pytest.mark.parametrize(("value", "expected"), [a[1:] for a in ADDRESSES], ids=[a[0] for a in ADDRESSES])
def test_normalize_address(value, expected):
    assert normalize_address(value) == expected


def test_a_recipient_block_without_an_address_is_skipped():
    data = _postfix_01_with(b"\n\nFinal-Recipient: rfc822; nobody@example.org",
                            b"\n\nFinal-Recipient: rfc822; @Q\nAction: failed\nStatus: 5.1.1\n\nFinal-Recipient: rfc822; nobody@example.org")
    result = to_dict(parse_message(data))
    del result["source"]
    assert result == POSTFIX_01


def test_findings_are_held_to_the_address_contract():
    """The last gate before the output, for what a detector passes on unnormalised."""
    findings = (Finding("User@EXAMPLE.org"), Finding("@Q"), Finding("", reason="feedback"), Finding("rfc822; <a@B.example>"),
                Finding("a@>l"), Finding(""))
    kept, dropped = _addressed(findings)
    assert [f.address for f in kept] == ["User@example.org", "", "a@b.example"]
    assert dropped == "'@Q', 'a@>l', ''"


# -- the pipeline side: a report date that overflows in UTC --------------------------------------------


@pytest.fixture
def store(tmp_path):
    s = Store(str(tmp_path / "bounced.db"))
    yield s
    s.close()


@pytest.mark.parametrize("zone", [b"-0500", b"+0000"])
def test_arrival_date_9999_is_recorded_at_its_receipt(store, tmp_path, zone):
    """With no Message-ID to go by, correlation looks for a send in the days before the Arrival-Date."""
    settings = Settings(database=str(tmp_path / "bounced.db"), bounce_domains=("bounce.example.com",))
    data = (FIXTURES / "hostile-headers/arrival-date-9999-01.eml").read_bytes().replace(b"-0500", zone)
    out = Pipeline(store, settings).ingest(data, "arrival-date-9999")
    assert (out.state, out.events) == ("parsed", 1)
    [event] = store.query("SELECT address, reason, event_at, received_at FROM events")
    assert (event["address"], event["reason"]) == ("user@example.org", "userunknown")
    assert event["event_at"] == event["received_at"]
    assert datetime.fromisoformat(event["event_at"]).year == datetime.now(UTC).year
