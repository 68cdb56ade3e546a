"""The muhasasa convention as data: the bundled Iraq file, its points systems, strict loading."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from muhasasa.errors import InputError, TieError, UnknownNameError
from muhasasa.formation.convention import (
    allocate_ministries,
    load_convention,
    load_convention_file,
)
from muhasasa.packs.schema.convention import KINDS, Convention

# The formation cycles of the dossier's formation_cycles.csv, in order.
CYCLES = (
    "2005_transitional",
    "2006_maliki1",
    "2010_maliki2",
    "2014_abadi",
    "2018_abdulmahdi",
    "2020_kadhimi",
    "2022_sudani",
    "2026_zaidi",
)
TOP = {"prime-minister": "Shia Arab", "president": "Kurdish", "speaker": "Sunni Arab"}


@pytest.fixture(scope="module")
def iraq() -> Convention:
    return load_convention()


# --------------------------------------------------------------------------- the bundled file


def test_bundled_file_loads_with_every_cycle_of_the_record(iraq):
    assert tuple(c.cycle for c in iraq.cycles) == CYCLES
    assert load_convention() is iraq  # cached
    assert iraq.source == "packs/iraq/parliament/convention.toml"


def test_three_presidencies(iraq):
    for office, community in TOP.items():
        assert iraq.office(office).community == community
        assert iraq.office(office).cycles is None  # every cycle since 2005
    assert {k: iraq.top_offices()[k] for k in TOP} == TOP


def test_deputy_speakers_first_shia_second_kurdish(iraq):
    # The Media Line (2022): first deputy Shia, second deputy Kurd.
    assert iraq.office("first-deputy-speaker").community == "Shia Arab"
    assert iraq.office("second-deputy-speaker").community == "Kurdish"


@pytest.mark.parametrize("cycle", CYCLES)
def test_the_record_keeps_the_three_presidencies_in_every_cycle(iraq, cycle):
    # formation_cycles.csv: every PM a Shia Arab, every President a Kurd, every Speaker a
    # Sunni Arab (2005: Sunni Arab per AP, Turkmen Sunni per the LA Times - AP kept).
    held = iraq.holds(cycle)
    assert {office: held[office] for office in TOP} == dict.fromkeys(TOP, True)


@pytest.mark.parametrize(
    ("cycle", "pm", "president", "speaker"),
    [
        ("2005_transitional", "Ibrahim al-Jaafari", "Jalal Talabani", "Hajim al-Hassani"),
        ("2006_maliki1", "Nouri al-Maliki", "Jalal Talabani", "Mahmoud al-Mashhadani"),
        ("2010_maliki2", "Nouri al-Maliki", "Jalal Talabani", "Osama al-Nujaifi"),
        ("2014_abadi", "Haider al-Abadi", "Fuad Masum", "Salim al-Jabouri"),
        ("2018_abdulmahdi", "Adil Abdul-Mahdi", "Barham Salih", "Mohammed al-Halbousi"),
        ("2020_kadhimi", "Mustafa al-Kadhimi", "Barham Salih", "Mohammed al-Halbousi"),
        ("2022_sudani", "Mohammed Shia al-Sudani", "Abdul Latif Rashid", "Mohammed al-Halbousi"),
        ("2026_zaidi", "Ali al-Zaidi", "Nizar Amedi", "Haibat al-Halbousi"),
    ],
)
def test_holders_are_those_of_formation_cycles_csv(iraq, cycle, pm, president, speaker):
    names = {h.office: h.name for h in iraq.cycle(cycle).holders}
    assert (names["prime-minister"], names["president"], names["speaker"]) == (pm, president, speaker)
    assert all(h.sources for h in iraq.cycle(cycle).holders)


def test_holds_covers_only_offices_the_convention_assigns_that_cycle(iraq):
    # Vice-presidents are sourced for 2005, 2006 and 2014 only.
    assert "vice-president-shia" in iraq.holds("2014_abadi")
    assert "vice-president-shia" not in iraq.holds("2022_sudani")
    assert "vice-president-shia" not in iraq.top_offices("2022_sudani")
    assert all(iraq.holds(cycle).values() for cycle in CYCLES)


def test_sovereign_ministries_and_their_patterns(iraq):
    assert {m.id for m in iraq.sovereign_ministries} == {"defence", "interior", "foreign-affairs", "finance", "oil"}
    foreign = iraq.ministry("foreign-affairs")
    assert (foreign.community, foreign.community_kind) == ("Kurdish", "analysis")
    assert foreign.holder("2014_abadi").community == "Shia Arab"  # al-Jaafari, the exception
    assert iraq.ministry("finance").community is None  # rotates
    assert len(iraq.ministries) == 23  # the 2022 cabinet's portfolios
    assert iraq.cycle("2022_sudani").cabinet_size == 23


def test_community_split(iraq):
    split = iraq.community_split
    assert split.community == "Kurdish"
    assert split.party_for("president") == "PUK"
    assert split.party_for("second-deputy-speaker") == "KDP"
    assert "2026_zaidi" in {c.cycle for c in split.contests}


def test_points_systems_per_cycle(iraq):
    chosen = {c.cycle: c.points_system for c in iraq.cycles}
    assert chosen == {
        "2005_transitional": None,
        "2006_maliki1": None,
        "2010_maliki2": "2010-points-b",
        "2014_abadi": "2014-proportional",
        "2018_abdulmahdi": "2018-hikma-split",
        "2020_kadhimi": None,
        "2022_sudani": "2022-cf-rule",
        "2026_zaidi": None,
    }
    assert iraq.cycle("2010_maliki2").other_points_systems == ("2010-points-a",)
    for system in iraq.points_systems:
        assert system.kind in KINDS and system.sources and system.statement
    assert iraq.points_system("2022-cf-rule").kind == "single-source"


def test_2022_rule_five_seats_a_ministry_fifteen_a_sovereign_one(iraq):
    rule = iraq.points_system("2022-cf-rule")
    assert rule.entitlement({"party": 60}, ministries=23, sovereign=5) == {"party": Fraction(12)}
    assert rule.seat_cost("ministry") == 5
    assert rule.seat_cost("sovereign-ministry") == 15
    assert rule.sovereign_weight == 3


def test_2010_points_seats_over_2_44(iraq):
    version_b = iraq.points_system("2010-points-b")
    points = version_b.points({"iraqiya": 91})["iraqiya"]
    assert points == Fraction(91 * 100, 244) and int(points) == 37  # reported: 37 points
    assert version_b.office_costs["prime-minister"] == 10
    assert version_b.cost_ranges["ministry"] == (2, 3)
    with pytest.raises(InputError, match="2 to 3 points"):
        version_b.entitlement({"iraqiya": 91}, 40, 4)
    assert iraq.points_system("2010-points-a").points({"x": 10}) == {"x": Fraction(20)}


def test_2018_reported_split(iraq):
    split = iraq.points_system("2018-hikma-split")
    assert split.entitlement({"islah": 183, "binaa": 145, "kurds": 58}, 22, 5) == {
        "islah": 9, "binaa": 9, "kurds": 3,
    }
    assert allocate_ministries({"islah": 1, "binaa": 1, "kurds": 1}, 21, 0, split) == {
        "islah": (9, 0), "binaa": (9, 0), "kurds": (3, 0),
    }
    with pytest.raises(UnknownNameError, match="did you mean 'islah'"):
        split.entitlement({"islh": 10}, 22, 5)


def test_2014_proportional(iraq):
    rule = iraq.points_system("2014-proportional")
    assert rule.entitlement({"A": 3, "B": 1}, 22, 5) == {"A": Fraction(33, 2), "B": Fraction(11, 2)}
    assert allocate_ministries({"A": 3, "B": 1}, 20, 4, rule) == {"A": (12, 3), "B": (4, 1)}


def test_unknown_names_suggest(iraq):
    with pytest.raises(UnknownNameError, match="did you mean '2022_sudani'"):
        iraq.cycle("2022_sudany")
    with pytest.raises(UnknownNameError, match="did you mean '2022-cf-rule'"):
        iraq.points_system("2022-cf-rul")


# --------------------------------------------------------------------------- allocating


CABINETS = st.integers(0, 30).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, min(n, 5))))
WEIGHTS = st.dictionaries(
    st.sampled_from(["CF", "KDP", "PUK", "Taqaddum", "Azm", "Sadrists"]), st.integers(0, 120), min_size=1
).filter(lambda w: sum(w.values()) > 0)


@settings(max_examples=150, deadline=None)
@given(weights=WEIGHTS, cabinet=CABINETS)
def test_allocation_hands_out_exactly_the_ministries_asked(weights, cabinet):
    ministries, sovereign = cabinet
    iraq = load_convention()
    for system_id in ("2022-cf-rule", "2014-proportional"):
        result = allocate_ministries(
            weights, ministries, sovereign, iraq.points_system(system_id), tie_break="lot", seed=7
        )
        assert list(result) == list(weights)
        assert sum(o + s for o, s in result.values()) == ministries
        assert sum(s for _, s in result.values()) == sovereign
        assert all(result[p] == (0, 0) for p, w in weights.items() if w == 0)


def test_allocation_refuses_a_tie_unless_settled_by_lot(iraq):
    rule = iraq.points_system("2022-cf-rule")
    with pytest.raises(TieError):
        allocate_ministries({"A": 10, "B": 10}, 3, 0, rule)
    first = allocate_ministries({"A": 10, "B": 10}, 3, 0, rule, tie_break="lot", seed=1)
    assert first == allocate_ministries({"A": 10, "B": 10}, 3, 0, rule, tie_break="lot", seed=1)
    assert sorted(o for o, _ in first.values()) == [1, 2]


def test_allocation_refuses_impossible_cabinets(iraq):
    rule = iraq.points_system("2022-cf-rule")
    with pytest.raises(InputError, match="only 3 ministries"):
        allocate_ministries({"A": 10}, 3, 4, rule)
    with pytest.raises(InputError, match="nothing to share"):
        allocate_ministries({"A": 0}, 3, 1, rule)
    with pytest.raises(InputError, match="whole number"):
        allocate_ministries({"A": 2.5}, 3, 1, rule)


# --------------------------------------------------------------------------- strict loading

MINIMAL = """\
id = "test"
title = "A test convention"
sources = ["https://example.org/a"]
communities = ["Shia Arab", "Sunni Arab", "Kurdish"]

