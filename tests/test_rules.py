"""The law files of the Iraq pack and the strict loader that validates them."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest

from muhasasa import packs
from muhasasa.errors import InputError, UnknownNameError
from muhasasa.exact import to_fraction
from muhasasa.methods import METHODS, registry
from muhasasa.methods.reserved import WOMEN_QUOTA_FORMS
from muhasasa.packs.schema.law import Law

LAWS = packs.load().law_ids("parliament")

# The open points the record leaves; each must be a marked assumption in its law.
REQUIRED_ASSUMPTIONS = {
    "2005-12": {"governorate-rule-2005-12", "compensatory-2005-12", "women-2005-12"},
    "2010": {"leftover-2010", "compensatory-2010", "women-2010"},
    "2014": {"first-divisor-2014"},
    "2021": {"district-seats-2021", "women-2021"},
    "2025": {"women-2025-second-stage", "women-minimum-qadisiyah-2025"},
}


def _round_half_up(value: Fraction) -> int:
    return int(value + Fraction(1, 2))


# --------------------------------------------------------------------------- bundled laws


def test_law_ids_are_the_seven_elections_in_order():
    assert LAWS == ("2005-01", "2005-12", "2010", "2014", "2018", "2021", "2025")
    dates = [packs.load().law(i).date for i in LAWS]
    assert dates == sorted(dates)


@pytest.mark.parametrize("law_id", LAWS)
def test_every_law_loads_and_its_seats_add_up(law_id):
    law = packs.load().law(law_id)
    assert isinstance(law, Law)
    assert law.id == law.election == law_id
    assert law.general_seats + law.minority_seat_total + law.compensatory_seats == law.house_size
    assert law.general.method in METHODS
    assert law.sources and all(s.startswith(("http://", "https://")) for s in law.sources)
    assert law.women is not None and law.women.form in WOMEN_QUOTA_FORMS
    # the women's parameters are the registered form's own (read by the quota engine)
    WOMEN_QUOTA_FORMS[law.women.form].resolve_params(law.women.params)
    for assumption in law.assumptions:
        assert assumption.sources and assumption.evidence.strip()


@pytest.mark.parametrize("law_id", LAWS)
def test_open_points_are_marked_assumptions(law_id):
    ids = {a.id for a in packs.load().law(law_id).assumptions}
    assert REQUIRED_ASSUMPTIONS.get(law_id, set()) <= ids


@pytest.mark.parametrize(
    ("law_id", "house", "general", "minority", "compensatory"),
    [
        ("2005-01", 275, 275, 0, 0),
        ("2005-12", 275, 230, 0, 45),
        ("2010", 325, 310, 8, 7),
        ("2014", 328, 320, 8, 0),
        ("2018", 329, 320, 9, 0),
        ("2021", 329, 320, 9, 0),
        ("2025", 329, 320, 9, 0),
    ],
)
def test_house_sizes_match_the_record(law_id, house, general, minority, compensatory):
    law = packs.load().law(law_id)
    assert (law.house_size, law.general_seats, law.minority_seat_total, law.compensatory_seats) == (
        house,
        general,
        minority,
        compensatory,
    )


def test_2014_first_divisor_is_flagged_as_an_assumption():
    law = packs.load().law("2014")
    assert law.general.method == "sainte-lague-modified"
    assert law.general.params == {"first_divisor": "1.6"}
    flagged = law.assumptions_about("general.params.first_divisor")
    assert [a.id for a in flagged] == ["first-divisor-2014"]
    assert "Qadisiyah" in flagged[0].evidence
    assert {a.id for a in law.assumptions_about("general")} == {"first-divisor-2014", "threshold-2014"}
    assert law.assumptions_about("gen") == ()  # whole path segments only


def test_2025_first_divisor_is_exact_text():
    law = packs.load().law("2025")
    assert law.general.params["first_divisor"] == "1.7"
    assert law.general.exact("first_divisor") == Fraction(17, 10)
    assert to_fraction(law.general.params["first_divisor"]) == Fraction(17, 10)
    assert law.tie_rule == "lot"
    assert law.general.threshold is None
    assert not law.assumptions_about("general")


def test_2018_uses_1_7_and_lot_without_assumptions_on_the_formula():
    law = packs.load().law("2018")
    assert law.general.exact("first_divisor") == Fraction(17, 10)
    assert law.tie_rule == "lot"
    assert not law.assumptions_about("general")
    assert {m.community for m in law.minority_seats} == {
        "Christian", "Yazidi", "Shabak", "Sabean-Mandaean", "Feyli Kurd"
    }


def test_2025_women_minimums_and_governorates():
    law = packs.load().law("2025")
    assert len(law.districts) == 18
    assert all(d.seats is not None and d.governorate == d.name for d in law.districts)
    # Every minimum (16 sourced, Dhi Qar from IHEC's table, Qadisiyah assumed) equals
    # round-half-up(25% x general seats), the observation behind minimum_rounding.
    for district in law.districts:
        assert district.women_minimum == _round_half_up(Fraction(district.seats, 4)), district.name
    assert [a.applies_to for a in law.assumptions_about("districts")] == [
        "districts[Qadisiyah].women_minimum"
    ]
    assert law.women.form == "governorate-list-share"
    assert law.women.minimum_share == Fraction(1, 4)
    assert law.women.params == {"second_stage": "ceil(s/3)", "minimum_rounding": "half-up"}
    assert law.women.assumption == "women-2025-second-stage"
    assert [a.id for a in law.assumptions_about("women.params")] == [
        "women-2025-second-stage",
        "women-minimum-rounding-2025",
    ]


def test_2021_sntv_districts_carry_governorate_totals():
    law = packs.load().law("2021")
    assert (law.general.method, law.general.data_level, law.general.district_plan) == (
        "sntv",
        "candidate",
        "sntv-districts",
    )
    assert law.ballot == "candidate"
    assert len(law.districts) == 83 and len(law.governorates) == 18
    assert sum(g.districts for g in law.governorates) == 83
    assert sum(g.women_minimum for g in law.governorates) == 83
    known = {d.name: d.seats for d in law.districts if d.seats is not None}
    assert known == {"Basra 1": 5}
    assert law.general_seats == 320
    baghdad = [d.name for d in law.districts if d.governorate == "Baghdad"]
    assert baghdad[0] == "Baghdad 1" and len(baghdad) == 17
    assert law.women.form == "district-highest-loser"
    assert law.women.params == {}
    assert [a.id for a in law.assumptions_about("women")] == ["women-2021"]
    christians = [m for m in law.minority_seats if m.community == "Christian"]
    assert len(christians) == 5 and {m.constituency for m in christians} == {"national"}


def test_2010_leftover_rule_and_compensatory_seats():
    law = packs.load().law("2010")
    assert law.general.params == {"quota": "hare", "leftover": "seat-winners-proportional"}
    assert law.general.threshold == "1 quota"
    assert [a.id for a in law.assumptions_about("general.params")] == ["leftover-2010"]
    assert law.compensatory.seats == 7 and law.compensatory.assumption == "compensatory-2010"
    assert law.compensatory.eligible == "district-seat-winners"


def test_january_2005_is_one_national_district():
    law = packs.load().law("2005-01")
    assert law.general.district_plan == "national" and len(law.districts) == 1
    assert law.districts[0].governorate is None and law.districts[0].seats == 275
    assert law.general.params == {"quota": "hare", "quota_base": "eligible"}
    assert law.general.threshold == "1 quota"
    assert law.ballot == "closed-list"
    assert law.women.form == "list-order-every-third" and law.women.params == {}
    assert law.compensatory is None and law.minority_seats == ()


def test_december_2005_compensatory_tier_is_an_assumption():
    law = packs.load().law("2005-12")
    assert law.compensatory.seats == 45 and law.general_seats == 230
    assert law.assumption(law.compensatory.assumption).applies_to == "compensatory"
    with pytest.raises(UnknownNameError, match="did you mean 'compensatory-2005-12'"):
        law.assumption("compensatory-2005")


def test_bundled_file_loads_the_same_through_load_law_file():
    import importlib.resources

    path = importlib.resources.files("muhasasa") / "packs" / "iraq" / "parliament" / "laws" / "2018.toml"
    assert packs.load().law_file(str(path)) == packs.load().law("2018")


def test_unknown_law_id_suggests_a_close_one():
    with pytest.raises(UnknownNameError, match="did you mean .*'2018'"):
        packs.load().law("2081")


def test_leftover_parameter_is_tolerated_until_registered(monkeypatch):
    """The loader accepts 2010's `leftover` before the method registers it, and
    still checks its value; once registered, the registry decides."""
    method = METHODS["largest-remainder"]
    older = dataclasses.replace(method, params=tuple(p for p in method.params if p.name != "leftover"))
    monkeypatch.setitem(registry._REGISTRY, "largest-remainder", older)
    assert packs.load().law("2010").general.params["leftover"] == "seat-winners-proportional"


# --------------------------------------------------------------------------- bad input

GOOD = """\
id = "test"
title = "A test law"
election = "2025"
date = 2025-11-11
legal_basis = "none"
house_size = 10
ballot = "open-list"
tie_rule = "refuse"
sources = ["https://example.org/law"]

