"""Correlation against a newsletter sent with one Message-ID to many recipients, beside per-recipient ones.

    python -m bench.correlate [--recipients 100000] [--reports 300]

Registers ``--recipients`` sends under one shared Message-ID and as many under a Message-ID each,
then ingests ``--reports`` bounces naming recipients of each and prints reports/s for both and
their ratio.  Choosing the reported recipient among a send's recipients must not read them all:
the ratio should stay near 1 whatever the newsletter's size.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bounced.config import Settings
from bounced.pipeline import Pipeline
from bounced.store import Store

SHARED = "<news@sender.example.com>"
REPORT = """From: MAILER-DAEMON@mx.example.net
To: bounces@bounce.example.com
Subject: Undelivered Mail Returned to Sender
Message-ID: <report-{n}@mx.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b"

--b
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; {rcpt}
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <{rcpt}>: User unknown

--b
Content-Type: text/rfc822-headers

Message-ID: {mid}

--b--
"""


def run(store: Store, pipeline: Pipeline, reports: list[bytes], source: str = "bench") -> float:
    start = time.perf_counter()
    with store.batch() as tick:
        for n, raw in enumerate(reports):
            pipeline.ingest(raw, f"{source}#{n}")
            tick()
    return len(reports) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--reports", type=int, default=300)
    args = parser.parse_args()
    step = max(args.recipients // args.reports, 1)
    picks = [(n * step) % args.recipients for n in range(args.reports)]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        store = Store(db, durable=False)
        pipeline = Pipeline(store, Settings(database=str(db)))
        at = "2026-11-20T09:00:00+00:00"
        store.register([{"message_id": SHARED, "recipient": f"s{i}@example.org", "sent_at": at} for i in range(args.recipients)])
        store.register([{"message_id": f"<m{i}@sender.example.com>", "recipient": f"p{i}@example.org", "sent_at": at}
                        for i in range(args.recipients)])
        run(store, pipeline, [REPORT.format(n=f"w{i}", rcpt=f"p{i + 1}@example.org", mid=f"<m{i + 1}@sender.example.com>").encode()
                              for i in picks[:50]], "warm")  # warm-up: first parses, the page cache
        own = run(store, pipeline, [REPORT.format(n=f"p{i}", rcpt=f"p{i}@example.org", mid=f"<m{i}@sender.example.com>").encode()
                                    for i in picks])
        shared = run(store, pipeline, [REPORT.format(n=f"s{i}", rcpt=f"s{i}@example.org", mid=SHARED).encode() for i in picks])
        counted = store.query("SELECT correlation, count(*) AS n FROM events WHERE counts = 1 AND report_key IN"
                              " (SELECT report_key FROM raw_messages WHERE source NOT LIKE 'warm%') GROUP BY correlation")
    print(f"recipients per Message-ID  1 and {args.recipients}")
    print(f"per-recipient Message-IDs  {own:8.0f} reports/s")
    print(f"one shared Message-ID      {shared:8.0f} reports/s")
    print(f"ratio shared/per-recipient {shared / own:8.2f}")
    print("counted                   ", ", ".join(f"{r['correlation']} {r['n']}" for r in counted))


if __name__ == "__main__":
    main()
