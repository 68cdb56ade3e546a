"""Result folders: writing a run as Parquet (atomically, through :mod:`muhasasa.montecarlo.store`),
querying them with DuckDB, reading their summaries and comparing two of them."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from muhasasa.errors import InputError
from muhasasa.montecarlo import store
from muhasasa.montecarlo.summary import Result

__all__ = ["Comparison", "check_out", "compare", "query", "read_summary", "write_result"]


def check_out(out: str | Path, *, force: bool = False) -> Path:
    """An output folder that may be written, checked before any work (see
    :func:`muhasasa.montecarlo.store.check_out`): new or empty, or an earlier result (only
    the files its manifest lists are replaced), or anything else with ``force``."""
    return store.check_out(out, force=force)


def tables(result: Result) -> dict[str, Any]:
    import pyarrow as pa

    n = result.draws
    t = result.scenario.table
    blocs = {b.id for b in result.scenario.bloc_map.blocs} if result.scenario.bloc_map is not None else set()
    parts_draw, parts_level, parts_player, parts_seats = [], [], [], []
    draw_ids = np.arange(n, dtype=np.int32)
    for level, names, seats in (("list", t.lists, result.lists), ("bloc", result.plan.players, result.players)):
        if level == "bloc" and result.scenario.bloc_map is None:
            continue
        for j, name in enumerate(names):
            column = seats[:, j]
            if not column.any() and not (level == "bloc" and name in blocs):
                continue
            parts_draw.append(draw_ids)
            parts_level.append(np.full(n, level))
            parts_player.append(np.full(n, name, dtype=object))
            parts_seats.append(column.astype(np.int16))
    draws = pa.table({
        "draw": pa.array(np.concatenate(parts_draw)),
        "level": pa.array(np.concatenate(parts_level)).dictionary_encode(),
        "player": pa.array(np.concatenate(parts_player), type=pa.string()).dictionary_encode(),
        "seats": pa.array(np.concatenate(parts_seats)),
    })
    out = {
        "draws.parquet": draws,
        "summary.parquet": pa.Table.from_pylist(list(result.summary)),
        "base.parquet": pa.Table.from_pylist(t.rows(), schema=pa.schema([
            ("district", pa.string()), ("list", pa.string()), ("votes", pa.int64()),
            ("district_residual", pa.int64()), ("district_seats", pa.int64()), ("status", pa.string())])),
    }
    if result.formation:
        rows = result.formation
        out["formation.parquet"] = pa.table({
            "draw": pa.array([f.draw for f in rows], type=pa.int32()),
            "pm_bloc": pa.array([f.pm_bloc for f in rows], type=pa.string()),
            "formed": pa.array([f.formed for f in rows], type=pa.bool_()),
            "days": pa.array([f.days for f in rows], type=pa.int32()),
            "coalition": pa.array([f.coalition for f in rows], type=pa.string())})
        out["governments.parquet"] = pa.Table.from_pylist(list(result.governments))
    return out


def write_result(result: Result, out: str | Path, *, force: bool = False) -> Path:
    """Write a result folder atomically (:class:`~muhasasa.montecarlo.store.ResultFolder`):
    a staging folder inside ``out``, committed at the end; the files of an earlier result
    are replaced, nothing else in ``out`` is touched."""
    import pyarrow.parquet as pq

    with store.ResultFolder(out, force=force) as folder:
        for name, table in tables(result).items():
            pq.write_table(table, folder.path(name), compression="zstd")
        folder.write_text("scenario.toml", result.scenario.text)
        folder.write_text("meta.json", json.dumps(result.meta(), ensure_ascii=False, indent=2) + "\n")
        return folder.commit()


def query(folder: str | Path, sql: str) -> list[dict]:
    """Run SQL with DuckDB over a result folder; each Parquet file is a view named after it
    (``draws``, ``summary``, ``base``, ``formation``, ``governments``).

    For example (``tests/test_montecarlo.py`` runs such queries on real output)::

        query(folder, "select player, p_majority from summary where level = 'list' "
                      "order by mean desc limit 1")
    """
    store.require_extra("duckdb", purpose="querying results")
    import duckdb

    folder, manifest = store.result_folder(folder)
    con = duckdb.connect()
    try:
        for path in sorted(folder / name for name in manifest.names if name.endswith(".parquet")):
            literal = str(path.resolve()).replace("'", "''")
            con.execute(f"create view \"{path.stem}\" as select * from read_parquet('{literal}')")
        try:
            cursor = con.execute(sql)
        except duckdb.Error as exc:
            raise InputError("sql", str(exc).splitlines()[0]) from None
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]
    finally:
        con.close()


def read_summary(folder: str | Path) -> tuple[dict, list[dict], list[dict]]:
    """(meta, summary rows, government rows) of a result folder."""
    store.require_extra("pyarrow", "pyarrow.parquet", purpose="reading results")
    import pyarrow.parquet as pq

    folder, manifest = store.result_folder(folder)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    summary = pq.read_table(folder / "summary.parquet").to_pylist()
    governments = pq.read_table(folder / "governments.parquet").to_pylist() \
        if "governments.parquet" in manifest.names else []
    return meta, summary, governments


class Comparison(NamedTuple):
    """Two results side by side (:func:`compare`); ``note`` says what the difference means
    when the two runs stand on different base elections."""

    a: dict
    b: dict
    rows: list[dict]
    governments: dict[str, list[dict]]
    different_base: bool = False
    note: str | None = None


def compare(a: str | Path, b: str | Path, *, allow_different_base: bool = False) -> Comparison:
    """Two result folders side by side: for every list and bloc, mean seats and the
    probabilities of each quota in A and in B, with the difference and its Monte Carlo error;
    then the government outcomes of each (empty where formation did not run).

    Two runs on different base elections compare different parliaments, not the effect
    of one change: refused unless ``allow_different_base``, and then labelled (``note``).
    """
    store.require_extra("pyarrow", "pyarrow.parquet", purpose="comparing results")
    if not isinstance(allow_different_base, bool):
        raise InputError("argument", f"allow_different_base must be true or false, got {allow_different_base!r}",
                         field="allow_different_base")
    meta_a, rows_a, gov_a = read_summary(a)
    meta_b, rows_b, gov_b = read_summary(b)
    different = meta_a.get("base") != meta_b.get("base")
    note = None
    if different:
        what = (f"A stands on election {meta_a.get('base')} and B on election {meta_b.get('base')}: the "
                "differences are between two parliaments, not the effect of one change")
        if not allow_different_base:
            raise InputError("argument", f"{what}; compare runs on one base, or allow different bases",
                             field="allow_different_base")
        note = what
    index_a = {(r["level"], r["player"]): r for r in rows_a}
    index_b = {(r["level"], r["player"]): r for r in rows_b}
    keys = list(dict.fromkeys([*index_a, *index_b]))
    out = []
    for key in keys:
        ra, rb = index_a.get(key), index_b.get(key)
        row = {"level": key[0], "player": key[1],
               "mean_a": ra["mean"] if ra else 0.0, "mean_b": rb["mean"] if rb else 0.0}
        row["mean_diff"] = row["mean_b"] - row["mean_a"]
        for q in ("majority", "two_thirds", "blocking"):
            pa_, pb_ = (ra or {}).get(f"p_{q}", 0.0), (rb or {}).get(f"p_{q}", 0.0)
            sa, sb = (ra or {}).get(f"se_{q}", 0.0), (rb or {}).get(f"se_{q}", 0.0)
            row[f"p_{q}_a"], row[f"p_{q}_b"] = pa_, pb_
            row[f"p_{q}_diff"], row[f"se_{q}_diff"] = pb_ - pa_, math.sqrt(sa * sa + sb * sb)
        out.append(row)
    out.sort(key=lambda r: (r["level"], -max(r["mean_a"], r["mean_b"]), r["player"]))
    return Comparison(meta_a, meta_b, out, {"a": gov_a, "b": gov_b}, different, note)
