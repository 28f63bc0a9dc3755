"""The built website in real headless Chromium, with no kernel and no network.

Every page must load with no console error and no request leaving localhost;
math must be typeset; every explorer must render and every one of its
sliders must switch the figure in the browser alone. Every page stays within
the page-weight budget as the browser loads it (its HTML, with the explorers'
frames inside, plus its images) and the whole site within the site budget.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from conftest import ROOT, SITE

pytestmark = pytest.mark.site

SCREENSHOTS = ROOT / "_build" / "screenshots"

#: Largest weight of one page as loaded: HTML (explorer frames included) + images (issue 11).
#: Raised from 1.5 MB when every frame gained its spoken description (issue 20) and chapter 3's
#: field explorer its spin-only switch (issue 17): chapter 3 weighs 2.1 MB with every frame loaded.
PAGE_BUDGET = 2.2e6
#: Largest size of the whole built site on disk (issue 11).
SITE_BUDGET = 20e6


def site_pages():
    if not SITE.exists():
        return ["index.html"]  # the fixture reports the missing build
    pages = []
    for path in sorted(SITE.rglob("*.html")):
        rel = path.relative_to(SITE)
        if rel.parts[0] in ("_static", "_sources", "_images"):
            continue
        pages.append(rel.as_posix())
    return pages


CHAPTERS = [p for p in site_pages() if p.startswith("chapters/")]
WIDGET_PAGES = ["intro.html", *CHAPTERS]


class PageWatch:
    """Collects console errors, uncaught exceptions and blocked external requests."""

    def __init__(self, page):
        self.errors: list[str] = []
        self.external: list[str] = []
        self.loaded: dict[str, int] = {}      # bytes received per resource type
        page.on("console", self._console)
        page.on("requestfinished", self._finished)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.route("**/*", self._route)

    def _console(self, msg):
        if msg.type == "error":
            self.errors.append(f"console: {msg.text}")

    def _finished(self, request):
        if not request.url.startswith("http"):
            return                  # blob: and data: images come from the HTML itself
        kind = request.resource_type
        self.loaded[kind] = self.loaded.get(kind, 0) + request.sizes()["responseBodySize"]

    def page_weight(self) -> int:
        """Bytes of the page's HTML and images (scripts, styles and fonts are shared)."""
        return self.loaded.get("document", 0) + self.loaded.get("image", 0)

    def _route(self, route):
        url = urlparse(route.request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.hostname not in (
            "127.0.0.1",
            "localhost",
        ):
            self.external.append(route.request.url)
            route.abort()
        else:
            route.continue_()


def open_page(browser, site_url, rel, *, color_scheme="light"):
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  color_scheme=color_scheme)
    page = context.new_page()
    watch = PageWatch(page)
    page.goto(f"{site_url}/{rel}", wait_until="load")
    # MathJax typesets asynchronously; wait for it where it is loaded
    page.wait_for_function(
        "() => !window.MathJax || (MathJax.startup && MathJax.startup.promise"
        " && (MathJax.startup.promise.then(() => window.__mjDone = true), window.__mjDone))",
        timeout=30_000,
    )
    return context, page, watch


def widget_count(page):
    return page.evaluate(
        "() => document.querySelectorAll("
        "'script[type=\"application/vnd.jupyter.widget-view+json\"]').length"
    )


def wait_for_widgets(page):
    n = widget_count(page)
    if n:
        page.wait_for_function(
            "n => document.querySelectorAll('.jp-OutputArea-output .widget-vbox, "
            ".cell_output .widget-vbox').length >= n",
            arg=n,
            timeout=60_000,
        )
        page.wait_for_function(
            "() => Array.from(document.querySelectorAll('img.widget-image'))"
            ".filter(i => i.offsetParent !== null).every(i => i.complete && i.naturalWidth > 0)",
            timeout=60_000,
        )
    return n


VISIBLE_FRAMES_JS = """
() => Array.from(document.querySelectorAll('img.widget-image'))
      .filter(i => i.offsetParent !== null && i.getBoundingClientRect().width > 0)
      .map(i => i.src)
"""


