"""Exceptions raised by fact_toolkit.

Every problem with an input file is a :class:`FactInputError` whose ``str()`` is one
line that names the file, where in it the problem is, what is wrong and how to fix it.
"""

from __future__ import annotations

from os import PathLike

__all__ = ["FactError", "FactInputError", "display_path"]


def _one_line(text: object) -> str:
    """Return ``str(text)`` with every line break replaced by a space."""
    return " ".join(str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n"))


class FactError(Exception):
    """Base class."""


class FactInputError(FactError):
    """An input file cannot be used.

    ``str(err)`` is ONE line: ``'<file>[: row R][, column C]: <problem>. <fix>'``.

    Parameters
    ----------
    file : str or os.PathLike
        The file (or other input, e.g. a command-line option) that cannot be used.
    problem : str
        What is wrong, without a final full stop.
    fix : str, optional
        What the user should do about it.
    row : int, optional
        1-based row number as seen in Excel.
    column : str, optional
        Column (header) name.

    Attributes
    ----------
    file, problem, fix, row, column
        The constructor arguments, unchanged.
    """

    def __init__(self, file: str | PathLike[str], problem: str, *, fix: str = "",
                 row: int | None = None, column: str | None = None) -> None:
        self.file = file
        self.problem = problem
        self.fix = fix
        self.row = row
        self.column = column
        where = _one_line(display_path(file if not isinstance(file, PathLike) else file.__fspath__()))
        if row is not None:
            where += f": row {row}"
        if column is not None:
            where += f", column {_one_line(column)}"
        message = f"{where}: {_one_line(problem).rstrip().rstrip('.')}."
        if fix:
            message += f" {_one_line(fix).strip()}"
        super().__init__(message)

    def __reduce__(self) -> tuple:
        """Support pickling (keyword-only arguments are not in ``self.args``)."""
        return (_rebuild, (self.file, self.problem, self.fix, self.row, self.column))


def display_path(path: object) -> str:
    """A path as text that any terminal, table or JSON can hold.

    A file name that is not valid UTF-8 (a GBK name on a UTF-8 system) shows its odd
    bytes as ``\\xNN`` escapes instead of making the string unencodable.
    """
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text


def _rebuild(file, problem, fix, row, column) -> FactInputError:  # pragma: no cover - trivial
    return FactInputError(file, problem, fix=fix, row=row, column=column)
