"""The database commands of the CLI: ingest, register, verp, status, suppressed, stats, events, unsuppress, reprocess."""

from __future__ import annotations

import errno
import json
import sys
from collections.abc import Callable
from typing import Any

import click

from bounced import verp as verp_mod
from bounced.cliout import checked_address, emit, output_options, since_option
from bounced.config import Settings
from bounced.errors import BouncedError
from bounced.intake.files import check_paths, iter_messages

# The database layer (sqlite-utils and what it brings) is imported by the commands that use it,
# so that `bounced parse` starts fast.


def Store(*args: Any, **kwargs: Any) -> Any:  # noqa: N802 - stands for the class
    from bounced.store import Store as _Store

    return _Store(*args, **kwargs)


def Pipeline(*args: Any) -> Any:  # noqa: N802
    from bounced.pipeline import Pipeline as _Pipeline

    return _Pipeline(*args)


def Sender(*args: Any) -> Any:  # noqa: N802
    from bounced.sending import Sender as _Sender

    return _Sender(*args)


EVENT_COLUMNS = ("event_at", "kind", "reason", "bounce_type", "status", "correlation", "counts", "storm", "rule", "reported")
LISTED_EVENT_COLUMNS = ("received_at", "address", "kind", "reason", "bounce_type", "status", "reply_code", "correlation",
                        "counts", "campaign")


def existing_store(settings: Settings) -> Any:
    """The database, for commands that only read or amend it: a missing one is a mistake, not an empty answer."""
    path = settings.database_path()
    if not path.exists():
        named = f"database in {settings.config_path}" if settings.config_path else "no configuration file; --db"
        raise click.ClickException(f"{path}: no such database ({named})")
    return Store(path)


def refuse_problems(settings: Settings, mailboxes: tuple[str, ...] | None = ()) -> None:
    """What `bounced config check` would refuse, a daemon refuses to start on: every problem, exit 2.

    Of the mailboxes, only those named are checked (None: all): `serve` reads none, and a poller
    unit (bounced-poll@NAME) is handed the credential of its own mailbox only."""
    import dataclasses

    from bounced.validate import problems

    if mailboxes is not None:
        settings = dataclasses.replace(settings, mailboxes=tuple(m for m in settings.mailboxes if m.name in mailboxes))
    errors = problems(settings)
    for error in errors:
        click.echo(f"Error: {error}", err=True)
    if errors:
        sys.exit(2)


def in_force(settings: Settings) -> list[str]:
    """The database and the VERP secrets a command would use, the secrets by fingerprint."""
    path = settings.database_path()
    lines = [f"database: {path.absolute()} ({'exists' if path.exists() else 'not yet created'})"]
    source = settings.verp_secret_source()
    if source.made and not source.path.exists():
        lines.append(f"verp secret: {source.path.absolute()} (made on first use)")
    else:
        secret = settings.verp_secret(create=False)
        assert secret is not None
        lines.append(f"verp secret: {source.path.absolute()} (fingerprint {verp_mod.fingerprint(secret)})")
    previous = settings.verp_previous_secret()
    if previous is not None:
        lines.append(f"previous verp secret: {settings.verp_previous_secret_file} (fingerprint {verp_mod.fingerprint(previous)})")
    return lines


