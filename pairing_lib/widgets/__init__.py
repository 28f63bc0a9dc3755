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

The sliders are :class:`ipywidgets.SelectionSlider` widgets. The static
site offers each :class:`Param`'s ``values``; a live kernel offers at least
:data:`LIVE_REFINE` times as many stops on the same range (the static stops
and values between them, :func:`refine_stops`), so a reader with a kernel
can follow a curve almost continuously. Defaults are the same in both modes.

Explorers speak: each frame has a text alternative (:meth:`Explorer.description`): the title
and one or two sentences from the explorer's ``describe(data, **values)``
function. It is shown as a caption under the picture and becomes, in the
browser, the picture's alt text; the caption is an ARIA live region, so a
screen reader announces the new frame after every slider move. The slider
handles are named by their labels and move with the arrow keys. The small
script that sets these attributes on ipywidgets' DOM is
:data:`pairing_lib.widgets.a11y.EXPLORER_A11Y_JS` (loaded by every page of the
website, and shown with each live explorer in Jupyter).

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
import json
import math
import os
import re
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
    "LIVE_REFINE",
    "refine_stops",
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


#: A live slider offers at least this many times the stops of the static one.
LIVE_REFINE = 4


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _is_geometric(a: np.ndarray) -> bool:
    """True if the positive stops ``a`` are closer to evenly spaced in log than in value."""
    if len(a) < 3 or np.any(a <= 0):
        return False
    lin, log = np.diff(a), np.diff(np.log(a))
    spread = lambda d: float(np.std(d) / np.mean(np.abs(d)))  # noqa: E731
    return spread(log) < spread(lin)


def refine_stops(stops: Sequence[Any], factor: int = LIVE_REFINE) -> tuple:
    """The stops of a live slider: ``stops`` with values between consecutive ones.

    Numeric stops in increasing or decreasing order get ``k`` sub-steps per gap,
    with ``k`` the smallest number that gives at least ``factor * len(stops)``
    stops in all; sub-steps are even in value, or even in the logarithm where
    the stops themselves are closer to log-spaced (radii, temperatures
    spanning decades). Values between stops are rounded to one digit more
    than the sub-step needs. Integer stops give integers: every integer of
    the range if there are at most ``factor * len(stops)`` of them, else the
    rounded sub-steps. Strings, a single stop, and numbers that are not
    monotonic are returned unchanged. Every original stop is kept, exactly.

    Examples
    --------
    >>> refine_stops([0.0, 0.5, 1.0])
    (0.0, 0.083, 0.167, 0.25, 0.333, 0.417, 0.5, 0.583, 0.667, 0.75, 0.833, 0.917, 1.0)
    >>> refine_stops([1, 4])
    (1, 2, 3, 4)
    >>> refine_stops(["even", "odd"])
    ('even', 'odd')
    """
    stops = tuple(stops)
    n = len(stops)
    if n < 2 or not all(_is_number(v) for v in stops):
        return stops
    a = np.asarray(stops, dtype=float)
    d = np.diff(a)
    if not (np.all(d > 0) or np.all(d < 0)):
        return stops
    integer = all(isinstance(v, int) for v in stops)
    if integer and abs(stops[-1] - stops[0]) + 1 <= factor * n:
        step = 1 if stops[-1] > stops[0] else -1
        return tuple(range(stops[0], stops[-1] + step, step))
    k = math.ceil((factor * n - 1) / (n - 1))
    if integer:
        # interior integers per gap: k - 1 where there is room, the rest where there is more
        room = [abs(b - a_) - 1 for a_, b in zip(stops[:-1], stops[1:])]
        count = [min(k - 1, r) for r in room]
        while n + sum(count) < factor * n and any(c < r for c, r in zip(count, room)):
            i = max(range(n - 1), key=lambda j: (room[j] - count[j]) / (count[j] + 1))
            count[i] += 1
        out = [stops[0]]
        for lo, hi, c in zip(stops[:-1], stops[1:], count):
            out += [int(round(x)) for x in np.linspace(lo, hi, c + 2)[1:-1]] + [hi]
        return tuple(out)
    geometric = _is_geometric(np.abs(a)) and np.all(a > 0)
    out = [stops[0]]
    t = np.arange(1, k) / k
    for lo, hi, hi_stop in zip(a[:-1], a[1:], stops[1:]):
        inner = lo * (hi / lo) ** t if geometric else lo + (hi - lo) * t
        sub = float(np.min(np.abs(np.diff(np.concatenate([[lo], inner, [hi]])))))
        digits = max(0, int(math.ceil(-math.log10(sub))) + 1)
        vals = [round(float(x), digits) for x in inner]
        for v in vals:
            if min(lo, hi) < v < max(lo, hi) and v != out[-1]:
                out.append(v)
        out.append(hi_stop)
    return tuple(out)


