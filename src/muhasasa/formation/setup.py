"""Prepare a formation scenario from the pack: actors, steps, offices, cabinet, scripted events.

:func:`prepare` is formation's one entry point for every caller — replays, ``form`` and
Monte Carlo (which passes the seats of a drawn parliament): everything the bargaining model
needs is read here once from the pack, so that thousands of runs reuse the same tables, and
the record's resignations are scripted here and nowhere else.

* the **steps** and their order, and the office each seats: the convention's ``[formation]``
  table; each step's vote (quorum, threshold, run-off) and reading: the constitution's
  decision that applies after the election, with the reading whose rulings were handed down
  by the step's date;
* the **communities** a coalition must hold: those the convention gives the steps' offices;
* **deadlines**, designation window and replacement: the constitution's deadlines named by
  the steps; the **horizon**: the convention's ``[formation]``;
* the **cabinet**: its size from the record (or the convention's cycle), its sovereign
  ministries and points system from the convention.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace

from muhasasa import packs
from muhasasa.errors import InputError, UnknownNameError
from muhasasa.formation.blocs import Race
from muhasasa.formation.model import ActorState, Scenario, ScriptedChange, Step, Veto
from muhasasa.packs.schema.constitution import Constitution, Decision
from muhasasa.packs.schema.convention import Convention
from muhasasa.packs.schema.history import DIMENSIONS, Actors, CycleRecord

__all__ = ["REPLACEMENT_ASSUMPTION", "actor_states", "prepare", "replayable_cycles", "resign"]

REPLACEMENT_ASSUMPTION = (
    "replacement seats are shared among the other actors of the resigning actor's community "
    "in proportion to their seats (the record has no per-bloc split of the replacements)"
)


def rules_of(convention: Convention):
    """The convention's ``[formation]`` table (checked present by :func:`_steps`)."""
    assert convention.formation is not None
    return convention.formation


def replayable_cycles(pack: packs.PackLike = None) -> tuple[str, ...]:
    """The formation cycles of the pack that can be replayed (an election, then the steps)."""
    return tuple(r.cycle for r in packs.load(pack).cycles() if r.replayable)


# --------------------------------------------------------------------------- steps


def _articles(articles: Sequence[str]) -> str:
    return "Art. " + ", ".join(articles) if articles else ""


def _reading(decision: Decision, constitution: Constitution, when: dt.date) -> str:
    """The reading in force on ``when``: the default unless one of its rulings came later,
    then the first reading whose rulings had all been handed down."""

    def in_force(reading) -> bool:
        return all(constitution.ruling(r).date <= when.isoformat() for r in reading.rulings)

    default = decision.reading()
    if in_force(default):
        return default.id
    for reading in decision.readings:
        if in_force(reading):
            return reading.id
    return default.id


def _carries_alone(vote, size: int, reading: str | None) -> int:
    """Seats that carry the vote whatever the others do (attend and vote no, or stay away)."""
    quorum = vote.quorum_seats(size, reading) or 0
    for seats in range(max(quorum, 1), size + 1):
        if seats >= vote.threshold_seats(size, present=seats, reading=reading):
            return seats
    return size + 1


