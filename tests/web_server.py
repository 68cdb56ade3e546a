"""A real HTTP server for the explorer's tests: uvicorn on loopback, in a thread.

:func:`serve` starts ``muhasasa.web.app.create_app()`` on ``127.0.0.1`` on a free port
in a background thread and returns once the server answers; :func:`live_server` is the
pytest fixture (one server per test session, stopped at the end). A test module uses it
with ``from web_server import live_server``.
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

__all__ = ["LiveServer", "free_port", "live_server", "serve"]

START_SECONDS = 30.0


@dataclass(frozen=True)
class LiveServer:
    """A running server: its base URL (``http://127.0.0.1:PORT``, no trailing slash)."""

    url: str
    server: object
    thread: threading.Thread

    def __call__(self, path: str = "/") -> str:
        """The absolute URL of ``path`` on this server.

        >>> LiveServer("http://127.0.0.1:1", None, None)("/elections?election=2025")
        'http://127.0.0.1:1/elections?election=2025'
        """
        return self.url + (path if path.startswith("/") else "/" + path)


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status < 500
    except urllib.error.HTTPError as exc:
        return exc.code < 500
    except OSError:
        return False


@contextmanager
def serve(app=None, *, host: str = "127.0.0.1", port: int | None = None) -> Iterator[LiveServer]:
    """Run ``app`` (default: the explorer) on uvicorn in a thread while the block runs."""
    import uvicorn

    if app is None:
        from muhasasa.web.app import create_app

        app = create_app()
    port = port or free_port(host)
    # ws="none": the explorer has no websockets (and uvicorn's websockets backends warn)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                            ws="none", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    base = f"http://{host}:{port}"
    deadline = time.monotonic() + START_SECONDS
    try:
        while not (server.started and _answers(base + "/api/elections")):
            if not thread.is_alive():
                raise RuntimeError(f"uvicorn stopped before it answered on {base}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not answer on {base} within {START_SECONDS:g} s")
            time.sleep(0.05)
        yield LiveServer(base, server, thread)
    finally:
        server.should_exit = True
        thread.join(timeout=START_SECONDS)


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    """The explorer on a real HTTP server on loopback, shared by the session's tests."""
    with serve() as running:
        yield running
