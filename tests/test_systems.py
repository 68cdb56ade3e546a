"""Systems side by side (``muhasasa.systems``, ``muhasasa systems``): each pack's steps as
voting games, their blocking minorities, power and disproportionality, from the packs' data."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import muhasasa
from muhasasa.cli import cli, main
from muhasasa.errors import InputError, UnknownNameError

RESULTS = muhasasa.systems(["iraq", "lebanon"])
BY_PACK = {r["pack"]: r for r in RESULTS}


def test_each_pack_at_its_latest_election_with_its_latest_bloc_map():
    for r in RESULTS:
        pack = muhasasa.load_pack(r["pack"])
        elections = pack.body_record(pack.body().id).elections
        assert r["election"] == elections[-1].id
        assert r["house"] == sum(x.seats for x in pack.election(r["election"]).lists)
        assert pack.bloc_maps(r["election"])[-1].id in r["players"]


@pytest.mark.parametrize("pack", ["iraq", "lebanon"])
def test_blocking_minorities_are_the_complement_of_the_quota(pack):
    r = BY_PACK[pack]
    cast = muhasasa.players(r["election"], by="bloc", pack=pack)
    assert set(r["steps"]) == set(muhasasa.steps(r["election"], pack=pack))
    for step, row in r["steps"].items():
        if row["blocking_seats"] is None:
            continue
        g = muhasasa.game(cast, step)
        assert row["seats_to_carry"] == g.quota
        assert row["blocking_seats"] == r["house"] - g.quota + 1
        weights = sorted(cast.weights.values(), reverse=True)
        k = row["fewest_players_to_block"]
        assert sum(weights[:k]) >= row["blocking_seats"] > sum(weights[:k - 1])
        assert set(row["block_alone"]) == {p for p, s in cast.weights.items() if s >= row["blocking_seats"]}


def test_the_presidential_quorum_side_by_side():
    iraq, lebanon = BY_PACK["iraq"]["steps"]["president"], BY_PACK["lebanon"]["steps"]["president"]
    assert (iraq["quorum"], iraq["blocking_seats"]) == (220, 110)
    assert (lebanon["quorum"], lebanon["blocking_seats"]) == (86, 43)
    # the cabinet's blocking third is not a proper game: only the seats that carry it are given
    third = BY_PACK["lebanon"]["steps"]["cabinet-resignation"]
    assert third["seats_to_carry"] == 43 and third["blocking_seats"] is None


def test_disproportionality_comes_from_the_official_metrics():
    for r in RESULTS:
        rows = {m["metric"]: m for m in muhasasa.metrics(r["election"], pack=r["pack"])}
        assert r["gallagher"]["value"] == rows["Gallagher index"]["value"]
        assert r["enp_seats"]["value"] == rows["effective number of parties (seats)"]["value"]


def test_rows_put_every_pack_in_a_column():
    rows = muhasasa.systems_rows(RESULTS)
    assert all(set(row) == {"measure", "iraq", "lebanon"} for row in rows)
    measures = [row["measure"] for row in rows]
    assert "president: blocking minority (seats)" in measures and "Gallagher index" in measures


def test_every_parameter_acts_or_is_refused():
    other = muhasasa.systems(["lebanon"], elections={"lebanon": "2018"}, blocs={"lebanon": "2018-05-23"},
                             step="confidence")
    assert other[0]["election"] == "2018" and "2018-05-23-first-session" in other[0]["players"]
    assert other[0]["power_step"] == "confidence"
    with pytest.raises(UnknownNameError) as exc:
        muhasasa.systems(["iraq", "nowhere"])
    assert exc.value.field == "packs"
    with pytest.raises(InputError):
        muhasasa.systems(["iraq", "iraq"])
    with pytest.raises(InputError):
        muhasasa.systems([])
    with pytest.raises(InputError):
        muhasasa.systems(["iraq"] * (muhasasa.facade.MAX_SYSTEMS + 1))
    with pytest.raises(UnknownNameError) as exc:
        muhasasa.systems(["iraq"], elections={"lebanon": "2022"})
    assert exc.value.field == "elections"
    with pytest.raises(UnknownNameError):
        muhasasa.systems(["lebanon"], step="no-such-step")


def test_cli_in_three_formats():
    runner = CliRunner()
    table = runner.invoke(cli, ["systems", "iraq", "lebanon"])
    assert table.exit_code == 0, table.output
    assert "president: blocking minority (seats)" in table.output and "lebanon" in table.output
    data = json.loads(runner.invoke(cli, ["systems", "lebanon", "--format", "json"]).output)
    assert data[0]["steps"]["president"]["blocking_seats"] == 43
    csv_out = runner.invoke(cli, ["systems", "iraq", "lebanon", "--format", "csv"]).output
    assert csv_out.splitlines()[0] == "measure,iraq,lebanon"


def test_cli_mistakes_are_one_line_and_exit_2(capsys):
    for args, flag in ((["systems", "nowhere"], "PACKS"), (["systems", "iraq", "--election", "x"], "--election"),
                       (["systems", "iraq", "--election", "lebanon=2022"], "--election")):
        with pytest.raises(SystemExit) as exc:
            main(args)
        assert exc.value.code == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and flag in err
