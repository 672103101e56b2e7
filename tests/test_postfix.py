"""Integration with a real MTA: a private Postfix sends with bounced VERP Return-Paths to a sink that
rejects some recipients; Postfix's own DSNs go to `bounced serve`; the test checks what bounced decided."""

from __future__ import annotations

import asyncio
import grp
import os
import shutil
import signal
import socket
import subprocess
import sys
import sqlite3
import smtplib
import stat
import threading
import tempfile
import time
from pathlib import Path
from email.message import EmailMessage

import pytest
from aiosmtpd.smtp import SMTP

import mkmail
from bounced.config import Settings
from bounced.sending import Sender
from bounced.store import Store
from postfix_instance import PostfixInstance, available
from ports import free_port
from test_smtp import running

UNIT = Path(__file__).resolve().parents[1] / "systemd" / "bounced-lmtp.socket"
pytestmark = pytest.mark.skipif(not available(), reason="Postfix is not installed (Debian package postfix)")

# local part at the sink -> what the sink answers to RCPT (the wordings of a real Postfix sink)
REPLIES = {
    "gone": "550 5.1.1 <gone@sink.example>: Recipient address rejected: User unknown in local recipient table",
    "full": "452 4.2.2 <full@sink.example>: Recipient address rejected: Mailbox full",
    "spammed": "554 5.7.1 <spammed@sink.example>: Recipient address rejected: Message rejected as spam",
}


class SinkHandler:
    def __init__(self) -> None:
        self.delivered: list[str] = []

    async def handle_RCPT(self, server, session, envelope, address, options):
        reply = REPLIES.get(address.split("@")[0])
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        self.delivered.extend(envelope.rcpt_tos)
        return "250 2.0.0 Ok: queued"


@pytest.fixture
def sink():
    port = free_port()
    handler = SinkHandler()
    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(loop.create_server(lambda: SMTP(handler, hostname="sink.example"), "127.0.0.1", port))
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield port, handler
    loop.call_soon_threadsafe(server.close)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)


def _send(postfix, sender, users):
    """Send one message per user to the sink, with a registered VERP Return-Path; the Return-Paths."""
    paths = {}
    with smtplib.SMTP("127.0.0.1", postfix.port, timeout=30) as smtp:
        for user in users:
            rcpt = f"{user}@sink.example"
            msg = EmailMessage()
            msg["From"] = "News <news@sender.example.com>"
            msg["To"] = rcpt
            msg["Subject"] = "November news"
            msg["Message-ID"] = f"<{user}.1@sender.example.com>"
            msg.set_content("Hello\n")
            paths[rcpt] = sender.register(msg["Message-ID"], rcpt, campaign="nov")
            smtp.send_message(msg, from_addr=paths[rcpt], to_addrs=[rcpt])
    return paths


def _settings(tmp_path, **changes):
    (tmp_path / "key").write_text("0123456789abcdef0123456789abcdef")
    (tmp_path / "key").chmod(0o600)
    return Settings(database=str(tmp_path / "b.db"), bounce_domains=("bounce.example.com",),
                    verp_secret_file=str(tmp_path / "key"), listen=f"127.0.0.1:{free_port()}", **changes)


def test_postfix_dsns_reach_bounced_and_decide(tmp_path, sink):
    sink_port, handler = sink
    settings = _settings(tmp_path)
    bounced_port = int(settings.listen.rsplit(":", 1)[1])
    postfix = PostfixInstance(Path(tempfile.mkdtemp(prefix="bounced-postfix-")), free_port(), {
        "bounce.example.com": f"smtp:[127.0.0.1]:{bounced_port}",
        "sink.example": f"smtp:[127.0.0.1]:{sink_port}",
    })
    with running(settings):
        postfix.start()
        try:
            _send(postfix, Sender(Store(settings.database), settings), ("gone", "full", "spammed", "fine"))
            events = _wait_for_events(settings.database, 3, timeout=60, log=postfix.log)
        finally:
            postfix.stop()
    assert handler.delivered == ["fine@sink.example"]
    assert events == {
        "gone@sink.example": ("bounce", "5.1.1", 550, "userunknown", "hard", "verp"),
        "full@sink.example": ("bounce", "4.2.2", 452, "mailboxfull", "soft", "verp"),
        "spammed@sink.example": ("bounce", "5.7.1", 554, "spamdetected", "soft", "verp"),
    }
    conn = sqlite3.connect(settings.database)
    states = dict(conn.execute("SELECT address, state FROM addresses"))
    assert states == {"gone@sink.example": "suppressed", "full@sink.example": "active", "spammed@sink.example": "active"}
    assert conn.execute("SELECT campaign, sent, hard, soft FROM campaign_rates").fetchall() == [("nov", 4, 1, 2)]


