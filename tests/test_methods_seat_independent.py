"""Cost independent of the number of seats, and still exact.

The fast path (λ estimated, corrected, boundary checked exactly) is compared with a
per-seat reference that hands out seats one by one with Fractions; at sizes no
reference can reach (10**20 seats), the result carries its own certificate: every
won quotient is at least every unwon one.
"""

from __future__ import annotations

import heapq
import time
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from muhasasa import METHODS, InputError, TieError, allocate

DIVISORS = [m for m in METHODS.values() if m.family == "divisor"]
DIVISOR_PARAMS = {"sainte-lague-modified": {"first_divisor": "1.7"}, "highest-averages": {"divisors": "1.4,3,5"}}


def rule_of(method_id: str, params: dict[str, str]):
    method = METHODS[method_id]
    return method.rule(method.resolve_params(params))


def per_seat(votes: dict[str, int], n: int, sequence, eligible=None):
    """Seats one by one to the largest exact quotient (Fractions, a heap); returns the
    seats, the order of awards as (value, party), and the boundary tie if any."""
    order = {p: i for i, p in enumerate(votes)}
    standing = [p for p in (eligible or votes) if votes[p]]
    heap = [(-Fraction(votes[p]) / sequence.divisor(0), order[p], p, 0) for p in standing]
    heapq.heapify(heap)
    seats = dict.fromkeys(votes, 0)
    awards = []
    for _ in range(n):
        value, _, party, k = heapq.heappop(heap)
        seats[party] += 1
        awards.append((-value, party))
        heapq.heappush(heap, (-Fraction(votes[party]) / sequence.divisor(k + 1), order[party], party, k + 1))
    tie = bool(heap) and bool(awards) and -heap[0][0] == awards[-1][0]
    return seats, awards, tie


def certificate(result, sequence) -> tuple[Fraction, Fraction]:
    """The smallest won and the largest unwon quotient of a divisor allocation."""
    won = [Fraction(v) / sequence.divisor(result.seats[p] - 1) for p, v in result.votes.items()
           if result.seats[p] and p not in result.excluded]
    unwon = [Fraction(v) / sequence.divisor(result.seats[p]) for p, v in result.votes.items()
             if v and p not in result.excluded]
    return min(won), max(unwon)


votes_strategy = st.one_of(
    st.dictionaries(st.text("ABCDEFGHIJKLMNOP", min_size=1, max_size=3), st.integers(0, 10**7), min_size=1, max_size=12),
    st.dictionaries(st.text("ABCDEFGHIJKLMNOP", min_size=1, max_size=3), st.sampled_from([0, 7, 7000, 7001]),
                    min_size=1, max_size=12),
    st.lists(st.sampled_from([1000, 2000, 3000]), min_size=2, max_size=12).map(
        lambda vs: {f"L{i}": v for i, v in enumerate(vs)}),
)


