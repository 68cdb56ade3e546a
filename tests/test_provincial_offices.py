"""The provincial councils' formation record (``provincial/formation/offices.csv``): the
governors and council chairs chosen after the 2023 vote, dated and sourced, checked against
the record, and the strict loader that refuses a wrong row at its line and column."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

import muhasasa
from muhasasa import packs
from muhasasa.cli import cli
from muhasasa.errors import InputError
from muhasasa.packs.schema.offices import days_to_fill, first_chosen, load_offices_bytes

IRAQ = packs.load("iraq")
ROWS = IRAQ.office_holders("provincial")
ELECTION = IRAQ.election("pc-2023")
FILE = IRAQ.body("provincial").file("formation", "offices.csv")
assert FILE is not None
HEADER, *LINES = FILE[1].decode("utf-8").splitlines()


def test_every_row_is_sourced_and_names_a_governorate_and_list_of_the_record():
    districts = {d.district for d in ELECTION.districts}
    lists = {x.list_id for x in ELECTION.lists}
    assert len(ROWS) == 51
    for r in ROWS:
        assert r.source and all(s.startswith("http") for s in r.source)
        assert r.district in districts and (r.list_id is None or r.list_id in lists)
        assert r.date is not None or r.date_note


def test_fourteen_governorates_have_their_first_governor_and_muthanna_is_a_gap():
    governors = first_chosen(ROWS, "governor")
    assert set(governors) == {d.district for d in ELECTION.districts} - {"Muthanna"}
    assert governors["Kirkuk"].name == "Rebwar Taha" and governors["Kirkuk"].list_id == "kirkuk-strength"
    assert governors["Basra"].name == "Asaad al-Eidani" and governors["Qadisiyah"].status == "elected"


def test_the_bargaining_took_days_the_dates_give():
    days = days_to_fill(ROWS, "governor", ELECTION.date)
    assert days["Kirkuk"] == (dt.date(2024, 8, 10) - dt.date(2023, 12, 18)).days == 236
    assert days["Diyala"] == 227
    first_round = {d for d, n in days.items() if n <= 51}
    assert first_round == {"Baghdad", "Basra", "Anbar", "Wasit", "Najaf", "Karbala", "Salahaddin", "Nineveh",
                           "Qadisiyah"}
    assert set(days) == first_round | {"Kirkuk", "Diyala"}  # Babil, Dhi Qar, Maysan: day not in the sources


def test_kirkuk_and_diyala_chairs_were_chosen_in_the_same_session_as_their_governors():
    chairs, governors = first_chosen(ROWS, "council-chair"), first_chosen(ROWS, "governor")
    for district in ("Kirkuk", "Diyala", "Baghdad", "Basra", "Anbar", "Najaf"):
        assert chairs[district].date == governors[district].date


def tampered(old: str, new: str) -> bytes:
    text = FILE[1].decode("utf-8")
    assert old in text, old
    return text.replace(old, new, 1).encode("utf-8")


ELECTIONS = {"pc-2023": ELECTION}


@pytest.mark.parametrize(("old", "new", "field", "words"), [
    ("pc-2023,Kirkuk,governor", "pc-2023,Kirkk,governor", "district", "did you mean 'Kirkuk'"),
    ("pc-2023,Kirkuk,governor", "pc-2024,Kirkuk,governor", "election", "unknown election"),
    (",kirkuk-strength,2024-08-10", ",kirkuk-strenght,2024-08-10", "list_id", "did you mean 'kirkuk-strength'"),
    (",kirkuk-strength,2024-08-10", ",kirkuk-strength,2023-08-10", "date", "before election pc-2023"),
    (",kirkuk-strength,2024-08-10", ",kirkuk-strength,", "date_note", "no date"),
    (",kirkuk-strength,2024-08-10,", ",kirkuk-strength,10/08/2024,", "date", "not a date"),
    (",elected,https://www.shafaq.com/en/Iraq/Kirkuk-governor", ",elcted,https://www.shafaq.com/en/Iraq/Kirkuk-governor",
     "status", "did you mean 'elected'"),
    (",elected,https://www.shafaq.com/en/Iraq/Kirkuk-governor", ",elected,shafaq.com/en/Iraq/Kirkuk-governor",
     "source", "not a web address"),
])
def test_a_wrong_row_is_refused_at_its_line_and_column(old, new, field, words):
    with pytest.raises(InputError) as info:
        load_offices_bytes(tampered(old, new), "offices.csv", ELECTIONS)
    assert info.value.field == field and words in str(info.value)
    assert info.value.line == 1 + next(i for i, line in enumerate(LINES, 1) if ",Kirkuk,governor," in line)


def test_a_row_named_twice_is_refused():
    line = next(x for x in LINES if ",Kirkuk,governor," in x)
    with pytest.raises(InputError, match="already at line") as info:
        load_offices_bytes(FILE[1] + (line + "\n").encode("utf-8"), "offices.csv", ELECTIONS)
    assert info.value.field == "name" and info.value.line == len(LINES) + 2


def test_the_api_and_the_command_narrow_and_refuse_by_field():
    rows = muhasasa.office_holders("provincial", district="Kirkuk", office="governor")
    assert [(r["name"], r["date"]) for r in rows] == [("Rebwar Taha", "2024-08-10")]
    assert len(muhasasa.office_holders()) == len(ROWS)  # only the provincial councils keep such a record
    with pytest.raises(InputError) as info:
        muhasasa.office_holders("kurdistan")
    assert info.value.field == "body"
    with pytest.raises(InputError) as info:
        muhasasa.office_holders(office="govenor")
    assert info.value.field == "office" and "did you mean 'governor'" in str(info.value)
    result = CliRunner().invoke(cli, ["offices", "--office", "governor", "--district", "Diyala"])
    assert result.exit_code == 0 and "Adnan al-Jayer al-Tamimi" in result.output and "2024-08-01" in result.output
    csv_out = CliRunner().invoke(cli, ["offices", "--district", "Kirkuk", "--format", "csv"]).output
    assert " ; https://" in csv_out and "['" not in csv_out
