"""Colours are data: every list of 3 seats or more has the pack's own swatch, and within
one parliament (and one bloc map) those swatches are distinguishable: CIEDE2000 ΔE ≥ 10,
computed with coloraide."""

from __future__ import annotations

import itertools

import pytest
from coloraide import Color

import muhasasa

MIN_DELTA_E = 10


def groups():
    for e in muhasasa.election_index():
        p = muhasasa.parliament(e["id"])
        yield f"election {e['id']}", e["id"], None, {x.list_id: x.seats_official for x in p.lists
                                                      if (x.seats_official or 0) >= 3}
        for m in muhasasa.bloc_maps(e["id"]):
            cast = muhasasa.players(e["id"], blocs=m.id)
            seats: dict[str, int] = {}
            for player, n in cast.weights.items():
                base = next((b for b, ps in cast.single_seats.items() if player in ps), player)
                seats[base] = seats.get(base, 0) + n
            yield f"bloc map {m.id}", e["id"], m.id, {k: n for k, n in seats.items() if n >= 3}


GROUPS = list(groups())


@pytest.mark.parametrize(("name", "election", "blocs", "seats"), GROUPS, ids=[g[0] for g in GROUPS])
def test_lists_of_three_seats_have_distinct_colours(name, election, blocs, seats):
    palette = muhasasa.colours(election, blocs=blocs)
    others = palette["others"]
    for key in seats:
        assert palette.get(key, others) != others, f"{key} ({seats[key]} seats) has no colour of its own"
    for a, b in itertools.combinations(sorted(seats), 2):
        delta = Color(palette[a]).delta_e(Color(palette[b]), method="2000")
        assert delta >= MIN_DELTA_E, f"{a} {palette[a]} and {b} {palette[b]}: ΔE {delta:.1f}"


def test_a_small_list_shares_the_others_swatch():
    palette = muhasasa.colours("2025")
    small = [x.list_id for x in muhasasa.parliament("2025").lists if (x.seats_official or 0) < 3]
    shared = [k for k in small if palette[k] == palette["others"]]
    assert small and len(shared) >= len(small) // 2, "most small lists share the swatch"


def test_a_bad_colour_is_a_located_error():
    from muhasasa.packs.schema.colours import read_colours

    with pytest.raises(muhasasa.InputError) as info:
        read_colours(b"key,colour,basis,note\nothers,#b8b8b8,assigned,\nkdp,yellow,party,\n", "c.csv")
    assert "c.csv" in str(info.value) and "3" in str(info.value)
    with pytest.raises(muhasasa.InputError):
        read_colours(b"key,colour,basis,note\nkdp,#ffff00,party,\n", "c.csv")
