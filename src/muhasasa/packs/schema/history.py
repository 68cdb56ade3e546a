"""A body's formation record: ``formation/cycles.csv``, ``formation/events.toml`` and
``formation/actors/<cycle>.toml``.

* ``cycles.csv`` — one row per formation cycle (:class:`CycleRecord`): the dates of each
  constitutional step, who took the top offices, the Prime Minister's bloc (or
  ``consensus``), the coalition, days, failed designations, the cabinet's share-out; each row
  sourced.
* ``events.toml`` — the record's exogenous events (:class:`Event` and its kinds): rulings,
  sessions, boycotts, resignations, agreements, outside vetoes, violence; each dated,
  sourced and marked ``removable`` so that a replay may drop it.
* ``actors/<cycle>.toml`` — the players of one bloc map of the cycle (:class:`Actors`): their
  community, positions on three scales (-1..1), office and policy motives (0..1) and the
  trust between pairs; editorial defaults with reasons and sources.

The schemas are the values: each is a frozen pydantic model (rows: :class:`muhasasa.packs.csv.Row`)
read through :func:`muhasasa.packs.csv.read_rows` or :func:`muhasasa.packs.toml.load_toml`,
checked against the pack (its record, bloc maps, constitution, communities) given as context,
and every mistake is an :class:`~muhasasa.errors.InputError` at its file, line and field.

>>> import muhasasa.packs as packs
>>> iraq = packs.load("iraq")
>>> r = iraq.cycle("2022")
>>> r.pm_bloc, r.days_election_to_cabinet, r.dates.president
('coordination-framework', 382, datetime.date(2022, 10, 13))
>>> [(e.id, e.payload["seats"]) for e in iraq.events("2022") if e.kind == "resignation"]
[('sadrist-resignation', 73)]
>>> cast = iraq.actors("2022")
>>> cast.bloc_map_id, cast.actors["sadrists"].positions["sectarian_national"]
('2022-01-09-first-session', Fraction(1, 5))
"""

from __future__ import annotations

import datetime as dt
import re
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from pydantic import (
    BeforeValidator,
    Field,
    PrivateAttr,
    Strict,
    ValidationInfo,
    model_validator,
)

from muhasasa.errors import InputError, UnknownNameError
from muhasasa.exact import to_fraction
from muhasasa.packs.csv import OptCount, Required, Row, YesNo, read_rows
from muhasasa.packs.csv import Text as CellText
from muhasasa.packs.schema.blocs import BlocMap
from muhasasa.packs.schema.types import Count, Slug, Text, Url
from muhasasa.packs.toml import KeyPath, Problem, StrictModel, did_you_mean, load_toml

if TYPE_CHECKING:
    from muhasasa.packs import Pack

__all__ = [
    "CONSENSUS",
    "DIMENSIONS",
    "EVENT_KINDS",
    "Actor",
    "Actors",
    "CycleDates",
    "CycleRecord",
    "ElectedList",
    "Event",
    "Trust",
    "load_actors_bytes",
    "load_cycles_bytes",
    "load_events_bytes",
]

#: The policy scales of an actor's ``positions``, each from -1 to 1.
DIMENSIONS = ("sectarian_national", "iran_west", "centralisation")
#: The kinds of exogenous event.
EVENT_KINDS = ("resignation", "ruling", "session", "agreement", "outside-veto", "boycott", "violence")
#: ``pm_bloc`` of a cycle whose Prime Minister was a compromise of several blocs.
CONSENSUS = "consensus"

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_INT = re.compile(r"^[0-9]+$")
_URL = re.compile(r"^https?://\S+$")


# ============================================================================= cycles.csv


def _opt_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date) or value is None:
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date YYYY-MM-DD") from None


def _ids(value: Any) -> tuple[str, ...]:
    if isinstance(value, tuple):
        return value
    out = tuple(p.strip() for p in str(value).split("|") if p.strip())
    for part in out:
        if not _SLUG.match(part):
            raise ValueError(f"{part!r} is not a bloc or list id (lowercase letters, digits, hyphens)")
    if len(set(out)) != len(out):
        raise ValueError(f"{str(value).strip()!r} names an id twice")
    return out


def _counts(value: Any) -> Mapping[str, int]:
    if isinstance(value, Mapping):
        return types.MappingProxyType(dict(value))
    out: dict[str, int] = {}
    for part in (p.strip() for p in str(value).split("|") if p.strip()):
        key, sep, count = part.rpartition(":")
        if not sep or not _INT.match(count.strip()):
            raise ValueError(f"{part!r} is not 'name:count' (e.g. 'islah:9|binaa:9')")
        key = key.strip()
        if key in out:
            raise ValueError(f"{key!r} appears twice")
        out[key] = int(count)
    return types.MappingProxyType(out)


def _sources(value: Any) -> str:
    text = str(value).strip()
    if not text:
        raise ValueError("must not be empty")
    for url in (s.strip() for s in text.split(" ; ")):
        if not _URL.match(url):
            raise ValueError(f"{url!r} is not a web address; separate sources with ' ; '")
    return text


