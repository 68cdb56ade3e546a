"""The one small error tree of muhasasa.

Every mistake a user can make (a bad file, an unknown name, an impossible
request) raises a :class:`MuhasasaError`. The CLI turns it into one line and
exit code 2; the web app into a 4xx. Tracebacks are for bugs only.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class MuhasasaError(Exception):
    """Root of every error muhasasa raises on purpose."""


class InputError(MuhasasaError):
    """Bad input, located: which file (or argument), which line, which field.

    >>> str(InputError("votes.csv", "negative votes", line=3, field="votes"))
    'votes.csv, line 3, field votes: negative votes'
    """

    def __init__(
        self,
        source: str,
        problem: str,
        *,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.source = source
        self.problem = problem
        self.line = line
        self.field = field
        super().__init__(self._render())

    def _render(self) -> str:
        where = [self.source]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.field is not None:
            where.append(f"field {self.field}")
        return f"{', '.join(where)}: {self.problem}"


class UnknownNameError(InputError):
    """A name (election, law, method, list, governorate) that does not exist.

    The message lists the closest known names so a typo is easy to fix.
    """

    def __init__(
        self,
        kind: str,
        name: str,
        known: Iterable[str],
        *,
        source: str = "argument",
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        known = sorted(set(map(str, known)))
        close = difflib.get_close_matches(str(name), known, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        listing = ", ".join(known) if len(known) <= 12 else f"{len(known)} known"
        super().__init__(
            source,
            f"unknown {kind} {name!r} (known: {listing}){hint}",
            line=line,
            field=field,
        )
        self.kind = kind
        self.name = name


class TieError(MuhasasaError):
    """Quotients tie for the last seat(s) and the active tie rule refuses to guess."""

    def __init__(self, contenders: Iterable[str], seats_left: int, value: object) -> None:
        self.contenders = tuple(contenders)
        self.seats_left = seats_left
        super().__init__(
            f"tie for the last {seats_left} seat(s) between {', '.join(self.contenders)} "
            f"(equal value {value}); the tie rule is 'refuse': pass tie_break='lot' "
            "with a seed to settle it by a seeded lot (the rule of laws that draw lots)"
        )


class DataLevelError(MuhasasaError):
    """The data at hand is not detailed enough for the requested computation."""


class SeatsOnlyError(InputError, DataLevelError):
    """An election the record holds as declared seats only (no votes, no law), asked for
    what needs votes or a law: named by its field (``election``, or ``law`` for another
    law), so a face can say why in one line (and in its reader's language).

    >>> str(SeatsOnlyError("2009", "the law lab recomputes votes"))
    'argument, field election: election 2009 is declared seats only: no votes, no law (the law lab recomputes votes)'
    """

    def __init__(self, election: str, needs: str, *, field: str = "election") -> None:
        self.election = election
        self.needs = needs
        super().__init__("argument", f"election {election} is declared seats only: no votes, no law ({needs})",
                         field=field)
