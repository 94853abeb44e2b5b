"""The SQL number grammar's shortcut for common export forms agrees with its slow path.

``_number_common`` reads ``1.2万``, ``32.00%``, ``¥1,234.5`` and ``1,234`` without the
normalising path; wherever it gives a value, that value must be bit-identical to what the
slow path (the grammar rendered from :mod:`fact_toolkit.io.parse`) gives, and the cells it
refuses must still parse as before.
"""

from __future__ import annotations

import random

import duckdb
import pandas as pd

from fact_toolkit.io.parse import parse_number
from fact_toolkit.io.sql import _number_common, _number_slow, number_sql


def _cells() -> list[str]:
    rnd = random.Random(15)
    out = ["1.2万", "32.00%", "¥1,234.5", "1,234", "¥2174.10", "1,2345", "¥1,23", "12,345,678.90", "0.5万", "-1.2万",
           "1.2e3万", "inf万", "nan%", "1_000", "1,234.", ".5%", "¥", "万", "%", "1.2 万", " 1,234", "１,234",
           "1,234万", "¥-5", "-1,234", "00,123", "0,123", "1.5E2%", "12%%", "¥1.2万", "1,000,000%", "9" * 30 + "万",
           "+-1.2万", "+-5%", "+-5", " +-5%", "+1.2万", "-+5", "+5%"]
    for _ in range(3000):
        v = rnd.choice([rnd.randint(0, 10**9), rnd.random() * 10**rnd.randint(0, 8), rnd.randint(0, 999)])
        form = rnd.randrange(5)
        if form == 0:
            out.append(f"{v / 10000:.{rnd.randint(0, 4)}f}万")
        elif form == 1:
            out.append(f"{v % 100:.{rnd.randint(0, 3)}f}%")
        elif form == 2:
            out.append("¥" + format(v, f",.{rnd.randint(0, 3)}f"))
        elif form == 3:
            out.append(format(int(v), ","))
        else:
            out.append(f"¥{v:.2f}")
    return out


def test_common_forms_equal_the_slow_path_bit_for_bit() -> None:
    cells = _cells()
    con = duckdb.connect()
    con.execute("CREATE TABLE t (x VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?)", [(c,) for c in cells])
    rows = con.sql(f"SELECT x, {_number_common('x')} AS fast, {_number_slow('x', False)} AS slow FROM t").fetchall()
    taken = [(x, fast, slow) for x, fast, slow in rows if fast is not None]
    assert len(taken) > 2500                      # the shortcut reads the generated forms
    bad = [(x, fast, slow) for x, fast, slow in taken if fast != slow]
    assert bad == []
    by_cell = {x: fast for x, fast, _ in rows}
    assert by_cell["1.2万"] == 12000.0 and by_cell["32.00%"] == 0.32 and by_cell["¥1,234.5"] == 1234.5
    # wrong grouping and other forms are left to the slow path (which refuses or reads them)
    assert by_cell["1,2345"] is None and by_cell["¥1,23"] is None and by_cell["1.2e3万"] is None


def test_number_sql_still_matches_the_python_parser() -> None:
    cells = _cells()
    con = duckdb.connect()
    con.execute("CREATE TABLE t (i INTEGER, x VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?, ?)", list(enumerate(cells)))
    got = [v for _, v in con.sql(f"SELECT i, {number_sql('x').value} FROM t ORDER BY i").fetchall()]
    want = parse_number(pd.Series(cells, dtype="string")).values.tolist()
    bad = [(c, g, w) for c, g, w in zip(cells, got, want, strict=True)
           if not ((g is None and pd.isna(w)) or g == w)]
    assert bad == []
