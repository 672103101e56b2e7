"""The systemd units and the service's side of the contract: sd_notify, watchdog, socket activation."""

from __future__ import annotations

import os
import shutil
import signal
import smtplib
import socket
import subprocess
import sys
from pathlib import Path

import pytest

import mkmail
from ports import free_port

UNITS = Path(__file__).resolve().parents[1] / "systemd"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed (no systemd here)")
def test_units_verify(tmp_path):
    exe = shutil.which("bounced")
    assert exe, "bounced is not installed"
    for unit in UNITS.iterdir():
        (tmp_path / unit.name).write_text(unit.read_text().replace("/usr/local/bin/bounced", exe))
    units = sorted(str(p) for p in tmp_path.iterdir())
    done = subprocess.run(["systemd-analyze", "verify", "--man=no", *units], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def _notify_socket(tmp_path):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(tmp_path / "notify"))
    sock.settimeout(20)
    return sock



def _config(tmp_path, port):
    cfg = tmp_path / "bounced.toml"
    cfg.write_text(f'database = "{tmp_path / "b.db"}"\nlisten = "127.0.0.1:{port}"\n')
    return cfg


def test_service_reports_ready_watchdog_and_stopping(tmp_path):
    notify = _notify_socket(tmp_path)
    port = free_port()
    env = {**os.environ, "BOUNCED_CONFIG": str(_config(tmp_path, port)), "NOTIFY_SOCKET": str(tmp_path / "notify"),
           "WATCHDOG_USEC": "400000"}
    proc = subprocess.Popen([sys.executable, "-m", "bounced", "serve"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        ready = notify.recv(4096).decode()
        assert ready.startswith("READY=1\n") and f"127.0.0.1:{port}" in ready
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as c:  # READY means the port is bound
            assert c.sendmail("<>", ["bounces@bounce.example.com"], mkmail.dsn("user@example.org")) == {}
        assert notify.recv(4096) == b"WATCHDOG=1"
        proc.send_signal(signal.SIGTERM)
        assert notify.recv(4096) == b"STOPPING=1"
        assert proc.wait(60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()


def test_socket_activation(tmp_path):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    port = listener.getsockname()[1]
    cfg = _config(tmp_path, 1)  # the configured port is not used: systemd's socket is
    # LISTEN_PID must be the service's own pid: set it after fork, as systemd does, then exec
    launcher = (
        "import os, sys; os.dup2(int(sys.argv[1]), 3); os.environ['LISTEN_PID'] = str(os.getpid());"
        "os.execv(sys.executable, [sys.executable, '-m', 'bounced', 'serve'])"
    )
    env = {**os.environ, "BOUNCED_CONFIG": str(cfg), "LISTEN_FDS": "1", "LISTEN_FDNAMES": "smtp"}
    proc = subprocess.Popen([sys.executable, "-c", launcher, str(listener.fileno())], env=env,
                            pass_fds=[listener.fileno()], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    listener.close()
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=20) as c:
            assert c.sendmail("<>", ["bounces@bounce.example.com"], mkmail.dsn("user@example.org")) == {}
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    import sqlite3

    assert sqlite3.connect(tmp_path / "b.db").execute("SELECT state FROM raw_messages").fetchall() == [("parsed",)]
