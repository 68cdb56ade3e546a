"""Post-election blocs: which lists act together in parliament, as dated data.

After the vote, lists regroup: the National Alliance of 2010, Islah and Binaa in
2018, Save the Homeland and the Coordination Framework's "blocking third" in
2022. A :class:`BlocMap` is one dated picture of that regrouping for one
election: a few named blocs, each made of whole lists of the record or of a
stated number of a list's seats (some of the 43 independents of 2021, say).
Every list not in a bloc is *unaligned* and acts as its own player. The voting
games of :mod:`muhasasa.parliament` are played between these players.

The maps bundled with the Iraq pack live in ``muhasasa/packs/iraq/blocs/``, one
TOML file per formation cycle (``2022.toml`` holds the maps of the 2021
parliament); ``README.md`` there says what each map holds and where the sources
disagree. Every bloc names its source URL(s); where a source gives only a count
("about 130"), the count is kept as text in ``claimed_seats`` and only the lists
the sources name are members, so computed seats can fall short of a claim. The
map's notes say by how much and why.

Loading is strict: unknown keys (with a suggestion), lists unknown to the
election (with a suggestion), a list in two blocs of one map (unless both take
a stated part of it and the parts fit), parts larger than the list, empty blocs,
duplicate ids, floats where whole numbers belong and TOML syntax errors all
raise :class:`~muhasasa.errors.InputError` naming the file, the line and the
field (``maps[2].blocs[0].members[3].list``). Files are read with
:mod:`tomllib`; nothing is evaluated.

>>> m = bloc_map("2021", "2022-03-26")
>>> m.id
'2022-03-26-presidential-session'
>>> from muhasasa.record import load_record
>>> seats = {x.list_id: x.seats for x in load_record().election("2021").lists}
>>> players = m.seats(seats)
>>> players["save-the-homeland"], players["blocking-third"], sum(players.values())
(142, 72, 329)
>>> m.bloc_of("kdp"), m.bloc_of("azm")
('save-the-homeland', None)
>>> m.members_of("blocking-third")
('sol', 'fatah', 'nsf', 'kurdistan-coalition', 'komal')
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    StrictInt,
    StrictStr,
    StringConstraints,
)
from pydantic_core import ErrorDetails

from muhasasa.errors import InputError, UnknownNameError
from muhasasa.exact import whole_number
from muhasasa.record import Election, load_record
from muhasasa.tomlfiles import (
    KeyPath,
    Locator,
    StrictModel,
    allowed_keys,
    did_you_mean,
    last_key,
    owner,
    parse,
    read_bytes,
)

__all__ = [
    "Bloc",
    "BlocMap",
    "BlocMember",
    "Claim",
    "bloc_map",
    "bloc_maps",
    "load_bloc_cycle_file",
    "load_bloc_file",
]


# ----------------------------------------------------------------------------- values


@dataclass(frozen=True)
class BlocMember:
    """One list in a bloc: the whole list (``seats`` is ``None``) or ``seats`` of it."""

    list_id: str
    seats: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class Bloc:
    """A named group of lists acting together, with the seats it claimed (as text)."""

    id: str
    name: str
    members: tuple[BlocMember, ...]
    claimed_seats: str | None
    sources: tuple[str, ...]
    notes: str | None

    @property
    def list_ids(self) -> tuple[str, ...]:
        """The lists behind the bloc, in file order."""
        return tuple(m.list_id for m in self.members)


@dataclass(frozen=True)
class Claim:
    """A count reported at the time that is not a bloc: attendance, signatures, a rival claim.

    ``bloc`` names the bloc of the map the count is about, if any; ``count``
    stays text ("202", "about 130", "more than two-thirds").
    """

    what: str
    count: str
    bloc: str | None
    sources: tuple[str, ...]
    note: str | None


@dataclass(frozen=True)
class BlocMap:
    """Blocs of one election's parliament as they stood on one date.

    ``list_ids`` are the record's lists of the election the map was checked
    against; every one not in a bloc is unaligned.
    """

    id: str
    cycle: str
    election: str
    date: dt.date
    title: str
    blocs: tuple[Bloc, ...]
    sources: tuple[str, ...]
    notes: str | None
    claims: tuple[Claim, ...] = ()
    list_ids: tuple[str, ...] = ()

    @property
    def source(self) -> str:
        return f"bloc map {self.id}"

    def bloc(self, bloc_id: str) -> Bloc:
        """One bloc by id; :class:`UnknownNameError` with suggestions if absent."""
        for b in self.blocs:
            if b.id == bloc_id:
                return b
        raise UnknownNameError(f"bloc of {self.id}", bloc_id, (b.id for b in self.blocs))

    def seats(self, list_seats: Mapping[str, int]) -> dict[str, int]:
        """Seats per player: every bloc, then every unaligned list or remainder.

        A bloc gets the seats of its whole-list members plus the stated part of
        its partial members. A list in no bloc is its own player under its list
        id, and so is the rest of a list only partly in blocs (the independents
        no bloc claims). Players with no seats are left out, except blocs.
        A member list missing from ``list_seats`` has no seats; a stated part
        larger than what the list has here is an :class:`InputError`. The
        players' seats always add up to the seats in ``list_seats``.

        >>> m = bloc_map("2010")
        >>> m.seats({"sol": 89, "ina": 70, "iraqiya": 91, "tawafuq": 6})
        {'national-alliance': 159, 'kurdish-coalition': 0, 'wasat': 6, 'iraqiya': 91}
        """
        counts: dict[str, int] = {}
        for list_id, value in list_seats.items():
            if not isinstance(list_id, str) or not list_id:
                raise InputError(self.source, f"list ids must be non-empty text, got {list_id!r}")
            counts[list_id] = whole_number(value, f"seats of {list_id!r}", self.source, field=list_id)
        for b in self.blocs:
            if b.id in counts:
                raise InputError(
                    self.source,
                    f"{b.id!r} is a bloc of this map and cannot also be a list in the seats given",
                    field=b.id,
                )
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

        >>> bloc_map("2010").members_of("kurdish-coalition")
        ('kurdistan-list', 'gorran', 'kiu', 'kig')
        >>> bloc_map("2010").members_of("iraqiya")
        ('iraqiya',)
        """
        for b in self.blocs:
            if b.id == player:
                return b.list_ids
        if player in self.list_ids or not self.list_ids:
            return (player,)
        known = [b.id for b in self.blocs] + list(self.list_ids)
        raise UnknownNameError(f"player of bloc map {self.id}", player, known)

    def blocs_of(self, list_id: str) -> tuple[str, ...]:
        """Every bloc holding the list or a part of it (usually none or one)."""
        self._known_list(list_id)
        return tuple(b.id for b in self.blocs if list_id in b.list_ids)

    def bloc_of(self, list_id: str) -> str | None:
        """The bloc a list belongs to, or ``None`` if it is unaligned.

        A list split between two blocs has no single bloc: that raises an
        :class:`InputError` pointing to :meth:`blocs_of`.
        """
        found = self.blocs_of(list_id)
        if len(found) > 1:
            raise InputError(
                self.source,
                f"list {list_id!r} is split between blocs {', '.join(found)}; use blocs_of()",
            )
        return found[0] if found else None

    def unaligned(self) -> tuple[str, ...]:
        """The election's lists in no bloc at all (lists only partly in a bloc are not here)."""
        placed = {m.list_id for b in self.blocs for m in b.members}
        return tuple(x for x in self.list_ids if x not in placed)

    def _known_list(self, list_id: str) -> None:
        if self.list_ids and list_id not in self.list_ids:
            raise UnknownNameError(f"list in {self.election}", list_id, self.list_ids)