OptDate = Annotated[dt.date | None, BeforeValidator(_opt_date)]
Ids = Annotated[tuple[str, ...], BeforeValidator(_ids)]
Counts = Annotated[Mapping[str, int], BeforeValidator(_counts)]
SourceText = Annotated[str, BeforeValidator(_sources)]


@dataclass(frozen=True)
class CycleDates:
    """The dates of one cycle's steps (a view of a :class:`CycleRecord`); None where a step
    did not happen or is not known. ``trigger`` opened a cycle without an election."""

    election: dt.date | None
    certified: dt.date | None
    first_session: dt.date | None
    speaker: dt.date | None
    president: dt.date | None
    pm_designated: dt.date | None
    cabinet: dt.date | None
    trigger: dt.date | None = None


_DATE_STEPS = ("election", "certified", "first_session", "speaker", "president", "pm_designated", "cabinet")


class CycleRecord(Row):
    """One formation cycle as the record knows it (a row of ``cycles.csv``).

    ``pm_bloc`` is the bloc or list that nominated the Prime Minister alone, or
    :data:`CONSENSUS` for a compromise nominee of several blocs (``pm_nominated_by`` names
    them). ``replayable`` is false for cycles that are not an election followed by the
    constitution's steps.
    """

    cycle: Required
    title: Required
    election: Required
    replayable: YesNo
    election_date: OptDate = None
    certified_date: OptDate = None
    trigger_date: OptDate = None
    first_session_date: OptDate = None
    speaker_date: OptDate = None
    speaker_name: CellText = None
    speaker_community: CellText = None
    president_date: OptDate = None
    president_name: CellText = None
    president_community: CellText = None
    president_party: CellText = None
    pm_designated_date: OptDate = None
    pm_name: Required
    pm_community: CellText = None
    pm_bloc: CellText = None
    pm_nominated_by: Ids = ()
    coalition: Ids = ()
    cabinet_date: OptDate = None
    days_election_to_cabinet: OptCount = None
    days_trigger_to_cabinet: OptCount = None
    failed_designations: OptCount = None
    presidential_rounds: OptCount = None
    confidence_votes_for: OptCount = None
    ministers_approved: OptCount = None
    ministries_total: OptCount = None
    ministries_by_bloc: Counts = Field(default_factory=dict)
    ministries_by_community: Counts = Field(default_factory=dict)
    confidence_level: Required
    source: SourceText
    notes: CellText = None

    @property
    def dates(self) -> CycleDates:
        """The dates of the cycle's steps."""
        return CycleDates(*(getattr(self, f"{s}_date") for s in _DATE_STEPS), trigger=self.trigger_date)

    @property
    def sources(self) -> tuple[str, ...]:
        """The source URLs of the row."""
        return tuple(s.strip() for s in self.source.split(" ; ") if s.strip())

    @property
    def consensus(self) -> bool:
        """Whether the Prime Minister was a compromise of several blocs."""
        return self.pm_bloc == CONSENSUS


#: Steps in constitutional order; a date may not precede the ones before it.
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


def known_ids(pack: Pack, election: str) -> Mapping[str, str]:
    """Every bloc and list id of an election: the record's lists and the blocs of its maps."""
    known: dict[str, str] = {}
    for x in pack.election(election).lists:
        known[x.list_id] = "list"
    for m in pack.bloc_maps(election):
        for b in m.blocs:
            known.setdefault(b.id, f"bloc of {m.id}")
    return known


def load_cycles_bytes(data: bytes, source: str, pack: Pack, body: str) -> tuple[CycleRecord, ...]:
    """The rows of a ``cycles.csv``, each checked against the pack's record and bloc maps."""
    rows = read_rows(data, source, CycleRecord)
    seen: dict[str, int] = {}
    for line, r in rows:
        if r.cycle in seen:
            raise InputError(source, f"duplicate cycle {r.cycle!r} (first at line {seen[r.cycle]})",
                             line=line, field="cycle")
        seen[r.cycle] = line
        _check_cycle_row(line, r, source, pack, body)
    return tuple(sorted((r for _, r in rows), key=lambda c: c.cycle))


