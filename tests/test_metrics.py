"""Parliament metrics: hand-checked examples and hypothesis properties."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from muhasasa import InputError, allocate
from muhasasa.parliament import (
    ParliamentMetrics,
    compute_metrics,
    effective_number_of_parties,
    gallagher,
    gallagher_sum_of_squares,
    loosemore_hanby,
    registered_share,
)

# --- worked examples, computed by hand -------------------------------------------------

# votes 50/30/20 %, seats 6/3/1 of 10: differences +10, 0, -10 points.
VOTES = {"A": 50, "B": 30, "C": 20}
SEATS = {"A": 6, "B": 3, "C": 1}


def test_hand_example_every_metric():
    # LH = ½ (0.1 + 0 + 0.1) = 0.1
    assert loosemore_hanby(VOTES, SEATS) == Fraction(1, 10)
    # LSq = sqrt(½ (10² + 0² + 10²)) = 10 points; exact half-sum in shares = 0.01
    assert gallagher_sum_of_squares(VOTES, SEATS) == Fraction(1, 100)
    assert gallagher(VOTES, SEATS) == 10.0
    # ENP by votes = 1 / (.25 + .09 + .04) = 1 / .38 = 50/19; by seats = 1 / .46 = 50/23
    assert effective_number_of_parties(VOTES) == Fraction(50, 19)
    assert effective_number_of_parties(SEATS) == Fraction(50, 23)


def test_laakso_taagepera_textbook_values():
    # n equal parties -> n; one party -> 1; halves and quarters -> 1 / (1/4 + 1/16 + 1/16) = 8/3
    assert effective_number_of_parties({p: 7 for p in "ABCDE"}) == 5
    assert effective_number_of_parties({"A": 99}) == 1
    assert effective_number_of_parties({"A": 2, "B": 1, "C": 1}) == Fraction(8, 3)
    assert effective_number_of_parties(
        {"A": Fraction(1, 2), "B": Fraction(1, 4), "C": Fraction(1, 4)}
    ) == Fraction(8, 3)


def test_two_party_winner_takes_all():
    # 60/40 votes, all seats to A: LH = 0.4; LSq = sqrt(½ (40² + 40²)) = 40
    assert loosemore_hanby({"A": 60, "B": 40}, {"A": 5}) == Fraction(2, 5)
    assert gallagher({"A": 60, "B": 40}, {"A": 5}) == pytest.approx(40.0, rel=1e-15)


def test_new_zealand_2005_party_vote():
    """Wikipedia's worked Gallagher example (NZ 2005, party vote, 121 seats).

    The article's vote percentages are used as counts per 10,000 (they sum to
    99.98 %, so 2 are residual). It prints 1.11, but its column of squared
    differences does not add up to the total it shows (2.4711), and two of its
    seat percentages are misrounded (4/121 = 3.31 %, 1/121 = 0.83 %). From the
    exact seat counts the index is 1.128.
    """
    votes = {
        "Labour": 4110, "National": 3910, "NZ First": 572, "Greens": 530, "Maori": 212,
        "United Future": 267, "ACT": 151, "Progressives": 116, "Destiny": 62,
        "Legalise Cannabis": 25, "Christian Heritage": 12, "Alliance": 7,
        "Family Rights": 5, "Democrats": 5, "Libertarianz": 4, "Direct Democracy": 3,
        "99MP": 3, "OneNZ": 2, "Republicans": 2,
    }  # fmt: skip
    seats = {"Labour": 50, "National": 48, "NZ First": 7, "Greens": 6, "Maori": 4,
             "United Future": 3, "ACT": 2, "Progressives": 1}  # fmt: skip
    assert sum(seats.values()) == 121
    assert round(gallagher(votes, seats, residual_votes=2), 2) == 1.13


def test_residual_votes_count_in_total_but_are_not_a_party():
    # 600/300 itemized + 100 residual of 1000 valid; seats 2/1 of 3.
    votes, seats = {"A": 600, "B": 300}, {"A": 2, "B": 1}
    # shares .6 .3 (+ .1 residual) vs 2/3 1/3: |.6-2/3| + |.3-1/3| = 1/15 + 1/30 = 1/10; + .1 -> /2
    assert loosemore_hanby(votes, seats, residual_votes=100) == Fraction(1, 10)
    # squares (1/15)² + (1/30)² = 1/225 + 1/900 = 5/900 = 1/180, halved = 1/360; residual not squared
    assert gallagher_sum_of_squares(votes, seats, residual_votes=100) == Fraction(1, 360)
    # ENP votes: 1 / (.36 + .09) = 1 / .45 = 20/9 (an upper bound)
    assert effective_number_of_parties(votes, residual=100) == Fraction(20, 9)


def test_loosemore_hanby_residual_term_is_exact_however_it_splits():
    # the residual's lists won no seats, so itemizing it cannot change LH
    seats = {"A": 3, "B": 1}
    lumped = loosemore_hanby({"A": 500, "B": 300}, seats, residual_votes=200)
    itemized = loosemore_hanby({"A": 500, "B": 300, "x": 120, "y": 50, "z": 30}, seats)
    assert lumped == itemized


def test_registered_share():
    shares = registered_share({"A": 2_000_000, "B": 500_000}, 21_000_000)
    assert shares == {"A": Fraction(2, 21), "B": Fraction(1, 42)}
    with pytest.raises(InputError, match="exceed"):
        registered_share({"A": 11}, 10)
    with pytest.raises(InputError, match="positive"):
        registered_share({"A": 0}, 0)


# --- compute_metrics ------------------------------------------------------------------


def test_compute_metrics_complete():
    m = compute_metrics(VOTES, SEATS, registered=200)
    assert isinstance(m, ParliamentMetrics)
    assert m.complete and m.missing_votes == ()
    assert m.loosemore_hanby == Fraction(1, 10)
    assert m.gallagher == 10.0
    assert m.enp_votes == Fraction(50, 19) and m.enp_seats == Fraction(50, 23)
    assert dict(m.registered_share) == {
        "A": Fraction(1, 4),
        "B": Fraction(3, 20),
        "C": Fraction(1, 10),
    }
    assert (m.seats_total, m.votes_total, m.parties_seated) == (10, 100, 3)
    assert "Gallagher index 10.00" in m.explain()


def test_compute_metrics_with_missing_votes_keeps_seat_metrics():
    m = compute_metrics({"A": 50}, SEATS, registered=1000)
    assert m.missing_votes == ("B", "C")
    assert not m.complete
    assert (m.gallagher, m.loosemore_hanby, m.enp_votes) == (None, None, None)
    assert m.enp_seats == Fraction(50, 23)
    assert dict(m.registered_share) == {"A": Fraction(1, 20)}
    assert "no votes for B, C" in m.explain()


def test_zero_seat_parties_without_votes_are_not_missing():
    m = compute_metrics(VOTES, {**SEATS, "D": 0})
    assert m.complete and m.loosemore_hanby == Fraction(1, 10)


def test_compute_metrics_residual():
    m = compute_metrics({"A": 600, "B": 300}, {"A": 2, "B": 1}, residual_votes=100, registered=2000)
    assert m.votes_total == 1000 and m.residual_votes == 100
    assert m.loosemore_hanby == Fraction(1, 10)
    assert "lower bound" in m.explain()
    with pytest.raises(InputError, match="exceed"):
        compute_metrics({"A": 600, "B": 300}, {"A": 2, "B": 1}, residual_votes=100, registered=950)


def test_metrics_are_frozen():
    m = compute_metrics(VOTES, SEATS, registered=200)
    with pytest.raises(AttributeError):
        m.gallagher = 0.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        m.registered_share["A"] = Fraction(0)  # type: ignore[index]


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: gallagher({"A": 1}, {"A": 1, "B": 1}), "no votes given for seat-winning B"),
        (lambda: gallagher({"A": -1}, {"A": 1}), "cannot be negative"),
        (lambda: gallagher({"A": 1.5}, {"A": 1}), "whole number"),
        (lambda: loosemore_hanby({"A": 0}, {"A": 1}), "no votes at all"),
        (lambda: loosemore_hanby({"A": 3}, {"A": 0}), "no seats"),
        (lambda: effective_number_of_parties({"A": 0.5}), "exact Fraction"),
        (lambda: effective_number_of_parties({"A": 0}), "undefined"),
        (lambda: compute_metrics({"A": 1}, {}), "no seats"),
        (lambda: compute_metrics([1, 2], {"A": 1}), "mapping"),
    ],
)
def test_bad_input_is_refused_with_a_located_error(call, match):
    with pytest.raises(InputError, match=match):
        call()


# --- properties -----------------------------------------------------------------------

names = st.text(alphabet="ABCDEFGHابتثج", min_size=1, max_size=3)


@st.composite
def elections(draw):
    """Votes for 1-10 parties and seats among them (at least one seat, winners have votes)."""
    votes = draw(st.dictionaries(names, st.integers(0, 10**7), min_size=1, max_size=10))
    assume(any(votes.values()))
    seats = {p: draw(st.integers(0, 60)) if v else 0 for p, v in votes.items()}
    assume(any(seats.values()))
    residual = draw(st.integers(0, 10**6))
    return votes, seats, residual


@given(elections())
@settings(max_examples=200, deadline=None)
def test_loosemore_hanby_lies_in_0_1_and_bounds_gallagher(election):
    votes, seats, residual = election
    lh = loosemore_hanby(votes, seats, residual_votes=residual)
    assert 0 <= lh <= 1
    lsq = gallagher(votes, seats, residual_votes=residual)
    assert 0 <= lsq <= 100
    # ½ Σ d² ≤ (½ Σ |d|)², so LSq (points) ≤ 100 · LH
    assert lsq <= float(100 * lh) * (1 + 1e-12)


@given(elections())
@settings(max_examples=200, deadline=None)
def test_enp_between_one_and_number_of_parties(election):
    votes, seats, _ = election
    for table in (votes, seats):
        enp = effective_number_of_parties(table)
        assert 1 <= enp <= sum(1 for x in table.values() if x)


@given(
    st.dictionaries(names, st.integers(0, 10**5), min_size=1, max_size=10),
    st.integers(1, 50),
)
@settings(max_examples=200, deadline=None)
def test_identical_shares_mean_zero_disproportionality(votes, k):
    assume(any(votes.values()))
    seats = {p: k * v for p, v in votes.items()}
    assert loosemore_hanby(votes, seats) == 0
    assert gallagher_sum_of_squares(votes, seats) == 0
    assert gallagher(votes, seats) == 0.0
    assert effective_number_of_parties(votes) == effective_number_of_parties(seats)


@given(elections(), st.randoms(use_true_random=False))
@settings(max_examples=200, deadline=None)
def test_relabelling_and_reordering_parties_changes_nothing(election, rnd: random.Random):
    votes, seats, residual = election
    parties = list(votes)
    shuffled = parties[:]
    rnd.shuffle(shuffled)
    rename = {p: f"x{i}" for i, p in enumerate(shuffled)}
    votes2 = {rename[p]: votes[p] for p in shuffled}
    seats2 = {rename[p]: seats[p] for p in reversed(shuffled)}
    a = compute_metrics(votes, seats, residual_votes=residual)
    b = compute_metrics(votes2, seats2, residual_votes=residual)
    assert (a.loosemore_hanby, a.enp_votes, a.enp_seats) == (
        b.loosemore_hanby,
        b.enp_votes,
        b.enp_seats,
    )
    assert math.isclose(a.gallagher, b.gallagher, rel_tol=0, abs_tol=0)


def test_metrics_of_a_real_allocation():
    """The Iraqi rule (first divisor 1.7) on the module example: small lists lose out."""
    votes = {"A": 100000, "B": 80000, "C": 30000, "D": 20000}
    seats = dict(allocate(votes, 8, method="sainte-lague-modified", first_divisor="1.7").seats)
    assert seats == {"A": 4, "B": 3, "C": 1, "D": 0}
    # shares 10/23, 8/23, 3/23, 2/23 vs 1/2, 3/8, 1/8, 0: A is over by 3/46, C by 1/184
    expected_lh = (
        abs(Fraction(10, 23) - Fraction(1, 2))
        + abs(Fraction(8, 23) - Fraction(3, 8))
        + abs(Fraction(3, 23) - Fraction(1, 8))
        + Fraction(2, 23)
    ) / 2
    assert loosemore_hanby(votes, seats) == expected_lh == Fraction(17, 184)
