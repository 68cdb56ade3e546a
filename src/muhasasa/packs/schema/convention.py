"""``convention.toml``: the muhasasa convention as data — offices by community, ministries,
points systems, the record of who held what, and how the formation model walks the steps.

*Muhasasa* (al-muhasasa al-ta'ifiya) is the unwritten convention that shares a country's
offices among its communities. None of it is constitutional law. A body's
``convention.toml`` (or a user's own file) states:

* ``[[offices]]``: each top office, the community the convention gives it, the formation
  cycles in which the sources report it (``since``/``until`` or ``cycles``; neither: every
  cycle), the rule in words and its sources;
* ``[community_split]``: how one community's share is divided between its parties;
* ``[[ministries]]``: the portfolios, which are *sovereign*, the community a sovereign one
  usually goes to where the sources say so, and the recorded holders;
* ``[[points_systems]]``: the formulas reported per cycle (``kind``: ``"reported"``,
  ``"single-source"``, ``"analysis"``);
* ``[[cycles]]``: per formation cycle, the points system that applies, the cabinet size, the
  reported shares and who held the top offices (``formation_cycle`` names the row of the
  body's ``formation/cycles.csv`` it belongs to);
* ``[formation]``: the rules the formation model reads — the steps in order (each the
  constitution's decision that seats one office of ``[[offices]]``, with its deadlines), the
  first-session deadline and the horizon after which a cycle counts as not formed.

The schema is the value: :class:`Convention` and its parts are frozen pydantic models with
their checks, read by :func:`load_convention_bytes` through :func:`muhasasa.packs.toml.load_toml`.
Numbers are exact text (``"2.44"`` → 61/25).

>>> import muhasasa.packs as packs
>>> iraq = packs.load("iraq").convention()
>>> iraq.top_offices("2022_sudani")["prime-minister"], iraq.office("president").community
('Shia Arab', 'Kurdish')
>>> rule = iraq.points_system("2022-cf-rule")
>>> rule.seats_per_ministry, rule.seats_per_sovereign_ministry, rule.sovereign_weight
(Fraction(5, 1), Fraction(15, 1), Fraction(3, 1))
>>> rule.entitlement({"A": 60, "B": 12}, ministries=23, sovereign=5)
{'A': Fraction(12, 1), 'B': Fraction(12, 5)}
>>> [s.office for s in iraq.formation.steps]
['speaker', 'president', 'prime-minister']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
    PrivateAttr,
    Strict,
    ValidationInfo,
    model_validator,
)

from muhasasa.errors import InputError, UnknownNameError
from muhasasa.exact import fraction_text, to_fraction, whole_number
from muhasasa.packs.schema.types import Count, Ident, Positive, Sources, Text
from muhasasa.packs.toml import KeyPath, Problem, StrictModel, load_toml

__all__ = [
    "GENERIC_COSTS",
    "KINDS",
    "METHODS",
    "CabinetShares",
    "CommunitySplit",
    "Convention",
    "CycleConvention",
    "FormationRules",
    "FormationStep",
    "Holder",
    "Ministry",
    "MinistryHolder",
    "Office",
    "PointsSystem",
    "SplitContest",
    "SplitPost",
    "load_convention_bytes",
]

#: How a points system is read: a price in seats, points per seat with costed posts, a
#: share of the house, or a reported split between named blocs.
METHODS = ("seat-price", "points", "proportional", "fixed-shares")
#: How well a points system is sourced.
KINDS = ("reported", "single-source", "analysis")
#: Cost keys that name a kind of post rather than one office or ministry.
GENERIC_COSTS = ("ministry", "sovereign-ministry", "minister-of-state")

StrictBool = Annotated[bool, Strict()]


def _exact(value: object) -> Fraction:
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool) or not isinstance(value, str):
        # pydantic turns only ValueError into a located validation error
        raise ValueError(f'give the number as text so it stays exact, e.g. "{value}"')
    try:
        number = to_fraction(value, what="number")
    except (ValueError, ZeroDivisionError):
        raise ValueError(f'{value!r} is not an exact number like "5", "2.44" or "1/2"') from None
    if number <= 0:
        raise ValueError(f"must be more than zero, got {value!r}")
    return number


Exact = Annotated[Fraction, BeforeValidator(_exact)]


# --------------------------------------------------------------------------- parts


class Office(StrictModel):
    """A top office and the community the convention gives it (in the cycles of
    ``since``/``until`` or ``cycles``; neither: every cycle of the file)."""

    id: Ident
    title: Text
    community: Text
    since: Ident | None = None
    until: Ident | None = None
    cycles: Annotated[tuple[Ident, ...], Field(min_length=1)] | None = None
    rule: Text
    sources: Sources
    notes: Text | None = None

    _span: tuple[str, ...] | None = PrivateAttr(default=None)

    @property
    def span(self) -> tuple[str, ...] | None:
        """The cycles in which the convention gives this office to its community (None: every)."""
        return self.cycles if self.cycles is not None else self._span

    def applies(self, cycle: str) -> bool:
        """Whether the convention gives this office to its community in ``cycle``."""
        return self.span is None or cycle in self.span


class SplitPost(StrictModel):
    """A post of the split share and the party that holds it (``cycles`` empty: every cycle)."""

    post: Ident
    party: Text
    federal: StrictBool = True
    cycles: tuple[Ident, ...] = ()
    note: Text | None = None
    sources: Sources


class SplitContest(StrictModel):
    """A cycle in which the split was contested."""

    cycle: Ident
    summary: Text
    sources: Sources


class CommunitySplit(StrictModel):
    """How one community's share is divided between its parties."""

    community: Text
    rule: Text
    sources: Sources
    notes: Text | None = None
    posts: tuple[SplitPost, ...] = ()
    contests: tuple[SplitContest, ...] = ()

    def party_for(self, post: str) -> str | None:
        """The party that holds ``post`` under the split, or None if the split says nothing.

        >>> import muhasasa.packs as packs
        >>> packs.load("iraq").convention().community_split.party_for("president")
        'PUK'
        """
        return next((p.party for p in self.posts if p.post == post), None)


