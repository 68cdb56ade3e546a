"""Read a user's vote table (CSV ``list,votes``) strictly, with located errors.

UTF-8 with or without a byte-order mark; Arabic list names are welcome. Names are
normalised (NFC, invisible bidirectional and zero-width marks removed, see
:mod:`muhasasa.names`), and two rows whose names are then equal are refused. Vote
counts are whole numbers in ASCII or Arabic-Indic digits (``١٢٣``, ``۱۲۳``), with
``_`` allowed between digits; signs, superscripts and other digits are refused. An optional
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
from muhasasa.names import clean_name, has_control

MAX_BYTES = 64 * 2**20  #: a vote table larger than this is refused before it is parsed
MAX_ROWS = 100_000  #: lists in one table
MAX_DIGITS = 30  #: digits of one vote count (10^30 votes is far beyond any electorate)
_DIGITS = {**{ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")},
           **{ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")}}

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
    if not isinstance(path, (str, Path)) or not str(path):
        raise InputError("argument", f"a vote table is a file path, got {str(path)[:80]!r}", field="path")
    path = Path(path)
    name = str(path)
    try:
        if path.is_file() and path.stat().st_size > MAX_BYTES:
            raise InputError(name, f"the file is larger than {MAX_BYTES // 2**20} MiB (the limit)")
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
    if len(raw) > MAX_BYTES:
        raise InputError(name, f"the file is larger than {MAX_BYTES // 2**20} MiB (the limit)")
    if not text.strip():
        raise InputError(name, "the file is empty; expected a header 'list,votes' and one row per list")
    if "\x00" in text:
        raise InputError(name, "the file holds NUL bytes; it is not a text table", line=text[: text.index("\x00")].count("\n") + 1)
    try:
        return _parse_rows(text, name)
    except csv.Error as exc:
        raise InputError(name, f"not a readable CSV table ({exc})") from None


def _parse_rows(text: str, name: str) -> VoteTable:
    reader = csv.reader(io.StringIO(text, newline=""))
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
        if line_no > MAX_ROWS + 2:
            raise InputError(name, f"more than {MAX_ROWS:,} lists (the limit)", line=line_no)
        party = clean_name(row[at["list"]])
        if not party:
            raise InputError(name, "empty list name", line=line_no, field="list")
        if has_control(party):
            raise InputError(name, f"the list name {party!r} holds a control character (a line break, a tab…)",
                             line=line_no, field="list")
        count = _votes(row[at["votes"]], name, line_no)
        if total is not None:
            raise InputError(name, "rows after the TOTAL row", line=line_no)
        if party.lower() in TOTAL_NAMES:
            total = count
            continue
        if party in votes:
            raise InputError(name, f"list {party!r} appears twice (names are compared after Unicode NFC "
                                   "normalisation, without invisible marks)", line=line_no, field="list")
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
    text = cell.strip()
    shown = text if len(text) <= 40 else text[:40] + "…"
    if not text:
        raise InputError(name, "empty vote count", line=line, field="votes")
    digits = text.translate(_DIGITS)
    if digits.startswith("-") and digits[1:].replace("_", "").isascii() and digits[1:].replace("_", "").isdigit():
        raise InputError(name, f"negative votes ({shown})", line=line, field="votes")
    plain = digits.replace("_", "")
    if not (plain.isascii() and plain.isdigit()) or digits.startswith("_") or digits.endswith("_") or "__" in digits:
        raise InputError(name, f"votes must be a whole number in digits, got {shown!r}", line=line, field="votes")
    if len(plain.lstrip("0")) > MAX_DIGITS:
        raise InputError(name, f"a vote count of more than {MAX_DIGITS} digits (the limit)", line=line, field="votes")
    return int(plain)
