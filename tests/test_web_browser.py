"""The explorer in a real browser: headless Chromium (Debian's ``chromium``) driven by
Playwright, against the app on a real HTTP server on loopback (``web_server.py``).

Each test clicks through a page as a reader would, in English and in Arabic, and checks
what is shown: the numbers (compared with what the library returns), the language, the
direction of the layout, the digits, and the files the download links give. The browser
may reach the test server only: any other request (a CDN, a font service) is refused and
fails the test, so the explorer is shown to work offline. A script error or a
Content-Security-Policy violation in the page fails the test too.

Expected texts come from the translation files (``Locale.t``), so the checks are the same
in both languages. Chromium comes from Debian (``.ci/run`` installs it); Playwright only
drives it (``executable_path``), it never downloads a browser.
"""

from __future__ import annotations

import csv
import io
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("playwright.sync_api")

from playwright.sync_api import Page, expect, sync_playwright
from web_server import live_server  # noqa: F401  (the session's server, a fixture)

import muhasasa
from muhasasa.web import views
from muhasasa.web.figures import community
from muhasasa.web.i18n import Locale, locale
from muhasasa.web.responses import column_title

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 30_000
SVG = "{http://www.w3.org/2000/svg}"
LANGS = ["en", "ar"]

_WESTERN = str.maketrans("٠١٢٣٤٥٦٧٨٩٫٬٪", "0123456789.,%")


def number(text: str) -> float | None:
    """A number as the page shows it, in either script (``١٬٣١٧`` → 1317); None for a dash."""
    plain = text.translate(_WESTERN).replace(",", "").replace("%", "").strip()
    return None if plain in ("", "–") else float(plain)


def prefix(lang: str) -> str:
    return "/ar" if lang == "ar" else ""


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="module")
def browser(live_server, tmp_path_factory):  # noqa: F811
    """One headless Chromium for the module, with a fresh profile; only the test server is
    reachable (every other request is refused and remembered)."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium; "
                    ".ci/run does it, as root)")
    expect.set_options(timeout=TIMEOUT_MS)
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
            accept_downloads=True, viewport={"width": 1280, "height": 900}, locale="en-US",
            timeout=TIMEOUT_MS)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        outside: list[str] = []

        def only_loopback(route) -> None:
            url = route.request.url
            if url.startswith((live_server.url + "/", "data:", "blob:")):
                route.continue_()
            else:
                outside.append(url)
                route.abort()

        context.route("**/*", only_loopback)
        context.outside_requests = outside
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser, live_server) -> Iterator[Page]:  # noqa: F811
    """A new tab; at the end, no script error, no CSP violation, no request outside.

    A page the server answers with a 4xx (which Chromium reports on the console as a
    failed load) is not a problem in itself: the test that opens it checks its status.
    """
    tab = browser.new_page()
    errors: list[str] = []
    console: list[tuple[str, str]] = []
    refused_pages: set[str] = set()
    tab.on("pageerror", lambda exc: errors.append(f"script error: {exc}"))
    tab.on("console", lambda msg: console.append((msg.text, (msg.location or {}).get("url", "")))
           if msg.type == "error" else None)
    tab.on("response", lambda r: refused_pages.add(r.url)
           if r.request.is_navigation_request() and 400 <= r.status < 500 else None)
    tab.base = live_server.url  # type: ignore[attr-defined]
    before = len(browser.outside_requests)
    yield tab
    tab.close()
    assert browser.outside_requests[before:] == [], "the page asked for something outside the app"
    errors += [f"console error: {text} ({url})" for text, url in console
               if not (text.startswith("Failed to load resource") and url in refused_pages)]
    assert errors == []


def visit(page: Page, path: str) -> None:
    response = page.goto(page.base + path, wait_until="load")  # type: ignore[attr-defined]
    assert response is not None and response.status == 200, (path, response and response.status)


def follow(page: Page, link, *, to: str) -> None:
    """Click ``link`` (or a submit button) and wait until the browser has left the page
    for a URL that contains ``to``."""
    with page.expect_navigation(wait_until="load"):
        link.click()
    assert to in page.url, (to, page.url)


def home(page: Page, lang: str) -> None:
    """Back to the start page by the site's name in the header."""
    page.locator("a.brand").click()
    page.wait_for_url(page.base + prefix(lang) + "/")  # type: ignore[attr-defined]


