"""Seats of each draw: the law's allocation per district (the batch path, exactly as
:func:`muhasasa.allocate`), national seats, scripted resignations and the bloc stage."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from muhasasa.errors import MuhasasaError, TieError
from muhasasa.methods import METHODS, allocate
from muhasasa.methods.thresholds import threshold_votes

if TYPE_CHECKING:
    from muhasasa.montecarlo.plan import Plan

__all__ = ["batch_kernel", "bloc_seats", "list_seats", "national_seats", "resign_seats", "seats_of"]


def _allocate_batch_reference(votes, seats, method: str = "sainte-lague-modified", *, tie_break: str = "refuse",
                              seed: int | None = None, threshold: str | None = None, **params: object) -> np.ndarray:
    """The batch contract by a plain loop over :func:`muhasasa.allocate` (slow, obviously right).

    >>> _allocate_batch_reference(np.array([[[100000, 80000, 30000, 20000]]]), np.array([8]),
    ...                           first_divisor="1.7").tolist()
    [[[4, 3, 1, 0]]]
    """
    votes = np.asarray(votes, dtype=np.int64)
    seats = np.asarray(seats, dtype=np.int64)
    out = np.zeros_like(votes)
    for d in range(votes.shape[0]):
        for k in range(votes.shape[1]):
            names = {str(i): int(v) for i, v in enumerate(votes[d, k])}
            result = allocate(names, int(seats[k]), method=method, threshold=threshold,
                              tie_break=tie_break, seed=seed, **params)
            out[d, k] = [result.seats[str(i)] for i in range(votes.shape[2])]
    return out


def batch_kernel() -> Callable[..., np.ndarray]:
    """:func:`muhasasa.methods.batch.allocate_batch` where it exists, else the reference loop."""
    try:
        from muhasasa.methods.batch import allocate_batch
    except ImportError:  # pragma: no cover - until the vectorized path lands
        return _allocate_batch_reference
    return allocate_batch


def seats_of(plan: Plan, votes: np.ndarray, tie_seed: int) -> np.ndarray:
    """Seats per draw, district and list, exactly as the law allocates them."""
    if votes.shape[1] == 0:
        return np.zeros(votes.shape, dtype=np.int64)
    batch = batch_kernel()
    method = METHODS[plan.method]
    threshold = plan.threshold
    needs_total = method.family == "quota" and plan.params.get("quota_base") != "eligible"
    text = (threshold or "none").strip().lower()
    threshold_on_total = text.endswith("%") or "quota" in text
    try:
        if not plan.residual.any() or not (needs_total or threshold_on_total):
            return batch(votes, plan.seats, plan.method, tie_break=plan.tie_break, seed=tie_seed,
                         threshold=threshold, **plan.params)
        if needs_total:
            return _with_residual(plan, votes, tie_seed)
        kept = votes.copy()
        for d in range(votes.shape[1]):
            n = int(plan.seats[d])
            zero = threshold_votes(threshold, 0, n) or Fraction(0)
            slope = (threshold_votes(threshold, 1, n) or Fraction(0)) - zero
            # eligible: v >= zero + slope * total, in integers over a common denominator
            den = slope.denominator * zero.denominator
            total = votes[:, d, :].sum(axis=1) + int(plan.residual[d])
            need = slope.numerator * zero.denominator * total + zero.numerator * slope.denominator
            below = kept[:, d, :] * den < need[:, None]
            kept[:, d, :][below] = 0
        return batch(kept, plan.seats, plan.method, tie_break=plan.tie_break, seed=tie_seed, **plan.params)
    except TieError as exc:
        raise MuhasasaError(f"{exc} (in a Monte Carlo draw; the law's tie rule is 'refuse': write ties = \"lot\" "
                            "in [uncertainty] to settle draws' ties by lot)") from None


def _with_residual(plan: Plan, votes: np.ndarray, tie_seed: int) -> np.ndarray:
    """The exact path draw by draw, with the unitemized votes counted in the quota."""
    out = np.zeros_like(votes)
    for k in range(votes.shape[0]):
        for d in range(votes.shape[1]):
            names = {str(i): int(v) for i, v in enumerate(votes[k, d])}
            result = allocate(names, int(plan.seats[d]), method=plan.method, threshold=plan.threshold,
                              residual_votes=int(plan.residual[d]), tie_break=plan.tie_break, seed=tie_seed,
                              **plan.params)
            out[k, d] = [result.seats[str(i)] for i in range(votes.shape[2])]
    return out


def national_seats(plan: Plan, seats: np.ndarray) -> np.ndarray:
    return seats.sum(axis=1) + plan.held[None, :]


def resign_seats(plan: Plan, national: np.ndarray, tie_seed: int) -> np.ndarray:
    """Vacated seats refilled among the resigning list's community (largest remainder on seats)."""
    batch = batch_kernel()
    national = national.copy()
    for r in plan.resignations:
        i, count, peers = r.list_index, r.seats, r.peers
        vacated = national[:, i].copy() if count is None else np.minimum(national[:, i], count)
        national[:, i] -= vacated
        peer_idx = list(peers)
        for v in np.unique(vacated):
            if v <= 0:
                continue
            rows = np.flatnonzero(vacated == v)
            weights = national[np.ix_(rows, peer_idx)][:, None, :]
            extra = batch(weights, np.array([v]), "largest-remainder", tie_break="lot", seed=tie_seed,
                          quota="hare")
            national[np.ix_(rows, peer_idx)] += extra[:, 0, :]
    return national


def bloc_seats(plan: Plan, national: np.ndarray) -> np.ndarray:
    remaining = national.copy()
    out = np.zeros((national.shape[0], len(plan.players)), dtype=np.int64)
    for share in plan.bloc_ops:
        i = share.list_index
        take = remaining[:, i] if share.seats is None else np.minimum(remaining[:, i], share.seats)
        out[:, share.player] += take
        remaining[:, i] -= take
    for lp in plan.list_players:
        out[:, lp.player] = remaining[:, lp.list_index]
    return out


def list_seats(plan: Plan, row: np.ndarray) -> dict[str, int]:
    return {plan.lists[i]: int(v) for i, v in enumerate(row) if v}

