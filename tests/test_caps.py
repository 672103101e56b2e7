"""Input caps: a message over max_message_size (files, mbox, stdin, IMAP) is kept as its head, parsed and
marked; parts nested deeper than the MIME depth limit are not read, and the report says so."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

import mkmail
from bounced.cli import cli
from bounced.config import Mailbox, Settings
from bounced.intake.files import Cut, iter_messages
from bounced.parse import parse_message
from bounced.parse.mimeparse import MAX_NESTING

CAP = 4096
PAD = b"".join(b"line %06d of the returned original's body, which the parser does not read\n" % i for i in range(2000))


def big_report(recipient="big@example.org"):
    """A DSN with its original returned in full: the report's parts first, then ~150 kB of body."""
    data = mkmail.dsn(recipient)
    closing = data.rindex(b"\n--")  # the report's closing boundary: the original's body goes before it
    return data[:closing] + b"\n" + PAD + data[closing:]


@pytest.fixture
def env(tmp_path):
    (tmp_path / "key").write_text("0123456789abcdef0123456789abcdef\n")
    (tmp_path / "key").chmod(0o600)
    cfg = tmp_path / "bounced.toml"
    cfg.write_text(f'database = "{tmp_path / "b.db"}"\nverp_secret_file = "{tmp_path / "key"}"\nmax_message_size = {CAP}\n')
    return {"BOUNCED_CONFIG": str(cfg)}


def raw_rows(tmp_path):
    return sqlite3.connect(tmp_path / "b.db").execute(
        "SELECT source, size, full_size, state, length(raw) FROM raw_messages ORDER BY id").fetchall()


def test_a_file_over_the_cap_is_kept_as_its_head_parsed_and_marked(env, tmp_path):
    data = big_report()
    (tmp_path / "big.eml").write_bytes(data)
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "big.eml")], env=env)
    assert (result.exit_code, result.stdout) == (0, "1 parsed\n")
    ((source, size, full, state, length),) = raw_rows(tmp_path)
    assert (source, full, state, length) == (str(tmp_path / "big.eml"), len(data), "parsed", size)
    assert CAP - 100 < size <= CAP and data[:size].endswith(b"\n")  # cut at a line end
    events = sqlite3.connect(tmp_path / "b.db").execute("SELECT address, reason, bounce_type FROM events").fetchall()
    assert events == [("big@example.org", "userunknown", "hard")]  # the head parses as the whole does
    assert parse_message(data[:size]).recipients == parse_message(data).recipients


def test_an_mbox_message_over_the_cap_leaves_its_neighbours_whole(tmp_path):
    small = [mkmail.dsn(f"s{i}@example.org") for i in range(2)]
    big = big_report()
    mbox = tmp_path / "box.mbox"
    mbox.write_bytes(b"".join(b"From MAILER-DAEMON Thu Nov 20 10:00:00 2026\n" + m + b"\n" for m in (small[0], big, small[1])))
    got = list(iter_messages([str(mbox)], CAP))
    assert [s for s, _ in got] == [f"{mbox}#1", f"{mbox}#2", f"{mbox}#3"]
    assert (got[0][1], got[2][1]) == (small[0], small[1]) and not isinstance(got[0][1], Cut)
    assert isinstance(got[1][1], Cut) and got[1][1].full_size >= len(big) and big.startswith(got[1][1])
    assert len(got[1][1]) <= CAP


def test_stdin_over_the_cap(env, caplog):
    data = big_report()
    result = CliRunner().invoke(cli, ["parse", "--json", "-"], input=data, env=env)
    assert result.exit_code == 0
    assert '"address": "big@example.org"' in result.stdout
    (warning,) = [r.getMessage() for r in caplog.records if r.name == "bounced.intake.files"]
    assert warning.startswith(f"-: {len(data)} bytes, larger than max_message_size ({CAP}): its first ")


def test_at_the_cap_a_message_is_whole(tmp_path):
    data = mkmail.dsn("a@example.org")
    (tmp_path / "a.eml").write_bytes(data)
    ((_, got),) = list(iter_messages([str(tmp_path / "a.eml")], len(data)))
    assert got == data and not isinstance(got, Cut)
    ((_, cut),) = list(iter_messages([str(tmp_path / "a.eml")], len(data) - 1))
    assert isinstance(cut, Cut) and cut.full_size == len(data)


