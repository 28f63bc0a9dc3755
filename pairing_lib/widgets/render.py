"""Retained drawing of explorer frames: one figure, updated in place, blitted where that holds.

Every frame of every explorer -- a slider move under a live kernel and each
precomputed frame of the static website -- is drawn by a
:class:`FrameRenderer`, so both modes look the same.

How a frame is drawn
--------------------
1. The explorer's ``setup(fig)`` builds the axes and artists once; its
   ``draw(art, data, **values)`` changes them in place (``set_data``,
   ``set_text``, ``set_visible``, ...).
2. The first frame lets the figure's layout engine (constrained layout) place
   the axes; the layout is then frozen (:attr:`FrameRenderer.positions`): no
   layout pass runs on later frames.
3. After ``draw``, the renderer asks matplotlib which artists changed: every
   artist changed through a ``set_*`` method is *stale*. If only artists
   already known to change are stale and the set of artists is as before, the
   frame is *blitted*: the cached background (everything that does not
   change) is restored and only the changing artists are drawn over it, in
   matplotlib's own drawing order. Otherwise the whole figure is drawn and the
   background is cached anew, without the changing artists (which are learned
   from frame to frame, and during a warm-up before the reader's first move).
4. An axes whose frame changes (limits, ticks, an axis label: what its axis
   draws, compared by value, not by stale flags) is redrawn as a whole over
   the background, until its frame has stayed the same for a few frames;
   the other axes still blit.

Blitting reproduces a full draw exactly because the overlay is drawn in the
same order as the full draw would: an unchanged artist that is drawn *after*
a changing one and overlaps it (a legend over a curve, the frame of the axes,
a twin axes) is moved into the overlay too. A frame is therefore pixel for
pixel the frame a fresh figure would give (``tests/test_widgets.py`` compares
them).

Rules for draw functions
------------------------
Change artists through their ``set_*`` methods (they mark the artist stale);
never mutate an artist's arrays in place. Setting an attribute directly (e.g.
``annotation.xy = ...``) must be followed by ``artist.stale = True``. Artists
created inside ``draw`` (a new legend, a new line) are fine: they make that
frame a full draw.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.image import AxesImage
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.legend import Legend
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from .. import plotting

__all__ = ["FrameRenderer", "RenderStats"]

#: Padding (pixels) around the regions used to decide which artists overlap.
_PAD = 3.0

#: An axes whose frame (limits, ticks, labels) changes is redrawn as a whole
#: (axis, ticks and all) until its frame has stayed the same for this many frames.
_HISTORY = 8


@dataclass
class RenderStats:
    """How the frames of a :class:`FrameRenderer` were drawn."""

    full: int = 0          #: frames drawn in full
    blit: int = 0          #: frames blitted over the cached background
    reasons: dict = field(default_factory=dict)  #: why frames were drawn in full

    def note(self, reason: str) -> None:
        self.full += 1
        self.reasons[reason] = self.reasons.get(reason, 0) + 1


def _leaves(unit) -> list:
    """The artists whose ``stale`` flag tells whether ``unit`` changed."""
    if isinstance(unit, Axis):
        # the ticks are regenerated at every draw of the axis; limits, locators,
        # formatters and tick parameters mark the Axis itself stale
        return [unit, unit.label, unit.offsetText]
    if isinstance(unit, Axes):
        return [leaf for child in unit.get_children() for leaf in _leaves(child)]
    return unit.findobj()


def _axes_order(ax: Axes) -> list:
    """The artists of ``ax`` in the order ``Axes.draw`` draws them (matplotlib 3.8+)."""
    artists = ax.get_children()
    artists.remove(ax.patch)
    if not (ax.axison and ax.get_frame_on()):
        for spine in ax.spines.values():
            artists.remove(spine)
    if not ax.axison:
        for axis in ax._axis_map.values():
            artists.remove(axis)
    artists = sorted((a for a in artists if not a.get_animated()), key=lambda a: a.zorder)
    if ax.axison and ax.get_frame_on():
        artists = [ax.patch] + artists
    return artists


def _draw_order(fig, whole=()) -> list:
    """Every drawn unit of ``fig`` as ``(artist, axes or None)``, in drawing order.

    The artists of an axes are units of their own, except for the axes in
    ``whole`` (ids), which are one unit each (drawn with ``Axes.draw``).
    """
    order = []
    children = [a for a in fig.get_children() if a is not fig.patch]
    for art in sorted((a for a in children if not a.get_animated()),
                      key=lambda a: a.get_zorder()):
        if isinstance(art, Axes):
            if not art.get_visible():
                continue
            if id(art) in whole:
                order.append((art, art))
            else:
                order.extend((child, art) for child in _axes_order(art))
        else:
            order.append((art, None))
    return order


def _axis_fingerprint(axis: Axis) -> tuple:
    """What an axis draws: range, scale, ticks and their labels, tick style, label."""
    major = np.asarray(axis.get_majorticklocs())
    return (tuple(axis.get_view_interval()), axis.get_scale(), axis.get_visible(),
            tuple(major), tuple(np.asarray(axis.get_minorticklocs())),
            tuple(axis.major.formatter.format_ticks(major)), axis.major.formatter.get_offset(),
            repr(sorted(axis._major_tick_kw.items())), repr(sorted(axis._minor_tick_kw.items())),
            axis.label.get_text(), axis.label.get_visible())


def _axes_signature(ax: Axes) -> tuple:
    """What a full draw of ``ax`` depends on besides its artists' own state."""
    return (ax.get_xlim(), ax.get_ylim(), ax.get_xscale(), ax.get_yscale(),
            tuple(ax.get_position(original=True).bounds), ax.get_aspect(),
            ax.get_visible(), ax.axison, ax.get_frame_on())


