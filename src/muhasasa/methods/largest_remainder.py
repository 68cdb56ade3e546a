"""Largest-remainder (quota) methods, exact.

Each party gets one seat per full quota; the seats left over go to the largest
remainders. January 2005 (CPA Order 96 as applied by the IEC): a threshold of one
Hare quota of *all* valid votes (8,456,266 / 275 = 30,750.06), then the quota
recomputed on the surviving lists' votes (8,011,450 / 275 = 29,132.55); that is
``threshold="1 quota", quota_base="eligible"``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from muhasasa.errors import InputError
from muhasasa.methods.registry import METHODS, Contest, Param
from muhasasa.methods.result import Allocation, Block, BlockAwards, SeatAward, frozen_mapping
from muhasasa.methods.ties import take_top

QUOTAS = ("hare", "droop")


def quota_value(kind: str, total: int, n_seats: int) -> Fraction:
    """The quota in votes: Hare ``total / n``; Droop ``floor(total / (n + 1)) + 1``.

    >>> quota_value("hare", 8011450, 275)
    Fraction(320458, 11)
    >>> quota_value("droop", 100, 3)
    Fraction(26, 1)
    """
    if kind == "hare":
        return Fraction(total, n_seats)
    return Fraction(total // (n_seats + 1) + 1)


def allocate_by_remainders(contest: Contest, params: dict[str, str]) -> Allocation:
    """Full quotas first, then leftover seats to the largest exact remainders.

    Integers throughout: with the quota ``q = num / den``, a list's full quotas are
    ``v·den // num`` and its remainder, scaled by ``den``, ``v·den mod num``. Seats are
    counted, never listed, so the cost is O(lists · log) whatever the seats.
    """
    votes = contest.votes
    n = contest.n_seats
    eligible = [p for p in contest.eligible if votes[p] > 0]
    seats = dict.fromkeys(votes, 0)
    if n and not eligible:
        raise InputError("votes", f"no party with votes passes the threshold; {n} seats cannot be filled")
    if n == 0:
        return _result(contest, params, seats, [], None, None, ())
    base = (
        sum(votes[p] for p in eligible)
        if params.get("quota_base", "all") == "eligible"
        else contest.total_votes
    )
    quota = quota_value(params.get("quota", "hare"), base, n)
    num, den = quota.numerator, quota.denominator
    blocks: list[Block] = []
    remainders: dict[str, int] = {}
    for party in eligible:
        full, remainders[party] = divmod(votes[party] * den, num)
        blocks.append((party, full, votes[party] * den, num, "full quota"))
        seats[party] = full
    left = n - sum(seats.values())
    if left < 0:
        raise InputError("parameters", f"the {params['quota']} quota hands out more than {n} seats")
    leftover_rule = params.get("leftover", "all")
    if leftover_rule != "all" and left:
        winners = [p for p in eligible if seats[p] > 0]
        if not winners:
            raise InputError("votes", f"no list wins a full quota; {left} leftover seats cannot be filled")
        if leftover_rule == "seat-winners":
            eligible = winners
        else:
            return _share_leftover(contest, params, seats, blocks, winners, left, quota)
    if left > len(eligible):
        raise InputError(
            "votes",
            f"{left} leftover seats but only {len(eligible)} lists pass the threshold: "
            "more seats than the lists can fill",
        )
    best, ties = _remainder_seats(votes, eligible, remainders, den, left, contest, seats, blocks, "remainder")
    return _result(contest, params, seats, blocks, best, quota, ties)


def _remainder_seats(votes, eligible, remainders, scale, left, contest, seats, blocks, basis):
    """The ``left`` largest remainders (integers, scaled by ``scale``) take one seat each
    (ties by the tie rule); returns the best loser and the tie events."""
    order = {party: i for i, party in enumerate(votes)}
    ranked = sorted(eligible, key=lambda p: (-remainders[p], order[p]))
    winners, ties = take_top(ranked, remainders, left, contest.tie, scale)
    for party in winners:
        blocks.append((party, 1, remainders[party], scale, basis))
        seats[party] += 1
    chosen = set(winners)
    losers = [p for p in ranked if p not in chosen]
    best = (
        SeatAward(contest.n_seats + 1, losers[0], Fraction(remainders[losers[0]], scale), basis)
        if losers else None
    )
    return best, ties


def _share_leftover(contest, params, seats, blocks, winners, left, quota) -> Allocation:
    """2010 reading: leftover seats shared among seat-winning lists in proportion to
    their votes, by largest remainder on a second Hare quota (winners' votes / leftover)."""
    votes = contest.votes
    num = sum(votes[p] for p in winners)  # the second quota is num / left
    remainders = {}
    for party in winners:
        extra, remainders[party] = divmod(votes[party] * left, num)
        blocks.append((party, extra, votes[party] * left, num, "leftover quota"))
        seats[party] += extra
    still = contest.n_seats - sum(seats.values())
    best, ties = _remainder_seats(
        votes, winners, remainders, left, still, contest, seats, blocks, "leftover remainder"
    )
    return _result(contest, params, seats, blocks, best, quota, ties)


def _result(contest, params, seats, blocks, best_loser, quota, ties) -> Allocation:
    return Allocation(
        method="largest-remainder",
        n_seats=contest.n_seats,
        votes=frozen_mapping(contest.votes),
        seats=frozen_mapping(seats),
        explainer=BlockAwards(blocks, best_loser),
        ties=ties,
        excluded=contest.excluded,
        params=frozen_mapping(params),
        quota=quota,
        threshold=contest.threshold,
        residual_votes=contest.residual_votes,
    )


@dataclass(frozen=True)
class QuotaRule:
    """Largest remainder as arithmetic: the quota, the votes it is computed on, and
    who may take the leftover seats."""

    quota: str = "hare"
    base: str = "all"
    leftover: str = "all"

    algorithms = ("numpy",)

    def quota_value(self, total: int, n_seats: int) -> Fraction:
        return quota_value(self.quota, total, n_seats)

    def allocate(self, contest: Contest, method: str, params: Mapping[str, str]) -> Allocation:
        return allocate_by_remainders(contest, dict(params))

    def batch(self, votes, kept, seats, tie, algorithm: str = "numpy"):
        from muhasasa.methods import kernels

        return kernels.remainder_batch(votes, kept, seats, {
            "quota": self.quota, "quota_base": self.base, "leftover": self.leftover})


@METHODS.register(
    "largest-remainder",
    title="Largest remainder with a Hare or Droop quota",
    reference=(
        "T. Hare, The Election of Representatives (1859); H. R. Droop (1881); "
        "CPA Order 96 (2004) for Iraq, January 2005"
    ),
    family="quota",
    unit="list",
    params=(
        Param("quota", "hare (votes / seats) or droop (floor(votes / (seats + 1)) + 1)", "hare", QUOTAS),
        Param(
            "quota_base",
            "votes the quota is computed on: all valid votes, or only the eligible "
            "(above-threshold) lists' votes, as in January 2005",
            "all",
            ("all", "eligible"),
        ),
        Param(
            "leftover",
            "who may take the leftover seats: all eligible lists by largest remainder; "
            "only lists that won a full quota ('seat-winners'); or those lists in "
            "proportion to their votes ('seat-winners-proportional', the best-fitting "
            "reading of Iraq's 2010 rule)",
            "all",
            ("all", "seat-winners", "seat-winners-proportional"),
        ),
    ),
)
def largest_remainder(params: Mapping[str, str]) -> QuotaRule:
    return QuotaRule(params.get("quota", "hare"), params.get("quota_base", "all"), params.get("leftover", "all"))
