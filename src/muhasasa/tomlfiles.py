"""What the strict TOML loaders share: reading, parsing and saying where a mistake is.

Law files (:mod:`muhasasa.rules`), the constitution (:mod:`muhasasa.constitution`) and
bloc maps (:mod:`muhasasa.parliament.blocs`) are TOML files checked against a pydantic
schema. Each loader keeps its schema, its domain checks, its wording and its way of
finding lines; this module holds the steps that are the same in all of them, so that a
mistake in any of the files reads the same way:

* :func:`read_bytes` and :func:`parse`: the file's bytes, decoded as UTF-8 (with or
  without BOM) and parsed by :mod:`tomllib`, with a syntax error located by line;
* :func:`floats`: every TOML float, which these files refuse because numbers keep their
  exact text;
* :class:`Locator`: the base of each loader's locator, which turns a path into the
  parsed file into an :class:`~muhasasa.errors.InputError` naming the file, the line
  and the field, including pydantic's validation errors;
* :func:`describe`: the common wording of pydantic's errors, with a suggestion for an
  unknown key;
* :class:`StrictModel`: the schema base that forbids unknown keys.

>>> text, raw = parse(b'[general]\\nmethod = "dhondt"\\n', "law.toml")
>>> raw
{'general': {'method': 'dhondt'}}
>>> parse(b"seats = = 3\\n", "law.toml")
Traceback (most recent call last):
...
muhasasa.errors.InputError: law.toml, line 1, field seats: not valid TOML: Invalid value (at line 1, column 9)
"""

from __future__ import annotations

import difflib
import re
import tomllib
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import ErrorDetails

from muhasasa.errors import InputError, UnknownNameError

__all__ = [
    "ARRAY_TABLE",
    "KEY_LINE",
    "TABLE",
    "KeyPath",
    "Locator",
    "StrictModel",
    "allowed_keys",
    "describe",
    "did_you_mean",
    "field_name",
    "floats",
    "last_key",
    "owner",
    "parse",
    "read_bytes",
]

#: A path into the parsed file: table keys and array positions, ``("districts", 3, "seats")``.
KeyPath = tuple[str | int, ...]

