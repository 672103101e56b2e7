"""Peak memory of the real `bounced register` process, against a baseline, at two input sizes.

    python -m bench.register_memory [--count 265000]

Each process runs under a small wrapper that reports its peak RSS (getrusage of its one child):

* baseline: a Python process that imports what `bounced register` imports and reads the same
  JSON Lines from stdin, one row at a time (the floor: interpreter, modules, a row);
* `python -m bounced register --domain bounces.example.com` on a fresh database, with COUNT sends
  and with a tenth of them.

Constant memory means the two `register` figures are the same and close to the baseline's.
The wall time and the rate of each register run are printed too.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WRAPPER = ("import resource, subprocess, sys; "
           "subprocess.run(sys.argv[2:], stdin=open(sys.argv[1], 'rb'), stdout=subprocess.DEVNULL, check=True); "
           "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
BASELINE = ("import json, sys; import bounced.cli, bounced.sending, bounced.registering\n"
            "for line in sys.stdin:\n    json.loads(line)\n")


def write_sends(path: Path, count: int) -> None:
    with path.open("w") as fh:
        for i in range(count):
            fh.write(json.dumps({"message_id": f"<n{i}.2026-11@sender.example.com>", "recipient": f"user{i}@example.org",
                                 "campaign": "2026-11-news", "sent_at": "2026-11-20T09:00:00+00:00"}) + "\n")


def peak_kib(stdin: Path, command: list[str], cwd: Path) -> tuple[int, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BOUNCED_CONFIG": ""}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", WRAPPER, str(stdin), *command], capture_output=True, text=True,
                          cwd=cwd, env=env, check=True)
    return int(done.stdout.strip()), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=265_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bounced-bench-register-") as tmp:
        tmpdir = Path(tmp)
        print(f"{'run':<34} {'sends':>8} {'peak RSS':>10} {'wall':>8} {'sends/s':>9}")
        for count in (args.count // 10, args.count):
            sends = tmpdir / f"sends-{count}.jsonl"
            write_sends(sends, count)
            kib, wall = peak_kib(sends, [sys.executable, "-c", BASELINE], tmpdir)
            print(f"{'baseline (imports + read rows)':<34} {count:>8} {kib / 1024:>8.1f}MB {wall:>7.1f}s {'':>9}")
            db = tmpdir / f"b{count}.db"
            kib, wall = peak_kib(sends, [sys.executable, "-m", "bounced", "register", "--db", str(db),
                                         "--domain", "bounces.example.com"], tmpdir)
            print(f"{'bounced register':<34} {count:>8} {kib / 1024:>8.1f}MB {wall:>7.1f}s {count / wall:>9.0f}")
            sends.unlink()


if __name__ == "__main__":
    main()
