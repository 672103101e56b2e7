"""bounced serve over loopback: the real aiosmtpd listener, the standard library's SMTP/LMTP clients."""

from __future__ import annotations

import asyncio
import concurrent.futures
import smtplib
import sqlite3
import threading
from contextlib import contextmanager

import pytest

import mkmail
from ports import free_port
from bounced import verp
from bounced.config import Settings
from bounced.intake.spool import Spool
from bounced.service import Server
from bounced.store import Store

SECRET = "0123456789abcdef0123456789abcdef"



@pytest.fixture
def settings(tmp_path):
    (tmp_path / "key").write_text(SECRET)
    return Settings(database=str(tmp_path / "b.db"), bounce_domains=("bounce.example.com",),
                    verp_secret_file=str(tmp_path / "key"), listen=f"127.0.0.1:{free_port()}",
                    lmtp=str(tmp_path / "lmtp.sock"), smtp_max_size=200_000, smtp_max_recipients=5)


@contextmanager
def running(settings, spool_factory=None):
    loop = asyncio.new_event_loop()
    server = Server(settings, spool_factory)
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(server.start(), loop).result(10)
    try:
        yield server
    finally:
        asyncio.run_coroutine_threadsafe(server.stop(), loop).result(60)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


def client(settings) -> smtplib.SMTP:
    host, port = settings.listen.rsplit(":", 1)
    return smtplib.SMTP(host, int(port), timeout=10)


def rows(settings, sql="SELECT state, kind, rcpt_to, mail_from FROM raw_messages ORDER BY id"):
    conn = sqlite3.connect(settings.database)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_single_report_is_stored_parsed_and_answered_250(settings):
    with running(settings):
        with client(settings) as c:
            c.ehlo("mx.example.net")
            code, reply = c.mail("<>")
            assert code == 250
            assert c.rcpt("bounces@bounce.example.com")[0] == 250
            code, reply = c.data(mkmail.dsn("user@example.org"))
            assert code == 250 and reply.startswith(b"2.0.0 Stored as ")
    assert rows(settings) == [("parsed", "bounce", "bounces@bounce.example.com", "<>")]
    assert rows(settings, "SELECT address, reason FROM events") == [("user@example.org", "userunknown")]


def test_multi_recipient_report(settings):
    report = mkmail.dsn("a@example.org").replace(
        b"Final-Recipient: rfc822; a@example.org",
        b"Final-Recipient: rfc822; b@example.net\nAction: failed\nStatus: 5.2.2\n"
        b"Diagnostic-Code: smtp; 552 5.2.2 Mailbox full\n\nFinal-Recipient: rfc822; a@example.org")
    with running(settings):
        with client(settings) as c:
            assert c.sendmail("<>", ["bounces@bounce.example.com", "fbl@bounce.example.com"], report) == {}
    assert sorted(rows(settings, "SELECT address, reason FROM events")) == [
        ("a@example.org", "userunknown"), ("b@example.net", "mailboxfull")]
    assert rows(settings, "SELECT rcpt_to FROM raw_messages") == [("bounces@bounce.example.com, fbl@bounce.example.com",)]


def test_forged_token_is_refused_at_rcpt(settings):
    good = verp.encode("k1", SECRET.encode(), "bounces", "bounce.example.com")
    forged = verp.encode("k1", b"not-our-secret-at-all-0123456789", "bounces", "bounce.example.com")
    with running(settings):
        with client(settings) as c:
            c.ehlo()
            c.mail("<>")
            assert c.rcpt(good)[0] == 250
            code, reply = c.rcpt(forged)
            assert (code, reply) == (550, b"5.1.1 Unknown recipient (forged return path)")


def test_forged_token_accepted_and_recorded_when_configured(settings):
    import dataclasses

    settings = dataclasses.replace(settings, smtp_forged_verp="accept")
    forged = verp.encode("k1", b"not-our-secret-at-all-0123456789", "bounces", "bounce.example.com")
    with running(settings):
        with client(settings) as c:
            assert c.sendmail("<>", [forged], mkmail.dsn("user@example.org", envelope_to=forged)) == {}
    assert rows(settings, "SELECT correlation, verp, counts FROM events") == [("forged", "forged", 0)]


def test_other_domains_are_refused(settings):
    with running(settings):
        with client(settings) as c:
            c.ehlo()
            c.mail("<>")
            assert c.rcpt("someone@elsewhere.example")[0:2] == (550, b"5.7.1 Relaying denied")


def test_too_many_recipients(settings):
    with running(settings):
        with client(settings) as c:
            c.ehlo()
            c.mail("<>")
            codes = [c.rcpt(f"r{n}@bounce.example.com")[0] for n in range(6)]
    assert codes == [250] * 5 + [452]


