"""Benchmark muhasasa's exact allocation against apportionment and poli-sci-kit.

Not a test: a script that prints a table and writes
``benchmarks/results/allocate.json``. Run it from the repository root with the
``bench`` extra installed (see ``benchmarks/README.md``)::

    python benchmarks/bench_allocate.py            # full run, a few minutes
    python benchmarks/bench_allocate.py --quick    # smoke run, seconds
    python benchmarks/bench_allocate.py --profile  # also cProfile muhasasa on (a)

Three parts, each on the same inputs for every package:

(a) one allocation of 329 seats among 30 lists, Sainte-Laguë (1, 3, 5, …) and
    D'Hondt: muhasasa vs apportionment; median time per call and speed ratio.
(b) modified Sainte-Laguë with first divisor 1.7 (Iraq): muhasasa vs
    poli-sci-kit, and the worked example where poli-sci-kit's modifier departs
    from the law.
(c) many national elections: 18 governorates sized as in 2025 (320 general
    seats), 25 lists, allocated per governorate per draw through muhasasa's
    exact path, beside apportionment (pure Sainte-Laguë: it has no
    first-divisor option) and poli-sci-kit (modifier 1.7).

"ratio" is the other package's time divided by muhasasa's on the same work:
above 1 means muhasasa is faster.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
import timeit
from collections.abc import Callable
from pathlib import Path

import numpy as np
from machine import machine_info
from votes import DISTRIBUTIONS, draw

import muhasasa

try:
    import apportionment.methods as apportionment
    from poli_sci_kit.appointment.methods import highest_averages as psk_highest_averages
except ImportError as exc:  # pragma: no cover - a script, not library code
    sys.exit(f"this benchmark needs the bench extra ({exc}): pip install -e '.[bench]'")

RESULTS = Path(__file__).resolve().parent / "results" / "allocate.json"

GOVERNORATES_2025 = {
    "Baghdad": 69, "Nineveh": 31, "Basra": 25, "Dhi Qar": 19, "Babil": 17,
    "Sulaymaniyah": 18, "Anbar": 15, "Erbil": 15, "Diyala": 14, "Kirkuk": 12,
    "Salahaddin": 12, "Najaf": 12, "Wasit": 11, "Qadisiyah": 11, "Maysan": 10,
    "Dohuk": 11, "Karbala": 11, "Muthanna": 7,
}  # fmt: skip
SUBSET_LIMIT_S = 120.0  # a competitor projected slower than this is timed on a subset

# ---------------------------------------------------------------- the three packages


TIES_SETTLED: dict[str, int] = {}  # method -> ties settled by lot in muhasasa's runs


def muhasasa_run(method: str, **params: str) -> Callable[[dict[str, int], int], list[int]]:
    """muhasasa's public allocate(); ties (equal votes happen in 180,000 random
    contests) are settled by a seeded lot, as Iraqi law does, instead of refused."""

    def run(votes: dict[str, int], n: int) -> list[int]:
        result = muhasasa.allocate(votes, n, method=method, tie_break="lot", seed=0, **params)
        if result.ties:
            TIES_SETTLED[method] = TIES_SETTLED.get(method, 0) + len(result.ties)
        return list(result.seats.values())

    return run


def apportionment_run(method: str, **kw: object) -> Callable[[list[int], int], list[int]]:
    def run(votes: list[int], n: int) -> list[int]:
        return apportionment.compute(method, votes, n, **kw)

    return run


def psk_run(style: str, modifier: float | None) -> Callable[[list[int], int], list[int]]:
    def run(votes: list[int], n: int) -> list[int]:
        return psk_highest_averages(style, votes, n, modifier=modifier)

    return run


# ---------------------------------------------------------------- helpers


def median_call_time(call: Callable[[], object], target_s: float, repeat: int) -> float:
    """Median seconds per call over ``repeat`` timeit batches of about ``target_s`` each."""
    start = time.perf_counter()
    call()
    once = max(time.perf_counter() - start, 1e-7)
    number = max(1, int(target_s / once))
    return statistics.median(t / number for t in timeit.repeat(call, number=number, repeat=repeat))


def fmt_time(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.1f} s"


# ---------------------------------------------------------------- (a) one big allocation


def part_a(rng: np.random.Generator, quick: bool) -> tuple[list[dict], dict[str, int]]:
    raw = np.rint(rng.lognormal(mean=11.0, sigma=1.5, size=30)).astype(np.int64) + 1
    votes = {f"L{i:02d}": int(v) for i, v in enumerate(raw)}
    as_list = list(votes.values())
    target, repeat = (0.02, 5) if quick else (0.2, 15)
    rows = []
    for title, ours, theirs in [
        ("Sainte-Laguë 1,3,5…", "sainte-lague", "saintelague"),
        ("D'Hondt", "dhondt", "dhondt"),
    ]:
        run_m = muhasasa_run(ours)
        t_m = median_call_time(lambda f=run_m, v=votes: f(v, 329), target, repeat)
        expected = run_m(votes, 329)
        rows.append(
            row("a", title, "muhasasa (exact)", t_m, 1.0, None, "1 call, 329 seats, 30 lists")
        )
        for label, kw in [
            ("apportionment (float, default)", {}),
            ("apportionment (fractions=True)", {"fractions": True}),
        ]:
            run_a = apportionment_run(theirs, **kw)
            t_a = median_call_time(lambda f=run_a, v=as_list: f(v, 329), target, repeat)
            rows.append(
                row("a", title, label, t_a, t_a / t_m, run_a(as_list, 329) == expected, "1 call")
            )
    return rows, votes


# ---------------------------------------------------------------- (b) first divisor 1.7


def part_b(votes: dict[str, int], quick: bool) -> tuple[list[dict], dict]:
    example = {"A": 100000, "B": 80000, "C": 30000, "D": 20000}
    law = muhasasa_run("sainte-lague-modified", first_divisor="1.7")(example, 8)
    psk = psk_run("Webster", 1.7)(list(example.values()), 8)
    psk_pure = psk_run("Webster", None)(list(example.values()), 8)
    scandinavian = apportionment_run("modified_saintelague")(list(example.values()), 8)
    worked = {
        "votes": example,
        "seats": 8,
        "muhasasa (law: 1.7, then 3, 5, 7, ...)": law,
        "poli-sci-kit Webster modifier=1.7": psk,
        "poli-sci-kit Webster (pure)": psk_pure,
        "apportionment modified_saintelague (first divisor fixed at 1.4)": scandinavian,
        "why": (
            "poli-sci-kit 1.x divides by the modifier while a list holds 0 or 1 seats "
            "(its test is `allocations[i] > 1`), so every list's second seat is priced at "
            "v/1.7 instead of v/3: C's second quotient is 30000/1.7 = 17647 instead of "
            "10000 and takes the seat the law gives to A's fourth, 100000/7 = 14286"
        ),
    }
    as_list = list(votes.values())
    target, repeat = (0.02, 5) if quick else (0.2, 15)
    run_m = muhasasa_run("sainte-lague-modified", first_divisor="1.7")
    run_p = psk_run("Webster", 1.7)
    t_m = median_call_time(lambda f=run_m, v=votes: f(v, 329), target, repeat)
    t_p = median_call_time(lambda: run_p(as_list, 329), target, max(3, repeat // 3))
    expected = run_m(votes, 329)
    rows = [
        row("b", "mod. Sainte-Laguë 1.7", "muhasasa (exact)", t_m, 1.0, None, "1 call, 329 seats, 30 lists"),
        row("b", "mod. Sainte-Laguë 1.7", "poli-sci-kit (modifier=1.7)", t_p, t_p / t_m,
            run_p(as_list, 329) == expected, "1 call"),
        row("b", "mod. Sainte-Laguë 1.7", "worked example 4 lists, 8 seats", None, None, psk == law,
            f"law {law}; poli-sci-kit {psk}"),
    ]  # fmt: skip
    return rows, worked


# ---------------------------------------------------------------- (c) national elections


def draw_elections(rng: np.random.Generator, draws: int, n_lists: int) -> np.ndarray:
    """Votes of shape (draws, governorates, lists).

    Each list has a fixed regional base share per governorate (Dirichlet,
    concentration 0.7: some lists are strong in a few governorates only); each
    draw perturbs the shares (gamma noise, concentration 200) and draws about
    40,000 valid votes per seat from a multinomial.
    """
    seats = np.array(list(GOVERNORATES_2025.values()))
    base = rng.dirichlet(np.full(n_lists, 0.7), size=len(seats))
    noisy = rng.gamma(shape=base * 200.0 + 1e-9, size=(draws, len(seats), n_lists))
    shares = noisy / noisy.sum(axis=-1, keepdims=True)
    return rng.multinomial(seats * 40_000, shares)


def run_elections(
    run: Callable[[object, int], list[int]],
    votes: np.ndarray,
    as_dict: bool,
) -> tuple[float, np.ndarray]:
    """Allocate every governorate of every draw; seconds taken and seats array."""
    names = [f"L{i:02d}" for i in range(votes.shape[-1])]
    seat_counts = list(GOVERNORATES_2025.values())
    out = np.zeros_like(votes)
    start = time.perf_counter()
    for d in range(votes.shape[0]):
        for g, n in enumerate(seat_counts):
            row_votes = votes[d, g].tolist()
            given = dict(zip(names, row_votes)) if as_dict else row_votes
            out[d, g] = run(given, n)
    return time.perf_counter() - start, out


def part_c(rng: np.random.Generator, draws: int, subset: int) -> list[dict]:
    votes = draw_elections(rng, draws, 25)
    seats_total = sum(GOVERNORATES_2025.values())
    what = f"{draws} draws × 18 governorates ({seats_total} seats), 25 lists"
    print(f"(c) {what} ...", flush=True)
    TIES_SETTLED.clear()
    t_m17, seats_m17 = run_elections(
        muhasasa_run("sainte-lague-modified", first_divisor="1.7"), votes, True
    )
    print(f"    muhasasa 1.7: {t_m17:.1f} s", flush=True)
    t_msl, seats_msl = run_elections(muhasasa_run("sainte-lague"), votes, True)
    print(f"    muhasasa pure Sainte-Laguë: {t_msl:.1f} s", flush=True)
    ties = {m: TIES_SETTLED.get(m, 0) for m in ("sainte-lague-modified", "sainte-lague")}
    rows = [
        row("c", "mod. Sainte-Laguë 1.7", "muhasasa (exact)", t_m17, 1.0, None,
            f"{what}; {ties['sainte-lague-modified']} ties settled by seeded lot"),
        row("c", "Sainte-Laguë 1,3,5…", "muhasasa (exact)", t_msl, 1.0, None,
            f"{what}; {ties['sainte-lague']} ties settled by seeded lot"),
    ]  # fmt: skip
    competitors = [
        ("Sainte-Laguë 1,3,5…", "apportionment (float; no first-divisor option)",
         apportionment_run("saintelague"), t_msl, seats_msl),
        ("mod. Sainte-Laguë 1.7", "poli-sci-kit (modifier=1.7)", psk_run("Webster", 1.7), t_m17, seats_m17),
    ]  # fmt: skip
    for title, label, run, t_ours, ours in competitors:
        pilot = min(subset, draws)
        t_pilot, _ = run_elections(run, votes[: min(20, draws)], False)
        projected = t_pilot / min(20, draws) * draws
        if projected > SUBSET_LIMIT_S and pilot < draws:
            t_sub, theirs = run_elections(run, votes[:pilot], False)
            t_total = t_sub / pilot * draws
            same = np.array_equal(theirs, ours[:pilot])
            diff = int(np.any(theirs != ours[:pilot], axis=-1).sum())
            note = (f"timed on {pilot} draws ({t_sub:.1f} s) and extrapolated ×{draws / pilot:g}; "
                    f"{diff} of {pilot * 18} governorate allocations differ")  # fmt: skip
        else:
            t_total, theirs = run_elections(run, votes, False)
            same = np.array_equal(theirs, ours)
            diff = int(np.any(theirs != ours, axis=-1).sum())
            note = f"all {draws} draws; {diff} of {draws * 18} governorate allocations differ"
        print(f"    {label}: {t_total:.1f} s", flush=True)
        rows.append(row("c", title, label, t_total, t_total / t_ours, same, note))
    return rows


# ---------------------------------------------------------------- (d) every distribution, (e) any seats

TARGET_D = 10.0  # one allocation at least 10× apportionment (float) on every distribution
TARGET_E_S = 0.010  # 10^6 seats under 10 ms


def part_d(rng: np.random.Generator, quick: bool) -> list[dict]:
    """One allocation of 329 seats among 30 lists on each vote distribution of ``votes.py``,
    Sainte-Laguë and D'Hondt, beside apportionment in its default (float) mode."""
    target, repeat = (0.02, 5) if quick else (0.2, 15)
    rows = []
    for dist in DISTRIBUTIONS:
        raw = draw(dist, rng, (30,), 329)
        votes = {f"L{i:02d}": int(v) for i, v in enumerate(raw)}
        as_list = list(votes.values())
        for title, ours, theirs in [("Sainte-Laguë 1,3,5…", "sainte-lague", "saintelague"),
                                    ("D'Hondt", "dhondt", "dhondt")]:
            run_m, run_a = muhasasa_run(ours), apportionment_run(theirs)
            t_m = median_call_time(lambda f=run_m, v=votes: f(v, 329), target, repeat)
            t_a = median_call_time(lambda f=run_a, v=as_list: f(v, 329), target, repeat)
            speed = t_a / t_m
            rows.append(row("d", f"{title}, {dist}", "muhasasa (exact)", t_m, 1.0, None,
                            f"329 seats, 30 lists; >= {TARGET_D:.0f}× apportionment: "
                            f"{'met' if speed >= TARGET_D else 'MISSED'}"))
            tie = " (ties at the cut: each package settles them its own way)" if dist == "equal" else ""
            rows.append(row("d", f"{title}, {dist}", "apportionment (float, default)", t_a, speed,
                            run_a(as_list, 329) == run_m(votes, 329), "1 call" + tie))
    return rows


