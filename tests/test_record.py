"""The bundled historical record: it loads, it adds up, and bad copies fail precisely."""

from __future__ import annotations

import csv
import shutil
from importlib import resources
from pathlib import Path

import pytest
from pydantic import ValidationError

from muhasasa import packs
from muhasasa.errors import InputError, UnknownNameError
from muhasasa.packs.schema.record import Record

RECORD_DIR = resources.files("muhasasa") / "packs" / "iraq" / "parliament" / "record"
GOVERNORATES = {
    "Baghdad", "Nineveh", "Basra", "Dhi Qar", "Babil", "Sulaymaniyah", "Anbar", "Erbil", "Diyala",
    "Kirkuk", "Salahaddin", "Najaf", "Wasit", "Qadisiyah", "Maysan", "Dohuk", "Karbala", "Muthanna",
}


@pytest.fixture(scope="module")
def rec() -> Record:
    return packs.load().body_record("parliament")


# ----------------------------------------------------------------------------- loading


def test_every_election_loads_in_order(rec: Record) -> None:
    assert rec.election_ids == ("2005-01", "2005-12", "2010", "2014", "2018", "2021", "2025")
    dates = [rec.election(e).date for e in rec.election_ids]
    assert dates == sorted(dates)
    assert rec.election("2025").date.isoformat() == "2025-11-11"


def test_load_record_is_cached_and_read_from_the_package(rec: Record) -> None:
    assert packs.load().body_record("parliament") is rec
    assert packs.load().record() is packs.load().record()
    assert packs.load().record().elections[: len(rec.elections)] == rec.elections
    assert (RECORD_DIR / "README.md").is_file()


def test_results_are_frozen(rec: Record) -> None:
    e = rec.election("2025")
    with pytest.raises(ValidationError):
        e.house_size = 1  # type: ignore[misc]
    with pytest.raises(ValidationError):
        e.lists[0].seats = 0  # type: ignore[misc]


def test_unknown_names_raise(rec: Record) -> None:
    with pytest.raises(UnknownNameError, match="2025"):
        rec.election("2052")
    e = rec.election("2025")
    with pytest.raises(UnknownNameError, match="did you mean 'kdp'"):
        e.list("kpd")
    with pytest.raises(UnknownNameError, match="Baghdad"):
        e.district_votes("Bagdad")
    assert e.district_votes("Anbar") is None  # a known district with nothing itemized


# ----------------------------------------------------------------------------- national totals


@pytest.mark.parametrize(
    ("election", "house", "valid"),
    [("2005-01", 275, 8_456_266), ("2005-12", 275, 12_191_133), ("2010", 325, None),
     ("2014", 328, 11_222_403), ("2018", 329, None), ("2021", 329, None), ("2025", 329, None)],
)
def test_house_size_and_valid_votes(rec: Record, election: str, house: int, valid: int | None) -> None:
    e = rec.election(election)
    assert e.house_size == house
    assert e.general_seats + e.minority_seat_count + e.compensatory_seats == house
    assert e.valid_votes == valid


def test_list_seats_sum_to_the_house_where_complete(rec: Record) -> None:
    for e in rec.elections:
        seats = sum(x.seats for x in e.lists)
        if e.id == "2014":
            assert not e.seats_complete
            assert seats == 278
        else:
            assert e.seats_complete, e.id
            assert seats == e.house_size, e.id
    assert sum(x.seats for x in rec.election("2025").lists) == 329


def test_january_2005_survivors(rec: Record) -> None:
    e = rec.election("2005-01")
    assert len(e.lists) == 12
    assert sum(x.seats for x in e.lists) == 275
    assert sum(x.votes or 0 for x in e.lists) == 8_011_450
    assert e.list("uia").votes == 4_075_295 and e.list("uia").seats == 140
    iraq = e.district_votes("Iraq")
    assert iraq is not None
    assert sum(iraq.itemized_votes.values()) == 8_011_450
    assert iraq.residual_votes == 8_456_266 - 8_011_450


def test_minority_quota_and_independent_rows(rec: Record) -> None:
    q = rec.election("2025").list("minority-quota")
    assert (q.seats, q.community, q.votes) == (9, "minority", None)
    assert "Not a list" in (q.notes or "")
    ind = rec.election("2021").list("independents")
    assert (ind.seats, ind.community) == (43, "independent")
    assert rec.election("2010").list("minority-quota").seats == 8


def test_community_is_labelled_editorial(rec: Record) -> None:
    allowed = {"Shia Arab", "Sunni Arab", "Kurdish", "mixed-secular", "minority", "independent", None}
    for e in rec.elections:
        for x in e.lists:
            assert x.community_basis == "editorial"
            assert x.community in allowed


