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
from muhasasa.methods import MAX_LISTS, allocate, get_method
from muhasasa.methods.thresholds import threshold_votes
from muhasasa.methods.ties import TieRule

#: Votes in one batch (draws × districts × lists), refused above before any work: 400 MB
#: as int64, and a few arrays of that size are made.
MAX_BATCH_VALUES = 50_000_000
#: Votes per list above this are outside the vectorized path's exact float range.
MAX_BATCH_VOTES = 2**40
#: Seats per district must lie below this (int64 counts); the cost does not depend on them.
MAX_BATCH_SEATS = 2**62


def _array(value: object, field: str, shape: str) -> np.ndarray:
    """``value`` as an array, refused (naming ``field``) when it is ragged or too large;
    the size is checked before anything is read."""
    try:
        array = value if isinstance(value, np.ndarray) else np.asarray(value)
    except (ValueError, TypeError, OverflowError, MemoryError) as exc:
        reason = str(exc).split(".")[0][:80]
        raise InputError(field, f"{field} must be a regular array of whole numbers {shape} ({reason})",
                         field=field) from None
    if array.size > MAX_BATCH_VALUES:
        raise InputError(field, f"{array.size:,} values in {field}: more than the limit of "
                         f"{MAX_BATCH_VALUES:,} in one batch; split the draws", field=field)
    return array


def _whole(array: np.ndarray, field: str) -> np.ndarray:
    """The array if it holds whole numbers of an integer type (empty: any type), else refused."""
    if array.size == 0:
        return array.astype(np.int64)
    kind = array.dtype.kind
    if kind in "iu":
        return array
    if kind == "O" and all(type(x) is int for x in array.flat):
        limit = "2^40 per list" if field == "votes" else "2^62 per district"
        raise InputError(field, f"{field} beyond a 64-bit integer (the batch path's limit is {limit}); "
                         "use allocate() for such numbers", field=field)
    what = {"f": "floats", "c": "complex numbers", "b": "booleans", "U": "text", "S": "bytes"}.get(kind, "objects")
    raise InputError(field, f"{field} must be whole numbers in an integer array (exact counts), got {what}",
                     field=field)


def _extremes(array: np.ndarray, compiled: bool) -> tuple[int, int]:
    """The smallest and largest value of a non-empty array: one compiled pass when the
    compiled kernels are in use and the array is a large contiguous int64 one."""
    if compiled and array.size >= 1 << 16 and array.dtype == np.int64 and array.flags.c_contiguous:
        from muhasasa.methods.compiled import extremes

        return extremes(array)
    return int(array.min()), int(array.max())


def _checked(votes, seats, compiled: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Votes (draws, districts, lists) and seats (districts,) as int64, every bound checked."""
    votes = _array(votes, "votes", "of shape (draws, districts, lists)")
    seats = _array(seats, "seats", "of shape (districts,)")
    if votes.ndim != 3:
        raise InputError("votes", f"votes must have shape (draws, districts, lists), got {votes.shape}",
                         field="votes")
    if seats.ndim != 1 or seats.shape[0] != votes.shape[1]:
        raise InputError("seats", f"seats must have shape ({votes.shape[1]},), got {seats.shape}", field="seats")
    votes, seats = _whole(votes, "votes"), _whole(seats, "seats")
    if votes.shape[2] > MAX_LISTS:
        raise InputError("votes", f"more than {MAX_LISTS:,} lists (the limit)", field="votes")
    for field, array, limit, shown in (("votes", votes, MAX_BATCH_VOTES, "2^40 per list"),
                                       ("seats", seats, MAX_BATCH_SEATS, "2^62 per district")):
        low, high = _extremes(array, compiled) if array.size else (0, 0)
        if low < 0:
            raise InputError(field, f"{field} cannot be negative", field=field)
        if high > limit:
            raise InputError(field, f"{field} above {shown} are outside the vectorized path's exact range; "
                             "use allocate() for such numbers", field=field)
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

    Bounds, checked before any work (an :class:`~muhasasa.errors.InputError` naming the
    field otherwise): at most :data:`MAX_BATCH_VALUES` votes in all and
    :data:`~muhasasa.methods.MAX_LISTS` lists, votes below 2^40, seats below 2^62 per
    district; the cost does not depend on the seats.

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
    votes, seats = _checked(votes, seats, compiled=algorithm == "numba")
    threshold_votes(threshold, 0, 1)  # refuse a bad threshold even when there is no cell to apply it to
    lists = votes.shape[2]
    if lists == 0 or votes.shape[0] == 0:
        if votes.shape[0] and seats.any():  # seats and no list: the exact path's own refusal
            allocate({}, int(seats.max()), method=method, threshold=threshold, **resolved)
        return np.zeros(votes.shape, dtype=np.int64)
    eligible = _eligible(votes, seats, threshold)
    kept = votes if eligible is None else np.where(eligible, votes, 0)
    out, unsure = rule.batch(votes, kept, seats, tie, algorithm)
    for d, k in zip(*np.nonzero(unsure)) if unsure.any() else ():
        names = {f"{i}": int(v) for i, v in enumerate(votes[d, k])}
        result = allocate(names, int(seats[k]), method=method, threshold=threshold,
                          tie_break=tie_break, seed=seed, **resolved)
        out[d, k] = [result.seats[f"{i}"] for i in range(lists)]
    return out


def _eligible(votes: np.ndarray, seats: np.ndarray, threshold) -> np.ndarray | None:
    """Lists at or above the threshold, per cell (exact integer comparisons); None for all."""
    if threshold is None or (isinstance(threshold, str) and threshold.strip().lower() in ("", "none", "0")):
        return None
    if type(threshold) is int and threshold == 0:
        return None
    totals = votes.sum(axis=2)
    out = np.ones(votes.shape, dtype=bool)
    for d in range(votes.shape[0]):
        for k in range(votes.shape[1]):
            needed = threshold_votes(threshold, int(totals[d, k]), int(seats[k]))
            if needed is not None:
                out[d, k] = votes[d, k] * needed.denominator >= needed.numerator
    return out
