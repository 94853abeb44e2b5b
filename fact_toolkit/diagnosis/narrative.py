"""Findings in words (zh / en), written from the numbers of each diagnosis table.

Every function takes the frames a diagnosis function returned and gives one short
paragraph; none computes a metric of its own beyond picking maxima and signs.
"""

from __future__ import annotations

import math

import pandas as pd

from ..formatting import KPI_WORDS, STAGE_WORDS

__all__ = ["CHANNEL_NAMES", "STAGE_NAMES", "METRIC_NAMES", "fmt_money", "fmt_pct", "not_available",
           "describe_contribution", "partial_note", "describe_gpm_roi", "describe_funnel", "describe_sessions",
           "describe_talents", "describe_halo", "describe_campaigns", "describe_crowd", "describe_forms",
           "describe_opportunities", "describe_labels", "describe_capabilities", "describe_other_currencies",
           "title", "channel"]

CHANNEL_NAMES = {"F": ("商家自播(F)", "self-broadcast (F)"), "A": ("达人矩阵(A)", "talents (A)"),
                 "T": ("头部大V(T)", "top KOLs (T)"), "S": ("货架(S)", "shelf (S)"),
                 "other": ("其他", "other"), "all": ("全部", "all channels")}
STAGE_NAMES = STAGE_WORDS
METRIC_NAMES = {"gpm": ("GPM", "GPM"), "exposure_view_rate": ("曝光-观看率", "exposure→view rate"),
                "product_ctr": ("商品点击率", "product CTR"), "click_order_rate": ("点击-成交转化率", "click→order rate"),
                "aov": ("客单价", "AOV"), "avg_watch_sec": ("人均观看时长", "avg. watch time"),
                "refund_rate": ("退款率", "refund rate"), **KPI_WORDS,
                "view_product_rate": ("观看-商品曝光率", "view→product exposure rate")}

_TITLES = {
    "params": ("数据与参数", "Data and parameters"),
    "contribution": ("1 GMV 来源与渠道结构", "1 Where GMV comes from, and the channel mix"),
    "gpm_roi": ("2 GPM 视角 vs 扣佣ROI 视角", "2 The GPM view vs the ROI-after-commission view"),
    "funnel": ("3 各渠道漏斗与瓶颈", "3 Funnel per channel and its bottleneck"),
    "sessions": ("4 直播复盘", "4 Live-session review"),
    "talents": ("5 达人矩阵 (A)", "5 Talent matrix (A)"),
    "halo": ("6 头部大V (T) 与溢出效应", "6 Top KOLs (T) and their halo"),
    "campaigns": ("7 营销活动 (C) 增量", "7 Campaigns (C): uplift and decay"),
    "crowd": ("8 人群资产 (F)", "8 Crowd assets (F)"),
    "forms": ("9 内容形式", "9 Content forms"),
    "opportunities": ("10 高转化低曝光机会", "10 High conversion, low exposure"),
    "labels": ("11 账号标签一致性", "11 Label consistency"),
    "capabilities": ("12 四力评分与发力建议", "12 The four capabilities and the lever to push"),
}


def _l(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def title(key: str, lang: str) -> str:
    """Section heading."""
    zh, en = _TITLES[key]
    return _l(lang, zh, en)


def _name(table: dict[str, tuple[str, str]], key: object, lang: str) -> str:
    pair = table.get(str(key))
    return str(key) if pair is None else _l(lang, *pair)


def channel(key: object, lang: str) -> str:
    """Channel name in the language."""
    return _name(CHANNEL_NAMES, key, lang)


def fmt_money(x: float, lang: str = "zh", currency: str | None = "CNY") -> str:
    """Money for a sentence: ``1.23亿`` / ``45.6万`` (zh) or ``1.23M`` / ``45.6K`` (en), with the currency.

    Examples
    --------
    >>> fmt_money(123456789, "zh"), fmt_money(45600, "en", "USD")
    ('1.23亿元', 'USD 45.6K')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    cur = currency or ""
    if lang == "zh":
        unit = "元" if cur in ("CNY", "") else f" {cur}"
        if abs(x) >= 1e8:
            return f"{x / 1e8:.2f}亿{unit}"
        if abs(x) >= 1e4:
            return f"{x / 1e4:.1f}万{unit}"
        return f"{x:,.0f}{unit}"
    pre = f"{cur} " if cur and cur != "CNY" else ("¥" if cur == "CNY" else "")
    if abs(x) >= 1e6:
        return f"{pre}{x / 1e6:.2f}M"
    if abs(x) >= 1e3:
        return f"{pre}{x / 1e3:.1f}K"
    return f"{pre}{x:,.0f}"


def fmt_pct(x: float, signed: bool = False, digits: int = 0) -> str:
    """A fraction as a percentage: ``0.183`` → ``18%`` (``+18%`` when ``signed``).

    Examples
    --------
    >>> fmt_pct(0.183), fmt_pct(-0.05, signed=True), fmt_pct(float("nan"))
    ('18%', '-5%', '–')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x * 100:+.{digits}f}%" if signed else f"{x * 100:.{digits}f}%"


