"""Who fills a list's seats: one ranking of every candidate, filled under seat and list caps.

After the lists' seats are known, the candidates of the lists that qualified are ranked
together, and the seats are filled down the ranking: a candidate is skipped when the seat
of their group (a community, a confession) in their sub-district is already full, or when
their list has filled all its seats. Each rule that ranks is registered in
:data:`FILL_RULES` under a stable id:

- ``preferential-share``: a candidate's votes divided by the votes of every candidate of a
  qualified list in the same sub-district (so a candidate of a small sub-district is not
  outranked by the raw votes of a large one);
- ``votes``: raw votes.

Equal values are a tie only where their order changes who sits. An older candidate goes
first where every tied candidate's birth date is known (``older-first``); otherwise the
tie rule settles it (refused by default, or a seeded lot). A list left with a seat and no
candidate who may take it, or a seat no candidate may fill, is reported, never filled by
force: the laws seen so far are silent on it.

This is Lebanon's Law 44/2017, Art. 99 (the preferential share, the ranking, seats fixed by
confession and minor district, list quotas), in words any law of that shape can use.

>>> cands = [Candidate("a", "L1", "x", "d1", 60), Candidate("b", "L1", "y", "d1", 30),
...          Candidate("c", "L2", "x", "d1", 50), Candidate("e", "L2", "y", "d1", 10)]
>>> r = ranked_fill(cands, {("x", "d1"): 1, ("y", "d1"): 1}, {"L1": 1, "L2": 1})
>>> [(w.candidate, w.list) for w in r.winners]
[('a', 'L1'), ('e', 'L2')]
>>> [s.candidate for s in r.skipped]
['c', 'b']
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from muhasasa.errors import InputError
from muhasasa.methods.registry import Param, resolve_text_params
from muhasasa.methods.result import TieEvent
from muhasasa.methods.ties import TieRule
from muhasasa.registry import Registry

__all__ = ["FILL_RULES", "Candidate", "FillResult", "FillRule", "Seat", "Skip", "ranked_fill"]

Group = tuple[str, str]  # (group, sub-district)


@dataclass(frozen=True)
class Candidate:
    """One candidate of a list: id (unique), list, group (community), sub-district, votes,
    and the birth date where known."""

    id: str
    list: str
    group: str
    subdistrict: str
    votes: int
    born: dt.date | None = None


@dataclass(frozen=True)
class Seat:
    """A seat filled: who, for which list, group and sub-district, at what rank and value."""

    candidate: str
    list: str
    group: str
    subdistrict: str
    rank: int
    value: Fraction


@dataclass(frozen=True)
class Skip:
    """A candidate passed over in the ranking, and why (``group full`` or ``list full``)."""

    candidate: str
    rank: int
    reason: str


@dataclass(frozen=True)
class FillResult:
    """The seats filled, in ranking order, with the candidates skipped on the way, the
    seats and list quotas left empty, and the ties that mattered."""

    rule: str
    winners: tuple[Seat, ...]
    ranking: tuple[tuple[str, Fraction], ...]
    skipped: tuple[Skip, ...]
    empty_groups: Mapping[Group, int] = field(default_factory=dict)
    empty_lists: Mapping[str, int] = field(default_factory=dict)
    ties: tuple[TieEvent, ...] = ()

    def seats_by_list(self) -> dict[str, int]:
        """Seats filled per list."""
        return dict(Counter(w.list for w in self.winners))


@dataclass(frozen=True)
class FillRule:
    """A registered ranking: ``value(candidate, totals)`` gives a candidate's rank value,
    where ``totals`` are the qualified lists' candidate votes per sub-district."""

    id: str
    title: str
    reference: str
    value: Callable[[Candidate, Mapping[str, int]], Fraction]
    params: tuple[Param, ...] = ()


FILL_RULES: Registry[FillRule] = Registry("candidate ranking", FillRule, function="value", field="rule")

_TIE_PARAMS = (
    Param("age", "equal values: the older candidate first where every birth date is known "
          "(older-first), or straight to the tie rule (none)", "older-first", ("older-first", "none")),
)


@FILL_RULES.register(
    "preferential-share",
    title="Preferential share: votes over the qualified lists' candidate votes in the sub-district",
    reference="Lebanon, Law 44 of 17 June 2017, Art. 99 (the preferential share and the single ranking)",
    params=_TIE_PARAMS,
)
def preferential_share(candidate: Candidate, totals: Mapping[str, int]) -> Fraction:
    total = totals.get(candidate.subdistrict, 0)
    return Fraction(candidate.votes, total) if total else Fraction(0)


@FILL_RULES.register(
    "votes",
    title="Raw personal votes",
    reference="open-list ranking by personal votes (any list law with one ranking)",
    params=_TIE_PARAMS,
)
def raw_votes(candidate: Candidate, totals: Mapping[str, int]) -> Fraction:
    return Fraction(candidate.votes)


