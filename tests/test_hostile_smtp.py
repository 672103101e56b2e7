"""`bounced serve` as a process against hostile clients and a failing disk: raw sockets, real locks,
a real full file system.  Each case once stopped the listener's storage or held its slots."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

import mkmail
from ports import free_port, listening
from bounced.store import Store

DOMAIN = b"bounce.example.com"


@contextmanager
def serve(tmp_path: Path, extra: str = "", db: Path | None = None, notify: Path | None = None):
    """A `bounced serve` process on a free port; yields (port, log path); SIGTERM at the end."""
    port = free_port()
    db = db or tmp_path / "b.db"
    cfg = tmp_path / "bounced.toml"
    key = tmp_path / "verp.key"
    key.write_text("0123456789abcdef0123456789abcdef\n")
    key.chmod(0o600)
    cfg.write_text(f'database = "{db}"\nlisten = "127.0.0.1:{port}"\nbounce_domains = ["bounce.example.com"]\n'
                   f'verp_secret_file = "{key}"\n{extra}')
    log_path = tmp_path / "serve.log"
    env = {**os.environ, "BOUNCED_CONFIG": str(cfg)}
    if notify is not None:
        env.update(NOTIFY_SOCKET=str(notify), WATCHDOG_USEC="1000000")
    with open(log_path, "ab") as log:  # a file, not a pipe: a full pipe would block the server
        proc = subprocess.Popen([sys.executable, "-m", "bounced", "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        assert listening(port), "bounced serve did not start: " + log_path.read_text()
        yield port, log_path
        assert proc.poll() is None, "bounced serve died: " + log_path.read_text()
    finally:
        proc.terminate()
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()


class Client:
    """SMTP over a raw socket: bytes in, the last line of each reply out."""

    def __init__(self, port: int, source: str = "127.0.0.1", timeout: float = 30.0) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout, source_address=(source, 0))
        self.file = self.sock.makefile("rb")

    def reply(self) -> bytes:
        while True:
            line = self.file.readline()
            if len(line) < 4 or line[3:4] != b"-":
                return line.rstrip(b"\r\n")

    def cmd(self, line: bytes) -> bytes:
        self.sock.sendall(line + b"\r\n")
        return self.reply()

    def send(self, mail_from: bytes, rcpt: bytes, body: bytes) -> list[bytes]:
        """EHLO, MAIL, RCPT, DATA and the data; the replies (the first word of each)."""
        out = [self.reply(), self.cmd(b"EHLO mx.example.net"), self.cmd(b"MAIL FROM:<" + mail_from + b">"),
               self.cmd(b"RCPT TO:<" + rcpt + b">"), self.cmd(b"DATA")]
        if out[-1].startswith(b"354"):
            self.sock.sendall(body.replace(b"\n", b"\r\n") + b"\r\n.\r\n")
            out.append(self.reply())
        return [r.split(b" ")[0] for r in out]

    def close(self) -> None:
        self.file.close()
        self.sock.close()


def deliver(port: int, body: bytes, mail_from: bytes = b"", rcpt: bytes = b"bounces@" + DOMAIN) -> list[bytes]:
    c = Client(port)
    try:
        return c.send(mail_from, rcpt, body)
    finally:
        c.close()


def query(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db, timeout=30)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def wait_for(predicate, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


OK = [b"220", b"250", b"250", b"250", b"354", b"250"]


# -- the spool writer -------------------------------------------------------------------------

@pytest.mark.parametrize("mail_from, rcpt, column, text", [
    # the reproducer's RCPT (smtp_spool_killer.py): a byte that is not UTF-8 in the local part
    (b"", b"\xff\xfe@" + DOMAIN, "rcpt_to", "\\xff\\xfe@bounce.example.com"),
    # an old MTA's Latin-1 return path
    (b"j\xe9r\xf4me@old.example", b"bounces@" + DOMAIN, "mail_from", "j\\xe9r\\xf4me@old.example"),
], ids=["rcpt", "mail-from"])
def test_non_utf8_envelope_is_kept_byte_for_byte_and_the_writer_lives(tmp_path, mail_from, rcpt, column, text):
    with serve(tmp_path) as (port, _):
        assert deliver(port, mkmail.dsn("first@example.org"), mail_from, rcpt) == OK
        for n in range(3):  # every later DATA, on other connections, is still answered
            assert deliver(port, mkmail.dsn(f"u{n}@example.org")) == OK
    raw = mail_from if column == "mail_from" else rcpt
    assert query(tmp_path / "b.db", f"SELECT {column}, {column}_bytes FROM raw_messages ORDER BY id LIMIT 1") == [(text, raw)]
    assert query(tmp_path / "b.db", "SELECT count(*) FROM raw_messages WHERE state = 'parsed'") == [(4,)]


def test_a_client_that_hangs_up_while_its_message_waits_for_the_commit(tmp_path):
    """The commit is held up by a lock; one client hangs up meanwhile.  Its message's future was
    cancelled under the writer, which then died on setting its result."""
    Store(tmp_path / "b.db").close()
    with serve(tmp_path) as (port, _):
        locker = sqlite3.connect(tmp_path / "b.db", isolation_level=None)
        locker.execute("BEGIN IMMEDIATE")
        waiting = Client(port)
        replies: list[list[bytes]] = []
        thread = threading.Thread(target=lambda: replies.append(waiting.send(b"", b"bounces@" + DOMAIN, mkmail.dsn("a@example.org"))))
        thread.start()
        quitter = Client(port)
        assert [quitter.reply(), quitter.cmd(b"EHLO x"), quitter.cmd(b"MAIL FROM:<>"),
                quitter.cmd(b"RCPT TO:<bounces@bounce.example.com>"), quitter.cmd(b"DATA")][-1].startswith(b"354")
        quitter.sock.sendall(mkmail.dsn("b@example.org").replace(b"\n", b"\r\n") + b"\r\n.\r\n")
        time.sleep(0.5)
        quitter.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        quitter.close()  # a reset, with its message queued behind the lock
        time.sleep(0.5)
        locker.execute("ROLLBACK")
        thread.join(30)
        waiting.close()
        assert replies == [OK]
        assert deliver(port, mkmail.dsn("c@example.org")) == OK
    assert query(tmp_path / "b.db", "SELECT count(*) FROM raw_messages WHERE instr(raw, CAST('c@example.org' AS BLOB))") == [(1,)]


# -- the processor ----------------------------------------------------------------------------

def notifications(sock: socket.socket, until: float) -> list[str]:
    out = []
    while time.monotonic() < until:
        try:
            out.append(sock.recv(4096).decode())
        except TimeoutError:
            continue
    return out


def stored_under_lock(db: Path) -> sqlite3.Connection:
    """A message stored and not yet processed, and a connection holding the write lock."""
    for n in range(20):
        conn = sqlite3.connect(db, isolation_level=None)
        store = Store(db)
        raw_id, _ = store.store_raw(mkmail.dsn(f"locked{n}@example.org"), "test")
        store.close()
        conn.execute("BEGIN IMMEDIATE")
        if conn.execute("SELECT state FROM raw_messages WHERE id = ?", (raw_id,)).fetchone() == ("stored",):
            return conn
        conn.execute("ROLLBACK")  # the processor was quicker; again
        conn.close()
    raise AssertionError("the processor always took the message before the lock")


def test_processor_outlives_a_lock_held_past_the_busy_timeout(tmp_path):
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(str(tmp_path / "notify"))
    notify.settimeout(0.5)
    Store(tmp_path / "b.db").close()
    with serve(tmp_path, notify=tmp_path / "notify") as (port, log):
        locker = stored_under_lock(tmp_path / "b.db")
        held = notifications(notify, time.monotonic() + 13)  # the busy timeout is 10 s
        locker.execute("ROLLBACK")
        locker.close()
        assert wait_for(lambda: query(tmp_path / "b.db", "SELECT count(*) FROM raw_messages WHERE state = 'stored'") == [(0,)])
        assert deliver(port, mkmail.dsn("after@example.org")) == OK
        assert wait_for(lambda: query(tmp_path / "b.db", "SELECT count(*) FROM raw_messages WHERE state = 'stored'") == [(0,)])
        after = notifications(notify, time.monotonic() + 3)
    text = log.read_text()
    assert "WARNING bounced.intake.processor: processor retrying (attempt 1, next in 1 s): raw message" in text
    assert "database is locked" in text
    assert "WARNING bounced.intake.processor: processor recovered after 1 failed attempt(s)" in text
    statuses = [n for n in held + after if n.startswith("STATUS=")]
    assert statuses[0].startswith("STATUS=processor retrying (attempt 1")  # systemctl status shows it
    assert statuses[-1] == f"STATUS=listening on 127.0.0.1:{port}"
    assert "WATCHDOG=1" in held[-3:]  # a retrying processor is alive: the pings go on


@contextmanager
def small_tmpfs(path: Path, size: str = "8m"):
    path.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN): {done.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def fill(path: Path) -> Path:
    filler = path / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:  # ENOSPC: full
        return filler
    finally:
        os.close(fd)


def test_a_full_disk_answers_451_and_the_processor_waits_for_space(tmp_path):
    with small_tmpfs(tmp_path / "disk") as disk:
        db = disk / "b.db"
        store = Store(db)
        for n in range(3):  # stored by an earlier run, never processed
            store.store_raw(mkmail.dsn(f"early{n}@example.org"), "test")
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # any write now needs new space
        filler = fill(disk)
        with serve(tmp_path, db=db) as (port, log):  # store stays open: the -wal and -shm files stay
            store.close()
            assert deliver(port, mkmail.dsn("full@example.org")) == OK[:-1] + [b"451"]
            assert wait_for(lambda: "processor retrying (attempt 2" in log.read_text())
            assert query(db, "SELECT count(*) FROM raw_messages WHERE state = 'stored'") == [(3,)]
            filler.unlink()
            assert wait_for(lambda: query(db, "SELECT count(*) FROM raw_messages WHERE state = 'parsed'") == [(3,)], 90)
            assert deliver(port, mkmail.dsn("full@example.org")) == OK
            assert wait_for(lambda: query(db, "SELECT count(*) FROM raw_messages WHERE state = 'parsed'") == [(4,)])
        text = log.read_text()
        assert "database or disk is full" in text
        assert "processor recovered after" in text


# -- sessions ---------------------------------------------------------------------------------

def test_sessions_per_client_address(tmp_path):
    with serve(tmp_path, "smtp_max_per_client = 3\n") as (port, _):
        time.sleep(0.5)  # the start-up probe's session ends
        held = [Client(port) for _ in range(3)]
        assert [c.reply()[:3] for c in held] == [b"220"] * 3
        over = Client(port)
        assert over.reply() == b"421 4.7.0 Too many connections from your address, try again later"
        assert over.file.readline() == b""  # and closed
        other = Client(port, source="127.0.0.2")  # another address still gets in
        assert other.reply()[:3] == b"220"
        held.pop().close()
        assert wait_for(lambda: deliver(port, mkmail.dsn("again@example.org")) == OK, 5)
        for c in [*held, over, other]:
            c.close()


def test_silent_sessions_are_closed_after_the_idle_timeout(tmp_path):
    with serve(tmp_path, "smtp_idle_timeout = 1\nsmtp_timeout = 30\n") as (port, _):
        silent = [Client(port, timeout=10) for _ in range(10)]
        started = time.monotonic()
        for c in silent:
            assert c.reply()[:3] == b"220"
            assert c.file.readline() == b""  # closed by the server
        assert time.monotonic() - started < 5
        busy = Client(port, timeout=10)
        busy.reply()
        busy.cmd(b"EHLO x")
        assert busy.cmd(b"MAIL FROM:<>")[:3] == b"250"
        time.sleep(2)  # inside a transaction smtp_timeout counts, not the idle timeout
        assert busy.cmd(b"RCPT TO:<bounces@bounce.example.com>")[:3] == b"250"
        for c in [*silent, busy]:
            c.close()


def test_garbage_does_not_keep_a_session_open(tmp_path):
    with serve(tmp_path, "smtp_idle_timeout = 1\n") as (port, _):
        c = Client(port, timeout=10)
        c.reply()
        started = time.monotonic()
        with pytest.raises(OSError):
            while time.monotonic() - started < 6:
                c.sock.sendall(b"\r\n")  # 500 bad syntax, each time: not a command
                time.sleep(0.3)
                if c.sock.recv(4096) == b"":
                    raise ConnectionResetError("closed")
        assert time.monotonic() - started < 3
        c.close()


def test_slow_drip_data_is_cut_at_smtp_timeout(tmp_path):
    with serve(tmp_path, "smtp_timeout = 2\n") as (port, _):
        c = Client(port, timeout=10)
        c.reply()
        c.cmd(b"EHLO x")
        c.cmd(b"MAIL FROM:<>")
        c.cmd(b"RCPT TO:<bounces@bounce.example.com>")
        assert c.cmd(b"DATA")[:3] == b"354"
        started = time.monotonic()
        with pytest.raises(OSError):
            for byte in mkmail.dsn("drip@example.org"):  # a byte every 0.2 s: each arrives in time
                c.sock.sendall(bytes([byte]))
                time.sleep(0.2)
                if time.monotonic() - started > 8:
                    break
        assert 1.5 < time.monotonic() - started < 5
        c.close()
        assert deliver(port, mkmail.dsn("after@example.org")) == OK
    assert query(tmp_path / "b.db", "SELECT count(*) FROM raw_messages") == [(1,)]


# -- memory -----------------------------------------------------------------------------------

def test_data_over_the_in_flight_budget_is_answered_451(tmp_path):
    """The budget is shared: while one session holds most of it, another's data gets 451 (and a SIZE
    that cannot fit, 451 before any data); once the first has finished, the same message is taken."""
    extra = f"smtp_max_inflight = {1 << 20}\nsmtp_max_size = {1 << 20}\n"
    head = mkmail.dsn("held@example.org").replace(b"\n", b"\r\n")
    holding = head + (b"\r\n" + b"h" * 70) * 12_500  # about 900 kB, held (but for its last unread window) until its dot
    other = mkmail.dsn("other@example.org") + (b"\n" + b"y" * 70) * 4_000  # about 290 kB
    with serve(tmp_path, extra) as (port, _):
        a = Client(port)
        assert [a.reply(), a.cmd(b"EHLO a"), a.cmd(b"MAIL FROM:<>"), a.cmd(b"RCPT TO:<bounces@bounce.example.com>"),
                a.cmd(b"DATA")][-1].startswith(b"354")
        a.sock.sendall(holding)
        time.sleep(1.0)  # the listener reads what A sent: it is held
        assert deliver(port, other) == OK[:-1] + [b"451"]
        c = Client(port)
        replies = [c.reply(), c.cmd(b"EHLO x"), c.cmd(b"MAIL FROM:<> SIZE=300000"),
                   c.cmd(b"RCPT TO:<bounces@bounce.example.com>"), c.cmd(b"DATA")]
        assert replies[-1] == b"451 4.3.1 Insufficient system storage, try again later"  # before any data
        c.close()
        a.sock.sendall(b"\r\n.\r\n")
        assert a.reply().startswith(b"250")
        a.close()
        assert deliver(port, other) == OK
    sizes = sorted(size for (size,) in query(tmp_path / "b.db", "SELECT size FROM raw_messages"))
    assert sizes == sorted([len(holding) + 2, len(other.replace(b"\n", b"\r\n")) + 2])
