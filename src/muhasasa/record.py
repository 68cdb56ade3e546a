"""The bundled historical record of Iraq's parliamentary elections, validated on load.

The record is the project's own copy of the facts it uses: national results per
list, the seat plan of every election, governorate x list votes and official
seats, reserved minority seats and a few candidate results, 2005-2025. It lives
as CSV files in ``muhasasa/packs/iraq/record/`` (see the README there); every
row carries its source URL(s). Unknown numbers are empty in the files and
``None`` here, never zero.

Loading checks the files strictly and stops at the first problem with an
:class:`~muhasasa.errors.InputError` that names the file, the line (the header
is line 1) and the column: required columns, non-negative integers written as
integers, duplicates, districts and lists that must exist, and the seat and
vote totals that must add up (lists to the house size where the record is
complete, districts to the house size, official seats within a district's
seats, itemized votes within a known valid total).

>>> rec = load_record()
>>> rec.election_ids
('2005-01', '2005-12', '2010', '2014', '2018', '2021', '2025')
>>> e = rec.election("2025")
>>> e.house_size, sum(x.seats for x in e.lists)
(329, 329)
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
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from muhasasa.csvfiles import Parser, Row, read_rows
from muhasasa.errors import InputError, UnknownNameError

__all__ = [
    "CandidateRow",
    "Conflict",
    "DistrictListRow",
    "DistrictPlan",
    "DistrictVotes",
    "Election",
    "ListResult",
    "MinoritySeat",
    "Record",
    "Subdistrict",
    "load_record",
    "load_record_from",
]

ELECTION_IDS = ("2005-01", "2005-12", "2010", "2014", "2018", "2021", "2025")
COMMUNITIES = ("Shia Arab", "Sunni Arab", "Kurdish", "mixed-secular", "minority", "independent")
MINORITY_COMMUNITIES = ("Christian", "Yazidi", "Shabak", "Sabean-Mandaean", "Feyli Kurd")
TIERS = ("governorate", "national-compensatory", "national")
ITEMIZATION = ("complete", "seat-winners", "partial", "none")

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_INT = re.compile(r"^[0-9]+$")
_DECIMAL = re.compile(r"^[0-9]+(?:\.[0-9]+)?$")


# ----------------------------------------------------------------------------- results


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ListResult(_Frozen):
    """One list's national result in one election (``lists.csv``).

    ``community`` is an editorial classification by the dossier author, not an
    official category: ``community_basis`` says so on every row.
    """

    list_id: str
    name_en: str
    name_ar: str | None
    aliases: tuple[str, ...]
    leader: str | None
    votes: int | None
    votes_status: str | None
    vote_share_pct: str | None
    seats: int
    community: str | None
    community_basis: str
    status: str
    status_note: str | None
    source: str
    notes: str | None

    @property
    def names(self) -> frozenset[str]:
        """Every name this list goes by in the record (English, Arabic, aliases)."""
        return frozenset(n for n in (self.name_en, self.name_ar, *self.aliases) if n)


class DistrictPlan(_Frozen):
    """One district of an election's seat plan (``districts.csv``).

    ``general_seats`` are the seats contested by lists in the district (for a
    national compensatory tier, its compensatory seats); ``minority_seats`` the
    reserved quota seats allotted to it.
    """

    district: str
    tier: str
    general_seats: int
    minority_seats: int
    women_minimum: int | None
    seats_status: str
    source: str
    notes: str | None


class DistrictListRow(_Frozen):
    """One list's votes and official seats in one district (``district_votes.csv``).

    ``seats_official`` is ``None`` when not known: it is never a stand-in for 0.
    """

    list_id: str
    name_en: str
    name_ar: str | None
    ballot_no: str | None
    votes: int | None
    votes_status: str | None
    seats_official: int | None
    seats_status: str | None
    source: str
    notes: str | None


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
    general_seats: int
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
                               (r.list_id for r in self.rows))


class MinoritySeat(_Frozen):
    """Reserved (quota) seats of one community in one governorate (``minority_seats.csv``).

    ``constituency`` is ``national`` where the community's voters formed one
    nationwide constituency, ``governorate`` where the seat was contested in its
    governorate, ``unknown`` where the sources do not say.
    """

    community: str
    governorate: str
    seats: int
    constituency: str
    constituency_note: str | None
    source: str
    notes: str | None


class CandidateRow(_Frozen):
    """One candidate's result (``candidates.csv``); very partial."""

    district: str | None
    governorate: str
    candidate: str | None
    list_id: str | None
    list_label: str | None
    gender: str | None
    votes: int | None
    elected: bool
    seat_type: str
    status: str
    status_note: str | None
    source: str
    notes: str | None