def ranked_fill(
    candidates: Iterable[Candidate],
    seats: Mapping[Group, int],
    list_seats: Mapping[str, int],
    *,
    rule: str = "preferential-share",
    qualified: Sequence[str] | None = None,
    tie_break: str = "refuse",
    seed: int | None = None,
    **params: object,
) -> FillResult:
    """Fill ``seats`` (per group and sub-district) with candidates of the lists in
    ``list_seats`` (each list's seats a cap) down the ranking of ``rule``.

    ``qualified`` are the lists whose candidates are ranked and whose votes make the
    sub-district totals (default: the lists of ``list_seats``). Raises
    :class:`~muhasasa.errors.InputError` for a candidate listed twice, a negative count
    or seats that do not add up; :class:`~muhasasa.errors.TieError` for a tie that
    changes who sits under ``tie_break="refuse"``.
    """
    ranking_rule = FILL_RULES[rule]
    resolved = resolve_text_params(ranking_rule.params, params, f"candidate ranking {rule!r}")
    tie = TieRule(tie_break, seed)
    pool = list(candidates)
    seen: set[str] = set()
    for c in pool:
        if c.id in seen:
            raise InputError("candidates", f"candidate {c.id!r} is listed twice", field="candidates")
        seen.add(c.id)
        if type(c.votes) is not int or c.votes < 0:
            raise InputError("candidates", f"votes of {c.id!r} must be a whole number >= 0", field="candidates")
    if any(n < 0 for n in seats.values()) or any(n < 0 for n in list_seats.values()):
        raise InputError("seats", "seats cannot be negative", field="seats")
    if sum(list_seats.values()) != sum(seats.values()):
        raise InputError("seats", f"the lists hold {sum(list_seats.values())} seats but the groups "
                         f"{sum(seats.values())}", field="seats")
    lists = set(qualified) if qualified is not None else set(list_seats)
    ranked_pool = [c for c in pool if c.list in lists]
    totals: Counter[str] = Counter()
    for c in ranked_pool:
        totals[c.subdistrict] += c.votes
    values = {c.id: ranking_rule.value(c, totals) for c in ranked_pool}
    order = sorted(ranked_pool, key=lambda c: (-values[c.id], c.id))
    ties: list[TieEvent] = []
    order = _settle_ties(order, values, seats, list_seats, tie, resolved["age"], ties)
    winners, skipped, group_left, list_left = _fill(order, values, seats, list_seats)
    return FillResult(
        rule=rule,
        winners=tuple(winners),
        ranking=tuple((c.id, values[c.id]) for c in order),
        skipped=tuple(skipped),
        empty_groups={g: n for g, n in group_left.items() if n},
        empty_lists={lst: n for lst, n in list_left.items() if n},
        ties=tuple(ties),
    )


def _fill(order: Sequence[Candidate], values: Mapping[str, Fraction], seats: Mapping[Group, int],
          list_seats: Mapping[str, int]) -> tuple[list[Seat], list[Skip], dict[Group, int], dict[str, int]]:
    group_left = {g: n for g, n in seats.items()}
    list_left = dict(list_seats)
    winners: list[Seat] = []
    skipped: list[Skip] = []
    for rank, c in enumerate(order, start=1):
        if sum(list_left.values()) == 0:
            break
        key = (c.group, c.subdistrict)
        if group_left.get(key, 0) <= 0:
            skipped.append(Skip(c.id, rank, "group full"))
        elif list_left.get(c.list, 0) <= 0:
            skipped.append(Skip(c.id, rank, "list full"))
        else:
            group_left[key] -= 1
            list_left[c.list] -= 1
            winners.append(Seat(c.id, c.list, c.group, c.subdistrict, rank, values[c.id]))
    return winners, skipped, group_left, list_left


def _settle_ties(order: list[Candidate], values: Mapping[str, Fraction], seats: Mapping[Group, int],
                 list_seats: Mapping[str, int], tie: TieRule, age: str, events: list[TieEvent]) -> list[Candidate]:
    """Reorder each run of equal values whose order changes who sits: by age where known
    and allowed, else by the tie rule. Runs whose order does not matter are left as they are."""
    result = list(order)
    start = 0
    while start < len(result):
        end = start
        while end + 1 < len(result) and values[result[end + 1].id] == values[result[start].id]:
            end += 1
        if end > start:
            run = result[start:end + 1]
            if _order_matters(result, start, end, values, seats, list_seats):
                if age == "older-first" and all(c.born is not None for c in run) \
                        and len({c.born for c in run}) == len(run):
                    run = sorted(run, key=lambda c: c.born)  # type: ignore[arg-type, return-value]
                else:
                    event = tie.settle([c.id for c in run], len(run), values[run[0].id])
                    rank = {cid: i for i, cid in enumerate(event.winners)}
                    run = sorted(run, key=lambda c: rank[c.id])
                    events.append(event)
                result[start:end + 1] = run
        start = end + 1
    return result


def _order_matters(order: list[Candidate], start: int, end: int, values: Mapping[str, Fraction],
                   seats: Mapping[Group, int], list_seats: Mapping[str, int]) -> bool:
    """Whether some order of the tied run ``order[start..end]`` seats other candidates
    than the given order (every order is tried for runs of up to six, else the reverse)."""
    run = order[start:end + 1]
    base = {w.candidate for w in _fill(order, values, seats, list_seats)[0]}
    tries = itertools.permutations(run) if len(run) <= 6 else [tuple(reversed(run))]
    for perm in tries:
        trial = order[:start] + list(perm) + order[end + 1:]
        if {w.candidate for w in _fill(trial, values, seats, list_seats)[0]} != base:
            return True
    return False
