"""bounced poll against a real Dovecot started by the test set-up (plain, STARTTLS and IMAPS on loopback).

A second and third Dovecot announce less (no UIDPLUS, no MOVE) for the fallbacks an older server needs."""

from __future__ import annotations

import dataclasses
import logging
import sqlite3
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from imapclient import IMAPClient

import mkmail
from bounced.config import Mailbox, Settings
from bounced.intake.imap import AuthError, Poller
from bounced.intake.uidplus import locate, parse_copyuid, uid_set
from bounced.store import Store
from dovecot_instance import Dovecot, available

pytestmark = pytest.mark.skipif(not available(), reason="Dovecot is not installed (Debian package dovecot-imapd)")
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HUMAN = b"From: someone@example.org\nTo: bounces@b.example.com\nSubject: Re: your newsletter\n\nPlease call me.\n"
# Dovecot's own list (2.3) without UIDPLUS, without MOVE, or without either: what older servers offer.
CAPABILITIES = ("IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT THREAD=REFERENCES MULTIAPPEND UNSELECT"
                " CHILDREN NAMESPACE LIST-EXTENDED I18NLEVEL=1 CONDSTORE ESEARCH SEARCHRES WITHIN LITERAL+")
OLDER = {"no-uidplus": CAPABILITIES + " MOVE", "no-move": CAPABILITIES + " UIDPLUS", "neither": CAPABILITIES}


@pytest.fixture(scope="module")
def dovecot():
    server = Dovecot()
    server.start()
    yield server
    server.cleanup()


@pytest.fixture(scope="module", params=sorted(OLDER))
def older(request):
    server = Dovecot(imap_settings=f"imap_capability = {OLDER[request.param]}")
    server.start()
    yield server
    server.cleanup()


def make_mailbox(server, tmp_path, request) -> Mailbox:
    folder = f"T{abs(hash(request.node.name)) % 10**8}"  # each test its own folders
    (tmp_path / "pw").write_text(server.password)
    box = Mailbox(name="main", host="127.0.0.1", port=server.imap_port, security="plain", user=server.user,
                  password_file=str(tmp_path / "pw"), folder=folder, processed_folder=f"{folder}-done",
                  nonbounce_folder=f"{folder}-other", batch=20)
    with admin(server) as c:
        c.create_folder(folder)
    return box


@pytest.fixture
def mailbox(dovecot, tmp_path, request):
    return make_mailbox(dovecot, tmp_path, request)


@pytest.fixture
def settings(tmp_path, mailbox):
    (tmp_path / "key").write_text("0123456789abcdef0123456789abcdef")
    return Settings(database=str(tmp_path / "b.db"), verp_secret_file=str(tmp_path / "key"), mailboxes=(mailbox,))


def admin(dovecot) -> IMAPClient:
    c = IMAPClient("127.0.0.1", port=dovecot.imap_port, ssl=False)
    c.login(dovecot.user, dovecot.password)
    return c


def bounces(n: int) -> list[bytes]:
    return [mkmail.dsn(f"user{i}@example.org", message_id=f"<m{i}@s.example.com>") for i in range(n)]


def append(dovecot, folder, messages):
    with admin(dovecot) as c:
        for raw in messages:
            c.append(folder, raw.replace(b"\n", b"\r\n"))


def count(dovecot, folder) -> int:
    with admin(dovecot) as c:
        return c.folder_status(folder, [b"MESSAGES"])[b"MESSAGES"]


def subjects(dovecot, folder) -> list[str]:
    with admin(dovecot) as c:
        c.select_folder(folder, readonly=True)
        fetched = c.fetch(c.search(["ALL"]), ["BODY.PEEK[HEADER.FIELDS (SUBJECT)]"])
        return sorted(v[b"BODY[HEADER.FIELDS (SUBJECT)]"].decode().strip() for v in fetched.values())


def db(settings, sql):
    conn = sqlite3.connect(settings.database)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def run_poller(settings, mailbox, stop, notify=lambda s: None):
    """The poller's loop as `bounced poll --idle` runs it: in its own thread, with its own connection."""
    Poller(Store(settings.database), settings, mailbox).run(True, stop.is_set, notify)


def test_fifty_bounces_one_poll(dovecot, mailbox, settings):
    append(dovecot, mailbox.folder, bounces(50))
    poller = Poller(Store(settings.database), settings, mailbox)
    result = poller.poll_once()
    poller.close()
    assert (result.fetched, result.stored, result.bounces, result.others) == (50, 50, 50, 0)
    assert db(settings, "SELECT count(*), count(DISTINCT address) FROM events") == [(50, 50)]
    assert (count(dovecot, mailbox.folder), count(dovecot, mailbox.processed_folder)) == (0, 50)
    assert db(settings, "SELECT mailbox, last_uid FROM checkpoints") == [("main", 50)]


