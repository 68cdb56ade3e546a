"""Running the draws: chunks of :data:`~muhasasa.montecarlo.plan.CHUNK` draws, each with its
own generator, in one process, in worker processes or on Dask, the same numbers whatever runs them.

Chunks are handed on **in draw order** (a chunk that finishes early waits for the ones
before it) to a :class:`~muhasasa.montecarlo.summary.Tally`, to the kept draws and, when
the run writes a folder, to a :class:`~muhasasa.montecarlo.output.DrawsSink` that writes
them as Parquet row groups while the next ones are computed. At most a few chunks per
worker are in flight, so memory stays flat however many draws are asked for.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple, Protocol

import numpy as np

from muhasasa.errors import InputError
from muhasasa.montecarlo.formation import FormationRow, form
from muhasasa.montecarlo.models import draw_votes
from muhasasa.montecarlo.plan import CHUNK, KEEP_DRAWS, Plan, check_draws, make_plan
from muhasasa.montecarlo.seats import bloc_seats, national_seats, resign_seats, seats_of
from muhasasa.montecarlo.summary import Result, Tally, summarise
from muhasasa.scenarios import Scenario

__all__ = ["MAX_WORKERS", "Chunk", "Task", "check_seed", "dask_client", "run_chunk", "simulate", "sweep"]

#: Chunks in flight per worker: enough to keep the workers busy, few enough that memory
#: does not grow with the number of draws.
AHEAD = 3


@dataclass(frozen=True)
class Chunk:
    """The draws of one chunk: national seats per list, seats per bloc-stage player, the
    formation runs of its draws, and the seconds it took to compute."""

    index: int
    first: int
    lists: np.ndarray
    players: np.ndarray
    formation: tuple[FormationRow, ...]
    seconds: float = 0.0


def run_chunk(plan: Plan, index: int, first: int, count: int, ss: np.random.SeedSequence) -> Chunk:
    """One chunk of draws: its own generator, its own tie seed, its own formation streams."""
    start = time.perf_counter()
    votes_ss, form_ss = ss.spawn(2)
    rng = np.random.default_rng(votes_ss)
    tie_seed = int(votes_ss.generate_state(1)[0])
    votes = draw_votes(plan, rng, count)
    national = national_seats(plan, seats_of(plan, votes, tie_seed))
    if plan.resignations:
        national = resign_seats(plan, national, tie_seed)
    players = bloc_seats(plan, national)
    formation = tuple(form(plan.formation, national, plan, first, form_ss)) if plan.formation else ()
    return Chunk(index, first, national.astype(np.int32), players.astype(np.int32), formation,
                 time.perf_counter() - start)


class Task(NamedTuple):
    """One chunk to run: the plan, the chunk's index, its first draw, its draw count and
    its seeds (the ``index``-th child of ``SeedSequence(seed)``)."""

    plan: Plan
    index: int
    first: int
    count: int
    seeds: np.random.SeedSequence


def tasks_of(plan: Plan, draws: int, seed: int) -> Iterator[Task]:
    """The chunks of a run, the same whatever runs them (made as they are needed)."""
    chunks = math.ceil(draws / CHUNK)
    root = np.random.SeedSequence(seed)
    for c in range(chunks):
        # the c-th child of root, as root.spawn(chunks)[c] would give it, without making them all
        child = np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, c), pool_size=root.pool_size)
        yield Task(plan, c, c * CHUNK, min(CHUNK, draws - c * CHUNK), child)


def check_formation_time(plan: Plan, draws: int, seed: int, workers: int) -> None:
    """Refuse, before any work, a formation stage estimated to pass its time limit
    (:mod:`muhasasa.montecarlo.budget`); the pilot is the run's own first chunk of seats."""
    if plan.formation is None:
        return
    from muhasasa.montecarlo.budget import check_formation

    first = next(tasks_of(plan, draws, seed))
    pilot = run_chunk(replace(plan, formation=None), first.index, first.first, first.count, first.seeds)
    check_formation(plan, pilot.lists, draws, workers)


def run_task(task: Task) -> Chunk:
    return run_chunk(task.plan, task.index, task.first, task.count, task.seeds)


class Sink(Protocol):
    """Where the draws go as they are handed on (a result folder being written)."""

    seconds: float

    def write(self, chunk: Chunk) -> None: ...


