"""Compiled batch kernels (numba): each contest in a few vector passes, exact, ties by the law's rule.

Imported only when a batch asks for the ``"numba"`` algorithm (numba is the ``fast``
extra), so ``import muhasasa`` never pays for it. Kernels are compiled on their first
call; the compiled code is cached under the user's cache directory
(``$XDG_CACHE_HOME/muhasasa/numba``, or ``NUMBA_CACHE_DIR`` when set), never inside the
installed package, and not at all when that directory cannot be written.

Exactness: the fast path (below) keeps seats only when a check with a margin far above
float rounding proves them, and settles a tie only when every contender provably has the
same quotient. Everything else goes through :func:`_settle`, as in the exact path: a
quotient ``v·den / num`` is computed as a float from exact integers (one correctly rounded
division), so float order never inverts exact order; quotients that are equal as floats
are compared by integer cross-multiplication (106-bit products in three 27-bit limbs).
A true tie at the last seat is settled by the same seeded lot as
:class:`~muhasasa.methods.ties.TieRule` (the lot's permutations are passed in), or
flagged for the exact path, which refuses it.
"""

from __future__ import annotations

import os
from pathlib import Path

import numba
import numpy as np
from numba import config as _config
from numba.core import types
from numba.extending import intrinsic, overload

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


def _settle(votes, row, n, total, nxt, lst, fnum, fden, inum, iden, a, b, c, refuse, order, perms, picked,
            cnt):
    """From seat counts ``cnt[row]`` summing to ``total`` and their next and last quotients
    (correctly rounded floats; -1 and +inf where there are none): the seats missing or
    too many, then the boundary, exactly, ties by the law's rule. True when the exact
    path must decide (a refused tie, or no end found)."""
    lists = votes.shape[1]
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



# ---------------------------------------------------------------- the fast path
#
# Most contests have one exact answer with no tie near the boundary. The fast path finds
# it with multiplications (one reciprocal per list) over buffers padded to whole vector
# iterations, and keeps it only when a check proves it. In terms of s = 1 / λ, a list with
# v votes holding k seats is right for any s in (d(k-1) / v, d(k) / v], its two *ends*;
# the seats are exactly the divisor method's, with no tie, when the largest lower end is
# below the smallest upper end. The ends are computed within 4 rounding units (d(k) from
# integers within 2, 1 / v within 1, the product within 1); the check asks for a gap of
# :data:`_GAP` units in the last place (about 2**-44 relative: positive doubles order as
# their bit patterns, which the reductions use because integer reductions vectorize), so
# it never passes wrongly. Seats the estimate missed move a whole group of equal ends at a
# time (many equal lists move as one); a group that straddles the last seat is a tie,
# settled here by the lot when every contender has the same votes and the same divisor
# (so exactly the same quotient) and every other end is clear by the gap. Anything else
# (values too close to tell, an estimate far off, a tie the rule refuses) is settled by
# :func:`_settle` from the counts reached.

#: Lists are padded to a multiple of this with zero votes (inert: no seat, no end), so
#: that loops over them run whole vector iterations (8 doubles, 2–4 at a time).
LANES = 32
#: The gap the check asks for between the largest lower end and the smallest upper end,
#: in units in the last place: about 2**-44 relative, far above the ends' 4 units.
_GAP = 512
#: Seats the estimate may miss before the fast path leaves the contest to :func:`_settle`.
_STEPS = 64
#: The bits of +inf: larger than those of every finite non-negative double.
_INF_BITS = 0x7FF0000000000000


@intrinsic
def _bits(typingctx, x):
    """The bit pattern of a double as an int64 (for non-negative doubles, same order)."""
    if isinstance(x, types.Float) and x.bitwidth == 64:
        def codegen(context, builder, signature, args):
            return builder.bitcast(args[0], context.get_value_type(types.int64))
        return types.int64(x), codegen
    return None


