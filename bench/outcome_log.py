"""The cost of the per-recipient log line: ingest with INFO logging (as the listener's processor and the
poller log) against ingest with logging off (as `bounced ingest`), on the same messages, alternating.

    python -m bench.outcome_log [--count 5000] [--rounds 3] [--corpus DIR]

Prints messages/s for both and their ratio (the best round of each); the lines go to /dev/null.
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import time
from pathlib import Path

from bench.ingest import workload
from bounced.config import Settings
from bounced.logsetup import FORMAT
from bounced.pipeline import Pipeline
from bounced.store import Store


def rate(data: list[bytes], level: int) -> tuple[float, int]:
    root = logging.getLogger()
    root.setLevel(level)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        store = Store(db, durable=False)
        pipeline = Pipeline(store, Settings(database=str(db)))
        start = time.perf_counter()
        with store.batch(every=200) as tick:
            for n, raw in enumerate(data):
                pipeline.ingest(raw, f"bench#{n}")
                tick()
        elapsed = time.perf_counter() - start
        events = store.query("SELECT count(*) AS n FROM events")[0]["n"]
        store.close()
    return len(data) / elapsed, events


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--corpus")
    args = parser.parse_args()
    data = workload(args.count, args.corpus)
    handler = logging.StreamHandler(open(os.devnull, "w"))  # noqa: SIM115 - lives as long as the run
    handler.setFormatter(logging.Formatter(FORMAT))
    logging.getLogger().addHandler(handler)
    logging.getLogger("flufl.bounce").setLevel(logging.WARNING)
    quiet, logged, events = [], [], 0
    for _ in range(args.rounds):
        quiet.append(rate(data, logging.WARNING)[0])
        r, events = rate(data, logging.INFO)
        logged.append(r)
    print(f"messages                      {len(data)} ({events} events)")
    print(f"ingest, logging off           {max(quiet):8.0f} msg/s")
    print(f"ingest, a line per recipient  {max(logged):8.0f} msg/s")
    print(f"ratio                         {max(logged) / max(quiet):8.2f}")


if __name__ == "__main__":
    main()
