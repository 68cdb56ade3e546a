"""The library calls behind the explorer's routes, shared by the JSON API and the pages.

Nothing here decides a seat or a coalition: each function checks the ids it is given,
calls the public API (:mod:`muhasasa`, the façade) and returns its tidy rows, keyed by
name. Three things are added for a server:

* **ids, never paths**: every name that comes from a request is checked against
  :data:`ID_PATTERN` and then looked up in the pack (elections, laws, bloc maps, cycles,
  scenarios), so no request can name a file;
* **bounded runs in worker processes**: replays, Monte Carlo runs, power indices and
  coalition searches run in :mod:`muhasasa.web.workers` (a process per core, at a lower
  priority), stopped at their time limit or when their client leaves;
* **caches**: results are deterministic given their inputs (seeded runs included), so the
  recent ones are kept.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache, wraps
from importlib import resources
from typing import TypeVar

import muhasasa
from muhasasa.errors import InputError, SeatsOnlyError, UnknownNameError
from muhasasa.web import workers
from muhasasa.web.settings import BODY, PACK
from muhasasa.web.workers import RunLimit, TooHeavy

T = TypeVar("T")

#: What a request may use as an id: letters, digits, space, ``-`` and ``_``; never ``/``,
#: ``\\`` or ``.``, so an id can never be read as a path.
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9 _-]{0,79}$"
_ID = re.compile(ID_PATTERN)
#: An optional id: empty (what a browser form sends for "none") or an id.
OPTIONAL_ID_PATTERN = r"^(?:|[A-Za-z0-9][A-Za-z0-9 _-]{0,79})$"

#: Limits of the runs a request can ask for.
MAX_RUNS = 2000
MAX_DRAWS = 2000
FORMATION_DRAWS = 20
RUN_SECONDS = 20.0
POWER_SECONDS = 15.0
DEFAULT_INDICES = ("banzhaf", "shapley-shubik")

#: JSON-friendly copies of results: the façade's one converter.
plain = muhasasa.to_plain

__all__ = ["ID_PATTERN", "MAX_DRAWS", "MAX_RUNS", "RunLimit", "check_id", "plain"]


def check_id(kind: str, value: str | None) -> str | None:
    """``value`` if it is a well-formed id (or None), else an InputError naming ``kind``.

    >>> check_id("election", "2025")
    '2025'
    >>> check_id("law", "../etc/passwd")
    Traceback (most recent call last):
    ...
    muhasasa.errors.InputError: law: '../etc/passwd' is not an id (letters, digits, spaces, '-' and '_')
    """
    if value is None or value == "":
        return None
    if not _ID.fullmatch(value):
        raise InputError(kind, f"{value!r} is not an id (letters, digits, spaces, '-' and '_')")
    return value


def pack_name() -> str | None:
    """The pack the request reads (``?pack=``), checked against the bundled packs; None for
    the default pack."""
    name = PACK.get()
    if name is not None and name not in muhasasa.pack_ids():
        raise UnknownNameError("pack", name, muhasasa.pack_ids(), source="pack")
    return name


def body_name() -> str | None:
    """The body the request's lists are limited to (``?body=``), checked against the pack's
    bodies; None for every body."""
    name = BODY.get()
    if name is not None and name not in _pack().bodies:
        raise UnknownNameError("body", name, sorted(_pack().bodies), source="body")
    return name


def _pack():
    return muhasasa.load_pack(pack_name())


def default_pack() -> bool:
    """Whether the request reads the default pack (the one the example scenarios are for)."""
    return _pack().id == muhasasa.load_pack().id


def per_pack(maxsize: int):
    """``lru_cache`` keyed also by the request's pack: the same election id means another
    election in another pack (Iraq's 2018 is not Lebanon's)."""

    def decorate(fn):
        @lru_cache(maxsize=maxsize)
        def cached(pack: str | None, *args):
            return fn(*args)

        @wraps(fn)
        def wrapper(*args):
            return cached(pack_name(), *args)

        wrapper.cache_clear = cached.cache_clear
        return wrapper

    return decorate


def packs() -> list[dict]:
    """The bundled packs and the bodies of each, named in both languages, for the switch."""
    default = muhasasa.load_pack().id
    out = []
    for pid in muhasasa.pack_ids():
        pack = muhasasa.load_pack(pid)
        out.append({"id": pid, "default": pid == default, "name": pack.name_en, "name_ar": pack.name_ar,
                    "bodies": [{"id": b.id, "name": b.name_en, "name_ar": b.name_ar} for b in pack.bodies.values()]})
    return out


def has_constitution(election_id: str) -> bool:
    """Whether the election's body has a constitution in the pack (its steps can be played)."""
    pack = _pack()
    try:
        pack.constitution(election(election_id).body)
    except InputError:
        return False
    return True


