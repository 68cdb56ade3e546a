"""The vectorized path equals the exact path on every draw (hypothesis)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from muhasasa import InputError, TieError, allocate
from muhasasa.methods import get_method, kernels
from muhasasa.methods.batch import allocate_batch

METHODS = [
    ("sainte-lague-modified", {"first_divisor": "1.7"}),
    ("sainte-lague-modified", {"first_divisor": "1.4"}),
    ("sainte-lague", {}),
    ("dhondt", {}),
    ("highest-averages", {"divisors": "1.6,3,5"}),
    ("largest-remainder", {"quota": "hare"}),
    ("largest-remainder", {"quota": "droop"}),
]


CASES = [  # every registered batch algorithm of every method above (tests run both paths)
    (method, params, algorithm)
    for method, params in METHODS
    for algorithm in get_method(method).arithmetic(get_method(method).resolve_params(params)).algorithms
]
IDS = [f"{m}{p}-{a}" for m, p, a in CASES]


def exact(votes, seats, method, params, **kw):
    out = np.zeros_like(votes)
    for d in range(votes.shape[0]):
        for k in range(votes.shape[1]):
            names = {f"{i}": int(v) for i, v in enumerate(votes[d, k])}
            r = allocate(names, int(seats[k]), method=method, **kw, **params)
            out[d, k] = [r.seats[f"{i}"] for i in range(votes.shape[2])]
    return out


@pytest.mark.parametrize(("method", "params", "algorithm"), CASES, ids=IDS)
@given(
    data=st.data(),
    shape=st.tuples(st.integers(1, 4), st.integers(1, 3), st.integers(1, 12)),
    scale=st.sampled_from([10, 1000, 2_000_000]),
    repeated=st.booleans(),
)
@settings(max_examples=60, deadline=None)
def test_batch_equals_exact_on_every_draw(method, params, algorithm, data, shape, scale, repeated):
    values = st.sampled_from([0, scale // 3, scale // 2, scale]) if repeated else st.integers(0, scale)
    votes = data.draw(arrays(np.int64, shape, elements=values))  # repeated values: ties at the cut
    seats = data.draw(arrays(np.int64, (shape[1],), elements=st.integers(0, 30)))
    seed = data.draw(st.integers(0, 2**32))
    try:
        expected = exact(votes, seats, method, params, tie_break="lot", seed=seed)
    except InputError:
        with pytest.raises(InputError):
            allocate_batch(votes, seats, method=method, tie_break="lot", seed=seed, algorithm=algorithm, **params)
        return
    got = allocate_batch(votes, seats, method=method, tie_break="lot", seed=seed, algorithm=algorithm, **params)
    assert np.array_equal(got, expected)


def draw_votes(kind: str, rng: np.random.Generator, shape: tuple[int, int, int]) -> np.ndarray:
    """The benchmark's vote distributions, small."""
    if kind == "uniform":
        return rng.integers(5_000, 2_000_001, size=shape)
    if kind == "lognormal":
        return np.rint(rng.lognormal(11.0, 1.5, size=shape)).astype(np.int64) + 1
    if kind == "dominant":
        return rng.multinomial(400_000, rng.dirichlet([30.0] + [1.0] * (shape[2] - 1)), size=shape[:2])
    if kind == "dirichlet":
        return rng.multinomial(400_000, rng.dirichlet(np.ones(shape[2])), size=shape[:2])
    common = rng.integers(20_000, 60_000, size=(*shape[:2], 1))  # "equal": ties at the cut
    return np.where(rng.random(shape) < 0.8, common, rng.integers(5_000, 200_000, size=shape))


SEATS_2025 = np.array([69, 31, 25, 19, 17, 18, 15, 15, 14, 12, 12, 12, 11, 11, 10, 11, 11, 7])


@pytest.mark.parametrize("algorithm", kernels.DIVISOR_ALGORITHMS)
@pytest.mark.parametrize("kind", ["uniform", "lognormal", "dirichlet", "dominant", "equal"])
def test_every_distribution_matches_the_exact_path(kind, algorithm):
    votes = draw_votes(kind, np.random.default_rng(7), (12, 18, 25)).astype(np.int64)
    got = allocate_batch(votes, SEATS_2025, first_divisor="1.7", tie_break="lot", seed=11, algorithm=algorithm)
    assert np.array_equal(got, exact(votes, SEATS_2025, "sainte-lague-modified", {"first_divisor": "1.7"},
                                     tie_break="lot", seed=11))


def test_the_compiled_kernel_is_offered_when_numba_is_installed():
    rule = get_method("sainte-lague-modified").arithmetic({"first_divisor": "1.7"})
    assert rule.algorithms[-1] == "numpy"
    assert ("numba" in rule.algorithms) == kernels.COMPILED
    long = get_method("highest-averages").arithmetic({"divisors": "1,2,3,4,5,6"})
    assert long.algorithms == ("numpy",)  # more leading divisors than the compiled table


def test_an_unknown_algorithm_is_refused_naming_the_field():
    with pytest.raises(InputError) as caught:
        allocate_batch(np.ones((1, 1, 2), dtype=np.int64), np.array([1]), method="dhondt", algorithm="gpu")
    assert caught.value.field == "algorithm"


def test_the_lot_is_drawn_over_names_sorted_as_text():
    ranks, perms = kernels.lot_tables(12, __import__("muhasasa").methods.TieRule("lot", 3))
    assert [int(i) for i in np.argsort(ranks)] == sorted(range(12), key=str)  # 0, 1, 10, 11, 2, ...
    assert sorted(perms[5, :5].tolist()) == list(range(5))


