"""The executive summary on top of every page, the page's language, stylesheet and sparklines.

- :func:`kpi_tiles_html`: GMV, net GMV, GPM and ROI of the brand over the last 7 days of
  the data, each with its change from the 7 days before (from the run's KPIs,
  :mod:`fact_toolkit.reports.kpis`: every rate a ratio of sums).
- :func:`collect_findings` reads the findings the notebook displayed
  (:mod:`fact_toolkit.findings`); :func:`summary_html` lists the 3–5 with the most GMV
  at stake, each linking to its section.
- :func:`select_language` keeps the markdown cells of the page's language: a cell tagged
  ``lang-zh`` or ``lang-en`` shows only on pages of that language.
- :data:`PAGE_CSS`: one CJK-friendly stylesheet for every page and the index, with print rules.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from nbformat import NotebookNode

from ..findings import METADATA_KEY
from ..formatting import format_value

__all__ = ["PAGE_CSS", "TILE_METRICS", "T", "text", "collect_findings", "kpi_tiles", "kpi_tiles_html",
           "summary_html", "select_language", "page_lang", "sparkline_svg", "style_page"]

#: the headline numbers: metric → (unit, zh, en)
TILE_METRICS: dict[str, tuple[str, str, str]] = {
    "gmv": ("money", "成交金额", "GMV"),
    "net_gmv": ("money", "净成交金额", "Net GMV"),
    "gpm": ("money", "GPM", "GPM"),
    "roi": ("ratio", "整体支付 ROI", "ROI"),
}

#: the page's own words: key → (zh, en)
T: dict[str, tuple[str, str]] = {
    "summary": ("摘要", "Summary"),
    "last7": ("最近 7 天", "last 7 days"),
    "vs_prev": ("对比前 7 天", "vs the 7 days before"),
    "findings": ("本页要点（按涉及成交金额排序）", "Key findings (by GMV at stake)"),
    "no_findings": ("本页没有可排序的要点。", "This page has no findings to rank."),
    "at_stake": ("涉及", "at stake"),
    "no_kpis": ("没有可用的指标", "No KPIs available"),
    "data": ("数据", "Data"),
    "failed": ("运行失败", "FAILED"),
    "failed_note": ("下文在出错的单元格处停止；上一次成功的报告保留在 latest/ 中。",
                    "The rest of this page stops where the notebook failed; the last good report is kept in latest/."),
    "identical": ("输入文件与参数与 {date} 的运行完全相同：没有变化。",
                  "Same inputs and parameters as the run of {date}: nothing changed."),
    "changed": ("变化", "What changed"),
    "kpi_na": ("指标不可用：{why}", "KPIs not available because {why}"),
    "compared": ("最近 7 天与上次成功运行（{date}）的最近 7 天相比。",
                 "The last 7 days compared with those of the previous successful run ({date})."),
    "first_run": ("首次运行，暂无对比。", "First successful run: nothing to compare with yet."),
    "alerts": ("告警", "Alerts"),
    "no_alert": ("没有触发告警。", "No alert fired."),
    "n_alerts": ("{n} 条告警", "{n} alert(s)"),
}

PAGE_CSS = """
:root{--ft-ink:#212529;--ft-muted:#868e96;--ft-line:#dee2e6;--ft-head:#f1f3f5;--ft-up:#2b8a3e;--ft-down:#c92a2a}
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","PingFang SC","Hiragino Sans GB",
"Microsoft YaHei","WenQuanYi Micro Hei",system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ft-ink);
line-height:1.65;font-size:15px;-webkit-font-smoothing:antialiased}
.jp-Notebook,body>main{max-width:1100px;margin:0 auto}
h1,h2,h3,h4{line-height:1.3;font-weight:600;letter-spacing:.01em}
p,li{max-width:60em}
table.ft-table,table.ft-changes,table.ft-whatif-table,.jp-RenderedHTMLCommon table{border-collapse:collapse;
font-size:13px;font-variant-numeric:tabular-nums;margin:.5em 0 1em;max-width:100%;display:block;overflow-x:auto}
table.ft-table th,table.ft-table td,table.ft-changes th,table.ft-changes td{border-bottom:1px solid var(--ft-line);
padding:4px 10px;white-space:nowrap}
table.ft-table th,table.ft-changes th{background:var(--ft-head);font-weight:600;text-align:right}
table.ft-table th:first-child{text-align:left}
table.ft-changes td{text-align:right}
table.ft-changes th:nth-child(-n+2),table.ft-changes td:nth-child(-n+2){text-align:left}
table.ft-table caption,table.ft-changes caption{caption-side:top;text-align:left;color:var(--ft-muted);
font-size:12px;padding:2px 0}
.ft-summary{border:1px solid var(--ft-line);border-radius:8px;padding:12px 16px;margin:8px 0 20px;background:#fbfcfd}
.ft-tiles{display:flex;flex-wrap:wrap;gap:10px;margin:6px 0 10px}
.ft-tile{flex:1 1 180px;border:1px solid var(--ft-line);border-radius:6px;padding:8px 12px;background:#fff}
.ft-tile .ft-tile-label{color:var(--ft-muted);font-size:12px}
.ft-tile .ft-tile-value{font-size:24px;font-weight:600;font-variant-numeric:tabular-nums}
.ft-tile .ft-tile-change{font-size:13px}
.ft-up{color:var(--ft-up)}.ft-down{color:var(--ft-down)}.ft-flat{color:var(--ft-muted)}
.ft-findings{margin:4px 0 0;padding-left:1.4em}.ft-findings li{margin:2px 0}
.ft-stake{color:var(--ft-muted);font-size:12px;white-space:nowrap}
.ft-alerts{border-left:4px solid #e67700;padding:4px 12px}
.ft-failed{background:#ffe3e3;border:2px solid var(--ft-down);padding:8px 12px}
.ft-muted{color:var(--ft-muted)}
.jp-OutputArea-output img{max-width:100%;height:auto}
@media print{
  @page{size:A4;margin:14mm 12mm}
  body{font-size:11pt;line-height:1.5}
  .jp-Notebook,body>main{max-width:none}
  a{color:inherit;text-decoration:none}
  h1,h2,h3,h4{break-after:avoid;page-break-after:avoid}
  table,figure,img,.ft-summary,.ft-tile,.jp-OutputArea-output{break-inside:avoid;page-break-inside:avoid}
  table.ft-table,table.ft-changes,.jp-RenderedHTMLCommon table{display:table;overflow:visible;font-size:9pt;
  width:100%}
  table.ft-table th,table.ft-table td,table.ft-changes th,table.ft-changes td{white-space:normal;padding:2px 5px}
  thead{display:table-header-group}
  .jupyter-widgets,.widget-area,.jp-OutputArea-output[data-mime-type*="widget"]{display:none}
}
"""


def text(key: str, lang: str, **kw: Any) -> str:
    """One of the page's phrases (:data:`T`) in ``lang``."""
    zh, en = T[key]
    return (zh if lang == "zh" else en).format(**kw)


def page_lang(parameters: Mapping[str, Any] | None) -> str:
    """The page language from a run's parameters (``lang``; Chinese by default)."""
    lang = (parameters or {}).get("lang")
    return "en" if lang == "en" else "zh"


def select_language(nb: NotebookNode, lang: str) -> NotebookNode:
    """Drop the markdown cells tagged for the other language (``lang-zh`` / ``lang-en``)."""
    other = "lang-en" if lang == "zh" else "lang-zh"
    nb.cells = [c for c in nb.cells if other not in c.get("metadata", {}).get("tags", [])]
    return nb


def collect_findings(nb: NotebookNode) -> list[dict]:
    """Every finding the executed notebook displayed, in page order (see :mod:`fact_toolkit.findings`)."""
    found = []
    for cell in nb.cells:
        for out in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            f = (out.get("metadata") or {}).get(METADATA_KEY)
            if isinstance(f, Mapping) and f.get("text"):
                found.append(dict(f))
    return found


def _main_currency(kpis: Mapping[str, Any]) -> str | None:
    rows = [r for r in kpis.get("channels", []) if r.get("period") == "all" and r.get("fact_channel") == "all"]
    rows = [r for r in rows if isinstance(r.get("gmv"), (int, float))]
    return max(rows, key=lambda r: r["gmv"]).get("currency") if rows else None


def kpi_tiles(kpis: Mapping[str, Any] | None) -> list[dict]:
    """The tiles' numbers: per :data:`TILE_METRICS`, the brand's last 7 days, the 7 before and the change.

    Examples
    --------
    >>> k = {"channels": [
    ...     {"period": "all", "fact_channel": "all", "currency": "CNY", "gmv": 300.0},
    ...     {"period": "last_7d", "fact_channel": "all", "currency": "CNY", "gmv": 150.0, "roi": 3.0},
    ...     {"period": "prev_7d", "fact_channel": "all", "currency": "CNY", "gmv": 100.0, "roi": 4.0}]}
    >>> [(t["metric"], t["value"], t["change"]) for t in kpi_tiles(k)][::3]
    [('gmv', 150.0, 0.5), ('roi', 3.0, -0.25)]
    """
    if not kpis:
        return []
    cur = _main_currency(kpis)

    def row(period: str) -> Mapping[str, Any]:
        for r in kpis.get("channels", []):
            if r.get("period") == period and r.get("fact_channel") == "all" and r.get("currency") == cur:
                return r
        return {}

    now, before = row("last_7d"), row("prev_7d")
    tiles = []
    for m in TILE_METRICS:
        v, b = now.get(m), before.get(m)
        ok = [isinstance(x, (int, float)) and math.isfinite(x) for x in (v, b)]
        change = (v / b - 1) if all(ok) and b else None
        tiles.append({"metric": m, "value": v if ok[0] else None, "previous": b if ok[1] else None,
                      "change": change, "currency": cur})
    return tiles


def _change_html(change: float | None, lang: str) -> str:
    if change is None:
        return f"<span class='ft-flat'>{text('vs_prev', lang)} –</span>"
    cls = "ft-up" if change > 0 else "ft-down" if change < 0 else "ft-flat"
    arrow = "▲" if change > 0 else "▼" if change < 0 else "■"
    return f"<span class='{cls}'>{arrow} {format_value(change, 'change', lang)}</span> " \
           f"<span class='ft-flat'>{text('vs_prev', lang)}</span>"


def kpi_tiles_html(kpis: Mapping[str, Any] | None, lang: str = "zh", *, spark: Mapping[str, str] | None = None,
                   period: bool = True) -> str:
    """The four KPI tiles as HTML (``spark``: optional SVG per metric, shown under the value;
    ``period``: say "last 7 days" in each label)."""
    tiles = kpi_tiles(kpis)
    if not tiles or all(t["value"] is None for t in tiles):
        return f"<p class='ft-muted'>{text('no_kpis', lang)}</p>"
    out = []
    for t in tiles:
        unit, zh, en = TILE_METRICS[t["metric"]]
        label = zh if lang == "zh" else en
        cur = f" · {html.escape(str(t['currency']))}" if unit == "money" and t["currency"] else ""
        when = f" · {text('last7', lang)}" if period else ""
        out.append(f"<div class='ft-tile'><div class='ft-tile-label'>{html.escape(label)}{when}"
                   f"{cur}</div><div class='ft-tile-value'>{html.escape(format_value(t['value'], unit, lang))}</div>"
                   f"<div class='ft-tile-change'>{_change_html(t['change'], lang)}</div>"
                   f"{(spark or {}).get(t['metric'], '')}</div>")
    return "<div class='ft-tiles'>" + "".join(out) + "</div>"


def summary_html(kpis: Mapping[str, Any] | None, findings: Sequence[Mapping[str, Any]], lang: str = "zh",
                 *, limit: int = 5) -> str:
    """KPI tiles, then the ``limit`` findings with the most GMV at stake, each linked to its section."""
    cur = _main_currency(kpis or {}) or ""
    top = sorted(findings, key=lambda f: -float(f.get("stake") or 0.0))[:limit]
    if lang == "en":  # a sentence may start with a channel's name in lower case
        top = [{**f, "text": str(f["text"])[:1].upper() + str(f["text"])[1:]} for f in top]
    if top:
        items = "".join(
            f"<li><a href='#{html.escape(str(f.get('anchor', '')))}'>{html.escape(str(f['text']))}</a> "
            f"<span class='ft-stake'>{text('at_stake', lang)} "
            f"{html.escape(format_value(f.get('stake'), 'money', lang))}"
            f"{(' ' + html.escape(cur)) if cur else ''}</span></li>" for f in top)
        body = f"<h3>{text('findings', lang)}</h3><ol class='ft-findings'>{items}</ol>"
    else:
        body = f"<p class='ft-muted'>{text('no_findings', lang)}</p>"
    return (f"<div class='ft-summary'><h2 id='ft-summary'>{text('summary', lang)}</h2>"
            f"{kpi_tiles_html(kpis, lang)}{body}</div>")


def sparkline_svg(values: Sequence[float | None], *, width: int = 160, height: int = 32,
                  colour: str = "#1c7ed6", title: str = "") -> str:
    """A tiny inline SVG line of ``values`` (gaps for missing values); empty string for no data."""
    pts = [(i, float(v)) for i, v in enumerate(values)
           if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)]
    if len(pts) < 2:
        return ""
    lo, hi = min(v for _, v in pts), max(v for _, v in pts)
    span = (hi - lo) or 1.0
    n = max(len(values) - 1, 1)
    coords = " ".join(f"{i * (width - 4) / n + 2:.1f},{height - 2 - (v - lo) * (height - 4) / span:.1f}"
                      for i, v in pts)
    tip = f"<title>{html.escape(title)}</title>" if title else ""
    return (f"<svg class='ft-spark' width='{width}' height='{height}' viewBox='0 0 {width} {height}' role='img'>"
            f"{tip}<polyline fill='none' stroke='{colour}' stroke-width='1.5' points='{coords}'/></svg>")


def style_page(page: str, lang: str) -> str:
    """Put :data:`PAGE_CSS` and the page language into an nbconvert page."""
    page = re.sub(r"<html[^>]*>", f'<html lang="{"zh-CN" if lang == "zh" else "en"}">', page, count=1)
    return page.replace("</head>", f"<style>{PAGE_CSS}</style>\n</head>", 1)
