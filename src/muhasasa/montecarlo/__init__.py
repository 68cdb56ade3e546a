"""Monte Carlo: draw votes under uncertainty and run the pipeline many times.

Each draw goes votes → seats (:func:`~muhasasa.methods.batch.allocate_batch` per district,
exactly as :func:`muhasasa.allocate` would) → national seats per list → the scenario's
resignations → blocs → games: does a list or bloc reach the absolute majority (165 of
329), the two-thirds the presidential session needs (220), a blocking third (110, the
absentees that deny it)? Optionally each draw's parliament then goes through a formation
run (:mod:`muhasasa.formation`). Results are distributions with their Monte Carlo error:
a probability ``p`` estimated from ``N`` draws carries ``sqrt(p (1-p) / N)``.

**Uncertainty models** (parameters in the scenario's ``[uncertainty]``, see
:class:`muhasasa.scenarios.Uncertainty`), all driven by one
:class:`numpy.random.Generator` per chunk of draws:

* ``none``: every draw is the base table (the deterministic result, N times);
* ``dirichlet``: each district's shares ``q ~ Dirichlet(concentration * p)`` around the base
  shares ``p``; votes are ``q`` times the district's itemized votes, rounded;
* ``logit-normal``: each list's log-share moves by ``sigma * (sqrt(rho) z + sqrt(1 - rho) e)``,
  ``z`` one national normal per list and draw, ``e`` one per governorate: the effects of a
  list are multivariate normal across governorates with correlation ``rho``;
* ``multinomial``: the ballots are drawn, ``Multinomial(n, p)`` per district with ``n`` the
  district's ballots (or ``ballots``); with ``ballots`` the other models add this stage.

**Reproducible, whatever the parallelism.** Draws are cut into chunks of
:data:`CHUNK`; chunk ``c`` draws from the ``c``-th child of ``SeedSequence(seed)`` and the
chunks are the same whether they run in one process, in ``K`` worker processes
(:class:`concurrent.futures.ProcessPoolExecutor`) or on a Dask cluster, so the same seed
gives the same numbers, byte for byte in the Parquet files.

**Outputs** (:func:`write_result`): ``draws.parquet`` (draw, level, player, seats),
``summary.parquet`` (per list and bloc: base seats, mean, sd, p5, p50, p95, and the
probabilities of reaching each quota with their errors), ``base.parquet`` (the vote
table), ``formation.parquet`` and ``governments.parquet`` when formation ran, the
``scenario.toml`` as written and ``meta.json`` (seed, draws, model, the base's label).
The folder is written to a temporary folder beside it and renamed at the end, so an
error leaves nothing half-written. :func:`query` reads them with DuckDB.

>>> from muhasasa.scenarios import parse_scenario
>>> text = 'base = "2025"\\nlevel = "governorate"\\n[uncertainty]\\nmodel = "dirichlet"\\nconcentration = "5000"\\n'
>>> r = simulate(parse_scenario(text, "x.toml"), draws=200, seed=1)
>>> row = r.row("list", "rd")
>>> row["base_seats"], 40 < row["mean"] < 50, 0 <= row["p_majority"] <= 1, row["se_majority"]
(46, True, True, 0.0)
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from muhasasa import packs
from muhasasa.errors import InputError, MuhasasaError, TieError, UnknownNameError
from muhasasa.methods import METHODS, allocate
from muhasasa.methods.thresholds import threshold_votes
from muhasasa.montecarlo import store
from muhasasa.scenarios import Scenario

__all__ = [
    "CHUNK",
    "Comparison",
    "MAX_DRAWS",
    "Result",
    "check_draws",
    "check_out",
    "compare",
    "dask_client",
    "make_plan",
    "query",
    "read_summary",
    "simulate",
    "sweep",
    "write_result",
]

#: Draws per chunk: the unit of seeding and of parallel work (fixed, so results do not
#: depend on the number of workers).
CHUNK = 1000
#: More draws than this are refused: the Monte Carlo error is long negligible by then.
MAX_DRAWS = 10_000_000
#: Draws that get a formation run of their own when the parliament varies: each new
#: parliament needs its own bargaining tables (0.01 s for 2026, about 0.2 s for 2022).
FORMATION_DRAWS = 100
#: Government outcomes (PM bloc, coalition) listed one by one; the rest are summed as "other".
TOP_OUTCOMES = 12


# --------------------------------------------------------------------------- the batch path


def _allocate_batch_reference(votes, seats, method: str = "sainte-lague-modified", *, tie_break: str = "refuse",
                              seed: int | None = None, threshold: str | None = None, **params: object) -> np.ndarray:
    """The batch contract by a plain loop over :func:`muhasasa.allocate` (slow, obviously right).

    >>> _allocate_batch_reference(np.array([[[100000, 80000, 30000, 20000]]]), np.array([8]),
    ...                           first_divisor="1.7").tolist()
    [[[4, 3, 1, 0]]]
    """
    votes = np.asarray(votes, dtype=np.int64)
    seats = np.asarray(seats, dtype=np.int64)
    out = np.zeros_like(votes)
    for d in range(votes.shape[0]):
        for k in range(votes.shape[1]):
            names = {str(i): int(v) for i, v in enumerate(votes[d, k])}
            result = allocate(names, int(seats[k]), method=method, threshold=threshold,
                              tie_break=tie_break, seed=seed, **params)
            out[d, k] = [result.seats[str(i)] for i in range(votes.shape[2])]
    return out


def _batch() -> Callable[..., np.ndarray]:
    """:func:`muhasasa.methods.batch.allocate_batch` where it exists, else the reference loop."""
    try:
        from muhasasa.methods.batch import allocate_batch
    except ImportError:  # pragma: no cover - until the vectorized path lands
        return _allocate_batch_reference
    return allocate_batch


# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class _FormationPlan:
    """What formation needs, as plain values: each process prepares the cycle itself."""

    cycle: str
    without: tuple[str, ...]
    vetoes: tuple
    convention: bool
    limit: int
    left_out: tuple[str, ...] = ()


@functools.lru_cache(maxsize=8)
def _formation_tools(f: _FormationPlan):
    """The cycle's prepared scenario (recorded events as the plan says), actors and parameters."""
    from muhasasa.formation.history import actors
    from muhasasa.formation.replay import calibrated_parameters
    from muhasasa.formation.setup import prepare

    base = prepare(f.cycle, without=f.without, convention=f.convention)
    base = replace(base, vetoes=tuple(sorted(base.vetoes + f.vetoes, key=lambda v: v[0])))
    return base, actors(f.cycle), calibrated_parameters()


