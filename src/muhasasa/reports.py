"""Tidy tables at the edge: results of the library as rows (dicts) and short texts.

The CLI and the web app render these; nothing here decides a seat.
"""

from __future__ import annotations

from collections.abc import Sequence

from muhasasa.elections import STATUSES, DistrictCheck, Parliament, parliament
from muhasasa.errors import InputError, SeatsOnlyError, TieError
from muhasasa.exact import fraction_text
from muhasasa.methods.reserved import women_seats_required
from muhasasa.packs import PackLike, load
from muhasasa.parliament.metrics import compute_metrics


def list_rows(parl: Parliament, *, pack: PackLike = None) -> list[dict]:
    """One row per list: national votes, official seats and recomputed seats."""
    election = load(pack).record().election(parl.election)
    shares = {x.list_id: x.vote_share_pct for x in election.lists}
    return [
        {
            "list": x.list_id,
            "name": x.name,
            "community": x.community,
            "votes": x.votes,
            "vote_share_pct": shares.get(x.list_id),
            "seats_official": x.seats_official,
            "seats_computed": x.seats_computed,
        }
        for x in sorted(parl.lists, key=lambda x: -(x.seats_official or 0))
    ]


def district_rows(parl: Parliament, *, pack: PackLike = None) -> list[dict]:
    """``election,district,list,votes,seats_official,seats_computed,status`` rows: of the
    recomputation, or, for a parliament of declared seats only (no law, no checks), the
    record's declared seats per district (no votes, nothing computed, no status)."""
    if not parl.law and not parl.checks:
        return [{"election": parl.election, "district": dv.district, "list": party, "votes": None,
                 "seats_official": n, "seats_computed": None, "status": None}
                for dv in load(pack).election(parl.election).district_results
                for party, n in dv.official_seats.items()]
    rows = []
    for check in parl.checks:
        parties = list(dict.fromkeys([*check.votes, *check.official, *check.computed]))
        if not parties:
            parties = [None]
        for party in parties:
            rows.append(
                {
                    "election": parl.election,
                    "district": check.district,
                    "list": party,
                    "votes": check.votes.get(party) if party else None,
                    "seats_official": check.official.get(party) if party else None,
                    "seats_computed": check.computed.get(party) if check.allocation and party else None,
                    "status": check.status,
                }
            )
    return rows


def summary(parl: Parliament, *, pack: PackLike = None) -> dict:
    """Title and closing lines for the table view of a parliament."""
    counts = parl.status_counts()
    seated = sum(x.seats_official or 0 for x in parl.lists)
    lines = [
        "",
        f"official seats: {seated} of {parl.house_size}"
        + ("" if seated == parl.house_size else " (the record's list table is partial)"),
        f"recomputation: {parl.note}"
        + ("; districts " + ", ".join(f"{k} {v}" for k, v in counts.items() if v) if parl.checks else ""),
    ]
    for check in parl.checks:
        if check.allocation is None:
            continue
        seats = ", ".join(
            f"{p} {check.official.get(p, '?')}/{n}"
            for p, n in sorted(check.computed.items(), key=lambda kv: -kv[1])
            if n or check.official.get(p)
        )
        lines.append(f"  {check.district} ({check.seats}): {check.status.upper()}  official/computed: {seats}")
        lines.append(f"      {check.detail}")
    missing: dict[str, list[str]] = {}
    for check in parl.checks:
        if check.allocation is None:
            missing.setdefault(check.detail, []).append(check.district)
    for detail, districts in missing.items():
        where = ", ".join(districts) if len(districts) <= 4 else f"{len(districts)} districts"
        lines.append(f"  not computed ({where}): {detail}")
    election = load(pack).record().election(parl.election)
    if election.minority_seats:
        by_community: dict[str, int] = {}
        for m in election.minority_seats:
            by_community[m.community] = by_community.get(m.community, 0) + m.seats
        lines.append(
            "reserved minority seats: "
            + ", ".join(f"{c} {n}" for c, n in by_community.items())
        )
    m = _official_metrics(parl.election, pack=pack)
    if m.missing_votes and not parl.law:  # declared seats only: no votes will ever be found
        lines.append(f"metrics: effective number of parties by seats {fraction_text(m.enp_seats)}; "
                     f"vote-based metrics need votes, and the record of {parl.election} holds declared seats only")
    elif m.missing_votes:
        lines.append(
            f"metrics: effective number of parties by seats {fraction_text(m.enp_seats)}; vote-based "
            f"metrics need the votes of {len(m.missing_votes)} more seat-winning lists "
            "(see `muhasasa metrics`)"
        )
    else:
        lines.append("metrics: " + m.explain().replace("\n", "; "))
    if parl.assumptions:
        lines.append("computed under assumptions of the pack:")
        lines.extend(f"  [{a.id}] {a.statement}" for a in parl.assumptions)
    if election.conflicts:
        topics = "; ".join(c.topic for c in election.conflicts[:3])
        lines.append(
            f"sources disagree on {len(election.conflicts)} figure(s) of {parl.election} "
            f"(the record keeps one and notes the other): {topics}{'; …' if len(election.conflicts) > 3 else ''}"
        )
    lines.append("communities are an editorial classification, not an official category")
    beside = f"official record beside law {parl.law}" if parl.law else "declared seats only, no law recomputes them"
    title = f"{parl.election} parliament: {parl.house_size} seats ({beside})"
    return {"title": title, "lines": lines}