def test_non_bounces_go_to_their_own_folder_and_are_kept(dovecot, mailbox, settings):
    autoreply = (FIXTURES / "not-bounce" / "rfc3834-01.eml").read_bytes()
    append(dovecot, mailbox.folder, [HUMAN, autoreply, *bounces(1)])
    poller = Poller(Store(settings.database), settings, mailbox)
    result = poller.poll_once()
    poller.close()
    assert (result.bounces, result.others, result.refiled) == (1, 2, 2)
    assert (count(dovecot, mailbox.nonbounce_folder), count(dovecot, mailbox.processed_folder)) == (2, 1)
    assert subjects(dovecot, mailbox.processed_folder) == ["Subject: Undelivered Mail Returned to Sender"]
    assert db(settings, "SELECT count(*) FROM raw_messages") == [(3,)]
    assert db(settings, "SELECT state, folder, count(uid) FROM imap_messages GROUP BY state ORDER BY state") == [
        ("kept", mailbox.processed_folder, 1), ("refiled", mailbox.nonbounce_folder, 2)]


def test_the_drain_stores_unparsed_and_marks_then_the_pass_parses_and_refiles(dovecot, mailbox, settings):
    append(dovecot, mailbox.folder, [HUMAN, *bounces(2)])
    poller = Poller(Store(settings.database), settings, mailbox)
    result = poller.drain()
    assert (result.fetched, result.stored) == (3, 3)
    assert db(settings, "SELECT state, count(*) FROM raw_messages GROUP BY state") == [("stored", 3)]  # not parsed
    assert db(settings, "SELECT count(*) FROM events") == [(0,)]
    assert (count(dovecot, mailbox.folder), count(dovecot, mailbox.processed_folder)) == (0, 3)  # all marked
    with admin(dovecot) as c:  # each one's new UID, from COPYUID
        validity = c.folder_status(mailbox.processed_folder, [b"UIDVALIDITY"])[b"UIDVALIDITY"]
    assert db(settings, "SELECT folder, uidvalidity, uid, state FROM imap_messages ORDER BY uid") == [
        (mailbox.processed_folder, validity, uid, "filed") for uid in (1, 2, 3)]
    poller.finish(result)
    poller.close()
    assert (result.bounces, result.others, result.refiled) == (2, 1, 1)
    assert db(settings, "SELECT count(*) FROM events") == [(2,)]
    assert (count(dovecot, mailbox.processed_folder), count(dovecot, mailbox.nonbounce_folder)) == (2, 1)
    assert subjects(dovecot, mailbox.nonbounce_folder) == ["Subject: Re: your newsletter"]


def test_crash_after_the_move_before_the_refile_refiles_once_at_the_next_start(dovecot, mailbox, settings):
    append(dovecot, mailbox.folder, [HUMAN, *bounces(3)])
    crashed = Poller(Store(settings.database), settings, mailbox)
    crashed.drain()  # stored and moved; killed before the parse
    crashed.close()
    assert (count(dovecot, mailbox.processed_folder), count(dovecot, mailbox.nonbounce_folder)) == (4, 0)
    again = Poller(Store(settings.database), settings, mailbox)  # the restart
    result = again.poll_once()
    assert (result.fetched, result.refiled) == (0, 1)
    assert again.poll_once().refiled == 0  # and never again
    again.close()
    assert Poller(Store(settings.database), settings, mailbox).poll_once().refiled == 0
    assert (count(dovecot, mailbox.processed_folder), count(dovecot, mailbox.nonbounce_folder)) == (3, 1)
    assert db(settings, "SELECT count(*) FROM events") == [(3,)]