def _finite(x: object) -> bool:
    """True for a finite number (False for None, NaN, ±inf and non-numbers)."""
    try:
        return math.isfinite(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def _num(x: float, digits: int = 0) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:,.{digits}f}"


_REASONS = {
    "no_rows": ("所选时间范围内没有相关数据", "the selected date range holds no such rows"),
    "no_talents": ("没有达人 (A) 数据：数据中没有达人账号的视频或直播", "there are no talent (A) rows: no affiliate videos or lives"),
    "no_top_kol": ("没有头部大V (T) 场次：按当前 top_kol_rule 没有账号被归为 T", "there are no top-KOL (T) sessions: no account meets the top_kol_rule"),
    "no_lives": ("没有直播场次数据", "there are no live sessions"),
    "no_forms": ("内容没有「内容形式」列（视频类型）", "the content has no content-form column (内容形式)"),
    "no_tags": ("内容没有标签列（视频标签）", "the content has no tags column (视频标签)"),
    "no_followers": ("自播数据没有新增粉丝列", "the own-account data have no new-followers column"),
    "no_campaign": ("所选范围内没有完整的活动窗口（或活动前缺少对照期数据）",
                    "no campaign window lies fully inside the range with a pre-period to compare with"),
    "no_halo_base": ("T 场次之后没有可比的 F/S 数据", "there are no F or S data to compare around the T sessions"),
    "no_exposure": ("内容没有曝光或观看数据", "the content has no exposure or view data"),
    "few_months": ("数据不足两个月，无法做环比", "the data span less than two months"),
    "no_scores": ("没有任何可计算的四力指标", "none of the capability metrics can be computed"),
}


def not_available(reason: str, lang: str) -> str:
    """The line a section shows when it cannot be computed.

    Examples
    --------
    >>> not_available("no_tags", "en")
    'Not available because the content has no tags column (视频标签).'
    """
    zh, en = _REASONS.get(reason, (reason, reason))
    return _l(lang, f"暂不可用：{zh}。", f"Not available because {en}.")


def describe_other_currencies(facts: pd.DataFrame, currency: str | None, lang: str) -> str:
    """One sentence about sales in other currencies (reported apart, never added)."""
    if currency is None or "currency" not in facts:
        return ""
    other = facts.loc[facts["currency"].ne(currency).fillna(True).to_numpy(dtype=bool)]
    if other.empty:
        return ""
    parts = []
    for cur, g in other.groupby("currency", observed=True):
        parts.append(fmt_money(float(g["gmv"].sum()), lang, str(cur)))
    return _l(lang, f"另有其他币种销售 {', '.join(parts)}（如 TikTok 店铺），单独列示，不与{currency}相加。",
              f"Sales in other currencies ({', '.join(parts)}, e.g. the TikTok shop) are shown apart and never "
              f"added to {currency}.")


