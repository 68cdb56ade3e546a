"""The explorer's message catalogue (gettext, through Babel).

The catalogue in the package is complete and current: every message the code and the
templates use (``pybabel extract``'s view of them, run here in-process) is in the
template and in the Arabic ``.po`` with its English msgid; every msgid has an Arabic
translation keeping the same ``{placeholders}``; the committed ``.mo`` is the ``.po``
compiled. Then the pages themselves: every page kind in Arabic, read as its reader sees
it, shows no English msgid and no run of Latin letters outside the places marked as
English on purpose (names the record has only in English, inside ``<bdi lang="en">``;
code and format names).
"""

from __future__ import annotations

import io
import re
import string
from html.parser import HTMLParser
from importlib import resources

import pytest

pytest.importorskip("babel")
pytest.importorskip("fastapi")

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from muhasasa.web.i18n import catalogue, locale
from muhasasa.web.messages import DYNAMIC

WEB = resources.files("muhasasa.web")
KEYWORDS = {"t": ((1, "c"), 2), "N_": ((1, "c"), 2)}
#: Latin words an Arabic page may show: names of file formats and of the web's own parts.
FORMAT_NAMES = {"CSV", "PNG", "SVG", "JSON", "TOML", "API", "GET", "OpenAPI", "URL"}
LATIN = re.compile(r"[A-Za-z][A-Za-z'’\-]+")


def latin_words(text: str) -> set[str]:
    """The runs of Latin letters in ``text`` that are not format names."""
    return {w for w in LATIN.findall(text) if w not in FORMAT_NAMES}


