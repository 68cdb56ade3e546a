"""Pure seat-allocation methods in a registry, and :func:`allocate` over them."""

from __future__ import annotations

from collections.abc import Mapping

from muhasasa.errors import InputError
from muhasasa.exact import whole_number
from muhasasa.methods import highest_averages, largest_remainder, recomputed_quota, sntv  # noqa: F401  (registers)
from muhasasa.methods.registry import METHODS, Contest, Method, Param, get_method
from muhasasa.methods.result import Allocation, SeatAward, TieEvent
from muhasasa.methods.thresholds import threshold_votes
from muhasasa.methods.ties import TieRule

__all__ = [
    "METHODS",
    "Allocation",
    "Method",
    "Param",
    "SeatAward",
    "TieEvent",
    "TieRule",
    "allocate",
    "get_method",
]


def allocate(
    votes: Mapping[str, int],
    n_seats: int,
    method: str = "sainte-lague-modified",
    *,
    threshold: str | int | None = None,
    residual_votes: int = 0,
    tie_break: str = "refuse",
    seed: int | None = None,
    **params: object,
) -> Allocation:
    """Allocate ``n_seats`` among parties by a registered method, exactly.

    ``votes`` maps each party (or candidate, for ``sntv``) to whole votes.
    ``threshold`` excludes parties below it (see :mod:`muhasasa.methods.thresholds`);
    ``residual_votes`` are valid votes not itemized by party, counted in totals
    but never allocated. Ties for the last seat raise :class:`~muhasasa.errors.TieError`
    unless ``tie_break="lot"`` (seeded by ``seed``).

    >>> result = allocate({"A": 100000, "B": 80000, "C": 30000, "D": 20000}, 8,
    ...                   method="sainte-lague-modified", first_divisor="1.7")
    >>> dict(result.seats)
    {'A': 4, 'B': 3, 'C': 1, 'D': 0}
    """
    chosen = get_method(method)
    if not isinstance(votes, Mapping):
        raise InputError("votes", "votes must be a mapping party -> votes")
    checked = {}
    for party, count in votes.items():
        if type(party) is not str or not party.strip():
            raise InputError("votes", f"party names must be non-empty text, got {party!r}")
        if type(count) is int and count >= 0:
            checked[party] = count
        else:
            checked[party] = whole_number(count, f"votes of {party!r}", "votes", field=party)
    n = whole_number(n_seats, "the number of seats", "n_seats")
    residual = whole_number(residual_votes, "residual votes", "residual_votes")
    resolved = chosen.resolve_params(params)
    total = sum(checked.values()) + residual
    needed = threshold_votes(threshold, total, n)
    eligible = tuple(p for p, v in checked.items() if needed is None or v >= needed)
    contest = Contest(
        votes=checked,
        n_seats=n,
        eligible=eligible,
        threshold=needed,
        tie=TieRule(tie_break, seed),
        residual_votes=residual,
    )
    if threshold is not None and needed is not None:
        resolved = {**resolved, "threshold": str(threshold)}
    return chosen.run(contest, **resolved)
