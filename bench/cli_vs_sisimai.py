"""Wall time of the whole `bounced parse --json` process beside Sisimai (Perl) on the same files.

    python -m bench.cli_vs_sisimai [CORPUS] [--rounds N] [--copies K]

The ``*.eml`` files of CORPUS (default: the shared labelled corpus if present, else fixtures/) are
copied into one temporary directory, so that both tools read exactly the same messages and
nothing else.  Each tool runs as a fresh process over that directory (start-up included), several
rounds interleaved, best of each:

* ``python -m bounced parse --json DIR``
* ``perl -MSisimai -e 'print Sisimai->dump($ARGV[0])' DIR`` (Debian's libsisimai-perl)

``--copies K`` gives both tools K copies of the corpus (each copy's MIME boundaries made its
own, as in bench.parse_speed), to show how the two scale past their start-up.

The start-up of each interpreter alone (``python -c pass``, ``perl -MSisimai -e 1``) is printed
too: a Python start-up includes what this machine's site-packages load (.pth files, an editable
install's finder).  ``bounced parse`` uses one process per CPU for inputs of 64 messages or more.

Skipped, with a message, when the Sisimai Perl module is not installed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.parse_speed import default_corpus, fresh

SISIMAI = ["perl", "-MSisimai", "-e", "print Sisimai->dump($ARGV[0])"]


def sisimai_version() -> str | None:
    if shutil.which("perl") is None:
        return None
    probe = subprocess.run(["perl", "-MSisimai", "-e", "print $Sisimai::VERSION"], capture_output=True, text=True, check=False)
    return probe.stdout.strip() if probe.returncode == 0 else None


def timed(command: list[str], env: dict[str, str]) -> tuple[float, bytes]:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, env=env, check=True)
    return time.perf_counter() - started, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--copies", type=int, default=1, help="copies of the corpus to parse (default 1)")
    args = parser.parse_args()
    version = sisimai_version()
    if version is None:
        print("skipped: the Sisimai Perl module is not installed (Debian: apt-get install libsisimai-perl)")
        return
    corpus = args.corpus or default_corpus()
    files = sorted(corpus.rglob("*.eml"))
    if not files:
        raise SystemExit(f"no .eml files under {corpus}")
    with tempfile.TemporaryDirectory(prefix="bounced-bench-") as tmp:
        work = Path(tmp) / "messages"
        work.mkdir()
        originals = [path.read_bytes() for path in files]
        for copy in range(args.copies):
            batch = originals if copy == 0 else fresh(originals, b".c%d" % copy)
            for i, (path, data) in enumerate(zip(files, batch)):
                (work / f"{copy:02d}-{i:05d}-{path.name}").write_bytes(data)
        config = Path(tmp) / "bounced.toml"
        config.write_text(f'database = "{Path(tmp) / "unused.db"}"\n')
        env = {**os.environ, "BOUNCED_CONFIG": str(config)}
        commands = {
            "ours": [sys.executable, "-m", "bounced", "parse", "--json", str(work)],
            "theirs": [*SISIMAI, str(work)],
            "python": [sys.executable, "-c", "pass"],
            "perl": ["perl", "-MSisimai", "-e", "1"],
        }
        times: dict[str, float] = dict.fromkeys(commands, float("inf"))
        outputs: dict[str, bytes] = {}
        for _ in range(args.rounds):  # interleaved, so that a slow spell of the machine hits both
            for name, command in commands.items():
                took, output = timed(command, env)
                times[name] = min(times[name], took)
                outputs.setdefault(name, output)
    objects = outputs["ours"].decode().count("\n")
    records = len(json.loads(outputs["theirs"] or b"[]"))
    copies = f" x {args.copies} copies" if args.copies > 1 else ""
    print(f"corpus {corpus}: {len(files)} messages{copies}, best of {args.rounds} runs, process start-up included")
    print(f"bounced parse --json       {times['ours']:8.2f} s   ({objects} objects, one per message)")
    print(f"Sisimai {version:<18} {times['theirs']:8.2f} s   ({records} records, one per recipient found)")
    print(f"ratio (bounced / Sisimai)  {times['ours'] / times['theirs']:8.2f}x")
    print(f"start-up alone: python -c pass {times['python']:.3f} s, perl -MSisimai {times['perl']:.3f} s")


if __name__ == "__main__":
    main()
