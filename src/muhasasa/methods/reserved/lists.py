"""The list forms' engine: stage 1 (each list seats its share), stage 2 (lists asked in
rounds up to the district's minimum), with candidates or as a bare count of seats."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

from muhasasa.errors import InputError, UnknownNameError
from muhasasa.methods.reserved.inputs import (
    Share,
    check_ranks,
    district_minimum,
    seat_map,
    tie_rule,
    vote_map,
)
from muhasasa.methods.reserved.result import (
    Applier,
    Counter,
    QuotaTie,
    Replacement,
    WomenQuotaResult,
)
from muhasasa.methods.result import frozen_mapping
from muhasasa.methods.ties import TieRule

# --------------------------------------------------------------------------- ties


def choose_top(
    names: Sequence[str],
    key: Callable[[str], tuple[int, ...]],
    k: int,
    tie: TieRule,
    ties: list[QuotaTie],
    context: str,
) -> list[str]:
    """The ``k`` names with the highest key, best first; a tie across the boundary
    goes to the tie rule (and is recorded), a tie inside it decides nothing."""
    ordered = sorted(names, key=lambda n: tuple(-x for x in key(n)))
    if k <= 0:
        return []
    if k >= len(ordered):
        return ordered
    edge = key(ordered[k - 1])
    if key(ordered[k]) != edge:
        return ordered[:k]
    sure = [n for n in ordered if key(n) > edge]
    tied = [n for n in ordered if key(n) == edge]
    event = tie.settle(tied, k - len(sure), Fraction(edge[-1]))
    ties.append(QuotaTie(context, event))
    return sure + list(event.winners)


# -------------------------------------------------------------------- list engine


@dataclass(frozen=True)
class ListRule:
    """The arithmetic of one list form."""

    label: str
    closed: bool  # True: ranked by list position; False: by personal votes
    first: Callable[[Mapping[str, str]], Share]  # stage-1 share per list
    ceiling: Callable[[Mapping[str, str]], Share]  # stage-2 ceiling per list
    topup_label: str


class _Members:
    """Mutable working state of the lists' members (internal to one call)."""

    def __init__(self, rule, seats, people, district, tie, ties):
        self.rule, self.seats, self.district, self.tie, self.ties = rule, seats, district, tie, ties
        self.by_name = {c.name: c for c in people}
        self.index = {c.name: i for i, c in enumerate(people)}
        self.replacements: list[Replacement] = []
        self.winners: dict[str, list[str]] = {}
        self.losers: dict[str, list[str]] = {}
        for party, s in seats.items():
            mine = [c.name for c in people if c.party == party]
            if len(mine) < s:
                raise InputError(
                    "candidates",
                    f"{party} won {s} seat(s) but has only {len(mine)} candidate(s); "
                    "no member is invented",
                    field=party,
                )
            won = self._initial(party, mine, s)
            self.winners[party] = won
            self.losers[party] = [n for n in mine if n not in set(won)]
        self.own = sum(self.women(p) for p in seats)

    def _votes(self, name: str) -> tuple[int]:
        return (self.by_name[name].votes,)

    def _place(self, name: str) -> int:
        return self.by_name[name].rank  # type: ignore[return-value]

    def _initial(self, party: str, mine: list[str], s: int) -> list[str]:
        if self.rule.closed:
            return sorted(mine, key=self._place)[:s]
        return choose_top(
            mine, self._votes, s, self.tie, self.ties,
            f"{self.district}, {party}: seats won on personal votes",
        )

    def women(self, party: str) -> int:
        return sum(self.by_name[n].gender == "F" for n in self.winners[party])

    def _men(self, party: str) -> list[str]:
        return [n for n in self.winners[party] if self.by_name[n].gender == "M"]

    def _pool(self, party: str) -> list[str]:
        return [n for n in self.losers[party] if self.by_name[n].gender == "F"]

    def can_give(self, party: str) -> bool:
        return bool(self._men(party)) and bool(self._pool(party))

    def give(self, party: str, reason: str) -> None:
        men, pool = self._men(party), self._pool(party)
        if self.rule.closed:
            removed = max(men, key=self._place)
            added = min(pool, key=self._place)
        else:
            keep = choose_top(
                men, self._votes, len(men) - 1, self.tie, self.ties,
                f"{self.district}, {party}: the lowest-voted man gives way",
            )
            removed = next(n for n in men if n not in set(keep))
            added = choose_top(
                pool, self._votes, 1, self.tie, self.ties,
                f"{self.district}, {party}: the highest-voted woman not elected",
            )[0]
        self.winners[party] = [added if n == removed else n for n in self.winners[party]]
        self.losers[party] = [removed if n == added else n for n in self.losers[party]]
        self.replacements.append(Replacement(party, removed, added, reason))

    def elected(self) -> dict[str, tuple[str, ...]]:
        if self.rule.closed:
            order = lambda n: (self._place(n), self.index[n])
        else:
            order = lambda n: (-self.by_name[n].votes, self.index[n])
        return {p: tuple(sorted(self.winners[p], key=order)) for p in self.seats}


