"""The constitution's games on the recorded parliaments: the 2022 facts, end to end."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from muhasasa import packs
from muhasasa.parliament.assembly import decision_game, players
from muhasasa.parliament.coalitions import coalitions
from muhasasa.parliament.power import index_of


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "muhasasa", *args], capture_output=True, text=True, timeout=300,
                          check=False)


@pytest.fixture(scope="module")
def session_2022():
    cast = players("2021", level="bloc", bloc_map=packs.load().bloc_map("2021", "2022-03-26"))
    return cast, decision_game(cast, "president")


def test_presidential_session_needs_220_and_110_block(session_2022):
    _, game = session_2022
    assert (game.quorum, game.quota, game.blocking_size) == (220, 220, 110)


def test_save_the_homeland_is_short_of_the_presidential_quorum(session_2022):
    cast, game = session_2022
    homeland = cast.bloc_map.bloc("save-the-homeland")
    assert not game.wins({"save-the-homeland"})
    # even at the 175 seats it claimed, 45 short of the 220 that must be present
    assert int(homeland.claimed_seats) < game.quota
    # yet the same alliance carries an absolute-majority step (Speaker, confidence) at 175
    assert int(homeland.claimed_seats) >= decision_game(cast, "speaker").quota


def test_the_2022_boycott_is_a_blocking_coalition():
    members = players("2021", level="member")
    game = decision_game(members, "president")
    seats = list(members.weights)
    # 126 boycotting MPs (the CF's list) and the 127 absent on 26 March 2022 (202 present)
    assert game.blocks(seats[:126]) and game.blocks(seats[:329 - 202])
    assert not game.blocks(seats[:109])


def test_named_boycott_lists_alone_are_not_the_blocking_third(session_2022):
    cast, game = session_2022
    assert cast.weights["blocking-third"] < game.blocking_size  # 72 named seats of the claimed 126
    blocking = coalitions(game, "minimal-blocking", must_include=["blocking-third"], limit=5)
    assert blocking and all(p.seats >= 110 for p in blocking)


def test_consociational_requirement_moves_power_to_the_kurds():
    cast = players("2021", level="list")
    from muhasasa.parliament.games import CommunityRequirement

    plain = index_of(decision_game(cast, "confidence"), "banzhaf")
    consoc = index_of(
        decision_game(cast, "confidence", requirement=CommunityRequirement(("Shia Arab", "Sunni Arab", "Kurdish"))),
        "banzhaf",
    )
    assert consoc["kdp"] > plain["kdp"] and consoc["kurdistan-coalition"] > plain["kurdistan-coalition"]
    assert consoc["sadrists"] < plain["sadrists"]


def test_power_cli_with_and_without_blocs():
    out = cli("power", "2021", "--step", "president")
    assert out.returncode == 0, out.stderr
    assert "2021, lists (no blocs)" in out.stdout and "blocs of 2022-03-26-presidential-session" in out.stdout
    assert "220 seats; 110 seats block" in out.stdout


def test_power_cli_json_is_exact_and_sums_to_one():
    out = cli("power", "2021", "--blocs", "2022-03-26", "--index", "shapley-shubik", "--format", "json")
    assert out.returncode == 0, out.stderr
    (table,) = json.loads(out.stdout)
    assert table["quota"] == 220
    from fractions import Fraction

    assert sum(Fraction(r["shapley-shubik"]) for r in table["rows"]) == 1


def test_coalitions_cli_lists_minimal_blocking_coalitions():
    out = cli("coalitions", "2021", "--step", "president", "--kind", "minimal-blocking", "--limit", "5")
    assert out.returncode == 0, out.stderr
    assert "minimal-blocking coalitions" in out.stdout and "sadrists + taqaddum" in out.stdout


def test_mandate_of_the_2022_government():
    out = cli("coalitions", "2021", "--blocs", "2022-09-25", "--mandate", "state-administration")
    assert out.returncode == 0, out.stderr
    assert "state-administration" in out.stdout and "%" in out.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["power", "2021", "--quota", "400"], "above the 329 seats"),
        (["power", "2021", "--quota", "100"], "not above half"),
        (["power", "2021", "--index", "banzaf"], "did you mean 'banzhaf'"),
        (["power", "2021", "--blocs", "1999-01-01"], "2021"),
        (["coalitions", "2021", "--must-include", "sadrist"], "did you mean 'sadrists'"),
    ],
)
def test_bad_power_input_is_one_clear_line(args, message):
    out = cli(*args)
    assert out.returncode == 2 and message in out.stderr and "Traceback" not in out.stderr


def test_bad_bloc_file_names_the_place(tmp_path):
    path = tmp_path / "blocs.toml"
    path.write_text('id = "mine"\ndate = 2022-03-26\ntitle = "t"\n[[blocs]]\nid = "x"\nname = "X"\n'
                    'members = [{ list = "sadrist" }]\n', encoding="utf-8")
    out = cli("power", "2021", "--blocs", str(path))
    assert out.returncode == 2 and str(path) in out.stderr and "sadrist" in out.stderr


def test_presidential_runoff_keeps_the_two_thirds_quorum_after_2022():
    cast = players("2021", level="bloc", bloc_map=packs.load().bloc_map("2021", "2022-03-26"))
    runoff = decision_game(cast, "president-runoff")
    assert (runoff.quorum, runoff.threshold, runoff.quota) == (220, 165, 220)
    earlier = decision_game(cast, "president-runoff", reading="art-59-quorum")
    assert earlier.quota == 165
