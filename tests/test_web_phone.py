"""The explorer as its readers meet it: on a 360×740 phone and a 1280×800 screen, in
English and in Arabic, in headless Chromium (Debian's, driven by Playwright).

For each of the six page kinds (and an election page and the formation page of Lebanon's
pack, and an election page of Iraq's provincial councils), in both languages and at both sizes: the page is never
wider than the screen (``document.scrollingElement.scrollWidth``), chart text stays at
11 px or more on the phone, and axe-core (vendored from its npm package,
``tests/vendor/axe.min.js``) finds no serious or critical violation. Then: tooltips are
reachable from the keyboard, the coalition builder updates live (no round trip) and its
address reproduces its state, and the lists of a parliament are told apart by colour
(CIEDE2000 ΔE ≥ 10 between the colours the browser actually paints).

One browser and one server serve the module; each page is loaded once per size and
language, and every check of that load runs on it.
"""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("playwright.sync_api")

from coloraide import Color
from playwright.sync_api import expect, sync_playwright
from web_server import live_server  # noqa: F401  (the session's server, a fixture)

import muhasasa
from muhasasa.web.i18n import locale

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
SIZES = {"phone": (360, 740), "desktop": (1280, 800)}
PAGES = {
    "home": "/",
    "elections": "/elections?election=2025",
    "law-lab": "/law-lab?election=2025&law=2018",
    "coalitions": "/coalitions?election=2021&blocs=2022-03-26-presidential-session&member=save-the-homeland",
    "formation": "/formation?cycle=2022&runs=40",
    "scenarios": "/scenarios?draws=100",
    # another pack and another body (the pack and body switch): an election page of each
    "elections-lebanon": "/elections?pack=lebanon&election=2022",
    "formation-lebanon": "/formation?pack=lebanon&runs=40",
    "elections-provincial": "/elections?body=provincial&election=pc-2023",
}
#: Where the measurements are written (for the report), beside the test run.
REPORT = Path(os.environ.get("MUHASASA_WEB_REPORT", "")) if os.environ.get("MUHASASA_WEB_REPORT") else None

SMALLEST_TEXT = """() => {
  let least = Infinity, what = null;
  for (const t of document.querySelectorAll('main svg text')) {
    const r = t.getBoundingClientRect();
    if (!r.height || !t.textContent.trim()) continue;
    const svg = t.ownerSVGElement, box = svg.viewBox.baseVal;
    const scale = box && box.width ? svg.getBoundingClientRect().width / box.width : 1;
    const px = parseFloat(getComputedStyle(t).fontSize) * scale;
    if (px < least) { least = px; what = t.textContent.slice(0, 40); }
  }
  return [least === Infinity ? null : least, what];
}"""


@pytest.fixture(scope="module")
def chromium():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def contexts(chromium):
    """One browser context per screen size (axe is injected by the test: CSP bypassed
    here only; the CSP itself is tested in test_web_browser.py)."""
    made = {name: chromium.new_context(viewport={"width": w, "height": h}, bypass_csp=True,
                                       device_scale_factor=1, has_touch=name == "phone")
            for name, (w, h) in SIZES.items()}
    for c in made.values():
        c.set_default_timeout(60_000)
    yield made
    for c in made.values():
        c.close()


MEASURED: dict[str, dict] = {}


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("kind", list(PAGES))
def test_no_overflow_legible_charts_and_no_serious_axe_violation(contexts, live_server, kind, size, lang):  # noqa: F811
    page = contexts[size].new_page()
    try:
        path = ("/ar" if lang == "ar" else "") + PAGES[kind]
        response = page.goto(live_server(path), wait_until="load")
        assert response is not None and response.status == 200, path
        width = SIZES[size][0]
        scroll = page.evaluate("document.scrollingElement.scrollWidth")
        smallest, text = page.evaluate(SMALLEST_TEXT)
        page.evaluate(AXE)
        found = page.evaluate("""async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                                           target: v.nodes[0] && v.nodes[0].target.join(' ')}));
        }""")
        serious = [v for v in found if v["impact"] in ("serious", "critical")]
        MEASURED[f"{kind} {size} {lang}"] = {"scrollWidth": scroll, "viewport": width, "smallest_chart_text_px": smallest,
                                             "axe": found}
        if REPORT is not None:
            REPORT.write_text(json.dumps(MEASURED, indent=1, ensure_ascii=False), encoding="utf-8")
        assert scroll <= width, f"{path} is {scroll} px wide on a {width} px screen"
        if size == "phone" and smallest is not None:
            assert smallest >= 11, f"chart text {text!r} is {smallest:.1f} px on a phone"
        assert serious == [], serious
    finally:
        page.close()


