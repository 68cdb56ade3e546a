"""Formation on every Monte Carlo draw: the shared path (parliaments sharing their scenario
and tables, tables built from shared parts) gives the per-draw path's results bit for bit,
and the formation stage's time is estimated and bounded before the run."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from muhasasa.errors import InputError
from muhasasa.formation import batch as batch_module
from muhasasa.formation import model
from muhasasa.formation.batch import Batch, minimal_coalitions
from muhasasa.formation.model import ActorState
from muhasasa.montecarlo import budget
from muhasasa.montecarlo import formation as mcf
from muhasasa.montecarlo.plan import make_plan
from muhasasa.montecarlo.run import run_chunk, simulate
from muhasasa.scenarios import load_scenario, parse_scenario

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "2026_formation_under_uncertainty.toml"
COMMUNITIES = ("a", "b", "c")


def _actors(seats: list[int], communities: list[int]) -> tuple[ActorState, ...]:
    return tuple(ActorState(f"x{i}", s, {COMMUNITIES[c]: s}, (0.0,), 1.0, 1.0)
                 for i, (s, c) in enumerate(zip(seats, communities)))


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_the_fast_search_finds_the_models_coalitions_in_its_order(data):
    n = data.draw(st.integers(1, 11))
    seats = data.draw(st.lists(st.integers(0, 60), min_size=n, max_size=n))
    communities = data.draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
    actors = _actors(seats, communities)
    quota = data.draw(st.integers(0, sum(seats) + 5))
    formateur = data.draw(st.integers(0, n - 1))
    include = tuple(data.draw(st.lists(st.integers(0, n - 1), max_size=1)))
    required = data.draw(st.lists(st.sampled_from(COMMUNITIES), max_size=3, unique=True))
    limit = data.draw(st.sampled_from((400, 3)))
    expected = model.minimal_coalitions(actors, quota, formateur, required=required, limit=limit, include=include)
    assert minimal_coalitions(actors, quota, formateur, required=required, limit=limit,
                              include=include) == expected


def _plans(draws: int):
    plan = make_plan(load_scenario(EXAMPLE), formation_draws=draws)
    return plan, replace(plan, formation=replace(plan.formation, shared=False))


def test_shared_tables_give_the_per_draw_paths_results_bit_for_bit():
    plan, plain = _plans(300)
    mcf.batch.cache_clear()
    shared = run_chunk(plan, 0, 0, 300, np.random.SeedSequence(11))
    alone = run_chunk(plain, 0, 0, 300, np.random.SeedSequence(11))
    assert len(shared.formation) == 300
    assert shared.formation == alone.formation  # every draw: PM bloc, formed, days, coalition
    for field in ("pm_bloc", "coalition", "days"):
        assert Counter(getattr(r, field) for r in shared.formation) == Counter(getattr(r, field) for r in alone.formation)
    # the draws differ: several coalitions and many parliaments, some of them shared
    assert len({r.coalition for r in alone.formation}) > 3
    built = mcf.batch(plan.formation).built
    assert 10 < built < 300


def test_a_small_parliament_cache_evicts_without_changing_a_run(monkeypatch):
    plan, _ = _plans(120)
    mcf.batch.cache_clear()
    full = run_chunk(plan, 0, 0, 120, np.random.SeedSequence(4))
    mcf.batch.cache_clear()
    small = mcf.batch(plan.formation)
    small.parliaments = 2
    assert run_chunk(plan, 0, 0, 120, np.random.SeedSequence(4)).formation == full.formation
    assert len(small._simulators) == 2
    # and by the coalitions their tables hold
    monkeypatch.setattr(batch_module, "HELD", 300)
    mcf.batch.cache_clear()
    held = mcf.batch(plan.formation)
    assert run_chunk(plan, 0, 0, 120, np.random.SeedSequence(4)).formation == full.formation
    assert 1 < len(held._simulators) < 30 and held.held <= 300 + max(held._sizes.values())


def test_seats_per_actor_by_matrix_equal_the_bloc_maps_count():
    plan, _ = _plans(200)
    f = plan.formation
    rows = run_chunk(replace(plan, formation=None), 0, 0, 200, np.random.SeedSequence(8)).lists
    assert mcf._actor_matrix(f, plan.lists) is not None
    keys = mcf.actor_keys(f, plan, rows)
    assert keys == [mcf.actor_key(f, mcf.list_seats(plan, row)) for row in rows]
    assert 1 < len(set(keys)) < 200


def test_batch_terms_equal_the_models_terms_on_drawn_parliaments():
    plan, _ = _plans(40)
    f = plan.formation
    pilot = run_chunk(replace(plan, formation=None), 0, 0, 40, np.random.SeedSequence(2)).lists
    b = Batch(mcf.formation_tools(f)[2])
    checked = 0
    for row in pilot[:8]:
        scenario = mcf.formation_scenario(f, mcf.list_seats(plan, row))
        for step in scenario.steps.values():
            for formateur in range(min(3, len(scenario.actors))):
                for alone in (False, True):
                    got = b.terms(scenario, step, formateur, alone=alone, include=())
                    assert got == model._terms(scenario, step, formateur, alone=alone, include=())
                    checked += 1
    assert checked >= 8 * 2 * 2


def test_every_draw_goes_through_formation_by_default():
    r = simulate(load_scenario(EXAMPLE), draws=150, seed=3)
    assert r.formation_runs == 150 and len(r.formation) == 150
    assert r.meta()["formation"]["note"] == "every draw went through one formation run"
    fewer = simulate(load_scenario(EXAMPLE), draws=150, seed=3, formation_draws=20)
    assert fewer.formation_runs == 20 and fewer.formation == r.formation[:20]


def test_a_formation_stage_over_the_time_limit_is_refused_before_the_run(monkeypatch):
    monkeypatch.setattr(budget, "FORMATION_SECONDS", 0.001)
    with pytest.raises(InputError) as caught:
        simulate(load_scenario(EXAMPLE), draws=5000, seed=1, workers=2)
    e = caught.value
    assert e.field == "formation_draws"
    assert "5,000 draws would take about" in e.problem and "distinct parliaments" in e.problem
    assert "more than the 0.001 s allowed" in e.problem


def test_the_estimate_counts_the_draws_parliaments_and_the_workers():
    plan, _ = _plans(2000)
    pilot = run_chunk(replace(plan, formation=None), 0, 0, 1000, np.random.SeedSequence(1)).lists
    one = budget.estimate(plan, pilot, 2000, 1)
    two = budget.estimate(plan, pilot, 2000, 2)
    assert one.draws == 2000 and 1 < one.parliaments <= 2000 and one.workers == 1 and two.workers == 2
    assert one.per_parliament > 0 and one.per_run > 0 and one.seconds > 0
    few = budget.estimate(replace(plan, formation=replace(plan.formation, limit=10)), pilot, 2000, 4)
    assert few.draws == 10 and few.workers == 1 and few.parliaments <= 10
    fixed = make_plan(parse_scenario('base = "2025"\nlevel = "national"\n[[interventions]]\nkind = "veto"\ntarget = "x"\n',
                                     "s.toml"))
    same = run_chunk(replace(fixed, formation=None), 0, 0, 1000, np.random.SeedSequence(1)).lists
    assert budget.estimate(fixed, same, 10**6, 1).parliaments == 1


def test_the_command_line_names_the_option_and_the_estimate(monkeypatch, capsys, tmp_path):
    from muhasasa.cli import main

    monkeypatch.setattr(budget, "FORMATION_SECONDS", 0.001)
    with pytest.raises(SystemExit) as stopped:
        main(["simulate", str(EXAMPLE), "--draws", "3000", "--out", str(tmp_path / "r")])
    assert stopped.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("muhasasa: error: --formation-draws: formation on 3,000 draws would take about")
    assert len(err.splitlines()) == 1
    assert not (tmp_path / "r").exists()  # refused before any work
