"""Electoral laws as data: the schema of a law file and the strict loader.

A law is a TOML file in a country pack (``packs/<pack>/laws/<id>.toml``) or a
user's own file. It says how votes become seats: the district plan, the
allocation method from the registry (:data:`muhasasa.methods.METHODS`) with its
parameters *as text*, the threshold, compensatory seats, the women's quota and
the reserved minority seats. Where the record leaves a rule unknown, the file
states a *marked assumption* (``[[assumptions]]``) with its evidence and sources,
pointing at the value it governs by a dotted path such as
``general.params.first_divisor`` or ``districts[Qadisiyah].women_minimum``.

Loading is strict: unknown keys (with a suggestion), missing keys, TOML floats
where exact text is required, unknown methods or parameters, seats that do not
add up to the house size, women's minimums above the seats, references to
unknown assumptions and duplicate districts all raise
:class:`~muhasasa.errors.InputError` naming the file, the field and, where it can
be found, the line. Files are parsed with :mod:`tomllib`; nothing is evaluated.

>>> law = load_law("2025")
>>> law.general.method, law.general.params["first_divisor"]
('sainte-lague-modified', '1.7')
>>> law.general_seats, law.minority_seat_total, law.house_size
(320, 9, 329)
>>> [a.id for a in load_law("2014").assumptions_about("general.params")]
['first-divisor-2014']
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from fractions import Fraction
from importlib import resources
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
    field_validator,
)
from pydantic_core import ErrorDetails

from muhasasa.errors import InputError, MuhasasaError, UnknownNameError
from muhasasa.exact import to_fraction
from muhasasa.methods import METHODS, allocate
from muhasasa.methods.reserved import WOMEN_QUOTA_FORMS
from muhasasa.methods.thresholds import threshold_votes
from muhasasa.tomlfiles import (
    HeaderLocator,
    KeyPath,
    StrictModel,
    did_you_mean,
    field_name,
    float_problem,
    last_key,
    parse,
    read_bytes,
    text_problem,
)

__all__ = [
    "Assumption",
    "Compensatory",
    "District",
    "GeneralTier",
    "Governorate",
    "Law",
    "MinoritySeat",
    "WomenRule",
    "law_ids",
    "load_law",
    "load_law_file",
]

# --------------------------------------------------------------------------- types

Text = Annotated[str, Strict(), StringConstraints(pattern=r"\S")]
Ident = Annotated[str, Strict(), StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
Url = Annotated[str, Strict(), StringConstraints(pattern=r"^https?://\S+$")]
Count = Annotated[int, Strict(), Field(ge=0)]
Positive = Annotated[int, Strict(), Field(ge=1)]
Sources = Annotated[tuple[Url, ...], Field(min_length=1)]
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
    """

    seats: Positive
    method: Text
    params: Params = Field(default_factory=dict)
    eligible: Literal["all", "district-seat-winners"] = "all"
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

# --------------------------------------------------------------------------- public API


def _pack_root() -> Traversable:
    return resources.files("muhasasa").joinpath("packs")


def _bundled() -> dict[str, tuple[str, Traversable]]:
    """Every bundled law file: id -> (display path, resource)."""
    found: dict[str, tuple[str, Traversable]] = {}
    root = _pack_root()
    if not root.is_dir():
        return found
    for pack in sorted(root.iterdir(), key=lambda p: p.name):
        laws = pack.joinpath("laws")
        if not pack.is_dir() or not laws.is_dir():
            continue
        for item in sorted(laws.iterdir(), key=lambda p: p.name):
            if item.name.endswith(".toml") and item.is_file():
                law_id = item.name[: -len(".toml")]
                if law_id in found:
                    raise InputError(
                        f"packs/{pack.name}/laws/{item.name}",
                        f"law id {law_id!r} also exists in {found[law_id][0]}",
                    )
                found[law_id] = (f"packs/{pack.name}/laws/{item.name}", item)
    return found


def law_ids() -> tuple[str, ...]:
    """Ids of the bundled laws, in chronological order.

    Ids are the file names, written year or year-month (``2005-01``, ``2005-12``,
    ``2010``), so their text order is their chronological order.

    >>> law_ids()
    ('2005-01', '2005-12', '2010', '2014', '2018', '2021', '2025')
    """
    return tuple(sorted(_bundled()))