def describe_contribution(contrib: pd.DataFrame, currency: str | None, lang: str) -> str:
    """Largest channel, its share, and the channel that grew and fell most in the last period."""
    c = contrib if currency is None else contrib[contrib["currency"] == currency]
    if c.empty:
        return not_available("no_rows", lang)
    tot = c.groupby("fact_channel")["gmv"].sum().sort_values(ascending=False)
    share = tot / tot.sum()
    top, top_share = share.index[0], share.iloc[0]
    text = _l(lang, f"所选期间 GMV 合计 {fmt_money(tot.sum(), lang, currency)}，最大来源是{channel(top, lang)}，"
                    f"占 {fmt_pct(top_share)}",
              f"GMV over the range is {fmt_money(tot.sum(), lang, currency)}; the largest source is "
              f"{channel(top, lang)} with {fmt_pct(top_share)}")
    rest = [f"{channel(k, lang)} {fmt_pct(v)}" for k, v in share.iloc[1:].items()]
    text += (_l(lang, "，其后依次为" + "、".join(rest) + "。", ", then " + ", ".join(rest) + ".") if rest else
             _l(lang, "。", "."))
    text += partial_note(_trailing_partial(c), lang)
    done = c[c["complete"]] if "complete" in c else c
    if done.empty:
        return text
    last = done["period"].max()
    g = done[done["period"] == last].dropna(subset=["growth"])
    if len(g):
        up, down = g.loc[g["growth"].idxmax()], g.loc[g["growth"].idxmin()]
        month = pd.Timestamp(last).strftime("%Y-%m")
        if up["growth"] > 0:
            text += _l(lang, f" {month} 环比增长最快的是{channel(up['fact_channel'], lang)}（{fmt_pct(up['growth'], True)}）",
                       f" In {month}, {channel(up['fact_channel'], lang)} grew fastest ({fmt_pct(up['growth'], True)} "
                       "month on month)")
        else:
            text += _l(lang, f" {month} 各渠道环比都在下降，跌幅最小的是{channel(up['fact_channel'], lang)}"
                             f"（{fmt_pct(up['growth'], True)}）",
                       f" In {month} every channel fell month on month; {channel(up['fact_channel'], lang)} fell "
                       f"least ({fmt_pct(up['growth'], True)})")
        if down["fact_channel"] != up["fact_channel"]:
            if down["growth"] < 0:
                text += _l(lang, f"，跌幅最大的是{channel(down['fact_channel'], lang)}（{fmt_pct(down['growth'], True)}）。",
                           f" and {channel(down['fact_channel'], lang)} did worst ({fmt_pct(down['growth'], True)}).")
            else:
                text += _l(lang, f"，增长最慢的是{channel(down['fact_channel'], lang)}（{fmt_pct(down['growth'], True)}）。",
                           f" and {channel(down['fact_channel'], lang)} grew least ({fmt_pct(down['growth'], True)}).")
        else:
            text += _l(lang, "。", ".")
    first_share = done[done["period"] == done["period"].min()].set_index("fact_channel")["share"]
    last_share = done[done["period"] == last].set_index("fact_channel")["share"]
    delta = (last_share - first_share.reindex(last_share.index).fillna(0)).dropna()
    if done["period"].nunique() >= 2 and len(delta) and abs(delta).max() >= 0.05:
        k = delta.abs().idxmax()
        m0, m1 = pd.Timestamp(done["period"].min()).strftime("%Y-%m"), pd.Timestamp(last).strftime("%Y-%m")
        text += _l(lang, f" 结构上，{channel(k, lang)}的占比从 {fmt_pct(first_share.get(k, 0))}（{m0}）变为 "
                         f"{fmt_pct(last_share[k])}（{m1}）。",
                   f" In the mix, {channel(k, lang)} moved from {fmt_pct(first_share.get(k, 0))} ({m0}) to "
                   f"{fmt_pct(last_share[k])} ({m1}) of GMV.")
    return text


def _trailing_partial(table: pd.DataFrame) -> tuple[str, int, int] | None:
    """``(month, days, length)`` of the last period when the range covers it only in part."""
    if table.empty or not {"period", "complete", "days", "length"} <= set(table.columns):
        return None
    last = table["period"].max()
    r = table[table["period"] == last].iloc[0]
    if bool(r["complete"]):
        return None
    return pd.Timestamp(last).strftime("%Y-%m"), int(r["days"]), int(r["length"])


def partial_note(partial: tuple[str, int, int] | None, lang: str) -> str:
    """The sentence saying a trailing period is partial and left out of comparisons ('' when none).

    Examples
    --------
    >>> partial_note(("2026-11", 3, 30), "en")
    ' 2026-11 is partial (3 of 30 days): comparisons use complete months only.'
    """
    if not partial:
        return ""
    m, days, length = partial
    return _l(lang, f" {m} 数据不完整（{days}/{length} 天）：环比只比较完整月份。",
              f" {m} is partial ({days} of {length} days): comparisons use complete months only.")