def test_oversized_message_is_refused_with_552(settings):
    with running(settings):
        with client(settings) as c:
            c.ehlo()
            assert c.esmtp_features["size"] == "200000"
            c.mail("<>")  # no SIZE parameter: the limit is enforced on the data
            c.rcpt("bounces@bounce.example.com")
            code, _ = c.data(mkmail.dsn("user@example.org") + b"x" * 300_000)
            assert code == 552
    assert rows(settings) == []


def test_concurrent_clients(settings):
    def deliver(n):
        with client(settings) as c:
            return c.sendmail("<>", ["bounces@bounce.example.com"], mkmail.dsn(f"u{n}@example.org"))

    with running(settings):
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            results = list(pool.map(deliver, range(40)))
    assert results == [{}] * 40
    assert rows(settings, "SELECT count(*), count(DISTINCT sha256) FROM raw_messages") == [(40, 40)]
    assert rows(settings, "SELECT count(DISTINCT address) FROM events") == [(40,)]


def test_lmtp_answers_once_per_recipient(settings):
    with running(settings):
        lmtp = smtplib.LMTP(settings.lmtp)
        lmtp.ehlo_or_helo_if_needed()
        lmtp.mail("<>")
        lmtp.rcpt("bounces@bounce.example.com")
        lmtp.rcpt("fbl@bounce.example.com")
        lmtp.putcmd("data")
        assert lmtp.getreply()[0] == 354
        lmtp.send(mkmail.dsn("user@example.org").replace(b"\n", b"\r\n") + b"\r\n.\r\n")
        replies = [lmtp.getreply(), lmtp.getreply()]
        lmtp.quit()
    assert [r[0] for r in replies] == [250, 250]
    assert rows(settings, "SELECT count(*) FROM raw_messages") == [(1,)]


def test_storage_failure_answers_451_and_the_retry_is_kept(settings):
    Store(settings.database).close()
    locker = sqlite3.connect(settings.database, isolation_level=None)
    with running(settings, lambda: Spool(settings, lambda: Store(settings.database, busy_timeout_ms=100))):
        locker.execute("BEGIN IMMEDIATE")
        with client(settings) as c:
            c.ehlo()
            c.mail("<>")
            c.rcpt("bounces@bounce.example.com")
            code, reply = c.data(mkmail.dsn("user@example.org"))
            assert (code, reply) == (451, b"4.3.0 Cannot store the message now; try again later")
        locker.execute("ROLLBACK")
        with client(settings) as c:
            assert c.sendmail("<>", ["bounces@bounce.example.com"], mkmail.dsn("user@example.org")) == {}
    assert rows(settings, "SELECT count(*) FROM raw_messages") == [(1,)]


def test_unparseable_message_is_still_250_and_kept(settings):
    junk = b"Subject: \xff\xfe binary\n\n" + bytes(range(256)) * 20
    with running(settings):
        with client(settings) as c:
            assert c.sendmail("<>", ["bounces@bounce.example.com"], junk) == {}
    ((state, kind, raw),) = rows(settings, "SELECT state, kind, raw FROM raw_messages")
    assert (state, kind) == ("unknown", "unknown")
    # the client turns line endings into CRLF; the bytes themselves are kept (byte for byte: test_pipeline)
    assert raw.startswith(b"Subject: \xff\xfe binary") and raw.rstrip(b"\r\n").endswith(bytes(range(14, 256)))


@pytest.mark.parametrize("timeouts, in_transaction, closed", [
    ((1, 60), False, False),  # smtp_timeout bounds a transaction, not the wait outside one
    ((60, 1), False, True),  # smtp_idle_timeout: an open session with no transaction
    ((1, 60), True, True),  # a transaction left hanging
    ((60, 1), True, False),
], ids=["outside-long", "outside-idle", "inside-timeout", "inside-not-idle"])
def test_session_timeouts(settings, timeouts, in_transaction, closed):
    import dataclasses
    import time

    settings = dataclasses.replace(settings, smtp_timeout=timeouts[0], smtp_idle_timeout=timeouts[1])
    with running(settings):
        c = client(settings)
        c.ehlo()
        if in_transaction:
            assert c.mail("<>")[0] == 250
        time.sleep(1.6)
        try:
            code = c.noop()[0]
        except smtplib.SMTPServerDisconnected:
            code = None
        assert code == (None if closed else 250)
        c.close()


def test_starttls_when_a_certificate_is_configured(settings, tmp_path):
    import dataclasses
    import shutil
    import ssl
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed; cannot make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    settings = dataclasses.replace(settings, tls_cert=str(cert), tls_key=str(key))
    with running(settings):
        with client(settings) as c:
            c.ehlo()
            assert c.has_extn("starttls")
            context = ssl.create_default_context(cafile=str(cert))
            context.check_hostname = False
            assert c.starttls(context=context)[0] == 220
            assert c.sendmail("<>", ["bounces@bounce.example.com"], mkmail.dsn("user@example.org")) == {}
    assert rows(settings, "SELECT count(*) FROM raw_messages") == [(1,)]


