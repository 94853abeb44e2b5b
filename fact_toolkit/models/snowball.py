"""The snowball: how much organic traffic a better GPM earns, estimated honestly.

The recommender gives more traffic to content whose GMV per 1,000 views is high.  The
quantity reported is the **long-run elasticity of traffic to the GPM of the preceding
seven days** ("+1 % sustained GPM brings +ε % traffic"), from an ARDL model
(:class:`statsmodels.tsa.ardl.ARDL`, ``causal=True``)::

    log T_t = c + Σ_{i=1..p} φ_i log T_{t-i} + Σ_{j=1..q} β_j log GPM7_{t-j}
              + weekday_t + campaigns/holidays_t + Σ_{k=0..2} γ_k log(1 + spend_{t-k}) + e_t

where ``GPM7_s`` is the ratio of sums ``Σ paid ÷ Σ views × 1000`` over the seven days
ending on day ``s``; with ``causal=True`` the first lag is ``GPM7_{t-1}`` — days
``t-7 .. t-1`` — so **same-day GPM never enters** (traffic dilutes GPM on the same day,
which biases a naive regression downwards).  Lags of traffic absorb persistent traffic
shocks (an AR(1) disturbance becomes ``φ_1`` plus a second GPM lag).  The long-run
multiplier ``ε = Σβ / (1 − Σφ)`` gets a delta-method 95 % interval from HAC
(Newey–West) standard errors.

Checks reported beside it:

* **placebo** — the same model plus the log GPM of the week after next (days ``t+8 ..
  t+14``, ratio of sums): future GPM must not predict today's traffic; its HAC p-value is
  ``placebo_p_value``.  (Next week's GPM is no clean placebo: today's traffic shock
  persists into next week's traffic, which dilutes next week's GPM.)
* **VAR** — a two-variable VAR of log traffic and log daily GPM (weekday, campaign and ad
  spend as exogenous), its Granger test "GPM → traffic" and the impulse response of
  traffic to a GPM shock (``details["var"]``).

A channel made of several accounts is better fitted as a panel of its accounts, each
with its own GPM and organic traffic (:mod:`fact_toolkit.models.snowball_panel`, what
``fact-toolkit snowball --by fact_channel`` reports); this module fits one series.

When the estimate is not significant the verdict says whether the data could have told:
:func:`min_detectable` gives the smallest elasticity found with 80 % power, and an
interval that still reaches :data:`MEANINGFUL_ELASTICITY` is "too little variation in GPM
to tell", not "no snowball".

Which traffic?  The simulator's law is about *organic* exposure.  Real exports rarely
split organic from paid: when the data has ``organic_exposure_pv`` (or
``paid_exposure_pv``, e.g. 千川 展示次数, to subtract from ``exposure_pv``), ask for
``traffic="organic"``; otherwise the estimate is for total views (or exposure) with ad
spend as a control — paid traffic does not respond to GPM, so that elasticity is the
organic one times the organic share of traffic (a lower bound when ads are a minor part).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .calendar import regressors
from .series import daily_series, gpm_money, rolling_gpm

__all__ = ["SnowballResult", "fit_snowball", "snowball_table", "min_days", "min_detectable", "verdict_text",
           "TRAFFIC_CHOICES", "MEANINGFUL_ELASTICITY", "POWER"]

TRAFFIC_CHOICES = ("view_pv", "exposure_pv", "organic", "total_view_pv", "total_exposure_pv")
SPEND_LAGS = 2
#: the placebo's future GPM: the 7 days ending PLACEBO_SHIFT days ahead (t+8 .. t+14)
PLACEBO_WINDOW = 7
PLACEBO_SHIFT = 14
#: the smallest elasticity worth telling a brand about (+10 % GPM → about +1 % traffic): an interval
#: that cannot rule it out is "too little variation in GPM to tell", not "no snowball"
MEANINGFUL_ELASTICITY = 0.1
#: power of the minimum detectable elasticity (two-sided test at ``alpha``)
POWER = 0.8


@dataclass
class SnowballResult:
    """One group's snowball estimate.

    Attributes
    ----------
    group : str
    elasticity : float
        Long-run elasticity of traffic to the preceding 7 days' GPM (NaN when not fitted).
    ci_low, ci_high : float
        95 % (``1 - alpha``) delta-method interval.
    p_value : float
        Two-sided p-value of ``elasticity = 0`` (HAC).
    placebo_p_value : float
        p-value of the future-GPM coefficient; small means the design is suspect.
    n_days : int
        Days in the group's series (calendar days, gaps included).
    verdict : str
        The result in plain words (or why there is none).
    converged : bool
        False when no long-run elasticity exists (traffic has a unit root) or a fit failed.
    mde : float
        Minimum detectable elasticity: the smallest true elasticity the data would find
        (two-sided test at ``alpha``) with 80 % power, ``(z_{1-alpha/2} + z_{0.8}) × se``
        (:func:`min_detectable`).
    details : dict
        ``traffic``, ``days_used``, ``lags``, ``short_run`` (coefficients), ``var``
        (Granger p-value, IRF), ``notes`` and the statsmodels results
        (``details["result"]``, not serialised).
    """

    group: str
    elasticity: float
    ci_low: float
    ci_high: float
    p_value: float
    placebo_p_value: float
    n_days: int
    verdict: str
    converged: bool = True
    details: dict = field(default_factory=dict)
    mde: float = math.nan

    def as_row(self) -> dict[str, Any]:
        """The public fields as one flat dict (no statsmodels objects)."""
        row = {k: v for k, v in asdict(self).items() if k != "details"}
        row["method"] = self.details.get("method", "series")
        row["traffic"] = self.details.get("traffic")
        row["days_used"] = self.details.get("days_used")
        row["granger_p_value"] = self.details.get("var", {}).get("granger_p_value", math.nan)
        return row


def min_days(lags: int = 7) -> int:
    """Days a group needs for a snowball fit: burn-in plus ~8 days per lagged coefficient.

    Examples
    --------
    >>> min_days(7)
    134
    """
    return 7 + lags + 8 * (2 * lags + 1)


def min_detectable(se: float, alpha: float = 0.05, power: float = POWER) -> float:
    """The smallest elasticity a two-sided test at ``alpha`` finds with probability ``power``.

    ``(z_{1-alpha/2} + z_{power}) × se``: with a standard error of 0.1 a true elasticity
    of 0.28 is found four times in five.

    Examples
    --------
    >>> round(min_detectable(0.1), 3)
    0.28
    """
    if not (np.isfinite(se) and se > 0):
        return math.nan
    return float((stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)) * se)


def verdict_text(elasticity: float, ci_low: float, ci_high: float, p_value: float, placebo_p: float,
                 *, alpha: float = 0.05, traffic: str = "organic_view_pv", lang: str = "en",
                 mde: float = math.nan) -> str:
    """The plain-words verdict.

    A significant positive estimate is a snowball.  Otherwise the interval decides what
    can be said: when it still reaches :data:`MEANINGFUL_ELASTICITY` the data cannot
    rule a snowball out ("too little variation in GPM to tell", with the minimum
    detectable elasticity ``mde`` when known); only a narrow interval is "no detectable
    snowball".

    Examples
    --------
    >>> verdict_text(0.4, 0.3, 0.5, 0.001, 0.6)
    'each +10% GPM brought +3.9% organic views within a week (95% CI 2.9%–4.9%)'
    >>> verdict_text(0.02, -0.05, 0.09, 0.7, 0.6)
    'no detectable snowball (elasticity 0.02, 95% CI -0.05–0.09)'
    >>> verdict_text(0.23, -0.09, 0.55, 0.16, 0.6, mde=0.45)
    'too little variation in GPM to tell (elasticity 0.23, 95% CI -0.09–0.55; the smallest elasticity these data could detect is 0.45)'
    """
    what_en = {"organic_view_pv": "organic views", "organic_exposure_pv": "organic exposure",
               "view_pv": "views", "exposure_pv": "exposure"}.get(traffic, traffic)
    what_zh = {"organic_view_pv": "自然观看", "organic_exposure_pv": "自然曝光", "view_pv": "观看",
               "exposure_pv": "曝光"}.get(traffic, traffic)
    level = round((1 - alpha) * 100)
    if not np.isfinite(elasticity):
        return "无法估计" if lang == "zh" else "no estimate"

    def pct(e: float) -> float:
        return (1.1 ** e - 1.0) * 100.0

    if p_value < alpha and elasticity > 0:
        if lang == "zh":
            text = (f"GPM 每提高 10%,一周内带来 {pct(elasticity):+.1f}% 的{what_zh}"
                    f"({level}% 区间 {pct(ci_low):.1f}%–{pct(ci_high):.1f}%)")
        else:
            text = (f"each +10% GPM brought {pct(elasticity):+.1f}% {what_en} within a week "
                    f"({level}% CI {pct(ci_low):.1f}%–{pct(ci_high):.1f}%)")
    elif p_value < alpha:
        text = (f"GPM 越高流量反而越少(弹性 {elasticity:.2f},{level}% 区间 {ci_low:.2f}–{ci_high:.2f}):没有雪球效应"
                if lang == "zh" else
                f"traffic fell as GPM rose (elasticity {elasticity:.2f}, {level}% CI {ci_low:.2f}–{ci_high:.2f}): "
                "no snowball")
    elif np.isfinite(ci_high) and ci_high >= MEANINGFUL_ELASTICITY:
        if lang == "zh":
            text = (f"GPM 的变化太小,无法判断(弹性 {elasticity:.2f},{level}% 区间 {ci_low:.2f}–{ci_high:.2f}"
                    + (f";这些数据能检出的最小弹性为 {mde:.2f}" if np.isfinite(mde) else "") + ")")
        else:
            text = (f"too little variation in GPM to tell (elasticity {elasticity:.2f}, {level}% CI "
                    f"{ci_low:.2f}–{ci_high:.2f}"
                    + (f"; the smallest elasticity these data could detect is {mde:.2f}" if np.isfinite(mde) else "")
                    + ")")
    else:
        text = (f"未发现雪球效应(弹性 {elasticity:.2f},{level}% 区间 {ci_low:.2f}–{ci_high:.2f})" if lang == "zh" else
                f"no detectable snowball (elasticity {elasticity:.2f}, {level}% CI {ci_low:.2f}–{ci_high:.2f})")
    if np.isfinite(placebo_p) and placebo_p < alpha:
        text += ("；但安慰剂检验未通过(未来 GPM 能预测今天的流量,p={placebo_p:.3f}),结论需谨慎" if lang == "zh" else
                 f"; but the placebo failed (future GPM predicts today's traffic, p={placebo_p:.3f}): "
                 "treat with caution")
    return text


def _nan_result(group: str, n_days: int, verdict: str, details: dict | None = None) -> SnowballResult:
    return SnowballResult(group, math.nan, math.nan, math.nan, math.nan, math.nan, int(n_days), verdict,
                          converged=False, details=details or {})


def _prepare(series: pd.DataFrame) -> pd.DataFrame:
    """A contiguous daily frame with ``gpm7`` (trailing ratio of sums) and money column."""
    if "group" in series and series["group"].nunique() > 1:
        raise ValueError("fit_snowball takes one group's rows; use snowball_table for many")
    need_build = not {"gpm7", "observed"} <= set(series.columns)
    if need_build or series["date"].diff().dropna().ne(pd.Timedelta(days=1)).any():
        return daily_series(series.drop(columns=["group"], errors="ignore"), by=None)
    return series.reset_index(drop=True)


def _paid_share(s: pd.DataFrame) -> tuple[pd.Series | None, str]:
    """Organic share of exposure per day, when paid exposure is known."""
    if "organic_exposure_pv" in s and "exposure_pv" in s and s["organic_exposure_pv"].notna().any():
        with np.errstate(divide="ignore", invalid="ignore"):
            return (s["organic_exposure_pv"] / s["exposure_pv"]).clip(0.0, 1.0), "organic_exposure_pv"
    if {"exposure_pv", "paid_exposure_pv"} <= set(s.columns) and s["paid_exposure_pv"].notna().any():
        with np.errstate(divide="ignore", invalid="ignore"):
            share = 1.0 - s["paid_exposure_pv"].fillna(0.0) / s["exposure_pv"]
        return share.clip(0.05, 1.0), "paid_exposure_pv"
    return None, ""


def _traffic(s: pd.DataFrame, traffic: str) -> tuple[pd.Series, str, list[str]]:
    """The traffic series to explain, its name, and notes on how it was derived.

    ``view_pv``/``exposure_pv``: the organic part when paid exposure is known (the organic
    share of exposure applied to views), else the total with ad spend as a control.
    ``total_view_pv``/``total_exposure_pv``: always the total.  ``organic``: organic
    exposure, which needs paid exposure.
    """
    notes: list[str] = []
    share, source = _paid_share(s)
    base = {"organic": "exposure_pv", "organic_exposure_pv": "exposure_pv", "total_view_pv": "view_pv",
            "total_exposure_pv": "exposure_pv"}.get(traffic, traffic)
    if base not in ("view_pv", "exposure_pv"):
        raise KeyError(f"unknown traffic {traffic!r}; use view_pv, exposure_pv or organic")
    if base == "exposure_pv" and ("exposure_pv" not in s or s["exposure_pv"].notna().sum() == 0):
        if traffic in ("organic", "organic_exposure_pv"):
            raise KeyError("no exposure_pv to take organic traffic from")
        notes.append("no exposure in the data: views used instead")
        base = "view_pv"
    if base not in s or s[base].notna().sum() == 0:
        raise KeyError(f"no {base} in this group's data (e.g. shelf/商品卡 rows have no views)")
    if traffic.startswith("total_"):
        return s[base], base, notes
    if share is None:
        if traffic in ("organic", "organic_exposure_pv"):
            raise KeyError("no organic_exposure_pv or paid_exposure_pv (千川 展示次数) to separate organic traffic")
        notes.append(f"total {base} (no paid exposure to subtract; ad spend is a control): the elasticity is the "
                     "organic one times the organic share of traffic")
        return s[base], base, notes
    notes.append(f"organic {base} = {base} × organic share of exposure (from {source})")
    if source == "organic_exposure_pv" and base == "exposure_pv":
        return s["organic_exposure_pv"], "organic_exposure_pv", notes
    return s[base] * share, f"organic_{base}", notes


def _longest_run(ok: np.ndarray) -> tuple[int, int]:
    """Start and stop (exclusive) of the longest run of True."""
    best, cur_start, best_span = (0, 0), None, 0
    for i, v in enumerate(np.append(ok, False)):
        if v and cur_start is None:
            cur_start = i
        elif not v and cur_start is not None:
            if i - cur_start > best_span:
                best_span, best = i - cur_start, (cur_start, i)
            cur_start = None
    return best


def _controls(s: pd.DataFrame, calendar: pd.DataFrame | None) -> pd.DataFrame:
    reg = regressors(s["date"], s["campaign_id"] if "campaign_id" in s else None, calendar)
    if "ad_spend" in s and s["ad_spend"].notna().any():
        ls = np.log1p(s["ad_spend"].fillna(0.0).clip(lower=0.0))
        for k in range(SPEND_LAGS + 1):
            reg[f"log_spend_l{k}"] = ls.shift(k).to_numpy()
    return reg


def _usable_fixed(fixed: pd.DataFrame) -> pd.DataFrame:
    """Drop constant and duplicate control columns (they would make the design singular)."""
    keep: list[str] = []
    seen: list[np.ndarray] = []
    for c in fixed.columns:
        v = fixed[c].to_numpy(dtype=float)
        finite = v[np.isfinite(v)]
        if finite.size == 0 or np.ptp(finite) == 0 or any(np.array_equal(v, w, equal_nan=True) for w in seen):
            continue
        keep.append(c)
        seen.append(v)
    return fixed[keep]


def _fit_ardl(y: pd.Series, x: pd.DataFrame, fixed: pd.DataFrame, lags: int, hac_lags: int) -> Any:
    from statsmodels.tsa.ardl import ARDL

    model = ARDL(y, lags, x, lags, causal=True, fixed=fixed if fixed.shape[1] else None, trend="c",
                 seasonal=True, period=7)
    return model.fit(cov_type="HAC", cov_kwds={"maxlags": hac_lags})


def _long_run(res: Any, y_name: str, x_name: str, alpha: float) -> tuple[float, float, float, float, float]:
    """Long-run multiplier Σβ/(1−Σφ), its delta-method se, CI and p-value."""
    names = list(res.params.index)
    phi = [n for n in names if n.startswith(f"{y_name}.L")]
    beta = [n for n in names if n.startswith(f"{x_name}.L")]
    p = res.params
    b, f = float(p[beta].sum()), float(p[phi].sum())
    denom = 1.0 - f
    if denom <= 1e-6:
        return math.nan, math.nan, math.nan, math.nan, math.nan
    lr = b / denom
    g = pd.Series(0.0, index=names)
    g[beta] = 1.0 / denom
    g[phi] = b / denom ** 2
    cov = res.cov_params().loc[names, names].to_numpy()
    se = float(math.sqrt(max(g.to_numpy() @ cov @ g.to_numpy(), 0.0)))
    z = stats.norm.ppf(1 - alpha / 2)
    pval = float(2 * stats.norm.sf(abs(lr / se))) if se > 0 else math.nan
    return lr, se, lr - z * se, lr + z * se, pval


def _var_view(y: np.ndarray, g: np.ndarray, exog: np.ndarray, lags: int, horizon: int = 14) -> dict[str, Any]:
    """VAR of (log traffic, log daily GPM): Granger "GPM → traffic" and the IRF."""
    from statsmodels.tsa.api import VAR

    data = np.column_stack([y, g])
    model = VAR(data, exog=exog if exog.shape[1] else None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sel = model.select_order(maxlags=lags)
        order = max(1, int(sel.aic))
        res = model.fit(order)
        test = res.test_causality(0, [1], kind="f")
        irf = res.irf(horizon)
    return {
        "order": order,
        "granger_p_value": float(test.pvalue),
        "irf_traffic_to_gpm": [float(v) for v in irf.irfs[:, 0, 1]],
        "irf_horizon": horizon,
        "warnings": [str(w.message) for w in caught],
    }


def fit_snowball(series: pd.DataFrame, *, traffic: str = "view_pv", lags: int = 7, alpha: float = 0.05,
                 group: str = "all", calendar: pd.DataFrame | None = None, var: bool = True,
                 lang: str = "en") -> SnowballResult:
    """Estimate one group's snowball elasticity (see the module docstring for the model).

    Parameters
    ----------
    series : pandas.DataFrame
        One group's daily rows with ``date``, ``view_pv`` (or ``exposure_pv``),
        ``paid_amount`` (else ``gmv``), optionally ``ad_spend`` and ``campaign_id``; raw
        rows are summed per day first (ratio of sums), missing days are gaps.
    traffic : {"view_pv", "exposure_pv", "organic"}, default "view_pv"
        Traffic whose response is estimated (``organic`` needs ``organic_exposure_pv`` or
        ``exposure_pv`` with ``paid_exposure_pv``).  GPM is always paid (else GMV) per
        1,000 views.
    lags : int, default 7
        Lags of traffic and of the 7-day GPM (GPM lags start at 1: no same-day GPM).
    alpha : float, default 0.05
        1 − confidence level of the interval and the significance of the verdict.
    group : str
        Name reported.
    calendar : pandas.DataFrame, optional
        Campaign calendar (the shipped one when None).
    var : bool, default True
        Also fit the VAR view (Granger test, impulse responses).
    lang : {"en", "zh"}
        Language of the verdict.

    Returns
    -------
    SnowballResult
        NaN numbers and a verdict saying why when the series cannot support a fit
        (too few days, constant traffic or GPM, no views).

    Examples
    --------
    >>> from fact_toolkit.sample import simulate_account
    >>> r = fit_snowball(simulate_account(1, elasticity=0.4), traffic="organic", var=False)
    >>> bool(r.ci_low < 0.4 < r.ci_high)
    True
    """
    if lags < 1:
        raise ValueError("lags must be >= 1")
    from .batch import one_blas_thread

    with one_blas_thread():
        return _fit(series, traffic=traffic, lags=lags, alpha=alpha, group=group, calendar=calendar, var=var,
                    lang=lang)


def _fit(series: pd.DataFrame, *, traffic: str, lags: int, alpha: float, group: str,
         calendar: pd.DataFrame | None, var: bool, lang: str) -> SnowballResult:
    s = _prepare(series)
    n_days = len(s)
    need = min_days(lags)
    if n_days < need:
        return _nan_result(group, n_days, f"not enough data ({n_days} days, need {need})")
    try:
        t, traffic_used, traffic_notes = _traffic(s, traffic)
    except KeyError as err:
        return _nan_result(group, n_days, f"not available: {err.args[0]}")
    with np.errstate(divide="ignore", invalid="ignore"):
        y = np.log(t.where(t > 0).astype(float))
        x = np.log(pd.Series(s["gpm7"], dtype=float).where(lambda v: v > 0))
        g_day = np.log(pd.Series(s["gpm"], dtype=float).where(lambda v: v > 0))
    fixed_all = _controls(s, calendar)
    views = s["view_pv"] if "view_pv" in s else pd.Series(np.nan, index=s.index)
    # placebo regressor: GPM of the week after next (days t+8 .. t+14), same pairing as gpm7
    lead_gpm = pd.Series(rolling_gpm(gpm_money(s), views, PLACEBO_WINDOW)).shift(-PLACEBO_SHIFT)
    with np.errstate(divide="ignore", invalid="ignore"):
        lead_x = np.log(lead_gpm.where(lead_gpm > 0))
    ok = (np.isfinite(y) & np.isfinite(x) & fixed_all.notna().all(axis=1)).to_numpy()
    a, b = _longest_run(ok)
    used = b - a
    notes: list[str] = list(traffic_notes)
    if used < n_days:
        notes.append(f"fitted on the longest unbroken stretch: {used} of {n_days} days "
                     f"({s['date'].iloc[a]:%Y-%m-%d} to {s['date'].iloc[b - 1]:%Y-%m-%d}); "
                     "days without traffic or GPM break the series")
    details: dict[str, Any] = {"traffic": traffic_used, "days_used": int(used), "lags": lags, "notes": notes}
    if used < need:
        reason = "gaps or zero-view days" if used < n_days else ""
        return _nan_result(group, n_days, f"not enough data ({used} usable days, need {need})"
                           + (f"; {reason}" if reason else ""), details)
    sl = slice(a, b)
    yy = pd.Series(y.to_numpy()[sl], name="log_traffic")
    xx = pd.DataFrame({"log_gpm7": x.to_numpy()[sl]})
    if yy.std() < 1e-9:
        return _nan_result(group, n_days, "not available: traffic is constant", details)
    if xx["log_gpm7"].std() < 1e-9:
        return _nan_result(group, n_days, "not available: GPM is constant", details)
    fixed = _usable_fixed(fixed_all.iloc[sl].reset_index(drop=True))
    res = _fit_ardl(yy, xx, fixed, lags, lags)
    lr, se, lo, hi, pval = _long_run(res, "log_traffic", "log_gpm7", alpha)
    details["result"] = res
    details["short_run"] = {k: float(v) for k, v in res.params.items() if k.startswith(("log_gpm7", "log_traffic"))}
    details["se"] = se
    # placebo: same model plus future GPM
    placebo_p = math.nan
    lx = lead_x.to_numpy()[sl]
    okp = np.isfinite(lx)
    stop = int(np.flatnonzero(~okp)[0]) if (~okp).any() else len(okp)
    if stop >= need:
        fp = fixed.iloc[:stop].copy()
        fp["lead_log_gpm7"] = lx[:stop]
        rp = _fit_ardl(yy.iloc[:stop], xx.iloc[:stop], _usable_fixed(fp), lags, lags)
        if "lead_log_gpm7" in rp.pvalues:
            placebo_p = float(rp.pvalues["lead_log_gpm7"])
            details["placebo_coef"] = float(rp.params["lead_log_gpm7"])
    if var:
        gd = g_day.to_numpy()[sl]
        if np.isfinite(gd).all():
            wd = pd.get_dummies(s["date"].iloc[sl].dt.day_of_week, drop_first=True, dtype=float).to_numpy()
            ex = np.column_stack([wd, fixed.drop(columns=[c for c in fixed if c.startswith("log_spend_l")
                                                          and c != "log_spend_l0"]).to_numpy()])
            try:
                details["var"] = _var_view(yy.to_numpy(), gd, ex, lags)
            except (np.linalg.LinAlgError, ValueError) as err:
                details["var"] = {"error": str(err), "granger_p_value": math.nan}
    converged = bool(np.isfinite(lr))
    mde = min_detectable(se, alpha)
    if not converged:
        verdict = ("no long-run elasticity: traffic behaves like a random walk (the traffic lags sum to ≥ 1)"
                   if lang == "en" else "无法给出长期弹性:流量近似随机游走")
    else:
        verdict = verdict_text(lr, lo, hi, pval, placebo_p, alpha=alpha, traffic=traffic_used, lang=lang, mde=mde)
    return SnowballResult(group, float(lr), float(lo), float(hi), float(pval), float(placebo_p), int(n_days),
                          verdict, converged, details, mde)


def snowball_table(daily: Any, by: str = "fact_channel", *, n_jobs: int = 1, progress: bool = False,
                   **kw: Any) -> pd.DataFrame:
    """Fit :func:`fit_snowball` for every group; one row per group.

    Parameters
    ----------
    daily : Dataset or pandas.DataFrame
        The daily panel (or any table :func:`fact_toolkit.models.series.daily_series` takes).
    by : str, default "fact_channel"
        ``fact_channel``, ``account_id`` or any column; ``"all"`` for one group.
    n_jobs : int, default 1
        Parallel workers (see :func:`fact_toolkit.models.batch.fit_many`).
    progress : bool
        Show a tqdm progress bar.
    **kw
        Passed to :func:`fit_snowball` (``traffic``, ``lags``, ``alpha``, ``var``…).

    Returns
    -------
    pandas.DataFrame
        ``group, elasticity, ci_low, ci_high, p_value, placebo_p_value, n_days, verdict,
        converged, traffic, days_used, granger_p_value``; groups with too little data get
        NaN numbers and ``"not enough data (n days, need m)"``.
    """
    from .batch import fit_many

    series = daily_series(daily, by=by)
    rows = fit_many(series, fit_snowball, n_jobs=n_jobs, progress=progress, **kw)
    return pd.DataFrame(rows)
