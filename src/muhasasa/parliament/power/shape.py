"""The shared ground of every counting engine: a weighted game reduced to its distinct
weights, the packed-integer helpers, and the count records the engines return."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from muhasasa.parliament.games import VotingGame

Progress = Callable[[float], object] | None


@dataclass(frozen=True)
class Shape:
    """A weighted game reduced to distinct weights: weights (heaviest first) and their
    multiplicities, divided by their common divisor; ``quota`` is rounded up to it."""

    weights: tuple[int, ...]
    counts: tuple[int, ...]
    quota: int
    total: int

    @property
    def n(self) -> int:
        return sum(self.counts)

    @property
    def dual(self) -> int:
        """The table limit ``L``: the quota of the smaller of the game and its dual."""
        return min(self.quota, self.total - self.quota + 1)

    @property
    def patterns(self) -> int:
        return math.prod(m + 1 for m in self.counts)


def shape_of(game: VotingGame) -> Shape:
    types = game.types()
    g = math.gcd(*(t.weight for t in types))
    return Shape(
        tuple(t.weight // g for t in types),
        tuple(t.count for t in types),
        -(-game.quota // g),
        game.total // g,
    )


def slot_bits(n: int) -> int:
    return 8 * ((n + 9) // 8)  # counts never exceed 2^n: n + 1 bits and a spare


@dataclass(frozen=True)
class Counts:
    """What every swing-based index needs, per player type (same for each member)."""

    n: int
    swings: tuple[int, ...]  # Banzhaf swings of one player of the type
    pivots: tuple[Fraction, ...] | None  # Shapley–Shubik value of one player of the type
    winning: int  # number of winning coalitions


def unpack(packed: int, slots: int, bits: int) -> list[int]:
    size = bits // 8
    raw = packed.to_bytes(slots * size, "little")
    return [int.from_bytes(raw[i * size:(i + 1) * size], "little") for i in range(slots)]


def factorials(n: int) -> list[int]:
    """``0!, 1!, …, n!`` by running products (each factorial on its own costs ``n³``)."""
    out = [1] * (n + 1)
    for k in range(2, n + 1):
        out[k] = out[k - 1] * k
    return out


def size_weights(n: int) -> list[int]:
    """``k!·(n−1−k)!``: the Shapley–Shubik weight (times n!) of a swing of size k."""
    f = factorials(n)
    return [f[k] * f[n - 1 - k] for k in range(n)]


@dataclass
class Minimal:
    """Per player type, for one player of it: memberships in minimal winning coalitions
    (``holler``), Σ 1/|S| over them (``deegan``) and Σ 1/(critical members) over the
    vulnerable coalitions where it is critical (``johnston``)."""

    holler: list[int]
    deegan: list[Fraction]
    johnston: list[Fraction]
    minimal: int
    vulnerable: int


@lru_cache(maxsize=16)
def binomials(m: int) -> tuple[int, ...]:
    out = [1] * (m + 1)
    for c in range(m):
        out[c + 1] = out[c] * (m - c) // (c + 1)
    return tuple(out)
