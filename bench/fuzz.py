"""Fuzz the parser with damaged copies of the fixtures: a real bounce must survive one bad header or part.

    python -m bench.fuzz [--seed 11] [--per-fixture 80] [--long-sizes 2000,20000] [--save DIR]

Every ``*.eml`` of fixtures/ and fixtures/real/ is mutated, with a fixed seed, ``--per-fixture`` times
(the kinds below in turn), and cut at every MIME boundary line besides.  Each mutant goes through
``parse_message``.  Printed: per mutation kind, how many mutants there were, how many still have an
intact delivery-status part (``intact`` below), how many of those came out ``unknown``, how many
results break the output contract (``violations``), and how many exceptions escaped
``parse_message``; then the slowest message.  ``--save DIR`` writes the mutants that failed a check.

tests/test_fuzz.py runs a small sample of the same mutants and asserts that every count of failures
is zero.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, is_dataclass
from email.message import Message
from email.parser import BytesParser
from email.policy import compat32
from pathlib import Path

from bounced.classify.reasons import NAMES, NOT_FAILURES
from bounced.model import Action, Bounce
from bounced.output import to_dict, to_json
from bounced.parse import parse_message

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DIRS = (ROOT / "fixtures", ROOT / "fixtures" / "real")
DSN_TYPES = ("message/delivery-status", "message/global-delivery-status")

_BLANK = re.compile(rb"\r?\n\r?\n")
_LINE = re.compile(rb"[^\n]*\n?")
_BOUNDARY_PARAM = re.compile(rb'boundary\s*=\s*(?:"([^"\r\n]+)"|([^\s;"]+))', re.I)
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:[^\n]*\n(?:[ \t][^\n]*\n)*", re.M)
_CONTENT_TYPE = re.compile(rb"^content-type:[^\n]*?(?=\r?\n)", re.I | re.M)

# RFC 2047 encoded words that break decoders: bad base64, unknown and NUL charsets, codecs that are
# not charsets at all (punycode, idna), bytes that are not what the charset says.
BAD_WORDS = (
    b"=?utf-8?b?A?=",
    b"=??b?AAAAA?=",
    b"=?utf-8?b?w6k?=",
    b"=?x-unknown-charset?q?abc?=",
    b"=?\x00?q?abc?=",
    b"=?utf-8\x00?q?abc?=",
    b"=?punycode?q?\xff?=",
    b"=?punycode?q?a\\b-?=",
    b"=?idna?q?..?=",
    b"=?idna?b?LS0tLi4u?=",
    b"=?undefined?q?x?=",
    b"=?utf-8?q?=FF=FE=00?=",
    b"=?iso-2022-jp?b?GyRCJCIbKEI=?= =?iso-2022-jp?q?=1B$B?=",
    b"=?utf-7?q?+AGEAYgBj-+?=",
    b"=?utf-8*en?q?x?=",
    b"=?utf-8?x?abc?=",
    b"=?utf-16?b?2D3YPQ==?=",
    b"=?utf-7?q?+2D0-?=",
)
BAD_PARAMS = (
    b'; charset="\x00"',
    b"; charset=punycode",
    b"; charset=idna",
    b"; charset=undefined",
    b"; charset=utf-7",
    b"; charset=iso-2022-jp",
    b"; charset=utf-16",
    b'; charset="unterminated',
    b"; charset*=utf-8''%FF%FE",
    b"; charset*0*=x'%ZZ; charset*1=y",
    b";;;=;",
    b"; name*=unknown''%ff%00",
    b"; \xff\xfe=\x80",
    b"; boundary*=\x00''x",
    b"; boundary*=idna''%FF",
)
HEADERS_TO_DAMAGE = (b"Subject", b"From", b"To", b"Delivered-To", b"Message-ID", b"In-Reply-To",
                     b"Content-Description", b"Reply-To", b"X-Failed-Recipients", b"Date", b"Content-Type")


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


# -- where the pieces of a message are ---------------------------------------------------------------


def boundaries(data: bytes) -> list[bytes]:
    return [(m.group(1) or m.group(2)).strip() for m in _BOUNDARY_PARAM.finditer(data)]


def boundary_lines(data: bytes) -> list[tuple[int, int]]:
    """(start, end) of every line that opens or closes a MIME part."""
    marks = tuple(b"--" + b for b in boundaries(data) if b)
    if not marks:
        return []
    out = []
    for line in _LINE.finditer(data):
        if line.group().startswith(marks):
            out.append((line.start(), line.end()))
    return out


def header_regions(data: bytes) -> list[tuple[int, int]]:
    """(start, end) of the top header block and of every MIME part's header block."""
    starts = [0] + [end for _, end in boundary_lines(data)]
    regions = []
    for start in starts:
        blank = _BLANK.search(data, start)
        end = blank.start() + 1 if blank else len(data)
        if end > start:
            regions.append((start, end))
    return regions


# -- mutations: each takes the seeded Random and the message, and gives one mutant ------------------


def _pick_region(rng: random.Random, regions: list[tuple[int, int]]) -> tuple[int, int]:
    weights = [max(1, end - start) for start, end in regions]
    return rng.choices(regions, weights)[0]


