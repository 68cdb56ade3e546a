"""Benchmark muhasasa's exact power indices against the PyPI package powerindex.

Not a test: a script that prints a table and writes ``benchmarks/results/power.json``.
Run it from the repository root with the ``bench`` extra installed (see
``benchmarks/README.md``)::

    python benchmarks/bench_power.py                   # full run, about 2–3 minutes
    python benchmarks/bench_power.py --quick           # fewer repetitions, no subprocess runs
    python benchmarks/bench_power.py --no-subprocess   # skip powerindex Shapley–Shubik at 200

Two parts, each on the same game for both packages:

(a) the 2021 Council of Representatives as 76 players (33 lists by seats, and the 43
    independents as single players of weight 1), quotas 165 (simple majority) and 220
    (two thirds): exact Banzhaf and Shapley–Shubik, each beside powerindex, and all four
    computations together (target: under 50 ms).
(b) a 200-player random game (weights 1–1000 from a seeded numpy Generator, quota = half
    of the total + 1): Banzhaf beside powerindex (target: at least 10× faster) and exact
    Shapley–Shubik (target: under 5 s). powerindex's Shapley–Shubik keeps an n × n × quota
    table of Python integers, so at 200 players it is run only in a subprocess with an
    address-space limit (``RLIMIT_AS``, 8 GiB by default) and a timeout, and the outcome is
    reported as it is ("out of memory", "timeout", an error, or its time).

muhasasa returns exact ``Fraction``s; powerindex returns normalised floats. "agree?" means
every player's ``float(Fraction)`` is within 1e-12 of powerindex's float. "ratio" is
powerindex's time divided by muhasasa's on the same work: above 1 means muhasasa is faster.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from fractions import Fraction
from pathlib import Path

import numpy as np
from machine import machine_info

import muhasasa
from muhasasa.parliament.coalitions import coalition_page
from muhasasa.parliament.power import index_of, power_index

try:
    import powerindex as px
except ImportError as exc:  # pragma: no cover - a script, not library code
    sys.exit(f"this benchmark needs the bench extra ({exc}): pip install -e '.[bench]'")

RESULTS = Path(__file__).resolve().parent / "results" / "power.json"
TOLERANCE = 1e-12
PARLIAMENT_QUOTAS = (165, 220)
TARGET_A_S = 0.050  # all four computations of part (a) together
TARGET_B_SPEEDUP = 10.0  # Banzhaf at 200 players, powerindex time / muhasasa time
TARGET_B_SS_S = 5.0  # exact Shapley–Shubik at 200 players
TARGET_C_S = 2.0  # every index, every bundled parliament by list, every step; coalition counts
PARLIAMENTS = ("2018", "2021", "2025")
STEP_INDICES = ("shapley-shubik", "banzhaf", "deegan-packel", "holler", "johnston")
COALITION_CASES = (  # (election, step, kind): the slow cases
    ("2025", "president", "minimal-winning"),
    ("2025", "president", "minimal-blocking"),
    ("2021", "speaker", "winning"),
    ("2021", "ordinary", "minimal-winning"),
)
INDICES = {  # registered id -> (title, powerindex method, attribute it fills in)
    "banzhaf": ("Banzhaf", "calc_banzhaf", "banzhaf"),
    "shapley-shubik": ("Shapley–Shubik", "calc_shapley_shubik", "shapley_shubik"),
}

# ---------------------------------------------------------------- the two packages


def muhasasa_run(weights: Mapping[str, int], quota: int, index: str) -> dict[str, Fraction]:
    return power_index(weights, quota, index=index)


def powerindex_run(weights: Mapping[str, int], quota: int, index: str) -> dict[str, float]:
    _, method, attribute = INDICES[index]
    game = px.Game(quota, weights=list(weights.values()))
    getattr(game, method)()
    return dict(zip(weights, getattr(game, attribute)))


def largest_gap(ours: Mapping[str, Fraction], theirs: Mapping[str, float]) -> float:
    if list(ours) != list(theirs):
        return float("inf")
    return max(abs(float(ours[p]) - theirs[p]) for p in ours)


# ---------------------------------------------------------------- helpers


def measure(call: Callable[[], object], repeat: int, target_s: float) -> tuple[float, object]:
    """Median seconds per call and the first call's result.

    A call that takes less than ``target_s`` is repeated in batches of about ``target_s``;
    each of the ``repeat`` measurements is one batch (or one call), timed by perf_counter.
    """
    start = time.perf_counter()
    result = call()
    once = time.perf_counter() - start
    number = max(1, int(target_s / max(once, 1e-7)))
    times = [once] if number == 1 else []
    while len(times) < repeat:
        start = time.perf_counter()
        for _ in range(number):
            call()
        times.append((time.perf_counter() - start) / number)
    return statistics.median(times), result


def fmt_time(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def row(part, computation, package, seconds, *, ratio=None, agree=None, target=None, note=""):
    """One line of the table; ``agree`` None means "not compared"."""
    return {
        "part": part,
        "computation": computation,
        "package": package,
        "seconds": seconds,
        "ratio_vs_muhasasa": ratio,
        "agree": agree,
        "target": target,
        "note": note,
    }


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


# ---------------------------------------------------------------- (a) the 2021 parliament


def parliament_2021() -> dict[str, int]:
    """76 players: every list by its seats, the 43 independents one by one."""
    return dict(muhasasa.players("2021").weights)


def part_a(quick: bool) -> list[dict]:
    weights = parliament_2021()
    games = [(q, index) for q in PARLIAMENT_QUOTAS for index in INDICES]
    repeat, target = (3, 0.05) if quick else (9, 0.3)
    rows = []
    for quota, index in games:
        what = f"{INDICES[index][0]}, 76 players, quota {quota}"
        t_m, ours = measure(lambda q=quota, i=index: muhasasa_run(weights, q, i), repeat, target)
        t_p, theirs = measure(lambda q=quota, i=index: powerindex_run(weights, q, i), 3, target)
        gap = largest_gap(ours, theirs)
        rows.append(row("a", what, "muhasasa (exact)", t_m, ratio=1.0))
        rows.append(row("a", what, "powerindex (float)", t_p, ratio=t_p / t_m,
                        agree=gap <= TOLERANCE, note=f"largest gap {gap:.1e}"))  # fmt: skip

    def all_four(run):
        return [run(weights, quota, index) for quota, index in games]

    t_m, ours = measure(lambda: all_four(muhasasa_run), repeat, target)
    t_p, theirs = measure(lambda: all_four(powerindex_run), 3, target)
    gap = max(largest_gap(o, t) for o, t in zip(ours, theirs))
    what = "all four above, together"
    target = f"< {TARGET_A_S * 1e3:.0f} ms: {verdict(t_m < TARGET_A_S)}"
    rows.append(row("a", what, "muhasasa (exact)", t_m, ratio=1.0, target=target))
    rows.append(row("a", what, "powerindex (float)", t_p, ratio=t_p / t_m,
                    agree=gap <= TOLERANCE, note=f"largest gap {gap:.1e}"))  # fmt: skip
    return rows


# ---------------------------------------------------------------- (b) 200 random players


def random_game(rng: np.random.Generator, players: int) -> tuple[dict[str, int], int]:
    weights = {f"P{i:03d}": int(w) for i, w in enumerate(rng.integers(1, 1001, size=players))}
    return weights, sum(weights.values()) // 2 + 1


def monte_carlo_z(
    weights: Mapping[str, int],
    quota: int,
    exact: Mapping[str, Fraction],
    rng: np.random.Generator,
    orderings: int,
) -> tuple[float, int]:
    """Largest |z| of the exact Shapley–Shubik values against pivot frequencies in
    ``orderings`` random orderings, over the players expected to pivot at least 20 times,
    and how many players that is: an independent check where powerindex cannot run."""
    w = np.array(list(weights.values()), dtype=np.int64)
    pivots = np.zeros(len(w), dtype=np.int64)
    for start in range(0, orderings, 5_000):
        size = min(5_000, orderings - start)
        order = rng.permuted(np.tile(np.arange(len(w)), (size, 1)), axis=1)
        reached = np.cumsum(w[order], axis=1) >= quota
        pivots += np.bincount(order[np.arange(size), reached.argmax(axis=1)], minlength=len(w))
    p = np.array([float(v) for v in exact.values()])
    checked = p * orderings >= 20  # enough expected pivots for the normal approximation
    se = np.sqrt(p * (1 - p) / orderings)
    z = np.abs(pivots / orderings - p)[checked] / se[checked]
    return float(z.max()), int(checked.sum())


CHILD = """
import json, resource, sys, time
limit, weights, quota = json.loads(sys.argv[1])
if limit:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
import powerindex as px
start = time.perf_counter()
out = {}
try:
    game = px.Game(quota, weights=weights)
    game.calc_shapley_shubik()
    out = {"status": "ok", "values": game.shapley_shubik}
