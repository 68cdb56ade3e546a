"""Result folders never lose a user's file: a manifest, atomic commits, clean interrupts,
checks before any work, and the montecarlo extra named when it is missing."""

from __future__ import annotations

import errno
import json
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from muhasasa.errors import InputError, MuhasasaError
from muhasasa.montecarlo import compare, read_summary, simulate, write_result
from muhasasa.montecarlo.store import MANIFEST, ResultFolder, check_out, read_manifest
from muhasasa.scenarios import parse_scenario

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "2025_southern_turnout.toml"
NOISY = 'base = "2025"\n[uncertainty]\nmodel = "logit-normal"\nsigma = "0.15"\ncorrelation = "0.8"\n'
FORMED = 'base = "2021"\n'


def cli(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "muhasasa", *args], check=False, capture_output=True, text=True, timeout=timeout,
                          env=env, cwd=ROOT)


def one_line_error(out: subprocess.CompletedProcess) -> str:
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1, out.stderr
    return out.stderr


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*"))


@pytest.fixture(scope="module")
def small():
    return simulate(parse_scenario(NOISY, "noisy.toml"), draws=40, seed=1)


# --------------------------------------------------------------------------- what a folder is


def test_the_reported_loss_is_refused_and_the_users_files_stay(tmp_path):
    p = tmp_path / "p"
    (p / "src").mkdir(parents=True)
    (p / "meta.json").write_text("{}")
    (p / "src" / "app.py").write_text("x")
    out = cli("simulate", str(EXAMPLE), "--draws", "100", "--out", str(p))
    assert "--out:" in one_line_error(out) and "is not a muhasasa result" in out.stderr
    forced = cli("simulate", str(EXAMPLE), "--draws", "100", "--out", str(p), "--force")
    assert "meta.json, which no result manifest lists" in one_line_error(forced)
    assert (p / "src" / "app.py").read_text() == "x" and (p / "meta.json").read_text() == "{}"
    assert sorted(x.name for x in p.iterdir()) == ["meta.json", "src"]


def test_force_writes_beside_a_users_files_and_removes_none(tmp_path):
    p = tmp_path / "p"
    (p / "src").mkdir(parents=True)
    (p / "src" / "app.py").write_text("x")
    (p / "notes.txt").write_text("mine")
    assert cli("simulate", str(EXAMPLE), "--draws", "30", "--out", str(p), "--force").returncode == 0
    assert (p / "src" / "app.py").read_text() == "x" and (p / "notes.txt").read_text() == "mine"
    assert set(read_manifest(p).names) == {"draws.parquet", "summary.parquet", "base.parquet", "scenario.toml",
                                           "meta.json"}
    # now a result: a re-run needs no --force and replaces only the manifest's files
    (p / "later.txt").write_text("added inside the result")
    again = cli("simulate", str(EXAMPLE), "--draws", "20", "--seed", "5", "--out", str(p))
    assert again.returncode == 0, again.stderr
    assert read_summary(p)[0]["draws"] == 20 and read_summary(p)[0]["seed"] == 5
    assert (p / "later.txt").read_text() == "added inside the result" and (p / "src" / "app.py").is_file()
    assert hidden(p) == []


def test_a_rerun_removes_the_old_results_files_it_does_not_write_again(tmp_path):
    formed = simulate(parse_scenario(FORMED, "f.toml"), draws=3, seed=0, formation=True)
    out = write_result(formed, tmp_path / "r")
    assert {"formation.parquet", "governments.parquet"} <= set(read_manifest(out).names)
    (out / "mine.parquet").write_bytes(b"a user's own parquet")
    write_result(simulate(parse_scenario(NOISY, "n.toml"), draws=5, seed=0), out)
    names = {p.name for p in out.iterdir()}
    assert "formation.parquet" not in names and "governments.parquet" not in names
    assert (out / "mine.parquet").read_bytes() == b"a user's own parquet"
    assert read_summary(out)[2] == []


def test_an_empty_or_missing_folder_is_written_and_its_parents_created(tmp_path, small):
    (tmp_path / "empty").mkdir()
    write_result(small, tmp_path / "empty")
    deep = write_result(small, tmp_path / "a" / "b" / "c")
    assert read_manifest(deep).complete and read_summary(deep)[0]["draws"] == 40


