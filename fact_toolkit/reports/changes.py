"""What changed since the previous successful run of the same report.

Runs see data of different lengths (a nightly export grows by a day or a week), so
whole-data totals of two runs are not comparable. The table compares equal windows:
the **last 7 days** of this run's data against the last 7 days of the previous
successful run's data, and says which dates each side covers.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["CHANGE_METRICS", "CHANGE_PERIOD", "compare_kpis", "change_windows", "changes_table_html"]

#: metrics of the what-changed table, in display order
CHANGE_METRICS: tuple[str, ...] = ("gmv", "gpm", "roi")
#: the KPI period compared between runs (equal length on both sides)
CHANGE_PERIOD = "last_7d"
_ORDER = {c: i for i, c in enumerate(("F", "A", "T", "S", "other", "unknown", "all"))}
_LABELS = {"gmv": "GMV", "gpm": "GPM", "roi": "ROI"}


def _num(x: Any) -> float | None:
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
        return None
    return float(x)


def compare_kpis(current: Mapping[str, Any] | None, previous: Mapping[str, Any] | None,
                 metrics: Sequence[str] = CHANGE_METRICS, period: str = CHANGE_PERIOD) -> list[dict]:
    """One row per channel × currency × metric: previous value, current value and the change.

    Parameters
    ----------
    current, previous : dict or None
        KPIs (:func:`fact_toolkit.reports.kpis.compute_kpis`) of this run and of the
        previous successful run; ``previous`` None gives rows with ``previous`` None.
    metrics : sequence of str
    period : str
        KPI period compared on both sides: ``last_7d`` (default, the 7 days ending on
        each run's last date), ``prev_7d`` or ``all`` (whole data: only meaningful when
        both runs cover the same dates).

    Returns
    -------
    list of dict
        Keys ``fact_channel``, ``currency``, ``metric``, ``previous``, ``current``,
        ``change`` (current − previous) and ``change_pct`` (current ÷ previous − 1);
        None where a side is missing or the previous value is 0. Channels in F, A, T,
        S, other order, the brand total (``all``) last.

    Examples
    --------
    >>> now = {"channels": [{"period": "last_7d", "fact_channel": "F", "currency": "CNY", "gmv": 1100.0}]}
    >>> before = {"channels": [{"period": "last_7d", "fact_channel": "F", "currency": "CNY", "gmv": 1000.0}]}
    >>> r = compare_kpis(now, before, metrics=["gmv"])[0]
    >>> r["change"], round(r["change_pct"], 3)
    (100.0, 0.1)
    """
    def index(k: Mapping[str, Any] | None) -> dict[tuple, Mapping[str, Any]]:
        return {(r.get("fact_channel"), r.get("currency")): r
                for r in (k or {}).get("channels", []) if r.get("period") == period}

    now, before = index(current), index(previous)
    keys = sorted(set(now) | set(before),
                  key=lambda k: (_ORDER.get(str(k[0]), 5), str(k[1] or ""), str(k[0])))
    rows = []
    for key in keys:
        for m in metrics:
            cur = _num(now.get(key, {}).get(m))
            prev = _num(before.get(key, {}).get(m))
            change = None if cur is None or prev is None else cur - prev
            pct = None if change is None or prev == 0 else cur / prev - 1.0
            rows.append({"fact_channel": key[0], "currency": key[1], "metric": m, "previous": prev,
                         "current": cur, "change": change, "change_pct": pct})
    return rows


def change_windows(current: Mapping[str, Any] | None, previous: Mapping[str, Any] | None,
                   period: str = CHANGE_PERIOD) -> dict:
    """Which dates each side of the comparison covers.

    Returns
    -------
    dict
        ``current`` / ``previous``: :func:`~fact_toolkit.reports.kpis.window_label` text
        (``previous`` None without previous KPIs); ``current_window`` /
        ``previous_window``: the ``{"from", "to", "complete"}`` dicts; ``same_dates``:
        both sides cover the same days (differences are then revisions of the data).

    Examples
    --------
    >>> w = change_windows({"data_from": "2026-01-01", "data_to": "2026-11-30"},
    ...                    {"data_from": "2026-01-01", "data_to": "2026-11-23"})
    >>> w["current"], w["previous"]
    ('last 7 days to 2026-11-30 (2026-11-24 – 2026-11-30)', 'last 7 days to 2026-11-23 (2026-11-17 – 2026-11-23)')
    """
    from .kpis import period_window, window_label

    cur_w = period_window(current, period)
    prev_w = period_window(previous, period) if previous else None
    return {"period": period, "current": window_label(current, period),
            "previous": window_label(previous, period) if previous else None,
            "current_window": cur_w, "previous_window": prev_w,
            "same_dates": bool(cur_w and prev_w and (cur_w["from"], cur_w["to"]) == (prev_w["from"], prev_w["to"]))}


_UNITS = {"gmv": "money", "gpm": "money", "roi": "ratio"}
_WORDS = {"channel": ("渠道", "Channel"), "currency": ("币种", "Currency"), "all": ("合计", "all"),
          "none": ("本次运行没有可用的指标。", "No KPIs available for this run."),
          "vs": ("对比", "vs"), "run": ("上次运行", "run of"),
          "same": ("日期相同：差异来自数据修订", "same dates: differences are revisions of the data")}


def _w(key: str, lang: str) -> str:
    return _WORDS[key][0 if lang == "zh" else 1]


def _window_text(windows: Mapping[str, Any], side: str, lang: str) -> str:
    """One side of the compared windows in words (the English text is kept in the manifest)."""
    w = windows.get(f"{side}_window")
    if lang == "en" or not w:
        return str(windows.get(side) or "")
    return f"截至 {w['to']} 的最近 7 天({w['from']} – {w['to']})"


def _fmt(v: float | None, metric: str = "", lang: str = "zh") -> str:
    from ..formatting import format_value

    return format_value(v, _UNITS.get(metric, "number"), lang)


def changes_table_html(rows: Sequence[Mapping[str, Any]], previous_label: str | None,
                       windows: Mapping[str, Any] | None = None, *, lang: str = "zh") -> str:
    """The what-changed rows as one HTML table: a row per channel, per metric previous → current (Δ, %).

    ``previous_label`` names the previous run (e.g. its date); None means there is none
    and only current values are shown. ``windows`` (:func:`change_windows`) puts the
    dates each side covers in the table's caption. Numbers go through
    :func:`fact_toolkit.formatting.format_value`; headers are in ``lang``.
    """
    from ..formatting import column_label, format_value

    if not rows:
        return f"<p>{_w('none', lang)}</p>"
    metrics = list(dict.fromkeys(r["metric"] for r in rows))
    channels = list(dict.fromkeys((r["fact_channel"], r["currency"]) for r in rows))
    by = {(r["fact_channel"], r["currency"], r["metric"]): r for r in rows}
    head = "".join(f"<th>{html.escape(_LABELS.get(m, m) if lang == 'en' else column_label(m, lang))}</th>"
                   for m in metrics)
    caption = ""
    if windows and windows.get("current"):
        text = _window_text(windows, "current", lang)
        if previous_label is not None and windows.get("previous"):
            before = _window_text(windows, "previous", lang)
            text = f"{text} {_w('vs', lang)} {before} ({_w('run', lang)} {previous_label})"
            if windows.get("same_dates"):
                text += f" — {_w('same', lang)}"
        caption = f"<caption>{html.escape(text)}</caption>"
    out = [f'<table class="ft-changes">{caption}<thead><tr><th>{_w("channel", lang)}</th>'
           f'<th>{_w("currency", lang)}</th>{head}</tr></thead><tbody>']
    for ch, cur in channels:
        cells = []
        for m in metrics:
            r = by.get((ch, cur, m), {})
            now = _fmt(r.get("current"), m, lang)
            if previous_label is None:
                cells.append(f"<td>{now}</td>")
                continue
            change, pct = r.get("change"), r.get("change_pct")
            if change is None:
                delta = ""
            else:
                colour = "#2b8a3e" if change > 0 else "#c92a2a" if change < 0 else "#495057"
                sign = "+" if change > 0 else ""
                pct_text = "" if pct is None else f", {format_value(pct, 'change', lang)}"
                delta = f' <span style="color:{colour}">({sign}{_fmt(change, m, lang)}{pct_text})</span>'
            cells.append(f"<td>{_fmt(r.get('previous'), m, lang)} → <b>{now}</b>{delta}</td>")
        name = _w("all", lang) if ch == "all" else str(ch)
        out.append(f"<tr><td>{html.escape(name)}</td><td>{html.escape(str(cur or ''))}</td>{''.join(cells)}</tr>")
    out.append("</tbody></table>")
    return "".join(out)
