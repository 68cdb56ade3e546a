"""A stochastic, seeded model of government formation through the constitutional steps.

The equations and assumptions are written up in ``docs/formation.md``. In short:

- **Steps** (the constitution pack): first session and Speaker (Art. 55), President
  (Art. 70, two-thirds quorum after FSC 16/Federal/2022), designation of the largest
  bloc's nominee (Art. 76(1)), cabinet within 30 days (Art. 76(2)) and confidence
  (Art. 76(4)); a failed nominee is replaced (Art. 76(3)).
- **Proposals**: the formateur (the largest bloc at the first session) proposes a
  coalition from the minimal winning coalitions of the step's voting game that
  include it and satisfy the convention (every main community present, so the
  Shia PM, Kurdish President and Sunni Speaker can all be seated).
- **Acceptance**: each member accepts with a logistic probability of its office
  gain (ministries under the cycle's points system), its policy distance to the
  coalition, its trust in the partners, and fatigue (days elapsed).
- **Sessions**: a package that is accepted goes to the vote; where the step has a
  quorum, excluded actors who hold a blocking share may boycott it.
- **Time**: failed rounds cost exponentially distributed days.
- **Events** of the record (a resignation, a ruling, an outside veto) are scripted
  on their dates and can be removed.

Each run returns a :class:`Government` and, on request, a trace: one line per
event naming the rule that caused it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from muhasasa.errors import InputError

MAIN_COMMUNITIES = ("Shia Arab", "Sunni Arab", "Kurdish")


@dataclass(frozen=True)
class Parameters:
    """The model's free parameters (calibrated in :mod:`muhasasa.formation.calibration`).

    ``intercept`` and ``fatigue`` shape the acceptance logit; ``days_per_round`` is
    the mean delay after a failed proposal; ``boycott`` the probability that
    excluded actors who can deny a quorum do so.
    """

    intercept: float = 0.0
    fatigue: float = 1.0
    days_per_round: float = 14.0
    boycott: float = 0.8
    office_weight: float = 3.0
    policy_weight: float = 2.0
    trust_weight: float = 2.0

    def as_dict(self) -> dict[str, float]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class ActorState:
    """One actor in a run: seats, community seats, positions, motives."""

    id: str
    seats: int
    community_seats: Mapping[str, int]
    positions: tuple[float, ...]
    office_motive: float
    policy_motive: float


@dataclass(frozen=True)
class Step:
    """A constitutional step as a game: seats needed, seats that block by absence."""

    id: str
    rule: str
    quota: int
    quorum: int | None
    deadline_days: int | None
    deadline_rule: str | None


@dataclass(frozen=True)
class Scenario:
    """Everything one formation run needs, prepared once for many runs."""

    cycle: str
    actors: tuple[ActorState, ...]
    trust: Mapping[frozenset[str], float]
    steps: Mapping[str, Step]
    days_to_first_session: int
    ministries: int
    sovereign: int
    seats_per_ministry: Fraction | None
    points_rule: str
    convention: bool = True
    events: tuple = ()
    vetoes: tuple = ()
    house_size: int = 329


@dataclass(frozen=True)
class TraceEvent:
    day: int
    text: str
    rule: str

    def __str__(self) -> str:
        return f"day {self.day}: {self.text} ({self.rule})"


@dataclass(frozen=True)
class Government:
    """The outcome of one run."""

    pm_bloc: str | None
    coalition: tuple[str, ...]
    ministries: Mapping[str, int]
    offices: Mapping[str, str]
    days: int | None
    failed_designations: int
    presidential_rounds: int
    formed: bool
    trace: tuple[TraceEvent, ...] = ()


# --------------------------------------------------------------------------- preparation


def _distance(a: ActorState, b: ActorState) -> float:
    return math.sqrt(sum((x - y) ** 2 for x, y in zip(a.positions, b.positions)) / max(len(a.positions), 1))


def _communities(actors: Sequence[ActorState], members: Sequence[int]) -> set[str]:
    out: set[str] = set()
    for i in members:
        out.update(c for c, n in actors[i].community_seats.items() if n)
    return out


def minimal_coalitions(
    actors: Sequence[ActorState], quota: int, formateur: int, *, convention: bool, limit: int = 400
) -> list[tuple[int, ...]]:
    """Minimal winning coalitions containing the formateur (and, under the
    convention, every main community), found by depth-first search, smallest first."""
    order = sorted(range(len(actors)), key=lambda i: -actors[i].seats)
    order.remove(formateur)
    found: list[tuple[int, ...]] = []
    needed = set(MAIN_COMMUNITIES) if convention else set()
    present = {c for c in needed if any(a.community_seats.get(c) for a in actors)}

    def ok(members: list[int]) -> bool:
        return sum(actors[i].seats for i in members) >= quota and present <= _communities(actors, members)

    suffix = [0] * (len(order) + 1)
    for k in range(len(order) - 1, -1, -1):
        suffix[k] = suffix[k + 1] + actors[order[k]].seats

    def walk(k: int, members: list[int]) -> None:
        if len(found) >= limit:
            return
        if ok(members):
            if all(not ok([m for m in members if m != x]) for x in members if x != formateur):
                found.append(tuple(members))
            return
        if k == len(order) or sum(actors[i].seats for i in members) + suffix[k] < quota:
            return
        walk(k + 1, members + [order[k]])
        walk(k + 1, members)

    walk(0, [formateur])
    found.sort(key=lambda c: (sum(actors[i].seats for i in c), len(c)))
    return found


@dataclass
class _Table:
    """Per (step, formateur): candidate coalitions, their choice weights, and the
    members' acceptance logits at day 0 (fatigue is added per round)."""

    coalitions: list[tuple[int, ...]]
    choice: np.ndarray
    logits: list[np.ndarray]
    ministries: list[dict[int, int]]
    blockers: list[int]  # seats outside each coalition


