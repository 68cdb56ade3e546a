"""Benchmark: formation on every Monte Carlo draw, with and without shared parliaments.

Each draw of a scenario with an uncertainty model holds its own parliament; each new
bloc-level parliament needs its own bargaining tables. Rows, in one run:

``plain``    the per-draw path: one prepared scenario and one simulator per draw (the way
             every draw was formed before; ``shared=False`` in the plan), in one process;
``shared``   the shared path on the same draws (a fresh process cache): parliaments with the
             same seats per actor share a scenario and its tables, and tables share their
             parts (:mod:`muhasasa.formation.batch`); the rows must equal ``plain``'s;
``steady``   the shared path over more draws, its cache warm (what a worker sees);
``cli``      the command ``muhasasa simulate EXAMPLE --draws N --workers 2``: wall time and
             the CPU time of the whole process tree (the machine is shared: the CPU time
             over the cores is what an idle machine would take).

Beside them: the distinct bloc-level parliaments among the run's draws (counted from the
draws' seats), and the formation stage's estimate the run checks before it starts.

    python benchmarks/bench_montecarlo_formation.py             # 2026 example, 10,000-draw command
    python benchmarks/bench_montecarlo_formation.py --quick     # 2,000-draw command, fewer plain draws
    python benchmarks/bench_montecarlo_formation.py --with-2022 # also the 2022 cycle (2021 under the 2018 law)

Prints a table and writes ``benchmarks/results/montecarlo_formation.json``. Target (issue
12.4): 10,000 draws of the example through formation in under 60 s on 2 cores, with the
per-draw path's results.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from machine import machine_info

from muhasasa.montecarlo import formation as mcf
from muhasasa.montecarlo.budget import estimate
from muhasasa.montecarlo.plan import CHUNK, make_plan
from muhasasa.montecarlo.run import run_chunk, tasks_of
from muhasasa.scenarios import load_scenario

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "2026_formation_under_uncertainty.toml"
OTHER = ROOT / "examples" / "2021_under_2018_law.toml"
TARGET_SECONDS = 60.0


def timed(plan, draws: int, seed: int):
    """The chunks of ``draws`` draws run in this process: rows, wall and CPU seconds."""
    start, cpu = time.perf_counter(), time.process_time()
    rows = []
    for task in tasks_of(plan, draws, seed):
        rows.extend(run_chunk(plan, task.index, task.first, task.count, task.seeds).formation)
    return rows, time.perf_counter() - start, time.process_time() - cpu


def parliaments(plan, draws: int, seed: int) -> int:
    """Distinct bloc-level parliaments among the run's draws (seats only, no formation)."""
    bare = replace(plan, formation=None)
    keys = set()
    for task in tasks_of(plan, draws, seed):
        lists = run_chunk(bare, task.index, task.first, task.count, task.seeds).lists
        keys.update(mcf.actor_keys(plan.formation, plan, lists))
    return len(keys)


