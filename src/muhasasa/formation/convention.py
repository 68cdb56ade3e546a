"""The muhasasa convention as data: offices by community, ministries, points systems, the record.

*Muhasasa* (al-muhasasa al-ta'ifiya) is the unwritten convention that shares Iraq's offices
among its communities: a Shia Arab Prime Minister, a Kurdish President, a Sunni Arab Speaker,
deputies and vice-presidents by community, and ministries handed out in proportion to seats
by a "points system". None of it is in the 2005 Constitution. A country pack's
``convention.toml`` (``packs/<pack>/convention.toml``) or a user's own file states:

* ``[[offices]]``: each top office, the community the convention gives it, the formation
  cycles in which the sources report it (``since``/``until`` or ``cycles``; neither: every
  cycle), the rule in words and its sources;
* ``[kurdish_split]``: how the Kurdish share is divided between the PUK and the KDP, and the
  cycles in which it was contested;
* ``[[ministries]]``: the portfolios, which are *sovereign*, the community a sovereign one
  usually goes to where the sources say so (with ``community_kind``: an observed pattern is
  ``"analysis"``) and the communities of its recorded holders;
* ``[[points_systems]]``: the formulas reported per cycle, each with its ``kind``
  (``"reported"``, ``"single-source"``, ``"analysis"``), statement and sources;
* ``[[cycles]]``: for each formation cycle, the points system that applies, the cabinet size
  where one figure is sourced, the reported shares of the cabinet, and who held the top
  offices, so that :meth:`Convention.holds` can check the convention against the record.

Numbers are exact text (``"2.44"`` → 61/25); floats, unknown keys (with a suggestion),
unknown communities, offices, ministries or cycles, and conventions that cannot be satisfied
(an office given to a community the file does not list, more ministries shared out than
exist, sovereign ministries priced where none is sovereign) raise
:class:`~muhasasa.errors.InputError` naming the file, the field and the line.

>>> iraq = load_convention()
>>> iraq.top_offices("2022_sudani")["prime-minister"], iraq.office("president").community
('Shia Arab', 'Kurdish')
>>> iraq.holds("2026_zaidi")["speaker"]
True
>>> rule = iraq.points_system("2022-cf-rule")
>>> rule.seats_per_ministry, rule.seats_per_sovereign_ministry, rule.sovereign_weight
(Fraction(5, 1), Fraction(15, 1), Fraction(3, 1))
>>> rule.entitlement({"A": 60, "B": 12}, ministries=23, sovereign=5)
{'A': Fraction(12, 1), 'B': Fraction(12, 5)}
>>> allocate_ministries({"A": 60, "B": 30, "C": 15}, 10, 2, rule)
{'A': (5, 1), 'B': (1, 1), 'C': (2, 0)}
"""

from __future__ import annotations

import math
import types
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field, Strict, StringConstraints
from pydantic_core import ErrorDetails

from muhasasa.errors import InputError, UnknownNameError
from muhasasa.exact import fraction_text, to_fraction, whole_number
from muhasasa.tomlfiles import (
    KeyPath,
    StrictModel,
    TableLocator,
    field_name,
    float_problem,
    parse,
    read_bytes,
    text_problem,
)

__all__ = [
    "GENERIC_COSTS",
    "KINDS",
    "METHODS",
    "CabinetShares",
    "Convention",
    "CycleConvention",
    "Holder",
    "KurdishContest",
    "KurdishPost",
    "KurdishSplit",
    "Ministry",
    "MinistryHolder",
    "Office",
    "PointsSystem",
    "allocate_ministries",
    "load_convention",
    "load_convention_file",
]

#: How a points system is read: a price in seats, points per seat with costed posts, a
#: share of the house, or a reported split between named blocs.
METHODS = ("seat-price", "points", "proportional", "fixed-shares")
#: How well a points system is sourced.
KINDS = ("reported", "single-source", "analysis")
#: Cost keys that name a kind of post rather than one office or ministry.
GENERIC_COSTS = ("ministry", "sovereign-ministry", "minister-of-state")

# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class Office:
    """A top office and the community the convention gives it.

    ``cycles`` lists the formation cycles in which the sources report the convention for
    this office; None means every cycle of the file.
    """

    id: str
    title: str
    community: str
    sources: tuple[str, ...]
    rule: str
    cycles: tuple[str, ...] | None = None
    notes: str | None = None

    def applies(self, cycle: str) -> bool:
        """Whether the convention gives this office to its community in ``cycle``."""
        return self.cycles is None or cycle in self.cycles


