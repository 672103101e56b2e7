"""Parse a stream of messages on several processes and give the results back in input order.

`bounced parse` over a backfill (a directory, a Maildir, an mbox of a million bounces) is CPU
work that splits cleanly: each message is parsed on its own.  Worker processes are forked once
the process has imported the parser, so they start with it imported; messages go to
them in chunks, at most a few chunks per worker in flight, so memory stays bounded however long
the stream is; results come back in the order the messages came in.  A worker that dies (killed,
out of memory) loses nothing: what it had not answered is parsed in this process, and the rest too.

Small inputs are parsed in this process: below ``min_messages`` a pool costs more than it saves.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

log = logging.getLogger(__name__)

Render = Callable[[str, bytes], str]  # (source, raw bytes) -> the text the caller writes

CHUNK = 24  # messages per task: enough to amortise the pipe, small enough to keep workers even
IN_FLIGHT = 3  # chunks per worker queued at most
MIN_MESSAGES = 64

_render: Render | None = None  # the worker's job, inherited through fork


def default_jobs() -> int:
    """The processes to parse on: the CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def render_all(messages: Iterable[tuple[str, bytes]], render: Render, jobs: int,
               min_messages: int = MIN_MESSAGES) -> Iterator[str]:
    """``render(source, data)`` of every message, in input order, on ``jobs`` processes."""
    stream = iter(messages)
    head = list(itertools.islice(stream, min_messages))
    if jobs <= 1 or len(head) < min_messages or "fork" not in multiprocessing.get_all_start_methods():
        for source, data in itertools.chain(head, stream):
            yield render(source, data)
        return
    yield from _pooled(itertools.chain(head, stream), render, jobs)


def _pooled(stream: Iterator[tuple[str, bytes]], render: Render, jobs: int) -> Iterator[str]:
    global _render
    _render = render  # set before the fork, so that every worker has it
    pending: deque[tuple[list[tuple[str, bytes]], Future[list[str]] | None]] = deque()
    chunks = iter(lambda: list(itertools.islice(stream, CHUNK)), [])
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        try:
            for chunk in chunks:
                pending.append((chunk, None))  # queued before submit, which raises if the pool broke
                pending[-1] = (chunk, pool.submit(_render_chunk, chunk))
                while len(pending) >= jobs * IN_FLIGHT:
                    yield from _next(pending)
            while pending:
                yield from _next(pending)
            return
        except BrokenProcessPool:  # a worker died (killed, out of memory): nothing is lost
            log.warning("a parse worker died; parsing the rest in this process")
    while pending:
        chunk, _ = pending.popleft()
        yield from _render_chunk(chunk)  # here, in this process
    for chunk in chunks:
        yield from _render_chunk(chunk)  # here, in this process


def _next(pending: deque[tuple[list[tuple[str, bytes]], Future[list[str]] | None]]) -> list[str]:
    """The oldest chunk's results; the chunk stays queued until they are in."""
    future = pending[0][1]
    assert future is not None
    results = future.result()
    pending.popleft()
    return results


def _render_chunk(chunk: list[tuple[str, bytes]]) -> list[str]:
    assert _render is not None
    return [_render(source, data) for source, data in chunk]