class MinistryHolder(StrictModel):
    """Who held a ministry in one cycle, and the holder's community as the sources give it."""

    cycle: Ident
    holder: Text
    community: Text
    note: Text | None = None
    sources: Sources


class Ministry(StrictModel):
    """A portfolio; ``sovereign`` for the "sovereign" ministries; ``community`` the one the
    sources say it usually goes to, and ``community_kind`` how that is known."""

    id: Ident
    title: Text
    sovereign: StrictBool
    community: Text | None = None
    community_kind: Literal["convention", "reported", "analysis"] | None = None
    community_note: Text | None = None
    sources: Sources
    held: tuple[MinistryHolder, ...] = ()

    def holder(self, cycle: str) -> MinistryHolder:
        """The recorded holder in ``cycle``."""
        return _find(self.held, "cycle", cycle, "cycle with a recorded holder")


class PointsSystem(StrictModel):
    """A formula, reported for one cycle, by which seats buy posts.

    ``method`` says how to read it (:data:`METHODS`). Prices are exact: for a ``points``
    system, :attr:`seats_per_ministry` and :attr:`seats_per_sovereign_ministry` follow from
    ``seats_per_point`` and the costs of ``"ministry"`` and ``"sovereign-ministry"``.
    """

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

    _given: frozenset[str] = PrivateAttr(default=frozenset())

    @model_validator(mode="after")
    def _derived(self) -> PointsSystem:
        self._given = frozenset(k for k in ("seats_per_ministry", "seats_per_sovereign_ministry")
                                if getattr(self, k) is not None)
        if self.method == "points" and self.seats_per_point is not None:
            # the prices in seats follow from the points (set once, while validating)
            if "ministry" in self.office_costs:
                object.__setattr__(self, "seats_per_ministry", self.seats_per_point * self.office_costs["ministry"])
            if "sovereign-ministry" in self.office_costs:
                object.__setattr__(self, "seats_per_sovereign_ministry",
                                   self.seats_per_point * self.office_costs["sovereign-ministry"])
        return self

    def given(self, key: str) -> bool:
        """Whether the file wrote ``key`` (the prices of a points system are derived)."""
        if key in ("seats_per_ministry", "seats_per_sovereign_ministry"):
            return key in self._given
        return bool(getattr(self, key))

    @property
    def sovereign_weight(self) -> Fraction:
        """How many ordinary ministries a sovereign one weighs: the ratio of their prices,
        or 1 where the system does not price them apart."""
        if self.seats_per_ministry and self.seats_per_sovereign_ministry:
            return self.seats_per_sovereign_ministry / self.seats_per_ministry
        return Fraction(1)

    def seat_cost(self, post: str) -> Fraction | None:
        """What a post (an office or ministry id, or a key of :data:`GENERIC_COSTS`) costs in
        seats under this system, or None where no exact cost is reported.

        >>> import muhasasa.packs as packs
        >>> packs.load("iraq").convention().points_system("2010-points-b").seat_cost("prime-minister")
        Fraction(122, 5)
        """
        if post == "ministry" and self.seats_per_ministry is not None:
            return self.seats_per_ministry
        if post == "sovereign-ministry" and self.seats_per_sovereign_ministry is not None:
            return self.seats_per_sovereign_ministry
        cost = self.office_costs.get(post)
        if cost is None:
            return None
        return cost * self.seats_per_point if self.method == "points" and self.seats_per_point else cost

    def points(self, seats: Mapping[str, int]) -> dict[str, Fraction]:
        """Each party's points, exactly: seats ÷ ``seats_per_point`` (``points`` systems only)."""
        checked = seats_of(seats, f"points system {self.id}")
        if self.seats_per_point is None:
            raise InputError(f"points system {self.id}", f"this is a {self.method} system; it gives no points per seat",
                             field="seats_per_point")
        return {party: Fraction(n) / self.seats_per_point for party, n in checked.items()}

    def can_share(self, parties: Iterable[str]) -> bool:
        """Whether :meth:`entitlement` is defined for these parties (an exact price, or a
        reported split that names every one of them)."""
        if self.method == "fixed-shares":
            return all(p in self.shares for p in parties)
        return self.method == "proportional" or self.seats_per_ministry is not None

    def entitlement(self, seats: Mapping[str, int], ministries: int, sovereign: int) -> dict[str, Fraction]:
        """The ministries each party's seats entitle it to, exactly, counted in ordinary
        ministries (a sovereign one counts :attr:`sovereign_weight` of them).

        * ``seat-price`` (and ``points`` with an exact ministry price): seats ÷ ``seats_per_ministry``;
        * ``proportional``: the party's share of the seats given × ``ministries``;
        * ``fixed-shares``: the reported share of each named bloc (a party not named is an error).

        >>> import muhasasa.packs as packs
        >>> packs.load("iraq").convention().points_system("2014-proportional").entitlement({"A": 2, "B": 1}, 22, 5)
        {'A': Fraction(44, 3), 'B': Fraction(22, 3)}
        """
        where = f"points system {self.id}"
        checked = seats_of(seats, where)
        check_cabinet(ministries, sovereign)
        if self.method == "fixed-shares":
            for party in checked:
                if party not in self.shares:
                    raise UnknownNameError(
                        f"bloc of the reported split (the rest of the {self.ministries} "
                        "ministries went to blocs the source does not name)", party, self.shares, source=where)
            return {party: Fraction(self.shares[party]) for party in checked}
        if self.method == "proportional":
            total = sum(checked.values())
            if total == 0:
                raise InputError(where, "no party has seats: shares of nothing are undefined", field="seats")
            return {party: Fraction(n, total) * ministries for party, n in checked.items()}
        if self.seats_per_ministry is None:
            if "ministry" in self.cost_ranges:
                low, high = self.cost_ranges["ministry"]
                problem = (f"an ordinary ministry costs {fraction_text(low)} to {fraction_text(high)} "
                           "points in this report, not an exact price")
            else:
                problem = "no price of an ordinary ministry was reported"
            raise InputError(where, f"{problem}; use points() for the parties' points, or a convention file that "
                                    "states an exact cost", field="office_costs.ministry")
        return {party: Fraction(n) / self.seats_per_ministry for party, n in checked.items()}


