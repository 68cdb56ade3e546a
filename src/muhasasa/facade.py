"""The façade the faces use: one function per question a reader asks, each on a pack.

The CLI and the web explorer import only :mod:`muhasasa` (which re-exports these) and
:mod:`muhasasa.errors`. Every function takes ``pack`` (a pack name, a folder, a
:class:`~muhasasa.packs.Pack`, or None for the default pack), returns values that carry
what the faces display (names in both languages, communities, seats, votes, shares) or
tidy rows keyed by column, and leaves rendering — and JSON, through :func:`to_plain` — to
the face. Nothing here decides a seat: it calls the stages below it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from muhasasa import elections as _elections
from muhasasa import reports
from muhasasa.errors import InputError, SeatsOnlyError, UnknownNameError
from muhasasa.exact import fraction_text, to_fraction
from muhasasa.packs import Pack, PackLike, bundled, load
from muhasasa.parliament.assembly import Players, decision_game
from muhasasa.parliament.assembly import decision as _decision
from muhasasa.parliament.assembly import players as _players
from muhasasa.parliament.coalitions import CoalitionPage
from muhasasa.parliament.coalitions import coalition_page as _coalition_page
from muhasasa.parliament.coalitions import coalitions as _coalitions
from muhasasa.parliament.games import CommunityRequirement, VotingGame
from muhasasa.parliament.power import Estimate
from muhasasa.parliament.power import estimate as _estimate
from muhasasa.vote_tables import VoteTable, read_vote_table

__all__ = [
    "CoalitionVerdict",
    "Tile",
    "bloc_maps",
    "calibrate",
    "coalition",
    "coalition_members",
    "coalition_patterns",
    "community_requirement",
    "district_rows",
    "election_index",
    "game",
    "governorate_tiles",
    "hemicycle",
    "law",
    "law_lab",
    "laws",
    "list_rows",
    "load_pack",
    "mandate",
    "metrics",
    "outside_positions",
    "pack_ids",
    "parliament",
    "players",
    "power",
    "read_votes",
    "steps",
    "systems",
    "systems_rows",
    "to_plain",
    "verify",
    "verify_rows",
    "women",
]


# --------------------------------------------------------------------------- plain values


def to_plain(value: Any) -> Any:
    """A JSON-friendly copy of any result: Fractions as exact text ``"p/q"`` (integers when
    whole), dates as ISO text, mappings as dicts, tuples as lists, NaN as None, dataclasses
    and pydantic models as their fields.

    >>> to_plain({"share": Fraction(1, 3), "seats": (1, 2), "when": date(2025, 11, 11)})
    {'share': '1/3', 'seats': [1, 2], 'when': '2025-11-11'}
    """
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else str(value)
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "to_plain"):
        return value.to_plain()
    if isinstance(value, BaseModel):
        return to_plain(value.model_dump(by_alias=True))
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in fields(value) if f.repr}
    if isinstance(value, Mapping):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_plain(v) for v in value]
    if hasattr(value, "item"):  # numpy scalars
        return to_plain(value.item())
    return str(value)


# --------------------------------------------------------------------------- packs


def load_pack(pack: PackLike = None) -> Pack:
    """A pack: a bundled one by name (the default one when None) or a user's folder."""
    return load(pack)


def pack_ids() -> tuple[str, ...]:
    """The bundled packs."""
    return bundled()


# --------------------------------------------------------------------------- elections


def election_index(*, pack: PackLike = None, body: str | None = None) -> list[dict]:
    """One row per election (of one body, or of every body): date, house, law, method."""
    chosen = load(pack)
    record = chosen.body_record(body) if body else chosen.record()
    out = []
    for e in record.elections:
        # a seats-only election (declared seats, no votes) may have no law file: law and method None
        law_ = chosen.law_of(e.id) if not e.seats_only or chosen.laws_for(e.id) else None
        out.append({"id": e.id, "body": e.body, "date": e.date, "house_size": e.house_size,
                    "law": law_.id if law_ else None, "method": law_.general.method if law_ else None,
                    "lists": len(e.lists), "seats_complete": e.seats_complete,
                    "registered": e.registered, "valid_votes": e.valid_votes, "turnout_pct": e.turnout_pct})
    return out


def parliament(election: str, law: str | None = None, *, seed: int = 0,
               pack: PackLike = None) -> _elections.Parliament:
    """An election's parliament: official seats per list beside the law's recomputation
    (under another law of the pack with ``law``, where the data level allows)."""
    return _elections.parliament(election, law, seed=seed, pack=pack)


def list_rows(parl: _elections.Parliament, *, pack: PackLike = None) -> list[dict]:
    """One row per list of a parliament: names in both languages, community, votes, the
    published share, official and computed seats, largest first."""
    return [{**row, "name_ar": x.name_ar}
            for row, x in zip(reports.list_rows(parl, pack=pack),
                              sorted(parl.lists, key=lambda x: -(x.seats_official or 0)))]


def district_rows(parl: _elections.Parliament, *, pack: PackLike = None) -> list[dict]:
    """One row per list and district of a parliament's recomputation, with its status (of a
    seats-only election, of the ``pack``: its declared seats per district)."""
    return reports.district_rows(parl, pack=pack)


def parliament_summary(parl: _elections.Parliament, *, pack: PackLike = None) -> dict:
    """The title and closing lines of a parliament's table view."""
    return reports.summary(parl, pack=pack)


def verify(*, seed: int = 0, pack: PackLike = None, body: str | None = None) -> tuple[_elections.DistrictCheck, ...]:
    """Every district-election of the record (of one body, or every body) under its own law."""
    return _elections.verify(seed=seed, pack=pack, body=body)


