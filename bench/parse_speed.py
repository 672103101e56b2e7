"""How fast the parser reads a corpus, beside the bare cost of the email package on the same files.

    python -m bench.parse_speed [CORPUS] [--rounds N]

Every ``*.eml`` under CORPUS (default: the shared labelled corpus beside the checkout if present,
else fixtures/) is read into memory once; then, in one process and for several rounds, each file
goes through ``bounced.parse.parse_message`` and, separately, through
``email.message_from_bytes`` (default compat32 policy) plus a walk over its parts.  The best round
of each is reported in messages per second, with the ratio.

Two runs are printed, the rounds of the two parsers interleaved in each:

* the same corpus every round.  The email package compiles one regular expression per MIME
  boundary and keeps the last 512 in the ``re`` module's cache, so from the second round on the
  bare parse finds most of them compiled;
* fresh boundaries: every round gets a copy of the corpus in which each message's MIME
  boundaries carry a suffix of that round, as in a stream of new bounces, where no two messages
  share a boundary.  Both parsers get the same bytes.
"""

from __future__ import annotations

import argparse
import email
import re
import time
from collections.abc import Callable
from pathlib import Path

from bounced.parse import parse_message

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus" / "sisimai"


def default_corpus() -> Path:
    return SHARED if SHARED.is_dir() else ROOT / "fixtures"


def load(corpus: Path) -> list[bytes]:
    return [p.read_bytes() for p in sorted(corpus.rglob("*.eml"))]


def bounced_parse(data: bytes) -> None:
    parse_message(data)


def email_walk(data: bytes) -> None:
    msg = email.message_from_bytes(data)
    for part in msg.walk():
        part.get_content_type()


_BOUNDARY = re.compile(rb'boundary\s*=\s*"?([^";\s]+)', re.I)


def fresh(messages: list[bytes], tag: bytes) -> list[bytes]:
    """``messages`` with every MIME boundary made unique to ``tag`` (everywhere it occurs)."""
    out = []
    for data in messages:
        for boundary in set(_BOUNDARY.findall(data)):
            data = data.replace(boundary, boundary + tag)
        out.append(data)
    return out


def _round(func: Callable[[bytes], None], messages: list[bytes]) -> float:
    started = time.perf_counter()
    for data in messages:
        func(data)
    return time.perf_counter() - started


def best_rates(messages: list[bytes], rounds: int, fresh_boundaries: bool) -> tuple[float, float]:
    """Messages per second of the fastest round of bounced and of the bare parse, rounds interleaved."""
    ours = bare = float("inf")
    for n in range(rounds):
        batch = fresh(messages, b".b%d" % n) if fresh_boundaries else messages
        bare = min(bare, _round(email_walk, batch))
        batch = fresh(messages, b".o%d" % n) if fresh_boundaries else messages
        ours = min(ours, _round(bounced_parse, batch))
    return len(messages) / ours, len(messages) / bare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    corpus = args.corpus or default_corpus()
    messages = load(corpus)
    if not messages:
        raise SystemExit(f"no .eml files under {corpus}")
    size = sum(map(len, messages))
    print(f"corpus {corpus}: {len(messages)} messages, {size / 1e6:.1f} MB, best of {args.rounds} rounds")
    bounced_parse(messages[0])  # imports and compiled patterns out of the timing
    for label, fresh_boundaries in (("same corpus every round", False), ("fresh boundaries every round", True)):
        ours, bare = best_rates(messages, args.rounds, fresh_boundaries)
        print(f"{label}:")
        print(f"  bounced.parse.parse_message         {ours:10.0f} messages/s")
        print(f"  email.message_from_bytes + walk     {bare:10.0f} messages/s")
        print(f"  ratio (bounced / bare)              {ours / bare:10.2f}")


if __name__ == "__main__":
    main()
