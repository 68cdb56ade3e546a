"""Electoral laws as data: the schema of a law file, with its checks.

A law is a TOML file in a pack body's ``laws/`` folder (``laws/<id>.toml``) or a user's
own file. It says how votes become seats: the district plan, the allocation method from
the registry (:data:`muhasasa.methods.METHODS`) with its parameters *as text*, the
threshold, compensatory seats, the women's quota and the reserved minority seats. Where
the record leaves a rule unknown, the file states a *marked assumption*
(``[[assumptions]]``) with its evidence and sources, pointing at the value it governs by a
dotted path such as ``general.params.first_divisor`` or
``districts[Qadisiyah].women_minimum``.

Loading is strict (:func:`load_law_bytes`): unknown keys (with a suggestion), missing keys,
TOML floats where exact text is required, unknown methods or parameters, seats that do not
add up to the house size, women's minimums above the seats, references to unknown
assumptions and duplicate districts all raise :class:`~muhasasa.errors.InputError` naming
the file, the field and the line. A law names an election of its pack's body.

>>> import muhasasa.packs as packs
>>> law = packs.load("iraq").law("2025")
>>> law.general.method, law.general.params["first_divisor"]
('sainte-lague-modified', '1.7')
>>> law.general_seats, law.minority_seat_total, law.house_size
(320, 9, 329)
>>> [a.id for a in packs.load("iraq").law("2014").assumptions_about("general.params")]
['first-divisor-2014']
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    Strict,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from muhasasa.errors import InputError, MuhasasaError, UnknownNameError
from muhasasa.exact import to_fraction
from muhasasa.methods import METHODS, allocate
from muhasasa.methods.reserved import WOMEN_QUOTA_FORMS
from muhasasa.methods.thresholds import threshold_votes
from muhasasa.packs.schema.candidates import CandidateTier, Reading
from muhasasa.packs.schema.types import Count, Ident, Positive, Sources, Text, Url
from muhasasa.packs.toml import KeyPath, Problem, StrictModel, did_you_mean, load_toml

__all__ = [
    "Assumption",
    "Compensatory",
    "District",
    "GeneralTier",
    "Governorate",
    "Law",
    "MinoritySeat",
    "WomenRule",
    "load_law_bytes",
]

# --------------------------------------------------------------------------- types

ParamName = Annotated[str, Strict(), StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]
Params = dict[ParamName, Annotated[str, Strict()]]


def _seats_or_unknown(value: object) -> object:
    """A seat count, or the text "unknown" (kept as None)."""
    if value == "unknown":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f'seats must be a whole number or "unknown", got {value!r}')
    if value < 0:
        raise ValueError(f"seats cannot be negative, got {value}")
    return value


def _threshold_text(value: object) -> object:
    """Threshold text ("none", "N", "N%", "N quota"); "none" is kept as None."""
    if not isinstance(value, str):
        raise ValueError(f'give the threshold as text: threshold = "{value}"')
    text = value.strip()
    return None if text.lower() in ("", "none") else text


SeatsOrUnknown = Annotated[int | None, BeforeValidator(_seats_or_unknown)]
ThresholdText = Annotated[str | None, BeforeValidator(_threshold_text)]


# --------------------------------------------------------------------------- models


class Assumption(StrictModel):
    """A rule the record leaves open, stated explicitly with its evidence.

    ``applies_to`` is a dotted path into the law file: ``general.params.first_divisor``,
    ``districts`` (all of them), ``districts[Qadisiyah].women_minimum``, ``tie_rule``.
    """

    id: Ident
    applies_to: Text
    statement: Text
    evidence: Text
    sources: Sources


class GeneralTier(StrictModel):
    """The general (list or candidate) tier: plan, method, parameters, threshold."""

    district_plan: Literal["national", "governorates", "sntv-districts"]
    method: Text
    params: Params = Field(default_factory=dict)
    threshold: ThresholdText
    data_level: Literal["national", "governorate", "candidate"]
    district_seats_min: Positive | None = None
    district_seats_max: Positive | None = None
    rule: Text | None = None
    sources: tuple[Url, ...] = ()

    def exact(self, name: str) -> Fraction:
        """A numeric parameter as an exact Fraction (``"1.7"`` → ``17/10``)."""
        return to_fraction(self.params[name], what=name)


class District(StrictModel):
    """One district of the general tier. ``seats`` is None where the record lacks it."""

    name: Text
    governorate: Text | None = None
    seats: SeatsOrUnknown
    women_minimum: Count | None = None
    sources: tuple[Url, ...] = ()
    note: Text | None = None


class Governorate(StrictModel):
    """Totals per governorate when the districts are finer (2021: 83 districts in 18)."""

    name: Text
    seats: Count
    districts: Positive
    women_minimum: Count | None = None
    sources: tuple[Url, ...] = ()
    note: Text | None = None


class Compensatory(StrictModel):
    """A national compensatory tier (December 2005: 45 seats; 2010: 7 seats).

    ``eligible`` says which lists share it: all, or only those that won district seats.
    ``first_phase`` is a step taken before that: ``unseated-national-quota`` gives each
    list that won no district seat one seat per full national quota (national valid votes
    / house size); ``none`` has no such step.
    """

    seats: Positive
    method: Text
    params: Params = Field(default_factory=dict)
    eligible: Literal["all", "district-seat-winners"] = "all"
    first_phase: Literal["none", "unseated-national-quota"] = "none"
    rule: Text
    assumption: Ident | None = None
    sources: Sources


class WomenRule(StrictModel):
    """The women's quota: a registered form (:data:`muhasasa.methods.reserved.WOMEN_QUOTA_FORMS`)
    with its text parameters, the minimum share and the scope it applies to."""

    form: Text
    minimum_share: Fraction
    scope: Literal["list", "district", "governorate", "national"]
    params: Params = Field(default_factory=dict)
    rule: Text
    sources: Sources
    assumption: Ident | None = None

    @field_validator("minimum_share", mode="before")
    @classmethod
    def _share(cls, value: object) -> Fraction:
        if not isinstance(value, str):
            raise ValueError(f'give the share as text: minimum_share = "{value}" (e.g. "1/4")')
        share = to_fraction(value, what="minimum_share")
        if not 0 < share <= 1:
            raise ValueError(f"minimum_share must lie in (0, 1], got {value!r}")
        return share


class MinoritySeat(StrictModel):
    """Reserved seats of one community, allotted to a governorate."""

    community: Text
    governorate: Text | None = None
    seats: Positive
    constituency: Literal["national", "governorate", "unknown"]
    sources: Sources
    note: Text | None = None


class Law(StrictModel):
    """One electoral law, validated. Load it with :func:`load_law` or :func:`load_law_file`."""

    id: Ident
    title: Text
    election: Text
    date: dt.date
    legal_basis: Text
    house_size: Positive
    ballot: Literal["closed-list", "open-list", "candidate"]
    tie_rule: Literal["refuse", "lot"]
    sources: Sources
    notes: Text | None = None
    general: GeneralTier
    districts: Annotated[tuple[District, ...], Field(min_length=1)]
    governorates: tuple[Governorate, ...] = ()
    compensatory: Compensatory | None = None
    women: WomenRule | None = None
    minority_seats: tuple[MinoritySeat, ...] = ()
    assumptions: tuple[Assumption, ...] = ()
    candidates: CandidateTier | None = None
    readings: tuple[Reading, ...] = ()

    def reading(self, reading_id: str) -> Reading:
        """The reading with this id."""
        for r in self.readings:
            if r.id == reading_id:
                return r
        raise UnknownNameError("reading", reading_id, (r.id for r in self.readings), source=f"law {self.id}")

    @property
    def general_seats(self) -> int:
        """Seats of the general tier: the governorate totals when a ``[[governorates]]``
        table is given (2021, where per-district seats are unknown), else the sum of
        the district seats."""
        if self.governorates:
            return sum(g.seats for g in self.governorates)
        return sum(d.seats or 0 for d in self.districts)

    @property
    def minority_seat_total(self) -> int:
        return sum(m.seats for m in self.minority_seats)

    @property
    def compensatory_seats(self) -> int:
        return self.compensatory.seats if self.compensatory else 0

    def assumptions_about(self, prefix: str) -> tuple[Assumption, ...]:
        """Assumptions whose ``applies_to`` is ``prefix`` or lies below it
        (``"general"`` matches ``general.params.first_divisor`` but not ``generalx``)."""
        prefix = prefix.strip()
        return tuple(
            a
            for a in self.assumptions
            if not prefix
            or a.applies_to == prefix
            or a.applies_to.startswith((prefix + ".", prefix + "["))
        )

    @model_validator(mode="after")
    def _checked(self, info: ValidationInfo) -> Law:
        _check(self, (info.context or {}).get("elections", ()))
        return self

    def assumption(self, assumption_id: str) -> Assumption:
        """The assumption with this id."""
        for a in self.assumptions:
            if a.id == assumption_id:
                return a
        raise UnknownNameError(
            "assumption", assumption_id, (a.id for a in self.assumptions), source=f"law {self.id}"
        )


# Parameters a method will accept once its registration catches up with the packs.
# Checked by name at load time, so the registry takes over as soon as it knows them.
_PENDING_PARAMS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "largest-remainder": {"leftover": ("all", "seat-winners-proportional")},
}

# What votes each district plan needs at least, in the order of detail.
_LEVELS = ("national", "governorate", "candidate")
_PLAN_LEVEL = {"national": "national", "governorates": "governorate", "sntv-districts": "candidate"}
# --------------------------------------------------------------------------- loading


def load_law_bytes(data: bytes, source: str, *, elections: Sequence[str] = (), law_id: str | None = None) -> Law:
    """A law file validated: the schema, then its checks. ``elections`` are the ids the
    law may name (its body's elections); ``law_id``, the id its file name gives it."""
    law = load_toml(data, source, Law, context={"elections": tuple(elections)})
    if law_id is not None and law.id != law_id:
        raise InputError(source, f"id {law.id!r} differs from the file name {law_id!r}", field="id")
    return law


def _fail(path: KeyPath, problem: str) -> Problem:
    return Problem(path, problem)


def _unknown(kind: str, name: str, known: Any, path: KeyPath) -> Problem:
    return Problem.unknown(path, kind, name, known)


def _label_model(item: BaseModel) -> str | None:
    for key in ("name", "id"):
        value = getattr(item, key, None)
        if isinstance(value, str):
            return value
    community = getattr(item, "community", None)
    if isinstance(community, str):
        gov = getattr(item, "governorate", None)
        return f"{community}/{gov}" if gov else community
    return None


# --------------------------------------------------------------------------- cross checks


def _check(law: Law, known_elections: Sequence[str]) -> None:
    if known_elections and law.election not in known_elections:
        raise _unknown("election", law.election, known_elections, ("election",))
    _check_method(law.general.method, law.general.params, ("general",))
    if law.compensatory is not None:
        _check_method(law.compensatory.method, law.compensatory.params, ("compensatory",))
    _check_threshold(law.general.threshold)
    _check_levels(law)
    _check_districts(law)
    _check_seat_total(law)
    _check_minorities(law)
    if law.women is not None:
        _check_women(law.women)
    _check_assumptions(law)
    _check_candidates(law)


def _check_candidates(law: Law) -> None:
    """The candidate tier names a registered ranking; each reading points at the law, its
    chosen option is one of its options and, where it sets a parameter, the law's own
    value of that parameter."""
    from muhasasa.methods.ranked_fill import FILL_RULES

    if law.candidates is not None and law.candidates.rule not in FILL_RULES:
        raise _unknown("candidate ranking", law.candidates.rule, FILL_RULES, ("candidates", "rule"))
    seen: set[str] = set()
    for index, reading in enumerate(law.readings):
        at = ("readings", index)
        if reading.id in seen:
            raise _fail((*at, "id"), f"duplicate reading id {reading.id!r}")
        seen.add(reading.id)
        if reading.chosen not in reading.options:
            raise _fail((*at, "chosen"), f"{reading.chosen!r} is not one of the options {', '.join(reading.options)}")
        problem = _resolve(law, reading.applies_to)
        if problem:
            raise _fail((*at, "applies_to"), f"{reading.applies_to!r} points at nothing in this law: {problem}")
        if not reading.values:
            continue
        if set(reading.values) != set(reading.options):
            raise _fail((*at, "values"), "give a value for every option, or none")
        parts = reading.applies_to.split(".")
        if len(parts) != 3 or parts[1] != "params" or parts[0] not in ("general", "candidates"):
            raise _fail((*at, "applies_to"), "a reading with values must point at a parameter "
                        "(general.params.NAME or candidates.params.NAME)")
        tier = getattr(law, parts[0])
        if tier.params.get(parts[2]) != reading.values[reading.chosen]:
            raise _fail((*at, "chosen"), f"the law sets {reading.applies_to} = {tier.params.get(parts[2])!r}, "
                        f"but the chosen option {reading.chosen!r} gives {reading.values[reading.chosen]!r}")


def _check_method(method_id: str, params: Mapping[str, str], at: KeyPath) -> None:
    if method_id not in METHODS:
        raise _unknown("method", method_id, METHODS, (*at, "method"))
    method = METHODS[method_id]
    registered = {p.name: p for p in method.params}
    pending = {
        name: choices
        for name, choices in _PENDING_PARAMS.get(method_id, {}).items()
        if name not in registered
    }
    for name, value in params.items():
        path = (*at, "params", name)
        if name in pending:
            if value not in pending[name]:
                raise _fail(path, f"{name}={value!r} is not one of {', '.join(pending[name])}")
            continue
        if name not in registered:
            raise _unknown(f"parameter of method {method_id!r}", name, registered, path)
        choices = registered[name].choices
        if choices and value not in choices:
            raise _fail(
                path, f"{name}={value!r} is not one of {', '.join(choices)}{did_you_mean(value, choices)}"
            )
    # Let the method itself judge the values (a divisor must be an exact positive
    # number, ...) on a small contest; a lot settles any tie so only bad values fail.
    trial = {name: value for name, value in params.items() if name in registered}
    try:
        allocate({"a": 60, "b": 30, "c": 10}, 3, method_id, tie_break="lot", seed=0, **trial)
    except (MuhasasaError, ValueError, ArithmeticError) as exc:
        problem = exc.problem if isinstance(exc, InputError) else str(exc)
        raise _fail(
            (*at, "params"), f"method {method_id!r} rejects these parameters: {problem}"
        ) from None


def _check_threshold(threshold: str | None) -> None:
    if threshold is None:
        return
    try:
        threshold_votes(threshold, 1000, 10)
    except InputError as exc:
        raise _fail(("general", "threshold"), exc.problem) from None


def _check_levels(law: Law) -> None:
    general = law.general
    needed = _PLAN_LEVEL[general.district_plan]
    if _LEVELS.index(general.data_level) < _LEVELS.index(needed):
        raise _fail(
            ("general", "data_level"),
            f"district plan {general.district_plan!r} needs at least {needed!r} votes, "
            f"not {general.data_level!r}",
        )
    unit = METHODS[general.method].unit
    if unit == "candidate" and general.data_level != "candidate":
        raise _fail(
            ("general", "data_level"),
            f"method {general.method!r} allocates seats to candidates; data_level must be 'candidate'",
        )
    if (unit == "candidate") != (law.ballot == "candidate"):
        raise _fail(
            ("ballot",),
            f"ballot {law.ballot!r} does not fit method {general.method!r}, which allocates "
            f"to {unit}s",
        )
    low, high = general.district_seats_min, general.district_seats_max
    if low is not None and high is not None and low > high:
        raise _fail(("general", "district_seats_min"), f"{low} is above district_seats_max {high}")


def _check_districts(law: Law) -> None:
    plan = law.general.district_plan
    low, high = law.general.district_seats_min, law.general.district_seats_max
    seen: dict[str, int] = {}
    for index, district in enumerate(law.districts):
        at = ("districts", index)
        if district.name in seen:
            raise _fail((*at, "name"), f"duplicate district {district.name!r}")
        seen[district.name] = index
        if plan == "national":
            if district.governorate is not None:
                raise _fail((*at, "governorate"), "a national district belongs to no governorate")
        elif district.governorate is None:
            raise _fail(at, f"missing required key 'governorate' (district plan {plan!r})")
        if district.seats is None and not law.governorates:
            raise _fail(
                (*at, "seats"),
                "seats are 'unknown' but no [[governorates]] table gives the totals",
            )
        if district.seats is not None:
            if low is not None and district.seats < low or high is not None and district.seats > high:
                raise _fail(
                    (*at, "seats"),
                    f"{district.seats} seats lie outside the law's {low}–{high} per district",
                )
            if district.women_minimum is not None and district.women_minimum > district.seats:
                raise _fail(
                    (*at, "women_minimum"),
                    f"women minimum {district.women_minimum} exceeds the district's {district.seats} seats",
                )
    if plan == "national" and len(law.districts) != 1:
        raise _fail(("districts",), f"a national plan has one district, not {len(law.districts)}")
    if plan == "governorates":
        governorates = [d.governorate for d in law.districts]
        duplicate = next((g for g in governorates if governorates.count(g) > 1), None)
        if duplicate is not None:
            index = len(governorates) - 1 - governorates[::-1].index(duplicate)
            raise _fail(
                ("districts", index, "governorate"), f"governorate {duplicate!r} has two districts"
            )
    if law.governorates:
        _check_governorates(law)


def _check_governorates(law: Law) -> None:
    low, high = law.general.district_seats_min, law.general.district_seats_max
    names: dict[str, int] = {}
    for index, gov in enumerate(law.governorates):
        if gov.name in names:
            raise _fail(("governorates", index, "name"), f"duplicate governorate {gov.name!r}")
        names[gov.name] = index
    for index, district in enumerate(law.districts):
        if district.governorate not in names:
            raise _unknown(
                "governorate", str(district.governorate), names, ("districts", index, "governorate")
            )
    for index, gov in enumerate(law.governorates):
        at = ("governorates", index)
        mine = [d for d in law.districts if d.governorate == gov.name]
        if len(mine) != gov.districts:
            raise _fail(
                (*at, "districts"),
                f"{gov.name} should have {gov.districts} districts but {len(mine)} are listed",
            )
        known = [d.seats for d in mine if d.seats is not None]
        if sum(known) > gov.seats or (len(known) == len(mine) and sum(known) != gov.seats):
            raise _fail(
                (*at, "seats"),
                f"{gov.name} has {gov.seats} seats but its districts' known seats add up to {sum(known)}",
            )
        too_few = low is not None and gov.seats < low * gov.districts
        too_many = high is not None and gov.seats > high * gov.districts
        if too_few or too_many:
            raise _fail(
                (*at, "seats"),
                f"{gov.seats} seats cannot be split into {gov.districts} districts of {low}–{high}",
            )
        if gov.women_minimum is not None and gov.women_minimum > gov.seats:
            raise _fail(
                (*at, "women_minimum"),
                f"women minimum {gov.women_minimum} exceeds {gov.name}'s {gov.seats} seats",
            )


def _check_seat_total(law: Law) -> None:
    general, minority, compensatory = law.general_seats, law.minority_seat_total, law.compensatory_seats
    if general + minority + compensatory != law.house_size:
        raise _fail(
            ("house_size",),
            f"seats do not add up: general {general} + minority {minority} + compensatory "
            f"{compensatory} = {general + minority + compensatory}, but house_size is {law.house_size}",
        )


def _check_minorities(law: Law) -> None:
    governorates = {d.governorate for d in law.districts if d.governorate}
    governorates |= {g.name for g in law.governorates}
    seen = set()
    for index, seat in enumerate(law.minority_seats):
        at = ("minority_seats", index)
        key = (seat.community, seat.governorate)
        if key in seen:
            raise _fail(at, f"duplicate minority seat entry {seat.community} / {seat.governorate}")
        seen.add(key)
        if seat.governorate is not None and governorates and seat.governorate not in governorates:
            raise _unknown("governorate", seat.governorate, governorates, (*at, "governorate"))


# Ties are the law's `tie_rule`, and seeds belong to a run, not to a law.
_RUN_PARAMS = ("tie_break", "seed")


def _check_women(women: WomenRule) -> None:
    if women.form not in WOMEN_QUOTA_FORMS:
        raise _unknown("women's quota form", women.form, WOMEN_QUOTA_FORMS, ("women", "form"))
    form = WOMEN_QUOTA_FORMS[women.form]
    known = {p.name: p for p in form.params if p.name not in _RUN_PARAMS}
    for name, value in women.params.items():
        path = ("women", "params", name)
        if name in _RUN_PARAMS:
            raise _fail(path, f"{name} is not a law parameter: ties follow the law's tie_rule")
        if name not in known:
            raise _unknown(f"parameter of women's quota form {women.form!r}", name, known, path)
        choices = known[name].choices
        if choices and value not in choices:
            raise _fail(
                path, f"{name}={value!r} is not one of {', '.join(choices)}{did_you_mean(value, choices)}"
            )


_PATH_TOKEN = re.compile(r"\.?([A-Za-z_][A-Za-z0-9_]*)|\[([^\]]+)\]")


def _resolve(law: Law, text: str) -> str | None:
    """Follow a dotted path into the law; return why it fails, or None if it resolves."""
    node: Any = law
    position = 0
    while position < len(text):
        match = _PATH_TOKEN.match(text, position)
        if not match or (position == 0 and text.startswith(".")):
            return f"cannot read the path at {text[position:]!r}"
        position = match.end()
        name, label = match.group(1), match.group(2)
        if name is not None:
            if isinstance(node, BaseModel):
                if name not in type(node).model_fields:
                    close = difflib.get_close_matches(name, list(type(node).model_fields), n=1)
                    hint = f"; did you mean {close[0]!r}?" if close else ""
                    return f"{name!r} is not a key here{hint}"
                if getattr(node, name) is None and name not in node.model_fields_set:
                    return f"{name!r} is not set in this law"
                node = getattr(node, name)
            elif isinstance(node, Mapping):
                if name not in node:
                    return f"{name!r} is not set"
                node = node[name]
            else:
                return f"{name!r} lies inside a plain value"
        else:
            if not isinstance(node, tuple):
                return f"[{label}] needs a table of entries before it"
            matches = [item for item in node if _label_model(item) == label]
            if not matches:
                return f"no entry named {label!r}"
            node = matches[0]
    return None


def _check_assumptions(law: Law) -> None:
    ids: dict[str, int] = {}
    for index, assumption in enumerate(law.assumptions):
        at = ("assumptions", index)
        if assumption.id in ids:
            raise _fail((*at, "id"), f"duplicate assumption id {assumption.id!r}")
        ids[assumption.id] = index
        problem = _resolve(law, assumption.applies_to)
        if problem:
            raise _fail(
                (*at, "applies_to"), f"{assumption.applies_to!r} points at nothing in this law: {problem}"
            )
    for section in ("compensatory", "women"):
        part = getattr(law, section)
        if part is not None and part.assumption is not None and part.assumption not in ids:
            raise _unknown("assumption", part.assumption, ids, (section, "assumption"))
