"""Accessibility of the built website (WCAG 2.1 AA; issue 20), in headless Chromium.

* **axe-core** (npm package ``axe-core``, pinned in ``package.json``; injected from
  ``node_modules``, never a CDN) runs on every page of the site with the rules
  tagged wcag2a, wcag2aa, wcag21a and wcag21aa, in the theme's light and dark
  mode and at desktop (1280 px) and phone (390 px) widths. One browser context per
  width serves every page: the page opens in light mode (``localStorage`` "mode" and
  "theme", which the theme's inline script reads before the first paint) and is then
  switched to dark mode with the theme's own colour-mode button.
  A failure lists every violation: rule, impact, number of elements, a CSS
  selector of the first ones, the page, the mode and the width; violations
  inside the explorers (``pairing_lib.widgets``) are listed separately.
* **Images**: every ``<img>`` of every page -- notebook figures, explorer frames
  (rendered by the widget manager, so checked in the browser) -- has alt text
  that says something: not empty, not matplotlib's ``<Figure size ...>``, not a
  file name; an explorer frame's alt text changes when a slider moves.
* **Keyboard**: Tab walks through the page in document order (no positive
  tabindex), starting with the skip link, and every stop shows a focus
  indicator (an outline of at least 2 px, or a box shadow) whose colour has at
  least 3:1 contrast with the page, in both modes; solutions, dropdowns and
  folded code cells open with the keyboard.
* **Math**: every typeset formula carries MathJax's assistive MathML (read by
  screen readers in place of the visual glyphs, which are ``aria-hidden``).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import MATHJAX_DONE, ROOT, SITE, WIDGETS_DONE

pytestmark = pytest.mark.site

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MODES = ("light", "dark")
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}

#: Elements of the explorers (pairing_lib.widgets): reported in a separate list.
WIDGET_SELECTORS = ("widget-image", "noUi-", "widget-slider", "jupyter-widgets", "widget-")


def site_pages():
    if not SITE.exists():
        return ["index.html"]  # the fixture reports the missing build
    return [p.relative_to(SITE).as_posix() for p in sorted(SITE.rglob("*.html"))
            if p.relative_to(SITE).parts[0] not in ("_static", "_sources", "_images")]


PAGES = site_pages()
CHAPTERS = [p for p in PAGES if p.startswith("chapters/")]
WIDGET_PAGES = [p for p in ["intro.html", *CHAPTERS] if p in PAGES]
REDIRECT = re.compile(r'<meta http-equiv="Refresh" content="0; url=([^"]+)"', re.I)


def redirect_target(rel):
    """The page a redirect page (``index.html``) sends the reader to, or None."""
    path = SITE / rel
    m = REDIRECT.search(path.read_text(encoding="utf-8")) if path.is_file() else None
    return m[1] if m else None


# ----------------------------------------------------------------- page loading



def new_context(browser, mode, width):
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h}, color_scheme=mode)
    # the theme's own switch: its inline script reads localStorage before the first paint
    context.add_init_script(
        f"try {{ localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}'); }}"
        " catch (e) {}")
    context.route("**/*", lambda route: route.abort()
                  if urlparse(route.request.url).hostname not in ("127.0.0.1", "localhost", None)
                  else route.continue_())
    return context


def load(page, site_url, rel, mode=None):
    """Open a page and wait until MathJax, the explorers and the theme are done."""
    page.goto(f"{site_url}/{rel}", wait_until="load")
    page.wait_for_function(MATHJAX_DONE, timeout=30_000)
    page.wait_for_function(WIDGETS_DONE, timeout=60_000)
    if mode is not None:
        theme = page.evaluate("() => document.documentElement.dataset.theme")
        assert theme == mode, f"{rel}: the page is in {theme} mode, not {mode}"
    # the theme makes scroll boxes focusable 300 ms after the last DOM change
    page.wait_for_timeout(400)


@pytest.fixture(scope="module", params=list(WIDTHS))
def width_page(request, browser, site_url):
    """One browser context (and page) per width, for every site page; each page opens in
    light mode and is then switched to dark mode with the theme's own button."""
    context = new_context(browser, "light", request.param)
    page = context.new_page()
    yield request.param, page
    context.close()


