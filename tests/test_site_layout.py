"""The built website on narrow screens, and its Binder and download buttons.

Narrow screens: every page is opened in headless Chromium at a phone width
(390 px) and a tablet width (768 px). Nothing may stick out of the page
body (no sideways scroll of the page), nothing may be cut off by a box that
clips instead of scrolling, a display or inline formula wider than the text
column must scroll inside its own box, no raw TeX may show in the text, and
explorers must fit the screen (frames with their aspect ratio kept, boxes
that never scroll sideways). Screenshots go to
``_build/screenshots/narrow/`` (the top of each page, the first wide formula
and the first explorer). One browser context per width serves every page.

Binder and downloads: every notebook page's launch button opens that
notebook -- ``chapters/0N_*.ipynb`` in JupyterLab -- on the BinderHub and
repository named in ``_config.yml``, and its download menu offers the
``.ipynb``, which the site serves.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import yaml

from conftest import MATHJAX_DONE, ROOT, SITE, WIDGETS_DONE

pytestmark = pytest.mark.site

SHOTS = ROOT / "_build" / "screenshots" / "narrow"
WIDTHS = {"phone": (390, 844), "tablet": (768, 1024)}
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())


def site_pages():
    if not SITE.exists():
        return ["index.html"]  # the fixture reports the missing build
    return [p.relative_to(SITE).as_posix() for p in sorted(SITE.rglob("*.html"))
            if p.relative_to(SITE).parts[0] not in ("_static", "_sources", "_images")]


def notebook_pages():
    """Pages built from a notebook: (page, path of the notebook in the repository)."""
    pages = []
    for page in site_pages():
        nb = Path(page).with_suffix(".ipynb")
        if (ROOT / nb).exists():
            pages.append((page, nb.as_posix()))
    return pages


# ----------------------------------------------------------------- narrow screens


# Everything that is wrong with the layout of the page, as a list of strings.
LAYOUT_PROBLEMS = """() => {
  const W = window.innerWidth, tol = 1, out = [];
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\\s+/).slice(0, 3).join('.') : '');
  const where = e => { const s = e.closest('section[id], div.math, [id]'); return s ? ' in #' + s.id : ''; };
  const ovx = e => getComputedStyle(e).overflowX;
  const visible = e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.opacity !== '0'; };

  const doc = document.documentElement;
  if (doc.scrollWidth > W) out.push(`page body scrolls sideways: scrollWidth ${doc.scrollWidth} > ${W}`);

  // anything in the article that sticks out past the screen edge, unless a box
  // that scrolls (and itself fits) holds it; a box that clips hides it: cut off
  for (const e of document.querySelectorAll('.bd-article *, .bd-header-article *')) {
    if (!visible(e) || e.closest('mjx-container')) continue;  // formulas: checked below
    const r = e.getBoundingClientRect();
    if (r.right <= W + tol && r.left >= -tol) continue;
    let a = e.parentElement, verdict = 'sticks out of the page';
    for (; a && a !== document.body; a = a.parentElement) {
      const o = ovx(a);
      if (o === 'auto' || o === 'scroll') { verdict = a.getBoundingClientRect().right <= W + tol ? null : 'sticks out of the page'; break; }
      if (o === 'hidden' || o === 'clip') { verdict = 'cut off by ' + name(a); break; }
    }
    if (!verdict) continue;
    const p = e.parentElement.getBoundingClientRect();
    if (p.right > W + tol && verdict === 'sticks out of the page' && e.parentElement.closest('.bd-article')
        && ovx(e.parentElement) === 'visible') continue;  // report the outermost element only
    out.push(`${name(e)}${where(e)} ${verdict} (right edge ${Math.round(r.right)} px > ${W})`);
  }

  // formulas wider than their box must scroll in it
  for (const m of document.querySelectorAll('mjx-container')) {
    if (!visible(m)) continue;
    const box = m.getAttribute('display') === 'true' ? m : (m.closest('span.math') || m);
    if (box.scrollWidth > box.clientWidth + tol && !['auto', 'scroll'].includes(ovx(box)))
      out.push(`formula${where(m)} is ${box.scrollWidth} px wide in a ${box.clientWidth} px box that does not scroll`);
  }

  // explorer frames fit the screen and keep their aspect ratio
  for (const i of document.querySelectorAll('img.widget-image')) {
    if (!visible(i) || !i.naturalWidth) continue;
    const r = i.getBoundingClientRect();
    if (r.left < -tol || r.right > W + tol) out.push(`explorer frame${where(i)} spans ${Math.round(r.left)}..${Math.round(r.right)} px of ${W}`);
    const ratio = (r.width / r.height) / (i.naturalWidth / i.naturalHeight);
    if (Math.abs(ratio - 1) > 0.02) out.push(`explorer frame${where(i)} is distorted (aspect ratio x${ratio.toFixed(3)})`);
  }
  for (const w of document.querySelectorAll('.cell_output .jupyter-widgets')) {
    if (!visible(w)) continue;
    const r = w.getBoundingClientRect();
    if (r.right > W + tol) out.push(`explorer ${name(w)}${where(w)} is wider than the screen (right edge ${Math.round(r.right)})`);
    // ipywidgets boxes scroll (overflow: auto): an explorer that fits never needs to
    if (w.matches('.widget-box, .widget-gridbox') && w.scrollWidth > w.clientWidth + tol)
      out.push(`explorer box ${name(w)}${where(w)} scrolls sideways (${w.scrollWidth} px in ${w.clientWidth} px)`);
  }
  // TeX that MathJax never saw (e.g. a line of a formula that Markdown took
  // for a list item) shows up as raw backslash commands in the text
  const walker = document.createTreeWalker(document.querySelector('.bd-article') || document.body,
                                           NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    if (t.parentElement.closest('pre, code, mjx-container, .math, script, style, .highlight')) continue;
    const m = t.textContent.match(/\\\\(?:[A-Za-z]{2,}|[{}_^])/);
    if (m && visible(t.parentElement)) out.push(`raw TeX "${t.textContent.trim().slice(0, 60)}"${where(t.parentElement)}`);
  }
  return out;
}"""

# What a reader can unfold: solutions (sphinx-togglebutton) and folded code cells.
UNFOLD_ALL = """() => {
  const hidden = document.querySelectorAll('.bd-article .toggle-hidden');
  hidden.forEach(e => e.classList.remove('toggle-hidden'));  // what the toggle button does
  document.querySelectorAll('.bd-article details').forEach(d => d.open = true);
  return hidden.length;
}"""

FIRST_WIDE_FORMULA = """() => {
  const m = Array.from(document.querySelectorAll('mjx-container[display="true"]'))
    .find(m => m.scrollWidth > m.clientWidth + 1);
  if (!m) return false;
  m.scrollIntoView({block: 'center'});
  return true;
}"""


@pytest.fixture(scope="module", params=list(WIDTHS))
def narrow_page(request, browser, site_url):
    """One browser context and page per width, reused for every site page."""
    width, height = WIDTHS[request.param]
    context = browser.new_context(viewport={"width": width, "height": height},
                                  is_mobile=False, color_scheme="light")
    page = context.new_page()
    page.route("**/*", lambda route: route.abort()
               if urlparse(route.request.url).hostname not in ("127.0.0.1", "localhost", None)
               else route.continue_())
    yield request.param, page
    context.close()


@pytest.mark.parametrize("rel", site_pages())
def test_page_fits_a_narrow_screen(narrow_page, site_url, rel):
    label, page = narrow_page
    redirect = re.search(r'http-equiv="Refresh" content="0; url=([^"]+)"', (SITE / rel).read_text())
    if redirect:  # index.html only forwards to the landing page, which is checked itself
        page.goto(f"{site_url}/{rel}")
        page.wait_for_url(f"**/{redirect.group(1)}", timeout=10_000)
        return
    page.goto(f"{site_url}/{rel}", wait_until="load")
    page.wait_for_function(MATHJAX_DONE, timeout=30_000)
    page.wait_for_function(WIDGETS_DONE, timeout=60_000)
    page.evaluate("() => document.fonts.ready")
    problems = page.evaluate(LAYOUT_PROBLEMS)

    out = SHOTS / label
    out.mkdir(parents=True, exist_ok=True)
    stem = rel.replace("/", "_").removesuffix(".html")
    page.screenshot(path=str(out / f"{stem}.png"))
    if page.evaluate(FIRST_WIDE_FORMULA):
        page.screenshot(path=str(out / f"{stem}--wide-formula.png"))
    explorer = page.locator(".cell_output .widget-vbox, .cell_output .widget-gridbox").first
    if explorer.count():
        explorer.scroll_into_view_if_needed()
        explorer.screenshot(path=str(out / f"{stem}--explorer.png"))

    if rel.startswith("chapters/") or rel == "intro.html":
        # the launch and download buttons stay on screen at every width
        for button_name in ("Launch interactive content", "Download this page"):
            button = page.get_by_role("button", name=button_name)
            assert button.count() == 1, f"{rel}: no '{button_name}' button"
            box = button.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"], (
                f"{rel}: the '{button_name}' button is off screen"
            )
    # the same with every solution and folded code cell open
    page.evaluate(UNFOLD_ALL)
    page.wait_for_timeout(100)
    problems += [p + " (unfolded)" for p in page.evaluate(LAYOUT_PROBLEMS) if p not in problems]
    assert problems == [], f"{rel} at {page.viewport_size['width']} px:\n  " + "\n  ".join(problems)


# ----------------------------------------------------------------- Binder and downloads


class _Links(HTMLParser):
    """Every <a href> of a page with its text."""

    def __init__(self):
        super().__init__()
        self.links, self._open = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._open = [dict(attrs).get("href", ""), ""]

    def handle_data(self, data):
        if self._open is not None:
            self._open[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._open is not None:
            self.links.append((self._open[0], self._open[1].strip()))
            self._open = None


def page_links(rel):
    parser = _Links()
    parser.feed((SITE / rel).read_text())
    return parser.links


def expected_binder_url(notebook):
    repo = CONFIG["repository"]
    launch = CONFIG["launch_buttons"]
    url = urlparse(repo["url"])
    assert url.hostname == "github.com", "this test knows the GitHub form of Binder links"
    owner, name = url.path.strip("/").removesuffix(".git").split("/")[:2]
    book = repo.get("path_to_book", "").strip("/")
    path = f"{book}/{notebook}" if book else notebook
    return f"{launch['binderhub_url'].rstrip('/')}/v2/gh/{owner}/{name}/{repo['branch']}?urlpath=lab/tree/{path}"


def test_binder_settings_open_notebooks_in_jupyterlab():
    launch = CONFIG["launch_buttons"]
    assert launch["notebook_interface"] == "jupyterlab", "classic opens tree/..., a file listing"
    assert launch["binderhub_url"].startswith("https://")
    for spec in ("requirements.txt", "runtime.txt"):  # what Binder builds the environment from
        assert (ROOT / spec).exists(), spec
    assert re.fullmatch(r"python-3\.\d+\s*", (ROOT / "runtime.txt").read_text())


def test_every_chapter_is_a_notebook_page():
    chapters = [nb for _, nb in notebook_pages() if nb.startswith("chapters/")]
    assert chapters == sorted(p.relative_to(ROOT).as_posix()
                              for p in (ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
    assert len(chapters) == 5


@pytest.mark.parametrize("rel,notebook", notebook_pages())
def test_launch_button_opens_the_pages_notebook(rel, notebook):
    binder = [href for href, _ in page_links(rel)
              if href.startswith(CONFIG["launch_buttons"]["binderhub_url"])]
    assert binder == [expected_binder_url(notebook)], f"{rel}: Binder links {binder}"
    urlpath = parse_qs(urlparse(binder[0]).query)["urlpath"][0]
    assert urlpath.startswith("lab/tree/") and urlpath.endswith(".ipynb")
    assert (ROOT / urlpath.removeprefix("lab/tree/")).is_file(), f"{urlpath}: no such notebook"


@pytest.mark.parametrize("rel,notebook", notebook_pages())
def test_download_menu_offers_the_notebook(rel, notebook):
    downloads = [href for href, text in page_links(rel) if text == ".ipynb"]
    assert len(downloads) == 1, f"{rel}: .ipynb download links {downloads}"
    served = (SITE / rel).parent / downloads[0]
    assert served.resolve() == (SITE / "_sources" / notebook).resolve(), downloads[0]
    assert served.is_file(), f"{rel}: {downloads[0]} is not in the built site"
    assert json.loads(served.read_text()) == json.loads((ROOT / notebook).read_text()), (
        f"{served} differs from {notebook}"
    )
