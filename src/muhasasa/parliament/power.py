"""Exact power indices of voting games, registered by id, with their cost bounded.

Every index is counted exactly, on interchangeable player types, by the cheapest of
several engines; the cost of each is estimated from the game before it starts, and a
game whose every engine would exceed :data:`MAX_SECONDS` or :data:`MAX_BYTES` is
refused with an :class:`~muhasasa.errors.InputError` that names the limit.

Weighted games (no community requirement); weights and quota are first divided by
their greatest common divisor, and a game above half the house is counted on its dual
(quota ``W - q + 1``: the swings of a player are the complements of its swings there),
so the tables stop at ``L = min(q, W - q + 1)``:

- **Packed generating functions** (Banzhaf, Coleman; Shapley–Shubik on small games):
  ``Π (1 + y·x^w)`` times ``1/(1 − x)`` (prefix sums) kept in Python integers packed side
  by side (Kronecker substitution); a player's swings are the alternating window sums
  ``Σ_j (−1)^j [P(L−1−j·w) − P(L−1−(j+1)·w)]`` (division by its own factor).
- **Modular size-by-weight table** (Shapley–Shubik on large games): the same prefix
  table by (size, weight), counted with numpy in ``uint64`` modulo ``2^64`` and a few
  primes below ``2^50`` (additions only, reduced lazily), rebuilt exactly by the Chinese
  remainder theorem. Row ``k`` starts at the least weight of ``k`` players, so the table
  is built in about ``n²·L/3`` additions.
- **Split by the lightest critical weight** (Deegan–Packel, Holler, Johnston): in a
  weighted game a member of a winning coalition ``S`` is critical exactly when its weight
  exceeds ``w(S) − q``, so the critical members are the heavy ones. For each split of
  the weights into heavy and light, coalitions are counted by (weight, heavy size) from
  prefix and suffix products, never one by one.
- **Enumeration of type-count vectors** (any game, with its multiplicity ``Π C(m_t, c_t)``):
  for community requirements and for few players with huge weights.

Community requirements are counted by inclusion–exclusion over the communities a
coalition avoids (one seat of each) or by a dynamic programme over (weight, community
seats capped at the requirement).

References: Banzhaf (1965); Shapley & Shubik (1954); Deegan & Packel (1978);
Holler (1982); Johnston (1978); Coleman (1971); Brams & Affuso (1976) and
Bilbao et al. (2000) for generating functions; Uno (2012) for removing one player.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache, lru_cache

import numpy as np

from muhasasa.errors import InputError
from muhasasa.exact import shown
from muhasasa.parliament.games import CommunityRequirement, VotingGame, weighted_game
from muhasasa.registry import Registry

__all__ = [
    "INDICES",
    "MAX_BYTES",
    "MAX_SECONDS",
    "MAX_WEIGHT",
    "Estimate",
    "PowerIndex",
    "estimate",
    "get_index",
    "index_of",
    "power_index",
    "power_indices",
]

Progress = Callable[[float], object] | None

MAX_SECONDS = 60.0  # refuse a computation estimated to take longer (on a 2-core machine)
MAX_BYTES = 2 * 2**30  # ... or to hold more memory than this
STATE_LIMIT = 400_000  # community-capped DP states

# Throughputs of this machine (measured; see benchmarks/bench_power.py): deliberately
# a little pessimistic, so an accepted computation finishes within the limit.
_BIGINT_BYTES_PER_S = 1.0e9  # bytes of packed integers added or shifted per second
_BIGINT_OP_S = 1.5e-7  # fixed cost of one Python big-integer operation
_NUMPY_ELEMENTS_PER_S = 4.0e8  # uint64 element updates per second
_PATTERN_S = 2.0e-5  # one type-count pattern of the enumeration engine
_STATE_S = 1.0e-6  # one (state, count) step of the community-capped DP
# the enumeration's per-pattern big-integer work (multiplicities, factorials and Fractions
# of about n bits) grows with the number of players n: about this many seconds times n²,
# plus this many times n
_ENUM_SQUARE_S = 4.5e-11
_ENUM_LINEAR_S = 2.5e-7


@dataclass(frozen=True)
class PowerIndex:
    """A power index registered under a stable id.

    ``counts`` names what it is counted from: ``"swings"`` (Banzhaf, Coleman),
    ``"pivots"`` (swings by coalition size: Shapley–Shubik) or ``"minimal"``
    (minimal winning or vulnerable coalitions: Deegan–Packel, Holler, Johnston).
    """

    id: str
    title: str
    reference: str
    counts: str
    compute: Callable[..., dict[str, Fraction]]


INDICES: Registry[PowerIndex] = Registry("power index", PowerIndex, function="compute", field="index")


def get_index(index_id: str) -> PowerIndex:
    """The registered index with this id, or an error suggesting close ids (field ``index``)."""
    return INDICES[index_id]


def power_index(
    weights: Mapping[str, int],
    quota: int,
    index: str = "banzhaf",
    *,
    quorum: int | None = None,
    requirement: CommunityRequirement | None = None,
    community_seats: Mapping[str, Mapping[str, int]] | None = None,
    progress: Progress = None,
) -> dict[str, Fraction]:
    """Exact power of each player in the weighted game ``[quota; weights]``.

    ``progress``, if given, is called with the fraction of the work done (0 to 1) while
    a long count runs; it may raise to stop the computation.

    >>> power_index({"A": 3, "B": 2, "C": 1, "D": 1}, 4, index="banzhaf")
    {'A': Fraction(1, 2), 'B': Fraction(1, 6), 'C': Fraction(1, 6), 'D': Fraction(1, 6)}
    >>> power_index({"A": 3, "B": 2, "C": 1, "D": 1}, 4, index="shapley-shubik")
    {'A': Fraction(1, 2), 'B': Fraction(1, 6), 'C': Fraction(1, 6), 'D': Fraction(1, 6)}
    """
    chosen = get_index(index)
    _bounded(weights, quota, quorum)
    game = weighted_game(
        weights, quota, quorum=quorum, requirement=requirement, community_seats=community_seats
    )
    return index_of(game, chosen.id, progress=progress)


MAX_WEIGHT = 10**100  #: weights, quotas and quorums must lie below this (seats or votes, with room)


def _bounded(weights: object, quota: object, quorum: object) -> None:
    """Refuse, before any work, numbers no game of seats or votes needs (and that no
    message could print): weights, quota or quorum of :data:`MAX_WEIGHT` or more."""
    if quota is None:
        raise InputError("quota", "give the quota: a whole number of seats", field="quota")
    for name, value in (("quota", quota), ("quorum", quorum)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise InputError(name, f"the {name} must be a whole number of seats (an int), got {shown(value)}",
                             field=name)
        if isinstance(value, int) and abs(value) >= MAX_WEIGHT:
            raise InputError(name, f"the {name} is {shown(value)}, above the limit of 10^100", field=name)
    if isinstance(weights, Mapping):
        for player, w in weights.items():
            if isinstance(w, int) and abs(w) >= MAX_WEIGHT:
                raise InputError("weights", f"the weight of {shown(player)} is {shown(w)}, above the limit "
                                 "of 10^100", field="weights")


def index_of(game: VotingGame, index: str, *, progress: Progress = None) -> dict[str, Fraction]:
    """A registered index of an already built game (its cost checked first)."""
    chosen = get_index(index)
    _planned(game, chosen.counts)
    return chosen.compute(game, progress=progress)


def power_indices(
    game: VotingGame, indices: Sequence[str], *, progress: Progress = None
) -> dict[str, dict[str, Fraction]]:
    """Several indices of one game, sharing their counts: ``{index: {player: value}}``.

    >>> game = weighted_game({"A": 3, "B": 2, "C": 1, "D": 1}, 4)
    >>> power_indices(game, ["banzhaf-absolute", "holler"])["holler"]  # MWC: AB, AC, AD, BCD
    {'A': Fraction(1, 3), 'B': Fraction(2, 9), 'C': Fraction(2, 9), 'D': Fraction(2, 9)}
    """
    if isinstance(indices, str) or not isinstance(indices, Sequence):
        raise InputError("index", "give the indices as a list of ids", field="index")
    chosen = [get_index(i) for i in dict.fromkeys(indices)]
    if not chosen:
        raise InputError("index", "name at least one power index", field="index")
    for kind in dict.fromkeys(c.counts for c in chosen):
        _planned(game, kind)
    cache: dict = {}
    out = {}
    for k, c in enumerate(chosen):
        out[c.id] = c.compute(game, progress=_scaled(progress, k / len(chosen), 1 / len(chosen)),
                              _cache=cache)
    return out


# --------------------------------------------------------------------------- estimates


@dataclass(frozen=True)
class Estimate:
    """The engine chosen for a count, with its estimated time and memory."""

    engine: str
    seconds: float
    bytes: int

    @property
    def fits(self) -> bool:
        return self.seconds <= MAX_SECONDS and self.bytes <= MAX_BYTES


@dataclass(frozen=True)
class _Shape:
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


def _shape(game: VotingGame) -> _Shape:
    types = game.types()
    g = math.gcd(*(t.weight for t in types))
    return _Shape(
        tuple(t.weight // g for t in types),
        tuple(t.count for t in types),
        -(-game.quota // g),
        game.total // g,
    )


def _slot_bits(n: int) -> int:
    return 8 * ((n + 9) // 8)  # counts never exceed 2^n: n + 1 bits and a spare


def _packed_seconds(ops: float, bytes_each: float) -> float:
    return ops * (_BIGINT_OP_S + bytes_each / _BIGINT_BYTES_PER_S)


def _estimates(game: VotingGame, counts: str) -> list[Estimate]:
    """Every engine able to count ``counts`` for this game, with its cost."""
    out = []
    types = game.types()
    patterns = math.prod(t.count + 1 for t in types)
    patterns = float(patterns) if patterns.bit_length() < 1000 else math.inf
    n = len(game.weights)
    table_s, table_b = _factorial_cost(n)
    binomial_b = sum(t.count * t.count // 8 + 64 * t.count for t in types)
    per_pattern = _PATTERN_S * (1 + len(types) / 8) + _ENUM_SQUARE_S * n * n + _ENUM_LINEAR_S * n
    out.append(Estimate("enumeration", patterns * per_pattern + table_s,
                        64 * len(types) ** 2 + table_b + binomial_b))
    try:
        out.extend(_table_estimates(game, counts, n, table_s, table_b + binomial_b))
    except OverflowError:  # weights so large that no table engine is conceivable
        pass
    return out


def _table_estimates(game: VotingGame, counts: str, n: int, table_s: float, table_b: int) -> list[Estimate]:
    """The engines whose tables grow with the weights (or the community states)."""
    out: list[Estimate] = []
    types = game.types()
    if game.requirement is not None:
        if counts != "minimal":
            e = _requirement_estimate(game, counts == "pivots")
            out.append(Estimate(e.engine, e.seconds + table_s, e.bytes + table_b))
        return out
    shape = _shape(game)
    L, bits = shape.dual, _slot_bits(n)
    if counts == "swings":
        size = L * bits / 8
        out.append(Estimate("packed", _packed_seconds(4 * n + 4, size) + L * _BIGINT_OP_S * 4, int(6 * size + 80 * L)))
    elif counts == "pivots":
        row = n * bits / 8
        out.append(Estimate("packed-sizes", _packed_seconds(n * L * 2, row / 2) + _packed_seconds(len(types) * min(n, L), row)
                            + 2 * table_s, int(L * (row + 80) * 2) + 2 * table_b))
        kmax, elements = _modular_size(shape)
        channels = 1 + _primes_needed(n)
        if kmax < 4000:  # window sums of < 2^13 terms below 2^51 stay within uint64
                out.append(Estimate("modular", elements * channels / _NUMPY_ELEMENTS_PER_S + 2e-6 * n * kmax + 2 * table_s,
                                    int(8 * channels * (kmax + 1) * L + 8 * channels * (kmax + 1) ** 2) + 2 * table_b))
    else:
        top = min(shape.total, shape.quota + shape.weights[0] - 1) + 1
        d = len(shape.weights)
        ops = n * top + d * (d + 1) * top
        out.append(Estimate("split", _packed_seconds(ops, n * _slot_bits(n) / 16), int(2 * top * (n * bits / 8 + 80) * 3)))
    return out


def _factorial_cost(n: int) -> tuple[float, int]:
    """Time and memory of the table ``0!, …, n!`` (about ``n²·log2(n)/16`` bytes)."""
    size = int(n * n * max(math.log2(n), 1) / 16) + 64 * (n + 1) if n > 1 else 64
    return _packed_seconds(n, size / max(n, 1)) * 2, size


def _requirement_estimate(game: VotingGame, sizes: bool) -> Estimate:
    n, q = len(game.weights), game.quota
    need = game.needed_by_community()
    bits = _slot_bits(n)
    if game.requirement.share == 0:
        families = 2 ** len(need)
        row = (n * bits / 8) if sizes else 8.0
        seconds = families * _packed_seconds(n * q, row / 2) + families * len(game.types()) * q * _BIGINT_OP_S * 2
        return Estimate("covering", seconds, int(families * q * (row + 80)))
    types = game.types()
    states = min(math.prod(t.count + 1 for t in types), (q + 1) * math.prod(r + 1 for r in need.values()))
    states = min(states, STATE_LIMIT) * ((n + 1) if sizes else 1)
    steps = states * sum(t.count + 1 for t in types) * (len(types) + 1)
    return Estimate("capped", steps * _STATE_S, int(states * 200))


def estimate(game: VotingGame, index: str) -> Estimate:
    """The engine that would count ``index`` on ``game``, and its estimated cost.

    >>> estimate(weighted_game({"A": 10**12, "B": 10**12 - 1, "C": 2}, 10**12 + 1), "banzhaf").engine
    'enumeration'
    """
    return _plan(game, get_index(index).counts)


def _plan(game: VotingGame, counts: str) -> Estimate:
    candidates = _estimates(game, counts)
    fitting = [e for e in candidates if e.fits]
    return min(fitting or candidates, key=lambda e: e.seconds)


def _planned(game: VotingGame, counts: str) -> Estimate:
    chosen = _plan(game, counts)
    if not chosen.fits:
        limit = (f"{MAX_SECONDS:g} s" if chosen.seconds > MAX_SECONDS else f"{MAX_BYTES / 2**30:g} GiB")
        raise InputError(
            "game",
            f"counting this game exactly would take about {_human(chosen)} even by the cheapest "
            f"engine ({chosen.engine}), beyond the limit of {limit}: use smaller or fewer distinct "
            "weights, group players into blocs, or drop the community requirement",
            field="weights",
        )
    return chosen


def _human(e: Estimate) -> str:
    seconds = f"{e.seconds:.3g} s" if e.seconds < 1e6 else f"{e.seconds:.1e} s"
    return f"{seconds} and {e.bytes / 2**30:.3g} GiB"


def _scaled(progress: Progress, start: float, span: float) -> Progress:
    if progress is None:
        return None
    return lambda f: progress(start + span * min(max(f, 0.0), 1.0))


# --------------------------------------------------------------------------- swings and pivots


@dataclass(frozen=True)
class _Counts:
    """What every swing-based index needs, per player type (same for each member)."""

    n: int
    swings: tuple[int, ...]  # Banzhaf swings of one player of the type
    pivots: tuple[Fraction, ...] | None  # Shapley–Shubik value of one player of the type
    winning: int  # number of winning coalitions


def _unpack(packed: int, slots: int, bits: int) -> list[int]:
    size = bits // 8
    raw = packed.to_bytes(slots * size, "little")
    return [int.from_bytes(raw[i * size:(i + 1) * size], "little") for i in range(slots)]


def _factorials(n: int) -> list[int]:
    """``0!, 1!, …, n!`` by running products (each factorial on its own costs ``n³``)."""
    out = [1] * (n + 1)
    for k in range(2, n + 1):
        out[k] = out[k - 1] * k
    return out


def _size_weights(n: int) -> list[int]:
    """``k!·(n−1−k)!``: the Shapley–Shubik weight (times n!) of a swing of size k."""
    f = _factorials(n)
    return [f[k] * f[n - 1 - k] for k in range(n)]


def _swing_counts(game: VotingGame, *, with_sizes: bool = False, progress: Progress = None,
                  _cache: dict | None = None) -> _Counts:
    key = ("pivots" if with_sizes else "swings", id(game))
    if _cache is not None and key in _cache:
        return _cache[key]
    if _cache is not None and not with_sizes and ("pivots", id(game)) in _cache:
        return _cache[("pivots", id(game))]
    engine = _plan(game, "pivots" if with_sizes else "swings").engine
    if engine == "enumeration":
        t = _enumerate(game, progress)
        c = _Counts(t.n, tuple(t.swings), tuple(t.pivots), t.winning)
    elif engine == "covering":
        c = _covering_counts(game, with_sizes=with_sizes, progress=progress)
    elif engine == "capped":
        c = _requirement_counts(game, with_sizes=with_sizes, progress=progress)
    else:
        c = _weighted_counts(game, engine, progress)
    if _cache is not None:
        _cache[key] = c
    return c


def _weighted_counts(game: VotingGame, engine: str, progress: Progress) -> _Counts:
    shape = _shape(game)
    n, L = shape.n, shape.dual
    if engine == "packed":
        prefix = _packed_prefix(shape, progress)
        swings = tuple(_alternating(lambda x: prefix[x] if x >= 0 else 0, w, L) if w else 0
                       for w in shape.weights)
        pivots = None
        below = prefix[L - 1]
    else:
        count = _packed_by_size if engine == "packed-sizes" else _modular_by_size
        by_size, below = count(shape, progress)
        factor = _size_weights(n)
        swings = tuple(sum(v) for v in by_size)
        total = math.factorial(n)
        pivots = tuple(Fraction(sum(c * f for c, f in zip(v, factor)), total) for v in by_size)
    # ``below`` counts coalitions of weight < L; on the dual they are the winning ones
    winning = below if L != shape.quota else 2**n - below
    return _Counts(n, swings, pivots, winning)


def _alternating(prefix: Callable[[int], int], w: int, L: int, shift_bits: int = 0) -> int:
    """Σ_j (−1)^j [P(L−1−j·w) − P(L−1−(j+1)·w)] (shifted by j slots when packed by size):
    the coalitions of weight in [L − w, L − 1] once one player of weight w is divided out."""
    plus = minus = 0
    j = 0
    while L - 1 - j * w >= 0:
        term = prefix(L - 1 - j * w) - prefix(L - 1 - (j + 1) * w)
        if shift_bits:
            term <<= j * shift_bits
        if j % 2:
            minus += term
        else:
            plus += term
        j += 1
    return plus - minus


def _packed_prefix(shape: _Shape, progress: Progress) -> list[int]:
    """``P(s)``: coalitions of weight at most s, for s < L, from one packed integer."""
    L, n = shape.dual, shape.n
    bits = _slot_bits(n)
    mask = (1 << (L * bits)) - 1
    packed = mask // ((1 << bits) - 1)  # 1 in every slot: the prefix sums of "no player"
    done = 0
    for w, m in zip(shape.weights, shape.counts):
        if w >= L:
            done += m
            continue
        shift = w * bits
        for _ in range(m):
            packed = (packed + (packed << shift)) & mask
        done += m
        if progress:
            progress(done / n)
    return _unpack(packed, L, bits)


def _packed_by_size(shape: _Shape, progress: Progress) -> tuple[list[list[int]], int]:
    """Per distinct weight: swings of one player of it by coalition size (0..n−1),
    from a table of prefix sums by weight, each entry packed by size."""
    L, n = shape.dual, shape.n
    bits = _slot_bits(n)
    table = [1] * L  # prefix sums of "no player": one empty coalition at every weight
    done = 0
    for w, m in zip(shape.weights, shape.counts):
        if w < L:
            for _ in range(m):
                for x in range(L - 1, w - 1, -1):
                    table[x] += table[x - w] << bits
        done += m
        if progress:
            progress(done / n)
    out = []
    for w in shape.weights:
        if w == 0:
            out.append([0] * n)
            continue
        packed = _alternating(lambda x: table[x] if x >= 0 else 0, w, L, bits)
        out.append(_dual_sizes(shape, _unpack(packed, n, bits)))
    return out, sum(_unpack(table[L - 1], n + 1, bits))


def _dual_sizes(shape: _Shape, by_size: list[int]) -> list[int]:
    """Swings counted on the dual game are the complements: size k there is n−1−k here."""
    return by_size[::-1] if shape.dual != shape.quota else by_size


# modular engine ----------------------------------------------------------------------

_PRIME_BITS = 50
_LAZY_ADDS = 12  # 2^12 · 2^50 < 2^63: additions between two reductions modulo the primes


@cache
def _primes(count: int) -> tuple[int, ...]:
    """The ``count`` largest primes below 2^50 (deterministic Miller–Rabin)."""
    found: list[int] = []
    x = (1 << _PRIME_BITS) - 1
    while len(found) < count:
        if _is_prime(x):
            found.append(x)
        x -= 2
    return tuple(found)


def _is_prime(n: int) -> bool:
    small = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)
    if n < 2:
        return False
    for p in small:
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for a in small:  # deterministic for n < 3.3e24
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def _primes_needed(n: int) -> int:
    """Primes (besides 2^64) whose product with 2^64 exceeds every count (< 2^n)."""
    return max(0, -(-(n + 1 - 64) // _PRIME_BITS))


_SIZE_SCAN_LIMIT = 2_000_000  # steps the modular engine's cost count may take; above, an upper bound


def _modular_size(shape: _Shape) -> tuple[int, int]:
    """The largest coalition size below L, and the additions the table takes."""
    L = shape.dual
    ascending = [w for w, m in sorted(zip(shape.weights, shape.counts)) for _ in range(m)]
    least = list(itertools.accumulate(ascending, initial=0))
    kmax = max(k for k in range(len(least)) if least[k] < L)
    n = len(ascending)
    if n * min(n, kmax) > _SIZE_SCAN_LIMIT:  # the exact count would itself be slow: bound it
        return kmax, sum(min(j + 1, kmax) for j in range(n)) * L
    elements = 0
    descending = ascending[::-1]
    heaviest = list(itertools.accumulate(descending, initial=0))
    for j, w in enumerate(descending):
        if w >= L:
            continue
        for k in range(1, min(j + 1, kmax) + 1):
            start = heaviest[j] - heaviest[j - k + 1] + w
            if start >= L:
                break
            elements += L - start
    return kmax, elements


def _modular_by_size(shape: _Shape, progress: Progress) -> tuple[list[list[int]], int]:
    """As :func:`_packed_by_size`, counted modulo 2^64 and primes with numpy, then
    rebuilt by the Chinese remainder theorem (exact: every count is below the product)."""
    L, n = shape.dual, shape.n
    primes = _primes(_primes_needed(n))
    mods = np.array(primes, dtype=np.uint64)
    channels = 1 + len(primes)
    kmax, _ = _modular_size(shape)
    descending = [w for w, m in zip(shape.weights, shape.counts) for _ in range(m)]
    heaviest = list(itertools.accumulate(descending, initial=0))
    table = np.zeros((kmax + 1, channels, L), dtype=np.uint64)
    table[0] = 1  # prefix sums of "no player"
    pending = 0
    for j, w in enumerate(descending):  # j players already in the table
        if w < L:
            for k in range(min(j + 1, kmax), 0, -1):
                # row k−1 is zero below the weight of its k−1 lightest members so far
                start = heaviest[j] - heaviest[j - k + 1] + w
                if start < L:
                    table[k, :, start:] += table[k - 1, :, start - w:L - w]
            pending += 1
            if primes and pending >= _LAZY_ADDS:
                table[:, 1:] %= mods[:, None]
                pending = 0
        if progress and j % 8 == 7:
            progress(0.9 * (j + 1) / n)
    if primes:
        table[:, 1:] %= mods[:, None]
    m_vec = np.array([0, *primes], dtype=np.uint64)  # 0 stands for 2^64: wrap-around
    rebuild = _crt(primes)
    out = []
    for w in shape.weights:
        if w == 0:
            out.append([0] * n)
            continue
        terms = min(kmax, (L - 1) // w) + 1
        j = np.arange(terms)
        k = np.arange(kmax + 1)[:, None]
        rows = k - j[None, :]
        valid = rows >= 0
        rows = np.where(valid, rows, 0)
        high = L - 1 - j * w
        low = high - w
        upper = table[rows, :, high[None, :]]  # (kmax+1, terms, channels)
        lower = np.where((low >= 0)[None, :, None], table[rows, :, np.maximum(low, 0)[None, :]], 0)
        lower = lower.astype(np.uint64)
        term = upper + (m_vec - lower)  # < 2p on the prime channels; wraps on 2^64
        term[~valid] = 0
        even = term[:, 0::2].sum(axis=1, dtype=np.uint64)  # < 2^13 terms below 2^51 each
        odd = term[:, 1::2].sum(axis=1, dtype=np.uint64)
        even[:, 1:] %= mods
        odd[:, 1:] %= mods
        value = even + (m_vec - odd)
        value[:, 1:] %= mods
        counts = [rebuild(row) for row in value.tolist()]
        counts += [0] * (n - len(counts))
        out.append(_dual_sizes(shape, counts[:n]))
    below = sum(rebuild(row) for row in table[:, :, L - 1].tolist())
    if progress:
        progress(1.0)
    return out, below


def _crt(primes: tuple[int, ...]) -> Callable[[list[int]], int]:
    moduli = [1 << 64, *primes]
    product = math.prod(moduli)
    coefficients = []
    for m in moduli:
        rest = product // m
        coefficients.append(rest * pow(rest, -1, m) % product)

    def rebuild(residues: list[int]) -> int:
        return sum(r * c for r, c in zip(residues, coefficients)) % product

    return rebuild


# --------------------------------------------------------------------------- minimal winning


@dataclass
class _Minimal:
    """Per player type, for one player of it: memberships in minimal winning coalitions
    (``holler``), Σ 1/|S| over them (``deegan``) and Σ 1/(critical members) over the
    vulnerable coalitions where it is critical (``johnston``)."""

    holler: list[int]
    deegan: list[Fraction]
    johnston: list[Fraction]
    minimal: int
    vulnerable: int


def _minimal_counts(game: VotingGame, progress: Progress = None, _cache: dict | None = None) -> _Minimal:
    key = ("minimal", id(game))
    if _cache is not None and key in _cache:
        return _cache[key]
    if _plan(game, "minimal").engine == "split":
        result = _split_counts(_shape(game), progress)
    else:
        t = _enumerate(game, progress)
        result = _Minimal(
            [c // m.count for c, m in zip(t.minimal_member, game.types())],
            [d / m.count for d, m in zip(t.deegan, game.types())],
            [j / m.count for j, m in zip(t.johnston, game.types())],
            t.minimal, t.vulnerable,
        )
    if _cache is not None:
        _cache[key] = result
    return result


def _split_counts(shape: _Shape, progress: Progress) -> _Minimal:
    """Minimal winning and vulnerable coalitions of a weighted game, by the split of the
    distinct weights into heavy (critical) and light ones.

    A member of a winning ``S`` is critical iff its weight exceeds ``w(S) − q``. With the
    distinct weights ``w_1 > … > w_d`` and ``w_{d+1} = 0``, every winning ``S`` whose
    weight lies in ``[q + w_{g+1}, q + w_g − 1]`` has exactly the members of the ``g``
    heaviest weights critical; it is minimal iff it has no light member. So, per split
    ``g``: heavy coalitions by (weight, size) ``A_g`` (prefix product, packed by size),
    light ones by weight ``B_g`` (suffix product), and one heavy player divided out.
    """
    q, total, n = shape.quota, shape.total, shape.n
    ws, ms = shape.weights, shape.counts
    d = len(ws)
    top = min(total, q + ws[0] - 1)
    size = top + 1
    bits = _slot_bits(n)
    denominator = math.lcm(*range(1, n + 1))
    share = [denominator // (c + 1) for c in range(n)]  # 1/(c+1) as an integer share of it

    # light suffix products by weight: suffix[g] counts coalitions of the types g..d-1
    suffix = [[0] * size for _ in range(d + 1)]
    suffix[d][0] = 1
    for g in range(d - 1, -1, -1):
        row = list(suffix[g + 1])
        w = ws[g]
        for _ in range(ms[g]):
            if w == 0:
                row = [2 * v for v in row]
                continue
            for x in range(top, w - 1, -1):
                row[x] += row[x - w]
        suffix[g] = row
    holler = [0] * d
    deegan = [0] * d
    johnston = [0] * d
    heavy = [0] * size
    heavy[0] = 1
    for g in range(1, d + 1):  # the heavy types are 0..g-1
        w_new = ws[g - 1]
        if w_new == 0:
            break
        for _ in range(ms[g - 1]):
            for x in range(top, w_new - 1, -1):
                heavy[x] += heavy[x - w_new] << bits
        lo = q + (ws[g] if g < d else 0)
        hi = min(q + w_new - 1, total)
        if progress:
            progress(g / d)
        if lo > hi:
            continue
        light = suffix[g]
        running = list(itertools.accumulate(light))

        def window(a: int) -> int:  # light coalitions completing heavy weight a into [lo, hi]
            upper, lower = hi - a, lo - a - 1
            if upper < 0:
                return 0
            return running[min(upper, top)] - (running[lower] if lower >= 0 else 0)

        reach = [window(a) for a in range(size)]
        for t in range(g):
            w = ws[t]
            others = [0] * (hi - w + 1)  # heavy coalitions without one player of weight w
            for a in range(hi - w + 1):
                others[a] = heavy[a] - (others[a - w] << bits if a >= w else 0)
            johnston_packed = sum(others[a] * reach[a + w] for a in range(hi - w + 1) if reach[a + w])
            minimal_packed = sum(others[a] for a in range(max(0, lo - w), hi - w + 1))
            j_sizes = _unpack(johnston_packed, n, bits) if johnston_packed else []
            m_sizes = _unpack(minimal_packed, n, bits) if minimal_packed else []
            johnston[t] += sum(c * share[k] for k, c in enumerate(j_sizes))
            deegan[t] += sum(c * share[k] for k, c in enumerate(m_sizes))
            holler[t] += sum(m_sizes)
    minimal = sum(Fraction(deegan[t] * ms[t], denominator) for t in range(d))
    vulnerable = sum(Fraction(johnston[t] * ms[t], denominator) for t in range(d))
    return _Minimal(
        holler,
        [Fraction(v, denominator) for v in deegan],
        [Fraction(v, denominator) for v in johnston],
        int(minimal),
        int(vulnerable),
    )


# --------------------------------------------------------------------------- enumeration


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


@lru_cache(maxsize=16)
def _binomials(m: int) -> tuple[int, ...]:
    out = [1] * (m + 1)
    for c in range(m):
        out[c + 1] = out[c] * (m - c) // (c + 1)
    return tuple(out)


def _enumerate(game: VotingGame, progress: Progress = None) -> _Tally:
    """Visit every coalition pattern (c_t members of each type t) with its multiplicity."""
    types = game.types()
    patterns = math.prod(t.count + 1 for t in types)
    need = game.needed_by_community()
    need_vec = tuple(need.values())
    n = len(game.weights)
    q = game.quota
    factorial = _factorials(n)
    k_types = len(types)
    tally = _Tally(n, [0] * k_types, [Fraction(0)] * k_types, [0] * k_types,
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

    walk(0, 0, tuple(0 for _ in need_vec), 1, 0)
    # per type totals over its members -> per player
    for i, t in enumerate(types):
        m = t.count
        tally.swings[i] //= m
        tally.pivots[i] = Fraction(ss_num[i], factorial[n] * m)
    return tally


# --------------------------------------------------------------------------- requirements


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


def _covering_counts(game: VotingGame, *, with_sizes: bool, progress: Progress = None) -> _Counts:
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
    bits = _slot_bits(n)
    factorial = _factorials(n)

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


def _requirement_counts(game: VotingGame, *, with_sizes: bool, progress: Progress = None) -> _Counts:
    """Swings (and Shapley–Shubik values) under a community requirement, by dynamic
    programming over (weight, community seats capped at the requirement)."""
    types = game.types()
    need = tuple(game.needed_by_community().values())
    n = len(game.weights)
    q = game.quota
    factorial = _factorials(n)

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
    return _Counts(n, tuple(swings), tuple(pivots) if with_sizes else None, winning)


# --------------------------------------------------------------------------- indices


def _per_player(game: VotingGame, per_type) -> dict[str, Fraction]:
    out: dict[str, Fraction] = {}
    for t, value in zip(game.types(), per_type):
        for p in t.players:
            out[p] = Fraction(value)
    return {p: out[p] for p in game.weights}


def _normalised(values: dict[str, Fraction], what: str) -> dict[str, Fraction]:
    total = sum(values.values())
    if total == 0:
        raise InputError("game", f"no player has any {what}: the index is undefined", field="weights")
    return {p: v / total for p, v in values.items()}


@INDICES.register("banzhaf", title="Banzhaf index (normalised)", counts="swings",
                  reference="J. F. Banzhaf, Rutgers Law Review 19 (1965)")
def banzhaf(game: VotingGame, *, progress: Progress = None, _cache: dict | None = None) -> dict[str, Fraction]:
    c = _swing_counts(game, progress=progress, _cache=_cache)
    return _normalised(_per_player(game, c.swings), "swing")


@INDICES.register("banzhaf-absolute", title="Banzhaf index (absolute: swings / 2^(n-1))", counts="swings",
                  reference="J. S. Coleman (1971); P. Dubey and L. S. Shapley, Math. Oper. Res. 4 (1979)")
def banzhaf_absolute(game: VotingGame, *, progress: Progress = None, _cache: dict | None = None) -> dict[str, Fraction]:
    c = _swing_counts(game, progress=progress, _cache=_cache)
    return _per_player(game, [Fraction(s, 2 ** (c.n - 1)) for s in c.swings])


@INDICES.register("shapley-shubik", title="Shapley–Shubik index", counts="pivots",
                  reference="L. S. Shapley and M. Shubik, Am. Political Science Review 48 (1954)")
def shapley_shubik(game: VotingGame, *, progress: Progress = None, _cache: dict | None = None) -> dict[str, Fraction]:
    c = _swing_counts(game, with_sizes=True, progress=progress, _cache=_cache)
    return _per_player(game, c.pivots)


@INDICES.register("deegan-packel", title="Deegan–Packel index", counts="minimal",
                  reference="J. Deegan and E. W. Packel, Int. J. Game Theory 7 (1978)")
def deegan_packel(game: VotingGame, *, progress: Progress = None, _cache: dict | None = None) -> dict[str, Fraction]:
    t = _minimal_counts(game, progress, _cache)
    return _per_player(game, [d / t.minimal for d in t.deegan])


@INDICES.register("holler", title="Holler public good index", counts="minimal",
                  reference="M. J. Holler, Political Studies 30 (1982)")
def holler(game: VotingGame, *, progress: Progress = None, _cache: dict | None = None) -> dict[str, Fraction]:
    t = _minimal_counts(game, progress, _cache)
    return _normalised(_per_player(game, t.holler), "membership in a minimal winning coalition")


@INDICES.register("johnston", title="Johnston index", counts="minimal",
                  reference="R. J. Johnston, Environment and Planning A 10 (1978)")
def johnston(game: VotingGame, *, progress: Progress = None, _cache: dict | None = None) -> dict[str, Fraction]:
    t = _minimal_counts(game, progress, _cache)
    return _per_player(game, [j / t.vulnerable for j in t.johnston])


@INDICES.register("coleman-prevent", title="Coleman power to prevent action (swings / winning coalitions)",
                  counts="swings", reference="J. S. Coleman, in Social Choice, ed. Lieberman (1971)")
def coleman_prevent(game: VotingGame, *, progress: Progress = None, _cache: dict | None = None) -> dict[str, Fraction]:
    c = _swing_counts(game, progress=progress, _cache=_cache)
    return _per_player(game, [Fraction(s, c.winning) for s in c.swings])


@INDICES.register("coleman-initiate", title="Coleman power to initiate action (swings / losing coalitions)",
                  counts="swings", reference="J. S. Coleman, in Social Choice, ed. Lieberman (1971)")
def coleman_initiate(game: VotingGame, *, progress: Progress = None, _cache: dict | None = None) -> dict[str, Fraction]:
    c = _swing_counts(game, progress=progress, _cache=_cache)
    losing = 2 ** c.n - c.winning
    return _per_player(game, [Fraction(s, losing) for s in c.swings])


@INDICES.register("coleman-collective", title="Coleman power of the collectivity to act (winning / all "
                  "coalitions; one value, given to every player)", counts="swings",
                  reference="J. S. Coleman, in Social Choice, ed. Lieberman (1971)")
def coleman_collective(game: VotingGame, *, progress: Progress = None, _cache: dict | None = None) -> dict[str, Fraction]:
    c = _swing_counts(game, progress=progress, _cache=_cache)
    value = Fraction(c.winning, 2 ** c.n)
    return {p: value for p in game.weights}