@dataclass(frozen=True)
class Plan:
    """Everything a chunk of draws needs, prepared once (picklable for worker processes)."""

    lists: tuple[str, ...]
    communities: tuple[str, ...]
    votes: np.ndarray
    residual: np.ndarray
    seats: np.ndarray
    held: np.ndarray
    method: str
    params: Mapping[str, str]
    threshold: str | None
    tie_break: str
    model: str
    concentration: float
    sigma: float
    correlation: float
    ballots: int | None
    resignations: tuple[tuple[int, int | None, tuple[int, ...]], ...]
    players: tuple[str, ...]
    bloc_ops: tuple[tuple[int, int, int | None], ...]
    list_players: tuple[tuple[int, int], ...]
    quotas: Mapping[str, int]
    formation: _FormationPlan | None = None

    @property
    def house_size(self) -> int:
        return int(self.seats.sum() + self.held.sum())


def check_draws(draws: int) -> int:
    """A usable number of draws, or an InputError saying why not."""
    if isinstance(draws, bool) or not isinstance(draws, int):
        raise InputError("--draws", f"the number of draws must be a whole number, got {draws!r}")
    if draws <= 0:
        raise InputError("--draws", f"the number of draws must be positive, got {draws}")
    if draws > MAX_DRAWS:
        raise InputError("--draws", f"{draws} draws is more than the {MAX_DRAWS:,} allowed; the Monte Carlo "
                                    "error is negligible long before")
    return draws


def _quotas(size: int) -> dict[str, int]:
    constitution = packs.load().constitution()
    majority = constitution.decision("speaker")
    two_thirds = constitution.decision("president")
    m = max(majority.quorum_seats(size) or 0, majority.threshold_seats(size, size))
    t = max(two_thirds.quorum_seats(size) or 0, two_thirds.threshold_seats(size, size))
    return {"majority": m, "two_thirds": t, "blocking": size - t + 1}


def make_plan(scenario: Scenario, *, formation: bool | None = None, formation_draws: int | None = None) -> Plan:
    """The chunk plan of a scenario: its table, law, model, blocs, quotas and formation."""
    t = scenario.table
    law = scenario.law
    u = scenario.uncertainty
    tie_break = "lot" if u.ties == "lot" else law.tie_rule
    resignations = []
    for list_id, seats in scenario.resignations:
        i = t.lists.index(list_id)
        community = t.communities[i]
        peers = tuple(j for j in range(len(t.lists)) if j != i and (t.communities[j] == community
                                                                    or community == "unclassified"))
        resignations.append((i, seats, peers or tuple(j for j in range(len(t.lists)) if j != i)))
    players, bloc_ops, list_players = _players(scenario)
    plan = Plan(
        lists=t.lists, communities=t.communities, votes=t.votes, residual=t.residual, seats=t.seats,
        held=t.held, method=law.general.method, params=dict(law.general.params),
        threshold=law.general.threshold, tie_break=tie_break, model=u.model,
        concentration=float(u.concentration or 0), sigma=float(u.sigma or 0),
        correlation=float(u.correlation or 0), ballots=u.ballots, resignations=tuple(resignations),
        players=players, bloc_ops=bloc_ops, list_players=list_players, quotas=_quotas(t.house_size),
    )
    run_formation = scenario.formation_stage if formation is None else formation
    if run_formation:
        plan = replace(plan, formation=_formation_plan(scenario, plan, formation_draws))
    return plan