except MemoryError:
    out = {"status": "out of memory", "error": "MemoryError"}
except Exception as exc:
    out = {"status": type(exc).__name__, "error": str(exc)}
out["seconds"] = time.perf_counter() - start
out["peak_rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps(out))
"""


def powerindex_ss_subprocess(
    weights: Mapping[str, int], quota: int, limit_bytes: int, timeout_s: float
) -> dict:
    """powerindex's Shapley–Shubik in a child process with RLIMIT_AS and a timeout."""
    args = json.dumps([limit_bytes, list(weights.values()), quota])
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, args],
            check=False,
            capture_output=True,
            text=True,
            timeout=timeout_s,
        )
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "seconds": time.perf_counter() - start}
    if done.returncode != 0 or not done.stdout.strip():
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {
            "status": f"exit code {done.returncode}",
            "error": tail,
            "seconds": time.perf_counter() - start,
        }
    return json.loads(done.stdout)


def part_b(
    rng: np.random.Generator, check_rng: np.random.Generator, quick: bool,
    subprocesses: bool, limit_gib: float, timeout_s: float,
) -> tuple[list[dict], dict]:  # fmt: skip
    weights, quota = random_game(rng, 200)
    total = sum(weights.values())
    info: dict = {"game": {"players": 200, "total": total, "quota": quota, "weights": weights}}
    print(f"(b) 200 random players, total weight {total}, quota {quota} ...", flush=True)
    repeat_m, repeat_p = (3, 1) if quick else (7, 3)

    what = "Banzhaf, 200 random players"
    t_m, ours = measure(lambda: muhasasa_run(weights, quota, "banzhaf"), repeat_m, 0.5)
    print(f"    muhasasa Banzhaf: {fmt_time(t_m)}", flush=True)
    t_p, theirs = measure(lambda: powerindex_run(weights, quota, "banzhaf"), repeat_p, 0.0)
    print(f"    powerindex Banzhaf: {fmt_time(t_p)}", flush=True)
    gap, speedup = largest_gap(ours, theirs), t_p / t_m
    rows = [
        row("b", what, "muhasasa (exact)", t_m, ratio=1.0,
            target=f">= {TARGET_B_SPEEDUP:.0f}× faster: {verdict(speedup >= TARGET_B_SPEEDUP)}"),
        row("b", what, "powerindex (float)", t_p, ratio=speedup, agree=gap <= TOLERANCE,
            note=f"largest gap {gap:.1e}"),
    ]  # fmt: skip

    what = "Shapley–Shubik, 200 random players"
    t_m, exact = measure(lambda: muhasasa_run(weights, quota, "shapley-shubik"), repeat_p, 0.0)
    print(f"    muhasasa Shapley–Shubik: {fmt_time(t_m)}", flush=True)
    orderings = 20_000 if quick else 200_000
    z, checked = monte_carlo_z(weights, quota, exact, check_rng, orderings)
    one = sum(exact.values()) == 1
    rows.append(row("b", what, "muhasasa (exact)", t_m, ratio=1.0, agree=one and z < 5.0,
                    target=f"< {TARGET_B_SS_S:.0f} s: {verdict(t_m < TARGET_B_SS_S)}",
                    note=f"check: sums to exactly 1: {one}; {orderings:,} random orderings, "
                         f"largest |z| = {z:.2f} over {checked} players"))  # fmt: skip
    if not subprocesses:
        rows.append(row("b", what, "powerindex (float)", None,
                        note="not run (--quick or --no-subprocess)"))  # fmt: skip
        return rows, info

    limit = int(limit_gib * 2**30)
    where = f"in a subprocess limited to {limit_gib:g} GiB and {timeout_s:.0f} s"
    print(f"    powerindex Shapley–Shubik {where} ...", flush=True)
    out = powerindex_ss_subprocess(weights, quota, limit, timeout_s)
    info["powerindex_subprocess_random_200"] = {k: v for k, v in out.items() if k != "values"}
    rss = f", peak RSS {out['peak_rss_bytes'] / 2**30:.1f} GiB" if "peak_rss_bytes" in out else ""
    print(f"    -> {out['status']} after {out['seconds']:.0f} s{rss}", flush=True)
    t_p = out["seconds"]
    if out["status"] == "ok":
        gap = largest_gap(exact, dict(zip(weights, out["values"])))
        note = f"{where}; largest gap {gap:.1e}{rss}"
        rows.append(row("b", what, "powerindex (float)", t_p, ratio=t_p / t_m,
                        agree=gap <= TOLERANCE, note=note))  # fmt: skip
    else:
        note = f"{out['status'].upper()} after {t_p:.0f} s {where}{rss}"
        rows.append(row("b", what, "powerindex (float)", None, note=note))

    # With memory to spare, powerindex still stops at 171 players: it computes float(n!).
    equal = {f"E{i:03d}": 1 for i in range(200)}
    what = "Shapley–Shubik, 200 equal players [101; 1, …, 1]"
    t_m, ours = measure(lambda: muhasasa_run(equal, 101, "shapley-shubik"), repeat_m, 0.2)
    rows.append(row("b", what, "muhasasa (exact)", t_m, ratio=1.0,
                    agree=all(v == Fraction(1, 200) for v in ours.values()),
                    note="every player exactly 1/200"))  # fmt: skip
    out = powerindex_ss_subprocess(equal, 101, limit, timeout_s)
    info["powerindex_subprocess_equal_200"] = {k: v for k, v in out.items() if k != "values"}
    t_p = out["seconds"]
    if out["status"] == "ok":
        gap = largest_gap(ours, dict(zip(equal, out["values"])))
        rows.append(row("b", what, "powerindex (float)", t_p, ratio=t_p / t_m,
                        agree=gap <= TOLERANCE, note=f"largest gap {gap:.1e}"))  # fmt: skip
    else:
        detail = f": {out['error']}" if out.get("error") else ""
        note = f"{out['status']} after {t_p:.1f} s in a subprocess{detail}"
        rows.append(row("b", what, "powerindex (float)", None, note=note))
    return rows, info


