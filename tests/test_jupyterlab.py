"""The chapters in a real JupyterLab (what Binder and a local install show), in headless Chromium.

One JupyterLab server from the book's own environment (loopback, no token,
a fresh workspace, stopped at the end) serves a copy of the chapters; each
chapter is opened, all its cells are run, and then:

* no cell has an error output;
* the MyST of the markdown cells is rendered (jupyterlab-myst): no directive
  or role is left as raw text ("{eq}`", "```{", ":class:", ...);
* every solution is collapsed until its summary is clicked, and opens then;
* the first slider of the chapter's first explorer has an accessible name,
  moves with the keyboard alone (focus, ArrowRight) and changes the picture;
  the frame's description (the live region) changes with it and is the
  picture's alt text.
"""

from __future__ import annotations

import json
import re

import pytest

from jupyterlab_session import (CHAPTERS, close_notebook, jupyterlab_server, notebook_json,
                                open_lab, run_notebook)

pytestmark = pytest.mark.jupyterlab

#: Raw MyST that must not be visible in a rendered markdown cell.
RAW_MYST = ("{eq}`", "{cite}`", "{ref}`", "{doc}`", "{numref}`", "```{", ":::{",
            ":filter:", ":class:", ":label:")
ROLE = re.compile(r"\{[a-z][a-z:-]*\}`")


@pytest.fixture(scope="module")
def lab(browser):
    with jupyterlab_server() as url:
        context, page = open_lab(browser, url)
        errors = []
        page.on("pageerror", lambda err: errors.append(str(err)))
        try:
            yield page, errors
        finally:
            context.close()


