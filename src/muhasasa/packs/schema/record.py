"""The record of a pack body's elections, validated on load: one row model per CSV file.

The record is the project's own copy of the facts it uses: results per list, the seat
plan of every election, district x list votes and official seats, reserved minority seats
and candidate results. It lives as CSV files in a body's ``record/`` folder (see the
README there); every row carries its source URL(s). Unknown numbers are empty in the files
and ``None`` here, never zero.

Each file's row is one frozen pydantic model (:class:`ListResult` for ``lists.csv``, …)
whose fields are the columns, read by :func:`muhasasa.packs.csv.read_rows`. Loading
(:func:`load_record_files`) checks the files strictly and stops at the first problem with
an :class:`~muhasasa.errors.InputError` that names the file, the line (the header is line
1) and the column: required columns, non-negative integers written as integers,
duplicates, districts and lists that must exist, communities of the pack, and the seat and
vote totals that must add up (lists to the house size where the record is complete,
districts to the house size, official seats within a district's seats, itemized votes
within a known valid total).

>>> import muhasasa.packs as packs
>>> rec = packs.load("iraq").record()
>>> rec.election_ids[:3]
('2005-01', '2005-12', '2010')
>>> e = rec.election("2025")
>>> e.house_size == sum(x.seats for x in e.lists), e.body
(True, 'parliament')
>>> e.list("kdp").name_en
'Kurdistan Democratic Party'
>>> e.district_votes("Dhi Qar").residual_votes
48592
>>> rec.list_name("2018", "kig")
'Kurdistan Islamic Group'
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict

from muhasasa.errors import InputError, UnknownNameError
from muhasasa.packs.csv import (
    Count,
    Date,
    Decimal,
    OptCount,
    OptSlug,
    PipeList,
    Required,
    Row,
    Slug,
    Text,
    YesNo,
    one_of,
    read_rows,
)

__all__ = [
    "RECORD_FILES",
    "CandidateRow",
    "Conflict",
    "DistrictListRow",
    "DistrictPlan",
    "DistrictTotals",
    "DistrictVotes",
    "Election",
    "ElectionRow",
    "GroupSeats",
    "ListResult",
    "MinoritySeat",
    "Record",
    "SeatScope",
    "Subdistrict",
    "load_record_files",
]

TIERS = ("governorate", "national-compensatory", "national")
ITEMIZATION = ("complete", "seat-winners", "partial", "none")
#: What an election's record holds: ``votes`` (the default: votes to allocate and verify) or
#: ``seats-only`` (declared seats, no votes: not allocatable, not verifiable, and no law file
#: is required; kept so that the parliament can seat a formation cycle and its bloc maps).
RESULTS = ("votes", "seats-only")


def _choice(*choices: str, optional: bool = False) -> Any:
    """A column that holds one of ``choices`` (or nothing, if ``optional``)."""
    return Annotated[str | None if optional else str, BeforeValidator(one_of(choices, optional=optional))]


VotesStatus = _choice("final", "preliminary", "final-rounded", optional=True)
SeatsStatus = _choice("final", "preliminary", "derived", optional=True)


# ----------------------------------------------------------------------------- rows


class ElectionRow(Row):
    """One election of the body (``elections.csv``): its house and its totals."""

    election: Required
    date: Date
    house_size: Count
    general_seats: Count
    minority_seats: Count
    compensatory_seats: Count
    registered: OptCount
    votes_cast: OptCount
    valid_votes: OptCount
    invalid_votes: OptCount
    turnout_pct: Decimal
    turnout_source_note: Text
    seats_complete: YesNo
    source: Required
    notes: Text
    #: ``seats-only`` for an election recorded without votes (:data:`RESULTS`); empty is ``votes``
    results: _choice(*RESULTS, optional=True) = None


class ListResult(Row):
    """One list's result in one election (``lists.csv``).

    ``community`` is an editorial classification by the dossier author, not an
    official category: ``community_basis`` says so on every row. ``name_ar_basis`` says
    where the Arabic name comes from: ``printed`` by a source about this election,
    ``common`` (in common use for the party or list, not seen for this election; both
    with their URLs in ``name_ar_source``) or ``ours`` (the project's own transliteration
    or rendering, for want of a source). ``held_by = "members"``
    marks seats held by unaffiliated members one by one (independents, reserved seats
    whose holders the record does not name): in the games each is a player of one seat.
    """

    election: Required
    list_id: Slug
    name_en: Required
    name_ar: Text
    name_ar_basis: _choice("printed", "common", "ours", optional=True) = None
    name_ar_source: Text = None
    aliases: PipeList
    leader: Text
    votes: OptCount
    votes_status: VotesStatus
    vote_share_pct: Decimal
    seats: Count
    held_by: _choice("members", optional=True) = None
    community: Text
    community_basis: _choice("editorial")
    status: _choice("final", "preliminary")
    status_note: Text
    source: Required
    notes: Text

    @property
    def individual_seats(self) -> bool:
        """Whether the row's seats are held one by one, not by a list acting together."""
        return self.held_by == "members"

    @property
    def names(self) -> frozenset[str]:
        """Every name this list goes by in the record (English, Arabic, aliases)."""
        return frozenset(n for n in (self.name_en, self.name_ar, *self.aliases) if n)


