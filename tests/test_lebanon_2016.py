"""The 2014-16 presidential vacancy as Lebanon's formation cycle 2016: the parliament of
2009 as a seats-only election of the record (each camp's declared seats per district, no
votes: not allocatable, not verifiable), its camps at the vacancy (the Democratic Gathering
out of March 14 since 2011), the 46 electoral sessions as dated events, and the formation
model replayed on it beside the record."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

import muhasasa
from muhasasa.cli import cli
from muhasasa.errors import DataLevelError, InputError
from muhasasa.formation import prepare
from muhasasa.packs import load

PACK = load("lebanon")
PACK_DIR = Path(muhasasa.__file__).parent / "packs" / "lebanon"
RECORD_DIR = PACK_DIR / "parliament" / "record"
ELECTION = PACK.election("2009")
# The house of the Taif constitution by confession (the pack's 128 seats)
HOUSE = {"Maronite": 34, "Shia": 27, "Sunni": 27, "Greek Orthodox": 14, "Druze": 8, "Greek Catholic": 8,
         "Armenian Orthodox": 5, "Alawite": 2, "Armenian Catholic": 1, "Evangelical": 1, "Minorities": 1}


# --------------------------------------------------------------------------- the 2009 record


def test_2009_is_seats_only_with_the_camps_declared_seats():
    assert ELECTION.seats_only and ELECTION.date == dt.date(2009, 6, 7) and ELECTION.house_size == 128
    assert {x.list_id: x.seats for x in ELECTION.lists} == {"march-14-lists": 71, "march-8-lists": 57}
    assert all(x.votes is None for x in ELECTION.lists)
    assert all(r.votes is None for d in ELECTION.district_results for r in d.rows)
    assert len(ELECTION.districts) == 26 and sum(d.general_seats for d in ELECTION.districts) == 128
    # every district's camp seats fill it (the table's 14 March / 8 March columns)
    for d in ELECTION.districts:
        assert sum(ELECTION.district_votes(d.district).official_seats.values()) == d.general_seats, d.district
    assert all(x.source.startswith("https://") or x.source.startswith("http://") for x in ELECTION.lists)


def test_2009_seats_by_confession_are_the_house_of_the_taif_constitution():
    record = PACK.candidate_record()
    by_group: Counter[str] = Counter()
    for d in ELECTION.districts:
        district = record.district("2009", d.district)
        assert sum(district.seats.values()) == d.general_seats, d.district
        for (group, _), n in district.seats.items():
            by_group[group] += n
    assert dict(by_group) == HOUSE


def test_verify_still_lists_exactly_the_thirty_district_elections():
    checks = muhasasa.verify(pack="lebanon")
    assert len(checks) == 30 and {c.election for c in checks} == {"2018", "2022"}
    assert all(c.status == "match" for c in checks)


def test_the_parliament_of_2009_is_its_declared_seats_and_no_law_recomputes_them():
    parl = muhasasa.parliament("2009", pack="lebanon")
    assert parl.seats == {"march-14-lists": 71, "march-8-lists": 57}
    assert parl.checks == () and parl.law == "" and all(x.seats_computed is None for x in parl.lists)
    with pytest.raises(DataLevelError):
        muhasasa.parliament("2009", "2018", pack="lebanon")
    row = next(r for r in muhasasa.election_index(pack="lebanon") if r["id"] == "2009")
    assert row["law"] is None and row["method"] is None and row["house_size"] == 128


def _record_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "record"
    shutil.copytree(RECORD_DIR, copy)
    return copy


def test_a_seats_only_election_refuses_votes_at_the_located_row(tmp_path):
    copy = _record_copy(tmp_path)
    lists = copy / "lists.csv"
    with lists.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    line = next(i for i, r in enumerate(rows) if r[0] == "2009")
    rows[line][header.index("votes")] = "1000"
    rows[line][header.index("votes_status")] = "final"
    with lists.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    with pytest.raises(InputError) as err:
        PACK.record_from(copy)
    assert err.value.field == "votes" and err.value.line == line + 1 and "seats-only" in str(err.value)
    # and an unknown kind of results is refused at its column
    copy2 = _record_copy(tmp_path / "b")
    elections = copy2 / "elections.csv"
    elections.write_text(elections.read_text(encoding="utf-8").replace(",seats-only\n", ",seats\n"),
                         encoding="utf-8")
    with pytest.raises(InputError) as err:
        PACK.record_from(copy2)
    assert err.value.field == "results"


def test_the_seats_only_column_is_optional_and_defaults_to_votes():
    # Iraq's record has no `results` column: every election holds votes
    iraq = load("iraq").record()
    assert not any(e.seats_only for e in iraq.elections)
    assert [e.id for e in PACK.record().elections if not e.seats_only] == ["2018", "2022"]


# --------------------------------------------------------------------------- the camps


def _sizes(when: str) -> dict[str, int]:
    m = PACK.bloc_map("2009", when)
    players = m.seats({x.list_id: x.seats for x in ELECTION.lists})
    assert sum(players.values()) == 128
    return {b.id: players[b.id] for b in m.blocs}


def test_the_camps_as_elected_and_at_the_vacancy():
    assert _sizes("2009-06-07") == {"march-8": 57, "march-14": 71}
    # the Democratic Gathering (11) out of March 14 since January 2011, revived on 22 Apr 2014;
    # Mikati and Karami centrists since August 2009 (IFES)
    assert _sizes("2014-05-25") == {"march-8": 57, "march-14": 58, "democratic-gathering": 11, "centrists": 2}
    vacancy = PACK.bloc_map("2009", "2014-05-25")
    assert vacancy.id == "2014-04-22-democratic-gathering" and vacancy.date == dt.date(2014, 4, 22)
    assert "Jan 2011" in vacancy.notes and vacancy.sources
    dg = next(b for b in vacancy.blocs if b.id == "democratic-gathering")
    assert dg.claimed_seats == "11" and dg.sources
    # the first session's tallies are kept as claims beside the camps
    claims = {c.bloc: c.count for c in vacancy.claims}
    assert claims == {"march-14": "48", "democratic-gathering": "16", "march-8": "52"}


def test_either_big_camp_alone_could_deny_the_quorum_through_the_vacancy():
    cast = muhasasa.players("2009", blocs="2014-04-22-democratic-gathering", pack="lebanon")
    game = muhasasa.game(cast, "president")
    assert game.quorum == 86 and sum(cast.weights.values()) == 128
    rows = {r["player"]: r for r in muhasasa.power(cast, game, ["banzhaf"])}
    # 128 - 57 = 71 and 128 - 58 = 70 < 86: March 8 or March 14 staying away denies the quorum
    assert {p for p, r in rows.items() if r["blocks_alone"]} == {"march-8", "march-14"}
    assert rows["march-8"]["banzhaf"] > rows["democratic-gathering"]["banzhaf"] >= rows["centrists"]["banzhaf"]


# --------------------------------------------------------------------------- the cycle


def test_the_record_of_cycle_2016_reads_back():
    record = PACK.cycle("2016")
    assert (record.election, record.replayable, record.president_name, record.pm_name) == \
        ("2009", True, "Michel Aoun", "Saad Hariri")
    assert record.trigger_date == dt.date(2014, 5, 25) and record.president_date == dt.date(2016, 10, 31)
    assert record.pm_designated_date == dt.date(2016, 11, 3) and record.cabinet_date == dt.date(2016, 12, 28)
    assert record.days_trigger_to_cabinet == 948 and record.days_election_to_cabinet == 2761
    assert (record.president_date - record.trigger_date).days == 890
    assert record.confidence_votes_for == 87 and record.ministries_total == 30 and record.presidential_rounds == 2
    assert record.speaker_name == "Nabih Berri" and record.first_session_date == dt.date(2009, 6, 25)
    conv = PACK.convention().for_formation_cycle("2016")
    assert conv.id == "2016_aoun" and conv.cabinet_size == 30 and conv.election == "2009"


def test_the_forty_six_sessions_are_dated_events():
    sessions = [e for e in PACK.events("2016") if e.kind == "session" and e.decision == "president"]
    assert len(sessions) == 46
    assert sessions[0].date == dt.date(2014, 4, 23) and sessions[-1].date == PACK.cycle("2016").president_date
    assert [s.date for s in sessions] == sorted({s.date for s in sessions})
    assert sum(s.outcome != "elected" for s in sessions) == 45 and sessions[-1].outcome == "elected"
    assert sessions[0].outcome == "failed" and all(s.outcome == "no-quorum" for s in sessions[1:-1])
    # sessions counted in the news: the 16th on 10 Dec 2014, the 33rd on 16 Dec 2015, the 45th on 28 Sep 2016
    assert sessions[15].date == dt.date(2014, 12, 10) and sessions[32].date == dt.date(2015, 12, 16)
    assert sessions[44].date == dt.date(2016, 9, 28)
    for s in sessions:
        assert s.quorum == 86 and len(s.sources) >= 2, s.id
        if s.present is not None:
            assert (s.outcome == "no-quorum") == (s.present < s.quorum), s.id
    assert [s.present for s in sessions if s.present is not None] == [124, 76, 56, 39, 20, 51, 127]
    # Aoun's 84 then 83 votes (the record keeps tallies in the notes: the event has no vote field)
    assert "84 in the first round" in sessions[-1].notes and "83 in the second" in sessions[-1].notes
    assert "83 in the second" in PACK.cycle("2016").notes


def test_actors_hold_every_seat_by_confession_of_the_2009_house():
    cast = PACK.actors("2016")
    assert cast.bloc_map.id == "2014-04-22-democratic-gathering"
    total: Counter[str] = Counter()
    for actor in cast.actors.values():
        total.update(actor.community_seats)
    assert dict(total) == HOUSE
    # where a camp won every seat of a district, its seats there are the district's: March 8's
    # Shia seats are the 23 of its unanimous districts and one of Beirut II (labelled)
    assert cast.actor("march-8").community_seats["Shia"] == 24
    states = {a.id: a.seats for a in prepare("2016", pack="lebanon").actors}
    assert states == {"march-8": 57, "march-14": 58, "democratic-gathering": 11, "centrists": 2}


def test_replay_gives_a_president_and_reports_days_against_the_record():
    report = muhasasa.replay("2016", runs=60, seed=0, pack="lebanon")
    rec, sim = report.record, report.simulated
    assert rec["days"] == 948 and rec["days_from"] == "trigger"
    assert rec["days_to"] == {"president": 890, "pm_designated": 893, "cabinet": 948}
    assert rec["sessions"] == {"president": 46} and rec["pm_bloc"] == "consensus"
    assert sim["steps"]["president"]["carried"] > 0 and sim["formed"] > 0
    assert sim["within_recorded_sessions"]["president"]["sessions"] == 46
    assert set(sim["pm_bloc"]) <= {"march-8", "march-14", "democratic-gathering", "centrists"}
    assert "President of the Republic is vacant" in str(report.story[0])
    assert [e.step for e in report.story if e.kind == "carried"] == ["president", "consultations", "cabinet"]


def test_cli_replay_json_runs_end_to_end():
    result = CliRunner().invoke(cli, ["replay", "2016", "--pack", "lebanon", "--runs", "20", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["cycle"] == "2016" and data["record"]["days_to"]["president"] == 890
    assert data["simulated"]["steps"]["president"]["carried"] > 0
    cycles = CliRunner().invoke(cli, ["cycles", "--pack", "lebanon"])
    assert cycles.exit_code == 0 and "2016" in cycles.output and "2009" in cycles.output


def test_the_explorer_formation_page_replays_cycle_2016():
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from muhasasa.web.app import create_app

    with TestClient(create_app()) as client:
        page = client.get("/formation?pack=lebanon&cycle=2016&runs=10")
        assert page.status_code == 200 and "Michel Aoun" in page.text and "Saad Hariri" in page.text
        api = client.get("/api/formation/2016?pack=lebanon&runs=10")
        assert api.status_code == 200
        record = api.json()["record"]
        assert record["dates"]["trigger"] == "2014-05-25" and record["dates"]["president"] == "2016-10-31"
        assert record["election"] == "2009" and record["presidential_rounds"] == 2
        # the seats-only election has its page: the declared seats, no law recomputing them
        election = client.get("/elections?pack=lebanon&election=2009")
        assert election.status_code == 200 and "March 14 lists" in election.text


def test_cli_on_the_seats_only_election_says_so_in_one_line():
    seats = CliRunner().invoke(cli, ["seats", "2009", "--pack", "lebanon"])
    assert seats.exit_code == 0 and "declared seats only, no law recomputes them" in seats.output
    assert "march-14-lists" in seats.output and "; districts" not in seats.output
    # a step that needs the law is refused at the field, naming why
    women = subprocess.run([sys.executable, "-m", "muhasasa", "women", "2009", "--pack", "lebanon"],
                           capture_output=True, text=True, timeout=120, check=False)
    assert women.returncode == 2 and not women.stdout and "declared seats only" in women.stderr
    assert len(women.stderr.strip().splitlines()) == 1
    with pytest.raises(InputError) as err:
        PACK.law_of("2009")
    assert err.value.field == "law" and "seats-only" in str(err.value)