# ----------------------------------------------------------------------------- schema

_SLUG_RE = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_URL_RE = r"^https?://\S+$"


def _to_date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        # pydantic turns only ValueError into a located validation error
        raise ValueError(  # noqa: TRY004
            f"must be a date like 2022-03-26 without a time, got {value:%Y-%m-%dT%H:%M}"
        )
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"must be a date like 2022-03-26, got {value!r}")


Slug = Annotated[StrictStr, StringConstraints(pattern=_SLUG_RE)]
Url = Annotated[StrictStr, StringConstraints(pattern=_URL_RE)]
Text = Annotated[StrictStr, StringConstraints(pattern=r"\S")]
Day = Annotated[dt.date, BeforeValidator(_to_date)]


class _Member(StrictModel):
    list_id: Slug = Field(alias="list")
    seats: Annotated[StrictInt, Field(ge=1)] | None = None
    note: Text | None = None


class _Bloc(StrictModel):
    id: Slug
    name: Text
    members: tuple[_Member, ...] = Field(min_length=1)
    claimed_seats: Text | None = None
    sources: tuple[Url, ...] = ()
    notes: Text | None = None


class _Claim(StrictModel):
    what: Text
    count: Text
    bloc: Slug | None = None
    sources: tuple[Url, ...] = ()
    note: Text | None = None


