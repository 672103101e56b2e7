"""The policy commands of the CLI: suppress by hand, storms (list, confirm), and the replay of reprocess --policy-only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from bounced.cliout import checked_address, emit, output_options
from bounced.commands import Pipeline, existing_store
from bounced.config import Settings


def register(cli: click.Group, settings_options: Callable[..., Any]) -> None:
    @cli.command()
    @click.argument("address")
    @click.option("--why", required=True, help="why the address is suppressed (kept in the audit trail)")
    @settings_options
    def suppress(settings: Settings, address: str, why: str) -> None:
        """Suppress an address by hand (tier manual); it never lapses; `bounced unsuppress` lifts it."""
        import getpass

        address = checked_address(address)
        store = existing_store(settings)
        store.add_audit(address, "manual_suppress", why, getpass.getuser())
        Pipeline(store, settings).apply_policy([address])
        row = store.address_state(address)
        click.echo(f"{address}: {row['state']} ({row['tier']}): {row['why']}")

    @cli.group(invoke_without_command=True)
    @output_options
    @settings_options
    @click.pass_context
    def storms(ctx: click.Context, settings: Settings, fmt: str | None) -> None:
        """Storms: bursts of rejections from one domain (policy, hard, dns); held hard bounces."""
        if ctx.invoked_subcommand is not None:
            return
        from bounced.storms import listing
        from bounced.store import now

        emit(listing(existing_store(settings), now(), settings.storm_window_minutes), fmt,
             ("id", "domain", "remote_mta", "kind", "state", "first_at", "last_at", "count", "reasons"))

    @storms.command("confirm")
    @click.argument("storm_id", type=int)
    @settings_options
    def storms_confirm(settings: Settings, storm_id: int) -> None:
        """The storm was real: its held hard bounces suppress their addresses."""
        import getpass

        from bounced.storms import confirm

        store = existing_store(settings)
        try:
            addresses = confirm(store, storm_id, getpass.getuser())
        except (LookupError, ValueError) as exc:
            raise click.ClickException(str(exc)) from exc
        Pipeline(store, settings).apply_policy(addresses)
        (n,) = store.conn.execute("SELECT count(*) FROM addresses WHERE state = 'suppressed' AND address IN"
                                  " (SELECT address FROM events WHERE storm_id = ?)", (storm_id,)).fetchone()
        click.echo(f"storm {storm_id} confirmed: {len(addresses)} address(es) derived again, {n} suppressed")


def replay_policy(store: Any, settings: Settings, dry_run: bool) -> None:
    """`reprocess --policy-only`: what would be (or was) added, held, released, lapsed and lifted."""
    import time

    from bounced.replay import change, replay

    started = time.monotonic()
    result = replay(store, settings, dry_run)
    counts = result.counts()
    verb = "would be" if dry_run else "were"
    click.echo(f"{result.addresses} address(es) and {result.storms} storm(s) derived again in {time.monotonic() - started:.1f} s; "
               + ", ".join(f"{n} {verb} {name}" for name, n in counts.items()))
    for address, before, after, tier in result.changes:
        click.echo(f"  {change(before, after)}: {address}: {before} -> {after}" + (f" ({tier})" if tier and after == "suppressed" else ""))
