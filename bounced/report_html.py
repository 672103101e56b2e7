"""`bounced report --html`: one self-contained page (inline SVG, no scripts, nothing fetched)."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from bounced.reports import stats_rows
from bounced.store import Store, now


@dataclass(frozen=True)
class ReportData:
    generated_at: str
    days: list[dict[str, Any]] = field(default_factory=list)  # day, hard, soft, other, sent, rate
    reasons: list[dict[str, Any]] = field(default_factory=list)  # reason, bounce_type, events
    campaigns: list[dict[str, Any]] = field(default_factory=list)
    domains: list[dict[str, Any]] = field(default_factory=list)  # domain, failures, addresses
    storms: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)


def gather(store: Store, days: int = 30) -> ReportData:
    per_day = store.query(
        "SELECT substr(report_at, 1, 10) AS day, sum(bounce_type = 'hard') AS hard, sum(bounce_type = 'soft') AS soft,"
        " sum(bounce_type NOT IN ('hard', 'soft')) AS other FROM events GROUP BY day ORDER BY day DESC LIMIT ?", [days])
    sent = {r["day"]: r["sent"] for r in store.query(
        "SELECT substr(sent_at, 1, 10) AS day, count(*) AS sent FROM sent GROUP BY day")}
    day_rows = []
    for row in reversed(per_day):
        n = sent.get(row["day"], 0)
        failures = row["hard"] + row["soft"]
        day_rows.append({**row, "sent": n, "rate": round(failures / n, 4) if n else None})
    totals = store.query(
        "SELECT count(*) AS events, sum(bounce_type = 'hard') AS hard, sum(bounce_type = 'soft') AS soft,"
        " sum(kind = 'feedback') AS complaints, (SELECT count(*) FROM addresses WHERE state = 'suppressed') AS suppressed"
        " FROM events")[0]
    return ReportData(
        generated_at=now(),
        days=day_rows,
        reasons=store.query("SELECT reason, bounce_type, events FROM bounces_per_reason"),
        campaigns=stats_rows(store),
        domains=store.query(
            "SELECT domain, count(*) AS failures, count(DISTINCT address) AS addresses FROM events"
            " WHERE bounce_type IN ('hard', 'soft') GROUP BY domain ORDER BY failures DESC, domain LIMIT 15"),
        storms=store.query("SELECT domain, first_at, last_at, count FROM storms ORDER BY first_at DESC LIMIT 20"),
        totals={k: int(v or 0) for k, v in totals.items()},
    )


_COLORS = {"hard": "#c0392b", "soft": "#e67e22", "other": "#7f8c8d", "none": "#7f8c8d"}
_CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:1100px}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em}
table{border-collapse:collapse}td,th{padding:.25em .8em;border-bottom:1px solid #ddd;text-align:left}
td.n,th.n{text-align:right}.tot span{display:inline-block;margin-right:2em}.tot b{font-size:1.6em;display:block}
svg text{font:11px sans-serif;fill:#333}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def day_chart(days: list[dict[str, Any]]) -> str:
    """Stacked bars of hard/soft/other events per day, with the failure rate where sends are known."""
    if not days:
        return "<p>No events yet.</p>"
    width, height, pad = 900, 220, 30
    top = max(d["hard"] + d["soft"] + d["other"] for d in days) or 1
    step = min((width - 2 * pad) / len(days), 48.0)
    parts = [f'<svg id="per-day" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 40}" role="img">']
    for i, d in enumerate(days):
        x = pad + i * step
        y = pad + height - pad
        for kind in ("hard", "soft", "other"):
            h = (height - 2 * pad) * d[kind] / top
            if d[kind]:
                y -= h
                parts.append(f'<rect class="bar {kind}" data-day="{_e(d["day"])}" data-kind="{kind}" data-count="{d[kind]}"'
                             f' x="{x:.1f}" y="{y:.1f}" width="{max(step - 2, 1):.1f}" height="{h:.1f}" fill="{_COLORS[kind]}">'
                             f'<title>{_e(d["day"])}: {d[kind]} {kind}</title></rect>')
        rate = f" · {d['rate'] * 100:.1f}%" if d["rate"] is not None else ""
        parts.append(f'<text x="{x + step / 2:.1f}" y="{height + 5}" text-anchor="middle"'
                     f' data-rate="{d["rate"] if d["rate"] is not None else ""}">{_e(d["day"][5:])}{rate}</text>')
    parts.append(f'<text x="{pad}" y="{pad - 10}">max {top} events a day</text></svg>')
    return "".join(parts)


def reason_chart(reasons: list[dict[str, Any]]) -> str:
    if not reasons:
        return "<p>No events yet.</p>"
    row, width, label = 20, 600, 200
    top = max(r["events"] for r in reasons) or 1
    parts = [f'<svg id="reasons" xmlns="http://www.w3.org/2000/svg" width="{label + width + 60}" height="{row * len(reasons) + 10}" role="img">']
    for i, r in enumerate(reasons):
        w = width * r["events"] / top
        y = 5 + i * row
        name = r["reason"] if r["bounce_type"] in ("hard", "soft") else f'{r["reason"]} (not a failure)'
        parts.append(f'<text x="{label - 6}" y="{y + 13}" text-anchor="end">{_e(name)}</text>'
                     f'<rect class="bar" data-reason="{_e(r["reason"])}" data-count="{r["events"]}" x="{label}" y="{y}"'
                     f' width="{max(w, 1):.1f}" height="{row - 4}" fill="{_COLORS.get(r["bounce_type"], "#7f8c8d")}"/>'
                     f'<text x="{label + w + 4:.1f}" y="{y + 13}">{r["events"]}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _table(rows: list[dict[str, Any]], columns: list[tuple[str, str]], table_id: str) -> str:
    if not rows:
        return "<p>None.</p>"
    head = "".join(f'<th class="{"n" if isinstance(rows[0].get(k), (int, float)) else ""}">{_e(t)}</th>' for k, t in columns)
    body = "".join(
        "<tr>" + "".join(f'<td class="{"n" if isinstance(r.get(k), (int, float)) else ""}" data-col="{k}">{_e(r.get(k, ""))}</td>'
                         for k, _ in columns) + "</tr>" for r in rows)
    return f'<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def render(data: ReportData) -> str:
    t = data.totals
    totals = "".join(f'<span>{_e(label)}<b id="total-{key}">{t.get(key, 0)}</b></span>'
                     for key, label in (("events", "events"), ("hard", "hard"), ("soft", "soft"),
                                        ("complaints", "complaints"), ("suppressed", "suppressed addresses")))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>bounced report</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<style>{_CSS}</style></head><body>
<h1>bounced report</h1><p>Generated {_e(data.generated_at)}.</p>
<div class="tot">{totals}</div>
<h2>Bounces per day</h2>{day_chart(data.days)}
<h2>Reasons</h2>{reason_chart(data.reasons)}
<h2>Campaigns</h2>{_table(data.campaigns, [("campaign", "campaign"), ("sent", "sent"), ("hard", "hard"), ("soft", "soft"), ("complaints", "complaints"), ("hard_rate", "hard rate"), ("soft_rate", "soft rate")], "campaigns")}
<h2>Domains with the most failures</h2>{_table(data.domains, [("domain", "domain"), ("failures", "failures"), ("addresses", "addresses")], "domains")}
<h2>Storm-guard alerts</h2>{_table(data.storms, [("domain", "domain"), ("first_at", "from"), ("last_at", "to"), ("count", "rejections")], "storms")}
</body></html>
"""