class _Map(StrictModel):
    id: Slug
    date: Day
    title: Text
    blocs: tuple[_Bloc, ...] = ()
    claims: tuple[_Claim, ...] = ()
    sources: tuple[Url, ...] = ()
    notes: Text | None = None


class _UserMap(_Map):
    election: Text | None = None
    cycle: Text | None = None


class _Cycle(StrictModel):
    cycle: Text
    election: Text
    maps: tuple[_Map, ...] = Field(min_length=1)


# ----------------------------------------------------------------------------- locating

# Table headers here may quote or space their names (``[[ maps.blocs ]]``).
_ARRAY_TABLE = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.\s\"-]+?)\s*\]\]\s*(#.*)?$")
_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\s\"-]+?)\s*\]\s*(#.*)?$")


class _Where(Locator):
    """Finds the line of a key path in the TOML text, and raises there. Fields are named
    by position from 0 (``maps[2].blocs[0].members[3].list``)."""

    def __init__(self, source: str, text: str, raw: Mapping[str, Any]) -> None:
        super().__init__(source, raw)
        self.lines = text.splitlines()
        self.contexts: list[KeyPath] = []
        self.headers: dict[KeyPath, int] = {}
        latest: dict[tuple[KeyPath, str], int] = {}
        context: KeyPath = ()
        for number, line in enumerate(self.lines, 1):
            array = _ARRAY_TABLE.match(line)
            table = None if array else _TABLE.match(line)
            if array or table:
                names = [p.strip().strip('"') for p in (array or table).group(1).split(".")]
                prefix: KeyPath = ()
                for name in names[:-1]:
                    index = latest.get((prefix, name))
                    prefix = (*prefix, name) if index is None else (*prefix, name, index)
                last = names[-1]
                if array:
                    index = latest.get((prefix, last), -1) + 1
                    latest[(prefix, last)] = index
                    context = (*prefix, last, index)
                else:
                    context = (*prefix, last)
                self.headers[context] = number
            self.contexts.append(context)

    def field(self, path: KeyPath) -> str | None:
        out = ""
        for part in path:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
        return out or None

    def line(self, path: KeyPath) -> int | None:
        for cut in range(len(path), -1, -1):
            prefix = tuple(path[:cut])
            if cut and prefix not in self.headers:
                continue
            rest = path[cut:]
            if not rest:
                return self.headers.get(prefix)
            if not isinstance(rest[0], str):
                continue
            pattern = re.compile(r'^\s*"?' + re.escape(rest[0]) + r'"?\s*=')
            for number, context in enumerate(self.contexts, 1):
                if context == prefix and pattern.match(self.lines[number - 1]):
                    if len(rest) > 1 and isinstance(rest[1], int):
                        return self._element_line(number, rest[1]) or number
                    return number
            return self.headers.get(prefix)
        return None

    def _element_line(self, start: int, index: int) -> int | None:
        """The line where element ``index`` of the array value on line ``start`` begins."""
        text = "\n".join(self.lines[start - 1 :])
        i = text.index("=") + 1
        line, depth, count, expecting = start, 0, -1, False
        while i < len(text):
            ch = text[i]
            if ch == "\n":
                line += 1
            elif ch == "#":
                end = text.find("\n", i)
                i = len(text) if end < 0 else end
                continue
            elif depth == 0 and ch not in " \t[":
                return None
            elif ch in "\"'" or ch in "[{" or (ch not in "]}," and not ch.isspace()):
                if depth == 1 and expecting:
                    count += 1
                    expecting = False
                    if count == index:
                        return line
                if ch in "\"'":
                    quote = ch * 3 if text.startswith(ch * 3, i) else ch
                    j = i + len(quote)
                    while j < len(text) and not text.startswith(quote, j):
                        j += 2 if (ch == '"' and text[j] == "\\") else 1
                    line += text.count("\n", i, j)
                    i = j + len(quote)
                    continue
                if ch in "[{":
                    depth += 1
                    expecting = depth == 1
            elif ch in "]}":
                depth -= 1
                if depth <= 0:
                    return None
            elif ch == "," and depth == 1:
                expecting = True
            i += 1
        return None

    def describe(self, error: ErrorDetails, path: KeyPath, schema: type[BaseModel]) -> str:
        kind = error["type"]
        key = last_key(path)
        value = error.get("input")
        if kind == "extra_forbidden":
            allowed = allowed_keys(owner(schema, path))
            hint = did_you_mean(key, allowed) or f" (allowed: {', '.join(allowed)})"
            return f"unknown key {key!r}{hint}"
        if kind == "string_type":
            if isinstance(value, int) and not isinstance(value, bool):
                return f'counts and names are text here; quote it: {key} = "{value}"'
            return f"must be text, got {type(value).__name__} {value!r}"
        if kind == "string_pattern_mismatch":
            pattern = str(error.get("ctx", {}).get("pattern", ""))
            if pattern == _URL_RE:
                return f"{value!r} is not a web address (http:// or https://)"
            if pattern == _SLUG_RE:
                return f"{value!r} is not a lowercase id (letters, digits and single hyphens)"
            return f"{key} may not be empty"
        if kind == "too_short":
            return "needs at least one entry" if key != "members" else "a bloc needs at least one member list"
        if kind in ("greater_than_equal", "greater_than"):
            return f"must be at least 1, got {value!r} (leave seats out for the whole list)"
        if kind in ("model_type", "dict_type"):
            return f"must be a table ({{ ... }} or [[{key}]]), got {type(value).__name__}"
        if kind in ("tuple_type", "list_type"):
            return f"must be an array [ ... ], got {type(value).__name__}"
        return super().describe(error, path, schema)


