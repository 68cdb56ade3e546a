"""Largest remainder on a quotient recomputed after excluding the lists below it.

The electoral quotient is all valid votes (votes not itemized by list, such as blank
ballots, included) divided by the seats. Lists that do not reach it take no part; the
quotient is recomputed without them, and the seats go by whole quotients, then by the
largest remainders. Two choices are left to the law, as parameters:

- ``recompute``: ``deduct-excluded`` takes only the excluded lists' votes out of the total
  (votes not itemized by list stay in), ``qualified-only`` keeps the qualified lists'
  votes alone;
- ``qualify``: a list *at least* at the quotient qualifies (``at-least``), or only one
  *above* it (``above``).

A tie between equal remainders for the last seats goes, with ``tie_order="more-seats"``,
to the list with more whole-quotient seats; what is still tied goes to the caller's
``precedence`` keys (a law may rank lists by their candidates, see
:func:`allocate_recomputed`), then to the tie rule (refused by default, or a seeded lot).
When no list reaches the quotient, none is excluded.

This is Lebanon's Law 44/2017, Art. 99 (quotient, exclusion, recomputation, largest
fractions, the tie to the list with more seats), written so that any law of that shape
can name it.

>>> from muhasasa.methods import allocate
>>> r = allocate({"A": 30006, "B": 29277, "C": 16825, "D": 1306}, 3, "largest-remainder-recomputed",
...              residual_votes=500)
>>> dict(r.seats), r.excluded, r.threshold
({'A': 2, 'B': 1, 'C': 0, 'D': 0}, ('C', 'D'), Fraction(77914, 3))
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from muhasasa.errors import InputError
from muhasasa.methods.registry import METHODS, Contest, Param
from muhasasa.methods.result import (
    Allocation,
    Block,
    BlockAwards,
    SeatAward,
    frozen_mapping,
)
from muhasasa.methods.ties import TieEvent

__all__ = ["RecomputedQuota", "allocate_recomputed", "qualified_lists"]

RECOMPUTE = ("deduct-excluded", "qualified-only")
QUALIFY = ("at-least", "above")
TIE_ORDER = ("more-seats", "none")


def qualified_lists(contest: Contest, qualify: str = "at-least") -> tuple[tuple[str, ...], Fraction]:
    """The lists that reach the first quotient (all valid votes / seats), in input order,
    and that quotient. With none reaching it, every eligible list with votes qualifies."""
    quotient = Fraction(contest.total_votes, contest.n_seats)
    standing = [p for p in contest.eligible if contest.votes[p] > 0]
    if qualify == "above":
        passing = [p for p in standing if contest.votes[p] > quotient]
    else:
        passing = [p for p in standing if contest.votes[p] >= quotient]
    return tuple(passing or standing), quotient


def allocate_recomputed(contest: Contest, params: Mapping[str, str],
                        precedence: Mapping[str, Sequence[Fraction]] | None = None) -> Allocation:
    """The exact allocation; ``precedence`` (optional) orders lists still tied after the
    whole-seat rule, larger keys first (a law's ranking of the lists' candidates)."""
    votes = contest.votes
    n = contest.n_seats
    seats = dict.fromkeys(votes, 0)
    standing = [p for p in contest.eligible if votes[p] > 0]
    if n == 0:
        return _result(contest, params, seats, [], None, None, (), ())
    if not standing:
        raise InputError("votes", f"no party with votes passes the threshold; {n} seats cannot be filled")
    qualified, first = qualified_lists(contest, params.get("qualify", "at-least"))
    dropped = tuple(p for p in standing if p not in qualified)
    if params.get("recompute", "deduct-excluded") == "qualified-only":
        base = sum(votes[p] for p in qualified)
    else:
        base = contest.total_votes - sum(votes[p] for p in votes if p not in qualified)
    quota = Fraction(base, n)
    num, den = quota.numerator, quota.denominator
    blocks: list[Block] = []
    remainders: dict[str, int] = {}
    for party in qualified:
        full, remainders[party] = divmod(votes[party] * den, num)
        seats[party] = full
        blocks.append((party, full, votes[party] * den, num, "full quota"))
    left = n - sum(seats.values())
    if left > len(qualified):
        raise InputError("votes", f"{left} seats are left after the whole quotients but only "
                         f"{len(qualified)} lists qualify: more seats than the lists can fill")
    # Remainders ranked by value, then (the law's order) whole seats, then precedence keys;
    # the tie rule sees a tie only among lists equal on every key.
    use_seats = params.get("tie_order", "more-seats") == "more-seats"
    keys = {p: (remainders[p], seats[p] if use_seats else 0, *tuple((precedence or {}).get(p, ())))
            for p in qualified}
    order = {p: i for i, p in enumerate(votes)}
    ranked = sorted(qualified, key=lambda p: (tuple(-k for k in keys[p]), order[p]))
    winners, ties = _top(ranked, keys, left, contest, den)
    for party in winners:
        seats[party] += 1
        blocks.append((party, 1, remainders[party], den, "remainder"))
    chosen = set(winners)
    losers = [p for p in ranked if p not in chosen]
    best = SeatAward(n + 1, losers[0], Fraction(remainders[losers[0]], den), "remainder") if losers else None
    return _result(contest, params, seats, blocks, best, quota, ties, dropped, first)


def _top(ranked: list[str], keys: Mapping[str, tuple], k: int, contest: Contest,
         den: int) -> tuple[list[str], tuple[TieEvent, ...]]:
    """The first ``k`` of ``ranked``; lists equal on every key across the cut go to the
    tie rule, which reports the tie at their remainder (scaled back by ``den``)."""
    if not 0 < k < len(ranked) or keys[ranked[k - 1]] != keys[ranked[k]]:
        return ranked[:k], ()
    edge = keys[ranked[k]]
    tied = [p for p in ranked if keys[p] == edge]
    sure = [p for p in ranked[:k] if keys[p] != edge]
    event = contest.tie.settle(tied, k - len(sure), Fraction(edge[0], den))
    won = set(event.winners)
    return sure + [p for p in tied if p in won], (event,)


def _result(contest, params, seats, blocks, best, quota, ties, dropped, first=None) -> Allocation:
    excluded = tuple(dict.fromkeys((*contest.excluded, *dropped)))
    threshold = contest.threshold
    if first is not None:  # the first quotient is the bar a list must reach
        threshold = first if threshold is None else max(first, threshold)
    return Allocation(
        method="largest-remainder-recomputed",
        n_seats=contest.n_seats,
        votes=frozen_mapping(contest.votes),
        seats=frozen_mapping(seats),
        explainer=BlockAwards(blocks, best),
        ties=ties,
        excluded=excluded,
        params=frozen_mapping(params),
        quota=quota,
        threshold=threshold,
        residual_votes=contest.residual_votes,
    )


@dataclass(frozen=True)
class RecomputedQuota:
    """The arithmetic: qualify at the first quotient, recompute, whole quotients, remainders."""

    recompute: str = "deduct-excluded"
    qualify: str = "at-least"
    tie_order: str = "more-seats"

    algorithms = ("exact per cell",)

    def allocate(self, contest: Contest, method: str, params: Mapping[str, str]) -> Allocation:
        return allocate_recomputed(contest, params)

    def batch(self, votes, kept, seats, tie, algorithm: str = "exact per cell"):
        """No kernel: every cell goes to the exact path (said, not hidden)."""
        return np.zeros_like(votes), np.ones(votes.shape[:2], dtype=bool)


@METHODS.register(
    "largest-remainder-recomputed",
    title="Hare quotient with exclusion below it and recomputation, then largest remainders",
    reference="Lebanon, Law 44 of 17 June 2017, Art. 99 (electoral quotient, exclusion, recomputed quotient, "
              "largest fractions; a tie to the list with more seats)",
    family="quota",
    unit="list",
    params=(
        Param("recompute", "the recomputed quotient's votes: all valid votes less the excluded lists' "
              "(deduct-excluded), or the qualified lists' votes only (qualified-only)", "deduct-excluded",
              RECOMPUTE),
        Param("qualify", "a list qualifies at least at the quotient (at-least) or only above it (above)",
              "at-least", QUALIFY),
        Param("tie_order", "equal remainders: first to the list with more whole-quotient seats (more-seats), "
              "or straight to the tie rule (none)", "more-seats", TIE_ORDER),
    ),
)
def largest_remainder_recomputed(params: Mapping[str, str]) -> RecomputedQuota:
    return RecomputedQuota(params.get("recompute", "deduct-excluded"), params.get("qualify", "at-least"),
                           params.get("tie_order", "more-seats"))
