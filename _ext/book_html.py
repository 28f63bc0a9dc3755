"""Small HTML fixes for the book's pages (a local Sphinx extension).

Duplicate script tags are dropped: sphinx-thebe registers its inline configuration script once per
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


def setup(app):
    # before handlers that return a template (html-page-context stops at the first result)
    app.connect("html-page-context", _dedupe_scripts, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
