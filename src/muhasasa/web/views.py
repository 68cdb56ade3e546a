"""The library calls behind the explorer's routes, shared by the JSON API and the pages.

Nothing here decides a seat or a coalition: each function checks the ids it is given,
calls the library (:mod:`muhasasa.elections`, :mod:`muhasasa.reports`,
:mod:`muhasasa.parliament`, :mod:`muhasasa.formation`, :mod:`muhasasa.montecarlo`) and
returns its tidy rows, keyed by name. Three things are added for a server:

* **ids, never paths**: every name that comes from a request is checked against
  :data:`ID_PATTERN` and then looked up in the pack (elections, laws, bloc maps, cycles,
  scenarios), so no request can name a file;
* **bounded runs**: replays, Monte Carlo runs and enumerating power indices run in a small
  pool with a time limit (:func:`bounded`); a run past its limit is stopped at its next
  progress report and the request gets a 503 that says so;
* **caches**: results are deterministic given their inputs (seeded runs included), so the
  recent ones are kept.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import lru_cache
from importlib import resources
from typing import Any, TypeVar

from muhasasa import elections, reports
from muhasasa.errors import InputError, MuhasasaError, UnknownNameError
from muhasasa import packs

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


class RunLimit(MuhasasaError):
    """A run the explorer stopped or refused: too slow, or the server is busy (HTTP 503)."""


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


# --------------------------------------------------------------------------- bounded runs

_pool_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="muhasasa-run")
        return _pool


def bounded(work: Callable[[Callable[..., None]], T], *, seconds: float, what: str) -> T:
    """Run ``work(check)`` in the run pool, with a time limit.

    ``work`` passes ``check`` as the library's ``progress`` callback (or calls it between
    steps); past the deadline ``check`` raises :class:`RunLimit`, which ends the run. A run
    that reports no progress is abandoned at the deadline (it finishes in the background,
    holding one of the pool's two threads, so at most two such runs exist at once).
    """
    deadline = time.monotonic() + seconds
    message = f"{what} took longer than {seconds:g} s and was stopped; ask for fewer runs or draws"

    def check(*_: object) -> None:
        if time.monotonic() > deadline:
            raise RunLimit(message)

    future = _executor().submit(work, check)
    try:
        return future.result(timeout=seconds + 0.5)
    except TimeoutError:
        if future.cancel():
            raise RunLimit(f"the server is busy with other runs; try {what} again in a moment") from None
        raise RunLimit(message) from None


# --------------------------------------------------------------------------- plain values


def plain(value: Any) -> Any:
    """JSON-friendly copy: Fractions as exact text ``"p/q"`` (integers when whole), dates
    as ISO text, mappings as dicts, tuples as lists, NaN as None."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else str(value)
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    if hasattr(value, "item"):  # numpy scalars
        return plain(value.item())
    return str(value)


# --------------------------------------------------------------------------- the record


def election_ids() -> tuple[str, ...]:
    return packs.load().record().election_ids


def election(election_id: str):
    """The record's election (UnknownNameError, a 404, for an unknown id)."""
    return packs.load().record().election(check_id("election", election_id))


def elections_index() -> list[dict]:
    out = []
    for e in packs.load().record().elections:
        law = packs.load().law_of(e.id)
        out.append({"id": e.id, "date": e.date.isoformat(), "house_size": e.house_size, "law": law.id,
                    "method": law.general.method, "lists": len(e.lists), "seats_complete": e.seats_complete,
                    "registered": e.registered, "valid_votes": e.valid_votes, "turnout_pct": e.turnout_pct})
    return out


@lru_cache(maxsize=16)
def list_names(election_id: str) -> Mapping[str, tuple[str, str | None]]:
    """``list id -> (English name, Arabic name or None)``: national rows first, then the
    governorate rows of lists that won no national row (and Arabic names found there)."""
    e = election(election_id)
    names: dict[str, tuple[str, str | None]] = {x.list_id: (x.name_en, x.name_ar) for x in e.lists}
    for dv in e.district_results:
        for r in dv.rows:
            en, ar = names.get(r.list_id, (r.name_en, None))
            names[r.list_id] = (en, ar or r.name_ar)
    return names


# --------------------------------------------------------------------------- parliaments


@lru_cache(maxsize=64)
def parliament(election_id: str, law_id: str | None = None) -> elections.Parliament:
    election(election_id)
    return elections.parliament(election_id, check_id("law", law_id))


def list_rows(election_id: str, law_id: str | None = None) -> list[dict]:
    """:func:`muhasasa.reports.list_rows` with each list's Arabic name where the record has it."""
    names = list_names(election_id)
    return [{**r, "name_ar": names.get(r["list"], (None, None))[1]}
            for r in reports.list_rows(parliament(election_id, law_id))]


def district_rows(election_id: str, law_id: str | None = None) -> list[dict]:
    return reports.district_rows(parliament(election_id, law_id))


@lru_cache(maxsize=16)
def metric_rows(election_id: str) -> list[dict]:
    election(election_id)
    return reports.metric_rows(election_id)


def women_rows(election_id: str) -> tuple[list[dict], list[str]]:
    election(election_id)
    return reports.women_rows(election_id)


@lru_cache(maxsize=1)
def _verify_rows() -> list[dict]:
    return reports.check_rows(elections.verify())


def check_rows(election_id: str | None = None) -> list[dict]:
    """The record check (``muhasasa verify``): every district-election, or one election's."""
    if election_id:
        election(election_id)
    return [r for r in _verify_rows() if not election_id or r["election"] == election_id]


def summary(election_id: str, law_id: str | None = None) -> dict:
    p = parliament(election_id, law_id)
    seated = sum(x.seats_official or 0 for x in p.lists)
    return {"election": p.election, "law": p.law, "house_size": p.house_size, "seats_official": seated,
            "registered": p.registered, "valid_votes": p.valid_votes, "note": p.note,
            "status_counts": p.status_counts(), "computed_districts": list(p.computed_districts),
            "assumptions": [{"id": a.id, "applies_to": a.applies_to, "statement": a.statement,
                             "evidence": a.evidence} for a in p.assumptions],
            "lines": [line for line in reports.summary(p)["lines"] if line]}


@dataclass(frozen=True)
class Tile:
    """One governorate of the tile grid: its districts' checks summed."""

    name: str
    seats: int | None
    status: str
    statuses: Mapping[str, int]
    official: Mapping[str, int]
    computed: Mapping[str, int]
    districts: tuple[str, ...]
    row: int | None = None
    col: int | None = None

    def as_dict(self) -> dict:
        return {"governorate": self.name, "seats": self.seats, "status": self.status,
                "statuses": dict(self.statuses), "official": dict(self.official),
                "computed": dict(self.computed), "districts": list(self.districts),
                "row": self.row, "col": self.col}


@lru_cache(maxsize=4)
def tile_layout(pack: str = "iraq") -> Mapping[str, tuple[int, int]]:
    """Grid positions (row, column) of a pack's governorates, from ``web/tiles.toml``."""
    import tomllib

    data = tomllib.loads(resources.files("muhasasa.web").joinpath("tiles.toml").read_text(encoding="utf-8"))
    return {name: (int(pos[0]), int(pos[1])) for name, pos in data.get(pack, {}).items()}


def governorate_tiles(election_id: str, law_id: str | None = None) -> list[Tile]:
    """The parliament's district checks grouped by governorate (2021's 83 districts in 18)."""
    p = parliament(election_id, law_id)
    governorate_of = {d.name: d.governorate or d.name for d in packs.load().law(p.law).districts}
    groups: dict[str, list[elections.DistrictCheck]] = {}
    for c in p.checks:
        groups.setdefault(governorate_of.get(c.district, c.district), []).append(c)
    layout = tile_layout()
    tiles = []
    for name, checks in groups.items():
        statuses = Counter(c.status for c in checks)
        official: Counter[str] = Counter()
        computed: Counter[str] = Counter()
        for c in checks:
            official.update({k: v for k, v in c.official.items() if v})
            computed.update({k: v for k, v in c.computed.items() if v})
        seats = None if any(c.seats is None for c in checks) else sum(c.seats for c in checks)
        row, col = layout.get(name, (None, None))
        tiles.append(Tile(name, seats, next(iter(statuses)) if len(statuses) == 1 else "mixed",
                          dict(statuses), dict(official.most_common()), dict(computed.most_common()),
                          tuple(c.district for c in checks), row, col))
    return tiles


def hemicycle_groups(election_id: str, by: str) -> tuple[list[tuple[str, int, str]], str]:
    election(election_id)
    return reports.hemicycle_groups(election_id, by=by)


# --------------------------------------------------------------------------- laws


def laws_index() -> list[dict]:
    out = []
    for i in packs.load().law_ids():
        law = packs.load().law(i)
        out.append({"id": law.id, "title": law.title, "election": law.election, "date": law.date.isoformat(),
                    "method": law.general.method, "params": dict(law.general.params),
                    "district_plan": law.general.district_plan, "data_level": law.general.data_level,
                    "districts": len(law.districts), "house_size": law.house_size,
                    "threshold": law.general.threshold, "tie_rule": law.tie_rule,
                    "assumptions": [a.id for a in law.assumptions]})
    return out


def law(law_id: str) -> dict:
    law = packs.load().law(check_id("law", law_id))
    return {"id": law.id, "title": law.title, "election": law.election, "date": law.date.isoformat(),
            "legal_basis": law.legal_basis, "house_size": law.house_size, "ballot": law.ballot,
            "tie_rule": law.tie_rule, "general_seats": law.general_seats,
            "minority_seats": law.minority_seat_total, "compensatory_seats": law.compensatory_seats,
            "method": law.general.method, "params": dict(law.general.params),
            "threshold": law.general.threshold, "district_plan": law.general.district_plan,
            "data_level": law.general.data_level,
            "districts": [{"name": d.name, "governorate": d.governorate, "seats": d.seats} for d in law.districts],
            "women": law.women.rule if law.women else None,
            "assumptions": [{"id": a.id, "applies_to": a.applies_to, "statement": a.statement,
                             "evidence": a.evidence} for a in law.assumptions],
            "sources": list(law.sources), "description": reports.describe_laws(law.id)}


def law_lab(election_id: str, law_id: str) -> dict:
    """The same votes under the election's own law and under ``law_id``, list by list."""
    own = parliament(election_id)
    other = parliament(election_id, law_id)
    theirs = {x.list_id: x.seats_computed for x in other.lists}
    names = list_names(election_id)
    rows = [{"list": x.list_id, "name": x.name, "name_ar": names.get(x.list_id, (None, None))[1],
             "community": x.community, "votes": x.votes, "seats_official": x.seats_official,
             f"seats_law_{own.law}": x.seats_computed, f"seats_law_{other.law}": theirs.get(x.list_id)}
            for x in sorted(own.lists, key=lambda x: -(x.seats_official or 0))]
    return {"election": election_id, "own_law": own.law, "law": other.law,
            "own": summary(election_id), "other": summary(election_id, law_id), "rows": rows}


# --------------------------------------------------------------------------- blocs, games, power


def bloc_maps(election_id: str) -> list[dict]:

    election(election_id)
    return [{"id": m.id, "date": m.date.isoformat(), "title": m.title, "cycle": m.cycle,
             "blocs": [{"id": b.id, "name": b.name, "claimed_seats": b.claimed_seats,
                        "members": [{"list": mm.list_id, "seats": mm.seats} for mm in b.members]}
                       for b in m.blocs],
             "claims": [{"what": c.what, "count": c.count, "bloc": c.bloc, "note": c.note} for c in m.claims],
             "notes": m.notes, "sources": list(m.sources)} for m in packs.load().bloc_maps(election_id)]


@lru_cache(maxsize=32)
def cast(election_id: str, blocs: str | None = None):
    """The players of a parliament: lists (independents one seat each), or the blocs of a
    bundled bloc map named by id or date."""
    from muhasasa.parliament.assembly import players

    election(election_id)
    if blocs:
        chosen = packs.load().bloc_map(election_id, check_id("blocs", blocs))
        return players(election_id, level="bloc", bloc_map=chosen)
    return players(election_id, level="list")


@lru_cache(maxsize=1)
def steps() -> tuple[str, ...]:
    """The steps of the latest election's constitution (every decision and its run-off)."""
    from muhasasa import facade

    return facade.steps(packs.load().record().election_ids[-1])


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
    chosen: list[str] = []
    for m in members:
        check_id("member", m)
        if m not in players.weights:
            raise UnknownNameError("player", m, players.weights, source="member")
        chosen.append(m)
    groups = single_seat_groups(players)
    for item in take:
        base, sep, count = item.partition(":")
        if not sep or not count.isdigit():
            raise InputError("take", f"{item!r} is not LIST:COUNT (e.g. independents:12)")
        if base not in groups:
            raise UnknownNameError("list of single-seat players", base, groups, source="take")
        k = int(count)
        if k > len(groups[base]):
            raise InputError("take", f"{base} has {len(groups[base])} single-seat players, not {k}")
        chosen.extend(groups[base][:k])
    return list(dict.fromkeys(chosen))


def coalition(election_id: str, blocs: str | None, members: Sequence[str], take: Sequence[str] = ()) -> dict:
    """What a coalition can do at each constitutional step: carry it, block it, or neither."""
    from muhasasa.parliament.assembly import decision_game

    players = cast(election_id, blocs)
    chosen = coalition_members(players, members, take)
    seats = sum(players.weights[p] for p in chosen)
    rows = []
    for step in steps():
        game = decision_game(players, step)
        rows.append({"step": step, "game": game.label, "quota": game.quota, "blocking": game.blocking_size,
                     "seats": seats, "carries": game.wins(chosen), "blocks": game.blocks(chosen)})
    mandate = reports.mandate_rows(election_id, players, chosen) if chosen else None
    return {"election": election_id, "blocs": players.bloc_map.id if players.bloc_map else None,
            "total": players.total, "members": chosen, "seats": seats, "steps": rows, "mandate": mandate}


def indices() -> list[dict]:
    from muhasasa.parliament.power import INDICES

    return [{"id": i.id, "title": i.title, "reference": i.reference} for i in INDICES.values()]


@lru_cache(maxsize=64)
def _power(election_id: str, blocs: str | None, step: str, chosen: tuple[str, ...]) -> tuple[dict, list[dict]]:
    from muhasasa.parliament.assembly import decision_game
    from muhasasa.parliament.power import get_index

    players = cast(election_id, blocs)
    for i in chosen:
        get_index(i)
    game = decision_game(players, _step(step))
    rows = bounded(lambda check: reports.power_table(players, game, chosen), seconds=POWER_SECONDS,
                   what="the power indices")
    return {"game": game.label, "quota": game.quota, "blocking": game.blocking_size, "total": game.total}, rows


def power(election_id: str, blocs: str | None, step: str, index_ids: Sequence[str]) -> dict:
    """Exact power indices of every player at one step (Fractions kept exact)."""
    chosen = tuple(dict.fromkeys(check_id("index", i) for i in index_ids if i)) or DEFAULT_INDICES
    game, rows = _power(election_id, check_id("blocs", blocs), step, chosen)
    return {"election": election_id, "blocs": blocs, "step": step, "indices": list(chosen), **game, "rows": rows}


def coalition_patterns(election_id: str, blocs: str | None, step: str, kind: str, limit: int) -> dict:
    """Minimal winning or blocking coalitions (patterns), with a time limit."""
    from muhasasa.parliament.assembly import decision_game
    from muhasasa.parliament.coalitions import coalitions

    players = cast(election_id, check_id("blocs", blocs))
    game = decision_game(players, _step(step))
    found = bounded(lambda check: coalitions(game, kind, player_communities=players.community_seats),
                    seconds=POWER_SECONDS, what="the coalition search")
    return {"election": election_id, "blocs": blocs, "step": step, "kind": kind, "game": game.label,
            "patterns": len(found), "coalitions": sum(p.count for p in found),
            "rows": reports.coalition_rows(found[:limit])}


# --------------------------------------------------------------------------- formation


def cycles() -> list[dict]:
    from muhasasa.formation.history import cycle_records

    return [cycle_summary(c) for c in cycle_records()]


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
    from muhasasa.formation.history import cycle_record, events

    cycle_record(check_id("cycle", cycle))
    return [{"id": e.id, "date": e.date.isoformat(), "kind": e.kind, "actors": list(e.actors), "by": e.by,
             "removable": e.removable, "notes": e.notes} for e in sorted(events(cycle), key=lambda e: e.date)]


def player_names(cycle: str) -> dict[str, str]:
    """English names of the ids a replay uses: actors, blocs of the cycle, record lists."""
    from muhasasa.formation.history import actors, cycle_record

    record = cycle_record(cycle)
    names = {k: en for k, (en, _) in list_names(record.election).items()}
    for m in packs.load().bloc_maps(record.election):
        names.update({b.id: b.name for b in m.blocs})
    try:
        names.update({a.id: a.name for a in actors(cycle).actors.values() if a.name})
    except MuhasasaError:
        pass
    return names


@lru_cache(maxsize=32)
def _replay(cycle: str, runs: int, seed: int, without: tuple[str, ...]) -> dict:
    from muhasasa.formation.replay import replay

    report = bounded(lambda check: replay(cycle, runs=runs, seed=seed, without=without, progress=check),
                     seconds=RUN_SECONDS, what=f"the replay of {cycle}")
    return report.as_dict()


def formation(cycle: str, runs: int, seed: int, without: Sequence[str] = ()) -> dict:
    """A cycle's record beside a seeded replay of it (bounded: runs ≤ MAX_RUNS, a time limit)."""
    from muhasasa.formation.history import cycle_record
    from muhasasa.formation.setup import replayable_cycles

    check_id("cycle", cycle)
    if cycle not in replayable_cycles():
        raise UnknownNameError("replayable cycle", cycle, replayable_cycles(), source="cycle")
    if not 1 <= runs <= MAX_RUNS:
        raise InputError("runs", f"runs must lie between 1 and {MAX_RUNS}, got {runs}")
    drop = tuple(sorted(dict.fromkeys(check_id("without", w) for w in without if w)))
    replay = _replay(cycle, runs, seed, drop)
    return {"cycle": cycle, "record": cycle_summary(cycle_record(cycle)), "events": cycle_events(cycle),
            "replay": replay}


# --------------------------------------------------------------------------- scenarios


def montecarlo_available() -> bool:
    """Whether the Monte Carlo stage is installed (it is optional to the explorer)."""
    import importlib

    try:
        for name in ("muhasasa.montecarlo", "muhasasa.scenarios"):
            importlib.import_module(name)
    except ImportError:
        return False
    return True


@lru_cache(maxsize=1)
def _scenario_texts() -> Mapping[str, str]:
    folder = resources.files("muhasasa.web").joinpath("scenarios")
    return {item.name[: -len(".toml")]: item.read_text(encoding="utf-8")
            for item in sorted(folder.iterdir(), key=lambda p: p.name) if item.name.endswith(".toml")}


def scenario_ids() -> tuple[str, ...]:
    return tuple(_scenario_texts()) if montecarlo_available() else ()


@lru_cache(maxsize=8)
def _scenario(scenario_id: str):
    from muhasasa.scenarios import parse_scenario

    texts = _scenario_texts()
    if check_id("scenario", scenario_id) not in texts or not montecarlo_available():
        raise UnknownNameError("example scenario", scenario_id, scenario_ids(), source="scenario")
    # the bundled examples name no file, so the folder they would be read from is never used
    return parse_scenario(texts[scenario_id], f"{scenario_id}.toml", base_dir=".")


def scenarios() -> list[dict]:
    out = []
    for sid in scenario_ids():
        s = _scenario(sid)
        out.append({"id": sid, "title": s.title, "base": s.base, "law": s.law.id, "level": s.level,
                    "model": s.uncertainty.model, "interventions": [iv.describe() for iv in s.interventions],
                    "formation": s.formation_stage, "text": s.text})
    return out


def _run(s, draws: int, seed: int):
    from muhasasa.montecarlo import simulate

    return bounded(lambda check: simulate(s, draws, seed, progress=check, formation_draws=FORMATION_DRAWS),
                   seconds=RUN_SECONDS, what="the Monte Carlo run")


@lru_cache(maxsize=8)
def _simulate(scenario_id: str, draws: int, seed: int):
    return _run(_scenario(scenario_id), draws, seed)


#: The name an edited scenario's text is parsed under (its messages are located in it).
EDITED_SOURCE = "scenario.toml"
_FILE_REFUSED = "files cannot be named from the web; use a pack id"


def _refuse_files(text: str) -> None:
    """An InputError naming the field if an edited scenario names a file (a law file, a bloc
    map file, a convention file): from the web, only ids of the pack are accepted.

    Checked on the parsed TOML before the scenario is read, so no path is ever opened; what
    is not a table of the expected shape is left to the library's own (located) validation.
    """
    from muhasasa.tomlfiles import parse

    _, raw = parse(text.encode("utf-8"), EDITED_SOURCE)  # bad TOML: the library's located message
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
    from muhasasa.scenarios import parse_scenario

    if not montecarlo_available():
        raise RunLimit("the Monte Carlo stage is not installed")
    _refuse_files(text)
    # base_dir is never read: every file reference was refused above
    return parse_scenario(text, EDITED_SOURCE, base_dir=".")


@lru_cache(maxsize=8)
def _simulate_edited(text: str, draws: int, seed: int):
    return _run(_edited(text), draws, seed)


def _check_draws(draws: int) -> None:
    if not 1 <= draws <= MAX_DRAWS:
        raise InputError("draws", f"draws must lie between 1 and {MAX_DRAWS}, got {draws}")


def _simulation_of(result) -> dict:
    return {"meta": result.meta(), "summary": list(result.summary), "governments": list(result.governments)}


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


def _histogram(result, player: str) -> dict[int, int]:
    lists = list(result.scenario.table.lists)
    if player not in lists:
        raise UnknownNameError("list of the scenario", player, lists, source="player")
    column = result.lists[:, lists.index(player)]
    counts = Counter(int(v) for v in column)
    return dict(sorted(counts.items()))
