"""Dual-mode explorers: a live kernel recomputes, the static website switches frames.

Every interactive figure of the book is an :class:`Explorer`: a pure
``compute`` function of the slider values (library calls only), a ``setup``
function that builds the figure once, a ``draw`` function that updates its
artists for one state, and a list of :class:`Param` sliders. In a notebook
an explorer is one call; it displays itself as a row of sliders above a
figure.

One drawing path
----------------
Both modes draw every frame with the same retained figure
(:class:`~pairing_lib.widgets.render.FrameRenderer`): the layout is fixed after
the first frame, artists are updated in place and, where only a few of them
change, blitted over a cached background. A frame drawn this way is pixel for
pixel the frame a fresh figure draws (``tests/test_widgets.py``).

Two modes
---------
``live`` (default: Jupyter, Binder, nbval)
    Moving a slider calls ``compute`` and ``draw`` in the kernel and replaces
    the picture (a PNG). Moves that arrive while a frame is drawn are
    coalesced: a drag never leaves the explorer drawing stale states.
``static`` (the book build, ``PAIRING_LIB_WIDGETS=static``, set by ``make book``)
    Every combination of slider values is computed and drawn once, at build
    time, and stored compactly (:mod:`pairing_lib.widgets.frames`: a base image
    and one transparent overlay per frame, lossless WebP). Overlays sit in
    nested ``ipywidgets.Stack`` widgets whose ``selected_index`` is tied to the
    sliders with ``jslink``, stacked on their base in a ``GridBox``, so the
    browser switches frames with no kernel at all.

The sliders are :class:`ipywidgets.SelectionSlider` widgets over the same
discrete ``values`` in both modes, so the website and the live notebook
offer exactly the same stops.

Example
-------
>>> import numpy as np
>>> from pairing_lib.widgets import Explorer, Param
>>> x = np.linspace(0, 1, 50)
>>> def compute(a):
...     return a * x**2
>>> def setup(fig):
...     ax = fig.add_subplot()
...     (line,) = ax.plot([], [])
...     ax.set_xlim(0, 1); ax.set_ylim(0, 2)
...     ax.set_xlabel("x"); ax.set_ylabel("a x^2")
...     return line
>>> def draw(line, y, a):
...     line.set_data(x, y)
>>> exp = Explorer(compute, draw, [Param("a", "a", values=[0.5, 1.0, 2.0])], setup=setup)
>>> exp.frame_count
3
>>> exp.frame(a=2.0).shape
(352, 686, 4)

Chapter explorers live in the submodules of this package, one per physics
module (``pairing_lib.widgets.clogston``, ...); each has a dict
``EXPLORERS`` of factories that ``benchmarks/bench_explorers.py`` times.
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import importlib
import itertools
import math
import os
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from .frames import FrameSet, encode_frames, encode_png
from .render import FrameRenderer

__all__ = [
    "Param",
    "Explorer",
    "widget_mode",
    "MODE_ENV",
    "FRAMES_ENV",
    "MAX_FRAMES",
    "FRAME_WIDTH_PX",
    "CHAPTER_MODULES",
    "all_explorers",
]

#: Environment variable that selects the mode ("live" or "static").
MODE_ENV = "PAIRING_LIB_WIDGETS"

#: Environment variable naming the frames folder and the book root during the book build.
FRAMES_ENV = "PAIRING_LIB_FRAMES"

#: Width in pixels of the book's text column on a desktop screen. Frames are
#: drawn at most this wide, so that the website shows them pixel for pixel
#: instead of scaling them down (sharper, and a third fewer bytes than at 100 dpi).
FRAME_WIDTH_PX = 690

#: Largest number of precomputed frames one explorer may ask for.
MAX_FRAMES = 120

#: Submodules holding the chapter explorers (each with an ``EXPLORERS`` dict).
CHAPTER_MODULES = ("scales", "clogston", "grains", "seniority", "symmetry", "films")


def _frame_source(data: bytes) -> tuple[bytes, str]:
    """``(value, format)`` of an ``ipywidgets.Image`` showing the WebP ``data``.

    With ``PAIRING_LIB_FRAMES`` set to ``"<frames folder>|<book root>"`` (the book
    build, see ``_ext/book_html.py``) the image is written once, under its
    content hash, into the frames folder that the website serves as
    ``_static/frames/``, and the widget holds the URL relative to the page of
    the running notebook. Files are smaller than the base64 text a widget
    state holds, and identical frames of any page share one file.
    """
    spec = os.environ.get(FRAMES_ENV, "")
    if not spec:
        return data, "webp"
    folder, _, root = spec.partition("|")
    name = hashlib.sha1(data).hexdigest()[:20] + ".webp"
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        os.makedirs(folder, exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(data)
    page_dir = os.path.relpath(root or os.getcwd(), os.getcwd())
    url = "/".join(p for p in (page_dir.replace(os.sep, "/"), "_static/frames", name)
                   if p and p != ".")
    return url.encode(), "url"


def widget_mode() -> str:
    """The explorer mode selected by the environment: ``"live"`` or ``"static"``.

    Raises
    ------
    ValueError
        If ``PAIRING_LIB_WIDGETS`` holds anything else.
    """
    mode = os.environ.get(MODE_ENV, "live").strip().lower() or "live"
    if mode not in ("live", "static"):
        raise ValueError(
            f"{MODE_ENV} must be 'live' or 'static', got {mode!r}"
        )
    return mode


def _fmt(value: Any, fmt: str) -> str:
    if isinstance(value, str):
        return value
    return format(value, fmt)


@dataclass(frozen=True)
class Param:
    """One slider of an explorer.

    Parameters
    ----------
    name : str
        Keyword under which the value is passed to ``compute`` and ``draw``.
    label : str
        Text shown next to the slider (unicode, e.g. ``"h / Δ0"``).
    values : sequence
        The slider's stops (numbers or strings), in order. In static mode one
        frame is precomputed per stop.
    default : optional
        Initial value; must be one of ``values`` (the closest stop is taken
        for numbers). Defaults to the middle stop.
    fmt : str
        Format spec for the readout of numeric values.
    """

    name: str
    label: str
    values: Sequence[Any]
    default: Any = None
    fmt: str = ".3g"
    _stops: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        if not self.name.isidentifier():
            raise ValueError(f"Param name must be a Python identifier, got {self.name!r}")
        stops = tuple(
            v.item() if isinstance(v, np.generic) else v for v in list(self.values)
        )
        if len(stops) == 0:
            raise ValueError(f"Param {self.name!r}: values must not be empty")
        labels = [_fmt(v, self.fmt) for v in stops]
        if len(set(labels)) != len(labels):
            raise ValueError(
                f"Param {self.name!r}: values {labels} are not distinct at format {self.fmt!r}"
            )
        object.__setattr__(self, "_stops", stops)

    @property
    def stops(self) -> tuple:
        """The slider's values as a tuple of plain Python objects."""
        return self._stops

    @property
    def default_index(self) -> int:
        """Index of the initial stop."""
        if self.default is None:
            return (len(self._stops) - 1) // 2
        if self.default in self._stops:
            return self._stops.index(self.default)
        if isinstance(self.default, str):
            raise ValueError(
                f"Param {self.name!r}: default {self.default!r} is not one of {self._stops}"
            )
        dist = [abs(float(v) - float(self.default)) for v in self._stops]
        return int(np.argmin(dist))

    def options(self) -> list:
        """(readout, value) pairs for a SelectionSlider."""
        return [(_fmt(v, self.fmt), v) for v in self._stops]


