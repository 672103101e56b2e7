"""Read raw messages from a file, a directory, a Maildir, an mbox or standard input, one at a time.

A message larger than the cap (max_message_size) is kept as its first bytes, cut at a line end, as
a ``Cut``: bytes that know the message's full size.  A report's own parts (the notice, the
delivery-status fields, the returned headers) come first and are a few kilobytes; what a cut
loses is the tail of the returned original's body, which the parser does not read.  So the head
parses as the whole would, the store marks it (raw_messages.full_size), and memory stays one cap.
"""

from __future__ import annotations

import logging
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from bounced.errors import InputError

STDIN = "-"
NO_CAP = 1 << 62

log = logging.getLogger(__name__)


class Cut(bytes):
    """The first bytes of a message larger than the cap; ``full_size`` is the size it had."""

    full_size: int

    def __new__(cls, head: bytes, full_size: int) -> Cut:
        self = super().__new__(cls, head)
        self.full_size = full_size
        return self

    def __reduce__(self) -> tuple[type[Cut], tuple[bytes, int]]:  # to a parse worker process and back
        return Cut, (bytes(self), self.full_size)


def capped(data: bytes, cap: int, full_size: int | None = None, source: str = "") -> bytes:
    """``data`` if the message (``full_size``, else len(data)) is within ``cap``; else a Cut of its
    first ``cap`` bytes, ended at the last line end among them, with a warning."""
    size = len(data) if full_size is None else full_size
    if size <= cap:
        return data
    head = data[:cap]
    end = head.rfind(b"\n")
    head = head[: end + 1] if end > 0 else head
    log.warning("%s: %d bytes, larger than max_message_size (%d): its first %d bytes are kept and parsed",
                source or "message", size, cap, len(head))
    return Cut(head, size)


def iter_messages(paths: list[str], cap: int = NO_CAP) -> Iterator[tuple[str, bytes]]:
    """(source, raw bytes) for every message under ``paths``, in order; an mbox is streamed; a
    message larger than ``cap`` bytes is its first bytes (a Cut)."""
    for path in paths:
        if path == STDIN:
            yield "-", _read_capped(sys.stdin.buffer, cap, "-")
            continue
        p = Path(path)
        if not p.exists():
            raise InputError(f"{path}: no such file or directory")
        yield from _iter_path(p, cap)


def _read_capped(fh: BinaryIO, cap: int, source: str) -> bytes:
    """A whole file or stream as one message, at most ``cap`` + a chunk of it in memory."""
    try:
        info = os.fstat(fh.fileno())
    except (OSError, ValueError):  # not a file descriptor (a test's stand-in for stdin)
        info = None
    if info is not None and stat.S_ISREG(info.st_mode):
        data = fh.read() if info.st_size <= cap else fh.read(cap + 1)
        return capped(data, cap, max(info.st_size, len(data)), source)
    chunks, kept, size = [], 0, 0
    while chunk := fh.read(_CHUNK):
        size += len(chunk)
        if kept <= cap:
            chunks.append(chunk)
            kept += len(chunk)
    return capped(b"".join(chunks), cap, size, source)


def check_paths(paths: list[str]) -> None:
    """Raise InputError for the first path that does not exist, before any work starts."""
    for path in paths:
        if path != STDIN and not Path(path).exists():
            raise InputError(f"{path}: no such file or directory")


def _iter_path(p: Path, cap: int = NO_CAP) -> Iterator[tuple[str, bytes]]:
    if p.is_dir():
        if is_maildir(p):
            for sub in ("cur", "new"):
                for child in sorted((p / sub).iterdir()):
                    if child.is_file():
                        with child.open("rb") as fh:
                            yield str(child), _read_capped(fh, cap, str(child))
            return
        for child in sorted(p.iterdir()):
            if child.name.startswith("."):
                continue
            yield from _iter_path(child, cap)
        return
    with p.open("rb") as fh:
        head = fh.read(_HEAD)
        fh.seek(0)
        if head.startswith(b"From "):
            yield from iter_mbox(_cr_lines(fh) if _cr_only(head) else fh, str(p), cap)
            return
        yield str(p), _read_capped(fh, cap, str(p))


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


def iter_mbox(fh: Iterable[bytes], name: str, cap: int = NO_CAP) -> Iterator[tuple[str, bytes]]:
    """Messages of an mbox, streamed: memory is one message (at most ``cap`` bytes of it), not the file.

    A message starts at a ``From `` line at the top of the file or after a blank line (mboxo and
    mboxrd both); ``>From `` quoting is undone for mboxrd.  ``fh`` yields lines ending in LF,
    CRLF or CR.
    """
    lines: list[bytes] = []
    kept = size = count = 0
    previous_blank = True
    for line in fh:
        if line.startswith(b"From ") and previous_blank:
            if lines:
                count += 1
                yield f"{name}#{count}", capped(_mbox_body(lines), cap, None if kept == size else size, f"{name}#{count}")
            lines = []
            kept = size = 0
            previous_blank = False
            continue
        size += len(line)
        if kept <= cap:  # past the cap only the size is counted
            lines.append(line)
            kept += len(line)
        previous_blank = line in _BLANK
    if lines:
        count += 1
        yield f"{name}#{count}", capped(_mbox_body(lines), cap, None if kept == size else size, f"{name}#{count}")


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
