"""The one TOML reader of muhasasa: parse strictly, validate by a schema, locate every mistake.

Every TOML file of a pack (laws, the constitution, the convention, bloc maps, formation
events and actors) and every user file of the same kinds (scenarios, what-ifs, a user's
own law or bloc map) is read here, so that a mistake in any of them reads the same way:
the file, the line, the field, and what is wrong.

* :func:`read_toml` decodes (UTF-8, with or without BOM) and parses with :mod:`tomllib`
  (nothing is evaluated) into a :class:`TomlFile`;
* :class:`TomlFile` knows the line where every key, table and array entry is written
  (one scanner of the text, :func:`positions`), names a path as people read it
  (``districts[Nineveh].seats``) and raises there; :meth:`TomlFile.validate` turns
  pydantic's errors into located :class:`~muhasasa.errors.InputError`;
* :func:`load_toml` does all of it for a schema: floats refused (numbers keep their
  exact text), unknown keys refused with a suggestion, the schema's own checks run with
  the file at hand so that they can raise at a path (:class:`Problem`).

>>> class Law(StrictModel):
...     method: str
...     seats: int
>>> load_toml(b'method = "dhondt"\\nseats = 3\\n', "law.toml", Law).seats
3
>>> load_toml(b'method = "dhondt"\\nseat = 3\\n', "law.toml", Law)
Traceback (most recent call last):
...
muhasasa.errors.InputError: law.toml, line 2, field seat: unknown key 'seat'; did you mean 'seats'? (allowed here: method, seats)
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
    "KeyPath",
    "Problem",
    "StrictModel",
    "TomlFile",
    "did_you_mean",
    "floats",
    "load_toml",
    "positions",
    "read_file_bytes",
    "read_toml",
]

#: A path into a parsed file: table keys and array positions, ``("districts", 3, "seats")``.
KeyPath = tuple[str | int, ...]

Model = TypeVar("Model", bound=BaseModel)


class StrictModel(BaseModel):
    """Base of every file schema: an unknown key is an error (a misspelt key must not be
    ignored silently) and the values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class Problem(Exception):
    """A schema's own check failed at ``path`` (a path into the file, from its top).

    Raised by a schema's checks (``model_validator(mode="after")`` on the file's top
    model, or :meth:`check` hooks); :meth:`TomlFile.validate` turns it into an
    :class:`~muhasasa.errors.InputError` at the path's line. It is not a ValueError on
    purpose, so that pydantic lets it through unchanged.
    """

    def __init__(self, path: Sequence[str | int], problem: str, *, known: Iterable[str] | None = None,
                 kind: str | None = None, name: str | None = None) -> None:
        super().__init__(problem)
        self.path: KeyPath = tuple(path)
        self.problem = problem
        self.known = None if known is None else tuple(known)
        self.kind = kind
        self.name = name

    @classmethod
    def unknown(cls, path: Sequence[str | int], kind: str, name: str, known: Iterable[str]) -> Problem:
        """An unknown name at ``path``: reported with the closest known names."""
        return cls(path, "", known=known, kind=kind, name=name)


# --------------------------------------------------------------------------- reading


def read_file_bytes(path: str | Path, what: str) -> bytes:
    """The bytes of a user's file; one that cannot be read is an InputError naming it.

    ``what`` names the kind of file in the message (``"law"`` → "cannot read the law file").
    """
    path = Path(path)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read the {what} file: {exc.strerror or exc}") from None


