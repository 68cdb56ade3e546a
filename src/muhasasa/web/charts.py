"""Small SVG charts for the explorer: bars, paired bars, a seat line, intervals, a timeline.

They draw numbers the library gave; they compute nothing but positions. Each chart is a
standalone SVG document (it downloads as it is shown), with a ``<title>``, text in the
page's language and numbers formatted by the page's locale. In a right-to-left page the
labels stand on the right and bars grow leftwards.

>>> from muhasasa.web.i18n import locale
>>> svg = bars([("A", 3, "#ff0000"), ("B", 1, "#0000ff")], title="Toy", loc=locale("en"))
>>> svg.startswith("<svg") and "<title>Toy</title>" in svg and svg.count("<rect") == 3  # background, 2 bars
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from muhasasa.web.i18n import Locale

__all__ = ["PALETTE", "bars", "hemicycle", "interval", "paired_bars", "seat_line", "timeline"]

PALETTE = ("#1f5aa6", "#d35400", "#2e7d32", "#8e44ad")
_FONT = "system-ui, 'Noto Sans Arabic', 'Noto Naskh Arabic', Tahoma, sans-serif"
WIDTH = 720
_ROW = 22
_TOP = 34


def _svg(width: float, height: float, title: str, body: list[str], loc: Locale, *, heading: bool = True) -> str:
    """A standalone SVG document that scales with its container (``viewBox``; the page's
    CSS sets its width), titled for screen readers."""
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{height:g}" '
            f'viewBox="0 0 {width:g} {height:g}" role="img" aria-label={quoteattr(title)} '
            f'font-family={quoteattr(_FONT)} font-size="12" direction="{loc.dir}" lang="{loc.code}">')
    top = ([(f'<text x="{width / 2:g}" y="20" text-anchor="middle" font-size="14" font-weight="bold">'
            f"{escape(title)}</text>")] if heading else [])
    return "\n".join([head, f"<title>{escape(title)}</title>",
                      f'<rect width="{width:g}" height="{height:g}" fill="#ffffff"/>', *top, *body, "</svg>"])


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: int | None = None,
          fill: str = "#222", weight: str | None = None) -> str:
    extra = (f' font-size="{size}"' if size else "") + (f' font-weight="{weight}"' if weight else "")
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}"{extra}>'
            f"{escape(text)}</text>")


def _short(text: str, limit: int = 42) -> str:
    """A label cut to fit its column (the full text stays in the page's tables)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _label_anchor(loc: Locale) -> tuple[str, str]:
    """Text anchors (label, value): in RTL the "start" of text is its right edge."""
    return ("start", "start") if loc.rtl else ("end", "start")


def bars(rows: Sequence[tuple[str, float, str]], *, title: str, loc: Locale, value_text=None,
         scale_max: float | None = None, label_width: int = 260) -> str:
    """Horizontal bars, one per ``(label, value, colour)``."""
    value_text = value_text or loc.num
    top = max([scale_max or 0] + [v for _, v, _ in rows]) or 1
    span = WIDTH - label_width - 80
    body = []
    la, va = _label_anchor(loc)
    for i, (label, value, colour) in enumerate(rows):
        y = _TOP + i * _ROW
        w = span * value / top
        if loc.rtl:
            x0 = WIDTH - label_width - 10
            body.append(f'<rect x="{x0 - w:.1f}" y="{y:.1f}" width="{w:.1f}" height="16" fill="{colour}"/>')
            body.append(_text(WIDTH - 10, y + 12, _short(label), anchor=la))
            body.append(_text(x0 - w - 6, y + 12, value_text(value), anchor=va))
        else:
            x0 = label_width + 10
            body.append(f'<rect x="{x0:.1f}" y="{y:.1f}" width="{w:.1f}" height="16" fill="{colour}"/>')
            body.append(_text(label_width, y + 12, _short(label), anchor=la))
            body.append(_text(x0 + w + 6, y + 12, value_text(value), anchor=va))
    return _svg(WIDTH, _TOP + len(rows) * _ROW + 10, title, body, loc)


def paired_bars(rows: Sequence[tuple[str, Sequence[float | None]]], *, series: Sequence[str], title: str,
                loc: Locale, value_text=None, label_width: int = 260) -> str:
    """Grouped horizontal bars: for each label, one bar per series (None: no bar, a dash)."""
    value_text = value_text or loc.num
    values = [v for _, vs in rows for v in vs if v is not None]
    top = max(values, default=0) or 1
    k = len(series)
    group = k * 12 + 8
    span = WIDTH - label_width - 80
    legend_y = _TOP + 6
    body = []
    for j, name in enumerate(series):
        x = (WIDTH - 20 - j * 170) if loc.rtl else (20 + j * 170)
        square = x - 12 if loc.rtl else x
        body.append(f'<rect x="{square:.1f}" y="{legend_y - 10:.1f}" width="12" height="12" fill="{PALETTE[j]}"/>')
        body.append(_text(x - 16 if loc.rtl else x + 16, legend_y, name))
    la, va = _label_anchor(loc)
    first = _TOP + 20
    for i, (label, vs) in enumerate(rows):
        y = first + i * group
        body.append(_text(WIDTH - 10 if loc.rtl else label_width, y + group / 2, _short(label), anchor=la))
        for j, v in enumerate(vs):
            yy = y + j * 12 + 2
            w = 0 if v is None else span * v / top
            text = "–" if v is None else value_text(v)
            if loc.rtl:
                x0 = WIDTH - label_width - 10
                body.append(f'<rect x="{x0 - w:.1f}" y="{yy:.1f}" width="{w:.1f}" height="10" fill="{PALETTE[j]}"/>')
                body.append(_text(x0 - w - 4, yy + 9, text, anchor=va, size=10))
            else:
                x0 = label_width + 10
                body.append(f'<rect x="{x0:.1f}" y="{yy:.1f}" width="{w:.1f}" height="10" fill="{PALETTE[j]}"/>')
                body.append(_text(x0 + w + 4, yy + 9, text, anchor=va, size=10))
    return _svg(WIDTH, first + len(rows) * group + 10, title, body, loc)


def seat_line(parts: Sequence[tuple[str, int, str]], total: int, lines: Sequence[tuple[int, str]], *,
              title: str, loc: Locale) -> str:
    """The coalition's seats as one stacked bar out of ``total``, with a marker per line
    (the majority, the two-thirds quorum, the blocking third)."""
    left, right = 20, WIDTH - 20
    span = right - left
    y = _TOP + 10
    body = [f'<rect x="{left}" y="{y}" width="{span}" height="28" fill="#eeeeee" stroke="#999"/>']
    at = 0
    for label, seats, colour in parts:
        w = span * seats / total
        x = (right - span * at / total - w) if loc.rtl else (left + span * at / total)
        body.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="28" fill="{colour}" stroke="#fff">'
                    f"<title>{escape(label)} ({escape(loc.num(seats))})</title></rect>")
        at += seats
    for i, (value, label) in enumerate(lines):
        x = (right - span * value / total) if loc.rtl else (left + span * value / total)
        body.append(f'<line x1="{x:.1f}" y1="{y - 6}" x2="{x:.1f}" y2="{y + 34}" stroke="#c0392b" '
                    'stroke-width="2" stroke-dasharray="4 2"/>')
        body.append(_text(x, y + 50 + 14 * i, f"{label}: {loc.num(value)}", anchor="middle", fill="#c0392b",
                          size=11))
    seats_text = f"{loc.num(at)} / {loc.num(total)}"
    body.append(_text(WIDTH / 2, y + 19, seats_text, anchor="middle", weight="bold"))
    return _svg(WIDTH, y + 60 + 14 * len(lines), title, body, loc)


