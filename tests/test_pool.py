"""`bounced parse` on several processes: the same output, in the same order, as on one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bounced.parse.pool import render_all

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _upper(source: str, data: bytes) -> str:
    return f"{source}:{len(data)}\n"


def test_small_inputs_stay_in_this_process():
    messages = [(f"m{i}", b"x" * i) for i in range(10)]
    assert list(render_all(iter(messages), _upper, jobs=4)) == [f"m{i}:{i}\n" for i in range(10)]


def test_pooled_results_come_back_in_input_order():
    messages = [(f"m{i}", b"x" * (i % 7)) for i in range(500)]
    out = list(render_all(iter(messages), _upper, jobs=2, min_messages=8))
    assert out == [f"m{i}:{i % 7}\n" for i in range(500)]


@pytest.fixture
def many(tmp_path):
    """A directory of 150 distinct messages made from the fixtures."""
    sources = sorted(p for p in FIXTURES.rglob("*.eml") if p.stat().st_size)
    for n in range(150):
        data = sources[n % len(sources)].read_bytes()
        (tmp_path / f"{n:04d}.eml").write_bytes(data + b"\ncopy %d\n" % n)
    return tmp_path


@pytest.mark.parametrize("fmt", [["--json"], []], ids=["json", "table"])
def test_parse_on_two_processes_writes_what_one_writes(many, fmt, tmp_path_factory):
    env_config = tmp_path_factory.mktemp("cfg") / "bounced.toml"
    env_config.write_text(f'database = "{env_config.parent / "unused.db"}"\n')

    def run(jobs: str) -> str:
        done = subprocess.run([sys.executable, "-m", "bounced", "parse", *fmt, "--jobs", jobs, str(many)],
                              capture_output=True, text=True, check=True, env={"BOUNCED_CONFIG": str(env_config), "PATH": ""})
        return done.stdout

    one, two = run("1"), run("2")
    assert one == two
    lines = one.splitlines()
    if fmt:
        assert len(lines) == 150 and all(line.startswith("{") for line in lines)
        assert [line.split('"source": "', 1)[1].split('"', 1)[0].rsplit("/", 1)[-1] for line in lines] == [f"{n:04d}.eml" for n in range(150)]
    else:
        assert lines[0].startswith("source\t") and len(lines) > 150


_PARENT = os.getpid()


def _dies_in_a_worker(source: str, data: bytes) -> str:
    if source == "m77" and os.getpid() != _PARENT:
        os._exit(3)  # a worker killed mid-chunk (the OOM killer, a signal)
    return f"{source}\n"


def test_a_worker_that_dies_loses_nothing():
    messages = [(f"m{i}", b"") for i in range(300)]
    assert list(render_all(iter(messages), _dies_in_a_worker, jobs=2, min_messages=8)) == [f"m{i}\n" for i in range(300)]
