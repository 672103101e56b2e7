"""The ``bounced`` command: a click group of thin commands over the library."""

from __future__ import annotations

import sys

import click

from bounced.errors import BouncedError
from bounced.intake.files import check_paths, iter_messages
from bounced.output import table_rows, to_json
from bounced.parse import parse_message


@click.group()
@click.version_option(package_name="bounced")
def cli() -> None:
    """bounced: read bounce reports, record them, decide which addresses to suppress."""


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one object per message.")
def parse(paths: tuple[str, ...], as_json: bool) -> None:
    """Parse bounce messages (files, directories, Maildirs, mboxes, - for stdin); never touches the database.

    Exit status: 0 when every input was read (unparseable messages are reported, not fatal),
    2 for bad usage or a PATH that does not exist.
    """
    try:
        check_paths(list(paths))
    except BouncedError as exc:
        raise click.UsageError(str(exc)) from exc
    out = sys.stdout
    if not as_json:
        out.write("source\tkind\taddress\tstatus\treason\ttype\tdiagnostic\n")
    for source, data in iter_messages(list(paths)):
        bounce = parse_message(data, source=source)
        if as_json:
            out.write(to_json(bounce) + "\n")
        else:
            for row in table_rows(bounce):
                out.write("\t".join(row) + "\n")
    out.flush()
