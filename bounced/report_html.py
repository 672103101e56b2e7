"""`bounced report --html`: the page lives in bounced.report; this name is kept for callers."""

from __future__ import annotations

from bounced.report import ReportData, gather, render

__all__ = ["ReportData", "gather", "render"]
