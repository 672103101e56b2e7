"""The processor process: parse, correlate and record what the listener stored, and never die of it.

A storage error (the database locked past the busy timeout, a full disk) stops nothing for good:
the processor backs off (1 s, doubling to a minute), says so in the log (WARNING) and in the
health it shares with the listener, and tries again.  A message that keeps failing while others
are processed is quarantined (state ``failed`` with its traceback) for ``bounced reprocess``.
"""

from __future__ import annotations

import logging
import os
import time
import traceback
from collections.abc import Callable
from typing import Any

from bounced.config import Settings
from bounced.errors import StoreError
from bounced.pipeline import Pipeline
from bounced.store import Store, now

log = logging.getLogger(__name__)

QUIET = 0.2  # seconds without a new store that count as a lull in a burst
CHUNK = 100  # messages parsed between two looks for a lull
MAX_DEFER = 5.0  # the most a burst may delay processing
FIRST_BACKOFF = 1.0
MAX_BACKOFF = 60.0
QUARANTINE_AFTER = 5  # failures of one message, each with others processed since, that quarantine it


class Health:
    """What the processor says about itself, in memory shared with the listener: one line of text,
    empty while all is well."""

    SIZE = 400

    def __init__(self, ctx: Any) -> None:
        self._text = ctx.Array("c", self.SIZE)

    def set(self, text: str) -> None:
        data = text.encode("utf-8", "replace")[: self.SIZE - 1]
        with self._text.get_lock():
            self._text.value = data

    def text(self) -> str:
        with self._text.get_lock():
            return bytes(self._text.value).decode("utf-8", "replace")


class Processor:
    """One processing pass after another; a pass never raises."""

    def __init__(self, settings: Settings, health: Health | None = None,
                 store_factory: Callable[[], Store] | None = None) -> None:
        self.settings = settings
        self.health = health
        self._factory = store_factory or (lambda: Store(settings.database_path(), durable=False))
        self.store: Store | None = None
        self.pipeline: Pipeline | None = None
        self.attempts = 0  # passes in a row that failed as a whole
        self.backoff = 0.0  # seconds to wait before the next pass; 0 while all is well
        self.processed = 0  # messages processed since start
        # raw id -> (failures, retry at, self.processed at its first failure, traceback)
        self._failing: dict[int, tuple[int, float, int, str]] = {}

    def run(self, limit: int) -> bool:
        """Process up to ``limit`` stored messages (-1: all); True if there may be more to do."""
        try:
            if self.pipeline is None:
                store = self._factory()  # events and states derive from the raw rows
                try:
                    self.pipeline = Pipeline(store, self.settings)
                except BaseException:
                    store.close()
                    raise
                self.store = store
            done, error = self._pass(limit)
        except StoreError as exc:  # the database cannot be read or opened now: retried after a pause
            done, error = 0, exc
        # The outermost loop of the processor: any other failure is a bug, retried, never fatal.
        except Exception as exc:  # noqa: BLE001
            done, error = 0, exc
            log.exception("processor pass failed")
        if error is not None and not done:
            self._trouble(error)
            return True
        self._recovered()
        return done > 0

    def close(self) -> None:
        if self.store is not None:
            self.store.close()

    def _pass(self, limit: int) -> tuple[int, BaseException | None]:
        assert self.store is not None and self.pipeline is not None
        at = time.monotonic()
        skip = {i for i, (_, retry, _, _) in self._failing.items() if retry > at}
        ids = self.store.raw_ids("state = 'stored'", (), -1 if limit < 0 else limit + len(skip))
        done, error = 0, None
        for raw_id in ids:
            if raw_id in skip:
                continue
            try:
                self.pipeline.process(raw_id)
            # A failure on one message.  While nothing has worked since it first failed, it is
            # the database's (a lock, a full disk): the whole pass backs off.  Once others work,
            # it is the message's: it waits on its own, and is quarantined in the end.
            except Exception as exc:  # noqa: BLE001
                error = exc
                if not self._note(raw_id, exc) and not done:
                    return done, RuntimeError(f"raw message {raw_id}: {exc}")
                continue
            done += 1
            self.processed += 1
            self._failing.pop(raw_id, None)
            if 0 <= limit <= done:
                break
        return done, error

    def _note(self, raw_id: int, exc: BaseException) -> bool:
        """Count a failure of one message; True if others were processed since its first one."""
        failures, _, first, _ = self._failing.get(raw_id, (0, 0.0, self.processed, ""))
        failures += 1
        own = self.processed > first
        wait = min(MAX_BACKOFF, FIRST_BACKOFF * 2 ** failures)
        trace = "".join(traceback.format_exception(exc))
        self._failing[raw_id] = (failures, time.monotonic() + wait, first, trace)
        if not own:
            return False
        log.warning("raw message %s: processing failed %d times while others worked (%s)", raw_id, failures, exc)
        if failures >= QUARANTINE_AFTER:
            assert self.store is not None
            try:
                self.store.mark_raw(raw_id, state="failed", error=trace, parsed_at=now())
            except Exception as mark_error:  # noqa: BLE001 - it stays stored and is tried again later
                log.warning("raw message %s: cannot quarantine it either (%s)", raw_id, mark_error)
            else:
                log.error("raw message %s: quarantined (state failed) after %d failures", raw_id, failures)
                del self._failing[raw_id]
        return True

    def _trouble(self, error: BaseException) -> None:
        self.attempts += 1
        self.backoff = min(MAX_BACKOFF, FIRST_BACKOFF * 2 ** (self.attempts - 1))
        text = f"processor retrying (attempt {self.attempts}, next in {self.backoff:.0f} s): {error}"
        log.warning("%s", text)
        if self.health is not None:
            self.health.set(text)

    def _recovered(self) -> None:
        if self.attempts:
            log.warning("processor recovered after %d failed attempt(s)", self.attempts)
            if self.health is not None:
                self.health.set("")
        self.attempts = 0
        self.backoff = 0.0


def process_loop(settings: Settings, wake: Any, stop: Any, parent: int, health: Health | None = None) -> None:
    """The processor process: parse, correlate and record every stored message, until stopped."""
    from bounced.logsetup import configure

    configure()  # stderr is the listener's: the journal's stream under systemd
    os.nice(10)  # under a burst the listener comes first; the backlog is parsed when it eases
    processor = Processor(settings, health)
    while True:
        if os.getppid() != parent:  # the listener was killed (kill -9): what is left waits for its restart
            log.warning("listener gone; processor exits")
            processor.close()
            return
        if processor.backoff:
            stop.wait(processor.backoff)
        else:
            _settle(wake, stop)
        # A chunk at a time, then look for the next lull: a long burst is answered first and
        # parsed in its pauses (and at least a chunk every MAX_DEFER seconds).
        stopping = stop.is_set()
        more = processor.run(-1 if stopping else CHUNK)
        if stopping and (not more or processor.backoff):  # what is left is processed at the next start
            processor.close()
            return
        if not more:
            wake.wait(1.0)


def _settle(wake: Any, stop: Any) -> None:
    """Wait for a lull in the stores (at most MAX_DEFER seconds), so that parsing does not take
    the CPU from a burst of deliveries; every message is still processed within seconds."""
    deadline = time.monotonic() + MAX_DEFER
    wake.clear()
    while not stop.is_set() and time.monotonic() < deadline and wake.wait(QUIET):
        wake.clear()
