"""The command line: parse, call the façade, render. Nothing is computed here.

Every user mistake arrives as a :class:`~muhasasa.errors.MuhasasaError` and leaves as one
line on stderr with exit code 2. A library error names the field it is about (``draws``);
this face names the option a user typed (``--draws``). Output to a closed pipe
(``muhasasa seats 2025 | head -1``) ends quietly with exit 0.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from typing import Any

import click

import muhasasa
from muhasasa.errors import InputError, MuhasasaError

FORMATS = click.Choice(["table", "csv", "json"])

#: Library fields whose option is not simply ``--field`` with dashes.
FIELD_OPTIONS = {"n_seats": "--seats", "method": "--method", "index": "--index", "law": "--law",
                 "first_divisor": "--first-divisor", "tie_break": "--tie-break", "by": "--by",
                 "without": "--without", "scenario": "--scenario", "mandate": "--mandate", "take": "--take",
                 "packs": "PACKS", "elections": "--election", "without_vetoes": "--without-veto",
                 "scripts": "--no-scripts"}


# --------------------------------------------------------------------------- rendering


def render(rows: Sequence[dict], fmt: str, *, title: str | None = None) -> str:
    """Rows of dicts as an aligned table, CSV or JSON (values made plain by the façade)."""
    plain = muhasasa.to_plain(list(rows))
    if fmt == "json":
        return json.dumps(plain, ensure_ascii=False, indent=2)
    columns = list(plain[0]) if plain else []
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: ("" if v is None else v) for k, v in r.items()} for r in plain)
        return out.getvalue().rstrip("\n")
    cells = [[("" if r[c] is None else str(r[c])) for c in columns] for r in plain]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = [title] if title else []
    lines.append("  ".join(c.ljust(w) for c, w in zip(columns, widths)))
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(v.ljust(w) for v, w in zip(row, widths)) for row in cells)
    return "\n".join(lines)


def emit_json(value: Any) -> None:
    click.echo(json.dumps(muhasasa.to_plain(value), ensure_ascii=False, indent=2))


def echo_lines(lines: Iterable[str]) -> None:
    for line in lines:
        click.echo(line)


@contextmanager
def progress(total: int, label: str, *, least: int = 200):
    """A progress bar on stderr when it is a terminal and the work is long enough; yields
    the callback the library reports to (a count done, or a fraction done)."""
    if total < least or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        done = [0]

        def advance(value: float, *_: object) -> None:
            count = int(value * total) if isinstance(value, float) and value <= 1 else int(value)
            bar.update(max(count - done[0], 0))
            done[0] = max(done[0], count)

        yield advance


def _csv_list(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


# --------------------------------------------------------------------------- options

def pack_option(func: Callable) -> Callable:
    return click.option("--pack", "pack", metavar="NAME|DIR", default=None,
                        help="The pack: a bundled one by name (default iraq) or a folder of your own.")(func)


def format_option(choices: click.Choice = FORMATS) -> Callable:
    return click.option("--format", "fmt", type=choices, default="table", show_default=True)


SEED = click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
                    help="The seed (a non-negative whole number); recorded with the results.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="muhasasa")
def cli() -> None:
    """muhasasa: power-sharing systems, from votes to seats to blocs to government."""


# --------------------------------------------------------------------------- votes to seats


@cli.command()
@click.argument("election")
@click.option("--law", "law_id", help="Recompute the same votes under another law of the pack.")
@click.option("--by", "by", type=click.Choice(["list", "district"]), default="list", show_default=True)
@format_option()
@SEED
@pack_option
def seats(election: str, law_id: str | None, by: str, fmt: str, seed: int, pack: str | None) -> None:
    """The parliament of ELECTION: official seats, and the engine's recomputation beside them."""
    parl = muhasasa.parliament(election, law_id, seed=seed, pack=pack)
    if by == "district":
        under = f"under law {parl.law}" if parl.law else "as declared (no votes, no law)"
        click.echo(render(muhasasa.district_rows(parl, pack=pack), fmt, title=f"{election}: seats by district {under}"))
        return
    rows = muhasasa.list_rows(parl, pack=pack)
    if fmt != "table":
        click.echo(render(rows, fmt))
        return
    summary = muhasasa.parliament_summary(parl, pack=pack)
    shown = [{k: v for k, v in r.items() if k not in ("seats_computed", "name_ar")} for r in rows]
    click.echo(render(shown, fmt, title=summary["title"]))
    echo_lines(summary["lines"])