def _ministries(actors, coalition, scenario: Scenario) -> dict[int, int]:
    """Ministries of each coalition member in proportion to seats (largest remainder,
    exact): the points system's seats-per-ministry rule applied within the coalition."""
    from muhasasa.methods import allocate

    votes = {str(i): actors[i].seats for i in coalition}
    result = allocate(votes, scenario.ministries, method="largest-remainder", tie_break="lot", seed=0)
    return {int(k): v for k, v in result.seats.items()}


def _table(scenario: Scenario, step: Step, formateur: int, params: Parameters) -> _Table:
    actors = scenario.actors
    coalitions = minimal_coalitions(actors, step.quota, formateur, convention=scenario.convention)
    total = sum(a.seats for a in actors)
    logits, ministries, blockers, weights = [], [], [], []
    for c in coalitions:
        shares = _ministries(actors, c, scenario)
        seats_c = sum(actors[i].seats for i in c)
        member_logits = []
        for i in c:
            a = actors[i]
            office = shares[i] / scenario.ministries - a.seats / total
            others = [j for j in c if j != i]
            policy = -sum(_distance(a, actors[j]) for j in others) / max(len(others), 1)
            trust = sum(scenario.trust.get(frozenset((a.id, actors[j].id)), 0.0) for j in others) / max(len(others), 1)
            member_logits.append(
                params.intercept
                + params.office_weight * a.office_motive * office * 10
                + params.policy_weight * a.policy_motive * policy
                + params.trust_weight * trust
            )
        logits.append(np.array(member_logits))
        ministries.append(shares)
        blockers.append(total - seats_c)
        # the formateur prefers coalitions it expects to be accepted, smaller ones first
        weights.append(math.exp(float(np.sum(np.minimum(member_logits, 0.0)))) / len(c))
    choice = np.array(weights, dtype=float)
    choice = choice / choice.sum() if choice.size and choice.sum() > 0 else choice
    return _Table(coalitions, choice, logits, ministries, blockers)


# --------------------------------------------------------------------------- a run


