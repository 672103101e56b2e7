"""Fuzz the parser with damaged copies of the fixtures: a real bounce must survive one bad header or part.

    python -m bench.fuzz [--seed 11] [--per-fixture 80] [--long-sizes 2000,20000] [--save DIR]

Every ``*.eml`` of fixtures/ and fixtures/real/ is mutated, with a fixed seed, ``--per-fixture`` times
(the kinds below in turn), and cut at every MIME boundary line besides.  Each mutant goes through
``parse_message``.  Printed: per mutation kind, how many mutants there were, how many still have an
intact delivery-status part (``intact`` below), how many of those came out ``unknown``, how many
results break the output contract (``violations``), and how many exceptions escaped
``parse_message``; then the slowest message.  ``--save DIR`` writes the mutants that failed a check.

The mutations are in bench/fuzz_mutations.py.  tests/test_fuzz.py runs a small sample of the same
mutants and asserts that every count of failures is zero.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, is_dataclass
from email.message import Message
from email.parser import BytesParser
from email.policy import compat32
from pathlib import Path

from bounced.classify.reasons import NAMES, NOT_FAILURES
from bounced.model import Action, Bounce
from bounced.output import to_dict, to_json
from bounced.parse import parse_message

from bench.fuzz_mutations import LONG_SIZES, mutants

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DIRS = (ROOT / "fixtures", ROOT / "fixtures" / "real")
DSN_TYPES = ("message/delivery-status", "message/global-delivery-status")


@dataclass
class Tally:
    mutants: int = 0
    intact: int = 0
    intact_unknown: int = 0
    violations: int = 0
    exceptions: int = 0


@dataclass
class Report:
    seed: int
    per_fixture: int
    fixtures: int = 0
    kinds: dict[str, Tally] = field(default_factory=dict)
    slowest: tuple[float, str] = (0.0, "")
    failures: list[tuple[str, str, bytes]] = field(default_factory=list)  # (name, what, mutant)

    def total(self) -> Tally:
        out = Tally()
        for tally in self.kinds.values():
            for name in vars(out):
                setattr(out, name, getattr(out, name) + getattr(tally, name))
        return out


def fixtures() -> list[Path]:
    return sorted(p for d in FIXTURE_DIRS for p in d.glob("*.eml"))


# -- what a mutant must give --------------------------------------------------------------------------

_REFERENCE = BytesParser(policy=compat32)


def _fingerprint(part: Message) -> object:
    """What a delivery-status part holds, as the reference parser reads it: its transfer encoding and
    its fields (with whatever does not read as fields, such as base64 lines, kept beside them)."""
    payload = part._payload
    if isinstance(payload, list):
        payload = tuple((tuple(sub.raw_items()), sub._payload) if isinstance(sub, Message) else str(sub) for sub in payload)
    return str(part.get("content-transfer-encoding", "")).strip().lower(), payload


def _walk(msg: Message, depth: int = 0) -> Iterator[Message]:
    yield msg
    payload = msg.get_payload()
    if depth < 8 and isinstance(payload, list) and msg.get_content_maintype() != "message":
        for sub in payload:
            if isinstance(sub, Message):
                yield from _walk(sub, depth + 1)


def dsn_parts(data: bytes) -> set[object]:
    """The fingerprints of the delivery-status parts that the standard library's parser finds."""
    try:
        msg = _REFERENCE.parsebytes(data.replace(b"\r\n", b"\n"))
        return {_fingerprint(part) for part in _walk(msg) if part.get_content_type() in DSN_TYPES}
    except (RecursionError, LookupError, ValueError, TypeError):  # the reference itself cannot read it
        return set()


def intact(original: set[object], mutant: bytes) -> bool:
    """The mutant still has one of the original's delivery-status parts: the standard library's parser
    (not ours) finds a part of that content type, its MIME headers read, and its fields are unchanged
    byte for byte."""
    return bool(original) and not original.isdisjoint(dsn_parts(mutant))


_REASONS = frozenset(NAMES) | frozenset(NOT_FAILURES)
_POSITIVE = {Action.DELIVERED.value, Action.RELAYED.value, Action.EXPANDED.value}
_LOCAL = r"[^\s<>@;,()\"\[\]]+"
_LABEL = r"(?:[A-Za-z0-9_-]|[^\x00-\x7f\s\ufffd])+"  # any script; in ASCII, letters, digits, - and _
_DOMAIN = rf"(?:{_LABEL}(?:\.+{_LABEL})*|\[[^\s\[\]<>@]+\])"  # an empty label: the malformed address a syntax-error notice is about
ADDRESS = re.compile(rf"{_LOCAL}@{_DOMAIN}")
STATUS = re.compile(r"[245]\.\d{1,3}\.\d{1,3}")


def _texts(value: object, name: str = "bounce") -> Iterator[tuple[str, str]]:
    """Every string in a result (its dataclasses and tuples), with where it is."""
    if isinstance(value, str):
        yield name, value
    elif is_dataclass(value):
        for f in fields(value):
            yield from _texts(getattr(value, f.name), f"{name}.{f.name}")
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from _texts(item, f"{name}[{i}]")