def describe_gpm_roi(channels: pd.DataFrame, accounts: pd.DataFrame, mom: pd.DataFrame, lang: str) -> str:
    """Which channel leads by GPM and by ROI, disagreements, and GPM/views month on month."""
    if channels.empty or channels["gpm"].notna().sum() == 0:
        return not_available("no_rows", lang)
    by_gpm = channels["gpm"].idxmax()
    parts = []
    if channels["roi"].notna().any():
        by_roi = channels["roi"].idxmax()
        if by_gpm == by_roi:
            parts.append(_l(lang, f"{channel(by_gpm, lang)}在 GPM 和扣佣ROI 两个视角下都排第一。",
                            f"{channel(by_gpm, lang)} ranks first by both GPM and ROI after commission."))
        else:
            parts.append(_l(lang, f"按扣佣ROI（支付金额 ÷ (投放 + 佣金)）排，{channel(by_roi, lang)}第一"
                                  f"（扣佣ROI {channels.loc[by_roi, 'roi']:.1f}）；"
                                  f"按 GPM 排，{channel(by_gpm, lang)}第一（GPM {_num(channels.loc[by_gpm, 'gpm'])}）。"
                                  "ROI 奖励便宜的流量，GPM 奖励推荐系统会继续放大的转化——按 GPM 分配资源。",
                            f"By ROI after commission (paid ÷ (ad spend + commission)), {channel(by_roi, lang)} leads "
                            f"({channels.loc[by_roi, 'roi']:.1f}); by GPM, "
                            f"{channel(by_gpm, lang)} does (GPM {_num(channels.loc[by_gpm, 'gpm'])}). ROI rewards "
                            "cheap traffic; GPM rewards the conversion the recommender keeps amplifying — allocate by GPM."))
    if not accounts.empty:
        n = int(accounts["disagree"].sum())
        parts.append(_l(lang, f"在 {len(accounts)} 个账号中，有 {n} 个账号两种排名相差较大（见表）。",
                        f"Of {len(accounts)} accounts, {n} rank very differently under the two views (see the table)."))
    if mom.attrs.get("partial"):
        parts.append(partial_note(mom.attrs["partial"], lang).strip())
    if not mom.empty and "gpm_change" in mom:
        m0, m1 = mom.attrs.get("months", ("", ""))
        if m1:
            parts.append(_l(lang, f"环比：{m1} 对比 {m0}。", f"Month on month: {m1} against {m0}."))
        for ch, r in mom.iterrows():
            g, v = r.get("gpm_change"), r.get("views_change")
            if pd.notna(g) and pd.notna(v) and g <= -0.10 and v >= 0.10:
                parts.append(_l(lang, f"{channel(ch, lang)}的 GPM 环比下降 {fmt_pct(-g)}，而观看次数上升 {fmt_pct(v)}："
                                      "新增流量在稀释转化（新达人/新人群尚未匹配）。",
                                f"{channel(ch, lang)}'s GPM fell {fmt_pct(-g)} month on month while its views rose "
                                f"{fmt_pct(v)}: new traffic is diluting conversion."))
            elif pd.notna(g) and abs(g) >= 0.15:
                parts.append(_l(lang, f"{channel(ch, lang)}的 GPM 环比{'上升' if g > 0 else '下降'} {fmt_pct(abs(g))}"
                                      f"（观看次数 {fmt_pct(v, True)}）。",
                                f"{channel(ch, lang)}'s GPM {'rose' if g > 0 else 'fell'} {fmt_pct(abs(g))} month on "
                                f"month (views {fmt_pct(v, True)})."))
    return " ".join(parts)


def describe_funnel(diag: pd.DataFrame, lang: str, by: str = "fact_channel") -> str:
    """Each channel's bottleneck stage against its history and its peers."""
    if diag.empty:
        return not_available("no_rows", lang)
    month = diag.attrs.get("month", "")
    parts = []
    if diag.attrs.get("partial"):
        parts.append(partial_note(diag.attrs["partial"], lang).strip())
    parts.append(_l(lang, f"以 {month}（最近的完整月）为当前月：",
                    f"Taking {month} (the last complete month) as the current month:"))
    for ch, g in diag.groupby(by, sort=False):
        bh, bp = g["bottleneck_history"].iloc[0], g["bottleneck_peer"].iloc[0]
        seg = []
        if isinstance(bh, str):
            v = g.set_index("stage").loc[bh, "vs_history"]
            seg.append(_l(lang, f"相对自身历史中位数，{_name(STAGE_NAMES, bh, lang)}最弱（{fmt_pct(v, True)}）",
                          f"against its own history median the weakest step is {_name(STAGE_NAMES, bh, lang)} "
                          f"({fmt_pct(v, True)})"))
        if isinstance(bp, str):
            v = g.set_index("stage").loc[bp, "vs_peer"]
            seg.append(_l(lang, f"相对同行 p50，{_name(STAGE_NAMES, bp, lang)}差距最大（{fmt_pct(v, True)}）",
                          f"against the peer p50 it is {_name(STAGE_NAMES, bp, lang)} ({fmt_pct(v, True)})"))
        if not seg:
            seg.append(_l(lang, "没有低于参照的环节", "no step is below its reference"))
        parts.append(_l(lang, f"{channel(ch, lang)}：" + "，".join(seg) + "。",
                        f"{channel(ch, lang)}: " + "; ".join(seg) + "."))
    if diag["peer_p50"].isna().all():
        parts.append(_l(lang, "（未提供同行基准，只与自身历史比较。）",
                        "(No peer benchmarks given: compared with own history only.)"))
    return " ".join(parts)