@dataclass
class _Collector:
    """The chunks of one run, handed on in draw order to the tally, the kept draws and the sink."""

    plan: Plan
    keep: bool
    sink: Sink | None = None
    tally: Tally = field(init=False)
    waiting: dict[int, Chunk] = field(default_factory=dict)
    next: int = 0
    kept: list[Chunk] = field(default_factory=list)
    seconds: float = 0.0

    def __post_init__(self) -> None:
        self.tally = Tally(len(self.plan.lists), len(self.plan.players), self.plan.house_size)

    def push(self, chunk: Chunk) -> None:
        self.waiting[chunk.index] = chunk
        while self.next in self.waiting:
            ready = self.waiting.pop(self.next)
            self.next += 1
            self.tally.add(ready.lists, ready.players, ready.formation)
            self.seconds += ready.seconds
            if self.keep:
                self.kept.append(ready)
            if self.sink is not None:
                self.sink.write(ready)


def _interleaved(task_lists: Sequence[Iterator[Task]]) -> Iterator[tuple[int, Task]]:
    """The tasks of several runs, one of each in turn, each with its run's position."""
    iterators = list(enumerate(task_lists))
    while iterators:
        for item in list(iterators):
            s, tasks = item
            task = next(tasks, None)
            if task is None:
                iterators.remove(item)
            else:
                yield s, task


def _execute(task_lists: Sequence[Iterator[Task]], collectors: Sequence[_Collector], workers: int, dask: Any,
             progress: Callable[[int], None] | None) -> None:
    """Run every task, at most ``AHEAD`` per worker in flight, feeding each run's collector."""
    def report() -> None:
        if progress:
            progress(sum(c.tally.draws for c in collectors))

    tasks = _interleaved(task_lists)
    if dask is not None:
        _on_dask(tasks, collectors, dask, workers, report)
        return
    if workers == 1:
        for s, task in tasks:
            collectors[s].push(run_task(task))
            report()
        return
    import multiprocessing

    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        running: dict[Any, int] = {}
        for s, task in tasks:
            running[pool.submit(run_task, task)] = s
            if len(running) >= workers * AHEAD:
                break
        while running:
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                s = running.pop(future)
                collectors[s].push(future.result())
                item = next(tasks, None)
                if item is not None:
                    running[pool.submit(run_task, item[1])] = item[0]
            report()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _on_dask(tasks: Iterator[tuple[int, Task]], collectors: Sequence[_Collector], address: Any, workers: int,
             report: Callable[[], None]) -> None:
    from dask.distributed import as_completed as dask_completed

    if hasattr(address, "submit"):  # a client the caller opened and will close
        client, cluster, own = address, None, False
    else:
        (client, cluster), own = dask_client(address, workers), True
    try:
        owner: dict[Any, int] = {}
        for s, task in tasks:
            owner[client.submit(run_task, task, pure=False)] = s
            if len(owner) >= max(workers, 1) * AHEAD:
                break
        running = dask_completed(list(owner))
        for future in running:
            s = owner.pop(future)
            collectors[s].push(future.result())
            item = next(tasks, None)
            if item is not None:
                new = client.submit(run_task, item[1], pure=False)
                owner[new] = item[0]
                running.add(new)
            report()
    finally:
        if own:
            client.close()
            if cluster is not None:
                cluster.close()


def _finish(scenario: Scenario, plan: Plan, seed: int, draws: int, workers: int, collector: _Collector) -> Result:
    chunks = collector.kept
    tally = collector.tally
    lists = players = None
    if collector.keep:
        lists = np.concatenate([c.lists for c in chunks]) if chunks else np.zeros((0, len(plan.lists)), np.int32)
        players = np.concatenate([c.players for c in chunks]) if chunks else np.zeros((0, len(plan.players)), np.int32)
    formation = tuple(f for c in chunks for f in c.formation)
    zero = replace(plan, model="none", ballots=None, formation=None)
    base = run_chunk(zero, 0, 0, 1, np.random.SeedSequence(seed))
    t = scenario.table
    names = dict(zip(t.lists, t.names))
    communities = dict(zip(t.lists, t.communities))
    blocs = {b.id: b.name for b in scenario.bloc_map.blocs} if scenario.bloc_map is not None else {}
    summary = summarise("list", t.lists, t.names, t.communities, tally.lists, base.lists[0], plan.quotas)
    if scenario.bloc_map is not None:
        labels = [blocs.get(p) or names.get(p, p) for p in plan.players]
        comm = ["bloc" if p in blocs else communities.get(p, "unclassified") for p in plan.players]
        summary += summarise("bloc", plan.players, labels, comm, tally.players, base.players[0], plan.quotas)
    return Result(scenario, plan, seed, draws, workers, lists, players, formation, base.lists[0], base.players[0],
                  tuple(summary), tuple(tally.governments()), formation_runs=tally.runs,
                  seconds=collector.seconds, write_seconds=collector.sink.seconds if collector.sink else 0.0)


#: More worker processes than this are refused (each one is a Python process).
MAX_WORKERS = 256