@cli.command()
@click.option("--body", help="Only this body's elections (see `muhasasa bodies`).")
@format_option(click.Choice(["table", "json"]))
@SEED
@pack_option
def verify(body: str | None, fmt: str, seed: int, pack: str | None) -> None:
    """Every district-election the record can recompute, and what it would need elsewhere."""
    checks = muhasasa.verify(seed=seed, pack=pack, body=body)
    if fmt == "json":
        click.echo(render(muhasasa.verify_rows(checks), "json"))
        return
    click.echo(render(muhasasa.verify_rows(checks, folded=True), "table",
                      title="Record check: each district under its own law"))
    echo_lines(muhasasa.verify_summary(checks))
    click.echo("")
    click.echo(render(muhasasa.verify_counts(checks, pack=pack), "table",
                      title="Checks per body and election"))
    if any(c.status == "mismatch" for c in checks):
        sys.exit(1)


@cli.command()
@pack_option
def bodies(pack: str | None) -> None:
    """The elected bodies of the pack and their elections."""
    chosen = muhasasa.load_pack(pack)
    rows = [{"body": b.id, "name": b.name_en, "name_ar": b.name_ar,
             "elections": ", ".join(e["id"] for e in muhasasa.election_index(pack=chosen, body=b.id))}
            for b in chosen.bodies.values()]
    click.echo(render(rows, "table", title=f"{chosen.name_en} ({chosen.id})"))


@cli.command(name="allocate")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--method", "method_id", required=True, help="A registered method id (see `muhasasa methods`).")
@click.option("--seats", "n_seats", type=int, required=True)
@click.option("--first-divisor", help='First divisor for sainte-lague-modified, e.g. "1.7".')
@click.option("--threshold", help='"none", votes, "5%" or "1 quota".')
@click.option("--quota", type=click.Choice(["hare", "droop"]), help="Quota for largest-remainder.")
@click.option("--param", "extra", multiple=True, metavar="NAME=VALUE", help="Any other method parameter.")
@click.option("--tie-break", type=click.Choice(["refuse", "lot"]), default="refuse", show_default=True)
@SEED
@format_option()
def allocate_command(file, method_id, n_seats, first_divisor, threshold, quota, extra, tie_break, seed, fmt):
    """Allocate seats for any vote table FILE (CSV with columns list,votes)."""
    params: dict[str, str] = {}
    for item in extra:
        name, sep, value = item.partition("=")
        if not sep:
            raise InputError("argument", f"{item!r} is not NAME=VALUE", field="param")
        params[name.strip().replace("-", "_")] = value.strip()
    if first_divisor is not None:
        params["first_divisor"] = first_divisor
    if quota is not None:
        params["quota"] = quota
    muhasasa.get_method(method_id)
    table = muhasasa.read_votes(file)
    result = muhasasa.allocate(table.votes, n_seats, method=method_id, threshold=threshold,
                               residual_votes=table.residual_votes, tie_break=tie_break, seed=seed, **params)
    rows = [{"list": p, "votes": v, "seats": result.seats[p]} for p, v in result.votes.items()]
    if fmt == "json":
        emit_json({"method": result.method, "params": dict(result.params), "seats_total": result.n_seats,
                   "rows": rows, "explanation": result.explain().splitlines()})
        return
    click.echo(render(rows, fmt))
    if fmt == "table":
        click.echo("")
        click.echo(result.explain())


@cli.command()
@click.argument("election")
@format_option()
@pack_option
def metrics(election: str, fmt: str, pack: str | None) -> None:
    """Disproportionality and fragmentation of ELECTION's parliament."""
    click.echo(render(muhasasa.metrics(election, pack=pack), fmt, title=f"{election}: metrics of the official parliament"))


@cli.command()
@click.argument("election")
@format_option()
@pack_option
def women(election: str, fmt: str, pack: str | None) -> None:
    """Women's seats each list must fill in each district under ELECTION's law."""
    rows, lines = muhasasa.women(election, pack=pack)
    click.echo(render(rows, fmt, title=f"{election}: women's quota by district and list"))
    if fmt == "table":
        echo_lines(lines)


@cli.command()
@click.argument("election")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="SVG file to write.")
@click.option("--by", "by", type=click.Choice(["list", "community"]), default="list", show_default=True)
@pack_option
def plot(election: str, output: str, by: str, pack: str | None) -> None:
    """Draw ELECTION's parliament as a hemicycle (SVG)."""
    groups, title = muhasasa.hemicycle(election, by=by, pack=pack)
    muhasasa.write_hemicycle(output, groups, title=title)
    click.echo(f"wrote {output}: {sum(g[1] for g in groups)} seats, coloured by {by}")


@cli.command(name="methods")
def methods_command() -> None:
    """The registered allocation methods, their parameters and references."""
    rows = [{"id": m.id, "family": m.family, "unit": m.unit,
             "params": ", ".join(f"{p.name}={p.default}" for p in m.params), "title": m.title}
            for m in muhasasa.METHODS.values()]
    click.echo(render(rows, "table"))


