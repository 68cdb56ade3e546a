"""Responses shared by the API and the pages: CSV and SVG downloads.

Both faces of the web layer (``api.py``, ``pages.py``) use these, so neither imports the
other.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence

from fastapi.responses import Response

import muhasasa
from muhasasa.web.i18n import REQUEST_LANG, Locale, locale

__all__ = ["column_title", "csv_response", "csv_text", "svg_response"]


def _cell(value) -> str:
    value = muhasasa.to_plain(value)
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def column_title(loc: Locale, column: str) -> str:
    """A CSV column's header in the reader's language: the column id in English (what
    programs read), its title from the catalogue in Arabic (the id where it has none)."""
    if not loc.rtl:
        return column
    if loc.has(f"csvcol.{column}"):
        return loc.t(f"csvcol.{column}")
    base, _, decimal = column.rpartition("_")
    if decimal == "float" and loc.has(f"index.{base}"):
        return loc.t("csvcol.decimal", "{name} (decimal)", name=loc.t(f"index.{base}"))
    if loc.has(f"index.{column}"):
        return loc.t(f"index.{column}")
    if column.startswith("seats_law_"):
        return loc.t("csvcol.seats_law", "seats under the {law} law", law=loc.digits(column.removeprefix("seats_law_")))
    return column


def csv_text(rows: Sequence[dict], titles: Mapping[str, str] | None = None) -> str:
    """Rows as CSV text: the union of their keys as columns (headed by ``titles`` where
    given), lists as JSON."""
    columns: dict[str, None] = {}
    for r in rows:
        columns.update(dict.fromkeys(r))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([(titles or {}).get(c, c) for c in columns])
    for r in rows:
        writer.writerow([_cell(r.get(c)) for c in columns])
    return out.getvalue()


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in name)


def csv_response(rows: Sequence[dict], name: str) -> Response:
    """A CSV download (UTF-8 with a BOM, so spreadsheet programs read Arabic names); its
    headers in Arabic when the request is (``/ar/api/...`` or ``?lang=ar``)."""
    loc = locale(REQUEST_LANG.get())
    titles = {c: column_title(loc, c) for r in rows for c in r} if loc.rtl else None
    return Response("\ufeff" + csv_text(rows, titles), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{_safe(name)}.csv"'})


def svg_response(svg: str, name: str, *, download: bool = True) -> Response:
    """An SVG chart, as a download (or inline with ``download=False``)."""
    headers = {"Content-Disposition": f'attachment; filename="{_safe(name)}.svg"'} if download else {}
    return Response(svg, media_type="image/svg+xml; charset=utf-8", headers=headers)