def register_commands(cli: click.Group, settings_options: Callable[..., Any]) -> None:
    @cli.command()
    @click.argument("paths", nargs=-1, required=True)
    @click.option("--progress/--no-progress", default=None, help="a progress bar (default: when stderr is a terminal)")
    @settings_options
    def ingest(settings: Settings, paths: tuple[str, ...], progress: bool | None) -> None:
        """Store, parse, correlate and record bounce messages (files, directories, Maildirs, mboxes, -)."""
        check_paths(list(paths))
        # Files stay the source of truth, so commits need not survive a power cut (synchronous=NORMAL);
        # standard input is gone once read, so it is committed durably.
        store = Store(settings.database_path(), durable="-" in paths)
        pipeline = Pipeline(store, settings)
        from bounced import progress as bars

        counts: dict[str, int] = {}
        show = bars.shown(progress)
        with bars.byte_bar("ingest", bars.input_bytes(paths) if show else None, show) as advance:
            with store.batch(every=200) as tick:  # files are the source of truth: one commit per 200
                for source, data in iter_messages(list(paths), settings.max_message_size):
                    outcome = pipeline.ingest(data, source)
                    counts[outcome.state] = counts.get(outcome.state, 0) + 1
                    tick()
                    advance(len(data))
        click.echo(", ".join(f"{n} {state}" for state, n in sorted(counts.items())) or "no messages")

    @cli.command()
    @click.option("--listen", help="SMTP host:port (default from the config: 127.0.0.1:2525)")
    @click.option("--lmtp", help="LMTP host:port or unix socket path")
    @settings_options
    def serve(settings: Settings, listen: str | None, lmtp: str | None) -> None:
        """Run the SMTP/LMTP listener that bounce reports are delivered to."""
        import asyncio

        from bounced.config import override
        from bounced.logsetup import configure
        from bounced.service import serve as run

        settings = override(settings, listen=listen, lmtp=lmtp)
        refuse_problems(settings)
        configure()  # sd-daemon priorities under the journal; aiosmtpd's per-command trace muted
        try:
            asyncio.run(run(settings))
        except OSError as exc:
            if exc.errno not in (errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES):
                raise
            # a port in use or not ours to bind: the operator's problem, in one line (exit 1)
            raise click.ClickException(f"cannot listen: {exc.strerror or exc}") from exc

    @cli.command()
    @click.option("--mailbox", "names", multiple=True, help="a [mailbox.NAME] of the config (default: all)")
    @click.option("--once", "mode", flag_value="once", default=True, help="one pass, then exit (for cron; default)")
    @click.option("--idle", "mode", flag_value="idle", help="keep running: IMAP IDLE, polling where there is none")
    @click.option("--poll", "mode", flag_value="poll", help="keep running, polling every poll_seconds")
    @settings_options
    def poll(settings: Settings, names: tuple[str, ...], mode: str) -> None:
        """Read bounce mailboxes over IMAP: store, move or flag each message, then process; non-bounces to their own folder."""
        import signal
        import threading

        from bounced.intake.imap import NETWORK_ERRORS, Poller
        from bounced.logsetup import configure
        from bounced.service import notify

        boxes = [m for m in settings.mailboxes if not names or m.name in names]
        refuse_problems(settings, tuple(m.name for m in boxes))
        configure()
        unknown = set(names) - {m.name for m in settings.mailboxes}
        if unknown or not boxes:
            raise click.UsageError(f"no such mailbox in the configuration: {', '.join(sorted(unknown)) or '(none configured)'}")
        if mode == "once":
            for box in boxes:
                poller = Poller(Store(settings.database_path()), settings, box)
                try:
                    result = poller.poll_once()
                except NETWORK_ERRORS as exc:
                    raise click.ClickException(f"mailbox {box.name}: {type(exc).__name__}: {exc}") from exc
                finally:
                    poller.close()
                click.echo(f"{box.name}: {result.fetched} fetched, {result.stored} new, "
                           f"{result.bounces} bounce(s), {result.others} other, {result.refiled} re-filed")
            return
        stopping = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stopping.set())
        signal.signal(signal.SIGINT, lambda *_: stopping.set())
        errors: list[BaseException] = []

        def run(box: Any) -> None:
            try:
                Poller(Store(settings.database_path()), settings, box).run(mode == "idle", stopping.is_set, notify)
            except BouncedError as exc:  # a refused login: fatal, reported once
                errors.append(exc)
                stopping.set()

        threads = [threading.Thread(target=run, args=(box,), name=f"poll-{box.name}") for box in boxes]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        notify("STOPPING=1")
        if errors:
            raise click.ClickException(str(errors[0]))

    @cli.command()
    @click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="jsonl", show_default=True)
    @click.option("--domain", help="bounce domain for the Return-Paths (default: the first configured)")
    @settings_options
    def register(settings: Settings, fmt: str, domain: str | None) -> None:
        """Register sends from stdin (message_id, recipient, campaign, sent_at[, key, envelope_id]); print Return-Paths.

        Every row is checked before any is registered (a bad one: its line and why, exit 1, nothing
        registered); then they are registered in batches, each Return-Path printed as its batch commits."""
        from bounced.registering import checked_copy

        with checked_copy(sys.stdin, fmt) as rows:  # the rows, checked, on disk: memory stays constant
            settings.verp_secret()  # first: a sender that cannot sign creates no database
            sender = Sender(Store(settings.database_path()), settings)
            signing = bool(domain or settings.bounce_domains)
            out = sys.stdout
            for s in sender.register_stream(rows):
                path = sender.return_path(s.key, domain) if signing else ""
                out.write(json.dumps({"key": s.key, "message_id": s.message_id, "recipient": s.recipient,
                                      "return_path": path}) + "\n")
            out.flush()

    @cli.group()
    def verp() -> None:
        """Encode and decode bounced's VERP return paths."""

    @verp.command("encode")
    @click.argument("key")
    @click.option("--domain", help="bounce domain (default: the first configured)")
    @settings_options
    def verp_encode(settings: Settings, key: str, domain: str | None) -> None:
        """The Return-Path for the sent message KEY."""
        domain = domain or (settings.bounce_domains[0] if settings.bounce_domains else None)
        if not domain:
            raise click.UsageError("no --domain and no bounce_domains configured")
        secret = settings.verp_secret()
        assert secret is not None
        click.echo(verp_mod.encode(key, secret, settings.verp_prefix, domain))

    @verp.command("decode")
    @click.argument("address")
    @settings_options
    def verp_decode(settings: Settings, address: str) -> None:
        """Decode ADDRESS; exit 1 if it is not a valid VERP address of ours."""
        keys = (settings.verp_secret(create=False), settings.verp_previous_secret())
        info = verp_mod.decode(address, keys, settings.verp_prefix, settings.verp_max_age_days)
        if info is None:
            raise click.ClickException(f"{address}: not a VERP address of ours (prefix {settings.verp_prefix!r})")
        click.echo(json.dumps({"message": info.message, "recipient": info.recipient, "valid": info.valid,
                               "signed": info.signed, "problem": info.problem}))
        if not info.valid:
            sys.exit(1)

    @cli.command()
    @click.argument("address")
    @output_options
    @settings_options
    def status(settings: Settings, address: str, fmt: str | None) -> None:
        """An address's state, the rule that fired, its events and audit trail.

        A table by default; --json: one object (state, events, audit); --nl, --csv, --tsv: the events."""
        address = checked_address(address)
        store = existing_store(settings)
        state = store.address_state(address)
        events = store.query(
            "SELECT event_at, kind, reason, bounce_type, status, correlation, counts, storm, rule,"
            " nullif(reported, address) AS reported FROM events WHERE address = ? ORDER BY event_at, id", [address])
        audit = store.query("SELECT at, action, why, actor FROM audit WHERE address = ? ORDER BY id", [address])
        if fmt == "json":
            click.echo(json.dumps({"address": address, "state": state, "events": events, "audit": audit}, default=str))
            return
        if fmt in ("nl", "csv", "tsv"):
            emit(events, fmt, EVENT_COLUMNS)
            return
        if state is None:
            click.echo(f"{address}: no events")
            return
        click.echo(f"{address}: {state['state']} (rule {state['rule']}): {state['why']}")
        emit(events, "table")
        if audit:
            click.echo()
            emit(audit, "table")

    @cli.command()
    @output_options
    @click.option("--format", "legacy", type=click.Choice(["table", "csv", "json"]), hidden=True,
                  help="deprecated: --table, --csv, or --nl (what --format json printed)")
    @since_option("the changes recorded since then (added, lapsed, lifted, held, released)")
    @settings_options
    def suppressed(settings: Settings, fmt: str | None, legacy: str | None, since: str | None) -> None:
        """Suppressed addresses, with the tier, the rule and why; with --since, the changes since then."""
        if legacy:
            fmt = fmt or {"json": "nl"}.get(legacy, legacy)
            click.echo(f"Warning: --format is deprecated; use --{fmt}", err=True)
        store = existing_store(settings)
        Pipeline(store, settings).lapse_due(limit=-1)  # suppressions whose time is up are shown lapsed
        if since is None:
            emit(store.query("SELECT * FROM suppressed"), fmt,
                 ("address", "suppressed_at", "rule", "why", "last_reason", "tier", "suppressed_sent_id", "lapses_at"))
            return
        from bounced.changes import changes_since

        emit(changes_since(store, since), fmt,
             ("at", "address", "change", "tier", "state", "suppressed_at", "lapses_at", "why"))

    @cli.command()
    @click.option("--campaign")
    @since_option("sends on or after DATE")
    @output_options
    @settings_options
    def stats(settings: Settings, campaign: str | None, since: str | None, fmt: str | None) -> None:
        """Sent, hard, soft and complaints per campaign, with hard- and soft-bounce rates."""
        from bounced.reports import stats_rows

        emit(stats_rows(existing_store(settings), campaign, since), fmt,
             ("campaign", "sent", "hard", "soft", "complaints", "hard_rate", "soft_rate"))

    @cli.command()
    @since_option("events received on or after DATE")
    @click.option("--reason")
    @click.option("--address")
    @click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True)
    @output_options
    @settings_options
    def events(settings: Settings, since: str | None, reason: str | None, address: str | None, limit: int,
               fmt: str | None) -> None:
        """Recorded bounce events, newest first."""
        if address is not None:
            address = checked_address(address, "--address")
        where, params = ["1"], []
        for column, value, op in (("received_at", since, ">="), ("reason", reason, "="), ("address", address, "=")):
            if value:
                where.append(f"{column} {op} ?")
                params.append(value)
        rows = existing_store(settings).query(
            f"SELECT {', '.join(LISTED_EVENT_COLUMNS)}"
            f" FROM events WHERE {' AND '.join(where)} ORDER BY received_at DESC, id DESC LIMIT ?", [*params, limit])
        emit(rows, fmt, LISTED_EVENT_COLUMNS)

    @cli.command()
    @click.argument("address")
    @click.option("--why", required=True, help="why the suppression is lifted (kept in the audit trail)")
    @settings_options
    def unsuppress(settings: Settings, address: str, why: str) -> None:
        """Lift an address's suppression; only events after now count against it."""
        store = existing_store(settings)
        state = store.address_state(address)
        if state is None or state["state"] != "suppressed":
            raise click.ClickException(f"{address}: not suppressed")
        import getpass

        store.add_audit(address, "unsuppress", why, getpass.getuser())
        Pipeline(store, settings).apply_policy([address])
        click.echo(f"{address}: {store.address_state(address)['state']}")

    @cli.command()
    @click.option("--html", "html_path", type=click.Path(dir_okay=False), required=True, help="write the page here")
    @click.option("--days", type=click.IntRange(1, 3660), default=30, show_default=True, help="the last N days (UTC)")
    @click.option("--campaign", help="only this campaign's sends and events")
    @settings_options
    def report(settings: Settings, html_path: str, days: int, campaign: str | None) -> None:
        """A self-contained HTML report: rates, bounces per day, domains, storms, suppressions, health."""
        from bounced.report_html import gather, render

        page = render(gather(existing_store(settings), days, campaign,
                             storm_window_minutes=settings.storm_window_minutes))
        with open(html_path, "w", encoding="utf-8") as fh:
            fh.write(page)
        click.echo(f"wrote {html_path} ({len(page)} bytes)")

    @cli.group("config")
    def config_group() -> None:
        """Check or show the configuration."""

    @config_group.command("check")
    @click.option("--config", "config_path", envvar="BOUNCED_CONFIG", type=click.Path(dir_okay=False))
    def config_check(config_path: str | None) -> None:
        """Report every configuration error, one line each naming its key (exit 2 if there is any); else
        the configuration file, the database and the VERP secrets (by fingerprint) in force."""
        from bounced import config as config_mod

        settings, errors = config_mod.check(config_path)
        for error in errors:
            click.echo(f"Error: {error}", err=True)
        if errors:
            sys.exit(2)
        assert settings is not None
        click.echo(f"ok: {settings.config_path or 'no configuration file; defaults and BOUNCED_* variables'}")
        for line in in_force(settings):
            click.echo(line)

    @config_group.command("show")
    @settings_options
    def config_show(settings: Settings) -> None:
        """Every setting with its value (from the file, a BOUNCED_* variable, or the default)."""
        from bounced.config import SETTINGS

        for setting in SETTINGS:
            value = getattr(settings, setting.name)
            click.echo(f"{setting.name} = {json.dumps(list(value) if isinstance(value, tuple) else value)}  # {setting.help}")

    @cli.command()
    @click.option("--dry-run", is_flag=True, help="print what would be emptied; change nothing")
    @click.option("--days", type=click.IntRange(min=1), default=None,
                  help="keep the raw bytes of the last DAYS days (default: retention_days)")
    @settings_options
    def prune(settings: Settings, dry_run: bool, days: int | None) -> None:
        """Empty the raw bytes of processed messages older than retention_days; events, states and the audit stay.

        Run it daily (a timer or cron); it works in small transactions, so the listener keeps answering.
        The file keeps its size (freed pages are reused); see the README for VACUUM and backups."""
        from bounced.retention import cutoff, describe
        from bounced.retention import prune as run

        days = days or settings.retention_days
        if not days:
            click.echo("retention_days is 0: raw messages are kept forever; nothing to prune")
            return
        result = run(existing_store(settings), cutoff(days), dry_run)
        for line in describe(result, dry_run):
            click.echo(line)

    @cli.command("reprocess")
    @click.option("--all", "which", flag_value="all", help="every stored message")
    @click.option("--failed", "which", flag_value="failed", default=True, help="messages that failed (default)")
    @click.option("--orphans", "which", flag_value="orphans", help="messages whose bounces matched no send")
    @click.option("--dry-run", is_flag=True, help="show what would change; write nothing")
    @click.option("--progress/--no-progress", default=None, help="a progress bar (default: when stderr is a terminal)")
    @click.option("--policy-only", is_flag=True, help="no parsing: derive storms and states again from the recorded events")
    @settings_options
    def reprocess_cmd(settings: Settings, which: str, dry_run: bool, progress: bool | None, policy_only: bool) -> None:
        """Re-parse stored raw messages (after an upgrade or a rule change) and re-derive events and states."""
        if policy_only:
            from bounced.policycli import replay_policy

            replay_policy(existing_store(settings), settings, dry_run)
            return
        existing_store(settings)
        try:
            from bounced import progress as bars
            from bounced.reports import reprocess

            result = reprocess(settings, which, dry_run, lambda ids: bars.counted(ids, "reprocess", bars.shown(progress)))
        except BouncedError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"{result.messages} message(s) reprocessed; {len(result.changed)} address state(s) "
                   f"{'would change' if dry_run else 'changed'}")
        for address, before, after in result.changed:
            click.echo(f"  {address}: {before} -> {after}")

