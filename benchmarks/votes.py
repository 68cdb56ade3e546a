"""Seeded vote distributions shared by the allocation benchmarks.

Five shapes, each from a ``numpy.random.Generator``, as integer votes of any shape whose
last axis is the lists:

- ``uniform``: every list's votes uniform between 5,000 and 2,000,000;
- ``lognormal``: ``round(exp(N(11, 1.5))) + 1`` (a few big lists, a long tail);
- ``dirichlet``: 40,000 voters per seat split by Dirichlet(1) shares (multinomial);
- ``dominant``: one list with about 70% of the votes (Dirichlet(30, 1, …, 1) shares);
- ``equal``: four lists in five share one vote count, the rest uniform around it,
  so exact ties at the last seat are common (the law settles them by lot).
"""

from __future__ import annotations

import numpy as np

DISTRIBUTIONS = ("uniform", "lognormal", "dirichlet", "dominant", "equal")

#: Iraq's 18 governorates, general seats in 2025 (320): the benchmark's national election.
GOVERNORATE_SEATS_2025 = np.array([69, 31, 25, 19, 17, 18, 15, 15, 14, 12, 12, 12, 11, 11, 10, 11, 11, 7])


def draw(kind: str, rng: np.random.Generator, shape: tuple[int, ...], seats: int | np.ndarray = 20) -> np.ndarray:
    """Votes of ``shape`` (last axis: lists) drawn from the named distribution (int64).

    ``seats`` (a number, or one per row of the second-to-last axis) scales the
    electorate of the ``dirichlet`` and ``dominant`` shapes: 40,000 voters per seat.
    """
    lists = shape[-1]
    voters = np.broadcast_to(np.asarray(seats, dtype=np.int64) * 40_000, shape[:-1])
    if kind == "uniform":
        return rng.integers(5_000, 2_000_001, size=shape, dtype=np.int64)
    if kind == "lognormal":
        return np.rint(rng.lognormal(11.0, 1.5, size=shape)).astype(np.int64) + 1
    if kind in ("dirichlet", "dominant"):
        alpha = np.ones(lists)
        if kind == "dominant":
            alpha[0] = 30.0
        shares = rng.dirichlet(alpha, size=shape[:-1])
        return rng.multinomial(voters, shares).astype(np.int64)
    if kind == "equal":
        common = rng.integers(20_000, 60_000, size=(*shape[:-1], 1), dtype=np.int64)
        spread = rng.integers(5_000, 200_000, size=shape, dtype=np.int64)
        return np.where(rng.random(shape) < 0.8, common, spread)
    raise ValueError(f"unknown distribution {kind!r}; use one of {', '.join(DISTRIBUTIONS)}")
