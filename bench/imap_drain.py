"""Drain a bounce mailbox: `bounced poll` against a bare imapclient fetch loop, on a private Dovecot.

    python -m bench.imap_drain [--count 5000] [--batch 100]

Starts a private Dovecot (as the tests do), APPENDs COUNT bounce messages (corpus or fixtures
messages, each with a unique last line, so no two are the same report), then in the same run:
a bare loop that fetches every
message by UID in batches (BODY.PEEK[]) and does nothing with it; and bounced's poller, which
stores, parses, correlates and records each message and moves it out.  Prints both rates and
their ratio.
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
            poller = Poller(Store(settings.database), settings, box)
            started = time.perf_counter()
            result = poller.poll_once()
            ours = result.fetched / (time.perf_counter() - started)
            poller.close()
    finally:
        server.cleanup()
    print(f"messages                       {args.count} (batches of {args.batch})")
    print(f"bare imapclient fetch loop     {bare:8.0f} msg/s")
    print(f"bounced poll (store+process+move) {ours:5.0f} msg/s  ({result.stored} stored, {result.bounces} bounces, {result.others} other)")
    print(f"ratio bounced/bare             {ours / bare:8.2f}")


if __name__ == "__main__":
    main()