def _utf8(text: str) -> bool:
    """No lone surrogates (undecoded bytes): the text can be written as UTF-8, to JSON or SQLite."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def violations(bounce: Bounce) -> list[str]:
    """How one result breaks spec/parse-output.md (nothing, for a good one)."""
    out = [f"{name} is not UTF-8 text: {value!r}" for name, value in _texts(bounce) if not _utf8(value)]
    try:
        result = json.loads(to_json(bounce).encode("utf-8"))  # one JSON object, UTF-8 all through
    except (UnicodeError, ValueError) as exc:
        return out + [f"not JSON in UTF-8: {exc}"]
    if result != json.loads(json.dumps(to_dict(bounce))):
        out.append("JSON differs from the result")
    kind, recipients = result["kind"], result["recipients"]
    if kind == "unknown" and (recipients or not result.get("error")):
        out.append("unknown with recipients, or without an error")
    actions = {r["action"] for r in recipients}
    if kind == "bounce" and "failed" not in actions:
        out.append("bounce without a failed recipient")
    if kind == "delay" and ("delayed" not in actions or "failed" in actions):
        out.append(f"delay with actions {sorted(actions)}")
    if kind == "delivered" and not actions <= _POSITIVE:
        out.append(f"delivered with actions {sorted(actions)}")
    for r in recipients:
        address = r["address"]
        if address is None and kind != "feedback":
            out.append("no address outside a complaint")
        elif address is not None and not (ADDRESS.fullmatch(address) and address.rpartition("@")[2] == address.rpartition("@")[2].lower()):
            out.append(f"address {address!r}")
        if r["reason"] not in _REASONS:
            out.append(f"reason {r['reason']!r}")
        if r["status"] is not None and not STATUS.fullmatch(r["status"]):
            out.append(f"status {r['status']!r}")
        if r["reply_code"] is not None and not 200 <= r["reply_code"] <= 599:
            out.append(f"reply code {r['reply_code']!r}")
    return out


def check(name: str, kind: str, data: bytes, original: set[object], report: Report) -> None:
    tally = report.kinds.setdefault(kind, Tally())
    tally.mutants += 1
    started = time.perf_counter()
    try:
        bounce = parse_message(data, source=name)
    except Exception as exc:  # noqa: BLE001 - counting what escapes is the point
        tally.exceptions += 1
        report.failures.append((name, f"{kind}: raised {type(exc).__name__}: {exc}", data))
        return
    elapsed = time.perf_counter() - started
    if elapsed > report.slowest[0]:
        report.slowest = (elapsed, f"{name} ({kind}, {len(data)} bytes)")
    if problems := violations(bounce):
        tally.violations += 1
        report.failures.append((name, f"{kind}: {'; '.join(problems)}", data))
    if intact(original, data):
        tally.intact += 1
        if bounce.kind.value == "unknown":
            tally.intact_unknown += 1
            report.failures.append((name, f"{kind}: unknown with the report intact: {bounce.error}", data))


def run(seed: int, per_fixture: int, paths: list[Path] | None = None, long_sizes: tuple[int, ...] = LONG_SIZES) -> Report:
    report = Report(seed, per_fixture)
    for path in paths if paths is not None else fixtures():
        data = path.read_bytes()
        name = str(path.relative_to(ROOT))
        report.fixtures += 1
        original = dsn_parts(data)
        for kind, mutant in mutants(data, seed, per_fixture, name, long_sizes):
            check(name, kind, mutant, original, report)
    return report


def render(report: Report) -> str:
    rows = [f"seed {report.seed}, {report.per_fixture} mutations per fixture over {report.fixtures} fixtures, "
            "and a cut at every boundary line", "",
            f"{'mutation':<22}{'mutants':>9}{'intact':>9}{'unknown':>9}{'violations':>12}{'exceptions':>12}"]
    for kind, t in sorted(report.kinds.items()) + [("total", report.total())]:
        rows.append(f"{kind:<22}{t.mutants:>9}{t.intact:>9}{t.intact_unknown:>9}{t.violations:>12}{t.exceptions:>12}")
    rows += ["", "unknown: of the mutants whose delivery-status part is intact",
             f"slowest message: {report.slowest[0] * 1000:.1f} ms, {report.slowest[1]}"]
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--per-fixture", type=int, default=80)
    parser.add_argument("--long-sizes", default=",".join(map(str, LONG_SIZES)),
                        help="sizes of the overlong headers, comma-separated (default: %(default)s)")
    parser.add_argument("--save", type=Path, help="write the mutants that failed a check here")
    args = parser.parse_args()
    report = run(args.seed, args.per_fixture, long_sizes=tuple(int(n) for n in args.long_sizes.split(",")))
    print(render(report))
    if args.save and report.failures:
        args.save.mkdir(parents=True, exist_ok=True)
        seen: Counter[str] = Counter()
        with (args.save / "failures.txt").open("w") as index:
            for name, what, data in report.failures:
                stem = Path(name).stem
                seen[stem] += 1
                file = f"{stem}-{seen[stem]:04d}.eml"
                (args.save / file).write_bytes(data)
                index.write(f"{file}\t{name}\t{what}\n")
        print(f"{len(report.failures)} failures written to {args.save}")


if __name__ == "__main__":
    main()
