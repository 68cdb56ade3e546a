"""Bloc maps: the bundled data against the record, the API, and strict loading of user files."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from muhasasa import packs
from muhasasa.errors import InputError, UnknownNameError
from muhasasa.packs.schema.blocs import BlocMap

RECORD = packs.load().record()
MAPS = packs.load().bloc_maps()


def record_seats(election: str) -> dict[str, int]:
    return {x.list_id: x.seats for x in RECORD.election(election).lists}


# Every bloc's seats computed from the record. A change to the data must change this table on purpose.
EXPECTED = {
    "2005-03-16-first-sitting": {"uia-kurdish-alliance": 215},
    "2006-03-16-first-session": {"uia-kurdistan-alliance": 181},
    "2006-04-22-national-unity-package": {"national-unity-package": 225},
    "2010-06-01-national-alliance": {"national-alliance": 159, "kurdish-coalition": 57, "wasat": 10},
    "2014-08-11-abadi-nominated": {"national-alliance": 155},
    "2014-09-08-abadi-confidence": {"national-alliance": 155, "kurdish-parties": 55},
    "2018-09-02-islah-binaa": {"islah": 136, "binaa": 73},
    "2022-01-09-first-session": {"coordination-framework": 54, "sovereignty": 52},
    "2022-03-23-save-the-homeland": {"save-the-homeland": 156, "coordination-framework": 54},
    "2022-03-26-presidential-session": {"save-the-homeland": 142, "blocking-third": 72},
    "2022-03-30-third-attempt": {"save-the-homeland": 142, "boycott": 80},
    "2022-06-23-sadrist-seats-refilled": {"coordination-framework": 54},
    "2022-09-25-state-administration": {"state-administration": 161},
    "2025-11-17-cf-largest-bloc": {"coordination-framework": 138},
    "2025-11-23-national-political-council": {
        "coordination-framework": 138,
        "national-political-council": 59,
    },
    "2025-12-29-first-session": {"coordination-framework": 138, "national-political-council": 59},
    "2026-01-26-cf-after-maliki-nomination": {
        "coordination-framework": 138,
        "national-political-council": 59,
    },
}


# ----------------------------------------------------------------------------- bundled data


def test_bundled_maps_cover_every_formation_cycle():
    assert {m.cycle for m in MAPS} == {"2005", "2006", "2010", "2014", "2018", "2022", "2026"}
    assert {m.id for m in MAPS} == set(EXPECTED)
    assert len({m.id for m in MAPS}) == len(MAPS)
    assert list(MAPS) == sorted(MAPS, key=lambda m: (m.date, m.id))
    assert [m.id for m in packs.load().bloc_maps("2021")] == [
        "2022-01-09-first-session",
        "2022-03-23-save-the-homeland",
        "2022-03-26-presidential-session",
        "2022-03-30-third-attempt",
        "2022-06-23-sadrist-seats-refilled",
        "2022-09-25-state-administration",
    ]


@pytest.mark.parametrize("m", MAPS, ids=lambda m: m.id)
def test_bundled_map_is_sourced_and_valid_for_its_election(m: BlocMap):
    election = RECORD.election(m.election)
    assert m.date >= election.date
    assert m.list_ids == tuple(x.list_id for x in election.lists)
    url = re.compile(r"^https?://\S+$")
    assert m.sources and all(url.match(s) for s in m.sources)
    for bloc in m.blocs:
        assert bloc.sources and all(url.match(s) for s in bloc.sources), bloc.id
        assert bloc.members, bloc.id
        assert bloc.id not in m.list_ids
        for member in bloc.members:
            assert member.list_id in m.list_ids
    for claim in m.claims:
        assert claim.sources and all(url.match(s) for s in claim.sources)
        assert claim.bloc is None or claim.bloc in {b.id for b in m.blocs}


@pytest.mark.parametrize("m", MAPS, ids=lambda m: m.id)
def test_players_partition_the_record_seats(m: BlocMap):
    seats = record_seats(m.election)
    players = m.seats(seats)
    assert sum(players.values()) == sum(seats.values())
    placed = {member.list_id for bloc in m.blocs for member in bloc.members}
    for list_id, n in seats.items():
        if list_id in placed:
            assert list_id not in players  # no partial members in the bundled maps
        else:
            assert players[list_id] == n
            assert m.bloc_of(list_id) is None
            assert m.members_of(list_id) == (list_id,)
    for bloc in m.blocs:
        assert players[bloc.id] == sum(seats[x] for x in bloc.list_ids)
        assert m.members_of(bloc.id) == bloc.list_ids
        for x in bloc.list_ids:
            assert m.bloc_of(x) == bloc.id
    assert set(m.unaligned()) == set(seats) - placed


def test_house_is_complete_except_2014():
    for m in MAPS:
        total = sum(m.seats(record_seats(m.election)).values())
        election = RECORD.election(m.election)
        if election.seats_complete:
            assert total == election.house_size, m.id
        else:
            assert (m.election, total, election.house_size) == ("2014", 278, 328)


@pytest.mark.parametrize("m", MAPS, ids=lambda m: m.id)
def test_computed_seats_are_pinned(m: BlocMap):
    players = m.seats(record_seats(m.election))
    assert {b.id: players[b.id] for b in m.blocs} == EXPECTED[m.id]


@pytest.mark.parametrize("m", MAPS, ids=lambda m: m.id)
def test_gaps_to_plain_claims_are_documented(m: BlocMap):
    players = m.seats(record_seats(m.election))
    for bloc in m.blocs:
        claim = bloc.claimed_seats
        if claim is not None and claim.isdigit() and int(claim) != players[bloc.id]:
            text = f"{bloc.notes or ''} {m.notes or ''}"
            assert str(players[bloc.id]) in text, (m.id, bloc.id)


def test_2010_national_alliance_matches_its_claim():
    m = packs.load().bloc_map("2010")
    players = m.seats(record_seats("2010"))
    assert players["national-alliance"] == int(m.bloc("national-alliance").claimed_seats) == 159
    assert players["kurdish-coalition"] == 57
    assert players["iraqiya"] == 91


def test_save_the_homeland_against_its_claim_of_175():
    m = packs.load().bloc_map("2021", "2022-03-23-save-the-homeland")
    sth = m.bloc("save-the-homeland")
    assert sth.list_ids == ("sadrists", "taqaddum", "azm", "masses", "kdp")
    assert sth.claimed_seats == "175"
    players = m.seats(record_seats("2021"))
    assert players["save-the-homeland"] == 73 + 37 + 14 + 1 + 31 == 156
    assert "156" in m.notes and "19" in m.notes


def test_boycott_map_of_26_march_2022():
    m = packs.load().bloc_map("2021", "2022-03-26")
    assert m.id == "2022-03-26-presidential-session"
    assert m.date == dt.date(2022, 3, 26)
    assert m.bloc("blocking-third").list_ids == ("sol", "fatah", "nsf", "kurdistan-coalition", "komal")
    assert m.bloc("blocking-third").claimed_seats == "126"
    assert m.bloc_of("azm") is None  # conflicting sources: see the map notes
    players = m.seats(record_seats("2021"))
    assert players["save-the-homeland"] == 142
    assert players["blocking-third"] == 72
    present = [c for c in m.claims if c.what.startswith("MPs present")]
    assert [c.count for c in present] == ["202"]


def test_bloc_map_lookup():
    assert packs.load().bloc_map("2021").id == "2022-09-25-state-administration"
    assert packs.load().bloc_map("2021", "2022-03-29").id == "2022-03-26-presidential-session"
    assert packs.load().bloc_map("2021", "2022-03-23").id == "2022-03-23-save-the-homeland"
    assert packs.load().bloc_map("2025", "2025-12-31").id == "2025-12-29-first-session"
    assert packs.load().bloc_map("2018", "2018-09-02-islah-binaa").cycle == "2018"
    with pytest.raises(InputError, match="on or before 2021-12-01"):
        packs.load().bloc_map("2021", "2021-12-01")
    with pytest.raises(UnknownNameError, match="did you mean '2022-03-26-presidential-session'"):
        packs.load().bloc_map("2021", "2022-03-26-presidential-sesion")
    with pytest.raises(InputError, match="belongs to election '2010'"):
        packs.load().bloc_map("2021", "2010-06-01-national-alliance")
    with pytest.raises(InputError, match="not a valid date"):
        packs.load().bloc_map("2021", "2022-02-30")
    with pytest.raises(UnknownNameError, match="unknown election '2022'"):
        packs.load().bloc_map("2022")
    with pytest.raises(UnknownNameError):
        packs.load().bloc_maps("1999")


def test_unknown_players_and_lists():
    m = packs.load().bloc_map("2021", "2022-03-26")
    with pytest.raises(UnknownNameError, match="did you mean 'blocking-third'"):
        m.members_of("blocking-thrid")
    with pytest.raises(UnknownNameError, match="did you mean 'sadrists'"):
        m.bloc_of("sadrist")
    with pytest.raises(UnknownNameError):
        m.bloc("nope")


# ----------------------------------------------------------------------------- seats()


def test_seats_handles_missing_lists_and_refuses_bad_counts():
    m = packs.load().bloc_map("2010")
    assert m.seats({"sol": 89, "ina": 70, "iraqiya": 91, "tawafuq": 6}) == {
        "national-alliance": 159,
        "kurdish-coalition": 0,
        "wasat": 6,
        "iraqiya": 91,
    }
    assert m.seats({"sol": 0, "gorran": 0}) == {"national-alliance": 0, "kurdish-coalition": 0, "wasat": 0}
    with pytest.raises(InputError, match="whole number"):
        m.seats({"sol": 1.5})
    with pytest.raises(InputError, match="negative"):
        m.seats({"sol": -1})
    with pytest.raises(InputError, match="is a bloc of this map"):
        m.seats({"wasat": 3})


# ----------------------------------------------------------------------------- user files

GOOD = """\
id = "my-map"
date = 2022-03-26
title = "Save the Homeland with ten independents"
sources = ["https://example.org/a"]

