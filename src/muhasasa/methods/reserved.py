"""Reserved seats: the women's quota in each Iraqi law's own form, exact and explained.

Each form is registered in :data:`WOMEN_QUOTA_FORMS` under a stable id with its
title, its legal reference (law and source URLs) and the functions that apply it.
Nothing Iraqi is a default here beyond the forms themselves: the seats, the
candidates and any published minimum come from the caller (the rule packs).

==========================  ===========  ==============================================
id                          elections    rule
==========================  ===========  ==============================================
list-order-every-third      2005 (both)  closed lists; every third candidate a woman
after-every-three-winners   2010–2018    open lists; a woman after every three winners
district-highest-loser      2021         SNTV; a woman per district, "highest loser"
governorate-list-share      2025         open lists; floor(s/4) per list, then s/3
==========================  ===========  ==============================================

The sources record one or two sentences per law; everything beyond them is an
**interpretation**, chosen here for the reasons given in each form's notes (see
``WOMEN_QUOTA_FORMS[id].notes``) and changeable through text parameters. The common
machinery of the three list forms is:

1. *Stage 1, per list.* A list with ``s`` seats must seat ``share(s)`` women
   (``floor(s/3)``, ``floor(s/4)``). Women who won on their own votes (or list
   place) count. While a list is short, its lowest-ranked male winner gives way
   to its highest-ranked woman not elected (ranked by personal votes on open
   lists, by list position on closed lists).
2. *Stage 2, the district (governorate) minimum.* While the district has fewer
   than ``minimum`` women, lists that can still give a seat (a male winner, a woman
   not elected, and fewer women than the form's stage-2 ceiling) are asked in
   rounds: in each round every such list gives one more woman, in order of list
   seats and then of ``party_votes`` (total list votes), until the minimum is met.
   Only the rounds' last picks depend on that order; a tie there goes to the tie
   rule.
3. Without ``minimum``, it is ``ceil(minimum_share × seats)`` ("at least 25 %"
   read literally). The minima IHEC published for 2021/2025 equal
   round-half-up(25 % × general seats) instead (Baghdad 69 → 17, not 18): pass the
   published figure as ``minimum``, or ``minimum_rounding="half-up"``.

No member is ever invented: when a list has no woman left to seat, the seat stays
with the man and :attr:`WomenQuotaResult.shortfall` says how many women's seats the
rule demanded in vain.

Ties between candidates' personal votes or between lists' ranking keys are settled
only where they decide something; they raise :class:`~muhasasa.errors.TieError`
unless ``tie_break="lot"`` (with ``seed``), as IHEC Regulation 12/2018 draws lots.

>>> people = [Candidate("Ali", "A", "M", 900), Candidate("Omar", "A", "M", 700),
...           Candidate("Hadi", "A", "M", 600), Candidate("Zaid", "A", "M", 500),
...           Candidate("Huda", "A", "F", 300)]
>>> result = apply_women_quota("governorate-list-share", {"A": 4}, people, district="X")
>>> result.elected["A"]
('Ali', 'Omar', 'Hadi', 'Huda')
>>> result.replacements[0].reason
'2025 list share: floor(4/4)=1'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import NamedTuple

from muhasasa.errors import InputError, UnknownNameError
from muhasasa.exact import to_fraction, whole_number
from muhasasa.methods.registry import Param, resolve_text_params
from muhasasa.registry import Registry
from muhasasa.methods.result import TieEvent, frozen_mapping
from muhasasa.methods.ties import TIE_RULES, TieRule

__all__ = [
    "WOMEN_QUOTA_FORMS",
    "Candidate",
    "QuotaTie",
    "Replacement",
    "WomenQuotaForm",
    "WomenQuotaResult",
    "apply_women_quota",
    "get_women_quota_form",
    "women_seats_required",
]

GENDERS = ("F", "M")


# --------------------------------------------------------------------------- types


@dataclass(frozen=True)
class Candidate:
    """One candidate: name (unique), party (list, or the independent's own label),
    gender ``"F"`` or ``"M"``, personal votes, and ``rank`` (list position, 1 = top)
    for closed lists."""

    name: str
    party: str
    gender: str
    votes: int
    rank: int | None = None


@dataclass(frozen=True)
class Replacement:
    """A woman who took a seat a man had won, and the rule that demanded it.

    ``party`` is the woman's list; under the list forms the man is of the same list,
    under ``district-highest-loser`` he may be of any list in the same district.
    """

    party: str
    removed: str
    added: str
    reason: str

    def describe(self) -> str:
        return f"{self.party}: {self.added} replaces {self.removed} ({self.reason})"


@dataclass(frozen=True)
class QuotaTie:
    """A tie the quota had to settle, with what was at stake (``context``)."""

    context: str
    event: TieEvent

    def describe(self) -> str:
        return f"{self.context}: {self.event.describe()}"


@dataclass(frozen=True)
class WomenQuotaResult:
    """Who sits after the women's quota in one district, and why.

    ``minimum`` is the number of women the district must seat: the governorate
    minimum for list forms; for ``district-highest-loser`` the district's own
    guarantee (1, or 0 once the wider ``minimum`` is met). ``elected`` maps every
    party to its members in rank order after the quota. ``women_by_own_votes``
    counts women elected before any replacement. ``required_by_party`` is what each
    list had to seat under the rule (stage 1 plus any top-up asks; empty for the
    2021 form, whose duty falls on the district). ``shortfall`` counts women's seats
    the rule demanded but no woman candidate could fill: the larger of the lists'
    unmet requirements and the district's gap to ``minimum``.
    """

    form: str
    district: str
    minimum: int
    elected: Mapping[str, tuple[str, ...]]
    women_elected: int
    women_by_own_votes: int
    replacements: tuple[Replacement, ...]
    required_by_party: Mapping[str, int]
    shortfall: int
    seats: int = 0
    minimum_basis: str = ""
    ties: tuple[QuotaTie, ...] = ()
    params: Mapping[str, str] = field(default_factory=lambda: frozen_mapping({}))

    def explain(self) -> str:
        """A short account: the minimum and where it came from, each list's duty,
        each replacement with its rule, each tie, and any shortfall."""
        form = WOMEN_QUOTA_FORMS[self.form]
        lines = [f"women's quota {self.form!r} ({form.title}) in {self.district}"]
        if self.params:
            lines.append("parameters: " + ", ".join(f"{k}={v}" for k, v in self.params.items()))
        noun = "woman" if self.minimum == 1 else "women"
        lines.append(f"{self.seats} seats; at least {self.minimum} {noun} ({self.minimum_basis})")
        lines.append(f"women elected on their own votes: {self.women_by_own_votes}")
        if self.required_by_party:
            lines.append(
                "women each list must seat: "
                + ", ".join(f"{p} {n}" for p, n in self.required_by_party.items())
            )
        lines.extend("replacement: " + r.describe() for r in self.replacements)
        if not self.replacements:
            lines.append("no replacement needed" if not self.shortfall else "no replacement possible")
        lines.extend("tie: " + t.describe() for t in self.ties)
        lines.append(f"women elected: {self.women_elected} of {self.seats}")
        if self.shortfall:
            lines.append(
                f"shortfall: {self.shortfall} women's seat(s) stay with men for want of "
                "women candidates (no member is invented)"
            )
        return "\n".join(lines)


Applier = Callable[..., WomenQuotaResult]
Counter = Callable[..., dict[str, int]]


@dataclass(frozen=True)
class WomenQuotaForm:
    """A women's-quota form registered under a stable id.

    ``function`` applies it to candidate data (see :func:`apply_women_quota`);
    ``seats_required`` counts each list's duty without candidate data (see
    :func:`women_seats_required`). ``notes`` lists the interpretations made.
    """

    id: str
    title: str
    reference: str
    unit: str  # "list" or "district"
    params: tuple[Param, ...]
    function: Applier
    seats_required: Counter
    notes: tuple[str, ...] = ()

    def resolve_params(self, given: Mapping[str, object]) -> dict[str, str]:
        """Merge given text parameters with defaults; refuse unknown names or choices."""
        return resolve_text_params(self.params, given, f"women's quota form {self.id!r}")


# ---------------------------------------------------------------- shares of seats


@dataclass(frozen=True)
class _Share:
    """A per-list requirement or ceiling as a function of the list's seats ``s``."""

    text: str
    template: str
    fn: Callable[[int], int]
    bare: bool = False  # the template alone says the value

    def describe(self, s: int) -> str:
        shown = self.template.format(s=s)
        return shown if self.bare else f"{shown}={self.fn(s)}"


