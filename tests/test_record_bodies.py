"""The bodies below the federal parliament, as pack data: the provincial councils of 2023 and
the Kurdistan Region Parliament of 2018 and 2024 — their laws, their records with sources, the
record check on them, and the commands that need a constitution refusing cleanly."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

import muhasasa
from muhasasa import elections, packs
from muhasasa.cli import cli
from muhasasa.errors import InputError

IRAQ = packs.load("iraq")


def test_each_body_has_its_own_elections_and_laws():
    assert list(IRAQ.bodies) == ["parliament", "provincial", "kurdistan"]
    assert IRAQ.body_record("provincial").election_ids == ("pc-2023",)
    assert IRAQ.body_record("kurdistan").election_ids == ("krp-2018", "krp-2024")
    assert IRAQ.law_ids("kurdistan") == ("krp-2018", "krp-2024")
    for eid, body in (("pc-2023", "provincial"), ("krp-2018", "kurdistan"), ("krp-2024", "kurdistan")):
        assert IRAQ.body_of(eid).id == body
        law = IRAQ.law_of(eid)
        assert law.general_seats + law.minority_seat_total + law.compensatory_seats == law.house_size
        assert law.assumptions and all(a.sources and a.evidence.strip() for a in law.assumptions)


def test_every_row_of_the_new_bodies_has_a_source_and_an_arabic_name():
    for body in ("provincial", "kurdistan"):
        for e in IRAQ.body_record(body).elections:
            assert e.source and all(x.source and x.name_ar and x.name_ar_basis for x in e.lists)
            assert all(r.source for dv in e.district_results for r in dv.rows)
            assert all(c.source for c in e.conflicts)


def test_provincial_councils_2023():
    e = IRAQ.election("pc-2023")
    assert (e.house_size, e.general_seats, e.minority_seat_count) == (285, 275, 10)
    assert not e.seats_complete
    plan = {d.district: d.general_seats for d in e.districts}
    assert len(plan) == 15 and plan["Baghdad"] == 49 and plan["Wasit"] is None and plan["Maysan"] is None
    assert sum(s for s in plan.values() if s) == 248  # the 27 seats of Wasit and Maysan are unknown
    assert IRAQ.law("pc-2023").general_seats == 275
    assert {(m.community, m.governorate) for m in e.minority_seats} >= {("Yazidi", "Nineveh"), ("Feyli Kurd", "Wasit")}
    assert e.list("nabni").seats == 43 and e.list("taqaddum").seats == 21


def test_kurdistan_parliament_before_and_after_the_court():
    old, new = IRAQ.election("krp-2018"), IRAQ.election("krp-2024")
    assert (old.house_size, old.minority_seat_count, len(old.districts)) == (111, 11, 1)
    assert (new.house_size, new.minority_seat_count, len(new.districts)) == (100, 5, 4)
    assert {d.district: d.general_seats + d.minority_seats for d in new.districts} == {
        "Sulaymaniyah": 38, "Erbil": 34, "Dohuk": 25, "Halabja": 3}
    assert old.seats_complete and new.seats_complete
    assert new.list("kdp").seats == 39 and old.list("kdp").seats == 45


@pytest.mark.parametrize(("election", "district"), [
    ("pc-2023", "Kirkuk"), ("pc-2023", "Anbar"), ("pc-2023", "Nineveh"), ("krp-2018", "Kurdistan Region")])
def test_golden_districts_of_the_new_bodies(election, district):
    (check,) = [c for c in elections.verify(body=IRAQ.body_of(election).id)
                if (c.election, c.district) == (election, district)]
    assert check.status == "match", check.detail
    assert all(check.computed.get(p, 0) == s for p, s in check.official.items())


def test_kirkuk_2023_tests_the_first_divisor():
    law = IRAQ.law("pc-2023")
    e = IRAQ.election("pc-2023")
    dv = e.district_votes("Kirkuk")
    got = muhasasa.allocate(dv.itemized_votes, 15, method="sainte-lague-modified", first_divisor="1.7")
    assert {k: v for k, v in got.seats.items() if v} == {k: v for k, v in dv.official_seats.items() if v}
    plain = muhasasa.allocate(dv.itemized_votes, 15, method="sainte-lague")
    assert plain.seats["ngm"] == 1  # with divisor 1 New Generation would have won a seat
    assert law.general.params["first_divisor"] == "1.7"


def test_counts_per_body():
    counts = {(c.body, c.election): c.counts for c in elections.verify_counts()}
    assert counts[("provincial", "pc-2023")]["match"] == 3
    assert counts[("kurdistan", "krp-2018")]["match"] == 1
    assert counts[("kurdistan", "krp-2024")]["insufficient-data"] == 4
    assert all(c["mismatch"] == 0 for c in counts.values())


def test_every_match_of_every_body_is_a_required_golden_check():
    # the golden districts named here and in test_golden.py are all the record's matches:
    # a district that stops matching (or a new one) changes this table
    matches = {(c.body, c.election): c.counts["match"] for c in elections.verify_counts()
               if c.counts["match"]}
    assert matches == {("parliament", "2005-01"): 1, ("parliament", "2005-12"): 1, ("parliament", "2010"): 1,
                       ("parliament", "2018"): 3, ("parliament", "2025"): 5, ("provincial", "pc-2023"): 3,
                       ("kurdistan", "krp-2018"): 1}
    assert sum(matches.values()) == 15


def test_a_body_without_a_constitution_refuses_the_games_cleanly():
    with pytest.raises(InputError) as info:
        IRAQ.constitution("provincial")
    assert info.value.field == "body" and "no constitution.toml" in str(info.value)
    result = subprocess.run([sys.executable, "-m", "muhasasa", "power", "pc-2023"],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2 and "has no constitution.toml" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not result.stdout


@pytest.mark.parametrize("command", [["seats", "pc-2023"], ["seats", "krp-2024", "--by", "district"],
                                     ["metrics", "krp-2018"], ["verify", "--body", "kurdistan"]])
def test_the_commands_work_on_the_new_bodies(command):
    result = CliRunner().invoke(cli, command)
    assert result.exit_code == 0, result.output
    assert command[1].split("-")[0] in result.output or "krp" in result.output


def test_cli_verify_prints_the_counts_per_body():
    result = CliRunner().invoke(cli, ["verify"])
    assert result.exit_code == 0, result.output
    assert "Checks per body and election" in result.output
    for body in ("parliament", "provincial", "kurdistan"):
        assert body in result.output
    rows = muhasasa.verify_counts()
    assert {r["body"] for r in rows} == {"parliament", "provincial", "kurdistan"}
    assert all(r["checks"] == r["match"] + r["mismatch"] + r["insufficient-data"] + r["no-official-seats"]
               for r in rows)