@pytest.mark.parametrize("rel", site_pages())
def test_page_loads_clean_and_offline(browser, site_url, rel):
    context, page, watch = open_page(browser, site_url, rel)
    try:
        wait_for_widgets(page)
        page.wait_for_timeout(300)
        assert watch.external == [], f"requests leaving localhost from {rel}"
        assert watch.errors == [], f"console errors on {rel}"
        weight = watch.page_weight()
        assert 0 < weight <= PAGE_BUDGET, (
            f"{rel} weighs {weight / 1e6:.2f} MB as loaded (HTML + images); "
            f"budget {PAGE_BUDGET / 1e6:g} MB")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / (rel.replace("/", "_") + ".png")))
    finally:
        context.close()


@pytest.mark.parametrize("rel", [p for p in WIDGET_PAGES if p in site_pages()])
def test_math_is_typeset(browser, site_url, rel):
    context, page, watch = open_page(browser, site_url, rel)
    try:
        assert page.evaluate("() => typeof window.MathJax") == "object"
        n_math = page.evaluate("() => document.querySelectorAll('mjx-container').length")
        raw = page.evaluate(
            "() => Array.from(document.querySelectorAll('.math')).filter("
            "e => !e.querySelector('mjx-container')).length"
        )
        assert n_math > 0, f"no typeset formula on {rel}"
        assert raw == 0, f"{raw} formulas left untypeset on {rel}"
        assert watch.external == []
    finally:
        context.close()


@pytest.mark.parametrize("rel", [p for p in WIDGET_PAGES if p in site_pages()])
def test_every_slider_switches_the_figure_without_kernel(browser, site_url, rel):
    context, page, watch = open_page(browser, site_url, rel)
    try:
        n = wait_for_widgets(page)
        assert n > 0, f"{rel} has no explorer"
        handles = page.locator(".widget-slider .noUi-handle")
        n_sliders = handles.count()
        assert n_sliders > 0, f"{rel}: explorers without sliders"
        for i in range(n_sliders):
            handle = handles.nth(i)
            handle.scroll_into_view_if_needed()
            before = page.evaluate(VISIBLE_FRAMES_JS)
            readout_before = handle.get_attribute("aria-valuenow")
            handle.focus()
            key = "ArrowRight"
            if handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax"):
                key = "ArrowLeft"
            handle.press(key)
            page.wait_for_function(
                "([before, js]) => JSON.stringify(eval(js)()) !== JSON.stringify(before)",
                arg=[before, VISIBLE_FRAMES_JS],
                timeout=10_000,
            )
            after = page.evaluate(VISIBLE_FRAMES_JS)
            assert handle.get_attribute("aria-valuenow") != readout_before
            assert after != before, f"{rel}: slider {i} did not change the figure"
        assert watch.errors == [], f"console errors while moving sliders on {rel}"
        assert watch.external == []
    finally:
        context.close()


def test_dark_mode_figures_stay_readable(browser, site_url):
    """In the theme's dark mode the explorer frames keep their white background."""
    context, page, watch = open_page(browser, site_url, "intro.html", color_scheme="dark")
    try:
        page.evaluate("() => document.documentElement.setAttribute('data-theme', 'dark')")
        wait_for_widgets(page)
        colour = page.evaluate(
            """() => {
                const img = Array.from(document.querySelectorAll('img.widget-image'))
                    .find(i => i.offsetParent !== null);
                const c = document.createElement('canvas');
                c.width = img.naturalWidth; c.height = img.naturalHeight;
                const ctx = c.getContext('2d');
                ctx.drawImage(img, 0, 0);
                return Array.from(ctx.getImageData(2, 2, 1, 1).data);
            }"""
        )
        assert colour == [255, 255, 255, 255]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "intro_dark.png"))
        assert watch.errors == []
    finally:
        context.close()


