"""Fuzz suite (issue 10): hostile vote tables, API arguments and CLI argument lists.

Every case ends with a result or a one-line error (an InputError from the library, exit 2
and one line from the CLI) within its bound — never a traceback, and never a file written
outside the test's own temporary folder (the CLI runs with that folder as its working
directory, and the folder's contents are checked after each case).
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import muhasasa
from muhasasa.errors import MuhasasaError
from muhasasa.vote_tables import parse_vote_table
from tests.hostile_helpers import run_cli

FAST = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
BOUND_S = 10.0  # every single case must answer within this

NAMES = st.text(alphabet=st.sampled_from(list("AB é\u0301\u200f\u200b,\"\n\r\x00ا١٢²-_+ 0")), max_size=6)
CELLS = st.one_of(
    st.integers(-10, 10**12).map(str),
    st.text(alphabet=st.sampled_from(list("0123456789١٢۳²-+_.e ,\"x")), max_size=8),
    st.sampled_from(["10²", "--5", "1" * 5000, "NaN", "∞", "１０", "", " 7 "]),
)


@st.composite
def vote_tables(draw) -> bytes:
    header = draw(st.sampled_from(["list,votes", "votes,list", "list,votes,extra", "LIST , VOTES", "list", ""]))
    rows = draw(st.lists(st.tuples(NAMES, CELLS), max_size=6))
    text = header + "\n" + "\n".join(f"{n},{c}" for n, c in rows)
    if draw(st.booleans()):
        text += "\nTOTAL," + draw(CELLS)
    raw = text.encode("utf-8")
    mangle = draw(st.sampled_from(["none", "bom", "latin1", "crlf", "cut"]))
    if mangle == "bom":
        raw = b"\xef\xbb\xbf" + raw
    elif mangle == "latin1":
        raw = raw + b"\xe9\xff"
    elif mangle == "crlf":
        raw = raw.replace(b"\n", b"\r\n")
    elif mangle == "cut":
        raw = raw[: draw(st.integers(0, len(raw)))]
    return raw


@contextmanager
def bounded(seconds: float = BOUND_S):
    start = time.perf_counter()
    yield
    assert time.perf_counter() - start < seconds


@FAST
@given(vote_tables())
def test_vote_tables_give_a_table_or_a_located_error(raw):
    with bounded():
        try:
            table = parse_vote_table(raw, "fuzz.csv")
        except MuhasasaError as exc:
            assert "\n" not in str(exc) and str(exc).startswith("fuzz.csv")
            return
    assert table.votes and all(type(v) is int and v >= 0 for v in table.votes.values())
    assert table.residual_votes >= 0
    assert len({n for n in table.votes}) == len(table.votes) and all(n == n.strip() and n for n in table.votes)


ANY = st.one_of(st.none(), st.booleans(), st.integers(-3, 10**21), st.floats(allow_nan=True),
                st.text(max_size=5), st.just(10**5000), st.lists(st.integers(0, 3), max_size=2))
METHOD = st.sampled_from(["dhondt", "sainte-lague", "sainte-lague-modified", "largest-remainder", "sntv", "x"])


@FAST
@given(votes=st.dictionaries(NAMES, st.one_of(st.integers(-1, 10**15), ANY), max_size=5), seats=ANY,
       method=METHOD, threshold=ANY, tie=st.sampled_from(["refuse", "lot", "x"]), seed=ANY)
def test_allocate_gives_seats_or_an_input_error(votes, seats, method, threshold, tie, seed):
    with bounded():
        try:
            result = muhasasa.allocate(votes, seats, method=method, threshold=threshold, tie_break=tie, seed=seed)
            text = result.explain()
        except MuhasasaError as exc:
            assert "\n" not in str(exc) and len(str(exc)) < 2000
            return
    assert sum(result.seats.values()) == seats and set(result.seats) == set(votes)
    assert "0.00" not in text.split("margin of the last seat:")[-1].split("\n")[0] or "tie" in text


@st.composite
def batch_votes(draw):
    """Arrays (draws, districts, lists) with seats per district, mostly regular, and hostile:
    ragged nesting, empty or wrong shapes, floats and NaN, booleans, text, Python ints beyond
    64 bits, seats up to 2^62 and beyond, and views far too large to hold."""
    d, k, n = draw(st.integers(0, 3)), draw(st.integers(0, 2)), draw(st.integers(0, 4))
    values = draw(st.lists(st.integers(-1, 10**6), min_size=d * k * n, max_size=d * k * n))
    seats = draw(st.lists(st.one_of(st.integers(-1, 50), st.sampled_from([2**40, 2**53, 2**62, 2**63 - 1])),
                          min_size=k, max_size=k))
    votes = np.array(values, dtype=np.int64).reshape(d, k, n)
    hostile = draw(st.sampled_from(["none"] * 6 + ["ragged", "float", "nan", "bool", "text", "object", "huge",
                                                   "flat", "seats-float", "seats-big", "seats-2d", "absurd"]))
    if hostile == "ragged":
        return [[[1, 2], [3]]], seats
    if hostile in ("float", "nan"):
        votes = votes.astype(np.float64)
        if hostile == "nan" and votes.size:
            votes.flat[0] = np.nan
    elif hostile == "bool":
        votes = votes > 0
    elif hostile == "text":
        votes = votes.astype(str)
    elif hostile == "object":
        votes = votes.astype(object)
        if votes.size:
            votes.flat[0] = 10**30
    elif hostile == "huge" and votes.size:
        votes.flat[0] = 2**41
    elif hostile == "flat":
        votes = votes.ravel()
    elif hostile == "seats-float":
        seats = [float(s) for s in seats]
    elif hostile == "seats-big":
        seats = [10**20] * k
    elif hostile == "seats-2d":
        seats = [seats]
    elif hostile == "absurd":
        votes = np.broadcast_to(np.int64(1), (10**5, 10**3, max(n, 1) * 10**3))
        seats = np.ones(10**3, dtype=np.int64)
    return votes, seats


SMALL = st.one_of(st.none(), st.booleans(), st.integers(-3, 10**21), st.floats(allow_nan=True), st.text(max_size=5))


@FAST
@given(case=batch_votes(), method=METHOD, threshold=st.one_of(SMALL, st.just(10**5000)), seed=ANY,
       algorithm=st.sampled_from([None, None, "numpy", "numba", "x"]))
def test_allocate_batch_gives_seats_or_an_input_error(case, method, threshold, seed, algorithm):
    votes, seats = case
    with bounded():
        try:
            out = muhasasa.allocate_batch(votes, seats, method=method, threshold=threshold, tie_break="lot",
                                          seed=seed, algorithm=algorithm)
        except MuhasasaError as exc:
            assert "\n" not in str(exc)
            return
    assert out.shape == np.shape(votes) and out.dtype == np.int64 and (out >= 0).all()
    assert (out.sum(axis=2) == np.asarray(seats)[None, :]).all() or out.shape[0] * out.shape[1] == 0


@FAST
@given(weights=st.one_of(st.dictionaries(NAMES, st.one_of(st.integers(-1, 10**13), ANY), max_size=6), ANY),
       quota=ANY, index=st.sampled_from(["banzhaf", "shapley-shubik", "holler", "johnston", "x", ""]),
       quorum=st.one_of(st.none(), ANY))
def test_power_index_gives_values_or_an_input_error(weights, quota, index, quorum):
    with bounded():
        try:
            values = muhasasa.power_index(weights, quota, index, quorum=quorum)
        except MuhasasaError as exc:
            assert "\n" not in str(exc) and len(str(exc)) < 2000
            return
    assert set(values) == {str(p) for p in weights}
    assert all(0 <= v <= 1 for v in values.values())


OPTION_VALUES = st.sampled_from(["-1", "0", "1", "3", "1.5", "abc", "", "10²", "٣", "100000000000000000000",
                                 "1000000000", "--5", "0.05", "5%", "nan", ",", "banzhaf,x", "2022-03-26"])
COMMANDS = {
    "allocate": ["--method", "--seats", "--threshold", "--seed", "--first-divisor", "--tie-break", "--format"],
    "power": ["--index", "--quota", "--step", "--by", "--share", "--communities", "--blocs"],
    "coalitions": ["--limit", "--min-size", "--kind", "--must-include", "--quota", "--mandate"],
    "replay": ["--runs", "--seed", "--without", "--format"],
    "seats": ["--law", "--by", "--format", "--seed"],
    "metrics": ["--format"],
    "laws": [],
}
ELECTIONS = st.sampled_from(["2021", "2025", "2022", "", "9999", "../etc/passwd", "2021\u200f"])


@st.composite
def argument_lists(draw, votes_file: str) -> list[str]:
    command = draw(st.sampled_from(sorted(COMMANDS)))
    argv = [command]
    if command == "allocate":
        argv.append(draw(st.sampled_from([votes_file, "missing.csv", ".", ""])))
    elif command == "replay":
        argv.append(draw(st.sampled_from(["2022", "2006", "x"])))
    elif command != "laws":
        argv.append(draw(ELECTIONS))
    for option in draw(st.lists(st.sampled_from(COMMANDS[command] or ["--help"]), max_size=3)):
        argv.append(option)
        if option != "--help":
            value = draw(OPTION_VALUES)
            if option == "--runs" and value in ("1", "3", "1.5"):
                value = "3"  # keep formation runs short; the cap itself is fuzzed by the other values
            argv.append(value)
    return argv


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_cli_arguments_give_output_or_one_line_error(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("cli")
    votes = folder / "votes.csv"
    votes.write_text("list,votes\nA,100\nB,80\nC,30\n", encoding="utf-8")
    argv = data.draw(argument_lists(str(votes)))
    before = _tree(Path.cwd())
    here = os.getcwd()
    os.chdir(folder)
    try:
        with bounded(30):
            code, _, err = run_cli(argv)
    finally:
        os.chdir(here)
    assert "Traceback" not in err
    if code:
        assert code == 2, (argv, code, err)
        assert len(err.strip().splitlines()) == 1, (argv, err)
    assert sorted(p.name for p in folder.iterdir()) == ["votes.csv"]
    assert _tree(Path.cwd()) == before


def _tree(root: Path) -> set[str]:
    return {p.name for p in root.iterdir()}