# --------------------------------------------------------------------------- the record


def election_ids() -> tuple[str, ...]:
    """The pack's elections: of the request's body only, when it names one."""
    body = body_name()
    record = _pack().body_record(body) if body else _pack().record()
    return record.election_ids


def election(election_id: str):
    """The record's election (UnknownNameError, a 404, for an unknown id)."""
    return _pack().election(check_id("election", election_id))


def seats_only(election_id: str) -> bool:
    """Whether the record holds the election as declared seats only (no votes, no law)."""
    return election(election_id).seats_only


def require_votes(election_id: str, needs: str) -> None:
    """A :class:`~muhasasa.errors.SeatsOnlyError` (a 400 saying why, in the page's language)
    if the election is declared seats only, for a view that ``needs`` its votes or a law."""
    if seats_only(election_id):
        raise SeatsOnlyError(election_id, needs)


def law_election_ids() -> tuple[str, ...]:
    """The elections a view that needs votes and a law can show (the law lab): every one
    but those the record holds as declared seats only."""
    return tuple(e for e in election_ids() if not _pack().election(e).seats_only)


@per_pack(maxsize=1)
def elections_index() -> list[dict]:
    return plain(muhasasa.election_index(pack=pack_name()))


@per_pack(maxsize=16)
def list_names(election_id: str) -> Mapping[str, tuple[str, str | None]]:
    """``list id -> (English name, Arabic name or None)``: the parliament's lists, then the
    governorate rows of lists that won no national row (and Arabic names found there)."""
    names = {x.list_id: (x.name, x.name_ar) for x in parliament(election_id).lists}
    for dv in election(election_id).district_results:
        for r in dv.rows:
            en, ar = names.get(r.list_id, (r.name_en, None))
            names[r.list_id] = (en, ar or r.name_ar)
    return names


@per_pack(maxsize=16)
def colours(election_id: str, blocs: str | None = None) -> Mapping[str, str]:
    """The pack's colour of every list (and bloc of ``blocs``) of an election."""
    election(election_id)
    return muhasasa.colours(election_id, blocs=check_id("blocs", blocs), pack=pack_name())


@per_pack(maxsize=256)
def colour_of(election_id: str, key: str) -> str:
    """The colour of a list or of a bloc of any of the election's bloc maps."""
    palette = colours(election_id)
    if key in palette:
        return palette[key]
    for m in muhasasa.bloc_maps(election_id, pack=pack_name()):
        if any(b.id == key for b in m.blocs):
            return colours(election_id, m.id).get(key, palette["others"])
    return palette["others"]


# --------------------------------------------------------------------------- parliaments


@per_pack(maxsize=64)
def parliament(election_id: str, law_id: str | None = None):
    election(election_id)
    return muhasasa.parliament(election_id, check_id("law", law_id), pack=pack_name())


@per_pack(maxsize=64)
def _list_rows(election_id: str, law_id: str | None) -> tuple[dict, ...]:
    return tuple(muhasasa.list_rows(parliament(election_id, law_id), pack=pack_name()))


def list_rows(election_id: str, law_id: str | None = None) -> list[dict]:
    """One row per list: names in both languages, community, votes, share, seats."""
    return [dict(r) for r in _list_rows(election_id, law_id)]