@intrinsic
def _double(typingctx, x):
    """The double with the bit pattern ``x`` (the inverse of :func:`_bits`)."""
    if isinstance(x, types.Integer) and x.bitwidth == 64:
        def codegen(context, builder, signature, args):
            return builder.bitcast(args[0], context.get_value_type(types.float64))
        return types.float64(x), codegen
    return None


def _sums(vf, pad, bound):
    """Total votes and lists with votes (fastmath: the sum vectorizes; for the estimate),
    and how many lists have more than ``bound`` votes (beyond exact floats)."""
    weight = 0.0
    active = 0.0
    over = 0.0
    for i in range(pad):
        v = vf[i]
        weight += v
        active += 1.0 if v > 0 else 0.0
        over += 1.0 if v > bound else 0.0
    return weight, active, over


def _divisor_lane(k, table, a, b, ic):
    """d(k) as a float within two rounding units (``k`` a float; branch-free): the
    leading divisors from ``table``, then ``(a + b·k) / c``. Compiled for each length of
    ``table`` (one entry for a sequence regular from its second divisor on, else four)."""
    return table[int(k)] if k < len(table) else (a + b * k) * ic


def _count_lane(x, n, table, a, c, ib):
    """The divisors below ``x`` (an estimate, capped at ``n``)."""
    below = 0.0
    for d in table:
        below += 1.0 if x > d else 0.0
    return min(max(np.ceil((x * c - a) * ib), float(len(table))), n) if x > table[-1] else below


def _gap_lane(x, table, gaps, regular):
    """The inverse gap between the divisors around ``x`` (the count's slope per unit)."""
    for j in range(len(table)):
        if x <= table[j]:
            return gaps[j]
    return regular


@overload(_divisor_lane)
def _divisor_lane_compiled(k, table, a, b, ic):
    if table.count == 1:
        def one(k, table, a, b, ic):
            return table[0] if k == 0 else (a + b * k) * ic
        return one

    def four(k, table, a, b, ic):
        f0, f1, f2, f3 = table
        return f0 if k == 0 else (f1 if k == 1 else (f2 if k == 2 else (f3 if k == 3 else (a + b * k) * ic)))
    return four


@overload(_count_lane)
def _count_lane_compiled(x, n, table, a, c, ib):
    if table.count == 1:
        def one(x, n, table, a, c, ib):
            return min(max(np.ceil((x * c - a) * ib), 1.0), n) if x > table[0] else 0.0
        return one

    def four(x, n, table, a, c, ib):
        f0, f1, f2, f3 = table
        below = (1.0 if x > f0 else 0.0) + (1.0 if x > f1 else 0.0) + (1.0 if x > f2 else 0.0)
        return min(max(np.ceil((x * c - a) * ib), 4.0), n) if x > f3 else below
    return four


@overload(_gap_lane)
def _gap_lane_compiled(x, table, gaps, regular):
    if table.count == 1:
        def one(x, table, gaps, regular):
            return gaps[0] if x <= table[0] else regular
        return one

    def four(x, table, gaps, regular):
        f0, f1, f2, f3 = table
        g0, g1, g2, g3 = gaps
        return g0 if x <= f0 else (g1 if x <= f1 else (g2 if x <= f2 else (g3 if x <= f3 else regular)))
    return four


def _newton(vf, pad, s, n, table, gaps, a, b, c, ib):
    """One Newton step on the seat count at ``s``: the count's slope from each list's
    divisor gap (an estimate; the boundary is settled exactly later)."""
    regular = c * ib
    total = 0.0
    slope = 0.0
    for i in range(pad):
        v = vf[i]
        x = v * s
        total += _count_lane(x, n, table, a, c, ib)
        slope += v * _gap_lane(x, table, gaps, regular)
    step = s + (n - total) / slope
    return step if step > 0 else s * 0.5