def _steps(convention: Convention, constitution: Constitution, election: str, record: CycleRecord, size: int,
           convention_cycle: str | None, lifted: bool) -> dict[str, Step]:
    rules = convention.formation
    if rules is None:
        raise InputError(convention.source, "the convention has no [formation] table: the model's steps are unknown",
                         field="formation")
    applicable = {d.id: d for d in constitution.decisions_for(election)}
    when = record.dates.president or record.dates.first_session or record.dates.trigger or record.dates.election
    mid_term = record.dates.trigger is not None
    # a deadline that starts with the event the first-session deadline ends in runs from the first session
    opening = constitution.deadline(rules.first_session).end if rules.first_session and not mid_term else None
    steps: dict[str, Step] = {}
    for index, spec in enumerate(rules.steps):
        if mid_term and spec.id in rules.vacancy_steps and spec.designation and rules.vacancy_designation:
            spec = spec.model_copy(update={"designation": rules.vacancy_designation})
        decision = next((applicable[d] for d in spec.decisions if d in applicable), None)
        if decision is None:
            raise InputError(convention.source, f"none of the decisions {', '.join(spec.decisions)} applies after "
                                                f"election {election}", field=f"formation.steps[{index + 1}].decisions")
        reading = _reading(decision, constitution, when)
        rounds = [decision] + ([decision.runoff] if decision.runoff is not None else [])
        quota = min(_carries_alone(v, size, reading) for v in rounds)
        attended = min(v.threshold_seats(size, present=size, reading=reading) for v in rounds)
        quorum = decision.quorum_seats(size, reading)
        rulings = decision.reading(reading).rulings
        ruling = "; ".join(constitution.ruling(r).number or r for r in rulings) or None
        office = convention.office(spec.office)
        community = None if lifted or (convention_cycle is not None and not office.applies(convention_cycle)) \
            else office.community
        deadline = constitution.deadline(spec.deadline) if spec.deadline else None
        designation = constitution.deadline(spec.designation) if spec.designation else None
        replacement = constitution.deadline(spec.replacement) if spec.replacement else None
        steps[spec.id] = Step(
            id=spec.id, rule=_articles(decision.articles), quota=quota, quorum=quorum,
            deadline_days=deadline.days if deadline else None,
            deadline_rule=f"Art. {deadline.article}" if deadline else None,
            deadline_from_first_session=deadline is not None and deadline.start == opening,
            attended=min(attended, quota), ruling=ruling, office=office.id, community=community,
            designation_days=designation.days if designation else None,
            designation_rule=f"Art. {designation.article}" if designation else None,
            replacement_rule=f"Art. {replacement.article}" if replacement else None,
        )
    return steps


# --------------------------------------------------------------------------- actors


def _community_seats(actor, seats: int) -> dict[str, int]:
    """The actor's seats by community: all of them its community's, or its file's split
    (``community_seats``), rescaled by largest remainder when the parliament gives the actor
    another number of seats (a drawn parliament). The actor's own community comes first."""
    split = dict(actor.community_seats)
    if not split:
        return {actor.community: seats}
    if sum(split.values()) != seats:
        from muhasasa.methods import allocate

        split = dict(allocate(split, seats, method="largest-remainder", tie_break="lot", seed=0).seats)
    ordered = {actor.community: split.get(actor.community, 0)}
    ordered.update((c, k) for c, k in split.items() if c != actor.community and k)
    return ordered


def actor_states(cast: Actors, list_seats: Mapping[str, int]) -> tuple[ActorState, ...]:
    """The actors of a cycle with the seats of a parliament (lists → actors through the bloc map)."""
    seats = cast.seats(list_seats)
    states = []
    for actor_id, actor in cast.actors.items():
        n = seats.get(actor_id, 0)
        if n <= 0:
            continue
        states.append(ActorState(
            id=actor_id,
            seats=n,
            community_seats=_community_seats(actor, n),
            positions=tuple(float(actor.positions[d]) for d in DIMENSIONS),
            office_motive=float(actor.office_motive),
            policy_motive=float(actor.policy_motive),
        ))
    return tuple(states)