def expect_language(page: Page, loc: Locale) -> None:
    expect(page.locator("html")).to_have_attribute("lang", loc.code)
    expect(page.locator("html")).to_have_attribute("dir", loc.dir)
    assert page.evaluate("getComputedStyle(document.body).direction") == loc.dir


def svg_of(page: Page, figure) -> ET.Element:
    """The inline SVG of a chart figure, as the browser has it, parsed."""
    return ET.fromstring(figure.locator("svg").first.evaluate("svg => new XMLSerializer().serializeToString(svg)"))


def step_row(page: Page, loc: Locale, step: str):
    return page.locator("table.steps tbody tr", has=page.locator("td", has_text=loc.t(f"step.{step}"))).first


def only_local_digits(text: str, loc: Locale) -> bool:
    if loc.rtl:
        return re.search(r"[0-9]", text) is None and re.search(r"[٠-٩]", text) is not None
    return re.search(r"[٠-٩]", text) is None


# --------------------------------------------------------------------------- every page, both languages

def heading(loc: Locale, key: str) -> str:
    """A page's heading: its name (an election page names its election, 2025 by default)."""
    if key == "nav.elections":
        return loc.t("elections.title", election=loc.digits("2025"))
    return loc.t(key)


NAV = [("/elections", "nav.elections"), ("/law-lab", "nav.lawlab"), ("/coalitions", "nav.coalitions"),
       ("/formation", "nav.formation"), ("/scenarios", "nav.scenarios"), ("/api-docs", "nav.api")]


@pytest.mark.parametrize("lang", LANGS)
def test_the_navigation_reaches_every_page_in_both_languages(page, lang):
    loc = locale(lang)
    visit(page, prefix(lang) + "/")
    expect_language(page, loc)
    expect(page.locator("h1")).to_have_text(loc.t("nav.home"))
    expect(page.locator("link[rel=stylesheet]")).to_have_attribute("href", "/static/style.css")
    # the stylesheet is applied (served by the app, not a CDN): the header is a flex row
    assert page.evaluate("getComputedStyle(document.querySelector('header.site')).display") == "flex"
    for path, key in NAV:
        follow(page, page.locator("header nav a", has_text=loc.t(key)), to=path)
        assert urlsplit(page.url).path == prefix(lang) + path
        expect_language(page, loc)
        expect(page.locator("h1")).to_have_text(heading(loc, key))
        expect(page.locator(".error")).to_have_count(0)
        if not loc.rtl:  # every view carries a link to itself, to share (Arabic: see below)
            expect(page.locator("p.share a")).to_have_attribute("href", page.url)
        # the same view in the other language, one click away
        other = locale(loc.other)
        follow(page, page.locator("header a.lang"), to=prefix(other.code) + path)
        expect_language(page, other)
        expect(page.locator("h1")).to_have_text(heading(other, key))
        page.go_back()
        page.wait_for_url(page.base + prefix(lang) + path)  # type: ignore[attr-defined]
        expect_language(page, loc)
    expect(page.locator("table.api code", has_text="GET /api/coalition/{election}")).to_have_count(1)


def test_the_share_link_of_an_arabic_page_is_the_arabic_page(page):
    visit(page, "/ar/elections?election=2021")
    expect(page.locator("p.share a")).to_have_attribute("href", page.url, timeout=2_000)


# --------------------------------------------------------------------------- the 2022 question


