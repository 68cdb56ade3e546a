"""The registry of allocation methods: stable ids, titles, references, parameters.

Rule packs, the CLI menus and the contract tests all read this registry; no code
branches on a method's name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from muhasasa.errors import InputError, UnknownNameError
from muhasasa.methods.result import Allocation
from muhasasa.methods.ties import TieRule


@dataclass(frozen=True)
class Param:
    """One keyword parameter a method accepts, with its text default."""

    name: str
    description: str
    default: str | None = None
    choices: tuple[str, ...] = ()


def resolve_text_params(
    params: tuple[Param, ...], given: Mapping[str, object], owner: str
) -> dict[str, str]:
    """Given parameters as text merged with defaults; unknown names, floats and
    values outside the allowed choices are refused with a located error."""
    known = {p.name: p for p in params}
    resolved: dict[str, str] = {}
    for name, value in given.items():
        if name not in known:
            raise UnknownNameError(f"parameter of {owner}", name, known, source="parameters")
        if isinstance(value, float):
            raise InputError(
                "parameters",
                f"{name}={value!r} is a float; give it as text (\"{value}\") so it stays exact",
                field=name,
            )
        text = str(value)
        choices = known[name].choices
        if choices and text not in choices:
            raise InputError("parameters", f"{name}={text!r} is not one of {', '.join(choices)}", field=name)
        resolved[name] = text
    for param in params:
        if param.name not in resolved and param.default is not None:
            resolved[param.name] = param.default
    return resolved


@dataclass(frozen=True)
class Contest:
    """One district's contest, validated: who stands, with what votes, for how many seats.

    ``residual_votes`` are valid votes the sources do not itemize: they count in
    totals (quotas, percentage thresholds) and are never allocated.
    """

    votes: Mapping[str, int]
    n_seats: int
    eligible: tuple[str, ...]
    threshold: object  # Fraction | None, kept loose to avoid an import cycle in docs
    tie: TieRule
    residual_votes: int = 0

    @property
    def total_votes(self) -> int:
        return sum(self.votes.values()) + self.residual_votes

    @property
    def excluded(self) -> tuple[str, ...]:
        """Parties below the threshold, in input order."""
        if len(self.eligible) == len(self.votes):
            return ()
        allowed = set(self.eligible)
        return tuple(p for p in self.votes if p not in allowed)


Runner = Callable[..., Allocation]


@dataclass(frozen=True)
class Method:
    """An allocation method registered under a stable id."""

    id: str
    title: str
    reference: str
    family: str  # "divisor", "quota" or "plurality"
    unit: str  # "list" or "candidate"
    params: tuple[Param, ...]
    run: Runner

    def resolve_params(self, given: Mapping[str, object]) -> dict[str, str]:
        """Merge given keyword parameters with defaults; refuse unknown ones."""
        return resolve_text_params(self.params, given, f"method {self.id!r}")


_REGISTRY: dict[str, Method] = {}
METHODS: Mapping[str, Method] = MappingProxyType(_REGISTRY)


def register(method: Method) -> Method:
    """Add a method to the registry (ids are unique)."""
    if method.id in _REGISTRY:
        raise ValueError(f"method id {method.id!r} registered twice")
    _REGISTRY[method.id] = method
    return method


def get_method(method_id: str) -> Method:
    """The registered method with this id, or an error suggesting close ids."""
    try:
        return _REGISTRY[method_id]
    except KeyError:
        raise UnknownNameError("method", method_id, _REGISTRY, source="method") from None
