"""A stochastic, seeded model of government formation through the constitutional steps.

The equations and assumptions are written up in ``docs/formation.md``. Everything about the
country comes from the pack through :mod:`muhasasa.formation.setup`: the steps and their
order, the office each one seats and the community the convention gives it, quorums and
thresholds (with run-offs), deadlines, the horizon, the cabinet and its points system. In
short:

- **Proposals**: the formateur (the largest actor when a step opens) proposes a coalition
  from the minimal coalitions that carry the step when everybody attends and, under the
  convention, hold a seat of every community whose office the steps seat.
- **Acceptance**: each member accepts with a logistic probability of its office gain
  (ministries under the cycle's points system against its seat share), its policy distance
  to the partners, its trust in them, and fatigue (days elapsed).
- **Sessions**: an accepted coalition that cannot meet the step's quorum alone meets it only
  if the others attend; with probability ``boycott`` the others stay away and the session
  fails for lack of quorum (the blocking third after FSC 16/Federal/2022). After such a
  failure the formateur proposes only coalitions that meet the quorum alone.
- **Time**: failed rounds cost exponentially distributed days; a nominee who has not won
  confidence by the step's deadline is replaced with probability ``replace_nominee`` per
  round; a cycle not formed within the pack's horizon counts as not formed.
- **Events** of the record (a resignation, an outside veto) are scripted on their dates.

Each run returns a :class:`Government` and, on request, a structured trace
(:class:`~muhasasa.formation.trace.TraceEvent`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from fractions import Fraction
from typing import Any, NamedTuple

import numpy as np

from muhasasa.errors import InputError
from muhasasa.formation.blocs import dispute, form_blocs, leave
from muhasasa.formation.deadlines import binding_until, composition_days, first_session_dues, lapse_day
from muhasasa.formation.trace import TraceEvent
from muhasasa.packs.schema.convention import PointsSystem
from muhasasa.packs.schema.history import CONSENSUS
from muhasasa.packs.schema.parameters import PARAMETERS, check_value

__all__ = [
    "ActorState",
    "Government",
    "Parameters",
    "Scenario",
    "ScriptedChange",
    "Simulator",
    "Step",
    "Veto",
    "minimal_coalitions",
    "run_many",
]


@dataclass(frozen=True)
class Parameters:
    """The model's free parameters (their ranges and meanings:
    :data:`muhasasa.packs.schema.parameters.PARAMETERS`). A value out of range is an
    :class:`~muhasasa.errors.InputError` naming ``parameters.<name>``."""

    intercept: float = 0.0
    fatigue: float = 1.0
    days_per_round: float = 14.0
    boycott: float = 0.8
    office_weight: float = 3.0
    policy_weight: float = 2.0
    trust_weight: float = 2.0
    replace_nominee: float = 0.5
    consensus: float = 0.0
    merge: float = 0.0
    pressure: float = 0.0
    veto: float = 0.5
    exit: float = 0.5
    exit_after: float = 1.0
    rival_candidates: float = 0.0
    cross_community: float = 0.0
    package: float = 0.0
    force: float = 0.5
    deadline: float = 0.0
    composition: float = 0.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, (int, float, Fraction)) or not math.isfinite(value):
                raise InputError("parameters", f"{value!r} is not a number", field=f"parameters.{f.name}")
            check_value(f.name, Fraction(value).limit_denominator(10**9))

    def with_values(self, values: Mapping[str, Any]) -> Parameters:
        """These parameters with some changed (exact text or numbers), each checked."""
        changes = {name: float(check_value(name, value)) for name, value in values.items()}
        return replace(self, **changes)

    def as_dict(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


assert tuple(f.name for f in fields(Parameters)) == tuple(PARAMETERS), "Parameters must follow PARAMETERS"


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
    """A constitutional step as a game.

    ``quota`` is what a coalition needs to carry the step whatever the others do (stay away
    or vote no); ``attended`` what it needs when everybody attends (a run-off's threshold
    among all members, say); a coalition between the two carries the step only if the
    others attend. ``office``/``community``: the office the step seats and the community the
    convention gives it (None when the convention is lifted).
    """

    id: str
    rule: str
    quota: int
    quorum: int | None
    deadline_days: int | None
    deadline_rule: str | None
    attended: int | None = None
    ruling: str | None = None
    office: str | None = None
    community: str | None = None
    designation_days: int | None = None
    designation_rule: str | None = None
    replacement_rule: str | None = None
    #: the deadline runs from the first session, not from the step's own start
    deadline_from_first_session: bool = False

    @property
    def needed(self) -> int:
        """Seats a proposal needs when everybody attends."""
        return self.attended if self.attended is not None else self.quota


class ScriptedChange(NamedTuple):
    """A scripted change of the parliament on ``day``: the scenario from then on."""

    day: int
    scenario: Any
    text: str
    rule: str
    actor: str | None = None
    seats: int | None = None
    sworn_in: int | None = None
    source: str = "record"


class Veto(NamedTuple):
    """An outside veto on the nominee, from ``day`` on."""

    day: int
    text: str
    rule: str
    source: str = "record"


@dataclass(frozen=True)
class Scenario:
    """Everything one formation run needs, prepared once for many runs
    (:func:`muhasasa.formation.setup.prepare`)."""

    cycle: str
    actors: tuple[ActorState, ...]
    trust: Mapping[frozenset[str], float]
    steps: Mapping[str, Step]
    days_to_first_session: int
    ministries: int
    sovereign: int
    points: PointsSystem | None
    required: tuple[str, ...]
    horizon_days: int
    first_session_rule: str = ""
    largest_bloc_rule: str = ""
    convention: bool = True
    events: tuple = ()
    vetoes: tuple = ()
    house_size: int = 0
    rival_share: Fraction | None = None
    #: a replay from the lists as elected: the race for the largest bloc before the first
    #: session (:mod:`muhasasa.formation.blocs`); None when the recorded blocs are given
    race: Any = None
    #: after the race: each bloc's id → the recorded actor it stands for, and its lists
    stands_for: Mapping[str, str] = field(default_factory=dict)
    blocs: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: recorded protest movements: (first day, last day or None while no end is recorded)
    protests: tuple[tuple[int, int | None], ...] = ()
    #: a cycle that starts mid-term, when the Prime Minister's post falls vacant (day 0)
    mid_term: bool = False
    #: outside players (the pack's ``outside.toml``) and their stances on the nominees:
    #: (proposer, order) → player → stance (``reject`` and ``oppose`` are a rejection)
    players: tuple[str, ...] = ()
    positions: Mapping[tuple[str, int], Mapping[str, str]] = field(default_factory=dict)
    #: what falls vacant at the trigger of a mid-term cycle, when the pack names the office
    vacancy_text: str = ""
    #: the players whose vetoes act (all but those a replay removes; their stances are still reported)
    vetoers: tuple[str, ...] = ()
    #: who leads each round: False, the largest actor (a largest-bloc rule); True, an actor
    #: recognised in proportion to its seats, except that a step seating an office an earlier
    #: step seated is led by the actor that carried that step (the designate forms the cabinet)
    recognition: bool = False
    #: what a bargaining table holds that no parameter changes, filled by the first simulator
    #: that needs it and kept for the others (calibration runs hundreds of parameter sets)
    terms: dict = field(default_factory=dict, init=False, compare=False, repr=False)

    @property
    def points_rule(self) -> str:
        """The points system the cabinet is shared by (or the proportional fallback)."""
        return self.points.id if self.points is not None else "seats in proportion (largest remainder)"


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
    quorum_failures: int = 0
    rounds: Mapping[str, int] = field(default_factory=dict)
    #: a replay from the lists as elected: the lists of the bloc that claimed the largest-bloc
    #: title at the first session, leader first (``"sol + ina"``)
    formateur: str | None = None
    #: the confirmed nominee: (proposer, his place among the proposer's nominees)
    nominee: tuple[str, int] | None = None
    #: the outside players whose veto made a nominee withdraw, once per veto
    vetoed_by: tuple[str, ...] = ()
    #: each outside player's stance on the confirmed nominee (``unknown`` where the sources give none)
    stances: Mapping[str, str] = field(default_factory=dict)
    #: actors that left parliament by the exit move, and the day the first did
    exited: tuple[str, ...] = ()
    exit_day: int | None = None
    #: the day each step was carried (counted like ``days``)
    carried: Mapping[str, int] = field(default_factory=dict)
    #: the step whose coalition sealed the steps that follow as one package deal (None: no deal)
    package: str | None = None
    #: sessions denied by force by an actor that had left parliament (the exit move)
    stormed: int = 0
    #: each carried step with a deadline → the days after its deadline it was carried (0 or less: met)
    late: Mapping[str, int] = field(default_factory=dict)


# --------------------------------------------------------------------------- preparation


def _distance(a: ActorState, b: ActorState) -> float:
    return math.sqrt(sum((x - y) ** 2 for x, y in zip(a.positions, b.positions)) / max(len(a.positions), 1))


def _communities(actors: Sequence[ActorState], members: Sequence[int]) -> set[str]:
    out: set[str] = set()
    for i in members:
        out.update(c for c, n in actors[i].community_seats.items() if n)
    return out


def minimal_coalitions(
    actors: Sequence[ActorState], quota: int, formateur: int, *, required: Sequence[str] = (), limit: int = 400,
    include: Sequence[int] = (),
) -> list[tuple[int, ...]]:
    """Minimal coalitions containing the formateur that reach ``quota`` seats and hold a
    seat of every ``required`` community present in the house, found by depth-first search,
    smallest first."""
    fixed = [formateur, *(i for i in include if i != formateur)]
    order = [i for i in sorted(range(len(actors)), key=lambda i: -actors[i].seats) if i not in fixed]
    found: list[tuple[int, ...]] = []
    present = {c for c in required if any(a.community_seats.get(c) for a in actors)}

    def ok(members: list[int]) -> bool:
        return sum(actors[i].seats for i in members) >= quota and present <= _communities(actors, members)

    suffix = [0] * (len(order) + 1)
    for k in range(len(order) - 1, -1, -1):
        suffix[k] = suffix[k + 1] + actors[order[k]].seats

    def walk(k: int, members: list[int]) -> None:
        if len(found) >= limit:
            return
        if ok(members):
            if all(not ok([m for m in members if m != x]) for x in members if x not in fixed):
                found.append(tuple(members))
            return
        if k == len(order) or sum(actors[i].seats for i in members) + suffix[k] < quota:
            return
        walk(k + 1, [*members, order[k]])
        walk(k + 1, members)

    walk(0, fixed)
    found.sort(key=lambda c: (sum(actors[i].seats for i in c), len(c)))
    return found


@dataclass
class _Table:
    """Per (step, formateur): candidate coalitions, their choice weights, the members'
    acceptance logits at day 0 (fatigue is added per round), ministries and seats."""

    coalitions: list[tuple[int, ...]]
    choice: np.ndarray
    logits: list[np.ndarray]
    ministries: list[dict[int, int]]
    seats: list[int]


def share_ministries(actors: Sequence[ActorState], coalition: Sequence[int], scenario: Scenario) -> dict[int, int]:
    """Ministries of each coalition member: by the cycle's points system where the pack has
    one that can share among these actors (:func:`~muhasasa.formation.convention.allocate_ministries`),
    else in proportion to seats (largest remainder); exact, ties by a seeded lot."""
    from muhasasa.formation.convention import allocate_ministries
    from muhasasa.methods import allocate

    seats = {actors[i].id: actors[i].seats for i in coalition}
    points = scenario.points
    if points is not None and points.can_share(seats):
        shared = allocate_ministries(seats, scenario.ministries, min(scenario.sovereign, scenario.ministries), points,
                                     tie_break="lot", seed=0)
        by_id = {k: o + s for k, (o, s) in shared.items()}
    else:
        by_id = dict(allocate(seats, scenario.ministries, method="largest-remainder", tie_break="lot", seed=0).seats)
    return {i: by_id[actors[i].id] for i in coalition}


class _Terms(NamedTuple):
    """The parameter-free part of a bargaining table: candidate coalitions, their ministries
    and seats, and each member's (office motive, office gain, policy motive, policy, trust)."""

    coalitions: list[tuple[int, ...]]
    ministries: list[dict[int, int]]
    seats: list[int]
    members: list[list[tuple[float, float, float, float, float]]]


