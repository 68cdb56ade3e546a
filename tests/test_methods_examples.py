"""Published worked examples of each method, and the explanations they give."""

from __future__ import annotations

from fractions import Fraction

import pytest

from muhasasa import InputError, UnknownNameError, allocate

# The textbook example (Wikipedia, "D'Hondt method" and "Sainte-Laguë method"):
# 230,000 votes, 8 seats.
TEXTBOOK = {"A": 100_000, "B": 80_000, "C": 30_000, "D": 20_000}


def test_dhondt_textbook():
    assert dict(allocate(TEXTBOOK, 8, method="dhondt").seats) == {"A": 4, "B": 3, "C": 1, "D": 0}


def test_sainte_lague_textbook():
    assert dict(allocate(TEXTBOOK, 8, method="sainte-lague").seats) == {"A": 3, "B": 3, "C": 1, "D": 1}


def test_modified_sainte_lague_prices_only_the_first_seat_at_1_7():
    # Iraq's law: divisors 1.7, 3, 5, 7 ... ; poli-sci-kit prices later seats off 1.7 too
    # and gives 3, 3, 2, 0 here (see tests/test_against_other_packages.py).
    result = allocate(TEXTBOOK, 8, method="sainte-lague-modified", first_divisor="1.7")
    assert dict(result.seats) == {"A": 4, "B": 3, "C": 1, "D": 0}
    assert result.last_award.party == "A"
    assert result.last_award.value == Fraction(100_000, 7)
    assert result.best_loser.party == "D" and result.best_loser.value == Fraction(200_000, 17)


def test_largest_remainder_hare_and_droop_textbook():
    # Wikipedia, "Largest remainder method": 100,000 votes, 10 seats.
    votes = {"A": 47_000, "B": 16_000, "C": 15_800, "D": 12_000, "E": 6_100, "F": 3_100}
    hare = allocate(votes, 10, method="largest-remainder", quota="hare")
    assert dict(hare.seats) == {"A": 5, "B": 2, "C": 1, "D": 1, "E": 1, "F": 0}
    assert hare.quota == 10_000
    droop = allocate(votes, 10, method="largest-remainder", quota="droop")
    assert dict(droop.seats) == {"A": 5, "B": 2, "C": 2, "D": 1, "E": 0, "F": 0}
    assert droop.quota == 9_091


def test_january_2005_threshold_then_quota_on_survivors():
    # IEC, February 2005: threshold 8,456,266 / 275 = 30,750.06 votes; 12 lists survive
    # with 8,011,450 votes; quota 29,132.55; 4 leftover seats by largest remainder.
    survivors = {
        "UIA": 4_075_295, "Kurdistan Alliance": 2_175_551, "Iraqi List": 1_168_943,
        "Iraqiyun": 150_680, "Turkmen Front": 93_480, "Elites and Cadres": 69_938,
        "People's Union": 69_920, "Islamic Kurdish Society": 60_592,
        "Islamic Labour": 43_205, "National Democratic Alliance": 36_795,
        "Rafidain": 36_255, "Reconciliation and Liberation": 30_796,
    }
    below = {"Small list": 30_750}  # one vote under the threshold of 30,750.06
    result = allocate(
        {**survivors, **below}, 275, method="largest-remainder", threshold="1 quota",
        quota_base="eligible", residual_votes=8_456_266 - sum(survivors.values()) - 30_750,
    )
    assert result.threshold == Fraction(8_456_266, 275)
    assert result.quota == Fraction(8_011_450, 275)
    assert result.excluded == ("Small list",)
    assert [result.seats[p] for p in survivors] == [140, 75, 40, 5, 3, 3, 2, 2, 2, 1, 1, 1]
    assert sum(a.basis == "remainder" for a in result.awards) == 4


def test_sntv_highest_personal_votes_win():
    votes = {"Hana": 9_000, "Ali": 12_000, "Omar": 4_000, "Zainab": 8_500, "Karim": 8_499}
    result = allocate(votes, 3, method="sntv")
    assert dict(result.seats) == {"Hana": 1, "Ali": 1, "Omar": 0, "Zainab": 1, "Karim": 0}
    assert result.best_loser.party == "Karim" and result.margin == 1


def test_2010_leftover_seats_only_to_seat_winners_in_proportion():
    # Threshold one quota (1,000 votes): D is out; 9 full quotas; the 10th seat goes to
    # the seat winners in proportion to votes, i.e. to A.
    votes = {"A": 5_000, "B": 3_000, "C": 1_200, "D": 800}
    result = allocate(votes, 10, method="largest-remainder", threshold="1 quota",
                      leftover="seat-winners-proportional")
    assert dict(result.seats) == {"A": 6, "B": 3, "C": 1, "D": 0}
    plain = allocate(votes, 10, method="largest-remainder")
    assert dict(plain.seats) == {"A": 5, "B": 3, "C": 1, "D": 1}


def test_percentage_threshold_and_highest_averages_with_given_divisors():
    result = allocate(TEXTBOOK, 8, method="highest-averages", divisors="1.4,3,5", threshold="10%")
    assert result.excluded == ("D",)
    assert result.seats["D"] == 0 and sum(result.seats.values()) == 8


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "sainte-lague-modifed"}, "did you mean 'sainte-lague-modified'"),
        ({"first_divisor": 1.7}, "give it as text"),
        ({"first_divisor": "4"}, "between 0 and 3"),
        ({"frist_divisor": "1.7"}, "did you mean 'first_divisor'"),
        ({"threshold": "-5"}, "cannot be negative"),
        ({"threshold": "100%", "n_seats": 5}, "cannot be filled"),
    ],
)
def test_bad_arguments_get_clear_errors(kwargs, message):
    kwargs = {"method": "sainte-lague-modified", "n_seats": 8, **kwargs}
    with pytest.raises((InputError, UnknownNameError), match=message):
        allocate({"A": 10, "B": 5}, **kwargs)


@pytest.mark.parametrize("votes", [{"A": -1}, {"A": 1.5}, {"A": True}, {"": 3}])
def test_bad_votes_are_refused(votes):
    with pytest.raises(InputError):
        allocate(votes, 2)


def test_explanation_names_last_seat_margin_and_ties():
    text = allocate(TEXTBOOK, 8, first_divisor="1.7").explain()
    assert "last seat: seat 8: A" in text and "best loser: D" in text and "margin" in text
    tied = allocate({"A": 10, "B": 10}, 1, method="dhondt", tie_break="lot", seed=3)
    assert "settled by lot (seed 3)" in tied.explain()
