"""The Lebanon pack's camps (March 8, March 14, the Change MPs) as dated bloc maps.

Lists stand in one district and often joined deputies of rival camps, so a camp holds a
stated number of a list's seats, and each member's note names the deputies counted. These
tests hold the maps to the record: every named deputy is a declared winner of that list,
no deputy is counted twice, the counts add up to the house, and the games run on them.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import muhasasa
from muhasasa.cli import cli
from muhasasa.packs import load

PACK = load("lebanon")
MAPS = [m for e in ("2018", "2022") for m in PACK.bloc_maps(e)]


def _districts(election: str) -> list[str]:
    return sorted({c.district for c in muhasasa.verify(pack="lebanon") if c.election == election})


@pytest.mark.parametrize("m", MAPS, ids=[m.id for m in MAPS])
def test_every_named_deputy_won_on_that_list_and_counts_once(m):
    declared = {}
    record = PACK.candidate_record()
    for district in _districts(m.election):
        for w in record.district(m.election, district).declared():
            declared.setdefault(w.list_id, set()).add(w.name_en)
    seen: set[str] = set()
    for b in m.blocs:
        for member in b.members:
            names = [n.strip() for n in member.note.split(",")]
            have = PACK.election(m.election).list(member.list_id).seats
            assert len(names) == (member.seats or have), (b.id, member.list_id)
            assert set(names) <= declared[member.list_id], (b.id, member.list_id)
            assert not seen & set(names)
            seen |= set(names)


@pytest.mark.parametrize("m", MAPS, ids=[m.id for m in MAPS])
def test_players_add_up_to_the_house(m):
    players = m.seats({x.list_id: x.seats for x in PACK.election(m.election).lists})
    assert sum(players.values()) == 128
    assert {"march-8", "march-14", "democratic-gathering"} <= set(players)


def test_camp_sizes_2018_and_2022():
    def sizes(election, when):
        m = PACK.bloc_map(election, when)
        players = m.seats({x.list_id: x.seats for x in PACK.election(election).lists})
        return {b.id: players[b.id] for b in m.blocs}
    # 2018: March 14 equals the press count of 38; March 8 71 (67 and "at least 70" in the press)
    assert sizes("2018", "2018-05-23") == {"march-8": 71, "march-14": 38, "democratic-gathering": 9,
                                            "centre-bloc": 4}
    assert sizes("2022", "2022-05-31") == {"march-8": 54, "march-14": 24, "changemakers": 13,
                                            "democratic-gathering": 8}
    assert sizes("2022", "2022-12-01")["changemakers"] == 12
    assert sizes("2022", "2023-06-14")["march-8"] == 58


def test_march_8_alone_blocks_the_presidential_quorum_and_gets_the_largest_index():
    for election, when in (("2018", "2018-05-23"), ("2022", "2022-05-31")):
        cast = muhasasa.players(election, by="bloc", blocs=when, pack="lebanon")
        game = muhasasa.game(cast, "president")
        assert (game.quota, game.blocking_size) == (86, 43)
        rows = {r["player"]: r for r in muhasasa.power(cast, game, ["banzhaf"])}
        assert rows["march-8"]["seats"] >= game.blocking_size > rows["march-14"]["seats"]
        assert max(rows, key=lambda p: rows[p]["banzhaf"]) == "march-8"


def test_cli_power_by_camp_runs_on_the_pack():
    result = CliRunner().invoke(cli, ["power", "2022", "--pack", "lebanon", "--blocs", "2022-05-31",
                                      "--step", "president", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "march-8" in result.output and "changemakers" in result.output
