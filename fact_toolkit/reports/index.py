"""``reports/index.html``: every configured run with its status, KPIs, alerts and links.

Plain HTML with relative links and inline CSS, so it reads from ``file://`` without a
server.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .._atomic import atomic_write_text
from .config import ReportConfig
from .kpis import window_label
from .manifest import read_manifest

__all__ = ["last_attempts", "index_html", "write_index"]

_CSS = """
body{font-family:system-ui,"PingFang SC","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;margin:2em;color:#212529}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #dee2e6;padding:6px 8px;text-align:left;
vertical-align:top}th{background:#f1f3f5}.success{color:#2b8a3e;font-weight:bold}.failed{color:#c92a2a;font-weight:bold}
.never{color:#868e96}.kpi{font-size:90%;white-space:nowrap}.alert{color:#e67700}small{color:#868e96}
"""
_ORDER = ("F", "A", "T", "S", "other", "unknown", "all")


def last_attempts(out_dir: Path, names: Sequence[str]) -> dict[str, dict | None]:
    """The newest manifest (by start time, then by when it was written) of each run name
    under ``out_dir`` (None: never ran)."""
    found: dict[str, tuple[tuple[str, int], dict]] = {}
    if out_dir.is_dir():
        for path in out_dir.rglob("manifest.json"):
            if "latest" in path.relative_to(out_dir).parts[:1]:
                continue
            m = read_manifest(path)
            if not m or m.get("name") not in names:
                continue
            # start times have one-second resolution: attempts within a second go by file time
            key = (str(m.get("started", "")), path.stat().st_mtime_ns)
            best = found.get(m["name"])
            if best is None or key > best[0]:
                found[m["name"]] = (key, m)
    return {n: found[n][1] if n in found else None for n in names}


def _money(v: Any) -> str:
    if not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v):
        return "–"
    return f"{v:,.0f}"


def _kpi_cell(kpis: Mapping[str, Any] | None) -> str:
    rows = [r for r in (kpis or {}).get("channels", []) if r.get("period") == "all"]
    if not rows:
        return "<span class='never'>–</span>"
    rows.sort(key=lambda r: (_ORDER.index(r["fact_channel"]) if r.get("fact_channel") in _ORDER else 5,
                             str(r.get("currency") or "")))
    lines = []
    for r in rows:
        ch = "all 合计" if r.get("fact_channel") == "all" else r.get("fact_channel")
        gpm = r.get("gpm")
        gpm_text = "–" if not isinstance(gpm, (int, float)) else f"{gpm:,.1f}"
        lines.append(f"{html.escape(str(ch))} {html.escape(str(r.get('currency') or ''))}: "
                     f"GMV {_money(r.get('gmv'))} · GPM {gpm_text}")
    span = ""
    if (kpis or {}).get("data_from"):
        span = f"<small>{html.escape(window_label(kpis, 'all'))}</small><br>"
    return "<div class='kpi'>" + span + "<br>".join(lines) + "</div>"


def _link(href: str | None, text: str) -> str:
    return f'<a href="{html.escape(href)}">{text}</a>' if href else ""


def index_html(attempts: Mapping[str, dict | None], out_dir: Path, titles: Mapping[str, str] | None = None) -> str:
    """The index page for the given last attempts (see :func:`last_attempts`)."""
    rows = []
    for name, m in attempts.items():
        latest = f"latest/{name}.html" if (out_dir / "latest" / f"{name}.html").exists() else None
        if m is None:
            rows.append(f"<tr><td><b>{html.escape(name)}</b></td><td class='never'>never run 未运行</td>"
                        f"<td></td><td></td><td></td><td></td><td>{_link(latest, 'latest')}</td></tr>")
            continue
        status = m.get("status", "?")
        err = m.get("error") or {}
        status_cell = f"<span class='{html.escape(status)}'>{html.escape(status)}</span>"
        if status != "success":
            status_cell += f"<br><small>{html.escape(str(err.get('ename', '')))}: " \
                           f"{html.escape(str(err.get('evalue', ''))[:200])}</small>"
        if m.get("identical_to_previous"):
            status_cell += "<br><small>inputs unchanged 输入未变</small>"
        alerts = m.get("alerts") or []
        alert_cell = ("<br>".join(f"<span class='alert'>⚠ {html.escape(a.get('message', ''))}</span>"
                                  for a in alerts) or "–")
        out = m.get("outputs") or {}
        folder = m.get("folder", "")
        this_run = f"this run ({html.escape(str(m.get('date', '')))})"
        links = " · ".join(x for x in (
            _link(latest, "latest report 最新报告"), _link(out.get("html"), this_run),
            _link(out.get("notebook"), "notebook"), _link(f"{folder}/manifest.json" if folder else None, "manifest"),
        ) if x)
        dur = m.get("duration_seconds")
        title = (titles or {}).get(name) or m.get("title") or ""
        rows.append(
            f"<tr><td><b>{html.escape(name)}</b><br><small>{html.escape(title)}</small></td><td>{status_cell}</td>"
            f"<td>{html.escape(str(m.get('date', '')))}<br><small>{html.escape(str(m.get('started', '')))}</small></td>"
            f"<td>{'' if dur is None else f'{dur:.1f} s'}</td><td>{_kpi_cell(m.get('kpis'))}</td>"
            f"<td>{alert_cell}</td><td>{links}</td></tr>")
    return (
        "<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'><title>fact_toolkit reports</title>"
        f"<style>{_CSS}</style></head><body><h1>Reports 报告</h1>"
        "<p>Last attempt of every configured run. KPIs over all days in each run's data (dates shown; runs "
        "over different dates are not comparable — each report's 'What changed' compares equal 7-day windows); "
        "GPM = paid amount ÷ views × 1000. 每个报告最近一次运行。</p>"
        "<table><thead><tr><th>run</th><th>status 状态</th><th>date 日期</th><th>duration 耗时</th>"
        "<th>KPIs (GMV, GPM per channel)</th><th>alerts 告警</th><th>links</th></tr></thead><tbody>"
        + "".join(rows) + "</tbody></table></body></html>\n")


def write_index(config: ReportConfig) -> Path:
    """Rebuild ``<out_dir>/index.html`` from the manifests on disk (atomically)."""
    names = list(config.all_names or config.names())
    titles = {r.name: r.title for r in config.runs}
    page = index_html(last_attempts(config.out_dir, names), config.out_dir, titles)
    return atomic_write_text(config.out_dir / "index.html", page)
