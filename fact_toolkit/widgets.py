"""An ipywidgets panel over the what-if engine (:mod:`fact_toolkit.whatif`).

Thin front: every number comes from :func:`fact_toolkit.whatif.run_scenario`; this module
only turns widget values into :class:`~fact_toolkit.whatif.Levers` and shows the result.

Examples
--------
>>> import fact_toolkit as ft                                   # doctest: +SKIP
>>> from fact_toolkit import whatif
>>> from fact_toolkit.widgets import WhatIfPanel
>>> panel = WhatIfPanel(whatif.baseline(ft.load("data/sample")))  # doctest: +SKIP
>>> panel                                                       # doctest: +SKIP
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import ipywidgets as W
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .errors import FactInputError
from .export import write_csv, write_xlsx
from .plotting.whatif import plot_whatif_channels, plot_whatif_path
from .whatif import (LEVER_LABELS, LEVER_RANGES, OUTPUT_METRICS, PRESET_LABELS, PRESETS, Assumptions, Levers,
                     Scenario, run_scenario)

__all__ = ["WhatIfPanel", "default_export_dir"]


def default_export_dir() -> Path:
    """``reports/whatif`` in the project checkout when there is one, else ``./whatif_exports``."""
    root = Path(__file__).resolve().parents[1]
    if (root / "pyproject.toml").exists() and (root / "reports").is_dir():
        return root / "reports" / "whatif"
    return Path.cwd() / "whatif_exports"

_TEXT = {
    "channel": ("渠道", "Channel"),
    "all": ("全部渠道", "All channels"),
    "metric": ("指标", "Metric"),
    "horizon": ("预测周数", "Horizon (weeks)"),
    "elasticity": ("滚雪球弹性", "Snowball elasticity"),
    "campaign": ("大促参与", "Campaign days"),
    "as_baseline": ("同基线", "As baseline"),
    "reset": ("重置", "Reset"),
    "presets": ("预设", "Presets"),
    "plan_action": ("行动计划", "Plan action"),
    "choose_action": ("（选择一项行动）", "(choose an action)"),
    "export_csv": ("导出 CSV", "Export CSV"),
    "export_xlsx": ("导出 xlsx", "Export xlsx"),
    "saved": ("已导出", "Saved"),
    "error": ("无法计算", "Cannot compute"),
    "unexpected": ("意外错误(请报告)", "Unexpected error (please report)"),
    "unavailable": ("无基线数据的渠道", "Channels without baseline data"),
    "weeks": ("周", "weeks"),
    "baseline": ("基线", "Baseline"),
    "scenario": ("情景", "Scenario"),
    "change": ("变化", "Change"),
    "model": ("模型估计", "model estimate"),
    "levers_for": ("调整的渠道", "Levers apply to"),
}
_STEPS = {"campaign_share": 0.05}
_TABLE_METRICS = ("exposure", "views", "buyers", "paid_amount", "gmv", "net_gmv", "gpm", "ad_spend", "roi",
                  "commission")


def _t(key: str, lang: str) -> str:
    zh, en = _TEXT[key]
    return zh if lang == "zh" else en


def _fmt(x: float, metric: str, lang: str = "zh") -> str:
    """A panel number through the one table formatter (:func:`fact_toolkit.formatting.format_value`)."""
    from .formatting import column_unit, format_value

    return format_value(x, "ratio" if metric == "roi" else column_unit(metric), lang)


class WhatIfPanel:
    """Sliders and dropdowns over a what-if baseline, with a chart and a table updated in place.

    Parameters
    ----------
    base : DataFrame
        Output of :func:`fact_toolkit.whatif.baseline`.
    horizon_weeks : int
        Initial horizon.
    elasticity : float or DataFrame or dict
        One elasticity (a slider), or per channel (e.g. from
        :func:`fact_toolkit.whatif.resolve_elasticity` with the model; shown, not a slider).
    assumptions : Assumptions, optional
        Response curves (see :class:`fact_toolkit.whatif.Assumptions`).
    channel : str
        ``"all"`` or one channel: whose levers the sliders move and whose path the chart shows.
    lang : {"zh", "en"}
    metric : str
        Metric shown in the chart.
    export_dir : str or Path, optional
        Where the export buttons write (:func:`default_export_dir` when None).

    Attributes
    ----------
    widget : ipywidgets.VBox
        The whole panel (displaying the panel displays this).
    sliders : dict of str to ipywidgets widget
        One per lever (``campaign_share`` is a dropdown), plus ``horizon`` and ``elasticity``.
    scenario : Scenario or None
        The last scenario computed successfully.
    figure : matplotlib.figure.Figure
        The last chart drawn.
    chart : ipywidgets.Output
        Holds the chart (a PNG display output, replaced in place).
    table : ipywidgets.HTML
        The scenario table.
    kpi : ipywidgets.HTML
        The headline: total GMV over the horizon, scenario vs baseline (CSS class ``ft-whatif-gmv``).
    status : ipywidgets.HTML
        Errors and export messages (CSS class ``ft-whatif-status``).
    """

    @classmethod
    def from_inputs(cls, inputs: Any, **kw: Any) -> WhatIfPanel:
        """The panel of notebook 03 from :func:`fact_toolkit.whatif.prepare`'s output.

        The user's elasticity becomes a slider; the model's table is shown instead.
        """
        p = inputs.params
        return cls(inputs.base, horizon_weeks=int(p["horizon_weeks"]), elasticity=inputs.panel_elasticity,
                   assumptions=inputs.assumptions, channel=p["channel"], lang=p["lang"], **kw)

    def __init__(self, base: pd.DataFrame, *, horizon_weeks: int = 12,
                 elasticity: float | Mapping[str, float] | pd.DataFrame = 0.3,
                 assumptions: Assumptions | None = None, channel: str = "all", lang: str = "zh",
                 metric: str = "gmv", export_dir: str | Path | None = None,
                 actions: Mapping[str, tuple[str, Mapping[str, Levers]]] | None = None) -> None:
        if lang not in ("zh", "en"):
            raise FactInputError("lang", f"{lang!r} is not a language", fix='use "zh" or "en"')
        self.base = base
        self.lang = lang
        self.assumptions = assumptions or Assumptions()
        self.export_dir = Path(export_dir) if export_dir is not None else default_export_dir()
        self.scenario: Scenario | None = None
        self.figure: Figure | None = None
        self.renders = 0
        self._mute = False
        avail = [str(c) for c in base.index[base["available"].astype(bool)]]
        self.channels = avail
        if channel != "all" and channel not in avail:
            raise FactInputError("channel", f"{channel!r} has no baseline data"
                                 + (f" ({base.loc[channel, 'reason']})" if channel in base.index else ""),
                                 fix=f"use all or one of {', '.join(avail) or '(none available)'}")
        self.levers: dict[str, Levers] = {ch: Levers() for ch in avail}
        self._fixed_elasticity = None if isinstance(elasticity, (int, float)) else elasticity
        L = lang
        i = 0 if lang == "zh" else 1
        style = {"description_width": "150px"}
        layout = W.Layout(width="420px")

        self.channel = W.Dropdown(options=[(_t("all", L), "all"), *[(c, c) for c in avail]], value=channel,
                                  description=_t("levers_for", L), style=style, layout=layout)
        self.metric = W.Dropdown(options=[(OUTPUT_METRICS[m][i], m) for m in OUTPUT_METRICS], value=metric,
                                 description=_t("metric", L), style=style, layout=layout)
        self.sliders: dict[str, W.Widget] = {}
        for name, (lo, hi) in LEVER_RANGES.items():
            if name == "campaign_share":
                opts = [(_t("as_baseline", L), None)] + [(f"{p}%", p / 100) for p in (0, 10, 25, 50, 75, 100)]
                self.sliders[name] = W.Dropdown(options=opts, value=None, description=LEVER_LABELS[name][i],
                                                style=style, layout=layout)
            else:
                self.sliders[name] = W.FloatSlider(value=1.0, min=lo, max=hi, step=_STEPS.get(name, 0.01),
                                                   readout_format=".2f", continuous_update=False,
                                                   description=LEVER_LABELS[name][i], style=style, layout=layout)
        self.sliders["horizon"] = W.IntSlider(value=horizon_weeks, min=1, max=52, step=1, continuous_update=False,
                                              description=_t("horizon", L), style=style, layout=layout)
        if self._fixed_elasticity is None:
            self.sliders["elasticity"] = W.FloatSlider(value=float(elasticity), min=0.0, max=2.0, step=0.05,
                                                       readout_format=".2f", continuous_update=False,
                                                       description=_t("elasticity", L), style=style,
                                                       layout=layout)
        self.preset_buttons = {name: W.Button(description=PRESET_LABELS[name][i], layout=W.Layout(width="auto"))
                               for name in PRESETS}
        self.actions = {k: (str(label), dict(lv)) for k, (label, lv) in (actions or {}).items()}
        self.action = W.Dropdown(options=[(_t("choose_action", L), "")] + [(lab, k) for k, (lab, _) in
                                                                          self.actions.items()],
                                 value="", description=_t("plan_action", L), style=style,
                                 layout=W.Layout(width="640px"))
        self.action.observe(lambda ch: self.apply_action(ch["new"]) if ch["new"] else None, names="value")
        self.reset_button = W.Button(description=_t("reset", L), icon="undo", layout=W.Layout(width="auto"))
        self.csv_button = W.Button(description=_t("export_csv", L), icon="download", layout=W.Layout(width="auto"))
        self.xlsx_button = W.Button(description=_t("export_xlsx", L), icon="download",
                                    layout=W.Layout(width="auto"))
        self.chart = W.Output(layout=W.Layout(min_height="300px"))
        self.table = W.HTML()
        self.kpi = W.HTML()
        self.kpi.add_class("ft-whatif-gmv")
        self.status = W.HTML()
        self.status.add_class("ft-whatif-status")

        # wiring
        for name, w in self.sliders.items():
            w.observe(self._on_lever if name in LEVER_RANGES else self._on_setting, names="value")
        self.channel.observe(self._on_channel, names="value")
        self.metric.observe(self._on_setting, names="value")
        for name, b in self.preset_buttons.items():
            b.on_click(lambda _b, n=name: self.apply_preset(n))
        self.reset_button.on_click(lambda _b: self.reset())
        self.csv_button.on_click(lambda _b: self.export("csv"))
        self.xlsx_button.on_click(lambda _b: self.export("xlsx"))

        notes = []
        missing = base.loc[~base["available"].astype(bool)]
        if len(missing):
            items = "; ".join(f"{html.escape(str(c))}: {html.escape(str(r))}" for c, r in missing["reason"].items())
            notes.append(f"<b>{_t('unavailable', L)}</b> — {items}")
        if self._fixed_elasticity is not None:
            el = self._elasticity_values()
            notes.append(f"<b>{_t('elasticity', L)}</b> ({_t('model', L)}): "
                         + ", ".join(f"{html.escape(c)} {v:.2f}" for c, v in el.items() if c in avail))
        self.notes = W.HTML("<br>".join(notes))
        lever_box = W.VBox([self.sliders[n] for n in LEVER_RANGES])
        setting_box = W.VBox([self.channel, self.metric, self.sliders["horizon"],
                              *([self.sliders["elasticity"]] if "elasticity" in self.sliders else [])])
        buttons = W.HBox([W.HTML(f"<b>{_t('presets', L)}</b>&nbsp;"), *self.preset_buttons.values(),
                          self.reset_button, self.csv_button, self.xlsx_button],
                         layout=W.Layout(flex_flow="row wrap", align_items="center"))
        left = W.VBox([setting_box, lever_box], layout=W.Layout(min_width="440px", flex="0 0 440px"))
        self.widget = W.VBox([W.HBox([left, W.VBox([self.kpi, self.chart])]),
                              buttons, *([self.action] if self.actions else []), self.status, self.table,
                              self.notes])
        self.widget.add_class("ft-whatif-panel")
        self.refresh()

    # ------------------------------------------------------------------ display
    def _repr_mimebundle_(self, **kwargs: Any) -> dict | None:
        return self.widget._repr_mimebundle_(**kwargs)

    # ------------------------------------------------------------------ state
    def _elasticity_values(self) -> dict[str, float]:
        if self._fixed_elasticity is None:
            return {c: float(self.sliders["elasticity"].value) for c in self.base.index}
        e = self._fixed_elasticity
        if isinstance(e, pd.DataFrame):
            e = e["elasticity"]
        return {str(k): float(v) for k, v in dict(e).items()}

    def _targets(self) -> list[str]:
        return self.channels if self.channel.value == "all" else [self.channel.value]

    def _load_sliders(self) -> None:
        """Show the levers of the selected channel (the first channel's for "all")."""
        if not self.channels:
            return
        lv = self.levers[self._targets()[0]]
        self._mute = True
        try:
            for name in LEVER_RANGES:
                self.sliders[name].value = getattr(lv, name)
        finally:
            self._mute = False

    def _on_lever(self, change: dict) -> None:
        if self._mute:
            return
        name = next(n for n, w in self.sliders.items() if w is change["owner"])
        for ch in self._targets():
            self.levers[ch] = replace(self.levers[ch], **{name: change["new"]})
        self.refresh()

    def _on_setting(self, change: dict) -> None:
        if not self._mute:
            self.refresh()

    def _on_channel(self, change: dict) -> None:
        self._load_sliders()
        self.refresh()

    def apply_preset(self, name: str) -> None:
        """Replace the levers by a preset (see :data:`fact_toolkit.whatif.PRESETS`)."""
        self.apply_levers(PRESETS[name])

    def apply_levers(self, spec: Mapping[str, Levers]) -> None:
        """Replace the levers by ``{channel or "all": Levers}`` (channels not named: baseline)."""
        default = spec.get("all", Levers())
        self.levers = {ch: spec.get(ch, default) for ch in self.channels}
        named = [ch for ch in spec if ch in self.channels]
        if len(named) == 1 and self.channel.value != named[0]:
            self.channel.value = named[0]  # show that channel's sliders (_on_channel loads them and refreshes)
            return
        self._load_sliders()
        self.refresh()

    def apply_action(self, action_id: str) -> None:
        """Load one action of the plan into the sliders (see :meth:`fact_toolkit.plan.Plan.presets`)."""
        if action_id not in self.actions:
            raise FactInputError("action", f"unknown action {action_id!r}",
                                 fix=f"use one of {', '.join(self.actions) or '(no plan given)'}")
        self.apply_levers(self.actions[action_id][1])

    def reset(self) -> None:
        """Every lever back to the baseline."""
        self.levers = {ch: Levers() for ch in self.channels}
        self._load_sliders()
        self.refresh()

    # ------------------------------------------------------------------ compute and show
    def refresh(self) -> None:
        """Recompute the scenario and redraw chart, table and headline; errors go to ``status``."""
        try:
            sc = run_scenario(self.base, self.levers, horizon_weeks=int(self.sliders["horizon"].value),
                              elasticity=self._elasticity_values(), assumptions=self.assumptions)
        except FactInputError as exc:
            self._show_error(_t("error", self.lang), str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - shown inside the panel, not lost in a log
            self._show_error(_t("unexpected", self.lang), f"{type(exc).__name__}: {exc}")
            return
        self.scenario = sc
        self.status.value = ""
        try:
            self._draw(sc)
        except Exception as exc:  # noqa: BLE001
            self._show_error(_t("unexpected", self.lang), f"{type(exc).__name__}: {exc}")

    def _show_error(self, title: str, text: str) -> None:
        self.status.value = (f"<div style='color:#c92a2a;border:1px solid #c92a2a;padding:4px 8px'>"
                             f"<b>{html.escape(title)}</b>: {html.escape(text)}</div>")

    def _draw(self, sc: Scenario) -> None:
        L = self.lang
        ch = None if self.channel.value == "all" else self.channel.value
        metric = self.metric.value
        fig = Figure(figsize=(9.5, 3.6))  # fixed margins: constrained layout doubles the redraw time
        ax1, ax2 = fig.subplots(1, 2, width_ratios=[3, 2])
        fig.subplots_adjust(left=0.09, right=0.98, bottom=0.14, top=0.9, wspace=0.28)
        plot_whatif_path(sc, metric, channel=ch, lang=L, ax=ax1)
        plot_whatif_channels(sc, metric, lang=L, ax=ax2)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=90)
        self.figure = fig
        png = base64.b64encode(buf.getvalue()).decode("ascii")
        self.chart.outputs = ({"output_type": "display_data",
                               "data": {"image/png": png, "text/plain": f"<what-if chart: {metric}>"},
                               "metadata": {}},)
        self.table.value = self._table_html(sc, ch)
        where = ch or "total"
        b, s = sc.total("gmv", "baseline") if ch is None else sc.summary.loc[(ch, "gmv"), "baseline"], \
            sc.total("gmv") if ch is None else sc.summary.loc[(ch, "gmv"), "scenario"]
        pct = (s / b - 1) * 100 if b and math.isfinite(b) else float("nan")
        cur = str(sc.baseline["currency"].iloc[0] or "")
        label = OUTPUT_METRICS["gmv"][0 if L == "zh" else 1]
        scope = (_t("all", L) if ch is None else ch)
        color = "#2b8a3e" if pct > 0 else "#c92a2a" if pct < 0 else "#495057"
        self.kpi.value = (f"<div style='font-size:1.15em'>{label} · {html.escape(scope)} · "
                          f"{sc.horizon_weeks} {_t('weeks', L)}: "
                          f"<b class='ft-whatif-gmv-value' data-value='{s:.2f}' data-where='{html.escape(where)}'>"
                          f"{html.escape(cur)} {_fmt(s, 'gmv', L)}</b> "
                          f"<span style='color:{color}'>({pct:+.1f}%)</span> · {_t('baseline', L)} {_fmt(b, 'gmv', L)}"
                          "</div>")
        self.renders += 1

    def table_frame(self, channel: str | None = None) -> pd.DataFrame:
        """The scenario table shown in the panel (and exported), for one channel or all."""
        if self.scenario is None:
            raise FactInputError("what-if panel", "no scenario computed yet", fix="fix the error shown in the panel")
        s = self.scenario.summary.reset_index()
        if channel is not None:
            s = s.loc[s["channel"] == channel]
        i = 0 if self.lang == "zh" else 1
        s = s.assign(metric_label=s["metric"].map(lambda m: OUTPUT_METRICS[m][i]))
        return s[["channel", "metric", "metric_label", "baseline", "scenario", "change_pct", "note"]]

    def _table_html(self, sc: Scenario, ch: str | None) -> str:
        from .formatting import change_colour, format_value

        L = self.lang
        i = 0 if L == "zh" else 1
        chans = [ch] if ch else [*self.channels, "total"]
        head = "".join(f"<th colspan='3' style='text-align:center'>{html.escape(c)}</th>" for c in chans)
        sub = "".join(f"<th>{_t('baseline', L)}</th><th>{_t('scenario', L)}</th><th>{_t('change', L)}</th>"
                      for _ in chans)
        body = []
        for m in _TABLE_METRICS:
            cells = []
            for c in chans:
                r = sc.summary.loc[(c, m)]
                pct = r["change_pct"]
                colour = change_colour(pct)
                cells.append(f"<td>{_fmt(r['baseline'], m, L)}</td><td>{_fmt(r['scenario'], m, L)}</td>"
                             f"<td style='{colour}'>{format_value(pct, 'change_pct', L)}</td>")
            body.append(f"<tr><th style='text-align:left'>{html.escape(OUTPUT_METRICS[m][i])}</th>{''.join(cells)}</tr>")
        return ("<table class='ft-whatif-table' style='border-collapse:collapse;font-size:0.9em;text-align:right'>"
                f"<thead><tr><th></th>{head}</tr><tr><th></th>{sub}</tr></thead><tbody>{''.join(body)}</tbody></table>")

    def export(self, kind: str = "csv", target: str | Path | None = None) -> Path | None:
        """Write the scenario table to CSV or xlsx (formula-like text neutralised); message in ``status``."""
        try:
            frame = self.table_frame()
            frame = frame.assign(levers=frame["channel"].map(
                lambda c: "; ".join(f"{k}={v}" for k, v in self.levers[c].changed().items())
                if c in self.levers else ""))
            if target is None:
                stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
                target = self.export_dir / f"whatif_scenario_{stamp}.{kind}"
            if kind == "csv":
                path = write_csv(frame, target)
            elif kind == "xlsx":
                path = write_xlsx(frame, target)
            else:
                raise FactInputError("export", f"{kind!r} is not a format", fix="use csv or xlsx")
        except FactInputError as exc:
            self._show_error(_t("error", self.lang), str(exc))
            return None
        except OSError as exc:
            self._show_error(_t("error", self.lang), f"{target}: {exc.strerror or exc}")
            return None
        self.status.value = f"<div style='color:#2b8a3e'>{_t('saved', self.lang)}: {html.escape(str(path))}</div>"
        return path
