"""Who sits: a law's candidate tier applied to a district's recorded candidate votes,
beside the winners as declared and as later rulings left them.

Where a law has a ``[candidates]`` tier (:class:`~muhasasa.packs.schema.candidates.CandidateTier`)
and the record has candidate-level results for a district, the lists' computed seats are
filled by the registered ranking (:func:`muhasasa.methods.ranked_fill.ranked_fill`) and
the winners are compared with the declared ones (``match`` or ``mismatch``, the
differing candidates named) and with the membership after the rulings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from muhasasa.errors import MuhasasaError
from muhasasa.methods import Allocation
from muhasasa.methods.ranked_fill import Candidate, FillResult, ranked_fill
from muhasasa.packs.schema.candidates import DistrictCandidates
from muhasasa.packs.schema.law import Law

__all__ = ["WinnerCheck", "check_winners"]


@dataclass(frozen=True)
class WinnerCheck:
    """The computed winners of one district beside the declared ones.

    ``missing`` are declared winners the law does not seat, ``extra`` computed winners not
    declared; ``after_rulings`` is the same comparison with the membership after the
    record's later rulings (None where there were none).
    """

    status: str
    computed: tuple[str, ...]
    declared: tuple[str, ...]
    missing: tuple[str, ...]
    extra: tuple[str, ...]
    detail: str
    fill: FillResult | None = None
    after_rulings: tuple[tuple[str, ...], tuple[str, ...]] | None = None

    @property
    def matched(self) -> int:
        """Declared winners the law seats."""
        return len(self.declared) - len(self.missing)


def check_winners(law: Law, allocation: Allocation, record: DistrictCandidates, *, seed: int = 0,
                  params: dict[str, str] | None = None) -> WinnerCheck:
    """Fill ``allocation``'s list seats from ``record``'s candidates under ``law``'s
    candidate tier (its parameters, or ``params`` instead) and compare with the declared
    winners."""
    tier = law.candidates
    if tier is None:
        raise MuhasasaError(f"law {law.id} has no candidate tier")
    people = [Candidate(c.candidate, c.list_id, c.group, c.subdistrict, c.votes) for c in record.candidates]
    qualified = [p for p in allocation.votes if p not in allocation.excluded]
    list_seats = {p: allocation.seats[p] for p in qualified}
    fill = ranked_fill(people, record.seats, list_seats, rule=tier.rule, qualified=qualified,
                       tie_break=tier.tie_rule, seed=seed, **(params if params is not None else tier.params))
    computed = tuple(w.candidate for w in fill.winners)
    declared = tuple(w.candidate for w in record.declared())
    missing = tuple(c for c in declared if c not in computed)
    extra = tuple(c for c in computed if c not in declared)
    after = None
    if record.rulings:
        final = {w.candidate for w in record.declared(dt.date.max)}
        after = (tuple(sorted(final - set(computed))), tuple(sorted(set(computed) - final)))
    names = {w.candidate: w.name_en or w.candidate for w in record.winners}
    parts = [f"winners {len(declared) - len(missing)}/{len(declared)} as declared"]
    if missing:
        parts.append("declared, not computed: " + ", ".join(names.get(c, c) for c in missing))
        parts.append("computed, not declared: " + ", ".join(extra))
    if after is not None:
        lost, gained = after
        parts.append(f"after the rulings {len(declared) - len(lost)}/{len(declared)}"
                     + (f" (ruled in: {', '.join(names.get(c, c) for c in lost)}; computed instead: "
                        f"{', '.join(names.get(c, c) for c in gained)})" if lost else ""))
    if fill.empty_groups or fill.empty_lists:
        parts.append(f"seats left empty: {dict(fill.empty_groups)} (lists {dict(fill.empty_lists)})")
    status = "match" if not missing and not extra and not fill.empty_lists else "mismatch"
    return WinnerCheck(status, computed, declared, missing, extra, "; ".join(parts), fill, after)
