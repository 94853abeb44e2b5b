"""Execute a notebook with papermill and turn it into self-contained HTML without code.

papermill runs the notebook in the pinned kernel with the working directory set;
a header cell (status, what changed, alerts) is put at the top of the executed
notebook; nbconvert's :class:`~nbconvert.HTMLExporter` writes HTML with every code
input and prompt left out and plots inlined as data URIs. Every file is written
atomically.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from .._atomic import atomic_write_bytes, atomic_write_text
from .changes import changes_table_html

__all__ = ["HEADER_TAG", "execute", "header_markdown", "insert_header", "notebook_to_html", "warm_up",
           "write_notebook", "write_html"]

#: tag of the header cell the runner inserts (replaced, never duplicated, on re-render)
HEADER_TAG = "fact-toolkit-header"
#: the kernel's own start-up warnings are noise in a cron mail; cell errors still show
_KERNEL_ARGS = ["--IPKernelApp.log_level=ERROR"]


def execute(notebook: Path, output: Path, parameters: Mapping[str, Any], *, kernel: str, cwd: Path,
            cell_timeout: float | None = None, preload: str | None = None) -> tuple[NotebookNode, dict | None]:
    """Run ``notebook`` with papermill; return the executed notebook and the error (None on success).

    ``preload`` is the address of a :class:`fact_toolkit.reports.preload.PreloadServer`:
    the kernel is then forked from it instead of started from scratch.

    The executed notebook is written to ``output`` by papermill (on failure with its
    error banner) and read back. When execution stops before papermill could write it
    (kernel died, timeout) the input notebook is returned with an error cell.

    Returns
    -------
    (NotebookNode, dict or None)
        The error is ``{"ename", "evalue", "cell_index", "exec_count"}``.
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    error: dict | None = None
    extra: dict[str, Any] = {}
    if preload:
        from .preload import kernel_manager_class

        extra["kernel_manager_class"] = kernel_manager_class(preload)
    try:
        pm.execute_notebook(str(notebook), str(output), parameters=dict(parameters), kernel_name=kernel,
                            cwd=str(cwd), progress_bar=False, log_output=False,
                            request_save_on_cell_execute=False, execution_timeout=cell_timeout,
                            extra_arguments=_KERNEL_ARGS, **extra)
    except PapermillExecutionError as err:
        error = {"ename": err.ename, "evalue": err.evalue, "cell_index": err.cell_index,
                 "exec_count": err.exec_count}
    except Exception as err:  # noqa: BLE001 - kernel death, timeout, bad notebook: a failed run
        error = {"ename": type(err).__name__, "evalue": str(err), "cell_index": None, "exec_count": None}
    if output.is_file():
        nb = nbformat.read(output, as_version=4)
    else:
        nb = nbformat.read(notebook, as_version=4)
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(
            f"**The notebook did not run / 未能运行:** `{error['ename'] if error else ''}: "
            f"{html.escape(str(error['evalue'] if error else ''))}`"))
    return nb, error


def _alerts_html(alerts: Sequence[Mapping[str, Any]], lang: str = "zh") -> str:
    from .summary import text

    if not alerts:
        return f"<p>{text('no_alert', lang)}</p>"
    items = "".join(f"<li>{html.escape(a.get('message_zh') or a['message'] if lang == 'zh' else a['message'])}</li>"
                    for a in alerts)
    return f"<div class='ft-alerts'><b>⚠ {text('n_alerts', lang, n=len(alerts))}</b><ul>{items}</ul></div>"


def header_markdown(*, name: str, title: str, date: str, status: str, error: Mapping[str, Any] | None,
                    changes: Sequence[Mapping[str, Any]], previous: Mapping[str, Any] | None,
                    alerts: Sequence[Mapping[str, Any]], identical: Mapping[str, Any] | None,
                    kpi_error: str | None = None, data_range: tuple[str | None, str | None] = (None, None),
                    windows: Mapping[str, Any] | None = None, lang: str = "zh",
                    kpis: Mapping[str, Any] | None = None, findings: Sequence[Mapping[str, Any]] = ()) -> str:
    """The first cell of a rendered report, in the page's language ``lang``: title, status,
    the executive summary (KPI tiles of the last 7 days and the findings with the most GMV
    at stake, :func:`fact_toolkit.reports.summary.summary_html`), what changed, alerts.

    ``windows`` (:func:`fact_toolkit.reports.changes.change_windows`) names the dates
    compared: the last 7 days of this run's data vs those of the previous run's.
    """
    from .summary import summary_html, text

    parts = [f"# {html.escape(title or name)} · {date}"]
    if status != "success":
        e = error or {}
        parts.append(
            f"<div class='ft-failed'><b>{text('failed', lang)}</b> — {html.escape(str(e.get('ename', '')))}: "
            f"{html.escape(str(e.get('evalue', '')))}<br>{text('failed_note', lang)}</div>")
    if data_range[0]:
        parts.append(f"<p class='ft-muted'>{text('data', lang)}: {data_range[0]} → {data_range[1]}</p>")
    parts.append(summary_html(kpis, findings, lang))
    if identical:
        parts.append(f"<p>ℹ {text('identical', lang, date=html.escape(str(identical.get('date'))))}</p>")
    parts.append(f"## {text('changed', lang)}")
    if kpi_error:
        parts.append(f"<p>{text('kpi_na', lang, why=html.escape(kpi_error))}</p>")
    else:
        prev_label = str(previous.get("date")) if previous else None
        lead = (f"<p>{text('compared', lang, date=html.escape(prev_label))}</p>" if prev_label
                else f"<p>{text('first_run', lang)}</p>")
        parts.append(lead + changes_table_html(changes, prev_label, windows, lang=lang))
    parts.append(f"## {text('alerts', lang)}")
    parts.append(_alerts_html(alerts, lang))
    return "\n\n".join(parts)


def insert_header(nb: NotebookNode, markdown: str) -> NotebookNode:
    """Put a markdown cell tagged :data:`HEADER_TAG` first (replacing an earlier one)."""
    nb.cells = [c for c in nb.cells if HEADER_TAG not in c.get("metadata", {}).get("tags", [])]
    cell = nbformat.v4.new_markdown_cell(markdown)
    cell.metadata["tags"] = [HEADER_TAG]
    nb.cells.insert(0, cell)
    return nb


@lru_cache(maxsize=1)
def _exporter() -> Any:
    """One HTML exporter per process: its templates are loaded and compiled once."""
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                        exclude_output_prompt=True, embed_images=True)


def notebook_to_html(nb: NotebookNode, title: str, lang: str = "zh") -> str:
    """Self-contained HTML without code inputs or prompts; images stay inline; the page's
    stylesheet (:data:`fact_toolkit.reports.summary.PAGE_CSS`) and language set."""
    from .summary import style_page

    body, _ = _exporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    return style_page(body, lang)


def warm_up() -> None:
    """Import nbconvert and compile the page template now (a tiny notebook through
    :func:`notebook_to_html`): processes forked afterwards start with it ready."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("warm-up")])
    nb.cells.append(nbformat.v4.new_code_cell("1", outputs=[nbformat.v4.new_output(
        "execute_result", data={"text/plain": "1"}, execution_count=1)]))
    notebook_to_html(nb, "warm-up")


def write_notebook(nb: NotebookNode, target: Path) -> Path:
    """Write a notebook atomically."""
    return atomic_write_text(target, nbformat.writes(nb))


def write_html(text: str, target: Path) -> Path:
    """Write HTML atomically."""
    return atomic_write_bytes(target, text.encode("utf-8"))
