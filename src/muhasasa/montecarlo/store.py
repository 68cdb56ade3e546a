"""Result folders: written atomically, recognised by a manifest, never losing a user's file.

A Monte Carlo result is a folder of files (:data:`RESULT_FILES`) and a manifest,
:data:`MANIFEST`, that lists the files the run wrote with their sizes and SHA-256 sums.
The manifest is the only thing that makes a folder a result:

* a new or empty folder (its parents are created) is written;
* a folder whose manifest is valid is a result: a new run replaces exactly the files the
  old manifest lists and leaves everything else alone (a user's notes, a script, a
  sub-folder);
* any other non-empty folder is refused, unless ``force=True``; even then, nothing is
  removed, and a file that would be overwritten but that no manifest lists is refused.

**Atomic.** Everything is written first into a hidden staging folder inside the output
folder (:class:`ResultFolder`); only a complete set of files is committed, by renames on
the same file system, with the manifest renamed in first (listing the old and new files,
``complete: false``) and last (the new files, ``complete: true``), so that at every
moment the manifest lists every file a run owns. SIGINT and SIGTERM while the run is
computing or writing remove the staging folder (and any folder the run created) and end
the process as the signal would have; a signal that arrives during the commit's renames
is held until the commit is done. Either the old result or the new one is left, and no
temporary folder.

**Checked before any work.** :func:`check_out` (the library's own check, run by
:class:`ResultFolder` and by the faces before they compute) refuses a path that is a
file, a folder that is not a result, a broken or hostile manifest, and a place the
process cannot write (a read-only file system, a folder without write permission: a
real probe, not a guess from permission bits), and names the ``montecarlo`` extra
when pyarrow is missing.

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as tmp:
...     out = pathlib.Path(tmp) / "a" / "b"
...     with ResultFolder(out) as folder:
...         _ = folder.path("meta.json").write_text("{}")
...         _ = folder.commit()
...     sorted(p.name for p in out.iterdir()), read_manifest(out).names
(['meta.json', 'muhasasa-result.json'], ('meta.json',))
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import importlib
import json
import os
import re
import secrets
import shutil
import signal
import threading
from dataclasses import dataclass
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any, Self

from muhasasa.errors import InputError, MuhasasaError

__all__ = [
    "MANIFEST",
    "RESULT_FILES",
    "Manifest",
    "ResultFolder",
    "check_out",
    "read_manifest",
    "require_extra",
    "result_folder",
]

#: The manifest's file name: the mark of a muhasasa result folder.
MANIFEST = "muhasasa-result.json"
#: What the manifest says it is.
FORMAT = "muhasasa-montecarlo-result"
VERSION = 1
#: Every file a result may hold; a manifest that lists any other name is not ours.
RESULT_FILES = ("draws.parquet", "summary.parquet", "base.parquet", "formation.parquet", "governments.parquet",
                "scenario.toml", "meta.json")
#: Staging folders (hidden, inside the output folder) start with this; a file
#: :data:`STAGING_MARK` inside says the folder is a run's own.
STAGING_PREFIX = ".muhasasa-staging-"
STAGING_MARK = "muhasasa-staging"
#: The signals that end a run cleanly.
SIGNALS = (signal.SIGINT, signal.SIGTERM)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_EXTRA = "pip install 'muhasasa[montecarlo]'"


def require_extra(*modules: str, purpose: str) -> None:
    """Import ``modules`` (the ``montecarlo`` extra) or raise one MuhasasaError naming the
    extra, before any work is done.

    >>> require_extra("json", purpose="reading results")
    >>> require_extra("no_such_module_x", purpose="writing results")
    Traceback (most recent call last):
    ...
    muhasasa.errors.MuhasasaError: writing results needs the montecarlo extra (no_such_module_x is not installed): pip install 'muhasasa[montecarlo]'
    """
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError:
            raise MuhasasaError(f"{purpose} needs the montecarlo extra ({name} is not installed): {_EXTRA}") from None


def _error(problem: str) -> InputError:
    return InputError("argument", problem, field="out")


# --------------------------------------------------------------------------- the manifest


@dataclass(frozen=True)
class Entry:
    """One file of a result: its name, size and SHA-256."""

    name: str
    bytes: int
    sha256: str

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "bytes": self.bytes, "sha256": self.sha256}


@dataclass(frozen=True)
class Manifest:
    """The files a run wrote; ``complete`` is false only while a commit is under way."""

    files: tuple[Entry, ...]
    complete: bool = True

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(e.name for e in self.files)

    def entry(self, name: str) -> Entry | None:
        return next((e for e in self.files if e.name == name), None)

    def text(self) -> str:
        body = {"format": FORMAT, "version": VERSION, "complete": self.complete,
                "files": [e.as_dict() for e in self.files]}
        return json.dumps(body, indent=2) + "\n"


def read_manifest(folder: str | Path) -> Manifest | None:
    """The manifest of ``folder``, None if it has none; an unreadable, foreign or hostile
    manifest (a name outside :data:`RESULT_FILES`, a path) is an InputError, so that no
    file is ever removed on its word."""
    path = Path(folder) / MANIFEST
    if not path.exists() and not path.is_symlink():
        return None

    def bad(why: str) -> InputError:
        return _error(f"{path} is not a muhasasa result manifest ({why}); the folder is left alone")

    if not path.is_file():
        raise bad("not a regular file")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise bad(type(exc).__name__) from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT or raw.get("version") != VERSION:
        raise bad(f"format {FORMAT!r} version {VERSION} expected")
    files, complete = raw.get("files"), raw.get("complete")
    if not isinstance(files, list) or not isinstance(complete, bool):
        raise bad("files and complete expected")
    entries = []
    for item in files:
        if not isinstance(item, dict) or set(item) != {"name", "bytes", "sha256"}:
            raise bad("each file needs name, bytes and sha256")
        name, size, digest = item["name"], item["bytes"], item["sha256"]
        if name not in RESULT_FILES:
            raise bad(f"it lists {name!r}, which no run writes")
        if isinstance(size, bool) or not isinstance(size, int) or size < 0 or not isinstance(digest, str) \
                or not _SHA256.match(digest):
            raise bad(f"the size or sum of {name!r} is not valid")
        entries.append(Entry(name, size, digest))
    if len({e.name for e in entries}) != len(entries):
        raise bad("a file is listed twice")
    return Manifest(tuple(entries), complete)


def _entry(path: Path, name: str) -> Entry:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return Entry(name, path.stat().st_size, digest.hexdigest())


def result_folder(folder: str | Path) -> tuple[Path, Manifest]:
    """A complete result folder to read: its manifest lists ``summary.parquet`` and
    ``meta.json``, and each listed file is there with the size the manifest gives."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(str(folder), "not a folder (a result folder is written by simulate with out=...)")
    manifest = read_manifest(folder)
    if manifest is None:
        raise InputError(str(folder), f"not a muhasasa result folder: it has no {MANIFEST} (a result folder is "
                                      "written by simulate with out=...)")
    if not manifest.complete:
        raise InputError(str(folder), "the result is incomplete: a run was stopped while it was being written; "
                                      "run it again")
    for name in ("meta.json", "summary.parquet"):
        if name not in manifest.names:
            raise InputError(str(folder), f"the manifest lists no {name}")
    for entry in manifest.files:
        path = folder / entry.name
        if not path.is_file() or path.stat().st_size != entry.bytes:
            raise InputError(str(folder), f"{entry.name} is missing or was changed after the run wrote it")
    return folder, manifest