@dataclass(frozen=True)
class MinistryHolder:
    """Who held a ministry in one cycle, and the holder's community as the sources give it."""

    cycle: str
    holder: str
    community: str
    sources: tuple[str, ...]
    note: str | None = None


@dataclass(frozen=True)
class Ministry:
    """A portfolio; ``sovereign`` for the five "sovereign" ministries.

    ``community`` is the community the sources say it usually goes to (None: no such
    pattern), and ``community_kind`` how that is known (``"analysis"`` for a pattern read
    off the record). ``held`` maps cycles to the recorded holder.
    """

    id: str
    title: str
    sovereign: bool
    community: str | None
    sources: tuple[str, ...]
    community_kind: str | None = None
    community_note: str | None = None
    held: Mapping[str, MinistryHolder] = field(default_factory=lambda: types.MappingProxyType({}))


@dataclass(frozen=True)
class PointsSystem:
    """A formula, reported for one cycle, by which seats buy posts.

    ``method`` says how to read it (see :data:`METHODS`). Prices are exact:
    ``seats_per_ministry`` is what an ordinary ministry costs in seats and
    ``seats_per_sovereign_ministry`` what a sovereign one costs (None where not reported;
    for a ``points`` system they follow from ``seats_per_point`` and the costs of
    ``"ministry"`` and ``"sovereign-ministry"``). ``office_costs`` are in points for a
    ``points`` system and in seats otherwise; ``cost_ranges`` keep the costs reported only as
    a range. A ``fixed-shares`` system is a reported split of ``ministries`` between the
    blocs of ``shares``.
    """

    id: str
    cycle: str
    seats_per_ministry: Fraction | None
    seats_per_sovereign_ministry: Fraction | None
    office_costs: Mapping[str, Fraction]
    kind: str
    statement: str
    sources: tuple[str, ...]
    notes: str | None = None
    method: str = "seat-price"
    seats_per_point: Fraction | None = None
    cost_ranges: Mapping[str, tuple[Fraction, Fraction]] = field(
        default_factory=lambda: types.MappingProxyType({})
    )
    ministries: int | None = None
    shares: Mapping[str, int] = field(default_factory=lambda: types.MappingProxyType({}))

    @property
    def sovereign_weight(self) -> Fraction:
        """How many ordinary ministries a sovereign one weighs: the ratio of their prices,
        or 1 where the system does not price them apart.

        >>> load_convention().points_system("2014-proportional").sovereign_weight
        Fraction(1, 1)
        """
        if self.seats_per_ministry and self.seats_per_sovereign_ministry:
            return self.seats_per_sovereign_ministry / self.seats_per_ministry
        return Fraction(1)

    def seat_cost(self, post: str) -> Fraction | None:
        """What a post (an office or ministry id, or a key of :data:`GENERIC_COSTS`) costs in
        seats under this system, or None where no exact cost is reported.

        >>> load_convention().points_system("2010-points-b").seat_cost("prime-minister")
        Fraction(122, 5)
        """
        if post == "ministry" and self.seats_per_ministry is not None:
            return self.seats_per_ministry
        if post == "sovereign-ministry" and self.seats_per_sovereign_ministry is not None:
            return self.seats_per_sovereign_ministry
        cost = self.office_costs.get(post)
        if cost is None:
            return None
        return cost * self.seats_per_point if self.method == "points" else cost

    def points(self, seats: Mapping[str, int]) -> dict[str, Fraction]:
        """Each party's points, exactly: seats ÷ ``seats_per_point`` (``points`` systems only).

        The 2010 report gave Iraqiya's 91 seats as 37 points; exactly they are 37.30.

        >>> load_convention().points_system("2010-points-b").points({"iraqiya": 91})
        {'iraqiya': Fraction(2275, 61)}
        """
        checked = _seats(seats, f"points system {self.id}")
        if self.seats_per_point is None:
            raise InputError(
                f"points system {self.id}",
                f"this is a {self.method} system; it gives no points per seat",
                field="seats_per_point",
            )
        return {party: Fraction(n) / self.seats_per_point for party, n in checked.items()}

    def entitlement(self, seats: Mapping[str, int], ministries: int, sovereign: int) -> dict[str, Fraction]:
        """The ministries each party's seats entitle it to under this rule, exactly, counted
        in ordinary ministries (a sovereign ministry counts :attr:`sovereign_weight` of them).

        * ``seat-price`` (and ``points`` with an exact ministry price): seats ÷
          ``seats_per_ministry``, whatever the cabinet's size (2022: 60 seats → 12);
        * ``proportional``: the party's share of the seats given × ``ministries`` (2014: the
          sources price no sovereign ministry apart, so each counts one);
        * ``fixed-shares``: the reported share of each named bloc (a party not named is an
          error; the cabinet size asked does not change the report).

        ``ministries`` is the cabinet's size and ``sovereign`` how many of them are
        sovereign; both are checked (``sovereign`` ≤ ``ministries``).

        >>> load_convention().points_system("2014-proportional").entitlement({"A": 2, "B": 1}, 22, 5)
        {'A': Fraction(44, 3), 'B': Fraction(22, 3)}
        """
        where = f"points system {self.id}"
        checked = _seats(seats, where)
        _cabinet(ministries, sovereign)
        if self.method == "fixed-shares":
            for party in checked:
                if party not in self.shares:
                    raise UnknownNameError(
                        f"bloc of the reported split (the rest of the {self.ministries} "
                        "ministries went to blocs the source does not name)",
                        party,
                        self.shares,
                        source=where,
                    )
            return {party: Fraction(self.shares[party]) for party in checked}
        if self.method == "proportional":
            total = sum(checked.values())
            if total == 0:
                raise InputError(where, "no party has seats: shares of nothing are undefined", field="seats")
            return {party: Fraction(n, total) * ministries for party, n in checked.items()}
        if self.seats_per_ministry is None:
            if "ministry" in self.cost_ranges:
                low, high = self.cost_ranges["ministry"]
                problem = (
                    f"an ordinary ministry costs {fraction_text(low)} to {fraction_text(high)} "
                    "points in this report, not an exact price"
                )
            else:
                problem = "no price of an ordinary ministry was reported"
            raise InputError(
                where,
                f"{problem}; use points() for the parties' points, or a convention file that "
                "states an exact cost",
                field="office_costs.ministry",
            )
        return {party: Fraction(n) / self.seats_per_ministry for party, n in checked.items()}


