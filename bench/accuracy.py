"""Measure the parser against a labelled corpus (expected-spec.json beside the .eml files).

    python -m bench.accuracy [CORPUS_DIR] [--labels expected.json] [--misses] [--rules]

Prints recipients found, hard/soft agreement, status agreement, reason agreement, and hard
precision (of the recipients bounced calls hard, how many the labels call hard) and hard recall
(of the recipients the labels call hard, how many bounced calls hard). The default labels are the
corpus judged by spec/reasons.md (expected-spec.json); expected.json holds Sisimai's own labels,
for comparison with Sisimai. Reason names that Sisimai 5.6 merged are read as the merged name.  Each
expected recipient is compared with the recipient at the same position in bounced's output
(the labels carry no addresses); a recipient bounced does not find disagrees on everything.
With --rules, the hard verdicts are counted by the rule that decided them (the rule's kind:
"status 5.1.1", "text:userunknown", ...), with how many of them the labels call hard: where hard
precision is lost.  Sisimai's pseudo status codes (x.0.9xx, for bounces that carry no status) agree with a null
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


MERGED = {"toomanyconn": "ratelimited", "speeding": "ratelimited", "mesgtoobig": "emailtoolarge", "exceedlimit": "emailtoolarge"}
LABELS = "expected-spec.json"


def measure(corpus: Path, show_misses: bool = False, labels_name: str = LABELS, show_rules: bool = False) -> dict[str, float]:
    labels = json.loads((corpus / labels_name).read_text())
    totals: Counter[str] = Counter()
    by_rule: Counter[tuple[str, bool]] = Counter()
    misses: list[str] = []
    for name in sorted(labels):
        expected = labels[name]
        bounce = parse_message((corpus / name).read_bytes(), source=name)
        ours = bounce.recipients
        totals["messages"] += 1
        totals["expected"] += len(expected)
        totals["labelled_hard"] += sum(1 for exp in expected if exp["hard"])
        totals["extra"] += max(0, len(ours) - len(expected))
        for i, exp in enumerate(expected):
            if i >= len(ours):
                misses.append(f"{name}: recipient {i + 1} not found ({bounce.kind.value}, {bounce.error or bounce.detector})")
                continue
            got = ours[i]
            totals["found"] += 1
            said_hard = got.bounce_type is BounceType.HARD
            hard_ok = exp["hard"] == said_hard
            status_ok = status_agrees(exp["status"], got.status)
            reason_ok = MERGED.get(exp["reason"], exp["reason"]) == got.reason
            if said_hard:
                by_rule[(got.rule.split(" (")[0].split(",")[0], exp["hard"])] += 1
            totals["said_hard"] += said_hard
            totals["said_hard_ok"] += said_hard and exp["hard"]
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
        "hard_precision": totals["said_hard_ok"] / max(1, totals["said_hard"]),
        "hard_recall": totals["said_hard_ok"] / max(1, totals["labelled_hard"]),
        "extra_recipients": totals["extra"],
    }
    if show_misses:
        print("\n".join(misses))
    if show_rules:
        for rule in sorted({r for r, _ in by_rule}, key=lambda r: -(by_rule[(r, True)] + by_rule[(r, False)])):
            print(f"hard by {rule:45s} {by_rule[(rule, True)] + by_rule[(rule, False)]:4d}, labelled soft {by_rule[(rule, False)]}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--labels", default=LABELS, help=f"the labels file in the corpus (default {LABELS})")
    parser.add_argument("--misses", action="store_true", help="list every disagreement")
    parser.add_argument("--rules", action="store_true", help="count the hard verdicts by the rule that decided them")
    args = parser.parse_args()
    if not (args.corpus / args.labels).exists():
        raise SystemExit(f"no {args.labels} in {args.corpus}")
    f = measure(args.corpus, args.misses, args.labels, args.rules)
    print(f"messages {f['messages']}, labelled recipients {f['recipients']}, extra recipients {f['extra_recipients']}")
    for key, label in (("recipients_found", "recipients found"), ("hard_soft", "hard/soft agreement"),
                       ("status", "status agreement"), ("status_real_codes", "  (real status codes only)"),
                       ("reason", "reason agreement"), ("hard_precision", "hard precision"),
                       ("hard_recall", "hard recall")):
        print(f"{label:28s} {f[key] * 100:6.2f}%")


if __name__ == "__main__":
    main()