def district_rows(election_id: str, law_id: str | None = None) -> list[dict]:
    """One row per district and list: of the recomputation, or, for an election held as
    declared seats only, the record's declared seats (no votes, nothing computed or checked)."""
    return muhasasa.district_rows(parliament(election_id, law_id), pack=pack_name())


@per_pack(maxsize=16)
def metric_rows(election_id: str) -> list[dict]:
    election(election_id)
    return muhasasa.metrics(election_id, pack=pack_name())


def women_rows(election_id: str) -> tuple[list[dict], list[str]]:
    election(election_id)
    return muhasasa.women(election_id, pack=pack_name())


@per_pack(maxsize=1)
def _verify_rows() -> list[dict]:
    return muhasasa.verify_rows(muhasasa.verify(pack=pack_name()))


def check_rows(election_id: str | None = None) -> list[dict]:
    """The record check (``muhasasa verify``): every district-election, or one election's."""
    if election_id:
        require_votes(election_id, "the record check recomputes its votes under its law")
    return [r for r in _verify_rows() if not election_id or r["election"] == election_id]


def summary(election_id: str, law_id: str | None = None) -> dict:
    p = parliament(election_id, law_id)
    seated = sum(x.seats_official or 0 for x in p.lists)
    return {"election": p.election, "law": p.law, "house_size": p.house_size, "seats_official": seated,
            "registered": p.registered, "valid_votes": p.valid_votes, "note": p.note,
            "status_counts": p.status_counts(), "computed_districts": list(p.computed_districts),
            "assumptions": [{"id": a.id, "applies_to": a.applies_to, "statement": a.statement,
                             "evidence": a.evidence} for a in p.assumptions],
            "lines": [line for line in muhasasa.parliament_summary(p, pack=pack_name())["lines"] if line]}


@per_pack(maxsize=32)
def _tiles(election_id: str, law_id: str | None) -> tuple[muhasasa.Tile, ...]:
    return tuple(muhasasa.governorate_tiles(parliament(election_id, law_id), pack=pack_name()))


def governorate_tiles(election_id: str, law_id: str | None = None) -> list[muhasasa.Tile]:
    """The parliament's district checks grouped by governorate (2021's 83 districts in 18)."""
    return list(_tiles(election_id, law_id))


def seat_groups(election_id: str, by: str) -> list[tuple[str, str, int, str]]:
    """``(id, English name, seats, colour)`` groups of the hemicycle, ordered by the pack's
    communities, then by seats: lists (coloured by the pack) or communities."""
    election(election_id)
    pack = _pack()
    rank = {c.id: i for i, c in enumerate(pack.communities)}
    tint = {c.id: c.colour for c in pack.communities}
    lists = sorted((x for x in parliament(election_id).lists if x.seats_official),
                   key=lambda x: (rank.get(x.community or "", len(rank)), -(x.seats_official or 0), x.list_id))
    if by == "community":
        totals: dict[str, int] = {}
        for x in lists:
            totals[x.community or "unclassified"] = totals.get(x.community or "unclassified", 0) + x.seats_official
        return [(c, c, n, tint.get(c, "#b8b8b8")) for c, n in totals.items()]
    palette = colours(election_id)
    return [(x.list_id, x.name, x.seats_official, palette.get(x.list_id, palette["others"])) for x in lists]


def headline(election_id: str) -> dict:
    """What an election page opens with: the winner, the house, the largest bloc formed
    after the vote (from the pack's bloc maps), the turnout."""
    p = parliament(election_id)
    ranked = sorted((x for x in p.lists if x.seats_official), key=lambda x: (-(x.seats_official or 0), x.list_id))
    winner = ranked[0] if ranked else None
    e = next(r for r in elections_index() if r["id"] == election_id)
    largest = None
    for m in muhasasa.bloc_maps(election_id, pack=pack_name()):
        cast = muhasasa.players(election_id, blocs=m.id, pack=pack_name())
        ids = {b.id: b for b in m.blocs}
        best = max(ids, key=lambda b: cast.weights.get(b, 0), default=None)
        if best is not None and (largest is None or cast.weights.get(best, 0) > largest["seats"]):
            largest = {"id": best, "name": ids[best].name, "name_ar": getattr(ids[best], "name_ar", None),
                       "seats": cast.weights.get(best, 0), "map": m.id, "date": m.date.isoformat(),
                       "claimed": ids[best].claimed_seats}
    return {"election": election_id, "house_size": p.house_size, "lists_seated": len(ranked),
            "winner": None if winner is None else {"id": winner.list_id, "name": winner.name,
                                                   "name_ar": winner.name_ar, "seats": winner.seats_official,
                                                   "votes": winner.votes},
            "largest_bloc": largest, "turnout_pct": e.get("turnout_pct"), "date": e.get("date")}


