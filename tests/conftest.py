"""Shared fixtures: small export files in the shapes platforms really produce."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"

LIVE_HEADER = [
    "主播昵称", "主播抖音号", "账号类型", "直播开始时间", "直播时长(分钟)", "直播间曝光人数", "直播间曝光次数",
    "直播间观看人数", "直播间观看次数", "人均观看时长(分钟)", "直播间商品曝光人数", "直播间商品点击人数",
    "直播间成交订单数", "直播间成交人数", "直播间成交金额", "直播间用户支付金额", "直播间退款金额", "投放消耗",
]


def live_rows() -> list[list[str]]:
    """Three live sessions whose sums a person can check.

    paid 1000 + 2000 + 3000 = 6000 over views 10000 + 20000 + 30000 = 60000 → GPM 100.
    """
    return [
        ["官方旗舰店", "brand01", "官方账号", "2026/04/17 10:00:00", "120", "1.5万", "20000", "9000",
         "10000", "1.5", "5000", "800", "50", "45", "1100.00", "1000.00", "100.00", "500.00"],
        ["官方旗舰店", "brand01", "官方账号", "2026/04/18 10:00:00", "90", "30000", "40000", "18000",
         "20000", "2", "9000", "1600", "100", "90", "2200.00", "2000.00", "200.00", "¥1,000.00"],
        ["小美达人", "talent09", "达人", "2026/04/18 20:00:00", "60", "--", "60000", "25000",
         "30000", "3", "12000", "2000", "150", "140", "3300.00", "3000.00", "-", "0"],
    ]


#: files no engine can use: (name, bytes, a word the one-line error must contain); the pandas
#: loader and the DuckDB engine are held to the same corpus
UNUSABLE_FILES: list[tuple[str, bytes, str]] = [
    ("empty.csv", b"", "empty"),
    ("header_only.csv", ",".join(LIVE_HEADER).encode(), "no data rows"),
    ("unknown.csv", b"foo,bar,baz\n1,2,3\n", "no recognised columns"),
    ("garbage.csv", bytes(range(256)) * 8, "binary"),
    ("ragged.csv", (",".join(LIVE_HEADER) + "\n" + ",".join(live_rows()[0] + ["x", "y"]) + "\n").encode(),
     "cells"),
    # a quote opened in row 3 and never closed: the rows after it would vanish into one cell
    ("unclosed_quote.csv", "\n".join([",".join(LIVE_HEADER), ",".join(live_rows()[0]),
                                        '"' + ",".join(live_rows()[1]), *[",".join(live_rows()[2])] * 3]).encode(),
     "never closed"),
]


def write_csv(path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8",
              newline: str = "\n") -> Path:
    """Write a CSV by hand (quoting cells that need it), as an export would."""

    def cell(v: str) -> str:
        if any(ch in v for ch in ',"\n\r'):
            return '"' + v.replace('"', '""') + '"'
        return v

    text = newline.join(",".join(cell(v) for v in r) for r in [header, *rows]) + newline
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def live_csv(tmp_path: Path) -> Path:
    """A small Compass live-session list."""
    return write_csv(tmp_path / "直播明细.csv", LIVE_HEADER, live_rows())


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The bundled sample brand."""
    if not (SAMPLE / "ground_truth.json").exists():
        pytest.fail("data/sample is missing: run `make sample`")
    return SAMPLE


def pytest_configure(config: pytest.Config) -> None:
    """Keep the parse cache of the test run in a fresh folder of its own."""
    import os
    import tempfile

    os.environ["FACT_TOOLKIT_CACHE"] = tempfile.mkdtemp(prefix="fact_toolkit_cache_")