def read_toml(data: bytes, source: str) -> TomlFile:
    """A TOML file parsed with :mod:`tomllib`; a syntax error is an InputError at its line.

    >>> read_toml(b"seats = = 3\\n", "law.toml")
    Traceback (most recent call last):
    ...
    muhasasa.errors.InputError: law.toml, line 1, field seats: not valid TOML: Invalid value (at line 1, column 9)
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(source, f"not UTF-8 text ({exc.reason} at byte {exc.start})", line=line) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\(at line (\d+), column \d+\)", message)
        line = int(match.group(1)) if match else None
        key = None
        lines = text.splitlines()
        if line is not None and line <= len(lines):
            key_match = _KEY_LINE.match(lines[line - 1])
            key = key_match.group(1).strip("\"'") if key_match else None
        raise InputError(source, f"not valid TOML: {message}", line=line, field=key) from None
    return TomlFile(source, text, raw)


def load_toml(
    data: bytes,
    source: str,
    schema: type[Model],
    *,
    context: Mapping[str, Any] | None = None,
    float_problem: Callable[[float, str], str] | None = None,
    labels: Callable[[Any], str | None] | None = None,
) -> Model:
    """Read ``data`` and validate it against ``schema``: the one path every TOML file takes.

    ``context`` reaches the schema's validators (``info.context``): the pack, the record,
    the registry a file names. ``float_problem(value, key)`` words the refusal of a TOML
    float (default: quote it); ``labels`` names array entries (default :func:`label`).
    """
    file = read_toml(data, source)
    if labels is not None:
        file.labels = labels
    file.refuse_floats(float_problem or default_float_problem)
    return file.validate(schema, context=context)


# --------------------------------------------------------------------------- the file


class TomlFile:
    """A parsed TOML file that can say where any path of it is written, and raise there."""

    def __init__(self, source: str, text: str, raw: dict[str, Any]) -> None:
        self.source = source
        self.text = text
        self.raw = raw
        self.labels: Callable[[Any], str | None] = label
        self._positions: dict[KeyPath, int] | None = None

    @property
    def positions(self) -> dict[KeyPath, int]:
        """The line of every key, table and array entry (scanned once, on first use)."""
        if self._positions is None:
            self._positions = positions(self.text)
        return self._positions

    def line(self, path: Sequence[str | int]) -> int | None:
        """The line where ``path`` is written, or where its nearest written parent is."""
        path = tuple(path)
        for cut in range(len(path), 0, -1):
            found = self.positions.get(path[:cut])
            if found is not None:
                return found
        return None

    def field(self, path: Sequence[str | int]) -> str | None:
        """``path`` as people read it: keys joined by dots, an array entry by its label
        (its id or name) or else its position counted from 1.

        >>> f = TomlFile("x", "", {"districts": [{"name": "North"}, {"seats": 3}]})
        >>> f.field(("districts", 0, "seats")), f.field(("districts", 1))
        ('districts[North].seats', 'districts[2]')
        """
        out = ""
        node: Any = self.raw
        for part in path:
            if isinstance(part, int):
                item = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
                name = self.labels(item)
                out += f"[{name}]" if name else f"[{part + 1}]"
                node = item
            else:
                out += f".{part}" if out else str(part)
                node = node.get(part) if isinstance(node, Mapping) else None
        return out or None

    def error(self, path: Sequence[str | int], problem: str) -> InputError:
        """An InputError for ``problem`` at ``path``."""
        return InputError(self.source, problem, line=self.line(path), field=self.field(path))

    def unknown(self, kind: str, name: str, known: Iterable[str], path: Sequence[str | int]) -> UnknownNameError:
        """An UnknownNameError (with the closest names) for ``name`` at ``path``."""
        return UnknownNameError(kind, name, known, source=self.source, line=self.line(path),
                                field=self.field(path))

    def located(self, problem: Problem) -> InputError:
        """The InputError of a schema's :class:`Problem`."""
        if problem.kind is not None:
            return self.unknown(problem.kind, problem.name or "", problem.known or (), problem.path)
        return self.error(problem.path, problem.problem)

    def refuse_floats(self, problem: Callable[[float, str], str]) -> None:
        """Raise at the first TOML float of the file; ``problem(value, key)`` says why."""
        for path, value in floats(self.raw):
            raise self.error(path, problem(value, last_key(path)))

    def validate(self, schema: type[Model], *, context: Mapping[str, Any] | None = None) -> Model:
        """The file validated against ``schema``; a validation error or a schema's
        :class:`Problem` becomes an InputError at its place in the file."""
        try:
            return schema.model_validate(self.raw, context=dict(context or {}))
        except Problem as problem:
            raise self.located(problem) from None
        except ValidationError as exc:
            errors = _problems(exc)
            first = errors[0]
            path = self._path_of(first["loc"])
            text = describe(first, path, schema)
            if len(errors) > 1:
                text += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
            raise self.error(path, text) from None

    def _path_of(self, loc: Iterable[Any]) -> KeyPath:
        """The part of a pydantic error location that names keys and entries of the file."""
        path: list[str | int] = []
        node: Any = self.raw
        for part in loc:
            if isinstance(node, Mapping) and isinstance(part, str) and part not in node \
                    and part in {v for v in node.values() if isinstance(v, str)}:
                continue  # the tag pydantic puts in a tagged union's location, not a key of the file
            if isinstance(node, Mapping) and isinstance(part, str):
                path.append(part)
                node = node.get(part)
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                path.append(part)
                node = node[part]
            else:
                break
        return tuple(path)


