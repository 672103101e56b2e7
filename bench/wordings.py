"""How the classifier reads the server wordings of Sisimai's tables (bench/data/sisimai-wordings.tsv).

    python -m bench.wordings [--misses]

Each sample is classified alone, as the diagnostic of a failed recipient with no status and no
reply code, and compared with the reason Sisimai's table gives it.  Printed: the agreement, per
reason and in all; and the agreement counting the differences that spec/reasons.md makes on
purpose (it has reasons Sisimai 4 lacks: authfailure, requireptr, badreputation, ratelimited,
notcompliantrfc, failedstarttls, suppressed). Sisimai 4's names that Sisimai 5.6 merged are read as the merged name..  A table's reason sometimes holds only beside that table's MTA or host, so 100%
is not the aim; a wording that falls through to onhold is the gap this measures.
"""

from __future__ import annotations

import argparse
import csv
import re
from collections import Counter
from pathlib import Path

from bounced.classify import classify
from bounced.model import Action, Finding

DATA = Path(__file__).resolve().parent / "data" / "sisimai-wordings.tsv"
# Sisimai 5.6 merged these (spec/reasons.md): the tables still use the old names
MERGED = {"toomanyconn": "ratelimited", "speeding": "ratelimited", "mesgtoobig": "emailtoolarge", "exceedlimit": "emailtoolarge"}
NOT_COMPARED = {"delivered", "feedback", "vacation", "onhold", "undefined"}
# (bounced's reason, what the text must say) for the spec's own reasons
SPEC_ONLY = {
    "authfailure": re.compile(r"spf|dkim|dmarc|sender policy framework|domainkeys|authentication checks|unauthenticated email"),
    "requireptr": re.compile(r"ptr|reverse|rdns|dns name|hostname|name lookup|resolve your address"),
    "badreputation": re.compile(r"reputation"),
    "ratelimited": re.compile(r"rate|too many (?:messages|mails|emails)|too quickly|frequency|threshold|limit|quota|throttl|per (?:hour|day|minute)"),
    "notcompliantrfc": re.compile(r"rfc ?(?:5322|2822|822)|header|message-?id|malformed"),
    # Sisimai 5.2's reasons, which its 4.x tables file under blocked, securityerror or systemerror
    "failedstarttls": re.compile(r"tls|certificate|dane|dnssec|encryption"),
    "suppressed": re.compile(r"suppress"),
}


def samples() -> list[tuple[str, str, str]]:
    with DATA.open(newline="", encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return [(r["sample"], MERGED.get(r["sisimai_reason"], r["sisimai_reason"]), r["source"])
            for r in csv.DictReader(lines, delimiter="\t")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--misses", action="store_true", help="list the samples read otherwise")
    args = parser.parse_args()
    total: Counter[str] = Counter()
    agree: Counter[str] = Counter()
    by_spec = 0
    misses = []
    for text, theirs, source in samples():
        if theirs in NOT_COMPARED:
            continue
        ours = classify(Finding("x@example.org", action=Action.FAILED, diagnostic=text))[0]
        total[theirs] += 1
        if ours == theirs:
            agree[theirs] += 1
        elif ours in SPEC_ONLY and SPEC_ONLY[ours].search(text.lower()):
            by_spec += 1
        else:
            misses.append(f"{theirs:16} -> {ours:16} {source:24} {text[:100]}")
    n, ok = sum(total.values()), sum(agree.values())
    for reason in sorted(total, key=lambda r: -total[r]):
        print(f"{reason:16} {agree[reason]:4d} / {total[reason]:4d}  {agree[reason] / total[reason]:7.1%}")
    print(f"{'all':16} {ok:4d} / {n:4d}  {ok / n:7.1%}")
    print(f"counting the spec's own reasons: {ok + by_spec} / {n}  {(ok + by_spec) / n:.1%}")
    print(f"read as onhold (no wording found): {sum(1 for m in misses if '-> onhold ' in m)}")
    if args.misses:
        print("\n".join(sorted(misses)))


if __name__ == "__main__":
    main()
