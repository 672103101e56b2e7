"""Every module the package imports is the standard library's, the package's own, or a declared dependency."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _name(requirement: str) -> str:
    """A requirement's distribution name, normalised as PEP 503 does."""
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9_.-]+", requirement).group(0)).lower()


def imported(package: Path) -> dict[str, set[str]]:
    """Top-level names of the absolute imports in every module under ``package``, with the files importing each."""
    found: dict[str, set[str]] = {}
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], set()).add(path.name)
    return found


def third_party(found: dict[str, set[str]]) -> dict[str, set[str]]:
    return {name: files for name, files in found.items()
            if name not in sys.stdlib_module_names and name not in ("bounced", "__future__")}


def test_every_import_of_the_package_is_a_declared_dependency():
    declared = {_name(r) for r in PYPROJECT["project"]["dependencies"]}
    distributions = importlib.metadata.packages_distributions()
    missing = {}
    for name, files in third_party(imported(ROOT / "bounced")).items():
        dists = {_name(d) for d in distributions.get(name, [name])}
        if not dists & declared:
            missing[name] = sorted(files)
    assert missing == {}, f"imported but not in [project] dependencies: {missing}"


def test_every_declared_dependency_is_imported():
    distributions = importlib.metadata.packages_distributions()
    used = {_name(d) for name in third_party(imported(ROOT / "bounced")) for d in distributions.get(name, [name])}
    assert {_name(r) for r in PYPROJECT["project"]["dependencies"]} - used == set()


def test_datasette_is_an_extra_not_a_dependency():
    assert [_name(r) for r in PYPROJECT["project"]["optional-dependencies"]["datasette"]] == ["datasette"]
    assert "datasette" not in {_name(r) for r in PYPROJECT["project"]["dependencies"]}


def test_the_check_sees_an_undeclared_import(tmp_path):
    """The walk finds what a module imports, in every form, and leaves the standard library out."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "m.py").write_text("import os, yaml.loader\nfrom requests import get\nfrom . import sibling\n"
                                  "def f():\n    import tabulate\n")
    assert sorted(third_party(imported(package))) == ["requests", "tabulate", "yaml"]
