"""The explorer's pages: server-rendered HTML in English or Arabic, state in the URL.

Every page is a GET form over its own URL, so every view is a shareable link; every chart
has an SVG download route beside its page (``/elections/chart/votes-seats.svg?...``, the
same query) and a PNG button (drawn by the browser from the SVG, no server dependency);
every table links to its CSV in the JSON API. Arabic pages live under ``/ar/`` (or take
``?lang=ar``) and are laid out right to left.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from muhasasa.errors import InputError, MuhasasaError, UnknownNameError
from muhasasa.web import charts, figures, views
from muhasasa.web.figures import (
    id_label,
    list_label,
    place,
    player_label,
)
from muhasasa.web.figures import plain_label as _plain_label
from muhasasa.web.i18n import Label, Locale
from muhasasa.web.render import (
    Links,
    cached_page,
    error_page,
    lang_of,
    name_html,
    render,
    run_error,
    svg_inline,
    unavailable,
)
from muhasasa.web.responses import svg_response
from muhasasa.web.views import ID_PATTERN, MAX_DRAWS, MAX_RUNS, OPTIONAL_ID_PATTERN

router = APIRouter(include_in_schema=False)

Id = {"pattern": ID_PATTERN, "max_length": 80}
OptId = Annotated[str | None, Query(pattern=OPTIONAL_ID_PATTERN, max_length=80)]
Seed = Annotated[int, Query(ge=0, le=2**31 - 1)]


# --------------------------------------------------------------------------- home and errors


def _featured(key: str) -> Any:
    """What a page opens on when asked without ids: the pack's ``[featured]`` choice, else the
    latest election (and, for the law lab, its own law)."""
    featured = views._pack().spec.featured
    ids = views.election_ids()
    latest = ids[-1]
    if key == "law_lab":  # of the elections with votes and a law only
        chosen, with_law = featured.law_lab, views.law_election_ids()
        if chosen and chosen[0] in with_law:
            return chosen
        return (with_law[-1], views.parliament(with_law[-1]).law) if with_law else (latest, None)
    if key == "formation_cycle":
        try:
            cycles = views.replayable_cycles()
        except InputError:  # the body has no formation model
            return None
        if not cycles:
            return None
        return featured.formation_cycle if featured.formation_cycle in cycles else cycles[-1]
    chosen = getattr(featured, key)
    return chosen if chosen in ids else latest


@router.get("/", response_class=HTMLResponse)
@cached_page
def home(request: Request):
    loc = lang_of(request)
    pack = views._pack()
    title = (loc.t("nav.home", "Iraq's power-sharing system, from votes to government") if views.pack_name() is None
             else loc.t("nav.home_pack", "{pack}: from votes to government", pack=pack.name_ar if loc.rtl else pack.name_en))
    shown = set(views.election_ids())
    # the guided question is the default pack's main house's
    guided = views.pack_name() is None and views.body_name() in (None, next(iter(pack.bodies)))
    return render(request, "home.html", title=title, guided=guided,
                  elections=[e for e in views.elections_index() if e["id"] in shown],
                  montecarlo=views.montecarlo_available())


@router.get("/api-docs", response_class=HTMLResponse)
def api_docs(request: Request):
    schema = request.app.openapi()
    routes = []
    for path, ops in schema.get("paths", {}).items():
        for method, op in ops.items():
            params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                       "description": p.get("description") or ""} for p in op.get("parameters", [])]
            routes.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                           "params": params})
    return render(request, "api_docs.html", title=lang_of(request).t("nav.api", "API"), routes=routes)


# --------------------------------------------------------------------------- elections


@dataclass(frozen=True)
class ElectionsQuery:
    election: str
    by: str = "list"
    governorate: str | None = None


def elections_query(election: OptId = None,
                    by: Literal["list", "community"] = "list", governorate: OptId = None) -> ElectionsQuery:
    return ElectionsQuery(election or _featured("election"), by, governorate)


def _votes_seats_chart(loc: Locale, q: ElectionsQuery) -> str:
    views.require_votes(q.election, "votes against seats needs its votes")
    rows = views.list_rows(q.election)
    house = views.parliament(q.election).house_size
    shown = []
    for r in rows:
        share = float(r["vote_share_pct"]) if r["vote_share_pct"] else None
        if not r["seats_official"] and (share or 0) < 1:
            continue
        seat_share = 100 * (r["seats_official"] or 0) / house
        shown.append((_plain_label(list_label(loc, q.election, r["list"], r["name"])), [share, seat_share]))
    return charts.paired_bars(shown[:25], series=[loc.t("elections.vote_share", "share of votes"), loc.t("elections.seat_share", "share of seats")],
                              title=loc.t("elections.votes_seats_title", "{election}: share of votes and of seats", election=figures.election_name(loc, q.election)), loc=loc,
                              value_text=lambda v: loc.num(v, 1) + loc.digits("%"))


def _metric_name(loc: Locale, election: str, text: str) -> str:
    key = "metric." + re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if loc.has(key):
        return loc.t(key)
    head, sep, rest = text.partition(": ")
    if sep and head == "share of registered voters":
        by_name = {en: lid for lid, (en, _) in views.list_names(election).items()}
        return loc.t("metric.registered-share", "Share of registered voters: {name}", name=_plain_label(list_label(loc, election, by_name.get(rest, rest), rest)))
    return text




@router.get("/elections", response_class=HTMLResponse)
@cached_page
def elections_page(request: Request, q: Annotated[ElectionsQuery, Depends(elections_query)]):
    loc = lang_of(request)
    views.election(q.election)
    rows = [{**r, "label": list_label(loc, q.election, r["list"], r["name"])} for r in views.list_rows(q.election)]
    tiles = views.governorate_tiles(q.election)
    chosen = next((t for t in tiles if t.name == q.governorate), None)
    if q.governorate and chosen is None:
        from muhasasa.errors import UnknownNameError

        raise UnknownNameError(f"governorate of {q.election}", q.governorate, [t.name for t in tiles],
                               source="governorate")
    district_rows = []
    if chosen is not None:
        district_rows = [{**r, "label": list_label(loc, q.election, r["list"]) if r["list"] else None}
                         for r in views.district_rows(q.election) if r["district"] in chosen.districts]
    metrics = [{**m, "label": _metric_name(loc, q.election, m["metric"])} for m in views.metric_rows(q.election)]
    seats_only = views.seats_only(q.election)  # declared seats: no votes to chart, recompute or check
    checks = [] if seats_only else views.check_rows(q.election)
    palette = views.colours(q.election)
    house = views.parliament(q.election).house_size

    def tile_colour(tile) -> str:
        return palette.get(tile.winner, palette["others"]) if tile.winner else "#e6e6e6"

    def tile_tip(tile) -> str:
        parts = [place(loc, tile.name)]
        if tile.seats is not None:
            parts.append(loc.t("elections.tile_seats", "{seats} seats", seats=tile.seats))
        parts += [f"{_plain_label(list_label(loc, q.election, k))} {loc.num(n)}" for k, n in list(tile.official.items())[:4]]
        return loc.t("sep", ", ").join(parts)

    headline_html = election_headline(loc, q.election)
    return render(request, "elections.html", title=loc.t("elections.title", "Elections {election}", election=figures.election_name(loc, q.election)), q=q,
                  description=Markup(headline_html).striptags(), headline_html=headline_html,
                  series_colours=charts.PALETTE, tile_colour=tile_colour, tile_tip=tile_tip,
                  tile_ink=lambda tile: charts.ink(tile_colour(tile)), house=house,
                  election_ids=views.election_ids(), summary=views.summary(q.election), rows=rows,
                  hemicycle=svg_inline(figures.hemicycle(q.election, q.by, loc.code)),
                  legend=figures.legend(loc, q.election, q.by),
                  votes_seats=None if seats_only else svg_inline(_votes_seats_chart(loc, q)), metrics=metrics,
                  seats_only=seats_only,
                  tiles=[t for t in tiles if t.row is not None], other_tiles=[t for t in tiles if t.row is None],
                  chosen=chosen, district_rows=district_rows, checks=checks,
                  label=lambda lid: list_label(loc, q.election, lid))


def election_headline(loc: Locale, election: str) -> Markup:
    """The sentence an election page opens with: who won, of how many seats, how many
    lists won seats, the largest bloc formed after the vote, the turnout."""
    h = views.headline(election)
    parts = []
    w = h["winner"]
    if w:
        parts.append(Markup(loc.t("elections.headline_winner", "{winner} won the most seats in {election}: {seats} of the {house} seats; {lists} lists won seats.", winner=name_html(list_label(loc, election, w["id"])),
                                  seats=w["seats"], house=h["house_size"], lists=h["lists_seated"],
                                  election=figures.election_name(loc, election))))
    b = h["largest_bloc"]
    if b:
        name = Label(b["name_ar"], "ar") if loc.rtl and b["name_ar"] else Label(b["name"], "en", fallback=loc.rtl)
        claimed = ""
        if b["claimed"] and str(b["claimed"]).isdigit() and int(b["claimed"]) != b["seats"]:
            claimed = loc.t("elections.headline_claimed", " (it claimed {claimed})", claimed=int(b["claimed"]))
        parts.append(Markup(loc.t("elections.headline_bloc", "The largest bloc formed after the vote was {bloc}, with {seats} seats named by its members in the bloc map of {date}{claimed}.", bloc=name_html(name), seats=b["seats"],
                                  date=loc.date(b["date"]), claimed=claimed)))
    if h["turnout_pct"]:
        parts.append(Markup(loc.t("elections.headline_turnout", "Turnout: {turnout}%.", turnout=loc.num(str(h["turnout_pct"])))))
    return Markup(" ").join(parts)


@router.get("/elections/chart/{chart}.svg", response_class=Response)
def elections_chart(request: Request, chart: Literal["hemicycle", "votes-seats"],
                    q: Annotated[ElectionsQuery, Depends(elections_query)]):
    loc = lang_of(request)
    svg = figures.hemicycle(q.election, q.by, loc.code) if chart == "hemicycle" else _votes_seats_chart(loc, q)
    return svg_response(svg, f"{q.election}-{chart}-{loc.code}")


# --------------------------------------------------------------------------- law lab


@dataclass(frozen=True)
class LawLabQuery:
    election: str
    law: str


def law_lab_query(election: OptId = None, law: OptId = None) -> LawLabQuery:
    featured = _featured("law_lab")
    return LawLabQuery(election or featured[0], law or featured[1])


def _law_lab_chart(loc: Locale, q: LawLabQuery, lab: dict) -> str:
    own, other = lab["own_law"], lab["law"]
    rows = [(_plain_label(list_label(loc, q.election, r["list"], r["name"])),
             [r["seats_official"], r[f"seats_law_{own}"], r[f"seats_law_{other}"]])
            for r in lab["rows"] if r["seats_official"] or r[f"seats_law_{other}"]]
    series = [loc.t("lawlab.official", "official"), loc.t("lawlab.computed_under", "computed under {law}", law=figures.election_name(loc, own)),
              loc.t("lawlab.computed_under", "computed under {law}", law=figures.election_name(loc, other))]
    return charts.paired_bars(rows[:25], series=series, loc=loc,
                              title=loc.t("lawlab.chart_title", "{election}: official seats and seats under law {law}", election=figures.election_name(loc, q.election),
                                          law=figures.election_name(loc, other)))


@router.get("/law-lab", response_class=HTMLResponse)
@cached_page
def law_lab_page(request: Request, q: Annotated[LawLabQuery, Depends(law_lab_query)]):
    loc = lang_of(request)
    views.require_votes(q.election, "the law lab recomputes its votes under two laws")
    laws = views.laws_index()
    problem = None
    lab = None
    try:
        lab = views.law_lab(q.election, q.law)
    except MuhasasaError as exc:
        if isinstance(exc, views.RunLimit) or q.law not in {x["id"] for x in laws}:
            raise
        problem = str(exc)
    context = {"title": loc.t("nav.lawlab", "Law lab"), "q": q, "election_ids": views.law_election_ids(), "laws": laws,
               "problem": problem, "lab": lab, "own_law": views.law(views.parliament(q.election).law),
               "other_law": views.law(q.law)}
    if lab is not None:
        context["chart"] = svg_inline(_law_lab_chart(loc, q, lab))
        context["rows"] = [{**r, "label": list_label(loc, q.election, r["list"], r["name"])} for r in lab["rows"]]
    return render(request, "law_lab.html", status=400 if problem else 200, **context)


@router.get("/law-lab/chart/{chart}.svg", response_class=Response)
def law_lab_chart(request: Request, chart: Literal["seats"], q: Annotated[LawLabQuery, Depends(law_lab_query)]):
    loc = lang_of(request)
    return svg_response(_law_lab_chart(loc, q, views.law_lab(q.election, q.law)),
                        f"{q.election}-law-{q.law}-{loc.code}")


# --------------------------------------------------------------------------- coalition builder

#: fields of the coalition builder whose errors are the user's (else: the pack cannot be played)
_COALITION_FIELDS = {"member", "take", "blocs", "step", "index", "election"}


@dataclass(frozen=True)
class CoalitionQuery:
    election: str
    blocs: str | None = None
    member: tuple[str, ...] = ()
    take: tuple[str, ...] = ()
    step: str = "president"
    index: tuple[str, ...] = ()


def coalition_query(
    election: OptId = None,
    blocs: OptId = None,
    member: Annotated[list[str] | None, Query(max_length=60)] = None,
    take: Annotated[list[str] | None, Query(max_length=5)] = None,
    step: Annotated[str, Query(pattern=ID_PATTERN, max_length=80)] = "president",
    index: Annotated[list[str] | None, Query(max_length=10)] = None,
) -> CoalitionQuery:
    take = [t for t in take or () if not t.endswith(":0")]
    return CoalitionQuery(election or _featured("coalition_election"), blocs or None, tuple(member or ()),
                          tuple(take), step, tuple(index or ()))


def _coalition_context(loc: Locale, q: CoalitionQuery) -> dict:
    players = views.cast(q.election, views.check_id("blocs", q.blocs))
    result = views.coalition(q.election, q.blocs, q.member, q.take)
    chosen = set(result["members"])
    # the chart's lines from the body's own steps: the lowest majority quota, the highest
    # quota and the seats that block it (Iraq: Speaker 165, President 220 and 110)
    proper = [r for r in result["steps"] if 2 * r["quota"] > r["total"]]
    low, high = min(proper, key=lambda r: r["quota"]), max(proper, key=lambda r: r["quota"])
    lines = [(low["quota"], loc.t("coalition.line_majority", "majority")),
             (high["quota"], loc.t("coalition.line_two_thirds", "two-thirds quorum")),
             (high["blocking"], loc.t("coalition.line_blocking", "blocking third"))]
    by_player: dict[str, int] = {}
    groups = views.single_seat_groups(players)
    grouped = {p: base for base, ps in groups.items() for p in ps}
    for p in result["members"]:
        key = grouped.get(p, p)
        by_player[key] = by_player.get(key, 0) + players.weights[p]
    parts = [(_plain_label(player_label(loc, q.election, players, p)), n, views.colour_of(q.election, p))
             for p, n in by_player.items()]
    seat_chart = charts.seat_line(parts, players.total, lines, loc=loc,
                                  title=loc.t("coalition.chart_title", "The coalition: {seats} of {total} seats", seats=result["seats"], total=players.total))
    return {"players": players, "result": result, "chosen": chosen, "groups": groups, "grouped": grouped,
            "seat_chart": seat_chart, "lines": lines}


def _presets(loc: Locale, q: CoalitionQuery, maps: list[dict], players) -> list[dict]:
    """One group of buttons per dated bloc map: each ticks a bloc's members (its lists when
    the players are lists, the bloc itself when they are that map's blocs)."""
    out = []
    own = players.bloc_map.id if players.bloc_map is not None else None
    for m in maps:
        if own is not None and m["id"] != own:
            continue
        buttons = []
        for b in m["blocs"]:
            members = [b["id"]] if own else [x["list"] for x in b["members"] if x["list"] in players.weights]
            if not members:
                continue
            name = Label(b["name_ar"], "ar") if loc.rtl and b.get("name_ar") else Label(b["name"], "en", fallback=loc.rtl)
            buttons.append({"name": name, "members": " ".join(members)})
        if buttons:
            out.append({"id": m["id"], "date": m["date"], "title": m["title"], "buttons": buttons})
    return out


