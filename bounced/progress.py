"""Progress with a count and an ETA for long commands (ingest, reprocess), on a terminal only.

The bar goes to stderr, so that what a command prints on stdout stays clean for a pipe.  Input
files are measured by their bytes (a stat each, no extra read), so an mbox shows an ETA too.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import click

T = TypeVar("T")


def shown(flag: bool | None) -> bool:
    """--progress/--no-progress, else whether stderr is a terminal."""
    return sys.stderr.isatty() if flag is None else flag


def input_bytes(paths: Iterable[str]) -> int | None:
    """The bytes of every file under ``paths`` (as intake.files reads them: dot-names skipped);
    None with standard input, whose size is not known beforehand."""
    total = 0
    for path in paths:
        if path == "-":
            return None
        p = Path(path)
        if p.is_file():
            total += p.stat().st_size
            continue
        for root, dirs, files in os.walk(p):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            total += sum(os.stat(os.path.join(root, f)).st_size for f in files if not f.startswith("."))
    return total


@contextmanager
def byte_bar(label: str, total: int | None, show: bool) -> Iterator[Callable[[int], None]]:
    """A bar over ``total`` bytes showing the messages done and an ETA; yields advance(bytes of one message)."""
    if not show or not total:
        yield lambda _n: None
        return
    done = [0]
    with click.progressbar(length=total, label=label, file=sys.stderr, show_eta=True, show_percent=True,
                           item_show_func=lambda n: f"{n} messages" if n is not None else None) as bar:
        def advance(n: int) -> None:
            done[0] += 1
            bar.update(n, done[0])

        yield advance
        bar.update(max(0, total - bar.pos), done[0])  # what was read but is not a message: mbox "From " lines


def counted(items: list[T], label: str, show: bool) -> Iterator[T]:
    """``items`` one by one, with a bar showing done/total and an ETA when ``show``."""
    if not show or not items:
        yield from items
        return
    with click.progressbar(items, label=label, file=sys.stderr, show_eta=True, show_pos=True) as bar:
        yield from bar