class CabinetShares(StrictModel):
    """Reported shares of a cabinet: by ``"community"`` or by ``"bloc"``, as an
    ``"outcome"``, a ``"plan"`` or a ``"projection"``."""

    by: Literal["community", "bloc"]
    basis: Literal["outcome", "plan", "projection"]
    shares: Annotated[dict[Text, Count], Field(min_length=1)]
    total: Positive | None = None
    note: Text | None = None
    sources: Sources


class Holder(StrictModel):
    """Who held an office in a cycle, with the community the sources give."""

    office: Ident
    name: Text
    community: Text
    party: Text | None = None
    note: Text | None = None
    sources: Sources


class CycleConvention(StrictModel):
    """The convention in one formation cycle, and the record to check it against."""

    id: Ident
    title: Text
    election: Ident | None = None
    formation_cycle: Ident | None = None
    points_system: Ident | None = None
    other_points_systems: tuple[Ident, ...] = ()
    cabinet_size: Positive | None = None
    notes: Text | None = None
    sources: Sources
    shares: tuple[CabinetShares, ...] = ()
    holders: tuple[Holder, ...] = ()

    @property
    def cycle(self) -> str:
        """The cycle's id in this file (``2022_sudani``)."""
        return self.id

    @property
    def offices_held(self) -> dict[str, str]:
        """Each office with a recorded holder → the holder's community."""
        return {h.office: h.community for h in self.holders}