def load_law(law_id: str) -> Law:
    """The bundled law with this id, validated.

    >>> load_law("2018").general.params
    {'first_divisor': '1.7'}
    >>> load_law("2019")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    muhasasa.errors.UnknownNameError: law id: unknown law '2019' (known: 2005-01, ...); did you mean ...?
    """
    bundled = _bundled()
    if law_id not in bundled:
        raise UnknownNameError("law", law_id, bundled, source="law id")
    display, item = bundled[law_id]
    law = _load_text(item.read_bytes(), display)
    if law.id != law_id:
        raise InputError(display, f"id {law.id!r} differs from the file name {law_id!r}", field="id")
    return law


def load_law_file(path: str | Path) -> Law:
    """A law from a user's own TOML file, validated exactly like the bundled ones."""
    path = Path(path)
    return _load_text(read_bytes(path, "law"), str(path))


# --------------------------------------------------------------------------- loading


def _load_text(data: bytes, source: str) -> Law:
    text, raw = parse(data, source)
    where = _Where(source, text, raw)
    where.refuse_floats(_float_problem)
    law = where.validate(Law)
    _check(law, where)
    return law


def _float_problem(value: float, key: str) -> str:
    """No value in a law file is a float: law numbers stay exact text."""
    return float_problem(value, key)


class _Where(HeaderLocator):
    """Turns a path into the raw TOML (``("districts", 3, "seats")``) into a field name
    for people (``districts[Nineveh].seats``) and a line number, and raises there."""

    def field(self, path: KeyPath) -> str:
        return field_name(self.raw, path, _label_raw)

    def line(self, path: KeyPath) -> int | None:
        for cut in range(len(path), -1, -1):
            prefix = tuple(path[:cut])
            if cut and prefix not in self.headers:
                if cut == len(path) and (*prefix, 0) in self.headers:
                    return self.headers[(*prefix, 0)]  # an array of tables: its first entry
                continue
            keys = [p for p in path[cut:] if isinstance(p, str)]
            if cut == len(path) or not keys:
                return self.headers.get(prefix)
            numbers = [n for n, c in enumerate(self.contexts, 1) if c == prefix]
            for key in reversed(keys):
                pattern = re.compile(r'(^|[\s{,])"?' + re.escape(key) + r'"?\s*=')
                for number in numbers:
                    if pattern.search(self.lines[number - 1]):
                        return number
            return self.headers.get(prefix)
        return None

    def problems(self, exc: ValidationError) -> list[ErrorDetails]:
        errors = super().problems(exc)
        # A bad entry also leaves its array "too short"; that echo is not a problem of its own.
        return [
            e
            for e in errors
            if not (
                e["type"] == "too_short"
                and any(o is not e and o["loc"][: len(e["loc"])] == e["loc"] for o in errors)
            )
        ] or errors

    def describe(self, error: ErrorDetails, path: KeyPath, schema: type[BaseModel]) -> str:
        problem = text_problem(error, path, number="numbers here are text so they stay exact")
        if problem is not None:
            return problem
        kind = error["type"]
        value = error.get("input")
        key = last_key(path)
        if kind == "string_pattern_mismatch":
            if key in ("id", "assumption"):
                return f"{value!r} is not a valid id (letters, digits, '-', '_', '.')"
            return f"{value!r} may not be empty" if not str(value).strip() else f"{value!r} is not allowed here"
        if kind.startswith("date"):
            return f"must be a date like 2025-11-11, got {value!r}"
        return super().describe(error, path, schema)


def _label_raw(item: Any) -> str | None:
    if not isinstance(item, Mapping):
        return None
    for key in ("name", "id"):
        if isinstance(item.get(key), str):
            return item[key]
    if isinstance(item.get("community"), str):
        gov = item.get("governorate")
        return f"{item['community']}/{gov}" if isinstance(gov, str) else item["community"]
    return None


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


def _check(law: Law, where: _Where) -> None:
    known_elections = law_ids()
    if known_elections and law.election not in known_elections:
        raise where.unknown("election", law.election, known_elections, ("election",))
    _check_method(law.general.method, law.general.params, ("general",), where)
    if law.compensatory is not None:
        _check_method(law.compensatory.method, law.compensatory.params, ("compensatory",), where)
    _check_threshold(law.general.threshold, where)
    _check_levels(law, where)
    _check_districts(law, where)
    _check_seat_total(law, where)
    _check_minorities(law, where)
    if law.women is not None:
        _check_women(law.women, where)
    _check_assumptions(law, where)


