"""Candidate-level results and the law's candidate tier: who fills a list's seats.

Where a law fixes each seat by group (a community) and sub-district and fills a list's
seats from one ranking of candidates (:mod:`muhasasa.methods.ranked_fill`), a body's
``record/`` holds three more files, each row sourced:

- ``seat_groups.csv``: seats per election, district, sub-district and group;
- ``candidate_votes.csv``: every candidate's personal (preferential) votes, with list,
  group and sub-district;
- ``declared_winners.csv``: the winners as declared (``stage = declared``), then later
  rulings as dated rows (``annulled`` or ``seated``).

The law file says how the candidates are ranked (``[candidates]``: a rule of
:data:`~muhasasa.methods.ranked_fill.FILL_RULES` with text parameters) and names its
*readings* (``[[readings]]``): a question the law's text leaves open, the options, the one
chosen and why, each option setting a parameter where the reading is executable.

>>> import muhasasa.packs as packs
>>> rec = packs.load("lebanon").candidate_record()
>>> d = rec.district("2022", "South I")
>>> sum(d.seats.values()), len(d.declared())
(5, 5)
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, Strict, StringConstraints

from muhasasa.errors import InputError
from muhasasa.packs.csv import (
    Count,
    OptCount,
    Required,
    Row,
    Slug,
    Text,
    one_of,
    read_rows,
)
from muhasasa.packs.schema.types import Ident, Sources
from muhasasa.packs.schema.types import Text as TomlText
from muhasasa.packs.toml import StrictModel

__all__ = [
    "CANDIDATE_FILES",
    "CandidateRecord",
    "CandidateTier",
    "CandidateVotes",
    "DeclaredWinner",
    "DistrictCandidates",
    "Reading",
    "SeatGroup",
    "load_candidate_files",
]

ParamName = Annotated[str, Strict(), StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]


# ----------------------------------------------------------------------------- law parts


class CandidateTier(StrictModel):
    """``[candidates]`` of a law: the ranking rule that fills each list's seats."""

    rule: TomlText
    params: dict[ParamName, Annotated[str, Strict()]] = Field(default_factory=dict)
    tie_rule: Annotated[str, Strict(), StringConstraints(pattern=r"^(refuse|lot)$")] = "refuse"
    text: TomlText
    sources: Sources


class Reading(StrictModel):
    """A question the law's text leaves open, with its options and the one chosen.

    ``applies_to`` is a dotted path into the law (``general.params.recompute``); where it
    names a parameter, each option's ``values`` entry is the text that parameter takes
    under it, so the reading can be run both ways. Otherwise the options are described,
    not run (``values`` empty).
    """

    id: Ident
    applies_to: TomlText
    question: TomlText
    options: Annotated[tuple[Ident, ...], Field(min_length=2)]
    values: dict[Ident, Annotated[str, Strict()]] = Field(default_factory=dict)
    chosen: Ident
    basis: TomlText
    sources: Sources


# ----------------------------------------------------------------------------- rows


class SeatGroup(Row):
    """Seats of one group in one sub-district of a district (``seat_groups.csv``)."""

    election: Required
    district: Required
    subdistrict: Required
    group: Required
    seats: Count
    source: Required
    notes: Text


class CandidateVotes(Row):
    """One candidate's personal votes (``candidate_votes.csv``)."""

    election: Required
    district: Required
    subdistrict: Required
    list_id: Slug
    candidate: Required
    group: Required
    votes: Count
    source: Required
    notes: Text


class DeclaredWinner(Row):
    """A winner as declared, or a later ruling on a seat (``declared_winners.csv``).

    ``candidate`` is the name as written in ``candidate_votes.csv``; ``name_en`` the
    name as the winners' source writes it; ``votes_published`` the personal votes that
    source prints (kept even where it differs from ``candidate_votes.csv``).
    """

    election: Required
    district: Required
    candidate: Required
    name_en: Text
    list_id: Slug
    group: Required
    subdistrict: Required
    votes_published: OptCount
    stage: Annotated[str, BeforeValidator(one_of(("declared", "annulled", "seated")))]
    date: Text
    source: Required
    notes: Text


#: The candidate-level files of a record and their row models.
CANDIDATE_FILES: dict[str, type[Row]] = {
    "seat_groups.csv": SeatGroup,
    "candidate_votes.csv": CandidateVotes,
    "declared_winners.csv": DeclaredWinner,
}


# ----------------------------------------------------------------------------- values


@dataclass(frozen=True)
class DistrictCandidates:
    """One district-election's seats by group, candidates and declared winners."""

    election: str
    district: str
    seats: Mapping[tuple[str, str], int]
    candidates: tuple[CandidateVotes, ...]
    winners: tuple[DeclaredWinner, ...]

    def declared(self, on: dt.date | None = None) -> tuple[DeclaredWinner, ...]:
        """The winners as declared, or as they stood on ``on`` after the rulings dated up
        to that day (``annulled`` rows remove a winner, ``seated`` rows add one)."""
        out = [w for w in self.winners if w.stage == "declared"]
        if on is None:
            return tuple(out)
        for w in self.winners:
            if w.stage == "declared" or w.date is None or dt.date.fromisoformat(w.date) > on:
                continue
            if w.stage == "annulled":
                out = [x for x in out if x.candidate != w.candidate]
            else:
                out.append(w)
        return tuple(out)

    @property
    def rulings(self) -> tuple[DeclaredWinner, ...]:
        """The later rulings on this district's seats, in file order."""
        return tuple(w for w in self.winners if w.stage != "declared")


