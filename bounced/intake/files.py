"""Read raw messages from a file, a directory, a Maildir, an mbox or standard input, one at a time."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from bounced.errors import InputError

STDIN = "-"


def iter_messages(paths: list[str]) -> Iterator[tuple[str, bytes]]:
    """(source, raw bytes) for every message under ``paths``, in order; an mbox is streamed."""
    for path in paths:
        if path == STDIN:
            yield "-", sys.stdin.buffer.read()
            continue
        p = Path(path)
        if not p.exists():
            raise InputError(f"{path}: no such file or directory")
        yield from _iter_path(p)


def check_paths(paths: list[str]) -> None:
    """Raise InputError for the first path that does not exist, before any work starts."""
    for path in paths:
        if path != STDIN and not Path(path).exists():
            raise InputError(f"{path}: no such file or directory")


def _iter_path(p: Path) -> Iterator[tuple[str, bytes]]:
    if p.is_dir():
        if is_maildir(p):
            for sub in ("cur", "new"):
                for child in sorted((p / sub).iterdir()):
                    if child.is_file():
                        yield str(child), child.read_bytes()
            return
        for child in sorted(p.iterdir()):
            if child.name.startswith("."):
                continue
            yield from _iter_path(child)
        return
    with p.open("rb") as fh:
        head = fh.read(_HEAD)
        fh.seek(0)
        if head.startswith(b"From "):
            yield from iter_mbox(_cr_lines(fh) if _cr_only(head) else fh, str(p))
            return
        yield str(p), fh.read()


_HEAD = 64 * 1024  # enough of a file to see how its first line ends
_CHUNK = 64 * 1024


def _cr_only(head: bytes) -> bool:
    """Whether the first line ends in CR alone (classic Mac OS line endings)."""
    cr = head.find(b"\r")
    return cr >= 0 and head[cr + 1 : cr + 2] != b"\n" and not 0 <= head.find(b"\n") < cr


def _cr_lines(fh: BinaryIO) -> Iterator[bytes]:
    """The lines of a file whose lines end in CR alone, each with its CR, read a chunk at a time."""
    pending: list[bytes] = []  # the pieces of a line longer than a chunk, joined once
    while chunk := fh.read(_CHUNK):
        pieces = chunk.split(b"\r")
        for piece in pieces[:-1]:
            pending.append(piece)
            yield b"".join(pending) + b"\r"
            pending = []
        pending.append(pieces[-1])
    if tail := b"".join(pending):
        yield tail


def is_maildir(p: Path) -> bool:
    return (p / "cur").is_dir() and (p / "new").is_dir()


def iter_mbox(fh: Iterable[bytes], name: str) -> Iterator[tuple[str, bytes]]:
    """Messages of an mbox, streamed: memory is one message, not the file.

    A message starts at a ``From `` line at the top of the file or after a blank line (mboxo and
    mboxrd both); ``>From `` quoting is undone for mboxrd.  ``fh`` yields lines ending in LF,
    CRLF or CR.
    """
    lines: list[bytes] = []
    count = 0
    previous_blank = True
    for line in fh:
        if line.startswith(b"From ") and previous_blank:
            if lines:
                count += 1
                yield f"{name}#{count}", _mbox_body(lines)
            lines = []
            previous_blank = False
            continue
        lines.append(line)
        previous_blank = line in _BLANK
    if lines:
        count += 1
        yield f"{name}#{count}", _mbox_body(lines)


_BLANK = (b"\n", b"\r\n", b"\r")


def _mbox_body(lines: list[bytes]) -> bytes:
    if lines and lines[-1] in _BLANK:
        lines = lines[:-1]  # the separator line mbox adds before the next From_
    out = []
    for line in lines:
        if line.startswith(b">") and line.lstrip(b">").startswith(b"From "):
            line = line[1:]
        out.append(line)
    return b"".join(out)


def file_size(path: str) -> int:
    return os.path.getsize(path) if path != STDIN else 0
