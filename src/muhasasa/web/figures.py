"""The explorer's figures in a page's language: names of lists, blocs and places, and the
charts built from the library's rows (used by the pages and by the API's SVG routes).

Names come from the record and the pack in the page's language; where Arabic lacks one,
the English name is shown and marked as a fallback. Colours are the pack's own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from muhasasa.web import charts, views
from muhasasa.web.i18n import Label, Locale, locale

__all__ = ["arabic_text", "community", "election_name", "hemicycle", "id_label", "list_label", "place", "place_label",
           "plain_label", "player_label"]


_ARABIC = re.compile("[\u0600-\u06ff]")

# --------------------------------------------------------------------------- names


def arabic_text(text: str | None) -> str | None:
    """``text`` if it is written in Arabic letters (a record's ``name_ar`` that repeats the
    English is no Arabic name), else None.

    >>> arabic_text("دولة القانون"), arabic_text("An English name"), arabic_text(None)
    ('دولة القانون', None, None)
    """
    return text if text and _ARABIC.search(text) else None


def list_label(loc: Locale, election: str, list_id: str, english: str | None = None) -> Label:
    """A list's name in the page's language: the record's Arabic name, else English marked."""
    en, ar = views.list_names(election).get(list_id, (english or list_id, None))
    ar = arabic_text(ar)
    if loc.rtl:
        return Label(ar, "ar") if ar else Label(en, "en", fallback=True)
    return Label(en, "en")


def player_label(loc: Locale, election: str, players, player: str) -> Label:
    """A player's name: a bloc (its Arabic name where the pack has one), a list, or one
    seat of a list."""
    if players is not None and players.bloc_map is not None and player in {b.id for b in players.bloc_map.blocs}:
        arabic = next((getattr(b, "name_ar", None) for b in players.bloc_map.blocs if b.id == player), None)
        if loc.rtl and arabic:
            return Label(arabic, "ar")
        return Label(players.names.get(player, player), "en", fallback=loc.rtl)
    base, _, k = player.rpartition("-")
    if k.isdigit() and base in views.list_names(election):
        inner = list_label(loc, election, base)
        return Label(f"{inner.text} #{loc.digits(k)}", inner.lang, inner.fallback)
    english = players.names.get(player) if players is not None else None
    return list_label(loc, election, player, english)


def id_label(loc: Locale, names: Mapping[str, str], election: str, ident: str | None) -> Label | None:
    """A formation id (bloc, actor or list of a cycle) as a name."""
    if ident is None:
        return None
    if ident in views.list_names(election):
        return list_label(loc, election, ident)
    if loc.rtl:
        arabic = next((b.get("name_ar") for m in views.bloc_maps(election) for b in m["blocs"]
                       if b["id"] == ident and b.get("name_ar")), None)
        if arabic:
            return Label(arabic, "ar")
    return Label(names.get(ident, ident), "en", fallback=loc.rtl)


def community(loc: Locale, name: str | None) -> str:
    """A community in the page's language: the pack's own names (its ``communities``), the
    catalogue's for what is not one (a bloc, the unclassified)."""
    for c in views._pack().communities:
        if name is not None and name in (c.id, c.name, c.name_en):  # no name is no community
            return c.name_ar if loc.rtl else c.name
    key = "community." + (name or "unclassified").lower().replace(" ", "-")
    return loc.t(key) if loc.has(key) else (name or loc.t("community.unclassified", "unclassified"))


def place_label(loc: Locale, name: str, name_ar: str | None = None) -> Label:
    """A place as a :class:`Label`: the catalogue's name, else the record's Arabic name,
    else the English one marked as a fallback on an Arabic page."""
    shown = place(loc, name)
    if not loc.rtl or shown != name:
        return Label(shown, loc.code)
    if arabic_text(name_ar):
        return Label(name_ar, "ar")
    return Label(name, "en", fallback=True)


def place(loc: Locale, name: str) -> str:
    """A governorate or district name in the page's language (``Baghdad 2`` → ``بغداد ٢``)."""
    key = f"gov.{name}"
    if loc.has(key):
        return loc.t(key)
    split = name.removesuffix(" by community")
    if split != name and loc.has(f"gov.{split}"):
        return loc.t("gov.by_community", "{place} by community", place=loc.t(f"gov.{split}"))
    head, _, tail = name.rpartition(" ")
    if tail.isdigit() and loc.has(f"gov.{head}"):
        return f"{loc.t(f'gov.{head}')} {loc.digits(tail)}"
    return name


def plain_label(label: Label | None) -> str:
    return "–" if label is None else label.plain()




def election_name(loc: Locale, election: str) -> str:
    """An election as readers name it: its year, or its month and year where two
    elections share a year (``January 2005``), never the engine's id."""
    rows = {e["id"]: e for e in views.elections_index()}
    if election not in rows:
        return loc.digits(election)
    when, body = rows[election]["date"], rows[election].get("body")
    year, month = when[:4], int(when[5:7])
    # two elections of the same house in one year are told apart by their month
    if sum(1 for e in rows.values() if e["date"][:4] == year and e.get("body") == body) > 1:
        return f"{loc.t(f'month.m{month}')} {loc.digits(year)}"
    return loc.digits(year)


def seat_tip(loc: Locale, name: str, seats: int, total: int, votes: int | None = None) -> str:
    """A tooltip: name, seats of the house, share of seats (and votes)."""
    text = loc.t("tip.seats", "{name}: {seats} of {total} seats ({share}%)", name=name, seats=seats, total=total, share=loc.num(100 * seats / total, 1))
    if votes:
        text += loc.t("sep", ", ") + loc.t("tip.votes", "{votes} votes", votes=votes)
    return text


@views.per_pack(maxsize=64)
def hemicycle(election: str, by: str, lang: str) -> str:
    """The hemicycle of a parliament, in the pack's colours, labelled in ``lang``."""
    loc = locale(lang)
    groups = views.seat_groups(election, by)
    total = sum(n for _, _, n, _ in groups)
    shown = []
    for key, english, n, colour in groups:
        name = community(loc, None if key == "unclassified" else key) if by == "community" \
            else plain_label(list_label(loc, election, key, english))
        shown.append((key, n, colour, seat_tip(loc, name, n, total)))
    title = loc.t("elections.hemicycle_title", "Iraq {election}: {seats} seats by {by}", election=loc.digits(election), seats=total,
                  by=loc.t(f"elections.by_{by}"))
    return charts.hemicycle(shown, title=title, loc=loc)


def legend(loc: Locale, election: str, by: str) -> list[dict]:
    """The hemicycle's legend as data for HTML: key, label, seats, colour."""
    out = []
    groups = views.seat_groups(election, by)
    total = sum(n for _, _, n, _ in groups)
    for key, english, n, colour in groups:
        label = Label(community(loc, None if key == "unclassified" else key), loc.code) if by == "community" \
            else list_label(loc, election, key, english)
        out.append({"key": key, "label": label, "seats": n, "colour": colour,
                    "tip": seat_tip(loc, plain_label(label), n, total)})
    return out
