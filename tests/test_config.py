"""Configuration errors: each is one line naming the key, and exit code 2."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bounced import config
from bounced.errors import ConfigError

CASES = [
    ("missing file", None, "config: "),
    ("bad TOML", "soft_limit = = 3\n", "config: "),
    ("unknown key", "sofft_limit = 3\n", "sofft_limit: unknown setting"),
    ("bad type", "soft_limit = 'three'\n", "soft_limit: expected a whole number"),
    ("bad list", "bounce_domains = 'x' \nbounce_domains2 = 1\n", "bounce_domains2: unknown setting"),
    ("bad choice", "smtp_forged_verp = 'drop'\n", "smtp_forged_verp: expected one of reject, accept"),
    ("unreadable secret", "verp_secret_file = '{tmp}/nope.key'\n", "verp_secret_file: cannot read"),
    ("short secret", "verp_secret_file = '{tmp}/short.key'\n", "verp_secret_file: the secret in"),
]


def _run(*args, env_config):
    return subprocess.run([sys.executable, "-m", "bounced", *args], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "BOUNCED_CONFIG": env_config})


@pytest.mark.parametrize(("name", "text", "message"), CASES, ids=[c[0] for c in CASES])
def test_config_check_names_the_key_and_exits_2(tmp_path, name, text, message):
    (tmp_path / "short.key").write_text("short")
    path = tmp_path / "bounced.toml"
    if text is not None:
        path.write_text(text.format(tmp=tmp_path))
    done = _run("config", "check", env_config=str(path))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert lines and all(line.startswith("Error: ") for line in lines)
    assert any(message in line for line in lines), done.stderr


def test_every_error_is_reported(tmp_path):
    path = tmp_path / "bounced.toml"
    path.write_text("soft_limit = 'x'\nnope = 1\nverp_secret_file = '/nonexistent/key'\n")
    done = _run("config", "check", env_config=str(path))
    assert done.returncode == 2
    assert [line.split(":")[1].strip() for line in done.stderr.strip().splitlines()] == [
        "soft_limit", "nope", "verp_secret_file"]


def test_other_commands_stop_at_the_first_error_with_exit_2(tmp_path):
    path = tmp_path / "bounced.toml"
    path.write_text("soft_window_days = -1\n")
    done = _run("suppressed", env_config=str(path))
    assert done.returncode == 2
    assert done.stderr == "Error: soft_window_days: expected a whole number, got -1\n"


def test_good_config_checks_ok(tmp_path):
    path = tmp_path / "bounced.toml"
    (tmp_path / "key").write_text("0123456789abcdef0123")
    path.write_text(f"soft_limit = 5\nverp_secret_file = '{tmp_path / 'key'}'\n")
    done = _run("config", "check", env_config=str(path))
    assert (done.returncode, done.stdout) == (0, f"ok: {path}\n")
    shown = _run("config", "show", env_config=str(path)).stdout
    assert "soft_limit = 5  # " in shown and 'listen = "127.0.0.1:2525"' in shown


def test_environment_overrides_and_is_checked():
    settings = config.load(environ={"BOUNCED_SOFT_LIMIT": "7"})
    assert settings.soft_limit == 7
    with pytest.raises(ConfigError, match="BOUNCED_SOFT_LIMIT"):
        config.load(environ={"BOUNCED_SOFT_LIMIT": "many"})
