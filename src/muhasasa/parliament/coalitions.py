"""Coalitions of a voting game: winning, minimal winning, blocking, minimal blocking.

Players that are interchangeable (same seats, same community make-up) are
grouped, so a result is a *pattern*: "these players, plus any 24 of these 59
one-seat players", with the number of concrete coalitions it stands for.

Patterns come in one deterministic order: fewest seats first, then, at equal seats,
more of the heavier players first (the count vector, heaviest type first, in
descending lexicographic order). :func:`coalition_page` returns the exact number of
patterns and of coalitions with one page of that order (``offset``, ``limit``), so a
face can page through millions of patterns without listing them.

In a weighted game (no community requirement) nothing is enumerated: a coalition
blocks iff it holds more than ``W − q`` seats, so blocking is winning at quota
``W − q + 1``; and a winning ``S`` is minimal iff every member's seats exceed
``w(S) − q``, i.e. iff ``S`` draws only on the players heavier than its surplus. The
patterns of each seat total are then counted by dynamic programming over the distinct
weights and a page is *unranked* from those counts. Community requirements and
connected (ordered) coalitions are enumerated, with their cost checked first.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache

from muhasasa.errors import InputError, UnknownNameError
from muhasasa.parliament.games import PlayerType, VotingGame

__all__ = ["KINDS", "CoalitionPage", "CoalitionPattern", "coalition_page", "coalitions", "mandate"]

KINDS = ("winning", "minimal-winning", "blocking", "minimal-blocking")
PAGE_LIMIT = 10_000  # patterns in one page
LISTING_LIMIT = 200_000  # patterns :func:`coalitions` returns at once (page beyond it)
ENUMERATION_LIMIT = 3_000_000  # patterns visited when a game must be enumerated
TABLE_LIMIT = 20_000_000  # (types × seat totals) cells of the counting tables

Progress = Callable[[float], object] | None


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


@dataclass(frozen=True)
class CoalitionPage:
    """One page of the patterns of a kind, with the exact totals of the whole list."""

    kind: str
    patterns: int  # patterns in the whole list
    coalitions: int  # concrete coalitions they stand for
    offset: int
    limit: int
    rows: tuple[CoalitionPattern, ...]


def coalition_page(
    game: VotingGame,
    kind: str = "minimal-winning",
    *,
    offset: int = 0,
    limit: int = 20,
    must_include: Iterable[str] = (),
    min_size: int | None = None,
    order: Sequence[str] | None = None,
    player_communities: Mapping[str, Mapping[str, int]] | None = None,
    progress: Progress = None,
) -> CoalitionPage:
    """The exact number of patterns (and coalitions) of a kind, and the ``limit``
    patterns from position ``offset`` in the order of this module.

    ``must_include`` players must be in every coalition; ``min_size`` is a floor on
    seats; with ``order`` (players along a policy dimension) only coalitions that are
    intervals of it are kept (Axelrod's connected coalitions). ``player_communities``
    (player -> seats per community) labels which communities a coalition spans.
    ``progress`` is called with the fraction done while a long count runs.

    >>> from muhasasa.parliament.games import weighted_game
    >>> page = coalition_page(weighted_game({"A": 3, "B": 2, "C": 1, "D": 1}, 4), limit=2)
    >>> page.patterns, page.coalitions, [p.describe() for p in page.rows]
    (3, 4, ['A + any 1 of 2 (C, D)', 'B + C + D'])
    """
    if kind not in KINDS:
        raise UnknownNameError("coalition kind", kind, KINDS, field="kind")
    for name, value, top in (("offset", offset, None), ("limit", limit, PAGE_LIMIT)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InputError("coalitions", f"the {name} must be a whole number of patterns, 0 or more, "
                             f"got {value!r}", field=name)
        if top is not None and value > top:
            raise InputError("coalitions", f"a page holds at most {top:,} patterns (the limit), "
                             f"asked for {value:,}", field=name)
    if min_size is not None and (isinstance(min_size, bool) or not isinstance(min_size, int)):
        raise InputError("coalitions", f"min_size must be a whole number of seats, got {min_size!r}",
                         field="min_size")
    required = set(must_include)
    unknown = required - set(game.weights)
    if unknown:
        raise UnknownNameError("player", min(unknown), game.weights, field="must_include")
    if order is not None:
        order = list(order)
        missing = set(game.weights) - set(order)
        if missing:
            raise InputError("coalitions", f"the policy order leaves out {', '.join(sorted(missing))}",
                             field="order")
        if len(order) != len(set(order)) or set(order) - set(game.weights):
            raise InputError("coalitions", "the policy order must name each player once", field="order")
    return _source(game, kind, required, min_size, order, player_communities, progress).page(offset, limit)


def coalitions(
    game: VotingGame,
    kind: str = "minimal-winning",
    *,
    must_include: Iterable[str] = (),
    min_size: int | None = None,
    order: Sequence[str] | None = None,
    player_communities: Mapping[str, Mapping[str, int]] | None = None,
    limit: int | None = None,
    progress: Progress = None,
) -> tuple[CoalitionPattern, ...]:
    """Coalition patterns of a kind, fewest seats first: the first ``limit`` of them, or
    all of them (refused beyond :data:`LISTING_LIMIT`; page with :func:`coalition_page`).

    >>> from muhasasa.parliament.games import weighted_game
    >>> [(p.describe(), p.count) for p in coalitions(weighted_game({"A": 3, "B": 3, "C": 3}, 5), "minimal-blocking")]
    [('any 2 of 3 (A, B, C)', 3)]
    """
    options = {"must_include": must_include, "min_size": min_size, "order": order,
                   "player_communities": player_communities, "progress": progress}
    if limit is not None:
        return coalition_page(game, kind, limit=limit, **options).rows
    first = coalition_page(game, kind, limit=0, **options)  # validates, counts
    if first.patterns > LISTING_LIMIT:
        raise InputError("coalitions", f"there are {first.patterns:,} {kind} patterns, more than the "
                         f"{LISTING_LIMIT:,} listed at once (the limit): ask for a limit or a page",
                         field="limit")
    source = _source(game, kind, set(must_include), min_size, order, player_communities, None)
    return source.page(0, first.patterns).rows


def _source(game, kind, required, min_size, order, player_communities, progress):
    types = _split_types(game, required)
    lo = [t.count if set(t.players) & required else 0 for t in types]
    spec = _Spec(game, kind, types, lo, min_size, player_communities)
    if order is not None:
        return _Listed(kind, _connected(spec, order, required, progress))
    if game.requirement is None:
        return _Levels(spec, progress)
    return _Listed(kind, _enumerated(spec, progress))


@dataclass
class _Listed:
    """Patterns found one by one, with their order keys."""

    kind: str
    keyed: list[tuple[tuple, CoalitionPattern]]

    def __post_init__(self) -> None:
        self.keyed.sort(key=lambda kp: kp[0])

    def page(self, offset: int, limit: int) -> CoalitionPage:
        rows = tuple(p for _, p in self.keyed[offset:offset + limit])
        return CoalitionPage(self.kind, len(self.keyed), sum(p.count for _, p in self.keyed),
                             offset, limit, rows)


# --------------------------------------------------------------------------- shared


@dataclass
class _Spec:
    game: VotingGame
    kind: str
    types: list[PlayerType]
    lo: list[int]  # forced members of each type (must_include)
    min_size: int | None
    player_communities: Mapping[str, Mapping[str, int]] | None

    @property
    def winning(self) -> bool:
        return self.kind.endswith("winning")

    @property
    def minimal(self) -> bool:
        return self.kind.startswith("minimal")

    @property
    def bar(self) -> int:
        return self.game.quota if self.winning else self.game.total - self.game.quota + 1

    def pattern(self, counts: Sequence[int]) -> CoalitionPattern:
        seats = 0
        count = 1
        communities: dict[str, int] = {}
        parts = []
        for i, (t, c) in enumerate(zip(self.types, counts)):
            if not c:
                continue
            parts.append((t, c))
            seats += t.weight * c
            count *= _binomial(t.count, c)
            for name, n in self._communities(i, c):
                communities[name] = communities.get(name, 0) + n
        return CoalitionPattern(self.kind, tuple(parts), seats, seats - self.bar, count, communities)

    def _communities(self, i: int, c: int) -> tuple[tuple[str, int], ...]:
        """Seats per community of the first ``c`` players of type ``i`` (cached)."""
        if not self.player_communities:
            return ()
        cache = self.__dict__.setdefault("_cache", {})
        if (i, c) not in cache:
            held: dict[str, int] = {}
            for p in self.types[i].players[:c]:
                for name, n in self.player_communities.get(p, {}).items():
                    held[name] = held.get(name, 0) + n
            cache[i, c] = tuple(held.items())
        return cache[i, c]


@cache
def _binomial(m: int, c: int) -> int:
    return math.comb(m, c)


def _split_types(game: VotingGame, singled: set[str]) -> list[PlayerType]:
    """The game's types, with the named players each made a type of their own."""
    out = []
    for t in game.types():
        rest = tuple(p for p in t.players if p not in singled)
        out.extend(PlayerType(t.weight, t.community_seats, (p,)) for p in t.players if p in singled)
        if rest:
            out.append(PlayerType(t.weight, t.community_seats, rest))
    return out


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


# --------------------------------------------------------------------------- weighted games


class _Levels:
    """Patterns of a weighted game by seat total ("level"), counted by dynamic programming.

    Weights are divided by their common divisor ``g``; level ``s`` is ``s·g`` seats. At
    level ``s`` the allowed types are all of them, or (minimal kinds) the ``h`` heaviest,
    those heavier than ``s − bar``; a pattern is a count vector on them with weight ``s``.
    """

    def __init__(self, spec: _Spec, progress: Progress) -> None:
        self.spec = spec
        types = spec.types
        self.g = math.gcd(*(t.weight for t in types)) or 1
        self.w = [t.weight // self.g for t in types]
        self.hi = [t.count for t in types]
        self.lo = spec.lo
        self.top = sum(w * m for w, m in zip(self.w, self.hi))
        bar = -(-spec.bar // self.g)
        floor = -(-spec.min_size // self.g) if spec.min_size else 0
        self.bar, self.start = bar, max(bar, floor, 1)
        cells = (len(types) + 1) * (self.top + 1)
        if cells > TABLE_LIMIT:
            raise InputError("coalitions", f"counting these coalitions needs {cells:,} table cells, "
                             f"more than the limit of {TABLE_LIMIT:,}: use fewer distinct weights "
                             "or smaller ones", field="weights")
        # forward tables over the first h types: patterns and concrete coalitions by weight
        size = self.top + 1
        patterns = [1] + [0] * self.top
        concrete = [1] + [0] * self.top
        self.forward = [patterns]
        self.forward_concrete = [concrete]
        for h, (w, lo, hi) in enumerate(zip(self.w, self.lo, self.hi)):
            patterns = _stride_window(patterns, w, lo, hi, size)
            concrete = _binomial_step(concrete, w, lo, hi, size)
            self.forward.append(patterns)
            self.forward_concrete.append(concrete)
            if progress:
                progress((h + 1) / len(self.w))
        self._suffix: dict[int, list[list[int]]] = {}

    def heavy(self, s: int) -> int:
        """How many types a pattern at level ``s`` may draw on."""
        if not self.spec.minimal:
            return len(self.w)
        return sum(1 for w in self.w if w > s - self.bar)

    def groups(self):
        """(h, first level, last level) runs of levels with the same allowed types."""
        top = self.top
        s = self.start
        while s <= top:
            h = self.heavy(s)
            if not self.spec.minimal:
                end = top
            else:
                end = min(top, self.bar + self.w[h - 1] - 1) if h else top
            if h and all(lo == 0 for lo in self.lo[h:]):
                yield h, s, end
            s = end + 1

    def page(self, offset: int, limit: int) -> CoalitionPage:
        total = concrete = 0
        rows: list[CoalitionPattern] = []
        position = 0
        for h, first, last in self.groups():
            table = self.forward[h]
            for s in range(first, last + 1):
                here = table[s]
                if not here:
                    continue
                total += here
                concrete += self.forward_concrete[h][s]
                begin = max(offset - position, 0)
                if len(rows) < limit and begin < here:
                    for counts in self._walk(h, s, begin):
                        rows.append(self.spec.pattern(counts))
                        if len(rows) == limit:
                            break
                position += here
        return CoalitionPage(self.spec.kind, total, concrete, offset, limit, tuple(rows))

    def _suffixes(self, h: int) -> list[list[int]]:
        """``suffix[t][a]``: patterns of the types t..h−1 with weight a."""
        if h not in self._suffix:
            size = self.top + 1
            tables = [[0] * size for _ in range(h + 1)]
            tables[h][0] = 1
            for t in range(h - 1, -1, -1):
                tables[t] = _stride_window(tables[t + 1], self.w[t], self.lo[t], self.hi[t], size)
            self._suffix[h] = tables
        return self._suffix[h]

    def _walk(self, h: int, s: int, skip: int):
        """The count vectors of level ``s`` from its ``skip``-th on, in order (heavier
        types first, more of them first): whole branches are skipped by their counts."""
        suffix = self._suffixes(h)
        counts = [0] * len(self.w)

        def descend(t: int, rest: int, skip: int):
            if t == h:
                yield counts
                return
            w = self.w[t]
            for c in range(self.hi[t], self.lo[t] - 1, -1):
                left = rest - c * w
                if left < 0:
                    continue
                n = suffix[t + 1][left]
                if skip >= n:
                    skip -= n
                    continue
                counts[t] = c
                yield from descend(t + 1, left, skip)
                skip = 0
            counts[t] = 0

        return descend(0, s, skip)


def _stride_window(table: list[int], w: int, lo: int, hi: int, size: int) -> list[int]:
    """``out[a] = Σ_{c=lo}^{hi} table[a − c·w]``: one more type, counting patterns."""
    if w == 0:
        return [v * (hi - lo + 1) for v in table]
    running = [0] * size  # running[a] = Σ_{j ≥ 0} table[a − j·w]
    for a in range(size):
        running[a] = table[a] + (running[a - w] if a >= w else 0)
    out = [0] * size
    for a in range(size):
        x = a - lo * w
        if x < 0:
            continue
        y = a - (hi + 1) * w
        out[a] = running[x] - (running[y] if y >= 0 else 0)
    return out


def _binomial_step(table: list[int], w: int, lo: int, hi: int, size: int) -> list[int]:
    """``out[a] = Σ_c C(hi, c)·table[a − c·w]`` over c in [lo, hi]: concrete coalitions."""
    if lo == hi:  # forced players, or a single one
        shift = lo * w
        return [0] * shift + table[:size - shift] if shift < size else [0] * size
    out = [0] * size
    for c in range(lo, hi + 1):
        k = math.comb(hi, c)
        shift = c * w
        if shift >= size:
            break
        for a in range(shift, size):
            v = table[a - shift]
            if v:
                out[a] += k * v
    return out


# --------------------------------------------------------------------------- enumeration


def _enumerated(spec: _Spec, progress: Progress) -> list[tuple[tuple, CoalitionPattern]]:
    """Every pattern of a game with a community requirement, by a pruned walk."""
    game, types = spec.game, spec.types
    patterns = math.prod(t.count + 1 - lo for t, lo in zip(types, spec.lo))
    if patterns > 50 * ENUMERATION_LIMIT:
        raise InputError("coalitions", f"the community requirement leaves {patterns:,} coalition patterns "
                         f"to search, far beyond the limit of {ENUMERATION_LIMIT:,}: group players into "
                         "blocs or name members that must be included", field="communities")

    def blocks(counts: Sequence[int]) -> bool:
        return not _winning(game, types, [t.count - c for t, c in zip(types, counts)])

    test = (lambda cs: _winning(game, types, cs)) if spec.winning else blocks
    found: list[tuple[tuple, CoalitionPattern]] = []
    visited = 0
    counts = list(spec.lo)
    floor = spec.min_size

    def keep() -> None:
        if spec.minimal and any(
            c and test(counts[:i] + [c - 1] + counts[i + 1:]) for i, c in enumerate(counts)
        ):
            return
        seats = sum(t.weight * c for t, c in zip(types, counts))
        if floor is not None and seats < floor:
            return
        found.append(_keyed(spec, counts))

    def walk(i: int) -> None:
        nonlocal visited
        visited += 1
        if visited > ENUMERATION_LIMIT:
            raise InputError("coalitions", f"more than {ENUMERATION_LIMIT:,} coalition patterns to search "
                             "(the limit): group players into blocs or name members that must be included",
                             field="communities")
        if progress and visited % 10_000 == 0:
            progress(min(visited / patterns, 1.0))
        if i == len(types):
            if test(counts):
                keep()
            return
        if not test(counts[:i] + [t.count for t in types[i:]]):
            return  # even every remaining player cannot make it: prune
        low = spec.lo[i]
        for c in range(low, types[i].count + 1):
            counts[i] = c
            if spec.minimal and test(counts[: i + 1] + [0] * (len(types) - i - 1)):
                keep()  # any further member would be superfluous
                break
            walk(i + 1)
        counts[i] = spec.lo[i]

    walk(0)
    return found


def _connected(spec: _Spec, order: Sequence[str], required: set[str],
               progress: Progress) -> list[tuple[tuple, CoalitionPattern]]:
    """Coalitions of the kind that are intervals of ``order`` (every player on its own)."""
    game = spec.game
    n = len(order)
    if n**3 > 64_000_000:
        raise InputError("coalitions", f"{n} ordered players make too many intervals to test "
                         "(the limit): group players into blocs", field="order")
    singles = _split_types(game, set(order))
    index = {t.players[0]: i for i, t in enumerate(singles)}
    spec = _Spec(game, spec.kind, singles, [0] * len(singles), spec.min_size, spec.player_communities)
    test = game.wins if spec.winning else game.blocks
    found = []
    for i in range(n):
        members: list[str] = []
        for j in range(i, n):
            members.append(order[j])
            if not test(members):
                continue
            if spec.minimal and any(test(members[:k] + members[k + 1:]) for k in range(len(members))):
                continue
            if not required <= set(members):
                continue
            seats = sum(game.weights[p] for p in members)
            if spec.min_size is not None and seats < spec.min_size:
                continue
            counts = [0] * len(singles)
            for p in members:
                counts[index[p]] = 1
            found.append(_keyed(spec, counts))
        if progress:
            progress((i + 1) / n)
    return found


def _keyed(spec: _Spec, counts: Sequence[int]) -> tuple[tuple, CoalitionPattern]:
    """A pattern with its place in the order: seats, then more of the heavier types first."""
    pattern = spec.pattern(counts)
    return (pattern.seats, tuple(-c for c in counts)), pattern


# --------------------------------------------------------------------------- mandate


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