@pytest.mark.parametrize("lang", LANGS)
def test_why_the_largest_list_did_not_form_the_2022_government_by_clicking(page, lang):
    loc = locale(lang)
    visit(page, prefix(lang) + "/")
    question = page.locator("section.question")
    expect(question.locator("h2")).to_have_text(loc.t("home.q2022"))

    # 1. the 2021 parliament: the Sadrists are the largest list, 73 of 329
    follow(page, question.locator("li a").nth(0), to="election=2021")
    expect(page.locator("p.big")).to_contain_text(loc.num(329))
    library = views.list_rows("2021")
    largest = max(library, key=lambda r: r["seats_official"] or 0)
    assert (largest["list"], largest["seats_official"]) == ("sadrists", 73)
    first = page.locator("table.lists tbody tr").first
    shown_name = largest["name_ar"] if lang == "ar" and largest["name_ar"] else largest["name"]
    expect(first.locator("td").nth(0)).to_contain_text(shown_name)
    expect(first.locator("td").nth(4)).to_have_text(loc.num(73))
    shown = [number(t) or 0 for t in page.locator("table.lists tbody tr td:nth-child(5)").all_inner_texts()]
    assert max(shown) == 73 and sum(shown) == 329

    # 2. their alliance, Save the Homeland (bloc map of 26 March 2022): 142 named seats
    page.go_back()
    follow(page, question.locator("li a").nth(1), to="member=save-the-homeland")
    expect(page.locator("#f-blocs")).to_have_value("2022-03-26-presidential-session")
    expect(page.locator("input[name=member][value=save-the-homeland]")).to_be_checked()
    result = page.locator("section h2").filter(has_text=loc.t("coalition.result", seats=142, total=329))
    expect(result).to_have_count(1)
    expect(step_row(page, loc, "president")).to_have_class("blocks")  # blocks the 220 quorum, cannot carry it
    expect(step_row(page, loc, "speaker")).to_have_class("neither")

    # ... with those present on 26 March (Imtidad, New Generation, 17 independents): 177 seats,
    # enough for every majority of 165, still short of the 220 the presidential session needs
    page.check("input[name=member][value=imtidad]")
    page.check("input[name=member][value=ngm]")
    page.select_option("form.builder select[name=take]", "independents:17")
    follow(page, page.locator("form.builder button[type=submit]"), to="member=imtidad")
    assert sorted(query(page)["member"]) == ["imtidad", "ngm", "save-the-homeland"]
    expect(page.locator("section h2").filter(has_text=loc.t("coalition.result", seats=177, total=329))).to_have_count(1)
    for step in ("speaker", "confidence"):
        row = step_row(page, loc, step)
        expect(row).to_have_class("carries")
        expect(row.locator("td").nth(1)).to_have_text(loc.num(165))
        expect(row.locator("td").nth(3)).to_have_text(loc.t("coalition.carries"))
    president = step_row(page, loc, "president")
    expect(president).to_have_class("blocks")
    expect(president.locator("td").nth(1)).to_have_text(loc.num(220))
    expect(president.locator("td").nth(2)).to_have_text(loc.num(110))
    expect(president.locator("td").nth(3)).to_have_text(loc.t("coalition.blocks"))
    seat_line = svg_of(page, page.locator("figure.chart").first)
    assert loc.t("coalition.chart_title", seats=177, total=329) in seat_line.findtext(f"{SVG}title")

    # 3. the boycott, the "blocking third": the bloc map can name 72 of its members, fewer
    # than the 110 that block; the 126 signatures claimed at the time are shown beside them
    home(page, lang)
    follow(page, question.locator("li a").nth(2), to="member=blocking-third")
    expect(page.locator("section h2").filter(has_text=loc.t("coalition.result", seats=72, total=329))).to_have_count(1)
    expect(step_row(page, loc, "president")).to_have_class("neither")
    page.locator("details.blocmap summary").click()
    expect(page.locator("details.blocmap li", has_text="signatures of boycotting MPs").locator("strong")).to_have_text("126")

    # 4. the 2022 formation: the Sadrist resignation, and the Coordination Framework's PM
    home(page, lang)
    follow(page, question.locator("li a").nth(3), to="/formation?cycle=2022")
    record = page.locator("section.record")
    expect(record).to_contain_text("Mohammed Shia al-Sudani")
    cf_ar = next(b.name_ar for m in muhasasa.bloc_maps("2021") for b in m.blocs
                 if b.id == "coordination-framework" and b.name_ar)
    expect(record.locator("dd").nth(1)).to_contain_text(cf_ar if loc.rtl else "Coordination Framework")
    resignation = page.locator("tr", has=page.locator("code", has_text="sadrist-resignation")).last
    expect(resignation.locator("td").nth(1)).to_have_text(loc.t("event.resignation"))
    expect(resignation.locator("td").nth(0)).to_have_text(loc.date("2022-06-12"))
    timeline = [t.text for t in svg_of(page, page.locator("figure.chart").nth(1)).iter(f"{SVG}text")]
    # the timeline names the event by its kind and day, never by the engine's id
    assert any(loc.t("event.resignation") in (t or "") for t in timeline)
    assert not any("sadrist-resignation" in (t or "") for t in timeline)
    expect(page.locator("ol.trace li").first).to_be_visible()

    # 5. the counterfactual: the same replay without the resignation
    home(page, lang)
    follow(page, question.locator("li a").nth(4), to="without=sadrist-resignation")
    expect(page.locator("input[name=without][value=sadrist-resignation]")).to_be_checked()
    expect(page.locator("section.simulated dd code", has_text="sadrist-resignation")).to_have_count(1)
    expect(page.locator("tr.removed code")).to_have_text("sadrist-resignation")