def test_site_fits_its_budget():
    if not SITE.exists():
        pytest.fail("the book is not built: run `make book` (or `make test`) first")
    files = [p for p in SITE.rglob("*") if p.is_file()]
    total = sum(p.stat().st_size for p in files)
    biggest = sorted(files, key=lambda p: p.stat().st_size)[-5:]
    assert total <= SITE_BUDGET, (
        f"site is {total / 1e6:.1f} MB (budget {SITE_BUDGET / 1e6:g} MB); largest files: "
        + ", ".join(f"{p.relative_to(SITE)} {p.stat().st_size / 1e6:.1f} MB" for p in biggest))


FRAME_LAYERS_JS = """
grid => Array.from(grid.querySelectorAll('img.widget-image'))
        .filter(i => i.offsetParent !== null && i.getBoundingClientRect().width > 0)
        .map(i => new URL(i.src, document.baseURI).pathname)
"""


def _layer(path_in_site, size):
    from PIL import Image

    img = Image.open(SITE / path_in_site.lstrip("/")).convert("RGBA")
    return img.resize(size, Image.Resampling.LANCZOS)


@pytest.mark.parametrize("rel", [p for p in WIDGET_PAGES if p in site_pages()])
def test_explorer_frames_show_their_base_under_the_overlay(browser, site_url, rel):
    """What the reader sees is base + overlay: compare the screenshot of every explorer's
    picture with the two layers composited here (a see-through overlay that is painted
    opaque, or a missing base, loses the axes, labels and static curves)."""
    import io

    import numpy as np
    from PIL import Image

    context, page, watch = open_page(browser, site_url, rel)
    try:
        wait_for_widgets(page)
        grids = page.locator(".cell_output .widget-gridbox")
        assert grids.count() > 0, f"{rel}: no precomputed explorer"
        for i in range(grids.count()):
            grid = grids.nth(i)
            grid.scroll_into_view_if_needed()
            layers = grid.evaluate(FRAME_LAYERS_JS)
            assert len(layers) == 2, f"{rel}: explorer {i} shows {len(layers)} images, not 2"
            shot = Image.open(io.BytesIO(grid.screenshot())).convert("RGB")
            base, top = (_layer(p, shot.size) for p in layers)
            expected = Image.alpha_composite(base, top).convert("RGB")
            a = np.asarray(shot, dtype=float)
            b = np.asarray(expected, dtype=float)
            ink = lambda x: np.mean(x.min(axis=2) < 200)   # noqa: E731  (non-white pixels)
            assert ink(a) >= 0.8 * ink(b), f"{rel}: explorer {i} lost most of its drawing"
            assert np.mean(np.abs(a - b)) < 12, f"{rel}: explorer {i} differs from base+overlay"
    finally:
        context.close()


def full_page_weight(rel):
    """Bytes of a page with everything a reader can make it load: its HTML, its
    images and every precomputed explorer frame it refers to (the browser fetches
    a frame when a slider first shows it)."""
    import base64
    import json
    import re

    path = SITE / rel
    text = path.read_text(encoding="utf-8")
    files = {(path.parent / src).resolve()
             for src in re.findall(r'<img[^>]*\ssrc="([^":?#]+)', text)}
    for state in re.findall(r'<script type="application/vnd.jupyter.widget-state\+json">'
                            r'(.*?)</script>', text, re.S):
        for model in json.loads(state)["state"].values():
            if model.get("model_name") == "ImageModel" and model["state"].get("format") == "url":
                for buf in model.get("buffers", []):
                    url = base64.b64decode(buf["data"]).decode()
                    files.add((path.parent / url).resolve())
    missing = [f for f in files if not f.is_file()]
    assert not missing, f"{rel} refers to missing files: {missing[:3]}"
    return path.stat().st_size + sum(f.stat().st_size for f in files)


@pytest.mark.parametrize("rel", site_pages())
def test_page_with_every_frame_fits_the_budget(rel):
    weight = full_page_weight(rel)
    assert weight <= PAGE_BUDGET, (
        f"{rel} weighs {weight / 1e6:.2f} MB with all its images and explorer frames; "
        f"budget {PAGE_BUDGET / 1e6:g} MB")