def check_rows(checks: Sequence[DistrictCheck]) -> list[dict]:
    """One row per district check, for ``verify``."""
    return [
        {
            "election": c.election,
            "law": c.law,
            "district": c.district,
            "seats": c.seats,
            "status": c.status,
            "detail": c.detail,
            "differences": [
                {"list": d.list_id, "official": d.official, "computed": d.computed} for d in c.differences
            ],
            "assumptions": list(c.assumptions),
            "votes_status": c.votes_status,
            **_winner_fields(c),
        }
        for c in checks
    ]


def _winner_fields(check: DistrictCheck) -> dict:
    """The candidate-level comparison of a check, where its law fills seats by candidate."""
    w = check.winners
    if w is None:
        return {}
    return {"winners": {"status": w.status, "declared": len(w.declared), "matched": w.matched,
                        "computed": list(w.computed), "missing": list(w.missing), "extra": list(w.extra),
                        "after_rulings": None if w.after_rulings is None else
                        {"ruled_in_not_computed": list(w.after_rulings[0]),
                         "computed_not_ruled_in": list(w.after_rulings[1])}}}


def verify_table(checks: Sequence[DistrictCheck]) -> list[dict]:
    """``verify`` rows for reading: runs of four or more districts of one election with
    the same status and reason are folded into one row (JSON keeps every row)."""
    rows: list[dict] = []
    run: list[DistrictCheck] = []

    def flush() -> None:
        if len(run) >= 4:
            rows.append({"election": run[0].election,
                         "district": f"{len(run)} districts ({run[0].district} … {run[-1].district})",
                         "seats": None, "status": run[0].status, "detail": run[0].detail})
        else:
            rows.extend({"election": c.election, "district": c.district, "seats": c.seats,
                         "status": c.status, "detail": c.detail} for c in run)
        run.clear()

    for check in checks:
        if run and (run[0].election, run[0].status, run[0].detail) != (check.election, check.status, check.detail):
            flush()
        run.append(check)
    flush()
    return rows


def verify_summary(checks: Sequence[DistrictCheck]) -> list[str]:
    """Closing lines for ``verify``: counts per status and the verdict."""
    counts = dict.fromkeys(STATUSES, 0)
    for c in checks:
        counts[c.status] += 1
    matched = [f"{c.election} {c.district}" for c in checks if c.status == "match"]
    lines = [
        "",
        f"{len(checks)} district-elections: " + ", ".join(f"{k} {v}" for k, v in counts.items()),
        "reproduced exactly: " + (", ".join(matched) or "none"),
    ]
    if counts["mismatch"]:
        lines.append("RECORD CHECK FAILED: the law does not reproduce the official seats above")
    else:
        lines.append("record check passed: no computable district contradicts the official seats")
    return lines


def _official_metrics(election_id: str, *, pack: PackLike = None):
    election = load(pack).record().election(election_id)
    votes = {x.list_id: x.votes for x in election.lists if x.votes is not None}
    seats = {x.list_id: x.seats for x in election.lists}
    residual = 0
    if election.valid_votes is not None:
        residual = max(election.valid_votes - sum(votes.values()), 0)
    return compute_metrics(votes, seats, registered=election.registered, residual_votes=residual)


