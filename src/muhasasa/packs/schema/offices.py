"""``formation/offices.csv``: who a body's districts chose for their offices after an
election — governors, council chairs and their deputies — each row dated and sourced.

A body whose election fills many small executives at once (the provincial councils, one
governor and one council chair per governorate) has no single formation cycle: its
formation record is one row per office filled (:class:`OfficeHolder`). ``district`` is a
district of the election in the body's record; ``list_id`` (optional) the record's list the
holder came from, where the sources name it; ``date`` the day of the council's vote, empty
where no source gives it (``date_note`` says what the sources do say); ``status`` is
``elected`` (chosen after the vote), ``later-change`` (a replacement later in the term),
``relinquished`` (elected, then gave the post up) or ``partial`` (in office, but how or when
chosen is not found).

Loading is strict: an unknown election, district or list, a date before the election, a
row named twice, or a source that is not a web address is an
:class:`~muhasasa.errors.InputError` at its file, line and column.

>>> import muhasasa.packs as packs
>>> rows = packs.load("iraq").office_holders("provincial")
>>> [(r.name, r.date.isoformat()) for r in rows if (r.district, r.office) == ("Kirkuk", "governor")]
[('Rebwar Taha', '2024-08-10')]
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any

from pydantic import BeforeValidator

from muhasasa.errors import InputError, UnknownNameError
from muhasasa.packs.csv import (
    OptDate,
    OptSlug,
    Required,
    Row,
    Slug,
    Text,
    one_of,
    read_rows,
)
from muhasasa.packs.schema.record import Election

__all__ = ["STATUSES", "OfficeHolder", "days_to_fill", "first_chosen", "load_offices_bytes"]

#: How a row's holder came to the office.
STATUSES = ("elected", "later-change", "relinquished", "partial")

_URL = re.compile(r"^https?://\S+$")


def _sources(value: Any) -> tuple[str, ...]:
    if isinstance(value, tuple):
        return value
    urls = tuple(s.strip() for s in str(value).split(" ; ") if s.strip())
    if not urls:
        raise ValueError("must not be empty: every row needs a source")
    for url in urls:
        if not _URL.match(url):
            raise ValueError(f"{url!r} is not a web address; separate sources with ' ; '")
    return urls


_status: Callable[[Any], str | None] = one_of(STATUSES)
Status = Annotated[str, BeforeValidator(_status)]
Urls = Annotated[tuple[str, ...], BeforeValidator(_sources)]


class OfficeHolder(Row):
    """One office filled in one district after an election (a row of ``offices.csv``)."""

    election: Required
    district: Required
    office: Slug
    name: Required
    party: Text = None
    list_id: OptSlug = None
    date: OptDate = None
    date_note: Text = None
    event: Text = None
    status: Status
    source: Urls
    notes: Text = None


def load_offices_bytes(data: bytes, source: str, elections: Mapping[str, Election]) -> tuple[OfficeHolder, ...]:
    """The rows of an ``offices.csv``, each checked against the body's ``elections``, in
    the file's order."""
    rows = read_rows(data, source, OfficeHolder)
    seen: dict[tuple[str, str, str, str], int] = {}
    for line, r in rows:
        _check(line, r, source, elections)
        key = (r.election, r.district, r.office, r.name)
        if key in seen:
            raise InputError(source, f"{r.name} as {r.office} of {r.district} is already at line {seen[key]}",
                             line=line, field="name")
        seen[key] = line
    return tuple(r for _, r in rows)


def _check(line: int, r: OfficeHolder, source: str, elections: Mapping[str, Election]) -> None:
    if r.election not in elections:
        raise UnknownNameError("election of this body", r.election, elections, source=source, line=line,
                               field="election")
    election = elections[r.election]
    districts: Sequence[str] = [d.district for d in election.districts]
    if r.district not in districts:
        raise UnknownNameError(f"district of election {election.id}", r.district, districts, source=source,
                               line=line, field="district")
    if r.list_id is not None:
        lists = [x.list_id for x in election.lists]
        if r.list_id not in lists:
            raise UnknownNameError(f"list of election {election.id}", r.list_id, lists, source=source,
                                   line=line, field="list_id")
    if r.date is not None and r.date < election.date:
        raise InputError(source, f"{r.date} is before election {election.id} of {election.date}", line=line,
                         field="date")
    if r.date is None and r.date_note is None:
        raise InputError(source, "no date: say in date_note what the sources give (or 'not found')", line=line,
                         field="date_note")


def first_chosen(rows: Sequence[OfficeHolder], office: str) -> dict[str, OfficeHolder]:
    """District → the first holder of ``office`` chosen after the vote (``elected`` or
    ``relinquished`` rows; later changes left out)."""
    out: dict[str, OfficeHolder] = {}
    for r in rows:
        if r.office == office and r.status in ("elected", "relinquished") and r.district not in out:
            out[r.district] = r
    return out


def days_to_fill(rows: Sequence[OfficeHolder], office: str, election_date: dt.date) -> dict[str, int]:
    """District → days from the election to the first choice of ``office``, where dated."""
    return {d: (r.date - election_date).days for d, r in first_chosen(rows, office).items() if r.date is not None}
