"""Apply an electoral law to an election's recorded votes: recompute, compare, explain.

This is the first stage of the pipeline (votes → parliament). For each district of
a law's general tier it finds the votes the record holds, decides whether they are
detailed enough for the law's method, allocates the seats exactly, and compares
them with the official seats. Every outcome says why it is what it is, and which
of the law's assumptions it rests on.

Statuses of a district check:

``match``              the law reproduces every official seat of the district;
``mismatch``           it does not (the differing lists are named);
``insufficient-data``  the record lacks what the law needs (the missing piece is named);
``no-official-seats``  the seats can be computed but the record lacks official
                       seats to compare with (or has them only for some lists).

Besides the districts of the general tier, :func:`verify` checks a law's national
compensatory tier (``kind = "compensatory"``) and the seats a source counts for groups
of lists in a district, a community's seats in a governorate say (``kind = "groups"``),
each as a check of its own; :func:`verify_counts` counts the statuses per body and
election.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from muhasasa.errors import DataLevelError, SeatsOnlyError
from muhasasa.exact import fraction_text
from muhasasa.methods import METHODS, Allocation, allocate
from muhasasa.methods.result import frozen_mapping
from muhasasa.packs import PackLike, load
from muhasasa.packs.schema.law import Assumption, District, Law
from muhasasa.packs.schema.record import Election

STATUSES = ("match", "mismatch", "insufficient-data", "no-official-seats")
KINDS = ("district", "compensatory", "groups")


@dataclass(frozen=True)
class SeatDifference:
    """One list whose computed seats differ from the official record."""

    list_id: str
    official: int
    computed: int


@dataclass(frozen=True)
class DistrictCheck:
    """One district of one election under one law: computed seats beside official ones."""

    election: str
    law: str
    district: str
    seats: int | None
    status: str
    detail: str
    votes: Mapping[str, int]
    official: Mapping[str, int]
    allocation: Allocation | None
    differences: tuple[SeatDifference, ...] = ()
    assumptions: tuple[str, ...] = ()
    votes_status: str | None = None
    kind: str = "district"
    #: Seats computed outside ``allocation`` (a compensatory tier's first phase; a
    #: group check's seats per group), added to :attr:`computed`.
    extra_seats: Mapping[str, int] = field(default_factory=lambda: frozen_mapping({}))
    winners: object | None = None  # a muhasasa.winners.WinnerCheck where the law fills seats by candidate

    @property
    def computed(self) -> Mapping[str, int]:
        seats = dict(self.allocation.seats) if self.allocation else {}
        for key, n in self.extra_seats.items():
            seats[key] = seats.get(key, 0) + n
        return frozen_mapping(seats)


@dataclass(frozen=True)
class ListSeats:
    """One list of a parliament: its names, community, national votes (and the published
    share), official and computed seats."""

    list_id: str
    name: str
    community: str | None
    votes: int | None
    seats_official: int | None
    seats_computed: int | None
    name_ar: str | None = None
    vote_share_pct: str | None = None


@dataclass(frozen=True)
class Parliament:
    """An election's parliament: official seats per list, and what the law recomputes.

    ``seats_computed`` of a list is the sum over the districts the engine could
    compute (``computed_districts``); it equals the official national figure only
    when every district the list won seats in is computable.
    """

    election: str
    law: str
    house_size: int
    lists: tuple[ListSeats, ...]
    checks: tuple[DistrictCheck, ...]
    assumptions: tuple[Assumption, ...]
    registered: int | None
    valid_votes: int | None
    note: str
    body: str = ""

    @property
    def seats(self) -> dict[str, int]:
        """Official seats per list (every list of the record, zeros dropped)."""
        return {x.list_id: x.seats_official for x in self.lists if x.seats_official}

    @property
    def computed_districts(self) -> tuple[str, ...]:
        return tuple(c.district for c in self.checks if c.allocation is not None)

    def status_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for check in self.checks:
            counts[check.status] += 1
        return counts


def _district_assumptions(law: Law, district: District) -> tuple[str, ...]:
    about = law.assumptions_about("general") + law.assumptions_about("tie_rule")
    about += tuple(
        a
        for a in law.assumptions
        if a.applies_to == "districts" or a.applies_to.startswith(f"districts[{district.name}]")
    )
    return tuple(dict.fromkeys(a.id for a in about))


def _record_district(election: Election, law: Law, district: District) -> str | None:
    """The record's district matching a law district (same name, or its governorate)."""
    names = {d.district for d in election.districts}
    for candidate in (district.name, district.governorate):
        if candidate in names:
            return candidate
    if law.general.district_plan == "national" and len(names) >= 1:
        national = [d.district for d in election.districts if d.tier == "national"]
        return national[0] if national else None
    return None