# --------------------------------------------------------------------------- laws


def laws_index() -> list[dict]:
    return plain(muhasasa.laws(pack=pack_name()))


def law(law_id: str) -> dict:
    return plain(muhasasa.law(check_id("law", law_id), pack=pack_name()))


def law_lab(election_id: str, law_id: str) -> dict:
    """The same votes under the election's own law and under ``law_id``, list by list."""
    election(election_id)
    check_id("law", law_id)
    lab = muhasasa.law_lab(election_id, law_id, pack=pack_name())
    return {**lab, "own": summary(election_id), "other": summary(election_id, law_id)}


# --------------------------------------------------------------------------- blocs, games, power


def bloc_maps(election_id: str) -> list[dict]:
    election(election_id)
    return [{"id": m.id, "date": m.date.isoformat(), "title": m.title, "cycle": m.cycle,
             "blocs": [{"id": b.id, "name": b.name, "name_ar": getattr(b, "name_ar", None),
                        "claimed_seats": b.claimed_seats,
                        "members": [{"list": mm.list_id, "seats": mm.seats} for mm in b.members]}
                       for b in m.blocs],
             "claims": [{"what": c.what, "count": c.count, "bloc": c.bloc, "note": c.note} for c in m.claims],
             "notes": m.notes, "sources": list(m.sources)} for m in muhasasa.bloc_maps(election_id, pack=pack_name())]


@per_pack(maxsize=32)
def cast(election_id: str, blocs: str | None = None):
    """The players of a parliament: lists (independents one seat each), or the blocs of a
    bundled bloc map named by id or date."""
    election(election_id)
    return muhasasa.players(election_id, blocs=check_id("blocs", blocs) or None, pack=pack_name())


@per_pack(maxsize=1)
def steps() -> tuple[str, ...]:
    """The steps of the constitution of the main body's latest election (every decision and
    its run-off); other bodies may have no constitution."""
    return muhasasa.steps(_pack().body_record().election_ids[-1], pack=pack_name())


def _step(step: str) -> str:
    if step not in steps():
        raise UnknownNameError("step", step, steps(), source="step")
    return step


def single_seat_groups(players) -> dict[str, list[str]]:
    """Players of one seat that stand for a list's unaffiliated members (``independents-7``),
    by list: interchangeable, so a coalition takes "any k of them"."""
    return {base: list(keys) for base, keys in players.single_seats.items()}


def coalition_members(players, members: Iterable[str], take: Iterable[str]) -> list[str]:
    """The players of a coalition: named ones, plus ``list:k`` = the first k single-seat
    players of that list."""
    members = [check_id("member", m) for m in members]
    return muhasasa.coalition_members(players, members, take)


def coalition(election_id: str, blocs: str | None, members: Sequence[str], take: Sequence[str] = ()) -> dict:
    """What a coalition can do at each constitutional step: carry it, block it, or neither."""
    players = cast(election_id, blocs)
    chosen = coalition_members(players, members, take)
    result = muhasasa.coalition(players, chosen, pack=pack_name())
    games = {v.step: _game_or_none(players, v.step) for v in result["steps"]}
    result["steps"] = [{"step": v.step, "game": v.game, "quota": v.quota, "blocking": v.blocking,
                        "quorum": g.quorum if g else None, "threshold": g.threshold if g else None,
                        "total": players.total, "seats": v.seats, "carries": v.carries, "blocks": v.blocks,
                        "playable": g is not None}
                       for v, g in ((v, games[v.step]) for v in result["steps"])]
    return result


