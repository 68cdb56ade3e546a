"""Benchmark the vectorized path: 10,000 national elections at once.

18 governorates sized as 2025, 25 lists, modified Sainte-Laguë (first divisor 1.7):
muhasasa.allocate_batch (exact, ties detected) beside a plain numpy top-k of the
quotient table (float, no tie detection), muhasasa's exact scalar path, and the
PyPI packages apportionment and poli-sci-kit (timed on a subset and extrapolated,
said so in the table). Prints a table and writes benchmarks/results/batch.json.

    python benchmarks/bench_batch.py [--draws 10000] [--subset 300]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from machine import machine_info
from muhasasa import allocate
from muhasasa.methods.batch import allocate_batch

ROOT = Path(__file__).resolve().parents[1]
SEATS = np.array([69, 31, 25, 19, 17, 18, 15, 15, 14, 12, 12, 12, 11, 11, 10, 11, 11, 7])


def numpy_topk(votes: np.ndarray, seats: np.ndarray) -> np.ndarray:
    """The naive vectorized way: the whole quotient table, then the n largest (float)."""
    divisors = np.concatenate(([1.7], 3 + 2 * np.arange(int(seats.max()) - 1)))
    out = np.zeros_like(votes)
    for k, n in enumerate(seats):
        q = votes[:, k, :, None] / divisors[None, None, :n]
        flat = q.reshape(votes.shape[0], -1)
        top = np.argpartition(-flat, n - 1, axis=1)[:, :n] // n
        np.add.at(out[:, k, :], (np.repeat(np.arange(votes.shape[0]), n), top.ravel()), 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--subset", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    votes = rng.multinomial(400_000, rng.dirichlet(np.ones(25) * 2), size=(args.draws, len(SEATS))).astype(np.int64)
    rows = []

    def timed(label, func, draws, note=""):
        start = time.perf_counter()
        result = func()
        seconds = time.perf_counter() - start
        rows.append({"method": label, "draws_timed": draws, "seconds": seconds,
                     "seconds_for_all": seconds * args.draws / draws, "note": note})
        return result

    allocate_batch(votes[:10], SEATS, first_divisor="1.7", tie_break="lot", seed=0)  # warm up
    batch = timed("muhasasa.allocate_batch (exact)", lambda: allocate_batch(
        votes, SEATS, first_divisor="1.7", tie_break="lot", seed=0), args.draws)
    topk = timed("numpy top-k of the quotient table (float)", lambda: numpy_topk(votes, SEATS), args.draws,
                 "no exactness, no tie detection")
    sub = votes[: args.subset]

    def scalar():
        out = np.zeros_like(sub)
        for d in range(sub.shape[0]):
            for k, n in enumerate(SEATS):
                r = allocate({str(i): int(x) for i, x in enumerate(sub[d, k])}, int(n), first_divisor="1.7",
                             tie_break="lot", seed=0)
                out[d, k] = list(r.seats.values())
        return out

    exact = timed("muhasasa.allocate per district (exact)", scalar, args.subset, "extrapolated from the subset")
    try:
        from apportionment import methods as ap

        timed("apportionment (pure Sainte-Laguë: no first-divisor option)", lambda: [
            ap.compute("saintelague", list(sub[d, k]), int(n), verbose=False)
            for d in range(sub.shape[0]) for k, n in enumerate(SEATS)], args.subset, "extrapolated")
    except ImportError:
        pass
    try:
        from poli_sci_kit.appointment.methods import highest_averages

        timed("poli-sci-kit (modifier 1.7; not the law's rule)", lambda: [
            highest_averages("Webster", list(sub[d, k]), int(n), modifier=1.7)
            for d in range(sub.shape[0]) for k, n in enumerate(SEATS)], args.subset, "extrapolated")
    except ImportError:
        pass
    identical = bool(np.array_equal(batch[: args.subset], exact))
    differ_topk = int((batch != topk).any(axis=2).sum())
    print(f"{'method':62} {'draws':>6} {'s (all draws)':>14}  note")
    for r in rows:
        print(f"{r['method']:62} {r['draws_timed']:6} {r['seconds_for_all']:14.3f}  {r['note']}")
    print(f"allocate_batch identical to the exact path on the {args.subset} checked draws: {identical}")
    print(f"numpy top-k differs from the exact result in {differ_topk} of {args.draws * len(SEATS)} governorate allocations")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "batch.json").write_text(json.dumps({
        "machine": machine_info(),
        "rows": rows, "identical_on_subset": identical, "topk_differs": differ_topk}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
