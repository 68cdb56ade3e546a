"""The Lebanon pack's convention and its formation record: offices by confession, the
cabinet's Christian/Muslim parity, and the 2022-25 presidential vacancy as a formation cycle
whose 13 electoral sessions are dated events."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

import muhasasa
from muhasasa.cli import cli
from muhasasa.errors import InputError, UnknownNameError
from muhasasa.packs import load

PACK = load("lebanon")
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
    assert (record.election, record.replayable, record.president_name) == ("2022", False, "Joseph Aoun")
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


def test_the_formation_model_refuses_lebanon_with_a_located_reason():
    with pytest.raises(InputError):
        muhasasa.replay("2025", runs=1, pack="lebanon")
    with pytest.raises(UnknownNameError):
        muhasasa.form("2022", runs=1, pack="lebanon")


def test_cycles_command_reads_the_chosen_pack():
    out = CliRunner().invoke(cli, ["cycles", "--pack", "lebanon"])
    assert out.exit_code == 0, out.output
    assert "Nawaf Salam" in out.output and "al-Maliki" not in out.output
