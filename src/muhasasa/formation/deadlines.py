"""When a step's constitutional deadline lapses, and how long it binds the bargaining.

A deadline runs either from the first session (as a pack may say of the President's) or from
the step's own start (as of the cabinet's, from the designation). A step that must be taken
before a later one is bound by the later step's first-session deadline too. A designate spends
a share of his step's deadline composing his cabinet (:func:`composition_days`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the model imports this module
    from .model import Step


def first_session_dues(steps: Sequence[Step], first_session: int) -> dict[str, int]:
    """The day on which each step's deadline counted from the first session lapses: its own, or
    the earliest of the later steps' (a step must be taken before the steps after it can be)."""
    due: int | None = None
    dues: dict[str, int] = {}
    for step in reversed(steps):
        if step.deadline_from_first_session and step.deadline_days is not None:
            own = first_session + step.deadline_days
            due = own if due is None else min(due, own)
        if due is not None:
            dues[step.id] = due
    return dues


def lapse_day(step: Step, start: int, dues: Mapping[str, int]) -> int | None:
    """The day the step's own deadline lapses (None when it has none): ``dues`` from
    :func:`first_session_dues` for one counted from the first session, else ``start`` plus its days."""
    if step.deadline_days is None:
        return None
    return dues[step.id] if step.deadline_from_first_session else start + step.deadline_days


def binding_until(step: Step, start: int, dues: Mapping[str, int]) -> int | None:
    """The last day a deadline binds the step: its own, or a later step's that it must precede."""
    return min((d for d in (dues.get(step.id), lapse_day(step, start, dues)) if d is not None), default=None)


def composition_days(step: Step, share: float) -> int:
    """The days a nominee spends composing his cabinet: ``share`` of the step's deadline (none
    for a step without one)."""
    return round(share * step.deadline_days) if step.deadline_days else 0
