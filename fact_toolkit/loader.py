"""The pandas engine: files, folders and globs in; a validated :class:`Dataset` out.

:func:`fact_toolkit.load` (:mod:`fact_toolkit.engines.dispatch`) chooses between it and the
DuckDB engine, which loads its small files with it.

Data flows one way: readers (cells) → convert (canonical columns, parse failures) →
per-table assembly (dtypes, derived columns, duplicates, pandera) → classification
(FACT channel, campaign overlay) → reconciliation of platform-reported metrics → the
row accounting of the :class:`~fact_toolkit.report.LoadReport`.
"""

from __future__ import annotations

import inspect
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import cache as _cache
from . import memo as _memo
from .channels import (
    ChannelRules,
    campaign_calendar_from_frame,
    campaign_calendar_from_toml,
    classify_tables,
    default_campaigns,
)
from .dataset import Dataset
from .errors import FactInputError
from .io.convert import Converted, convert_raw
from .io.files import expand_paths
from .io.headers import header_score
from .io.readers import SUPPORTED_SUFFIXES, RawTable, read_raw
from .reconcile import frame_mismatches
from .report import FileReport, LoadReport, Mismatch, display_path
from .schema import FILE_KINDS, TABLES
from .validate import DTYPES, find_duplicates, validate_table, warm_up

__all__ = ["load", "expand_paths", "campaign_calendar", "memo_key", "read_campaign_calendar", "time_zone_warning"]

@dataclass
class _Part:
    report: FileReport
    converted: Converted


def _read_file(path: Path, kind: str | None, locale: str | None, tz: str | None,
               currency: str | None, use_cache: bool = False,
               writers: list[threading.Thread] | None = None) -> list[_Part]:
    key = None
    if use_cache:
        key = _cache.cache_key(_cache.file_digest(path),
                              {"kind": kind, "locale": locale, "tz": tz, "currency": currency})
        hit = _cache.read_entry(key, path)
        if hit is not None:
            for fr, _ in hit:
                fr.cached = True
            return [_Part(fr, conv) for fr, conv in hit]
    parts = _parse_file(path, kind, locale, tz, currency)
    if key is not None:
        writer = _cache.write_entry(key, [(p.report, p.converted) for p in parts],
                                    background=writers is not None)
        if writer is not None and writers is not None:
            writers.append(writer)
    return parts


def _parse_file(path: Path, kind: str | None, locale: str | None, tz: str | None,
                currency: str | None) -> list[_Part]:
    tables: list[RawTable] = read_raw(path, header_score=header_score, while_reading=warm_up)
    parts: list[_Part] = []
    errors: list[FactInputError] = []
    errors_rows: list[tuple[FactInputError, int]] = []
    for raw in tables:
        fr = FileReport(file=display_path(path), format=raw.format, encoding=raw.encoding, sheet=raw.sheet,
                        header_row=int(raw.header_row), banner=list(raw.banner))
        where = f" (sheet {raw.sheet})" if raw.sheet else ""
        if raw.frame.empty:
            err = FactInputError(path, "the file has a header but no data rows" + where,
                                 fix="export a date range that has data")
            errors.append(err)
            errors_rows.append((err, 0))
            continue
        try:
            conv = convert_raw(raw, kind=kind, locale=locale, tz=tz, currency=currency)
        except FactInputError as err:
            errors.append(err)
            errors_rows.append((FactInputError(path, err.problem + where, fix=err.fix, row=err.row,
                                               column=err.column), len(raw.frame)))
            continue
        fr.kind, fr.table = conv.match.kind, conv.match.table
        fr.warnings.extend(_check_totals(conv))
        fr.columns = dict(conv.match.mapping)
        fr.ignored_columns = list(conv.match.ignored) + list(conv.match.duplicates)
        fr.warnings.extend(conv.warnings)
        fr.rows_summary = conv.summary_rows
        fr.rows_read = conv.rows_read
        fr.timezone = conv.tz
        parts.append(_Part(fr, conv))
    if not parts:
        raise errors[0] if errors else FactInputError(path, "no table found in the file",
                                                      fix="re-download the export")
    for err, n in errors_rows:  # other sheets of a usable workbook, listed, not loaded
        parts[0].report.warnings.append(f"skipped {n} row(s): {err}")
    return parts


