"""`bounced metrics`: the Prometheus text format from a real database, and the atomic textfile."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from prometheus_client.parser import text_string_to_metric_families

import mkmail
from bounced.cli import cli
from bounced.config import Settings
from bounced.metrics import render
from bounced.pipeline import Pipeline
from bounced.sending import Sender
from bounced.store import Store

BLOCKED = "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org"


@pytest.fixture
def settings(tmp_path):
    (tmp_path / "key").write_text("0123456789abcdef0123456789abcdef")
    return Settings(database=str(tmp_path / "b.db"), bounce_domains=("bounce.example.com",),
                    verp_secret_file=str(tmp_path / "key"), storm_threshold=3)


def _traffic(settings):
    """Two hard bounces to registered sends, an orphan, a storm of three, a non-bounce, one left unprocessed."""
    store = Store(settings.database)
    sender = Sender(store, settings)
    pipeline = Pipeline(store, settings)
    for user in ("a", "b"):
        path = sender.register(f"<{user}-1@sender.example.com>", f"{user}@example.org")
        pipeline.ingest(mkmail.dsn(f"{user}@example.org", message_id=f"<{user}-1@sender.example.com>", envelope_to=path), "t")
    pipeline.ingest(mkmail.dsn("who@example.net", message_id=None), "t")
    for i in range(3):
        pipeline.ingest(mkmail.dsn(f"u{i}@blocky.example", status="5.7.1", diagnostic=BLOCKED, message_id=None), "t")
    pipeline.ingest(b"From: someone@example.com\nSubject: hello\n\nJust a note.\n", "t")
    store.store_raw(mkmail.dsn("later@example.org"), "t")
    store.conn.execute("UPDATE raw_messages SET received_at = ?, parsed_at = ? WHERE id = 1",
                       ("2026-11-20T11:30:00+00:00", "2026-11-20T11:30:04+00:00"))
    store.conn.execute("UPDATE raw_messages SET received_at = ?, parsed_at = ? WHERE id = 2",
                       ("2026-11-20T11:40:00+00:00", "2026-11-20T11:40:02+00:00"))
    store.conn.execute("UPDATE raw_messages SET received_at = ?, parsed_at = NULL WHERE state = 'stored'",
                       ("2026-11-20T11:59:00+00:00",))
    store.conn.execute("UPDATE raw_messages SET received_at = ?, parsed_at = ? WHERE id BETWEEN 3 AND 7",
                       ("2026-11-20T09:00:00+00:00", "2026-11-20T09:00:30+00:00"))  # out of the delay's hour
    store.conn.execute("UPDATE storms SET last_at = ?", ("2026-11-20T11:30:00+00:00",))
    store.close()


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def test_metrics_from_the_database(settings):
    _traffic(settings)
    text = render(settings, now=datetime(2026, 11, 20, 12, 0, tzinfo=UTC)).decode()
    samples = _samples(text)
    size = samples.pop(("bounced_database_size_bytes", ()))
    assert size == os.path.getsize(settings.database) + (os.path.getsize(settings.database + "-wal")
                                                         if os.path.exists(settings.database + "-wal") else 0)
    assert samples == {
        ("bounced_messages_received_total", ()): 8,
        ("bounced_messages_processed_total", ()): 7,
        ("bounced_messages", (("state", "duplicate"),)): 0,
        ("bounced_messages", (("state", "failed"),)): 0,
        ("bounced_messages", (("state", "parsed"),)): 6,
        ("bounced_messages", (("state", "stored"),)): 1,
        ("bounced_messages", (("state", "unknown"),)): 1,
        ("bounced_backlog_messages", ()): 1,
        ("bounced_backlog_oldest_age_seconds", ()): 60,
        ("bounced_last_received_timestamp_seconds", ()): datetime(2026, 11, 20, 11, 59, tzinfo=UTC).timestamp(),
        ("bounced_events_total", (("bounce_type", "hard"), ("kind", "bounce"), ("reason", "userunknown"))): 3,
        ("bounced_events_total", (("bounce_type", "soft"), ("kind", "bounce"), ("reason", "blocked"))): 3,
        ("bounced_events_not_counted_total", (("why", "orphan"),)): 1,  # the storm's three are storm
        ("bounced_events_not_counted_total", (("why", "storm"),)): 3,
        ("bounced_suppressed_addresses", ()): 2,
        ("bounced_suppressions_total", ()): 2,
        ("bounced_storms_total", ()): 1,
        ("bounced_storms_active", ()): 1,
        ("bounced_processing_delay_seconds", (("stat", "mean"),)): 3.0,
        ("bounced_processing_delay_seconds", (("stat", "max"),)): 4.0,
    }
    assert "# TYPE bounced_events_total counter" in text and "# TYPE bounced_backlog_messages gauge" in text


def test_an_empty_database(settings):
    Store(settings.database).close()
    samples = _samples(render(settings).decode())
    assert samples[("bounced_messages_received_total", ())] == 0
    assert samples[("bounced_last_received_timestamp_seconds", ())] == 0
    assert samples[("bounced_processing_delay_seconds", (("stat", "max"),))] == 0
    assert not any(name == "bounced_events_total" for name, _ in samples)


def _run(settings, *args):
    return CliRunner().invoke(cli, ["metrics", "--db", settings.database, *args])


def test_textfile_is_replaced_atomically(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("BOUNCED_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text(f'verp_secret_file = "{tmp_path / "key"}"\n')
    _traffic(settings)
    out = tmp_path / "textfile"
    out.mkdir()
    (out / "bounced.prom").write_text("old\n")
    printed = _run(settings)
    assert printed.exit_code == 0
    written = _run(settings, "--textfile", str(out / "bounced.prom"))
    assert (written.exit_code, written.output) == (0, "")
    assert [p.name for p in out.iterdir()] == ["bounced.prom"]  # no temporary file left
    assert stat.S_IMODE((out / "bounced.prom").stat().st_mode) == 0o644
    strip = lambda text: [line for line in text.splitlines() if "oldest_age" not in line and "size_bytes" not in line]  # noqa: E731
    assert strip((out / "bounced.prom").read_text()) == strip(printed.output)


def test_a_missing_database_or_directory_is_one_line(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("BOUNCED_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("")
    missing = _run(settings)
    assert (missing.exit_code, missing.output) == (1, f"Error: metrics: {settings.database}: no such database\n")
    Store(settings.database).close()
    nodir = _run(settings, "--textfile", str(tmp_path / "no" / "bounced.prom"))
    assert nodir.exit_code == 1 and nodir.output.startswith("Error: metrics: ") and len(nodir.output.splitlines()) == 1
    assert not (tmp_path / "no").exists()


def test_metrics_are_cheap_to_import():
    """`bounced parse` must not pay for prometheus_client: the CLI imports it only for `metrics`."""
    import subprocess
    import sys

    code = "import sys, bounced.cli; print('prometheus_client' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"



def test_served_on_a_port_each_scrape_reads_the_database(settings, tmp_path):
    import signal
    import subprocess
    import sys
    import urllib.request

    from ports import free_port, listening

    _traffic(settings)
    port = free_port()
    cfg = tmp_path / "bounced.toml"
    cfg.write_text(f'database = "{settings.database}"\n')
    proc = subprocess.Popen([sys.executable, "-m", "bounced", "metrics", "--listen", f"127.0.0.1:{port}"],
                            env={**os.environ, "BOUNCED_CONFIG": str(cfg)}, stderr=subprocess.PIPE)
    try:
        assert listening(port), proc.stderr.read() if proc.poll() is not None else "not listening"

        def scrape():
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
                return _samples(response.read().decode())

        first = scrape()
        assert first[("bounced_messages_received_total", ())] == 8
        assert first[("bounced_backlog_messages", ())] == 1
        store = Store(settings.database)
        store.store_raw(mkmail.dsn("more@example.org"), "t")
        store.close()
        second = scrape()
        assert (second[("bounced_messages_received_total", ())], second[("bounced_backlog_messages", ())]) == (9, 2)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()


def test_serving_a_missing_database_fails_at_once(tmp_path, monkeypatch):
    monkeypatch.setenv("BOUNCED_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("")
    result = CliRunner().invoke(cli, ["metrics", "--db", str(tmp_path / "gone.db"), "--listen", "127.0.0.1:1"])
    assert (result.exit_code, result.output) == (1, f"Error: metrics: {tmp_path / 'gone.db'}: no such database\n")
