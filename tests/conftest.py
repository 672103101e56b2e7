"""Fixtures shared by the tests that stream reports through the pipeline on a real SQLite file.

``settings``: a bounce domain and a private (0600) VERP secret; ``store``: the database they name.
A test module that needs other settings defines its own fixtures of these names, which win."""

from __future__ import annotations

import pytest

from bounced.config import Settings
from bounced.store import Store


@pytest.fixture
def settings(tmp_path):
    secret = tmp_path / "verp.key"
    secret.write_text("a-test-secret-of-enough-length-0123456789\n")
    secret.chmod(0o600)
    return Settings(database=str(tmp_path / "bounced.db"), bounce_domains=("bounce.example.com",), verp_secret_file=str(secret))


@pytest.fixture
def store(settings):
    s = Store(settings.database_path())
    yield s
    s.close()
