"""Integration with a real MTA: a private Postfix sends with bounced VERP Return-Paths to a sink that
rejects some recipients; Postfix's own DSNs go to `bounced serve`; the test checks what bounced decided."""

from __future__ import annotations

import asyncio
import sqlite3
import smtplib
import threading
import tempfile
import time
from pathlib import Path
from email.message import EmailMessage

import pytest
from aiosmtpd.smtp import SMTP

from bounced.config import Settings
from bounced.sending import Sender
from bounced.store import Store
from postfix_instance import PostfixInstance, available
from ports import free_port
from test_smtp import running

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


def test_postfix_dsns_reach_bounced_and_decide(tmp_path, sink):
    sink_port, handler = sink
    (tmp_path / "key").write_text("0123456789abcdef0123456789abcdef")
    settings = Settings(database=str(tmp_path / "b.db"), bounce_domains=("bounce.example.com",),
                        verp_secret_file=str(tmp_path / "key"), listen=f"127.0.0.1:{free_port()}")
    bounced_port = int(settings.listen.rsplit(":", 1)[1])
    postfix = PostfixInstance(Path(tempfile.mkdtemp(prefix="bounced-postfix-")), free_port(), {
        "bounce.example.com": f"smtp:[127.0.0.1]:{bounced_port}",
        "sink.example": f"smtp:[127.0.0.1]:{sink_port}",
    })
    with running(settings):
        postfix.start()
        try:
            sender = Sender(Store(settings.database), settings)
            with smtplib.SMTP("127.0.0.1", postfix.port, timeout=30) as smtp:
                for user in ("gone", "full", "spammed", "fine"):
                    rcpt = f"{user}@sink.example"
                    msg = EmailMessage()
                    msg["From"] = "News <news@sender.example.com>"
                    msg["To"] = rcpt
                    msg["Subject"] = "November news"
                    msg["Message-ID"] = f"<{user}.1@sender.example.com>"
                    msg.set_content("Hello\n")
                    return_path = sender.register(msg["Message-ID"], rcpt, campaign="nov")
                    smtp.send_message(msg, from_addr=return_path, to_addrs=[rcpt])
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