def _game_or_none(players, step: str):
    """The voting game of a step, or None where the step is not a proper game (a blocking
    third, whose quota is not above half the house: its verdicts stand, no power index)."""
    try:
        return muhasasa.game(players, step)
    except InputError:
        return None


def indices() -> list[dict]:
    return [{"id": i.id, "title": i.title, "reference": i.reference} for i in muhasasa.INDICES.values()]


def _power_job(pack: str | None, election_id: str, blocs: str | None, step: str,
               chosen: tuple[str, ...]) -> tuple[dict, list[dict]]:
    """(In a worker.) The game of a step and every player's exact indices."""
    PACK.set(pack)
    players = cast(election_id, blocs)
    game = muhasasa.game(players, step)
    rows = muhasasa.power(players, game, chosen)
    return {"game": game.label, "quota": game.quota, "blocking": game.blocking_size, "total": game.total}, rows


@per_pack(maxsize=64)
def _power(election_id: str, blocs: str | None, step: str, chosen: tuple[str, ...]) -> tuple[dict, list[dict]]:
    known = set(muhasasa.INDICES)
    for i in chosen:
        if i not in known:
            raise UnknownNameError("power index", i, sorted(known), source="index")
    players = cast(election_id, blocs)
    _step(step)
    _refuse_heavy_power(election_id, blocs, players, step, chosen)
    return workers.run(_power_job, pack_name(), election_id, blocs, step, chosen, seconds=POWER_SECONDS,
                       what="the power indices")


def _refuse_heavy_power(election_id: str, blocs: str | None, players, step: str, chosen: tuple[str, ...]) -> None:
    """Refuse at once, before any work, power indices the library's estimate says cannot
    be counted within :data:`POWER_SECONDS` (with advice that fits: which indices to drop,
    whether to count them apart, whether a bloc map would help)."""
    game = muhasasa.game(players, step)
    estimates = {i: muhasasa.power_estimate(game, i) for i in chosen}
    total = sum(e.seconds for e in estimates.values())
    heavy = tuple(i for i, e in estimates.items() if not e.fits or e.seconds > POWER_SECONDS)
    if not heavy and total <= POWER_SECONDS:
        return
    quick = tuple(i for i in muhasasa.INDICES if muhasasa.power_estimate(game, i).seconds <= POWER_SECONDS / 10)
    fewer = blocs is None and bool(bloc_maps(election_id))
    advice = ([f"drop {', '.join(heavy)}"] if heavy else ["ask for these indices one at a time"])
    if fewer:
        advice.append("choose a bloc map, so fewer players are counted")
    if quick:
        advice.append(f"{', '.join(quick)} are quick here")
    raise TooHeavy(f"refused before starting: the power indices would take about {total:.3g} s here, beyond "
                   f"the limit of {POWER_SECONDS:g} s: " + "; ".join(advice),
                   seconds=total, limit=POWER_SECONDS, heavy=heavy, quick=quick, fewer_players=fewer)


def power(election_id: str, blocs: str | None, step: str, index_ids: Sequence[str]) -> dict:
    """Exact power indices of every player at one step (Fractions kept exact)."""
    chosen = tuple(dict.fromkeys(check_id("index", i) for i in index_ids if i)) or DEFAULT_INDICES
    game, rows = _power(election_id, check_id("blocs", blocs), step, chosen)
    return {"election": election_id, "blocs": blocs, "step": step, "indices": list(chosen), **game,
            "rows": [dict(r) for r in rows]}


def power_folded(rows: list[dict], indices: Sequence[str]) -> list[dict]:
    """Power rows with a list's single-seat players folded into one row."""
    return muhasasa.power_rows_folded([dict(r) for r in rows], indices)


def _patterns_job(pack: str | None, election_id: str, blocs: str | None, step: str, kind: str, limit: int) -> dict:
    """(In a worker.) Minimal winning or blocking coalitions of a step."""
    PACK.set(pack)
    players = cast(election_id, blocs)
    game = muhasasa.game(players, step)
    page = muhasasa.coalition_page(game, kind, players, limit=limit)  # exact totals, one page listed
    return {"game": game.label, "patterns": page.patterns, "coalitions": page.coalitions,
            "rows": plain(muhasasa.coalition_rows(page.rows))}


