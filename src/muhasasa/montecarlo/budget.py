"""The time a run's formation stage will take, estimated before the run and bounded.

Every draw goes through formation unless ``formation_draws`` asks for fewer; what it costs
depends on how many distinct bloc-level parliaments the draws hold (each needs its own
bargaining tables) and on the cycle. Before any work starts the first chunk's seats are
drawn (the very draws the run will make), their distinct parliaments counted, and a few of
them prepared and run, timed; the estimate extrapolates both to the run's draws. A run
estimated to pass :data:`FORMATION_SECONDS` is refused with an
:class:`~muhasasa.errors.InputError` naming ``formation_draws`` and the estimate.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from muhasasa.errors import InputError
from muhasasa.montecarlo.formation import actor_keys, batch, formation_scenario
from muhasasa.montecarlo.plan import CHUNK, Plan
from muhasasa.montecarlo.seats import list_seats

__all__ = ["FORMATION_SECONDS", "Estimate", "check_formation", "estimate"]

#: A run whose formation stage is estimated to take longer than this (seconds of wall
#: time on the run's workers) is refused before it starts.
FORMATION_SECONDS = 600
#: Parliaments timed for the estimate (fewer when the first ones already take long).
TIMED = 3
#: Seconds spent timing parliaments, at most (after the first).
TIMING_SECONDS = 0.5


@dataclass(frozen=True)
class Estimate:
    """The formation stage of a run, before it runs: draws through formation, distinct
    bloc-level parliaments expected among them, seconds per new parliament (its tables and
    first run) and per run, and the whole stage's seconds on the run's workers."""

    draws: int
    parliaments: int
    per_parliament: float
    per_run: float
    workers: int
    seconds: float


def distinct(keys: list, draws: int) -> int:
    """Distinct parliaments expected among ``draws`` draws, from the pilot's ``keys``: the
    pilot's own count when it covers them, else the pilot's distinct ones plus the rest at
    the rate of new ones (its parliaments seen once, per draw: Good–Turing), at most one per draw.

    >>> distinct(["a", "b", "a", "c"], 3), distinct(["a", "b", "a", "c"], 12)
    (2, 7)
    """
    if draws <= len(keys):
        return len(set(keys[:draws]))
    counts: dict = {}
    for k in keys:
        counts[k] = counts.get(k, 0) + 1
    once = sum(1 for v in counts.values() if v == 1)
    new = (draws - len(keys)) * once / max(len(keys), 1)
    return min(draws, len(counts) + round(new))


def estimate(plan: Plan, pilot: np.ndarray, draws: int, workers: int) -> Estimate:
    """The formation stage's time for ``draws`` draws of ``plan``, from the national seats of
    the run's first draws (``pilot``). The parliaments timed are prepared in this process's
    batch, so a run in this process reuses them."""
    f = plan.formation
    assert f is not None
    count = min(draws, f.limit)
    rows = pilot[:count]
    seats = [list_seats(plan, row) for row in rows]
    keys = actor_keys(f, plan, rows)
    shared = batch(f)
    timed: list[float] = []
    runs: list[float] = []
    seen: set = set()
    rng = np.random.default_rng(0)
    started = time.perf_counter()
    for key, s in zip(keys, seats):
        if key in seen:
            continue
        seen.add(key)
        t0 = time.perf_counter()
        sim = shared.simulator(key, lambda s=s: formation_scenario(f, s, "scenario"))
        sim.run(rng)
        t1 = time.perf_counter()
        sim.run(rng)
        timed.append(t1 - t0)
        runs.append(time.perf_counter() - t1)
        if len(timed) >= TIMED or time.perf_counter() - started > TIMING_SECONDS:
            break
    per_parliament = sum(timed) / len(timed)
    per_run = sum(runs) / len(runs)
    parliaments = distinct(keys, count)
    chunks = -(-count // CHUNK)
    used = max(1, min(workers, chunks))
    seconds = (parliaments * max(per_parliament - per_run, 0.0) + count * per_run) / used
    return Estimate(count, parliaments, per_parliament, per_run, used, seconds)


def check_formation(plan: Plan, pilot: np.ndarray, draws: int, workers: int) -> Estimate:
    """The estimate, or an InputError naming ``formation_draws`` when it passes the limit."""
    e = estimate(plan, pilot, draws, workers)
    if e.seconds > FORMATION_SECONDS:
        raise InputError(
            "argument",
            f"formation on {e.draws:,} draws would take about {e.seconds:,.0f} s ({e.parliaments:,} distinct "
            f"parliaments expected at {e.per_parliament:.3f} s each, {e.per_run * 1000:.1f} ms per run, on "
            f"{e.workers} worker{'s' if e.workers > 1 else ''}), more than the {FORMATION_SECONDS} s allowed; "
            "send fewer draws through formation (every draw goes by default), or use more workers",
            field="formation_draws")
    return e