@pytest.mark.parametrize("manifest", [
    {"format": "muhasasa-montecarlo-result", "version": 1, "complete": True,
     "files": [{"name": "../victim.txt", "bytes": 1, "sha256": "0" * 64}]},
    {"format": "muhasasa-montecarlo-result", "version": 1, "complete": True,
     "files": [{"name": "src", "bytes": 1, "sha256": "0" * 64}]},
    {"format": "something-else", "version": 1, "complete": True, "files": []},
    "not json at all",
])
def test_a_foreign_or_hostile_manifest_is_refused_and_nothing_is_removed(tmp_path, small, manifest):
    p = tmp_path / "p"
    (p / "src").mkdir(parents=True)
    (tmp_path / "victim.txt").write_text("keep")
    (p / MANIFEST).write_text(manifest if isinstance(manifest, str) else json.dumps(manifest))
    with pytest.raises(InputError, match="not a muhasasa result manifest") as info:
        write_result(small, p, force=True)
    assert info.value.field == "out"
    assert (tmp_path / "victim.txt").read_text() == "keep" and (p / "src").is_dir()


def test_a_listed_name_that_is_a_folder_is_left_alone(tmp_path, small):
    out = write_result(small, tmp_path / "r")
    (out / "draws.parquet").unlink()
    (out / "draws.parquet").mkdir()
    (out / "draws.parquet" / "inside.txt").write_text("a user's")
    with pytest.raises(InputError, match="is a folder"):
        write_result(small, out)
    assert (out / "draws.parquet" / "inside.txt").read_text() == "a user's"


def test_a_path_that_is_a_file_is_refused(tmp_path, small):
    (tmp_path / "f").write_text("x")
    for target in (tmp_path / "f", tmp_path / "f" / "below"):
        with pytest.raises(InputError, match="not a folder"):
            check_out(target)
    assert (tmp_path / "f").read_text() == "x"


def test_a_changed_result_file_is_not_read(tmp_path, small):
    out = write_result(small, tmp_path / "r")
    (out / "summary.parquet").write_bytes(b"x")
    with pytest.raises(InputError, match="changed after the run wrote it"):
        read_summary(out)
    with pytest.raises(InputError, match="no muhasasa-result.json"):
        read_summary(tmp_path)


# --------------------------------------------------------------------------- failures and checks


def test_an_error_while_writing_keeps_the_old_result_and_removes_what_the_run_created(tmp_path, small, monkeypatch):
    out = write_result(small, tmp_path / "r")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    import pyarrow.parquet

    def broken(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pyarrow.parquet, "write_table", broken)
    with pytest.raises(OSError):
        write_result(small, out)
    with pytest.raises(OSError):
        write_result(small, tmp_path / "new" / "deep")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


def test_a_folder_the_process_cannot_write_is_refused_before_computing():
    start = time.monotonic()
    out = cli("simulate", str(EXAMPLE), "--draws", "5000000", "--out", "/sys/muhasasa-result")
    assert "cannot write in /sys" in one_line_error(out)
    assert time.monotonic() - start < 60  # 5,000,000 draws would take minutes


