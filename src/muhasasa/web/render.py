"""How the explorer's pages are rendered: the Jinja environment, links that keep the page's
language, pack and body, the page shell with its previews and pack switch, error and
unavailable pages, and the cache of rendered pages."""

from __future__ import annotations

import functools
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape

from muhasasa.web import figures, views
from muhasasa.web.figures import (
    community,
    place_label,
)
from muhasasa.web.i18n import Label, Locale, locale
from muhasasa.web.settings import BODY, PACK


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("muhasasa.web", "templates"),
                             autoescape=jinja2.select_autoescape(default=True), trim_blocks=True,
                             lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.tests["known_election"] = lambda e: e in {x["id"] for x in views.elections_index()}
    return env


def lang_of(request: Request) -> Locale:
    code = getattr(request.state, "lang", None) or request.query_params.get("lang")
    return locale(code)


class Links:
    """URLs of the explorer in the page's language: pages under ``/ar/`` for Arabic."""

    def __init__(self, request: Request, loc: Locale) -> None:
        self.request = request
        self.loc = loc

    @staticmethod
    def _query(params: Mapping[str, Any]) -> str:
        items = []
        for k, v in params.items():
            if v is None or v == "" or v == [] or v is False:
                continue
            items.append((k, v if not isinstance(v, bool) else 1))
        return ("?" + urlencode(items, doseq=True)) if items else ""

    @staticmethod
    def settings() -> dict[str, str]:
        """The request's pack and body (``?pack=``, ``?body=``), which every link keeps."""
        return {k: v for k, v in (("pack", PACK.get()), ("body", BODY.get())) if v}

    def page(self, path: str, **params: Any) -> str:
        prefix = "/ar" if self.loc.rtl else ""
        return prefix + path + self._query({**params, **self.settings()})

    def setting(self, pack: str | None, body: str | None) -> str:
        """This page kind for another pack or body (its ids dropped: they name the old one's
        elections); the default pack is named by no ``pack`` at all."""
        prefix = "/ar" if self.loc.rtl else ""
        return prefix + self.request.url.path + self._query({"pack": pack, "body": body})

    def api(self, path: str, **params: Any) -> str:
        """A JSON route; an Arabic page asks for Arabic (CSV headers)."""
        params = {**params, **self.settings()}
        if self.loc.rtl:
            params = {**params, "lang": "ar"}
        return path + self._query(params)

    def chart(self, page: str, chart: str) -> str:
        """The SVG download of a chart of this page, with the page's own query."""
        query = [(k, v) for k, v in self.request.query_params.multi_items() if k != "lang"]
        prefix = "/ar" if self.loc.rtl else ""
        return f"{prefix}{page}/chart/{chart}.svg" + (("?" + urlencode(query)) if query else "")

    def switch(self) -> str:
        """This page in the other language."""
        query = [(k, v) for k, v in self.request.query_params.multi_items() if k != "lang"]
        path = self.request.url.path
        for code in ("/ar", "/en"):
            if path == code or path.startswith(code + "/"):
                path = path[len(code):] or "/"
        prefix = "/ar" if self.loc.code == "en" else ""
        return prefix + path + (("?" + urlencode(query)) if query else "")

    def absolute(self, path: str) -> str:
        """An absolute URL on this server (for Open Graph cards)."""
        return f"{self.request.base_url}".rstrip("/") + path

    def embed(self, page: str, chart: str) -> str:
        """The address of a chart of this page alone, to put in another site's frame."""
        query = [(k, v) for k, v in self.request.query_params.multi_items() if k != "lang"]
        prefix = "/ar" if self.loc.rtl else ""
        return (f"{self.request.base_url}".rstrip("/") + f"{prefix}/embed{page}/{chart}"
                + (("?" + urlencode(query)) if query else ""))

    def here(self) -> str:
        """This view's own address (with the language prefix the middleware took off)."""
        prefix = "/ar" if self.loc.rtl else ""
        query = self.request.url.query
        return f"{self.request.base_url}".rstrip("/") + prefix + self.request.url.path + (f"?{query}" if query else "")


#: The Open Graph preview of each page's template (``static/og/<kind>-<lang>.png``, drawn
#: by ``tests/make_web_previews.py``); pages of other templates show the home page's.
PREVIEWS = {"home.html": "home", "elections.html": "elections", "law_lab.html": "law-lab",
            "coalitions.html": "coalitions", "formation.html": "formation", "scenarios.html": "scenarios"}
PREVIEW_SIZE = (1200, 630)


def _switch() -> dict:
    """The pack and body switch of a page: every bundled pack, the bodies of this one."""
    packs = views.packs()
    current = views._pack().id
    chosen = next(p for p in packs if p["id"] == current)
    return {"packs": [{**p, "id": None if p["default"] else p["id"], "current": p["id"] == current} for p in packs],
            "pack": None if chosen["default"] else current, "body": views.body_name(), "bodies": chosen["bodies"]}


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    loc = lang_of(request)
    links = Links(request, loc)
    context.setdefault("switch", _switch() if template not in ("error.html", "embed.html") else None)
    context.setdefault("preview", f"/static/og/{PREVIEWS.get(template, 'home')}-{loc.code}.png")
    context.setdefault("shareable", request.method in ("GET", "HEAD"))  # a posted view has no link
    context.setdefault("description", None)
    context.setdefault("live_builder", False)
    html = _env().get_template(template).render(
        loc=loc, t=loc.t, num=loc.num, pct=loc.pct, links=links,
        election_name=lambda e: figures.election_name(loc, e),
        dict_of_names=lambda ids: {e: figures.election_name(loc, e) for e in ids}, name=name_html, community=lambda c: community(loc, c),
        place=lambda n, ar=None: name_html(place_label(loc, n, ar)), method_title=lambda m: loc.t(f"method.{m}") if loc.has(f"method.{m}") else m,
        scenario_title=lambda e: _scenario_title(loc, e), status_text=lambda s: loc.t(f"status.{s}"), **context)
    return HTMLResponse(_accessible_tables(html), status_code=status)