_SHARES = {
    share.text: share
    for share in (
        _Share("floor(s/4)", "floor({s}/4)", lambda s: s // 4),
        _Share("floor(s/3)", "floor({s}/3)", lambda s: s // 3),
        _Share("ceil(s/3)", "ceil({s}/3)", lambda s: -(-s // 3)),
        _Share("round(s/3)", "round-half-up({s}/3)", lambda s: (2 * s + 3) // 6),
        _Share("s", "its {s} seats", lambda s: s, bare=True),
    )
}


def _ceil(x: Fraction) -> int:
    return -((-x.numerator) // x.denominator)


_ROUNDINGS: dict[str, tuple[str, Callable[[Fraction], int]]] = {
    "ceil": ("ceil", _ceil),
    "half-up": ("round-half-up", lambda x: (2 * x.numerator + x.denominator) // (2 * x.denominator)),
}


# ---------------------------------------------------------------------- validation


def _text(value: object, what: str, source: str, field: str | None = None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(source, f"{what} must be non-empty text, got {value!r}", field=field)
    return value


def _int_param(params: Mapping[str, str], name: str) -> int | None:
    text = params.get(name)
    if text is None:
        return None
    if not text.strip().isdigit():
        raise InputError("parameters", f"{name}={text!r} must be a whole number ≥ 0", field=name)
    return int(text)


def _seat_map(party_seats: object) -> dict[str, int]:
    if not isinstance(party_seats, Mapping):
        raise InputError("party_seats", "party_seats must be a mapping party -> seats")
    return {
        _text(p, "party names", "party_seats"): whole_number(s, f"seats of {p!r}", "party_seats", field=p)
        for p, s in party_seats.items()
    }


def _vote_map(party_votes: object, seats: Mapping[str, int]) -> dict[str, int] | None:
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


def _candidates(candidates: object) -> tuple[Candidate, ...]:
    if isinstance(candidates, (str, bytes)) or not isinstance(candidates, Sequence):
        raise InputError("candidates", "candidates must be a sequence of Candidate")
    seen: set[str] = set()
    for i, c in enumerate(candidates):
        where = f"candidate {i + 1}"
        if not isinstance(c, Candidate):
            raise InputError("candidates", f"expected a Candidate, got {c!r}", field=where)
        _text(c.name, "the name", "candidates", where)
        _text(c.party, f"the party of {c.name!r}", "candidates", where)
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


def _tie_rule(params: Mapping[str, str]) -> TieRule:
    return TieRule(params.get("tie_break", "refuse"), _int_param(params, "seed"))


def _minimum(
    minimum: int | None, share: Fraction, seats: int, params: Mapping[str, str]
) -> tuple[int, str]:
    if minimum is not None:
        given = whole_number(minimum, "the minimum number of women", "minimum")
        if given > seats:
            raise InputError("minimum", f"{given} women required but the district has only {seats} seats")
        return given, "given"
    name, rounding = _ROUNDINGS[params.get("minimum_rounding", "ceil")]
    value = rounding(share * seats)
    return value, f"{name}({share} × {seats}) = {value}"


# --------------------------------------------------------------------------- ties


def _choose_top(
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
class _ListRule:
    """The arithmetic of one list form."""

    label: str
    closed: bool  # True: ranked by list position; False: by personal votes
    first: Callable[[Mapping[str, str]], _Share]  # stage-1 share per list
    ceiling: Callable[[Mapping[str, str]], _Share]  # stage-2 ceiling per list
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
        return _choose_top(
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
            keep = _choose_top(
                men, self._votes, len(men) - 1, self.tie, self.ties,
                f"{self.district}, {party}: the lowest-voted man gives way",
            )
            removed = next(n for n in men if n not in set(keep))
            added = _choose_top(
                pool, self._votes, 1, self.tie, self.ties,
                f"{self.district}, {party}: the highest-voted woman not elected",
            )[0]
        self.winners[party] = [added if n == removed else n for n in self.winners[party]]
        self.losers[party] = [removed if n == added else n for n in self.losers[party]]
        self.replacements.append(Replacement(party, removed, added, reason))

    def elected(self) -> dict[str, tuple[str, ...]]:
        if self.rule.closed:
            order = lambda n: (self._place(n), self.index[n])  # noqa: E731
        else:
            order = lambda n: (-self.by_name[n].votes, self.index[n])  # noqa: E731
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
    rule: _ListRule,
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
        picks = _choose_top(
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


class _ListForm(NamedTuple):
    apply: Applier
    count: Counter


def _list_form(rule: _ListRule) -> _ListForm:
    """The two functions (with and without candidates) of one list rule."""

    def apply(form, party_seats, candidates, *, district, minimum, minimum_share, party_votes, params):
        seats = _seat_map(party_seats)
        votes = _vote_map(party_votes, seats)
        for i, c in enumerate(candidates):
            if c.party not in seats:
                raise UnknownNameError(
                    "party", c.party, seats, source="candidates", field=f"candidate {i + 1}"
                )
        if rule.closed:
            _check_ranks(candidates)
        total = sum(seats.values())
        need, basis = _minimum(minimum, minimum_share, total, params)
        tie, ties = _tie_rule(params), []
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
        seats = _seat_map(party_seats)
        votes = _vote_map(party_votes, seats)
        need, _ = _minimum(minimum, minimum_share, sum(seats.values()), params)
        return _run_lists(rule, _Quota(seats), seats, need, votes, params, _tie_rule(params), [], "district")

    return _ListForm(apply, count)


def _check_ranks(candidates: Sequence[Candidate]) -> None:
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


# -------------------------------------------------------------- 2021 (SNTV) form


def _apply_district(form, party_seats, candidates, *, district, minimum, minimum_share, party_votes, params):
    seats = _seat_map(party_seats)
    given = _int_param(params, "seats")
    n = sum(seats.values()) if given is None else given
    if given is not None and seats and sum(seats.values()) != given:
        raise InputError(
            "parameters", f"seats={given} but party_seats sum to {sum(seats.values())}", field="seats"
        )
    elsewhere = _int_param(params, "women_elsewhere") or 0
    area = None if minimum is None else whole_number(minimum, "the minimum number of women", "minimum")
    tie, ties = _tie_rule(params), []
    by_name = {c.name: c for c in candidates}
    index = {c.name: i for i, c in enumerate(candidates)}
    standing = [c.name for c in candidates if c.votes > 0]
    if n > len(standing):
        raise InputError(
            "candidates", f"{n} seats but only {len(standing)} candidates with votes; no member is invented"
        )

    def votes(name: str) -> tuple[int]:
        return (by_name[name].votes,)

    winners = _choose_top(standing, votes, n, tie, ties, f"{district}: seats won on personal votes")
    own = sum(by_name[w].gender == "F" for w in winners)
    duty = min(1, n)
    if area is not None and elsewhere + own >= area:
        duty = 0
    replacements = []
    if own < duty:
        pool = [c for c in standing if c not in set(winners) and by_name[c].gender == "F"]
        if pool:
            keep = _choose_top(
                winners, votes, n - 1, tie, ties, f"{district}: the lowest-voted man gives way"
            )
            removed = next(w for w in winners if w not in set(keep))
            added = _choose_top(pool, votes, 1, tie, ties, f"{district}: the highest-voted losing woman")[0]
            winners = [added if w == removed else w for w in winners]
            replacements.append(
                Replacement(
                    by_name[added].party, removed, added, f"2021 district rule: no woman among {n} winners"
                )
            )
    elected: dict[str, list[str]] = {}
    for c in candidates:
        elected.setdefault(c.party, [])
    for w in sorted(winners, key=lambda w: (-by_name[w].votes, index[w])):
        elected[by_name[w].party].append(w)
    women = sum(by_name[w].gender == "F" for w in winners)
    basis = "one woman per district"
    if area is not None:
        basis += f"; wider minimum {area}, {elsewhere} women elsewhere"
    return WomenQuotaResult(
        form=form.id,
        district=district,
        minimum=duty,
        elected=frozen_mapping({p: tuple(ws) for p, ws in elected.items()}),
        women_elected=women,
        women_by_own_votes=own,
        replacements=tuple(replacements),
        required_by_party=frozen_mapping({}),
        shortfall=max(0, duty - women),
        seats=n,
        minimum_basis=basis,
        ties=tuple(ties),
        params=frozen_mapping(params),
    )


def _count_district(form, party_seats, *, minimum, minimum_share, party_votes, params):
    _seat_map(party_seats)
    return {}


# ------------------------------------------------------------------------ registry

_TIE_PARAMS = (
    Param("tie_break", "ties in personal votes or list ranking: refuse (raise) or lot", "refuse", TIE_RULES),
    Param("seed", "seed of the lot (whole number)", None),
)
_ROUNDING_PARAM = Param(
    "minimum_rounding",
    "without an explicit minimum: ceil(share × seats) ('at least 25 %' literally) or "
    "round-half-up (matches the minima IHEC published for 2021/2025)",
    "ceil",
    tuple(_ROUNDINGS),
)

_EVERY_THIRD = _ListRule(
    label="every third candidate a woman",
    closed=True,
    first=lambda p: _SHARES["floor(s/3)"],
    ceiling=lambda p: _SHARES["s"],
    topup_label="district top-up",
)
_AFTER_THREE = _ListRule(
    label="a woman after every three winners",
    closed=False,
    first=lambda p: _SHARES[p["per_list"]],
    ceiling=lambda p: _SHARES["s"],
    topup_label="governorate top-up",
)
_LIST_SHARE = _ListRule(
    label="2025 list share",
    closed=False,
    first=lambda p: _SHARES["floor(s/4)"],
    ceiling=lambda p: _SHARES[p["second_stage"]],
    topup_label="2025 governorate top-up",
)

_every_third = _list_form(_EVERY_THIRD)
_after_three = _list_form(_AFTER_THREE)
_list_share = _list_form(_LIST_SHARE)

WOMEN_QUOTA_FORMS: Registry[WomenQuotaForm] = Registry(
    "women's quota form", WomenQuotaForm, function="function", field="form"
)

WOMEN_QUOTA_FORMS.register(
    "list-order-every-third",
    title="closed lists, every third candidate a woman (January and December 2005)",
    reference=(
        "CPA Order 96 (2004); Law No. 16 of 2005. "
        "https://wiki.gravy.cc/wiki/January_2005_Iraqi_parliamentary_election ; "
        "http://archive.ipu.org/parline-e/reports/arc/2151_05.htm ; "
        "http://108.161.137.60/piglix/Iraqi_parliamentary_election,_December_2005"
    ),
    unit="list",
    params=(_ROUNDING_PARAM, *_TIE_PARAMS),
    seats_required=_every_third.count,
    notes=(
        "Sourced: every third candidate on a list is a woman; 25 % of seats for women.",
        "Stage 1: a list with s seats seats its first s candidates in list order, which "
        "a compliant list makes at least floor(s/3) women. On the January 2005 list seats "
        "(140, 75, 40, 5, 3, 3, 2, 2, 2, 1, 1, 1) this gives 87 of 275 (DERIVED).",
        "Interpretation: a non-compliant list is corrected, not rejected: its lowest-placed "
        "male winner gives way to its best-placed woman not elected.",
        "Interpretation: the 25 % target is applied as a district top-up (lists by seats, "
        "then list votes), which compliant lists usually make unnecessary.",
    ),
)(_every_third.apply)
WOMEN_QUOTA_FORMS.register(
    "after-every-three-winners",
    title="open lists, a woman after every three winners (2010, 2014, 2018)",
    reference=(
        "Law No. 16 of 2005 as amended (2009); Law No. 45 of 2013. "
        "https://archive3.fairvote.org/research-and-analysis/blog/iraq-s-2010-parliamentary-election4/ ; "
        "https://www.csmonitor.com/World/Middle-East/2010/0324/Iraq-election-increases-women-in-parliament-regardless-of-vote-count ; "
        "http://www.ipu.org/parline/reports/2151.htm ; http://archive.ipu.org/parline-e/reports/2151_B.htm"
    ),
    unit="list",
    params=(
        Param(
            "per_list",
            "women a list with s seats must seat: floor(s/4) (a woman after every three "
            "winners: seats 4, 8, ...) or floor(s/3) (the 2010 ballot-placement rule read "
            "as a seat rule)",
            "floor(s/4)",
            ("floor(s/4)", "floor(s/3)"),
        ),
        _ROUNDING_PARAM,
        *_TIE_PARAMS,
    ),
    seats_required=_after_three.count,
    notes=(
        "Sourced: 'a woman must be elected after every three winning men, i.e. 25 % of "
        "seats' (IPU, 2014, 2018); 2010: men who won on votes could be displaced by "
        "lower-voted women of the same list; 25 % of seats.",
        "Interpretation: per_list defaults to floor(s/4), because the IPU sentence equates "
        "the rule with 25 %; the 2010 'one woman among the first three candidates' is a "
        "ballot-placement rule, available as per_list='floor(s/3)'.",
        "Interpretation: the governorate top-up to the minimum (lists by seats, then list "
        "votes; one woman per list per round; no ceiling but the list's seats) is not in "
        "the record.",
    ),
)(_after_three.apply)
WOMEN_QUOTA_FORMS.register(
    "district-highest-loser",
    title="SNTV districts, the highest-voted losing woman (2021)",
    reference=(
        "Election law of December 2019 / 2020 (number unverified), 2021 election. "
        "https://wikiblah.com/wiki/2021-iraqi-parliamentary-election ; "
        "https://www.iraqnewsgazette.com/electoral-commission-to-nina-the-winning-candidates-with-valid-votes-do-not-need-a-quota/ ; "
        "https://www.chathamhouse.org/2021/10/iraqs-electoral-system/two-major-changes"
    ),
    unit="district",
    params=(
        Param("seats", "seats of the district (default: the sum of party_seats)", None),
        Param(
            "women_elsewhere",
            "women already seated elsewhere in the area whose minimum is `minimum`",
            "0",
        ),
        *_TIE_PARAMS,
    ),
    seats_required=_count_district,
    notes=(
        "Sourced: one seat per district guaranteed to a woman; women who win on their own "
        "votes need no quota; if no woman wins, a male winner is replaced by the "
        "highest-voted losing woman; no replacement once the minimum is reached.",
        "The candidates compete in one district for `seats` seats (or the sum of "
        "party_seats, which is otherwise ignored: the rule is on candidates, not lists); "
        "party_votes and minimum_share are ignored.",
        "Interpretation: the man who gives way is the lowest-voted winner, of any party.",
        "Interpretation: `minimum` is the wider (governorate or national) minimum; with "
        "`women_elsewhere` women already seated, no replacement happens once it is met. "
        "Chatham House's governorate top-up beyond one woman per district is left to the "
        "caller, which sees all districts.",
        "Candidates with no votes neither win nor replace (as in the sntv method).",
        "women_seats_required gives {}: no list owes a seat under this rule.",
    ),
)(_apply_district)
WOMEN_QUOTA_FORMS.register(
    "governorate-list-share",
    title="open lists, floor(s/4) per list then s/3 to reach 25 % of the governorate (2025)",
    reference=(
        "Law No. 12 of 2018, third amendment (27 March 2023); IHEC quota mechanism. "
        "https://thenationalcontext.com/iraqi-parliamentary-election-system-how-seats-are-allocated ; "
        "https://www.shafaq.com/en/Iraq/IHEC-sets-mechanism-for-quota-seats-and-replacements ; "
        "https://shafaq.com/amp/en/Iraq/IHEC-gives-Nineveh-quota-seat-to-Badr-Organization-s-candidate"
    ),
    unit="list",
    params=(
        Param(
            "second_stage",
            "how many women a list may be asked for when the governorate is short: while "
            "its women are fewer than s/3 (ceil), round-half-up(s/3), or floor(s/3)",
            "ceil(s/3)",
            ("ceil(s/3)", "round(s/3)", "floor(s/3)"),
        ),
        _ROUNDING_PARAM,
        *_TIE_PARAMS,
    ),
    seats_required=_list_share.count,
    notes=(
        "Sourced: at least 25 % of each governorate's general seats; a list's share is "
        "floor(list seats / 4); if the governorate is still short, list seats / 3; "
        "male winners are replaced by women of the same list; Nineveh's last quota seat "
        "went to Badr over al-Hasm (2 seats each) on Badr's larger total vote.",
        "Interpretation: stage 1 applies to every list whether or not the governorate is "
        "short; women elected on their own votes count toward it.",
        "Interpretation: in stage 2 a list may be asked while its women are fewer than "
        "s/3 (second_stage='ceil(s/3)'); floor(s/3) would exempt 2-seat lists, "
        "contradicting the Nineveh report. Lists are asked in rounds, one woman each, in "
        "order of list seats then total list votes.",
    ),
)(_list_share.apply)


def get_women_quota_form(form_id: str) -> WomenQuotaForm:
    """The registered form with this id, or an error (field ``form``) suggesting close ids."""
    return WOMEN_QUOTA_FORMS[form_id]


# ------------------------------------------------------------------------- public


def _share(value: object) -> Fraction:
    try:
        share = to_fraction(value, what="minimum_share")  # type: ignore[arg-type]
    except ValueError as exc:
        raise InputError("minimum_share", str(exc)) from None
    if not 0 <= share <= 1:
        raise InputError("minimum_share", f"must be between 0 and 1, got {share}")
    return share


def apply_women_quota(
    form: str,
    party_seats: Mapping[str, int],
    candidates: Sequence[Candidate],
    *,
    district: str,
    minimum: int | None = None,
    minimum_share: Fraction = Fraction(1, 4),
    party_votes: Mapping[str, int] | None = None,
    **params: str,
) -> WomenQuotaResult:
    """Seat the members of one district under a women's-quota form, exactly.

    Parameters
    ----------
    form
        A registered form id (see :data:`WOMEN_QUOTA_FORMS`).
    party_seats
        Seats each list won in the district (the whole district: the minimum is a
        share of their sum). Ignored by ``district-highest-loser`` except for its sum.
    candidates
        Every candidate of the district; for closed lists each with ``rank``.
    district
        A label used in explanations.
    minimum
        Women the district must seat (the law files carry published minima); without
        it ``ceil(minimum_share × seats)``, or round-half-up with
        ``minimum_rounding="half-up"``. For ``district-highest-loser``: the wider
        area's minimum (see ``women_elsewhere``).
    minimum_share
        An exact share (Fraction, int or text such as ``"1/4"``).
    party_votes
        Total list votes, the second key when lists are ranked for a top-up.
    **params
        Text parameters of the form (``WOMEN_QUOTA_FORMS[form].params``), e.g.
        ``per_list``, ``second_stage``, ``tie_break``, ``seed``, ``seats``.

    Returns
    -------
    WomenQuotaResult
        Frozen, keyed by party; ``.explain()`` says which woman replaced which man
        and why.

    Raises
    ------
    InputError
        Unknown form or parameter (with suggestions), a candidate of an unknown party,
        negative votes, a gender other than F/M, duplicate names, a list with fewer
        candidates than seats.
    TieError
        Equal votes (or list keys) decide a seat and ``tie_break`` is ``refuse``.

    Examples
    --------
    The Nineveh 2025 pattern: one quota seat left, two 2-seat lists without women;
    the one with more total votes gives it.

    >>> people = [Candidate("b1", "Badr", "M", 900), Candidate("b2", "Badr", "M", 800),
    ...           Candidate("bw", "Badr", "F", 100), Candidate("h1", "Hasm", "M", 950),
    ...           Candidate("h2", "Hasm", "M", 850), Candidate("hw", "Hasm", "F", 400)]
    >>> r = apply_women_quota("governorate-list-share", {"Badr": 2, "Hasm": 2}, people,
    ...                       district="N", minimum=1, party_votes={"Badr": 9000, "Hasm": 8000})
    >>> [(x.party, x.removed, x.added) for x in r.replacements]
    [('Badr', 'b2', 'bw')]
    """
    chosen = get_women_quota_form(form)
    resolved = chosen.resolve_params(params)
    people = _candidates(candidates)
    label = _text(district, "district", "district")
    return chosen.function(
        chosen,
        party_seats,
        people,
        district=label,
        minimum=minimum,
        minimum_share=_share(minimum_share),
        party_votes=party_votes,
        params=resolved,
    )


def women_seats_required(
    form: str,
    party_seats: Mapping[str, int],
    *,
    minimum: int | None = None,
    minimum_share: Fraction = Fraction(1, 4),
    party_votes: Mapping[str, int] | None = None,
    **params: str,
) -> dict[str, int]:
    """Women's seats each list must fill under a form when there are no candidate data.

    Each list is assumed to seat exactly what it is asked for (no woman beyond the
    rule wins on her own votes), so the district top-up falls where the form's
    order puts it: lists by seats, then by ``party_votes``; a tie that decides a
    seat follows ``tie_break``. Under ``governorate-list-share`` a list is never
    asked beyond its stage-2 ceiling, so an explicit ``minimum`` above what the
    ceilings allow is not reached. ``district-highest-loser`` gives ``{}``: the
    duty falls on the district, not on any list. Never invents members.

    >>> women_seats_required("governorate-list-share", {"A": 9, "B": 5, "C": 2, "D": 1},
    ...                      party_votes={"A": 90, "B": 50, "C": 20, "D": 10})
    {'A': 3, 'B': 2, 'C': 0, 'D': 0}
    """
    chosen = get_women_quota_form(form)
    resolved = chosen.resolve_params(params)
    return chosen.seats_required(
        chosen,
        party_seats,
        minimum=minimum,
        minimum_share=_share(minimum_share),
        party_votes=party_votes,
        params=resolved,
    )
