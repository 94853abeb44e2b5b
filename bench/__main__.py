"""``python -m bench [--quick] [--only csv|xlsx|sample]``: run the benchmarks, print a table.

Every measurement runs in a fresh subprocess (``bench.child``) so the peak RSS is that
of the measured call alone (plus imports). A call is timed once; when it takes under
20 s it is run twice more and the median of the three is reported.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import DATA_VERSION, OUT, ROOT
from . import gen

FULL = {"csv": 2_000_000, "xlsx": 100_000}
QUICK = {"csv": 200_000, "xlsx": 20_000}
TARGETS = {"csv": 3.0, "xlsx": 1.2}
REPEAT_BELOW = 20.0  # seconds: faster calls are run 3 times, median reported
CHILD_TIMEOUT = 3600


def log(msg: str) -> None:
    print(msg, flush=True)


# ---------------------------------------------------------------- subprocess measurements

CACHE_ROOT = OUT / "cache"  # fact_toolkit's parse cache is pointed here, never at ~/.cache


def fresh_cache() -> Path:
    """An empty cache folder: a load with it parses the file (a first, "cold" load)."""
    CACHE_ROOT.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="c", dir=CACHE_ROOT))


def run_child(task: str, path: Path | str, out: Path | None = None, cache: Path | None = None) -> dict:
    cmd = [sys.executable, "-m", "bench.child", task, str(path)] + ([str(out)] if out else [])
    env = dict(os.environ, FACT_TOOLKIT_CACHE=str(cache or fresh_cache()))
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=CHILD_TIMEOUT, env=env)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {CHILD_TIMEOUT} s"}
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-12:]
        return {"error": "\n".join(tail) or f"exit code {proc.returncode}"}
    last = proc.stdout.strip().splitlines()[-1]
    result = json.loads(last)
    result["process_seconds"] = wall
    return result


def measure(task: str, path: Path | str, label: str, cache: Path | None = None) -> dict:
    """Run ``task`` in fresh processes: once, or three times when under 20 s; median.

    Each run gets a fresh, empty fact_toolkit cache folder (a cold first load) unless
    ``cache`` names a populated one (a warm load); ``_cache`` in the result is the folder
    of the last run.
    """
    runs = []
    dirs = [cache or fresh_cache() for _ in range(3)]
    first = run_child(task, path, cache=dirs[0])
    if "error" in first:
        log(f"  {label}: FAILED\n    " + first["error"].replace("\n", "\n    "))
        return first
    runs.append(first)
    if first["seconds"] < REPEAT_BELOW:
        for d in dirs[1:]:
            r = run_child(task, path, cache=d)
            if "error" in r:
                log(f"  {label}: a repeat FAILED\n    " + r["error"].replace("\n", "\n    "))
                return r
            runs.append(r)
    times = [r["seconds"] for r in runs]
    out = dict(runs[-1])
    out["seconds"] = statistics.median(times)
    out["runs"] = [round(t, 3) for t in times]
    out["timing"] = "median of 3" if len(runs) == 3 else "1 run (≥ 20 s)"
    out["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
    out["_cache"] = str(dirs[len(runs) - 1])
    log(f"  {label}: {out['seconds']:.2f} s ({out['timing']}: {', '.join(f'{t:.2f}' for t in times)}), "
        f"peak RSS {out['peak_rss_mb']:.0f} MB")
    return out


def profile(path: Path, name: str, quick: bool) -> dict:
    target = OUT / f"profile_{name}.txt"
    result = run_child("profile", path, target)
    if "error" in result:
        log("  profile: FAILED\n    " + result["error"].replace("\n", "\n    "))
        return result
    shutil.copyfile(target, OUT / f"profile_{name}_{'quick' if quick else 'full'}.txt")
    log(f"  profile ({result['seconds']:.2f} s under cProfile) → {target.relative_to(ROOT)}")
    log("    fact_toolkit, top 25 by cumulative time:")
    log(f"    {'cumtime':>8} {'tottime':>8} {'ncalls':>8}  function")
    for r in result["top"]:
        log(f"    {r['cumtime']:8.2f} {r['tottime']:8.2f} {r['ncalls']:8d}  {r['function']}:{r['line']}")
    return result


# ---------------------------------------------------------------- benchmarks

def row(name: str, rows: int, main: dict, anchor: dict | None, target: float | None,
        anchor_name: str = "") -> dict:
    r: dict = {"benchmark": name, "rows": rows, "target": target, "anchor": anchor_name}
    if "error" in main:
        r.update(status="ERROR", error=main["error"])
        return r
    r.update(seconds=main["seconds"], rows_per_s=rows / main["seconds"] if main["seconds"] else None,
             peak_rss_mb=main["peak_rss_mb"], base_rss_mb=main.get("base_rss_mb"),
             timing=main.get("timing"), runs=main.get("runs"), totals=main.get("totals"),
             quarantine_entries=main.get("quarantine_entries"), mismatches=main.get("mismatches"))
    if anchor is not None:
        if "error" in anchor:
            r.update(anchor_error=anchor["error"])
        else:
            r.update(anchor_seconds=anchor["seconds"], anchor_peak_rss_mb=anchor["peak_rss_mb"],
                     anchor_timing=anchor.get("timing"), anchor_runs=anchor.get("runs"),
                     ratio=main["seconds"] / anchor["seconds"])
    r["cache"] = "warm" if "warm" in name else "cold"
    if target is not None and "ratio" in r:
        r["status"] = "pass" if r["ratio"] <= target else "FAIL"
    else:
        r["status"] = "ok" if target is None else "n/a"
    totals = main.get("totals") or {}
    if totals and totals.get("rows_loaded") != rows and name != "sample brand":
        r["note"] = (f"loaded {totals.get('rows_loaded')} of {rows} rows "
                     f"({totals.get('rows_quarantined')} quarantined)")
    return r


def cold_and_warm(path: Path, label: str) -> tuple[dict, dict]:
    """``ft.load`` with an empty parse cache, then again with the cache that run filled."""
    main = measure("ft_load", path, f"{label}, cold (empty cache)")
    warm = (measure("ft_load", path, f"{label}, warm (cache hit)", Path(main["_cache"]))
            if "error" not in main else main)
    return main, warm


def bench_csv(n: int, quick: bool, do_profile: bool) -> tuple[dict, dict]:
    log(f"\n[csv] Compass live list, {n:,} rows × {len(gen.COLUMNS)} columns")
    inputs = gen.ensure_csv(n, log=log)
    info = inputs.info
    log(f"  input {inputs.dirty_csv.relative_to(ROOT)} ({info['dirty_bytes'] / 1e6:.0f} MB; "
        f"{info['dirty_share']:.1%} of numeric cells dirty, {info['missing_cells']:,} '--')")
    main, warm = cold_and_warm(inputs.dirty_csv, "ft.load(dirty csv)")
    anchor = measure("duckdb_csv", inputs.clean_csv, "duckdb read_csv(clean csv).df()")
    arrow = measure("duckdb_arrow", inputs.clean_csv, "duckdb read_csv(clean csv).arrow() (reference)")
    prof = profile(inputs.dirty_csv, "csv", quick) if do_profile and "error" not in main else None
    name = "csv 2M" if n == 2_000_000 else f"csv {n // 1000}k"
    r = row(name, n, main, anchor, TARGETS["csv"], "duckdb read_csv(clean).df()")
    w = row(name + " warm cache", n, warm, anchor, None, "duckdb read_csv(clean).df()")
    w["status"] = "info"
    r["input"] = info
    if "error" not in arrow:
        r["duckdb_arrow_seconds"] = arrow["seconds"]
        if "error" not in main:
            r["note_arrow"] = (f"vs duckdb .arrow() (materialised Arrow, {arrow['seconds']:.2f} s): "
                               f"{main['seconds'] / arrow['seconds']:.2f}×")
    if prof and "top" in prof:
        r["profile_top"] = prof["top"]
        r["profile_seconds"] = prof["seconds"]
    return r, w


def bench_xlsx(n: int, quick: bool, do_profile: bool) -> dict:
    log(f"\n[xlsx] Compass live list, {n:,} rows × {len(gen.COLUMNS)} columns")
    inputs = gen.ensure_xlsx(n, log=log)
    info = inputs.info
    log(f"  input {inputs.xlsx.relative_to(ROOT)} ({info['bytes'] / 1e6:.1f} MB; "
        f"{info['dirty_share']:.1%} of numeric cells text)")
    main, warm = cold_and_warm(inputs.xlsx, "ft.load(xlsx)")
    anchor = measure("calamine", inputs.xlsx, "pd.read_excel(engine='calamine')")
    prof = profile(inputs.xlsx, "xlsx", quick) if do_profile and "error" not in main else None
    r = row(f"xlsx {n // 1000}k", n, main, anchor, TARGETS["xlsx"], "pd.read_excel(calamine)")
    w = row(f"xlsx {n // 1000}k warm cache", n, warm, anchor, None, "pd.read_excel(calamine)")
    w["status"] = "info"
    r["input"] = info
    if prof and "top" in prof:
        r["profile_top"] = prof["top"]
        r["profile_seconds"] = prof["seconds"]
    return r, w


def _sample_folder() -> tuple[Path | None, str]:
    real = ROOT / "data" / "sample"
    if real.is_dir() and any(real.iterdir()):
        return real, "data/sample"
    # not bundled in this checkout: generate it once into bench/out (never into data/)
    cached = OUT / f"sample_{DATA_VERSION}"
    if cached.is_dir() and any(cached.iterdir()):
        return cached, f"{cached.relative_to(ROOT)} (data/sample missing; write_sample default seed)"
    code = ("import sys; from fact_toolkit.sample import write_sample; write_sample(sys.argv[1])")
    tmp = OUT / f"sample_{DATA_VERSION}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    proc = subprocess.run([sys.executable, "-c", code, str(tmp)], cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        return None, "data/sample missing and fact_toolkit.sample.write_sample failed: " + \
            " | ".join(proc.stderr.strip().splitlines()[-3:])
    os.replace(tmp, cached)
    return cached, f"{cached.relative_to(ROOT)} (data/sample missing; write_sample default seed)"


def bench_sample() -> dict:
    log("\n[sample] the sample brand")
    folder, where = _sample_folder()
    if folder is None:
        log(f"  skipped: {where}")
        return {"benchmark": "sample brand", "status": "skipped", "note": where}
    log(f"  input {where}")
    main = measure("sample", folder, "ft.load(sample folder)")
    rows = (main.get("totals") or {}).get("rows_read", 0)
    r = row("sample brand", rows, main, None, None)
    r["input"] = where
    if "error" not in main:
        r["summary_seconds"] = main.get("summary_seconds")
        log(f"  rows: {main['totals']}; summary(by='fact_channel') {main.get('summary_seconds', 0):.3f} s")
        log("  " + (main.get("summary") or "").replace("\n", "\n  "))
        r["summary"] = main.get("summary")
    return r


# ---------------------------------------------------------------- reporting

def machine() -> dict:
    model = ""
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        model = next((l.split(":", 1)[1].strip() for l in out.splitlines() if l.startswith("Model name")), "")
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as fh:
            mem = f"{int(fh.readline().split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    vers = {}
    for mod in ("pandas", "numpy", "pyarrow", "duckdb", "openpyxl", "python_calamine", "pandera"):
        try:
            from importlib.metadata import version

            vers[mod] = version(mod.replace("_", "-"))
        except Exception:  # noqa: BLE001
            vers[mod] = "?"
    return {"nproc": os.cpu_count(), "cpu": model, "ram": mem, "python": platform.python_version(),
            "platform": platform.platform(), **vers}


#: benchmarks of the other areas: modules of this package with ``run(quick) -> list[dict]``
AREAS = ("models", "whatif", "reports", "scale", "shapes")


def bench_area(area: str, quick: bool) -> list[dict]:
    """Run ``bench.<area>.run(quick)`` and fit its rows into this table."""
    import importlib

    log(f"\n[{area}]")
    try:
        found = importlib.import_module(f"bench.{area}").run(quick=quick)
    except Exception as err:  # a broken benchmark is reported, the others still run
        return [{"benchmark": area, "status": "ERROR", "error": f"{type(err).__name__}: {err}"}]
    out = []
    for r in found:
        passed = r.get("passed")
        seconds = r.get("seconds")
        out.append({
            "benchmark": r.get("benchmark", area), "rows": r.get("rows"), "seconds": seconds,
            "rows_per_s": (r["rows"] / seconds) if r.get("rows") and seconds else None,
            "peak_rss_mb": r.get("peak_rss_mb"), "anchor_seconds": r.get("anchor_seconds"),
            # a numeric target without a ratio is a time in seconds, not a ratio: say it in the note
            "ratio": r.get("ratio"),
            "target": r.get("target") if r.get("ratio") is not None and isinstance(r.get("target"), (int, float))
            else None,
            "status": "ok" if passed is None else ("pass" if passed else "FAIL"),
            "note": "; ".join(x for x in (
                r.get("note"),
                (f"target {r['target'] * 1000:g} ms, measured {seconds * 1000:.1f} ms"
                 if r.get("ratio") is None and isinstance(r.get("target"), (int, float)) and seconds is not None
                 else None),
                (f"target {r['target']}" if isinstance(r.get("target"), str) else None)) if x) or None,
        })
    return out


def _fmt(v, spec: str, dash: str = "—") -> str:
    return dash if v is None else format(v, spec)


def table(rows: list[dict]) -> str:
    head = ["benchmark", "rows", "seconds", "rows/s", "peak RSS MB", "anchor s", "ratio", "target", "result"]
    lines = []
    for r in rows:
        lines.append([
            r["benchmark"], _fmt(r.get("rows"), ","), _fmt(r.get("seconds"), ".2f"),
            _fmt(r.get("rows_per_s"), ",.0f"), _fmt(r.get("peak_rss_mb"), ",.0f"),
            _fmt(r.get("anchor_seconds"), ".2f"), _fmt(r.get("ratio"), ".2f", "—") + ("×" if r.get("ratio") else ""),
            ("≤ " + format(r["target"], "g") + "×") if r.get("target") else "—", r.get("status", "?"),
        ])
    widths = [max(len(str(x)) for x in col) for col in zip(head, *lines)]
    fmt = lambda cells: "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)  # noqa: E731
                                  for i, (c, w) in enumerate(zip(cells, widths)))
    out = [fmt(head), fmt(["-" * w for w in widths])] + [fmt(l) for l in lines]
    notes = []
    for r in rows:
        if r.get("error"):
            notes.append(f"{r['benchmark']}: ERROR {r['error'].splitlines()[-1]}")
        if r.get("anchor_error"):
            notes.append(f"{r['benchmark']}: anchor ERROR {r['anchor_error'].splitlines()[-1]}")
        if r.get("note"):
            notes.append(f"{r['benchmark']}: {r['note']}")
        if r.get("note_arrow"):
            notes.append(f"{r['benchmark']}: {r['note_arrow']}")
        if r.get("timing"):
            anchor = f"; anchor {r['anchor']}: {r.get('anchor_timing')}" if r.get("anchor_timing") else ""
            notes.append(f"{r['benchmark']}: {r['timing']}{anchor}")
    return "\n".join(out + ([""] + notes if notes else []))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smoke run: 200k CSV rows, 20k xlsx rows")
    ap.add_argument("--only", action="append", choices=("csv", "xlsx", "sample", *AREAS),
                    help="run only this benchmark (repeatable)")
    ap.add_argument("--no-profile", action="store_true", help="skip the cProfile runs")
    ap.add_argument("--csv-rows", type=int, help="override the CSV size")
    ap.add_argument("--xlsx-rows", type=int, help="override the xlsx size")
    args = ap.parse_args(argv)
    only = set(args.only or ("csv", "xlsx", "sample", *AREAS))
    sizes = dict(QUICK if args.quick else FULL)
    if args.csv_rows:
        sizes["csv"] = args.csv_rows
    if args.xlsx_rows:
        sizes["xlsx"] = args.xlsx_rows
    OUT.mkdir(parents=True, exist_ok=True)
    mode = "quick" if args.quick else "full"
    info = machine()
    log(f"fact_toolkit benchmarks ({mode}; data {DATA_VERSION}) on {info['nproc']} × {info['cpu']}, "
        f"{info['ram']}; Python {info['python']}, pandas {info['pandas']}, duckdb {info['duckdb']}")

    t0 = time.perf_counter()
    rows: list[dict] = []
    if "csv" in only:
        rows.extend(bench_csv(sizes["csv"], args.quick, not args.no_profile))
    if "xlsx" in only:
        rows.extend(bench_xlsx(sizes["xlsx"], args.quick, not args.no_profile))
    if "sample" in only:
        rows.append(bench_sample())
    for area in AREAS:
        if area in only:
            rows.extend(bench_area(area, args.quick))

    shutil.rmtree(CACHE_ROOT, ignore_errors=True)  # parse caches of the measured loads
    text = table(rows)
    log("\n" + text)
    result = {"mode": mode, "data_version": DATA_VERSION, "sizes": sizes, "machine": info,
              "finished": time.strftime("%Y-%m-%d %H:%M:%S"), "wall_seconds": round(time.perf_counter() - t0, 1),
              "results": rows, "table": text}
    payload = json.dumps(result, ensure_ascii=False, indent=1, default=str) + "\n"
    for name in ("results.json", f"results_{mode}.json"):
        tmp = OUT / (name + ".tmp")
        tmp.write_text(payload, encoding="utf-8")
        os.replace(tmp, OUT / name)
    log(f"\nwritten {(OUT / 'results.json').relative_to(ROOT)}")
    return 1 if any(r.get("status") == "ERROR" for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
