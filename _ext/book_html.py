"""Small HTML fixes for the book's pages (a local Sphinx extension).

1. Files the theme copies into ``_static`` that no browser fetches are removed
   after the build (source maps of the minified theme scripts and styles, the
   theme's translation catalogues, which Sphinx reads from the installed
   package, and TrueType copies of icon fonts that every supported browser
   loads as woff2): about 4 MB of the site's 20 MB budget
   (``tests/test_site.py`` holds the budget).
2. Duplicate script tags are dropped: sphinx-thebe registers its inline configuration script once per
``env-before-read-docs`` event; Jupyter Book emits that event twice, so every
page declared ``const THEBE_JS_URL`` twice and the browser logged a
SyntaxError. We drop exact duplicates from each page's script list.
"""


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen = set()
    unique = []
    for js in scripts:
        attrs = getattr(js, "attributes", {}) or {}
        key = (str(getattr(js, "filename", js) or ""), attrs.get("body"))
        if key in seen:
            continue
        seen.add(key)
        unique.append(js)
    scripts[:] = unique


#: What the build-finished hook removes from ``_build/html/_static`` (glob patterns).
UNUSED_STATIC = ("**/*.js.map", "**/*.css.map", "locales", "vendor/fontawesome/webfonts/*.ttf")


def _drop_unused_static(app, exception):
    import shutil
    from pathlib import Path

    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    for pattern in UNUSED_STATIC:
        for path in static.glob(pattern):
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()


def setup(app):
    app.connect("build-finished", _drop_unused_static)
    # before handlers that return a template (html-page-context stops at the first result)
    app.connect("html-page-context", _dedupe_scripts, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
