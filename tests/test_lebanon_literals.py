"""Rules are data: nothing Lebanese is a literal in ``src/muhasasa/`` outside ``packs/``.

The names are read from the pack itself (its confessions, districts and minor districts,
lists and candidates, in both scripts), so the test grows with the record. A name is not
flagged where it lies inside a name of another bundled pack (Iraq's "Sunni Arab" holds the
word "Sunni"): that is the other pack's literal, not this one's. The country's own name may
appear only where a generic method cites the law it follows (a docstring, or a registry
entry's ``reference=``), never in a value the code computes with.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import muhasasa
from muhasasa.packs import bundled, load

SRC = Path(muhasasa.__file__).parent
TEXT_SUFFIXES = {".py", ".toml", ".html", ".js", ".css", ".md", ".txt", ".json", ".csv"}


def _pack_names(name: str) -> set[str]:
    pack = load(name)
    names = set(pack.community_ids) | {c.name_ar for c in pack.communities}
    names |= {m.id for m in pack.minorities} | {m.name_ar for m in pack.minorities}
    names |= {r.id for r in pack.regions} | {r.name_ar for r in pack.regions}
    for election in pack.record().elections:
        for x in election.lists:
            names |= {x.name_en, *(n for n in (x.name_ar, *x.aliases) if n)}
        for dv in election.district_results:
            names |= {r.name_en for r in dv.rows} | {r.name_ar for r in dv.rows if r.name_ar}
    for bloc_map in pack.bloc_maps():
        names |= {b.name for b in bloc_map.blocs} | {b.name_ar for b in bloc_map.blocs if b.name_ar}
    for district in pack.candidate_record().districts.values():
        names |= {sub for _, sub in district.seats}
        names |= {c.candidate for c in district.candidates}
        names |= {w.name_en for w in district.winners if w.name_en}
    return {n for n in names if len(n) >= 3}


LEBANON = _pack_names("lebanon")
COUNTRY = {load("lebanon").name_en, load("lebanon").name_ar, "Lebanese", "lebanon"}
OTHERS = set().union(*(_pack_names(p) for p in bundled() if p != "lebanon"))
# Lebanese names that are also words of another pack's names (Iraq's "Shia Arab"): in prose
# they may be the other pack's; they are flagged only in string values the code computes with.
SHARED = {n for n in LEBANON if any(_w != n and re.search(r"(?<!\w)" + re.escape(n) + r"(?!\w)", _w)
                                    for _w in OTHERS)}


# Words that are a Lebanese name and, in these files, something else (said why).
NOT_LEBANESE = {
    ("web/translations/ar.toml", "إنقاذ وطن"): "Iraq's Save the Homeland alliance of 2022 (Inqadh Watan) in Iraq's story",
}


_WORD = re.compile(r"\w+")


def _pattern(name: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)")


_OTHER_PATTERNS = {other: _pattern(other) for other in OTHERS}


def _files() -> list[Path]:
    return [f for f in sorted(SRC.rglob("*")) if f.is_file() and f.suffix in TEXT_SUFFIXES
            and f.relative_to(SRC).parts[0] != "packs"]


def _covered(text: str, start: int, end: int, others: list[re.Pattern[str]]) -> bool:
    """Whether text[start:end] lies inside an occurrence of another pack's name."""
    lo, hi = max(0, start - 80), min(len(text), end + 80)
    return any(m.start() + lo <= start and end <= m.end() + lo for p in others for m in p.finditer(text[lo:hi]))


def _hits(text: str, names: set[str]) -> list[tuple[int, str]]:
    """Where each name occurs as a whole word (a name's words must all be words of the text:
    a cheap set test before any pattern runs)."""
    words = set(_WORD.findall(text))
    found = []
    for name in names:
        tokens = _WORD.findall(name)
        if not tokens or not words.issuperset(tokens):
            continue
        for m in _pattern(name).finditer(text):
            wider = [p for o, p in _OTHER_PATTERNS.items() if name in o]
            if not _covered(text, m.start(), m.end(), wider):
                found.append((text.count("\n", 0, m.start()) + 1, name))
    return found


def _computed_strings(tree: ast.AST) -> list[ast.Constant]:
    """String constants the code computes with: not docstrings, not ``reference=`` citations."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))
        if isinstance(node, ast.keyword) and node.arg == "reference":
            skip.update(id(n) for n in ast.walk(node.value))
    return [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and id(n) not in skip]


def test_the_names_come_from_the_pack():
    assert {"Maronite", "Druze", "Beirut I", "South III", "Zgharta", "Hope and Loyalty"} <= LEBANON
    assert "Shia Arab" in OTHERS and {"Shia", "Sunni"} <= SHARED and "Maronite" not in SHARED


def test_no_lebanese_confession_district_list_or_candidate_outside_packs():
    problems = []
    for path in _files():
        text = path.read_text(encoding="utf-8")
        for line, name in _hits(text, LEBANON - SHARED):
            if (str(path.relative_to(SRC)), name) in NOT_LEBANESE:
                continue
            problems.append(f"{path.relative_to(SRC)}:{line}: {name!r}")
        if path.suffix == ".py":
            for node in _computed_strings(ast.parse(text)):
                problems.extend(f"{path.relative_to(SRC)}:{node.lineno}: {name!r}"
                                for _, name in _hits(node.value, SHARED))
    assert not problems, "Lebanese names in the engine:\n" + "\n".join(problems)


def test_the_country_is_named_only_where_a_method_cites_its_law():
    problems = []
    for path in _files():
        text = path.read_text(encoding="utf-8")
        if path.suffix != ".py":
            problems.extend(f"{path.relative_to(SRC)}:{line}: {name!r}" for line, name in _hits(text, COUNTRY))
            continue
        for node in _computed_strings(ast.parse(text)):
            for _, name in _hits(node.value, COUNTRY):
                problems.append(f"{path.relative_to(SRC)}:{node.lineno}: {name!r}")
    assert not problems, "the country's name in computed values:\n" + "\n".join(problems)


def test_the_check_would_catch_a_literal():
    planted = 'OFFICES = {"president": "Maronite"}  # Beirut I\n'
    assert {name for _, name in _hits(planted, LEBANON)} == {"Maronite", "Beirut I"}
    tree = ast.parse('def f():\n    """Law 44 of Lebanon."""\n    return "Lebanon"\n')
    assert [n.value for n in _computed_strings(tree)] == ["Lebanon"]
    assert not _hits('community = "Sunni Arab"', LEBANON)
