"""Any game counted by visiting every type-count pattern with its multiplicity: for
community requirements and for few players with huge weights."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from muhasasa.parliament.games import VotingGame
from muhasasa.parliament.power.shape import Progress, binomials, factorials


@dataclass
class Tally:
    n: int
    swings: list[int]
    pivots: list[Fraction]
    minimal_member: list[int]  # per type: Σ over MWC of members of the type (players-times)
    deegan: list[Fraction]
    johnston: list[Fraction]
    winning: int = 0
    minimal: int = 0
    vulnerable: int = 0


def enumerate_patterns(game: VotingGame, progress: Progress = None) -> Tally:
    """Visit every coalition pattern (c_t members of each type t) with its multiplicity."""
    types = game.types()
    patterns = math.prod(t.count + 1 for t in types)
    need = game.needed_by_community()
    need_vec = tuple(need.values())
    n = len(game.weights)
    q = game.quota
    factorial = factorials(n)
    k_types = len(types)
    tally = Tally(n, [0] * k_types, [Fraction(0)] * k_types, [0] * k_types,
                   [Fraction(0)] * k_types, [Fraction(0)] * k_types)
    ss_num = [0] * k_types
    counts = [0] * k_types
    visited = 0
    step = max(1, patterns // 100)

    def wins(weight: int, seats: tuple[int, ...]) -> bool:
        return weight >= q and all(s >= r for s, r in zip(seats, need_vec))

    def leaf(weight: int, seats: tuple[int, ...], mult: int, size: int) -> None:
        nonlocal visited
        visited += 1
        if progress and visited % step == 0:
            progress(visited / patterns)
        if not wins(weight, seats):
            return
        tally.winning += mult
        critical = []
        for i, t in enumerate(types):
            c = counts[i]
            if c and not wins(weight - t.weight, tuple(s - x for s, x in zip(seats, t.community_seats))):
                critical.append(i)
        if not critical:
            return
        tally.vulnerable += mult
        n_critical = sum(counts[i] for i in critical)
        share = Fraction(mult, n_critical)
        for i in critical:
            c = counts[i]
            tally.swings[i] += mult * c
            ss_num[i] += mult * c * factorial[size - 1] * factorial[n - size]
            tally.johnston[i] += share * c
        present = [i for i in range(k_types) if counts[i]]
        if len(critical) == len(present):  # every member critical: minimal winning
            tally.minimal += mult
            for i in present:
                tally.minimal_member[i] += mult * counts[i]
                tally.deegan[i] += Fraction(mult * counts[i], size)

    def walk(i: int, weight: int, seats: tuple[int, ...], mult: int, size: int) -> None:
        if i == k_types:
            leaf(weight, seats, mult, size)
            return
        t = types[i]
        binoms = binomials(t.count)
        for c in range(t.count + 1):
            counts[i] = c
            walk(
                i + 1,
                weight + c * t.weight,
                tuple(s + c * x for s, x in zip(seats, t.community_seats)),
                mult * binoms[c],
                size + c,
            )
        counts[i] = 0

    walk(0, 0, tuple(0 for _ in need_vec), 1, 0)
    # per type totals over its members -> per player
    for i, t in enumerate(types):
        m = t.count
        tally.swings[i] //= m
        tally.pivots[i] = Fraction(ss_num[i], factorial[n] * m)
    return tally