def _problems(exc: ValidationError) -> list[ErrorDetails]:
    """pydantic's errors, unknown keys first (a misspelt key shows up as an unknown key and
    a missing one; the unknown key, with its suggestion, is the better clue), without the
    "too short" echo that a bad entry leaves on its array."""
    errors = exc.errors(include_url=False)
    errors.sort(key=lambda e: e["type"] != "extra_forbidden")
    misspelt = {
        (tuple(e["loc"][:-1]), close)
        for e in errors if e["type"] == "extra_forbidden" and e["loc"]
        for close in difflib.get_close_matches(str(e["loc"][-1]), _missing_keys(errors, e["loc"][:-1]), n=1,
                                               cutoff=0.5)
    }
    kept = [
        e for e in errors
        if not (e["type"] == "too_short"
                and any(o is not e and tuple(o["loc"][: len(e["loc"])]) == tuple(e["loc"]) for o in errors))
        and not (e["type"] == "missing" and (tuple(e["loc"][:-1]), e["loc"][-1]) in misspelt)
    ]
    return kept or errors


def _missing_keys(errors: list[ErrorDetails], at: Sequence[Any]) -> list[str]:
    """The keys reported missing in the table at ``at``."""
    return [str(e["loc"][-1]) for e in errors
            if e["type"] == "missing" and e["loc"] and tuple(e["loc"][:-1]) == tuple(at)]


# --------------------------------------------------------------------------- naming


def label(item: Any) -> str | None:
    """The label of an array entry in a field name: its ``id``, ``name``, ``cycle`` or
    ``date``, or ``community/governorate`` for a reserved seat; None to count by position."""
    if not isinstance(item, Mapping):
        return None
    for key in ("id", "name", "cycle", "election"):
        if isinstance(item.get(key), str) and item[key].strip():
            return item[key]
    if isinstance(item.get("community"), str):
        gov = item.get("governorate")
        return f"{item['community']}/{gov}" if isinstance(gov, str) else item["community"]
    return None


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


def default_float_problem(value: float, key: str) -> str:
    """Why a TOML float is refused, and how to write it.

    >>> default_float_problem(1.7, "first_divisor")
    '1.7 is a TOML float, which is not exact; quote it so it stays exact text: first_divisor = "1.7"'
    """
    return f'{value!r} is a TOML float, which is not exact; quote it so it stays exact text: {key} = "{value!r}"'


