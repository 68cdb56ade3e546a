"""Results of a run and their summaries: seat distributions with their quantiles, the
probabilities of each quota with their Monte Carlo errors, and the government outcomes."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from muhasasa.errors import InputError
from muhasasa.montecarlo.formation import FormationRow
from muhasasa.montecarlo.plan import CHUNK, Plan
from muhasasa.scenarios import Scenario

__all__ = ["TOP_OUTCOMES", "Result", "governments_of", "se", "summarise"]

#: Government outcomes (PM bloc, coalition) listed one by one; the rest are summed as "other".
TOP_OUTCOMES = 12


@dataclass(frozen=True)
class Result:
    """The draws of one scenario, their summaries and what produced them.

    ``lists`` is (draws, lists) national seats, ``players`` (draws, players) seats per bloc
    or unaligned list; ``formation`` one row per draw that went through formation
    (draw, PM bloc, formed, days, coalition).
    """

    scenario: Scenario
    plan: Plan
    seed: int
    draws: int
    workers: int
    lists: np.ndarray
    players: np.ndarray
    formation: tuple[FormationRow, ...]
    base_lists: np.ndarray
    base_players: np.ndarray
    summary: tuple[dict, ...] = field(default=())
    governments: tuple[dict, ...] = field(default=())

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
                "draws_with_formation": len(self.formation),
                "left_out": list(self.plan.formation.left_out),
                "note": ("every draw went through one formation run" if len(self.formation) == self.draws else
                         f"the first {len(self.formation)} draws went through one formation run each, with their "
                         "own parliament (a fresh bargaining table per parliament is costly)")
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


def summarise(level: str, names: Sequence[str], labels: Sequence[str], communities: Sequence[str],
               seats: np.ndarray, base: np.ndarray, quotas: Mapping[str, int]) -> list[dict]:
    n = seats.shape[0]
    rows = []
    q = np.quantile(seats, [0.05, 0.5, 0.95], axis=0, method="inverted_cdf") if n else None
    for j, player in enumerate(names):
        column = seats[:, j]
        if not column.any() and not base[j]:
            continue
        row = {"level": level, "player": player, "name": labels[j], "community": communities[j],
               "base_seats": int(base[j]), "mean": float(column.mean()), "sd": float(column.std()),
               "p5": int(q[0, j]), "p50": int(q[1, j]), "p95": int(q[2, j])}
        for key, quota in (("majority", quotas["majority"]), ("two_thirds", quotas["two_thirds"]),
                           ("blocking", quotas["blocking"])):
            p = float((column >= quota).mean())
            row[f"p_{key}"] = p
            row[f"se_{key}"] = se(p, n)
        rows.append(row)
    rows.sort(key=lambda r: (-r["mean"], r["player"]))
    return rows


def governments_of(formation: Sequence[FormationRow]) -> list[dict]:
    n = len(formation)
    if not n:
        return []
    out = []
    formed = sum(1 for f in formation if f.formed)
    out.append({"outcome": "formed", "value": "yes", "probability": formed / n, "se": se(formed / n, n), "runs": n})
    for key in ("pm_bloc", "coalition"):
        counts: dict[str, int] = {}
        for f in formation:
            if f.formed:
                value = getattr(f, key)
                counts[value] = counts.get(value, 0) + 1
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        shown, rest = ranked[:TOP_OUTCOMES], sum(c for _, c in ranked[TOP_OUTCOMES:])
        for value, c in shown + ([(f"other ({len(ranked) - TOP_OUTCOMES})", rest)] if rest else []):
            out.append({"outcome": key, "value": value, "probability": c / n, "se": se(c / n, n), "runs": n})
    days = sorted(f.days for f in formation if f.formed)
    if days:
        for label, qv in (("days_p10", 0.1), ("days_median", 0.5), ("days_p90", 0.9)):
            out.append({"outcome": label, "value": str(int(np.quantile(days, qv, method="inverted_cdf"))),
                        "probability": float("nan"), "se": float("nan"), "runs": n})
    return out


