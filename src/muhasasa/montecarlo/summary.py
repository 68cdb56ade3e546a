"""Results of a run and their summaries: seat distributions with their quantiles, the
probabilities of each quota with their Monte Carlo errors, and the government outcomes."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from muhasasa.errors import InputError
from muhasasa.montecarlo.formation import FormationRow
from muhasasa.montecarlo.plan import CHUNK, Plan
from muhasasa.scenarios import Scenario

__all__ = ["TOP_OUTCOMES", "Result", "Tally", "quantile", "se", "summarise"]

#: Government outcomes (PM bloc, coalition) listed one by one; the rest are summed as "other".
TOP_OUTCOMES = 12


@dataclass(frozen=True)
class Result:
    """The draws of one scenario, their summaries and what produced them.

    ``lists`` is (draws, lists) national seats, ``players`` (draws, players) seats per bloc
    or unaligned list; ``formation`` one row per draw that went through formation
    (draw, PM bloc, formed, days, coalition). The draws are kept only when the run was not
    streamed to a folder and has at most :data:`~muhasasa.montecarlo.plan.KEEP_DRAWS` draws
    (else ``lists`` and ``players`` are None and ``formation`` is empty); the summaries are
    always complete. ``folder`` is the result folder a streamed run was written to;
    ``formation_runs`` counts the draws that went through formation; ``seconds`` is the
    time spent computing the draws (summed over chunks) and ``write_seconds`` writing them.
    """

    scenario: Scenario
    plan: Plan
    seed: int
    draws: int
    workers: int
    lists: np.ndarray | None
    players: np.ndarray | None
    formation: tuple[FormationRow, ...]
    base_lists: np.ndarray
    base_players: np.ndarray
    summary: tuple[dict, ...] = field(default=())
    governments: tuple[dict, ...] = field(default=())
    formation_runs: int = 0
    folder: Path | None = None
    seconds: float = 0.0
    write_seconds: float = 0.0

    def row(self, level: str, player: str) -> dict:
        """The summary row of one list (``level="list"``) or bloc-stage player (``"bloc"``)."""
        for r in self.summary:
            if r["level"] == level and r["player"] == player:
                return r
        raise InputError("player", f"no {level} {player!r} in this result")

    def meta(self) -> dict:
        t = self.scenario.table
        return {
            "scenario": self.scenario.source, "title": self.scenario.title,
            "description": self.scenario.description, "base": self.scenario.base,
            "law": self.scenario.law.id, "level": t.level, "exact": t.exact, "label": t.label,
            "basis": t.basis, "reasons": list(t.reasons), "notes": list(t.notes),
            "held_districts": list(t.held_districts), "seed": self.seed, "draws": self.draws,
            "chunk": CHUNK, "workers": self.workers, "uncertainty": self.scenario.uncertainty.as_dict(),
            "tie_break": self.plan.tie_break, "house_size": self.plan.house_size, "quotas": dict(self.plan.quotas),
            "bloc_map": self.scenario.bloc_map.id if self.scenario.bloc_map is not None else None,
            "formation": None if self.plan.formation is None else {
                "cycle": self.plan.formation.cycle, "without_events": list(self.plan.formation.without),
                "convention": self.plan.formation.convention,
                "draws_with_formation": self.formation_runs,
                "left_out": list(self.plan.formation.left_out),
                "note": ("every draw went through one formation run" if self.formation_runs == self.draws else
                         f"the first {self.formation_runs} draws went through one formation run each, with their "
                         "own parliament (formation_draws)")
                + (f"; the seats of {', '.join(self.plan.formation.left_out)} (no actor of the cycle) sit out"
                   if self.plan.formation.left_out else ""),
            },
            "interventions": [iv.describe() for iv in self.scenario.interventions],
            "versions": versions(),
        }


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("muhasasa", "numpy"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:  # pragma: no cover
            out[name] = "unknown"
    return out


def se(p: float, n: int) -> float:
    return math.sqrt(max(p * (1.0 - p), 0.0) / n) if n else float("nan")


def quantile(counts: np.ndarray, q: float) -> int:
    """The ``q`` quantile of the values ``0, 1, ...`` counted ``counts`` times, as
    ``numpy.quantile(..., method="inverted_cdf")`` gives it on the values themselves: the
    smallest value whose cumulative count reaches ``n * q`` (and at least one draw).

    >>> quantile(np.array([2, 0, 3]), 0.5), float(np.quantile([0, 0, 2, 2, 2], 0.5, method="inverted_cdf"))
    (2, 2.0)
    """
    cumulative = np.cumsum(counts)
    target = cumulative[-1] * q
    return int(np.flatnonzero((cumulative >= target) & (cumulative > 0))[0])


class Tally:
    """Running totals of a run, fed chunk by chunk: the histogram of each player's seats
    (seats are whole numbers up to the house size, so the histogram is the distribution
    itself: means, quantiles and quota probabilities come from it exactly) and the counts
    of the government outcomes. Memory does not grow with the number of draws."""

    def __init__(self, lists: int, players: int, house_size: int) -> None:
        self.size = house_size + 1
        self.lists = np.zeros((lists, self.size), dtype=np.int64)
        self.players = np.zeros((players, self.size), dtype=np.int64)
        self.draws = 0
        self.runs = 0
        self.formed = 0
        self.outcomes: dict[str, dict[str, int]] = {"pm_bloc": {}, "coalition": {}}
        self.days: dict[int, int] = {}

    def _add(self, hist: np.ndarray, seats: np.ndarray) -> None:
        width = seats.shape[1]
        codes = np.clip(seats, 0, self.size - 1) + np.arange(width) * self.size
        hist += np.bincount(codes.ravel(), minlength=width * self.size).reshape(width, self.size)

    def add(self, lists: np.ndarray, players: np.ndarray, formation: Sequence[FormationRow]) -> None:
        """One chunk: (draws, lists) and (draws, players) seats and its formation runs."""
        self._add(self.lists, lists)
        self._add(self.players, players)
        self.draws += lists.shape[0]
        for f in formation:
            self.runs += 1
            if f.formed:
                self.formed += 1
                for key in ("pm_bloc", "coalition"):
                    counts = self.outcomes[key]
                    value = getattr(f, key)
                    counts[value] = counts.get(value, 0) + 1
                self.days[f.days] = self.days.get(f.days, 0) + 1

    def governments(self) -> list[dict]:
        """The government outcomes: formed, the PM's bloc, the coalition, the days taken."""
        n = self.runs
        if not n:
            return []
        out = [{"outcome": "formed", "value": "yes", "probability": self.formed / n,
                "se": se(self.formed / n, n), "runs": n}]
        for key in ("pm_bloc", "coalition"):
            ranked = sorted(self.outcomes[key].items(), key=lambda kv: (-kv[1], kv[0]))
            shown, rest = ranked[:TOP_OUTCOMES], sum(c for _, c in ranked[TOP_OUTCOMES:])
            for value, c in shown + ([(f"other ({len(ranked) - TOP_OUTCOMES})", rest)] if rest else []):
                out.append({"outcome": key, "value": value, "probability": c / n, "se": se(c / n, n), "runs": n})
        if self.days:
            values = sorted(self.days)
            counts = np.array([self.days[v] for v in values])
            for label, qv in (("days_p10", 0.1), ("days_median", 0.5), ("days_p90", 0.9)):
                out.append({"outcome": label, "value": str(values[quantile(counts, qv)]),
                            "probability": float("nan"), "se": float("nan"), "runs": n})
        return out


