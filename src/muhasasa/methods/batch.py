"""The vectorized path: many elections at once, identical to :func:`muhasasa.allocate`.

``allocate_batch(votes, seats, method=ID, **params)`` takes integer votes of shape
(draws, districts, lists) and seats per district of shape (districts,) and returns
seats of shape (draws, districts, lists).

How it stays exact: divisor methods estimate every cell's seat counts at once with
a threshold λ, correct them seat by seat in float64 (quotients ``v·den / num`` are
correctly rounded divisions of exact integers, so float order never inverts the
exact order), and then check the boundary. A cell whose smallest winning quotient
is *strictly* above its largest losing quotient in float is exactly right; the few
cells where the two are equal in float (a true tie, or values too close for float)
are recomputed by the exact scalar path, with the same tie rule and seed, so the
result is the same as calling :func:`~muhasasa.allocate` draw by draw. Largest
remainder works in integers throughout.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from muhasasa.errors import InputError
from muhasasa.methods import allocate, get_method
from muhasasa.methods.highest_averages import (
    DivisorSequence,
    _first_divisor,
    _integer_divisors,
)
from muhasasa.methods.thresholds import threshold_votes

_SEQUENCES = {
    "dhondt": lambda p: DivisorSequence((Fraction(1),), Fraction(1)),
    "sainte-lague": lambda p: DivisorSequence((Fraction(1),), Fraction(2)),
    "sainte-lague-modified": lambda p: DivisorSequence.checked((_first_divisor(p), Fraction(3)), Fraction(2)),
    "highest-averages": lambda p: DivisorSequence.parse(p["divisors"]),
}


def _checked(votes, seats) -> tuple[np.ndarray, np.ndarray]:
    votes = np.asarray(votes)
    seats = np.asarray(seats)
    if votes.ndim != 3:
        raise InputError("votes", f"votes must have shape (draws, districts, lists), got {votes.shape}")
    if seats.ndim != 1 or seats.shape[0] != votes.shape[1]:
        raise InputError("seats", f"seats must have shape ({votes.shape[1]},), got {seats.shape}")
    if not np.issubdtype(votes.dtype, np.integer) or not np.issubdtype(seats.dtype, np.integer):
        raise InputError("votes", "votes and seats must be integer arrays (exact counts)")
    if (votes < 0).any() or (seats < 0).any():
        raise InputError("votes", "votes and seats cannot be negative")
    if votes.size and votes.max() > 2**40:
        raise InputError("votes", "votes above 2^40 per list are outside the vectorized path's exact range")
    return votes.astype(np.int64, copy=False), seats.astype(np.int64, copy=False)


def allocate_batch(
    votes,
    seats,
    method: str = "sainte-lague-modified",
    *,
    threshold: str | int | None = None,
    tie_break: str = "refuse",
    seed: int | None = None,
    **params: object,
) -> np.ndarray:
    """Seats for every draw and district at once, identical to :func:`muhasasa.allocate`.

    >>> votes = np.array([[[100000, 80000, 30000, 20000]]])
    >>> allocate_batch(votes, np.array([8]), first_divisor="1.7").tolist()
    [[[4, 3, 1, 0]]]
    """
    chosen = get_method(method)
    resolved = chosen.resolve_params(params)
    votes, seats = _checked(votes, seats)
    draws, districts, lists = votes.shape
    flat = votes.reshape(draws * districts, lists)
    n = np.tile(seats, draws)
    eligible = _eligible(flat, n, threshold)
    kept = flat if eligible is None else np.where(eligible, flat, 0)
    if method in _SEQUENCES:
        out, unsure = _divisor_batch(kept, n, _SEQUENCES[method](resolved))
    elif method == "largest-remainder" and resolved.get("leftover", "all") == "all":
        out, unsure = _remainder_batch(flat, n, np.ones(flat.shape, dtype=bool) if eligible is None else eligible,
                                       resolved)
    else:
        out, unsure = np.zeros_like(flat), np.ones(flat.shape[0], dtype=bool)
    empty = (kept.sum(axis=1) == 0) & (n > 0)
    unsure |= empty  # let the exact path raise its error for these cells
    for cell in np.flatnonzero(unsure):
        names = {f"{i}": int(v) for i, v in enumerate(flat[cell])}
        result = allocate(names, int(n[cell]), method=method, threshold=threshold,
                          tie_break=tie_break, seed=seed, **resolved)
        out[cell] = [result.seats[f"{i}"] for i in range(lists)]
    return out.reshape(draws, districts, lists)


def _eligible(flat: np.ndarray, n: np.ndarray, threshold) -> np.ndarray | None:
    """Lists at or above the threshold, per cell (exact integer comparisons); None for all."""
    if threshold is None or str(threshold).strip().lower() in ("", "none", "0"):
        return None
    totals = flat.sum(axis=1)
    out = np.ones(flat.shape, dtype=bool)
    for cell in range(flat.shape[0]):
        needed = threshold_votes(threshold, int(totals[cell]), int(n[cell]))
        if needed is not None:
            out[cell] = flat[cell] * needed.denominator >= needed.numerator
    return out


CHUNK = 2048  # cells per block: arrays small enough to stay in cache


def _divisor_batch(flat: np.ndarray, n: np.ndarray, sequence: DivisorSequence):
    """Seat counts of every cell by a divisor method, and the cells to recheck exactly."""
    div = _integer_divisors(sequence)
    n_max = int(n.max()) if n.size else 0
    nums, dens = div.table(n_max + 2)
    nums = np.array(nums[: n_max + 2], dtype=np.float64)  # exact: small integers
    dens = np.array(dens[: n_max + 2], dtype=np.float64)
    counts = np.empty(flat.shape, dtype=np.int64)
    unsure = np.empty(flat.shape[0], dtype=bool)
    for start in range(0, flat.shape[0], CHUNK):
        stop = start + CHUNK
        counts[start:stop], unsure[start:stop] = _divisor_chunk(flat[start:stop], n[start:stop], div, nums, dens)
    return counts, unsure


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


def _divisor_chunk(flat, n, div, nums, dens):
    v = flat.astype(np.float64)
    cells, lists = flat.shape
    n_max = nums.shape[0] - 2
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
            q = np.where(c > 0, v[over] * dens[k] / nums[k], np.inf)
            counts[rows[over], q.argmin(axis=1)] -= 1
            diff[over] -= 1
            over = over[diff[over] > 0]
        if under.size:
            c = counts[under]
            q = np.where(flat[under] > 0, v[under] * dens[c] / nums[c], -np.inf)
            counts[rows[under], q.argmax(axis=1)] += 1
            diff[under] += 1
            under = under[diff[under] < 0]
    diff = counts.sum(axis=1) - n
    last_k = np.maximum(counts - 1, 0)
    last = np.where(counts > 0, v * dens[last_k] / nums[last_k], np.inf).min(axis=1)
    nxt_k = np.minimum(counts, n_max + 1)
    nxt = np.where(flat > 0, v * dens[nxt_k] / nums[nxt_k], -np.inf).max(axis=1)
    unsure = ((diff != 0) & ~empty) | (~(last > nxt) & (n > 0) & np.isfinite(nxt))
    return counts, unsure


def _remainder_batch(flat: np.ndarray, n: np.ndarray, eligible: np.ndarray, params: dict[str, str]):
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