class FormationStep(StrictModel):
    """A step the formation model takes: the first of ``decisions`` (of the constitution)
    that applies after the election, seating ``office`` (of ``[[offices]]``).

    ``deadline`` is the constitution's deadline the step should meet (reported when
    missed); ``designation`` the deadline within which the nominee is charged before the
    step; ``replacement`` the article under which a nominee who misses ``deadline`` is
    replaced (the parameter ``replace_nominee`` says how often).
    """

    id: Ident
    decisions: Annotated[tuple[Ident, ...], Field(min_length=1)]
    office: Ident
    deadline: Ident | None = None
    designation: Ident | None = None
    replacement: Ident | None = None
    note: Text | None = None


class FormationRules(StrictModel):
    """How the formation model walks a body's constitution: its steps in order, the
    first-session deadline (None where the constitution sets none), and the horizon after
    which a cycle counts as not formed.

    ``rival_share``: when the runner-up actor of the community the last step's office goes
    to holds at least this share of the formateur's seats, the two camps may agree on a
    compromise nominee (with probability ``consensus``, a parameter)."""

    first_session: Ident | None = None
    first_session_note: Text | None = None
    horizon_days: Positive
    horizon_note: Text
    steps: Annotated[tuple[FormationStep, ...], Field(min_length=1)]
    rival_share: Exact | None = None
    rival_note: Text | None = None
    #: a cycle that starts mid-term (a Prime Minister's post falls vacant): the steps it
    #: takes, and the deadline within which the first nominee is charged
    vacancy_steps: tuple[Ident, ...] = ()
    vacancy_designation: Ident | None = None
    #: who leads the bargaining: ``largest``, the largest actor (a largest-bloc rule), or
    #: ``recognition``, an actor drawn in proportion to its seats each round, the actor that
    #: carried a step leading the later steps that seat the same office
    formateur: Literal["largest", "recognition"] = "largest"
    formateur_note: Text | None = None
    #: the office (of ``[[offices]]``) whose vacancy opens a mid-term cycle; None: the
    #: Prime Minister's, as the trace then says
    vacancy_office: Ident | None = None
    vacancy_note: Text | None = None

    @model_validator(mode="after")
    def _vacancy(self) -> FormationRules:
        ids = [s.id for s in self.steps]
        for index, step in enumerate(self.vacancy_steps):
            if step not in ids:
                raise Problem.unknown(("formation", "vacancy_steps", index), "step of [formation]", step, ids)
        return self


