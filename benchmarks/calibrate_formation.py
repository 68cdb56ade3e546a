"""Calibrate the formation model on the recorded cycles, report which parameters the record
identifies, and write the parameters.

Coordinate descent on the pack's grid (muhasasa.formation.calibration), one parameter set
for all cycles; prints each parameter's profile (identified, or flat within the Monte Carlo
noise: then the starting value is kept), the fit per cycle, and with --leave-one-out the
out-of-sample table; writes the body's formation/parameters.toml ([parameters] only, the
grid kept) and benchmarks/results/formation_fit.json.

    python benchmarks/calibrate_formation.py [--runs 60] [--seed 0] [--sweeps 2] [--leave-one-out]
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

from muhasasa import packs
from muhasasa.formation.calibration import calibrate, leave_one_out

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sweeps", type=int, default=2)
    parser.add_argument("--leave-one-out", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="do not rewrite parameters.toml")
    args = parser.parse_args()
    start = time.perf_counter()
    fitted = calibrate(args.runs, args.seed, sweeps=args.sweeps)
    elapsed = time.perf_counter() - start
    print(f"calibrated in {elapsed:.0f} s ({args.runs} runs per cycle and point, seed {args.seed})")
    print(f"{'parameter':16} {'verdict':10} {'chosen':>7}  losses along the grid (noise)")
    for p in fitted.profiles:
        losses = ", ".join(f"{v:g}: {x:.2f}" for v, x in zip(p.values, p.losses))
        print(f"{p.parameter:16} {'identified' if p.identified else 'flat':10} {p.chosen:7g}  {losses} "
              f"(spread {p.spread:.2f}, noise {p.noise:.2f})")
    print(f"\n{'cycle':6} {'record PM':24} {'P(record)':>9} {'modal':24} {'days':>5} {'p10-p90':>12}")
    for f in fitted.fits.values():
        print(f"{f.cycle:6} {f.record_pm!s:24} {f.p_record_pm:9.2f} {f.modal_pm!s:24} {f.record_days:5} "
              f"{f.p10_days or 0:5.0f}-{f.p90_days or 0:<6.0f}")
    result = {**fitted.as_dict(), "seconds": elapsed}
    if args.leave_one_out:
        start = time.perf_counter()
        rows = leave_one_out(args.runs, args.seed)
        result["leave_one_out"] = rows
        result["leave_one_out_seconds"] = time.perf_counter() - start
        print(f"\nleave one out ({result['leave_one_out_seconds']:.0f} s)")
        for r in rows:
            print(f"{r['cycle']:6} {r['record_pm']!s:24} {r['p_record_pm']:9.2f} {r['modal_pm']!s:24} "
                  f"{r['days_record']:5} {r['days_p10'] or 0:5.0f}-{r['days_p90'] or 0:<6.0f}")
    if not args.no_write:
        found = packs.load("iraq").body().file("formation", "parameters.toml")
        assert found is not None
        target = ROOT / "src" / "muhasasa" / found[0]
        text = target.read_text(encoding="utf-8")
        for name, value in fitted.parameters.as_dict().items():
            text = re.sub(rf'^{name} = "[^"]*"', f'{name} = "{value:g}"', text, count=1, flags=re.MULTILINE)
        text = re.sub(r"^# \(.*\); see docs/formation.md.$",
                      f"# (coordinate descent on [grid], {args.runs} runs per cycle and point, seed {args.seed}, "
                      f"{args.sweeps} sweeps); see docs/formation.md.", text, count=1, flags=re.MULTILINE)
        tmp = target.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
        print(f"wrote {target}")
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    (results / "formation_fit.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"wrote {results / 'formation_fit.json'}")


if __name__ == "__main__":
    main()