def _players(scenario: Scenario):
    """Players of the bloc stage: the bloc map's blocs, then every list's seats left over."""
    t = scenario.table
    m = scenario.bloc_map
    players: list[str] = []
    ops: list[tuple[int, int, int | None]] = []
    if m is not None:
        for b in m.blocs:
            players.append(b.id)
            for member in b.members:
                for successor in t.renames.get(member.list_id, (member.list_id,)):
                    if successor in t.lists:
                        ops.append((len(players) - 1, t.lists.index(successor), member.seats))
    list_players = []
    for i, list_id in enumerate(t.lists):
        players.append(list_id)
        list_players.append((len(players) - 1, i))
    return tuple(players), tuple(ops), tuple(list_players)


def _formation_plan(scenario: Scenario, plan: Plan, limit: int | None) -> _FormationPlan:
    f = scenario.formation
    if limit is not None and (isinstance(limit, bool) or limit < 1):
        raise InputError("--formation-draws", f"must be a positive whole number, got {limit!r}")
    if f is None:
        raise InputError(scenario.source, f"election {scenario.base} opened no replayable formation cycle, "
                                          "so formation cannot run", field="base")
    if scenario.table.renames:
        raise InputError(scenario.source, "formation replays need the record's lists; a merge or split cannot "
                                          "reach formation (run without --formation)", field="interventions")
    varies = plan.model != "none"
    out = _FormationPlan(f.cycle, f.without, f.vetoes, f.convention,
                         limit if limit is not None else (FORMATION_DRAWS if varies else MAX_DRAWS))
    cast = _formation_tools(out)[1]
    left_out = []
    for list_id in plan.lists:
        try:
            cast.actor_of(list_id)
        except (InputError, UnknownNameError):
            left_out.append(list_id)
    out = replace(out, left_out=tuple(left_out))
    base_seats = _national(plan, _seats(plan, plan.votes[None], 0))[0]
    _formation_scenario(out, _list_seats(plan, base_seats), scenario.source)
    return out


# --------------------------------------------------------------------------- one chunk


def _draw_votes(plan: Plan, rng: np.random.Generator, n: int) -> np.ndarray:
    """Votes of ``n`` draws, shape (n, districts, lists), under the plan's model."""
    votes = plan.votes
    if plan.model == "none" or votes.size == 0:
        return np.broadcast_to(votes, (n, *votes.shape)).copy()
    totals = votes.sum(axis=1)
    safe = np.where(totals > 0, totals, 1)
    p = votes / safe[:, None]
    alive = votes > 0
    if plan.model == "dirichlet":
        alpha = np.where(alive, plan.concentration * p, 1.0)
        g = rng.standard_gamma(np.broadcast_to(alpha, (n, *alpha.shape)))
        g = np.where(alive, g, 0.0)
        q = g / np.maximum(g.sum(axis=2, keepdims=True), 1e-300)
    elif plan.model == "logit-normal":
        rho = plan.correlation
        z = rng.standard_normal((n, 1, votes.shape[1]))
        e = rng.standard_normal((n, *votes.shape))
        eps = plan.sigma * (math.sqrt(rho) * z + math.sqrt(1.0 - rho) * e)
        logits = np.where(alive, np.log(np.where(alive, p, 1.0)) + eps, -np.inf)
        logits -= logits.max(axis=2, keepdims=True)
        w = np.where(alive, np.exp(logits), 0.0)
        q = w / w.sum(axis=2, keepdims=True)
    else:
        q = np.broadcast_to(p, (n, *p.shape))
    if plan.model == "multinomial" or plan.ballots is not None:
        ballots = np.full(totals.shape, plan.ballots) if plan.ballots is not None else totals
        q = q / np.maximum(q.sum(axis=2, keepdims=True), 1e-300)
        counts = rng.multinomial(np.broadcast_to(ballots, (n, totals.shape[0])), q)
        if plan.ballots is None:
            return counts.astype(np.int64)
        q = counts / np.maximum(ballots, 1)[None, :, None]
    return np.rint(q * totals[None, :, None]).astype(np.int64)


def _seats(plan: Plan, votes: np.ndarray, tie_seed: int) -> np.ndarray:
    """Seats per draw, district and list, exactly as the law allocates them."""
    if votes.shape[1] == 0:
        return np.zeros(votes.shape, dtype=np.int64)
    batch = _batch()
    method = METHODS[plan.method]
    threshold = plan.threshold
    needs_total = method.family == "quota" and plan.params.get("quota_base") != "eligible"
    text = (threshold or "none").strip().lower()
    threshold_on_total = text.endswith("%") or "quota" in text
    try:
        if not plan.residual.any() or not (needs_total or threshold_on_total):
            return batch(votes, plan.seats, plan.method, tie_break=plan.tie_break, seed=tie_seed,
                         threshold=threshold, **plan.params)
        if needs_total:
            return _with_residual(plan, votes, tie_seed)
        kept = votes.copy()
        for d in range(votes.shape[1]):
            n = int(plan.seats[d])
            zero = threshold_votes(threshold, 0, n) or Fraction(0)
            slope = (threshold_votes(threshold, 1, n) or Fraction(0)) - zero
            # eligible: v >= zero + slope * total, in integers over a common denominator
            den = slope.denominator * zero.denominator
            total = votes[:, d, :].sum(axis=1) + int(plan.residual[d])
            need = slope.numerator * zero.denominator * total + zero.numerator * slope.denominator
            below = kept[:, d, :] * den < need[:, None]
            kept[:, d, :][below] = 0
        return batch(kept, plan.seats, plan.method, tie_break=plan.tie_break, seed=tie_seed, **plan.params)
    except TieError as exc:
        raise MuhasasaError(f"{exc} (in a Monte Carlo draw; the law's tie rule is 'refuse': write ties = \"lot\" "
                            "in [uncertainty] to settle draws' ties by lot)") from None


