"""The sample's files as a shop downloads them, rendered from a :class:`SampleBrand`.

``_render_files`` renders, in this order: the Compass live list of the own accounts (XLSX,
``万`` text, a ``合计`` row), the talents' live sessions (UTF-8 CSV), the short videos
(UTF-8 with BOM, CRLF, tabs after IDs, ``-``/``--`` for missing cells), the product-card
sales (XLSX), the 千川 daily report (GB18030, CRLF), the TikTok LIVE list (banner row,
numbers as text, serial dates), the talent list, the benchmarks and ``ground_truth.json``.
"""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any

import numpy as np
import pandas as pd

from .arith import _money_sum
from .brand import _FILES, SampleBrand
from .formats import _csv_bytes, _excel_serial, _fmt_wan, _m, _secs_cn, _secs_en, _thousands, _xlsx_bytes

__all__ = ["_render_files"]


_ACCOUNT_LABEL = {"official": "官方账号", "authorised": "渠道账号", "affiliate": "达人"}
_TIER_LABEL = {"head": "头部", "waist": "腰部", "tail": "尾部"}

_LIVE_HEADERS: tuple[str, ...] = (
    "主播昵称", "主播抖音号", "账号类型", "直播标题", "直播开始时间", "直播结束时间", "直播时长(分钟)",
    "直播间曝光人数", "直播间曝光次数", "直播间观看人数", "直播间观看次数", "最高在线人数", "平均在线人数",
    "人均观看时长(分钟)", "新增粉丝数", "直播间商品曝光人数", "直播间商品点击人数", "直播间成交订单数",
    "直播间成交人数", "直播间成交金额", "直播间用户支付金额", "直播间退款金额", "预估佣金支出", "投放消耗",
    "净成交金额",
)
_VIDEO_HEADERS: tuple[str, ...] = (
    "视频ID", "视频标题", "达人昵称", "达人抖音号", "账号类型", "发布时间", "视频时长", "视频曝光次数",
    "视频观看次数", "点赞数", "评论数", "分享数", "完播率", "平均观看时长", "商品曝光人数", "商品点击人数",
    "成交订单数", "成交人数", "用户支付金额(元)", "成交金额(元)", "退款金额", "预估佣金支出",
    "看后搜用户支付金额(元)", "引流直播间用户支付金额(元)", "内容形式", "视频标签",
)
_SHELF_HEADERS: tuple[str, ...] = (
    "日期", "商品ID", "商品名称", "商品类目", "载体类型", "账号类型", "商品曝光人数", "商品曝光次数",
    "商品点击人数", "成交订单数", "成交人数", "成交金额", "用户支付金额", "退款金额",
)
_ADS_HEADERS: tuple[str, ...] = (
    "日期", "计划ID", "计划名称", "抖音号", "抖音号名称", "消耗", "展示次数", "点击次数", "转化数", "成交金额",
    "支付ROI",
)
_TIKTOK_HEADERS: tuple[str, ...] = (
    "Creator name", "Creator ID", "LIVE name", "Start time", "Duration", "GMV", "Direct GMV", "Items sold",
    "Customers", "Views", "Viewers", "Product impressions", "Product clicks", "CTR", "GMV/1K views",
    "New followers", "Avg. viewing duration",
)
_TALENT_HEADERS: tuple[str, ...] = ("达人昵称", "达人抖音号", "粉丝数", "达人层级", "佣金率")
_BENCH_HEADERS: tuple[str, ...] = ("category", "metric", "p25", "p50", "p75")