def _solutions_in_source(name: str) -> int:
    nb = json.loads((CHAPTERS[0].parent / name).read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    return len(re.findall(r"^\s*[`:]{3,}\{solution\}", text, re.M))


RENDERED_JS = """
(id) => {
  const nb = document.getElementById(id);
  const cells = Array.from(nb.querySelectorAll('.jp-MarkdownCell'));
  return cells.map(c => {
    // jupyterlab-myst renders into div.myst (JupyterLab's own renderer: .jp-RenderedMarkdown)
    const out = c.querySelector('.jp-InputArea > .myst, .jp-RenderedMarkdown');
    let text = '';
    if (out) {   // what a reader sees, hidden parts included; not the TeX kept for MathML
      const copy = out.cloneNode(true);
      copy.querySelectorAll('annotation, .katex-mathml').forEach(e => e.remove());
      text = copy.textContent;
    }
    return {rendered: !!out && c.classList.contains('jp-mod-rendered'), text};
  });
}
"""

SOLUTIONS_JS = """
(id) => Array.from(document.getElementById(id).querySelectorAll('.jp-MarkdownCell details'))
  .map((d, i) => ({i, open: d.open, summary: (d.querySelector('summary') || {}).textContent || '',
                   hidden: d.querySelector('summary') ?
                     Array.from(d.children).filter(e => e.tagName !== 'SUMMARY')
                       .every(e => !e.checkVisibility()) : false}))
  .filter(d => /solution/i.test(d.summary))
"""

EXPLORER_JS = """
(id) => {
  const root = document.getElementById(id).querySelector('.pairing-explorer');
  if (!root) return null;
  const handle = root.querySelector('.noUi-handle');
  handle.setAttribute('data-pairing-test', id);
  const img = root.querySelector('.pairing-picture img');
  const caption = root.querySelector('.pairing-describe');
  return {label: handle.getAttribute('aria-label'), role: handle.getAttribute('role'),
          tabindex: handle.getAttribute('tabindex'),
          now: handle.getAttribute('aria-valuenow'), max: handle.getAttribute('aria-valuemax'),
          src: img.src, alt: img.getAttribute('alt'),
          live: caption && caption.getAttribute('aria-live'),
          caption: caption ? caption.textContent.trim() : null};
}
"""


@pytest.mark.parametrize("name", [nb.name for nb in CHAPTERS])
def test_chapter_runs_and_reads_as_on_the_website(lab, name):
    page, page_errors = lab
    panel = run_notebook(page, name)
    try:
        # 1. no error output
        nb = notebook_json(page, panel)
        errors = [(i, o.get("ename"), o.get("evalue"))
                  for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"
                  for o in c.get("outputs", []) if o.get("output_type") == "error"]
        assert errors == [], f"{name}: error outputs {errors}"

        # 2. MyST rendered in every markdown cell
        cells = page.evaluate(RENDERED_JS, panel)
        assert cells and all(c["rendered"] for c in cells), \
            f"{name}: markdown cells not rendered: {[i for i, c in enumerate(cells) if not c['rendered']]}"
        raw = [(i, needle) for i, c in enumerate(cells) for needle in RAW_MYST
               if needle in c["text"]]
        raw += [(i, m.group(0)) for i, c in enumerate(cells) for m in ROLE.finditer(c["text"])]
        assert raw == [], f"{name}: raw MyST in rendered markdown cells: {sorted(set(raw))[:10]}"

        # 3. solutions collapsed until clicked
        solutions = page.evaluate(SOLUTIONS_JS, panel)
        assert len(solutions) == _solutions_in_source(name) > 0, \
            f"{name}: {len(solutions)} rendered solutions"
        assert all(not s["open"] and s["hidden"] for s in solutions), \
            f"{name}: solutions shown before they are clicked: {solutions}"
        summaries = page.locator(f'[id="{panel}"] .jp-MarkdownCell details > summary')
        for k in range(summaries.count()):
            if re.search("solution", summaries.nth(k).text_content() or "", re.I):
                summaries.nth(k).scroll_into_view_if_needed()
                summaries.nth(k).click()
        opened = page.evaluate(SOLUTIONS_JS, panel)
        assert all(s["open"] and not s["hidden"] for s in opened), \
            f"{name}: a solution did not open when clicked"

        # 4. the first explorer's first slider, by keyboard alone
        page.wait_for_function(
            "(id) => { const r = document.getElementById(id).querySelector('.pairing-explorer');"
            " if (!r) return false; const i = r.querySelector('.pairing-picture img');"
            " const h = r.querySelector('.noUi-handle');"
            " return i && i.complete && i.naturalWidth > 0 && h && h.getAttribute('aria-label'); }",
            arg=panel, timeout=30_000)
        before = page.evaluate(EXPLORER_JS, panel)
        assert before["role"] == "slider" and before["tabindex"] == "0", before
        assert before["label"], f"{name}: the slider has no accessible name"
        assert before["live"] == "polite", f"{name}: the frame description is not a live region"
        assert before["caption"] and before["alt"] == before["caption"], before
        handle = page.locator(f'[data-pairing-test="{panel}"]')
        handle.scroll_into_view_if_needed()
        handle.focus()
        key = "ArrowLeft" if before["now"] == before["max"] else "ArrowRight"
        handle.press(key)
        page.wait_for_function(
            "([id, src]) => { const r = document.getElementById(id).querySelector('.pairing-explorer');"
            " const i = r.querySelector('.pairing-picture img');"
            " return i.src !== src && i.complete && i.naturalWidth > 0; }",
            arg=[panel, before["src"]], timeout=15_000)
        page.wait_for_function(
            "([id, text]) => { const r = document.getElementById(id).querySelector('.pairing-explorer');"
            " const c = r.querySelector('.pairing-describe').textContent.trim();"
            " return c !== text && r.querySelector('.pairing-picture img').alt === c; }",
            arg=[panel, before["caption"]], timeout=15_000)
        after = page.evaluate(EXPLORER_JS, panel)
        assert after["now"] != before["now"], f"{name}: the handle did not move"
        assert after["src"] != before["src"], f"{name}: the picture did not change"
        assert page_errors == [], f"{name}: errors in the page: {page_errors[:3]}"
    finally:
        close_notebook(page, panel)
