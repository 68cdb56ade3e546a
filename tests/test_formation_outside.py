"""Outside players as players (their positions on the nominees, a veto inside the model) and the
exit move, against the record; the scripts can be removed from fit and replay."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import replace
from importlib import resources

import pytest

import muhasasa
from muhasasa import packs
from muhasasa.errors import InputError
from muhasasa.formation.model import Simulator, run_many
from muhasasa.formation.replay import calibrated_parameters, replay, summarise
from muhasasa.formation.setup import prepare

RUNS = 60


def runs(cycle: str, *, without=(), without_vetoes=(), **change: float) -> list:
    scenario = prepare(cycle, without=without, without_vetoes=without_vetoes)
    return run_many(Simulator(scenario, replace(calibrated_parameters(), **change)), RUNS, 1)


# --------------------------------------------------------------------------- the data


def test_every_position_names_a_player_a_nominee_and_its_sources():
    iraq = packs.load("iraq")
    outside = iraq.outside()
    assert outside.player_ids == ("united-states", "iran")
    assert len(outside.positions) >= 25
    for p in outside.positions:
        assert p.sources and all(s.startswith("http") for s in p.sources)
        assert p.proposer == "consensus" or p.proposer in iraq.actors(p.cycle).actors
    # the record's 2026 veto is a position; the later nominees' stances stay unknown
    assert outside.stance("2026", "united-states", "coordination-framework", 1).stance == "reject"
    assert outside.stance("2026", "iran", "coordination-framework", 1).stance == "support"
    assert outside.stance("2026", "iran", "coordination-framework", 2) is None
    # a derived date and a single source are marked as such
    zurfi = outside.stance("2020", "iran", "consensus", 2)
    assert zurfi.stance == "oppose" and zurfi.date_derived
    assert any(p.single_source for p in outside.positions)


@pytest.fixture
def pack_copy(tmp_path):
    target = tmp_path / "iraq"
    shutil.copytree(str(resources.files("muhasasa") / "packs" / "iraq"), target)
    return target


@pytest.mark.parametrize(("old", "new", "field", "words"), [
    ('player = "iran"\ndate = 2010-10-01', 'player = "russia"\ndate = 2010-10-01', "player", "russia"),
    ('proposer = "uia"\norder = 1', 'proposer = "uai"\norder = 1', "proposer", "uia"),
    ('stance = "reject"', 'stance = "hostile"', "stance", "hostile"),
    ('date = 2026-01-27', 'date = 2027-01-27', "date", "after the cabinet"),
])
def test_a_bad_position_is_located(pack_copy, old, new, field, words):
    path = pack_copy / "parliament" / "formation" / "outside.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        packs.load(pack_copy).outside()
    assert caught.value.field.endswith(field) and caught.value.line is not None
    assert words in str(caught.value)


# --------------------------------------------------------------------------- vetoes in the model


def test_the_2026_veto_comes_out_of_the_model_without_the_script():
    governments = runs("2026", without=("maliki-us-veto",), veto=1.0)
    assert all(g.vetoed_by == ("united-states",) for g in governments)
    report = replay("2026", runs=20, seed=0, without=("maliki-us-veto",))
    vetoes = [e for e in report.story if e.kind == "veto"]
    assert all(e.by == "united-states" and e.source == "model" for e in vetoes)
    # removed, the player's veto no longer acts but its stance on the confirmed nominee is still reported
    kept = runs("2026", without=("maliki-us-veto",), without_vetoes=("united-states",), veto=1.0)
    assert not any(g.vetoed_by for g in kept)
    assert sum(g.stances["united-states"] == "reject" for g in kept) > RUNS / 2


def test_the_scripted_veto_and_the_players_veto_do_not_count_twice():
    # both are on the Coordination Framework's first nominee: whichever comes first, one veto per run
    import numpy as np

    simulator = Simulator(prepare("2026"), replace(calibrated_parameters(), veto=1.0))
    counts = []
    for seed in range(40):
        trace = simulator.run(np.random.default_rng(seed), trace=True).trace
        counts.append(sum(e.kind == "veto" for e in trace))
    assert set(counts) == {1}


def test_acceptable_to_all_counts_the_confirmed_nominees_no_player_rejects():
    s = summarise(runs("2026", without=("maliki-us-veto",), veto=0.0))
    outside = s["outside"]
    assert outside["players"] == ["united-states", "iran"]
    assert outside["acceptable_to_all"] == pytest.approx(1 - outside["stance"]["united-states"].get("reject", 0))
    assert outside["vetoed"] == {"united-states": 0.0, "iran": 0.0}


def test_veto_effects_rows():
    rows = muhasasa.veto_effects("2026", runs=40, seed=0, scripts=False)
    assert [r["without_vetoes"] for r in rows] == [[], ["united-states"], ["iran"], ["united-states", "iran"]]
    every, no_us, no_iran, none = rows
    assert every["vetoed"]["united-states"] > 0 and no_us["vetoed"]["united-states"] == 0
    assert no_us["failed_designations"] < every["failed_designations"]
    assert no_iran == {**every, "without_vetoes": ["iran"], "players": ["united-states"]}  # Iran rejects no one
    assert no_us["acceptable_to_all"] < every["acceptable_to_all"]
    assert none["record_pm"] == "coordination-framework"


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"without_vetoes": "united-states"}, "without_vetoes"),
    ({"without_vetoes": ["usa"]}, "without_vetoes"),
])
def test_a_bad_veto_removal_is_refused(kwargs, field):
    with pytest.raises(InputError) as caught:
        muhasasa.replay("2026", runs=5, **kwargs)
    assert caught.value.field == field


# --------------------------------------------------------------------------- the exit move


def test_the_2022_resignation_comes_out_of_the_model_without_the_script():
    governments = runs("2022", without=("sadrist-resignation",), exit=1.0)
    assert all(g.exited == ("sadrists",) for g in governments)
    s = summarise(governments)
    assert s["exit"]["share"] == 1.0 and s["exit"]["after"]["pm_bloc"].get("coordination-framework", 0) > 0.9
    report = replay("2022", runs=10, seed=0, without=("sadrist-resignation",))
    exits = [e for e in report.story if e.kind == "exit"]
    assert [e.actors for e in exits] == [("sadrists",)] and exits[0].seats == 73


@pytest.mark.parametrize("cycle", ["2006", "2010", "2014", "2018", "2020", "2026"])
def test_no_other_cycle_meets_the_exit_condition(cycle):
    # a formateur blocked for lack of quorum with a rival camp: only 2022 (the Sadrists, the CF)
    assert not any(g.exited for g in runs(cycle, exit=1.0))


def test_a_scripted_resignation_of_an_actor_that_left_is_skipped():
    governments = runs("2022", exit=1.0)
    left = [g for g in governments if g.exited]
    assert left and all(g.exit_day < 245 for g in left)  # before the recorded 12 Jun 2022
    report = replay("2022", runs=5, seed=2, parameters=replace(calibrated_parameters(), exit=1.0))
    kinds = [e.kind for e in report.story]
    assert not ("exit" in kinds and "resignation" in kinds)


# --------------------------------------------------------------------------- faces


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "muhasasa", *args], capture_output=True, text=True, timeout=300,
                          check=False)


def test_replay_cli_reports_the_exit_and_sessions_denied_by_force():
    out = cli("replay", "2022", "--without", "sadrist-resignation", "--runs", "60")
    assert out.returncode == 0, out.stderr
    line = next(x for x in out.stdout.splitlines() if x.startswith("left parliament"))
    assert "sadrists" in line and "sessions denied by force in" in line
    data = json.loads(cli("replay", "2022", "--without", "sadrist-resignation", "--runs", "60",
                          "--format", "json").stdout)
    after = data["simulated"]["exit"]["after"]
    assert 0 < after["stormed"] <= 1 and after["stormed_sessions"] > 0


def test_replay_reports_each_deadline_against_the_record():
    # 2014 met Art. 72's 30 days from the first session (the President on 24 Jul, 23 days after 1 Jul); 2010 missed
    # them by 120 days (the session held open); the runs report how often they met each deadline, API and CLI
    import muhasasa

    met, missed = (muhasasa.replay(c, runs=30).as_dict() for c in ("2014", "2010"))
    assert met["record"]["deadlines"]["president"] == -7 and missed["record"]["deadlines"]["president"] == 120
    line = met["simulated"]["deadlines"]["president"]
    assert line["rule"] == "Art. 72(2)(b)" and line["met"] + line["missed"] <= 1 and line["met"] > 0
    out = cli("replay", "2010", "--runs", "30")
    assert out.returncode == 0, out.stderr
    text = next(x for x in out.stdout.splitlines() if x.startswith("president deadline"))
    assert "120 days late" in text and "met in" in text and "Art. 72(2)(b)" in text


def test_calibrate_cli_no_scripts_acts():
    kept = cli("calibrate", "--runs", "2", "--format", "json")
    removed = cli("calibrate", "--runs", "2", "--no-scripts", "--format", "json")
    assert kept.returncode == removed.returncode == 0, kept.stderr + removed.stderr
    fits = {True: json.loads(kept.stdout)["fits"], False: json.loads(removed.stdout)["fits"]}
    assert fits[True] != fits[False]


def test_vetoes_and_replay_cli():
    out = cli("vetoes", "2026", "--runs", "20", "--no-scripts", "--format", "json")
    assert out.returncode == 0, out.stderr
    assert [r["without_vetoes"] for r in json.loads(out.stdout)][:2] == [[], ["united-states"]]
    out = cli("replay", "2026", "--runs", "20", "--without-veto", "united-states", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["without_vetoes"] == ["united-states"] and data["simulated"]["outside"]["vetoed"]["united-states"] == 0
    bad = cli("replay", "2026", "--runs", "5", "--without-veto", "usa")
    assert bad.returncode == 2 and "--without-veto" in bad.stderr and bad.stderr.count("\n") == 1


def test_the_fit_scores_whether_the_confirmed_nominee_is_acceptable_as_the_records_was():
    from muhasasa.formation.calibration import evaluate, record_acceptable

    # no recorded Prime Minister was one an outside player rejected (by name, its latest position)
    assert all(record_acceptable(c) for c in ("2006", "2014", "2020", "2026"))
    losses = {v: evaluate(replace(calibrated_parameters(), veto=v), ["2006"], RUNS, 0, scripts=False)["2006"]
              for v in (0.0, 1.0)}
    assert losses[1.0].p_record_acceptable == 1.0 > losses[0.0].p_record_acceptable
    assert losses[1.0].loss < losses[0.0].loss


def test_outside_positions_lists_a_cycles_sourced_positions_by_date():
    import muhasasa

    out = muhasasa.outside_positions("2026")
    assert [p["id"] for p in out["players"]] == ["united-states", "iran"]
    dates = [p["date"] for p in out["positions"]]
    assert dates == sorted(dates) and all(p["cycle"] == "2026" and p["sources"] for p in out["positions"])
    us = [p for p in out["positions"] if p["player"] == "united-states"]
    assert us and all(p["rejects"] and p["nominee"] == "Nouri al-Maliki" for p in us)
    assert muhasasa.outside_positions("2025", pack="lebanon") == {"players": [], "positions": []}
