"""A fixed-seed sample of bench/fuzz.py: damaged copies of every fixture (byte flips in headers and
bodies, cuts at every boundary line and at random, bad encoded words, overlong, duplicated and
8-bit headers, broken Content-Type parameters).

No exception escapes parse_message; every result keeps spec/parse-output.md; and no message whose
delivery-status part is intact (bench.fuzz.intact: the standard library's parser still finds the
part, with its fields unchanged) comes out unknown.  `python -m bench.fuzz` runs the full set.
"""

from __future__ import annotations

import json
import random

import pytest
from click.testing import CliRunner

from bench import fuzz
from bench import fuzz_mutations as mutations
from bounced.cli import cli

SEED = 11
PER_FIXTURE = 8  # each mutation kind once per fixture, besides every boundary cut


@pytest.fixture(scope="module")
def report() -> fuzz.Report:
    return fuzz.run(SEED, PER_FIXTURE)


def _failures(report: fuzz.Report, what: str) -> list[str]:
    return [f"{name}: {problem}" for name, problem, _ in report.failures if what in problem][:20]


def test_the_sample_covers_every_mutation_and_many_intact_reports(report):
    assert set(report.kinds) == set(mutations.MUTATIONS) | {mutations.BOUNDARY_CUT}
    assert report.fixtures >= 150
    total = report.total()
    assert total.mutants >= 2000
    assert total.intact >= total.mutants // 3  # the check below is about many messages, not a few
    assert all(t.intact > 0 for t in report.kinds.values())


def test_no_exception_escapes_parse_message(report):
    assert report.total().exceptions == 0, _failures(report, "raised")


def test_every_result_keeps_the_output_contract(report):
    assert report.total().violations == 0, [f for f in _failures(report, "") if "unknown with the report" not in f]


def test_no_message_with_an_intact_report_is_unknown(report):
    assert report.total().intact_unknown == 0, _failures(report, "unknown with the report intact")


def test_one_json_line_per_message_from_the_command(tmp_path):
    """`bounced parse --json DIR` over a few hundred mutants: one object each, in order, and exit 0."""
    written = []
    for n, path in enumerate(fuzz.fixtures()[::8]):  # n: fixtures/x.eml and fixtures/real/x.eml differ
        data = path.read_bytes()
        for i, (_, mutant) in enumerate(mutations.mutants(data, SEED, PER_FIXTURE, path.name)):
            file = tmp_path / f"{n:03d}-{path.stem}-{i:03d}.eml"
            file.write_bytes(mutant)
            written.append(file)
    result = CliRunner().invoke(cli, ["parse", "--json", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert [json.loads(line)["source"] for line in lines] == [str(f) for f in sorted(written)]


# -- the harness's own definitions -------------------------------------------------------------------

POSTFIX_01 = fuzz.ROOT / "fixtures" / "postfix-01.eml"


def test_intact_means_the_delivery_status_fields_are_unchanged():
    data = POSTFIX_01.read_bytes()
    original = fuzz.dsn_parts(data)
    assert len(original) == 1
    assert fuzz.intact(original, data)
    assert fuzz.intact(original, data.replace(b"Subject: Undelivered", b"Subject: =?utf-8?b?A?= Undelivered"))
    assert not fuzz.intact(original, data.replace(b"Action: failed", b"Action: fai\xffed"))
    assert not fuzz.intact(original, data.replace(b"Content-Type: message/delivery-status", b"Content-Type: text/plain"))
    cut = data.index(b"Content-Type: message/delivery-status")
    assert not fuzz.intact(original, data[:cut])
    assert not fuzz.intact(set(), data)  # a message without a report has nothing to keep


def test_boundary_cuts_are_before_and_after_every_boundary_line():
    data = POSTFIX_01.read_bytes()
    lines = mutations.boundary_lines(data)
    assert len(lines) == 4  # three parts and the closing line
    cuts = mutations.truncations_at_boundaries(data)
    assert len(cuts) == 2 * len(lines) - (lines[-1][1] == len(data))
    assert all(data.startswith(cut) for cut in cuts)


@pytest.mark.parametrize("kind", sorted(mutations.MUTATIONS))
def test_each_mutation_changes_the_message_and_is_reproducible(kind):
    data = POSTFIX_01.read_bytes()
    first = mutations.MUTATIONS[kind](random.Random(SEED), data)
    assert first != data
    assert mutations.MUTATIONS[kind](random.Random(SEED), data) == first
