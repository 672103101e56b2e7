"""The database commands through click's CliRunner: exit codes and output."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

import mkmail
from bounced.cli import cli


@pytest.fixture
def run(tmp_path, monkeypatch):
    cfg = tmp_path / "bounced.toml"
    cfg.write_text(f'database = "{tmp_path / "b.db"}"\nbounce_domains = ["bounce.example.com"]\n'
                   f'verp_secret_file = "{tmp_path / "key"}"\n')
    (tmp_path / "key").write_text("0123456789abcdef0123456789abcdef\n")
    monkeypatch.setenv("BOUNCED_CONFIG", str(cfg))
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


def test_register_ingest_status_suppressed_stats(run, tmp_path):
    # a recent send day: the VERP token carries it, and an old one would have expired (verp_max_age_days)
    sent_at = (datetime.now(UTC) - timedelta(days=3)).isoformat(timespec="seconds")
    rows = [{"message_id": "<m1@s.example.com>", "recipient": "a@example.org", "campaign": "nov", "sent_at": sent_at},
            {"message_id": "<m2@s.example.com>", "recipient": "b@example.org", "campaign": "nov", "sent_at": sent_at}]
    result = run("register", input="\n".join(json.dumps(r) for r in rows))
    assert result.exit_code == 0
    paths = [json.loads(line)["return_path"] for line in result.output.splitlines()]
    assert all(p.startswith("bounces+") and p.endswith("@bounce.example.com") for p in paths)
    report = tmp_path / "r.eml"
    report.write_bytes(mkmail.dsn("a@example.org", message_id=None, envelope_to=paths[0]))
    result = run("ingest", str(report))
    assert (result.exit_code, result.output) == (0, "1 parsed\n")
    result = run("status", "a@example.org", "--json")
    data = json.loads(result.output)
    assert data["state"]["state"] == "suppressed" and data["events"][0]["correlation"] == "verp"
    result = run("suppressed", "--csv")
    assert result.output.splitlines()[1].startswith("a@example.org,")
    result = run("stats", "--json")
    assert json.loads(result.output) == [{"campaign": "nov", "sent": 2, "hard": 1, "soft": 0, "complaints": 0,
                                          "hard_rate": 0.5, "soft_rate": 0.0}]
    result = run("events", "--reason", "userunknown", "--nl")
    assert json.loads(result.output)["address"] == "a@example.org"
    result = run("unsuppress", "a@example.org", "--why", "confirmed by phone")
    assert (result.exit_code, result.output) == (0, "a@example.org: active\n")
    assert run("unsuppress", "a@example.org", "--why", "again").exit_code == 1


def test_register_csv_and_bad_rows(run):
    ok = run("register", "--format", "csv", input="message_id,recipient,campaign,sent_at\n<x@y>,c@example.org,c1,2026-11-01T00:00:00+00:00\n")
    assert ok.exit_code == 0 and json.loads(ok.output)["recipient"] == "c@example.org"
    bad = run("register", input='{"recipient": "c@example.org"}\n')
    assert bad.exit_code == 1 and "sent_at" in bad.output


def test_verp_encode_decode(run):
    address = run("verp", "encode", "key-1").output.strip()
    decoded = run("verp", "decode", address)
    assert decoded.exit_code == 0 and json.loads(decoded.output)["message"] == "key-1"
    forged = run("verp", "decode", address.replace("bounces+", "bounces+a", 1))
    assert forged.exit_code == 1 and json.loads(forged.output)["valid"] is False
    assert run("verp", "decode", "someone@example.org").exit_code == 1


def test_ingest_missing_path_is_usage_error(run, tmp_path):
    result = run("ingest", str(tmp_path / "nope.eml"))
    assert result.exit_code == 2 and "no such file" in result.output


def test_reprocess_dry_run_and_failed(run, tmp_path):
    report = tmp_path / "r.eml"
    report.write_bytes(mkmail.dsn("a@example.org"))
    run("ingest", str(report))
    result = run("reprocess", "--all", "--dry-run")
    assert result.exit_code == 0 and result.output.startswith("1 message(s) reprocessed; 0 address state(s) would change")
    assert run("reprocess").output.startswith("0 message(s) reprocessed")  # --failed is the default


def test_bad_config_names_the_key(tmp_path, monkeypatch):
    cfg = tmp_path / "bad.toml"
    cfg.write_text("soft_limit = 'three'\n")
    monkeypatch.setenv("BOUNCED_CONFIG", str(cfg))
    result = CliRunner().invoke(cli, ["suppressed"])
    assert result.exit_code == 2 and "soft_limit" in result.output


READ_COMMANDS = [
    ["status", "a@example.org"],
    ["suppressed"],
    ["stats"],
    ["events"],
    ["unsuppress", "a@example.org", "--why", "test"],
    ["report", "--html", "{tmp}/r.html"],
    ["reprocess"],
    ["reprocess", "--all", "--dry-run"],
]


@pytest.mark.parametrize("args", READ_COMMANDS, ids=[" ".join(a[:2]) for a in READ_COMMANDS])
def test_read_commands_on_a_missing_database_fail_and_create_nothing(run, tmp_path, args):
    result = CliRunner().invoke(cli, [a.format(tmp=tmp_path) for a in args])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"Error: {tmp_path / 'b.db'}: no such database (database in {tmp_path / 'bounced.toml'})\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bounced.toml", "key"]


def test_read_command_on_a_missing_db_option(run, tmp_path):
    result = CliRunner().invoke(cli, ["suppressed", "--db", str(tmp_path / "typo.db")],
                                  env={"BOUNCED_CONFIG": ""})
    assert (result.exit_code, result.stderr) == (1, f"Error: {tmp_path / 'typo.db'}: no such database (no configuration file; --db)\n")
    assert not (tmp_path / "typo.db").exists()


def test_read_commands_on_an_existing_empty_database_answer_none(run, tmp_path):
    run("register", input="")  # creates the database, registers nothing
    assert (run("suppressed", "--table").exit_code, run("suppressed", "--table").output) == (0, "(none)\n")
    assert run("suppressed").output == ""  # JSON Lines off a terminal: no rows, no lines
    assert run("status", "a@example.org").output == "a@example.org: no events\n"


def test_verp_decode_honours_the_previous_secret(run, tmp_path):
    old = run("verp", "encode", "key-1").output.strip()
    (tmp_path / "key").rename(tmp_path / "old.key")
    (tmp_path / "key").write_text("a-new-secret-after-the-rotation\n")
    cfg = tmp_path / "bounced.toml"
    assert json.loads(run("verp", "decode", old).output)["problem"] == "forged"
    cfg.write_text(cfg.read_text() + f'verp_previous_secret_file = "{tmp_path / "old.key"}"\n')
    decoded = run("verp", "decode", old)
    assert decoded.exit_code == 0
    assert json.loads(decoded.output) == {"message": "key-1", "recipient": None, "valid": True, "signed": True, "problem": None}
