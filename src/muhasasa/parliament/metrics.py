"""Metrics of a parliament against the votes that elected it, exact where possible.

Every function takes mappings party -> whole number (votes, seats) and returns
exact :class:`~fractions.Fraction` values, except the Gallagher index, whose
square root is irrational in general: its sum of squares is computed exactly
and only the final square root is a float.

References
----------
- M. Gallagher, "Proportionality, disproportionality and electoral systems",
  *Electoral Studies* 10(1), 1991, pp. 33-51 (the least-squares index).
- J. Loosemore and V. J. Hanby, "The theoretical limits of maximum distortion:
  some analytic expressions for electoral systems", *British Journal of
  Political Science* 1(4), 1971, pp. 467-477.
- M. Laakso and R. Taagepera, "'Effective' number of parties: a measure with
  application to West Europe", *Comparative Political Studies* 12(1), 1979,
  pp. 3-27.

Residual votes
--------------
Sources often give valid votes per list only for the larger lists, plus a
total. The difference, ``residual_votes``, counts in the vote total (every
share is a share of *all* valid votes) but is not a party: it never won a seat
(every seat winner must be itemized) and it is not squared as one lump.

- Loosemore-Hanby: the residual adds exactly ``r / 2`` however it splits
  among lists, because every list inside it has zero seats.
- Gallagher: the residual contributes no squared term (Lijphart's convention
  of leaving "others" out; Gallagher 1991 counted them as one category). Its
  true contribution lies between 0 and ``r**2``, so with a residual the index
  is a lower bound.
- Effective number of parties: likewise the residual is not squared, so with a
  residual the effective number of parties by votes is an upper bound.

>>> votes = {"A": 50, "B": 30, "C": 20}
>>> seats = {"A": 6, "B": 3, "C": 1}
>>> loosemore_hanby(votes, seats)
Fraction(1, 10)
>>> gallagher(votes, seats)
10.0
>>> effective_number_of_parties(seats)
Fraction(50, 23)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from numbers import Rational
from types import MappingProxyType

from muhasasa.errors import InputError
from muhasasa.exact import fraction_text, whole_number

__all__ = [
    "ParliamentMetrics",
    "compute_metrics",
    "effective_number_of_parties",
    "gallagher",
    "gallagher_sum_of_squares",
    "loosemore_hanby",
    "registered_share",
]


def _counts(table: object, source: str) -> dict[str, int]:
    """Validate a mapping party -> whole non-negative number."""
    if not isinstance(table, Mapping):
        raise InputError(source, f"{source} must be a mapping party -> count")
    checked: dict[str, int] = {}
    for party, value in table.items():
        if not isinstance(party, str) or not party.strip():
            raise InputError(source, f"party names must be non-empty text, got {party!r}")
        checked[party] = whole_number(value, f"{source} of {party!r}", source, field=party)
    return checked


def _shares(
    votes: Mapping[str, int], seats: Mapping[str, int], residual_votes: int
) -> tuple[dict[str, Fraction], dict[str, Fraction], Fraction]:
    """Vote and seat shares over the union of parties, and the residual's vote share.

    A party absent from ``seats`` holds no seat. A party with seats but absent
    from ``votes`` makes vote shares unknowable, and is refused.
    """
    v = _counts(votes, "votes")
    s = _counts(seats, "seats")
    residual = whole_number(residual_votes, "residual votes", "residual_votes")
    unknown = [p for p, n in s.items() if n and p not in v]
    if unknown:
        raise InputError(
            "votes",
            f"no votes given for seat-winning {', '.join(unknown)}; "
            "use compute_metrics to get the metrics that do not need them",
        )
    vote_total = sum(v.values()) + residual
    seat_total = sum(s.values())
    if vote_total == 0:
        raise InputError("votes", "no votes at all: vote shares are undefined")
    if seat_total == 0:
        raise InputError("seats", "no seats at all: seat shares are undefined")
    parties = list(v) + [p for p in s if p not in v]
    vote_share = {p: Fraction(v.get(p, 0), vote_total) for p in parties}
    seat_share = {p: Fraction(s.get(p, 0), seat_total) for p in parties}
    return vote_share, seat_share, Fraction(residual, vote_total)


def gallagher_sum_of_squares(
    votes: Mapping[str, int], seats: Mapping[str, int], *, residual_votes: int = 0
) -> Fraction:
    """Exact ``½ Σ (v_i − s_i)²`` over parties, in shares (0..1), before the square root.

    >>> gallagher_sum_of_squares({"A": 3, "B": 1}, {"A": 1, "B": 1})
    Fraction(1, 16)
    """
    vote_share, seat_share, _ = _shares(votes, seats, residual_votes)
    return sum(((vote_share[p] - seat_share[p]) ** 2 for p in vote_share), Fraction(0)) / 2


def gallagher(
    votes: Mapping[str, int], seats: Mapping[str, int], *, residual_votes: int = 0
) -> float:
    """Gallagher's least-squares index, in percentage points (0 to 100).

    ``LSq = sqrt(½ Σ (V_i − S_i)²)`` with ``V_i`` and ``S_i`` the percentages of
    votes and seats (Gallagher 1991). The sum of squares is exact (a
    :class:`~fractions.Fraction`, see :func:`gallagher_sum_of_squares`); the
    square root is irrational in general, so the result is a float, within one
    unit in the last place of the true value. Residual votes count in the
    total but add no squared term (see the module notes): with them, a lower bound.

    >>> gallagher({"A": 50, "B": 50}, {"A": 1, "B": 0})
    50.0
    >>> gallagher({"A": 40, "B": 60}, {"A": 2, "B": 3})
    0.0
    """
    half_sum = gallagher_sum_of_squares(votes, seats, residual_votes=residual_votes)
    return math.sqrt(half_sum * 10_000)


def loosemore_hanby(
    votes: Mapping[str, int], seats: Mapping[str, int], *, residual_votes: int = 0
) -> Fraction:
    """Loosemore-Hanby index ``½ Σ |v_i − s_i|`` in shares (0 to 1), exact.

    It equals the total seat share held beyond vote share by the
    over-represented lists (Loosemore and Hanby 1971). Residual votes add
    exactly half their share (none of their lists won a seat).

    >>> loosemore_hanby({"A": 50, "B": 50}, {"A": 1, "B": 0})
    Fraction(1, 2)
    >>> loosemore_hanby({"A": 60, "B": 30}, {"A": 2, "B": 1}, residual_votes=10)
    Fraction(1, 10)
    """
    vote_share, seat_share, residual = _shares(votes, seats, residual_votes)
    deviation = sum((abs(vote_share[p] - seat_share[p]) for p in vote_share), Fraction(0))
    return (deviation + residual) / 2


def effective_number_of_parties(
    shares_or_counts: Mapping[str, int | Fraction], *, residual: int | Fraction = 0
) -> Fraction:
    """Laakso-Taagepera effective number of parties ``1 / Σ p_i²``, exact.

    ``shares_or_counts`` maps each party to its votes or seats (whole numbers)
    or to exact shares (:class:`~fractions.Fraction`); they are normalised by
    their total plus ``residual``. The residual is not squared (it stands for
    many small lists), so with a residual the result is an upper bound.

    >>> effective_number_of_parties({"A": 1, "B": 1, "C": 1})
    Fraction(3, 1)
    >>> effective_number_of_parties({"A": Fraction(1, 2), "B": Fraction(1, 4), "C": Fraction(1, 4)})
    Fraction(8, 3)
    """
    if not isinstance(shares_or_counts, Mapping):
        raise InputError("shares", "give a mapping party -> votes, seats or exact share")

    def exact(name: str, value: object) -> Fraction:
        if isinstance(value, bool) or not isinstance(value, Rational):
            raise InputError(
                "shares",
                f"{name}: {value!r} is not a whole number or an exact Fraction",
                field=name,
            )
        if value < 0:
            raise InputError("shares", f"{name} cannot be negative, got {value}", field=name)
        return Fraction(value)

    parts = [exact(repr(party), value) for party, value in shares_or_counts.items()]
    total = sum(parts, Fraction(0)) + exact("residual", residual)
    squares = sum((x * x for x in parts), Fraction(0))
    if squares == 0:
        raise InputError("shares", "every party has zero: the effective number is undefined")
    return total * total / squares


def registered_share(votes: Mapping[str, int], registered: int) -> dict[str, Fraction]:
    """The share of registered voters behind each list: ``votes_i / registered``.

    With low turnout this is the honest measure of a list's mandate: a list
    with a third of the valid votes may stand for a tenth of the electorate.

    >>> registered_share({"A": 300, "B": 100}, 1000)
    {'A': Fraction(3, 10), 'B': Fraction(1, 10)}
    """
    v = _counts(votes, "votes")
    n = whole_number(registered, "registered voters", "registered")
    if n == 0:
        raise InputError("registered", "registered voters must be positive")
    if sum(v.values()) > n:
        raise InputError(
            "registered",
            f"the lists' votes ({sum(v.values())}) exceed the registered voters ({n})",
        )
    return {p: Fraction(x, n) for p, x in v.items()}


@dataclass(frozen=True)
class ParliamentMetrics:
    """Disproportionality and fragmentation of one parliament, with what they rest on.

    Vote-based values (``gallagher``, ``loosemore_hanby``, ``enp_votes``) are
    ``None`` when some seat-winning party's votes are unknown; ``missing_votes``
    names those parties. ``registered_share`` is ``None`` unless registered
    voters were given, and covers only the parties whose votes are known.
    """

    seats_total: int
    votes_total: int
    residual_votes: int
    parties_seated: int
    enp_seats: Fraction
    gallagher: float | None
    loosemore_hanby: Fraction | None
    enp_votes: Fraction | None
    registered_share: Mapping[str, Fraction] | None
    missing_votes: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        """Whether every seat winner's votes were known."""
        return not self.missing_votes

    def explain(self) -> str:
        """A short, human-readable account of the metrics and their limits."""
        lines = [
            (f"{self.seats_total} seats held by {self.parties_seated} parties; "
            f"effective number of parties by seats {fraction_text(self.enp_seats)}")
        ]
        if self.missing_votes:
            lines.append(
                "vote-based metrics unavailable: no votes for " + ", ".join(self.missing_votes)
            )
        else:
            lines.append(
                f"Gallagher index {self.gallagher:.2f}; "
                f"Loosemore-Hanby {fraction_text(100 * self.loosemore_hanby)}%; "
                f"effective number of parties by votes {fraction_text(self.enp_votes)}"
            )
        if self.residual_votes:
            lines.append(
                f"{self.residual_votes} residual (unitemized) votes counted in the total of "
                f"{self.votes_total}: Gallagher is a lower bound, ENP by votes an upper bound"
            )
        return "\n".join(lines)


