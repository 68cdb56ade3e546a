"""Highest-averages (divisor) methods, exact.

Each party's votes are divided by a sequence of divisors; the seats go to the
largest quotients. Iraq's "modified Sainte-Laguë" (IHEC Regulation 12/2018 §III;
the 2023 third amendment) divides by 1.7, then 3, 5, 7, …: only the *first*
divisor changes (poli-sci-kit's variant wrongly keeps pricing later seats off 1.7).

Cost: O(lists · log) whatever the number of seats. A threshold λ is estimated
(in floats, or in exact integers for more than 2**40 seats), each list's count is
the number of its quotients above λ, the few seats the estimate misses are moved
one by one, and the boundary is checked exactly. No loop runs per seat; the
per-seat awards are computed on demand (see :class:`_DivisorAwards`).

Exactness: quotients are compared in floating point only to find candidates.
Python's int/int division is correctly rounded, so the float order never
inverts the exact order; values that round to the same float are then compared
exactly by integer cross-multiplication (and votes too large for floats use
:class:`~fractions.Fraction` keys throughout).
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from itertools import pairwise

from muhasasa.errors import InputError
from muhasasa.exact import to_fraction
from muhasasa.methods.registry import METHODS, Contest, Param
from muhasasa.methods.result import Allocation, SeatAward, frozen_mapping


@dataclass(frozen=True)
class DivisorSequence:
    """Divisors ``prefix[0], prefix[1], …`` then continuing by ``step``.

    >>> seq = DivisorSequence.parse("1.7,3,5")
    >>> [str(seq.divisor(k)) for k in range(5)]
    ['17/10', '3', '5', '7', '9']
    """

    prefix: tuple[Fraction, ...]
    step: Fraction

    @property
    def algorithms(self) -> tuple[str, ...]:
        """The batch kernels, fastest first: compiled when numba is installed (and the
        sequence has at most its table's leading divisors), then numpy."""
        from muhasasa.methods.kernels import COMPILED_PREFIX, DIVISOR_ALGORITHMS

        return DIVISOR_ALGORITHMS if len(self.prefix) <= COMPILED_PREFIX else ("numpy",)

    @cached_property
    def integers(self) -> _Divisors:
        """The sequence in integers, for the hot paths (built once)."""
        return _Divisors(self)

    def allocate(self, contest: Contest, method: str, params: Mapping[str, str]) -> Allocation:
        """The exact path: seats to the largest quotients (see :func:`allocate_by_divisors`)."""
        return allocate_by_divisors(contest, self, method, dict(params))

    def batch(self, votes, kept, seats, tie, algorithm: str = "numpy"):
        """The divisor family's kernel over (draws, districts, lists) (see :mod:`.kernels`)."""
        from muhasasa.methods import kernels

        return kernels.divisor_batch(kept, seats, self, tie, algorithm)

    def divisor(self, k: int) -> Fraction:
        """The divisor for a party's (k+1)-th seat."""
        if k < len(self.prefix):
            return self.prefix[k]
        return self.prefix[-1] + self.step * (k - len(self.prefix) + 1)

    @classmethod
    def parse(cls, text: str) -> DivisorSequence:
        """From text ``"d1,d2,…"``: at least two increasing positive divisors; the last
        difference continues the sequence."""
        try:
            values = tuple(to_fraction(part, what="divisor") for part in text.split(","))
        except ValueError as exc:
            raise InputError("divisors", str(exc)) from None
        if len(values) < 2:
            raise InputError("divisors", f"{text!r}: give at least two divisors, e.g. '1,3'")
        return cls.checked(values, values[-1] - values[-2])

    @classmethod
    def checked(cls, prefix: tuple[Fraction, ...], step: Fraction) -> DivisorSequence:
        if prefix[0] <= 0:
            raise InputError("divisors", f"the first divisor must be positive, got {prefix[0]}")
        if step <= 0 or any(b <= a for a, b in pairwise(prefix)):
            raise InputError("divisors", "divisors must increase strictly")
        return cls(prefix, step)


def _first_divisor(params: dict[str, str]) -> Fraction:
    try:
        first = to_fraction(params["first_divisor"], what="first_divisor")
    except ValueError as exc:
        raise InputError("parameters", str(exc), field="first_divisor") from None
    if not 0 < first < 3:
        raise InputError(
            "parameters",
            f"first_divisor={params['first_divisor']} must lie between 0 and 3 "
            "(the second divisor is 3)",
            field="first_divisor",
        )
    return first



FLOAT_SEATS = 2**40  # below this many seats, float estimates are within a seat or so per list
FLOAT_BITS = 960  # quotients of values below 2**FLOAT_BITS are finite floats


class _Divisors:
    """A divisor sequence in integers: ``d(k) = nums[k] / dens[k]`` for ``k < size``,
    then ``(a + b·k) / c``; no Fractions on the hot path."""

    __slots__ = ("a", "b", "c", "dens", "fprefix", "last", "nums", "size", "widest")

    def __init__(self, sequence: DivisorSequence) -> None:
        self.nums = tuple(d.numerator for d in sequence.prefix)
        self.dens = tuple(d.denominator for d in sequence.prefix)
        self.size = len(sequence.prefix)
        last, step = sequence.prefix[-1], sequence.step
        self.c = math.lcm(last.denominator, step.denominator)
        self.b = step.numerator * (self.c // step.denominator)
        self.a = last.numerator * (self.c // last.denominator) - self.b * (self.size - 1)
        self.last = (self.nums[-1], self.dens[-1])
        self.fprefix = [float(d) for d in sequence.prefix]
        self.widest = max(*self.dens, self.c)

    def __call__(self, k: int) -> tuple[int, int]:
        """The k-th divisor (0-based) as ``(numerator, denominator)``."""
        if k < self.size:
            return self.nums[k], self.dens[k]
        return self.a + self.b * k, self.c

    def key(self, exact: bool):
        """Quotient ``v / d(k)`` as a correctly rounded float (int / int), or a Fraction
        when the values are too large for floats; either way its order is exact's."""
        nums, dens, size, a, b, c = self.nums, self.dens, self.size, self.a, self.b, self.c
        if exact:
            def quotient(v: int, k: int) -> Fraction:
                return Fraction(v * dens[k], nums[k]) if k < size else Fraction(v * c, a + b * k)
        else:
            def quotient(v: int, k: int) -> float:
                return v * dens[k] / nums[k] if k < size else v * c / (a + b * k)
        return quotient


def _integer_divisors(sequence: DivisorSequence) -> _Divisors:
    """The integer form of a sequence, built once per sequence object."""
    return sequence.integers


def _estimate_float(values: list[int], n: int, div: _Divisors) -> list[int]:
    """Seat counts near the answer: the quotients above a threshold λ (floats).

    λ solves the seat total of the lists in the regular part of the sequence,
    sum (c·v/λ - a)/b + 1/2, the others keeping the count their first divisors
    give; a round or two settles which list is where.
    """
    a, b, c, size, fprefix = div.a, div.b, div.c, div.size, div.fprefix
    flast = fprefix[-1]
    weight, active, fixed = sum(values), len(values) - values.count(0), 0
    counts = [0] * len(values)
    ceil = math.ceil
    for _ in range(4):
        room = b * (n - fixed) + active * (a - b / 2)
        if room <= 0 or not weight:
            break
        scale = room / (weight * c)  # 1 / λ
        cs, start = scale * c, a + b * (size - 1)  # c·v/λ past c·d(size-1): ceil((c·v/λ - a) / b) seats
        counts = [
            (k if (k := ceil((v * cs - a) / b)) > size else size) if v * cs > start else
            bisect_left(fprefix, v * scale) for v in values
        ]
        if abs(sum(counts) - n) <= 12:
            break  # the last seats are cheaper to place one by one (a group of equal lists at once)
        tail = [v * scale > flast for v in values]
        weight2 = sum(v for v, t in zip(values, tail) if t)
        active2 = sum(tail)
        fixed2 = sum(k for k, t in zip(counts, tail) if not t)
        if (active2, fixed2) == (active, fixed):
            break
        weight, active, fixed = weight2, active2, fixed2
    return counts


def _estimate_exact(values: list[int], n: int, div: _Divisors) -> list[int]:
    """As :func:`_estimate_float`, in integers: λ = p / q exactly, counts by floor division,
    so the estimate is within about a seat per list for any number of seats."""
    a, b, c, size, nums, dens = div.a, div.b, div.c, div.size, div.nums, div.dens
    last_num, last_den = div.last
    weight, active, fixed = sum(values), len(values) - values.count(0), 0
    counts = [0] * len(values)
    for _ in range(6):
        q = 2 * b * (n - fixed) + active * (2 * a - b)
        if q <= 0 or not weight:
            break
        p = 2 * c * weight  # λ = p / q, so v / λ = v·q / p
        counts, weight2, active2, fixed2 = [], 0, 0, 0
        for v in values:
            vq = v * q
            if vq * last_den > p * last_num:
                k = -((a * p - c * vq) // (b * p))  # ceil((c·v·q - a·p) / (b·p))
                counts.append(max(k, size))
                weight2 += v
                active2 += 1
            else:
                k = bisect_left(range(size), True, key=lambda j: nums[j] * p >= vq * dens[j])
                counts.append(k)
                fixed2 += k
        if (active2, fixed2) == (active, fixed):
            break
        weight, active, fixed = weight2, active2, fixed2
    return counts


def _extreme(values, counts, div: _Divisors, key, *, last: bool) -> tuple[list[int], tuple[int, int]]:
    """Lists holding the exactly smallest last quotient (``last``) or the exactly largest
    next quotient, and that quotient as ``(numerator, denominator)``.

    Keys (correctly rounded floats, or Fractions) pick the candidates; values that
    round alike are then compared exactly by integer cross-multiplication.
    """
    shift = 1 if last else 0
    if key is None:  # floats, inlined: v·den / num is a correctly rounded int / int
        nums, dens, size, a, b, c = div.nums, div.dens, div.size, div.a, div.b, div.c
        if last:
            keys = [
                (v * dens[k - 1] / nums[k - 1] if k <= size else v * c / (a + b * (k - 1))) if k else math.inf
                for v, k in zip(values, counts)
            ]
        else:
            keys = [v * dens[k] / nums[k] if k < size else v * c / (a + b * k) for v, k in zip(values, counts)]
        if not keys:
            return [], (0, 1)
        edge = min(keys) if last else max(keys)
        if edge == math.inf:
            return [], (0, 1)
    else:
        keys = [key(v, k - shift) if k >= shift else None for v, k in zip(values, counts)]
        present = [q for q in keys if q is not None]
        if not present:
            return [], (0, 1)
        edge = min(present) if last else max(present)
    if keys.count(edge) == 1:
        i = keys.index(edge)
        num, den = div(counts[i] - shift)
        return [i], (values[i] * den, num)
    members: dict[tuple[int, int], list[int]] = {}  # same votes, same divisor: equal quotients
    for i, q in enumerate(keys):
        if q == edge:
            members.setdefault((values[i], counts[i]), []).append(i)
    group = []
    for (value, count), lists in members.items():
        num, den = div(count - shift)
        group.append((lists, value * den, num))
    _, bx, by = group[0]
    for _, x, y in group[1:]:
        if (x * by < bx * y) if last else (x * by > bx * y):
            bx, by = x, y
    return sorted(i for lists, x, y in group if x * by == bx * y for i in lists), (bx, by)


def _settle_float(values: list[int], counts: list[int], total: int, n: int, div: _Divisors):
    """The float path's last steps: each list's last won and next quotient as correctly
    rounded floats (one pass each), the seats the estimate missed moved by a C-level max
    or min (lists with equal quotients together, as many as the seats allow), then the
    boundary. Float order never inverts exact
    order, so a strict boundary in floats is exact; a tie is exact when every list at it
    has the same votes and the same divisor there. Returns ``(lowest, (x, y), highest)``
    as :func:`_select` does, or None (``counts`` summing to ``n``) for its exact check."""
    if len(set(values)) < len(values):
        found = _settle_grouped(values, counts, total, n, div)
        if found is not None:
            return found
        total = sum(counts)
    nums, dens, size, a, b, c = div.nums, div.dens, div.size, div.a, div.b, div.c
    inf = math.inf
    last = [(v * dens[k - 1] / nums[k - 1] if k <= size else v * c / (a + b * (k - 1))) if k else inf
            for v, k in zip(values, counts)]
    nxt = [v * dens[k] / nums[k] if k < size else v * c / (a + b * k) for v, k in zip(values, counts)]
    while total < n:  # the largest next quotients; equal ones together while the seats last
        high = max(nxt)
        for i in [i for i, q in enumerate(nxt) if q == high][:n - total] if nxt.count(high) > 1 else (
                nxt.index(high),):
            k = counts[i] = counts[i] + 1
            v = values[i]
            last[i] = high
            nxt[i] = v * dens[k] / nums[k] if k < size else v * c / (a + b * k)
            total += 1
    while total > n:  # the smallest last won quotients
        low = min(last)
        for i in [i for i, q in enumerate(last) if q == low][:total - n] if last.count(low) > 1 else (
                last.index(low),):
            k = counts[i] = counts[i] - 1
            v = values[i]
            nxt[i] = low
            last[i] = (v * dens[k - 1] / nums[k - 1] if k <= size else v * c / (a + b * (k - 1))) if k else inf
            total -= 1
    low, high = min(last), max(nxt)
    if low > high:
        if last.count(low) == 1:
            i = last.index(low)
            num, den = div(counts[i] - 1)
            return [i], (values[i] * den, num), []
        return (*_extreme(values, counts, div, None, last=True), [])
    if low == high:
        lowest = [i for i, q in enumerate(last) if q == low]
        highest = [i for i, q in enumerate(nxt) if q == high]
        v, k = values[lowest[0]], counts[lowest[0]] - 1
        if all(values[i] == v and counts[i] - 1 == k for i in lowest) and all(
                values[i] == v and counts[i] == k for i in highest):
            num, den = div(k)  # one quotient, exactly: a tie
            return lowest, (v * den, num), highest
    return None


def _settle_grouped(values: list[int], counts: list[int], total: int, n: int, div: _Divisors):
    """:func:`_settle_float` when lists share vote counts: each distinct count once, with
    how many lists hold it (lists with equal votes have equal quotients, so they move
    together). A group cut by the last seat is an exact tie among its lists when no other
    quotient equals theirs as a float (float order never inverts exact order). Returns
    what :func:`_settle_float` does, or None for the exact check."""
    members: dict[int, list[int]] = {}
    for i, v in enumerate(values):
        members.setdefault(v, []).append(i)
    groups = list(members.values())
    if any(counts[g[0]] != counts[i] for g in groups for i in g):
        return None  # the estimate gave equal lists different counts: settle them list by list
    nums, dens, size, a, b, c = div.nums, div.dens, div.size, div.a, div.b, div.c
    inf = math.inf
    vs = list(members)
    ks = [counts[g[0]] for g in groups]
    size_of = [len(g) for g in groups]
    last = [(v * dens[k - 1] / nums[k - 1] if k <= size else v * c / (a + b * (k - 1))) if k else inf
            for v, k in zip(vs, ks)]
    nxt = [v * dens[k] / nums[k] if k < size else v * c / (a + b * k) for v, k in zip(vs, ks)]
    cut = None  # (group, seats it keeps or takes at its quotient) when a group straddles the last seat
    while total < n:
        high = max(nxt)
        j = nxt.index(high)
        if nxt.count(high) > 1:
            return None
        if size_of[j] > n - total:
            cut = (j, n - total, True)
            break
        k = ks[j] = ks[j] + 1
        v = vs[j]
        last[j] = high
        nxt[j] = v * dens[k] / nums[k] if k < size else v * c / (a + b * k)
        total += size_of[j]
    while total > n and cut is None:
        low = min(last)
        j = last.index(low)
        if last.count(low) > 1:
            return None
        if size_of[j] > total - n:
            cut = (j, size_of[j] - (total - n), False)
            break
        k = ks[j] = ks[j] - 1
        v = vs[j]
        nxt[j] = low
        last[j] = (v * dens[k - 1] / nums[k - 1] if k <= size else v * c / (a + b * (k - 1))) if k else inf
        total -= size_of[j]
    for g, k in zip(groups, ks):
        for i in g:
            counts[i] = k
    if cut is None:
        low, high = min(last), max(nxt)
        if low > high and last.count(low) == 1:
            j = last.index(low)
            num, den = div(ks[j] - 1)
            return groups[j], (vs[j] * den, num), []
        return None
    j, keep, up = cut  # ``keep`` lists of group j hold the seat at its quotient, the others do not
    edge = nxt[j] if up else last[j]
    others_last = [q for h, q in enumerate(last) if h != j]
    others_next = [q for h, q in enumerate(nxt) if h != j]
    if (others_last and min(others_last) <= edge) or (others_next and max(others_next) >= edge):
        return None
    k = ks[j] if up else ks[j] - 1  # the seats every list of the group surely holds
    for i in groups[j]:
        counts[i] = k
    for i in groups[j][:keep]:
        counts[i] = k + 1
    num, den = div(k)
    return groups[j][:keep], (vs[j] * den, num), groups[j][keep:]


def _select(values: list[int], n: int, div: _Divisors, exact: bool):
    """Seat counts summing to ``n`` that take every quotient above the boundary, and
    the boundary: ``(lowest, (x, y), highest)`` — the lists whose last won quotient is
    the smallest, that quotient ``x / y``, and the lists whose next quotient equals
    it (a tie; empty when the boundary is strict).

    Cost: O(lists · log) whatever ``n``: λ is estimated (floats, or exact integers for
    huge ``n``), the few seats it misses are moved (by C-level max/min over the floats,
    a heap of exact keys), and the boundary is checked exactly.
    """
    counts = [0] * len(values)
    if n == 0:
        return counts, ([], (0, 1), [])
    key = div.key(exact)
    bound = 4 * len(values) * (div.size + 1) + 8
    if not exact and n < FLOAT_SEATS:
        counts = _estimate_float(values, n, div)
    if exact or n >= FLOAT_SEATS or abs(sum(counts) - n) > bound:
        counts = _estimate_exact(values, n, div)
    total = sum(counts)
    inline = key if exact else None
    if not exact:
        done = _settle_float(values, counts, total, n, div)
        if done is not None:
            return counts, done
    elif abs(total - n) <= 2:  # a seat or two: one linear pass each, exact
        while total < n:
            highest, _ = _extreme(values, counts, div, inline, last=False)
            counts[highest[0]] += 1
            total += 1
        while total > n:
            lowest, _ = _extreme(values, counts, div, inline, last=True)
            counts[lowest[0]] -= 1
            total -= 1
    elif total < n:
        heap = [(-key(v, k), i) for i, (v, k) in enumerate(zip(values, counts)) if v]
        heapq.heapify(heap)
        while total < n:
            _, i = heapq.heappop(heap)
            counts[i] += 1
            total += 1
            heapq.heappush(heap, (-key(values[i], counts[i]), i))
    else:
        heap = [(key(v, k - 1), i) for i, (v, k) in enumerate(zip(values, counts)) if k]
        heapq.heapify(heap)
        while total > n:
            _, i = heapq.heappop(heap)
            counts[i] -= 1
            total -= 1
            if counts[i]:
                heapq.heappush(heap, (key(values[i], counts[i] - 1), i))
    while True:
        lowest, (a, b) = _extreme(values, counts, div, inline, last=True)
        highest, (c, d) = _extreme(values, counts, div, inline, last=False)
        if a * d > c * b or not highest:
            return counts, (lowest, (a, b), [])
        if a * d == c * b:
            return counts, (lowest, (a, b), highest)
        counts[lowest[0]] -= 1  # an inversion hidden by rounding: move one seat, look again
        counts[highest[0]] += 1


def _exact_mode(values: list[int], div: _Divisors) -> bool:
    """True when quotients could overflow a float: then keys are Fractions."""
    return (max(values, default=0) * div.widest).bit_length() >= FLOAT_BITS


def allocate_by_divisors(
    contest: Contest, sequence: DivisorSequence, method_id: str, params: dict[str, str]
) -> Allocation:
    """Seats to the largest quotients, exactly, at a cost independent of the seats.

    The boundary quotient is found by :func:`_select`; equal quotients straddling
    it go to the law's tie rule.
    """
    votes = contest.votes
    if len(contest.eligible) == len(votes) and 0 not in votes.values():  # every party stands
        parties, values = list(votes), list(votes.values())
    else:
        parties = [p for p in contest.eligible if votes[p] > 0]
        values = [votes[p] for p in parties]
    n = contest.n_seats
    if n and not parties:
        raise InputError(
            "votes", f"no party with votes passes the threshold; {n} seats cannot be filled"
        )
    div = _integer_divisors(sequence)
    exact = _exact_mode(values, div)
    counts, (lowest, (a, b), highest) = _select(values, n, div, exact)
    ties = ()
    if highest:
        for i in lowest:
            counts[i] -= 1
        contenders = [parties[i] for i in lowest + highest]
        event = contest.tie.settle(contenders, len(lowest), Fraction(a, b))
        chosen = set(event.winners)
        for i in lowest + highest:
            if parties[i] in chosen:
                counts[i] += 1
        ties = (event,)
    seats = dict.fromkeys(votes, 0)
    seats.update(zip(parties, counts))
    return Allocation(
        method=method_id,
        n_seats=n,
        votes=frozen_mapping(votes),
        seats=frozen_mapping(seats),
        explainer=_DivisorAwards(parties, values, counts, div, exact),
        ties=ties,
        excluded=contest.excluded,
        params=frozen_mapping(params),
        threshold=contest.threshold,
        residual_votes=contest.residual_votes,
    )


class _DivisorAwards:
    """Seat ``s`` of a divisor allocation without listing the others.

    Awards run in order of quotient, largest first, equal quotients in the parties'
    input order. The ``s``-th largest quotient won is the ``s``-th largest of all
    (every quotient above the boundary is won), so it is found by the same
    selection as the seats, for ``s`` seats.
    """

    def __init__(self, parties, values, counts, div: _Divisors, exact: bool) -> None:
        self.parties, self.values, self.counts = parties, values, counts
        self.div, self.exact, self.n = div, exact, sum(counts)

    def _quotient(self, i: int, k: int) -> Fraction:
        num, den = self.div(k)
        return Fraction(self.values[i] * den, num)

    def award(self, seat: int) -> SeatAward:
        values, counts, div = self.values, self.counts, self.div
        if seat == self.n:
            below = counts
            lowest, (x, y) = _extreme(values, counts, div, div.key(True) if self.exact else None, last=True)
        else:
            below, (lowest, (x, y), _) = _select(values, seat, div, self.exact)
        value = Fraction(x, y)
        above = list(below)
        for i in lowest:
            above[i] -= 1  # quotients strictly above the s-th
        tied = [i for i, k in enumerate(above) if k < counts[i] and self._quotient(i, k) == value]
        i = tied[seat - sum(above) - 1]
        return SeatAward(seat, self.parties[i], value, "quotient")

    def awards(self) -> Iterator[SeatAward]:
        heap = [(-self._quotient(i, 0), i, 0) for i, k in enumerate(self.counts) if k]
        heapq.heapify(heap)
        seat = 0
        while heap:
            value, i, k = heapq.heappop(heap)
            seat += 1
            yield SeatAward(seat, self.parties[i], -value, "quotient")
            if k + 1 < self.counts[i]:
                heapq.heappush(heap, (-self._quotient(i, k + 1), i, k + 1))

    def best_loser(self) -> SeatAward | None:
        chances = [(self._quotient(i, k), -i) for i, k in enumerate(self.counts)]
        if not chances:
            return None
        value, i = max(chances)
        return SeatAward(self.n + 1, self.parties[-i], value, "quotient")


_ONE, _TWO = Fraction(1), Fraction(2)
_DIVISOR = {"family": "divisor", "unit": "list"}


@METHODS.register(
    "dhondt",
    title="D'Hondt (divisors 1, 2, 3, …)",
    reference="V. D'Hondt, Système pratique et raisonné de représentation proportionnelle (1882)",
    **_DIVISOR,
)
def dhondt(params: Mapping[str, str]) -> DivisorSequence:
    return DivisorSequence((_ONE,), _ONE)


@METHODS.register(
    "sainte-lague",
    title="Sainte-Laguë / Webster (divisors 1, 3, 5, …)",
    reference="A. Sainte-Laguë, La représentation proportionnelle et la méthode des moindres carrés (1910)",
    **_DIVISOR,
)
def sainte_lague(params: Mapping[str, str]) -> DivisorSequence:
    return DivisorSequence((_ONE,), _TWO)


@METHODS.register(
    "sainte-lague-modified",
    title="Modified Sainte-Laguë (first divisor a parameter, then 3, 5, 7, …)",
    reference=(
        "IHEC Regulation No. 12 of 2018, section III (first divisor 1.7); "
        "Iraqi election law third amendment, 27 March 2023"
    ),
    params=(Param("first_divisor", "divisor of a list's first seat (Iraq: 1.7)", "1.7"),),
    **_DIVISOR,
)
def sainte_lague_modified(params: Mapping[str, str]) -> DivisorSequence:
    return DivisorSequence.checked((_first_divisor(params), Fraction(3)), _TWO)


@METHODS.register(
    "highest-averages",
    title="Highest averages with any divisor sequence",
    reference="M. Balinski and H. P. Young, Fair Representation (1982), ch. 4",
    params=(
        Param(
            "divisors",
            "comma-separated divisors; the last difference continues the sequence",
            "1,2",
        ),
    ),
    **_DIVISOR,
)
def highest_averages(params: Mapping[str, str]) -> DivisorSequence:
    return DivisorSequence.parse(params["divisors"])
