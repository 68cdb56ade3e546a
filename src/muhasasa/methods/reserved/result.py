"""What a women's quota works on and returns: candidates, replacements, ties, the
result of one district, and the registry of forms (each law's own rule)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from muhasasa.methods.registry import Param, resolve_text_params
from muhasasa.methods.result import TieEvent, frozen_mapping
from muhasasa.registry import Registry

GENDERS = ("F", "M")


# --------------------------------------------------------------------------- types


@dataclass(frozen=True)
class Candidate:
    """One candidate: name (unique), party (list, or the independent's own label),
    gender ``"F"`` or ``"M"``, personal votes, and ``rank`` (list position, 1 = top)
    for closed lists."""

    name: str
    party: str
    gender: str
    votes: int
    rank: int | None = None


@dataclass(frozen=True)
class Replacement:
    """A woman who took a seat a man had won, and the rule that demanded it.

    ``party`` is the woman's list; under the list forms the man is of the same list,
    under ``district-highest-loser`` he may be of any list in the same district.
    """

    party: str
    removed: str
    added: str
    reason: str

    def describe(self) -> str:
        return f"{self.party}: {self.added} replaces {self.removed} ({self.reason})"


@dataclass(frozen=True)
class QuotaTie:
    """A tie the quota had to settle, with what was at stake (``context``)."""

    context: str
    event: TieEvent

    def describe(self) -> str:
        return f"{self.context}: {self.event.describe()}"


@dataclass(frozen=True)
class WomenQuotaResult:
    """Who sits after the women's quota in one district, and why.

    ``minimum`` is the number of women the district must seat: the governorate
    minimum for list forms; for ``district-highest-loser`` the district's own
    guarantee (1, or 0 once the wider ``minimum`` is met). ``elected`` maps every
    party to its members in rank order after the quota. ``women_by_own_votes``
    counts women elected before any replacement. ``required_by_party`` is what each
    list had to seat under the rule (stage 1 plus any top-up asks; empty for the
    2021 form, whose duty falls on the district). ``shortfall`` counts women's seats
    the rule demanded but no woman candidate could fill: the larger of the lists'
    unmet requirements and the district's gap to ``minimum``.
    """

    form: str
    district: str
    minimum: int
    elected: Mapping[str, tuple[str, ...]]
    women_elected: int
    women_by_own_votes: int
    replacements: tuple[Replacement, ...]
    required_by_party: Mapping[str, int]
    shortfall: int
    seats: int = 0
    minimum_basis: str = ""
    ties: tuple[QuotaTie, ...] = ()
    params: Mapping[str, str] = field(default_factory=lambda: frozen_mapping({}))

    def explain(self) -> str:
        """A short account: the minimum and where it came from, each list's duty,
        each replacement with its rule, each tie, and any shortfall."""
        form = WOMEN_QUOTA_FORMS[self.form]
        lines = [f"women's quota {self.form!r} ({form.title}) in {self.district}"]
        if self.params:
            lines.append("parameters: " + ", ".join(f"{k}={v}" for k, v in self.params.items()))
        noun = "woman" if self.minimum == 1 else "women"
        lines.append(f"{self.seats} seats; at least {self.minimum} {noun} ({self.minimum_basis})")
        lines.append(f"women elected on their own votes: {self.women_by_own_votes}")
        if self.required_by_party:
            lines.append(
                "women each list must seat: "
                + ", ".join(f"{p} {n}" for p, n in self.required_by_party.items())
            )
        lines.extend("replacement: " + r.describe() for r in self.replacements)
        if not self.replacements:
            lines.append("no replacement needed" if not self.shortfall else "no replacement possible")
        lines.extend("tie: " + t.describe() for t in self.ties)
        lines.append(f"women elected: {self.women_elected} of {self.seats}")
        if self.shortfall:
            lines.append(
                f"shortfall: {self.shortfall} women's seat(s) stay with men for want of "
                "women candidates (no member is invented)"
            )
        return "\n".join(lines)


Applier = Callable[..., WomenQuotaResult]
Counter = Callable[..., dict[str, int]]


@dataclass(frozen=True)
class WomenQuotaForm:
    """A women's-quota form registered under a stable id.

    ``function`` applies it to candidate data (see :func:`apply_women_quota`);
    ``seats_required`` counts each list's duty without candidate data (see
    :func:`women_seats_required`). ``notes`` lists the interpretations made.
    """

    id: str
    title: str
    reference: str
    unit: str  # "list" or "district"
    params: tuple[Param, ...]
    function: Applier
    seats_required: Counter
    notes: tuple[str, ...] = ()

    def resolve_params(self, given: Mapping[str, object]) -> dict[str, str]:
        """Merge given text parameters with defaults; refuse unknown names or choices."""
        return resolve_text_params(self.params, given, f"women's quota form {self.id!r}")


WOMEN_QUOTA_FORMS: Registry[WomenQuotaForm] = Registry(
    "women's quota form", WomenQuotaForm, function="function", field="form"
)
