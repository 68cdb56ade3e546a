"""The shared machinery of the strict TOML loaders, on a small schema of its own."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from pydantic import Field, StrictInt, StrictStr

from muhasasa.errors import InputError, UnknownNameError
from muhasasa.tomlfiles import (
    ARRAY_TABLE,
    KEY_LINE,
    TABLE,
    KeyPath,
    Locator,
    StrictModel,
    field_name,
    owner,
    parse,
    read_bytes,
)


class _Item(StrictModel):
    name: StrictStr
    seats: Annotated[StrictInt, Field(ge=1)]
    kind: StrictStr = Field(default="list", alias="type")


class _File(StrictModel):
    title: StrictStr
    items: tuple[_Item, ...] = Field(min_length=1)


TEXT = """\
title = "Test"

[[items]]
name = "North"
seats = 3

[[items]]
name = "South"
seats = 2
"""


class _Lines(Locator):
    """The simplest locator: the line of a key of an ``[[items]]`` entry, by brute search."""

    def __init__(self, source: str, text: str, raw: dict[str, Any]) -> None:
        super().__init__(source, raw)
        self.lines = text.splitlines()

    def field(self, path: KeyPath) -> str:
        return field_name(self.raw, path, lambda item: item.get("name") if isinstance(item, dict) else None)

    def line(self, path: KeyPath) -> int | None:
        headers = [n for n, line in enumerate(self.lines, 1) if ARRAY_TABLE.match(line)]
        if len(path) < 3 or not isinstance(path[1], int) or path[1] >= len(headers):
            return None
        for number in range(headers[path[1]], len(self.lines) + 1):
            key = KEY_LINE.match(self.lines[number - 1])
            if key and key.group(1) == path[2]:
                return number
        return headers[path[1]]


def _locator(text: str) -> _Lines:
    text, raw = parse(text.encode(), "test.toml")
    return _Lines("test.toml", text, raw)


def test_header_and_key_patterns():
    assert TABLE.match("[general]  # comment").group(1) == "general"
    assert ARRAY_TABLE.match("[[decisions.readings]]").group(1) == "decisions.readings"
    assert TABLE.match("[[items]]") is None
    assert KEY_LINE.match('  "quoted key" = 1').group(1) == '"quoted key"'


def test_a_file_that_cannot_be_read_is_named(tmp_path):
    with pytest.raises(InputError, match="cannot read the test file") as caught:
        read_bytes(tmp_path / "absent.toml", "test")
    assert caught.value.source == str(tmp_path / "absent.toml")


def test_utf8_with_or_without_bom_and_nothing_else():
    assert parse("\ufefftitle = 'café'".encode(), "x.toml")[1] == {"title": "café"}
    with pytest.raises(InputError, match="not UTF-8 text"):
        parse("title = 'café'".encode("latin-1"), "x.toml")


def test_syntax_error_names_the_line_and_optionally_the_key():
    data = b'title = "x"\nseats = = 3\n'
    with pytest.raises(InputError) as caught:
        parse(data, "x.toml")
    assert (caught.value.line, caught.value.field) == (2, "seats")
    with pytest.raises(InputError) as caught:
        parse(data, "x.toml", name_key=False)
    assert (caught.value.line, caught.value.field) == (2, None)


def test_floats_are_refused_at_their_place():
    where = _locator(TEXT.replace("seats = 2", "seats = 2.5"))
    with pytest.raises(InputError) as caught:
        where.refuse_floats(lambda value, key: f"{key} = {value!r} is a float")
    error = caught.value
    assert (error.field, error.line, error.problem) == ("items[South].seats", 9, "seats = 2.5 is a float")


def test_validate_returns_the_model():
    model = _locator(TEXT).validate(_File)
    assert [item.name for item in model.items] == ["North", "South"]


def test_unknown_key_is_suggested_before_the_missing_one():
    where = _locator(TEXT.replace("seats = 2", "seets = 2"))
    with pytest.raises(InputError) as caught:
        where.validate(_File)
    error = caught.value
    assert error.field == "items[South].seets" and error.line == 9
    assert error.problem == (
        "unknown key 'seets'; did you mean 'seats'? (allowed here: name, seats, type)"
        " (and 1 more problem)"
    )


@pytest.mark.parametrize(
    ("old", "new", "field", "problem"),
    [
        ("seats = 2", "seats = 0", "items[South].seats", "must be at least 1, got 0"),
        ("seats = 2", 'seats = "2"', "items[South].seats", "must be a whole number, got '2'"),
        ("seats = 3", 'seats = 3\nkind = "x"', "items[North].kind", "(allowed here: name, seats, type)"),
        ('title = "Test"\n', "", "title", "missing required key 'title'"),
        (TEXT[TEXT.index("[[items]]") :], "items = 3\n", "items", "must be an array ([ ... ] or [[items]] tables)"),
    ],
)
def test_common_wording(old, new, field, problem):
    where = _locator(TEXT.replace(old, new, 1))
    with pytest.raises(InputError) as caught:
        where.validate(_File)
    assert caught.value.field == field and problem in caught.value.problem


def test_unknown_name_is_located():
    where = _locator(TEXT)
    error = where.unknown("governorate", "Nort", ["North", "South"], ("items", 0, "name"))
    assert isinstance(error, UnknownNameError)
    assert (error.field, error.line) == ("items[North].name", 4)
    assert "did you mean 'North'" in error.problem


def test_owner_follows_tuples_and_aliases():
    assert owner(_File, ("items", 1, "seets")) is _Item
    assert owner(_File, ("titel",)) is _File