def test_crash_after_the_refile_move_before_its_record_moves_nothing_twice(dovecot, mailbox, settings, caplog):
    append(dovecot, mailbox.folder, [HUMAN, *bounces(1)])
    poller = Poller(Store(settings.database), settings, mailbox)
    poller.drain()
    poller.close()
    (uid,), = db(settings, "SELECT uid FROM imap_messages ORDER BY raw_id LIMIT 1")  # HUMAN, stored first
    with admin(dovecot) as c:  # our MOVE went through, the crash came before its record
        c.select_folder(mailbox.processed_folder)
        c.move([uid], mailbox.nonbounce_folder)
    conn = sqlite3.connect(settings.database)
    conn.execute("UPDATE imap_messages SET state = 'refiling' WHERE uid = ?", (uid,))
    conn.commit()
    conn.close()
    with caplog.at_level(logging.WARNING):
        result = Poller(Store(settings.database), settings, mailbox).poll_once()
    assert result.refiled == 0
    assert "no longer in" not in caplog.text
    assert (count(dovecot, mailbox.processed_folder), count(dovecot, mailbox.nonbounce_folder)) == (1, 1)
    assert db(settings, "SELECT state, folder, uid FROM imap_messages WHERE state != 'kept'") == [
        ("refiled", mailbox.nonbounce_folder, 1)]


def test_a_non_bounce_someone_else_moved_is_logged_and_skipped(dovecot, mailbox, settings, caplog):
    append(dovecot, mailbox.folder, [HUMAN, *bounces(1)])
    poller = Poller(Store(settings.database), settings, mailbox)
    poller.drain()
    with admin(dovecot) as c:  # a person files it elsewhere before bounced parses it
        c.create_folder(f"{mailbox.folder}-mine")
        c.select_folder(mailbox.processed_folder)
        c.move(c.search(["SUBJECT", "your newsletter"]), f"{mailbox.folder}-mine")
    with caplog.at_level(logging.WARNING):
        result = poller.poll_once()
    poller.close()
    assert result.refiled == 0
    assert "is no longer in" in caplog.text and "moved or expunged by someone else" in caplog.text
    assert (count(dovecot, f"{mailbox.folder}-mine"), count(dovecot, mailbox.nonbounce_folder)) == (1, 0)
    assert db(settings, "SELECT state FROM imap_messages ORDER BY raw_id") == [("gone",), ("kept",)]


def test_older_servers_without_uidplus_or_move(older, tmp_path, request):
    box = make_mailbox(older, tmp_path, request)
    (tmp_path / "key").write_text("0123456789abcdef0123456789abcdef")
    settings = Settings(database=str(tmp_path / "b.db"), verp_secret_file=str(tmp_path / "key"), mailboxes=(box,))
    autoreply = (FIXTURES / "not-bounce" / "rfc3834-01.eml").read_bytes()
    with admin(older) as c:
        uidplus, move = c.has_capability("UIDPLUS"), c.has_capability("MOVE")
        c.create_folder(box.processed_folder)
        c.append(box.processed_folder, b"Subject: someone else's, flagged for deletion\r\n\r\nx\r\n", flags=[b"\\Deleted"])
    append(older, box.folder, [HUMAN, autoreply, *bounces(45)])  # HUMAN has no Message-ID
    poller = Poller(Store(settings.database), settings, box)
    result = poller.drain()
    assert (result.fetched, count(older, box.folder)) == (47, 0)
    known = db(settings, "SELECT count(uid) FROM imap_messages")
    assert known == [(47 if uidplus else 0,)]  # without UIDPLUS the new UIDs are not known yet
    poller.finish(result)
    poller.close()
    assert (result.bounces, result.others, result.refiled) == (45, 2, 2)
    assert sorted(subjects(older, box.nonbounce_folder)) == sorted(
        ["Subject: Re: your newsletter", "Subject: Auto: November newsletter"])
    # The message someone else flagged \Deleted stays, except where only a plain EXPUNGE is left.
    assert count(older, box.processed_folder) == 45 + (uidplus or move)
    assert db(settings, "SELECT state, count(*) FROM imap_messages GROUP BY state ORDER BY state") == [
        ("kept", 45), ("refiled", 2)]


def test_a_server_that_refuses_a_second_connection_is_read_on_one(tmp_path, request, caplog):
    server = Dovecot(imap_settings="mail_max_userip_connections = 1")
    server.start()
    try:
        box = make_mailbox(server, tmp_path, request)
        (tmp_path / "key").write_text("0123456789abcdef0123456789abcdef")
        settings = Settings(database=str(tmp_path / "b.db"), verp_secret_file=str(tmp_path / "key"), mailboxes=(box,))
        append(server, box.folder, [HUMAN, *bounces(44)])  # three batches
        poller = Poller(Store(settings.database), settings, box)
        with caplog.at_level(logging.WARNING):
            result = poller.poll_once()
        poller.close()
        assert "no second connection" in caplog.text
        assert (result.fetched, result.stored, result.bounces, result.refiled) == (45, 45, 44, 1)
        assert (count(server, box.folder), count(server, box.processed_folder), count(server, box.nonbounce_folder)) == (0, 44, 1)
    finally:
        server.cleanup()


