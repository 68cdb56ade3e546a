"""Exact power indices of voting games, registered by id, with their cost bounded.

Every index is counted exactly, on interchangeable player types, by the cheapest of
several engines; the cost of each is estimated from the game before it starts, and a
game whose every engine would exceed :data:`MAX_SECONDS` or :data:`MAX_BYTES` is
refused with an :class:`~muhasasa.errors.InputError` that names the limit.

Weighted games (no community requirement); weights and quota are first divided by
their greatest common divisor, and a game above half the house is counted on its dual
(quota ``W - q + 1``: the swings of a player are the complements of its swings there),
so the tables stop at ``L = min(q, W - q + 1)``:

- **Packed generating functions** (Banzhaf, Coleman; Shapley–Shubik on small games):
  ``Π (1 + y·x^w)`` times ``1/(1 − x)`` (prefix sums) kept in Python integers packed side
  by side (Kronecker substitution); a player's swings are the alternating window sums
  ``Σ_j (−1)^j [P(L−1−j·w) − P(L−1−(j+1)·w)]`` (division by its own factor).
- **Modular size-by-weight table** (Shapley–Shubik on large games): the same prefix
  table by (size, weight), counted with numpy in ``uint64`` modulo ``2^64`` and a few
  primes below ``2^50`` (additions only, reduced lazily), rebuilt exactly by the Chinese
  remainder theorem. Row ``k`` starts at the least weight of ``k`` players, so the table
  is built in about ``n²·L/3`` additions.
- **Split by the lightest critical weight** (Deegan–Packel, Holler, Johnston): in a
  weighted game a member of a winning coalition ``S`` is critical exactly when its weight
  exceeds ``w(S) − q``, so the critical members are the heavy ones. For each split of
  the weights into heavy and light, coalitions are counted by (weight, heavy size) from
  prefix and suffix products, never one by one.
- **Enumeration of type-count vectors** (any game, with its multiplicity ``Π C(m_t, c_t)``):
  for community requirements and for few players with huge weights.

Community requirements are counted by inclusion–exclusion over the communities a
coalition avoids (one seat of each) or by a dynamic programme over (weight, community
seats capped at the requirement).

References: Banzhaf (1965); Shapley & Shubik (1954); Deegan & Packel (1978);
Holler (1982); Johnston (1978); Coleman (1971); Brams & Affuso (1976) and
Bilbao et al. (2000) for generating functions; Uno (2012) for removing one player.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from muhasasa.errors import InputError
from muhasasa.exact import shown
from muhasasa.parliament.games import CommunityRequirement, VotingGame, weighted_game
from muhasasa.parliament.power.cost import (
    MAX_BYTES,
    MAX_SECONDS,
    Estimate,
    plan,
    planned,
)
from muhasasa.parliament.power.enumeration import enumerate_patterns
from muhasasa.parliament.power.generating import split_counts, weighted_counts
from muhasasa.parliament.power.requirement import covering_counts, requirement_counts
from muhasasa.parliament.power.shape import Counts, Minimal, Progress, shape_of
from muhasasa.registry import Registry

__all__ = [
    "INDICES",
    "MAX_BYTES",
    "MAX_SECONDS",
    "MAX_WEIGHT",
    "Estimate",
    "PowerIndex",
    "estimate",
    "get_index",
    "index_of",
    "power_index",
    "power_indices",
]


@dataclass(frozen=True)
class PowerIndex:
    """A power index registered under a stable id.

    ``counts`` names what it is counted from: ``"swings"`` (Banzhaf, Coleman),
    ``"pivots"`` (swings by coalition size: Shapley–Shubik) or ``"minimal"``
    (minimal winning or vulnerable coalitions: Deegan–Packel, Holler, Johnston).
    """

    id: str
    title: str
    reference: str
    counts: str
    compute: Callable[..., dict[str, Fraction]]


INDICES: Registry[PowerIndex] = Registry("power index", PowerIndex, function="compute", field="index")


def get_index(index_id: str) -> PowerIndex:
    """The registered index with this id, or an error suggesting close ids (field ``index``)."""
    return INDICES[index_id]


def power_index(
    weights: Mapping[str, int],
    quota: int,
    index: str = "banzhaf",
    *,
    quorum: int | None = None,
    requirement: CommunityRequirement | None = None,
    community_seats: Mapping[str, Mapping[str, int]] | None = None,
    progress: Progress = None,
) -> dict[str, Fraction]:
    """Exact power of each player in the weighted game ``[quota; weights]``.

    ``progress``, if given, is called with the fraction of the work done (0 to 1) while
    a long count runs; it may raise to stop the computation.

    >>> power_index({"A": 3, "B": 2, "C": 1, "D": 1}, 4, index="banzhaf")
    {'A': Fraction(1, 2), 'B': Fraction(1, 6), 'C': Fraction(1, 6), 'D': Fraction(1, 6)}
    >>> power_index({"A": 3, "B": 2, "C": 1, "D": 1}, 4, index="shapley-shubik")
    {'A': Fraction(1, 2), 'B': Fraction(1, 6), 'C': Fraction(1, 6), 'D': Fraction(1, 6)}
    """
    chosen = get_index(index)
    _bounded(weights, quota, quorum)
    game = weighted_game(
        weights, quota, quorum=quorum, requirement=requirement, community_seats=community_seats
    )
    return index_of(game, chosen.id, progress=progress)


MAX_WEIGHT = 10**100  #: weights, quotas and quorums must lie below this (seats or votes, with room)


def _bounded(weights: object, quota: object, quorum: object) -> None:
    """Refuse, before any work, numbers no game of seats or votes needs (and that no
    message could print): weights, quota or quorum of :data:`MAX_WEIGHT` or more."""
    if quota is None:
        raise InputError("quota", "give the quota: a whole number of seats", field="quota")
    for name, value in (("quota", quota), ("quorum", quorum)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise InputError(name, f"the {name} must be a whole number of seats (an int), got {shown(value)}",
                             field=name)
        if isinstance(value, int) and abs(value) >= MAX_WEIGHT:
            raise InputError(name, f"the {name} is {shown(value)}, above the limit of 10^100", field=name)
    if isinstance(weights, Mapping):
        for player, w in weights.items():
            if isinstance(w, int) and abs(w) >= MAX_WEIGHT:
                raise InputError("weights", f"the weight of {shown(player)} is {shown(w)}, above the limit "
                                 "of 10^100", field="weights")


def estimate(game: VotingGame, index: str) -> Estimate:
    """The engine that would count ``index`` on ``game``, and its estimated cost.

    >>> estimate(weighted_game({"A": 10**12, "B": 10**12 - 1, "C": 2}, 10**12 + 1), "banzhaf").engine
    'enumeration'
    """
    return plan(game, get_index(index).counts)


def index_of(game: VotingGame, index: str, *, progress: Progress = None) -> dict[str, Fraction]:
    """A registered index of an already built game (its cost checked first)."""
    chosen = get_index(index)
    planned(game, chosen.counts)
    return chosen.compute(game, progress=progress)


def power_indices(
    game: VotingGame, indices: Sequence[str], *, progress: Progress = None
) -> dict[str, dict[str, Fraction]]:
    """Several indices of one game, sharing their counts: ``{index: {player: value}}``.

    >>> game = weighted_game({"A": 3, "B": 2, "C": 1, "D": 1}, 4)
    >>> power_indices(game, ["banzhaf-absolute", "holler"])["holler"]  # MWC: AB, AC, AD, BCD
    {'A': Fraction(1, 3), 'B': Fraction(2, 9), 'C': Fraction(2, 9), 'D': Fraction(2, 9)}
    """
    if isinstance(indices, str) or not isinstance(indices, Sequence):
        raise InputError("index", "give the indices as a list of ids", field="index")
    chosen = [get_index(i) for i in dict.fromkeys(indices)]
    if not chosen:
        raise InputError("index", "name at least one power index", field="index")
    for kind in dict.fromkeys(c.counts for c in chosen):
        planned(game, kind)
    cache: dict = {}
    out = {}
    for k, c in enumerate(chosen):
        out[c.id] = c.compute(game, progress=scaled(progress, k / len(chosen), 1 / len(chosen)),
                              _cache=cache)
    return out


# --------------------------------------------------------------------------- estimates

def scaled(progress: Progress, start: float, span: float) -> Progress:
    if progress is None:
        return None
    return lambda f: progress(start + span * min(max(f, 0.0), 1.0))



def swing_counts(game: VotingGame, *, with_sizes: bool = False, progress: Progress = None,
                  _cache: dict | None = None) -> Counts:
    key = ("pivots" if with_sizes else "swings", id(game))
    if _cache is not None and key in _cache:
        return _cache[key]
    if _cache is not None and not with_sizes and ("pivots", id(game)) in _cache:
        return _cache[("pivots", id(game))]
    engine = plan(game, "pivots" if with_sizes else "swings").engine
    if engine == "enumeration":
        t = enumerate_patterns(game, progress)
        c = Counts(t.n, tuple(t.swings), tuple(t.pivots), t.winning)
    elif engine == "covering":
        c = covering_counts(game, with_sizes=with_sizes, progress=progress)
    elif engine == "capped":
        c = requirement_counts(game, with_sizes=with_sizes, progress=progress)
    else:
        c = weighted_counts(game, engine, progress)
    if _cache is not None:
        _cache[key] = c
    return c


def minimal_counts(game: VotingGame, progress: Progress = None, _cache: dict | None = None) -> Minimal:
    key = ("minimal", id(game))
    if _cache is not None and key in _cache:
        return _cache[key]
    if plan(game, "minimal").engine == "split":
        result = split_counts(shape_of(game), progress)
    else:
        t = enumerate_patterns(game, progress)
        result = Minimal(
            [c // m.count for c, m in zip(t.minimal_member, game.types())],
            [d / m.count for d, m in zip(t.deegan, game.types())],
            [j / m.count for j, m in zip(t.johnston, game.types())],
            t.minimal, t.vulnerable,
        )
    if _cache is not None:
        _cache[key] = result
    return result


def _per_player(game: VotingGame, per_type) -> dict[str, Fraction]:
    out: dict[str, Fraction] = {}
    for t, value in zip(game.types(), per_type):
        for p in t.players:
            out[p] = Fraction(value)
    return {p: out[p] for p in game.weights}


def _normalised(values: dict[str, Fraction], what: str) -> dict[str, Fraction]:
    total = sum(values.values())
    if total == 0:
        raise InputError("game", f"no player has any {what}: the index is undefined", field="weights")
    return {p: v / total for p, v in values.items()}


@INDICES.register("banzhaf", title="Banzhaf index (normalised)", counts="swings",
                  reference="J. F. Banzhaf, Rutgers Law Review 19 (1965)")
def banzhaf(game: VotingGame, *, progress: Progress = None, _cache: dict | None = None) -> dict[str, Fraction]:
    c = swing_counts(game, progress=progress, _cache=_cache)
    return _normalised(_per_player(game, c.swings), "swing")


@INDICES.register("banzhaf-absolute", title="Banzhaf index (absolute: swings / 2^(n-1))", counts="swings",
                  reference="J. S. Coleman (1971); P. Dubey and L. S. Shapley, Math. Oper. Res. 4 (1979)")
def banzhaf_absolute(game: VotingGame, *, progress: Progress = None, _cache: dict | None = None) -> dict[str, Fraction]:
    c = swing_counts(game, progress=progress, _cache=_cache)
    return _per_player(game, [Fraction(s, 2 ** (c.n - 1)) for s in c.swings])


@INDICES.register("shapley-shubik", title="Shapley–Shubik index", counts="pivots",
                  reference="L. S. Shapley and M. Shubik, Am. Political Science Review 48 (1954)")
def shapley_shubik(game: VotingGame, *, progress: Progress = None, _cache: dict | None = None) -> dict[str, Fraction]:
    c = swing_counts(game, with_sizes=True, progress=progress, _cache=_cache)
    return _per_player(game, c.pivots)


@INDICES.register("deegan-packel", title="Deegan–Packel index", counts="minimal",
                  reference="J. Deegan and E. W. Packel, Int. J. Game Theory 7 (1978)")
def deegan_packel(game: VotingGame, *, progress: Progress = None, _cache: dict | None = None) -> dict[str, Fraction]:
    t = minimal_counts(game, progress, _cache)
    return _per_player(game, [d / t.minimal for d in t.deegan])


@INDICES.register("holler", title="Holler public good index", counts="minimal",
                  reference="M. J. Holler, Political Studies 30 (1982)")
def holler(game: VotingGame, *, progress: Progress = None, _cache: dict | None = None) -> dict[str, Fraction]:
    t = minimal_counts(game, progress, _cache)
    return _normalised(_per_player(game, t.holler), "membership in a minimal winning coalition")


@INDICES.register("johnston", title="Johnston index", counts="minimal",
                  reference="R. J. Johnston, Environment and Planning A 10 (1978)")
def johnston(game: VotingGame, *, progress: Progress = None, _cache: dict | None = None) -> dict[str, Fraction]:
    t = minimal_counts(game, progress, _cache)
    return _per_player(game, [j / t.vulnerable for j in t.johnston])


@INDICES.register("coleman-prevent", title="Coleman power to prevent action (swings / winning coalitions)",
                  counts="swings", reference="J. S. Coleman, in Social Choice, ed. Lieberman (1971)")
def coleman_prevent(game: VotingGame, *, progress: Progress = None, _cache: dict | None = None) -> dict[str, Fraction]:
    c = swing_counts(game, progress=progress, _cache=_cache)
    return _per_player(game, [Fraction(s, c.winning) for s in c.swings])


@INDICES.register("coleman-initiate", title="Coleman power to initiate action (swings / losing coalitions)",
                  counts="swings", reference="J. S. Coleman, in Social Choice, ed. Lieberman (1971)")
def coleman_initiate(game: VotingGame, *, progress: Progress = None, _cache: dict | None = None) -> dict[str, Fraction]:
    c = swing_counts(game, progress=progress, _cache=_cache)
    losing = 2 ** c.n - c.winning
    return _per_player(game, [Fraction(s, losing) for s in c.swings])


@INDICES.register("coleman-collective", title="Coleman power of the collectivity to act (winning / all "
                  "coalitions; one value, given to every player)", counts="swings",
                  reference="J. S. Coleman, in Social Choice, ed. Lieberman (1971)")
def coleman_collective(game: VotingGame, *, progress: Progress = None, _cache: dict | None = None) -> dict[str, Fraction]:
    c = swing_counts(game, progress=progress, _cache=_cache)
    value = Fraction(c.winning, 2 ** c.n)
    return {p: value for p in game.weights}