SWITCH_MODE = """async mode => {
  // the theme's colour-mode button cycles auto -> light/dark -> ...; click it (its own
  // handler sets data-mode/data-theme and localStorage) until the page is in `mode`
  const button = document.querySelector('.theme-switch-button');
  for (let i = 0; i < 3 && document.documentElement.dataset.mode !== mode; i++) button.click();
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  // colours fade over a CSS transition: measure contrast once it has ended
  await Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)));
  return [document.documentElement.dataset.mode, document.documentElement.dataset.theme];
}"""


# ----------------------------------------------------------------- axe-core

AXE_RUN = """async tags => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                     resultTypes: ['violations']});
  return r.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200)}))}));
}"""


def is_widget_node(node):
    return any(s in node["html"] or s in node["target"] for s in WIDGET_SELECTORS)


def short(selector, keep=90):
    """The end of a long CSS selector (the element itself and its nearest ancestors)."""
    return selector if len(selector) <= keep else "... " + selector[-keep:]


def format_violations(violations, rel, mode, width):
    lines = []
    for v in violations:
        targets = "; ".join(short(n["target"]) for n in v["nodes"][:3])
        more = f" (+{len(v['nodes']) - 3} more)" if len(v["nodes"]) > 3 else ""
        lines.append(f"  {v['id']} ({v['impact']}) x{len(v['nodes'])}: {v['help']}\n"
                     f"      e.g. {targets}{more}  [{rel}, {mode} mode, {width}]")
    return "\n".join(lines)


def run_axe(page):
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN, AXE_TAGS)


def serve_without_redirect(page, site_url, rel):
    """A redirect page is checked as itself: served once with its refresh switched off."""
    text = (SITE / rel).read_text(encoding="utf-8")
    body = REDIRECT.sub('<meta name="pairing-redirect-under-test" content=""', text)
    page.route(f"{site_url}/{rel}", lambda route: route.fulfill(
        status=200, content_type="text/html; charset=utf-8", body=body))


def split_widget_nodes(violations):
    """(violations of the book's own markup, violations inside the explorers)."""
    book, explorers = [], []
    for v in violations:
        w = [n for n in v["nodes"] if is_widget_node(n)]
        o = [n for n in v["nodes"] if not is_widget_node(n)]
        if o:
            book.append({**v, "nodes": o})
        if w:
            explorers.append({**v, "nodes": w})
    return book, explorers


@pytest.mark.parametrize("rel", PAGES)
def test_axe_finds_no_violation(width_page, site_url, rel):
    """axe-core on the page in light mode, then in dark mode, at this width."""
    width, page = width_page
    assert AXE.is_file(), f"{AXE} missing: run `npm ci` (make assets does)"
    results = {}
    if redirect_target(rel):
        serve_without_redirect(page, site_url, rel)
        try:
            page.goto(f"{site_url}/{rel}", wait_until="load")
            results["(no theme)"] = run_axe(page)
        finally:
            page.unroute(f"{site_url}/{rel}")
    else:
        load(page, site_url, rel, "light")
        results["light"] = run_axe(page)
        assert page.evaluate(SWITCH_MODE, "dark") == ["dark", "dark"], \
            f"{rel}: the theme's button does not switch to dark mode"
        results["dark"] = run_axe(page)
    book, explorers = [], []
    for mode, violations in results.items():
        b, e = split_widget_nodes(violations)
        if b:
            book.append(format_violations(b, rel, mode, width))
        if e:
            explorers.append(format_violations(e, rel, mode, width))
    message = []
    if book:
        message.append("axe-core violations in the book's pages (theme, templates, _ext, CSS):\n"
                       + "\n".join(book))
    if explorers:
        message.append("axe-core violations in the explorers (pairing_lib.widgets):\n"
                       + "\n".join(explorers))
    assert not message, "\n".join(message)


def test_redirect_page_leads_to_the_first_page(browser, site_url):
    if "index.html" not in PAGES or not redirect_target("index.html"):
        pytest.skip("index.html is not a redirect page")
    context = new_context(browser, "light", "desktop")
    try:
        page = context.new_page()
        page.goto(f"{site_url}/index.html", wait_until="load")
        page.wait_for_url(f"{site_url}/{redirect_target('index.html')}", timeout=10_000)
    finally:
        context.close()


