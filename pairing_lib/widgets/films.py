r"""Explorers of chapter 5 (disordered films: pairing droplets above the critical field).

Physics: :mod:`pairing_lib.films`. Each factory returns an
:class:`~pairing_lib.widgets.Explorer`; in the chapter notebook an explorer is
one call, e.g. ``films_widgets.droplet_map_explorer()``.

.. rubric:: Explorers

droplet_map
    Field :math:`\delta h = (B - B_c)/B_c`, sheet conductance :math:`g_\square`
    (argument ``g``) and disorder seed -> the droplets of one
    realisation on an 80 x 80 lattice (spacing xi0): the curvature seen by an
    optimal droplet at each point, and the negative eigenstates of the
    curvature operator. The realisations are computed once per (g, seed) at
    the lowest field; a larger field only shifts the spectrum
    (:meth:`pairing_lib.films.Droplets.restrict`). Both maps are drawn cell by
    cell with fixed, discrete colour scales (frames compare directly and the
    precomputed frames stay small).
couplings
    Sheet conductance and field -> the mean (overlap) and random (mesoscopic)
    Josephson couplings of two optimal droplets versus distance, the
    probability of a pi junction and the typical droplet distance.
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
    art.suptitle.set_text(f"g_□²δh = {g**2 * delta_h:.2f},  L_f = {lf:.1f} ξ0")


def _droplet_map_describe(data, delta_h, g, seed):
    d, test, _ = data
    return (f"Droplets of one {MAP_L} × {MAP_L} ξ0² film at δh = {delta_h:g}, g_□ = {g:g} "
            f"(g_□²δh = {g**2 * delta_h:.2f}), seed {seed}: {d.count} negative eigenstates of "
            f"the curvature, droplet size L_f = {float(films.droplet_size(delta_h)):.1f} ξ0; the "
            f"lowest curvature felt by an optimal droplet is {test.min() / delta_h:.2f} δh "
            f"(2 δh in a clean film).")


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
        params=[Param("delta_h", "δh", values=MAP_DELTA_H, default=0.035),
                Param("g", "g_□", values=MAP_G, default=4.0),
                Param("seed", "disorder seed", values=MAP_SEEDS, default=1, fmt="d")],
        title="Droplets of one realisation (80 × 80 ξ0², periodic)", figsize=(6.9, 3.45),
        describe=_droplet_map_describe)


# ----------------------------------------------------------------------------
# (b) couplings versus distance (strong spin-orbit scattering, the paper's regime)
# ----------------------------------------------------------------------------
_R = np.linspace(0.5, 20.0, 400)
_COUPLING_G = (3.0, 5.0, 10.0, 20.0, 40.0)
_COUPLING_DH = (0.02, 0.05, 0.1, 0.2)


@functools.lru_cache(maxsize=None)
def _coupling_samples():
    rng = np.random.default_rng(0)
    return np.sort(rng.uniform(1.0, 20.0, 400)), rng.standard_normal(400)


def _padded(lo, hi, frac=0.05):
    """Linear limits as autoscaling gives them (``frac`` margins)."""
    pad = frac * (hi - lo)
    return lo - pad, hi + pad


def _log_typical_distance(g, delta_h):
    """ln(L_d / L_f) = -ln(rho L_f^2)/2 for the density law with c_rho = 1 (no underflow)."""
    from scipy import special

    zeta = g**2 * delta_h
    return -0.5 * float(special.log_ndtr(-np.sqrt(2.0 * films.saddle_point().norm * zeta)))


def _crossover(mean, rms):
    """First distance (in L_f) where the random part outgrows the mean."""
    k = int(np.argmax(rms > mean))
    return float(_R[k]) if rms[k] > mean[k] else float("nan")


def _couplings_compute(g, delta_h):
    r_s, x = _coupling_samples()
    mean = films.droplet_coupling_mean(_R)
    rms = films.droplet_coupling_rms(_R, g)
    p_pi = films.pi_junction_probability(_R, g)
    j_s = films.droplet_coupling_mean(r_s) + films.droplet_coupling_rms(r_s, g) * x
    log_ld = _log_typical_distance(g, delta_h)                     # c_rho = 1
    return SimpleNamespace(mean=mean, rms=rms, p_pi=p_pi, r_s=r_s, j_s=j_s,
                           R_star=_crossover(mean, rms), log_ld=log_ld)


def _fmt_distance(log_ld):
    """L_d / L_f as text, also when it overflows a float."""
    dec = log_ld / np.log(10.0)
    return f"{np.exp(log_ld):.2g}" if dec < 6 else f"10^{dec:.0f}"


def _couplings_setup(fig):
    from matplotlib.ticker import LogLocator, NullLocator

    ax1, ax2 = fig.subplots(1, 2)
    art = SimpleNamespace()
    (art.mean,) = ax1.plot(_R, np.ones_like(_R), color="C1", lw=1.6, label="mean (overlap)")
    (art.rms,) = ax1.plot(_R, np.ones_like(_R), "--", color="C0", lw=1.4,
                          label="rms of the random part")
    (art.pos,) = ax1.plot([], [], ".", ms=3, color="C0", alpha=0.6, label="samples, J > 0")
    (art.neg,) = ax1.plot([], [], ".", ms=3, color="C3", alpha=0.7, label="samples, J < 0 (π)")
    ax1.set_yscale("log")
    ax1.set_ylim(1e-7, 10)
    ax1.set_xlim(*_padded(_R.min(), _R.max()))
    ax1.set_xlabel("distance r / L_f")
    ax1.set_ylabel("|J| / 2Δ_iΔ_j")
    ax1.yaxis.set_major_locator(LogLocator(base=10, numticks=5))
    ax1.yaxis.set_minor_locator(NullLocator())
    ax1.legend(fontsize=7, loc="upper right")
    art.title1 = ax1.set_title(" ", fontsize=9)
    (art.p_pi,) = ax2.plot(_R, np.zeros_like(_R), color="C3", lw=1.6)
    ax2.axhline(0.5, color="0.4", ls=":", lw=1)
    art.cross = [ax.axvline(1.0, color="0.5", ls="--", lw=1) for ax in (ax1, ax2)]
    ax2.set_xlim(*_padded(_R.min(), _R.max()))
    ax2.set_ylim(-0.02, 0.55)
    ax2.set_xlabel("distance r / L_f")
    ax2.set_ylabel("probability of a π junction")
    art.title2 = ax2.set_title(" \n ", fontsize=9)
    return art


def _couplings_draw(art, data, g, delta_h):
    art.mean.set_ydata(data.mean)
    art.rms.set_ydata(data.rms)
    pos = data.j_s > 0
    art.pos.set_data(data.r_s[pos], data.j_s[pos])
    art.neg.set_data(data.r_s[~pos], -data.j_s[~pos])
    art.p_pi.set_ydata(data.p_pi)
    for line in art.cross:
        line.set_xdata([data.R_star, data.R_star])
    art.title1.set_text(f"g_□ = {g:g}: random part wins beyond {data.R_star:.1f} L_f")
    art.title2.set_text(f"typical droplet distance (c_ρ = 1)\nL_d ≈ {_fmt_distance(data.log_ld)} L_f "
                        f"at g_□²δh = {g**2 * delta_h:.2g}")


def _couplings_describe(data, g, delta_h):
    return (f"Josephson coupling of two optimal droplets against their distance in units of L_f, "
            f"at g_□ = {g:g}, δh = {delta_h:g}: the positive mean coupling falls below the "
            f"random mesoscopic part beyond r ≈ {data.R_star:.1f} L_f, while droplets are "
            f"typically L_d ≈ {_fmt_distance(data.log_ld)} L_f apart, where a coupling is a π "
            f"junction with probability "
            f"{float(films.pi_junction_probability(np.exp(min(data.log_ld, 50.0)), g)):.2f}.")


def couplings_explorer():
    r"""Mean and random Josephson couplings of two droplets versus conductance and field.

    The paper's regime (strong spin-orbit scattering): the average coupling
    is the overlap of the droplet tails (positive, :math:`\propto e^{-r/L_f}`),
    the mesoscopic part of the curvature adds a random coupling of rms
    :math:`\propto 1/(g_\square r^2)`.

    Returns
    -------
    pairing_lib.widgets.Explorer
        Sliders ``g`` (sheet conductance :math:`g_\square`, 5 stops) and
        ``delta_h`` (:math:`\delta h`, 4 stops): 20 frames.
    """
    return Explorer(
        _couplings_compute, _couplings_draw, setup=_couplings_setup,
        params=[Param("g", "g_□", values=_COUPLING_G, default=10.0, fmt="g"),
                Param("delta_h", "δh", values=_COUPLING_DH, default=0.05, fmt="g")],
        title="Josephson couplings between two droplets (strong spin-orbit scattering)",
        figsize=(6.9, 3.45), describe=_couplings_describe)


# ----------------------------------------------------------------------------
# (c) density law against the simulation
# ----------------------------------------------------------------------------
_ALPHAS = (7.0, 9.0, 10.5, 11.7, 13.0, 15.0)
_LOG_PREFACTORS = (0.0, 4.0, 8.0)


def _law_grid(g):
    """Fields at which the law is drawn for conductance ``g`` (ζ = g_□² δh from 0.12 to 1.5)."""
    return np.geomspace(0.12 / g**2, 1.5 / g**2, 100)


def _density_law_describe(data, alpha, log_c):
    scan = films.density_scan()
    t = scan.tail[-1]
    law = float(films.droplet_density(t.s, 1.0, prefactor=float(np.exp(log_c)), exponent=alpha)) / t.s
    return (f"Droplet density ρ L_f² against s = g_□²δh, simulation and the law with exponent "
            f"α = {alpha:g} (optimal fluctuation: N_T = 11.70) and ln c_ρ = {log_c:g}: at "
            f"ζ = {t.s:g} the law gives {law:.1e}, the importance-sampled film "
            f"{t.density / t.delta_h:.1e}.")


def density_law_explorer():
    r"""The density law against the simulation.

    The law is :math:`\rho = c_\rho\,\delta h\,\tfrac12\mathrm{erfc}(\sqrt{\alpha g_\square^2\delta h})`
    (argument ``g`` is :math:`g_\square`).

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
                         color=f"C{k}", label=f"direct, g_□ = {e.g:g}")
            ax2.errorbar(e.delta_h[m], e.density[m], yerr=np.minimum(e.density_error[m],
                         0.95 * e.density[m]), fmt="o", ms=3, color=f"C{k}",
                         label=f"g_□ = {e.g:g}")
            art.curves.append(ax2.plot([], [], color=f"C{k}", lw=1.2)[0])
            x1.append(e.s[m])
            x2 += [e.delta_h[m], _law_grid(e.g)]
        t_s = np.array([t.s for t in scan.tail])
        t_y = np.array([t.density / t.delta_h for t in scan.tail])
        t_e = np.array([t.error / t.delta_h for t in scan.tail])
        ax1.errorbar(t_s, t_y, yerr=np.minimum(t_e, 0.9 * t_y), fmt="s", ms=4, color="C3",
                     label=f"importance sampling, g_□ = {scan.tail[0].g:g}")
        (art.law,) = ax1.plot([], [], "k", lw=1.3, label="law")
        ax1.set_yscale("log")
        ax1.set_ylim(1e-20, 1)
        x1 = np.concatenate(x1 + [t_s])
        ax1.set_xlim(*_padded(x1.min(), x1.max()))
        ax1.set_xlabel("s = g_□² δh")
        ax1.set_ylabel("ρ L_f²")
        ax1.legend(fontsize=7, loc="lower left")
        art.title1 = ax1.set_title(" ", fontsize=9)
        ax2.set_xscale("log")
        ax2.set_yscale("log")
        x2 = np.log10(np.concatenate(x2))
        ax2.set_xlim(*(10 ** v for v in _padded(x2.min(), x2.max())))
        ax2.set_ylim(1e-6, 1e-2)
        ax2.set_xlabel("δh = (B − B_c)/B_c")
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
        art.title1.set_text(f"α = {alpha:g}  (N_T = 11.70),  ln c_ρ = {log_c:g}")

    return Explorer(
        compute, draw, setup=setup,
        params=[Param("alpha", "exponent α", values=_ALPHAS, default=11.7, fmt=".3g"),
                Param("log_c", "ln c_ρ", values=_LOG_PREFACTORS, default=8.0, fmt=".0f")],
        title="Density law ρ = c_ρ δh · ½erfc(√(α g_□² δh)) against the simulation",
        figsize=(6.9, 3.45), describe=_density_law_describe)


EXPLORERS = {
    "droplet_map": droplet_map_explorer,
    "couplings": couplings_explorer,
    "density_law": density_law_explorer,
}