def check_district(election: Election, law: Law, district: District, *, seed: int = 0) -> DistrictCheck:
    """Recompute one district of ``law`` on ``election``'s recorded votes and compare."""
    assumptions = _district_assumptions(law, district)
    base = {
        "election": election.id,
        "law": law.id,
        "district": district.name,
        "seats": district.seats,
        "assumptions": assumptions,
    }

    def verdict(status: str, detail: str, **extra) -> DistrictCheck:
        return DistrictCheck(
            status=status,
            detail=detail,
            votes=frozen_mapping(extra.pop("votes", {})),
            official=frozen_mapping(extra.pop("official", {})),
            allocation=extra.pop("allocation", None),
            **base,
            **extra,
        )

    method = METHODS[law.general.method]
    if district.seats is None:
        return verdict("insufficient-data", "the district's number of seats is not in the record")
    if method.unit == "candidate":
        return verdict(
            "insufficient-data",
            f"{law.general.method} needs every candidate's votes in the district; "
            "the record holds no candidate-level results for it",
        )
    record_name = _record_district(election, law, district)
    results = election.district_votes(record_name) if record_name else None
    if results is None or not results.itemized_votes:
        has_seats = results is not None and bool(results.official_seats)
        return verdict(
            "insufficient-data",
            "the record has official seats but no list votes for this district"
            if has_seats
            else "no list votes for this district in the record",
            official=results.official_seats if results else {},
        )
    votes = results.itemized_votes
    official = results.official_seats
    statuses = {r.votes_status for r in results.rows if r.votes is not None}
    votes_status = "/".join(sorted(s for s in statuses if s)) or None
    base["votes_status"] = votes_status
    winners_without_votes = sorted(p for p, s in official.items() if s and p not in votes)
    if winners_without_votes:
        return verdict(
            "insufficient-data",
            "votes unknown for seat-winning list(s) " + ", ".join(winners_without_votes),
            votes=votes,
            official=official,
        )
    residual = results.residual_votes
    needs_total = method.family == "quota" or _threshold_needs_total(law.general.threshold)
    if needs_total and residual is None and results.itemization != "complete":
        return verdict(
            "insufficient-data",
            "the valid-vote total of the district is unknown, and "
            f"{law.general.method} with threshold {law.general.threshold or 'none'} depends on it",
            votes=votes,
            official=official,
        )
    allocation = allocate(
        votes,
        district.seats,
        method=law.general.method,
        threshold=law.general.threshold,
        residual_votes=residual or 0,
        tie_break=law.tie_rule,
        seed=seed,
        **law.general.params,
    )
    reliable = results.itemization in ("complete", "seat-winners") or results.official_seats_complete
    caveat = (
        ""
        if reliable
        else f" Itemization is {results.itemization}: lists missing from the record may have won seats."
    )
    robustness = _robustness_note(allocation, law, residual)
    if not official and not reliable:
        return verdict(
            "insufficient-data",
            "only some lists are itemized and no "
            "official seats are known, so a computation could hand missing lists' seats to others",
            votes=votes,
        )
    if not official:
        return verdict(
            "no-official-seats",
            "computed; the record has no official seats per list for this district. " + robustness,
            votes=votes, allocation=allocation,
        )
    differences = tuple(
        SeatDifference(p, s, allocation.seats.get(p, 0))
        for p, s in official.items()
        if allocation.seats.get(p, 0) != s
    )
    listed = ", ".join(f"{d.list_id} official {d.official} computed {d.computed}" for d in differences)
    if differences and not reliable:
        return verdict(
            "insufficient-data",
            f"computed seats differ ({listed}), but the seat-winning lists are not all itemized "
            f"(itemization {results.itemization}), so the difference may lie with missing lists",
            votes=votes, official=official,
        )
    if differences:
        return verdict("mismatch", listed, votes=votes, official=official,
                       allocation=allocation, differences=differences)
    if not results.official_seats_complete:
        known = sum(official.values())
        return verdict(
            "no-official-seats",
            f"official seats known only for {', '.join(official)} ({known} of {district.seats}); "
            f"those agree with the computation.{caveat} {robustness}".strip(),
            votes=votes, official=official, allocation=allocation,
        )
    return verdict(
        "match",
        robustness or "every official seat reproduced",
        votes=votes, official=official, allocation=allocation,
    )


