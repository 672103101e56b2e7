"""Detectors for MTAs that write their own report formats, one module each.

Every module here defines DETECTOR (a Detector) and PRIORITY (lower runs first; modules that
recognise a message by a sure sign such as a header run before those that read wording).
ORDER is built from them, so adding a format is adding a module.
"""

from __future__ import annotations

import importlib
import pkgutil

from bounced.parse.registry import Detector


def _load() -> list[Detector]:
    modules = [importlib.import_module(f"{__name__}.{info.name}") for info in pkgutil.iter_modules(__path__)]
    modules.sort(key=lambda m: (getattr(m, "PRIORITY", 50), m.__name__))
    return [m.DETECTOR for m in modules]


ORDER: list[Detector] = _load()