# ---------------------------------------------------------------- (c) every parliament, every step


def part_c(quick: bool) -> list[dict]:
    """Each index on each bundled parliament by list at each constitutional step, timed on
    a freshly built game (no cache shared between indices); Shapley–Shubik and Banzhaf
    beside powerindex, the others checked to sum to exactly 1."""
    rows = []
    for election in PARLIAMENTS:
        cast = muhasasa.players(election)
        for step in muhasasa.steps(election):
            probe = muhasasa.game(cast, step)
            what = f"{election} by list ({len(probe.weights)} players), {step}, quota {probe.quota}"
            for index in STEP_INDICES:
                game = muhasasa.game(cast, step)
                start = time.perf_counter()
                ours = index_of(game, index)
                t_m = time.perf_counter() - start
                agree, note, ratio = None, "", None
                if index in INDICES:
                    t_p, theirs = measure(lambda i=index, g=probe: powerindex_run(dict(g.weights), g.quota, i),
                                          1, 0.0)
                    gap = largest_gap(ours, theirs)
                    agree, ratio = gap <= TOLERANCE, t_p / t_m
                    note = f"powerindex {fmt_time(t_p)}, largest gap {gap:.1e}"
                else:
                    agree = sum(ours.values()) == 1
                    note = "check: sums to exactly 1"
                rows.append(row("c", f"{index}: {what}", "muhasasa (exact)", t_m, ratio=ratio, agree=agree,
                                target=f"< {TARGET_C_S:.0f} s: {verdict(t_m < TARGET_C_S)}", note=note))
            if quick:
                break
    return rows