class Convention(StrictModel):
    """A validated convention file (:func:`load_convention_bytes`)."""

    id: Ident
    title: Text
    notes: Text | None = None
    sources: Sources
    communities: Annotated[tuple[Text, ...], Field(min_length=1)]
    offices: Annotated[tuple[Office, ...], Field(min_length=1)]
    community_split: CommunitySplit | None = None
    ministries: tuple[Ministry, ...] = ()
    points_systems: tuple[PointsSystem, ...] = ()
    cycles: Annotated[tuple[CycleConvention, ...], Field(min_length=1)]
    formation: FormationRules | None = None

    _source: str = PrivateAttr(default="convention")

    @model_validator(mode="after")
    def _checked(self, info: ValidationInfo) -> Convention:
        context = info.context or {}
        _check(self, context.get("formation_cycles"))
        self._source = str(context.get("source", "convention"))
        order = tuple(c.id for c in self.cycles)
        for office in self.offices:
            if office.cycles is None and (office.since is not None or office.until is not None):
                start = order.index(office.since) if office.since else 0
                end = order.index(office.until) + 1 if office.until else len(order)
                office._span = None if (start, end) == (0, len(order)) else order[start:end]
        return self

    @property
    def source(self) -> str:
        """The file the convention was read from."""
        return self._source

    def office(self, office_id: str) -> Office:
        """The office with this id (an UnknownNameError with suggestions if none)."""
        return _find(self.offices, "id", office_id, "office", self.source)

    def ministry(self, ministry_id: str) -> Ministry:
        """The ministry with this id."""
        return _find(self.ministries, "id", ministry_id, "ministry", self.source)

    def points_system(self, system_id: str) -> PointsSystem:
        """The points system with this id."""
        return _find(self.points_systems, "id", system_id, "points system", self.source)

    def cycle(self, cycle_id: str) -> CycleConvention:
        """The formation cycle with this id (``2022_sudani``)."""
        return _find(self.cycles, "id", cycle_id, "formation cycle", self.source)

    def for_formation_cycle(self, cycle: str) -> CycleConvention | None:
        """The cycle of this file that a row of ``formation/cycles.csv`` names, or None."""
        return next((c for c in self.cycles if c.formation_cycle == cycle), None)

    @property
    def sovereign_ministries(self) -> tuple[Ministry, ...]:
        """The sovereign ministries, in file order."""
        return tuple(m for m in self.ministries if m.sovereign)

    def cycle_points_system(self, cycle_id: str) -> PointsSystem | None:
        """The points system that applies in a cycle, or None where no formula was found."""
        chosen = self.cycle(cycle_id).points_system
        return None if chosen is None else self.points_system(chosen)

    def top_offices(self, cycle: str | None = None) -> dict[str, str]:
        """Office → the community the convention gives it: every office, or with ``cycle``
        only those the sources report for that cycle."""
        if cycle is None:
            return {o.id: o.community for o in self.offices}
        self.cycle(cycle)
        return {o.id: o.community for o in self.offices if o.applies(cycle)}

    def holds(self, cycle: str) -> dict[str, bool]:
        """Whether each office the convention assigns in ``cycle`` went to its conventional
        community (offices without a recorded holder are left out)."""
        held = self.cycle(cycle).offices_held
        return {office: held[office] == community
                for office, community in self.top_offices(cycle).items() if office in held}


