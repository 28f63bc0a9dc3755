"""Round trip of every explorer in a real JupyterLab: key press on a slider to the new picture.

What a reader of a chapter in Binder or a local JupyterLab waits for: the
browser sends the slider move to the kernel, the kernel computes and draws the
frame, the new PNG comes back and is painted. Each chapter is opened in a
fresh JupyterLab (``tests/jupyterlab_session.py``: the book's own
environment, loopback, headless Debian Chromium), all cells are run, and then
for every explorer the handle of its first slider with more than one stop is
focused and moved ``--moves`` times with the arrow keys (turning at the ends;
the live sliders are the fine ones, so most stops lie between the static
ones). Each move is timed in the page from the keydown event to the new
picture decoded and one animation frame later (painted). Printed per
explorer: median and worst in ms against the target (median < 150 ms).

    .venv/bin/python benchmarks/bench_jupyterlab.py [chapter-filter] [--moves N]

Not a test: nothing is asserted.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from jupyterlab_session import (CHAPTERS, close_notebook, jupyterlab_server,  # noqa: E402
                                key_to_picture_ms, open_lab, run_notebook)

MEDIAN_TARGET_MS = 150.0

MARK_HANDLES_JS = """
(id) => Array.from(document.getElementById(id).querySelectorAll('.pairing-explorer'))
  .map((root, k) => {
    const title = (root.querySelector('.widget-html b') || {}).textContent || `explorer ${k + 1}`;
    const handles = Array.from(root.querySelectorAll('.noUi-handle'))
      .filter(h => Number(h.getAttribute('aria-valuemax')) > Number(h.getAttribute('aria-valuemin')));
    if (!handles.length) return {title, sel: null};
    handles[0].setAttribute('data-pairing-bench', `${id}-${k}`);
    return {title, sel: `[data-pairing-bench="${id}-${k}"]`,
            label: handles[0].getAttribute('aria-label'),
            stops: Number(handles[0].getAttribute('aria-valuemax')) + 1};
  })
"""


def time_explorer(page, sel: str, moves: int) -> list[float]:
    """Milliseconds of ``moves`` arrow-key moves of one slider handle."""
    times = []
    key = "ArrowRight"
    handle = page.locator(sel)
    handle.scroll_into_view_if_needed()
    for _ in range(moves):
        now = int(float(handle.get_attribute("aria-valuenow")))
        top = int(float(handle.get_attribute("aria-valuemax")))
        if key == "ArrowRight" and now >= top:
            key = "ArrowLeft"
        elif key == "ArrowLeft" and now <= 0:
            key = "ArrowRight"
        ms = key_to_picture_ms(page, sel, key)
        if ms is None:
            raise RuntimeError(f"{sel}: the picture did not change after {key}")
        times.append(ms)
        page.wait_for_timeout(60)           # the kernel is idle again: no queued work
    return times


def main(argv):
    from playwright.sync_api import sync_playwright

    from conftest import CHROMIUM, CHROMIUM_ARGS

    moves = 12
    if "--moves" in argv:
        i = argv.index("--moves")
        moves = int(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    pattern = argv[0] if argv else ""
    chapters = [nb.name for nb in CHAPTERS if pattern in nb.name]
    print(f"JupyterLab round trip: key press on a slider -> new picture on screen (ms), "
          f"{moves} moves per explorer; target median < {MEDIAN_TARGET_MS:g}")
    print(f"  {'chapter':18s} {'explorer':58s} {'stops':>5s} {'median':>7s} {'worst':>7s}  verdict")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            with jupyterlab_server() as url:
                context, page = open_lab(browser, url)
                try:
                    for name in chapters:
                        t0 = time.perf_counter()
                        panel = run_notebook(page, name)
                        page.wait_for_timeout(1500)          # widgets rendered
                        ran = time.perf_counter() - t0
                        for ex in page.evaluate(MARK_HANDLES_JS, panel):
                            if ex["sel"] is None:
                                continue
                            times = time_explorer(page, ex["sel"], moves)
                            med, worst = statistics.median(times), max(times)
                            verdict = "ok" if med < MEDIAN_TARGET_MS else "SLOW"
                            print(f"  {name[:18]:18s} {ex['title'][:58]:58s} {ex['stops']:5d} "
                                  f"{med:7.0f} {worst:7.0f}  {verdict}", flush=True)
                        print(f"  {name[:18]:18s} (opened and ran all cells in {ran:.0f} s)")
                        close_notebook(page, panel)
                finally:
                    context.close()
        finally:
            browser.close()


if __name__ == "__main__":
    main(sys.argv[1:])
