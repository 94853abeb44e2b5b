"""Shared plumbing of the diagnosis: the Section container, currency and period helpers."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Section", "main_currency", "in_currency", "add_period", "period_coverage", "percentile_score",
           "percentile_scores", "row_rates", "LOWER_IS_BETTER"]

#: metrics where a smaller value is the better one
LOWER_IS_BETTER: frozenset[str] = frozenset({"refund_rate", "aov_price"})


@dataclass
class Section:
    """One notebook section: a table, the data behind its plot, and findings in words.

    Attributes
    ----------
    key : str
        Which section (``"contribution"``, ``"funnel"`` …); the plotting layer picks the
        plot by it.
    title : str
        Heading in the chosen language.
    text : str
        Findings paragraph, or the "not available because …" line.
    table : DataFrame or None
        The table shown under the findings.
    data : dict
        Frames the plot uses (``data["plot"]`` by convention) and other results.
    available : bool
        False when the section could not be computed; ``text`` says why.
    lang : {"zh", "en"}
    currency : str or None
        Currency of the money in the table (said once, in its caption).
    stake : float
        GMV at stake in the section's first finding (main currency): the page's
        executive summary orders findings by it. NaN: not a finding for the summary.
    summary : str
        The sentence the page's executive summary shows; the first sentence of
        ``text`` when empty.
    """

    key: str
    title: str
    text: str
    table: pd.DataFrame | None = None
    data: dict[str, Any] = field(default_factory=dict)
    available: bool = True
    lang: str = "zh"
    currency: str | None = None
    stake: float = float("nan")
    summary: str = ""

    @property
    def anchor(self) -> str:
        """Id of the section in a page."""
        return f"sec-{self.key}"

    def _repr_markdown_(self) -> str:
        parts = [f"**{self.title}**", "", self.text]
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        return (f'<div class="ft-section" id="{self.anchor}"><h3>{html.escape(self.title)}</h3>'
                f"<p>{html.escape(self.text)}</p>{self._table_html()}</div>")

    def _table_html(self) -> str:
        """The section's table as the page shows it (empty when there is none)."""
        from ..formatting import table_html

        if self.table is None or self.table.empty:
            return ""
        return table_html(self.table, lang=self.lang, currency=self.currency)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> tuple[dict, dict]:
        from ..findings import finding_metadata, headline

        data = {"text/html": self._repr_html_(), "text/markdown": self._repr_markdown_(), "text/plain": str(self)}
        said = self.summary or headline(self.text)
        meta = finding_metadata(said, self.stake, self.anchor) if self.available else {}
        return data, meta

    def __str__(self) -> str:
        return f"{self.title}\n{self.text}"


def main_currency(table: pd.DataFrame) -> str | None:
    """The currency with the largest GMV (CNY for a Douyin brand); None for no currency column."""
    if "currency" not in table or table.empty:
        return None
    money = "gmv" if "gmv" in table else ("paid_amount" if "paid_amount" in table else None)
    if money is None:
        counts = table["currency"].value_counts()
        return None if counts.empty else str(counts.index[0])
    sums = table.groupby("currency", observed=True)[money].sum(min_count=1).dropna()
    if sums.empty:
        counts = table["currency"].value_counts()
        return None if counts.empty else str(counts.index[0])
    return str(sums.idxmax())


def in_currency(table: pd.DataFrame, currency: str | None) -> pd.DataFrame:
    """Rows of one currency (all rows when ``currency`` is None or there is no column)."""
    if currency is None or "currency" not in table:
        return table
    return table.loc[table["currency"].eq(currency).fillna(False).to_numpy(dtype=bool)]


def add_period(table: pd.DataFrame, freq: str = "M", column: str = "period") -> pd.DataFrame:
    """Add the start date of the week (``W``, Monday) or month (``M``) of ``date``.

    A row with a period instead of a date (``period_start``/``period_end``: TikTok product
    files) belongs to the week or month that holds its whole period; a period spanning
    two of them has none (NaT), since splitting it would invent numbers.
    """

    def start_of(d: pd.Series) -> pd.Series:
        if freq.upper().startswith("W"):
            return (d - pd.to_timedelta(d.dt.day_of_week, unit="D")).dt.normalize()
        return d.dt.to_period("M").dt.start_time

    start = start_of(pd.to_datetime(table["date"])).astype("datetime64[ns]")
    if "period_start" in table and "period_end" in table:
        first = start_of(pd.to_datetime(table["period_start"])).astype("datetime64[ns]")
        last = start_of(pd.to_datetime(table["period_end"])).astype("datetime64[ns]")
        start = start.where(start.notna() | (first != last), first)
    return table.assign(**{column: start})