def metric_rows(election_id: str, *, pack: PackLike = None) -> list[dict]:
    """Disproportionality and fragmentation of the official parliament."""
    m = _official_metrics(election_id, pack=pack)
    rows = [
        {"metric": "effective number of parties (seats)", "value": fraction_text(m.enp_seats), "note": ""},
        {"metric": "seats", "value": str(m.seats_total), "note": f"{m.parties_seated} parties seated"},
    ]
    if m.missing_votes:
        note = f"votes unknown for {len(m.missing_votes)} seat-winning lists: " + ", ".join(m.missing_votes[:6])
        if load(pack).election(election_id).seats_only:
            note = "declared seats only: the record holds no votes"
        for name in ("Gallagher index", "Loosemore-Hanby index", "effective number of parties (votes)"):
            rows.append({"metric": name, "value": None, "note": note})
    else:
        bound = " (residual votes: a bound)" if m.residual_votes else ""
        rows += [
            {"metric": "Gallagher index", "value": f"{m.gallagher:.2f}", "note": "lower bound" + bound if bound else ""},
            {"metric": "Loosemore-Hanby index", "value": fraction_text(100 * m.loosemore_hanby) + "%", "note": ""},
            {"metric": "effective number of parties (votes)", "value": fraction_text(m.enp_votes), "note": bound},
        ]
    if m.registered_share:
        election = load(pack).record().election(election_id)
        for party, share in sorted(m.registered_share.items(), key=lambda kv: -kv[1])[:10]:
            rows.append({
                "metric": f"share of registered voters: {election.list(party).name_en}",
                "value": fraction_text(100 * share) + "%",
                "note": f"of {election.registered} registered",
            })
    return rows


def women_rows(election_id: str, *, pack: PackLike = None) -> tuple[list[dict], list[str]]:
    """Women's seats each list must fill, per district, where the seats per list are known.

    Seats per list are the official ones where the record is complete, or the
    reproduced ones where the district's check is a ``match``. The record holds no
    candidates here, so no member is named: only how many women each list must
    seat, assuming no woman wins on her own votes (those who do count toward the
    minimum and reduce the quota seats).
    """
    if load(pack).election(election_id).seats_only:
        raise SeatsOnlyError(election_id, "women's seats follow a law")
    law = load(pack).law_of(election_id)
    if law.women is None:
        return [], [f"law {law.id} states no women's quota"]
    districts = {d.name: d for d in law.districts}
    rows: list[dict] = []
    for check in parliament(election_id, pack=pack).checks:
        district = districts[check.district]
        complete = check.official and sum(check.official.values()) == check.seats
        seats = dict(check.official) if complete else dict(check.computed) if check.status == "match" else {}
        winners = {p: n for p, n in seats.items() if n}
        if not winners:
            rows.append({"district": district.name, "list": None, "seats": None, "women_required": None,
                         "note": "seats per list not known for this district"})
            continue
        known_votes = {p: v for p, v in check.votes.items() if p in winners}
        try:
            required = women_seats_required(
                law.women.form, winners, minimum=district.women_minimum,
                minimum_share=law.women.minimum_share,
                party_votes=known_votes if len(known_votes) == len(winners) else None,
                **law.women.params,
            )
        except TieError as tie:
            rows.append({"district": district.name, "list": None, "seats": None, "women_required": None,
                         "note": f"undetermined: lists {', '.join(tie.contenders)} tie on the rule's "
                                 "order and their votes are not all in the record"})
            continue
        basis = "official seats" if complete else "reproduced seats"
        for party, n in winners.items():
            rows.append({"district": district.name, "list": party, "seats": n,
                         "women_required": required.get(party, 0), "note": basis})
    lines = [
        f"rule ({law.women.form}): {law.women.rule}",
        ("women_required assumes no woman wins on her own votes; women who do count toward the "
        "minimum and reduce the quota seats. The record names no candidates here, so no member is named."),
    ]
    if law.women.assumption:
        lines.append(f"assumption [{law.women.assumption}]: {law.assumption(law.women.assumption).statement}")
    return rows, lines


def _known(election, district) -> bool:
    names = {d.district for d in election.districts}
    return (district.governorate or district.name) in names


def hemicycle_groups(election_id: str, *, by: str = "list", pack: PackLike = None) -> tuple[list[tuple[str, int, str]], str]:
    """Seat groups (label, seats, colour) for the hemicycle, left to right by the pack's
    order of communities."""
    from muhasasa.plot import UNKNOWN_COLOUR, colour_for

    chosen = load(pack)
    election = chosen.election(election_id)
    rank = {c.id: i for i, c in enumerate(chosen.communities)}
    colours = {c.id: c.colour for c in chosen.communities}
    ordered = sorted(
        (x for x in election.lists if x.seats),
        key=lambda x: (rank.get(x.community or "", len(rank)), -x.seats),
    )
    if by == "community":
        totals: dict[str | None, int] = {}
        for x in ordered:
            totals[x.community] = totals.get(x.community, 0) + x.seats
        groups = [(c or "unclassified", n, colours.get(c or "", UNKNOWN_COLOUR)) for c, n in totals.items()]
    else:
        groups = [(x.name_en, x.seats, colour_for(x.list_id)) for x in ordered]
    title = f"{chosen.name_en} {election_id}: {sum(g[1] for g in groups)} seats by {by}"
    return groups, title


