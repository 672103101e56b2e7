"""`bounced report --html`: a deliverability dashboard, one self-contained page (inline SVG, no scripts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bounced.report import data
from bounced.report.data import Window
from bounced.store import Store, now


@dataclass(frozen=True)
class ReportData:
    generated_at: str
    window: Window
    headline: dict[str, Any] = field(default_factory=dict)
    per_day: dict[str, dict[str, int]] = field(default_factory=dict)
    domains: list[dict[str, Any]] = field(default_factory=list)
    storms: list[dict[str, Any]] = field(default_factory=list)
    suppressions: dict[str, dict[str, int]] = field(default_factory=dict)
    newest: list[dict[str, Any]] = field(default_factory=list)
    reasons: list[dict[str, Any]] = field(default_factory=list)
    diagnostics: list[dict[str, Any]] = field(default_factory=list)
    health: dict[str, Any] = field(default_factory=dict)


def gather(store: Store, days: int = 30, campaign: str | None = None, today: date | None = None,
           storm_window_minutes: int = 60) -> ReportData:
    """Every section's figures for the last ``days`` days (UTC, today included) and one campaign or all."""
    w = Window.ending_today(days, campaign, today)
    return ReportData(
        generated_at=now(), window=w, headline=data.headline(store, w), per_day=data.per_day(store, w),
        domains=data.domains(store, w), storms=data.storms(store, w, storm_window_minutes),
        suppressions=data.suppressions_per_day(store, w), newest=data.newest_suppressions(store, w),
        reasons=data.reasons_by_campaign(store, w), diagnostics=data.top_diagnostics(store, w),
        health=data.health(store, w),
    )


def render(report: ReportData) -> str:
    from bounced.report.page import render as _render

    return _render(report)


__all__ = ["ReportData", "Window", "gather", "render"]