# ----------------------------------------------------------------- images

def trivial_alt(alt, src):
    """Why an alt text says nothing (None if it is fine)."""
    text = " ".join((alt or "").split())
    name = Path(urlparse(src or "").path).name
    if not text:
        return "no alt text"
    if re.match(r"<?Figure size \d", text) or text.startswith("<matplotlib"):
        return f"matplotlib's repr as alt text: {text!r}"
    if name and (text == name or text == Path(name).stem):
        return f"the file name as alt text: {text!r}"
    if re.fullmatch(r"[\w.\-/]+\.(png|jpe?g|svg|webp|gif)", text, re.I):
        return f"a file name as alt text: {text!r}"
    if len(text) < 8 or " " not in text:
        return f"too short to describe anything: {text!r}"
    return None


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


@pytest.mark.parametrize("rel", PAGES)
def test_every_image_in_the_html_has_alt_text(rel):
    """Notebook figures and every <img> written into the pages themselves."""
    parser = _Images()
    parser.feed((SITE / rel).read_text(encoding="utf-8"))
    bad = [f"{img.get('src', '?')}: {why}" for img in parser.images
           if (why := trivial_alt(img.get("alt"), img.get("src")))]
    assert not bad, (f"images without a real text alternative on {rel} (a notebook figure "
                     "takes its alt text from its cell's metadata mystnb.image.alt):\n  "
                     + "\n  ".join(bad))


# An explorer's picture stacks a base image and the current frame's overlay: the overlay
# carries the frame's description, the base under it is the same picture and is marked
# decorative (alt=""), which is right as long as its picture has a described image.
RENDERED_IMAGES = """() => Array.from(document.querySelectorAll('img')).map(i => {
  const pic = i.closest('.pairing-picture');
  const described = pic && Array.from(pic.querySelectorAll('img')).some(
      o => o !== i && (o.getAttribute('alt') || '').trim().length > 0);
  return {src: i.getAttribute('src') || '', alt: i.getAttribute('alt'),
          widget: i.classList.contains('widget-image'), shown: i.offsetParent !== null,
          decorative: i.getAttribute('alt') === '' && !!described};
})"""


@pytest.fixture(scope="module")
def light_page(browser):
    context = new_context(browser, "light", "desktop")
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("rel", WIDGET_PAGES)
def test_every_rendered_image_has_alt_text(light_page, site_url, rel):
    """Explorer frames are drawn by the widget manager: checked in the browser, and a
    frame's alt text follows its slider."""
    page = light_page
    load(page, site_url, rel)
    images = page.evaluate(RENDERED_IMAGES)
    bad = [f"{'explorer frame' if i['widget'] else 'image'} {i['src'][:60]}: {why}"
           for i in images
           if not i["decorative"] and (why := trivial_alt(i["alt"], i["src"]))]
    assert any(i["widget"] and not i["decorative"] for i in images) or not any(
        i["widget"] for i in images), f"{rel}: no explorer frame is described"
    assert not bad, (f"{len(bad)} of {len(images)} images on {rel} have no real text "
                     "alternative (explorer frames: pairing_lib.widgets):\n  "
                     + "\n  ".join(bad[:12]))
    handle = page.locator(".widget-slider .noUi-handle").first
    if not handle.count():
        return
    box = handle.locator("xpath=ancestor::*[contains(@class, 'widget-vbox')][1]")
    alts = "el => Array.from(el.querySelectorAll('img.widget-image'))" \
           ".filter(i => i.offsetParent !== null).map(i => i.alt)"
    before = box.evaluate(alts)
    handle.focus()
    key = "ArrowLeft" if handle.get_attribute("aria-valuenow") == handle.get_attribute(
        "aria-valuemax") else "ArrowRight"
    handle.press(key)
    page.wait_for_function(
        "([el, before]) => JSON.stringify(Array.from(el.querySelectorAll('img.widget-image'))"
        ".filter(i => i.offsetParent !== null).map(i => i.alt)) !== JSON.stringify(before)",
        arg=[box.element_handle(), before], timeout=10_000)


# ----------------------------------------------------------------- math