def test_a_read_only_file_system_is_refused_before_computing(tmp_path, monkeypatch):
    real = Path.mkdir

    def read_only(self, *args, **kwargs):
        if str(self).startswith(str(tmp_path)):
            raise OSError(errno.EROFS, "Read-only file system", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", read_only)
    with pytest.raises(InputError, match="Read-only file system") as info:
        check_out(tmp_path / "r")
    assert info.value.field == "out"


def test_two_runs_cannot_write_into_one_folder_at_once(tmp_path):
    with ResultFolder(tmp_path / "r") as first:
        with pytest.raises(InputError, match="another run is writing"), ResultFolder(tmp_path / "r"):
            pass
        first.write_text("meta.json", "{}")
        first.commit()
    assert read_manifest(tmp_path / "r").names == ("meta.json",)


def test_a_killed_runs_staging_folder_is_cleared_by_the_next_run(tmp_path, small):
    out = write_result(small, tmp_path / "r")
    stale = out / ".muhasasa-staging-0123456789ab"
    stale.mkdir()
    (stale / "muhasasa-staging").write_bytes(b"")
    (stale / "draws.parquet").write_bytes(b"half")
    mine = out / ".my-hidden-folder"
    mine.mkdir()
    write_result(small, out)
    assert hidden(out) == [".my-hidden-folder"]


# --------------------------------------------------------------------------- signals

KILLER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from muhasasa.montecarlo import simulate, write_result
    from muhasasa.scenarios import parse_scenario
    result = simulate(parse_scenario({text!r}, "s.toml"), draws=30, seed=7)
    real = os.replace
    def replace(a, b):
        if Path(b).name == "summary.parquet":
            os.kill(os.getpid(), signal.{sig})  # arrives in the middle of the commit
        return real(a, b)
    os.replace = replace
    write_result(result, sys.argv[1])
    print("not reached")
""")


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGINT"])
def test_a_signal_during_the_commit_waits_for_it_and_leaves_the_new_result(tmp_path, small, sig):
    out = write_result(small, tmp_path / "r")
    (out / "mine.txt").write_text("mine")
    code = KILLER.format(text=NOISY, sig=sig)
    run = subprocess.run([sys.executable, "-c", code, str(out)], check=False, capture_output=True, text=True, timeout=120)
    assert "not reached" not in run.stdout
    if sig == "SIGTERM":
        assert run.returncode == -signal.SIGTERM, run.stderr
    else:
        assert "KeyboardInterrupt" in run.stderr  # the signal ends the process as it would have
    meta = read_summary(out)[0]
    assert meta["seed"] == 7 and read_manifest(out).complete
    assert (out / "mine.txt").read_text() == "mine" and hidden(out) == []


def _staging_of(folder: Path) -> bool:
    return any(p.name.startswith(".muhasasa-staging-") and (p / "muhasasa-staging").exists()
               for p in folder.iterdir()) if folder.is_dir() else False


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_real_signal_while_writing_leaves_the_old_result_and_no_temporary_folder(tmp_path, small, sig):
    out = write_result(small, tmp_path / "r")
    (out / "mine.txt").write_text("mine")
    before = read_manifest(out)
    proc = subprocess.Popen([sys.executable, "-m", "muhasasa", "simulate", str(EXAMPLE), "--draws", "40000",
                             "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    deadline = time.monotonic() + 100
    while not _staging_of(out) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    assert proc.poll() is None, "the run ended before it was interrupted"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    assert "Traceback" not in err, err
    assert proc.returncode == (-signal.SIGTERM if sig == signal.SIGTERM else 130), err
    assert read_manifest(out) == before and read_summary(out)[0]["draws"] == 40
    assert (out / "mine.txt").read_text() == "mine" and hidden(out) == []


# --------------------------------------------------------------------------- the extra and compare

BLOCK = textwrap.dedent("""
    import sys
    class Block:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("pyarrow", "duckdb"):
                raise ImportError(f"No module named {name!r}")
            return None
    sys.meta_path.insert(0, Block())
    from muhasasa.cli import main
    main(sys.argv[1:])
""")


def test_without_the_extra_simulate_out_and_compare_stop_before_any_work(tmp_path):
    start = time.monotonic()
    run = subprocess.run([sys.executable, "-c", BLOCK, "simulate", str(EXAMPLE), "--draws", "5000000", "--out",
                          str(tmp_path / "r")], check=False, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert "montecarlo extra" in one_line_error(run) and "pip install 'muhasasa[montecarlo]'" in run.stderr
    assert time.monotonic() - start < 60 and not (tmp_path / "r").exists()
    both = subprocess.run([sys.executable, "-c", BLOCK, "compare", str(tmp_path), str(tmp_path)], check=False,
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert "montecarlo extra" in one_line_error(both)
    # without --out the run needs no extra
    plain = subprocess.run([sys.executable, "-c", BLOCK, "simulate", str(EXAMPLE), "--draws", "20"], check=False,
                           capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert plain.returncode == 0 and "P(>=165)" in plain.stdout, plain.stderr


def test_compare_of_different_bases_is_refused_unless_allowed_and_then_labelled(tmp_path, small):
    a = write_result(small, tmp_path / "a")
    b = write_result(simulate(parse_scenario('base = "2021"\nlaw = "2018"\n', "b.toml"), draws=10), tmp_path / "b")
    with pytest.raises(InputError, match="A stands on election 2025 and B on election 2021") as info:
        compare(a, b)
    assert info.value.field == "allow_different_base"
    found = compare(a, b, allow_different_base=True)
    assert found.different_base and "two parliaments" in found.note
    same = compare(a, a)
    assert not same.different_base and same.note is None
    refused = cli("compare", str(a), str(b))
    assert "--allow-different-base:" in one_line_error(refused)
    shown = cli("compare", str(a), str(b), "--allow-different-base")
    assert shown.returncode == 0 and "note: A stands on election 2025" in shown.stdout
    with pytest.raises(MuhasasaError):
        compare(a, b, allow_different_base="yes")