# --------------------------------------------------------------------------- elections


def test_elections_2025_in_english_then_arabic(page):
    en, ar = locale("en"), locale("ar")
    visit(page, "/elections")
    page.select_option("#f-election", "2018")
    follow(page, page.locator("form.controls button"), to="election=2018")
    expect(page.locator("p.big")).to_have_text(en.t("elections.summary", election="2018", seats=329, law="2018"))
    page.select_option("#f-election", "2025")
    follow(page, page.locator("form.controls button"), to="election=2025")

    expect(page.locator("p.big")).to_have_text(en.t("elections.summary", election="2025", seats=329, law="2025"))
    hemicycle = page.locator("figure.chart").first
    expect(hemicycle.locator("svg circle")).to_have_count(329)
    rows = page.locator("table.lists tbody tr")
    expect(rows).to_have_count(len(views.list_rows("2025")))
    seats = [number(t) for t in page.locator("table.lists tbody td:nth-child(5)").all_inner_texts()]
    assert sum(s or 0 for s in seats) == 329
    expect(rows.filter(has_text="Kurdistan Democratic Party").locator("td").nth(4)).to_have_text("26")

    # Arabic: right to left, Arabic names from the record, Arabic-Indic digits
    follow(page, page.locator("header a.lang"), to="/ar/elections?election=2025")
    expect_language(page, ar)
    summary = page.locator("p.big")
    expect(summary).to_have_text(ar.t("elections.summary", election=ar.num("2025"), seats=329, law=ar.num("2025")))
    assert "٣٢٩" in summary.inner_text() and only_local_digits(summary.inner_text(), ar)
    assert all(only_local_digits(t, ar) for t in page.locator("table.lists td.n").all_inner_texts() if t != "–")
    kdp = page.locator("table.lists tbody tr").filter(has_text="الحزب الديمقراطي الكوردستاني")
    expect(kdp.locator("td").nth(4)).to_have_text("٢٦")
    expect(page.locator("table.lists sup.fallback")).to_have_count(0)  # every list has an Arabic name
    expect(page.locator("figure.chart").first.locator("svg circle")).to_have_count(329)
    # the layout runs right to left: the hemicycle, first in the source, stands on the right
    first, second = (page.locator(".two > section").nth(i).bounding_box() for i in (0, 1))
    assert first["x"] > second["x"]

    # by community, then one governorate's lists (a tile of the grid)
    page.select_option("#f-by", "community")
    follow(page, page.locator("form.controls button"), to="by=community")
    legend = "".join(svg_of(page, page.locator("figure.chart").first).itertext())
    assert community(ar, "Shia Arab") in legend and community(ar, "Kurdish") in legend
    expect(page.locator("figure.chart").first.locator("svg circle")).to_have_count(329)
    follow(page, page.locator("a.tile", has_text=ar.t("gov.Erbil")), to="governorate=Erbil")
    expect(page.locator("h3#district")).to_contain_text(ar.t("gov.Erbil"))
    statuses = page.locator("h3#district + .table-wrap table tbody .badge").all_inner_texts()
    assert statuses and set(statuses) == {ar.t("status.match")}
    erbil = [r for r in views.district_rows("2025") if r["district"] == "Erbil"]
    computed = [number(t) for t in page.locator("h3#district + .table-wrap table tbody td:nth-child(5)").all_inner_texts()]
    assert sum(c or 0 for c in computed) == sum(r["seats_computed"] or 0 for r in erbil) == 15

    # and back to English, on the same view
    follow(page, page.locator("header a.lang"), to="governorate=Erbil")
    expect_language(page, en)
    assert urlsplit(page.url).path == "/elections" and query(page)["by"] == ["community"]
    expect(page.locator("h3#district")).to_contain_text("Erbil")


