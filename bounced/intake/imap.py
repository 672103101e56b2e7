"""The bounce-mailbox poller: IMAPClient, by UID, checkpointed on UIDVALIDITY + last UID, marked after commit.

A pass has two halves, as the SMTP listener has (250 on the commit, parsing later).  The drain
fetches by UID in batches with BODY.PEEK[] (nothing turns \\Seen before our commit), stores the raw
bytes unparsed (one transaction per batch, synchronous commit; on the read-ahead, batches
fetched while a commit is still syncing share the next), only then marks them on the
server (MOVE, or COPY + \\Deleted + UID EXPUNGE, to the processed folder; or only \\Seen), records
where each message now lives (its new UID, from RFC 4315 COPYUID) and advances the checkpoint.
Where there is more than a batch, a second connection fetches and stores the next batches while
this one marks the last (fetch.py).  A crash anywhere in between is harmless: the same UIDs are
fetched again, the raw store knows their bytes (SHA-256), and no event is recorded twice.

Then the pipeline processes what was stored and not yet processed, and the non-bounces
(auto-replies, human replies) are moved, by their recorded UID, to their own folder (refile.py).
"""

from __future__ import annotations

import logging
import socket
import ssl
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from bounced.config import Mailbox, Settings
from bounced.errors import BouncedError
from bounced.intake.fetch import ReadAhead, Record, Stored, batches, fetch_items, same_folder, store_batch
from bounced.intake.oauth import TokenError, TokenSource
from bounced.intake.refile import BOUNCE_KINDS, refile
from bounced.intake.uidplus import transfer, uid_set
from bounced.model import ImapCopy
from bounced.pipeline import Pipeline
from bounced.store import Store

log = logging.getLogger(__name__)
MAX_IDLE = 29 * 60  # RFC 2177: servers may drop an IDLE after 30 minutes
NETWORK_ERRORS = (OSError, socket.timeout, ssl.SSLError, IMAPClientError)
CHUNK = 200  # messages processed in one transaction, between two watchdog pings


class AuthError(BouncedError):
    """The server refused the login: fatal, never retried."""


@dataclass
class PollResult:
    fetched: int = 0
    stored: int = 0
    bounces: int = 0
    others: int = 0
    refiled: int = 0  # non-bounces moved to their folder in this pass (also ones an earlier pass stored)
    raw_ids: list[int] = field(default_factory=list, repr=False)
    first_fetch: float | None = None  # time.perf_counter() as the pass sent its first FETCH


