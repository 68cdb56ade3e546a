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
* :func:`float_problem`: the common wording of that refusal;
* :class:`Locator`: the base of each loader's locator, which turns a path into the
  parsed file into an :class:`~muhasasa.errors.InputError` naming the file, the line
  and the field, including pydantic's validation errors;
* :func:`table_contexts` and :func:`table_path`: which table each line of the text
  belongs to, and where each table's header stands;
* :class:`TableLocator`: a locator that finds a key among the lines of its table (the
  convention and the formation history files; law files and the constitution keep their
  own ways of finding lines);
* :func:`describe` and :func:`text_problem`: the common wording of pydantic's errors,
  with a suggestion for an unknown key;
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
from typing import Annotated, Any, ClassVar, TypeVar

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
    "TableLocator",
    "allowed_keys",
    "describe",
    "did_you_mean",
    "field_name",
    "float_problem",
    "floats",
    "last_key",
    "owner",
    "parse",
    "read_bytes",
    "table_contexts",
    "table_path",
    "text_problem",
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


def float_problem(value: float, key: str, ratio: str | None = None) -> str:
    """Why the float ``value`` of ``key`` is refused, and how to write it; ``ratio`` adds
    an example of a ratio where the file takes them.

    >>> float_problem(1.7, "first_divisor")
    '1.7 is a TOML float, which is not exact; quote it so it stays exact text: first_divisor = "1.7"'
    >>> float_problem(0.5, "share", ratio="1/2").endswith('share = "0.5" (or write a ratio such as "1/2")')
    True
    """
    problem = f'{value!r} is a TOML float, which is not exact; quote it so it stays exact text: {key} = "{value!r}"'
    return f'{problem} (or write a ratio such as "{ratio}")' if ratio else problem


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

    def unique(self, items: Iterable[Any], attr: str, at: KeyPath, kind: str) -> dict[str, int]:
        """The ``attr`` of each of ``items`` (the entries at ``at``) with its position; a name
        given twice raises at its second entry (``duplicate office 'speaker'``)."""
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            name = getattr(item, attr)
            if name in seen:
                raise self.error((*at, index, attr), f"duplicate {kind} {name!r}")
            seen[name] = index
        return seen

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


def table_path(parts: Iterable[str], arrays: Mapping[KeyPath, int]) -> KeyPath:
    """A dotted table name as a path: array-of-tables names pick their latest entry
    (``arrays`` counts the entries seen so far of each array of tables).

    >>> table_path(["districts", "params"], {("districts",): 3})
    ('districts', 2, 'params')
    """
    path: KeyPath = ()
    for part in parts:
        path = (*path, part)
        if path in arrays:
            path = (*path, arrays[path] - 1)
    return path


class HeaderLocator(Locator):
    """A locator that knows each line's table from the headers above it (simple files:
    no awareness of multi-line strings). Subclasses give :meth:`field` and :meth:`line`
    using ``self.lines``, ``self.headers`` (table path -> header line) and
    ``self.contexts`` (the table of each line)."""

    def __init__(self, source: str, text: str, raw: Mapping[str, Any]) -> None:
        super().__init__(source, raw)
        self.lines = text.splitlines()
        self.contexts: list[KeyPath] = []
        self.headers: dict[KeyPath, int] = {}
        context: KeyPath = ()
        counters: dict[KeyPath, int] = {}
        for number, line in enumerate(self.lines, 1):
            array = ARRAY_TABLE.match(line)
            table = None if array else TABLE.match(line)
            if array:
                name = tuple(array.group(1).split("."))
                index = counters.get(name, 0)
                counters[name] = index + 1
                context = (*name, index)
                self.headers[context] = number
            elif table:
                context = tuple(table.group(1).split("."))
                self.headers[context] = number
            self.contexts.append(context)



