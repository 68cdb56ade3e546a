"""A seats-only election (Lebanon's 2009 parliament: declared seats per camp and district,
no votes, no law file) through every face: what can use declared seats works (the
parliament, its blocs, their games and power, the formation cycle it seats); what needs
votes or a law (a recomputation, another law, the law lab, the record check, the women's
quota, votes against seats) refuses it in one line naming the field and why, in the
explorer in the reader's language, and never offers it in a selector."""

from __future__ import annotations

import re

import pytest

import muhasasa
from muhasasa.cli import main
from muhasasa.errors import DataLevelError, InputError, SeatsOnlyError

ELECTION = "2009"
VACANCY = "2014-04-22-democratic-gathering"
WHY = "declared seats only: no votes, no law"


def test_the_seats_only_election_is_the_record_s_own():
    # the facts the rest of the file leans on, read from the pack (not assumed)
    pack = muhasasa.load_pack("lebanon")
    assert pack.election(ELECTION).seats_only and not pack.laws_for(ELECTION)
    assert not any(pack.election(e).seats_only for e in ("2018", "2022"))


# --------------------------------------------------------------------------- the library


@pytest.mark.parametrize(("call", "field"), [
    (lambda: muhasasa.parliament(ELECTION, "2018", pack="lebanon"), "law"),
    (lambda: muhasasa.law_lab(ELECTION, "2018", pack="lebanon"), "election"),
    (lambda: muhasasa.women(ELECTION, pack="lebanon"), "election"),
], ids=["parliament-law", "law-lab", "women"])
def test_the_facade_refuses_what_needs_votes_naming_the_field(call, field):
    with pytest.raises(SeatsOnlyError) as err:
        call()
    exc = err.value
    # an InputError naming the field, and still a DataLevelError for those who caught that
    assert isinstance(exc, InputError) and isinstance(exc, DataLevelError)
    assert exc.field == field and exc.election == ELECTION and WHY in exc.problem


def test_the_facade_serves_what_declared_seats_allow():
    parl = muhasasa.parliament(ELECTION, pack="lebanon")
    assert sum(x.seats_official for x in parl.lists) == parl.house_size == 128
    notes = {r["metric"]: r["note"] for r in muhasasa.metrics(ELECTION, pack="lebanon")}
    assert notes["Gallagher index"] == "declared seats only: the record holds no votes"
    groups, _ = muhasasa.hemicycle(ELECTION, pack="lebanon")
    assert sum(n for _, n, _ in groups) == 128
    lines = muhasasa.parliament_summary(parl, pack="lebanon")["lines"]
    assert any("holds declared seats only" in line for line in lines)
    assert not any("more seat-winning lists" in line for line in lines)
    declared = muhasasa.district_rows(parl, pack="lebanon")
    assert sum(r["seats_official"] for r in declared) == 128 and all(r["votes"] is None for r in declared)
    cast = muhasasa.players(ELECTION, blocs=VACANCY, pack="lebanon")
    assert muhasasa.steps(ELECTION, pack="lebanon") and cast.total == 128
    assert muhasasa.mandate(cast, ["march-8"], pack="lebanon")["note"] == (
        "declared seats only: the record holds no votes")
    # a seats-only election holds no votes, so the record check has nothing of it
    assert ELECTION not in {c.election for c in muhasasa.verify(pack="lebanon")}


# --------------------------------------------------------------------------- the CLI


def _run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("args", "flag"), [
    (("seats", ELECTION, "--pack", "lebanon", "--law", "2018"), "--law"),
    (("women", ELECTION, "--pack", "lebanon"), "ELECTION"),
], ids=["seats-law", "women"])
def test_the_cli_refuses_in_one_located_line(capsys, args, flag):
    code, out, err = _run(capsys, *args)
    assert code == 2 and not out
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"muhasasa: error: {flag}: election {ELECTION} is {WHY}")