def describe_sessions(review: pd.DataFrame, extremes: pd.DataFrame, lang: str) -> str:
    """How widely sessions spread around their account median, the best and worst session and why.

    (Half the sessions beat their account's median by construction, so that share is not
    reported; the spread — sessions more than 20% off the median — is.)
    """
    if review.empty:
        return not_available("no_lives", lang)
    rel = review["gpm_vs_own"].astype(float)
    rel = rel[rel.map(math.isfinite)]
    text = _l(lang, f"共 {len(review)} 场直播。", f"{len(review)} live sessions.")
    if len(rel):
        hi, lo = float((rel > 0.2).mean()), float((rel < -0.2).mean())
        text += _l(lang, f" {fmt_pct(hi)} 的场次 GPM 比本账号中位数高出 20% 以上，{fmt_pct(lo)} 低 20% 以上。",
                   f" {fmt_pct(hi)} of them beat their account's median GPM by more than 20% and {fmt_pct(lo)} "
                   "fall more than 20% below it.")
    if "gpm_peer" in review:
        top = float((review["gpm_peer"] == "≥p75").mean())
        low = float((review["gpm_peer"] == "<p25").mean())
        text += _l(lang, f" 对照同行，{fmt_pct(top)} 的场次 GPM 达到 p75 以上，{fmt_pct(low)} 低于 p25。",
                   f" Against peers, {fmt_pct(top)} reach the p75 GPM and {fmt_pct(low)} fall below p25.")
    if not extremes.empty:
        for rank, zh, en in (("best", "最好", "best"), ("worst", "最差", "worst")):
            r = extremes[extremes["rank"] == rank]
            if r.empty:
                continue
            r = r.iloc[0]
            day = pd.Timestamp(r["date"]).strftime("%Y-%m-%d") if "date" in r and pd.notna(r["date"]) else ""
            why = ""
            if isinstance(r.get("why_kpi"), str):
                why = _l(lang, f"，主要因为{_name(METRIC_NAMES, r['why_kpi'], lang)} {fmt_pct(r['why_change'], True)}",
                         f", mainly because its {_name(METRIC_NAMES, r['why_kpi'], lang)} was "
                         f"{fmt_pct(r['why_change'], True)} vs the account median")
            who = r.get("account_name")
            if who is None or pd.isna(who):  # a TikTok LIVE list names the session, not its host
                who = r.get("title") if r.get("title") is not None and pd.notna(r.get("title")) else ""
            text += _l(lang, f" {zh}的一场是 {who} {day}，GPM {_num(r['gpm'])}"
                             f"（比本账号中位数 {fmt_pct(r['gpm_vs_own'], True)}）{why}。",
                       f" The {en} session was {who} on {day}: GPM {_num(r['gpm'])} "
                       f"({fmt_pct(r['gpm_vs_own'], True)} vs its account median){why}.")
    return text


def describe_talents(matrix: pd.DataFrame, conc: dict, activity: pd.DataFrame, lang: str) -> str:
    """Concentration, tiers, activity and hidden gems of the talent matrix."""
    if matrix.empty:
        return not_available("no_talents", lang)
    hhi = conc.get("hhi", float("nan"))
    if _finite(hhi) and _finite(conc.get("top_share")) and _finite(conc.get("equivalent_n")):
        text = _l(lang, f"共 {len(matrix)} 位达人出单；前 10 名贡献 {fmt_pct(conc['top_share'])} 的支付金额，"
                        f"HHI {hhi:.3f}（相当于 {conc['equivalent_n']:.0f} 位同等规模达人）。",
                  f"{len(matrix)} talents sold; the top 10 bring {fmt_pct(conc['top_share'])} of paid amount, HHI "
                  f"{hhi:.3f} (as concentrated as {conc['equivalent_n']:.0f} equal-sized talents).")
    else:
        text = _l(lang, f"共 {len(matrix)} 位达人；集中度（前 10 名占比、HHI）暂不可用：所选范围内达人支付金额均为 0。",
                  f"{len(matrix)} talents; concentration (top-10 share, HHI) is not available because their paid "
                  "amount is 0 in the range.")
    if _finite(conc.get("top_share")) and conc["top_share"] >= 0.6:
        text += _l(lang, " 集中度高：少数达人一旦停播，A 渠道会大幅下滑。",
                   " That is concentrated: losing a few talents would hit A hard.")
    if not activity.empty and "complete" in activity:
        text += partial_note(_trailing_partial(activity.rename_axis("period").reset_index()), lang)
    done = activity[activity["complete"]] if "complete" in activity else activity
    if not done.empty and len(done) >= 2:
        a0, a1 = done.iloc[-2], done.iloc[-1]
        m1 = pd.Timestamp(done.index[-1]).strftime("%Y-%m")
        text += _l(lang, f" {m1} 活跃达人 {int(a1['active'])} 位（上月 {int(a0['active'])}），其中新达人 {int(a1['new'])} 位，"
                         f"贡献 {fmt_pct(a1['new_gmv_share'])} 的支付金额。",
                   f" In {m1}, {int(a1['active'])} talents were active ({int(a0['active'])} the month before), "
                   f"{int(a1['new'])} of them new, bringing {fmt_pct(a1['new_gmv_share'])} of paid amount.")
    gems = matrix[matrix["hidden_gem"]]
    if len(gems):
        names = "、".join(gems["account_name"].astype(str).head(3)) if lang == "zh" else \
            ", ".join(gems["account_name"].astype(str).head(3))
        text += _l(lang, f" {len(gems)} 位达人 GPM 在前 25% 但曝光在后 50%（如 {names}）：值得加佣金或投流支持。",
                   f" {len(gems)} talents have GPM in the top quartile but exposure in the bottom half (e.g. {names}): "
                   "worth extra commission or traffic support.")
    return text


