"""The explorer on every bundled pack and body: ``?pack=`` and ``?body=``.

Every link and form of a page keeps the pack and body it was reached with (the switch
between them aside); the election lists are the body's; the pages work on each body of
the default pack and on another pack, and where a body lacks something (a constitution,
a formation model, the example scenarios) the page says so in its own section, with
status 200, never as an error page. An unknown pack or body is a 404 naming the known
ones.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient

import muhasasa
from muhasasa.web.app import create_app
from muhasasa.web.i18n import locale

DEFAULT = muhasasa.load_pack()
OTHER_PACKS = [p for p in muhasasa.pack_ids() if p != DEFAULT.id]
BODIES = list(DEFAULT.bodies)
KINDS = ["/", "/elections", "/law-lab", "/coalitions", "/formation", "/scenarios"]


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as c:
        yield c


def _without_switch(html: str) -> str:
    return re.sub(r'<nav class="switch".*?</nav>', "", html, flags=re.DOTALL)


def _links(html: str) -> list[str]:
    """The explorer's own links of a page (not the switch, the language link, static files)."""
    html = re.sub(r'<a class="lang"[^>]*>', "", _without_switch(html))
    return [h.replace("&amp;", "&") for h in re.findall(r'<a [^>]*href="(/[^"#]*)"', html)
            if not h.startswith(("/static", "/openapi"))]


def _keeps(html: str, **settings: str) -> None:
    links = _links(html)
    assert links
    for href in links:
        query = parse_qs(urlsplit(href).query)
        for key, value in settings.items():
            assert query.get(key) == [value], f"{href} loses {key}={value}"
    forms = re.findall(r'<form method="get".*?</form>', html, re.DOTALL)
    for form in forms:
        for key, value in settings.items():
            assert f'<input type="hidden" name="{key}" value="{value}">' in form


def test_there_is_another_pack_and_more_than_one_body():
    assert OTHER_PACKS and len(BODIES) >= 3


@pytest.mark.parametrize("lang", ["", "/ar"])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("pack", OTHER_PACKS)
def test_every_page_kind_answers_on_another_pack_and_keeps_it(client, pack, kind, lang):
    r = client.get(f"{lang}{kind}?pack={pack}")
    assert r.status_code == 200, (kind, r.text[-600:])
    _keeps(r.text, pack=pack)
    other = muhasasa.load_pack(pack)
    if kind == "/elections":  # the other pack's own latest election, under its own name
        latest = other.record().election_ids[-1]
        assert f'<option value="{latest}" selected>' in r.text
        assert set(re.findall(r'<option value="([^"]+)"', r.text.split('name="election"')[1].split("</select>")[0])) \
            == set(other.record().election_ids)


@pytest.mark.parametrize("lang", ["", "/ar"])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("body", BODIES)
def test_every_page_kind_answers_on_every_body_and_keeps_it(client, body, kind, lang):
    r = client.get(f"{lang}{kind}?body={body}")
    assert r.status_code == 200, (kind, body, r.text[-600:])
    _keeps(r.text, body=body)
    if kind in ("/", "/elections"):
        ids = DEFAULT.body_record(body).election_ids
        shown = set(re.findall(r'election=([\w-]+)', _without_switch(r.text)))
        assert shown and shown <= set(ids), (body, shown - set(ids))


def _lacks_constitution(body: str) -> bool:
    try:
        DEFAULT.constitution(body)
    except muhasasa.InputError:
        return True
    return False


def test_what_a_body_lacks_is_said_in_its_section(client):
    no_constitution = [b for b in BODIES if _lacks_constitution(b)]
    assert no_constitution
    for body in no_constitution:
        election = DEFAULT.body_record(body).election_ids[-1]
        for lang in ("en", "ar"):
            loc = locale(lang)
            r = client.get(("/ar" if lang == "ar" else "") + f"/coalitions?body={body}&election={election}")
            assert r.status_code == 200 and 'class="notice" role="status"' in r.text
            assert loc.t("unavailable.constitution") in r.text
            assert 'class="error"' not in r.text  # not an error page
    for pack in OTHER_PACKS:
        r = client.get(f"/formation?pack={pack}")
        replayable = muhasasa.replayable_cycles(pack=pack)
        assert r.status_code == 200 and (locale("en").t("unavailable.formation") in r.text) == (not replayable)
        r = client.get(f"/ar/scenarios?pack={pack}")
        assert r.status_code == 200 and locale("ar").t("unavailable.scenarios") in r.text


def test_the_switch_names_every_pack_and_the_bodies_of_this_one(client):
    for pack in [None, *OTHER_PACKS]:
        html = client.get("/elections" + (f"?pack={pack}" if pack else "")).text
        nav = re.search(r'<nav class="switch".*?</nav>', html, re.DOTALL).group(0)
        hrefs = [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]*)"', nav)]
        assert "/elections" in hrefs and all(f"/elections?pack={p}" in hrefs for p in OTHER_PACKS)
        bodies = muhasasa.load_pack(pack).bodies
        for body in bodies:
            assert "/elections?" + (f"pack={pack}&" if pack else "") + f"body={body}" in hrefs
        assert len(re.findall(r'aria-current="true"', nav)) == 2  # this pack, every body


def test_the_same_election_id_in_two_packs_is_two_elections(client):
    shared = sorted(set(DEFAULT.record().election_ids) & set(muhasasa.load_pack(OTHER_PACKS[0]).record().election_ids))
    assert shared
    election = shared[0]
    here = client.get(f"/api/elections/{election}/lists").json()["rows"]
    there = client.get(f"/api/elections/{election}/lists?pack={OTHER_PACKS[0]}").json()["rows"]
    assert {r["list"] for r in here} != {r["list"] for r in there}
    # and the pages' caches do not mix them
    a = client.get(f"/elections?election={election}").text
    b = client.get(f"/elections?election={election}&pack={OTHER_PACKS[0]}").text
    assert re.search(r'<p class="headline[^>]*>(.*?)</p>', a, re.DOTALL).group(1) != \
        re.search(r'<p class="headline[^>]*>(.*?)</p>', b, re.DOTALL).group(1)