def test_the_arabic_hemicycle_counts_in_arabic_indic_digits(page):
    visit(page, "/ar/elections?election=2025")
    texts = [t.text for t in svg_of(page, page.locator("figure.chart").first).iter(f"{SVG}text") if t.text]
    assert texts and all(only_local_digits(t, locale("ar")) for t in texts if re.search(r"[0-9٠-٩]", t))


# --------------------------------------------------------------------------- law lab


@pytest.mark.parametrize("lang", LANGS)
def test_the_law_lab_shows_two_laws_side_by_side(page, lang):
    loc = locale(lang)
    visit(page, prefix(lang) + "/law-lab")
    page.select_option("#f-election", "2025")
    page.select_option("#f-law", "2010")
    follow(page, page.locator("form.controls button"), to="law=2010")
    cards = page.locator("section.law-card")
    expect(cards).to_have_count(2)
    expect(cards.nth(0).locator("h2")).to_have_text(loc.t("lawlab.own_title", law=loc.num("2025")))
    expect(cards.nth(1).locator("h2")).to_have_text(loc.t("lawlab.other_title", law=loc.num("2010")))
    expect(cards.nth(0).locator("code").first).to_have_text("sainte-lague-modified")
    expect(cards.nth(1).locator("code").first).to_have_text("largest-remainder")
    boxes = [cards.nth(i).bounding_box() for i in (0, 1)]
    assert abs(boxes[0]["y"] - boxes[1]["y"]) < 1  # side by side ...
    assert (boxes[0]["x"] > boxes[1]["x"]) == loc.rtl  # ... in the reading direction

    lab = views.law_lab("2025", "2010")
    rows = page.locator("section:has(> h2 a.csv) table tbody tr")
    expect(rows).to_have_count(len(lab["rows"]))
    shown = [[number(c) for c in row.locator("td").all_inner_texts()[2:]] for row in rows.all()]
    assert shown == [[r["seats_official"], r["seats_law_2025"], r["seats_law_2010"]] for r in lab["rows"]]
    assert any(a != b for _, a, b in shown)  # the two laws do differ
    chart = svg_of(page, page.locator("figure.chart"))
    assert chart.findtext(f"{SVG}title") == loc.t("lawlab.chart_title", election=loc.num("2025"),
                                                   law=loc.num("2010"))

    # a law these votes cannot be put under says why, in the page
    page.select_option("#f-law", "2021")
    with page.expect_response(lambda r: "law=2021" in r.url) as answer:
        page.locator("form.controls button").click()
    assert answer.value.status == 400
    page.wait_for_load_state("load")
    expect(page.locator(".error[role=alert]")).to_contain_text(loc.t("lawlab.cannot"))
    expect(page.locator(".error .message")).to_contain_text("candidate-level votes")
    expect(page.locator("figure.chart")).to_have_count(0)


# --------------------------------------------------------------------------- coalition builder


def test_coalition_builder_from_the_bloc_map_and_from_its_lists(page):
    en = locale("en")
    visit(page, "/coalitions")
    # the 2021 Save the Homeland bloc, from the bloc map of 26 March 2022
    page.select_option("#f-blocs", "2022-03-26-presidential-session")
    follow(page, page.locator("form.controls button"), to="blocs=2022-03-26-presidential-session")
    expect(page.locator("details.blocmap summary")).to_contain_text("Presidential session of 26 Mar 2022")
    page.check("input[name=member][value=save-the-homeland]")
    follow(page, page.locator("form.builder button[type=submit]"), to="member=save-the-homeland")
    expect(page.locator("section h2").filter(has_text=en.t("coalition.result", seats=142, total=329))).to_have_count(1)
    by_bloc = {s: page.locator("table.steps tbody tr").nth(i).get_attribute("class")
               for i, s in enumerate(r["step"] for r in views.coalition("2021", "2022-03-26-presidential-session",
                                                                         ["save-the-homeland"])["steps"])}
    assert by_bloc["president"] == "blocks" and by_bloc["speaker"] == "neither"
    power = page.locator("table", has=page.locator("th", has_text=en.t("index.banzhaf")))
    sth = power.locator("tbody tr", has_text="Save the Homeland")
    expect(sth).to_have_class("member")
    expect(sth.locator("td").nth(2)).to_have_text(en.t("yes"))  # blocks alone

    # the same coalition from its member lists (no bloc map): the same seats, the same verdicts
    chosen = next(m for m in views.bloc_maps("2021") if m["id"] == "2022-03-26-presidential-session")
    members = [x["list"] for x in next(b for b in chosen["blocs"] if b["id"] == "save-the-homeland")["members"]]
    page.select_option("#f-blocs", "")
    follow(page, page.locator("form.controls button"), to="step=")
    assert "blocs" not in query(page) or query(page)["blocs"] == [""]
    for member in members:
        page.check(f"input[name=member][value={member}]")
    follow(page, page.locator("form.builder button[type=submit]"), to="member=")
    assert sorted(query(page)["member"]) == sorted(members)
    seats = sum(r["seats_official"] for r in views.list_rows("2021") if r["list"] in members)
    assert seats == 142
    expect(page.locator("section h2").filter(has_text=en.t("coalition.result", seats=seats, total=329))).to_have_count(1)
    by_list = {s: page.locator("table.steps tbody tr").nth(i).get_attribute("class") for i, s in enumerate(by_bloc)}
    assert by_list == by_bloc


