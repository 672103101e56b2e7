"""The spool: a writer thread that stores raw messages, and a processor process that parses them.

Coroutines hand the thread raw messages and await the commit (that is when SMTP may answer 250).
Stores waiting at the same moment share one commit (group commit).  Parsing, correlation and
policy run in a separate process (they need the CPU, and the listener's event loop must not
wait for them), woken after each commit; at start it takes up whatever was stored and never
processed (a crash between the 250 and the parse).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Callable
from typing import Any
from concurrent.futures import Future
from dataclasses import dataclass

from bounced.config import Settings
from bounced.errors import StoreError
from bounced.pipeline import Pipeline
from bounced.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Store:
    data: bytes
    source: str
    mail_from: str | None
    rcpt_to: str | None
    future: Future[tuple[int, bool]]


_STOP = object()


class Spool:
    def __init__(self, settings: Settings, store_factory: Callable[[], Store] | None = None) -> None:
        self.settings = settings
        self._factory = store_factory or (lambda: Store(settings.database_path()))
        self._queue: queue.Queue[object] = queue.Queue()
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="bounced-spool", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            raise self._error
        ctx = multiprocessing.get_context("spawn")  # no fork of a threaded asyncio process
        self._wake = ctx.Event()
        self._stop = ctx.Event()
        self._processor = ctx.Process(target=process_loop, args=(settings, self._wake, self._stop, os.getpid()),
                                      name="bounced-processor", daemon=True)
        self._processor.start()

    async def store(self, data: bytes, source: str, mail_from: str | None, rcpt_to: str | None) -> tuple[int, bool]:
        """Commit a raw message; returns (raw id, duplicate).  Raises StoreError when it cannot be kept."""
        future: Future[tuple[int, bool]] = Future()
        self._queue.put(_Store(data, source, mail_from, rcpt_to, future))
        return await asyncio.wrap_future(future)

    def alive(self) -> bool:
        return self._thread.is_alive() and self._processor.is_alive()

    def close(self, timeout: float = 60.0) -> None:
        """Finish the stores and the processing queued so far, then stop."""
        self._queue.put(_STOP)
        self._thread.join(timeout)
        self._stop.set()
        self._wake.set()
        self._processor.join(timeout)
        if self._processor.is_alive():  # what is left is processed at the next start
            self._processor.terminate()

    # -- the thread ---------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            store = self._factory()
        except BaseException as exc:  # noqa: BLE001 - reported to the caller of __init__
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        while True:
            item = self._queue.get()
            batch: list[_Store] = []
            stopping = False
            while item is not None:
                if item is _STOP:
                    stopping = True
                elif isinstance(item, _Store):
                    batch.append(item)
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    item = None
            if batch:
                self._commit(store, batch)
                self._wake.set()
            if stopping:
                store.close()
                return

    def _commit(self, store: Store, batch: list[_Store]) -> None:
        results: list[tuple[_Store, tuple[int, bool] | BaseException]] = []
        try:
            with store.transaction():
                for item in batch:
                    try:
                        results.append((item, store.store_raw(item.data, item.source, item.mail_from, item.rcpt_to)))
                    except StoreError as exc:
                        results.append((item, exc))
        except StoreError as exc:  # the commit itself failed: nothing of the batch is kept
            results = [(item, exc) for item in batch]
        for item, result in results:
            if isinstance(result, BaseException):
                item.future.set_exception(result)
            else:
                item.future.set_result(result)


def process_loop(settings: Settings, wake: Any, stop: Any, parent: int) -> None:
    """The processor process: parse, correlate and record every stored message, until stopped."""
    from bounced.logsetup import configure

    configure()  # stderr is the listener's: the journal's stream under systemd
    os.nice(10)  # under a burst the listener comes first; the backlog is parsed when it eases
    store = Store(settings.database_path(), durable=False)  # events and states derive from the raw rows
    pipeline = Pipeline(store, settings)
    while True:
        if os.getppid() != parent:  # the listener was killed (kill -9): what is left waits for its restart
            log.warning("listener gone; processor exits")
            store.close()
            return
        _settle(wake, stop)
        # A chunk at a time, then look for the next lull: a long burst is answered first and
        # parsed in its pauses (and at least a chunk every MAX_DEFER seconds).
        done = pipeline.process_stored(limit=-1 if stop.is_set() else CHUNK)  # one short transaction per message
        if not done:
            if stop.is_set():
                store.close()
                return
            wake.wait(1.0)


QUIET = 0.2  # seconds without a new store that count as a lull in a burst
CHUNK = 100  # messages parsed between two looks for a lull
MAX_DEFER = 5.0  # the most a burst may delay processing


def _settle(wake: Any, stop: Any) -> None:
    """Wait for a lull in the stores (at most MAX_DEFER seconds), so that parsing does not take
    the CPU from a burst of deliveries; every message is still processed within seconds."""
    deadline = time.monotonic() + MAX_DEFER
    wake.clear()
    while not stop.is_set() and time.monotonic() < deadline and wake.wait(QUIET):
        wake.clear()
