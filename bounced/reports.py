"""Questions asked of the store: campaign statistics, and reprocessing with a before/after comparison."""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bounced.config import Settings
from bounced.pipeline import Pipeline
from bounced.schema import campaign_rates_sql
from bounced.store import Store


def stats_rows(store: Store, campaign: str | None = None, since: str | None = None) -> list[dict[str, Any]]:
    where, params = ["1"], []
    if campaign:
        where.append("s.campaign = ?")
        params.append(campaign)
    if since:
        where.append("s.sent_at >= ?")
        params.append(since)
    rows = store.query(campaign_rates_sql(" AND ".join(where)),
        params,
    )
    for row in rows:
        row["hard_rate"] = round(row["hard"] / row["sent"], 4) if row["sent"] else 0.0
        row["soft_rate"] = round(row["soft"] / row["sent"], 4) if row["sent"] else 0.0
    return rows


@dataclass(frozen=True)
class Reprocessed:
    messages: int
    changed: list[tuple[str, str, str]]


_WHERE = {
    "all": "1",
    "failed": "state IN ('failed', 'stored')",  # stored: its processing was cut short
    "orphans": "id IN (SELECT raw_id FROM events WHERE correlation IN ('orphan', 'stranger', 'foreign'))",
}


def reprocess(settings: Settings, which: str, dry_run: bool = False,
              each: Callable[[list[int]], Iterable[int]] = iter) -> Reprocessed:
    """Re-run the pipeline over stored messages; with dry_run, on a copy of the database.
    ``each`` walks the ids (a progress bar wraps them)."""
    path = settings.database_path()
    if dry_run:
        tmpdir = tempfile.mkdtemp(prefix="bounced-dry-run-")
        copy = Path(tmpdir) / "copy.db"
        src = sqlite3.connect(path)
        dst = sqlite3.connect(copy)
        src.backup(dst)
        src.close()
        dst.close()
        try:
            return _reprocess(Store(path), Store(copy), dataclasses.replace(settings, database=str(copy)), which, each)
        finally:
            shutil.rmtree(tmpdir, ignore_errors=True)
    store = Store(path)
    return _reprocess(store, store, settings, which, each)


def _reprocess(original: Store, target: Store, settings: Settings, which: str,
               each: Callable[[list[int]], Iterable[int]] = iter) -> Reprocessed:
    before = {r["address"]: r["state"] for r in original.query("SELECT address, state FROM addresses")}
    pipeline = Pipeline(target, settings)
    ids = target.raw_ids(_WHERE[which])
    for raw_id in each(ids):
        pipeline.process(raw_id)
    after = {r["address"]: r["state"] for r in target.query("SELECT address, state FROM addresses")}
    changed = [(a, before.get(a, "none"), after.get(a, "none")) for a in sorted(set(before) | set(after))
               if before.get(a, "none") != after.get(a, "none")]
    return Reprocessed(len(ids), changed)
