"""Explorers of chapter 5 (disordered films: pairing droplets above the Pauli field).

Physics: :mod:`pairing_lib.films`. Each factory returns an
:class:`~pairing_lib.widgets.Explorer`; in the chapter notebook an explorer is
one call, e.g. ``films_widgets.droplet_map_explorer()``.

.. rubric:: Explorers

droplet_map
    Field (H - Hc)/Hc, conductance g and disorder seed -> the droplets of one
    realisation on an 80 x 80 lattice (spacing xi0): the curvature seen by an
    optimal droplet at each point, and the negative eigenstates of the
    curvature operator. The realisations are computed once per (g, seed) at
    the lowest field; a larger field only shifts the spectrum
    (:meth:`pairing_lib.films.Droplets.restrict`). Both maps are drawn cell by
    cell with fixed, discrete colour scales (frames compare directly and the
    precomputed frames stay small).
couplings
    Zeeman energy -> the clean-limit pair correlation (eq. 19, with the exact
    phase) and the random dirty-limit Josephson couplings versus distance.
density_law
    Exponent and prefactor of the density law -> the law against the
    chapter's simulation (:func:`pairing_lib.films.density_scan`).
"""

from __future__ import annotations

import functools
from types import SimpleNamespace

import numpy as np

from .. import films
from . import Explorer, Param

__all__ = [
    "droplet_map_explorer",
    "couplings_explorer",
    "density_law_explorer",
    "EXPLORERS",
    "MAP_L",
    "MAP_DELTA_H",
    "MAP_G",
    "MAP_SEEDS",
]

#: Lattice of the droplet-map explorer (sites per side; spacing xi0).
MAP_L = 80
#: Field stops of the droplet-map explorer.
MAP_DELTA_H = (0.02, 0.035, 0.06, 0.1)
#: Conductance stops of the droplet-map explorer.
MAP_G = (3.0, 4.0, 5.0)
#: Disorder seeds of the droplet-map explorer.
MAP_SEEDS = (1, 2)


# ----------------------------------------------------------------------------
# (a) droplet map
# ----------------------------------------------------------------------------
@functools.lru_cache(maxsize=None)
def _realisation(g, seed):
    return films.simulate_droplets(MAP_L, min(MAP_DELTA_H), g, seed, return_states=True)


# Colour scales of the droplet map, fixed for every state so that frames compare (and
# the static frames stay small): R / delta_h in 12 levels of 0.5 on [-1, 5] (level
# boundaries at 0, below which a droplet is guaranteed, and at the clean-film value 2);
# sqrt(sum |psi|^2) in 16 levels on [0, 0.15] (the few brighter peaks saturate).
_MAP_R_RANGE = (-1.0, 5.0)
_MAP_R_LEVELS = 12
_MAP_PSI_MAX = 0.15
_MAP_PSI_LEVELS = 16


def _circles(ax, color, ls="-"):
    """One collection for a variable number of circles (data units, empty to start)."""
    from matplotlib.collections import EllipseCollection

    coll = EllipseCollection([], [], [], units="xy", offsets=np.zeros((0, 2)),
                             offset_transform=ax.transData, facecolors="none",
                             edgecolors=color, linewidths=1.2, linestyles=ls)
    ax.add_collection(coll, autolim=False)
    return coll


def _set_circles(coll, centres, radii):
    centres = np.asarray(centres, float).reshape(-1, 2)
    diameters = 2 * np.asarray(radii, float).ravel()
    coll.set_offsets(centres)
    coll.set_widths(diameters)
    coll.set_heights(diameters)
    coll.set_angles(np.zeros_like(diameters))


