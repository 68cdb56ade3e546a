"""Exact power indices of voting games, registered by id.

Two exact engines, both on interchangeable player types:

- **Generating functions** (weighted games without a community requirement):
  the number of coalitions of each weight (and size) is one product
  ``Π (1 + y·x^w)``, kept in Python integers packed side by side (Kronecker
  substitution), so a player's swings are window sums of the product divided
  by its own factor: ``Σ_j (−1)^j [S(q−1−j·w) − S(q−1−(j+1)·w)]`` over prefix
  sums ``S``. Banzhaf, Shapley–Shubik and Coleman indices come from here.
- **Enumeration of type-count vectors** (any monotone game, including community
  requirements, and the indices built on minimal winning or vulnerable
  coalitions): every coalition pattern "c_t players of type t" is visited once
  with its multiplicity Π C(m_t, c_t).

References: Banzhaf (1965); Shapley & Shubik (1954); Deegan & Packel (1978);
Holler (1982); Johnston (1978); Coleman (1971); Brams & Affuso (1976) and
Bilbao et al. (2000) for generating functions.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from types import MappingProxyType

from muhasasa.errors import InputError, UnknownNameError
from muhasasa.parliament.games import CommunityRequirement, VotingGame, weighted_game

ENUMERATION_LIMIT = 3_000_000


@dataclass(frozen=True)
class PowerIndex:
    """A power index registered under a stable id."""

    id: str
    title: str
    reference: str
    compute: Callable[[VotingGame], dict[str, Fraction]]


_INDICES: dict[str, PowerIndex] = {}
INDICES: Mapping[str, PowerIndex] = MappingProxyType(_INDICES)


def _register(id: str, title: str, reference: str):
    def wrap(func: Callable[[VotingGame], dict[str, Fraction]]):
        _INDICES[id] = PowerIndex(id, title, reference, func)
        return func

    return wrap


def get_index(index_id: str) -> PowerIndex:
    """The registered index with this id, or an error suggesting close ids."""
    try:
        return _INDICES[index_id]
    except KeyError:
        raise UnknownNameError("power index", index_id, _INDICES, source="index") from None


def power_index(
    weights: Mapping[str, int],
    quota: int,
    index: str = "banzhaf",
    *,
    quorum: int | None = None,
    requirement: CommunityRequirement | None = None,
    community_seats: Mapping[str, Mapping[str, int]] | None = None,
) -> dict[str, Fraction]:
    """Exact power of each player in the weighted game ``[quota; weights]``.

    >>> power_index({"A": 3, "B": 2, "C": 1, "D": 1}, 4, index="banzhaf")
    {'A': Fraction(1, 2), 'B': Fraction(1, 6), 'C': Fraction(1, 6), 'D': Fraction(1, 6)}
    >>> power_index({"A": 3, "B": 2, "C": 1, "D": 1}, 4, index="shapley-shubik")
    {'A': Fraction(1, 2), 'B': Fraction(1, 6), 'C': Fraction(1, 6), 'D': Fraction(1, 6)}
    """
    chosen = get_index(index)
    game = weighted_game(
        weights, quota, quorum=quorum, requirement=requirement, community_seats=community_seats
    )
    return chosen.compute(game)


def index_of(game: VotingGame, index: str) -> dict[str, Fraction]:
    """A registered index of an already built game."""
    return get_index(index).compute(game)


# --------------------------------------------------------------------------- engine 1


@dataclass(frozen=True)
class _Counts:
    """What every swing-based index needs, per player type (same for each member)."""

    n: int
    swings: tuple[int, ...]  # Banzhaf swings of one player of the type
    pivots: tuple[Fraction, ...] | None  # Shapley–Shubik value of one player of the type
    winning: int  # number of winning coalitions


def _slot_bits(n: int) -> int:
    return 8 * ((n + 8) // 8)  # counts never exceed 2^n, so n + 1 bits per slot are enough


def _unpack(packed: int, slots: int, bits: int) -> list[int]:
    size = bits // 8
    raw = packed.to_bytes(slots * size, "little")
    return [int.from_bytes(raw[i * size:(i + 1) * size], "little") for i in range(slots)]


def _alternating_window(prefix, weight: int, top: int, combine, shift):
    """Σ_j (−1)^j [prefix(top − j·w) − prefix(top − (j+1)·w)], the window sum of
    the generating function divided by one player's factor (1 + y·x^w)."""
    plus = minus = 0
    j = 0
    while top - j * weight >= 0:
        term = combine(prefix(top - j * weight), prefix(top - (j + 1) * weight))
        term = shift(term, j)
        if j % 2:
            minus += term
        else:
            plus += term
        j += 1
    return plus - minus


