"""The explorer's application: one FastAPI app with the JSON API and the pages.

:func:`create_app` builds it; ``muhasasa serve`` runs it on uvicorn. The app is a thin
face: routes translate HTTP into library calls (through :mod:`muhasasa.web.views`) and
back. What it adds is the server's own safety:

* requests are size-limited (path, query string, number of parameters, body);
* a user mistake (:class:`~muhasasa.errors.MuhasasaError`) becomes a 4xx with the
  library's own message: 404 for an unknown name, 400 for the rest; a run stopped at its
  time limit is a 503; the API answers JSON ``{"error": ...}``, the pages an HTML page;
* no route takes a file name: ids are looked up in the pack; static files are served
  from the package only;
* CORS is off unless origins are given; pages send a strict Content-Security-Policy
  (scripts and styles from the app only; no CDN: everything is served from the package).

Language: ``/ar/...`` (or ``?lang=ar``) gives the Arabic pages, right to left.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from muhasasa.errors import MuhasasaError, SeatsOnlyError, UnknownNameError
from muhasasa.web.i18n import LANGS, REQUEST_LANG
from muhasasa.web.settings import BODY, PACK, from_query
from muhasasa.web.workers import CANCEL, Refused, RunLimit, TooHeavy, WorkerCrash

__all__ = ["LIMITS", "create_app"]

#: Request limits: longer requests are refused before any route runs.
LIMITS = {"path": 512, "query": 2048, "params": 64, "body": 16 * 1024}

_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy",
     (b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
      b"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")),
]


#: The embed routes (``/embed/...``) are the only pages another site may frame.
_EMBED_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"content-security-policy",
     (b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
      b"object-src 'none'; base-uri 'none'; frame-ancestors *; form-action 'self'")),
]


def _json_error(status: int, message: str) -> Response:
    return JSONResponse({"error": message}, status_code=status)


class _Guard:
    """ASGI middleware: size limits, the ``/ar/`` and ``/en/`` prefixes, security headers."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        query = scope.get("query_string", b"")
        problem = None
        if len(path) > LIMITS["path"]:
            problem = (414, f"the path is longer than {LIMITS['path']} characters")
        elif len(query) > LIMITS["query"]:
            problem = (414, f"the query string is longer than {LIMITS['query']} characters")
        elif query.count(b"&") + 1 > LIMITS["params"]:
            problem = (400, f"more than {LIMITS['params']} query parameters")
        else:
            for name, value in scope.get("headers", []):
                if name == b"content-length":
                    if not value.isdigit() or int(value) > LIMITS["body"]:
                        problem = (413, f"request bodies are limited to {LIMITS['body']} bytes")
                elif name == b"transfer-encoding" and b"chunked" in value.lower():
                    problem = (413, "chunked request bodies are not accepted")
        if problem is not None:
            await _json_error(*problem)(scope, receive, self._headers(send, scope))
            return
        lang = "ar" if b"lang=ar" in query.split(b"&") else "en"
        for code in LANGS:
            if path == f"/{code}" or path.startswith(f"/{code}/"):
                lang = code
                rest = path[len(code) + 1:] or "/"
                scope = {**scope, "path": rest, "raw_path": rest.encode("utf-8"),
                         "state": {**scope.get("state", {}), "lang": code}}
                break
        if scope.get("method") not in ("GET", "HEAD"):
            await self.app(scope, receive, self._headers(send, scope))
            return
        head = scope["method"] == "HEAD"
        if head:  # answered as a GET, without its body
            scope = {**scope, "method": "GET"}
        pack, body = from_query(query)
        tokens = (REQUEST_LANG.set(lang), PACK.set(pack), BODY.set(body))
        try:
            await self._watched(scope, receive, _conditional(scope, self._headers(send, scope), head=head))
        finally:
            for var, token in zip((REQUEST_LANG, PACK, BODY), tokens, strict=True):
                var.reset(token)

    async def _watched(self, scope, receive, send) -> None:
        """Run a GET with :data:`~muhasasa.web.workers.CANCEL` set while its client is
        connected: when it leaves, heavy work done for it in a worker is stopped."""
        gone = threading.Event()
        left = asyncio.Event()
        first = await receive()
        if first.get("type") == "http.disconnect":
            gone.set()
            left.set()

        async def watch() -> None:
            while not left.is_set():
                message = await receive()
                if message.get("type") == "http.disconnect":
                    gone.set()
                    left.set()

        async def replayed():
            nonlocal first
            if first is not None:
                message, first = first, None
                return message
            await left.wait()
            return {"type": "http.disconnect"}

        watcher = asyncio.ensure_future(watch()) if not left.is_set() else None
        token = CANCEL.set(gone)
        try:
            await self.app(scope, replayed, send)
        finally:
            CANCEL.reset(token)
            if watcher is not None:
                watcher.cancel()

    @staticmethod
    def _headers(send, scope=None):
        framed = (scope or {}).get("path", "").startswith("/embed/")
        security = _EMBED_HEADERS if framed else _SECURITY_HEADERS

        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in security if k not in have]
            await send(message)

        return with_headers


