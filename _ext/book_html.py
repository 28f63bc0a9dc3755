"""Small HTML fixes for the book's pages (a local Sphinx extension).

0. Precomputed explorer frames (static mode, ``PAIRING_LIB_WIDGETS=static``)
   become files of the website: the extension makes an empty folder
   ``_build/.frames/frames``, serves it as ``_static/frames`` and tells the
   notebook kernels where it is (``PAIRING_LIB_FRAMES``, see
   :func:`pairing_lib.widgets._frame_source`).
   Every page also loads ``explorer-a11y.js``
   (:data:`pairing_lib.widgets.a11y.EXPLORER_A11Y_JS`, written into the same
   served folder): it names the explorers' slider handles, gives each shown
   frame its alt text and makes the frame's caption an ARIA live region.
1. The notebooks' figures (``_images/*.png``) are stored with a 256-colour
   palette when that is smaller, as the explorer frames are: about a third of
   the bytes, with no visible change for line plots.
2. Files the theme copies into ``_static`` that no browser fetches are removed
   after the build (source maps of the minified theme scripts and styles, the
   theme's translation catalogues, which Sphinx reads from the installed
   package, and TrueType copies of icon fonts that every supported browser
   loads as woff2): about 4 MB of the site's 20 MB budget
   (``tests/test_site.py`` holds the budget).
3. Duplicate script tags are dropped: sphinx-thebe registers its inline configuration script once per
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
UNUSED_STATIC = ("**/*.js.map", "**/*.css.map", "locales", "vendor/fontawesome/webfonts/*.ttf",
                 "templates")  # _theme/templates: Jinja sources, copied along with _theme


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


def _frames_folder(app, config):
    import os
    import shutil
    from pathlib import Path

    from pairing_lib.widgets.a11y import EXPLORER_A11Y_JS, JS_FILENAME

    served = Path(app.srcdir) / "_build" / ".frames"
    shutil.rmtree(served, ignore_errors=True)
    served.mkdir(parents=True)
    (served / JS_FILENAME).write_text(EXPLORER_A11Y_JS.lstrip(), encoding="utf-8")
    config.html_static_path = [*config.html_static_path, str(served)]
    if os.environ.get("PAIRING_LIB_WIDGETS", "").strip().lower() != "static":
        return
    (served / "frames").mkdir()
    os.environ["PAIRING_LIB_FRAMES"] = f"{served / 'frames'}|{app.srcdir}"


def _palette_images(app, exception):
    import io
    from pathlib import Path

    from PIL import Image

    if exception is not None or app.builder.format != "html":
        return
    for path in (Path(app.outdir) / "_images").glob("*.png"):
        img = Image.open(path)
        if img.mode not in ("RGB", "RGBA"):
            continue
        if img.mode == "RGBA" and img.getchannel("A").getextrema()[0] < 255:
            continue                    # keep transparency as it is
        rgb = img.convert("RGB")
        out = io.BytesIO()
        rgb.quantize(colors=256, method=Image.Quantize.MEDIANCUT,
                     dither=Image.Dither.NONE).save(out, format="PNG", optimize=True)
        if out.tell() < path.stat().st_size:
            path.write_bytes(out.getvalue())


def setup(app):
    from pairing_lib.widgets.a11y import JS_FILENAME

    app.connect("config-inited", _frames_folder)
    app.add_js_file(JS_FILENAME)
    app.connect("build-finished", _palette_images)
    app.connect("build-finished", _drop_unused_static)
    # before handlers that return a template (html-page-context stops at the first result)
    app.connect("html-page-context", _dedupe_scripts, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