def period_coverage(dates: pd.Series | pd.DatetimeIndex, freq: str = "M",
                    span: tuple[pd.Timestamp, pd.Timestamp] | None = None) -> pd.DataFrame:
    """How many days of each period (month or Monday week) the data range covers.

    A period is complete when the range ``span`` (first and last day, both included)
    covers every day of it; without ``span`` every period counts as complete (the caller
    did not say which range the data stand for — the notebook sections always do).
    Comparisons between periods (growth, month on month, "the current month") use
    complete periods only: a partial last month holds fewer days and would look like a
    collapse.

    Returns
    -------
    DataFrame
        Index ``period`` (start date, as :func:`add_period` gives); columns ``days``
        (days covered), ``length`` (days in the period) and ``complete``.

    Examples
    --------
    >>> d = pd.Series(pd.to_datetime(["2026-09-01", "2026-10-15", "2026-11-03"]))
    >>> period_coverage(d, span=(pd.Timestamp("2026-09-01"), pd.Timestamp("2026-11-03"))).to_dict("list")
    {'days': [30, 31, 3], 'length': [30, 31, 30], 'complete': [True, True, False]}
    """
    d = pd.to_datetime(pd.Series(dates)).dropna()
    if d.empty:
        return pd.DataFrame({"days": [], "length": [], "complete": []},
                            index=pd.DatetimeIndex([], name="period"))
    lo, hi = (pd.Timestamp.min, pd.Timestamp.max) if span is None else \
        (pd.Timestamp(span[0]).normalize(), pd.Timestamp(span[1]).normalize())
    starts = sorted(add_period(pd.DataFrame({"date": d}), freq)["period"].unique())
    rows = []
    for p in starts:
        p = pd.Timestamp(p)
        end = p + pd.Timedelta(days=6) if freq.upper().startswith("W") else p + pd.offsets.MonthEnd(0)
        length = (end - p).days + 1
        days = max(0, (min(end, hi) - max(p, lo)).days + 1)
        rows.append((p, days, length, days == length))
    out = pd.DataFrame(rows, columns=["period", "days", "length", "complete"]).set_index("period")
    out.index = out.index.astype("datetime64[ns]")
    return out


def percentile_score(value: float, p25: float, p50: float, p75: float, *, lower_is_better: bool = False) -> float:
    """Map a value onto 0–100 through three percentiles: p25 → 25, p50 → 50, p75 → 75.

    Linear between the points, extended with the slope of the nearest segment beyond
    them, clipped to 0–100. ``lower_is_better`` mirrors the scale (p25 → 75).

    Examples
    --------
    >>> percentile_score(680, 420, 680, 1050)
    50.0
    >>> percentile_score(865, 420, 680, 1050)
    62.5
    >>> percentile_score(0.06, 0.06, 0.09, 0.14, lower_is_better=True)
    75.0
    """
    if any(pd.isna(x) for x in (value, p25, p50, p75)):
        return float("nan")
    xs = np.array([p25, p50, p75], dtype=float)
    ys = np.array([25.0, 50.0, 75.0])
    if lower_is_better:
        value, xs = -value, -xs[::-1]
    if not (xs[0] < xs[1] < xs[2]):
        return 50.0 if value == xs[1] else (75.0 if value > xs[1] else 25.0)
    v = float(value)
    if v <= xs[1]:
        score = ys[0] + (v - xs[0]) * (ys[1] - ys[0]) / (xs[1] - xs[0])
    else:
        score = ys[1] + (v - xs[1]) * (ys[2] - ys[1]) / (xs[2] - xs[1])
    return float(np.clip(score, 0.0, 100.0))


def percentile_scores(values: np.ndarray | pd.Series, p25: float, p50: float, p75: float, *,
                      lower_is_better: bool = False) -> np.ndarray:
    """:func:`percentile_score` of many values against one set of percentiles, vectorised.

    Same arithmetic, in the same order, as the scalar function (so the same floats).

    Examples
    --------
    >>> percentile_scores(np.array([680, 865, np.nan]), 420, 680, 1050).tolist()
    [50.0, 62.5, nan]
    """
    v = np.asarray(values, dtype=float)
    if any(pd.isna(x) for x in (p25, p50, p75)):
        return np.full(v.shape, np.nan)
    xs = np.array([p25, p50, p75], dtype=float)
    if lower_is_better:
        v, xs = -v, -xs[::-1]
    if not (xs[0] < xs[1] < xs[2]):
        out = np.where(v == xs[1], 50.0, np.where(v > xs[1], 75.0, 25.0))
    else:
        with np.errstate(invalid="ignore"):
            low = 25.0 + (v - xs[0]) * (50.0 - 25.0) / (xs[1] - xs[0])
            high = 50.0 + (v - xs[1]) * (75.0 - 50.0) / (xs[2] - xs[1])
        out = np.clip(np.where(v <= xs[1], low, high), 0.0, 100.0)
    return np.where(np.isnan(v), np.nan, out)


def row_rates(table: pd.DataFrame, metrics: list[str]) -> pd.DataFrame:
    """Each metric for each row on its own (one row = one session: its ratio of sums)."""
    from ..metrics import METRICS, sources_in, summarize

    ok = [m for m in metrics if METRICS[m].supported_by(table.columns, sources_in(table))]
    if table.empty or not ok:
        return pd.DataFrame(index=table.index, columns=metrics, dtype=float)
    key = "__row__"
    t = table.assign(**{key: np.arange(len(table))})
    if "currency" in t:
        t = t.drop(columns="currency")
    s = summarize(t, by=key, metrics=ok, share=False)
    out = pd.DataFrame(index=table.index)
    for m in metrics:
        out[m] = s[m].to_numpy() if m in s else np.nan
    return out
