"""A formation what-if file (TOML): which cycle, which events to drop, which actors,
whether the convention holds, and parameter changes. Validated strictly.

.. code-block:: toml

    cycle = "2022"
    without_events = ["sadrist-resignation"]
    convention = true
    actors = "my_actors.toml"          # optional: a file like packs/iraq/formation/actors/2022.toml
    [parameters]                       # optional: any of the model's parameters, as text
    boycott = "0.5"
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from pydantic import Field

from muhasasa.errors import InputError
from muhasasa.exact import to_fraction
from muhasasa.formation.model import Parameters
from muhasasa.tomlfiles import Locator, StrictModel, parse, read_bytes


class _Where(Locator):
    """A flat file: a field is its dotted key, found on the first line that assigns it."""

    def __init__(self, source: str, text: str, raw) -> None:
        super().__init__(source, raw)
        self.lines = text.splitlines()

    def field(self, path) -> str:
        return ".".join(str(p) for p in path)

    def line(self, path) -> int | None:
        keys = [p for p in path if isinstance(p, str)]
        for key in reversed(keys):
            for number, text in enumerate(self.lines, 1):
                if text.strip().startswith((f"{key} ", f"{key}=", f"[{key}]")):
                    return number
        return None


class _Params(StrictModel):
    intercept: str | None = None
    fatigue: str | None = None
    days_per_round: str | None = None
    boycott: str | None = None
    office_weight: str | None = None
    policy_weight: str | None = None
    trust_weight: str | None = None


class _WhatIf(StrictModel):
    cycle: str
    without_events: list[str] = Field(default_factory=list)
    convention: bool = True
    actors: str | None = None
    parameters: _Params = Field(default_factory=_Params)


@dataclass(frozen=True)
class WhatIf:
    """A validated formation what-if."""

    source: str
    cycle: str
    without_events: tuple[str, ...]
    convention: bool
    actors: str | None
    parameters: dict[str, str]

    def apply(self, base: Parameters) -> Parameters:
        changes = {}
        for name, text in self.parameters.items():
            try:
                changes[name] = float(to_fraction(text, what=name))
            except ValueError as exc:
                raise InputError(self.source, str(exc), field=f"parameters.{name}") from None
        return replace(base, **changes)


def load_whatif(path: str | Path) -> WhatIf:
    """Read and validate a what-if file; errors name the file, line and field."""
    path = Path(path)
    source = str(path)
    text, raw = parse(read_bytes(path, "what-if file"), source)
    where = _Where(source, text, raw)
    where.refuse_floats(lambda value, field: f"{field} = {value} is a float; quote it (\"{value}\")")
    model = where.validate(_WhatIf)
    actors = model.actors
    if actors is not None:
        candidate = (path.parent / actors) if not Path(actors).is_absolute() else Path(actors)
        if not candidate.is_file():
            raise InputError(source, f"actors file {actors!r} not found", field="actors")
        actors = str(candidate)
    params = {k: v for k, v in model.parameters.model_dump().items() if v is not None}
    return WhatIf(source, model.cycle, tuple(model.without_events), model.convention, actors, params)
