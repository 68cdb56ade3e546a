"""The parliament stage: who sits, and how it measures against the votes.

Only metrics for now (:mod:`muhasasa.parliament.metrics`); blocs, voting games
and power indices will join this package.
"""

from muhasasa.parliament.metrics import (
    ParliamentMetrics,
    compute_metrics,
    effective_number_of_parties,
    gallagher,
    gallagher_sum_of_squares,
    loosemore_hanby,
    registered_share,
)

__all__ = [
    "ParliamentMetrics",
    "compute_metrics",
    "effective_number_of_parties",
    "gallagher",
    "gallagher_sum_of_squares",
    "loosemore_hanby",
    "registered_share",
]
