"""muhasasa beside the PyPI packages `apportionment` and `poli-sci-kit` (dev extra)."""

from __future__ import annotations

import pytest
from apportionment import methods as apportionment
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from poli_sci_kit.appointment.methods import highest_averages as psk_highest_averages

from muhasasa import allocate

LAW_CASE = {"A": 100_000, "B": 80_000, "C": 30_000, "D": 20_000}


def test_poli_sci_kit_prices_every_early_seat_off_1_7_unlike_the_law():
    # Iraq's law divides by 1.7 for a list's FIRST seat only, then 3, 5, 7, ...
    law = allocate(LAW_CASE, 8, method="sainte-lague-modified", first_divisor="1.7")
    assert list(law.seats.values()) == [4, 3, 1, 0]
    # poli-sci-kit 1.x keeps dividing by the modifier while a list holds one seat:
    assert list(psk_highest_averages("Webster", list(LAW_CASE.values()), 8, modifier=1.7)) == [3, 3, 2, 0]


@pytest.mark.parametrize(("ours", "theirs"), [("dhondt", "dhondt"), ("sainte-lague", "saintelague")])
@given(votes=st.lists(st.integers(1, 5_000_000), min_size=2, max_size=30), n=st.integers(1, 329))
@settings(max_examples=60, deadline=None)
def test_identical_to_apportionment_when_there_is_no_tie(ours, theirs, votes, n):
    named = {f"L{i:02d}": v for i, v in enumerate(votes)}
    result = allocate(named, n, method=ours, tie_break="lot", seed=0)
    assume(not result.ties)
    expected = apportionment.compute(theirs, votes, n, fractions=True, verbose=False)
    assert list(result.seats.values()) == list(expected)
