"""Fetching a mailbox's new messages by UID and storing each batch unparsed, here or read ahead on a second connection.

The read-ahead runs in a thread with its own IMAP connection and its own database connection:
it fetches a batch, commits it (one transaction, synchronous), hands it to the poller's thread,
which marks it on the server, and goes on with the next.  It is the only writer while it runs:
what the poller records after a mark is handed back to it and written in its next transaction.
Fetching and storing in one thread is what keeps them fast: a second Python thread busy parsing
fetch responses makes every return of a database thread to the interpreter wait for it (the GIL),
and with the listener's spool writer thread doing the stores the commits took four times as long.
Only the COMMIT, one call a batch, runs in a helper thread, so that its fsync overlaps the next
fetch.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from bounced.config import Mailbox
from bounced.errors import BouncedError
from bounced.intake.files import NO_CAP, capped
from bounced.model import ImapCopy
from bounced.store import Store

READ_AHEAD = 10  # committed batches that may wait for their mark
MARK_BATCHES = 4  # committed batches marked together (fewer when the pass has fewer)
Record = Callable[[Store], None]  # what the poller writes after a mark


@dataclass(frozen=True)
class Stored:
    """A committed batch: the UIDs asked for (the checkpoint passes them all), and of those that
    were fetched (not expunged meanwhile), each one's raw message id."""

    asked: list[int]
    uids: list[int]
    raw_ids: list[int]
    new: int  # how many had not been stored before
    fetched_at: float  # time.perf_counter() as its FETCH was sent


def batches(client: IMAPClient, last: int, size: int) -> list[list[int]]:
    """The selected folder's UIDs after ``last``, in batches."""
    uids = sorted(u for u in client.search(["UID", f"{last + 1}:*"]) if u > last)  # "n:*" always includes the last UID
    return [uids[start : start + size] for start in range(0, len(uids), size)]


def same_folder(selected: dict[bytes, Any], uidvalidity: int, folder: str) -> None:
    if int(selected[b"UIDVALIDITY"]) != uidvalidity:  # recreated under us: the next pass starts over
        raise IMAPClientError(f"{folder}: UIDVALIDITY changed during the pass")


def fetch_items(cap: int) -> list[str]:
    """What a batch fetches: the size, and at most ``cap`` bytes of each message (RFC 3501 partial
    fetch, so that a huge message costs a cap of memory); a larger one is kept as its head (a Cut)."""
    return ["RFC822.SIZE", f"BODY.PEEK[]<0.{cap}>"]


def _body(item: dict[bytes, Any], cap: int, source: str) -> bytes | None:
    body = item.get(b"BODY[]<0>", item.get(b"BODY[]"))
    if not isinstance(body, bytes):
        return None
    return capped(body, cap, max(int(item.get(b"RFC822.SIZE") or 0), len(body)), source)


def store_batch(store: Store, box: Mailbox, uidvalidity: int, asked: list[int], fetched: dict[int, Any],
                fetched_at: float, cap: int = NO_CAP) -> Stored:
    """Store a fetched batch unparsed, with the record of where each message will be after the
    mark, in the caller's transaction.  A crash after the MOVE and before the record of the new
    UIDs leaves only the UIDs unknown; a re-file then finds the message by its Message-ID."""
    source = f"imap:{box.name}/{box.folder};UIDVALIDITY={uidvalidity}"
    uids, items = [], []
    for uid in asked:
        body = _body(fetched.get(uid, {}), cap, f"{source}/;UID={uid}")
        if body is not None:  # otherwise expunged by someone else meanwhile
            uids.append(uid)
            items.append((body, f"{source}/;UID={uid}"))
    stored = store.store_raws(items)
    raw_ids = [raw_id for raw_id, _ in stored]
    if box.after == "move":
        copies = [ImapCopy(raw_id, box.processed_folder, None, None, "filed") for raw_id in raw_ids]
    else:  # flagging keeps the UID
        copies = [ImapCopy(raw_id, box.folder, uidvalidity, uid, "filed") for uid, raw_id in zip(uids, raw_ids)]
    store.file_imap(box.name, copies)
    return Stored(asked, uids, raw_ids, sum(not duplicate for _, duplicate in stored), fetched_at)


_DONE = object()


@dataclass(frozen=True)
class _Unavailable:
    error: BaseException