def nested_rfc822(inner: bytes, n: int) -> bytes:
    for _ in range(n):
        inner = b"From: x@example.net\nSubject: fwd\nContent-Type: message/rfc822\n\n" + inner
    return inner


def nested_multipart(inner: bytes, n: int) -> bytes:
    head = b"".join(b'Content-Type: multipart/mixed; boundary="b%d"\n\n--b%d\n' % (i, i) for i in range(n))
    tail = b"".join(b"\n--b%d--\n" % i for i in reversed(range(n)))
    return b"From: x@example.net\nSubject: deep\n" + head + inner + tail


DEEP = f"MIME parts nested deeper than {MAX_NESTING} levels: those below were not read, and no report above them"


@pytest.mark.parametrize("nest", [nested_rfc822, nested_multipart])
@pytest.mark.parametrize("depth", [MAX_NESTING + 2, 5000])
def test_nesting_past_the_depth_limit_is_reported(nest, depth):
    bounce = parse_message(nest(b"Content-Type: text/plain\n\nhello\n", depth))
    assert (bounce.kind.value, bounce.recipients, bounce.error) == ("unknown", (), DEEP)


@pytest.mark.parametrize("nest", [nested_rfc822, nested_multipart])
def test_nesting_within_the_limit_is_read_as_before(nest):
    assert parse_message(nest(b"Content-Type: text/plain\n\nhello\n", 5)).error == "not a bounce report: no detector recognised it"


def test_a_report_on_top_of_a_deep_original_is_still_read():
    data = mkmail.dsn("deep@example.org")
    closing = data.rindex(b"\n--")
    deep = nested_multipart(b"Content-Type: text/plain\n\nhello\n", 3000)
    bounce = parse_message(data[:closing] + b"\n" + deep + data[closing:])
    assert [(r.address, r.reason, r.bounce_type.value) for r in bounce.recipients] == [("deep@example.org", "userunknown", "hard")]


def test_imap_over_the_cap(tmp_path, request):
    from dovecot_instance import Dovecot, available

    if not available():
        pytest.skip("Dovecot is not installed (Debian package dovecot-imapd)")
    from imapclient import IMAPClient

    from bounced.intake.imap import Poller
    from bounced.store import Store

    server = Dovecot()
    server.start()
    try:
        (tmp_path / "pw").write_text(server.password)
        box = Mailbox(name="main", host="127.0.0.1", port=server.imap_port, security="plain", user=server.user,
                      password_file=str(tmp_path / "pw"), folder="Caps", processed_folder="Caps-done",
                      nonbounce_folder="Caps-other", batch=20)
        data, small = big_report().replace(b"\n", b"\r\n"), mkmail.dsn("small@example.org").replace(b"\n", b"\r\n")
        with IMAPClient("127.0.0.1", port=server.imap_port, ssl=False) as c:
            c.login(server.user, server.password)
            c.create_folder("Caps")
            c.append("Caps", data)
            c.append("Caps", small)
        (tmp_path / "key").write_text("0123456789abcdef0123456789abcdef")
        settings = Settings(database=str(tmp_path / "b.db"), verp_secret_file=str(tmp_path / "key"), mailboxes=(box,),
                            max_message_size=CAP)
        poller = Poller(Store(settings.database_path()), settings, box)
        try:
            result = poller.poll_once()
        finally:
            poller.close()
        assert (result.fetched, result.stored, result.bounces) == (2, 2, 2)
        rows = sqlite3.connect(tmp_path / "b.db").execute(
            "SELECT size, full_size, state FROM raw_messages ORDER BY id").fetchall()
        assert rows[0][1:] == (len(data), "parsed") and rows[0][0] <= CAP
        assert rows[1] == (len(small), None, "parsed")
        events = sqlite3.connect(tmp_path / "b.db").execute("SELECT address FROM events ORDER BY id").fetchall()
        assert events == [("big@example.org",), ("small@example.org",)]
    finally:
        server.cleanup()