def test_2025_votes_are_preliminary_and_seats_final(rec: Record) -> None:
    rd = rec.election("2025").list("rd")
    assert (rd.votes, rd.votes_status, rd.seats, rd.status) == (1_317_446, "preliminary", 46, "final")


# ----------------------------------------------------------------------------- seat plans


@pytest.mark.parametrize(
    ("election", "governorate_seats", "compensatory"),
    [("2005-12", 230, 45), ("2010", 310, 7), ("2014", 320, 0), ("2018", 320, 0), ("2021", 320, 0),
     ("2025", 320, 0)],
)
def test_governorate_general_seats(rec: Record, election: str, governorate_seats: int, compensatory: int) -> None:
    e = rec.election(election)
    gov = [d for d in e.districts if d.tier == "governorate"]
    assert {d.district for d in gov} == GOVERNORATES
    assert sum(d.general_seats for d in gov) == governorate_seats
    comp = [d for d in e.districts if d.tier == "national-compensatory"]
    assert sum(d.general_seats for d in comp) == compensatory
    if compensatory:
        assert [d.district for d in comp] == ["National compensatory"]
    assert sum(d.general_seats + d.minority_seats for d in e.districts) == e.house_size


def test_january_2005_is_one_national_district(rec: Record) -> None:
    (d,) = rec.election("2005-01").districts
    assert (d.district, d.tier, d.general_seats, d.minority_seats) == ("Iraq", "national", 275, 0)


def test_women_minimum_2025(rec: Record) -> None:
    e = rec.election("2025")
    assert e.district("Baghdad").women_minimum == 17
    assert e.district("Dhi Qar").women_minimum == 5
    assert e.district("Qadisiyah").women_minimum is None


def test_2021_subdistricts(rec: Record) -> None:
    e = rec.election("2021")
    assert len(e.subdistricts) == 83
    basra1 = next(s for s in e.subdistricts if (s.governorate, s.district_no) == ("Basra", 1))
    assert basra1.seats == 5
    assert sum(1 for s in e.subdistricts if s.governorate == "Baghdad") == 17


# ----------------------------------------------------------------------------- governorate results

KURDISH_2025 = {
    "Erbil": (
        {"kdp": 369_118, "puk": 97_301, "halwest": 63_288, "ngm": 38_911, "kiu": 28_650,
         "komal": 13_772, "peoples-front": 5_584, "itf": 1_811, "ksdp": 762},
        {"kdp": 9, "puk": 3, "halwest": 2, "ngm": 1, "kiu": 0, "komal": 0, "peoples-front": 0,
         "itf": 0, "ksdp": 0},
    ),
    "Sulaymaniyah": (
        {"puk": 240_899, "halwest": 75_330, "ngm": 69_752, "kdp": 68_596, "kiu": 65_295,
         "komal": 34_557, "peoples-front": 10_921, "ksdp": 4_818, "itf": 580},
        {"puk": 8, "halwest": 3, "ngm": 2, "kdp": 2, "kiu": 2, "komal": 1, "peoples-front": 0,
         "ksdp": 0, "itf": 0},
    ),
    "Dohuk": (
        {"kdp": 413_698, "kiu": 72_959, "halwest": 18_314, "ngm": 14_671, "peoples-front": 2_788,
         "puk": 2_423, "komal": 1_419, "ksdp": 295},
        {"kdp": 9, "kiu": 2, "halwest": 0, "ngm": 0, "peoples-front": 0, "puk": 0, "komal": 0,
         "ksdp": 0},
    ),
}


@pytest.mark.parametrize("governorate", sorted(KURDISH_2025))
def test_kurdish_governorates_2025(rec: Record, governorate: str) -> None:
    votes, seats = KURDISH_2025[governorate]
    dv = rec.election("2025").district_votes(governorate)
    assert dv is not None
    assert dv.itemized_votes == votes
    assert dv.official_seats == seats
    assert dv.official_seats_complete
    assert sum(seats.values()) == dv.general_seats
    assert dv.valid_votes is None and dv.residual_votes is None


def test_dhi_qar_2025_residual(rec: Record) -> None:
    dv = rec.election("2025").district_votes("Dhi Qar")
    assert dv is not None
    assert (dv.valid_votes, dv.votes_cast, dv.registered) == (513_087, 538_390, 1_099_438)
    assert sum(dv.itemized_votes.values()) == 464_495
    assert dv.residual_votes == 48_592
    assert dv.itemization == "seat-winners"
    assert dv.official_seats_complete
    assert dv.official_seats == {
        "rd": 3, "sol": 3, "sadiqoun": 3, "nsf": 2, "badr": 2, "sumeriyoun": 1,
        "khadamat": 1, "abshir": 1, "ishraqat": 1, "state-support": 1, "huqooq": 1,
    }
    assert dv.row("state-support").votes == 21_615


