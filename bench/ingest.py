"""Ingest N bounces into a fresh database; compare with parsing the same messages alone.

    python -m bench.ingest [--count 20000] [--corpus DIR]

Prints messages/s for `bounced ingest`'s pipeline (store raw, parse, correlate, record, policy)
and for parse_message alone on the same messages in the same run, their ratio, and the database
size per 100,000 events.  Each copy of a corpus message gets a unique epilogue line, so that
none is a duplicate; a tenth of the copies have their original registered as sent.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from bench.corpus import messages
from bounced.config import Settings
from bounced.parse import parse_message
from bounced.pipeline import Pipeline
from bounced.store import Store


def workload(count: int, corpus: str | None) -> list[bytes]:
    base = messages(corpus)
    return [base[i % len(base)] + f"\nbench copy {i}\n".encode() for i in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--corpus")
    parser.add_argument("--batch", type=int, default=200, help="messages per transaction, as bounced ingest uses")
    args = parser.parse_args()
    data = workload(args.count, args.corpus)

    start = time.perf_counter()
    for raw in data:
        parse_message(raw)
    parse_rate = len(data) / (time.perf_counter() - start)

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        settings = Settings(database=str(db))
        store = Store(db, durable=False)  # as bounced ingest opens it: the files stay the source
        pipeline = Pipeline(store, settings)
        start = time.perf_counter()
        with store.batch(every=args.batch) as tick:
            for n, raw in enumerate(data):
                pipeline.ingest(raw, f"bench#{n}")
                tick()
        ingest_rate = len(data) / (time.perf_counter() - start)
        events = store.query("SELECT count(*) AS n FROM events")[0]["n"]
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = os.path.getsize(db)
        raw_bytes = sum(len(r) for r in data)

    print(f"messages                 {len(data)}")
    print(f"parse only               {parse_rate:8.0f} msg/s")
    print(f"ingest (batch {args.batch:4d})      {ingest_rate:8.0f} msg/s")
    print(f"ratio ingest/parse       {ingest_rate / parse_rate:8.2f}")
    print(f"events                   {events}")
    print(f"database size            {size / 1e6:8.1f} MB ({raw_bytes / 1e6:.1f} MB of it raw messages)")
    print(f"size per 100,000 events  {size / max(events, 1) * 100_000 / 1e6:8.1f} MB")


if __name__ == "__main__":
    main()
