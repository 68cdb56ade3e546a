"""Formation of many parliaments of one cycle, the same runs at a fraction of the cost.

A Monte Carlo run forms thousands of drawn parliaments. Each needs its bargaining tables,
and building them (the minimal coalitions of each step and formateur, each coalition's
ministries) costs far more than a run. A :class:`Batch` keeps what parliaments share:

* **one prepared scenario per bloc-level parliament**: draws whose lists map to the same
  seats per actor share the scenario, its simulator and its tables (a bounded cache keyed
  by that seat vector);
* **the terms of a table built from shared parts**: the minimal coalitions by a search over
  whole numbers and community bit masks (the same coalitions, in the same order, as
  :func:`muhasasa.formation.model.minimal_coalitions`), each coalition's ministries kept by
  its members' seats (a coalition recurs with the same seats in many parliaments), the
  pairwise policy distances and trusts of the cycle's actors computed once.

Every number is computed by the same expressions, in the same order, as the per-parliament
path (:class:`muhasasa.formation.Simulator` on a scenario of its own), so a run gives the
same government bit for bit (tests/test_montecarlo_formation.py checks it).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from muhasasa.formation.model import (
    ActorState,
    Parameters,
    Scenario,
    Simulator,
    Step,
    _distance,
    _Terms,
    coalition_terms,
)

__all__ = ["PARLIAMENTS", "Batch", "minimal_coalitions"]

#: Parliaments (scenario, simulator and tables) a batch keeps: enough for the repeats of a
#: run's draws, few enough that memory stays flat whatever the number of draws.
PARLIAMENTS = 2048
#: Candidate coalitions the kept parliaments' tables may hold in all (about 1.5 KB each):
#: a cycle with large tables keeps fewer parliaments (2022's about 600 coalitions each).
HELD = 100_000
#: Coalitions (their ministries and members' terms) a batch keeps, by members' seats.
COALITIONS = 50_000


def minimal_coalitions(actors: Sequence[ActorState], quota: int, formateur: int, *, required: Sequence[str] = (),
                       limit: int = 400, include: Sequence[int] = ()) -> list[tuple[int, ...]]:
    """:func:`muhasasa.formation.model.minimal_coalitions`, the same list in the same order,
    by the same depth-first search on running seat totals and community bit masks."""
    n = len(actors)
    seats = [a.seats for a in actors]
    fixed = [formateur, *(i for i in include if i != formateur)]
    order = [i for i in sorted(range(n), key=lambda i: -seats[i]) if i not in fixed]
    present = [c for c in required if any(a.community_seats.get(c) for a in actors)]
    bit = {c: 1 << k for k, c in enumerate(dict.fromkeys(present))}
    full = sum(bit.values())
    mask = [sum(b for c, b in bit.items() if a.community_seats.get(c)) for a in actors]
    suffix = [0] * (len(order) + 1)
    reach = [0] * (len(order) + 1)  # communities the actors from k on hold
    for k in range(len(order) - 1, -1, -1):
        suffix[k] = suffix[k + 1] + seats[order[k]]
        reach[k] = reach[k + 1] | mask[order[k]]
    found: list[tuple[int, ...]] = []
    fixed_set = set(fixed)

    def minimal(members: list[int], total: int) -> bool:
        # no member but the fixed ones can leave with the rest still carrying the step
        for x in members:
            if x in fixed_set or total - seats[x] < quota:
                continue
            held = 0
            for m in members:
                if m != x:
                    held |= mask[m]
            if held & full == full:
                return False
        return True

    def walk(k: int, members: list[int], total: int, held: int) -> None:
        if len(found) >= limit:
            return
        if total >= quota and held & full == full:
            if minimal(members, total):
                found.append(tuple(members))
            return
        # a branch that cannot reach the quota or the communities finds nothing (the
        # model's search walks it in vain: pruning it changes neither the list nor its order)
        if k == len(order) or total + suffix[k] < quota or (held | reach[k]) & full != full:
            return
        i = order[k]
        members.append(i)
        walk(k + 1, members, total + seats[i], held | mask[i])
        members.pop()
        walk(k + 1, members, total, held)

    start = 0
    held = 0
    for i in fixed:
        start += seats[i]
        held |= mask[i]
    walk(0, list(fixed), start, held)
    found.sort(key=lambda c: (sum(seats[i] for i in c), len(c)))
    return found


class Batch:
    """Formation runs of many parliaments of one cycle under one parameter set.

    :meth:`simulator` gives the simulator of a parliament (made by ``make`` the first time
    its key is seen); the simulators build their tables from the batch's shared terms."""

    def __init__(self, params: Parameters, *, parliaments: int = PARLIAMENTS) -> None:
        self.params = params
        self.parliaments = parliaments
        self._simulators: OrderedDict[Hashable, Simulator] = OrderedDict()
        self._coalitions: dict[tuple, tuple[tuple[int, ...], list]] = {}
        self._pairs: dict[tuple[str, str], tuple[float, float]] = {}
        self._cycle: tuple | None = None
        self._sizes: dict[Hashable, int] = {}
        self._last: Hashable | None = None
        self.held = 0
        self.built = 0

    def simulator(self, key: Hashable, make: Callable[[], Scenario]) -> Simulator:
        """The simulator of the parliament ``key`` (its scenario made by ``make`` once)."""
        found = self._simulators.get(key)
        if found is not None:
            self._simulators.move_to_end(key)
            return found
        self._measure()
        made = _BatchSimulator(make(), self.params, self)
        self.built += 1
        self._simulators[key] = made
        self._last = key
        while len(self._simulators) > self.parliaments or (self.held > HELD and len(self._simulators) > 1):
            old, _ = self._simulators.popitem(last=False)
            self.held -= self._sizes.pop(old, 0)
        return made

    def _measure(self) -> None:
        """Count the tables of the parliament made last (its runs have built them by now)."""
        key, self._last = self._last, None
        sim = self._simulators.get(key) if key is not None else None
        if sim is not None:
            tables = getattr(sim, "_tables", None) or sim.scenario.terms
            size = sum(len(t.coalitions) for t in tables.values())
            self._sizes[key] = size
            self.held += size

    def _same_cycle(self, scenario: Scenario) -> bool:
        """Whether the shared pairs and ministries apply: one cycle, cast and cabinet."""
        mark = (scenario.cycle, scenario.ministries, scenario.sovereign, scenario.points, dict(scenario.trust))
        if self._cycle is None:
            self._cycle = mark
        return self._cycle == mark

    def terms(self, scenario: Scenario, step: Step, formateur: int, *, alone: bool, include: tuple[int, ...]) -> _Terms:
        """The parameter-free part of a table, as :func:`muhasasa.formation.model._terms` makes it."""
        actors = scenario.actors
        required = scenario.required if scenario.convention else ()
        coalitions = minimal_coalitions(actors, step.quota if alone else step.needed, formateur, required=required,
                                        include=include)
        shared = self._same_cycle(scenario)
        total = sum(a.seats for a in actors)
        ministries, seats, members = [], [], []
        for c in coalitions:
            if shared:
                key = (total, *((actors[i].id, actors[i].seats) for i in c))
                found = self._coalitions.get(key)
                if found is None:
                    found = self._coalition(actors, c, scenario, total)
                    if len(self._coalitions) >= COALITIONS:
                        self._coalitions.clear()
                    self._coalitions[key] = found
                shares = dict(zip(c, found[0]))
                terms = found[1]
            else:
                shares, terms = coalition_terms(actors, c, scenario, total)
            ministries.append(shares)
            seats.append(sum(actors[i].seats for i in c))
            members.append(terms)
        return _Terms(coalitions, ministries, seats, members)

    def _coalition(self, actors: Sequence[ActorState], c: tuple[int, ...], scenario: Scenario,
                   total: int) -> tuple[tuple[int, ...], list[tuple[float, float, float, float, float]]]:
        """One coalition's ministries and its members' terms, from the shared pairs."""
        shares, terms = coalition_terms(actors, c, scenario, total, pair=lambda a, b: self._pair(scenario, a, b))
        return tuple(shares[i] for i in c), terms

    def _pair(self, scenario: Scenario, a: ActorState, b: ActorState) -> tuple[float, float]:
        key = (a.id, b.id)
        found = self._pairs.get(key)
        if found is None:
            found = (_distance(a, b), scenario.trust.get(frozenset((a.id, b.id)), 0.0))
            self._pairs[key] = found
        return found


class _BatchSimulator(Simulator):
    """A simulator whose tables take their terms from its batch (the same numbers)."""

    def __init__(self, scenario: Scenario, params: Parameters, batch: Batch) -> None:
        super().__init__(scenario, params)
        self.batch = batch

    def table(self, scenario: Scenario, step: str, formateur: int, *, alone: bool = False,
              include: tuple[int, ...] = ()) -> Any:
        key = (step, formateur, alone, include)
        if key not in scenario.terms:
            scenario.terms[key] = self.batch.terms(scenario, scenario.steps[step], formateur, alone=alone,
                                                   include=include)
        return super().table(scenario, step, formateur, alone=alone, include=include)
