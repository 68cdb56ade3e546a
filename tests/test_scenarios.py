"""Scenario files: strict loading with located errors, the base vote table, the interventions."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from muhasasa import allocate, packs
from muhasasa.elections import parliament
from muhasasa.errors import InputError, UnknownNameError
from muhasasa.scenarios import load_scenario, parse_scenario

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def scenario(text: str, source: str = "s.toml", **kw):
    return parse_scenario(text, source, **kw)


def error(text: str) -> InputError:
    with pytest.raises(InputError) as info:
        scenario(text)
    return info.value


# --------------------------------------------------------------------------- the base table


def test_2025_governorate_level_simulates_the_itemized_districts_and_holds_the_rest():
    t = scenario('base = "2025"\nlevel = "governorate"\n').table
    assert t.level == "governorate" and not t.exact
    assert set(t.districts) == {"Dhi Qar", "Sulaymaniyah", "Erbil", "Najaf", "Dohuk"}
    assert "Baghdad" in t.held_districts and "held at their official seats" in t.label
    assert t.house_size == 329
    # each simulated district is the record's votes, allocated as the deterministic path does
    checks = {c.district: c for c in parliament("2025").checks}
    for d, district in enumerate(t.districts):
        votes = {x: int(v) for x, v in zip(t.lists, t.votes[d]) if v}
        assert votes == dict(checks[district].votes)
        got = allocate(votes, int(t.seats[d]), "sainte-lague-modified", first_divisor="1.7")
        assert {k: v for k, v in got.seats.items() if v} == {k: v for k, v in checks[district].computed.items() if v}


def test_2005_01_is_exact_one_national_district_with_its_unitemized_votes():
    t = scenario('base = "2005-01"\n').table
    assert (t.level, t.exact, t.label) == ("national", True, "exact")
    assert t.districts == ("Iraq",) and int(t.residual[0]) == 444816 and t.house_size == 275


def test_2021_under_2018_is_national_from_vote_shares_and_says_so():
    s = load_scenario(EXAMPLES / "2021_under_2018_law.toml")
    t = s.table
    assert (t.level, t.exact, s.law.id) == ("national", False, "2018")
    assert "vote shares" in t.label and "9629601 cast votes" in t.label
    assert "independents" in t.label and "independents" not in t.lists
    assert int(t.seats[0]) == 320 and int(t.held[t.index("minority-quota")]) == 9
    sadrists = int(t.votes[0, t.index("sadrists")])
    assert sadrists == int(Fraction("10.0") * 9629601 / 100)


def test_sntv_base_holds_the_official_seats_and_refuses_drawing_votes():
    t = scenario('base = "2021"\n').table
    assert t.level == "official" and t.house_size == 329 and "candidate" in t.reasons[0]
    e = error('base = "2021"\n[uncertainty]\nmodel = "dirichlet"\nconcentration = "100"\n')
    assert e.field == "uncertainty.model" and e.line == 3 and "candidate" in str(e)


def test_a_law_whose_data_the_base_cannot_supply_is_refused_at_its_line():
    e = error('base = "2025"\nlaw = "2021"\n')
    assert (e.line, e.field) == (2, "law") and "candidate-level votes" in e.problem


def test_a_user_law_file_is_read_beside_the_scenario(tmp_path):
    law = (Path(__file__).resolve().parent.parent / "src/muhasasa/packs/iraq/parliament/laws/2018.toml").read_text()
    (tmp_path / "mine.toml").write_text(law.replace('first_divisor = "1.7"', 'first_divisor = "1.4"'))
    (tmp_path / "s.toml").write_text('base = "2025"\nlaw = "mine.toml"\n')
    s = load_scenario(tmp_path / "s.toml")
    assert s.law.general.params["first_divisor"] == "1.4"


# --------------------------------------------------------------------------- strict loading


def test_unknown_top_key_names_its_line_and_suggests():
    e = error('base = "2025"\nlevle = "national"\n')
    assert e.line == 2 and "unknown key 'levle'" in e.problem and "did you mean 'level'" in e.problem


def test_unknown_key_in_an_intervention_names_the_entry_and_suggests():
    e = error('base = "2025"\n\n[[interventions]]\nkind = "swing"\nlist = "rd"\npoints = "1"\nscop = "national"\n')
    assert (e.line, e.field) == (7, "interventions[1].scop")
    assert "did you mean 'scope'" in e.problem and "swing intervention" in e.problem


def test_unknown_kind_suggests_the_closest():
    e = error('base = "2025"\n[[interventions]]\nkind = "swng"\n')
    assert (e.line, e.field) == (3, "interventions[1].kind") and "did you mean 'swing'" in e.problem


def test_floats_are_refused_with_advice_to_quote():
    e = error('base = "2025"\n[uncertainty]\nmodel = "dirichlet"\nconcentration = 2000.5\n')
    assert e.line == 4 and "quote it" in e.problem


def test_integers_where_text_is_expected_are_refused_with_advice_to_quote():
    e = error('base = "2025"\n[[interventions]]\nkind = "turnout"\npoints = 10\n')
    assert e.line == 4 and 'quote it: points = "10"' in e.problem


def test_unknown_election_suggests():
    with pytest.raises(UnknownNameError, match="did you mean '2025'"):
        scenario('base = "2052"\n')


def test_model_parameters_must_belong_to_the_model():
    e = error('base = "2025"\n[uncertainty]\nmodel = "dirichlet"\nconcentration = "10"\nsigma = "0.1"\n')
    assert e.line == 5 and "not a parameter of model 'dirichlet'" in e.problem
    e = error('base = "2025"\n[uncertainty]\nmodel = "dirichlet"\n')
    assert "needs concentration" in e.problem
    e = error('base = "2025"\n[uncertainty]\nmodel = "logit-normal"\nsigma = "0.1"\ncorrelation = "2"\n')
    assert "at most 1" in e.problem


SWING = 'base = "2025"\nlevel = "{level}"\n\n[[interventions]]\nkind = "swing"\n{body}\n'


def test_unknown_list_is_located_with_a_suggestion():
    with pytest.raises(UnknownNameError) as info:
        scenario(SWING.format(level="national", body='list = "sdiqoun"\npoints = "+1"'))
    assert info.value.line == 4 and info.value.field == "interventions[1].list"
    assert "did you mean 'sadiqoun'" in str(info.value)


def test_unknown_governorate_is_located_with_a_suggestion():
    with pytest.raises(UnknownNameError) as info:
        scenario(SWING.format(level="governorate", body='list = "kdp"\npoints = "1"\nscope = "governorate=Erbill"'))
    assert "did you mean 'Erbil'" in str(info.value) and info.value.field == "interventions[1].scope"


def test_a_governorate_scope_needs_the_governorate_level():
    e = error(SWING.format(level="national", body='list = "kdp"\npoints = "1"\nscope = "governorate=Erbil"'))
    assert 'level = "governorate"' in e.problem


def test_a_swing_that_leaves_negative_votes_is_refused_where_it_happens():
    e = error(SWING.format(level="governorate", body='list = "kdp"\npoints = "-90"\nscope = "governorate=Erbil"'))
    assert e.field == "interventions[1].points" and "negative votes in Erbil" in e.problem
    e = error(SWING.format(level="national", body='list = "rd"\nmode = "proportional"\npoints = "-20"'))
    assert "negative votes" in e.problem


def test_a_change_only_in_held_districts_cannot_be_computed():
    e = error('base = "2025"\nlevel = "governorate"\n[[interventions]]\nkind = "turnout"\npoints = "5"\n'
              'scope = "governorate=Basra"\n')
    assert "Basra" in e.problem and "held" in e.problem


# --------------------------------------------------------------------------- interventions


def share(t, list_id, d=0):
    return Fraction(int(t.votes[d, t.index(list_id)]), int(t.votes[d].sum() + t.residual[d]))


def test_uniform_swing_moves_the_share_by_the_points_and_keeps_the_total():
    base = scenario('base = "2025"\nlevel = "national"\n').table
    t = scenario(SWING.format(level="national", body='list = "sol"\npoints = "+2"')).table
    assert abs(share(t, "sol") - share(base, "sol") - Fraction(2, 100)) < Fraction(1, 10**6)
    assert int(t.votes.sum()) == int(base.votes.sum())
    assert any("uniform swing of 2 points" in n for n in t.notes)


def test_proportional_swing_scales_the_list_across_its_scope():
    base = scenario('base = "2025"\nlevel = "governorate"\n').table
    t = scenario(SWING.format(level="governorate", body='list = "kdp"\nmode = "proportional"\npoints = "+1"')).table
    k = base.index("kdp")
    factors = [t.votes[d, k] / base.votes[d, k] for d in range(len(base.districts)) if base.votes[d, k]]
    assert max(factors) - min(factors) < 1e-4 and factors[0] > 1


def test_turnout_points_use_the_district_turnout_and_note_what_was_not_applied():
    s = load_scenario(EXAMPLES / "2025_southern_turnout.toml")
    base = scenario('base = "2025"\nlevel = "governorate"\n').table
    d = base.districts.index("Dhi Qar")
    factor = Fraction(538390 * 100, 1099438)
    factor = (factor + 10) / factor
    assert abs(int(s.table.votes[d].sum()) - float(base.votes[d].sum() * factor)) < 20
    erbil = base.districts.index("Erbil")
    assert (s.table.votes[erbil] == base.votes[erbil]).all()
    assert any("not applied in Basra" in n for n in s.table.notes)


def test_community_boycott_removes_that_share_of_the_community_lists():
    s = load_scenario(EXAMPLES / "2005_sunni_boycott.toml")
    base = scenario('base = "2025"\nlevel = "national"\n').table
    for list_id, community in zip(base.lists, base.communities):
        before, after = int(base.votes[0, base.index(list_id)]), int(s.table.votes[0, s.table.index(list_id)])
        if community == "Sunni Arab":
            assert abs(after - before / 10) <= 1
        else:
            assert after == before


def test_merge_and_split_keep_votes_and_held_seats():
    t = scenario('base = "2025"\nlevel = "governorate"\n[[interventions]]\nkind = "merge"\n'
                 'lists = ["kdp", "puk"]\ninto = "kurdistan-alliance"\n').table
    base = scenario('base = "2025"\nlevel = "governorate"\n').table
    k = t.index("kurdistan-alliance")
    assert "kdp" not in t.lists and "puk" not in t.lists
    assert (t.votes[:, k] == base.votes[:, base.index("kdp")] + base.votes[:, base.index("puk")]).all()
    assert t.held[k] == base.held[base.index("kdp")] + base.held[base.index("puk")]
    t = scenario('base = "2025"\nlevel = "governorate"\n[[interventions]]\nkind = "split"\nlist = "kdp"\n'
                 'into = { kdp-a = "3/4", kdp-b = "1/4" }\n').table
    assert (t.votes[:, t.index("kdp-a")] + t.votes[:, t.index("kdp-b")] == base.votes[:, base.index("kdp")]).all()
    assert t.held[t.index("kdp-a")] + t.held[t.index("kdp-b")] == base.held[base.index("kdp")]
    e = error('base = "2025"\n[[interventions]]\nkind = "split"\nlist = "kdp"\ninto = { a = "1/2", b = "1/3" }\n')
    assert "add up to 5/6" in e.problem


def test_a_merged_list_cannot_be_named_again():
    e = error('base = "2025"\n[[interventions]]\nkind = "merge"\nlists = ["kdp", "puk"]\ninto = "ka"\n'
              '[[interventions]]\nkind = "withdraw"\nlist = "puk"\n')
    assert e.field == "interventions[2].list" and "turned it into ka" in e.problem


def test_formation_stage_interventions_name_recorded_events():
    s = load_scenario(EXAMPLES / "2022_without_resignation.toml")
    assert s.formation is not None and s.formation.without == ("sadrist-resignation",) and s.formation_stage
    with pytest.raises(UnknownNameError, match="did you mean 'sadrist-resignation'"):
        scenario('base = "2021"\n[[interventions]]\nkind = "resignation"\nwithout = "sadrist-resignaton"\n')
    e = error('base = "2005-01"\n[[interventions]]\nkind = "veto"\ntarget = "uia"\n')
    assert "no replayable formation cycle" in e.problem


def test_blocs_intervention_picks_a_bundled_map():
    s = scenario('base = "2021"\n[[interventions]]\nkind = "blocs"\nmap = "2022-03-26"\n')
    assert s.bloc_map.id == "2022-03-26-presidential-session"
    assert scenario('base = "2021"\n').bloc_map.id == "2022-09-25-state-administration"


def test_every_example_loads_and_says_whether_it_is_exact():
    for path in sorted(EXAMPLES.glob("*.toml")):
        s = load_scenario(path)
        assert s.table.label == "exact" or s.table.label.startswith("approximate: "), path
        assert s.text == path.read_text(encoding="utf-8")


def test_the_record_is_not_changed_by_a_scenario():
    before = packs.load().record().election("2025").list("kdp").votes
    scenario(SWING.format(level="national", body='list = "kdp"\npoints = "+5"'))
    assert packs.load().record().election("2025").list("kdp").votes == before
    assert np.issubdtype(scenario('base = "2025"\n').table.votes.dtype, np.integer)


# --------------------------------------------------------------------------- every field acts or is refused


def test_a_convention_file_is_refused_at_its_line_rather_than_ignored(tmp_path):
    (tmp_path / "conv.toml").write_text("x = 1\n")
    text = 'base = "2021"\n[[interventions]]\nkind = "convention"\nfile = "conv.toml"\n'
    with pytest.raises(InputError) as info:
        scenario(text, base_dir=tmp_path)
    e = info.value
    assert (e.line, e.field) == (2, "interventions[1].file") and "lifted = true" in e.problem
    lifted = scenario('base = "2021"\n[[interventions]]\nkind = "convention"\nlifted = true\n')
    assert lifted.formation is not None and lifted.formation.convention is False
    assert scenario('base = "2021"\n').formation.convention is True


def test_title_and_description_reach_the_scenario():
    s = scenario('title = "T"\ndescription = "What it shows"\nbase = "2025"\n')
    assert (s.title, s.description) == ("T", "What it shows")
    assert scenario('base = "2025"\n').description is None


def test_a_type_error_inside_an_intervention_is_located_at_its_key_not_at_the_kind():
    e = error('base = "2025"\n[[interventions]]\nkind = "boycott"\nlist = "kdp"\nshare = 1\n')
    assert (e.line, e.field) == (5, "interventions[1].share") and 'share = "1"' in e.problem
    e = error('base = "2025"\n[[interventions]]\nkind = "merge"\nlists = ["kdp", "puk"]\ninto = "K D"\n')
    assert e.field == "interventions[1].into" and "lowercase id" in e.problem


def test_unknown_keys_name_the_kind_and_what_it_allows():
    e = error('base = "2025"\n[[interventions]]\nkind = "withdraw"\nlist = "kdp"\nshare = "1"\n')
    assert (e.line, e.field) == (5, "interventions[1].share")
    assert "withdraw intervention" in e.problem and "allowed here: kind, list, lists, scope, note" in e.problem
    e = error('base = "2025"\n[[interventions]]\nlist = "kdp"\n')
    assert e.line == 2 and "missing required key 'kind'" in e.problem
