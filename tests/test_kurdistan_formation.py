"""The Kurdistan Region Parliament's formation as pack data: its rules (constitution.toml),
the KDP-PUK share-out (convention.toml) and the 2019 and 2024 formation cycles with their
dated events — each figure checked against the sources the files cite."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from muhasasa import packs
from muhasasa.cli import cli

IRAQ = packs.load("iraq")
KRP = IRAQ.constitution("kurdistan")
D = dt.date


def test_the_rules_give_exact_seat_counts_on_both_houses():
    assert KRP.house_size("krp-2018") == 111 and KRP.house_size("krp-2024") == 100
    speaker = KRP.decision("speaker")
    assert (speaker.quorum_seats(111), speaker.threshold_seats(111)) == (56, 56)
    assert (speaker.quorum_seats(100), speaker.threshold_seats(100)) == (51, 51)
    assert KRP.step("speaker-runoff").threshold_seats(100, present=60) == 31
    president = KRP.decision("president")
    assert president.threshold_seats(111) == 56 and president.threshold_seats(111, reading="two-thirds") == 74
    assert KRP.steps("krp-2024") == ("ordinary", "speaker", "speaker-runoff", "president", "pm-designation",
                                     "confidence")


def test_the_recorded_votes_pass_or_fail_as_the_record_says():
    # 28 May 2019: 68 votes, 81 present: elected under the 50+1 reading, not under two-thirds
    president = KRP.decision("president")
    assert president.passes(111, present=81, votes=68)
    assert not president.passes(111, present=81, votes=68, reading="two-thirds")
    # 10 Jul 2019: 88 of 106 present; 11 Jun 2019: 87 of 97 present
    assert KRP.decision("confidence").passes(111, present=106, votes=88)
    assert KRP.decision("pm-designation").passes(111, present=97, votes=87)
    # 22 Jan 2025: 26 of 100 present, no quorum whatever the votes
    assert not KRP.decision("speaker").passes(100, present=26, votes=26)
    # 2015: 53 present against a quorum of 56 (PUKmedia)
    present_2015 = 53
    assert KRP.decision("ordinary").quorum_seats(111) == 56 > present_2015


def test_every_rule_cites_sources_and_marks_its_assumptions():
    for decision in KRP.decisions:
        assert decision.sources and all(r.sources for r in decision.readings)
    assumed = [r for d in KRP.decisions for r in d.readings if r.note and "ASSUMPTION" in r.note]
    assert {r.id for r in assumed} >= {"present", "absolute-majority", "simple-majority"}


def test_the_2019_cycle_keeps_the_sourced_dates():
    c = IRAQ.cycle("2019")
    assert c.election == "krp-2018" and not c.replayable
    d = c.dates
    assert (d.election, d.first_session, d.speaker, d.president, d.pm_designated, d.cabinet) == (
        D(2018, 9, 30), D(2018, 11, 6), D(2019, 2, 18), D(2019, 5, 28), D(2019, 6, 11), D(2019, 7, 10))
    assert d.certified is None  # the Judicial Council's date is not stated
    assert c.days_election_to_cabinet == (d.cabinet - d.election).days == 283
    assert (c.pm_name, c.pm_bloc, c.coalition, c.confidence_votes_for) == (
        "Masrour Barzani", "kdp", ("kdp", "puk", "gorran"), 88)


def test_the_2019_steps_met_the_deadlines_the_sources_give():
    d = IRAQ.cycle("2019").dates
    designation, cabinet = KRP.deadline("pm-designation-15-days"), KRP.deadline("cabinet-30-days")
    assert (d.pm_designated - d.president).days == 14 <= designation.days
    assert (d.cabinet - d.pm_designated).days == 29 <= cabinet.days


def test_the_2024_cycle_is_open_and_its_sessions_failed():
    c = IRAQ.cycle("2024")
    d = c.dates
    assert (d.election, d.certified, d.first_session) == (D(2024, 10, 20), D(2024, 11, 24), D(2024, 12, 2))
    assert d.speaker is None and d.president is None and d.cabinet is None and not c.replayable
    sessions = [(e.date, e.payload["outcome"]) for e in IRAQ.events("2024") if e.kind == "session"]
    assert sessions == [(D(2024, 12, 2), "left-open"), (D(2024, 12, 10), "not-held"), (D(2025, 1, 22), "no-quorum")]
    (failed,) = [e for e in IRAQ.events("2024") if e.date == D(2025, 1, 22) and e.kind == "session"]
    assert failed.payload["present"] == 26 < KRP.decision("speaker").quorum_seats(100)


def test_every_event_is_sourced_and_names_the_records_lists():
    lists = {x.list_id for e in IRAQ.body_record("kurdistan").elections for x in e.lists}
    for cycle in ("2019", "2024"):
        for e in IRAQ.events(cycle):
            assert e.sources and set(e.actors) <= lists


def test_the_convention_records_the_kdp_puk_split():
    conv = IRAQ.convention("kurdistan")
    split = conv.community_split
    assert split.party_for("region-president") == split.party_for("prime-minister") == "KDP"
    assert split.party_for("speaker") == split.party_for("deputy-prime-minister") == "PUK"
    assert all(conv.holds("2019_masrour").values()) and len(conv.holds("2019_masrour")) == 6
    assert conv.for_formation_cycle("2024").cycle == "2024_tenth_cabinet"
    assert not conv.cycle("2024_tenth_cabinet").holders


@pytest.mark.parametrize(("command", "expected"), [
    (["power", "krp-2018"], "quorum 56, threshold 56 of 111"),
    (["power", "krp-2024", "--step", "confidence"], "threshold 51 of 100"),
    (["coalitions", "krp-2024", "--step", "speaker"], "minimal-winning"),
    (["steps", "krp-2018"], "pm-designation"),
])
def test_the_games_run_on_the_kurdistan_parliament(command, expected):
    result = CliRunner().invoke(cli, command)
    assert result.exit_code == 0, result.output
    assert expected in result.output


def test_a_mandate_without_the_valid_vote_total_says_what_is_missing():
    from fractions import Fraction

    import muhasasa

    cast = muhasasa.players("krp-2018")
    row = muhasasa.mandate(cast, ["kdp", "puk"])
    assert row["seats"] == 66 and row["vote_share"] is None and "valid votes is not in the record" in row["note"]
    later = muhasasa.mandate(muhasasa.players("krp-2024"), ["kdp", "puk"])
    registered = IRAQ.election("krp-2024").registered
    assert later["registered_share"] == muhasasa.percent(Fraction(809_197 + 408_141, registered))