def _format_candidates(fmt: str):
    """``fmt`` and the same spec with up to four more digits of precision."""
    yield fmt
    m = re.fullmatch(r"(.*?)(?:\.(\d+))?([eEfFgG%]?)", fmt)
    if m and m.group(3):
        head, prec, kind = m.group(1), m.group(2), m.group(3)
        start = int(prec) if prec is not None else 6
        for extra in range(1, 5):
            yield f"{head}.{start + extra}{kind}"
    yield ".6g"


def _readout_format(values: Sequence[Any], fmt: str) -> str:
    """The first of ``fmt`` and more precise variants whose readouts tell every
    value apart and give each value back (within rounding)."""
    if not all(_is_number(v) for v in values):
        return fmt
    for cand in _format_candidates(fmt):
        try:
            labels = [format(v, cand) for v in values]
            back = [float(t.rstrip("%")) / (100 if t.endswith("%") else 1) for t in labels]
        except ValueError:
            continue
        if len(set(labels)) == len(labels) and all(
                abs(b - v) <= 1e-9 * max(1.0, abs(v)) for b, v in zip(back, values)):
            return cand
    return fmt


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
    live_values : sequence, optional
        The stops of the live slider (a kernel computes every move). By
        default :func:`refine_stops` puts at least :data:`LIVE_REFINE` times as
        many stops on the same range (string values: the same stops); given
        explicitly, they must contain every one of ``values``.
    """

    name: str
    label: str
    values: Sequence[Any]
    default: Any = None
    fmt: str = ".3g"
    live_values: Sequence[Any] | None = None
    _stops: tuple = field(init=False, repr=False, compare=False)
    _live: tuple = field(init=False, repr=False, compare=False)
    _live_fmt: str = field(init=False, repr=False, compare=False)

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
        if self.live_values is None:
            live = refine_stops(stops)
        else:
            live = tuple(v.item() if isinstance(v, np.generic) else v
                         for v in list(self.live_values))
            missing = [v for v in stops if v not in live]
            if missing:
                raise ValueError(
                    f"Param {self.name!r}: live_values must contain every static stop, "
                    f"missing {missing}")
        object.__setattr__(self, "_live", live)
        object.__setattr__(self, "_live_fmt", _readout_format(live, self.fmt))

    @property
    def stops(self) -> tuple:
        """The slider's values as a tuple of plain Python objects (one frame each in static mode)."""
        return self._stops

    @property
    def live_stops(self) -> tuple:
        """The live slider's values, every static stop and the values between them."""
        return self._live

    def mode_stops(self, mode: str) -> tuple:
        """The stops a slider offers in ``mode`` ("live" or "static")."""
        return self._live if mode == "live" else self._stops

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

    def options(self, mode: str = "static") -> list:
        """(readout, value) pairs for a SelectionSlider in ``mode``.

        The live readout may carry more digits than ``fmt`` where a value
        between two stops needs them (it always shows the value computed).
        """
        if mode == "live":
            return [(_fmt(v, self._live_fmt), v) for v in self._live]
        return [(_fmt(v, self.fmt), v) for v in self._stops]

    def index_of(self, value, mode: str = "static") -> int:
        """Position of ``value`` among the stops of ``mode``."""
        return self.mode_stops(mode).index(value)


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


