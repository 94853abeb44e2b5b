"""Keep what a kernel printed to stderr off the report page.

A warning printed by a library (or by our own code) shows in nbconvert's HTML as a pink
block that a reader forwards to the boss. The runner takes every ``stderr`` stream
output out of the executed notebook before it is converted, and keeps the text in the
run's manifest (``warnings``) and the command's log instead. Errors are not streams:
a failing cell's traceback still shows, as it must.
"""

from __future__ import annotations

from typing import Any

from nbformat import NotebookNode

__all__ = ["MAX_KEPT", "take_stderr"]

#: at most this many characters of one cell's stderr are kept in the manifest
MAX_KEPT = 2000


def take_stderr(nb: NotebookNode) -> list[dict[str, Any]]:
    """Remove every stderr stream output from ``nb`` (in place) and return what it said.

    Parameters
    ----------
    nb : NotebookNode
        An executed notebook.

    Returns
    -------
    list of dict
        One entry per code cell that wrote to stderr, in cell order:
        ``{"cell": index, "text": first MAX_KEPT characters, "chars": full length}``.

    Examples
    --------
    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell("1", outputs=[
    ...     nbformat.v4.new_output("stream", name="stderr", text="UserWarning: x\\n"),
    ...     nbformat.v4.new_output("stream", name="stdout", text="ok\\n")])
    >>> nb = nbformat.v4.new_notebook(cells=[cell])
    >>> take_stderr(nb)
    [{'cell': 0, 'text': 'UserWarning: x', 'chars': 15}]
    >>> [o["name"] for o in nb.cells[0].outputs]
    ['stdout']
    """
    taken: list[dict[str, Any]] = []
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        kept, text = [], []
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                text.append(out.get("text", ""))
            else:
                kept.append(out)
        if text:
            cell["outputs"] = kept
            joined = "".join(text)
            taken.append({"cell": index, "text": joined[:MAX_KEPT].rstrip(), "chars": len(joined)})
    return taken
