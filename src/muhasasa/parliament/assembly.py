"""Who plays the constitution's games: lists, blocs or members of a recorded parliament.

Lists of independents (and the reserved minority seats, whose holders the record
does not name) are not parties: their seats become single-seat players, so 43
independents are 43 players of one seat each. Each player carries its seats per
community (an editorial classification of the lists, labelled as such), which
consociational requirements need.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from muhasasa.errors import InputError
from muhasasa.methods.result import frozen_mapping
from muhasasa.packs import Pack, PackLike, load
from muhasasa.packs.schema.blocs import BlocMap
from muhasasa.packs.schema.constitution import Decision, Runoff
from muhasasa.packs.schema.record import Election
from muhasasa.parliament.games import CommunityRequirement, VotingGame, weighted_game

PLAYER_LEVELS = ("list", "bloc", "member")
UNCLASSIFIED = "unclassified"



@dataclass(frozen=True)
class Players:
    """Players of one parliament at one level, with their seats and community seats.

    ``single_seats`` lists, for each list whose seats are held one by one (independents),
    its players of one seat (``independents-7``): interchangeable, so a coalition can take
    "any k of them".
    """

    election: str
    level: str
    weights: Mapping[str, int]
    community_seats: Mapping[str, Mapping[str, int]]
    names: Mapping[str, str]
    bloc_map: BlocMap | None = None
    pack: Pack | None = field(default=None, repr=False, compare=False)
    single_seats: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.weights.values())

    def communities(self) -> dict[str, int]:
        """Seats per community in the whole parliament."""
        out: dict[str, int] = {}
        for seats in self.community_seats.values():
            for c, n in seats.items():
                out[c] = out.get(c, 0) + n
        return out


def _community(election: Election, list_id: str) -> str:
    for x in election.lists:
        if x.list_id == list_id:
            return x.community or UNCLASSIFIED
    return UNCLASSIFIED


def players(election_id: str, *, level: str = "list", bloc_map: BlocMap | None = None,
            pack: PackLike = None) -> Players:
    """The players of an election's parliament (official seats of the record).

    ``level`` is ``list`` (each list; independents as single seats), ``bloc``
    (needs ``bloc_map``: each bloc, then every unaligned list or remainder) or
    ``member`` (every seat a player).
    """
    if level not in PLAYER_LEVELS:
        raise InputError("argument", f"unknown level {level!r}; use one of {', '.join(PLAYER_LEVELS)}",
                         field="by")
    chosen = load(pack)
    election = chosen.election(election_id)
    list_seats = {x.list_id: x.seats for x in election.lists if x.seats}
    if level == "bloc":
        if bloc_map is None:
            raise InputError("argument", f"players by bloc need a bloc map of {election_id}", field="blocs")
        if bloc_map.election != election_id:
            raise InputError("argument", f"bloc map {bloc_map.id} is of election {bloc_map.election}, "
                             f"not {election_id}", field="blocs")
        grouped = bloc_map.seats(list_seats)
    else:
        grouped = dict(list_seats)
    weights: dict[str, int] = {}
    seats_by_community: dict[str, dict[str, int]] = {}
    names: dict[str, str] = {}
    single: dict[str, list[str]] = {}
    blocs = {b.id: b for b in bloc_map.blocs} if (bloc_map and level == "bloc") else {}
    for player, seats in grouped.items():
        if player in blocs:
            per = {}
            for m in blocs[player].members:
                part = list_seats.get(m.list_id, 0) if m.seats is None else m.seats
                c = _community(election, m.list_id)
                per[c] = per.get(c, 0) + part
            weights[player] = seats
            seats_by_community[player] = {c: n for c, n in per.items() if n}
            names[player] = blocs[player].name
            continue
        community = _community(election, player)
        label = election.list(player).name_en
        if level == "member" or election.list(player).individual_seats:
            for k in range(1, seats + 1):
                key = f"{player}-{k}"
                single.setdefault(player, []).append(key)
                weights[key] = 1
                seats_by_community[key] = {community: 1}
                names[key] = f"{label} #{k}"
        else:
            weights[player] = seats
            seats_by_community[player] = {community: seats}
            names[player] = label
    return Players(
        election=election_id,
        level=level,
        weights=frozen_mapping(weights),
        community_seats=frozen_mapping({p: frozen_mapping(s) for p, s in seats_by_community.items()}),
        names=frozen_mapping(names),
        bloc_map=bloc_map if level == "bloc" else None,
        pack=chosen,
        single_seats=frozen_mapping({k: tuple(v) for k, v in single.items()}),
    )


def decision(step: str, *, pack: PackLike = None, body: str | None = None) -> Decision | Runoff:
    """The constitution's vote behind a step of the games: a decision (by id or alias) or a
    decision's run-off (:meth:`~muhasasa.packs.schema.constitution.Constitution.step`)."""
    return load(pack).constitution(body).step(step)


def decision_game(
    cast: Players,
    step: str = "president",
    *,
    quota: int | None = None,
    reading: str | None = None,
    requirement: CommunityRequirement | None = None,
    proper: bool = True,
) -> VotingGame:
    """The voting game of a constitutional step on these players.

    The quota is the larger of the step's quorum and its threshold at full
    attendance (see :mod:`muhasasa.parliament.games`); ``quota`` replaces both.
    ``proper=False`` also admits a step that a minority carries (a cabinet falling when
    more than a third of it leaves): whether a coalition carries or blocks it is still
    defined, though two disjoint coalitions could both carry it.
    """
    size = cast.total
    if quota is not None:
        label = f"quota {quota} of {size}"
        return weighted_game(cast.weights, quota, requirement=requirement,
                             community_seats=cast.community_seats, label=label, majority=proper)
    chosen = decision(step, pack=cast.pack, body=cast.pack.body_of(cast.election).id if cast.pack else None)
    quorum = chosen.quorum_seats(size, reading)
    threshold = chosen.threshold_seats(size, size, reading)
    used = chosen.reading(reading)
    label = (f"{chosen.title}: quorum {quorum if quorum is not None else 'none'}, "
             f"threshold {threshold} of {size} (reading {used.id})")
    return weighted_game(cast.weights, threshold, quorum=quorum, requirement=requirement,
                         community_seats=cast.community_seats, label=label, majority=proper)
