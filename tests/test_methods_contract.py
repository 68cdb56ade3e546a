"""One contract suite over every registered allocation method (hypothesis)."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from muhasasa import METHODS, allocate
from muhasasa.methods.highest_averages import DivisorSequence

LIST_METHODS = sorted(m for m, spec in METHODS.items() if spec.unit == "list")
DIVISOR_METHODS = sorted(m for m, spec in METHODS.items() if spec.family == "divisor")

party_names = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZابتثجح", min_size=1, max_size=4)
vote_tables = st.dictionaries(party_names, st.integers(0, 2_000_000), min_size=1, max_size=9)
seat_counts = st.integers(0, 60)


def run(votes, n, method, **kw):
    return allocate(votes, n, method=method, tie_break="lot", seed=7, **kw)


def test_every_method_is_registered_with_title_and_reference():
    assert {"largest-remainder", "dhondt", "sainte-lague", "sainte-lague-modified", "sntv"} <= set(METHODS)
    for spec in METHODS.values():
        assert spec.title and spec.reference and spec.family in {"divisor", "quota", "plurality"}


@pytest.mark.parametrize("method", LIST_METHODS)
@given(votes=vote_tables, n=seat_counts)
@settings(max_examples=60, deadline=None)
def test_exactly_n_seats_no_party_invented_or_dropped(method, votes, n):
    assume(any(votes.values()))
    result = run(votes, n, method)
    assert sum(result.seats.values()) == n
    assert list(result.seats) == list(votes)
    assert len(result.awards) == n


@pytest.mark.parametrize("method", LIST_METHODS + ["sntv"])
@given(votes=vote_tables, n=st.integers(0, 4))
@settings(max_examples=60, deadline=None)
def test_zero_votes_zero_seats(method, votes, n):
    assume(sum(1 for v in votes.values() if v) >= n)
    result = run(votes, n, method)
    assert all(result.seats[p] == 0 for p, v in votes.items() if v == 0)


@given(votes=vote_tables, n=st.integers(1, 60))
@settings(max_examples=150, deadline=None)
def test_hare_largest_remainder_respects_quota_bounds(votes, n):
    total = sum(votes.values())
    assume(total > 0)
    result = run(votes, n, "largest-remainder", quota="hare")
    for party, v in votes.items():
        share = Fraction(v * n, total)
        assert math.floor(share) <= result.seats[party] <= math.ceil(share)


def reference_divisor_seats(votes, n, sequence: DivisorSequence):
    """Brute force: every quotient as a Fraction, the n largest win (no ties assumed)."""
    quotients = sorted(
        ((Fraction(v) / sequence.divisor(k), p) for p, v in votes.items() if v for k in range(n)),
        reverse=True,
    )
    if len(quotients) > n:
        assume(quotients[n - 1][0] != quotients[n][0])
    seats = dict.fromkeys(votes, 0)
    for _, party in quotients[:n]:
        seats[party] += 1
    return seats


SEQUENCES = {
    "dhondt": ({}, DivisorSequence((Fraction(1),), Fraction(1))),
    "sainte-lague": ({}, DivisorSequence((Fraction(1),), Fraction(2))),
    "sainte-lague-modified": (
        {"first_divisor": "1.7"},
        DivisorSequence((Fraction(17, 10), Fraction(3)), Fraction(2)),
    ),
    "highest-averages": ({"divisors": "1.4,3,5"}, DivisorSequence.parse("1.4,3,5")),
}


@pytest.mark.parametrize("method", sorted(SEQUENCES))
@given(votes=vote_tables, n=st.integers(0, 40))
@settings(max_examples=120, deadline=None)
def test_divisor_methods_equal_brute_force_with_fractions(method, votes, n):
    assume(any(votes.values()))
    params, sequence = SEQUENCES[method]
    expected = reference_divisor_seats(votes, n, sequence)
    result = allocate(votes, n, method=method, **params)
    assert dict(result.seats) == expected
    if result.best_loser is not None and result.last_award is not None:
        assert result.last_award.value >= result.best_loser.value


@pytest.mark.parametrize("method", DIVISOR_METHODS)
@given(votes=vote_tables, n=st.integers(0, 40))
@settings(max_examples=80, deadline=None)
def test_divisor_methods_are_house_monotone(method, votes, n):
    assume(any(votes.values()))
    params = SEQUENCES[method][0]
    smaller = allocate(votes, n, method=method, tie_break="lot", seed=1, **params)
    larger = allocate(votes, n + 1, method=method, tie_break="lot", seed=1, **params)
    assume(not smaller.ties and not larger.ties)
    assert all(larger.seats[p] >= smaller.seats[p] for p in votes)


@pytest.mark.parametrize("method", LIST_METHODS + ["sntv"])
@given(votes=vote_tables, n=st.integers(0, 8), data=st.data())
@settings(max_examples=60, deadline=None)
def test_relabelling_parties_permutes_the_result(method, votes, n, data):
    assume(sum(1 for v in votes.values() if v) >= (n if method == "sntv" else 1))
    result = run(votes, n, method)
    assume(not result.ties)
    names = list(votes)
    shuffled = data.draw(st.permutations(names))
    rename = {old: f"x{new}" for old, new in zip(names, shuffled)}
    relabelled = run({rename[p]: votes[p] for p in reversed(names)}, n, method)
    assert {rename[p]: s for p, s in result.seats.items()} == dict(relabelled.seats)


@pytest.mark.parametrize("method", LIST_METHODS)
def test_a_tie_for_the_last_seat_is_refused_by_default_and_names_the_lists(method):
    from muhasasa import TieError

    with pytest.raises(TieError, match="Alif, Ba"):
        allocate({"Ba": 3000, "Alif": 3000}, 1, method=method)


@pytest.mark.parametrize("method", LIST_METHODS)
def test_a_lot_is_reproducible_from_its_seed_and_recorded(method):
    first = allocate({"Ba": 3000, "Alif": 3000}, 1, method=method, tie_break="lot", seed=11)
    again = allocate({"Alif": 3000, "Ba": 3000}, 1, method=method, tie_break="lot", seed=11)
    assert dict(first.seats) == {"Ba": again.seats["Ba"], "Alif": again.seats["Alif"]}
    assert first.ties[0].seed == 11 and set(first.ties[0].contenders) == {"Alif", "Ba"}


def test_exactness_where_floats_would_tie():
    # 17k / 1.7 equals 30k / 3 exactly: a true tie, found by exact comparison.
    from muhasasa import TieError

    with pytest.raises(TieError):
        allocate({"A": 17_000_000_000_000_017, "B": 30_000_000_000_000_030, "C": 1}, 2, first_divisor="1.7")
    # One vote more is a strict win although both quotients round to the same float.
    votes = {"A": 17_000_000_000_000_018, "B": 30_000_000_000_000_030}
    assert float(Fraction(votes["A"]) / Fraction("1.7")) == float(Fraction(votes["B"], 3))
    result = allocate(votes, 2, first_divisor="1.7")
    assert dict(result.seats) == {"A": 1, "B": 1} and not result.ties
