"""Fuzz suite (issue 10): hostile vote tables, API arguments (allocate, allocate_batch,
power_index), CLI argument lists, scenario files and formation what-if files.

Every case ends with a result or a one-line error (an InputError from the library, exit 2
and one line from the CLI) within its bound — never a traceback, and never a file written
outside the test's own temporary folder (the CLI runs with that folder as its working
directory, and the folder's contents are checked after each case).
"""

from __future__ import annotations

import json
import os
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import muhasasa
from muhasasa import cli, packs
from muhasasa.errors import MuhasasaError
from muhasasa.scenarios.spec import KIND_MODELS
from muhasasa.vote_tables import parse_vote_table
from tests.hostile_helpers import about_an_argument, run_cli, run_cli_seen, shown_names

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
            code, _, err, seen = run_cli_seen(argv)
    finally:
        os.chdir(here)
    assert "Traceback" not in err
    event(f"exit {code}: {err.split(': ')[-1][:50]}" if code else "exit 0")
    if code:
        assert code == 2, (argv, code, err)
        assert len(err.strip().splitlines()) == 1, (argv, err)
    for exc, line in seen:  # an error about a typed value names an option (or argument) of this command
        if about_an_argument(exc, argv):
            assert line.split(":")[0] in shown_names(cli.cli.commands[argv[0]]), (argv, line)
    assert sorted(p.name for p in folder.iterdir()) == ["votes.csv"]
    assert _tree(Path.cwd()) == before


def _tree(root: Path) -> set[str]:
    return {p.name for p in root.iterdir()}


# --------------------------------------------------------------------------- scenario and what-if files