# --------------------------------------------------------------------------- checks


def _ours(path: Path) -> bool:
    """A staging folder left by a run that was killed (SIGKILL, power loss)."""
    return path.name.startswith(STAGING_PREFIX) and path.is_dir() and (path / STAGING_MARK).is_file()


def _probe(folder: Path) -> None:
    """Create and remove a hidden folder in ``folder``: the only honest test of writing."""
    try:
        probe = folder / f"{STAGING_PREFIX}probe-{secrets.token_hex(6)}"
        probe.mkdir()
        probe.rmdir()
    except OSError as exc:
        raise _error(f"cannot write in {folder}: {exc.strerror or exc}") from None


def check_out(out: str | Path, *, force: bool = False) -> Path:
    """An output folder a result may be written to, checked before any work.

    New or empty: written (missing parents are created). A result (it has a valid
    :data:`MANIFEST`): the files its manifest lists are replaced, nothing else. Anything
    else non-empty: refused unless ``force``; with ``force`` the run writes beside the
    files there, and refuses if one of them has the name of a result file. A place the
    process cannot write is refused by a real probe. Needs pyarrow (the montecarlo extra).
    """
    require_extra("pyarrow", "pyarrow.parquet", purpose="writing results")
    if not isinstance(force, bool):
        raise InputError("argument", f"force must be true or false, got {force!r}", field="force")
    if not isinstance(out, (str, os.PathLike)) or not str(out).strip():
        raise _error(f"the output folder must be a path, got {out!r}")
    out = Path(out)
    if out.exists() or out.is_symlink():
        if not out.is_dir():
            raise _error(f"{out} exists and is not a folder")
        manifest = read_manifest(out)
        entries = [p for p in out.iterdir() if not _ours(p)]
        if manifest is None and entries:
            names = sorted(p.name for p in entries)
            if not force:
                shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
                raise _error(f"{out} is not empty ({shown}) and is not a muhasasa result (it has no {MANIFEST}); "
                             "give a new or empty folder, or force the write (the run then writes beside these "
                             "files and removes none of them)")
            clash = sorted(set(names) & set(RESULT_FILES))
            if clash:
                raise _error(f"{out} holds {', '.join(clash)}, which no result manifest lists; even with force a "
                             "file that is not a run's own is never replaced: move it away first")
        for name in manifest.names if manifest is not None else ():
            path = out / name
            if (path.exists() or path.is_symlink()) and (path.is_dir() and not path.is_symlink()):
                raise _error(f"{path} is a folder, but the manifest lists it as a file; the folder is left alone")
        _probe(out)
    else:
        ancestor = out.parent
        while not ancestor.exists():
            if ancestor.parent == ancestor:
                break
            ancestor = ancestor.parent
        if not ancestor.is_dir():
            raise _error(f"{ancestor} is not a folder, so {out} cannot be created")
        _probe(ancestor)
    return out


