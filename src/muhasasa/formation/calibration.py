"""Calibrate the formation model's parameters on the recorded cycles, and say which ones the
record identifies.

The loss of a parameter set on a cycle is the continuous ranked probability score of the
simulated days to the cabinet against the record's, in log days (:func:`crps_log_days`: the
whole distribution is scored, not only its median), plus the negative log probability the
model gives the record's Prime Minister outcome (the bloc that nominated him, or
``consensus``): ``CRPS(ln days, ln d) − ln(p + 0.01)``;
a replay from the lists as elected adds ``− ln(q + 0.01)``, with *q* the share of races that
end in the recorded blocs (:func:`muhasasa.formation.blocs.p_recorded_blocs`).
One set serves every cycle. It is fitted by **coordinate descent on the pack's grid**
(``formation/parameters.toml``, ``[grid]``): each parameter in turn is moved across its grid
with the others held, which traces its *profile* of the total loss. The profile's spread is
compared with the Monte Carlo noise of the loss (the same point scored with two other seeds):

* a spread above twice the noise **identifies** the parameter, and its best grid value is kept;
* a spread within the noise is **flat**: the record does not tell the values apart, the
  parameter keeps its starting value, and the report says so (never the grid's first point).

:func:`leave_one_out` refits on all cycles but one and scores the held-out cycle; what the
other cycles leave flat is unknown out of sample, so the held-out cycle's runs draw it from its
grid (:func:`run_uncertain`).
"""

from __future__ import annotations

import datetime as dt
import math
import multiprocessing
import statistics
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace

import numpy as np

from muhasasa import packs
from muhasasa.formation.blocs import p_recorded_blocs
from muhasasa.formation.model import Government, Parameters, Scenario, Simulator, run_many
from muhasasa.formation.replay import calibrated_parameters, summarise
from muhasasa.formation.setup import prepare, replayable_cycles
from muhasasa.packs.schema.history import CONSENSUS

__all__ = ["Calibration", "CycleFit", "Profile", "calibrate", "crps_log_days", "cycle_fit", "grid", "held_out",
           "leave_one_out", "run_uncertain", "scripted_events"]


@dataclass(frozen=True)
class CycleFit:
    """How a parameter set fits one cycle."""

    cycle: str
    record_pm: str | None
    modal_pm: str | None
    p_record_pm: float
    record_days: int
    median_days: float | None
    p10_days: float | None
    p90_days: float | None
    formed: float
    loss: float
    #: the record's PM was acceptable to every outside player (None: the cycle has no positions),
    #: and the share of runs whose confirmed nominee has the record's acceptability
    record_acceptable: bool | None = None
    p_record_acceptable: float | None = None
    #: a replay from the lists as elected: the share of races that end in the recorded blocs
    #: (its ``−ln(p + 0.01)`` is part of the loss)
    p_record_blocs: float | None = None

    def as_dict(self) -> dict:
        blocs = {} if self.p_record_blocs is None else {"p_record_blocs": round(self.p_record_blocs, 4)}
        return {**blocs, "cycle": self.cycle, "record_pm": self.record_pm, "modal_pm": self.modal_pm,
                "p_record_pm": round(self.p_record_pm, 4), "days_record": self.record_days,
                "days_median": self.median_days, "days_p10": self.p10_days, "days_p90": self.p90_days,
                "days_inside_p10_p90": (self.p10_days is not None and self.p90_days is not None
                                        and self.p10_days <= self.record_days <= self.p90_days),
                "formed": round(self.formed, 4), "loss": round(self.loss, 4),
                "record_acceptable": self.record_acceptable,
                "p_record_acceptable": None if self.p_record_acceptable is None else round(self.p_record_acceptable, 4)}


@dataclass(frozen=True)
class Profile:
    """The total loss along one parameter's grid, the others held at the fitted values."""

    parameter: str
    values: tuple[float, ...]
    losses: tuple[float, ...]
    noise: float
    chosen: float

    @property
    def spread(self) -> float:
        return max(self.losses) - min(self.losses)

    @property
    def identified(self) -> bool:
        """Whether the record tells the grid's values apart (spread above twice the noise)."""
        return self.spread > 2 * self.noise

    def as_dict(self) -> dict:
        return {"parameter": self.parameter, "identified": self.identified,
                "verdict": "identified" if self.identified else "flat", "chosen": self.chosen,
                "values": list(self.values), "losses": [round(x, 3) for x in self.losses],
                "spread": round(self.spread, 3), "noise": round(self.noise, 3)}


