"""The record checks beyond the districts: a law's compensatory tier and a source's seats
for groups of lists (a community's seats in a governorate), each a check of its own, and
the counts per body and election."""

from __future__ import annotations

import csv
import shutil
from importlib import resources
from pathlib import Path

import pytest

from muhasasa import elections, packs
from muhasasa.errors import InputError

PACK = resources.files("muhasasa") / "packs" / "iraq"


def _copy_pack(tmp_path: Path) -> Path:
    target = tmp_path / "iraq"
    with resources.as_file(PACK) as source:
        shutil.copytree(source, target)
    return target


def _edit(path: Path, change) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    header = list(rows[0])
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _check(checks, election: str, kind: str):
    (found,) = [c for c in checks if c.election == election and c.kind == kind]
    return found


@pytest.fixture(scope="module")
def checks():
    return elections.verify()


def test_december_2005_compensatory_tier_is_reproduced(checks):
    tier = _check(checks, "2005-12", "compensatory")
    assert tier.status == "match", tier.detail
    assert dict(tier.official) == {"uia": 19, "risalyun": 1, "rafidain": 1, "kurdistan-alliance": 10,
                                   "tawafuq": 7, "inl": 4, "hewar": 2, "kiu": 1, "reconciliation-liberation": 0,
                                   "itf": 0, "alusi": 0, "ymrp": 0}
    assert dict(tier.extra_seats) == {"rafidain": 1}  # the first phase: no governorate seat, one national quota
    assert sum(tier.allocation.seats.values()) == 44 and tier.allocation.quota is not None
    assert {k: v for k, v in tier.computed.items() if v} == {k: v for k, v in tier.official.items() if v}
    assert tier.assumptions == ("compensatory-2005-12",)


def test_2010_compensatory_tier_says_its_seats_are_derived(checks):
    tier = _check(checks, "2010", "compensatory")
    assert tier.status == "match" and "DERIVED" in tier.detail


def test_kirkuk_2025_seats_by_community(checks):
    split = _check(checks, "2025", "groups")
    assert split.district == "Kirkuk by community" and split.status == "match", split.detail
    assert dict(split.computed) == {"Kurdish": 5, "Arab": 5, "Turkmen": 2} == dict(split.official)
    assert "editorial" in split.detail


def test_a_changed_compensatory_seat_is_a_mismatch(tmp_path):
    root = _copy_pack(tmp_path)
    record = root / "parliament" / "record"

    def move(rows):
        for r in rows:
            if (r["election"], r["district"]) == ("2005-12", "National compensatory"):
                if r["list_id"] == "uia":
                    r["seats_official"] = "18"
                if r["list_id"] == "reconciliation-liberation":
                    r["seats_official"] = "1"

    _edit(record / "district_votes.csv", move)
    tier = _check(elections.verify(pack=root, body="parliament"), "2005-12", "compensatory")
    assert tier.status == "mismatch"
    assert {(d.list_id, d.official, d.computed) for d in tier.differences} == {
        ("uia", 18, 19), ("reconciliation-liberation", 1, 0)}


def test_an_incomplete_compensatory_tier_is_insufficient(tmp_path):
    root = _copy_pack(tmp_path)
    record = root / "parliament" / "record"

    def drop_uia(rows):
        rows[:] = [r for r in rows
                   if (r["election"], r["district"], r["list_id"]) != ("2005-12", "National compensatory", "uia")]

    _edit(record / "district_votes.csv", drop_uia)
    _edit(record / "district_totals.csv", lambda rows: [
        r.update(official_seats_complete="no") for r in rows
        if (r["election"], r["district"]) == ("2005-12", "National compensatory")])
    tier = _check(elections.verify(pack=root, body="parliament"), "2005-12", "compensatory")
    assert tier.status == "insufficient-data" and "compensatory seats" in tier.detail
    assert tier.allocation is None


def test_a_changed_community_count_is_a_mismatch(tmp_path):
    root = _copy_pack(tmp_path)

    def change(rows):
        for r in rows:
            r["seats"] = {"Kurdish": "6", "Arab": "4"}.get(r["group"], r["seats"])

    _edit(root / "parliament" / "record" / "group_seats.csv", change)
    split = _check(elections.verify(pack=root, body="parliament"), "2025", "groups")
    assert split.status == "mismatch"
    assert {(d.list_id, d.official, d.computed) for d in split.differences} == {("Kurdish", 6, 5), ("Arab", 4, 5)}


def test_a_seated_list_outside_every_group_is_insufficient(tmp_path):
    root = _copy_pack(tmp_path)

    def drop_azm(rows):
        for r in rows:
            r["lists"] = r["lists"].replace(" | azm", "")

    _edit(root / "parliament" / "record" / "group_seats.csv", drop_azm)
    split = _check(elections.verify(pack=root, body="parliament"), "2025", "groups")
    assert split.status == "insufficient-data" and "azm" in split.detail


@pytest.mark.parametrize(("lists", "seats", "problem"), [
    ("puk | nobody", "5", "has no row"),
    ("puk | taqaddum", "5", "already in group"),
    ("puk", "13", "more than its 12 general seats"),
])
def test_bad_group_rows_are_refused(tmp_path, lists, seats, problem):
    root = _copy_pack(tmp_path)

    def change(rows):
        rows[0]["lists"], rows[0]["seats"] = lists, seats

    _edit(root / "parliament" / "record" / "group_seats.csv", change)
    with pytest.raises(InputError) as info:
        packs.load(root).record()
    assert problem in str(info.value) and info.value.line in (2, 3, 4), str(info.value)


def test_counts_per_body_and_election(checks):
    counts = {(c.body, c.election): dict(c.counts) for c in elections.verify_counts(checks)}
    assert sum(c["match"] for c in counts.values()) == sum(1 for c in checks if c.status == "match")
    assert counts[("parliament", "2005-12")]["match"] == 1
    assert counts[("parliament", "2025")]["match"] == 5
    assert all(c["mismatch"] == 0 for c in counts.values())
    assert sum(sum(c.values()) for c in counts.values()) == len(checks)


def test_counts_of_one_body_only():
    counts = elections.verify_counts(body="parliament")
    assert counts and {c.body for c in counts} == {"parliament"}


def test_the_first_phase_of_the_tier_acts(tmp_path):
    root = _copy_pack(tmp_path)
    law = root / "parliament" / "laws" / "2005-12.toml"
    law.write_text(law.read_text(encoding="utf-8").replace('first_phase = "unseated-national-quota"\n', ""),
                   encoding="utf-8")
    tier = _check(elections.verify(pack=root, body="parliament"), "2005-12", "compensatory")
    assert tier.status == "mismatch" and not tier.extra_seats
    assert ("rafidain", 1, 0) in {(d.list_id, d.official, d.computed) for d in tier.differences}
