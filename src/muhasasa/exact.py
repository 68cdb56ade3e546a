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
MAX_TEXT = 100  #: characters of an exact number written as text


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
        if len(text) > MAX_TEXT:
            raise ValueError(f"{what}: more than {MAX_TEXT} characters")
        if _DECIMAL.match(text) or _RATIO.match(text):
            try:
                return Fraction(text.replace(" ", ""))
            except ZeroDivisionError:
                raise ValueError(f"{what}: {value!r} divides by zero") from None
        raise ValueError(f"{what}: {shown(value)} is not an exact decimal or ratio")
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
    >>> fraction_text(Fraction(1, 3 * 10**20))
    '3.33e-21'
    """
    if value.denominator == 1:
        return str(value.numerator) if abs(value.numerator) < 10**40 else _significant(value)
    scaled = round(value * 10**places)
    if scaled == 0 or abs(value) >= 10**40:  # "0.00" would read as a tie: show significant digits
        return _significant(value)
    sign = "-" if scaled < 0 else ""
    whole, frac = divmod(abs(scaled), 10**places)
    return f"{sign}{whole}.{frac:0{places}d}"


def _significant(value: Fraction) -> str:
    """Three significant digits of a tiny or huge non-zero value, exactly rounded."""
    from decimal import Context, Decimal

    ctx = Context(prec=3, Emax=10**9, Emin=-(10**9))
    return f"{ctx.divide(Decimal(value.numerator), Decimal(value.denominator)):.2e}"


def shown(value: object, limit: int = 40) -> str:
    """A value's repr for an error message, cut to ``limit`` characters (never a 5000-digit line).

    >>> shown(10**100)
    'a 101-digit number'
    """
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**limit:
        return f"a {len(str(abs(value))) if value.bit_length() < 10000 else 'many'}-digit number"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def whole_number(value: object, what: str, source: str, field: str | None = None) -> int:
    """A non-negative whole number, or an :class:`~muhasasa.errors.InputError` saying where.

    >>> whole_number(3, "seats", "argument")
    3
    """
    if type(value) is int and value >= 0:  # the common case, without the slow ABC check
        return value
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise InputError(source, f"{what} must be a whole number, got {shown(value)}", field=field)
    if value < 0:
        raise InputError(source, f"{what} cannot be negative, got {shown(value)}", field=field)
    return int(value)