def _float_problem(value: float, key: str) -> str:
    """No value is a float: seats are whole numbers and other counts stay text."""
    if key == "seats":
        return f"{value!r} is not a whole number of seats"
    return f'{value!r} is a TOML float; counts stay exact text here: {key} = "{value!r}"'


# ----------------------------------------------------------------------------- loading


def _parse(data: bytes, source: str) -> _Where:
    """The file parsed, with no floats in it, as a locator that can validate and raise."""
    text, raw = parse(data, source)
    where = _Where(source, text, raw)
    where.refuse_floats(_float_problem)
    return where


def _election(election: str, where: _Where | None, path: KeyPath) -> Election:
    record = load_record()
    if election not in record.election_ids:
        if where is None:
            raise UnknownNameError("election", election, record.election_ids)
        raise where.unknown("election", election, record.election_ids, path)
    return record.election(election)


def _check_map(
    m: _Map, at: KeyPath, election: Election, where: _Where, *, need_sources: bool
) -> None:
    seats = {x.list_id: x.seats for x in election.lists}
    if m.date < election.date:
        raise where.error(
            (*at, "date"), f"{m.date} is before the election of {election.date} ({election.id})"
        )
    if need_sources and not m.sources:
        raise where.error((*at, "sources"), "every bundled map needs its source URL(s)")
    bloc_ids: set[str] = set()
    uses: dict[str, list[tuple[str, int | None]]] = {}
    for bi, bloc in enumerate(m.blocs):
        bat = (*at, "blocs", bi)
        if bloc.id in bloc_ids:
            raise where.error((*bat, "id"), f"duplicate bloc id {bloc.id!r} in map {m.id!r}")
        if bloc.id in seats:
            raise where.error(
                (*bat, "id"),
                f"bloc id {bloc.id!r} is also a list of election {election.id}; players are "
                "keyed by both, so give the bloc another id",
            )
        bloc_ids.add(bloc.id)
        if need_sources and not bloc.sources:
            raise where.error((*bat, "sources"), "every bundled bloc needs its source URL(s)")
        mine: set[str] = set()
        for mi, member in enumerate(bloc.members):
            mat = (*bat, "members", mi)
            list_id = member.list_id
            if list_id not in seats:
                raise where.unknown(f"list of election {election.id}", list_id, seats, (*mat, "list"))
            if list_id in mine:
                raise where.error((*mat, "list"), f"list {list_id!r} appears twice in bloc {bloc.id!r}")
            mine.add(list_id)
            if member.seats is not None and member.seats > seats[list_id]:
                raise where.error(
                    (*mat, "seats"),
                    f"{member.seats} seats of list {list_id!r}, but it won only {seats[list_id]} "
                    f"in {election.id}",
                )
            earlier = uses.setdefault(list_id, [])
            if earlier:
                others = ", ".join(repr(b) for b, _ in earlier)
                if member.seats is None or any(s is None for _, s in earlier):
                    raise where.error(
                        (*mat, "list"),
                        f"list {list_id!r} is already in bloc {others}; a list can be in two "
                        "blocs of one map only when each takes a stated number of its seats",
                    )
                total = member.seats + sum(s or 0 for _, s in earlier)
                if total > seats[list_id]:
                    raise where.error(
                        (*mat, "seats"),
                        f"blocs {others} and {bloc.id!r} take {total} seats of list {list_id!r}, "
                        f"which won only {seats[list_id]}",
                    )
            earlier.append((bloc.id, member.seats))
    for ci, claim in enumerate(m.claims):
        cat = (*at, "claims", ci)
        if claim.bloc is not None and claim.bloc not in bloc_ids:
            raise where.unknown(f"bloc of map {m.id!r}", claim.bloc, bloc_ids, (*cat, "bloc"))
        if need_sources and not claim.sources:
            raise where.error((*cat, "sources"), "every bundled claim needs its source URL(s)")