def _find(items: Iterable[Any], attr: str, name: str, kind: str, source: str = "convention") -> Any:
    items = tuple(items)
    for item in items:
        if getattr(item, attr) == name:
            return item
    raise UnknownNameError(kind, name, (getattr(i, attr) for i in items), source=source)


# --------------------------------------------------------------------------- shared checks


def seats_of(seats: Mapping[str, int], where: str) -> dict[str, int]:
    """Seats per party, checked: a non-empty mapping of names to whole numbers."""
    if not isinstance(seats, Mapping) or not seats:
        raise InputError(where, "seats must be a non-empty mapping party -> seats", field="seats")
    checked: dict[str, int] = {}
    for party, n in seats.items():
        if type(party) is not str or not party.strip():
            raise InputError(where, f"party names must be non-empty text, got {party!r}", field="seats")
        checked[party] = whole_number(n, f"seats of {party!r}", where, field=party)
    return checked


def check_cabinet(ministries: int, sovereign: int) -> None:
    """A cabinet of ``ministries``, ``sovereign`` of them sovereign: whole numbers, in order."""
    ministries = whole_number(ministries, "the number of ministries", "argument", field="ministries")
    sovereign = whole_number(sovereign, "the number of sovereign ministries", "argument", field="sovereign")
    if sovereign > ministries:
        raise InputError("argument", f"{sovereign} sovereign ministries asked but the cabinet has only "
                                     f"{ministries} ministries", field="sovereign")


# --------------------------------------------------------------------------- loading


def load_convention_bytes(data: bytes, source: str, *, formation_cycles: Sequence[str] | None = None) -> Convention:
    """A convention file validated: the schema, then its cross-references (and, given the
    body's formation cycles, each ``formation_cycle``)."""
    return load_toml(data, source, Convention,
                     context={"source": source, "formation_cycles": formation_cycles},
                     float_problem=_float_problem, labels=_label)


def _float_problem(value: float, key: str) -> str:
    return (f'{value!r} is a TOML float, which is not exact; quote it so it stays exact text: '
            f'{key} = "{value!r}" (or write a ratio such as "1/2")')


def _label(item: Any) -> str | None:
    if isinstance(item, Mapping):
        for key in ("id", "office", "post", "cycle"):
            if isinstance(item.get(key), str):
                return item[key]
    return None


def _unique(items: Iterable[Any], attr: str, at: KeyPath, kind: str) -> dict[str, int]:
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        name = getattr(item, attr)
        if name in seen:
            raise Problem((*at, index, attr), f"duplicate {kind} {name!r}")
        seen[name] = index
    return seen


def _known(name: str, known: Iterable[str], kind: str, at: KeyPath) -> None:
    known = tuple(known)
    if name not in known:
        raise Problem.unknown(at, kind, name, known)


_NEEDS: Mapping[str, tuple[str, ...]] = {
    "seat-price": ("seats_per_ministry",),
    "points": ("seats_per_point",),
    "proportional": (),
    "fixed-shares": ("ministries", "shares"),
}
_FORBIDS: Mapping[str, tuple[str, ...]] = {
    "seat-price": ("seats_per_point", "ministries", "shares"),
    "points": ("seats_per_ministry", "seats_per_sovereign_ministry", "ministries", "shares"),
    "proportional": ("seats_per_ministry", "seats_per_sovereign_ministry", "seats_per_point", "ministries", "shares"),
    "fixed-shares": ("seats_per_ministry", "seats_per_sovereign_ministry", "seats_per_point"),
}


