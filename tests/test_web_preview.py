"""Open Graph and Twitter cards: every page names a preview image, and it is there.

For every page kind in both languages (and the pages without their own preview: the API
docs and an error), ``og:image`` and ``twitter:image`` name the same absolute URL on this
server, and fetching it gives a PNG (its signature and ``IHDR`` chunk read here) of the
size the tags declare, 1200×630, drawn from that page kind in that language.
"""

from __future__ import annotations

import re
import struct
from urllib.parse import urlsplit

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient

from muhasasa.web.app import create_app
from muhasasa.web.render import PREVIEW_SIZE

PAGES = {
    "home": "/",
    "elections": "/elections?election=2018",
    "law-lab": "/law-lab?election=2025&law=2018",
    "coalitions": "/coalitions?election=2021&blocs=2022-03-26-presidential-session&member=save-the-homeland",
    "formation": "/formation?cycle=2022&runs=20",
    "scenarios": "/scenarios?draws=50",
    "api-docs": "/api-docs",
    "error": "/elections?election=1999",
}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as c:
        yield c


def _meta(html: str, attribute: str, name: str) -> str:
    found = re.findall(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', html)
    assert len(found) == 1, (name, found)
    return found[0]


def png_size(data: bytes) -> tuple[int, int]:
    """The width and height of a PNG, from its first chunk (which must be ``IHDR``).

    >>> png_size(PNG_SIGNATURE + struct.pack(">I4sII", 13, b"IHDR", 3, 2) + bytes(9))
    (3, 2)
    """
    assert data[:8] == PNG_SIGNATURE, "not a PNG"
    length, kind, width, height = struct.unpack(">I4sII", data[8:24])
    assert kind == b"IHDR" and length == 13
    return width, height


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_has_a_preview_image_that_is_a_png_of_its_size(client, page, lang):
    response = client.get(("/ar" if lang == "ar" else "") + PAGES[page])
    assert response.status_code == (404 if page == "error" else 200)
    html = response.text
    og, twitter = _meta(html, "property", "og:image"), _meta(html, "name", "twitter:image")
    assert og == twitter and og.startswith("http://testserver/static/og/")
    assert og.endswith(f"-{lang}.png")
    kind = page if page not in ("api-docs", "error") else "home"
    assert urlsplit(og).path == f"/static/og/{kind}-{lang}.png"
    declared = (int(_meta(html, "property", "og:image:width")), int(_meta(html, "property", "og:image:height")))
    assert declared == PREVIEW_SIZE == (1200, 630)
    image = client.get(urlsplit(og).path)
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert png_size(image.content) == PREVIEW_SIZE
    assert len(image.content) > 10_000  # a drawing, not a blank
    assert _meta(html, "name", "twitter:card") == "summary_large_image"


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("page", [p for p in PAGES if p not in ("home", "api-docs", "error")])
def test_every_chart_has_its_data_table_as_a_text_alternative(client, page, lang):
    html = client.get(("/ar" if lang == "ar" else "") + PAGES[page] + ("&player=" if page == "scenarios" else "")).text
    figures = re.findall(r'<figure class="chart"([^>]*)>', html)
    assert figures, page
    for attributes in figures:
        found = re.search(r'data-table="([\w-]+)" aria-details="\1"', attributes)
        assert found, (page, attributes)
        table = re.search(rf'<table[^>]* id="{found.group(1)}"[^>]*>(.*?)</table>', html, re.DOTALL)
        assert table and table.group(1).count("<tr") >= 2, (page, found.group(1))  # a header and data
        assert f'href="#{found.group(1)}"' in html
