"""Progress on long commands: a count and an ETA on a terminal (a real pseudo-terminal here), nothing elsewhere."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys

import mkmail
from terminal import read_all


def _run(args, tmp_path, tty: bool):
    """Run the CLI with stderr on a pseudo-terminal (or a file); (stdout, what stderr showed)."""
    env = {**os.environ, "BOUNCED_CONFIG": str(tmp_path / "none.toml"), "COLUMNS": "160"}
    (tmp_path / "none.toml").write_text(f'database = "{tmp_path / "b.db"}"\nverp_secret_file = "{tmp_path / "key"}"\n')
    (tmp_path / "key").write_text("0123456789abcdef0123456789abcdef")
    (tmp_path / "key").chmod(0o600)
    if not tty:
        done = subprocess.run([sys.executable, "-m", "bounced", *args], env=env, capture_output=True, timeout=300)
        return done.stdout.decode(), done.stderr.decode()
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "bounced", *args], env=env, stdout=subprocess.PIPE,
                            stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    shown = read_all(master)
    out = proc.stdout.read().decode()
    assert proc.wait(60) == 0, shown
    os.close(master)
    return out, re.sub(r"\x1b\[\?25[lh]", "", shown.decode(errors="replace"))  # the cursor hidden, shown


def _mbox(tmp_path, count):
    path = tmp_path / "bounces.mbox"
    with open(path, "wb") as fh:
        for i in range(count):
            fh.write(b"From MAILER-DAEMON Fri Nov 20 10:00:00 2026\n" + mkmail.dsn(f"u{i}@example.org") + b"\n")
    return path


N = 1500  # long enough (over a second) for click to know an ETA


def test_ingest_and_reprocess_show_a_count_and_an_eta_on_a_terminal(tmp_path):
    mbox = _mbox(tmp_path, N)
    out, shown = _run(["ingest", str(mbox)], tmp_path, tty=True)
    assert out == f"{N} parsed\n"  # stdout stays clean for a pipe
    frames = shown.split("\r")
    assert any(re.search(r"^ingest +\[#*-*\] +\d+% +\d\d:\d\d:\d\d +\d+ messages", f.strip()) for f in frames), frames[-5:]
    assert re.search(rf"100% +{N} messages", shown), frames[-3:]
    out, shown = _run(["reprocess", "--all"], tmp_path, tty=True)
    assert out == f"{N} message(s) reprocessed; 0 address state(s) changed\n"
    assert re.search(rf"reprocess +\[#*-*\] +\d+/{N} +\d\d:\d\d:\d\d", shown), shown[-500:]
    assert f"{N}/{N}" in shown


def test_no_bar_when_stderr_is_not_a_terminal(tmp_path):
    mbox = _mbox(tmp_path, 5)
    assert _run(["ingest", str(mbox)], tmp_path, tty=False) == ("5 parsed\n", "")
    assert _run(["reprocess", "--all"], tmp_path, tty=False) == ("5 message(s) reprocessed; 0 address state(s) changed\n", "")


def test_no_progress_on_a_terminal_when_asked(tmp_path):
    mbox = _mbox(tmp_path, 5)
    assert _run(["ingest", "--no-progress", str(mbox)], tmp_path, tty=True) == ("5 parsed\n", "")
    assert _run(["reprocess", "--all", "--no-progress"], tmp_path, tty=True)[1] == ""


def test_input_bytes_of_stdin_is_unknown():
    from bounced.progress import input_bytes

    assert input_bytes(["-"]) is None


def test_input_bytes_skips_dot_names(tmp_path):
    from bounced.progress import input_bytes

    (tmp_path / "a.eml").write_bytes(b"x" * 10)
    (tmp_path / ".hidden").write_bytes(b"x" * 100)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.eml").write_bytes(b"x" * 7)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "c").write_bytes(b"x" * 1000)
    assert input_bytes([str(tmp_path), str(tmp_path / "a.eml")]) == 27
