"""Legal thresholds: which parties may take part in the allocation at all.

A threshold is written as text in a law file or on the command line:

- ``"none"``: everybody takes part;
- ``"12345"``: at least that many votes;
- ``"5%"``: at least that share of all valid votes (residual votes included);
- ``"1 quota"`` (or ``"quota"``, ``"0.5 quota"``): that many Hare quotas of all
  valid votes, as in January 2005 (8,456,266 / 275 = 30,750.06 votes).

A party *at or above* the threshold takes part; below it, it is excluded.
"""

from __future__ import annotations

import re
from fractions import Fraction

from muhasasa.errors import InputError
from muhasasa.exact import to_fraction

_QUOTA = re.compile(r"^\s*(?P<k>[\d./]+)?\s*quotas?\s*$")


def threshold_votes(spec: str | int | None, total_votes: int, n_seats: int) -> Fraction | None:
    """The exact number of votes a party needs, or None for no threshold.

    >>> threshold_votes("1 quota", 8456266, 275)
    Fraction(8456266, 275)
    >>> threshold_votes("5%", 1000, 10)
    Fraction(50, 1)
    """
    if spec is None:
        return None
    if isinstance(spec, float):
        raise InputError("threshold", f"threshold={spec!r} is a float; give it as text (\"{spec}\", "
                         "or \"5%\" for a share) so it stays exact", field="threshold")
    if isinstance(spec, bool) or not isinstance(spec, (str, int)):
        raise InputError("threshold", f"threshold={str(spec)[:40]!r} must be text or a whole number of votes",
                         field="threshold")
    if isinstance(spec, int) and abs(spec) >= 10**100:
        raise InputError("threshold", "a threshold of 10^100 votes or more", field="threshold")
    text = str(spec).strip().lower()
    if len(text) > 100:
        raise InputError("threshold", "a threshold of more than 100 characters", field="threshold")
    if text in ("", "none", "0"):
        return None
    try:
        if text.endswith("%"):
            share = to_fraction(text[:-1].strip(), what="threshold")
            if not 0 <= share <= 100:
                raise ValueError("a percentage threshold must lie between 0 and 100")
            return share * total_votes / 100
        match = _QUOTA.match(text)
        if match:
            k = to_fraction(match.group("k") or "1", what="threshold")
            if n_seats <= 0:
                raise ValueError("a quota threshold needs at least one seat")
            return k * Fraction(total_votes, n_seats)
        value = to_fraction(text, what="threshold")
    except ValueError as exc:
        reason = str(exc).removeprefix("threshold: ")
        raise InputError(
            "threshold", f"{spec!r} is not a threshold ({reason}); use votes, 'N%' or 'N quota'", field="threshold"
        ) from None
    if value < 0:
        raise InputError("threshold", f"{spec!r}: a threshold cannot be negative", field="threshold")
    if value.denominator != 1:
        raise InputError("threshold", f"{spec!r}: a threshold in votes must be whole; for a share of the "
                         f"votes write '{spec}%'", field="threshold")
    return value