@pytest.mark.parametrize("algorithm", kernels.DIVISOR_ALGORITHMS)
def test_ties_are_refused_by_default_and_never_settled_silently(algorithm):
    votes = np.array([[[3000, 3000, 100]]])
    with pytest.raises(TieError):
        allocate_batch(votes, np.array([1]), method="dhondt", algorithm=algorithm)
    settled = allocate_batch(votes, np.array([1]), method="dhondt", tie_break="lot", seed=2, algorithm=algorithm)
    assert settled.sum() == 1 and settled[0, 0, 2] == 0


def test_realistic_elections_match_the_exact_path():
    rng = np.random.default_rng(0)
    seats = np.array([69, 31, 25, 19, 17, 18, 15, 15, 14, 12, 12, 12, 11, 11, 10, 11, 11, 7])
    votes = rng.multinomial(400_000, rng.dirichlet(np.ones(25)), size=(30, 18)).astype(np.int64)
    got = allocate_batch(votes, seats, first_divisor="1.7", tie_break="lot", seed=0)
    assert np.array_equal(got, exact(votes, seats, "sainte-lague-modified", {"first_divisor": "1.7"},
                                     tie_break="lot", seed=0))
    assert (got.sum(axis=2) == seats).all()


@pytest.mark.parametrize(
    ("votes", "seats", "message"),
    [
        (np.zeros((2, 3)), np.array([1, 1]), "shape"),
        (np.ones((1, 2, 3), dtype=np.int64), np.array([1]), "shape"),
        (-np.ones((1, 1, 3), dtype=np.int64), np.array([1]), "negative"),
        (np.ones((1, 1, 3)), np.array([1]), "integer"),
    ],
)
def test_bad_arrays_are_refused(votes, seats, message):
    with pytest.raises(InputError, match=message):
        allocate_batch(votes, seats)


# ---------------------------------------------------------------- the compiled fast path's edges

DIVISOR_METHODS = [(m, p) for m, p in METHODS if m != "largest-remainder"] + [
    ("highest-averages", {"divisors": "0.5,1.5,2,3.5"}),  # four leading divisors: the kernel's full table
]


@pytest.mark.parametrize(("method", "params"), DIVISOR_METHODS, ids=[f"{m}{p}" for m, p in DIVISOR_METHODS])
@given(
    data=st.data(),
    lists=st.integers(1, 40),  # past one padded block of 32 lists
    common=st.integers(1, 60_000),
    seats=st.integers(0, 70),
)
@settings(max_examples=40, deadline=None)
def test_equal_lists_and_ties_across_divisors_match_the_exact_path(method, params, data, lists, common, seats):
    """Many lists with one vote count (groups that move as one and straddle the last seat),
    and votes in the ratios of the divisors (v/3 = w/5 exactly: ties between lists of
    different sizes, which the fast path must leave to the exact settling)."""
    unit = data.draw(st.integers(1, 2_000))
    pick = st.one_of(st.just(common), st.sampled_from([0, 17 * unit, 30 * unit, 50 * unit, 70 * unit]),
                     st.integers(0, 200_000))
    votes = np.array(data.draw(st.lists(pick, min_size=2 * lists, max_size=2 * lists)), dtype=np.int64)
    votes = votes.reshape(2, 1, lists)
    seed = data.draw(st.integers(0, 2**32))
    for algorithm in get_method(method).arithmetic(get_method(method).resolve_params(params)).algorithms:
        try:
            expected = exact(votes, np.array([seats]), method, params, tie_break="lot", seed=seed)
        except InputError:
            with pytest.raises(InputError):
                allocate_batch(votes, np.array([seats]), method=method, tie_break="lot", seed=seed,
                               algorithm=algorithm, **params)
            continue
        got = allocate_batch(votes, np.array([seats]), method=method, tie_break="lot", seed=seed,
                             algorithm=algorithm, **params)
        assert np.array_equal(got, expected), algorithm


@pytest.mark.parametrize("algorithm", kernels.DIVISOR_ALGORITHMS)
@pytest.mark.parametrize("sign", [1, -1])
def test_quotients_closer_than_the_fast_margin_are_told_apart_exactly(algorithm, sign):
    """A/33 and B/35 (a 17th and an 18th Sainte-Laguë seat) differ by 1/(33·35), about
    2**-45 of their value: inside the fast path's margin, so the contest goes to the exact
    settling, which gives the exact path's seats whichever quotient is larger."""
    a = (2**39 * 7 // 4 // 33) * 33 + sign * pow(35, -1, 33) % 33  # 35·A ≡ sign (mod 33)
    b = (35 * a - sign) // 33
    assert 35 * a - 33 * b == sign and b < 2**40
    gap = abs(Fraction(a, 33) - Fraction(b, 35)) / Fraction(a, 33)
    assert gap < Fraction(1, 2**44)
    votes = np.array([[[a, b, 3, 1]]], dtype=np.int64)
    for seats in range(30, 40):
        got = allocate_batch(votes, np.array([seats]), method="sainte-lague", algorithm=algorithm)
        want = exact(votes, np.array([seats]), "sainte-lague", {})
        assert np.array_equal(got, want), seats


@pytest.mark.parametrize("algorithm", kernels.DIVISOR_ALGORITHMS)
@pytest.mark.parametrize(("value", "message"), [(-1, "negative"), (2**40 + 1, "2\\^40")])
def test_bounds_are_checked_before_work_on_large_batches(algorithm, value, message):
    """A large batch (checked in one compiled pass when the compiled kernel runs) is refused
    for one bad value anywhere, naming the field."""
    votes = np.full((200, 18, 25), 1000, dtype=np.int64)
    votes[123, 7, 19] = value
    with pytest.raises(InputError, match=message) as caught:
        allocate_batch(votes, SEATS_2025, first_divisor="1.7", algorithm=algorithm)
    assert caught.value.field == "votes"