def coalition_terms(actors: Sequence[ActorState], c: tuple[int, ...], scenario: Scenario, total: int,
                    pair: Callable[[ActorState, ActorState], tuple[float, float]] | None = None,
                    ) -> tuple[dict[int, int], list[tuple[float, float, float, float, float]]]:
    """One coalition's ministries and each member's parameter-free terms (office motive,
    office gain, policy motive, policy, trust). ``pair(a, b)`` gives the policy distance and
    the trust of two actors (a batch passes its cache of them; the same numbers)."""
    if pair is None:
        def pair(a: ActorState, b: ActorState) -> tuple[float, float]:
            return _distance(a, b), scenario.trust.get(frozenset((a.id, b.id)), 0.0)

    shares = share_ministries(actors, c, scenario)
    terms = []
    for i in c:
        a = actors[i]
        office = shares[i] / scenario.ministries - a.seats / total
        others = [pair(a, actors[j]) for j in c if j != i]
        policy = -sum(p[0] for p in others) / max(len(others), 1)
        trust = sum(p[1] for p in others) / max(len(others), 1)
        terms.append((a.office_motive, office, a.policy_motive, policy, trust))
    return shares, terms


def _terms(scenario: Scenario, step: Step, formateur: int, *, alone: bool, include: tuple[int, ...]) -> _Terms:
    actors = scenario.actors
    required = scenario.required if scenario.convention else ()
    coalitions = minimal_coalitions(actors, step.quota if alone else step.needed, formateur, required=required,
                                    include=include)
    total = sum(a.seats for a in actors)
    ministries, seats, members = [], [], []
    for c in coalitions:
        shares, terms = coalition_terms(actors, c, scenario, total)
        ministries.append(shares)
        seats.append(sum(actors[i].seats for i in c))
        members.append(terms)
    return _Terms(coalitions, ministries, seats, members)


