"""Accessible markup for the book's pages (a local Sphinx extension; issue 20).

The site is checked with axe-core (rules tagged wcag2a, wcag2aa, wcag21a,
wcag21aa) by ``tests/test_site_a11y.py``. What the themes, docutils and the
other extensions write wrong is corrected here, at the source of each page,
never by hiding anything from assistive technology:

* **Bibliography entries** (docutils' HTML5 writer): a ``role="list"`` citation
  list whose entries carry the deprecated DPUB role ``doc-biblioentry``, which
  is not a list item (axe: aria-deprecated-role, aria-required-children).
  Every entry becomes ``role="listitem"``.
* **"Show code cell source" toggles** (myst-nb's folded cells): a ``<summary>``
  whose ``aria-label`` "Toggle hidden content" differs from its visible text
  (axe: label-content-name-mismatch, WCAG 2.5.3). The label is dropped: the
  visible text ("Show code cell source" / "Hide code cell source") names it.
* **Sidebar expanders** (pydata-sphinx-theme's ``<details>`` under a page with
  sub-pages): a ``<summary>`` holding only a chevron icon, with no name
  (axe: summary-name). A visually hidden text names it after its page
  ("Pages under API reference of pairing_lib"); the browser announces whether
  it is expanded. The theme's ``generate_toctree_html`` (which returns a
  BeautifulSoup tree) is wrapped in the page context to add it.
* **The module index of the source pages** (Sphinx viewcode): a ``<ul>``
  directly inside a ``<ul>`` (axe: list); the sub-list moves into the item
  before it.
* **The redirect page** ``index.html`` (a bare ``<meta>`` refresh) becomes a
  small document with a language, a title and a link to the first page.

The two theme buttons whose ``aria-label`` did not match their text (search
field, colour mode) are corrected by the templates in ``_theme/templates/``;
colours and the focus indicator by ``_theme/custom.css``.

Every rewrite is a pure function of the HTML text and idempotent.
"""

from __future__ import annotations

import html as _html
import re

# ----------------------------------------------------------------- page body


def fix_citation_roles(text: str) -> str:
    """Bibliography entries are list items of their ``role="list"`` container."""
    return text.replace('role="doc-biblioentry"', 'role="listitem"')


def fix_cell_toggle_names(text: str) -> str:
    """Folded code cells are named by their visible "Show/Hide code cell ..." text."""
    return text.replace('<summary aria-label="Toggle hidden content">', "<summary>")


_LIST_TAGS = re.compile(r"</li>\s*(?=<ul\b)|<ul\b[^>]*>|</ul>")


def fix_nested_lists(text: str) -> str:
    """A ``<ul>`` right after a ``</li>`` (inside a list) moves into that item."""
    if not re.search(r"</li>\s*<ul\b", text):
        return text
    out, pos, stack, pending = [], 0, [], False
    for m in _LIST_TAGS.finditer(text):
        out.append(text[pos:m.start()])
        pos = m.end()
        tag = m[0]
        if tag.startswith("</li>"):           # the item stays open for the sub-list
            pending = True
            out.append(tag[len("</li>"):])
        elif tag.startswith("<ul"):
            stack.append(pending)
            pending = False
            out.append(tag)
        else:                                  # </ul>
            out.append(tag)
            if stack and stack.pop():
                out.append("</li>")
    out.append(text[pos:])
    return "".join(out)


def fix_body(text: str) -> str:
    return fix_nested_lists(fix_cell_toggle_names(fix_citation_roles(text)))


# ----------------------------------------------------------------- navigation

SR_ONLY = "pairing-sr-only"   # visually hidden, read by screen readers (custom.css)

_NAV_TOGGLE = re.compile(
    r'(<a\b[^>]*>(?P<title>(?:(?!</a>).)*)</a>\s*<details\b[^>]*>\s*<summary>)'
    r'(?P<toggle>\s*<span class="toctree-toggle"[^>]*>(?:(?!</summary>).)*?</span>\s*)'
    r'(?=</summary>)',
    re.S,
)


def _plain(fragment: str) -> str:
    words = re.sub(r"<[^>]+>", "", fragment)
    return " ".join(_html.unescape(words).split())


def name_nav_toggles(text: str) -> str:
    """Give each sidebar expander (``<summary>`` with only a chevron) a name."""

    def named(m):
        if SR_ONLY in m["toggle"]:             # already named
            return m[0]
        label = _html.escape(f"Pages under {_plain(m['title'])}", quote=False)
        return f'{m[1]}{m["toggle"]}<span class="{SR_ONLY}">{label}</span>'

    return _NAV_TOGGLE.sub(named, text)


def name_nav_toggles_soup(soup):
    """The same for the theme's BeautifulSoup tree of the sidebar (changed in place)."""
    for summary in soup.select("li.has-children > details > summary"):
        if summary.get_text(strip=True) or summary.select_one(f".{SR_ONLY}"):
            continue                           # has a name already (e.g. a caption)
        link = summary.find_parent("li").find("a")
        if link is None:
            continue
        span = soup.new_tag("span", attrs={"class": SR_ONLY})
        span.string = f"Pages under {' '.join(link.get_text(' ', strip=True).split())}"
        summary.append(span)
    return soup


def _wrap_toctree(generate):
    def generate_toctree_html(*args, **kwargs):
        out = generate(*args, **kwargs)
        if isinstance(out, str):
            return type(out)(name_nav_toggles(out))   # keeps the Markup type
        if hasattr(out, "select"):             # pydata-sphinx-theme 0.17: a BeautifulSoup
            return name_nav_toggles_soup(out)
        return out

    generate_toctree_html.pairing_a11y = True
    return generate_toctree_html


# ----------------------------------------------------------------- hooks


def _page_context(app, pagename, templatename, context, doctree):
    if isinstance(context.get("body"), str):
        context["body"] = fix_body(context["body"])
    gen = context.get("generate_toctree_html")
    if callable(gen) and not getattr(gen, "pairing_a11y", False):
        context["generate_toctree_html"] = _wrap_toctree(gen)


REDIRECT = re.compile(r'\A\s*<meta http-equiv="Refresh" content="0; url=([^"]+)"\s*/?>\s*\Z', re.I)

REDIRECT_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Refresh" content="0; url={url}">
<title>{title}</title>
</head>
<body>
<main>
<p><a href="{url}">{title}</a></p>
</main>
</body>
</html>
"""


def _redirect_pages(app, exception):
    from pathlib import Path

    if exception is not None or app.builder.format != "html":
        return
    for path in Path(app.outdir).glob("*.html"):
        m = REDIRECT.match(path.read_text(encoding="utf-8"))
        if m:
            path.write_text(REDIRECT_PAGE.format(
                lang=app.config.language or "en", url=m[1],
                title=_html.escape(app.config.html_title or app.config.project)), encoding="utf-8")


def setup(app):
    # after the theme's handlers, which put generate_toctree_html into the context
    app.connect("html-page-context", _page_context, priority=900)
    # after sphinx-external-toc writes the redirect (build-finished, priority 500)
    app.connect("build-finished", _redirect_pages, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
