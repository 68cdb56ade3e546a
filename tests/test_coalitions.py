"""Coalition lists against brute-force enumeration on small parliaments."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from muhasasa import UnknownNameError
from muhasasa.parliament.coalitions import coalitions, mandate
from muhasasa.parliament.games import CommunityRequirement, weighted_game


def brute(game, kind):
    players = list(game.weights)
    subsets = [frozenset(c) for r in range(len(players) + 1) for c in itertools.combinations(players, r)]
    test = game.wins if kind.endswith("winning") else game.blocks
    found = [s for s in subsets if test(s)]
    if kind.startswith("minimal"):
        found = [s for s in found if all(not test(s - {p}) for p in s)]
    return found


def expand(pattern):
    """Concrete coalitions of a pattern."""
    pools = [itertools.combinations(t.players, c) for t, c in pattern.parts]
    return [frozenset(p for group in choice for p in group) for choice in itertools.product(*pools)]


@pytest.mark.parametrize("kind", ["winning", "minimal-winning", "blocking", "minimal-blocking"])
@given(weights=st.lists(st.integers(1, 6), min_size=1, max_size=7), data=st.data())
@settings(max_examples=60, deadline=None)
def test_patterns_equal_brute_force(kind, weights, data):
    total = sum(weights)
    quota = data.draw(st.integers(total // 2 + 1, total))
    game = weighted_game({f"p{i}": w for i, w in enumerate(weights)}, quota)
    patterns = coalitions(game, kind)
    concrete = [c for p in patterns for c in expand(p)]
    assert sum(p.count for p in patterns) == len(concrete)
    assert Counter(concrete) == Counter(brute(game, kind))


def test_connected_coalitions_are_intervals_of_the_order():
    game = weighted_game({"A": 3, "B": 3, "C": 3}, 5)
    found = coalitions(game, "minimal-winning", order=["A", "B", "C"])
    assert sorted(p.players for p in found) == [("A", "B"), ("B", "C")]


def test_requirement_makes_every_community_a_veto():
    game = weighted_game(
        {"shia": 60, "sunni": 25, "kurd": 15}, 51,
        requirement=CommunityRequirement(("Shia Arab", "Sunni Arab", "Kurdish")),
        community_seats={"shia": {"Shia Arab": 60}, "sunni": {"Sunni Arab": 25}, "kurd": {"Kurdish": 15}},
    )
    blocking = coalitions(game, "minimal-blocking")
    assert sorted(p.players for p in blocking) == [("kurd",), ("shia",), ("sunni",)]


def test_must_include_and_min_size():
    game = weighted_game({"A": 4, "B": 3, "C": 2, "D": 1}, 6)
    found = coalitions(game, "winning", must_include=["D"], min_size=8)
    assert found and all("D" in p.players and p.seats >= 8 for p in found)
    with pytest.raises(UnknownNameError):
        coalitions(game, "winning", must_include=["E"])


def test_mandate_shares():
    m = mandate(["A", "B"], {"A": 10, "B": 5, "C": 5}, {"A": 1000, "B": 500, "C": None},
                valid_votes=3000, registered=6000)
    assert m["seat_share"] == pytest.approx(0.75) and m["vote_share"] * 2 == 1
    assert mandate(["C"], {"A": 10, "B": 5, "C": 5}, {"C": None}, valid_votes=3000, registered=6000)["missing_votes"] == ("C",)