def describe_halo(t_sessions: pd.DataFrame, halo: pd.DataFrame, currency: str | None, lang: str) -> str:
    """T session results and the F/S lift in the 7 days after."""
    if t_sessions.empty:
        return not_available("no_top_kol", lang)
    paid = t_sessions["paid_amount"].sum() if "paid_amount" in t_sessions else t_sessions["gmv"].sum()
    text = _l(lang, f"{t_sessions['account_name'].nunique()} 位头部大V 共 {len(t_sessions)} 场专场，支付金额 "
                    f"{fmt_money(paid, lang, currency)}。",
              f"{t_sessions['account_name'].nunique()} top KOLs ran {len(t_sessions)} special sessions, paid amount "
              f"{fmt_money(paid, lang, currency)}.")
    if halo.empty:
        return text + " " + not_available("no_halo_base", lang)
    measured = halo[halo["lift"].map(_finite)] if "lift" in halo else halo.iloc[0:0]
    if measured.empty:
        total = int(halo["halo_days_total"].max()) if "halo_days_total" in halo else 0
        return text + " " + _l(lang, f"溢出效应暂不可用：专场后的 {total} 天里，没有一天在前后 4 周内找到足够的"
                                     "同星期、同活动状态且 7 天内没有头部专场的干净日作基线（专场太密）。",
                               f"The halo is not available because there are not enough clean days to measure it: "
                               f"none of the {total} days after a session has enough days within ±4 weeks on the same "
                               "weekday and campaign status without a top-KOL session in the 7 days before "
                               "(sessions are too frequent).")
    for _, r in measured.iterrows():
        what = _l(lang, "支付金额" if r["measure"] == "gmv" else "曝光", "paid amount" if r["measure"] == "gmv"
                  else "exposure")
        basis = ""
        if "clean_days" in r and "halo_days_total" in r:
            basis = _l(lang, f"（测得 {int(r['halo_days'])}/{int(r['halo_days_total'])} 个专场后日，基线来自 "
                             f"{int(r['clean_days'])} 个干净日）",
                       f" (measured on {int(r['halo_days'])} of {int(r['halo_days_total'])} days after a session, "
                       f"against {int(r['clean_days'])} clean days)")
        text += _l(lang, f" 专场后 7 天，{channel(r['fact_channel'], lang)}{what}比前后 4 周内同星期、同活动状态的"
                         f"干净日基线 {fmt_pct(r['lift'], True)}{basis}。",
                   f" In the 7 days after, {channel(r['fact_channel'], lang)} {what} was {fmt_pct(r['lift'], True)} "
                   f"against clean days within ±4 weeks on the same weekday and campaign status{basis}.")
    if "halo_days_total" in measured:
        share = float(measured["halo_days"].max()) / max(1.0, float(measured["halo_days_total"].max()))
        if share < 0.25:
            text += _l(lang, f" 只有 {fmt_pct(share)} 的专场后日有足够的干净对照日（专场很密），以下结论仅供参考。",
                       f" Only {fmt_pct(share)} of the days after a session have enough clean days to compare with "
                       "(sessions are dense): read what follows as indicative.")
    lifts = measured.loc[measured["measure"] == "gmv", "lift"]
    if len(lifts):
        text += _l(lang, " 溢出明显，头部合作带动了自播与货架。" if lifts.max() >= 0.05 else
                   " 没有看到明显溢出：头部专场的价值主要是当场销售，匹配度值得复核。",
                   " The halo is visible: the KOL sessions lift your own accounts and shelf." if lifts.max() >= 0.05 else
                   " No clear halo: the KOL sessions mostly sell on the day; check how well they match the brand.")
    return text


def describe_campaigns(table: pd.DataFrame, lang: str) -> str:
    """Average uplift per channel, best campaign, and how fast sales settle afterwards."""
    t = table.dropna(subset=["uplift"]) if not table.empty else table
    if t.empty:
        return not_available("no_campaign", lang)
    allc = t[t["fact_channel"] == "all"]
    text = ""
    if len(allc):
        best = allc.loc[allc["uplift"].idxmax()]
        text += _l(lang, f"{allc['campaign_id'].nunique()} 个活动窗口中，{best['name']}（{best['campaign_id']}）增量最大：GMV "
                         f"比同星期结构的活动前基线 {fmt_pct(best['uplift'], True)}。",
                   f"Of {allc['campaign_id'].nunique()} campaign windows, {best['name']} ({best['campaign_id']}) gave "
                   f"the largest uplift: GMV {fmt_pct(best['uplift'], True)} against the weekday-matched pre-period.")
        decay = allc["decay_days"].dropna()
        if len(decay):
            text += _l(lang, f" 活动结束后平均 {decay.mean():.0f} 天回落到基线附近。",
                       f" After a window, sales settle back near the baseline in {decay.mean():.0f} days on average.")
    per = t[t["fact_channel"] != "all"].groupby("fact_channel")["uplift"].median().sort_values(ascending=False)
    if len(per):
        seg = [f"{channel(k, lang)} {fmt_pct(v, True)}" for k, v in per.items()]
        text += _l(lang, " 各渠道增量中位数：" + "、".join(seg) + "。", " Median uplift per channel: " + ", ".join(seg) + ".")
    return text.strip()


