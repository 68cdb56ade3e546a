"""Pure seat-allocation methods in a registry, and :func:`allocate` over them."""

from __future__ import annotations

from collections.abc import Mapping

from muhasasa.errors import InputError
from muhasasa.exact import shown, whole_number
from muhasasa.methods import highest_averages, largest_remainder, recomputed_quota, sntv  # noqa: F401  (registers)
from muhasasa.methods.registry import METHODS, Contest, Method, Param, get_method
from muhasasa.methods.result import Allocation, SeatAward, TieEvent
from muhasasa.methods.thresholds import threshold_votes
from muhasasa.methods.ties import TieRule
from muhasasa.names import clean_name, has_control

MAX_LISTS = 100_000  #: parties (or candidates) in one contest; the cost does not depend on the seats
MAX_NUMBER = 10**1000  #: seats, votes and residual votes must lie below this

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

    ``votes`` maps each party (or candidate, for ``sntv``) to whole votes; at most
    :data:`MAX_LISTS` of them, and no two names equal after Unicode NFC normalisation
    without invisible marks (the names are kept as given). The number of seats is
    bounded only by :data:`MAX_NUMBER` (10^1000, as are votes): the cost does not depend on it.
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
    if len(votes) > MAX_LISTS:
        raise InputError("votes", f"more than {MAX_LISTS:,} parties (the limit)", field="votes")
    checked = {}
    seen: dict[str, str] = {}
    for party, count in votes.items():
        if type(party) is not str or not (stripped := party.strip()):
            raise InputError("votes", f"party names must be non-empty text, got {str(party)[:40]!r}", field="votes")
        if party.isascii() and party.isprintable():  # the common case: nothing to normalise
            same = seen.setdefault(stripped, party)
        else:
            if has_control(party):
                raise InputError("votes", f"party name {party!r} holds a control character (a line break, a tab…)",
                                 field="votes")
            same = seen.setdefault(clean_name(party), party)
        if same is not party and same != party:
            raise InputError("votes", f"parties {same!r} and {party!r} differ only by invisible marks or Unicode "
                             "normalisation; they would look identical", field="votes")
        checked[party] = count if type(count) is int and count >= 0 else whole_number(
            count, f"votes of {party!r}", "votes", field=party)
    n = whole_number(n_seats, "the number of seats", "n_seats")
    residual = whole_number(residual_votes, "residual votes", "residual_votes")
    for what, value in (("n_seats", n), ("residual_votes", residual), ("votes", max(checked.values(), default=0))):
        if value >= MAX_NUMBER:
            raise InputError(what, f"{what} of {shown(value)} is above the limit of 10^1000", field=what)
    resolved = chosen.resolve_params(params)
    total = sum(checked.values()) + residual
    needed = threshold_votes(threshold, total, n)
    eligible = tuple(checked) if needed is None else tuple(p for p, v in checked.items() if v >= needed)
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
