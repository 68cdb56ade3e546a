"""The structured trace of a formation run: one event per thing that happened, with fields.

Each :class:`TraceEvent` says when (``day``, counted from election day), at which step, what
kind of thing happened, to whom (``actors``), with how many seats against how many needed
and present, under which rule or ruling, and from which source (``model`` for the model's
own moves, ``record`` for a scripted event of the record, ``scenario`` for a what-if).
Tests and faces read the fields; :func:`render` writes the English prose from them (another
language renders the same fields).

>>> e = TraceEvent(day=210, step="president", kind="quorum-failed", actors=("sadrists", "kdp"),
...                seats=175, needed=220, present=175, rule="Art. 70(1)", ruling="16/Federal/2022")
>>> e.text
'president session fails: 175 present, 220 needed (sadrists + kdp attend; the others stay away)'
>>> e.rules
'Art. 70(1); 16/Federal/2022'
>>> str(TraceEvent(day=0, step=None, kind="vacancy"))  # no rule: no empty citation
"day 0: the Prime Minister's post is vacant: a new nominee is to be charged"
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["KINDS", "TraceEvent", "render"]

#: The kinds of trace event, and the fields each one uses besides day, step and rule.
KINDS: Mapping[str, str] = {
    "election-night": "actors[0] is the largest list as elected, with seats",
    "bloc-formed": "the lists actors[1:] form the bloc actors[0] (seats) after the vote",
    "title-disputed": "actors[0] (seats), holding the largest list of election night, disputes the claim of actors[1]",
    "title-conceded": "actors[0] concedes the largest-bloc title to actors[1] after days_late days",
    "first-session": "the new house meets",
    "vacancy": "an office is vacant mid-term (the Prime Minister's unless note names another): the cycle starts "
               "(day 0 is its trigger)",
    "formateur": "actors[0] registered as the largest bloc with seats (without rule: the largest actor leads)",
    "no-coalition": "actors[0] (the formateur) finds no coalition reaching needed with every community required",
    "refused": "actors proposed; refused_by said no",
    "quorum-failed": "a session of actors (seats) fails: present against needed (quorum)",
    "carried": "actors carry the step with seats of needed",
    "deadline-missed": "the step came days_late after its deadline",
    "nominee-replaced": "the nominee of actors[0] is replaced",
    "designation": "the nominee of actors[0] is charged",
    "composed": "the nominee of actors[0] has composed his cabinet, days_late days after he was charged",
    "consensus": "actors (rival camps) agree on a compromise nominee",
    "resignation": "actors[0] leave seats; present replacements sworn in",
    "veto": "an outside actor (by: an outside player of the pack; else a scripted event) vetoes the nominee",
    "exit": "actors[0] (the formateur) leaves parliament with seats; present replacements sworn in",
    "force": "actors[0], which left parliament, denies by force a session of the step (seats: the coalition's)",
    "package": "actors, having carried a step, agree the steps that follow as one deal",
    "package-lapsed": "the package deal cannot carry the step (too few seats, or its partners changed)",
    "confidence": "the cabinet wins confidence: ministries per actor",
    "not-formed": "no government within the horizon",
}


@dataclass(frozen=True)
class TraceEvent:
    """One event of a run, as fields (see :data:`KINDS`)."""

    day: int
    step: str | None
    kind: str
    actors: tuple[str, ...] = ()
    seats: int | None = None
    needed: int | None = None
    present: int | None = None
    rule: str = ""
    ruling: str | None = None
    source: str = "model"
    refused_by: tuple[str, ...] = ()
    ministries: Mapping[str, int] = field(default_factory=dict)
    days_late: int | None = None
    by: str | None = None
    note: str | None = None

    @property
    def text(self) -> str:
        """The event in English prose, rendered from its fields."""
        return render(self)

    @property
    def rules(self) -> str:
        """The rule and the ruling that caused the event, as one citation."""
        return "; ".join(p for p in (self.rule, self.ruling) if p)

    def as_dict(self) -> dict[str, Any]:
        """The fields (and the rendered text) as plain values."""
        out = asdict(self)
        out["actors"] = list(self.actors)
        out["refused_by"] = list(self.refused_by)
        out["ministries"] = dict(self.ministries)
        out["text"] = self.text
        return out

    def __str__(self) -> str:
        cited = f" ({self.rules})" if self.rules else ""
        return f"day {self.day}: {self.text}{cited}"


def _join(names: tuple[str, ...]) -> str:
    return " + ".join(names)


def render(e: TraceEvent) -> str:
    """The English prose of an event, from its fields only."""
    k = e.kind
    lead = e.actors[0] if e.actors else "?"
    if k == "election-night":
        return f"election night: {lead} is the largest list ({e.seats} seats)"
    if k == "bloc-formed":
        return f"{_join(e.actors[1:])} form one bloc, {lead} ({e.seats} seats)"
    if k == "title-disputed":
        return (f"{lead} ({e.seats} seats), holding the largest list of election night, disputes the largest-bloc "
                f"claim of {e.actors[1]}: the first session is held open")
    if k == "title-conceded":
        return f"{lead} concedes the largest-bloc title to {e.actors[1]} after {e.days_late} days"
    if k == "vacancy":
        return e.note or "the Prime Minister's post is vacant: a new nominee is to be charged"
    if k == "first-session":
        return "first session of the new house"
    if k == "formateur":
        if e.note:
            return e.note
        if not e.rule:  # no largest-bloc rule in the constitution: the model's own assumption
            return f"{lead}, the largest actor ({e.seats} seats), leads the bargaining (the model's assumption)"
        return f"{lead} registered as the largest bloc ({e.seats} seats)"
    if k == "no-coalition":
        return f"{e.step}: no coalition of {lead} can reach {e.needed} seats with every community required"
    if k == "refused":
        return f"{e.step}: proposal {_join(e.actors)} refused by {', '.join(e.refused_by)}"
    if k == "quorum-failed":
        return (f"{e.step} session fails: {e.present} present, {e.needed} needed"
                + (f" ({_join(e.actors)} attend; the others stay away)" if e.actors else ""))
    if k == "carried":
        attending = "" if e.present is not None else ", the others attending so that the quorum is met"
        return f"{e.step}: carried by {_join(e.actors)} ({e.seats} seats, {e.needed} needed{attending})"
    if k == "deadline-missed":
        return f"{e.step} came {e.days_late} days after its constitutional deadline"
    if k == "nominee-replaced":
        return f"nominee of {lead} fails to win confidence by the deadline; a new nominee is charged"
    if k == "consensus":
        return f"{_join(e.actors)} agree on a compromise nominee from outside their leaderships"
    if k == "designation":
        return f"the President charges the nominee of {lead}"
    if k == "composed":
        return f"the nominee of {lead} presents his cabinet after {e.days_late} days composing it"
    if k == "resignation":
        if e.seats is None:
            return e.note or f"{lead} resign"
        return (f"{lead} resign {e.seats} seats; {e.present} replacements sworn in"
                + (f" ({e.note})" if e.note else ""))
    if k == "veto":
        return f"{e.note or 'outside veto'}: the nominee withdraws and another is charged"
    if k == "exit":
        return (f"{lead} cannot form and will not sit in opposition: it leaves parliament ({e.seats} seats; "
                f"{e.present} replacements sworn in{', ' + e.note if e.note else ''})")
    if k == "force":
        return f"{e.step} session not held: {lead}, which left parliament, denies it by force"
    if k == "package":
        return f"{e.step}: {_join(e.actors)} seal the steps that follow as one package"
    if k == "package-lapsed":
        return f"{e.step}: the package deal cannot carry this step; bargaining resumes"
    if k == "confidence":
        return f"cabinet wins confidence: {', '.join(f'{a} {n}' for a, n in e.ministries.items())} ministries"
    if k == "not-formed":
        return f"no government within {e.days_late} days of the first session"
    return f"{k}: {_join(e.actors)}"
