"""The formation record as validated data: cycles, exogenous events and the actors of each cycle.

Three kinds of file in a country pack's ``formation/`` folder (``packs/iraq/formation/``, see
the README there) describe what happened after each election, so that the formation model can
be calibrated on the record and replayed against it:

* ``cycles.csv``: one row per formation cycle (``"2006"`` ... ``"2026"``; the 2005 transitional
  government and the 2020 replacement government are rows marked not replayable): the dates
  of each constitutional step, who took the top offices, the Prime Minister's bloc, the
  governing coalition, the days from the election to the cabinet, failed designations,
  presidential rounds, the cabinet's size and its share-out where sourced. Every row carries
  its sources; contradictions between sources stay in ``notes``.
* ``events.toml``: the record's exogenous events - court rulings, failed sessions, boycotts,
  resignations, agreements, outside vetoes, violence - each dated, sourced and marked
  ``removable`` so that a scenario can replay a cycle without it.
* ``actors/<cycle>.toml``: the players of one bloc map of the cycle with their community, their
  positions on three scales, their office and policy motives and the trust between pairs.
  These are **editorial defaults** (``basis = "editorial"``), judgments with their reasoning and
  sources, not facts; :func:`load_actors_file` takes a user's own file, validated the same way.

The three scales of ``positions`` run from -1 to 1: ``sectarian_national`` (a communal,
sectarian or ethnic platform at -1, a cross-communal national one at +1), ``iran_west``
(closest to Iran at -1, to the US and the West at +1) and ``centralisation`` (maximal regional
autonomy at -1, a strong central government at +1). ``office_motive`` and ``policy_motive`` run
from 0 to 1, ``trust`` from -1 (open hostility) to +1 (firm alliance); a pair not listed has 0.
Every number is quoted text parsed exactly (``"-0.6"`` is -3/5).

Loading is strict. Bad dates, dates out of constitutional order, day counts that contradict
the dates, ids unknown to the cycle's bloc maps and record lists (with suggestions), positions
outside [-1, 1], motives outside [0, 1], TOML floats, unknown keys (with a suggestion) and
players of the bloc map without an actor raise :class:`~muhasasa.errors.InputError` naming the
file, the line and the field.

>>> r = cycle_record("2022")
>>> r.pm_bloc, r.days_election_to_cabinet, r.dates.president
('coordination-framework', 382, datetime.date(2022, 10, 13))
>>> [c.cycle for c in cycle_records() if c.replayable]
['2006', '2010', '2014', '2018', '2022', '2026']
>>> [(e.id, e.payload["seats"]) for e in events("2022") if e.kind == "resignation"]
[('sadrist-resignation', 73)]
>>> cast = actors("2022")
>>> cast.bloc_map_id, cast.actors["sadrists"].positions["sectarian_national"]
('2022-01-09-first-session', Fraction(1, 5))
>>> cast.trust_between("coordination-framework", "sadrists")
Fraction(-4, 5)
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    Strict,
    StringConstraints,
    ValidationError,
)
from pydantic_core import ErrorDetails

from muhasasa.csvfiles import Parser, Row, read_rows
from muhasasa.errors import InputError, UnknownNameError
from muhasasa.exact import to_fraction
from muhasasa import packs
from muhasasa.packs.schema.blocs import BlocMap
from muhasasa.tomlfiles import (
    KeyPath,
    StrictModel,
    TableLocator,
    field_name,
    float_problem,
    parse,
    read_bytes,
    text_problem,
)

__all__ = [
    "DIMENSIONS",
    "EVENT_KINDS",
    "Actor",
    "Actors",
    "CycleDates",
    "CycleRecord",
    "Event",
    "Trust",
    "actors",
    "cycle_record",
    "cycle_records",
    "events",
    "load_actors_file",
    "load_cycle_records_from",
    "load_events_file",
]

#: The policy scales of an actor's ``positions``, each from -1 to 1.
DIMENSIONS = ("sectarian_national", "iran_west", "centralisation")
#: The kinds of exogenous event.
EVENT_KINDS = ("resignation", "ruling", "session", "agreement", "outside-veto", "boycott", "violence")

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_URL = re.compile(r"^https?://\S+$")
_INT = re.compile(r"^[0-9]+$")

# ============================================================================= values


@dataclass(frozen=True)
class CycleDates:
    """The dates of one cycle's steps; ``None`` where a step did not happen or is not known.

    ``trigger`` is the event that opened a cycle without an election (the acceptance of a
    Prime Minister's resignation).
    """

    election: dt.date | None
    certified: dt.date | None
    first_session: dt.date | None
    speaker: dt.date | None
    president: dt.date | None
    pm_designated: dt.date | None
    cabinet: dt.date | None
    trigger: dt.date | None = None


@dataclass(frozen=True)
class CycleRecord:
    """One formation cycle as the record knows it (a row of ``cycles.csv``).

    ``pm_bloc`` is the bloc or list id that nominated the Prime Minister when one did alone
    (``None`` for a consensus or independent nominee; ``pm_nominated_by`` then names who
    backed him). ``coalition`` and the keys of ``ministries_by_bloc`` are bloc or list ids of
    the cycle's bloc maps or record lists; a key ``"kdp+puk"`` is a share the source gives
    only jointly. ``replayable`` is false for cycles that are not an election followed by the
    steps of the 2005 Constitution (the 2005 transitional government, the 2020 replacement).
    """

    cycle: str
    title: str
    election: str
    replayable: bool
    dates: CycleDates
    speaker_name: str | None
    speaker_community: str | None
    president_name: str | None
    president_community: str | None
    president_party: str | None
    pm_name: str
    pm_community: str
    pm_bloc: str | None
    pm_nominated_by: tuple[str, ...]
    coalition: tuple[str, ...]
    days_election_to_cabinet: int | None
    days_trigger_to_cabinet: int | None
    failed_designations: int | None
    presidential_rounds: int | None
    confidence_votes_for: int | None
    ministers_approved: int | None
    ministries_total: int | None
    ministries_by_bloc: Mapping[str, int]
    ministries_by_community: Mapping[str, int]
    confidence_level: str
    source: str
    notes: str | None

    @property
    def sources(self) -> tuple[str, ...]:
        """The source URLs of the row."""
        return tuple(s.strip() for s in self.source.split(" ; ") if s.strip())


@dataclass(frozen=True)
class Event:
    """An exogenous event of a cycle: what happened, when, to whom, and the kind's details.

    ``actors`` are bloc or list ids of the cycle; ``by`` names who acted from outside
    parliament (a court, a foreign government). ``payload`` holds the kind's own fields
    (``seats``, ``replaced_by``, ``present``, ``ruling`` ...). ``removable`` says whether a
    replay may drop the event (false for the trigger of a cycle).
    """

    id: str
    cycle: str
    date: dt.date
    kind: str
    actors: tuple[str, ...]
    payload: Mapping[str, object]
    sources: tuple[str, ...]
    notes: str | None
    by: str | None = None
    removable: bool = True


@dataclass(frozen=True)
class Actor:
    """One player of a cycle: its community, positions, motives and the reasons for them.

    ``groups`` lists the players of the bloc map the actor stands for when it groups several
    small ones; it is empty for an actor that is itself one player (or one list of a bloc that
    the file splits into its lists).
    """

    id: str
    community: str
    positions: Mapping[str, Fraction]
    office_motive: Fraction
    policy_motive: Fraction
    reasoning: str
    sources: tuple[str, ...]
    name: str | None = None
    groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class Trust:
    """The trust between two actors, -1 to 1, with its reasons."""

    a: str
    b: str
    value: Fraction
    reasoning: str | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Actors:
    """The actors of one cycle, following one bloc map.

    ``covers`` maps every player of the bloc map with seats to the actor ids that stand for
    it: itself, the group that lists it, or - for a bloc split into its lists - those lists.
    ``trust`` holds the listed pairs; :meth:`trust_between` gives 0 for the others.
    """

    cycle: str
    election: str
    bloc_map_id: str
    actors: Mapping[str, Actor]
    trust: Mapping[frozenset[str], Fraction]
    basis: str
    covers: Mapping[str, tuple[str, ...]]
    title: str | None = None
    notes: str | None = None
    trust_entries: tuple[Trust, ...] = ()
    source: str = "actors"
    bloc_map: BlocMap | None = field(default=None, repr=False, compare=False)

    def actor(self, actor_id: str) -> Actor:
        """One actor; :class:`UnknownNameError` with suggestions if absent."""
        if actor_id not in self.actors:
            raise UnknownNameError(f"actor of cycle {self.cycle}", actor_id, self.actors, source=self.source)
        return self.actors[actor_id]

    def trust_between(self, a: str, b: str) -> Fraction:
        """The trust between two actors (0 where the file lists none; 1 for an actor with itself).

        >>> actors("2026").trust_between("puk", "kdp"), actors("2026").trust_between("kdp", "halwest")
        (Fraction(-3, 5), Fraction(-3, 10))
        >>> actors("2026").trust_between("kdp", "coordination-framework")
        Fraction(0, 1)
        """
        self.actor(a)
        self.actor(b)
        if a == b:
            return Fraction(1)
        return self.trust.get(frozenset((a, b)), Fraction(0))

    def actor_of(self, player: str) -> str:
        """The actor that stands for a player of the bloc map or one of its lists.

        >>> actors("2022").actor_of("sol"), actors("2022").actor_of("huqooq")
        ('coordination-framework', 'other-shia-lists')
        """
        if player in self.actors and not self.actors[player].groups:
            return player
        holders = self.covers.get(player, ())
        if len(holders) == 1:
            return holders[0]
        if len(holders) > 1:
            raise InputError(self.source, f"bloc {player!r} is split into the actors {', '.join(holders)}")
        if self.bloc_map is not None and player in self.bloc_map.list_ids:
            for bloc in self.bloc_map.blocs_of(player):
                if len(self.covers.get(bloc, ())) == 1:
                    return self.covers[bloc][0]
        known = sorted(set(self.covers) | set(self.actors))
        raise UnknownNameError(f"player of cycle {self.cycle}", player, known, source=self.source)

    def seats(self, list_seats: Mapping[str, int]) -> dict[str, int]:
        """Seats per actor from seats per list, through the bloc map.

        >>> from muhasasa import packs
        >>> seats = {x.list_id: x.seats for x in packs.load().election("2005-12").lists}
        >>> got = actors("2006").seats(seats)
        >>> got["uia"], got["kurdistan-alliance"], got["minority-seats"], sum(got.values())
        (128, 53, 3, 275)
        """
        if self.bloc_map is None:
            raise InputError(self.source, "these actors carry no bloc map to count seats with")
        players = self.bloc_map.seats(list_seats)
        out = dict.fromkeys(self.actors, 0)
        for player, count in players.items():
            if count == 0:
                continue
            if player not in self.covers:
                raise InputError(
                    self.source, f"player {player!r} of bloc map {self.bloc_map_id} has {count} seats but no actor"
                )
            holders = self.covers[player]
            if len(holders) == 1:
                out[holders[0]] += count
            else:  # a bloc split into its lists
                for list_id in holders:
                    out[list_id] += list_seats.get(list_id, 0)
        return out


# ============================================================================= cycles.csv

def _text(value: str) -> str | None:
    return value.strip() or None


def _required(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


def _opt_int(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if _INT.match(value):
        return int(value)
    raise ValueError(f"{value!r} is not a whole number (digits only; leave empty if unknown)")


def _opt_date(value: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date YYYY-MM-DD") from None


def _yes_no(value: str) -> bool:
    if value.strip() not in ("yes", "no"):
        raise ValueError(f"{value.strip()!r} must be 'yes' or 'no'")
    return value.strip() == "yes"


def _community(value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    if value not in packs.load().community_ids:
        close = difflib.get_close_matches(value, packs.load().community_ids, n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"{value!r} is not one of {', '.join(packs.load().community_ids)}{hint}")
    return value


def _ids(value: str) -> tuple[str, ...]:
    out = tuple(p.strip() for p in value.split("|") if p.strip())
    for part in out:
        if not _SLUG.match(part):
            raise ValueError(f"{part!r} is not a bloc or list id (lowercase letters, digits, hyphens)")
    if len(set(out)) != len(out):
        raise ValueError(f"{value.strip()!r} names an id twice")
    return out


def _counts(keys: Callable[[str], None]) -> Parser:
    def parse_counts(value: str) -> dict[str, int]:
        out: dict[str, int] = {}
        for part in (p.strip() for p in value.split("|") if p.strip()):
            key, sep, count = part.rpartition(":")
            if not sep or not _INT.match(count.strip()):
                raise ValueError(f"{part!r} is not 'name:count' (e.g. 'islah:9|binaa:9')")
            key = key.strip()
            keys(key)
            if key in out:
                raise ValueError(f"{key!r} appears twice")
            out[key] = int(count)
        return out

    return parse_counts


def _bloc_key(key: str) -> None:
    for part in key.split("+"):
        if not _SLUG.match(part):
            raise ValueError(f"{part!r} is not a bloc or list id (join ids sharing one count with '+')")


def _community_key(key: str) -> None:
    if key not in packs.load().community_ids:
        raise ValueError(f"{key!r} is not one of {', '.join(packs.load().community_ids)}")


def _sources(value: str) -> str:
    value = _required(value)
    for url in (s.strip() for s in value.split(" ; ")):
        if not _URL.match(url):
            raise ValueError(f"{url!r} is not a web address; separate sources with ' ; '")
    return value


_COLUMNS: dict[str, Parser] = {
    "cycle": _required, "title": _required, "election": _required, "replayable": _yes_no,
    "election_date": _opt_date, "certified_date": _opt_date, "trigger_date": _opt_date,
    "first_session_date": _opt_date, "speaker_date": _opt_date, "speaker_name": _text,
    "speaker_community": _community, "president_date": _opt_date, "president_name": _text,
    "president_community": _community, "president_party": _text, "pm_designated_date": _opt_date,
    "pm_name": _required, "pm_community": _community, "pm_bloc": _text, "pm_nominated_by": _ids,
    "coalition": _ids, "cabinet_date": _opt_date, "days_election_to_cabinet": _opt_int,
    "days_trigger_to_cabinet": _opt_int, "failed_designations": _opt_int,
    "presidential_rounds": _opt_int, "confidence_votes_for": _opt_int, "ministers_approved": _opt_int,
    "ministries_total": _opt_int, "ministries_by_bloc": _counts(_bloc_key),
    "ministries_by_community": _counts(_community_key), "confidence_level": _required,
    "source": _sources, "notes": _text,
}

#: Steps in the order the 2005 Constitution takes them; each date may not precede the ones
#: before it (the Speaker and the President may fall on the same day, and so on).
_ORDER = (
    ("election_date", "certified_date"),
    ("certified_date", "first_session_date"),
    ("first_session_date", "speaker_date"),
    ("speaker_date", "president_date"),
    ("first_session_date", "president_date"),
    ("president_date", "pm_designated_date"),
    ("trigger_date", "pm_designated_date"),
    ("pm_designated_date", "cabinet_date"),
    ("election_date", "cabinet_date"),
    ("trigger_date", "cabinet_date"),
)
_DATE_STEPS = ("election", "certified", "first_session", "speaker", "president", "pm_designated", "cabinet")

@functools.cache
def _known_ids(election: str) -> Mapping[str, str]:
    """Every bloc and list id of an election: the record's lists and the blocs of its maps."""
    known: dict[str, str] = {}
    for x in packs.load().record().election(election).lists:
        known[x.list_id] = "list"
    for m in packs.load().bloc_maps(election):
        for b in m.blocs:
            known.setdefault(b.id, f"bloc of {m.id}")
    return types.MappingProxyType(known)


def _check_cycle_row(line: int, r: Row, source: str) -> None:
    def fail(column: str, problem: str) -> InputError:
        return InputError(source, problem, line=line, field=column)

    record = packs.load().record()
    if r["election"] not in record.election_ids:
        raise UnknownNameError("election", r["election"], record.election_ids, source=source,
                               line=line, field="election")
    election = record.election(r["election"])
    if not re.fullmatch(r"[0-9]{4}", r["cycle"]):
        raise fail("cycle", f"{r['cycle']!r} is not a cycle id: the year the government was formed")
    if r["election_date"] is not None and r["election_date"] != election.date:
        raise fail("election_date", f"{r['election_date']} is not the date of election {election.id} in the "
                                    f"record ({election.date})")
    if r["replayable"]:
        for step in _DATE_STEPS:
            if r[f"{step}_date"] is None:
                raise fail(f"{step}_date", "a replayable cycle needs the date of every step")
        if not r["pm_nominated_by"]:
            raise fail("pm_nominated_by", "a replayable cycle needs the bloc(s) that nominated the PM")
    for before, after in _ORDER:
        if r[before] is not None and r[after] is not None and r[after] < r[before]:
            raise fail(after, f"{after} {r[after]} is before {before} {r[before]}: dates out of order")
    for days, start in (("days_election_to_cabinet", "election_date"), ("days_trigger_to_cabinet", "trigger_date")):
        begin, end = r[start], r["cabinet_date"]
        if begin is not None and end is not None:
            span = (end - begin).days
            if r[days] is None:
                raise fail(days, f"empty, but the dates give {span} days ({start} {begin} to cabinet_date {end})")
            if r[days] != span:
                raise fail(days, f"{r[days]} contradicts the dates: {start} {begin} to cabinet_date {end} is "
                                 f"{span} days")
        elif r[days] is not None:
            raise fail(days, f"cannot be checked: {start} and cabinet_date are both needed")
    known = _known_ids(election.id)

    def check_id(name: str, column: str) -> None:
        if name not in known:
            raise UnknownNameError(f"bloc or list of election {election.id}", name, known, source=source,
                                   line=line, field=column)

    if r["pm_bloc"] is not None:
        check_id(r["pm_bloc"], "pm_bloc")
        if r["pm_nominated_by"] and r["pm_bloc"] not in r["pm_nominated_by"]:
            raise fail("pm_nominated_by", f"does not include pm_bloc {r['pm_bloc']!r}")
    for column in ("pm_nominated_by", "coalition"):
        for name in r[column]:
            check_id(name, column)
    for key in r["ministries_by_bloc"]:
        for name in key.split("+"):
            check_id(name, "ministries_by_bloc")
    total = r["ministries_total"]
    if total is not None:
        if r["ministers_approved"] is not None and r["ministers_approved"] > total:
            raise fail("ministers_approved", f"{r['ministers_approved']} approved of {total} ministries")
        shared = sum(r["ministries_by_bloc"].values())
        if shared > total:
            raise fail("ministries_by_bloc", f"shares {shared} ministries of {total}")
    if r["confidence_votes_for"] is not None and r["confidence_votes_for"] > election.house_size:
        raise fail("confidence_votes_for", f"{r['confidence_votes_for']} votes in a house of {election.house_size}")


def _freeze_row(r: Row) -> CycleRecord:
    return CycleRecord(
        cycle=r["cycle"], title=r["title"], election=r["election"], replayable=r["replayable"],
        dates=CycleDates(*(r[f"{s}_date"] for s in _DATE_STEPS), trigger=r["trigger_date"]),
        speaker_name=r["speaker_name"], speaker_community=r["speaker_community"],
        president_name=r["president_name"], president_community=r["president_community"],
        president_party=r["president_party"], pm_name=r["pm_name"], pm_community=r["pm_community"],
        pm_bloc=r["pm_bloc"], pm_nominated_by=r["pm_nominated_by"], coalition=r["coalition"],
        days_election_to_cabinet=r["days_election_to_cabinet"],
        days_trigger_to_cabinet=r["days_trigger_to_cabinet"],
        failed_designations=r["failed_designations"], presidential_rounds=r["presidential_rounds"],
        confidence_votes_for=r["confidence_votes_for"], ministers_approved=r["ministers_approved"],
        ministries_total=r["ministries_total"],
        ministries_by_bloc=types.MappingProxyType(r["ministries_by_bloc"]),
        ministries_by_community=types.MappingProxyType(r["ministries_by_community"]),
        confidence_level=r["confidence_level"], source=r["source"], notes=r["notes"],
    )


def _load_cycles(data: bytes, source: str) -> tuple[CycleRecord, ...]:
    rows = read_rows(data, source, _COLUMNS)
    seen: dict[str, int] = {}
    for line, r in rows:
        if r["cycle"] in seen:
            raise InputError(source, f"duplicate cycle {r['cycle']!r} (first at line {seen[r['cycle']]})",
                             line=line, field="cycle")
        seen[r["cycle"]] = line
        _check_cycle_row(line, r, source)
    return tuple(sorted((_freeze_row(r) for _, r in rows), key=lambda c: c.cycle))


def load_cycle_records_from(path: str | Path) -> tuple[CycleRecord, ...]:
    """Cycle records from a CSV file in the format of the bundled ``cycles.csv``, validated alike."""
    path = Path(path)
    return _load_cycles(read_bytes(path, "cycles"), str(path))


def _folder() -> Traversable:
    return packs.load().body().folder.joinpath("formation")


@functools.cache
def _bundled_cycles() -> tuple[CycleRecord, ...]:
    item = _folder().joinpath("cycles.csv")
    return _load_cycles(item.read_bytes(), f"{packs.load().body().display}/formation/cycles.csv")


def cycle_records() -> tuple[CycleRecord, ...]:
    """Every bundled formation cycle, in order.

    >>> [(c.cycle, c.election, c.days_election_to_cabinet) for c in cycle_records()][:3]
    [('2005', '2005-01', 88), ('2006', '2005-12', 156), ('2010', '2010', 289)]
    """
    return _bundled_cycles()


def cycle_record(cycle: str) -> CycleRecord:
    """One bundled cycle; :class:`UnknownNameError` with suggestions for an unknown id.

    >>> cycle_record("2018").pm_nominated_by, cycle_record("2018").ministries_by_bloc["kdp+puk"]
    (('islah', 'binaa'), 3)
    """
    for c in _bundled_cycles():
        if c.cycle == cycle:
            return c
    raise UnknownNameError("formation cycle", str(cycle), (c.cycle for c in _bundled_cycles()))


# ============================================================================= TOML files


class _Where(TableLocator):
    """Names a path into the raw TOML for people (``actors[sadrists].positions.iran_west``),
    finds its line, and raises there."""

    #: A dotted header is read as written: ``[actors.positions]`` is not placed under the
    #: latest ``[[actors]]`` entry, so its keys are found at that entry's header.
    nested = False

    def field(self, path: KeyPath) -> str:
        return field_name(self.raw, path, _label)

    def describe(self, error: ErrorDetails, path: KeyPath, schema: type[BaseModel]) -> str:
        problem = text_problem(error, path, ids="lowercase letters, digits and single hyphens")
        if problem is not None:
            return problem
        if error["type"] in ("date_type", "date_parsing", "date_from_datetime_parsing"):
            return f"must be a date like 2022-06-12 (unquoted), got {error.get('input')!r}"
        return super().describe(error, path, schema)

    def within(self, schema: type[StrictModel], node: Any, at: KeyPath) -> Any:
        """``node`` (found at ``at``) validated against ``schema``, errors located in the file."""
        try:
            return schema.model_validate(node)
        except ValidationError as exc:
            errors = self.problems(exc)
            first = errors[0]
            sub: list[str | int] = []
            current: Any = node
            for part in first["loc"]:
                in_table = isinstance(current, Mapping) and isinstance(part, str) and part in current
                in_array = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
                if in_table or in_array:
                    sub.append(part)
                    current = current[part]
                elif isinstance(current, Mapping) and isinstance(part, str) and first["type"] == "missing":
                    sub.append(part)
                    break
                else:
                    break
            problem = self.describe(first, tuple(sub), schema)
            if len(errors) > 1:
                problem += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
            raise self.error((*at, *sub), problem) from None


def _label(item: Any) -> str | None:
    if isinstance(item, Mapping):
        if isinstance(item.get("id"), str):
            return item["id"]
        if isinstance(item.get("a"), str) and isinstance(item.get("b"), str):
            return f"{item['a']}/{item['b']}"
    return None


def _open(data: bytes, source: str) -> _Where:
    text, raw = parse(data, source)
    where = _Where(source, text, raw)
    where.refuse_floats(float_problem)
    return where


def _to_date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        raise ValueError(f"must be a date like 2022-06-12 without a time, got {value:%Y-%m-%dT%H:%M}")  # noqa: TRY004
    if isinstance(value, dt.date):
        return value
    raise ValueError(f"must be a date like 2022-06-12 (unquoted), got {value!r}")


def _ranged(low: int, high: int) -> Callable[[Any], Fraction]:
    def number(value: Any) -> Fraction:
        if isinstance(value, bool) or not isinstance(value, str):
            # pydantic turns only ValueError into a located validation error
            raise ValueError(f'must be a number written as quoted text, e.g. "0.5", got {value!r}')  # noqa: TRY004
        try:
            out = to_fraction(value, what="number")
        except (ValueError, ZeroDivisionError):
            raise ValueError(f'{value!r} is not an exact number like "-0.6" or "1/3"') from None
        if not low <= out <= high:
            raise ValueError(f"{value!r} is outside [{low}, {high}]")
        return out

    return number


Text = Annotated[str, Strict(), StringConstraints(pattern=r"\S")]
Slug = Annotated[str, Strict(), StringConstraints(pattern=_SLUG.pattern)]
Url = Annotated[str, Strict(), StringConstraints(pattern=_URL.pattern)]
Day = Annotated[dt.date, BeforeValidator(_to_date)]
Count = Annotated[int, Strict(), Field(ge=0)]
Position = Annotated[Fraction, BeforeValidator(_ranged(-1, 1))]
Motive = Annotated[Fraction, BeforeValidator(_ranged(0, 1))]
StrictBool = Annotated[bool, Strict()]


# ----------------------------------------------------------------------------- events


class _EventBase(StrictModel):
    id: Slug
    cycle: Text
    date: Day
    kind: Literal["resignation", "ruling", "session", "agreement", "outside-veto", "boycott", "violence"]
    actors: tuple[Slug, ...] = ()
    by: Text | None = None
    removable: StrictBool = True
    sources: tuple[Url, ...] = ()
    notes: Text | None = None


class _ReplacedBy(StrictModel):
    sworn_in: Count
    date: Day
    absent: Count | None = None
    absent_note: Text | None = None
    by_bloc: Literal["unknown"] | dict[str, Count] = "unknown"


class _Resignation(_EventBase):
    office: Literal["members", "prime-minister"]
    person: Text | None = None
    seats: Annotated[int, Strict(), Field(ge=1)] | None = None
    accepted: Day | None = None
    replacement: Literal["next-highest-in-district", "new-designation"] | None = None
    replaced_by: _ReplacedBy | None = None


class _Ruling(_EventBase):
    court: Text
    number: Text | None = None
    ruling: Text | None = None
    decision: Text | None = None
    holding: Text
    status: Literal["decided", "pending"] = "decided"


class _Session(_EventBase):
    decision: Text
    outcome: Literal["no-quorum", "not-held", "postponed", "left-open", "failed", "elected"]
    present: Count | None = None
    present_alternatives: tuple[Text, ...] = ()
    quorum: Count | None = None
    signatures: Count | None = None
    chair: Text | None = None


class _Agreement(_EventBase):
    broker: Text | None = None
    terms: Annotated[tuple[Text, ...], Field(min_length=1)]


class _OutsideVeto(_EventBase):
    target: Text
    office: Literal["prime-minister", "president", "speaker"]
    outcome: Text | None = None


class _Boycott(_EventBase):
    decision: Text | None = None
    members_claimed: Text | None = None
    outcome: Text | None = None


class _Violence(_EventBase):
    place: Text
    end: Day | None = None
    deaths: Text | None = None
    injured: Text | None = None


_EVENT_MODELS: dict[str, type[_EventBase]] = {
    "resignation": _Resignation, "ruling": _Ruling, "session": _Session, "agreement": _Agreement,
    "outside-veto": _OutsideVeto, "boycott": _Boycott, "violence": _Violence,
}
_BASE_KEYS = tuple(_EventBase.model_fields)


class _EventsFile(StrictModel):
    events: Annotated[tuple[dict[str, Any], ...], Field(min_length=1)]


def _payload(model: _EventBase) -> dict[str, object]:
    out: dict[str, object] = {}
    for name in type(model).model_fields:
        if name in _BASE_KEYS:
            continue
        value = getattr(model, name)
        if value is None or value == ():
            continue
        if isinstance(value, BaseModel):
            inner = {k: v for k, v in value.model_dump().items() if v is not None}
            if isinstance(inner.get("by_bloc"), dict):
                inner["by_bloc"] = types.MappingProxyType(inner["by_bloc"])
            value = types.MappingProxyType(inner)
        out[name] = value
    return out


def _check_event(e: _EventBase, at: KeyPath, where: _Where) -> None:
    cycles = {c.cycle: c for c in _bundled_cycles()}
    if e.cycle not in cycles:
        raise where.unknown("formation cycle (a row of cycles.csv)", e.cycle, cycles, (*at, "cycle"))
    cycle = cycles[e.cycle]
    election = packs.load().record().election(cycle.election)
    known = _known_ids(election.id)
    for index, name in enumerate(e.actors):
        if name not in known:
            raise where.unknown(f"bloc or list of election {election.id}", name, known, (*at, "actors", index))
    if len(set(e.actors)) != len(e.actors):
        raise where.error((*at, "actors"), "names an actor twice")
    if e.date < election.date:
        raise where.error((*at, "date"), f"{e.date} is before election {election.id} of {election.date}")
    if cycle.dates.cabinet is not None and e.date > cycle.dates.cabinet:
        raise where.error((*at, "date"), f"{e.date} is after the cabinet of cycle {e.cycle} ({cycle.dates.cabinet})")
    for key in ("accepted", "end"):
        later = getattr(e, key, None)
        if later is not None and later < e.date:
            raise where.error((*at, key), f"{later} is before the event's date {e.date}")
    decisions = [d.id for d in packs.load().constitution().decisions]
    decision = getattr(e, "decision", None)
    if decision is not None and decision not in decisions:
        raise where.unknown("decision of the constitution", decision, decisions, (*at, "decision"))
    if isinstance(e, _Ruling) and e.ruling is not None:
        rulings = [r.id for r in packs.load().constitution().rulings]
        if e.ruling not in rulings:
            raise where.unknown("ruling of the constitution", e.ruling, rulings, (*at, "ruling"))
    house = election.house_size
    if isinstance(e, _Session):
        for key in ("present", "quorum", "signatures"):
            value = getattr(e, key)
            if value is not None and value > house:
                raise where.error((*at, key), f"{value} exceeds the house of {house}")
    if isinstance(e, _Resignation):
        if e.office == "members" and e.seats is None:
            raise where.error((*at, "seats"), "a resignation of members needs the number of seats")
        if e.office == "prime-minister" and e.person is None:
            raise where.error((*at, "person"), "a Prime Minister's resignation needs the person")
        if e.seats is not None and e.seats > house:
            raise where.error((*at, "seats"), f"{e.seats} exceeds the house of {house}")
        r = e.replaced_by
        if r is not None:
            rb = (*at, "replaced_by")
            if r.date < e.date:
                raise where.error((*rb, "date"), f"{r.date} is before the resignation of {e.date}")
            if e.seats is not None and r.sworn_in + (r.absent or 0) > e.seats:
                raise where.error((*rb, "sworn_in"), f"{r.sworn_in} sworn in and {r.absent or 0} absent exceed "
                                                     f"the {e.seats} seats resigned")
            if e.seats is not None and r.absent is not None and r.sworn_in + r.absent != e.seats:
                raise where.error((*rb, "absent"), f"{r.sworn_in} sworn in + {r.absent} absent is not the "
                                                   f"{e.seats} seats resigned")
            if isinstance(r.by_bloc, dict):
                for name in r.by_bloc:
                    if name not in known:
                        raise where.unknown(f"bloc or list of election {election.id}", name, known,
                                            (*rb, "by_bloc", name))
                if sum(r.by_bloc.values()) > r.sworn_in:
                    raise where.error((*rb, "by_bloc"), f"shares out more than the {r.sworn_in} sworn in")


def _load_events(data: bytes, source: str, *, bundled: bool) -> tuple[Event, ...]:
    where = _open(data, source)
    model = where.validate(_EventsFile)
    out: list[Event] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(model.events):
        at: KeyPath = ("events", index)
        kind = raw.get("kind")
        if not isinstance(kind, str) and kind is not None:
            raise where.error((*at, "kind"), f"kind must be text, one of {', '.join(EVENT_KINDS)}")
        if kind not in _EVENT_MODELS:
            if kind is None:
                raise where.error(at, "missing required key 'kind'")
            close = difflib.get_close_matches(str(kind), EVENT_KINDS, n=1, cutoff=0.5)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise where.error((*at, "kind"), f"{kind!r} is not one of {', '.join(EVENT_KINDS)}{hint}")
        e = where.within(_EVENT_MODELS[kind], raw, at)
        if e.id in seen:
            raise where.error((*at, "id"), f"duplicate event id {e.id!r} (also events[{seen[e.id] + 1}])")
        seen[e.id] = index
        if bundled and not e.sources:
            raise where.error((*at, "sources"), "a bundled event needs at least one source")
        _check_event(e, at, where)
        out.append(
            Event(
                id=e.id, cycle=e.cycle, date=e.date, kind=e.kind, actors=e.actors,
                payload=types.MappingProxyType(_payload(e)), sources=e.sources, notes=e.notes, by=e.by,
                removable=e.removable,
            )
        )
    return tuple(sorted(out, key=lambda x: (x.date, x.id)))


@functools.cache
def _bundled_events() -> tuple[Event, ...]:
    item = _folder().joinpath("events.toml")
    return _load_events(item.read_bytes(), f"{packs.load().body().display}/formation/events.toml", bundled=True)


def events(cycle: str) -> tuple[Event, ...]:
    """The bundled exogenous events of one cycle, by date.

    >>> [e.id for e in events("2026")]
    ['maliki-us-veto', 'presidential-session-2026-01-27', 'art-72-deadline-request-2026']
    >>> events("2022")[1].kind, events("2022")[1].payload["ruling"]
    ('ruling', '16-federal-2022')
    """
    cycle_record(cycle)
    return tuple(e for e in _bundled_events() if e.cycle == cycle)


def load_events_file(path: str | Path) -> tuple[Event, ...]:
    """Events from a user's own TOML file (``[[events]]`` as in the bundled ``events.toml``),
    validated alike except that sources may be left out."""
    path = Path(path)
    return _load_events(read_bytes(path, "events"), str(path), bundled=False)


# ----------------------------------------------------------------------------- actors


class _Positions(StrictModel):
    sectarian_national: Position
    iran_west: Position
    centralisation: Position


class _Actor(StrictModel):
    id: Slug
    name: Text | None = None
    community: Literal["Shia Arab", "Sunni Arab", "Kurdish", "mixed-secular", "minority", "independent"]
    groups: tuple[Slug, ...] = ()
    positions: _Positions
    office_motive: Motive
    policy_motive: Motive
    reasoning: Text
    sources: tuple[Url, ...] = ()


class _Trust(StrictModel):
    a: Slug
    b: Slug
    value: Position
    reasoning: Text | None = None
    sources: tuple[Url, ...] = ()


class _ActorsFile(StrictModel):
    cycle: Text
    election: Text
    bloc_map: Text
    basis: Text
    title: Text | None = None
    notes: Text | None = None
    sources: tuple[Url, ...] = ()
    actors: Annotated[tuple[_Actor, ...], Field(min_length=1)]
    trust: tuple[_Trust, ...] = ()


def _load_actors(data: bytes, source: str, cycle: str, *, bundled: bool) -> Actors:
    where = _open(data, source)
    f = where.validate(_ActorsFile)
    cycles = {c.cycle: c for c in _bundled_cycles()}
    if f.cycle not in cycles:
        raise where.unknown("formation cycle (a row of cycles.csv)", f.cycle, cycles, ("cycle",))
    if f.cycle != cycle:
        raise where.error(("cycle",), f"the file is for cycle {f.cycle!r}, but {cycle!r} was asked for")
    record = cycles[f.cycle]
    if f.election != record.election:
        raise where.error(("election",), f"cycle {f.cycle} follows election {record.election!r}, not {f.election!r}")
    if bundled and f.basis != "editorial":
        raise where.error(("basis",), 'bundled actors are editorial defaults: basis = "editorial"')
    maps = {m.id: m for m in packs.load().bloc_maps(f.election)}
    if f.bloc_map not in maps:
        raise where.unknown(f"bloc map of election {f.election}", f.bloc_map, maps, ("bloc_map",))
    bmap = maps[f.bloc_map]
    election = packs.load().record().election(f.election)
    players = {p: n for p, n in bmap.seats({x.list_id: x.seats for x in election.lists}).items() if n > 0}
    blocs = {b.id: b for b in bmap.blocs}
    known = set(players) | set(blocs) | set(bmap.list_ids)

    ids: dict[str, int] = {}
    for index, a in enumerate(f.actors):
        if a.id in ids:
            raise where.error(("actors", index, "id"), f"duplicate actor id {a.id!r}")
        ids[a.id] = index
        if bundled and not a.sources:
            raise where.error(("actors", index, "sources"), "a bundled actor needs at least one source")

    covers: dict[str, list[str]] = {}
    split_lists: dict[str, str] = {}  # list id -> bloc it is split out of
    for index, a in enumerate(f.actors):
        at: KeyPath = ("actors", index)
        if a.groups:
            if a.id in known and a.id not in a.groups:
                raise where.error((*at, "id"), f"{a.id!r} is a player of {bmap.id}; a group that takes its id "
                                               "must list it in `groups`, or use another id")
            for position, name in enumerate(a.groups):
                if name not in players:
                    raise where.unknown(f"player with seats of bloc map {bmap.id}", name, players,
                                        (*at, "groups", position))
                covers.setdefault(name, []).append(a.id)
            continue
        if a.id in players:
            covers.setdefault(a.id, []).append(a.id)
            continue
        holders = bmap.blocs_of(a.id) if a.id in bmap.list_ids else ()
        if len(holders) == 1 and all(m.seats is None for m in blocs[holders[0]].members):
            split_lists[a.id] = holders[0]
            continue
        raise where.unknown(f"player of bloc map {bmap.id} (or a list of a bloc split into its lists)",
                            a.id, sorted(players), (*at, "id"))
    for list_id, bloc in split_lists.items():
        missing = [m for m in blocs[bloc].list_ids if m not in split_lists]
        if missing:
            raise where.error(("actors", ids[list_id], "id"),
                              f"{list_id!r} is a list of bloc {bloc!r}: to split the bloc into its lists, give "
                              f"each of them an actor (missing: {', '.join(missing)})")
    for bloc in dict.fromkeys(split_lists.values()):
        if bloc in covers:
            holder = covers[bloc][0]
            raise where.error(("actors", ids[holder], "id"),
                              f"bloc {bloc!r} is split into its lists, so it cannot also be covered by {holder!r}")
        covers[bloc] = list(blocs[bloc].list_ids)
    for player, holders in covers.items():
        if len(holders) > 1 and player not in split_lists.values():
            raise where.error(("actors", ids[holders[1]]),
                              f"player {player!r} is covered twice (by {', '.join(holders)})")
    uncovered = [p for p in players if p not in covers]
    if uncovered:
        listing = ", ".join(f"{p} ({players[p]} seats)" for p in uncovered)
        raise where.error(("actors",), f"players of bloc map {bmap.id} without an actor: {listing}; add an "
                                       "actor for each, or list them in a group's `groups`")

    trust: dict[frozenset[str], Fraction] = {}
    entries: list[Trust] = []
    for index, t in enumerate(f.trust):
        at = ("trust", index)
        for key in ("a", "b"):
            name = getattr(t, key)
            if name not in ids:
                raise where.unknown("actor of this file", name, ids, (*at, key))
        if t.a == t.b:
            raise where.error((*at, "b"), "trust is between two different actors")
        pair = frozenset((t.a, t.b))
        if pair in trust:
            raise where.error(at, f"the pair {t.a}/{t.b} is listed twice")
        if bundled and not t.sources:
            raise where.error((*at, "sources"), "a bundled trust pair needs at least one source")
        trust[pair] = t.value
        entries.append(Trust(t.a, t.b, t.value, t.reasoning, t.sources))

    cast = {
        a.id: Actor(
            id=a.id, community=a.community,
            positions=types.MappingProxyType({d: getattr(a.positions, d) for d in DIMENSIONS}),
            office_motive=a.office_motive, policy_motive=a.policy_motive, reasoning=a.reasoning,
            sources=a.sources, name=a.name, groups=a.groups,
        )
        for a in f.actors
    }
    return Actors(
        cycle=f.cycle, election=f.election, bloc_map_id=bmap.id, actors=types.MappingProxyType(cast),
        trust=types.MappingProxyType(trust), basis=f.basis,
        covers=types.MappingProxyType({p: tuple(h) for p, h in covers.items()}), title=f.title, notes=f.notes,
        trust_entries=tuple(entries), source=source, bloc_map=bmap,
    )


@functools.cache
def _bundled_actors(cycle: str) -> Actors:
    item = _folder().joinpath("actors", f"{cycle}.toml")
    return _load_actors(item.read_bytes(), f"{packs.load().body().display}/formation/actors/{cycle}.toml", cycle, bundled=True)


def _actor_cycles() -> tuple[str, ...]:
    folder = _folder().joinpath("actors")
    if not folder.is_dir():
        return ()
    return tuple(sorted(p.name[: -len(".toml")] for p in folder.iterdir() if p.name.endswith(".toml")))


def actors(cycle: str) -> Actors:
    """The bundled actors of a cycle (editorial defaults), validated and cached.

    >>> sorted(actors("2010").actors)
    ['iraqiya', 'kurdish-coalition', 'minority-quota', 'national-alliance', 'wasat']
    """
    available = _actor_cycles()
    if cycle not in available:
        raise UnknownNameError("formation cycle with actors", str(cycle), available)
    return _bundled_actors(cycle)


def load_actors_file(path: str | Path, cycle: str) -> Actors:
    """A user's own actors file for ``cycle``, validated like the bundled ones (sources may be
    left out, and ``basis`` may say anything, e.g. ``"survey 2024"``)."""
    path = Path(path)
    return _load_actors(read_bytes(path, "actors"), str(path), cycle, bundled=False)
