"""The checked inputs of a women's quota: seats and votes per list, candidates, the
tie rule, each list's share of its seats, and the district's minimum with its rounding."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from muhasasa.errors import InputError, UnknownNameError
from muhasasa.exact import whole_number
from muhasasa.methods.reserved.result import GENDERS, Candidate
from muhasasa.methods.ties import TieRule

# ---------------------------------------------------------------- shares of seats


@dataclass(frozen=True)
class Share:
    """A per-list requirement or ceiling as a function of the list's seats ``s``."""

    text: str
    template: str
    fn: Callable[[int], int]
    bare: bool = False  # the template alone says the value

    def describe(self, s: int) -> str:
        shown = self.template.format(s=s)
        return shown if self.bare else f"{shown}={self.fn(s)}"


SHARES = {
    share.text: share
    for share in (
        Share("floor(s/4)", "floor({s}/4)", lambda s: s // 4),
        Share("floor(s/3)", "floor({s}/3)", lambda s: s // 3),
        Share("ceil(s/3)", "ceil({s}/3)", lambda s: -(-s // 3)),
        Share("round(s/3)", "round-half-up({s}/3)", lambda s: (2 * s + 3) // 6),
        Share("s", "its {s} seats", lambda s: s, bare=True),
    )
}


def ceil(x: Fraction) -> int:
    return -((-x.numerator) // x.denominator)


ROUNDINGS: dict[str, tuple[str, Callable[[Fraction], int]]] = {
    "ceil": ("ceil", ceil),
    "half-up": ("round-half-up", lambda x: (2 * x.numerator + x.denominator) // (2 * x.denominator)),
}


# ---------------------------------------------------------------------- validation


def text(value: object, what: str, source: str, field: str | None = None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(source, f"{what} must be non-empty text, got {value!r}", field=field)
    return value


def int_param(params: Mapping[str, str], name: str) -> int | None:
    text = params.get(name)
    if text is None:
        return None
    if not text.strip().isdigit():
        raise InputError("parameters", f"{name}={text!r} must be a whole number ≥ 0", field=name)
    return int(text)


def seat_map(party_seats: object) -> dict[str, int]:
    if not isinstance(party_seats, Mapping):
        raise InputError("party_seats", "party_seats must be a mapping party -> seats")
    return {
        text(p, "party names", "party_seats"): whole_number(s, f"seats of {p!r}", "party_seats", field=p)
        for p, s in party_seats.items()
    }


def vote_map(party_votes: object, seats: Mapping[str, int]) -> dict[str, int] | None:
    if party_votes is None:
        return None
    if not isinstance(party_votes, Mapping):
        raise InputError("party_votes", "party_votes must be a mapping party -> votes")
    checked = {p: whole_number(v, f"votes of {p!r}", "party_votes", field=str(p)) for p, v in party_votes.items()}
    for party in checked:
        if party not in seats:
            raise UnknownNameError("party", party, seats, source="party_votes")
    missing = [p for p in seats if p not in checked]
    if missing:
        raise InputError("party_votes", f"no list votes given for {', '.join(missing)}")
    return checked


def checked_candidates(candidates: object) -> tuple[Candidate, ...]:
    if isinstance(candidates, (str, bytes)) or not isinstance(candidates, Sequence):
        raise InputError("candidates", "candidates must be a sequence of Candidate")
    seen: set[str] = set()
    for i, c in enumerate(candidates):
        where = f"candidate {i + 1}"
        if not isinstance(c, Candidate):
            raise InputError("candidates", f"expected a Candidate, got {c!r}", field=where)
        text(c.name, "the name", "candidates", where)
        text(c.party, f"the party of {c.name!r}", "candidates", where)
        if c.gender not in GENDERS:
            raise InputError(
                "candidates", f"gender of {c.name!r} must be 'F' or 'M', got {c.gender!r}", field=where
            )
        whole_number(c.votes, f"votes of {c.name!r}", "candidates", where)
        if c.rank is not None and (whole_number(c.rank, f"rank of {c.name!r}", "candidates", where) < 1):
            raise InputError("candidates", f"rank of {c.name!r} must be 1 or more", field=where)
        if c.name in seen:
            raise InputError("candidates", f"duplicate candidate name {c.name!r}", field=where)
        seen.add(c.name)
    return tuple(candidates)


def tie_rule(params: Mapping[str, str]) -> TieRule:
    return TieRule(params.get("tie_break", "refuse"), int_param(params, "seed"))


def district_minimum(
    minimum: int | None, share: Fraction, seats: int, params: Mapping[str, str]
) -> tuple[int, str]:
    if minimum is not None:
        given = whole_number(minimum, "the minimum number of women", "minimum")
        if given > seats:
            raise InputError("minimum", f"{given} women required but the district has only {seats} seats")
        return given, "given"
    name, rounding = ROUNDINGS[params.get("minimum_rounding", "ceil")]
    value = rounding(share * seats)
    return value, f"{name}({share} × {seats}) = {value}"


def check_ranks(candidates: Sequence[Candidate]) -> None:
    places: set[tuple[str, int]] = set()
    for i, c in enumerate(candidates):
        if c.rank is None:
            raise InputError(
                "candidates",
                f"closed list: {c.name!r} needs a list position (rank)",
                field=f"candidate {i + 1}",
            )
        if (c.party, c.rank) in places:
            raise InputError(
                "candidates",
                f"two candidates of {c.party} hold list position {c.rank}",
                field=f"candidate {i + 1}",
            )
        places.add((c.party, c.rank))