#: A ``key = value`` line; group 1 is the key (bare or quoted).
KEY_LINE = re.compile(r'^\s*("[^"]*"|[A-Za-z0-9_-]+)\s*=')
#: A ``[table]`` header with a bare dotted name; group 1 is the name.
TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]\s*(#.*)?$")
#: A ``[[array.of.tables]]`` header with a bare dotted name; group 1 is the name.
ARRAY_TABLE = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.-]+)\s*\]\]\s*(#.*)?$")

Model = TypeVar("Model", bound=BaseModel)


class StrictModel(BaseModel):
    """Base of the file schemas: an unknown key is an error (a misspelt key must not be
    ignored silently) and the values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


# --------------------------------------------------------------------------- reading


def read_bytes(path: Path, what: str) -> bytes:
    """The bytes of a user's file; a file that cannot be read is an InputError naming it.

    ``what`` names the kind of file in the message (``"law"`` → "cannot read the law file").
    """
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read the {what} file: {exc.strerror or exc}") from None


def parse(data: bytes, source: str, *, name_key: bool = True) -> tuple[str, dict[str, Any]]:
    """The text of a TOML file and its tables, parsed with :mod:`tomllib` (nothing is evaluated).

    The text is UTF-8, with or without BOM. A syntax error is an InputError at its line;
    with ``name_key`` the key written on that line is named as the field.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(source, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\(at line (\d+), column \d+\)", message)
        line = int(match.group(1)) if match else None
        key = None
        if name_key and line is not None and line <= len(text.splitlines()):
            key_match = KEY_LINE.match(text.splitlines()[line - 1])
            key = key_match.group(1).strip('"') if key_match else None
        raise InputError(source, f"not valid TOML: {message}", line=line, field=key) from None


def floats(node: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, float]]:
    """Every TOML float below ``node`` with its path, in file order.

    The files refuse floats: a float is not exact, so numbers are written as text.

    >>> list(floats({"general": {"params": {"first_divisor": 1.7}}, "seats": [3, 2.5]}))
    [(('general', 'params', 'first_divisor'), 1.7), (('seats', 1), 2.5)]
    """
    if isinstance(node, float):
        yield path, node
    elif isinstance(node, Mapping):
        for key, value in node.items():
            yield from floats(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from floats(value, (*path, index))


# --------------------------------------------------------------------------- naming


def last_key(path: Sequence[Any]) -> str:
    """The last key of a path, the name a user wrote (``"value"`` if there is none).

    >>> last_key(("sources", 2)), last_key(())
    ('sources', 'value')
    """
    return next((p for p in reversed(path) if isinstance(p, str)), "value")


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest known name, or ``""`` if none is close.

    >>> did_you_mean("methd", ["method", "params"]), did_you_mean("zzz", ["method"])
    ("; did you mean 'method'?", '')
    """
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.5)
    return f"; did you mean {close[0]!r}?" if close else ""


def field_name(raw: Any, path: KeyPath, label: Callable[[Any], str | None]) -> str:
    """A path as people read it: keys joined by dots, an array entry by its ``label``
    (its name or id, say) or else its position counted from 1.

    >>> raw = {"districts": [{"name": "North"}, {"seats": 3}]}
    >>> label = lambda item: item.get("name") if isinstance(item, dict) else None
    >>> field_name(raw, ("districts", 0, "seats"), label), field_name(raw, ("districts", 1), label)
    ('districts[North].seats', 'districts[2]')
    """
    out = ""
    node: Any = raw
    for part in path:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and part < len(node) else None
            name = label(item)
            out += f"[{name}]" if name else f"[{part + 1}]"
            node = item
        else:
            out += f".{part}" if out else part
            node = node.get(part) if isinstance(node, Mapping) else None
    return out


# --------------------------------------------------------------------------- locating


class Locator:
    """Says where a path into a parsed file is, and raises there.

    Each loader subclasses it with its own :meth:`field` (how a path is named) and
    :meth:`line` (where in the text it stands); everything built on those two is here.
    """

    def __init__(self, source: str, raw: Mapping[str, Any]) -> None:
        self.source = source
        self.raw = raw

    def field(self, path: KeyPath) -> str | None:
        """The path as people read it."""
        raise NotImplementedError

    def line(self, path: KeyPath) -> int | None:
        """The line of the text where the path is written, if it can be found."""
        raise NotImplementedError

    def error(self, path: KeyPath, problem: str) -> InputError:
        """An InputError for ``problem`` at ``path``."""
        return InputError(self.source, problem, line=self.line(path), field=self.field(path) or None)

    def unknown(self, kind: str, name: str, known: Iterable[str], path: KeyPath) -> UnknownNameError:
        """An UnknownNameError (with suggestions) for ``name`` at ``path``."""
        return UnknownNameError(
            kind, name, known, source=self.source, line=self.line(path), field=self.field(path) or None
        )

    def refuse_floats(self, problem: Callable[[float, str], str]) -> None:
        """Raise at the first TOML float of the file; ``problem(value, key)`` says why
        in the loader's words."""
        for path, value in floats(self.raw):
            raise self.error(path, problem(value, last_key(path)))

    def validate(self, schema: type[Model]) -> Model:
        """The file validated against ``schema``; a validation error becomes an InputError
        at its place in the file."""
        try:
            return schema.model_validate(self.raw)
        except ValidationError as exc:
            errors = self.problems(exc)
            first = errors[0]
            path = self.path_of(first["loc"])
            problem = self.describe(first, path, schema)
            if len(errors) > 1:
                problem += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
            raise self.error(path, problem) from None

    def problems(self, exc: ValidationError) -> list[ErrorDetails]:
        """pydantic's errors, unknown keys first: a misspelt key shows up as an unknown key
        and a missing one, and the unknown key, with its suggestion, is the better clue."""
        errors = exc.errors(include_url=False)
        errors.sort(key=lambda e: e["type"] != "extra_forbidden")
        return errors

    def path_of(self, loc: Iterable[Any]) -> KeyPath:
        """The part of a pydantic error location that names keys and entries of the file."""
        path: list[str | int] = []
        node: Any = self.raw
        for part in loc:
            if isinstance(node, Mapping) and isinstance(part, str):
                path.append(part)
                node = node.get(part)
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                path.append(part)
                node = node[part]
            else:
                break
        return tuple(path)

    def describe(self, error: ErrorDetails, path: KeyPath, schema: type[BaseModel]) -> str:
        """The problem of one pydantic error in words; subclasses word some errors their own way."""
        return describe(error, path, schema)


def describe(error: ErrorDetails, path: KeyPath, schema: type[BaseModel]) -> str:
    """The common wording of a pydantic error at ``path`` of a file validated by ``schema``.

    An unknown key gets the closest allowed key as a suggestion and the list of allowed keys.
    """
    kind = error["type"]
    value = error.get("input")
    key = last_key(path)
    ctx: Mapping[str, Any] = error.get("ctx", {})
    if kind == "extra_forbidden":
        allowed = allowed_keys(owner(schema, path))
        return f"unknown key {key!r}{did_you_mean(key, allowed)} (allowed here: {', '.join(allowed)})"
    if kind == "missing":
        return f"missing required key {key!r}"
    if kind == "literal_error":
        expected = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return f"{value!r} is not one of {', '.join(expected)}{did_you_mean(str(value), expected)}"
    if kind == "too_short":
        return "needs at least one entry"
    if kind in ("bool_type", "bool_parsing"):
        return f"must be true or false, got {value!r}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"must be a whole number, got {value!r}"
    if kind in ("greater_than_equal", "greater_than"):
        return f"must be at least {ctx.get('ge', ctx.get('gt'))}, got {value!r}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"must be a table ([{key}] or {{ ... }}), got {type(value).__name__}"
    if kind in ("tuple_type", "list_type"):
        return f"must be an array ([ ... ] or [[{key}]] tables), got {type(value).__name__}"
    return str(error.get("msg", kind)).removeprefix("Value error, ")


def allowed_keys(model: type[BaseModel]) -> list[str]:
    """The keys a table of ``model`` may hold, as written in the file (aliases included)."""
    return [f.alias or name for name, f in model.model_fields.items()]


def owner(schema: type[BaseModel], path: KeyPath) -> type[BaseModel]:
    """The model of ``schema`` whose key the last part of ``path`` is."""
    model = schema
    for part in path[:-1]:
        if isinstance(part, int):
            continue
        field = next((f for n, f in model.model_fields.items() if (f.alias or n) == part), None)
        inner = _unwrap(field.annotation) if field is not None else None
        if not (isinstance(inner, type) and issubclass(inner, BaseModel)):
            break
        model = inner
    return model


def _unwrap(annotation: Any) -> Any:
    """The type inside Annotated, Optional and tuple[...] or list[...] wrappers."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        elif origin in (tuple, list):
            annotation = typing.get_args(annotation)[0]
        else:
            return annotation