def check_seat_scopes(election: Election, checks: tuple[DistrictCheck, ...]) -> tuple[DistrictCheck, ...]:
    """Complete partial district checks with the record's seat-scope premises.

    Where per-district seats of some lists were never published but all their
    national seats were won in a known group of districts, the group's computed
    seats are compared with those national totals; each district of the group is
    then a ``match`` (or ``mismatch``) that names the premise it rests on.
    """
    by_group: dict[tuple[str, ...], list] = {}
    for scope in election.seat_scopes:
        by_group.setdefault(tuple(sorted(scope.districts)), []).append(scope)
    updated = {c.district: c for c in checks}
    for group, scopes in by_group.items():
        members = [updated.get(d) for d in group]
        if any(c is None or c.allocation is None or c.status not in ("no-official-seats", "match")
               for c in members):
            continue
        scoped = {s.list_id for s in scopes}
        uncovered = [
            (c.district, p) for c in members for p, n in c.computed.items()
            if n and p not in c.official and p not in scoped
        ]
        if uncovered:
            continue
        national = {x.list_id: x.seats for x in election.lists}
        totals = {lid: sum(c.computed.get(lid, 0) for c in members) for lid in sorted(scoped)}
        wrong = {lid: (national[lid], n) for lid, n in totals.items() if n != national[lid]}
        where = " + ".join(group)
        premise = f"premise: {scopes[0].premise.split(' were won')[0].replace(scopes[0].list_id, '')}"
        detail = (
            f"per-district official seats agree; {', '.join(sorted(scoped))} agree with their national "
            f"totals over {where} (premise in seat_scopes.csv: all their seats were won there)"
        )
        status = "match"
        differences: tuple[SeatDifference, ...] = ()
        if wrong:
            status = "mismatch"
            differences = tuple(SeatDifference(lid, o, n) for lid, (o, n) in wrong.items())
            detail = "over " + where + ": " + ", ".join(
                f"{lid} national {o} computed {n}" for lid, (o, n) in wrong.items()
            )
        del premise
        for c in members:
            updated[c.district] = DistrictCheck(
                election=c.election, law=c.law, district=c.district, seats=c.seats,
                status=status, detail=detail, votes=c.votes, official=c.official,
                allocation=c.allocation, differences=differences,
                assumptions=c.assumptions + ("seat-scope:" + "|".join(group),),
                votes_status=c.votes_status,
            )
    return tuple(updated[c.district] for c in checks)


def _threshold_needs_total(threshold: str | None) -> bool:
    text = (threshold or "none").strip().lower()
    return text.endswith("%") or "quota" in text