class ReadAhead:
    """Fetches and stores the messages after ``last`` on connections of its own, up to READ_AHEAD
    batches ahead of the poller's thread, which marks them: the fetch and the MOVE overlap."""

    def __init__(self, login: Callable[[], IMAPClient], database: str, box: Mailbox, uidvalidity: int, last: int,
                 cap: int = NO_CAP) -> None:
        self.cap = cap
        self._queue: queue.Queue[object] = queue.Queue(maxsize=READ_AHEAD)
        self._records: queue.SimpleQueue[Record] = queue.SimpleQueue()
        self._stopping = threading.Event()
        self.unavailable: BaseException | None = None  # why there was no second connection
        self._thread = threading.Thread(target=self._run, args=(login, database, box, uidvalidity, last),
                                        name=f"bounced-read-{box.name}", daemon=True)
        self._thread.start()

    def groups(self) -> Iterator[list[Stored]]:
        """The committed batches, in UID order, at least MARK_BATCHES of them together, and all
        those waiting: one MOVE for them, since each MOVE costs the server a sync of its own."""
        while True:
            items = [self._queue.get()]
            while True:
                try:
                    items.append(self._queue.get_nowait())
                except queue.Empty:
                    if len(items) >= MARK_BATCHES or not isinstance(items[-1], Stored):
                        break
                    items.append(self._queue.get())
            group: list[Stored] = []
            for item in items:
                if isinstance(item, Stored):
                    group.append(item)
                    continue
                if group:
                    yield group
                if isinstance(item, BaseException):
                    raise item
                if isinstance(item, _Unavailable):
                    self.unavailable = item.error
                return  # _DONE
            if group:
                yield group

    def hand_back(self, record: Record) -> None:
        """Write this in the next transaction (or leave it to the caller of stop())."""
        self._records.put(record)

    def stop(self) -> list[Record]:
        """Stop after the batch in hand; returns the records not written yet."""
        self._stopping.set()
        while self._thread.is_alive():
            try:
                self._queue.get(timeout=0.1)  # unblock a reader waiting to hand over a batch
            except queue.Empty:
                pass
        return self._take()

    def _take(self) -> list[Record]:
        records = []
        while True:
            try:
                records.append(self._records.get_nowait())
            except queue.Empty:
                return records

    def _run(self, login: Callable[[], IMAPClient], database: str, box: Mailbox, uidvalidity: int, last: int) -> None:
        client = store = None
        try:
            try:
                client = login()
            # No second connection (a server's limit per user, say): the poller fetches on its own.
            except (BouncedError, OSError, IMAPClientError) as exc:
                self._put(_Unavailable(exc))
                return
            store = Store(database, handed=True)
            same_folder(client.select_folder(box.folder, readonly=True), uidvalidity, box.folder)
            # The commit (its fsync) overlaps the fetches that follow: a thread that only commits
            # returns to the interpreter once a transaction. Batches fetched while a commit is
            # still syncing wait for it and are stored together in the next transaction, so a
            # disk slower than the fetch costs fewer, larger commits rather than a wait a batch.
            with ThreadPoolExecutor(1, thread_name_prefix=f"bounced-commit-{box.name}") as committer:
                committed: Future[None] | None = None
                waiting: list[tuple[list[int], dict[int, Any], float]] = []
                for batch in batches(client, last, box.batch):
                    if self._stopping.is_set():
                        break
                    fetched_at = time.perf_counter()
                    waiting.append((batch, client.fetch(batch, fetch_items(self.cap)), fetched_at))
                    if committed is None or committed.done():
                        committed = self._store(store, box, uidvalidity, waiting, committed, committer)
                        waiting = []
                if waiting:
                    committed = self._store(store, box, uidvalidity, waiting, committed, committer)
                if committed is not None:
                    committed.result()
            self._put(_DONE)
        # The thread's outermost frame: whatever stops it is raised again in the poller's thread.
        except BaseException as exc:  # noqa: BLE001
            self._put(exc)
        finally:
            if store is not None:
                store.close()
            if client is not None:
                try:
                    client.logout()
                except (OSError, IMAPClientError):  # gone already: nothing to log out of
                    pass

    def _store(self, store: Store, box: Mailbox, uidvalidity: int, fetched: list[tuple[list[int], dict[int, Any], float]],
               previous: Future[None] | None, committer: ThreadPoolExecutor) -> Future[None]:
        """Store fetched batches in one transaction, once the previous commit is done; its commit, started."""
        if previous is not None:
            previous.result()  # the connection is this thread's again
        store.begin()
        try:
            stored = [store_batch(store, box, uidvalidity, batch, items, at, self.cap) for batch, items, at in fetched]
            for record in self._take():
                record(store)
        except BaseException:
            store.rollback()
            raise
        return committer.submit(self._commit, store, stored)

    def _commit(self, store: Store, stored: list[Stored]) -> None:
        store.commit()
        for batch in stored:
            self._put(batch)  # for the mark, now that it is durable

    def _put(self, item: object) -> None:
        while not self._stopping.is_set():
            try:
                self._queue.put(item, timeout=0.2)
                return
            except queue.Full:
                continue