def _check_cycle_row(line: int, r: CycleRecord, source: str, pack: Pack, body: str) -> None:
    def fail(column: str, problem: str) -> InputError:
        return InputError(source, problem, line=line, field=column)

    elections = pack.body_record(body).election_ids
    if r.election not in elections:
        raise UnknownNameError("election", r.election, elections, source=source, line=line, field="election")
    election = pack.election(r.election)
    if not re.fullmatch(r"[0-9]{4}", r.cycle):
        raise fail("cycle", f"{r.cycle!r} is not a cycle id: the year the government was formed")
    communities = pack.community_ids
    for column in ("speaker_community", "president_community", "pm_community"):
        value = getattr(r, column)
        if value is not None and value not in communities:
            raise fail(column, f"{value!r} is not one of {', '.join(communities)}{did_you_mean(value, communities)}")
    for key in r.ministries_by_community:
        if key not in communities:
            raise fail("ministries_by_community", f"{key!r} is not one of {', '.join(communities)}")
    if r.election_date is not None and r.election_date != election.date:
        raise fail("election_date", f"{r.election_date} is not the date of election {election.id} in the "
                                    f"record ({election.date})")
    if r.replayable:
        # a mid-term cycle (a trigger: the PM's post fell vacant) takes only the cabinet steps
        steps = ("trigger", "pm_designated", "cabinet") if r.trigger_date is not None else _DATE_STEPS
        for step in steps:
            if getattr(r, f"{step}_date") is None:
                raise fail(f"{step}_date", "a replayable cycle needs the date of every step")
        if not r.pm_nominated_by and r.pm_bloc != CONSENSUS:
            raise fail("pm_nominated_by", "a replayable cycle needs the bloc(s) that nominated the PM "
                                          "(or pm_bloc consensus)")
    for before, after in _ORDER:
        b, a = getattr(r, before), getattr(r, after)
        if b is not None and a is not None and a < b:
            raise fail(after, f"{after} {a} is before {before} {b}: dates out of order")
    for days, start in (("days_election_to_cabinet", "election_date"), ("days_trigger_to_cabinet", "trigger_date")):
        begin, end, given = getattr(r, start), r.cabinet_date, getattr(r, days)
        if begin is not None and end is not None:
            span = (end - begin).days
            if given is None:
                raise fail(days, f"empty, but the dates give {span} days ({start} {begin} to cabinet_date {end})")
            if given != span:
                raise fail(days, f"{given} contradicts the dates: {start} {begin} to cabinet_date {end} is "
                                 f"{span} days")
        elif given is not None:
            raise fail(days, f"cannot be checked: {start} and cabinet_date are both needed")
    known = known_ids(pack, election.id)

    def check_id(name: str, column: str) -> None:
        if name not in known:
            raise UnknownNameError(f"bloc or list of election {election.id}", name, known, source=source,
                                   line=line, field=column)

    if r.pm_bloc is not None:
        if r.pm_bloc == CONSENSUS:
            if len(r.pm_nominated_by) == 1:
                raise fail("pm_nominated_by", "a consensus Prime Minister is nominated by two or more blocs "
                                              "(or by blocs the sources leave unnamed: leave it empty)")
        else:
            check_id(r.pm_bloc, "pm_bloc")
            if r.pm_nominated_by and r.pm_bloc not in r.pm_nominated_by:
                raise fail("pm_nominated_by", f"does not include pm_bloc {r.pm_bloc!r}")
    for column in ("pm_nominated_by", "coalition"):
        for name in getattr(r, column):
            check_id(name, column)
    for key in r.ministries_by_bloc:
        for name in key.split("+"):
            if not _SLUG.match(name):
                raise fail("ministries_by_bloc", f"{name!r} is not a bloc or list id (join ids sharing one count "
                                                 "with '+')")
            check_id(name, "ministries_by_bloc")
    total = r.ministries_total
    if total is not None:
        if r.ministers_approved is not None and r.ministers_approved > total:
            raise fail("ministers_approved", f"{r.ministers_approved} approved of {total} ministries")
        shared = sum(r.ministries_by_bloc.values())
        if shared > total:
            raise fail("ministries_by_bloc", f"shares {shared} ministries of {total}")
    if r.confidence_votes_for is not None and r.confidence_votes_for > election.house_size:
        raise fail("confidence_votes_for", f"{r.confidence_votes_for} votes in a house of {election.house_size}")


# ============================================================================= exact numbers


def _to_date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        raise ValueError(f"must be a date like 2022-06-12 without a time, got {value:%Y-%m-%dT%H:%M}")
    if isinstance(value, dt.date):
        return value
    raise ValueError(f"must be a date like 2022-06-12 (unquoted), got {value!r}")


def _ranged(low: int, high: int) -> Callable[[Any], Fraction]:
    def number(value: Any) -> Fraction:
        if isinstance(value, Fraction):
            out = value
        elif isinstance(value, bool) or not isinstance(value, str):
            raise ValueError(f'must be a number written as quoted text, e.g. "0.5", got {value!r}')
        else:
            try:
                out = to_fraction(value, what="number")
            except (ValueError, ZeroDivisionError):
                raise ValueError(f'{value!r} is not an exact number like "-0.6" or "1/3"') from None
        if not low <= out <= high:
            raise ValueError(f"{value!r} is outside [{low}, {high}]")
        return out

    return number


Day = Annotated[dt.date, BeforeValidator(_to_date)]
Position = Annotated[Fraction, BeforeValidator(_ranged(-1, 1))]
Motive = Annotated[Fraction, BeforeValidator(_ranged(0, 1))]
StrictBool = Annotated[bool, Strict()]


# ============================================================================= events