def _union(boxes) -> Bbox | None:
    boxes = [b for b in boxes if b is not None and np.all(np.isfinite(b.get_points()))]
    return Bbox.union(boxes) if boxes else None


def _padded(box: Bbox | None) -> Bbox | None:
    return None if box is None else box.padded(_PAD)


def _overlaps(a: Bbox | None, b: Bbox | None) -> bool:
    if a is None or b is None:
        return False
    return a.x0 <= b.x1 and b.x0 <= a.x1 and a.y0 <= b.y1 and b.y0 <= a.y1


class FrameRenderer:
    """One retained figure that draws the states of an explorer.

    Parameters
    ----------
    draw : callable
        With ``setup``: ``draw(art, data, **values)`` updates the artists in
        place. Without: ``draw(fig, data, **values)`` paints onto the cleared
        figure (every frame is then a full draw with the figure's own layout).
    setup : callable, optional
        ``setup(fig) -> art``: builds the axes and artists once.
    figsize : tuple of float
        Figure size in inches.
    dpi : int
        Resolution of the frames.
    blit : bool
        Allow blitting (``False`` draws every frame in full: the reference
        against which blitted frames are tested).

    Attributes
    ----------
    positions : list of matplotlib.transforms.Bbox or None
        The frozen layout (one box per axes, in ``fig.axes`` order), set by
        the first frame.
    stats : RenderStats
        How many frames were drawn in full and how many were blitted.
    """

    def __init__(self, draw: Callable[..., Any], *, setup: Callable | None = None,
                 figsize=(7.0, 3.6), dpi: int = 100, blit: bool = True):
        self._draw_fn = draw
        self._setup = setup
        self.dpi = int(dpi)
        self.fig = plotting.new_figure(figsize)
        self.fig.set_dpi(self.dpi)
        self.canvas = FigureCanvasAgg(self.fig)
        self.blit_allowed = bool(blit)
        self.stats = RenderStats()
        self.art = None
        self.positions = None
        self._plan = None          # overlay plan of the last full draw
        self._background = None
        self._dynamic: dict[int, Any] = {}   # id -> unit: artists known to change
        self._whole: dict[int, Axes] = {}    # id -> axes redrawn as a whole
        self._seen: tuple | None = None        # structure at the last full draw
        self._seen_units: list | None = None
        self._axis_prints: dict[int, tuple] = {}
        self._history: dict[int, list] = {}  # id(axes) -> did its frame change, recent frames
        self._frame_states: dict[int, tuple] = {}
        self._warming = False
        if setup is not None:
            with plotting.style():
                self.art = setup(self.fig)

    # -- layout ----------------------------------------------------------------
    def _freeze_layout(self) -> None:
        self.positions = [ax.get_position(original=True).frozen() for ax in self.fig.axes]
        self.fig.set_layout_engine("none")

    # -- public ------------------------------------------------------------------
    @property
    def size(self) -> tuple[int, int]:
        """(width, height) of the frames in pixels."""
        w, h = self.canvas.get_width_height()
        return int(w), int(h)

    @property
    def whole_axes(self) -> list:
        """The axes currently redrawn as a whole (their frame changed lately)."""
        return list(self._whole.values())

    def current(self) -> np.ndarray:
        """The last frame drawn, as ``(H, W, 4)`` uint8 RGBA (a copy)."""
        return np.asarray(self.canvas.buffer_rgba()).copy()

    def frame(self, data, values: dict) -> np.ndarray:
        """Draw one state and return the frame as an ``(H, W, 4)`` uint8 RGBA array (a copy)."""
        with plotting.style():
            if self._setup is None:
                self.fig.clear()
                self._draw_fn(self.fig, data, **values)
                self.canvas.draw()
                self.stats.note("no setup: drawn from scratch")
            else:
                self._draw_fn(self.art, data, **values)
                if self.positions is None:
                    self.canvas.draw()          # the layout engine places the axes once
                    self._freeze_layout()
                    self._full_draw("first frame")
                else:
                    self._update()
        return self.current()

    # -- change detection ----------------------------------------------------------
    def _structure(self, order) -> tuple:
        """What must stay the same for the cached background to remain valid."""
        return (tuple(id(unit) for unit, _ in order),
                tuple(_axes_signature(ax) for ax in self.fig.axes if id(ax) not in self._whole))

    def _unit_changed(self, unit) -> bool:
        if isinstance(unit, Axis):
            # set_xlim, set_xlabel, ... mark the Axis stale even when nothing
            # changes: compare what the axis would draw instead
            if unit.label.stale or unit.offsetText.stale:
                return True
            return unit.stale and _axis_fingerprint(unit) != self._axis_prints.get(id(unit))
        return any(leaf.stale for leaf in _leaves(unit))

    def _changed_units(self, order) -> list:
        changed = [unit for unit, _ in order if self._unit_changed(unit)]
        # a legend placed at "best" moves with the data of its axes
        touched = {id(ax) for unit, ax in order if ax is not None and unit in changed}
        for unit, ax in order:
            if (isinstance(unit, Legend) and getattr(unit, "_loc", None) == 0
                    and ax is not None and id(ax) in touched and unit not in changed):
                changed.append(unit)
        return changed

    def _clean(self, order) -> None:
        for unit, _ax in order:
            for leaf in _leaves(unit):
                leaf.stale = False
        self.fig.stale = False

    def _frame_state(self, ax) -> tuple:
        """Limits, scales and what each axis draws (recomputed only for a stale axis)."""
        prev = self._frame_states.get(id(ax))
        prints = []
        for i, axis in enumerate(ax._axis_map.values()):
            if prev is None or axis.stale or axis.label.stale or axis.offsetText.stale:
                prints.append(_axis_fingerprint(axis))
            else:
                prints.append(prev[1][i])
        return _axes_signature(ax), tuple(prints)

    def _frames_changed(self, order) -> set:
        """Ids of the axes whose frame changed since the last frame: limits, ticks, axis
        labels, or (for the axes drawn unit by unit) the set of their artists."""
        before = {id(u) for u in (self._seen_units or ())}
        out = set()
        states = {}
        for ax in self.fig.axes:
            states[id(ax)] = state = self._frame_state(ax)
            if self._frame_states.get(id(ax)) not in (None, state):
                out.add(id(ax))
            elif id(ax) not in self._whole and self._seen_units and any(
                    id(u) not in before for u, owner in order if owner is ax):
                out.add(id(ax))
        self._frame_states = states
        return out

    def _learn(self, order, changed, frames_changed) -> None:
        """Remember what changed: artists join the overlay; an axes whose frame changed
        is redrawn as a whole (one unit of the overlay), until its frame has stayed
        the same for :data:`_HISTORY` frames."""
        for ax in self.fig.axes:
            history = self._history.setdefault(id(ax), [])
            history.append(id(ax) in frames_changed)
            del history[:-_HISTORY]
            if id(ax) not in self._whole and history[-1]:
                self._whole[id(ax)] = ax
            elif (id(ax) in self._whole and len(history) == _HISTORY and not any(history)
                  and not self._warming):
                del self._whole[id(ax)]      # drawn unit by unit (and blitted) again
        for unit in changed:
            if not isinstance(unit, (Axis, Axes)) and unit is not self.fig.patch:
                self._dynamic[id(unit)] = unit

    def warm_up(self) -> None:
        """Start a warm-up: frames drawn until :meth:`settle` teach the renderer which
        artists and axes change, and do not count as frames in which an axes stayed
        the same."""
        self._warming = True

    def settle(self) -> None:
        """End a warm-up: forget how often the axes frames changed."""
        self._warming = False
        self._history.clear()

    def _update(self) -> None:
        order = _draw_order(self.fig, self._whole)
        changed = self._changed_units(order)
        structure = self._structure(order)
        frames_changed = self._frames_changed(order)
        if not changed and not frames_changed and structure == self._seen:
            self._learn(order, changed, frames_changed)
            self.stats.blit += 1        # nothing changed: the canvas holds the frame
            return
        if not self.blit_allowed:
            self._full_draw("blitting off")
            return
        plan = self._plan
        self._learn(order, changed, frames_changed)
        if (frames_changed - set(self._whole)) or structure != self._seen:
            self._full_draw("axes frame or artists changed")
            return
        if plan is None or any(id(u) not in plan["ids"] for u in changed):
            self._full_draw("new changing artists")
            return
        renderer = self.canvas.get_renderer()
        moved = {id(u) for u in changed}
        for unit, pos in zip(plan["units"], plan["positions"]):
            if id(unit) in moved and not plan["clipped"][id(unit)]:
                later = [other for p, other in plan["above"] if p > pos]
                if not later:
                    continue        # nothing unchanged is drawn over it
                box = _padded(self._extent(unit, None, renderer))
                if any(_overlaps(box, other) for other in later):
                    self._full_draw("a changing artist moved over an unchanged one")
                    return
        self.canvas.restore_region(self._background)
        for unit in plan["units"]:
            unit.draw(renderer)
        self._clean(order)
        self.stats.blit += 1

    # -- full draw and the overlay plan ----------------------------------------
    def _extent(self, unit, ax, renderer) -> Bbox | None:
        """Region of the canvas that ``unit`` paints (display coordinates)."""
        if isinstance(unit, Axes):      # tick labels and axis labels lie outside
            return unit.get_tightbbox(renderer)
        if isinstance(unit, Axis):      # grid lines inside the axes, tick marks outside
            inner = unit.axes.bbox.padded(12.0)
            return _union([unit.get_tightbbox(renderer), inner])
        clip = unit.get_clip_box() if unit.get_clip_on() else None
        if clip is not None and unit.get_clip_path() is None:
            return clip.frozen()
        try:
            box = unit.get_window_extent(renderer)
            patch = unit.get_bbox_patch() if isinstance(unit, Text) else None
            if patch is not None and patch.get_visible():
                box = Bbox.union([box, patch.get_window_extent(renderer)])
            return box
        except (TypeError, AttributeError, NotImplementedError, RuntimeError):
            return ax.bbox.frozen() if ax is not None else self.fig.bbox.frozen()

    def _make_plan(self, order, renderer) -> dict | None:
        """The units redrawn over the background: the changing ones and what lies over them.

        Walking the drawing order from the first changing unit on, an unchanged
        unit joins the overlay if it overlaps the overlay so far (it must be
        drawn over it again); the others stay in the background and are kept in
        ``below`` so that a changing text that moves over one of them later
        forces a full draw.
        """
        live = {id(u) for u, _ in order}
        self._dynamic = {k: u for k, u in self._dynamic.items() if k in live}
        self._dynamic.update({k: ax for k, ax in self._whole.items() if k in live})
        if not self._dynamic or not self.blit_allowed:
            return None
        units, positions, region, above, clipped = [], [], [], [], {}
        for pos, (unit, ax) in enumerate(order):
            is_dynamic = id(unit) in self._dynamic
            if not is_dynamic and not units:
                continue
            box = _padded(self._extent(unit, ax, renderer))
            if is_dynamic and box is None:
                return None         # cannot say where it paints: no blitting
            if is_dynamic or any(_overlaps(box, r) for r in region):
                units.append(unit)
                positions.append(pos)
                clipped[id(unit)] = (not isinstance(unit, (Axis, Axes)) and unit.get_clip_on()
                                     and unit.get_clip_box() is not None
                                     and unit.get_clip_path() is None)
                if box is not None:
                    region.append(box)
            elif box is not None:
                above.append((pos, box))
        return {"units": units, "positions": positions, "above": above, "clipped": clipped,
                "ids": {id(u) for u in units}}

    def _full_draw(self, reason: str) -> None:
        order = _draw_order(self.fig, self._whole)
        renderer = self.canvas.get_renderer()
        plan = self._make_plan(order, renderer)
        if plan is None:
            self.canvas.draw()
            self._background = None
        else:
            # leave the overlay out of the background: animated artists are not
            # drawn by Figure.draw / Axes.draw (hiding them instead would move
            # the axes titles, which are placed by their own extent); images are
            # hidden, because matplotlib < 3.10 draws animated images anyway
            saved = [(u, u.get_animated(), u.get_visible()) for u in plan["units"]]
            for unit, _, _ in saved:
                if isinstance(unit, AxesImage):
                    unit.set_visible(False)
                else:
                    unit.set_animated(True)
            self.canvas.draw()
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
            for unit, animated, visible in saved:
                unit.set_animated(animated)
                unit.set_visible(visible)
            renderer = self.canvas.get_renderer()
            for unit in plan["units"]:
                unit.draw(renderer)
        self._plan = plan
        self._clean(order)
        self._seen = self._structure(order)
        self._seen_units = [u for u, _ in _draw_order(self.fig)]
        self._axis_prints = {id(axis): _axis_fingerprint(axis) for ax in self.fig.axes
                             if id(ax) not in self._whole for axis in ax._axis_map.values()}
        self.stats.note(reason)