def _freeze(m: _Map, cycle: str, election: Election) -> BlocMap:
    return BlocMap(
        id=m.id,
        cycle=cycle,
        election=election.id,
        date=m.date,
        title=m.title,
        blocs=tuple(
            Bloc(
                id=b.id,
                name=b.name,
                members=tuple(BlocMember(x.list_id, x.seats, x.note) for x in b.members),
                claimed_seats=b.claimed_seats,
                sources=b.sources,
                notes=b.notes,
            )
            for b in m.blocs
        ),
        sources=m.sources,
        notes=m.notes,
        claims=tuple(Claim(c.what, c.count, c.bloc, c.sources, c.note) for c in m.claims),
        list_ids=tuple(x.list_id for x in election.lists),
    )


def _load_cycle(data: bytes, source: str, *, bundled: bool) -> tuple[BlocMap, ...]:
    where = _parse(data, source)
    cycle = where.validate(_Cycle)
    election = _election(cycle.election, where, ("election",))
    ids: set[str] = set()
    out = []
    for index, m in enumerate(cycle.maps):
        if m.id in ids:
            raise where.error(("maps", index, "id"), f"duplicate map id {m.id!r}")
        ids.add(m.id)
        _check_map(m, ("maps", index), election, where, need_sources=bundled)
        out.append(_freeze(m, cycle.cycle, election))
    return tuple(out)


def load_bloc_cycle_file(path: str | Path) -> tuple[BlocMap, ...]:
    """All maps of a cycle file (the bundled format: ``cycle``, ``election``, ``[[maps]]``).

    Validated like the bundled files, except that sources may be left out.
    """
    path = Path(path)
    return _load_cycle(read_bytes(path, "bloc"), str(path), bundled=False)


