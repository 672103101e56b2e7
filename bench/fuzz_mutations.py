"""The mutations of bench.fuzz: damaged copies of a message, each made from a seeded Random.

Byte flips in headers and bodies, cuts at every MIME boundary line and at random points, and header
damage: malformed RFC 2047 words (bad base64, unknown, NUL and non-charset charsets), overlong,
duplicated and 8-bit headers, broken Content-Type parameters.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator

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

