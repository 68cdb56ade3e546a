"""Tie rules: refuse by default, or settle by a seeded lot as Iraqi law prescribes.

IHEC Regulation 12/2018 §III(d): "ties between lists are drawn by lot". A lot is
simulated with a seeded :class:`numpy.random.Generator`, and the seed is kept in
the :class:`~muhasasa.methods.result.TieEvent` so the draw can be replayed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from numbers import Integral

import numpy as np

from muhasasa.errors import InputError, TieError
from muhasasa.methods.result import TieEvent

TIE_RULES = ("refuse", "lot")


@lru_cache(maxsize=4096)
def lot_order(seed: int, contenders: int) -> tuple[int, ...]:
    """The lot's order of ``contenders`` (sorted by name) under ``seed``: a permutation
    drawn by :func:`numpy.random.default_rng`, so a recorded seed replays the draw.

    >>> lot_order(0, 3)
    (2, 0, 1)
    """
    return tuple(int(i) for i in np.random.default_rng(seed).permutation(contenders))


def checked_seed(seed: object, source: str = "seed", field: str | None = "seed") -> int | None:
    """A seed is None or any non-negative whole number; anything else is refused."""
    if seed is None or (type(seed) is int and seed >= 0):
        return seed
    if isinstance(seed, Integral) and not isinstance(seed, bool) and seed >= 0:
        return int(seed)
    raise InputError(source, f"the seed must be a non-negative whole number, got {seed!r}", field=field)


@dataclass(frozen=True)
class TieRule:
    """How to settle equal values that compete for fewer seats than contenders."""

    rule: str = "refuse"
    seed: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.rule, str) or self.rule not in TIE_RULES:
            raise InputError(
                "tie_break", f"unknown tie rule {self.rule!r}; use one of {', '.join(TIE_RULES)}",
                field="tie_break",
            )
        object.__setattr__(self, "seed", checked_seed(self.seed))

    def settle(self, contenders: list[str], seats_left: int, value: Fraction) -> TieEvent:
        """Pick ``seats_left`` winners among ``contenders`` or raise :class:`TieError`.

        Contenders are sorted by name before the draw so the outcome depends
        only on the seed, not on input order.
        """
        if self.rule == "refuse":
            raise TieError(sorted(contenders), seats_left, value)
        seed = 0 if self.seed is None else self.seed
        ordered = sorted(contenders)
        drawn = lot_order(seed, len(ordered))
        winners = tuple(ordered[i] for i in drawn[:seats_left])
        return TieEvent(
            seats_left=seats_left,
            contenders=tuple(ordered),
            winners=winners,
            value=value,
            rule="lot",
            seed=seed,
        )


def take_top(
    ranked: list[str], values: Mapping[str, Fraction | int], k: int, tie: TieRule, scale: int = 1
) -> tuple[list[str], tuple[TieEvent, ...]]:
    """The first ``k`` of ``ranked`` (sorted by value, largest first); when equal
    values straddle the cut, the tie rule picks among them. ``values`` may be
    scaled by a common positive ``scale`` (integers instead of Fractions); the
    tie is reported at ``value / scale``.

    >>> take_top(["A", "B", "C"], {"A": 5, "B": 3, "C": 3}, 2, TieRule("lot", 1))[0]
    ['A', 'B']
    """
    chosen = ranked[:k]
    if not 0 < k < len(ranked) or values[ranked[k - 1]] != values[ranked[k]]:
        return chosen, ()
    edge = values[ranked[k]]
    tied = [p for p in ranked if values[p] == edge]
    sure = [p for p in chosen if values[p] > edge]
    event = tie.settle(tied, k - len(sure), Fraction(edge) / scale)
    won = set(event.winners)
    return sure + [p for p in tied if p in won], (event,)
