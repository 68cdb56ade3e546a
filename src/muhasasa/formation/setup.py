"""Prepare a formation scenario from the pack: actors, steps, points, scripted events.

Everything the bargaining model needs is read here once, so that thousands of
runs reuse the same tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace

from muhasasa.errors import InputError, UnknownNameError
from muhasasa.formation.convention import load_convention
from muhasasa.formation.history import (
    Actors,
    actors,
    cycle_record,
    cycle_records,
    events,
)
from muhasasa.formation.model import ActorState, Scenario, Step
from muhasasa import packs

QUORUM_RULING = dt.date(2022, 2, 3)  # FSC 16/Federal/2022: two-thirds present for the President
DEFAULT_MINISTRIES = 22
REPLACEMENT_ASSUMPTION = (
    "replacement seats are shared among the other actors of the resigning actor's community "
    "in proportion to their seats (the record has no per-bloc split of the 2022 replacements)"
)


def replayable_cycles() -> tuple[str, ...]:
    return tuple(r.cycle for r in cycle_records() if r.replayable)


def _steps(size: int, when: dt.date) -> dict[str, Step]:
    constitution = packs.load().constitution()
    president_reading = "fsc-16-2022" if when >= QUORUM_RULING else "art-59-quorum"
    specs = {
        "speaker": ("speaker", None, "Art. 55", None, None),
        "president": ("president", president_reading,
                      "Art. 70(1); FSC 16/Federal/2022" if president_reading == "fsc-16-2022" else "Art. 70(1)",
                      30, "Art. 72(2)(b)"),
        "cabinet": ("confidence", None, "Art. 76(4)", 30, "Art. 76(2)"),
    }
    steps = {}
    for step_id, (decision_id, reading, rule, days, deadline_rule) in specs.items():
        decision = constitution.decision(decision_id)
        quorum = decision.quorum_seats(size, reading)
        threshold = decision.threshold_seats(size, size, reading)
        steps[step_id] = Step(step_id, rule, max(threshold, quorum or 0), quorum, days, deadline_rule)
    return steps


def _actor_states(cast: Actors, list_seats: dict[str, int]) -> tuple[ActorState, ...]:
    from muhasasa.formation.history import DIMENSIONS

    seats = cast.seats(list_seats)
    states = []
    for actor_id, actor in cast.actors.items():
        n = seats.get(actor_id, 0)
        if n <= 0:
            continue
        states.append(ActorState(
            id=actor_id,
            seats=n,
            community_seats={actor.community: n},
            positions=tuple(float(actor.positions[d]) for d in DIMENSIONS),
            office_motive=float(actor.office_motive),
            policy_motive=float(actor.policy_motive),
        ))
    return tuple(states)


def _resign(scenario: Scenario, actor_id: str, seats: int, sworn_in: int) -> Scenario:
    """The actor leaves; ``sworn_in`` replacement seats go to its community's other actors."""
    gone = next((a for a in scenario.actors if a.id == actor_id), None)
    if gone is None:
        return scenario
    community = next(iter(gone.community_seats))
    rest = [a for a in scenario.actors if a.id != actor_id]
    peers = [a for a in rest if a.community_seats.get(community)]
    pool = sum(a.seats for a in peers) or 1
    from muhasasa.methods import allocate

    share = allocate({a.id: a.seats for a in peers}, min(sworn_in, seats), method="largest-remainder",
                     tie_break="lot", seed=0).seats if peers else {}
    del pool
    grown = []
    for a in rest:
        extra = share.get(a.id, 0)
        grown.append(replace(a, seats=a.seats + extra,
                             community_seats={k: v + (extra if k == community else 0) for k, v in a.community_seats.items()}))
    return replace(scenario, actors=tuple(grown))


def prepare(
    cycle: str,
    *,
    without: Sequence[str] = (),
    actors_file: str | None = None,
    convention: bool = True,
) -> Scenario:
    """The scenario of a cycle's replay: its own parliament, actors and scripted events.

    ``without`` removes events of the record by id (e.g. ``"sadrist-resignation"``
    for the 2022 counterfactual); ``convention=False`` lifts the communal
    requirement on coalitions.
    """
    if cycle not in replayable_cycles():
        raise UnknownNameError("replayable cycle", cycle, replayable_cycles(), source="cycle")
    record = cycle_record(cycle)
    election = packs.load().record().election(record.election)
    if actors_file:
        from muhasasa.formation.history import load_actors_file

        cast = load_actors_file(actors_file, cycle)
    else:
        cast = actors(cycle)
    list_seats = {x.list_id: x.seats for x in election.lists if x.seats}
    states = _actor_states(cast, list_seats)
    size = sum(a.seats for a in states)
    if convention:
        from muhasasa.formation.model import MAIN_COMMUNITIES

        held = {c for a in states for c, k in a.community_seats.items() if k}
        missing = [c for c in MAIN_COMMUNITIES if c not in held]
        if missing:
            raise InputError(
                actors_file or "actors",
                f"the convention cannot be satisfied by this parliament: no actor of {', '.join(missing)} "
                "holds a seat (lift it with convention = false)",
            )
    start = record.dates.election
    first = record.dates.first_session
    days_first = (first - start).days if first and start else 45
    conv = load_convention()
    ministries = record.ministries_total or DEFAULT_MINISTRIES
    points = conv.cycle(_convention_cycle(conv, cycle)).points_system if conv else None
    scenario = Scenario(
        cycle=cycle,
        actors=states,
        trust={frozenset((t.a, t.b)): float(t.value) for t in cast.trust_entries},
        steps=_steps(size, record.dates.president or first or start),
        days_to_first_session=days_first,
        ministries=ministries,
        sovereign=5,
        seats_per_ministry=None,
        points_rule=points or "seats in proportion (largest remainder)",
        convention=convention,
        house_size=size,
    )
    known = {e.id for e in events(cycle)}
    unknown = [e for e in without if e not in known]
    if unknown:
        raise UnknownNameError(f"event of cycle {cycle}", unknown[0], known, source="--without")
    scripted = []
    current = scenario
    vetoes = []
    for event in sorted(events(cycle), key=lambda e: e.date):
        if event.id in without:
            continue
        day = (event.date - start).days
        if event.kind == "resignation":
            seats = int(event.payload.get("seats", 0))
            replaced = event.payload.get("replaced_by") or {}
            sworn = int(replaced.get("sworn_in", seats)) if isinstance(replaced, Mapping) else seats
            current = _resign(current, event.actors[0], seats, sworn)
            scripted.append((day, current, f"{event.actors[0]} resign {seats} seats; {sworn} replacements "
                                           f"sworn in ({REPLACEMENT_ASSUMPTION})", f"event {event.id}; 2020 law: next-highest candidate"))
        elif event.kind == "outside-veto":
            vetoes.append((day, f"outside veto on {event.payload.get('target', 'the nominee')} by {event.by}",
                           f"event {event.id}"))
    return replace(scenario, events=tuple(scripted), vetoes=tuple(vetoes))


def _convention_cycle(conv, cycle: str) -> str:
    """The convention pack names cycles like ``2022_sudani``; match by year."""
    for c in conv.cycles:
        if c.cycle.split("_")[0] == cycle:
            return c.cycle
    raise InputError("convention", f"no convention cycle for {cycle}")
