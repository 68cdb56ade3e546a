"""Heavy work in worker processes, stopped when its time is up or its client leaves.

The explorer's heavy requests (enumerating power indices, searching coalitions, replaying
a formation cycle, a Monte Carlo run) never run on the server's own threads: each runs
in one of at most :data:`SIZE` worker processes (one per core, at a lower priority), so
a light request is answered at once while four heavy ones run. A run past its limit, or
whose client has gone (:data:`CANCEL`, set by the app for each request), ends by
terminating its worker; a fresh one is started in its place.

A job is a module-level function and its arguments (both pickled to the worker); it
returns plain values. A library error in the worker comes back as the same kind of
error (its message kept); anything else is a bug and comes back as :class:`WorkerCrash`.
"""

from __future__ import annotations

import contextvars
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from muhasasa.errors import MuhasasaError, UnknownNameError

__all__ = ["CANCEL", "SIZE", "Refused", "RunLimit", "TooHeavy", "WorkerCrash", "run"]

#: At most one heavy worker per core.
SIZE = max(1, min(4, os.cpu_count() or 1))
#: How much lower than the server the workers run (``os.nice``).
NICE = 10

#: Set (per request, by the app) to an Event that is set when the client has gone.
CANCEL: contextvars.ContextVar[threading.Event | None] = contextvars.ContextVar("muhasasa_cancel", default=None)


class RunLimit(MuhasasaError):
    """A run the explorer stopped or refused: too slow, or its client left (HTTP 503)."""


class TooHeavy(RunLimit):
    """A run refused before it starts: the library's estimate says it cannot finish in
    its time limit (HTTP 422). Carries what the advice is made of: the estimated seconds,
    the limit, the parts that are too heavy alone (``heavy``), the quick ones (``quick``)
    and whether a bloc map would shrink the game (``fewer_players``)."""

    def __init__(self, message: str, *, seconds: float, limit: float, heavy: tuple[str, ...] = (),
                 quick: tuple[str, ...] = (), fewer_players: bool = False) -> None:
        super().__init__(message)
        self.seconds, self.limit, self.heavy, self.quick = seconds, limit, heavy, quick
        self.fewer_players = fewer_players


class WorkerCrash(MuhasasaError):
    """A worker failed with something that is not a user's mistake (a bug: HTTP 500)."""


class Refused(MuhasasaError):
    """A user's mistake found in a worker: its message, and the HTTP status it deserves."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class _Gone(MuhasasaError):
    """The client left: nobody waits for the answer."""


def _serve(conn) -> None:  # pragma: no cover - runs in the worker process
    try:
        os.nice(NICE)
    except OSError:
        pass
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        fn, args = job
        try:
            conn.send(("ok", fn(*args)))
        except UnknownNameError as exc:
            conn.send(("unknown", str(exc)))
        except MuhasasaError as exc:
            conn.send(("input", str(exc)))
        except Exception as exc:  # noqa: BLE001 - a bug, reported as one
            conn.send(("crash", f"{type(exc).__name__}: {exc}"))


class _Worker:
    def __init__(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child,), daemon=True, name="muhasasa-worker")
        self.process.start()
        child.close()

    def stop(self) -> None:
        self.process.terminate()
        self.process.join(2)
        if self.process.is_alive():  # pragma: no cover
            self.process.kill()
        self.conn.close()


class _Pool:
    def __init__(self, size: int) -> None:
        self.slots = threading.BoundedSemaphore(size)
        self.idle: list[_Worker] = []
        self.lock = threading.Lock()

    def _take(self) -> _Worker:
        with self.lock:
            while self.idle:
                worker = self.idle.pop()
                if worker.process.is_alive():
                    return worker
        return _Worker()

    def _give(self, worker: _Worker) -> None:
        with self.lock:
            self.idle.append(worker)

    def run(self, fn: Callable[..., Any], args: tuple, *, seconds: float, what: str) -> Any:
        deadline = time.monotonic() + seconds
        cancel = CANCEL.get()
        late = (f"{what} took longer than {seconds:g} s and was stopped; choose a smaller question "
                "(fewer runs or draws, a bloc map instead of single lists, another index)")
        while not self.slots.acquire(timeout=0.2):
            if cancel is not None and cancel.is_set():
                raise _Gone("the client left")
            if time.monotonic() > deadline:
                raise RunLimit(f"the server is busy with other heavy runs; {what} could not start within "
                               f"{seconds:g} s: try again in a moment")
        try:
            worker = self._take()
            try:
                worker.conn.send((fn, args))
                while not worker.conn.poll(0.1):
                    if cancel is not None and cancel.is_set():
                        raise _Gone("the client left")
                    if time.monotonic() > deadline or not worker.process.is_alive():
                        raise RunLimit(late)
                kind, value = worker.conn.recv()
            except BaseException:
                worker.stop()
                raise
            self._give(worker)
        finally:
            self.slots.release()
        if kind == "ok":
            return value
        if kind in ("unknown", "input"):
            raise Refused(value, 404 if kind == "unknown" else 400)
        raise WorkerCrash(value)


_POOL = _Pool(SIZE)


def run(fn: Callable[..., Any], *args: Any, seconds: float, what: str) -> Any:
    """``fn(*args)`` in a worker process, within ``seconds`` and while the client waits."""
    return _POOL.run(fn, args, seconds=seconds, what=what)