@dataclass(frozen=True)
class Calibration:
    """A fitted parameter set, its fit per cycle and each parameter's profile."""

    parameters: Parameters
    fits: dict[str, CycleFit]
    profiles: tuple[Profile, ...]
    runs: int
    seed: int

    def as_dict(self) -> dict:
        return {"runs": self.runs, "seed": self.seed, "parameters": self.parameters.as_dict(),
                "fits": [f.as_dict() for f in self.fits.values()],
                "profiles": [p.as_dict() for p in self.profiles]}


def grid(pack: packs.PackLike = None) -> dict[str, tuple[float, ...]]:
    """The calibration grid of the pack (``formation/parameters.toml``)."""
    return {name: tuple(float(v) for v in values)
            for name, values in packs.load(pack).formation_parameters().grid.items()}


#: races drawn per formation run when a replay from the lists is scored against the recorded
#: blocs: a race costs a few logit draws, against a bargaining run's hundreds, so more of them cut
#: the Monte Carlo noise of the race's term (which decides whether merge, rival_candidates and
#: cross_community are identified) at little cost
RACES_PER_RUN = 4

_PREPARED: dict[tuple[str, int, bool, bool], tuple[packs.Pack, Scenario]] = {}


def scripted_events(cycle: str, pack: packs.PackLike = None) -> tuple[str, ...]:
    """The removable events a replay scripts (members' resignations, outside vetoes)."""
    return tuple(e.id for e in packs.load(pack).events(cycle) if e.removable
                 and (e.kind == "outside-veto" or (e.kind == "resignation" and e.payload.get("office") == "members")))


def _scenario(cycle: str, pack: packs.Pack, elected: bool = False, scripts: bool = True) -> Scenario:
    """The cycle's prepared scenario, once per pack (the bargaining tables depend on the
    parameters and are built by each Simulator); ``elected``: from the lists as elected;
    ``scripts=False``: without the scripted resignations and vetoes."""
    key = (cycle, id(pack), elected, scripts)
    if key not in _PREPARED:
        without = () if scripts else scripted_events(cycle, pack)
        _PREPARED[key] = (pack, prepare(cycle, pack=pack, elected=elected, without=without))
    return _PREPARED[key][1]


def record_outcome(cycle: str, pack: packs.PackLike = None) -> str | None:
    """The record's Prime Minister outcome in the model's terms: the actor that stands for
    the bloc that nominated him, or ``consensus``."""
    chosen = packs.load(pack)
    record = chosen.cycle(cycle)
    if record.pm_bloc is None or record.pm_bloc == CONSENSUS:
        return record.pm_bloc
    try:
        return chosen.actors(cycle).actor_of(record.pm_bloc)
    except Exception:  # noqa: BLE001 - a bloc the actors do not stand for is compared as written
        return record.pm_bloc


def record_acceptable(cycle: str, pack: packs.PackLike = None) -> bool | None:
    """Whether the record's Prime Minister was acceptable to every outside player: no player's
    latest position on him (by name) is a rejection; None when the cycle has no positions."""
    chosen = packs.load(pack)
    record = chosen.cycle(cycle)
    outside = chosen.outside(chosen.body_of(record.election).id)
    rows = outside.of_cycle(cycle) if outside is not None else ()
    if not rows:
        return None
    latest: dict[str, bool] = {}
    for row in sorted((r for r in rows if r.nominee == record.pm_name), key=lambda r: r.date or dt.date.min):
        latest[row.player] = row.rejects
    return not any(latest.values())


def crps_log_days(days: Sequence[float], record: float) -> float:
    """The continuous ranked probability score of simulated days against the record's, in log
    days (Gneiting and Raftery 2007): the mean distance of a draw from the record less half the
    mean distance between two draws. A point mass at *m* scores ``|ln m − ln d|``; of two
    distributions with the same median, the one whose spread covers the record scores less.
    A day is counted as at least 1 (a cabinet on its cycle's first day has no logarithm)."""
    if len(days) == 0:
        raise ValueError("no simulated days to score")
    x = np.sort(np.log(np.maximum(np.asarray(days, dtype=float), 1.0)))
    n = len(x)
    between = 2.0 * float(np.dot(2 * np.arange(1, n + 1) - n - 1, x)) / n ** 2  # E|X − X'| from the order statistics
    return float(np.mean(np.abs(x - math.log(max(record, 1)))) - between / 2)


