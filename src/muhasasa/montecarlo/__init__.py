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

The package is split by concern: :mod:`~muhasasa.montecarlo.plan` (the typed plan of a run),
:mod:`~muhasasa.montecarlo.models` (the uncertainty models), :mod:`~muhasasa.montecarlo.seats`
(seats, resignations, blocs), :mod:`~muhasasa.montecarlo.formation` (formation per draw),
:mod:`~muhasasa.montecarlo.budget` (the formation stage's time, estimated and bounded before the run),
:mod:`~muhasasa.montecarlo.run` (chunks, workers, Dask), :mod:`~muhasasa.montecarlo.summary`
(results and their summaries), :mod:`~muhasasa.montecarlo.output` (Parquet, DuckDB, compare)
and :mod:`~muhasasa.montecarlo.store` (the result folder: manifest, atomic replace).

>>> from muhasasa.scenarios import parse_scenario
>>> text = 'base = "2025"\\nlevel = "governorate"\\n[uncertainty]\\nmodel = "dirichlet"\\nconcentration = "5000"\\n'
>>> r = simulate(parse_scenario(text, "x.toml"), draws=200, seed=1)
>>> row = r.row("list", "rd")
>>> row["base_seats"], 40 < row["mean"] < 50, 0 <= row["p_majority"] <= 1, row["se_majority"]
(46, True, True, 0.0)
"""

from __future__ import annotations

from muhasasa.montecarlo.output import (
    Comparison,
    check_out,
    compare,
    query,
    read_summary,
    write_result,
)
from muhasasa.montecarlo.plan import CHUNK, MAX_DRAWS, Plan, check_draws, make_plan
from muhasasa.montecarlo.run import dask_client, simulate, sweep
from muhasasa.montecarlo.summary import Result

__all__ = [
    "CHUNK",
    "MAX_DRAWS",
    "Comparison",
    "Plan",
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
