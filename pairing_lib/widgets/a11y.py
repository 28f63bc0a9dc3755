"""The browser side of accessible explorers: names, alt text and a live region.

ipywidgets 8 renders a slider as a noUiSlider handle (``role="slider"``,
keyboard operable: Tab to it, arrow keys move it) with no accessible name,
and an ``ipywidgets.Image`` as an ``<img>`` with no ``alt`` attribute;
neither widget has a trait for them. :data:`EXPLORER_A11Y_JS` is a small
script that upgrades the DOM of every explorer on the page (the elements
with the class ``pairing-explorer``, see
``Explorer._frame_box``), now and whenever the widget
manager renders or changes one:

* each slider handle gets ``aria-label`` = the slider's label and
  ``aria-valuetext`` = its readout (noUiSlider announces the stop *index*
  otherwise); the readout, which ipywidgets makes ``contenteditable`` for a
  selection slider although typing into it does nothing, is made plain text
  (Tab goes from handle to handle);
* the frame's caption (``pairing-describe``, an ``HTML`` widget) becomes a
  polite ARIA live region, so a screen reader reads the new description
  after a slider move. A live kernel rewrites the caption itself; on the
  static site the caption holds every frame's description (JSON, frames in
  slider product order, a few kB) and the script shows the one of the
  sliders' current stops (their ``aria-valuenow``);
* the picture's top image gets the caption as its ``alt`` text; the base
  image under a static overlay is the same picture, so it gets ``alt=""``.

The website loads this script as ``_static/explorer-a11y.js``
(``_ext/book_html.py``); a live explorer displays it with itself
(``Explorer._ipython_display_``), which JupyterLab runs
for a notebook's own outputs. The script installs itself once per page.
"""

from __future__ import annotations

__all__ = ["EXPLORER_A11Y_JS", "JS_FILENAME"]

#: File name of the script among the website's static files.
JS_FILENAME = "explorer-a11y.js"

EXPLORER_A11Y_JS = r"""
/* Accessible explorers (pairing_lib.widgets.a11y): slider names, alt text, live region. */
(function () {
  "use strict";
  if (window.pairingExplorerA11y) { window.pairingExplorerA11y.schedule(); return; }
  function text(el) { return el ? (el.textContent || "").replace(/\s+/g, " ").trim() : ""; }
  function set(el, name, value) {
    if (el.getAttribute(name) !== value) { el.setAttribute(name, value); }
  }
  function upgrade(root) {
    var rows = root.querySelectorAll(".widget-slider");
    for (var i = 0; i < rows.length; i++) {
      var label = text(rows[i].querySelector(".widget-label"));
      var readoutEl = rows[i].querySelector(".widget-readout");
      var readout = text(readoutEl);
      // ipywidgets makes a SelectionSlider's readout contenteditable, although typing
      // into it does nothing: an extra, unnamed Tab stop; the handle carries the value
      if (readoutEl && readoutEl.isContentEditable) { readoutEl.contentEditable = "false"; }
      var handles = rows[i].querySelectorAll(".noUi-handle, [role=slider]");
      for (var j = 0; j < handles.length; j++) {
        if (label) { set(handles[j], "aria-label", label); }
        if (readout) { set(handles[j], "aria-valuetext", readout); }
      }
    }
    var caption = root.querySelector(".pairing-describe");
    var shown = caption && caption.querySelector(".pairing-describe-text");
    var frames = caption && caption.querySelector(".pairing-describe-frames");
    if (frames && shown) {
      // static site: the frame of the sliders' stops, in slider product order
      var list = frames.pairingFrames || (frames.pairingFrames = JSON.parse(frames.getAttribute("data-frames")));
      var index = 0;
      for (var r = 0; r < rows.length; r++) {
        var h = rows[r].querySelector(".noUi-handle");
        if (!h) { index = -1; break; }
        var n = Math.round(parseFloat(h.getAttribute("aria-valuemax"))) + 1;
        index = index * n + Math.round(parseFloat(h.getAttribute("aria-valuenow")));
      }
      if (index >= 0 && index < list.length && shown.textContent !== list[index]) {
        shown.textContent = list[index];
      }
    }
    var desc = text(shown || caption);
    if (caption) {
      set(caption, "aria-live", "polite");
      set(caption, "aria-atomic", "true");
    }
    var picture = root.querySelector(".pairing-picture");
    if (picture) {
      var imgs = picture.querySelectorAll("img");
      for (var k = 0; k < imgs.length; k++) {
        set(imgs[k], "alt", k === imgs.length - 1 ? desc : "");
      }
    }
  }
  var pending = false;
  function scan() {
    pending = false;
    var roots = document.querySelectorAll(".pairing-explorer");
    for (var i = 0; i < roots.length; i++) { upgrade(roots[i]); }
  }
  function schedule() {
    if (pending) { return; }
    pending = true;
    (window.requestAnimationFrame || setTimeout)(scan);
  }
  window.pairingExplorerA11y = { schedule: schedule, scan: scan };
  function start() {
    new MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        if (records[i].type !== "attributes" || records[i].attributeName === "aria-valuenow") {
          schedule(); return;
        }
      }
    }).observe(document.body, { childList: true, subtree: true, characterData: true,
                                 attributes: true, attributeFilter: ["aria-valuenow"] });
    schedule();
  }
  if (document.body) { start(); } else { document.addEventListener("DOMContentLoaded", start); }
})();
"""