def cycle_fit(cycle: str, summary: dict, days: Sequence[float], pack: packs.PackLike = None) -> CycleFit:
    """The loss of one cycle's simulated summary against the record: the days (``days``: every
    run's days to the cabinet, a run not formed counted at its horizon; scored by
    :func:`crps_log_days`), the PM outcome, and, where the cycle has outside players' positions,
    whether the confirmed nominee is acceptable to every player as the record's was."""
    record = packs.load(pack).cycle(cycle)
    target = record.days_election_to_cabinet or record.days_trigger_to_cabinet  # a mid-term cycle: from its trigger
    day_error = crps_log_days(days, target)
    median = summary["days"]["median"]
    outcome = record_outcome(cycle, pack)
    p_pm = summary["pm_bloc"].get(outcome, 0.0) if outcome is not None else 0.0
    modal = next(iter(summary["pm_bloc"]), None)
    acceptable = record_acceptable(cycle, pack)
    share = summary.get("outside", {}).get("acceptable_to_all")
    p_acceptable = None
    loss = day_error - math.log(p_pm + 0.01)
    if acceptable is not None:
        p_acceptable = 0.0 if share is None else (share if acceptable else 1 - share)
        loss -= math.log(p_acceptable + 0.01)
    return CycleFit(cycle, outcome, modal, p_pm, target, median, summary["days"]["p10"], summary["days"]["p90"],
                    summary["formed"], loss, acceptable, p_acceptable)


def evaluate(params: Parameters, cycles: Sequence[str], runs: int, seed: int,
             pack: packs.PackLike = None, elected: bool = False, scripts: bool = True) -> dict[str, CycleFit]:
    """The fit of one parameter set on each cycle."""
    chosen = packs.load(pack)
    return {cycle: _fit(cycle, params, runs, seed, chosen, elected, scripts, {})[0] for cycle in cycles}


def run_uncertain(simulator: Simulator, uncertain: Mapping[str, Sequence[float]], runs: int,
                  seed: int) -> list[Government]:
    """``runs`` formations as :func:`run_many` (the same stream per run), each with the
    ``uncertain`` parameters drawn uniformly from their values: the predictive of a parameter the
    record leaves flat is a mixture over its grid, not its starting value."""
    if not uncertain:
        return run_many(simulator, runs, seed)
    *streams, draws = np.random.SeedSequence(seed).spawn(runs + 1)  # the runs' streams as run_many's, and one more
    pick = np.random.default_rng(draws)
    simulators: dict[tuple[float, ...], Simulator] = {}
    out = []
    for stream in streams:
        values = {name: float(pick.choice(np.asarray(grid_values, dtype=float)))
                  for name, grid_values in uncertain.items()}
        key = tuple(values.values())
        if key not in simulators:
            simulators[key] = Simulator(simulator.scenario, replace(simulator.params, **values))
        out.append(simulators[key].run(np.random.default_rng(stream)))
    return out


def _fit(cycle: str, params: Parameters, runs: int, seed: int, pack: packs.Pack, elected: bool, scripts: bool,
         uncertain: Mapping[str, Sequence[float]]) -> tuple[CycleFit, list[Government]]:
    """One cycle's fit and the runs behind it."""
    scenario = _scenario(cycle, pack, elected, scripts)
    governments = run_uncertain(Simulator(scenario, params), uncertain, runs, seed)
    fit = _scored(cycle, scenario, governments, pack)
    if scenario.race is not None:  # blocs formed inside the model are compared with the recorded ones
        p = p_recorded_blocs(scenario, params, RACES_PER_RUN * runs, seed)
        fit = replace(fit, p_record_blocs=p, loss=fit.loss - math.log(p + 0.01))
    return fit, governments


def _scored(cycle: str, scenario: Scenario, governments: Sequence[Government], pack: packs.Pack) -> CycleFit:
    """The fit of a cycle's runs, without the race's term."""
    horizon = scenario.days_to_first_session + scenario.horizon_days  # a run not formed ends there
    days = [g.days if g.formed and g.days is not None else horizon for g in governments]
    return cycle_fit(cycle, summarise(governments), days, pack)


def _total(fits: dict[str, CycleFit]) -> float:
    return sum(f.loss for f in fits.values())


def calibrate(
    runs: int = 100,
    seed: int = 0,
    *,
    cycles: Sequence[str] | None = None,
    start: Parameters | None = None,
    sweeps: int = 2,
    pack: packs.PackLike = None,
    progress: Callable[[str], None] | None = None,
    elected: bool = False,
    scripts: bool = True,
) -> Calibration:
    """Coordinate descent on the pack's grid, from ``start`` (the pack's calibrated set),
    over ``cycles`` (every replayable cycle); each parameter's last profile is reported."""
    chosen_pack = packs.load(pack)
    cycles = tuple(cycles or replayable_cycles(chosen_pack))
    current = start or calibrated_parameters(chosen_pack)
    axes = grid(chosen_pack)
    profiles: dict[str, Profile] = {}
    for _ in range(sweeps):
        moved = False
        for name, values in axes.items():
            noise = statistics.pstdev(_total(evaluate(current, cycles, runs, s, chosen_pack, elected, scripts))
                                      for s in (seed, seed + 1, seed + 2))
            losses = tuple(_total(evaluate(replace(current, **{name: v}), cycles, runs, seed, chosen_pack, elected, scripts))
                           for v in values)
            profile = Profile(name, values, losses, noise, getattr(current, name))
            if profile.identified:
                best = values[min(range(len(values)), key=losses.__getitem__)]
                moved |= best != getattr(current, name)
                current = replace(current, **{name: best})
                profile = replace(profile, chosen=best)
            profiles[name] = profile
            if progress:
                progress(f"{name}: {'identified' if profile.identified else 'flat'}, {profile.chosen}")
        if not moved:
            break
    fits = evaluate(current, cycles, runs, seed, chosen_pack, elected, scripts)
    return Calibration(current, fits, tuple(profiles.values()), runs, seed)