def _table(scenario: Scenario, step: Step, formateur: int, params: Parameters, *, alone: bool = False,
           include: tuple[int, ...] = ()) -> _Table:
    key = (step.id, formateur, alone, include)
    if key not in scenario.terms:
        scenario.terms[key] = _terms(scenario, step, formateur, alone=alone, include=include)
    terms = scenario.terms[key]
    logits, weights = [], []
    for c, members in zip(terms.coalitions, terms.members, strict=True):
        member_logits = [
            params.intercept
            + params.office_weight * office_motive * office * 10
            + params.policy_weight * policy_motive * policy
            + params.trust_weight * trust
            for office_motive, office, policy_motive, policy, trust in members
        ]
        logits.append(np.array(member_logits))
        # the formateur prefers coalitions it expects to be accepted, smaller ones first
        weights.append(math.exp(float(np.sum(np.minimum(member_logits, 0.0)))) / len(c))
    choice = np.array(weights, dtype=float)
    choice = choice / choice.sum() if choice.size and choice.sum() > 0 else choice
    return _Table(terms.coalitions, choice, logits, terms.ministries, terms.seats)


def _rival(scenario: Scenario, formateur: int, step: Step) -> int | None:
    """The runner-up of the community the step's office goes to, when it holds at least the
    pack's ``rival_share`` of the formateur's seats (a contested largest-bloc claim)."""
    if scenario.rival_share is None or step.community is None or not scenario.convention:
        return None
    lead = scenario.actors[formateur]
    if not lead.community_seats.get(step.community):
        return None
    others = [i for i, a in enumerate(scenario.actors) if i != formateur and a.community_seats.get(step.community)]
    if not others:
        return None
    rival = max(others, key=lambda i: (scenario.actors[i].seats, -i))
    return rival if scenario.actors[rival].seats >= scenario.rival_share * lead.seats else None


