"""The calibration reports a parameter the record cannot identify as flat and keeps its
starting value (never the grid's first point)."""

from __future__ import annotations

from dataclasses import replace

from muhasasa.formation.calibration import calibrate, grid
from muhasasa.formation.replay import calibrated_parameters


def test_a_flat_parameter_keeps_its_start_and_is_reported_flat():
    # 2014: no step's quorum lies above what a coalition needs, so boycott cannot act
    start = replace(calibrated_parameters(), boycott=0.8)
    assert grid()["boycott"][0] != 0.8
    fitted = calibrate(runs=8, seed=0, cycles=["2014"], start=start, sweeps=1)
    boycott = next(p for p in fitted.profiles if p.parameter == "boycott")
    assert not boycott.identified and boycott.spread == 0
    assert fitted.parameters.boycott == 0.8 == boycott.chosen
    assert boycott.as_dict()["verdict"] == "flat"
    days = next(p for p in fitted.profiles if p.parameter == "days_per_round")
    assert days.identified and fitted.parameters.days_per_round == days.values[days.losses.index(min(days.losses))]


def test_calibrate_cli_leave_one_out_json_rows():
    import json
    import subprocess
    import sys

    import muhasasa

    out = subprocess.run([sys.executable, "-m", "muhasasa", "calibrate", "--leave-one-out", "--runs", "2",
                          "--workers", "2", "--format", "json"], capture_output=True, text=True, timeout=900,
                         check=False)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    # the folds refitted side by side give the rows of one process, in the cycles' order
    assert rows == json.loads(json.dumps(muhasasa.calibrate(runs=2, leave_one_out=True, workers=1)))
    assert [r["cycle"] for r in rows] == ["2006", "2010", "2014", "2018", "2020", "2022", "2026"]
    for r in rows:
        assert {"cycle", "record_pm", "modal_pm", "p_record_pm", "days_record", "days_p10", "days_p90"} <= set(r)
        assert 0 <= r["p_record_pm"] <= 1
    assert next(r for r in rows if r["cycle"] == "2018")["record_pm"] == "consensus"


def test_the_scripts_can_be_removed_from_the_fit():
    from muhasasa import packs
    from muhasasa.formation.calibration import _scenario, scripted_events

    assert scripted_events("2022") == ("sadrist-resignation",) and scripted_events("2026") == ("maliki-us-veto",)
    assert scripted_events("2010") == ()
    iraq = packs.load()
    assert _scenario("2022", iraq).events and not _scenario("2022", iraq, scripts=False).events
    assert _scenario("2026", iraq).vetoes and not _scenario("2026", iraq, scripts=False).vetoes


def test_workers_act_only_on_the_leave_one_out_and_are_bounded():
    import subprocess
    import sys

    import pytest

    import muhasasa
    from muhasasa.errors import InputError

    with pytest.raises(InputError, match="workers acts only with leave_one_out"):
        muhasasa.calibrate(runs=2, workers=2)
    with pytest.raises(InputError, match="workers must lie between 1 and 64"):
        muhasasa.calibrate(runs=2, leave_one_out=True, workers=0)
    out = subprocess.run([sys.executable, "-m", "muhasasa", "calibrate", "--leave-one-out", "--workers", "0"],
                         capture_output=True, text=True, timeout=60, check=False)
    assert out.returncode == 2 and "--workers" in out.stderr


def test_the_days_score_is_the_crps_in_log_days():
    import math

    from hypothesis import given
    from hypothesis import strategies as st

    from muhasasa.formation.calibration import crps_log_days

    # a point mass scores the absolute log error; two draws, by hand: mean distance less half the mean spread
    assert math.isclose(crps_log_days([200] * 7, 100), math.log(2))
    assert math.isclose(crps_log_days([100, 300], 200), (math.log(2) + math.log(1.5)) / 2 - math.log(3) / 4)
    # of two distributions with the same median, the one whose spread covers the record scores less
    assert crps_log_days([150, 200, 260], 250) < crps_log_days([199, 200, 201], 250)

    @given(st.lists(st.integers(1, 2000), min_size=1, max_size=40), st.integers(1, 2000))
    def bounded(days, record):
        # never negative, never more than the mean absolute log error (the spread term only lowers it)
        score = crps_log_days(days, record)
        assert -1e-12 <= score <= sum(abs(math.log(d) - math.log(record)) for d in days) / len(days) + 1e-12
        assert math.isclose(score, crps_log_days(list(reversed(days)), record), abs_tol=1e-12)  # order-free

    bounded()


def test_a_flat_parameter_is_drawn_from_its_grid_out_of_sample():
    from muhasasa import packs
    from muhasasa.formation.calibration import _scenario, run_uncertain
    from muhasasa.formation.model import Simulator, run_many

    scenario = _scenario("2022", packs.load(), scripts=False)
    simulator = Simulator(scenario, calibrated_parameters())
    # nothing uncertain: run_many's runs, stream for stream
    assert ([g.days for g in run_uncertain(simulator, {}, 12, 4)] == [g.days for g in run_many(simulator, 12, 4)])
    # exit drawn from {0, 1} run by run: some runs leave, some never do, as the two fixed values bound
    never = run_many(Simulator(scenario, replace(calibrated_parameters(), exit=0.0)), 40, 4)
    always = run_many(Simulator(scenario, replace(calibrated_parameters(), exit=1.0)), 40, 4)
    mixed = run_uncertain(simulator, {"exit": (0.0, 1.0)}, 40, 4)
    assert not any(g.exited for g in never) and sum(bool(g.exited) for g in always) > 36
    assert 8 < sum(bool(g.exited) for g in mixed) < 32
    # each run is the run of its drawn value: it matches one of the two fixed runs on its stream
    assert all(m.days in (n.days, a.days) for m, n, a in zip(mixed, never, always, strict=True))


def test_the_held_out_row_reports_the_mixture_and_the_fixed_values(monkeypatch):
    from muhasasa.formation import calibration

    fitted = calibration.calibrate  # a one-cycle, one-sweep fit keeps the test short
    monkeypatch.setattr(calibration, "calibrate", lambda *a, **k: fitted(*a, **{**k, "cycles": ["2014"]}))
    row = calibration.held_out("2022", ("2014", "2022"), 6, 0, 1, True, False)
    # 2014 cannot move the exit move's parameters: out of sample they are drawn from their grids
    assert {"exit", "exit_after", "force"} <= set(row["flat"])
    assert set(row["fixed"]) == {"modal_pm", "p_record_pm", "days_p10", "days_median", "days_p90",
                                 "days_inside_p10_p90"}
    assert (row["days_p10"], row["days_p90"]) != (row["fixed"]["days_p10"], row["fixed"]["days_p90"])
