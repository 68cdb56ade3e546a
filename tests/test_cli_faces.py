"""The command line as a face: options named in errors, one line each, quiet pipes, progress
on a terminal, and imports of nothing but the public package."""

from __future__ import annotations

import ast
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

import muhasasa

CLI = Path(muhasasa.__file__).with_name("cli.py")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "muhasasa", *args], capture_output=True, text=True, timeout=120, check=False)


def test_the_cli_imports_only_the_public_package():
    tree = ast.parse(CLI.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level:
            imported.add(node.module or "")
    ours = {m for m in imported if m.split(".")[0] == "muhasasa"}
    assert ours <= {"muhasasa", "muhasasa.errors"}, ours
    assert "muhasasa.web.app" not in ours


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["power", "2021", "--index", "banzaf"], "--index"),
        (["power", "2021", "--index", ""], "--index"),
        (["coalitions", "2021", "--limit", "-1"], "'--limit'"),
        (["seats", "2025", "--seed", "-1"], "'--seed'"),
        (["power", "2021", "--blocs", "1999-01-01"], "--blocs"),
        (["power", "2021", "--step", "presidnet"], "--step"),
        (["coalitions", "2021", "--communities", "Shia"], "--communities"),
        (["seats", "2025", "--pack", "atlantis"], "--pack"),
    ],
)
def test_a_bad_option_is_one_line_naming_the_option(args, option):
    out = run(*args)
    assert out.returncode == 2, out.stdout
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in out.stderr, out.stderr
    assert lines[0].startswith("muhasasa: error:") and option in lines[0], lines[0]


def test_the_library_error_names_a_field_not_a_flag():
    with pytest.raises(muhasasa.InputError) as info:
        muhasasa.players("2021", by="bloc", blocs="1999-01-01")
    assert info.value.field == "blocs" and "--" not in str(info.value)


@pytest.mark.parametrize("args", [["seats", "2025"], ["verify", "--format", "json"], ["laws"]])
def test_a_closed_pipe_ends_quietly_with_exit_0(args):
    command = " ".join([sys.executable, "-m", "muhasasa", *args]) + " | head -1"
    out = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stderr == "" and len(out.stdout.splitlines()) == 1


def test_long_runs_show_progress_on_a_terminal_only():
    args = [sys.executable, "-m", "muhasasa", "replay", "2022", "--runs", "400", "--seed", "1"]
    piped = subprocess.run(args, capture_output=True, text=True, timeout=300, check=False)
    assert piped.returncode == 0 and "replaying" not in piped.stderr
    main, secondary = pty.openpty()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=secondary, stdin=subprocess.DEVNULL)
    os.close(secondary)
    seen = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    process.wait(timeout=300)
    os.close(main)
    assert process.returncode == 0
    assert b"replaying 2022" in seen


def test_every_command_that_reads_a_pack_takes_the_pack_option():
    from muhasasa.cli import cli

    pack_free = {"methods", "indices", "allocate", "compare", "serve",
                 "systems"}  # systems: its packs are its arguments
    for name, command in cli.commands.items():
        options = {o for p in command.params for o in getattr(p, "opts", [])}
        if name not in pack_free:
            assert "--pack" in options, name