def floats(node: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, float]]:
    """Every TOML float below ``node`` with its path, in file order.

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


def describe(error: ErrorDetails, path: KeyPath, schema: type[BaseModel]) -> str:
    """One pydantic error at ``path`` in words, the same for every file kind.

    An unknown key gets the closest allowed key as a suggestion and the allowed keys; a
    number where text belongs is told how to quote it; a failed pattern is worded by the
    pattern's own description (:func:`pattern_words`).
    """
    kind = error["type"]
    value = error.get("input")
    key = last_key(path)
    ctx: Mapping[str, Any] = error.get("ctx", {}) or {}
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
    if kind in ("less_than_equal", "less_than"):
        return f"must be at most {ctx.get('le', ctx.get('lt'))}, got {value!r}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"must be a table ([{key}] or {{ ... }}), got {type(value).__name__}"
    if kind in ("tuple_type", "list_type"):
        return f"must be an array ([ ... ] or [[{key}]] tables), got {type(value).__name__}"
    if kind == "string_type":
        if isinstance(value, int) and not isinstance(value, bool):
            return f'must be text; quote it: {key} = "{value}"'
        return f"must be text, got {type(value).__name__} {value!r}"
    if kind == "string_pattern_mismatch":
        return pattern_words(str(ctx.get("pattern", "")), value)
    if kind.startswith("date"):
        return f"must be a date like 2025-11-11, got {value!r}"
    return str(error.get("msg", kind)).removeprefix("Value error, ")


#: The text patterns of the schemas, and how a value that fails each is described.
PATTERN_WORDS: dict[str, str] = {}


def pattern_words(pattern: str, value: Any) -> str:
    """Why ``value`` fails ``pattern``, in the words the schema registered for it
    (:data:`PATTERN_WORDS`); an empty value "may not be empty"."""
    if not str(value).strip():
        return "may not be empty"
    words = PATTERN_WORDS.get(pattern)
    return f"{value!r} is not {words}" if words else f"{value!r} is not allowed here"


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
        inner = _model_inside(field.annotation) if field is not None else None
        if inner is None:
            break
        model = inner
    return model


def _model_inside(annotation: Any) -> type[BaseModel] | None:
    """The model inside Annotated, Optional, unions and tuple/list/dict wrappers, if one."""
    origin = typing.get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if origin is Annotated:
        return _model_inside(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, tuple, list, dict):
        for arg in typing.get_args(annotation):
            found = _model_inside(arg)
            if found is not None:
                return found
    return None


# --------------------------------------------------------------------------- positions

_KEY_LINE = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*[=.]""")
_BARE = re.compile(r"[A-Za-z0-9_-]+")


def positions(text: str) -> dict[KeyPath, int]:
    """The line (from 1) where each key, table and array entry of a TOML text is written.

    A scanner of the text that follows the TOML grammar closely enough for files that
    :mod:`tomllib` already accepted: table and array-of-tables headers (dotted, quoted),
    dotted keys, inline tables, arrays (each element by its position), strings of every
    kind and comments. A header of an array of tables is the position of the entry it
    opens, and of the whole array at its first entry.

    >>> text = 'a = 1\\n[[d]]\\nname = "N"\\nseats = [\\n  1,\\n  2]\\n[[d]]\\n[d.more]\\nx = { y = 3 }\\n'
    >>> p = positions(text)
    >>> p[("a",)], p[("d",)], p[("d", 0, "seats", 1)], p[("d", 1)], p[("d", 1, "more", "x", "y")]
    (1, 2, 6, 7, 9)
    """
    return _Scanner(text).run()