@pytest.mark.parametrize("query", ["pack=nowhere", "body=nowhere", "pack=..%2Fetc", "pack=lebanon&body=provincial"])
def test_an_unknown_pack_or_body_is_a_404_naming_the_known_ones(client, query):
    page = client.get(f"/elections?{query}")
    api = client.get(f"/api/elections?{query}")
    assert page.status_code == api.status_code == 404
    assert "known:" in api.json()["error"]


@pytest.mark.parametrize("lang", ["", "/ar"])
def test_the_formation_view_replays_another_packs_cycle(client, lang):
    """The other pack's replayable cycle (Lebanon's 2022-25 vacancy) on the formation page, its
    charts and its API, each read from that pack, not the default one."""
    for pack in OTHER_PACKS:
        cycles = muhasasa.replayable_cycles(pack=pack)
        if not cycles:
            continue
        cycle = cycles[-1]
        r = client.get(f"{lang}/formation?pack={pack}&runs=30")
        assert r.status_code == 200 and 'class="error"' not in r.text
        assert f'<option value="{cycle}" selected>' in r.text
        _keeps(r.text, pack=pack)
        record = muhasasa.cycle_record(cycle, pack=pack)
        assert record.pm_name in r.text
        for chart in ("timeline", "pm"):
            svg = client.get(f"/formation/chart/{chart}.svg?pack={pack}&cycle={cycle}&runs=30")
            assert svg.status_code == 200 and svg.text.lstrip().startswith("<svg")
        api = client.get(f"/api/formation/{cycle}?pack={pack}&runs=30").json()
        assert api["record"]["cycle"] == cycle and api["replay"]["record"]["pm_name"] == record.pm_name


def test_every_replayable_cycle_of_every_pack_has_a_formation_page(client):
    """Mid-term cycles too (Iraq's 2020, with no election date of its own; Lebanon's 2025)."""
    for pack in muhasasa.pack_ids():
        for cycle in muhasasa.replayable_cycles(pack=pack):
            r = client.get(f"/formation?pack={pack}&cycle={cycle}&runs=10")
            assert r.status_code == 200 and 'class="error"' not in r.text, (pack, cycle)


def test_a_mid_term_timeline_counts_from_the_vacancy_not_the_election(client):
    """Iraq's 2020 cycle has no election of its own: its timeline says where day 0 is."""
    svg = client.get("/formation/chart/timeline.svg?cycle=2020&runs=10").text
    assert "days since the office fell vacant" in svg and "days since the election" not in svg
    assert "days since the election" in client.get("/formation/chart/timeline.svg?cycle=2022&runs=10").text


def test_the_formation_page_shows_outside_players_and_the_exit_move(client):
    """2026: the US position on al-Maliki is listed with its source, and its veto's share of runs;
    2022: the Sadrists' exit is reported with what followed (sessions denied by force among it);
    Lebanon has neither."""
    page = client.get("/formation?cycle=2026&runs=30").text
    assert "Outside players" in page and "Nouri al-Maliki" in page and "thenationalnews.com" in page
    assert 'class="rejects"' in page  # the US opposition is marked as a rejection
    assert "exit move" not in page  # no actor left parliament in 2026
    page = client.get("/formation?cycle=2022&runs=30").text
    assert "Leaving parliament (the exit move)" in page and "left parliament in" in page
    arabic = client.get("/ar/formation?cycle=2022&runs=30").text
    assert "مغادرة البرلمان" in arabic and "اللاعبون الخارجيون" in arabic
    # without the script the Sadrists leave by the model's move, then deny sessions by force
    page = client.get("/formation?cycle=2022&runs=60&without=sadrist-resignation").text
    assert "denied sessions by force" in page
    assert "منع الطرف المنسحب انعقاد الجلسات بالقوة" in client.get(
        "/ar/formation?cycle=2022&runs=60&without=sadrist-resignation").text
    lebanon = client.get("/formation?pack=lebanon&runs=10").text
    assert "Outside players" not in lebanon and 'class="error"' not in lebanon


def test_the_formation_page_sets_the_constitutional_deadlines_beside_the_record(client):
    """2022: Art. 72's deadline for the President (30 days from the first session) was 247 days late in the
    record; the page says so and how often the runs met it, in English and Arabic; Lebanon names no deadline."""
    page = client.get("/formation?cycle=2022&runs=20").text
    table = page[page.index('id="table-deadlines"'):]
    table = table[:table.index("</table>")]
    assert "Art. 72(2)(b)" in table and "247 days late" in table and "Art. 76(2)" in table
    arabic = client.get("/ar/formation?cycle=2022&runs=20").text
    assert "المهل الدستورية" in arabic and "تأخرت ٢٤٧ يومًا" in arabic
    assert 'id="table-deadlines"' not in client.get("/formation?pack=lebanon&runs=10").text


def test_the_formation_page_reports_package_deals(client):
    """The pack's calibrated set seals the steps as one package in some runs (package = 0.25):
    the formation page says in how many, in English and Arabic."""
    page = client.get("/formation?cycle=2006&runs=30").text
    assert "Package deals across steps" in page and "sealed the steps that followed as one package" in page
    assert "الصفقات الشاملة عبر الخطوات" in client.get("/ar/formation?cycle=2006&runs=30").text
