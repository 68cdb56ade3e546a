"""Compiled batch kernels (numba): each contest in one pass, exact, ties by the law's rule.

Imported only when a batch asks for the ``"numba"`` algorithm (numba is the ``fast``
extra), so ``import muhasasa`` never pays for it. Kernels are compiled on their first
call; the compiled code is cached under the user's cache directory
(``$XDG_CACHE_HOME/muhasasa/numba``, or ``NUMBA_CACHE_DIR`` when set), never inside the
installed package, and not at all when that directory cannot be written.

Exactness, as in the exact path: a quotient ``v·den / num`` is computed as a float from
exact integers (one correctly rounded division), so float order never inverts exact
order; quotients that are equal as floats are compared by integer cross-multiplication
(106-bit products in three 27-bit limbs), and a true tie at the last seat is settled by
the same seeded lot as :class:`~muhasasa.methods.ties.TieRule` (the lot's permutations
are passed in), or flagged for the exact path, which refuses it.
"""

from __future__ import annotations

import os
from pathlib import Path

import numba
import numpy as np
from numba import config as _config

from muhasasa.methods.kernels import COMPILED_PREFIX

#: Votes times any divisor denominator must stay below this for floats to be exact.
EXACT_FLOAT = 2**53
_LIMB = 27
_MASK = (1 << _LIMB) - 1


def cache_dir() -> Path | None:
    """Where compiled kernels are cached: a writable directory outside the package, or None."""
    if _config.CACHE_DIR:
        return Path(_config.CACHE_DIR)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "muhasasa" / "numba"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return path if os.access(path, os.W_OK | os.X_OK) else None


def _compiled(*functions, fastmath=False, inline="never"):
    """njit each function, caching in :func:`cache_dir` (numba reads ``CACHE_DIR`` when a
    function is decorated; it is restored at once so nobody else's functions move)."""
    saved, where = _config.CACHE_DIR, cache_dir()
    _config.CACHE_DIR = str(where) if where else ""
    try:
        return [numba.njit(cache=where is not None, nogil=True, error_model="numpy", fastmath=fastmath,
                           inline=inline)(f) for f in functions]
    finally:
        _config.CACHE_DIR = saved


# ---------------------------------------------------------------- exact comparison


def _less(x1, y1, x2, y2):
    """``x1 / y1 < x2 / y2`` exactly, for non-negative integers below 2**54 and y > 0."""
    a0, a1 = x1 & _MASK, x1 >> _LIMB
    b0, b1 = y2 & _MASK, y2 >> _LIMB
    c0, c1 = x2 & _MASK, x2 >> _LIMB
    d0, d1 = y1 & _MASK, y1 >> _LIMB
    lo1 = a0 * b0
    mid1 = a1 * b0 + a0 * b1 + (lo1 >> _LIMB)
    hi1 = a1 * b1 + (mid1 >> _LIMB)
    lo2 = c0 * d0
    mid2 = c1 * d0 + c0 * d1 + (lo2 >> _LIMB)
    hi2 = c1 * d1 + (mid2 >> _LIMB)
    if hi1 != hi2:
        return hi1 < hi2
    if (mid1 & _MASK) != (mid2 & _MASK):
        return (mid1 & _MASK) < (mid2 & _MASK)
    return (lo1 & _MASK) < (lo2 & _MASK)


#: Divisors held in the kernels' small tables (in scalars: the code below is written for
#: four); the sequence continues as (a + b·k) / c.
PREFIX = COMPILED_PREFIX


def _quotient(v, k, fnum, fden, a, b, c):
    """``v / d(k)``: one correctly rounded division of exact integers (below 2**53)."""
    if k < PREFIX:
        return (v * fden[k]) / fnum[k]
    return (v * c) / (a + b * k)


def _exact(v, k, inum, iden, a, b, c):
    """``v / d(k)`` as exact integers ``(x, y)``."""
    if k < PREFIX:
        return v * iden[k], inum[k]
    return v * c, a + b * k