@per_pack(maxsize=32)
def _patterns(election_id: str, blocs: str | None, step: str, kind: str, limit: int) -> dict:
    cast(election_id, blocs)
    _step(step)
    return workers.run(_patterns_job, pack_name(), election_id, blocs, step, kind, limit, seconds=POWER_SECONDS,
                       what="the coalition search")


def coalition_patterns(election_id: str, blocs: str | None, step: str, kind: str, limit: int) -> dict:
    """Minimal winning or blocking coalitions (patterns), with a time limit."""
    found = _patterns(election_id, check_id("blocs", blocs), step, kind, limit)
    return {"election": election_id, "blocs": blocs, "step": step, "kind": kind, **found}


# --------------------------------------------------------------------------- formation


def cycles() -> list[dict]:
    return [cycle_summary(c) for c in muhasasa.cycles(pack=pack_name())]


def cycle_summary(c) -> dict:
    return {"cycle": c.cycle, "title": c.title, "election": c.election, "replayable": c.replayable,
            "dates": {k: (v.isoformat() if v else None) for k, v in vars(c.dates).items()},
            "pm_name": c.pm_name, "pm_community": c.pm_community, "pm_bloc": c.pm_bloc,
            "pm_nominated_by": list(c.pm_nominated_by), "coalition": list(c.coalition),
            "speaker_name": c.speaker_name, "president_name": c.president_name,
            "days_election_to_cabinet": c.days_election_to_cabinet,
            "failed_designations": c.failed_designations, "presidential_rounds": c.presidential_rounds,
            "ministries_total": c.ministries_total, "ministries_by_bloc": dict(c.ministries_by_bloc),
            "confidence_level": c.confidence_level, "notes": c.notes, "sources": list(c.sources)}


def cycle_events(cycle: str) -> list[dict]:
    return plain(muhasasa.cycle_events(check_id("cycle", cycle), pack=pack_name()))


def replayable_cycles() -> tuple[str, ...]:
    """The cycles the model can replay in the request's pack (of its body's elections, when
    it names one); none where the pack has no formation model."""
    try:
        chosen = muhasasa.replayable_cycles(pack=pack_name())
    except InputError:  # the pack has no formation rules yet
        return ()
    if body_name() is None:
        return chosen
    ids = set(election_ids())
    held = {c.cycle: c.election for c in muhasasa.cycles(pack=pack_name())}
    return tuple(c for c in chosen if held.get(c) in ids)


@per_pack(maxsize=16)
def cycle_names(cycle: str) -> Mapping[str, tuple[str, str | None]]:
    """``id -> (English, Arabic or None)`` of every id a cycle's replay can show."""
    return muhasasa.cycle_names(cycle, pack=pack_name())


def player_names(cycle: str) -> dict[str, str]:
    """English names of the ids a replay uses: actors, blocs of the cycle, record lists."""
    return {k: en for k, (en, _) in cycle_names(cycle).items()}


def _replay_job(pack: str | None, cycle: str, runs: int, seed: int, without: tuple[str, ...]) -> dict:
    """(In a worker.) A seeded replay of a cycle, as plain values."""
    PACK.set(pack)
    return plain(muhasasa.replay(cycle, runs=runs, seed=seed, without=without, pack=pack_name()).as_dict())


@per_pack(maxsize=32)
def _replay(cycle: str, runs: int, seed: int, without: tuple[str, ...]) -> dict:
    return workers.run(_replay_job, pack_name(), cycle, runs, seed, without, seconds=RUN_SECONDS,
                       what=f"the replay of {cycle}")


