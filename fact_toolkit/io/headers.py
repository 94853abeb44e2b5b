"""Map the header cells of an export onto canonical columns and recognise its kind.

Headers are matched by alias after :func:`fact_toolkit.schema.normalize_header`
(NFKC, bracket width, whitespace, case), never by position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..errors import FactInputError
from ..schema import FILE_KINDS, TABLES, column_aliases, normalize_header

__all__ = ["KindMatch", "header_score", "match_kind", "known_headers"]


_UNIT_SUFFIX = re.compile(r"\((人数|次数|元|个|件|单)\)$")
#: a currency named inside a header: ``Gross merchandise value (Video) (Rp)``, ``GPM (Rp)``
_CURRENCY_SUFFIX = re.compile(r"\((rp|₫|vnd|฿|thb|rm|myr|₱|php|£|gbp|\$|usd|idr|s\$|sgd)\)$")
_CURRENCY_CODES = {"rp": "IDR", "idr": "IDR", "₫": "VND", "vnd": "VND", "฿": "THB", "thb": "THB", "rm": "MYR",
                   "myr": "MYR", "₱": "PHP", "php": "PHP", "£": "GBP", "gbp": "GBP", "$": "USD", "usd": "USD",
                   "s$": "SGD", "sgd": "SGD"}


@lru_cache(maxsize=None)
def _aliases(table: str) -> dict[str, tuple[str, str]]:
    return column_aliases(table)


@lru_cache(maxsize=1)
def known_headers() -> frozenset[str]:
    """Every folded header that maps to some canonical column of some table."""
    out: set[str] = set()
    for table in TABLES:
        out.update(_aliases(table))
    return frozenset(out)


def header_score(cells: list[object]) -> int:
    """How many cells of a candidate header row are recognised header names.

    Used by the readers to find the header row below banner rows.

    Examples
    --------
    >>> header_score(["2026-03-16 ~ 2026-04-12"])
    0
    >>> header_score(["Creator name", "GMV", "Views", "whatever"])
    3
    """
    known = known_headers()
    return sum(1 for c in cells if c is not None and normalize_header(c) in known)


@dataclass
class KindMatch:
    """The result of recognising a file.

    Attributes
    ----------
    kind : str
        A key of :data:`fact_toolkit.schema.FILE_KINDS`.
    table : str
        The canonical table the rows go to.
    mapping : dict[str, str]
        Frame column -> canonical column.
    units : dict[str, str]
        Canonical column -> unit override carried by the alias (e.g. ``min``).
    ignored : list[str]
        Headers that map to nothing (kept out of the tables, listed in the report).
    duplicates : list[str]
        Headers that map to a column already taken by an earlier header.
    currency : str or None
        A currency named inside a header (``GPM (Rp)`` → ``IDR``).
    """

    kind: str
    table: str
    mapping: dict[str, str]
    units: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    currency: str | None = None


def _map(table: str, columns: list[str], headers: list[str]) -> KindMatch:
    aliases = _aliases(table)
    mapping: dict[str, str] = {}
    units: dict[str, str] = {}
    ignored: list[str] = []
    duplicates: list[str] = []
    taken: set[str] = set()
    currency: str | None = None
    folded_all = [normalize_header(h) for h in headers]
    # columns named by headers that occur once: a repeated header's positional meaning
    # ("#1", "#2") never takes one of those
    plain = {aliases[f][0] for f in folded_all if folded_all.count(f) == 1 and f in aliases}
    seen: dict[str, int] = {}
    for col, folded in zip(columns, folded_all, strict=True):
        seen[folded] = seen.get(folded, 0) + 1
        hit = None
        if folded_all.count(folded) > 1:
            # a repeated header whose occurrences mean different things (TikTok's zh-CN
            # LIVE product detail: 商品信息 = product ID, then 商品信息 = title)
            hit = aliases.get(f"{folded}#{seen[folded]}")
            if hit is not None and hit[0] in plain:
                hit = None
        unit_currency = _CURRENCY_SUFFIX.search(folded)
        if hit is None and unit_currency is not None:
            folded = folded[:unit_currency.start()]
            currency = currency or _CURRENCY_CODES[unit_currency.group(1)]
        hit = hit or aliases.get(folded)
        if hit is None:
            # Compass sometimes repeats the unit: 直播间观看人数(人数), 用户支付金额(元)
            stem = _UNIT_SUFFIX.sub("", folded)
            hit = aliases.get(stem) if stem != folded else None
        if hit is None:
            ignored.append(col)
            continue
        name, unit = hit
        if name in taken:
            duplicates.append(col)
            continue
        taken.add(name)
        mapping[col] = name
        if unit:
            units[name] = unit
    return KindMatch("", table, mapping, units, ignored, duplicates, currency)


def match_kind(path: object, columns: list[str], headers: list[str] | None = None,
               kind: str | None = None) -> KindMatch:
    """Recognise the kind of a file from its headers and map its columns.

    Parameters
    ----------
    path : path-like
        The file, for error messages.
    columns : list of str
        The frame's (deduplicated) column names.
    headers : list of str, optional
        The header cells as in the file (defaults to ``columns``).
    kind : str, optional
        Force a kind instead of recognising it.

    Returns
    -------
    KindMatch

    Raises
    ------
    FactInputError
        When no kind matches (naming the kinds tried and the headers seen), or a forced
        kind lacks a required column (naming it and its accepted aliases).
    """
    headers = list(columns) if headers is None else [str(h) for h in headers]
    if len(headers) != len(columns):
        headers = list(columns)
    if kind is not None:
        if kind not in FILE_KINDS:
            raise FactInputError(path, f"unknown kind {kind!r}",
                                 fix=f"use one of: {', '.join(FILE_KINDS)}")
        candidates = [FILE_KINDS[kind]]
    else:
        candidates = list(FILE_KINDS.values())

    folded = [normalize_header(h) for h in headers]
    canonical = {normalize_header(n) for t in TABLES.values() for n in t.names}
    english = all(h.isascii() for h in headers) and not all(f in canonical for f in folded)
    best: tuple[int, int, int, int] | None = None
    best_match: KindMatch | None = None
    for order, fk in enumerate(candidates):
        m = _map(fk.table, columns, headers)
        have = set(m.mapping.values())
        if kind is None:
            if not all(s in have for s in fk.signature):
                continue
            if fk.any_of and not any(a in have for a in fk.any_of):
                continue
            if any(a in have for a in fk.none_of):
                continue
        hints = sum(1 for h in folded for w in fk.hints if w in h)
        score = (len(m.mapping), int(fk.english == english), hints, -order)
        if best is None or score > best:
            best, best_match = score, m
            best_match.kind = fk.name

    if best_match is None:
        raise _unknown_variant(path, columns, headers, folded, english)

    table = TABLES[best_match.table]
    have = set(best_match.mapping.values())
    for req in table.required:
        if req not in have:
            col = table.column(req)
            raise FactInputError(
                path,
                f"required column {req!r} is missing (file kind: {best_match.kind})",
                fix=f"the file needs one of these headers: {', '.join(col.aliases) or req}",
                column=req,
            )
    return best_match


def _unknown_variant(path: object, columns: list[str], headers: list[str], folded: list[str],
                     english: bool) -> FactInputError:
    """The one-line error for a file no kind fits: the closest known kind and what it lacks.

    Closest: the kind whose table maps most of the file's headers (then the one whose
    language and hints fit), so a Seller Center download of an unknown variant names the
    Seller Center family it resembles and the columns that family needs.
    """
    best: tuple[int, int, int, int] | None = None
    closest = None
    lacking: list[str] = []
    for fk in FILE_KINDS.values():
        m = _map(fk.table, columns, headers)
        have = set(m.mapping.values())
        need = [c for c in fk.signature if c not in have]
        if fk.any_of and not any(a in have for a in fk.any_of):
            need.append(" or ".join(fk.any_of))
        hints = sum(1 for h in folded for w in fk.hints if w in h)
        score = (len(m.mapping), len(fk.signature) - len(need), int(fk.english == english), hints)
        if best is None or score > best:
            best, closest, lacking = score, fk, need
    seen = ", ".join(headers[:12]) + (" …" if len(headers) > 12 else "")
    if closest is None or best is None or best[0] == 0:
        tried = ", ".join(FILE_KINDS)
        return FactInputError(
            path, f"no recognised columns (tried kinds: {tried}; headers seen: {seen})",
            fix="check that this is a Compass/千川/精选联盟/TikTok export, or pass kind=... "
                "(CLI: --kind) and add missing header aliases")
    table = TABLES[closest.table]
    named = []
    for need in lacking:
        first = need.split(" or ")[0]
        aliases = [a.partition("|")[0] for a in table.column(first).aliases] if first in table.names else []
        aliases = sorted(aliases, key=lambda a: a.isascii() != closest.english)[:3]  # in the family's language
        named.append(f"{need} (e.g. {', '.join(aliases)})" if aliases else need)
    return FactInputError(
        path, f"unknown variant: closest known family is {closest.name} ({closest.label}), "
              f"which needs columns this file lacks: {'; '.join(named) or 'none'} (headers seen: {seen})",
        fix="download the export in a known layout, or pass kind=... and add the missing header aliases")
