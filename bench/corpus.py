"""Where benchmarks find bounce messages: the shared labelled corpus if present, else fixtures/."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus" / "sisimai"


def corpus_dir(explicit: str | None = None) -> Path:
    if explicit:
        return Path(explicit)
    return SHARED if SHARED.is_dir() else ROOT / "fixtures"


def messages(explicit: str | None = None) -> list[bytes]:
    """Every .eml under the corpus directory, as bytes, in sorted order."""
    return [p.read_bytes() for p in sorted(corpus_dir(explicit).rglob("*.eml"))]
