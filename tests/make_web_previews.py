"""Draw the explorer's Open Graph preview images (run by hand, not by pytest).

One 1200×630 PNG per page kind and language, committed in
``src/muhasasa/web/static/og/<kind>-<lang>.png``: the top of that page (its title,
headline and first chart) in headless Chromium at 1200×630, reduced to 256 colours.
Pages name theirs in ``og:image`` / ``twitter:image``; ``tests/test_web_catalogue.py``
fetches each and checks it is a PNG of that size. Redraw after a visible change::

    PYTHONPATH=src python tests/make_web_previews.py
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).parent))
from web_server import serve

from muhasasa.web.render import PREVIEW_SIZE, PREVIEWS

OUT = Path(__file__).parents[1] / "src" / "muhasasa" / "web" / "static" / "og"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
#: The page each preview is drawn from.
SOURCES = {
    "home": "/",
    "elections": "/elections?election=2025",
    "law-lab": "/law-lab?election=2025&law=2018",
    "coalitions": "/coalitions?election=2021&blocs=2022-03-26-presidential-session&member=save-the-homeland",
    "formation": "/formation?cycle=2022&runs=40",
    "scenarios": "/scenarios?draws=100",
}


def main() -> None:
    assert set(SOURCES) == set(PREVIEWS.values())
    OUT.mkdir(parents=True, exist_ok=True)
    width, height = PREVIEW_SIZE
    with serve() as live, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        for kind, path in SOURCES.items():
            for lang in ("en", "ar"):
                page.goto(live(("/ar" if lang == "ar" else "") + path), wait_until="networkidle")
                shot = page.screenshot(clip={"x": 0, "y": 0, "width": width, "height": height})
                image = Image.open(io.BytesIO(shot)).convert("RGB").quantize(256)
                target = OUT / f"{kind}-{lang}.png"
                image.save(target, optimize=True)
                print(target, target.stat().st_size)
        browser.close()


if __name__ == "__main__":
    main()