def _droplet_map_setup(fig):
    import matplotlib
    from matplotlib.lines import Line2D
    from matplotlib.patches import Circle

    ax1, ax2 = fig.subplots(1, 2)
    art = SimpleNamespace(ax1=ax1, ax2=ax2)
    ext = (0, MAP_L, 0, MAP_L)
    blank = np.zeros((MAP_L, MAP_L))
    # lattice sites drawn as cells (no smoothing): the data as it is, and compact frames
    art.test = ax1.imshow(blank, origin="lower", extent=ext, interpolation="nearest",
                          cmap=matplotlib.colormaps["RdBu"].resampled(_MAP_R_LEVELS),
                          vmin=_MAP_R_RANGE[0], vmax=_MAP_R_RANGE[1])
    fig.colorbar(art.test, ax=ax1, shrink=0.85, label="R(r₀) / δh   (clean film: 2)")
    art.weight = ax2.imshow(blank, origin="lower", extent=ext, interpolation="nearest",
                            cmap=matplotlib.colormaps["magma_r"].resampled(_MAP_PSI_LEVELS),
                            vmin=0.0, vmax=_MAP_PSI_MAX)
    art.drops, art.lf = [], []
    for ax, color in ((ax1, "C2"), (ax2, "C0")):
        art.drops.append(_circles(ax, color))
        art.lf.append(ax.add_patch(Circle((0.0, 0.0), 1.0, fill=False, color="k", lw=1.2,
                                          ls="--")))
        ax.set_xlim(0, MAP_L)
        ax.set_ylim(0, MAP_L)
        ax.set_xlabel("x / ξ0")
        ax.set_aspect("equal")
        ax.grid(False)
    ax1.set_ylabel("y / ξ0")
    art.title1 = ax1.set_title(" \n ", fontsize=8.5)
    art.title2 = ax2.set_title(" \n ", fontsize=8.5)
    ax2.legend([Line2D([], [], color="C0"), Line2D([], [], color="k", ls="--")],
               ["gyration radius", "L_f = δh^(−1/2) ξ0"], fontsize=7, loc="upper left",
               framealpha=0.8)
    art.suptitle = fig.suptitle(" ", fontsize=9)
    return art


def _droplet_map_draw(art, data, delta_h, g, seed):
    d, test, weight = data
    art.test.set_data(test.T / delta_h)
    art.weight.set_data(np.sqrt(weight).T)
    lf = float(films.droplet_size(delta_h))
    for drops, lf_circle in zip(art.drops, art.lf):
        _set_circles(drops, d.positions, d.gyration_radius)
        lf_circle.set_center((MAP_L - lf - 3, lf + 3))
        lf_circle.set_radius(lf)
    art.title1.set_text(f"curvature felt by an optimal droplet\n(min R/δh = "
                        f"{test.min() / delta_h:.2f})")
    art.title2.set_text(f"{d.count} droplets: √(Σ|ψ|²) of the negative\neigenstates of the "
                        "curvature")
    art.suptitle.set_text(f"g²δh = {g**2 * delta_h:.2f},  L_f = {lf:.1f} ξ0")


def droplet_map_explorer():
    """Droplets of one disorder realisation versus field, conductance and seed.

    Returns
    -------
    pairing_lib.widgets.Explorer
        Sliders ``delta_h`` (4 stops), ``g`` (3), ``seed`` (2): 24 frames.
    """
    for g in MAP_G:                     # precompute what the sliders scrub
        for seed in MAP_SEEDS:
            _realisation(g, seed)

    def compute(delta_h, g, seed):
        d = _realisation(g, seed).restrict(delta_h)
        test = films.droplet_test_map(d.potential, delta_h)
        weight = (d.states**2).sum(axis=0) if d.count else np.zeros((MAP_L, MAP_L))
        return d, test, weight

    return Explorer(
        compute, _droplet_map_draw, setup=_droplet_map_setup,
        params=[Param("delta_h", "(H − Hc)/Hc", values=MAP_DELTA_H, default=0.035),
                Param("g", "conductance g", values=MAP_G, default=4.0),
                Param("seed", "disorder seed", values=MAP_SEEDS, default=1, fmt="d")],
        title="Droplets of one realisation (80 × 80 ξ0², periodic)", figsize=(6.9, 3.45))


# ----------------------------------------------------------------------------
# (b) couplings versus distance
# ----------------------------------------------------------------------------
_R_CLEAN = np.linspace(0.4, 12.0, 600)
_R_DIRTY = np.linspace(0.1, 5.0, 300)


@functools.lru_cache(maxsize=None)
def _dirty_sample_distances():
    return np.sort(np.random.default_rng(0).uniform(0.1, 5.0, 500))


def _padded(lo, hi, frac=0.05):
    """Linear limits as autoscaling gives them (``frac`` margins)."""
    pad = frac * (hi - lo)
    return lo - pad, hi + pad