@dataclass(frozen=True)
class Holder:
    """Who held an office in a cycle, with the community the sources give."""

    office: str
    name: str
    community: str
    sources: tuple[str, ...]
    party: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class CabinetShares:
    """Reported shares of a cabinet: by ``"community"`` or by ``"bloc"``, as an
    ``"outcome"``, a ``"plan"`` or a ``"projection"``."""

    by: str
    basis: str
    shares: Mapping[str, int]
    sources: tuple[str, ...]
    total: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class CycleConvention:
    """The convention in one formation cycle, and the record to check it against.

    ``offices_held`` maps each office with a recorded holder to the holder's community.
    ``points_system`` is the id of the points system that applies (None where no formula
    was found); ``other_points_systems`` are competing versions reported for the cycle.
    """

    cycle: str
    points_system: str | None
    cabinet_size: int | None
    offices_held: Mapping[str, str]
    sources: tuple[str, ...]
    notes: str | None = None
    title: str = ""
    election: str | None = None
    other_points_systems: tuple[str, ...] = ()
    holders: tuple[Holder, ...] = ()
    shares: tuple[CabinetShares, ...] = ()


@dataclass(frozen=True)
class KurdishPost:
    """A post of the Kurdish share and the Kurdish party that holds it. ``cycles`` empty:
    every cycle sourced; ``federal`` is False for posts outside the federal government."""

    post: str
    party: str
    sources: tuple[str, ...]
    cycles: tuple[str, ...] = ()
    federal: bool = True
    note: str | None = None


@dataclass(frozen=True)
class KurdishContest:
    """A cycle in which the intra-Kurdish split was contested."""

    cycle: str
    summary: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class KurdishSplit:
    """How the Kurdish share is divided between the Kurdish parties."""

    rule: str
    posts: tuple[KurdishPost, ...]
    contests: tuple[KurdishContest, ...]
    sources: tuple[str, ...]
    notes: str | None = None

    def party_for(self, post: str) -> str | None:
        """The party that holds ``post`` under the split, or None if the split says nothing.

        >>> load_convention().kurdish_split.party_for("president")
        'PUK'
        """
        return next((p.party for p in self.posts if p.post == post), None)