class DistrictPlan(Row):
    """One district of an election's seat plan (``districts.csv``).

    ``general_seats`` are the seats contested by lists in the district (for a
    national compensatory tier, its compensatory seats), empty where no source gives
    them (``seats_status = "unknown"``: the districts' sums are then checked as bounds);
    ``minority_seats`` the reserved quota seats allotted to it.
    """

    election: Required
    district: Required
    tier: _choice(*TIERS)
    general_seats: OptCount
    minority_seats: Count
    women_minimum: OptCount
    seats_status: _choice("sourced", "derived", "inferred", "unknown")
    source: Required
    notes: Text


class DistrictListRow(Row):
    """One list's votes and official seats in one district (``district_votes.csv``).

    ``seats_official`` is ``None`` when not known: it is never a stand-in for 0.
    """

    election: Required
    district: Required
    list_id: Slug
    name_en: Required
    name_ar: Text
    ballot_no: Text
    votes: OptCount
    votes_status: VotesStatus
    seats_official: OptCount
    seats_status: SeatsStatus
    source: Required
    notes: Text


class DistrictTotals(Row):
    """A district's totals and how fully its lists are itemized (``district_totals.csv``)."""

    election: Required
    district: Required
    valid_votes: OptCount
    votes_cast: OptCount
    registered: OptCount
    itemization: _choice(*ITEMIZATION)
    official_seats_complete: YesNo
    source: Required
    notes: Text


class MinoritySeat(Row):
    """Reserved (quota) seats of one community in one governorate (``minority_seats.csv``).

    ``constituency`` is ``national`` where the community's voters formed one
    nationwide constituency, ``governorate`` where the seat was contested in its
    governorate, ``unknown`` where the sources do not say.
    """

    election: Required
    community: Required
    governorate: Required
    seats: Count
    constituency: _choice("national", "governorate", "unknown")
    constituency_note: Text
    source: Required
    notes: Text


class CandidateRow(Row):
    """One candidate's result (``candidates.csv``); very partial."""

    election: Required
    district: Text
    governorate: Required
    candidate: Text
    list_id: OptSlug
    list_label: Text
    gender: _choice("female", "male", optional=True)
    votes: OptCount
    elected: YesNo
    seat_type: Required
    status: _choice("final", "preliminary", "disputed")
    status_note: Text
    source: Required
    notes: Text


class Subdistrict(Row):
    """One electoral district inside a governorate where the law draws several (2021's 83)
    (``subdistricts.csv``)."""

    election: Required
    governorate: Required
    district_no: Count
    seats: OptCount
    women_reserved: OptCount
    area_composition: Text
    source: Required
    notes: Text


class SeatScope(Row):
    """A premise, stated with its evidence: all of a list's national seats were won in
    ``districts`` (``seat_scopes.csv``). It lets a group of districts be checked
    against national totals where per-district seats were not published.
    """

    election: Required
    list_id: Slug
    districts: PipeList
    premise: Required
    evidence: Required
    source: Required


class GroupSeats(Row):
    """Seats a source counts for a group of lists in one district (``group_seats.csv``):
    the seats of a community's lists in a governorate, say, where the lists' own seats were
    not all published. ``lists`` names the group's lists (each a list with a row in the
    district); ``lists_basis`` says whether the source names them or the grouping is the
    record's editorial reading; ``grouping`` names what the groups are (``community``).
    """

    election: Required
    district: Required
    grouping: Required
    group: Required
    seats: Count
    lists: PipeList
    lists_basis: _choice("source", "editorial")
    source: Required
    notes: Text


