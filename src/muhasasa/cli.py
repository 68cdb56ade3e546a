"""The command line: parse, call the library, render. Nothing is computed here.

Every user mistake arrives as a :class:`~muhasasa.errors.MuhasasaError` and leaves
as one line on stderr with exit code 2.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Sequence
from fractions import Fraction

import click

from muhasasa import elections, packs, reports
from muhasasa.errors import InputError, MuhasasaError
from muhasasa.methods import METHODS, allocate
from muhasasa.vote_tables import read_vote_table

FORMATS = click.Choice(["table", "csv", "json"])


def _plain(value: object) -> object:
    """JSON-friendly value: a Fraction as exact text "p/q" (an integer when whole)."""
    if isinstance(value, Fraction):
        return str(value) if value.denominator != 1 else value.numerator
    return value


def render(rows: Sequence[dict], fmt: str, *, title: str | None = None) -> str:
    """Rows of dicts as an aligned table, CSV or JSON."""
    if fmt == "json":
        return json.dumps([{k: _plain(v) for k, v in r.items()} for r in rows], ensure_ascii=False, indent=2)
    columns = list(rows[0]) if rows else []
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: ("" if v is None else _plain(v)) for k, v in r.items()} for r in rows)
        return out.getvalue().rstrip("\n")
    cells = [[("" if r[c] is None else str(_plain(r[c]))) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = [title] if title else []
    lines.append("  ".join(c.ljust(w) for c, w in zip(columns, widths)))
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(v.ljust(w) for v, w in zip(row, widths)) for row in cells)
    return "\n".join(lines)


def echo_lines(lines: Iterable[str]) -> None:
    for line in lines:
        click.echo(line)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="muhasasa")
def cli() -> None:
    """muhasasa: Iraq's power-sharing system, from votes to seats (and on to government)."""


@cli.command()
@click.argument("election")
@click.option("--law", "law_id", help="Recompute the same votes under another law of the pack.")
@click.option("--by", "by", type=click.Choice(["list", "district"]), default="list", show_default=True)
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the lot that settles ties.")
def seats(election: str, law_id: str | None, by: str, fmt: str, seed: int) -> None:
    """The parliament of ELECTION: official seats, and the engine's recomputation beside them."""
    parl = elections.parliament(election, law_id, seed=seed)
    if by == "district":
        rows = reports.district_rows(parl)
        click.echo(render(rows, fmt, title=f"{election}: seats by district under law {parl.law}"))
        return
    rows = reports.list_rows(parl)
    if fmt != "table":
        click.echo(render(rows, fmt))
        return
    summary = reports.summary(parl)
    shown = [{k: v for k, v in r.items() if k != "seats_computed"} for r in rows]
    click.echo(render(shown, fmt, title=summary["title"]))
    echo_lines(summary["lines"])


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
def verify(fmt: str, seed: int) -> None:
    """Every district-election the record can recompute, and what it would need elsewhere."""
    checks = elections.verify(seed=seed)
    if fmt == "json":
        click.echo(render(reports.check_rows(checks), "json"))
        return
    click.echo(render(reports.verify_table(checks), "table", title="Record check: each district under its own law"))
    echo_lines(reports.verify_summary(checks))
    if any(c.status == "mismatch" for c in checks):
        sys.exit(1)