def resign(scenario: Scenario, actor_id: str, seats: int, sworn_in: int) -> Scenario:
    """The actor leaves; ``sworn_in`` replacement seats go to its community's other actors
    in proportion to their seats (:data:`REPLACEMENT_ASSUMPTION`)."""
    from muhasasa.methods import allocate

    gone = next((a for a in scenario.actors if a.id == actor_id), None)
    if gone is None:
        return scenario
    community = next(iter(gone.community_seats))
    rest = [a for a in scenario.actors if a.id != actor_id]
    peers = [a for a in rest if a.community_seats.get(community)]
    share = allocate({a.id: a.seats for a in peers}, min(sworn_in, seats), method="largest-remainder",
                     tie_break="lot", seed=0).seats if peers else {}
    grown = []
    for a in rest:
        extra = share.get(a.id, 0)
        grown.append(replace(a, seats=a.seats + extra,
                             community_seats={k: v + (extra if k == community else 0)
                                              for k, v in a.community_seats.items()}))
    return replace(scenario, actors=tuple(grown))


def _elected(cast: Actors, states: tuple[ActorState, ...], trust: dict, list_seats: Mapping[str, int],
             largest, rule: str) -> tuple[tuple[ActorState, ...], dict, Race]:
    """The actors of a replay from the lists as elected: each actor whose bloc was formed after
    the vote (its lists in ``[[elected]]``) becomes its lists, with their own positions and
    motives where given (else the actor's), its trust with the others, and the listed trust."""
    by_list = {e.list: e for e in cast.elected}
    split: dict[str, list[str]] = {}
    for list_id, actor in cast.split.items():
        if list_seats.get(list_id, 0) > 0:
            split.setdefault(actor, []).append(list_id)
    units: list[ActorState] = []
    stands_for: dict[str, str] = {}
    for state in states:
        if state.id not in split:
            units.append(state)
            stands_for[state.id] = state.id
            continue
        for list_id in split[state.id]:
            e = by_list[list_id]
            n = list_seats[list_id]
            units.append(replace(
                state, id=list_id, seats=n, community_seats={next(iter(state.community_seats)): n},
                positions=tuple(float(e.positions[d]) for d in DIMENSIONS) if e.positions else state.positions,
                office_motive=float(e.office_motive) if e.office_motive is not None else state.office_motive,
                policy_motive=float(e.policy_motive) if e.policy_motive is not None else state.policy_motive))
            stands_for[list_id] = state.id
    listed = {frozenset((t.a, t.b)) for t in cast.trust_entries}
    out = {pair: value for pair, value in trust.items() if all(x in stands_for for x in pair)}
    for i, a in enumerate(units):
        for b in units[i + 1:]:
            pair = frozenset((a.id, b.id))
            if pair in listed:
                continue
            inherited = trust.get(frozenset((stands_for[a.id], stands_for[b.id])), 0.0)
            if stands_for[a.id] != stands_for[b.id] and inherited:
                out[pair] = inherited
    counted_at = largest.counted_at if largest is not None else "election"
    movers = tuple(u for ids in split.values() for u in ids)
    candidates = {u.id: (by_list[u.id].pm_candidate if u.id in by_list else cast.actors[u.id].pm_candidate)
                  for u in units}
    pools = frozenset(u.id for u in units if u.id in cast.actors and cast.actors[u.id].groups)
    standing = frozenset(actor for actor in split if cast.actors[actor].standing is not None)
    return tuple(units), out, Race(movers, stands_for, {k: tuple(v) for k, v in split.items()}, counted_at, rule,
                                   {u: c for u, c in candidates.items() if c}, pools, standing)


# --------------------------------------------------------------------------- the scenario


