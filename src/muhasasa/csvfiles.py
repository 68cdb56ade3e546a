"""Reading the record's CSV files: a checked header, then each row parsed column by column.

The election record (:mod:`muhasasa.record`) and the formation record
(:mod:`muhasasa.formation.history`) are CSV files whose every column has a parser, a
function from the cell's text to its value that raises ValueError, in words, for a bad
cell. :func:`read_rows` checks the header against those columns and parses each row; any
mistake is an :class:`~muhasasa.errors.InputError` naming the file, the line (the header is
line 1) and the column.

>>> schema = {"list": str.strip, "seats": int}
>>> read_rows(b"list,seats\\nkdp,31\\n\\nsadrists,73\\n", "seats.csv", schema)
[(2, {'list': 'kdp', 'seats': 31}), (4, {'list': 'sadrists', 'seats': 73})]
>>> read_rows(b"list,seat\\nkdp,31\\n", "seats.csv", schema)
Traceback (most recent call last):
...
muhasasa.errors.InputError: seats.csv, line 1, field seat: unknown column 'seat'; did you mean 'seats'?
"""

from __future__ import annotations

import csv
import difflib
import io
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from muhasasa.errors import InputError

__all__ = ["Parser", "Row", "read_rows"]

#: A column's parser: the cell's text to its value; a ValueError says what is wrong.
Parser = Callable[[str], Any]
#: A parsed row: column -> value.
Row = dict[str, Any]


def read_rows(
    data: bytes, source: str, schema: Mapping[str, Parser], *, missing_first: bool = False
) -> list[tuple[int, Row]]:
    """The rows of a CSV file, each parsed by the ``schema`` of its columns, with the line
    it starts on.

    The text is UTF-8, with or without BOM. The header must name every column of
    ``schema`` once and no other (its cells are stripped); it is checked for an unknown
    column (with a suggestion), then a column named twice, then missing columns, or with
    ``missing_first`` for missing columns before the others. Blank rows are skipped; a row
    with another number of cells than the header is refused.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(source, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise InputError(source, "empty file: a header row is required", line=1)
    header = [h.strip() for h in header]
    missing = [c for c in schema if c not in header]
    if missing and missing_first:
        raise _missing(source, missing)
    for col in header:
        if col not in schema:
            close = difflib.get_close_matches(col, schema, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise InputError(source, f"unknown column {col!r}{hint}", line=1, field=col or "(blank)")
    dupes = [c for c, n in Counter(header).items() if n > 1]
    if dupes:
        raise InputError(source, f"column {dupes[0]!r} appears twice", line=1, field=dupes[0])
    if missing:
        raise _missing(source, missing)
    rows: list[tuple[int, Row]] = []
    line = 1
    for cells in reader:
        start = line + 1
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise InputError(source, f"{len(cells)} cells for {len(header)} columns", line=start)
        row: Row = {}
        for col, cell in zip(header, cells, strict=True):
            try:
                row[col] = schema[col](cell)
            except ValueError as exc:
                raise InputError(source, str(exc), line=start, field=col) from None
        rows.append((start, row))
    return rows


def _missing(source: str, missing: list[str]) -> InputError:
    return InputError(source, f"missing required column(s) {', '.join(missing)}", line=1, field=missing[0])