def verify_rows(checks: Sequence[_elections.DistrictCheck], *, folded: bool = False) -> list[dict]:
    """The record check as rows: every district (``folded=False``), or runs of districts
    with the same status and reason folded into one row, for reading."""
    return reports.verify_table(checks) if folded else reports.check_rows(checks)


def verify_summary(checks: Sequence[_elections.DistrictCheck]) -> list[str]:
    """The closing lines of the record check: counts per status and the verdict."""
    return reports.verify_summary(checks)


def verify_counts(checks: Sequence[_elections.DistrictCheck] | None = None, *, seed: int = 0,
                  pack: PackLike = None, body: str | None = None) -> list[dict]:
    """The record check counted per body and election: one row each with its body, its
    election and the number of checks (districts, compensatory tier, group seats) per
    status (match, mismatch, insufficient-data, no-official-seats)."""
    counts = _elections.verify_counts(checks, seed=seed, pack=pack, body=body)
    return [{"body": c.body, "election": c.election, **c.counts, "checks": c.total} for c in counts]


def metrics(election: str, *, pack: PackLike = None) -> list[dict]:
    """Disproportionality and fragmentation of the official parliament."""
    return reports.metric_rows(election, pack=pack)


def women(election: str, *, pack: PackLike = None) -> tuple[list[dict], list[str]]:
    """Women's seats each list must fill, per district, and the rule's notes."""
    return reports.women_rows(election, pack=pack)


def hemicycle(election: str, *, by: str = "list", pack: PackLike = None) -> tuple[list[tuple[str, int, str]], str]:
    """Seat groups (label, seats, colour) of the hemicycle, and its title."""
    if by not in ("list", "community"):
        raise InputError("argument", f"by must be 'list' or 'community', got {by!r}", field="by")
    return reports.hemicycle_groups(election, by=by, pack=pack)


@dataclass(frozen=True)
class Tile:
    """One region of the tile grid: its districts' checks summed, who won most, and its place
    (``official`` and ``computed`` ordered by seats, then by name)."""

    name: str
    name_ar: str | None
    seats: int | None
    status: str
    statuses: Mapping[str, int]
    official: Mapping[str, int]
    computed: Mapping[str, int]
    districts: tuple[str, ...]
    row: int | None = None
    col: int | None = None

    @property
    def winner(self) -> str | None:
        """The list with the most official seats here (None when none are known)."""
        return next(iter(self.official), None)

    def as_dict(self) -> dict:
        """The tile as plain data (the explorer's JSON and CSV)."""
        return {"governorate": self.name, "name_ar": self.name_ar, "seats": self.seats, "status": self.status,
                "statuses": dict(self.statuses), "official": dict(self.official),
                "computed": dict(self.computed), "districts": list(self.districts),
                "winner": self.winner, "row": self.row, "col": self.col}


