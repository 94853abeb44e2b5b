"""Reconciliation of platform-reported metrics: which checks a file gets, stated once.

An export may carry the platform's own GPM, CTR, AOV … next to the columns they are
computed from. Each such value is compared with the value recomputed from the same row;
a disagreement beyond rounding is a :class:`~fact_toolkit.report.Mismatch`. This module
holds the one definition of the checks — which reported column is compared with which
numerator, denominator and scale, per file kind, and the tolerance — and evaluates it on
a pandas frame (:func:`mismatched`) or renders it as SQL over canonical columns
(:func:`mismatched_sql`), so the pandas loader and the DuckDB engine flag the same rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .schema import FILE_KINDS, TABLES

__all__ = ["Check", "TOLERANCE", "checks", "tolerance", "recomputed", "mismatched", "recomputed_sql",
           "mismatched_sql"]

#: (absolute, relative) tolerance by the reported column's kind
TOLERANCE: dict[str, tuple[float, float]] = {"rate": (0.0001, 0.0), "money": (0.01, 0.001),
                                              "float": (0.01, 0.001)}


@dataclass(frozen=True)
class Check:
    """One reported metric compared with its recomputed value.

    ``numerator / denominator × scale``, or ``numerator − minus`` when ``minus`` is set.
    """

    metric: str
    reported: str
    numerator: str
    denominator: str | None = None
    scale: float = 1.0
    minus: str | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the check reads."""
        return tuple(c for c in (self.reported, self.numerator, self.denominator, self.minus) if c)


def checks(kind: str, has: Callable[[str], bool]) -> list[Check]:
    """The checks a file of ``kind`` gets, given which columns hold values.

    Parameters
    ----------
    kind : str
        A key of :data:`fact_toolkit.schema.FILE_KINDS`.
    has : callable
        ``has(column)``: the file has the canonical column with at least one value.

    Returns
    -------
    list of Check
    """
    fk = FILE_KINDS[kind]

    def h(*cols: str) -> bool:
        return all(has(c) for c in cols)

    money = fk.reconcile_gpm_with if h(fk.reconcile_gpm_with) else ("paid_amount" if h("paid_amount") else "gmv")
    out: list[Check] = []
    if h("reported_gpm", money, "view_pv"):
        out.append(Check("gpm", "reported_gpm", money, "view_pv", 1000.0))
    if h("reported_show_gpm", money, "exposure_pv"):
        out.append(Check("show_gpm", "reported_show_gpm", money, "exposure_pv", 1000.0))
    if h("reported_product_ctr", "product_click_uv", "product_exposure_uv"):
        out.append(Check("product_ctr", "reported_product_ctr", "product_click_uv", "product_exposure_uv"))
    elif h("reported_product_ctr", "product_click_pv", "product_exposure_pv"):
        out.append(Check("product_ctr", "reported_product_ctr", "product_click_pv", "product_exposure_pv"))
    if h("reported_click_order_rate", "buyers", "product_click_uv"):
        out.append(Check("click_order_rate", "reported_click_order_rate", "buyers", "product_click_uv"))
    aov_num, aov_den = fk.aov_basis
    aov_num = aov_num if h(aov_num) else money
    if h("reported_aov", aov_num, aov_den):
        out.append(Check("aov", "reported_aov", aov_num, aov_den))
    if h("reported_product_gpm", money, "product_exposure_pv"):
        out.append(Check("product_gpm", "reported_product_gpm", money, "product_exposure_pv", 1000.0))
    if h("reported_uv_value", "gmv", "view_uv"):
        out.append(Check("uv_value", "reported_uv_value", "gmv", "view_uv"))
    if h("reported_exposure_view_rate", "view_uv", "exposure_uv"):
        out.append(Check("exposure_view_rate", "reported_exposure_view_rate", "view_uv", "exposure_uv"))
    if h("reported_net_gmv", "gmv", "refund_amount"):
        out.append(Check("net_gmv", "reported_net_gmv", "gmv", minus="refund_amount"))
    roi_num = "ad_gmv" if h("ad_gmv") else money
    if h("reported_roi", roi_num, "ad_spend"):
        out.append(Check("roi", "reported_roi", roi_num, "ad_spend"))
    return out


def tolerance(table: str, check: Check) -> tuple[float, float]:
    """(absolute, relative) tolerance of ``check`` in ``table``."""
    return TOLERANCE.get(TABLES[table].column(check.reported).kind, (0.01, 0.001))


def _num(frame: pd.DataFrame, col: str) -> pd.Series:
    return frame[col].astype("Float64").astype("float64")


def recomputed(check: Check, frame: pd.DataFrame) -> pd.Series:
    """The recomputed value per row (NaN where it is undefined, e.g. a zero denominator)."""
    if check.minus is not None:
        out = _num(frame, check.numerator) - _num(frame, check.minus)
    else:
        out = _num(frame, check.numerator) / _num(frame, check.denominator or "") * check.scale
    return out.replace([np.inf, -np.inf], np.nan)


def mismatched(check: Check, frame: pd.DataFrame, table: str) -> np.ndarray:
    """Rows whose reported value differs from the recomputed one beyond the tolerance."""
    abs_tol, rel_tol = tolerance(table, check)
    rec = recomputed(check, frame)
    diff = (_num(frame, check.reported) - rec).abs()
    return (diff > abs_tol + rel_tol * rec.abs()).fillna(False).to_numpy(dtype=bool)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def recomputed_sql(check: Check, col: Callable[[str], str] = _q) -> str:
    """:func:`recomputed` as a DuckDB expression (NULL where undefined).

    ``col`` maps a canonical column name to its SQL expression (default: the quoted name).
    The operations run in the order pandas runs them, so the doubles are identical.
    """
    n = f"CAST({col(check.numerator)} AS DOUBLE)"
    if check.minus is not None:
        return f"({n} - CAST({col(check.minus)} AS DOUBLE))"
    d = f"CAST({col(check.denominator or '')} AS DOUBLE)"
    return f"(CASE WHEN {d} <> 0 THEN {n} / {d} * {check.scale!r} END)"


def mismatched_sql(check: Check, table: str, col: Callable[[str], str] = _q) -> str:
    """:func:`mismatched` as a DuckDB boolean expression (never NULL)."""
    abs_tol, rel_tol = tolerance(table, check)
    rec = recomputed_sql(check, col)
    rep = f"CAST({col(check.reported)} AS DOUBLE)"
    return f"coalesce(abs({rep} - {rec}) > {abs_tol!r} + {rel_tol!r} * abs({rec}), FALSE)"
