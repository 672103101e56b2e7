"""Drain a bounce mailbox: `bounced poll` against a bare imapclient fetch loop, on a private Dovecot.

    python -m bench.imap_drain [--count 5000] [--batch 100] [--rounds 3]

Starts a private Dovecot (as the tests do).  Each round APPENDs COUNT bounce messages to a folder
of its own (corpus or fixtures messages, each with a unique last line, so no two are the same
report), then, over that folder: a bare loop that fetches every message by UID in batches
(BODY.PEEK[]) and does nothing with it; and bounced's poller, on a database of its own.  Prints
per round the bare rate; bounced's drain rate (from the first FETCH until every message is stored
and marked, i.e. the folder is empty) and its ratio to the bare rate (from its first FETCH too);
the whole drain call besides (with the SELECT before the first FETCH, and the read-ahead
connection's login); and the full-processing rate (from the same first FETCH until every message
is also parsed, correlated, recorded and the non-bounces re-filed).  Then the
median of each over the rounds (the machine's other work moves single figures), and a check of
every round's counts: every message stored once, none left unprocessed, the bounces in the
processed folder and the non-bounces in theirs (exit 1 if not).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from imapclient import IMAPClient

from bench.corpus import messages
from bounced.config import Mailbox, Settings
from bounced.intake.imap import Poller
from bounced.intake.refile import BOUNCE_KINDS
from bounced.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from dovecot_instance import Dovecot, available  # noqa: E402


@dataclass(frozen=True)
class Round:
    bare: float
    drain: float
    full: float
    drained_in: float
    call: float  # the whole drain(): SELECT, second login and all
    processed_in: float
    refiled: int
    check: str

    @property
    def ratio(self) -> float:
        return self.drain / self.bare


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not available():
        raise SystemExit("dovecot is not installed (Debian package dovecot-imapd)")
    base = messages()
    server = Dovecot()
    server.start()
    rounds = []
    try:
        for n in range(args.rounds):
            rounds.append(_round(server, base, f"drain{n}", args.count, args.batch))
            r = rounds[-1]
            print(f"round {n + 1}: bare {r.bare:6.0f} msg/s, drain {r.drain:6.0f} msg/s ({r.drained_in:.2f} s; the whole call"
                  f" {r.call:.2f} s), ratio {r.ratio:.2f}; full processing {r.full:5.0f} msg/s ({r.processed_in:.2f} s,"
                  f" {r.refiled} re-filed)", flush=True)
    finally:
        server.cleanup()
    print(f"messages                           {args.count} per round (batches of {args.batch}), {args.rounds} round(s), medians:")
    print(f"bare imapclient fetch loop         {statistics.median(r.bare for r in rounds):8.0f} msg/s")
    print(f"bounced poll, drain (store+mark)   {statistics.median(r.drain for r in rounds):8.0f} msg/s"
          f"  (the whole drain call, with its SELECT: {statistics.median(r.call for r in rounds):.2f} s)")
    print(f"ratio drain/bare                   {statistics.median(r.ratio for r in rounds):8.2f}"
          f"  (rounds: {', '.join(f'{r.ratio:.2f}' for r in rounds)})")
    print(f"bounced poll, full processing      {statistics.median(r.full for r in rounds):8.0f} msg/s"
          " (also parsed, correlated, recorded, non-bounces re-filed)")
    for n, r in enumerate(rounds, 1):
        print(f"check, round {n}                     {r.check}")
    if not all(r.check.startswith("ok") for r in rounds):
        raise SystemExit(1)


def _round(server: Dovecot, base: list[bytes], folder: str, count: int, batch: int) -> Round:
    with IMAPClient("127.0.0.1", port=server.imap_port, ssl=False) as c:
        c.login(server.user, server.password)
        c.create_folder(folder)
        for i in range(0, count, 200):
            c.multiappend(folder, [(base[n % len(base)] + b"\n%s copy %d\n" % (folder.encode(), n)).replace(b"\r\n", b"\n")
                                   .replace(b"\n", b"\r\n") for n in range(i, min(i + 200, count))])
        c.select_folder(folder, readonly=True)
        uids = c.search(["ALL"])
        got = 0
        started = time.perf_counter()  # the first FETCH
        for i in range(0, len(uids), batch):
            got += len(c.fetch(uids[i : i + batch], ["BODY.PEEK[]"]))
        bare = got / (time.perf_counter() - started)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "pw").write_text(server.password)
        box = Mailbox(name="bench", host="127.0.0.1", port=server.imap_port, security="plain", user=server.user,
                      password_file=str(Path(tmp) / "pw"), folder=folder, processed_folder=f"{folder}-done",
                      nonbounce_folder=f"{folder}-other", batch=batch)
        settings = Settings(database=str(Path(tmp) / "bench.db"), mailboxes=(box,))
        store = Store(settings.database)
        poller = Poller(store, settings, box)
        poller.connect()  # logged in, as the bare loop is before its clock starts
        called = time.perf_counter()
        result = poller.drain()
        done = time.perf_counter()
        poller.finish(result)
        processed = time.perf_counter()
        poller.close()
        check = _check(store, server, box, count)
        store.close()
    assert result.first_fetch is not None
    drained, full = done - result.first_fetch, processed - result.first_fetch
    return Round(bare, result.fetched / drained, result.fetched / full, drained, done - called, full, result.refiled, check)


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