def describe_laws(law_id: str | None, *, pack: PackLike = None) -> list[str]:
    """The laws of the pack, or one law in full with its assumptions."""
    if law_id is None:
        lines = []
        for i in load(pack).law_ids():
            law = load(pack).law(i)
            lines.append(
                f"{law.id}: {law.title} — {law.general.method} "
                f"{' '.join(f'{k}={v}' for k, v in law.general.params.items())}, "
                f"{len(law.districts)} districts, house {law.house_size}, "
                f"{len(law.assumptions)} assumption(s)"
            )
        return lines
    law = load(pack).law(law_id)
    lines = [
        f"{law.id}: {law.title}",
        f"legal basis: {law.legal_basis}",
        (f"house size {law.house_size}: general {law.general_seats}, minority {law.minority_seat_total}, "
        f"compensatory {law.compensatory_seats}"),
        (f"general tier: {law.general.district_plan}, method {law.general.method} "
        f"{dict(law.general.params)}, threshold {law.general.threshold or 'none'}"),
        f"tie rule: {law.tie_rule}; ballot: {law.ballot}",
    ]
    if law.women:
        lines.append(f"women: {law.women.form}: {law.women.rule}")
    for a in law.assumptions:
        lines.append(f"ASSUMPTION [{a.id}] on {a.applies_to}: {a.statement}")
        lines.append(f"    evidence: {a.evidence}")
    if law.candidates is not None:
        lines.append(f"candidate tier: {law.candidates.rule} {dict(law.candidates.params)}, "
                     f"tie rule {law.candidates.tie_rule}: {law.candidates.text}")
    for r in law.readings:
        lines.append(f"READING [{r.id}] on {r.applies_to}: {r.question}")
        lines.append(f"    chosen: {r.chosen} (options: {', '.join(r.options)}); basis: {r.basis}")
    lines.append("sources: " + " ; ".join(law.sources))
    return lines


# --------------------------------------------------------------------------- power and coalitions


def resolve_bloc_map(election_id: str, blocs: str | None, *, pack: PackLike = None):
    """A bloc map from a ``--blocs`` argument: a file path, a map id or a date."""
    from pathlib import Path

    if blocs is None:
        return None
    if Path(blocs).is_file() or blocs.endswith(".toml"):
        return load(pack).bloc_file(blocs, election_id)
    return load(pack).bloc_map(election_id, blocs)


def power_table(cast, game, indices: Sequence[str], *, baseline=None, progress=None) -> list[dict]:
    """One row per player: seats, communities, each index (and its change against
    ``baseline``, the same game without a community requirement). Indices of one game
    share their counts; ``progress`` is called with the fraction done."""
    from muhasasa.parliament.power import power_indices

    share = 0.5 if baseline is not None else 1.0
    values = power_indices(game, indices, progress=_part(progress, 0.0, share))
    before = (power_indices(baseline, indices, progress=_part(progress, share, share))
              if baseline is not None else {})
    rows = []
    for player, seats in sorted(cast.weights.items(), key=lambda kv: (-kv[1], kv[0])):
        row = {
            "player": player,
            "name": cast.names.get(player, player),
            "seats": seats,
            "communities": ", ".join(f"{c} {n}" for c, n in cast.community_seats.get(player, {}).items()),
            "blocks_alone": seats >= game.blocking_size,
        }
        for i in indices:
            if before:
                row[f"{i} (unconstrained)"] = before[i][player]
            row[i] = values[i][player]
        rows.append(row)
    return rows


def _part(progress, start: float, span: float):
    """A progress callback for one part (``start`` to ``start + span``) of a whole."""
    if progress is None:
        return None
    return lambda done: progress(start + span * done)


