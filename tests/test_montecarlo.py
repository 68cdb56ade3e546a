"""Monte Carlo: exact at zero uncertainty, reproducible whatever the parallelism, honest errors,
atomic Parquet output, DuckDB queries, the CLI and its bad inputs."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from muhasasa import allocate, packs
from muhasasa.elections import parliament
from muhasasa.errors import InputError
from muhasasa.montecarlo import (
    CHUNK,
    check_draws,
    compare,
    query,
    simulate,
    sweep,
    write_result,
)
from muhasasa.montecarlo.seats import _allocate_batch_reference
from muhasasa.montecarlo.seats import batch_kernel as _batch
from muhasasa.scenarios import load_scenario, parse_scenario

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NOISY = 'base = "2025"\n[uncertainty]\nmodel = "logit-normal"\nsigma = "0.15"\ncorrelation = "0.8"\n'


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "muhasasa", *args], check=False, capture_output=True, text=True, cwd=cwd,
                          timeout=120)


def cli_on_a_terminal(*args: str) -> tuple[subprocess.CompletedProcess, str]:
    """The CLI with its stderr on a pseudo-terminal (where progress is shown): (run, stderr)."""
    import os
    import pty

    master, slave = pty.openpty()
    try:
        run = subprocess.run([sys.executable, "-m", "muhasasa", *args], check=False, stdout=subprocess.PIPE, stderr=slave,
                             text=True, timeout=120)
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the terminal is closed once everything is read
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(master)
    return run, b"".join(chunks).decode("utf-8", "replace")


# --------------------------------------------------------------------------- exactness


def test_zero_uncertainty_reproduces_the_official_parliament_of_2025():
    r = simulate(parse_scenario('base = "2025"\nlevel = "governorate"\n', "s.toml"), draws=30, seed=4)
    official = {x.list_id: x.seats for x in packs.load().record().election("2025").lists if x.seats}
    got = {x: int(v) for x, v in zip(r.scenario.table.lists, r.base_lists) if v}
    assert got == official
    assert (r.lists == r.base_lists).all()  # every draw is the deterministic result


def test_zero_uncertainty_reproduces_january_2005_with_threshold_and_unitemized_votes():
    r = simulate(parse_scenario('base = "2005-01"\n', "s.toml"), draws=3, seed=0)
    computed = {x.list_id: x.seats_computed for x in parliament("2005-01").lists if x.seats_computed}
    assert {x: int(v) for x, v in zip(r.scenario.table.lists, r.base_lists) if v} == computed


def test_zero_uncertainty_at_national_level_is_the_exact_allocation_of_the_table():
    s = load_scenario(EXAMPLES / "2021_under_2018_law.toml")
    t = s.table
    r = simulate(parse_scenario(s.text.replace('model = "dirichlet"', 'model = "none"')
                                .replace('concentration = "20000"', ""), "s.toml"), draws=2, seed=0)
    votes = {x: int(v) for x, v in zip(t.lists, t.votes[0]) if v}
    exact = allocate(votes, 320, "sainte-lague-modified", first_divisor="1.7", residual_votes=int(t.residual[0]),
                     tie_break="lot", seed=0)
    want = {k: v for k, v in exact.seats.items() if v} | {"minority-quota": 9}
    assert {x: int(v) for x, v in zip(t.lists, r.base_lists) if v} == want


def test_the_batch_path_equals_the_reference_loop_on_drawn_votes():
    s = parse_scenario(NOISY.replace('"2025"', '"2025"\nlevel = "governorate"'), "s.toml")
    from muhasasa.montecarlo.models import draw_votes as _draw_votes
    from muhasasa.montecarlo.plan import make_plan

    plan = make_plan(s)
    votes = _draw_votes(plan, np.random.default_rng(3), 40)
    kw = {"tie_break": "lot", "seed": 11, "first_divisor": "1.7"}
    assert (_batch()(votes, plan.seats, "sainte-lague-modified", **kw)
            == _allocate_batch_reference(votes, plan.seats, "sainte-lague-modified", **kw)).all()


# --------------------------------------------------------------------------- reproducibility


def test_the_same_seed_gives_the_same_parquet_with_one_or_two_workers(tmp_path):
    s = parse_scenario(NOISY, "noisy.toml")
    draws = 2 * CHUNK + 17
    write_result(simulate(s, draws=draws, seed=9, workers=1), tmp_path / "one")
    write_result(simulate(s, draws=draws, seed=9, workers=2), tmp_path / "two")
    for name in ("draws.parquet", "summary.parquet", "base.parquet"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    table = pq.read_table(tmp_path / "one" / "draws.parquet")
    assert table.num_rows > draws and table.column_names == ["draw", "level", "player", "seats"]
    assert not np.array_equal(simulate(s, draws=draws, seed=10).lists, simulate(s, draws=draws, seed=9).lists)


def test_dask_sweep_gives_each_scenario_the_same_draws_as_simulate():
    a = parse_scenario(NOISY, "a.toml")
    b = load_scenario(EXAMPLES / "2005_sunni_boycott.toml")
    swept = sweep([a, b], draws=1200, seed=5)
    for s, r in zip((a, b), swept):
        alone = simulate(s, draws=1200, seed=5)
        assert (r.lists == alone.lists).all() and r.summary == alone.summary


def test_a_dask_address_that_does_not_answer_is_an_input_error():
    with pytest.raises(InputError, match="no Dask scheduler answers at 127.0.0.1:9"):
        simulate(parse_scenario(NOISY, "s.toml"), draws=10, dask="127.0.0.1:9")


# --------------------------------------------------------------------------- errors of estimates


def test_probabilities_carry_their_monte_carlo_errors():
    r = simulate(parse_scenario(NOISY, "s.toml"), draws=1500, seed=2)
    rows = list(r.summary)
    assert all(math.isclose(row[f"se_{q}"], math.sqrt(row[f"p_{q}"] * (1 - row[f"p_{q}"]) / 1500))
               for row in rows for q in ("majority", "two_thirds", "blocking"))
    cf = r.row("bloc", "coordination-framework")
    assert 0 < cf["p_blocking"] < 1 and cf["se_blocking"] > 0  # 115 seats at base, 110 block
    seats = r.players[:, r.plan.players.index("coordination-framework")]
    assert cf["p_blocking"] == pytest.approx((seats >= 110).mean())
    assert cf["p5"] <= cf["p50"] <= cf["p95"] and cf["sd"] > 0
    assert r.plan.quotas == {"majority": 165, "two_thirds": 220, "blocking": 110}


def test_formation_reaches_the_2022_cycle_without_the_resignation():
    r = simulate(load_scenario(EXAMPLES / "2022_without_resignation.toml"), draws=40, seed=1)
    gov = {(g["outcome"], g["value"]): g for g in r.governments}
    # the Sadrists and the Coordination Framework both claim the largest bloc; blocked by the two-thirds
    # quorum, the Sadrists leave by the model's exit move in most draws and the Framework forms: the
    # record's outcome without the script (a compromise nominee when they stay)
    assert gov[("pm_bloc", "coordination-framework")]["probability"] > 0.8
    assert {v for o, v in gov if o == "pm_bloc"} <= {"coordination-framework", "consensus"}
    with_it = simulate(parse_scenario('base = "2021"\n', "s.toml"), draws=40, seed=1, formation=True)
    pm = {g["value"]: g["probability"] for g in with_it.governments if g["outcome"] == "pm_bloc"}
    assert pm.get("coordination-framework", 0) > 0.5


def test_a_resignation_vacates_seats_and_refills_them_within_the_community():
    text = 'base = "2025"\nlevel = "governorate"\n[[interventions]]\nkind = "resignation"\nlist = "sadiqoun"\n'
    r = simulate(parse_scenario(text, "s.toml"), draws=5, seed=0)
    t = r.scenario.table
    seats = dict(zip(t.lists, r.base_lists.tolist()))
    assert seats["sadiqoun"] == 0 and sum(seats.values()) == 329
    assert seats["rd"] > 46 and seats["kdp"] == 26  # Shia Arab lists gain, Kurdish ones do not


def test_draw_counts_are_checked():
    for bad in (0, -3, 20_000_000):
        with pytest.raises(InputError):
            check_draws(bad)


# --------------------------------------------------------------------------- files


def test_results_are_written_with_their_manifest_and_queried_with_duckdb(tmp_path):
    r = simulate(parse_scenario(NOISY, "s.toml"), draws=300, seed=3)
    out = write_result(r, tmp_path / "res")
    assert {p.name for p in out.iterdir()} == {"draws.parquet", "summary.parquet", "base.parquet",
                                               "scenario.toml", "meta.json", "muhasasa-result.json"}
    meta = json.loads((out / "meta.json").read_text())
    assert (meta["seed"], meta["draws"], meta["uncertainty"]["model"]) == (3, 300, "logit-normal")
    assert (out / "scenario.toml").read_text() == NOISY
    rows = query(out, "select count(distinct draw) as n from draws")
    assert rows == [{"n": 300}]
    top = query(out, "select player, p_blocking, se_blocking from summary where level = 'bloc' order by mean desc limit 1")
    assert top[0]["player"] == "coordination-framework"
    with pytest.raises(InputError, match="sql"):
        query(out, "select nothing from nowhere")


def test_compare_sets_two_results_side_by_side(tmp_path):
    a = write_result(simulate(parse_scenario(NOISY, "a.toml"), draws=200, seed=1), tmp_path / "a")
    b = write_result(simulate(load_scenario(EXAMPLES / "2005_sunni_boycott.toml"), draws=200, seed=1), tmp_path / "b")
    found = compare(a, b)
    meta_b, rows = found.b, found.rows
    assert not found.different_base
    taq = next(r for r in rows if r["level"] == "list" and r["player"] == "taqaddum")
    assert taq["mean_b"] < taq["mean_a"] and meta_b["title"].startswith("2025 with a Sunni Arab boycott")


# --------------------------------------------------------------------------- the command line


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.toml")))
def test_each_example_runs_from_the_cli(example, tmp_path):
    out, terminal = cli_on_a_terminal("simulate", str(EXAMPLES / example), "--draws", "60", "--seed", "1", "--out",
                                      str(tmp_path / "r"))
    assert out.returncode == 0, terminal
    assert "simulating" in terminal  # the progress bar, shown on a terminal
    assert "±" in out.stdout and "P(>=165)" in out.stdout and "wrote" in out.stdout
    assert (tmp_path / "r" / "summary.parquet").is_file()
    if example == "2022_without_resignation.toml":
        assert "P(pm_bloc = coordination-framework)" in out.stdout


def test_cli_compare_of_two_folders(tmp_path):
    for name, example in (("a", "2025_southern_turnout.toml"), ("b", "2005_sunni_boycott.toml")):
        assert cli("simulate", str(EXAMPLES / example), "--draws", "50", "--out", str(tmp_path / name)).returncode == 0
    out = cli("compare", str(tmp_path / "a"), str(tmp_path / "b"))
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("A: 2025 with 10 points more turnout in the south") and "mean B" in out.stdout


BAD = {
    "unknown list": ('base = "2025"\n[[interventions]]\nkind = "withdraw"\nlist = "sdr"\n', "unknown list"),
    "unknown governorate": (('base = "2025"\nlevel = "governorate"\n[[interventions]]\nkind = "turnout"\n'
                             'factor = "2"\nscope = "governorate=Basrah"\n'), "did you mean 'Basra'"),
    "negative votes": ('base = "2025"\n[[interventions]]\nkind = "swing"\nlist = "rd"\npoints = "-30"\n',
                       "negative votes"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_scenarios_give_one_line_exit_2_and_write_nothing(case, tmp_path):
    text, words = BAD[case]
    (tmp_path / "bad.toml").write_text(text)
    out = cli("simulate", str(tmp_path / "bad.toml"), "--draws", "10", "--out", str(tmp_path / "r"))
    assert out.returncode == 2 and words in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "bad.toml, line" in out.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.toml"]


@pytest.mark.parametrize("args", [("--draws", "0"), ("--draws", "20000000"), ("--dask", "127.0.0.1:9")])
def test_bad_run_options_give_one_line_exit_2_and_write_nothing(args, tmp_path):
    out = cli("simulate", str(EXAMPLES / "2005_sunni_boycott.toml"), *args, "--out", str(tmp_path / "r"))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert not (tmp_path / "r").exists()


def test_simulate_out_shows_the_write_on_a_terminal_and_stays_quiet_on_a_pipe(tmp_path):
    example = str(EXAMPLES / "2025_southern_turnout.toml")
    out, terminal = cli_on_a_terminal("simulate", example, "--draws", "2500", "--out", str(tmp_path / "t"))
    assert out.returncode == 0 and f"simulating, writing {tmp_path / 't'}" in terminal
    piped = cli("simulate", example, "--draws", "2500", "--out", str(tmp_path / "p"))
    assert piped.returncode == 0 and piped.stderr == ""
    assert (tmp_path / "t" / "draws.parquet").read_bytes() == (tmp_path / "p" / "draws.parquet").read_bytes()
