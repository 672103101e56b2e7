"""bounced.parse over the project's own fixtures, and `bounced parse` through click's CliRunner."""

from __future__ import annotations

import json
import mailbox
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fixtures_expected import EXPECTED, summary

from bounced.cli import cli
from bounced.output import to_dict
from bounced.parse import parse_message

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# The known-bad set has its own tests (test_bad_input.py); these are the readable formats.
GOOD = sorted(name for name in EXPECTED if not name.startswith("known-bad/"))


def parse_file(data: bytes, name: str) -> dict[str, Any]:
    return summary(to_dict(parse_message(data, source=name)))


def with_endings(data: bytes, ending: bytes) -> bytes:
    """``data`` with every line ending (LF, CRLF or CR) turned into ``ending``."""
    return re.sub(rb"\r\n?|\n", ending, data)


def test_every_fixture_has_an_expectation():
    on_disk = sorted(str(p.relative_to(FIXTURES)) for p in FIXTURES.rglob("*.eml"))
    assert on_disk == sorted(EXPECTED)


@pytest.mark.parametrize("name", GOOD)
def test_fixture(name):
    data = (FIXTURES / name).read_bytes()
    assert parse_file(data, name) == EXPECTED[name]


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b"\r"], ids=["lf", "crlf", "cr"])
@pytest.mark.parametrize("name", GOOD)
def test_fixture_line_endings(name, ending):
    data = with_endings((FIXTURES / name).read_bytes(), ending)
    assert set(re.findall(rb"\r\n|\r|\n", data)) == {ending}
    assert parse_file(data, name) == EXPECTED[name]


# --- the command -------------------------------------------------------------------------------------------


@pytest.fixture
def run(tmp_path, monkeypatch):
    """`bounced ...` with a configuration of its own, so that no machine-wide file is read."""
    cfg = tmp_path / "bounced.toml"
    cfg.write_text(f'database = "{tmp_path / "b.db"}"\nbounce_domains = ["bounce.example.com"]\n')
    monkeypatch.setenv("BOUNCED_CONFIG", str(cfg))
    runner = CliRunner()

    def invoke(*args: str, input: bytes | None = None):
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


def lines(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines()]


# The command tests use fixtures of every kind; their field-by-field checks are test_fixture's job.
SOME = ["postfix-01.eml", "exim-01.eml", "not-bounce/rfc3834-01.eml", "not-bounce/human-01.eml", "postfix-07.eml"]


def test_json_gives_one_object_per_message_in_order(run):
    paths = [str(FIXTURES / name) for name in SOME]
    result = run("parse", "--json", *paths)
    assert result.exit_code == 0
    objects = lines(result.output)
    assert [o["source"] for o in objects] == paths
    assert [summary(o) for o in objects] == [EXPECTED[name] for name in SOME]


def test_json_object_has_every_field_of_the_contract(run):
    result = run("parse", "--json", str(FIXTURES / "postfix-01.eml"))
    (obj,) = lines(result.output)
    assert set(obj) == {"source", "kind", "recipients", "original", "verp", "reporting_mta", "arrival_date"}
    assert set(obj["original"]) == {"message_id", "envelope_id", "from", "subject"}
    assert obj["recipients"][0] == {
        "address": "nobody@example.org",
        "action": "failed",
        "status": "5.1.1",
        "reply_code": 550,
        "reason": "userunknown",
        "bounce_type": "hard",
        "diagnostic": "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in local recipient table",
        "remote_mta": "mx.example.org",
        "final_recipient": "rfc822; nobody@example.org",
        "original_recipient": "rfc822;nobody@example.org",
        "rule": "status 5.1.1",
    }
    assert obj["original"] == {
        "message_id": "<20261122101402.4711@app1.example.com>",
        "envelope_id": None,
        "from": "news@example.com",
        "subject": "November newsletter",
    }
    assert (obj["verp"], obj["reporting_mta"], obj["arrival_date"]) == (None, "mail.example.com", "2026-11-22T10:14:03+00:00")