def cli(example: Path, draws: int, workers: int) -> dict:
    """The simulate command in a child process: wall seconds and the tree's CPU seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "muhasasa", "simulate", str(example), "--draws", str(draws),
                          "--workers", str(workers), "--seed", "0"], capture_output=True, text=True, check=False,
                         env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    formed = "every draw went through one formation run" in out.stdout
    # the largest resident memory of any process of the tree (kB on Linux)
    return {"wall_seconds": wall, "cpu_seconds": cpu, "every_draw_formed": formed,
            "largest_process_peak_mib": after.ru_maxrss / 1024}


def case(name: str, example: Path, plain_draws: int, steady_draws: int, cli_draws: int, seed: int) -> dict:
    scenario = load_scenario(example)
    plan = make_plan(scenario, formation=True)
    plain_plan = replace(plan, formation=replace(plan.formation, shared=False))
    print(f"{name}: plain path, {plain_draws} draws ...", file=sys.stderr)
    plain_rows, plain_wall, plain_cpu = timed(plain_plan, plain_draws, seed)
    mcf.batch.cache_clear()
    shared_rows, shared_wall, shared_cpu = timed(plan, plain_draws, seed)
    built = mcf.batch(plan.formation).built
    out = {
        "example": str(example.relative_to(ROOT)), "cycle": plan.formation.cycle,
        "plain": {"draws": plain_draws, "wall_seconds": plain_wall, "cpu_seconds": plain_cpu,
                  "draws_per_second": plain_draws / plain_cpu},
        "shared": {"draws": plain_draws, "wall_seconds": shared_wall, "cpu_seconds": shared_cpu,
                   "draws_per_second": plain_draws / shared_cpu, "parliaments_built": built},
        "identical": plain_rows == shared_rows,
    }
    if steady_draws:
        print(f"{name}: shared path, {steady_draws} draws ...", file=sys.stderr)
        _, steady_wall, steady_cpu = timed(plan, steady_draws, seed + 1)  # new draws, the cache warm
        out["steady"] = {"draws": steady_draws, "wall_seconds": steady_wall, "cpu_seconds": steady_cpu,
                         "draws_per_second": steady_draws / steady_cpu}
    if cli_draws:
        print(f"{name}: distinct parliaments in {cli_draws} draws ...", file=sys.stderr)
        out["distinct_parliaments"] = {"draws": cli_draws, "parliaments": parliaments(plan, cli_draws, 0)}
        first = next(tasks_of(plan, cli_draws, 0))
        pilot = run_chunk(replace(plan, formation=None), first.index, first.first, first.count, first.seeds).lists
        e = estimate(plan, pilot, cli_draws, 2)
        out["estimate"] = {"draws": e.draws, "parliaments": e.parliaments, "per_parliament": e.per_parliament,
                           "per_run": e.per_run, "workers": e.workers, "seconds": e.seconds}
        print(f"{name}: the command, {cli_draws} draws on 2 workers ...", file=sys.stderr)
        out["cli"] = {"draws": cli_draws, "workers": 2, **cli(example, cli_draws, 2)}
        out["plain_projected_cli_seconds"] = cli_draws / out["plain"]["draws_per_second"] / 2
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a 2,000-draw command and 100 plain draws")
    parser.add_argument("--with-2022", action="store_true", help="also the 2022 cycle (slow: 0.2-0.3 s per parliament)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "montecarlo_formation.json")
    args = parser.parse_args()
    plain = 100 if args.quick else 500
    steady = 0 if args.quick else 3 * CHUNK
    draws = 2000 if args.quick else 10_000
    load = os.getloadavg()
    cases = {"2026": case("2026", EXAMPLE, plain, steady, draws, args.seed)}
    if args.with_2022:
        cases["2022"] = case("2022", OTHER, 40 if args.quick else 100, 0, 0, args.seed)
    result = {"machine": machine_info(), "load_average_at_start": load, "load_average_at_end": os.getloadavg(),
              "target_seconds": TARGET_SECONDS, "cases": cases}
    print(f"machine: {result['machine']['platform']}, {result['machine']['cpu_count']} CPUs; "
          f"load average {load[0]:.1f} at start, {result['load_average_at_end'][0]:.1f} at end (shared machine)")
    print(f"{'case':6} {'row':8} {'draws':>7} {'draws/s (CPU)':>14} {'wall s':>8} {'CPU s':>8}  note")
    for name, c in cases.items():
        for row in ("plain", "shared", "steady"):
            if row in c:
                r = c[row]
                note = ""
                if row == "shared":
                    note = (f"identical to plain: {c['identical']}; {r['parliaments_built']} parliaments built; "
                            f"{r['draws_per_second'] / c['plain']['draws_per_second']:.1f}x plain")
                print(f"{name:6} {row:8} {r['draws']:>7} {r['draws_per_second']:>14.1f} {r['wall_seconds']:>8.2f} "
                      f"{r['cpu_seconds']:>8.2f}  {note}")
        if "cli" in c:
            r, d, e = c["cli"], c["distinct_parliaments"], c["estimate"]
            print(f"{name:6} {'cli':8} {r['draws']:>7} {r['draws'] / r['cpu_seconds']:>14.1f} {r['wall_seconds']:>8.2f} "
                  f"{r['cpu_seconds']:>8.2f}  2 workers; CPU/2 = {r['cpu_seconds'] / 2:.1f} s; every draw formed: "
                  f"{r['every_draw_formed']}; largest process {r['largest_process_peak_mib']:.0f} MiB; "
                  f"target < {TARGET_SECONDS:.0f} s")
            print(f"{'':6} {'':8} {'':>7} {d['parliaments']:>14} distinct parliaments in {d['draws']} draws; "
                  f"estimate before the run {e['seconds']:.1f} s ({e['parliaments']} parliaments at "
                  f"{e['per_parliament'] * 1000:.1f} ms, {e['per_run'] * 1000:.2f} ms per run); "
                  f"plain path projected {c['plain_projected_cli_seconds']:.0f} s on 2 workers")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2, default=float) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