def fold_single_seats(rows: list[dict], indices: Sequence[str]) -> list[dict]:
    """Table view: single-seat players of one list (independents #1…#43) as one row."""
    out: list[dict] = []
    groups: dict[str, list[dict]] = {}
    for row in rows:
        base = row["player"].rsplit("-", 1)[0]
        if row["seats"] == 1 and row["player"].rsplit("-", 1)[-1].isdigit():
            groups.setdefault(base, []).append(row)
        else:
            out.append(row)
    for base, members in groups.items():
        first = dict(members[0])
        first["player"] = f"{base} ×{len(members)}"
        first["name"] = f"{len(members)} single-seat players (each)"
        out.append(first)
    return out


def percent(value) -> str:
    return fraction_text(100 * value, 2) + "%"


def coalition_rows(patterns) -> list[dict]:
    return [
        {
            "seats": p.seats,
            "surplus": p.surplus,
            "coalitions": p.count,
            "members": p.describe(),
            "communities": ", ".join(f"{c} {n}" for c, n in p.communities.items()),
        }
        for p in patterns
    ]


def _lists_behind(cast, player: str, list_ids: set[str]) -> list[tuple[str, bool]]:
    """(list id, whole list?) behind a player of ``cast``."""
    if cast.bloc_map is not None and player in {b.id for b in cast.bloc_map.blocs}:
        bloc = cast.bloc_map.bloc(player)
        return [(m.list_id, m.seats is None) for m in bloc.members]
    if player in list_ids:
        return [(player, True)]
    return [(player.rsplit("-", 1)[0], False)]


def mandate_rows(election_id: str, cast, members: Sequence[str], *, pack: PackLike = None) -> dict:
    """Seat, vote and registered-voter shares of a coalition of players.

    Vote shares need every member list's votes in full; where the record has only
    published percentages they are summed and labelled; a part of a list (some
    independents) has no vote figure of its own.
    """
    from fractions import Fraction

    from muhasasa.errors import UnknownNameError

    if not members:
        raise InputError("argument", "name at least one player of the coalition", field="mandate")
    repeated = sorted({p for p in members if list(members).count(p) > 1})
    if repeated:
        raise InputError("argument", f"{', '.join(map(str, repeated))} named twice; each player counts once",
                         field="mandate")
    election = load(pack).record().election(election_id)
    by_list = {x.list_id: x for x in election.lists}
    for player in members:
        if player not in cast.weights:
            raise UnknownNameError("player", player, cast.weights, field="mandate")
    behind = [pair for p in members for pair in _lists_behind(cast, p, set(by_list))]
    lists = list(dict.fromkeys(x for x, _ in behind))
    partial = sorted({x for x, whole in behind if not whole})
    seats = sum(cast.weights[p] for p in members)
    result = {
        "coalition": ", ".join(members), "lists": ", ".join(lists), "seats": seats,
        "seat_share": percent(Fraction(seats, cast.total)),
        "vote_share": None, "registered_share": None, "note": "",
    }
    if partial:
        result["note"] = "no vote figure for part of a list: " + ", ".join(partial)
        return result
    votes = [by_list[x].votes for x in lists]
    if all(v is not None for v in votes) and election.valid_votes:
        result["vote_share"] = percent(Fraction(sum(votes), election.valid_votes))
        if election.registered:
            result["registered_share"] = percent(Fraction(sum(votes), election.registered))
        return result
    shares = [by_list[x].vote_share_pct for x in lists]
    if all(s is not None for s in shares):
        total = sum(Fraction(s) for s in shares)
        result["vote_share"] = fraction_text(total, 2) + "%"
        result["note"] = "vote share summed from the published percentages (votes not itemized)"
        if election.registered and election.votes_cast:
            bound = total * election.votes_cast / election.registered
            result["registered_share"] = f"at most {fraction_text(bound, 2)}% (share of votes cast)"
    elif all(v is not None for v in votes):
        result["note"] = "the election's total of valid votes is not in the record, so no vote share"
        if election.registered:
            result["registered_share"] = percent(Fraction(sum(votes), election.registered))
    elif election.seats_only:
        result["note"] = "declared seats only: the record holds no votes"
    else:
        result["note"] = "votes unknown for " + ", ".join(x for x, s in zip(lists, shares) if s is None)
    return result


# --------------------------------------------------------------------------- formation


def cycle_of_election(election_id: str, *, pack: PackLike = None) -> str:
    """The replayable formation cycle an election opened."""
    from muhasasa.errors import UnknownNameError
    from muhasasa.formation.history import cycle_records

    chosen = load(pack)
    chosen.record().election(election_id)
    opened = [r for r in cycle_records(chosen) if r.election == election_id and r.replayable]
    # the cycle the election opened; else (a parliament whose only replayable cycle began
    # mid-term, when an office fell vacant) that cycle
    for r in sorted(opened, key=lambda r: r.trigger_date is not None):
        return r.cycle
    raise UnknownNameError("election with a formation cycle", election_id,
                           [r.election for r in cycle_records(chosen) if r.replayable], source="election")