class Conflict(Row):
    """A disagreement between sources and which figure the record keeps (``record_conflicts.csv``)."""

    election: Required
    topic: Required
    file: Required
    kept: Required
    alternative: Required
    source: Required
    notes: Text


#: The files of a record, their row models, and whether a body must have the file.
RECORD_FILES: dict[str, tuple[type[Row], bool]] = {
    "elections.csv": (ElectionRow, True),
    "lists.csv": (ListResult, True),
    "districts.csv": (DistrictPlan, True),
    "district_votes.csv": (DistrictListRow, False),
    "district_totals.csv": (DistrictTotals, True),
    "minority_seats.csv": (MinoritySeat, False),
    "candidates.csv": (CandidateRow, False),
    "subdistricts.csv": (Subdistrict, False),
    "seat_scopes.csv": (SeatScope, False),
    "record_conflicts.csv": (Conflict, False),
    "group_seats.csv": (GroupSeats, False),
}


# ----------------------------------------------------------------------------- built values


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DistrictVotes(_Frozen):
    """What the record knows of one district's result: list rows plus totals.

    ``itemization`` says how fully the district's lists are itemized
    (``complete``: every list, summing to the valid total; ``seat-winners``:
    every seat-winning list has a row; ``partial``; ``none``).
    ``official_seats_complete`` is true when the known official seats add up to
    the district's general seats.
    """

    election: str
    district: str
    rows: tuple[DistrictListRow, ...]
    valid_votes: int | None
    votes_cast: int | None
    registered: int | None
    itemization: str
    official_seats_complete: bool
    general_seats: int | None
    source: str
    notes: str | None

    @property
    def itemized_votes(self) -> dict[str, int]:
        """Votes of the rows whose votes are known, by list id."""
        return {r.list_id: r.votes for r in self.rows if r.votes is not None}

    @property
    def official_seats(self) -> dict[str, int]:
        """Official seats of the rows whose seats are known, by list id."""
        return {r.list_id: r.seats_official for r in self.rows if r.seats_official is not None}

    @property
    def residual_votes(self) -> int | None:
        """Valid votes not itemized by list, or ``None`` when the valid total is unknown."""
        if self.valid_votes is None:
            return None
        return self.valid_votes - sum(self.itemized_votes.values())

    def row(self, list_id: str) -> DistrictListRow:
        """The row of one list; :class:`UnknownNameError` if the district has none."""
        for r in self.rows:
            if r.list_id == list_id:
                return r
        raise UnknownNameError(f"list in {self.district} {self.election}", list_id,
                               (r.list_id for r in self.rows), field="list")


class Election(_Frozen):
    """One election as the record knows it.

    ``minority_seat_count`` and ``compensatory_seats`` are the house's reserved
    and national compensatory seats; ``minority_seats`` lists the reserved seats
    by community and governorate. ``seats_complete`` is false where the national
    list table is partial (2014).
    """

    id: str
    body: str
    date: dt.date
    house_size: int
    general_seats: int
    minority_seat_count: int
    compensatory_seats: int
    registered: int | None
    votes_cast: int | None
    valid_votes: int | None
    invalid_votes: int | None
    turnout_pct: str | None
    turnout_source_note: str | None
    seats_complete: bool
    source: str
    notes: str | None
    lists: tuple[ListResult, ...]
    districts: tuple[DistrictPlan, ...]
    district_results: tuple[DistrictVotes, ...]
    minority_seats: tuple[MinoritySeat, ...]
    candidates: tuple[CandidateRow, ...]
    subdistricts: tuple[Subdistrict, ...]
    conflicts: tuple[Conflict, ...]
    seat_scopes: tuple[SeatScope, ...] = ()
    group_seats: tuple[GroupSeats, ...] = ()
    results: str = "votes"

    @property
    def seats_only(self) -> bool:
        """Whether the record holds the declared seats only, no votes (:data:`RESULTS`):
        such an election is not allocated, not verified and needs no law file."""
        return self.results == "seats-only"

    def list(self, list_id: str) -> ListResult:
        """The national result of one list; :class:`UnknownNameError` if absent."""
        for x in self.lists:
            if x.list_id == list_id:
                return x
        raise UnknownNameError(f"list in {self.id}", list_id, (x.list_id for x in self.lists), field="list")

    def district(self, name: str) -> DistrictPlan:
        """One district of the seat plan; :class:`UnknownNameError` if absent."""
        for d in self.districts:
            if d.district == name:
                return d
        raise UnknownNameError(f"district in {self.id}", name, (d.district for d in self.districts),
                               field="district")

    def district_votes(self, district: str) -> DistrictVotes | None:
        """The district's list rows and totals, or ``None`` when no list is itemized.

        An unknown district name raises :class:`UnknownNameError`.
        """
        self.district(district)
        for dv in self.district_results:
            if dv.district == district:
                return dv
        return None