def _by_seats(counts: Counter[str]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def governorate_tiles(parl: _elections.Parliament, *, pack: PackLike = None) -> list[Tile]:
    """A parliament's district checks grouped by region (2021's 83 districts in 18), with
    each region's place on the pack's tile grid."""
    chosen = load(pack)
    # a seats-only election has no law (and no checks): no district to place
    governorate_of = {d.name: d.governorate or d.name for d in chosen.law(parl.law).districts} if parl.law else {}
    groups: dict[str, list[_elections.DistrictCheck]] = {}
    for c in parl.checks:
        groups.setdefault(governorate_of.get(c.district, c.district), []).append(c)
    regions = {r.id: r for r in chosen.regions}
    tiles = []
    for name, checks in groups.items():
        statuses = Counter(c.status for c in checks)
        official: Counter[str] = Counter()
        computed: Counter[str] = Counter()
        for c in checks:
            official.update({k: v for k, v in c.official.items() if v})
            computed.update({k: v for k, v in c.computed.items() if v})
        seats = None if any(c.seats is None for c in checks) else sum(c.seats for c in checks)
        region = regions.get(name)
        row, col = region.tile if region else (None, None)
        tiles.append(Tile(name, region.name_ar if region else None, seats,
                          next(iter(statuses)) if len(statuses) == 1 else "mixed", dict(statuses),
                          _by_seats(official), _by_seats(computed),
                          tuple(c.district for c in checks), row, col))
    return tiles


def read_votes(path: str | Path) -> VoteTable:
    """A user's vote table (CSV ``list,votes``, an optional ``TOTAL`` row), validated."""
    return read_vote_table(path)


# --------------------------------------------------------------------------- laws


def laws(*, pack: PackLike = None, body: str | None = None) -> list[dict]:
    """One row per law of the pack: its election, method, plan, house and assumptions."""
    chosen = load(pack)
    out = []
    for i in chosen.law_ids(body):
        law_ = chosen.law(i)
        out.append({"id": law_.id, "title": law_.title, "election": law_.election, "date": law_.date,
                    "method": law_.general.method, "params": dict(law_.general.params),
                    "district_plan": law_.general.district_plan, "data_level": law_.general.data_level,
                    "districts": len(law_.districts), "house_size": law_.house_size,
                    "threshold": law_.general.threshold, "tie_rule": law_.tie_rule,
                    "assumptions": [a.id for a in law_.assumptions]})
    return out


def law(law_id: str, *, pack: PackLike = None) -> dict:
    """One law in full: its tiers, districts, assumptions, sources and a readable account."""
    chosen = load(pack)
    law_ = chosen.law(law_id)
    return {"id": law_.id, "title": law_.title, "election": law_.election, "date": law_.date,
            "legal_basis": law_.legal_basis, "house_size": law_.house_size, "ballot": law_.ballot,
            "tie_rule": law_.tie_rule, "general_seats": law_.general_seats,
            "minority_seats": law_.minority_seat_total, "compensatory_seats": law_.compensatory_seats,
            "method": law_.general.method, "params": dict(law_.general.params),
            "threshold": law_.general.threshold, "district_plan": law_.general.district_plan,
            "data_level": law_.general.data_level,
            "districts": [{"name": d.name, "governorate": d.governorate, "seats": d.seats} for d in law_.districts],
            "women": law_.women.rule if law_.women else None,
            "assumptions": [{"id": a.id, "applies_to": a.applies_to, "statement": a.statement,
                             "evidence": a.evidence} for a in law_.assumptions],
            "sources": list(law_.sources), "description": reports.describe_laws(law_.id, pack=chosen)}


def describe_laws(law_id: str | None = None, *, pack: PackLike = None) -> list[str]:
    """The laws of the pack as text lines, or one law with its assumptions."""
    return reports.describe_laws(law_id, pack=pack)


def law_lab(election: str, law_id: str, *, pack: PackLike = None) -> dict:
    """The same votes under the election's own law and under ``law_id``, list by list."""
    if load(pack).election(election).seats_only:  # declared seats, no votes: nothing to put under a law
        raise SeatsOnlyError(election, "the law lab recomputes its votes under two laws")
    own = parliament(election, pack=pack)
    other = parliament(election, law_id, pack=pack)
    theirs = {x.list_id: x.seats_computed for x in other.lists}
    rows = [{"list": x.list_id, "name": x.name, "name_ar": x.name_ar, "community": x.community,
             "votes": x.votes, "seats_official": x.seats_official, f"seats_law_{own.law}": x.seats_computed,
             f"seats_law_{other.law}": theirs.get(x.list_id)}
            for x in sorted(own.lists, key=lambda x: -(x.seats_official or 0))]
    return {"election": election, "own_law": own.law, "law": other.law, "own": own, "other": other, "rows": rows}


# --------------------------------------------------------------------------- blocs, games, power


def bloc_maps(election: str, *, pack: PackLike = None) -> list:
    """The pack's dated bloc maps of an election's parliament."""
    return list(load(pack).bloc_maps(election))


def _bloc_map(election: str, blocs: str, chosen: Pack):
    """A bloc map from its id, a date, or (not from the web) a user's TOML file."""
    if blocs.endswith(".toml") or Path(blocs).is_file():
        return chosen.bloc_file(blocs, election)
    return chosen.bloc_map(election, blocs)


def players(election: str, *, by: str = "list", blocs: str | None = None, pack: PackLike = None) -> Players:
    """The players of a parliament: lists (independents one seat each), members, or the
    blocs of a bloc map (an id, a date, or a file; the latest map when ``by="bloc"`` and
    none is named)."""
    chosen = load(pack)
    if by == "bloc" or blocs:
        if blocs:
            bloc_map = _bloc_map(election, blocs, chosen)
        else:
            maps = chosen.bloc_maps(election)
            if not maps:
                raise InputError("argument", f"the pack has no bloc map for election {election!r}", field="blocs")
            bloc_map = maps[-1]
        return _players(election, level="bloc", bloc_map=bloc_map, pack=chosen)
    return _players(election, level=by, pack=chosen)


def steps(election: str, *, pack: PackLike = None) -> tuple[str, ...]:
    """The steps games can be played at on an election's parliament: the decisions (and
    run-offs) of the constitution that governed the formation after it."""
    chosen = load(pack)
    return chosen.constitution(chosen.body_of(election).id).steps(election)


def community_requirement(communities: Sequence[str] | None, share: str | None = None, *,
                          pack: PackLike = None) -> CommunityRequirement | None:
    """A consociational requirement: each of ``communities`` present (share "0") or a share
    of each community's seats; names are the pack's communities."""
    if not communities:
        return None
    known = load(pack).community_ids
    for name in communities:
        if name not in known:
            raise UnknownNameError("community", name, known, field="communities")
    try:
        value = to_fraction(share or "0", what="share")
    except ValueError as exc:
        raise InputError("argument", str(exc), field="share") from None
    return CommunityRequirement(tuple(communities), value)


def game(cast: Players, step: str = "president", *, quota: int | None = None, reading: str | None = None,
         requirement: CommunityRequirement | None = None) -> VotingGame:
    """The voting game of a constitutional step on these players. A step whose own threshold
    does not make a proper game (a blocking minority, such as a third that brings a cabinet
    down) is refused naming the step, unless the caller gave the quota."""
    try:
        return decision_game(cast, step, quota=quota, reading=reading, requirement=requirement)
    except InputError as exc:
        if quota is not None or (exc.field or exc.source) != "quota":
            raise
        raise InputError("argument", f"step {step!r} is not a majority game ({exc.problem}); power and coalitions "
                                     "need a step that more than half of the house must carry", field="step") from exc


def power(cast: Players, voting_game: VotingGame, indices: Sequence[str], *,
          baseline: VotingGame | None = None, progress: Callable[[float], object] | None = None) -> list[dict]:
    """One row per player: seats, communities and each index (exact), with the change
    against ``baseline`` where given; ``progress`` is called with the fraction done.
    Each count's time and memory are estimated first and refused beyond the limits."""
    if not indices:
        raise InputError("argument", "name at least one power index", field="index")
    return reports.power_table(cast, voting_game, indices, baseline=baseline, progress=progress)


def power_estimate(voting_game: VotingGame, index: str) -> Estimate:
    """The engine an index would use on a game, with its estimated seconds and bytes."""
    return _estimate(voting_game, index)


def coalition_patterns(voting_game: VotingGame, kind: str, cast: Players, *, must_include: Sequence[str] = (),
                       min_size: int | None = None, order: Sequence[str] | None = None) -> list:
    """Winning or blocking coalitions of a game, as patterns of interchangeable players."""
    return _coalitions(voting_game, kind, must_include=list(must_include), min_size=min_size,
                       order=list(order) if order else None, player_communities=cast.community_seats)


def coalition_page(voting_game: VotingGame, kind: str, cast: Players, *, offset: int = 0, limit: int = 20,
                   must_include: Sequence[str] = (), min_size: int | None = None,
                   order: Sequence[str] | None = None,
                   progress: Callable[[float], object] | None = None) -> CoalitionPage:
    """One page of a game's coalition patterns of a kind, with the exact totals of the
    whole listing (patterns and the concrete coalitions they stand for)."""
    return _coalition_page(voting_game, kind, offset=offset, limit=limit, must_include=list(must_include),
                           min_size=min_size, order=list(order) if order else None,
                           player_communities=cast.community_seats, progress=progress)


def coalition_rows(patterns: Sequence) -> list[dict]:
    """Coalition patterns as rows."""
    return reports.coalition_rows(patterns)


def coalition_members(cast: Players, members: Iterable[str], take: Iterable[str] = ()) -> list[str]:
    """The players of a coalition: named ones, plus ``list:k`` = the first k single-seat
    players of that list."""
    chosen: list[str] = []
    for m in members:
        if m not in cast.weights:
            raise UnknownNameError("player", m, cast.weights, field="member")
        chosen.append(m)
    for item in take:
        base, sep, count = item.partition(":")
        if not sep or not count.isdigit() or not count.isascii():
            raise InputError("argument", f"{item!r} is not LIST:COUNT (e.g. independents:12)", field="take")
        if base not in cast.single_seats:
            raise UnknownNameError("list of single-seat players", base, cast.single_seats, field="take")
        k = int(count)
        group = cast.single_seats[base]
        if k > len(group):
            raise InputError("argument", f"{base} has {len(group)} single-seat players, not {k}", field="take")
        chosen.extend(group[:k])
    return list(dict.fromkeys(chosen))


@dataclass(frozen=True)
class CoalitionVerdict:
    """What a coalition can do at one step: carry it, block it, or neither."""

    step: str
    game: str
    quota: int
    blocking: int
    seats: int
    carries: bool
    blocks: bool


def coalition(cast: Players, members: Sequence[str], *, pack: PackLike = None) -> dict:
    """A coalition's verdict at every step of the body's constitution, and its mandate."""
    seats = sum(cast.weights[p] for p in members)
    verdicts = []
    for step in steps(cast.election, pack=cast.pack or pack):
        g = decision_game(cast, step, proper=False)  # a step a minority carries still has a verdict
        verdicts.append(CoalitionVerdict(step, g.label, g.quota, g.blocking_size, seats, g.wins(members),
                                         g.blocks(members)))
    return {"election": cast.election, "blocs": cast.bloc_map.id if cast.bloc_map else None, "total": cast.total,
            "members": list(members), "seats": seats, "steps": verdicts,
            "mandate": mandate(cast, members, pack=cast.pack or pack) if members else None}


def mandate(cast: Players, members: Sequence[str], *, pack: PackLike = None) -> dict:
    """Seat, vote and registered-voter shares of a coalition of players."""
    return reports.mandate_rows(cast.election, cast, members, pack=cast.pack or pack)


def power_rows_folded(rows: list[dict], indices: Sequence[str]) -> list[dict]:
    """Power rows with a list's single-seat players folded into one row (for reading)."""
    return reports.fold_single_seats(rows, indices)


def percent(value: Any) -> str:
    """An exact share as a percentage with two decimals."""
    return reports.percent(value)


# --------------------------------------------------------------------------- formation
# (thin: the formation stage's own public functions do the work)


def cycles(*, pack: PackLike = None) -> list:
    """The formation cycles of the record."""
    from muhasasa.formation.history import cycle_records

    return list(cycle_records(load(pack)))


def cycle_of_election(election: str, *, pack: PackLike = None) -> str:
    """The replayable formation cycle an election opened."""
    return reports.cycle_of_election(election, pack=pack)


def load_whatif(path: str | Path, *, pack: PackLike = None):
    """A formation what-if file (TOML), validated."""
    from muhasasa.formation.whatif import load_whatif as _load

    return _load(path, pack)


MAX_RUNS = 100_000  #: formation runs of one replay or form (about a minute, ~100 MB)


def check_runs(runs: object) -> int:
    """The number of formation runs, checked against :data:`MAX_RUNS` before any work."""
    if isinstance(runs, bool) or not isinstance(runs, int):
        raise InputError("argument", f"the number of runs must be a whole number, got {str(runs)[:40]!r}",
                         field="runs")
    if runs <= 0:
        raise InputError("argument", f"the number of runs must be positive, got {runs}", field="runs")
    if runs > MAX_RUNS:
        raise InputError("argument", f"{runs} runs is more than the {MAX_RUNS:,} allowed (about a minute of work)",
                         field="runs")
    return runs


def replay(cycle: str, *, runs: int = 1000, seed: int = 0, without: Sequence[str] = (), whatif: Any = None,
           pack: PackLike = None, progress: Any = None, elected: bool = False, without_vetoes: Sequence[str] = ()):
    """Replay a formation cycle ``runs`` times beside the record (a what-if applied); with
    ``elected``, from the lists as elected, the model forming the blocs after the vote;
    ``without_vetoes``: outside players (``formation/outside.toml``) whose vetoes do not act."""
    from muhasasa.formation.replay import calibrated_parameters
    from muhasasa.formation.replay import replay as _replay

    check_runs(runs)
    _check_flag(elected, "elected")
    chosen = load(pack)
    whatif = _whatif(whatif, chosen)
    if whatif is not None and whatif.cycle != cycle:
        raise InputError(whatif.source, f"the file is for cycle {whatif.cycle}, not cycle {cycle}", field="cycle")
    params = calibrated_parameters(chosen)
    actors_file, convention = None, True
    if whatif is not None:
        try:
            params = params.with_values(whatif.parameters.given())
        except InputError as exc:
            raise InputError(whatif.source, exc.problem, field=exc.field) from None
        without = tuple(without) + whatif.without_events
        actors_file, convention = whatif.actors_path, whatif.convention
    return _replay(cycle, runs=runs, seed=seed, without=tuple(without), parameters=params,
                   actors_file=actors_file, convention=convention, progress=progress, pack=chosen, elected=elected,
                   without_vetoes=_names(without_vetoes, "without_vetoes"))


def _names(value: Any, name: str) -> tuple[str, ...]:
    """A sequence of names given as such (one string is refused, not split into letters)."""
    if isinstance(value, str) or not all(isinstance(v, str) for v in value):
        raise InputError("argument", f"{name} must be a list of names, got {value!r}", field=name)
    return tuple(value)


def _check_flag(value: Any, name: str) -> None:
    if not isinstance(value, bool):
        raise InputError("argument", f"{name} must be true or false, got {value!r}", field=name)


def form(election: str, *, runs: int = 1000, seed: int = 0, whatif: Any = None, pack: PackLike = None,
         progress: Any = None):
    """Form a government from an election's parliament (the cycle it opened)."""
    check_runs(runs)
    cycle = cycle_of_election(election, pack=pack)
    whatif = _whatif(whatif, pack)
    if whatif is not None and whatif.cycle != cycle:
        raise InputError(whatif.source, f"the file is for cycle {whatif.cycle}, election {election} opened cycle "
                                        f"{cycle}", field="cycle")
    return replay(cycle, runs=runs, seed=seed, whatif=whatif, pack=pack, progress=progress)


def _whatif(whatif: Any, pack: PackLike):
    """A what-if as given: None, a loaded file (:func:`load_whatif`), or its path (read here)."""
    from muhasasa.packs.schema.whatif import WhatIf

    if whatif is None or isinstance(whatif, WhatIf):
        return whatif
    if isinstance(whatif, (str, Path)):
        return load_whatif(whatif, pack=pack)
    raise InputError("argument", f"a what-if is a file's path or load_whatif()'s result, got a "
                                 f"{type(whatif).__name__}", field="whatif")


def calibrate(*, runs: int = 60, seed: int = 0, leave_one_out: bool = False, sweeps: int = 1,
              pack: PackLike = None, progress: Any = None, elected: bool = False, scripts: bool = True,
              workers: int = 1) -> Any:
    """Calibrate the formation model on the record: the fitted set with each parameter's
    profile (identified or flat) and the fit per cycle; with ``leave_one_out``, one row per
    held-out cycle, scored with the set fitted on the others, each parameter they leave flat
    drawn from its grid run by run (the fixed set's figures beside, ``fixed``; ``workers``:
    processes that refit the folds side by side; the rows are the same). ``scripts=False`` removes the
    record's scripted resignations and outside vetoes from fit and replay (the model must
    produce them: the exit move, the outside players' vetoes)."""
    from muhasasa.formation.calibration import calibrate as _calibrate
    from muhasasa.formation.calibration import leave_one_out as _leave_one_out

    if isinstance(runs, bool) or not isinstance(runs, int) or not 1 <= runs <= 10_000:
        raise InputError("argument", f"runs must lie between 1 and 10000, got {runs!r}", field="runs")
    if isinstance(sweeps, bool) or not isinstance(sweeps, int) or not 1 <= sweeps <= 5:
        raise InputError("argument", f"sweeps must lie between 1 and 5, got {sweeps!r}", field="sweeps")
    if isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= 64:
        raise InputError("argument", f"workers must lie between 1 and 64, got {workers!r}", field="workers")
    if workers > 1 and not leave_one_out:
        raise InputError("argument", "workers acts only with leave_one_out (one process per held-out cycle)",
                         field="workers")
    _check_flag(elected, "elected")
    _check_flag(scripts, "scripts")
    chosen = load(pack)
    if leave_one_out:
        return _leave_one_out(runs, seed, sweeps=sweeps, pack=chosen, progress=progress, elected=elected,
                              scripts=scripts, workers=workers)
    return _calibrate(runs, seed, sweeps=sweeps, pack=chosen, progress=progress, elected=elected,
                      scripts=scripts).as_dict()


def veto_effects(cycle: str, *, runs: int = 300, seed: int = 0, elected: bool = False, scripts: bool = True,
                 pack: PackLike = None) -> list[dict]:
    """What each outside player's veto changes in a cycle: one row with every player, one
    without each, one without all; each with the modal PM outcome and the record's probability,
    days, failed designations, the share of runs whose confirmed nominee no player rejects,
    and how often each veto acted. ``scripts=False`` removes the record's scripted events
    (the 2026 veto) so that only the players act."""
    from muhasasa.formation.veto_effects import veto_effects as _effects

    check_runs(runs)
    _check_flag(elected, "elected")
    _check_flag(scripts, "scripts")
    return _effects(cycle, runs=runs, seed=seed, elected=elected, scripts=scripts, pack=load(pack))


def outside_positions(cycle: str, *, pack: PackLike = None) -> dict:
    """The outside players of a cycle's body and their reported positions on the cycle's
    nominees (``formation/outside.toml``), by date: ``{"players": [{id, name}],
    "positions": [{player, date, nominee, proposer, order, stance, position, sources, ...}]}``;
    both empty where the pack records no outside players."""
    chosen = load(pack)
    record = cycle_record(cycle, pack=chosen)
    outside = chosen.outside(chosen.body_of(record.election).id)
    if outside is None:
        return {"players": [], "positions": []}
    rows = sorted(outside.of_cycle(cycle), key=lambda p: (p.date is None, p.date or date.min))
    return {"players": [{"id": p.id, "name": p.name} for p in outside.players],
            "positions": [{**p.model_dump(mode="json"), "rejects": p.rejects} for p in rows]}


def replay_lines(report: Any) -> list[str]:
    """A replay as text: the record beside the simulation, then the story of one run."""
    return reports.replay_lines(report)


# --------------------------------------------------------------------------- scenarios, Monte Carlo


def load_scenario(path: str | Path, *, pack: PackLike = None):
    """A scenario file (TOML), validated against the default pack: the Monte Carlo stage reads
    its elections, laws and bloc maps from that pack only, so another pack is refused (field
    ``pack``) rather than silently ignored."""
    from muhasasa.scenarios import load_scenario as _load

    chosen, default = load(pack), load()
    if chosen is not default:
        raise InputError("argument", f"scenarios run on the default pack ({default.id}) only; {chosen.id!r} is not "
                                     "supported by the Monte Carlo stage yet", field="pack")
    return _load(path)


def simulate(scenario: Any, draws: int, seed: int = 0, **options: Any):
    """A Monte Carlo run of a scenario: seat distributions, quotas, governments."""
    from muhasasa.montecarlo import simulate as _simulate

    return _simulate(scenario, draws, seed, **options)


def sweep(scenarios: Sequence[Any], draws: int, seed: int = 0, **options: Any) -> list:
    """Monte Carlo runs of several scenarios (on Dask)."""
    from muhasasa.montecarlo import sweep as _sweep

    return _sweep(scenarios, draws, seed, **options)


def check_draws(draws: int) -> int:
    """The number of draws, checked against its limit before any work."""
    from muhasasa.montecarlo import check_draws as _check

    return _check(draws)


def check_out(out: str | Path, *, force: bool = False) -> Path:
    """An output folder, checked before any work (only a result's own files are replaced)."""
    from muhasasa.montecarlo import check_out as _check

    return _check(out, force=force)


def dask_client(address: str | None, workers: int = 1):
    """A Dask client (and cluster) for a scheduler address or a local cluster."""
    from muhasasa.montecarlo import dask_client as _client

    return _client(address, workers)


def write_result(result: Any, out: str | Path, *, force: bool = False) -> Path:
    """Write a Monte Carlo result to a folder (Parquet files with the scenario and seed)."""
    from muhasasa.montecarlo import write_result as _write

    return _write(result, out, force=force)


def read_summary(folder: str | Path) -> tuple[dict, list[dict], list[dict]]:
    """A written result's meta, summary and governments."""
    from muhasasa.montecarlo import read_summary as _read

    return _read(folder)


def compare(a: str | Path, b: str | Path, *, allow_different_base: bool = False):
    """Two written results side by side (runs on different base elections only if allowed)."""
    from muhasasa.montecarlo import compare as _compare

    return _compare(a, b, allow_different_base=allow_different_base)


def write_hemicycle(path: str | Path, groups: Sequence[tuple[str, int, str]], *, title: str | None = None) -> Path:
    """Write a hemicycle SVG (needs the ``plot`` extra)."""
    from muhasasa.plot import write_hemicycle as _write

    return _write(path, groups, title=title)


def serve(*, host: str = "127.0.0.1", port: int = 8000, pack: PackLike = None) -> None:
    """Serve the explorer (the ``web`` extra) until interrupted."""
    try:
        import uvicorn

        from muhasasa.web.app import create_app
    except ImportError:
        raise InputError("argument", "the explorer needs the web extra: pip install 'muhasasa[web]'",
                         field="serve") from None
    load(pack)
    uvicorn.run(create_app(), host=host, port=port, log_level="warning")


# --------------------------------------------------------------------------- the explorer's questions
# (appended for the web face: it imports nothing but muhasasa and muhasasa.errors)


def replayable_cycles(*, pack: PackLike = None) -> tuple[str, ...]:
    """The formation cycles the model can replay (formed under the constitution)."""
    load(pack)
    return tuple(c.cycle for c in cycles(pack=pack) if c.replayable)


def cycle_record(cycle: str, *, pack: PackLike = None):
    """One formation cycle of the record: its dates, offices, coalition and sources."""
    from muhasasa.formation.history import cycle_record as _record

    return _record(cycle, pack=load(pack))


def cycle_events(cycle: str, *, pack: PackLike = None) -> list[dict]:
    """The record's exogenous events of a cycle, by date: id, date, kind, actors, what
    they carry (seats, ruling, ...), whether a what-if may remove them, and notes."""
    from muhasasa.formation.history import events

    cycle_record(cycle, pack=pack)
    return [{"id": e.id, "date": e.date, "kind": e.kind, "actors": list(e.actors), "by": e.by,
             "removable": e.removable, "payload": dict(e.payload), "notes": e.notes}
            for e in sorted(events(cycle, pack=load(pack)), key=lambda e: e.date)]


def cycle_names(cycle: str, *, pack: PackLike = None) -> dict[str, tuple[str, str | None]]:
    """Names (English, Arabic or None) of every id a cycle's replay can show: the lists
    of its election, the blocs of its bloc maps and its actors."""
    from muhasasa.formation.history import actors

    chosen = load(pack)
    record = cycle_record(cycle, pack=pack)
    names: dict[str, tuple[str, str | None]] = {
        x.list_id: (x.name, x.name_ar) for x in parliament(record.election, pack=chosen).lists}
    for m in chosen.bloc_maps(record.election):
        names.update({b.id: (b.name, getattr(b, "name_ar", None)) for b in m.blocs})
    try:
        names.update({a.id: (a.name, getattr(a, "name_ar", None)) for a in actors(cycle, pack=chosen).actors.values() if a.name})
    except UnknownNameError:
        pass
    return names


def scenario_from_text(text: str, source: str = "scenario.toml", *, pack: PackLike = None):
    """A scenario from its TOML text (a what-if typed into a form), validated; file
    references inside it are resolved nowhere but the current folder."""
    from muhasasa.scenarios import parse_scenario

    load(pack)
    return parse_scenario(text, source, base_dir=".")


#: Lists with fewer seats than this may share the body's "others" swatch.
OWN_COLOUR_SEATS = 3


def colours(election: str, *, blocs: str | None = None, pack: PackLike = None) -> dict[str, str]:
    """``id -> #rrggbb`` for every list of an election (and the blocs of ``blocs``, a bloc
    map id or date), from the body's ``colours.csv``: a list of 3 seats or more has its
    own swatch, smaller ones fall back to the shared ``others`` swatch (key ``others``).
    A body without a colours file gives every id the neutral grey."""
    from muhasasa.packs.schema.colours import read_colours

    chosen = load(pack)
    body = chosen.body_of(election)
    found = body.file("colours.csv")
    table = read_colours(found[1], found[0]) if found else {"others": "#b8b8b8"}
    others = table["others"]
    out = {"others": others}
    for x in parliament(election, pack=chosen).lists:
        out[x.list_id] = table.get(x.list_id, others)
    if blocs:
        for b in chosen.bloc_map(election, blocs).blocs:
            out[b.id] = table.get(b.id, others)
    return out


# --------------------------------------------------------------------------- offices filled per district
# (appended: a body's formation/offices.csv, e.g. the governors the provincial councils chose)


def office_holders(body: str | None = None, *, district: str | None = None, office: str | None = None,
                   pack: PackLike = None) -> list[dict]:
    """The offices a body's districts filled after its elections (governors, council chairs
    ...), one row each with its date (None where no source gives it), status and sources:
    one body's, or with ``body`` None every body's that has such a record. ``district`` and
    ``office`` narrow the rows; a name the record does not hold is refused with suggestions."""
    chosen = load(pack)
    names = [chosen.body(body).id] if body is not None else list(chosen.bodies)
    rows = [(b, r) for b in names for r in chosen.office_holders(b)]
    if not rows:
        holding = [b for b in chosen.bodies if chosen.office_holders(b)]
        raise InputError("argument", f"body {names[0]!r} has no record of offices filled per district"
                         f" (bodies that have one: {', '.join(holding) or 'none'})", field="body")
    for value, key in ((district, "district"), (office, "office")):
        if value is not None and value not in {getattr(r, key) for _, r in rows}:
            raise UnknownNameError(key, value, {getattr(r, key) for _, r in rows}, field=key)
    return [{"body": b, "election": r.election, "district": r.district, "office": r.office, "name": r.name,
             "party": r.party, "list_id": r.list_id, "date": r.date.isoformat() if r.date else None,
             "date_note": r.date_note, "status": r.status, "event": r.event, "sources": list(r.source),
             "notes": r.notes}
            for b, r in rows if (district is None or r.district == district) and (office is None or r.office == office)]


# --------------------------------------------------------------------------- systems side by side

#: At most this many packs are set side by side (each costs a few power computations).
MAX_SYSTEMS = 8


def systems(packs: Sequence[str], *, elections: Mapping[str, str] | None = None,
            blocs: Mapping[str, str] | None = None, step: str = "president") -> list[dict]:
    """Power-sharing systems side by side: one dict per pack with its parliament (the latest
    election of its first body unless ``elections`` names one), every constitutional step as
    a voting game (quorum, seats to carry, the blocking minority, who blocks alone and the
    fewest players that block), exact Banzhaf power at ``step`` and the disproportionality of
    the official result.

    Players are the blocs of the election's latest bloc map (or the map ``blocs`` names per
    pack), else its lists. Nothing here names a pack: the rules are each pack's data.
    """
    names = [str(p) for p in packs] if not isinstance(packs, str) else [packs]
    if not names:
        raise InputError("argument", "name at least one pack to set side by side", field="packs")
    if len(names) > MAX_SYSTEMS:
        raise InputError("argument", f"at most {MAX_SYSTEMS} packs side by side, got {len(names)}", field="packs")
    if len(set(names)) != len(names):
        raise InputError("argument", "a pack is named twice", field="packs")
    for field_name, given in (("elections", elections), ("blocs", blocs)):
        for key in given or {}:
            if key not in names:
                raise UnknownNameError(f"pack of {field_name}", str(key), names, field=field_name)
    loaded = {}
    for name in names:
        try:
            loaded[name] = load(name)
        except UnknownNameError:
            raise UnknownNameError("pack", name, bundled(), field="packs") from None
    out = []
    for name in names:
        chosen = loaded[name]
        record = chosen.body_record(chosen.body().id)
        election = (elections or {}).get(name) or record.elections[-1].id
        chosen.election(election)
        chosen_blocs = (blocs or {}).get(name)
        has_maps = bool(chosen.bloc_maps(election))
        cast = players(election, by="bloc" if has_maps or chosen_blocs else "list", blocs=chosen_blocs, pack=chosen)
        step_rows = {}
        ranked = sorted(cast.weights.items(), key=lambda kv: (-kv[1], kv[0]))
        for step_id in steps(election, pack=chosen):
            try:
                g = game(cast, step_id)
            except InputError:
                # a quota at or below half (the cabinet's "more than a third leave"): not a
                # proper game, so no blocking minority; the seats that carry it are shown
                vote = _decision(step_id, pack=chosen, body=chosen.body_of(election).id)
                quorum = vote.quorum_seats(cast.total, None)
                carry = max(quorum or 0, vote.threshold_seats(cast.total, cast.total, None))
                step_rows[step_id] = {
                    "label": f"{vote.title} (not a proper game: two disjoint coalitions could both carry it)",
                    "quorum": quorum, "seats_to_carry": carry, "blocking_seats": None, "blocking_share": None,
                    "block_alone": [], "fewest_players_to_block": None,
                }
                continue
            running, fewest = 0, None
            for count, (_, seats) in enumerate(ranked, start=1):
                running += seats
                if running >= g.blocking_size:
                    fewest = count
                    break
            step_rows[step_id] = {
                "label": g.label, "quorum": g.quorum, "seats_to_carry": g.quota, "blocking_seats": g.blocking_size,
                "blocking_share": fraction_text(Fraction(100 * g.blocking_size, cast.total)) + "%",
                "block_alone": [p for p, s in ranked if s >= g.blocking_size], "fewest_players_to_block": fewest,
            }
        if step not in step_rows:
            raise UnknownNameError(f"step of {name} {election}", step, step_rows, field="step")
        rows = power(cast, game(cast, step), ["banzhaf"])
        top = max(rows, key=lambda r: (r["seats"], r["banzhaf"]))
        measured = {r["metric"]: r for r in metrics(election, pack=chosen)}

        def metric(label: str, measured: Mapping[str, dict] = measured) -> dict:
            row = measured.get(label, {})
            return {"value": row.get("value"), "note": row.get("note") or ""}

        out.append({
            "pack": name, "name": getattr(chosen, "name_en", None) or name, "election": election,
            "house": cast.total,
            "players": f"blocs of {cast.bloc_map.id} ({cast.bloc_map.date})" if cast.bloc_map else "lists",
            "player_count": len(cast.weights), "steps": step_rows, "power_step": step,
            "largest_player": top["player"], "largest_seats": top["seats"], "largest_banzhaf": top["banzhaf"],
            "gallagher": metric("Gallagher index"), "loosemore_hanby": metric("Loosemore-Hanby index"),
            "enp_seats": metric("effective number of parties (seats)"),
            "enp_votes": metric("effective number of parties (votes)"),
        })
    return out


def systems_rows(results: Sequence[dict]) -> list[dict]:
    """The side-by-side results as one row per measure and a column per pack (for tables
    and CSV): the house, each step's quorum, seats to carry and blocking minority, the
    largest player's power and the disproportionality measures."""
    packs = [r["pack"] for r in results]
    rows: list[dict] = []

    def add(measure: str, values: Mapping[str, Any]) -> None:
        rows.append({"measure": measure, **{p: values.get(p) for p in packs}})

    add("election", {r["pack"]: r["election"] for r in results})
    add("seats", {r["pack"]: r["house"] for r in results})
    add("players", {r["pack"]: f"{r['player_count']} ({r['players']})" for r in results})
    step_ids: list[str] = []
    for r in results:
        step_ids += [s for s in r["steps"] if s not in step_ids]
    for s in step_ids:
        for key, label in (("quorum", "quorum"), ("seats_to_carry", "seats to carry"),
                           ("blocking_seats", "blocking minority (seats)"), ("blocking_share", "blocking minority (share)"),
                           ("fewest_players_to_block", "fewest players to block"), ("block_alone", "players blocking alone")):
            values = {}
            for r in results:
                if s in r["steps"]:
                    v = r["steps"][s][key]
                    values[r["pack"]] = ", ".join(v) if isinstance(v, list) else v
            add(f"{s}: {label}", values)
    add("largest player", {r["pack"]: f"{r['largest_player']} ({r['largest_seats']})" for r in results})
    add("largest player's Banzhaf", {r["pack"]: percent(r["largest_banzhaf"]) + f" at {r['power_step']}"
                                     for r in results})
    for key, label in (("gallagher", "Gallagher index"), ("loosemore_hanby", "Loosemore-Hanby index"),
                       ("enp_seats", "effective number of parties (seats)"),
                       ("enp_votes", "effective number of parties (votes)")):
        add(label, {r["pack"]: r[key]["value"] if r[key]["value"] is not None else f"unknown: {r[key]['note']}"
                    for r in results})
    return rows