@dataclass(frozen=True)
class Convention:
    """A validated convention file. Load it with :func:`load_convention` or
    :func:`load_convention_file`."""

    offices: tuple[Office, ...]
    ministries: tuple[Ministry, ...]
    points_systems: tuple[PointsSystem, ...]
    cycles: tuple[CycleConvention, ...]
    kurdish_split: KurdishSplit | None
    sources: tuple[str, ...]
    communities: tuple[str, ...] = ()
    id: str = ""
    title: str = ""
    notes: str | None = None
    source: str = "convention"

    def office(self, office_id: str) -> Office:
        """The office with this id.

        >>> load_convention().office("speakr")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        muhasasa.errors.UnknownNameError: ...unknown office 'speakr' (...); did you mean 'speaker'...?
        """
        return _find(self.offices, "id", office_id, "office", self.source)

    def ministry(self, ministry_id: str) -> Ministry:
        """The ministry with this id.

        >>> load_convention().ministry("foreign-affairs").community
        'Kurdish'
        """
        return _find(self.ministries, "id", ministry_id, "ministry", self.source)

    def points_system(self, system_id: str) -> PointsSystem:
        """The points system with this id."""
        return _find(self.points_systems, "id", system_id, "points system", self.source)

    def cycle(self, cycle_id: str) -> CycleConvention:
        """The formation cycle with this id."""
        return _find(self.cycles, "cycle", cycle_id, "formation cycle", self.source)

    @property
    def sovereign_ministries(self) -> tuple[Ministry, ...]:
        """The sovereign ministries, in file order.

        >>> [m.id for m in load_convention().sovereign_ministries]
        ['foreign-affairs', 'oil', 'interior', 'defence', 'finance']
        """
        return tuple(m for m in self.ministries if m.sovereign)

    def cycle_points_system(self, cycle_id: str) -> PointsSystem | None:
        """The points system that applies in a cycle, or None where no formula was found.

        >>> load_convention().cycle_points_system("2022_sudani").id
        '2022-cf-rule'
        """
        chosen = self.cycle(cycle_id).points_system
        return None if chosen is None else self.points_system(chosen)

    def top_offices(self, cycle: str | None = None) -> dict[str, str]:
        """Office → the community the convention gives it: every office of the file, or with
        ``cycle`` only those the sources report for that cycle.

        >>> load_convention().top_offices("2010_maliki2")["second-deputy-speaker"]
        'Kurdish'
        """
        if cycle is None:
            return {o.id: o.community for o in self.offices}
        self.cycle(cycle)
        return {o.id: o.community for o in self.offices if o.applies(cycle)}

    def holds(self, cycle: str) -> dict[str, bool]:
        """For the record: whether each office the convention assigns in ``cycle`` went to
        its conventional community. Offices without a recorded holder are left out.

        >>> load_convention().holds("2014_abadi")["president"]
        True
        """
        held = self.cycle(cycle).offices_held
        return {
            office: held[office] == community
            for office, community in self.top_offices(cycle).items()
            if office in held
        }


def _find(items: Iterable[Any], attr: str, name: str, kind: str, source: str) -> Any:
    items = tuple(items)
    for item in items:
        if getattr(item, attr) == name:
            return item
    raise UnknownNameError(kind, name, (getattr(i, attr) for i in items), source=source)


# --------------------------------------------------------------------------- allocating


def _seats(seats: Mapping[str, int], where: str) -> dict[str, int]:
    if not isinstance(seats, Mapping) or not seats:
        raise InputError(where, "seats must be a non-empty mapping party -> seats", field="seats")
    checked: dict[str, int] = {}
    for party, n in seats.items():
        if type(party) is not str or not party.strip():
            raise InputError(where, f"party names must be non-empty text, got {party!r}", field="seats")
        checked[party] = whole_number(n, f"seats of {party!r}", where, field=party)
    return checked


def _cabinet(ministries: int, sovereign: int) -> None:
    ministries = whole_number(ministries, "the number of ministries", "argument", field="ministries")
    sovereign = whole_number(sovereign, "the number of sovereign ministries", "argument", field="sovereign")
    if sovereign > ministries:
        raise InputError(
            "argument",
            f"{sovereign} sovereign ministries asked but the cabinet has only {ministries} ministries",
            field="sovereign",
        )


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
        raise InputError(
            f"points system {system.id}", "no party is entitled to anything: nothing to share", field="seats"
        )
    weight = system.sovereign_weight
    units = ordinary + weight * sovereign
    scaled = {party: units * e / total for party, e in entitled.items()}
    top = allocate(_whole_weights(scaled), sovereign, "largest-remainder", tie_break=tie_break, seed=seed)
    claims = {party: max(scaled[party] - weight * top.seats[party], Fraction(0)) for party in scaled}
    rest = allocate(_whole_weights(claims), ordinary, "largest-remainder", tie_break=tie_break, seed=seed)
    return {party: (rest.seats[party], top.seats[party]) for party in entitled}


# --------------------------------------------------------------------------- schema