def couplings_explorer():
    """Clean-limit pair correlation and dirty-limit couplings versus the Zeeman energy.

    Returns
    -------
    pairing_lib.widgets.Explorer
        One slider ``h`` (Zeeman energy mu_B H / Delta0, 8 stops).
    """
    r_s = _dirty_sample_distances()

    def compute(h):
        clean = films.pair_correlation_clean(_R_CLEAN, h) * 2 * np.pi * _R_CLEAN**2
        printed = films.pair_correlation_clean(_R_CLEAN, h, phase=-np.pi / 4) * 2 * np.pi * _R_CLEAN**2
        L_H = float(films.field_length(h))
        samples = films.dirty_couplings(r_s, L_H, seed=1) * r_s**2
        mean = films.dirty_coupling_mean(_R_DIRTY, L_H) * _R_DIRTY**2
        neg = films.negative_fraction(_R_DIRTY, L_H)
        return clean, printed, samples, mean, neg, L_H

    def setup(fig):
        ax1, ax2 = fig.subplots(1, 2)
        art = SimpleNamespace()
        (art.clean,) = ax1.plot([], [], label="exact asymptote, phase 0")
        (art.printed,) = ax1.plot([], [], "--", lw=1.2, label="printed eq. (19), phase −π/4")
        ax1.axhline(0, color="0.4", lw=0.8)
        ax1.set_xlim(*_padded(_R_CLEAN.min(), _R_CLEAN.max()))
        ax1.set_xlabel("distance r / (ħ v_F / Δ0)")
        ax1.set_ylabel("2π r² K(r) / ν")
        ax1.set_ylim(-1.15, 1.6)
        ax1.legend(fontsize=7.5, loc="upper right")
        art.title1 = ax1.set_title(" ", fontsize=9)
        (art.samples,) = ax2.plot([], [], ".", ms=3, color="C0", alpha=0.6,
                                  label="samples r² E_J")
        (art.mean,) = ax2.plot([], [], color="C1", label="mean r²⟨E_J⟩")
        (art.neg,) = ax2.plot([], [], color="C2", ls="--", label="fraction of π junctions")
        ax2.axhline(0, color="0.4", lw=0.8)
        art.L_H = ax2.axvline(1.0, color="0.5", ls=":", lw=1)
        ax2.set_xlim(*_padded(min(r_s.min(), _R_DIRTY.min()), max(r_s.max(), _R_DIRTY.max())))
        ax2.set_xlabel("distance r / ξ0")
        ax2.set_ylabel("r² E_J (typical scale 1)")
        ax2.set_ylim(-1.1, 1.1)
        ax2.legend(fontsize=7.5, loc="lower right")
        art.title2 = ax2.set_title(" \n ", fontsize=9)
        return art

    def draw(art, data, h):
        clean, printed, samples, mean, neg, L_H = data
        art.clean.set_data(_R_CLEAN, clean)
        art.printed.set_data(_R_CLEAN, printed)
        art.title1.set_text(f"clean film: period π v_F / h = {np.pi / h:.1f}")
        art.samples.set_data(r_s, samples)
        art.mean.set_data(_R_DIRTY, mean)
        art.neg.set_data(_R_DIRTY, neg)
        art.L_H.set_xdata([L_H, L_H])
        art.title2.set_text(f"dirty film: L_H = ξ0 (Δ0/μ_B H)^½\n= {L_H:.2f} ξ0")

    return Explorer(
        compute, draw, setup=setup,
        params=[Param("h", "μ_B H / Δ0", values=(0.2, 0.4, 0.6, 0.8, 1.0, 1.3, 1.6, 2.0),
                      default=0.8, fmt=".1f")],
        title="Josephson coupling between droplets versus distance", figsize=(6.9, 3.45))


# ----------------------------------------------------------------------------
# (c) density law against the simulation
# ----------------------------------------------------------------------------
_ALPHAS = (7.0, 9.0, 10.5, 11.7, 13.0, 15.0)
_LOG_PREFACTORS = (0.0, 4.0, 8.0)


def _law_grid(g):
    """Fields at which the law is drawn for conductance ``g`` (s = g² δh from 0.12 to 1.5)."""
    return np.geomspace(0.12 / g**2, 1.5 / g**2, 100)


