"""Highest-averages (divisor) methods, exact.

Each party's votes are divided by a sequence of divisors; the seats go to the
largest quotients. Iraq's "modified Sainte-Laguë" (IHEC Regulation 12/2018 §III;
the 2023 third amendment) divides by 1.7, then 3, 5, 7, …: only the *first*
divisor changes (poli-sci-kit's variant wrongly keeps pricing later seats off 1.7).

Exactness: quotients are compared in floating point only to find candidates.
Python's int/int division is correctly rounded, so the float order never
inverts the exact order; values that round to the same float are then compared
exactly with :class:`~fractions.Fraction`.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

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

    algorithms = ("numpy",)

    def allocate(self, contest: Contest, method: str, params: Mapping[str, str]) -> Allocation:
        """The exact path: seats to the largest quotients (see :func:`allocate_by_divisors`)."""
        return allocate_by_divisors(contest, self, method, dict(params))

    def batch(self, votes, kept, seats, tie, algorithm: str = "numpy"):
        """The divisor family's kernel over (draws, districts, lists) (see :mod:`.kernels`)."""
        from muhasasa.methods import kernels

        return kernels.divisor_batch(kept, seats, self)

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
        if step <= 0 or any(b <= a for a, b in zip(prefix, prefix[1:])):
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


class _IntegerDivisors:
    """A divisor sequence as integer pairs ``(numerator, denominator)``, no Fractions.

    The tail ``prefix[-1] + step * j`` is kept over one common denominator so the
    k-th divisor costs two integer operations.
    """

    def __init__(self, sequence: DivisorSequence) -> None:
        self.prefix = [(d.numerator, d.denominator) for d in sequence.prefix]
        self.prefix_float = [float(d) for d in sequence.prefix]
        last, step = sequence.prefix[-1], sequence.step
        common = last.denominator * step.denominator
        self.tail_start = int(last * common)
        self.tail_step = int(step * common)
        self.common = common
        self.size = len(self.prefix)
        self._nums: list[int] = []
        self._dens: list[int] = []

    def __call__(self, k: int) -> tuple[int, int]:
        if k < self.size:
            return self.prefix[k]
        return self.tail_start + self.tail_step * (k - self.size + 1), self.common

    def table(self, length: int) -> tuple[list[int], list[int]]:
        """Numerators and denominators of the first ``length`` divisors (cached)."""
        if len(self._nums) < length:
            self._nums, self._dens = map(list, zip(*(self(k) for k in range(2 * length))))
        return self._nums, self._dens

    def counts_at(self, values: list[int], lam: float) -> list[int]:
        """How many divisors lie below ``v / lam`` for each ``v`` (a float estimate,
        corrected exactly by the caller)."""
        last, size = self.prefix_float[-1], self.size
        common, start, step = self.common, self.tail_start, self.tail_step
        ceil = math.ceil
        counts = []
        for v in values:
            x = v / lam
            if x > last:
                counts.append(size + max(0, ceil((x * common - start) / step) - 1))
            else:
                counts.append(sum(1 for d in self.prefix_float if d < x))
        return counts


@lru_cache(maxsize=64)
def _integer_divisors(sequence: DivisorSequence) -> _IntegerDivisors:
    return _IntegerDivisors(sequence)


def _estimate_counts(values: list[int], n: int, div: _IntegerDivisors) -> list[int]:
    """Seat counts near the answer: every quotient above a threshold λ.

    λ solves the linear approximation of the seat total, sum_i (v_i / λ - start) / step
    plus half a seat of rounding per party; a second step corrects it proportionally.
    """
    parties = len(values)
    room = div.tail_step * (n - parties * (div.size - 0.5)) + parties * div.tail_start
    lam = sum(values) * div.common / room if room > 0 else sum(values) / n * div.tail_step / div.common
    counts = div.counts_at(values, lam)
    total = sum(counts)
    if total and abs(total - n) > parties // 2 + 1:
        counts = div.counts_at(values, lam * total / n)
    return counts


