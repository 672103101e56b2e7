"""mimeparse builds the very tree that email.feedparser (compat32) builds, or declines with Fallback."""

from __future__ import annotations

import random
import re
from email import policy
from email.message import Message
from email.parser import BytesParser, HeaderParser
from pathlib import Path

import pytest

from bounced.parse.mimeparse import Fallback, parse_text

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "sisimai"
_PARSER = BytesParser(policy=policy.compat32)
_HEADERS = HeaderParser(policy=policy.compat32)


def tree(msg: Message) -> tuple:
    """Everything feedparser decides about a message, recursively."""
    payload = msg._payload
    return (
        tuple(msg._headers), msg._default_type, msg.preamble, msg.epilogue,
        tuple(type(d).__name__ for d in msg.defects), msg._unixfrom,
        tuple(tree(p) for p in payload) if isinstance(payload, list) else payload,
    )


def lf(data: bytes) -> bytes:
    return re.sub(rb"\r\n?", b"\n", data)


def same_or_fallback(data: bytes, headersonly: bool = False) -> bool:
    """True when mimeparse agrees with feedparser; False when it declined."""
    text = data.decode("ascii", "surrogateescape")
    try:
        ours = parse_text(text, headersonly=headersonly)
    except Fallback:
        return False
    theirs = _HEADERS.parsestr(text, headersonly=True) if headersonly else _PARSER.parsebytes(data)
    assert tree(ours) == tree(theirs)
    return True


def messages() -> list[bytes]:
    paths = sorted((ROOT / "fixtures").rglob("*.eml"))
    if CORPUS.is_dir():
        paths += sorted(CORPUS.glob("*.eml"))
    return [lf(p.read_bytes()) for p in paths]


def test_every_fixture_parses_to_feedparsers_tree():
    results = [same_or_fallback(data) for data in messages()]
    assert sum(results) >= 0.9 * len(results)  # the fast path takes almost all real mail


EDGE_CASES = {
    "no body": b"From: a@example.org\nSubject: x\n",
    "empty": b"",
    "no headers": b"\nbody only\n",
    "unix from": b"From sender@example.org Tue Dec  1 10:00:00 2026\nSubject: x\n\nbody\n",
    "folded header": b"Subject: a\n  folded\n\tagain\nX: y\n\nbody",
    "header without the blank line": b"Subject: x\nthis is body\nmore\n",
    "multipart": b'Content-Type: multipart/mixed; boundary="b"\n\npre\n--b\n\none\n--b\nContent-Type: text/plain\n\ntwo\n--b--\nepi\n',
    "repeated boundary lines": b'Content-Type: multipart/mixed; boundary="b"\n\n--b\n--b\n\none\n--b\n--b--\n',
    "boundary with trailing blanks": b'Content-Type: multipart/mixed; boundary="b"\n\n--b  \n\none\n--b-- \t\n',
    "boundary-like line": b'Content-Type: multipart/mixed; boundary="b"\n\n--b\n\n--bx\n--b--\n',
    "no closing boundary": b'Content-Type: multipart/mixed; boundary="b"\n\n--b\n\none\n',
    "no boundary line": b'Content-Type: multipart/mixed; boundary="b"\n\njust text\n',
    "closing boundary only": b'Content-Type: multipart/mixed; boundary="b"\n\ntext\n--b--\nafter\n',
    "no boundary parameter": b"Content-Type: multipart/mixed\n\n--b\n\none\n--b--\n",
    "encoded multipart": b'Content-Type: multipart/mixed; boundary="b"\nContent-Transfer-Encoding: base64\n\n--b\n\none\n--b--\n',
    "nested": (b'Content-Type: multipart/mixed; boundary="o"\n\n--o\nContent-Type: multipart/alternative; boundary="i"\n\n'
               b"--i\n\na\n--i--\n\n--o\nContent-Type: message/rfc822\n\nSubject: inner\n\nbody\n--o--\n"),
    "inner part cut by the outer boundary": (b'Content-Type: multipart/mixed; boundary="o"\n\n--o\n'
                                             b'Content-Type: multipart/alternative; boundary="i"\n\n--i\n\na\n--o--\n'),
    "digest": b'Content-Type: multipart/digest; boundary="d"\n\n--d\n\nSubject: one\n\nx\n--d--\n',
    "delivery-status": (b'Content-Type: multipart/report; report-type=delivery-status; boundary="r"\n\n--r\n'
                        b"Content-Type: message/delivery-status\n\nReporting-MTA: dns; mx\n\n\nFinal-Recipient: rfc822; a@b.example\n"
                        b"Action: failed\n  folded\n--r--\n"),
    "delivery-status with text": b"Content-Type: message/delivery-status\n\nReporting-MTA: dns; mx\nnot a field\n",
    "header with no name": b":bad\nSubject: x\n\nbody\n",
    "continuation first": b" cont\nSubject: x\n\nbody\n",
}


@pytest.mark.parametrize("data", EDGE_CASES.values(), ids=EDGE_CASES.keys())
@pytest.mark.parametrize("headersonly", [False, True], ids=["message", "headers"])
def test_edge_cases(data, headersonly):
    same_or_fallback(data, headersonly)


def test_edge_cases_mostly_take_the_fast_path():
    taken = [same_or_fallback(data) for data in EDGE_CASES.values()]
    assert sum(taken) >= len(taken) - 4  # Fallback is for the few defects it does not build


def _mutate(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    i = rng.randrange(len(lines))
    choice = rng.randrange(6)
    if choice == 0:
        lines = lines[:i]  # truncated in transit
    elif choice == 1:
        del lines[i]
    elif choice == 2:
        lines.insert(i, lines[i])  # a line twice (a boundary line, a header)
    elif choice == 3:
        lines.insert(i, b"")
    elif choice == 4:
        lines[i] += rng.choice([b" ", b"--", b"x", b"\t"])
    else:
        lines.insert(i, rng.choice([b"From x", b" continued", b":x", b"no colon here", b"--", lines[rng.randrange(len(lines))]]))
    out = b"\n".join(lines)
    return out.rstrip(b"\n") if rng.random() < 0.3 else out


def test_mutated_messages_parse_to_feedparsers_tree():
    """Broken mail is the common case for a bounce parser: cut, doubled and stray lines."""
    rng = random.Random(20261201)
    corpus = messages()
    for _ in range(1500):
        data = _mutate(rng, rng.choice(corpus))
        same_or_fallback(data)
        same_or_fallback(data, headersonly=True)


def test_cr_is_left_to_the_caller():
    with pytest.raises(Fallback):
        parse_text("Subject: x\r\n\r\nbody\r\n")


def test_deep_nesting_falls_back():
    data = "".join("Content-Type: message/rfc822\n\n" for _ in range(100)) + "Subject: x\n\nbody\n"
    with pytest.raises(Fallback):
        parse_text(data)
