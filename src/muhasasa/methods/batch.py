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

import numpy as np

from muhasasa.errors import InputError
from muhasasa.methods import allocate, get_method
from muhasasa.methods.thresholds import threshold_votes
from muhasasa.methods.ties import TieRule


def _checked(votes, seats) -> tuple[np.ndarray, np.ndarray]:
    votes = np.asarray(votes)
    seats = np.asarray(seats)
    if votes.ndim != 3:
        raise InputError("votes", f"votes must have shape (draws, districts, lists), got {votes.shape}")
    if seats.ndim != 1 or seats.shape[0] != votes.shape[1]:
        raise InputError("seats", f"seats must have shape ({votes.shape[1]},), got {seats.shape}")
    if not np.issubdtype(votes.dtype, np.integer) or not np.issubdtype(seats.dtype, np.integer):
        raise InputError("votes", "votes and seats must be integer arrays (exact counts)")
    if (votes.size and votes.min() < 0) or (seats.size and seats.min() < 0):
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
    algorithm: str | None = None,
    **params: object,
) -> np.ndarray:
    """Seats for every draw and district at once, identical to :func:`muhasasa.allocate`.

    ``algorithm`` picks one of the method's batch kernels (``Method.rule(...).algorithms``,
    fastest first, the default); every kernel gives the same seats.

    >>> votes = np.array([[[100000, 80000, 30000, 20000]]])
    >>> allocate_batch(votes, np.array([8]), first_divisor="1.7").tolist()
    [[[4, 3, 1, 0]]]
    """
    chosen = get_method(method)
    resolved = chosen.resolve_params(params)
    rule = chosen.arithmetic(resolved)
    tie = TieRule(tie_break, seed)
    if algorithm is None:
        algorithm = rule.algorithms[0]
    elif algorithm not in rule.algorithms:
        raise InputError("algorithm", f"{algorithm!r} is not a batch algorithm of {method!r} here; "
                         f"use one of {', '.join(rule.algorithms)}", field="algorithm")
    votes, seats = _checked(votes, seats)
    lists = votes.shape[2]
    eligible = _eligible(votes, seats, threshold)
    kept = votes if eligible is None else np.where(eligible, votes, 0)
    out, unsure = rule.batch(votes, kept, seats, tie, algorithm)
    for d, k in zip(*np.nonzero(unsure)):
        names = {f"{i}": int(v) for i, v in enumerate(votes[d, k])}
        result = allocate(names, int(seats[k]), method=method, threshold=threshold,
                          tie_break=tie_break, seed=seed, **resolved)
        out[d, k] = [result.seats[f"{i}"] for i in range(lists)]
    return out


def _eligible(votes: np.ndarray, seats: np.ndarray, threshold) -> np.ndarray | None:
    """Lists at or above the threshold, per cell (exact integer comparisons); None for all."""
    if threshold is None or str(threshold).strip().lower() in ("", "none", "0"):
        return None
    totals = votes.sum(axis=2)
    out = np.ones(votes.shape, dtype=bool)
    for d in range(votes.shape[0]):
        for k in range(votes.shape[1]):
            needed = threshold_votes(threshold, int(totals[d, k]), int(seats[k]))
            if needed is not None:
                out[d, k] = votes[d, k] * needed.denominator >= needed.numerator
    return out
