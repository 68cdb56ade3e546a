"""Post-election blocs: which lists act together in parliament, as dated data.

After the vote, lists regroup: the National Alliance of 2010, Islah and Binaa in 2018, Save
the Homeland and the Coordination Framework's "blocking third" in 2022. A :class:`BlocMap`
is one dated picture of that regrouping for one election: a few named blocs, each made of
whole lists of the record or of a stated number of a list's seats (some of the 43
independents of 2021, say). Every list not in a bloc is *unaligned* and acts as its own
player. The voting games of :mod:`muhasasa.parliament` are played between these players.

A body's bloc maps live in its ``blocs/`` folder, one TOML file per formation cycle
(``2022.toml`` holds the maps of the 2021 parliament; :class:`BlocCycle`); ``README.md``
there says what each map holds and where the sources disagree. Every bloc names its source
URL(s); where a source gives only a count ("about 130"), the count is kept as text in
``claimed_seats`` and only the lists the sources name are members, so computed seats can
fall short of a claim.

Loading is strict: unknown keys (with a suggestion), lists unknown to the election (with a
suggestion), a list in two blocs of one map (unless both take a stated part of it and the
parts fit), parts larger than the list, empty blocs, duplicate ids, floats where whole
numbers belong and TOML syntax errors all raise :class:`~muhasasa.errors.InputError` naming
the file, the line and the field.

>>> import muhasasa.packs as packs
>>> iraq = packs.load("iraq")
>>> m = iraq.bloc_map("2021", "2022-03-26")
>>> m.id
'2022-03-26-presidential-session'
>>> players = m.seats({x.list_id: x.seats for x in iraq.election("2021").lists})
>>> players["save-the-homeland"], players["blocking-third"], sum(players.values())
(142, 72, 329)
>>> m.bloc_of("kdp"), m.bloc_of("azm")
('save-the-homeland', None)
>>> m.members_of("blocking-third")
('sol', 'fatah', 'nsf', 'kurdistan-coalition', 'komal')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PrivateAttr, StrictInt, ValidationInfo, model_validator

from muhasasa.errors import InputError, UnknownNameError
from muhasasa.exact import whole_number
from muhasasa.packs.schema.record import Election
from muhasasa.packs.schema.types import Slug, Text, Url
from muhasasa.packs.toml import KeyPath, Problem, StrictModel, load_toml

__all__ = ["Bloc", "BlocCycle", "BlocMap", "BlocMember", "Claim", "load_bloc_cycle_bytes", "load_bloc_map_bytes"]


def _to_date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        raise ValueError(f"must be a date like 2022-03-26 without a time, got {value:%Y-%m-%dT%H:%M}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"must be a date like 2022-03-26, got {value!r}")


Day = Annotated[dt.date, BeforeValidator(_to_date)]


class BlocMember(StrictModel):
    """One list in a bloc: the whole list (``seats`` is None) or ``seats`` of it."""

    list_id: Slug = Field(alias="list")
    seats: Annotated[StrictInt, Field(ge=1)] | None = None
    note: Text | None = None


class Bloc(StrictModel):
    """A named group of lists acting together, with the seats it claimed (as text)."""

    id: Slug
    name: Text
    name_ar: Text | None = None
    members: Annotated[tuple[BlocMember, ...], Field(min_length=1)]
    claimed_seats: Text | None = None
    sources: tuple[Url, ...] = ()
    notes: Text | None = None

    @property
    def list_ids(self) -> tuple[str, ...]:
        """The lists behind the bloc, in file order."""
        return tuple(m.list_id for m in self.members)


class Claim(StrictModel):
    """A count reported at the time that is not a bloc: attendance, signatures, a rival claim.

    ``bloc`` names the bloc of the map the count is about, if any; ``count`` stays text
    ("202", "about 130", "more than two-thirds").
    """

    what: Text
    count: Text
    bloc: Slug | None = None
    sources: tuple[Url, ...] = ()
    note: Text | None = None


class BlocMap(StrictModel):
    """Blocs of one election's parliament as they stood on one date.

    A map read from a file knows its ``cycle``, its ``election`` and the record's lists of
    that election (:attr:`list_ids`); every list not in a bloc is unaligned. A user's map
    may name its ``election`` and ``cycle`` itself.
    """

    id: Slug
    date: Day
    title: Text
    blocs: tuple[Bloc, ...] = ()
    claims: tuple[Claim, ...] = ()
    sources: tuple[Url, ...] = ()
    notes: Text | None = None
    election: Text | None = None
    cycle: Text | None = None

    _list_ids: tuple[str, ...] = PrivateAttr(default=())

    @property
    def list_ids(self) -> tuple[str, ...]:
        """The record's lists of the map's election."""
        return self._list_ids

    @property
    def source(self) -> str:
        return f"bloc map {self.id}"

    def placed(self, cycle: str, election: Election) -> BlocMap:
        """The map as checked against ``election`` in ``cycle``."""
        out = self.model_copy(update={"cycle": cycle, "election": election.id})
        out._list_ids = tuple(x.list_id for x in election.lists)
        return out

    def bloc(self, bloc_id: str) -> Bloc:
        """One bloc by id; :class:`UnknownNameError` with suggestions if absent."""
        for b in self.blocs:
            if b.id == bloc_id:
                return b
        raise UnknownNameError(f"bloc of {self.id}", bloc_id, (b.id for b in self.blocs), field="bloc")

    def seats(self, list_seats: Mapping[str, int]) -> dict[str, int]:
        """Seats per player: every bloc, then every unaligned list or remainder.

        A bloc gets the seats of its whole-list members plus the stated part of its partial
        members. A list in no bloc is its own player under its list id, and so is the rest
        of a list only partly in blocs (the independents no bloc claims). Players with no
        seats are left out, except blocs. A member list missing from ``list_seats`` has no
        seats; a stated part larger than what the list has here is an :class:`InputError`.
        The players' seats always add up to the seats in ``list_seats``.

        >>> import muhasasa.packs as packs
        >>> m = packs.load("iraq").bloc_map("2010")
        >>> m.seats({"sol": 89, "ina": 70, "iraqiya": 91, "tawafuq": 6})
        {'national-alliance': 159, 'kurdish-coalition': 0, 'wasat': 6, 'iraqiya': 91}
        """
        counts: dict[str, int] = {}
        for list_id, value in list_seats.items():
            if not isinstance(list_id, str) or not list_id:
                raise InputError(self.source, f"list ids must be non-empty text, got {list_id!r}", field="seats")
            counts[list_id] = whole_number(value, f"seats of {list_id!r}", self.source, field=list_id)
        for b in self.blocs:
            if b.id in counts:
                raise InputError(self.source,
                                 f"{b.id!r} is a bloc of this map and cannot also be a list in the seats given",
                                 field=b.id)
        taken: dict[str, int] = {}
        players: dict[str, int] = {}
        for b in self.blocs:
            total = 0
            for m in b.members:
                have = counts.get(m.list_id, 0)
                part = have if m.seats is None else m.seats
                taken[m.list_id] = taken.get(m.list_id, 0) + part
                if taken[m.list_id] > have:
                    raise InputError(
                        self.source,
                        f"bloc {b.id!r} counts {m.seats} seats of list {m.list_id!r}, but the "
                        f"list has {have} here and blocs take {taken[m.list_id]} of them",
                        field=m.list_id,
                    )
                total += part
            players[b.id] = total
        for list_id, have in counts.items():
            rest = have - taken.get(list_id, 0)
            if rest > 0:
                players[list_id] = rest
        return players

    def members_of(self, player: str) -> tuple[str, ...]:
        """The list ids behind a player: a bloc's lists, or the list itself.

        >>> import muhasasa.packs as packs
        >>> packs.load("iraq").bloc_map("2010").members_of("kurdish-coalition")
        ('kurdistan-list', 'gorran', 'kiu', 'kig')
        >>> packs.load("iraq").bloc_map("2010").members_of("iraqiya")
        ('iraqiya',)
        """
        for b in self.blocs:
            if b.id == player:
                return b.list_ids
        if player in self.list_ids or not self.list_ids:
            return (player,)
        known = [b.id for b in self.blocs] + list(self.list_ids)
        raise UnknownNameError(f"player of bloc map {self.id}", player, known, field="player")

    def blocs_of(self, list_id: str) -> tuple[str, ...]:
        """Every bloc holding the list or a part of it (usually none or one)."""
        if self.list_ids and list_id not in self.list_ids:
            raise UnknownNameError(f"list in {self.election}", list_id, self.list_ids, field="list")
        return tuple(b.id for b in self.blocs if list_id in b.list_ids)

    def bloc_of(self, list_id: str) -> str | None:
        """The bloc a list belongs to, or None if it is unaligned.

        A list split between two blocs has no single bloc: that raises an
        :class:`InputError` pointing to :meth:`blocs_of`.
        """
        found = self.blocs_of(list_id)
        if len(found) > 1:
            raise InputError(self.source, f"list {list_id!r} is split between blocs {', '.join(found)}; "
                             "use blocs_of()", field="list")
        return found[0] if found else None

    def unaligned(self) -> tuple[str, ...]:
        """The election's lists in no bloc at all (lists only partly in a bloc are not here)."""
        placed = {m.list_id for b in self.blocs for m in b.members}
        return tuple(x for x in self.list_ids if x not in placed)


