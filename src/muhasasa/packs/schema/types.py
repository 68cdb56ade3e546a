"""Field types the pack schemas share, each with the words that say why a value fails it.

A TOML value that fails a pattern is described by :func:`muhasasa.packs.toml.pattern_words`
in the words registered here, so that every file kind says it the same way.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, Strict, StringConstraints

from muhasasa.packs.toml import PATTERN_WORDS

__all__ = ["IDENT", "SLUG", "URL", "Count", "Ident", "Positive", "Slug", "Sources", "Text", "Url"]

#: Text that is not empty.
TEXT = r"\S"
#: An id: letters and digits, then also '-', '_' and '.'.
IDENT = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
#: A lowercase slug: letters, digits and single hyphens.
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
#: A web address.
URL = r"^https?://\S+$"

PATTERN_WORDS.update({
    IDENT: "a valid id (letters, digits, '-', '_', '.')",
    SLUG: "a lowercase id (letters, digits and single hyphens)",
    URL: "a web address (http:// or https://)",
})

Text = Annotated[str, Strict(), StringConstraints(pattern=TEXT)]
Ident = Annotated[str, Strict(), StringConstraints(pattern=IDENT)]
Slug = Annotated[str, Strict(), StringConstraints(pattern=SLUG)]
Url = Annotated[str, Strict(), StringConstraints(pattern=URL)]
Count = Annotated[int, Strict(), Field(ge=0)]
Positive = Annotated[int, Strict(), Field(ge=1)]
Sources = Annotated[tuple[Url, ...], Field(min_length=1)]