_READING = re.compile(r"\(reading ([a-z0-9-]+)\)")


def _rule_text(loc: Locale, step: dict) -> str:
    """A step's rule for readers: quorum and threshold, and the reading by its title
    (never the engine's id)."""
    text = loc.t("coalition.rule", "quorum {quorum}, threshold {threshold} of {total}", quorum=step["quorum"] or step["quota"], threshold=step["threshold"] or step["quota"],
                 total=step["total"])
    found = _READING.search(step["game"])
    if found and loc.has(f"reading.{found.group(1)}"):
        text += loc.t("sep", ", ") + loc.t(f"reading.{found.group(1)}")
    return text


def _power_chart(loc: Locale, q: CoalitionQuery, power: dict, players) -> str:
    index = power["indices"][0]
    rows = [r for r in views_fold(power["rows"], power["indices"]) if r[index]]
    shown = [(_plain_label(player_label(loc, q.election, players, r["player"].split(" ×")[0]))
              + (f" ×{loc.digits(r['player'].split(' ×')[1])}" if " ×" in r["player"] else ""),
              float(r[index]) * 100, views.colour_of(q.election, r["player"].split(" ×")[0])) for r in rows[:20]]
    return charts.bars(shown, loc=loc, value_text=lambda v: loc.num(v, 1) + loc.digits("%"),
                       title=loc.t("coalition.power_title", "{index} at the step: {step}", index=loc.t(f"index.{index}"), step=loc.t(f"step.{q.step}")))


