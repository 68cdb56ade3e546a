"""Benchmark: 10,000 full formation runs of the 2021 parliament (the 2022 cycle).

Prints a table and writes benchmarks/results/formation.json. Target: under 10 s
on the project's 2-core machine.

    python benchmarks/bench_formation.py [--runs 10000] [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from machine import machine_info

from muhasasa.formation.model import Simulator, run_many
from muhasasa.formation.replay import calibrated_parameters, summarise
from muhasasa.formation.setup import prepare

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rows = []
    for label, without in (("2022 as recorded", ()), ("2022 without the Sadrist resignation", ("sadrist-resignation",))):
        start = time.perf_counter()
        simulator = Simulator(prepare("2022", without=without), calibrated_parameters())
        prepared = time.perf_counter() - start
        governments = run_many(simulator, args.runs, args.seed)
        total = time.perf_counter() - start
        summary = summarise(governments)
        rows.append({"scenario": label, "runs": args.runs, "seconds": round(total, 3),
                     "prepare_seconds": round(prepared, 3), "per_run_ms": round(1000 * total / args.runs, 3),
                     "median_days": summary["days"]["median"], "pm_bloc": summary["pm_bloc"]})
    print(f"{'scenario':40} {'runs':>6} {'seconds':>8} {'ms/run':>7} {'median days':>12}  target < 10 s")
    for r in rows:
        print(f"{r['scenario']:40} {r['runs']:6} {r['seconds']:8.2f} {r['per_run_ms']:7.3f} "
              f"{r['median_days']:12.0f}  {'met' if r['seconds'] < 10 else 'MISSED'}")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "formation.json").write_text(json.dumps({
        "machine": machine_info(),
        "rows": rows}, indent=2), encoding="utf-8")
    print(f"wrote {out / 'formation.json'}")


if __name__ == "__main__":
    main()