def test_no_starttls_without_a_certificate(settings):
    with running(settings):
        with client(settings) as c:
            c.ehlo()
            assert not c.has_extn("starttls")


LONG = b"L" * 90_000  # a line longer than the reader's window (the messages stay under smtp_max_size)

DATA_CASES = [  # (what the client sends after 354, up to and without the final ".\r\n"; what is stored)
    (b"a\r\nb\r\n", b"a\r\nb\r\n"),
    (b"", b""),  # an empty message: the lone dot comes first
    (b"\r\n", b"\r\n"),
    (b"..\r\n", b".\r\n"),  # RFC 5321 4.5.2: a line that is one dot is sent as two
    (b".hidden\r\n..two\r\nthree.\r\n", b"hidden\r\n.two\r\nthree.\r\n"),
    (b"end.\r\nx.\r\n.a.\r\n", b"end.\r\nx.\r\na.\r\n"),  # dots at the end of lines end nothing
    (b"a\n.\nb\r\n", b"a\n.\nb\r\n"),  # a bare LF ends no line
    (b"\xff\xfe 8bit\r\n.\xe9\r\n", b"\xff\xfe 8bit\r\n\xe9\r\n"),
    (LONG + b"\r\n..x\r\n" + LONG + b".\r\n", LONG + b"\r\n.x\r\n" + LONG + b".\r\n"),
]


# Each case in pieces of 1, 3 and 4093 bytes and whole; the long case only in the larger pieces.
CHUNKS = {"bytewise": 1, "3": 3, "4093": 4093, "whole": None}
DATA_RUNS = [
    pytest.param(sent, kept, chunk, id=f"case{n}-{name}")
    for n, (sent, kept) in enumerate(DATA_CASES) for name, chunk in CHUNKS.items()
    if chunk is None or chunk >= 4093 or len(sent) <= 1000
]


@pytest.mark.parametrize("sent, kept, chunk", DATA_RUNS)
def test_data_is_kept_byte_for_byte_however_it_arrives(settings, sent, kept, chunk):
    import socket

    host, port = settings.listen.rsplit(":", 1)
    with running(settings):
        sock = socket.create_connection((host, int(port)), timeout=10)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        reader = sock.makefile("rb")
        for line in (None, b"EHLO x", b"MAIL FROM:<>", b"RCPT TO:<bounces@bounce.example.com>", b"DATA"):
            if line:
                sock.sendall(line + b"\r\n")
            while (reply := reader.readline())[3:4] == b"-":
                pass
        assert reply.startswith(b"354")
        wire = sent + b".\r\n"
        for start in range(0, len(wire), chunk or len(wire)):
            sock.sendall(wire[start:start + (chunk or len(wire))])
        reply = reader.readline()
        reader.close()
        sock.close()
    assert reply.startswith(b"250 2.0.0 Stored as "), reply
    raw_id = int(reply.split()[-1])
    assert rows(settings, f"SELECT raw FROM raw_messages WHERE id = {raw_id}") == [(kept,)]


def test_pipelined_commands_after_the_data_are_read_as_commands(settings):
    import socket

    host, port = settings.listen.rsplit(":", 1)
    with running(settings):
        sock = socket.create_connection((host, int(port)), timeout=10)
        reader = sock.makefile("rb")
        reader.readline()
        sock.sendall(b"EHLO x\r\n")
        while reader.readline()[3:4] == b"-":
            pass
        # RFC 2920: the end of the data, the next transaction and QUIT in one write
        sock.sendall(b"MAIL FROM:<>\r\nRCPT TO:<bounces@bounce.example.com>\r\nDATA\r\n")
        assert [reader.readline()[:3] for _ in range(3)] == [b"250", b"250", b"354"]
        sock.sendall(b"one\r\n.\r\nMAIL FROM:<>\r\nRCPT TO:<fbl@bounce.example.com>\r\nDATA\r\n")
        assert [reader.readline()[:3] for _ in range(4)] == [b"250", b"250", b"250", b"354"]
        sock.sendall(b"two\r\n.\r\nQUIT\r\n")
        assert [reader.readline()[:3] for _ in range(2)] == [b"250", b"221"]
        reader.close()
        sock.close()
    assert rows(settings, "SELECT raw, rcpt_to FROM raw_messages ORDER BY id") == [
        (b"one\r\n", "bounces@bounce.example.com"), (b"two\r\n", "fbl@bounce.example.com")]