def views_fold(rows: list[dict], indices: Sequence[str]) -> list[dict]:
    return views.power_folded(list(rows), indices)


@router.get("/coalitions", response_class=HTMLResponse)
@cached_page
def coalitions_page(request: Request, q: Annotated[CoalitionQuery, Depends(coalition_query)]):
    loc = lang_of(request)
    views.election(q.election)
    title = loc.t("nav.coalitions", "Coalition builder")
    if not views.has_constitution(q.election):
        return unavailable(request, title, "/coalitions", loc.t(
            "unavailable.constitution", "This body has no constitution in the pack, so there are no votes of the house to play here."),
            election=q.election)
    maps = views.bloc_maps(q.election)
    try:
        ctx = _coalition_context(loc, q)
    except InputError as exc:  # the pack's own rules cannot be played (not the user's fields)
        if isinstance(exc, UnknownNameError) or exc.field in _COALITION_FIELDS or exc.source in _COALITION_FIELDS:
            raise
        return unavailable(request, title, "/coalitions", loc.t(
            "unavailable.rules", "The pack's rules for this house cannot be played as voting games yet."), exc,
            election=q.election)
    players = ctx["players"]
    try:
        power = views.power(q.election, q.blocs, q.step, q.index)
        power_error = None
    except views.RunLimit as exc:  # shown in its own section, the rest of the page stands
        power, power_error = {"indices": list(q.index or views.DEFAULT_INDICES), "rows": [], "game": "",
                              "quota": None, "blocking": None}, run_error(loc, exc)
    folded = views_fold(power["rows"], power["indices"])
    power_rows = []
    for r in folded:
        base, _, many = r["player"].partition(" ×")
        label = player_label(loc, q.election, players, base)
        power_rows.append({**r, "label": label, "many": many, "member": r["player"] in ctx["chosen"]})
    chosen_map = next((m for m in maps if players.bloc_map is not None and m["id"] == players.bloc_map.id), None)
    player_rows = [{"id": p, "seats": n, "label": player_label(loc, q.election, players, p),
                    "communities": dict(players.community_seats.get(p, {}))}
                   for p, n in sorted(players.weights.items(), key=lambda kv: (-kv[1], kv[0]))
                   if p not in ctx["grouped"]]
    group_rows = [{"id": base, "count": len(ps), "label": list_label(loc, q.election, base),
                   "taken": next((int(t.partition(":")[2]) for t in q.take if t.partition(":")[0] == base), 0)}
                  for base, ps in ctx["groups"].items()]
    return render(request, "coalitions.html", title=loc.t("nav.coalitions", "Coalition builder"), q=q, live_builder=True,
                  election_ids=views.election_ids(), maps=maps, chosen_map=chosen_map,
                  player_rows=player_rows, group_rows=group_rows, result=ctx["result"],
                  seat_chart=svg_inline(ctx["seat_chart"]), power=power, power_rows=power_rows,
                  power_chart=svg_inline(_power_chart(loc, q, power, players)) if power["rows"] else None,
                  power_error=power_error, indices=views.indices(),
                  steps=[s["step"] for s in ctx["result"]["steps"] if s["playable"]],
                  member_label=lambda p: player_label(loc, q.election, players, p),
                  presets=_presets(loc, q, maps, players), colour=lambda p: views.colour_of(q.election, p),
                  rule=lambda s: _rule_text(loc, s),
                  live_title=loc.t("coalition.chart_title", "The coalition: {seats} of {total} seats", seats=99999, total=players.total).replace(
                      loc.num(99999), "{seats}"),
                  live_result=loc.t("coalition.result", "The coalition holds {seats} of {total} seats", seats=99999, total=players.total).replace(
                      loc.num(99999), "{seats}"))