def _check_totals(conv: Converted) -> list[str]:
    """Compare an export's own total row with the sum of its rows (all of them, parsed)."""
    out = []
    for name, total in conv.summary_values.items():
        if name not in conv.frame:
            continue
        got = float(conv.frame[name].astype("Float64").sum())
        # 万-rounded cells (1.23万) may leave the export's exact total up to 0.5% away
        if abs(got - total) > 0.01 + 0.005 * abs(total):
            out.append(f"the file's total row says {name} = {total:,.2f} but its rows add up to "
                       f"{got:,.2f}: rows may be missing from the export")
    return out


def _typed_empty(table: str, name: str, n: int) -> pd.Series:
    kind = TABLES[table].column(name).kind
    dtype = DTYPES[kind]
    if kind == "datetime":
        return pd.Series(pd.NaT, index=pd.RangeIndex(n), dtype="datetime64[ns, Asia/Shanghai]")
    index = pd.RangeIndex(n)
    if dtype == "string":
        return pd.Series(pd.array(pa.nulls(n, pa.large_string()), dtype="string"), index=index)
    if dtype == "Int64":
        return pd.Series(pd.arrays.IntegerArray(np.zeros(n, np.int64), np.ones(n, bool)), index=index)
    if dtype == "boolean":
        return pd.Series(pd.arrays.BooleanArray(np.zeros(n, bool), np.ones(n, bool)), index=index)
    if dtype == "datetime64[ns]":
        return pd.Series(np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]"), index=index)
    return pd.Series(np.full(n, np.nan), index=index, dtype=dtype)