@cli.command(name="laws")
@click.argument("law_id", required=False)
@pack_option
def laws_command(law_id: str | None, pack: str | None) -> None:
    """The electoral laws of the pack, or one law with its assumptions."""
    echo_lines(muhasasa.describe_laws(law_id, pack=pack))


# --------------------------------------------------------------------------- seats to power


def _casts(election: str, by: str, blocs: str | None, pack: str | None) -> list[tuple[str, Any]]:
    """(title, players) pairs: one bloc map, or lists (or members) plus every map of the election."""
    if by == "bloc" or blocs:
        cast = muhasasa.players(election, by="bloc", blocs=blocs, pack=pack)
        return [(f"blocs of {cast.bloc_map.id} ({cast.bloc_map.date})", cast)]
    casts = [(f"{by}s (no blocs)", muhasasa.players(election, by=by, pack=pack))]
    if by == "list":
        casts += [(f"blocs of {m.id} ({m.date})", muhasasa.players(election, by="bloc", blocs=m.id, pack=pack))
                  for m in muhasasa.bloc_maps(election, pack=pack)]
    return casts


COMMON = [
    click.option("--blocs", help="A bloc map: a date (YYYY-MM-DD), a map id, or a TOML file of your own."),
    click.option("--step", default="president", show_default=True,
                 help="A decision of the constitution (see `muhasasa steps ELECTION`)."),
    click.option("--reading", help="A reading of the step where sources disagree (see `muhasasa laws`)."),
    click.option("--quota", type=click.IntRange(min=1), help="Seats needed, instead of the step's quorum and threshold."),
    click.option("--by", "by", type=click.Choice(["bloc", "list", "member"]), default="list", show_default=True),
    click.option("--communities", help='Require these communities, e.g. "Shia Arab,Sunni Arab,Kurdish".'),
    click.option("--share", help='With --communities: the share of each community\'s seats needed ("0": one seat).'),
    format_option(),
    pack_option,
]


def common_options(func: Callable) -> Callable:
    for option in reversed(COMMON):
        func = option(func)
    return func


@cli.command(name="steps")
@click.argument("election")
@pack_option
def steps_command(election: str, pack: str | None) -> None:
    """The constitutional steps games can be played at on ELECTION's parliament."""
    echo_lines(muhasasa.steps(election, pack=pack))


@cli.command()
@click.argument("election")
@common_options
@click.option("--index", "index_ids", default="banzhaf,shapley-shubik", show_default=True,
              help="Comma-separated ids (see `muhasasa indices`).")
def power(election, blocs, step, reading, quota, by, communities, share, fmt, pack, index_ids):
    """Exact power of each list, bloc or member at a constitutional step of ELECTION."""
    indices = [muhasasa.INDICES[i].id for i in _csv_list(index_ids)]
    if not indices:
        raise InputError("argument", "name at least one power index (see `muhasasa indices`)", field="index")
    requirement = muhasasa.community_requirement(_csv_list(communities), share, pack=pack)
    out = []
    casts = _casts(election, by, blocs, pack)
    with progress(len(casts) * 1000, "power indices", least=2) as advance:
        for n, (title, cast) in enumerate(casts):
            game = muhasasa.game(cast, step, quota=quota, reading=reading, requirement=requirement)
            baseline = muhasasa.game(cast, step, quota=quota, reading=reading) if requirement else None
            step_done = (lambda f, n=n: advance(int((n + f) * 1000))) if advance else None
            out.append((title, game, muhasasa.power(cast, game, indices, baseline=baseline, progress=step_done)))
            if advance:
                advance((n + 1) * 1000)
    if fmt == "json":
        emit_json([{"players": title, "game": g.label, "quota": g.quota, "blocking_seats": g.blocking_size,
                    "requirement": g.requirement.describe() if g.requirement else None, "rows": rows}
                   for title, g, rows in out])
        return
    if fmt == "csv":
        click.echo(render([{"players": t, **r} for t, _, rows in out for r in rows], "csv"))
        return
    for title, game, rows in out:
        shown = [{k: (muhasasa.percent(v) if k in indices or "(unconstrained)" in k else v)
                  for k, v in r.items() if k != "name"} for r in muhasasa.power_rows_folded(rows, indices)]
        click.echo(render(shown, "table", title=f"{election}, {title}"))
        click.echo(f"game: {game.label}; a coalition needs {game.quota} seats; {game.blocking_size} seats block"
                   + (f"; requirement: {game.requirement.describe()}" if game.requirement else ""))
        click.echo("")


@cli.command()
@click.argument("election")
@common_options
@click.option("--kind", type=click.Choice(["winning", "minimal-winning", "blocking", "minimal-blocking", "both"]),
              default="both", show_default=True, help="both = minimal winning and minimal blocking.")