def _camp_rival(scenario: Scenario, formateur: int) -> int | None:
    """The formateur's rival camp for the premiership: :func:`_rival` at the step whose
    nominee is designated (the Prime Minister's), whatever step is being taken."""
    designated = next((s for s in scenario.steps.values() if s.designation_days is not None), None)
    return _rival(scenario, formateur, designated) if designated is not None else None


#: Stances of an outside player that are a rejection of the nominee (a veto in the model).
REJECTING = ("reject", "oppose")


def _within(table: _Table, current: Scenario, package: frozenset[str]) -> tuple[int, ...]:
    """The indices of the table's coalitions whose members all belong to the sealed package."""
    ids = [a.id for a in current.actors]
    return tuple(k for k, c in enumerate(table.coalitions) if all(ids[i] in package for i in c))


def _largest(actors: Sequence[ActorState]) -> int:
    return max(range(len(actors)), key=lambda i: (actors[i].seats, -i))


# --------------------------------------------------------------------------- a run


class Simulator:
    """Runs formations of one scenario under one parameter set; tables are cached."""

    def __init__(self, scenario: Scenario, params: Parameters) -> None:
        self.scenario = scenario
        self.params = params
        self._tables: dict[tuple, _Table] = {}

    def table(self, scenario: Scenario, step: str, formateur: int, *, alone: bool = False,
              include: tuple[int, ...] = ()) -> _Table:
        """The formateur's candidate coalitions at a step: those that carry it when everybody
        attends, or (``alone``, after a session failed for lack of quorum) whatever the others do."""
        key = (id(scenario), step, formateur, alone, include)
        if key not in self._tables:
            self._tables[key] = _table(scenario, scenario.steps[step], formateur, self.params, alone=alone,
                                       include=include)
        return self._tables[key]

    def run(self, rng: np.random.Generator, *, trace: bool = False) -> Government:
        """One formation, from the first session to the confidence vote (or to the
        horizon, which counts as not formed)."""
        p = self.params
        scenario = self.scenario
        log: list[TraceEvent] = []
        note = log.append if trace else (lambda event: None)
        racing = scenario.race is not None
        partition: tuple = ()
        if racing:
            scenario, partition = form_blocs(scenario, p, rng, note)
        day = scenario.days_to_first_session
        note(TraceEvent(day, None, "vacancy" if scenario.mid_term else "first-session",
                        rule=scenario.first_session_rule, note=(scenario.vacancy_text or None) if scenario.mid_term
                        else None))
        if racing:  # a title that changed hands after the vote is disputed: the session is held open
            day = dispute(self.scenario, scenario, partition, p, rng, day, note)
        changes = sorted((ScriptedChange(*e) for e in scenario.events), key=lambda e: e.day)
        vetoes = sorted((Veto(*v) for v in scenario.vetoes), key=lambda v: v.day)
        failed = 0
        quorum_failures = 0
        blocked: dict[str, int] = {}  # sessions of each formateur's coalition failed for lack of quorum
        exited: list[str] = []
        exit_day: int | None = None
        stormed = 0  # sessions denied by force by an actor that left parliament
        late: dict[str, int] = {}  # days after its deadline each step was carried
        orders: dict[str, int] = {}  # nominees charged so far, per proposer
        nominee: tuple[str, int] | None = None
        vetoed_by: list[str] = []
        rounds: dict[str, int] = {}
        offices: dict[str, str] = {}
        carried: dict[str, int] = {}
        package: frozenset[str] | None = None  # the coalition that sealed the remaining steps as one deal
        sealed_at: str | None = None
        horizon = scenario.days_to_first_session + scenario.horizon_days

        def apply_changes(until: int, current: Scenario) -> Scenario:
            while changes and changes[0].day <= until:
                c = changes.pop(0)
                if c.actor is not None and c.actor in exited:
                    continue  # the actor has left already (the exit move)
                current = self._leave(current, c, partition) if racing else c.scenario
                note(TraceEvent(c.day, None, "resignation", actors=(c.actor,) if c.actor else (), seats=c.seats,
                                present=c.sworn_in, rule=c.rule, source=c.source,
                                note=c.text if c.seats is None else None))
            return current

        def not_formed() -> Government:
            note(TraceEvent(day, None, "not-formed", days_late=scenario.horizon_days, rule="horizon"))
            return Government(None, (), {}, offices, None, failed, rounds.get("president", 0), False, tuple(log),
                              quorum_failures, dict(rounds), formateur=claim, vetoed_by=tuple(vetoed_by),
                              exited=tuple(exited), exit_day=exit_day, carried=dict(carried), package=sealed_at,
                              stormed=stormed, late=dict(late))

        def proposer(current: Scenario, formateur: int) -> str:
            """Who puts the nominee forward, in the record's terms."""
            if consensus_with is not None:
                return CONSENSUS
            own = current.actors[formateur].id
            return current.stands_for.get(own, own)

        def charge(current: Scenario, formateur: int, step: Step) -> tuple[int, Scenario]:
            """Charge the proposer's next nominee. A scripted veto of the record that is due makes
            the first nominee withdraw; else, while an outside player rejects him, the player's veto makes him
            withdraw with probability ``veto`` (a failed designation, a round lost), after which
            rival camps may settle on a compromise nominee. Each nominee first spends ``composition``
            of the step's deadline composing his cabinet; ``charged_on`` is the day he was charged."""
            nonlocal nominee, failed, day, charged_on
            while True:
                who = proposer(current, formateur)
                orders[who] = orders.get(who, 0) + 1
                nominee = (who, orders[who])
                charged_on = day
                if spent := composition_days(step, p.composition):
                    day += spent
                    note(TraceEvent(day, step.id, "composed", actors=(current.actors[formateur].id,),
                                    days_late=spent, rule=step.deadline_rule or step.rule))
                while vetoes and vetoes[0].day <= day and nominee[1] > 1:
                    vetoes.pop(0)  # a scripted veto is on the first nominee, who has withdrawn already
                if vetoes and vetoes[0].day <= day:
                    veto = vetoes.pop(0)
                    note(TraceEvent(day, step.id, "veto", actors=(current.actors[formateur].id,), rule=veto.rule,
                                    ruling=step.replacement_rule, source=veto.source, note=veto.text))
                else:
                    stances = scenario.positions.get(nominee, {})
                    vetoing = next((player for player in scenario.vetoers if stances.get(player) in REJECTING
                                    and rng.random() < p.veto), None)
                    if vetoing is None:
                        return formateur, current
                    vetoed_by.append(vetoing)
                    note(TraceEvent(day, step.id, "veto", actors=(current.actors[formateur].id,), by=vetoing,
                                    rule="outside player's position", ruling=step.replacement_rule,
                                    note=f"{vetoing} rejects the nominee of {who} (number {nominee[1]})"))
                failed += 1
                day += int(rng.exponential(p.days_per_round)) + 1
                current = apply_changes(day, current)
                formateur = _largest(current.actors)
                if consensus_with is None:
                    consensus(current, formateur, step)

        charged_on = day
        current = apply_changes(day, scenario)
        formateur = _largest(current.actors)
        seated: dict[str, str] = {}  # office → the actor that carried the step seating it
        if scenario.recognition:
            note(TraceEvent(day, None, "formateur", note="each round is led by an actor recognised in proportion to "
                                                         "its seats (the pack's rule)"))
        else:
            note(TraceEvent(day, None, "formateur", actors=(current.actors[formateur].id,),
                            seats=current.actors[formateur].seats, rule=scenario.largest_bloc_rule))
        claimant = current.actors[formateur].id
        lists = current.blocs.get(claimant, (claimant,))
        claim = " + ".join((lists[0], *sorted(lists[1:]))) if racing else None
        table: _Table | None = None
        consensus_with: str | None = None
        k = 0
        names: list[str] = []

        def consensus(current: Scenario, formateur: int, step: Step) -> None:
            """Rival camps of the premiership agree on a compromise nominee with probability κ."""
            nonlocal consensus_with
            rival = _rival(current, formateur, step)
            if rival is not None and rng.random() < p.consensus:
                consensus_with = current.actors[rival].id
                note(TraceEvent(day, step.id, "consensus", actors=(current.actors[formateur].id, consensus_with),
                                seats=current.actors[rival].seats, rule=step.designation_rule or step.rule,
                                note="rival camps agree on a compromise nominee"))

        def leave(current: Scenario, formateur: int, step: Step) -> Scenario:
            """The exit move: a formateur whose coalition's sessions failed for lack of quorum
            ``exit_after`` times, with a rival camp to hand the premiership to, leaves
            parliament with probability ``exit`` (its seats refilled as a resignation's)."""
            nonlocal exit_day, consensus_with
            actor = current.actors[formateur]
            if blocked.get(actor.id, 0) < p.exit_after or _camp_rival(current, formateur) is None:
                return current
            if rng.random() >= p.exit:
                return current
            key = ("exit", id(current), actor.id)
            if key not in self.scenario.terms:
                from muhasasa.formation.setup import resign

                self.scenario.terms[key] = resign(current, actor.id, actor.seats, actor.seats)
            exited.append(current.stands_for.get(actor.id, actor.id))
            exit_day = day if exit_day is None else exit_day
            if consensus_with is not None:
                consensus_with = None  # the compromise was with the camp that left
            note(TraceEvent(day, step.id, "exit", actors=(actor.id,), seats=actor.seats, present=actor.seats,
                            rule="exit move (cannot form, will not sit in opposition)",
                            note="replacement seats shared among its community's other actors in proportion to "
                                 "their seats (an assumption)"))
            return self.scenario.terms[key]
        steps = list(scenario.steps.values())
        dues = first_session_dues(steps, scenario.days_to_first_session)
        # the package deal: drawn once; the proposals must then carry every step left, and the
        # coalition that accepts one carries the others in turn without new bargaining
        deal = p.package > 0 and rng.random() < p.package
        for index, step in enumerate(steps):
            start = day
            persisted = 0  # sessions of this step failed for lack of quorum
            if step.designation_days is not None:
                day += int(rng.integers(0, step.designation_days + 1))
                current = apply_changes(day, current)
                formateur = _largest(current.actors)
                note(TraceEvent(day, step.id, "designation", actors=(current.actors[formateur].id,),
                                rule=step.designation_rule or step.rule))
                consensus(current, formateur, step)
                formateur, current = charge(current, formateur, step)
                start = charged_on
            while True:
                denied = persisted >= p.exit_after  # the formateur gave up its terms: quorum-proof coalitions only
                changed = apply_changes(day, current)
                if changed is not current:
                    current = changed
                formateur = self._proposer(current, step, seated, rng)
                ids = [a.id for a in current.actors]
                include = (ids.index(consensus_with),) if (consensus_with in ids and step.designation_days
                                                           is not None) else ()
                table = self.table(current, step.id, formateur, alone=denied, include=include)
                if deal and package is None:  # bargaining the package: proposals that carry every step left
                    hardest = max(steps[index:], key=lambda s: s.quota if denied else s.needed)
                    whole = self.table(current, hardest.id, formateur, alone=denied, include=include)
                    table = whole if whole.coalitions else table
                if day > horizon:
                    return not_formed()
                if not table.coalitions:
                    note(TraceEvent(day, step.id, "no-coalition", actors=(current.actors[formateur].id,),
                                    needed=step.quota if denied else step.needed, rule=step.rule, ruling=step.ruling))
                    day += int(rng.exponential(p.days_per_round)) + 1
                    if changes:
                        day = max(day, changes[0].day)
                    continue
                sealed = _within(table, current, package) if package is not None else ()
                if package is not None and not sealed:
                    package, deal = None, False  # the deal cannot carry this step (its partners changed)
                    note(TraceEvent(day, step.id, "package-lapsed", rule="package deal"))
                if sealed:  # the partners agreed this step with the earlier ones: no new bargaining
                    weights = table.choice[list(sealed)]
                    k = int(sealed[rng.choice(len(sealed), p=weights / weights.sum())]) if len(sealed) > 1 else sealed[0]
                    names = [current.actors[i].id for i in table.coalitions[k]]
                    refusers: tuple[str, ...] = ()
                else:
                    k = int(rng.choice(len(table.coalitions), p=table.choice)) if len(table.coalitions) > 1 else 0
                    names = [current.actors[i].id for i in table.coalitions[k]]
                    fatigue = p.fatigue * (day - scenario.days_to_first_session) / 100.0
                    if any(start <= day and (end is None or day <= end) for start, end in scenario.protests):
                        fatigue += p.pressure
                    lapses = binding_until(step, start, dues) if p.deadline else None
                    if lapses is not None and day <= lapses:
                        fatigue += p.deadline  # a deadline that runs is a focal point; a lapsed one binds nobody
                    accept = 1.0 / (1.0 + np.exp(-(table.logits[k] + fatigue)))
                    draws = rng.random(len(names))
                    refusers = tuple(names[j] for j in range(len(names)) if draws[j] > accept[j])
                rounds[step.id] = rounds.get(step.id, 0) + 1
                seats = table.seats[k]
                if not refusers:
                    if exited and p.force > 0 and rng.random() < p.force:
                        # the actor that left denies the session by force: it is not held, a round is lost
                        stormed += 1
                        note(TraceEvent(day, step.id, "force", actors=(exited[-1],), seats=seats,
                                        rule="quorum denied by force (after the exit move)"))
                    elif step.quorum is not None and seats < step.quota and rng.random() < p.boycott:
                        quorum_failures += 1
                        blocked[current.actors[formateur].id] = blocked.get(current.actors[formateur].id, 0) + 1
                        persisted += 1  # it persists with its terms until blocked ``exit_after`` times
                        note(TraceEvent(day, step.id, "quorum-failed", actors=tuple(names), seats=seats,
                                        needed=step.quorum, present=seats, rule=step.rule, ruling=step.ruling))
                    else:
                        note(TraceEvent(day, step.id, "carried", actors=tuple(names), seats=seats,
                                        needed=step.quota if denied else step.needed, present=seats if seats >= step.quota else None,
                                        rule=step.rule, ruling=step.ruling))
                        lapsed = lapse_day(step, start, dues)
                        if lapsed is not None:
                            late[step.id] = day - lapsed
                        if lapsed is not None and day > lapsed:
                            note(TraceEvent(day, step.id, "deadline-missed", days_late=day - lapsed,
                                            rule=step.deadline_rule or step.rule))
                        carried[step.id] = day
                        if step.office is not None:
                            seated.setdefault(step.office, current.actors[formateur].id)
                        if deal and package is None:
                            package, sealed_at = frozenset(names), step.id
                            note(TraceEvent(day, step.id, "package", actors=tuple(names), seats=seats,
                                            rule="package deal (the steps that follow are agreed with this one)"))
                        break
                else:
                    note(TraceEvent(day, step.id, "refused", actors=tuple(names), refused_by=refusers,
                                    rule="bargaining (acceptance rule)"))
                if blocked:
                    left = leave(current, formateur, step)
                    if left is not current:
                        current, persisted, package, deal = left, 0, None, False
                        formateur = _largest(current.actors)
                        if step.designation_days is not None:  # the new formateur charges its own nominee
                            formateur, current = charge(current, formateur, step)
                            start = charged_on
                day += int(rng.exponential(p.days_per_round)) + 1
                current = apply_changes(day, current)
                if (step.replacement_rule is not None and step.deadline_days is not None
                        and day - start > step.deadline_days and rng.random() < p.replace_nominee):
                    failed += 1
                    note(TraceEvent(day, step.id, "nominee-replaced", actors=(current.actors[formateur].id,),
                                    rule=step.replacement_rule))
                    formateur, current = charge(current, _largest(current.actors), step)
                    start = charged_on
            if scenario.convention and step.office is not None and step.community is not None:
                offices[step.office] = step.community
        assert table is not None
        ministries = {current.actors[i].id: n for i, n in table.ministries[k].items()}
        last = list(scenario.steps.values())[-1]
        note(TraceEvent(day, last.id, "confidence", actors=tuple(names), ministries=ministries, rule=last.rule))
        pm = current.actors[formateur].id
        stances = dict(scenario.positions.get(nominee, {})) if nominee is not None else {}
        if consensus_with is not None and consensus_with in names and pm in names:
            pm = CONSENSUS
        elif racing:
            pm = current.stands_for.get(pm, pm)
        return Government(
            pm_bloc=pm,
            coalition=tuple(names),
            ministries=ministries,
            offices=offices,
            days=day,
            failed_designations=failed,
            presidential_rounds=rounds.get("president", 0),
            formed=True,
            trace=tuple(log),
            quorum_failures=quorum_failures,
            rounds=dict(rounds),
            formateur=claim,
            nominee=nominee,
            vetoed_by=tuple(vetoed_by),
            stances={player: stances.get(player, "unknown") for player in scenario.players},
            exited=tuple(exited),
            exit_day=exit_day,
            carried=carried,
            package=sealed_at,
            stormed=stormed,
            late=late,
        )

    def _proposer(self, current: Scenario, step: Step, seated: Mapping[str, str], rng: np.random.Generator) -> int:
        """Who leads a round: the largest actor; under the pack's recognition rule, the actor
        that carried the step seating this step's office earlier, else one drawn in
        proportion to seats (no draw is made under the largest-actor rule)."""
        if not self.scenario.recognition:
            return _largest(current.actors)
        ids = [a.id for a in current.actors]
        holder = seated.get(step.office) if step.office is not None else None
        if holder in ids:
            return ids.index(holder)
        seats = np.array([a.seats for a in current.actors], dtype=float)
        return int(rng.choice(len(ids), p=seats / seats.sum()))

    def _leave(self, current: Scenario, change: ScriptedChange, partition: tuple) -> Scenario:
        """A scripted resignation applied to the blocs of a race (cached per partition)."""
        key = ("left", partition, change.day, change.actor, change.seats)
        if key not in self.scenario.terms:
            self.scenario.terms[key] = leave(current, change.actor or "", change.seats or 0,
                                             change.sworn_in if change.sworn_in is not None else change.seats or 0)
        return self.scenario.terms[key]


def run_many(simulator: Simulator, runs: int, seed: int, *, progress=None) -> list[Government]:
    """``runs`` seeded formations; run ``i`` uses its own stream from one SeedSequence."""
    if isinstance(runs, bool) or not isinstance(runs, int) or runs <= 0:
        raise InputError("argument", f"the number of runs must be positive, got {runs}", field="runs")
    streams = np.random.SeedSequence(seed).spawn(runs)
    out = []
    for i, stream in enumerate(streams):
        out.append(simulator.run(np.random.default_rng(stream)))
        if progress is not None:
            progress(i + 1)
    return out