_NO_DATA = object()


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
    describe : callable, optional
        ``describe(data, **values) -> str``: one or two sentences on the frame
        (what is plotted, at which parameter values, the key number it
        shows), from the ``data`` that ``compute`` returned. With the title it
        is the frame's text alternative (:meth:`description`): the alt text
        of the picture and the caption under it, which screen readers
        announce after every slider move (an ARIA live region). Without
        it, a generic text names the title and the slider values.
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
        describe: Callable[..., str] | None = None,
        figsize=(7.0, 3.6),
        dpi: int | None = None,
        mode: str | None = None,
        max_frames: int = MAX_FRAMES,
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
        self.setup = setup
        self.params = params
        self.title = title
        self.describe = describe
        self.figsize = tuple(figsize)
        self.dpi = int(dpi) if dpi else int(min(100, FRAME_WIDTH_PX // self.figsize[0]))
        self._mode = mode
        self.max_frames = int(max_frames)
        self._renderer: FrameRenderer | None = None
        self._shown: dict | None = None     # the state the renderer's canvas holds
        self._shown_data: Any = _NO_DATA    # what compute returned for it, if known
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
            self._shown, self._shown_data = self.defaults(), _NO_DATA
        return self._renderer

    def frame(self, **values) -> np.ndarray:
        """Compute and draw one state in place; the frame as ``(H, W, 4)`` uint8 RGBA."""
        vals = {**self.defaults(), **values}
        renderer = self.renderer
        if vals == self._shown:             # compute is pure: the canvas holds this state
            return renderer.current()
        self._shown = None                  # (stays None if compute or draw raises)
        data = self.compute(**vals)
        out = renderer.frame(data, vals)
        self._shown, self._shown_data = vals, data
        return out

    def readouts(self, **values) -> str:
        """The slider labels and values of a state, as text ("h / Δ0 = 0.65, T / Δ0 = 0.1")."""
        vals = {**self.defaults(), **values}
        return ", ".join(f"{p.label} = {_fmt(vals[p.name], p._live_fmt)}" for p in self.params)

    def description(self, **values) -> str:
        """The text alternative of one state: the title, then ``describe(data, **values)``.

        Without a ``describe`` function: the title and the slider values.
        ``compute`` runs only if the state is not the one last drawn.
        """
        vals = {**self.defaults(), **values}
        head = (self.title or "Interactive figure").strip().rstrip(".:")
        if self.describe is None:
            return f"{head}: figure at {self.readouts(**vals)}."
        known = vals == self._shown and self._shown_data is not _NO_DATA
        data = self._shown_data if known else self.compute(**vals)
        text = " ".join(str(self.describe(data, **vals)).split())
        return f"{head} {text}" if head.endswith(("?", "!")) else f"{head}. {text}"

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
    def _sliders(self, mode: str = "static"):
        import ipywidgets as w

        sliders = []
        for p in self.params:
            sliders.append(
                w.SelectionSlider(
                    options=p.options(mode),
                    index=p.index_of(p.stops[p.default_index], mode),
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

    def _frame_box(self, sliders, image_area, caption, note: str):
        """Title, sliders, picture, caption (the live region) and a note, in a column.

        The DOM classes are what :mod:`pairing_lib.widgets.a11y` upgrades in the
        browser: ``pairing-explorer`` (the whole explorer), ``pairing-picture``
        (the images), ``pairing-describe`` (the frame's description).
        """
        import ipywidgets as w

        children = []
        if self.title:
            children.append(w.HTML(f"<b>{html.escape(self.title)}</b>"))
        children.append(w.HBox(sliders, layout=w.Layout(flex_flow="row wrap")))
        image_area.add_class("pairing-picture")
        children.append(image_area)
        caption.add_class("pairing-describe")
        children.append(caption)
        children.append(w.HTML(f"<small>{note}</small>"))
        box = w.VBox(children, layout=w.Layout(width="100%"))
        box.add_class("pairing-explorer")
        return box

    @staticmethod
    def _caption_html(text: str, frames: Sequence[str] | None = None) -> str:
        """The caption's HTML: the description shown, and (static mode) every frame's
        description as JSON, frames in slider product order, for the page's script."""
        out = f"<p class='pairing-describe-text' style='margin:0.2em 0'>{html.escape(text)}</p>"
        if frames is not None:      # an attribute: no "</script" inside the page's widget state
            data = html.escape(json.dumps(list(frames), ensure_ascii=False), quote=True)
            out += f"<span hidden class='pairing-describe-frames' data-frames=\"{data}\"></span>"
        return out

    def live_widget(self):
        """Sliders whose changes recompute and redraw in the kernel.

        A slider move draws in place on the retained figure (blitted where it
        can be); moves that arrive while a frame is being drawn are coalesced,
        so the figure always ends on the last position of the slider.
        """
        import ipywidgets as w

        sliders = self._sliders("live")
        image = w.Image(value=self.render(**self.defaults()), format="png",
                        layout=self._image_layout())
        caption = w.HTML(self._caption_html(self.description(**self.defaults())))
        status = w.HTML("")

        def show(vals):
            try:
                image.value = self.render(**vals)
                caption.value = self._caption_html(self.description(**vals))
                status.value = ""
            except ValueError as err:  # physics refused the input: say so
                status.value = f"<span style='color:#b00'>Cannot draw: {html.escape(str(err))}</span>"
                caption.value = self._caption_html(f"Cannot draw: {err}")

        updates = _Coalescer(show)

        def on_change(_change=None):
            updates.request({p.name: s.value for p, s in zip(self.params, sliders)})

        for s in sliders:
            s.observe(on_change, names="value")
        box = self._frame_box(sliders, w.VBox([image, status]), caption,
                              "Live explorer: each slider move recomputes in the kernel "
                              "(sliders: Tab to a handle, then the arrow keys).")
        box._pairing_updates = updates     # for tests: how many redraws ran
        box._pairing_caption = caption
        return box

    def static_frames(self) -> FrameSet:
        """Every state drawn (default first, then in slider order) and encoded compactly."""
        names = [p.name for p in self.params]
        keys = list(itertools.product(*(range(len(p.stops)) for p in self.params)))
        frames, texts = [], []
        for key in keys:
            vals = {n: p.stops[i] for n, p, i in zip(names, self.params, key)}
            frames.append(self.frame(**vals)[..., :3])
            texts.append(self.description(**vals))
        fs = encode_frames(frames, keys, [len(p.stops) for p in self.params])
        fs.descriptions = texts
        return fs

    def static_widget(self):
        """Sliders that switch precomputed frames in the browser (no kernel).

        Each frame is an overlay image stacked on a base image (see
        :mod:`pairing_lib.widgets.frames`); nested ``Stack`` widgets hold the
        overlays and their ``selected_index`` follows the sliders through
        ``jslink``. During the book build (``PAIRING_LIB_FRAMES`` set) the images
        are files of the website, referenced by URL; otherwise they are inline.
        The caption under the picture holds the description of every frame;
        the page's script (:mod:`pairing_lib.widgets.a11y`) shows the one of
        the sliders' current stops and makes it the picture's alt text.
        """
        import ipywidgets as w

        sliders = self._sliders("static")
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
        # the caption (live region) holds every frame's description; the page's script
        # (pairing_lib.widgets.a11y) shows the one of the sliders' current stops
        default = 0
        for p in self.params:
            default = default * len(p.stops) + p.default_index
        captions = w.HTML(self._caption_html(fs.descriptions[default], fs.descriptions))
        picture = w.GridBox([base, overlays],
                            layout=w.Layout(grid_template_areas='"frame"',
                                            grid_template_columns="minmax(0, 1fr)",
                                            width="100%", max_width=f"{fs.size[0]}px"))
        box = self._frame_box(
            sliders, picture, captions,
            f"Precomputed explorer: {self.frame_count} frames switched in your browser "
            "(sliders: Tab to a handle, then the arrow keys); run the notebook (Binder or "
            "local) for the live version, with finer sliders.")
        box._pairing_links = links  # keep the link widgets alive with the box
        box._pairing_frames = fs
        return box

    def widget(self):
        """The widget for the current mode."""
        return self.static_widget() if self.mode == "static" else self.live_widget()

    def _ipython_display_(self):
        from IPython.display import Javascript, display

        display(self.widget())
        if self.mode == "live":
            # names the sliders, makes the caption a live region, sets the image's alt
            # text (the website loads the same script as a file, see _ext/book_html.py)
            from .a11y import EXPLORER_A11Y_JS

            display(Javascript(EXPLORER_A11Y_JS))


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

