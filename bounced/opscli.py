"""The operator's commands: `check` (a Nagios plugin) and `metrics` (Prometheus text format).

Their modules are imported when they run, so that `bounced parse` does not pay for them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from bounced.config import Settings


def _pair(kind: type) -> click.Tuple:
    return click.Tuple([kind, kind])


class _Nagios(click.Command):
    """Misuse and a bad configuration exit 3 (UNKNOWN), not click's 2, which a monitor reads as CRITICAL."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            exc.exit_code = 3
            raise

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SystemExit as exc:  # the shared options' exit 2 on a configuration error
            if exc.code in (0, None):
                raise
            click.echo(f"BOUNCED UNKNOWN - configuration error (exit {exc.code})")
            sys.exit(3)
        except click.ClickException as exc:
            click.echo(f"BOUNCED UNKNOWN - {exc.format_message()}")
            sys.exit(3)


def register(cli: click.Group, settings_options: Callable[..., Any]) -> None:
    @cli.command(cls=_Nagios)
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
    def check(settings: Settings, window: float, silence: tuple[float, float], **limits: Any) -> None:
        """Health for monitoring, as a Nagios plugin: one status line with performance data.

        Exit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (no readable database, bad usage or
        configuration). No message received yet is a WARNING: the route to bounced is not proven.
        """
        from bounced.health import check as run

        state, line = run(settings, {**limits, "window": window, "silence": (silence[0] * 3600, silence[1] * 3600)})
        click.echo(line)
        click.get_current_context().exit(state)  # click's Exit: a SystemExit here is the shared options' (UNKNOWN)

    @cli.command()
    @click.option("--textfile", type=click.Path(dir_okay=False, writable=True),
                  help="write node_exporter's textfile collector file here (atomically; name it *.prom)")
    @click.option("--listen", metavar="HOST:PORT", help="serve /metrics over HTTP here until stopped (keep it on loopback: nothing guards the port)")
    @settings_options
    def metrics(settings: Settings, textfile: str | None, listen: str | None) -> None:
        """Metrics in the Prometheus text format, from the database: messages, events by reason, suppressions,
        storms, backlog, processing delay. Printed, written to --textfile for node_exporter, or served."""
        import signal
        import sqlite3
        import threading

        from bounced import metrics as metrics_mod
        from bounced.service import split_hostport

        try:
            if listen:
                host, port = split_hostport(listen, "--listen")
                stop = threading.Event()
                for sig in (signal.SIGTERM, signal.SIGINT):
                    signal.signal(sig, lambda *_: stop.set())
                metrics_mod.serve(settings, host, port, stop)
                return
            data = metrics_mod.render(settings, textfile)
        except (sqlite3.Error, OSError) as exc:
            raise click.ClickException(f"metrics: {exc}") from exc
        if not textfile:
            click.echo(data.decode(), nl=False)
