"""The command line end to end, as a user runs it: a real process, real files."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "muhasasa", *args], capture_output=True, text=True, cwd=cwd, timeout=120, check=False
    )


def write(tmp_path: Path, name: str, content: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def test_seats_2025_prints_the_parliament_and_its_check():
    out = run("seats", "2025")
    assert out.returncode == 0, out.stderr
    assert "2025 parliament: 329 seats" in out.stdout
    assert "official seats: 329 of 329" in out.stdout
    assert "Erbil (15): MATCH" in out.stdout and "Sulaymaniyah (18): MATCH" in out.stdout


def test_seats_by_district_csv_has_the_promised_columns():
    out = run("seats", "2025", "--by", "district", "--format", "csv")
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert list(rows[0]) == ["election", "district", "list", "votes", "seats_official", "seats_computed", "status"]
    erbil = {r["list"]: r for r in rows if r["district"] == "Erbil"}
    assert erbil["kdp"]["seats_official"] == erbil["kdp"]["seats_computed"] == "9"
    assert erbil["puk"]["status"] == "match"


def test_seats_under_another_law_says_which_data_it_needs():
    out = run("seats", "2025", "--law", "2021")
    assert out.returncode == 2
    assert "candidate-level votes" in out.stderr and "Traceback" not in out.stderr


def test_seats_under_another_governorate_law_recomputes():
    out = run("seats", "2025", "--law", "2014", "--by", "district", "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    erbil = {r["list"]: r["seats_computed"] for r in rows if r["district"] == "Erbil"}
    assert sum(v for v in erbil.values() if v) == 15


def test_verify_json_lists_every_district_election_with_a_status():
    out = run("verify", "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    statuses = {r["status"] for r in rows}
    assert statuses <= {"match", "mismatch", "insufficient-data", "no-official-seats"}
    matched = {(r["election"], r["district"]) for r in rows if r["status"] == "match"}
    for gov in ("Erbil", "Sulaymaniyah", "Dohuk"):
        assert ("2018", gov) in matched and ("2025", gov) in matched
    assert ("2005-01", "Iraq") in matched
    assert not any(r["status"] == "mismatch" for r in rows)


def test_allocate_a_user_file_with_arabic_names_and_bom(tmp_path):
    path = write(tmp_path, "votes.csv", "\ufefflist,votes\nدولة القانون,100000\nالفتح,80000\nC,30000\nD,20000\n")
    out = run("allocate", str(path), "--method", "sainte-lague-modified", "--seats", "8", "--first-divisor", "1.7",
              "--format", "json")
    assert out.returncode == 0, out.stderr
    seats = {r["list"]: r["seats"] for r in json.loads(out.stdout)["rows"]}
    assert seats == {"دولة القانون": 4, "الفتح": 3, "C": 1, "D": 0}


def test_allocate_table_explains_the_last_seat(tmp_path):
    path = write(tmp_path, "votes.csv", "list,votes\nA,100000\nB,80000\nC,30000\nD,20000\n")
    out = run("allocate", str(path), "--method", "dhondt", "--seats", "8")
    assert out.returncode == 0, out.stderr
    assert "last seat: seat 8" in out.stdout and "best loser" in out.stdout


BAD_FILES = [
    ("missing column", "list,vote\nA,1\n", "missing column 'votes'"),
    ("negative", "list,votes\nA,10\nB,-3\n", "line 3, field votes: negative votes"),
    ("non-integer", "list,votes\nA,10\nB,3.5\n", "line 3, field votes: votes must be a whole number"),
    ("duplicate", "list,votes\nA,10\nA,3\n", "line 3, field list: list 'A' appears twice"),
    ("totals contradict", "list,votes\nA,10\nB,5\nTOTAL,12\n", "totals contradict"),
    ("empty", "", "the file is empty"),
    ("not utf-8", b"list,votes\n\xff\xfeA,1\n", "line 2: bytes that are not UTF-8"),
]


@pytest.mark.parametrize(("case", "content", "message"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_vote_files_get_one_clear_line_and_exit_2(tmp_path, case, content, message):
    path = write(tmp_path, "votes.csv", content)
    out = run("allocate", str(path), "--method", "dhondt", "--seats", "3")
    assert out.returncode == 2
    assert message in out.stderr and str(path) in out.stderr
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["seats", "2024"], "unknown election '2024'"),
        (["seats", "2025", "--law", "2019"], "unknown law"),
        (["allocate", "{file}", "--method", "hondt", "--seats", "3"], "did you mean 'dhondt'"),
        (["allocate", "{file}", "--method", "dhondt", "--seats", "3", "--threshold", "70%"], "cannot be filled"),
        (["allocate", "{file}", "--method", "sntv", "--seats", "5"], "more seats than the candidates can fill"),
    ],
)
def test_bad_arguments_get_one_clear_line_and_exit_2(tmp_path, args, message):
    path = write(tmp_path, "votes.csv", "list,votes\nA,10\nB,5\n")
    out = run(*[a.replace("{file}", str(path)) for a in args])
    assert out.returncode == 2
    assert message in out.stderr and "Traceback" not in out.stderr


def test_plot_writes_a_hemicycle_svg(tmp_path):
    target = tmp_path / "parliament.svg"
    out = run("plot", "2025", "-o", str(target), "--by", "community")
    assert out.returncode == 0, out.stderr
    text = target.read_text(encoding="utf-8")
    assert text.startswith(("<?xml", "<svg"))
    assert text.count("<circle") >= 329


def test_metrics_and_women_and_laws_commands():
    metrics = run("metrics", "2018")
    assert metrics.returncode == 0 and "effective number of parties (seats)" in metrics.stdout
    women = run("women", "2025")
    assert women.returncode == 0 and "Erbil" in women.stdout
    laws = run("laws", "2014")
    assert laws.returncode == 0 and "ASSUMPTION" in laws.stdout and "1.6" in laws.stdout


def test_simulate_refuses_a_pack_its_scenarios_cannot_use():
    """The Monte Carlo stage reads its elections from the default pack: --pack lebanon is refused
    in one line naming the option, not silently ignored."""
    out = run("simulate", str(Path(__file__).parents[1] / "examples" / "2025_southern_turnout.toml"), "--draws", "10", "--pack", "lebanon")
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.strip().splitlines() == [
        ("muhasasa: error: --pack: scenarios run on the default pack (iraq) only; 'lebanon' is not supported by the "
         "Monte Carlo stage yet")]


def test_a_step_that_is_no_majority_game_is_refused_naming_the_step():
    """Lebanon's cabinet-resignation step is a blocking third (43 of 128): power names --step, not a
    --quota the user never gave; a quota the user gives is still judged as the quota."""
    out = run("power", "2022", "--pack", "lebanon", "--step", "cabinet-resignation")
    assert out.returncode == 2 and out.stderr.startswith("muhasasa: error: --step: step 'cabinet-resignation' is not")
    given = run("power", "2022", "--pack", "lebanon", "--step", "cabinet-resignation", "--quota", "43")
    assert given.returncode == 2 and given.stderr.startswith("muhasasa: error: --quota: the quota 43 is not above half")


def test_replay_reports_package_deals():
    """The pack's set seals the steps as one package in some runs (package = 0.25): the replay's
    table says in how many and at which step."""
    out = run("replay", "2006", "--runs", "40")
    assert out.returncode == 0, out.stderr
    line = next(x for x in out.stdout.splitlines() if x.startswith("package deal"))
    assert "% of runs, sealed at speaker" in line
