"""The registry of allocation methods: stable ids, titles, references, parameters.

Each method is registered with one decorator on the function that turns its text
parameters into its arithmetic (an :class:`AllocationRule`): a divisor sequence, a
quota, a plurality. The rule carries every algorithm that computes the method —
the exact path and the batch kernels — so callers ask the method, never a table
of ids (abcvoting's ``Rule.algorithms`` is the model)::

    @METHODS.register("dhondt", title="D'Hondt", reference="D'Hondt (1882)",
                      family="divisor", unit="list")
    def dhondt(params):
        return DivisorSequence((Fraction(1),), Fraction(1))

Rule packs, the CLI menus, the web forms and the contract tests all read this
registry; no code branches on a method's name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from muhasasa.errors import InputError, UnknownNameError
from muhasasa.registry import Registry

if TYPE_CHECKING:  # pragma: no cover - types only
    import numpy as np

    from muhasasa.methods.result import Allocation
    from muhasasa.methods.ties import TieRule

__all__ = ["METHODS", "AllocationRule", "Contest", "Method", "Param", "get_method", "resolve_text_params"]


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
        if name not in known and not known:
            raise InputError("parameters", f"{owner} takes no parameters, got {str(name)[:40]!r}", field=str(name))
        if name not in known:
            raise UnknownNameError(f"parameter of {owner}", name, known, source="parameters", field=name)
        if isinstance(value, float):
            raise InputError(
                "parameters",
                f"{name}={value!r} is a float; give it as text (\"{value}\") so it stays exact",
                field=name,
            )
        if isinstance(value, bool) or not isinstance(value, (str, int, Fraction, Decimal)):
            raise InputError(
                "parameters", f"{name}={value!r} must be text (or an exact number)", field=name
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


class AllocationRule(Protocol):
    """A method's arithmetic for given parameters, with every algorithm that computes it.

    ``allocate`` is the exact path (one contest). ``batch`` is a kernel over many
    contests at once: votes and ``kept`` (votes with lists below the threshold set to
    zero) of shape (draws, districts, lists), ``seats`` of shape (districts,); it
    returns the seats and a mask of shape (draws, districts) of the cells it could not
    settle exactly (a tie the kernel may not settle, an error to report, a value out
    of its exact range), which the caller recomputes with ``allocate``.
    ``algorithms`` names the kernels ``batch`` accepts, fastest first.
    """

    algorithms: tuple[str, ...]

    def allocate(self, contest: Contest, method: str, params: Mapping[str, str]) -> Allocation: ...

    def batch(
        self, votes: np.ndarray, kept: np.ndarray, seats: np.ndarray, tie: TieRule, algorithm: str
    ) -> tuple[np.ndarray, np.ndarray]: ...


@dataclass(frozen=True)
class Method:
    """An allocation method registered under a stable id.

    ``rule`` turns the method's resolved text parameters into its
    :class:`AllocationRule`; ``family`` is ``"divisor"``, ``"quota"`` or
    ``"plurality"``, ``unit`` is ``"list"`` or ``"candidate"``.
    """

    id: str
    title: str
    reference: str
    family: str
    unit: str
    rule: Callable[[Mapping[str, str]], AllocationRule]
    params: tuple[Param, ...] = ()

    def resolve_params(self, given: Mapping[str, object]) -> dict[str, str]:
        """Merge given keyword parameters with defaults; refuse unknown ones."""
        return resolve_text_params(self.params, given, f"method {self.id!r}")

    def arithmetic(self, params: Mapping[str, str]) -> AllocationRule:
        """The rule for these resolved parameters (built once per distinct parameters)."""
        return _rule(self, tuple(params.items()))

    def run(self, contest: Contest, **params: str) -> Allocation:
        """The exact allocation of one contest (``params`` already resolved)."""
        return self.arithmetic(params).allocate(contest, self.id, params)


@lru_cache(maxsize=256)
def _rule(method: Method, params: tuple[tuple[str, str], ...]) -> AllocationRule:
    return method.rule(dict(params))


METHODS: Registry[Method] = Registry("method", Method, function="rule", field="method")
_REGISTRY = METHODS._entries  # the backing dict, for tests that swap an entry (monkeypatch)


def get_method(method_id: str) -> Method:
    """The registered method with this id, or an error (field ``method``) suggesting close ids."""
    return METHODS[method_id]
