"""The library names fields, the CLI names its own options: every error about an argument
that reaches the command line names an option (or argument) that the command has.

Each case below is a mistake a user can type; the error the library raises is caught on
its way out (``cli.message`` is wrapped), so the test knows which field the library named
and checks the printed line against the command's own parameters.
"""

from __future__ import annotations

import click
import pytest

from muhasasa import cli
from tests.hostile_helpers import about_an_argument, message_spy, run_cli, shown_names

SCENARIO = "examples/2025_southern_turnout.toml"
# (arguments, the option or argument the printed line must start with)
CASES = [
    (["allocate", "{votes}", "--method", "dhondt", "--seats", "3", "--threshold", "-1"], "--threshold"),
    (["allocate", "{votes}", "--method", "dhondt", "--seats", "3", "--threshold", "0.05"], "--threshold"),
    (["allocate", "{votes}", "--method", "dhondt", "--seats", "3", "--threshold", "abc"], "--threshold"),
    (["allocate", "{votes}", "--method", "dhondt", "--seats", "3", "--threshold", "10" * 60], "--threshold"),
    (["allocate", "{votes}", "--method", "dhondt", "--seats", "3", "--threshold", "100000000000000000000"], "FILE"),
    (["allocate", "{votes}", "--method", "dhondt", "--seats", "3", "--first-divisor", "1.7"], "--first-divisor"),
    (["allocate", "{votes}", "--method", "sainte-lague-modified", "--seats", "3", "--first-divisor", "9"],
     "--first-divisor"),
    (["allocate", "{votes}", "--method", "dhondt", "--seats", "-1"], "--seats"),
    (["allocate", "{votes}", "--method", "x", "--seats", "3"], "--method"),
    (["allocate", "{votes}", "--method", "dhondt", "--seats", "3", "--param", "x"], "--param"),
    (["allocate", "{votes}", "--method", "dhondt", "--seats", "3", "--param", "x=1"], "--param"),
    (["allocate", "", "--method", "dhondt", "--seats", "3"], "FILE"),
    (["seats", "abc"], "ELECTION"),
    (["seats", "2021", "--law", "x"], "--law"),
    (["laws", "abc"], "LAW_ID"),
    (["steps", "abc"], "ELECTION"),
    (["power", "2021", "--quota", "100000"], "--quota"),
    (["power", "2021", "--index", ","], "--index"),
    (["power", "2021", "--index", "x"], "--index"),
    (["power", "2021", "--step", "x"], "--step"),
    (["power", "2021", "--communities", "x"], "--communities"),
    (["coalitions", "2021", "--limit", "100000000000000000000"], "--limit"),
    (["coalitions", "2021", "--order", "fatah"], "--order"),
    (["coalitions", "2021", "--mandate", ","], "--mandate"),
    (["coalitions", "2021", "--mandate", "fatah,fatah"], "--mandate"),
    (["coalitions", "2021", "--must-include", "x"], "--must-include"),
    (["replay", "abc", "--runs", "3"], "CYCLE"),
    (["replay", "2022", "--runs", "0"], "--runs"),
    (["replay", "2022", "--runs", "3", "--without", "x"], "--without"),
    (["form", "2021", "--runs", "1000000000"], "--runs"),
    (["simulate", SCENARIO, "--draws", "0"], "--draws"),
    (["simulate", SCENARIO, "--draws", "5", "--workers", "0"], "--workers"),
    (["simulate", SCENARIO, "--draws", "5", "--out", ""], "--out"),
    (["plot", "2021", "-o", ""], "--output"),
    (["verify", "--body", "x"], "--body"),
    (["bodies", "--pack", "x"], "--pack"),
]


@pytest.fixture
def caught(monkeypatch):
    """The library errors that reach :func:`muhasasa.cli.message`, with the line printed."""
    seen: list[tuple[Exception, str]] = []
    monkeypatch.setattr(cli, "message", message_spy(seen))
    return seen


@pytest.mark.parametrize(("argv", "expected"), CASES, ids=[" ".join(a)[:60] for a, _ in CASES])
def test_each_field_is_printed_as_its_commands_option(tmp_path, caught, argv, expected):
    votes = tmp_path / "votes.csv"
    votes.write_text("list,votes\nA,100\nB,50\n", encoding="utf-8")
    argv = [a.format(votes=votes) for a in argv]
    code, _, err = run_cli(argv)
    assert code == 2, err
    assert caught, f"no library error reached the CLI: {err}"
    exc, line = caught[-1]
    assert about_an_argument(exc, argv), exc
    assert line.startswith(f"{expected}: "), line
    assert expected in shown_names(cli.cli.commands[argv[0]])
    assert "field" not in line.split(":")[0]  # never "threshold, field threshold"


HOSTILE = ["-1", "abc", "", "1.5", "100000000000000000000", ","]
QUICK = {  # commands that answer in a moment, with the arguments that make them run
    "allocate": ["{votes}", "--method", "dhondt", "--seats", "3"],
    "power": ["2021"], "coalitions": ["2021"], "seats": ["2021"], "steps": ["2021"],
    "laws": [], "women": ["2021"], "metrics": ["2021"], "replay": ["2022", "--runs", "2"],
    "form": ["2021", "--runs", "2"],
}


@pytest.mark.parametrize("name", sorted(QUICK))
def test_every_option_given_a_hostile_value_names_an_option_of_its_command(tmp_path, caught, monkeypatch, name):
    votes = tmp_path / "votes.csv"
    votes.write_text("list,votes\nA,100\nB,50\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    command = cli.cli.commands[name]
    names = shown_names(command)
    checked = 0
    for param in command.params:
        if not isinstance(param, click.Option) or param.is_flag or param.name in ("fmt", "by", "kind"):
            continue
        option = max(param.opts, key=len)
        base = [name, *(a.format(votes=votes) for a in QUICK[name])]
        if option in base:
            at = base.index(option)
            base = base[:at] + base[at + 2:]
        for value in HOSTILE:
            caught.clear()
            argv = [*base, option, value]
            code, _, err = run_cli(argv)
            assert "Traceback" not in err
            if code != 2 or not caught:
                continue
            exc, line = caught[-1]
            assert len(err.strip().splitlines()) == 1, err
            if about_an_argument(exc, argv):
                assert line.split(":")[0] in names, (argv, line)
                checked += 1
    assert checked, f"no hostile value of {name} reached the library"