MATH_STATE = """() => {
  const all = Array.from(document.querySelectorAll('mjx-container'));
  const without = all.filter(m => !(m.querySelector('mjx-assistive-mml math')
                                    || m.getAttribute('aria-label')
                                    || m.hasAttribute('data-semantic-speech')));
  const visualNotHidden = all.filter(m => m.querySelector('mjx-assistive-mml')
      && m.querySelector(':scope > mjx-math') && m.querySelector(':scope > mjx-math')
         .getAttribute('aria-hidden') !== 'true');
  return {n: all.length, tex: document.querySelectorAll('.math, .MathJax_Preview').length,
          without: without.slice(0, 5).map(m => m.textContent.slice(0, 40)),
          nWithout: without.length, visualNotHidden: visualNotHidden.length};
}"""


@pytest.mark.parametrize("rel", [p for p in PAGES if not redirect_target(p)])
def test_math_has_assistive_mathml(light_page, site_url, rel):
    page = light_page
    load(page, site_url, rel)
    state = page.evaluate(MATH_STATE)
    if state["n"] == 0:
        assert state["tex"] == 0, f"{rel}: formulas that MathJax did not typeset"
        return
    assert state["nWithout"] == 0, (
        f"{rel}: {state['nWithout']} of {state['n']} formulas carry no assistive MathML or "
        f"speech, e.g. {state['without']}")
    assert state["visualNotHidden"] == 0, (
        f"{rel}: the visual glyphs of {state['visualNotHidden']} formulas are not aria-hidden "
        "(a screen reader would read them twice)")


# ----------------------------------------------------------------- keyboard

#: Pages whose Tab order is walked: one of each kind.
KEYBOARD_PAGES = [p for p in ["intro.html", "chapters/01_clogston.html", "bibliography.html",
                              "api/clogston.html", "instructors.html"] if p in PAGES]
#: Tab stops walked per page (the full walk of a chapter passes hundreds of links and
#: formulas; every kind of control appears in the first ones or is checked below).
TAB_STOPS = 60

