"""Names as people read them: one spelling per name, so two lists never look alike.

A name is normalised to Unicode NFC and stripped of bidirectional controls (U+200E,
U+200F, U+061C, U+202A–U+202E, U+2066–U+2069) and zero-width marks (U+200B–U+200D,
U+FEFF) that are invisible on screen. Two names equal after that are the same name.
"""

from __future__ import annotations

import unicodedata

INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"
                                   "\u2066\u2067\u2068\u2069\ufeff"))


def clean_name(name: str) -> str:
    """The name as it is compared and shown: NFC, without invisible marks, trimmed.

    >>> clean_name("\\u200fA ") == "A"
    True
    >>> clean_name("e\\u0301") == "\\u00e9"
    True
    """
    if name.isascii():  # no invisible mark is ASCII, and NFC leaves ASCII as it is
        return name.strip()
    return unicodedata.normalize("NFC", name).translate(INVISIBLE).strip()


def has_control(name: str) -> bool:
    """Whether a name holds a control character (a line break, a tab, NUL…), which no
    name shown on one line may hold.

    >>> has_control("A" + chr(10) + "B"), has_control("دولة القانون")
    (True, False)
    """
    if name.isprintable():  # every control character is unprintable
        return False
    return any(unicodedata.category(c) == "Cc" for c in name)
