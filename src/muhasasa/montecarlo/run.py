"""Running the draws: chunks of :data:`~muhasasa.montecarlo.plan.CHUNK` draws, each with its
own generator, in one process, in worker processes or on Dask, the same numbers whatever runs them."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

import numpy as np

from muhasasa.errors import InputError
from muhasasa.montecarlo.formation import FormationRow, form
from muhasasa.montecarlo.models import draw_votes
from muhasasa.montecarlo.plan import CHUNK, Plan, check_draws, make_plan
from muhasasa.montecarlo.seats import bloc_seats, national_seats, resign_seats, seats_of
from muhasasa.montecarlo.summary import Result, governments_of, summarise
from muhasasa.scenarios import Scenario

__all__ = ["Chunk", "Task", "dask_client", "run_chunk", "simulate", "sweep"]


@dataclass(frozen=True)
class Chunk:
    """The draws of one chunk: national seats per list, seats per bloc-stage player, and
    the formation runs of its draws."""

    index: int
    first: int
    lists: np.ndarray
    players: np.ndarray
    formation: tuple[FormationRow, ...]


def run_chunk(plan: Plan, index: int, first: int, count: int, ss: np.random.SeedSequence) -> Chunk:
    """One chunk of draws: its own generator, its own tie seed, its own formation streams."""
    votes_ss, form_ss = ss.spawn(2)
    rng = np.random.default_rng(votes_ss)
    tie_seed = int(votes_ss.generate_state(1)[0])
    votes = draw_votes(plan, rng, count)
    national = national_seats(plan, seats_of(plan, votes, tie_seed))
    if plan.resignations:
        national = resign_seats(plan, national, tie_seed)
    players = bloc_seats(plan, national)
    formation = tuple(form(plan.formation, national, plan, first, form_ss)) if plan.formation else ()
    return Chunk(index, first, national.astype(np.int32), players.astype(np.int32), formation)


class Task(NamedTuple):
    """One chunk to run: the plan, the chunk's index, its first draw, its draw count and
    its seeds (the ``index``-th child of ``SeedSequence(seed)``)."""

    plan: Plan
    index: int
    first: int
    count: int
    seeds: np.random.SeedSequence


def tasks_of(plan: Plan, draws: int, seed: int) -> list[Task]:
    """The chunks of a run, the same whatever runs them."""
    chunks = math.ceil(draws / CHUNK)
    children = np.random.SeedSequence(seed).spawn(chunks)
    return [Task(plan, c, c * CHUNK, min(CHUNK, draws - c * CHUNK), children[c]) for c in range(chunks)]


def run_task(task: Task) -> Chunk:
    return run_chunk(task.plan, task.index, task.first, task.count, task.seeds)


def finish(scenario: Scenario, plan: Plan, seed: int, draws: int, workers: int, chunks: Sequence[Chunk]) -> Result:
    chunks = sorted(chunks, key=lambda c: c.index)
    lists = np.concatenate([c.lists for c in chunks]) if chunks else np.zeros((0, len(plan.lists)), np.int32)
    players = np.concatenate([c.players for c in chunks])
    formation = tuple(f for c in chunks for f in c.formation)
    zero = replace(plan, model="none", ballots=None, formation=None)
    base = run_chunk(zero, 0, 0, 1, np.random.SeedSequence(seed))
    t = scenario.table
    names = dict(zip(t.lists, t.names))
    communities = dict(zip(t.lists, t.communities))
    blocs = {b.id: b.name for b in scenario.bloc_map.blocs} if scenario.bloc_map is not None else {}
    summary = summarise("list", t.lists, t.names, t.communities, lists, base.lists[0], plan.quotas)
    if scenario.bloc_map is not None:
        labels = [blocs.get(p) or names.get(p, p) for p in plan.players]
        comm = ["bloc" if p in blocs else communities.get(p, "unclassified") for p in plan.players]
        summary += summarise("bloc", plan.players, labels, comm, players, base.players[0], plan.quotas)
    return Result(scenario, plan, seed, draws, workers, lists, players, formation, base.lists[0], base.players[0],
                  tuple(summary), tuple(governments_of(formation)))


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
        raise InputError("argument", f"workers must be a positive whole number, got {workers!r}", field="workers")
    plan = make_plan(scenario, formation=formation, formation_draws=formation_draws)
    tasks = tasks_of(plan, draws, seed)
    done = 0
    chunks: list[Chunk] = []
    if dask is not None:
        chunks = on_dask([tasks], dask, workers, progress)[0]
    elif workers == 1 or len(tasks) == 1:
        for task in tasks:
            chunks.append(run_task(task))
            done += task.count
            if progress:
                progress(done)
    else:
        import multiprocessing

        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = {pool.submit(run_task, task): task for task in tasks}
            for future in as_completed(futures):
                chunks.append(future.result())
                done += futures[future].count
                if progress:
                    progress(done)
    return finish(scenario, plan, seed, draws, workers, chunks)


def dask_client(address: str | None = None, workers: int = 1):
    """A Dask client and its local cluster (or None): a local cluster of threads by default,
    or the scheduler at ``address``; an address that does not answer is an InputError.
    Close both when done (:func:`simulate` and :func:`sweep` do, for the ones they open)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover
        raise InputError("argument", "Dask is not installed: pip install 'muhasasa[montecarlo]'", field="dask") from None
    if address in (None, "local"):
        cluster = LocalCluster(n_workers=1, threads_per_worker=max(workers, 1), processes=False,
                               dashboard_address=None)
        return Client(cluster), cluster
    target = address if "://" in address else f"tcp://{address}"
    try:
        return Client(target, timeout="3s"), None
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError("argument", f"no Dask scheduler answers at {address} ({type(exc).__name__}: "
                                     f"{str(exc).splitlines()[0] if str(exc) else 'no answer'})",
                         field="dask") from None


def on_dask(task_lists: Sequence[Sequence[Task]], address: str | None, workers: int,
             progress: Callable[[int], None] | None) -> list[list[Chunk]]:
    from dask.distributed import as_completed as dask_completed

    if hasattr(address, "submit"):  # a client the caller opened and will close
        client, cluster, own = address, None, False
    else:
        (client, cluster), own = dask_client(address, workers), True
    try:
        futures = {}
        for s, tasks in enumerate(task_lists):
            for task in tasks:
                futures[client.submit(run_task, task, pure=False)] = (s, task.count)
        out: list[list[Chunk]] = [[] for _ in task_lists]
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
    task_lists = [tasks_of(p, draws, seed) for p in plans]
    chunks = on_dask(task_lists, address, workers, progress)
    return [finish(s, p, seed, draws, workers, c) for s, p, c in zip(scenarios, plans, chunks)]