[general]
district_plan = "governorates"
method = "sainte-lague-modified"
params = { first_divisor = "1.7" }
threshold = "none"
data_level = "governorate"

[[districts]]
name = "North"
governorate = "North"
seats = 6
women_minimum = 2

[[districts]]
name = "South"
governorate = "South"
seats = 3

[women]
form = "governorate-list-share"
minimum_share = "1/4"
scope = "governorate"
params = { second_stage = "ceil(s/3)", minimum_rounding = "half-up" }
rule = "a quarter of the seats"
sources = ["https://example.org/women"]
assumption = "stage-two"

[[minority_seats]]
community = "Christian"
governorate = "North"
seats = 1
constituency = "governorate"
sources = ["https://example.org/minority"]

[[assumptions]]
id = "stage-two"
applies_to = "women.params"
statement = "a statement"
evidence = "some evidence"
sources = ["https://example.org/assumption"]
"""


def _write(tmp_path, text, name="law.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _line_of(text, fragment, start=0):
    return next(i for i, line in enumerate(text.splitlines(), 1) if i > start and fragment in line)


def _fails(tmp_path, text) -> InputError:
    path = _write(tmp_path, text)
    with pytest.raises(InputError) as info:
        packs.load().law_file(path)
    assert str(path) in str(info.value)
    assert info.value.source == str(path)
    return info.value


def test_the_good_test_law_loads(tmp_path):
    law = packs.load().law_file(_write(tmp_path, GOOD))
    assert law.general_seats == 9 and law.house_size == 10
    assert law.assumptions_about("women")[0].id == "stage-two"


def test_unknown_key_names_field_and_suggests(tmp_path):
    text = GOOD.replace('method = "sainte', 'methd = "sainte')
    error = _fails(tmp_path, text)
    assert error.field == "general.methd"
    assert "unknown key 'methd'" in error.problem and "did you mean 'method'?" in error.problem
    assert error.line == _line_of(text, "methd")


def test_unknown_key_in_a_district_names_the_district(tmp_path):
    text = GOOD.replace("seats = 3", "seets = 3")
    error = _fails(tmp_path, text)
    assert error.field == "districts[South].seets"
    assert "did you mean 'seats'?" in error.problem
    assert error.line == _line_of(text, "seets")


def test_float_divisor_is_refused_with_advice_to_quote(tmp_path):
    text = GOOD.replace('first_divisor = "1.7"', "first_divisor = 1.7")
    error = _fails(tmp_path, text)
    assert error.field == "general.params.first_divisor"
    assert "float" in error.problem and 'first_divisor = "1.7"' in error.problem
    assert error.line == _line_of(text, "first_divisor = 1.7")


def test_integer_parameter_must_be_text_too(tmp_path):
    error = _fails(tmp_path, GOOD.replace('first_divisor = "1.7"', "first_divisor = 2"))
    assert error.field == "general.params.first_divisor"
    assert 'first_divisor = "2"' in error.problem


def test_unknown_method_suggests_the_registered_one(tmp_path):
    text = GOOD.replace('"sainte-lague-modified"', '"sainte-lague-modifed"')
    error = _fails(tmp_path, text)
    assert isinstance(error, UnknownNameError)
    assert error.field == "general.method"
    assert "did you mean 'sainte-lague-modified'" in error.problem
    assert error.line == _line_of(text, "sainte-lague-modifed")


def test_unknown_method_parameter(tmp_path):
    error = _fails(tmp_path, GOOD.replace("first_divisor =", "first_divizor ="))
    assert error.field == "general.params.first_divizor"
    assert "did you mean 'first_divisor'" in error.problem


def test_parameter_value_the_method_rejects(tmp_path):
    error = _fails(tmp_path, GOOD.replace('first_divisor = "1.7"', 'first_divisor = "one"'))
    assert error.field == "general.params"
    assert "rejects" in error.problem


def test_seats_not_summing_to_the_house(tmp_path):
    text = GOOD.replace("house_size = 10", "house_size = 11")
    error = _fails(tmp_path, text)
    assert error.field == "house_size"
    assert "general 9 + minority 1 + compensatory 0 = 10" in error.problem
    assert error.line == _line_of(text, "house_size")


def test_bad_toml_syntax_gives_the_line(tmp_path):
    text = GOOD.replace('threshold = "none"', 'threshold = "none')
    error = _fails(tmp_path, text)
    assert "not valid TOML" in error.problem
    assert error.line == _line_of(text, 'threshold = "none')
    assert error.field == "threshold"


def test_missing_key(tmp_path):
    error = _fails(tmp_path, GOOD.replace('ballot = "open-list"\n', ""))
    assert error.field == "ballot" and "missing required key 'ballot'" in error.problem


def test_women_minimum_over_the_seats(tmp_path):
    text = GOOD.replace("women_minimum = 2", "women_minimum = 7")
    error = _fails(tmp_path, text)
    assert error.field == "districts[North].women_minimum"
    assert "exceeds" in error.problem
    assert error.line == _line_of(text, "women_minimum = 7")


def test_unknown_assumption_referenced(tmp_path):
    text = GOOD.replace('assumption = "stage-two"', 'assumption = "stage-2"')
    error = _fails(tmp_path, text)
    assert error.field == "women.assumption"
    assert "did you mean 'stage-two'" in error.problem


def test_assumption_pointing_at_nothing(tmp_path):
    error = _fails(tmp_path, GOOD.replace('applies_to = "women.params"', 'applies_to = "general.parms"'))
    assert error.field == "assumptions[stage-two].applies_to"
    assert "did you mean 'params'" in error.problem


def test_duplicate_district(tmp_path):
    text = GOOD.replace('name = "South"\ngovernorate = "South"', 'name = "North"\ngovernorate = "South"')
    error = _fails(tmp_path, text)
    assert "duplicate district 'North'" in error.problem
    assert error.field == "districts[North].name"
    assert error.line == _line_of(text, 'name = "North"', start=_line_of(text, 'name = "North"'))


def test_unknown_literal_value_suggests(tmp_path):
    error = _fails(tmp_path, GOOD.replace('ballot = "open-list"', 'ballot = "open-lists"'))
    assert error.field == "ballot" and "did you mean 'open-list'" in error.problem


def test_unknown_women_parameter(tmp_path):
    error = _fails(tmp_path, GOOD.replace("second_stage =", "second_stag ="))
    assert error.field == "women.params.second_stag"
    assert "did you mean 'second_stage'" in error.problem


def test_women_parameter_choice_and_form_come_from_the_registry(tmp_path):
    error = _fails(tmp_path, GOOD.replace('"ceil(s/3)"', '"ceil(s/4)"'))
    assert error.field == "women.params.second_stage" and "ceil(s/3)" in error.problem
    error = _fails(tmp_path, GOOD.replace('"governorate-list-share"', '"governorate-list-shares"'))
    assert error.field == "women.form" and "did you mean 'governorate-list-share'" in error.problem
    error = _fails(tmp_path, GOOD.replace('minimum_rounding = "half-up"', 'seed = "3"'))
    assert error.field == "women.params.seed" and "tie_rule" in error.problem


def test_unknown_election(tmp_path):
    error = _fails(tmp_path, GOOD.replace('election = "2025"', 'election = "2052"'))
    assert error.field == "election"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("house_size = 10", 'house_size = "10"'),
        ("date = 2025-11-11", 'date = "last year"'),
        ('sources = ["https://example.org/law"]', "sources = []"),
        ('sources = ["https://example.org/law"]', 'sources = ["example.org"]'),
        ('minimum_share = "1/4"', 'minimum_share = "5/4"'),
        ('minimum_share = "1/4"', "minimum_share = 0.25"),
        ("seats = 3", 'seats = "three"'),
        ("seats = 3", "seats = true"),
        ('threshold = "none"', "threshold = 5"),
        ('threshold = "none"', 'threshold = "five percent"'),
        ('constituency = "governorate"', 'constituency = "everywhere"'),
        ('governorate = "North"\nseats = 1', 'governorate = "Nowhere"\nseats = 1'),
        ('[general]', "general = 3\n[generals]"),
        ('tie_rule = "refuse"', 'tie_rule = "coin"'),
        ('data_level = "governorate"', 'data_level = "national"'),
    ],
)
def test_bad_values_raise_input_error_never_validation_error(tmp_path, old, new):
    assert old in GOOD
    error = _fails(tmp_path, GOOD.replace(old, new, 1))
    assert error.field


def test_unreadable_file(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        packs.load().law_file(tmp_path / "missing.toml")


def test_not_utf8(tmp_path):
    path = tmp_path / "law.toml"
    path.write_bytes(GOOD.replace("A test law", "caf\xe9").encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        packs.load().law_file(path)
