"""Frozen results of a seat allocation, keyed by party, that explain themselves.

Per-seat awards are never listed up front: an :class:`Explainer` computes award
``k`` on demand, so a result costs the same for 8 seats as for 10**20.
"""

from __future__ import annotations

import sys
from bisect import bisect_left
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from itertools import accumulate
from types import MappingProxyType
from typing import Protocol, overload

from muhasasa.errors import InputError
from muhasasa.exact import fraction_text


def frozen_mapping(items: Mapping) -> Mapping:
    """A read-only copy of a mapping (insertion order kept)."""
    return MappingProxyType(dict(items))


@dataclass(frozen=True)
class SeatAward:
    """One seat: which party won it, in which order, and on what value.

    ``basis`` says what ``value`` is: a divisor-method ``quotient``, a
    ``full quota`` or a ``remainder`` under largest remainder, or ``votes``
    under SNTV.
    """

    seat: int
    party: str
    value: Fraction
    basis: str

    def describe(self) -> str:
        return f"seat {self.seat}: {self.party} ({self.basis} {fraction_text(self.value)})"


@dataclass(frozen=True)
class TieEvent:
    """Equal values competed for fewer seats than contenders; how it was settled."""

    seats_left: int
    contenders: tuple[str, ...]
    winners: tuple[str, ...]
    value: Fraction
    rule: str
    seed: int | None

    def describe(self) -> str:
        return (
            f"tie at {fraction_text(self.value)} between {', '.join(self.contenders)} "
            f"for {self.seats_left} seat(s): settled by {self.rule} (seed {self.seed}) "
            f"in favour of {', '.join(self.winners)}"
        )


class Explainer(Protocol):
    """How a method explains its seats without listing them: award ``k`` on demand."""

    def award(self, seat: int) -> SeatAward:
        """The award of seat ``seat`` (1-based, at most the number of seats)."""
        ...

    def awards(self) -> Iterator[SeatAward]:
        """Every award in order (as fast as the method can list them)."""
        ...

    def best_loser(self) -> SeatAward | None:
        """The highest value that won no seat (numbered as seat ``n + 1``)."""
        ...


class SeatAwards(Sequence[SeatAward]):
    """Every seat in the order it was won, computed on demand.

    Indexing (negative indices included) asks the method for that one award, at a
    cost independent of the number of seats, so ``awards[-1]`` of a 10**20-seat
    house is as quick as of an 8-seat one. Nothing is listed until iterated.
    ``size`` is the number of seats; ``len()`` gives the same when Python can hold
    it (up to 2**63 - 1).
    """

    __slots__ = ("_explainer", "size")

    def __init__(self, size: int, explainer: Explainer) -> None:
        self.size = size
        self._explainer = explainer

    def __len__(self) -> int:
        if self.size > sys.maxsize:
            raise InputError(
                "awards", f"{self.size} seats are more than len() can count; use awards.size", field="awards"
            )
        return self.size

    @overload
    def __getitem__(self, index: int) -> SeatAward: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[SeatAward, ...]: ...

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(self.size)))
        if isinstance(index, bool) or not isinstance(index, int):
            raise TypeError(f"award indices must be integers, not {type(index).__name__}")
        seat = index + 1 if index >= 0 else self.size + index + 1
        if not 1 <= seat <= self.size:
            raise IndexError(f"award index {index} out of range for {self.size} seats")
        return self._explainer.award(seat)

    def __iter__(self) -> Iterator[SeatAward]:
        return self._explainer.awards()

    def __repr__(self) -> str:
        return f"<SeatAwards: {self.size} seats>"


