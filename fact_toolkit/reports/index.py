"""``reports/index.html``: every configured run with its status, KPIs, alerts and links.

Plain HTML with relative links and inline CSS, so it reads from ``file://`` without a
server.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .._atomic import atomic_write_text
from .config import ReportConfig
from .kpis import period_window, window_label
from .manifest import read_manifest

__all__ = ["last_attempts", "index_html", "index_lang", "write_index"]

_CSS = """
body{margin:2em}
table.ft-index{border-collapse:collapse;width:100%}table.ft-index th,table.ft-index td{border-bottom:1px solid #dee2e6;
padding:8px;text-align:left;vertical-align:top}table.ft-index th{background:#f1f3f5}
.success{color:#2b8a3e;font-weight:bold}.failed{color:#c92a2a;font-weight:bold}
.never{color:#868e96}.alert{color:#e67700}table.ft-index th{white-space:nowrap}small{color:#868e96}
.ft-index .ft-tiles{margin:0;flex-wrap:nowrap}.ft-index .ft-tile{flex:0 0 150px;padding:6px 8px}
.ft-index .ft-tile .ft-tile-value{font-size:18px}.ft-spark{display:block;margin-top:4px}
"""
#: the index's own words: key → (zh, en)
_WORDS = {
    "title": ("报告", "Reports"), "run": ("报告", "Report"), "status": ("状态", "Status"), "date": ("日期", "Date"),
    "duration": ("耗时", "Duration"), "kpis": ("最近 7 天指标与近 8 周走势", "Last 7 days and the last 8 weeks"),
    "alerts": ("告警", "Alerts"), "links": ("链接", "Links"), "never": ("未运行", "never run"),
    "latest": ("最新报告", "latest report"), "this_run": ("本次运行", "this run"), "notebook": ("笔记本", "notebook"),
    "manifest": ("运行记录", "manifest"), "unchanged": ("输入未变", "inputs unchanged"),
    "success": ("成功", "success"), "failed": ("失败", "failed"),
    "lead": ("每个报告最近一次运行。指标为各报告数据最近 7 天的品牌合计，并与之前 7 天比较（比率均为总和之比；"
             "GPM = 用户支付金额 ÷ 观看次数 × 1000）；曲线为近 8 周每日成交金额与 GPM。",
             "The last attempt of every configured run. Tiles: the brand's last 7 days of each run's data against "
             "the 7 days before (every rate a ratio of sums; GPM = paid amount ÷ views × 1000); lines: daily GMV "
             "and GPM over the last 8 weeks."),
    "gmv_line": ("每日成交金额", "daily GMV"), "gpm_line": ("每日 GPM", "daily GPM"),
}


def _w(key: str, lang: str) -> str:
    return _WORDS[key][0 if lang == "zh" else 1]




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


def _sparks(kpis: Mapping[str, Any] | None, lang: str) -> dict[str, str]:
    """Sparklines of the brand's daily GMV and GPM (main currency) for the GMV and GPM tiles."""
    from .summary import _main_currency, sparkline_svg

    k = kpis or {}
    cur = _main_currency(k)
    days = [d for d in k.get("daily", []) if d.get("currency") == cur]
    days.sort(key=lambda d: str(d.get("date")))
    if not days:
        return {}
    span = f"{days[0]['date']} – {days[-1]['date']}"
    return {"gmv": sparkline_svg([d.get("gmv") for d in days], width=140, title=f"{_w('gmv_line', lang)} {span}"),
            "gpm": sparkline_svg([d.get("gpm") for d in days], width=140, colour="#d9480f",
                                 title=f"{_w('gpm_line', lang)} {span}")}


def _kpi_cell(kpis: Mapping[str, Any] | None, lang: str = "zh") -> str:
    """KPI tiles of the run's last 7 days with sparklines under GMV and GPM."""
    from .summary import kpi_tiles_html

    if not kpis:
        return "<span class='never'>–</span>"
    w = period_window(kpis, "last_7d")
    said = window_label(kpis, "last_7d") if lang == "en" or not w else f"最近 7 天:{w['from']} – {w['to']}"
    span = f"<small>{html.escape(said)}</small>" if w else ""
    return kpi_tiles_html(kpis, lang, spark=_sparks(kpis, lang), period=False) + span


def index_lang(attempts: Mapping[str, dict | None]) -> str:
    """The index's language: the one most runs' pages use (their ``lang`` parameter; Chinese on a tie)."""
    langs = [str(((m or {}).get("parameters") or {}).get("lang", "zh")) for m in attempts.values() if m]
    return "en" if langs.count("en") > langs.count("zh") else "zh"


def _link(href: str | None, text: str) -> str:
    return f'<a href="{html.escape(href)}">{text}</a>' if href else ""


def index_html(attempts: Mapping[str, dict | None], out_dir: Path, titles: Mapping[str, str] | None = None,
               lang: str | None = None) -> str:
    """The index page for the given last attempts (see :func:`last_attempts`), in ``lang``
    (:func:`index_lang` when None): per run its status, KPI tiles with sparklines, alerts and links."""
    from .summary import PAGE_CSS

    lang = lang or index_lang(attempts)
    rows = []
    for name, m in attempts.items():
        latest = f"latest/{name}.html" if (out_dir / "latest" / f"{name}.html").exists() else None
        title = (titles or {}).get(name) or (m or {}).get("title") or ""
        head = f"<b>{html.escape(title or name)}</b>" + (f"<br><small>{html.escape(name)}</small>" if title else "")
        if m is None:
            rows.append(f"<tr><td>{head}</td><td class='never'>{_w('never', lang)}</td>"
                        f"<td></td><td></td><td></td><td>{_link(latest, _w('latest', lang))}</td></tr>")
            continue
        status = m.get("status", "?")
        err = m.get("error") or {}
        words = _w(status, lang) if status in ("success", "failed") else status
        status_cell = f"<span class='{html.escape(status)}'>{html.escape(words)}</span>"
        if status != "success":
            status_cell += f"<br><small>{html.escape(str(err.get('ename', '')))}: " \
                           f"{html.escape(str(err.get('evalue', ''))[:200])}</small>"
        if m.get("identical_to_previous"):
            status_cell += f"<br><small>{_w('unchanged', lang)}</small>"
        dur = m.get("duration_seconds")
        status_cell += (f"<br><small>{html.escape(str(m.get('date', '')))}"
                        f"{'' if dur is None else f' · {dur:.1f} s'}</small>")
        alerts = m.get("alerts") or []
        alert_cell = ("<br>".join(f"<span class='alert'>⚠ {html.escape(a.get('message', ''))}</span>"
                                  for a in alerts) or "–")
        out = m.get("outputs") or {}
        folder = m.get("folder", "")
        this_run = f"{_w('this_run', lang)} ({html.escape(str(m.get('date', '')))})"
        links = "<br>".join(x for x in (
            _link(latest, _w("latest", lang)), _link(out.get("html"), this_run),
            _link(out.get("notebook"), _w("notebook", lang)),
            _link(f"{folder}/manifest.json" if folder else None, _w("manifest", lang)),
        ) if x)
        rows.append(f"<tr><td>{head}</td><td>{status_cell}</td><td>{_kpi_cell(m.get('kpis'), lang)}</td>"
                    f"<td>{alert_cell}</td><td>{links}</td></tr>")
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (
        f"<!DOCTYPE html><html lang='{html_lang}'><head><meta charset='utf-8'><title>fact_toolkit · "
        f"{_w('title', lang)}</title><style>{PAGE_CSS}{_CSS}</style></head><body><main><h1>{_w('title', lang)}</h1>"
        f"<p>{_w('lead', lang)}</p>"
        f"<table class='ft-index'><thead><tr><th>{_w('run', lang)}</th><th>{_w('status', lang)}</th>"
        f"<th>{_w('kpis', lang)}</th><th>{_w('alerts', lang)}</th><th>{_w('links', lang)}</th></tr></thead><tbody>"
        + "".join(rows) + "</tbody></table></main></body></html>\n")


def write_index(config: ReportConfig) -> Path:
    """Rebuild ``<out_dir>/index.html`` from the manifests on disk (atomically)."""
    names = list(config.all_names or config.names())
    titles = {r.name: r.title for r in config.runs}
    page = index_html(last_attempts(config.out_dir, names), config.out_dir, titles)
    return atomic_write_text(config.out_dir / "index.html", page)
