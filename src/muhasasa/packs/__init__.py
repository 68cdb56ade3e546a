"""Packs: the rules and the record of a political system, as data, and the one object that
knows where their files live.

A pack (``iraq``, or a user's folder) holds one or more elected **bodies** — the federal
parliament, the provincial councils, a regional parliament — each with its laws, its
record, its constitution, its convention, its bloc maps and its formation cycles::

    packs/<pack>/pack.toml            the pack: bodies, communities, minorities, regions
    packs/<pack>/<body>/body.toml     the body's names
    packs/<pack>/<body>/laws/<id>.toml
    packs/<pack>/<body>/record/*.csv
    packs/<pack>/<body>/constitution.toml, convention.toml
    packs/<pack>/<body>/blocs/<cycle>.toml
    packs/<pack>/<body>/formation/cycles.csv, events.toml, parameters.toml, actors/<cycle>.toml
    packs/<pack>/<body>/formation/outside.toml  outside players' positions on the nominees
    packs/<pack>/<body>/formation/offices.csv   offices filled per district (governors ...)

:func:`load` gives a :class:`Pack`, a bundled one by name or a user's by path, validated
the same way; its methods load each kind of file once and keep it. Ids of elections, laws
and cycles are unique across the whole pack, so a pack finds the body an id belongs to.

>>> iraq = load("iraq")
>>> iraq.id, list(iraq.bodies), iraq.body_of("2025").id
('iraq', ['parliament', 'provincial', 'kurdistan'], 'parliament')
>>> iraq.law("2025").house_size == iraq.election("2025").house_size
True
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Protocol

from muhasasa.errors import InputError, UnknownNameError
from muhasasa.packs.schema.blocs import BlocMap, load_bloc_cycle_bytes, load_bloc_map_bytes
from muhasasa.packs.schema.candidates import CANDIDATE_FILES, CandidateRecord, load_candidate_files
from muhasasa.packs.schema.constitution import Constitution, load_constitution_bytes
from muhasasa.packs.schema.convention import Convention, load_convention_bytes
from muhasasa.packs.schema.history import (
    Actors,
    CycleRecord,
    Event,
    load_actors_bytes,
    load_cycles_bytes,
    load_events_bytes,
)
from muhasasa.packs.schema.law import Law, load_law_bytes
from muhasasa.packs.schema.offices import OfficeHolder, load_offices_bytes
from muhasasa.packs.schema.outside import OutsideFile, load_outside_bytes
from muhasasa.packs.schema.pack import BodyFile, Community, Minority, PackFile, Region
from muhasasa.packs.schema.parameters import ParametersFile, load_parameters_bytes
from muhasasa.packs.schema.record import RECORD_FILES, Election, Record, load_record_files
from muhasasa.packs.schema.whatif import WhatIf, load_whatif_bytes
from muhasasa.packs.toml import load_toml, read_file_bytes

__all__ = ["Body", "Pack", "PackLike", "bundled", "load"]

DEFAULT_PACK = "iraq"


class _Folder(Protocol):
    """A folder of a pack: an installed resource or a user's directory."""

    name: str

    def joinpath(self, *parts: str) -> Any: ...
    def is_file(self) -> bool: ...
    def is_dir(self) -> bool: ...
    def iterdir(self) -> Iterator[Any]: ...
    def read_bytes(self) -> bytes: ...


@dataclass(frozen=True)
class Body:
    """An elected body of a pack: its id, its names and its folder."""

    id: str
    name_en: str
    name_ar: str
    folder: _Folder = field(repr=False)
    display: str = field(repr=False)

    def file(self, *parts: str) -> tuple[str, bytes] | None:
        """The display name and bytes of one of the body's files, or None if it has none."""
        item = self.folder.joinpath(*parts)
        if not item.is_file():
            return None
        return "/".join((self.display, *parts)), item.read_bytes()

    def names(self, *parts: str, suffix: str) -> tuple[str, ...]:
        """The names (without ``suffix``) of the files in one of the body's folders, sorted."""
        folder = self.folder.joinpath(*parts)
        if not folder.is_dir():
            return ()
        return tuple(sorted(item.name[: -len(suffix)] for item in folder.iterdir()
                            if item.name.endswith(suffix) and item.is_file()))


