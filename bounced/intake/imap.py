"""The bounce-mailbox poller: IMAPClient, by UID, checkpointed on UIDVALIDITY + last UID, marked after commit.

Per batch of UIDs: BODY.PEEK[] (nothing turns \\Seen before our commit), store every message and
process it in one transaction, commit, then mark on the server (MOVE, or COPY + \\Deleted + UID
EXPUNGE; or only \\Seen) and only then advance the checkpoint.  A crash anywhere in between is
harmless: the same UIDs are fetched again, the raw store knows their bytes (SHA-256), and no event
is recorded twice.  Non-bounces (auto-replies, human replies) are kept and moved to their own folder.
"""

from __future__ import annotations

import logging
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from bounced.config import Mailbox, Settings
from bounced.errors import BouncedError
from bounced.pipeline import Pipeline
from bounced.store import Store

log = logging.getLogger(__name__)
MAX_IDLE = 29 * 60  # RFC 2177: servers may drop an IDLE after 30 minutes
NETWORK_ERRORS = (OSError, socket.timeout, ssl.SSLError, IMAPClientError)


class AuthError(BouncedError):
    """The server refused the login: fatal, never retried."""


@dataclass
class PollResult:
    fetched: int = 0
    stored: int = 0
    bounces: int = 0
    others: int = 0


class Poller:
    def __init__(self, store: Store, settings: Settings, mailbox: Mailbox) -> None:
        self.store = store
        self.settings = settings
        self.mailbox = mailbox
        self.pipeline = Pipeline(store, settings)
        self.client: IMAPClient | None = None
        self.before_mark: Callable[[list[int]], None] | None = None  # a test's hook: a crash before the mark

    # -- connection ---------------------------------------------------------------------------

    def connect(self) -> IMAPClient:
        box = self.mailbox
        context = ssl.create_default_context(cafile=box.ca_file or None)
        port = box.port or (993 if box.security == "tls" else 143)
        client = IMAPClient(box.host, port=port, ssl=box.security == "tls", ssl_context=context, timeout=60)
        if box.security == "starttls":
            client.starttls(context)
        try:
            client.login(box.user, box.password())
        except LoginError as exc:
            client.shutdown()
            raise AuthError(f"mailbox.{box.name}: login as {box.user!r} refused by {box.host}: {exc}") from exc
        for folder in (box.processed_folder, box.nonbounce_folder):
            if box.after == "move" or folder == box.nonbounce_folder:
                if not client.folder_exists(folder):
                    client.create_folder(folder)
        self.client = client
        return client

    def close(self) -> None:
        if self.client is not None:
            try:
                self.client.logout()
            except NETWORK_ERRORS:
                pass
            self.client = None

    # -- one pass -----------------------------------------------------------------------------

    def poll_once(self) -> PollResult:
        """Store, process and mark every message after the checkpoint."""
        client = self.client or self.connect()
        box = self.mailbox
        selected = client.select_folder(box.folder)
        uidvalidity = int(selected[b"UIDVALIDITY"])
        known, last = self.store.checkpoint(box.name)
        if known is not None and known != uidvalidity:
            # The folder was recreated: its UIDs mean other messages now. Start over; the raw
            # store's SHA-256 keeps the messages we already have from counting twice.
            log.warning("mailbox %s: UIDVALIDITY changed %s -> %s; reading the folder again", box.name, known, uidvalidity)
            last = 0
        uids = sorted(u for u in client.search(["UID", f"{last + 1}:*"]) if u > last)
        result = PollResult()
        for start in range(0, len(uids), box.batch):
            batch = uids[start : start + box.batch]
            self._batch(client, batch, uidvalidity, result)
        if not uids and known != uidvalidity:
            self.store.save_checkpoint(box.name, uidvalidity, last)
        return result

    def _batch(self, client: IMAPClient, batch: list[int], uidvalidity: int, result: PollResult) -> None:
        box = self.mailbox
        fetched = client.fetch(batch, ["BODY.PEEK[]"])
        bounces, others = [], []
        with self.store.transaction():  # one commit for the batch; the server is marked after it
            for uid in batch:
                item = fetched.get(uid)
                if item is None or b"BODY[]" not in item:
                    continue  # expunged by someone else meanwhile
                raw = item[b"BODY[]"]
                outcome = self.pipeline.ingest(raw, f"imap:{box.name}/{box.folder};UIDVALIDITY={uidvalidity}/;UID={uid}")
                result.fetched += 1
                result.stored += not outcome.duplicate
                kind = outcome.kind if not outcome.duplicate else self._stored_kind(outcome.raw_id)
                if kind in ("bounce", "delay", "delivered", "feedback"):
                    bounces.append(uid)
                else:
                    others.append(uid)
        if self.before_mark is not None:
            self.before_mark(batch)
        self._mark(client, bounces, box.processed_folder if box.after == "move" else None)
        self._mark(client, others, box.nonbounce_folder)
        result.bounces += len(bounces)
        result.others += len(others)
        self.store.save_checkpoint(box.name, uidvalidity, batch[-1])
        log.info("mailbox %s: %d message(s) stored (%d bounce, %d other)", box.name, len(batch), len(bounces), len(others))

    def _stored_kind(self, raw_id: int) -> str | None:
        rows = self.store.query("SELECT kind FROM raw_messages WHERE id = ?", [raw_id])
        return rows[0]["kind"] if rows else None

    def _mark(self, client: IMAPClient, uids: list[int], folder: str | None) -> None:
        if not uids:
            return
        if folder is None:
            client.add_flags(uids, [b"\\Seen"])
        elif client.has_capability("MOVE"):
            client.move(uids, folder)
        else:  # RFC 4315 UID EXPUNGE removes only ours
            client.copy(uids, folder)
            client.add_flags(uids, [b"\\Deleted"])
            client.uid_expunge(uids)

    # -- loops --------------------------------------------------------------------------------

    def run(self, idle: bool, stop: Callable[[], bool], notify: Callable[[str], None] = lambda s: None) -> None:
        """Poll until ``stop()``; reconnect with backoff on network errors; AuthError ends it."""
        backoff = 1.0
        ready = False
        while not stop():
            try:
                self.poll_once()
                if not ready:
                    notify("READY=1")
                    ready = True
                notify("WATCHDOG=1")
                backoff = 1.0
                self._wait(idle, stop, notify)
            except AuthError:
                raise
            except NETWORK_ERRORS as exc:
                log.warning("mailbox %s: %s: %s; reconnecting in %.0f s", self.mailbox.name, type(exc).__name__, exc, backoff)
                self.client = None
                _sleep(backoff, stop)
                backoff = min(backoff * 2, 300.0)
        self.close()

    def _wait(self, idle: bool, stop: Callable[[], bool], notify: Callable[[str], None]) -> None:
        client = self.client
        assert client is not None
        if not (idle and client.has_capability("IDLE")):
            _sleep(self.mailbox.poll_seconds, stop)
            return
        client.idle()
        try:
            deadline = time.monotonic() + min(self.mailbox.idle_seconds, MAX_IDLE)
            while not stop() and time.monotonic() < deadline:
                if client.idle_check(timeout=1):
                    break  # something arrived (EXISTS), or the server said something
                notify("WATCHDOG=1")
        finally:
            client.idle_done()


def _sleep(seconds: float, stop: Callable[[], bool]) -> None:
    deadline = time.monotonic() + seconds
    while not stop() and time.monotonic() < deadline:
        time.sleep(min(0.2, deadline - time.monotonic()))
