"""Property tests for the generic steps the Lebanon pack needs: the recomputed quotient
(beyond the registry's contract suite) and the constrained ranked fill."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from muhasasa import InputError, TieError, allocate
from muhasasa.methods.ranked_fill import FILL_RULES, Candidate, ranked_fill

METHOD = "largest-remainder-recomputed"

# ------------------------------------------------------------------ recomputed quotient

vote_tables = st.dictionaries(st.sampled_from("ABCDEFGH"), st.integers(0, 50_000), min_size=1, max_size=8)


@given(votes=vote_tables, n=st.integers(1, 15), residual=st.integers(0, 5_000))
@settings(max_examples=150, deadline=None)
def test_lists_below_the_first_quotient_win_nothing_and_the_rest_share_every_seat(votes, n, residual):
    if not any(votes.values()):
        return
    try:
        result = allocate(votes, n, METHOD, residual_votes=residual, tie_break="lot", seed=3)
    except InputError:  # more seats left than qualified lists: refused, never invented
        return
    first = Fraction(sum(votes.values()) + residual, n)
    reached = {p for p, v in votes.items() if v and v >= first}
    assert result.threshold == first
    if reached:
        assert {p for p, s in result.seats.items() if s} <= reached
        assert set(result.excluded) == {p for p in votes if votes[p] and p not in reached}
    assert sum(result.seats.values()) == n


@given(votes=vote_tables, n=st.integers(1, 15))
@settings(max_examples=100, deadline=None)
def test_without_unitemized_votes_both_recomputations_agree(votes, n):
    if not any(votes.values()):
        return
    outcomes = []
    for recompute in ("deduct-excluded", "qualified-only"):
        try:
            outcomes.append(dict(allocate(votes, n, METHOD, recompute=recompute, tie_break="lot", seed=1).seats))
        except InputError:
            outcomes.append("refused")
    assert outcomes[0] == outcomes[1]


def test_blank_ballots_raise_the_recomputed_quotient_only_when_kept():
    votes = {"A": 5000, "B": 3100, "C": 1900, "D": 400}
    kept = allocate(votes, 5, METHOD, residual_votes=600)
    dropped = allocate(votes, 5, METHOD, residual_votes=600, recompute="qualified-only")
    # first quotient (10,400 + 600) / 5 = 2,200: C and D are excluded
    assert kept.excluded == dropped.excluded == ("C", "D")
    assert kept.quota == Fraction(5000 + 3100 + 600, 5)
    assert dropped.quota == Fraction(5000 + 3100, 5)


def test_equal_remainders_go_to_the_list_with_more_seats_then_to_the_tie_rule():
    # quotient 1000: A 2 whole + 500, B 1 whole + 500, one seat left
    votes = {"A": 2500, "B": 1500}
    more = allocate(votes, 4, METHOD)
    assert dict(more.seats) == {"A": 3, "B": 1} and not more.ties
    with pytest.raises(TieError, match="A, B"):
        allocate(votes, 4, METHOD, tie_order="none")


def test_equal_to_the_quotient_qualifies_at_least_but_not_above():
    votes = {"A": 6000, "B": 2000, "C": 2000}  # quotient 10000 / 5 = 2000
    assert allocate(votes, 5, METHOD).seats["B"] == 1
    assert allocate(votes, 5, METHOD, qualify="above").seats["B"] == 0


# ------------------------------------------------------------------ ranked fill


@st.composite
def contests(draw):
    groups = [(g, d) for g in ("x", "y", "z") for d in ("d1", "d2")]
    seats = {g: draw(st.integers(0, 2)) for g in groups}
    total = sum(seats.values())
    lists = ["L1", "L2", "L3"]
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=2, max_size=2)))
    list_seats = dict(zip(lists, [cuts[0], cuts[1] - cuts[0], total - cuts[1]], strict=True))
    people = []
    for i in range(draw(st.integers(0, 14))):
        g, d = draw(st.sampled_from(groups))
        people.append(Candidate(f"c{i}", draw(st.sampled_from(lists)), g, d, draw(st.integers(0, 2_000))))
    return people, seats, list_seats


@given(contests())
@settings(max_examples=200, deadline=None)
def test_the_fill_respects_every_cap_and_follows_the_ranking(contest):
    people, seats, list_seats = contest
    result = ranked_fill(people, seats, list_seats, tie_break="lot", seed=5)
    by_id = {c.id: c for c in people}
    groups = Counter((by_id[w.candidate].group, by_id[w.candidate].subdistrict) for w in result.winners)
    lists = Counter(w.list for w in result.winners)
    assert all(groups[g] <= seats.get(g, 0) for g in groups)
    assert all(lists[lst] <= list_seats[lst] for lst in lists)
    values = [v for _, v in result.ranking]
    assert values == sorted(values, reverse=True)
    # replay the ranking: each candidate is seated exactly when their group and list have room
    group_left, list_left = dict(seats), dict(list_seats)
    seated = {w.candidate for w in result.winners}
    skipped = {s.candidate: s.reason for s in result.skipped}
    for cid, _ in result.ranking:
        if not any(list_left.values()):
            break
        c = by_id[cid]
        room = group_left.get((c.group, c.subdistrict), 0) > 0 and list_left.get(c.list, 0) > 0
        assert (cid in seated) == room
        if room:
            group_left[(c.group, c.subdistrict)] -= 1
            list_left[c.list] -= 1
        else:
            assert skipped[cid] in ("group full", "list full")
    assert sum(result.empty_lists.values()) == sum(list_seats.values()) - len(seated)


@given(contests())
@settings(max_examples=100, deadline=None)
def test_the_share_divides_by_the_qualified_lists_votes_in_the_subdistrict(contest):
    people, seats, list_seats = contest
    qualified = ["L1", "L2"]
    result = ranked_fill(people, seats, {k: v for k, v in list_seats.items()}, qualified=qualified,
                         tie_break="lot", seed=2) if sum(list_seats.values()) == sum(seats.values()) else None
    if result is None:
        return
    totals = Counter()
    for c in people:
        if c.list in qualified:
            totals[c.subdistrict] += c.votes
    by_id = {c.id: c for c in people}
    assert {cid for cid, _ in result.ranking} == {c.id for c in people if c.list in qualified}
    for cid, value in result.ranking:
        c = by_id[cid]
        assert value == (Fraction(c.votes, totals[c.subdistrict]) if totals[c.subdistrict] else 0)


def test_a_tie_that_changes_who_sits_is_refused_or_settled_by_a_recorded_lot():
    people = [Candidate("a", "L1", "x", "d", 100), Candidate("b", "L1", "x", "d", 100)]
    with pytest.raises(TieError, match="a, b"):
        ranked_fill(people, {("x", "d"): 1}, {"L1": 1})
    result = ranked_fill(people, {("x", "d"): 1}, {"L1": 1}, tie_break="lot", seed=9)
    assert result.ties and result.ties[0].seed == 9 and len(result.winners) == 1


def test_a_tie_that_does_not_matter_is_no_tie():
    people = [Candidate("a", "L1", "x", "d", 100), Candidate("b", "L1", "x", "d", 100)]
    result = ranked_fill(people, {("x", "d"): 2}, {"L1": 2})
    assert not result.ties and {w.candidate for w in result.winners} == {"a", "b"}


def test_the_older_candidate_goes_first_where_birth_dates_are_known():
    people = [Candidate("a", "L1", "x", "d", 100, dt.date(1970, 1, 1)),
              Candidate("b", "L1", "x", "d", 100, dt.date(1960, 1, 1))]
    result = ranked_fill(people, {("x", "d"): 1}, {"L1": 1})
    assert [w.candidate for w in result.winners] == ["b"] and not result.ties
    with pytest.raises(TieError):
        ranked_fill(people, {("x", "d"): 1}, {"L1": 1}, age="none")


def test_a_seat_no_candidate_may_take_is_reported_not_forced():
    people = [Candidate("a", "L1", "x", "d", 100), Candidate("b", "L2", "x", "d", 50)]
    result = ranked_fill(people, {("x", "d"): 1, ("y", "d"): 1}, {"L1": 1, "L2": 1})
    assert [w.candidate for w in result.winners] == ["a"]
    assert result.empty_groups == {("y", "d"): 1} and result.empty_lists == {"L2": 1}


def test_bad_input_is_refused_with_the_field():
    with pytest.raises(InputError, match="listed twice"):
        ranked_fill([Candidate("a", "L1", "x", "d", 1)] * 2, {("x", "d"): 1}, {"L1": 1})
    with pytest.raises(InputError, match="groups"):
        ranked_fill([], {("x", "d"): 2}, {"L1": 1})
    with pytest.raises(InputError, match="parameter"):
        ranked_fill([], {}, {}, colour="red")
    assert set(FILL_RULES) >= {"preferential-share", "votes"}
