"""Every fixture and corpus message, replayed with LF, CRLF and CR line endings, parses the same.

The messages go through the file readers (bounced.intake.files) as single files and as one mbox,
so that an mbox whose lines end in CR alone is read as well as one in LF (parse-output.md: one
object per message, whatever the line endings).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from bounced.intake.files import iter_messages
from bounced.output import to_dict
from bounced.parse import parse_message

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "sisimai"
ENDINGS = {"lf": b"\n", "crlf": b"\r\n", "cr": b"\r"}


def _messages() -> list[tuple[str, bytes]]:
    paths = sorted((ROOT / "fixtures").rglob("*.eml"))
    if CORPUS.is_dir():
        paths += sorted(CORPUS.glob("*.eml"))
    return [(str(p.relative_to(ROOT.parent)), p.read_bytes()) for p in paths]


MESSAGES = _messages()


def with_endings(data: bytes, ending: bytes) -> bytes:
    return re.sub(rb"\r\n?|\n", ending, data)


def _result(source: str, data: bytes) -> dict[str, Any]:
    out = to_dict(parse_message(data, source=source))
    out.pop("source")
    return out


@pytest.fixture(scope="module")
def reference() -> list[str]:
    """Each message's JSON as parsed from its LF form."""
    return [json.dumps(_result(name, with_endings(data, b"\n")), sort_keys=True) for name, data in MESSAGES]


def _differences(reference: list[str], results: list[dict[str, Any]]) -> list[str]:
    got = [json.dumps(r, sort_keys=True) for r in results]
    assert len(got) == len(reference)
    return [name for (name, _), want, have in zip(MESSAGES, reference, got) if want != have]


@pytest.mark.parametrize("ending", ["crlf", "cr"])
def test_files_parse_the_same_with_any_line_ending(reference, tmp_path, ending):
    for i, (_, data) in enumerate(MESSAGES):
        (tmp_path / f"{i:04d}.eml").write_bytes(with_endings(data, ENDINGS[ending]))
    read = list(iter_messages([str(tmp_path)]))
    # a message file that begins with an mbox ``From `` line is read as a one-message mbox
    assert [Path(source).name.removesuffix("#1") for source, _ in read] == [f"{i:04d}.eml" for i in range(len(MESSAGES))]
    assert _differences(reference, [_result(source, data) for source, data in read]) == []


def mbox(ending: bytes) -> bytes:
    """An mboxrd of every message, ``From `` lines in bodies quoted, every line ending ``ending``."""
    out = []
    for _, data in MESSAGES:
        body = re.sub(rb"^(>*From )", rb">\1", with_endings(data, b"\n"), flags=re.M)
        out.append(b"From MAILER-DAEMON Sun Nov 22 10:14:05 2026\n" + body.rstrip(b"\n") + b"\n\n")
    return with_endings(b"".join(out), ending)


@pytest.mark.parametrize("ending", ["lf", "crlf", "cr"])
def test_an_mbox_gives_one_object_per_message_with_any_line_ending(reference, tmp_path, ending):
    path = tmp_path / "all.mbox"
    path.write_bytes(mbox(ENDINGS[ending]))
    read = list(iter_messages([str(path)]))
    assert [source for source, _ in read] == [f"{path}#{i}" for i in range(1, len(MESSAGES) + 1)]
    results = [_result(source, data.rstrip(b"\r\n")) for source, data in read]
    assert _differences(reference, results) == []


def test_a_cr_only_line_longer_than_a_read_is_kept_whole(tmp_path):
    long_line = b"X-Long: " + b"a" * 200_000
    path = tmp_path / "long.mbox"
    path.write_bytes(b"From MAILER-DAEMON Sun Nov 22 10:14:05 2026\rSubject: x\r" + long_line + b"\r\rbody\r")
    ((source, data),) = list(iter_messages([str(path)]))
    assert source == f"{path}#1"
    assert data == b"Subject: x\r" + long_line + b"\r\rbody\r"
