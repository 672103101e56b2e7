"""Measure the parser against a labelled corpus (expected.json beside the .eml files).

    python -m bench.accuracy [CORPUS_DIR] [--misses]

Prints recipients found, hard/soft agreement, status agreement and reason agreement.  Each
expected recipient is compared with the recipient at the same position in bounced's output
(the labels carry no addresses); a recipient bounced does not find disagrees on everything.
Sisimai's pseudo status codes (x.0.9xx, for bounces that carry no status) agree with a null
status or any status of the same class, since no server sends them.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

from bounced.model import BounceType
from bounced.parse import parse_message

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "sisimai"
PSEUDO = re.compile(r"^[245]\.0\.9\d\d$")


def status_agrees(expected: str | None, ours: str | None) -> bool:
    if expected is None or PSEUDO.match(expected):
        return ours is None or expected is None or ours[0] == expected[0]
    return ours == expected


def measure(corpus: Path, show_misses: bool = False) -> dict[str, float]:
    labels = json.loads((corpus / "expected.json").read_text())
    totals: Counter[str] = Counter()
    misses: list[str] = []
    for name in sorted(labels):
        expected = labels[name]
        bounce = parse_message((corpus / name).read_bytes(), source=name)
        ours = bounce.recipients
        totals["messages"] += 1
        totals["expected"] += len(expected)
        totals["extra"] += max(0, len(ours) - len(expected))
        for i, exp in enumerate(expected):
            if i >= len(ours):
                misses.append(f"{name}: recipient {i + 1} not found ({bounce.kind.value}, {bounce.error or bounce.detector})")
                continue
            got = ours[i]
            totals["found"] += 1
            hard_ok = exp["hard"] == (got.bounce_type is BounceType.HARD)
            status_ok = status_agrees(exp["status"], got.status)
            reason_ok = exp["reason"] == got.reason
            totals["hard"] += hard_ok
            totals["status"] += status_ok
            totals["reason"] += reason_ok
            if exp["status"] and not PSEUDO.match(exp["status"]):
                totals["real_status"] += 1
                totals["real_status_ok"] += got.status == exp["status"]
            if not (hard_ok and status_ok and reason_ok):
                misses.append(
                    f"{name}[{i}] want {exp['status']} {exp['reply_code']} {exp['reason']} hard={exp['hard']} | "
                    f"got {got.status} {got.reply_code} {got.reason} {got.bounce_type.value} ({bounce.detector}, {got.rule}) "
                    f"| {got.diagnostic[:150]}"
                )
    n = totals["expected"]
    figures = {
        "messages": totals["messages"],
        "recipients": n,
        "recipients_found": totals["found"] / n,
        "hard_soft": totals["hard"] / n,
        "status": totals["status"] / n,
        "status_real_codes": totals["real_status_ok"] / max(1, totals["real_status"]),
        "reason": totals["reason"] / n,
        "extra_recipients": totals["extra"],
    }
    if show_misses:
        print("\n".join(misses))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--misses", action="store_true", help="list every disagreement")
    args = parser.parse_args()
    if not (args.corpus / "expected.json").exists():
        raise SystemExit(f"no expected.json in {args.corpus}")
    f = measure(args.corpus, args.misses)
    print(f"messages {f['messages']}, labelled recipients {f['recipients']}, extra recipients {f['extra_recipients']}")
    for key, label in (("recipients_found", "recipients found"), ("hard_soft", "hard/soft agreement"),
                       ("status", "status agreement"), ("status_real_codes", "  (real status codes only)"),
                       ("reason", "reason agreement")):
        print(f"{label:28s} {f[key] * 100:6.2f}%")


if __name__ == "__main__":
    main()
