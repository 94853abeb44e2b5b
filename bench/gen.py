"""Vectorised generator of Compass live-session lists (直播明细) for the benchmarks.

One logical table, three renderings of it:

* ``dirty`` CSV: what Compass really hands out — Chinese headers, ``2026/04/17 10:52:25``
  timestamps, and about 10 % of numeric cells written as ``1.23万``, ``1,234``,
  ``¥1,234.50`` or ``12.3%``; a few ``--`` for missing values;
* ``clean`` CSV: the same rows with plain numbers (ISO timestamps, empty for missing):
  the DuckDB anchor reads this one;
* ``xlsx``: numbers as numbers, the dirty cells as text (written with openpyxl
  ``write_only``).

Values are chosen so that the rows are internally consistent (净成交金额 = 成交金额 −
退款金额, 商品点击率 = 点击人数 / 曝光人数 exactly), so the loader's reconciliation has
nothing to report, and ``(主播抖音号, 直播开始时间)`` is unique: ``accounts × 1000``
sessions, one account's sessions 523 minutes apart.

Everything is numpy + pyarrow; 2M rows take a few seconds.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import DATA_VERSION, OUT

SESSIONS_PER_ACCOUNT = 1000
DIRTY_SHARE = 0.13     # share of numeric cells picked to be dirty (≈10 % end up changed)
MISSING_SHARE = 0.003  # share of numeric cells written as "--"
SEED = 20260417

#: (header, kind); kinds: text columns, ``int`` (万 or commas), ``int_exact`` (commas only),
#: ``tenths`` (one decimal), ``money`` (cents), ``rate`` (per mille), ``minutes``
COLUMNS: tuple[tuple[str, str], ...] = (
    ("主播昵称", "text"),
    ("主播抖音号", "text"),
    ("账号类型", "text"),
    ("直播开始时间", "time"),
    ("直播结束时间", "time"),
    ("直播时长(分钟)", "minutes"),
    ("直播间曝光人数", "int"),
    ("直播间曝光次数", "int"),
    ("直播间观看人数", "int"),
    ("直播间观看次数", "int"),
    ("最高在线人数", "int"),
    ("平均在线人数", "tenths"),
    ("人均观看时长(分钟)", "tenths"),
    ("新增粉丝数", "int"),
    ("直播间商品曝光人数", "int_exact"),
    ("直播间商品点击人数", "int_exact"),
    ("商品点击率", "rate"),
    ("直播间成交订单数", "int"),
    ("直播间成交人数", "int"),
    ("直播间成交金额", "money"),
    ("直播间用户支付金额", "money"),
    ("直播间退款金额", "money"),
    ("预估佣金支出", "money"),
    ("投放消耗", "money"),
    ("净成交金额", "money"),
)
NUMERIC = tuple(h for h, k in COLUMNS if k not in {"text", "time"})


@dataclass
class Column:
    header: str
    kind: str
    values: np.ndarray            # int64 (counts, cents, per mille, tenths) or datetime64[s]
    missing: np.ndarray | None = None  # bool: written as "--" / empty
    dirty: np.ndarray | None = None    # bool: written dirty
    dirty_text: pa.Array | None = None  # strings of the dirty cells, in row order


# ---------------------------------------------------------------- formatting helpers

def _s(a: np.ndarray | pa.Array) -> pa.Array:
    return pc.cast(pa.array(a) if isinstance(a, np.ndarray) else a, pa.string())


def _join(*parts: pa.Array | str) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def _pad(a: np.ndarray, width: int) -> pa.Array:
    return pc.utf8_lpad(_s(a), width=width, padding="0")


def commas(v: np.ndarray) -> pa.Array:
    """Non-negative integers with thousands separators: 1234567 → ``1,234,567``."""
    v = v.astype(np.int64)
    g0, g1, g2, g3 = v % 1000, (v // 1000) % 1000, (v // 1_000_000) % 1000, v // 1_000_000_000
    four = _join(_s(g3), ",", _pad(g2, 3), ",", _pad(g1, 3), ",", _pad(g0, 3))
    three = _join(_s(g2), ",", _pad(g1, 3), ",", _pad(g0, 3))
    two = _join(_s(g1), ",", _pad(g0, 3))
    return pc.if_else(pa.array(v >= 1_000_000_000), four,
                      pc.if_else(pa.array(v >= 1_000_000), three,
                                 pc.if_else(pa.array(v >= 1000), two, _s(g0))))


def plain_decimal(v: np.ndarray, places: int, grouped: np.ndarray | None = None) -> pa.Array:
    """Fixed-point integers (``places`` decimals) as text, optionally with thousands commas."""
    scale = 10 ** places
    whole, frac = v // scale, v % scale
    head = _s(whole) if grouped is None else pc.if_else(pa.array(grouped), commas(whole), _s(whole))
    return _join(head, ".", _pad(frac, places))


def wan(v: np.ndarray) -> pa.Array:
    """Multiples of 100 as ``1.23万`` / ``12.3万`` / ``120万``."""
    return _join(_s(v.astype(np.float64) / 10_000.0), "万")


# ---------------------------------------------------------------- the table

def build(n_rows: int, seed: int = SEED) -> list[Column]:
    """The logical table of ``n_rows`` sessions (a multiple of 1000 is rounded up to)."""
    rng = np.random.default_rng(seed)
    accounts = max(1, -(-n_rows // SESSIONS_PER_ACCOUNT))
    r = np.arange(n_rows, dtype=np.int64)
    acc, sess = r % accounts, r // accounts          # ordered by time, roughly, like an export

    acc_ids = pa.array([f"dy{a:07d}" for a in range(accounts)])
    acc_names = pa.array([f"主播{a:05d}号店" for a in range(accounts)])
    acc_official = rng.random(accounts) < 0.2
    acc_types = pa.array(np.where(acc_official, "官方账号", "达人"))
    acc_offset = rng.integers(0, 400, accounts)       # minutes; < 523 keeps starts distinct
    acc_scale = rng.lognormal(0.0, 1.0, accounts)     # account size

    idx = pa.array(acc)
    base = np.datetime64("2025-05-01T00:00:00", "s")
    start_min = sess * 523 + acc_offset[acc]
    start = base + (start_min * 60 + rng.integers(0, 60, n_rows)).astype("timedelta64[s]")
    dur = rng.integers(30, 361, n_rows)
    end = start + (dur * 60).astype("timedelta64[s]")

    scale = acc_scale[acc]
    expo_uv = np.maximum(200, (rng.lognormal(10.5, 0.8, n_rows) * scale)).astype(np.int64)
    expo_pv = (expo_uv * rng.uniform(1.1, 2.0, n_rows)).astype(np.int64)
    view_uv = np.maximum(50, (expo_uv * rng.uniform(0.05, 0.4, n_rows))).astype(np.int64)
    view_pv = (view_uv * rng.uniform(1.05, 1.8, n_rows)).astype(np.int64)
    peak = np.maximum(1, view_uv * rng.uniform(0.01, 0.08, n_rows)).astype(np.int64)
    avg_online = np.maximum(1, (peak * rng.uniform(2.0, 6.0, n_rows))).astype(np.int64)  # tenths
    avg_watch = rng.integers(3, 120, n_rows)                                            # tenths of min
    new_fans = (view_uv * rng.uniform(0.0, 0.03, n_rows)).astype(np.int64)
    pe_k = np.maximum(1, view_uv * rng.uniform(0.3, 0.9, n_rows) // 1000).astype(np.int64)
    ctr = rng.integers(20, 400, n_rows)                                                 # per mille
    prod_expo = pe_k * 1000
    prod_click = ctr * pe_k                                                             # exact ratio
    orders = (prod_click * rng.uniform(0.02, 0.2, n_rows)).astype(np.int64)
    buyers = (orders * rng.uniform(0.8, 1.0, n_rows)).astype(np.int64)
    price = rng.integers(2_990, 39_900, n_rows)                                         # cents
    gmv = orders * price
    paid = (gmv * rng.uniform(0.9, 1.0, n_rows)).astype(np.int64)
    refund = (gmv * rng.uniform(0.0, 0.15, n_rows)).astype(np.int64)
    commission = np.where(acc_official[acc], 0, (gmv * rng.uniform(0.1, 0.3, n_rows))).astype(np.int64)
    spend = (gmv * rng.uniform(0.0, 0.5, n_rows)).astype(np.int64)
    net = gmv - refund

    cols = [
        Column("主播昵称", "text", pc.take(acc_names, idx)),
        Column("主播抖音号", "text", pc.take(acc_ids, idx)),
        Column("账号类型", "text", pc.take(acc_types, idx)),
        Column("直播开始时间", "time", start),
        Column("直播结束时间", "time", end),
    ]
    values = {
        "直播时长(分钟)": dur, "直播间曝光人数": expo_uv, "直播间曝光次数": expo_pv,
        "直播间观看人数": view_uv, "直播间观看次数": view_pv, "最高在线人数": peak,
        "平均在线人数": avg_online, "人均观看时长(分钟)": avg_watch, "新增粉丝数": new_fans,
        "直播间商品曝光人数": prod_expo, "直播间商品点击人数": prod_click, "商品点击率": ctr,
        "直播间成交订单数": orders, "直播间成交人数": buyers, "直播间成交金额": gmv,
        "直播间用户支付金额": paid, "直播间退款金额": refund, "预估佣金支出": commission,
        "投放消耗": spend, "净成交金额": net,
    }
    kinds = dict(COLUMNS)
    for header in NUMERIC:
        kind, v = kinds[header], values[header].astype(np.int64)
        dirty = rng.random(n_rows) < DIRTY_SHARE
        missing = (rng.random(n_rows) < MISSING_SHARE) & ~dirty
        if header in {"直播间成交金额", "直播间退款金额", "净成交金额", "直播间商品曝光人数",
                      "直播间商品点击人数", "商品点击率"}:
            missing[:] = False  # keep the reconciled columns complete
        pos = np.flatnonzero(dirty)
        dv = v[pos]
        if kind == "int":
            use_wan = (dv >= 10_000) & (rng.random(len(pos)) < 0.6)
            dv = np.where(use_wan, (dv + 50) // 100 * 100, dv)  # 万 shows 2 decimals at most
            v[pos] = dv                                       # the clean file carries the same value
            text = pc.if_else(pa.array(use_wan), wan(dv), commas(dv))
        elif kind in {"int_exact", "minutes"}:
            text = commas(dv)
        elif kind == "tenths":
            text = plain_decimal(dv, 1, grouped=np.ones(len(pos), bool))
        elif kind == "money":
            text = _join("¥", plain_decimal(dv, 2, grouped=rng.random(len(pos)) < 0.5))
        elif kind == "rate":
            text = _join(plain_decimal(dv, 1), "%")
        else:  # pragma: no cover
            raise ValueError(kind)
        cols.append(Column(header, kind, v, missing, dirty, text))
    return cols


def _scale(c: Column) -> pa.Array:
    """Typed clean values: counts int64, money / tenths / rates float64, nulls where missing."""
    v = c.values
    mask = pa.array(c.missing) if c.missing is not None else None
    if c.kind in {"int", "int_exact", "minutes"}:
        return pa.array(v, mask=c.missing)
    div = {"money": 100.0, "tenths": 10.0, "rate": 1000.0}[c.kind]
    out = pa.array(v / div, mask=c.missing)
    del mask
    return out


def _dirty_strings(c: Column) -> pa.Array:
    v = c.values
    if c.kind in {"int", "int_exact", "minutes"}:
        base = _s(v)
    elif c.kind == "tenths":
        base = plain_decimal(v, 1)
    elif c.kind == "money":
        base = plain_decimal(v, 2)
    else:  # rate: a plain fraction, as some exports write it
        base = _s(v / 1000.0)
    base = pc.replace_with_mask(base, pa.array(c.dirty), c.dirty_text)
    return pc.if_else(pa.array(c.missing), pa.scalar("--"), base)


def dirty_table(cols: list[Column]) -> pa.Table:
    arrays = []
    for c in cols:
        if c.kind == "text":
            arrays.append(c.values)
        elif c.kind == "time":
            arrays.append(pc.strftime(pa.array(c.values, pa.timestamp("s")), format="%Y/%m/%d %H:%M:%S"))
        else:
            arrays.append(_dirty_strings(c))
    return pa.table(arrays, names=[c.header for c in cols])


def clean_table(cols: list[Column]) -> pa.Table:
    arrays = []
    for c in cols:
        if c.kind == "text":
            arrays.append(c.values)
        elif c.kind == "time":
            arrays.append(pa.array(c.values, pa.timestamp("s")))
        else:
            arrays.append(_scale(c))
    return pa.table(arrays, names=[c.header for c in cols])


def dirty_stats(cols: list[Column], n_rows: int) -> dict[str, float]:
    """How dirty the dirty file really is (a 万 pick on a small number stays plain)."""
    changed = missing = 0
    for c in cols:
        if c.dirty is None:
            continue
        base = _s(c.values[c.dirty]) if c.kind in {"int", "int_exact", "minutes"} else None
        if base is not None:
            changed += int(pc.sum(pc.not_equal(base, c.dirty_text)).as_py() or 0)
        else:
            changed += int(c.dirty.sum())
        missing += int(c.missing.sum())
    cells = n_rows * len(NUMERIC)
    return {"numeric_cells": cells, "dirty_cells": changed, "dirty_share": changed / cells,
            "missing_cells": missing}


# ---------------------------------------------------------------- cached files

def _cells(a: pa.Array) -> pa.Array:
    """A column as CSV cells: text, empty for null, quoted only when it holds a comma."""
    if pa.types.is_timestamp(a.type):
        a = pc.strftime(a, format="%Y-%m-%d %H:%M:%S")
    a = pc.fill_null(pc.cast(a, pa.string()), "")
    quote = pc.match_substring(a, ",")
    if pc.any(quote).as_py():
        a = pc.if_else(quote, _join('"', a, '"'), a)
    return a


def write_csv(table: pa.Table, path: Path, chunk: int = 200_000) -> None:
    """UTF-8 CSV as an export looks: unquoted unless a cell needs it; atomic."""
    tmp = path.with_name(path.name + ".tmp")
    cells = [_cells(table.column(i).combine_chunks()) for i in range(table.num_columns)]
    lines = _join(pc.binary_join_element_wise(*cells, ","), "\n")
    lines = lines.cast(pa.large_string()) if len(lines) else lines
    with open(tmp, "wb") as fh:
        fh.write((",".join(table.column_names) + "\n").encode("utf-8"))
        for lo in range(0, len(lines), chunk):
            part = lines.slice(lo, chunk)
            offsets = np.frombuffer(part.buffers()[1], dtype=np.int64)[part.offset:part.offset + len(part) + 1]
            fh.write(memoryview(part.buffers()[2])[offsets[0]:offsets[-1]])
    os.replace(tmp, path)


def write_xlsx(cols: list[Column], path: Path) -> None:
    """Numbers as numbers, dirty cells as text, timestamps as the export's text."""
    from openpyxl import Workbook

    n = len(cols[0].values)
    lists = []
    for c in cols:
        if c.kind == "text":
            lists.append(c.values.to_pylist())
        elif c.kind == "time":
            lists.append(pc.strftime(pa.array(c.values, pa.timestamp("s")),
                                     format="%Y/%m/%d %H:%M:%S").to_pylist())
        else:
            vals = _scale(c).to_pylist()
            for i, s in zip(np.flatnonzero(c.dirty).tolist(), c.dirty_text.to_pylist(), strict=True):
                vals[i] = s
            for i in np.flatnonzero(c.missing).tolist():
                vals[i] = "--"
            lists.append(vals)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("直播明细")
    ws.append([c.header for c in cols])
    for i in range(n):
        ws.append([col[i] for col in lists])
    tmp = path.with_name(path.name + ".tmp.xlsx")
    wb.save(tmp)
    os.replace(tmp, path)


