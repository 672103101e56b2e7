"""Peak memory of `bounced parse --json` over a big mbox: constant, not growing with the file.

    python -m bench.mbox_memory [CORPUS] [--messages N] [--small N]

Builds two mbox files in a temporary directory from the ``*.eml`` of CORPUS (default: the shared
labelled corpus if present, else fixtures/), repeated in turn: one of ``--messages`` (100,000)
messages and one of ``--small`` (10,000).  Runs `bounced parse --json` on each in a subprocess,
counts the output lines (one per message, or the run fails) and prints the peak resident set
size of the command (``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``).  Each run is measured
from a fresh helper process of its own, so that one run's peak cannot hide in the other's.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.parse_speed import default_corpus

FROM_LINE = b"From MAILER-DAEMON Sun Nov 22 10:14:05 2026\n"


def write_mbox(path: Path, sources: list[bytes], count: int) -> int:
    """An mboxrd of ``count`` messages cycling through ``sources``; returns its size in bytes."""
    entries = []
    for data in sources:
        body = re.sub(rb"\r\n?", b"\n", data).rstrip(b"\n")
        body = re.sub(rb"^(>*From )", rb">\1", body, flags=re.MULTILINE)
        entries.append(FROM_LINE + body + b"\n\n")
    with path.open("wb") as fh:
        for i in range(count):
            fh.write(entries[i % len(entries)])
    return path.stat().st_size


def measure(mbox: Path, env: dict[str, str]) -> dict[str, float]:
    """Run the command on ``mbox`` (from this process: call it in a fresh one) and report lines and peak RSS."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "bounced", "parse", "--json", str(mbox)],
                            stdout=subprocess.PIPE, env=env)
    assert proc.stdout is not None
    lines = sum(1 for _ in proc.stdout)
    code = proc.wait()
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # kilobytes on Linux
    return {"lines": lines, "exit": code, "seconds": time.perf_counter() - started, "peak_mb": peak_kb / 1024}


def run_fresh(mbox: Path, env: dict[str, str]) -> dict[str, float]:
    helper = subprocess.run([sys.executable, "-m", "bench.mbox_memory", "--measure", str(mbox)],
                            capture_output=True, text=True, env=env, check=True, cwd=Path(__file__).resolve().parent.parent)
    return json.loads(helper.stdout)


def message(path: Path) -> bytes:
    """A file's message as an mbox entry takes it: a leading From_ line of its own dropped."""
    data = path.read_bytes()
    if data.startswith(b"From "):
        data = data.split(b"\n", 1)[1] if b"\n" in data else b""
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, default=None)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    env = dict(os.environ)
    if args.measure:
        print(json.dumps(measure(args.measure, env)))
        return
    corpus = args.corpus or default_corpus()
    # Empty files are left out: an mbox cannot hold an empty message.
    sources = [data for data in map(message, sorted(corpus.rglob("*.eml"))) if data.strip()]
    if not sources:
        raise SystemExit(f"no .eml files under {corpus}")
    with tempfile.TemporaryDirectory(prefix="bounced-mbox-") as tmp:
        config = Path(tmp) / "bounced.toml"
        config.write_text(f'database = "{Path(tmp) / "unused.db"}"\n')
        env["BOUNCED_CONFIG"] = str(config)
        print(f"messages from {corpus} ({len(sources)} files, repeated)")
        failed = False
        for count in (args.small, args.messages):
            mbox = Path(tmp) / f"{count}.mbox"
            size = write_mbox(mbox, sources, count)
            result = run_fresh(mbox, env)
            ok = result["lines"] == count and result["exit"] == 0
            failed |= not ok
            print(f"{count:>8} messages  {size / 1e6:8.1f} MB mbox  {int(result['lines']):>8} lines  "
                  f"{result['seconds']:7.1f} s  peak RSS {result['peak_mb']:7.1f} MB  {'ok' if ok else 'WRONG COUNT'}")
            mbox.unlink()
    if failed:
        raise SystemExit("the command did not give one line per message")


if __name__ == "__main__":
    main()
