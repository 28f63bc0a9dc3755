"""One figure style for the whole book.

Every figure of the book -- static figures in the chapters and the frames of
the explorers -- is drawn in this style: an opaque white background (so that
figures stay readable when the website is switched to its dark theme),
labelled axes, a colour-blind-safe colour cycle and a legible font size.

Usage in a chapter notebook::

    from pairing_lib import plotting
    plotting.apply_style()                  # once, in the first code cell
    fig, ax = plotting.subplots(figsize=(6, 3.5))

The explorers of :mod:`pairing_lib.widgets` draw inside :func:`style`, so they
look the same whether or not :func:`apply_style` was called.
"""

from __future__ import annotations

import contextlib
import io

import matplotlib
from matplotlib.figure import Figure

__all__ = [
    "COLORS",
    "RC",
    "apply_style",
    "style",
    "subplots",
    "new_figure",
    "figure_png",
]

#: Colour cycle (Okabe-Ito, safe for colour-blind readers), in plotting order.
COLORS = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow
)

#: matplotlib rcParams of the book style.
RC = {
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.transparent": False,
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 10.5,
    "axes.titlesize": 11,
    "axes.labelsize": 10.5,
    "legend.fontsize": 9,
    "legend.framealpha": 0.9,
    "xtick.labelsize": 9.5,
    "ytick.labelsize": 9.5,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.prop_cycle": matplotlib.cycler(color=list(COLORS)),
    "lines.linewidth": 1.8,
    "figure.constrained_layout.use": True,
    "mathtext.fontset": "dejavusans",
}


def apply_style() -> None:
    """Apply the book style to matplotlib's global rcParams (call once per notebook)."""
    matplotlib.rcParams.update(RC)


@contextlib.contextmanager
def style():
    """Context manager that draws with the book style and restores rcParams after."""
    with matplotlib.rc_context(RC):
        yield


def new_figure(figsize=(7.0, 3.6)) -> Figure:
    """A new figure in the book style, not attached to pyplot.

    Figures made this way are never shown twice by the inline backend and
    are freed as soon as they go out of scope, which is what the explorers
    need when they render hundreds of frames.

    Parameters
    ----------
    figsize : tuple of float
        Width and height in inches.
    """
    with style():
        fig = Figure(figsize=figsize, facecolor=RC["figure.facecolor"],
                     layout="constrained")
    return fig


def subplots(nrows: int = 1, ncols: int = 1, figsize=(6.4, 3.6), **kwargs):
    """``pyplot.subplots`` in the book style (for static figures in a chapter).

    The style is applied globally (as :func:`apply_style`) because the inline
    backend draws the figure after the cell has run, outside any context.

    Returns
    -------
    fig : matplotlib.figure.Figure
        The figure.
    axes : matplotlib.axes.Axes or numpy.ndarray
        The axes, as returned by ``matplotlib.pyplot.subplots``.
    """
    import matplotlib.pyplot as plt

    apply_style()
    return plt.subplots(nrows, ncols, figsize=figsize, **kwargs)


def figure_png(fig: Figure, dpi: int = 100, palette: bool = False) -> bytes:
    """Render a figure to PNG bytes with an opaque background.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to render.
    dpi : int
        Resolution in dots per inch.
    palette : bool
        If true, quantise to a 256-colour palette (about three times smaller
        files; used for the precomputed frames of the static website).
    """
    buf = io.BytesIO()
    with style():
        fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    data = buf.getvalue()
    if not palette:
        return data
    from PIL import Image

    img = Image.open(io.BytesIO(data)).convert("RGB")
    img = img.quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()