def test_postfix_delivers_over_lmtp_unix_from_its_chroot(tmp_path, sink):
    """Debian's layout: Postfix's lmtp client chrooted in the queue directory, the transport
    ``lmtp:unix:private/bounced-lmtp``, bounced's socket made under a umask of 0077 (the unit's
    UMask=) and given mode 0660 and the postfix group by ``lmtp_group``.  Postfix's DSNs and a
    plain delivery to the bounce domain arrive over it."""
    sink_port, handler = sink
    postfix = PostfixInstance(Path(tempfile.mkdtemp(prefix="bounced-postfix-")), free_port(), {
        "bounce.example.com": "lmtp:unix:private/bounced-lmtp",
        "sink.example": f"smtp:[127.0.0.1]:{sink_port}",
    })
    socket_path = postfix.queue / "private" / "bounced-lmtp"
    settings = _settings(tmp_path, lmtp=str(socket_path), lmtp_group="postfix")
    postfix.start()  # set-permissions makes private/ (postfix, 0700) before bounced binds in it
    umask = os.umask(0o077)
    try:
        with running(settings):
            os.umask(umask)
            mode = os.stat(socket_path)
            try:
                paths = _send(postfix, Sender(Store(settings.database), settings), ("gone", "full", "fine"))
                with smtplib.SMTP("127.0.0.1", postfix.port, timeout=30) as smtp:
                    smtp.sendmail("<>", ["bounces@bounce.example.com"], mkmail.dsn("plain@example.org"))
                events = _wait_for_events(settings.database, 3, timeout=60, log=postfix.log)
                log = postfix.log()
            finally:
                postfix.stop()
    finally:
        os.umask(umask)
    assert (stat.S_IMODE(mode.st_mode), grp.getgrgid(mode.st_gid).gr_name) == (0o660, "postfix")
    assert handler.delivered == ["fine@sink.example"]
    assert events == {
        "gone@sink.example": ("bounce", "5.1.1", 550, "userunknown", "hard", "verp"),
        "full@sink.example": ("bounce", "4.2.2", 452, "mailboxfull", "soft", "verp"),
        "plain@example.org": ("bounce", "5.1.1", 550, "userunknown", "hard", "foreign"),
    }
    conn = sqlite3.connect(settings.database)
    raws = conn.execute("SELECT mail_from, rcpt_to, state, kind, source FROM raw_messages ORDER BY rcpt_to").fetchall()
    assert sorted(raws) == sorted([
        ("<>", "bounces@bounce.example.com", "parsed", "bounce", "lmtp:unix"),
        ("<>", paths["gone@sink.example"], "parsed", "bounce", "lmtp:unix"),
        ("<>", paths["full@sink.example"], "parsed", "bounce", "lmtp:unix"),
    ])
    # Postfix's own record of the deliveries: over the socket, each answered by bounced's 250
    assert log.count("postfix/lmtp[") == log.count("[private/bounced-lmtp], ") == 3, log
    assert log.count("status=sent (250 2.0.0 Stored as") == 3, log


