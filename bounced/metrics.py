"""Metrics in the Prometheus text format, computed from the database, so every intake is counted.

For node_exporter's textfile collector (``bounced metrics --textfile DIR/bounced.prom`` from a
timer; the file is replaced atomically), or served on a loopback port (``--listen``), each scrape
read from the database.  prometheus_client is
imported only here, when metrics are asked for.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from prometheus_client import CollectorRegistry, generate_latest, start_http_server
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

from bounced.config import Settings
from bounced.health import connect_ro

STATES = ("stored", "parsed", "unknown", "failed", "duplicate")
DELAY_WINDOW = timedelta(hours=1)


def _seconds(iso: str | None) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() if iso else 0.0


class DatabaseCollector:
    """A prometheus_client collector: every figure read from the database at collect time."""

    def __init__(self, settings: Settings, now: datetime | None = None) -> None:
        self.path = settings.database_path()
        self.settings = settings
        self.now = now
        self.conn: sqlite3.Connection

    def collect(self) -> Iterator[Metric]:
        """One read-only connection per collection: a scrape may come on any thread of the HTTP server."""
        self.conn = connect_ro(self.path)
        try:
            yield from self._collect()
        finally:
            self.conn.close()

    def _collect(self) -> Iterator[Metric]:
        now = self.now or datetime.now(UTC)
        one = self.conn.execute
        by_state = dict.fromkeys(STATES, 0) | dict(one("SELECT state, count(*) FROM raw_messages GROUP BY state"))
        total = sum(by_state.values())
        yield CounterMetricFamily("bounced_messages_received", "Raw messages received and kept, from every intake",
                                  value=total)
        yield CounterMetricFamily("bounced_messages_processed", "Raw messages parsed, correlated and recorded",
                                  value=total - by_state["stored"])
        states = GaugeMetricFamily("bounced_messages", "Raw messages by state", labels=["state"])
        for state, count in sorted(by_state.items()):
            states.add_metric([state], count)
        yield states
        yield GaugeMetricFamily("bounced_backlog_messages", "Messages stored and not yet processed",
                                value=by_state["stored"])
        (oldest,) = one("SELECT min(received_at) FROM raw_messages WHERE state = 'stored'").fetchone()
        yield GaugeMetricFamily("bounced_backlog_oldest_age_seconds", "How long the oldest unprocessed message has waited",
                                value=max(0.0, now.timestamp() - _seconds(oldest)) if oldest else 0.0)
        last = one("SELECT received_at FROM raw_messages ORDER BY id DESC LIMIT 1").fetchone()
        yield GaugeMetricFamily("bounced_last_received_timestamp_seconds", "When the last message was received (0: never)",
                                value=_seconds(last[0]) if last else 0.0)
        yield from self._events()
        yield from self._policy(now)
        yield from self._delay(now)
        size = sum(p.stat().st_size for p in (self.path, Path(f"{self.path}-wal")) if p.exists())
        yield GaugeMetricFamily("bounced_database_size_bytes", "The database file and its WAL", value=size)

    def _events(self) -> Iterator[Metric]:
        events = CounterMetricFamily("bounced_events", "Recipient events recorded, by kind, reason and bounce type",
                                     labels=["kind", "reason", "bounce_type"])
        for kind, reason, bounce_type, count in self.conn.execute(
                "SELECT kind, coalesce(reason, ''), coalesce(bounce_type, ''), count(*) FROM events"
                " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"):
            events.add_metric([kind, reason, bounce_type], count)
        yield events
        counted = CounterMetricFamily("bounced_events_not_counted", "Events that count against no one, by why",
                                      labels=["why"])
        for why, count in self.conn.execute(
                "SELECT CASE WHEN storm THEN 'storm' ELSE correlation END, count(*) FROM events"
                " WHERE storm OR NOT counts GROUP BY 1 ORDER BY 1"):
            counted.add_metric([why or ""], count)
        yield counted

    def _policy(self, now: datetime) -> Iterator[Metric]:
        one = self.conn.execute
        (suppressed,) = one("SELECT count(*) FROM addresses WHERE state = 'suppressed'").fetchone()
        yield GaugeMetricFamily("bounced_suppressed_addresses", "Addresses suppressed now", value=suppressed)
        (made,) = one("SELECT count(*) FROM audit WHERE action = 'suppress'").fetchone()
        yield CounterMetricFamily("bounced_suppressions", "Suppressions decided (the audit trail's suppress entries)",
                                  value=made)
        (storms,) = one("SELECT count(*) FROM storms").fetchone()
        yield CounterMetricFamily("bounced_storms", "Storms recorded (policy rejections from one domain)", value=storms)
        since = (now - timedelta(minutes=self.settings.storm_window_minutes)).isoformat(timespec="seconds")
        (active,) = one("SELECT count(*) FROM storms WHERE last_at >= ?", (since,)).fetchone()
        yield GaugeMetricFamily("bounced_storms_active", "Storms in progress", value=active)

    def _delay(self, now: datetime) -> Iterator[Metric]:
        """Receipt to processed, over the last hour's messages (the stored times are whole seconds)."""
        since = (now - DELAY_WINDOW).isoformat(timespec="seconds")
        count, total, worst = self.conn.execute(
            "SELECT count(*), sum(d), max(d) FROM (SELECT (julianday(parsed_at) - julianday(received_at)) * 86400 AS d"
            " FROM raw_messages WHERE received_at >= ? AND parsed_at IS NOT NULL)", (since,)).fetchone()
        delay = GaugeMetricFamily("bounced_processing_delay_seconds",
                                  "Receipt to processed over the last hour's messages: mean and max", labels=["stat"])
        delay.add_metric(["mean"], round(total / count, 3) if count else 0.0)
        delay.add_metric(["max"], round(worst, 3) if count else 0.0)
        yield delay


def registry(settings: Settings, now: datetime | None = None) -> CollectorRegistry:
    reg = CollectorRegistry(auto_describe=False)
    reg.register(DatabaseCollector(settings, now))
    return reg


def render(settings: Settings, textfile: str | None = None, now: datetime | None = None) -> bytes:
    """The exposition; with ``textfile``, also written there atomically (a temporary file beside it,
    then rename(2)), mode 0644 for node_exporter, so that a scrape never reads half a file."""
    data = generate_latest(registry(settings, now))
    if textfile:
        target = Path(textfile)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        except BaseException:
            os.unlink(tmp)
            raise
    return data


def serve(settings: Settings, host: str, port: int, stop: threading.Event) -> None:
    """Answer scrapes on host:port (HTTP, /metrics) until ``stop`` is set; each scrape reads the database."""
    reg = registry(settings)
    generate_latest(reg)  # a database that cannot be read fails here, not at the first scrape
    server, thread = start_http_server(port, host, registry=reg)
    try:
        stop.wait()
    finally:
        server.shutdown()
        thread.join(5)