def _first_guess(votes, row, n, fp, gaps, a, b, c):
    """``s = 1 / λ`` such that about ``n`` quotients exceed λ: a guess as if every list were
    in the regular part of the sequence, then one Newton step on the seat count, its slope
    from each list's divisor gap (an estimate: the boundary is settled exactly later).
    The :data:`PREFIX` table entries are held in scalars so that the loop vectorizes."""
    weight = 0.0
    active = 0
    for i in range(votes.shape[1]):
        weight += votes[row, i]
        active += votes[row, i] > 0
    if active == 0:
        return 0.0
    room = b * n + active * (a - b / 2.0)
    s = (room if room > 0 else b * n) / (weight * c)
    f0, f1, f2, f3 = fp[0], fp[1], fp[2], fp[3]
    g0, g1, g2, g3 = gaps[0], gaps[1], gaps[2], gaps[3]
    regular = c / b
    ib = 1.0 / b  # an estimate: a multiplication is enough
    total = 0.0
    slope = 0.0
    for i in range(votes.shape[1]):
        v = float(votes[row, i])
        x = v * s
        below = (1.0 if x > f0 else 0.0) + (1.0 if x > f1 else 0.0) + (1.0 if x > f2 else 0.0)
        gap = g0 if x <= f0 else (g1 if x <= f1 else (g2 if x <= f2 else (g3 if x <= f3 else regular)))
        tail = max(np.ceil((x * c - a) * ib), 4.0)
        total += tail if x > f3 else below
        slope += v * gap
    step = s + (n - total) / slope
    return step if step > 0 else s * 0.5


def _first_guess1(votes, row, n, fp, a, b, c):
    """:func:`_first_guess` for a sequence regular from its second divisor on (one table
    entry: every registered sequence but a long custom one)."""
    weight = 0.0
    active = 0
    for i in range(votes.shape[1]):
        weight += votes[row, i]
        active += votes[row, i] > 0
    if active == 0:
        return 0.0
    room = b * n + active * (a - b / 2.0)
    s = (room if room > 0 else b * n) / (weight * c)
    f0 = fp[0]
    g0 = 1.0 / f0
    regular = c / b
    ib = 1.0 / b  # an estimate: a multiplication is enough
    total = 0.0
    slope = 0.0
    for i in range(votes.shape[1]):
        v = float(votes[row, i])
        x = v * s
        total += max(np.ceil((x * c - a) * ib), 1.0) if x > f0 else 0.0
        slope += v * (g0 if x <= f0 else regular)
    step = s + (n - total) / slope
    return step if step > 0 else s * 0.5


def _count1(votes, row, n, s, counts, nxt, lst, fp, fnum, fden, a, b, c):
    """:func:`_count` for a sequence regular from its second divisor on."""
    f0, n0, d0 = fp[0], fnum[0], fden[0]
    ib = 1.0 / b  # the count is an estimate, settled exactly later
    total = 0
    for i in range(votes.shape[1]):
        v = float(votes[row, i])
        x = v * s
        k = min(max(np.ceil((x * c - a) * ib), 1.0), n) if x > f0 else 0.0
        num = n0 if k == 0 else a + b * k
        den = d0 if k == 0 else c
        nxt[i] = (v * den) / num if v > 0 else -1.0
        num = n0 if k == 1 else a + b * (k - 1)
        den = d0 if k == 1 else c
        lst[i] = (v * den) / num if k > 0 else np.inf
        whole = int(k)
        counts[row, i] = whole
        total += whole
    return total


def _count(votes, row, n, s, counts, nxt, lst, fp, fnum, fden, a, b, c):
    """Each list's quotients above λ = 1 / s into ``counts``, its next and last quotients
    into ``nxt`` and ``lst`` (-1 and +inf where there are none); returns the total.
    Branch-free, the table in scalars, so that it vectorizes; ``a``, ``b``, ``c`` are floats."""
    f0, f1, f2, f3 = fp[0], fp[1], fp[2], fp[3]
    ib = 1.0 / b  # the count is an estimate, settled exactly later
    n0, n1, n2, n3 = fnum[0], fnum[1], fnum[2], fnum[3]
    d0, d1, d2, d3 = fden[0], fden[1], fden[2], fden[3]
    total = 0
    for i in range(votes.shape[1]):
        v = float(votes[row, i])
        x = v * s
        below = (1.0 if x > f0 else 0.0) + (1.0 if x > f1 else 0.0) + (1.0 if x > f2 else 0.0)
        k = min(max(np.ceil((x * c - a) * ib), 4.0), n) if x > f3 else below
        num = a + b * k
        den = c
        num = n0 if k == 0 else (n1 if k == 1 else (n2 if k == 2 else (n3 if k == 3 else num)))
        den = d0 if k == 0 else (d1 if k == 1 else (d2 if k == 2 else (d3 if k == 3 else den)))
        nxt[i] = (v * den) / num if v > 0 else -1.0
        num = a + b * (k - 1)
        den = c
        num = n0 if k == 1 else (n1 if k == 2 else (n2 if k == 3 else (n3 if k == 4 else num)))
        den = d0 if k == 1 else (d1 if k == 2 else (d2 if k == 3 else (d3 if k == 4 else den)))
        lst[i] = (v * den) / num if k > 0 else np.inf
        whole = int(k)
        counts[row, i] = whole
        total += whole
    return total