def test_governorate_slugs_match_national_lists(rec: Record) -> None:
    e18 = rec.election("2018")
    komal = e18.district_votes("Sulaymaniyah").row("kig")  # type: ignore[union-attr]
    assert komal.name_en == "Komal (KIG)" and komal.votes == 49_343
    assert rec.list_name("2018", "kig") == "Kurdistan Islamic Group"
    assert e18.district_votes("Erbil").row("cdj").votes == 49_266  # type: ignore[union-attr]
    assert rec.list_name("2018", "cdj") == "Coalition for Democracy and Justice"
    e25 = rec.election("2025")
    assert e25.district_votes("Erbil").row("kdp").name_en == "KDP"  # type: ignore[union-attr]
    assert e25.list("kdp").name_en == "Kurdistan Democratic Party"
    assert rec.list_name("2025", "peoples-front") == "People's Front"
    with pytest.raises(UnknownNameError):
        e25.list("peoples-front")  # a governorate-only list has no national row
    for e in rec.elections:
        national = {x.list_id: x for x in e.lists}
        for dv in e.district_results:
            for r in dv.rows:
                if r.list_id in national:
                    assert r.name_en in national[r.list_id].names or r.name_ar in national[r.list_id].names


def test_official_seats_within_district_and_list(rec: Record) -> None:
    for e in rec.elections:
        for dv in e.district_results:
            assert sum(dv.official_seats.values()) <= dv.general_seats
            assert dv.official_seats_complete == (sum(dv.official_seats.values()) == dv.general_seats)
            if dv.valid_votes is not None:
                assert dv.residual_votes is not None and dv.residual_votes >= 0


def test_district_coverage(rec: Record) -> None:
    e10 = rec.election("2010")
    assert {dv.district for dv in e10.district_results} == GOVERNORATES | {"National compensatory"}
    assert e10.district_votes("Kirkuk").official_seats == {  # type: ignore[union-attr]
        "iraqiya": 6, "kurdistan-list": 6, "gorran": 0, "kiu": 0, "tawafuq": 0, "ina": 0, "sol": 0, "kig": 0}
    baghdad05 = rec.election("2005-12").district_votes("Baghdad")
    assert baghdad05 is not None and sum(baghdad05.official_seats.values()) == 59
    assert rec.election("2021").district_results == ()
    baghdad25 = rec.election("2025").district_votes("Baghdad")
    assert baghdad25 is not None and baghdad25.official_seats_complete
    assert baghdad25.row("abshir").votes is None and baghdad25.row("abshir").seats_official == 1


def test_minority_seats(rec: Record) -> None:
    assert rec.election("2005-01").minority_seats == ()
    assert rec.election("2005-12").minority_seats == ()
    for eid, scope in (("2010", "national"), ("2014", "unknown"), ("2018", "unknown"),
                       ("2021", "national"), ("2025", "governorate")):
        e = rec.election(eid)
        christians = [m for m in e.minority_seats if m.community == "Christian"]
        assert {m.governorate for m in christians} == {"Baghdad", "Nineveh", "Kirkuk", "Dohuk", "Erbil"}
        assert {m.constituency for m in christians} == {scope}
        assert sum(m.seats for m in e.minority_seats) == e.minority_seat_count
    feyli = [m for m in rec.election("2018").minority_seats if m.community == "Feyli Kurd"]
    assert [(m.governorate, m.seats) for m in feyli] == [("Wasit", 1)]
    assert not any(m.community == "Feyli Kurd" for m in rec.election("2014").minority_seats)


def test_candidates(rec: Record) -> None:
    c21 = rec.election("2021").candidates
    assert len(c21) == 10
    jabru = next(c for c in c21 if c.candidate == "Evan Faiek Jabru")
    assert (jabru.votes, jabru.elected, jabru.list_id, jabru.gender) == (12_989, True, "babylon", None)


def test_every_row_has_a_source(rec: Record) -> None:
    def rows():
        for e in rec.elections:
            yield e
            yield from e.lists
            yield from e.districts
            yield from e.minority_seats
            yield from e.candidates
            yield from e.subdistricts
            yield from e.conflicts
            for dv in e.district_results:
                yield dv
                yield from dv.rows

    count = 0
    for row in rows():
        assert row.source.strip(), row
        assert "http" in row.source, row
        count += 1
    assert count > 900


