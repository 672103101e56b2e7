"""`bounced check`: the database's health for monitoring, as a Nagios plugin reports it.

One status line and performance data; exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (the database
cannot be read, or the command was misused). The database is opened read-only: a check never
creates, migrates or locks it for writing.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bounced.config import Settings

OK, WARNING, CRITICAL, UNKNOWN = 0, 1, 2, 3
NAMES = ("OK", "WARNING", "CRITICAL", "UNKNOWN")


@dataclass(frozen=True)
class Measure:
    """One figure, its thresholds (a value at or above one is that state) and what it means."""

    label: str  # perfdata label
    value: float
    warn: float | None
    crit: float | None
    text: str  # for the status line
    unit: str = ""
    least: int = OK  # a state the figure cannot show (no message at all)

    @property
    def state(self) -> int:
        if self.least != OK:
            return self.least
        if self.crit is not None and self.value >= self.crit:
            return CRITICAL
        if self.warn is not None and self.value >= self.warn:
            return WARNING
        return OK

    def perfdata(self) -> str:
        def num(v: float | None) -> str:
            return "" if v is None else f"{v:g}"

        return f"{self.label}={num(self.value)}{self.unit};{num(self.warn)};{num(self.crit)};0"


def connect_ro(path: Path) -> sqlite3.Connection:
    """A read-only connection; sqlite3.Error if the file is missing or not a database."""
    if not path.is_file():
        raise sqlite3.OperationalError(f"{path}: no such database")
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=5)
    conn.execute("SELECT 1 FROM raw_messages LIMIT 1")  # a bounced database, readable
    return conn


def _age(now: datetime, iso: str | None) -> float | None:
    if not iso:
        return None
    then = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return max(0.0, (now - (then if then.tzinfo else then.replace(tzinfo=UTC))).total_seconds())


def measure(conn: sqlite3.Connection, path: Path, settings: Settings, limits: dict[str, Any],
            now: datetime | None = None) -> list[Measure]:
    """Every figure of the check, from the database at ``path``."""
    now = now or datetime.now(UTC)
    window = limits["window"]
    since = (now - timedelta(hours=window)).isoformat(timespec="seconds")
    one = conn.execute
    backlog, oldest = one("SELECT count(*), min(received_at) FROM raw_messages WHERE state = 'stored'").fetchone()
    backlog_age = _age(now, oldest) or 0.0
    last = one("SELECT received_at FROM raw_messages ORDER BY id DESC LIMIT 1").fetchone()
    silence = _age(now, last[0] if last else None)
    failed, unknown = one("SELECT sum(state = 'failed'), sum(state = 'unknown') FROM raw_messages"
                          " WHERE state IN ('failed', 'unknown') AND received_at >= ?", (since,)).fetchone()
    (forged,) = one("SELECT count(*) FROM events WHERE correlation = 'forged' AND received_at >= ?", (since,)).fetchone()
    storm_since = (now - timedelta(minutes=settings.storm_window_minutes)).isoformat(timespec="seconds")
    storms = [r[0] for r in one("SELECT domain FROM storms WHERE last_at >= ? ORDER BY domain", (storm_since,))]
    size = sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists()) / 2**20
    hours = f"in {window:g} h"
    return [
        Measure("backlog", backlog, *limits["backlog"], f"backlog {backlog}"),
        Measure("backlog_age", round(backlog_age), *limits["backlog_age"],
                f"oldest unprocessed {_human(backlog_age)} old" if backlog else "", "s"),
        Measure("last_message_age", round(silence or 0), *limits["silence"],
                f"last message {_human(silence)} ago" if silence is not None else "no message received yet", "s",
                WARNING if silence is None else OK),
        Measure("failed", failed or 0, *limits["failed"], f"{failed or 0} failed {hours}"),
        Measure("unknown", unknown or 0, *limits["unknown"], f"{unknown or 0} not understood {hours}"),
        Measure("forged", forged, *limits["forged"], f"{forged} forged VERP {hours}"),
        Measure("storms", len(storms), *limits["storms"],
                f"{len(storms)} storm(s) in progress" + (f" ({', '.join(storms)})" if storms else "")),
        Measure("db_size", round(size, 1), *limits["size"], f"database {size:.1f} MiB", "MB"),
    ]


def _human(seconds: float) -> str:
    for unit, length in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= length:
            return f"{seconds / length:.0f} {unit}"
    return f"{seconds:.0f} s"


def report(measures: list[Measure]) -> tuple[int, str]:
    """The exit status and the line: the worst state; what is not OK first, then the rest."""
    state = max((m.state for m in measures), default=OK)
    ordered = sorted((m for m in measures if m.text), key=lambda m: -m.state)
    text = ", ".join(m.text for m in ordered)
    return state, f"BOUNCED {NAMES[state]} - {text} | " + " ".join(m.perfdata() for m in measures)


def check(settings: Settings, limits: dict[str, Any]) -> tuple[int, str]:
    """The exit status and the line for the database of ``settings`` (UNKNOWN when it cannot be read)."""
    path = settings.database_path()
    try:
        conn = connect_ro(path)
        try:
            return report(measure(conn, path, settings, limits))
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return UNKNOWN, f"BOUNCED UNKNOWN - cannot read the database: {exc}"