def interval(rows: Sequence[tuple[str, float, int, int, int]], *, title: str, loc: Locale,
             lines: Sequence[tuple[int, str]] = (), label_width: int = 260) -> str:
    """Seat distributions as intervals: ``(label, mean, p5, p50, p95)`` per row, with
    optional vertical lines (quotas)."""
    top = max([r[4] for r in rows] + [v for v, _ in lines] + [1])
    span = WIDTH - label_width - 40
    base = (WIDTH - label_width - 10) if loc.rtl else (label_width + 10)
    sign = -1 if loc.rtl else 1

    def x_of(v: float) -> float:
        return base + sign * span * v / top

    body = []
    la, _ = _label_anchor(loc)
    height = _TOP + len(rows) * _ROW + 24
    for value, label in lines:
        x = x_of(value)
        body.append(f'<line x1="{x:.1f}" y1="{_TOP - 4}" x2="{x:.1f}" y2="{height - 20}" stroke="#c0392b" '
                    'stroke-dasharray="4 2"/>')
        body.append(_text(x, height - 6, f"{label} {loc.num(value)}", anchor="middle", fill="#c0392b", size=10))
    for i, (label, mean, p5, p50, p95) in enumerate(rows):
        y = _TOP + i * _ROW + 8
        body.append(_text(WIDTH - 10 if loc.rtl else label_width, y + 4, _short(label), anchor=la))
        body.append(f'<line x1="{x_of(p5):.1f}" y1="{y}" x2="{x_of(p95):.1f}" y2="{y}" stroke="#1f5aa6" '
                    'stroke-width="6" stroke-linecap="round" opacity="0.45">'
                    f"<title>{escape(loc.num(p5))}–{escape(loc.num(p95))}</title></line>")
        body.append(f'<circle cx="{x_of(mean):.1f}" cy="{y}" r="4" fill="#1f5aa6">'
                    f"<title>{escape(loc.num(mean, 1))}</title></circle>")
        body.append(f'<line x1="{x_of(p50):.1f}" y1="{y - 6}" x2="{x_of(p50):.1f}" y2="{y + 6}" stroke="#000"/>')
    return _svg(WIDTH, height, title, body, loc)