@dataclass
class Inputs:
    dirty_csv: Path | None = None
    clean_csv: Path | None = None
    xlsx: Path | None = None
    info: dict | None = None


def ensure_csv(n_rows: int, log=print) -> Inputs:
    """The dirty and clean CSV of ``n_rows`` rows, generated once and cached."""
    data = OUT / "data"
    data.mkdir(parents=True, exist_ok=True)
    stem = f"compass_live_{DATA_VERSION}_{n_rows}"
    dirty, clean, meta = data / f"{stem}.csv", data / f"{stem}_clean.csv", data / f"{stem}.json"
    if dirty.exists() and clean.exists() and meta.exists():
        return Inputs(dirty, clean, None, json.loads(meta.read_text()))
    import time

    t0 = time.perf_counter()
    cols = build(n_rows)
    write_csv(dirty_table(cols), dirty)
    write_csv(clean_table(cols), clean)
    info = {"rows": n_rows, "columns": len(cols), **dirty_stats(cols, n_rows),
            "generate_seconds": round(time.perf_counter() - t0, 2),
            "dirty_bytes": dirty.stat().st_size, "clean_bytes": clean.stat().st_size}
    meta.write_text(json.dumps(info, indent=1))
    log(f"  generated {dirty.name} + clean twin ({n_rows:,} rows) in {info['generate_seconds']} s")
    return Inputs(dirty, clean, None, info)


def ensure_xlsx(n_rows: int, log=print) -> Inputs:
    """The xlsx of ``n_rows`` rows, generated once and cached."""
    data = OUT / "data"
    data.mkdir(parents=True, exist_ok=True)
    stem = f"compass_live_{DATA_VERSION}_{n_rows}"
    xlsx, meta = data / f"{stem}.xlsx", data / f"{stem}_xlsx.json"
    if xlsx.exists() and meta.exists():
        return Inputs(None, None, xlsx, json.loads(meta.read_text()))
    import time

    t0 = time.perf_counter()
    cols = build(n_rows)
    write_xlsx(cols, xlsx)
    info = {"rows": n_rows, "columns": len(cols), **dirty_stats(cols, n_rows),
            "generate_seconds": round(time.perf_counter() - t0, 2), "bytes": xlsx.stat().st_size}
    meta.write_text(json.dumps(info, indent=1))
    log(f"  generated {xlsx.name} ({n_rows:,} rows) in {info['generate_seconds']} s")
    return Inputs(None, None, xlsx, info)