class _EventBase(StrictModel):
    """What every exogenous event has: id, cycle, date, kind, actors (bloc or list ids of the
    cycle), ``by`` (who acted from outside parliament), removable, sources, notes."""

    id: Slug
    cycle: Text
    date: Day
    kind: str
    actors: tuple[Slug, ...] = ()
    by: Text | None = None
    removable: StrictBool = True
    sources: tuple[Url, ...] = ()
    notes: Text | None = None

    @property
    def payload(self) -> Mapping[str, object]:
        """The kind's own fields that are given (``seats``, ``replaced_by`` ...), read-only."""
        out: dict[str, object] = {}
        for name in type(self).model_fields:
            if name in _BASE_KEYS:
                continue
            value = getattr(self, name)
            if value is None or value == ():
                continue
            if isinstance(value, StrictModel):
                inner = {k: v for k, v in value.model_dump().items() if v is not None}
                if isinstance(inner.get("by_bloc"), dict):
                    inner["by_bloc"] = types.MappingProxyType(inner["by_bloc"])
                value = types.MappingProxyType(inner)
            out[name] = value
        return types.MappingProxyType(out)


_BASE_KEYS = tuple(_EventBase.model_fields)


class ReplacedBy(StrictModel):
    """Who replaced resigning members, and when."""

    sworn_in: Count
    date: Day
    absent: Count | None = None
    absent_note: Text | None = None
    by_bloc: Literal["unknown"] | dict[str, Count] = "unknown"


class Resignation(_EventBase):
    """Members (or a Prime Minister) resign."""

    kind: Literal["resignation"]
    office: Literal["members", "prime-minister"]
    person: Text | None = None
    seats: Annotated[int, Strict(), Field(ge=1)] | None = None
    accepted: Day | None = None
    replacement: Literal["next-highest-in-district", "new-designation"] | None = None
    replaced_by: ReplacedBy | None = None


class Ruling(_EventBase):
    """A court ruling."""

    kind: Literal["ruling"]
    court: Text
    number: Text | None = None
    ruling: Text | None = None
    decision: Text | None = None
    holding: Text
    status: Literal["decided", "pending"] = "decided"


class Session(_EventBase):
    """A session of the house and what became of it."""

    kind: Literal["session"]
    decision: Text
    outcome: Literal["no-quorum", "not-held", "postponed", "left-open", "failed", "elected"]
    present: Count | None = None
    present_alternatives: tuple[Text, ...] = ()
    quorum: Count | None = None
    signatures: Count | None = None
    chair: Text | None = None


class Agreement(_EventBase):
    """An agreement between blocs."""

    kind: Literal["agreement"]
    broker: Text | None = None
    terms: Annotated[tuple[Text, ...], Field(min_length=1)]


class OutsideVeto(_EventBase):
    """An outside actor's veto on a nominee."""

    kind: Literal["outside-veto"]
    target: Text
    office: Literal["prime-minister", "president", "speaker"]
    outcome: Text | None = None


class Boycott(_EventBase):
    """Members stay away from a decision."""

    kind: Literal["boycott"]
    decision: Text | None = None
    members_claimed: Text | None = None
    outcome: Text | None = None


class Violence(_EventBase):
    """Violence that bears on formation. ``protest``: violence met by (or met with) a protest
    movement, which the formation model counts as exogenous pressure from its date until
    ``end`` (until the cycle's end when no end is recorded)."""

    kind: Literal["violence"]
    place: Text
    end: Day | None = None
    deaths: Text | None = None
    injured: Text | None = None
    protest: StrictBool = False


Event = Annotated[Union[Resignation, Ruling, Session, Agreement, OutsideVeto, Boycott, Violence],  # noqa: UP007
                  Field(discriminator="kind")]


class EventsFile(StrictModel):
    """``events.toml``: ``[[events]]`` of every kind, checked against the pack."""

    events: Annotated[tuple[Event, ...], Field(min_length=1)]

    @model_validator(mode="before")
    @classmethod
    def _kinds(cls, raw: Any) -> Any:
        for index, item in enumerate(raw.get("events", ()) if isinstance(raw, Mapping) else ()):
            if not isinstance(item, Mapping):
                continue
            kind = item.get("kind")
            if kind is None:
                raise Problem(("events", index), "missing required key 'kind'")
            if not isinstance(kind, str):
                raise Problem(("events", index, "kind"), f"kind must be text, one of {', '.join(EVENT_KINDS)}")
            if kind not in EVENT_KINDS:
                raise Problem(("events", index, "kind"),
                              f"{kind!r} is not one of {', '.join(EVENT_KINDS)}{did_you_mean(kind, EVENT_KINDS)}")
        return raw

    @model_validator(mode="after")
    def _checked(self, info: ValidationInfo) -> EventsFile:
        context = info.context or {}
        pack, cycles, bundled = context["pack"], context["cycles"], context.get("bundled", True)
        seen: dict[str, int] = {}
        for index, e in enumerate(self.events):
            at: KeyPath = ("events", index)
            if e.id in seen:
                raise Problem((*at, "id"), f"duplicate event id {e.id!r} (also events[{seen[e.id] + 1}])")
            seen[e.id] = index
            if bundled and not e.sources:
                raise Problem((*at, "sources"), "a bundled event needs at least one source")
            _check_event(e, at, pack, cycles)
        return self


