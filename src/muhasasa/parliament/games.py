"""Constitutional decisions as voting games with a quorum.

A coalition carries a decision when, whatever the others do (vote no or stay
away), the session reaches its quorum and the motion its threshold. The others'
best spoiling move is either to stay away (denying the quorum) or to attend and
vote no (raising the bar of a threshold counted on those present), so a
coalition wins exactly when its seats reach

    quota = max(quorum, threshold at full attendance).

A set of members blocks when the rest cannot win without it: its seats exceed
``total - quota`` (in 2022: 110 absentees of 329 deny the 220 the presidential
session needs). Interchangeable players (same seats, same community make-up)
are grouped into types, so counting stays exact without enumerating 2^n
coalitions.

Consociational requirements (a coalition must include each main community, or
a share of each community's seats) make the game non-weighted; they are kept
as data on the game and honoured by every computation.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from muhasasa.errors import InputError, UnknownNameError
from muhasasa.methods.result import frozen_mapping


@dataclass(frozen=True)
class CommunityRequirement:
    """A coalition must hold, in each named community, at least ``share`` of that
    community's seats (``share`` 0 means: at least one seat of it).

    >>> CommunityRequirement(("Shia Arab", "Kurdish")).needed({"Shia Arab": 180, "Kurdish": 60})
    {'Shia Arab': 1, 'Kurdish': 1}
    >>> CommunityRequirement(("Kurdish",), Fraction(1, 2)).needed({"Kurdish": 61})
    {'Kurdish': 31}
    """

    communities: tuple[str, ...]
    share: Fraction = Fraction(0)

    def __post_init__(self) -> None:
        if not self.communities:
            raise InputError("communities", "name at least one community to require")
        if not 0 <= self.share <= 1:
            raise InputError("communities", f"the required share must lie in [0, 1], got {self.share}")

    def needed(self, community_seats: Mapping[str, int]) -> dict[str, int]:
        """Seats a coalition must hold in each community."""
        out = {}
        for c in self.communities:
            total = community_seats.get(c, 0)
            if total == 0:
                raise InputError("communities", f"no seats belong to community {c!r} in this parliament")
            out[c] = max(1, math.ceil(self.share * total))
        return out

    def describe(self) -> str:
        what = "a seat" if self.share == 0 else f"{self.share} of the seats"
        return f"at least {what} of each of: {', '.join(self.communities)}"


@dataclass(frozen=True)
class PlayerType:
    """Interchangeable players: same seats, same seats per community."""

    weight: int
    community_seats: tuple[int, ...]
    players: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.players)


@dataclass(frozen=True)
class VotingGame:
    """A weighted voting game with a quorum, and optionally a community requirement.

    ``community_seats`` maps each player to its seats per community (a bloc can
    span several communities); it is only needed with a ``requirement``.
    """

    weights: Mapping[str, int]
    quota: int
    quorum: int | None = None
    threshold: int | None = None
    requirement: CommunityRequirement | None = None
    community_seats: Mapping[str, Mapping[str, int]] = field(default_factory=lambda: frozen_mapping({}))
    label: str = ""

    @property
    def total(self) -> int:
        return sum(self.weights.values())

    @property
    def players(self) -> tuple[str, ...]:
        return tuple(self.weights)

    @property
    def blocking_size(self) -> int:
        """Seats that deny the quota to everybody else: ``total - quota + 1``."""
        return self.total - self.quota + 1

    def needed_by_community(self) -> dict[str, int]:
        if self.requirement is None:
            return {}
        totals: dict[str, int] = {}
        for seats in self.community_seats.values():
            for c, n in seats.items():
                totals[c] = totals.get(c, 0) + n
        return self.requirement.needed(totals)

    def wins(self, coalition: Iterable[str]) -> bool:
        """Whether the coalition carries the decision whatever the others do."""
        members = self._members(coalition)
        if sum(self.weights[p] for p in members) < self.quota:
            return False
        for community, need in self.needed_by_community().items():
            if sum(self.community_seats.get(p, {}).get(community, 0) for p in members) < need:
                return False
        return True

    def blocks(self, coalition: Iterable[str]) -> bool:
        """Whether the coalition, by voting no or staying away, stops every decision."""
        members = self._members(coalition)
        return not self.wins(p for p in self.weights if p not in members)

    def types(self) -> tuple[PlayerType, ...]:
        """Players grouped into interchangeable types, heaviest first."""
        order = tuple(self.needed_by_community())
        groups: dict[tuple[int, tuple[int, ...]], list[str]] = {}
        for player, weight in self.weights.items():
            seats = self.community_seats.get(player, {})
            key = (weight, tuple(seats.get(c, 0) for c in order))
            groups.setdefault(key, []).append(player)
        return tuple(
            PlayerType(w, cs, tuple(ps))
            for (w, cs), ps in sorted(groups.items(), key=lambda kv: (-kv[0][0], kv[0][1]))
        )

    def _members(self, coalition: Iterable[str]) -> set[str]:
        members = set(coalition)
        unknown = members - set(self.weights)
        if unknown:
            raise UnknownNameError("player", min(unknown), self.weights, source="coalition")
        return members


def _checked_weights(weights: Mapping[str, int]) -> dict[str, int]:
    if not isinstance(weights, Mapping):
        raise InputError("weights", "weights must be a mapping player -> seats")
    if not weights:
        raise InputError("weights", "the player set is empty")
    checked = {}
    for player, w in weights.items():
        if isinstance(w, bool) or not isinstance(w, int):
            raise InputError("weights", f"the weight of {player!r} must be a whole number, got {w!r}", field=str(player))
        if w < 0:
            raise InputError("weights", f"the weight of {player!r} is negative ({w})", field=str(player))
        checked[str(player)] = w
    if sum(checked.values()) == 0:
        raise InputError("weights", "every weight is zero")
    return checked


def weighted_game(
    weights: Mapping[str, int],
    quota: int,
    *,
    quorum: int | None = None,
    requirement: CommunityRequirement | None = None,
    community_seats: Mapping[str, Mapping[str, int]] | None = None,
    majority: bool = True,
    label: str = "",
) -> VotingGame:
    """A validated voting game. With ``majority`` (the default) the quota must lie
    above half of all weight, so two disjoint coalitions cannot both win.

    >>> weighted_game({"A": 4, "B": 3, "C": 2}, 5).wins({"A", "C"})
    True
    """
    checked = _checked_weights(weights)
    total = sum(checked.values())
    for name, value in (("quota", quota), ("quorum", quorum)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            # seats are counted, never parsed: "3" or 3.0 is refused rather than guessed
            raise InputError(name, f"the {name} must be a whole number of seats (an int), got {value!r}",
                             field=name)
    effective = max(quota, quorum or 0)
    if effective > total:
        raise InputError("quota", f"the quota {effective} is above the {total} seats of the house")
    if majority and 2 * effective <= total:
        raise InputError(
            "quota",
            f"the quota {effective} is not above half of {total}: two disjoint coalitions could both win",
        )
    if effective <= 0:
        raise InputError("quota", f"the quota must be positive, got {effective}")
    seats_by_community = {p: dict((community_seats or {}).get(p, {})) for p in checked}
    if requirement is not None:
        for p, seats in seats_by_community.items():
            if sum(seats.values()) > checked[p]:
                raise InputError("communities", f"{p!r} has more community seats than seats")
    return VotingGame(
        weights=frozen_mapping(checked),
        quota=effective,
        quorum=quorum,
        threshold=quota,
        requirement=requirement,
        community_seats=frozen_mapping({p: frozen_mapping(s) for p, s in seats_by_community.items()}),
        label=label,
    )
