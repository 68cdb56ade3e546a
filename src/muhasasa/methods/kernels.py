"""Batch kernels: many contests at once, exact or flagged.

Each kernel takes votes of shape (draws, districts, lists) and seats per district,
and returns the seats and a mask of the cells it could not settle exactly, or that
the exact path would refuse (the caller recomputes those with the exact path).
Floats are used only where their order provably equals the exact order; integer
arithmetic everywhere else.

Two algorithms per family: ``"numba"`` (compiled, a few vector passes per contest whose
seats are kept only when a margin check proves them, ties settled by the law's lot;
:mod:`muhasasa.methods.compiled`, present when the ``fast`` extra is installed) and
``"numpy"`` (plain arrays, always there, ties flagged for the exact path). Both give the
exact path's seats on every cell; the tests run both.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from types import SimpleNamespace

import numpy as np

from muhasasa.methods.highest_averages import DivisorSequence, _integer_divisors
from muhasasa.methods.ties import TieRule, lot_order

#: Compiled kernels can run here (numba importable; it is imported on first use only).
COMPILED = importlib.util.find_spec("numba") is not None
#: Leading divisors the compiled divisor kernel holds in its table (then (a + b·k) / c).
COMPILED_PREFIX = 4
#: The divisor family's batch algorithms, fastest first.
DIVISOR_ALGORITHMS = ("numba", "numpy") if COMPILED else ("numpy",)


def _cells(votes: np.ndarray, seats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    draws, districts, lists = votes.shape
    return votes.reshape(draws * districts, lists), np.tile(seats, draws)


#: Integers below this are exact as float64: a divisor numerator or a vote count times a
#: divisor denominator must stay below it for the kernels' quotients to be exact.
EXACT_FLOAT = 2**53
#: Lists the compiled kernel's table of lot permutations covers (it holds lists² entries);
#: above, a tie at the last seat goes to the exact path, which draws the same lot.
LOT_TABLE_LISTS = 512


def divisor_batch(kept: np.ndarray, seats: np.ndarray, sequence: DivisorSequence, tie: TieRule,
                  algorithm: str = "numpy"):
    """Seats by a divisor method, and the cells to recheck exactly.

    The cost does not depend on the seats: districts whose divisors would leave the exact
    float range (over about 2^52 seats) are not computed here but flagged for the exact
    path, which is itself seat-independent."""
    div = _integer_divisors(sequence)
    huge = seats >= (EXACT_FLOAT - div.a) // div.b - 1
    if huge.any():
        out, unsure = divisor_batch(kept, np.where(huge, 0, seats), sequence, tie, algorithm)
        unsure[:, huge] = True
        return out, unsure
    if algorithm == "numba":
        from muhasasa.methods import compiled

        lists = kept.shape[2]
        if tie.rule == "lot" and lists > LOT_TABLE_LISTS:
            tie = TieRule("refuse")  # the exact path settles these few ties by the same lot
        ranks, perms = lot_tables(lists, tie)
        return compiled.divisor_batch(
            kept, seats, list(zip(div.nums, div.dens)), (div.a, div.b, div.c), tie.rule == "refuse",
            ranks, perms)
    flat, n = _cells(kept, seats)
    if max(div.nums) >= EXACT_FLOAT or (flat.size and int(flat.max()) * div.widest >= EXACT_FLOAT):
        # as the compiled kernel: floats would not be exact here, every cell goes to the exact path
        return np.zeros(kept.shape, dtype=np.int64), np.ones(kept.shape[:2], dtype=bool)
    counts, unsure = _divisor_flat(flat, n, sequence)
    return counts.reshape(kept.shape), unsure.reshape(kept.shape[:2])


@lru_cache(maxsize=64)
def lot_tables(lists: int, tie: TieRule) -> tuple[np.ndarray, np.ndarray]:
    """The lot as arrays, for compiled kernels: each list's rank when the contenders are
    sorted by name (the batch names list ``i`` ``str(i)``, as the exact path is called),
    and row ``m`` of ``perms`` the lot's order of ``m`` contenders under the seed
    (:func:`~muhasasa.methods.ties.lot_order`)."""
    order = sorted(range(lists), key=str)
    ranks = np.empty(lists, dtype=np.int64)
    ranks[order] = np.arange(lists)
    if tie.rule != "lot":  # never read: ties go to the exact path
        perms = np.zeros((1, 1), dtype=np.int64)
    else:  # lists² entries: at most LOT_TABLE_LISTS lists come here
        perms = np.zeros((lists + 1, max(lists, 1)), dtype=np.int64)
        seed = 0 if tie.seed is None else tie.seed
        for m in range(1, lists + 1):
            perms[m, :m] = lot_order(seed, m)
    ranks.setflags(write=False)
    perms.setflags(write=False)
    return ranks, perms


def remainder_batch(votes: np.ndarray, kept: np.ndarray, seats: np.ndarray, params: dict[str, str]):
    """Largest remainder ('all' leftover reading) in integers; other readings and ties
    at the cut are flagged for the exact path."""
    # votes × seats must fit in int64: districts beyond it go to the exact path (seat-independent)
    widest = int(votes.max()) if votes.size else 0
    huge = seats >= 2**62 // max(widest, 1)
    if huge.any():
        out, unsure = remainder_batch(votes, kept, np.where(huge, 0, seats), params)
        unsure[:, huge] = True
        return out, unsure
    flat, n = _cells(votes, seats)
    kept_flat, _ = _cells(kept, seats)
    out, unsure = _remainder_flat(flat, n, kept_flat > 0, params)
    if params.get("leftover", "all") != "all":
        unsure[:] = True
    return out.reshape(votes.shape), unsure.reshape(votes.shape[:2])


CHUNK = 2048  # cells per block: arrays small enough to stay in cache


def _divisor_flat(flat: np.ndarray, n: np.ndarray, sequence: DivisorSequence):
    """Seat counts of every cell by a divisor method, and the cells to recheck exactly
    (seats below :data:`EXACT_FLOAT`; the cost does not depend on them)."""
    div = _integer_divisors(sequence)
    div = SimpleNamespace(common=div.c, tail_step=div.b, tail_start=div.a + div.b * (div.size - 1),
                          prefix_float=div.fprefix, size=div.size, a=float(div.a),
                          nums=np.array(div.nums, dtype=np.float64),  # exact: small integers
                          dens=np.array(div.dens, dtype=np.float64))
    counts = np.empty(flat.shape, dtype=np.int64)
    unsure = np.empty(flat.shape[0], dtype=bool)
    for start in range(0, flat.shape[0], CHUNK):
        stop = start + CHUNK
        counts[start:stop], unsure[start:stop] = _divisor_chunk(flat[start:stop], n[start:stop], div)
    return counts, unsure


def _quotients(v: np.ndarray, k: np.ndarray, div) -> np.ndarray:
    """``v / d(k)`` elementwise: one correctly rounded division of exact integers."""
    small = k < div.size
    at = np.minimum(k, div.size - 1)
    num = np.where(small, div.nums[at], div.a + div.tail_step * k.astype(np.float64))
    den = np.where(small, div.dens[at], float(div.common))
    return v * den / num


def _counts_at(v: np.ndarray, lam: np.ndarray, div) -> np.ndarray:
    """How many divisors lie below v / λ, per list (float estimate)."""
    x = v / lam[:, None]
    tail = np.maximum(np.ceil((x * div.common - div.tail_start) / div.tail_step) - 1, 0)
    counts = div.size + tail
    if div.size:
        below = np.zeros_like(v)
        for d in div.prefix_float:
            below += x > d
        counts = np.where(x > div.prefix_float[-1], counts, below)
    return counts


def _divisor_chunk(flat, n, div):
    v = flat.astype(np.float64)
    cells, lists = flat.shape
    total_votes = v.sum(axis=1)
    empty = total_votes == 0
    active = (flat > 0).sum(axis=1)
    room = div.tail_step * (n - active * (div.size - 0.5)) + active * div.tail_start
    safe_total = np.where(empty, 1.0, total_votes)
    lam = np.where(room > 0, safe_total * div.common / np.maximum(room, 1e-9),
                   safe_total / np.maximum(n, 1) * div.tail_step / div.common)
    # refine λ on the lists that win at λ: n = Σ_seated (size - 1/2 + (v c / λ - s) / st)
    for _ in range(2):
        seated = v > lam[:, None] * div.prefix_float[0]
        k = seated.sum(axis=1)
        weight = (v * seated).sum(axis=1) * div.common / div.tail_step
        rest = n - k * (div.size - 0.5 - div.tail_start / div.tail_step)
        lam = np.where((rest > 0) & (weight > 0), weight / np.maximum(rest, 1e-9), lam)
    counts = np.minimum(_counts_at(v, lam, div), n[:, None]).astype(np.int64)
    counts[flat == 0] = 0
    counts[empty] = 0
    rows = np.arange(cells)
    diff = counts.sum(axis=1) - n
    diff[empty] = 0
    over, under = np.flatnonzero(diff > 0), np.flatnonzero(diff < 0)
    for _ in range(4 * lists + 8):  # one seat per offending cell per pass
        if not over.size and not under.size:
            break
        if over.size:
            c = counts[over]
            k = np.maximum(c - 1, 0)
            q = np.where(c > 0, _quotients(v[over], k, div), np.inf)
            counts[rows[over], q.argmin(axis=1)] -= 1
            diff[over] -= 1
            over = over[diff[over] > 0]
        if under.size:
            c = counts[under]
            q = np.where(flat[under] > 0, _quotients(v[under], c, div), -np.inf)
            counts[rows[under], q.argmax(axis=1)] += 1
            diff[under] += 1
            under = under[diff[under] < 0]
    diff = counts.sum(axis=1) - n
    last_k = np.maximum(counts - 1, 0)
    last = np.where(counts > 0, _quotients(v, last_k, div), np.inf).min(axis=1)
    nxt = np.where(flat > 0, _quotients(v, counts, div), -np.inf).max(axis=1)
    unsure = ((diff != 0) & ~empty) | (~(last > nxt) & (n > 0) & np.isfinite(nxt)) | (empty & (n > 0))
    return counts, unsure


def _remainder_flat(flat: np.ndarray, n: np.ndarray, eligible: np.ndarray, params: dict[str, str]):
    """Hare or Droop largest remainder in integers; ties at the cut go to the exact path."""
    kept = np.where(eligible, flat, 0)
    base = kept.sum(axis=1) if params.get("quota_base") == "eligible" else flat.sum(axis=1)
    cells, lists = flat.shape
    if params.get("quota", "hare") == "hare":
        # quota = base / n: full = floor(v * n / base), remainder compared as v * n mod base
        numer = kept * n[:, None]
        denom = np.maximum(base, 1)[:, None]
    else:
        q = base // (n + 1) + 1
        numer = kept
        denom = np.maximum(q, 1)[:, None]
    full = numer // denom
    rem = np.where(kept > 0, numer - full * denom, -1)  # lists without votes never take a leftover
    left = n - full.sum(axis=1)
    unsure = (left < 0) | (left > (kept > 0).sum(axis=1))
    order = np.argsort(-rem, axis=1, kind="stable")
    ranked = np.take_along_axis(rem, order, axis=1)
    seats = full.copy()
    idx = np.arange(lists)[None, :]
    take = (idx < left[:, None]) & (kept[np.arange(cells)[:, None], order] > 0)
    np.add.at(seats, (np.repeat(np.arange(cells), lists).reshape(cells, lists)[take], order[take]), 1)
    at_cut = np.clip(left, 1, lists) - 1
    inside = ranked[np.arange(cells), at_cut]
    outside = ranked[np.arange(cells), np.clip(left, 0, lists - 1)]
    tie = (left > 0) & (left < lists) & (inside == outside) & (kept.astype(bool).sum(axis=1) > left)
    return seats, unsure | tie