def _with_residual(plan: Plan, votes: np.ndarray, tie_seed: int) -> np.ndarray:
    """The exact path draw by draw, with the unitemized votes counted in the quota."""
    out = np.zeros_like(votes)
    for k in range(votes.shape[0]):
        for d in range(votes.shape[1]):
            names = {str(i): int(v) for i, v in enumerate(votes[k, d])}
            result = allocate(names, int(plan.seats[d]), method=plan.method, threshold=plan.threshold,
                              residual_votes=int(plan.residual[d]), tie_break=plan.tie_break, seed=tie_seed,
                              **plan.params)
            out[k, d] = [result.seats[str(i)] for i in range(votes.shape[2])]
    return out


def _national(plan: Plan, seats: np.ndarray) -> np.ndarray:
    return seats.sum(axis=1) + plan.held[None, :]


def _resign(plan: Plan, national: np.ndarray, tie_seed: int) -> np.ndarray:
    """Vacated seats refilled among the resigning list's community (largest remainder on seats)."""
    batch = _batch()
    national = national.copy()
    for i, count, peers in plan.resignations:
        vacated = national[:, i].copy() if count is None else np.minimum(national[:, i], count)
        national[:, i] -= vacated
        peer_idx = list(peers)
        for v in np.unique(vacated):
            if v <= 0:
                continue
            rows = np.flatnonzero(vacated == v)
            weights = national[np.ix_(rows, peer_idx)][:, None, :]
            extra = batch(weights, np.array([v]), "largest-remainder", tie_break="lot", seed=tie_seed,
                          quota="hare")
            national[np.ix_(rows, peer_idx)] += extra[:, 0, :]
    return national


def _bloc_seats(plan: Plan, national: np.ndarray) -> np.ndarray:
    remaining = national.copy()
    out = np.zeros((national.shape[0], len(plan.players)), dtype=np.int64)
    for player, i, seats in plan.bloc_ops:
        take = remaining[:, i] if seats is None else np.minimum(remaining[:, i], seats)
        out[:, player] += take
        remaining[:, i] -= take
    for player, i in plan.list_players:
        out[:, player] = remaining[:, i]
    return out


def _list_seats(plan: Plan, row: np.ndarray) -> dict[str, int]:
    return {plan.lists[i]: int(v) for i, v in enumerate(row) if v}


def _formation_scenario(f: _FormationPlan, list_seats: Mapping[str, int], source: str = "scenario"):
    """The formation scenario of one parliament: the cycle's prepared scenario with these
    seats, and the recorded resignations scripted on them as :func:`prepare` does."""
    from muhasasa.formation.history import cycle_record, events
    from muhasasa.formation.setup import REPLACEMENT_ASSUMPTION, _actor_states, _resign

    base, cast, _ = _formation_tools(f)
    try:
        states = _actor_states(cast, {k: v for k, v in list_seats.items() if k not in f.left_out})
    except InputError as exc:
        raise InputError(source, f"formation cannot seat this parliament: {exc}") from None
    scenario = replace(base, actors=states, house_size=sum(a.seats for a in states))
    election_day = cycle_record(f.cycle).dates.election
    scripted = []
    current = scenario
    for event in sorted(events(f.cycle), key=lambda e: e.date):
        if event.id in f.without or event.kind != "resignation":
            continue
        day = (event.date - election_day).days
        seats = int(event.payload.get("seats", 0))
        replaced = event.payload.get("replaced_by") or {}
        sworn = int(replaced.get("sworn_in", seats)) if isinstance(replaced, Mapping) else seats
        current = _resign(current, event.actors[0], seats, sworn)
        text = f"{event.actors[0]} resign {seats} seats; {sworn} replacements sworn in ({REPLACEMENT_ASSUMPTION})"
        scripted.append((day, current, text, f"event {event.id}; 2020 law: next-highest candidate"))
    return replace(scenario, events=tuple(scripted))


@functools.lru_cache(maxsize=256)
def _simulator(f: _FormationPlan, seats: tuple[tuple[str, int], ...]):
    """A formation simulator for one parliament (its bargaining tables are built once)."""
    from muhasasa.formation.model import Simulator

    return Simulator(_formation_scenario(f, dict(seats)), _formation_tools(f)[2])


