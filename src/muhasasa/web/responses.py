"""Responses shared by the API and the pages: CSV and SVG downloads.

Both faces of the web layer (``api.py``, ``pages.py``) use these, so neither imports the
other.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from fastapi.responses import Response

import muhasasa

__all__ = ["csv_response", "csv_text", "svg_response"]


def _cell(value) -> str:
    value = muhasasa.to_plain(value)
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def csv_text(rows: Sequence[dict]) -> str:
    """Rows as CSV text: the union of their keys as columns, lists as JSON."""
    columns: dict[str, None] = {}
    for r in rows:
        columns.update(dict.fromkeys(r))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(list(columns))
    for r in rows:
        writer.writerow([_cell(r.get(c)) for c in columns])
    return out.getvalue()


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in name)


def csv_response(rows: Sequence[dict], name: str) -> Response:
    """A CSV download (UTF-8 with a BOM, so spreadsheet programs read Arabic names)."""
    return Response("\ufeff" + csv_text(rows), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{_safe(name)}.csv"'})


def svg_response(svg: str, name: str, *, download: bool = True) -> Response:
    """An SVG chart, as a download (or inline with ``download=False``)."""
    headers = {"Content-Disposition": f'attachment; filename="{_safe(name)}.svg"'} if download else {}
    return Response(svg, media_type="image/svg+xml; charset=utf-8", headers=headers)