@click.option("--min-size", type=click.IntRange(min=0), help="Only coalitions with at least this many seats.")
@click.option("--must-include", help="Comma-separated players every coalition must include.")
@click.option("--order", help="Comma-separated players along a policy dimension: connected coalitions only.")
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True, help="Patterns shown per kind.")
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True,
              help="Patterns skipped before the page (counts are always of the whole listing).")
@click.option("--mandate", help="Comma-separated players: seat, vote and registered-voter shares of that coalition.")
def coalitions(election, blocs, step, reading, quota, by, communities, share, fmt, pack, kind, min_size,
               must_include, order, limit, offset, mandate):
    """Winning and blocking coalitions of ELECTION at a constitutional step, counted exactly
    and listed a page at a time."""
    cast = muhasasa.players(election, by=by, blocs=blocs, pack=pack)
    title = f"blocs of {cast.bloc_map.id} ({cast.bloc_map.date})" if cast.bloc_map else f"{by}s"
    if mandate:
        row = muhasasa.mandate(cast, _csv_list(mandate), pack=pack)
        click.echo(render([row], fmt, title=f"{election}: mandate of a coalition"))
        return
    requirement = muhasasa.community_requirement(_csv_list(communities), share, pack=pack)
    game = muhasasa.game(cast, step, quota=quota, reading=reading, requirement=requirement)
    kinds = ["minimal-winning", "minimal-blocking"] if kind == "both" else [kind]
    pages = []
    with progress(len(kinds) * 1000, "coalitions", least=2) as advance:
        for n, k in enumerate(kinds):
            step_done = (lambda f, n=n: advance(int((n + f) * 1000))) if advance else None
            pages.append(muhasasa.coalition_page(game, k, cast, offset=offset, limit=limit,
                                                 must_include=_csv_list(must_include), min_size=min_size,
                                                 order=_csv_list(order) or None, progress=step_done))
            if advance:
                advance((n + 1) * 1000)
    if fmt == "json":
        emit_json([{"kind": p.kind, "game": game.label, "total_patterns": p.patterns,
                    "total_coalitions": p.coalitions, "offset": p.offset,
                    "rows": muhasasa.coalition_rows(p.rows)} for p in pages])
        return
    for page in pages:
        rows = muhasasa.coalition_rows(page.rows)
        if fmt == "csv":
            click.echo(render([{"kind": page.kind, **r} for r in rows], "csv"))
            continue
        shown = (f"showing {page.offset + 1}–{page.offset + len(rows)}" if rows else "none shown")
        click.echo(render(rows, "table", title=f"{election}, {title}: {page.kind} coalitions "
                                               f"({page.patterns:,} patterns, {page.coalitions:,} coalitions; "
                                               f"{shown})"))
        click.echo(f"game: {game.label}; {game.quota} seats win, {game.blocking_size} block")
        click.echo("")


@cli.command(name="indices")
def indices_command() -> None:
    """The registered power indices."""
    click.echo(render([{"id": i.id, "title": i.title, "reference": i.reference}
                       for i in muhasasa.INDICES.values()], "table"))


# --------------------------------------------------------------------------- blocs to government


def _replay_out(report: Any, fmt: str) -> None:
    if fmt == "json":
        emit_json(report.as_dict())
        return
    echo_lines(muhasasa.replay_lines(report))


@cli.command(name="replay")
@click.argument("cycle")
@click.option("--runs", type=int, default=1000, show_default=True)
@SEED
@click.option("--without", "without", default="", help="Comma-separated event ids to remove (e.g. sadrist-resignation).")
@click.option("--from-lists", "elected", is_flag=True,
              help="Start from the lists as elected: the model forms the blocs that claim the largest bloc.")
@click.option("--without-veto", "without_vetoes", default="",
              help="Comma-separated outside players whose vetoes do not act (e.g. united-states).")
@format_option(click.Choice(["table", "json"]))
@pack_option
def replay_command(cycle, runs, seed, without, elected, without_vetoes, fmt, pack):
    """Replay a formation CYCLE (see `muhasasa cycles`) beside the record."""
    with progress(runs, f"replaying {cycle}") as advance:
        report = muhasasa.replay(cycle, runs=runs, seed=seed, without=_csv_list(without), pack=pack, progress=advance,
                                 elected=elected, without_vetoes=_csv_list(without_vetoes))
    _replay_out(report, fmt)


