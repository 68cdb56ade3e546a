"""Hemicycle SVG: parse the picture and count what a reader would see."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from muhasasa import InputError, MuhasasaError, packs
from muhasasa.plot import (
    LIST_PALETTE,
    UNKNOWN_COLOUR,
    colour_for,
    hemicycle_svg,
    write_hemicycle,
)

NS = {"svg": "http://www.w3.org/2000/svg"}

GROUPS = [
    ("Coordination Framework", 120, "#2E7D32"),
    ("Sadrists", 0, "#000"),
    ("Taqaddum", 36, "#1f5aa6"),
    ("KDP", 31, "#e8b400"),
    ("تحالف الفتح", 64, "#17becf"),
    ("Independents", 78, "#7f8c8d"),
]


def seat_groups(root: ET.Element) -> dict[str, tuple[int, str]]:
    """label -> (circles, fill colour) for every seat group of the arch."""
    found = {}
    for group in root.iterfind("svg:g", NS):
        label = group.findtext("svg:title", namespaces=NS)
        circles = group.findall("svg:circle", NS)
        if label is None or group.get("id") == "legend":
            continue
        fill = dict(part.strip().split(":") for part in group.get("style", "").split(";") if part)
        found[label] = (len(circles), fill["fill"])
    return found


def test_circles_groups_colours_and_legend():
    root = ET.fromstring(hemicycle_svg(GROUPS, title="2025 (illustrative)"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert len(root.findall(".//svg:circle", NS)) == sum(s for _, s, _ in GROUPS) == 329
    groups = seat_groups(root)
    # every group with seats is one <g>, with exactly its seats, in its colour
    assert groups == {
        "Coordination Framework": (120, "#2e7d32"),
        "Taqaddum": (36, "#1f5aa6"),
        "KDP": (31, "#e8b400"),
        "تحالف الفتح": (64, "#17becf"),
        "Independents": (78, "#7f8c8d"),
    }
    by_colour = Counter(fill for count, fill in groups.values() for _ in range(count))
    assert by_colour == Counter(
        {"#2e7d32": 120, "#1f5aa6": 36, "#e8b400": 31, "#17becf": 64, "#7f8c8d": 78}
    )
    legend = root.find("svg:g[@id='legend']", NS)
    texts = [
        "".join(t.itertext()).replace("\u2068", "").replace("\u2069", "")
        for t in legend.iter(f"{{{NS['svg']}}}text")
    ]
    assert texts == [f"{label} ({seats})" for label, seats, _ in GROUPS]
    swatches = [r.get("fill") for r in legend.iter(f"{{{NS['svg']}}}rect")]
    assert swatches == ["#2e7d32", "#000000", "#1f5aa6", "#e8b400", "#17becf", "#7f8c8d"]
    assert root[0].tag == f"{{{NS['svg']}}}title" and root[0].text == "2025 (illustrative)"


def test_seats_run_left_to_right_in_group_order():
    root = ET.fromstring(hemicycle_svg([("L", 10, "#ff0000"), ("R", 10, "#0000ff")]))
    xs = {
        group.findtext("svg:title", namespaces=NS): [
            float(c.get("cx")) for c in group.findall("svg:circle", NS)
        ]
        for group in root.iterfind("svg:g", NS)
        if group.get("id") != "legend"
    }
    assert sum(xs["L"]) / 10 < sum(xs["R"]) / 10


def test_default_title_names_the_size():
    root = ET.fromstring(hemicycle_svg([("A", 7, "#123456")]))
    assert root.findtext("svg:title", namespaces=NS) == "Parliament of 7 seats"
    assert root.get("viewBox", "").startswith("0 0 ")


@given(st.lists(st.integers(0, 120), min_size=1, max_size=12).filter(lambda s: 0 < sum(s) <= 700))
@settings(max_examples=40, deadline=None)
def test_every_seat_is_drawn_once(sizes):
    groups = [(f"G{i}", n, LIST_PALETTE[i % len(LIST_PALETTE)]) for i, n in enumerate(sizes)]
    root = ET.fromstring(hemicycle_svg(groups))
    assert len(root.findall(".//svg:circle", NS)) == sum(sizes)
    drawn = {label: count for label, (count, _) in seat_groups(root).items()}
    assert drawn == {label: n for label, n, _ in groups if n}


def test_write_is_atomic_and_leaves_no_temp_file(tmp_path):
    target = tmp_path / "parliament.svg"
    target.write_text("old picture", encoding="utf-8")
    written = write_hemicycle(target, GROUPS, title="2025")
    assert written == target
    assert os.listdir(tmp_path) == ["parliament.svg"]
    root = ET.parse(target).getroot()
    assert len(root.findall(".//svg:circle", NS)) == 329
    # a bad picture leaves the old file whole and no temp file behind
    before = target.read_bytes()
    with pytest.raises(InputError):
        write_hemicycle(target, [("A", -1, "#ffffff")])
    assert target.read_bytes() == before
    assert os.listdir(tmp_path) == ["parliament.svg"]


def test_failed_replace_removes_the_temp_file(tmp_path, monkeypatch):
    target = tmp_path / "p.svg"
    target.write_text("old", encoding="utf-8")

    def broken_replace(src, dst):
        raise OSError("disk gone")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(InputError, match="disk gone"):
        write_hemicycle(target, [("A", 3, "#ff0000")])
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["p.svg"]


def test_new_file_is_readable_by_others(tmp_path):
    target = write_hemicycle(tmp_path / "new.svg", [("A", 3, "#ff0000")])
    assert target.stat().st_mode & 0o777 == 0o644


def test_missing_extra_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "parliamentarch", None)  # makes the import fail
    with pytest.raises(MuhasasaError, match=r"pip install 'muhasasa\[plot\]'"):
        hemicycle_svg([("A", 1, "#ffffff")])


@pytest.mark.parametrize(
    ("groups", "match"),
    [
        ([], "at least one seat"),
        ([("A", 0, "#ffffff")], "at least one seat"),
        ([("A", 2, "red")], "hex"),
        ([("A", 2.5, "#ffffff")], "whole number"),
        ([("", 2, "#ffffff")], "label"),
        ([("A", 2)], r"\(label, seats, colour\)"),
        ("A", "sequence"),
    ],
)
def test_bad_groups_are_refused(groups, match):
    with pytest.raises(InputError, match=match):
        hemicycle_svg(groups)


def test_community_colours_are_fixed_and_distinct():
    communities = packs.load().communities
    colours = [c.colour for c in communities]
    assert len(set(colours)) == len(colours)
    assert not set(colours) & set(LIST_PALETTE)
    assert colour_for("") == UNKNOWN_COLOUR


def test_list_colours_are_deterministic_across_processes():
    names = ["State of Law", "Taqaddum", "تحالف الفتح", "Kurdistan Democratic Party"]
    here = [colour_for(n) for n in names]
    assert all(c in LIST_PALETTE for c in here)
    code = f"from muhasasa.plot import colour_for; print([colour_for(n) for n in {names!r}])"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == repr(here)