def _check(model: Convention, formation_cycles: Sequence[str] | None) -> None:
    communities: dict[str, int] = {}
    for index, community in enumerate(model.communities):
        if community in communities:
            raise Problem(("communities", index), f"duplicate community {community!r}")
        communities[community] = index
    cycles = _unique(model.cycles, "id", ("cycles",), "formation cycle")
    offices = _unique(model.offices, "id", ("offices",), "office")
    ministries = _unique(model.ministries, "id", ("ministries",), "ministry")
    systems = _unique(model.points_systems, "id", ("points_systems",), "points system")
    for name, index in ministries.items():
        if name in offices:
            raise Problem(("ministries", index, "id"), f"{name!r} is already an office id; office and ministry ids must differ")
    posts = {**offices, **ministries}
    community_kind = "community (not in communities)"

    for index, office in enumerate(model.offices):
        at: KeyPath = ("offices", index)
        _known(office.community, communities, community_kind, (*at, "community"))
        if office.cycles is not None and (office.since is not None or office.until is not None):
            raise Problem((*at, "cycles"), "give either cycles or since/until, not both")
        for key in ("since", "until"):
            name = getattr(office, key)
            if name is not None:
                _known(name, cycles, "formation cycle", (*at, key))
        if office.since is not None and office.until is not None and cycles[office.since] > cycles[office.until]:
            raise Problem((*at, "until"), f"{office.until!r} comes before since = {office.since!r}")
        for position, name in enumerate(office.cycles or ()):
            _known(name, cycles, "formation cycle", (*at, "cycles", position))
        if office.cycles is not None and len(set(office.cycles)) != len(office.cycles):
            raise Problem((*at, "cycles"), "a cycle is listed twice")

    for index, ministry in enumerate(model.ministries):
        at = ("ministries", index)
        if ministry.community is not None:
            _known(ministry.community, communities, community_kind, (*at, "community"))
            if ministry.community_kind is None:
                raise Problem((*at, "community"),
                              'say how the community is known: community_kind = "convention", "reported" or "analysis"')
        elif ministry.community_kind is not None:
            raise Problem((*at, "community_kind"), "community_kind needs a community")
        _unique(ministry.held, "cycle", (*at, "held"), "cycle")
        for position, held in enumerate(ministry.held):
            _known(held.cycle, cycles, "formation cycle", (*at, "held", position, "cycle"))
            _known(held.community, communities, community_kind, (*at, "held", position, "community"))

    sovereign = sum(m.sovereign for m in model.ministries)
    for index, system in enumerate(model.points_systems):
        _check_system(system, ("points_systems", index), cycles, posts, sovereign)
    for index, cycle in enumerate(model.cycles):
        _check_cycle(model, cycle, ("cycles", index), offices, systems, communities, formation_cycles)

    split = model.community_split
    if split is not None:
        _known(split.community, communities, community_kind, ("community_split", "community"))
        for index, post in enumerate(split.posts):
            at = ("community_split", "posts", index)
            if post.federal:
                _known(post.post, posts, "office or ministry (federal = false for other posts)", (*at, "post"))
            for position, name in enumerate(post.cycles):
                _known(name, cycles, "formation cycle", (*at, "cycles", position))
        for index, contest in enumerate(split.contests):
            _known(contest.cycle, cycles, "formation cycle", ("community_split", "contests", index, "cycle"))

    if model.formation is not None:
        _unique(model.formation.steps, "id", ("formation", "steps"), "step")
        for index, step in enumerate(model.formation.steps):
            _known(step.office, offices, "office", ("formation", "steps", index, "office"))
        if model.formation.vacancy_office is not None:
            _known(model.formation.vacancy_office, offices, "office", ("formation", "vacancy_office"))