class Record(_Frozen):
    """The whole record: elections in chronological order."""

    elections: tuple[Election, ...]

    @property
    def election_ids(self) -> tuple[str, ...]:
        """Election ids in chronological order."""
        return tuple(e.id for e in self.elections)

    @property
    def conflicts(self) -> tuple[Conflict, ...]:
        """Every recorded conflict between sources."""
        return tuple(c for e in self.elections for c in e.conflicts)

    def election(self, election_id: str) -> Election:
        """One election; :class:`UnknownNameError` for an unknown id."""
        for e in self.elections:
            if e.id == election_id:
                return e
        raise UnknownNameError("election", election_id, self.election_ids, field="election")

    def list_name(self, election: str, list_id: str) -> str:
        """Display name (English) of a list, national or district-only.

        >>> import muhasasa.packs as packs
        >>> packs.load("iraq").record().list_name("2025", "peoples-front")
        "People's Front"
        """
        e = self.election(election)
        for x in e.lists:
            if x.list_id == list_id:
                return x.name_en
        for dv in e.district_results:
            for r in dv.rows:
                if r.list_id == list_id:
                    return r.name_en
        known = {x.list_id for x in e.lists} | {r.list_id for dv in e.district_results for r in dv.rows}
        raise UnknownNameError(f"list in {election}", list_id, known, field="list")


# ----------------------------------------------------------------------------- reading


class _Table:
    """Rows of one CSV file, validated by its row model, each with its line number."""

    def __init__(self, name: str, rows: list[tuple[int, Any]]) -> None:
        self.name = name
        self.rows = rows

    def fail(self, line: int | None, field: str | None, problem: str) -> InputError:
        return InputError(self.name, problem, line=line, field=field)


def _unique(table: _Table, key: tuple[str, ...]) -> None:
    seen: dict[tuple[Any, ...], int] = {}
    for line, row in table.rows:
        k = tuple(getattr(row, c) for c in key)
        if k in seen:
            raise table.fail(line, key[-1],
                             f"duplicate {', '.join(f'{c}={v!r}' for c, v in zip(key, k))} "
                             f"(first at line {seen[k]})")
        seen[k] = line


