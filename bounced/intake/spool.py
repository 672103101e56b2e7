"""The spool: a writer thread that stores raw messages, and a processor process that parses them.

Coroutines hand the thread raw messages and await the commit (that is when SMTP may answer 250).
Stores waiting at the same moment share one commit (group commit), each message in a savepoint
of its own: whatever one message does (a storage error, a bug on its input) fails that message
alone, and nothing a message does stops the thread.  Parsing, correlation and policy run in a
separate process (bounced.intake.processor), woken after each commit; at start it takes up
whatever was stored and never processed (a crash between the 250 and the parse).  If that
process dies, ``check()`` starts another.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass

from bounced.config import Settings
from bounced.errors import StoreError
from bounced.intake.processor import Health, process_loop
from bounced.store import Store

log = logging.getLogger(__name__)

RESPAWN_MIN = 5.0  # seconds between two starts of the processor, doubled while it keeps dying


@dataclass(frozen=True)
class _Store:
    data: bytes | bytearray
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
        self._ctx = multiprocessing.get_context("spawn")  # no fork of a threaded asyncio process
        self._wake = self._ctx.Event()
        self._stop = self._ctx.Event()
        self.health = Health(self._ctx)
        self._deaths = 0
        self._next_start = 0.0
        self._start_processor()

    def _start_processor(self) -> None:
        self._processor = self._ctx.Process(target=process_loop, name="bounced-processor", daemon=True,
                                            args=(self.settings, self._wake, self._stop, os.getpid(), self.health))
        self._processor.start()

    async def store(self, data: bytes | bytearray, source: str, mail_from: str | None,
                    rcpt_to: str | None) -> tuple[int, bool]:
        """Commit a raw message; returns (raw id, duplicate).  Raises StoreError when it cannot be kept."""
        if not self._thread.is_alive():
            raise StoreError("the spool writer is not running")
        future: Future[tuple[int, bool]] = Future()
        self._queue.put(_Store(data, source, mail_from, rcpt_to, future))
        # Shielded: a client that hangs up while its message waits must not cancel the commit.
        return await asyncio.shield(asyncio.wrap_future(future))

    def alive(self) -> bool:
        """The writer thread runs and the processor process lives (retrying counts as living)."""
        return self._thread.is_alive() and self._processor.is_alive()

    def status(self) -> str:
        """One line for people (systemd's STATUS=): empty while all is well."""
        if not self._thread.is_alive():
            return "spool writer stopped: nothing can be stored"
        if not self._processor.is_alive():
            return f"processor died (exit code {self._processor.exitcode}); restarting it"
        return self.health.text()

    def check(self) -> None:
        """Start the processor again if it died (killed, out of memory), at most every few seconds."""
        if self._stop.is_set() or self._processor.is_alive() or time.monotonic() < self._next_start:
            return
        self._deaths += 1
        log.error("processor died with exit code %s; starting it again (restart %d)",
                  self._processor.exitcode, self._deaths)
        self._next_start = time.monotonic() + min(300.0, RESPAWN_MIN * 2 ** (self._deaths - 1))
        self.health.set("")  # what the dead one said is no longer true
        try:
            self._start_processor()
        except OSError as exc:  # no memory or no processes left now: tried again at the next check
            log.error("cannot start the processor: %s", exc)

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
        try:
            self._loop(store)
        finally:
            store.close()
            self._fail_queued()

    def _loop(self, store: Store) -> None:
        while True:
            item = self._queue.get()
            batch: list[_Store] = []
            stopping = False
            while item is not None:
                if item is _STOP:
                    stopping = True
                elif isinstance(item, _Store) and item.future.set_running_or_notify_cancel():
                    batch.append(item)
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    item = None
            if batch:
                self._commit(store, batch)
                del batch, item  # the messages' bytes go now, not at the next wake-up
                self._wake.set()
            if stopping:
                return

    def _commit(self, store: Store, batch: list[_Store]) -> None:
        results: list[tuple[int, bool] | BaseException] = []
        try:
            with store.transaction():
                results = [self._store_one(store, item) for item in batch]
        except StoreError as exc:  # the commit itself failed: nothing of the batch is kept
            results = [exc] * len(batch)
        # The outermost step of the writer: a bug here fails this batch (451), never the thread.
        except Exception as exc:  # noqa: BLE001
            log.exception("spool commit of %d message(s) failed", len(batch))
            results = [StoreError(f"internal error: {type(exc).__name__}: {exc}")] * len(batch)
        for item, result in zip(batch, results):
            _settle(item.future, result)

    @staticmethod
    def _store_one(store: Store, item: _Store) -> tuple[int, bool] | BaseException:
        if not store.conn.in_transaction:  # SQLite rolled the batch back (a full disk): the commit fails
            return StoreError("the batch was rolled back")
        try:
            with store.transaction():  # a savepoint: this message's failure is its own
                return store.store_raw(item.data, item.source, item.mail_from, item.rcpt_to)
        except StoreError as exc:
            return exc
        except sqlite3.Error as exc:  # the savepoint could not be undone: the batch is gone with it
            return StoreError(f"{store.path}: {exc}")
        # One message's bug (its envelope, its bytes): that message gets 451, the others go on.
        except Exception as exc:  # noqa: BLE001
            log.exception("spool: message from %s not stored", item.source)
            return StoreError(f"internal error: {type(exc).__name__}: {exc}")

    def _fail_queued(self) -> None:
        """The thread is ending: whoever still waits gets an error, not silence."""
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            if isinstance(item, _Store) and item.future.set_running_or_notify_cancel():
                _settle(item.future, StoreError("the spool writer stopped"))


def _settle(future: Future[tuple[int, bool]], result: tuple[int, bool] | BaseException) -> None:
    try:
        if isinstance(result, BaseException):
            future.set_exception(result)
        else:
            future.set_result(result)
    except InvalidStateError:  # already settled: nothing waits for it
        pass
