"""English and Arabic for the explorer: messages, numerals, and names from the record.

Messages go through a gettext catalogue (Babel): each call names a key (the message's
``msgctxt``, stable when the wording changes) and its English text (the ``msgid``, which
``pybabel extract`` reads from the templates and modules; run-time keys are listed in
:mod:`muhasasa.web.messages`); the Arabic is the ``msgstr`` in
``locale/ar/LC_MESSAGES/messages.po``, compiled to the committed ``messages.mo`` that is
read here (``locale/README.md`` has the commands). ``{name}`` is a placeholder. Numbers are
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
from contextvars import ContextVar
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from importlib import resources
from numbers import Integral, Real

__all__ = ["LANGS", "REQUEST_LANG", "Catalogue", "Label", "Locale", "catalogue", "locale"]

LANGS = ("en", "ar")
#: The language of the request being answered (set by the app's middleware from the
#: ``/ar/`` prefix or ``?lang=``), for answers built far from the request (CSV headers).
REQUEST_LANG: ContextVar[str] = ContextVar("REQUEST_LANG", default="en")
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


@dataclass(frozen=True)
class Catalogue:
    """The compiled messages: for each key (``msgctxt``), its English ``msgid`` and, per
    language, its translation."""

    english: dict[str, str]
    translated: dict[str, dict[str, str]]


#: The languages with a compiled catalogue under ``locale/`` (English is the msgids).
CATALOGUE_LANGS = ("ar",)


@cache
def catalogue() -> Catalogue:
    """The message catalogue, read once from the compiled ``.mo`` files in the package."""
    from babel.messages.mofile import read_mo

    english: dict[str, str] = {}
    translated: dict[str, dict[str, str]] = {}
    for lang in CATALOGUE_LANGS:
        item = resources.files("muhasasa.web").joinpath("locale", lang, "LC_MESSAGES", "messages.mo")
        with item.open("rb") as handle:
            compiled = read_mo(handle)
        strings = translated.setdefault(lang, {})
        for message in compiled:
            if not message.id or message.context is None:
                continue
            english[message.context] = str(message.id)
            if message.string:
                strings[message.context] = str(message.string)
    return Catalogue(english, translated)


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

    def t(self, key: str, english: str | None = None, /, **values: object) -> str:
        """The message ``key`` (its English text ``english``, the msgid) in this language:
        English if the catalogue has no translation (the key if it has neither),
        placeholders filled, numbers written in the locale's digits."""
        found = catalogue()
        text = (found.translated.get(self.code, {}).get(key) or english or found.english.get(key)
                or key)
        if values:
            shown = {k: (self.num(v) if isinstance(v, (Integral, Fraction)) and not isinstance(v, bool) else v)
                     for k, v in values.items()}
            text = text.format(**shown)
        return text

    def has(self, key: str) -> bool:
        """Whether the catalogue has a message ``key``."""
        return key in catalogue().english

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
