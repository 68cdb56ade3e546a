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

__all__ = ["PALETTE", "bars", "hemicycle", "ink", "interval", "paired_bars", "seat_line", "timeline"]

PALETTE = ("#1f5aa6", "#d35400", "#2e7d32", "#8e44ad")
_FONT = "'Noto Sans Arabic', system-ui, Tahoma, sans-serif"
#: Charts are drawn 360 units wide: on a 360 px phone they show at about their own size,
#: so 13-unit text stays above 11 px; the page's CSS scales them up on a wide screen.
WIDTH = 360
_TOP = 12
_TEXT = 14
_SMALL = 13


def _svg(width: float, height: float, title: str, body: list[str], loc: Locale, *, heading: bool = False) -> str:
    """A standalone SVG document that scales with its container (``viewBox``; the page's
    CSS sets its width), titled for screen readers; the visible heading is the page's own
    (``heading=True`` draws it inside, for a downloaded file)."""
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{height:g}" '
            f'viewBox="0 0 {width:g} {height:g}" role="img" aria-label={quoteattr(title)} '
            f'font-family={quoteattr(_FONT)} font-size="{_TEXT}" direction="{loc.dir}" lang="{loc.code}">')
    return "\n".join([head, f"<title>{escape(title)}</title>",
                      f'<rect width="{width:g}" height="{height:g}" fill="#ffffff"/>', *body, "</svg>"])


#: How :meth:`~muhasasa.web.i18n.Label.plain` marks a name shown in English on an Arabic page.
FALLBACK = " *"

def _text(x: float, y: float, text: str, *, anchor: str = "start", size: int | None = None,
          fill: str = "#222", weight: str | None = None) -> str:
    extra = (f' font-size="{size}"' if size else "") + (f' font-weight="{weight}"' if weight else "")
    if text.endswith(FALLBACK):  # a name the record has only in English: said to be English
        extra += ' lang="en"'
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}"{extra}>'
            f"{escape(text)}</text>")


def _short(text: str, limit: int = 44) -> str:
    """A label cut to fit the chart's width (the full text is in the tooltip and tables);
    a fallback name keeps its mark.

    >>> _short("An English name that is long *", 12)
    'An Englis… *'
    """
    if text.endswith(FALLBACK) and len(text) > limit:
        return _short(text[: -len(FALLBACK)], limit - len(FALLBACK)) + FALLBACK
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _tip(text: str) -> str:
    return f" data-tip={quoteattr(text)}"


class _Axis:
    """Horizontal positions from the reading start (left, or right in RTL)."""

    def __init__(self, loc: Locale, left: float = 8, right: float = WIDTH - 8) -> None:
        self.rtl, self.left, self.right = loc.rtl, left, right
        self.span = right - left

    def x(self, at: float) -> float:
        return self.right - at if self.rtl else self.left + at

    def rect(self, at: float, w: float) -> float:
        return self.right - at - w if self.rtl else self.left + at

    @property
    def start(self) -> str:
        return "start"  # text's own start: the left in LTR, the right in RTL (direction attribute)


def bars(rows: Sequence[tuple[str, float, str]], *, title: str, loc: Locale, value_text=None,
         scale_max: float | None = None, label_width: int = 0) -> str:
    """Horizontal bars, one per ``(label, value, colour)``: the label on its own line above
    its bar, the value after the bar (labels never overlap, at any width)."""
    value_text = value_text or loc.num
    top = max([scale_max or 0] + [v for _, v, _ in rows]) or 1
    axis = _Axis(loc)
    span = axis.span - 64
    body = []
    row_h = 36
    for i, (label, value, colour) in enumerate(rows):
        y = _TOP + i * row_h
        w = max(span * value / top, 0)
        tip = f"{label}: {value_text(value)}"
        body.append(f"<g{_tip(tip)}><title>{escape(tip)}</title>")
        body.append(_text(axis.x(0), y + 11, _short(label)))
        body.append(f'<rect x="{axis.rect(0, w):.1f}" y="{y + 15:.1f}" width="{w:.1f}" height="14" fill="{colour}"/>')
        body.append(_text(axis.x(w + 5), y + 27, value_text(value), size=_SMALL))
        body.append("</g>")
    return _svg(WIDTH, _TOP + len(rows) * row_h + 6, title, body, loc)


