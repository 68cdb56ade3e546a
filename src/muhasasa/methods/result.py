"""Frozen results of a seat allocation, keyed by party, that explain themselves."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from types import MappingProxyType

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


Trace = Callable[[], tuple[tuple["SeatAward", ...], "SeatAward | None"]]


@dataclass(frozen=True)
class Allocation:
    """The seats one district's votes earn under one method, with the reasons.

    ``seats`` maps every party given (zeros included) to its seats. ``awards``
    lists every seat in the order it was won; ``best_loser`` is the highest
    value that won nothing, so ``margin`` is how close the last seat was. Both
    are worked out (exactly) the first time they are asked for, so a Monte Carlo
    loop that only needs ``seats`` does not pay for them.
    """

    method: str
    n_seats: int
    votes: Mapping[str, int]
    seats: Mapping[str, int]
    trace: Trace = field(repr=False, compare=False)
    ties: tuple[TieEvent, ...] = ()
    excluded: tuple[str, ...] = ()
    params: Mapping[str, str] = field(default_factory=lambda: frozen_mapping({}))
    quota: Fraction | None = None
    threshold: Fraction | None = None
    residual_votes: int = 0

    @cached_property
    def _explained(self) -> tuple[tuple[SeatAward, ...], SeatAward | None]:
        return self.trace()

    @property
    def awards(self) -> tuple[SeatAward, ...]:
        """Every seat in the order it was won, with the value that won it."""
        return self._explained[0]

    @property
    def best_loser(self) -> SeatAward | None:
        """The highest value that won no seat (numbered as seat ``n + 1``)."""
        return self._explained[1]

    @property
    def last_award(self) -> SeatAward | None:
        """The award that filled the last seat (for LR: the last remainder seat)."""
        return self.awards[-1] if self.awards else None

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
