"""How the exports spell values and files, byte for byte.

Cell texts (``12.34万``, ``1分30秒``, ``1h2m3s``, ``1,234.50``, Excel serial dates) and file
bytes: CSV in a given encoding and line ending, and XLSX with fixed document and zip-entry
times, so that the same seed gives byte-identical files (the TikTok Seller Center shop,
:mod:`.tiktok`, writes its workbooks the same way).
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
import zipfile
from typing import Any

import pandas as pd

__all__ = ["_fmt_wan", "_m", "_secs_cn", "_secs_en", "_thousands", "_excel_serial", "_csv_bytes", "_xlsx_bytes"]


def _fmt_wan(v: int, decimals: int) -> str:
    """``123400 -> '12.34万'`` for a value already rounded to the text's precision."""
    unit = 10 ** (4 - decimals)
    q = int(v) // unit
    whole, frac = divmod(q, 10 ** decimals)
    return f"{whole}.{frac:0{decimals}d}万"


def _m(x: float) -> str:
    """Money text with two decimals."""
    return f"{x:.2f}"


def _secs_cn(s: int) -> str:
    """``90 -> '1分30秒'``, ``45 -> '45秒'``."""
    s = int(s)
    return f"{s}秒" if s < 60 else f"{s // 60}分{s % 60}秒"


def _secs_en(s: int) -> str:
    """``3723 -> '1h2m3s'``, ``88 -> '1m28s'``, ``45 -> '45s'``."""
    s = int(s)
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    if h:
        return f"{h}h{m}m{sec}s"
    return f"{m}m{sec}s" if m else f"{sec}s"


def _thousands(x: float, decimals: int) -> str:
    return f"{x:,.{decimals}f}"


def _excel_serial(ts: pd.Timestamp) -> float:
    delta = ts - pd.Timestamp("1899-12-30")
    return delta / pd.Timedelta(days=1)


def _csv_bytes(header: tuple[str, ...], rows: list[list[Any]], *, encoding: str, newline: str) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=newline)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode(encoding)


_CORE_TIME = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:(created|modified)>)")


def _xlsx_bytes(rows: list[list[Any]], fixed: _dt.datetime, sheet: str = "Sheet1") -> bytes:
    """An xlsx with fixed document times and zip-entry times (byte-identical reruns)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "fact_toolkit"
    ws = wb.create_sheet(sheet)
    for r in rows:
        ws.append(r)
    raw = io.BytesIO()
    wb.save(raw)
    stamp = fixed.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as zin, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _CORE_TIME.sub(lambda mm: mm.group(1) + stamp + mm.group(3), data)
            zi = zipfile.ZipInfo(info.filename, date_time=fixed.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zout.writestr(zi, data)
    return out.getvalue()