def allocate_by_divisors(
    contest: Contest, sequence: DivisorSequence, method_id: str, params: dict[str, str]
) -> Allocation:
    """Seats to the largest quotients, exactly.

    Counts are first estimated with a threshold λ, then corrected seat by seat with
    heaps keyed by correctly rounded floats, then the boundary is checked with
    exact integer cross-multiplication: the smallest winning quotient must exceed
    the largest losing one, or the law's tie rule decides between the equal ones.
    """
    votes = contest.votes
    parties = [p for p in contest.eligible if votes[p] > 0]
    n = contest.n_seats
    if n and not parties:
        raise InputError(
            "votes", f"no party with votes passes the threshold; {n} seats cannot be filled"
        )
    div = _integer_divisors(sequence)
    values = [votes[p] for p in parties]

    prefix, size = div.prefix, div.size
    start, step, common = div.tail_start, div.tail_step, div.common

    def quotient(i: int, k: int) -> float:
        # int / int is correctly rounded, so float order never inverts exact order
        if k < size:
            num, den = prefix[k]
            return values[i] * den / num
        return values[i] * common / (start + step * (k - size + 1))

    def exact(i: int, k: int) -> tuple[int, int]:
        num, den = div(k)
        return values[i] * den, num

    counts = _estimate_counts(values, n, div) if n else [0] * len(parties)
    total = sum(counts)
    if total < n:
        heap = [(-quotient(i, c), i) for i, c in enumerate(counts)]
        heapq.heapify(heap)
        while total < n:
            _, i = heapq.heappop(heap)
            counts[i] += 1
            total += 1
            heapq.heappush(heap, (-quotient(i, counts[i]), i))
    elif total > n:
        heap = [(quotient(i, c - 1), i) for i, c in enumerate(counts) if c]
        heapq.heapify(heap)
        while total > n:
            _, i = heapq.heappop(heap)
            counts[i] -= 1
            total -= 1
            if counts[i]:
                heapq.heappush(heap, (quotient(i, counts[i] - 1), i))
    ties = []
    while n:
        nums, dens = div.table(max(counts) + 1)
        lowest = _extreme(values, counts, nums, dens, last=True)
        highest = _extreme(values, counts, nums, dens, last=False)
        (low_i, (a, b)), (high_i, (c, d)) = lowest[0], highest[0]
        if a * d > c * b:
            break
        if a * d < c * b:  # a float tie hid an inversion: move one seat, check again
            counts[low_i] -= 1
            counts[high_i] += 1
            continue
        for i, _ in lowest:
            counts[i] -= 1
        contenders = [parties[i] for i, _ in lowest + highest]
        event = contest.tie.settle(contenders, len(lowest), Fraction(a, b))
        ties.append(event)
        chosen = set(event.winners)
        for i, _ in lowest + highest:
            if parties[i] in chosen:
                counts[i] += 1
        break
    seats = dict.fromkeys(votes, 0)
    for party, c in zip(parties, counts):
        seats[party] = c

    def trace() -> tuple[tuple[SeatAward, ...], SeatAward | None]:
        order = {p: i for i, p in enumerate(votes)}
        won = sorted(
            ((Fraction(*exact(i, k)), parties[i]) for i, c in enumerate(counts) for k in range(c)),
            key=lambda item: (-item[0], order[item[1]]),
        )
        awards = tuple(SeatAward(s + 1, p, q, "quotient") for s, (q, p) in enumerate(won))
        chances = [(Fraction(*exact(i, c)), parties[i]) for i, c in enumerate(counts)]
        best = max(chances, key=lambda item: (item[0], -order[item[1]]), default=None)
        loser = SeatAward(n + 1, best[1], best[0], "quotient") if best else None
        return awards, loser

    return Allocation(
        method=method_id,
        n_seats=n,
        votes=frozen_mapping(votes),
        seats=frozen_mapping(seats),
        trace=trace,
        ties=tuple(ties),
        excluded=contest.excluded,
        params=frozen_mapping(params),
        threshold=contest.threshold,
        residual_votes=contest.residual_votes,
    )


def _extreme(values, counts, nums, dens, *, last: bool) -> list[tuple[int, tuple[int, int]]]:
    """Parties holding the exactly smallest last quotient (``last``) or the exactly
    largest next quotient, as ``[(index, (numerator, denominator)), …]``.

    Floats (correctly rounded int / int) only pick the candidates; values that
    round alike are then compared exactly by integer cross-multiplication.
    """
    if last:
        ks = [c - 1 for c in counts]
        keyed = [v * dens[k] / nums[k] if k >= 0 else math.inf for v, k in zip(values, ks)]
        edge = min(keyed)
    else:
        ks = counts
        keyed = [v * dens[k] / nums[k] for v, k in zip(values, ks)]
        edge = max(keyed)
    group = [(i, (values[i] * dens[ks[i]], nums[ks[i]])) for i, q in enumerate(keyed) if q == edge]
    if len(group) == 1:
        return group
    best = group[0][1]
    for _, (x, y) in group[1:]:
        if (x * best[1] < best[0] * y) if last else (x * best[1] > best[0] * y):
            best = (x, y)
    return [(i, (x, y)) for i, (x, y) in group if x * best[1] == best[0] * y]


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
