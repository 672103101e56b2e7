"""Drain a bounce mailbox: `bounced poll` against a bare imapclient fetch loop, on a private Dovecot.

    python -m bench.imap_drain [--count 5000] [--batch 100]

Starts a private Dovecot (as the tests do), APPENDs COUNT bounce messages (corpus or fixtures
messages, each with a unique last line, so no two are the same report), then in the same run:
a bare loop that fetches every message by UID in batches (BODY.PEEK[]) and does nothing with it;
and bounced's poller.  Prints the bare rate; bounced's drain rate (from the first fetch until
every message is stored and marked, i.e. the mailbox is empty) and its ratio to the bare rate;
and the full-processing rate (until every message is also parsed, correlated, recorded and the
non-bounces re-filed).  Then checks the counts: every message stored once, none left unprocessed,
the bounces in the processed folder and the non-bounces in theirs (exit 1 if not).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from imapclient import IMAPClient

from bench.corpus import messages
from bounced.config import Mailbox, Settings
from bounced.intake.imap import Poller
from bounced.intake.refile import BOUNCE_KINDS
from bounced.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from dovecot_instance import Dovecot, available  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args()
    if not available():
        raise SystemExit("dovecot is not installed (Debian package dovecot-imapd)")
    base = messages()
    server = Dovecot()
    server.start()
    try:
        with IMAPClient("127.0.0.1", port=server.imap_port, ssl=False) as c:
            c.login(server.user, server.password)
            c.create_folder("drain")
            for i in range(0, args.count, 200):
                c.multiappend("drain", [(base[n % len(base)] + b"\nbench copy %d\n" % n).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
                                        for n in range(i, min(i + 200, args.count))])
            started = time.perf_counter()
            c.select_folder("drain", readonly=True)
            uids = c.search(["ALL"])
            got = 0
            for i in range(0, len(uids), args.batch):
                got += len(c.fetch(uids[i : i + args.batch], ["BODY.PEEK[]"]))
            bare = got / (time.perf_counter() - started)
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "pw").write_text(server.password)
            box = Mailbox(name="bench", host="127.0.0.1", port=server.imap_port, security="plain", user=server.user,
                          password_file=str(Path(tmp) / "pw"), folder="drain", batch=args.batch)
            settings = Settings(database=str(Path(tmp) / "bench.db"), mailboxes=(box,))
            store = Store(settings.database)
            poller = Poller(store, settings, box)
            poller.connect()  # logged in, as the bare loop is before its clock starts
            started = time.perf_counter()
            result = poller.drain()
            drained = time.perf_counter() - started
            poller.finish(result)
            processed = time.perf_counter() - started
            poller.close()
            check = _check(store, server, box, args.count)
    finally:
        server.cleanup()
    drain, full = result.fetched / drained, result.fetched / processed
    print(f"messages                           {args.count} (batches of {args.batch})")
    print(f"bare imapclient fetch loop         {bare:8.0f} msg/s")
    print(f"bounced poll, drain (store+mark)   {drain:8.0f} msg/s  ({result.fetched} in {drained:.2f} s)")
    print(f"ratio drain/bare                   {drain / bare:8.2f}")
    print(f"bounced poll, full processing      {full:8.0f} msg/s  ({result.fetched} in {processed:.2f} s: parsed, recorded,"
          f" {result.refiled} re-filed)")
    print(f"check                              {check}")
    if not check.startswith("ok"):
        raise SystemExit(1)


def _check(store: Store, server: Dovecot, box: Mailbox, count: int) -> str:
    """Every message stored once and processed; bounces in the processed folder, the rest in theirs."""
    (stored, unprocessed, others), = store.conn.execute(
        "SELECT count(*), sum(state = 'stored'), sum(coalesce(kind, '') NOT IN (%s)) FROM raw_messages"
        % ", ".join(f"'{k}'" for k in sorted(BOUNCE_KINDS))).fetchall()
    (refiled,), = store.conn.execute("SELECT count(*) FROM imap_messages WHERE state = 'refiled'").fetchall()
    with IMAPClient("127.0.0.1", port=server.imap_port, ssl=False) as c:
        c.login(server.user, server.password)
        left, done, other = (c.folder_status(f, [b"MESSAGES"])[b"MESSAGES"]
                             for f in (box.folder, box.processed_folder, box.nonbounce_folder))
    counts = (f"{stored} stored, {unprocessed} unprocessed; folders: {left} left, {done} processed,"
              f" {other} non-bounce ({others} non-bounces parsed, {refiled} recorded re-filed)")
    good = stored == count and unprocessed == 0 and left == 0 and done == count - others and other == others == refiled
    return ("ok: " if good else "WRONG: ") + counts


if __name__ == "__main__":
    main()
