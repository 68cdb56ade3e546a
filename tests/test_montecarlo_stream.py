"""Streamed Monte Carlo output: draws written as row groups while they are computed, the
summaries from running histograms, the same bytes however the run was written."""

from __future__ import annotations

import json
import math

import numpy as np
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from muhasasa.errors import InputError
from muhasasa.montecarlo import CHUNK, simulate, sweep, write_result
from muhasasa.montecarlo import run as run_module
from muhasasa.montecarlo.output import ROW_GROUP_DRAWS
from muhasasa.montecarlo.summary import quantile
from muhasasa.scenarios import parse_scenario

NOISY = ('base = "2025"\nlevel = "governorate"\n[uncertainty]\nmodel = "dirichlet"\nconcentration = "3000"\n'
         '[[interventions]]\nkind = "blocs"\nmap = "2026-01-26"\n')


@pytest.fixture(scope="module")
def noisy():
    return parse_scenario(NOISY, "noisy.toml")


def test_a_streamed_folder_is_byte_identical_to_writing_the_kept_result(noisy, tmp_path):
    draws = ROW_GROUP_DRAWS + 2 * CHUNK + 5  # two row groups, the second one short
    kept = simulate(noisy, draws=draws, seed=3)
    write_result(kept, tmp_path / "kept")
    streamed = simulate(noisy, draws=draws, seed=3, workers=2, out=tmp_path / "streamed")
    assert streamed.lists is None and streamed.folder == (tmp_path / "streamed").resolve()
    for name in ("draws.parquet", "summary.parquet", "base.parquet", "scenario.toml"):
        assert (tmp_path / "kept" / name).read_bytes() == (tmp_path / "streamed" / name).read_bytes(), name
    meta = {name: json.loads((tmp_path / name / "meta.json").read_text()) for name in ("kept", "streamed")}
    assert (meta["kept"].pop("workers"), meta["streamed"].pop("workers")) == (1, 2)
    assert meta["kept"] == meta["streamed"]
    assert streamed.summary == kept.summary
    meta = pq.ParquetFile(tmp_path / "streamed" / "draws.parquet").metadata
    assert meta.num_row_groups == 2


def test_every_list_that_can_hold_a_seat_has_a_row_in_every_draw(noisy, tmp_path):
    r = simulate(noisy, draws=150, seed=1, out=tmp_path / "r")
    table = pq.read_table(tmp_path / "r" / "draws.parquet").to_pandas()
    lists = table[table.level == "list"]
    t = noisy.table
    can_seat = {x for i, x in enumerate(t.lists) if t.votes[:, i].sum() > 0 or t.held[i] > 0}
    assert set(lists.player.astype(str)) == can_seat
    counts = lists.groupby("draw").size()
    assert len(counts) == 150 and (counts == len(can_seat)).all()
    # the mean of the written draws is the summary's mean
    mean = lists.groupby(lists.player.astype(str)).seats.sum() / 150
    for row in r.summary:
        if row["level"] == "list":
            assert math.isclose(row["mean"], mean[row["player"]], rel_tol=1e-12)
    blocs = table[table.level == "bloc"]
    assert {"coordination-framework"} <= set(blocs.player.astype(str))
    assert (blocs.groupby("draw").seats.sum() == t.house_size).all()


def test_the_summaries_from_histograms_equal_those_from_the_draws(noisy):
    r = simulate(noisy, draws=700, seed=8)
    for row in r.summary:
        names = noisy.table.lists if row["level"] == "list" else r.plan.players
        seats = (r.lists if row["level"] == "list" else r.players)[:, list(names).index(row["player"])]
        assert math.isclose(row["mean"], seats.mean(), rel_tol=1e-12)
        assert math.isclose(row["sd"], seats.std(), rel_tol=1e-9, abs_tol=1e-12)
        for key, q in (("p5", 0.05), ("p50", 0.5), ("p95", 0.95)):
            assert row[key] == int(np.quantile(seats, q, method="inverted_cdf"))
        for key in ("majority", "two_thirds", "blocking"):
            assert row[f"p_{key}"] == float((seats >= r.plan.quotas[key]).mean())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 12), min_size=1, max_size=60), st.sampled_from([0.05, 0.1, 0.5, 0.9, 0.95, 1.0]))
def test_the_histogram_quantile_is_numpys_inverted_cdf(values, q):
    counts = np.bincount(values, minlength=13)
    assert quantile(counts, q) == int(np.quantile(values, q, method="inverted_cdf"))


def test_a_long_run_keeps_only_its_summaries_and_cannot_be_written_afterwards(noisy, tmp_path, monkeypatch):
    monkeypatch.setattr(run_module, "KEEP_DRAWS", 500)
    r = simulate(noisy, draws=600, seed=2)
    assert r.lists is None and r.players is None and len(r.summary) > 0
    with pytest.raises(InputError) as info:
        write_result(r, tmp_path / "r")
    assert info.value.field == "out" and "output folder" in info.value.problem
    assert not (tmp_path / "r").exists()
    small = simulate(noisy, draws=500, seed=2)
    assert small.lists.shape[0] == 500 and small.summary == simulate(noisy, draws=500, seed=2).summary


def test_a_sweep_streams_each_scenario_into_its_folder(noisy, tmp_path):
    other = parse_scenario(NOISY.replace('"3000"', '"500"'), "wide.toml")
    results = sweep([noisy, other], draws=1100, seed=4, outs=[tmp_path / "a", tmp_path / "b"])
    for r, name, s in zip(results, "ab", (noisy, other)):
        assert r.folder == (tmp_path / name).resolve() and r.lists is None
        assert r.summary == simulate(s, draws=1100, seed=4).summary
    assert (tmp_path / "a" / "draws.parquet").read_bytes() != (tmp_path / "b" / "draws.parquet").read_bytes()


def test_an_error_while_streaming_leaves_no_folder(noisy, tmp_path, monkeypatch):
    calls = []

    def failing(task):
        calls.append(task.index)
        if task.index == 2:
            raise RuntimeError("boom")
        return original(task)

    original = run_module.run_task
    monkeypatch.setattr(run_module, "run_task", failing)
    with pytest.raises(RuntimeError):
        simulate(noisy, draws=4 * CHUNK, seed=1, out=tmp_path / "deep" / "r")
    assert not (tmp_path / "deep").exists() and 2 in calls


@pytest.mark.parametrize(("argument", "value", "field"), [
    ("draws", 10**12, "draws"), ("draws", 0, "draws"), ("draws", True, "draws"), ("draws", 1.5, "draws"),
    ("seed", -1, "seed"), ("seed", "abc", "seed"), ("seed", 1.5, "seed"),
    ("workers", 10**6, "workers"), ("workers", 0, "workers"),
])
def test_absurd_run_arguments_are_refused_before_any_work(noisy, argument, value, field, tmp_path):
    import time

    kwargs = {"draws": 10, "seed": 0, "workers": 1, argument: value}
    start = time.monotonic()
    with pytest.raises(InputError) as info:
        simulate(noisy, kwargs.pop("draws"), kwargs.pop("seed"), out=tmp_path / "r", **kwargs)
    assert info.value.field == field and time.monotonic() - start < 5
    assert not (tmp_path / "r").exists()