@router.get("/coalitions/chart/{chart}.svg", response_class=Response)
def coalitions_chart(request: Request, chart: Literal["seats", "power"],
                     q: Annotated[CoalitionQuery, Depends(coalition_query)]):
    loc = lang_of(request)
    if chart == "seats":
        svg = _coalition_context(loc, q)["seat_chart"]
    else:
        svg = _power_chart(loc, q, views.power(q.election, q.blocs, q.step, q.index),
                           views.cast(q.election, views.check_id("blocs", q.blocs)))
    return svg_response(svg, f"{q.election}-coalition-{chart}-{loc.code}")


# --------------------------------------------------------------------------- formation


@dataclass(frozen=True)
class FormationQuery:
    cycle: str | None
    runs: int = 300
    seed: int = 0
    without: tuple[str, ...] = ()


def formation_query(cycle: OptId = None,
                    runs: Annotated[int, Query(ge=1, le=MAX_RUNS)] = 300, seed: Seed = 0,
                    without: Annotated[list[str] | None, Query(max_length=20)] = None) -> FormationQuery:
    return FormationQuery(cycle or _featured("formation_cycle"), runs, seed, tuple(without or ()))


_DATE_STEPS = ("election", "certified", "first_session", "speaker", "president", "pm_designated", "cabinet")