def test_every_step_the_builder_offers_can_be_chosen(page):
    en = locale("en")
    visit(page, "/coalitions?election=2021")
    offered = page.locator("form.builder select[name=step] option").evaluate_all("os => os.map(o => o.value)")
    assert "president-runoff" in offered
    page.select_option("form.builder select[name=step]", "president-runoff")
    with page.expect_response(lambda r: "step=president-runoff" in r.url) as answer:
        page.locator("form.builder button[type=submit]").click()
    page.wait_for_load_state("load")
    assert answer.value.status == 200
    expect(page.locator("h2", has_text=en.t("coalition.power", step=en.t("step.president-runoff")))).to_have_count(
        1, timeout=2_000)


# --------------------------------------------------------------------------- formation


@pytest.mark.parametrize("lang", LANGS)
def test_formation_puts_the_record_beside_a_replay_with_its_trace(page, lang):
    loc = locale(lang)
    visit(page, prefix(lang) + "/formation")
    page.select_option("#f-cycle", "2022")
    page.fill("input[name=runs]", "40")
    page.fill("input[name=seed]", "3")
    page.check("input[name=without][value=sadrist-resignation]")
    follow(page, page.locator("form.controls button[type=submit]"), to="runs=40")
    assert query(page)["without"] == ["sadrist-resignation"] and query(page)["seed"] == ["3"]

    record, simulated = page.locator("section.record"), page.locator("section.simulated")
    expect(record.locator("h2")).to_have_text(loc.t("formation.record"))
    expect(simulated.locator("h2")).to_have_text(loc.t("formation.simulated", runs=40, seed=3))
    a, b = record.bounding_box(), simulated.bounding_box()
    assert abs(a["y"] - b["y"]) < 1 and (a["x"] > b["x"]) == loc.rtl  # side by side, in reading order
    expect(record).to_contain_text("Mohammed Shia al-Sudani")
    expect(record.locator("table tr").first.locator("td").nth(1)).to_have_text(loc.date("2021-10-10"))

    # the page shows the API's replay: the same story, line by line
    api = page.request.get(page.base + "/api/formation/2022?runs=40&seed=3&without=sadrist-resignation")
    assert api.ok
    replay = api.json()["replay"]
    expect(page.locator("ol.trace li")).to_have_text(replay["story"])
    pm = svg_of(page, simulated.locator("figure.chart"))
    assert pm.findtext(f"{SVG}title") == loc.t("formation.pm_title", runs=40)
    assert len(pm.findall(f".//{SVG}rect")) == 1 + len(replay["simulated"]["pm_bloc"])
    expect(simulated.locator("dd code", has_text="sadrist-resignation")).to_have_count(1)
    expect(page.locator("tr.removed td").nth(1)).to_have_text(loc.t("event.resignation"))


# --------------------------------------------------------------------------- scenarios


