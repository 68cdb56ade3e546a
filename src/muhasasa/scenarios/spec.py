"""What a scenario file may say (one frozen pydantic model per table and intervention kind)
and the validated values a scenario is made of.

The models are the single description of the file's keys: :func:`muhasasa.scenarios.load.parse_scenario`
reads the file with :func:`muhasasa.packs.toml.load_toml` against :class:`ScenarioFile`, so that
a mistake reads as in every other file of muhasasa (file, line, field, what is wrong).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple

import numpy as np
from pydantic import BaseModel, Field, model_validator

from muhasasa.errors import InputError, UnknownNameError
from muhasasa.exact import to_fraction
from muhasasa.packs.schema.law import Law
from muhasasa.packs.schema.types import Count, Positive, Slug, Text
from muhasasa.packs.toml import Problem, StrictModel

MODELS = ("none", "dirichlet", "logit-normal", "multinomial")
LEVELS = ("auto", "governorate", "national")
#: Lists of the record that are not lists on a ballot: their seats are held by members
#: the record does not name (see :mod:`muhasasa.parliament.assembly`).
PSEUDO_LISTS = ("independents", "minority-quota")
MINORITY_LIST = "minority-quota"
NATIONAL = "national"
UNCLASSIFIED = "unclassified"

# --------------------------------------------------------------------------- schema

Scope = Text | Annotated[tuple[Text, ...], Field(min_length=1)]


#: The parameters each uncertainty model takes.
MODEL_PARAMETERS: Mapping[str, tuple[str, ...]] = {
    "none": (), "dirichlet": ("concentration", "ballots"), "logit-normal": ("sigma", "correlation", "ballots"),
    "multinomial": ("ballots",),
}


class Uncertainty(StrictModel):
    """The ``[uncertainty]`` table: the model around the base votes, its parameters as the
    exact text of the file (read as numbers by :meth:`number`).

    ``model`` is one of :data:`MODELS`. ``concentration`` (Dirichlet): draws of the shares
    ``q ~ Dirichlet(concentration * p)``; the standard deviation of a share ``p`` is about
    ``sqrt(p (1-p) / concentration)``. ``sigma`` and ``correlation`` (logit-normal): each
    list's log-share moves by ``sigma * e`` with ``e`` normal, correlated ``correlation``
    across governorates (one national swing plus a local one). ``ballots``
    (multinomial, or a second stage of the others): the ballots drawn per district; by
    default every ballot of the district. ``ties``: ``law`` follows the law's tie rule,
    ``lot`` settles every tie by a seeded lot.

    >>> Uncertainty(model="dirichlet", concentration="2000").number("concentration")
    Fraction(2000, 1)
    """

    model: Literal["none", "dirichlet", "logit-normal", "multinomial"] = "none"
    concentration: Text | None = None
    sigma: Text | None = None
    correlation: Text | None = None
    ballots: Text | None = None
    ties: Literal["law", "lot"] = "law"

    @model_validator(mode="after")
    def _checked(self) -> Uncertainty:
        used = MODEL_PARAMETERS[self.model]
        for key in ("concentration", "sigma", "correlation", "ballots"):
            if getattr(self, key) is not None and key not in used:
                raise Problem(("uncertainty", key), f"{key} is not a parameter of model {self.model!r} "
                                                    f"(its parameters: {', '.join(used) or 'none'})")
        if self.model == "dirichlet" and self.concentration is None:
            raise Problem(("uncertainty", "model"), 'the dirichlet model needs concentration = "N" (e.g. "2000")')
        if self.model == "logit-normal" and self.sigma is None:
            raise Problem(("uncertainty", "model"), 'the logit-normal model needs sigma = "s" (e.g. "0.1")')
        for key in ("concentration", "sigma", "correlation", "ballots"):
            try:
                self.number(key)
            except ValueError as exc:
                raise Problem(("uncertainty", key), str(exc)) from None
        return self

    def number(self, key: str) -> Fraction | None:
        """A parameter as an exact number (None where not given; ``correlation`` defaults
        to 0 under logit-normal); ValueError, saying why, for a value out of its range."""
        text = getattr(self, key)
        if text is None:
            return Fraction(0) if key == "correlation" and self.model == "logit-normal" else None
        low, high, low_open = _RANGES[key]
        value = check_exact(text, key, low=low, high=high, low_open=low_open)
        if key == "ballots" and value.denominator != 1:
            raise ValueError(f"ballots must be a whole number, got {text!r}")
        return value

    @property
    def ballot_count(self) -> int | None:
        """The ballots drawn per district, or None for every ballot of the district."""
        value = self.number("ballots")
        return None if value is None else int(value)

    def as_dict(self) -> dict[str, str | int | None]:
        return {"model": self.model, "concentration": self.concentration, "sigma": self.sigma,
                "correlation": self.correlation, "ballots": self.ballot_count, "ties": self.ties}


#: The range of each parameter: (low, high, low excluded).
_RANGES: Mapping[str, tuple[Fraction | None, Fraction | None, bool]] = {
    "concentration": (Fraction(0), None, True), "sigma": (Fraction(0), None, False),
    "correlation": (Fraction(0), Fraction(1), False), "ballots": (Fraction(1), None, False),
}


class SwingSpec(StrictModel):
    kind: Literal["swing"]
    list: Text | None = None
    lists: tuple[Text, ...] | None = None
    mode: Literal["uniform", "proportional"] = "uniform"
    points: Text
    scope: Scope = NATIONAL
    from_: tuple[Text, ...] | None = Field(default=None, alias="from")
    note: Text | None = None


class TurnoutSpec(StrictModel):
    kind: Literal["turnout"]
    points: Text | None = None
    factor: Text | None = None
    scope: Scope = NATIONAL
    note: Text | None = None


class BoycottSpec(StrictModel):
    kind: Literal["boycott"]
    list: Text | None = None
    lists: tuple[Text, ...] | None = None
    share: Text = "1"
    scope: Scope = NATIONAL
    note: Text | None = None


class WithdrawSpec(StrictModel):
    kind: Literal["withdraw"]
    list: Text | None = None
    lists: tuple[Text, ...] | None = None
    scope: Scope = NATIONAL
    note: Text | None = None


class MergeSpec(StrictModel):
    kind: Literal["merge"]
    lists: Annotated[tuple[Text, ...], Field(min_length=2)]
    into: Slug | None = None
    name: Text | None = None
    note: Text | None = None


class SplitSpec(StrictModel):
    kind: Literal["split"]
    list: Text
    into: dict[Slug, Text]
    note: Text | None = None


class LawChangeSpec(StrictModel):
    kind: Literal["law"]
    law: Text
    note: Text | None = None


class ResignationSpec(StrictModel):
    kind: Literal["resignation"]
    list: Text | None = None
    seats: Positive | None = None
    without: Text | None = None
    note: Text | None = None


class BlocsSpec(StrictModel):
    kind: Literal["blocs"]
    map: Text | None = None
    file: Text | None = None
    note: Text | None = None


class ConventionSpec(StrictModel):
    kind: Literal["convention"]
    lifted: bool | None = None
    file: Text | None = None
    note: Text | None = None


class VetoSpec(StrictModel):
    kind: Literal["veto"]
    target: Text | None = None
    by: Text | None = None
    day: Count | None = None
    without: Text | None = None
    note: Text | None = None


KIND_MODELS: dict[str, type[StrictModel]] = {
    "swing": SwingSpec, "turnout": TurnoutSpec, "boycott": BoycottSpec, "withdraw": WithdrawSpec,
    "merge": MergeSpec, "split": SplitSpec, "law": LawChangeSpec, "resignation": ResignationSpec,
    "blocs": BlocsSpec, "convention": ConventionSpec, "veto": VetoSpec,
}
#: Intervention kinds and the stage of the pipeline each one touches.
KINDS: Mapping[str, str] = {
    "swing": "votes", "turnout": "votes", "boycott": "votes", "withdraw": "votes",
    "merge": "votes", "split": "votes", "law": "seats", "resignation": "seats",
    "blocs": "blocs", "convention": "formation", "veto": "formation",
}

AnyIntervention = Annotated[
    SwingSpec | TurnoutSpec | BoycottSpec | WithdrawSpec | MergeSpec | SplitSpec | LawChangeSpec | ResignationSpec | BlocsSpec
    | ConventionSpec | VetoSpec,
    Field(discriminator="kind"),
]


class ScenarioFile(StrictModel):
    title: Text | None = None
    description: Text | None = None
    base: Text
    law: Text | None = None
    level: Literal["auto", "governorate", "national"] = "auto"
    uncertainty: Uncertainty = Field(default_factory=Uncertainty)
    interventions: tuple[AnyIntervention, ...] = ()


@dataclass(frozen=True)
class Place:
    """Where something stands in a scenario file: the file, the line and the field."""

    source: str
    line: int | None
    field: str | None

    def error(self, problem: str, key: str | None = None, line: int | None = None) -> InputError:
        return InputError(self.source, problem, line=line or self.line, field=self._field(key))

    def unknown(self, kind: str, name: str, known: Iterable[str], key: str | None = None,
                line: int | None = None) -> UnknownNameError:
        return UnknownNameError(kind, name, known, source=self.source, line=line or self.line,
                                field=self._field(key))

    def _field(self, key: str | None) -> str | None:
        if key is None:
            return self.field
        return f"{self.field}.{key}" if self.field else key



def check_exact(text: str, key: str, *, low: Fraction | None = None, high: Fraction | None = None,
                low_open: bool = False) -> Fraction:
    """``text`` as an exact number within its range; ValueError saying why not."""
    try:
        value = to_fraction(text, what=key)
    except ValueError as exc:
        raise ValueError(f"{exc}; write an exact number as text, e.g. \"1.5\" or \"3/2\"") from None
    if low is not None and (value < low or (low_open and value == low)):
        raise ValueError(f"{key} must be {'above' if low_open else 'at least'} {low}, got {text!r}")
    if high is not None and value > high:
        raise ValueError(f"{key} must be at most {high}, got {text!r}")
    return value


def exact_number(text: str, place: Place, key: str, *, low: Fraction | None = None,
                 high: Fraction | None = None, low_open: bool = False) -> Fraction:
    """:func:`check_exact`, an InputError at ``place`` (field ``key``) when it fails."""
    try:
        return check_exact(text, key, low=low, high=high, low_open=low_open)
    except ValueError as exc:
        raise place.error(str(exc), key) from None


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class Intervention:
    """One validated intervention: its kind, stage, position in the file and its keys."""

    index: int
    kind: str
    stage: str
    spec: BaseModel
    place: Place

    def describe(self) -> str:
        keys = {k: v for k, v in self.spec.model_dump(by_alias=True, exclude_none=True).items()
                if k not in ("kind", "note")}
        return f"{self.kind} " + ", ".join(f"{k}={v}" for k, v in keys.items())


@dataclass(frozen=True)
class VoteTable:
    """Integer votes per district and list, the seats to fill, and what is held fixed.

    ``votes[d, l]`` are the votes of list ``lists[l]`` in district ``districts[d]``;
    ``residual[d]`` valid votes not itemized (counted in totals, never allocated);
    ``seats[d]`` the district's general seats; ``held[l]`` seats not simulated (the
    districts in ``held_districts``, reserved minority seats, or the whole parliament at
    ``level == "official"``). ``exact`` is false whenever any of it is approximate, and
    ``reasons`` then say why; ``notes`` say what the interventions did.
    """

    election: str
    law: Law
    level: str
    exact: bool
    basis: str
    reasons: tuple[str, ...]
    notes: tuple[str, ...]
    districts: tuple[str, ...]
    lists: tuple[str, ...]
    names: tuple[str, ...]
    communities: tuple[str, ...]
    votes: np.ndarray
    residual: np.ndarray
    seats: np.ndarray
    held: np.ndarray
    held_districts: tuple[str, ...]
    turnout: tuple[Fraction | None, ...]
    renames: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def house_size(self) -> int:
        return int(self.seats.sum() + self.held.sum())

    @property
    def label(self) -> str:
        """``exact`` or ``approximate: <reasons>``."""
        return "exact" if self.exact else "approximate: " + "; ".join(self.reasons)

    def index(self, list_id: str) -> int:
        return self.lists.index(list_id)

    def rows(self) -> list[dict]:
        """The table as tidy rows (district, list, votes, residual, seats, status)."""
        out = []
        for d, district in enumerate(self.districts):
            for l, list_id in enumerate(self.lists):
                if self.votes[d, l]:
                    out.append({"district": district, "list": list_id, "votes": int(self.votes[d, l]),
                                "district_residual": int(self.residual[d]), "district_seats": int(self.seats[d]),
                                "status": "simulated"})
        for l, list_id in enumerate(self.lists):
            if self.held[l]:
                out.append({"district": "held", "list": list_id, "votes": None, "district_residual": None,
                            "district_seats": int(self.held[l]), "status": "held"})
        return out


class ListResignation(NamedTuple):
    """A list that resigns ``seats`` of its seats in every draw (None: all of them)."""

    list_id: str
    seats: int | None


class ExtraVeto(NamedTuple):
    """An outside veto the scenario adds to the formation cycle: its day (from the
    election), what it says and where it comes from."""

    day: int
    text: str
    source: str


@dataclass(frozen=True)
class Formation:
    """What reaches the formation stage: the cycle, recorded events removed, extra vetoes,
    and the convention (held, or lifted)."""

    cycle: str
    without: tuple[str, ...] = ()
    vetoes: tuple[ExtraVeto, ...] = ()
    convention: bool = True


@dataclass(frozen=True)
class Scenario:
    """A validated scenario: its text, base, law, uncertainty, interventions and vote table.

    ``resignations`` are applied to the seats of every draw (list, seats or None for all);
    ``bloc_map`` is the scenario's bloc map (a ``blocs`` intervention, else the election's
    latest bundled map, else None: lists play alone); ``formation`` is set when the base
    election opened a replayable formation cycle.
    """

    source: str
    text: str
    title: str | None
    description: str | None
    base: str
    law: Law
    law_ref: str
    level: str
    uncertainty: Uncertainty
    interventions: tuple[Intervention, ...]
    table: VoteTable
    resignations: tuple[ListResignation, ...]
    bloc_map: Any
    formation: Formation | None
    formation_stage: bool

    @property
    def stem(self) -> str:
        return Path(self.source).stem