def _robustness_note(allocation: Allocation, law: Law, residual: int | None) -> str:
    """How many votes an unitemized list would have needed to change the result."""
    last = allocation.last_award
    if last is None or allocation.quota is not None or last.basis != "quotient":
        if allocation.threshold is not None and residual and residual >= allocation.threshold:
            return (
                f"Holds unless an unitemized list reached the threshold of "
                f"{fraction_text(allocation.threshold)} votes ({residual} unitemized valid votes "
                "are counted in the threshold and the quota)."
            )
        if residual:
            return f"Certain: {residual} unitemized valid votes counted in the quota."
        return ""
    first = law.general.exact("first_divisor") if "first_divisor" in law.general.params else Fraction(1)
    needed = int(last.value * first) + 1
    if residual is None:
        return (
            f"Holds unless an unitemized list had at least {needed} votes "
            f"(last seat at quotient {fraction_text(last.value)})."
        )
    if residual < needed:
        return f"Certain: the {residual} unitemized votes cannot reach the {needed} a seat needed."
    return (
        f"Holds unless one unitemized list had at least {needed} of the {residual} "
        "unitemized votes."
    )


def parliament(election_id: str, law_id: str | None = None, *, seed: int = 0, pack: PackLike = None) -> Parliament:
    """The parliament of an election: official seats, and the law's recomputation.

    With ``law_id`` the same votes are recomputed under another law of the pack where
    the data level allows; otherwise :class:`~muhasasa.errors.DataLevelError` says
    which data that law needs.
    """
    chosen = load(pack)
    election = chosen.election(election_id)
    if election.seats_only and not chosen.laws_for(election_id):
        if law_id is not None:
            raise SeatsOnlyError(election_id, f"law {law_id} has no votes to recompute", field="law")
        return _declared(election)
    own = chosen.law_of(election_id)
    law = chosen.law(law_id) if law_id else own
    if law.general.data_level == "candidate" and law.id != own.id:
        raise DataLevelError(
            f"law {law.id} ({law.general.method}) needs candidate-level votes in each of its "
            f"{len(law.districts)} districts; the record of {election_id} has list votes only"
        )
    if law.general.district_plan == "national" and law.id != own.id:
        checks = (_national_check(election, law, seed=seed),)
    else:
        checks = tuple(check_district(election, law, d, seed=seed) for d in law.districts)
        if law.id == own.id:
            checks = check_seat_scopes(election, checks)
    computed: dict[str, int] = {}
    for check in checks:
        for party, seats in check.computed.items():
            computed[party] = computed.get(party, 0) + seats
    rows = [
        ListSeats(
            list_id=x.list_id,
            name=x.name_en,
            community=x.community,
            votes=x.votes,
            seats_official=x.seats,
            seats_computed=computed.get(x.list_id) if checks and any(c.allocation for c in checks) else None,
            name_ar=x.name_ar,
            vote_share_pct=x.vote_share_pct,
        )
        for x in election.lists
    ]
    note = (
        f"seats computed under law {law.id} in {sum(1 for c in checks if c.allocation)} of "
        f"{len(checks)} districts"
    )
    if law.id != own.id:
        note += f"; the election was held under law {own.id}"
    used = {a for c in checks if c.allocation for a in c.assumptions}
    return Parliament(
        election=election_id,
        law=law.id,
        house_size=election.house_size,
        lists=tuple(rows),
        checks=checks,
        assumptions=tuple(a for a in law.assumptions if a.id in used),
        registered=election.registered,
        valid_votes=election.valid_votes,
        note=note,
        body=election.body,
    )


def _declared(election: Election) -> Parliament:
    """The parliament of a seats-only election: the declared seats, no law, nothing computed."""
    rows = tuple(
        ListSeats(list_id=x.list_id, name=x.name_en, community=x.community, votes=None, seats_official=x.seats,
                  seats_computed=None, name_ar=x.name_ar, vote_share_pct=x.vote_share_pct)
        for x in election.lists
    )
    return Parliament(election=election.id, law="", house_size=election.house_size, lists=rows, checks=(),
                      assumptions=(), registered=election.registered, valid_votes=election.valid_votes,
                      note="declared seats only: the record holds no votes, so no law recomputes them",
                      body=election.body)


