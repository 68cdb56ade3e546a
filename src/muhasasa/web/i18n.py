"""English and Arabic for the explorer: messages, numerals, and names from the record.

Messages live in ``translations/<lang>.toml`` (one flat table of ``key = "text"``, with
``{name}`` placeholders); a key missing from Arabic falls back to English. Numbers are
written with the locale's digits: Arabic-Indic digits, the Arabic decimal separator
(``٫``), thousands separator (``٬``) and percent sign (``٪``) for Arabic. Names of lists
come from the record (``name_ar``, on the national list row or a governorate row); where
the record has no Arabic name the English one is shown and marked as a fallback.

>>> en, ar = locale("en"), locale("ar")
>>> en.num(1234567), ar.num(1234567)
('1,234,567', '١٬٢٣٤٬٥٦٧')
>>> ar.num("48.19") + ar.digits("%")
'٤٨٫١٩٪'
>>> ar.dir, en.dir
('rtl', 'ltr')
>>> ar.date("2021-10-10"), en.date("2021-10-10")
('١٠ تشرين الأول ٢٠٢١', '2021-10-10')
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from importlib import resources
from numbers import Integral, Real

__all__ = ["LANGS", "Label", "Locale", "locale"]

LANGS = ("en", "ar")
_ARABIC_DIGITS = str.maketrans("0123456789.,%-", "٠١٢٣٤٥٦٧٨٩٫٬٪-")


@dataclass(frozen=True)
class Label:
    """A name to show: its text, the language it is in, and whether it is a fallback
    (the record has no name in the page's language)."""

    text: str
    lang: str
    fallback: bool = False

    def plain(self) -> str:
        """The text for places without markup (SVG, CSV): a fallback ends with ``*``."""
        return f"{self.text} *" if self.fallback else self.text

    def __str__(self) -> str:
        return self.text


@cache
def _messages(lang: str) -> dict[str, str]:
    item = resources.files("muhasasa.web").joinpath("translations", f"{lang}.toml")
    data = tomllib.loads(item.read_text(encoding="utf-8"))
    flat: dict[str, str] = {}

    def walk(prefix: str, node: dict) -> None:
        for key, value in node.items():
            name = f"{prefix}.{key}" if prefix else key
            if isinstance(value, dict):
                walk(name, value)
            else:
                flat[name] = str(value)

    walk("", data)
    return flat


@dataclass(frozen=True)
class Locale:
    """One language of the explorer: direction, messages and number formatting."""

    code: str

    @property
    def dir(self) -> str:
        return "rtl" if self.code == "ar" else "ltr"

    @property
    def rtl(self) -> bool:
        return self.code == "ar"

    @property
    def other(self) -> str:
        return "en" if self.code == "ar" else "ar"

    def t(self, key: str, /, **values: object) -> str:
        """The message ``key`` in this language (English if Arabic lacks it; the key if
        neither has it), placeholders filled, numbers written in the locale's digits."""
        text = _messages(self.code).get(key) or _messages("en").get(key) or key
        if values:
            shown = {k: (self.num(v) if isinstance(v, (Integral, Fraction)) and not isinstance(v, bool) else v)
                     for k, v in values.items()}
            text = text.format(**shown)
        return text

    def has(self, key: str) -> bool:
        return key in _messages(self.code) or key in _messages("en")

    def digits(self, text: object) -> str:
        """``text`` with its ASCII digits and separators in the locale's script."""
        text = "" if text is None else str(text)
        return text.translate(_ARABIC_DIGITS) if self.rtl else text

    def num(self, value: object, places: int | None = None) -> str:
        """A number for people: thousands grouped, ``places`` decimals if given.

        Text (the record keeps some figures as text, like ``"48.19"``) is only put in the
        locale's digits. ``None`` is an en dash.
        """
        if value is None:
            return "–"
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, str):
            return self.digits(value)
        if isinstance(value, Fraction):
            value = float(value) if value.denominator != 1 else value.numerator
        if isinstance(value, Integral):
            return self.digits(f"{int(value):,}")
        if isinstance(value, Real):
            if math.isnan(value):
                return "–"
            return self.digits(f"{float(value):,.{2 if places is None else places}f}")
        return self.digits(value)

    def date(self, value: object) -> str:
        """An ISO date (``2021-10-10``) for people: unchanged in English; day, month name
        (the names used in Iraq) and year in Arabic: ``١٠ تشرين الأول ٢٠٢١``."""
        text = "" if value is None else str(value)
        if not self.rtl or len(text) != 10 or text[4] != "-" or text[7] != "-":
            return self.digits(text) if text else "–"
        year, month, day = text.split("-")
        if not (year + month + day).isdigit() or not 1 <= int(month) <= 12:
            return self.digits(text)
        return f"{self.digits(str(int(day)))} {self.t(f'month.m{int(month)}')} {self.digits(year)}"

    def pct(self, value: object, places: int = 1) -> str:
        """A share in [0, 1] as a percentage: ``0.5`` → ``50.0%``."""
        if value is None:
            return "–"
        return self.num(float(value) * 100, places) + self.digits("%")


@cache
def locale(code: str | None) -> Locale:
    """The locale for a language code; anything but ``ar`` is English."""
    return Locale("ar" if code == "ar" else "en")
