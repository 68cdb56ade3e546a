"""Read a user's vote table (CSV ``list,votes``) strictly, with located errors.

UTF-8 with or without a byte-order mark; Arabic list names are welcome. An optional
last row named ``TOTAL`` gives the valid-vote total: it may not be smaller than
the listed votes, and anything above them is kept as residual (unitemized) votes,
counted in totals but never allocated.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from muhasasa.errors import InputError

REQUIRED = ("list", "votes")
TOTAL_NAMES = {"total", "المجموع"}


@dataclass(frozen=True)
class VoteTable:
    """Votes per list from a file, plus unitemized (residual) valid votes."""

    source: str
    votes: dict[str, int]
    residual_votes: int = 0


def read_vote_table(path: str | Path) -> VoteTable:
    """Parse and validate a vote table; every error names the file, line and field."""
    path = Path(path)
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(name, f"cannot read the file ({exc.strerror})") from None
    return parse_vote_table(raw, name)


def parse_vote_table(raw: bytes, name: str = "votes") -> VoteTable:
    """Parse vote-table bytes (see :func:`read_vote_table`).

    >>> parse_vote_table("list,votes\\nدولة القانون,120\\nTOTAL,150\\n".encode()).residual_votes
    30
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            name, f"bytes that are not UTF-8 at byte {exc.start}; save the file as UTF-8", line=line
        ) from None
    if not text.strip():
        raise InputError(name, "the file is empty; expected a header 'list,votes' and one row per list")
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader)]
    for column in REQUIRED:
        if column not in header:
            raise InputError(name, f"missing column {column!r} (header is {','.join(header)})", line=1, field=column)
    at = {column: header.index(column) for column in REQUIRED}
    votes: dict[str, int] = {}
    total: int | None = None
    for line_no, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise InputError(name, f"{len(row)} fields where the header has {len(header)}", line=line_no)
        party = row[at["list"]].strip()
        if not party:
            raise InputError(name, "empty list name", line=line_no, field="list")
        count = _votes(row[at["votes"]], name, line_no)
        if total is not None:
            raise InputError(name, "rows after the TOTAL row", line=line_no)
        if party.lower() in TOTAL_NAMES:
            total = count
            continue
        if party in votes:
            raise InputError(name, f"list {party!r} appears twice", line=line_no, field="list")
        votes[party] = count
    if not votes:
        raise InputError(name, "no list rows after the header")
    listed = sum(votes.values())
    if total is not None and total < listed:
        raise InputError(
            name,
            f"the TOTAL row ({total}) is smaller than the listed votes ({listed}): the totals contradict",
            field="votes",
        )
    return VoteTable(source=name, votes=votes, residual_votes=0 if total is None else total - listed)


def _votes(cell: str, name: str, line: int) -> int:
    text = cell.strip().replace("_", "")
    if not text:
        raise InputError(name, "empty vote count", line=line, field="votes")
    if text.lstrip("-").isdigit():
        value = int(text)
        if value < 0:
            raise InputError(name, f"negative votes ({value})", line=line, field="votes")
        return value
    raise InputError(name, f"votes must be a whole number, got {cell.strip()!r}", line=line, field="votes")
