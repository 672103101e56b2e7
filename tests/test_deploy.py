"""A deployment that follows the README loses nothing: one database and one secret for the service, a shell
and the sending application; no secret made behind a configuration file; a wrong or rotated secret at RCPT."""

from __future__ import annotations

import hashlib
import json
import signal
import smtplib
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import mkmail
from ports import free_port, listening
from bounced import config, verp
from bounced.errors import ConfigError
from bounced.sending import Sender

ROOT = Path(__file__).resolve().parents[1]
KEY = "c2VjcmV0LXRoYXQtdGhlLWFkbWluLW1hZGUtd2l0aC1iYXNlNjQ=\n"
OTHER = "YS1kaWZmZXJlbnQtc2VjcmV0LWZyb20tYW5vdGhlci1ob3N0\n"


def deployment(root: Path, port: int, **changes: str) -> Path:
    """The shipped example configuration, its two shared paths moved under ``root``, and the secret made as the
    README makes it (mode 0640)."""
    db = root / "var/lib/bounced/bounced.db"
    key = root / "etc/bounced/verp.key"
    db.parent.mkdir(parents=True, exist_ok=True)
    key.parent.mkdir(parents=True, exist_ok=True)
    key.write_text(KEY)
    key.chmod(0o640)
    text = (ROOT / "bounced.example.toml").read_text()
    text = text.replace('"/var/lib/bounced/bounced.db"', f'"{db}"').replace('"/etc/bounced/verp.key"', f'"{key}"')
    text = text.replace('listen = "127.0.0.1:2525"', f'listen = "127.0.0.1:{port}"')
    text = text.replace("bounce_domains = []", 'bounce_domains = ["bounce.example.com"]')
    for name, value in changes.items():
        before = next(line for line in text.splitlines() if line.startswith(f"{name} ="))
        text = text.replace(before, f"{name} = {value}")
    cfg = root / "etc/bounced/bounced.toml"
    cfg.write_text(text)
    return cfg


def bounced(*args: str, cfg: Path | str, cwd: Path, **kw) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "BOUNCED_CONFIG": str(cfg), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "bounced", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=60, **kw)


class Service:
    """`bounced serve` as its own process, in a working directory of its own."""

    def __init__(self, cfg: Path | str, cwd: Path, port: int, env: dict[str, str] | None = None) -> None:
        cwd.mkdir(parents=True, exist_ok=True)
        self.log = cwd / "serve.log"
        self.port = port
        env = {"PATH": "/usr/bin:/bin", "BOUNCED_CONFIG": str(cfg), "PYTHONPATH": str(ROOT), **(env or {})}
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "bounced", "serve"], cwd=cwd, env=env,
                                         stdout=log, stderr=subprocess.STDOUT)
        if not listening(port):
            self.stop()
            raise AssertionError("bounced serve did not start: " + self.log.read_text())

    def rcpt(self, addresses: list[str]) -> list[int]:
        with smtplib.SMTP("127.0.0.1", self.port, timeout=10) as c:
            c.ehlo()
            c.mail("<>")
            return [c.rcpt(a)[0] for a in addresses]

    def send(self, envelope_to: str, recipient: str) -> dict:
        with smtplib.SMTP("127.0.0.1", self.port, timeout=10) as c:
            return c.sendmail("<>", [envelope_to], mkmail.dsn(recipient, message_id=None, envelope_to=envelope_to))

    def stop(self) -> str:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        return self.log.read_text()


def events(db: Path, count: int, timeout: float = 30) -> list[tuple]:
    """The events, once the service's processor has recorded ``count`` of them."""
    deadline = time.monotonic() + timeout
    while True:
        rows = []
        if db.exists():
            conn = sqlite3.connect(db)
            try:
                rows = conn.execute("SELECT address, correlation, verp, counts FROM events ORDER BY address").fetchall()
            except sqlite3.OperationalError:  # the schema is not there yet
                rows = []
            finally:
                conn.close()
        if len(rows) >= count or time.monotonic() > deadline:
            return rows
        time.sleep(0.2)


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.strip().encode()).hexdigest()[:8]