def table_contexts(lines: Iterable[str], *, nested: bool = True) -> tuple[dict[KeyPath, int], list[KeyPath | None]]:
    """Where the tables of a TOML text are declared, and which table each line belongs to.

    The first result maps each table's path to the line of its header, counted from 1 (an
    entry of an array of tables by its position, ``("events", 2)``; a table declared twice
    by its first header). The second holds, line by line, the path of the table the line
    stands in: ``()`` before any header, None inside a multi-line string, where no key
    stands. With ``nested`` a dotted header below an array of tables belongs to the array's
    latest entry (:func:`table_path`); without, it is read as written.

    >>> text = ['title = "x"', "[[items]]", "[items.more]", "notes = '''", "[x]", "'''"]
    >>> headers, contexts = table_contexts(text)
    >>> headers
    {('items', 0): 2, ('items', 0, 'more'): 3}
    >>> contexts
    [(), ('items', 0), ('items', 0, 'more'), ('items', 0, 'more'), None, None]
    >>> table_contexts(text, nested=False)[0]
    {('items', 0): 2, ('items', 'more'): 3}
    """
    headers: dict[KeyPath, int] = {}
    contexts: list[KeyPath | None] = []
    arrays: dict[KeyPath, int] = {}
    context: KeyPath = ()
    in_string = False
    for number, line in enumerate(lines, 1):
        quotes = line.count('"""') + line.count("'''")
        if in_string:
            in_string = quotes % 2 == 0
            contexts.append(None)
            continue
        array = ARRAY_TABLE.match(line)
        table = None if array else TABLE.match(line)
        if array:
            parts = array.group(1).split(".")
            name = (*(table_path(parts[:-1], arrays) if nested else parts[:-1]), parts[-1])
            index = arrays.get(name, 0)
            arrays[name] = index + 1
            context = (*name, index)
            headers[context] = number
        elif table:
            parts = table.group(1).split(".")
            context = table_path(parts, arrays) if nested else tuple(parts)
            headers.setdefault(context, number)
        contexts.append(context)
        in_string = quotes % 2 == 1
    return headers, contexts


class TableLocator(Locator):
    """A locator that finds a path among the lines of its table (:func:`table_contexts`).

    A path's line is where its last key is written in the lines of the deepest table of the
    path that has a header (or, failing that, an earlier key of the path, such as the inline
    table it stands in), else that table's header; an array of tables is found at its first
    entry. Subclasses name paths (:meth:`field`); ``nested`` says how dotted headers are read.
    """

    #: Whether a dotted header below an array of tables belongs to its latest entry.
    nested: ClassVar[bool] = True

    def __init__(self, source: str, text: str, raw: Mapping[str, Any]) -> None:
        super().__init__(source, raw)
        self.lines = text.splitlines()
        self.headers, self.contexts = table_contexts(self.lines, nested=self.nested)

    def line(self, path: KeyPath) -> int | None:
        if path not in self.headers and (*path, 0) in self.headers:
            return self.headers[(*path, 0)]  # an array of tables: its first entry
        for cut in range(len(path), -1, -1):
            prefix = path[:cut]
            if cut and prefix not in self.headers:
                continue
            keys = [p for p in path[cut:] if isinstance(p, str)]
            numbers = [n for n, c in enumerate(self.contexts, 1) if c == prefix]
            for key in reversed(keys):
                pattern = re.compile(r'(^|[\s{,])"?' + re.escape(key) + r'"?\s*=')
                for number in numbers:
                    if pattern.search(self.lines[number - 1]):
                        return number
            return self.headers.get(prefix)
        return None


# --------------------------------------------------------------------------- wording


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


def text_problem(
    error: ErrorDetails, path: KeyPath, *, number: str = "must be text", ids: str | None = None
) -> str | None:
    """The common wording of a pydantic error about a text value at ``path``, or None if
    ``error`` is not one (or is worded by the loader).

    A number where text belongs is ``number`` and how to quote it; other values that are not
    text are named. A text that fails its pattern is not a web address where the pattern asks
    for one; with ``ids`` (the rule of the file's ids in words) it is otherwise empty or not a
    valid id.

    >>> text_problem({"type": "string_type", "input": 3}, ("districts", 0, "seats"))
    'must be text; quote it: seats = "3"'
    >>> text_problem({"type": "string_pattern_mismatch", "input": "a b"}, ("id",), ids="letters and digits")
    "'a b' is not a valid id (letters and digits)"
    >>> text_problem({"type": "missing"}, ("id",)) is None
    True
    """
    kind = error["type"]
    value = error.get("input")
    key = last_key(path)
    if kind == "string_type":
        if isinstance(value, int) and not isinstance(value, bool):
            return f'{number}; quote it: {key} = "{value}"'
        return f"must be text, got {type(value).__name__} {value!r}"
    if kind == "string_pattern_mismatch":
        if "http" in str(error.get("ctx", {}).get("pattern", "")):
            return f"{value!r} is not a web address (http:// or https://)"
        if ids is not None:
            return "may not be empty" if not str(value).strip() else f"{value!r} is not a valid id ({ids})"
    return None


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