def describe_crowd(crowd: pd.DataFrame, lang: str) -> str:
    """New followers trend and fan-buyer share."""
    if crowd.empty:
        return not_available("no_followers", lang)
    per_1k = crowd.attrs.get("followers_per_1k_views", float("nan"))
    text = _l(lang, f"自播累计新增粉丝 {_num(crowd['new_followers'].sum())}",
              f"Own accounts gained {_num(crowd['new_followers'].sum())} followers")
    if _finite(per_1k):
        text += _l(lang, f"，整体每千次观看涨粉 {per_1k:.2f}（新增粉丝合计 ÷ 观看次数合计）。",
                   f", {per_1k:.2f} per 1K views overall (all new followers ÷ all views).")
    else:
        text += _l(lang, "；每千次观看涨粉暂不可用：没有同时带观看次数的行。",
                   "; followers per 1K views are not available because no row has views as well.")
    if "complete" in crowd:
        text += partial_note(_trailing_partial(crowd.rename_axis("period").reset_index()), lang)
    done = crowd[crowd["complete"]] if "complete" in crowd else crowd
    if len(done) >= 2:
        a, b = done["followers_per_1k_views"].iloc[-2], done["followers_per_1k_views"].iloc[-1]
        if _finite(a) and a > 0 and _finite(b):
            m1 = pd.Timestamp(done.index[-1]).strftime("%Y-%m")
            text += _l(lang, f" {m1} 千次观看涨粉环比 {fmt_pct(b / a - 1, True)}。",
                       f" In {m1}, followers per 1K views changed {fmt_pct(b / a - 1, True)} month on month.")
    fb = crowd["fan_buyer_share"].dropna()
    if len(fb):
        m = pd.Timestamp(fb.index[-1]).strftime("%Y-%m") if isinstance(fb.index[-1], pd.Timestamp) else ""
        text += _l(lang, f" {m} 粉丝成交占比 {fmt_pct(fb.iloc[-1])}。",
                   f" In {m}, fan buyers were {fmt_pct(fb.iloc[-1])} of buyers.")
    else:
        text += _l(lang, " 粉丝成交占比与复购：导出数据中没有粉丝成交人数或买家ID，暂不可用。",
                   " Fan-buyer share and repurchase are not available because the exports carry no fan-buyer "
                   "count or buyer IDs.")
    return text


def describe_forms(forms: pd.DataFrame, lang: str) -> str:
    """Best form by GPM against the form that gets most exposure."""
    if forms.empty:
        return not_available("no_forms", lang)
    if "gpm" not in forms or forms["gpm"].notna().sum() == 0:
        return _l(lang, f"共 {len(forms)} 种内容形式；GPM 暂不可用：这些内容没有观看次数或支付金额。",
                  f"{len(forms)} content forms; GPM is not available because the content has no views or paid "
                  "amount.")
    forms = forms.dropna(subset=["gpm"])
    best = forms["gpm"].idxmax()
    text = _l(lang, f"{best} 的 GPM 最高（{_num(forms.loc[best, 'gpm'])}）",
              f"{best} has the highest GPM ({_num(forms.loc[best, 'gpm'])})")
    if "exposures" in forms and forms["exposures"].notna().any():
        most = forms["exposures"].idxmax()
        if most != best:
            text += _l(lang, f"，但曝光最多的是 {most}（GPM {_num(forms.loc[most, 'gpm'])}）：把更多产能转向 {best}。",
                       f", but {most} gets the most exposure (GPM {_num(forms.loc[most, 'gpm'])}): shift "
                       f"production towards {best}.")
        else:
            text += _l(lang, "，同时曝光也最多。", " and also the most exposure.")
    worst = forms["gpm"].idxmin()
    text += _l(lang, f" GPM 最低的是 {worst}（{_num(forms.loc[worst, 'gpm'])}）。",
               f" The lowest GPM is {worst} ({_num(forms.loc[worst, 'gpm'])}).")
    return text


