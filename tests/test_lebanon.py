"""The Lebanon pack: Law 44/2017 reproduced from the record, district by district.

Golden tests for every district-election (seats per list, and the winners as declared),
the published quotients as regression cases, the law's readings run both ways, the
constitution's thresholds, and the rulings as dated records.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

import muhasasa
from muhasasa import InputError, allocate
from muhasasa.cli import cli
from muhasasa.elections import check_district
from muhasasa.packs import load

PACK = load("lebanon")
CHECKS = {(c.election, c.district): c for c in muhasasa.verify(pack="lebanon")}
DISTRICTS = sorted(CHECKS)

# Declared winners the law does not seat, per district-election, with the reason: each is a
# named conflict of the record (record_conflicts.csv), never a tolerance.
WINNER_EXCEPTIONS = {
    ("2018", "North III"): (3, ("the dossier flags the North III transcription as garbled; with the sourced "
                               "corrections of Bassil, Ishak and Melhem Tawk, Koura's and Bcharre's preferential "
                               "totals still seat Karam, M. Tawk and Saab for Atallah, Ishak and Doueihy")),
}


def test_the_pack_loads_with_its_bodies_and_thirty_district_elections():
    assert list(PACK.bodies) == ["parliament"]
    # 2009 is seats-only (declared seats per camp, no votes): in the record, not verified
    assert PACK.record().election_ids == ("2009", "2018", "2022")
    assert [e.id for e in PACK.record().elections if e.seats_only] == ["2009"]
    assert len(CHECKS) == 30
    assert {e for e, _ in CHECKS} == {"2018", "2022"}


def test_seats_by_confession_are_the_house_of_the_taif_constitution():
    record = PACK.candidate_record()
    for election in ("2018", "2022"):
        by_group: Counter[str] = Counter()
        for (e, _), district in record.districts.items():
            if e == election:
                for (group, _), seats in district.seats.items():
                    by_group[group] += seats
        assert by_group == {"Maronite": 34, "Greek Orthodox": 14, "Greek Catholic": 8, "Armenian Orthodox": 5,
                            "Armenian Catholic": 1, "Evangelical": 1, "Minorities": 1, "Sunni": 27, "Shia": 27,
                            "Druze": 8, "Alawite": 2}
        christian = sum(by_group[g] for g in PACK.community_ids[:7])
        assert christian == 64 == 128 - christian


@pytest.mark.parametrize(("election", "district"), DISTRICTS, ids=[f"{e}-{d}" for e, d in DISTRICTS])
def test_every_district_election_reproduces_the_declared_seats_per_list(election, district):
    check = CHECKS[(election, district)]
    assert check.status == "match", check.detail
    assert dict(check.official) == {k: v for k, v in check.computed.items() if k in check.official}
    assert sum(check.computed.values()) == check.seats


@pytest.mark.parametrize(("election", "district"), DISTRICTS, ids=[f"{e}-{d}" for e, d in DISTRICTS])
def test_every_district_election_seats_the_declared_winners(election, district):
    winners = CHECKS[(election, district)].winners
    expected_missing = WINNER_EXCEPTIONS.get((election, district), (0, ""))[0]
    assert len(winners.missing) == len(winners.extra) == expected_missing, winners.detail
    assert len(winners.computed) == CHECKS[(election, district)].seats
    assert not winners.fill.empty_groups and not winners.fill.empty_lists
    assert not winners.fill.ties  # no equal shares decided a seat: the age reading never acts


def test_candidate_level_figures_per_year():
    matched = Counter()
    for (election, _), check in CHECKS.items():
        matched[election] += check.winners.matched
    assert dict(matched) == {"2018": 125, "2022": 128}
    # after the Constitutional Council's ruling of 24 Nov 2022, two North II seats changed
    lost, gained = CHECKS[("2022", "North II")].winners.after_rulings
    names = {w.candidate: w.name_en for w in PACK.candidate_record().district("2022", "North II").winners}
    assert sorted(names[c] for c in lost) == ["Faisal Omar Karami", "Haidar Nasser"]
    assert sorted(names[c] for c in gained) == ["Firas Salloum", "Rami Fanj"]


def test_every_winner_exception_is_a_named_conflict_of_the_record():
    conflicts = PACK.election("2018").conflicts
    topics = " ".join(c.topic for c in conflicts)
    for name in ("Gebran Gergi Bassil", "Joseph Gerges Ishak", "Melhem Jobran Tawk"):
        assert f"{name}: confession and minor district" in topics
    north_ii = [c for c in PACK.election("2022").conflicts if c.topic == "North II seats per list"]
    assert north_ii and "Real Change 2" in north_ii[0].kept


def test_rulings_are_dated_records():
    district = PACK.candidate_record().district("2022", "North II")
    before = {w.name_en for w in district.declared(dt.date(2022, 11, 23))}
    after = {w.name_en for w in district.declared(dt.date(2022, 11, 24))}
    assert {"Rami Fanj", "Firas Salloum"} <= before and not {"Faisal Omar Karami", "Haidar Nasser"} & before
    assert {"Faisal Omar Karami", "Haidar Nasser"} <= after and not {"Rami Fanj", "Firas Salloum"} & after
    assert len(before) == len(after) == 11


def test_the_tripoli_seat_of_2018_was_annulled_then_won_back_at_a_by_election():
    district = PACK.candidate_record().district("2018", "North II")
    jamali = "Dima Mohamad Rachid El Jamali"
    assert [(w.stage, w.date) for w in district.rulings] == [("annulled", "2019-02-21"), ("seated", "2019-04-14")]
    assert jamali not in {w.candidate for w in district.declared(dt.date(2019, 3, 1))}
    assert jamali in {w.candidate for w in district.declared(dt.date(2019, 4, 14))}
    assert CHECKS[("2018", "North II")].winners.after_rulings == ((), ())


def test_bloc_maps_are_dated_and_sourced():
    maps = PACK.bloc_maps("2022")
    assert [m.id for m in maps] == ["2022-05-31-change-bloc", "2022-11-24-after-the-ruling",
                                    "2023-05-31-national-consensus"]
    seats = [sum(PACK.election("2022").list(x.list_id).seats for x in m.bloc("changemakers").members)
             for m in maps]
    assert seats == [13, 12, 12]
    assert all(m.sources and all(b.sources for b in m.blocs) for m in maps)


# ------------------------------------------------------------------ published quotients


def _district_allocation(election: str, district: str, **params: str):
    votes = PACK.election(election).district_votes(district)
    seats = next(d.seats for d in PACK.law(election).districts if d.name == district)
    return allocate(votes.itemized_votes, seats, "largest-remainder-recomputed",
                    residual_votes=votes.residual_votes, **params)


def test_published_quotients_south_i_2022():
    # asianewslb.com (id 191996), janobiyat.com (news73730): 61,290 ballots counted with the 623
    # blank ones; first quotient 12,258, second 6,670.8
    votes = PACK.election("2022").district_votes("South I")
    assert sum(votes.itemized_votes.values()) + votes.residual_votes == 61290 and votes.residual_votes == 623
    allocation = _district_allocation("2022", "South I")
    assert allocation.threshold == Fraction(61290, 5) == 12258
    assert set(allocation.excluded) == {p for p, v in votes.itemized_votes.items() if v < 12258}
    assert allocation.quota == Fraction("6670.8")
    assert _district_allocation("2022", "South I", recompute="qualified-only").quota == Fraction("6546.2")


def test_blank_ballots_add_up_to_the_published_national_figure_of_2022():
    # 19,308 blank ballots nationally (UNDP key results brochure, via the winners' source)
    election = PACK.election("2022")
    assert sum(dv.residual_votes for dv in election.district_results) == 19308
    assert election.valid_votes - sum(x.votes for x in election.lists) == 19308


def test_published_quotient_south_i_2018():
    # elnashra.com (news 1207665): 67,346 voted, 1,608 invalid, 820 blank, 65,738 counted, quotient 13,148
    votes = PACK.election("2018").district_votes("South I")
    assert votes.valid_votes == 65738 and votes.votes_cast == 67346 and votes.residual_votes == 820
    allocation = _district_allocation("2018", "South I")
    assert round(allocation.threshold) == 13148
    assert dict(allocation.seats) == dict(CHECKS[("2018", "South I")].official)


# ------------------------------------------------------------------ readings


def _seats_under(**params: str) -> dict[tuple[str, str], dict[str, int]]:
    return {(e, d): dict(_district_allocation(e, d, **params).seats) for e, d in DISTRICTS}


def test_blanks_out_of_the_recomputed_quotient_flip_south_iii_and_north_ii_2022():
    law = PACK.law("2022")
    reading = law.reading("blanks-in-recomputed-quotient")
    assert reading.chosen == "kept" and law.general.params["recompute"] == reading.values["kept"]
    kept = _seats_under(recompute=reading.values["kept"])
    dropped = _seats_under(recompute=reading.values["dropped"])
    assert sorted(k for k in kept if kept[k] != dropped[k]) == [("2022", "North II"), ("2022", "South III")]


def test_the_quotient_reached_at_or_above_gives_the_same_seats():
    assert _seats_under(qualify="at-least") == _seats_under(qualify="above")


def test_no_fraction_tie_arose_so_the_list_tie_rule_never_acts():
    assert _seats_under(tie_order="none") == _seats_under()  # a tie would raise under "none"


def test_a_reading_whose_choice_is_not_the_laws_value_is_refused(tmp_path):
    text = (Path(muhasasa.__file__).parent / "packs/lebanon/parliament/laws/2022.toml").read_text()
    bad = tmp_path / "2022.toml"
    bad.write_text(text.replace('recompute = "deduct-excluded"', 'recompute = "qualified-only"'))
    with pytest.raises(InputError, match="chosen option 'kept'"):
        PACK.law_file(bad)


def test_every_reading_points_at_the_law_and_names_its_basis():
    for law_id in ("2018", "2022"):
        law = PACK.law(law_id)
        assert {r.id for r in law.readings} >= {"blanks-in-recomputed-quotient", "quotient-reached",
                                                "preferential-denominator", "older-candidate",
                                                "seat-without-candidate", "diaspora-seats"}
        assert all(r.sources and r.basis for r in law.readings)


def test_a_record_without_candidate_files_is_checked_at_list_level_only(tmp_path):
    folder = tmp_path / "record"
    shutil.copytree(Path(muhasasa.__file__).parent / "packs/lebanon/parliament/record", folder)
    record = PACK.record_from(folder)
    election = record.election("2022")
    law = PACK.law("2022")
    check = check_district(election, law, law.districts[0])
    assert check.status == "match" and check.winners is None


# ------------------------------------------------------------------ faces and games


def test_cli_verify_json_lists_the_thirty_district_elections():
    result = CliRunner().invoke(cli, ["verify", "--pack", "lebanon", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 30 and all(r["status"] == "match" for r in rows)
    assert sum(r["winners"]["matched"] for r in rows) == 253
    assert all(r["winners"]["declared"] == r["seats"] for r in rows)


def test_cli_bodies_names_the_pack():
    result = CliRunner().invoke(cli, ["bodies", "--pack", "lebanon"])
    assert result.exit_code == 0 and "Parliament of Lebanon" in result.output and "2018, 2022" in result.output


@pytest.mark.parametrize(("step", "needed", "quorum"), [
    ("president", 86, 86), ("president-runoff", 65, 86), ("confidence", 65, 65),
    ("cabinet-resignation", 43, None),
])
def test_the_constitutions_thresholds(step, needed, quorum):
    vote = PACK.constitution().step(step)
    assert vote.threshold_seats(128, present=128) == needed
    default = next(r for r in vote.readings if r.default)
    assert (default.quorum is None) == (quorum is None)


@pytest.mark.parametrize("election", ["2018", "2022"])
def test_presidential_games_run_by_list(election):
    cast = muhasasa.players(election, pack="lebanon")
    assert cast.total == 128 and len(cast.weights) == sum(1 for x in PACK.election(election).lists if x.seats)
    game = muhasasa.game(cast, "president")
    rows = muhasasa.power(cast, game, ["banzhaf"])
    assert len(rows) == len(cast.weights)
    # no list alone can deny the two-thirds quorum (43 absentees are needed)
    assert not any(r["blocks_alone"] for r in rows)


def test_cli_power_on_the_lebanon_pack():
    result = CliRunner().invoke(cli, ["power", "2022", "--pack", "lebanon", "--step", "president-runoff",
                                      "--index", "banzhaf", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "bekaa-iii-hope-and-loyalty" in result.output


def test_a_coalition_has_a_verdict_at_every_step_even_one_a_minority_carries():
    """The cabinet falls when more than a third leave (43 of 128): not a proper game, but a
    coalition still carries it or not, so the builder's verdicts cover every step."""
    cast = muhasasa.players("2022", pack="lebanon")
    by_size = sorted(cast.weights, key=lambda p: -cast.weights[p])
    members, seats = [], 0
    while seats < 43:
        members.append(by_size[len(members)])
        seats += cast.weights[members[-1]]
    verdicts = {v.step: v for v in muhasasa.coalition(cast, members, pack="lebanon")["steps"]}
    third = verdicts["cabinet-resignation"]
    assert (third.quota, third.carries) == (43, True)
    assert not verdicts["president"].carries and verdicts["president"].blocks == (seats >= 43)
    with pytest.raises(muhasasa.InputError, match="not above half"):
        muhasasa.power_index(dict(cast.weights), 43)