def test_postfix_delivers_over_loopback_tcp_lmtp(tmp_path, sink):
    """The alternative to the socket: lmtp:inet:127.0.0.1:PORT, from the same chrooted client."""
    sink_port, _ = sink
    lmtp_port = free_port()
    postfix = PostfixInstance(Path(tempfile.mkdtemp(prefix="bounced-postfix-")), free_port(), {
        "bounce.example.com": f"lmtp:inet:127.0.0.1:{lmtp_port}",
        "sink.example": f"smtp:[127.0.0.1]:{sink_port}",
    })
    settings = _settings(tmp_path, lmtp=f"127.0.0.1:{lmtp_port}")
    with running(settings):
        postfix.start()
        try:
            path = _send(postfix, Sender(Store(settings.database), settings), ("gone",))["gone@sink.example"]
            events = _wait_for_events(settings.database, 1, timeout=60, log=postfix.log)
        finally:
            postfix.stop()
    assert events == {"gone@sink.example": ("bounce", "5.1.1", 550, "userunknown", "hard", "verp")}
    raws = sqlite3.connect(settings.database).execute("SELECT mail_from, rcpt_to, state, source FROM raw_messages")
    assert raws.fetchall() == [("<>", path, "parsed", "lmtp:127.0.0.1")]


def _unit_socket(root: Path) -> socket.socket:
    """The socket systemd makes from bounced-lmtp.socket, with /var/spool/postfix moved to ``root``."""
    unit = dict(line.split("=", 1) for line in UNIT.read_text().splitlines() if "=" in line and not line.startswith("#"))
    path = root / Path(unit["ListenStream"]).relative_to("/var/spool/postfix")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(path))
    sock.listen(16)
    shutil.chown(path, unit["SocketUser"], unit["SocketGroup"])
    os.chmod(path, int(unit["SocketMode"], 8))
    return sock


def test_postfix_delivers_to_the_socket_unit(tmp_path, sink):
    """systemd/bounced-lmtp.socket as systemd would make it, handed to a `bounced serve` process
    (socket activation); Postfix's chrooted lmtp client delivers its DSN over it."""
    sink_port, _ = sink
    postfix = PostfixInstance(Path(tempfile.mkdtemp(prefix="bounced-postfix-")), free_port(), {
        "bounce.example.com": "lmtp:unix:private/bounced-lmtp",
        "sink.example": f"smtp:[127.0.0.1]:{sink_port}",
    })
    settings = _settings(tmp_path)
    cfg = tmp_path / "bounced.toml"
    cfg.write_text(f'database = "{settings.database}"\nbounce_domains = ["bounce.example.com"]\n'
                   f'verp_secret_file = "{settings.verp_secret_file}"\n')
    postfix.start()
    try:
        listener = _unit_socket(postfix.queue)
        launcher = ("import os, sys; os.dup2(int(sys.argv[1]), 3); os.environ['LISTEN_PID'] = str(os.getpid());"
                    "os.execv(sys.executable, [sys.executable, '-m', 'bounced', 'serve'])")
        env = {**os.environ, "BOUNCED_CONFIG": str(cfg), "LISTEN_FDS": "1", "LISTEN_FDNAMES": "lmtp"}
        with open(tmp_path / "serve.log", "wb") as err:
            proc = subprocess.Popen([sys.executable, "-c", launcher, str(listener.fileno())], env=env,
                                    pass_fds=[listener.fileno()], stdout=err, stderr=err)
        listener.close()
        try:
            path = _send(postfix, Sender(Store(settings.database), settings), ("gone",))["gone@sink.example"]
            events = _wait_for_events(settings.database, 1, timeout=60, log=postfix.log)
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(60) == 0, (tmp_path / "serve.log").read_text()
        finally:
            if proc.poll() is None:
                proc.kill()
    finally:
        postfix.stop()
    assert events == {"gone@sink.example": ("bounce", "5.1.1", 550, "userunknown", "hard", "verp")}
    raws = sqlite3.connect(settings.database).execute("SELECT mail_from, rcpt_to, state, source FROM raw_messages")
    assert raws.fetchall() == [("<>", path, "parsed", "lmtp:unix")]


def _wait_for_events(path, count, timeout, log):
    deadline = time.monotonic() + timeout
    rows = []
    while time.monotonic() < deadline:
        conn = sqlite3.connect(path)
        try:
            rows = conn.execute(
                "SELECT address, kind, status, reply_code, reason, bounce_type, correlation FROM events").fetchall()
        except sqlite3.OperationalError:
            rows = []
        finally:
            conn.close()
        if len(rows) >= count:
            return {r[0]: r[1:] for r in rows}
        time.sleep(0.2)
    raise AssertionError(f"only {rows} after {timeout} s; postfix log:\n{log()}")
