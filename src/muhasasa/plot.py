"""Hemicycle pictures of a parliament, as SVG text.

The seat geometry comes from the ``parliamentarch`` package (the ``plot``
extra), imported only when a picture is drawn, so the core never needs it.
This module adds what a reader of the picture needs: a ``<title>``, an
optional visible heading and a legend with each group's seats.

Colours are stable: the pack gives communities (and lists) their colours, and
:func:`colour_for` gives any other key (a list's name) a colour from a fixed
palette chosen by a hash of the name, the same on every run and every machine.

>>> colour_for("State of Law") == colour_for("State of Law")
True
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from numbers import Integral
from pathlib import Path

from muhasasa.errors import InputError, MuhasasaError

__all__ = [
    "LIST_PALETTE",
    "UNKNOWN_COLOUR",
    "colour_for",
    "hemicycle_svg",
    "write_hemicycle",
]

UNKNOWN_COLOUR = "#cfcfcf"

#: Colours for lists, picked by a hash of the list's name (Tableau 20, reordered
#: so neighbours contrast; the greys are left out for independents and unknowns).
LIST_PALETTE: tuple[str, ...] = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
    "#e377c2", "#bcbd22", "#17becf", "#aec7e8", "#ffbb78", "#98df8a",
    "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#dbdb8d", "#9edae5",
)  # fmt: skip

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_SVG_NS = "http://www.w3.org/2000/svg"
_MISSING_EXTRA = "the hemicycle needs the plot extra: pip install 'muhasasa[plot]'"

# layout, in SVG user units; the arch is 2 * _CANVAS wide and _CANVAS high
_CANVAS = 175.0
_MARGIN = 5.0
_HEADING = 22.0
_ROW = 14.0
_FONT = 10


def colour_for(key: str) -> str:
    """A stable hex colour for a list that the pack gives none: an empty key is unknown;
    any other key gets a colour from :data:`LIST_PALETTE` by a BLAKE2 hash of its UTF-8
    text, so it never changes between runs. Two lists may share a colour: the pack's own
    colours (communities, lists) come first wherever they exist.

    >>> colour_for("")
    '#cfcfcf'
    >>> colour_for("تحالف الفتح") in LIST_PALETTE
    True
    """
    if not isinstance(key, str):
        raise InputError("colour", f"a colour key must be text, got {key!r}")
    folded = key.strip().casefold()
    if not folded:
        return UNKNOWN_COLOUR
    digest = hashlib.blake2b(key.strip().encode("utf-8"), digest_size=8).digest()
    return LIST_PALETTE[int.from_bytes(digest, "big") % len(LIST_PALETTE)]


def _checked_groups(groups: object) -> list[tuple[str, int, str]]:
    if isinstance(groups, (str, bytes)) or not isinstance(groups, Sequence):
        raise InputError("groups", "give a sequence of (label, seats, colour) tuples")
    checked = []
    for i, group in enumerate(groups, start=1):
        if not isinstance(group, (tuple, list)) or len(group) != 3:
            raise InputError("groups", f"group {i} must be (label, seats, colour), got {group!r}")
        label, seats, colour = group
        if not isinstance(label, str) or not label.strip():
            raise InputError(
                "groups", f"group {i}: the label must be non-empty text, got {label!r}"
            )
        if isinstance(seats, bool) or not isinstance(seats, Integral) or seats < 0:
            raise InputError(
                "groups", f"seats must be a whole number >= 0, got {seats!r}", field=label
            )
        if not isinstance(colour, str) or not _HEX.match(colour):
            raise InputError(
                "groups", f"colour must be hex like '#1f77b4', got {colour!r}", field=label
            )
        if len(colour) == 4:  # "#abc" -> "#aabbcc", as parliamentarch writes it
            colour = "#" + "".join(2 * c for c in colour[1:])
        checked.append((label, int(seats), colour.lower()))
    if not checked or sum(seats for _, seats, _ in checked) == 0:
        raise InputError("groups", "a hemicycle needs at least one seat")
    return checked


def hemicycle_svg(groups: Sequence[tuple[str, int, str]], *, title: str | None = None) -> str:
    """An SVG hemicycle: one circle per seat, groups filled left to right.

    ``groups`` are ``(label, seats, colour)`` tuples in left-to-right order,
    colours as hex text (see :func:`colour_for`). Each group's seats form one
    ``<g>`` whose ``<title>`` is the label; a legend below the arch lists every
    group with its seats (groups with no seat appear only in the legend). The
    picture's ``<title>`` is ``title`` or, without one, "Parliament of N seats".

    Needs the ``plot`` extra (``parliamentarch``); without it, raises
    :class:`~muhasasa.errors.MuhasasaError` saying how to install it.

    >>> svg = hemicycle_svg([("A", 3, "#ff0000"), ("B", 2, "#0000ff")], title="Toy")
    >>> svg.count("<circle"), "A\u2069 (3)" in svg, "<title>Toy</title>" in svg
    (5, True, True)
    """
    checked = _checked_groups(groups)
    if title is not None and not isinstance(title, str):
        raise InputError("title", f"the title must be text, got {title!r}")
    try:
        from parliamentarch import SeatData, get_svg_from_attribution
    except ImportError:
        raise MuhasasaError(_MISSING_EXTRA) from None

    total = sum(seats for _, seats, _ in checked)
    columns = 1 if len(checked) <= 4 else 2
    rows = math.ceil(len(checked) / columns)
    top = _MARGIN + (_HEADING if title else 0.0)
    legend_top = top + _CANVAS + 2 * _MARGIN
    bottom = 2 * _MARGIN + rows * _ROW + _MARGIN
    attribution = {SeatData(label, colour): seats for label, seats, colour in checked if seats}
    arch = get_svg_from_attribution(attribution, margins=(_MARGIN, top, _MARGIN, bottom))

    ET.register_namespace("", _SVG_NS)
    root = ET.fromstring(arch)
    width = float(root.get("width", 2 * _CANVAS + 2 * _MARGIN))
    height = float(root.get("height", legend_top + bottom))
    root.set("viewBox", f"0 0 {width:g} {height:g}")
    root.set("role", "img")

    def element(tag: str, parent: ET.Element | None = None, **attrs: str) -> ET.Element:
        node = ET.Element(f"{{{_SVG_NS}}}{tag}", {k.replace("_", "-"): v for k, v in attrs.items()})
        if parent is not None:
            parent.append(node)
        return node

    heading = title if title else f"Parliament of {total} seats"
    caption = element("title")
    caption.text = heading
    root.insert(0, caption)
    if title:
        # shrink a long heading to fit: a bold sans glyph is about 0.62 em wide
        size = min(_FONT + 4.0, max(7.0, (width - 2 * _MARGIN) / (0.62 * len(title))))
        text = element(
            "text", root, x=f"{width / 2:g}", y=f"{_MARGIN + _HEADING * 0.7:g}",
            text_anchor="middle", font_family="sans-serif", font_size=f"{size:.1f}",
            font_weight="bold",
        )  # fmt: skip
        text.text = title

    legend = element("g", root, id="legend", font_family="sans-serif", font_size=str(_FONT))
    column_width = (width - 2 * _MARGIN) / columns
    for i, (label, seats, colour) in enumerate(checked):
        column, row = divmod(i, rows)
        x = _MARGIN + column * column_width
        y = legend_top + row * _ROW
        item = element("g", legend, **{"class": "legend-item"})
        element("rect", item, x=f"{x:g}", y=f"{y:g}", width="10", height="10", fill=colour)
        text = element("text", item, x=f"{x + 14:g}", y=f"{y + 9:g}")
        # isolate the label's direction so an Arabic name keeps its count on the right
        text.text = f"\u2068{label}\u2069 ({seats})"
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def write_hemicycle(
    path: str | os.PathLike[str],
    groups: Sequence[tuple[str, int, str]],
    title: str | None = None,
) -> Path:
    """Write :func:`hemicycle_svg` to ``path`` atomically and return the path.

    The picture is written to a temporary file in the same directory and then
    moved over ``path`` with :func:`os.replace`, so a reader never sees half a
    file and an old picture survives a failed write.
    """
    if not isinstance(path, (str, os.PathLike)) or not str(path).strip():
        raise InputError("argument", f"the picture's path must be a file path, got {str(path)[:40]!r}", field="path")
    target = Path(path)
    if target.is_dir() or not target.name or target.name in (".", ".."):
        raise InputError(str(target), "is a folder; give the name of the SVG file to write")
    directory = target.parent
    if not directory.is_dir():
        raise InputError(str(target), f"the directory {str(directory)!r} does not exist")
    try:  # can we write there? (checked before the picture is drawn; nothing is left behind)
        fd, temp = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError(str(target), f"cannot write here ({exc.strerror or exc})") from None
    try:
        svg = hemicycle_svg(groups, title=title)
        # mkstemp makes the file private (0600): give it the old file's mode or 0644
        os.chmod(temp, target.stat().st_mode & 0o777 if target.exists() else 0o644)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(svg)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise InputError(str(target), f"cannot write the picture ({exc.strerror or exc})") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target