def test_service_shell_and_sender_share_one_database_and_one_secret(tmp_path, monkeypatch):
    port = free_port()
    cfg = deployment(tmp_path, port)
    db = tmp_path / "var/lib/bounced/bounced.db"
    shell, app = tmp_path / "home/admin", tmp_path / "srv/app"
    shell.mkdir(parents=True)
    app.mkdir(parents=True)
    checked = bounced("config", "check", cfg=cfg, cwd=shell)
    assert (checked.returncode, checked.stderr) == (0, "")
    assert checked.stdout == (f"ok: {cfg}\ndatabase: {db} (not yet created)\n"
                              f"verp secret: {tmp_path / 'etc/bounced/verp.key'} (fingerprint {fingerprint(KEY)})\n")
    service = Service(cfg, tmp_path / "service-cwd", port)
    try:
        monkeypatch.chdir(app)
        monkeypatch.setenv("BOUNCED_CONFIG", str(cfg))
        sender = Sender.from_config()
        paths = [sender.register(f"<m{i}@sender.example.com>", f"user{i}@example.org", campaign="nov") for i in range(3)]
        assert [service.send(p, f"user{i}@example.org") for i, p in enumerate(paths)] == [{}, {}, {}]
        assert events(db, 3) == [(f"user{i}@example.org", "verp", "valid", 1) for i in range(3)]
        status = bounced("status", "user1@example.org", "--json", cfg=cfg, cwd=shell)
        assert json.loads(status.stdout)["state"]["state"] == "suppressed"
    finally:
        log = service.stop()
    assert "ERROR" not in log and " 550 " not in log
    for cwd in (shell, app, tmp_path / "service-cwd"):  # nobody made a database or a secret of their own
        assert sorted(p.name for p in cwd.iterdir() if p.name != "serve.log") == []


def test_a_configuration_without_a_secret_makes_none(tmp_path, monkeypatch):
    port = free_port()
    cfg = deployment(tmp_path, port, verp_secret_file='""')
    db = tmp_path / "var/lib/bounced/bounced.db"
    monkeypatch.chdir(tmp_path)
    message = (f"verp_secret_file: not set in {cfg}; name the secret file that the service, the shell and the sending"
               " application share (none is made when a configuration file is in use)")
    with pytest.raises(ConfigError) as caught:
        Sender.from_config(str(cfg))
    assert str(caught.value) == message
    for args in (["serve"], ["register"], ["verp", "encode", "k1"], ["config", "check"]):
        done = bounced(*args, cfg=cfg, cwd=tmp_path, input="")
        assert (done.returncode, done.stderr) == (2, f"Error: {message}\n"), args
    assert not db.exists() and not list(db.parent.iterdir())
    assert sorted(p.name for p in (tmp_path / "etc/bounced").iterdir()) == ["bounced.toml", "verp.key"]


def test_a_configuration_with_a_relative_database_is_refused(tmp_path):
    cfg = deployment(tmp_path, free_port(), database='"bounced.db"')
    done = bounced("register", cfg=cfg, cwd=tmp_path, input="")
    assert done.returncode == 2
    assert done.stderr == ("Error: database: 'bounced.db' is a relative path, a different file for the service, a shell"
                           " and the sending application; name an absolute path\n")
    assert not (tmp_path / "bounced.db").exists()


def test_the_first_command_of_the_readme_on_a_fresh_machine(tmp_path):
    """`bounced serve` with no configuration file: ./bounced.db and a secret made beside it on first use."""
    if Path(config.DEFAULT_CONFIG).exists():
        pytest.skip(f"{config.DEFAULT_CONFIG} exists on this machine")
    port = free_port()
    service = Service("", tmp_path, port, env={"BOUNCED_LISTEN": f"127.0.0.1:{port}"})
    try:
        assert service.send("bounces@bounce.example.com", "user@example.org") == {}
        assert events(tmp_path / "bounced.db", 1) == [("user@example.org", "orphan", None, 0)]
    finally:
        service.stop()
    secret = tmp_path / "bounced.db.secret"
    assert oct(secret.stat().st_mode & 0o777) == "0o600"
    checked = bounced("config", "check", cfg="", cwd=tmp_path)
    assert checked.stdout.splitlines()[1:] == [f"database: {tmp_path / 'bounced.db'} (exists)",
                                               f"verp secret: {secret} (fingerprint {fingerprint(secret.read_text())})"]


def test_a_wrong_secret_stores_the_bounces_flagged_and_reprocess_recovers_them(tmp_path):
    """The service started with another host's secret: every token fails. It accepts and flags them, loudly."""
    port = free_port()
    cfg = deployment(tmp_path, port)
    db = tmp_path / "var/lib/bounced/bounced.db"
    sender = Sender.from_config(str(cfg))
    paths = [sender.register(f"<m{i}@sender.example.com>", f"user{i}@example.org") for i in range(4)]
    wrong = tmp_path / "etc/bounced/wrong.key"
    wrong.write_text(OTHER)
    wrong.chmod(0o600)
    service = Service(cfg, tmp_path / "svc", port, env={"BOUNCED_VERP_SECRET_FILE": str(wrong)})
    try:
        assert [service.send(p, f"user{i}@example.org") for i, p in enumerate(paths)] == [{}] * 4
        assert events(db, 4) == [(f"user{i}@example.org", "forged", "forged", 0) for i in range(4)]
    finally:
        log = service.stop()
    errors = [line for line in log.splitlines() if line.startswith("ERROR bounced.intake.smtp: RCPT")]
    assert len(errors) == 4 and "4 of the last 4 signed VERP tokens failed their signature" in errors[-1]
    done = bounced("reprocess", "--all", cfg=cfg, cwd=tmp_path)  # the right secret again
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("4 message(s) reprocessed; 4 address state(s) changed")
    assert events(db, 4) == [(f"user{i}@example.org", "verp", "valid", 1) for i in range(4)]


