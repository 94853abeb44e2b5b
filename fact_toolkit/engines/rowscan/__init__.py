"""The row-level half of the DuckDB engine: sources, per-row SQL, one row per key.

:mod:`.sources` recognises input files and says how DuckDB reads them; :mod:`.rowsql`
renders the parse, validation and grouping of rows as SQL; :mod:`.repeats` keeps one row
per key and builds the quarantine and mismatch entries of problem rows. The engine
(:mod:`fact_toolkit.engines.duckdb_engine`) runs them and hands panel-sized lines to the
pandas path's own code.
"""

__all__: list[str] = []