def _formation_charts(loc: Locale, q: FormationQuery, f: dict) -> dict[str, str]:
    from datetime import date

    record = f["record"]
    names = views.player_names(q.cycle)
    # a mid-term cycle may have no election of its own: its days count from its trigger
    start = date.fromisoformat(record["dates"]["election"] or record["dates"]["trigger"])
    points = [((date.fromisoformat(record["dates"][k]) - start).days, loc.t(f"formation.date.{k}"), "step")
              for k in _DATE_STEPS if record["dates"].get(k)]
    points += [((date.fromisoformat(e["date"]) - start).days, loc.t(f"event.{e['kind']}"),
                "event") for e in f["events"] if e["id"] not in q.without]
    title = (loc.t("formation.timeline_title", "The {cycle} cycle: days since the election", cycle=loc.digits(q.cycle))
             if record["dates"]["election"] else
             loc.t("formation.timeline_title_trigger", "The {cycle} cycle: days since the office fell vacant",
                   cycle=loc.digits(q.cycle)))
    timeline = charts.timeline(points, loc=loc, title=title)
    if f["replay"] is None:
        return {"timeline": timeline, "pm": None}
    pm = f["replay"]["simulated"]["pm_bloc"]
    rows = [(loc.t("formation.consensus_nominee", "a consensus nominee") if b == "consensus"
             else _plain_label(id_label(loc, names, record["election"], b)), p * 100, views.colour_of(record["election"], b))
            for b, p in pm.items()]
    pm_chart = charts.bars(rows, loc=loc, scale_max=100, value_text=lambda v: loc.num(v, 0) + loc.digits("%"),
                           title=loc.t("formation.pm_title", "Who named the Prime Minister, in {runs} runs", runs=f["replay"]["runs"]))
    return {"timeline": timeline, "pm": pm_chart}


