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

from collections.abc import Mapping, Sequence
from fractions import Fraction

from muhasasa.errors import InputError
from muhasasa.exact import to_fraction
from muhasasa.methods.registry import Param
from muhasasa.methods.reserved.district import apply_district, count_district
from muhasasa.methods.reserved.inputs import ROUNDINGS, SHARES, checked_candidates, text
from muhasasa.methods.reserved.lists import ListRule, list_form
from muhasasa.methods.reserved.result import (
    WOMEN_QUOTA_FORMS,
    Candidate,
    QuotaTie,
    Replacement,
    WomenQuotaForm,
    WomenQuotaResult,
)
from muhasasa.methods.ties import TIE_RULES

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
    tuple(ROUNDINGS),
)

_EVERY_THIRD = ListRule(
    label="every third candidate a woman",
    closed=True,
    first=lambda p: SHARES["floor(s/3)"],
    ceiling=lambda p: SHARES["s"],
    topup_label="district top-up",
)
_AFTER_THREE = ListRule(
    label="a woman after every three winners",
    closed=False,
    first=lambda p: SHARES[p["per_list"]],
    ceiling=lambda p: SHARES["s"],
    topup_label="governorate top-up",
)
_LIST_SHARE = ListRule(
    label="2025 list share",
    closed=False,
    first=lambda p: SHARES["floor(s/4)"],
    ceiling=lambda p: SHARES[p["second_stage"]],
    topup_label="2025 governorate top-up",
)

_every_third = list_form(_EVERY_THIRD)
_after_three = list_form(_AFTER_THREE)
_list_share = list_form(_LIST_SHARE)


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
        ("Stage 1: a list with s seats seats its first s candidates in list order, which "
        "a compliant list makes at least floor(s/3) women. On the January 2005 list seats "
        "(140, 75, 40, 5, 3, 3, 2, 2, 2, 1, 1, 1) this gives 87 of 275 (DERIVED)."),
        ("Interpretation: a non-compliant list is corrected, not rejected: its lowest-placed "
        "male winner gives way to its best-placed woman not elected."),
        ("Interpretation: the 25 % target is applied as a district top-up (lists by seats, "
        "then list votes), which compliant lists usually make unnecessary."),
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
        ("Sourced: 'a woman must be elected after every three winning men, i.e. 25 % of "
        "seats' (IPU, 2014, 2018); 2010: men who won on votes could be displaced by "
        "lower-voted women of the same list; 25 % of seats."),
        ("Interpretation: per_list defaults to floor(s/4), because the IPU sentence equates "
        "the rule with 25 %; the 2010 'one woman among the first three candidates' is a "
        "ballot-placement rule, available as per_list='floor(s/3)'."),
        ("Interpretation: the governorate top-up to the minimum (lists by seats, then list "
        "votes; one woman per list per round; no ceiling but the list's seats) is not in "
        "the record."),
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
    seats_required=count_district,
    notes=(
        ("Sourced: one seat per district guaranteed to a woman; women who win on their own "
        "votes need no quota; if no woman wins, a male winner is replaced by the "
        "highest-voted losing woman; no replacement once the minimum is reached."),
        ("The candidates compete in one district for `seats` seats (or the sum of "
        "party_seats, which is otherwise ignored: the rule is on candidates, not lists); "
        "party_votes and minimum_share are ignored."),
        "Interpretation: the man who gives way is the lowest-voted winner, of any party.",
        ("Interpretation: `minimum` is the wider (governorate or national) minimum; with "
        "`women_elsewhere` women already seated, no replacement happens once it is met. "
        "Chatham House's governorate top-up beyond one woman per district is left to the "
        "caller, which sees all districts."),
        "Candidates with no votes neither win nor replace (as in the sntv method).",
        "women_seats_required gives {}: no list owes a seat under this rule.",
    ),
)(apply_district)
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
        ("Sourced: at least 25 % of each governorate's general seats; a list's share is "
        "floor(list seats / 4); if the governorate is still short, list seats / 3; "
        "male winners are replaced by women of the same list; Nineveh's last quota seat "
        "went to Badr over al-Hasm (2 seats each) on Badr's larger total vote."),
        ("Interpretation: stage 1 applies to every list whether or not the governorate is "
        "short; women elected on their own votes count toward it."),
        ("Interpretation: in stage 2 a list may be asked while its women are fewer than "
        "s/3 (second_stage='ceil(s/3)'); floor(s/3) would exempt 2-seat lists, "
        "contradicting the Nineveh report. Lists are asked in rounds, one woman each, in "
        "order of list seats then total list votes."),
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
    people = checked_candidates(candidates)
    label = text(district, "district", "district")
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
