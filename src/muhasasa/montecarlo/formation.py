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

__all__ = ["FormationPlan", "FormationRow", "actor_key", "batch", "form", "formation_scenario", "formation_tools"]


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
    """The bloc-level parliament of a draw: seats per actor of the cycle (lists mapped to
    actors), and the seats of the house; equal keys give equal formation scenarios."""
    kept = {k: v for k, v in seats.items() if k not in f.left_out}
    cast = formation_tools(f)[1]
    try:
        by_actor = cast.seats(kept)
    except InputError:  # prepare says why, located, when the scenario is made
        return (-1, *sorted(kept.items()))  # type: ignore[arg-type]
    return (sum(kept.values()), *by_actor.values())


def form(f: FormationPlan, rows: np.ndarray, plan: Plan, first: int, ss: np.random.SeedSequence) -> list[FormationRow]:
    """One formation run per draw of ``rows`` (draws ``first``, ``first + 1``, ...), up to the plan's limit."""
    out = []
    streams = ss.spawn(rows.shape[0])
    shared = batch(f) if f.shared else None
    keys: dict[bytes, tuple[int, ...]] = {}
    for k in range(rows.shape[0]):
        if first + k >= f.limit:
            break
        seats = list_seats(plan, rows[k])
        if shared is None:
            sim = Simulator(formation_scenario(f, seats), formation_tools(f)[2])
        else:
            raw = rows[k].tobytes()
            if raw not in keys:
                keys[raw] = actor_key(f, seats)
            sim = shared.simulator(keys[raw], functools.partial(formation_scenario, f, seats))
        out.append(_row(first + k, sim.run(np.random.default_rng(streams[k]))))
    return out


def _row(draw: int, g: Government) -> FormationRow:
    return FormationRow(draw, g.pm_bloc or "", bool(g.formed), int(g.days) if g.days is not None else -1,
                        " + ".join(sorted(g.coalition)))