def test_missing_path_exits_2_and_writes_nothing(run, tmp_path):
    result = run("parse", "--json", str(FIXTURES / "postfix-01.eml"), str(tmp_path / "nope.eml"))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "nope.eml" in result.stderr


def test_no_path_is_a_usage_error(run):
    assert run("parse", "--json").exit_code == 2


def test_directory_is_read_in_sorted_order(run, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for i, name in enumerate(reversed(SOME)):
        (folder / f"{i:02d}.eml").write_bytes((FIXTURES / name).read_bytes())
    result = run("parse", "--json", str(folder))
    assert result.exit_code == 0
    objects = lines(result.output)
    assert [Path(o["source"]).name for o in objects] == [f"{i:02d}.eml" for i in range(len(SOME))]
    assert [summary(o) for o in objects] == [EXPECTED[name] for name in reversed(SOME)]


def test_maildir_cur_then_new(run, tmp_path):
    box = mailbox.Maildir(tmp_path / "Maildir", create=True)
    box.close()
    root = tmp_path / "Maildir"
    (root / "cur" / "1795342445.M1P1.example:2,S").write_bytes((FIXTURES / "postfix-02.eml").read_bytes())
    (root / "new" / "1795342446.M2P1.example").write_bytes((FIXTURES / "qmail-01.eml").read_bytes())
    result = run("parse", "--json", str(root))
    assert result.exit_code == 0
    assert [summary(o) for o in lines(result.output)] == [EXPECTED["postfix-02.eml"], EXPECTED["qmail-01.eml"]]


def mbox_bytes(names: list[str]) -> bytes:
    """An mboxrd of the named fixtures, ``From `` lines in bodies quoted."""
    out = []
    for name in names:
        body = re.sub(rb"\r\n?", b"\n", (FIXTURES / name).read_bytes())
        body = re.sub(rb"^(>*From )", rb">\1", body, flags=re.MULTILINE)
        out.append(b"From MAILER-DAEMON Sun Nov 22 10:14:05 2026\n" + body.rstrip(b"\n") + b"\n\n")
    return b"".join(out)


def test_mbox_gives_one_object_per_message(run, tmp_path):
    names = ["postfix-05.eml", "not-bounce/rfc3834-01.eml", "sendmail-02.eml", "not-bounce/exchange-01.eml"]
    path = tmp_path / "bounces.mbox"
    path.write_bytes(mbox_bytes(names))
    result = run("parse", "--json", str(path))
    assert result.exit_code == 0
    objects = lines(result.output)
    assert [o["source"] for o in objects] == [f"{path}#{i}" for i in range(1, len(names) + 1)]
    assert [summary(o) for o in objects] == [EXPECTED[name] for name in names]


def test_stdin(run):
    data = (FIXTURES / "qmail-01.eml").read_bytes()
    result = run("parse", "--json", "-", input=data)
    assert result.exit_code == 0
    (obj,) = lines(result.output)
    assert obj["source"] == "-"
    assert summary(obj) == EXPECTED["qmail-01.eml"]


def test_stdin_between_files_keeps_the_order(run):
    result = run("parse", "--json", str(FIXTURES / "postfix-01.eml"), "-", str(FIXTURES / "postfix-02.eml"),
                 input=(FIXTURES / "courier-01.eml").read_bytes())
    assert result.exit_code == 0
    assert [summary(o) for o in lines(result.output)] == [
        EXPECTED["postfix-01.eml"], EXPECTED["courier-01.eml"], EXPECTED["postfix-02.eml"],
    ]


def test_table_output(run):
    result = run("parse", str(FIXTURES / "postfix-05.eml"))
    assert result.exit_code == 0
    header, *rows = result.output.splitlines()
    assert header.split("\t") == ["source", "kind", "address", "status", "reason", "type", "diagnostic"]
    assert [row.split("\t")[1:6] for row in rows] == [
        ["bounce", "alice@example.org", "5.1.1", "userunknown", "hard"],
        ["bounce", "bob@nowhere.example.net", "5.4.4", "hostunknown", "hard"],
        ["bounce", "carol@example.org", "5.2.2", "mailboxfull", "soft"],
    ]
