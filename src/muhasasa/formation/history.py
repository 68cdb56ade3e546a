"""The formation record of a pack, for the formation stage: cycles, events and actors.

The files and their schemas belong to the pack (:mod:`muhasasa.packs.schema.history`); these
functions read them through the pack object, so that formation never knows where they live.

>>> r = cycle_record("2022")
>>> r.pm_bloc, r.days_election_to_cabinet, r.dates.president
('coordination-framework', 382, datetime.date(2022, 10, 13))
>>> [c.cycle for c in cycle_records() if c.replayable]
['2006', '2010', '2014', '2018', '2020', '2022', '2026']
>>> actors("2022").trust_between("coordination-framework", "sadrists")
Fraction(-4, 5)
"""

from __future__ import annotations

from pathlib import Path

from muhasasa import packs
from muhasasa.packs.schema.history import Actors, CycleRecord, Event

__all__ = [
    "actors",
    "cycle_record",
    "cycle_records",
    "events",
    "load_actors_file",
    "load_cycle_records_from",
    "load_events_file",
]


def cycle_records(pack: packs.PackLike = None) -> tuple[CycleRecord, ...]:
    """Every formation cycle of the pack, in order."""
    return packs.load(pack).cycles()


def cycle_record(cycle: str, pack: packs.PackLike = None) -> CycleRecord:
    """One formation cycle; :class:`~muhasasa.errors.UnknownNameError` with suggestions if unknown."""
    return packs.load(pack).cycle(cycle)


def events(cycle: str, pack: packs.PackLike = None) -> tuple[Event, ...]:
    """The recorded exogenous events of one cycle, by date."""
    return packs.load(pack).events(cycle)


def actors(cycle: str, pack: packs.PackLike = None) -> Actors:
    """The bundled actors of a cycle (editorial defaults), validated."""
    return packs.load(pack).actors(cycle)


def load_cycle_records_from(path: str | Path, pack: packs.PackLike = None) -> tuple[CycleRecord, ...]:
    """Cycle records from a CSV file in the format of ``cycles.csv``, validated alike."""
    return packs.load(pack).cycles_file(path)


def load_events_file(path: str | Path, pack: packs.PackLike = None) -> tuple[Event, ...]:
    """Events from a user's TOML file, validated alike except that sources may be left out."""
    return packs.load(pack).events_file(path)


def load_actors_file(path: str | Path, cycle: str, pack: packs.PackLike = None) -> Actors:
    """A user's own actors file for ``cycle``, validated like the bundled ones."""
    return packs.load(pack).actors_file(path, cycle)