@cli.command(name="form")
@click.argument("election")
@click.option("--runs", type=int, default=1000, show_default=True)
@SEED
@click.option("--scenario", type=click.Path(dir_okay=False), help="A formation what-if file (TOML, see docs/formation.md).")
@format_option(click.Choice(["table", "json"]))
@pack_option
def form_command(election, runs, seed, scenario, fmt, pack):
    """Form a government from ELECTION's parliament (the cycle it opened), runs times."""
    whatif = muhasasa.load_whatif(scenario) if scenario else None
    with progress(runs, f"forming after {election}") as advance:
        report = muhasasa.form(election, runs=runs, seed=seed, whatif=whatif, pack=pack, progress=advance)
    _replay_out(report, fmt)


@cli.command(name="calibrate")
@click.option("--runs", type=int, default=60, show_default=True, help="Runs per cycle and grid point.")
@SEED
@click.option("--sweeps", type=int, default=1, show_default=True, help="Passes of coordinate descent over the grid.")
@click.option("--leave-one-out", "leave_one_out", is_flag=True, help="Refit without each cycle and score it.")
@click.option("--from-lists", "elected", is_flag=True,
              help="Replay every cycle from the lists as elected (blocs formed inside the model).")
@click.option("--no-scripts", "no_scripts", is_flag=True,
              help="Remove the record's scripted resignations and outside vetoes (the model must produce them).")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Processes that refit the leave-one-out's folds side by side (the rows do not depend on it). "
                   "[default: the machine's cores with --leave-one-out, else 1]")
@format_option(click.Choice(["table", "json"]))
@pack_option
def calibrate_command(runs, seed, sweeps, leave_one_out, elected, no_scripts, workers, fmt, pack):
    """Calibrate the formation model on the record (each parameter identified or flat)."""
    if workers is None:
        workers = min(os.cpu_count() or 1, 64) if leave_one_out else 1
    result = muhasasa.calibrate(runs=runs, seed=seed, sweeps=sweeps, leave_one_out=leave_one_out, pack=pack,
                                elected=elected, scripts=not no_scripts, workers=workers)
    if fmt == "json":
        emit_json(result)
        return
    rows = result if leave_one_out else result["fits"]
    columns = ("cycle", "record_pm", "modal_pm", "p_record_pm", "days_record", "days_p10", "days_p90")
    click.echo(render([{k: r[k] for k in columns} for r in rows], "table"))
    if not leave_one_out:
        click.echo(render([{k: p[k] for k in ("parameter", "verdict", "chosen", "spread", "noise")}
                           for p in result["profiles"]], "table"))


@cli.command(name="vetoes")
@click.argument("cycle")
@click.option("--runs", type=int, default=300, show_default=True)
@SEED
@click.option("--from-lists", "elected", is_flag=True, help="Start from the lists as elected.")
@click.option("--no-scripts", "no_scripts", is_flag=True,
              help="Remove the record's scripted resignations and vetoes: only the outside players veto.")
@format_option(click.Choice(["table", "json"]))
@pack_option
def vetoes_command(cycle, runs, seed, elected, no_scripts, fmt, pack):
    """What each outside player's veto changes in a formation CYCLE: with every player, without
    each, without all."""
    rows = muhasasa.veto_effects(cycle, runs=runs, seed=seed, elected=elected, scripts=not no_scripts, pack=pack)
    if fmt == "json":
        emit_json(rows)
        return
    columns = ("without_vetoes", "modal_pm", "p_record_pm", "days_median", "days_p10", "days_p90",
               "failed_designations", "acceptable_to_all")
    click.echo(render([{k: (", ".join(r[k]) or "-") if k == "without_vetoes" else r[k] for k in columns}
                       for r in rows], "table"))


@cli.command(name="cycles")
@pack_option
def cycles_command(pack: str | None) -> None:
    """The formation cycles of the record."""
    rows = [{"cycle": c.cycle, "election": c.election, "replayable": c.replayable, "pm": c.pm_name,
             "pm_bloc": c.pm_bloc, "days": c.days_election_to_cabinet} for c in muhasasa.cycles(pack=pack)]
    click.echo(render(rows, "table"))


@cli.command(name="offices")
@click.option("--body", help="Only this body (see `muhasasa bodies`); default: every body with such a record.")
@click.option("--district", help="Only this district (governorate).")
@click.option("--office", help="Only this office, e.g. governor or council-chair.")
@format_option()
@pack_option
def offices_command(body: str | None, district: str | None, office: str | None, fmt: str, pack: str | None) -> None:
    """Offices filled per district after an election (the governors and council chairs the
    provincial councils chose), each dated and sourced."""
    rows = muhasasa.office_holders(body, district=district, office=office, pack=pack)
    if fmt == "csv":
        rows = [{**r, "sources": " ; ".join(r["sources"])} for r in rows]
    if fmt != "table":
        click.echo(render(rows, fmt))
        return
    shown = [{"district": r["district"], "office": r["office"], "name": r["name"], "list": r["list_id"] or "",
              "date": r["date"] or "unknown", "status": r["status"]} for r in rows]
    click.echo(render(shown, "table", title=f"Offices filled per district ({len(rows)} rows; sources: --format json)"))