class Subdistrict(_Frozen):
    """One of the 83 electoral districts of 2021 (``subdistricts.csv``)."""

    governorate: str
    district_no: int
    seats: int | None
    women_reserved: int | None
    area_composition: str | None
    source: str
    notes: str | None


class Conflict(_Frozen):
    """A disagreement between sources and which figure the record keeps (``record_conflicts.csv``)."""

    election: str
    topic: str
    file: str
    kept: str
    alternative: str
    source: str
    notes: str | None


class SeatScope(_Frozen):
    """A premise, stated with its evidence: all of a list's national seats were won in
    ``districts`` (``seat_scopes.csv``). It lets a group of districts be checked
    against national totals where per-district seats were not published.
    """

    list_id: str
    districts: tuple[str, ...]
    premise: str
    evidence: str
    source: str


class Election(_Frozen):
    """One election as the record knows it.

    ``minority_seat_count`` and ``compensatory_seats`` are the house's reserved
    and national compensatory seats; ``minority_seats`` lists the reserved seats
    by community and governorate. ``seats_complete`` is false where the national
    list table is partial (2014).
    """

    id: str
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

    def list(self, list_id: str) -> ListResult:
        """The national result of one list; :class:`UnknownNameError` if absent."""
        for x in self.lists:
            if x.list_id == list_id:
                return x
        raise UnknownNameError(f"list in {self.id}", list_id, (x.list_id for x in self.lists))

    def district(self, name: str) -> DistrictPlan:
        """One district of the seat plan; :class:`UnknownNameError` if absent."""
        for d in self.districts:
            if d.district == name:
                return d
        raise UnknownNameError(f"district in {self.id}", name, (d.district for d in self.districts))

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
        raise UnknownNameError("election", election_id, self.election_ids)

    def list_name(self, election: str, list_id: str) -> str:
        """Display name (English) of a list, national or district-only.

        >>> load_record().list_name("2025", "peoples-front")
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
        raise UnknownNameError(f"list in {election}", list_id, known)


# ----------------------------------------------------------------------------- reading

class _Table:
    """Rows of one CSV file, parsed column by column, each with its line number."""

    def __init__(self, name: str, rows: list[tuple[int, Row]]) -> None:
        self.name = name
        self.rows = rows

    def fail(self, line: int | None, field: str | None, problem: str) -> InputError:
        return InputError(self.name, problem, line=line, field=field)


def _text(value: str) -> str | None:
    value = value.strip()
    return value or None


def _required_text(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("must not be empty")
    return value


def _int(value: str) -> int:
    value = value.strip()
    if not value:
        raise ValueError("must not be empty")
    if _INT.match(value):
        return int(value)
    if value.startswith("-") and _INT.match(value[1:]):
        raise ValueError(f"negative number {value!r}; counts cannot be negative")
    raise ValueError(f"{value!r} is not a whole number (write digits only, no decimals or separators)")


def _opt_int(value: str) -> int | None:
    return _int(value) if value.strip() else None


def _slug(value: str) -> str:
    value = value.strip()
    if not _SLUG.match(value):
        raise ValueError(f"{value!r} is not a lowercase slug (letters, digits and single hyphens)")
    return value


def _opt_slug(value: str) -> str | None:
    return _slug(value) if value.strip() else None


def _yes_no(value: str) -> bool:
    value = value.strip()
    if value not in ("yes", "no"):
        raise ValueError(f"{value!r} must be 'yes' or 'no'")
    return value == "yes"


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a date YYYY-MM-DD") from None


def _decimal_text(value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    if not _DECIMAL.match(value):
        raise ValueError(f"{value!r} is not a non-negative decimal number")
    return value


def _one_of(choices: Iterable[str], *, optional: bool = False) -> Parser:
    choices = tuple(choices)

    def parse(value: str) -> str | None:
        value = value.strip()
        if optional and not value:
            return None
        if value not in choices:
            close = difflib.get_close_matches(value, choices, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ValueError(f"{value!r} is not one of {', '.join(choices)}{hint}")
        return value

    return parse


def _pipe_list(value: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in value.split("|") if p.strip())


ELECTION = _one_of(ELECTION_IDS)
VOTES_STATUS = _one_of(("final", "preliminary", "final-rounded"), optional=True)
SEATS_STATUS = _one_of(("final", "preliminary", "derived"), optional=True)

SCHEMAS: dict[str, dict[str, Parser]] = {
    "elections.csv": {
        "election": ELECTION, "date": _date, "house_size": _int, "general_seats": _int,
        "minority_seats": _int, "compensatory_seats": _int, "registered": _opt_int,
        "votes_cast": _opt_int, "valid_votes": _opt_int, "invalid_votes": _opt_int,
        "turnout_pct": _decimal_text, "turnout_source_note": _text, "seats_complete": _yes_no,
        "source": _required_text, "notes": _text,
    },
    "lists.csv": {
        "election": ELECTION, "list_id": _slug, "name_en": _required_text, "name_ar": _text,
        "aliases": _pipe_list, "leader": _text, "votes": _opt_int, "votes_status": VOTES_STATUS,
        "vote_share_pct": _decimal_text, "seats": _int,
        "community": _one_of(COMMUNITIES, optional=True),
        "community_basis": _one_of(("editorial",)),
        "status": _one_of(("final", "preliminary")), "status_note": _text,
        "source": _required_text, "notes": _text,
    },
    "districts.csv": {
        "election": ELECTION, "district": _required_text, "tier": _one_of(TIERS),
        "general_seats": _int, "minority_seats": _int, "women_minimum": _opt_int,
        "seats_status": _one_of(("sourced", "derived", "inferred")),
        "source": _required_text, "notes": _text,
    },
    "district_votes.csv": {
        "election": ELECTION, "district": _required_text, "list_id": _slug,
        "name_en": _required_text, "name_ar": _text, "ballot_no": _text, "votes": _opt_int,
        "votes_status": VOTES_STATUS, "seats_official": _opt_int, "seats_status": SEATS_STATUS,
        "source": _required_text, "notes": _text,
    },
    "district_totals.csv": {
        "election": ELECTION, "district": _required_text, "valid_votes": _opt_int,
        "votes_cast": _opt_int, "registered": _opt_int, "itemization": _one_of(ITEMIZATION),
        "official_seats_complete": _yes_no, "source": _required_text, "notes": _text,
    },
    "minority_seats.csv": {
        "election": ELECTION, "community": _one_of(MINORITY_COMMUNITIES),
        "governorate": _required_text, "seats": _int,
        "constituency": _one_of(("national", "governorate", "unknown")),
        "constituency_note": _text, "source": _required_text, "notes": _text,
    },
    "candidates.csv": {
        "election": ELECTION, "district": _text, "governorate": _required_text,
        "candidate": _text, "list_id": _opt_slug, "list_label": _text,
        "gender": _one_of(("female", "male"), optional=True), "votes": _opt_int,
        "elected": _yes_no, "seat_type": _required_text,
        "status": _one_of(("final", "preliminary", "disputed")), "status_note": _text,
        "source": _required_text, "notes": _text,
    },
    "subdistricts.csv": {
        "election": _one_of(("2021",)), "governorate": _required_text, "district_no": _int,
        "seats": _opt_int, "women_reserved": _opt_int, "area_composition": _text,
        "source": _required_text, "notes": _text,
    },
    "seat_scopes.csv": {
        "election": ELECTION, "list_id": _slug, "districts": _pipe_list,
        "premise": _required_text, "evidence": _required_text, "source": _required_text,
    },
    "record_conflicts.csv": {
        "election": ELECTION, "topic": _required_text, "file": _required_text,
        "kept": _required_text, "alternative": _required_text, "source": _required_text,
        "notes": _text,
    },
}


def _read(directory: Path | Traversable, name: str) -> _Table:
    schema = SCHEMAS[name]
    entry = directory / name
    if not entry.is_file():
        raise InputError(name, f"file not found in {directory}")
    return _Table(name, read_rows(entry.read_bytes(), name, schema, missing_first=True))


def _unique(table: _Table, key: tuple[str, ...]) -> None:
    seen: dict[tuple[Any, ...], int] = {}
    for line, row in table.rows:
        k = tuple(row[c] for c in key)
        if k in seen:
            raise table.fail(line, key[-1],
                             f"duplicate {', '.join(f'{c}={v!r}' for c, v in zip(key, k))} "
                             f"(first at line {seen[k]})")
        seen[k] = line


def _build(cls: type[_Frozen], table: _Table, line: int, **values: Any) -> Any:
    try:
        return cls(**values)
    except ValidationError as exc:  # a bug in this module rather than in the data
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or None
        raise table.fail(line, field, err["msg"]) from None


def _only(row: Row, *drop: str) -> Row:
    return {k: v for k, v in row.items() if k not in drop}


# ----------------------------------------------------------------------------- loading


def load_record_from(directory: Path | Traversable) -> Record:
    """Load and validate a record from a directory of CSV files.

    Used for the bundled record (:func:`load_record`) and by tests on tampered
    copies. Raises :class:`~muhasasa.errors.InputError` naming the file, line
    and column of the first problem found.
    """
    t = {name: _read(directory, name) for name in SCHEMAS}
    el, li, di, dv, dt_, ms, ca, sd, sc, co = (t[n] for n in SCHEMAS)

    _unique(el, ("election",))
    _unique(li, ("election", "list_id"))
    _unique(di, ("election", "district"))
    _unique(dv, ("election", "district", "list_id"))
    _unique(dt_, ("election", "district"))
    _unique(ms, ("election", "community", "governorate"))
    _unique(sd, ("election", "governorate", "district_no"))

    # elections: every id once, arithmetic of the house
    erow = {r["election"]: (line, r) for line, r in el.rows}
    for eid in ELECTION_IDS:
        if eid not in erow:
            raise el.fail(None, "election", f"election {eid!r} has no row")
    for line, r in el.rows:
        parts = r["general_seats"] + r["minority_seats"] + r["compensatory_seats"]
        if parts != r["house_size"]:
            raise el.fail(line, "house_size",
                          f"house size {r['house_size']} is not general + minority + compensatory "
                          f"seats ({parts})")
        _ordered(el, line, r, ("valid_votes", "votes_cast", "registered"))

    # lists
    lists_by_e: dict[str, list[tuple[int, Row]]] = defaultdict(list)
    for line, r in li.rows:
        lists_by_e[r["election"]].append((line, r))
        if r["votes"] is not None and r["votes_status"] is None:
            raise li.fail(line, "votes_status", "votes are given, so votes_status is required")
    for eid, rows in lists_by_e.items():
        eline, e = erow[eid]
        seats = sum(r["seats"] for _, r in rows)
        if e["seats_complete"] and seats != e["house_size"]:
            raise el.fail(eline, "seats_complete",
                          f"lists.csv seats of {eid} sum to {seats}, not the house size "
                          f"{e['house_size']} (write 'no' here if the list table is partial)")
        if seats > e["house_size"]:
            raise li.fail(rows[-1][0], "seats",
                          f"seats of {eid} sum to {seats}, more than the house size {e['house_size']}")
        votes = sum(r["votes"] or 0 for _, r in rows)
        if e["valid_votes"] is not None and votes > e["valid_votes"]:
            raise li.fail(rows[-1][0], "votes",
                          f"votes of {eid} lists sum to {votes}, more than the valid total "
                          f"{e['valid_votes']} in elections.csv")
    nat = {(r["election"], r["list_id"]): r for _, r in li.rows}

    # districts: seat plan adds up to the house
    plan: dict[tuple[str, str], Row] = {}
    plan_by_e: dict[str, list[tuple[int, Row]]] = defaultdict(list)
    for line, r in di.rows:
        plan[(r["election"], r["district"])] = r
        plan_by_e[r["election"]].append((line, r))
    for eid in ELECTION_IDS:
        rows = plan_by_e.get(eid, [])
        e = erow[eid][1]
        if not rows:
            raise di.fail(None, "election", f"election {eid!r} has no districts")
        last = rows[-1][0]
        total = sum(r["general_seats"] + r["minority_seats"] for _, r in rows)
        if total != e["house_size"]:
            raise di.fail(last, "general_seats",
                          f"districts of {eid} hold {total} seats, not the house size {e['house_size']}")
        comp = sum(r["general_seats"] for _, r in rows if r["tier"] == "national-compensatory")
        if comp != e["compensatory_seats"]:
            raise di.fail(last, "general_seats",
                          f"compensatory tier of {eid} holds {comp} seats, elections.csv says "
                          f"{e['compensatory_seats']}")
        general = sum(r["general_seats"] for _, r in rows if r["tier"] != "national-compensatory")
        if general != e["general_seats"]:
            raise di.fail(last, "general_seats",
                          f"general seats of {eid} districts sum to {general}, "
                          f"elections.csv says {e['general_seats']}")
        minority = sum(r["minority_seats"] for _, r in rows)
        if minority != e["minority_seats"]:
            raise di.fail(last, "minority_seats",
                          f"minority seats of {eid} districts sum to {minority}, "
                          f"elections.csv says {e['minority_seats']}")

    def known_district(table: _Table, line: int, row: Row, field: str = "district") -> Row:
        key = (row["election"], row[field])
        if key not in plan:
            names = [d for (e, d) in plan if e == row["election"]]
            close = difflib.get_close_matches(row[field], names, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise table.fail(line, field,
                             f"unknown district {row[field]!r} for election {row['election']}"
                             f" (not in districts.csv){hint}")
        return plan[key]

    # district votes: districts exist, national slugs name the same list
    dv_by_d: dict[tuple[str, str], list[tuple[int, Row]]] = defaultdict(list)
    local_names: dict[tuple[str, str], str] = {}
    for line, r in dv.rows:
        known_district(dv, line, r)
        dv_by_d[(r["election"], r["district"])].append((line, r))
        if r["votes"] is not None and r["votes_status"] is None:
            raise dv.fail(line, "votes_status", "votes are given, so votes_status is required")
        if r["seats_official"] is not None and r["seats_status"] is None:
            raise dv.fail(line, "seats_status", "seats are given, so seats_status is required")
        n = nat.get((r["election"], r["list_id"]))
        if n is not None:
            names = {n["name_en"], n["name_ar"], *n["aliases"]}
            if r["name_en"] not in names and (r["name_ar"] is None or r["name_ar"] not in names):
                raise dv.fail(line, "list_id",
                              f"list_id {r['list_id']!r} is {n['name_en']!r} in lists.csv, but this row "
                              f"names {r['name_en']!r}; use another slug or add the name to that "
                              "list's aliases")
        else:
            local_names.setdefault((r["election"], r["list_id"]), r["name_en"])
    # a list's official district seats never exceed its national seats
    seats_by_list: Counter[tuple[str, str]] = Counter()
    last_line: dict[tuple[str, str], int] = {}
    for line, r in dv.rows:
        if r["seats_official"] is not None:
            seats_by_list[(r["election"], r["list_id"])] += r["seats_official"]
            last_line[(r["election"], r["list_id"])] = line
    for key, seats in seats_by_list.items():
        n = nat.get(key)
        if n is not None and seats > n["seats"]:
            raise dv.fail(last_line[key], "seats_official",
                          f"official district seats of {key[1]!r} in {key[0]} sum to {seats}, more "
                          f"than its {n['seats']} national seats in lists.csv")

    # district totals: one per planned district, consistent with the rows
    totals: dict[tuple[str, str], Row] = {}
    totals_line: dict[tuple[str, str], int] = {}
    for line, r in dt_.rows:
        p = known_district(dt_, line, r)
        key = (r["election"], r["district"])
        totals[key] = r
        totals_line[key] = line
        rows = [x for _, x in dv_by_d.get(key, [])]
        _ordered(dt_, line, r, ("valid_votes", "votes_cast", "registered"))
        itemized = sum(x["votes"] for x in rows if x["votes"] is not None)
        if r["valid_votes"] is not None and itemized > r["valid_votes"]:
            raise dt_.fail(line, "valid_votes",
                           f"itemized votes in district_votes.csv sum to {itemized}, more than the "
                           f"valid total {r['valid_votes']}")
        seats = sum(x["seats_official"] for x in rows if x["seats_official"] is not None)
        if seats > p["general_seats"]:
            line_dv = dv_by_d[key][-1][0]
            raise dv.fail(line_dv, "seats_official",
                          f"official seats in {r['district']} {r['election']} sum to {seats}, more "
                          f"than its {p['general_seats']} general seats")
        if r["official_seats_complete"] != (seats == p["general_seats"]):
            raise dt_.fail(line, "official_seats_complete",
                           f"official seats of the itemized lists sum to {seats} of "
                           f"{p['general_seats']} general seats, so this must be "
                           f"{'yes' if seats == p['general_seats'] else 'no'}")
        if (r["itemization"] == "none") != (not rows):
            raise dt_.fail(line, "itemization",
                           f"itemization {r['itemization']!r} but district_votes.csv has "
                           f"{len(rows)} row(s) for this district")
        if r["itemization"] == "complete" and (
            r["valid_votes"] is None or any(x["votes"] is None for x in rows)
            or itemized != r["valid_votes"]
        ):
            raise dt_.fail(line, "itemization",
                           "'complete' needs every row's votes and a valid total they sum to")
    for (eid, district), _p in plan.items():
        if (eid, district) not in totals:
            line = next(line for line, r in di.rows if (r["election"], r["district"]) == (eid, district))
            raise di.fail(line, "district",
                          f"district {district!r} of {eid} has no row in district_totals.csv")

    # minority seats add up per election and per governorate
    ms_by_e: dict[str, list[tuple[int, Row]]] = defaultdict(list)
    for line, r in ms.rows:
        known_district(ms, line, r, field="governorate")
        ms_by_e[r["election"]].append((line, r))
    for eid in ELECTION_IDS:
        rows = ms_by_e.get(eid, [])
        e = erow[eid][1]
        if sum(r["seats"] for _, r in rows) != e["minority_seats"]:
            raise ms.fail(rows[-1][0] if rows else None, "seats",
                          f"minority seats of {eid} sum to {sum(r['seats'] for _, r in rows)}, "
                          f"elections.csv says {e['minority_seats']}")
        per_gov: Counter[str] = Counter()
        for _, r in rows:
            per_gov[r["governorate"]] += r["seats"]
        for (pe, d), p in plan.items():
            if pe == eid and p["minority_seats"] != per_gov.get(d, 0):
                raise ms.fail(rows[-1][0] if rows else None, "seats",
                              f"{d} {eid}: minority_seats.csv gives {per_gov.get(d, 0)} seat(s), "
                              f"districts.csv {p['minority_seats']}")

    # candidates: governorate and list known
    for line, r in ca.rows:
        known_district(ca, line, r, field="governorate")
        lid = r["list_id"]
        if lid is not None and (r["election"], lid) not in nat and (r["election"], lid) not in local_names:
            raise ca.fail(line, "list_id", f"unknown list_id {lid!r} for election {r['election']}")

    # seat scopes: a national list, known districts
    _unique(sc, ("election", "list_id"))
    for line, r in sc.rows:
        if (r["election"], r["list_id"]) not in nat:
            raise sc.fail(line, "list_id", f"unknown national list {r['list_id']!r} in {r['election']}")
        for d in r["districts"]:
            known_district(sc, line, {"election": r["election"], "district": d})

    # 2021 subdistricts: one per women's seat of the governorate
    sub_count: Counter[str] = Counter()
    for line, r in sd.rows:
        known_district(sd, line, r, field="governorate")
        sub_count[r["governorate"]] += 1
    for (eid, district), p in plan.items():
        if eid == "2021" and p["women_minimum"] is not None and sub_count[district] != p["women_minimum"]:
            raise sd.fail(None, "governorate",
                          f"{district} has {sub_count[district]} district row(s), districts.csv "
                          f"gives {p['women_minimum']} (one district per women's seat)")

    # build frozen results
    elections = []
    for eid in sorted(ELECTION_IDS, key=lambda x: erow[x][1]["date"]):
        eline, e = erow[eid]
        results = []
        for _, p in plan_by_e[eid]:
            key = (eid, p["district"])
            rows = dv_by_d.get(key, [])
            if not rows:
                continue
            tot = totals[key]
            results.append(_build(
                DistrictVotes, dt_, totals_line[key], election=eid, district=p["district"],
                rows=tuple(_build(DistrictListRow, dv, ln, **_only(x, "election", "district"))
                           for ln, x in rows),
                valid_votes=tot["valid_votes"], votes_cast=tot["votes_cast"],
                registered=tot["registered"], itemization=tot["itemization"],
                official_seats_complete=tot["official_seats_complete"],
                general_seats=p["general_seats"], source=tot["source"], notes=tot["notes"],
            ))
        elections.append(_build(
            Election, el, eline,
            id=eid, date=e["date"], house_size=e["house_size"], general_seats=e["general_seats"],
            minority_seat_count=e["minority_seats"], compensatory_seats=e["compensatory_seats"],
            registered=e["registered"], votes_cast=e["votes_cast"], valid_votes=e["valid_votes"],
            invalid_votes=e["invalid_votes"], turnout_pct=e["turnout_pct"],
            turnout_source_note=e["turnout_source_note"], seats_complete=e["seats_complete"],
            source=e["source"], notes=e["notes"],
            lists=tuple(_build(ListResult, li, ln, **_only(r, "election")) for ln, r in lists_by_e[eid]),
            districts=tuple(_build(DistrictPlan, di, ln, **_only(r, "election"))
                            for ln, r in plan_by_e[eid]),
            district_results=tuple(results),
            minority_seats=tuple(_build(MinoritySeat, ms, ln, **_only(r, "election"))
                                 for ln, r in ms_by_e.get(eid, [])),
            candidates=tuple(_build(CandidateRow, ca, ln, **_only(r, "election"))
                             for ln, r in ca.rows if r["election"] == eid),
            subdistricts=tuple(_build(Subdistrict, sd, ln, **_only(r, "election"))
                               for ln, r in sd.rows if r["election"] == eid),
            conflicts=tuple(_build(Conflict, co, ln, **r) for ln, r in co.rows if r["election"] == eid),
            seat_scopes=tuple(_build(SeatScope, sc, ln, **_only(r, "election"))
                              for ln, r in sc.rows if r["election"] == eid),
        ))
    return Record(elections=tuple(elections))


def _ordered(table: _Table, line: int, row: Row, columns: tuple[str, ...]) -> None:
    """Known counts must not decrease along ``columns`` (valid <= cast <= registered)."""
    known = [(c, row[c]) for c in columns if row[c] is not None]
    for (a, x), (b, y) in zip(known, known[1:], strict=False):
        if x > y:
            raise table.fail(line, a, f"{a} {x} is larger than {b} {y}")


@cache
def load_record() -> Record:
    """The bundled Iraq record, loaded once from the installed package and cached."""
    return load_record_from(resources.files("muhasasa") / "packs" / "iraq" / "record")