def density_law_explorer():
    """The density law rho = c dh erfc(sqrt(alpha g^2 dh))/2 against the simulation.

    Returns
    -------
    pairing_lib.widgets.Explorer
        Sliders ``alpha`` (6 stops, 11.7 = N_T) and ``log_c`` (3 stops): 18 frames.
    """
    scan = films.density_scan()
    s_line = np.linspace(0.15, 4.3, 200)

    def compute(alpha, log_c):
        c = float(np.exp(log_c))
        law_scaled = films.droplet_density(s_line, 1.0, prefactor=c, exponent=alpha) / s_line
        curves = []
        for e in scan.ensembles:
            dh = _law_grid(e.g)
            curves.append((dh, films.droplet_density(dh, e.g, prefactor=c, exponent=alpha)))
        return law_scaled, curves

    def setup(fig):
        from matplotlib.ticker import LogLocator, NullLocator

        ax1, ax2 = fig.subplots(1, 2)
        art = SimpleNamespace(curves=[])
        x1, x2 = [s_line], []               # the x data autoscaling used to see
        for k, e in enumerate(scan.ensembles):
            m = e.total > 0
            y = e.density[m] / e.delta_h[m]
            err = e.density_error[m] / e.delta_h[m]
            ax1.errorbar(e.s[m], y, yerr=np.minimum(err, 0.95 * y), fmt="o", ms=3,
                         color=f"C{k}", label=f"direct, g = {e.g:g}")
            ax2.errorbar(e.delta_h[m], e.density[m], yerr=np.minimum(e.density_error[m],
                         0.95 * e.density[m]), fmt="o", ms=3, color=f"C{k}",
                         label=f"g = {e.g:g}")
            art.curves.append(ax2.plot([], [], color=f"C{k}", lw=1.2)[0])
            x1.append(e.s[m])
            x2 += [e.delta_h[m], _law_grid(e.g)]
        t_s = np.array([t.s for t in scan.tail])
        t_y = np.array([t.density / t.delta_h for t in scan.tail])
        t_e = np.array([t.error / t.delta_h for t in scan.tail])
        ax1.errorbar(t_s, t_y, yerr=np.minimum(t_e, 0.9 * t_y), fmt="s", ms=4, color="C3",
                     label=f"importance sampling, g = {scan.tail[0].g:g}")
        (art.law,) = ax1.plot([], [], "k", lw=1.3, label="law")
        ax1.set_yscale("log")
        ax1.set_ylim(1e-20, 1)
        x1 = np.concatenate(x1 + [t_s])
        ax1.set_xlim(*_padded(x1.min(), x1.max()))
        ax1.set_xlabel("s = g² (H − Hc)/Hc")
        ax1.set_ylabel("ρ L_f²")
        ax1.legend(fontsize=7, loc="lower left")
        art.title1 = ax1.set_title(" ", fontsize=9)
        ax2.set_xscale("log")
        ax2.set_yscale("log")
        x2 = np.log10(np.concatenate(x2))
        ax2.set_xlim(*(10 ** v for v in _padded(x2.min(), x2.max())))
        ax2.set_ylim(1e-6, 1e-2)
        ax2.set_xlabel("(H − Hc)/Hc")
        ax2.set_ylabel("droplets per ξ0²")
        ax2.legend(fontsize=7, loc="lower left")
        ax2.set_title("same law, unscaled", fontsize=9)
        for ax in (ax1, ax2):     # few log ticks: keeps the frames fast to render
            ax.yaxis.set_major_locator(LogLocator(base=10, numticks=6))
            ax.yaxis.set_minor_locator(NullLocator())
        ax2.xaxis.set_minor_locator(NullLocator())
        return art

    def draw(art, data, alpha, log_c):
        law_scaled, curves = data
        art.law.set_data(s_line, law_scaled)
        for line, curve in zip(art.curves, curves):
            line.set_data(*curve)
        art.title1.set_text(f"α = {alpha:g}  (N_T = 11.70),  ln c = {log_c:g}")

    return Explorer(
        compute, draw, setup=setup,
        params=[Param("alpha", "exponent α", values=_ALPHAS, default=11.7, fmt=".3g"),
                Param("log_c", "ln prefactor", values=_LOG_PREFACTORS, default=8.0, fmt=".0f")],
        title="Density law ρ = c δh · ½erfc(√(α g² δh)) against the simulation",
        figsize=(6.9, 3.45))


EXPLORERS = {
    "droplet_map": droplet_map_explorer,
    "couplings": couplings_explorer,
    "density_law": density_law_explorer,
}
