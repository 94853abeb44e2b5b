"""The brand's talents: the A long tail and the T top KOLs, with their latent traits.

Nicknames, Douyin IDs (digits or letters), followers, commission rates, how often each
posts videos or goes live, how well each converts (``quality``, ``match``), and each
talent's preference over the content forms.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .brand import _NICK_A, _NICK_B, _SURNAMES, CONTENT_FORMS

__all__ = ["_talents", "_content_form_pref"]


def _talent_names(rng: np.random.Generator, k: int) -> list[str]:
    combos = [(a, b, c) for a in _NICK_A for b in _SURNAMES for c in _NICK_B]
    idx = rng.choice(len(combos), size=k, replace=False)
    return [f"{combos[i][0]}{combos[i][1]}{combos[i][2]}" for i in idx]


def _talents(rng: np.random.Generator, n_a: int = 180) -> pd.DataFrame:
    """A talents (long tail) and T top KOLs with their latent traits."""
    names = _talent_names(rng, n_a)
    followers = np.minimum(2_900_000, np.rint(6_000 * (1.0 + rng.pareto(1.0, n_a)))).astype(np.int64)
    numeric = rng.random(n_a) < 0.55
    ids = []
    for i in range(n_a):
        if numeric[i]:
            ids.append(str(int(rng.integers(1_000_000_000, 99_999_999_999))))
        else:
            letters = "".join(rng.choice(list("abcdefghijklmnopqrstuvwxyz"), size=int(rng.integers(4, 8))))
            ids.append(f"{letters}{int(rng.integers(10, 9999))}")
    rate = np.floor(rng.uniform(0.15, 0.35, n_a) * 10000 + 0.5) / 10000
    lam = np.minimum(1.2, np.exp(rng.normal(math.log(0.012), 1.3, n_a)))
    daily = rng.choice(n_a, size=3, replace=False)
    lam[daily] = rng.uniform(0.8, 1.1, 3)
    a = pd.DataFrame({
        "talent_id": ids, "nickname": names, "followers": followers,
        "commission_rate": rate, "fact_channel": "A",
        "post_rate": lam, "quality": np.exp(rng.normal(0.0, 0.5, n_a)),
        "match": rng.uniform(0.6, 1.2, n_a),
    })
    # a dozen bigger talents also go live about once a month
    big = np.argsort(-followers, kind="stable")[:40]
    live = rng.choice(big, size=12, replace=False)
    a["live_rate"] = 0.0
    a.loc[live, "live_rate"] = 1.0 / 30.0

    t_names = ("时尚博主Coco", "穿搭一哥阿杰", "大码女王小胖", "明星衣橱安安", "超级买手Vicky", "衣二三姐姐")
    t_ids = ("coco_fashion", "ajie_chuanda", "xiaopang_queen", "anan_closet", "vicky_buyer", "yiersan_jj")
    n_t = len(t_names)
    t = pd.DataFrame({
        "talent_id": list(t_ids), "nickname": list(t_names),
        "followers": np.rint(np.exp(rng.uniform(math.log(6_600_000), math.log(38_000_000), n_t))).astype(np.int64),
        "commission_rate": np.floor(rng.uniform(0.38, 0.50, n_t) * 10000 + 0.5) / 10000,
        "fact_channel": "T", "post_rate": 0.0, "quality": 1.0, "match": rng.uniform(0.5, 1.1, n_t),
        "live_rate": rng.uniform(0.8, 2.0, n_t) / 30.0,
    })
    out = pd.concat([t, a], ignore_index=True)
    out["tier"] = np.where(out["followers"] >= 1_000_000, "head",
                           np.where(out["followers"] >= 100_000, "waist", "tail"))
    return out


def _content_form_pref(rng: np.random.Generator, k: int) -> np.ndarray:
    return rng.dirichlet(np.full(len(CONTENT_FORMS), 0.8), size=k)