def _pairs(values: Sequence[str], option: str) -> dict[str, str]:
    """``PACK=VALUE`` options as a mapping (one line, exit 2, on a malformed one)."""
    out: dict[str, str] = {}
    for value in values:
        pack, sep, rest = value.partition("=")
        if not sep or not pack or not rest:
            raise click.BadParameter(f"{value!r} is not PACK=VALUE", param_hint=option)
        if pack in out:
            raise click.BadParameter(f"pack {pack!r} is given twice", param_hint=option)
        out[pack] = rest
    return out


@cli.command(name="systems")
@click.argument("packs", nargs=-1)
@click.option("--election", "elections", multiple=True, metavar="PACK=ID",
              help="The election of a pack (default: its latest). Repeat for several packs.")
@click.option("--blocs", "blocs", multiple=True, metavar="PACK=MAP",
              help="A bloc map of a pack: a date or a map id (default: the election's latest map).")
@click.option("--step", default="president", show_default=True, help="The step at which power is computed.")
@format_option()
def systems_command(packs, elections, blocs, step, fmt):
    """Power-sharing systems side by side: each constitutional step's quorum and blocking
    minority, the largest player's power and the disproportionality (PACKS: default every
    bundled pack)."""
    results = muhasasa.systems(list(packs) or list(muhasasa.pack_ids()), elections=_pairs(elections, "--election"),
                               blocs=_pairs(blocs, "--blocs"), step=step)
    if fmt == "json":
        emit_json(results)
        return
    click.echo(render(muhasasa.systems_rows(results), fmt))


# --------------------------------------------------------------------------- what-ifs, Monte Carlo


def _p(row: dict, key: str) -> str:
    """A probability with its Monte Carlo error: ``0.820 ± 0.022``."""
    return f"{row[f'p_{key}']:.3f} ± {row[f'se_{key}']:.3f}"


def _simulation_lines(meta: dict, summary: list[dict], governments: list[dict], top: int) -> list[str]:
    quotas = meta["quotas"]
    u = {k: v for k, v in meta["uncertainty"].items() if v is not None and k != "ties"}
    lines = [(f"{meta.get('title') or meta['scenario']}: base {meta['base']}, law {meta['law']}, "
             f"level {meta['level']}, {meta['label']}")]
    lines += [f"  note: {n}" for n in meta["notes"]]
    lines.append(f"{meta['draws']} draws, seed {meta['seed']}, " + ", ".join(f"{k} {v}" for k, v in u.items())
                 + f"; quotas of {meta['house_size']}: majority {quotas['majority']}, two-thirds "
                   f"{quotas['two_thirds']}, blocking {quotas['blocking']}")
    for level, title in (("list", "lists"), ("bloc", f"blocs of {meta['bloc_map']}")):
        rows = [r for r in summary if r["level"] == level][:top]
        if not rows:
            continue
        shown = [{"player": r["player"], "base": r["base_seats"], "mean": f"{r['mean']:.1f}",
                  "p5-p95": f"{r['p5']}-{r['p95']}", f"P(>={quotas['majority']})": _p(r, "majority"),
                  f"P(>={quotas['two_thirds']})": _p(r, "two_thirds"),
                  f"P(>={quotas['blocking']})": _p(r, "blocking")} for r in rows]
        lines += ["", render(shown, "table", title=f"{title} (largest {len(rows)})")]
    if governments:
        f = meta["formation"]
        lines += ["", f"formation, cycle {f['cycle']}" + (f" without {', '.join(f['without_events'])}"
                                                         if f["without_events"] else "") + f": {f['note']}"]
        for g in governments:
            if g["outcome"] in ("formed", "pm_bloc"):
                lines.append(f"  P({g['outcome']} = {g['value']}) = {g['probability']:.3f} ± {g['se']:.3f}")
            elif g["outcome"].startswith("days"):
                lines.append(f"  {g['outcome'].replace('_', ' ')}: {g['value']}")
    return lines


