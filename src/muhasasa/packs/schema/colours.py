"""A body's colours (``colours.csv``): one swatch per list or bloc id, stable across
elections and charts.

Columns: ``key`` (a list or bloc id of the body, or ``others``: the swatch shared by the
lists too small to need their own), ``colour`` (``#rrggbb``), ``basis`` (``party``: the
party's own colour, said in the note; ``assigned``: chosen by the pack to stay
distinguishable) and ``note``.

>>> from muhasasa.packs.schema.colours import read_colours
>>> read_colours(b"key,colour,basis,note\\nothers,#b8b8b8,assigned,\\nkdp,#F2C200,party,flag\\n", "c.csv")
{'others': '#b8b8b8', 'kdp': '#f2c200'}
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BeforeValidator

from muhasasa.errors import InputError
from muhasasa.packs.csv import Row, read_rows

__all__ = ["ColourRow", "read_colours"]

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def _hex(value: object) -> str:
    text = str(value or "").strip()
    if not _HEX.fullmatch(text):
        raise ValueError(f"{text!r} is not a colour #rrggbb")
    return text.lower()


class ColourRow(Row):
    """One swatch."""

    key: str
    colour: Annotated[str, BeforeValidator(_hex)]
    basis: Literal["party", "assigned"]
    note: str = ""


def read_colours(data: bytes, source: str) -> dict[str, str]:
    """``key -> colour`` from a colours file; a key given twice and a missing ``others``
    row are located errors."""
    out: dict[str, str] = {}
    for line, row in read_rows(data, source, ColourRow):
        if row.key in out:
            raise InputError(source, f"{row.key!r} is given twice", line=line, field="key")
        out[row.key] = row.colour
    if "others" not in out:
        raise InputError(source, "an 'others' row (the shared swatch of small lists) is required", field="key")
    return out