def describe_opportunities(items: pd.DataFrame, accounts: pd.DataFrame, lang: str) -> str:
    """How many items/accounts are high-GPM low-exposure and what they have in common."""
    if items.empty:
        return not_available("no_exposure", lang)
    opp = items[items["opportunity"]]
    text = _l(lang, f"{len(items)} 条内容中有 {len(opp)} 条 GPM 位于前 25%、曝光位于后 50%——系统会逐步给这类内容机会，"
                    "现在就值得加推。",
              f"Of {len(items)} content items, {len(opp)} have GPM in the top quartile and exposure in the bottom "
              "half — the recommender will give such content its chance; push it now.")
    if len(opp) and "content_form" in opp and opp["content_form"].notna().any():
        form = opp["content_form"].mode().iloc[0]
        text += _l(lang, f" 其中最多的内容形式是 {form}。", f" The most common form among them is {form}.")
    if not accounts.empty and accounts["opportunity"].any():
        # an account without a name (a TikTok LIVE list names no creator) is left out
        names = [str(n) for n in accounts.loc[accounts["opportunity"], "account_name"].dropna().head(3)]
        if names:
            text += _l(lang, f" 账号层面：{'、'.join(names)} 等。", f" Accounts: {', '.join(names)}.")
    return text


def describe_labels(disp: pd.DataFrame, lang: str) -> str:
    """Most scattered accounts and the entropy–GPM relation (账号标签混乱)."""
    if disp.empty:
        return not_available("no_tags", lang)
    rho = disp.attrs.get("spearman", float("nan"))
    top = disp.index[0]
    text = _l(lang, f"{len(disp)} 个账号中，标签最分散的是 {top}（熵 {disp['entropy'].iloc[0]:.2f} 比特，"
                    f"{int(disp['distinct_tags'].iloc[0])} 个不同标签）。",
              f"Of {len(disp)} accounts, {top} has the most scattered tags (entropy {disp['entropy'].iloc[0]:.2f} bits, "
              f"{int(disp['distinct_tags'].iloc[0])} distinct tags).")
    if pd.notna(rho):
        if rho <= -0.2:
            text += _l(lang, f" 标签越分散，GPM 越低（Spearman ρ = {rho:.2f}）：账号标签混乱会拖累推荐，聚焦少数标签。",
                       f" The more scattered the tags, the lower the GPM (Spearman ρ = {rho:.2f}): muddled labels "
                       "confuse the recommender — focus each account on a few.")
        elif rho >= 0.2:
            text += _l(lang, f" 标签分散度与 GPM 正相关（ρ = {rho:.2f}），此处没有看到标签混乱的代价。",
                       f" Dispersion and GPM rise together here (ρ = {rho:.2f}): no cost of muddled labels is visible.")
        else:
            text += _l(lang, f" 标签分散度与 GPM 关系不明显（ρ = {rho:.2f}）。",
                       f" Dispersion and GPM are barely related (ρ = {rho:.2f}).")
    return text


def describe_capabilities(caps: pd.DataFrame, rec: pd.DataFrame, metrics: pd.DataFrame, lang: str) -> str:
    """Strongest and weakest capability with the metrics behind them, and the lever."""
    from .capabilities import CAPABILITIES

    if rec.empty:
        return not_available("no_scores", lang)
    top = rec.iloc[0]
    cap = str(top["capability"])
    name = _l(lang, *CAPABILITIES[cap])
    used = metrics[(metrics["capability"] == cap) & metrics["score"].notna()]
    basis = {"peer": ("对照同行", "vs peers"), "own history": ("对照自身历史", "vs own history")}
    behind = [f"{_name(METRIC_NAMES, r.metric, lang)} {r.score:.0f}"
              + (f"（{_name(basis, r.basis, lang)}）" if lang == "zh" else f" ({_name(basis, r.basis, lang)})")
              for r in used.itertuples()]
    text = _l(lang, f"最强的是{name}（{top['score']:.0f} 分；" + "、".join(behind) + "）。",
              f"The strongest capability is {name} ({top['score']:.0f}/100; " + ", ".join(behind) + ").")
    text += _l(lang, f" 建议发力：{top['lever_zh']}。{top['reason_zh']}",
               f" Lever to push: {top['lever_en']}. {top['reason_en']}")
    if len(rec) >= 2:
        low = rec.iloc[-1]
        text += _l(lang, f" 最弱的是{CAPABILITIES[str(low['capability'])][0]}（{low['score']:.0f} 分），需要补短板。",
                   f" The weakest is {CAPABILITIES[str(low['capability'])][1]} ({low['score']:.0f}/100): shore it up.")
    missing = caps[caps["score"].isna()].index.tolist()
    if missing:
        names = [_l(lang, *CAPABILITIES[m]) for m in missing]
        text += _l(lang, f" {'、'.join(names)}缺少数据，未评分。", f" {', '.join(names)}: no data, not scored.")
    text += _l(lang, " 无论哪个方向，商家自播 (F) 都是沉淀人群资产的基础。",
               " Whatever the direction, self-broadcast (F) remains the base that builds crowd assets.")
    return text