def _ends(vf, pad, s, n, kc, rv, lo, hi, table, a, b, c, ib, ic):
    """Each list's seats at ``s`` (capped at ``n``), its reciprocal votes and its ends
    (0 and +inf where there are none); the total, and the bits of the largest lower end
    and of the smallest upper end."""
    total = 0
    low = np.int64(0)
    high = np.int64(_INF_BITS)
    for i in range(pad):
        v = vf[i]
        x = v * s
        k = _count_lane(x, n, table, a, c, ib)
        r = 1.0 / v if v > 0 else 0.0
        h = _divisor_lane(k, table, a, b, ic) * r if v > 0 else np.inf
        e = _divisor_lane(k - 1, table, a, b, ic) * r if k > 0 else 0.0
        rv[i] = r
        kc[i] = k
        lo[i] = e
        hi[i] = h
        total += np.int64(k)
        low = max(low, _bits(e))
        high = min(high, _bits(h))
    return total, low, high


def _up(pad, edge, kc, rv, lo, hi, table, a, b, ic):
    """Every list whose upper end has the bits ``edge`` takes its next seat; how many
    moved, and the new largest lower and smallest upper ends (bits)."""
    moved = 0
    low = np.int64(0)
    high = np.int64(_INF_BITS)
    for i in range(pad):
        h = hi[i]
        go = _bits(h) == edge
        k = kc[i] + (1.0 if go else 0.0)
        e = h if go else lo[i]
        h = _divisor_lane(k, table, a, b, ic) * rv[i] if go else h
        kc[i] = k
        lo[i] = e
        hi[i] = h
        moved += np.int64(go)
        low = max(low, _bits(e))
        high = min(high, _bits(h))
    return moved, low, high


def _down(pad, edge, kc, rv, lo, hi, table, a, b, ic):
    """Every list whose lower end has the bits ``edge`` gives back its last seat."""
    moved = 0
    low = np.int64(0)
    high = np.int64(_INF_BITS)
    for i in range(pad):
        e = lo[i]
        go = _bits(e) == edge
        k = kc[i] - (1.0 if go else 0.0)
        h = e if go else hi[i]
        e = (_divisor_lane(k - 1, table, a, b, ic) * rv[i] if k > 0 else 0.0) if go else e
        kc[i] = k
        lo[i] = e
        hi[i] = h
        moved += np.int64(go)
        low = max(low, _bits(e))
        high = min(high, _bits(h))
    return moved, low, high


def _fast_tie(vf, kc, lo, hi, flag, lists, pad, edge, left, order, perms, picked):
    """A tie at the end with bits ``edge``, settled by the lot when it provably is one:
    every list with an end there has the same votes and the same divisor at it (so the
    same quotient), and every other end is clear of it by the gap. The contenders are the
    lists with an end there; ``left`` plus those holding their seat at it win seats.
    True when settled (counts in ``kc``); False leaves the contest to :func:`_settle`."""
    bad = 0
    won = 0
    contenders = 0
    most = np.int64(0)  # the contenders' votes and seats surely held, as bits: all equal?
    least = np.int64(_INF_BITS)
    held_most = np.int64(0)
    held_least = np.int64(_INF_BITS)
    for i in range(pad):  # one vectorized pass
        lower = _bits(lo[i])
        upper = _bits(hi[i])
        low = lower == edge
        high = upper == edge
        tied = low | high
        votes = _bits(vf[i])
        held = _bits(kc[i] - (1.0 if low else 0.0))
        most = max(most, votes if tied else np.int64(0))
        least = min(least, votes if tied else np.int64(_INF_BITS))
        held_most = max(held_most, held if tied else np.int64(0))
        held_least = min(held_least, held if tied else np.int64(_INF_BITS))
        bad |= np.int64(lower + _GAP >= edge) & np.int64(not low)
        bad |= np.int64(upper <= edge + _GAP) & np.int64(not high)
        won += np.int64(low)
        contenders += np.int64(tied)
        flag[i] = np.int64(tied)
    left += won
    if bad or most != least or held_most != held_least or left <= 0 or left >= contenders:
        return False
    m = 0
    r = 0
    while m < contenders:  # contenders in name order, then the lot's permutation picks
        i = order[r]
        picked[m] = i
        m += flag[i]
        r += 1
    held = _double(held_least)
    for i in range(pad):  # every contender holds the seats below the tie
        kc[i] = held if flag[i] else kc[i]
    for p in range(left):
        kc[picked[perms[m, p]]] += 1.0
    return True