def _live_rows(df: pd.DataFrame, wan: np.ndarray, with_total: bool) -> list[list[Any]]:
    """Rows of a Compass live-session list (header first)."""
    rows: list[list[Any]] = [list(_LIVE_HEADERS)]
    label = {**_ACCOUNT_LABEL}
    for i, r in enumerate(df.itertuples(index=False)):
        def wn(v: int, j: int) -> Any:
            return _fmt_wan(int(v), 2) if wan[i, j] else int(v)
        dur_min = int(r.duration_sec) // 60
        rows.append([
            r.account_name, r.account_id, label[r.account_type], r.title,
            f"{r.start_time:%Y/%m/%d %H:%M:%S}", f"{r.end_time:%Y/%m/%d %H:%M:%S}", dur_min,
            wn(r.exposure_uv, 0), wn(r.exposure_pv, 1), int(r.view_uv), int(r.view_pv), int(r.peak_online),
            int(r.avg_online), round(float(r.avg_watch_sec) / 60.0, 2), int(r.new_followers),
            int(r.product_exposure_uv), int(r.product_click_uv), int(r.orders), int(r.buyers),
            float(r.gmv), float(r.paid_amount), float(r.refund_amount), float(r.commission), float(r.ad_spend),
            float(r.reported_net_gmv),
        ])
    if with_total:
        total: list[Any] = ["合计", "", "", "", "", ""]
        total.append(int(df["duration_sec"].sum()) // 60 if (df["duration_sec"] % 60 == 0).all() else "")
        for c in ("exposure_uv", "exposure_pv", "view_uv", "view_pv"):
            total.append(int(df[c].sum()))
        total += ["", "", "", int(df["new_followers"].sum())]
        for c in ("product_exposure_uv", "product_click_uv", "orders", "buyers"):
            total.append(int(df[c].sum()))
        for c in ("gmv", "paid_amount", "refund_amount", "commission", "ad_spend", "reported_net_gmv"):
            total.append(_money_sum(df[c]) or 0.0)
        rows.append(total)
    return rows


def _render_files(b: SampleBrand) -> dict[str, bytes]:
    """Render every file of the sample (name -> bytes)."""
    r = b.render
    fixed: _dt.datetime = r["fixed_time"]
    c = b.content
    files: dict[str, bytes] = {}

    # 1. Compass live list of the own accounts (xlsx, 万 text, 合计 row)
    f = c[c["source_file"] == _FILES["f_live"]]
    files[_FILES["f_live"]] = _xlsx_bytes(_live_rows(f, r["f_live_wan"], True), fixed, "直播明细")

    # 2. talent live sessions (UTF-8 csv, same headers, 账号类型 达人)
    t = c[c["source_file"] == _FILES["talent_live"]]
    trows = _live_rows(t, r["talent_live_wan"], False)
    trows = [trows[0]] + [[_m(v) if isinstance(v, float) and j >= 19 else v for j, v in enumerate(row)]
                          for row in trows[1:]]
    files[_FILES["talent_live"]] = _csv_bytes(tuple(trows[0]), trows[1:], encoding="utf-8", newline="\n")

    # 3. short videos (UTF-8 with BOM, CRLF, tabs after IDs, '-'/'--' for missing)
    v = c[c["source_file"] == _FILES["video"]]
    vrows = []
    for i, x in enumerate(v.itertuples(index=False)):
        sav = r["dash_sav"][i] if pd.isna(x.search_after_view_amount) else _m(x.search_after_view_amount)
        lra = r["dash_lra"][i] if pd.isna(x.live_referral_amount) else _m(x.live_referral_amount)
        vrows.append([
            x.content_id + ("\t" if r["video_tab"][i] else ""), x.title, x.account_name, x.account_id,
            _ACCOUNT_LABEL[x.account_type], f"{x.start_time:%Y-%m-%d %H:%M:%S}", _secs_cn(x.duration_sec),
            int(x.exposure_pv), int(x.view_pv), int(x.likes), int(x.comments), int(x.shares),
            f"{x.completion_rate * 100:.1f}%", _secs_cn(int(x.avg_watch_sec)), int(x.product_exposure_uv),
            int(x.product_click_uv), int(x.orders), int(x.buyers), _m(x.paid_amount), _m(x.gmv),
            _m(x.refund_amount), _m(x.commission), sav, lra, x.content_form, x.tags,
        ])
    files[_FILES["video"]] = _csv_bytes(_VIDEO_HEADERS, vrows, encoding="utf-8-sig", newline="\r\n")

    # 4. product card (S) per date × product (xlsx)
    s = b.shelf
    srows: list[list[Any]] = [list(_SHELF_HEADERS)]
    for x in s.itertuples(index=False):
        srows.append([f"{x.date:%Y-%m-%d}", x.product_id, x.title, x.category, "商品卡", "官方账号",
                      int(x.product_exposure_uv), int(x.product_exposure_pv), int(x.product_click_uv),
                      int(x.orders), int(x.buyers), float(x.gmv), float(x.paid_amount), float(x.refund_amount)])
    files[_FILES["shelf"]] = _xlsx_bytes(srows, fixed, "商品载体")

    # 5. 千川 daily report (GB18030, CRLF)
    arows = [[f"{x.date:%Y-%m-%d}", x.plan_id, x.plan_name, x.account_id, x.account_name, _m(x.ad_spend),
              int(x.impressions), int(x.clicks), int(x.conversions), _m(x.ad_gmv), f"{x.reported_roi:.2f}"]
             for x in b.ads.itertuples(index=False)]
    files[_FILES["ads"]] = _csv_bytes(_ADS_HEADERS, arows, encoding="gb18030", newline="\r\n")

    # 6. TikTok LIVE list (banner row, blank row, header; numbers as text; serial dates)
    tt = r["tiktok"]
    krows: list[list[Any]] = [[r["banner"]], [], list(_TIKTOK_HEADERS)]
    for i, x in enumerate(b.tiktok.itertuples(index=False)):
        krows.append([
            x.account_name, x.account_id, x.title,
            _excel_serial(x.start_time) if tt["serial"][i] else f"{x.start_time:%Y-%m-%d %H:%M:%S}",
            _secs_en(x.duration_sec),
            _thousands(x.gmv, 2) if tt["gmv_text"][i] else float(x.gmv),
            "$" + _thousands(x.direct_gmv, 2) if tt["direct_dollar"][i] else float(x.direct_gmv),
            int(x.items), int(x.buyers),
            _thousands(x.view_pv, 0) if tt["views_text"][i] else int(x.view_pv),
            int(x.view_uv), int(x.product_exposure_pv), int(x.product_click_pv),
            f"{x.reported_product_ctr * 100:.2f}%", float(x.reported_gpm), int(x.new_followers),
            _secs_en(int(x.avg_watch_sec)),
        ])
    files[_FILES["tiktok"]] = _xlsx_bytes(krows, fixed, "LIVE list")

    # 7. talent list
    lrows = []
    for i, x in enumerate(b.talents.itertuples(index=False)):
        fol = _fmt_wan(int(x.followers), 1) if r["followers_wan"][i] else int(x.followers)
        lrows.append([x.nickname, x.talent_id, fol, _TIER_LABEL[x.tier], f"{x.commission_rate * 100:.2f}%"])
    files[_FILES["talents"]] = _csv_bytes(_TALENT_HEADERS, lrows, encoding="utf-8", newline="\n")

    # 8. benchmarks
    brows = [[x.category, x.metric, f"{x.p25:g}", f"{x.p50:g}", f"{x.p75:g}"]
             for x in b.benchmarks.itertuples(index=False)]
    files[_FILES["benchmarks"]] = _csv_bytes(_BENCH_HEADERS, brows, encoding="utf-8", newline="\n")

    # 9. ground truth
    files[_FILES["truth"]] = (json.dumps(_jsonable(b.truth), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return files


def _jsonable(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.floating,)):
        return float(x)
    if isinstance(x, np.bool_):
        return bool(x)
    return x
