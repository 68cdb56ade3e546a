"""Benchmark: streamed Monte Carlo output, its memory and the write against the computation.

Runs ``examples/2025_southern_turnout.toml`` (multinomial ballot noise, 5 simulated
governorates, 45 lists and a bloc map) with ``--workers`` worker processes and an output
folder, in a child process whose whole process tree is watched:

* **tree peak**: the largest sum of the resident memory of the child and its workers,
  sampled every 0.1 s (the memory the run holds at once);
* **sum of peaks**: the sum over the processes of each one's own peak (``VmHWM``), an
  upper bound of the tree peak that no sampling can miss;
* **compute** (the draws' own time, summed over the chunks, so over the workers) and
  **write** (the time the main process spent writing Parquet), for the library runs.

Rows, in one run:

``cli``      the command itself: ``muhasasa simulate EXAMPLE --draws N --workers W --out DIR``;
``stream``   the same call through the library (``muhasasa.simulate(..., out=DIR)``), which
             reports the compute and write times;
``kept``     the peer: the draws kept in memory, then written (``simulate`` without ``out``,
             then ``write_result``), the way every run was written before streaming.

    python benchmarks/bench_montecarlo.py                     # 10^5 and 10^6 draws, then the 10^7 command
    python benchmarks/bench_montecarlo.py --quick             # 10^4 and 10^5: seconds
    python benchmarks/bench_montecarlo.py --rows stream:1000000 kept:1000000

Prints a table and writes ``benchmarks/results/montecarlo.json``. Target (issues 10 and 12):
the 10^7-draw command peaks under 1.5 GB for the whole tree, and the write takes no longer
than the computation.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
from machine import machine_info

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "2025_southern_turnout.toml"
TARGET_BYTES = 1.5 * 2**30
DEFAULT_ROWS = ("stream:100000", "kept:100000", "stream:1000000", "kept:1000000", "cli:10000000")
QUICK_ROWS = ("stream:10000", "kept:10000", "cli:100000")

CHILD = """
import json, sys, time
from muhasasa import load_scenario, simulate, write_result
mode, example, draws, workers, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
scenario = load_scenario(example)
start = time.perf_counter()
if mode == "stream":
    r = simulate(scenario, draws, 0, workers=workers, out=out)
    write = r.write_seconds
else:
    r = simulate(scenario, draws, 0, workers=workers)
    begin = time.perf_counter()
    write_result(r, out)
    write = time.perf_counter() - begin
print(json.dumps({"compute_seconds": r.seconds, "write_seconds": write,
                  "library_seconds": time.perf_counter() - start}))
"""


class TreeWatch:
    """Samples the resident memory of a process and its descendants until it ends."""

    def __init__(self, pid: int, every: float = 0.1) -> None:
        self.root = psutil.Process(pid)
        self.every = every
        self.peak = 0
        self.peaks: dict[int, int] = {}
        self.processes = 0
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._stop = threading.Event()

    def start(self) -> TreeWatch:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                tree = [self.root, *self.root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            total = 0
            for p in tree:
                try:
                    total += p.memory_info().rss
                    self.peaks[p.pid] = max(self.peaks.get(p.pid, 0), _hwm(p.pid))
                except (psutil.NoSuchProcess, psutil.AccessDenied, FileNotFoundError, ProcessLookupError):
                    continue
            self.processes = max(self.processes, len(self.peaks))
            self.peak = max(self.peak, total)
            self._stop.wait(self.every)


def _hwm(pid: int) -> int:
    """A process's own peak resident memory (VmHWM), in bytes."""
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def run_row(mode: str, draws: int, workers: int, folder: Path) -> dict:
    out = folder / f"{mode}-{draws}"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    if mode == "cli":
        command = [sys.executable, "-m", "muhasasa", "simulate", str(EXAMPLE), "--draws", str(draws),
                   "--workers", str(workers), "--out", str(out), "--format", "json"]
    else:
        command = [sys.executable, "-c", CHILD, mode, str(EXAMPLE), str(draws), str(workers), str(out)]
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                             cwd=ROOT)
    watch = TreeWatch(child.pid).start()
    stdout, stderr = child.communicate()
    wall = time.perf_counter() - start
    watch.stop()
    if child.returncode != 0:
        raise SystemExit(f"{mode} {draws}: exit {child.returncode}\n{stderr[-2000:]}")
    row = {"mode": mode, "draws": draws, "workers": workers, "wall_seconds": round(wall, 2),
           "tree_peak_bytes": watch.peak, "sum_of_peaks_bytes": sum(watch.peaks.values()),
           "processes": watch.processes,
           "draws_parquet_bytes": (out / "draws.parquet").stat().st_size}
    if mode != "cli":
        times = json.loads(stdout.strip().splitlines()[-1])
        row.update({k: round(v, 2) for k, v in times.items()})
    shutil.rmtree(out, ignore_errors=True)
    return row


def _gb(n: int | None) -> str:
    return "-" if n is None else f"{n / 2**30:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", nargs="*", help="MODE:DRAWS items (modes: cli, stream, kept)")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "montecarlo.json")
    args = parser.parse_args()
    items = args.rows or (QUICK_ROWS if args.quick else DEFAULT_ROWS)
    rows = []
    with tempfile.TemporaryDirectory(prefix="muhasasa-bench-") as tmp:
        for item in items:
            mode, _, draws = item.partition(":")
            row = run_row(mode, int(draws), args.workers, Path(tmp))
            rows.append(row)
            print(f"  done {mode} {int(draws):,}: {row['wall_seconds']} s, tree peak {_gb(row['tree_peak_bytes'])} GB",
                  file=sys.stderr, flush=True)
    print(f"{'mode':7} {'draws':>11} {'wall s':>8} {'compute s':>10} {'write s':>8} {'tree GB':>8} "
          f"{'sum peaks GB':>13} {'parquet MB':>11}  target")
    for r in rows:
        meets = r["tree_peak_bytes"] < TARGET_BYTES and ("write_seconds" not in r
                                                         or r["write_seconds"] <= r["compute_seconds"])
        print(f"{r['mode']:7} {r['draws']:11,} {r['wall_seconds']:8.1f} {r.get('compute_seconds', float('nan')):10.1f} "
              f"{r.get('write_seconds', float('nan')):8.1f} {_gb(r['tree_peak_bytes']):>8} "
              f"{_gb(r['sum_of_peaks_bytes']):>13} {r['draws_parquet_bytes'] / 2**20:11.1f}  "
              f"{'met' if meets else 'MISSED'}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps({"machine": machine_info(("pyarrow",)), "example": str(EXAMPLE.name),
                                       "target_tree_bytes": TARGET_BYTES, "rows": rows}, indent=2) + "\n",
                           encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
