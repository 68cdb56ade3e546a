"""The formation record: cycles, events and actors against the dossier, the record and the bloc maps,
and strict loading of tampered copies."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest

from muhasasa import packs
from muhasasa.errors import InputError, UnknownNameError
from muhasasa.formation.history import (
    actors,
    cycle_record,
    cycle_records,
    events,
    load_actors_file,
    load_cycle_records_from,
    load_events_file,
)
from muhasasa.packs.schema.history import CONSENSUS, DIMENSIONS, EVENT_KINDS, Actors

RECORD = packs.load().record()
FOLDER = packs.load().body().folder.joinpath("formation")
REPLAYABLE = ("2006", "2010", "2014", "2018", "2020", "2022", "2026")

# Days from the election to the confidence vote, as the dossier's README gives them.
DOSSIER_DAYS = {"2006": 156, "2010": 289, "2014": 131, "2018": 166, "2022": 382, "2026": 184}

# The players of each actor file's bloc map that small-list groups stand for. A change to the
# data must change this table on purpose.
GROUPED = {
    "2006": {"minority-seats": {"itf", "rafidain", "ymrp"}},
    "2010": {},
    "2014": {},
    "2018": {
        "other-kurdish-lists": {"gorran", "ngm", "cdj", "kiu", "kig"},
        "other-sunni-lists": {
            "anbar-identity", "baghdad-alliance", "arab-alliance-kirkuk", "nineveh-identity",
            "national-fortress", "masses", "saladin-identity",
        },
        "other-shia-lists": {"competencies", "eradaa", "banners-benevolence"},
        "minority-seats": {"turkmen-front-kirkuk", "babylon", "csapc", "rafidain", "chaldean-list", "yazidi-progress"},
        "independents": {
            "independents", "civilized-alliance", "civil-democratic", "the-passing", "democratic-approach",
            "civic-party", "men-of-iraq",
        },
    },
    "2022": {
        "independents": {
            "independents", "national-product", "wasit-independents", "loyalty-change", "national-hopes", "biladi",
            "national-support",
        },
        "other-shia-lists": {"ishraqat", "aqd", "national-approach", "huqooq", "eqtadar-watan", "furatain"},
        "other-sunni-lists": {"identity-alliance", "national-project", "arabs-of-kirkuk", "nations-party"},
        "minority-seats": {"itf", "ymrp"},
    },
    "2026": {
        "other-shia-lists": {"asas", "ishraqat", "huqooq", "tasmim", "khadamat", "abshir", "wasit-ajmal", "sumeriyoun", "dfc"},
        "other-sunni-lists": {"anbar-identity", "nfip", "qimam", "tafawuq", "saladin", "ap", "aak"},
        "other-kurdish-lists": {"kiu", "ngm", "komal"},
        "minority-seats": {"minority-quota", "itf", "ni", "yca"},
        "other-lists": {"faw-zakho", "npu", "spa", "thabitoon", "idrak", "state-support"},
    },
}
# Blocs of the map split into their lists (each list is an actor).
GROUPED["2020"] = GROUPED["2018"]
SPLIT = {"2006": {"uia-kurdistan-alliance": ("uia", "kurdistan-alliance")}}


def record_seats(election: str) -> dict[str, int]:
    return {x.list_id: x.seats for x in RECORD.election(election).lists}


def known_ids(election: str) -> set[str]:
    ids = {x.list_id for x in RECORD.election(election).lists}
    return ids | {b.id for m in packs.load().bloc_maps(election) for b in m.blocs}


def bundled_text(*parts: str) -> str:
    return FOLDER.joinpath(*parts).read_text(encoding="utf-8")


def tampered(tmp_path: Path, name: str, text: str, old: str, new: str) -> Path:
    assert old in text, f"test setup: {old!r} not in {name}"
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


# ============================================================================= cycles


def test_cycles_load_with_the_expected_ids():
    every = cycle_records()
    cycles = [c for c in every if packs.load().body_of(c.election).id == "parliament"]
    assert [c.cycle for c in cycles] == ["2005", "2006", "2010", "2014", "2018", "2020", "2022", "2026"]
    assert [c.cycle for c in every if c not in cycles] == ["2019", "2024"]  # the Kurdistan Region's
    assert tuple(c.cycle for c in cycles if c.replayable) == REPLAYABLE
    assert {c.cycle: c.election for c in cycles} == {
        "2005": "2005-01", "2006": "2005-12", "2010": "2010", "2014": "2014", "2018": "2018",
        "2020": "2018", "2022": "2021", "2026": "2025",
    }


@pytest.mark.parametrize("cycle", [c for c in REPLAYABLE if c != "2020"])  # 2020: from its trigger
def test_days_election_to_cabinet_equal_the_dates_and_the_dossier(cycle: str):
    c = cycle_record(cycle)
    assert c.dates.election == RECORD.election(c.election).date
    span = (c.dates.cabinet - c.dates.election).days
    assert c.days_election_to_cabinet == span == DOSSIER_DAYS[cycle]


def test_non_replayable_cycles():
    assert cycle_record("2005").days_election_to_cabinet == 88
    kadhimi = cycle_record("2020")
    assert kadhimi.dates.trigger == dt.date(2019, 12, 1)
    assert kadhimi.days_trigger_to_cabinet == (kadhimi.dates.cabinet - kadhimi.dates.trigger).days == 158
    assert kadhimi.days_election_to_cabinet is None and kadhimi.failed_designations == 2


def test_the_mid_term_cycle_replays_from_its_trigger():
    kadhimi = cycle_record("2020")
    d = kadhimi.dates
    assert kadhimi.replayable and d.trigger < d.pm_designated < d.cabinet
    assert d.first_session is None and kadhimi.pm_bloc == CONSENSUS and kadhimi.pm_nominated_by == ()


@pytest.mark.parametrize("cycle", [c for c in REPLAYABLE if c != "2020"])
def test_replayable_cycle_is_complete_ordered_and_sourced(cycle: str):
    c = cycle_record(cycle)
    d = c.dates
    steps = [d.election, d.certified, d.first_session, d.speaker, d.president, d.pm_designated, d.cabinet]
    assert None not in steps
    assert d.election <= d.certified <= d.first_session <= d.speaker <= d.president <= d.pm_designated <= d.cabinet
    assert (c.pm_community, c.speaker_community, c.president_community) == ("Shia Arab", "Sunni Arab", "Kurdish")
    assert c.sources and all(s.startswith(("http://", "https://")) for s in c.sources)
    known = known_ids(c.election)
    assert set(c.coalition) <= known and set(c.pm_nominated_by) <= known
    assert c.pm_bloc in c.pm_nominated_by or (c.pm_bloc == CONSENSUS and len(c.pm_nominated_by) >= 2)
    assert c.failed_designations == 0


def test_pm_blocs_and_coalitions_as_sourced():
    assert cycle_record("2022").pm_bloc == "coordination-framework"
    assert "coordination-framework" in {b.id for m in packs.load().bloc_maps("2021") for b in m.blocs}
    assert cycle_record("2010").pm_bloc == "national-alliance"
    assert cycle_record("2006").pm_bloc == "uia"
    assert cycle_record("2018").pm_bloc == CONSENSUS and cycle_record("2018").consensus
    assert cycle_record("2018").ministries_by_bloc == {"islah": 9, "binaa": 9, "kdp+puk": 3}
    assert cycle_record("2022").coalition == (
        "coordination-framework", "sovereignty", "hasm", "kdp", "kurdistan-coalition", "babylon",
    )
    assert dict(cycle_record("2022").ministries_by_community) == {
        "Shia Arab": 12, "Sunni Arab": 6, "Kurdish": 4, "minority": 1,
    }


def test_unknown_cycle_suggests():
    with pytest.raises(UnknownNameError, match="did you mean '2022'"):
        cycle_record("2O22")


# ============================================================================= events


def test_events_load_for_every_cycle_and_are_sourced():
    by_cycle = {c.cycle: events(c.cycle) for c in cycle_records()}
    assert {c: len(e) for c, e in by_cycle.items()} == {
        "2005": 0, "2006": 2, "2010": 6, "2014": 2, "2018": 2, "2020": 3, "2022": 10, "2026": 3,
        "2019": 10, "2024": 6,  # the Kurdistan Region's
    }
    for cycle, found in by_cycle.items():
        record = cycle_record(cycle)
        election = RECORD.election(record.election)
        assert list(found) == sorted(found, key=lambda e: (e.date, e.id))
        for e in found:
            assert e.kind in EVENT_KINDS and e.sources
            assert election.date <= e.date <= (record.dates.cabinet or e.date)  # 2024: no cabinet yet
            assert set(e.actors) <= known_ids(record.election)
    assert [e.id for e in by_cycle["2020"] if not e.removable] == ["abdul-mahdi-resignation"]


def test_sadrist_resignation_event():
    (resignation,) = [e for e in events("2022") if e.kind == "resignation"]
    assert resignation.id == "sadrist-resignation"
    assert resignation.date == dt.date(2022, 6, 12) and resignation.actors == ("sadrists",)
    assert resignation.payload["seats"] == 73 and resignation.removable
    assert resignation.payload["replacement"] == "next-highest-in-district"
    replaced = resignation.payload["replaced_by"]
    assert (replaced["sworn_in"], replaced["absent"], replaced["date"]) == (64, 9, dt.date(2022, 6, 23))
    assert replaced["by_bloc"] == "unknown"


def test_2022_sessions_rulings_and_the_2026_veto():
    by_id = {e.id: e for e in events("2022")}
    assert by_id["fsc-presidential-quorum"].payload["ruling"] == "16-federal-2022"
    assert by_id["fsc-presidential-quorum"].date == dt.date(2022, 2, 3)
    assert by_id["presidential-session-2022-03-26"].payload["present"] == 202
    assert by_id["presidential-session-2022-03-30"].payload["present"] == 178
    assert by_id["green-zone-clashes-2022"].kind == "violence"
    (veto,) = [e for e in events("2026") if e.kind == "outside-veto"]
    assert veto.payload["target"] == "Nouri al-Maliki" and veto.date.month == 1
    (erbil,) = [e for e in events("2010") if e.kind == "agreement"]
    assert erbil.id == "erbil-agreement"


# ============================================================================= actors


@pytest.mark.parametrize("cycle", REPLAYABLE)
def test_actors_cover_every_player_of_their_bloc_map(cycle: str):
    cast = actors(cycle)
    assert isinstance(cast, Actors) and cast.basis == "editorial"
    assert cast.election == cycle_record(cycle).election
    (bmap,) = [m for m in packs.load().bloc_maps(cast.election) if m.id == cast.bloc_map_id]
    players = {p for p, n in bmap.seats(record_seats(cast.election)).items() if n > 0}
    assert set(cast.covers) == players
    grouped = {a.id: set(a.groups) for a in cast.actors.values() if a.groups}
    assert grouped == GROUPED[cycle]
    split = {p: h for p, h in cast.covers.items() if len(h) > 1}
    assert split == SPLIT.get(cycle, {})
    for player in players:
        holders = cast.covers[player]
        assert all(h in cast.actors for h in holders)
        in_groups = [g for g, members in grouped.items() if player in members]
        if in_groups:
            assert holders == tuple(in_groups)
        elif player not in split:
            assert holders == (player,)
    seats = cast.seats(record_seats(cast.election))
    assert sum(seats.values()) == sum(record_seats(cast.election).values())
    assert all(n > 0 for n in seats.values())


@pytest.mark.parametrize("cycle", REPLAYABLE)
def test_actors_are_sourced_judgments_in_range(cycle: str):
    cast = actors(cycle)
    for a in cast.actors.values():
        assert a.reasoning.strip() and a.sources
        assert set(a.positions.as_dict()) == set(DIMENSIONS)
        assert all(isinstance(v, Fraction) and -1 <= v <= 1 for v in a.positions.as_dict().values())
        assert 0 <= a.office_motive <= 1 and 0 <= a.policy_motive <= 1
    for t in cast.trust_entries:
        assert t.sources and -1 <= t.value <= 1
        assert cast.trust_between(t.a, t.b) == cast.trust_between(t.b, t.a) == t.value


@pytest.mark.parametrize("cycle", REPLAYABLE)
def test_the_pm_bloc_and_the_coalition_have_actors(cycle: str):
    record = cycle_record(cycle)
    cast = actors(cycle)
    for player in (*record.pm_nominated_by, *record.coalition):
        assert cast.actor_of(player) in cast.actors


def test_trust_pairs_the_sources_speak_to():
    assert actors("2022").trust_between("sadrists", "coordination-framework") == Fraction(-4, 5)
    assert actors("2022").trust_between("kdp", "kurdistan-coalition") < 0
    assert actors("2026").trust_between("kdp", "puk") == Fraction(-3, 5)
    assert actors("2018").trust_between("islah", "binaa") < 0
    assert actors("2022").trust_between("imtidad", "babylon") == 0
    assert actors("2022").trust_between("kdp", "kdp") == 1
    with pytest.raises(UnknownNameError, match="did you mean 'sadrists'"):
        actors("2022").trust_between("sadrist", "kdp")


def test_actor_of_follows_the_map():
    cast = actors("2022")
    assert cast.actor_of("sol") == "coordination-framework"
    assert cast.actor_of("azm") == "sovereignty"
    assert cast.actor_of("furatain") == "other-shia-lists"
    assert actors("2006").actor_of("uia") == "uia"


def test_the_kadhimi_cycle_has_the_2018_parliament_actors():
    assert set(actors("2020").actors) == set(actors("2018").actors)
    assert actors("2020").bloc_map_id == actors("2018").bloc_map_id
    with pytest.raises(UnknownNameError, match="formation cycle with actors"):
        actors("2005")


def test_a_user_file_loads_like_a_bundled_one(tmp_path: Path):
    text = bundled_text("actors", "2022.toml").replace('basis = "editorial"', 'basis = "my survey"')
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    mine = load_actors_file(path, "2022")
    assert mine.basis == "my survey" and set(mine.actors) == set(actors("2022").actors)
    with pytest.raises(InputError, match="the file is for cycle '2022', but '2026' was asked for"):
        load_actors_file(path, "2026")


# ============================================================================= bad files


CYCLES = bundled_text("cycles.csv")


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        (",382,", ",383,", "days_election_to_cabinet", "383 contradicts the dates: election_date 2021-10-10 to cabinet_date 2022-10-27 is 382 days"),
        ("2022-10-13,Abdul Latif Rashid", "2021-10-13,Abdul Latif Rashid", "president_date", "dates out of order"),
        (",coordination-framework,coordination-framework,coordination-framework|", ",coordination-framwork,coordination-framework,coordination-framework|", "pm_bloc", "did you mean 'coordination-framework'"),
        ("islah:9|binaa:9|kdp+puk:3", "islah:9|binaa:9|kdp+pukk:3", "ministries_by_bloc", "unknown bloc or list of election 2018 'pukk'"),
        ("2021-10-10,2021-12-27", "2021-10-11,2021-12-27", "election_date", "is not the date of election 2021"),
        ("2022,al-Sudani", "2022,al-Sudani", None, None),  # untouched copy loads
    ],
)
def test_bad_cycles_csv_is_located(tmp_path: Path, old: str, new: str, field: str | None, message: str | None):
    path = tampered(tmp_path, "cycles.csv", CYCLES, old, new)
    if field is None:
        assert len(load_cycle_records_from(path)) == len(packs.load().history("parliament"))
        return
    with pytest.raises(InputError) as caught:
        load_cycle_records_from(path)
    err = caught.value
    assert err.source == str(path) and err.field == field and err.line is not None
    assert message in err.problem


def test_cycles_csv_unknown_column_suggests(tmp_path: Path):
    path = tampered(tmp_path, "cycles.csv", CYCLES, "pm_bloc,", "pm_blok,")
    with pytest.raises(InputError, match="unknown column 'pm_blok'; did you mean 'pm_bloc'") as caught:
        load_cycle_records_from(path)
    assert caught.value.line == 1


ACTORS_2022 = bundled_text("actors", "2022.toml")


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ('iran_west = "0.0"', "iran_west = 0.0", "actors[sadrists].positions.iran_west", "TOML float"),
        ('iran_west = "0.0"', 'iran_west = "1.5"', "actors[sadrists].positions.iran_west", "outside [-1, 1]"),
        ('office_motive = "0.3"', 'office_motive = "-0.3"', "actors[sadrists].office_motive", "outside [0, 1]"),
        ('office_motive = "0.3"', "office_motive = 1", "actors[sadrists].office_motive", "quoted text"),
        ('policy_motive = "0.9"', 'policy_motiv = "0.9"', "actors[sadrists].policy_motiv", "did you mean 'policy_motive'"),
        ('id = "sadrists"', 'id = "sadrist"', "actors[sadrist].id", "did you mean 'sadrists'"),
        ('community = "Kurdish"', 'community = "Kurd"', "actors[kdp].community", "is not one of"),
        ('"independents", "national-product",', '"independents", "national-produce",', "actors[independents].groups[2]", "unknown player"),
        ('bloc_map = "2022-01-09-first-session"', 'bloc_map = "2022-01-09-first-sesion"', "bloc_map", "did you mean"),
        ('a = "sadrists"\nb = "kdp"', 'a = "sadrists"\nb = "kdpp"', "trust[sadrists/kdpp].b",
         "unknown actor or elected list of this file 'kdpp'"),
        ('a = "sadrists"\nb = "kdp"', 'a = "sadrists"\nb = "sadrists"', "trust[sadrists/sadrists].b", "two different actors"),
        ('basis = "editorial"', 'basis = ""', "basis", "may not be empty"),
    ],
)
def test_bad_actors_file_is_located(tmp_path: Path, old: str, new: str, field: str, message: str):
    path = tampered(tmp_path, "actors.toml", ACTORS_2022, old, new)
    with pytest.raises(InputError) as caught:
        load_actors_file(path, "2022")
    err = caught.value
    assert err.source == str(path) and err.field == field and err.line is not None
    assert message in err.problem
    written = path.read_text(encoding="utf-8").splitlines()[err.line - 1]
    key = field.rsplit(".", 1)[-1].split("[")[0]
    assert new.splitlines()[-1].strip() in written or f"{key} =" in written


def test_actors_file_without_a_player_is_refused(tmp_path: Path):
    start = ACTORS_2022.index('[[actors]]\nid = "komal"')
    end = ACTORS_2022.index("[[actors]]", start + 1)
    path = tmp_path / "actors.toml"
    path.write_text(ACTORS_2022[:start] + ACTORS_2022[end:], encoding="utf-8")
    with pytest.raises(InputError, match=r"without an actor: komal \(1 seats\)") as caught:
        load_actors_file(path, "2022")
    assert caught.value.field == "actors"


def test_actors_file_covering_a_player_twice_is_refused(tmp_path: Path):
    path = tampered(tmp_path, "actors.toml", ACTORS_2022, 'groups = ["itf", "ymrp"]', 'groups = ["itf", "ymrp", "babylon"]')
    with pytest.raises(InputError, match="player 'babylon' is covered twice") as caught:
        load_actors_file(path, "2022")
    assert caught.value.line is not None


def test_splitting_a_bloc_needs_every_list(tmp_path: Path):
    text = bundled_text("actors", "2006.toml")
    start = text.index('[[actors]]\nid = "kurdistan-alliance"')
    end = text.index("[[actors]]", start + 1)
    path = tmp_path / "actors.toml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(InputError, match="to split the bloc into its lists.*missing: kurdistan-alliance") as caught:
        load_actors_file(path, "2006")
    assert caught.value.field == "actors[uia].id"


EVENTS = bundled_text("events.toml")


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ('kind = "resignation"\nactors = ["sadrists"]', 'kind = "resignaton"\nactors = ["sadrists"]', "events[sadrist-resignation].kind", "did you mean 'resignation'"),
        ('actors = ["sadrists"]\nby = "Muqtada', 'actors = ["sadrist"]\nby = "Muqtada', "events[sadrist-resignation].actors[1]", "did you mean 'sadrists'"),
        ("seats = 73", "seat = 73", "events[sadrist-resignation].seat", "did you mean 'seats'"),
        ("seats = 73", 'seats = "73"', "events[sadrist-resignation].seats", "whole number"),
        ("sworn_in = 64", "sworn_in = 63", "events[sadrist-resignation].replaced_by.absent", "63 sworn in + 9 absent is not the 73 seats"),
        ("date = 2022-06-12", "date = 2021-06-12", "events[sadrist-resignation].date", "before election 2021"),
        ('ruling = "16-federal-2022"', 'ruling = "16-federal-2021"', "events[fsc-presidential-quorum].ruling", "did you mean '16-federal-2022'"),
        ("present = 202", "present = 402", "events[presidential-session-2022-03-26].present", "exceeds the house of 329"),
        ('cycle = "2026"\ndate = 2026-01-27\nkind = "outside-veto"', 'cycle = "2025"\ndate = 2026-01-27\nkind = "outside-veto"', "events[maliki-us-veto].cycle", "unknown formation cycle"),
    ],
)
def test_bad_events_file_is_located(tmp_path: Path, old: str, new: str, field: str, message: str):
    path = tampered(tmp_path, "events.toml", EVENTS, old, new)
    with pytest.raises(InputError) as caught:
        load_events_file(path)
    err = caught.value
    assert err.source == str(path) and err.field == field and err.line is not None
    assert message in err.problem


def test_user_events_file_may_omit_sources(tmp_path: Path):
    path = tmp_path / "events.toml"
    path.write_text(
        '[[events]]\nid = "what-if"\ncycle = "2022"\ndate = 2022-05-01\nkind = "boycott"\n'
        'actors = ["kdp"]\ndecision = "president"\n',
        encoding="utf-8",
    )
    (event,) = load_events_file(path)
    assert event.actors == ("kdp",) and event.sources == () and event.payload == {"decision": "president"}
