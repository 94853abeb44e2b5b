"""The sample-brand simulator behind the bundled sample data (``data/sample/``).

A fictional women's-wear brand (栖木 / Qimu, category 女装) sells on Douyin through the
whole FACT(+S) matrix:

* **F** — three own accounts (two official, one channel-authorised) live-stream every
  day.  Each account's daily traffic follows the recommender's *snowball* law
  (:func:`simulate_account`); the day's totals are split over one or two sessions.
  The accounts also post a few short videos and buy ads (巨量千川).
* **A** — ≥ 150 affiliate talents with long-tailed followers and activity, mostly short
  videos, a few lives; paid by commission (15–35 %).
* **T** — top KOLs (≥ 6,000,000 followers) with occasional special live sessions of large
  GMV and higher commission.
* **S** — product-card / search / mall sales per product per day.
* **C** — the campaign calendar (``fact_toolkit/data/campaigns.csv``) lifts traffic and
  conversion in its windows and sets ``campaign_id`` on the rows inside a window.

Plus a small overseas TikTok shop (one account, USD, ~90 days of LIVE sessions).

:func:`simulate` returns the data as canonical tables (:class:`SampleBrand`);
:func:`write_sample` renders them the way a shop would download them — Chinese headers,
``万`` text, a ``合计`` row, BOM + CRLF, GB18030, a banner row, Excel serial dates,
IDs with trailing tabs, ``-``/``--`` missing cells — together with ``ground_truth.json``.
The frames hold exactly the values the files say (after rounding to cents and to the
``万`` text), so totals in the truth file can be compared with a loader to the cent.
The same seed regenerates byte-identical files.

The snowball law (one self-broadcast account, one value per day)::

    log(organic_exposure_t) = a + elasticity * log(GPM7_{t-1} / GPM_ref)
                              + weekday_t + campaign_t + u_t,
    u_t = rho_u * u_{t-1} + eps_t,   eps_t ~ N(0, sigma_u^2)

where ``GPM7_{t-1} = sum(paid_amount[t-7:t]) / sum(view_pv[t-7:t]) * 1000`` (a ratio of
sums over the seven days before ``t``; fewer days at the start of the series, and
``GPM_ref`` itself on day 0).  Conversion carries its own persistent AR(1) component and
same-day dilution: ``click→order rate ∝ exp(c_t) * (views_t / views_ref) ** -dilution``.

The package, by concern (each imports only from the lines below it; ``.importlinter``)::

    write         write_sample: simulate, render, write atomically
    simulation    simulate: the whole brand from one seed, planted weaknesses, the 千川 report
    exports       each file rendered as a shop downloads it (Compass, 千川, TikTok, lists, truth)
    snowball      simulate_account: one F account's day under the snowball law
    content       live sessions, short videos, talent lives, the TikTok LIVEs
    shelf         product-card (S) sales
    talents       the A long tail and the T top KOLs
    truth         ground_truth.json: parameters and totals to the cent
    tiktok        write_tiktok_shop: an Indonesian TikTok shop's Seller Center week
    campaigns     the campaign calendar as per-day effects
    brand         accounts, products, parameters, file names; SampleBrand, Plant
    arith         cents, counts, sums, timestamps
    formats       cell texts, CSV bytes, byte-identical XLSX
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

if TYPE_CHECKING:  # where each public name lives; at run time it loads on first use (fact_toolkit._lazy)
    from .brand import DEFAULT_SEED, WEEKDAY_EFFECT, Plant, SampleBrand
    from .campaigns import _campaign_effects, load_campaign_calendar  # _campaign_effects: for tests
    from .simulation import simulate
    from .snowball import simulate_account
    from .tiktok import write_tiktok_shop
    from .write import write_sample

__getattr__, __dir__ = lazy_exports(__name__, __file__)

__all__ = ["DEFAULT_SEED", "WEEKDAY_EFFECT", "Plant", "SampleBrand", "load_campaign_calendar", "simulate",
           "simulate_account", "write_sample", "write_tiktok_shop"]