def formation_story(loc: Locale, f: dict) -> list[Markup]:
    """The cycle told in plain sentences, in the page's language, from the record's fields:
    the vote, the first session, each ruling, failed session, resignation, and the end."""
    record, election = f["record"], f["record"]["election"]
    d = record["dates"]
    names = views.player_names(f["cycle"])

    def who(ident: str) -> Markup:
        return name_html(id_label(loc, names, election, ident))

    def person(text: str | None) -> Markup:
        return name_html(Label(text, "en", fallback=loc.rtl)) if text else Markup("–")

    out = []
    h = views.headline(election)
    if h["winner"]:
        out.append(Markup(loc.t("story.vote", "The election of {date} gave {winner} the most seats: {seats} of {house}.", date=loc.date(d["election"]), winner=who(h["winner"]["id"]),
                                seats=h["winner"]["seats"], house=h["house_size"])))
    if d.get("first_session"):
        out.append(Markup(loc.t("story.first_session", "Parliament first met on {date}; {speaker} was elected Speaker on {speaker_date}.", date=loc.date(d["first_session"]),
                                speaker=person(record["speaker_name"]),
                                speaker_date=loc.date(d.get("speaker") or d["first_session"]))))
    maps = {m["date"]: m for m in views.bloc_maps(election)}
    for e in f["events"]:
        pay, when = e.get("payload") or {}, loc.date(e["date"])
        if e["kind"] == "ruling" and pay.get("number") and pay.get("decision") == "president":
            game = next((s for s in views.coalition(election, None, [])["steps"] if s["step"] == "president"), None)
            if game:
                federal = loc.t("story.federal", "Federal")  # the court's own word in its numbers
                out.append(Markup(loc.t("story.quorum_ruling", "On {date} the Federal Supreme Court ruled ({number}) that the session electing the President needs {quorum} of the {house} members present, so {blocking} absentees can block it.", date=when, number=loc.digits(pay["number"].replace("/Federal/", f"/{federal}/")),
                                        quorum=game["quota"], house=game["total"], blocking=game["blocking"])))
        elif e["kind"] == "session" and pay.get("present") is not None and pay.get("outcome") != "elected":
            text = loc.t("story.failed_session", "On {date} the session to elect the President failed: {present} members came, {quorum} were needed.", date=when, present=pay["present"], quorum=pay.get("quorum") or 0)
            m = maps.get(e["date"])
            claim = next((c for c in (m or {}).get("claims", []) if c["bloc"] and pay.get("signatures")
                          and c["count"] == str(pay["signatures"])), None)
            if m and claim:
                named = views.cast(election, m["id"]).weights.get(claim["bloc"], 0)
                blocking = next(s["blocking"] for s in views.coalition(election, m["id"], [])["steps"]
                                if s["step"] == "president")
                text += " " + loc.t("story.signatures", "The boycott ({bloc}) claimed {claimed} signatures; the bloc map names {named} of its members, and {blocking} absentees were needed to block.", bloc=who(claim["bloc"]), claimed=pay["signatures"],
                                    named=named, blocking=blocking)
            out.append(Markup(text))
        elif e["kind"] == "resignation" and pay.get("seats"):
            out.append(Markup(loc.t("story.resignation", "On {date} {who} resigned: {seats} seats changed hands.", date=when, who=who(e["actors"][0]) if e["actors"] else "",
                                    seats=pay["seats"])))
    if d.get("cabinet"):
        out.append(Markup(loc.t("story.end", "{president} was elected President, {pm} became Prime Minister, and the cabinet won confidence on {date}, {days} days after the election.", president=person(record["president_name"]), pm=person(record["pm_name"]),
                                date=loc.date(d["cabinet"]), days=record["days_election_to_cabinet"] or 0)))
    return out


@router.get("/formation", response_class=HTMLResponse)
@cached_page
def formation_page(request: Request, q: Annotated[FormationQuery, Depends(formation_query)]):
    loc = lang_of(request)
    if q.cycle is None:  # the pack (or body) has no formation cycle the model can replay
        return unavailable(request, loc.t("nav.formation", "Formation"), "/formation", loc.t(
            "unavailable.formation", "This pack has no government formation the model can replay: its record or its formation rules are not in the pack yet."))
    f = views.formation(q.cycle, q.runs, q.seed, q.without, inline=True)
    record = f["record"]
    names = views.player_names(q.cycle)
    built = _formation_charts(loc, q, f)
    replay_error = run_error(loc, f["replay_error"]) if f["replay_error"] is not None else None
    return render(request, "formation.html", title=loc.t("nav.formation", "Formation"), q=q, f=f, record=record,
                  replay=f["replay"], cycles=views.replayable_cycles(),
                  label=lambda ident: id_label(loc, names, record["election"], ident), date_steps=_DATE_STEPS,
                  timeline=svg_inline(built["timeline"]), pm_chart=svg_inline(built["pm"]) if built["pm"] else None,
                  plain_story=formation_story(loc, f), replay_error=replay_error)


@router.get("/formation/chart/{chart}.svg", response_class=Response)
def formation_chart(request: Request, chart: Literal["timeline", "pm"],
                    q: Annotated[FormationQuery, Depends(formation_query)]):
    loc = lang_of(request)
    svg = _formation_charts(loc, q, views.formation(q.cycle, q.runs, q.seed, q.without))[chart]
    return svg_response(svg, f"formation-{q.cycle}-{chart}-{loc.code}")


