"""Outside players of government formation: ``formation/outside.toml``.

Some states outside parliament took public or reported positions on the nominees for Prime
Minister (the United States, Iran). The file lists the **players** and their **positions**,
one row per reported position, each with its sources:

* ``nominee`` — the person, as the sources name him;
* ``proposer`` and ``order`` — who put him forward in the model's terms: an actor of the
  cycle (``actors/<cycle>.toml``) or ``consensus`` (a compromise nominee of several blocs),
  and his place among that proposer's nominees in the record (1 = its first). This is how the
  model recognises the nominee: its own runs charge the proposer's first, second ... nominee;
* ``stance`` — ``reject`` (a public veto or veto threat), ``oppose`` (reported, implicit or
  private opposition), ``accept``, ``support`` or ``conditional`` (support on conditions). The
  first two are a **rejection**: the nominee faces the player's veto in the model;
* ``date`` (None where the sources give none), ``date_derived`` (worked out from a weekday or
  "this week"), ``single_source`` (one outlet, a blog or an analysis), ``position`` (the
  sources' words) and ``notes`` (conflicts kept side by side).

A position the sources do not give is absent: unknown stays unknown, and the model treats
an unknown position as no veto. :meth:`OutsideFile.stance` gives a player's stance on one
nominee: its latest dated row (undated rows count as earliest).

>>> import muhasasa.packs as packs
>>> outside = packs.load("iraq").outside()
>>> [p.id for p in outside.players]
['united-states', 'iran']
>>> outside.stance("2026", "united-states", "coordination-framework", 1).stance
'reject'
>>> outside.stance("2026", "united-states", "coordination-framework", 2) is None
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BeforeValidator, Field, Strict, ValidationInfo, model_validator

from muhasasa.packs.schema.history import CONSENSUS
from muhasasa.packs.schema.types import Positive, Slug, Sources, Text
from muhasasa.packs.toml import Problem, StrictModel, load_toml

if TYPE_CHECKING:
    from muhasasa.packs import Pack
    from muhasasa.packs.schema.history import CycleRecord

__all__ = ["REJECTING", "STANCES", "OutsideFile", "OutsidePlayer", "OutsidePosition", "load_outside_bytes"]

#: The stances a position may take, and those that are a rejection (a veto in the model).
STANCES = ("reject", "oppose", "accept", "support", "conditional")
REJECTING = ("reject", "oppose")


def _to_date(value: Any) -> Any:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValueError(f"must be a date like 2026-01-27 (unquoted), got {value!r}")
    return value


Day = Annotated[dt.date, BeforeValidator(_to_date)]
StrictBool = Annotated[bool, Strict()]


class OutsidePlayer(StrictModel):
    """A state (or other player outside parliament) with positions on the nominees."""

    id: Slug
    name: Text
    notes: Text | None = None


class OutsidePosition(StrictModel):
    """One reported position of a player on a nominee of a cycle."""

    cycle: Text
    player: Slug
    date: Day | None = None
    date_derived: StrictBool = False
    nominee: Text
    proposer: Slug
    order: Positive
    stance: Literal["reject", "oppose", "accept", "support", "conditional"]
    position: Text
    single_source: StrictBool = False
    sources: Sources
    notes: Text | None = None

    @property
    def rejects(self) -> bool:
        """Whether the position is a rejection (the nominee faces the player's veto)."""
        return self.stance in REJECTING


class OutsideFile(StrictModel):
    """``formation/outside.toml``: the players and their positions, checked against the pack."""

    players: Annotated[tuple[OutsidePlayer, ...], Field(min_length=1)]
    positions: tuple[OutsidePosition, ...] = ()

    @model_validator(mode="after")
    def _checked(self, info: ValidationInfo) -> OutsideFile:
        context = info.context or {}
        pack: Pack = context["pack"]
        cycles: Mapping[str, CycleRecord] = context["cycles"]
        ids = [p.id for p in self.players]
        for index, player in enumerate(self.players):
            if ids.index(player.id) != index:
                raise Problem(("players", index, "id"), f"duplicate player {player.id!r}")
        for index, p in enumerate(self.positions):
            at = ("positions", index)
            if p.player not in ids:
                raise Problem.unknown((*at, "player"), "outside player", p.player, ids)
            if p.cycle not in cycles:
                raise Problem.unknown((*at, "cycle"), "formation cycle (a row of cycles.csv)", p.cycle, cycles)
            if p.proposer != CONSENSUS:
                actors = pack.actors(p.cycle).actors if p.cycle in pack.actor_cycles() else {}
                if p.proposer not in actors:
                    raise Problem.unknown((*at, "proposer"), f"actor of cycle {p.cycle} (or {CONSENSUS})", p.proposer,
                                          [*actors, CONSENSUS])
            record = cycles[p.cycle]
            start = record.trigger_date or record.election_date
            if p.date is not None and start is not None and p.date < start:
                raise Problem((*at, "date"), f"{p.date} is before the start of cycle {p.cycle} ({start})")
            if p.date is not None and record.cabinet_date is not None and p.date > record.cabinet_date:
                raise Problem((*at, "date"), f"{p.date} is after the cabinet of cycle {p.cycle} ({record.cabinet_date})")
        return self

    @property
    def player_ids(self) -> tuple[str, ...]:
        """The players, in file order."""
        return tuple(p.id for p in self.players)

    def of_cycle(self, cycle: str) -> tuple[OutsidePosition, ...]:
        """The positions of one cycle, in file order."""
        return tuple(p for p in self.positions if p.cycle == cycle)

    def stance(self, cycle: str, player: str, proposer: str, order: int) -> OutsidePosition | None:
        """The player's position on the proposer's ``order``-th nominee of the cycle: its latest
        dated row (undated rows first), or None when the sources give none."""
        rows = [p for p in self.of_cycle(cycle) if p.player == player and p.proposer == proposer and p.order == order]
        rows.sort(key=lambda p: p.date or dt.date.min)
        return rows[-1] if rows else None


def load_outside_bytes(data: bytes, source: str, pack: Pack, cycles: Mapping[str, CycleRecord]) -> OutsideFile:
    """An ``outside.toml``, validated against the pack's cycles and actors."""
    return load_toml(data, source, OutsideFile, context={"pack": pack, "cycles": cycles})