def leave_one_out(
    runs: int = 100,
    seed: int = 0,
    *,
    sweeps: int = 1,
    pack: packs.PackLike = None,
    progress: Callable[[str], None] | None = None,
    elected: bool = False,
    scripts: bool = True,
    workers: int = 1,
) -> list[dict]:
    """For each replayable cycle: refit on the others, then score it out of sample — the
    probability of the record's PM outcome, the modal outcome, and the record's days against
    the simulated p10–p90, each parameter the others leave flat drawn from its grid
    (:func:`held_out`). One row per held-out cycle. ``workers`` > 1 refits the folds in as many
    processes; each fold is seeded alike, so the rows do not depend on it."""
    chosen = packs.load(pack)
    cycles = tuple(replayable_cycles(chosen))
    folds = [(held, cycles, runs, seed, sweeps, elected, scripts) for held in cycles]

    def report(row: dict) -> None:
        if progress:
            progress(f"{row['cycle']}: record {row['record_pm']} p={row['p_record_pm']}, modal {row['modal_pm']}")

    if workers <= 1 or len(folds) <= 1:
        rows = []
        for fold in folds:
            rows.append(held_out(*fold, pack=chosen))
            report(rows[-1])
        return rows
    source = chosen.id if chosen.display == f"packs/{chosen.id}" else str(chosen.root)  # what a process reloads
    done: dict[str, dict] = {}
    context = multiprocessing.get_context("spawn")  # no fork of a process that may run threads (the explorer)
    with ProcessPoolExecutor(max_workers=min(workers, len(folds)), mp_context=context) as pool:
        pending = [pool.submit(held_out, *fold, pack=source) for fold in folds]
        for future in as_completed(pending):
            row = future.result()
            done[row["cycle"]] = row
            report(row)
    return [done[held] for held in cycles]


def held_out(held: str, cycles: Sequence[str], runs: int, seed: int, sweeps: int, elected: bool, scripts: bool,
             *, pack: packs.PackLike = None) -> dict:
    """One fold of :func:`leave_one_out`: refit on ``cycles`` but ``held``, score ``held``.

    A parameter the other cycles leave flat is not known out of sample: the held-out cycle is
    scored on the mixture over its grid (:func:`run_uncertain`); the same runs at the fold's
    fixed values are reported beside it (``fixed``)."""
    chosen = packs.load(pack)
    # start from the model's neutral defaults, not the pack's set (fitted on every cycle,
    # the held-out one included): a parameter the other cycles leave flat keeps a value
    # the held-out cycle did not choose
    fitted = calibrate(runs, seed, cycles=[c for c in cycles if c != held], sweeps=sweeps, pack=chosen,
                       start=Parameters(), elected=elected, scripts=scripts)
    flat = [p.parameter for p in fitted.profiles if not p.identified]
    axes = grid(chosen)
    fit, governments = _fit(held, fitted.parameters, runs, seed, chosen, elected, scripts,
                            {name: axes[name] for name in flat})
    scenario = _scenario(held, chosen, elected, scripts)  # the fixed set's runs: `fixed` keeps no race share
    fixed = _scored(held, scenario, run_many(Simulator(scenario, fitted.parameters), runs, seed), chosen).as_dict()
    row = fit.as_dict()
    row["parameters"] = fitted.parameters.as_dict()
    row["flat"] = flat
    row["fixed"] = {key: fixed[key] for key in ("modal_pm", "p_record_pm", "days_p10", "days_median", "days_p90",
                                                "days_inside_p10_p90")}
    simulated = summarise(governments)
    row["simulated_pm"] = {k: round(v, 4) for k, v in Counter(simulated["pm_bloc"]).most_common(5)}
    if "formateur" in simulated:
        row["formateur"] = {k: round(v, 4) for k, v in simulated["formateur"].items()}
    return row