class _Quota:
    """Women's seats per list when there are no candidates: each list seats exactly
    what it is asked for and can always give while it has a seat held by a man."""

    def __init__(self, seats: Mapping[str, int]) -> None:
        self.seats = seats
        self.count = dict.fromkeys(seats, 0)

    def women(self, party: str) -> int:
        return self.count[party]

    def can_give(self, party: str) -> bool:
        return self.count[party] < self.seats[party]

    def give(self, party: str, reason: str) -> None:
        self.count[party] += 1


def _run_lists(
    rule: ListRule,
    state: _Members | _Quota,
    seats: Mapping[str, int],
    minimum: int,
    votes: Mapping[str, int] | None,
    params: Mapping[str, str],
    tie: TieRule,
    ties: list[QuotaTie],
    district: str,
) -> dict[str, int]:
    """Stage 1 (each list's share) then stage 2 (rounds up to the minimum).
    Returns what each list had to seat."""
    first, ceiling = rule.first(params), rule.ceiling(params)
    required: dict[str, int] = {}
    for party, s in seats.items():
        required[party] = first.fn(s)
        while state.women(party) < required[party] and state.can_give(party):
            state.give(party, f"{rule.label}: {first.describe(s)}")

    def key(party: str) -> tuple[int, ...]:
        return (seats[party],) if votes is None else (seats[party], votes[party])

    women = sum(state.women(p) for p in seats)
    while women < minimum:
        able = [
            p for p in seats if state.women(p) < ceiling.fn(seats[p]) and state.can_give(p)
        ]
        if not able:
            break
        picks = choose_top(
            able, key, minimum - women, tie, ties,
            f"{district}: which list gives the next quota seat (list seats, then list votes)",
        )
        for party in picks:
            state.give(
                party,
                f"{rule.topup_label}, {women} of {minimum} women: "
                f"{party} has {state.women(party)} < {ceiling.describe(seats[party])}",
            )
            women += 1
            required[party] = max(required[party], state.women(party))
    return required


class ListForm(NamedTuple):
    apply: Applier
    count: Counter


def list_form(rule: ListRule) -> ListForm:
    """The two functions (with and without candidates) of one list rule."""

    def apply(form, party_seats, candidates, *, district, minimum, minimum_share, party_votes, params):
        seats = seat_map(party_seats)
        votes = vote_map(party_votes, seats)
        for i, c in enumerate(candidates):
            if c.party not in seats:
                raise UnknownNameError(
                    "party", c.party, seats, source="candidates", field=f"candidate {i + 1}"
                )
        if rule.closed:
            check_ranks(candidates)
        total = sum(seats.values())
        need, basis = district_minimum(minimum, minimum_share, total, params)
        tie, ties = tie_rule(params), []
        state = _Members(rule, seats, candidates, district, tie, ties)
        required = _run_lists(rule, state, seats, need, votes, params, tie, ties, district)
        women = sum(state.women(p) for p in seats)
        unmet = sum(max(0, required[p] - state.women(p)) for p in seats)
        return WomenQuotaResult(
            form=form.id,
            district=district,
            minimum=need,
            elected=frozen_mapping(state.elected()),
            women_elected=women,
            women_by_own_votes=state.own,
            replacements=tuple(state.replacements),
            required_by_party=frozen_mapping(required),
            shortfall=max(unmet, need - women, 0),
            seats=total,
            minimum_basis=basis,
            ties=tuple(ties),
            params=frozen_mapping(params),
        )

    def count(form, party_seats, *, minimum, minimum_share, party_votes, params):
        seats = seat_map(party_seats)
        votes = vote_map(party_votes, seats)
        need, _ = district_minimum(minimum, minimum_share, sum(seats.values()), params)
        return _run_lists(rule, _Quota(seats), seats, need, votes, params, tie_rule(params), [], "district")

    return ListForm(apply, count)