def _edges(nxt, lst):
    """The smallest last won quotient and the largest next one (min/max: order-free, so
    compiled with fastmath to vectorize)."""
    low = np.inf
    high = -np.inf
    for i in range(nxt.shape[0]):
        low = min(low, lst[i])
        high = max(high, nxt[i])
    return low, high


def _highest(values):
    """The largest value (fastmath: vectorized, exact for a maximum)."""
    best = -np.inf
    for i in range(values.shape[0]):
        best = max(best, values[i])
    return best


def _lowest(values):
    """The smallest value (fastmath: vectorized, exact for a minimum)."""
    best = np.inf
    for i in range(values.shape[0]):
        best = min(best, values[i])
    return best


def _divisor_cell(votes, row, n, s, nxt, lst, fp, fnum, fden, inum, iden, a, b, c, refuse, order,
                  perms, picked, cnt, one):
    """Seats of one contest by a divisor method into ``cnt[row]``, from the guess ``s = 1 / λ``;
    True when the exact path must decide (no votes for the seats, a refused tie, too many
    seats for exact floats)."""
    lists = votes.shape[1]
    if n == 0 or s <= 0 or n * b + a >= EXACT_FLOAT:
        for i in range(lists):
            cnt[row, i] = 0
        return n != 0
    if one:
        total = _count1(votes, row, n, s, cnt, nxt, lst, fp, fnum, fden, float(a), float(b), float(c))
    else:
        total = _count(votes, row, n, s, cnt, nxt, lst, fp, fnum, fden, float(a), float(b), float(c))
    # the seats the estimate missed, largest next quotients first; lists whose quotients
    # are equal as floats move together while the seats last (float order never inverts
    # exact order; a group cut by the last seat is settled at the boundary below)
    while total < n:
        high = _highest(nxt)
        for i in range(lists):
            if nxt[i] == high and total < n:
                lst[i] = high
                cnt[row, i] += 1
                nxt[i] = _quotient(float(votes[row, i]), cnt[row, i], fnum, fden, a, b, c)
                total += 1
    while total > n:
        low = _lowest(lst)
        for i in range(lists):
            if lst[i] == low and total > n:
                nxt[i] = low
                cnt[row, i] -= 1
                k = cnt[row, i]
                lst[i] = _quotient(float(votes[row, i]), k - 1, fnum, fden, a, b, c) if k > 0 else np.inf
                total -= 1
    # the boundary: every won quotient strictly above every lost one, or a tie
    low, high = _edges(nxt, lst)
    if low > high:
        return False
    for _ in range(2 * lists + 4):
        lo = 0
        hi = 0
        for i in range(1, lists):
            if lst[i] < lst[lo]:
                lo = i
            if nxt[i] > nxt[hi]:
                hi = i
        edge = lst[lo]
        if edge > nxt[hi]:
            return False
        if edge == nxt[hi]:  # equal as floats: compare exactly (same votes, same divisor: equal)
            vl, kl = votes[row, lo], cnt[row, lo] - 1
            vh, kh = votes[row, hi], cnt[row, hi]
            xl, yl = _exact(vl, kl, inum, iden, a, b, c)
            xh, yh = _exact(vh, kh, inum, iden, a, b, c)
            # the usual case (equal votes, equal seats): every list at the edge has lo's or
            # hi's votes and divisor, so they are tied exactly with no cross-multiplication
            odd = 0
            for i in range(lists):
                v, k = votes[row, i], cnt[row, i]
                odd |= np.int64(lst[i] == edge) & np.int64((v != vl) | (k - 1 != kl))
                odd |= np.int64(nxt[i] == edge) & np.int64((v != vh) | (k != kh))
            if not odd and not refuse and not _less(xh, yh, xl, yl) and not _less(xl, yl, xh, yh):
                # contenders in name order, branch-free, then the lot's permutation picks
                m = 0
                left = 0
                for r in range(lists):
                    i = order[r]
                    won = np.int64(lst[i] == edge)
                    tied = won | np.int64(nxt[i] == edge)
                    picked[m] = i
                    m += tied
                    left += won
                    cnt[row, i] -= won
                for p in range(left):
                    cnt[row, picked[perms[m, p]]] += 1
                return False
            for i in range(lists if odd else 0):
                v, k = votes[row, i], cnt[row, i]
                if lst[i] == edge and not (v == vl and k - 1 == kl):
                    x, y = _exact(v, k - 1, inum, iden, a, b, c)
                    if _less(x, y, xl, yl):
                        lo, vl, kl, xl, yl = i, v, k - 1, x, y
                if nxt[i] == edge and not (v == vh and k == kh):
                    x, y = _exact(v, k, inum, iden, a, b, c)
                    if _less(xh, yh, x, y):
                        hi, vh, kh, xh, yh = i, v, k, x, y
            if _less(xh, yh, xl, yl):
                return False
            if not _less(xl, yl, xh, yh):  # a tie at the last seat
                if refuse:
                    return True
                # contenders in name order (``order``), then the lot's permutation picks winners
                m = 0
                left = 0
                for r in range(lists):
                    i = order[r]
                    v, k = votes[row, i], cnt[row, i]
                    if lst[i] == edge:
                        if v == vl and k - 1 == kl:
                            tied = True
                        else:
                            x, y = _exact(v, k - 1, inum, iden, a, b, c)
                            tied = not _less(xl, yl, x, y)
                        if tied:
                            picked[m] = i
                            m += 1
                            left += 1
                            cnt[row, i] -= 1
                    elif nxt[i] == edge:
                        if v == vh and k == kh:
                            tied = True
                        else:
                            x, y = _exact(v, k, inum, iden, a, b, c)
                            tied = not _less(x, y, xh, yh)
                        if tied:
                            picked[m] = i
                            m += 1
                for p in range(left):
                    cnt[row, picked[perms[m, p]]] += 1
                return False
        # an inversion (hidden by rounding, or left by the estimate): move one seat
        cnt[row, lo] -= 1
        nxt[lo] = lst[lo]
        k = cnt[row, lo]
        lst[lo] = _quotient(float(votes[row, lo]), k - 1, fnum, fden, a, b, c) if k > 0 else np.inf
        lst[hi] = nxt[hi]
        cnt[row, hi] += 1
        nxt[hi] = _quotient(float(votes[row, hi]), cnt[row, hi], fnum, fden, a, b, c)
    return True