def paired_bars(rows: Sequence[tuple[str, Sequence[float | None]]], *, series: Sequence[str], title: str,
                loc: Locale, value_text=None, label_width: int = 0, colours: Sequence[str] = PALETTE) -> str:
    """Grouped horizontal bars: for each label (on its own line), one thin bar per series
    (None: no bar, a dash). The series' legend is the page's HTML."""
    value_text = value_text or loc.num
    values = [v for _, vs in rows for v in vs if v is not None]
    top = max(values, default=0) or 1
    k = len(series)
    axis = _Axis(loc)
    span = axis.span - 64
    group = 16 + k * 13 + 8
    body = []
    for i, (label, vs) in enumerate(rows):
        y = _TOP + i * group
        tip = label + ": " + "; ".join(f"{s} {('–' if v is None else value_text(v))}" for s, v in zip(series, vs))
        body.append(f"<g{_tip(tip)}><title>{escape(tip)}</title>")
        body.append(_text(axis.x(0), y + 11, _short(label)))
        for j, v in enumerate(vs):
            yy = y + 15 + j * 13
            w = 0 if v is None else span * v / top
            body.append(f'<rect x="{axis.rect(0, w):.1f}" y="{yy:.1f}" width="{w:.1f}" height="11" '
                        f'fill="{colours[j % len(colours)]}"/>')
            body.append(_text(axis.x(w + 4), yy + 10, "–" if v is None else value_text(v), size=_SMALL))
        body.append("</g>")
    return _svg(WIDTH, _TOP + len(rows) * group + 4, title, body, loc)


def seat_line(parts: Sequence[tuple[str, int, str]], total: int, lines: Sequence[tuple[int, str]], *,
              title: str, loc: Locale) -> str:
    """The coalition's seats as one stacked bar out of ``total`` (each segment labelled
    with its seats where it is wide enough, and a tooltip), with a marker per line (the
    majority, the two-thirds quorum, the blocking third) labelled below the bar, one line
    of text each, so no label sits on another."""
    axis = _Axis(loc, 10, WIDTH - 10)
    span = axis.span
    y = 30
    at = sum(n for _, n, _ in parts)
    body = [_text(WIDTH / 2, 20, f"{loc.num(at)} / {loc.num(total)}", anchor="middle", weight="bold", size=15)
            .replace("<text ", '<text class="seat-total" ', 1),
            f'<rect x="{axis.left}" y="{y}" width="{span}" height="30" fill="#eeeeee" stroke="#767676"/>',
            f'<g class="segments" data-left="{axis.left}" data-span="{span}" data-total="{total}" data-y="{y}">']
    done = 0
    for label, seats, colour in parts:
        w = span * seats / total
        x = axis.rect(span * done / total, w)
        tip = f"{label}: {loc.num(seats)}"
        body.append(f'<g{_tip(tip)}><rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="30" fill="{colour}" '
                    f'stroke="#fff"><title>{escape(tip)}</title></rect>')
        if w >= 22:
            body.append(_text(x + w / 2, y + 20, loc.num(seats), anchor="middle", fill=_ink(colour), size=_SMALL))
        body.append("</g>")
        done += seats
    body.append("</g>")
    for i, (value, label) in enumerate(sorted(lines, key=lambda v: v[0])):
        x = axis.x(span * value / total)
        body.append(f'<line x1="{x:.1f}" y1="{y - 4}" x2="{x:.1f}" y2="{y + 44 + 16 * i}" stroke="#b03020" '
                    'stroke-width="2" stroke-dasharray="4 2"/>')
        leftward = x > WIDTH / 2  # the label runs back toward the middle
        anchor = ("start" if leftward else "end") if loc.rtl else ("end" if leftward else "start")
        body.append(_text(x + (-4 if leftward else 4), y + 46 + 16 * i, f"{label}: {loc.num(value)}",
                          anchor=anchor, fill="#b03020", size=_SMALL))
    return _svg(WIDTH, y + 56 + 16 * len(lines), title, body, loc)


def _ink(colour: str) -> str:
    """Black or white, whichever reads better on ``colour`` (WCAG relative luminance)."""
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    return "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#ffffff"


ink = _ink


