"""Formation: the bargaining model through a body's constitutional steps, with its convention.

The public entry point, used by replays, ``form`` and Monte Carlo alike: :func:`prepare` a
cycle's scenario (its own parliament, or the seats of a drawn one), then run a
:class:`Simulator` under :class:`Parameters` (the pack's calibrated set:
:func:`calibrated_parameters`); :func:`replay` does both and summarises the runs.
"""

from muhasasa.formation.model import (
    Government,
    Parameters,
    Scenario,
    Simulator,
    run_many,
)
from muhasasa.formation.replay import (
    ReplayReport,
    calibrated_parameters,
    replay,
    summarise,
)
from muhasasa.formation.setup import prepare, replayable_cycles
from muhasasa.formation.trace import TraceEvent

__all__ = [
    "Government",
    "Parameters",
    "ReplayReport",
    "Scenario",
    "Simulator",
    "TraceEvent",
    "calibrated_parameters",
    "prepare",
    "replay",
    "replayable_cycles",
    "run_many",
    "summarise",
]
