"""Dual-mode explorers: a live kernel recomputes, the static website switches frames.

Every interactive figure of the book is an :class:`Explorer`: a pure
``compute`` function of the slider values (library calls only), a ``draw``
function that paints the result onto a matplotlib figure, and a list of
:class:`Param` sliders. In a notebook an explorer is one call; it displays
itself as a row of sliders above a figure.

Two modes
---------
``live`` (default: Jupyter, Binder, nbval)
    Moving a slider calls ``compute`` and ``draw`` again in the kernel and
    replaces the picture.
``static`` (the book build, ``PAIRING_LIB_WIDGETS=static``, set by ``make book``)
    Every combination of slider values is computed and drawn once, at build
    time. The frames are PNG images in nested ``ipywidgets.Stack`` widgets
    whose ``selected_index`` is tied to the sliders with ``jslink``, so the
    browser switches frames with no kernel at all.

The sliders are :class:`ipywidgets.SelectionSlider` widgets over the same
discrete ``values`` in both modes, so the website and the live notebook
offer exactly the same stops.

Example
-------
>>> import numpy as np
>>> from pairing_lib.widgets import Explorer, Param
>>> def compute(a):
...     x = np.linspace(0, 1, 50)
...     return x, a * x**2
>>> def draw(fig, data, a):
...     ax = fig.add_subplot()
...     ax.plot(*data)
...     ax.set_xlabel("x"); ax.set_ylabel("a x^2")
>>> exp = Explorer(compute, draw, [Param("a", "a", values=[0.5, 1.0, 2.0])])
>>> exp.frame_count
3

Chapter explorers live in the submodules of this package, one per physics
module (``pairing_lib.widgets.clogston``, ...); each has a dict
``EXPLORERS`` of factories that ``benchmarks/bench_explorers.py`` times.
"""

from __future__ import annotations

import importlib
import math
import os
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from .. import plotting

__all__ = [
    "Param",
    "Explorer",
    "widget_mode",
    "MODE_ENV",
    "MAX_FRAMES",
    "CHAPTER_MODULES",
    "all_explorers",
]

#: Environment variable that selects the mode ("live" or "static").
MODE_ENV = "PAIRING_LIB_WIDGETS"

#: Largest number of precomputed frames one explorer may ask for.
MAX_FRAMES = 120

#: Submodules holding the chapter explorers (each with an ``EXPLORERS`` dict).
CHAPTER_MODULES = ("scales", "clogston", "grains", "seniority", "symmetry", "films")


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


class Explorer:
    """An interactive figure that works with a live kernel and on the static site.

    Parameters
    ----------
    compute : callable
        ``compute(**values) -> data``; pure, calls library functions only.
        Target: < 50 ms (``benchmarks/bench_explorers.py`` checks).
    draw : callable
        ``draw(fig, data, **values)``; paints onto the empty matplotlib
        figure it is given. Target: compute + draw < 200 ms.
    params : sequence of Param
        The sliders, in display order.
    title : str, optional
        A line of text shown above the sliders.
    figsize : tuple of float
        Figure size in inches.
    dpi : int
        Resolution of the rendered frames.
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
        title: str | None = None,
        figsize=(7.0, 3.6),
        dpi: int = 100,
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
        self.params = params
        self.title = title
        self.figsize = tuple(figsize)
        self.dpi = int(dpi)
        self._mode = mode
        self.max_frames = int(max_frames)
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

    def figure(self, **values):
        """Compute and draw one state; returns the matplotlib Figure."""
        vals = {**self.defaults(), **values}
        data = self.compute(**vals)
        fig = plotting.new_figure(self.figsize)
        with plotting.style():
            self.draw(fig, data, **vals)
        return fig

    def render(self, palette: bool = False, **values) -> bytes:
        """Compute, draw and render one state to PNG bytes."""
        return plotting.figure_png(self.figure(**values), dpi=self.dpi, palette=palette)

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
                    continuous_update=False,
                    readout=True,
                    style={"description_width": "initial"},
                    layout=w.Layout(flex="1 1 300px", min_width="280px", max_width="480px"),
                )
            )
        return sliders

    def _image(self, png: bytes):
        import ipywidgets as w

        return w.Image(
            value=png,
            format="png",
            layout=w.Layout(width="100%", max_width=f"{int(self.figsize[0] * self.dpi)}px",
                            height="auto"),
        )

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
        """Sliders whose changes recompute and redraw in the kernel."""
        import ipywidgets as w

        sliders = self._sliders()
        image = self._image(self.render(**self.defaults()))
        status = w.HTML("")

        def on_change(_change=None):
            vals = {p.name: s.value for p, s in zip(self.params, sliders)}
            try:
                image.value = self.render(**vals)
                status.value = ""
            except ValueError as err:  # physics refused the input: say so
                status.value = f"<span style='color:#b00'>Cannot draw: {err}</span>"

        for s in sliders:
            s.observe(on_change, names="value")
        box = self._frame_box(sliders, w.VBox([image, status]),
                              "Live explorer: each slider move recomputes in the kernel.")
        return box

    def static_widget(self):
        """Sliders that switch precomputed frames in the browser (no kernel)."""
        import ipywidgets as w

        sliders = self._sliders()
        links = []

        def build(level: int, fixed: dict):
            p = self.params[level]
            if level == len(self.params) - 1:
                children = [self._image(self.render(palette=True, **fixed, **{p.name: v}))
                            for v in p.stops]
            else:
                children = [build(level + 1, {**fixed, p.name: v}) for v in p.stops]
            stack = w.Stack(children=children, selected_index=p.default_index)
            links.append(w.jslink((sliders[level], "index"), (stack, "selected_index")))
            return stack

        root = build(0, {})
        box = self._frame_box(
            sliders, root,
            f"Precomputed explorer: {self.frame_count} frames switched in your browser; "
            "run the notebook (Binder or local) for the live version.")
        box._pairing_links = links  # keep the link widgets alive with the box
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