def _check_method(method_id: str, params: Mapping[str, str], at: KeyPath, where: _Where) -> None:
    if method_id not in METHODS:
        raise where.unknown("method", method_id, METHODS, (*at, "method"))
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
                raise where.error(path, f"{name}={value!r} is not one of {', '.join(pending[name])}")
            continue
        if name not in registered:
            raise where.unknown(f"parameter of method {method_id!r}", name, registered, path)
        choices = registered[name].choices
        if choices and value not in choices:
            raise where.error(
                path, f"{name}={value!r} is not one of {', '.join(choices)}{did_you_mean(value, choices)}"
            )
    # Let the method itself judge the values (a divisor must be an exact positive
    # number, ...) on a small contest; a lot settles any tie so only bad values fail.
    trial = {name: value for name, value in params.items() if name in registered}
    try:
        allocate({"a": 60, "b": 30, "c": 10}, 3, method_id, tie_break="lot", seed=0, **trial)
    except (MuhasasaError, ValueError, ArithmeticError) as exc:
        problem = exc.problem if isinstance(exc, InputError) else str(exc)
        raise where.error(
            (*at, "params"), f"method {method_id!r} rejects these parameters: {problem}"
        ) from None


def _check_threshold(threshold: str | None, where: _Where) -> None:
    if threshold is None:
        return
    try:
        threshold_votes(threshold, 1000, 10)
    except InputError as exc:
        raise where.error(("general", "threshold"), exc.problem) from None


def _check_levels(law: Law, where: _Where) -> None:
    general = law.general
    needed = _PLAN_LEVEL[general.district_plan]
    if _LEVELS.index(general.data_level) < _LEVELS.index(needed):
        raise where.error(
            ("general", "data_level"),
            f"district plan {general.district_plan!r} needs at least {needed!r} votes, "
            f"not {general.data_level!r}",
        )
    unit = METHODS[general.method].unit
    if unit == "candidate" and general.data_level != "candidate":
        raise where.error(
            ("general", "data_level"),
            f"method {general.method!r} allocates seats to candidates; data_level must be 'candidate'",
        )
    if (unit == "candidate") != (law.ballot == "candidate"):
        raise where.error(
            ("ballot",),
            f"ballot {law.ballot!r} does not fit method {general.method!r}, which allocates "
            f"to {unit}s",
        )
    low, high = general.district_seats_min, general.district_seats_max
    if low is not None and high is not None and low > high:
        raise where.error(("general", "district_seats_min"), f"{low} is above district_seats_max {high}")


def _check_districts(law: Law, where: _Where) -> None:
    plan = law.general.district_plan
    low, high = law.general.district_seats_min, law.general.district_seats_max
    seen: dict[str, int] = {}
    for index, district in enumerate(law.districts):
        at = ("districts", index)
        if district.name in seen:
            raise where.error((*at, "name"), f"duplicate district {district.name!r}")
        seen[district.name] = index
        if plan == "national":
            if district.governorate is not None:
                raise where.error((*at, "governorate"), "a national district belongs to no governorate")
        elif district.governorate is None:
            raise where.error(at, f"missing required key 'governorate' (district plan {plan!r})")
        if district.seats is None and not law.governorates:
            raise where.error(
                (*at, "seats"),
                "seats are 'unknown' but no [[governorates]] table gives the totals",
            )
        if district.seats is not None:
            if low is not None and district.seats < low or high is not None and district.seats > high:
                raise where.error(
                    (*at, "seats"),
                    f"{district.seats} seats lie outside the law's {low}–{high} per district",
                )
            if district.women_minimum is not None and district.women_minimum > district.seats:
                raise where.error(
                    (*at, "women_minimum"),
                    f"women minimum {district.women_minimum} exceeds the district's {district.seats} seats",
                )
    if plan == "national" and len(law.districts) != 1:
        raise where.error(("districts",), f"a national plan has one district, not {len(law.districts)}")
    if plan == "governorates":
        governorates = [d.governorate for d in law.districts]
        duplicate = next((g for g in governorates if governorates.count(g) > 1), None)
        if duplicate is not None:
            index = len(governorates) - 1 - governorates[::-1].index(duplicate)
            raise where.error(
                ("districts", index, "governorate"), f"governorate {duplicate!r} has two districts"
            )
    if law.governorates:
        _check_governorates(law, where)