[[blocs]]
id = "sth"
name = "Save the Homeland"
claimed_seats = "175"
members = [
  { list = "sadrists" },
  { list = "taqaddum" },
  { list = "kdp" },
  { list = "independents", seats = 10, note = "claimed by a coalition source" },
]

[[blocs]]
id = "cf"
name = "Coordination Framework and allies"
members = [{ list = "sol" }, { list = "fatah" }, { list = "independents", seats = 5 }]

[[claims]]
what = "present"
count = "202"
"""


def write(tmp_path: Path, text: str, name: str = "blocs.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_user_file_with_partial_lists(tmp_path):
    m = packs.load().bloc_file(write(tmp_path, GOOD), "2021")
    assert (m.id, m.cycle, m.election) == ("my-map", "user", "2021")
    seats = record_seats("2021")
    players = m.seats(seats)
    assert players["sth"] == 73 + 37 + 31 + 10
    assert players["cf"] == 33 + 17 + 5
    assert players["independents"] == 43 - 15
    assert sum(players.values()) == 329
    assert m.blocs_of("independents") == ("sth", "cf")
    assert m.members_of("independents") == ("independents",)
    with pytest.raises(InputError, match="split between blocs sth, cf"):
        m.bloc_of("independents")
    with pytest.raises(InputError, match="has 7 here"):
        m.seats({**seats, "independents": 7})
    assert m.claims[0].count == "202"


def bad(tmp_path: Path, old: str, new: str) -> InputError:
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(InputError) as info:
        packs.load().bloc_file(path, "2021")
    error = info.value
    assert error.source == str(path)
    assert str(path) in str(error)
    return error


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_unknown_list_is_located_and_suggested(tmp_path):
    error = bad(tmp_path, '{ list = "fatah" }', '{ list = "fatha" }')
    assert error.field == "blocs[cf].members[2].list"
    assert error.line == line_of(GOOD, 'id = "cf"') + 2
    assert "did you mean 'fatah'" in error.problem


def test_list_in_two_blocs(tmp_path):
    error = bad(tmp_path, '{ list = "sol" }, { list = "fatah" }', '{ list = "kdp" }, { list = "fatah" }')
    assert error.field == "blocs[cf].members[1].list"
    assert "already in bloc 'sth'" in error.problem


def test_partial_seats_too_large(tmp_path):
    error = bad(tmp_path, "seats = 10,", "seats = 44,")
    assert error.field == "blocs[sth].members[4].seats"
    assert error.line == line_of(GOOD, "seats = 10,")
    assert "won only 43" in error.problem


def test_partial_seats_together_too_large(tmp_path):
    error = bad(tmp_path, "seats = 5 }", "seats = 34 }")
    assert error.field == "blocs[cf].members[3].seats"
    assert "take 44 seats of list 'independents'" in error.problem


def test_unknown_key_is_suggested(tmp_path):
    error = bad(tmp_path, 'claimed_seats = "175"', 'claimed_seat = "175"')
    assert error.field == "blocs[sth].claimed_seat"
    assert error.line == line_of(GOOD, "claimed_seats")
    assert "did you mean 'claimed_seats'" in error.problem
    error = bad(tmp_path, "[[claims]]\nwhat", "[[claims]]\nwaht")
    assert error.field == "claims[1].waht"


@pytest.mark.parametrize(
    ("old", "new", "field", "problem"),
    [
        ("seats = 5 }", "seats = 5.0 }", "blocs[cf].members[3].seats", "not a whole number"),
        ("seats = 5 }", 'seats = "5" }', "blocs[cf].members[3].seats", "whole number"),
        ("seats = 5 }", "seats = 0 }", "blocs[cf].members[3].seats", "at least 1"),
        (
            'claimed_seats = "175"',
            "claimed_seats = 175",
            "blocs[sth].claimed_seats",
            'quote it: claimed_seats = "175"',
        ),
        ('id = "cf"', 'id = "sth"', "blocs[sth].id", "duplicate bloc id 'sth'"),
        ('id = "cf"', 'id = "sol"', "blocs[sol].id", "also a list of election 2021"),
        ('id = "cf"', 'id = "C F"', "blocs[C F].id", "not a lowercase id"),
        (
            'members = [{ list = "sol" }, { list = "fatah" }, { list = "independents", seats = 5 }]',
            "members = []",
            "blocs[cf].members",
            "needs at least one entry",
        ),
        (
            '{ list = "sadrists" },\n  { list = "taqaddum" }',
            '{ list = "sadrists" },\n  { list = "sadrists" }',
            "blocs[sth].members[2].list",
            "appears twice in bloc 'sth'",
        ),
        ("date = 2022-03-26", "date = 2021-01-01", "date", "before the election"),
        ("date = 2022-03-26", "date = 20220326", "date", "must be a date"),
        ('sources = ["https://example.org/a"]', 'sources = ["example.org"]', "sources[1]", "not a web address"),
        ('what = "present"', 'what = "present"\nbloc = "cfx"', "claims[1].bloc", "did you mean 'cf'"),
        ('title = "Save', 'election = "2018"\ntitle = "Save', "election", "for election '2018'"),
    ],
)
def test_bad_user_files(tmp_path, old, new, field, problem):
    error = bad(tmp_path, old, new)
    assert error.field == field
    assert problem in error.problem
    assert error.line is not None


def test_toml_syntax_error(tmp_path):
    error = bad(tmp_path, 'name = "Save the Homeland"', 'name = "Save the Homeland')
    assert error.line == line_of(GOOD, 'name = "Save the Homeland"')
    assert "not valid TOML" in error.problem


def test_missing_file_and_unknown_election(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        packs.load().bloc_file(tmp_path / "nope.toml", "2021")
    with pytest.raises(UnknownNameError, match="unknown election '2022'"):
        packs.load().bloc_file(write(tmp_path, GOOD), "2022")


def test_cycle_file_errors_name_the_map(tmp_path):
    bundled = Path(__file__).parents[1] / "src/muhasasa/packs/iraq/parliament/blocs/2022.toml"
    text = bundled.read_text(encoding="utf-8")
    start = text.index('id = "2022-03-26-presidential-session"')
    at = text.index('{ list = "komal"', start)
    broken = text[:at] + text[at:].replace('{ list = "komal"', '{ list = "kommal"', 1)
    path = write(tmp_path, broken, "2022.toml")
    with pytest.raises(UnknownNameError) as info:
        packs.load().bloc_cycle_file(path)
    error = info.value
    assert error.source == str(path)
    assert error.field == "maps[2022-03-26-presidential-session].blocs[blocking-third].members[5].list"
    assert error.line == line_of(broken, '{ list = "kommal"')
    assert "did you mean 'komal'" in error.problem
    # the bundled file itself loads through the same path
    assert [m.id for m in packs.load().bloc_cycle_file(bundled)] == [m.id for m in packs.load().bloc_maps("2021")]


# ----------------------------------------------------------------------------- properties

LISTS_2021 = list(RECORD.election("2021").lists)


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_random_user_maps_partition_the_house(tmp_path_factory, data):
    """Any valid assignment of lists (whole or in parts) to blocs keeps every seat exactly once."""
    n_blocs = data.draw(st.integers(min_value=1, max_value=4))
    chosen = data.draw(st.lists(st.sampled_from(LISTS_2021), unique_by=lambda x: x.list_id, max_size=12))
    blocs: list[list[str]] = [[] for _ in range(n_blocs)]
    expected = [0] * n_blocs
    for lst in chosen:
        if lst.seats > 1 and data.draw(st.booleans()):
            # split the list between two blocs in stated parts
            a = data.draw(st.integers(min_value=1, max_value=lst.seats - 1))
            b = data.draw(st.integers(min_value=1, max_value=lst.seats - a))
            if n_blocs > 1:
                pair = st.lists(st.integers(0, n_blocs - 1), min_size=2, max_size=2, unique=True)
                i, j = data.draw(pair)
            else:
                i, j = 0, None
            blocs[i].append(f'{{ list = "{lst.list_id}", seats = {a} }}')
            expected[i] += a
            if j is not None:
                blocs[j].append(f'{{ list = "{lst.list_id}", seats = {b} }}')
                expected[j] += b
        else:
            i = data.draw(st.integers(0, n_blocs - 1))
            blocs[i].append(f'{{ list = "{lst.list_id}" }}')
            expected[i] += lst.seats
    text = 'id = "random"\ndate = 2022-01-09\ntitle = "random"\n'
    for index, members in enumerate(blocs):
        if not members:
            continue
        text += f'\n[[blocs]]\nid = "bloc-{index}"\nname = "Bloc {index}"\nmembers = [{", ".join(members)}]\n'
    if "[[blocs]]" not in text:
        return
    path = tmp_path_factory.mktemp("blocs") / "random.toml"
    path.write_text(text, encoding="utf-8")
    m = packs.load().bloc_file(path, "2021")
    players = m.seats(record_seats("2021"))
    assert sum(players.values()) == 329
    for index, members in enumerate(blocs):
        if members:
            assert players[f"bloc-{index}"] == expected[index]
