"""`bounced check`: the database's health for monitoring, as a Nagios plugin reports it.

One status line and performance data; exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (the database
cannot be read, or the command was misused). The database is opened read-only: a check never
creates, migrates or locks it for writing.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import click

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


class _NagiosCommand(click.Command):
    """Misuse and a bad configuration exit 3 (UNKNOWN), not click's 2, which a monitor reads as CRITICAL."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            exc.exit_code = UNKNOWN
            raise

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SystemExit as exc:  # the shared options' exit 2 on a configuration error
            if exc.code in (0, None):
                raise
            click.echo(f"BOUNCED UNKNOWN - configuration error (exit {exc.code})")
            sys.exit(UNKNOWN)
        except click.ClickException as exc:
            click.echo(f"BOUNCED UNKNOWN - {exc.format_message()}")
            sys.exit(UNKNOWN)


def _pair(kind: type) -> Callable[[Any], Any]:
    return click.Tuple([kind, kind])


def register(cli: click.Group, settings_options: Callable[..., Any]) -> None:
    @cli.command(cls=_NagiosCommand)
    @click.option("--window", type=click.FloatRange(min=0.1), default=24.0, show_default=True,
                  help="hours that 'recently' means for failed, not understood and forged")
    @click.option("--backlog", type=_pair(int), default=(100, 1000), show_default=True,
                  help="WARN CRIT: messages stored and not yet processed")
    @click.option("--backlog-age", type=_pair(int), default=(900, 3600), show_default=True,
                  help="WARN CRIT: seconds the oldest unprocessed message has waited")
    @click.option("--silence", type=_pair(float), default=(48.0, 168.0), show_default=True,
                  help="WARN CRIT: hours since the last message was received")
    @click.option("--failed", type=_pair(int), default=(1, 10), show_default=True,
                  help="WARN CRIT: messages whose processing failed (a traceback kept), in the window")
    @click.option("--unknown", type=_pair(int), default=(20, 200), show_default=True,
                  help="WARN CRIT: messages not understood (state unknown), in the window")
    @click.option("--forged", type=_pair(int), default=(10, 100), show_default=True,
                  help="WARN CRIT: bounces with a forged or expired VERP token, in the window")
    @click.option("--storms", type=_pair(int), default=(1, 5), show_default=True,
                  help="WARN CRIT: storms in progress (rejections from one domain counted for no one)")
    @click.option("--size", type=_pair(float), default=(2048.0, 8192.0), show_default=True,
                  help="WARN CRIT: database size in MiB (with its WAL)")
    @settings_options
    def check(settings: Settings, window: float, **limits: Any) -> None:
        """Health for monitoring, as a Nagios plugin: one status line with performance data.

        Exit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (no readable database, bad usage).
        No message received yet is a WARNING: the route to bounced is not proven.
        """
        path = settings.database_path()
        try:
            conn = connect_ro(path)
            try:
                measures = measure(conn, path, settings, {**limits, "window": window,
                                                          "silence": tuple(h * 3600 for h in limits["silence"])})
            finally:
                conn.close()
        except sqlite3.Error as exc:
            click.echo(f"BOUNCED UNKNOWN - cannot read the database: {exc}")
            click.get_current_context().exit(UNKNOWN)
        state, line = report(measures)
        click.echo(line)
        click.get_current_context().exit(state)  # click's Exit, not SystemExit: the shared options' is UNKNOWN