@pytest.mark.parametrize("lang", LANGS)
def test_scenarios_run_a_small_example_and_show_distributions(page, lang):
    loc = locale(lang)
    visit(page, prefix(lang) + "/scenarios")
    expect(page.locator("p.error")).to_have_count(0)  # the Monte Carlo stage is installed (dev extra)
    page.select_option("select[name=scenario]", "2025-southern-turnout")
    page.fill("input[name=draws]", "100")
    page.fill("input[name=seed]", "1")
    page.select_option("select[name=player]", "kdp")
    follow(page, page.locator("form.controls button"), to="draws=100")
    assert query(page)["scenario"] == ["2025-southern-turnout"] and query(page)["player"] == ["kdp"]

    api = page.request.get(page.base + "/api/scenarios/2025-southern-turnout?draws=100&seed=1")
    assert api.ok
    summary = api.json()["summary"]
    table = page.locator("section:has(> h2 a.csv) table")
    expect(table.locator("tbody tr")).to_have_count(len(summary))
    first = table.locator("tbody tr").first.locator("td")
    expect(first.nth(3)).to_have_text(loc.num(summary[0]["mean"], 1))
    expect(first.nth(4)).to_have_text(f"{loc.num(summary[0]['p5'])}–{loc.num(summary[0]['p95'])}")

    figures = page.locator("figure.chart")
    expect(figures).to_have_count(2)
    seats = svg_of(page, figures.nth(0))
    assert seats.findtext(f"{SVG}title") == loc.t("scenarios.seats_title", draws=100)
    histogram = svg_of(page, figures.nth(1))
    kdp = "الحزب الديمقراطي الكوردستاني" if loc.rtl else "Kurdistan Democratic Party"
    assert kdp in histogram.findtext(f"{SVG}title")
    shares = [t.text for t in histogram.iter(f"{SVG}text") if t.text and t.text.endswith(loc.digits("%"))]
    assert shares and only_local_digits(" ".join(shares), loc)
    assert abs(sum(number(s) for s in shares) - 100) < 0.5  # a distribution: the shares of the draws add up


# --------------------------------------------------------------------------- downloads


@pytest.mark.parametrize("lang", LANGS)
def test_download_links_give_svg_png_and_csv(page, lang):
    loc = locale(lang)
    visit(page, prefix(lang) + "/elections?election=2025")
    hemicycle = page.locator("figure.chart").first

    with page.expect_download() as got:
        hemicycle.locator("a[download]").click()
    svg = ET.fromstring(Path(got.value.path()).read_bytes())
    assert got.value.suggested_filename == f"2025-hemicycle-{lang}.svg"
    assert svg.tag == f"{SVG}svg" and len(svg.findall(f".//{SVG}circle")) == 329
    assert loc.t("elections.hemicycle_title", election=loc.digits("2025"), seats=329,
                 by=loc.t("elections.by_list")) == svg.findtext(f"{SVG}title")

    with page.expect_download() as got:
        hemicycle.locator("button.png").click()  # drawn by the browser from the SVG
    assert got.value.suggested_filename == "2025-hemicycle.png"
    assert Path(got.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    with page.expect_download() as got:
        page.locator("h2", has_text=re.compile("^" + re.escape(loc.t("elections.lists")))).locator("a.csv").click()
    assert got.value.suggested_filename == "2025-lists.csv"
    rows = list(csv.DictReader(io.StringIO(Path(got.value.path()).read_text(encoding="utf-8-sig"))))
    # headed in the page's language: the column's id in English, its title in Arabic
    seats = column_title(loc, "seats_official")
    assert (seats != "seats_official") == loc.rtl
    assert sum(int(r[seats] or 0) for r in rows) == 329
    kdp = next(r for r in rows if r[column_title(loc, "list")] == "kdp")
    assert kdp[column_title(loc, "name_ar")] == "الحزب الديمقراطي الكوردستاني"

    visit(page, prefix(lang) + "/coalitions?election=2021&blocs=2022-03-26-presidential-session"
          "&member=save-the-homeland")
    with page.expect_download() as got:
        page.locator("figure.chart").first.locator("a[download]").click()
    seat_line = ET.fromstring(Path(got.value.path()).read_bytes())
    assert seat_line.get("lang") == lang and seat_line.get("direction") == loc.dir
    assert seat_line.findtext(f"{SVG}title") == loc.t("coalition.chart_title", seats=142, total=329)
    with page.expect_download() as got:
        page.locator("h2", has_text=loc.t("coalition.result", seats=142, total=329)).locator("a.csv").click()
    col = {c: column_title(loc, c) for c in ("step", "quota", "carries", "blocks")}
    steps = {r[col["step"]]: r for r in csv.DictReader(io.StringIO(Path(got.value.path()).read_text(encoding="utf-8-sig")))}
    assert (steps["president"][col["quota"]], steps["president"][col["carries"]], steps["president"][col["blocks"]]) == \
        ("220", "False", "True")
