"""Explorer of the landing page: grain radius -> level spacing against the bulk gap.

Physics: :mod:`pairing_lib.scales`.
"""

from __future__ import annotations

import functools
from types import SimpleNamespace

import numpy as np

from .. import scales
from . import Explorer, Param

__all__ = ["level_spacing_explorer", "EXPLORERS", "RADII_NM"]

#: Radii offered by the slider (nm).
RADII_NM = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 15.0, 20.0)


@functools.lru_cache(maxsize=None)
def _curves():
    r = np.geomspace(0.8, 30.0, 200)
    return r, {name: scales.level_spacing(r, name) for name in scales.METALS}


def _compute(radius_nm, metal):
    r, curves = _curves()
    m = scales.get_metal(metal)
    d = float(scales.level_spacing(radius_nm, m))
    return {
        "r": r,
        "curves": curves,
        "d": d,
        "gap": m.gap_mev,
        "r_anderson": scales.anderson_radius(m),
        "n_electrons": float(scales.electron_count(radius_nm, m)),
        "levels_in_gap": float(scales.levels_in_gap(radius_nm, m)),
    }


def _setup(fig):
    ax, ax2 = fig.subplots(1, 2, width_ratios=[2.2, 1])
    r, curves = _curves()
    art = SimpleNamespace(ax=ax, ax2=ax2)
    for curve in curves.values():            # every metal in grey, the chosen one on top
        ax.loglog(r, curve, color="0.7", lw=1.0)
    (art.chosen,) = ax.loglog([], [], color="C0", lw=2.4)
    art.gap = ax.axhline(1.0, color="C1", ls="--")
    art.anderson = ax.axvline(1.0, color="C1", ls=":", lw=1.2)
    (art.point,) = ax.plot([], [], "o", color="C3", ms=8, zorder=5)
    art.note = ax.annotate("", (1.0, 1.0), xytext=(8, 18), textcoords="offset points",
                           fontsize=8.5, color="C1")
    ax.set_xlabel("grain radius R (nm)")
    ax.set_xticks([1, 2, 3, 5, 10, 20, 30], labels=["1", "2", "3", "5", "10", "20", "30"])
    ax.minorticks_off()
    ax.set_ylabel("mean level spacing d (meV)")
    ax.set_ylim(1e-3, 30)
    art.legend = ax.legend([art.chosen, art.gap], ["d(R)", "bulk gap Δ0"],
                           loc="upper right")
    # level ladder around the Fermi energy, in units of the gap
    ax2.axhspan(-1, 1, color="C1", alpha=0.15, label="|ε| < Δ0")
    art.levels = ax2.hlines([], 0.2, 0.8, color="C0", lw=1.5)
    art.dense = ax2.text(0.5, 0.0, "quasi-continuum\n(levels too\ndense to draw)",
                         ha="center", va="center", fontsize=8.5)
    ax2.set_xlim(0, 1)
    ax2.set_ylim(-3, 3)
    ax2.set_xticks([])
    ax2.set_ylabel("single-particle energy ε / Δ0")
    ax2.legend(loc="upper right", fontsize=8)
    return art


def _draw(art, data, radius_nm, metal):
    art.chosen.set_data(data["r"], data["curves"][metal])
    art.legend.texts[0].set_text(f"d(r), {metal}")
    art.legend.texts[1].set_text(f"bulk gap Δ0 ({metal})")
    art.gap.set_ydata([data["gap"]] * 2)
    art.anderson.set_xdata([data["r_anderson"]] * 2)
    art.point.set_data([radius_nm], [data["d"]])
    art.note.set_text(f"Anderson: d = Δ0\nat R = {data['r_anderson']:.1f} nm")
    art.note.xy = (data["r_anderson"], data["gap"])
    art.note.stale = True
    art.ax.set_title(f"R = {radius_nm:g} nm: d = {data['d']:.3g} meV, "
                     f"d/Δ0 = {data['d'] / data['gap']:.2g}, N ≈ {data['n_electrons']:.2g}",
                     fontsize=9.5)
    d_over_gap = data["d"] / data["gap"]
    if d_over_gap > 0.04:
        j = np.arange(-60, 61)
        levels = (j + 0.5) * d_over_gap
        levels = levels[np.abs(levels) < 3]
    else:
        levels = np.array([])
    art.levels.set_segments([[(0.2, e), (0.8, e)] for e in levels])
    art.dense.set_visible(d_over_gap <= 0.04)
    art.ax2.set_title(f"{data['levels_in_gap']:.2g} levels within ±Δ0", fontsize=9.5)


def _describe(data, radius_nm, metal):
    ratio = data["d"] / data["gap"]
    side = "above" if ratio > 1 else "below"
    return (f"Level spacing of {metal} grains against their radius, with the bulk gap as a line: "
            f"at R = {radius_nm:g} nm the spacing is d = {data['d']:.3g} meV, {ratio:.2g} times "
            f"the gap ({side} Anderson's line d = Δ0, crossed at R = {data['r_anderson']:.1f} nm); "
            f"about {data['levels_in_gap']:.2g} levels lie within ±Δ0 of the Fermi energy.")


def level_spacing_explorer():
    """Radius and metal sliders -> level spacing d(r) against the bulk gap.

    Returns
    -------
    pairing_lib.widgets.Explorer
    """
    return Explorer(
        _compute,
        _draw,
        setup=_setup,
        params=[
            Param("radius_nm", "radius R (nm)", values=RADII_NM, default=5.0, fmt="g"),
            Param("metal", "metal", values=tuple(scales.METALS), default="Al"),
        ],
        title="How small is small? Level spacing of a grain versus the bulk gap",
        figsize=(7.6, 3.6),
        describe=_describe,
    )


EXPLORERS = {"level_spacing": level_spacing_explorer}