@dataclass(frozen=True)
class CandidateRecord:
    """Every district-election's candidate-level results of a body."""

    districts: Mapping[tuple[str, str], DistrictCandidates]

    def district(self, election: str, district: str) -> DistrictCandidates | None:
        """One district-election, or None where the record has no candidate-level results."""
        return self.districts.get((election, district))

    def __bool__(self) -> bool:
        return bool(self.districts)


def load_candidate_files(
    files: Mapping[str, tuple[str, bytes] | None],
    *,
    districts: Mapping[tuple[str, str], int],
    lists: Mapping[tuple[str, str], Mapping[str, int | None]],
    communities: Sequence[str],
) -> CandidateRecord:
    """Read and check the candidate-level files of a body's record.

    ``districts`` gives the general seats of each (election, district) of the record;
    ``lists`` the votes of each list of each (election, district); ``communities`` the
    pack's communities, which the groups must be. A body has all three files or none.
    """
    present = {name: entry for name, entry in files.items() if entry is not None}
    if not present:
        return CandidateRecord({})
    missing = [name for name in CANDIDATE_FILES if name not in present]
    if missing:
        first = next(iter(present.values()))[0]
        raise InputError(first, f"candidate-level results need {', '.join(missing)} too")
    tables: dict[str, list[tuple[int, Any]]] = {
        name: read_rows(present[name][1], present[name][0], model) for name, model in CANDIDATE_FILES.items()
    }
    shown = {name: present[name][0] for name in CANDIDATE_FILES}

    def fail(name: str, line: int | None, field: str, problem: str) -> InputError:
        return InputError(shown[name], problem, line=line, field=field)

    def place(name: str, line: int, r: Any) -> None:
        if (r.election, r.district) not in districts:
            raise fail(name, line, "district", f"{r.election} {r.district!r} is not a district of districts.csv")
        if r.group not in communities:
            raise fail(name, line, "group", f"{r.group!r} is not a community of the pack")

    seats: dict[tuple[str, str], dict[tuple[str, str], int]] = defaultdict(dict)
    for line, r in tables["seat_groups.csv"]:
        place("seat_groups.csv", line, r)
        key = (r.group, r.subdistrict)
        if key in seats[(r.election, r.district)]:
            raise fail("seat_groups.csv", line, "group", f"{r.group} in {r.subdistrict} is given twice")
        seats[(r.election, r.district)][key] = r.seats
    for key, groups in seats.items():
        if sum(groups.values()) != districts[key]:
            raise fail("seat_groups.csv", None, "seats", f"{key[0]} {key[1]}: groups hold {sum(groups.values())} "
                       f"seats, districts.csv {districts[key]}")

    candidates: dict[tuple[str, str], list[CandidateVotes]] = defaultdict(list)
    per_list: Counter[tuple[str, str, str]] = Counter()
    names: dict[tuple[str, str], dict[str, CandidateVotes]] = defaultdict(dict)
    for line, r in tables["candidate_votes.csv"]:
        place("candidate_votes.csv", line, r)
        key = (r.election, r.district)
        if r.list_id not in lists.get(key, {}):
            raise fail("candidate_votes.csv", line, "list_id", f"{r.list_id!r} is not a list of {key[0]} "
                       f"{key[1]} in district_votes.csv")
        if (r.group, r.subdistrict) not in seats.get(key, {}):
            raise fail("candidate_votes.csv", line, "subdistrict", f"no seat of {r.group} in {r.subdistrict!r} "
                       "in seat_groups.csv")
        if r.candidate in names[key]:
            raise fail("candidate_votes.csv", line, "candidate", f"{r.candidate!r} is listed twice in {key[1]}")
        names[key][r.candidate] = r
        candidates[key].append(r)
        per_list[(r.election, r.district, r.list_id)] += r.votes
    for (election, district, list_id), votes in per_list.items():
        total = lists[(election, district)][list_id]
        if total is not None and votes > total:
            raise fail("candidate_votes.csv", None, "votes", f"{election} {district} {list_id}: candidates' votes "
                       f"{votes} exceed the list's {total}")

    winners: dict[tuple[str, str], list[DeclaredWinner]] = defaultdict(list)
    for line, r in tables["declared_winners.csv"]:
        place("declared_winners.csv", line, r)
        key = (r.election, r.district)
        found = names[key].get(r.candidate)
        if found is None:
            raise fail("declared_winners.csv", line, "candidate", f"{r.candidate!r} is not a candidate of {key[0]} "
                       f"{key[1]} in candidate_votes.csv")
        if (found.list_id, found.group, found.subdistrict) != (r.list_id, r.group, r.subdistrict):
            raise fail("declared_winners.csv", line, "list_id", f"{r.candidate!r} stands for {found.list_id}, "
                       f"{found.group}, {found.subdistrict} in candidate_votes.csv")
        if r.stage != "declared":
            if r.date is None:
                raise fail("declared_winners.csv", line, "date", "a ruling needs its date")
            try:
                dt.date.fromisoformat(r.date)
            except ValueError:
                raise fail("declared_winners.csv", line, "date", f"{r.date!r} is not a date YYYY-MM-DD") from None
        winners[key].append(r)
    for key, rows in winners.items():
        declared = [w for w in rows if w.stage == "declared"]
        if len(declared) != districts[key]:
            raise fail("declared_winners.csv", None, "stage", f"{key[0]} {key[1]}: {len(declared)} declared "
                       f"winners for {districts[key]} seats")

    out = {
        key: DistrictCandidates(key[0], key[1], dict(groups), tuple(candidates.get(key, ())),
                                tuple(winners.get(key, ())))
        for key, groups in seats.items()
    }
    return CandidateRecord(out)