def _national_check(election: Election, law: Law, *, seed: int) -> DistrictCheck:
    """Approximate single-district allocation on national totals (clearly labelled)."""
    district = law.districts[0]
    votes = {x.list_id: x.votes for x in election.lists if x.votes is not None}
    missing = [x.list_id for x in election.lists if x.votes is None and x.seats]
    common = {
        "election": election.id, "law": law.id, "district": district.name,
        "seats": district.seats, "assumptions": _district_assumptions(law, district),
        "official": frozen_mapping({}),
    }
    if missing:
        return DistrictCheck(
            status="insufficient-data",
            detail=(
                f"law {law.id} is one national district; national votes are missing for "
                f"{len(missing)} seat-winning lists ({', '.join(missing[:5])}"
                f"{', …' if len(missing) > 5 else ''})"
            ),
            votes=frozen_mapping(votes), allocation=None, **common,
        )
    if election.valid_votes is None:
        return DistrictCheck(status="insufficient-data", detail="national valid-vote total unknown",
                             votes=frozen_mapping(votes), allocation=None, **common)
    residual = election.valid_votes - sum(votes.values())
    allocation = allocate(
        votes, district.seats, method=law.general.method,
        threshold=law.general.threshold, residual_votes=max(residual, 0),
        tie_break=law.tie_rule, seed=seed, **law.general.params,
    )
    return DistrictCheck(
        status="no-official-seats",
        detail=(
            f"approximate: {election.id}'s national votes as one national district of "
            f"{district.seats} seats under law {law.id} ({residual} unitemized votes counted)"
        ),
        votes=frozen_mapping(votes), allocation=allocation, **common,
    )


def _compare(official: Mapping[str, int], computed: Mapping[str, int]) -> tuple[SeatDifference, ...]:
    keys = list(dict.fromkeys([*official, *(k for k, n in computed.items() if n)]))
    return tuple(SeatDifference(k, official.get(k, 0), computed.get(k, 0)) for k in keys
                 if official.get(k, 0) != computed.get(k, 0))


