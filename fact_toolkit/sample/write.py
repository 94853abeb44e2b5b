"""``write_sample``: simulate the brand and write its files atomically (``fact-toolkit sample``)."""

from __future__ import annotations

import datetime as _dt
import math
from pathlib import Path

from .brand import DEFAULT_SEED, Plant
from .exports import _render_files
from .simulation import simulate

__all__ = ["write_sample"]


def write_sample(out: str | Path, seed: int = DEFAULT_SEED, days: int = 730,
                 start: str | _dt.date = "2024-12-01", *, elasticity: float = 0.4,
                 plant: Plant | None = None) -> list[Path]:
    """Write the sample brand's exports, as a shop would download them, and the truth.

    Files (see ``data/README.md``): ``罗盘_直播明细_自播.xlsx``, ``达人直播_头部达人.csv``,
    ``短视频明细.csv``, ``商品载体_商品卡.xlsx``, ``千川_投放日报_gbk.csv``,
    ``tiktok_live_list.xlsx``, ``达人列表.csv``, ``benchmarks.csv`` and
    ``ground_truth.json``.  Every file is written atomically (temporary file in the same
    folder, then ``os.replace``); the same arguments give byte-identical files.

    Parameters
    ----------
    out : str or Path
        Folder to write into (created when missing).
    seed : int, default DEFAULT_SEED
        Random seed.
    days : int, default 730
        Number of simulated days.
    start : str or date, default "2024-12-01"
        First date.
    elasticity : float, default 0.4
        Snowball elasticity of the F accounts (0: no snowball); ``ground_truth.json``
        records it.
    plant : Plant, optional
        A known weakness to plant (see :class:`Plant`).

    Returns
    -------
    list of Path
        The written files, in the order above.
    """
    from .._atomic import atomic_write_bytes

    if not (math.isfinite(elasticity) and -2.0 <= elasticity <= 2.0):
        raise ValueError(f"elasticity {elasticity!r} is outside -2..2")
    brand = simulate(seed, days, start, elasticity=elasticity, plant=plant)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in _render_files(brand).items():
        written.append(atomic_write_bytes(folder / name, data))
    return written
