"""The muhasasa convention in formation: ministries shared by a cycle's points system.

The convention file itself (offices by community, ministries, points systems, the record of
who held what, the model's steps) is pack data, read by
:mod:`muhasasa.packs.schema.convention` through the pack (``pack.convention(body)``); this
module adds what formation does with it:
:func:`allocate_ministries`, the share-out of a cabinet by a points system.

>>> iraq = load_convention()
>>> iraq.top_offices("2022_sudani")["prime-minister"], iraq.office("president").community
('Shia Arab', 'Kurdish')
>>> allocate_ministries({"A": 60, "B": 30, "C": 15}, 10, 2, iraq.points_system("2022-cf-rule"))
{'A': (5, 1), 'B': (1, 1), 'C': (2, 0)}
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path

from muhasasa import packs
from muhasasa.errors import InputError
from muhasasa.packs.schema.convention import Convention, PointsSystem

__all__ = ["allocate_ministries", "load_convention", "load_convention_file"]


def load_convention(pack: packs.PackLike = None, body: str | None = None) -> Convention:
    """The convention of a pack's body (the main body of the default pack when none is named)."""
    return packs.load(pack).convention(body)


def load_convention_file(path: str | Path, pack: packs.PackLike = None) -> Convention:
    """A convention from a user's own TOML file, validated exactly like the pack's."""
    return packs.load(pack).convention_file(path)


def _whole_weights(values: Mapping[str, Fraction]) -> dict[str, int]:
    """Exact fractions scaled to whole numbers by the common denominator (largest
    remainder is unchanged by scaling)."""
    common = math.lcm(*(v.denominator for v in values.values())) if values else 1
    return {party: int(v * common) for party, v in values.items()}


def allocate_ministries(
    weights: Mapping[str, int],
    ministries: int,
    sovereign: int,
    system: PointsSystem,
    *,
    tie_break: str = "refuse",
    seed: int | None = None,
) -> dict[str, tuple[int, int]]:
    """Share ``ministries`` (``sovereign`` of them sovereign) among parties by a points
    system: party → (ordinary ministries, sovereign ministries), exactly.

    ``weights`` are the parties' seats (for a ``fixed-shares`` system, the named blocs).
    The sources give prices or shares, not how fractions are settled; this is the
    project's reading, in three steps:

    1. The cabinet is worth U = (ministries − sovereign) + w · sovereign ordinary
       ministries, where w is the system's :attr:`~PointsSystem.sovereign_weight` (3 under
       the 2022 rule: 15 seats against 5; 1 where no separate price is reported). Each
       party's :meth:`~PointsSystem.entitlement` is scaled to U, e = U · E ÷ ΣE, so the
       parties given (a coalition, say) share the whole cabinet in proportion.
    2. The sovereign ministries go by largest remainder (Hare) on e.
    3. Each party's claim on the ordinary ministries is what is left of e after paying w
       for each sovereign ministry won (never below zero); the ordinary ministries go by
       largest remainder (Hare) on those claims.

    Both steps use :func:`muhasasa.allocate` with method ``"largest-remainder"`` on the
    exact claims scaled to whole numbers. A tie for the last ministry raises
    :class:`~muhasasa.errors.TieError` unless ``tie_break="lot"`` (seeded by ``seed``).

    >>> rule = load_convention().points_system("2022-cf-rule")
    >>> allocate_ministries({"CF": 130, "KDP": 31, "Sovereignty": 62}, 23, 5, rule)
    {'CF': (10, 3), 'KDP': (2, 1), 'Sovereignty': (6, 1)}
    """
    from muhasasa.methods import allocate

    entitled = system.entitlement(weights, ministries, sovereign)
    if ministries == 0:
        return {party: (0, 0) for party in entitled}
    ordinary = ministries - sovereign
    total = sum(entitled.values())
    if total == 0:
        raise InputError(f"points system {system.id}", "no party is entitled to anything: nothing to share",
                         field="seats")
    weight = system.sovereign_weight
    units = ordinary + weight * sovereign
    scaled = {party: units * e / total for party, e in entitled.items()}
    top = allocate(_whole_weights(scaled), sovereign, "largest-remainder", tie_break=tie_break, seed=seed)
    claims = {party: max(scaled[party] - weight * top.seats[party], Fraction(0)) for party in scaled}
    rest = allocate(_whole_weights(claims), ordinary, "largest-remainder", tie_break=tie_break, seed=seed)
    return {party: (rest.seats[party], top.seats[party]) for party in entitled}