def _generating_counts(game: VotingGame, *, with_sizes: bool) -> _Counts:
    types = game.types()
    n = len(game.weights)
    q = game.quota
    bits = _slot_bits(n)
    # coalitions of every weight below q (all players), packed in one integer
    mask = (1 << (q * bits)) - 1
    packed = 1
    for t in types:
        if t.weight >= q:  # (1 + x^w) adds nothing below the quota
            continue
        shift = t.weight * bits
        for _ in range(t.count):
            packed = (packed + (packed << shift)) & mask
    by_weight = _unpack(packed, q, bits)
    prefix_sums = [0] * q
    running = 0
    for w, c in enumerate(by_weight):
        running += c
        prefix_sums[w] = running

    def prefix(x: int) -> int:
        return prefix_sums[x] if x >= 0 else 0

    swings = []
    for t in types:
        if t.weight == 0:
            swings.append(0)
            continue
        swings.append(
            _alternating_window(prefix, t.weight, q - 1, lambda a, b: a - b, lambda v, j: v)
        )
    winning = (1 << n) - prefix(q - 1)
    pivots = _shapley_shubik_by_type(types, n, q) if with_sizes else None
    return _Counts(n, tuple(swings), pivots, winning)


def _shapley_shubik_by_type(types, n: int, q: int) -> tuple[Fraction, ...]:
    """Shapley–Shubik value per type from coalition counts by weight and size.

    ``table[w]`` packs, slot k, the number of size-k coalitions of weight w < q.
    """
    bits = _slot_bits(n)
    table = [0] * q
    table[0] = 1
    for t in types:
        w = t.weight
        if w >= q:
            continue
        for _ in range(t.count):
            if w == 0:
                table = [v + (v << bits) for v in table]
                continue
            for x in range(q - 1, w - 1, -1):
                table[x] += table[x - w] << bits
    prefix_sums = list(itertools.accumulate(table))

    def prefix(x: int) -> int:
        return prefix_sums[x] if x >= 0 else 0

    factorial = [math.factorial(k) for k in range(n + 1)]
    values = []
    for t in types:
        if t.weight == 0:
            values.append(Fraction(0))
            continue
        packed = _alternating_window(
            prefix, t.weight, q - 1, lambda a, b: a - b, lambda v, j: v << (j * bits)
        )
        by_size = _unpack(packed, n, bits)
        numerator = sum(c * factorial[k] * factorial[n - 1 - k] for k, c in enumerate(by_size))
        values.append(Fraction(numerator, factorial[n]))
    return tuple(values)


# --------------------------------------------------------------------------- engine 2


@dataclass
class _Tally:
    n: int
    swings: list[int]
    pivots: list[Fraction]
    minimal_member: list[int]  # per type: Σ over MWC of members of the type (players-times)
    deegan: list[Fraction]
    johnston: list[Fraction]
    winning: int = 0
    minimal: int = 0
    vulnerable: int = 0


@cache
def _binomials(m: int) -> tuple[int, ...]:
    return tuple(math.comb(m, c) for c in range(m + 1))