def part_d() -> list[dict]:
    """Exact counts of coalition patterns (and the coalitions they stand for), with the
    first page and a page from the middle of the list."""
    rows = []
    for election, step, kind in COALITION_CASES:
        cast = muhasasa.players(election)
        game = muhasasa.game(cast, step)
        start = time.perf_counter()
        first = coalition_page(game, kind, limit=20)
        t_first = time.perf_counter() - start
        start = time.perf_counter()
        coalition_page(muhasasa.game(cast, step), kind, offset=first.patterns // 2, limit=20)
        t_mid = time.perf_counter() - start
        what = f"{kind} coalitions, {election} by list, {step}"
        rows.append(row("d", what, "muhasasa (exact counts, paged)", t_first,
                        target=f"< {TARGET_C_S:.0f} s: {verdict(max(t_first, t_mid) < TARGET_C_S)}",
                        note=f"{first.patterns:,} patterns = {first.coalitions:,} coalitions; "
                             f"page from the middle {fmt_time(t_mid)} (fresh game)"))
    return rows


# ---------------------------------------------------------------- output


def print_table(rows: list[dict]) -> None:
    header = ("", "computation", "package", "time", "ratio", "agree?", "target", "note")
    lines = [
        (
            r["part"],
            r["computation"],
            r["package"],
            "—" if r["seconds"] is None else fmt_time(r["seconds"]),
            "" if r["ratio_vs_muhasasa"] is None else f"{r['ratio_vs_muhasasa']:.1f}×",
            {
                None: "(ref)" if r["package"].startswith("muhasasa") else "—",
                True: "yes",
                False: "NO",
            }[r["agree"]],
            r["target"] or "",
            r["note"],
        )
        for r in rows
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines)]
    for cells in [header, tuple("-" * w for w in widths), *lines]:
        print("  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip())
    print("ratio = powerindex's time / muhasasa's time on the same work (>1: muhasasa faster);")
    print(
        f"agree = every player within {TOLERANCE:g} (muhasasa rows with no competitor: "
        "an independent check, see note)"
    )


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
    parser.add_argument(
        "--quick",
        action="store_true",
        help="fewer repetitions; no powerindex subprocess at 200 players",
    )
    parser.add_argument(
        "--no-subprocess", action="store_true", help="skip powerindex Shapley–Shubik at 200 players"
    )
    parser.add_argument(
        "--memory-limit-gib",
        type=float,
        default=8.0,
        help="RLIMIT_AS of the powerindex subprocess (default 8)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=300.0,
        help="seconds before the powerindex subprocess is killed (default 300)",
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    subprocesses = not (args.quick or args.no_subprocess)

    started = time.perf_counter()
    seeds = np.random.SeedSequence(args.seed).spawn(2)
    print("(a) 2021 parliament, 76 players ...", flush=True)
    rows_a = part_a(args.quick)
    rows_b, info_b = part_b(
        np.random.default_rng(seeds[0]),
        np.random.default_rng(seeds[1]),
        args.quick,
        subprocesses,
        args.memory_limit_gib,
        args.timeout,
    )
    print("(c) 2018, 2021 and 2025 by list, every step ...", flush=True)
    rows_c = part_c(args.quick)
    print("(d) coalition patterns ...", flush=True)
    rows = rows_a + rows_b + rows_c + part_d()
    print()
    print_table(rows)
    elapsed = time.perf_counter() - started
    payload = {
        "machine": machine_info(("powerindex",)),
        "config": {
            "seed": args.seed,
            "quick": args.quick,
            "tolerance": TOLERANCE,
            "parliament_2021": parliament_2021(),
            "parliament_quotas": list(PARLIAMENT_QUOTAS),
            "targets": {
                "a_all_four_seconds": TARGET_A_S,
                "b_banzhaf_speedup": TARGET_B_SPEEDUP,
                "b_shapley_shubik_seconds": TARGET_B_SS_S,
                "c_d_seconds": TARGET_C_S,
            },
            "subprocess_memory_limit_gib": args.memory_limit_gib if subprocesses else None,
            "subprocess_timeout_seconds": args.timeout if subprocesses else None,
            "ratio": "powerindex's time / muhasasa's time on the same work",
        },
        "results": rows,
        "part_b": info_b,
        "elapsed_seconds": round(elapsed, 1),
    }
    write_json(args.output, payload)
    print(f"\nwrote {args.output} in {elapsed:.0f} s total")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