def summarise(level: str, names: Sequence[str], labels: Sequence[str], communities: Sequence[str],
              hist: np.ndarray, base: np.ndarray, quotas: Mapping[str, int]) -> list[dict]:
    """One summary row per player that holds a seat in some draw or in the base: its base
    seats, mean, sd, 5th/50th/95th percentiles and the probability (with its error) of
    reaching each quota, from the seat histograms ``hist`` (players x seats)."""
    n = int(hist[0].sum()) if len(hist) else 0
    values = np.arange(hist.shape[1], dtype=np.float64)
    rows = []
    for j, player in enumerate(names):
        counts = hist[j]
        if not counts[1:].any() and not base[j]:
            continue
        mean = float((counts * np.arange(hist.shape[1])).sum()) / n
        sd = math.sqrt(float((counts * (values - mean) ** 2).sum()) / n)
        row = {"level": level, "player": player, "name": labels[j], "community": communities[j],
               "base_seats": int(base[j]), "mean": mean, "sd": sd,
               "p5": quantile(counts, 0.05), "p50": quantile(counts, 0.5), "p95": quantile(counts, 0.95)}
        for key in ("majority", "two_thirds", "blocking"):
            p = float(counts[quotas[key]:].sum()) / n
            row[f"p_{key}"] = p
            row[f"se_{key}"] = se(p, n)
        rows.append(row)
    rows.sort(key=lambda r: (-r["mean"], r["player"]))
    return rows
