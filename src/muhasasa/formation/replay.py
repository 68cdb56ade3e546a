"""Replays of the formation cycles: the simulated distribution beside the record."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from muhasasa import packs
from muhasasa.formation.model import REJECTING, Government, Parameters, Simulator, run_many
from muhasasa.formation.setup import prepare
from muhasasa.formation.trace import TraceEvent

__all__ = ["ReplayReport", "calibrated_parameters", "replay", "summarise"]


def calibrated_parameters(pack: packs.PackLike = None, body: str | None = None) -> Parameters:
    """The parameters calibrated on the record (the body's ``formation/parameters.toml``)."""
    values = packs.load(pack).formation_parameters(body).parameters.given()
    return Parameters(**{k: float(v) for k, v in values.items()})


@dataclass(frozen=True)
class ReplayReport:
    """A cycle's replay: what the record says and what the model gives, named alike."""

    cycle: str
    runs: int
    seed: int
    parameters: Parameters
    without: tuple[str, ...]
    record: dict
    simulated: dict
    story: tuple[TraceEvent, ...] = field(default=())
    without_vetoes: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {
            "cycle": self.cycle,
            "runs": self.runs,
            "seed": self.seed,
            "parameters": self.parameters.as_dict(),
            "without_events": list(self.without),
            "without_vetoes": list(self.without_vetoes),
            "record": self.record,
            "simulated": self.simulated,
            "story": [str(e) for e in self.story],
            "trace": [e.as_dict() for e in self.story],
        }


def summarise(governments: Sequence[Government]) -> dict:
    """Distribution of outcomes: PM bloc, days, coalition, ministries per bloc, failed
    designations, and how often a session failed for lack of quorum."""
    formed = [g for g in governments if g.formed]
    n = len(governments)
    days = sorted(g.days for g in formed if g.days is not None)
    pm = Counter(g.pm_bloc for g in formed)
    coalitions = Counter(" + ".join(sorted(g.coalition)) for g in formed)
    ministries: dict[str, float] = {}
    for g in formed:
        for bloc, k in g.ministries.items():
            ministries[bloc] = ministries.get(bloc, 0) + k

    def quantile(q: float) -> float | None:
        return round(float(np.quantile(days, q)), 1) if days else None  # days: one decimal is plenty

    return {
        "formed": len(formed) / n if n else 0.0,
        "pm_bloc": {b: c / n for b, c in pm.most_common()},
        "days": {"median": quantile(0.5), "p10": quantile(0.1), "p90": quantile(0.9),
                 "mean": statistics.fmean(days) if days else None},
        "coalition": {c: k / n for c, k in coalitions.most_common(5)},
        "ministries": {b: round(k / len(formed), 2) for b, k in sorted(ministries.items(), key=lambda kv: -kv[1])}
        if formed else {},
        "failed_designations": statistics.fmean(g.failed_designations for g in governments) if governments else None,
        "quorum_failed": sum(1 for g in governments if g.quorum_failures) / n if n else 0.0,
        "quorum_failures": statistics.fmean(g.quorum_failures for g in governments) if governments else None,
        **({"formateur": {b: c / n for b, c in Counter(g.formateur for g in governments).most_common()}}
           if any(g.formateur is not None for g in governments) else {}),
        **({"outside": outside_summary(governments)} if any(g.stances for g in governments) else {}),
        "exit": exit_summary(governments),
        "package": {"share": sum(1 for g in governments if g.package) / n if n else 0.0,
                    "sealed_at": {s: c / n for s, c in Counter(g.package for g in governments if g.package).most_common()}},
        "steps": _steps_summary(governments),
        "deadlines": _deadlines_summary(governments),
    }


def _deadlines_summary(governments: Sequence[Government]) -> dict:
    """Per step with a constitutional deadline: the share of runs that carried it by the
    deadline and after it (the rest did not carry it), and the median days late when late."""
    n = len(governments)
    names = list(dict.fromkeys(k for g in governments for k in g.late))
    out = {}
    for step in names:
        late = sorted(g.late[step] for g in governments if step in g.late and g.late[step] > 0)
        out[step] = {"met": sum(1 for g in governments if step in g.late and g.late[step] <= 0) / n,
                     "missed": len(late) / n, "days_late_median": float(np.quantile(late, 0.5)) if late else None}
    return out


def outside_summary(governments: Sequence[Government]) -> dict:
    """The outside players and the nominees: the share of formed runs whose confirmed nominee
    no player rejects (``acceptable_to_all``; an unknown stance is no rejection), each player's
    stance on the confirmed nominee, and the share of runs in which its veto made a nominee
    withdraw."""
    formed = [g for g in governments if g.formed]
    players = list(dict.fromkeys(p for g in governments for p in g.stances))
    n, m = len(governments), len(formed)
    return {
        "players": players,
        "acceptable_to_all": sum(1 for g in formed if not any(v in REJECTING for v in g.stances.values())) / m
        if m else None,
        "stance": {p: {k: c / m for k, c in Counter(g.stances.get(p, "unknown") for g in formed).most_common()}
                   for p in players} if m else {},
        "vetoed": {p: sum(1 for g in governments if p in g.vetoed_by) / n for p in players} if n else {},
    }


def exit_summary(governments: Sequence[Government]) -> dict:
    """The exit move: the share of runs in which an actor left parliament, by actor, its median
    day, and what followed in those runs (PM outcome, days, failed quorum sessions, sessions the
    actor that left denied by force)."""
    n = len(governments)
    left = [g for g in governments if g.exited]
    formed = [g for g in left if g.formed]
    days = sorted(g.days for g in formed if g.days is not None)
    return {
        "share": len(left) / n if n else 0.0,
        "by": {a: c / n for a, c in Counter(a for g in left for a in g.exited).most_common()},
        "day_median": statistics.median(g.exit_day for g in left if g.exit_day is not None) if left else None,
        "after": {
            "formed": len(formed) / len(left) if left else None,
            "pm_bloc": {b: c / len(left) for b, c in Counter(g.pm_bloc for g in formed).most_common()}
            if left else {},
            "days_median": statistics.median(days) if days else None,
            "quorum_failures": statistics.fmean(g.quorum_failures for g in left) if left else None,
            # the actor that left denied sessions by force (quorum denied by force, parameter ``force``)
            "stormed": sum(1 for g in left if g.stormed) / len(left) if left else None,
            "stormed_sessions": statistics.fmean(g.stormed for g in left) if left else None,
        },
    }


def _steps_summary(governments: Sequence[Government]) -> dict:
    """Per step: the share of runs that carried it, the day it was carried (p10, median,
    p90, counted like ``days``) and its rounds (mean, median, p90)."""
    n = len(governments)
    names = list(dict.fromkeys(k for g in governments for k in (*g.rounds, *g.carried)))
    out = {}
    for step in names:
        days = [g.carried[step] for g in governments if step in g.carried]
        rounds = [g.rounds.get(step, 0) for g in governments]
        out[step] = {
            "carried": len(days) / n if n else 0.0,
            "day": {"p10": round(float(np.quantile(days, 0.1)), 1), "median": float(np.quantile(days, 0.5)),
                    "p90": round(float(np.quantile(days, 0.9)), 1)} if days else None,
            "rounds": {"mean": statistics.fmean(rounds), "median": float(np.quantile(rounds, 0.5)),
                       "p90": round(float(np.quantile(rounds, 0.9)), 1)} if rounds else None,
        }
    return out


def _within_sessions(governments: Sequence[Government], steps: dict[str, int]) -> dict:
    """Per step with recorded sessions: the share of runs that carried it within as many
    rounds as the record has sessions."""
    n = len(governments)
    return {step: {"sessions": k, "carried_within": sum(1 for g in governments if step in g.carried
                                                        and g.rounds.get(step, 0) <= k) / n if n else 0.0}
            for step, k in steps.items()}


def record_summary(cycle: str, pack: packs.PackLike = None) -> dict:
    """The record of a cycle, named like :func:`summarise`'s keys."""
    chosen = packs.load(pack)
    record = chosen.cycle(cycle)
    dates = record.dates
    origin = dates.trigger if dates.trigger is not None else dates.election
    reached = {name: (day - origin).days for name, day in
               (("speaker", dates.speaker), ("president", dates.president), ("pm_designated", dates.pm_designated),
                ("cabinet", dates.cabinet)) if day is not None and origin is not None and day >= origin}
    sessions = Counter(e.decision for e in chosen.events(cycle) if e.kind == "session")
    return {
        "pm_bloc": record.pm_bloc,
        "pm_nominated_by": list(record.pm_nominated_by),
        "pm_name": record.pm_name,
        "days": record.days_trigger_to_cabinet if dates.trigger is not None else record.days_election_to_cabinet,
        "days_from": "trigger" if dates.trigger is not None else "election",
        "days_to": reached,
        "sessions": dict(sessions),
        "coalition": list(record.coalition),
        "ministries": dict(record.ministries_by_bloc),
        "failed_designations": record.failed_designations,
        "presidential_rounds": record.presidential_rounds,
    }


def replay(
    cycle: str,
    *,
    runs: int = 1000,
    seed: int = 0,
    without: Sequence[str] = (),
    parameters: Parameters | None = None,
    actors_file: str | None = None,
    convention: bool = True,
    progress: Callable[[int], None] | None = None,
    pack: packs.PackLike = None,
    elected: bool = False,
    without_vetoes: Sequence[str] = (),
) -> ReplayReport:
    """Replay a cycle ``runs`` times from its own parliament, bloc map and events; with
    ``elected``, from the lists as elected, the blocs formed after the vote by the model
    (``simulated.formateur``: how often each bloc claimed the largest-bloc title);
    ``without_vetoes``: outside players whose positions do not act (``simulated.outside``)."""
    scenario = prepare(cycle, without=without, actors_file=actors_file, convention=convention, pack=pack,
                       elected=elected, without_vetoes=without_vetoes)
    params = parameters or calibrated_parameters(pack)
    simulator = Simulator(scenario, params)
    governments = run_many(simulator, runs, seed, progress=progress)
    record = record_summary(cycle, pack)
    simulated = summarise(governments)
    record["deadlines"] = _recorded_deadlines(scenario, record)
    for step, line in simulated["deadlines"].items():
        line["rule"] = scenario.steps[step].deadline_rule
    steps = _recorded_sessions(cycle, record["sessions"], pack)
    if steps:
        simulated["within_recorded_sessions"] = _within_sessions(governments, steps)
    return ReplayReport(
        cycle=cycle,
        runs=runs,
        seed=seed,
        parameters=params,
        without=tuple(without),
        record=record,
        simulated=simulated,
        story=_story(simulator, governments, seed),
        without_vetoes=tuple(without_vetoes),
    )


def _recorded_deadlines(scenario, record: dict) -> dict[str, int]:
    """Each step with a deadline → the days after it the record carried the step (0 or less: met):
    a deadline from the first session counts from the recorded first session, one with a
    designation window from the recorded designation; steps the record does not date are left out."""
    reached = record["days_to"]
    out = {}
    for step in scenario.steps.values():
        if step.deadline_days is None or step.id not in reached:
            continue
        if step.deadline_from_first_session:
            out[step.id] = reached[step.id] - scenario.days_to_first_session - step.deadline_days
        elif step.designation_days is not None and "pm_designated" in reached:
            out[step.id] = reached[step.id] - reached["pm_designated"] - step.deadline_days
    return out


def _recorded_sessions(cycle: str, sessions: dict, pack: packs.PackLike) -> dict[str, int]:
    """Each step of the cycle's convention → how many recorded sessions took one of its decisions."""
    if not sessions:
        return {}
    chosen = packs.load(pack)
    rules = chosen.convention(chosen.body_of(chosen.cycle(cycle).election).id).formation
    if rules is None:
        return {}
    out = {s.id: sum(sessions.get(d, 0) for d in s.decisions) for s in rules.steps}
    return {k: v for k, v in out.items() if v}


def _story(simulator: Simulator, governments: Sequence[Government], seed: int) -> tuple[TraceEvent, ...]:
    """The trace of a representative run: the modal PM bloc, days nearest the median."""
    formed = [(i, g) for i, g in enumerate(governments) if g.formed]
    if not formed:
        return ()
    modal = Counter(g.pm_bloc for _, g in formed).most_common(1)[0][0]
    candidates = [(i, g) for i, g in formed if g.pm_bloc == modal]
    median = statistics.median(g.days for _, g in candidates)
    index = min(candidates, key=lambda ig: abs(ig[1].days - median))[0]
    stream = np.random.SeedSequence(seed).spawn(index + 1)[index]
    return simulator.run(np.random.default_rng(stream), trace=True).trace
