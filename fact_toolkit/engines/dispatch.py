"""``fact_toolkit.load``: choose the engine for the inputs, and run it.

The pandas engine (:func:`fact_toolkit.loader.load`) gives every row-level table; the DuckDB
engine (:func:`~fact_toolkit.engines.duckdb_engine.load_duckdb`) gives the daily panel and
the accounts of inputs too large for memory, with the same load report. Both sit below this
module, so neither imports the other's caller.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import pandas as pd

from ..dataset import Dataset
from ..errors import FactInputError
from ..io.files import expand_paths
from ..loader import load as load_pandas

__all__ = ["load", "ENGINES"]

#: the engines :func:`load` runs
ENGINES: tuple[str, ...] = ("pandas", "duckdb", "auto")
#: inputs above this size go to the DuckDB engine when engine="auto"
_AUTO_DUCKDB_BYTES = 512 << 20


def load(*paths: str | os.PathLike[str], kind: str | None = None, locale: str | None = None,
         tz: str | None = None, currency: str | None = None,
         top_kols: Iterable[str] | None = None, top_kol_min_followers: int = 5_000_000,
         own_accounts: Iterable[str] | None = None,
         campaigns: pd.DataFrame | str | os.PathLike[str] | bool | None = None,
         cache: bool = True, engine: str = "pandas") -> Dataset:
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
    engine : {"pandas", "duckdb", "auto"}
        ``"duckdb"`` parses, validates and aggregates inside DuckDB, for exports of tens
        of millions of rows, and returns the ``daily`` panel and an ``accounts`` summary
        (no row-level ``content`` table) with the same row accounting; ``"auto"`` picks
        DuckDB when the inputs exceed 512 MiB. See :mod:`fact_toolkit.engines`.

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
    if engine not in ENGINES:
        raise FactInputError("engine", f"unknown engine {engine!r}", fix="use pandas, duckdb or auto")
    if engine == "auto":
        engine = "duckdb" if sum(p.stat().st_size for p in expand_paths(paths)) > _AUTO_DUCKDB_BYTES else "pandas"
    options = dict(kind=kind, locale=locale, tz=tz, currency=currency, top_kols=top_kols,
                   top_kol_min_followers=top_kol_min_followers, own_accounts=own_accounts, campaigns=campaigns)
    if engine == "duckdb":
        from .duckdb_engine import load_duckdb

        return load_duckdb(*paths, **{**options, "tz": tz or "Asia/Shanghai"})  # type: ignore[arg-type]
    return load_pandas(*paths, cache=cache, **options)  # type: ignore[arg-type]