def compute_metrics(
    votes: Mapping[str, int],
    seats: Mapping[str, int],
    *,
    registered: int | None = None,
    residual_votes: int = 0,
) -> ParliamentMetrics:
    """Every metric of a parliament at once, refusing none for lack of some votes.

    ``votes`` may lack parties: seat metrics are always computed; vote-share
    metrics need every seat-winning party's votes, and are ``None`` otherwise,
    with ``missing_votes`` naming who is missing. Parties absent from ``votes``
    that won no seat are taken to be inside ``residual_votes``.

    >>> m = compute_metrics({"A": 600, "B": 300}, {"A": 2, "B": 1}, residual_votes=100)
    >>> m.loosemore_hanby, m.enp_seats, m.votes_total
    (Fraction(1, 10), Fraction(9, 5), 1000)
    >>> m = compute_metrics({"A": 600}, {"A": 2, "B": 1})
    >>> m.missing_votes, m.gallagher, m.enp_seats
    (('B',), None, Fraction(9, 5))
    """
    v = _counts(votes, "votes")
    s = _counts(seats, "seats")
    residual = whole_number(residual_votes, "residual votes", "residual_votes")
    seats_total = sum(s.values())
    if seats_total == 0:
        raise InputError("seats", "no seats at all: there is no parliament to measure")
    missing = tuple(p for p, n in s.items() if n and p not in v)
    complete = not missing
    shares = registered_share(v, registered) if registered is not None else None
    if shares is not None and residual and sum(v.values()) + residual > registered:
        raise InputError(
            "registered",
            f"valid votes ({sum(v.values()) + residual}) exceed the registered voters ({registered})",
        )
    return ParliamentMetrics(
        seats_total=seats_total,
        votes_total=sum(v.values()) + residual,
        residual_votes=residual,
        parties_seated=sum(1 for n in s.values() if n),
        enp_seats=effective_number_of_parties(s),
        gallagher=gallagher(v, s, residual_votes=residual) if complete else None,
        loosemore_hanby=loosemore_hanby(v, s, residual_votes=residual) if complete else None,
        enp_votes=effective_number_of_parties(v, residual=residual) if complete else None,
        registered_share=MappingProxyType(shares) if shares is not None else None,
        missing_votes=missing,
    )
