"""Calibrate the formation model on the recorded cycles and write the parameters.

Grid search over the model's four free parameters (muhasasa.formation.calibration),
one parameter set for all cycles; prints the fit table, in sample and out of sample
(leave one cycle out), and writes src/muhasasa/packs/iraq/formation/parameters.toml
and benchmarks/results/formation_fit.json.

    python benchmarks/calibrate_formation.py [--runs 100] [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from muhasasa.formation.calibration import GRID, calibrate

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    start = time.perf_counter()
    params, fitted, held_out = calibrate(args.runs, args.seed)
    elapsed = time.perf_counter() - start
    print(f"calibrated in {elapsed:.0f} s over {len(list(__import__('itertools').product(*GRID.values())))} grid points")
    print(f"{'cycle':6} {'record PM':24} {'days':>5} | {'P(PM) in':>8} {'median':>7} | {'P(PM) out':>9} {'median':>7}")
    for cycle, fit in fitted.items():
        out = held_out[cycle]
        fmt = lambda p: "n/a" if p is None else f"{p:.2f}"
        print(f"{cycle:6} {str(fit.record_pm):24} {fit.record_days:5} | {fmt(fit.p_record_pm):>8} "
              f"{fit.median_days or 0:7.0f} | {fmt(out.p_record_pm):>9} {out.median_days or 0:7.0f}")
    target = ROOT / "src" / "muhasasa" / "packs" / "iraq" / "formation" / "parameters.toml"
    lines = [
        "# Formation model parameters, calibrated by benchmarks/calibrate_formation.py",
        f"# (grid search, {args.runs} runs per cycle and grid point, seed {args.seed}); see docs/formation.md.",
        "[parameters]",
    ]
    lines += [f'{k} = "{v}"' for k, v in params.as_dict().items()]
    lines += ["", "[grid]"] + [f"{k} = {json.dumps([str(x) for x in v])}" for k, v in GRID.items()]
    tmp = target.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(target)
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    (results / "formation_fit.json").write_text(json.dumps({
        "parameters": params.as_dict(), "runs": args.runs, "seed": args.seed, "seconds": elapsed,
        "in_sample": {c: f.__dict__ for c, f in fitted.items()},
        "leave_one_out": {c: f.__dict__ for c, f in held_out.items()},
    }, indent=2), encoding="utf-8")
    print(f"wrote {target} and {results / 'formation_fit.json'}")


if __name__ == "__main__":
    main()
