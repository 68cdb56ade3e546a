"""What the outside players' vetoes change: a cycle replayed with every player, without each,
and without all (``formation/outside.toml``), side by side.

Each row gives the modal PM outcome and the probability of the record's, the days (median,
p10, p90), the mean failed designations, the share of formed runs whose confirmed nominee no
acting player rejects (``acceptable_to_all``; an unknown stance is no rejection) and the share
of runs in which each player's veto made a nominee withdraw. The same seed serves every row,
so the rows differ by the vetoes and by the random draws they shift.
"""

from __future__ import annotations

from muhasasa import packs
from muhasasa.formation.calibration import record_outcome, scripted_events
from muhasasa.formation.model import Simulator, run_many
from muhasasa.formation.replay import calibrated_parameters, summarise
from muhasasa.formation.setup import prepare

__all__ = ["veto_effects"]


def veto_effects(cycle: str, *, runs: int = 300, seed: int = 0, elected: bool = False, scripts: bool = True,
                 pack: packs.PackLike = None) -> list[dict]:
    """One row per set of players removed: none, each player, all of them."""
    chosen = packs.load(pack)
    outside = chosen.outside(chosen.body_of(chosen.cycle(cycle).election).id)
    players = outside.player_ids if outside is not None else ()
    without = () if scripts else scripted_events(cycle, chosen)
    record = record_outcome(cycle, chosen)
    params = calibrated_parameters(chosen)
    removals: list[tuple[str, ...]] = [(), *((p,) for p in players)]
    if len(players) > 1:
        removals.append(tuple(players))
    rows = []
    for removed in removals:
        scenario = prepare(cycle, pack=chosen, elected=elected, without=without, without_vetoes=removed)
        governments = run_many(Simulator(scenario, params), runs, seed)
        s = summarise(governments)
        outside_summary = s.get("outside", {})
        rows.append({
            "cycle": cycle,
            "without_vetoes": list(removed),
            "players": [p for p in players if p not in removed],
            "record_pm": record,
            "modal_pm": next(iter(s["pm_bloc"]), None),
            "p_record_pm": round(s["pm_bloc"].get(record, 0.0), 4) if record is not None else None,
            **{f"days_{k}": None if s["days"][k] is None else round(s["days"][k], 1) for k in ("median", "p10", "p90")},
            "failed_designations": round(s["failed_designations"], 3),
            "acceptable_to_all": None if outside_summary.get("acceptable_to_all") is None
            else round(outside_summary["acceptable_to_all"], 4),
            "vetoed": {p: round(v, 4) for p, v in outside_summary.get("vetoed", {}).items()},
            "scripts": scripts,
        })
    return rows
