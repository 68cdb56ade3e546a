"""Replays of the formation cycles: the simulated distribution beside the record."""

from __future__ import annotations

import statistics
import tomllib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from muhasasa.formation.history import cycle_record
from muhasasa.formation.model import (
    Government,
    Parameters,
    Simulator,
    TraceEvent,
    run_many,
)
from muhasasa.formation.setup import prepare


def calibrated_parameters() -> Parameters:
    """The parameters calibrated on the record (``packs/iraq/formation/parameters.toml``)."""
    from muhasasa import packs

    found = packs.load().body().file("formation", "parameters.toml")
    data = tomllib.loads(found[1].decode("utf-8")) if found else {"parameters": {}}
    return Parameters(**{k: float(v) for k, v in data["parameters"].items()})


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

    def as_dict(self) -> dict:
        return {
            "cycle": self.cycle,
            "runs": self.runs,
            "seed": self.seed,
            "parameters": self.parameters.as_dict(),
            "without_events": list(self.without),
            "record": self.record,
            "simulated": self.simulated,
            "story": [str(e) for e in self.story],
        }


def summarise(governments: Sequence[Government]) -> dict:
    """Distribution of outcomes: PM bloc, days, coalition, ministries per bloc."""
    formed = [g for g in governments if g.formed]
    n = len(governments)
    days = sorted(g.days for g in formed)
    pm = Counter(g.pm_bloc for g in formed)
    coalitions = Counter(" + ".join(sorted(g.coalition)) for g in formed)
    ministries: dict[str, float] = {}
    for g in formed:
        for bloc, k in g.ministries.items():
            ministries[bloc] = ministries.get(bloc, 0) + k
    quantile = (lambda q: float(np.quantile(days, q))) if days else (lambda q: None)
    return {
        "formed": len(formed) / n if n else 0.0,
        "pm_bloc": {b: c / n for b, c in pm.most_common()},
        "days": {"median": quantile(0.5), "p10": quantile(0.1), "p90": quantile(0.9),
                 "mean": statistics.fmean(days) if days else None},
        "coalition": {c: k / n for c, k in coalitions.most_common(5)},
        "ministries": {b: round(k / len(formed), 2) for b, k in sorted(ministries.items(), key=lambda kv: -kv[1])} if formed else {},
        "failed_designations": statistics.fmean(g.failed_designations for g in governments) if governments else None,
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
) -> ReplayReport:
    """Replay a cycle ``runs`` times from its own parliament, bloc map and events."""
    scenario = prepare(cycle, without=without, actors_file=actors_file, convention=convention)
    record = cycle_record(cycle)
    params = parameters or calibrated_parameters()
    simulator = Simulator(scenario, params)
    governments = run_many(simulator, runs, seed, progress=progress)
    simulated = summarise(governments)
    story = _story(simulator, governments, seed)
    return ReplayReport(
        cycle=cycle,
        runs=runs,
        seed=seed,
        parameters=params,
        without=tuple(without),
        record={
            "pm_bloc": record.pm_bloc,
            "pm_nominated_by": list(record.pm_nominated_by),
            "pm_name": record.pm_name,
            "days": record.days_election_to_cabinet,
            "coalition": list(record.coalition),
            "ministries": dict(record.ministries_by_bloc),
            "failed_designations": record.failed_designations,
            "presidential_rounds": record.presidential_rounds,
        },
        simulated=simulated,
        story=story,
    )


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