def _cache_control(path: str) -> bytes:
    if path.startswith("/static/") or path == "/favicon.ico":
        return b"public, max-age=86400"
    if path.startswith(("/embed/", "/api/", "/elections", "/law-lab", "/coalitions", "/formation", "/scenarios")) \
            or path in ("/", "/api-docs", "/openapi.json"):
        return b"public, max-age=300"
    return b"no-store"


def _conditional(scope, send, *, head: bool):
    """``send`` for a GET: the whole answer is held, given a strong ETag (a hash of its
    bytes: the same URL gives the same bytes) and a Cache-Control; a request whose
    ``If-None-Match`` names the ETag gets a 304 without a body; a HEAD gets no body."""
    import hashlib

    wanted = dict(scope.get("headers", [])).get(b"if-none-match", b"")
    start: dict | None = None
    chunks: list[bytes] = []

    async def held(message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            start = message
            return
        if message["type"] != "http.response.body":
            await send(message)
            return
        chunks.append(message.get("body", b""))
        if message.get("more_body"):
            return
        body = b"".join(chunks)
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in (b"etag", b"cache-control")]
        status = start["status"]
        if status == 200:
            tag = b'"' + hashlib.blake2b(body, digest_size=12).hexdigest().encode() + b'"'
            headers += [(b"etag", tag), (b"cache-control", _cache_control(scope.get("path", "")))]
            if tag in [t.strip() for t in wanted.split(b",")] or wanted.strip() == b"*":
                headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
                await send({**start, "status": 304, "headers": headers + [(b"content-length", b"0")]})
                await send({"type": "http.response.body", "body": b""})
                return
        else:
            headers.append((b"cache-control", b"no-store"))
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if head else body})

    return held


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api") or path.endswith((".json", ".csv", ".svg"))


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(x) for x in error.get("loc", ()) if x not in ("query", "path"))
        kind = next((x for x in error.get("loc", ()) if x in ("query", "path")), "parameter")
        parts.append(f"{kind} parameter {where!r}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def create_app(*, cors_origins: Sequence[str] = ()) -> FastAPI:
    """The explorer: JSON API under ``/api`` (OpenAPI at ``/openapi.json``), pages at ``/``.

    ``cors_origins`` turns CORS on for those origins only (GET); by default it is off.
    Interactive API docs are served by the app itself at ``/api-docs`` (Swagger UI would
    need a CDN).
    """
    from muhasasa.web import api, pages

    app = FastAPI(
        title="muhasasa explorer",
        summary="Iraq's power-sharing system as a JSON API: votes to seats, blocs, games, formation.",
        version=_version(),
        docs_url=None,
        redoc_url=None,
    )

    @app.exception_handler(MuhasasaError)
    async def muhasasa_error(request: Request, exc: MuhasasaError) -> Response:
        if isinstance(exc, SeatsOnlyError):
            return _seats_only(request, exc)
        status = (422 if isinstance(exc, TooHeavy) else 503 if isinstance(exc, RunLimit) else 500 if isinstance(exc, WorkerCrash)
                  else exc.status if isinstance(exc, Refused) else 404 if isinstance(exc, UnknownNameError) else 400)
        return _error(request, status, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return _error(request, 422, _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such page or route: {request.url.path}"
        return _error(request, exc.status_code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:  # pragma: no cover - a bug
        return _error(request, 500, "internal error: this is a bug in muhasasa; please report it with the URL")

    static = resources.files("muhasasa.web").joinpath("static")
    favicon = static.joinpath("favicon.svg").read_bytes()

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon_ico() -> Response:
        return Response(favicon, media_type="image/svg+xml")

    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    if cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(cors_origins), allow_methods=["GET"])
    app.add_middleware(_Guard)
    return app


def _seats_only(request: Request, exc: SeatsOnlyError) -> Response:
    """A 400 for a view that needs votes or a law, asked for an election the record holds as
    declared seats only: why, in the reader's language (``message``; the page's explanation),
    beside the engine's own words (``error``)."""
    from muhasasa.web.figures import election_name
    from muhasasa.web.render import error_page, lang_of

    loc = lang_of(request)
    why = loc.t("error.seats_only", "The {election} election is recorded as declared seats only: no votes, no law. "
                "This view needs votes or a law, so it cannot show it; its parliament (the declared seats), its "
                "blocs and their power can be shown.", election=election_name(loc, exc.election))
    if _wants_json(request):
        return JSONResponse({"error": exc.problem, "message": why, "reason": "seats-only"}, status_code=400)
    return error_page(request, 400, exc.problem, explain=why)


def _error(request: Request, status: int, message: str, headers=None) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": message}, status_code=status, headers=headers)
    from muhasasa.web.render import error_page

    return error_page(request, status, message)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("muhasasa")
    except PackageNotFoundError:  # pragma: no cover
        return "0"