@cli.command(name="simulate")
@click.argument("scenarios", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--draws", type=int, default=1000, show_default=True, help="Monte Carlo draws.")
@SEED
@click.option("--workers", type=int, default=1, show_default=True, help="Worker processes (results do not change).")
@click.option("--out", "out", type=click.Path(file_okay=False),
              help="Folder for the Parquet results, created with its parents (several scenarios: one sub-folder "
                   "each). An earlier result there is replaced: only the files its manifest "
                   "(muhasasa-result.json) lists. Any other non-empty folder is refused unless --force.")
@click.option("--force", is_flag=True,
              help="Write into a non-empty folder that holds no result; none of its files is removed or replaced.")
@click.option("--dask", "dask", metavar="ADDRESS",
              help="Run on Dask: a scheduler address, or 'local'. Several scenarios use a local cluster by default.")
@click.option("--formation/--no-formation", default=None,
              help="Run each draw's parliament through formation (default: when the scenario reaches formation).")
@click.option("--formation-draws", type=int,
              help="Draws that go through formation (default: all; a run estimated to take over 600 s is refused).")
@format_option(click.Choice(["table", "json"]))
@click.option("--top", type=click.IntRange(min=0), default=12, show_default=True, help="Players shown per table.")
@pack_option
def simulate_command(scenarios, draws, seed, workers, out, force, dask, formation, formation_draws, fmt, top, pack):
    """Monte Carlo of SCENARIO files: seat distributions and the probabilities of each quota."""
    from pathlib import Path

    muhasasa.check_draws(draws)
    loaded = [muhasasa.load_scenario(path, pack=pack) for path in scenarios]
    targets: list[Path] = []
    if out is not None:
        if len(loaded) == 1:
            targets = [muhasasa.check_out(out, force=force)]
        else:
            if Path(out).exists() and not Path(out).is_dir():
                raise InputError("argument", f"{out} exists and is not a folder", field="out")
            stems = [s.stem for s in loaded]
            if len(set(stems)) != len(stems):
                raise InputError("argument", "two scenario files share a name; their result folders would clash",
                                 field="out")
            targets = [muhasasa.check_out(Path(out) / stem, force=force) for stem in stems]
    client, cluster = muhasasa.dask_client(dask, workers) if (dask or len(loaded) > 1) else (None, None)
    label = "simulating" if not targets else f"simulating, writing {out}"
    try:
        with progress(draws * len(loaded), label, least=0) as advance:
            if len(loaded) == 1:
                results = [muhasasa.simulate(loaded[0], draws, seed, workers=workers, progress=advance,
                                             formation=formation, formation_draws=formation_draws, dask=client,
                                             out=targets[0] if targets else None, force=force)]
            else:
                results = muhasasa.sweep(loaded, draws, seed, address=client, workers=workers, progress=advance,
                                         formation=formation, formation_draws=formation_draws,
                                         outs=targets or None, force=force)
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
    documents = []
    for i, result in enumerate(results):
        if targets:
            meta, summary, governments = muhasasa.read_summary(targets[i])
        else:
            meta, summary, governments = result.meta(), list(result.summary), list(result.governments)
        documents.append({"meta": meta, "summary": summary, "governments": governments})
    if fmt == "json":
        emit_json(documents if len(documents) > 1 else documents[0])
        return
    for i, doc in enumerate(documents):
        if i:
            click.echo("")
        echo_lines(_simulation_lines(doc["meta"], doc["summary"], doc["governments"], top))
        if targets:
            click.echo(f"wrote {targets[i]} (query it with muhasasa.montecarlo.query)")


@cli.command(name="compare")
@click.argument("a", type=click.Path(file_okay=False))
@click.argument("b", type=click.Path(file_okay=False))
@click.option("--level", type=click.Choice(["list", "bloc"]), default="list", show_default=True)
@click.option("--top", type=click.IntRange(min=0), default=15, show_default=True)
@click.option("--allow-different-base", is_flag=True,
              help="Compare runs on different base elections (labelled: two parliaments, not one change).")
@format_option()
def compare_command(a, b, level, top, allow_different_base, fmt):
    """Two simulations' results (folders written by `simulate --out`) side by side."""
    found = muhasasa.compare(a, b, allow_different_base=allow_different_base)
    meta_a, meta_b, governments = found.a, found.b, found.governments
    rows = [r for r in found.rows if r["level"] == level]
    if fmt != "table":
        if fmt == "csv":
            click.echo(render(rows, fmt))
        else:
            emit_json({"a": meta_a, "b": meta_b, "different_base": found.different_base, "note": found.note,
                       "rows": rows, "governments": governments})
        return
    for tag, meta in (("A", meta_a), ("B", meta_b)):
        click.echo(f"{tag}: {meta.get('title') or meta['scenario']} (base {meta['base']}, law {meta['law']}, "
                   f"{meta['draws']} draws, seed {meta['seed']}; {meta['label']})")
    if found.note:
        click.echo(f"note: {found.note}")
    quota = meta_a["quotas"]["majority"]
    blocking = meta_a["quotas"]["blocking"]
    shown = [{"player": r["player"], "mean A": f"{r['mean_a']:.1f}", "mean B": f"{r['mean_b']:.1f}",
              "B-A": f"{r['mean_diff']:+.1f}",
              f"P(>={quota}) A": f"{r['p_majority_a']:.3f}", f"P(>={quota}) B": f"{r['p_majority_b']:.3f}",
              f"P(>={blocking}) A": f"{r['p_blocking_a']:.3f}", f"P(>={blocking}) B": f"{r['p_blocking_b']:.3f}",
              "B-A (blocking)": f"{r['p_blocking_diff']:+.3f} ± {r['se_blocking_diff']:.3f}"}
             for r in rows[:top]]
    click.echo("")
    click.echo(render(shown, "table", title=f"{level}s, A beside B"))
    for tag in ("a", "b"):
        pm = [g for g in governments[tag] if g["outcome"] == "pm_bloc"]
        if pm:
            click.echo(f"{tag.upper()} PM bloc: " + ", ".join(f"{g['value']} {g['probability']:.3f} ± {g['se']:.3f}"
                                                            for g in pm))


# --------------------------------------------------------------------------- the explorer


@cli.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind: this machine only, unless told otherwise.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
def serve_command(host: str, port: int) -> None:
    """Start the explorer: bilingual pages at / and the JSON API at /api (needs the `web` extra)."""
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"muhasasa explorer: http://{shown}:{port}/ (Arabic: http://{shown}:{port}/ar/); Ctrl+C stops it")
    muhasasa.serve(host=host, port=port)