FOCUS_STATE = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const rgb = c => (c.match(/[\\d.]+/g) || []).slice(0, 4).map(Number);
  const lum = ([r, g, b]) => { const f = v => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
                               return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const bg = rgb(getComputedStyle(document.body).backgroundColor);
  const page = bg.length === 4 && bg[3] === 0 ? rgb(getComputedStyle(document.documentElement).backgroundColor) : bg;
  // the ring of the element, or of a part of it drawn for it (a summary's chevron)
  let ring = null;
  for (const x of [e, ...Array.from(e.querySelectorAll('*')).slice(0, 20)]) {
    const t = getComputedStyle(x);
    if (t.outlineStyle !== 'none' && parseFloat(t.outlineWidth) >= 2) { ring = rgb(t.outlineColor); break; }
    if (x === e && t.boxShadow && t.boxShadow !== 'none') { ring = rgb(t.boxShadow); break; }
  }
  let contrast = null;
  if (ring && page.length >= 3) {
    const [a, b] = [lum(ring), lum(page)].sort((x, y) => y - x);
    contrast = (a + 0.05) / (b + 0.05);
  }
  const r = e.getBoundingClientRect();
  return {tag: e.tagName.toLowerCase(), cls: (typeof e.className === 'string' ? e.className : '').slice(0, 60),
          text: (e.innerText || e.getAttribute('aria-label') || '').trim().slice(0, 40),
          ring: !!ring, contrast, visible: r.width > 0 && r.height > 0, id: e.dataset.pairingTab};
}"""

NUMBER_TABBABLES = """() => {
  let i = 0;
  for (const e of document.querySelectorAll('*')) e.dataset.pairingTab = i++;
  return Array.from(document.querySelectorAll('[tabindex]'))
    .filter(e => parseInt(e.getAttribute('tabindex'), 10) > 0).map(e => e.outerHTML.slice(0, 80));
}"""


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("rel", KEYBOARD_PAGES)
def test_tab_order_and_focus_indicator(browser, site_url, rel, mode):
    context = new_context(browser, mode, "desktop")
    try:
        page = context.new_page()
        load(page, site_url, rel, mode)
        positive = page.evaluate(NUMBER_TABBABLES)
        assert not positive, f"{rel}: positive tabindex breaks the reading order: {positive}"
        page.evaluate("() => { document.activeElement && document.activeElement.blur(); "
                      "window.scrollTo(0, 0); }")
        stops, problems = [], []
        for _ in range(TAB_STOPS):
            page.keyboard.press("Tab")
            state = page.evaluate(FOCUS_STATE)
            if state is None:
                break
            if stops and state["id"] == stops[0]["id"]:
                break                                   # wrapped around
            stops.append(state)
            what = f"<{state['tag']} class='{state['cls']}'> {state['text']!r}"
            if not state["ring"]:
                problems.append(f"no visible focus indicator on {what}")
            elif state["contrast"] is not None and state["contrast"] < 3:
                problems.append(f"focus indicator of {what} has contrast "
                                f"{state['contrast']:.2f} < 3 with the page")
        assert stops, f"{rel}: Tab reaches nothing"
        assert "skip" in stops[0]["cls"] + stops[0]["text"].lower(), (
            f"{rel}: the first Tab stop is {stops[0]}, not the skip link")
        order = [int(s["id"]) for s in stops if s["visible"]]
        backwards = [(stops[i]["text"], stops[i + 1]["text"])
                     for i in range(len(order) - 1) if order[i + 1] < order[i]]
        assert not backwards, f"{rel} ({mode}): Tab goes backwards in the document: {backwards[:5]}"
        assert not problems, f"{rel} ({mode} mode):\n  " + "\n  ".join(problems[:15])
    finally:
        context.close()


UNREACHABLE = """() => Array.from(document.querySelectorAll(
    'a[href], button, summary, input, select, textarea, [role=slider], [role=button]'))
  .filter(e => e.offsetParent !== null && !e.disabled && !e.closest('[inert]'))
  .filter(e => e.tabIndex < 0)
  .map(e => e.outerHTML.slice(0, 100))"""


@pytest.mark.parametrize("rel", [p for p in PAGES if not redirect_target(p)])
def test_every_control_is_in_the_tab_order(light_page, site_url, rel):
    page = light_page
    load(page, site_url, rel)
    unreachable = page.evaluate(UNREACHABLE)
    assert not unreachable, f"{rel}: controls that Tab skips:\n  " + "\n  ".join(unreachable[:10])


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("rel", CHAPTERS)
def test_solutions_and_dropdowns_open_from_the_keyboard(browser, site_url, rel, mode):
    context = new_context(browser, mode, "desktop")
    try:
        page = context.new_page()
        load(page, site_url, rel, mode)
        # solutions (sphinx-exercise + sphinx-togglebutton): a button in the title
        buttons = page.locator(".bd-article .toggle-button")
        assert buttons.count() > 0, f"{rel}: no solution to open"
        for i in range(buttons.count()):
            button = buttons.nth(i)
            target = button.get_attribute("data-target")
            content = page.locator(f"[id='{target}']")
            assert "toggle-hidden" in (content.get_attribute("class") or ""), \
                f"{rel}: solution {target} is not folded at first"
            button.focus()
            page.keyboard.press("Enter")
            page.wait_for_function(
                "id => !document.getElementById(id).classList.contains('toggle-hidden')",
                arg=target, timeout=5_000)
            assert button.get_attribute("aria-expanded") == "true"
            state = page.evaluate(FOCUS_STATE)
            assert state and state["ring"], f"{rel}: the solution button shows no focus ring"
            page.keyboard.press(" ")
            page.wait_for_function(
                "id => document.getElementById(id).classList.contains('toggle-hidden')",
                arg=target, timeout=5_000)
        # dropdowns and folded code cells: <details>/<summary>
        summaries = page.locator(".bd-article details > summary")
        for i in range(summaries.count()):
            summary = summaries.nth(i)
            summary.scroll_into_view_if_needed()
            summary.focus()
            page.keyboard.press("Enter")
            assert summary.evaluate("s => s.parentElement.open"), \
                f"{rel}: Enter does not open dropdown {i}"
            state = page.evaluate(FOCUS_STATE)
            assert state and state["ring"], f"{rel}: dropdown {i} shows no focus ring"
            page.keyboard.press(" ")
            assert not summary.evaluate("s => s.parentElement.open"), \
                f"{rel}: Space does not close dropdown {i}"
    finally:
        context.close()