def _check_system(system: PointsSystem, at: KeyPath, cycles: Mapping[str, int], posts: Mapping[str, int],
                  sovereign: int) -> None:
    _known(system.cycle, cycles, "formation cycle", (*at, "cycle"))
    for key in _NEEDS[system.method]:
        if not system.given(key):
            raise Problem((*at, key), f"a {system.method} system needs {key}")
    for key in _FORBIDS[system.method]:
        if system.given(key):
            raise Problem((*at, key), f"{key} has no meaning in a {system.method} system (method = {system.method!r})")
    if system.method == "fixed-shares" and system.ministries is not None:
        shared = sum(system.shares.values())
        if shared > system.ministries:
            raise Problem((*at, "shares"), f"the shares hand out {shared} ministries but only {system.ministries} exist")
    allowed = (*posts, *GENERIC_COSTS)
    for table in ("office_costs", "cost_ranges"):
        for key in getattr(system, table):
            _known(key, allowed, "office, ministry or kind of post", (*at, table, key))
            if system.method == "seat-price" and key in ("ministry", "sovereign-ministry"):
                raise Problem((*at, table, key),
                              "a seat-price system states these as seats_per_ministry and seats_per_sovereign_ministry")
    for key, (low, high) in system.cost_ranges.items():
        if low >= high:
            raise Problem((*at, "cost_ranges", key), "a range runs from a lower to a higher cost")
        if key in system.office_costs:
            raise Problem((*at, "cost_ranges", key), f"{key!r} has an exact cost in office_costs too")
    prices_sovereign = (
        system.given("seats_per_sovereign_ministry")
        or "sovereign-ministry" in system.office_costs
        or "sovereign-ministry" in system.cost_ranges
    )
    if prices_sovereign and sovereign == 0:
        raise Problem((*at, "seats_per_sovereign_ministry" if system.given("seats_per_sovereign_ministry") else "office_costs"),
                      "sovereign ministries are priced but no ministry of [[ministries]] is sovereign = true")


def _check_cycle(model: Convention, cycle: CycleConvention, at: KeyPath, offices: Mapping[str, int],
                 systems: Mapping[str, int], communities: Mapping[str, int],
                 formation_cycles: Sequence[str] | None) -> None:
    named: list[tuple[KeyPath, str]] = [((*at, "points_system"), cycle.points_system)] if cycle.points_system else []
    named += [((*at, "other_points_systems", i), s) for i, s in enumerate(cycle.other_points_systems)]
    seen: set[str] = set()
    for path, name in named:
        _known(name, systems, "points system", path)
        system = model.points_systems[systems[name]]
        if system.cycle != cycle.id:
            raise Problem(path, f"points system {name!r} is reported for cycle {system.cycle!r}, not {cycle.id!r}")
        if name in seen:
            raise Problem(path, f"points system {name!r} is listed twice")
        seen.add(name)
    if cycle.other_points_systems and cycle.points_system is None:
        raise Problem((*at, "other_points_systems"), "name the points system that applies first (points_system)")
    for index, system in enumerate(model.points_systems):
        if system.cycle == cycle.id and system.id not in seen:
            raise Problem(("points_systems", index, "cycle"),
                          f"cycle {cycle.id!r} does not list points system {system.id!r} "
                          "(points_system or other_points_systems)")
    _unique(cycle.holders, "office", (*at, "holders"), "office")
    for index, holder in enumerate(cycle.holders):
        _known(holder.office, offices, "office", (*at, "holders", index, "office"))
        _known(holder.community, communities, "community (not in communities)", (*at, "holders", index, "community"))
    for index, shares in enumerate(cycle.shares):
        share_at = (*at, "shares", index)
        if shares.by == "community":
            for name in shares.shares:
                _known(name, communities, "community (not in communities)", (*share_at, "shares", name))
        if shares.total is not None and sum(shares.shares.values()) != shares.total:
            raise Problem((*share_at, "total"),
                          f"the shares add up to {sum(shares.shares.values())}, not total = {shares.total}")
    if cycle.formation_cycle is not None and formation_cycles is not None:
        _known(cycle.formation_cycle, formation_cycles, "formation cycle of formation/cycles.csv",
               (*at, "formation_cycle"))
