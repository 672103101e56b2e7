"""The writer thread: the one owner of the database connection while the listener runs.

Coroutines hand it raw messages and await the commit (that is when SMTP may answer 250).
Stores waiting at the same moment share one commit (group commit); parsing, correlation and
policy run afterwards, whenever no store is waiting, so a slow parse never delays a 250.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections import deque
from collections.abc import Callable
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
        self._pending: deque[int] = deque()
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="bounced-spool", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            raise self._error

    async def store(self, data: bytes, source: str, mail_from: str | None, rcpt_to: str | None) -> tuple[int, bool]:
        """Commit a raw message; returns (raw id, duplicate).  Raises StoreError when it cannot be kept."""
        future: Future[tuple[int, bool]] = Future()
        self._queue.put(_Store(data, source, mail_from, rcpt_to, future))
        return await asyncio.wrap_future(future)

    def close(self, timeout: float = 30.0) -> None:
        """Finish the stores and the processing queued so far, then stop."""
        self._queue.put(_STOP)
        self._thread.join(timeout)

    # -- the thread ---------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            store = self._factory()
            pipeline = Pipeline(store, self.settings)
            self._pending.extend(store.raw_ids("state = 'stored'"))  # stored before a crash, never processed
        except BaseException as exc:  # noqa: BLE001 - reported to the caller of __init__
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        if self._pending:
            log.info("processing %d message(s) stored before the last stop", len(self._pending))
        stopping = False
        while True:
            try:
                item = self._queue.get(timeout=None if not self._pending and not stopping else 0)
            except queue.Empty:
                item = None
            batch: list[_Store] = []
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
                continue
            if self._pending:
                pipeline.process(self._pending.popleft())
                continue
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
                if not result[1]:
                    self._pending.append(result[0])
