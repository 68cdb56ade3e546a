"""``pack.toml`` and ``body.toml``: what a pack shares, and what names each of its bodies.

A pack's ``pack.toml`` names the pack, lists its bodies (folders, in display order) and
holds what every body shares: the communities (in display order, with their Arabic names
and colours), the minority communities that hold reserved seats, and the regions (with
their Arabic names and a place on the explorer's tile grid). A body's ``body.toml`` names
the body; its other files (laws, record, constitution, convention, blocs, formation) sit
beside it.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import Field, model_validator

from muhasasa.packs.schema.types import Count, Ident, Text
from muhasasa.packs.toml import Problem, StrictModel

__all__ = ["BodyFile", "Community", "Featured", "Minority", "PackFile", "Region"]

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class Community(StrictModel):
    """A community of the pack (``Shia Arab``), as lists are classified in its record."""

    id: Text
    name_en: Text | None = None
    name_ar: Text
    colour: Text

    @model_validator(mode="after")
    def _colour(self) -> Community:
        if not _COLOUR.match(self.colour):
            raise ValueError(f"colour {self.colour!r} is not a colour written #rrggbb")
        return self

    @property
    def name(self) -> str:
        """The English name (the id when none is given)."""
        return self.name_en or self.id


class Minority(StrictModel):
    """A community that holds reserved (quota) seats."""

    id: Text
    name_ar: Text


class Region(StrictModel):
    """A region (a governorate) of the pack, with its place on the explorer's tile grid."""

    id: Text
    name_ar: Text
    tile: Annotated[tuple[Count, Count], Field(description="[row, column] from the north-west")]


class Featured(StrictModel):
    """What the explorer opens on when a page is asked for without ids: an editorial choice
    of the pack (each one is optional; the latest election is the fallback)."""

    election: Ident | None = None
    law_lab: tuple[Ident, Ident] | None = Field(default=None, description="[election, another law]")
    coalition_election: Ident | None = None
    formation_cycle: Ident | None = Field(default=None, description="a replayable formation cycle")


class PackFile(StrictModel):
    """``pack.toml``."""

    id: Ident
    name_en: Text
    name_ar: Text
    bodies: Annotated[tuple[Ident, ...], Field(min_length=1)]
    communities: tuple[Community, ...] = ()
    minorities: tuple[Minority, ...] = ()
    regions: tuple[Region, ...] = ()
    featured: Featured = Field(default_factory=Featured)

    @model_validator(mode="after")
    def _unique(self) -> PackFile:
        for key in ("communities", "minorities", "regions"):
            seen: set[str] = set()
            for index, item in enumerate(getattr(self, key)):
                if item.id in seen:
                    raise Problem((key, index, "id"), f"duplicate {key[:-1] if key != 'communities' else 'community'} {item.id!r}")
                seen.add(item.id)
        if len(set(self.bodies)) != len(self.bodies):
            raise Problem(("bodies",), "a body is listed twice")
        return self


class BodyFile(StrictModel):
    """``body.toml``: the body's id (its folder's name) and its names."""

    id: Ident
    name_en: Text
    name_ar: Text
