"""Shared fixtures: paths, the built website served on localhost, headless Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


#: Browser-side readiness checks shared by the site tests: MathJax has typeset the page,
#: and every explorer's widgets and visible frames have loaded.
MATHJAX_DONE = (
    "() => !window.MathJax || (MathJax.startup && MathJax.startup.promise"
    " && (MathJax.startup.promise.then(() => window.__mjDone = true), window.__mjDone))"
)

WIDGETS_DONE = """() => {
  const n = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length;
  if (document.querySelectorAll('.cell_output .widget-vbox, .cell_output .widget-hbox, '
                                + '.cell_output .widget-gridbox').length < Math.min(n, 1)) return false;
  return Array.from(document.querySelectorAll('img.widget-image'))
    .filter(i => i.offsetParent !== null).every(i => i.complete && i.naturalWidth > 0);
}"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass


@pytest.fixture(scope="session")
def site_url():
    """Serve _build/html on 127.0.0.1 for the duration of the session."""
    if not (SITE / "index.html").exists():
        pytest.fail("the book is not built: run `make book` (or `make test`) first")
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs Debian's chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()