# --------------------------------------------------------------------------- signals


class _Interrupted(BaseException):
    """SIGINT or SIGTERM arrived while a result was being computed or written."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class _SignalGuard:
    """SIGINT and SIGTERM become :class:`_Interrupted` (so cleanup runs) while installed,
    and are held back while ``holding``; installed only in the main thread."""

    def __init__(self) -> None:
        self.previous: dict[int, Any] = {}
        self.holding = False
        self.pending: int | None = None

    def install(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        for signum in SIGNALS:
            self.previous[signum] = signal.getsignal(signum)
            signal.signal(signum, self._handle)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.holding:
            self.pending = signum
            return
        raise _Interrupted(signum)

    def release(self) -> None:
        """Stop holding; a signal that arrived meanwhile is raised now."""
        self.holding = False
        if self.pending is not None:
            signum, self.pending = self.pending, None
            raise _Interrupted(signum)

    def uninstall(self) -> None:
        for signum, handler in self.previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
        self.previous = {}


def _resend(signum: int, out: Path) -> None:
    """End as the signal would have without us (its previous handler now in place)."""
    signal.raise_signal(signum)
    raise MuhasasaError(f"interrupted by {signal.Signals(signum).name}; {out} is as it was before the run")


# --------------------------------------------------------------------------- writing


class ResultFolder:
    """The output folder of one run, as a context manager: files are written into a hidden
    staging folder (:meth:`path`) and only :meth:`commit` makes them the result.

    Leaving the block without a commit (an error, SIGINT, SIGTERM) removes the staging
    folder and every folder the run created, and leaves the old result as it was. Two
    runs cannot write into one folder at once (a lock on the folder).
    """

    def __init__(self, out: str | Path, *, force: bool = False) -> None:
        self.out = check_out(out, force=force)
        self.force = force
        self.staging: Path | None = None
        self._created: list[Path] = []
        self._names: list[str] = []
        self._lock: int | None = None
        self._guard = _SignalGuard()
        self.committed = False

    # -- entering and leaving
    def __enter__(self) -> Self:
        self._guard.install()
        try:
            self._open()
        except BaseException:
            self._abort()
            self._guard.uninstall()
            raise
        return self

    def _open(self) -> None:
        missing = []
        folder = self.out
        while not folder.exists():
            missing.append(folder)
            folder = folder.parent
        for folder in reversed(missing):
            try:
                folder.mkdir()
            except FileExistsError:
                continue
            except OSError as exc:
                raise _error(f"cannot create {folder}: {exc.strerror or exc}") from None
            self._created.append(folder)
        self._lock = os.open(self.out, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise _error(f"another run is writing into {self.out}") from None
            raise
        check_out(self.out, force=self.force)  # again, now that no other run can change it
        for stale in self.out.iterdir():
            if _ours(stale):
                shutil.rmtree(stale, ignore_errors=True)
        staging = self.out / f"{STAGING_PREFIX}{secrets.token_hex(6)}"
        staging.mkdir()
        self.staging = staging
        (staging / STAGING_MARK).write_bytes(b"")

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> bool:
        self._guard.holding = True  # a second signal must not cut the cleanup short
        if not self.committed:
            self._abort()
        self._unlock()
        pending = self._guard.pending
        self._guard.uninstall()
        signum = exc.signum if isinstance(exc, _Interrupted) else pending
        if signum is not None:
            _resend(signum, self.out)
        return False

    def _abort(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
        for folder in reversed(self._created):
            try:
                folder.rmdir()  # only if still empty: a user's file in it stays
            except OSError:
                break
        self._created = []

    def _unlock(self) -> None:
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    # -- writing
    def path(self, name: str) -> Path:
        """Where to write the result file ``name`` (one of :data:`RESULT_FILES`)."""
        if name not in RESULT_FILES:
            raise ValueError(f"{name!r} is not a result file")
        if self.staging is None:
            raise RuntimeError("the result folder is not open")
        if name not in self._names:
            self._names.append(name)
        return self.staging / name

    def write_text(self, name: str, text: str) -> Path:
        path = self.path(name)
        path.write_text(text, encoding="utf-8")
        return path

    def commit(self) -> Path:
        """Make the staged files the result (see the module's notes): replaces exactly the
        files of the old manifest, holding SIGINT/SIGTERM until it is done."""
        if self.staging is None:
            raise RuntimeError("the result folder is not open")
        staged = [name for name in self._names if (self.staging / name).is_file()]
        new = Manifest(tuple(_entry(self.staging / name, name) for name in staged))
        for name in staged:
            _fsync(self.staging / name)
        old = read_manifest(self.out)
        old_files = old.files if old is not None else ()
        gone = [e for e in old_files if e.name not in new.names]
        interim = Manifest((*new.files, *gone), complete=False)
        self._guard.holding = True
        try:
            self._install(interim)
            for name in staged:
                os.replace(self.staging / name, self.out / name)
            for entry in gone:
                path = self.out / entry.name
                if path.is_file() or path.is_symlink():
                    path.unlink()
            self._install(new)
            _fsync_dir(self.out)
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
            self._created = []
            self.committed = True
        finally:
            self._guard.release()
        return self.out

    def _staged_manifest(self) -> Path:
        if self.staging is None:
            raise RuntimeError("the result folder is not open")
        return self.staging / MANIFEST

    def _install(self, manifest: Manifest) -> None:
        tmp = self._staged_manifest()
        tmp.write_text(manifest.text(), encoding="utf-8")
        _fsync(tmp)
        os.replace(tmp, self.out / MANIFEST)


def _fsync(path: Path) -> None:
    """Flush a file (or folder) to disk, so that a rename never exposes an empty file."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    try:
        _fsync(path)
    except OSError:  # pragma: no cover - some file systems refuse fsync on folders
        pass
