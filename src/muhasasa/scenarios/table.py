"""The base vote table of a scenario: what the record holds for the base election, at the
level the law and the record allow (see :class:`~muhasasa.scenarios.spec.VoteTable`)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from muhasasa import packs
from muhasasa.errors import InputError, UnknownNameError
from muhasasa.exact import to_fraction
from muhasasa.methods import METHODS
from muhasasa.packs.schema.law import Law
from muhasasa.packs.schema.record import Election
from muhasasa.scenarios.spec import (
    MINORITY_LIST,
    NATIONAL,
    PSEUDO_LISTS,
    UNCLASSIFIED,
    Place,
    VoteTable,
)

__all__ = ["build_table", "turnout_rate"]

# --------------------------------------------------------------------------- the base table


def _needs_total(law: Law) -> bool:
    threshold = (law.general.threshold or "none").strip().lower()
    quota_all = METHODS[law.general.method].family == "quota" and law.general.params.get("quota_base") != "eligible"
    return threshold.endswith("%") or "quota" in threshold or quota_all


def _community(election: Election, list_id: str) -> str:
    for x in election.lists:
        if x.list_id == list_id:
            return x.community or UNCLASSIFIED
    return UNCLASSIFIED


def _name(election: Election, list_id: str) -> str:
    if list_id == MINORITY_LIST:
        return "Reserved minority seats"
    try:
        return packs.load().record().list_name(election.id, list_id)
    except UnknownNameError:
        return list_id


def turnout_rate(cast: int | None, registered: int | None) -> Fraction | None:
    if cast and registered:
        return Fraction(cast * 100, registered)
    return None


def build_table(election: Election, law: Law, own: Law, level: str, law_place: Place, level_place: Place) -> VoteTable:
    method = METHODS[law.general.method]
    if method.unit == "candidate" or law.general.data_level == "candidate":
        if law.id == own.id:
            return _official_table(
                election, law,
                f"law {law.id} ({law.general.method}) allocates seats to candidates and the record of "
                f"{election.id} holds no candidate votes")
        raise law_place.error(
            f"law {law.id} ({law.general.method}) needs candidate-level votes in each of its "
            f"{len(law.districts)} districts; the record of {election.id} has list votes only")
    if law.general.district_plan == "national":
        if own.general.district_plan == "national" and level != "governorate":
            exact = _governorate_table(election, law, own, require_all=True)
            if exact is not None:
                return exact
        if level == "governorate":
            raise level_place.error(f"law {law.id} is one national district; level = \"governorate\" does not apply")
        return _national_table(election, law, f"law {law.id} is one national district")
    if level == "national":
        return _national_table(election, law, "level = \"national\" was asked for")
    if law.compensatory is not None:
        if level == "governorate":
            raise level_place.error(f"law {law.id} has a national compensatory tier of {law.compensatory.seats} "
                                    "seats, which the governorate level does not model; use level = \"national\"")
        return _national_table(election, law, f"law {law.id}'s compensatory tier is modelled as part of one "
                                              "national district")
    same_plan = {d.governorate or d.name for d in law.districts} == {d.district for d in election.districts
                                                                      if d.tier == "governorate"}
    if not same_plan:
        if level == "governorate":
            raise level_place.error(f"law {law.id}'s districts are not the governorates of {election.id}'s record")
        return _national_table(election, law, f"law {law.id}'s districts differ from the record's")
    exact = _governorate_table(election, law, own, require_all=True)
    if exact is not None:
        return exact
    if level == "governorate":
        partial = _governorate_table(election, law, own, require_all=False)
        if partial is None:
            raise level_place.error(f"no district of {election.id} has governorate votes complete enough to "
                                    "simulate; use level = \"national\" (approximate)")
        return partial
    return _national_table(election, law, f"the record of {election.id} lacks complete governorate votes "
                                          f"(use level = \"governorate\" to simulate the districts it has)")


def _usable_checks(election: Election, own: Law):
    """The own-law checks of the districts whose record votes can be simulated, by district."""
    from muhasasa.elections import parliament

    parl = parliament(election.id)
    usable = {}
    for check in parl.checks:
        dv = election.district_votes(check.district) if check.district in {d.district for d in election.districts} \
            else None
        if check.allocation is None or dv is None:
            continue
        if check.status not in ("match", "no-official-seats"):
            continue
        if dv.itemization not in ("complete", "seat-winners"):
            continue
        usable[check.district] = (check, dv)
    return usable


def _governorate_table(election: Election, law: Law, own: Law, *, require_all: bool) -> VoteTable | None:
    usable = _usable_checks(election, own)
    plan = [(d.name, d.seats) for d in law.districts]
    reasons: list[str] = []
    notes: list[str] = []
    chosen = []
    for name, seats in plan:
        if name not in usable:
            continue
        check, dv = usable[name]
        if _needs_total(law) and dv.residual_votes is None and dv.itemization != "complete":
            notes.append(f"{name} held: law {law.id} needs the district's valid-vote total, which the record lacks")
            continue
        chosen.append((name, seats, check, dv))
    if require_all and len(chosen) != len(plan):
        return None
    if not chosen:
        return None
    national = {x.list_id: x.seats for x in election.lists}
    while True:
        held = dict(national)
        for name, _seats, check, _dv in chosen:
            for list_id, n in check.computed.items():
                held[list_id] = held.get(list_id, 0) - n
        negative = sorted(k for k, v in held.items() if v < 0)
        if not negative:
            break
        drop = [c for c in chosen if any(c[2].computed.get(k, 0) for k in negative)]
        for c in drop:
            notes.append(f"{c[0]} held: its computed seats of {', '.join(negative)} exceed the national "
                         "seats left for it")
        chosen = [c for c in chosen if c not in drop]
        if not chosen:
            return None
    list_ids: list[str] = []
    for _name_, _seats, _check, dv in chosen:
        for list_id in dv.itemized_votes:
            if list_id not in list_ids:
                list_ids.append(list_id)
    for list_id, n in held.items():
        if n and list_id not in list_ids:
            list_ids.append(list_id)
    votes = np.zeros((len(chosen), len(list_ids)), dtype=np.int64)
    residual = np.zeros(len(chosen), dtype=np.int64)
    for d, (_name_, _seats, _check, dv) in enumerate(chosen):
        for list_id, v in dv.itemized_votes.items():
            votes[d, list_ids.index(list_id)] = v
        residual[d] = dv.residual_votes or 0
    held_arr = np.array([held.get(list_id, 0) for list_id in list_ids], dtype=np.int64)
    held_districts = tuple(name for name, _ in plan if name not in {c[0] for c in chosen})
    exact = not held_districts and election.seats_complete
    if held_districts:
        reasons.append(
            f"{len(chosen)} of {len(plan)} districts have governorate votes complete enough to simulate "
            f"({', '.join(c[0] for c in chosen)}); the other {len(held_districts)} "
            f"({sum(s or 0 for n, s in plan if n in held_districts)} general seats, plus the reserved seats) are "
            f"held at their official seats{' under law ' + own.id if law.id != own.id else ''} "
            "and carry no uncertainty")
    if not election.seats_complete:
        reasons.append(f"the record's national seats of {election.id} are partial")
        exact = False
    for name, _seats, check, dv in chosen:
        if not dv.official_seats_complete:
            notes.append(f"{name}: official seats per list are not all published; the law's computation is used")
        if dv.residual_votes is None:
            notes.append(f"{name}: the valid-vote total is unknown; unitemized votes are not counted")
    seats = np.array([s or 0 for n, s in plan if n in {c[0] for c in chosen}], dtype=np.int64)
    # keep the law's district order
    order = [n for n, _ in plan if n in {c[0] for c in chosen}]
    index = [next(i for i, c in enumerate(chosen) if c[0] == n) for n in order]
    votes, residual = votes[index], residual[index]
    turnout = tuple(turnout_rate(chosen[i][3].votes_cast, chosen[i][3].registered) for i in index)
    level = "national" if law.general.district_plan == "national" else "governorate"
    return VoteTable(
        election=election.id, law=law, level=level, exact=bool(exact and not reasons),
        basis="the record's governorate x list votes", reasons=tuple(reasons), notes=tuple(notes),
        districts=tuple(order), lists=tuple(list_ids), names=tuple(_name(election, x) for x in list_ids),
        communities=tuple(_community(election, x) for x in list_ids), votes=votes, residual=residual,
        seats=seats, held=held_arr, held_districts=held_districts, turnout=turnout,
    )


def _national_table(election: Election, law: Law, why: str) -> VoteTable:
    lists = [x for x in election.lists if x.list_id not in PSEUDO_LISTS]
    pseudo = [x for x in election.lists if x.list_id in PSEUDO_LISTS]
    seats = law.general_seats + law.compensatory_seats
    reasons = [(f"one national district of {seats} seats under law {law.id}'s method ({law.general.method}) "
                f"because {why}")]
    notes: list[str] = []
    if all(x.votes is not None for x in lists):
        votes = {x.list_id: x.votes for x in lists}
        total = election.valid_votes
        basis = "national votes per list"
    elif all(x.vote_share_pct is not None for x in lists):
        total = election.valid_votes or election.votes_cast
        if total is None:
            raise InputError(f"record {election.id}", "neither valid nor cast votes are known to turn vote shares "
                                                       "into votes")
        what = "valid" if election.valid_votes else "cast"
        votes = {x.list_id: int(to_fraction(x.vote_share_pct) * total / 100) for x in lists}
        basis = f"published vote shares x {total} {what} votes"
        reasons.append(f"{election.id}'s votes per list are not all itemized, so votes are vote shares x the "
                       f"{total} {what} votes")
    else:
        with_both = [x for x in lists if x.votes is not None and x.vote_share_pct is not None]
        total = election.valid_votes or (
            int(sum(x.votes for x in with_both) * 100 / sum(to_fraction(x.vote_share_pct) for x in with_both))
            if with_both else election.votes_cast)
        votes = {}
        for x in lists:
            if x.votes is not None:
                votes[x.list_id] = x.votes
            elif x.vote_share_pct is not None and total:
                votes[x.list_id] = int(to_fraction(x.vote_share_pct) * total / 100)
            else:
                notes.append(f"{x.list_id}: no votes or vote share in the record; left out")
        basis = "national votes where known, else vote shares x an implied valid total"
        reasons.append("national votes are known for some lists only; the others are vote shares x "
                       f"{total} valid votes implied by the lists with both")
    itemized = sum(votes.values())
    residual = max((total or itemized) - itemized, 0)
    for x in pseudo:
        share = f" ({x.vote_share_pct}% of the vote)" if x.vote_share_pct else ""
        if x.list_id == "independents":
            reasons.append(f"the {x.seats} seats of independents{share} are contested by lists here; "
                           "their votes are kept out (counted in totals only), as they stood as individuals")
    held = {}
    if law.minority_seat_total:
        held[MINORITY_LIST] = law.minority_seat_total
        notes.append(f"the {law.minority_seat_total} reserved minority seats of law {law.id} are held "
                     f"(player {MINORITY_LIST!r})")
    list_ids = list(votes) + [k for k in held if k not in votes]
    vote_row = np.array([[votes.get(x, 0) for x in list_ids]], dtype=np.int64)
    held_arr = np.array([held.get(x, 0) for x in list_ids], dtype=np.int64)
    return VoteTable(
        election=election.id, law=law, level="national", exact=False, basis=basis, reasons=tuple(reasons),
        notes=tuple(notes), districts=(NATIONAL,), lists=tuple(list_ids),
        names=tuple(_name(election, x) for x in list_ids),
        communities=tuple(_community(election, x) for x in list_ids), votes=vote_row,
        residual=np.array([residual], dtype=np.int64),
        seats=np.array([law.general_seats + law.compensatory_seats], dtype=np.int64), held=held_arr,
        held_districts=(), turnout=(turnout_rate(election.votes_cast, election.registered),),
    )


def _official_table(election: Election, law: Law, why: str) -> VoteTable:
    list_ids = [x.list_id for x in election.lists if x.seats]
    return VoteTable(
        election=election.id, law=law, level="official", exact=election.seats_complete,
        basis="the record's official seats", reasons=(why,),
        notes=("the official seats are held; blocs, games and formation are simulated",),
        districts=(), lists=tuple(list_ids), names=tuple(_name(election, x) for x in list_ids),
        communities=tuple(_community(election, x) for x in list_ids),
        votes=np.zeros((0, len(list_ids)), dtype=np.int64), residual=np.zeros(0, dtype=np.int64),
        seats=np.zeros(0, dtype=np.int64),
        held=np.array([election.list(x).seats for x in list_ids], dtype=np.int64), held_districts=(),
        turnout=(),
    )