def _check_event(e: Any, at: KeyPath, pack: Pack, cycles: Mapping[str, CycleRecord]) -> None:
    if e.cycle not in cycles:
        raise Problem.unknown((*at, "cycle"), "formation cycle (a row of cycles.csv)", e.cycle, cycles)
    cycle = cycles[e.cycle]
    election = pack.election(cycle.election)
    known = known_ids(pack, election.id)
    for index, name in enumerate(e.actors):
        if name not in known:
            raise Problem.unknown((*at, "actors", index), f"bloc or list of election {election.id}", name, known)
    if len(set(e.actors)) != len(e.actors):
        raise Problem((*at, "actors"), "names an actor twice")
    if e.date < election.date:
        raise Problem((*at, "date"), f"{e.date} is before election {election.id} of {election.date}")
    if cycle.cabinet_date is not None and e.date > cycle.cabinet_date:
        raise Problem((*at, "date"), f"{e.date} is after the cabinet of cycle {e.cycle} ({cycle.cabinet_date})")
    for key in ("accepted", "end"):
        later = getattr(e, key, None)
        if later is not None and later < e.date:
            raise Problem((*at, key), f"{later} is before the event's date {e.date}")
    constitution = pack.constitution(pack.body_of(election.id).id)
    decisions = [d.id for d in constitution.decisions]
    decision = getattr(e, "decision", None)
    if decision is not None and decision not in decisions:
        raise Problem.unknown((*at, "decision"), "decision of the constitution", decision, decisions)
    if isinstance(e, Ruling) and e.ruling is not None:
        rulings = [r.id for r in constitution.rulings]
        if e.ruling not in rulings:
            raise Problem.unknown((*at, "ruling"), "ruling of the constitution", e.ruling, rulings)
    house = election.house_size
    if isinstance(e, Session):
        for key in ("present", "quorum", "signatures"):
            value = getattr(e, key)
            if value is not None and value > house:
                raise Problem((*at, key), f"{value} exceeds the house of {house}")
    if isinstance(e, Resignation):
        if e.office == "members" and e.seats is None:
            raise Problem((*at, "seats"), "a resignation of members needs the number of seats")
        if e.office == "prime-minister" and e.person is None:
            raise Problem((*at, "person"), "a Prime Minister's resignation needs the person")
        if e.seats is not None and e.seats > house:
            raise Problem((*at, "seats"), f"{e.seats} exceeds the house of {house}")
        r = e.replaced_by
        if r is not None:
            rb = (*at, "replaced_by")
            if r.date < e.date:
                raise Problem((*rb, "date"), f"{r.date} is before the resignation of {e.date}")
            if e.seats is not None and r.sworn_in + (r.absent or 0) > e.seats:
                raise Problem((*rb, "sworn_in"), f"{r.sworn_in} sworn in and {r.absent or 0} absent exceed "
                                                 f"the {e.seats} seats resigned")
            if e.seats is not None and r.absent is not None and r.sworn_in + r.absent != e.seats:
                raise Problem((*rb, "absent"), f"{r.sworn_in} sworn in + {r.absent} absent is not the "
                                               f"{e.seats} seats resigned")
            if isinstance(r.by_bloc, dict):
                for name in r.by_bloc:
                    if name not in known:
                        raise Problem.unknown((*rb, "by_bloc", name), f"bloc or list of election {election.id}",
                                              name, known)
                if sum(r.by_bloc.values()) > r.sworn_in:
                    raise Problem((*rb, "by_bloc"), f"shares out more than the {r.sworn_in} sworn in")


def load_events_bytes(data: bytes, source: str, pack: Pack, cycles: Mapping[str, CycleRecord], *,
                      bundled: bool) -> tuple[Event, ...]:
    """The events of an ``events.toml``, checked, sorted by date and id."""
    model = load_toml(data, source, EventsFile, context={"pack": pack, "cycles": cycles, "bundled": bundled},
                      labels=_label)
    return tuple(sorted(model.events, key=lambda x: (x.date, x.id)))


# ============================================================================= actors


class Positions(StrictModel):
    """An actor's place on the three scales, each from -1 to 1."""

    sectarian_national: Position
    iran_west: Position
    centralisation: Position

    def __getitem__(self, dimension: str) -> Fraction:
        return getattr(self, dimension)

    def as_dict(self) -> dict[str, Fraction]:
        """Scale → position."""
        return {d: getattr(self, d) for d in DIMENSIONS}


class Standing(StrictModel):
    """An alliance that stood before the vote although its lists ran apart (``standing``): it
    chooses its nominee for Prime Minister by its own rule, so in a replay from the lists as
    elected its lists' candidates need not cede to one another to merge."""

    since: Annotated[dt.date, BeforeValidator(_opt_date)]
    reasoning: Text
    sources: tuple[Url, ...] = ()