def test_a_rotation_with_the_previous_secret_loses_nothing(tmp_path):
    port = free_port()
    cfg = deployment(tmp_path, port)
    db = tmp_path / "var/lib/bounced/bounced.db"
    old_path = Sender.from_config(str(cfg)).register("<old@sender.example.com>", "old@example.org")
    etc = tmp_path / "etc/bounced"
    (etc / "verp.key").rename(etc / "verp.key.previous")  # the README's rotation
    (etc / "verp.key").write_text(OTHER)
    (etc / "verp.key").chmod(0o640)
    cfg.write_text(cfg.read_text().replace('verp_previous_secret_file = ""', f'verp_previous_secret_file = "{etc / "verp.key.previous"}"'))
    checked = bounced("config", "check", cfg=cfg, cwd=tmp_path)
    assert checked.stdout.splitlines()[2:] == [f"verp secret: {etc / 'verp.key'} (fingerprint {fingerprint(OTHER)})",
                                               f"previous verp secret: {etc / 'verp.key.previous'} (fingerprint {fingerprint(KEY)})"]
    new_path = Sender.from_config(str(cfg)).register("<new@sender.example.com>", "new@example.org")
    forged = verp.encode("1", b"a-third-secret-nobody-configured", "bounces", "bounce.example.com")
    service = Service(cfg, tmp_path / "svc", port)
    try:
        assert service.send(old_path, "old@example.org") == {}
        assert service.send(new_path, "new@example.org") == {}
        assert service.rcpt([forged]) == [550]  # a lone forgery among good tokens is still refused
        assert events(db, 2) == [("new@example.org", "verp", "valid", 1), ("old@example.org", "verp", "valid", 1)]
    finally:
        log = service.stop()
    assert "ERROR" not in log


# --- the surge window at RCPT, on the real listener in this process -----------------------------------------

SURGE = [  # tokens in one session (g good, f forged, e expired, m malformed), percent, window, replies
    ("f", 50, 20, [250]),  # the first signed token fails: more likely our secret than a forger
    ("gf", 50, 20, [250, 550]),
    ("gfff", 50, 20, [250, 550, 250, 250]),
    ("ffggf", 50, 20, [250, 250, 250, 250, 250]),
    ("ggggf", 50, 4, [250, 250, 250, 250, 550]),
    ("gggfff", 50, 4, [250, 250, 250, 550, 550, 250]),
    ("gf", 1, 20, [250, 250]),
    ("ggfgf", 99, 20, [250, 250, 550, 250, 550]),
    ("ge", 50, 20, [250, 550]),  # an expired token passed its signature: not a sign of a wrong secret
    ("fm", 50, 20, [250, 550]),  # a malformed token is refused and not counted
]


@pytest.mark.parametrize(("tokens", "percent", "window", "replies"), SURGE,
                         ids=[f"{t}-{p}%-of-{w}" for t, p, w, _ in SURGE])
def test_forged_surge_window(tmp_path, tokens, percent, window, replies):
    import asyncio
    import threading

    from bounced.service import Server

    (tmp_path / "key").write_text(KEY)
    settings = config.Settings(database=str(tmp_path / "b.db"), bounce_domains=("bounce.example.com",),
                               verp_secret_file=str(tmp_path / "key"), listen=f"127.0.0.1:{free_port()}",
                               smtp_forged_surge_percent=percent, smtp_forged_surge_window=window)
    secret = KEY.strip().encode()
    make = {
        "g": lambda i: verp.encode(f"k{i}", secret, "bounces", "bounce.example.com"),
        "f": lambda i: verp.encode(f"k{i}", b"not-our-secret-at-all-0123456789", "bounces", "bounce.example.com"),
        "e": lambda i: verp.encode(f"k{i}", secret, "bounces", "bounce.example.com", day=verp.today() - 200),
        "m": lambda i: "bounces+not-a-token@bounce.example.com",
    }
    loop = asyncio.new_event_loop()
    server = Server(settings)
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(server.start(), loop).result(10)
    try:
        with smtplib.SMTP("127.0.0.1", int(settings.listen.rsplit(":", 1)[1]), timeout=10) as c:
            c.ehlo()
            c.mail("<>")
            got = [c.rcpt(make[t](i)) for i, t in enumerate(tokens)]
    finally:
        asyncio.run_coroutine_threadsafe(server.stop(), loop).result(60)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
    assert [code for code, _ in got] == replies
    for t, (code, text) in zip(tokens, got):
        if code == 550:
            problem = {"f": "forged", "e": "expired (200 days old)", "m": "malformed"}[t]
            assert text == f"5.1.1 Unknown recipient ({problem} return path)".encode()
