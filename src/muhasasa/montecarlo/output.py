"""Result folders: writing a run as Parquet (atomically, through :mod:`muhasasa.montecarlo.store`),
querying them with DuckDB, reading their summaries and comparing two of them."""

from __future__ import annotations

import contextlib
import json
import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from muhasasa.errors import InputError
from muhasasa.montecarlo import store
from muhasasa.montecarlo.plan import CHUNK, Plan
from muhasasa.montecarlo.summary import Result
from muhasasa.scenarios import Scenario

__all__ = ["ROW_GROUP_DRAWS", "Comparison", "DrawsSink", "check_out", "compare", "open_folder", "query",
           "read_summary", "write_result"]


def check_out(out: str | Path, *, force: bool = False) -> Path:
    """An output folder that may be written, checked before any work (see
    :func:`muhasasa.montecarlo.store.check_out`): new or empty, or an earlier result (only
    the files its manifest lists are replaced), or anything else with ``force``."""
    return store.check_out(out, force=force)


#: Draws per Parquet row group of ``draws.parquet`` (a whole number of chunks, so the bytes
#: do not depend on how many workers computed them).
ROW_GROUP_DRAWS = 16 * CHUNK


def open_folder(out: str | Path, *, force: bool = False) -> store.ResultFolder:
    """The result folder ``out`` opened for writing (the pyarrow extra checked first)."""
    store.require_extra("pyarrow", "pyarrow.parquet", purpose="writing results")
    return store.ResultFolder(out, force=force)


