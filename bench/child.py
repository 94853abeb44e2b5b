"""One measurement in a fresh process: ``python -m bench.child TASK PATH [OUT]``.

Imports happen before the clock starts; only the call itself is timed with
``time.perf_counter``. Prints one JSON line (the last line of stdout) with ``seconds``,
``peak_rss_mb`` (VmHWM of this process, i.e. ``ru_maxrss``: imports included),
``base_rss_mb`` (VmRSS just before the call) and task-specific details.

Tasks
-----
ft_load       ``fact_toolkit.load(PATH)``
duckdb_csv    ``duckdb.sql("SELECT * FROM read_csv(PATH)").df()`` (the anchor)
duckdb_arrow  the same, ``.arrow().read_all()``: materialised Arrow (for reference)
calamine      ``pandas.read_excel(PATH, engine="calamine")``
sample        ``fact_toolkit.load(PATH)`` then ``ds.summary(by="fact_channel")`` (timed apart)
profile       ``fact_toolkit.load(PATH)`` under cProfile; the report is written to OUT
"""

from __future__ import annotations

import json
import resource
import sys
import time


def _status(key: str) -> float | None:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024.0  # kB → MiB
    except OSError:
        pass
    return None


def _peak_mb() -> float:
    hwm = _status("VmHWM")
    if hwm is not None:
        return hwm
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # kB on Linux


def _ft_details(ds) -> dict:
    t = ds.report.totals
    return {"totals": t, "content_rows": int(len(ds.content)), "quarantine_entries": len(ds.report.quarantine),
            "mismatches": len(ds.report.mismatches), "balanced": bool(ds.report.balanced),
            "warnings": [w[:300] for w in ds.report.warnings[:5]]}


def _profile_report(prof, seconds: float, path: str, out: str) -> list[dict]:
    import io
    import pstats

    def block(sort: str, restrict: tuple) -> str:
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).strip_dirs().sort_stats(sort).print_stats(*restrict)
        return buf.getvalue()

    stats = pstats.Stats(prof).stats  # (file, line, func) -> (cc, nc, tt, ct, callers)
    ft_rows = []
    for (file, line, func), (_cc, nc, tt, ct, _callers) in stats.items():
        if "fact_toolkit" in file:
            mod = file.split("fact_toolkit", 1)[1].lstrip("/").removesuffix(".py").replace("/", ".")
            ft_rows.append({"function": f"{mod}.{func}", "line": line, "ncalls": nc,
                            "tottime": round(tt, 3), "cumtime": round(ct, 3)})
    ft_rows.sort(key=lambda r: -r["cumtime"])
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(f"cProfile of fact_toolkit.load({path!r}): {seconds:.2f} s under the profiler\n\n")
        fh.write("== fact_toolkit functions, top 25 by cumulative time ==\n")
        fh.write(block("cumulative", ("fact_toolkit", 25)))
        fh.write("\n== all functions, top 40 by internal (own) time ==\n")
        fh.write(block("tottime", (40,)))
        fh.write("\n== all functions, top 40 by cumulative time ==\n")
        fh.write(block("cumulative", (40,)))
    return ft_rows[:25]


def main(argv: list[str]) -> int:
    task, path = argv[0], argv[1]
    out = argv[2] if len(argv) > 2 else None
    result: dict = {"task": task, "path": path}
    if task in {"ft_load", "sample", "profile"}:
        import fact_toolkit as ft

        ft.load  # noqa: B018 - a lazy export: import the loader (pandas, pandera …) before the clock starts
        result["base_rss_mb"] = _status("VmRSS")
        if task == "profile":
            import cProfile

            prof = cProfile.Profile()
            t0 = time.perf_counter()
            prof.enable()
            ds = ft.load(path)
            prof.disable()
            result["seconds"] = time.perf_counter() - t0
            result["top"] = _profile_report(prof, result["seconds"], path, out)
        else:
            t0 = time.perf_counter()
            ds = ft.load(path)
            result["seconds"] = time.perf_counter() - t0
        result.update(_ft_details(ds))
        if task == "sample":
            t0 = time.perf_counter()
            summary = ds.summary(by="fact_channel")
            result["summary_seconds"] = time.perf_counter() - t0
            import pandas as pd

            with pd.option_context("display.width", 200, "display.max_columns", 12):
                cols = [c for c in ("gmv", "paid_amount", "view_pv", "gpm", "roi", "gmv_share") if c in summary]
                result["summary"] = (summary[cols] if cols else summary).to_string()
    elif task in {"duckdb_csv", "duckdb_arrow"}:
        import duckdb

        result["base_rss_mb"] = _status("VmRSS")
        t0 = time.perf_counter()
        rel = duckdb.sql(f"SELECT * FROM read_csv('{path}')")
        if task == "duckdb_csv":
            df = rel.df()
        else:  # duckdb ≥ 1.4 returns a RecordBatchReader: drain it
            df = rel.arrow()
            df = df.read_all() if hasattr(df, "read_all") else df
        result["seconds"] = time.perf_counter() - t0
        result["rows"] = int(len(df))
    elif task == "calamine":
        import pandas as pd

        result["base_rss_mb"] = _status("VmRSS")
        t0 = time.perf_counter()
        df = pd.read_excel(path, engine="calamine")
        result["seconds"] = time.perf_counter() - t0
        result["rows"] = int(len(df))
    else:
        raise SystemExit(f"unknown task {task!r}")
    result["peak_rss_mb"] = _peak_mb()
    sys.stdout.write("\n" + json.dumps(result, ensure_ascii=False, default=str) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
