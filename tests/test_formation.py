"""The formation model: constitutional steps are never skipped, the convention holds
unless lifted, runs are reproducible, and every trace event names its rule."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from muhasasa.formation.model import MAIN_COMMUNITIES, Simulator, run_many
from muhasasa.formation.replay import calibrated_parameters, replay
from muhasasa.formation.setup import prepare, replayable_cycles

CYCLES = replayable_cycles()


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "muhasasa", *args], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def simulators():
    params = calibrated_parameters()
    return {c: Simulator(prepare(c), params) for c in CYCLES}


@given(cycle=st.sampled_from(CYCLES), seed=st.integers(0, 2**32 - 1))
@settings(max_examples=60, deadline=None)
def test_no_government_skips_a_quorum_or_a_majority(simulators, cycle, seed):
    sim = simulators[cycle]
    gov = sim.run(np.random.default_rng(seed), trace=True)
    if not gov.formed:
        return
    texts = [e.text for e in gov.trace]
    order = [next(i for i, t in enumerate(texts) if t.startswith(f"{step}: carried by"))
             for step in ("speaker", "president", "cabinet")]
    assert order == sorted(order)  # Speaker, then President, then confidence
    for event in gov.trace:
        if ": carried by" in event.text:
            seats, needed = event.text.rsplit("(", 1)[1].split(" seats, ")
            assert int(seats) >= int(needed.split()[0])
    assert sum(gov.ministries.values()) == sim.scenario.ministries


@given(cycle=st.sampled_from(CYCLES), seed=st.integers(0, 2**32 - 1))
@settings(max_examples=40, deadline=None)
def test_the_convention_holds_in_every_government(simulators, cycle, seed):
    sim = simulators[cycle]
    gov = sim.run(np.random.default_rng(seed))
    if not gov.formed:
        return
    assert gov.offices == {"speaker": "Sunni Arab", "president": "Kurdish", "prime-minister": "Shia Arab"}
    communities = {c for a in sim.scenario.actors if a.id in gov.coalition for c in a.community_seats}
    present = {c for c in MAIN_COMMUNITIES if any(a.community_seats.get(c) for a in sim.scenario.actors)}
    assert present <= communities


def test_lifting_the_convention_allows_single_community_coalitions():
    params = calibrated_parameters()
    lifted = Simulator(prepare("2010", convention=False), params)
    coalitions = set()
    for gov in run_many(lifted, 200, 3):
        members = [a for a in lifted.scenario.actors if a.id in gov.coalition]
        coalitions.add(frozenset(c for a in members for c in a.community_seats))
    assert any(not {"Sunni Arab", "Kurdish"} <= c for c in coalitions)


def test_replays_are_reproducible_from_a_seed():
    first = replay("2014", runs=50, seed=7)
    again = replay("2014", runs=50, seed=7)
    other = replay("2014", runs=50, seed=8)
    assert first.as_dict() == again.as_dict()
    assert first.simulated != other.simulated


def test_every_trace_event_names_its_rule(simulators):
    for cycle, sim in simulators.items():
        for seed in range(5):
            for event in sim.run(np.random.default_rng(seed), trace=True).trace:
                assert event.rule and event.rule.strip(), (cycle, event)
                assert str(event).startswith(f"day {event.day}: ")


def test_2022_without_the_resignation_runs_and_differs():
    base = replay("2022", runs=300, seed=1)
    counterfactual = replay("2022", runs=300, seed=1, without=["sadrist-resignation"])
    assert counterfactual.without == ("sadrist-resignation",)
    assert base.simulated["pm_bloc"] != counterfactual.simulated["pm_bloc"]
    assert any("resign" in str(e) for e in base.story)
    assert not any("resign" in str(e) for e in counterfactual.story)


def test_replay_cli_json_names_blocs_alike():
    out = cli("replay", "2022", "--runs", "200", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["record"]["pm_bloc"] == "coordination-framework"
    assert data["record"]["pm_bloc"] in data["simulated"]["pm_bloc"]
    assert set(data["simulated"]["days"]) >= {"median", "p10", "p90"}


def test_replay_cli_tells_the_2022_story():
    out = cli("replay", "2022", "--runs", "300")
    assert out.returncode == 0, out.stderr
    assert "record" in out.stdout and "simulated" in out.stdout
    assert "Art. 70(1); FSC 16/Federal/2022" in out.stdout or "FSC 16/Federal/2022" in out.stdout


def test_form_cli_with_a_whatif_file(tmp_path):
    path = tmp_path / "whatif.toml"
    path.write_text('cycle = "2022"\nwithout_events = ["sadrist-resignation"]\n[parameters]\nboycott = "0.9"\n',
                    encoding="utf-8")
    out = cli("form", "2021", "--runs", "100", "--scenario", str(path), "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["without_events"] == ["sadrist-resignation"]


@pytest.mark.parametrize(
    ("args", "content", "message"),
    [
        (["replay", "2019"], None, "unknown replayable cycle '2019'"),
        (["replay", "2022", "--without", "sadrist-resignatio"], None, "did you mean 'sadrist-resignation'"),
        (["form", "2021", "--runs", "0"], None, "must be positive"),
        (["form", "2021", "--scenario", "{file}"], 'cycle = "2022"\nboycot = "0.5"\n', "boycot"),
        (["form", "2021", "--scenario", "{file}"], 'cycle = "2022"\n[parameters]\nboycott = 0.5\n', "quote it"),
        (["form", "2021", "--scenario", "{file}"], 'cycle = "2018"\n', "cycle 2018"),
    ],
)
def test_bad_formation_input_is_one_clear_line(tmp_path, args, content, message):
    path = tmp_path / "whatif.toml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    out = cli(*[a.replace("{file}", str(path)) for a in args])
    assert out.returncode == 2, out.stdout
    assert message in out.stderr and "Traceback" not in out.stderr