@dataclass(frozen=True)
class Allocation:
    """The seats one district's votes earn under one method, with the reasons.

    ``seats`` maps every party given (zeros included) to its seats. ``awards``
    lists every seat in the order it was won, lazily; ``last_award`` and
    ``best_loser`` (the highest value that won nothing), hence ``margin``, are
    computed directly, at a cost independent of the number of seats. A Monte
    Carlo loop that only needs ``seats`` never pays for them.
    """

    method: str
    n_seats: int
    votes: Mapping[str, int]
    seats: Mapping[str, int]
    explainer: Explainer = field(repr=False, compare=False)
    ties: tuple[TieEvent, ...] = ()
    excluded: tuple[str, ...] = ()
    params: Mapping[str, str] = field(default_factory=lambda: frozen_mapping({}))
    quota: Fraction | None = None
    threshold: Fraction | None = None
    residual_votes: int = 0

    @property
    def awards(self) -> SeatAwards:
        """Every seat in the order it was won, with the value that won it (lazy)."""
        return SeatAwards(self.n_seats, self.explainer)

    @cached_property
    def best_loser(self) -> SeatAward | None:
        """The highest value that won no seat (numbered as seat ``n + 1``)."""
        return self.explainer.best_loser()

    @cached_property
    def last_award(self) -> SeatAward | None:
        """The award that filled the last seat (for LR: the last remainder seat)."""
        return self.explainer.award(self.n_seats) if self.n_seats else None

    @property
    def margin(self) -> Fraction | None:
        """Last winning value minus best losing value (same basis), or None."""
        last, loser = self.last_award, self.best_loser
        if last is None or loser is None or last.basis != loser.basis:
            return None
        return last.value - loser.value

    def winners(self) -> dict[str, int]:
        """Parties with at least one seat, largest first."""
        return {p: s for p, s in sorted(self.seats.items(), key=lambda kv: -kv[1]) if s}

    def explain(self) -> str:
        """A short, human-readable account of how the seats were decided."""
        lines = [f"{self.method}: {self.n_seats} seats among {len(self.votes)} parties"]
        if self.params:
            lines.append("parameters: " + ", ".join(f"{k}={v}" for k, v in self.params.items()))
        if self.threshold is not None:
            lines.append(f"threshold: {fraction_text(self.threshold)} votes")
        if self.excluded:
            lines.append("below threshold: " + ", ".join(self.excluded))
        if self.quota is not None:
            lines.append(f"quota: {fraction_text(self.quota)} votes")
        if self.residual_votes:
            lines.append(f"residual (unitemized) votes counted in totals: {self.residual_votes}")
        if self.last_award is not None:
            lines.append("last seat: " + self.last_award.describe())
        if self.best_loser is not None:
            lines.append(
                f"best loser: {self.best_loser.party} "
                f"({self.best_loser.basis} {fraction_text(self.best_loser.value)})"
            )
        if self.margin is not None:
            lines.append(f"margin of the last seat: {fraction_text(self.margin)}")
        lines.extend(tie.describe() for tie in self.ties)
        return "\n".join(lines)


Block = tuple[str, int, int, int, str]  # party, seats, value numerator, value denominator, basis


class BlockAwards:
    """Awards given in blocks of equal value, ``(party, count, numerator, denominator,
    basis)`` in seat order (full quotas list by list, then remainders). Award ``k``
    is found by bisection over the blocks' running totals, never by listing seats;
    values become Fractions only when asked for."""

    def __init__(self, blocks: Sequence[Block], loser: SeatAward | None) -> None:
        self._blocks = [b for b in blocks if b[1] > 0]
        self._ends = list(accumulate(b[1] for b in self._blocks))
        self._loser = loser

    def award(self, seat: int) -> SeatAward:
        party, _, num, den, basis = self._blocks[bisect_left(self._ends, seat)]
        return SeatAward(seat, party, Fraction(num, den), basis)

    def awards(self) -> Iterator[SeatAward]:
        seat = 0
        for party, count, num, den, basis in self._blocks:
            value = Fraction(num, den)
            for _ in range(count):
                seat += 1
                yield SeatAward(seat, party, value, basis)

    def best_loser(self) -> SeatAward | None:
        return self._loser
