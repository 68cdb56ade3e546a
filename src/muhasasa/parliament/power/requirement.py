"""Games with a community requirement: inclusion–exclusion over the communities a
coalition avoids (one seat of each), or a dynamic programme over (weight, community seats
capped at the requirement)."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

from muhasasa.errors import InputError
from muhasasa.parliament.games import VotingGame
from muhasasa.parliament.power.cost import STATE_LIMIT
from muhasasa.parliament.power.shape import (
    Counts,
    Progress,
    binomials,
    factorials,
    slot_bits,
    unpack,
)


def _capped_counts(types, skip: int | None, need: tuple[int, ...], *, sizes: bool) -> dict:
    """Coalitions of all players (less one of type ``skip``) by state
    (weight, community seats capped at what is needed[, size]) -> count."""
    states: dict[tuple, int] = {(0, *(0 for _ in need)) + ((0,) if sizes else ()): 1}
    for i, t in enumerate(types):
        m = t.count - (1 if i == skip else 0)
        if m == 0:
            continue
        binoms = binomials(m)
        grown: dict[tuple, int] = {}
        for state, count in states.items():
            weight, seats = state[0], state[1:1 + len(need)]
            for c in range(m + 1):
                key = (weight + c * t.weight,
                       *(min(r, s + c * x) for s, x, r in zip(seats, t.community_seats, need)))
                if sizes:
                    key += (state[-1] + c,)
                grown[key] = grown.get(key, 0) + count * binoms[c]
        states = grown
        if len(states) > STATE_LIMIT:
            raise InputError(
                "game", f"the community requirement makes more than {STATE_LIMIT:,} coalition states "
                "(the limit); group players into blocs or require one seat per community (share 0)",
                field="communities",
            )
    return states


class _Family:
    """Coalitions of a set of player types, by weight below the quota (and by size):
    prefix sums of the generating function, packed by size."""

    def __init__(self, types, members: list[int], q: int, n: int, sizes: bool) -> None:
        self.q, self.n, self.sizes = q, n, sizes
        self.bits = slot_bits(n)
        self.count = sum(types[i].count for i in members)
        table = [0] * q
        table[0] = 1
        step = self.bits if sizes else 0
        for i in members:
            w = types[i].weight
            if w >= q:
                continue
            for _ in range(types[i].count):
                for x in range(q - 1, w - 1, -1):  # w = 0 too: every coalition with or without
                    table[x] += table[x - w] << step if step else table[x - w]
        self.prefix = list(itertools.accumulate(table))

    def below(self, limit: int, without: int | None) -> int:
        """Coalitions (packed by size when ``sizes``) with weight <= ``limit``,
        leaving out one player of weight ``without`` (exact division)."""
        if limit < 0:
            return 0
        if without is None:
            return self.prefix[min(limit, self.q - 1)]
        plus = minus = 0
        j = 0
        while limit - j * without >= 0:
            term = self.prefix[min(limit - j * without, self.q - 1)]
            if self.sizes:
                term <<= j * self.bits
            if j % 2:
                minus += term
            else:
                plus += term
            j += 1
            if without == 0:
                break
        return plus - minus

    def everything(self, without: bool) -> int:
        """All coalitions of the family (packed by size: binomials)."""
        m = self.count - (1 if without else 0)
        if not self.sizes:
            return 1 << m
        return sum(math.comb(m, k) << (k * self.bits) for k in range(m + 1))


def covering_counts(game: VotingGame, *, with_sizes: bool, progress: Progress = None) -> Counts:
    """Swings under "at least one seat of each community", by inclusion–exclusion
    over the communities a coalition avoids: each term is a plain weighted game."""
    types = game.types()
    names = list(game.needed_by_community())
    n, q = len(game.weights), game.quota
    covers = [frozenset(c for c, x in zip(names, t.community_seats) if x) for t in types]
    families = {}
    subsets = [a for r in range(len(names) + 1) for a in itertools.combinations(names, r)]
    for done, avoided in enumerate(subsets):
        members = [i for i, cov in enumerate(covers) if not cov & set(avoided)]
        families[frozenset(avoided)] = _Family(types, members, q, n, with_sizes)
        if progress:
            progress((done + 1) / (len(subsets) + 1))
    bits = slot_bits(n)
    factorial = factorials(n)

    def size_weighted(packed: int) -> int:
        return sum(c * factorial[k] * factorial[n - 1 - k] for k, c in enumerate(unpack(packed, n, bits)))

    def at_least(i: int | None, threshold: int, allowed) -> int:
        total = 0
        for avoided, family in families.items():
            if not avoided <= allowed:
                continue
            inside = i is not None and not covers[i] & avoided
            w = types[i].weight if inside else None
            value = family.everything(inside) - family.below(threshold - 1, w)
            total += -value if len(avoided) % 2 else value
        return total

    everyone = frozenset(names)
    winning = at_least(None, q, everyone)
    if with_sizes:  # 'winning' above was packed by size: recount plainly
        winning = sum(unpack(winning, n + 1, bits))
    swings, pivots = [], []
    for i, t in enumerate(types):
        f = at_least(i, q - t.weight, everyone - covers[i])
        g = at_least(i, q, everyone)
        if with_sizes:
            value = f - g
            pivots.append(Fraction(size_weighted(value), factorial[n]))
            swings.append(sum(unpack(value, n, bits)))
        else:
            swings.append(f - g)
    return Counts(n, tuple(swings), tuple(pivots) if with_sizes else None, winning)


def requirement_counts(game: VotingGame, *, with_sizes: bool, progress: Progress = None) -> Counts:
    """Swings (and Shapley–Shubik values) under a community requirement, by dynamic
    programming over (weight, community seats capped at the requirement)."""
    types = game.types()
    need = tuple(game.needed_by_community().values())
    n = len(game.weights)
    q = game.quota
    factorial = factorials(n)

    def wins(weight, seats) -> bool:
        return weight >= q and all(s >= r for s, r in zip(seats, need))

    everyone = _capped_counts(types, None, need, sizes=False)
    winning = sum(c for st, c in everyone.items() if wins(st[0], st[1:]))
    swings, pivots = [], []
    for i, t in enumerate(types):
        others = _capped_counts(types, i, need, sizes=with_sizes)
        swing, pivot = 0, 0
        for state, count in others.items():
            weight, seats = state[0], state[1:1 + len(need)]
            joined = tuple(min(r, s + x) for s, x, r in zip(seats, t.community_seats, need))
            if not wins(weight, seats) and wins(weight + t.weight, joined):
                swing += count
                if with_sizes:
                    k = state[-1]
                    pivot += count * factorial[k] * factorial[n - 1 - k]
        swings.append(swing)
        pivots.append(Fraction(pivot, factorial[n]))
        if progress:
            progress((i + 1) / len(types))
    return Counts(n, tuple(swings), tuple(pivots) if with_sizes else None, winning)


# --------------------------------------------------------------------------- indices
