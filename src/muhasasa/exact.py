"""Exact numbers: text to Fraction without ever passing through float.

Quotas and divisors in electoral law are decimals written as text ("1.7"). They
are parsed here into :class:`fractions.Fraction` so every later comparison is
exact integer arithmetic.
"""

from __future__ import annotations

import re
from fractions import Fraction
from numbers import Integral

from muhasasa.errors import InputError

_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_RATIO = re.compile(r"^[+-]?\d+\s*/\s*\d+$")

ExactLike = int | str | Fraction


def to_fraction(value: ExactLike, *, what: str = "number") -> Fraction:
    """Parse an exact number from an int, a Fraction, or text like ``"1.7"`` or ``"17/10"``.

    Floats are refused: ``1.7`` as a float is not 17/10.

    >>> to_fraction("1.7")
    Fraction(17, 10)
    >>> to_fraction("2/3")
    Fraction(2, 3)
    >>> to_fraction(3)
    Fraction(3, 1)
    """
    if isinstance(value, bool):
        raise ValueError(f"{what}: expected a number, got a boolean")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, Integral):
        return Fraction(int(value))
    if isinstance(value, str):
        text = value.strip()
        if _DECIMAL.match(text) or _RATIO.match(text):
            try:
                return Fraction(text.replace(" ", ""))
            except ZeroDivisionError:
                raise ValueError(f"{what}: {value!r} divides by zero") from None
        raise ValueError(f"{what}: {value!r} is not an exact decimal or ratio")
    raise ValueError(
        f"{what}: {value!r} is a {type(value).__name__}; give it as text (\"1.7\") "
        "or an int so it stays exact"
    )


def fraction_text(value: Fraction, places: int = 2) -> str:
    """Render an exact number for people: integers plainly, others as a rounded decimal.

    >>> fraction_text(Fraction(30750))
    '30750'
    >>> fraction_text(Fraction(8011450, 275))
    '29132.55'
    """
    if value.denominator == 1:
        return str(value.numerator)
    scaled = round(value * 10**places)
    sign = "-" if scaled < 0 else ""
    whole, frac = divmod(abs(scaled), 10**places)
    return f"{sign}{whole}.{frac:0{places}d}"


def whole_number(value: object, what: str, source: str, field: str | None = None) -> int:
    """A non-negative whole number, or an :class:`~muhasasa.errors.InputError` saying where.

    >>> whole_number(3, "seats", "argument")
    3
    """
    if type(value) is int and value >= 0:  # the common case, without the slow ABC check
        return value
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise InputError(source, f"{what} must be a whole number, got {value!r}", field=field)
    if value < 0:
        raise InputError(source, f"{what} cannot be negative, got {value}", field=field)
    return int(value)