def interval(rows: Sequence[tuple[str, float, int, int, int]], *, title: str, loc: Locale,
             lines: Sequence[tuple[int, str]] = (), label_width: int = 0) -> str:
    """Seat distributions as intervals: ``(label, mean, p5, p50, p95)`` per row (the label
    on its own line), with an axis of seats below and optional vertical lines (quotas)."""
    top = max([r[4] for r in rows] + [v for v, _ in lines] + [1])
    axis = _Axis(loc, 12, WIDTH - 20)
    span = axis.span

    def x_of(v: float) -> float:
        return axis.x(span * v / top)

    row_h = 34
    bottom = _TOP + len(rows) * row_h
    body = []
    for value, label in lines:
        x = x_of(value)
        body.append(f'<line x1="{x:.1f}" y1="{_TOP}" x2="{x:.1f}" y2="{bottom}" stroke="#b03020" '
                    'stroke-dasharray="4 2"/>')
        body.append(_text(x, bottom + 34, f"{label} {loc.num(value)}", anchor="middle", fill="#b03020", size=_SMALL))
    ticks = _ticks(top)
    body.append(f'<line x1="{axis.left}" y1="{bottom}" x2="{axis.right}" y2="{bottom}" stroke="#767676"/>')
    for t in ticks:
        body.append(f'<line x1="{x_of(t):.1f}" y1="{bottom}" x2="{x_of(t):.1f}" y2="{bottom + 4}" stroke="#767676"/>')
        body.append(_text(x_of(t), bottom + 16, loc.num(t), anchor="middle", size=_SMALL))
    for i, (label, mean, p5, p50, p95) in enumerate(rows):
        y = _TOP + i * row_h
        tip = f"{label}: {loc.num(p5)}–{loc.num(p95)} ({loc.num(mean, 1)})"
        body.append(f"<g{_tip(tip)}><title>{escape(tip)}</title>")
        body.append(_text(axis.x(0), y + 11, _short(label)))
        yy = y + 23
        body.append(f'<line x1="{x_of(p5):.1f}" y1="{yy}" x2="{x_of(p95):.1f}" y2="{yy}" stroke="#1f5aa6" '
                    'stroke-width="7" stroke-linecap="round" opacity="0.5"/>')
        body.append(f'<circle cx="{x_of(mean):.1f}" cy="{yy}" r="4" fill="#1f5aa6"/>')
        body.append(f'<line x1="{x_of(p50):.1f}" y1="{yy - 6}" x2="{x_of(p50):.1f}" y2="{yy + 6}" stroke="#000"/>')
        body.append("</g>")
    return _svg(WIDTH, bottom + (44 if lines else 24), title, body, loc)


def _ticks(top: float) -> list[int]:
    for step in (1, 2, 5, 10, 20, 25, 50, 100):
        if top / step <= 6:
            return list(range(0, int(top) + 1, step))
    return [0, int(top)]


def timeline(points: Sequence[tuple[int, str, str]], *, title: str, loc: Locale, end: int | None = None) -> str:
    """Events along days since the election: ``(day, label, kind)``, kind ``step`` or
    ``event``; one line of text per point, under an axis, so labels never overlap."""
    last = max([d for d, _, _ in points] + [end or 0, 1])
    axis = _Axis(loc, 14, WIDTH - 14)
    span = axis.span
    y0 = 14
    body = [f'<line x1="{axis.left}" y1="{y0}" x2="{axis.right}" y2="{y0}" stroke="#555" stroke-width="2"/>']
    for i, (day, label, kind) in enumerate(sorted(points)):
        x = axis.x(span * day / last)
        colour = "#1f5aa6" if kind == "step" else "#b03c00"
        y = y0 + 22 + i * 19
        text = loc.t("formation.day", "day {day}", day=day) + f": {label}"
        body.append(f'<g{_tip(text)}><title>{escape(text)}</title>')
        body.append(f'<circle cx="{x:.1f}" cy="{y0}" r="4" fill="{colour}"/>')
        body.append(f'<line x1="{x:.1f}" y1="{y0}" x2="{x:.1f}" y2="{y - 12}" stroke="{colour}" stroke-width="0.6"/>')
        body.append(_text(axis.x(0), y, _short(text, 50), fill=colour, size=_SMALL))
        body.append("</g>")
    return _svg(WIDTH, y0 + 30 + 19 * len(points), title, body, loc)


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
        body.append(f'<g fill="{colour}" data-key={quoteattr(key)} data-tip={quoteattr(tip)}>'
                    f"<title>{escape(tip)}</title>")
        for a, r in points[at: at + n]:
            x = cx - r * math.cos(a)
            y = cy - r * math.sin(a)
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{dot:.1f}"/>')
        body.append("</g>")
        at += n
    body.append(_text(cx, cy - 8, loc.num(total), anchor="middle", size=28, weight="bold"))
    return _svg(width, height, title, body, loc)
