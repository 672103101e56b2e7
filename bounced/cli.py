"""The ``bounced`` command: a click group of thin commands over the library.

Exit status: 0 done; 1 a runtime error (database, input), one line on stderr; 2 bad usage, a
PATH that does not exist, or a configuration error (one line naming the key).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import click

from bounced import config as config_mod
from bounced.config import Settings
from bounced.errors import BouncedError, ConfigError, InputError
from bounced.intake.files import check_paths, iter_messages
from bounced.output import table_rows, to_json
from bounced.parse import parse_message


def settings_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--config and --db, turned into a Settings passed as ``settings``; library errors become one line."""

    @click.option("--config", "config_path", envvar=config_mod.CONFIG_ENV, metavar="FILE",  # read (and refused) by config.load
                  help=f"configuration file (default {config_mod.DEFAULT_CONFIG} if present)")
    @click.option("--db", "database", type=click.Path(dir_okay=False), help="SQLite database (overrides the config)")
    @functools.wraps(func)
    def wrapper(config_path: str | None, database: str | None, **kwargs: Any) -> Any:
        try:
            settings = config_mod.load(config_path, database=database)
            return func(settings=settings, **kwargs)
        except InputError as exc:
            raise click.UsageError(str(exc)) from exc
        except ConfigError as exc:  # a configuration problem is a usage problem: exit 2, one line
            click.echo(f"Error: {exc}", err=True)
            sys.exit(2)
        except BouncedError as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper


@click.group()
@click.version_option(package_name="bounced")
def cli() -> None:
    """bounced: read bounce reports, record them, decide which addresses to suppress."""


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one object per message.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="processes to parse on (default: one per CPU; small inputs use one)")
@settings_options
def parse(settings: Settings, paths: tuple[str, ...], as_json: bool, jobs: int | None) -> None:
    """Parse bounce messages (files, directories, Maildirs, mboxes, - for stdin); never touches the database.

    Exit status: 0 when every input was read (unparseable messages are reported, not fatal),
    2 for bad usage or a PATH that does not exist.
    """
    from bounced.correlate import decode_verp
    from bounced.parse.pool import default_jobs, render_all

    check_paths(list(paths))
    secret = settings.verp_secret(create=False)
    settings.verp_previous_secret()  # an unreadable one is a configuration error here, not in a worker

    def render(source: str, data: bytes) -> str:
        bounce = parse_message(data, source=source, decode_verp=lambda a: decode_verp(a, settings, secret))
        if as_json:
            return to_json(bounce) + "\n"
        return "".join("\t".join(row) + "\n" for row in table_rows(bounce))

    out = sys.stdout
    if not as_json:
        out.write("source\tkind\taddress\tstatus\treason\ttype\tdiagnostic\n")
    for text in render_all(iter_messages(list(paths), settings.max_message_size), render, jobs or default_jobs()):
        out.write(text)
    out.flush()


from bounced.commands import register_commands  # noqa: E402  (the database commands live apart)

register_commands(cli, settings_options)
from bounced.opscli import register as register_ops  # noqa: E402  (check, metrics)

register_ops(cli, settings_options)
from bounced.policycli import register as register_policy  # noqa: E402  (suppress, storms)

register_policy(cli, settings_options)