[[offices]]
id = "prime-minister"
title = "Prime Minister"
community = "Shia Arab"
rule = "test"
sources = ["https://example.org/a"]

[[ministries]]
id = "oil"
title = "Oil"
sovereign = true
sources = ["https://example.org/a"]

[[points_systems]]
id = "rule"
cycle = "one"
method = "seat-price"
kind = "analysis"
statement = "five seats a ministry"
seats_per_ministry = "5"
seats_per_sovereign_ministry = "15"
sources = ["https://example.org/a"]

[[cycles]]
id = "one"
title = "Cycle one"
points_system = "rule"
sources = ["https://example.org/a"]

  [[cycles.holders]]
  office = "prime-minister"
  name = "Someone"
  community = "Sunni Arab"
  sources = ["https://example.org/a"]
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "convention.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _line(text: str, snippet: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if snippet in line)


def test_a_users_file_loads_and_is_checked_against_its_record(tmp_path):
    convention = load_convention_file(_write(tmp_path, MINIMAL))
    assert convention.holds("one") == {"prime-minister": False}  # a lifted convention
    assert convention.points_system("rule").entitlement({"A": 60}, 10, 2) == {"A": 12}


@pytest.mark.parametrize(
    ("old", "new", "field", "problem", "at"),
    [
        ('community = "Shia Arab"\nrule', 'comunity = "Shia Arab"\nrule', "offices[prime-minister].comunity",
         "unknown key 'comunity'; did you mean 'community'?", "comunity ="),
        ('seats_per_ministry = "5"', "seats_per_ministry = 5.0", "points_systems[rule].seats_per_ministry",
         "TOML float", "seats_per_ministry ="),
        ('seats_per_ministry = "5"', "seats_per_ministry = 5", "points_systems[rule].seats_per_ministry",
         "as text", "seats_per_ministry ="),
        ('community = "Shia Arab"\nrule', 'community = "Shia"\nrule', "offices[prime-minister].community",
         "unknown community (not in communities) 'Shia'", 'community = "Shia"'),
        ('cycle = "one"', 'cycle = "on"', "points_systems[rule].cycle",
         "unknown formation cycle 'on'", 'cycle = "on"'),
        ('kind = "analysis"', 'kind = "rumour"', "points_systems[rule].kind", "'rumour' is not one of",
         "kind ="),
        ('office = "prime-minister"', 'office = "prime-ministre"', "cycles[one].holders[prime-ministre].office",
         "did you mean 'prime-minister'", "office ="),
        ("sovereign = true", "sovereign = false", "points_systems[rule].seats_per_sovereign_ministry",
         "no ministry of [[ministries]] is sovereign", "seats_per_sovereign_ministry ="),
        ('method = "seat-price"', 'method = "points"', "points_systems[rule].seats_per_point",
         "a points system needs seats_per_point", "[[points_systems]]"),
        ('points_system = "rule"\n', "", "points_systems[rule].cycle", "does not list points system 'rule'",
         'cycle = "one"'),
    ],
)
def test_bad_files_name_the_file_field_and_line(tmp_path, old, new, field, problem, at):
    assert old in MINIMAL
    text = MINIMAL.replace(old, new, 1)
    path = _write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_convention_file(path)
    error = caught.value
    assert (error.source, error.field, error.line) == (str(path), field, _line(text, at))
    assert problem in error.problem


def test_more_ministries_shared_out_than_exist_is_an_error(tmp_path):
    text = MINIMAL.replace(
        'method = "seat-price"', 'method = "fixed-shares"\nministries = 3\nshares = { a = 2, b = 2 }'
    ).replace('seats_per_ministry = "5"\nseats_per_sovereign_ministry = "15"\n', "")
    with pytest.raises(InputError, match="hand out 4 ministries but only 3 exist") as caught:
        load_convention_file(_write(tmp_path, text))
    assert caught.value.field == "points_systems[rule].shares"
    assert caught.value.line == _line(text, "shares = {")


def test_unreadable_and_invalid_files(tmp_path):
    with pytest.raises(InputError, match="cannot read the convention file"):
        load_convention_file(tmp_path / "missing.toml")
    with pytest.raises(InputError, match="not valid TOML") as caught:
        load_convention_file(_write(tmp_path, MINIMAL + "broken = = 1\n"))
    assert caught.value.line == len(MINIMAL.splitlines()) + 1
