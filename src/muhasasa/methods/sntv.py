"""Single non-transferable vote: in a multi-member district the candidates with
the most personal votes win (Iraq 2021, 83 districts of 3–5 seats).

The parties of :func:`muhasasa.allocate` are candidates here; sum a result by
list with :func:`seats_by_list`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from muhasasa.errors import InputError
from muhasasa.methods.registry import METHODS, Contest
from muhasasa.methods.result import Allocation, BlockAwards, SeatAward, frozen_mapping
from muhasasa.methods.ties import take_top


def allocate_sntv(contest: Contest, params: dict[str, str]) -> Allocation:
    """The ``n`` candidates with the most votes win one seat each.

    The cost is O(C log C) in the candidates C, not in the seats; seats beyond the
    candidates with votes are refused before any sorting.
    """
    votes = contest.votes
    n = contest.n_seats
    standing = [c for c in contest.eligible if votes[c] > 0]
    if n > len(standing):
        raise InputError(
            "votes",
            f"{n} seats but only {len(standing)} candidates with votes: more seats than "
            "the candidates can fill",
        )
    order = {c: i for i, c in enumerate(votes)}
    standing.sort(key=lambda c: (-votes[c], order[c]))
    winners, ties = take_top(standing, votes, n, contest.tie)
    chosen = set(winners)
    seats = {c: int(c in chosen) for c in votes}
    blocks = [(c, 1, votes[c], 1, "votes") for c in winners]
    losers = [c for c in standing if c not in chosen]
    best_loser = SeatAward(n + 1, losers[0], Fraction(votes[losers[0]]), "votes") if losers else None
    return Allocation(
        method="sntv",
        n_seats=n,
        votes=frozen_mapping(votes),
        seats=frozen_mapping(seats),
        explainer=BlockAwards(blocks, best_loser),
        ties=ties,
        excluded=contest.excluded,
        params=frozen_mapping(params),
        threshold=contest.threshold,
        residual_votes=contest.residual_votes,
    )


def seats_by_list(allocation: Allocation, candidate_list: Mapping[str, str]) -> dict[str, int]:
    """Sum a candidate-level allocation by the list (or 'independent') of each candidate."""
    missing = [c for c in allocation.seats if c not in candidate_list]
    if missing:
        raise InputError("candidates", f"no list given for candidate(s) {', '.join(missing)}")
    totals: dict[str, int] = {}
    for candidate, won in allocation.seats.items():
        key = candidate_list[candidate]
        totals[key] = totals.get(key, 0) + won
    return totals


@dataclass(frozen=True)
class Plurality:
    """SNTV as arithmetic: the ``n`` largest vote counts win one seat each."""

    algorithms = ("exact per cell",)

    def allocate(self, contest: Contest, method: str, params: Mapping[str, str]) -> Allocation:
        return allocate_sntv(contest, dict(params))

    def batch(self, votes, kept, seats, tie, algorithm: str = "exact per cell"):
        """No kernel: every cell goes to the exact path (said, not hidden)."""
        return np.zeros_like(votes), np.ones(votes.shape[:2], dtype=bool)


@METHODS.register(
    "sntv",
    title="Single non-transferable vote (candidates, multi-member districts)",
    reference="Iraq, Law No. 9 of 2020 (83 districts, 2021 election); Lijphart, Electoral Systems (1994)",
    family="plurality",
    unit="candidate",
)
def sntv(params: Mapping[str, str]) -> Plurality:
    return Plurality()
