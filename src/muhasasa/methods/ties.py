"""Tie rules: refuse by default, or settle by a seeded lot as Iraqi law prescribes.

IHEC Regulation 12/2018 §III(d): "ties between lists are drawn by lot". A lot is
simulated with a seeded :class:`numpy.random.Generator`, and the seed is kept in
the :class:`~muhasasa.methods.result.TieEvent` so the draw can be replayed.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from muhasasa.errors import InputError, TieError
from muhasasa.methods.result import TieEvent

TIE_RULES = ("refuse", "lot")


@dataclass(frozen=True)
class TieRule:
    """How to settle equal values that compete for fewer seats than contenders."""

    rule: str = "refuse"
    seed: int | None = None

    def __post_init__(self) -> None:
        if self.rule not in TIE_RULES:
            raise InputError(
                "tie_break", f"unknown tie rule {self.rule!r}; use one of {', '.join(TIE_RULES)}"
            )

    def settle(self, contenders: list[str], seats_left: int, value: Fraction) -> TieEvent:
        """Pick ``seats_left`` winners among ``contenders`` or raise :class:`TieError`.

        Contenders are sorted by name before the draw so the outcome depends
        only on the seed, not on input order.
        """
        if self.rule == "refuse":
            raise TieError(sorted(contenders), seats_left, value)
        seed = 0 if self.seed is None else self.seed
        ordered = sorted(contenders)
        drawn = np.random.default_rng(seed).permutation(len(ordered))
        winners = tuple(ordered[i] for i in drawn[:seats_left])
        return TieEvent(
            seats_left=seats_left,
            contenders=tuple(ordered),
            winners=winners,
            value=value,
            rule="lot",
            seed=seed,
        )
