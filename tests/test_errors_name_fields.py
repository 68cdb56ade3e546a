"""Library errors carry content; the faces decide how to show it: no message outside the
CLI names a command-line flag (the CLI maps each error's field to its option)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import muhasasa

FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]+")
SOURCE = Path(muhasasa.__file__).parent


def _docstrings(tree: ast.AST) -> set[int]:
    kinds = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, kinds) and node.body and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)}


def flagged_strings() -> list[str]:
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        if path.name == "cli.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
                    and FLAG.search(node.value)):
                found.append(f"{path.relative_to(SOURCE)}:{node.lineno}: {node.value[:60]!r}")
    return found


def test_no_library_string_names_a_command_line_flag():
    assert flagged_strings() == []


def test_the_check_finds_a_flag():
    assert FLAG.search("run without --formation") and not FLAG.search("a -- b") and not FLAG.search("x--y")
