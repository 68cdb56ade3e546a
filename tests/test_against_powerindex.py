"""muhasasa's exact power indices beside the PyPI package `powerindex` on large games (dev extra).

powerindex (Kurz-style generating functions in Python) returns normalised Banzhaf and
Shapley–Shubik values as floats; muhasasa returns exact ``Fraction``s. On every game here the
two agree to 1e-12 per player. ``tests/test_power.py`` checks small games against brute force;
this file checks games far too large to enumerate (2^40 to 2^76 coalitions).

powerindex's Shapley–Shubik keeps an n × n × quota table of Python integers, so it is asked
only for random games of at most 40 players, and for the 2021 parliament (76 players, but a
quota of only 165 or 220 seats).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import powerindex as px
import pytest

from muhasasa import packs
from muhasasa.parliament.power import power_index

TOLERANCE = 1e-12

# registered index id -> (powerindex method, attribute it fills in)
POWERINDEX = {
    "banzhaf": ("calc_banzhaf", "banzhaf"),
    "shapley-shubik": ("calc_shapley_shubik", "shapley_shubik"),
}


def powerindex_values(weights: dict[str, int], quota: int, index: str) -> dict[str, float]:
    method, attribute = POWERINDEX[index]
    game = px.Game(quota, weights=list(weights.values()))
    getattr(game, method)()
    return dict(zip(weights, getattr(game, attribute)))


def assert_agree(ours: dict[str, Fraction], theirs: dict[str, float]) -> None:
    assert list(ours) == list(theirs)
    gaps = {p: abs(float(ours[p]) - theirs[p]) for p in ours}
    worst = max(gaps, key=gaps.__getitem__)
    assert gaps[worst] <= TOLERANCE, (
        f"{worst}: muhasasa {ours[worst]} = {float(ours[worst])!r}, "
        f"powerindex {theirs[worst]!r} (gap {gaps[worst]:.3g})"
    )


def random_game(seed: int, players: int, share: str) -> tuple[dict[str, int], int]:
    """Weights 1–50 from a seeded generator; the quota is the least weight above ``share``
    of the total (``"1/2"``: simple majority)."""
    rng = np.random.default_rng(seed)
    weights = {f"P{i:02d}": int(w) for i, w in enumerate(rng.integers(1, 51, size=players))}
    above = Fraction(share) * sum(weights.values())
    quota = above.numerator // above.denominator + 1
    # powerindex slices its table at [quota - w : quota], which fails for a player heavier
    # than the quota (a dictator): keep every game clear of that
    assert max(weights.values()) < quota
    return weights, quota


@pytest.mark.parametrize(
    ("seed", "players", "share"),
    [(1, 40, "1/2"), (2, 40, "2/3"), (3, 50, "1/2"), (4, 50, "2/3"),
     (5, 60, "1/2"), (6, 60, "2/3")],
)  # fmt: skip
def test_banzhaf_agrees_with_powerindex_on_large_random_games(seed, players, share):
    weights, quota = random_game(seed, players, share)
    ours = power_index(weights, quota, index="banzhaf")
    assert sum(ours.values()) == 1
    assert_agree(ours, powerindex_values(weights, quota, "banzhaf"))


@pytest.mark.parametrize(
    ("seed", "players", "share"),
    [(11, 30, "1/2"), (12, 35, "2/3"), (13, 40, "1/2"), (14, 40, "2/3")],
)
def test_shapley_shubik_agrees_with_powerindex_on_random_games(seed, players, share):
    weights, quota = random_game(seed, players, share)
    ours = power_index(weights, quota, index="shapley-shubik")
    assert sum(ours.values()) == 1
    assert_agree(ours, powerindex_values(weights, quota, "shapley-shubik"))


@pytest.fixture(scope="module")
def parliament_2021() -> dict[str, int]:
    """The 2021 Council of Representatives as 76 players: 33 lists by seats, and the list
    "independents" (43 seats) split into 43 independent MPs of weight 1."""
    weights: dict[str, int] = {}
    for result in packs.load().record().election("2021").lists:
        if result.list_id == "independents":
            weights.update({f"independent-{i:02d}": 1 for i in range(1, result.seats + 1)})
        else:
            weights[result.list_id] = result.seats
    assert len(weights) == 76 and sum(weights.values()) == 329
    return weights


@pytest.mark.parametrize("index", list(POWERINDEX))
@pytest.mark.parametrize("quota", [165, 220])  # simple majority; two thirds (president's election)
def test_2021_parliament_agrees_with_powerindex(parliament_2021, quota, index):
    ours = power_index(parliament_2021, quota, index=index)
    assert sum(ours.values()) == 1
    independents = {v for p, v in ours.items() if p.startswith("independent-")}
    assert len(independents) == 1  # interchangeable players get exactly the same power
    assert ours["sadrists"] > ours["taqaddum"] > ours["sol"] > ours["kdp"]
    assert_agree(ours, powerindex_values(parliament_2021, quota, index))
