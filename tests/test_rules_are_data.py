"""Rules are data: no community, election id or house size of a bundled pack is a literal in
the code (``src/muhasasa`` outside ``packs/``). Docstrings are text for people and are left
out; comments are not in the syntax tree."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

import muhasasa
from muhasasa import packs

SOURCE = Path(muhasasa.__file__).parent


#: house sizes up to this are ordinary numbers (a percentage, a provincial council of 15 seats, a 15-day
#: window); the test forbids the sizes no code would write for another reason
DISTINCT_SIZE = 100


@functools.cache
def _forbidden() -> dict[object, str]:
    """Each value a literal may not take, with what it is in which pack (every body)."""
    out: dict[object, str] = {}
    for name in packs.bundled():
        pack = packs.load(name)
        for community in (*pack.community_ids, *(m.id for m in pack.minorities)):
            out[community] = f"a community of pack {name}"
        for body in pack.bodies.values():
            sizes: list[object] = []
            for election in pack.body_record(body.id).elections:
                out[election.id] = f"an election of body {body.id} of pack {name}"
                sizes.append(election.house_size)
            if body.file("constitution.toml") is not None:
                sizes.extend(pack.constitution(body.id).house_sizes.values())
            for size in sizes:
                if isinstance(size, int) and size > DISTINCT_SIZE:
                    out[size] = f"a house size of body {body.id} of pack {name}"
    return out


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the Constant nodes that are docstrings."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(
                    first.value.value, str):
                out.add(id(first.value))
    return out


def literals(path: Path) -> list[tuple[int, object]]:
    """Every str and int constant of a module (bools and docstrings left out), with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skip = _docstrings(tree)
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and id(node) not in skip
            and isinstance(node.value, (str, int)) and not isinstance(node.value, bool)]


def modules() -> list[Path]:
    return sorted(p for p in SOURCE.rglob("*.py") if "packs" not in p.relative_to(SOURCE).parts)


def test_the_forbidden_values_are_read_from_the_packs():
    forbidden = _forbidden()
    assert "Shia Arab" in forbidden and "2021" in forbidden and 329 in forbidden
    assert "pc-2023" in forbidden and 128 in forbidden  # the provincial councils, Lebanon
    assert len(modules()) > 20


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(SOURCE)))
def test_no_pack_fact_is_a_literal_in_the_code(path: Path):
    forbidden = _forbidden()
    hits = [f"line {line}: {value!r} is {forbidden[value]}" for line, value in literals(path)
            if value in forbidden and not (isinstance(value, int) and isinstance(value, bool))]
    assert not hits, f"{path.relative_to(SOURCE)}: " + "; ".join(hits)


def test_the_finder_sees_a_literal():
    sample = SOURCE.parent / "sample_for_test.py"
    del sample
    tree_text = 'def f():\n    """Shia Arab in a docstring is fine."""\n    return {"Kurdish": 329}\n'
    tree = ast.parse(tree_text)
    skip = _docstrings(tree)
    found = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and id(n) not in skip]
    assert found == ["Kurdish", 329]