def flip_header(rng: random.Random, data: bytes) -> bytes:
    start, end = _pick_region(rng, header_regions(data) or [(0, len(data))])
    out = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        out[rng.randrange(start, max(start + 1, end))] = rng.randrange(256)
    return bytes(out)


def flip_body(rng: random.Random, data: bytes) -> bytes:
    regions = header_regions(data)
    out = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        for _ in range(20):  # a position outside the header blocks, where there is one
            at = rng.randrange(len(data))
            if not any(start <= at < end for start, end in regions):
                break
        out[at] = rng.randrange(256)
    return bytes(out)


def truncate_random(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(1, len(data))]


def truncations_at_boundaries(data: bytes) -> list[bytes]:
    """The message cut before and after each boundary line: every way a transfer can stop at one."""
    cuts = sorted({at for line in boundary_lines(data) for at in line if 0 < at < len(data)})
    return [data[:at] for at in cuts]


def _header_lines(rng: random.Random, data: bytes) -> list[re.Match[bytes]]:
    start, end = _pick_region(rng, header_regions(data) or [(0, len(data))])
    return list(_HEADER_LINE.finditer(data, start, end))


def encoded_word(rng: random.Random, data: bytes) -> bytes:
    """A header's value replaced by (or a new header made of) malformed RFC 2047 words."""
    word = b"Broken " + rng.choice(BAD_WORDS) + b" " + rng.choice(BAD_WORDS)
    lines = [m for m in _header_lines(rng, data) if m.group().split(b":", 1)[0].strip() in HEADERS_TO_DAMAGE]
    if lines and rng.random() < 0.7:
        line = rng.choice(lines)
        name = line.group().split(b":", 1)[0]
        return data[: line.start()] + name + b": " + word + b"\n" + data[line.end() :]
    name = rng.choice(HEADERS_TO_DAMAGE[:6])
    return name + b": " + word + b"\n" + data


LONG_SIZES = (2_000, 20_000)  # bytes of an overlong header (50 kB ones take seconds each in the address scanner today)


def overlong_header(rng: random.Random, data: bytes, sizes: tuple[int, ...] = LONG_SIZES) -> bytes:
    size = rng.choice(sizes)
    value = rng.choice((
        b"x" * size,
        b"=?utf-8?b?w6k=?= " * (size // 17),
        b"a\n " * (size // 4),
        b"<a@b> " * (size // 6),
    ))
    name = rng.choice(HEADERS_TO_DAMAGE[:6] + (b"X-Long",))
    return name + b": " + value + b"\n" + data


def duplicate_header(rng: random.Random, data: bytes) -> bytes:
    lines = _header_lines(rng, data)
    if not lines:
        return data
    line = rng.choice(lines)
    return data[: line.end()] + line.group() + data[line.end() :]


def non_utf8_header(rng: random.Random, data: bytes) -> bytes:
    lines = _header_lines(rng, data)
    if not lines:
        return data
    line = rng.choice(lines)
    noise = bytes(rng.randrange(0x80, 0x100) for _ in range(rng.randint(1, 8)))
    at = rng.randrange(line.start() + line.group().index(b":") + 1, line.end())
    return data[:at] + noise + data[at:]


def content_type_params(rng: random.Random, data: bytes) -> bytes:
    types = list(_CONTENT_TYPE.finditer(data))
    if not types:
        return b"Content-Type: text/plain" + rng.choice(BAD_PARAMS) + b"\n" + data
    found = rng.choice(types)
    line = found.group()
    if b"charset" in line.lower() and rng.random() < 0.5:
        line = re.sub(rb"(?i);\s*charset\s*=\s*(\"[^\"]*\"|[^;\s]*)", lambda _: rng.choice(BAD_PARAMS), line, count=1)
    else:
        line += rng.choice(BAD_PARAMS)
    return data[: found.start()] + line + data[found.end() :]


MUTATIONS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "flip-header": flip_header,
    "flip-body": flip_body,
    "truncate-random": truncate_random,
    "encoded-word": encoded_word,
    "overlong-header": overlong_header,
    "duplicate-header": duplicate_header,
    "non-utf8-header": non_utf8_header,
    "content-type-params": content_type_params,
}
BOUNDARY_CUT = "truncate-boundary"


def fixtures() -> list[Path]:
    return sorted(p for d in FIXTURE_DIRS for p in d.glob("*.eml"))


def mutants(data: bytes, seed: int, per_fixture: int, name: str,
            long_sizes: tuple[int, ...] = LONG_SIZES) -> Iterator[tuple[str, bytes]]:
    """(kind, mutant): ``per_fixture`` mutations (the kinds in turn) and every boundary cut."""
    rng = random.Random(f"{seed}:{name}")
    kinds = list(MUTATIONS)
    for i in range(per_fixture):
        kind = kinds[i % len(kinds)]
        yield kind, overlong_header(rng, data, long_sizes) if kind == "overlong-header" else MUTATIONS[kind](rng, data)
    for cut in truncations_at_boundaries(data):
        yield BOUNDARY_CUT, cut


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
_DOMAIN = rf"(?:{_LABEL}(?:\.{_LABEL})*|\[[^\s\[\]<>@]+\])"
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
