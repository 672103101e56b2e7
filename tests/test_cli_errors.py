"""What goes wrong around a real `bounced serve` process is one line on stderr, never a traceback.

A port in use is a runtime error (exit 1); a certificate that is not there and a configuration
file that cannot be read are configuration errors (exit 2, as `bounced config check` and every
other configuration problem)."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def serve(tmp_path, *args, **env):
    return subprocess.run([sys.executable, "-m", "bounced", "serve", *args], capture_output=True, text=True, timeout=60,
                          cwd=tmp_path, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "BOUNCED_CONFIG": "", **env})


@pytest.fixture
def busy_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    yield sock.getsockname()[1]
    sock.close()


def test_a_port_in_use(tmp_path, busy_port):
    done = serve(tmp_path, "--db", str(tmp_path / "b.db"), "--listen", f"127.0.0.1:{busy_port}")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.splitlines()[-1] == (f"Error: cannot listen: error while attempting to bind on address "
                                            f"('127.0.0.1', {busy_port}): address already in use")
    assert "Traceback" not in done.stderr
    assert [line for line in done.stderr.splitlines() if line.startswith("Error")] == [done.stderr.splitlines()[-1]]


def test_a_missing_certificate(tmp_path):
    done = serve(tmp_path, "--db", str(tmp_path / "b.db"), "--listen", "127.0.0.1:1",
                 BOUNCED_TLS_CERT=str(tmp_path / "cert.pem"))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"Error: tls_cert: cannot read {tmp_path}/cert.pem: No such file or directory\n"


@pytest.mark.parametrize("how", ["option", "variable"])
def test_an_unreadable_config(tmp_path, how):
    (tmp_path / "bounced.toml").mkdir()  # a directory where the file should be: open() fails as for no permission
    args, env = (["--config", "bounced.toml"], {}) if how == "option" else ([], {"BOUNCED_CONFIG": "bounced.toml"})
    done = serve(tmp_path, *args, **env)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", "Error: config: bounced.toml: Is a directory\n")


def test_a_missing_config(tmp_path):
    done = serve(tmp_path, "--config", "nope.toml")
    assert (done.returncode, done.stdout, done.stderr) == (2, "", "Error: config: nope.toml: no such file\n")
