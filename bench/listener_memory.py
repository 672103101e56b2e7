"""Peak memory of the listener while clients upload large messages of short lines at once.

    python -m bench.listener_memory [--clients 4] [--size 10000000] [--line 10]

Runs `bounced serve` (a fresh database, default settings) and, in the same run, a do-nothing
aiosmtpd sink (bench/sink.py: aiosmtpd's own DATA reading, which keeps each line as an object of
its own), each in its own process, and sends each the same uploads from concurrent clients.
Prints, for each server: the listener's resident memory before the uploads, the peak resident memory of the
listener process (VmHWM), the peak of the whole process tree sampled every 10 ms while the
uploads run (for bounced: the listener and its processor), and the processor's own peak (it parses
the stored messages after the uploads; that is not the listener's cost).
"""

from __future__ import annotations

import argparse
import os
import smtplib
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.smtp_load import free_port, wait_port

MB = 1024 * 1024


def _status(pid: int, key: str) -> int:
    """A field of /proc/PID/status in bytes (0 once the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return out


def tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        todo += _children(p)
    return pids


def tree_rss(pid: int) -> int:
    return sum(_status(p, "VmRSS") for p in tree(pid))


def payload(size: int, line: int) -> bytes:
    row = b"x" * (line - 2) + b"\r\n"
    head = b"From: MAILER-DAEMON@example.net\r\nSubject: Undelivered Mail Returned to Sender\r\n\r\n"
    return head + row * ((size - len(head)) // len(row))


def upload(port: int, clients: int, data: bytes) -> tuple[float, list[int]]:
    codes: list[int] = []

    def one(k: int) -> None:
        with smtplib.SMTP("127.0.0.1", port, timeout=300) as c:
            c.ehlo("bench.example.net")
            c.mail("<>")
            c.rcpt("bounces@bounce.example.com")
            code, _ = c.data(data + b"bench client %d\r\n" % k)  # distinct messages, none a duplicate
            codes.append(code)

    threads = [threading.Thread(target=one, args=(k,)) for k in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - t0, codes


def measure(name: str, proc: subprocess.Popen, port: int, clients: int, data: bytes) -> dict[str, object]:
    wait_port(port, proc)
    time.sleep(2.0)  # the processor process starts and settles
    idle = _status(proc.pid, "VmRSS")
    peak = [tree_rss(proc.pid)]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss(proc.pid))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    seconds, codes = upload(port, clients, data)
    done.set()
    sampler.join()
    helpers = [p for p in tree(proc.pid) if p != proc.pid]
    time.sleep(3.0)  # let the processor parse what was stored
    return {"name": name, "idle": idle, "listener": _status(proc.pid, "VmHWM"), "tree": peak[0],
            "processor": sum(_status(p, "VmHWM") for p in helpers), "seconds": seconds, "codes": codes}


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(60)
    except subprocess.TimeoutExpired:
        proc.kill()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--size", type=int, default=10_000_000, help="bytes per message")
    ap.add_argument("--line", type=int, default=10, help="bytes per line, CRLF included")
    args = ap.parse_args()
    data = payload(args.size, args.line)
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        cfg = Path(tmp) / "bounced.toml"
        cfg.write_text(f'database = "{Path(tmp) / "b.db"}"\nlisten = "127.0.0.1:{port}"\n')
        proc = subprocess.Popen([sys.executable, "-m", "bounced", "serve"], env={**env, "BOUNCED_CONFIG": str(cfg)},
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            results.append(measure("bounced serve", proc, port, args.clients, data))
        finally:
            stop(proc)
        port = free_port()
        proc = subprocess.Popen([sys.executable, "-m", "bench.sink", f"127.0.0.1:{port}"], env=env, cwd=root,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            results.append(measure("aiosmtpd sink", proc, port, args.clients, data))
        finally:
            stop(proc)
    print(f"{args.clients} concurrent uploads of {len(data) / 1e6:.1f} MB in {args.line}-byte lines")
    print(f"{'server':<16}{'idle MB':>9}{'listener peak MB':>18}{'tree peak MB':>14}{'processor peak MB':>19}"
          f"{'upload s':>10}  replies")
    for r in results:
        print(f"{r['name']:<16}{r['idle'] / MB:>9.0f}{r['listener'] / MB:>18.0f}{r['tree'] / MB:>14.0f}"
              f"{r['processor'] / MB:>19.0f}{r['seconds']:>10.1f}  {r['codes']}")
    ours, sink = results
    print(f"listener peak above idle: bounced {(ours['listener'] - ours['idle']) / MB:.0f} MB, "
          f"sink {(sink['listener'] - sink['idle']) / MB:.0f} MB; "
          f"the uploads' total size {args.clients * len(data) / MB:.0f} MB")


if __name__ == "__main__":
    main()