def _scenario_title(loc: Locale, example: Any) -> str:
    """An example scenario's title in the page's language (the catalogue has each example's)."""
    key = f"scenario.{example['id']}"
    return loc.t(key) if loc.has(key) else (example.get("title") or example["id"])


_TABLE = re.compile(r"<table\b([^>]*)>")


def _accessible_tables(html: str) -> str:
    """Every table scrolls inside its own container (never the page), and its column
    headers say so (``scope="col"``)."""
    html = _TABLE.sub(lambda m: f'<div class="table-wrap" tabindex="0"><table{m.group(1)}>', html)
    html = html.replace("</table>", "</table></div>")
    return html.replace("<th>", '<th scope="col">')


def error_page(request: Request, status: int, message: str, *, explain: str | None = None) -> HTMLResponse:
    """An error page: the status, what it means for the reader (``explain``, else the
    catalogue's explanation of the status) and the engine's own words."""
    loc = lang_of(request)
    if explain is None and loc.has(f"error.explain.{status}"):
        explain = loc.t(f"error.explain.{status}")
    return render(request, "error.html", status=status, title=loc.t("error.title", "Something in the request is not right"),
                  status_code=status, message=message, explain=explain)


def unavailable(request: Request, title: str, path: str, explain: str, exc: Exception | None = None, *,
                election: str | None = None) -> HTMLResponse:
    """A page whose subject this pack or body lacks (a constitution, a formation model, the
    example scenarios): said inline where its content would be, with the election switch
    and the engine's own words, never as an error page."""
    return render(request, "unavailable.html", title=title, path=path, explain=explain,
                  message=str(exc) if exc is not None else None, election=election,
                  election_ids=views.election_ids() if election is not None else ())


#: The query fields of the coalition builder: an error naming one of them is the user's.
def run_error(loc: Locale, exc: Exception) -> Markup:
    """A heavy run's failure for the section it belongs to, in the page's language: what
    happened and advice that fits (a run refused from its estimate says what to drop and
    what is quick), with the engine's own words marked as English."""
    from muhasasa.web.workers import TooHeavy

    parts: list[Markup] = []
    if isinstance(exc, TooHeavy):
        def names(ids: Sequence[str]) -> str:
            return loc.t("sep", ", ").join(loc.t(f"index.{i}") if loc.has(f"index.{i}") else i for i in ids)

        parts.append(Markup("<strong>{}</strong>").format(loc.t(
            "heavy.refused", "Not started: this would take about {seconds} s here, and the limit is {limit} s.",
            seconds=loc.num(exc.seconds, 1), limit=loc.num(exc.limit, 0))))
        parts.append(escape(loc.t("heavy.drop", "Leave out: {indices}.", indices=names(exc.heavy))) if exc.heavy
                     else escape(loc.t("heavy.apart", "Ask for these indices one at a time.")))
        if exc.fewer_players:
            parts.append(escape(loc.t("heavy.blocs", "Or choose a bloc map, so fewer players are counted.")))
        if exc.quick:
            parts.append(escape(loc.t("heavy.quick", "Quick here: {indices}.", indices=names(exc.quick))))
    else:
        parts.append(Markup("<strong>{}</strong>").format(loc.t("error.explain.503")))
        parts.append(Markup('<span lang="en" dir="ltr" class="en">{}</span>').format(str(exc)))
    return Markup(" ").join(parts)


def name_html(label: Label | str | None) -> Markup:
    if label is None:
        return Markup("–")
    if isinstance(label, str):
        return Markup("<bdi>{}</bdi>").format(label)
    if label.fallback:
        return Markup('<bdi lang="{}" dir="ltr">{}</bdi><sup class="fallback" title="{}">*</sup>').format(
            label.lang, label.text, locale("ar").t("names.fallback", "no Arabic name in the record: the English name is shown"))
    return Markup('<bdi lang="{}">{}</bdi>').format(label.lang, label.text)


def svg_inline(svg: str) -> Markup:
    """An SVG document to put inside HTML (without its XML declaration)."""
    return Markup(re.sub(r"^<\?xml[^>]*\?>\s*", "", svg))


_PAGE_CACHE: OrderedDict[tuple, tuple[bytes, int, str]] = OrderedDict()
_PAGE_CACHE_LOCK = threading.Lock()
PAGE_CACHE_SIZE = 256


def cached_page(func):
    """Keep rendered pages: every page is a pure function of its path, query and language
    (runs are seeded), so the same URL gives the same bytes. Bounded, least recently used."""

    @functools.wraps(func)
    def wrapper(request: Request, *args, **kwargs):
        key = (str(request.base_url), lang_of(request).code, request.url.path, request.url.query)
        with _PAGE_CACHE_LOCK:
            hit = _PAGE_CACHE.get(key)
            if hit is not None:
                _PAGE_CACHE.move_to_end(key)
        if hit is not None:
            body, status, media = hit
            return Response(body, status_code=status, media_type=media)
        response = func(request, *args, **kwargs)
        if getattr(response, "status_code", None) == 200 and isinstance(response, Response):
            with _PAGE_CACHE_LOCK:
                _PAGE_CACHE[key] = (response.body, 200, response.media_type)
                while len(_PAGE_CACHE) > PAGE_CACHE_SIZE:
                    _PAGE_CACHE.popitem(last=False)
        return response

    return wrapper


