"""The Lebanon pack's convention and its formation record: offices by confession, the
cabinet's Christian/Muslim parity, the 2022-25 presidential vacancy as a formation cycle
whose 13 electoral sessions are dated events, and the formation model run on it (the
President, then the binding consultations, then the cabinet)."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import muhasasa
from muhasasa.cli import cli
from muhasasa.errors import InputError, UnknownNameError
from muhasasa.formation import calibrated_parameters, prepare, replay
from muhasasa.formation.model import Simulator, run_many
from muhasasa.formation.replay import summarise
from muhasasa.packs import load

PACK = load("lebanon")
PACK_DIR = Path(muhasasa.__file__).parent / "packs" / "lebanon"
CONVENTION = PACK.convention()
CHRISTIAN = {"Maronite", "Greek Orthodox", "Greek Catholic", "Armenian Orthodox", "Armenian Catholic",
             "Evangelical", "Minorities"}
MUSLIM = {"Sunni", "Shia", "Druze", "Alawite"}


def test_offices_by_confession_per_the_national_pact():
    assert CONVENTION.top_offices() == {
        "president": "Maronite", "speaker": "Shia", "prime-minister": "Sunni",
        "deputy-speaker": "Greek Orthodox", "deputy-prime-minister": "Greek Orthodox",
    }
    assert set(CONVENTION.communities) == set(PACK.community_ids) == CHRISTIAN | MUSLIM
    assert all(o.sources for o in CONVENTION.offices)


def test_every_recorded_holder_fits_the_convention():
    for cycle in CONVENTION.cycles:
        held = CONVENTION.holds(cycle.id)
        assert held and all(held.values()), cycle.id


def test_itemized_cabinets_keep_christian_muslim_parity():
    itemized = [s for c in CONVENTION.cycles for s in c.shares if s.by == "community" and s.total]
    assert itemized
    for shares in itemized:
        christians = sum(n for k, n in shares.shares.items() if k in CHRISTIAN)
        muslims = sum(n for k, n in shares.shares.items() if k in MUSLIM)
        assert christians == muslims == shares.total // 2


def test_every_cabinet_of_the_record_has_its_sourced_size():
    # Hariri 2019: 30 (Naharnet's line-up); Diab 2020: 20 (Fides); Salam 2025: 24 (Al-Manar, AP)
    sizes = {c.id: c.cabinet_size for c in CONVENTION.cycles if c.id != "2016_aoun"}
    assert sizes == {"2019_hariri": 30, "2020_diab": 20, "2025_salam": 24}


def test_the_house_is_shared_equally_too():
    # Art. 24: 64 Christian and 64 Muslim seats, from the record's seat plan
    seats: dict[str, int] = {}
    record = PACK.candidate_record()
    for district in {c.district for c in muhasasa.verify(pack="lebanon") if c.election == "2022"}:
        for key, n in record.district("2022", district).seats.items():
            (group,) = set(key) & (CHRISTIAN | MUSLIM)
            seats[group] = seats.get(group, 0) + n
    assert sum(n for k, n in seats.items() if k in CHRISTIAN) == sum(n for k, n in seats.items() if k in MUSLIM) == 64


def test_the_vacancy_cycle_and_its_thirteen_sessions():
    record = PACK.cycle("2025")
    assert (record.election, record.replayable, record.president_name) == ("2022", True, "Joseph Aoun")
    assert record.trigger_date == dt.date(2022, 10, 31) and record.days_trigger_to_cabinet == 849
    assert record.president_date == dt.date(2025, 1, 9) and record.presidential_rounds == 2
    sessions = [e for e in PACK.events("2025") if e.kind == "session" and e.decision == "president"]
    assert len(sessions) == 13
    assert [s.outcome for s in sessions][-1] == "elected"
    assert all(s.outcome != "elected" for s in sessions[:-1])
    assert sessions[-1].date == record.president_date
    assert sessions[0].date == dt.date(2022, 9, 29) and sessions[11].date == dt.date(2023, 6, 14)


def test_sessions_agree_with_the_presidential_quorum_of_the_constitution():
    cast = muhasasa.players("2022", pack="lebanon")
    game = muhasasa.game(cast, "president")
    for s in PACK.events("2025"):
        assert s.quorum == game.quorum == 86
        if s.present is not None:
            # a session without a vote is one that lacked the quorum, and only that
            assert (s.outcome == "no-quorum") == (s.present < s.quorum), s.id


def test_the_formation_model_walks_the_president_then_the_consultations_then_the_cabinet():
    rules = CONVENTION.formation
    assert [(s.id, s.office) for s in rules.steps] == [
        ("president", "president"), ("consultations", "prime-minister"), ("cabinet", "prime-minister")]
    assert rules.first_session is None and rules.vacancy_steps == ("president", "consultations", "cabinet")
    scenario = prepare("2025", pack="lebanon")
    president, consultations, cabinet = scenario.steps.values()
    # Art. 49(2): 86 to carry whatever the others do, 65 in the run-off when all attend;
    # the consultations and confidence have no quorum a third can deny
    assert (president.quota, president.needed, president.quorum) == (86, 65, 86)
    assert (consultations.quota, consultations.quorum) == (65, None)
    assert (cabinet.quota, cabinet.needed) == (65, 65)
    assert scenario.required == ("Maronite", "Sunni") and scenario.mid_term and scenario.days_to_first_session == 0
    assert scenario.ministries == 24 and scenario.house_size == 128


def test_actors_hold_the_confessions_of_the_deputies_the_bloc_map_names():
    # community_seats of the actors file, recounted from the record's declared winners
    # the membership after the ruling of 24 Nov 2022: declared and seated, less the annulled
    with (Path(PACK_DIR) / "parliament" / "record" / "declared_winners.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["election"] == "2022"]
    annulled = {r["name_en"] for r in rows if r["stage"] == "annulled"}
    winners = {r["name_en"]: r["group"] for r in rows if r["name_en"] not in annulled}
    assert len(winners) == 128
    cast = PACK.actors("2025")
    bmap = cast.bloc_map
    named: dict[str, Counter] = {}
    for bloc in bmap.blocs:
        named[bloc.id] = Counter(winners[n.strip()] for m in bloc.members for n in (m.note or "").split(",") if n.strip())
    for actor in cast.actors.values():
        if not actor.groups:
            assert dict(actor.community_seats) == dict(named[actor.id]), actor.id
    house = Counter(winners.values())
    unaligned = house - sum(named.values(), Counter())
    assert dict(cast.actor("unaligned").community_seats) == dict(unaligned)
    states = {a.id: a for a in prepare("2025", pack="lebanon").actors}
    assert states["march-8"].community_seats["Maronite"] == 13 and states["march-8"].community_seats["Sunni"] == 3


def test_replay_runs_end_to_end_with_quorum_denial_and_sessions_as_rounds():
    report = muhasasa.replay("2025", runs=120, seed=0, pack="lebanon")
    sim, rec = report.simulated, report.record
    assert rec["days"] == 849 and rec["days_from"] == "trigger" and rec["days_to"]["president"] == 801
    assert rec["sessions"] == {"president": 13}
    assert sim["formed"] > 0 and set(sim["steps"]) == {"president", "consultations", "cabinet"}
    assert sim["quorum_failed"] > 0  # a blocking third stayed away at least once
    within = sim["within_recorded_sessions"]["president"]
    assert within["sessions"] == 13 and 0 <= within["carried_within"] <= 1
    kinds = {e.kind for e in report.story}
    assert {"vacancy", "formateur", "carried", "confidence"} <= kinds
    assert "President of the Republic is vacant" in str(report.story[0])
    # the president comes before the designation, which comes before the cabinet
    order = [e.step for e in report.story if e.kind == "carried"]
    assert order == ["president", "consultations", "cabinet"]


def test_the_recognition_rule_acts_and_iraq_keeps_its_largest_bloc():
    """Lebanon's [formation] recognises a leader in proportion to seats each round (no
    largest-bloc rule); under the largest-actor rule March 8 would name every PM."""
    assert CONVENTION.formation.formateur == "recognition"
    scenario = prepare("2025", pack="lebanon")
    assert scenario.recognition
    params = calibrated_parameters("lebanon")
    drawn = summarise(run_many(Simulator(scenario, params), 80, 0))
    largest = summarise(run_many(Simulator(replace(scenario, recognition=False), params), 80, 0))
    assert largest["pm_bloc"] == {"march-8": 1.0}
    assert len(drawn["pm_bloc"]) > 1 and drawn["pm_bloc"].get("march-8", 0) < 1
    # the designate (who led the coalition that carried the consultations) leads the cabinet step
    simulator = Simulator(scenario, params)
    leaders = set()
    for seed in range(12):
        g = simulator.run(np.random.default_rng(seed), trace=True)
        lead = {e.step: e.actors[0] for e in g.trace if e.kind == "carried"}
        assert lead["consultations"] == lead["cabinet"] == g.pm_bloc
        leaders.add(lead["president"])
    assert len(leaders) > 1  # the presidential rounds are led by more than one camp
    iraq = load("iraq")
    assert iraq.convention().formation.formateur == "largest"
    assert not any(prepare(c, pack="iraq").recognition for c in ("2006", "2020", "2022"))


@pytest.mark.parametrize(("name", "low", "high"), [("boycott", "0", "1"), ("days_per_round", "1", "60")])
def test_the_lebanon_parameters_act(name, low, high):
    params = calibrated_parameters("lebanon")
    runs = {v: replay("2025", runs=60, seed=1, pack="lebanon", parameters=params.with_values({name: v})).simulated
            for v in (low, high)}
    if name == "boycott":
        assert runs[low]["quorum_failed"] == 0 < runs[high]["quorum_failed"]
    else:
        assert runs[low]["days"]["median"] < runs[high]["days"]["median"]


def test_the_lebanon_parameters_are_the_iraq_values_labelled():
    assert calibrated_parameters("lebanon") == calibrated_parameters("iraq")
    text = (Path(PACK_DIR) / "parliament" / "formation" / "parameters.toml").read_text(encoding="utf-8")
    assert "NOT FITTED TO LEBANON" in text


def _main(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "muhasasa", *args], capture_output=True, text=True, timeout=120, check=False)


def test_refusals_stay_one_located_line(tmp_path):
    with pytest.raises(UnknownNameError):
        muhasasa.form("2018", runs=1, pack="lebanon")  # no formation cycle opened by 2018
    out = _main("form", "2018", "--pack", "lebanon", "--runs", "1")
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1 and not out.stdout
    # a copy of the pack without the [formation] table is refused at its convention
    copy = tmp_path / "lebanon"
    shutil.copytree(PACK_DIR, copy)
    conv = copy / "parliament" / "convention.toml"
    text = conv.read_text(encoding="utf-8")
    conv.write_text(text[: text.index("\n[formation]\n")], encoding="utf-8")
    with pytest.raises(InputError) as err:
        muhasasa.replay("2025", runs=1, pack=str(copy))
    assert err.value.field == "formation" and "convention.toml" in str(err.value)
    out = _main("replay", "2025", "--pack", str(copy), "--runs", "1")
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1 and "convention.toml" in out.stderr
    # an actors file whose confessions do not add up to the actor's seats: file, line and field
    other = tmp_path / "lebanon-actors"
    shutil.copytree(PACK_DIR, other)
    actors = other / "parliament" / "formation" / "actors" / "2025.toml"
    actors.write_text(actors.read_text(encoding="utf-8").replace('"Shia" = 26', '"Shia" = 25'), encoding="utf-8")
    with pytest.raises(InputError) as err:
        muhasasa.replay("2025", runs=1, pack=str(other))
    assert err.value.field and "community_seats" in err.value.field and "2025.toml" in str(err.value)


def test_form_and_replay_commands_run_on_lebanon():
    for args in (["replay", "2025"], ["form", "2022"]):
        out = CliRunner().invoke(cli, [*args, "--pack", "lebanon", "--runs", "40"])
        assert out.exit_code == 0, out.output
        assert "days to president" in out.output and "801" in out.output


def test_cycles_command_reads_the_chosen_pack():
    out = CliRunner().invoke(cli, ["cycles", "--pack", "lebanon"])
    assert out.exit_code == 0, out.output
    assert "Nawaf Salam" in out.output and "al-Maliki" not in out.output
