"""muhasasa: Iraq's ethno-sectarian power-sharing system, executable and inspectable.

The public API is what ``__all__`` lists; importing the package only defines names.
"""

from muhasasa.errors import (
    DataLevelError,
    InputError,
    MuhasasaError,
    TieError,
    UnknownNameError,
)
from muhasasa.methods import (
    METHODS,
    Allocation,
    SeatAward,
    TieEvent,
    allocate,
    get_method,
)
from muhasasa.methods.batch import allocate_batch
from muhasasa.parliament.power import INDICES, power_index

__all__ = [
    "INDICES",
    "METHODS",
    "Allocation",
    "DataLevelError",
    "InputError",
    "MuhasasaError",
    "SeatAward",
    "TieError",
    "TieEvent",
    "UnknownNameError",
    "allocate",
    "allocate_batch",
    "get_method",
    "power_index",
]
