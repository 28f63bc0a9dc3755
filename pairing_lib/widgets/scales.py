"""Explorer of the landing page: grain radius -> level spacing against the bulk gap.

Physics: :mod:`pairing_lib.scales`.
"""

from __future__ import annotations

import functools

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


def _draw(fig, data, radius_nm, metal):
    ax, ax2 = fig.subplots(1, 2, width_ratios=[2.2, 1])
    for name, curve in data["curves"].items():
        if name == metal:
            ax.loglog(data["r"], curve, color="C0", lw=2.4, label=f"d(r), {name}")
        else:
            ax.loglog(data["r"], curve, color="0.7", lw=1.0)
    ax.axhline(data["gap"], color="C1", ls="--", label=f"bulk gap Δ ({metal})")
    ax.axvline(data["r_anderson"], color="C1", ls=":", lw=1.2)
    ax.plot([radius_nm], [data["d"]], "o", color="C3", ms=8, zorder=5)
    ax.annotate(f"Anderson: d = Δ\nat r = {data['r_anderson']:.1f} nm",
                (data["r_anderson"], data["gap"]), xytext=(8, 18),
                textcoords="offset points", fontsize=8.5, color="C1")
    ax.set_xlabel("grain radius r (nm)")
    ax.set_xticks([1, 2, 3, 5, 10, 20, 30], labels=["1", "2", "3", "5", "10", "20", "30"])
    ax.minorticks_off()
    ax.set_ylabel("mean level spacing d (meV)")
    ax.set_ylim(1e-3, 30)
    ax.legend(loc="upper right")
    ax.set_title(f"r = {radius_nm:g} nm: d = {data['d']:.3g} meV, "
                 f"d/Δ = {data['d'] / data['gap']:.2g}, N ≈ {data['n_electrons']:.2g}",
                 fontsize=9.5)
    # level ladder around the Fermi energy, in units of the gap
    d_over_gap = data["d"] / data["gap"]
    ax2.axhspan(-1, 1, color="C1", alpha=0.15, label="|ε| < Δ")
    if d_over_gap > 0.04:
        j = np.arange(-60, 61)
        levels = (j + 0.5) * d_over_gap
        levels = levels[np.abs(levels) < 3]
        ax2.hlines(levels, 0.2, 0.8, color="C0", lw=1.5)
    else:
        ax2.text(0.5, 0.0, "quasi-continuum\n(levels too\ndense to draw)",
                 ha="center", va="center", fontsize=8.5)
    ax2.set_xlim(0, 1)
    ax2.set_ylim(-3, 3)
    ax2.set_xticks([])
    ax2.set_ylabel("single-particle energy ε / Δ")
    ax2.set_title(f"{data['levels_in_gap']:.2g} levels within ±Δ", fontsize=9.5)
    ax2.legend(loc="upper right", fontsize=8)


def level_spacing_explorer():
    """Radius and metal sliders -> level spacing d(r) against the bulk gap.

    Returns
    -------
    pairing_lib.widgets.Explorer
    """
    return Explorer(
        _compute,
        _draw,
        [
            Param("radius_nm", "radius r (nm)", values=RADII_NM, default=5.0, fmt="g"),
            Param("metal", "metal", values=tuple(scales.METALS), default="Al"),
        ],
        title="How small is small? Level spacing of a grain versus the bulk gap",
        figsize=(7.6, 3.6),
    )


EXPLORERS = {"level_spacing": level_spacing_explorer}
