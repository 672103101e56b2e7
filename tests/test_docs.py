"""The docs tell the truth: every setting is in the README and the example config, and __all__ is honest."""

from __future__ import annotations

import tomllib
from pathlib import Path

import bounced
from bounced import config

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented():
    readme = (ROOT / "README.md").read_text()
    example = tomllib.loads((ROOT / "bounced.example.toml").read_text())
    for setting in config.SETTINGS:
        assert f"`{setting.name}`" in readme, setting.name
        assert setting.name in example, setting.name
        assert example[setting.name] == (setting.default if setting.example is None else setting.example), setting.name
        assert setting.help


def test_settings_table_matches_the_dataclass():
    defaults = config.Settings()
    for setting in config.SETTINGS:
        value = getattr(defaults, setting.name)
        assert value == (tuple(setting.default) if isinstance(setting.default, list) else setting.default), setting.name


def test_all_is_honest():
    for name in bounced.__all__:
        assert getattr(bounced, name) is not None
