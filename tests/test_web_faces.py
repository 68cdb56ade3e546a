"""The explorer is a face: it imports nothing of muhasasa but the public package (and its
errors), and its two route modules do not import each other."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import muhasasa

WEB = Path(muhasasa.__file__).with_name("web")


def imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: inside muhasasa.web
                base = "muhasasa.web" + ("." + base if base else "")
            out.add(base)
            if base == "muhasasa.web":
                out |= {f"muhasasa.web.{a.name}" for a in node.names}
    return {m for m in out if m.split(".")[0] == "muhasasa"}


@pytest.mark.parametrize("path", sorted(WEB.glob("*.py")), ids=lambda p: p.name)
def test_the_web_imports_only_the_public_package(path):
    ours = {m for m in imported(path) if not m.startswith("muhasasa.web")}
    assert ours <= {"muhasasa", "muhasasa.errors"}, ours


def test_api_and_pages_do_not_import_each_other():
    assert not {"muhasasa.web.pages"} & imported(WEB / "api.py")
    assert not {"muhasasa.web.api"} & imported(WEB / "pages.py")


def test_one_converter_to_json():
    from muhasasa.web import views

    assert views.plain is muhasasa.to_plain
