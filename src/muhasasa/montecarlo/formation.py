"""The formation stage of a Monte Carlo draw: each draw's parliament through a formation run.

Each parliament goes through formation's public entry point, the one ``replay`` and
``form`` use (:func:`muhasasa.formation.prepare` with the draw's seats, then a
:class:`muhasasa.formation.Simulator` run); the recorded resignations are scripted there.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from muhasasa.montecarlo.seats import list_seats
from muhasasa.scenarios.spec import ExtraVeto

if TYPE_CHECKING:
    from muhasasa.montecarlo.plan import Plan

__all__ = ["FormationPlan", "FormationRow", "form", "formation_scenario", "formation_tools", "simulator"]


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


@functools.lru_cache(maxsize=256)
def simulator(f: FormationPlan, seats: tuple[tuple[str, int], ...]):
    """A formation simulator for one parliament (its bargaining tables are built once)."""
    from muhasasa.formation import Simulator

    return Simulator(formation_scenario(f, dict(seats)), formation_tools(f)[2])


def form(f: FormationPlan, rows: np.ndarray, plan: Plan, first: int, ss: np.random.SeedSequence) -> list[FormationRow]:
    """One formation run per draw of ``rows`` (draws ``first``, ``first + 1``, ...), up to the plan's limit."""
    out = []
    streams = ss.spawn(rows.shape[0])
    for k in range(rows.shape[0]):
        if first + k >= f.limit:
            break
        seats = list_seats(plan, rows[k])
        g = simulator(f, tuple(sorted(seats.items()))).run(np.random.default_rng(streams[k]))
        out.append(FormationRow(first + k, g.pm_bloc or "", bool(g.formed),
                                int(g.days) if g.days is not None else -1, " + ".join(sorted(g.coalition))))
    return out