# --------------------------------------------------------------------------- scenarios


@dataclass(frozen=True)
class ScenarioQuery:
    scenario: str | None = None
    draws: int = 500
    seed: int = 0
    player: str | None = None


def scenario_query(scenario: OptId = None, draws: Annotated[int, Query(ge=1, le=MAX_DRAWS)] = 500,
                   seed: Seed = 0, player: OptId = None) -> ScenarioQuery:
    return ScenarioQuery(scenario, draws, seed, player)


def _scenario_charts(loc: Locale, q: ScenarioQuery, sim: dict, player: str | None,
                     counts_of: Callable[[str], dict[int, int]] | None = None) -> dict[str, str]:
    meta = sim["meta"]
    quotas = meta["quotas"]
    lines = [(quotas["majority"], loc.t("coalition.line_majority", "majority")),
             (quotas["two_thirds"], loc.t("coalition.line_two_thirds", "two-thirds quorum")),
             (quotas["blocking"], loc.t("coalition.line_blocking", "blocking third"))]
    rows = [r for r in sim["summary"] if r["level"] == "list"][:15]
    base = meta["base"]
    shown = [(_plain_label(list_label(loc, base, r["player"], r["name"])), r["mean"], r["p5"], r["p50"], r["p95"])
             for r in rows]
    charts_out = {"seats": charts.interval(shown, loc=loc, lines=lines[2:],
                                           title=loc.t("scenarios.seats_title", "Seats in {draws} draws (5th–95th percentile, median, mean)", draws=meta["draws"]))}
    if player:
        counts = (counts_of or (lambda p: views.seat_histogram(q.scenario, q.draws, q.seed, p)))(player)
        total = sum(counts.values()) or 1
        hist = [(loc.num(k), 100 * v / total, "#1f5aa6") for k, v in counts.items()]
        charts_out["histogram_rows"] = [(k, 100 * v / total) for k, v in counts.items()]
        charts_out["histogram"] = charts.bars(
            hist, loc=loc, label_width=80, value_text=lambda v: loc.num(v, 1) + loc.digits("%"),
            title=loc.t("scenarios.histogram_title", "Seats of {name}: share of draws", name=_plain_label(list_label(loc, base, player))))
    return charts_out


@router.get("/scenarios", response_class=HTMLResponse)
@cached_page
def scenarios_page(request: Request, q: Annotated[ScenarioQuery, Depends(scenario_query)]):
    loc = lang_of(request)
    if not views.montecarlo_available():
        return render(request, "scenarios.html", title=loc.t("nav.scenarios", "Scenarios"), q=q, available=False)
    if not views.default_pack():
        return unavailable(request, loc.t("nav.scenarios", "Scenarios"), "/scenarios", loc.t(
            "unavailable.scenarios", "The example scenarios are written for the default pack's elections; choose it to run them."))
    examples = views.scenarios()
    scenario = q.scenario or examples[0]["id"]
    q = ScenarioQuery(scenario, q.draws, q.seed, q.player)
    sim = views.simulation(scenario, q.draws, q.seed)
    return _scenario_view(request, q, examples, next(e for e in examples if e["id"] == scenario), sim, None)


def _scenario_view(request: Request, q: ScenarioQuery, examples: list[dict], example: dict, sim: dict,
                   counts_of: Callable[[str], dict[int, int]] | None, *, edited: bool = False) -> HTMLResponse:
    loc = lang_of(request)
    base = sim["meta"]["base"]
    lists = [r for r in sim["summary"] if r["level"] == "list"]
    player = q.player or (lists[0]["player"] if lists else None)
    if edited and player not in {r["player"] for r in lists}:  # a posted player the edit removed
        player = lists[0]["player"] if lists else None
    built = _scenario_charts(loc, q, sim, player, counts_of)
    rows = [{**r, "label": list_label(loc, base, r["player"], r["name"]) if r["level"] == "list"
             else Label(r["name"], "en", fallback=loc.rtl)} for r in sim["summary"]]
    return render(request, "scenarios.html", title=loc.t("nav.scenarios", "Scenarios"), q=q, available=True,
                  examples=examples, example=example, sim=sim, edited=edited,
                  rows=rows, lists=lists, player=player, base=base,
                  seats_chart=svg_inline(built["seats"]),
                  histogram=svg_inline(built["histogram"]) if "histogram" in built else None,
                  histogram_rows=built.get("histogram_rows", []),
                  label=lambda lid: list_label(loc, base, lid))


_FORM_TYPE = "application/x-www-form-urlencoded"


def _form_int(form: Mapping[str, list[str]], name: str, default: int, low: int, high: int) -> int:
    values = form.get(name) or [""]
    text = values[-1].strip()
    if text == "":
        return default
    if not re.fullmatch(r"[0-9]{1,10}", text) or not low <= int(text) <= high:
        raise views.InputError(name, f"{name} must be a whole number between {low} and {high}, got {text[:40]!r}")
    return int(text)