def _form(f: _FormationPlan, rows: np.ndarray, plan: Plan, first: int, ss: np.random.SeedSequence) -> list[tuple]:
    out = []
    streams = ss.spawn(rows.shape[0])
    for k in range(rows.shape[0]):
        if first + k >= f.limit:
            break
        seats = _list_seats(plan, rows[k])
        g = _simulator(f, tuple(sorted(seats.items()))).run(np.random.default_rng(streams[k]))
        out.append((first + k, g.pm_bloc or "", bool(g.formed), int(g.days) if g.days is not None else -1,
                    " + ".join(sorted(g.coalition))))
    return out


@dataclass(frozen=True)
class _Chunk:
    index: int
    first: int
    lists: np.ndarray
    players: np.ndarray
    formation: tuple


def _run_chunk(plan: Plan, index: int, first: int, count: int, ss: np.random.SeedSequence) -> _Chunk:
    """One chunk of draws: its own generator, its own tie seed, its own formation streams."""
    votes_ss, form_ss = ss.spawn(2)
    rng = np.random.default_rng(votes_ss)
    tie_seed = int(votes_ss.generate_state(1)[0])
    votes = _draw_votes(plan, rng, count)
    national = _national(plan, _seats(plan, votes, tie_seed))
    if plan.resignations:
        national = _resign(plan, national, tie_seed)
    players = _bloc_seats(plan, national)
    formation = tuple(_form(plan.formation, national, plan, first, form_ss)) if plan.formation else ()
    return _Chunk(index, first, national.astype(np.int32), players.astype(np.int32), formation)


def _tasks(plan: Plan, draws: int, seed: int) -> list[tuple]:
    chunks = math.ceil(draws / CHUNK)
    children = np.random.SeedSequence(seed).spawn(chunks)
    return [(plan, c, c * CHUNK, min(CHUNK, draws - c * CHUNK), children[c]) for c in range(chunks)]


