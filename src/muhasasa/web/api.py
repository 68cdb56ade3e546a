"""The JSON API: every stage of the pipeline as GET routes under ``/api``.

Each route checks its parameters (types, ranges, ids), calls :mod:`muhasasa.web.views`
and returns the library's rows as JSON, or as CSV with ``?format=csv`` for tables.
Exact numbers stay exact: a Fraction is the text ``"p/q"`` (power indices also carry a
``<index>_float`` for plotting). Errors are ``{"error": message}`` with a 4xx status.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse, Response

import muhasasa
from muhasasa.web import figures, views
from muhasasa.web.responses import csv_response, svg_response
from muhasasa.web.views import (
    ID_PATTERN,
    MAX_DRAWS,
    MAX_RUNS,
    OPTIONAL_ID_PATTERN,
    plain,
)

router = APIRouter(prefix="/api", tags=["api"])

Id = {"pattern": ID_PATTERN, "max_length": 80}
OptionalId = {"pattern": OPTIONAL_ID_PATTERN, "max_length": 80}
Election = Annotated[str, Path(description="An election id of the record, e.g. `2025`.", **Id)]
LawQ = Annotated[str | None, Query(description="Recompute under another law of the pack (its id).", **OptionalId)]
Blocs = Annotated[str | None, Query(description="A bundled bloc map of the election: its id or a date "
                                                "YYYY-MM-DD (the latest map on or before it).", **OptionalId)]
Step = Annotated[str, Query(description="A constitutional step of the pack (see `muhasasa steps ELECTION`).",
                            **Id)]
Format = Annotated[Literal["json", "csv"], Query(description="`csv` for a table to download.")]
Seed = Annotated[int, Query(ge=0, le=2**31 - 1, description="The seed; the same seed gives the same numbers.")]


def table(rows: Sequence[dict], fmt: str, name: str, **extra) -> Response:
    if fmt == "csv":
        return csv_response(rows, name)
    return JSONResponse(plain({**extra, "rows": list(rows)}))


# --------------------------------------------------------------------------- elections


@router.get("/elections", summary="The elections of the record (of ?body= only, when given; of ?pack=)")
def elections_index():
    shown = set(views.election_ids())
    return [e for e in views.elections_index() if e["id"] in shown]


@router.get("/elections/{election}", summary="A parliament: official seats beside the law's recomputation")
def election_summary(election: Election, law: LawQ = None):
    return plain({**views.summary(election, law), "lists": views.list_rows(election, law)})


@router.get("/elections/{election}/lists", summary="Seats per list (official and computed)")
def election_lists(election: Election, law: LawQ = None, format: Format = "json"):
    rows = views.list_rows(election, law)
    return table(rows, format, f"{election}-lists" + (f"-law-{law}" if law else ""), election=election,
                 law=views.parliament(election, law).law)


@router.get("/elections/{election}/districts", summary="Seats per district and list, with each district's check")
def election_districts(election: Election, law: LawQ = None, format: Format = "json"):
    rows = views.district_rows(election, law)
    return table(rows, format, f"{election}-districts" + (f"-law-{law}" if law else ""), election=election,
                 law=views.parliament(election, law).law)


@router.get("/elections/{election}/governorates", summary="District checks grouped by governorate (the tile grid)")
def election_governorates(election: Election, law: LawQ = None, format: Format = "json"):
    rows = [t.as_dict() for t in views.governorate_tiles(election, law)]
    return table(rows, format, f"{election}-governorates", election=election)


@router.get("/elections/{election}/metrics", summary="Disproportionality and fragmentation")
def election_metrics(election: Election, format: Format = "json"):
    return table(views.metric_rows(election), format, f"{election}-metrics", election=election)


@router.get("/elections/{election}/women", summary="Women's seats each list must fill, per district")
def election_women(election: Election, format: Format = "json"):
    rows, lines = views.women_rows(election)
    return table(rows, format, f"{election}-women", election=election, notes=lines)


@router.get("/elections/{election}/hemicycle.svg", summary="The parliament as a hemicycle (SVG)",
            response_class=Response)
def election_hemicycle(election: Election, by: Literal["list", "community"] = "list",
                       lang: Literal["en", "ar"] = "en", download: bool = False):
    return svg_response(figures.hemicycle(election, by, lang), f"{election}-hemicycle-{by}-{lang}", download=download)


@router.get("/verify", summary="The record check: every district-election under its own law")
def verify(election: Annotated[str | None, Query(**OptionalId)] = None, format: Format = "json"):
    return table(views.check_rows(election), format, f"verify-{election or 'all'}")


# --------------------------------------------------------------------------- laws


@router.get("/laws", summary="The electoral laws of the pack")
def laws():
    return views.laws_index()


@router.get("/laws/{law}", summary="One law, with its marked assumptions")
def law(law: Annotated[str, Path(**Id)]):
    return views.law(law)


@router.get("/law-lab/{election}", summary="The same votes under the election's law and another law")
def law_lab(election: Election, law: Annotated[str, Query(description="The other law's id.", **Id)],
            format: Format = "json"):
    lab = views.law_lab(election, law)
    if format == "csv":
        return csv_response(lab["rows"], f"{election}-under-law-{lab['law']}")
    return plain(lab)


@router.get("/methods", summary="The registered allocation methods")
def methods():
    return [{"id": m.id, "title": m.title, "family": m.family, "unit": m.unit,
             "params": {p.name: plain(p.default) for p in m.params}} for m in muhasasa.METHODS.values()]


# --------------------------------------------------------------------------- blocs and games


@router.get("/indices", summary="The registered power indices")
def power_indices():
    return views.indices()


@router.get("/blocs/{election}", summary="The dated bloc maps of an election")
def blocs(election: Election):
    return plain(views.bloc_maps(election))


@router.get("/power/{election}", summary="Exact power indices of every player at one step")
def power(election: Election, blocs: Blocs = None, step: Step = "president",
          index: Annotated[list[str] | None, Query(max_length=10, description="Index ids (repeat the parameter).")] = None,
          format: Format = "json"):
    result = views.power(election, blocs, step, index or ())
    rows = []
    for r in result["rows"]:
        row = dict(r)
        for i in result["indices"]:
            row[f"{i}_float"] = float(r[i])
        rows.append(row)
    extra = {k: v for k, v in result.items() if k != "rows"}
    return table(rows, format, f"{election}-power-{step}", **extra)


@router.get("/coalition/{election}", summary="What one coalition can carry or block at each step")
def coalition(election: Election, blocs: Blocs = None,
              member: Annotated[list[str] | None, Query(max_length=60, description="Players (repeat the parameter).")] = None,
              take: Annotated[list[str] | None, Query(max_length=5, description=(
                  "LIST:COUNT single-seat players, e.g. independents:12."))] = None,
              format: Format = "json"):
    result = views.coalition(election, blocs, member or (), take or ())
    if format == "csv":
        return csv_response(result["steps"], f"{election}-coalition")
    return plain(result)


@router.get("/coalitions/{election}", summary="Minimal winning or blocking coalitions at one step")
def coalitions(election: Election, blocs: Blocs = None, step: Step = "president",
               kind: Literal["minimal-winning", "minimal-blocking"] = "minimal-winning",
               limit: Annotated[int, Query(ge=1, le=200)] = 20, format: Format = "json"):
    result = views.coalition_patterns(election, blocs, step, kind, limit)
    extra = {k: v for k, v in result.items() if k != "rows"}
    return table(result["rows"], format, f"{election}-{kind}-{step}", **extra)


# --------------------------------------------------------------------------- formation


@router.get("/formation", summary="The formation cycles of the record")
def formation_cycles():
    return views.cycles()


@router.get("/formation/{cycle}", summary="A cycle's record beside a seeded replay")
def formation(cycle: Annotated[str, Path(**Id)],
              runs: Annotated[int, Query(ge=1, le=MAX_RUNS)] = 300, seed: Seed = 0,
              without: Annotated[list[str] | None, Query(max_length=20, description="Event ids to remove.")] = None):
    return plain(views.formation(cycle, runs, seed, without or ()))


# --------------------------------------------------------------------------- scenarios


@router.get("/scenarios", summary="Example scenarios the explorer can run (empty without Monte Carlo)")
def scenarios():
    return {"available": views.montecarlo_available(), "scenarios": views.scenarios()}


@router.get("/scenarios/{scenario}", summary="A small Monte Carlo run of an example scenario")
def simulate(scenario: Annotated[str, Path(**Id)],
             draws: Annotated[int, Query(ge=1, le=MAX_DRAWS)] = 500, seed: Seed = 0, format: Format = "json"):
    result = views.simulation(scenario, draws, seed)
    if format == "csv":
        return csv_response(result["summary"], f"{scenario}-{draws}-draws-seed-{seed}")
    return plain(result)