def check_compensatory(election: Election, law: Law, *, seed: int = 0) -> DistrictCheck | None:
    """The law's national compensatory tier recomputed from the lists' national votes and
    compared with the record's compensatory seats; None when the law has no such tier.

    A list's district seats are its national seats less its compensatory seats, so the
    record must give every list's compensatory seats (zeros included). Rows whose seats
    are held one by one (reserved seats, independents) are not lists and take no part.
    """
    tier = law.compensatory
    names = [d.district for d in election.districts if d.tier == "national-compensatory"]
    if tier is None or not names:
        return None
    base = {"election": election.id, "law": law.id, "district": names[0], "seats": tier.seats,
            "assumptions": (tier.assumption,) if tier.assumption else (), "kind": "compensatory"}
    results = election.district_votes(names[0])
    official = dict(results.official_seats) if results else {}
    if results is None or not results.official_seats_complete:
        return DistrictCheck(status="insufficient-data", allocation=None, votes=frozen_mapping({}),
                             official=frozen_mapping(official),
                             detail="the record does not give every list's compensatory seats, so the lists' "
                                    "district seats (national seats less compensatory) are unknown", **base)
    lists = [x for x in election.lists if not x.individual_seats]
    district_seats = {x.list_id: x.seats - official.get(x.list_id, 0) for x in lists}
    unknown = sorted(set(official) - set(district_seats))
    if unknown:
        return DistrictCheck(status="insufficient-data", allocation=None, votes=frozen_mapping({}),
                             official=frozen_mapping(official),
                             detail=f"compensatory seats of list(s) without a national row: {', '.join(unknown)}",
                             **base)
    votes = {x.list_id: x.votes for x in lists if x.votes is not None}
    missing = [x.list_id for x in lists if x.votes is None]
    if missing:
        return DistrictCheck(status="insufficient-data", allocation=None, votes=frozen_mapping(votes),
                             official=frozen_mapping(official),
                             detail=f"national votes unknown for {', '.join(missing)}", **base)
    first: dict[str, int] = {}
    steps: list[str] = []
    if tier.first_phase == "unseated-national-quota":
        if election.valid_votes is None:
            return DistrictCheck(status="insufficient-data", allocation=None, votes=frozen_mapping(votes),
                                 official=frozen_mapping(official),
                                 detail="the national valid-vote total, which sets the national quota of the "
                                        "first phase, is unknown", **base)
        for lid, v in votes.items():
            if district_seats[lid] == 0 and v * election.house_size >= election.valid_votes:
                first[lid] = v * election.house_size // election.valid_votes
        quota = Fraction(election.valid_votes, election.house_size)
        taken = ", ".join(f"{k} {n}" for k, n in first.items()) or "none"
        steps.append(f"first phase (lists without a district seat, one seat per national quota "
                     f"{fraction_text(quota)}): {taken}")
    pool = {lid: v for lid, v in votes.items()
            if lid not in first and (tier.eligible == "all" or district_seats[lid] > 0)}
    residual = 0
    if tier.eligible == "all":
        if election.valid_votes is None:
            return DistrictCheck(status="insufficient-data", allocation=None, votes=frozen_mapping(votes),
                                 official=frozen_mapping(official),
                                 detail="every list shares this tier, and the national valid-vote total is "
                                        "unknown", **base)
        residual = max(election.valid_votes - sum(votes.values()), 0)
    remaining = tier.seats - sum(first.values())
    allocation = allocate(pool, remaining, method=tier.method, residual_votes=residual,
                          tie_break=law.tie_rule, seed=seed, **tier.params)
    params = "".join(f" {k}={v}" for k, v in tier.params.items())
    steps.append(f"{remaining} seats by {tier.method}{params} among {len(pool)} "
                 f"{'district-seat winners' if tier.eligible != 'all' else 'lists'} on their national votes")
    check = DistrictCheck(status="match", detail="", allocation=allocation, votes=frozen_mapping(votes),
                          official=frozen_mapping(official), extra_seats=frozen_mapping(first), **base)
    differences = _compare(official, check.computed)
    listed = ", ".join(f"{d.list_id} official {d.official} computed {d.computed}" for d in differences)
    status = "mismatch" if differences else "match"
    detail = "; ".join(steps) + (f". Differs: {listed}" if differences
                                 else f". Every list's compensatory seats reproduced ({len(official)} lists)")
    derived = sorted(r.list_id for r in results.rows if r.seats_status == "derived")
    if derived:
        detail += f" (the record's compensatory seats of {', '.join(derived)} are DERIVED, not printed by a source)"
    return DistrictCheck(status=status, detail=detail, allocation=allocation, votes=frozen_mapping(votes),
                         official=frozen_mapping(official), extra_seats=frozen_mapping(first),
                         differences=differences, **base)


def check_groups(election: Election, checks: Sequence[DistrictCheck]) -> tuple[DistrictCheck, ...]:
    """The seats a source counts for groups of lists in a district (a community's seats in a
    governorate) beside the seats the district check computed for the same lists.

    ``match`` needs the groups to cover every seat of the district and every list the
    computation seats to be in a group; a list seated outside every group makes the check
    ``insufficient-data``; groups covering only part of the seats give ``no-official-seats``.
    """
    by_key: dict[tuple[str, str], list] = {}
    for row in election.group_seats:
        by_key.setdefault((row.district, row.grouping), []).append(row)
    district_checks = {c.district: c for c in checks if c.kind == "district"}
    out: list[DistrictCheck] = []
    for (district, grouping), rows in by_key.items():
        base = district_checks.get(district)
        official = {r.group: r.seats for r in rows}
        plan = election.district(district)
        common = {"election": election.id, "law": base.law if base else "", "district": f"{district} by {grouping}",
                  "seats": plan.general_seats, "kind": "groups",
                  "assumptions": base.assumptions if base else (), "votes_status": base.votes_status if base else None,
                  "official": frozen_mapping(official)}
        if base is None or base.allocation is None:
            why = base.detail if base else "the district is not checked"
            out.append(DistrictCheck(status="insufficient-data", detail=f"the district's seats cannot be computed: {why}",
                                     votes=frozen_mapping({}), allocation=None, **common))
            continue
        seats = base.computed
        member = {lid: r.group for r in rows for lid in r.lists}
        computed = {r.group: sum(seats.get(lid, 0) for lid in r.lists) for r in rows}
        outside = sorted(lid for lid, n in seats.items() if n and lid not in member)
        shown = ", ".join(f"{g} {computed[g]}" for g in official)
        votes = frozen_mapping({g: sum(base.votes.get(lid, 0) for lid in r.lists) for g, r in
                                ((r.group, r) for r in rows)})
        if outside:
            out.append(DistrictCheck(status="insufficient-data", votes=votes, allocation=None,
                                     detail=f"computed seats of list(s) in no {grouping} group: {', '.join(outside)}",
                                     **common))
            continue
        differences = _compare(official, computed)
        complete = sum(official.values()) == plan.general_seats
        basis = {r.lists_basis for r in rows}
        note = " (which lists form each group is the record's editorial reading)" if "editorial" in basis else ""
        if differences:
            status = "mismatch"
            detail = ", ".join(f"{d.list_id} official {d.official} computed {d.computed}" for d in differences)
        elif complete:
            status = "match"
            detail = f"seats by {grouping} reproduced: {shown}{note}. District: {base.detail}"
        else:
            status = "no-official-seats"
            detail = (f"groups hold {sum(official.values())} of {plan.general_seats} seats; those agree: "
                      f"{shown}{note}")
        out.append(DistrictCheck(status=status, detail=detail, votes=votes, allocation=None,
                                 extra_seats=frozen_mapping(computed), differences=differences, **common))
    return tuple(out)


