"""How fast the parser reads a corpus, beside the bare cost of the email package on the same files.

    python -m bench.parse_speed [CORPUS] [--rounds N]

Every ``*.eml`` under CORPUS (default: the shared labelled corpus beside the checkout if present,
else fixtures/) is read into memory once; then, in one process and for several rounds, each file
goes through ``bounced.parse.parse_message`` and, separately, through
``email.message_from_bytes`` (default compat32 policy) plus a walk over its parts.  The best round
of each is reported in messages per second, with the ratio: how much the detectors and the
classifier cost on top of parsing MIME at all.
"""

from __future__ import annotations

import argparse
import email
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


def best_rate(func: Callable[[bytes], None], messages: list[bytes], rounds: int) -> float:
    """Messages per second of the fastest of ``rounds`` passes over ``messages``."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for data in messages:
            func(data)
        best = min(best, time.perf_counter() - started)
    return len(messages) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    corpus = args.corpus or default_corpus()
    messages = load(corpus)
    if not messages:
        raise SystemExit(f"no .eml files under {corpus}")
    size = sum(map(len, messages))
    print(f"corpus {corpus}: {len(messages)} messages, {size / 1e6:.1f} MB, best of {args.rounds} rounds")
    bounced_parse(messages[0])  # imports and compiled patterns out of the timing
    ours = best_rate(bounced_parse, messages, args.rounds)
    bare = best_rate(email_walk, messages, args.rounds)
    print(f"bounced.parse.parse_message           {ours:10.0f} messages/s")
    print(f"email.message_from_bytes + walk       {bare:10.0f} messages/s")
    print(f"ratio (email package / bounced)       {bare / ours:10.2f}x")


if __name__ == "__main__":
    main()
