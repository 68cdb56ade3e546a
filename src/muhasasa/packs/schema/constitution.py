"""The constitution as data: decisions, deadlines, the largest-bloc rule and court rulings.

A body's ``constitution.toml`` (or a user's own file) states each constitutional decision as
a voting game on the house: a *quorum* to open the session and a *threshold* to carry the
vote, each a :class:`Requirement` with an exact share (``"1/2"``, ``"2/3"``), a basis
(``"members"`` of the house or those ``"present"``) and a rounding rule (``"more-than"`` for
an absolute majority, ``"at-least"`` for two-thirds, one-fifth, one-third). Where sources
disagree a decision keeps every :class:`Reading`, each with its own sources, and marks one
as the default. Deadlines run between named events (``first-session`` →
``president-elected``), and court rulings are listed with their dates.

Seat counts are integer arithmetic on the exact share: *more than* s·N is ⌊s·N⌋ + 1 and
*at least* s·N is ⌈s·N⌉. Loading is strict (:func:`load_constitution_bytes`): unknown keys
(with a suggestion), TOML floats, shares outside (0, 1], decisions without exactly one
default reading and references to unknown events, rulings or readings raise
:class:`~muhasasa.errors.InputError` naming the file, the field and the line.

>>> import muhasasa.packs as packs
>>> iraq = packs.load("iraq").constitution()
>>> president = iraq.decision("president")
>>> president.quorum_seats(329), president.threshold_seats(329)
(220, 220)
>>> president.runoff.threshold_seats(329, present=269)
135
>>> [r.id for r in iraq.decision("confidence").readings]
['members', 'present']
>>> iraq.decision("confidence").threshold_seats(329, present=253, reading="present")
127
>>> iraq.house_size("2010"), iraq.deadline("art-72-president").days
(325, 30)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, PrivateAttr, Strict, StringConstraints, ValidationInfo, model_validator

from muhasasa.errors import InputError, UnknownNameError
from muhasasa.exact import to_fraction, whole_number
from muhasasa.packs.schema.types import Ident, Positive, Sources, Text
from muhasasa.packs.toml import PATTERN_WORDS, KeyPath, Problem, StrictModel, load_toml

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
    "Runoff",
    "load_constitution_bytes",
]

#: What a share is counted on: all members of the house, or the members present.
BASES = ("members", "present")
#: How a share becomes seats: strictly more than it (absolute majority), or at least it.
ROUNDING_RULES = ("more-than", "at-least")

_DATE_TEXT = r"^\d{4}(-\d{2}(-\d{2})?)?$"
PATTERN_WORDS[_DATE_TEXT] = "a date written YYYY, YYYY-MM or YYYY-MM-DD"

StrictBool = Annotated[bool, Strict()]
DateText = Annotated[str, Strict(), StringConstraints(pattern=_DATE_TEXT)]


def _share(value: object) -> Fraction:
    if isinstance(value, Fraction):
        share = value
    elif isinstance(value, bool) or not isinstance(value, str):
        raise ValueError(f'give the share as text so it stays exact: share = "{value}" (e.g. "1/2")')
    else:
        try:
            share = to_fraction(value, what="share")
        except (ValueError, ZeroDivisionError):
            raise ValueError(f'{value!r} is not an exact share like "1/2" or "2/3"') from None
    if not 0 < share <= 1:
        raise ValueError(f"share must lie in (0, 1], got {value!r}")
    return share


def _extendable(value: object) -> bool | None:
    if value == "unknown" or value is None:
        return None
    if isinstance(value, bool):
        return value
    raise ValueError(f'extendable must be true, false or "unknown", got {value!r}')


Share = Annotated[Fraction, BeforeValidator(_share)]
Extendable = Annotated[bool | None, BeforeValidator(_extendable)]


# --------------------------------------------------------------------------- requirements


class Requirement(StrictModel):
    """A share of the house that a quorum or a vote must reach, exactly.

    ``basis`` is ``"members"`` (all members of the house) or ``"present"`` (those present);
    ``rule`` is ``"more-than"`` (an absolute majority: strictly more than the share) or
    ``"at-least"`` (two-thirds, one-fifth: the share or more).

    >>> half = Requirement(share="1/2", basis="members", rule="more-than")
    >>> two_thirds = Requirement(share="2/3", basis="members", rule="at-least")
    >>> half.seats(329), two_thirds.seats(329), two_thirds.seats(275)
    (165, 220, 184)
    >>> Requirement(share="1/3", basis="members", rule="at-least").seats(329)
    110
    >>> str(two_thirds)
    'at least 2/3 of all members'
    """

    share: Share
    basis: Literal["members", "present"]
    rule: Literal["more-than", "at-least"]

    @model_validator(mode="after")
    def _reachable(self) -> Requirement:
        if self.rule == "more-than" and self.share == 1:
            raise ValueError("more than all of the house can never be reached")
        return self

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


class Reading(StrictModel):
    """One reading of a decision's rule: its quorum (None where no special quorum is known),
    its threshold and the sources that hold it. Exactly one reading of a decision is the
    default."""

    id: Ident
    default: StrictBool = False
    quorum: Requirement | None = None
    threshold: Requirement
    rulings: tuple[Ident, ...] = ()
    sources: Sources
    note: Text | None = None


class Request(StrictModel):
    """Who may ask for a vote (no-confidence, dissolution): a named office, or members in a
    share of the house (``requirement``) or a fixed number (``members``).

    ``readings`` limits the route to those readings of the decision (empty: all of them);
    ``vote=False`` means that under those readings the request decides without a vote.
    """

    id: Ident
    by: Text
    requirement: Requirement | None = None
    members: Positive | None = None
    readings: tuple[Ident, ...] = ()
    vote: StrictBool = True
    sources: Sources
    note: Text | None = None

    def signatures(self, size: int) -> int | None:
        """Members who must sign the request in a house of ``size``, or None for an office.

        >>> import muhasasa.packs as packs
        >>> packs.load("iraq").constitution().decision("no-confidence-pm").requests[1].signatures(329)
        66
        """
        if self.requirement is not None:
            return self.requirement.seats(size)
        return self.members


class _Vote(StrictModel):
    """What a decision and its run-off share: readings, and the arithmetic of a vote."""

    id: Ident
    title: Text
    articles: Annotated[tuple[Text, ...], Field(min_length=1)]
    readings: Annotated[tuple[Reading, ...], Field(min_length=1)]
    sources: Sources
    notes: Text | None = None

    def reading(self, reading_id: str | None = None) -> Reading:
        """The reading with this id, or the default one when ``reading_id`` is None.

        >>> import muhasasa.packs as packs
        >>> packs.load("iraq").constitution().decision("confidence").reading().id
        'members'
        """
        if reading_id is None:
            return next(r for r in self.readings if r.default)
        for reading in self.readings:
            if reading.id == reading_id:
                return reading
        raise UnknownNameError(f"reading of decision {self.id!r}", reading_id, (r.id for r in self.readings),
                               field="reading")

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

        >>> import muhasasa.packs as packs
        >>> packs.load("iraq").constitution().decision("president").quorum_seats(329, reading="art-59-quorum")
        165
        """
        quorum = self.reading(reading).quorum
        return None if quorum is None else quorum.seats(size)

    def threshold_seats(self, size: int, present: int | None = None, reading: str | None = None) -> int:
        """Votes needed to carry the decision in a house of ``size``.

        A threshold on basis ``"present"`` is a share of ``present`` (full attendance,
        ``size``, when not given).

        >>> import muhasasa.packs as packs
        >>> ordinary = packs.load("iraq").constitution().decision("ordinary")
        >>> ordinary.threshold_seats(329), ordinary.threshold_seats(329, present=200)
        (165, 101)
        """
        size = whole_number(size, "house size", "argument", field="size")
        threshold = self.reading(reading).threshold
        if threshold.basis == "members" or present is None:
            return threshold.seats(size)
        present = whole_number(present, "members present", "argument", field="present")
        if present > size:
            raise InputError("argument", f"{present} present exceeds the house of {size}", field="present")
        return threshold.seats(present)

    def passes(self, size: int, present: int, votes: int, reading: str | None = None) -> bool:
        """Whether ``votes`` in favour with ``present`` members carry the decision: the quorum
        is met and the votes reach the threshold.

        >>> import muhasasa.packs as packs
        >>> president = packs.load("iraq").constitution().decision("president")
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


class Runoff(_Vote):
    """The second round of a decision (Art. 70(2)), with readings of the same ids."""

    candidates: Positive | None = None


class Decision(_Vote):
    """A constitutional decision taken by vote, with every reading of its rule.

    ``runoff`` is the second round where the article provides one. ``framework`` names the
    legal text (the 2005 Constitution, the TAL) and ``elections`` narrows the elections it
    applies to (empty: all of the framework's). ``aliases`` are shorter names a step of the
    games may go by (``no-confidence``).
    """

    framework: Ident
    elections: tuple[Ident, ...] = ()
    aliases: tuple[Ident, ...] = ()
    voters: Text
    session: Ident | None = None
    event: Ident | None = None
    rulings: tuple[Ident, ...] = ()
    requests: tuple[Request, ...] = ()
    runoff: Runoff | None = None

    def requests_for(self, reading: str | None = None) -> tuple[Request, ...]:
        """The request routes open under a reading (the default one when None).

        >>> import muhasasa.packs as packs
        >>> d = packs.load("iraq").constitution().decision("dissolution")
        >>> [r.id for r in d.requests_for("harb-2010")]
        ['one-third', 'prime-minister-without-vote']
        """
        chosen = self.reading(reading).id
        return tuple(r for r in self.requests if not r.readings or chosen in r.readings)


# --------------------------------------------------------------------------- the rest


class Deadline(StrictModel):
    """A constitutional period between two events.

    ``kind`` is ``"within"`` (``end`` no later than ``days`` after ``start``) or
    ``"not-before"`` (no earlier). ``extendable`` is None where the sources leave it open.
    """

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


class Ruling(StrictModel):
    """A court ruling that shapes how the articles work. ``date`` is ``YYYY``, ``YYYY-MM`` or
    ``YYYY-MM-DD`` as precisely as the sources give it; ``status`` is ``"decided"`` or
    ``"pending"``."""

    id: Ident
    number: Text | None = None
    date: DateText
    status: Literal["decided", "pending"] = "decided"
    articles: tuple[Text, ...] = ()
    summary: Text
    sources: Sources
    note: Text | None = None


class HouseSize(StrictModel):
    """The size of the house elected at one election, with sizes other sources give."""

    election: Ident
    size: Positive
    alternatives: tuple[Positive, ...] = ()
    sources: Sources
    note: Text | None = None


class House(StrictModel):
    """How the size of the house is set (Art. 49(1)), and its size at each election."""

    article: Text
    rule: Text
    sources: Sources
    notes: Text | None = None
    sizes: Annotated[tuple[HouseSize, ...], Field(min_length=1)]


class LargestBlocRule(StrictModel):
    """Who counts as the "largest bloc" whose nominee is charged with forming the government."""

    article: Text
    rule: Text
    counted_at: Ident
    rulings: tuple[Ident, ...] = ()
    sources: Sources
    notes: Text | None = None


class Framework(StrictModel):
    """A legal text governing government formation after the listed elections."""

    id: Ident
    title: Text
    elections: Annotated[tuple[Ident, ...], Field(min_length=1)]
    sources: Sources
    notes: Text | None = None


class Event(StrictModel):
    """A named event that deadlines run between (``first-session``)."""

    id: Ident
    title: Text


class Constitution(StrictModel):
    """A validated constitution file (:func:`load_constitution_bytes`)."""

    id: Ident
    title: Text
    notes: Text | None = None
    sources: Sources
    frameworks: Annotated[tuple[Framework, ...], Field(min_length=1)]
    events: tuple[Event, ...] = ()
    house: House
    decisions: Annotated[tuple[Decision, ...], Field(min_length=1)]
    deadlines: tuple[Deadline, ...] = ()
    largest_bloc: LargestBlocRule | None = None
    rulings: tuple[Ruling, ...] = ()

    _source: str = PrivateAttr(default="constitution")

    @model_validator(mode="after")
    def _checked(self, info: ValidationInfo) -> Constitution:
        _check(self)
        self._source = str((info.context or {}).get("source", "constitution"))
        return self

    @property
    def source(self) -> str:
        """The file the constitution was read from."""
        return self._source

    @property
    def house_sizes(self) -> Mapping[str, int]:
        """The size of the house elected at each election."""
        return {s.election: s.size for s in self.house.sizes}

    @property
    def largest_bloc_rule(self) -> str | None:
        """The text of the largest-bloc rule, or None if the file states none."""
        return None if self.largest_bloc is None else self.largest_bloc.rule

    def decision(self, decision_id: str) -> Decision:
        """The decision with this id.

        >>> import muhasasa.packs as packs
        >>> packs.load("iraq").constitution().decision("presidnet")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        muhasasa.errors.UnknownNameError: ...: unknown decision 'presidnet' (...); did you mean 'president'...?
        """
        for decision in self.decisions:
            if decision.id == decision_id:
                return decision
        raise UnknownNameError("decision", decision_id, (d.id for d in self.decisions), field="decision")

    def step(self, step_id: str) -> _Vote:
        """The vote a step of the games is played at: a decision by id or alias, or a
        decision's run-off by its id (``president-runoff``).

        >>> import muhasasa.packs as packs
        >>> packs.load("iraq").constitution().step("president-runoff").threshold_seats(329, present=269)
        135
        """
        for decision in self.decisions:
            if step_id == decision.id or step_id in decision.aliases:
                return decision
            if decision.runoff is not None and decision.runoff.id == step_id:
                return decision.runoff
        raise UnknownNameError("step", step_id, self.steps(), field="step")

    def steps(self, election: str | None = None) -> tuple[str, ...]:
        """The ids of the steps games can be played at (after ``election``, or under any
        framework), each decision followed by its run-off."""
        chosen = self.decisions_for(election) if election is not None else self.decisions
        out: list[str] = []
        for decision in chosen:
            out.append(decision.id)
            if decision.runoff is not None:
                out.append(decision.runoff.id)
        return tuple(out)

    def deadline(self, deadline_id: str) -> Deadline:
        """The deadline with this id."""
        return _find(self.deadlines, deadline_id, "deadline")

    def ruling(self, ruling_id: str) -> Ruling:
        """The ruling with this id."""
        return _find(self.rulings, ruling_id, "ruling")

    def house_size(self, election: str) -> int:
        """The size of the house elected at ``election``."""
        sizes = self.house_sizes
        if election not in sizes:
            raise UnknownNameError("election", election, sizes, field="election")
        return sizes[election]

    def framework_for(self, election: str) -> Framework:
        """The legal text that governed formation after ``election``.

        >>> import muhasasa.packs as packs
        >>> packs.load("iraq").constitution().framework_for("2005-01").id
        'tal-2004'
        """
        for framework in self.frameworks:
            if election in framework.elections:
                return framework
        raise UnknownNameError("election", election, self.house_sizes, field="election")

    def decisions_for(self, election: str) -> tuple[Decision, ...]:
        """The decisions that applied after ``election``, in file order.

        >>> import muhasasa.packs as packs
        >>> [d.id for d in packs.load("iraq").constitution().decisions_for("2005-12")][:3]
        ['ordinary', 'speaker', 'presidency-council']
        """
        framework = self.framework_for(election).id
        return tuple(d for d in self.decisions
                     if d.framework == framework and (not d.elections or election in d.elections))

    def deadlines_for(self, election: str) -> tuple[Deadline, ...]:
        """The deadlines of the framework that governed formation after ``election``."""
        framework = self.framework_for(election).id
        return tuple(d for d in self.deadlines if d.framework == framework)


def _find(items: Sequence[Any], item_id: str, kind: str) -> Any:
    for item in items:
        if item.id == item_id:
            return item
    raise UnknownNameError(kind, item_id, (i.id for i in items), field=kind)


# --------------------------------------------------------------------------- loading


def load_constitution_bytes(data: bytes, source: str) -> Constitution:
    """A constitution file validated: the schema, then its cross-references."""
    return load_toml(data, source, Constitution, context={"source": source},
                     float_problem=_float_problem)


def _float_problem(value: float, key: str) -> str:
    """No value is a float: shares stay exact text."""
    return (f'{value!r} is a TOML float, which is not exact; quote it so it stays exact text: '
            f'{key} = "{value!r}" (or write a ratio such as "2/3")')


def _unique(items: Iterable[Any], attr: str, at: KeyPath, kind: str) -> dict[str, int]:
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        name = getattr(item, attr)
        if name in seen:
            raise Problem((*at, index, attr), f"duplicate {kind} {name!r}")
        seen[name] = index
    return seen


def _check(model: Constitution) -> None:
    frameworks = _unique(model.frameworks, "id", ("frameworks",), "framework")
    events = _unique(model.events, "id", ("events",), "event")
    rulings = _unique(model.rulings, "id", ("rulings",), "ruling")
    elections = _unique(model.house.sizes, "election", ("house", "sizes"), "election")
    _unique(model.decisions, "id", ("decisions",), "decision")
    names: dict[str, KeyPath] = {}
    for index, decision in enumerate(model.decisions):
        entries = [(decision.id, ("decisions", index, "id"))]
        entries += [(a, ("decisions", index, "aliases", k)) for k, a in enumerate(decision.aliases)]
        if decision.runoff is not None:
            entries.append((decision.runoff.id, ("decisions", index, "runoff", "id")))
        for name, at in entries:
            if name in names and names[name] != at:
                raise Problem(at, f"step name {name!r} is already the name of another decision, alias or run-off")
            names[name] = at
    _unique(model.deadlines, "id", ("deadlines",), "deadline")

    for index, size in enumerate(model.house.sizes):
        if size.size in size.alternatives:
            raise Problem(("house", "sizes", index, "alternatives"), f"{size.size} is the size itself")
    owner: dict[str, str] = {}
    for index, framework in enumerate(model.frameworks):
        for position, election in enumerate(framework.elections):
            at = ("frameworks", index, "elections", position)
            if election not in elections:
                raise Problem.unknown(at, "election (no [[house.sizes]] entry)", election, elections)
            if election in owner:
                raise Problem(at, f"election {election!r} already belongs to framework {owner[election]!r}")
            owner[election] = framework.id
    for index, ruling in enumerate(model.rulings):
        _check_date(ruling.date, ("rulings", index, "date"))

    for index, decision in enumerate(model.decisions):
        at: KeyPath = ("decisions", index)
        if decision.framework not in frameworks:
            raise Problem.unknown((*at, "framework"), "framework", decision.framework, frameworks)
        allowed = model.frameworks[frameworks[decision.framework]].elections
        for position, election in enumerate(decision.elections):
            if election not in allowed:
                raise Problem.unknown((*at, "elections", position), f"election of framework {decision.framework!r}",
                                      election, allowed)
        for key in ("session", "event"):
            name = getattr(decision, key)
            if name is not None and name not in events:
                raise Problem.unknown((*at, key), "event", name, events)
        _check_refs(decision.rulings, rulings, "ruling", (*at, "rulings"))
        readings = _check_readings(decision.readings, rulings, (*at, "readings"))
        _check_requests(decision, readings, at)
        if decision.runoff is not None:
            runoff_at = (*at, "runoff", "readings")
            own = _check_readings(decision.runoff.readings, rulings, runoff_at)
            if set(own) != set(readings):
                missing = sorted(set(readings) - set(own))
                extra = sorted(set(own) - set(readings))
                raise Problem(
                    runoff_at,
                    "the run-off must have a reading for each reading of its decision, with the same ids"
                    + (f"; missing {', '.join(missing)}" if missing else "")
                    + (f"; not in the decision: {', '.join(extra)}" if extra else ""),
                )

    for index, deadline in enumerate(model.deadlines):
        at = ("deadlines", index)
        if deadline.framework not in frameworks:
            raise Problem.unknown((*at, "framework"), "framework", deadline.framework, frameworks)
        for key in ("start", "end"):
            name = getattr(deadline, key)
            if name not in events:
                raise Problem.unknown((*at, key), "event", name, events)
        if deadline.start == deadline.end:
            raise Problem((*at, "end"), f"a deadline cannot start and end at the same event {deadline.end!r}")

    bloc = model.largest_bloc
    if bloc is not None:
        if bloc.counted_at not in events:
            raise Problem.unknown(("largest_bloc", "counted_at"), "event", bloc.counted_at, events)
        _check_refs(bloc.rulings, rulings, "ruling", ("largest_bloc", "rulings"))


def _check_date(text: str, at: KeyPath) -> None:
    parts = [int(p) for p in text.split("-")] + [1, 1]
    try:
        dt.date(parts[0], parts[1], parts[2])
    except ValueError as exc:
        raise Problem(at, f"{text!r} is not a real date ({exc})") from None


def _check_refs(names: Iterable[str], known: Mapping[str, int], kind: str, at: KeyPath) -> None:
    for position, name in enumerate(names):
        if name not in known:
            raise Problem.unknown((*at, position), kind, name, known)


def _check_readings(readings: tuple[Reading, ...], rulings: Mapping[str, int], at: KeyPath) -> dict[str, int]:
    ids = _unique(readings, "id", at, "reading")
    defaults = [index for index, r in enumerate(readings) if r.default]
    if not defaults:
        raise Problem(at, "no reading is marked default = true; mark exactly one")
    if len(defaults) > 1:
        raise Problem(
            (*at, defaults[1], "default"),
            f"{len(defaults)} readings are marked default = true "
            f"({', '.join(readings[i].id for i in defaults)}); mark exactly one",
        )
    for index, reading in enumerate(readings):
        if reading.quorum is not None and reading.quorum.basis != "members":
            raise Problem((*at, index, "quorum", "basis"),
                          'a quorum is counted on the members of the house: basis = "members"')
        _check_refs(reading.rulings, rulings, "ruling", (*at, index, "rulings"))
    return ids


def _check_requests(decision: Decision, readings: Mapping[str, int], at: KeyPath) -> None:
    _unique(decision.requests, "id", (*at, "requests"), "request")
    for index, request in enumerate(decision.requests):
        request_at = (*at, "requests", index)
        if request.requirement is not None and request.members is not None:
            raise Problem(request_at, "give either requirement (a share) or members (a count), not both")
        if request.requirement is not None and request.requirement.basis != "members":
            raise Problem((*request_at, "requirement", "basis"),
                          'signatures are counted on the members: basis = "members"')
        _check_refs(request.readings, readings, "reading", (*request_at, "readings"))