Text = Annotated[str, Strict(), StringConstraints(pattern=r"\S")]
Ident = Annotated[str, Strict(), StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
Url = Annotated[str, Strict(), StringConstraints(pattern=r"^https?://\S+$")]
Positive = Annotated[int, Strict(), Field(ge=1)]
Count = Annotated[int, Strict(), Field(ge=0)]
Sources = Annotated[tuple[Url, ...], Field(min_length=1)]
StrictBool = Annotated[bool, Strict()]


def _exact(value: object) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, str):
        # pydantic turns only ValueError into a located validation error
        raise ValueError(f'give the number as text so it stays exact, e.g. "{value}"')  # noqa: TRY004
    try:
        number = to_fraction(value, what="number")
    except (ValueError, ZeroDivisionError):
        raise ValueError(f'{value!r} is not an exact number like "5", "2.44" or "1/2"') from None
    if number <= 0:
        raise ValueError(f"must be more than zero, got {value!r}")
    return number


Exact = Annotated[Fraction, BeforeValidator(_exact)]


class _Office(StrictModel):
    id: Ident
    title: Text
    community: Text
    since: Ident | None = None
    until: Ident | None = None
    cycles: Annotated[tuple[Ident, ...], Field(min_length=1)] | None = None
    rule: Text
    sources: Sources
    notes: Text | None = None


class _KurdishPost(StrictModel):
    post: Ident
    party: Text
    federal: StrictBool = True
    cycles: tuple[Ident, ...] = ()
    note: Text | None = None
    sources: Sources


class _KurdishContest(StrictModel):
    cycle: Ident
    summary: Text
    sources: Sources


class _KurdishSplit(StrictModel):
    rule: Text
    sources: Sources
    notes: Text | None = None
    posts: tuple[_KurdishPost, ...] = ()
    contests: tuple[_KurdishContest, ...] = ()


class _Held(StrictModel):
    cycle: Ident
    holder: Text
    community: Text
    note: Text | None = None
    sources: Sources


class _Ministry(StrictModel):
    id: Ident
    title: Text
    sovereign: StrictBool
    community: Text | None = None
    community_kind: Literal["convention", "reported", "analysis"] | None = None
    community_note: Text | None = None
    sources: Sources
    held: tuple[_Held, ...] = ()


class _PointsSystem(StrictModel):
    id: Ident
    cycle: Ident
    method: Literal["seat-price", "points", "proportional", "fixed-shares"]
    kind: Literal["reported", "single-source", "analysis"]
    statement: Text
    seats_per_ministry: Exact | None = None
    seats_per_sovereign_ministry: Exact | None = None
    seats_per_point: Exact | None = None
    office_costs: dict[Ident, Exact] = Field(default_factory=dict)
    cost_ranges: dict[Ident, tuple[Exact, Exact]] = Field(default_factory=dict)
    ministries: Positive | None = None
    shares: dict[Text, Count] = Field(default_factory=dict)
    notes: Text | None = None
    sources: Sources


class _Shares(StrictModel):
    by: Literal["community", "bloc"]
    basis: Literal["outcome", "plan", "projection"]
    shares: Annotated[dict[Text, Count], Field(min_length=1)]
    total: Positive | None = None
    note: Text | None = None
    sources: Sources


class _Holder(StrictModel):
    office: Ident
    name: Text
    community: Text
    party: Text | None = None
    note: Text | None = None
    sources: Sources


class _Cycle(StrictModel):
    id: Ident
    title: Text
    election: Ident | None = None
    points_system: Ident | None = None
    other_points_systems: tuple[Ident, ...] = ()
    cabinet_size: Positive | None = None
    notes: Text | None = None
    sources: Sources
    shares: tuple[_Shares, ...] = ()
    holders: tuple[_Holder, ...] = ()


class _File(StrictModel):
    id: Ident
    title: Text
    notes: Text | None = None
    sources: Sources
    communities: Annotated[tuple[Text, ...], Field(min_length=1)]
    offices: Annotated[tuple[_Office, ...], Field(min_length=1)]
    kurdish_split: _KurdishSplit | None = None
    ministries: tuple[_Ministry, ...] = ()
    points_systems: tuple[_PointsSystem, ...] = ()
    cycles: Annotated[tuple[_Cycle, ...], Field(min_length=1)]


# --------------------------------------------------------------------------- public API

_FILE_NAME = "convention.toml"


def load_convention(pack: str | None = None) -> Convention:
    """The convention of a pack's main body, validated and cached by the pack.

    >>> load_convention().cycle("2022_sudani").cycle
    '2022_sudani'
    """
    from muhasasa import packs

    chosen = packs.load(pack)
    return chosen._once(("convention",), lambda: _load_from(chosen))