class _Coalescer:
    """Runs ``fn(state)`` for the latest requested state only, so that a drag queues no work.

    Under a running event loop (a Jupyter kernel) a request only records the
    state and schedules one call on the loop; requests that arrive before that
    call runs replace the state, and calls are at least ``min_interval``
    seconds apart. Without a running loop (a plain script, a test) the call
    happens at once.
    """

    _EMPTY = object()

    def __init__(self, fn: Callable[[Any], None], min_interval: float = 0.04):
        self.fn = fn
        self.min_interval = float(min_interval)
        self.pending = self._EMPTY
        self.handle = None
        self.last = -math.inf
        self.runs = 0

    def request(self, state) -> None:
        self.pending = state
        if self.handle is not None:
            return                  # a call is scheduled: it will take this state
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is None:
            self.run()
            return
        delay = max(0.0, self.last + self.min_interval - time.monotonic())
        self.handle = loop.call_later(delay, self.run)

    def run(self) -> None:
        """Call ``fn`` with the latest pending state (if any)."""
        self.handle = None
        state, self.pending = self.pending, self._EMPTY
        if state is self._EMPTY:
            return
        try:
            self.fn(state)
        finally:
            self.last = time.monotonic()
            self.runs += 1


class Explorer:
    """An interactive figure that works with a live kernel and on the static site.

    Parameters
    ----------
    compute : callable
        ``compute(**values) -> data``; pure, calls library functions only.
    draw : callable
        With ``setup``: ``draw(art, data, **values)`` updates the artists that
        ``setup`` made, in place (see :mod:`pairing_lib.widgets.render` for
        the rules). Without ``setup``: ``draw(fig, data, **values)`` paints
        onto an empty figure, every frame from scratch (simple, but slow).
    params : sequence of Param
        The sliders, in display order.
    setup : callable, optional
        ``setup(fig) -> art``: builds the axes and the artists once (labels,
        limits, empty lines to be filled by ``draw``). The book's explorers
        all have one; live redraws then cost a few tens of milliseconds
        (``benchmarks/bench_explorers.py``).
    title : str, optional
        A line of text shown above the sliders.
    figsize : tuple of float
        Figure size in inches.
    dpi : int, optional
        Resolution of the frames; by default the largest of at most 100 that
        keeps the frame within :data:`FRAME_WIDTH_PX`.
    mode : {"live", "static"}, optional
        Overrides the environment (see :func:`widget_mode`).
    max_frames : int
        Refuse static explorers with more frames than this.

    Raises
    ------
    ValueError
        If there is no parameter, two share a name, or the static frame
        count exceeds ``max_frames``.
    """

    def __init__(
        self,
        compute: Callable[..., Any],
        draw: Callable[..., None],
        params: Sequence[Param],
        *,
        setup: Callable[..., Any] | None = None,
        title: str | None = None,
        figsize=(7.0, 3.6),
        dpi: int | None = None,
        mode: str | None = None,
        max_frames: int = MAX_FRAMES,
        describe: Callable[..., str] | None = None,
    ):
        params = list(params)
        if not params:
            raise ValueError("an Explorer needs at least one Param")
        names = [p.name for p in params]
        if len(set(names)) != len(names):
            raise ValueError(f"Param names must be distinct, got {names}")
        if mode is not None and mode not in ("live", "static"):
            raise ValueError(f"mode must be 'live', 'static' or None, got {mode!r}")
        self.compute = compute
        self.draw = draw
        self.describe = describe
        self.setup = setup
        self.params = params
        self.title = title
        self.figsize = tuple(figsize)
        self.dpi = int(dpi) if dpi else int(min(100, FRAME_WIDTH_PX // self.figsize[0]))
        self._mode = mode
        self.max_frames = int(max_frames)
        self._renderer: FrameRenderer | None = None
        self._shown: dict | None = None     # the state the renderer's canvas holds
        if self.mode == "static" and self.frame_count > self.max_frames:
            raise ValueError(
                f"static explorer would need {self.frame_count} frames "
                f"(product of {[len(p.stops) for p in params]}); "
                f"max_frames is {self.max_frames}"
            )

    # -- basic operations ----------------------------------------------------
    @property
    def mode(self) -> str:
        """``"live"`` or ``"static"``."""
        return self._mode or widget_mode()

    @property
    def frame_count(self) -> int:
        """Number of slider combinations (= frames in static mode)."""
        return math.prod(len(p.stops) for p in self.params)

    def defaults(self) -> dict:
        """The initial slider values as a dict."""
        return {p.name: p.stops[p.default_index] for p in self.params}

    def new_renderer(self, blit: bool = True) -> FrameRenderer:
        """A fresh :class:`~pairing_lib.widgets.render.FrameRenderer` laid out on the default state.

        With ``blit``, the renderer is also shown a neighbouring state (every
        slider one stop away) and the default again, so that it has learned
        which artists change before the reader's first move.
        """
        renderer = FrameRenderer(self.draw, setup=self.setup, figsize=self.figsize,
                                 dpi=self.dpi, blit=blit)
        vals = self.defaults()
        renderer.frame(self.compute(**vals), vals)
        if blit and self.setup is not None:
            near = {p.name: p.stops[(p.default_index + 1) % len(p.stops)] for p in self.params}
            renderer.warm_up()
            try:
                renderer.frame(self.compute(**near), near)
            except ValueError:
                pass                # that state is refused: learn on the reader's moves
            renderer.frame(self.compute(**vals), vals)
            renderer.settle()
        return renderer

    @property
    def renderer(self) -> FrameRenderer:
        """The retained renderer that every slider move of this explorer draws with.

        Made on first use, laid out on the default state.
        """
        if self._renderer is None:
            self._renderer = self.new_renderer()
            self._shown = self.defaults()
        return self._renderer

    def frame(self, **values) -> np.ndarray:
        """Compute and draw one state in place; the frame as ``(H, W, 4)`` uint8 RGBA."""
        vals = {**self.defaults(), **values}
        renderer = self.renderer
        if vals == self._shown:             # compute is pure: the canvas holds this state
            return renderer.current()
        self._shown = None                  # (stays None if compute or draw raises)
        out = renderer.frame(self.compute(**vals), vals)
        self._shown = vals
        return out

    def render(self, **values) -> bytes:
        """Compute, draw and encode one state: the PNG a live slider move shows."""
        return encode_png(self.frame(**values))

    def reference_frame(self, **values) -> np.ndarray:
        """One state drawn by a fresh figure, in full, with no blitting (to test :meth:`frame`)."""
        vals = {**self.defaults(), **values}
        return self.new_renderer(blit=False).frame(self.compute(**vals), vals)

    def figure(self, **values):
        """A fresh matplotlib Figure showing one state (for inspection and tests)."""
        vals = {**self.defaults(), **values}
        renderer = self.new_renderer(blit=False)
        renderer.frame(self.compute(**vals), vals)
        return renderer.fig

    # -- widgets -------------------------------------------------------------
    def _sliders(self):
        import ipywidgets as w

        sliders = []
        for p in self.params:
            sliders.append(
                w.SelectionSlider(
                    options=p.options(),
                    index=p.default_index,
                    description=p.label,
                    continuous_update=True,
                    readout=True,
                    style={"description_width": "initial"},
                    layout=w.Layout(flex="1 1 300px", min_width="280px", max_width="480px"),
                )
            )
        return sliders

    def _image_layout(self, **extra):
        import ipywidgets as w

        return w.Layout(width="100%", max_width=f"{self.renderer.size[0]}px", height="auto",
                        **extra)

    def _frame_box(self, sliders, image_area, note: str):
        import ipywidgets as w

        children = []
        if self.title:
            children.append(w.HTML(f"<b>{self.title}</b>"))
        children.append(w.HBox(sliders, layout=w.Layout(flex_flow="row wrap")))
        children.append(image_area)
        children.append(w.HTML(f"<small>{note}</small>"))
        return w.VBox(children, layout=w.Layout(width="100%"))

    def live_widget(self):
        """Sliders whose changes recompute and redraw in the kernel.

        A slider move draws in place on the retained figure (blitted where it
        can be); moves that arrive while a frame is being drawn are coalesced,
        so the figure always ends on the last position of the slider.
        """
        import ipywidgets as w

        sliders = self._sliders()
        image = w.Image(value=self.render(**self.defaults()), format="png",
                        layout=self._image_layout())
        status = w.HTML("")

        def show(vals):
            try:
                image.value = self.render(**vals)
                status.value = ""
            except ValueError as err:  # physics refused the input: say so
                status.value = f"<span style='color:#b00'>Cannot draw: {html.escape(str(err))}</span>"

        updates = _Coalescer(show)

        def on_change(_change=None):
            updates.request({p.name: s.value for p, s in zip(self.params, sliders)})

        for s in sliders:
            s.observe(on_change, names="value")
        box = self._frame_box(sliders, w.VBox([image, status]),
                              "Live explorer: each slider move recomputes in the kernel.")
        box._pairing_updates = updates     # for tests: how many redraws ran
        return box

    def static_frames(self) -> FrameSet:
        """Every state drawn (default first, then in slider order) and encoded compactly."""
        names = [p.name for p in self.params]
        keys = list(itertools.product(*(range(len(p.stops)) for p in self.params)))
        frames = []
        for key in keys:
            vals = {n: p.stops[i] for n, p, i in zip(names, self.params, key)}
            frames.append(self.frame(**vals)[..., :3])
        return encode_frames(frames, keys, [len(p.stops) for p in self.params])

    def static_widget(self):
        """Sliders that switch precomputed frames in the browser (no kernel).

        Each frame is an overlay image stacked on a base image (see
        :mod:`pairing_lib.widgets.frames`); nested ``Stack`` widgets hold the
        overlays and their ``selected_index`` follows the sliders through
        ``jslink``. During the book build (``PAIRING_LIB_FRAMES`` set) the images
        are files of the website, referenced by URL; otherwise they are inline.
        """
        import ipywidgets as w

        sliders = self._sliders()
        fs = self.static_frames()
        layout = self._image_layout()
        images = [w.Image(value=value, format=fmt, layout=layout)
                  for value, fmt in (_frame_source(data) for data in fs.images)]
        links = []
        cell = w.Layout(grid_area="frame", width="100%")
        inner = w.Layout()                  # one layout shared by all inner stacks

        if fs.group is None:
            base = w.Box([images[fs.base_of_value[0]]], layout=cell)
        else:
            base = w.Stack([images[i] for i in fs.base_of_value],
                           selected_index=self.params[fs.group].default_index, layout=cell)
            links.append(w.jslink((sliders[fs.group], "index"), (base, "selected_index")))

        counter = itertools.count()

        def build(level: int, extra=None):
            p = self.params[level]
            if level == len(self.params) - 1:
                children = [images[fs.overlay[next(counter)]] for _ in p.stops]
            else:
                children = [build(level + 1) for _ in p.stops]
            stack = w.Stack(children=children, selected_index=p.default_index,
                            layout=inner if extra is None else extra)
            links.append(w.jslink((sliders[level], "index"), (stack, "selected_index")))
            return stack

        overlays = build(0, cell)
        picture = w.GridBox([base, overlays],
                            layout=w.Layout(grid_template_areas='"frame"',
                                            grid_template_columns="minmax(0, 1fr)",
                                            width="100%", max_width=f"{fs.size[0]}px"))
        box = self._frame_box(
            sliders, picture,
            f"Precomputed explorer: {self.frame_count} frames switched in your browser; "
            "run the notebook (Binder or local) for the live version.")
        box._pairing_links = links  # keep the link widgets alive with the box
        box._pairing_frames = fs
        return box

    def widget(self):
        """The widget for the current mode."""
        return self.static_widget() if self.mode == "static" else self.live_widget()

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget())


def all_explorers() -> dict:
    """Every chapter explorer factory of the book, keyed ``"module.name"``.

    Modules that do not exist yet are skipped.
    """
    out = {}
    for mod in CHAPTER_MODULES:
        try:
            m = importlib.import_module(f"{__name__}.{mod}")
        except ModuleNotFoundError as err:
            if err.name == f"{__name__}.{mod}":
                continue
            raise
        for key, factory in getattr(m, "EXPLORERS", {}).items():
            out[f"{mod}.{key}"] = factory
    return out

