"""Weighted games counted by generating functions: packed prefix sums (swings), the same
by coalition size packed in Python integers or counted modulo primes with numpy (pivots),
and the split by the lightest critical weight (minimal and vulnerable coalitions)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from fractions import Fraction
from functools import cache

import numpy as np

from muhasasa.parliament.games import VotingGame
from muhasasa.parliament.power.shape import (
    Counts,
    Minimal,
    Progress,
    Shape,
    shape_of,
    size_weights,
    slot_bits,
    unpack,
)


def weighted_counts(game: VotingGame, engine: str, progress: Progress) -> Counts:
    shape = shape_of(game)
    n, L = shape.n, shape.dual
    if engine == "packed":
        prefix = packed_prefix(shape, progress)
        swings = tuple(alternating(lambda x: prefix[x] if x >= 0 else 0, w, L) if w else 0
                       for w in shape.weights)
        pivots = None
        below = prefix[L - 1]
    else:
        count = packed_by_size if engine == "packed-sizes" else modular_by_size
        by_size, below = count(shape, progress)
        factor = size_weights(n)
        swings = tuple(sum(v) for v in by_size)
        total = math.factorial(n)
        pivots = tuple(Fraction(sum(c * f for c, f in zip(v, factor)), total) for v in by_size)
    # ``below`` counts coalitions of weight < L; on the dual they are the winning ones
    winning = below if L != shape.quota else 2**n - below
    return Counts(n, swings, pivots, winning)


def alternating(prefix: Callable[[int], int], w: int, L: int, shift_bits: int = 0) -> int:
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


def packed_prefix(shape: Shape, progress: Progress) -> list[int]:
    """``P(s)``: coalitions of weight at most s, for s < L, from one packed integer."""
    L, n = shape.dual, shape.n
    bits = slot_bits(n)
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
    return unpack(packed, L, bits)


def packed_by_size(shape: Shape, progress: Progress) -> tuple[list[list[int]], int]:
    """Per distinct weight: swings of one player of it by coalition size (0..n−1),
    from a table of prefix sums by weight, each entry packed by size."""
    L, n = shape.dual, shape.n
    bits = slot_bits(n)
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
        packed = alternating(lambda x: table[x] if x >= 0 else 0, w, L, bits)
        out.append(dual_sizes(shape, unpack(packed, n, bits)))
    return out, sum(unpack(table[L - 1], n + 1, bits))


def dual_sizes(shape: Shape, by_size: list[int]) -> list[int]:
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


def primes_needed(n: int) -> int:
    """Primes (besides 2^64) whose product with 2^64 exceeds every count (< 2^n)."""
    return max(0, -(-(n + 1 - 64) // _PRIME_BITS))


_SIZE_SCAN_LIMIT = 2_000_000  # steps the modular engine's cost count may take; above, an upper bound


def modular_size(shape: Shape) -> tuple[int, int]:
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


def modular_by_size(shape: Shape, progress: Progress) -> tuple[list[list[int]], int]:
    """As :func:`packed_by_size`, counted modulo 2^64 and primes with numpy, then
    rebuilt by the Chinese remainder theorem (exact: every count is below the product)."""
    L, n = shape.dual, shape.n
    primes = _primes(primes_needed(n))
    mods = np.array(primes, dtype=np.uint64)
    channels = 1 + len(primes)
    kmax, _ = modular_size(shape)
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
        out.append(dual_sizes(shape, counts[:n]))
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


def split_counts(shape: Shape, progress: Progress) -> Minimal:
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
    bits = slot_bits(n)
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

        # light coalitions completing heavy weight a into [lo, hi]
        reach = [0 if hi < a else running[min(hi - a, top)] - (running[lo - a - 1] if lo > a else 0)
                 for a in range(size)]
        for t in range(g):
            w = ws[t]
            others = [0] * (hi - w + 1)  # heavy coalitions without one player of weight w
            for a in range(hi - w + 1):
                others[a] = heavy[a] - (others[a - w] << bits if a >= w else 0)
            johnston_packed = sum(others[a] * reach[a + w] for a in range(hi - w + 1) if reach[a + w])
            minimal_packed = sum(others[a] for a in range(max(0, lo - w), hi - w + 1))
            j_sizes = unpack(johnston_packed, n, bits) if johnston_packed else []
            m_sizes = unpack(minimal_packed, n, bits) if minimal_packed else []
            johnston[t] += sum(c * share[k] for k, c in enumerate(j_sizes))
            deegan[t] += sum(c * share[k] for k, c in enumerate(m_sizes))
            holler[t] += sum(m_sizes)
    minimal = sum(Fraction(deegan[t] * ms[t], denominator) for t in range(d))
    vulnerable = sum(Fraction(johnston[t] * ms[t], denominator) for t in range(d))
    return Minimal(
        holler,
        [Fraction(v, denominator) for v in deegan],
        [Fraction(v, denominator) for v in johnston],
        int(minimal),
        int(vulnerable),
    )


# --------------------------------------------------------------------------- enumeration