# ----------------------------------------------------------------------------- bad input


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "record"
    target.mkdir()
    for entry in RECORD_DIR.iterdir():
        if entry.name.endswith((".csv", ".md")):
            (target / entry.name).write_bytes(entry.read_bytes())
    return target


def _edit(path: Path, change) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows = change(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def _line_of(path: Path, **match: str) -> tuple[int, list[list[str]]]:
    """CSV line number (header = 1) of the first row matching ``match``."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    for i, row in enumerate(rows[1:], start=2):
        if all(row[header.index(k)] == v for k, v in match.items()):
            return i, rows
    raise AssertionError(match)


def _set(path: Path, column: str, value: str, **match: str) -> int:
    line, _ = _line_of(path, **match)

    def change(rows):
        rows[line - 1][rows[0].index(column)] = value
        return rows

    _edit(path, change)
    return line


def _fails(directory: Path, source: str, line: int | None, field: str) -> InputError:
    with pytest.raises(InputError) as info:
        packs.load().record_from(directory)
    err = info.value
    assert (Path(err.source).name, err.line, err.field) == (source, line, field), str(err)
    assert str(err).startswith(str(directory / source)), str(err)
    where = f"{source}, line {line}, field {field}" if line else f"{source}, field {field}"
    assert where in str(err), str(err)
    return err


def test_a_clean_copy_loads(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    assert packs.load().record_from(copy).election_ids == packs.load().body_record("parliament").election_ids


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    path = copy / "lists.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert packs.load().record_from(copy).election("2025").list("kdp").seats == 26


def test_missing_column(tmp_path: Path) -> None:
    copy = _copy(tmp_path)

    def drop_votes(rows):
        i = rows[0].index("votes")
        return [r[:i] + r[i + 1:] for r in rows]

    _edit(copy / "lists.csv", drop_votes)
    err = _fails(copy, "lists.csv", 1, "votes")
    assert "missing required column" in str(err)


def test_missing_file(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    (copy / "districts.csv").unlink()
    with pytest.raises(InputError, match="has no districts.csv"):
        packs.load().record_from(copy)


def test_unknown_column(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    _edit(copy / "lists.csv", lambda rows: [r + (["seatz"] if i == 0 else [""]) for i, r in enumerate(rows)])
    err = _fails(copy, "lists.csv", 1, "seatz")
    assert "did you mean 'seats'" in str(err)


def test_negative_votes(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    line = _set(copy / "district_votes.csv", "votes", "-369118", election="2025", district="Erbil", list_id="kdp")
    err = _fails(copy, "district_votes.csv", line, "votes")
    assert "negative" in str(err)


@pytest.mark.parametrize("bad", ["369118.0", "369,118", "3.7e5", "many"])
def test_non_integer_votes(tmp_path: Path, bad: str) -> None:
    copy = _copy(tmp_path)
    line = _set(copy / "lists.csv", "votes", bad, election="2025", list_id="kdp")
    err = _fails(copy, "lists.csv", line, "votes")
    assert "not a whole number" in str(err)


def test_duplicated_list(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    line, rows = _line_of(copy / "lists.csv", election="2018", list_id="kig")

    def duplicate(rows):
        return rows + [rows[line - 1]]

    _edit(copy / "lists.csv", duplicate)
    err = _fails(copy, "lists.csv", len(rows) + 1, "list_id")
    assert f"first at line {line}" in str(err)


def test_duplicated_district_row(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    line, rows = _line_of(copy / "district_votes.csv", election="2025", district="Dohuk", list_id="puk")
    _edit(copy / "district_votes.csv", lambda rows: rows + [rows[line - 1]])
    _fails(copy, "district_votes.csv", len(rows) + 1, "list_id")


def test_unknown_district(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    line = _set(copy / "district_votes.csv", "district", "Arbil", election="2025", district="Erbil", list_id="ngm")
    err = _fails(copy, "district_votes.csv", line, "district")
    assert "unknown district 'Arbil'" in str(err)


def test_slug_naming_another_list(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    line = _set(copy / "district_votes.csv", "list_id", "badr", election="2025", district="Erbil", list_id="ngm")
    err = _fails(copy, "district_votes.csv", line, "list_id")
    assert "'Badr Organization' in lists.csv" in str(err)


def test_lists_not_adding_up_to_the_house(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    _set(copy / "lists.csv", "seats", "25", election="2025", list_id="kdp")
    line, _ = _line_of(copy / "elections.csv", election="2025")
    err = _fails(copy, "elections.csv", line, "seats_complete")
    assert "sum to 328, not the house size 329" in str(err)


def test_official_seats_exceed_the_district(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    _set(copy / "district_votes.csv", "seats_official", "1", election="2025", district="Dohuk",
         list_id="peoples-front")
    last, _ = _line_of(copy / "district_votes.csv", election="2025", district="Dohuk", list_id="ksdp")
    err = _fails(copy, "district_votes.csv", last, "seats_official")
    assert "sum to 12, more than its 11 general seats" in str(err)


def test_official_seats_exceed_the_national_seats(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    _set(copy / "district_votes.csv", "seats_official", "1", election="2025", district="Dohuk", list_id="ngm")
    # reported at the last row of the list that carries seats (Sulaymaniyah sorts after Dohuk)
    last, _ = _line_of(copy / "district_votes.csv", election="2025", district="Sulaymaniyah", list_id="ngm")
    err = _fails(copy, "district_votes.csv", last, "seats_official")
    assert "'ngm' in 2025 sum to 4, more than its 3 national seats" in str(err)


def test_completeness_flag_must_match_the_seats(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    line = _set(copy / "district_totals.csv", "official_seats_complete", "no", election="2025", district="Erbil")
    _fails(copy, "district_totals.csv", line, "official_seats_complete")


def test_house_arithmetic(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    line = _set(copy / "elections.csv", "minority_seats", "8", election="2018")
    _fails(copy, "elections.csv", line, "house_size")


def test_itemized_votes_exceed_the_valid_total(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    # 80,892 + the 48,592 residual is exactly the valid total; one vote more is too many
    _set(copy / "district_votes.csv", "votes", str(80_892 + 48_592 + 1), election="2025", district="Dhi Qar",
         list_id="rd")
    line, _ = _line_of(copy / "district_totals.csv", election="2025", district="Dhi Qar")
    err = _fails(copy, "district_totals.csv", line, "valid_votes")
    assert "more than the valid total 513087" in str(err)


def test_empty_source(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    line = _set(copy / "minority_seats.csv", "source", " ", election="2018", community="Feyli Kurd")
    _fails(copy, "minority_seats.csv", line, "source")


def test_unknown_community(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    line = _set(copy / "lists.csv", "community", "Shia", election="2025", list_id="badr")
    _fails(copy, "lists.csv", line, "community")


def test_tampered_copy_does_not_touch_the_bundle(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    shutil.rmtree(copy)
    assert packs.load().record().election("2025").list("kdp").seats == 26


# ----------------------------------------------------------------------------- Arabic names


def test_every_list_has_an_arabic_name_with_its_basis(rec: Record) -> None:
    rows = [x for e in rec.elections for x in e.lists]
    assert all(x.name_ar and x.name_ar_basis for x in rows)
    basis = {b: sum(1 for x in rows if x.name_ar_basis == b) for b in ("printed", "common", "ours")}
    assert basis == {"printed": 112, "common": 26, "ours": 21}
    for x in rows:
        if x.name_ar_basis == "ours":
            assert x.name_ar_source is None and "no Arabic source" in (x.notes or ""), x.list_id
        else:
            assert all(u.startswith(("http://", "https://")) for u in x.name_ar_source.split(" ; ")), x.list_id
    assert rec.election("2021").list("sadrists").name_ar == "الكتلة الصدرية"


def test_contradicted_names_are_conflict_rows(rec: Record) -> None:
    named = [c for c in rec.conflicts if "names dossier" in (c.notes or "")]
    assert len(named) == 13
    assert {c.election for c in named} == {"2010", "2018", "2021", "2025"}


def test_every_bloc_has_an_arabic_name() -> None:
    maps = packs.load().bloc_maps()
    blocs = [b for m in maps for b in m.blocs]
    assert blocs and all(b.name_ar for b in blocs)
    assert {b.name_ar for b in blocs if b.id == "coordination-framework"} == {"الإطار التنسيقي"}


@pytest.mark.parametrize(("basis", "source", "field"), [
    ("", "", "name_ar_basis"),
    ("printed", "", "name_ar_source"),
    ("ours", "https://example.org/a", "name_ar_source"),
])
def test_arabic_name_basis_is_checked(tmp_path: Path, basis: str, source: str, field: str) -> None:
    copy = _copy(tmp_path)
    line = _set(copy / "lists.csv", "name_ar_basis", basis, election="2021", list_id="sadrists")
    _set(copy / "lists.csv", "name_ar_source", source, election="2021", list_id="sadrists")
    _fails(copy, "lists.csv", line, field)


def test_a_basis_without_a_name_is_refused(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    line = _set(copy / "lists.csv", "name_ar", "", election="2021", list_id="sadrists")
    _fails(copy, "lists.csv", line, "name_ar")