def toml_value(value: object) -> str:
    """One TOML value, written as a user might (floats and huge numbers included)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k, ensure_ascii=False)} = {toml_value(v)}" for k, v in value.items()) + " }"
    return "[" + ", ".join(toml_value(v) for v in value) + "]"


def toml_text(top: dict, tables: dict[str, dict], arrays: dict[str, list[dict]]) -> str:
    lines = [f"{json.dumps(k, ensure_ascii=False)} = {toml_value(v)}" for k, v in top.items()]
    for name, table in tables.items():
        lines += [f"[{name}]", *(f"{json.dumps(k, ensure_ascii=False)} = {toml_value(v)}" for k, v in table.items())]
    for name, items in arrays.items():
        for item in items:
            lines += [f"[[{name}]]", *(f"{json.dumps(k, ensure_ascii=False)} = {toml_value(v)}"
                                       for k, v in item.items())]
    return "\n".join(lines) + "\n"


def mangled(draw, text: str) -> bytes:
    raw = text.encode("utf-8")
    how = draw(st.sampled_from(["bom", "latin1", "cut", "crlf", "doubled"])) if rarely(draw, 4) else "none"
    if how == "bom":
        return b"\xef\xbb\xbf" + raw
    if how == "latin1":
        return raw + b"\xe9\xff"
    if how == "cut":
        return raw[: draw(st.integers(0, len(raw)))]
    if how == "crlf":
        return raw.replace(b"\n", b"\r\n")
    if how == "doubled":  # every key twice
        return raw + raw
    return raw


RECORD = packs.load().record()
LISTS = {e: sorted(x.list_id for x in RECORD.election(e).lists) for e in ("2025", "2021")}
WORDS = st.text(alphabet=st.sampled_from(list("ab -_=/.é\u200f\u0301ا١²\x00\n\"")), max_size=6)
HOSTILE_NUMBERS = st.one_of(
    st.sampled_from(["-1", "1/0", "1e400", "abc", "", " 3 ", "9" * 120, "100000000000000000000", "٣", "1²",
                     "0.0000000000000000001", "-200", "1000"]),
    st.integers(-5, 10**30), st.floats(), st.booleans())
SCOPES = ["national", "governorate=Basra", "governorate=Dhi Qar", "community=Sunni Arab", "community=Shia Arab"]
HOSTILE_SCOPES = st.sampled_from(["community=x", "governorate=", "x=y", "", "list=sadrists", "governorate=basra"])
FILES = st.sampled_from(["missing.toml", "", "/etc/hostname", "../../outside.toml", ".", "s.toml"])
EVENTS = ["sadrist-resignation", "fsc-presidential-quorum", "zebari-excluded"]


def either(draw, valid, hostile):
    """Mostly a value a user would write, one time in four a hostile one (so that most cases
    get past the first check and the later stages are fuzzed too)."""
    return draw(hostile) if rarely(draw, 4) else draw(valid)


def rarely(draw, n: int) -> bool:
    """True about once in ``n`` (a middle value: hypothesis favours the ends of a range)."""
    return draw(st.sampled_from(range(n))) == n // 2


def key_value(draw, kind: str, key: str, base: str):
    """A value for ``key`` of an intervention of ``kind``: plausible or hostile."""
    names = st.sampled_from(LISTS.get(base) or LISTS["2025"])
    hostile_names = st.one_of(WORDS, st.sampled_from(LISTS["2021"] + LISTS["2025"]))
    valid = {
        "list": names, "lists": st.lists(names, min_size=2, max_size=3), "from": st.lists(names, max_size=2),
        "scope": st.one_of(st.sampled_from(SCOPES), st.lists(st.sampled_from(SCOPES), min_size=1, max_size=2)),
        "mode": st.sampled_from(["uniform", "proportional"]),
        "into": (st.fixed_dictionaries({"part-a": st.just("0.5"), "part-b": st.just("0.5")}) if kind == "split"
                 else st.just("merged-list")),
        "name": st.just("Merged"), "note": st.just("a note"), "law": st.sampled_from(["2018", "2021"]),
        "seats": st.integers(1, 80), "without": st.sampled_from(EVENTS), "map": st.just("2022-03-26"),
        "file": FILES, "lifted": st.booleans(), "target": names, "by": names, "day": st.integers(0, 400),
        "points": st.sampled_from(["+2", "-1", "0.5", "+10", "-3/2"]), "factor": st.sampled_from(["1.1", "0.9"]),
        "share": st.sampled_from(["0.5", "1", "0.9"]),
    }.get(key, st.just("1"))
    hostile = {
        "list": hostile_names, "lists": st.lists(hostile_names, max_size=4), "from": st.lists(hostile_names),
        "scope": st.one_of(HOSTILE_SCOPES, st.lists(HOSTILE_SCOPES, max_size=2)),
        "into": st.one_of(st.sampled_from(["", "Bad Slug", "x"]),
                          st.dictionaries(st.sampled_from(["a", "b", "Bad"]), HOSTILE_NUMBERS, max_size=3)),
        "law": st.sampled_from(["x", "law.toml", "2025", "9999"]),
        "seats": st.one_of(st.integers(-1, 10**30), st.sampled_from(["5", 1.5, 500])),
        "without": st.sampled_from(["x", "", "sadrist-resignation"]), "map": st.sampled_from(["x", "", "1900-01-01"]),
        "lifted": st.just("yes"), "target": hostile_names, "note": WORDS, "name": WORDS, "by": hostile_names,
        "day": st.one_of(st.integers(-1, 10**7), st.just("3")),
    }.get(key, HOSTILE_NUMBERS)
    return either(draw, valid, hostile)


@st.composite
def interventions(draw, base: str) -> dict:
    kind = either(draw, st.sampled_from(sorted(KIND_MODELS)), st.sampled_from(["x", "", "Swing"]))
    item: dict[str, object] = {"kind": kind}
    model = KIND_MODELS.get(kind)
    keys = sorted(f.alias or name for name, f in model.model_fields.items() if name != "kind") if model else []
    for key in draw(st.lists(st.sampled_from(keys or ["list"]), max_size=4, unique=True)):
        item[key] = key_value(draw, kind, key, base)
    if rarely(draw, 16):
        item["nonsense"] = "1"
    return item


@st.composite
def scenario_files(draw) -> bytes:
    """Scenario files (examples/*.toml format), each part plausible or hostile: unknown bases,
    laws and lists, numbers as floats, text or out of range, wrong types, unknown keys and
    kinds, repeated or conflicting interventions, files referenced outside, broken encodings."""
    base = either(draw, st.sampled_from(["2025", "2021"]), st.sampled_from(["2018", "9999", "", "2025\u200f", "1"]))
    top: dict[str, object] = {"base": base}
    if draw(st.booleans()):
        top["title"] = draw(WORDS)
    if rarely(draw, 4):
        top["law"] = either(draw, st.sampled_from(["2018", "2021"]), st.sampled_from(["x", "law.toml", 2018]))
    if draw(st.booleans()):
        top["level"] = either(draw, st.sampled_from(["auto", "governorate", "national"]), st.sampled_from(["x", 3]))
    if rarely(draw, 16):
        top["nonsense"] = 1
    tables = {}
    if draw(st.booleans()):
        model = either(draw, st.sampled_from(["none", "dirichlet", "logit-normal", "multinomial"]), st.just("x"))
        needs = {"dirichlet": {"concentration": "2000"}, "logit-normal": {"sigma": "0.1"}}.get(model, {})
        table: dict[str, object] = {"model": model, **needs}
        for key in draw(st.lists(st.sampled_from(["concentration", "sigma", "correlation", "ballots", "ties"]),
                                 max_size=2, unique=True)):
            valid = {"concentration": "500", "sigma": "0.2", "correlation": "0.5", "ballots": "1000"}
            table[key] = either(draw, st.sampled_from(["law", "lot"]) if key == "ties" else st.just(valid[key]),
                                st.just("x") if key == "ties" else HOSTILE_NUMBERS)
        tables["uncertainty"] = table
    arrays = {"interventions": draw(st.lists(interventions(base if isinstance(base, str) else "2025"), max_size=3))}
    return mangled(draw, toml_text(top, tables, arrays))


PARAMETER_NAMES = ["intercept", "fatigue", "days_per_round", "boycott", "office_weight", "policy_weight",
                   "trust_weight", "replace_nominee", "consensus", "nonsense"]


@st.composite
def whatif_files(draw) -> bytes:
    """Formation what-if files (examples/formation/whatif_2022.toml format), plausible or hostile."""
    top: dict[str, object] = {"cycle": either(draw, st.just("2022"), st.sampled_from(["2018", "x", "", 2022]))}
    if draw(st.booleans()):
        top["without_events"] = either(draw, st.lists(st.sampled_from(EVENTS), max_size=2, unique=True),
                                       st.one_of(st.lists(st.sampled_from([*EVENTS, "x", ""]), max_size=3),
                                                 st.sampled_from(EVENTS)))
    if draw(st.booleans()):
        top["convention"] = either(draw, st.booleans(), st.sampled_from(["true", 1]))
    if rarely(draw, 5):
        top["actors"] = draw(FILES)
    if rarely(draw, 16):
        top["nonsense"] = 1
    valid = {"intercept": "0", "fatigue": "0.1", "days_per_round": "30", "boycott": "0.5", "office_weight": "1",
             "policy_weight": "1", "trust_weight": "1", "replace_nominee": "0.5", "consensus": "0.5"}
    parameters = {name: either(draw, st.just(valid.get(name, "1")), HOSTILE_NUMBERS)
                  for name in draw(st.lists(st.sampled_from(PARAMETER_NAMES), max_size=3, unique=True))}
    return mangled(draw, toml_text(top, {"parameters": parameters} if parameters else {}, {}))


def _files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@contextmanager
def sandbox(tmp_path_factory, name: str, data: bytes):
    """A folder holding the file ``name`` and an empty working directory; after the case,
    nothing may be new in it but the output folder ``out`` (and nothing new in the checkout)."""
    folder = tmp_path_factory.mktemp("case")
    (folder / name).write_bytes(data)
    (folder / "cwd").mkdir()
    before, here = _tree(Path.cwd()), os.getcwd()
    os.chdir(folder / "cwd")
    try:
        yield folder
    finally:
        os.chdir(here)
    assert _tree(Path.cwd()) == before
    left = {f for f in _files(folder) if f not in (name, "cwd") and not f.startswith("out")}
    assert not left, left


def one_line(exc: MuhasasaError) -> None:
    event(f"error: {str(exc).split(': ', 1)[-1][:50]}")
    assert "\n" not in str(exc) and len(str(exc)) < 2000 and "Traceback" not in str(exc)


def cli_line(code: int, err: str, argv: list[str]) -> None:
    assert "Traceback" not in err
    event(f"exit {code}: {err.split(': ')[-1][:50]}" if code else "exit 0")
    if code:
        assert code == 2, (argv, code, err)
        assert len(err.strip().splitlines()) == 1 and err.startswith("muhasasa: error: "), (argv, err)


FILE_CASES = settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))


@settings(FILE_CASES, max_examples=150)
@given(data=scenario_files(), through_cli=st.booleans(), out=st.booleans(),
       seed=st.sampled_from([0, 7, 0, 7, 0, 7, -1]))
def test_scenario_files_give_a_result_or_a_located_error(tmp_path_factory, data, through_cli, out, seed):
    with sandbox(tmp_path_factory, "s.toml", data) as folder, bounded(20):
        path = str(folder / "s.toml")
        if through_cli:
            argv = ["simulate", path, "--draws", "2", "--seed", str(seed)]
            argv += ["--out", str(folder / "out" / "run")] if out else []
            code, _, err = run_cli(argv)
            cli_line(code, err, argv)
            return
        try:
            scenario = muhasasa.load_scenario(path)
            result = muhasasa.simulate(scenario, 2, seed, out=str(folder / "out") if out else None)
        except MuhasasaError as exc:
            one_line(exc)
            return
    event("result")
    assert result.meta()["draws"] == 2


@FILE_CASES
@given(data=whatif_files(), through_cli=st.booleans())
def test_whatif_files_give_a_government_or_a_located_error(tmp_path_factory, data, through_cli):
    with sandbox(tmp_path_factory, "w.toml", data) as folder, bounded(20):
        path = str(folder / "w.toml")
        if through_cli:
            argv = ["form", "2021", "--runs", "2", "--scenario", path]
            code, _, err = run_cli(argv)
            cli_line(code, err, argv)
            return
        try:
            report = muhasasa.replay("2022", runs=2, whatif=path)
        except MuhasasaError as exc:
            one_line(exc)
            return
    event("result")
    assert report.as_dict()