def load_bloc_file(path: str | Path, election: str) -> BlocMap:
    """A user's own bloc map, validated against the record's lists of ``election``.

    The file holds one map at top level: ``id``, ``date``, ``title``,
    optional ``sources``, ``notes``, ``cycle`` (default ``"user"``) and
    ``election`` (if given, it must equal the argument), then ``[[blocs]]``
    with ``members = [{ list = "...", seats = 10 }, ...]`` and optional
    ``[[claims]]``. Sources are welcome but not required.
    """
    path = Path(path)
    source = str(path)
    record = load_record()
    if election not in record.election_ids:
        raise UnknownNameError("election", election, record.election_ids)
    where = _parse(read_bytes(path, "bloc"), source)
    m = where.validate(_UserMap)
    if m.election is not None and m.election != election:
        raise where.error(
            ("election",), f"the file is for election {m.election!r}, but {election!r} was asked for"
        )
    target = record.election(election)
    _check_map(m, (), target, where, need_sources=False)
    return _freeze(m, m.cycle or "user", target)


# ----------------------------------------------------------------------------- bundled


def _bloc_dir() -> Traversable:
    return resources.files("muhasasa").joinpath("packs", "iraq", "blocs")


@cache
def _bundled() -> tuple[BlocMap, ...]:
    folder = _bloc_dir()
    maps: list[BlocMap] = []
    seen: dict[str, str] = {}
    if not folder.is_dir():
        return ()
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if not (item.is_file() and item.name.endswith(".toml")):
            continue
        display = f"packs/iraq/blocs/{item.name}"
        found = _load_cycle(item.read_bytes(), display, bundled=True)
        cycle = item.name[: -len(".toml")]
        for m in found:
            if m.cycle != cycle:
                raise InputError(
                    display, f"cycle {m.cycle!r} differs from the file name {cycle!r}", field="cycle"
                )
            if m.id in seen:
                raise InputError(display, f"map id {m.id!r} also exists in {seen[m.id]}", field="maps.id")
            seen[m.id] = display
        maps.extend(found)
    return tuple(sorted(maps, key=lambda m: (m.date, m.id)))


def bloc_maps(election: str | None = None) -> tuple[BlocMap, ...]:
    """The bundled bloc maps, by date: all of them, or those of one election.

    >>> [m.id for m in bloc_maps("2010")]
    ['2010-06-01-national-alliance']
    """
    maps = _bundled()
    if election is None:
        return maps
    _election(election, None, ())
    return tuple(m for m in maps if m.election == election)


def bloc_map(election: str, when: str | None = None) -> BlocMap:
    """One bundled bloc map of an election.

    ``when`` is a map id, a date ``YYYY-MM-DD`` (the latest map on or before
    it) or ``None`` (the latest map).

    >>> bloc_map("2021", "2022-03-27").id
    '2022-03-26-presidential-session'
    >>> bloc_map("2021", "2022-03-23-save-the-homeland").date
    datetime.date(2022, 3, 23)
    """
    maps = bloc_maps(election)
    if not maps:
        raise InputError("argument", f"no bloc map is bundled for election {election!r}", field="election")
    if when is None:
        return maps[-1]
    for m in maps:
        if m.id == when:
            return m
    try:
        day = dt.date.fromisoformat(when)
    except (TypeError, ValueError):
        if isinstance(when, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", when):
            raise InputError("argument", f"{when!r} is not a valid date", field="when") from None
        elsewhere = [m for m in _bundled() if m.id == when]
        if elsewhere:
            raise InputError(
                "argument",
                f"bloc map {when!r} belongs to election {elsewhere[0].election!r}, not {election!r}",
            ) from None
        raise UnknownNameError(
            f"bloc map of {election} (or a date YYYY-MM-DD)", str(when), [m.id for m in maps]
        ) from None
    before = [m for m in maps if m.date <= day]
    if not before:
        raise InputError(
            "argument",
            f"no bloc map of election {election!r} on or before {day}; the first is "
            f"{maps[0].id!r} of {maps[0].date}",
        )
    return before[-1]
