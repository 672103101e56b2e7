"""The report page: sections in HTML around the SVG charts; styles inline, for the screen and for print."""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from bounced.report.svg import Band, Series, sparkline, stacked_bars

if TYPE_CHECKING:
    from bounced.report import ReportData

# What the large mailbox providers hold bulk senders to (Google's and Yahoo's sender guidelines
# for complaints; a hard-bounce rate above 2 % is the common warning line of ESPs).
HARD_LIMIT, COMPLAINT_LIMIT = 0.02, 0.003
EVENTS = (Series("hard", "hard bounce", "#b03a2e"), Series("soft", "soft bounce", "#e67e22"),
          Series("delay", "delay (not a failure)", "#d4ac0d"), Series("complaint", "complaint", "#7d3c98"),
          Series("storm", "storm rejection (not counted)", "#95a5a6"))
TIERS = (Series("hard", "hard", "#b03a2e"), Series("soft", "soft (limit reached)", "#e67e22"),
         Series("complaint", "complaint", "#7d3c98"), Series("manual", "manual", "#2c3e50"),
         Series("lapsed", "lapsed", "#17a589"))
WEEKLY_FROM = 45  # days: longer windows get weekly charts as well

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:1.5em auto;padding:0 1em;color:#222;max-width:900px}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.15em;margin:1.8em 0 .4em;border-bottom:1px solid #ccc}
.meta{color:#555;margin-top:0}.note{color:#555;font-size:.9em}
table{border-collapse:collapse;font-size:.92em}td,th{padding:.2em .7em;border-bottom:1px solid #e3e3e3;text-align:left;vertical-align:middle}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}td.over{color:#b03a2e;font-weight:600}
.cards{display:flex;flex-wrap:wrap;gap:.6em}.card{border:1px solid #ddd;border-radius:4px;padding:.4em .8em;min-width:8.5em}
.card b{display:block;font-size:1.5em;font-variant-numeric:tabular-nums}.card small{color:#555}
.card.over{border-color:#b03a2e;background:#fdedec}.card.over small{color:#b03a2e;font-weight:600}
svg.chart{width:100%;max-width:860px;height:auto;display:block}
svg text{font:11px system-ui,sans-serif;fill:#333}svg .axis-title{fill:#555}
svg .grid{stroke:#e5e5e5}svg .axis{stroke:#555}svg .storm-band{fill:#5dade2;fill-opacity:.18}
svg.spark polyline{fill:none;stroke:#b03a2e;stroke-width:1.5}svg.spark circle{fill:#b03a2e}
svg.spark .threshold{stroke:#aaa;stroke-dasharray:2 2}
td[data-col$="_at"]{white-space:nowrap}.diag{max-width:34em;overflow-wrap:anywhere;font-family:ui-monospace,monospace;font-size:.9em}
section{break-inside:avoid}
@media print{body{margin:0;max-width:none;font-size:11pt}h2{break-after:avoid}a{color:inherit}}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def when(iso: str | None) -> str:
    """An ISO-8601 UTC time as the page shows it: to the minute (the page says UTC once)."""
    return "" if not iso else iso[:16].replace("T", " ")


def pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.2f} %"


def _cell(value: Any, col: str, over: bool = False) -> str:
    num = isinstance(value, (int, float)) and not isinstance(value, bool)
    cls = " ".join(c for c in ("n" if num else "", "over" if over else "") if c)
    return f'<td class="{cls}" data-col="{col}">{_e("" if value is None else value)}</td>'


def table(rows: list[dict[str, Any]], columns: list[tuple[str, str]], table_id: str,
          over: dict[str, float] | None = None) -> str:
    """Rows as a table; a column named in ``over`` is marked where its raw value passes the limit."""
    if not rows:
        return f'<p id="{table_id}" class="note">None in this period.</p>'
    head = "".join(f"<th>{_e(t)}</th>" for _, t in columns)
    body = []
    for r in rows:
        cells = []
        for key, _ in columns:
            limit = (over or {}).get(key)
            raw = r.get(f"{key}_raw", r.get(key))
            cells.append(r[f"{key}_html"] if f"{key}_html" in r else
                         _cell(r.get(key), key, limit is not None and raw is not None and raw > limit))
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _card(key: str, label: str, value: str, note: str = "", over: bool = False) -> str:
    return (f'<div class="card{" over" if over else ""}" id="card-{key}">{_e(label)}<b id="total-{key}">{_e(value)}</b>'
            f'<small>{_e(note)}</small></div>')


def headline(h: dict[str, Any]) -> str:
    hard_over = h["hard_rate"] is not None and h["hard_rate"] > HARD_LIMIT
    complaint_over = h["complaint_rate"] is not None and h["complaint_rate"] > COMPLAINT_LIMIT
    ev = h["events"]
    return '<div class="cards">' + "".join([
        _card("sent", "sent", f"{h['sent']:,}", "registered sends"),
        _card("delivered", "delivered", "—" if h["delivered"] is None else f"{h['delivered']:,}", "sent − bounced"),
        _card("hard-rate", "hard-bounce rate", pct(h["hard_rate"]),
              f"above {pct(HARD_LIMIT)}" if hard_over else f"limit {pct(HARD_LIMIT)}", hard_over),
        _card("soft-rate", "soft-bounce rate", pct(h["soft_rate"]), f"{h['soft']:,} sends"),
        _card("complaint-rate", "complaint rate", pct(h["complaint_rate"]),
              f"above {pct(COMPLAINT_LIMIT)}" if complaint_over else f"limit {pct(COMPLAINT_LIMIT)}", complaint_over),
        _card("hard", "hard bounces", f"{ev.get('hard', 0):,}", "events, all reports"),
        _card("soft", "soft bounces", f"{ev.get('soft', 0):,}", "events, storms apart"),
        _card("storm", "storm rejections", f"{ev.get('storm', 0):,}", "counted against no one"),
    ]) + "</div>"


def weeks(per_day: dict[str, dict[str, int]]) -> tuple[list[str], list[dict[str, int]]]:
    """Day buckets summed into weeks starting on Monday (the first may begin before the window)."""
    sums: dict[str, Counter[str]] = {}
    for day, values in per_day.items():
        d = date.fromisoformat(day)
        monday = (d - timedelta(d.weekday())).isoformat()
        sums.setdefault(monday, Counter()).update(values)
    return list(sums), [dict(c) for c in sums.values()]


def time_charts(chart_id: str, per_day: dict[str, dict[str, int]], series: tuple[Series, ...], unit: str,
                bands: list[Band], daily: bool = True) -> str:
    out = ""
    if daily:
        out += stacked_bars(chart_id, list(per_day), list(per_day.values()), series, 1, bands, unit)
    if len(per_day) > WEEKLY_FROM or not daily:
        starts, values = weeks(per_day)
        out += stacked_bars(f"{chart_id}-weekly", starts, values, series, 7, bands, unit)
    return out


def reasons_table(rows: list[dict[str, Any]]) -> str:
    """Campaigns down, the most frequent reasons across (the rest summed as 'other')."""
    totals: Counter[str] = Counter()
    cells: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        totals[r["reason"]] += r["n"]
        cells[r["campaign"] or "(no send matched)"][r["reason"]] += r["n"]
    top = [reason for reason, _ in totals.most_common(7)]
    out = []
    for campaign, counts in sorted(cells.items()):
        row: dict[str, Any] = {"campaign": campaign, **{t: counts.get(t, 0) for t in top}}
        row["other"] = sum(n for reason, n in counts.items() if reason not in top)
        row["total"] = sum(counts.values())
        out.append(row)
    return table(out, [("campaign", "campaign"), *((t, t) for t in top), ("other", "other"), ("total", "total")],
                 "reasons-by-campaign")


def render(report: ReportData) -> str:
    w, h = report.window, report.headline
    scope = f"campaign <b>{_e(w.campaign)}</b>" if w.campaign is not None else "all campaigns"
    bands = [Band(s["first_at"], s["last_at"], f"storm at {s['domain']}: {s['count']} rejections") for s in report.storms]
    domains = [{**d, "hard_rate": pct(d["hard_rate"]), "hard_rate_raw": d["hard_rate"], "soft_rate": pct(d["soft_rate"]),
                "complaint_rate": pct(d["complaint_rate"]), "complaint_rate_raw": d["complaint_rate"],
                "trend_html": f'<td data-col="trend">{sparkline(d["trend"])}</td>'} for d in report.domains]
    storms = [{**s, "first_at": when(s["first_at"]), "last_at": when(s["last_at"])} for s in report.storms]
    newest = [{**n, "suppressed_at": when(n["suppressed_at"])} for n in report.newest]
    hl = report.health
    health_rows = [
        {"what": "backlog (received, not yet processed)", "value": hl["backlog"], "since": when(hl["backlog_oldest"])},
        {"what": "failed parses (kept for bounced reprocess)", "value": hl["failed"], "since": w.since},
        {"what": "messages not understood", "value": hl["unknown"], "since": w.since},
        {"what": "forged VERP tokens", "value": hl["forged"], "since": w.since},
        {"what": "messages received", "value": hl["received"], "since": w.since},
        {"what": "last message received", "value": when(hl["last_received"]) or "never", "since": ""},
    ]
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>bounced report {w.first} to {w.last}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{_CSS}</style></head><body>
<h1>Deliverability report</h1>
<p class="meta" id="scope">{_e(w.first)} to {_e(w.last)} ({len(w.days())} days), {scope}. All dates and times UTC.
Generated {_e(report.generated_at)}.</p>
<section id="headline"><h2>At a glance</h2>{headline(h)}
<p class="note">Rates are per send registered in the period; each send counts once (hard before soft).</p></section>
<section id="bounces"><h2>Bounces per day</h2>{time_charts("per-day", report.per_day, EVENTS, "events", bands)}
<p class="note">By the day the report arrived; weeks start on Monday, so the first and the last may be partial.
Shaded: storms, many policy rejections from one domain, counted against no one.</p></section>
<section id="domains"><h2>Receiving domains</h2>
{table(domains, [("domain", "domain"), ("sent", "sent"), ("hard", "hard"), ("soft", "soft"), ("hard_rate", "hard %"), ("soft_rate", "soft %"), ("complaint_rate", "complaint %"), ("trend", "failure rate per week")], "domains", {"hard_rate": HARD_LIMIT, "complaint_rate": COMPLAINT_LIMIT})}
<p class="note">The domains with the most sends; the line is hard and soft failures per send, week by week, each on its own scale.</p></section>
<section id="storms"><h2>Storms</h2>{table(storms, [("domain", "domain"), ("first_at", "from"), ("last_at", "to"), ("count", "rejections"), ("reasons", "reasons"), ("state", "state")], "storm-table")}</section>
<section id="suppressions"><h2>Suppressions</h2>{time_charts("suppressions-chart", report.suppressions, TIERS, "suppressions", [], len(report.suppressions) <= WEEKLY_FROM)}
<p class="note">From the audit trail. Tiers are derived: manual when a person suppressed, otherwise from the rule that
fired; lapsed suppressions appear once they are recorded.</p>
<h3>Newest</h3>{table(newest, [("suppressed_at", "suppressed at"), ("address", "address"), ("tier", "tier"), ("rule", "rule"), ("why", "why")], "newest-suppressions")}</section>
<section id="reasons"><h2>Reasons by campaign</h2>{reasons_table(report.reasons)}</section>
<section id="diagnostics"><h2>Top diagnostics</h2>{table([{**d, "diagnostic_html": f'<td class="diag" data-col="diagnostic">{_e(d["diagnostic"])}</td>'} for d in report.diagnostics], [("events", "events"), ("class", "class"), ("reason", "reason"), ("domains", "domains"), ("diagnostic", "diagnostic (addresses replaced)")], "diagnostics")}</section>
<section id="health"><h2>bounced's own health</h2>{table(health_rows, [("what", "measure"), ("value", "value"), ("since", "since")], "health-table")}
<p class="note">The whole service, whatever the campaign.</p></section>
</body></html>
"""