def test_locate_finds_a_message_by_its_message_id_or_its_bytes(dovecot, mailbox):
    with_id = bounces(1)[0]
    same_size = HUMAN.replace(b"Please", b"Pleasf")
    append(dovecot, mailbox.folder, [with_id, same_size, HUMAN])  # as CRLF, the bytes a fetch gives
    with admin(dovecot) as c:
        c.select_folder(mailbox.folder)
        assert locate(c, with_id.replace(b"\n", b"\r\n")) == 1
        assert locate(c, HUMAN.replace(b"\n", b"\r\n")) == 3  # no Message-ID: the size, then the bytes
        assert locate(c, mkmail.dsn("x@example.org", report_id="<nowhere@example.com>").replace(b"\n", b"\r\n")) is None


def test_copyuid_and_uid_sets():
    assert parse_copyuid([b"38505 304,319:320 3956:3958"]) == {304: (38505, 3956), 319: (38505, 3957), 320: (38505, 3958)}
    assert parse_copyuid([b"1 1:2 7"]) == {}  # sets of different sizes: unknown, found later by Message-ID
    assert uid_set([7, 3, 4, 5, 9]) == "3:5,7,9"


def test_seen_mode_flags_and_keeps_messages(dovecot, mailbox, settings):
    box = dataclasses.replace(mailbox, after="seen", batch=2)  # two batches: the read-ahead connection
    append(dovecot, box.folder, [*bounces(3), HUMAN])
    poller = Poller(Store(settings.database), settings, box)
    assert poller.poll_once().refiled == 1
    assert poller.poll_once().fetched == 0  # the checkpoint: nothing twice
    poller.close()
    with admin(dovecot) as c:
        c.select_folder(box.folder)
        assert len(c.search(["SEEN"])) == 3 == len(c.search(["ALL"]))
    assert subjects(dovecot, box.nonbounce_folder) == ["Subject: Re: your newsletter"]


def test_crash_after_store_before_move_counts_nothing_twice(dovecot, mailbox, settings):
    append(dovecot, mailbox.folder, bounces(10))
    poller = Poller(Store(settings.database), settings, mailbox)

    def crash(uids):
        raise ConnectionResetError("killed between the commit and the move")

    poller.before_mark = crash
    with pytest.raises(ConnectionResetError):
        poller.poll_once()
    poller.close()
    assert db(settings, "SELECT count(*) FROM raw_messages") == [(10,)]
    assert count(dovecot, mailbox.folder) == 10  # not moved
    again = Poller(Store(settings.database), settings, mailbox)  # the restart
    result = again.poll_once()
    again.close()
    assert (result.fetched, result.stored) == (10, 0)
    assert db(settings, "SELECT count(*) FROM events") == [(10,)]
    assert count(dovecot, mailbox.processed_folder) == 10


def test_crash_before_a_later_mark_of_a_long_pass_counts_nothing_twice(dovecot, mailbox, settings):
    box = dataclasses.replace(mailbox, batch=5)  # 12 batches: a second connection reads ahead
    append(dovecot, box.folder, [HUMAN, *bounces(59)])
    poller = Poller(Store(settings.database), settings, box)
    marks = []

    def crash(uids):
        marks.append(uids)
        if len(marks) == 2:
            raise ConnectionResetError("killed before the second mark")

    poller.before_mark = crash
    with pytest.raises(ConnectionResetError):
        poller.poll_once()
    poller.close()
    first, second = marks
    assert count(dovecot, box.processed_folder) == len(first)  # only what was marked before the crash
    assert count(dovecot, box.folder) == 60 - len(first)
    assert db(settings, "SELECT count(*) FROM raw_messages")[0][0] >= len(first) + len(second)  # committed before the mark
    again = Poller(Store(settings.database), settings, box)
    result = again.poll_once()
    again.close()
    assert result.fetched == 60 - len(first)
    assert db(settings, "SELECT count(*), count(DISTINCT sha256) FROM raw_messages") == [(60, 60)]
    assert db(settings, "SELECT count(*) FROM events") == [(59,)]
    assert (count(dovecot, box.processed_folder), count(dovecot, box.nonbounce_folder)) == (59, 1)


