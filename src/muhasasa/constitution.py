"""The constitution as data: decisions, deadlines, the largest-bloc rule and court rulings.

A country pack's ``constitution.toml`` (``packs/<pack>/constitution.toml``) or a user's own
file states each constitutional decision as a voting game on the house: a *quorum* to open
the session and a *threshold* to carry the vote, each a :class:`Requirement` with an exact
share (``"1/2"``, ``"2/3"``), a basis (``"members"`` of the house or those ``"present"``) and
a rounding rule (``"more-than"`` for an absolute majority, ``"at-least"`` for two-thirds,
one-fifth, one-third). Where sources disagree a decision keeps every :class:`Reading`, each
with its own sources, and marks one as the default. Deadlines run between named events
(``first-session`` → ``president-elected``), and court rulings are listed with their dates.

Seat counts are integer arithmetic on the exact share: *more than* s·N is ⌊s·N⌋ + 1 and
*at least* s·N is ⌈s·N⌉. Loading is strict, like :mod:`muhasasa.rules`: unknown keys (with a
suggestion), TOML floats, shares outside (0, 1], decisions without exactly one default
reading and references to unknown events, rulings or readings raise
:class:`~muhasasa.errors.InputError` naming the file, the field and the line.

>>> iraq = load_constitution()
>>> president = iraq.decision("president")
>>> president.quorum_seats(329), president.threshold_seats(329)
(220, 220)
>>> president.runoff.threshold_seats(329, present=269)
135
>>> [r.id for r in iraq.decision("confidence").readings]
['members', 'present']
>>> iraq.decision("confidence").threshold_seats(329, present=253, reading="present")
127
>>> iraq.house_sizes["2010"], iraq.deadline("art-72-president").days
(325, 30)
"""

from __future__ import annotations

import datetime as dt
import functools
import types
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field, Strict, StringConstraints
from pydantic_core import ErrorDetails

from muhasasa.errors import InputError, UnknownNameError
from muhasasa.exact import to_fraction, whole_number
from muhasasa.tomlfiles import (
    KEY_LINE,
    KeyPath,
    Locator,
    StrictModel,
    choose_pack,
    field_name,
    float_problem,
    last_key,
    pack_files,
    parse,
    read_bytes,
    table_contexts,
    text_problem,
)

__all__ = [
    "BASES",
    "ROUNDING_RULES",
    "Constitution",
    "Deadline",
    "Decision",
    "Framework",
    "HouseSize",
    "LargestBlocRule",
    "Reading",
    "Request",
    "Requirement",
    "Ruling",
    "constitution_packs",
    "load_constitution",
    "load_constitution_file",
]

#: What a share is counted on: all members of the house, or the members present.
BASES = ("members", "present")
#: How a share becomes seats: strictly more than it (absolute majority), or at least it.
ROUNDING_RULES = ("more-than", "at-least")

# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class Requirement:
    """A share of the house that a quorum or a vote must reach, exactly.

    ``basis`` is ``"members"`` (all members of the house) or ``"present"`` (those present);
    ``rule`` is ``"more-than"`` (an absolute majority: strictly more than the share) or
    ``"at-least"`` (two-thirds, one-fifth: the share or more).

    >>> half = Requirement(Fraction(1, 2), "members", "more-than")
    >>> two_thirds = Requirement(Fraction(2, 3), "members", "at-least")
    >>> half.seats(329), two_thirds.seats(329), two_thirds.seats(275)
    (165, 220, 184)
    >>> Requirement(Fraction(1, 5), "members", "at-least").seats(329)
    66
    >>> Requirement(Fraction(1, 3), "members", "at-least").seats(329)
    110
    >>> str(two_thirds)
    'at least 2/3 of all members'
    """

    share: Fraction
    basis: str
    rule: str

    def __post_init__(self) -> None:
        if not isinstance(self.share, Fraction) or not 0 < self.share <= 1:
            raise InputError(
                "argument", f"share must be a Fraction in (0, 1], got {self.share!r}", field="share"
            )
        if self.basis not in BASES:
            raise UnknownNameError("basis", str(self.basis), BASES, field="basis")
        if self.rule not in ROUNDING_RULES:
            raise UnknownNameError("rounding rule", str(self.rule), ROUNDING_RULES, field="rule")
        if self.rule == "more-than" and self.share == 1:
            raise InputError("argument", "more than all members can never be reached", field="share")

    def seats(self, size: int) -> int:
        """The smallest whole number of members out of ``size`` that meets the requirement.

        ``size`` is the house size for basis ``"members"`` and the number present for
        ``"present"``. Integer arithmetic only: ⌊s·N⌋ + 1 or ⌈s·N⌉.
        """
        size = whole_number(size, "size", "argument", field="size")
        numerator = self.share.numerator * size
        if self.rule == "more-than":
            return numerator // self.share.denominator + 1
        return -(-numerator // self.share.denominator)

    def __str__(self) -> str:
        bound = "more than" if self.rule == "more-than" else "at least"
        base = "all members" if self.basis == "members" else "the members present"
        return f"{bound} {self.share} of {base}"


@dataclass(frozen=True)
class Reading:
    """One reading of a decision's rule: its quorum (None where no special quorum is known),
    its threshold and the sources that hold it. Exactly one reading of a decision is the
    default."""

    id: str
    quorum: Requirement | None
    threshold: Requirement
    default: bool
    sources: tuple[str, ...]
    note: str | None = None
    rulings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Request:
    """Who may ask for a vote (no-confidence, dissolution): a named office, or members in a
    share of the house (``requirement``) or a fixed number (``members``).

    ``readings`` limits the route to those readings of the decision (empty: all of them);
    ``vote=False`` means that under those readings the request decides without a vote.
    """

    id: str
    by: str
    requirement: Requirement | None
    members: int | None
    readings: tuple[str, ...]
    vote: bool
    sources: tuple[str, ...]
    note: str | None = None

    def signatures(self, size: int) -> int | None:
        """Members who must sign the request in a house of ``size``, or None for an office.

        >>> load_constitution().decision("no-confidence-pm").requests[1].signatures(329)
        66
        """
        if self.requirement is not None:
            return self.requirement.seats(size)
        return self.members


@dataclass(frozen=True)
class Decision:
    """A constitutional decision taken by vote, with every reading of its rule.

    ``runoff`` is the second round (itself a Decision with readings of the same ids) where
    the article provides one. ``framework`` names the legal text (the 2005 Constitution, the
    TAL) and ``elections`` narrows the elections it applies to (empty: all of the framework's).
    """

    id: str
    title: str
    articles: tuple[str, ...]
    readings: tuple[Reading, ...]
    runoff: Decision | None
    sources: tuple[str, ...]
    notes: str | None = None
    framework: str = ""
    elections: tuple[str, ...] = ()
    voters: str = ""
    session: str | None = None
    event: str | None = None
    requests: tuple[Request, ...] = ()
    rulings: tuple[str, ...] = ()
    candidates: int | None = None

    def reading(self, reading_id: str | None = None) -> Reading:
        """The reading with this id, or the default one when ``reading_id`` is None.

        >>> load_constitution().decision("confidence").reading().id
        'members'
        """
        if reading_id is None:
            for reading in self.readings:
                if reading.default:
                    return reading
            raise InputError(f"decision {self.id}", "no reading is marked default", field="readings")
        for reading in self.readings:
            if reading.id == reading_id:
                return reading
        raise UnknownNameError(
            "reading", reading_id, (r.id for r in self.readings), source=f"decision {self.id}"
        )

    @property
    def quorum(self) -> Requirement | None:
        """The default reading's quorum."""
        return self.reading().quorum

    @property
    def threshold(self) -> Requirement:
        """The default reading's threshold."""
        return self.reading().threshold

    def quorum_seats(self, size: int, reading: str | None = None) -> int | None:
        """Members who must be present to open the session, or None if no quorum is known.

        >>> load_constitution().decision("president").quorum_seats(329, reading="art-59-quorum")
        165
        """
        quorum = self.reading(reading).quorum
        return None if quorum is None else quorum.seats(size)

    def threshold_seats(self, size: int, present: int | None = None, reading: str | None = None) -> int:
        """Votes needed to carry the decision in a house of ``size``.

        A threshold on basis ``"present"`` is a share of ``present`` (full attendance,
        ``size``, when not given).

        >>> ordinary = load_constitution().decision("ordinary")
        >>> ordinary.threshold_seats(329), ordinary.threshold_seats(329, present=200)
        (165, 101)
        """
        size = whole_number(size, "house size", "argument", field="size")
        threshold = self.reading(reading).threshold
        if threshold.basis == "members":
            return threshold.seats(size)
        if present is None:
            return threshold.seats(size)
        present = whole_number(present, "members present", "argument", field="present")
        if present > size:
            raise InputError("argument", f"{present} present exceeds the house of {size}", field="present")
        return threshold.seats(present)

    def passes(self, size: int, present: int, votes: int, reading: str | None = None) -> bool:
        """Whether ``votes`` in favour with ``present`` members carry the decision: the quorum
        is met and the votes reach the threshold.

        >>> president = load_constitution().decision("president")
        >>> president.passes(329, present=202, votes=202), president.passes(329, 220, 220)
        (False, True)
        """
        votes = whole_number(votes, "votes", "argument", field="votes")
        present = whole_number(present, "members present", "argument", field="present")
        if votes > present:
            raise InputError("argument", f"{votes} votes exceed the {present} members present", field="votes")
        quorum = self.quorum_seats(size, reading)
        if quorum is not None and present < quorum:
            return False
        return votes >= self.threshold_seats(size, present, reading)

    def requests_for(self, reading: str | None = None) -> tuple[Request, ...]:
        """The request routes open under a reading (the default one when None).

        >>> [r.id for r in load_constitution().decision("dissolution").requests_for("harb-2010")]
        ['one-third', 'prime-minister-without-vote']
        """
        chosen = self.reading(reading).id
        return tuple(r for r in self.requests if not r.readings or chosen in r.readings)


@dataclass(frozen=True)
class Deadline:
    """A constitutional period between two events.

    ``kind`` is ``"within"`` (``end`` no later than ``days`` after ``start``) or
    ``"not-before"`` (no earlier). ``extendable`` is None where the sources leave it open.
    """

    id: str
    article: str
    days: int
    start: str
    end: str
    extendable: bool | None
    sources: tuple[str, ...]
    note: str | None = None
    kind: str = "within"
    framework: str = ""


@dataclass(frozen=True)
class Ruling:
    """A court ruling that shapes how the articles work. ``date`` is ``YYYY``, ``YYYY-MM`` or
    ``YYYY-MM-DD`` as precisely as the sources give it; ``status`` is ``"decided"`` or
    ``"pending"``."""

    id: str
    date: str
    summary: str
    sources: tuple[str, ...]
    number: str | None = None
    articles: tuple[str, ...] = ()
    status: str = "decided"
    note: str | None = None


@dataclass(frozen=True)
class HouseSize:
    """The size of the house elected at one election, with sizes other sources give."""

    election: str
    size: int
    alternatives: tuple[int, ...]
    sources: tuple[str, ...]
    note: str | None = None


@dataclass(frozen=True)
class LargestBlocRule:
    """Who counts as the "largest bloc" whose nominee is charged with forming the government."""

    article: str
    rule: str
    counted_at: str
    rulings: tuple[str, ...]
    sources: tuple[str, ...]
    notes: str | None = None


@dataclass(frozen=True)
class Framework:
    """A legal text governing government formation after the listed elections."""

    id: str
    title: str
    elections: tuple[str, ...]
    sources: tuple[str, ...]
    notes: str | None = None


@dataclass(frozen=True)
class Constitution:
    """A validated constitution file. Load it with :func:`load_constitution` or
    :func:`load_constitution_file`."""

    decisions: Mapping[str, Decision]
    deadlines: tuple[Deadline, ...]
    house_sizes: Mapping[str, int]
    largest_bloc: LargestBlocRule | None
    rulings: tuple[Ruling, ...]
    sources: tuple[str, ...]
    id: str = ""
    title: str = ""
    notes: str | None = None
    house_rule: str = ""
    house_entries: tuple[HouseSize, ...] = ()
    frameworks: Mapping[str, Framework] = field(default_factory=lambda: types.MappingProxyType({}))
    events: Mapping[str, str] = field(default_factory=lambda: types.MappingProxyType({}))
    source: str = "constitution"

    @property
    def largest_bloc_rule(self) -> str | None:
        """The text of the largest-bloc rule, or None if the file states none."""
        return None if self.largest_bloc is None else self.largest_bloc.rule

    def decision(self, decision_id: str) -> Decision:
        """The decision with this id.

        >>> load_constitution().decision("presidnet")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        muhasasa.errors.UnknownNameError: ...: unknown decision 'presidnet' (...); did you mean 'president'...?
        """
        if decision_id not in self.decisions:
            raise UnknownNameError("decision", decision_id, self.decisions, source=self.source)
        return self.decisions[decision_id]

    def deadline(self, deadline_id: str) -> Deadline:
        """The deadline with this id."""
        for deadline in self.deadlines:
            if deadline.id == deadline_id:
                return deadline
        raise UnknownNameError("deadline", deadline_id, (d.id for d in self.deadlines), source=self.source)

    def ruling(self, ruling_id: str) -> Ruling:
        """The ruling with this id."""
        for ruling in self.rulings:
            if ruling.id == ruling_id:
                return ruling
        raise UnknownNameError("ruling", ruling_id, (r.id for r in self.rulings), source=self.source)

    def house_size(self, election: str) -> int:
        """The size of the house elected at ``election``."""
        if election not in self.house_sizes:
            raise UnknownNameError("election", election, self.house_sizes, source=self.source)
        return self.house_sizes[election]

    def framework_for(self, election: str) -> Framework:
        """The legal text that governed formation after ``election``.

        >>> load_constitution().framework_for("2005-01").id
        'tal-2004'
        """
        for framework in self.frameworks.values():
            if election in framework.elections:
                return framework
        raise UnknownNameError("election", election, self.house_sizes, source=self.source)

    def decisions_for(self, election: str) -> tuple[Decision, ...]:
        """The decisions that applied after ``election``, in file order.

        >>> [d.id for d in load_constitution().decisions_for("2005-12")][:3]
        ['ordinary', 'speaker', 'presidency-council']
        """
        framework = self.framework_for(election).id
        return tuple(
            d
            for d in self.decisions.values()
            if d.framework == framework and (not d.elections or election in d.elections)
        )

    def deadlines_for(self, election: str) -> tuple[Deadline, ...]:
        """The deadlines of the framework that governed formation after ``election``."""
        framework = self.framework_for(election).id
        return tuple(d for d in self.deadlines if d.framework == framework)


# --------------------------------------------------------------------------- schema

Text = Annotated[str, Strict(), StringConstraints(pattern=r"\S")]
Ident = Annotated[str, Strict(), StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
Url = Annotated[str, Strict(), StringConstraints(pattern=r"^https?://\S+$")]
Positive = Annotated[int, Strict(), Field(ge=1)]
Sources = Annotated[tuple[Url, ...], Field(min_length=1)]
StrictBool = Annotated[bool, Strict()]
DateText = Annotated[str, Strict(), StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]


def _share(value: object) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, str):
        raise ValueError(f'give the share as text so it stays exact: share = "{value}" (e.g. "1/2")')
    try:
        share = to_fraction(value, what="share")
    except (ValueError, ZeroDivisionError):
        raise ValueError(f'{value!r} is not an exact share like "1/2" or "2/3"') from None
    if not 0 < share <= 1:
        raise ValueError(f"share must lie in (0, 1], got {value!r}")
    return share


def _extendable(value: object) -> bool | None:
    if value == "unknown":
        return None
    if isinstance(value, bool):
        return value
    raise ValueError(f'extendable must be true, false or "unknown", got {value!r}')


Share = Annotated[Fraction, BeforeValidator(_share)]
Extendable = Annotated[bool | None, BeforeValidator(_extendable)]


class _Requirement(StrictModel):
    share: Share
    basis: Literal["members", "present"]
    rule: Literal["more-than", "at-least"]


class _Reading(StrictModel):
    id: Ident
    default: StrictBool = False
    quorum: _Requirement | None = None
    threshold: _Requirement
    rulings: tuple[Ident, ...] = ()
    sources: Sources
    note: Text | None = None


class _Request(StrictModel):
    id: Ident
    by: Text
    requirement: _Requirement | None = None
    members: Positive | None = None
    readings: tuple[Ident, ...] = ()
    vote: StrictBool = True
    sources: Sources
    note: Text | None = None


class _Runoff(StrictModel):
    id: Ident
    title: Text
    articles: Annotated[tuple[Text, ...], Field(min_length=1)]
    candidates: Positive | None = None
    readings: Annotated[tuple[_Reading, ...], Field(min_length=1)]
    sources: Sources
    notes: Text | None = None


class _Decision(StrictModel):
    id: Ident
    title: Text
    articles: Annotated[tuple[Text, ...], Field(min_length=1)]
    framework: Ident
    elections: tuple[Ident, ...] = ()
    voters: Text
    session: Ident | None = None
    event: Ident | None = None
    rulings: tuple[Ident, ...] = ()
    requests: tuple[_Request, ...] = ()
    readings: Annotated[tuple[_Reading, ...], Field(min_length=1)]
    runoff: _Runoff | None = None
    sources: Sources
    notes: Text | None = None


class _Deadline(StrictModel):
    id: Ident
    article: Text
    framework: Ident
    kind: Literal["within", "not-before"] = "within"
    days: Positive
    start: Ident
    end: Ident
    extendable: Extendable
    sources: Sources
    note: Text | None = None


class _Ruling(StrictModel):
    id: Ident
    number: Text | None = None
    date: DateText
    status: Literal["decided", "pending"] = "decided"
    articles: tuple[Text, ...] = ()
    summary: Text
    sources: Sources
    note: Text | None = None


class _HouseSize(StrictModel):
    election: Ident
    size: Positive
    alternatives: tuple[Positive, ...] = ()
    sources: Sources
    note: Text | None = None


class _House(StrictModel):
    article: Text
    rule: Text
    sources: Sources
    notes: Text | None = None
    sizes: Annotated[tuple[_HouseSize, ...], Field(min_length=1)]


class _LargestBloc(StrictModel):
    article: Text
    rule: Text
    counted_at: Ident
    rulings: tuple[Ident, ...] = ()
    sources: Sources
    notes: Text | None = None


class _Framework(StrictModel):
    id: Ident
    title: Text
    elections: Annotated[tuple[Ident, ...], Field(min_length=1)]
    sources: Sources
    notes: Text | None = None


class _Event(StrictModel):
    id: Ident
    title: Text


class _File(StrictModel):
    id: Ident
    title: Text
    notes: Text | None = None
    sources: Sources
    frameworks: Annotated[tuple[_Framework, ...], Field(min_length=1)]
    events: tuple[_Event, ...] = ()
    house: _House
    decisions: Annotated[tuple[_Decision, ...], Field(min_length=1)]
    deadlines: tuple[_Deadline, ...] = ()
    largest_bloc: _LargestBloc | None = None
    rulings: tuple[_Ruling, ...] = ()


# --------------------------------------------------------------------------- public API

_FILE_NAME = "constitution.toml"


def _bundled() -> dict[str, tuple[str, Traversable]]:
    """Every bundled constitution: pack name -> (display path, resource)."""
    return pack_files(_FILE_NAME)


def constitution_packs() -> tuple[str, ...]:
    """Names of the bundled packs that hold a constitution.

    >>> constitution_packs()
    ('iraq',)
    """
    return tuple(sorted(_bundled()))


def load_constitution(pack: str | None = None) -> Constitution:
    """The bundled constitution of ``pack``, validated and cached.

    With no pack named, the one bundled pack that has a constitution is used; if there
    are several, name one.

    >>> load_constitution().house_sizes["2021"]
    329
    """
    return _load_bundled(choose_pack(_bundled(), pack, "constitution"))


@functools.cache
def _load_bundled(pack: str) -> Constitution:
    display, item = _bundled()[pack]
    return _load_text(item.read_bytes(), display)


def load_constitution_file(path: str | Path) -> Constitution:
    """A constitution from a user's own TOML file, validated exactly like the bundled one."""
    path = Path(path)
    return _load_text(read_bytes(path, "constitution"), str(path))


# --------------------------------------------------------------------------- loading


def _load_text(data: bytes, source: str) -> Constitution:
    text, raw = parse(data, source, name_key=False)
    where = _Where(source, text, raw)
    where.refuse_floats(_float_problem)
    model = where.validate(_File)
    _check(model, where)
    return _build(model, source)


def _float_problem(value: float, key: str) -> str:
    """No value is a float: shares stay exact text."""
    return float_problem(value, key, ratio="2/3")


class _Where(Locator):
    """Names a path into the raw TOML for people (``decisions[president].readings[1]``),
    finds its line, and raises there."""

    def __init__(self, source: str, text: str, raw: Mapping[str, Any]) -> None:
        super().__init__(source, raw)
        lines = text.splitlines()
        self.headers, contexts = table_contexts(lines)
        self.keys: dict[tuple[KeyPath, str], int] = {}  # the first line of each key of each table
        for number, (line, context) in enumerate(zip(lines, contexts, strict=True), 1):
            key = KEY_LINE.match(line) if context is not None else None  # None: a multi-line string
            if key:
                self.keys.setdefault((context, key.group(1).strip('"')), number)

    def field(self, path: KeyPath) -> str:
        return field_name(self.raw, path, _label)

    def line(self, path: KeyPath) -> int | None:
        if path not in self.headers and (*path, 0) in self.headers:
            return self.headers[(*path, 0)]  # an array of tables: its first entry
        for cut in range(len(path), -1, -1):
            prefix = path[:cut]
            if cut and prefix not in self.headers:
                continue
            rest = path[cut:]
            if rest and isinstance(rest[0], str) and (prefix, rest[0]) in self.keys:
                return self.keys[(prefix, rest[0])]
            return self.headers.get(prefix)
        return None

    def describe(self, error: ErrorDetails, path: KeyPath, schema: type[BaseModel]) -> str:
        if error["type"] == "string_pattern_mismatch" and last_key(path) == "date":
            return f"{error.get('input')!r} is not a date written YYYY, YYYY-MM or YYYY-MM-DD"
        problem = text_problem(error, path, ids="letters, digits, '-', '_', '.'")
        return super().describe(error, path, schema) if problem is None else problem


def _label(item: Any) -> str | None:
    if isinstance(item, Mapping):
        for key in ("id", "election"):
            if isinstance(item.get(key), str):
                return item[key]
    return None


# --------------------------------------------------------------------------- cross checks


def _check(model: _File, where: _Where) -> None:
    frameworks = where.unique(model.frameworks, "id", ("frameworks",), "framework")
    events = where.unique(model.events, "id", ("events",), "event")
    rulings = where.unique(model.rulings, "id", ("rulings",), "ruling")
    elections = where.unique(model.house.sizes, "election", ("house", "sizes"), "election")
    where.unique(model.decisions, "id", ("decisions",), "decision")
    where.unique(model.deadlines, "id", ("deadlines",), "deadline")

    for index, size in enumerate(model.house.sizes):
        if size.size in size.alternatives:
            raise where.error(("house", "sizes", index, "alternatives"), f"{size.size} is the size itself")
    owner: dict[str, str] = {}
    for index, framework in enumerate(model.frameworks):
        for position, election in enumerate(framework.elections):
            at = ("frameworks", index, "elections", position)
            if election not in elections:
                raise where.unknown("election (no [[house.sizes]] entry)", election, elections, at)
            if election in owner:
                raise where.error(
                    at, f"election {election!r} already belongs to framework {owner[election]!r}"
                )
            owner[election] = framework.id
    for index, ruling in enumerate(model.rulings):
        _check_date(ruling.date, ("rulings", index, "date"), where)

    for index, decision in enumerate(model.decisions):
        at: KeyPath = ("decisions", index)
        if decision.framework not in frameworks:
            raise where.unknown("framework", decision.framework, frameworks, (*at, "framework"))
        allowed = model.frameworks[frameworks[decision.framework]].elections
        for position, election in enumerate(decision.elections):
            if election not in allowed:
                raise where.unknown(
                    f"election of framework {decision.framework!r}",
                    election,
                    allowed,
                    (*at, "elections", position),
                )
        for key in ("session", "event"):
            name = getattr(decision, key)
            if name is not None and name not in events:
                raise where.unknown("event", name, events, (*at, key))
        _check_refs(decision.rulings, rulings, "ruling", (*at, "rulings"), where)
        readings = _check_readings(decision.readings, rulings, (*at, "readings"), where)
        _check_requests(decision, readings, at, where)
        if decision.runoff is not None:
            runoff_at = (*at, "runoff", "readings")
            own = _check_readings(decision.runoff.readings, rulings, runoff_at, where)
            if set(own) != set(readings):
                missing = sorted(set(readings) - set(own))
                extra = sorted(set(own) - set(readings))
                raise where.error(
                    runoff_at,
                    "the run-off must have a reading for each reading of its decision, with the same ids"
                    + (f"; missing {', '.join(missing)}" if missing else "")
                    + (f"; not in the decision: {', '.join(extra)}" if extra else ""),
                )

    for index, deadline in enumerate(model.deadlines):
        at = ("deadlines", index)
        if deadline.framework not in frameworks:
            raise where.unknown("framework", deadline.framework, frameworks, (*at, "framework"))
        for key in ("start", "end"):
            name = getattr(deadline, key)
            if name not in events:
                raise where.unknown("event", name, events, (*at, key))
        if deadline.start == deadline.end:
            raise where.error(
                (*at, "end"), f"a deadline cannot start and end at the same event {deadline.end!r}"
            )

    bloc = model.largest_bloc
    if bloc is not None:
        if bloc.counted_at not in events:
            raise where.unknown("event", bloc.counted_at, events, ("largest_bloc", "counted_at"))
        _check_refs(bloc.rulings, rulings, "ruling", ("largest_bloc", "rulings"), where)


def _check_date(text: str, at: KeyPath, where: _Where) -> None:
    parts = [int(p) for p in text.split("-")] + [1, 1]
    try:
        dt.date(parts[0], parts[1], parts[2])
    except ValueError as exc:
        raise where.error(at, f"{text!r} is not a real date ({exc})") from None


def _check_refs(
    names: Iterable[str], known: Mapping[str, int], kind: str, at: KeyPath, where: _Where
) -> None:
    for position, name in enumerate(names):
        if name not in known:
            raise where.unknown(kind, name, known, (*at, position))


def _check_readings(
    readings: tuple[_Reading, ...], rulings: Mapping[str, int], at: KeyPath, where: _Where
) -> dict[str, int]:
    ids = where.unique(readings, "id", at, "reading")
    defaults = [index for index, r in enumerate(readings) if r.default]
    if not defaults:
        raise where.error(at, "no reading is marked default = true; mark exactly one")
    if len(defaults) > 1:
        raise where.error(
            (*at, defaults[1], "default"),
            f"{len(defaults)} readings are marked default = true "
            f"({', '.join(readings[i].id for i in defaults)}); mark exactly one",
        )
    for index, reading in enumerate(readings):
        if reading.quorum is not None and reading.quorum.basis != "members":
            raise where.error(
                (*at, index, "quorum", "basis"),
                'a quorum is counted on the members of the house: basis = "members"',
            )
        for key in ("quorum", "threshold"):
            requirement = getattr(reading, key)
            if requirement is not None and requirement.rule == "more-than" and requirement.share == 1:
                raise where.error(
                    (*at, index, key, "share"), "more than all of the house can never be reached"
                )
        _check_refs(reading.rulings, rulings, "ruling", (*at, index, "rulings"), where)
    return ids


def _check_requests(decision: _Decision, readings: Mapping[str, int], at: KeyPath, where: _Where) -> None:
    where.unique(decision.requests, "id", (*at, "requests"), "request")
    for index, request in enumerate(decision.requests):
        request_at = (*at, "requests", index)
        if request.requirement is not None and request.members is not None:
            raise where.error(request_at, "give either requirement (a share) or members (a count), not both")
        if request.requirement is not None:
            if request.requirement.basis != "members":
                raise where.error(
                    (*request_at, "requirement", "basis"),
                    'signatures are counted on the members: basis = "members"',
                )
            if request.requirement.rule == "more-than" and request.requirement.share == 1:
                raise where.error(
                    (*request_at, "requirement", "share"), "more than all of the house can never sign"
                )
        _check_refs(request.readings, readings, "reading", (*request_at, "readings"), where)


# --------------------------------------------------------------------------- building values


def _requirement(model: _Requirement | None) -> Requirement | None:
    return None if model is None else Requirement(model.share, model.basis, model.rule)


def _reading(model: _Reading) -> Reading:
    return Reading(
        id=model.id,
        quorum=_requirement(model.quorum),
        threshold=Requirement(model.threshold.share, model.threshold.basis, model.threshold.rule),
        default=model.default,
        sources=model.sources,
        note=model.note,
        rulings=model.rulings,
    )


def _decision(model: _Decision) -> Decision:
    runoff = None
    if model.runoff is not None:
        r = model.runoff
        runoff = Decision(
            id=r.id,
            title=r.title,
            articles=r.articles,
            readings=tuple(_reading(x) for x in r.readings),
            runoff=None,
            sources=r.sources,
            notes=r.notes,
            framework=model.framework,
            elections=model.elections,
            voters=model.voters,
            session=model.session,
            event=model.event,
            rulings=model.rulings,
            candidates=r.candidates,
        )
    return Decision(
        id=model.id,
        title=model.title,
        articles=model.articles,
        readings=tuple(_reading(x) for x in model.readings),
        runoff=runoff,
        sources=model.sources,
        notes=model.notes,
        framework=model.framework,
        elections=model.elections,
        voters=model.voters,
        session=model.session,
        event=model.event,
        requests=tuple(
            Request(
                id=q.id,
                by=q.by,
                requirement=_requirement(q.requirement),
                members=q.members,
                readings=q.readings,
                vote=q.vote,
                sources=q.sources,
                note=q.note,
            )
            for q in model.requests
        ),
        rulings=model.rulings,
    )


def _build(model: _File, source: str) -> Constitution:
    bloc = model.largest_bloc
    return Constitution(
        decisions=types.MappingProxyType({d.id: _decision(d) for d in model.decisions}),
        deadlines=tuple(
            Deadline(
                id=d.id,
                article=d.article,
                days=d.days,
                start=d.start,
                end=d.end,
                extendable=d.extendable,
                sources=d.sources,
                note=d.note,
                kind=d.kind,
                framework=d.framework,
            )
            for d in model.deadlines
        ),
        house_sizes=types.MappingProxyType({s.election: s.size for s in model.house.sizes}),
        largest_bloc=None
        if bloc is None
        else LargestBlocRule(
            bloc.article, bloc.rule, bloc.counted_at, bloc.rulings, bloc.sources, bloc.notes
        ),
        rulings=tuple(
            Ruling(r.id, r.date, r.summary, r.sources, r.number, r.articles, r.status, r.note)
            for r in model.rulings
        ),
        sources=model.sources,
        id=model.id,
        title=model.title,
        notes=model.notes,
        house_rule=model.house.rule,
        house_entries=tuple(
            HouseSize(s.election, s.size, s.alternatives, s.sources, s.note) for s in model.house.sizes
        ),
        frameworks=types.MappingProxyType(
            {f.id: Framework(f.id, f.title, f.elections, f.sources, f.notes) for f in model.frameworks}
        ),
        events=types.MappingProxyType({e.id: e.title for e in model.events}),
        source=source,
    )