#: What the fast path concluded about a contest.
_DONE, _SETTLE, _UNSURE = 0, 1, 2


def _fast_cell(votes, row, n, lists, pad, vf, rv, kc, lo, hi, flag, table, gaps, a, b, c, bound, refuse, order,
               perms, picked):
    """The fast path for one contest with ``n`` > 0 seats: :data:`_DONE` when ``kc`` holds
    its exact seats, :data:`_SETTLE` to finish with :func:`_settle` from ``kc``, and
    :data:`_UNSURE` for the exact path (no votes, or votes beyond exact floats)."""
    for i in range(lists):
        vf[i] = float(votes[row, i])
    weight, active, over = _sums(vf, pad, bound)
    if active == 0 or over:
        for i in range(pad):
            kc[i] = 0.0
        return _UNSURE
    fa, fb, fc = float(a), float(b), float(c)
    ib, ic = 1.0 / fb, 1.0 / fc  # estimates and ends within a rounding unit: the check allows for it
    room = fb * n + active * (fa - fb / 2.0)
    s = (room if room > 0 else fb * n) / (weight * fc)
    s = _newton(vf, pad, s, float(n), table, gaps, fa, fb, fc, ib)
    total, low, high = _ends(vf, pad, s, float(n), kc, rv, lo, hi, table, fa, fb, fc, ib, ic)
    if abs(total - n) > _STEPS:
        return _SETTLE
    edge = low
    rose = False
    while total < n:  # the next seats: the smallest upper ends, a group of equal ones at a time
        edge = high
        moved, low, high = _up(pad, edge, kc, rv, lo, hi, table, fa, fb, ic)
        total += moved
        rose = True
    if rose and total > n:  # the last group taken overshot: it straddles the last seat at ``edge``
        if refuse or not _fast_tie(vf, kc, lo, hi, flag, lists, pad, edge, n - total, order, perms, picked):
            return _SETTLE
        return _DONE
    while total > n:  # the last seats won: the largest lower ends
        edge = low
        moved, low, high = _down(pad, edge, kc, rv, lo, hi, table, fa, fb, ic)
        total -= moved
    if total == n:
        if low + _GAP < high:
            return _DONE
        edge = low
        if low != high:
            return _SETTLE
    # a group straddles the last seat (or two groups meet at it): a tie
    if refuse or not _fast_tie(vf, kc, lo, hi, flag, lists, pad, edge, n - total, order, perms, picked):
        return _SETTLE
    return _DONE


def _settle_from(votes, row, n, kc, nxt, lst, fnum, fden, inum, iden, a, b, c, refuse, order, perms, picked, out):
    """:func:`_settle` from the fast path's counts: their quotients as correctly rounded
    divisions (compiled apart from the fast path, without its fastmath flags)."""
    total = 0
    for i in range(votes.shape[1]):
        k = np.int64(kc[i])
        v = float(votes[row, i])
        out[row, i] = k
        total += k
        nxt[i] = _quotient(v, k, fnum, fden, a, b, c) if v > 0 else -1.0
        lst[i] = _quotient(v, k - 1, fnum, fden, a, b, c) if k > 0 else np.inf
    return _settle(votes, row, n, total, nxt, lst, fnum, fden, inum, iden, a, b, c, refuse, order, perms, picked,
                   out)