class Actor(StrictModel):
    """One player of a cycle: its community, positions, motives and the reasons for them.
    ``groups`` lists the players of the bloc map the actor stands for when it groups several.

    ``community_seats`` splits the actor's seats (at its file's bloc map) among communities,
    for an actor whose members belong to several (a cross-communal camp): the convention's
    requirement that a coalition hold an office's community then counts every community the
    actor holds seats of. Empty: all its seats are ``community``'s."""

    id: Slug
    name: Text | None = None
    community: Text
    community_seats: dict[Text, Annotated[int, Strict(), Field(ge=1)]] = Field(default_factory=dict)
    groups: tuple[Slug, ...] = ()
    positions: Positions
    office_motive: Motive
    policy_motive: Motive
    #: the candidate for Prime Minister who leads the actor (a replay from the lists as elected:
    #: two blocs that each field one merge only if one cedes the premiership)
    pm_candidate: Text | None = None
    #: the actor stood as an alliance before the vote, its lists running apart (see :class:`Standing`)
    standing: Standing | None = None
    reasoning: Text
    sources: tuple[Url, ...] = ()


class ElectedList(StrictModel):
    """A list that starts a replay from the lists as elected on its own (``[[elected]]``):
    a list of a bloc formed after the vote, which the model's own bargaining may merge again
    (:mod:`muhasasa.formation.blocs`). Positions and motives default to its actor's."""

    list: Slug
    positions: Positions | None = None
    office_motive: Motive | None = None
    policy_motive: Motive | None = None
    #: the candidate for Prime Minister who leads the list (see :attr:`Actor.pm_candidate`)
    pm_candidate: Text | None = None
    reasoning: Text
    sources: tuple[Url, ...] = ()


class Trust(StrictModel):
    """The trust between two actors, -1 to 1, with its reasons."""

    a: Slug
    b: Slug
    value: Position
    reasoning: Text | None = None
    sources: tuple[Url, ...] = ()


class Actors(StrictModel):
    """``actors/<cycle>.toml``: the actors of one cycle, following one of its bloc maps.

    :attr:`actors` maps ids to :class:`Actor`; :attr:`covers` maps every player of the bloc
    map with seats to the actor ids that stand for it; :meth:`trust_between` gives 0 for a
    pair the file does not list.
    """

    cycle: Text
    election: Text
    bloc_map_id: Text = Field(alias="bloc_map")
    basis: Text
    title: Text | None = None
    notes: Text | None = None
    sources: tuple[Url, ...] = ()
    cast: Annotated[tuple[Actor, ...], Field(min_length=1, alias="actors")]
    trust_entries: tuple[Trust, ...] = Field(default=(), alias="trust")
    #: the lists of blocs formed after the vote, each on its own on election night
    elected: tuple[ElectedList, ...] = ()

    _covers: Mapping[str, tuple[str, ...]] = PrivateAttr(default_factory=dict)
    _bloc_map: BlocMap | None = PrivateAttr(default=None)
    _split: Mapping[str, str] = PrivateAttr(default_factory=dict)
    _source: str = PrivateAttr(default="actors")

    @model_validator(mode="after")
    def _checked(self, info: ValidationInfo) -> Actors:
        context = info.context or {}
        self._source = str(context.get("source", "actors"))
        _check_actors(self, context["pack"], context["cycles"], context["cycle"], context.get("bundled", True))
        return self

    @property
    def source(self) -> str:
        """The file the actors were read from."""
        return self._source

    @property
    def bloc_map(self) -> BlocMap | None:
        """The bloc map the actors follow."""
        return self._bloc_map

    @property
    def covers(self) -> Mapping[str, tuple[str, ...]]:
        """Each player of the bloc map with seats → the actors that stand for it."""
        return types.MappingProxyType(dict(self._covers))

    @property
    def split(self) -> Mapping[str, str]:
        """Each elected list (``[[elected]]``) → the actor whose bloc it starts outside of."""
        return types.MappingProxyType(dict(self._split))

    @property
    def actors(self) -> Mapping[str, Actor]:
        """The actors by id, in file order."""
        return types.MappingProxyType({a.id: a for a in self.cast})

    @property
    def trust(self) -> Mapping[frozenset[str], Fraction]:
        """The listed pairs' trust."""
        return types.MappingProxyType({frozenset((t.a, t.b)): t.value for t in self.trust_entries})

    def actor(self, actor_id: str) -> Actor:
        """One actor; :class:`UnknownNameError` with suggestions if absent."""
        if actor_id not in self.actors:
            raise UnknownNameError(f"actor of cycle {self.cycle}", actor_id, self.actors, source=self.source)
        return self.actors[actor_id]

    def trust_between(self, a: str, b: str) -> Fraction:
        """The trust between two actors or elected lists (0 where the file lists none; 1 for an
        actor with itself)."""
        for name in (a, b):
            if name not in self._split:
                self.actor(name)
        if a == b:
            return Fraction(1)
        return self.trust.get(frozenset((a, b)), Fraction(0))

    def actor_of(self, player: str) -> str:
        """The actor that stands for a player of the bloc map or one of its lists."""
        if player in self.actors and not self.actors[player].groups:
            return player
        holders = self._covers.get(player, ())
        if len(holders) == 1:
            return holders[0]
        if len(holders) > 1:
            raise InputError(self.source, f"bloc {player!r} is split into the actors {', '.join(holders)}")
        if self._bloc_map is not None and player in self._bloc_map.list_ids:
            for bloc in self._bloc_map.blocs_of(player):
                if len(self._covers.get(bloc, ())) == 1:
                    return self._covers[bloc][0]
        known = sorted(set(self._covers) | set(self.actors))
        raise UnknownNameError(f"player of cycle {self.cycle}", player, known, source=self.source)

    def seats(self, list_seats: Mapping[str, int]) -> dict[str, int]:
        """Seats per actor from seats per list, through the bloc map."""
        if self._bloc_map is None:
            raise InputError(self.source, "these actors carry no bloc map to count seats with")
        players = self._bloc_map.seats(list_seats)
        out = dict.fromkeys(self.actors, 0)
        for player, count in players.items():
            if count == 0:
                continue
            if player not in self._covers:
                raise InputError(self.source, f"player {player!r} of bloc map {self.bloc_map_id} has {count} seats "
                                              "but no actor")
            holders = self._covers[player]
            if len(holders) == 1:
                out[holders[0]] += count
            else:  # a bloc split into its lists
                for list_id in holders:
                    out[list_id] += list_seats.get(list_id, 0)
        return out