def _po(path: str):
    with WEB.joinpath(*path.split("/")).open("rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def extracted() -> dict[str, str]:
    """key → English, as ``pybabel extract`` finds them in the modules and templates."""
    found: dict[str, str] = {}
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    for _file, _line, message, _comments, context in extract_from_dir(
            str(WEB), method_map=method_map, keywords=KEYWORDS, strip_comment_tags=True):
        assert context, f"a message without a key: {message!r}"
        assert found.get(context, message) == message, f"{context} has two English texts"
        found[context] = message
    return found


def test_every_message_in_the_code_is_in_the_catalogue(extracted):
    template = {m.context: m.id for m in _po("locale/messages.pot") if m.id}
    arabic = {m.context: m.id for m in _po("locale/ar/LC_MESSAGES/messages.po") if m.id}
    assert extracted == template == arabic
    assert set(DYNAMIC) <= set(extracted) and len(extracted) > 250
    # and the extractor missed none (a call nested in another's arguments, say)
    sources = [f for f in WEB.iterdir() if f.name.endswith(".py")] + list(WEB.joinpath("templates").iterdir())
    called = {key for f in sources for key in re.findall(r"""\bt\(["']([\w.\-]+)["'],""", f.read_text(encoding="utf-8"))}
    assert called <= set(extracted), sorted(called - set(extracted))


def test_every_msgid_has_an_arabic_translation_with_the_same_placeholders():
    fields = string.Formatter()
    for message in _po("locale/ar/LC_MESSAGES/messages.po"):
        if not message.id:
            continue
        assert message.string and not message.fuzzy, f"{message.context}: no Arabic for {message.id!r}"
        names = {f for _, f, _, _ in fields.parse(message.id) if f}
        assert names == {f for _, f, _, _ in fields.parse(message.string) if f}, message.context
        if message.context != "lang.switch":  # the link to the English page is in English
            # placeholders are filled in; module names are code
            shown = re.sub(r"\{\w+\}|\(muhasasa[\w.]*\)", "", message.string)
            assert not latin_words(shown), f"{message.context}: {message.string!r}"


def test_the_committed_mo_is_the_po_compiled():
    catalog = _po("locale/ar/LC_MESSAGES/messages.po")
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    fresh = {(m.context, m.id, m.string) for m in read_mo(buffer) if m.id}
    with WEB.joinpath("locale", "ar", "LC_MESSAGES", "messages.mo").open("rb") as handle:
        committed = {(m.context, m.id, m.string) for m in read_mo(handle) if m.id}
    assert fresh == committed


def test_messages_come_from_the_catalogue_in_each_language():
    ar, en = locale("ar"), locale("en")
    english = catalogue().english["nav.elections"]
    assert en.t("nav.elections") == english == "Elections"
    assert ar.t("nav.elections", "Elections") == catalogue().translated["ar"]["nav.elections"] != english
    assert ar.t("formation.day", "day {day}", day=12) == ar.t("formation.day").replace("{day}", "١٢")
    assert en.t("no.such.key", "Shown as given") == "Shown as given"


# --------------------------------------------------------------------------- the pages in Arabic

#: Every page kind, in Arabic, as a reader reaches it (with the heavier views made small).
ARABIC_PAGES = {
    "home": "/ar/",
    "elections": "/ar/elections?election=2025",
    "elections-2018": "/ar/elections?election=2018",
    "elections-governorates": "/ar/elections?election=2021&view=governorates",
    "law-lab": "/ar/law-lab?election=2025&law=2018",
    "coalitions": "/ar/coalitions?election=2021&blocs=2022-03-26-presidential-session&member=save-the-homeland",
    "formation": "/ar/formation?cycle=2022&runs=40",
    "scenarios": "/ar/scenarios?draws=100",
    "api-docs": "/ar/api-docs",
    "elections-lebanon": "/ar/elections?pack=lebanon&election=2022",
    "elections-provincial": "/ar/elections?body=provincial",
    "elections-kurdistan": "/ar/elections?body=kurdistan",
    "coalitions-provincial": "/ar/coalitions?body=provincial",
    "law-lab-lebanon": "/ar/law-lab?pack=lebanon",
    "home-lebanon": "/ar/?pack=lebanon",
    "error": "/ar/elections?election=1999",
}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Visible(HTMLParser):
    """The text a reader of the page sees, without what is marked as English on purpose
    (an element with ``lang="en"``: names the record has only in English, in ``<bdi>``,
    and notes quoted from it), without code (``<code>``: ids and parameters) and
    addresses (``translate="no"``)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in _VOID:
            return
        marked = dict(attrs).get("lang") == "en" or dict(attrs).get("translate") == "no" or tag in ("script", "style", "code", "title")
        self.stack.append((tag, marked))

    def handle_endtag(self, tag) -> None:
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data) -> None:
        if data.strip() and not any(marked for _, marked in self.stack):
            self.text.append(data.strip())


@pytest.fixture(scope="module")
def client():
    from fastapi.testclient import TestClient

    from muhasasa.web.app import create_app

    with TestClient(create_app()) as c:
        yield c


@pytest.mark.parametrize("page", list(ARABIC_PAGES))
def test_an_arabic_page_shows_no_english_outside_what_is_marked_english(client, page):
    response = client.get(ARABIC_PAGES[page])
    assert response.status_code == (404 if page == "error" else 200)
    reader = _Visible()
    reader.feed(response.text)
    visible = " | ".join(reader.text)
    assert len(visible) > 200 and re.search("[\u0600-\u06ff]{3}", visible)
    english = {text for text in catalogue().english.values() if len(text) > 3 and latin_words(text)}
    shown = sorted(text for text in english if re.search(rf"(?<![A-Za-z]){re.escape(text)}(?![A-Za-z])", visible))
    assert not shown, f"English messages on {page}: {shown}"
    assert not latin_words(visible), f"Latin words on {page}: {sorted(latin_words(visible))}"


CSV_ROUTES = ["/api/elections/2025/lists", "/api/elections/2018/districts", "/api/elections/2025/governorates",
              "/api/elections/2025/metrics", "/api/elections/2018/women", "/api/verify?election=2018",
              "/api/law-lab/2025?law=2018",
              "/api/power/2021?blocs=2022-03-26-presidential-session&step=president&index=banzhaf",
              "/api/coalition/2021?blocs=2022-03-26-presidential-session&member=save-the-homeland",
              "/api/coalitions/2021?blocs=2022-03-26-presidential-session&step=speaker"]


def test_csv_headers_are_ids_in_english_and_titles_in_arabic(client):
    import csv as csv_module

    for route in CSV_ROUTES:
        joiner = "&" if "?" in route else "?"
        english = client.get(f"{route}{joiner}format=csv")
        arabic = client.get(f"/ar{route}{joiner}format=csv")
        by_query = client.get(f"{route}{joiner}format=csv&lang=ar")
        assert english.status_code == arabic.status_code == 200, route
        head_en = next(csv_module.reader(io.StringIO(english.text.lstrip("\ufeff"))))
        head_ar = next(csv_module.reader(io.StringIO(arabic.text.lstrip("\ufeff"))))
        assert all(re.fullmatch(r"[a-z0-9_\-]+", h) for h in head_en), head_en
        assert len(head_ar) == len(head_en) and by_query.text == arabic.text, route
        for title in head_ar:
            assert re.search("[\u0600-\u06ff]", title) and not latin_words(title), (route, title)
        # the rows are the same: only the header is in the reader's language
        assert english.text.splitlines()[1:] == arabic.text.splitlines()[1:]