def formation(cycle: str, runs: int, seed: int, without: Sequence[str] = (), *, inline: bool = False) -> dict:
    """A cycle's record beside a seeded replay of it (bounded: runs ≤ MAX_RUNS, a time limit).

    With ``inline``, a replay stopped or refused at its limit leaves ``replay`` None and
    the reason in ``replay_error`` (the page shows the record and says so in the replay's
    section) instead of raising."""
    check_id("cycle", cycle)
    if cycle not in replayable_cycles():
        raise UnknownNameError("replayable cycle", cycle, replayable_cycles(), source="cycle")
    if not 1 <= runs <= MAX_RUNS:
        raise InputError("runs", f"runs must lie between 1 and {MAX_RUNS}, got {runs}")
    drop = tuple(sorted(dict.fromkeys(check_id("without", w) for w in without if w)))
    replay, problem = None, None
    try:
        replay = _replay(cycle, runs, seed, drop)
    except RunLimit as exc:
        if not inline:
            raise
        problem = exc
    return {"cycle": cycle, "record": cycle_summary(muhasasa.cycle_record(cycle, pack=pack_name())), "events": cycle_events(cycle),
            "outside": _outside(cycle), "replay": replay, "replay_error": problem}


def _outside(cycle: str) -> dict:
    """The cycle's outside players (with a name per id) and their reported positions."""
    outside = muhasasa.outside_positions(cycle, pack=pack_name())
    return {**outside, "names": {p["id"]: p["name"] for p in outside["players"]}}


# --------------------------------------------------------------------------- scenarios


def montecarlo_available() -> bool:
    """Whether the Monte Carlo stage can run: it is part of the library (its Parquet store,
    which needs the ``montecarlo`` extra, is not used by the explorer)."""
    return callable(getattr(muhasasa, "simulate", None))


@lru_cache(maxsize=1)
def _scenario_texts() -> Mapping[str, str]:
    folder = resources.files("muhasasa.web").joinpath("scenarios")
    return {item.name[: -len(".toml")]: item.read_text(encoding="utf-8")
            for item in sorted(folder.iterdir(), key=lambda p: p.name) if item.name.endswith(".toml")}


def scenario_ids() -> tuple[str, ...]:
    return tuple(_scenario_texts()) if montecarlo_available() else ()


def _scenario_text(scenario_id: str) -> str:
    texts = _scenario_texts()
    if check_id("scenario", scenario_id) not in texts or not montecarlo_available():
        raise UnknownNameError("example scenario", scenario_id, scenario_ids(), source="scenario")
    return texts[scenario_id]


@lru_cache(maxsize=8)
def _scenario(scenario_id: str):
    # the bundled examples name no file, so the folder they would be read from is never used
    return muhasasa.scenario_from_text(_scenario_text(scenario_id), f"{scenario_id}.toml")


def scenarios() -> list[dict]:
    out = []
    for sid in scenario_ids():
        s = _scenario(sid)
        out.append({"id": sid, "title": s.title, "base": s.base, "law": s.law.id, "level": s.level,
                    "model": s.uncertainty.model, "interventions": [iv.describe() for iv in s.interventions],
                    "formation": s.formation_stage, "text": s.text})
    return out


def _simulation_job(text: str, source: str, draws: int, seed: int) -> dict:
    """(In a worker.) A Monte Carlo run of a scenario text: meta, summary, governments and
    the seat histogram of every list."""
    s = muhasasa.scenario_from_text(text, source)
    result = muhasasa.simulate(s, draws, seed, formation_draws=FORMATION_DRAWS)
    lists = list(result.scenario.table.lists)
    histograms = {p: dict(sorted(Counter(int(v) for v in result.lists[:, i]).items())) for i, p in enumerate(lists)}
    return plain({"meta": result.meta(), "summary": list(result.summary), "governments": list(result.governments),
                  "histograms": histograms})


def _run(text: str, source: str, draws: int, seed: int) -> dict:
    return workers.run(_simulation_job, text, source, draws, seed, seconds=RUN_SECONDS, what="the Monte Carlo run")


@lru_cache(maxsize=8)
def _simulate(scenario_id: str, draws: int, seed: int) -> dict:
    _scenario(scenario_id)
    return _run(_scenario_text(scenario_id), f"{scenario_id}.toml", draws, seed)