def _check_workers(workers: int) -> None:
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise InputError("argument", f"workers must be a positive whole number, got {workers!r}", field="workers")
    if workers > MAX_WORKERS:
        raise InputError("argument", f"{workers} workers is more than the {MAX_WORKERS} allowed", field="workers")


def check_seed(seed: int) -> int:
    """A seed is any non-negative whole number; anything else is an InputError naming it."""
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise InputError("argument", f"the seed must be a non-negative whole number, got {seed!r}", field="seed")
    if seed < 0:
        raise InputError("argument", f"the seed must be a non-negative whole number, got {seed}", field="seed")
    return seed


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
    out: str | Path | None = None,
    force: bool = False,
) -> Result:
    """Run ``draws`` draws of a scenario; identical for a seed whatever ``workers`` or Dask.

    ``workers`` > 1 runs the chunks in that many processes; ``dask`` (a scheduler address,
    ``"local"`` for a local cluster, or a client from :func:`dask_client`) runs them on Dask.
    ``progress(done)`` is called with the number of draws done (and written, with ``out``).
    ``formation`` forces the formation stage on (or off); by default it runs when the
    scenario has a formation-stage intervention, on every draw (``formation_draws``: on the
    first that many). Its time is estimated before the run and a stage over
    :data:`~muhasasa.montecarlo.budget.FORMATION_SECONDS` is refused
    (:mod:`muhasasa.montecarlo.budget`).

    ``out`` streams the draws into that result folder as they are computed (see
    :func:`muhasasa.montecarlo.output.write_result` for the folder and ``force``): memory
    stays flat whatever the number of draws, and the result does not keep them. Without
    ``out``, up to :data:`~muhasasa.montecarlo.plan.KEEP_DRAWS` draws are kept in the result.
    """
    check_draws(draws)
    check_seed(seed)
    _check_workers(workers)
    plan = make_plan(scenario, formation=formation, formation_draws=formation_draws)
    check_formation_time(plan, draws, seed, workers)
    if out is None:
        collector = _Collector(plan, keep=draws <= KEEP_DRAWS)
        _execute([tasks_of(plan, draws, seed)], [collector], workers if draws > CHUNK else 1, dask, progress)
        return _finish(scenario, plan, seed, draws, workers, collector)
    return _streamed([scenario], [plan], [out], draws, seed, force, workers, dask, progress)[0]


def _streamed(scenarios: Sequence[Scenario], plans: Sequence[Plan], outs: Sequence[str | Path], draws: int,
              seed: int, force: bool, workers: int, dask: Any,
              progress: Callable[[int], None] | None) -> list[Result]:
    """Runs whose draws go straight into their result folders, committed at the end."""
    from muhasasa.montecarlo.output import DrawsSink, open_folder

    with contextlib.ExitStack() as stack:
        folders = [stack.enter_context(open_folder(out, force=force)) for out in outs]
        sinks = [DrawsSink(folder, scenario, plan) for folder, scenario, plan in zip(folders, scenarios, plans)]
        for sink in sinks:
            stack.callback(sink.discard)
        collectors = [_Collector(plan, keep=False, sink=sink) for plan, sink in zip(plans, sinks)]
        _execute([tasks_of(p, draws, seed) for p in plans], collectors, workers if draws > CHUNK or dask else 1, dask,
                 progress)
        results = []
        for scenario, plan, collector, sink, folder in zip(scenarios, plans, collectors, sinks, folders):
            result = _finish(scenario, plan, seed, draws, workers, collector)
            sink.close(result)
            results.append(replace(result, folder=folder.commit(), write_seconds=sink.seconds))
        return results


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
    outs: Sequence[str | Path] | None = None,
    force: bool = False,
) -> list[Result]:
    """Many scenarios on Dask (a local cluster, or the scheduler at ``address``): every
    chunk of every scenario is a task; each scenario's results equal :func:`simulate`'s.
    ``outs`` (one folder per scenario) streams each scenario's draws into its folder."""
    check_draws(draws)
    check_seed(seed)
    _check_workers(workers)
    plans = [make_plan(s, formation=formation, formation_draws=formation_draws) for s in scenarios]
    for plan in plans:
        check_formation_time(plan, draws, seed, workers)
    dask = address if address is not None else "local"
    if outs is not None:
        if len(outs) != len(scenarios):
            raise InputError("argument", f"{len(outs)} output folders for {len(scenarios)} scenarios", field="out")
        return _streamed(scenarios, plans, outs, draws, seed, force, workers, dask, progress)
    collectors = [_Collector(p, keep=draws <= KEEP_DRAWS) for p in plans]
    _execute([tasks_of(p, draws, seed) for p in plans], collectors, workers, dask, progress)
    return [_finish(s, p, seed, draws, workers, c) for s, p, c in zip(scenarios, plans, collectors)]
