"""The listing commands' output flags (--table, --json, --nl, --csv, --tsv) and their checked arguments."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import mkmail
from terminal import read_all
from bounced.cli import cli
from bounced.config import load
from bounced.pipeline import Pipeline
from bounced.sending import Sender
from bounced.store import Store

ROOT = Path(__file__).resolve().parents[1]
SENT_AT = "2026-11-19T09:00:00+00:00"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("out")
    (tmp / "key").write_text("0123456789abcdef0123456789abcdef\n")
    (tmp / "key").chmod(0o600)
    cfg = tmp / "bounced.toml"
    cfg.write_text(f'database = "{tmp / "b.db"}"\nbounce_domains = ["bounce.example.com"]\nverp_secret_file = "{tmp / "key"}"\n')
    settings = load(str(cfg))
    store = Store(settings.database_path())
    sender = Sender(store, settings)
    sender.register_many([{"message_id": f"<m{i}@s.example.com>", "recipient": f"u{i}@example.org", "campaign": "nov",
                           "sent_at": SENT_AT} for i in range(3)])
    pipeline = Pipeline(store, settings)
    for i in range(2):  # u0 and u1 bounce hard, matched by the original's Message-ID
        pipeline.ingest(mkmail.dsn(f"u{i}@example.org", message_id=f"<m{i}@s.example.com>"), f"r{i}.eml")
    store.close()
    return {"BOUNCED_CONFIG": str(cfg)}


def run(env, *args):
    result = CliRunner().invoke(cli, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


LISTINGS = [["suppressed"], ["stats"], ["events"], ["events", "--reason", "userunknown", "--limit", "1"],
            ["status", "u0@example.org"]]


@pytest.mark.parametrize("args", LISTINGS, ids=[" ".join(a) for a in LISTINGS])
def test_every_format_gives_the_same_rows(env, args):
    lines = [json.loads(line) for line in run(env, *args, "--nl").splitlines()]
    assert lines and all(isinstance(row, dict) for row in lines)
    text = {k: [{c: ("" if v is None else str(v)) for c, v in row.items()} for row in lines] for k in ("csv", "tsv")}
    assert list(csv.DictReader(io.StringIO(run(env, *args, "--csv")))) == text["csv"]
    assert list(csv.DictReader(io.StringIO(run(env, *args, "--tsv")), delimiter="\t")) == text["tsv"]
    table = run(env, *args, "--table").splitlines()
    header = next(line for line in table if line.startswith(next(iter(lines[0]))))
    assert header.split() == list(lines[0])
    if args[0] != "status":  # status --json is one object: its state, events and audit
        assert json.loads(run(env, *args, "--json")) == lines
    # off a terminal: JSON Lines; status, one address's page, is a table wherever it goes
    assert run(env, *args) == run(env, *args, "--table" if args[0] == "status" else "--nl")


def test_exact_rows(env):
    stats = json.loads(run(env, "stats", "--json"))
    assert stats == [{"campaign": "nov", "sent": 3, "hard": 2, "soft": 0, "complaints": 0, "hard_rate": 0.6667, "soft_rate": 0.0}]
    assert [r["address"] for r in json.loads(run(env, "suppressed", "--json"))] == ["u0@example.org", "u1@example.org"]
    status = json.loads(run(env, "status", "u0@example.org", "--json"))
    assert (status["address"], status["state"]["state"], len(status["events"]), status["audit"][0]["action"]) == (
        "u0@example.org", "suppressed", 1, "suppress")
    assert run(env, "events", "--address", "nobody@example.org", "--json") == "[]\n"
    assert run(env, "events", "--address", "nobody@example.org", "--csv") == (
        "received_at,address,kind,reason,bounce_type,status,reply_code,correlation,counts,campaign\n")
    assert run(env, "events", "--since", "2999-01-01", "--tsv").startswith("received_at\taddress\t")


def test_deprecated_format_still_works_with_a_warning(env):
    result = CliRunner().invoke(cli, ["suppressed", "--format", "json"], env=env)
    assert result.exit_code == 0
    assert result.stderr == "Warning: --format is deprecated; use --nl\n"
    assert result.stdout == run(env, "suppressed", "--nl")
    assert CliRunner().invoke(cli, ["suppressed", "--format", "csv"], env=env).stdout == run(env, "suppressed", "--csv")


BAD = [
    (["events", "--since", "yesterday"],
     "Error: --since: 'yesterday' is not a date (YYYY-MM-DD) or an ISO 8601 time: Invalid isoformat string: 'yesterday'\n"),
    (["events", "--since", "2026-13-01"],
     "Error: --since: '2026-13-01' is not a date (YYYY-MM-DD) or an ISO 8601 time: month must be in 1..12\n"),
    (["stats", "--since", "2026-02-30"],
     "Error: --since: '2026-02-30' is not a date (YYYY-MM-DD) or an ISO 8601 time: day is out of range for month\n"),
    (["events", "--address", "nobody"], "Error: --address: 'nobody' is not an address\n"),
    (["status", "u0@"], "Error: ADDRESS: 'u0@' is not an address\n"),
]


@pytest.mark.parametrize(("args", "message"), BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_arguments_are_one_line_and_exit_2(env, args, message):
    result = CliRunner().invoke(cli, args, env=env)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)


def test_a_limit_below_one_is_refused(env):
    result = CliRunner().invoke(cli, ["events", "--limit", "0"], env=env)
    assert result.exit_code == 2 and "0 is not in the range x>=1" in result.stderr


def test_since_takes_a_date_or_a_time_in_utc(env):
    assert len(run(env, "events", "--since", "2000-01-01", "--nl").splitlines()) == 2
    assert run(env, "events", "--since", "2999-01-01T00:00:00+09:00", "--nl") == ""


def test_a_table_on_a_terminal(env):
    """The real process with a terminal for its output: a table, without a flag."""
    main, secondary = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "bounced", "suppressed"], stdout=secondary, stderr=subprocess.PIPE,
                            env={**env, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    os.close(secondary)
    out = read_all(main)
    proc.wait(60)
    os.close(main)
    lines = out.decode().splitlines()
    assert proc.returncode == 0
    assert lines[0].split() == ["address", "suppressed_at", "rule", "why", "last_reason", "tier", "suppressed_sent_id", "lapses_at"]
    assert lines[2].startswith("u0@example.org ") and lines[3].startswith("u1@example.org ")