def test_uidvalidity_change_loses_nothing_and_counts_nothing_twice(dovecot, mailbox, settings):
    box = dataclasses.replace(mailbox, after="seen")  # messages stay, so a new UIDVALIDITY shows them again
    append(dovecot, box.folder, bounces(5))
    Poller(Store(settings.database), settings, box).poll_once()
    with admin(dovecot) as c:  # the folder is recreated: same messages, new UIDVALIDITY, and one more
        c.select_folder(box.folder)
        data = c.fetch(c.search(["ALL"]), ["BODY.PEEK[]"])
        c.close_folder()
        c.delete_folder(box.folder)
        c.create_folder(box.folder)
        for item in data.values():
            c.append(box.folder, item[b"BODY[]"])
    append(dovecot, box.folder, [mkmail.dsn("late@example.org", message_id="<late@s.example.com>")])
    result = Poller(Store(settings.database), settings, box).poll_once()
    assert (result.fetched, result.stored) == (6, 1)
    assert db(settings, "SELECT count(*) FROM events") == [(6,)]


def test_idle_stores_marks_and_processes_a_new_message_within_5_seconds(dovecot, mailbox, settings):
    stop = threading.Event()
    ready = threading.Event()
    thread = threading.Thread(target=run_poller, args=(settings, mailbox, stop, lambda s: ready.set() if s == "READY=1" else None))
    thread.start()
    try:
        assert ready.wait(10)
        time.sleep(0.5)  # now in IDLE
        started = time.monotonic()
        append(dovecot, mailbox.folder, bounces(1))
        while time.monotonic() - started < 5 and not (db(settings, "SELECT 1 FROM events")
                                                      and count(dovecot, mailbox.processed_folder)):
            time.sleep(0.1)
        assert db(settings, "SELECT address FROM events") == [("user0@example.org",)]
        assert (count(dovecot, mailbox.folder), count(dovecot, mailbox.processed_folder)) == (0, 1)
        assert time.monotonic() - started < 5
    finally:
        stop.set()
        thread.join(10)


def test_reconnects_after_the_server_drops_the_connection(dovecot, mailbox, settings):
    stop = threading.Event()
    thread = threading.Thread(target=run_poller, args=(settings, mailbox, stop))
    thread.start()
    try:
        time.sleep(1.0)
        dovecot.doveadm("kick", dovecot.user)  # the server drops every session of the user
        time.sleep(0.5)
        append(dovecot, mailbox.folder, bounces(2))
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and db(settings, "SELECT count(*) FROM events") != [(2,)]:
            time.sleep(0.2)
        assert db(settings, "SELECT count(*) FROM events") == [(2,)]
    finally:
        stop.set()
        thread.join(10)


def test_tls_and_starttls(dovecot, mailbox, settings):
    for box in (dataclasses.replace(mailbox, security="tls", port=dovecot.imaps_port, ca_file=dovecot.ca_file),
                dataclasses.replace(mailbox, security="starttls", port=dovecot.imap_port, ca_file=dovecot.ca_file)):
        append(dovecot, box.folder, bounces(1))
        poller = Poller(Store(settings.database), settings, box)
        assert poller.poll_once().fetched == 1
        poller.close()


def test_tls_refuses_an_untrusted_certificate(dovecot, mailbox, settings):
    box = dataclasses.replace(mailbox, security="tls", port=dovecot.imaps_port)  # no ca_file: system CAs
    with pytest.raises(ssl.SSLError):
        Poller(Store(settings.database), settings, box).connect()


def test_wrong_password_is_a_clear_error_and_no_retry(dovecot, mailbox, settings, tmp_path):
    (tmp_path / "bad").write_text("wrong")
    box = dataclasses.replace(mailbox, password_file=str(tmp_path / "bad"))
    with pytest.raises(AuthError, match="login as 'bounces' refused"):
        Poller(Store(settings.database), settings, box).run(True, lambda: False)
    cfg = tmp_path / "bounced.toml"
    for secret in ("key", "bad"):  # `bounced poll` refuses secrets every user can read
        (tmp_path / secret).chmod(0o600)
    cfg.write_text(f'database = "{settings.database}"\nverp_secret_file = "{settings.verp_secret_file}"\n[mailbox.main]\nhost = "127.0.0.1"\nport = {dovecot.imap_port}\n'
                   f'security = "plain"\nuser = "{dovecot.user}"\npassword_file = "{tmp_path / "bad"}"\nfolder = "{box.folder}"\n')
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "bounced", "poll", "--idle"], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "BOUNCED_CONFIG": str(cfg)}, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith("Error: mailbox.main: login as 'bounces' refused")
    assert time.monotonic() - started < 20  # no retry storm
    assert dovecot.log().count("auth failed") <= 3