@cli.command(name="allocate")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--method", "method_id", required=True, help="A registered method id (see `muhasasa methods`).")
@click.option("--seats", "n_seats", type=int, required=True)
@click.option("--first-divisor", help='First divisor for sainte-lague-modified, e.g. "1.7".')
@click.option("--threshold", help='"none", votes, "5%" or "1 quota".')
@click.option("--quota", type=click.Choice(["hare", "droop"]), help="Quota for largest-remainder.")
@click.option("--param", "extra", multiple=True, metavar="NAME=VALUE", help="Any other method parameter.")
@click.option("--tie-break", type=click.Choice(["refuse", "lot"]), default="refuse", show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
def allocate_command(file, method_id, n_seats, first_divisor, threshold, quota, extra, tie_break, seed, fmt):
    """Allocate seats for any vote table FILE (CSV with columns list,votes)."""
    params: dict[str, str] = {}
    for item in extra:
        name, sep, value = item.partition("=")
        if not sep:
            raise InputError("--param", f"{item!r} is not NAME=VALUE")
        params[name.strip().replace("-", "_")] = value.strip()
    if first_divisor is not None:
        params["first_divisor"] = first_divisor
    if quota is not None:
        params["quota"] = quota
    table = read_vote_table(file)
    result = allocate(
        table.votes, n_seats, method=method_id, threshold=threshold,
        residual_votes=table.residual_votes, tie_break=tie_break, seed=seed, **params,
    )
    rows = [{"list": p, "votes": v, "seats": result.seats[p]} for p, v in result.votes.items()]
    if fmt == "json":
        click.echo(json.dumps({
            "method": result.method, "params": dict(result.params), "seats_total": result.n_seats,
            "rows": rows, "explanation": result.explain().splitlines(),
        }, ensure_ascii=False, indent=2))
        return
    click.echo(render(rows, fmt))
    if fmt == "table":
        click.echo("")
        click.echo(result.explain())


@cli.command()
@click.argument("election")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
def metrics(election: str, fmt: str) -> None:
    """Disproportionality and fragmentation of ELECTION's parliament."""
    rows = reports.metric_rows(election)
    click.echo(render(rows, fmt, title=f"{election}: metrics of the official parliament"))


@cli.command()
@click.argument("election")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
def women(election: str, fmt: str) -> None:
    """Women's seats each list must fill in each district under ELECTION's law."""
    rows, lines = reports.women_rows(election)
    click.echo(render(rows, fmt, title=f"{election}: women's quota by district and list"))
    if fmt == "table":
        echo_lines(lines)


@cli.command()
@click.argument("election")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="SVG file to write.")
@click.option("--by", "by", type=click.Choice(["list", "community"]), default="list", show_default=True)
def plot(election: str, output: str, by: str) -> None:
    """Draw ELECTION's parliament as a hemicycle (SVG)."""
    from muhasasa.plot import write_hemicycle

    groups, title = reports.hemicycle_groups(election, by=by)
    write_hemicycle(output, groups, title=title)
    click.echo(f"wrote {output}: {sum(g[1] for g in groups)} seats, coloured by {by}")


def _requirement(communities: str | None, share: str | None):
    from muhasasa.exact import to_fraction
    from muhasasa.parliament.games import CommunityRequirement

    if not communities:
        return None
    names = tuple(c.strip() for c in communities.split(",") if c.strip())
    try:
        value = to_fraction(share or "0", what="--share")
    except ValueError as exc:
        raise InputError("--share", str(exc)) from None
    return CommunityRequirement(names, value)


def _casts(election: str, by: str, blocs: str | None):
    """(title, Players) pairs: one bloc map, or lists plus every bundled map of the cycle."""
    from muhasasa.parliament.assembly import players

    if by == "bloc" or blocs:
        chosen = reports.resolve_bloc_map(election, blocs) if blocs else packs.load().bloc_maps(election)[-1]
        return [(f"blocs of {chosen.id} ({chosen.date})", players(election, level="bloc", bloc_map=chosen))]
    casts = [(f"{by}s (no blocs)", players(election, level=by))]
    if by == "list" and blocs is None:
        casts += [(f"blocs of {m.id} ({m.date})", players(election, level="bloc", bloc_map=m))
                  for m in packs.load().bloc_maps(election)]
    return casts


STEP_CHOICES = click.Choice(["speaker", "president", "president-runoff", "confidence", "no-confidence",
                             "dissolution", "ordinary"])
COMMON = [
    click.option("--blocs", help="A bloc map: a date (YYYY-MM-DD), a map id, or a TOML file of your own."),
    click.option("--step", type=STEP_CHOICES, default="president", show_default=True),
    click.option("--reading", help="A reading of the step where sources disagree (see `muhasasa laws`)."),
    click.option("--quota", type=int, help="Seats needed, instead of the step's quorum and threshold."),
    click.option("--by", "by", type=click.Choice(["bloc", "list", "member"]), default="list", show_default=True),
    click.option("--communities", help='Require these communities, e.g. "Shia Arab,Sunni Arab,Kurdish".'),
    click.option("--share", help='With --communities: the share of each community\'s seats needed ("0": one seat).'),
    click.option("--format", "fmt", type=FORMATS, default="table", show_default=True),
]


def common_options(func):
    for option in reversed(COMMON):
        func = option(func)
    return func


@cli.command()
@click.argument("election")
@common_options
@click.option("--index", "index_ids", default="banzhaf,shapley-shubik", show_default=True,
              help="Comma-separated ids (see `muhasasa indices`).")