class DrawsSink:
    """Writes a run's draws into an open result folder as they are handed on, in draw order:
    ``draws.parquet`` (draw, level, player, seats) one row group per
    :data:`ROW_GROUP_DRAWS` draws, ``formation.parquet`` likewise; :meth:`close` adds the
    summaries, the base table, the scenario and ``meta.json``.

    Every list that can hold a seat (it has votes or held seats) has a row in every draw,
    zero seats included, so that averages over ``draws`` are right; at the bloc level every
    bloc and every such list left unaligned.
    """

    def __init__(self, folder: store.ResultFolder, scenario: Scenario, plan: Plan) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.folder = folder
        self.plan = plan
        t = scenario.table
        can_seat = (np.asarray(plan.votes).sum(axis=0) > 0) | (np.asarray(plan.held) > 0)
        self.list_columns = np.flatnonzero(can_seat)
        if scenario.bloc_map is not None:
            blocs = {b.id for b in scenario.bloc_map.blocs}
            alone = {lp.player for lp in plan.list_players if can_seat[lp.list_index]}
            self.player_columns = np.array([j for j, p in enumerate(plan.players) if p in blocs or j in alone],
                                           dtype=np.int64)
        else:
            self.player_columns = np.zeros(0, dtype=np.int64)
        names = list(dict.fromkeys([*(t.lists[i] for i in self.list_columns),
                                    *(plan.players[j] for j in self.player_columns)]))
        code = {name: k for k, name in enumerate(names)}
        self.codes = np.array([code[t.lists[i]] for i in self.list_columns]
                              + [code[plan.players[j]] for j in self.player_columns], dtype=np.int32)
        self.levels = np.repeat(np.array([0, 1], dtype=np.int32), [len(self.list_columns), len(self.player_columns)])
        self.player_dictionary = pa.array(names, type=pa.string())
        self.level_dictionary = pa.array(["list", "bloc"], type=pa.string())
        self.schema = pa.schema([("draw", pa.int32()), ("level", pa.dictionary(pa.int32(), pa.string())),
                                 ("player", pa.dictionary(pa.int32(), pa.string())), ("seats", pa.int16())])
        self.writer = pq.ParquetWriter(folder.path("draws.parquet"), self.schema, compression="zstd")
        self.formation_writer: Any = None
        self.buffer: list[Any] = []
        self.buffered = 0
        self.seconds = 0.0

    def write(self, chunk: Any) -> None:
        """Take one chunk (in draw order); a full row group is written at once."""
        start = time.perf_counter()
        self.buffer.append(chunk)
        self.buffered += chunk.lists.shape[0]
        if self.buffered >= ROW_GROUP_DRAWS:
            self._flush()
        self.seconds += time.perf_counter() - start

    def _flush(self) -> None:
        import pyarrow as pa

        if not self.buffer:
            return
        lists = np.concatenate([c.lists for c in self.buffer])
        players = np.concatenate([c.players for c in self.buffer])
        n = lists.shape[0]
        first = self.buffer[0].first
        width = len(self.codes)
        seats = np.concatenate([lists[:, self.list_columns].T.ravel(), players[:, self.player_columns].T.ravel()])
        table = pa.Table.from_arrays([
            pa.array(np.tile(np.arange(first, first + n, dtype=np.int32), width)),
            pa.DictionaryArray.from_arrays(pa.array(np.repeat(self.levels, n)), self.level_dictionary),
            pa.DictionaryArray.from_arrays(pa.array(np.repeat(self.codes, n)), self.player_dictionary),
            pa.array(seats.astype(np.int16)),
        ], schema=self.schema)
        self.writer.write_table(table, row_group_size=max(table.num_rows, 1))
        rows = [f for c in self.buffer for f in c.formation]
        if rows:
            self._formation(rows)
        self.buffer, self.buffered = [], 0

    def _formation(self, rows: list) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table({
            "draw": pa.array([f.draw for f in rows], type=pa.int32()),
            "pm_bloc": pa.array([f.pm_bloc for f in rows], type=pa.string()),
            "formed": pa.array([f.formed for f in rows], type=pa.bool_()),
            "days": pa.array([f.days for f in rows], type=pa.int32()),
            "coalition": pa.array([f.coalition for f in rows], type=pa.string())})
        if self.formation_writer is None:
            self.formation_writer = pq.ParquetWriter(self.folder.path("formation.parquet"), table.schema,
                                                     compression="zstd")
        self.formation_writer.write_table(table)

    def close(self, result: Result) -> None:
        """Write what is left, then the summaries, the base table, the scenario and the meta."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        start = time.perf_counter()
        self._flush()
        self.writer.close()
        if self.formation_writer is not None:
            self.formation_writer.close()
        folder = self.folder
        pq.write_table(pa.Table.from_pylist(list(result.summary)), folder.path("summary.parquet"), compression="zstd")
        pq.write_table(pa.Table.from_pylist(result.scenario.table.rows(), schema=pa.schema([
            ("district", pa.string()), ("list", pa.string()), ("votes", pa.int64()),
            ("district_residual", pa.int64()), ("district_seats", pa.int64()), ("status", pa.string())])),
            folder.path("base.parquet"), compression="zstd")
        if result.governments:
            pq.write_table(pa.Table.from_pylist(list(result.governments)), folder.path("governments.parquet"),
                           compression="zstd")
        folder.write_text("scenario.toml", result.scenario.text)
        folder.write_text("meta.json", json.dumps(result.meta(), ensure_ascii=False, indent=2) + "\n")
        self.seconds += time.perf_counter() - start

    def discard(self) -> None:
        """Close the writers without finishing (the folder's staging is removed by the store)."""
        for writer in (self.writer, self.formation_writer):
            if writer is not None:
                with contextlib.suppress(Exception):
                    writer.close()


class _Slice(NamedTuple):
    """A chunk's worth of a kept result, as :class:`DrawsSink` takes it."""

    first: int
    lists: np.ndarray
    players: np.ndarray
    formation: tuple


def write_result(result: Result, out: str | Path, *, force: bool = False,
                 progress: Callable[[int], None] | None = None) -> Path:
    """Write a result folder atomically (:class:`~muhasasa.montecarlo.store.ResultFolder`):
    a staging folder inside ``out``, committed at the end; the files of an earlier result
    are replaced, nothing else in ``out`` is touched. ``progress(done)`` is called with the
    draws written. A result that kept no draws (streamed, or more than
    :data:`~muhasasa.montecarlo.plan.KEEP_DRAWS`) cannot be written: run
    :func:`~muhasasa.montecarlo.simulate` with ``out`` instead, which writes as it goes."""
    if result.lists is None or result.players is None:
        where = f"; it was written to {result.folder}" if result.folder is not None else ""
        raise InputError("argument", f"this result of {result.draws:,} draws did not keep them{where}; "
                                     "simulate with an output folder to write the draws as they are computed",
                         field="out")
    with open_folder(out, force=force) as folder:
        sink = DrawsSink(folder, result.scenario, result.plan)
        try:
            by_draw: dict[int, list] = {}
            for f in result.formation:
                by_draw.setdefault(f.draw // CHUNK, []).append(f)
            for first in range(0, result.draws, CHUNK):
                stop = min(first + CHUNK, result.draws)
                sink.write(_Slice(first, result.lists[first:stop], result.players[first:stop],
                                  tuple(by_draw.get(first // CHUNK, ()))))
                if progress:
                    progress(stop)
            sink.close(result)
        except BaseException:
            sink.discard()
            raise
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
