"""Alert rules from the run configuration, evaluated on a run's KPIs.

The grammar, one TOML inline table per rule (``alerts = [ ... ]`` inside a ``[[run]]``)::

    {metric = "gpm", channel = "F", change_wow = "<-20%"}   # last 7 days vs the 7 before
    {metric = "gmv", change = "<-0.10"}                      # last 7 days vs those of the previous run
    {metric = "refund_rate", above = 0.10}                   # every channel, whole data
    {metric = "refund_rate", channel = "all", above = 0.10, period = "last_7d"}
    {metric = "talent_gmv_share", above = 0.40}              # one talent > 40% of brand GMV

Keys
----
metric
    A KPI name (:data:`fact_toolkit.reports.kpis.CHANNEL_METRICS`) or ``talent_gmv_share``.
exactly one condition
    ``above = <number>`` (fires when value > number), ``below = <number>`` (value < number),
    ``change_wow = "<op><number>[%]"`` (relative change of the last 7 days of this run's
    data against the 7 days before, in the same data: week on week),
    ``change = "<op><number>[%]"`` (relative change of the last 7 days of this run's data
    against the last 7 days of the previous successful run's data — equal windows, so
    runs over data of different lengths compare like with like). ``op`` is one of
    ``< <= > >=``; ``"<-20%"`` and ``"<-0.20"`` mean the same. A change can't be below
    -100 % and zero takes no sign. Both change kinds stay silent when a window is not
    fully covered by the data (e.g. less than 14 days for ``change_wow``).
    Metrics ending in ``_rate`` / ``_share`` are fractions: ``above``/``below`` must be
    between 0 and 1 (``0.10`` = 10 %).
channel (optional)
    ``F``, ``A``, ``T``, ``S``, ``other`` or ``all`` (the brand total). Omitted: every
    channel is checked separately. For ``talent_gmv_share`` it selects talents by channel.
currency (optional)
    Only rows in this currency.
period (optional)
    For ``above``/``below``: ``all`` (default: every day in the data) or ``last_7d``.
    Change rules always compare 7-day windows (only ``last_7d`` is accepted).
label (optional)
    Text shown instead of the generated description.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import FactInputError

__all__ = ["AlertRule", "parse_rule", "parse_rules", "evaluate", "CONDITIONS", "is_fraction"]

#: the condition keys a rule may carry (exactly one)
CONDITIONS: tuple[str, ...] = ("above", "below", "change_wow", "change")
_KEYS = {"metric", "channel", "currency", "period", "label", *CONDITIONS}
_CHANNELS = ("F", "A", "T", "S", "other", "all")
_PERIODS = ("all", "last_7d")
_OPS: dict[str, Callable[[float, float], bool]] = {
    "<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt,
}
_COMPARISON = re.compile(r"^\s*(<=|>=|<|>)\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(%?)\s*$")


@dataclass(frozen=True)
class AlertRule:
    """One threshold rule; build it with :func:`parse_rule`.

    Attributes
    ----------
    metric : str
    kind : {"above", "below", "change_wow", "change"}
    op : str
        Comparison operator (``>`` for ``above``, ``<`` for ``below``).
    threshold : float
        A level for above/below, a relative change (-0.2 = -20 %) otherwise.
    channel, currency : str or None
    period : {"all", "last_7d"}
    label : str or None
    """

    metric: str
    kind: str
    op: str
    threshold: float
    channel: str | None = None
    currency: str | None = None
    period: str = "all"
    label: str | None = None

    def describe(self) -> str:
        """The rule in words, e.g. ``gpm F change_wow < -20%``."""
        if self.label:
            return self.label
        where = " ".join(x for x in (self.channel, self.currency) if x)
        if self.kind == "change_wow":
            cond = f"week-on-week change (last 7 days vs the 7 before) {self.op} {self.threshold * 100:+g}%"
        elif self.kind == "change":
            cond = f"change vs the previous run (last 7 days each) {self.op} {self.threshold * 100:+g}%"
        else:
            cond = f"{self.op} {_fmt(self.metric, self.threshold)}"
        period = " (last 7 days)" if self.kind in ("above", "below") and self.period == "last_7d" else ""
        return f"{self.metric}{' ' + where if where else ''}{period} {cond}"


def is_fraction(metric: str) -> bool:
    """Metrics measured as 0–1 fractions (``*_rate``, ``*_share``)."""
    return metric.endswith(("_rate", "_share"))


def _fmt(metric: str, value: float) -> str:
    if is_fraction(metric):
        return f"{value:.1%}"
    return f"{value:,.2f}"


def _number(value: Any, where: str, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise FactInputError(where, f"alert {key} = {value!r} is not a number",
                             fix=f"write e.g. {key} = 0.10 (rates are 0–1 fractions)")
    return float(value)


def parse_rule(raw: Mapping[str, Any], where: str = "alerts", metrics: Iterable[str] | None = None) -> AlertRule:
    """Validate one rule table and return it as an :class:`AlertRule`.

    Parameters
    ----------
    raw : mapping
        The TOML inline table.
    where : str
        Names the place in error messages (e.g. ``reports/runs.toml: run 'overview'``).
    metrics : iterable of str, optional
        Allowed metric names; default the KPI names of :mod:`fact_toolkit.reports.kpis`.

    Raises
    ------
    FactInputError
        Unknown key, metric, channel or period; no condition or more than one; a
        comparison that is not ``<op><number>[%]``.

    Examples
    --------
    >>> parse_rule({"metric": "gpm", "channel": "F", "change_wow": "<-20%"}).threshold
    -0.2
    """
    from .kpis import ALERT_METRICS

    allowed = tuple(metrics) if metrics is not None else ALERT_METRICS
    if not isinstance(raw, Mapping):
        raise FactInputError(where, f"alert {raw!r} is not a table",
                             fix='write it as {metric = "refund_rate", above = 0.10}')
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise FactInputError(where, f"alert has unknown key(s) {', '.join(unknown)}",
                             fix=f"use {', '.join(sorted(_KEYS))}")
    metric = raw.get("metric")
    if metric not in allowed:
        raise FactInputError(where, f"alert metric {metric!r} is not known", fix=f"use one of {', '.join(allowed)}")
    conds = [k for k in CONDITIONS if k in raw]
    if len(conds) != 1:
        raise FactInputError(where, f"alert on {metric} needs exactly one condition, found "
                             f"{', '.join(conds) or 'none'}", fix=f"use one of {', '.join(CONDITIONS)}")
    kind = conds[0]
    if kind in ("above", "below"):
        op, threshold = (">" if kind == "above" else "<"), _number(raw[kind], where, kind)
        if is_fraction(metric) and not 0.0 <= threshold <= 1.0:
            raise FactInputError(where, f"alert {metric} {kind} = {raw[kind]!r} is outside 0–1 "
                                 f"({threshold:.0%} can never be crossed)",
                                 fix=f"rates and shares are fractions: 0.10 = 10 %, so write {kind} = "
                                     f"{threshold / 100 if threshold > 1 else 0.10:g}")
    else:
        text = raw[kind]
        m = _COMPARISON.match(text) if isinstance(text, str) else None
        if m is None:
            raise FactInputError(where, f"alert {kind} = {text!r} is not a comparison",
                                 fix=f'write e.g. {kind} = "<-20%" or {kind} = "<-0.20"')
        op, threshold = m.group(1), float(m.group(2)) / (100.0 if m.group(3) else 1.0)
        if threshold == 0 and m.group(2).lstrip()[:1] in "+-":
            raise FactInputError(where, f"alert {kind} = {text!r}: a signed zero is not a threshold",
                                 fix=f'write {kind} = "{op}0" (any rise: ">0", any fall: "<0") or e.g. "<-20%"')
        if threshold < -1.0:
            raise FactInputError(where, f"alert {kind} = {text!r}: nothing falls by more than 100 %, "
                                 f"so this {'never' if op.startswith('<') else 'always'} fires",
                                 fix=f'write e.g. {kind} = "<-20%" (a 20 % drop); -100 % means down to zero')
    channel = raw.get("channel")
    if channel is not None and channel not in _CHANNELS:
        raise FactInputError(where, f"alert channel {channel!r} is not known", fix=f"use one of {', '.join(_CHANNELS)}")
    if metric == "talent_gmv_share" and kind in ("change", "change_wow"):
        raise FactInputError(where, "talent_gmv_share takes above or below only",
                             fix="write e.g. {metric = \"talent_gmv_share\", above = 0.40}")
    if kind in ("change", "change_wow"):
        period = raw.get("period", "last_7d")
        if period != "last_7d":
            raise FactInputError(where, f"alert {kind} on {metric} with period {period!r}: change rules compare "
                                 "7-day windows (whole-data totals of runs over different dates are not comparable)",
                                 fix='leave period out (or write period = "last_7d")')
    else:
        period = raw.get("period", "all")
    if period not in _PERIODS:
        raise FactInputError(where, f"alert period {period!r} is not known", fix=f"use one of {', '.join(_PERIODS)}")
    currency = raw.get("currency")
    label = raw.get("label")
    for key, val in (("currency", currency), ("label", label)):
        if val is not None and not isinstance(val, str):
            raise FactInputError(where, f"alert {key} = {val!r} is not text", fix=f'write {key} = "..."')
    return AlertRule(metric=metric, kind=kind, op=op, threshold=threshold, channel=channel,
                     currency=currency, period=period, label=label)


def parse_rules(raw: Any, where: str = "alerts") -> tuple[AlertRule, ...]:
    """Validate a list of rule tables (see :func:`parse_rule`)."""
    if raw is None:
        return ()
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise FactInputError(where, "alerts is not a list of tables",
                             fix='write alerts = [{metric = "refund_rate", above = 0.10}]')
    return tuple(parse_rule(r, where) for r in raw)


def _rows(kpis: Mapping[str, Any], key: str, period: str) -> list[dict]:
    return [r for r in kpis.get(key, []) if r.get("period") == period]


def _complete(kpis: Mapping[str, Any], period: str) -> bool:
    """The data covers every day of ``period`` (KPIs without dates: assume it does)."""
    from .kpis import period_window

    w = period_window(kpis, period)
    return True if w is None else bool(w.get("complete", True))


def _finite(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _match(rule: AlertRule, row: Mapping[str, Any]) -> bool:
    if rule.currency is not None and row.get("currency") != rule.currency:
        return False
    if rule.channel is None:
        return row.get("fact_channel") != "all"
    return row.get("fact_channel") == rule.channel


def _key(row: Mapping[str, Any]) -> tuple:
    return row.get("fact_channel"), row.get("currency")


def evaluate(rules: Sequence[AlertRule], kpis: Mapping[str, Any] | None,
             previous: Mapping[str, Any] | None = None) -> list[dict]:
    """Fired alerts: one dict per rule × channel (or talent) whose condition holds.

    Parameters
    ----------
    rules : sequence of AlertRule
    kpis : dict
        Output of :func:`fact_toolkit.reports.kpis.compute_kpis` for this run.
    previous : dict, optional
        KPIs of the previous successful run (needed by ``change`` rules; without it those
        rules do not fire).

    Returns
    -------
    list of dict
        Keys ``rule`` (description), ``metric``, ``fact_channel``, ``currency``,
        ``value``, ``reference`` (previous value for change rules, else None),
        ``threshold``, ``message`` (English) and ``message_zh``; talent rules add ``account_id``, ``account_name``.
        A missing value (e.g. GPM of a channel without views) never fires.

    Examples
    --------
    >>> kpis = {"channels": [{"period": "all", "fact_channel": "F", "currency": "CNY",
    ...                       "refund_rate": 0.12}]}
    >>> [a["message"] for a in evaluate([parse_rule({"metric": "refund_rate", "above": 0.1})], kpis)]
    ['refund_rate F CNY = 12.0% (rule: refund_rate > 10.0%)']
    """
    fired: list[dict] = []
    if not kpis:
        return fired
    from ..formatting import column_label  # lazy: parsing a configuration needs no pandas
    for rule in rules:
        cmp = _OPS[rule.op]
        if rule.metric == "talent_gmv_share":
            for row in _rows(kpis, "talents", rule.period):
                if rule.channel not in (None, "all") and row.get("fact_channel") != rule.channel:
                    continue
                if rule.currency is not None and row.get("currency") != rule.currency:
                    continue
                value = row.get("talent_gmv_share")
                if _finite(value) and cmp(value, rule.threshold):
                    who = row.get("account_name") or row.get("account_id")
                    fired.append({
                        "rule": rule.describe(), "metric": rule.metric, "fact_channel": row.get("fact_channel"),
                        "currency": row.get("currency"), "account_id": row.get("account_id"),
                        "account_name": row.get("account_name"), "value": value, "reference": None,
                        "threshold": rule.threshold,
                        "message": f"talent {who} ({row.get('fact_channel')}) has {value:.1%} of "
                                   f"{row.get('currency')} GMV (rule: {rule.describe()})",
                        "message_zh": f"达人 {who}（{row.get('fact_channel')}）占 {row.get('currency')} 成交金额的 "
                                      f"{value:.1%}（规则：{rule.describe()}）",
                    })
            continue
        if rule.kind == "change_wow":
            # week on week inside this run's data; silent unless both weeks are fully covered
            if not _complete(kpis, "prev_7d"):
                continue
            now, ref = _rows(kpis, "channels", "last_7d"), _rows(kpis, "channels", "prev_7d")
        elif rule.kind == "change":
            # this run's last 7 days vs the previous run's last 7 days (equal windows)
            if not previous or not (_complete(kpis, "last_7d") and _complete(previous, "last_7d")):
                continue
            now, ref = _rows(kpis, "channels", "last_7d"), _rows(previous, "channels", "last_7d")
        else:
            now, ref = _rows(kpis, "channels", rule.period), []
        ref_by_key = {_key(r): r for r in ref}
        for row in now:
            if not _match(rule, row):
                continue
            value = row.get(rule.metric)
            label = f"{rule.metric} {row.get('fact_channel')} {row.get('currency')}"
            label_zh = f"{column_label(rule.metric, 'zh')} {row.get('fact_channel')} {row.get('currency')}"
            if rule.kind in ("above", "below"):
                if _finite(value) and cmp(value, rule.threshold):
                    fired.append({"rule": rule.describe(), "metric": rule.metric,
                                  "fact_channel": row.get("fact_channel"), "currency": row.get("currency"),
                                  "value": value, "reference": None, "threshold": rule.threshold,
                                  "message": f"{label} = {_fmt(rule.metric, value)} (rule: {rule.describe()})",
                                  "message_zh": f"{label_zh} = {_fmt(rule.metric, value)}（规则：{rule.describe()}）"})
                continue
            base = ref_by_key.get(_key(row), {}).get(rule.metric)
            if not (_finite(value) and _finite(base)) or base == 0:
                continue
            change = value / base - 1.0
            if cmp(change, rule.threshold):
                what = "week on week" if rule.kind == "change_wow" else "vs the previous run's last 7 days"
                what_zh = "环比上周" if rule.kind == "change_wow" else "对比上次运行的最近 7 天"
                fired.append({"rule": rule.describe(), "metric": rule.metric,
                              "fact_channel": row.get("fact_channel"), "currency": row.get("currency"),
                              "value": value, "reference": base, "change": change, "threshold": rule.threshold,
                              "message": f"{label} {change:+.1%} {what} ({_fmt(rule.metric, base)} → "
                                         f"{_fmt(rule.metric, value)}; rule: {rule.describe()})",
                              "message_zh": f"{label_zh} {what_zh} {change:+.1%}（{_fmt(rule.metric, base)} → "
                                            f"{_fmt(rule.metric, value)}；规则：{rule.describe()}）"})
    return fired