class BlocCycle(StrictModel):
    """A body's bloc file: the maps of one formation cycle, on one election's parliament."""

    cycle: Text
    election: Text
    maps: Annotated[tuple[BlocMap, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _checked(self, info: ValidationInfo) -> BlocCycle:
        context = info.context or {}
        elections: Mapping[str, Election] = context.get("elections", {})
        if self.election not in elections:
            raise Problem.unknown(("election",), "election", self.election, elections)
        election = elections[self.election]
        ids: set[str] = set()
        placed = []
        for index, m in enumerate(self.maps):
            if m.id in ids:
                raise Problem(("maps", index, "id"), f"duplicate map id {m.id!r}")
            ids.add(m.id)
            for key in ("election", "cycle"):
                if getattr(m, key) is not None:
                    raise Problem(("maps", index, key), f"a map of a cycle file takes its {key} from the file's top")
            _check_map(m, ("maps", index), election, need_sources=bool(context.get("bundled")))
            placed.append(m.placed(self.cycle, election))
        return self.model_copy(update={"maps": tuple(placed)})


# ----------------------------------------------------------------------------- loading


def load_bloc_cycle_bytes(data: bytes, source: str, elections: Mapping[str, Election], *,
                          bundled: bool) -> BlocCycle:
    """A cycle file (``cycle``, ``election``, ``[[maps]]``) checked against the record's
    ``elections``; a bundled file needs sources on every map, bloc and claim."""
    return load_toml(data, source, BlocCycle, context={"elections": elections, "bundled": bundled},
                     float_problem=_float_problem)


def load_bloc_map_bytes(data: bytes, source: str, election: Election) -> BlocMap:
    """A user's own bloc map (one map at top level), checked against ``election``.

    The file holds ``id``, ``date``, ``title``, optional ``sources``, ``notes``, ``cycle``
    (default ``"user"``) and ``election`` (if given, it must be the election asked for),
    then ``[[blocs]]`` with ``members = [{ list = "...", seats = 10 }, ...]`` and optional
    ``[[claims]]``. Sources are welcome but not required.
    """

    class _UserMap(BlocMap):
        @model_validator(mode="after")
        def _checked(self) -> _UserMap:
            if self.election is not None and self.election != election.id:
                raise Problem(("election",), f"the file is for election {self.election!r}, but "
                                             f"{election.id!r} was asked for")
            _check_map(self, (), election, need_sources=False)
            return self

    m = load_toml(data, source, _UserMap, float_problem=_float_problem)
    return BlocMap.model_validate(m.model_dump(by_alias=True)).placed(m.cycle or "user", election)


def _float_problem(value: float, key: str) -> str:
    """No value is a float: seats are whole numbers and other counts stay text."""
    if key == "seats":
        return f"{value!r} is not a whole number of seats"
    return f'{value!r} is a TOML float; counts stay exact text here: {key} = "{value!r}"'


def _check_map(m: BlocMap, at: KeyPath, election: Election, *, need_sources: bool) -> None:
    seats = {x.list_id: x.seats for x in election.lists}
    if m.date < election.date:
        raise Problem((*at, "date"), f"{m.date} is before the election of {election.date} ({election.id})")
    if need_sources and not m.sources:
        raise Problem((*at, "sources"), "every bundled map needs its source URL(s)")
    bloc_ids: set[str] = set()
    uses: dict[str, list[tuple[str, int | None]]] = {}
    for bi, bloc in enumerate(m.blocs):
        bat = (*at, "blocs", bi)
        if bloc.id in bloc_ids:
            raise Problem((*bat, "id"), f"duplicate bloc id {bloc.id!r} in map {m.id!r}")
        if bloc.id in seats:
            raise Problem((*bat, "id"), f"bloc id {bloc.id!r} is also a list of election {election.id}; "
                                        "players are keyed by both, so give the bloc another id")
        bloc_ids.add(bloc.id)
        if need_sources and not bloc.sources:
            raise Problem((*bat, "sources"), "every bundled bloc needs its source URL(s)")
        mine: set[str] = set()
        for mi, member in enumerate(bloc.members):
            mat = (*bat, "members", mi)
            list_id = member.list_id
            if list_id not in seats:
                raise Problem.unknown((*mat, "list"), f"list of election {election.id}", list_id, seats)
            if list_id in mine:
                raise Problem((*mat, "list"), f"list {list_id!r} appears twice in bloc {bloc.id!r}")
            mine.add(list_id)
            if member.seats is not None and member.seats > seats[list_id]:
                raise Problem((*mat, "seats"), f"{member.seats} seats of list {list_id!r}, but it won only "
                                               f"{seats[list_id]} in {election.id}")
            earlier = uses.setdefault(list_id, [])
            if earlier:
                others = ", ".join(repr(b) for b, _ in earlier)
                if member.seats is None or any(s is None for _, s in earlier):
                    raise Problem((*mat, "list"), f"list {list_id!r} is already in bloc {others}; a list can be "
                                                  "in two blocs of one map only when each takes a stated number "
                                                  "of its seats")
                total = member.seats + sum(s or 0 for _, s in earlier)
                if total > seats[list_id]:
                    raise Problem((*mat, "seats"), f"blocs {others} and {bloc.id!r} take {total} seats of list "
                                                   f"{list_id!r}, which won only {seats[list_id]}")
            earlier.append((bloc.id, member.seats))
    for ci, claim in enumerate(m.claims):
        cat = (*at, "claims", ci)
        if claim.bloc is not None and claim.bloc not in bloc_ids:
            raise Problem.unknown((*cat, "bloc"), f"bloc of map {m.id!r}", claim.bloc, bloc_ids)
        if need_sources and not claim.sources:
            raise Problem((*cat, "sources"), "every bundled claim needs its source URL(s)")