def part_e(rng: np.random.Generator) -> list[dict]:
    """The cost does not grow with the seats: 30 lists, 10^3 to 10^9 seats."""
    votes = {f"L{i:02d}": int(v) for i, v in enumerate(draw("uniform", rng, (30,)))}
    rows = []
    for seats in (10**3, 10**6, 10**9):
        run = muhasasa_run("sainte-lague-modified", first_divisor="1.7")
        t = median_call_time(lambda s=seats, f=run: f(votes, s), 0.05, 5)
        note = f"30 lists, uniform votes; target < {TARGET_E_S * 1e3:.0f} ms: {'met' if t < TARGET_E_S else 'MISSED'}"
        rows.append(row("e", f"mod. Sainte-Laguë 1.7, {seats:,} seats", "muhasasa (exact)", t, 1.0, None,
                        note if seats == 10**6 else "30 lists, uniform votes"))
    return rows


# ---------------------------------------------------------------- output


def row(part, method, package, seconds, ratio, identical, note) -> dict:
    return {
        "part": part,
        "method": method,
        "package": package,
        "seconds": seconds,
        "ratio_vs_muhasasa": ratio,
        "identical_to_muhasasa": identical,
        "note": note,
    }


def print_table(rows: list[dict]) -> None:
    header = ("", "method", "package", "time", "ratio", "identical?", "note")
    lines = [
        (
            r["part"],
            r["method"],
            r["package"],
            "" if r["seconds"] is None else fmt_time(r["seconds"]),
            "" if r["ratio_vs_muhasasa"] is None else f"{r['ratio_vs_muhasasa']:.2f}×",
            {None: "(ref)", True: "yes", False: "NO"}[r["identical_to_muhasasa"]],
            r["note"],
        )
        for r in rows
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines)]
    for cells in [header, tuple("-" * w for w in widths), *lines]:
        print("  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip())
    print("ratio = other package's time / muhasasa's time on the same work (>1: muhasasa faster)")


def profile_allocate(votes: dict[str, int]) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(200):
        muhasasa.allocate(votes, 329, method="sainte-lague")
    profiler.disable()
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(15)
    return stream.getvalue()


def write_json(path: Path, payload: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(payload, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
    os.chmod(temp, 0o644)
    os.replace(temp, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=20251111)
    parser.add_argument("--draws", type=int, default=10_000, help="national elections in (c)")
    parser.add_argument("--subset", type=int, default=200, help="draws for a slow competitor")
    parser.add_argument("--quick", action="store_true", help="smoke run: 50 draws, short timings")
    parser.add_argument("--profile", action="store_true", help="cProfile muhasasa.allocate on (a)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--skip-c", action="store_true", help="skip part (c), the per-district loops")
    args = parser.parse_args(argv)
    draws = 50 if args.quick else args.draws

    started = time.perf_counter()
    seeds = np.random.SeedSequence(args.seed).spawn(4)
    rows_a, votes_a = part_a(np.random.default_rng(seeds[0]), args.quick)
    rows_b, worked = part_b(votes_a, args.quick)
    rows_c = [] if args.skip_c else part_c(np.random.default_rng(seeds[1]), draws, min(args.subset, draws))
    print("(d) every vote distribution, (e) 10^3 to 10^9 seats ...", flush=True)
    rows_d = part_d(np.random.default_rng(seeds[2]), args.quick)
    rows_e = part_e(np.random.default_rng(seeds[3]))
    rows = rows_a + rows_b + rows_c + rows_d + rows_e
    print()
    print_table(rows)
    print("\n(b) worked example, 8 seats, votes", worked["votes"])
    for key, value in worked.items():
        if key not in {"votes", "seats", "why"}:
            print(f"    {key}: {value}")
    profile = profile_allocate(votes_a) if args.profile else None
    if profile:
        print("\ncProfile of 200 × muhasasa.allocate(329 seats, 30 lists, sainte-lague):")
        print(profile)
    elapsed = time.perf_counter() - started
    payload = {
        "machine": machine_info(("apportionment", "poli-sci-kit")),
        "config": {
            "seed": args.seed,
            "draws": draws,
            "subset_limit_seconds": SUBSET_LIMIT_S,
            "subset_draws": min(args.subset, draws),
            "quick": args.quick,
            "governorates": GOVERNORATES_2025,
            "part_a_votes": votes_a,
            "ratio": "other package's time / muhasasa's time on the same work",
        },
        "results": rows,
        "worked_example_b": worked,
        "profile_a": profile,
        "elapsed_seconds": round(elapsed, 1),
    }
    write_json(args.output, payload)
    print(f"\nwrote {args.output} in {elapsed:.0f} s total")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