def replay_lines(report) -> list[str]:
    """The replay as text: record beside simulation, then the story of one run."""
    sim, rec = report.simulated, report.record
    pm = ", ".join(f"{b} {100 * p:.0f}%" for b, p in list(sim["pm_bloc"].items())[:4]) or "none formed"
    days = sim["days"]
    coalition = next(iter(sim["coalition"].items()), None)
    lines = [
        f"{report.cycle} replay: {report.runs} runs, seed {report.seed}"
        + (f", without {', '.join(report.without)}" if report.without else ""),
        f"parameters: {', '.join(f'{k}={v:g}' for k, v in report.parameters.as_dict().items())}",
        "",
        f"{'':22}{'record':34}simulated",
        f"{'PM bloc':22}{rec['pm_bloc'] or 'consensus: ' + ' + '.join(rec['pm_nominated_by'])!s:34}{pm}",
        f"{'days to cabinet':22}{rec['days']!s:34}"
        + (f"median {days['median']:.0f} (p10 {days['p10']:.0f}, p90 {days['p90']:.0f})" if days["median"] else "none formed"),
        f"{'coalition':22}{' + '.join(rec['coalition'])[:32]:34}"
        + (f"{coalition[0]} ({100 * coalition[1]:.0f}%)" if coalition else ""),
        f"{'ministries':22}{', '.join(f'{k} {v}' for k, v in rec['ministries'].items())[:32] or 'not itemized':34}"
        + ", ".join(f"{k} {v:g}" for k, v in list(sim["ministries"].items())[:5]),
        f"{'failed designations':22}{rec['failed_designations']!s:34}{sim['failed_designations']:.2f} on average",
        f"{'formed within 3 years':22}{'yes':34}{100 * sim['formed']:.0f}% of runs",
    ]
    if "formateur" in sim:
        lines.append(f"{'largest-bloc claim':22}{'':34}"
                     + ", ".join(f"{b} {100 * p:.0f}%" for b, p in list(sim["formateur"].items())[:4]))
    package = sim.get("package", {})
    if package.get("share"):
        lines.append(f"{'package deal':22}{'':34}{100 * package['share']:.0f}% of runs, sealed at "
                     + ", ".join(f"{s} {100 * p:.0f}%" for s, p in package["sealed_at"].items()))
    left = sim.get("exit", {})
    if left.get("share"):
        after = left["after"]
        lines.append(f"{'left parliament':22}{'':34}{100 * left['share']:.0f}% of runs ("
                     + ", ".join(f"{a} {100 * p:.0f}%" for a, p in left["by"].items())
                     + f"), median day {left['day_median']:.0f}"
                     + (f"; sessions denied by force in {100 * after['stormed']:.0f}% of those"
                        if after.get("stormed") else ""))
    for step, deadline in sim.get("deadlines", {}).items():
        late = rec.get("deadlines", {}).get(step)
        recorded = "" if late is None else ("met" if late <= 0 else f"{late} days late")
        lines.append(f"{(step + ' deadline')[:21]:22}{recorded:34}met in {100 * deadline['met']:.0f}% of runs"
                     + (f", late in {100 * deadline['missed']:.0f}% (median {deadline['days_late_median']:.0f} days;"
                        f" {deadline.get('rule') or ''})" if deadline["missed"] else f" ({deadline.get('rule') or ''})"))
    for step, within in sim.get("within_recorded_sessions", {}).items():
        carried = sim["steps"].get(step, {})
        day, reached = carried.get("day"), rec.get("days_to", {}).get(step)
        sessions, record_days = f"{within['sessions']} sessions", "" if reached is None else f"{reached}"
        lines.append(f"{(step + ' in sessions')[:21]:22}{sessions:34}"
                     f"{100 * within['carried_within']:.0f}% of runs within {within['sessions']} rounds")
        lines.append(f"{('days to ' + step)[:21]:22}{record_days:34}"
                     + (f"median {day['median']:.0f} (p10 {day['p10']:.0f}, p90 {day['p90']:.0f})" if day else "never"))
    lines += [
        "",
        "the story of a representative run (the modal PM bloc, days nearest its median):",
    ]
    lines += [f"  {e}" for e in report.story]
    return lines
