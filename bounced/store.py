"""The SQLite record (sqlite-utils): raw messages byte for byte, sends, events, address states, audit.

WAL, a busy timeout, synchronous=FULL (a stored message survives a power cut before we answer
250), the schema as migrations.  SQLite errors become StoreError with the reason in words.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from bounced import schema
from bounced.errors import StoreError
from bounced.model import Event, ImapCopy, Sent

BUSY_TIMEOUT_MS = 10_000


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _store_error(exc: sqlite3.Error, path: str) -> StoreError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return StoreError(f"{path}: database is locked by another process; gave up waiting")
    if "full" in text:
        return StoreError(f"{path}: disk full: {text}")
    if "readonly" in text or "unable to open" in text:
        return StoreError(f"{path}: cannot write the database: {text}")
    return StoreError(f"{path}: {text}")


def envelope_text(value: str | None) -> tuple[str | None, bytes | None]:
    """An envelope value as UTF-8 text, and its exact bytes when the text is not exact.

    aiosmtpd decodes command arguments as UTF-8 with surrogateescape: an old MTA's Latin-1 address
    arrives with surrogates, which SQLite cannot take as text."""
    if value is None:
        return None, None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        try:
            raw = value.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # a surrogate that no byte became: keep it as UTF-8 would spell it
            raw = value.encode("utf-8", "surrogatepass")
        return raw.decode("utf-8", "backslashreplace"), raw
    return value, None


class Store:
    """One connection to the bounced database.  Not shared between threads."""

    def __init__(self, path: str | Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS, durable: bool = True,
                 handed: bool = False) -> None:
        """``durable=False`` (synchronous=NORMAL) is for connections that write only what can be
        derived again from the raw messages: a power cut may lose their last commits, never a message.
        ``handed=True``: the connection may pass from one thread to another, used by one at a time."""
        self.path = str(path)
        self.busy_timeout_ms = busy_timeout_ms
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=busy_timeout_ms / 1000, isolation_level=None,
                                   check_same_thread=not handed)
            conn.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
            conn.execute("PRAGMA foreign_keys = ON")
            self.db = Database(conn)
            schema.apply(self.db)
        except (sqlite3.Error, OSError) as exc:
            raise _store_error(exc, self.path) if isinstance(exc, sqlite3.Error) else StoreError(f"{self.path}: {exc}") from exc

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE .. COMMIT, with SQLite errors turned into StoreError.

        Inside an open transaction it is a savepoint, so a caller may group many messages into
        one commit (batch ingest) while each message still rolls back alone."""
        if self.conn.in_transaction:
            with self.savepoint():
                yield
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _store_error(exc, self.path) from exc
        try:
            yield
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise _store_error(exc, self.path) from exc
        except BaseException:
            self._rollback()
            raise

    def begin(self) -> None:
        """BEGIN IMMEDIATE of a transaction that commit() or rollback() ends, perhaps in another
        thread (``handed``); transaction() wherever one block can hold it."""
        self._execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise _store_error(exc, self.path) from exc

    def rollback(self) -> None:
        self._rollback()

    @contextmanager
    def _write(self) -> Iterator[None]:
        """A store method's own writes: a transaction of their own, or part of the caller's."""
        if self.conn.in_transaction:
            try:
                yield
            except sqlite3.Error as exc:
                raise _store_error(exc, self.path) from exc
            return
        with self.transaction():
            yield

    @contextmanager
    def batch(self, every: int = 200) -> Iterator[Callable[[], None]]:
        """Group many messages into one transaction, committed after every ``every`` ticks and at the end."""
        count = [0]

        def tick() -> None:
            count[0] += 1
            if count[0] % every == 0:
                self._execute("COMMIT")
                self._execute("BEGIN IMMEDIATE")

        self._execute("BEGIN IMMEDIATE")
        try:
            yield tick
            self._execute("COMMIT")
        finally:
            if self.conn.in_transaction:
                self._rollback()

    def _execute(self, sql: str) -> None:
        try:
            self.conn.execute(sql)
        except sqlite3.Error as exc:
            raise _store_error(exc, self.path) from exc

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        try:
            self.conn.execute("SAVEPOINT step")
            yield
            self.conn.execute("RELEASE step")
        except sqlite3.Error as exc:
            self.conn.execute("ROLLBACK TO step")
            self.conn.execute("RELEASE step")
            raise _store_error(exc, self.path) from exc
        except BaseException:
            self.conn.execute("ROLLBACK TO step")
            self.conn.execute("RELEASE step")
            raise

    def _rollback(self) -> None:
        try:
            self.conn.execute("ROLLBACK")
        except sqlite3.Error:  # no transaction left to roll back (SQLite already did)
            pass

    def query(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        try:
            cursor = self.conn.execute(sql, tuple(params))
            names = [d[0] for d in cursor.description or ()]
            return [dict(zip(names, row)) for row in cursor.fetchall()]
        except sqlite3.Error as exc:
            raise _store_error(exc, self.path) from exc

    # -- raw messages -----------------------------------------------------------------------

    def store_raw(self, data: bytes | bytearray, source: str, mail_from: str | None = None,
                  rcpt_to: str | None = None) -> tuple[int, bool]:
        """Keep a raw message durably; (id, True) if these exact bytes were already stored.

        An envelope address that is not UTF-8 (aiosmtpd hands its bytes over as surrogates) is
        kept as text with ``\\xHH`` for each such byte, and byte for byte in ``*_bytes``.  The first
        bytes of a message over the cap (intake.files.Cut) are stored with the size it had (full_size)."""
        digest = hashlib.sha256(data).hexdigest()
        mail_from, mail_from_bytes = envelope_text(mail_from)
        rcpt_to, rcpt_to_bytes = envelope_text(rcpt_to)
        with self._write():
            row = self.conn.execute("SELECT id FROM raw_messages WHERE sha256 = ?", (digest,)).fetchone()
            if row:
                return row[0], True
            cur = self.conn.execute(
                "INSERT INTO raw_messages (sha256, raw, size, source, mail_from, rcpt_to, received_at, state,"
                " mail_from_bytes, rcpt_to_bytes, full_size) VALUES (?, ?, ?, ?, ?, ?, ?, 'stored', ?, ?, ?)",
                (digest, data, len(data), source, mail_from, rcpt_to, now(), mail_from_bytes, rcpt_to_bytes,
                 getattr(data, "full_size", None)),
            )
            return int(cur.lastrowid or 0), False

    def store_raws(self, items: Sequence[tuple[bytes, str]]) -> list[tuple[int, bool]]:
        """Keep many raw messages (data, source) durably at once, as store_raw does each: a few
        statements for the lot instead of two for each, so that a writer thread holds the GIL less."""
        digests = [hashlib.sha256(data).hexdigest() for data, _ in items]
        at = now()
        with self._write():
            known = self._raw_ids_by_digest(digests)
            new = {d: (d, data, len(data), source, at, getattr(data, "full_size", None))
                   for d, (data, source) in zip(digests, items) if d not in known}
            self.conn.executemany(
                "INSERT INTO raw_messages (sha256, raw, size, source, received_at, state, full_size)"
                " VALUES (?, ?, ?, ?, ?, 'stored', ?)",
                list(new.values()),
            )
            ids = {**known, **self._raw_ids_by_digest(list(new))}
        out, fresh = [], set(new)
        for digest in digests:
            out.append((ids[digest], digest not in fresh))
            fresh.discard(digest)  # the same bytes twice in the lot: the second is a duplicate
        return out

    def _raw_ids_by_digest(self, digests: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for start in range(0, len(digests), 500):
            chunk = digests[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            found.update(self.conn.execute(f"SELECT sha256, id FROM raw_messages WHERE sha256 IN ({marks})", chunk).fetchall())
        return found

    def raw(self, raw_id: int) -> dict[str, Any]:
        rows = self.query("SELECT * FROM raw_messages WHERE id = ?", [raw_id])
        if not rows:
            raise StoreError(f"no raw message {raw_id}")
        return rows[0]

    def received_at(self, raw_id: int) -> str:
        row = self.conn.execute("SELECT received_at FROM raw_messages WHERE id = ?", (raw_id,)).fetchone()
        if row is None:
            raise StoreError(f"no raw message {raw_id}")
        return str(row[0])

    def mark_raw(self, raw_id: int, **fields: Any) -> None:
        sets = ", ".join(f"{k} = ?" for k in fields)
        with self._write():
            self.conn.execute(f"UPDATE raw_messages SET {sets} WHERE id = ?", (*fields.values(), raw_id))

    def raw_ids(self, where: str = "1", params: Iterable[Any] = (), limit: int = -1) -> list[int]:
        """Ids of the raw messages that can be parsed (not pruned) matching ``where``, oldest first."""
        sql = f"SELECT id FROM raw_messages WHERE pruned_at IS NULL AND ({where}) ORDER BY id LIMIT ?"
        return [r["id"] for r in self.query(sql, [*params, limit])]

    # -- sends ------------------------------------------------------------------------------

    def register(self, rows: Iterable[dict[str, Any]]) -> list[Sent]:
        """Upsert sends on their natural key (message id, recipient); a key is made where none is given.
        One transaction for the lot: callers with a long stream pass it in batches."""
        out: list[Sent] = []
        at = now()
        with self._write():
            for row in rows:
                recipient = row["recipient"]
                message_id = row.get("message_id") or None
                existing = None
                if message_id:
                    existing = self.conn.execute(
                        "SELECT key FROM sent WHERE message_id = ? AND recipient = ?", (message_id, recipient)
                    ).fetchone()
                key = row.get("key") or (existing[0] if existing else secrets.token_hex(6))
                found = self.conn.execute(
                    "INSERT INTO sent (key, message_id, recipient, campaign, sent_at, envelope_id, registered_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT(key) DO UPDATE SET message_id = excluded.message_id, recipient = excluded.recipient,"
                    " campaign = excluded.campaign, sent_at = excluded.sent_at, envelope_id = excluded.envelope_id"
                    " RETURNING id, key, message_id, recipient, campaign, sent_at, envelope_id",
                    (key, message_id, recipient, row.get("campaign"), row["sent_at"], row.get("envelope_id"), at),
                ).fetchone()
                out.append(Sent(*found))
        return out

    def sent_by(self, column: str, value: str) -> Sent | None:
        assert column in ("key", "envelope_id", "id")
        rows = self.query(f"SELECT * FROM sent WHERE {column} = ? ORDER BY sent_at DESC LIMIT 1", [value])
        return _sent(rows[0]) if rows else None

    def sent_for_message(self, message_id: str) -> list[Sent]:
        return [_sent(r) for r in self.query("SELECT * FROM sent WHERE message_id = ? ORDER BY id", [message_id])]

    def sends_with(self, column: str, value: str, recipients: Sequence[str] = (), limit: int = 2) -> list[Sent]:
        """Up to ``limit`` sends with this Message-ID or envelope id, only those to ``recipients`` if
        given: enough to tell none, one and many apart without reading a whole newsletter's sends."""
        assert column in ("message_id", "envelope_id")
        where, params = f"{column} = ?", [value]
        if recipients:
            where += f" AND recipient IN ({', '.join('?' for _ in recipients)})"
            params += list(recipients)
        return [_sent(r) for r in self.query(f"SELECT * FROM sent WHERE {where} ORDER BY id LIMIT ?", [*params, limit])]

    def latest_sent_to(self, recipient: str, before: str, after: str) -> Sent | None:
        rows = self.query(
            "SELECT * FROM sent WHERE recipient = ? AND sent_at <= ? AND sent_at >= ? ORDER BY sent_at DESC LIMIT 1",
            [recipient, before, after],
        )
        return _sent(rows[0]) if rows else None

    # -- events and states --------------------------------------------------------------------

    def replace_events(self, raw_id: int, report_key: str, rows: list[dict[str, Any]]) -> list[str]:
        """The report's events, replacing what an earlier parse of the same report recorded.

        Returns the addresses whose history changed (old and new)."""
        with self._write():
            old = [r[0] for r in self.conn.execute("SELECT address FROM events WHERE report_key = ?", (report_key,))]
            self.conn.execute("DELETE FROM events WHERE report_key = ?", (report_key,))
            for row in rows:
                cols = ", ".join(row)
                self.conn.execute(
                    f"INSERT INTO events ({cols}) VALUES ({', '.join('?' for _ in row)})"
                    " ON CONFLICT(report_key, address) DO NOTHING",
                    tuple(row.values()),
                )
        return list(dict.fromkeys(old + [r["address"] for r in rows]))

    def history(self, address: str, counted_only: bool = False, since: str | None = None) -> list[Event]:
        """An address's events in time order; ``counted_only``: those that may count, and hard bounces
        held by a hard or dns storm (Event.held), after ``since``."""
        where = "address = ?"
        params: list[Any] = [address]
        if counted_only:
            where += " AND counts = 1 AND (storm = 0 OR storm_id IN (SELECT id FROM storms WHERE kind != 'policy'))"
        if since:
            where += " AND event_at > ?"
            params.append(since)
        rows = self.conn.execute(
            "SELECT kind, action, reason, bounce_type, event_at, counts AND NOT storm, report_key, sent_id, status,"
            " rule, correlation, report_at, CASE WHEN storm = 1 AND counts = 1 AND bounce_type = 'hard' AND"
            " (SELECT kind FROM storms WHERE id = storm_id) != 'policy' THEN storm_id END"
            f" FROM events WHERE {where} ORDER BY event_at, id",
            params,
        ).fetchall()
        return [
            Event(address, kind, action, reason, bounce_type, event_at, bool(counts), report_key, sent_id, status, rule, corr,
                  report_at, held)
            for kind, action, reason, bounce_type, event_at, counts, report_key, sent_id, status, rule, corr, report_at, held
            in rows
        ]

    def last_manual(self, address: str, since: str | None = None) -> str | None:
        """When the address was last suppressed by hand (after ``since``, its last unsuppress)."""
        row = self.conn.execute("SELECT max(at) FROM audit WHERE address = ? AND action = 'manual_suppress' AND at > ?",
                                (address, since or "")).fetchone()
        return row[0] if row else None

    def lapse_due(self, at: str, limit: int = 100) -> list[str]:
        """Suppressed addresses whose suppression lapses at or before ``at`` (index idx_addresses_lapse)."""
        rows = self.conn.execute("SELECT address FROM addresses WHERE state = 'suppressed' AND lapses_at <= ? LIMIT ?",
                                 (at, limit)).fetchall()
        return [r[0] for r in rows]

    def summary(self, address: str) -> dict[str, Any]:
        """Counts over all of an address's events, and its latest one: facts for people, not for policy."""
        row = self.conn.execute(
            "SELECT sum(bounce_type = 'hard'), sum(bounce_type = 'soft'), sum(kind = 'feedback'), sum(kind = 'delay'),"
            " max(event_at) FROM events WHERE address = ?",
            (address,),
        ).fetchone()
        last = self.conn.execute(
            "SELECT reason FROM events WHERE address = ? ORDER BY event_at DESC LIMIT 1", (address,)
        ).fetchone()
        return {"hard": row[0] or 0, "soft": row[1] or 0, "complaints": row[2] or 0, "delays": row[3] or 0,
                "last_event_at": row[4], "last_reason": last[0] if last else None}

    def last_unsuppress(self, address: str) -> str | None:
        rows = self.query("SELECT max(at) AS at FROM audit WHERE address = ? AND action = 'unsuppress'", [address])
        return rows[0]["at"] if rows else None

    def address_state(self, address: str) -> dict[str, Any] | None:
        rows = self.query("SELECT * FROM addresses WHERE address = ?", [address])
        return rows[0] if rows else None

    def save_state(self, address: str, state: dict[str, Any], audit: tuple[str, str] | None = None) -> None:
        row = {"address": address, **state, "updated_at": now()}
        cols = ", ".join(row)
        updates = ", ".join(f"{c} = excluded.{c}" for c in row if c != "address")
        with self._write():
            self.conn.execute(
                f"INSERT INTO addresses ({cols}) VALUES ({', '.join('?' for _ in row)})"
                f" ON CONFLICT(address) DO UPDATE SET {updates}",
                tuple(row.values()),
            )
            if audit is not None:
                self._audit(address, audit[0], audit[1], "bounced")

    def checkpoint(self, mailbox: str) -> tuple[int | None, int]:
        """(UIDVALIDITY, last UID stored) of an IMAP mailbox; (None, 0) before its first poll."""
        row = self.conn.execute("SELECT uidvalidity, last_uid FROM checkpoints WHERE mailbox = ?", (mailbox,)).fetchone()
        return (row[0], row[1]) if row else (None, 0)

    def save_checkpoint(self, mailbox: str, uidvalidity: int, last_uid: int) -> None:
        with self._write():
            self.conn.execute(
                "INSERT INTO checkpoints (mailbox, uidvalidity, last_uid, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(mailbox) DO UPDATE SET uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid,"
                " updated_at = excluded.updated_at",
                (mailbox, uidvalidity, last_uid, now()),
            )

    def file_imap(self, mailbox: str, copies: Iterable[ImapCopy]) -> None:
        """Record where messages read from a mailbox live now (an upsert on mailbox + raw id)."""
        at = now()
        with self._write():
            self.conn.executemany(
                "INSERT INTO imap_messages (mailbox, raw_id, folder, uidvalidity, uid, state, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(mailbox, raw_id) DO UPDATE SET folder = excluded.folder,"
                " uidvalidity = excluded.uidvalidity, uid = excluded.uid, state = excluded.state,"
                " updated_at = excluded.updated_at",
                [(mailbox, c.raw_id, c.folder, c.uidvalidity, c.uid, c.state, at) for c in copies],
            )

    def imap_decided(self, mailbox: str) -> list[tuple[ImapCopy, str | None]]:
        """A mailbox's messages still to be kept or re-filed whose raw message has been processed, with its kind."""
        rows = self.conn.execute(
            "SELECT m.raw_id, m.folder, m.uidvalidity, m.uid, m.state, r.kind FROM imap_messages m"
            " JOIN raw_messages r ON r.id = m.raw_id"
            " WHERE m.mailbox = ? AND m.state IN ('filed', 'refiling') AND r.state != 'stored' ORDER BY m.raw_id",
            (mailbox,),
        ).fetchall()
        return [(ImapCopy(raw_id, folder, validity, uid, state), kind) for raw_id, folder, validity, uid, state, kind in rows]

    def kinds(self, raw_ids: Iterable[int]) -> dict[int, str | None]:
        """The kind of each of these raw messages (None while unprocessed or when processing failed)."""
        ids = list(raw_ids)
        out: dict[int, str | None] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            out.update(self.conn.execute(f"SELECT id, kind FROM raw_messages WHERE id IN ({marks})", chunk).fetchall())
        return out

    def add_audit(self, address: str, action: str, why: str, actor: str) -> None:
        with self._write():
            self._audit(address, action, why, actor)

    def _audit(self, address: str, action: str, why: str, actor: str) -> None:
        self.conn.execute("INSERT INTO audit (at, address, action, why, actor) VALUES (?, ?, ?, ?, ?)",
                          (now(), address, action, why, actor))


def _sent(row: dict[str, Any]) -> Sent:
    return Sent(
        id=row["id"], key=row["key"], message_id=row["message_id"], recipient=row["recipient"],
        campaign=row["campaign"], sent_at=row["sent_at"], envelope_id=row["envelope_id"],
    )
