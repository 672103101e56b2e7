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
        if unit.suffix in (".service", ".socket"):  # the sysusers.d and tmpfiles.d files are not units
            (tmp_path / unit.name).write_text(unit.read_text().replace("/usr/local/bin/bounced", exe))
    units = sorted(str(p) for p in tmp_path.iterdir())
    done = subprocess.run(["systemd-analyze", "verify", "--man=no", *units], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def _directives(unit: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in unit.read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            out.setdefault(key, []).append(value)
    return out


@pytest.mark.parametrize("name", ["bounced.service", "bounced-poll@.service"])
def test_units_share_the_example_configurations_paths(name):
    """The service, a shell and the sending application read one file and so use one database and one secret."""
    import tomllib

    from bounced import config

    unit = _directives(UNITS / name)
    example = tomllib.loads((UNITS.parent / "bounced.example.toml").read_text())
    assert f"BOUNCED_CONFIG={config.DEFAULT_CONFIG}" in unit["Environment"]  # the default a shell reads too
    assert Path(example["database"]).parent == Path("/var/lib") / unit["StateDirectory"][0]
    assert Path(example["verp_secret_file"]).parent == Path("/etc") / unit["ConfigurationDirectory"][0]
    assert Path(config.DEFAULT_CONFIG).parent == Path("/etc") / unit["ConfigurationDirectory"][0]
    # a static user and group the sending application can join, not a DynamicUser under /var/lib/private
    assert (unit["User"], unit["Group"], unit.get("DynamicUser")) == (["bounced"], ["bounced"], None)
    assert (unit["StateDirectoryMode"], unit["UMask"]) == (["2770"], ["0007"])
    assert not any(c.startswith("verp-secret:") for c in unit.get("LoadCredential", []))  # the file, shared


@pytest.mark.skipif(shutil.which("systemd-sysusers") is None or os.geteuid() != 0,
                    reason="needs systemd-sysusers, systemd-tmpfiles and root (to chown)")
def test_sysusers_and_tmpfiles_make_the_shared_paths(tmp_path):
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    for name in ("passwd", "group", "shadow", "gshadow"):
        (root / "etc" / name).touch()
    for tool, conf in (("systemd-sysusers", "bounced-sysusers.conf"), ("systemd-tmpfiles", "bounced-tmpfiles.conf")):
        args = [tool, f"--root={root}", *(["--create"] if tool == "systemd-tmpfiles" else []), str(UNITS / conf)]
        done = subprocess.run(args, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    uid, gid = (int(f) for f in next(line for line in (root / "etc/passwd").read_text().splitlines()
                                      if line.startswith("bounced:")).split(":")[2:4])
    state, etc = (root / "var/lib/bounced").stat(), (root / "etc/bounced").stat()
    assert (oct(state.st_mode & 0o7777), state.st_uid, state.st_gid) == ("0o2770", uid, gid)
    assert (oct(etc.st_mode & 0o7777), etc.st_uid, etc.st_gid) == ("0o750", 0, gid)


def _notify_socket(tmp_path):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(tmp_path / "notify"))
    sock.settimeout(20)
    return sock



def _config(tmp_path, port):
    cfg = tmp_path / "bounced.toml"
    (tmp_path / "key").write_text("0123456789abcdef0123456789abcdef\n")
    (tmp_path / "key").chmod(0o600)
    cfg.write_text(f'database = "{tmp_path / "b.db"}"\nlisten = "127.0.0.1:{port}"\nverp_secret_file = "{tmp_path / "key"}"\n')
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