def _load_from(chosen) -> Convention:
    found = chosen.body().file(_FILE_NAME)
    if found is None:
        raise InputError(chosen.display, "the pack's main body has no convention.toml", field="pack")
    return _load_text(found[1], found[0])


def load_convention_file(path: str | Path) -> Convention:
    """A convention from a user's own TOML file (a scenario that lifts or changes the
    convention, say), validated exactly like the bundled one."""
    path = Path(path)
    return _load_text(read_bytes(path, "convention"), str(path))


# --------------------------------------------------------------------------- loading


def _load_text(data: bytes, source: str) -> Convention:
    text, raw = parse(data, source)
    where = _Where(source, text, raw)
    where.refuse_floats(lambda value, key: float_problem(value, key, ratio="1/2"))
    model = where.validate(_File)
    _check(model, where)
    return _build(model, source)


class _Where(TableLocator):
    """Names a path into the raw TOML for people (``points_systems[2022-cf-rule].kind``),
    finds its line, and raises there."""

    def field(self, path: KeyPath) -> str:
        return field_name(self.raw, path, _label)

    def describe(self, error: ErrorDetails, path: KeyPath, schema: type[BaseModel]) -> str:
        problem = text_problem(error, path, ids="letters, digits, '-', '_', '.'")
        return super().describe(error, path, schema) if problem is None else problem


def _label(item: Any) -> str | None:
    if isinstance(item, Mapping):
        for key in ("id", "office", "post", "cycle"):
            if isinstance(item.get(key), str):
                return item[key]
    return None


# --------------------------------------------------------------------------- cross checks


def _known(name: str, known: Mapping[str, int] | tuple[str, ...], kind: str, at: KeyPath, where: _Where) -> None:
    if name not in known:
        raise where.unknown(kind, name, known, at)


def _check(model: _File, where: _Where) -> None:
    communities: dict[str, int] = {}
    for index, community in enumerate(model.communities):
        if community in communities:
            raise where.error(("communities", index), f"duplicate community {community!r}")
        communities[community] = index
    cycles = where.unique(model.cycles, "id", ("cycles",), "formation cycle")
    offices = where.unique(model.offices, "id", ("offices",), "office")
    ministries = where.unique(model.ministries, "id", ("ministries",), "ministry")
    systems = where.unique(model.points_systems, "id", ("points_systems",), "points system")
    for name, index in ministries.items():
        if name in offices:
            raise where.error(
                ("ministries", index, "id"), f"{name!r} is already an office id; office and ministry ids must differ"
            )
    posts = {**offices, **ministries}

    for index, office in enumerate(model.offices):
        at: KeyPath = ("offices", index)
        _known(office.community, communities, "community (not in communities)", (*at, "community"), where)
        if office.cycles is not None and (office.since is not None or office.until is not None):
            raise where.error((*at, "cycles"), "give either cycles or since/until, not both")
        for key in ("since", "until"):
            name = getattr(office, key)
            if name is not None:
                _known(name, cycles, "formation cycle", (*at, key), where)
        if office.since is not None and office.until is not None and cycles[office.since] > cycles[office.until]:
            raise where.error((*at, "until"), f"{office.until!r} comes before since = {office.since!r}")
        for position, name in enumerate(office.cycles or ()):
            _known(name, cycles, "formation cycle", (*at, "cycles", position), where)
        if office.cycles is not None and len(set(office.cycles)) != len(office.cycles):
            raise where.error((*at, "cycles"), "a cycle is listed twice")

    for index, ministry in enumerate(model.ministries):
        at = ("ministries", index)
        if ministry.community is not None:
            _known(ministry.community, communities, "community (not in communities)", (*at, "community"), where)
            if ministry.community_kind is None:
                raise where.error(
                    (*at, "community"),
                    'say how the community is known: community_kind = "convention", "reported" or "analysis"',
                )
        elif ministry.community_kind is not None:
            raise where.error((*at, "community_kind"), "community_kind needs a community")
        where.unique(ministry.held, "cycle", (*at, "held"), "cycle")
        for position, held in enumerate(ministry.held):
            _known(held.cycle, cycles, "formation cycle", (*at, "held", position, "cycle"), where)
            _known(held.community, communities, "community (not in communities)", (*at, "held", position, "community"), where)

    sovereign = sum(m.sovereign for m in model.ministries)
    for index, system in enumerate(model.points_systems):
        _check_system(system, ("points_systems", index), cycles, posts, sovereign, where)

    for index, cycle in enumerate(model.cycles):
        _check_cycle(model, cycle, ("cycles", index), offices, systems, communities, where)

    split = model.kurdish_split
    if split is not None:
        for index, post in enumerate(split.posts):
            at = ("kurdish_split", "posts", index)
            if post.federal:
                _known(post.post, posts, "office or ministry (federal = false for other posts)", (*at, "post"), where)
            for position, name in enumerate(post.cycles):
                _known(name, cycles, "formation cycle", (*at, "cycles", position), where)
        for index, contest in enumerate(split.contests):
            _known(contest.cycle, cycles, "formation cycle", ("kurdish_split", "contests", index, "cycle"), where)


