"""Calibrate the formation model's few free parameters on the recorded cycles.

The loss of a parameter set on a cycle is the squared log error of the median
days to cabinet plus the negative log probability the model gives the recorded
PM bloc (skipped for 2018's consensus nominee). To guard against fitting each
cycle by hand, parameters are one set for all cycles, chosen from a fixed grid,
and the fit is reported **out of sample**: each cycle is scored with the set
chosen on the other five (leave one cycle out).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from muhasasa.formation.history import cycle_record
from muhasasa.formation.model import Parameters, Simulator, run_many
from muhasasa.formation.replay import summarise
from muhasasa.formation.setup import prepare, replayable_cycles

GRID = {
    "intercept": (-1.0, 0.0, 1.0, 2.0),
    "fatigue": (0.5, 1.0, 2.0, 4.0),
    "days_per_round": (7.0, 14.0, 28.0),
    "boycott": (0.5, 0.8, 0.95),
}


@dataclass(frozen=True)
class CycleFit:
    cycle: str
    record_pm: str | None
    record_days: int
    p_record_pm: float | None
    median_days: float | None
    loss: float


def cycle_loss(summary: dict, cycle: str) -> CycleFit:
    record = cycle_record(cycle)
    days = summary["days"]["median"]
    day_error = (math.log(days) - math.log(record.days_election_to_cabinet)) ** 2 if days else 25.0
    p_pm = summary["pm_bloc"].get(record.pm_bloc, 0.0) if record.pm_bloc else None
    pm_error = -math.log(p_pm + 0.01) if p_pm is not None else 0.0
    return CycleFit(cycle, record.pm_bloc, record.days_election_to_cabinet, p_pm, days, day_error + pm_error)


def evaluate(params: Parameters, cycles: Sequence[str], runs: int, seed: int) -> dict[str, CycleFit]:
    out = {}
    for cycle in cycles:
        simulator = Simulator(prepare(cycle), params)
        out[cycle] = cycle_loss(summarise(run_many(simulator, runs, seed)), cycle)
    return out


def calibrate(
    runs: int = 100, seed: int = 0, *, progress: Callable[[str], None] | None = None
) -> tuple[Parameters, dict[str, CycleFit], dict[str, CycleFit]]:
    """Grid search; returns (the set fitted on all cycles, in-sample fits, out-of-sample fits)."""
    cycles = replayable_cycles()
    base = Parameters()
    scores: dict[tuple, dict[str, CycleFit]] = {}
    for values in itertools.product(*GRID.values()):
        params = replace(base, **dict(zip(GRID, values)))
        scores[values] = evaluate(params, cycles, runs, seed)
        if progress:
            progress(str(dict(zip(GRID, values))))

    def best(excluding: str | None) -> tuple:
        return min(scores, key=lambda v: sum(f.loss for c, f in scores[v].items() if c != excluding))

    overall = best(None)
    in_sample = scores[overall]
    out_of_sample = {c: scores[best(c)][c] for c in cycles}
    return replace(base, **dict(zip(GRID, overall))), in_sample, out_of_sample