@router.post("/scenarios", response_class=HTMLResponse, include_in_schema=False)
async def scenarios_edited(request: Request):
    """An edited scenario (a form post: ``text``, ``draws``, ``seed``, optional ``player``),
    run as the examples are: same draws cap, same time limit, same page. No file may be named."""
    from starlette.concurrency import run_in_threadpool

    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != _FORM_TYPE:
        return error_page(request, 415, f"the scenario form is posted as {_FORM_TYPE}, not {media or 'no type'}")
    body = await request.body()
    try:
        form = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=16, errors="strict")
    except (UnicodeDecodeError, ValueError) as exc:
        return error_page(request, 400, f"the form could not be read: {exc}")
    text = (form.get("text") or [""])[-1]
    if not text.strip():
        return error_page(request, 400, "text: the scenario text is empty")
    draws = _form_int(form, "draws", 500, 1, MAX_DRAWS)
    seed = _form_int(form, "seed", 0, 0, 2**31 - 1)
    player = (form.get("player") or [""])[-1] or None
    if player is not None and not re.fullmatch(ID_PATTERN, player):
        player = None
    return await run_in_threadpool(_edited_page, request, text, draws, seed, player)


def _edited_page(request: Request, text: str, draws: int, seed: int, player: str | None) -> HTMLResponse:
    loc = lang_of(request)
    q = ScenarioQuery(None, draws, seed, player)
    if not views.montecarlo_available():
        return render(request, "scenarios.html", title=loc.t("nav.scenarios", "Scenarios"), q=q, available=False)
    try:
        example = views.edited_scenario(text)
    except UnknownNameError as exc:  # a name in the posted text: a 400, not a missing page
        return error_page(request, 400, str(exc))
    sim = views.edited_simulation(text, draws, seed)
    return _scenario_view(request, q, views.scenarios(), example, sim,
                          lambda p: views.edited_histogram(text, draws, seed, p), edited=True)


@router.get("/scenarios/chart/{chart}.svg", response_class=Response)
def scenarios_chart(request: Request, chart: Literal["seats", "histogram"],
                    q: Annotated[ScenarioQuery, Depends(scenario_query)]):
    loc = lang_of(request)
    if not views.montecarlo_available():
        raise views.RunLimit("the Monte Carlo stage is not installed")
    scenario = q.scenario or views.scenario_ids()[0]
    q = ScenarioQuery(scenario, q.draws, q.seed, q.player)
    sim = views.simulation(scenario, q.draws, q.seed)
    player = q.player or next((r["player"] for r in sim["summary"] if r["level"] == "list"), None)
    built = _scenario_charts(loc, q, sim, player)
    if chart not in built:
        raise views.InputError("chart", "no histogram without a list (player=...)")
    return svg_response(built[chart], f"{scenario}-{chart}-{loc.code}")


# --------------------------------------------------------------------------- embedding


def _embed(request: Request, svg_response_: Response, page: str) -> HTMLResponse:
    """A chart alone on a page, for another site's frame (the only routes that may be
    framed): the drawing, its title and a link to the full view."""
    svg = svg_response_.body.decode("utf-8")
    title = re.search(r"<title>([^<]*)</title>", svg)
    links = Links(request, lang_of(request))
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    full = links.page(page) + (("?" + urlencode(query)) if query else "")
    return render(request, "embed.html", title=Markup(title.group(1)).unescape() if title else "",
                  chart=svg_inline(svg), full=full, shareable=False)


@router.get("/embed/elections/{chart}", response_class=HTMLResponse)
def elections_embed(request: Request, chart: Literal["hemicycle", "votes-seats"],
                    q: Annotated[ElectionsQuery, Depends(elections_query)]):
    return _embed(request, elections_chart(request, chart, q), "/elections")


@router.get("/embed/law-lab/{chart}", response_class=HTMLResponse)
def law_lab_embed(request: Request, chart: Literal["seats"], q: Annotated[LawLabQuery, Depends(law_lab_query)]):
    return _embed(request, law_lab_chart(request, chart, q), "/law-lab")


@router.get("/embed/coalitions/{chart}", response_class=HTMLResponse)
def coalitions_embed(request: Request, chart: Literal["seats", "power"],
                     q: Annotated[CoalitionQuery, Depends(coalition_query)]):
    return _embed(request, coalitions_chart(request, chart, q), "/coalitions")


@router.get("/embed/formation/{chart}", response_class=HTMLResponse)
def formation_embed(request: Request, chart: Literal["timeline", "pm"],
                    q: Annotated[FormationQuery, Depends(formation_query)]):
    return _embed(request, formation_chart(request, chart, q), "/formation")


@router.get("/embed/scenarios/{chart}", response_class=HTMLResponse)
def scenarios_embed(request: Request, chart: Literal["seats", "histogram"],
                    q: Annotated[ScenarioQuery, Depends(scenario_query)]):
    return _embed(request, scenarios_chart(request, chart, q), "/scenarios")
