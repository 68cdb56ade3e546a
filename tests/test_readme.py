"""The README's Quick start holds exactly two commands, and CI runs the second; every
``muhasasa …`` line of its usage section runs as written, and every extra is listed."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def quick_start_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", section, flags=re.DOTALL)]


def test_quick_start_has_exactly_two_commands():
    commands = quick_start_commands()
    assert len(commands) == 2
    assert all("\n" not in c for c in commands)
    assert "muhasasa serve" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_second_quick_start_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == quick_start_commands()[1]


# --------------------------------------------------------------------------- usage examples run as written


def usage_commands() -> list[str]:
    """Every ``muhasasa …`` line of the README's usage section ("What it does"), comments cut."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## What it does", 1)[1].split("\n## ", 1)[0]
    lines = []
    for block in re.findall(r"```bash\n(.*?)```", section, flags=re.DOTALL):
        for line in block.splitlines():
            command = line.split("  #", 1)[0].strip()
            if command.startswith("muhasasa "):
                lines.append(command)
    return lines


def _run(command: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "muhasasa", *shlex.split(command)[1:]], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600, check=False)


def test_usage_section_lists_the_commands():
    commands = usage_commands()
    assert len(commands) >= 20
    assert any(c.startswith("muhasasa serve") for c in commands)
    assert any(c.startswith("muhasasa compare") for c in commands)


def test_every_usage_example_runs_as_written(tmp_path):
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    for command in usage_commands():
        if command.startswith("muhasasa serve"):
            continue  # below: started and stopped
        proc = _run(command, tmp_path)
        assert proc.returncode == 0, f"{command}\n{proc.stderr}"
        assert "Traceback" not in proc.stderr
    assert (tmp_path / "parliament.svg").is_file()
    assert (tmp_path / "results" / "south").is_dir() and (tmp_path / "results" / "boycott").is_dir()


def test_serve_example_starts_and_stops(tmp_path):
    command = next(c for c in usage_commands() if c.startswith("muhasasa serve"))
    port = int(shlex.split(command)[shlex.split(command).index("--port") + 1])
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    log = tmp_path / "serve.log"
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "muhasasa", *shlex.split(command)[1:]], cwd=tmp_path, env=env,
                                stdout=subprocess.DEVNULL, stderr=err)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json", timeout=2) as answer:
                    assert answer.status == 200
                    break
            except OSError:
                assert proc.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "the explorer did not answer within 60 s"
                time.sleep(0.5)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert "Traceback" not in log.read_text()


def test_every_extra_is_listed():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    section = text.split("### Extras", 1)[1]
    for extra in extras:
        assert f"[{extra}]" in section, extra
