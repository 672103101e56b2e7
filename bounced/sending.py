"""The sending application's side: register what was sent and get the VERP Return-Path to send it with.

    from bounced.sending import Sender
    sender = Sender.from_config()            # reads /etc/bounced/bounced.toml or $BOUNCED_CONFIG
    return_path = sender.register("<msg-1@example.com>", "user@example.org", campaign="news-11")

With a configuration file the sender uses its database and verp_secret_file, the ones the service
uses; it never makes a secret of its own (a ConfigError says what is missing).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from bounced import config, verp
from bounced.config import Settings
from bounced.errors import ConfigError, InputError
from bounced.model import Sent
from bounced.times import iso_utc
from bounced.pipeline import Pipeline
from bounced.store import Store

BATCH = 1000  # sends per transaction: a short hold of the write lock, few commits


class Sender:
    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self._secret = settings.verp_secret()

    @classmethod
    def from_config(cls, path: str | None = None) -> Sender:
        """A sender on the configuration's database and VERP secret; ConfigError (one line, naming the key) if
        either is not named, a value is wrong, or the secret cannot be read."""
        settings = config.load(path)
        settings.verp_secret()  # first: a sender that cannot sign creates no database
        return cls(Store(settings.database_path()), settings)

    def return_path(self, key: str, domain: str | None = None, day: int | None = None) -> str:
        domain = domain or (self.settings.bounce_domains[0] if self.settings.bounce_domains else None)
        if not domain:
            raise ConfigError("bounce_domains: no bounce domain configured to build a Return-Path with")
        assert self._secret is not None
        return verp.encode(key, self._secret, self.settings.verp_prefix, domain, day)

    def register(
        self,
        message_id: str | None,
        recipient: str,
        campaign: str | None = None,
        sent_at: datetime | str | None = None,
        envelope_id: str | None = None,
        domain: str | None = None,
    ) -> str:
        """Record one send and return the Return-Path (VERP) to send it with."""
        when = sent_at or datetime.now(UTC)
        when_text = when.isoformat(timespec="seconds") if isinstance(when, datetime) else when
        day = int(datetime.fromisoformat(when_text).timestamp() // 86400)
        (sent,) = self.register_many([{
            "message_id": message_id, "recipient": recipient, "campaign": campaign,
            "sent_at": when_text, "envelope_id": envelope_id,
        }])
        return self.return_path(sent.key, domain, day)

    def register_many(self, rows: Iterable[dict[str, Any]]) -> list[Sent]:
        """Register sends (dicts with message_id, recipient, campaign, sent_at, key?, envelope_id?);
        bounces that arrived before them are correlated again."""
        return list(self.register_stream(rows))

    def register_stream(self, rows: Iterable[dict[str, Any]], batch: int = BATCH) -> Iterator[Sent]:
        """register_many for a stream of any length in constant memory: ``batch`` rows per
        transaction, each batch's orphans retried after its commit, its sends yielded then.

        A row that raises (a bad one, read lazily) stops the stream; the batches before it stay
        registered."""
        it = iter(rows)
        while chunk := list(islice(it, batch)):
            sent = self.store.register(chunk)
            retry_orphans(self.store, self.settings, [s.key for s in sent], [s.message_id for s in sent if s.message_id])
            yield from sent


_SPACE = re.compile(r"\s")


def check_row(row: Any) -> dict[str, Any]:
    """One send to register, checked: a recipient that looks like an address, a sent_at that is an
    ISO 8601 time (a date alone is its midnight; no offset is UTC), turned into UTC.  InputError says why."""
    if not isinstance(row, dict):
        raise InputError(f"expected an object with recipient and sent_at, got {type(row).__name__}")
    recipient, sent_at = row.get("recipient"), row.get("sent_at")
    if not recipient or not isinstance(recipient, str):
        raise InputError("recipient is missing")
    if "@" not in recipient or _SPACE.search(recipient.strip()):
        raise InputError(f"recipient {recipient!r} is not an address")
    if not sent_at:
        raise InputError("sent_at is missing")
    return {**row, "recipient": recipient.strip(), "sent_at": utc_time(sent_at, "sent_at")}


def utc_time(value: Any, name: str) -> str:
    """``value`` (ISO 8601 text: a date, or a time with or without an offset; naive is UTC) as UTC text."""
    if not isinstance(value, str):
        raise InputError(f"{name} {value!r} is not an ISO 8601 time")
    try:
        return iso_utc(value)
    except ValueError as exc:
        raise InputError(f"{name} {value!r} is not an ISO 8601 time (e.g. 2026-11-20T09:58:00+00:00): {exc}") from exc


def retry_orphans(store: Store, settings: Settings, keys: list[str], message_ids: list[str]) -> int:
    """Re-process stored reports whose events were orphans, strangers or foreign and name one of these sends,
    and those a Message-ID gave to another address than the one they name: its only recipient then."""
    if not keys and not message_ids:
        return 0
    ids: set[int] = set()
    for chunk_start in range(0, max(len(keys), len(message_ids)), 500):
        k = keys[chunk_start : chunk_start + 500]
        m = message_ids[chunk_start : chunk_start + 500]
        rows = store.query(
            "SELECT DISTINCT raw_id FROM events WHERE (correlation IN ('orphan', 'stranger', 'foreign')"
            " OR (correlation = 'message-id' AND reported != address))"
            # a pruned report has no bytes left to parse again: its events stay as they were
            " AND NOT EXISTS (SELECT 1 FROM raw_messages r WHERE r.id = events.raw_id AND r.pruned_at IS NOT NULL) AND "
            f"(sent_key IN ({','.join('?' * len(k)) or 'NULL'}) OR message_id IN ({','.join('?' * len(m)) or 'NULL'}))",
            [*k, *m],
        )
        ids.update(r["raw_id"] for r in rows)
    if ids:
        pipeline = Pipeline(store, settings)
        for raw_id in sorted(ids):
            pipeline.process(raw_id)
    return len(ids)