# --------------------------------------------------------------------------- errors and pipes


#: Library fields named after a command's parameter of another name (click's names).
FIELD_PARAMS = {"n_seats": "n_seats", "seats": "n_seats", "method": "method_id", "law": "law_id",
                "index": "index_ids", "param": "extra", "parameters": "extra", "path": ("file", "output"), "votes": "file", "format": "fmt"}


def message(exc: MuhasasaError, command: click.Command | None = None, given: Sequence[str] = ()) -> str:
    """One line for a library error, naming the option (or argument) of ``command`` where the
    library names a field of an argument (``--draws: …``, ``ELECTION: …``), and the file,
    line and field where it names a file (any source among the ``given`` arguments)."""
    if isinstance(exc, InputError) and exc.line is None:
        about = exc.source == "argument" or (exc.source.isidentifier() and exc.source not in given)
        if about and command is not None:
            for name in (exc.field, exc.source):
                shown = _parameter(command, name) if name else None
                if shown:
                    return f"{shown}: {exc.problem}"
        if exc.source == "argument" and exc.field:
            return f"{FIELD_OPTIONS.get(exc.field, '--' + exc.field.replace('_', '-'))}: {exc.problem}"
        if exc.source in FIELD_OPTIONS:
            return f"{FIELD_OPTIONS[exc.source]}: {exc.problem}"
    return str(exc)


def _parameter(command: click.Command, field: str) -> str | None:
    """How ``command`` shows the parameter a library field is about: ``--option`` or ``ARGUMENT``."""
    alias = FIELD_PARAMS.get(field, field)
    wanted = {field, *((alias,) if isinstance(alias, str) else alias)}
    for param in command.params:
        names = {param.name} | {o.lstrip("-").replace("-", "_") for o in param.opts}
        if names & wanted:
            if isinstance(param, click.Argument):
                return param.human_readable_name
            return max(param.opts, key=len)
    return None


def _command(argv: Sequence[str] | None) -> tuple[click.Command | None, list[str]]:
    """The subcommand ``argv`` runs (its first word that is not an option), and the arguments."""
    args = list(sys.argv[1:] if argv is None else argv)
    name = next((a for a in args if not a.startswith("-")), "")
    return cli.commands.get(name), [a for a in args if a != name]


class _PipeClosed(Exception):
    """The reader of our output went away; not an OSError, so that it passes through click."""


class _Output:
    """Standard output that turns a broken pipe into :class:`_PipeClosed`."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise _PipeClosed from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise _PipeClosed from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: run the CLI; a user's mistake is one line and exit code 2; a closed
    output pipe ends quietly with exit 0."""
    stdout = sys.stdout
    sys.stdout = _Output(stdout)  # type: ignore[assignment]
    try:
        cli.main(args=argv, prog_name="muhasasa", standalone_mode=False)
        sys.stdout.flush()
    except (_PipeClosed, BrokenPipeError):
        _quiet_pipe()
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        hint = f" (see muhasasa {exc.ctx.command.name} --help)" if exc.ctx and exc.ctx.command.name != "cli" else ""
        click.echo(f"muhasasa: error: {exc.format_message()}{hint}", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        click.echo(f"muhasasa: error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except MuhasasaError as exc:
        command, args = _command(argv)
        click.echo(f"muhasasa: error: {message(exc, command, args)}", err=True)
        sys.exit(2)
    finally:
        sys.stdout = stdout


def _quiet_pipe() -> None:
    """The reader of our output has gone (``| head``): stop without a traceback, exit 0."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(0)


if __name__ == "__main__":
    main()
