"""``fact_toolkit.load``: choose the engine for the inputs, and run it.

The pandas engine (:func:`fact_toolkit.loader.load`) gives every row-level table; the DuckDB
engine (:func:`~fact_toolkit.engines.duckdb_engine.load_duckdb`) gives the daily panel and
the accounts of inputs too large for memory, with the same load report. Both sit below this
module, so neither imports the other's caller.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pyarrow as pa

from ..dataset import Dataset
from ..errors import FactInputError
from ..io.files import expand_paths
from ..loader import load as load_pandas

__all__ = ["load", "ENGINES", "choose_engine", "AUTO_DUCKDB_ROWS"]

#: the engines :func:`load` runs
ENGINES: tuple[str, ...] = ("pandas", "duckdb", "auto")
#: inputs of more rows than this (estimated) go to the DuckDB engine when engine="auto"
#: (docs/benchmarks.md, "Realistic shapes": below it pandas was as fast or faster on every
#: shape measured; above it pandas' memory grows ~1.5 GB per million rows)
AUTO_DUCKDB_ROWS = 2_000_000
#: bytes per row assumed for workbooks and HTML tables when estimating their rows
_BYTES_PER_CELL_ROW = 40


def _estimated_rows(path: Path) -> int:
    """Rows of an input, cheaply: Parquet's footer; text files from the first 64 KiB's lines."""
    size = path.stat().st_size
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        try:
            import pyarrow.parquet as pq

            return int(pq.read_metadata(path).num_rows)
        except (pa.ArrowException, OSError):
            return 0
    if suffix in (".csv", ".txt", ".tsv"):
        with open(path, "rb") as f:
            head = f.read(1 << 16)
        lines = head.count(b"\n") or head.count(b"\r")
        return max(int(size * lines / len(head)) - 1, 0) if head and lines else 0  # less the header
    return size // _BYTES_PER_CELL_ROW


def choose_engine(paths: Iterable[str | os.PathLike[str]], engine: str = "auto",
                  threshold: int | None = None) -> tuple[str, str]:
    """The engine :func:`load` runs for ``engine``, and why (written in the load report).

    Parameters
    ----------
    paths : iterable of path-like
        As for :func:`load`.
    engine : {"auto", "pandas", "duckdb"}
        ``"auto"``: DuckDB when the inputs hold more than ``threshold`` rows (estimated:
        Parquet footers, the line length of a text file's first 64 KiB), else pandas.
    threshold : int, optional
        Default :data:`AUTO_DUCKDB_ROWS`.

    Returns
    -------
    (str, str)
        ``"pandas"`` or ``"duckdb"``, and the reason in one sentence.

    Raises
    ------
    FactInputError
        An unknown engine, or a path that names nothing.
    """
    if engine not in ENGINES:
        raise FactInputError("engine", f"unknown engine {engine!r}", fix="use pandas, duckdb or auto")
    if engine != "auto":
        return engine, f"engine={engine!r} was asked for"
    limit = AUTO_DUCKDB_ROWS if threshold is None else threshold
    rows = sum(_estimated_rows(p) for p in expand_paths(paths))
    if rows > limit:
        return "duckdb", (f"engine='auto': the inputs hold about {rows:,} rows, more than {limit:,}, so DuckDB "
                          "aggregated them (the daily panel and accounts; no row-level tables)")
    return "pandas", f"engine='auto': the inputs hold about {rows:,} rows, at most {limit:,}, so pandas loaded them"


def load(*paths: str | os.PathLike[str], kind: str | None = None, locale: str | None = None,
         tz: str | None = None, currency: str | None = None,
         top_kols: Iterable[str] | None = None, top_kol_min_followers: int = 5_000_000,
         own_accounts: Iterable[str] | None = None,
         campaigns: pd.DataFrame | str | os.PathLike[str] | bool | None = None,
         cache: bool = True, engine: str = "auto") -> Dataset:
    """Load exports (files, folders, globs) into validated canonical tables.

    Parameters
    ----------
    *paths : path-like
        Files, folders (searched recursively for supported files) and glob patterns.
    kind : str, optional
        Force the kind of every file (a key of ``fact_toolkit.schema.FILE_KINDS``);
        by default each file's kind is recognised from its headers.
    locale : str, optional
        ``"id"`` or ``"vi"``: dots are thousands separators in numbers.
    tz : str, optional
        Time zone of the exports' timestamps. Default: Asia/Shanghai, except TikTok
        Seller Center downloads, whose times are the shop's local time: their zone is
        inferred from the currency (Rp → Asia/Jakarta, ₫ → Asia/Ho_Chi_Minh …) and the
        load report says which zone was assumed.
    currency : str, optional
        Currency of money columns; by default read from currency symbols, else CNY.
    top_kols : iterable of str, optional
        Account IDs or nicknames that are top KOLs (T).
    top_kol_min_followers : int
        Followers at or above which an affiliate is a top KOL (default 500万).
    own_accounts : iterable of str, optional
        The brand's own accounts (F) when exports lack a 账号类型 column.
    campaigns : DataFrame, path, bool, optional
        Campaign calendar for the C overlay: a ``campaigns`` table, a file, ``False``
        for none; default: a loaded campaigns file, else the shipped calendar. A path
        may be a CSV/xlsx calendar or TOML ``[[campaign]]`` tables.
    cache : bool
        Reuse parsed rows of unchanged files from the Parquet cache (keyed by the file's
        SHA-256, these options and the parser's code; see :mod:`fact_toolkit.cache`).
        ``False`` parses every file afresh and writes nothing to the cache.
    engine : {"auto", "pandas", "duckdb"}
        ``"duckdb"`` scans, parses, deduplicates and groups the rows inside DuckDB, for
        exports of millions of rows, and returns the ``daily`` panel and an ``accounts``
        summary (no row-level ``content`` table) with the same row accounting, quarantine
        and mismatches; ``"pandas"`` keeps every row. ``"auto"`` (the default) picks DuckDB
        for inputs of more than :data:`AUTO_DUCKDB_ROWS` rows (:func:`choose_engine`); the
        report's ``engine`` and ``engine_reason`` say which ran and why. See
        :mod:`fact_toolkit.engines`.

    Returns
    -------
    Dataset
        Tables plus the :class:`~fact_toolkit.report.LoadReport`.

    Raises
    ------
    FactInputError
        A file that cannot be used: one line naming the file and what to do.

    Examples
    --------
    >>> ds = load("data/sample")                      # doctest: +SKIP
    >>> ds.summary(by="fact_channel")[["gmv", "gpm"]]  # doctest: +SKIP
    """
    if not paths:
        raise FactInputError("(no path)", "no input given", fix="name at least one file or folder")
    engine, reason = choose_engine(paths, engine)
    options = dict(kind=kind, locale=locale, tz=tz, currency=currency, top_kols=top_kols,
                   top_kol_min_followers=top_kol_min_followers, own_accounts=own_accounts, campaigns=campaigns)
    if engine == "duckdb":
        from .duckdb_engine import load_duckdb

        ds = load_duckdb(*paths, **options)  # type: ignore[arg-type]
    else:
        ds = load_pandas(*paths, cache=cache, **options)  # type: ignore[arg-type]
    ds.report.engine, ds.report.engine_reason = engine, reason
    return ds
