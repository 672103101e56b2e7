"""`bounced register`: rows checked before any is registered, streamed in batches, orphans retried."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import mkmail
from bounced.cli import cli
from bounced.config import Settings
from bounced.pipeline import Pipeline
from bounced.sending import Sender
from bounced.store import Store

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def env(tmp_path):
    (tmp_path / "key").write_text("0123456789abcdef0123456789abcdef\n")
    (tmp_path / "key").chmod(0o600)
    cfg = tmp_path / "bounced.toml"
    cfg.write_text(f'database = "{tmp_path / "b.db"}"\nbounce_domains = ["bounce.example.com"]\n'
                   f'verp_secret_file = "{tmp_path / "key"}"\n')
    return {"BOUNCED_CONFIG": str(cfg)}


def run(env, *args, input=""):
    return CliRunner().invoke(cli, ["register", *args], input=input, env=env)


def sent(tmp_path):
    db = tmp_path / "b.db"
    if not db.exists():
        return []
    return sqlite3.connect(db).execute("SELECT message_id, recipient, campaign, sent_at FROM sent ORDER BY id").fetchall()


BAD = [
    ("jsonl", '{"recipient": "a@example.org", "sent_at": "2026-11-01"}\n{"recipient": "b@example.org", "sent_at": "yesterday"}\n',
     "Error: stdin line 2: sent_at 'yesterday' is not an ISO 8601 time (e.g. 2026-11-20T09:58:00+00:00): "
     "Invalid isoformat string: 'yesterday'; nothing registered"),
    ("jsonl", '{"recipient": "a@example.org", "sent_at": "2026-13-01"}\n',
     "Error: stdin line 1: sent_at '2026-13-01' is not an ISO 8601 time (e.g. 2026-11-20T09:58:00+00:00): "
     "month must be in 1..12; nothing registered"),
    ("jsonl", '{"recipient": "a@example.org"}\n', "Error: stdin line 1: sent_at is missing; nothing registered"),
    ("jsonl", '\n\n{"sent_at": "2026-11-01"}\n', "Error: stdin line 3: recipient is missing; nothing registered"),
    ("jsonl", '{"recipient": "not an address", "sent_at": "2026-11-01"}\n',
     "Error: stdin line 1: recipient 'not an address' is not an address; nothing registered"),
    ("jsonl", '["a@example.org", "2026-11-01"]\n',
     "Error: stdin line 1: expected an object with recipient and sent_at, got list; nothing registered"),
    ("jsonl", '{"recipient": "a@example.org", \n',
     "Error: stdin line 1: not JSON Lines: Expecting property name enclosed in double quotes; nothing registered"),
    ("csv", "<m1@x>,a@example.org,nov,2026-11-01\n",
     "Error: stdin line 1: CSV without its header row: expected column names (message_id, recipient, campaign, sent_at"
     "[, key, envelope_id]), got '<m1@x>,a@example.org,nov,2026-11-01'; nothing registered"),
    ("csv", "recipient,sent_at\na@example.org,2026-11-01\nb@example.org,2026-11-01,extra\n",
     "Error: stdin line 3: more fields than the header row names; nothing registered"),
    ("csv", "recipient,sent_at\na@example.org,2026-11-31\n",
     "Error: stdin line 2: sent_at '2026-11-31' is not an ISO 8601 time (e.g. 2026-11-20T09:58:00+00:00): "
     "day is out of range for month; nothing registered"),
]


@pytest.mark.parametrize(("fmt", "text", "message"), BAD, ids=[b[2][19:60] for b in BAD])
def test_a_bad_row_names_its_line_and_registers_nothing(env, tmp_path, fmt, text, message):
    result = run(env, "--format", fmt, input=text)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", message + "\n")
    assert sent(tmp_path) == []


def test_rows_are_normalised_and_printed_in_order(env, tmp_path):
    text = ("message_id,recipient,campaign,sent_at,envelope_id\n"
            "<m1@x>,a@example.org,nov,2026-11-01,\n"
            "<m2@x>, b@example.org ,,2026-11-01T10:00:00+02:00,E2\n"
            ",c@example.org,nov,2026-11-01T10:00:00,\n")
    result = run(env, "--format", "csv", input=text)
    assert result.exit_code == 0, result.output
    printed = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(p["message_id"], p["recipient"]) for p in printed] == [
        ("<m1@x>", "a@example.org"), ("<m2@x>", "b@example.org"), (None, "c@example.org")]
    assert all(p["return_path"].startswith("bounces+") and p["return_path"].endswith("@bounce.example.com") for p in printed)
    assert sent(tmp_path) == [("<m1@x>", "a@example.org", "nov", "2026-11-01T00:00:00+00:00"),
                              ("<m2@x>", "b@example.org", None, "2026-11-01T08:00:00+00:00"),
                              (None, "c@example.org", "nov", "2026-11-01T10:00:00+00:00")]
    again = run(env, "--format", "csv", input=text.replace(",nov,2026-11-01,", ",dec,2026-11-01,"))
    assert [json.loads(line)["key"] for line in again.stdout.splitlines()][:2] == [p["key"] for p in printed][:2]
    assert sent(tmp_path)[0][2] == "dec" and len(sent(tmp_path)) == 4  # upserted on (message id, recipient)


def test_register_stream_commits_batch_by_batch_and_retries_orphans_in_each(tmp_path):
    secret = tmp_path / "verp.key"
    secret.write_text("a-test-secret-of-enough-length-0123456789\n")
    settings = Settings(database=str(tmp_path / "bounced.db"), bounce_domains=("bounce.example.com",),
                        verp_secret_file=str(secret))
    store = Store(settings.database_path())
    # a bounce that arrived before its send was registered: an orphan, counting for no one
    Pipeline(store, settings).ingest(mkmail.dsn("u7@example.org", message_id="<m7@x>"), "early.eml")
    assert store.query("SELECT correlation FROM events") == [{"correlation": "foreign"}]
    rows = ({"message_id": f"<m{i}@x>", "recipient": f"u{i}@example.org", "sent_at": "2026-11-19T00:00:00+00:00"}
            for i in range(10))
    stream = Sender(store, settings).register_stream(rows, batch=4)
    first = [next(stream) for _ in range(4)]
    other = Store(settings.database_path())  # the first batch is committed before the second is read
    assert [r["recipient"] for r in other.query("SELECT recipient FROM sent ORDER BY id")] == [s.recipient for s in first]
    assert store.query("SELECT correlation FROM events") == [{"correlation": "foreign"}]
    rest = list(stream)
    assert len(rest) == 6
    assert store.query("SELECT correlation, counts FROM events") == [{"correlation": "message-id", "counts": 1}]
    assert store.address_state("u7@example.org")["state"] == "suppressed"


def test_the_register_process_registers_more_than_a_batch_in_input_order(env, tmp_path):
    lines = "".join(json.dumps({"message_id": f"<m{i}@x>", "recipient": f"u{i}@example.org", "sent_at": "2026-11-01"}) + "\n"
                    for i in range(2500))
    done = subprocess.run([sys.executable, "-m", "bounced", "register"], input=lines, capture_output=True, text=True,
                          cwd=tmp_path, timeout=120, env={**env, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert (done.returncode, done.stderr) == (0, "")
    printed = [json.loads(line)["recipient"] for line in done.stdout.splitlines()]
    assert printed == [f"u{i}@example.org" for i in range(2500)]
    assert len(sent(tmp_path)) == 2500
