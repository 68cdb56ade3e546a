"""A formation what-if file (TOML): which cycle, which recorded events to drop, which actors,
whether the convention holds, and parameter changes.

.. code-block:: toml

    cycle = "2022"
    without_events = ["sadrist-resignation"]
    convention = true
    actors = "my_actors.toml"          # optional: a file like formation/actors/2022.toml
    [parameters]                       # optional: any of the model's parameters, as text
    boycott = "0.5"

Read by :func:`load_whatif_bytes` through :func:`muhasasa.packs.toml.load_toml`; parameter
values are checked against their ranges (:mod:`muhasasa.packs.schema.parameters`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, PrivateAttr, Strict, ValidationInfo, model_validator

from muhasasa.packs.schema.parameters import ParameterValues
from muhasasa.packs.schema.types import Slug, Text
from muhasasa.packs.toml import Problem, StrictModel, load_toml

__all__ = ["WhatIf", "load_whatif_bytes"]


class WhatIf(StrictModel):
    """A validated formation what-if (``actors`` as written; :attr:`source` the file)."""

    cycle: Text
    without_events: tuple[Slug, ...] = ()
    convention: Annotated[bool, Strict()] = True
    actors: Text | None = None
    parameters: ParameterValues = Field(default_factory=ParameterValues)

    _source: str = PrivateAttr(default="what-if")
    _actors_path: str | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _where(self, info: ValidationInfo) -> WhatIf:
        context = info.context or {}
        self._source = str(context.get("source", "what-if"))
        if self.actors is not None:
            path = Path(self.actors)
            if not path.is_absolute():
                path = Path(context.get("base", ".")) / path
            if not path.is_file():
                raise Problem(("actors",), f"actors file {self.actors!r} not found (looked at {path})")
            self._actors_path = str(path)
        return self

    @property
    def actors_path(self) -> str | None:
        """The actors file, found beside the what-if file when its path is relative."""
        return self._actors_path

    @property
    def source(self) -> str:
        """The file the what-if was read from."""
        return self._source


def load_whatif_bytes(data: bytes, source: str) -> WhatIf:
    """A what-if file, validated (floats refused, unknown keys refused with a suggestion)."""
    return load_toml(data, source, WhatIf, context={"source": source, "base": str(Path(source).parent)})
