"""Women's quota forms: hand-computed examples per form, errors, and properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from muhasasa.errors import InputError, TieError, UnknownNameError
from muhasasa.methods.reserved import (
    WOMEN_QUOTA_FORMS,
    Candidate,
    Replacement,
    apply_women_quota,
    women_seats_required,
)

LIST_FORMS = ("list-order-every-third", "after-every-three-winners", "governorate-list-share")


def C(name, party, gender, votes, rank=None):
    return Candidate(name, party, gender, votes, rank)


# ------------------------------------------------------------------ registry


def test_registry_holds_the_four_forms_with_sources():
    assert set(WOMEN_QUOTA_FORMS) == {*LIST_FORMS, "district-highest-loser"}
    for form_id, form in WOMEN_QUOTA_FORMS.items():
        assert form.id == form_id
        assert form.title and "http" in form.reference
        assert callable(form.function) and callable(form.seats_required)
        assert any("Interpretation" in note for note in form.notes)


def test_unknown_form_suggests_the_close_id():
    with pytest.raises(UnknownNameError, match="governorate-list-share"):
        apply_women_quota("governorate-list-shares", {}, [], district="X")


# ------------------------------------------------ form 1: list-order-every-third


def test_every_third_compliant_list_needs_no_replacement_and_bad_order_is_corrected():
    people = [
        # A: compliant (a woman in places 3, 6, 8); 6 seats -> 2 women in its first 6
        C("a1", "A", "M", 0, 1), C("a2", "A", "M", 0, 2), C("a3", "A", "F", 0, 3),
        C("a4", "A", "M", 0, 4), C("a5", "A", "M", 0, 5), C("a6", "A", "F", 0, 6),
        C("a7", "A", "M", 0, 7), C("a8", "A", "F", 0, 8),
        # B: non-compliant (three men first); 3 seats -> floor(3/3)=1 woman
        C("b1", "B", "M", 0, 1), C("b2", "B", "M", 0, 2), C("b3", "B", "M", 0, 3),
        C("b4", "B", "F", 0, 4),
    ]
    r = apply_women_quota("list-order-every-third", {"A": 6, "B": 3}, people, district="Iraq")
    assert r.elected["A"] == ("a1", "a2", "a3", "a4", "a5", "a6")
    assert r.elected["B"] == ("b1", "b2", "b4")
    assert r.replacements == (
        Replacement("B", "b3", "b4", "every third candidate a woman: floor(3/3)=1"),
    )
    assert dict(r.required_by_party) == {"A": 2, "B": 1}
    assert (r.minimum, r.women_by_own_votes, r.women_elected, r.shortfall) == (3, 2, 3, 0)


def test_every_third_top_up_by_seats_then_list_votes():
    # 5 seats: minimum ceil(5/4)=2; floor(s/3)=0 everywhere; A and B tie on 2 seats,
    # both are asked before the 1-seat list C.
    people = [
        C("a1", "A", "M", 0, 1), C("a2", "A", "M", 0, 2), C("a3", "A", "F", 0, 3),
        C("b1", "B", "M", 0, 1), C("b2", "B", "M", 0, 2), C("b3", "B", "F", 0, 3),
        C("c1", "C", "M", 0, 1), C("c2", "C", "F", 0, 2),
    ]
    r = apply_women_quota(
        "list-order-every-third", {"A": 2, "B": 2, "C": 1}, people, district="D",
        party_votes={"A": 500, "B": 400, "C": 300},
    )
    assert [(x.party, x.removed, x.added) for x in r.replacements] == [
        ("A", "a2", "a3"), ("B", "b2", "b3"),
    ]
    assert r.elected["C"] == ("c1",)
    assert dict(r.required_by_party) == {"A": 1, "B": 1, "C": 0}


def test_every_third_january_2005_list_seats_give_87_women():
    seats = dict(zip("ABCDEFGHIJKL", (140, 75, 40, 5, 3, 3, 2, 2, 2, 1, 1, 1), strict=True))
    required = women_seats_required("list-order-every-third", seats)
    assert sum(required.values()) == 87  # above the 25 % target, ceil(275/4) = 69
    assert required["A"] == 46 and required["B"] == 25 and required["C"] == 13


def test_closed_lists_need_distinct_ranks():
    with pytest.raises(InputError, match="list position"):
        apply_women_quota("list-order-every-third", {"A": 1}, [C("a", "A", "M", 0)], district="D")
    with pytest.raises(InputError, match="position 1"):
        apply_women_quota(
            "list-order-every-third", {"A": 1}, [C("a", "A", "M", 0, 1), C("b", "A", "F", 0, 1)],
            district="D",
        )


# --------------------------------------------- form 2: after-every-three-winners


def _open_lists():
    return [
        # A, 8 seats: one woman (a2) wins on her own votes; floor(8/4)=2 needs one more
        C("a1", "A", "M", 1000), C("a2", "A", "F", 900), C("a3", "A", "M", 800),
        C("a4", "A", "M", 700), C("a5", "A", "M", 600), C("a6", "A", "M", 500),
        C("a7", "A", "M", 400), C("a8", "A", "M", 300), C("a9", "A", "M", 200),
        C("aw", "A", "F", 150), C("aw2", "A", "F", 100),
        # B, 4 seats: floor(4/4)=1
        C("b1", "B", "M", 500), C("b2", "B", "M", 400), C("b3", "B", "M", 300),
        C("b4", "B", "M", 200), C("bw", "B", "F", 50),
        # C, 3 seats: floor(3/4)=0 but floor(3/3)=1
        C("c1", "C", "M", 90), C("c2", "C", "M", 80), C("c3", "C", "M", 70),
        C("cw", "C", "F", 60),
    ]


def test_after_every_three_winners_default_floor_s_over_4_then_governorate_top_up():
    r = apply_women_quota(
        "after-every-three-winners", {"A": 8, "B": 4, "C": 3}, _open_lists(), district="Basra"
    )
    # stage 1: A a8 -> aw, B b4 -> bw (3 women); minimum ceil(15/4)=4;
    # top-up: A (8 seats) before C (3 seats); A's lowest man is now a7
    assert [(x.party, x.removed, x.added) for x in r.replacements] == [
        ("A", "a8", "aw"), ("B", "b4", "bw"), ("A", "a7", "aw2"),
    ]
    assert r.replacements[0].reason == "a woman after every three winners: floor(8/4)=2"
    assert r.replacements[2].reason == "governorate top-up, 3 of 4 women: A has 2 < its 8 seats"
    assert r.elected["A"] == ("a1", "a2", "a3", "a4", "a5", "a6", "aw", "aw2")
    assert dict(r.required_by_party) == {"A": 3, "B": 1, "C": 0}
    assert (r.minimum, r.women_by_own_votes, r.women_elected, r.shortfall) == (4, 1, 4, 0)


def test_after_every_three_winners_floor_s_over_3_reading():
    r = apply_women_quota(
        "after-every-three-winners", {"A": 8, "B": 4, "C": 3}, _open_lists(), district="Basra",
        per_list="floor(s/3)",
    )
    assert [(x.party, x.removed, x.added) for x in r.replacements] == [
        ("A", "a8", "aw"), ("B", "b4", "bw"), ("C", "c3", "cw"),
    ]
    assert r.women_elected == 4 and r.params["per_list"] == "floor(s/3)"


def test_bad_parameter_choice_and_unknown_parameter():
    with pytest.raises(InputError, match="per_list"):
        apply_women_quota("after-every-three-winners", {}, [], district="D", per_list="s/4")
    with pytest.raises(UnknownNameError, match="per_list"):
        apply_women_quota("after-every-three-winners", {}, [], district="D", per_lst="floor(s/4)")


# ------------------------------------------------ form 3: district-highest-loser


def _district():
    return [
        C("x1", "P", "M", 5000), C("x2", "Q", "M", 4000), C("x3", "P", "M", 3000),
        C("x4", "R", "M", 2000), C("y1", "Q", "F", 1900), C("y2", "P", "F", 1500),
        C("x5", "R", "M", 1000),
    ]


def test_district_highest_losing_woman_replaces_lowest_male_winner():
    r = apply_women_quota("district-highest-loser", {}, _district(), district="Baghdad 3", seats="4")
    assert r.replacements == (
        Replacement("Q", "x4", "y1", "2021 district rule: no woman among 4 winners"),
    )
    assert dict(r.elected) == {"P": ("x1", "x3"), "Q": ("x2", "y1"), "R": ()}
    assert (r.minimum, r.women_by_own_votes, r.women_elected, r.shortfall) == (1, 0, 1, 0)
    assert dict(r.required_by_party) == {}


def test_district_woman_who_wins_on_her_own_votes_needs_no_quota():
    people = [*_district()[:4], C("y1", "Q", "F", 2500)]
    r = apply_women_quota("district-highest-loser", {"P": 2, "Q": 2}, people, district="D")
    assert r.seats == 4 and r.replacements == () and r.women_by_own_votes == 1
    assert dict(r.elected) == {"P": ("x1", "x3"), "Q": ("x2", "y1"), "R": ()}


def test_district_no_replacement_once_the_wider_minimum_is_met():
    r = apply_women_quota(
        "district-highest-loser", {}, _district(), district="D", seats="4",
        minimum=83, women_elsewhere="83",
    )
    assert r.replacements == () and r.minimum == 0 and r.shortfall == 0
    r = apply_women_quota(
        "district-highest-loser", {}, _district(), district="D", seats="4",
        minimum=83, women_elsewhere="82",
    )
    assert len(r.replacements) == 1


def test_district_without_women_candidates_has_a_shortfall():
    men = [c for c in _district() if c.gender == "M"]
    r = apply_women_quota("district-highest-loser", {}, men, district="D", seats="4")
    assert r.replacements == () and r.shortfall == 1 and r.women_elected == 0
    assert "shortfall: 1" in r.explain()


def test_district_seats_must_agree_with_party_seats():
    with pytest.raises(InputError, match="sum to 3"):
        apply_women_quota("district-highest-loser", {"P": 3}, _district(), district="D", seats="4")


def test_district_tie_for_the_last_seat_refuses_then_lot_is_recorded():
    people = [C("m1", "P", "M", 10), C("m2", "Q", "M", 5), C("w1", "R", "F", 3), C("w2", "S", "F", 3)]
    with pytest.raises(TieError):
        apply_women_quota("district-highest-loser", {}, people, district="D", seats="2")
    r = apply_women_quota(
        "district-highest-loser", {}, people, district="D", seats="2", tie_break="lot", seed="7"
    )
    assert r.replacements[0].removed == "m2" and r.replacements[0].added in {"w1", "w2"}
    assert len(r.ties) == 1 and r.ties[0].event.seed == 7
    assert "highest-voted losing woman" in r.explain()


# ---------------------------------------------- form 4: governorate-list-share


def _nineveh_like():
    return [
        C("a1", "A", "M", 900), C("a2", "A", "M", 800), C("a3", "A", "M", 700), C("aw", "A", "F", 10),
        C("badr1", "Badr", "M", 500), C("badr2", "Badr", "M", 400), C("badrw", "Badr", "F", 20),
        C("hasm1", "Hasm", "M", 600), C("hasm2", "Hasm", "M", 450), C("hasmw", "Hasm", "F", 300),
        C("e1", "E", "M", 350), C("ew", "E", "F", 30),
    ]


def test_2025_last_quota_seat_goes_to_the_list_with_more_total_votes():
    seats = {"A": 3, "Badr": 2, "Hasm": 2, "E": 1}
    votes = {"A": 20000, "Badr": 9000, "Hasm": 8000, "E": 4000}
    r = apply_women_quota(
        "governorate-list-share", seats, _nineveh_like(), district="Nineveh", minimum=2,
        party_votes=votes,
    )
    # floor(s/4)=0 everywhere; round 1 asks 2 of 4 lists: A (3 seats), then Badr over
    # Hasm (2 seats each) on total list votes, although Hasm's woman had more votes.
    assert [(x.party, x.removed, x.added) for x in r.replacements] == [
        ("A", "a3", "aw"), ("Badr", "badr2", "badrw"),
    ]
    assert r.replacements[1].reason == "2025 governorate top-up, 1 of 2 women: Badr has 0 < ceil(2/3)=1"
    assert dict(r.required_by_party) == {"A": 1, "Badr": 1, "Hasm": 0, "E": 0}
    assert r.minimum_basis == "given" and r.shortfall == 0
    swapped = apply_women_quota(
        "governorate-list-share", seats, _nineveh_like(), district="Nineveh", minimum=2,
        party_votes={**votes, "Badr": 8000, "Hasm": 9000},
    )
    assert swapped.replacements[1].party == "Hasm"


def test_2025_equal_list_seats_without_list_votes_is_a_tie():
    seats = {"A": 3, "Badr": 2, "Hasm": 2, "E": 1}
    with pytest.raises(TieError, match="Badr, Hasm"):
        apply_women_quota("governorate-list-share", seats, _nineveh_like(), district="N", minimum=2)
    r = apply_women_quota(
        "governorate-list-share", seats, _nineveh_like(), district="N", minimum=2,
        tie_break="lot", seed="1",
    )
    assert r.ties[0].event.contenders == ("Badr", "Hasm") and r.women_elected == 2


def test_2025_women_winning_on_own_votes_count_and_need_no_replacement():
    people = [
        C("p1", "PUK", "F", 900), C("p2", "PUK", "M", 800), C("p3", "PUK", "F", 700),
        C("p4", "PUK", "M", 600), C("p5", "PUK", "M", 10),
        C("k1", "KDP", "M", 500), C("k2", "KDP", "F", 400), C("k3", "KDP", "M", 300),
        C("k4", "KDP", "M", 200), C("k5", "KDP", "F", 100),
    ]
    r = apply_women_quota("governorate-list-share", {"PUK": 4, "KDP": 4}, people, district="S")
    assert r.replacements == ()
    assert (r.minimum, r.women_by_own_votes, r.women_elected) == (2, 3, 3)
    assert "no replacement needed" in r.explain()


def test_2025_stage_one_floor_of_a_quarter_applies_per_list():
    people = [C(f"m{i}", "A", "M", 100 - i) for i in range(8)] + [
        C("w1", "A", "F", 5), C("w2", "A", "F", 4), C("w3", "A", "F", 3),
    ]
    r = apply_women_quota("governorate-list-share", {"A": 8}, people, district="D")
    assert [x.reason for x in r.replacements] == ["2025 list share: floor(8/4)=2"] * 2
    assert r.elected["A"] == ("m0", "m1", "m2", "m3", "m4", "m5", "w1", "w2")
    assert r.women_elected == 2 == r.minimum


def test_list_without_women_candidates_leaves_a_shortfall_and_invents_nobody():
    people = [C(f"m{i}", "A", "M", 100 - i) for i in range(5)]
    r = apply_women_quota("governorate-list-share", {"A": 4}, people, district="D")
    assert r.elected["A"] == ("m0", "m1", "m2", "m3")
    assert (r.replacements, r.women_elected, r.shortfall) == ((), 0, 1)
    assert "no replacement possible" in r.explain()


def test_shortfall_counts_a_list_duty_even_when_another_list_makes_up_the_minimum():
    people = [C(f"a{i}", "A", "M", 100 - i) for i in range(4)] + [
        C("b1", "B", "M", 90), C("b2", "B", "M", 80), C("b3", "B", "M", 70), C("b4", "B", "M", 60),
        C("bw1", "B", "F", 5), C("bw2", "B", "F", 4),
    ]
    r = apply_women_quota("governorate-list-share", {"A": 4, "B": 4}, people, district="D")
    assert r.women_elected == r.minimum == 2
    assert dict(r.required_by_party) == {"A": 1, "B": 2}
    assert r.shortfall == 1


def test_default_minimum_is_ceil_and_half_up_matches_the_published_minima():
    people = [C(f"m{i}", "A", "M", 1000 - i) for i in range(69)] + [
        C(f"w{i}", "A", "F", 30 - i) for i in range(20)
    ]
    r = apply_women_quota("after-every-three-winners", {"A": 69}, people, district="Baghdad")
    assert r.minimum == 18 and r.minimum_basis == "ceil(1/4 × 69) = 18"
    half = apply_women_quota(
        "after-every-three-winners", {"A": 69}, people, district="Baghdad", minimum_rounding="half-up"
    )
    assert half.minimum == 17 and half.women_elected == 17
    given_ = apply_women_quota("after-every-three-winners", {"A": 69}, people, district="B", minimum=17)
    assert given_.minimum == 17 and given_.minimum_basis == "given"


def test_explain_names_the_replacements_and_the_rule():
    text = apply_women_quota(
        "governorate-list-share", {"A": 4}, [
            C("a", "A", "M", 4), C("b", "A", "M", 3), C("c", "A", "M", 2), C("d", "A", "M", 1),
            C("w", "A", "F", 0),
        ], district="Najaf",
    ).explain()
    assert "in Najaf" in text
    assert "A: w replaces d (2025 list share: floor(4/4)=1)" in text
    assert "at least 1 woman (ceil(1/4 × 4) = 1)" in text


# ------------------------------------------------------- women_seats_required


def test_women_seats_required_without_candidates():
    seats = {"A": 9, "B": 5, "C": 2, "D": 1}
    votes = {"A": 90, "B": 50, "C": 20, "D": 10}
    assert women_seats_required("governorate-list-share", seats, party_votes=votes) == {
        "A": 3, "B": 2, "C": 0, "D": 0,
    }
    assert women_seats_required("governorate-list-share", seats, minimum=7, party_votes=votes) == {
        "A": 3, "B": 2, "C": 1, "D": 1,
    }
    # the ceilings (ceil(s/3)) allow 3 + 2 + 1 + 1 = 7 at most: no more is demanded
    assert sum(women_seats_required("governorate-list-share", seats, minimum=9, party_votes=votes).values()) == 7
    assert women_seats_required("after-every-three-winners", seats, party_votes=votes) == {
        "A": 3, "B": 2, "C": 0, "D": 0,
    }
    assert women_seats_required("district-highest-loser", seats) == {}


# ------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("people", "match"),
    [
        ([C("a", "Z", "M", 1)], "unknown party 'Z'"),
        ([C("a", "A", "M", -1)], "negative"),
        ([C("a", "A", "X", 1)], "'F' or 'M'"),
        ([C("a", "A", "M", 1), C("a", "A", "F", 1)], "duplicate candidate name 'a'"),
        ([C("a", "A", "M", True)], "whole number"),
        ([], "has only 0 candidate"),
    ],
)
def test_bad_candidates_are_input_errors(people, match):
    with pytest.raises(InputError, match=match):
        apply_women_quota("governorate-list-share", {"A": 1}, people, district="D")


def test_bad_arguments_are_input_errors():
    one = [C("a", "A", "M", 1)]
    with pytest.raises(InputError, match="float"):
        apply_women_quota("governorate-list-share", {"A": 1}, one, district="D", minimum_share=0.25)
    with pytest.raises(InputError, match="only 1 seats"):
        apply_women_quota("governorate-list-share", {"A": 1}, one, district="D", minimum=2)
    with pytest.raises(InputError, match="no list votes given for B"):
        apply_women_quota("governorate-list-share", {"A": 1, "B": 0}, one, district="D", party_votes={"A": 1})
    with pytest.raises(InputError, match="whole number"):
        apply_women_quota("district-highest-loser", {}, one, district="D", seats="two")
    with pytest.raises(InputError, match="district"):
        apply_women_quota("governorate-list-share", {"A": 1}, one, district="")
    assert apply_women_quota(
        "governorate-list-share", {"A": 1}, one, district="D", minimum_share="1/2"
    ).minimum == 1


# --------------------------------------------------------------- properties


@st.composite
def governorates(draw, closed=False):
    """Lists with seats, candidates with distinct votes (no ties), random genders."""
    n_parties = draw(st.integers(1, 4))
    parties = [f"L{i}" for i in range(n_parties)]
    seats = {p: draw(st.integers(0, 6)) for p in parties}
    sizes = {p: seats[p] + draw(st.integers(0, 4)) for p in parties}
    total = sum(sizes.values())
    votes = draw(st.lists(st.integers(0, 10_000), min_size=total, max_size=total, unique=True))
    list_votes = draw(st.lists(st.integers(0, 10**6), min_size=n_parties, max_size=n_parties, unique=True))
    people, k = [], 0
    for p in parties:
        for place in range(1, sizes[p] + 1):
            gender = draw(st.sampled_from("FM"))
            people.append(Candidate(f"{p}-{place}", p, gender, votes[k], place if closed else None))
            k += 1
    return seats, people, dict(zip(parties, list_votes, strict=True))


def _run(form, data, **kw):
    seats, people, votes = data
    return apply_women_quota(form, seats, people, district="D", party_votes=votes, **kw)


def _ceiling(form, s):
    return -(-s // 3) if form == "governorate-list-share" else s


@pytest.mark.parametrize("form", LIST_FORMS)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_list_forms_keep_seats_swap_men_for_women_of_the_same_list(form, data):
    seats, people, _votes = case = data.draw(governorates(closed=form == "list-order-every-third"))
    r = _run(form, case)
    by_name = {c.name: c for c in people}
    assert {p: len(m) for p, m in r.elected.items()} == seats
    for x in r.replacements:
        assert by_name[x.removed].gender == "M" and by_name[x.added].gender == "F"
        assert by_name[x.removed].party == by_name[x.added].party == x.party
        assert x.added in r.elected[x.party] and x.removed not in r.elected[x.party]
    assert r.women_elected == r.women_by_own_votes + len(r.replacements)
    women = {p: sum(c.gender == "F" for c in people if c.party == p) for p in seats}
    available = sum(min(_ceiling(form, s), women[p]) for p, s in seats.items())
    assert r.women_elected >= min(r.minimum, available)
    if all(women[p] >= s for p, s in seats.items()):
        assert r.women_elected >= r.minimum and r.shortfall == 0
    for p in seats:
        elected_women = sum(by_name[n].gender == "F" for n in r.elected[p])
        assert elected_women >= min(r.required_by_party[p], women[p])


@pytest.mark.parametrize("form", LIST_FORMS)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_relabelling_parties_permutes_the_result(form, data):
    seats, people, votes = data.draw(governorates(closed=form == "list-order-every-third"))
    new = {p: f"X{9 - i}" for i, p in enumerate(seats)}
    renamed = [Candidate(c.name, new[c.party], c.gender, c.votes, c.rank) for c in people]
    a = _run(form, (seats, people, votes))
    b = _run(form, ({new[p]: s for p, s in seats.items()}, renamed, {new[p]: v for p, v in votes.items()}))
    assert {new[p]: m for p, m in a.elected.items()} == dict(b.elected)
    assert {new[p]: n for p, n in a.required_by_party.items()} == dict(b.required_by_party)
    assert sorted((new[x.party], x.removed, x.added) for x in a.replacements) == sorted(
        (x.party, x.removed, x.added) for x in b.replacements
    )
    assert (a.women_elected, a.shortfall, a.minimum) == (b.women_elected, b.shortfall, b.minimum)


@pytest.mark.parametrize("form", LIST_FORMS)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_required_without_candidates_reaches_the_minimum_within_the_seats(form, data):
    seats, _, votes = data.draw(governorates())
    required = women_seats_required(form, seats, party_votes=votes)
    assert set(required) == set(seats)
    assert all(0 <= required[p] <= seats[p] for p in seats)
    total = sum(seats.values())
    assert sum(required.values()) >= -(-total // 4)


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_district_form_keeps_seats_and_replaces_within_the_district(data):
    n_people = data.draw(st.integers(1, 9))
    votes = data.draw(st.lists(st.integers(1, 10_000), min_size=n_people, max_size=n_people, unique=True))
    people = [
        Candidate(f"c{i}", data.draw(st.sampled_from(["P", "Q", "R"])), data.draw(st.sampled_from("FM")), v)
        for i, v in enumerate(votes)
    ]
    n = data.draw(st.integers(0, n_people))
    r = apply_women_quota("district-highest-loser", {}, people, district="D", seats=str(n))
    by_name = {c.name: c for c in people}
    winners = [w for names in r.elected.values() for w in names]
    assert len(winners) == len(set(winners)) == n
    top = sorted(people, key=lambda c: -c.votes)[:n]
    assert len(r.replacements) <= 1
    for x in r.replacements:
        assert by_name[x.removed] in top and by_name[x.added] not in top
        assert by_name[x.removed].gender == "M" and by_name[x.added].gender == "F"
        assert by_name[x.removed] == min(top, key=lambda c: c.votes)
    if n and any(c.gender == "F" for c in people):
        assert r.women_elected >= 1 and r.shortfall == 0
    assert r.women_elected == r.women_by_own_votes + len(r.replacements)
