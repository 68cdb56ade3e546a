"""The formation stage of a Monte Carlo draw: each draw's parliament through a formation run.

Each parliament goes through formation's public entry point, the one ``replay`` and
``form`` use (:func:`muhasasa.formation.prepare` with the draw's seats, then a
:class:`muhasasa.formation.Simulator` run); the recorded resignations are scripted there.
Draws whose lists give the same seats per actor share one prepared scenario and its
tables, and tables share their parts across parliaments (:class:`muhasasa.formation.batch.Batch`);
``shared=False`` in the plan runs the plain path, one scenario per draw, with the same results.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from muhasasa.errors import InputError
from muhasasa.formation.batch import Batch
from muhasasa.formation.model import Government, Simulator
from muhasasa.montecarlo.seats import list_seats
from muhasasa.scenarios.spec import ExtraVeto

if TYPE_CHECKING:
    from muhasasa.montecarlo.plan import Plan

__all__ = ["FormationPlan", "FormationRow", "actor_key", "actor_keys", "batch", "form", "formation_scenario", "formation_tools"]


class FormationRow(NamedTuple):
    """One draw's formation run: the PM's bloc, whether a government formed, in how many
    days (-1: none) and the coalition (its blocs joined by ``" + "``)."""

    draw: int
    pm_bloc: str
    formed: bool
    days: int
    coalition: str


@dataclass(frozen=True)
class FormationPlan:
    """What formation needs, as plain values: each process prepares the cycle itself."""

    cycle: str
    without: tuple[str, ...]
    vetoes: tuple[ExtraVeto, ...]
    convention: bool
    limit: int
    left_out: tuple[str, ...] = ()
    shared: bool = True


@functools.lru_cache(maxsize=8)
def formation_tools(f: FormationPlan):
    """The cycle's prepared scenario (recorded events as the plan says), actors and parameters."""
    from muhasasa.formation import calibrated_parameters, prepare
    from muhasasa.packs import load

    base = prepare(f.cycle, without=f.without, convention=f.convention, vetoes=f.vetoes)
    return base, load().actors(f.cycle), calibrated_parameters()


def formation_scenario(f: FormationPlan, seats_by_list: Mapping[str, int], source: str = "scenario"):
    """The formation scenario of one parliament: the cycle's scenario with these seats (the
    recorded resignations scripted on them by :func:`muhasasa.formation.prepare`)."""
    from muhasasa.formation import prepare

    return prepare(f.cycle, without=f.without, convention=f.convention, vetoes=f.vetoes, source=source,
                   list_seats={k: v for k, v in seats_by_list.items() if k not in f.left_out})


@functools.lru_cache(maxsize=8)
def batch(f: FormationPlan) -> Batch:
    """The process's batch of the plan's parliaments (kept across the chunks it runs)."""
    return Batch(formation_tools(f)[2])


def actor_key(f: FormationPlan, seats: Mapping[str, int]) -> tuple[int, ...]:
    """The bloc-level parliament of a draw: the seats of the house, then seats per actor of
    the cycle (lists mapped to actors); equal keys give equal formation scenarios."""
    kept = {k: v for k, v in seats.items() if k not in f.left_out}
    cast = formation_tools(f)[1]
    try:
        by_actor = cast.seats(kept)
    except InputError:  # prepare says why, located, when the scenario is made
        return (-1, *(v for _, v in sorted(kept.items())))
    return (sum(kept.values()), *by_actor.values())


@functools.lru_cache(maxsize=8)
def _actor_matrix(f: FormationPlan, lists: tuple[str, ...]) -> np.ndarray | None:
    """Seats per actor as a matrix product (lists × actors) when the cycle's bloc map is
    linear in the lists' seats (no bloc takes a stated part of a list), else None."""
    cast = formation_tools(f)[1]
    columns = []
    for list_id in lists:
        if list_id in f.left_out:
            columns.append([0] * len(cast.actors))
            continue
        try:
            columns.append(list(cast.seats({list_id: 1}).values()))
        except InputError:
            return None
    matrix = np.array(columns, dtype=np.int64).reshape(len(lists), len(cast.actors))
    # and the map adds up: a parliament of many seats per list gives the product's seats
    probe = np.array([0 if x in f.left_out else 1000 + 7 * i for i, x in enumerate(lists)], dtype=np.int64)
    try:
        found = list(cast.seats({x: int(v) for x, v in zip(lists, probe) if v}).values())
    except InputError:
        return None
    return matrix if found == (probe @ matrix).tolist() else None


def actor_keys(f: FormationPlan, plan: Plan, rows: np.ndarray) -> list[tuple[int, ...]]:
    """:func:`actor_key` of each draw of ``rows`` (national seats per list), by one matrix
    product where the bloc map allows it."""
    matrix = _actor_matrix(f, plan.lists)
    if matrix is None:
        found: dict[bytes, tuple[int, ...]] = {}
        out = []
        for row in rows:
            raw = row.tobytes()
            if raw not in found:
                found[raw] = actor_key(f, list_seats(plan, row))
            out.append(found[raw])
        return out
    kept = np.array([x not in f.left_out for x in plan.lists])
    by_actor = np.asarray(rows, dtype=np.int64) @ matrix
    house = np.asarray(rows, dtype=np.int64)[:, kept].sum(axis=1)
    return [tuple(r) for r in np.column_stack([house, by_actor]).tolist()]


def form(f: FormationPlan, rows: np.ndarray, plan: Plan, first: int, ss: np.random.SeedSequence) -> list[FormationRow]:
    """One formation run per draw of ``rows`` (draws ``first``, ``first + 1``, ...), up to the plan's limit."""
    out = []
    streams = ss.spawn(rows.shape[0])
    count = max(0, min(rows.shape[0], f.limit - first))
    shared = batch(f) if f.shared else None
    keys = actor_keys(f, plan, rows[:count]) if shared is not None else []
    for k in range(count):
        seats = list_seats(plan, rows[k])
        if shared is None:
            sim = Simulator(formation_scenario(f, seats), formation_tools(f)[2])
        else:
            sim = shared.simulator(keys[k], functools.partial(formation_scenario, f, seats))
        out.append(_row(first + k, sim.run(np.random.default_rng(streams[k]))))
    return out


def _row(draw: int, g: Government) -> FormationRow:
    return FormationRow(draw, g.pm_bloc or "", bool(g.formed), int(g.days) if g.days is not None else -1,
                        " + ".join(sorted(g.coalition)))

