"""Blocs formed after the vote, inside the model: the race for the largest-bloc title.

A replay from the lists as elected (``prepare(..., elected=True)``) starts with the lists of
the blocs that the pack says were formed after the vote (an actors file's ``[[elected]]``)
each on its own, beside the other actors. Before the first session those lists may merge:

* they move once each, **smallest first** (the kingmakers choose among the big), each with
  the bloc it leads by then (a list inside a bloc another list leads does not move);
* a moving bloc ``u`` may stay as it is, or merge with another bloc ``B`` that is larger or
  holds a moving list (the larger of the two leads the merged bloc); the claim is counted at the first session as the
  constitution's reading says (a pack whose ``largest_bloc.counted_at`` is not
  ``first-session`` counts the largest list, and no list moves);
* it chooses by a multinomial logit: staying has utility 0, merging with ``B``
  ``merge − policy_weight·policy_motive_u·d(u, B) + trust_weight·trust(u, B)
  − rival_candidates·c(u, B)``, with ``d`` the model's policy distance, ``trust`` the
  seat-weighted trust between the two blocs' lists and ``c`` the cost of ceding the premiership
  (:func:`ceding`): 0 unless both blocs field a candidate for Prime Minister (a list's
  ``pm_candidate``) — and they are not the lists of one alliance that stood before the vote
  (an actor's ``standing``: it picks its nominee by its own rule) — else the junior
  candidate's list's seats over the senior candidate's;
  ``− cross_community`` more when the two blocs' main communities (:func:`community`) differ.

When the title changes hands after the vote (the largest list of election night is not in the
claiming bloc), its bloc disputes the claim and the first session is held open until it concedes
(:func:`dispute`): rounds of the acceptance logit against the claimant, each refused one costing days.

A merged bloc has the summed seats, the seat-weighted positions, motives and trust of its
members; it takes the id of the recorded actor when it holds exactly that actor's lists
(``national-alliance`` for State of Law + the INA in 2010), else its leader's. Each list keeps
the recorded actor it stands for (:attr:`Race.stands_for`), so that the outcome is compared
with the record in the record's terms.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from muhasasa.formation.trace import TraceEvent

__all__ = ["Race", "as_recorded", "ceding", "community", "dispute", "form_blocs", "merge_states", "p_recorded_blocs", "race_partition"]


@dataclass(frozen=True)
class Race:
    """What a replay from the lists as elected needs: the lists that move, the recorded actor
    each unit stands for, the recorded actors whose lists start apart, and the reading."""

    movers: tuple[str, ...]
    stands_for: Mapping[str, str]
    split: Mapping[str, tuple[str, ...]]
    counted_at: str
    rule: str
    #: each unit led by a candidate for Prime Minister → the candidate (``pm_candidate``)
    candidates: Mapping[str, str] = field(default_factory=dict)
    #: units that group several players (an actor's ``groups``: independents, small lists):
    #: a pool of swing votes, not a bloc, so no list joins one in the race
    pools: frozenset[str] = frozenset()
    #: recorded actors that stood as an alliance before the vote, their lists running apart
    #: (an actor's ``standing``): the alliance's own rule picks its nominee, so its lists'
    #: candidates need not cede to one another (:func:`ceding`)
    standing: frozenset[str] = frozenset()


def _distance(a, b) -> float:
    return math.sqrt(sum((x - y) ** 2 for x, y in zip(a.positions, b.positions)) / max(len(a.positions), 1))


def merge_states(units: Sequence, name: str):
    """One actor of several: summed seats and community seats, seat-weighted positions and motives."""
    total = sum(u.seats for u in units)
    communities: dict[str, int] = {}
    for u in units:
        for c, n in u.community_seats.items():
            communities[c] = communities.get(c, 0) + n
    dims = len(units[0].positions)
    return replace(
        units[0], id=name, seats=total, community_seats=communities,
        positions=tuple(sum(u.positions[d] * u.seats for u in units) / total for d in range(dims)),
        office_motive=sum(u.office_motive * u.seats for u in units) / total,
        policy_motive=sum(u.policy_motive * u.seats for u in units) / total,
    )


def ceding(race: Race, a: Sequence, b: Sequence) -> float:
    """What a merger of blocs ``a`` and ``b`` (their lists' states) asks of one of them: 0 unless
    each fields a candidate for Prime Minister (one of its lists is led by one), else the
    junior candidate's list's seats over the senior candidate's — one of them must cede the
    premiership, and a near-equal rival cedes least readily (allies do not make it cheaper:
    the claim is the candidate's own list's). Candidates of one standing alliance cede nothing:
    the alliance chooses between them by its own rule."""
    x = max((u.seats for u in a if u.id in race.candidates), default=0)
    y = max((u.seats for u in b if u.id in race.candidates), default=0)
    if not (x and y):
        return 0.0
    alliances = {race.stands_for.get(u.id) for u in (*a, *b) if u.id in race.candidates}
    if len(alliances) == 1 and alliances <= race.standing:
        return 0.0
    return min(x, y) / max(x, y)


def community(units: Sequence) -> str:
    """The community that holds most of a bloc's seats (ties: the first in name order)."""
    seats: dict[str, int] = {}
    for u in units:
        for c, n in u.community_seats.items():
            seats[c] = seats.get(c, 0) + n
    return max(sorted(seats), key=seats.__getitem__)


def _bloc_trust(trust: Mapping[frozenset[str], float], a: Sequence, b: Sequence) -> float:
    weight = sum(x.seats * y.seats for x in a for y in b)
    return sum(trust.get(frozenset((x.id, y.id)), 0.0) * x.seats * y.seats for x in a for y in b) / weight


def form_blocs(scenario, params, rng: np.random.Generator, note) -> tuple[object, tuple[tuple[str, ...], ...]]:
    """The scenario after the race (cached per partition on ``scenario``) and the partition:
    each bloc's unit ids, leader first."""
    race: Race = scenario.race
    units = {a.id: a for a in scenario.actors}
    largest_list = max(scenario.actors, key=lambda a: (a.seats, a.id))
    note(TraceEvent(0, None, "election-night", actors=(largest_list.id,), seats=largest_list.seats,
                    rule=race.rule))
    partition = race_partition(scenario, params, rng)
    key = ("blocs", partition)
    if key not in scenario.terms:
        scenario.terms[key] = _merged(scenario, partition)
    merged = scenario.terms[key]
    for members in partition:
        if len(members) > 1:
            name = _name(race, members)
            note(TraceEvent(0, None, "bloc-formed", actors=(name, *members), seats=sum(units[m].seats for m in members),
                            rule=race.rule))
    return merged, partition


def race_partition(scenario, params, rng: np.random.Generator) -> tuple[tuple[str, ...], ...]:
    """One draw of the race: each bloc's unit ids, leader first (the module's rules)."""
    race: Race = scenario.race
    units = {a.id: a for a in scenario.actors}
    blocs: dict[str, list[str]] = {u: [u] for u in units}  # leader -> members
    seats = {u: a.seats for u, a in units.items()}
    moving = set(race.movers)
    if race.counted_at == "first-session":
        for mover in sorted((m for m in race.movers if m in units), key=lambda m: (units[m].seats, m)):
            if mover not in blocs:
                continue  # inside a bloc another list leads: that list decides
            mine = [units[m] for m in blocs[mover]]
            me = merge_states(mine, mover)
            options: list[str] = []
            utilities: list[float] = [0.0]
            for leader, members in blocs.items():
                if leader == mover or (seats[leader] < seats[mover] and not moving & set(members)):
                    continue  # a smaller bloc none of whose lists moves is not sought out
                if leader in race.pools:
                    continue  # a pool of grouped players is not a bloc to join
                states = [units[m] for m in members]
                options.append(leader)
                utilities.append(params.merge
                                 - params.policy_weight * me.policy_motive * _distance(me, merge_states(states, leader))
                                 + params.trust_weight * _bloc_trust(scenario.trust, mine, states)
                                 - params.rival_candidates * ceding(race, mine, states)
                                 - params.cross_community * (community(mine) != community(states)))
            if not options:
                continue
            weights = np.exp(np.array(utilities) - max(utilities))
            pick = int(rng.choice(len(weights), p=weights / weights.sum()))
            if pick == 0:
                continue
            other = options[pick - 1]
            big, small = (other, mover) if (seats[other], other) > (seats[mover], mover) else (mover, other)
            blocs[big].extend(blocs.pop(small))
            seats[big] += seats.pop(small)
    return tuple(tuple(members) for members in blocs.values())


def as_recorded(race: Race, partition: tuple[tuple[str, ...], ...]) -> bool:
    """Whether a race ended in the recorded blocs: each bloc the pack says was formed after the
    vote holds exactly its lists (``race.split``) — no list missing, nothing else with them."""
    where = {u: i for i, members in enumerate(partition) for u in members}
    for lists in race.split.values():
        blocs = {where[u] for u in lists if u in where}
        if len(blocs) != 1 or set(partition[blocs.pop()]) != {u for u in lists if u in where}:
            return False
    return True


def p_recorded_blocs(scenario, params, runs: int, seed: int) -> float:
    """The share of ``runs`` seeded races that end in the recorded blocs (:func:`as_recorded`)."""
    streams = np.random.SeedSequence([seed, 1]).spawn(runs)
    return sum(as_recorded(scenario.race, race_partition(scenario, params, np.random.default_rng(s)))
               for s in streams) / runs


def dispute(racing, merged, partition: tuple[tuple[str, ...], ...], params, rng: np.random.Generator, day: int,
            note) -> int:
    """The day the steps open after the race: the first session's, or later when the title changed
    hands after the vote.

    When the largest list of election night is not in the bloc that claims the largest-bloc title
    (``racing``: the scenario before the race; ``merged``: after it, one actor per bloc of
    ``partition``), its bloc disputes the claim and the first session is held open. Each round
    the disputing bloc *D* concedes with the acceptance logit against the claimant *C*,

        P(concede) = σ(β₀ − β_p·p_D·d(D, C) + β_t·t(D, C) + φ·(day − first session)/100),

    and each refused round costs ``1 + ⌊Exp(τ)⌋`` days (τ ``days_per_round``); the steps open when
    it concedes (or at the horizon)."""
    units = {a.id: a for a in racing.actors}
    largest_list = max(racing.actors, key=lambda a: (a.seats, a.id)).id
    claimant = max(range(len(merged.actors)), key=lambda i: (merged.actors[i].seats, -i))
    holder = next(i for i, members in enumerate(partition) if largest_list in members)
    if holder == claimant or units[largest_list].seats <= 0:
        return day
    d, c = merged.actors[holder], merged.actors[claimant]
    logit = (params.intercept - params.policy_weight * d.policy_motive * _distance(d, c)
             + params.trust_weight * merged.trust.get(frozenset((d.id, c.id)), 0.0))
    first, horizon = day, day + racing.horizon_days
    note(TraceEvent(day, None, "title-disputed", actors=(d.id, c.id), seats=d.seats, rule=racing.race.rule))
    while day <= horizon:
        if rng.random() < 1.0 / (1.0 + math.exp(-(logit + params.fatigue * (day - first) / 100.0))):
            break
        day += int(rng.exponential(params.days_per_round)) + 1
    note(TraceEvent(day, None, "title-conceded", actors=(d.id, c.id), days_late=day - first, rule=racing.race.rule))
    return day


def _name(race: Race, members: Sequence[str]) -> str:
    actors = {race.stands_for[m] for m in members}
    if len(actors) == 1:
        actor = next(iter(actors))
        if set(race.split.get(actor, ())) <= set(members):
            return actor
    return members[0]


def _merged(scenario, partition: tuple[tuple[str, ...], ...]):
    """The scenario whose actors are the partition's blocs (trust seat-weighted), no longer racing."""
    units = {a.id: a for a in scenario.actors}
    race: Race = scenario.race
    names = [_name(race, members) if len(members) > 1 else members[0] for members in partition]
    states = tuple(merge_states([units[m] for m in members], name) if len(members) > 1 else units[members[0]]
                   for name, members in zip(names, partition, strict=True))
    trust: dict[frozenset[str], float] = {}
    for i, a in enumerate(partition):
        for j in range(i + 1, len(partition)):
            value = _bloc_trust(scenario.trust, [units[m] for m in a], [units[m] for m in partition[j]])
            if value:
                trust[frozenset((names[i], names[j]))] = value
    stands_for = dict(race.stands_for)
    for name, members in zip(names, partition, strict=True):
        stands_for[name] = race.stands_for[members[0]]
    return replace(scenario, actors=states, trust=trust, race=None,
                   stands_for=stands_for, blocs=dict(zip(names, partition, strict=True)))


def leave(scenario, actor: str, seats: int, sworn: int):
    """A recorded resignation on a replay from the lists: the bloc holding the actor's lists
    loses ``seats``; ``sworn`` replacements go to its community's other blocs (as
    :func:`muhasasa.formation.setup.resign`)."""
    from muhasasa.formation.setup import resign

    holder = next((a for a in scenario.actors if scenario.stands_for.get(a.id, a.id) == actor
                   or a.id == actor), None)
    if holder is None:
        return scenario
    if holder.seats <= seats:
        return resign(scenario, holder.id, seats, sworn)
    community = max(holder.community_seats, key=holder.community_seats.get)
    shrunk = replace(holder, seats=holder.seats - seats,
                     community_seats={**holder.community_seats, community: holder.community_seats[community] - seats})
    actors = tuple(shrunk if a.id == holder.id else a for a in scenario.actors)
    return replace(scenario, actors=actors)
