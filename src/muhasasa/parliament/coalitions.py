"""Coalitions of a voting game: winning, minimal winning, blocking, minimal blocking.

Players that are interchangeable (same seats, same community make-up) are
grouped, so a result is a *pattern*: "these players, plus any 24 of these 59
one-seat players", with the number of concrete coalitions it stands for.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from muhasasa.errors import InputError, UnknownNameError
from muhasasa.parliament.games import PlayerType, VotingGame
ENUMERATION_LIMIT = 3_000_000

KINDS = ("winning", "minimal-winning", "blocking", "minimal-blocking")


@dataclass(frozen=True)
class CoalitionPattern:
    """Coalitions made of ``chosen[i]`` players of each type ``i`` of the game.

    ``count`` is how many concrete coalitions the pattern stands for; ``seats``
    and ``surplus`` (seats beyond what the kind needs) are the same for each.
    """

    kind: str
    parts: tuple[tuple[PlayerType, int], ...]
    seats: int
    surplus: int
    count: int
    communities: Mapping[str, int]

    @property
    def players(self) -> tuple[str, ...]:
        """The players, when the pattern is one concrete coalition."""
        return tuple(p for t, c in self.parts for p in t.players[:c])

    @property
    def size(self) -> int:
        return sum(c for _, c in self.parts)

    def describe(self) -> str:
        pieces = []
        for t, c in self.parts:
            if c == t.count:
                pieces.extend(t.players)
            else:
                pieces.append(f"any {c} of {t.count} ({', '.join(t.players[:3])}{', …' if t.count > 3 else ''})")
        return " + ".join(pieces)


def _community_names(game: VotingGame) -> list[str]:
    names: dict[str, None] = {}
    for seats in game.community_seats.values():
        names.update(dict.fromkeys(seats))
    return list(names)


def _winning(game: VotingGame, types: Sequence[PlayerType], counts: Sequence[int]) -> bool:
    weight = sum(t.weight * c for t, c in zip(types, counts))
    if weight < game.quota:
        return False
    need = game.needed_by_community()
    for position, community in enumerate(need):
        held = sum(t.community_seats[position] * c for t, c in zip(types, counts))
        if held < need[community]:
            return False
    return True


def coalitions(
    game: VotingGame,
    kind: str = "minimal-winning",
    *,
    must_include: Iterable[str] = (),
    min_size: int | None = None,
    order: Sequence[str] | None = None,
    player_communities: Mapping[str, Mapping[str, int]] | None = None,
    limit: int | None = None,
) -> tuple[CoalitionPattern, ...]:
    """Coalition patterns of a kind, smallest first.

    ``must_include`` players must be in every coalition; ``min_size`` is a floor
    on seats; with ``order`` (players along a policy dimension, e.g. from
    sectarian to national) only coalitions that are intervals of it are kept
    (Axelrod's connected coalitions), which needs every player on its own.
    ``player_communities`` (player -> seats per community) labels which
    communities a coalition spans.
    """
    if kind not in KINDS:
        raise UnknownNameError("coalition kind", kind, KINDS, source="kind")
    required = set(must_include)
    unknown = required - set(game.weights)
    if unknown:
        raise UnknownNameError("player", sorted(unknown)[0], game.weights, source="must_include")
    types = _split_types(game, required | set(order or ()))
    position = {p: i for i, p in enumerate(order or ())}
    if order is not None:
        missing = set(game.weights) - set(position)
        if missing:
            raise InputError("order", f"the policy order leaves out {', '.join(sorted(missing))}")
    forced = [t.count if set(t.players) & required else 0 for t in types]

    def blocks(counts: Sequence[int]) -> bool:
        return not _winning(game, types, [t.count - c for t, c in zip(types, counts)])

    test = (lambda cs: _winning(game, types, cs)) if kind.endswith("winning") else blocks
    bar = game.quota if kind.endswith("winning") else game.total - game.quota + 1
    minimal = kind.startswith("minimal")
    found: list[CoalitionPattern] = []
    visited = 0
    counts = list(forced)

    def keep() -> None:
        if minimal and any(
            c and test(counts[:i] + [c - 1] + counts[i + 1:]) for i, c in enumerate(counts)
        ):
            return
        seats = sum(t.weight * c for t, c in zip(types, counts))
        if min_size is not None and seats < min_size:
            return
        members = [t.players[0] for t, c in zip(types, counts) if c]
        if order is not None and not _connected(members, position):
            return
        found.append(_pattern(kind, types, counts, seats, seats - bar, player_communities))

    def walk(i: int) -> None:
        nonlocal visited
        visited += 1
        if visited > ENUMERATION_LIMIT:
            raise InputError("game", "too many coalition patterns to list; group players (--by bloc) or add --must-include")
        if i == len(types):
            if test(counts):
                keep()
            return
        if not test(counts[:i] + [t.count for t in types[i:]]):
            return  # even every remaining player cannot make it: prune
        low = forced[i]
        for c in range(low, types[i].count + 1):
            counts[i] = c
            if minimal and test(counts[: i + 1] + [0] * (len(types) - i - 1)):
                keep()  # any further member would be superfluous
                break
            walk(i + 1)
        counts[i] = forced[i]

    walk(0)
    found.sort(key=lambda c: (c.seats, c.size, c.describe()))
    return tuple(found[:limit] if limit else found)


def _split_types(game: VotingGame, singled: set[str]) -> list[PlayerType]:
    """The game's types, with the named players each made a type of their own."""
    out = []
    for t in game.types():
        rest = tuple(p for p in t.players if p not in singled)
        out.extend(PlayerType(t.weight, t.community_seats, (p,)) for p in t.players if p in singled)
        if rest:
            out.append(PlayerType(t.weight, t.community_seats, rest))
    return out


def _connected(members: Sequence[str], position: Mapping[str, int]) -> bool:
    places = sorted(position[p] for p in members)
    return not places or places[-1] - places[0] + 1 == len(places)


def _pattern(kind, types, counts, seats, surplus, player_communities) -> CoalitionPattern:
    communities: dict[str, int] = {}
    if player_communities:
        for t, c in zip(types, counts):
            for p in t.players[:c]:
                for name, n in player_communities.get(p, {}).items():
                    communities[name] = communities.get(name, 0) + n
    parts = tuple((t, c) for t, c in zip(types, counts) if c)
    count = math.prod(math.comb(t.count, c) for t, c in parts)
    return CoalitionPattern(kind, parts, seats, surplus, count, communities)


def mandate(
    coalition: Iterable[str],
    seats: Mapping[str, int],
    votes: Mapping[str, int | None],
    *,
    valid_votes: int | None,
    registered: int | None,
) -> dict[str, object]:
    """A coalition's share of seats, of valid votes and of registered voters.

    Vote shares need every member's votes; where some are unknown the shares are
    ``None`` and ``missing_votes`` names them.
    """
    members = list(coalition)
    unknown = [p for p in members if p not in seats]
    if unknown:
        raise UnknownNameError("list", unknown[0], seats, source="coalition")
    held = sum(seats[p] for p in members)
    missing = [p for p in members if votes.get(p) is None]
    got = sum(votes[p] or 0 for p in members if votes.get(p) is not None)
    return {
        "seats": held,
        "seat_share": Fraction(held, sum(seats.values())),
        "votes": None if missing else got,
        "vote_share": None if missing or not valid_votes else Fraction(got, valid_votes),
        "registered_share": None if missing or not registered else Fraction(got, registered),
        "missing_votes": tuple(missing),
    }