def verify(*, seed: int = 0, pack: PackLike = None, body: str | None = None) -> tuple[DistrictCheck, ...]:
    """Every district-election of the record (of one body, or of every body) under its own
    law: the project's proof that it follows the law where the data allows, and what is
    missing elsewhere. Each election's district checks are followed by its compensatory
    tier's check and its group checks, where the law and the record have them. A seats-only
    election (declared seats, no votes) has nothing to check and is left out."""
    chosen = load(pack)
    record = chosen.body_record(body) if body is not None else chosen.record()
    checks: list[DistrictCheck] = []
    for election in record.elections:
        if election.seats_only:  # declared seats, no votes: nothing to recompute
            continue
        law = chosen.law_of(election.id)
        districts = check_seat_scopes(
            election, tuple(check_district(election, law, d, seed=seed) for d in law.districts))
        if law.candidates is not None:
            candidates = chosen.candidate_record(election.body)
            districts = tuple(_with_winners(c, law, candidates, seed) for c in districts)
        checks.extend(districts)
        tier = check_compensatory(election, law, seed=seed)
        if tier is not None:
            checks.append(tier)
        checks.extend(check_groups(election, districts))
    return tuple(checks)


@dataclass(frozen=True)
class VerifyCount:
    """How the checks of one election of one body came out: a count per status."""

    body: str
    election: str
    counts: Mapping[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def verify_counts(checks: Sequence[DistrictCheck] | None = None, *, seed: int = 0, pack: PackLike = None,
                  body: str | None = None) -> tuple[VerifyCount, ...]:
    """Match / mismatch / insufficient-data / no-official-seats counted per body and
    election (of ``checks``, or of a fresh :func:`verify`), in the record's order."""
    chosen = load(pack)
    if checks is None:
        checks = verify(seed=seed, pack=chosen, body=body)
    counts: dict[str, dict[str, int]] = {}
    for check in checks:
        counts.setdefault(check.election, dict.fromkeys(STATUSES, 0))[check.status] += 1
    return tuple(VerifyCount(chosen.body_of(eid).id, eid, frozen_mapping(c)) for eid, c in counts.items())


def _with_winners(check: DistrictCheck, law: Law, candidates, seed: int) -> DistrictCheck:
    """A check with the law's candidate tier run on its computed list seats, where the
    record has the district's candidate votes."""
    from dataclasses import replace

    from muhasasa.winners import check_winners

    record = candidates.district(check.election, check.district) if candidates else None
    if check.allocation is None or record is None:
        return check
    winners = check_winners(law, check.allocation, record, seed=seed)
    return replace(check, winners=winners, detail=f"{check.detail} {winners.detail}".strip())