def timeline(points: Sequence[tuple[int, str, str]], *, title: str, loc: Locale, end: int | None = None) -> str:
    """Events along days since the election: ``(day, label, kind)``, kind ``step`` or ``event``."""
    last = max([d for d, _, _ in points] + [end or 0, 1])
    left, right = 30, WIDTH - 30
    span = right - left
    axis = _TOP + 10
    body = [f'<line x1="{left}" y1="{axis}" x2="{right}" y2="{axis}" stroke="#555" stroke-width="2"/>']
    for i, (day, label, kind) in enumerate(sorted(points)):
        x = (right - span * day / last) if loc.rtl else (left + span * day / last)
        colour = "#1f5aa6" if kind == "step" else "#d35400"
        y = axis + 18 + i * 16
        body.append(f'<circle cx="{x:.1f}" cy="{axis}" r="4" fill="{colour}"/>')
        body.append(f'<line x1="{x:.1f}" y1="{axis}" x2="{x:.1f}" y2="{y - 4}" stroke="{colour}" stroke-width="0.6"/>')
        outward = x > WIDTH / 2  # text runs back toward the middle of the chart
        anchor = ("start" if outward else "end") if loc.rtl else ("end" if outward else "start")
        body.append(_text(x, y, f"{loc.t('formation.day', day=day)}: {label}", anchor=anchor, fill=colour, size=11))
    return _svg(WIDTH, axis + 30 + 16 * len(points), title, body, loc)


def _rows_for(seats: int) -> int:
    """How many arcs a hemicycle of ``seats`` needs so the dots stay readable."""
    rows = 1
    while sum(int(math.pi * (rows + i) ) for i in range(rows)) < seats * 1.15:
        rows += 1
    return rows


def hemicycle(groups: Sequence[tuple[str, int, str, str]], *, title: str, loc: Locale) -> str:
    """A parliament as seats on arcs: ``(key, seats, colour, tip)`` groups, in order from
    the left end of the arc (the right end in a right-to-left page). Each seat is a dot
    with the group's key (``data-key``) and a tooltip text (``data-tip``, and a
    ``<title>``); the legend is the page's HTML, not part of the drawing."""
    total = sum(n for _, n, _, _ in groups)
    rows = _rows_for(max(total, 1))
    width, height = 400, 215
    cx, cy, outer = width / 2, 200, 190
    inner = outer * 0.38
    step = (outer - inner) / max(rows - 1, 1)
    radii = [inner + i * step for i in range(rows)]
    weights = [r for r in radii]
    counts = [round(total * w / sum(weights)) for w in weights]
    counts[-1] += total - sum(counts)
    dot = min(step * 0.42, 9.0) if rows > 1 else 9.0
    points = []
    for r, k in zip(radii, counts):
        for j in range(k):
            a = math.pi * (j / (k - 1) if k > 1 else 0.5)
            points.append((a, r))
    points.sort(key=lambda p: (p[0], -p[1]) if not loc.rtl else (-p[0], -p[1]))
    body = []
    at = 0
    for key, n, colour, tip in groups:
        body.append(f'<g fill="{colour}" data-key={quoteattr(key)} data-tip={quoteattr(tip)} tabindex="-1">'
                    f"<title>{escape(tip)}</title>")
        for a, r in points[at: at + n]:
            x = cx - r * math.cos(a)
            y = cy - r * math.sin(a)
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{dot:.1f}"/>')
        body.append("</g>")
        at += n
    body.append(_text(cx, cy - 8, loc.num(total), anchor="middle", size=28, weight="bold"))
    return _svg(width, height, title, body, loc, heading=False)
