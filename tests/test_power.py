"""Every power index against brute-force enumeration, published examples and powerindex."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from muhasasa import InputError, UnknownNameError
from muhasasa.parliament.games import CommunityRequirement, weighted_game
from muhasasa.parliament.power import INDICES, index_of, power_index


def brute_force(game) -> dict[str, dict[str, Fraction]]:
    """Every index from its definition, by enumerating all 2^n coalitions."""
    players = list(game.weights)
    n = len(players)
    subsets = [frozenset(c) for r in range(n + 1) for c in itertools.combinations(players, r)]
    winning = [s for s in subsets if game.wins(s)]
    swings = dict.fromkeys(players, 0)
    ss = dict.fromkeys(players, Fraction(0))
    for s in winning:
        for p in s:
            if not game.wins(s - {p}):
                swings[p] += 1
                ss[p] += Fraction(math.factorial(len(s) - 1) * math.factorial(n - len(s)), math.factorial(n))
    minimal = [s for s in winning if all(not game.wins(s - {p}) for p in s)]
    vulnerable = [s for s in winning if any(not game.wins(s - {p}) for p in s)]
    johnston = dict.fromkeys(players, Fraction(0))
    for s in vulnerable:
        critical = [p for p in s if not game.wins(s - {p})]
        for p in critical:
            johnston[p] += Fraction(1, len(critical))
    in_minimal = {p: sum(1 for s in minimal if p in s) for p in players}
    out = {
        "banzhaf-absolute": {p: Fraction(swings[p], 2 ** (n - 1)) for p in players},
        "shapley-shubik": ss,
        "coleman-prevent": {p: Fraction(swings[p], len(winning)) for p in players},
        "coleman-initiate": {p: Fraction(swings[p], 2**n - len(winning)) for p in players},
        "coleman-collective": {p: Fraction(len(winning), 2**n) for p in players},
        "deegan-packel": {p: sum(Fraction(1, len(s)) for s in minimal if p in s) / len(minimal) for p in players},
        "johnston": {p: johnston[p] / len(vulnerable) for p in players},
    }
    if sum(swings.values()):
        out["banzhaf"] = {p: Fraction(swings[p], sum(swings.values())) for p in players}
        out["holler"] = {p: Fraction(in_minimal[p], sum(in_minimal.values())) for p in players}
    return out


small_games = st.lists(st.integers(0, 9), min_size=1, max_size=7).flatmap(
    lambda ws: st.tuples(st.just(ws), st.integers(sum(ws) // 2 + 1, max(sum(ws), 1)))
).filter(lambda g: sum(g[0]) > 0)


@given(small_games)
@settings(max_examples=250, deadline=None)
def test_every_index_equals_brute_force_on_small_games(game_spec):
    ws, quota = game_spec
    game = weighted_game({f"p{i}": w for i, w in enumerate(ws)}, quota)
    expected = brute_force(game)
    for index in INDICES:
        if index in expected:
            assert index_of(game, index) == expected[index], index


COMMUNITIES = ["Shia Arab", "Sunni Arab", "Kurdish"]


@given(
    st.lists(st.tuples(st.integers(0, 9), st.sampled_from(COMMUNITIES)), min_size=3, max_size=7),
    st.sampled_from([Fraction(0), Fraction(1, 2)]),
)
@settings(max_examples=150, deadline=None)
def test_indices_under_a_consociational_requirement_equal_brute_force(players, share):
    weights = {f"p{i}": w for i, (w, _) in enumerate(players)}
    communities = {f"p{i}": {c: w} for i, (w, c) in enumerate(players)}
    assume(all(any(w for w, c in players if c == name) for name in {c for _, c in players}))
    present = {c for _, c in players}
    requirement = CommunityRequirement(tuple(sorted(present)), share)
    game = weighted_game(weights, sum(weights.values()) // 2 + 1, requirement=requirement,
                         community_seats=communities)
    expected = brute_force(game)
    for index in INDICES:
        if index in expected:
            assert index_of(game, index) == expected[index], index


def test_textbook_example_of_a_weighted_game():
    # [4; 3, 2, 1, 1]: Banzhaf swings 6, 2, 2, 2 (Felsenthal & Machover 1998, ch. 3 style example)
    weights = {"A": 3, "B": 2, "C": 1, "D": 1}
    assert power_index(weights, 4, index="banzhaf-absolute") == {
        "A": Fraction(6, 8), "B": Fraction(2, 8), "C": Fraction(2, 8), "D": Fraction(2, 8)}
    assert power_index(weights, 4, index="shapley-shubik")["A"] == Fraction(1, 2)


def test_un_security_council_shapley_shubik():
    # 5 permanent members (weight 7) + 10 others (weight 1), quota 39: each permanent member
    # has Shapley-Shubik power 421/2145 (Shapley & Shubik 1954; Felsenthal & Machover 1998).
    weights = {**{f"P{i}": 7 for i in range(5)}, **{f"N{i}": 1 for i in range(10)}}
    ss = power_index(weights, 39, index="shapley-shubik")
    assert ss["P0"] == Fraction(421, 2145)
    assert sum(ss.values()) == 1


def test_quorum_game_needs_the_larger_of_quorum_and_threshold():
    game = weighted_game({"A": 175, "B": 154}, 165, quorum=220)
    assert game.quota == 220 and not game.wins({"A"}) and game.blocks({"B"})


@pytest.mark.parametrize(
    ("weights", "quota", "message"),
    [
        ({}, 1, "empty"),
        ({"A": -1, "B": 3}, 2, "negative"),
        ({"A": 2, "B": 3}, 6, "above the 5 seats"),
        ({"A": 2, "B": 3}, 2, "not above half"),
        ({"A": 2.0, "B": 3}, 3, "whole number"),
    ],
)
def test_bad_games_are_refused(weights, quota, message):
    with pytest.raises(InputError, match=message):
        power_index(weights, quota)


def test_unknown_index_suggests():
    with pytest.raises(UnknownNameError, match="did you mean 'banzhaf'"):
        power_index({"A": 2, "B": 1}, 2, index="banzaf")
