"""`bounced prune` on a large database, and what a listener's commits wait meanwhile.

    python -m bench.prune [--count 200000] [--size 3000]

Builds a database of COUNT raw messages of SIZE bytes (nine in ten received 500 days ago, the
rest today; state parsed), then:

* baseline: a writer process commits a new raw message every 20 ms, as the listener's spool does
  (Store.store_raw, synchronous=FULL, busy timeout 10 s), for 5 seconds, with nothing else running;
* prune: the same writer while the real `python -m bounced prune` process empties the old raw
  bytes; its wall time is printed with the writer's commit latencies (median, p99, max).

The database is built by direct inserts (no parsing): prune reads and writes only raw_messages.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bounced.store import Store

ROOT = Path(__file__).resolve().parents[1]


def build(path: Path, count: int, size: int) -> None:
    Store(path).close()  # the schema
    old = (datetime.now(UTC) - timedelta(days=500)).isoformat(timespec="seconds")
    new = datetime.now(UTC).isoformat(timespec="seconds")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    filler = os.urandom(size // 2).hex().encode()[:size]
    rows = ((f"{i:064x}", b"Subject: %d\n\n" % i + filler, size, f"bench#{i}", old if i % 10 else new)
            for i in range(count))
    with conn:
        conn.executemany("INSERT INTO raw_messages (sha256, raw, size, source, received_at, state)"
                         " VALUES (?, ?, ?, ?, ?, 'parsed')", rows)
    conn.close()


def writer(path: str, stop: multiprocessing.synchronize.Event, out: multiprocessing.Queue) -> None:
    store = Store(path)
    latencies, n = [], 0
    while not stop.is_set():
        n += 1
        started = time.perf_counter()
        store.store_raw(b"Subject: live %d %f\n\nhello\n" % (n, started), "smtp")
        latencies.append(time.perf_counter() - started)
        time.sleep(0.02)
    out.put(latencies)


def measure(path: Path, during: list[str] | None) -> tuple[list[float], float]:
    stop, out = multiprocessing.Event(), multiprocessing.Queue()
    proc = multiprocessing.Process(target=writer, args=(str(path), stop, out))
    proc.start()
    time.sleep(0.5)
    started = time.perf_counter()
    if during:
        subprocess.run(during, check=True, stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT),
                                                                        "BOUNCED_CONFIG": ""})
    else:
        time.sleep(5)
    wall = time.perf_counter() - started
    stop.set()
    latencies = out.get()
    proc.join()
    return latencies, wall


def show(name: str, latencies: list[float], wall: float) -> None:
    ms = sorted(x * 1000 for x in latencies)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    print(f"{name:<28} {wall:>7.1f}s {len(ms):>8} {statistics.median(ms):>9.1f} {p99:>9.1f} {ms[-1]:>9.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--size", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bounced-bench-prune-") as tmp:
        path = Path(tmp) / "bounced.db"
        started = time.perf_counter()
        build(path, args.count, args.size)
        print(f"built {args.count} raw messages of {args.size} bytes in {time.perf_counter() - started:.1f}s; "
              f"{path.stat().st_size / 2**20:.0f} MB")
        print(f"{'run':<28} {'wall':>8} {'commits':>8} {'median ms':>9} {'p99 ms':>9} {'max ms':>9}")
        show("writer alone (baseline)", *measure(path, None))
        show("writer during bounced prune", *measure(path, [sys.executable, "-m", "bounced", "prune", "--db", str(path)]))
        conn = sqlite3.connect(path)
        pruned, kept = conn.execute("SELECT count(pruned_at), count(*) - count(pruned_at) FROM raw_messages").fetchone()
        print(f"pruned {pruned}, kept {kept} raw messages; the file is {path.stat().st_size / 2**20:.0f} MB (VACUUM shrinks it)")


if __name__ == "__main__":
    main()