class Pack:
    """A pack of rules and record, validated; each kind of file is loaded once, on first use."""

    def __init__(self, root: _Folder, display: str) -> None:
        self.root = root
        self.display = display
        data = root.joinpath("pack.toml")
        if not data.is_file():
            raise InputError(display, "not a pack: it has no pack.toml")
        spec = load_toml(data.read_bytes(), f"{display}/pack.toml", PackFile)
        self.spec = spec
        self.id: str = spec.id
        self.name_en: str = spec.name_en
        self.name_ar: str = spec.name_ar
        self.communities: tuple[Community, ...] = spec.communities
        self.minorities: tuple[Minority, ...] = spec.minorities
        self.regions: tuple[Region, ...] = spec.regions
        bodies: dict[str, Body] = {}
        for index, folder_name in enumerate(spec.bodies):
            folder = root.joinpath(folder_name)
            body_file = folder.joinpath("body.toml")
            if not body_file.is_file():
                raise InputError(f"{display}/pack.toml", f"body {folder_name!r} has no folder with a body.toml",
                                 field=f"bodies[{index + 1}]")
            body_display = f"{display}/{folder_name}"
            meta = load_toml(body_file.read_bytes(), f"{body_display}/body.toml", BodyFile)
            if meta.id != folder_name:
                raise InputError(f"{body_display}/body.toml", f"id {meta.id!r} differs from its folder {folder_name!r}",
                                 field="id")
            bodies[meta.id] = Body(meta.id, meta.name_en, meta.name_ar, folder, body_display)
        self.bodies: Mapping[str, Body] = bodies
        self._cache: dict[tuple[str, ...], Any] = {}

    def __repr__(self) -> str:
        return f"Pack({self.id!r}, bodies={list(self.bodies)})"

    def _once(self, key: tuple[str, ...], build: Any) -> Any:
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    # ------------------------------------------------------------------ bodies

    def body(self, body_id: str | None = None) -> Body:
        """A body by id; with none, the pack's first (its main) body."""
        if body_id is None:
            return next(iter(self.bodies.values()))
        if body_id not in self.bodies:
            raise UnknownNameError("body", body_id, self.bodies, field="body")
        return self.bodies[body_id]

    def body_of(self, election_id: str) -> Body:
        """The body an election (or a law or cycle named by its election) belongs to."""
        return self.bodies[self.election(election_id).body]

    @property
    def community_ids(self) -> tuple[str, ...]:
        """The pack's communities, in display order."""
        return tuple(c.id for c in self.communities)

    # ------------------------------------------------------------------ record

    def body_record(self, body: str | None = None) -> Record:
        """The record of one body."""
        chosen = self.body(body)

        def build() -> Record:
            files = {name: chosen.file("record", name) for name in RECORD_FILES}
            return load_record_files(files, body=chosen.id, communities=self.community_ids,
                                     minorities=tuple(m.id for m in self.minorities))

        return self._once(("record", chosen.id), build)

    def record(self) -> Record:
        """The record of every body: each body's elections in chronological order, bodies in
        the pack's order. An election id given by two bodies is an error."""

        def build() -> Record:
            elections: list[Election] = []
            seen: dict[str, str] = {}
            for body in self.bodies:
                for election in self.body_record(body).elections:
                    if election.id in seen:
                        raise InputError(f"{self.bodies[body].display}/record/elections.csv",
                                         f"election id {election.id!r} is also an election of body "
                                         f"{seen[election.id]!r}; ids are unique within a pack",
                                         field="election")
                    seen[election.id] = body
                    elections.append(election)
            return Record(elections=tuple(elections))

        return self._once(("record",), build)

    def record_from(self, folder: str | Path, *, body: str = "user") -> Record:
        """A record read from a folder of CSV files in the pack's format (a user's own, or a
        tampered copy in a test), validated with the pack's communities."""
        root = Path(folder)
        files = {name: (str(root / name), (root / name).read_bytes()) if (root / name).is_file() else None
                 for name in RECORD_FILES}
        return load_record_files(files, body=body, communities=self.community_ids,
                                 minorities=tuple(m.id for m in self.minorities))

    def candidate_record(self, body: str | None = None) -> CandidateRecord:
        """The candidate-level results of one body (seats by group and sub-district, every
        candidate's votes, the declared winners and later rulings); empty where the body's
        record has none."""
        chosen = self.body(body)

        def build() -> CandidateRecord:
            record = self.body_record(chosen.id)
            districts = {(e.id, d.district): d.general_seats for e in record.elections for d in e.districts}
            lists = {(e.id, dv.district): {r.list_id: r.votes for r in dv.rows}
                     for e in record.elections for dv in e.district_results}
            files = {name: chosen.file("record", name) for name in CANDIDATE_FILES}
            return load_candidate_files(files, districts=districts, lists=lists, communities=self.community_ids)

        return self._once(("candidates", chosen.id), build)

    def election(self, election_id: str) -> Election:
        """One election of any body."""
        return self.record().election(election_id)

    # ------------------------------------------------------------------ laws

    def law_ids(self, body: str | None = None) -> tuple[str, ...]:
        """Ids of the laws of one body, or of every body, in order (ids are written year or
        year-month, so their text order is their chronological order)."""
        bodies = [self.body(body)] if body is not None else list(self.bodies.values())
        ids: list[str] = []
        for b in bodies:
            ids.extend(b.names("laws", suffix=".toml"))
        return tuple(ids)

    def _law_body(self, law_id: str) -> Body:
        for body in self.bodies.values():
            if law_id in body.names("laws", suffix=".toml"):
                return body
        raise UnknownNameError("law", law_id, self.law_ids(), field="law")

    def law(self, law_id: str) -> Law:
        """A law of the pack by id, validated against its body's elections."""

        def build() -> Law:
            body = self._law_body(law_id)
            display, data = body.file("laws", f"{law_id}.toml")  # type: ignore[misc]
            return load_law_bytes(data, display, elections=self.body_record(body.id).election_ids,
                                  law_id=law_id)

        return self._once(("law", law_id), build)

    def law_file(self, path: str | Path) -> Law:
        """A user's own law file, validated exactly like the pack's, against its elections."""
        return load_law_bytes(read_file_bytes(path, "law"), str(path), elections=self.record().election_ids)

    def laws_for(self, election_id: str) -> tuple[str, ...]:
        """Ids of the laws of the pack that governed an election."""
        body = self.body_of(election_id)
        return tuple(i for i in self.law_ids(body.id) if self.law(i).election == election_id)

    def law_of(self, election_id: str) -> Law:
        """The law that governed an election (the pack must hold exactly one)."""
        ids = self.laws_for(election_id)
        if not ids and self.election(election_id).seats_only:
            raise InputError(self.body_of(election_id).display, f"election {election_id} is recorded as declared "
                             "seats only (results = seats-only, no votes): the pack has no law for it", field="law")
        if len(ids) != 1:
            raise InputError(self.body_of(election_id).display, f"the pack has {len(ids)} laws for election "
                             f"{election_id}, expected 1", field="law")
        return self.law(ids[0])

    # ------------------------------------------------------------------ constitution

    def constitution(self, body: str | None = None) -> Constitution:
        """The constitution of a body (the main body's when none is named)."""
        chosen = self.body(body)

        def build() -> Constitution:
            found = chosen.file("constitution.toml")
            if found is None:
                raise InputError(chosen.display, f"body {chosen.id!r} has no constitution.toml", field="body")
            return load_constitution_bytes(found[1], found[0])

        return self._once(("constitution", chosen.id), build)

    def constitution_file(self, path: str | Path) -> Constitution:
        """A user's own constitution file, validated exactly like the pack's."""
        return load_constitution_bytes(read_file_bytes(path, "constitution"), str(path))

    # ------------------------------------------------------------------ convention

    def convention(self, body: str | None = None) -> Convention:
        """The convention of a body (offices by community, ministries, points systems, the
        formation model's steps), checked against the body's formation cycles."""
        chosen = self.body(body)

        def build() -> Convention:
            found = chosen.file("convention.toml")
            if found is None:
                raise InputError(chosen.display, f"body {chosen.id!r} has no convention.toml", field="body")
            cycles = [c.cycle for c in self.history(chosen.id)]
            return load_convention_bytes(found[1], found[0], formation_cycles=cycles)

        return self._once(("convention", chosen.id), build)

    def convention_file(self, path: str | Path) -> Convention:
        """A user's own convention file, validated exactly like the pack's."""
        return load_convention_bytes(read_file_bytes(path, "convention"), str(path))

    # ------------------------------------------------------------------ formation record

    def history(self, body: str | None = None) -> tuple[CycleRecord, ...]:
        """The formation cycles of a body (``formation/cycles.csv``), in order; none if the
        body has no formation record."""
        chosen = self.body(body)

        def build() -> tuple[CycleRecord, ...]:
            found = chosen.file("formation", "cycles.csv")
            if found is None:
                return ()
            return load_cycles_bytes(found[1], found[0], self, chosen.id)

        return self._once(("history", chosen.id), build)

    def cycles(self) -> tuple[CycleRecord, ...]:
        """The formation cycles of every body."""
        return tuple(c for body in self.bodies for c in self.history(body))

    def cycle(self, cycle_id: str) -> CycleRecord:
        """One formation cycle of any body (an UnknownNameError with suggestions if none)."""
        for c in self.cycles():
            if c.cycle == cycle_id:
                return c
        raise UnknownNameError("formation cycle", str(cycle_id), (c.cycle for c in self.cycles()), field="cycle")

    def cycles_file(self, path: str | Path, body: str | None = None) -> tuple[CycleRecord, ...]:
        """Cycle records from a user's CSV file in the format of ``cycles.csv``, validated alike."""
        return load_cycles_bytes(read_file_bytes(path, "cycles"), str(path), self, self.body(body).id)

    def _cycles_by_id(self) -> dict[str, CycleRecord]:
        return {c.cycle: c for c in self.cycles()}

    def _all_events(self) -> tuple[Event, ...]:
        def build() -> tuple[Event, ...]:
            out: list[Event] = []
            for body in self.bodies.values():
                found = body.file("formation", "events.toml")
                if found is not None:
                    out.extend(load_events_bytes(found[1], found[0], self, self._cycles_by_id(), bundled=True))
            return tuple(sorted(out, key=lambda e: (e.date, e.id)))

        return self._once(("events",), build)

    def events(self, cycle: str) -> tuple[Event, ...]:
        """The recorded exogenous events of one formation cycle, by date."""
        self.cycle(cycle)
        return tuple(e for e in self._all_events() if e.cycle == cycle)

    def events_file(self, path: str | Path) -> tuple[Event, ...]:
        """Events from a user's own TOML file, validated alike except that sources may be left out."""
        return load_events_bytes(read_file_bytes(path, "events"), str(path), self, self._cycles_by_id(),
                                 bundled=False)

    def actor_cycles(self) -> tuple[str, ...]:
        """The formation cycles with bundled actors."""
        out: list[str] = []
        for body in self.bodies.values():
            out.extend(body.names("formation", "actors", suffix=".toml"))
        return tuple(sorted(out))

    def actors(self, cycle: str) -> Actors:
        """The actors of a formation cycle (editorial defaults), validated."""
        if cycle not in self.actor_cycles():
            raise UnknownNameError("formation cycle with actors", str(cycle), self.actor_cycles(), field="cycle")

        def build() -> Actors:
            body = self.body_of(self.cycle(cycle).election)
            display, data = body.file("formation", "actors", f"{cycle}.toml")  # type: ignore[misc]
            return load_actors_bytes(data, display, cycle, self, self._cycles_by_id(), bundled=True)

        return self._once(("actors", cycle), build)

    def actors_file(self, path: str | Path, cycle: str) -> Actors:
        """A user's own actors file for ``cycle``, validated like the pack's (sources may be
        left out, and ``basis`` may say anything)."""
        return load_actors_bytes(read_file_bytes(path, "actors"), str(path), cycle, self, self._cycles_by_id(),
                                 bundled=False)

    def formation_parameters(self, body: str | None = None) -> ParametersFile:
        """The formation model's calibrated parameters of a body (``formation/parameters.toml``)."""
        chosen = self.body(body)

        def build() -> ParametersFile:
            found = chosen.file("formation", "parameters.toml")
            if found is None:
                raise InputError(chosen.display, f"body {chosen.id!r} has no formation/parameters.toml",
                                 field="body")
            return load_parameters_bytes(found[1], found[0])

        return self._once(("parameters", chosen.id), build)

    def outside(self, body: str | None = None) -> OutsideFile | None:
        """The outside players of a body's formation record and their positions on the nominees
        (``formation/outside.toml``), validated; None if the body has no such file."""
        chosen = self.body(body)

        def build() -> OutsideFile | None:
            found = chosen.file("formation", "outside.toml")
            if found is None:
                return None
            return load_outside_bytes(found[1], found[0], self, self._cycles_by_id())

        return self._once(("outside", chosen.id), build)

    def office_holders(self, body: str | None = None) -> tuple[OfficeHolder, ...]:
        """The offices a body's districts filled after its elections (``formation/offices.csv``:
        governors, council chairs ...), each dated and sourced; none if the body has no such file."""
        chosen = self.body(body)

        def build() -> tuple[OfficeHolder, ...]:
            found = chosen.file("formation", "offices.csv")
            if found is None:
                return ()
            elections = {e.id: e for e in self.body_record(chosen.id).elections}
            return load_offices_bytes(found[1], found[0], elections)

        return self._once(("offices", chosen.id), build)

    def whatif_file(self, path: str | Path) -> WhatIf:
        """A user's formation what-if file, validated."""
        return load_whatif_bytes(read_file_bytes(path, "what-if"), str(path))

    # ------------------------------------------------------------------ blocs

    def bloc_maps(self, election: str | None = None) -> tuple[BlocMap, ...]:
        """The pack's bloc maps by date: all of them, or those of one election.

        >>> [m.id for m in load("iraq").bloc_maps("2010")]
        ['2010-06-01-national-alliance']
        """

        def build() -> tuple[BlocMap, ...]:
            elections = {e.id: e for e in self.record().elections}
            maps: list[BlocMap] = []
            seen: dict[str, str] = {}
            for body in self.bodies.values():
                for cycle in body.names("blocs", suffix=".toml"):
                    display, data = body.file("blocs", f"{cycle}.toml")  # type: ignore[misc]
                    found = load_bloc_cycle_bytes(data, display, elections, bundled=True)
                    if found.cycle != cycle:
                        raise InputError(display, f"cycle {found.cycle!r} differs from the file name {cycle!r}",
                                         field="cycle")
                    for m in found.maps:
                        if m.id in seen:
                            raise InputError(display, f"map id {m.id!r} also exists in {seen[m.id]}", field="maps")
                        seen[m.id] = display
                    maps.extend(found.maps)
            return tuple(sorted(maps, key=lambda m: (m.date, m.id)))

        maps = self._once(("blocs",), build)
        if election is None:
            return maps
        self.election(election)
        return tuple(m for m in maps if m.election == election)

    def bloc_map(self, election: str, when: str | None = None) -> BlocMap:
        """One bloc map of an election: ``when`` is a map id, a date ``YYYY-MM-DD`` (the
        latest map on or before it) or None (the latest map).

        >>> load("iraq").bloc_map("2021", "2022-03-27").id
        '2022-03-26-presidential-session'
        """
        maps = self.bloc_maps(election)
        if not maps:
            raise InputError("argument", f"the pack has no bloc map for election {election!r}", field="blocs")
        if when is None:
            return maps[-1]
        for m in maps:
            if m.id == when:
                return m
        try:
            day = dt.date.fromisoformat(when)
        except (TypeError, ValueError):
            if isinstance(when, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", when):
                raise InputError("argument", f"{when!r} is not a valid date", field="blocs") from None
            elsewhere = [m for m in self.bloc_maps() if m.id == when]
            if elsewhere:
                raise InputError("argument", f"bloc map {when!r} belongs to election "
                                 f"{elsewhere[0].election!r}, not {election!r}", field="blocs") from None
            raise UnknownNameError(f"bloc map of {election} (or a date YYYY-MM-DD)", str(when),
                                   [m.id for m in maps], field="blocs") from None
        before = [m for m in maps if m.date <= day]
        if not before:
            raise InputError("argument", f"no bloc map of election {election!r} on or before {day}; the first "
                             f"is {maps[0].id!r} of {maps[0].date}", field="blocs")
        return before[-1]

    def bloc_file(self, path: str | Path, election: str) -> BlocMap:
        """A user's own bloc map, validated against the record's lists of ``election``."""
        target = self.election(election)
        return load_bloc_map_bytes(read_file_bytes(path, "bloc"), str(path), target)

    def bloc_cycle_file(self, path: str | Path) -> tuple[BlocMap, ...]:
        """All maps of a user's cycle file (the pack's own format), validated like the pack's,
        except that sources may be left out."""
        elections = {e.id: e for e in self.record().elections}
        return load_bloc_cycle_bytes(read_file_bytes(path, "bloc"), str(path), elections, bundled=False).maps


@lru_cache(maxsize=8)
def _bundled_pack(name: str) -> Pack:
    root = resources.files("muhasasa").joinpath("packs", name)
    return Pack(root, f"packs/{name}")


@lru_cache(maxsize=8)
def _user_pack(path: Path) -> Pack:
    return Pack(path, str(path))


def bundled() -> tuple[str, ...]:
    """Names of the packs installed with muhasasa.

    >>> "iraq" in bundled()
    True
    """
    root: Traversable = resources.files("muhasasa").joinpath("packs")
    return tuple(sorted(item.name for item in root.iterdir()
                        if item.is_dir() and item.joinpath("pack.toml").is_file()))


PackLike = str | Path | Pack | None


def load(pack: PackLike = None) -> Pack:
    """A pack: a bundled one by name (``"iraq"``, the default when None), or a user's folder
    by path.

    A name that is not a bundled pack but an existing folder is read as a user's pack;
    anything else is an UnknownNameError listing the bundled packs.
    """
    if isinstance(pack, Pack):
        return pack
    if pack is None:
        pack = DEFAULT_PACK
    if isinstance(pack, str) and pack in bundled():
        return _bundled_pack(pack)
    path = Path(pack)
    if path.is_dir():
        return _user_pack(path.resolve())
    raise UnknownNameError("pack", str(pack), bundled(), field="pack")
