"""The vectorized path equals the exact path on every draw (hypothesis)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from muhasasa import InputError, TieError, allocate
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


def exact(votes, seats, method, params, **kw):
    out = np.zeros_like(votes)
    for d in range(votes.shape[0]):
        for k in range(votes.shape[1]):
            names = {f"{i}": int(v) for i, v in enumerate(votes[d, k])}
            r = allocate(names, int(seats[k]), method=method, **kw, **params)
            out[d, k] = [r.seats[f"{i}"] for i in range(votes.shape[2])]
    return out


@pytest.mark.parametrize(("method", "params"), METHODS, ids=[f"{m}{p}" for m, p in METHODS])
@given(
    data=st.data(),
    shape=st.tuples(st.integers(1, 4), st.integers(1, 3), st.integers(1, 8)),
    scale=st.sampled_from([10, 1000, 2_000_000]),
)
@settings(max_examples=60, deadline=None)
def test_batch_equals_exact_on_every_draw(method, params, data, shape, scale):
    votes = data.draw(arrays(np.int64, shape, elements=st.integers(0, scale)))
    seats = data.draw(arrays(np.int64, (shape[1],), elements=st.integers(0, 30)))
    try:
        expected = exact(votes, seats, method, params, tie_break="lot", seed=5)
    except InputError:
        with pytest.raises(InputError):
            allocate_batch(votes, seats, method=method, tie_break="lot", seed=5, **params)
        return
    got = allocate_batch(votes, seats, method=method, tie_break="lot", seed=5, **params)
    assert np.array_equal(got, expected)


def test_ties_are_refused_by_default_and_never_settled_silently():
    votes = np.array([[[3000, 3000, 100]]])
    with pytest.raises(TieError):
        allocate_batch(votes, np.array([1]), method="dhondt")
    settled = allocate_batch(votes, np.array([1]), method="dhondt", tie_break="lot", seed=2)
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
