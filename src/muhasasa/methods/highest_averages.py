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
from dataclasses import dataclass
from fractions import Fraction

from muhasasa.errors import InputError
from muhasasa.exact import to_fraction
from muhasasa.methods.registry import Contest, Method, Param, register
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


def allocate_by_divisors(
    contest: Contest, sequence: DivisorSequence, method_id: str, params: dict[str, str]
) -> Allocation:
    """Award seats one by one to the largest remaining quotient, exactly."""
    votes = contest.votes
    order = {party: i for i, party in enumerate(votes)}
    seats = dict.fromkeys(votes, 0)
    divisors: list[tuple[int, int]] = []  # (numerator, denominator) per seat index

    def divisor(k: int) -> tuple[int, int]:
        while len(divisors) <= k:
            d = sequence.divisor(len(divisors))
            divisors.append((d.numerator, d.denominator))
        return divisors[k]

    def entry(party: str, k: int) -> tuple[float, int, int, str]:
        num, den = divisor(k)
        return (-(votes[party] * den / num), order[party], k, party)

    def exact(item: tuple[float, int, int, str]) -> Fraction:
        num, den = divisor(item[2])
        return Fraction(votes[item[3]] * den, num)

    def pop_best(heap: list) -> list[tuple[float, int, int, str]]:
        """Pop every entry with the exact maximum quotient (float is only a sieve)."""
        first = heapq.heappop(heap)
        group = [first]
        while heap and heap[0][0] == first[0]:
            group.append(heapq.heappop(heap))
        if len(group) > 1:
            values = [exact(item) for item in group]
            top = max(values)
            for item, value in zip(group, values):
                if value != top:
                    heapq.heappush(heap, item)
            group = [item for item, value in zip(group, values) if value == top]
        return group

    heap = [entry(p, 0) for p in contest.eligible if votes[p] > 0]
    heapq.heapify(heap)
    if contest.n_seats and not heap:
        raise InputError(
            "votes", f"no party with votes passes the threshold; {contest.n_seats} seats cannot be filled"
        )
    awarded: list[tuple[float, int, int, str]] = []
    ties = []
    while len(awarded) < contest.n_seats:
        group = pop_best(heap)
        left = contest.n_seats - len(awarded)
        if len(group) > left:
            event = contest.tie.settle([item[3] for item in group], left, exact(group[0]))
            ties.append(event)
            chosen = set(event.winners)
            for item in group:
                if item[3] not in chosen:
                    heapq.heappush(heap, item)
            group = [item for item in group if item[3] in chosen]
        for item in sorted(group, key=lambda it: it[1]):
            awarded.append(item)
            seats[item[3]] += 1
            heapq.heappush(heap, entry(item[3], item[2] + 1))
    awards = tuple(
        SeatAward(i + 1, item[3], exact(item), "quotient") for i, item in enumerate(awarded)
    )
    best_loser = None
    if heap:
        group = pop_best(heap)
        loser = min(group, key=lambda it: it[1])
        best_loser = SeatAward(contest.n_seats + 1, loser[3], exact(loser), "quotient")
    return Allocation(
        method=method_id,
        n_seats=contest.n_seats,
        votes=frozen_mapping(votes),
        seats=frozen_mapping(seats),
        awards=awards,
        best_loser=best_loser,
        ties=tuple(ties),
        excluded=tuple(p for p in votes if p not in set(contest.eligible)),
        params=frozen_mapping(params),
        threshold=contest.threshold,
        residual_votes=contest.residual_votes,
    )


_ONE, _TWO = Fraction(1), Fraction(2)

register(
    Method(
        id="dhondt",
        title="D'Hondt (divisors 1, 2, 3, …)",
        reference="V. D'Hondt, Système pratique et raisonné de représentation proportionnelle (1882)",
        family="divisor",
        unit="list",
        params=(),
        run=lambda contest, **p: allocate_by_divisors(
            contest, DivisorSequence((_ONE,), _ONE), "dhondt", p
        ),
    )
)

register(
    Method(
        id="sainte-lague",
        title="Sainte-Laguë / Webster (divisors 1, 3, 5, …)",
        reference="A. Sainte-Laguë, La représentation proportionnelle et la méthode des moindres carrés (1910)",
        family="divisor",
        unit="list",
        params=(),
        run=lambda contest, **p: allocate_by_divisors(
            contest, DivisorSequence((_ONE,), _TWO), "sainte-lague", p
        ),
    )
)

register(
    Method(
        id="sainte-lague-modified",
        title="Modified Sainte-Laguë (first divisor a parameter, then 3, 5, 7, …)",
        reference=(
            "IHEC Regulation No. 12 of 2018, section III (first divisor 1.7); "
            "Iraqi election law third amendment, 27 March 2023"
        ),
        family="divisor",
        unit="list",
        params=(Param("first_divisor", "divisor of a list's first seat (Iraq: 1.7)", "1.7"),),
        run=lambda contest, **p: allocate_by_divisors(
            contest,
            DivisorSequence.checked((_first_divisor(p), Fraction(3)), _TWO),
            "sainte-lague-modified",
            p,
        ),
    )
)

register(
    Method(
        id="highest-averages",
        title="Highest averages with any divisor sequence",
        reference="M. Balinski and H. P. Young, Fair Representation (1982), ch. 4",
        family="divisor",
        unit="list",
        params=(
            Param(
                "divisors",
                "comma-separated divisors; the last difference continues the sequence",
                "1,2",
            ),
        ),
        run=lambda contest, **p: allocate_by_divisors(
            contest, DivisorSequence.parse(p["divisors"]), "highest-averages", p
        ),
    )
)