#: The name an edited scenario's text is parsed under (its messages are located in it).
EDITED_SOURCE = "scenario.toml"
_FILE_REFUSED = "files cannot be named from the web; use a pack id"


def _refuse_files(text: str) -> None:
    """An InputError naming the field if an edited scenario names a file (a law file, a bloc
    map file, a convention file): from the web, only ids of the pack are accepted.

    Checked on the parsed TOML before the scenario is read, so no path is ever opened; what
    is not a table of the expected shape is left to the library's own (located) validation.
    """
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        muhasasa.scenario_from_text(text, EDITED_SOURCE)  # the library's located message
        raise
    lines = text.splitlines()

    def line_of(key: str, start: int = 0) -> int | None:
        pattern = re.compile(r'^\s*"?' + re.escape(key) + r'"?\s*=')
        return next((n for n, ln in enumerate(lines[start:], start + 1) if pattern.match(ln)), None)

    law = raw.get("law")
    if law is not None and not (isinstance(law, str) and _ID.fullmatch(law)):
        raise InputError(EDITED_SOURCE, _FILE_REFUSED, line=line_of("law"), field="law")
    entries = raw.get("interventions")
    if not isinstance(entries, list):
        return
    starts = [n for n, ln in enumerate(lines) if re.match(r"^\s*\[\[\s*interventions\s*\]\]", ln)]
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            continue
        start = starts[i] if i < len(starts) else 0
        where = f"interventions[{i + 1}]"
        if "file" in entry:
            raise InputError(EDITED_SOURCE, _FILE_REFUSED, line=line_of("file", start),
                             field=f"{where}.file")
        for key in ("law", "map"):
            value = entry.get(key)
            if value is not None and not (isinstance(value, str) and _ID.fullmatch(value)):
                raise InputError(EDITED_SOURCE, _FILE_REFUSED, line=line_of(key, start),
                                 field=f"{where}.{key}")


@lru_cache(maxsize=8)
def _edited(text: str):
    if not montecarlo_available():
        raise RunLimit("the Monte Carlo stage is not installed")
    _refuse_files(text)
    # base_dir is never read: every file reference was refused above
    return muhasasa.scenario_from_text(text, EDITED_SOURCE)


@lru_cache(maxsize=8)
def _simulate_edited(text: str, draws: int, seed: int) -> dict:
    _edited(text)
    return _run(text, EDITED_SOURCE, draws, seed)


def _check_draws(draws: int) -> None:
    if not 1 <= draws <= MAX_DRAWS:
        raise InputError("draws", f"draws must lie between 1 and {MAX_DRAWS}, got {draws}")


def _simulation_of(result: dict) -> dict:
    return {k: result[k] for k in ("meta", "summary", "governments")}


def simulation(scenario_id: str, draws: int, seed: int) -> dict:
    """A small Monte Carlo run of an example scenario: its meta, summary and governments."""
    _check_draws(draws)
    return _simulation_of(_simulate(scenario_id, draws, seed))


def edited_scenario(text: str) -> dict:
    """An edited scenario's text, checked (no file may be named) and parsed: title and text."""
    s = _edited(text)
    return {"id": None, "title": s.title, "base": s.base, "law": s.law.id, "text": s.text}


def edited_simulation(text: str, draws: int, seed: int) -> dict:
    """The same bounded run as :func:`simulation`, of a scenario text posted by a user."""
    _check_draws(draws)
    return _simulation_of(_simulate_edited(text, draws, seed))


def edited_histogram(text: str, draws: int, seed: int, player: str) -> dict[int, int]:
    return _histogram(_simulate_edited(text, draws, seed), player)


def seat_histogram(scenario_id: str, draws: int, seed: int, player: str) -> dict[int, int]:
    """How many draws gave a list each number of seats (the distribution behind the summary)."""
    return _histogram(_simulate(scenario_id, draws, seed), player)


def _histogram(result: dict, player: str) -> dict[int, int]:
    lists = result["histograms"]
    if player not in lists:
        raise UnknownNameError("list of the scenario", player, list(lists), source="player")
    return {int(k): v for k, v in lists[player].items()}