class _Scanner:
    """One pass over a TOML text, recording where each path is written."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.line = 1
        self.found: dict[KeyPath, int] = {}
        self.arrays: dict[KeyPath, int] = {}  # array-of-tables path -> entries seen

    def run(self) -> dict[KeyPath, int]:
        table: KeyPath = ()
        text = self.text
        while self.i < len(text):
            self._blank()
            if self.i >= len(text):
                break
            ch = text[self.i]
            if ch == "\n":
                self._newline()
            elif ch == "[":
                table = self._header()
            else:
                key = self._key()
                self._spaces()
                self.i += 1  # '='
                self._value((*table, *key))
        return self.found

    # -- lexical helpers
    def _newline(self) -> None:
        self.i += 1
        self.line += 1

    def _spaces(self) -> None:
        while self.i < len(self.text) and self.text[self.i] in " \t\r":
            self.i += 1

    def _blank(self) -> None:
        """Spaces and a comment, up to (not past) the end of the line."""
        self._spaces()
        if self.i < len(self.text) and self.text[self.i] == "#":
            end = self.text.find("\n", self.i)
            self.i = len(self.text) if end < 0 else end

    def _blanks(self) -> None:
        """Spaces, comments and newlines."""
        while True:
            self._blank()
            if self.i < len(self.text) and self.text[self.i] == "\n":
                self._newline()
            else:
                return

    def _record(self, path: KeyPath) -> None:
        self.found.setdefault(path, self.line)

    def _simple_key(self) -> str:
        text = self.text
        ch = text[self.i]
        if ch in "\"'":
            return self._string()
        match = _BARE.match(text, self.i)
        end = match.end() if match else self.i + 1
        key = text[self.i:end]
        self.i = end
        return key

    def _key(self) -> KeyPath:
        parts = [self._simple_key()]
        self._spaces()
        while self.i < len(self.text) and self.text[self.i] == ".":
            self.i += 1
            self._spaces()
            parts.append(self._simple_key())
            self._spaces()
        return tuple(parts)

    def _string(self) -> str:
        """Skip a string of any kind; return its content for keys (escapes kept as written)."""
        text = self.text
        quote = text[self.i]
        delim = quote * 3 if text.startswith(quote * 3, self.i) else quote
        j = self.i + len(delim)
        start = j
        while j < len(text) and not text.startswith(delim, j):
            if quote == '"' and text[j] == "\\":
                j += 1
            j += 1
        content = text[start:j]
        self.line += text.count("\n", self.i, j)
        self.i = j + len(delim)
        if len(delim) == 3:  # a closing run may hold up to two more quotes of the content
            while self.i < len(text) and text[self.i] == quote:
                self.i += 1
        return content

    # -- grammar
    def _resolved(self, parts: Sequence[str]) -> KeyPath:
        """A dotted header name as a path: a part naming an array of tables is its latest entry."""
        path: KeyPath = ()
        for part in parts:
            path = (*path, part)
            if path in self.arrays:
                path = (*path, self.arrays[path] - 1)
        return path

    def _header(self) -> KeyPath:
        text = self.text
        array = text.startswith("[[", self.i)
        self.i += 2 if array else 1
        self._spaces()
        parts = self._key()
        self._spaces()
        self.i += 2 if array else 1
        if array:
            name = (*self._resolved(parts[:-1]), parts[-1])
            index = self.arrays.get(name, 0)
            self.arrays[name] = index + 1
            self._record(name)
            table = (*name, index)
        else:
            table = self._resolved(parts)
        self._record(table)
        return table

    def _value(self, path: KeyPath) -> None:
        self._spaces()
        self._record(path)
        text = self.text
        if self.i >= len(text):
            return
        ch = text[self.i]
        if ch in "\"'":
            self._string()
        elif ch == "[":
            self.i += 1
            index = 0
            while True:
                self._blanks()
                if self.i >= len(text) or text[self.i] == "]":
                    self.i += 1
                    return
                if text[self.i] == ",":
                    self.i += 1
                    continue
                self._value((*path, index))
                index += 1
        elif ch == "{":
            self.i += 1
            while True:
                self._spaces()
                if self.i >= len(text) or text[self.i] == "}":
                    self.i += 1
                    return
                if text[self.i] == ",":
                    self.i += 1
                    continue
                key = self._key()
                self._spaces()
                self.i += 1  # '='
                self._value((*path, *key))
        else:
            while self.i < len(text) and text[self.i] not in ",]}\n#":
                self.i += 1