def _divisor_cells(votes, seats, table, gaps, fnum, fden, inum, iden, a, b, c, bound, refuse, order, perms, out,
                   unsure):
    """Every contest (row) of ``votes`` by a divisor method, the fast path first, then
    :func:`_settle` where it proves nothing; ``seats`` repeat along the rows. ``table``
    and ``gaps``: the leading divisors as floats and the inverse gaps between them, one
    entry each when the sequence is regular from its second divisor on, else four.

    Compiled with the fastmath flags ``reassoc`` and ``nsz`` (the fast path inlined, so
    that its sums vectorize): they may change the last bits of an estimate or an end,
    which the check's margin allows for; exact settling is compiled apart without them."""
    cells, lists = votes.shape
    districts = seats.shape[0]
    pad = -(-lists // LANES) * LANES
    vf = np.zeros(pad, np.float64)  # the padding stays zero
    rv = np.zeros(pad, np.float64)
    lo = np.zeros(pad, np.float64)
    hi = np.zeros(pad, np.float64)
    kc = np.zeros(pad, np.float64)
    flag = np.zeros(pad, np.int64)
    picked = np.empty(lists, np.int64)
    nxt = np.empty(lists, np.float64)
    lst = np.empty(lists, np.float64)
    row = 0
    while row < cells:
        for d in range(min(districts, cells - row)):
            n = seats[d]
            if n == 0 or n * b + a >= EXACT_FLOAT:
                found = _UNSURE
                for i in range(pad):
                    kc[i] = 0.0
            else:
                found = _fast_cell(votes, row, n, lists, pad, vf, rv, kc, lo, hi, flag, table, gaps, a, b, c,
                                   bound, refuse, order, perms, picked)
            if found == _SETTLE:  # from the counts reached, exactly
                unsure[row] = _settle_from(votes, row, n, kc, nxt, lst, fnum, fden, inum, iden, a, b, c, refuse,
                                           order, perms, picked, out)
            else:
                for i in range(lists):
                    out[row, i] = np.int64(kc[i])
                unsure[row] = found == _UNSURE and n != 0
            row += 1


_less, _quotient, _exact, _settle, _settle_from = _compiled(_less, _quotient, _exact, _settle, _settle_from)
_edges, _highest, _lowest = _compiled(_edges, _highest, _lowest, fastmath=True)
_sums, _newton, _ends, _up, _down, _fast_tie, _fast_cell = _compiled(
    _sums, _newton, _ends, _up, _down, _fast_tie, _fast_cell, inline="always")
(_divisor_cells,) = _compiled(_divisor_cells, fastmath={"reassoc", "nsz"})


def _extremes(flat):
    """The smallest and largest of the values (one pass; integer reductions vectorize)."""
    low = flat[0]
    high = flat[0]
    for i in range(flat.shape[0]):
        low = min(low, flat[i])
        high = max(high, flat[i])
    return low, high


(_extremes,) = _compiled(_extremes)


def extremes(values: np.ndarray) -> tuple[int, int]:
    """The smallest and largest of a non-empty contiguous int64 array, in one pass (numpy
    takes two): the batch's bounds are checked before any work at half the cost."""
    low, high = _extremes(values.reshape(-1))
    return int(low), int(high)


def divisor_batch(votes: np.ndarray, seats: np.ndarray, prefix: list[tuple[int, int]],
                  tail: tuple[int, int, int], refuse: bool, ranks: np.ndarray,
                  perms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Seats of every contest by the divisor sequence ``prefix`` (numerator, denominator)
    then ``(a + b·k) / c``, and the contests the exact path must decide.

    At most :data:`PREFIX` leading divisors are supported (the registered sequences have
    one or two); the caller offers this kernel only then. Contests whose votes times a
    divisor denominator would leave the exact float range go to the exact path.
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
    if int(inum.max()) >= EXACT_FLOAT:
        out[:] = 0
        unsure[:] = True
        return out, unsure
    bound = float((EXACT_FLOAT - 1) // max(int(iden.max()), c))  # votes at most this: v·den exact
    fp = np.array([x / y for x, y in table], dtype=np.float64)
    gaps = 1.0 / np.diff(fp, prepend=0.0)
    used = 1 if len(prefix) <= 2 else PREFIX  # regular from the second divisor on: one entry
    lists = votes.shape[2]
    if votes.size:
        _divisor_cells(votes.reshape(-1, lists), seats, tuple(fp[:used].tolist()), tuple(gaps[:used].tolist()),
                       inum.astype(np.float64), iden.astype(np.float64), inum, iden, a, b, c, bound, refuse,
                       np.argsort(ranks), perms, out.reshape(-1, lists), unsure.reshape(-1))
    return out, unsure