@pytest.mark.parametrize(("args", "expected"), [
    (("seats", ELECTION, "--pack", "lebanon"), "declared seats only"),
    (("metrics", ELECTION, "--pack", "lebanon"), "declared seats only: the record holds no votes"),
    (("steps", ELECTION, "--pack", "lebanon"), "president"),
    (("power", ELECTION, "--pack", "lebanon", "--blocs", VACANCY), "democratic-gathering"),
    (("coalitions", ELECTION, "--pack", "lebanon", "--blocs", VACANCY), "march-14 + march-8"),
    (("systems", "lebanon", "--election", f"lebanon={ELECTION}", "--blocs", f"lebanon={VACANCY}"),
     "players blocking alone"),
], ids=["seats", "metrics", "steps", "power", "coalitions", "systems"])
def test_the_cli_works_on_declared_seats(capsys, args, expected):
    code, out, err = _run(capsys, *args)
    assert code == 0 and not err and expected in out


def test_the_cli_gives_the_declared_seats_by_district(capsys):
    import csv
    import io

    code, out, _ = _run(capsys, "seats", ELECTION, "--pack", "lebanon", "--by", "district")
    assert code == 0 and out.startswith(f"{ELECTION}: seats by district as declared (no votes, no law)")
    code, out, _ = _run(capsys, "seats", ELECTION, "--pack", "lebanon", "--by", "district", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    record = muhasasa.load_pack("lebanon").election(ELECTION)
    assert code == 0 and len({r["district"] for r in rows}) == len(record.districts) == 26
    assert sum(int(r["seats_official"]) for r in rows) == 128
    assert all(r["votes"] == r["seats_computed"] == r["status"] == "" for r in rows)


def test_the_cli_plots_the_declared_parliament(capsys, tmp_path):
    target = tmp_path / "h.svg"
    code, out, _ = _run(capsys, "plot", ELECTION, "--pack", "lebanon", "-o", str(target))
    assert code == 0 and "128 seats" in out and target.read_text(encoding="utf-8").startswith("<")


# --------------------------------------------------------------------------- the explorer


@pytest.fixture(scope="module")
def client():
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from muhasasa.web.app import create_app

    with TestClient(create_app()) as c:
        yield c


def _arabic_why() -> str:
    from muhasasa.web.i18n import locale

    ar = locale("ar")
    text = ar.t("error.seats_only", election=ar.digits(ELECTION))
    assert text != locale("en").t("error.seats_only", election=ELECTION)  # translated
    return text


@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_the_law_lab_never_offers_the_seats_only_election(client, prefix):
    page = client.get(f"{prefix}/law-lab?pack=lebanon")
    assert page.status_code == 200
    form = re.search(r'<select name="election".*?</select>', page.text, flags=re.DOTALL).group(0)
    offered = set(re.findall(r'value="([^"]+)"', form))
    assert offered == {"2018", "2022"}


REFUSED_PAGES = [
    f"/law-lab?pack=lebanon&election={ELECTION}",
    f"/law-lab?pack=lebanon&election={ELECTION}&law=2018",
    f"/embed/law-lab/seats?pack=lebanon&election={ELECTION}&law=2018",
    f"/embed/elections/votes-seats?pack=lebanon&election={ELECTION}",
]


@pytest.mark.parametrize("path", REFUSED_PAGES)
def test_pages_that_need_votes_refuse_it_with_a_reason(client, path):
    page = client.get(path)
    assert page.status_code == 400 and WHY in page.text and "unknown law" not in page.text
    assert "declared seats only" in page.text
    arabic = client.get("/ar" + path)
    assert arabic.status_code == 400 and _arabic_why() in arabic.text


REFUSED_API = [
    (f"/api/law-lab/{ELECTION}?pack=lebanon&law=2018", "election"),
    (f"/api/elections/{ELECTION}?pack=lebanon&law=2018", "law"),
    (f"/api/elections/{ELECTION}/lists?pack=lebanon&law=2018", "law"),
    (f"/api/elections/{ELECTION}/women?pack=lebanon", "election"),
    (f"/api/verify?pack=lebanon&election={ELECTION}", "election"),
    (f"/law-lab/chart/seats.svg?pack=lebanon&election={ELECTION}&law=2018", "election"),
    (f"/elections/chart/votes-seats.svg?pack=lebanon&election={ELECTION}", "election"),
]


@pytest.mark.parametrize(("path", "field"), REFUSED_API)
def test_routes_that_need_votes_answer_a_400_saying_why(client, path, field):
    from muhasasa.web.i18n import locale

    english = client.get(path)
    assert english.status_code == 400
    body = english.json()
    assert body["reason"] == "seats-only" and body["error"].startswith(f"election {ELECTION} is {WHY}")
    assert body["message"] == locale("en").t("error.seats_only", election=ELECTION)
    arabic = client.get(path + "&lang=ar")
    assert arabic.status_code == 400 and arabic.json()["message"] == _arabic_why()
    assert field in ("election", "law")  # the library's field, checked in the facade tests


@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_the_election_page_shows_the_declared_parliament_only(client, prefix):
    from markupsafe import escape

    from muhasasa.web.i18n import locale

    lang = locale("ar" if prefix else "en")

    class loc:  # the catalogue's text as the page writes it (HTML-escaped)
        t = staticmethod(lambda key: str(escape(lang.t(key))))

    page = client.get(f"{prefix}/elections?pack=lebanon&election={ELECTION}")
    assert page.status_code == 200
    text = page.text
    assert loc.t("elections.seats_only") in text
    # nothing that needs votes or a law: no votes chart, no computed seats, no check, no quota link
    for key in ("elections.votes_seats", "col.seats_computed", "elections.governorates",
                "elections.check", "elections.women_csv", "elections.districts_checked"):
        assert loc.t(key) not in text, key
    assert f"/api/elections/{ELECTION}/women" not in text and "/api/verify" not in text
    # the lists have no community in the record: unclassified, not the pack's first community
    assert text.count(loc.t("community.unclassified")) >= 2
    # and an election with votes keeps every section
    other = client.get(f"{prefix}/elections?pack=lebanon&election=2022").text
    assert loc.t("elections.votes_seats") in other and loc.t("elections.seats_only") not in other


@pytest.mark.parametrize("path", [
    f"/api/elections/{ELECTION}?pack=lebanon",
    f"/api/elections/{ELECTION}/lists?pack=lebanon&format=csv",
    f"/api/elections/{ELECTION}/metrics?pack=lebanon",
    f"/api/elections/{ELECTION}/hemicycle.svg?pack=lebanon",
    f"/api/blocs/{ELECTION}?pack=lebanon",
    f"/api/coalitions/{ELECTION}?pack=lebanon&blocs={VACANCY}",
    f"/elections/chart/hemicycle.svg?pack=lebanon&election={ELECTION}",
    f"/ar/embed/elections/hemicycle?pack=lebanon&election={ELECTION}",
])
def test_what_declared_seats_allow_is_served(client, path):
    assert client.get(path).status_code == 200


def test_power_by_camp_at_the_vacancy(client):
    power = client.get(f"/api/power/{ELECTION}?pack=lebanon&blocs={VACANCY}&step=president")
    assert power.status_code == 200
    rows = {r["player"]: r for r in power.json()["rows"]}
    assert {p for p, r in rows.items() if r["blocks_alone"]} == {"march-8", "march-14"}
    assert sum(r["seats"] for r in rows.values()) == 128


@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_the_coalition_builder_plays_the_camps_at_the_vacancy(client, prefix):
    from markupsafe import escape

    from muhasasa.web.i18n import locale

    loc = locale("ar" if prefix else "en")
    page = client.get(f"{prefix}/coalitions?pack=lebanon&election={ELECTION}&blocs={VACANCY}"
                      "&member=march-8&step=president")
    assert page.status_code == 200
    text = page.text
    assert loc.t("unavailable.rules") not in text
    # every step of the body's constitution is judged, the blocking third included
    for step in muhasasa.steps(ELECTION, pack="lebanon"):
        assert str(escape(loc.t(f"step.{step}"))) in text, step
    # power indices are offered only at steps that are proper games (not the blocking third)
    form = re.search(r'<select name="step">.*?</select>', text, flags=re.DOTALL).group(0)
    offered = set(re.findall(r'value="([^"]+)"', form))
    assert "president" in offered and "cabinet-fundamental" in offered and "cabinet-resignation" not in offered
    # March 8 alone (57 of 128) blocks the two-thirds session: the page says so
    verdicts = dict(re.findall(r'data-step="([^"]+)"[^>]*>.*?<strong class="verdict">([^<]+)</strong>', text))
    assert verdicts["president"] == loc.t("coalition.blocks") and verdicts["ordinary"] == loc.t("coalition.neither")


def test_a_step_of_the_pack_is_accepted_and_an_unknown_one_is_named(client):
    fundamental = client.get(f"/api/power/{ELECTION}?pack=lebanon&blocs={VACANCY}&step=cabinet-fundamental")
    assert fundamental.status_code == 200 and fundamental.json()["quota"] == 86
    unknown = client.get(f"/api/power/{ELECTION}?pack=lebanon&blocs={VACANCY}&step=no-such-step")
    assert unknown.status_code == 404 and "no-such-step" in unknown.json()["error"]


def test_the_district_table_gives_the_declared_seats(client):
    answer = client.get(f"/api/elections/{ELECTION}/districts?pack=lebanon")
    assert answer.status_code == 200
    rows = answer.json()["rows"]
    record = muhasasa.load_pack("lebanon").election(ELECTION)
    assert {r["district"] for r in rows} == {d.district for d in record.districts}
    assert sum(r["seats_official"] for r in rows) == 128
    assert all(r["votes"] is None and r["seats_computed"] is None and r["status"] is None for r in rows)
    by_camp: dict[str, int] = {}
    for r in rows:
        by_camp[r["list"]] = by_camp.get(r["list"], 0) + r["seats_official"]
    assert by_camp == {x.list_id: x.seats for x in record.lists}


@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_the_home_table_says_declared_seats_only_not_none(client, prefix):
    from muhasasa.web.i18n import locale

    page = client.get(f"{prefix}/?pack=lebanon")
    assert page.status_code == 200
    table = re.search(r"<table.*?</table>", page.text, flags=re.DOTALL).group(0)
    assert ">None<" not in table and "<code>None</code>" not in table
    assert locale("ar" if prefix else "en").t("home.seats_only") in table


def test_a_scenario_on_a_seats_only_base_is_refused_at_its_line(monkeypatch):
    # scenarios read the default pack: make Lebanon the default for this test
    import muhasasa.packs

    monkeypatch.setattr(muhasasa.packs, "DEFAULT_PACK", "lebanon")
    text = f'title = "2009 swung"\nbase = "{ELECTION}"\n\n[uncertainty]\nmodel = "dirichlet"\nconcentration = "20000"\n'
    with pytest.raises(InputError) as err:
        muhasasa.scenario_from_text(text, "s.toml")
    assert err.value.field == "base" and err.value.line == 2 and WHY in err.value.problem


def test_every_step_of_every_pack_has_a_title_in_both_languages():
    # the coalition builder plays any pack's steps: each is named, never shown as its key
    from muhasasa.web.i18n import locale

    for pack in muhasasa.pack_ids():
        for election in muhasasa.load_pack(pack).record().election_ids:
            try:
                steps = muhasasa.steps(election, pack=pack)
            except InputError:  # a body without a constitution has no steps
                continue
            for step in steps:
                assert locale("en").has(f"step.{step}"), (pack, election, step)
                arabic = locale("ar").t(f"step.{step}")
                assert arabic != locale("en").t(f"step.{step}") and re.search("[\u0600-\u06ff]", arabic)


@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_the_coalition_builder_of_the_transitional_assembly_is_a_page(client, prefix):
    # January 2005's steps are the TAL's (no Speaker step): the chart's lines come from them
    page = client.get(f"{prefix}/coalitions?election=2005-01")
    assert page.status_code == 200 and "step.tal" not in page.text
