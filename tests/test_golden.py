"""Golden tests: every district-election the record can recompute reproduces the
official seats exactly. On a mismatch the actual table is written beside the
expected one (tests/_actual/) so the difference is easy to read."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from muhasasa.elections import verify

CHECKS = verify()
COMPUTABLE = [c for c in CHECKS if c.status in ("match", "mismatch")]
ACTUAL = Path(__file__).parent / "_actual"


def write_tables(check) -> Path:
    ACTUAL.mkdir(exist_ok=True)
    path = ACTUAL / f"{check.election}_{check.district.replace(' ', '_')}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["list", "votes", "seats_official", "seats_computed"])
        for party in dict.fromkeys([*check.votes, *check.official]):
            writer.writerow([party, check.votes.get(party), check.official.get(party), check.computed.get(party)])
    return path


@pytest.mark.parametrize("check", COMPUTABLE, ids=[f"{c.election}-{c.district}" for c in COMPUTABLE])
def test_official_seats_are_reproduced(check):
    if check.status != "match":
        pytest.fail(f"{check.detail}; actual beside expected in {write_tables(check)}")
    assert all(check.computed[p] == s for p, s in check.official.items())


@pytest.mark.parametrize(
    ("election", "district"),
    [("2005-01", "Iraq"), ("2018", "Erbil"), ("2018", "Sulaymaniyah"), ("2018", "Dohuk"),
     ("2025", "Erbil"), ("2025", "Sulaymaniyah"), ("2025", "Dohuk"), ("2025", "Dhi Qar"),
     ("2005-12", "National compensatory"), ("2010", "National compensatory"), ("2025", "Kirkuk by community")],
)
def test_required_golden_districts_match(election, district):
    (check,) = [c for c in CHECKS if (c.election, c.district) == (election, district)]
    assert check.status == "match", check.detail


def test_erbil_2025_is_a_knife_edge_and_says_so():
    (check,) = [c for c in CHECKS if (c.election, c.district) == ("2025", "Erbil")]
    last, loser = check.allocation.last_award, check.allocation.best_loser
    assert (last.party, loser.party) == ("puk", "kdp")
    assert int(last.value) == 19_460 and int(loser.value) == 19_427


def test_no_check_claims_more_than_the_data_allows():
    for c in CHECKS:
        if c.status == "insufficient-data":
            assert c.allocation is None and c.detail
        if c.status == "match":
            assert c.official and sum(c.official.values()) <= (c.seats or 0)