_NEEDS: Mapping[str, tuple[str, ...]] = {
    "seat-price": ("seats_per_ministry",),
    "points": ("seats_per_point",),
    "proportional": (),
    "fixed-shares": ("ministries", "shares"),
}
_FORBIDS: Mapping[str, tuple[str, ...]] = {
    "seat-price": ("seats_per_point", "ministries", "shares"),
    "points": ("seats_per_ministry", "seats_per_sovereign_ministry", "ministries", "shares"),
    "proportional": (
        "seats_per_ministry", "seats_per_sovereign_ministry", "seats_per_point", "ministries", "shares",
    ),
    "fixed-shares": ("seats_per_ministry", "seats_per_sovereign_ministry", "seats_per_point"),
}


def _check_system(
    system: _PointsSystem,
    at: KeyPath,
    cycles: Mapping[str, int],
    posts: Mapping[str, int],
    sovereign: int,
    where: _Where,
) -> None:
    _known(system.cycle, cycles, "formation cycle", (*at, "cycle"), where)
    for key in _NEEDS[system.method]:
        if not getattr(system, key):
            raise where.error((*at, key), f"a {system.method} system needs {key}")
    for key in _FORBIDS[system.method]:
        if getattr(system, key):
            raise where.error((*at, key), f"{key} has no meaning in a {system.method} system (method = {system.method!r})")
    if system.method == "fixed-shares" and system.ministries is not None:
        shared = sum(system.shares.values())
        if shared > system.ministries:
            raise where.error(
                (*at, "shares"), f"the shares hand out {shared} ministries but only {system.ministries} exist"
            )
    allowed = (*posts, *GENERIC_COSTS)
    for table in ("office_costs", "cost_ranges"):
        for key in getattr(system, table):
            _known(key, allowed, "office, ministry or kind of post", (*at, table, key), where)
            if system.method == "seat-price" and key in ("ministry", "sovereign-ministry"):
                raise where.error(
                    (*at, table, key),
                    "a seat-price system states these as seats_per_ministry and seats_per_sovereign_ministry",
                )
    for key, (low, high) in system.cost_ranges.items():
        if low >= high:
            raise where.error((*at, "cost_ranges", key), "a range runs from a lower to a higher cost")
        if key in system.office_costs:
            raise where.error((*at, "cost_ranges", key), f"{key!r} has an exact cost in office_costs too")
    prices_sovereign = (
        system.seats_per_sovereign_ministry is not None
        or "sovereign-ministry" in system.office_costs
        or "sovereign-ministry" in system.cost_ranges
    )
    if prices_sovereign and sovereign == 0:
        raise where.error(
            (*at, "seats_per_sovereign_ministry" if system.seats_per_sovereign_ministry else "office_costs"),
            "sovereign ministries are priced but no ministry of [[ministries]] is sovereign = true",
        )


def _check_cycle(
    model: _File,
    cycle: _Cycle,
    at: KeyPath,
    offices: Mapping[str, int],
    systems: Mapping[str, int],
    communities: Mapping[str, int],
    where: _Where,
) -> None:
    named = [("points_system", cycle.points_system)] if cycle.points_system else []
    named += [(("other_points_systems", i), s) for i, s in enumerate(cycle.other_points_systems)]
    seen: set[str] = set()
    for key, name in named:
        path = (*at, *key) if isinstance(key, tuple) else (*at, key)
        _known(name, systems, "points system", path, where)
        system = model.points_systems[systems[name]]
        if system.cycle != cycle.id:
            raise where.error(path, f"points system {name!r} is reported for cycle {system.cycle!r}, not {cycle.id!r}")
        if name in seen:
            raise where.error(path, f"points system {name!r} is listed twice")
        seen.add(name)
    if cycle.other_points_systems and cycle.points_system is None:
        raise where.error((*at, "other_points_systems"), "name the points system that applies first (points_system)")
    for index, system in enumerate(model.points_systems):
        if system.cycle == cycle.id and system.id not in seen:
            raise where.error(
                ("points_systems", index, "cycle"),
                f"cycle {cycle.id!r} does not list points system {system.id!r} "
                "(points_system or other_points_systems)",
            )
    where.unique(cycle.holders, "office", (*at, "holders"), "office")
    for index, holder in enumerate(cycle.holders):
        _known(holder.office, offices, "office", (*at, "holders", index, "office"), where)
        _known(holder.community, communities, "community (not in communities)", (*at, "holders", index, "community"), where)
    for index, shares in enumerate(cycle.shares):
        share_at = (*at, "shares", index)
        if shares.by == "community":
            for name in shares.shares:
                _known(name, communities, "community (not in communities)", (*share_at, "shares", name), where)
        if shares.total is not None and sum(shares.shares.values()) != shares.total:
            raise where.error(
                (*share_at, "total"),
                f"the shares add up to {sum(shares.shares.values())}, not total = {shares.total}",
            )


