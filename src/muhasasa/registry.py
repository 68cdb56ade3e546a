"""One registry idiom for everything a user picks by id.

Allocation methods, women's-quota forms, power indices, uncertainty models and
decision steps are each kept in a :class:`Registry`: a read-only mapping from a
stable id to an entry that carries its title, its reference and whatever else
its kind needs. Entries are added with one decorator, in the manner of
pref_voting's ``@vm(name=...)``::

    INDICES = Registry("power index", PowerIndex, function="compute", field="index")

    @INDICES.register("banzhaf", title="Banzhaf", reference="Banzhaf (1965)")
    def banzhaf(game): ...

The decorator builds the entry (``PowerIndex(id="banzhaf", title=..., reference=...,
compute=banzhaf)``) and returns it, so the module-level name is the entry itself.
Looking up an unknown id raises :class:`~muhasasa.errors.UnknownNameError` with the
closest ids, naming the registry's ``field`` (never a command-line flag).

The CLI menus, the web forms and the contract tests walk the registries; no code
branches on an id.

>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Greeting:
...     id: str
...     title: str
...     reference: str
...     say: object
>>> GREETINGS = Registry("greeting", Greeting, function="say", field="greeting")
>>> @GREETINGS.register("hello", title="Hello", reference="common use")
... def hello(name):
...     return f"hello {name}"
>>> GREETINGS["hello"].say("Ali"), list(GREETINGS)
('hello Ali', ['hello'])
>>> GREETINGS["helo"]
Traceback (most recent call last):
...
muhasasa.errors.UnknownNameError: argument, field greeting: unknown greeting 'helo' (known: hello); did you mean 'hello'?
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, Generic, Protocol, TypeVar

from muhasasa.errors import UnknownNameError

__all__ = ["Entry", "Registry"]


class Entry(Protocol):
    """What every registered entry has: a stable id, a title and a reference."""

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def reference(self) -> str: ...


E = TypeVar("E", bound=Entry)


class Registry(Mapping[str, E], Generic[E]):
    """Entries of one kind by id, in registration order; read-only once built.

    ``entry_type`` builds an entry from its metadata; ``function`` names the entry's
    field that receives the decorated function; ``field`` is the name an unknown id
    is reported under (``"method"``, ``"index"``).
    """

    def __init__(self, kind: str, entry_type: Callable[..., E], *, function: str, field: str) -> None:
        self.kind = kind
        self.field = field
        self._entry_type = entry_type
        self._function = function
        self._entries: dict[str, E] = {}

    def add(self, entry: E) -> E:
        """Register a ready-made entry; an id registered twice is a programming error."""
        if entry.id in self._entries:
            raise ValueError(f"{self.kind} {entry.id!r} registered twice")
        self._entries[entry.id] = entry
        return entry

    def register(self, id: str, /, **metadata: Any) -> Callable[[Callable[..., Any]], E]:
        """Decorator: build the entry ``id`` from ``metadata`` and the decorated function."""

        def wrap(function: Callable[..., Any]) -> E:
            return self.add(self._entry_type(id=id, **metadata, **{self._function: function}))

        return wrap

    def __getitem__(self, id: str) -> E:
        try:
            return self._entries[id]
        except (KeyError, TypeError):
            raise UnknownNameError(self.kind, str(id), self._entries, field=self.field) from None

    def get(self, id: str, default: Any = None) -> Any:  # type: ignore[override]
        return self._entries.get(id, default) if isinstance(id, str) else default

    def __contains__(self, id: object) -> bool:
        return isinstance(id, str) and id in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"Registry({self.kind!r}: {', '.join(self._entries)})"