def _enumerate(game: VotingGame) -> _Tally:
    """Visit every coalition pattern (c_t members of each type t) with its multiplicity."""
    types = game.types()
    patterns = math.prod(t.count + 1 for t in types)
    if patterns > ENUMERATION_LIMIT:
        raise InputError(
            "game",
            f"this index needs every coalition pattern, and the game has {patterns:,} of them "
            f"({len(types)} player types): group interchangeable players (e.g. --by bloc) or use "
            "an index counted by dynamic programming (banzhaf, shapley-shubik, coleman-*)",
        )
    need = game.needed_by_community()
    order = tuple(need)
    need_vec = tuple(need[c] for c in order)
    n = len(game.weights)
    q = game.quota
    factorial = [math.factorial(k) for k in range(n + 1)]
    tally = _Tally(n, [0] * len(types), [Fraction(0)] * len(types), [0] * len(types),
                   [Fraction(0)] * len(types), [Fraction(0)] * len(types))
    ss_num = [0] * len(types)
    k_types = len(types)
    counts = [0] * k_types

    def wins(weight: int, seats: tuple[int, ...]) -> bool:
        return weight >= q and all(s >= r for s, r in zip(seats, need_vec))

    def leaf(weight: int, seats: tuple[int, ...], mult: int, size: int) -> None:
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
        binoms = _binomials(t.count)
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

    walk(0, 0, tuple(0 for _ in order), 1, 0)
    # per type totals over its members -> per player
    for i, t in enumerate(types):
        m = t.count
        tally.swings[i] //= m
        tally.pivots[i] = Fraction(ss_num[i], factorial[n] * m)
        tally.johnston[i] /= m
        tally.deegan[i] /= m
    return tally


# --------------------------------------------------------------------------- engine 3


STATE_LIMIT = 400_000


def _capped_counts(types, skip: int | None, need: tuple[int, ...], *, sizes: bool) -> dict:
    """Coalitions of all players (less one of type ``skip``) by state
    (weight, community seats capped at what is needed[, size]) -> count."""
    states: dict[tuple, int] = {(0, *(0 for _ in need)) + ((0,) if sizes else ()): 1}
    for i, t in enumerate(types):
        m = t.count - (1 if i == skip else 0)
        if m == 0:
            continue
        binoms = _binomials(m)
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
                "game", f"the community requirement makes more than {STATE_LIMIT:,} coalition states; "
                "group players (--by bloc) or require one seat per community (--share 0)"
            )
    return states


class _Family:
    """Coalitions of a set of player types, by weight below the quota (and by size):
    prefix sums of the generating function, packed as in engine 1."""

    def __init__(self, types, members: list[int], q: int, n: int, sizes: bool) -> None:
        self.q, self.n, self.sizes = q, n, sizes
        self.bits = _slot_bits(n)
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


def _covering_counts(game: VotingGame, *, with_sizes: bool) -> _Counts:
    """Swings under "at least one seat of each community", by inclusion–exclusion
    over the communities a coalition avoids: each term is a plain weighted game."""
    types = game.types()
    names = list(game.needed_by_community())
    n, q = len(game.weights), game.quota
    covers = [frozenset(c for c, x in zip(names, t.community_seats) if x) for t in types]
    families = {}
    for r in range(len(names) + 1):
        for avoided in itertools.combinations(names, r):
            members = [i for i, cov in enumerate(covers) if not cov & set(avoided)]
            families[frozenset(avoided)] = _Family(types, members, q, n, with_sizes)
    bits = _slot_bits(n)
    factorial = [math.factorial(k) for k in range(n + 1)]

    def size_weighted(packed: int) -> int:
        return sum(c * factorial[k] * factorial[n - 1 - k] for k, c in enumerate(_unpack(packed, n, bits)))

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
        winning = sum(_unpack(winning, n + 1, bits))
    swings, pivots = [], []
    for i, t in enumerate(types):
        f = at_least(i, q - t.weight, everyone - covers[i])
        g = at_least(i, q, everyone)
        if with_sizes:
            value = f - g
            pivots.append(Fraction(size_weighted(value), factorial[n]))
            swings.append(sum(_unpack(value, n, bits)))
        else:
            swings.append(f - g)
    return _Counts(n, tuple(swings), tuple(pivots) if with_sizes else None, winning)


def _requirement_counts(game: VotingGame, *, with_sizes: bool) -> _Counts:
    """Swings (and Shapley–Shubik values) under a community requirement, by dynamic
    programming over (weight, community seats capped at the requirement)."""
    types = game.types()
    need = tuple(game.needed_by_community().values())
    n = len(game.weights)
    q = game.quota
    factorial = [math.factorial(k) for k in range(n + 1)]

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
    return _Counts(n, tuple(swings), tuple(pivots) if with_sizes else None, winning)


# --------------------------------------------------------------------------- indices


