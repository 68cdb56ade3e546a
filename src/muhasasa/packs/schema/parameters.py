"""The formation model's parameters: what each one means and its range, and the files that
give values — ``formation/parameters.toml`` (the calibrated set and its grid) and a what-if's
``[parameters]``.

:data:`PARAMETERS` is the single description of the parameters: the model
(:class:`muhasasa.formation.model.Parameters`), the calibration grid and every file read
here take their names and ranges from it. A value is exact text (``"0.5"``); one outside its
range (a probability outside [0, 1], a negative duration) is an
:class:`~muhasasa.errors.InputError` at its file, line and field.

>>> PARAMETERS["boycott"].low, PARAMETERS["boycott"].high
(Fraction(0, 1), Fraction(1, 1))
>>> check_value("boycott", "1.5", source="whatif.toml")
Traceback (most recent call last):
...
muhasasa.errors.InputError: whatif.toml, field parameters.boycott: 1.5 is outside [0, 1] (boycott: a probability)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator

from muhasasa.errors import InputError
from muhasasa.exact import to_fraction
from muhasasa.packs.toml import Problem, StrictModel, load_toml

__all__ = ["PARAMETERS", "ParameterSpec", "ParameterValues", "ParametersFile", "check_value",
           "load_parameters_bytes"]


@dataclass(frozen=True)
class ParameterSpec:
    """A parameter of the formation model: its range (None: unbounded on that side), its
    kind of quantity and what it does."""

    name: str
    low: Fraction | None
    high: Fraction | None
    kind: str
    meaning: str

    def check(self, value: Fraction) -> str | None:
        """Why ``value`` is outside the range, or None."""
        if (self.low is not None and value < self.low) or (self.high is not None and value > self.high):
            low = "-inf" if self.low is None else _show(self.low)
            high = "inf" if self.high is None else _show(self.high)
            return f"{_show(value)} is outside [{low}, {high}] ({self.name}: {self.kind})"
        return None


def _show(value: Fraction) -> str:
    """An exact number as written: ``3``, ``-0.5``, ``1/3``."""
    if value.denominator == 1:
        return str(value.numerator)
    text = repr(float(value))
    return text if Fraction(text) == value else f"{value.numerator}/{value.denominator}"


_ZERO, _ONE = Fraction(0), Fraction(1)
#: Every parameter of the formation model, in order.
PARAMETERS: Mapping[str, ParameterSpec] = {s.name: s for s in (
    ParameterSpec("intercept", Fraction(-20), Fraction(20), "a logit",
                  "baseline log-odds that a coalition member accepts a proposal"),
    ParameterSpec("fatigue", _ZERO, Fraction(50), "log-odds per 100 days",
                  "how much more willing members grow as days pass"),
    ParameterSpec("days_per_round", _ONE, Fraction(365), "a duration in days",
                  "mean delay after a failed proposal or session"),
    ParameterSpec("boycott", _ZERO, _ONE, "a probability",
                  "chance that the excluded actors who can deny a step's quorum stay away"),
    ParameterSpec("office_weight", _ZERO, Fraction(50), "a weight",
                  "weight of the office gain (ministries against seats) in acceptance"),
    ParameterSpec("policy_weight", _ZERO, Fraction(50), "a weight",
                  "weight of policy distance to the partners in acceptance"),
    ParameterSpec("trust_weight", _ZERO, Fraction(50), "a weight",
                  "weight of trust in the partners in acceptance"),
    ParameterSpec("replace_nominee", _ZERO, _ONE, "a probability",
                  "chance, for each failed round after the cabinet deadline, that the nominee is replaced"),
    ParameterSpec("consensus", _ZERO, _ONE, "a probability",
                  "chance that rival camps of the Prime Minister's community agree on a compromise nominee"),
    ParameterSpec("merge", Fraction(-20), Fraction(20), "a logit",
                  "baseline log-odds that a list elected on its own joins a bloc that would claim the largest-bloc "
                  "title, against staying alone (replays from the lists as elected)"),
    ParameterSpec("pressure", Fraction(-20), Fraction(20), "a logit",
                  "log-odds added to every acceptance while a recorded protest movement is on (its sign: pressure "
                  "to agree, or the cost of being seen to)"),
    ParameterSpec("veto", _ZERO, _ONE, "a probability",
                  "chance that a nominee an outside player rejects (the pack's outside positions) withdraws at "
                  "designation"),
    ParameterSpec("exit", _ZERO, _ONE, "a probability",
                  "chance, per failed round, that a formateur that cannot form (its sessions blocked for lack of "
                  "quorum) and has a rival camp to hand the premiership to leaves parliament instead"),
    ParameterSpec("exit_after", _ONE, Fraction(20), "a count of failed sessions",
                  "sessions of a step failed for lack of quorum that the formateur's coalition persists through "
                  "(putting coalitions that need the others to attend to the house again) before it gives up its "
                  "terms: it may then leave parliament, or seeks coalitions that carry the step whatever the others "
                  "do"),
    ParameterSpec("rival_candidates", _ZERO, Fraction(50), "a logit",
                  "cost, in the merge logit of the race for the largest bloc, of a merger of two blocs that each "
                  "field a candidate for Prime Minister, times the junior bloc's seats over the senior's (the "
                  "junior cedes the premiership; replays from the lists as elected)"),
    ParameterSpec("cross_community", _ZERO, Fraction(50), "a logit",
                  "cost, in the merge logit of the race for the largest bloc, of a merger of two blocs whose main "
                  "communities differ (replays from the lists as elected)"),
    ParameterSpec("package", _ZERO, _ONE, "a probability",
                  "chance that the coalition that carries a step seals the steps that follow as one package deal "
                  "(each carried by its members without new bargaining, where their seats suffice)"),
    ParameterSpec("force", _ZERO, _ONE, "a probability",
                  "chance, per session held after an actor left parliament by the exit move, that it denies the "
                  "session by force (the house stormed or besieged: the session is not held, a round is lost)"),
    ParameterSpec("deadline", _ZERO, Fraction(50), "a logit",
                  "log-odds added to every acceptance while the step's constitutional deadline runs (a deadline "
                  "counted from the first session binds the steps before it too); none once it has lapsed"),
    ParameterSpec("composition", _ZERO, _ONE, "a share of a deadline",
                  "share of the designate's constitutional deadline (the cabinet's, from the designation) he spends "
                  "composing his cabinet before it is put to the house or an outside player's veto makes him "
                  "withdraw"),
)}


def _exact_text(value: Any) -> Fraction:
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool) or not isinstance(value, str):
        raise ValueError(f'must be a number written as quoted text, e.g. "0.5", got {value!r}')
    try:
        return to_fraction(value, what="number")
    except (ValueError, ZeroDivisionError):
        raise ValueError(f'{value!r} is not an exact number like "0.5" or "-1"') from None


Exact = Annotated[Fraction, BeforeValidator(_exact_text)]


class ParameterValues(StrictModel):
    """Values of some or all parameters (``[parameters]``), each checked against its range."""

    intercept: Exact | None = None
    fatigue: Exact | None = None
    days_per_round: Exact | None = None
    boycott: Exact | None = None
    office_weight: Exact | None = None
    policy_weight: Exact | None = None
    trust_weight: Exact | None = None
    replace_nominee: Exact | None = None
    consensus: Exact | None = None
    merge: Exact | None = None
    pressure: Exact | None = None
    veto: Exact | None = None
    exit: Exact | None = None
    exit_after: Exact | None = None
    rival_candidates: Exact | None = None
    cross_community: Exact | None = None
    package: Exact | None = None
    force: Exact | None = None
    deadline: Exact | None = None
    composition: Exact | None = None

    @model_validator(mode="after")
    def _ranges(self) -> ParameterValues:
        for name, spec in PARAMETERS.items():
            value = getattr(self, name)
            if value is not None and (problem := spec.check(value)) is not None:
                raise Problem(("parameters", name), problem)
        return self

    def given(self) -> dict[str, Fraction]:
        """The values given, by name."""
        return {name: getattr(self, name) for name in PARAMETERS if getattr(self, name) is not None}


class ParametersFile(StrictModel):
    """``formation/parameters.toml``: a complete calibrated set, and the calibration grid."""

    parameters: ParameterValues
    grid: dict[str, Annotated[tuple[Exact, ...], Field(min_length=1)]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _complete(self) -> ParametersFile:
        missing = [n for n in PARAMETERS if getattr(self.parameters, n) is None]
        if missing:
            raise Problem(("parameters",), f"missing parameter(s) {', '.join(missing)}")
        for name, values in self.grid.items():
            if name not in PARAMETERS:
                raise Problem.unknown(("grid", name), "parameter", name, PARAMETERS)
            for index, value in enumerate(values):
                if (problem := PARAMETERS[name].check(value)) is not None:
                    raise Problem(("grid", name, index), problem)
        return self


def load_parameters_bytes(data: bytes, source: str) -> ParametersFile:
    """A parameters file, validated."""
    return load_toml(data, source, ParametersFile)


def check_value(name: str, value: Any, *, source: str = "parameters") -> Fraction:
    """One parameter's value (exact text or a number), checked; an unknown name or a value
    out of range is an InputError naming ``parameters.<name>``."""
    if name not in PARAMETERS:
        from muhasasa.errors import UnknownNameError

        raise UnknownNameError("parameter", name, PARAMETERS, source=source, field="parameters")
    try:
        exact = value if isinstance(value, Fraction) else (
            Fraction(value).limit_denominator(10**9) if isinstance(value, float) else to_fraction(value, what=name))
    except (ValueError, ZeroDivisionError, TypeError):
        raise InputError(source, f"{value!r} is not a number", field=f"parameters.{name}") from None
    problem = PARAMETERS[name].check(exact)
    if problem is not None:
        raise InputError(source, problem, field=f"parameters.{name}")
    return exact
