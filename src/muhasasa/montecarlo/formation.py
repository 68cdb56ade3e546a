"""The formation stage of a Monte Carlo draw: each draw's parliament through a formation run.

TODO(formation): this reaches formation's private ``_actor_states`` and ``_resign`` and
re-scripts the recorded resignations; it moves onto formation's public entry point (the
one ``replay`` and ``form`` use) once that lands on main (issue 9 item 6).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from muhasasa.errors import InputError
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
    from muhasasa.formation.history import actors
    from muhasasa.formation.replay import calibrated_parameters
    from muhasasa.formation.setup import prepare

    base = prepare(f.cycle, without=f.without, convention=f.convention)
    # formation's own vetoes are (day, text, source) tuples, as an ExtraVeto is
    base = replace(base, vetoes=tuple(sorted(base.vetoes + f.vetoes, key=lambda v: v[0])))
    return base, actors(f.cycle), calibrated_parameters()


def formation_scenario(f: FormationPlan, seats_by_list: Mapping[str, int], source: str = "scenario"):
    """The formation scenario of one parliament: the cycle's prepared scenario with these
    seats, and the recorded resignations scripted on them as :func:`prepare` does."""
    from muhasasa.formation.history import cycle_record, events
    from muhasasa.formation.setup import REPLACEMENT_ASSUMPTION, _actor_states, _resign

    base, cast, _ = formation_tools(f)
    try:
        states = _actor_states(cast, {k: v for k, v in seats_by_list.items() if k not in f.left_out})
    except InputError as exc:
        raise InputError(source, f"formation cannot seat this parliament: {exc}") from None
    scenario = replace(base, actors=states, house_size=sum(a.seats for a in states))
    election_day = cycle_record(f.cycle).dates.election
    scripted = []
    current = scenario
    for event in sorted(events(f.cycle), key=lambda e: e.date):
        if event.id in f.without or event.kind != "resignation":
            continue
        day = (event.date - election_day).days
        seats = int(event.payload.get("seats", 0))
        replaced = event.payload.get("replaced_by") or {}
        sworn = int(replaced.get("sworn_in", seats)) if isinstance(replaced, Mapping) else seats
        current = _resign(current, event.actors[0], seats, sworn)
        text = f"{event.actors[0]} resign {seats} seats; {sworn} replacements sworn in ({REPLACEMENT_ASSUMPTION})"
        scripted.append((day, current, text, f"event {event.id}; 2020 law: next-highest candidate"))
    return replace(scenario, events=tuple(scripted))


@functools.lru_cache(maxsize=256)
def simulator(f: FormationPlan, seats: tuple[tuple[str, int], ...]):
    """A formation simulator for one parliament (its bargaining tables are built once)."""
    from muhasasa.formation.model import Simulator

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

