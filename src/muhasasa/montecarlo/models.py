"""Uncertainty models: the votes of a batch of draws around the base table (see the
package's documentation for each model)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from muhasasa.montecarlo.plan import Plan

__all__ = ["draw_votes"]


def draw_votes(plan: Plan, rng: np.random.Generator, n: int) -> np.ndarray:
    """Votes of ``n`` draws, shape (n, districts, lists), under the plan's model."""
    votes = plan.votes
    if plan.model == "none" or votes.size == 0:
        return np.broadcast_to(votes, (n, *votes.shape)).copy()
    totals = votes.sum(axis=1)
    safe = np.where(totals > 0, totals, 1)
    p = votes / safe[:, None]
    alive = votes > 0
    if plan.model == "dirichlet":
        alpha = np.where(alive, plan.concentration * p, 1.0)
        g = rng.standard_gamma(np.broadcast_to(alpha, (n, *alpha.shape)))
        g = np.where(alive, g, 0.0)
        q = g / np.maximum(g.sum(axis=2, keepdims=True), 1e-300)
    elif plan.model == "logit-normal":
        rho = plan.correlation
        z = rng.standard_normal((n, 1, votes.shape[1]))
        e = rng.standard_normal((n, *votes.shape))
        eps = plan.sigma * (math.sqrt(rho) * z + math.sqrt(1.0 - rho) * e)
        logits = np.where(alive, np.log(np.where(alive, p, 1.0)) + eps, -np.inf)
        logits -= logits.max(axis=2, keepdims=True)
        w = np.where(alive, np.exp(logits), 0.0)
        q = w / w.sum(axis=2, keepdims=True)
    else:
        q = np.broadcast_to(p, (n, *p.shape))
    if plan.model == "multinomial" or plan.ballots is not None:
        ballots = np.full(totals.shape, plan.ballots) if plan.ballots is not None else totals
        q = q / np.maximum(q.sum(axis=2, keepdims=True), 1e-300)
        counts = rng.multinomial(np.broadcast_to(ballots, (n, totals.shape[0])), q)
        if plan.ballots is None:
            return counts.astype(np.int64)
        q = counts / np.maximum(ballots, 1)[None, :, None]
    return np.rint(q * totals[None, :, None]).astype(np.int64)