def _per_player(game: VotingGame, per_type) -> dict[str, Fraction]:
    out: dict[str, Fraction] = {}
    for t, value in zip(game.types(), per_type):
        for p in t.players:
            out[p] = Fraction(value)
    return {p: out[p] for p in game.weights}


def _swing_counts(game: VotingGame, *, with_sizes: bool = False) -> tuple[list[int], list | None, int]:
    if game.requirement is None:
        c = _generating_counts(game, with_sizes=with_sizes)
    elif game.requirement.share == 0:
        c = _covering_counts(game, with_sizes=with_sizes)
    else:
        c = _requirement_counts(game, with_sizes=with_sizes)
    return list(c.swings), list(c.pivots) if c.pivots else None, c.winning


def _normalised(values: dict[str, Fraction], what: str) -> dict[str, Fraction]:
    total = sum(values.values())
    if total == 0:
        raise InputError("game", f"no player has any {what}: the index is undefined")
    return {p: v / total for p, v in values.items()}


@_register("banzhaf", "Banzhaf index (normalised)", "J. F. Banzhaf, Rutgers Law Review 19 (1965)")
def banzhaf(game: VotingGame) -> dict[str, Fraction]:
    swings, _, _ = _swing_counts(game)
    return _normalised(_per_player(game, swings), "swing")


@_register("banzhaf-absolute", "Banzhaf index (absolute: swings / 2^(n-1))",
           "J. S. Coleman (1971); P. Dubey and L. S. Shapley, Math. Oper. Res. 4 (1979)")
def banzhaf_absolute(game: VotingGame) -> dict[str, Fraction]:
    swings, _, _ = _swing_counts(game)
    n = len(game.weights)
    return _per_player(game, [Fraction(s, 2 ** (n - 1)) for s in swings])


@_register("shapley-shubik", "Shapley–Shubik index",
           "L. S. Shapley and M. Shubik, Am. Political Science Review 48 (1954)")
def shapley_shubik(game: VotingGame) -> dict[str, Fraction]:
    _, pivots, _ = _swing_counts(game, with_sizes=True)
    return _per_player(game, pivots)


@_register("deegan-packel", "Deegan–Packel index", "J. Deegan and E. W. Packel, Int. J. Game Theory 7 (1978)")
def deegan_packel(game: VotingGame) -> dict[str, Fraction]:
    t = _enumerate(game)
    return _per_player(game, [d / t.minimal for d in t.deegan])


@_register("holler", "Holler public good index", "M. J. Holler, Political Studies 30 (1982)")
def holler(game: VotingGame) -> dict[str, Fraction]:
    t = _enumerate(game)
    per_player = [Fraction(c, m.count) for c, m in zip(t.minimal_member, game.types())]
    return _normalised(_per_player(game, per_player), "membership in a minimal winning coalition")


@_register("johnston", "Johnston index", "R. J. Johnston, Environment and Planning A 10 (1978)")
def johnston(game: VotingGame) -> dict[str, Fraction]:
    t = _enumerate(game)
    return _per_player(game, [j / t.vulnerable for j in t.johnston])


@_register("coleman-prevent", "Coleman power to prevent action (swings / winning coalitions)",
           "J. S. Coleman, in Social Choice, ed. Lieberman (1971)")
def coleman_prevent(game: VotingGame) -> dict[str, Fraction]:
    swings, _, winning = _swing_counts(game)
    return _per_player(game, [Fraction(s, winning) for s in swings])


@_register("coleman-initiate", "Coleman power to initiate action (swings / losing coalitions)",
           "J. S. Coleman, in Social Choice, ed. Lieberman (1971)")
def coleman_initiate(game: VotingGame) -> dict[str, Fraction]:
    swings, _, winning = _swing_counts(game)
    losing = 2 ** len(game.weights) - winning
    return _per_player(game, [Fraction(s, losing) for s in swings])


@_register("coleman-collective", "Coleman power of the collectivity to act (winning / all coalitions; "
           "one value, given to every player)", "J. S. Coleman, in Social Choice, ed. Lieberman (1971)")
def coleman_collective(game: VotingGame) -> dict[str, Fraction]:
    _, _, winning = _swing_counts(game)
    value = Fraction(winning, 2 ** len(game.weights))
    return {p: value for p in game.weights}
