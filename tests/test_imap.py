"""bounced poll against a real Dovecot started by the test set-up (plain, STARTTLS and IMAPS on loopback)."""

from __future__ import annotations

import dataclasses
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
from bounced.store import Store
from dovecot_instance import Dovecot, available

pytestmark = pytest.mark.skipif(not available(), reason="Dovecot is not installed (Debian package dovecot-imapd)")
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="module")
def dovecot():
    server = Dovecot()
    server.start()
    yield server
    server.cleanup()


@pytest.fixture
def mailbox(dovecot, tmp_path, request):
    folder = f"T{abs(hash(request.node.name)) % 10**8}"  # each test its own folders
    (tmp_path / "pw").write_text(dovecot.password)
    box = Mailbox(name="main", host="127.0.0.1", port=dovecot.imap_port, security="plain", user=dovecot.user,
                  password_file=str(tmp_path / "pw"), folder=folder, processed_folder=f"{folder}-done",
                  nonbounce_folder=f"{folder}-other", batch=20)
    with admin(dovecot) as c:
        c.create_folder(folder)
    return box


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
    human = b"From: someone@example.org\nTo: bounces@b.example.com\nSubject: Re: your newsletter\n\nPlease call me.\n"
    autoreply = (FIXTURES / "not-bounce" / "rfc3834-01.eml").read_bytes()
    append(dovecot, mailbox.folder, [human, autoreply, *bounces(1)])
    poller = Poller(Store(settings.database), settings, mailbox)
    result = poller.poll_once()
    poller.close()
    assert (result.bounces, result.others) == (1, 2)
    assert (count(dovecot, mailbox.nonbounce_folder), count(dovecot, mailbox.processed_folder)) == (2, 1)
    assert db(settings, "SELECT count(*) FROM raw_messages") == [(3,)]


def test_seen_mode_flags_and_keeps_messages(dovecot, mailbox, settings):
    box = dataclasses.replace(mailbox, after="seen")
    append(dovecot, box.folder, bounces(3))
    poller = Poller(Store(settings.database), settings, box)
    poller.poll_once()
    assert poller.poll_once().fetched == 0  # the checkpoint: nothing twice
    poller.close()
    with admin(dovecot) as c:
        c.select_folder(box.folder)
        assert len(c.search(["SEEN"])) == 3


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


def test_idle_processes_a_new_message_within_5_seconds(dovecot, mailbox, settings):
    stop = threading.Event()
    ready = threading.Event()
    thread = threading.Thread(target=run_poller, args=(settings, mailbox, stop, lambda s: ready.set() if s == "READY=1" else None))
    thread.start()
    try:
        assert ready.wait(10)
        time.sleep(0.5)  # now in IDLE
        started = time.monotonic()
        append(dovecot, mailbox.folder, bounces(1))
        while time.monotonic() - started < 5 and not db(settings, "SELECT 1 FROM events"):
            time.sleep(0.1)
        assert db(settings, "SELECT address FROM events") == [("user0@example.org",)]
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
    cfg.write_text(f'database = "{settings.database}"\n[mailbox.main]\nhost = "127.0.0.1"\nport = {dovecot.imap_port}\n'
                   f'security = "plain"\nuser = "{dovecot.user}"\npassword_file = "{tmp_path / "bad"}"\nfolder = "{box.folder}"\n')
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "bounced", "poll", "--idle"], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "BOUNCED_CONFIG": str(cfg)}, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith("Error: mailbox.main: login as 'bounces' refused")
    assert time.monotonic() - started < 20  # no retry storm
    assert dovecot.log().count("auth failed") <= 3