class Poller:
    def __init__(self, store: Store, settings: Settings, mailbox: Mailbox) -> None:
        self.store = store
        self.settings = settings
        self.mailbox = mailbox
        self.client: IMAPClient | None = None
        self.before_mark: Callable[[list[int]], None] | None = None  # a test's hook: a crash before the mark
        self.notify: Callable[[str], None] = lambda state: None
        self._processing: Store | None = None
        # OAuth2: one token for the poller's connections (its own and the read-ahead's)
        self.tokens = TokenSource(mailbox) if mailbox.auth != "password" else None

    # -- connection ---------------------------------------------------------------------------

    def login(self) -> IMAPClient:
        """A new connection, logged in (the poller's own, or the read-ahead's)."""
        box = self.mailbox
        context = server_context(box.tls_server_name or box.host, box.ca_file)
        port = box.port or (993 if box.security == "tls" else 143)
        client = IMAPClient(box.host, port=port, ssl=box.security == "tls", ssl_context=context, timeout=60)
        if box.security == "starttls":
            client.starttls(context)
        try:
            self._authenticate(client)
        except LoginError as exc:
            client.shutdown()
            raise AuthError(f"mailbox.{box.name}: login as {box.user!r} refused by {box.host}: {exc}") from exc
        except TokenError as exc:
            client.shutdown()
            raise AuthError(str(exc)) from exc
        except BaseException:
            client.shutdown()
            raise
        if client.has_capability("QRESYNC"):
            # RFC 7162: what another session (or our MOVE) expunges comes as one VANISHED range
            # instead of an EXPUNGE line per message, each of which would be parsed.
            client.enable("QRESYNC")
        return client

    def _authenticate(self, client: IMAPClient) -> None:
        """LOGIN with the password, or AUTHENTICATE with an OAuth2 token: a refused token is replaced once
        (revoked, or expired before its expires_in), a second refusal is final."""
        box = self.mailbox
        if box.auth == "password":
            client.login(box.user, box.password())
            return
        assert self.tokens is not None
        for attempt in (1, 2):
            token = self.tokens.token()
            try:
                if box.oauth_mechanism == "oauthbearer":
                    client.oauthbearer_login(box.user, token)
                else:
                    client.oauth2_login(box.user, token)
                return
            except LoginError:
                self.tokens.refused(token)
                if attempt == 2:
                    raise
                log.warning("mailbox %s: %s refused the access token; asking for a new one", box.name, box.host)

    def connect(self) -> IMAPClient:
        """The poller's connection, with the folders it moves to."""
        box = self.mailbox
        client = self.login()
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
        if self._processing is not None:
            self._processing.close()
            self._processing = None

    # -- one pass -----------------------------------------------------------------------------

    def poll_once(self) -> PollResult:
        """Store and mark every message after the checkpoint, then process and re-file."""
        result = self.drain()
        self.finish(result)
        return result

    def drain(self) -> PollResult:
        """Store every message after the checkpoint, unparsed, and mark it on the server."""
        client = self.client or self.connect()
        box = self.mailbox
        status = client.folder_status(box.folder, [b"UIDNEXT", b"UIDVALIDITY"])
        uidvalidity = int(status[b"UIDVALIDITY"])
        known, last = self.store.checkpoint(box.name)
        if known is not None and known != uidvalidity:
            # The folder was recreated: its UIDs mean other messages now. Start over; the raw
            # store's SHA-256 keeps the messages we already have from counting twice.
            log.warning("mailbox %s: UIDVALIDITY changed %s -> %s; reading the folder again", box.name, known, uidvalidity)
            last = 0
        ahead = None
        if int(status[b"UIDNEXT"]) - 1 - last > box.batch:
            # More than a batch: a second connection fetches and stores while this one marks.
            # It logs in while this one SELECTs (read-write: Dovecot's first such SELECT after
            # many new messages takes a while, as it hands out their \Recent flags).
            ahead = ReadAhead(self.login, self.store.path, box, uidvalidity, last, self.settings.max_message_size)
        result = PollResult()
        try:
            same_folder(client.select_folder(box.folder), uidvalidity, box.folder)
            if ahead is not None:
                for group in ahead.groups():
                    ahead.hand_back(self._mark(client, group, uidvalidity, result))  # one writer while it runs
                if ahead.unavailable is not None:
                    log.warning("mailbox %s: no second connection (%s); fetching on this one", box.name, ahead.unavailable)
                    ahead = None
            if ahead is None:
                for group in self._fetch(client, uidvalidity, last):
                    self._write([self._mark(client, group, uidvalidity, result)])
        finally:
            if ahead is not None:
                self._write(ahead.stop())
        if result.first_fetch is None and known != uidvalidity:
            self.store.save_checkpoint(box.name, uidvalidity, last)
        return result

    def _write(self, records: list[Record]) -> None:
        with self.store.transaction():
            for record in records:
                record(self.store)

    def finish(self, result: PollResult) -> None:
        """Process what the drains stored, then keep the bounces and re-file the other messages."""
        box = self.mailbox
        if self._processing is None:  # writes only what derives from the raw rows, as the listener's processor
            self._processing = Store(self.store.path, durable=False)
        pipeline = Pipeline(self._processing, self.settings)
        mine = "id IN (SELECT raw_id FROM imap_messages WHERE mailbox = ?)"
        while True:
            with self._processing.transaction():  # a commit per chunk: one per message costs as much as its parse
                if not pipeline.process_stored(mine, [box.name], limit=CHUNK):
                    break
            self.notify("WATCHDOG=1")
        kinds = self.store.kinds(result.raw_ids)
        result.bounces = sum(kinds.get(raw_id) in BOUNCE_KINDS for raw_id in result.raw_ids)
        result.others = len(result.raw_ids) - result.bounces
        client = self.client or self.connect()
        result.refiled = refile(client, self.store, box)

    def _fetch(self, client: IMAPClient, uidvalidity: int, last: int) -> Iterator[list[Stored]]:
        """Fetched on this connection and stored, a batch at a time."""
        for batch in batches(client, last, self.mailbox.batch):
            fetched_at = time.perf_counter()
            fetched = client.fetch(batch, fetch_items(self.settings.max_message_size))
            with self.store.transaction():
                stored = store_batch(self.store, self.mailbox, uidvalidity, batch, fetched, fetched_at,
                                     self.settings.max_message_size)
            yield [stored]

    def _mark(self, client: IMAPClient, group: list[Stored], uidvalidity: int, result: PollResult) -> Record:
        """Mark a committed group on the server; returns the record of where each message is now
        and of the checkpoint past it."""
        box = self.mailbox
        uids = [uid for stored in group for uid in stored.uids]
        ids = dict(zip(uids, (raw_id for stored in group for raw_id in stored.raw_ids)))
        result.fetched += len(uids)
        result.stored += sum(stored.new for stored in group)
        result.raw_ids += ids.values()
        result.first_fetch = result.first_fetch or group[0].fetched_at
        last = group[-1].asked[-1]  # past what someone else expunged meanwhile, too
        if self.before_mark is not None:
            self.before_mark(uids)
        located = []
        if box.after == "move":
            new = transfer(client, uids, box.processed_folder)
            located = [ImapCopy(ids[uid], box.processed_folder, *new[uid], "filed") for uid in uids if uid in new]
        elif uids:
            client.add_flags(uid_set(uids), [b"\\Seen"], silent=True)
        self.notify("WATCHDOG=1")
        log.info("mailbox %s: %d message(s) stored and marked (UID %s to %s)", box.name, len(uids), group[0].asked[0], last)

        def record(store: Store) -> None:
            store.file_imap(box.name, located)
            store.save_checkpoint(box.name, uidvalidity, last)

        return record

    # -- loops --------------------------------------------------------------------------------

    def run(self, idle: bool, stop: Callable[[], bool], notify: Callable[[str], None] = lambda s: None) -> None:
        """Poll until ``stop()``; reconnect with backoff on network errors; AuthError ends it."""
        self.notify = notify
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


class _NamedContext(ssl.SSLContext):
    """A client context that sends ``server_name`` in SNI and checks the certificate for it, whatever
    host the socket was opened to: IMAPClient (TLS) and imaplib (STARTTLS) both wrap the socket with
    the connection's host as server_hostname."""

    server_name = ""

    def wrap_socket(self, sock: socket.socket, *args: Any, server_hostname: str | None = None, **kwargs: Any) -> ssl.SSLSocket:
        return super().wrap_socket(sock, *args, server_hostname=self.server_name, **kwargs)


def server_context(server_name: str, ca_file: str = "") -> ssl.SSLContext:
    """ssl.create_default_context()'s verification (the system's CAs, or ``ca_file``) for ``server_name``."""
    context = _NamedContext(ssl.PROTOCOL_TLS_CLIENT)  # check_hostname and CERT_REQUIRED, as the default context
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    else:
        context.load_default_certs(ssl.Purpose.SERVER_AUTH)
    context.server_name = server_name
    return context


def _sleep(seconds: float, stop: Callable[[], bool]) -> None:
    deadline = time.monotonic() + seconds
    while not stop() and time.monotonic() < deadline:
        time.sleep(min(0.2, deadline - time.monotonic()))