def _divisor_cells(votes, seats, fp, gaps, fnum, fden, inum, iden, a, b, c, refuse, order, perms, out, unsure,
                   one):
    """Every contest (row) of ``votes`` by a divisor method; ``seats`` repeat along the rows."""
    cells, lists = votes.shape
    districts = seats.shape[0]
    picked = np.empty(lists, np.int64)
    nxt = np.empty(lists, np.float64)
    lst = np.empty(lists, np.float64)
    for row in range(cells):
        n = seats[row % districts]
        if n == 0:
            s = 0.0
        elif one:
            s = _first_guess1(votes, row, n, fp, a, b, c)
        else:
            s = _first_guess(votes, row, n, fp, gaps, a, b, c)
        unsure[row] = _divisor_cell(votes, row, n, s, nxt, lst, fp, fnum, fden, inum, iden, a, b, c,
                                    refuse, order, perms, picked, out, one)


_less, _quotient, _exact, _count, _count1, _divisor_cell = _compiled(
    _less, _quotient, _exact, _count, _count1, _divisor_cell)
_first_guess, _first_guess1, _edges, _highest, _lowest = _compiled(
    _first_guess, _first_guess1, _edges, _highest, _lowest, fastmath=True)
(_divisor_cells,) = _compiled(_divisor_cells)


def divisor_batch(votes: np.ndarray, seats: np.ndarray, prefix: list[tuple[int, int]],
                  tail: tuple[int, int, int], refuse: bool, ranks: np.ndarray,
                  perms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Seats of every contest by the divisor sequence ``prefix`` (numerator, denominator)
    then ``(a + b·k) / c``, and the contests the exact path must decide.

    At most :data:`PREFIX` leading divisors are supported (the registered sequences have
    one or two); the caller offers this kernel only then.
    """
    votes = np.ascontiguousarray(votes, dtype=np.int64)
    seats = np.ascontiguousarray(seats, dtype=np.int64)
    out = np.empty(votes.shape, dtype=np.int64)
    unsure = np.empty(votes.shape[:2], dtype=np.bool_)
    a, b, c = tail
    if len(prefix) > PREFIX:
        raise ValueError(f"the compiled kernel takes at most {PREFIX} leading divisors")
    table = list(prefix) + [(a + b * k, c) for k in range(len(prefix), PREFIX)]
    inum = np.array([t[0] for t in table], dtype=np.int64)
    iden = np.array([t[1] for t in table], dtype=np.int64)
    widest = max(int(iden.max()), c)
    if int(inum.max()) >= EXACT_FLOAT or (votes.size and int(votes.max()) * widest >= EXACT_FLOAT):
        out[:] = 0
        unsure[:] = True
        return out, unsure
    fp = np.array([x / y for x, y in table], dtype=np.float64)
    gaps = 1.0 / np.diff(fp, prepend=0.0)
    lists = votes.shape[2]
    _divisor_cells(votes.reshape(-1, lists), seats, fp, gaps, inum.astype(np.float64), iden.astype(np.float64),
                   inum, iden, a, b, c, refuse, np.argsort(ranks), perms, out.reshape(-1, lists),
                   unsure.reshape(-1), len(prefix) <= 2)  # regular from the second divisor on
    return out, unsure