def _check_actors(f: Actors, pack: Pack, cycles: Mapping[str, CycleRecord], cycle: str, bundled: bool) -> None:
    if f.cycle not in cycles:
        raise Problem.unknown(("cycle",), "formation cycle (a row of cycles.csv)", f.cycle, cycles)
    if f.cycle != cycle:
        raise Problem(("cycle",), f"the file is for cycle {f.cycle!r}, but {cycle!r} was asked for")
    record = cycles[f.cycle]
    if f.election != record.election:
        raise Problem(("election",), f"cycle {f.cycle} follows election {record.election!r}, not {f.election!r}")
    if bundled and f.basis != "editorial":
        raise Problem(("basis",), 'bundled actors are editorial defaults: basis = "editorial"')
    communities = pack.community_ids
    maps = {m.id: m for m in pack.bloc_maps(f.election)}
    if f.bloc_map_id not in maps:
        raise Problem.unknown(("bloc_map",), f"bloc map of election {f.election}", f.bloc_map_id, maps)
    bmap = maps[f.bloc_map_id]
    election = pack.election(f.election)
    players = {p: n for p, n in bmap.seats({x.list_id: x.seats for x in election.lists}).items() if n > 0}
    blocs = {b.id: b for b in bmap.blocs}
    known = set(players) | set(blocs) | set(bmap.list_ids)

    ids: dict[str, int] = {}
    for index, a in enumerate(f.cast):
        if a.id in ids:
            raise Problem(("actors", index, "id"), f"duplicate actor id {a.id!r}")
        ids[a.id] = index
        if a.community not in communities:
            raise Problem(("actors", index, "community"), f"{a.community!r} is not one of "
                                                          f"{', '.join(communities)}{did_you_mean(a.community, communities)}")
        if bundled and not a.sources:
            raise Problem(("actors", index, "sources"), "a bundled actor needs at least one source")

    covers: dict[str, list[str]] = {}
    split_lists: dict[str, str] = {}  # list id -> bloc it is split out of
    for index, a in enumerate(f.cast):
        at: KeyPath = ("actors", index)
        if a.groups:
            if a.id in known and a.id not in a.groups:
                raise Problem((*at, "id"), f"{a.id!r} is a player of {bmap.id}; a group that takes its id "
                                           "must list it in `groups`, or use another id")
            for position, name in enumerate(a.groups):
                if name not in players:
                    raise Problem.unknown((*at, "groups", position), f"player with seats of bloc map {bmap.id}",
                                          name, players)
                covers.setdefault(name, []).append(a.id)
            continue
        if a.id in players:
            covers.setdefault(a.id, []).append(a.id)
            continue
        holders = bmap.blocs_of(a.id) if a.id in bmap.list_ids else ()
        if len(holders) == 1 and all(m.seats is None for m in blocs[holders[0]].members):
            split_lists[a.id] = holders[0]
            continue
        raise Problem.unknown((*at, "id"), f"player of bloc map {bmap.id} (or a list of a bloc split into its lists)",
                              a.id, sorted(players))
    for list_id, bloc in split_lists.items():
        missing = [m for m in blocs[bloc].list_ids if m not in split_lists]
        if missing:
            raise Problem(("actors", ids[list_id], "id"),
                          f"{list_id!r} is a list of bloc {bloc!r}: to split the bloc into its lists, give "
                          f"each of them an actor (missing: {', '.join(missing)})")
    for bloc in dict.fromkeys(split_lists.values()):
        if bloc in covers:
            holder = covers[bloc][0]
            raise Problem(("actors", ids[holder], "id"),
                          f"bloc {bloc!r} is split into its lists, so it cannot also be covered by {holder!r}")
        covers[bloc] = list(blocs[bloc].list_ids)
    for player, holders in covers.items():
        if len(holders) > 1 and player not in split_lists.values():
            raise Problem(("actors", ids[holders[1]]), f"player {player!r} is covered twice (by {', '.join(holders)})")
    for index, a in enumerate(f.cast):
        if not a.community_seats:
            continue
        at = ("actors", index, "community_seats")
        for name in a.community_seats:
            if name not in communities:
                raise Problem((*at, name), f"{name!r} is not one of {', '.join(communities)}"
                                           f"{did_you_mean(name, communities)}")
        if a.community not in a.community_seats:
            raise Problem(at, f"gives no seats to the actor's own community {a.community!r}")
        held = sum(players.get(p, 0) for p, holders in covers.items() if a.id in holders)
        if sum(a.community_seats.values()) != held:
            raise Problem(at, f"splits {sum(a.community_seats.values())} seats, but the actor holds {held} at "
                              f"bloc map {bmap.id}")
    uncovered = [p for p in players if p not in covers]
    if uncovered:
        listing = ", ".join(f"{p} ({players[p]} seats)" for p in uncovered)
        raise Problem(("actors",), f"players of bloc map {bmap.id} without an actor: {listing}; add an "
                                   "actor for each, or list them in a group's `groups`")

    split: dict[str, str] = {}  # elected list -> the actor whose bloc it starts outside of
    for index, e in enumerate(f.elected):
        at = ("elected", index, "list")
        if e.list in split:
            raise Problem(at, f"list {e.list!r} is listed twice")
        bloc = next((b for b in bmap.blocs if e.list in b.list_ids), None)
        if bloc is None or bloc.id not in covers or len(covers[bloc.id]) != 1:
            raise Problem(at, f"{e.list!r} is not a list of a bloc of {bmap.id} that one actor stands for")
        if e.list in ids:
            raise Problem(at, f"{e.list!r} is also an actor of this file")
        if bundled and not e.sources:
            raise Problem(("elected", index, "sources"), "a bundled elected list needs at least one source")
        split[e.list] = covers[bloc.id][0]
    for index, e in enumerate(f.elected):
        bloc = next(b for b in bmap.blocs if e.list in b.list_ids)
        elected_seats = {x.list_id: x.seats for x in election.lists}
        missing = [m for m in bloc.list_ids if m not in split and elected_seats.get(m)]
        if missing:
            raise Problem(("elected", index, "list"), f"bloc {bloc.id!r} starts as its lists: list each of them "
                                                      f"(missing: {', '.join(missing)})")
        if any(m.seats is not None for m in bloc.members):
            raise Problem(("elected", index, "list"), f"bloc {bloc.id!r} holds part of a list; only whole lists "
                                                      "can start on their own")
    for index, a in enumerate(f.cast):
        if a.standing is None:
            continue
        at = ("actors", index, "standing")
        if a.id not in split.values():
            raise Problem(at, f"{a.id!r} does not start as its lists (no [[elected]] list of its bloc), so a "
                              "standing alliance would act on nothing")
        if a.standing.since >= election.date:
            raise Problem((*at, "since"), f"{a.standing.since} is not before the election ({election.date}): "
                                          "an alliance formed after the vote is what the race models")
        if bundled and not a.standing.sources:
            raise Problem((*at, "sources"), "a bundled standing alliance needs at least one source")
    pairs: set[frozenset[str]] = set()
    for index, t in enumerate(f.trust_entries):
        at = ("trust", index)
        for key in ("a", "b"):
            name = getattr(t, key)
            if name not in ids and name not in split:
                raise Problem.unknown((*at, key), "actor or elected list of this file" if split else "actor of this file",
                                      name, [*ids, *split])
        if t.a == t.b:
            raise Problem((*at, "b"), "trust is between two different actors")
        pair = frozenset((t.a, t.b))
        if pair in pairs:
            raise Problem(at, f"the pair {t.a}/{t.b} is listed twice")
        if bundled and not t.sources:
            raise Problem((*at, "sources"), "a bundled trust pair needs at least one source")
        pairs.add(pair)
    f._covers = {p: tuple(h) for p, h in covers.items()}
    f._split = split
    f._bloc_map = bmap


def load_actors_bytes(data: bytes, source: str, cycle: str, pack: Pack, cycles: Mapping[str, CycleRecord], *,
                      bundled: bool) -> Actors:
    """The actors of one cycle, checked against the pack."""
    return load_toml(data, source, Actors, labels=_label,
                     context={"pack": pack, "cycles": cycles, "cycle": cycle, "bundled": bundled, "source": source})


def _label(item: Any) -> str | None:
    if isinstance(item, Mapping):
        if isinstance(item.get("id"), str):
            return item["id"]
        if isinstance(item.get("a"), str) and isinstance(item.get("b"), str):
            return f"{item['a']}/{item['b']}"
    return None