def prepare(
    cycle: str,
    *,
    without: Sequence[str] = (),
    actors_file: str | None = None,
    convention: bool = True,
    list_seats: Mapping[str, int] | None = None,
    vetoes: Sequence[tuple[int, str, str]] = (),
    pack: packs.PackLike = None,
    source: str = "actors",
    elected: bool = False,
    without_vetoes: Sequence[str] = (),
) -> Scenario:
    """The scenario of a cycle: its parliament, actors, steps, cabinet and scripted events.

    ``without`` removes events of the record by id (``"sadrist-resignation"``);
    ``convention=False`` lifts the communal requirement on coalitions; ``list_seats`` gives
    another parliament (a Monte Carlo draw) in place of the record's; ``vetoes`` adds outside
    vetoes ``(day, text, rule)`` of a scenario. ``elected=True`` starts from the lists as
    elected: the lists of the blocs formed after the vote (the actors' ``[[elected]]``) start
    apart and race for the largest-bloc title in each run (:mod:`muhasasa.formation.blocs`).
    ``without_vetoes`` removes outside players (``formation/outside.toml``) by id: their
    positions no longer act on the nominees.
    """
    chosen = packs.load(pack)
    replayable = replayable_cycles(chosen)
    if cycle not in replayable:
        raise UnknownNameError("replayable cycle", cycle, replayable, source="cycle", field="cycle")
    record = chosen.cycle(cycle)
    election = chosen.election(record.election)
    body = chosen.body_of(election.id).id
    cast = chosen.actors_file(actors_file, cycle) if actors_file else chosen.actors(cycle)
    seats_of_lists = dict(list_seats) if list_seats is not None else \
        {x.list_id: x.seats for x in election.lists if x.seats}
    try:
        states = actor_states(cast, seats_of_lists)
    except InputError as exc:
        if list_seats is None:
            raise
        raise InputError(source, f"formation cannot seat this parliament: {exc}") from None
    # quotas count the whole house: the record's size, or the seats of a drawn parliament
    # (a partial record, 2014's, leaves the seats it lacks outside every coalition)
    size = sum(seats_of_lists.values()) if list_seats is not None else election.house_size
    conv = chosen.convention(body)
    conv_cycle = conv.for_formation_cycle(cycle)
    steps = _steps(conv, chosen.constitution(body), election.id, record, size,
                   conv_cycle.id if conv_cycle else None, lifted=not convention)
    required = tuple(dict.fromkeys(s.community for s in steps.values() if s.community is not None))
    if record.dates.trigger is not None:
        # a mid-term cycle takes the vacancy steps only; the offices of the others stay filled,
        # and the convention still asks the coalition to hold their communities
        steps = {k: s for k, s in steps.items() if k in rules_of(conv).vacancy_steps}
    if convention:
        held = {c for a in states for c, k in a.community_seats.items() if k}
        missing = [c for c in required if c not in held]
        if missing:
            raise InputError(actors_file or source, f"the convention cannot be satisfied by this parliament: no actor "
                                                    f"of {', '.join(missing)} holds a seat (lift it with convention = false)")
    dates = record.dates
    # days count from the election, or from the trigger of a mid-term cycle (no first session)
    origin = dates.trigger if dates.trigger is not None else dates.election
    rules = conv.formation
    assert rules is not None  # checked by _steps
    first_session = chosen.constitution(body).deadline(rules.first_session) if rules.first_session else None
    vacancy = chosen.constitution(body).deadline(rules.vacancy_designation) if rules.vacancy_designation else None
    vacancy_rule = f"Art. {vacancy.article}" if vacancy is not None else ""
    ministries = record.ministries_total or (conv_cycle.cabinet_size if conv_cycle else None)
    if ministries is None:
        raise InputError(chosen.body(body).display, f"cycle {cycle} has no cabinet size (ministries_total in "
                                                    "formation/cycles.csv, or cabinet_size in convention.toml)",
                         field="ministries_total")
    points = conv.cycle_points_system(conv_cycle.id) if conv_cycle else None
    largest = chosen.constitution(body).largest_bloc
    largest_rule = ""
    if largest is not None:
        numbers = [chosen.constitution(body).ruling(r).number or r for r in largest.rulings[:1]]
        largest_rule = "; ".join([f"Art. {largest.article}", *numbers])
    trust = {frozenset((t.a, t.b)): float(t.value) for t in cast.trust_entries}
    race = None
    if elected and dates.trigger is None:  # a mid-term cycle keeps the blocs of its parliament
        states, trust, race = _elected(cast, states, trust, seats_of_lists, largest, largest_rule)
    scenario = Scenario(
        cycle=cycle,
        actors=states,
        trust=trust,
        steps=steps,
        days_to_first_session=(dates.first_session - origin).days
        if dates.first_session is not None and dates.trigger is None else 0,
        ministries=ministries,
        sovereign=len(conv.sovereign_ministries),
        points=points,
        required=required,
        horizon_days=rules.horizon_days,
        first_session_rule=(f"Art. {first_session.article}" if first_session is not None else "")
        if dates.trigger is None else vacancy_rule,
        mid_term=dates.trigger is not None,
        largest_bloc_rule=largest_rule,
        convention=convention,
        house_size=size,
        rival_share=rules.rival_share,
        race=race,
        recognition=rules.formateur == "recognition",
        vacancy_text=f"the office of {conv.office(rules.vacancy_office).title} is vacant mid-term: the cycle starts"
        if rules.vacancy_office is not None else "",
    )
    recorded = chosen.events(cycle)
    known = {e.id for e in recorded}
    unknown = [e for e in without if e not in known]
    if unknown:
        raise UnknownNameError(f"event of cycle {cycle}", unknown[0], known, source="argument", field="without")
    scripted: list[ScriptedChange] = []
    outside: list[Veto] = []
    protests: list[tuple[int, int | None]] = []
    current = scenario
    for event in recorded:
        if event.id in without:
            continue
        day = (event.date - origin).days
        if event.kind == "violence" and event.payload.get("protest"):
            end = event.payload.get("end")
            protests.append((day, (end - origin).days if end is not None else None))
        elif event.kind == "resignation" and event.payload.get("office") == "members":
            seats = int(event.payload.get("seats", 0))
            replaced = event.payload.get("replaced_by") or {}
            sworn = int(replaced.get("sworn_in", seats)) if isinstance(replaced, Mapping) else seats
            actor = cast.actor_of(event.actors[0])
            current = resign(current, actor, seats, sworn)
            scripted.append(ScriptedChange(day, current, f"{actor} resign {seats} seats; {sworn} replacements sworn in "
                                                         f"({REPLACEMENT_ASSUMPTION})",
                                           f"event {event.id}; replacement: {event.payload.get('replacement')}",
                                           actor=actor, seats=seats, sworn_in=sworn))
        elif event.kind == "outside-veto":
            outside.append(Veto(day, f"outside veto on {event.payload.get('target', 'the nominee')} by {event.by}",
                                f"event {event.id}"))
    outside.extend(Veto(*v, source="scenario") if len(v) == 3 else Veto(*v) for v in vetoes)
    outside.sort(key=lambda v: v.day)
    players, positions = _positions(chosen, body, cycle, without_vetoes)
    return replace(scenario, events=tuple(scripted), vetoes=tuple(outside), protests=tuple(protests),
                   players=players, positions=positions,
                   vetoers=tuple(p for p in players if p not in without_vetoes))


def _positions(pack: packs.Pack, body: str, cycle: str, without: Sequence[str]
               ) -> tuple[tuple[str, ...], dict[tuple[str, int], dict[str, str]]]:
    """The outside players and their stances on the cycle's nominees: (proposer, order) →
    player → stance (each player's latest row on the nominee); ``without`` is checked."""
    outside = pack.outside(body)
    known = outside.player_ids if outside is not None else ()
    unknown = [w for w in without if w not in known]
    if unknown:
        raise UnknownNameError("outside player", unknown[0], known, source="argument", field="without_vetoes")
    if outside is None:
        return (), {}
    players = tuple(known)
    positions: dict[tuple[str, int], dict[str, str]] = {}
    for row in outside.of_cycle(cycle):
        if row.player in players:
            found = outside.stance(cycle, row.player, row.proposer, row.order)
            assert found is not None
            positions.setdefault((row.proposer, row.order), {})[row.player] = found.stance
    return players, positions
