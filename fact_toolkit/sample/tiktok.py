"""A small Indonesian TikTok Shop's week of Seller Center downloads, in their real shapes.

One shop, one week (2026-03-16 ~ 2026-03-22), five files as Seller Center hands them
out: the LIVE list, the product list by channel, the LIVE product detail (downloaded in
the zh-CN interface), the shoppable-video list and the GMV Max LIVE ads report. The
numbers are few and round so that every total can be checked by hand (see
:data:`LIVES`, :data:`VIDEOS`, :data:`PRODUCTS`, :data:`ADS`); the files carry the
quirks the loaders must survive:

* a banner row, a blank row, the header on row 3 (LIVE list, product list, LIVE product
  detail); the banner's date range is the period of files without a date column, once
  with a trailing newline;
* every number stored as a text cell (``'510'``, ``'2.75%'``, ``'Rp279.940.892'``);
* a workbook whose ``<dimension>`` says ``A1:A1`` (the LIVE list);
* duplicate header names (``商品信息, 商品信息``: product ID, then title);
* product IDs inside titles (``Kemeja Linen(1730899853179979036)``);
* a 16-digit campaign ID stored as a number (GMV Max, sheet ``Data``, header on row 1);
* trailing empty rows;
* a file name with spaces and ``~``.

Use :func:`write_tiktok_shop` (or ``fact-toolkit sample --tiktok``); the same call gives
byte-identical files.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from .formats import _xlsx_bytes

__all__ = ["PERIOD", "LIVES", "VIDEOS", "PRODUCTS", "LIVE_PRODUCTS", "ADS", "OWN_ACCOUNT", "FILES",
           "write_tiktok_shop"]

#: the week every file covers
PERIOD: tuple[str, str] = ("2026-03-16", "2026-03-22")
#: the shop's own TikTok account (hosts its LIVEs, posts some of its videos)
OWN_ACCOUNT: str = "tokoqimu"

#: file names (one with spaces and ``~``)
FILES: dict[str, str] = {
    "live": "LIVE list 2026-03-16 ~ 2026-03-22.xlsx",
    "products": "Product list by channel ~ week 12.xlsx",
    "live_products": "LIVE product detail zh-CN.xlsx",
    "videos": "Shoppable video list.xlsx",
    "ads": "GMV Max LIVE report.xlsx",
}

#: LIVE sessions: name, start, duration s, gross revenue, direct GMV, items, customers, orders,
#: views, viewers, peak viewers, new followers, avg view s, likes, comments, shares,
#: product impressions, product clicks (all IDR)
LIVES: tuple[tuple[Any, ...], ...] = (
    ("Flash sale Senin", "2026-03-16 19:00:00", 7200, 12_500_000, 10_000_000, 60, 50, 55,
     20_000, 12_000, 800, 150, 45, 3_000, 400, 50, 9_000, 1_100),
    ("Promo Rabu", "2026-03-18 20:00:00", 5400, 8_000_000, 7_200_000, 40, 36, 38,
     16_000, 10_000, 600, 90, 38, 2_200, 310, 35, 7_000, 800),
    ("Weekend LIVE", "2026-03-21 19:30:00", 3600, 4_500_000, 4_000_000, 25, 20, 22,
     10_000, 6_500, 400, 40, 30, 1_100, 120, 12, 4_000, 440),
)
#: shoppable videos: creator name, creator ID, info, video ID, time, product title, product ID,
#: VV, likes, comments, shares, new followers, V-to-L clicks, product impressions, product
#: clicks, unique customers (None: empty cell), orders, items, video GMV, attributed GMV,
#: finish rate %
VIDEOS: tuple[tuple[Any, ...], ...] = (
    ("Toko Qimu", OWN_ACCOUNT, "Linen shirt try-on", "7480000000000000001", "2026/03/17 12:00:00",
     "Kemeja Linen", "1730899853179979036", 50_000, 2_500, 120, 60, 80, 500, 6_000, 1_000, None, 40, 45,
     6_000_000, 6_500_000, "12.50%"),
    ("Sinta Style", "sinta.style", "Batik dress haul", "7480000000000000002", "2026/03/19 18:30:00",
     "Dress Batik", "1730899853179979037", 80_000, 5_200, 300, 140, 0, 0, 9_000, 1_600, 58, 64, 70,
     9_600_000, 9_900_000, "18.00%"),
    ("Rina Daily", "rina.daily", "Office look under 200k", "7480000000000000003", "2026/03/20 09:15:00",
     "Kemeja Linen", "1730899853179979036", 20_000, 900, 40, 10, 0, 0, 2_500, 300, 9, 9, 9,
     1_350_000, 1_350_000, "9.75%"),
)
#: product list by channel: ID, title, then per carrier (Shop tab, LIVE, Video, Product card):
#: GMV, items sold, impressions, page views, unique page views, unique customers
PRODUCTS: tuple[tuple[Any, ...], ...] = (
    ("1730899853179979036", "Kemeja Linen",
     (2_000_000, 10, 5_000, 400, 300, 9), (15_000_000, 70, 12_000, 1_300, 1_000, 60),
     (7_350_000, 54, 8_500, 1_300, 1_100, 49), (1_000_000, 5, 3_000, 150, 120, 5)),
    ("1730899853179979037", "Dress Batik",
     (3_000_000, 12, 6_000, 500, 420, 11), (10_000_000, 55, 8_000, 1_040, 900, 46),
     (9_600_000, 70, 9_000, 1_600, 1_400, 58), (500_000, 2, 1_000, 60, 50, 2)),
)
#: LIVE product detail (zh-CN): product ID, title, GMV, commission, items sold
LIVE_PRODUCTS: tuple[tuple[Any, ...], ...] = (
    ("1730899853179979036", "Kemeja Linen", 15_000_000, 750_000, 70),
    ("1730899853179979037", "Dress Batik", 10_000_000, 500_000, 55),
)
#: GMV Max LIVE ads: LIVE name, launched time, cost, net cost, SKU orders, SKU orders (current
#: shop), gross revenue, gross revenue (current shop), LIVE views, 10-second LIVE views, follows
ADS: tuple[tuple[Any, ...], ...] = (
    ("Flash sale Senin", "2026-03-16 19:00:00", 2_000_000, 1_900_000, 30, 28, 6_000_000, 5_600_000, 8_000, 3_000, 20),
    ("Promo Rabu", "2026-03-18 20:00:00", 1_500_000, 1_450_000, 20, 18, 4_000_000, 3_600_000, 6_000, 2_000, 12),
    ("Weekend LIVE", "2026-03-21 19:30:00", 500_000, 500_000, 6, 5, 1_200_000, 1_000_000, 2_500, 800, 3),
)
_CAMPAIGN_ID = 1839234567890123  # 16 digits, below 2**53: a number cell keeps it exactly
_FIXED = _dt.datetime(2026, 3, 23, 9, 0, 0)

_LIVE_HEADERS = (
    "Livestream", "Start time", "Duration (s)", "Gross revenue", "Direct GMV", "Items sold", "Customers",
    "Avg. price", "Orders paid for", "GMV/1K shows", "GMV/1K views", "Views", "Viewers", "Peak viewers",
    "New followers", "Avg. view duration", "Likes", "Comments", "Shares", "Product impressions",
    "Product clicks", "CTR", "CTOR (SKU orders)",
)
_BLOCKS = (
    ("Shop tab GMV", "Shop tab items sold", "Shop tab listing impressions", "Shop tab page views",
     "Shop tab unique page views", "Shop tab unique customers", "Shop tab click-through rate",
     "Shop tab conversion rate"),
    ("LIVE GMV", "LIVE items sold", "LIVE impressions", "Page views from LIVE", "Unique page views from LIVE",
     "LIVE unique customers", "LIVE click-through rate", "LIVE conversion rate"),
    ("Video GMV", "Video items sold", "Video impressions", "Page views from Video", "Unique page views from Video",
     "Video unique customers", "Video click-through rate", "Video conversion rate"),
    # the export really spells this one with a double space
    ("Product card GMV", "Product  card items sold", "Product card impressions", "Page views from Product card",
     "Unique page views from Product card", "Product card unique customers", "Product card click-through rate",
     "Product card conversion rate"),
)
_VIDEO_HEADERS = (
    "Creator name", "Creator ID", "Video Info", "Video ID", "Time", "Products", "VV", "Likes", "Comments",
    "Shares", "New followers", "V-to-L clicks", "Product Impressions", "Product Clicks", "Unique customers",
    "Orders", "Video items sold", "Gross merchandise value (Video) (Rp)", "GPM (Rp)",
    "Shoppable video attributed GMV (Rp)", "Click-through rate (Video)", "V-to-L rate", "Video Finish Rate",
    "Click-to-order rate (Video)", "Mark", "Diagnosis",
)
_ADS_HEADERS = (
    "LIVE name", "Launched time", "Status", "Campaign name", "Campaign ID", "Cost", "Net Cost", "SKU orders",
    "SKU orders (Current shop)", "Cost per order (Current shop)", "Gross revenue", "Gross revenue (Current shop)",
    "ROI (Current shop)", "LIVE views", "Cost per LIVE view", "10-second LIVE views",
    "Cost per 10-second LIVE view", "LIVE follows", "Currency",
)


def _rp(amount: float) -> str:
    """``Rp279.940.892``: rupiah with dots between thousands, rounded to the rupiah."""
    return "Rp" + f"{round(amount):,}".replace(",", ".")


def _pct(num: float, den: float) -> str:
    """A percentage text cell with two decimals, as Seller Center shows it (``2.75%``)."""
    return f"{num / den * 100:.2f}%"


def _live_rows() -> list[list[Any]]:
    rows: list[list[Any]] = [[f"{PERIOD[0]} ~ {PERIOD[1]}"], [], list(_LIVE_HEADERS)]
    for (name, start, dur, gross, direct, items, customers, orders, views, viewers, peak, follows, avg_view,
         likes, comments, shares, imp, clicks) in LIVES:
        rows.append([
            name, start, str(dur), _rp(gross), _rp(direct), str(items), str(customers), _rp(gross / orders),
            str(orders), "--",  # GMV/1K shows needs LIVE impressions, which this export does not carry
            _rp(direct / views * 1000), str(views), str(viewers), str(peak), str(follows), f"{avg_view}s",
            str(likes), str(comments), str(shares), str(imp), str(clicks), _pct(clicks, views), _pct(orders, clicks),
        ])
    rows += [[None] * len(_LIVE_HEADERS) for _ in range(3)]  # trailing empty rows
    return rows


def _product_rows() -> list[list[Any]]:
    header = ["ID", "Product", "Status", "GMV", "Items sold", "Orders", *(h for block in _BLOCKS for h in block)]
    rows: list[list[Any]] = [[f"Date Start: {PERIOD[0]} - Date End: {PERIOD[1]}\n"], [], header]
    for pid, title, *blocks in PRODUCTS:
        gmv = sum(b[0] for b in blocks)
        items = sum(b[1] for b in blocks)
        cells: list[Any] = [pid, title, "Active", _rp(gmv), str(items), str(sum(b[5] for b in blocks))]
        for g, it, imp, pv, upv, uc in blocks:
            cells += [_rp(g), str(it), str(imp), str(pv), str(upv), str(uc), _pct(pv, imp), _pct(uc, upv)]
        rows.append(cells)
    rows += [[""] * len(header) for _ in range(2)]
    return rows


def _live_product_rows() -> list[list[Any]]:
    rows: list[list[Any]] = [[f"{PERIOD[0]} ~ {PERIOD[1]}"], [], ["商品信息", "商品信息", "总成交额", "佣金", "成交件数"]]
    for pid, title, gmv, commission, items in LIVE_PRODUCTS:
        rows.append([pid, title, _rp(gmv), _rp(commission), str(items)])
    return rows


def _video_rows() -> list[list[Any]]:
    rows: list[list[Any]] = [list(_VIDEO_HEADERS)]
    for (name, cid, info, vid, time, product, pid, vv, likes, comments, shares, follows, v2l, imp, clicks, uc,
         orders, items, gmv, attributed, finish) in VIDEOS:
        rows.append([
            name, cid, info, vid, time, f"{product}({pid})", str(vv), str(likes), str(comments), str(shares),
            str(follows), str(v2l), str(imp), str(clicks), "" if uc is None else str(uc), str(orders), str(items),
            _rp(gmv), _rp(gmv / vv * 1000), _rp(attributed), _pct(clicks, vv), _pct(v2l, vv), finish,
            _pct(orders, clicks), "", "hook works" if v2l else "",
        ])
    return rows


def _ads_rows() -> list[list[Any]]:
    rows: list[list[Any]] = [list(_ADS_HEADERS)]
    for name, launched, cost, net, sku, sku_shop, gross, gross_shop, views, views10, follows in ADS:
        rows.append([
            name, launched, "Ended", "GMV Max LIVE Maret", _CAMPAIGN_ID, f"{cost:.2f}", f"{net:.2f}", str(sku),
            str(sku_shop), f"{cost / sku_shop:.2f}", f"{gross:.2f}", f"{gross_shop:.2f}", f"{gross_shop / cost:.2f}",
            str(views), f"{cost / views:.2f}", str(views10), f"{cost / views10:.2f}", str(follows), "IDR",
        ])
    rows += [[""] * len(_ADS_HEADERS) for _ in range(10)]  # empty cells, as the report leaves them
    return rows


_SHEET_PR_END = re.compile(rb"(</sheetPr>|<sheetPr[^>]*/>)")


def _with_dimension(data: bytes, ref: str) -> bytes:
    """The workbook with a ``<dimension ref=...>`` element in its first sheet (as some exporters write it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = _SHEET_PR_END.sub(lambda m: m.group(1) + f'<dimension ref="{ref}"/>'.encode(), body, count=1)
            zout.writestr(info, body)
    return out.getvalue()


def write_tiktok_shop(out: str | Path) -> list[Path]:
    """Write the shop's five Seller Center downloads into ``out``.

    Parameters
    ----------
    out : str or Path
        Folder to write into (created when missing). Files are written atomically and
        are byte-identical from one run to the next.

    Returns
    -------
    list of Path
        The files, in the order of :data:`FILES`.

    Examples
    --------
    >>> import tempfile, fact_toolkit as ft
    >>> with tempfile.TemporaryDirectory() as d:                 # doctest: +SKIP
    ...     _ = write_tiktok_shop(d)
    ...     ft.load(d, own_accounts=[OWN_ACCOUNT]).summary()["gmv"]
    """
    from .._atomic import atomic_write_bytes

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "live": _with_dimension(_xlsx_bytes(_live_rows(), _FIXED, "LIVE list"), "A1:A1"),
        "products": _xlsx_bytes(_product_rows(), _FIXED, "Sheet1"),
        "live_products": _xlsx_bytes(_live_product_rows(), _FIXED, "Sheet1"),
        "videos": _xlsx_bytes(_video_rows(), _FIXED, "Sheet1"),
        "ads": _xlsx_bytes(_ads_rows(), _FIXED, "Data"),
    }
    return [atomic_write_bytes(folder / FILES[k], data) for k, data in files.items()]
