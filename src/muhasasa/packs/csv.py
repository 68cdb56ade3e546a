"""The one CSV reader of muhasasa: a checked header, then each row validated by its model.

The record of every body and every tabular file of a pack (formation cycles, say) is a
CSV file whose row is one pydantic model (:class:`Row`): the model's fields are the
columns, and each field's type parses the cell's text (:data:`Text`, :data:`Count`,
:data:`YesNo` …). :func:`read_rows` checks the header against the model and validates
each row; any mistake is an :class:`~muhasasa.errors.InputError` naming the file, the
line (the header is line 1) and the column.

>>> class Seats(Row):
...     list: Slug
...     seats: Count
>>> [(line, r.seats) for line, r in read_rows(b"list,seats\\nkdp,31\\n\\nsadrists,73\\n", "seats.csv", Seats)]
[(2, 31), (4, 73)]
>>> read_rows(b"list,seat\\nkdp,31\\n", "seats.csv", Seats)
Traceback (most recent call last):
...
muhasasa.errors.InputError: seats.csv, line 1, field seat: unknown column 'seat'; did you mean 'seats'?
>>> read_rows(b"list,seats\\nkdp,-3\\n", "seats.csv", Seats)
Traceback (most recent call last):
...
muhasasa.errors.InputError: seats.csv, line 2, field seats: negative number '-3'; counts cannot be negative
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError

from muhasasa.errors import InputError

__all__ = [
    "Count",
    "Date",
    "Decimal",
    "OptCount",
    "OptSlug",
    "PipeList",
    "Required",
    "Row",
    "Slug",
    "Text",
    "YesNo",
    "one_of",
    "read_rows",
]

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_INT = re.compile(r"^[0-9]+$")
_DECIMAL = re.compile(r"^[0-9]+(?:\.[0-9]+)?$")

RowModel = TypeVar("RowModel", bound="Row")


class Row(BaseModel):
    """One row of a CSV file: its fields are the columns, frozen; an unknown column is
    refused. A field with a default is an optional column."""

    model_config = ConfigDict(frozen=True, extra="forbid")


# --------------------------------------------------------------------------- cell parsers


def _cell(value: Any) -> str:
    if not isinstance(value, str):  # rows built in code, not read from a file
        return "" if value is None else str(value)
    return value.strip()


def _text(value: Any) -> str | None:
    return _cell(value) or None


def _required(value: Any) -> str:
    text = _cell(value)
    if not text:
        raise ValueError("must not be empty")
    return text


def _count(value: Any) -> int:
    if type(value) is int and value >= 0:
        return value
    text = _cell(value)
    if not text:
        raise ValueError("must not be empty")
    if _INT.match(text) and text.isascii():
        return int(text)
    if text.startswith("-") and _INT.match(text[1:]):
        raise ValueError(f"negative number {text!r}; counts cannot be negative")
    raise ValueError(f"{text!r} is not a whole number (write digits only, no decimals or separators)")


def _opt_count(value: Any) -> int | None:
    return _count(value) if _cell(value) else None


def _slug(value: Any) -> str:
    text = _cell(value)
    if not _SLUG.match(text):
        raise ValueError(f"{text!r} is not a lowercase slug (letters, digits and single hyphens)")
    return text


def _opt_slug(value: Any) -> str | None:
    return _slug(value) if _cell(value) else None


def _yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _cell(value)
    if text not in ("yes", "no"):
        raise ValueError(f"{text!r} must be 'yes' or 'no'")
    return text == "yes"


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(_cell(value))
    except ValueError:
        raise ValueError(f"{_cell(value)!r} is not a date YYYY-MM-DD") from None


def _opt_date(value: Any) -> dt.date | None:
    return _date(value) if _cell(value) else None


def _decimal(value: Any) -> str | None:
    text = _cell(value)
    if not text:
        return None
    if not _DECIMAL.match(text):
        raise ValueError(f"{text!r} is not a non-negative decimal number")
    return text


def _pipe_list(value: Any) -> tuple[str, ...]:
    if isinstance(value, tuple):
        return value
    return tuple(p.strip() for p in _cell(value).split("|") if p.strip())


def one_of(choices: Iterable[str], *, optional: bool = False) -> Callable[[Any], str | None]:
    """A parser that accepts one of ``choices`` (or, if ``optional``, an empty cell)."""
    choices = tuple(choices)

    def parse(value: Any) -> str | None:
        text = _cell(value)
        if optional and not text:
            return None
        if text not in choices:
            close = difflib.get_close_matches(text, choices, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ValueError(f"{text!r} is not one of {', '.join(choices)}{hint}")
        return text

    return parse


#: Optional text: an empty cell is None.
Text = Annotated[str | None, BeforeValidator(_text)]
#: Text that must not be empty.
Required = Annotated[str, BeforeValidator(_required)]
#: A non-negative whole number written in digits.
Count = Annotated[int, BeforeValidator(_count)]
#: A count, or None for an empty cell (unknown, never zero).
OptCount = Annotated[int | None, BeforeValidator(_opt_count)]
#: A lowercase slug (``state-of-law``).
Slug = Annotated[str, BeforeValidator(_slug)]
#: A slug or None.
OptSlug = Annotated[str | None, BeforeValidator(_opt_slug)]
#: ``yes`` or ``no``.
YesNo = Annotated[bool, BeforeValidator(_yes_no)]
#: A date written YYYY-MM-DD.
Date = Annotated[dt.date, BeforeValidator(_date)]
#: A date or None.
OptDate = Annotated[dt.date | None, BeforeValidator(_opt_date)]
#: A non-negative decimal kept as its text (``"62.40"``), or None.
Decimal = Annotated[str | None, BeforeValidator(_decimal)]
#: Values separated by ``|``.
PipeList = Annotated[tuple[str, ...], BeforeValidator(_pipe_list)]


# --------------------------------------------------------------------------- reading


def read_rows(data: bytes, source: str, model: type[RowModel]) -> list[tuple[int, RowModel]]:
    """The rows of a CSV file, each validated by ``model``, with the line it starts on.

    The text is UTF-8, with or without BOM. The header must name each required column of
    ``model`` once and no column the model lacks (cells are stripped); it is checked for
    an unknown column (with a suggestion), then a column named twice, then missing
    columns. Blank rows are skipped; a row with another number of cells than the header is
    refused.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(source, f"not UTF-8 text ({exc.reason} at byte {exc.start})", line=line) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise InputError(source, "empty file: a header row is required", line=1)
    header = [h.strip() for h in header]
    fields = model.model_fields
    for col in header:
        if col not in fields:
            close = difflib.get_close_matches(col, fields, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise InputError(source, f"unknown column {col!r}{hint}", line=1, field=col or "(blank)")
    dupes = [c for c, n in Counter(header).items() if n > 1]
    if dupes:
        raise InputError(source, f"column {dupes[0]!r} appears twice", line=1, field=dupes[0])
    missing = [c for c, f in fields.items() if f.is_required() and c not in header]
    if missing:
        raise InputError(source, f"missing required column(s) {', '.join(missing)}", line=1, field=missing[0])
    rows: list[tuple[int, RowModel]] = []
    line = 1
    for cells in reader:
        start = line + 1
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise InputError(source, f"{len(cells)} cells for {len(header)} columns", line=start)
        try:
            rows.append((start, model.model_validate(dict(zip(header, cells, strict=True)))))
        except ValidationError as exc:
            error = exc.errors(include_url=False)[0]
            column = str(error["loc"][0]) if error["loc"] else None
            message = str(error.get("msg", "")).removeprefix("Value error, ")
            raise InputError(source, message, line=start, field=column) from None
    return rows