def _task(args: tuple) -> _Chunk:
    return _run_chunk(*args)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Result:
    """The draws of one scenario, their summaries and what produced them.

    ``lists`` is (draws, lists) national seats, ``players`` (draws, players) seats per bloc
    or unaligned list; ``formation`` one row per draw that went through formation
    (draw, PM bloc, formed, days, coalition).
    """

    scenario: Scenario
    plan: Plan
    seed: int
    draws: int
    workers: int
    lists: np.ndarray
    players: np.ndarray
    formation: tuple
    base_lists: np.ndarray
    base_players: np.ndarray
    summary: tuple[dict, ...] = field(default=())
    governments: tuple[dict, ...] = field(default=())

    def row(self, level: str, player: str) -> dict:
        """The summary row of one list (``level="list"``) or bloc-stage player (``"bloc"``)."""
        for r in self.summary:
            if r["level"] == level and r["player"] == player:
                return r
        raise InputError("player", f"no {level} {player!r} in this result")

    def meta(self) -> dict:
        t = self.scenario.table
        return {
            "scenario": self.scenario.source, "title": self.scenario.title, "base": self.scenario.base,
            "law": self.scenario.law.id, "level": t.level, "exact": t.exact, "label": t.label,
            "basis": t.basis, "reasons": list(t.reasons), "notes": list(t.notes),
            "held_districts": list(t.held_districts), "seed": self.seed, "draws": self.draws,
            "chunk": CHUNK, "workers": self.workers, "uncertainty": self.scenario.uncertainty.as_dict(),
            "tie_break": self.plan.tie_break, "house_size": self.plan.house_size, "quotas": dict(self.plan.quotas),
            "bloc_map": self.scenario.bloc_map.id if self.scenario.bloc_map is not None else None,
            "formation": None if self.plan.formation is None else {
                "cycle": self.plan.formation.cycle, "without_events": list(self.plan.formation.without),
                "convention": self.plan.formation.convention,
                "draws_with_formation": len(self.formation),
                "left_out": list(self.plan.formation.left_out),
                "note": ("every draw went through one formation run" if len(self.formation) == self.draws else
                         f"the first {len(self.formation)} draws went through one formation run each, with their "
                         "own parliament (a fresh bargaining table per parliament is costly)")
                + (f"; the seats of {', '.join(self.plan.formation.left_out)} (no actor of the cycle) sit out"
                   if self.plan.formation.left_out else ""),
            },
            "interventions": [iv.describe() for iv in self.scenario.interventions],
            "versions": _versions(),
        }


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("muhasasa", "numpy"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:  # pragma: no cover
            out[name] = "unknown"
    return out


def _se(p: float, n: int) -> float:
    return math.sqrt(max(p * (1.0 - p), 0.0) / n) if n else float("nan")


def _summarise(level: str, names: Sequence[str], labels: Sequence[str], communities: Sequence[str],
               seats: np.ndarray, base: np.ndarray, quotas: Mapping[str, int]) -> list[dict]:
    n = seats.shape[0]
    rows = []
    q = np.quantile(seats, [0.05, 0.5, 0.95], axis=0, method="inverted_cdf") if n else None
    for j, player in enumerate(names):
        column = seats[:, j]
        if not column.any() and not base[j]:
            continue
        row = {"level": level, "player": player, "name": labels[j], "community": communities[j],
               "base_seats": int(base[j]), "mean": float(column.mean()), "sd": float(column.std()),
               "p5": int(q[0, j]), "p50": int(q[1, j]), "p95": int(q[2, j])}
        for key, quota in (("majority", quotas["majority"]), ("two_thirds", quotas["two_thirds"]),
                           ("blocking", quotas["blocking"])):
            p = float((column >= quota).mean())
            row[f"p_{key}"] = p
            row[f"se_{key}"] = _se(p, n)
        rows.append(row)
    rows.sort(key=lambda r: (-r["mean"], r["player"]))
    return rows


def _governments(formation: Sequence[tuple]) -> list[dict]:
    n = len(formation)
    if not n:
        return []
    out = []
    formed = sum(1 for f in formation if f[2])
    out.append({"outcome": "formed", "value": "yes", "probability": formed / n, "se": _se(formed / n, n), "runs": n})
    for key, column in (("pm_bloc", 1), ("coalition", 4)):
        counts: dict[str, int] = {}
        for f in formation:
            if f[2]:
                counts[f[column]] = counts.get(f[column], 0) + 1
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        shown, rest = ranked[:TOP_OUTCOMES], sum(c for _, c in ranked[TOP_OUTCOMES:])
        for value, c in shown + ([(f"other ({len(ranked) - TOP_OUTCOMES})", rest)] if rest else []):
            out.append({"outcome": key, "value": value, "probability": c / n, "se": _se(c / n, n), "runs": n})
    days = sorted(f[3] for f in formation if f[2])
    if days:
        for label, qv in (("days_p10", 0.1), ("days_median", 0.5), ("days_p90", 0.9)):
            out.append({"outcome": label, "value": str(int(np.quantile(days, qv, method="inverted_cdf"))),
                        "probability": float("nan"), "se": float("nan"), "runs": n})
    return out


def _finish(scenario: Scenario, plan: Plan, seed: int, draws: int, workers: int, chunks: Sequence[_Chunk]) -> Result:
    chunks = sorted(chunks, key=lambda c: c.index)
    lists = np.concatenate([c.lists for c in chunks]) if chunks else np.zeros((0, len(plan.lists)), np.int32)
    players = np.concatenate([c.players for c in chunks])
    formation = tuple(f for c in chunks for f in c.formation)
    zero = replace(plan, model="none", ballots=None, formation=None)
    base = _run_chunk(zero, 0, 0, 1, np.random.SeedSequence(seed))
    t = scenario.table
    names = dict(zip(t.lists, t.names))
    communities = dict(zip(t.lists, t.communities))
    blocs = {b.id: b.name for b in scenario.bloc_map.blocs} if scenario.bloc_map is not None else {}
    summary = _summarise("list", t.lists, t.names, t.communities, lists, base.lists[0], plan.quotas)
    if scenario.bloc_map is not None:
        labels = [blocs.get(p) or names.get(p, p) for p in plan.players]
        comm = ["bloc" if p in blocs else communities.get(p, "unclassified") for p in plan.players]
        summary += _summarise("bloc", plan.players, labels, comm, players, base.players[0], plan.quotas)
    return Result(scenario, plan, seed, draws, workers, lists, players, formation, base.lists[0], base.players[0],
                  tuple(summary), tuple(_governments(formation)))


def simulate(
    scenario: Scenario,
    draws: int = 1000,
    seed: int = 0,
    *,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
    formation: bool | None = None,
    formation_draws: int | None = None,
    dask: Any = None,
) -> Result:
    """Run ``draws`` draws of a scenario; identical for a seed whatever ``workers`` or Dask.

    ``workers`` > 1 runs the chunks in that many processes; ``dask`` (a scheduler address,
    ``"local"`` for a local cluster, or a client from :func:`dask_client`) runs them on Dask. ``progress(done)`` is called
    with the number of draws done. ``formation`` forces the formation stage on (or off);
    by default it runs when the scenario has a formation-stage intervention.
    """
    check_draws(draws)
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise InputError("--workers", f"workers must be a positive whole number, got {workers!r}")
    plan = make_plan(scenario, formation=formation, formation_draws=formation_draws)
    tasks = _tasks(plan, draws, seed)
    done = 0
    chunks: list[_Chunk] = []
    if dask is not None:
        chunks = _on_dask([tasks], dask, workers, progress)[0]
    elif workers == 1 or len(tasks) == 1:
        for task in tasks:
            chunks.append(_task(task))
            done += task[3]
            if progress:
                progress(done)
    else:
        import multiprocessing

        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = {pool.submit(_task, task): task for task in tasks}
            for future in as_completed(futures):
                chunks.append(future.result())
                done += futures[future][3]
                if progress:
                    progress(done)
    return _finish(scenario, plan, seed, draws, workers, chunks)


# --------------------------------------------------------------------------- Dask


def dask_client(address: str | None = None, workers: int = 1):
    """A Dask client and its local cluster (or None): a local cluster of threads by default,
    or the scheduler at ``address``; an address that does not answer is an InputError.
    Close both when done (:func:`simulate` and :func:`sweep` do, for the ones they open)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover
        raise InputError("--dask", "Dask is not installed: pip install 'muhasasa[montecarlo]'") from None
    if address in (None, "local"):
        cluster = LocalCluster(n_workers=1, threads_per_worker=max(workers, 1), processes=False,
                               dashboard_address=None)
        return Client(cluster), cluster
    target = address if "://" in address else f"tcp://{address}"
    try:
        return Client(target, timeout="3s"), None
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError("--dask", f"no Dask scheduler answers at {address} ({type(exc).__name__}: "
                                   f"{str(exc).splitlines()[0] if str(exc) else 'no answer'})") from None


def _on_dask(task_lists: Sequence[Sequence[tuple]], address: str | None, workers: int,
             progress: Callable[[int], None] | None) -> list[list[_Chunk]]:
    from dask.distributed import as_completed as dask_completed

    if hasattr(address, "submit"):  # a client the caller opened and will close
        client, cluster, own = address, None, False
    else:
        (client, cluster), own = dask_client(address, workers), True
    try:
        futures = {}
        for s, tasks in enumerate(task_lists):
            for task in tasks:
                futures[client.submit(_task, task, pure=False)] = (s, task[3])
        out: list[list[_Chunk]] = [[] for _ in task_lists]
        done = 0
        for future in dask_completed(list(futures)):
            s, count = futures[future]
            out[s].append(future.result())
            done += count
            if progress:
                progress(done)
        return out
    finally:
        if own:
            client.close()
            if cluster is not None:
                cluster.close()


def sweep(
    scenarios: Sequence[Scenario],
    draws: int = 1000,
    seed: int = 0,
    *,
    address: Any = None,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
    formation: bool | None = None,
    formation_draws: int | None = None,
) -> list[Result]:
    """Many scenarios on Dask (a local cluster, or the scheduler at ``address``): every
    chunk of every scenario is a task; each scenario's results equal :func:`simulate`'s."""
    check_draws(draws)
    plans = [make_plan(s, formation=formation, formation_draws=formation_draws) for s in scenarios]
    task_lists = [_tasks(p, draws, seed) for p in plans]
    chunks = _on_dask(task_lists, address, workers, progress)
    return [_finish(s, p, seed, draws, workers, c) for s, p, c in zip(scenarios, plans, chunks)]


# --------------------------------------------------------------------------- files


def check_out(out: str | Path, *, force: bool = False) -> Path:
    """An output folder that may be written, checked before any work (see
    :func:`muhasasa.montecarlo.store.check_out`): new or empty, or an earlier result (only
    the files its manifest lists are replaced), or anything else with ``force``."""
    return store.check_out(out, force=force)


def _tables(result: Result) -> dict[str, Any]:
    import pyarrow as pa

    n = result.draws
    t = result.scenario.table
    blocs = {b.id for b in result.scenario.bloc_map.blocs} if result.scenario.bloc_map is not None else set()
    parts_draw, parts_level, parts_player, parts_seats = [], [], [], []
    draw_ids = np.arange(n, dtype=np.int32)
    for level, names, seats in (("list", t.lists, result.lists), ("bloc", result.plan.players, result.players)):
        if level == "bloc" and result.scenario.bloc_map is None:
            continue
        for j, name in enumerate(names):
            column = seats[:, j]
            if not column.any() and not (level == "bloc" and name in blocs):
                continue
            parts_draw.append(draw_ids)
            parts_level.append(np.full(n, level))
            parts_player.append(np.full(n, name, dtype=object))
            parts_seats.append(column.astype(np.int16))
    draws = pa.table({
        "draw": pa.array(np.concatenate(parts_draw)),
        "level": pa.array(np.concatenate(parts_level)).dictionary_encode(),
        "player": pa.array(np.concatenate(parts_player), type=pa.string()).dictionary_encode(),
        "seats": pa.array(np.concatenate(parts_seats)),
    })
    out = {
        "draws.parquet": draws,
        "summary.parquet": pa.Table.from_pylist(list(result.summary)),
        "base.parquet": pa.Table.from_pylist(t.rows(), schema=pa.schema([
            ("district", pa.string()), ("list", pa.string()), ("votes", pa.int64()),
            ("district_residual", pa.int64()), ("district_seats", pa.int64()), ("status", pa.string())])),
    }
    if result.formation:
        columns = list(zip(*result.formation))
        out["formation.parquet"] = pa.table({
            "draw": pa.array(columns[0], type=pa.int32()), "pm_bloc": pa.array(columns[1], type=pa.string()),
            "formed": pa.array(columns[2], type=pa.bool_()), "days": pa.array(columns[3], type=pa.int32()),
            "coalition": pa.array(columns[4], type=pa.string())})
        out["governments.parquet"] = pa.Table.from_pylist(list(result.governments))
    return out


def write_result(result: Result, out: str | Path, *, force: bool = False) -> Path:
    """Write a result folder atomically (:class:`~muhasasa.montecarlo.store.ResultFolder`):
    a staging folder inside ``out``, committed at the end; the files of an earlier result
    are replaced, nothing else in ``out`` is touched."""
    import pyarrow.parquet as pq

    with store.ResultFolder(out, force=force) as folder:
        for name, table in _tables(result).items():
            pq.write_table(table, folder.path(name), compression="zstd")
        folder.write_text("scenario.toml", result.scenario.text)
        folder.write_text("meta.json", json.dumps(result.meta(), ensure_ascii=False, indent=2) + "\n")
        return folder.commit()


def query(folder: str | Path, sql: str) -> list[dict]:
    """Run SQL with DuckDB over a result folder; each Parquet file is a view named after it
    (``draws``, ``summary``, ``base``, ``formation``, ``governments``).

    For example (``tests/test_montecarlo.py`` runs such queries on real output)::

        query(folder, "select player, p_majority from summary where level = 'list' "
                      "order by mean desc limit 1")
    """
    store.require_extra("duckdb", purpose="querying results")
    import duckdb

    folder, manifest = store.result_folder(folder)
    con = duckdb.connect()
    try:
        for path in sorted(folder / name for name in manifest.names if name.endswith(".parquet")):
            literal = str(path.resolve()).replace("'", "''")
            con.execute(f"create view \"{path.stem}\" as select * from read_parquet('{literal}')")
        try:
            cursor = con.execute(sql)
        except duckdb.Error as exc:
            raise InputError("sql", str(exc).splitlines()[0]) from None
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]
    finally:
        con.close()


def read_summary(folder: str | Path) -> tuple[dict, list[dict], list[dict]]:
    """(meta, summary rows, government rows) of a result folder."""
    store.require_extra("pyarrow", "pyarrow.parquet", purpose="reading results")
    import pyarrow.parquet as pq

    folder, manifest = store.result_folder(folder)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    summary = pq.read_table(folder / "summary.parquet").to_pylist()
    governments = pq.read_table(folder / "governments.parquet").to_pylist() \
        if "governments.parquet" in manifest.names else []
    return meta, summary, governments


class Comparison(NamedTuple):
    """Two results side by side (:func:`compare`); ``note`` says what the difference means
    when the two runs stand on different base elections."""

    a: dict
    b: dict
    rows: list[dict]
    governments: dict[str, list[dict]]
    different_base: bool = False
    note: str | None = None


def compare(a: str | Path, b: str | Path, *, allow_different_base: bool = False) -> Comparison:
    """Two result folders side by side: for every list and bloc, mean seats and the
    probabilities of each quota in A and in B, with the difference and its Monte Carlo error;
    then the government outcomes of each (empty where formation did not run).

    Two runs on different base elections compare different parliaments, not the effect
    of one change: refused unless ``allow_different_base``, and then labelled (``note``).
    """
    store.require_extra("pyarrow", "pyarrow.parquet", purpose="comparing results")
    if not isinstance(allow_different_base, bool):
        raise InputError("argument", f"allow_different_base must be true or false, got {allow_different_base!r}",
                         field="allow_different_base")
    meta_a, rows_a, gov_a = read_summary(a)
    meta_b, rows_b, gov_b = read_summary(b)
    different = meta_a.get("base") != meta_b.get("base")
    note = None
    if different:
        what = (f"A stands on election {meta_a.get('base')} and B on election {meta_b.get('base')}: the "
                "differences are between two parliaments, not the effect of one change")
        if not allow_different_base:
            raise InputError("argument", f"{what}; compare runs on one base, or allow different bases",
                             field="allow_different_base")
        note = what
    index_a = {(r["level"], r["player"]): r for r in rows_a}
    index_b = {(r["level"], r["player"]): r for r in rows_b}
    keys = list(dict.fromkeys([*index_a, *index_b]))
    out = []
    for key in keys:
        ra, rb = index_a.get(key), index_b.get(key)
        row = {"level": key[0], "player": key[1],
               "mean_a": ra["mean"] if ra else 0.0, "mean_b": rb["mean"] if rb else 0.0}
        row["mean_diff"] = row["mean_b"] - row["mean_a"]
        for q in ("majority", "two_thirds", "blocking"):
            pa_, pb_ = (ra or {}).get(f"p_{q}", 0.0), (rb or {}).get(f"p_{q}", 0.0)
            sa, sb = (ra or {}).get(f"se_{q}", 0.0), (rb or {}).get(f"se_{q}", 0.0)
            row[f"p_{q}_a"], row[f"p_{q}_b"] = pa_, pb_
            row[f"p_{q}_diff"], row[f"se_{q}_diff"] = pb_ - pa_, math.sqrt(sa * sa + sb * sb)
        out.append(row)
    out.sort(key=lambda r: (r["level"], -max(r["mean_a"], r["mean_b"]), r["player"]))
    return Comparison(meta_a, meta_b, out, {"a": gov_a, "b": gov_b}, different, note)
