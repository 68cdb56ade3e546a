"""The plan of a Monte Carlo run: everything a chunk of draws needs, prepared once from a
scenario, as typed values (picklable, so worker processes receive it whole)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np

from muhasasa import packs
from muhasasa.errors import InputError, UnknownNameError
from muhasasa.montecarlo.formation import (
    FormationPlan,
    formation_scenario,
    formation_tools,
)
from muhasasa.montecarlo.seats import list_seats, national_seats, seats_of
from muhasasa.scenarios import Scenario

__all__ = ["CHUNK", "KEEP_DRAWS", "MAX_DRAWS", "BlocShare", "ListPlayer", "Plan", "Resignation",
           "check_draws", "make_plan"]

#: Draws per chunk: the unit of seeding and of parallel work (fixed, so results do not
#: depend on the number of workers).
CHUNK = 1000
#: More draws than this are refused: the Monte Carlo error is long negligible by then.
MAX_DRAWS = 10_000_000
#: Draws kept in a result that is not streamed to a folder (beyond them, only the
#: summaries are kept: a run of 10^7 draws would hold gigabytes).
KEEP_DRAWS = 1_000_000


class Resignation(NamedTuple):
    """A list resigning seats in every draw: ``seats`` of them (None: all), refilled among
    ``peers`` (the indices of the lists of its community)."""

    list_index: int
    seats: int | None
    peers: tuple[int, ...]


class BlocShare(NamedTuple):
    """Seats of list ``list_index`` that go to bloc-stage player ``player`` (None: all left)."""

    player: int
    list_index: int
    seats: int | None


class ListPlayer(NamedTuple):
    """The bloc-stage player ``player`` that is list ``list_index`` with its seats left over."""

    player: int
    list_index: int


@dataclass(frozen=True)
class Plan:
    """Everything a chunk of draws needs, prepared once (picklable for worker processes)."""

    lists: tuple[str, ...]
    communities: tuple[str, ...]
    votes: np.ndarray
    residual: np.ndarray
    seats: np.ndarray
    held: np.ndarray
    method: str
    params: Mapping[str, str]
    threshold: str | None
    tie_break: str
    model: str
    concentration: float
    sigma: float
    correlation: float
    ballots: int | None
    resignations: tuple[Resignation, ...]
    players: tuple[str, ...]
    bloc_ops: tuple[BlocShare, ...]
    list_players: tuple[ListPlayer, ...]
    quotas: Mapping[str, int]
    formation: FormationPlan | None = None

    @property
    def house_size(self) -> int:
        return int(self.seats.sum() + self.held.sum())


def check_draws(draws: int) -> int:
    """A usable number of draws, or an InputError saying why not."""
    if isinstance(draws, bool) or not isinstance(draws, int):
        raise InputError("argument", f"the number of draws must be a whole number, got {draws!r}", field="draws")
    if draws <= 0:
        raise InputError("argument", f"the number of draws must be positive, got {draws}", field="draws")
    if draws > MAX_DRAWS:
        raise InputError("argument", f"{draws} draws is more than the {MAX_DRAWS:,} allowed; the Monte Carlo "
                                     "error is negligible long before", field="draws")
    return draws


def _quotas(size: int) -> dict[str, int]:
    constitution = packs.load().constitution()
    majority = constitution.decision("speaker")
    two_thirds = constitution.decision("president")
    m = max(majority.quorum_seats(size) or 0, majority.threshold_seats(size, size))
    t = max(two_thirds.quorum_seats(size) or 0, two_thirds.threshold_seats(size, size))
    return {"majority": m, "two_thirds": t, "blocking": size - t + 1}


def make_plan(scenario: Scenario, *, formation: bool | None = None, formation_draws: int | None = None) -> Plan:
    """The chunk plan of a scenario: its table, law, model, blocs, quotas and formation."""
    t = scenario.table
    law = scenario.law
    u = scenario.uncertainty
    tie_break = "lot" if u.ties == "lot" else law.tie_rule
    resignations = []
    for r in scenario.resignations:
        i, seats = t.lists.index(r.list_id), r.seats
        community = t.communities[i]
        peers = tuple(j for j in range(len(t.lists)) if j != i and (t.communities[j] == community
                                                                    or community == "unclassified"))
        resignations.append(Resignation(i, seats, peers or tuple(j for j in range(len(t.lists)) if j != i)))
    players, bloc_ops, list_players = _players(scenario)
    plan = Plan(
        lists=t.lists, communities=t.communities, votes=t.votes, residual=t.residual, seats=t.seats,
        held=t.held, method=law.general.method, params=dict(law.general.params),
        threshold=law.general.threshold, tie_break=tie_break, model=u.model,
        concentration=float(u.number("concentration") or 0), sigma=float(u.number("sigma") or 0),
        correlation=float(u.number("correlation") or 0), ballots=u.ballot_count, resignations=tuple(resignations),
        players=players, bloc_ops=bloc_ops, list_players=list_players, quotas=_quotas(t.house_size),
    )
    _check_resignations(scenario, plan)
    run_formation = scenario.formation_stage if formation is None else formation
    if run_formation:
        plan = replace(plan, formation=_formation_plan(scenario, plan, formation_draws))
    return plan


def _check_resignations(scenario: Scenario, plan: Plan) -> None:
    """A resignation of more seats than the list holds in the base result is refused, at its
    place in the file (in a draw where the list holds fewer, all of them are resigned)."""
    if not any(r.seats is not None for r in scenario.resignations):
        return
    base = national_seats(plan, seats_of(plan, plan.votes[None], 0))[0]
    for r in scenario.resignations:
        held = int(base[plan.lists.index(r.list_id)])
        if r.seats is not None and r.seats > held:
            raise r.place.error(f"{r.list_id} holds {held} seats in the base result; it cannot resign {r.seats} "
                                f"(give seats up to {held}, or leave seats out to resign them all)", "seats")


def _players(scenario: Scenario) -> tuple[tuple[str, ...], tuple[BlocShare, ...], tuple[ListPlayer, ...]]:
    """Players of the bloc stage: the bloc map's blocs, then every list's seats left over."""
    t = scenario.table
    m = scenario.bloc_map
    players: list[str] = []
    ops: list[BlocShare] = []
    if m is not None:
        for b in m.blocs:
            players.append(b.id)
            for member in b.members:
                for successor in t.renames.get(member.list_id, (member.list_id,)):
                    if successor in t.lists:
                        ops.append(BlocShare(len(players) - 1, t.lists.index(successor), member.seats))
    list_players: list[ListPlayer] = []
    for i, list_id in enumerate(t.lists):
        players.append(list_id)
        list_players.append(ListPlayer(len(players) - 1, i))
    return tuple(players), tuple(ops), tuple(list_players)


def _formation_plan(scenario: Scenario, plan: Plan, limit: int | None) -> FormationPlan:
    f = scenario.formation
    if limit is not None and (isinstance(limit, bool) or limit < 1):
        raise InputError("argument", f"must be a positive whole number, got {limit!r}", field="formation_draws")
    if f is None:
        raise InputError(scenario.source, f"election {scenario.base} opened no replayable formation cycle, "
                                          "so formation cannot run", field="base")
    if scenario.table.renames:
        raise InputError(scenario.source, "formation replays need the record's lists; a merge or split cannot "
                                          "reach formation (run it without formation)", field="interventions")
    # every draw by default; what that costs is estimated and bounded before the run
    # (muhasasa.montecarlo.budget)
    out = FormationPlan(f.cycle, f.without, f.vetoes, f.convention, limit if limit is not None else MAX_DRAWS)
    cast = formation_tools(out)[1]
    left_out = []
    for list_id in plan.lists:
        try:
            cast.actor_of(list_id)
        except (InputError, UnknownNameError):
            left_out.append(list_id)
    out = replace(out, left_out=tuple(left_out))
    base_seats = national_seats(plan, seats_of(plan, plan.votes[None], 0))[0]
    formation_scenario(out, list_seats(plan, base_seats), scenario.source)
    return out