def power(election, blocs, step, reading, quota, by, communities, share, fmt, index_ids):
    """Exact power of each list, bloc or member at a constitutional step of ELECTION."""
    from muhasasa.parliament.assembly import decision_game
    from muhasasa.parliament.power import get_index

    indices = [get_index(i.strip()).id for i in index_ids.split(",") if i.strip()]
    requirement = _requirement(communities, share)
    out = []
    for title, cast in _casts(election, by, blocs):
        game = decision_game(cast, step, quota=quota, reading=reading, requirement=requirement)
        baseline = decision_game(cast, step, quota=quota, reading=reading) if requirement else None
        rows = reports.power_table(cast, game, indices, baseline=baseline)
        out.append((title, game, rows))
    if fmt == "json":
        click.echo(json.dumps([{"players": title, "game": g.label, "quota": g.quota,
                                "blocking_seats": g.blocking_size,
                                "requirement": g.requirement.describe() if g.requirement else None,
                                "rows": [{k: _plain(v) for k, v in r.items()} for r in rows]}
                               for title, g, rows in out], ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        click.echo(render([{"players": t, **r} for t, _, rows in out for r in rows], "csv"))
        return
    for title, game, rows in out:
        shown = [{k: (reports.percent(v) if k in indices or "(unconstrained)" in k else v)
                  for k, v in r.items() if k != "name"} for r in reports.fold_single_seats(rows, indices)]
        click.echo(render(shown, "table", title=f"{election}, {title}"))
        click.echo(f"game: {game.label}; a coalition needs {game.quota} seats; "
                   f"{game.blocking_size} seats block" +
                   (f"; requirement: {game.requirement.describe()}" if game.requirement else ""))
        click.echo("")


@cli.command()
@click.argument("election")
@common_options
@click.option("--kind", type=click.Choice(["winning", "minimal-winning", "blocking", "minimal-blocking", "both"]),
              default="both", show_default=True, help="both = minimal winning and minimal blocking.")
@click.option("--min-size", type=int, help="Only coalitions with at least this many seats.")
@click.option("--must-include", help="Comma-separated players every coalition must include.")
@click.option("--order", help="Comma-separated players along a policy dimension: connected coalitions only.")
@click.option("--limit", type=int, default=20, show_default=True)
@click.option("--mandate", help="Comma-separated players: seat, vote and registered-voter shares of that coalition.")
def coalitions(election, blocs, step, reading, quota, by, communities, share, fmt, kind, min_size,
               must_include, order, limit, mandate):
    """Winning and blocking coalitions of ELECTION at a constitutional step."""
    from muhasasa.parliament.assembly import decision_game, players
    from muhasasa.parliament.coalitions import coalitions as find

    if by == "bloc" or blocs:
        chosen = reports.resolve_bloc_map(election, blocs) if blocs else packs.load().bloc_maps(election)[-1]
        cast = players(election, level="bloc", bloc_map=chosen)
        title = f"blocs of {chosen.id} ({chosen.date})"
    else:
        cast, title = players(election, level=by), f"{by}s"
    if mandate:
        row = reports.mandate_rows(election, cast, [m.strip() for m in mandate.split(",") if m.strip()])
        click.echo(render([row], fmt if fmt != "table" else "table", title=f"{election}: mandate of a coalition"))
        return
    game = decision_game(cast, step, quota=quota, reading=reading, requirement=_requirement(communities, share))
    kinds = ["minimal-winning", "minimal-blocking"] if kind == "both" else [kind]
    results = []
    for k in kinds:
        found = find(game, k, must_include=[p.strip() for p in (must_include or "").split(",") if p.strip()],
                     min_size=min_size, order=[p.strip() for p in order.split(",")] if order else None,
                     player_communities=cast.community_seats)
        results.append((k, found))
    if fmt == "json":
        click.echo(json.dumps([{"kind": k, "game": game.label, "total_patterns": len(f),
                                "rows": reports.coalition_rows(f[:limit])} for k, f in results],
                              ensure_ascii=False, indent=2))
        return
    for k, found in results:
        rows = reports.coalition_rows(found[:limit])
        if fmt == "csv":
            click.echo(render([{"kind": k, **r} for r in rows], "csv"))
            continue
        click.echo(render(rows, "table", title=f"{election}, {title}: {k} coalitions "
                                               f"({len(found)} patterns, {sum(p.count for p in found)} coalitions; "
                                               f"showing {len(rows)})"))
        click.echo(f"game: {game.label}; {game.quota} seats win, {game.blocking_size} block")
        click.echo("")


@cli.command(name="indices")
def indices_command() -> None:
    """The registered power indices."""
    from muhasasa.parliament.power import INDICES

    click.echo(render([{"id": i.id, "title": i.title, "reference": i.reference} for i in INDICES.values()], "table"))


def _progress(runs: int, label: str):
    """A progress bar on stderr for long runs (none for short ones)."""
    if runs < 200:
        return None, None
    bar = click.progressbar(length=runs, label=label, file=sys.stderr)
    bar.__enter__()
    last = [0]

    def advance(done: int) -> None:
        bar.update(done - last[0])
        last[0] = done

    return bar, advance


def _replay(cycle, runs, seed, without, fmt, whatif=None):
    from muhasasa.formation.replay import calibrated_parameters, replay

    params = calibrated_parameters()
    actors_file, convention = None, True
    if whatif is not None:
        params = whatif.apply(params)
        without = tuple(without) + whatif.without_events
        actors_file, convention = whatif.actors, whatif.convention
    bar, advance = _progress(runs, f"replaying {cycle}")
    try:
        report = replay(cycle, runs=runs, seed=seed, without=without, parameters=params,
                        actors_file=actors_file, convention=convention, progress=advance)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return
    echo_lines(reports.replay_lines(report))


@cli.command(name="replay")
@click.argument("cycle")
@click.option("--runs", type=int, default=1000, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--without", "without", default="", help="Comma-separated event ids to remove (e.g. sadrist-resignation).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def replay_command(cycle, runs, seed, without, fmt):
    """Replay a formation CYCLE (2006, 2010, 2014, 2018, 2022, 2026) beside the record."""
    _replay(cycle, runs, seed, tuple(w.strip() for w in without.split(",") if w.strip()), fmt)


@cli.command(name="form")
@click.argument("election")
@click.option("--runs", type=int, default=1000, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--scenario", type=click.Path(dir_okay=False), help="A formation what-if file (TOML).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def form_command(election, runs, seed, scenario, fmt):
    """Form a government from ELECTION's parliament (the cycle it opened), runs times."""
    from muhasasa.formation.whatif import load_whatif

    whatif = load_whatif(scenario) if scenario else None
    cycle = reports.cycle_of_election(election)
    if whatif is not None and whatif.cycle != cycle:
        raise InputError(whatif.source, f"the file is for cycle {whatif.cycle}, election {election} opened cycle {cycle}",
                         field="cycle")
    _replay(cycle, runs, seed, (), fmt, whatif)


@cli.command(name="methods")
def methods_command() -> None:
    """The registered allocation methods, their parameters and references."""
    rows = [
        {"id": m.id, "family": m.family, "unit": m.unit,
         "params": ", ".join(f"{p.name}={p.default}" for p in m.params), "title": m.title}
        for m in METHODS.values()
    ]
    click.echo(render(rows, "table"))


@cli.command(name="laws")
@click.argument("law_id", required=False)
def laws_command(law_id: str | None) -> None:
    """The electoral laws of the pack, or one law with its assumptions."""
    echo_lines(reports.describe_laws(law_id))


def _p(row: dict, key: str) -> str:
    """A probability with its Monte Carlo error: ``0.820 ± 0.022``."""
    return f"{row[f'p_{key}']:.3f} ± {row[f'se_{key}']:.3f}"


def _simulation_lines(meta: dict, summary: list[dict], governments: list[dict], top: int) -> list[str]:
    quotas = meta["quotas"]
    u = {k: v for k, v in meta["uncertainty"].items() if v is not None and k != "ties"}
    lines = [f"{meta.get('title') or meta['scenario']}: base {meta['base']}, law {meta['law']}, "
             f"level {meta['level']}, {meta['label']}"]
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
@click.option("--seed", type=int, default=0, show_default=True, help="The seed; recorded with the results.")
@click.option("--workers", type=int, default=1, show_default=True, help="Worker processes (results do not change).")
@click.option("--out", "out", type=click.Path(file_okay=False),
              help="Folder for the Parquet results (several scenarios: one sub-folder each).")
@click.option("--dask", "dask", metavar="ADDRESS",
              help="Run on Dask: a scheduler address, or 'local'. Several scenarios use a local cluster by default.")
@click.option("--formation/--no-formation", default=None,
              help="Run each draw's parliament through formation (default: when the scenario reaches formation).")
@click.option("--formation-draws", type=int,
              help="Draws that go through formation when the parliament varies (default 100; all when it does not).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--top", type=int, default=12, show_default=True, help="Players shown per table.")
def simulate_command(scenarios, draws, seed, workers, out, dask, formation, formation_draws, fmt, top):
    """Monte Carlo of SCENARIO files: seat distributions and the probabilities of each quota."""
    from pathlib import Path

    from muhasasa.montecarlo import (
        check_draws,
        check_out,
        dask_client,
        read_summary,
        simulate,
        sweep,
        write_result,
    )
    from muhasasa.scenarios import load_scenario

    check_draws(draws)
    loaded = [load_scenario(path) for path in scenarios]
    targets: list[Path] = []
    if out is not None:
        if len(loaded) == 1:
            targets = [check_out(out)]
        else:
            if Path(out).exists() and not Path(out).is_dir():
                raise InputError("--out", f"{out} exists and is not a folder")
            stems = [s.stem for s in loaded]
            if len(set(stems)) != len(stems):
                raise InputError("--out", "two scenario files share a name; their result folders would clash")
            targets = [Path(out) / stem for stem in stems]
            for target in targets:
                if target.exists():
                    check_out(target)
    client, cluster = dask_client(dask, workers) if (dask or len(loaded) > 1) else (None, None)
    try:
        with click.progressbar(length=draws * len(loaded), label="simulating", file=sys.stderr) as bar:
            last = [0]

            def advance(done: int) -> None:
                bar.update(done - last[0])
                last[0] = done

            if len(loaded) == 1:
                results = [simulate(loaded[0], draws, seed, workers=workers, progress=advance,
                                    formation=formation, formation_draws=formation_draws, dask=client)]
            else:
                results = sweep(loaded, draws, seed, address=client, workers=workers, progress=advance,
                                formation=formation, formation_draws=formation_draws)
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
    if targets and len(loaded) > 1:
        Path(out).mkdir(exist_ok=True)
    for result, target in zip(results, targets or [None] * len(results)):
        if target is not None:
            write_result(result, target)
    documents = []
    for i, result in enumerate(results):
        if targets:
            meta, summary, governments = read_summary(targets[i])
        else:
            meta, summary, governments = result.meta(), list(result.summary), list(result.governments)
        documents.append({"meta": meta, "summary": summary, "governments": governments})
    if fmt == "json":
        click.echo(json.dumps(documents if len(documents) > 1 else documents[0], ensure_ascii=False, indent=2))
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
@click.option("--top", type=int, default=15, show_default=True)
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
def compare_command(a, b, level, top, fmt):
    """Two simulations' results (folders written by `simulate --out`) side by side."""
    from muhasasa.montecarlo import compare

    meta_a, meta_b, rows, governments = compare(a, b)
    rows = [r for r in rows if r["level"] == level]
    if fmt != "table":
        click.echo(render(rows, fmt) if fmt == "csv" else json.dumps(
            {"a": meta_a, "b": meta_b, "rows": rows, "governments": governments}, ensure_ascii=False, indent=2))
        return
    for tag, meta in (("A", meta_a), ("B", meta_b)):
        click.echo(f"{tag}: {meta.get('title') or meta['scenario']} (base {meta['base']}, law {meta['law']}, "
                   f"{meta['draws']} draws, seed {meta['seed']}; {meta['label']})")
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


@cli.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind: this machine only, unless told otherwise.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
def serve_command(host: str, port: int) -> None:
    """Start the explorer: bilingual pages at / and the JSON API at /api (needs the `web` extra)."""
    try:
        import uvicorn

        from muhasasa.web.app import create_app
    except ImportError:
        raise MuhasasaError("the explorer needs the web extra: pip install 'muhasasa[web]'") from None
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"muhasasa explorer: http://{shown}:{port}/ (Arabic: http://{shown}:{port}/ar/); Ctrl+C stops it")
    uvicorn.run(create_app(), host=host, port=port, log_level="warning")


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: run the CLI, turning muhasasa errors into one line and exit code 2."""
    try:
        cli.main(args=argv, prog_name="muhasasa", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except MuhasasaError as exc:
        click.echo(f"muhasasa: error: {exc}", err=True)
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(0)


if __name__ == "__main__":
    main()