class Simulator:
    """Runs formations of one scenario under one parameter set; tables are cached."""

    def __init__(self, scenario: Scenario, params: Parameters) -> None:
        self.scenario = scenario
        self.params = params
        self._tables: dict[tuple, _Table] = {}
        self._prepared: dict[int, Scenario] = {}

    def table(self, scenario: Scenario, step: str, formateur: int) -> _Table:
        key = (id(scenario), step, formateur)
        if key not in self._tables:
            self._tables[key] = _table(scenario, scenario.steps[step], formateur, self.params)
        return self._tables[key]

    def run(self, rng: np.random.Generator, *, trace: bool = False) -> Government:
        """One formation, from election day to the confidence vote (or to the
        horizon of three years, which counts as not formed)."""
        p = self.params
        scenario = self.scenario
        log: list[TraceEvent] = []
        note = log.append if trace else (lambda event: None)
        day = scenario.days_to_first_session
        note(TraceEvent(day, "first session of the new house", "Art. 54"))
        events = sorted(scenario.events, key=lambda e: e[0])
        failed = 0
        rounds_president = 0
        offices: dict[str, str] = {}
        horizon = 3 * 365

        def apply_events(until: int, current: Scenario) -> Scenario:
            while events and events[0][0] <= until:
                when, changed, text, rule = events.pop(0)
                current = changed
                note(TraceEvent(when, text, rule))
            return current

        vetoes = list(scenario.vetoes)

        current = scenario
        formateur = _largest(current.actors)
        formateur_id = current.actors[formateur].id
        note(TraceEvent(day, f"{current.actors[formateur].id} registered as the largest bloc "
                             f"({current.actors[formateur].seats} seats)", "FSC 25/Federal/2010"))
        for step_id in ("speaker", "president", "cabinet"):
            step = current.steps[step_id]
            start = day
            while True:
                changed = apply_events(day, current)
                if changed is not current or step_id == "president":
                    current = changed
                    ids = [a.id for a in current.actors]
                    if step_id == "president" or formateur_id not in ids:
                        formateur = _largest(current.actors)
                        formateur_id = current.actors[formateur].id
                    else:
                        formateur = ids.index(formateur_id)
                table = self.table(current, step_id, formateur)
                if day - scenario.days_to_first_session > horizon:
                    return Government(None, (), {}, offices, None, failed, rounds_president, False, tuple(log))
                if not table.coalitions:
                    day += int(rng.exponential(p.days_per_round)) + 1
                    note(TraceEvent(day, f"{step.id}: no coalition of {current.actors[formateur].id} can reach "
                                         f"{step.quota} seats with every community", step.rule))
                    if events:
                        day = max(day, events[0][0])
                    continue
                k = int(rng.choice(len(table.coalitions), p=table.choice)) if len(table.coalitions) > 1 else 0
                coalition = table.coalitions[k]
                names = [current.actors[i].id for i in coalition]
                fatigue = p.fatigue * (day - scenario.days_to_first_session) / 100.0
                accept = 1.0 / (1.0 + np.exp(-(table.logits[k] + fatigue)))
                draws = rng.random(len(coalition))
                refusers = [names[j] for j in range(len(coalition)) if draws[j] > accept[j]]
                if step_id == "president":
                    rounds_president += 1
                if not refusers and step.quorum is not None and table.blockers[k] >= current.house_size - step.quorum + 1:
                    if rng.random() < p.boycott:
                        present = current.house_size - table.blockers[k]
                        refusers = ["(boycott)"]
                        note(TraceEvent(day, f"{step.id} session fails: {present} present, {step.quorum} needed",
                                        "FSC 16/Federal/2022" if step_id == "president" else step.rule))
                if not refusers:
                    day += 0
                    note(TraceEvent(day, f"{step.id}: carried by {' + '.join(names)} "
                                         f"({sum(current.actors[i].seats for i in coalition)} seats, "
                                         f"{step.quota} needed)", step.rule))
                    if step.deadline_days is not None and day - start > step.deadline_days:
                        note(TraceEvent(day, f"{step.id} came {day - start - step.deadline_days} days after its "
                                             "constitutional deadline", step.deadline_rule or step.rule))
                    break
                if refusers != ["(boycott)"]:
                    note(TraceEvent(day, f"{step.id}: proposal {' + '.join(names)} refused by {', '.join(refusers)}",
                                    "bargaining (acceptance rule)"))
                day += int(rng.exponential(p.days_per_round)) + 1
                if step_id == "cabinet" and day - start > 30 and rng.random() < 0.5:
                    failed += 1
                    note(TraceEvent(day, f"nominee of {current.actors[formateur].id} fails to win confidence "
                                         "within 30 days; a new nominee is charged", "Art. 76(3)"))
                    start = day
            if step_id == "speaker":
                offices["speaker"] = "Sunni Arab"
            elif step_id == "president":
                offices["president"] = "Kurdish"
                designation = int(rng.integers(0, 16))
                day += designation
                current = apply_events(day, current)
                formateur = _largest(current.actors)
                formateur_id = current.actors[formateur].id
                note(TraceEvent(day, f"the President charges the nominee of {current.actors[formateur].id}",
                                "Art. 76(1)"))
                while vetoes and vetoes[0][0] <= day:
                    when, text, rule = vetoes.pop(0)
                    failed += 1
                    day += int(rng.exponential(p.days_per_round)) + 1
                    note(TraceEvent(day, f"{text}: the nominee withdraws and another is charged",
                                    f"{rule}; Art. 76(3)"))
                offices["prime-minister"] = "Shia Arab"
        shares = table.ministries[k]
        ministries = {current.actors[i].id: n for i, n in shares.items()}
        note(TraceEvent(day, f"cabinet wins confidence: {', '.join(f'{a} {n}' for a, n in ministries.items())} "
                             f"ministries", "Art. 76(4)"))
        return Government(
            pm_bloc=current.actors[formateur].id,
            coalition=tuple(names),
            ministries=ministries,
            offices=offices,
            days=day,
            failed_designations=failed,
            presidential_rounds=rounds_president,
            formed=True,
            trace=tuple(log),
        )


def _largest(actors: Sequence[ActorState]) -> int:
    return max(range(len(actors)), key=lambda i: (actors[i].seats, -i))


def run_many(simulator: Simulator, runs: int, seed: int, *, progress=None) -> list[Government]:
    """``runs`` seeded formations; run ``i`` uses its own stream from one SeedSequence."""
    if runs <= 0:
        raise InputError("--runs", f"the number of runs must be positive, got {runs}")
    streams = np.random.SeedSequence(seed).spawn(runs)
    out = []
    for i, stream in enumerate(streams):
        out.append(simulator.run(np.random.default_rng(stream)))
        if progress is not None:
            progress(i + 1)
    return out