@pytest.mark.parametrize("method", [m.id for m in DIVISORS])
@given(votes=votes_strategy, n=st.integers(0, 600), threshold=st.sampled_from([None, "4%", "2000"]))
@settings(max_examples=40, deadline=None)
def test_fast_path_equals_the_per_seat_reference(method, votes, n, threshold):
    params = DIVISOR_PARAMS.get(method, {})
    sequence = rule_of(method, params)
    try:
        result = allocate(votes, n, method=method, threshold=threshold, tie_break="lot", seed=3, **params)
    except InputError:
        eligible = [p for p, v in votes.items() if v]
        assert n and (not eligible or threshold)
        return
    eligible = [p for p in votes if p not in result.excluded]
    seats, awards, tie = per_seat(votes, n, sequence, eligible)
    if not tie:
        assert dict(result.seats) == seats and not result.ties
        assert [(a.value, a.party) for a in result.awards] == awards
    else:  # the lot settles who takes the seats at the boundary value
        edge = awards[-1][0]
        event = result.ties[0]
        assert event.value == edge and event.rule == "lot" and event.seed == 3
        sure = {p: s - sum(1 for v, q in awards if q == p and v == edge) for p, s in seats.items()}
        assert {p: result.seats[p] - sure[p] for p in votes if result.seats[p] != sure[p]} == dict.fromkeys(
            event.winners, 1)
    for k in {0, n // 2, n - 1} if n else ():
        assert result.awards[k].value == awards[k][0]


@pytest.mark.parametrize("method", [m.id for m in DIVISORS])
@given(votes=votes_strategy, exponent=st.integers(6, 30))
@settings(max_examples=25, deadline=None)
def test_any_number_of_seats_carries_its_certificate(method, votes, exponent):
    params = DIVISOR_PARAMS.get(method, {})
    n = 10**exponent + exponent
    if not any(votes.values()):
        with pytest.raises(InputError, match="cannot be filled"):
            allocate(votes, n, method=method, **params)
        return
    result = allocate(votes, n, method=method, tie_break="lot", seed=1, **params)
    assert sum(result.seats.values()) == n
    lowest_won, highest_unwon = certificate(result, rule_of(method, params))
    assert lowest_won >= highest_unwon
    assert (lowest_won == highest_unwon) == bool(result.ties)
    assert result.last_award.value == lowest_won == result.awards[-1].value
    assert result.best_loser.value == highest_unwon and result.margin == lowest_won - highest_unwon


@pytest.mark.parametrize("method", [m.id for m in METHODS.values() if m.unit == "list"])
def test_ten_to_the_twenty_seats_answer_at_once(method):
    votes = {"A": 4_123_456, "B": 2_000_001, "C": 999_999, "D": 17, "E": 0}
    n = 10**20
    started = time.perf_counter()
    result = allocate(votes, n, method=method, **DIVISOR_PARAMS.get(method, {}))
    text = result.explain()
    last, first, loser, margin = result.awards[-1], result.awards[0], result.best_loser, result.margin
    assert time.perf_counter() - started < 1.0  # a guard: it takes about a millisecond
    assert sum(result.seats.values()) == n and result.awards.size == n
    assert last == result.last_award and last.seat == n and first.seat == 1
    assert loser.seat == n + 1 and margin is not None and margin >= 0
    assert f"{n} seats" in text and "last seat: seat 100000000000000000000" in text
    with pytest.raises(InputError, match="awards.size"):
        len(result.awards)


def test_a_million_seats_in_milliseconds():
    votes = {f"L{i}": 1000 + 7919 * i for i in range(30)}
    allocate(votes, 10**6)  # warm
    started = time.perf_counter()
    result = allocate(votes, 10**6)
    assert time.perf_counter() - started < 0.01
    assert sum(result.seats.values()) == 10**6


def test_largest_remainder_awards_come_in_blocks_without_listing_seats():
    votes = {"A": 5, "B": 3, "C": 2}
    result = allocate(votes, 10**18 + 1, method="largest-remainder")
    assert result.awards[0].party == "A" and result.awards[0].basis == "full quota"
    assert result.awards[-1].basis == "remainder"
    assert sum(result.seats.values()) == 10**18 + 1
    small = allocate(votes, 4, method="largest-remainder")
    assert [(a.party, a.basis) for a in small.awards] == [
        ("A", "full quota"), ("A", "full quota"), ("B", "full quota"), ("C", "remainder")]
    assert [a.seat for a in small.awards[1:3]] == [2, 3] and small.awards[-4] == small.awards[0]
    with pytest.raises(IndexError):
        small.awards[4]


def test_votes_too_large_for_floats_stay_exact():
    big = 10**400
    votes = {"A": 3 * big, "B": 2 * big, "C": big + 1}
    result = allocate(votes, 10, method="dhondt")
    lowest, highest = certificate(result, rule_of("dhondt", {}))
    assert lowest > highest and sum(result.seats.values()) == 10
    with pytest.raises(TieError):
        allocate({"A": big, "B": big}, 1, method="dhondt")


def test_sntv_refuses_more_seats_than_candidates_before_sorting():
    with pytest.raises(InputError, match="only 2 candidates"):
        allocate({"a": 3, "b": 2, "c": 0}, 10**20, method="sntv")


@pytest.mark.parametrize("method", [m.id for m in DIVISORS])
@given(common=st.integers(1, 60_000), repeat=st.integers(2, 30), unit=st.integers(1, 3_000),
       others=st.lists(st.integers(0, 200_000), max_size=8), n=st.integers(1, 400), data=st.data())
@settings(max_examples=40, deadline=None)
def test_many_equal_lists_and_ties_across_divisors_equal_the_per_seat_reference(
        method, common, repeat, unit, others, n, data):
    """Groups of equal lists (moved together, straddling the last seat) and votes in the
    ratios of the divisors (v/3 = w/5: tied lists of different sizes): the seats and the
    lot's contenders are the per-seat reference's."""
    ratios = data.draw(st.lists(st.sampled_from([17, 30, 50, 70, 90]), max_size=4))
    values = [common] * repeat + others + [r * unit for r in ratios]
    votes = {f"L{i:02d}": v for i, v in enumerate(values)}
    params = DIVISOR_PARAMS.get(method, {})
    sequence = rule_of(method, params)
    result = allocate(votes, n, method=method, tie_break="lot", seed=5, **params)
    seats, awards, tie = per_seat(votes, n, sequence)
    if not tie:
        assert dict(result.seats) == seats and not result.ties
    else:
        edge = awards[-1][0]
        event = result.ties[0]
        at_edge = {p for p, v in votes.items() if v and (
            Fraction(v) / sequence.divisor(seats[p]) == edge
            or (seats[p] and Fraction(v) / sequence.divisor(seats[p] - 1) == edge))}
        assert event.value == edge and set(event.contenders) == at_edge
        sure = {p: s - sum(1 for v, q in awards if q == p and v == edge) for p, s in seats.items()}
        assert event.seats_left == sum(seats.values()) - sum(sure.values())
        assert {p: result.seats[p] - sure[p] for p in votes if result.seats[p] != sure[p]} == dict.fromkeys(
            event.winners, 1)