def _check_governorates(law: Law, where: _Where) -> None:
    low, high = law.general.district_seats_min, law.general.district_seats_max
    names: dict[str, int] = {}
    for index, gov in enumerate(law.governorates):
        if gov.name in names:
            raise where.error(("governorates", index, "name"), f"duplicate governorate {gov.name!r}")
        names[gov.name] = index
    for index, district in enumerate(law.districts):
        if district.governorate not in names:
            raise where.unknown(
                "governorate", str(district.governorate), names, ("districts", index, "governorate")
            )
    for index, gov in enumerate(law.governorates):
        at = ("governorates", index)
        mine = [d for d in law.districts if d.governorate == gov.name]
        if len(mine) != gov.districts:
            raise where.error(
                (*at, "districts"),
                f"{gov.name} should have {gov.districts} districts but {len(mine)} are listed",
            )
        known = [d.seats for d in mine if d.seats is not None]
        if sum(known) > gov.seats or (len(known) == len(mine) and sum(known) != gov.seats):
            raise where.error(
                (*at, "seats"),
                f"{gov.name} has {gov.seats} seats but its districts' known seats add up to {sum(known)}",
            )
        too_few = low is not None and gov.seats < low * gov.districts
        too_many = high is not None and gov.seats > high * gov.districts
        if too_few or too_many:
            raise where.error(
                (*at, "seats"),
                f"{gov.seats} seats cannot be split into {gov.districts} districts of {low}–{high}",
            )
        if gov.women_minimum is not None and gov.women_minimum > gov.seats:
            raise where.error(
                (*at, "women_minimum"),
                f"women minimum {gov.women_minimum} exceeds {gov.name}'s {gov.seats} seats",
            )


def _check_seat_total(law: Law, where: _Where) -> None:
    general, minority, compensatory = law.general_seats, law.minority_seat_total, law.compensatory_seats
    if general + minority + compensatory != law.house_size:
        raise where.error(
            ("house_size",),
            f"seats do not add up: general {general} + minority {minority} + compensatory "
            f"{compensatory} = {general + minority + compensatory}, but house_size is {law.house_size}",
        )


def _check_minorities(law: Law, where: _Where) -> None:
    governorates = {d.governorate for d in law.districts if d.governorate}
    governorates |= {g.name for g in law.governorates}
    seen = set()
    for index, seat in enumerate(law.minority_seats):
        at = ("minority_seats", index)
        key = (seat.community, seat.governorate)
        if key in seen:
            raise where.error(at, f"duplicate minority seat entry {seat.community} / {seat.governorate}")
        seen.add(key)
        if seat.governorate is not None and governorates and seat.governorate not in governorates:
            raise where.unknown("governorate", seat.governorate, governorates, (*at, "governorate"))


# Ties are the law's `tie_rule`, and seeds belong to a run, not to a law.
_RUN_PARAMS = ("tie_break", "seed")


def _check_women(women: WomenRule, where: _Where) -> None:
    if women.form not in WOMEN_QUOTA_FORMS:
        raise where.unknown("women's quota form", women.form, WOMEN_QUOTA_FORMS, ("women", "form"))
    form = WOMEN_QUOTA_FORMS[women.form]
    known = {p.name: p for p in form.params if p.name not in _RUN_PARAMS}
    for name, value in women.params.items():
        path = ("women", "params", name)
        if name in _RUN_PARAMS:
            raise where.error(path, f"{name} is not a law parameter: ties follow the law's tie_rule")
        if name not in known:
            raise where.unknown(f"parameter of women's quota form {women.form!r}", name, known, path)
        choices = known[name].choices
        if choices and value not in choices:
            raise where.error(
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


def _check_assumptions(law: Law, where: _Where) -> None:
    ids: dict[str, int] = {}
    for index, assumption in enumerate(law.assumptions):
        at = ("assumptions", index)
        if assumption.id in ids:
            raise where.error((*at, "id"), f"duplicate assumption id {assumption.id!r}")
        ids[assumption.id] = index
        problem = _resolve(law, assumption.applies_to)
        if problem:
            raise where.error(
                (*at, "applies_to"), f"{assumption.applies_to!r} points at nothing in this law: {problem}"
            )
    for section in ("compensatory", "women"):
        part = getattr(law, section)
        if part is not None and part.assumption is not None and part.assumption not in ids:
            raise where.unknown("assumption", part.assumption, ids, (section, "assumption"))