# --------------------------------------------------------------------------- building values


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return types.MappingProxyType(dict(mapping))


def _office(model: _Office, order: tuple[str, ...]) -> Office:
    if model.cycles is not None:
        cycles: tuple[str, ...] | None = model.cycles
    elif model.since is None and model.until is None:
        cycles = None
    else:
        start = order.index(model.since) if model.since else 0
        end = order.index(model.until) + 1 if model.until else len(order)
        cycles = None if (start, end) == (0, len(order)) else order[start:end]
    return Office(model.id, model.title, model.community, model.sources, model.rule, cycles, model.notes)


def _system(model: _PointsSystem) -> PointsSystem:
    per_ministry = model.seats_per_ministry
    per_sovereign = model.seats_per_sovereign_ministry
    if model.method == "points" and model.seats_per_point is not None:
        if "ministry" in model.office_costs:
            per_ministry = model.seats_per_point * model.office_costs["ministry"]
        if "sovereign-ministry" in model.office_costs:
            per_sovereign = model.seats_per_point * model.office_costs["sovereign-ministry"]
    return PointsSystem(
        id=model.id,
        cycle=model.cycle,
        seats_per_ministry=per_ministry,
        seats_per_sovereign_ministry=per_sovereign,
        office_costs=_frozen(model.office_costs),
        kind=model.kind,
        statement=model.statement,
        sources=model.sources,
        notes=model.notes,
        method=model.method,
        seats_per_point=model.seats_per_point,
        cost_ranges=_frozen(model.cost_ranges),
        ministries=model.ministries,
        shares=_frozen(model.shares),
    )


def _cycle(model: _Cycle) -> CycleConvention:
    holders = tuple(Holder(h.office, h.name, h.community, h.sources, h.party, h.note) for h in model.holders)
    return CycleConvention(
        cycle=model.id,
        points_system=model.points_system,
        cabinet_size=model.cabinet_size,
        offices_held=_frozen({h.office: h.community for h in holders}),
        sources=model.sources,
        notes=model.notes,
        title=model.title,
        election=model.election,
        other_points_systems=model.other_points_systems,
        holders=holders,
        shares=tuple(
            CabinetShares(s.by, s.basis, _frozen(s.shares), s.sources, s.total, s.note) for s in model.shares
        ),
    )


def _build(model: _File, source: str) -> Convention:
    order = tuple(c.id for c in model.cycles)
    split = model.kurdish_split
    return Convention(
        offices=tuple(_office(o, order) for o in model.offices),
        ministries=tuple(
            Ministry(
                id=m.id,
                title=m.title,
                sovereign=m.sovereign,
                community=m.community,
                sources=m.sources,
                community_kind=m.community_kind,
                community_note=m.community_note,
                held=_frozen(
                    {h.cycle: MinistryHolder(h.cycle, h.holder, h.community, h.sources, h.note) for h in m.held}
                ),
            )
            for m in model.ministries
        ),
        points_systems=tuple(_system(s) for s in model.points_systems),
        cycles=tuple(_cycle(c) for c in model.cycles),
        kurdish_split=None
        if split is None
        else KurdishSplit(
            rule=split.rule,
            posts=tuple(
                KurdishPost(p.post, p.party, p.sources, p.cycles, p.federal, p.note) for p in split.posts
            ),
            contests=tuple(KurdishContest(c.cycle, c.summary, c.sources) for c in split.contests),
            sources=split.sources,
            notes=split.notes,
        ),
        sources=model.sources,
        communities=model.communities,
        id=model.id,
        title=model.title,
        notes=model.notes,
        source=source,
    )
