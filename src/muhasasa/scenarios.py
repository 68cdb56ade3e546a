"""Scenario files: declarative what-ifs on an election, validated, and the vote table they give.

A scenario is a TOML file. It names a **base** election of the record, optionally another
electoral **law** (any law of the pack, or a law file of the user's), the **uncertainty**
around the votes for :mod:`muhasasa.montecarlo`, and **interventions** applied in order to
the stage they touch:

.. code-block:: toml

    title = "2025 with a higher turnout in the south"
    base = "2025"                 # an election id of the record
    law = "2018"                  # optional: a law id of the pack, or a path to a law file
    level = "governorate"         # optional: "auto" (default), "governorate" or "national"

    [uncertainty]                 # optional; every number is text, so it stays exact
    model = "dirichlet"           # "none" | "dirichlet" | "logit-normal" | "multinomial"
    concentration = "2000"        # dirichlet: the shares' concentration (larger = surer)
    # sigma = "0.1"               # logit-normal: spread of each list's log-share
    # correlation = "0.5"         # logit-normal: correlation of a list's effects across governorates
    # ballots = "5000"            # multinomial: ballots drawn per district (default: all of them)
    # ties = "law"                # "law" (the law's tie rule) or "lot"

    [[interventions]]
    kind = "turnout"
    points = "+10"                # or factor = "1.2"
    scope = ["governorate=Basra", "governorate=Dhi Qar"]

Intervention kinds and their stage (``scope`` is ``"national"``, ``"governorate=<name>"`` or
``"community=<name>"``, or an array of them):

==============  ==========  ============================================================
kind            stage       keys
==============  ==========  ============================================================
``swing``       votes       ``list`` or ``lists`` (or a community scope), ``mode``
                            (``uniform`` | ``proportional``), ``points``, ``scope``,
                            ``from`` (the lists that lose; default: all others)
``turnout``     votes       ``points`` or ``factor``, ``scope``
``boycott``     votes       ``list``/``lists`` or a community scope, ``share`` (default 1),
                            ``scope``: that share of the votes stays home
``withdraw``    votes       ``list``/``lists``, ``scope``: the list does not stand
``merge``       votes       ``lists``, ``into``, ``name``
``split``       votes       ``list``, ``into = { id = "share", ... }``
``law``         seats       ``law`` (id or path): the law the seats are allocated under
``resignation`` seats       ``list`` (and ``seats``): the seats are vacated and refilled by
                            the law's vacancy rule; or ``without``: a recorded
                            resignation event of the formation cycle did not happen
``blocs``       blocs       ``map`` (a bundled map id or date) or ``file``
``convention``  formation   ``lifted = true`` or ``file`` (a convention file)
``veto``        formation   ``target``, ``by``, ``day``; or ``without``: a recorded
                            outside veto did not happen
==============  ==========  ============================================================

Loading is strict (:mod:`muhasasa.tomlfiles`): unknown keys get the key's line and a
suggestion, floats are refused ("quote it"), nothing is evaluated. Names are checked
against the base: an unknown list or governorate, a swing that leaves negative votes, a
law whose data the base cannot supply (SNTV needs candidates) are :class:`InputError`\\ s
that name the file, the line and the field.

**The vote table.** :func:`load_scenario` builds the scenario's base vote table, one row
per district and one column per list, integer votes, and applies the vote interventions to
it. Which table depends on what the record holds (:class:`VoteTable` says which, and why):

* ``governorate``, exact: every district of the law has usable governorate votes (the
  record itemizes every seat-winning list, and the law's own computation agrees with the
  official seats);
* ``governorate``, partial (``level = "governorate"``): the districts with usable votes are
  simulated; the others are *held* at their official seats (no uncertainty there), which
  is approximate and labelled so;
* ``national``, approximate: one national district with the law's general seats, from the
  national votes of the lists, or from their published vote shares times the valid (or
  cast) votes where votes are not itemized; reserved minority seats are held;
* ``official``: the law needs candidate votes (SNTV) that the record lacks: the official
  seats are held and only the later stages (blocs, games, formation) are simulated.

Valid votes not itemized by list (``residual``) are never allocated: they count only in
totals (thresholds, quotas), as in :func:`muhasasa.allocate`.

>>> s = parse_scenario('base = "2025"\\nlevel = "governorate"\\n', "inline.toml")
>>> t = s.table
>>> t.level, t.exact, len(t.districts), int(t.seats.sum() + t.held.sum())
('governorate', False, 5, 329)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, Field, Strict, StringConstraints
from pydantic_core import ErrorDetails

from muhasasa.errors import InputError, UnknownNameError
from muhasasa.exact import to_fraction
from muhasasa.methods import METHODS, allocate
from muhasasa import packs
from muhasasa.packs.schema.record import Election
from muhasasa.packs.schema.law import Law
from muhasasa.tomlfiles import (
    HeaderLocator,
    KeyPath,
    StrictModel,
    allowed_keys,
    did_you_mean,
    field_name,
    last_key,
    parse,
    read_bytes,
)

__all__ = [
    "KINDS",
    "MODELS",
    "Intervention",
    "Place",
    "Scenario",
    "Uncertainty",
    "VoteTable",
    "load_scenario",
    "parse_scenario",
]

MODELS = ("none", "dirichlet", "logit-normal", "multinomial")
LEVELS = ("auto", "governorate", "national")
#: Lists of the record that are not lists on a ballot: their seats are held by members
#: the record does not name (see :mod:`muhasasa.parliament.assembly`).
PSEUDO_LISTS = ("independents", "minority-quota")
MINORITY_LIST = "minority-quota"
NATIONAL = "national"
UNCLASSIFIED = "unclassified"

# --------------------------------------------------------------------------- schema

Text = Annotated[str, Strict(), StringConstraints(pattern=r"\S")]
Slug = Annotated[str, Strict(), StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
Scope = Text | Annotated[tuple[Text, ...], Field(min_length=1)]


class _Uncertainty(StrictModel):
    model: Literal["none", "dirichlet", "logit-normal", "multinomial"] = "none"
    concentration: Text | None = None
    sigma: Text | None = None
    correlation: Text | None = None
    ballots: Text | None = None
    ties: Literal["law", "lot"] = "law"


class _Swing(StrictModel):
    kind: Literal["swing"]
    list: Text | None = None
    lists: tuple[Text, ...] | None = None
    mode: Literal["uniform", "proportional"] = "uniform"
    points: Text
    scope: Scope = NATIONAL
    from_: tuple[Text, ...] | None = Field(default=None, alias="from")
    note: Text | None = None


class _Turnout(StrictModel):
    kind: Literal["turnout"]
    points: Text | None = None
    factor: Text | None = None
    scope: Scope = NATIONAL
    note: Text | None = None


class _Boycott(StrictModel):
    kind: Literal["boycott"]
    list: Text | None = None
    lists: tuple[Text, ...] | None = None
    share: Text = "1"
    scope: Scope = NATIONAL
    note: Text | None = None


class _Withdraw(StrictModel):
    kind: Literal["withdraw"]
    list: Text | None = None
    lists: tuple[Text, ...] | None = None
    scope: Scope = NATIONAL
    note: Text | None = None


class _Merge(StrictModel):
    kind: Literal["merge"]
    lists: Annotated[tuple[Text, ...], Field(min_length=2)]
    into: Slug | None = None
    name: Text | None = None
    note: Text | None = None


class _Split(StrictModel):
    kind: Literal["split"]
    list: Text
    into: dict[Slug, Text]
    note: Text | None = None


class _LawChange(StrictModel):
    kind: Literal["law"]
    law: Text
    note: Text | None = None


class _Resignation(StrictModel):
    kind: Literal["resignation"]
    list: Text | None = None
    seats: Annotated[int, Strict(), Field(ge=1)] | None = None
    without: Text | None = None
    note: Text | None = None


class _Blocs(StrictModel):
    kind: Literal["blocs"]
    map: Text | None = None
    file: Text | None = None
    note: Text | None = None


class _Convention(StrictModel):
    kind: Literal["convention"]
    lifted: bool | None = None
    file: Text | None = None
    note: Text | None = None


class _Veto(StrictModel):
    kind: Literal["veto"]
    target: Text | None = None
    by: Text | None = None
    day: Annotated[int, Strict(), Field(ge=0)] | None = None
    without: Text | None = None
    note: Text | None = None


_KIND_MODELS: dict[str, type[StrictModel]] = {
    "swing": _Swing, "turnout": _Turnout, "boycott": _Boycott, "withdraw": _Withdraw,
    "merge": _Merge, "split": _Split, "law": _LawChange, "resignation": _Resignation,
    "blocs": _Blocs, "convention": _Convention, "veto": _Veto,
}
#: Intervention kinds and the stage of the pipeline each one touches.
KINDS: Mapping[str, str] = {
    "swing": "votes", "turnout": "votes", "boycott": "votes", "withdraw": "votes",
    "merge": "votes", "split": "votes", "law": "seats", "resignation": "seats",
    "blocs": "blocs", "convention": "formation", "veto": "formation",
}

_AnyIntervention = Annotated[
    _Swing | _Turnout | _Boycott | _Withdraw | _Merge | _Split | _LawChange | _Resignation | _Blocs
    | _Convention | _Veto,
    Field(discriminator="kind"),
]


class _File(StrictModel):
    title: Text | None = None
    description: Text | None = None
    base: Text
    law: Text | None = None
    level: Literal["auto", "governorate", "national"] = "auto"
    uncertainty: _Uncertainty = Field(default_factory=_Uncertainty)
    interventions: tuple[_AnyIntervention, ...] = ()


# --------------------------------------------------------------------------- locating


class _Where(HeaderLocator):
    """Lines of keys, tables and ``[[interventions]]`` entries of a scenario file."""

    def field(self, path: KeyPath) -> str:
        return field_name(self.raw, path, lambda item: None)

    def line(self, path: KeyPath) -> int | None:
        for cut in range(len(path), -1, -1):
            prefix = tuple(path[:cut])
            if cut and prefix not in self.headers:
                continue
            keys = [p for p in path[cut:] if isinstance(p, str)]
            if not keys:
                return self.headers.get(prefix)
            numbers = [n for n, c in enumerate(self.contexts, 1) if c == prefix]
            for key in (keys[0], *reversed(keys)):
                pattern = re.compile(r'(^|[\s{,])"?' + re.escape(key) + r'"?\s*=')
                for number in numbers:
                    if pattern.search(self.lines[number - 1]):
                        return number
            return self.headers.get(prefix)
        return None

    def describe(self, error: ErrorDetails, path: KeyPath, schema: type[BaseModel]) -> str:
        kind = error["type"]
        value = error.get("input")
        key = last_key(path)
        entry = self._intervention(path)
        if kind == "union_tag_invalid" or (kind == "union_tag_not_found"):
            if kind == "union_tag_not_found":
                return f"missing required key 'kind' (one of {', '.join(KINDS)})"
            tag = str(error.get("ctx", {}).get("tag", value))
            return f"unknown intervention kind {tag!r}{did_you_mean(tag, KINDS)} (kinds: {', '.join(KINDS)})"
        if kind == "extra_forbidden" and entry is not None:
            allowed = allowed_keys(entry)
            return (f"unknown key {key!r} for a {entry.model_fields['kind'].annotation.__args__[0]} "
                    f"intervention{did_you_mean(key, allowed)} (allowed here: {', '.join(allowed)})")
        if kind == "string_type":
            if isinstance(value, int) and not isinstance(value, bool):
                return f'numbers here are text so they stay exact; quote it: {key} = "{value}"'
            return f"must be text, got {type(value).__name__} {value!r}"
        if kind == "string_pattern_mismatch":
            if not str(value).strip():
                return f"{key} may not be empty"
            return f"{value!r} is not an id (lowercase letters, digits and single hyphens)"
        return super().describe(error, path, schema)

    def path_of(self, loc: Iterable[Any]) -> KeyPath:
        """pydantic puts the kind of a tagged entry in its error location
        (``interventions.0.swing.points``); the file has no such key."""
        loc = list(loc)
        if len(loc) >= 3 and loc[0] == "interventions" and isinstance(loc[1], int) and loc[2] in _KIND_MODELS:
            entries = self.raw.get("interventions")
            entry = entries[loc[1]] if isinstance(entries, list) and loc[1] < len(entries) else None
            if isinstance(entry, Mapping) and loc[2] not in entry:
                del loc[2]
        return super().path_of(loc)

    def _intervention(self, path: KeyPath) -> type[StrictModel] | None:
        if len(path) >= 2 and path[0] == "interventions" and isinstance(path[1], int):
            entry = self.raw.get("interventions", [])[path[1]]
            if isinstance(entry, Mapping):
                return _KIND_MODELS.get(str(entry.get("kind")))
        return None


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


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class Uncertainty:
    """The uncertainty model around the base votes, parameters as exact text and numbers.

    ``model`` is one of :data:`MODELS`. ``concentration`` (Dirichlet): draws of the shares
    ``q ~ Dirichlet(concentration * p)``; the standard deviation of a share ``p`` is about
    ``sqrt(p (1-p) / concentration)``. ``sigma`` and ``correlation`` (logit-normal): each
    list's log-share moves by ``sigma * e`` with ``e`` normal, correlated ``correlation``
    across governorates (one national swing plus a local one). ``ballots``
    (multinomial, or a second stage of the others): the ballots drawn per district; by
    default every ballot of the district. ``ties``: ``law`` follows the law's tie rule,
    ``lot`` settles every tie by a seeded lot.
    """

    model: str = "none"
    concentration: Fraction | None = None
    sigma: Fraction | None = None
    correlation: Fraction | None = None
    ballots: int | None = None
    ties: str = "law"

    def as_dict(self) -> dict[str, str | int | None]:
        def text(v: object) -> str | None:
            return None if v is None else str(v)

        return {"model": self.model, "concentration": text(self.concentration), "sigma": text(self.sigma),
                "correlation": text(self.correlation), "ballots": self.ballots, "ties": self.ties}


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


@dataclass(frozen=True)
class Formation:
    """What reaches the formation stage: the cycle, recorded events removed, extra vetoes,
    and the convention (held, lifted or a user file)."""

    cycle: str
    without: tuple[str, ...] = ()
    vetoes: tuple[tuple[int, str, str], ...] = ()
    convention: bool = True
    convention_file: str | None = None


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
    base: str
    law: Law
    law_ref: str
    level: str
    uncertainty: Uncertainty
    interventions: tuple[Intervention, ...]
    table: VoteTable
    resignations: tuple[tuple[str, int | None], ...]
    bloc_map: Any
    formation: Formation | None
    formation_stage: bool

    @property
    def stem(self) -> str:
        return Path(self.source).stem


# --------------------------------------------------------------------------- loading


def load_scenario(path: str | Path) -> Scenario:
    """A scenario file, validated, with its vote table built and its interventions applied.

    Relative paths in the file (a law file, a bloc map, a convention) are read beside it.
    """
    path = Path(path)
    return parse_scenario(read_bytes(path, "scenario"), str(path), base_dir=path.parent)


def parse_scenario(data: bytes | str, source: str, *, base_dir: str | Path = ".") -> Scenario:
    """A scenario from its text (see :func:`load_scenario`)."""
    raw_bytes = data.encode("utf-8") if isinstance(data, str) else data
    text, raw = parse(raw_bytes, source)
    where = _Where(source, text, raw)
    where.refuse_floats(lambda value, key: (
        f"{value!r} is a TOML float, which is not exact; quote it so it stays exact text: "
        f'{key} = "{value!r}"'))
    model = where.validate(_File)
    base_dir = Path(base_dir)
    record = packs.load().record()
    if model.base not in record.election_ids:
        raise where.unknown("election", model.base, record.election_ids, ("base",))
    election = record.election(model.base)
    interventions = tuple(
        Intervention(i, spec.kind, KINDS[spec.kind], spec,
                     Place(source, where.line(("interventions", i)), f"interventions[{i + 1}]"))
        for i, spec in enumerate(model.interventions)
    )
    for iv in interventions:
        _check_keys(iv)
    top_law = Place(source, where.line(("law",)), "law")
    law_ref, law, law_place = (model.law, _resolve_law(model.law, top_law, base_dir), top_law) if model.law \
        else (None, None, top_law)
    for iv in interventions:
        if iv.kind == "law":
            law_ref, law_place = iv.spec.law, iv.place
            law = _resolve_law(iv.spec.law, Place(source, iv.place.line, iv.place.field + ".law"), base_dir)
    own = _own_law(election)
    law = law or own
    uncertainty = _uncertainty(model.uncertainty, Place(source, where.line(("uncertainty",)), "uncertainty"), where)
    table = _build_table(election, law, own, model.level, law_place, Place(source, where.line(("level",)), "level"))
    if law_ref and law.id != own.id:
        changed = f"seats under law {law.id} ({law_ref}); {election.id} was held under law {own.id}"
        table = replace(table, notes=(*table.notes, changed))
    if table.level == "official" and uncertainty.model != "none":
        raise InputError(source, f"model {uncertainty.model!r} draws votes, but {table.reasons[0]}; use "
                                 'model = "none" or another law', line=where.line(("uncertainty", "model")),
                         field="uncertainty.model")
    work = _Work.of(table)
    resignations: list[tuple[str, int | None]] = []
    for iv in interventions:
        if iv.stage == "votes":
            if table.level == "official":
                raise iv.place.error(f"a {iv.kind} changes votes, but {table.reasons[0]}, so no seat can be "
                                     "recomputed from votes")
            _APPLY[iv.kind](work, iv)
        elif iv.kind == "resignation" and iv.spec.list is not None:
            list_id = work.known(iv.spec.list, iv.place, "list")
            resignations.append((list_id, iv.spec.seats))
            work.notes.append(f"interventions[{iv.index + 1}]: {list_id} resigns "
                              f"{iv.spec.seats or 'all its'} seat(s), refilled by the vacancy rule")
    table = work.freeze()
    bloc_map = _bloc_map(election, interventions, base_dir)
    formation, formation_stage = _formation(election, interventions, base_dir)
    return Scenario(
        source=source, text=text, title=model.title, base=election.id, law=law,
        law_ref=law_ref or own.id, level=table.level, uncertainty=uncertainty,
        interventions=interventions, table=table, resignations=tuple(resignations),
        bloc_map=bloc_map, formation=formation, formation_stage=formation_stage,
    )


_REQUIRED_ONE_OF = {
    "turnout": (("points", "factor"),),
    "blocs": (("map", "file"),),
    "convention": (("lifted", "file"),),
    "resignation": (("list", "without"),),
    "veto": (("target", "without"),),
}


def _check_keys(iv: Intervention) -> None:
    """Keys that exclude each other, or of which exactly one is needed."""
    spec = iv.spec
    for group in _REQUIRED_ONE_OF.get(iv.kind, ()):
        given = [k for k in group if getattr(spec, k) is not None]
        if len(given) != 1:
            raise iv.place.error(f"a {iv.kind} needs exactly one of {', '.join(group)}"
                                 + (f", not {len(given)}" if given else ""))
    if iv.kind in ("swing", "boycott", "withdraw") and spec.list is not None and spec.lists is not None:
        raise iv.place.error("give list or lists, not both", "lists")
    if iv.kind == "resignation" and spec.without is not None and spec.seats is not None:
        raise iv.place.error("seats belongs to a new resignation (list = ...), not to without", "seats")
    if iv.kind == "convention" and spec.lifted is False:
        raise iv.place.error("lifted = false changes nothing; leave the intervention out", "lifted")


def _resolve_law(ref: str, place: Place, base_dir: Path) -> Law:
    if ref in packs.load().law_ids():
        return packs.load().law(ref)
    candidate = Path(ref) if Path(ref).is_absolute() else base_dir / ref
    if ref.endswith(".toml") or "/" in ref:
        if not candidate.is_file():
            raise place.error(f"law file {ref!r} not found (looked at {candidate})")
        return packs.load().law_file(candidate)
    raise place.unknown("law (an id of the pack or a .toml file)", ref, packs.load().law_ids())


def _own_law(election: Election) -> Law:
    return packs.load().law_of(election.id)


def _exact_number(text: str, place: Place, key: str, *, low: Fraction | None = None,
                  high: Fraction | None = None, low_open: bool = False) -> Fraction:
    try:
        value = to_fraction(text, what=key)
    except ValueError as exc:
        raise place.error(f"{exc}; write an exact number as text, e.g. \"1.5\" or \"3/2\"", key) from None
    if low is not None and (value < low or (low_open and value == low)):
        raise place.error(f"{key} must be {'above' if low_open else 'at least'} {low}, got {text!r}", key)
    if high is not None and value > high:
        raise place.error(f"{key} must be at most {high}, got {text!r}", key)
    return value


def _uncertainty(model: _Uncertainty, place: Place, where: _Where) -> Uncertainty:
    def at(key: str) -> Place:
        return Place(place.source, where.line(("uncertainty", key)) or place.line, "uncertainty")

    used = {"none": (), "dirichlet": ("concentration", "ballots"), "logit-normal": ("sigma", "correlation", "ballots"),
            "multinomial": ("ballots",)}[model.model]
    for key in ("concentration", "sigma", "correlation", "ballots"):
        if getattr(model, key) is not None and key not in used:
            raise at(key).error(f"{key} is not a parameter of model {model.model!r} "
                                f"(its parameters: {', '.join(used) or 'none'})", key)
    out = Uncertainty(model=model.model, ties=model.ties)
    if model.model == "dirichlet":
        if model.concentration is None:
            raise at("model").error('the dirichlet model needs concentration = "N" (e.g. "2000")', "concentration")
        out = replace(out, concentration=_exact_number(model.concentration, at("concentration"), "concentration",
                                                       low=Fraction(0), low_open=True))
    if model.model == "logit-normal":
        if model.sigma is None:
            raise at("model").error('the logit-normal model needs sigma = "s" (e.g. "0.1")', "sigma")
        out = replace(out, sigma=_exact_number(model.sigma, at("sigma"), "sigma", low=Fraction(0)),
                      correlation=_exact_number(model.correlation or "0", at("correlation"), "correlation",
                                                low=Fraction(0), high=Fraction(1)))
    if model.ballots is not None:
        ballots = _exact_number(model.ballots, at("ballots"), "ballots", low=Fraction(1))
        if ballots.denominator != 1:
            raise at("ballots").error(f"ballots must be a whole number, got {model.ballots!r}", "ballots")
        out = replace(out, ballots=int(ballots))
    return out


# --------------------------------------------------------------------------- the base table


def _needs_total(law: Law) -> bool:
    threshold = (law.general.threshold or "none").strip().lower()
    quota_all = METHODS[law.general.method].family == "quota" and law.general.params.get("quota_base") != "eligible"
    return threshold.endswith("%") or "quota" in threshold or quota_all


def _community(election: Election, list_id: str) -> str:
    for x in election.lists:
        if x.list_id == list_id:
            return x.community or UNCLASSIFIED
    return UNCLASSIFIED


def _name(election: Election, list_id: str) -> str:
    if list_id == MINORITY_LIST:
        return "Reserved minority seats"
    try:
        return packs.load().record().list_name(election.id, list_id)
    except UnknownNameError:
        return list_id


def _turnout(cast: int | None, registered: int | None) -> Fraction | None:
    if cast and registered:
        return Fraction(cast * 100, registered)
    return None


def _build_table(election: Election, law: Law, own: Law, level: str, law_place: Place, level_place: Place) -> VoteTable:
    method = METHODS[law.general.method]
    if method.unit == "candidate" or law.general.data_level == "candidate":
        if law.id == own.id:
            return _official_table(
                election, law,
                f"law {law.id} ({law.general.method}) allocates seats to candidates and the record of "
                f"{election.id} holds no candidate votes")
        raise law_place.error(
            f"law {law.id} ({law.general.method}) needs candidate-level votes in each of its "
            f"{len(law.districts)} districts; the record of {election.id} has list votes only")
    if law.general.district_plan == "national":
        if own.general.district_plan == "national" and level != "governorate":
            exact = _governorate_table(election, law, own, require_all=True)
            if exact is not None:
                return exact
        if level == "governorate":
            raise level_place.error(f"law {law.id} is one national district; level = \"governorate\" does not apply")
        return _national_table(election, law, f"law {law.id} is one national district")
    if level == "national":
        return _national_table(election, law, "level = \"national\" was asked for")
    if law.compensatory is not None:
        if level == "governorate":
            raise level_place.error(f"law {law.id} has a national compensatory tier of {law.compensatory.seats} "
                                    "seats, which the governorate level does not model; use level = \"national\"")
        return _national_table(election, law, f"law {law.id}'s compensatory tier is modelled as part of one "
                                              "national district")
    same_plan = {d.governorate or d.name for d in law.districts} == {d.district for d in election.districts
                                                                      if d.tier == "governorate"}
    if not same_plan:
        if level == "governorate":
            raise level_place.error(f"law {law.id}'s districts are not the governorates of {election.id}'s record")
        return _national_table(election, law, f"law {law.id}'s districts differ from the record's")
    exact = _governorate_table(election, law, own, require_all=True)
    if exact is not None:
        return exact
    if level == "governorate":
        partial = _governorate_table(election, law, own, require_all=False)
        if partial is None:
            raise level_place.error(f"no district of {election.id} has governorate votes complete enough to "
                                    "simulate; use level = \"national\" (approximate)")
        return partial
    return _national_table(election, law, f"the record of {election.id} lacks complete governorate votes "
                                          f"(use level = \"governorate\" to simulate the districts it has)")


def _usable_checks(election: Election, own: Law):
    """The own-law checks of the districts whose record votes can be simulated, by district."""
    from muhasasa.elections import parliament

    parl = parliament(election.id)
    usable = {}
    for check in parl.checks:
        dv = election.district_votes(check.district) if check.district in {d.district for d in election.districts} \
            else None
        if check.allocation is None or dv is None:
            continue
        if check.status not in ("match", "no-official-seats"):
            continue
        if dv.itemization not in ("complete", "seat-winners"):
            continue
        usable[check.district] = (check, dv)
    return usable


def _governorate_table(election: Election, law: Law, own: Law, *, require_all: bool) -> VoteTable | None:
    usable = _usable_checks(election, own)
    plan = [(d.name, d.seats) for d in law.districts]
    reasons: list[str] = []
    notes: list[str] = []
    chosen = []
    for name, seats in plan:
        if name not in usable:
            continue
        check, dv = usable[name]
        if _needs_total(law) and dv.residual_votes is None and dv.itemization != "complete":
            notes.append(f"{name} held: law {law.id} needs the district's valid-vote total, which the record lacks")
            continue
        chosen.append((name, seats, check, dv))
    if require_all and len(chosen) != len(plan):
        return None
    if not chosen:
        return None
    national = {x.list_id: x.seats for x in election.lists}
    while True:
        held = dict(national)
        for name, _seats, check, _dv in chosen:
            for list_id, n in check.computed.items():
                held[list_id] = held.get(list_id, 0) - n
        negative = sorted(k for k, v in held.items() if v < 0)
        if not negative:
            break
        drop = [c for c in chosen if any(c[2].computed.get(k, 0) for k in negative)]
        for c in drop:
            notes.append(f"{c[0]} held: its computed seats of {', '.join(negative)} exceed the national "
                         "seats left for it")
        chosen = [c for c in chosen if c not in drop]
        if not chosen:
            return None
    list_ids: list[str] = []
    for _name_, _seats, _check, dv in chosen:
        for list_id in dv.itemized_votes:
            if list_id not in list_ids:
                list_ids.append(list_id)
    for list_id, n in held.items():
        if n and list_id not in list_ids:
            list_ids.append(list_id)
    votes = np.zeros((len(chosen), len(list_ids)), dtype=np.int64)
    residual = np.zeros(len(chosen), dtype=np.int64)
    for d, (_name_, _seats, _check, dv) in enumerate(chosen):
        for list_id, v in dv.itemized_votes.items():
            votes[d, list_ids.index(list_id)] = v
        residual[d] = dv.residual_votes or 0
    held_arr = np.array([held.get(list_id, 0) for list_id in list_ids], dtype=np.int64)
    held_districts = tuple(name for name, _ in plan if name not in {c[0] for c in chosen})
    exact = not held_districts and election.seats_complete
    if held_districts:
        reasons.append(
            f"{len(chosen)} of {len(plan)} districts have governorate votes complete enough to simulate "
            f"({', '.join(c[0] for c in chosen)}); the other {len(held_districts)} "
            f"({sum(s or 0 for n, s in plan if n in held_districts)} general seats, plus the reserved seats) are "
            f"held at their official seats{' under law ' + own.id if law.id != own.id else ''} "
            "and carry no uncertainty")
    if not election.seats_complete:
        reasons.append(f"the record's national seats of {election.id} are partial")
        exact = False
    for name, _seats, check, dv in chosen:
        if not dv.official_seats_complete:
            notes.append(f"{name}: official seats per list are not all published; the law's computation is used")
        if dv.residual_votes is None:
            notes.append(f"{name}: the valid-vote total is unknown; unitemized votes are not counted")
    seats = np.array([s or 0 for n, s in plan if n in {c[0] for c in chosen}], dtype=np.int64)
    # keep the law's district order
    order = [n for n, _ in plan if n in {c[0] for c in chosen}]
    index = [next(i for i, c in enumerate(chosen) if c[0] == n) for n in order]
    votes, residual = votes[index], residual[index]
    turnout = tuple(_turnout(chosen[i][3].votes_cast, chosen[i][3].registered) for i in index)
    level = "national" if law.general.district_plan == "national" else "governorate"
    return VoteTable(
        election=election.id, law=law, level=level, exact=bool(exact and not reasons),
        basis="the record's governorate x list votes", reasons=tuple(reasons), notes=tuple(notes),
        districts=tuple(order), lists=tuple(list_ids), names=tuple(_name(election, x) for x in list_ids),
        communities=tuple(_community(election, x) for x in list_ids), votes=votes, residual=residual,
        seats=seats, held=held_arr, held_districts=held_districts, turnout=turnout,
    )


def _national_table(election: Election, law: Law, why: str) -> VoteTable:
    lists = [x for x in election.lists if x.list_id not in PSEUDO_LISTS]
    pseudo = [x for x in election.lists if x.list_id in PSEUDO_LISTS]
    seats = law.general_seats + law.compensatory_seats
    reasons = [f"one national district of {seats} seats under law {law.id}'s method ({law.general.method}) "
               f"because {why}"]
    notes: list[str] = []
    if all(x.votes is not None for x in lists):
        votes = {x.list_id: x.votes for x in lists}
        total = election.valid_votes
        basis = "national votes per list"
    elif all(x.vote_share_pct is not None for x in lists):
        total = election.valid_votes or election.votes_cast
        if total is None:
            raise InputError(f"record {election.id}", "neither valid nor cast votes are known to turn vote shares "
                                                       "into votes")
        what = "valid" if election.valid_votes else "cast"
        votes = {x.list_id: int(to_fraction(x.vote_share_pct) * total / 100) for x in lists}
        basis = f"published vote shares x {total} {what} votes"
        reasons.append(f"{election.id}'s votes per list are not all itemized, so votes are vote shares x the "
                       f"{total} {what} votes")
    else:
        with_both = [x for x in lists if x.votes is not None and x.vote_share_pct is not None]
        total = election.valid_votes or (
            int(sum(x.votes for x in with_both) * 100 / sum(to_fraction(x.vote_share_pct) for x in with_both))
            if with_both else election.votes_cast)
        votes = {}
        for x in lists:
            if x.votes is not None:
                votes[x.list_id] = x.votes
            elif x.vote_share_pct is not None and total:
                votes[x.list_id] = int(to_fraction(x.vote_share_pct) * total / 100)
            else:
                notes.append(f"{x.list_id}: no votes or vote share in the record; left out")
        basis = "national votes where known, else vote shares x an implied valid total"
        reasons.append("national votes are known for some lists only; the others are vote shares x "
                       f"{total} valid votes implied by the lists with both")
    itemized = sum(votes.values())
    residual = max((total or itemized) - itemized, 0)
    for x in pseudo:
        share = f" ({x.vote_share_pct}% of the vote)" if x.vote_share_pct else ""
        if x.list_id == "independents":
            reasons.append(f"the {x.seats} seats of independents{share} are contested by lists here; "
                           "their votes are kept out (counted in totals only), as they stood as individuals")
    held = {}
    if law.minority_seat_total:
        held[MINORITY_LIST] = law.minority_seat_total
        notes.append(f"the {law.minority_seat_total} reserved minority seats of law {law.id} are held "
                     f"(player {MINORITY_LIST!r})")
    list_ids = list(votes) + [k for k in held if k not in votes]
    vote_row = np.array([[votes.get(x, 0) for x in list_ids]], dtype=np.int64)
    held_arr = np.array([held.get(x, 0) for x in list_ids], dtype=np.int64)
    return VoteTable(
        election=election.id, law=law, level="national", exact=False, basis=basis, reasons=tuple(reasons),
        notes=tuple(notes), districts=(NATIONAL,), lists=tuple(list_ids),
        names=tuple(_name(election, x) for x in list_ids),
        communities=tuple(_community(election, x) for x in list_ids), votes=vote_row,
        residual=np.array([residual], dtype=np.int64),
        seats=np.array([law.general_seats + law.compensatory_seats], dtype=np.int64), held=held_arr,
        held_districts=(), turnout=(_turnout(election.votes_cast, election.registered),),
    )


def _official_table(election: Election, law: Law, why: str) -> VoteTable:
    list_ids = [x.list_id for x in election.lists if x.seats]
    return VoteTable(
        election=election.id, law=law, level="official", exact=election.seats_complete,
        basis="the record's official seats", reasons=(why,),
        notes=("the official seats are held; blocs, games and formation are simulated",),
        districts=(), lists=tuple(list_ids), names=tuple(_name(election, x) for x in list_ids),
        communities=tuple(_community(election, x) for x in list_ids),
        votes=np.zeros((0, len(list_ids)), dtype=np.int64), residual=np.zeros(0, dtype=np.int64),
        seats=np.zeros(0, dtype=np.int64),
        held=np.array([election.list(x).seats for x in list_ids], dtype=np.int64), held_districts=(),
        turnout=(),
    )


# --------------------------------------------------------------------------- interventions


def _round(values: np.ndarray, factor: Fraction) -> np.ndarray:
    """``values * factor`` rounded half up, in exact integer arithmetic."""
    p, q = factor.numerator, factor.denominator
    if abs(p) < 2**20 and q < 2**20:
        return (values * (2 * p) + q) // (2 * q)
    return np.array([(int(v) * 2 * p + q) // (2 * q) for v in values.ravel()], dtype=np.int64).reshape(values.shape)


@dataclass
class _Work:
    """The table while interventions change it (mutable; frozen at the end)."""

    base: VoteTable
    lists: list[str]
    names: list[str]
    communities: list[str]
    votes: np.ndarray
    residual: np.ndarray
    held: np.ndarray
    notes: list[str]
    renames: dict[str, tuple[str, ...]]

    @classmethod
    def of(cls, t: VoteTable) -> _Work:
        return cls(t, list(t.lists), list(t.names), list(t.communities), t.votes.copy(), t.residual.copy(),
                   t.held.copy(), list(t.notes), {})

    def freeze(self) -> VoteTable:
        return replace(self.base, lists=tuple(self.lists), names=tuple(self.names),
                       communities=tuple(self.communities), votes=self.votes, residual=self.residual,
                       held=self.held, notes=tuple(self.notes), renames=dict(self.renames))

    def known(self, list_id: str, place: Place, key: str) -> str:
        if list_id not in self.lists:
            gone = [k for k, v in self.renames.items() if k == list_id]
            if gone:
                raise place.error(f"list {list_id!r} no longer exists here: an earlier intervention "
                                  f"turned it into {', '.join(self.renames[list_id])}", key)
            raise place.unknown(f"list of {self.base.election}", list_id, self.lists, key)
        return list_id

    def targets(self, iv: Intervention, scope: Sequence[tuple[str, str]]) -> list[int]:
        spec = iv.spec
        given = [spec.list] if getattr(spec, "list", None) else list(getattr(spec, "lists", None) or ())
        communities = [v for k, v in scope if k == "community"]
        if given:
            if communities and iv.kind != "turnout":
                raise iv.place.error("a community scope picks the lists itself; leave out list/lists", "scope")
            return [self.lists.index(self.known(x, iv.place, "lists" if spec.lists else "list")) for x in given]
        if communities:
            return [i for i, c in enumerate(self.communities) if c in communities]
        raise iv.place.error(f"a {iv.kind} needs list, lists or a community scope (scope = \"community=...\")")

    def scope(self, iv: Intervention) -> list[tuple[str, str]]:
        raw = iv.spec.scope
        items = [raw] if isinstance(raw, str) else list(raw)
        out = []
        for item in items:
            kind, sep, value = item.partition("=")
            kind, value = kind.strip(), value.strip()
            if kind == NATIONAL and not sep:
                out.append((NATIONAL, ""))
                continue
            if kind not in ("governorate", "community") or not sep or not value:
                raise iv.place.error(f"scope {item!r} is not national, governorate=<name> or community=<name>"
                                     f"{did_you_mean(kind, ['national', 'governorate', 'community'])}", "scope")
            if kind == "governorate":
                known = [d.governorate or d.name for d in self.base.law.districts] + \
                    [d.district for d in packs.load().record().election(self.base.election).districts]
                known = sorted({k for k in known if k})
                if value not in known:
                    raise iv.place.unknown("governorate", value, known, "scope")
                if self.base.level == NATIONAL:
                    raise iv.place.error(
                        f"scope governorate={value} needs governorate votes, but the base is one national district "
                        f"({self.base.reasons[0]}); write level = \"governorate\" to simulate the districts the "
                        "record itemizes and hold the others", "scope")
            else:
                known = sorted(set(self.communities) - {UNCLASSIFIED})
                if value not in known:
                    raise iv.place.unknown("community", value, known, "scope")
            out.append((kind, value))
        return out

    def districts(self, iv: Intervention, scope: Sequence[tuple[str, str]]) -> list[int]:
        """Indices of the simulated districts in scope; held ones are noted, none at all is an error."""
        names = [v for k, v in scope if k == "governorate"]
        if not names:
            return list(range(len(self.base.districts)))
        inside = [self.base.districts.index(n) for n in names if n in self.base.districts]
        held = [n for n in names if n not in self.base.districts]
        if not inside:
            raise iv.place.error(
                f"{', '.join(held)}: the record does not itemize the votes of "
                f"{'this district' if len(held) == 1 else 'these districts'}, whose seats are held at the official "
                "result, so the change cannot be computed", "scope")
        if held:
            self.notes.append(f"interventions[{iv.index + 1}] ({iv.kind}) not applied in {', '.join(held)}: their "
                              "votes are not itemized in the record and their seats are held")
        return inside

    def total(self, d: int) -> int:
        return int(self.votes[d].sum() + self.residual[d])

    def note(self, iv: Intervention, text: str) -> None:
        self.notes.append(f"interventions[{iv.index + 1}] ({iv.kind}): {text}")

    def check_held(self, iv: Intervention, lists: Sequence[int]) -> None:
        if self.base.held_districts and any(self.held[i] for i in lists):
            self.note(iv, "seats held in districts without itemized votes are unchanged")


def _points(iv: Intervention, key: str = "points") -> Fraction:
    return _exact_number(getattr(iv.spec, key), iv.place, key)


def _swing(w: _Work, iv: Intervention) -> None:
    scope = w.scope(iv)
    targets = w.targets(iv, scope)
    districts = w.districts(iv, scope)
    points = _points(iv)
    losers = ([w.lists.index(w.known(x, iv.place, "from")) for x in iv.spec.from_] if iv.spec.from_
              else [i for i in range(len(w.lists)) if i not in targets])
    if set(losers) & set(targets):
        raise iv.place.error("a list cannot both gain and lose in one swing", "from")
    if iv.spec.mode == "proportional":
        target_votes = int(w.votes[np.ix_(districts, targets)].sum())
        scope_total = sum(w.total(d) for d in districts)
        if target_votes == 0:
            raise iv.place.error("the swing's lists have no votes in its scope", "list")
        share = Fraction(target_votes * 100, scope_total)
        factor = (share + points) / share
        if factor < 0:
            raise iv.place.error(f"a swing of {points} points leaves negative votes: the lists hold only "
                                 f"{float(share):.2f}% in scope", "points")
    for d in districts:
        own = w.votes[d, targets]
        if own.sum() == 0:
            continue
        if iv.spec.mode == "uniform":
            delta = int(Fraction(w.total(d)) * points / 100)
        else:
            delta = int(Fraction(int(own.sum())) * (factor - 1))
        if -delta > own.sum():
            raise iv.place.error(
                f"a swing of {points} points leaves negative votes in {w.base.districts[d]}: the lists hold "
                f"{int(own.sum())} of {w.total(d)} votes there", "points")
        others = w.votes[d, losers]
        if delta > others.sum():
            raise iv.place.error(f"a swing of {points} points leaves negative votes in {w.base.districts[d]}: "
                                 f"the losing lists hold only {int(others.sum())} votes there", "points")
        w.votes[d, targets] = own + _spread(delta, own)
        w.votes[d, losers] = others - _spread(delta, others)
    w.note(iv, f"{iv.spec.mode} swing of {points} points to {', '.join(w.lists[i] for i in targets)}")


def _spread(amount: int, weights: np.ndarray) -> np.ndarray:
    """``amount`` split in proportion to ``weights`` (largest remainders, exact); equal when all are 0."""
    weights = weights.astype(np.int64)
    total = int(weights.sum())
    if total == 0:
        weights = np.ones_like(weights)
        total = int(weights.size)
    sign = -1 if amount < 0 else 1
    amount = abs(amount)
    base = weights * amount // total
    rest = amount - int(base.sum())
    if rest:
        remainders = weights * amount - base * total
        order = np.argsort(-remainders, kind="stable")[:rest]
        base[order] += 1
    out = sign * base
    return np.minimum(out, weights) if sign < 0 else out


def _turnout_change(w: _Work, iv: Intervention) -> None:
    scope = w.scope(iv)
    districts = w.districts(iv, scope)
    communities = [v for k, v in scope if k == "community"]
    lists = [i for i, c in enumerate(w.communities) if c in communities] if communities else list(range(len(w.lists)))
    if iv.spec.factor is not None:
        factor = _exact_number(iv.spec.factor, iv.place, "factor", low=Fraction(0))
    for d in districts:
        if iv.spec.points is not None:
            points = _points(iv)
            rate = w.base.turnout[d] if w.base.turnout else None
            if rate is None:
                national = packs.load().record().election(w.base.election)
                rate = _turnout(national.votes_cast, national.registered)
                if rate is None:
                    raise iv.place.error("the turnout is unknown in the record; give factor = \"...\" instead", "points")
                w.note(iv, f"{w.base.districts[d]}: turnout unknown, the national {float(rate):.1f}% is used")
            if rate + points > 100 or rate + points < 0:
                raise iv.place.error(f"turnout {float(rate):.1f}% {points:+} points leaves the range 0-100% in "
                                     f"{w.base.districts[d]}", "points")
            factor = (rate + points) / rate
        w.votes[d, lists] = _round(w.votes[d, lists], factor)
        if not communities:
            w.residual[d] = int(_round(np.array([w.residual[d]]), factor)[0])
    what = f"{iv.spec.points} points" if iv.spec.points is not None else f"factor {iv.spec.factor}"
    where = ", ".join(w.base.districts[d] for d in districts) if len(districts) < len(w.base.districts) else "every district"
    w.note(iv, f"turnout {what} in {where}" + (f" among {', '.join(communities)} lists" if communities else ""))


def _boycott(w: _Work, iv: Intervention) -> None:
    scope = w.scope(iv)
    lists = w.targets(iv, scope)
    districts = w.districts(iv, scope)
    share = Fraction(1) if iv.kind == "withdraw" else _exact_number(iv.spec.share, iv.place, "share",
                                                                      low=Fraction(0), high=Fraction(1))
    for d in districts:
        w.votes[d, lists] = w.votes[d, lists] - _round(w.votes[d, lists], share)
    w.check_held(iv, lists)
    names = ", ".join(w.lists[i] for i in lists)
    if iv.kind == "withdraw":
        w.note(iv, f"{names} withdrawn: their votes are removed")
    else:
        w.note(iv, f"{share} of the votes of {names} stay home")


def _merge(w: _Work, iv: Intervention) -> None:
    members = [w.known(x, iv.place, "lists") for x in iv.spec.lists]
    if len(set(members)) != len(members):
        raise iv.place.error("a list is named twice", "lists")
    into = iv.spec.into or members[0]
    if into in w.lists and into not in members:
        raise iv.place.error(f"{into!r} is already a list; choose another id", "into")
    idx = [w.lists.index(m) for m in members]
    keep = idx[0]
    w.votes[:, keep] = w.votes[:, idx].sum(axis=1)
    w.held[keep] = w.held[idx].sum()
    communities = {w.communities[i] for i in idx}
    w.communities[keep] = communities.pop() if len(communities) == 1 else "mixed"
    w.names[keep] = iv.spec.name or " + ".join(w.names[i] for i in idx)
    for m in members:
        w.renames[m] = (into,)
    w.lists[keep] = into
    drop = sorted(idx[1:], reverse=True)
    for i in drop:
        del w.lists[i], w.names[i], w.communities[i]
    w.votes = np.delete(w.votes, drop, axis=1)
    w.held = np.delete(w.held, drop)
    w.note(iv, f"{', '.join(members)} merged into {into}")


def _split(w: _Work, iv: Intervention) -> None:
    parent = w.known(iv.spec.list, iv.place, "list")
    if len(iv.spec.into) < 2:
        raise iv.place.error("a split needs at least two parts", "into")
    shares = {k: _exact_number(v, iv.place, f"into.{k}", low=Fraction(0), low_open=True)
              for k, v in iv.spec.into.items()}
    if sum(shares.values()) != 1:
        raise iv.place.error(f"the parts' shares add up to {sum(shares.values())}, not 1", "into")
    for k in shares:
        if k in w.lists and k != parent:
            raise iv.place.error(f"{k!r} is already a list; choose another id", "into")
    i = w.lists.index(parent)
    parts = list(shares)
    column = w.votes[:, i].copy()
    pieces = [column * s.numerator // s.denominator for s in shares.values()]
    pieces[0] = pieces[0] + (column - sum(pieces))
    held = _spread_exact(int(w.held[i]), [shares[k] for k in parts])
    community, name = w.communities[i], w.names[i]
    del w.lists[i], w.names[i], w.communities[i]
    w.votes = np.delete(w.votes, i, axis=1)
    w.held = np.delete(w.held, i)
    for k, piece, h in zip(parts, pieces, held):
        w.lists.append(k)
        w.names.append(f"{name} ({k})")
        w.communities.append(community)
        w.votes = np.concatenate([w.votes, piece[:, None]], axis=1)
        w.held = np.append(w.held, h)
    w.renames[parent] = tuple(parts)
    w.note(iv, f"{parent} split into {', '.join(f'{k} ({v})' for k, v in iv.spec.into.items())}")


def _spread_exact(amount: int, shares: Sequence[Fraction]) -> list[int]:
    if amount == 0:
        return [0] * len(shares)
    votes = {str(i): int(s * 10**9) for i, s in enumerate(shares)}
    result = allocate(votes, amount, method="largest-remainder", tie_break="lot", seed=0)
    return [result.seats[str(i)] for i in range(len(shares))]


_APPLY = {"swing": _swing, "turnout": _turnout_change, "boycott": _boycott, "withdraw": _boycott,
          "merge": _merge, "split": _split}


# --------------------------------------------------------------------------- blocs and formation


def _bloc_map(election: Election, interventions: Sequence[Intervention], base_dir: Path):

    chosen = None
    for iv in interventions:
        if iv.kind != "blocs":
            continue
        if iv.spec.file is not None:
            path = Path(iv.spec.file) if Path(iv.spec.file).is_absolute() else base_dir / iv.spec.file
            if not path.is_file():
                raise iv.place.error(f"bloc file {iv.spec.file!r} not found (looked at {path})", "file")
            chosen = packs.load().bloc_file(path, election.id)
        else:
            known = [m.id for m in packs.load().bloc_maps(election.id)]
            if not known:
                raise iv.place.error(f"no bloc map is bundled for {election.id}; give file = \"...\"", "map")
            try:
                chosen = packs.load().bloc_map(election.id, iv.spec.map)
            except InputError as exc:
                raise iv.place.error(exc.problem, "map") from None
    if chosen is None and packs.load().bloc_maps(election.id):
        chosen = packs.load().bloc_maps(election.id)[-1]
    return chosen


def _formation(election: Election, interventions: Sequence[Intervention], base_dir: Path):
    from muhasasa.formation.history import events
    from muhasasa.formation.setup import replayable_cycles
    from muhasasa.reports import cycle_of_election

    stage = [iv for iv in interventions if iv.stage == "formation"
             or (iv.kind == "resignation" and iv.spec.without is not None)]
    try:
        cycle = cycle_of_election(election.id)
    except UnknownNameError:
        if stage:
            raise stage[0].place.error(
                f"election {election.id} opened no replayable formation cycle (replayable: "
                f"{', '.join(replayable_cycles())}), so a {stage[0].kind} cannot reach formation") from None
        return None, False
    recorded = {e.id: e for e in events(cycle)}
    without: list[str] = []
    vetoes: list[tuple[int, str, str]] = []
    convention, convention_file = True, None
    for iv in stage:
        spec = iv.spec
        if iv.kind in ("resignation", "veto") and spec.without is not None:
            kind = "resignation" if iv.kind == "resignation" else "outside-veto"
            mine = {k for k, e in recorded.items() if e.kind == kind}
            if spec.without not in mine:
                raise iv.place.unknown(f"{kind} event of cycle {cycle}", spec.without, mine, "without")
            without.append(spec.without)
        elif iv.kind == "veto":
            by = spec.by or "an outside actor"
            vetoes.append((spec.day or 0, f"outside veto on the nominee of {spec.target} by {by}",
                           f"scenario interventions[{iv.index + 1}]"))
        elif iv.kind == "convention":
            if spec.lifted:
                convention = False
            else:
                from muhasasa.formation.convention import load_convention_file

                path = Path(spec.file) if Path(spec.file).is_absolute() else base_dir / spec.file
                if not path.is_file():
                    raise iv.place.error(f"convention file {spec.file!r} not found (looked at {path})", "file")
                load_convention_file(path)
                convention_file = str(path)
    return Formation(cycle, tuple(without), tuple(vetoes), convention, convention_file), bool(stage)