def test_tooltips_come_with_keyboard_focus(contexts, live_server):  # noqa: F811
    page = contexts["phone"].new_page()
    try:
        page.goto(live_server("/ar/elections?election=2025"), wait_until="load")
        ar = locale("ar")
        tip = page.locator("#tooltip")
        expect(tip).to_be_hidden()
        # a legend entry of the hemicycle: name, seats of the house, share
        first = page.locator("ul.legend li[tabindex='0']").first
        first.focus()
        expect(tip).to_be_visible()
        assert ar.num(329) in tip.inner_text()
        # a governorate tile: reached with the Tab key, its tip names its winner
        page.locator("a.tile").first.focus()
        expect(tip).to_be_visible()
        expect(tip).to_contain_text(ar.t("elections.tile_seats", seats=next(
            t.seats for t in muhasasa.governorate_tiles(muhasasa.parliament("2025"))
            if t.name == page.locator("a.tile").first.get_attribute("href").split("governorate=")[1].split("#")[0])))
        page.keyboard.press("Escape")
        expect(tip).to_be_hidden()
        # a tap on a seat group of the hemicycle shows its tip too
        page.locator("figure.chart svg g[data-tip] circle").first.tap()
        expect(tip).to_be_visible()
    finally:
        page.close()


def test_the_builder_counts_live_and_its_address_keeps_the_state(contexts, live_server):  # noqa: F811
    page = contexts["phone"].new_page()
    ar = locale("ar")
    try:
        page.goto(live_server("/ar/coalitions?election=2021"), wait_until="load")
        page.evaluate("window.notReloaded = true")
        form = page.locator("form.builder")
        president = page.locator("table.steps tbody tr[data-quota='220']").first
        expect(president).to_have_class("neither")
        # a preset: Save the Homeland's lists in the bloc map of 26 March 2022 (142 seats)
        members = [x.list_id for m in muhasasa.bloc_maps("2021") if m.id == "2022-03-26-presidential-session"
                   for b in m.blocs if b.id == "save-the-homeland" for x in b.members]
        seats = sum(x.seats_official or 0 for x in muhasasa.parliament("2021").lists if x.list_id in members)
        assert seats == 142
        sth_ar = next(b.name_ar for m in muhasasa.bloc_maps("2021") if m.id == "2022-03-26-presidential-session"
                      for b in m.blocs if b.id == "save-the-homeland")
        form.locator("button.preset[data-map='2022-03-26-presidential-session']", has_text=sth_ar).click()
        result = page.locator(".live-result")
        expect(result).to_have_text(ar.t("coalition.result", seats=seats, total=329))
        expect(president).to_have_class("blocks")
        expect(president.locator(".verdict")).to_have_text(ar.t("coalition.blocks"))
        # one more tick: still live, segments labelled
        page.locator("input[name=member][value=imtidad]").check()
        imtidad = next(x.seats_official for x in muhasasa.parliament("2021").lists if x.list_id == "imtidad")
        expect(result).to_have_text(ar.t("coalition.result", seats=seats + imtidad, total=329))
        segments = page.locator("figure.chart svg g.segments > g[data-tip]")
        expect(segments).to_have_count(len(members) + 1)
        assert page.evaluate("window.notReloaded === true"), "the page was reloaded"
        # the address reproduces the state
        url = page.url
        assert "member=imtidad" in url and all(f"member={m}" in url for m in members)
        page.goto(url, wait_until="load")
        expect(page.locator(".live-result")).to_have_text(ar.t("coalition.result", seats=seats + imtidad, total=329))
        expect(page.locator("input[name=member][value=imtidad]")).to_be_checked()
    finally:
        page.close()


def test_lists_of_a_parliament_are_told_apart_by_the_colours_painted(contexts, live_server):  # noqa: F811
    page = contexts["desktop"].new_page()
    try:
        page.goto(live_server("/elections?election=2025"), wait_until="load")
        painted = page.evaluate("""() => Array.from(document.querySelectorAll('ul.legend li[data-key]')).map(li =>
            [li.dataset.key, +li.querySelector('strong').textContent.replace(/[^0-9]/g, ''),
             getComputedStyle(li.querySelector('.swatch')).backgroundColor])""")
        big = [(k, Color(c)) for k, n, c in painted if n >= 3]
        assert len(big) >= 15
        for (a, ca), (b, cb) in itertools.combinations(big, 2):
            assert ca.delta_e(cb, method="2000") >= 10, (a, b)
        # the hemicycle paints each list in its legend's colour
        fills = page.evaluate("""() => Object.fromEntries(Array.from(
            document.querySelectorAll('figure.chart svg g[data-key]')).map(g => [g.dataset.key, g.getAttribute('fill')]))""")
        palette = muhasasa.colours("2025")
        assert all(fills[k] == palette[k] for k, _ in big)
    finally:
        page.close()