def _conform(table: str, frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Give a frame every column in ``columns``, each in its declared dtype."""
    spec = TABLES[table]
    n = len(frame)
    out: dict[str, pd.Series] = {}
    for name in columns:
        if name in frame:
            s = frame[name].reset_index(drop=True)
            kind = spec.column(name).kind
            dtype = DTYPES[kind]
            if kind == "datetime":
                if not isinstance(s.dtype, pd.DatetimeTZDtype):
                    s = pd.to_datetime(s).dt.tz_localize("Asia/Shanghai")
                s = s.astype("datetime64[ns, Asia/Shanghai]") if str(s.dt.tz) == "Asia/Shanghai" else s
            elif str(s.dtype) != dtype:
                s = s.astype(dtype)
            out[name] = s
        else:
            out[name] = _typed_empty(table, name, n)
    return pd.DataFrame(out, index=pd.RangeIndex(n), copy=False)  # no consolidation copy


def _compact_stamp(times: pd.Series) -> pa.Array:
    """``YYYYmmddHHMMSS`` of local wall-clock times (null where the time is missing).

    Vectorised (strftime is per cell): the calendar parts as integers, one cast to text.
    """
    local = times.dt.tz_localize(None)
    ok = local.notna().to_numpy()
    if not ok.all():
        local = local.where(ok, pd.Timestamp(0))
    dt = local.dt
    number = np.zeros(len(local), dtype=np.int64)
    for part, scale in ((dt.year, 10**10), (dt.month, 10**8), (dt.day, 10**6), (dt.hour, 10**4),
                        (dt.minute, 10**2), (dt.second, 1)):
        number += part.to_numpy(dtype=np.int64) * scale
    return pa.array(number, mask=~ok).cast(pa.large_string())


def _derive(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    if table == "content":
        if "start_time" in frame:
            frame["date"] = frame["start_time"].dt.tz_localize(None).dt.normalize().astype("datetime64[ns]")
        who = frame["account_id"] if "account_id" in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
        if "account_name" in frame:
            who = who.fillna(frame["account_name"])
        who_text = pc.fill_null(pa.array(who.astype("string").array), "?").cast(pa.large_string())
        # account@stamp; null where the start time is missing (a null joins to null)
        synthetic = pd.Series(pd.array(pc.binary_join_element_wise(who_text, _compact_stamp(frame["start_time"]),
                                                                   pa.scalar("@", pa.large_string())),
                                       dtype="string"), index=frame.index)
        if "content_id" in frame:
            frame["content_id"] = frame["content_id"].fillna(synthetic)
        else:
            frame["content_id"] = synthetic
    elif table == "orders" and "pay_time" in frame:
        frame["date"] = frame["pay_time"].dt.tz_localize(None).dt.normalize().astype("datetime64[ns]")
    return frame


def _reconcile(conv: Converted, frame: pd.DataFrame, skip: set[int]) -> list[Mismatch]:
    """Compare platform-reported metrics with the values recomputed from the same row.

    Each ``reported_*`` column is recomputed by the registry metric that names it, by the
    row's own source definition (TikTok LIVE: Direct GMV ÷ views); when several metrics
    recompute a column (CTR per people or per events), a row uses the first one its columns
    support (:func:`fact_toolkit.reconcile.frame_mismatches`, which the DuckDB engine renders
    as SQL).
    """
    f = frame
    rows = f["source_row"].to_numpy()
    out: list[Mismatch] = []
    for metric, positions, reported, recomputed in frame_mismatches(f, conv.match.table):
        for pos, rep, rec in zip(positions, reported, recomputed, strict=True):
            if int(pos) in skip:
                continue
            out.append(Mismatch(str(f["source_file"].iloc[0]), int(rows[pos]), metric, float(rep),
                                round(float(rec), 6)))
    return out


#: the options of :func:`load` that change its result (all but ``paths``, ``cache``, ``engine``)
_RESULT_OPTIONS = ("kind", "locale", "tz", "currency", "top_kols", "top_kol_min_followers", "own_accounts",
                   "campaigns")


def memo_key(*paths: str | os.PathLike[str], **options: Any) -> tuple | None:
    """What identifies ``load(*paths, **options)``'s result in :mod:`fact_toolkit.memo`.

    Parameters
    ----------
    *paths : path-like
        As for :func:`load`.
    **options
        Options of :func:`load`; the ones not given take its defaults.

    Returns
    -------
    tuple or None
        :func:`fact_toolkit.memo.dataset_key` of the files and options (None: not keepable).
    """
    bound = inspect.signature(load).bind(*paths, **options)
    bound.apply_defaults()
    return _memo.dataset_key(paths, {k: bound.arguments[k] for k in _RESULT_OPTIONS})


def load(*paths: str | os.PathLike[str], kind: str | None = None, locale: str | None = None,
         tz: str | None = None, currency: str | None = None,
         top_kols: Iterable[str] | None = None, top_kol_min_followers: int = 5_000_000,
         own_accounts: Iterable[str] | None = None,
         campaigns: pd.DataFrame | str | os.PathLike[str] | bool | None = None,
         cache: bool = True) -> Dataset:
    """Load exports (files, folders, globs) into validated canonical tables with pandas.

    The pandas engine, row-level tables and all: :func:`fact_toolkit.load` runs it, or the
    DuckDB engine for inputs too large for memory (which loads its small files here).

    Parameters
    ----------
    *paths, kind, locale, tz, currency, top_kols, top_kol_min_followers, own_accounts, campaigns, cache
        As :func:`fact_toolkit.load` (:func:`fact_toolkit.engines.dispatch.load`), which
        documents each of them once; this engine has no ``engine`` option.

    Returns
    -------
    Dataset
        Every row-level table plus the :class:`~fact_toolkit.report.LoadReport` (what
        :func:`fact_toolkit.load` returns, and raises, for the pandas engine).
    """
    if not paths:
        raise FactInputError("(no path)", "no input given", fix="name at least one file or folder")
    if _memo.active():  # a report kernel forked after the runner loaded these exports
        kept = _memo.recall(memo_key(*paths, kind=kind, locale=locale, tz=tz, currency=currency, top_kols=top_kols,
                                     top_kol_min_followers=top_kol_min_followers, own_accounts=own_accounts,
                                     campaigns=campaigns))
        if kept is not None:
            return kept
    writers: list[threading.Thread] = []  # cache entries being written beside the load
    try:
        return _load(paths, kind, locale, tz, currency, top_kols, top_kol_min_followers, own_accounts,
                     campaigns, cache, writers)
    finally:
        for writer in writers:
            writer.join()


def _load(paths: tuple[str | os.PathLike[str], ...], kind: str | None, locale: str | None, tz: str | None,
          currency: str | None, top_kols: Iterable[str] | None, top_kol_min_followers: int,
          own_accounts: Iterable[str] | None, campaigns: pd.DataFrame | str | os.PathLike[str] | bool | None,
          cache: bool, writers: list[threading.Thread]) -> Dataset:
    report = LoadReport()
    files = expand_paths(paths, report.skipped)
    by_table: dict[str, list[_Part]] = {}
    for path in files:
        for part in _read_file(path, kind, locale, tz, currency, cache, writers):
            report.files.append(part.report)
            by_table.setdefault(part.report.table, []).append(part)

    tables: dict[str, pd.DataFrame] = {}
    for table, parts in by_table.items():
        spec = TABLES[table]
        present = {c for p in parts for c in p.converted.frame.columns}
        if table == "content":
            present |= {"content_id", "date"}
        if table == "orders":
            present |= {"date"}
        columns = [c for c in spec.names if c in present]
        frames, bad, offset = [], {}, 0
        for part in parts:
            conv = part.converted
            fr = _conform(table, conv.frame, columns)
            fr = _derive(table, fr)
            report.mismatches.extend(_reconcile(conv, fr, set(conv.bad_rows)))
            for pos, entries in conv.bad_rows.items():
                bad.setdefault(pos + offset, []).extend(entries)
            frames.append(fr)
            offset += len(fr)
        _one_time_zone(table, frames, report)
        whole = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        alive = np.ones(len(whole), dtype=bool)
        alive[list(bad)] = False
        # duplicates and schema rules among the rows that parsed
        survivors = whole.loc[alive].reset_index()
        positions = survivors.pop("index").to_numpy()
        for found in (find_duplicates(table, survivors), validate_table(table, survivors)):
            for local, entries in found.items():
                bad.setdefault(int(positions[local]), []).extend(entries)
        keep = np.ones(len(whole), dtype=bool)
        keep[list(bad)] = False
        tables[table] = whole.loc[keep].reset_index(drop=True)
        for pos in sorted(bad):
            report.quarantine.extend(bad[pos])
        _account(table, parts, whole, keep)

    _tiktok_creators(tables, report, own_accounts)
    _classify_and_overlay(tables, report, top_kols, top_kol_min_followers, own_accounts, campaigns)
    _attach_live_ad_spend(tables, report)

    for fr in report.files:
        fr.mismatches = sum(1 for m in report.mismatches if m.file == fr.file)
        if not fr.balanced:  # pragma: no cover - a bug, never bad input
            raise AssertionError(f"row accounting does not balance for {fr.file}: {fr}")
    if report.mismatches:
        report.warnings.append(
            f"{len(report.mismatches)} platform-reported metric value(s) disagree with the value "
            "recomputed from the same row beyond rounding (see mismatches)")
    return Dataset(tables, report)


def time_zone_warning(table: str, zones: Iterable[str]) -> str | None:
    """The load report's warning for a table whose files were read in different time zones.

    Parameters
    ----------
    table : str
        Canonical table name.
    zones : iterable of str
        The zones its files' times were read in.

    Returns
    -------
    str or None
        None when there is one zone or none.

    Examples
    --------
    >>> time_zone_warning("content", ["Asia/Shanghai", "Asia/Jakarta", "Asia/Shanghai"])[:56]
    'content: files in different time zones (Asia/Jakarta, As'
    """
    names = sorted(set(zones))
    if len(names) < 2:
        return None
    return (f"{table}: files in different time zones ({', '.join(names)}): times are held in UTC; "
            "each row's date is its local date")


def _one_time_zone(table: str, frames: list[pd.DataFrame], report: LoadReport) -> None:
    """Files read in different zones: their times are held in UTC (each row's ``date`` stays local)."""
    zones = {str(c.dtype.tz) for f in frames for c in (f[n] for n in f.columns)
             if isinstance(c.dtype, pd.DatetimeTZDtype)}
    warning = time_zone_warning(table, zones)
    if warning is None:
        return
    for f in frames:
        for n in f.columns:
            if isinstance(f[n].dtype, pd.DatetimeTZDtype):
                f[n] = f[n].dt.tz_convert("UTC")
    report.warnings.append(warning)


def _tiktok_creators(tables: dict[str, pd.DataFrame], report: LoadReport,
                     own_accounts: Iterable[str] | None) -> None:
    """TikTok video rows: the shop's own account is F (official), other creators are affiliates.

    The own account is the creator that hosts the shop's LIVEs (the LIVE list's creator,
    when it names one) or one listed in ``own_accounts``.
    """
    content = tables.get("content")
    if content is None or content.empty or "source_kind" not in content:
        return
    video = (content["source_kind"] == "tiktok_video").fillna(False).to_numpy(dtype=bool)
    if not video.any():
        return
    live = (content["source_kind"] == "tiktok_live").fillna(False).to_numpy(dtype=bool)
    own = {str(a) for a in own_accounts or ()}
    for col in ("account_id", "account_name"):
        if col in content:
            own.update(content.loc[live, col].dropna().astype(str))
    ids = content["account_id"].astype("string") if "account_id" in content else None
    names = content["account_name"].astype("string") if "account_name" in content else None
    mine = np.zeros(len(content), dtype=bool)
    for s in (ids, names):
        if s is not None:
            mine |= s.isin(sorted(own)).fillna(False).to_numpy(dtype=bool)
    kind = np.where(mine, "official", "affiliate")
    current = content["account_type"].astype("string") if "account_type" in content else \
        pd.Series(pd.NA, index=content.index, dtype="string")
    filled = current.where(current.notna() | ~pd.Series(video, index=content.index),
                           pd.Series(kind, index=content.index, dtype="string"))
    content["account_type"] = filled
    if not own:
        report.warnings.append(
            f"content: {int(video.sum())} TikTok video row(s) count as A: the shop's own account is not known "
            "(the LIVE list names no creator); pass own_accounts=[...] to count its videos as F")


def _attach_live_ad_spend(tables: dict[str, pd.DataFrame], report: LoadReport) -> None:
    """GMV Max spend onto the LIVE sessions it paid for (by LIVE name and local date).

    The ads table is not a fact table, so without this the LIVE list's ROI has no spend.
    A session already carrying spend keeps it; spend whose session is missing or
    ambiguous stays in ``ads`` only and is reported.
    """
    ads, content = tables.get("ads"), tables.get("content")
    if ads is None or content is None or ads.empty or content.empty or "live_name" not in ads:
        return
    gm = ads.loc[(ads["source_kind"] == "tiktok_gmv_max").fillna(False).to_numpy(dtype=bool)]
    if gm.empty or "title" not in content:
        return
    live = ((content["source_kind"] == "tiktok_live").fillna(False)).to_numpy(dtype=bool)
    key = lambda name, date: name.astype("string").str.strip().str.casefold() + "@" + date.astype("string")  # noqa: E731
    spend = gm.groupby(key(gm["live_name"], gm["date"]), dropna=True)["ad_spend"].sum(min_count=1)
    ckey = key(content["title"], content["date"]).where(pd.Series(live, index=content.index))
    counts = ckey.value_counts()
    unique = ckey.map(counts).eq(1).fillna(False).to_numpy(dtype=bool)
    matched = ckey.map(spend).where(pd.Series(unique, index=content.index))
    if "ad_spend" not in content:
        content["ad_spend"] = pd.Series(np.nan, index=content.index, dtype="Float64")
    target = content["ad_spend"].astype("Float64")
    take = matched.notna() & target.isna()
    content["ad_spend"] = target.where(~take, matched.astype("Float64"))
    used = set(ckey[matched.notna()].dropna())
    left = spend[[k not in used for k in spend.index]]
    kept = int((matched.notna() & ~take).sum())
    report.warnings.append(
        f"GMV Max: spend of {int(take.sum())} LIVE session(s) attached to the LIVE list by LIVE name and date "
        f"({float(matched[take].sum()):,.2f})" +
        (f"; {kept} session(s) already carried their spend and kept it" if kept else "") +
        (f"; {len(left)} LIVE(s) with spend {float(left.sum()):,.2f} not matched to one session (kept in ads only)"
         if len(left) else ""))


def _account(table: str, parts: list[_Part], whole: pd.DataFrame, keep: np.ndarray) -> None:
    """Fill rows_loaded / rows_quarantined per file from where each row ended up."""
    start = 0
    for part in parts:
        n = len(part.converted.frame)
        k = keep[start:start + n]
        part.report.rows_loaded = int(k.sum())
        part.report.rows_quarantined = int((~k).sum())
        start += n


def _classify_and_overlay(tables: dict[str, pd.DataFrame], report: LoadReport,
                          top_kols: Iterable[str] | None, top_kol_min_followers: int,
                          own_accounts: Iterable[str] | None,
                          campaigns: pd.DataFrame | str | os.PathLike[str] | bool | None) -> None:
    rules = ChannelRules.make(top_kols, top_kol_min_followers, own_accounts)
    report.warnings.extend(classify_tables(tables, rules, campaign_calendar(campaigns, tables)))


def campaign_calendar(campaigns: pd.DataFrame | str | os.PathLike[str] | bool | None,
                      tables: dict[str, pd.DataFrame]) -> pd.DataFrame | None:
    """The calendar the C overlay uses, as :func:`load`'s ``campaigns`` option chooses it.

    Parameters
    ----------
    campaigns : DataFrame, path, bool or None
        ``False``: none; a frame: it; a path: :func:`read_campaign_calendar`; else a
        loaded ``campaigns`` table, else the shipped calendar.
    tables : dict of str to DataFrame
        The loaded tables.

    Returns
    -------
    DataFrame or None
        None for ``campaigns=False``.
    """
    if campaigns is False:
        return None
    if isinstance(campaigns, pd.DataFrame):
        return campaigns
    if campaigns is not None and campaigns is not True:
        return read_campaign_calendar(campaigns)
    if "campaigns" in tables and not tables["campaigns"].empty:
        return tables["campaigns"]
    return default_campaigns()


def read_campaign_calendar(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a campaign calendar that overrides the shipped one, from CSV/xlsx or TOML.

    CSV/xlsx: the columns of :func:`fact_toolkit.channels.default_campaigns` (Chinese
    headers such as 活动ID, 开始日期 work too). TOML: ``[[campaign]]`` tables (see
    :func:`fact_toolkit.channels.campaign_calendar_from_toml`).

    Returns
    -------
    pandas.DataFrame
        Pass it to ``load(..., campaigns=calendar)`` (or pass the path itself).

    Raises
    ------
    FactInputError
        Unreadable file, missing columns, or an end before a start.
    """
    p = Path(path)
    if p.suffix.lower() == ".toml":
        return campaign_calendar_from_toml(p)
    cal = load(p, kind="campaigns", campaigns=False, cache=False).tables["campaigns"]
    return campaign_calendar_from_frame(cal, p)