def _known(table: _Table, line: int, field: str, value: str | None, choices: Sequence[str], what: str) -> None:
    """``value`` must be one of ``choices`` (the pack's communities, the body's elections)."""
    if value is not None and value not in choices:
        close = difflib.get_close_matches(value, choices, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise table.fail(line, field, f"{value!r} is not {what} ({', '.join(choices)}){hint}")


# ----------------------------------------------------------------------------- loading


def load_record_files(
    files: Mapping[str, tuple[str, bytes] | None],
    *,
    body: str,
    communities: Sequence[str],
    minorities: Sequence[str],
) -> Record:
    """Load and validate a body's record from its CSV files.

    ``files`` maps each file name of :data:`RECORD_FILES` to its display name and bytes,
    or None where the body has no such file (a required one is then an error);
    ``communities`` and ``minorities`` are the pack's. Raises
    :class:`~muhasasa.errors.InputError` naming the file, line and column of the first
    problem found.
    """
    t: dict[str, _Table] = {}
    for name, (model, required) in RECORD_FILES.items():
        entry = files.get(name)
        if entry is None:
            if required:
                raise InputError(name, f"the record of {body!r} has no {name}")
            t[name] = _Table(name, [])
        else:
            display, data = entry
            t[name] = _Table(display, read_rows(data, display, model))
    el, li, di, dv, dt_, ms, ca, sd, sc, co, gs = (t[n] for n in RECORD_FILES)

    _unique(el, ("election",))
    _unique(li, ("election", "list_id"))
    _unique(di, ("election", "district"))
    _unique(dv, ("election", "district", "list_id"))
    _unique(dt_, ("election", "district"))
    _unique(ms, ("election", "community", "governorate"))
    _unique(sd, ("election", "governorate", "district_no"))

    # elections: every id once, arithmetic of the house
    erow = {r.election: (line, r) for line, r in el.rows}
    if not erow:
        raise el.fail(None, "election", f"the record of {body!r} has no election")
    election_ids = sorted(erow, key=lambda eid: erow[eid][1].date)
    for table in (li, di, dv, dt_, ms, ca, sd, sc, co, gs):
        for line, r in table.rows:
            _known(table, line, "election", r.election, election_ids, "an election of elections.csv")
    for line, r in li.rows:
        _known(li, line, "community", r.community, communities, "a community of the pack")
    for line, r in ms.rows:
        _known(ms, line, "community", r.community, minorities, "a minority community of the pack")
    for line, r in el.rows:
        parts = r.general_seats + r.minority_seats + r.compensatory_seats
        if parts != r.house_size:
            raise el.fail(line, "house_size",
                          f"house size {r.house_size} is not general + minority + compensatory "
                          f"seats ({parts})")
        _ordered(el, line, r, ("valid_votes", "votes_cast", "registered"))

    # lists
    lists_by_e: dict[str, list[tuple[int, Row]]] = defaultdict(list)
    for line, r in li.rows:
        lists_by_e[r.election].append((line, r))
        if r.votes is not None and r.votes_status is None:
            raise li.fail(line, "votes_status", "votes are given, so votes_status is required")
        _name_basis(li, line, r)
    seats_only = {eid for eid, (_, e) in erow.items() if e.results == "seats-only"}
    for table in (li, dv):
        for line, r in table.rows:
            if r.election in seats_only and r.votes is not None:
                raise table.fail(line, "votes", f"election {r.election} is seats-only in elections.csv "
                                                "(results): its rows hold no votes")
    for eid, rows in lists_by_e.items():
        eline, e = erow[eid]
        seats = sum(r.seats for _, r in rows)
        if e.seats_complete and seats != e.house_size:
            raise el.fail(eline, "seats_complete",
                          f"lists.csv seats of {eid} sum to {seats}, not the house size "
                          f"{e.house_size} (write 'no' here if the list table is partial)")
        if seats > e.house_size:
            raise li.fail(rows[-1][0], "seats",
                          f"seats of {eid} sum to {seats}, more than the house size {e.house_size}")
        votes = sum(r.votes or 0 for _, r in rows)
        if e.valid_votes is not None and votes > e.valid_votes:
            raise li.fail(rows[-1][0], "votes",
                          f"votes of {eid} lists sum to {votes}, more than the valid total "
                          f"{e.valid_votes} in elections.csv")
    nat = {(r.election, r.list_id): r for _, r in li.rows}

    # districts: seat plan adds up to the house
    plan: dict[tuple[str, str], Row] = {}
    plan_by_e: dict[str, list[tuple[int, Row]]] = defaultdict(list)
    for line, r in di.rows:
        plan[(r.election, r.district)] = r
        plan_by_e[r.election].append((line, r))
    for eid in election_ids:
        rows = plan_by_e.get(eid, [])
        e = erow[eid][1]
        if not rows:
            raise di.fail(None, "election", f"election {eid!r} has no districts")
        last = rows[-1][0]
        for line, r in rows:
            if (r.general_seats is None) != (r.seats_status == "unknown"):
                raise di.fail(line, "seats_status", "seats_status is 'unknown' exactly when general_seats is empty")
        if any(r.general_seats is None for _, r in rows):
            _bounded_plan(di, last, eid, rows, e)
            continue
        total = sum(r.general_seats + r.minority_seats for _, r in rows)
        if total != e.house_size:
            raise di.fail(last, "general_seats",
                          f"districts of {eid} hold {total} seats, not the house size {e.house_size}")
        comp = sum(r.general_seats for _, r in rows if r.tier == "national-compensatory")
        if comp != e.compensatory_seats:
            raise di.fail(last, "general_seats",
                          f"compensatory tier of {eid} holds {comp} seats, elections.csv says "
                          f"{e.compensatory_seats}")
        general = sum(r.general_seats for _, r in rows if r.tier != "national-compensatory")
        if general != e.general_seats:
            raise di.fail(last, "general_seats",
                          f"general seats of {eid} districts sum to {general}, "
                          f"elections.csv says {e.general_seats}")
        minority = sum(r.minority_seats for _, r in rows)
        if minority != e.minority_seats:
            raise di.fail(last, "minority_seats",
                          f"minority seats of {eid} districts sum to {minority}, "
                          f"elections.csv says {e.minority_seats}")

    def known_district(table: _Table, line: int, election: str, name: str, field: str = "district") -> DistrictPlan:
        key = (election, name)
        if key not in plan:
            names = [d for (e, d) in plan if e == election]
            close = difflib.get_close_matches(name, names, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise table.fail(line, field,
                             f"unknown district {name!r} for election {election}"
                             f" (not in districts.csv){hint}")
        return plan[key]

    # district votes: districts exist, national slugs name the same list
    dv_by_d: dict[tuple[str, str], list[tuple[int, Row]]] = defaultdict(list)
    local_names: dict[tuple[str, str], str] = {}
    for line, r in dv.rows:
        known_district(dv, line, r.election, r.district)
        dv_by_d[(r.election, r.district)].append((line, r))
        if r.votes is not None and r.votes_status is None:
            raise dv.fail(line, "votes_status", "votes are given, so votes_status is required")
        if r.seats_official is not None and r.seats_status is None:
            raise dv.fail(line, "seats_status", "seats are given, so seats_status is required")
        n = nat.get((r.election, r.list_id))
        if n is not None:
            names = {n.name_en, n.name_ar, *n.aliases}
            if r.name_en not in names and (r.name_ar is None or r.name_ar not in names):
                raise dv.fail(line, "list_id",
                              f"list_id {r.list_id!r} is {n.name_en!r} in lists.csv, but this row "
                              f"names {r.name_en!r}; use another slug or add the name to that "
                              "list's aliases")
        else:
            local_names.setdefault((r.election, r.list_id), r.name_en)
    # a list's official district seats never exceed its national seats
    seats_by_list: Counter[tuple[str, str]] = Counter()
    last_line: dict[tuple[str, str], int] = {}
    for line, r in dv.rows:
        if r.seats_official is not None:
            seats_by_list[(r.election, r.list_id)] += r.seats_official
            last_line[(r.election, r.list_id)] = line
    for key, seats in seats_by_list.items():
        n = nat.get(key)
        if n is not None and seats > n.seats:
            raise dv.fail(last_line[key], "seats_official",
                          f"official district seats of {key[1]!r} in {key[0]} sum to {seats}, more "
                          f"than its {n.seats} national seats in lists.csv")

    # district totals: one per planned district, consistent with the rows
    totals: dict[tuple[str, str], Row] = {}
    totals_line: dict[tuple[str, str], int] = {}
    for line, r in dt_.rows:
        p = known_district(dt_, line, r.election, r.district)
        key = (r.election, r.district)
        totals[key] = r
        totals_line[key] = line
        rows = [x for _, x in dv_by_d.get(key, [])]
        _ordered(dt_, line, r, ("valid_votes", "votes_cast", "registered"))
        itemized = sum(x.votes for x in rows if x.votes is not None)
        if r.valid_votes is not None and itemized > r.valid_votes:
            raise dt_.fail(line, "valid_votes",
                           f"itemized votes in district_votes.csv sum to {itemized}, more than the "
                           f"valid total {r.valid_votes}")
        seats = sum(x.seats_official for x in rows if x.seats_official is not None)
        if p.general_seats is None:
            if r.official_seats_complete:
                raise dt_.fail(line, "official_seats_complete",
                               "the district's general seats are unknown, so its official seats cannot be complete")
        elif seats > p.general_seats:
            line_dv = dv_by_d[key][-1][0]
            raise dv.fail(line_dv, "seats_official",
                          f"official seats in {r.district} {r.election} sum to {seats}, more "
                          f"than its {p.general_seats} general seats")
        if p.general_seats is not None and r.official_seats_complete != (seats == p.general_seats):
            raise dt_.fail(line, "official_seats_complete",
                           f"official seats of the itemized lists sum to {seats} of "
                           f"{p.general_seats} general seats, so this must be "
                           f"{'yes' if seats == p.general_seats else 'no'}")
        if (r.itemization == "none") != (not rows):
            raise dt_.fail(line, "itemization",
                           f"itemization {r.itemization!r} but district_votes.csv has "
                           f"{len(rows)} row(s) for this district")
        if r.itemization == "complete" and (
            r.valid_votes is None or any(x.votes is None for x in rows)
            or itemized != r.valid_votes
        ):
            raise dt_.fail(line, "itemization",
                           "'complete' needs every row's votes and a valid total they sum to")
    for (eid, district) in plan:
        if (eid, district) not in totals:
            line = next(line for line, r in di.rows if (r.election, r.district) == (eid, district))
            raise di.fail(line, "district",
                          f"district {district!r} of {eid} has no row in district_totals.csv")

    # minority seats add up per election and per governorate
    ms_by_e: dict[str, list[tuple[int, Row]]] = defaultdict(list)
    for line, r in ms.rows:
        known_district(ms, line, r.election, r.governorate, "governorate")
        ms_by_e[r.election].append((line, r))
    for eid in election_ids:
        rows = ms_by_e.get(eid, [])
        e = erow[eid][1]
        if sum(r.seats for _, r in rows) != e.minority_seats:
            raise ms.fail(rows[-1][0] if rows else None, "seats",
                          f"minority seats of {eid} sum to {sum(r.seats for _, r in rows)}, "
                          f"elections.csv says {e.minority_seats}")
        per_gov: Counter[str] = Counter()
        for _, r in rows:
            per_gov[r.governorate] += r.seats
        for (pe, d), p in plan.items():
            if pe == eid and p.minority_seats != per_gov.get(d, 0):
                raise ms.fail(rows[-1][0] if rows else None, "seats",
                              f"{d} {eid}: minority_seats.csv gives {per_gov.get(d, 0)} seat(s), "
                              f"districts.csv {p.minority_seats}")

    # candidates: governorate and list known
    for line, r in ca.rows:
        known_district(ca, line, r.election, r.governorate, "governorate")
        lid = r.list_id
        if lid is not None and (r.election, lid) not in nat and (r.election, lid) not in local_names:
            raise ca.fail(line, "list_id", f"unknown list_id {lid!r} for election {r.election}")

    # seat scopes: a national list, known districts
    _unique(sc, ("election", "list_id"))
    for line, r in sc.rows:
        if (r.election, r.list_id) not in nat:
            raise sc.fail(line, "list_id", f"unknown national list {r.list_id!r} in {r.election}")
        for d in r.districts:
            known_district(sc, line, r.election, d, "districts")

    # group seats: lists of the district, each in one group, within the district's seats
    _unique(gs, ("election", "district", "grouping", "group"))
    group_total: Counter[tuple[str, str, str]] = Counter()
    grouped: dict[tuple[str, str, str, str], str] = {}
    for line, r in gs.rows:
        p = known_district(gs, line, r.election, r.district)
        if not r.lists:
            raise gs.fail(line, "lists", "a group names at least one list")
        in_district = {x.list_id for _, x in dv_by_d.get((r.election, r.district), [])}
        for lid in r.lists:
            if lid not in in_district:
                raise gs.fail(line, "lists", f"list {lid!r} has no row for {r.district} {r.election} in "
                              "district_votes.csv")
            key = (r.election, r.district, r.grouping, lid)
            if key in grouped:
                raise gs.fail(line, "lists", f"list {lid!r} is already in group {grouped[key]!r}")
            grouped[key] = r.group
        group_total[(r.election, r.district, r.grouping)] += r.seats
        if p.general_seats is not None and group_total[(r.election, r.district, r.grouping)] > p.general_seats:
            raise gs.fail(line, "seats", f"groups of {r.district} {r.election} hold more than its "
                          f"{p.general_seats} general seats")

    # 2021 subdistricts: one per women's seat of the governorate
    sub_count: Counter[str] = Counter()
    sub_elections: Counter[str] = Counter()
    for line, r in sd.rows:
        known_district(sd, line, r.election, r.governorate, "governorate")
        sub_count[r.governorate] += 1
        sub_elections[r.election] += 1
    for (eid, district), p in plan.items():
        if sub_elections.get(eid) and p.women_minimum is not None and sub_count[district] != p.women_minimum:
            raise sd.fail(None, "governorate",
                          f"{district} has {sub_count[district]} district row(s), districts.csv "
                          f"gives {p.women_minimum} (one district per women's seat)")

    # build frozen results
    elections = []
    for eid in election_ids:
        e = erow[eid][1]
        results = []
        for _, p in plan_by_e[eid]:
            key = (eid, p.district)
            rows = dv_by_d.get(key, [])
            if not rows:
                continue
            tot = totals[key]
            results.append(DistrictVotes(
                election=eid, district=p.district, rows=tuple(x for _, x in rows),
                valid_votes=tot.valid_votes, votes_cast=tot.votes_cast, registered=tot.registered,
                itemization=tot.itemization, official_seats_complete=tot.official_seats_complete,
                general_seats=p.general_seats, source=tot.source, notes=tot.notes,
            ))
        elections.append(Election(
            id=eid, body=body, date=e.date, house_size=e.house_size, general_seats=e.general_seats,
            minority_seat_count=e.minority_seats, compensatory_seats=e.compensatory_seats,
            registered=e.registered, votes_cast=e.votes_cast, valid_votes=e.valid_votes,
            invalid_votes=e.invalid_votes, turnout_pct=e.turnout_pct,
            turnout_source_note=e.turnout_source_note, seats_complete=e.seats_complete,
            source=e.source, notes=e.notes,
            lists=tuple(r for _, r in lists_by_e[eid]),
            districts=tuple(r for _, r in plan_by_e[eid]),
            district_results=tuple(results),
            minority_seats=tuple(r for _, r in ms_by_e.get(eid, [])),
            candidates=tuple(r for _, r in ca.rows if r.election == eid),
            subdistricts=tuple(r for _, r in sd.rows if r.election == eid),
            conflicts=tuple(r for _, r in co.rows if r.election == eid),
            seat_scopes=tuple(r for _, r in sc.rows if r.election == eid),
            group_seats=tuple(r for _, r in gs.rows if r.election == eid),
            results=e.results or "votes",
        ))
    return Record(elections=tuple(elections))


def _bounded_plan(table: _Table, line: int, eid: str, rows: list, e: Any) -> None:
    """A seat plan with some districts' seats unknown: the known seats stay within the
    election's totals."""
    general = sum(r.general_seats or 0 for _, r in rows if r.tier != "national-compensatory")
    if general >= e.general_seats:
        raise table.fail(line, "general_seats",
                         f"the known general seats of {eid} districts sum to {general}, leaving none for the "
                         f"districts whose seats are unknown (elections.csv says {e.general_seats})")
    minority = sum(r.minority_seats for _, r in rows)
    if minority != e.minority_seats:
        raise table.fail(line, "minority_seats", f"minority seats of {eid} districts sum to {minority}, "
                         f"elections.csv says {e.minority_seats}")
    comp = sum(r.general_seats or 0 for _, r in rows if r.tier == "national-compensatory")
    if comp != e.compensatory_seats:
        raise table.fail(line, "general_seats", f"compensatory tier of {eid} holds {comp} seats, elections.csv "
                         f"says {e.compensatory_seats}")


def _name_basis(table: _Table, line: int, row: Any) -> None:
    """An Arabic name says where it comes from: printed or common names carry their URLs,
    the project's own rendering (``ours``) none."""
    if row.name_ar is None:
        if row.name_ar_basis or row.name_ar_source:
            raise table.fail(line, "name_ar", "name_ar_basis and name_ar_source need a name_ar")
        return
    if row.name_ar_basis is None:
        raise table.fail(line, "name_ar_basis", "name_ar is given, so name_ar_basis (printed, common or ours) "
                         "is required")
    if (row.name_ar_basis != "ours") != (row.name_ar_source is not None):
        raise table.fail(line, "name_ar_source",
                         f"name_ar_basis is {row.name_ar_basis!r}: a name printed or in common use needs its "
                         "URL(s) in name_ar_source, and one of our own has none")


def _ordered(table: _Table, line: int, row: Row, columns: tuple[str, ...]) -> None:
    """Known counts must not decrease along ``columns`` (valid <= cast <= registered)."""
    known = [(c, getattr(row, c)) for c in columns if getattr(row, c) is not None]
    for (a, x), (b, y) in itertools.pairwise(known):
        if x > y:
            raise table.fail(line, a, f"{a} {x} is larger than {b} {y}")
