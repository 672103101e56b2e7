"""Load the listener: N concurrent loopback clients send real bounce messages for a fixed time.

    python -m bench.smtp_load [--clients 8] [--seconds 10]

Runs `bounced serve` (a fresh database, default settings) and, in the same run, a do-nothing
aiosmtpd sink (bench/sink.py, set up like the listener), each in its own process, and
drives both with the same client process.  Prints messages/s and the p50/p99 time from the end
of DATA to the 250 reply for each, and the ratio of the rates.
"""

from __future__ import annotations

import argparse
import os
import smtplib
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.corpus import messages


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("server did not start")


def drive(port: int, clients: int, seconds: float, payloads: list[bytes]) -> tuple[int, list[float]]:
    latencies: list[float] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    errors: list[str] = []

    def worker(k: int) -> None:
        try:
            _worker(k)
        except (smtplib.SMTPException, OSError, RuntimeError) as exc:
            errors.append(f"client {k}: {exc!r}")

    def _worker(k: int) -> None:
        c = smtplib.SMTP("127.0.0.1", port, timeout=30)
        c.ehlo("bench.example.net")
        n = k
        mine = []
        while time.monotonic() < stop_at:
            data = payloads[n % len(payloads)] + f"\nbench {k} {n}\n".encode()
            n += clients
            c.mail("<>")
            c.rcpt("bounces@bounce.example.com")
            t0 = time.perf_counter()
            code, _ = c.data(data)
            mine.append(time.perf_counter() - t0)
            if code != 250:
                raise RuntimeError(f"got {code} {_}")
        c.quit()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SystemExit("\n".join(errors[:3]))
    return len(latencies), sorted(latencies)


def measure(cmd: list[str], port: int, env: dict[str, str], args: argparse.Namespace, payloads: list[bytes]) -> tuple[float, float, float]:
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(port, proc)
        count, lat = drive(port, args.clients, args.seconds, payloads)
    finally:
        proc.terminate()
        proc.wait(60)
    return count / args.seconds, lat[len(lat) // 2] * 1000, lat[int(len(lat) * 0.99)] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--corpus")
    args = parser.parse_args()
    payloads = messages(args.corpus)
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        sink = measure([sys.executable, "-m", "bench.sink", f"127.0.0.1:{port}"],
                       port, dict(os.environ), args, payloads)
        port = free_port()
        cfg = Path(tmp) / "bounced.toml"
        (Path(tmp) / "key").write_text("0123456789abcdef0123456789abcdef\n")
        (Path(tmp) / "key").chmod(0o600)
        cfg.write_text(f'database = "{Path(tmp) / "bench.db"}"\nlisten = "127.0.0.1:{port}"\nbounce_domains = ["bounce.example.com"]\n'
                       f'verp_secret_file = "{Path(tmp) / "key"}"\n')
        ours = measure([sys.executable, "-m", "bounced", "serve"], port, {**os.environ, "BOUNCED_CONFIG": str(cfg)}, args, payloads)
        import sqlite3

        conn = sqlite3.connect(Path(tmp) / "bench.db")
        stored, unprocessed = conn.execute("SELECT count(*), sum(state = 'stored') FROM raw_messages").fetchone()
        conn.close()
    print(f"clients {args.clients}, {args.seconds:.0f} s each")
    print(f"{'':16s} {'msg/s':>8s} {'p50 ms':>8s} {'p99 ms':>8s}")
    print(f"{'aiosmtpd sink':16s} {sink[0]:8.0f} {sink[1]:8.1f} {sink[2]:8.1f}")
    print(f"{'bounced serve':16s} {ours[0]:8.0f} {ours[1]:8.1f} {ours[2]:8.1f}")
    print(f"ratio bounced/sink {ours[0] / sink[0]:.2f}")
    print(f"bounced stored {stored} messages; left unprocessed after SIGTERM: {unprocessed or 0}")


if __name__ == "__main__":
    main()
