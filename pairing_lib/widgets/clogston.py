"""Explorers of chapter 1 (the Clogston limit).

Physics: :mod:`pairing_lib.clogston`. Each factory returns an
:class:`~pairing_lib.widgets.Explorer`; in the chapter notebook an explorer
is one call, e.g. ``clogston_widgets.free_energy_explorer()``.

.. rubric:: Explorers

orbital_vs_pauli
    Sample size (film thickness w or grain radius R) and mean free path ->
    orbital critical-field scale against the Pauli (Clogston-Chandrasekhar)
    field.
free_energy
    Free-energy landscape F(Delta; T, h) with T and h sliders, next to the
    (T, h) phase diagram with the chosen point marked.
dos
    Spin-split tunnelling conductance of a film in a parallel field, with
    field, broadening and temperature sliders, next to the T = 0 threshold.
"""

from __future__ import annotations

import functools
from types import SimpleNamespace

import numpy as np

from .. import clogston
from . import Explorer, Param

__all__ = [
    "orbital_vs_pauli_explorer",
    "free_energy_explorer",
    "dos_explorer",
    "EXPLORERS",
    "AL_BC_TESLA",
    "AL_GAP_BULK_MEV",
    "AL_GAP_FILM_MEV",
]

#: Thermodynamic critical field B_c of bulk Al (T), measured.
AL_BC_TESLA = 0.0105
#: Gap of bulk Al (meV).
AL_GAP_BULK_MEV = 0.18
#: Gap of thin Al films as in the Meservey-Tedrow experiments (meV).
AL_GAP_FILM_MEV = 0.38

_SIZES_NM = (1.0, 2.0, 3.0, 5.0, 10.0, 30.0, 100.0, 300.0, 1000.0, 3000.0)
_MFP_NM = (0.5, 1.0, 2.0, 5.0, 20.0)


# ----------------------------------------------------------------------------
# 1. orbital versus Pauli
# ----------------------------------------------------------------------------
def _dirty(gap_mev, mfp_nm, size_nm):
    """lambda_L (nm) and B_c (T) of a dirty sample whose mean free path is at most its size."""
    sc = clogston.dirty_film_scales(gap_mev, min(mfp_nm, size_nm))
    return sc["lambda_L_nm"], sc["B_c_tesla"]


def _orbital_fields(size_nm, mfp_nm):
    lam, bc = _dirty(AL_GAP_FILM_MEV, mfp_nm, size_nm)
    return (float(clogston.orbital_field_film_tesla(size_nm, lam, bc)),
            float(clogston.orbital_field_grain_tesla(size_nm, lam, bc)), lam)


@functools.lru_cache(maxsize=None)
def _orbital_curves(mfp_nm):
    size = np.geomspace(0.5, 1e4, 160)
    vals = np.array([_orbital_fields(float(x), mfp_nm)[:2] for x in size])
    return size, vals[:, 0], vals[:, 1]


def _orbital_compute(size_nm, mfp_nm):
    size, film, grain = _orbital_curves(float(mfp_nm))
    b_film = clogston.clogston_field_tesla(AL_GAP_FILM_MEV)
    b_bulk = clogston.clogston_field_tesla(AL_GAP_BULK_MEV)
    film_here, grain_here, lam_here = _orbital_fields(float(size_nm), float(mfp_nm))
    lam_bulk, _ = _dirty(AL_GAP_FILM_MEV, mfp_nm, 1e6)
    return {
        "size": size, "film": film, "grain": grain,
        "b_pauli_film": b_film, "b_pauli_bulk": b_bulk,
        "film_here": film_here, "grain_here": grain_here,
        "lambda_here": lam_here, "lambda_bulk": lam_bulk,
        "flux_at_pauli": float(clogston.flux_fraction(size_nm, b_film)),
    }


def _fixed_layout(fig, **margins):
    """Fixed margins instead of constrained layout."""
    fig.set_layout_engine("none")
    fig.subplotpars.update(**margins)  # subplots_adjust refuses after a layout switch


def _orbital_setup(fig):
    _fixed_layout(fig, left=0.1, right=0.98, bottom=0.13, top=0.91)
    ax = fig.add_subplot()
    art = SimpleNamespace(ax=ax)
    (art.film,) = ax.loglog([], [], color="C0", label="film, parallel field (thickness w)")
    (art.grain,) = ax.loglog([], [], color="C2", ls=(0, (6, 2)), label="grain (radius R)")
    art.pauli_film = ax.axhline(1.0, color="C1", ls="--",
                                label=f"Pauli limit B_CC, Δ0 = {AL_GAP_FILM_MEV} meV (Al film)")
    art.pauli_bulk = ax.axhline(1.0, color="C3", ls=":",
                                label=f"Pauli limit B_CC, Δ0 = {AL_GAP_BULK_MEV} meV (bulk Al)")
    art.lam = ax.axvline(1.0, color="0.5", lw=1.0)
    art.lam_text = ax.text(1.0, 2e-2, "size = λ_L", color="0.4", fontsize=8.5)
    (art.here,) = ax.plot([], [], "o", color="k", ms=6, zorder=5)
    ax.set_xlabel("film thickness w  or  grain radius R  (nm)")
    ax.set_ylabel("critical-field scale B (T)")
    ax.set_ylim(5e-3, 300)
    ax.set_xlim(0.5, 1e4)
    ax.legend(loc="upper right", fontsize=8)
    return art


def _orbital_draw(art, data, size_nm, mfp_nm):
    art.film.set_data(data["size"], data["film"])
    art.grain.set_data(data["size"], data["grain"])
    art.pauli_film.set_ydata([data["b_pauli_film"]] * 2)
    art.pauli_bulk.set_ydata([data["b_pauli_bulk"]] * 2)
    art.lam.set_xdata([data["lambda_bulk"]] * 2)
    art.lam_text.set_x(data["lambda_bulk"] * 1.1)
    art.here.set_data([size_nm, size_nm], [data["film_here"], data["grain_here"]])
    which = "Pauli-limited" if data["film_here"] > data["b_pauli_film"] else "orbitally limited"
    art.ax.set_title(
        f"size {size_nm:g} nm, ℓ = {min(mfp_nm, size_nm):g} nm: film {data['film_here']:.2g} T "
        f"({which}), grain {data['grain_here']:.2g} T; flux through grain at B_CC: "
        f"{data['flux_at_pauli']:.2g} Φ0", fontsize=9)


def _orbital_describe(data, size_nm, mfp_nm):
    which = ("above" if data["film_here"] > data["b_pauli_film"] else "below")
    return (f"Orbital critical-field scale against sample size for aluminium with mean free path "
            f"ℓ = {min(mfp_nm, size_nm):g} nm (penetration depth λ_L = {data['lambda_here']:.0f} nm): "
            f"a film of thickness w = {size_nm:g} nm reaches {data['film_here']:.2g} T, "
            f"{which} the Pauli field B_CC = {data['b_pauli_film']:.2f} T of an Al film, "
            f"and a grain of radius R = {size_nm:g} nm reaches {data['grain_here']:.2g} T.")


def orbital_vs_pauli_explorer():
    """Sample size and mean free path -> orbital field scale versus the Pauli field.

    The penetration depth and thermodynamic field are those of a dirty sample
    with the film gap 0.38 meV (:func:`pairing_lib.clogston.dirty_film_scales`),
    with the mean free path capped at the sample size.

    Returns
    -------
    pairing_lib.widgets.Explorer
    """
    return Explorer(
        _orbital_compute, _orbital_draw, setup=_orbital_setup,
        params=[Param("size_nm", "size w or R (nm)", values=_SIZES_NM, default=5.0, fmt="g"),
                Param("mfp_nm", "mean free path ℓ (nm)", values=_MFP_NM, default=1.0,
                      fmt="g")],
        title="Orbital versus spin: which field kills pairing first? (Al, Δ0 = 0.38 meV)",
        figsize=(7.4, 3.9),
        describe=_orbital_describe,
    )


# ----------------------------------------------------------------------------
# 2. free-energy landscape and phase diagram
# ----------------------------------------------------------------------------
_T_VALUES = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
_H_VALUES = (0.0, 0.3, 0.45, 0.55, 0.6, 0.65, 0.7, 0.75, 0.85, 1.0)
_DELTA_GRID = np.linspace(0.0, 1.25, 251)


@functools.lru_cache(maxsize=1)
def _phase():
    return clogston.phase_diagram(num=20)


def _free_energy_compute(T, h):
    f = clogston.free_energy(_DELTA_GRID, T, h)
    mins, maxs = clogston.gap_solutions(T, h)
    d_eq = clogston.equilibrium_gap(T, h)
    return {
        "delta": _DELTA_GRID, "f": f,
        "mins": np.asarray(mins), "f_mins": clogston.free_energy(np.asarray(mins), T, h),
        "maxs": np.asarray(maxs), "f_maxs": clogston.free_energy(np.asarray(maxs), T, h),
        "d_eq": d_eq, "f_eq": clogston.free_energy(d_eq, T, h),
        "f_ref": clogston.free_energy(_DELTA_GRID, T, 0.0),
        "phase": _phase(),
    }


def _draw_phase(ax, pd):
    """The (T, h) phase diagram of :func:`pairing_lib.clogston.phase_diagram` on ``ax``."""
    ax.plot(pd["T_second"], pd["h_second"], color="C0", label="2nd order")
    ax.plot(pd["T_first"], pd["h_first"], color="C1", lw=2.4, label="1st order")
    ax.plot(pd["T_first"], pd["h_supercool"], color="C1", ls=":", lw=1.4,
            label="supercooling")
    ax.plot(pd["T_first"], pd["h_superheat"], color="C1", ls="--", lw=1.4,
            label="superheating")
    ax.plot(pd["T_fflo"], pd["h_fflo"], color="C3", lw=1.2, ls="-.", label="FFLO instability")
    ts, hs = pd["tricritical"]
    ax.plot([ts], [hs], "o", color="k", ms=5)
    ax.set_xlim(0, 0.6)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("temperature T / Δ0")
    ax.set_ylabel("Zeeman energy h / Δ0")


def _free_energy_setup(fig):
    _fixed_layout(fig, left=0.125, right=0.985, bottom=0.13, top=0.92, wspace=0.3)
    ax, ax2 = fig.subplots(1, 2, width_ratios=[1.5, 1])
    art = SimpleNamespace(ax=ax)
    art.normal = ax.axhline(0, color="0.4", lw=1.0, label="normal state")
    (art.ref,) = ax.plot([], [], color="0.65", lw=1.2, ls="--", label="h = 0, same T")
    (art.f,) = ax.plot([], [], color="C0", lw=2.2)
    (art.mins,) = ax.plot([], [], "o", color="C2", ms=7, label="local minimum")
    (art.maxs,) = ax.plot([], [], "v", color="C3", ms=7, label="Sarma (maximum)")
    (art.eq,) = ax.plot([], [], "*", color="C4", ms=14, mec="k", zorder=5, label="stable state")
    ax.set_xlim(0, 1.25)
    ax.set_xlabel("gap parameter Δ / Δ0")
    ax.set_ylabel("(Ω_S − Ω_N) / (N(0) Δ0²)")
    _draw_phase(ax2, _phase())
    (art.point,) = ax2.plot([], [], "*", color="C4", ms=14, mec="k", zorder=6)
    ax2.legend(loc="lower left", fontsize=7)
    ax2.set_title("phase diagram", fontsize=9.5)
    return art


def _free_energy_draw(art, data, T, h):
    ax = art.ax
    art.ref.set_data(data["delta"], data["f_ref"])
    art.f.set_data(data["delta"], data["f"])
    art.f.set_label(f"T = {T:g}, h = {h:g}")
    art.mins.set_data(data["mins"], data["f_mins"])
    art.maxs.set_data(data["maxs"], data["f_maxs"])
    art.eq.set_data([data["d_eq"]], [data["f_eq"]])
    f = data["f"]
    span = max(float(f.max() - f.min()), 0.02)
    ax.set_ylim(float(f.min()) - 0.3 * span, float(f.max()) + 0.3 * span)
    shown = [art.normal, art.ref, art.f]
    shown += [line for line, x in ((art.mins, data["mins"]), (art.maxs, data["maxs"])) if x.size]
    ax.legend(handles=shown + [art.eq], loc="lower left", fontsize=7.5)
    state = "superconducting" if data["d_eq"] > 0 else "normal (polarised)"
    ax.set_title(f"stable: {state}, Δ = {data['d_eq']:.3f} Δ0", fontsize=9.5)
    art.point.set_data([T], [h])


def _free_energy_describe(data, T, h):
    if data["d_eq"] > 0 and data["maxs"].size:
        kind = (f"the paired minimum at Δ = {data['d_eq']:.3f} Δ0 is stable and the normal "
                f"state is metastable (first-order region)")
    elif data["d_eq"] > 0:
        kind = f"the paired minimum at Δ = {data['d_eq']:.3f} Δ0 is the stable state"
    elif data["mins"].size:
        kind = (f"the paired minimum at Δ = {data['mins'][-1]:.3f} Δ0 lies above the normal state, "
                f"which is stable (the superconductor is only metastable)")
    else:
        kind = "only the normal state (Δ = 0) is a minimum"
    return (f"Free energy against gap at T = {T:g} Δ0 ({T / clogston.TC:.2f} Tc), h = {h:g} Δ0: "
            f"{kind}.")


def free_energy_explorer():
    """T and h sliders -> free-energy landscape and the point in the phase diagram.

    Returns
    -------
    pairing_lib.widgets.Explorer
    """
    return Explorer(
        _free_energy_compute, _free_energy_draw, setup=_free_energy_setup,
        params=[Param("T", "T / Δ0", values=_T_VALUES, default=0.0, fmt="g"),
         Param("h", "h / Δ0", values=_H_VALUES, default=0.65, fmt="g")],
        title="Free-energy landscape of a Pauli-limited superconductor",
        figsize=(7.6, 3.9),
        describe=_free_energy_describe,
    )


# ----------------------------------------------------------------------------
# 3. spin-split tunnelling
# ----------------------------------------------------------------------------
_DOS_H = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75)
_DOS_GAMMA = (0.01, 0.05)
_DOS_T = (0.0, 0.1)
_E_GRID = np.linspace(-2.2, 2.2, 881)


@functools.lru_cache(maxsize=1)
def _threshold_curve():
    h = np.linspace(0.0, 1.0, 401)
    return h, clogston.tunnelling_threshold(h)


def _dos_compute(h, broadening, T):
    d = clogston.equilibrium_gap(T, h)
    up, down = clogston.spin_resolved_dos(_E_GRID, d, h, broadening)
    g = clogston.tunnelling_conductance(_E_GRID, d, h, T, broadening)
    hh, thr = _threshold_curve()
    return {"E": _E_GRID, "up": up, "down": down, "G": g, "delta": d,
            "h_curve": hh, "threshold": thr, "thr_here": clogston.tunnelling_threshold(h)}


def _dos_setup(fig):
    _fixed_layout(fig, left=0.08, right=0.985, bottom=0.13, top=0.92, wspace=0.3)
    ax, ax2 = fig.subplots(1, 2, width_ratios=[1.7, 1])
    art = SimpleNamespace(ax=ax)
    (art.up,) = ax.plot([], [], color="C1", lw=1.1, ls="--", label="spin-up DOS (T = 0)")
    (art.down,) = ax.plot([], [], color="C0", lw=1.1, ls="--", label="spin-down DOS (T = 0)")
    (art.g,) = ax.plot([], [], color="k", lw=2.0, label="conductance")
    ax.set_xlim(-2.2, 2.2)
    ax.set_ylim(0, 4.0)
    ax.set_xlabel("bias eV / Δ0")
    ax.set_ylabel("G / G_N  (normalised DOS)")
    art.legend = ax.legend(loc="upper right", fontsize=7.5)
    hh, thr = _threshold_curve()
    ax2.plot(hh, thr, color="C0")
    (art.thr,) = ax2.plot([], [], "o", color="C4", mec="k", ms=8)
    hcc = clogston.clogston_field()
    ax2.axvline(hcc, color="C1", ls="--", lw=1.0)
    ax2.text(hcc + 0.02, 0.85, "h_CC", color="C1", fontsize=9)
    ax2.set_xlim(0, 1.0)
    ax2.set_ylim(0, 1.05)
    ax2.set_xlabel("h / Δ0")
    ax2.set_ylabel("threshold (Δ − h) / Δ0 at T = 0")
    ax2.set_title("tunnelling threshold", fontsize=9.5)
    return art


def _dos_draw(art, data, h, broadening, T):
    art.up.set_data(data["E"], data["up"])
    art.down.set_data(data["E"], data["down"])
    art.g.set_data(data["E"], data["G"])
    art.legend.texts[2].set_text("conductance" + (f" at T = {T:g}" if T > 0 else " (T = 0)"))
    state = f"Δ = {data['delta']:.3f}" if data["delta"] > 0 else "normal state"
    art.ax.set_title(f"h = {h:g} Δ0, Γ_D = {broadening:g} Δ0: {state}", fontsize=9.5)
    art.thr.set_data([h], [data["thr_here"]])


def _dos_describe(data, h, broadening, T):
    if data["delta"] > 0:
        state = (f"the film is superconducting (Δ = {data['delta']:.3f} Δ0), its peaks split by "
                 f"2h = {2 * h:g} Δ0, and the T = 0 threshold is {data['thr_here']:.2f} Δ0")
    else:
        state = "the film is in the polarised normal state and the conductance is flat"
    return (f"Spin-split tunnelling conductance against bias at h = {h:g} Δ0, Γ_D = {broadening:g} Δ0, "
            f"T = {T:g} Δ0: {state}.")


def dos_explorer():
    """Field, broadening and temperature sliders -> spin-split tunnelling conductance.

    Returns
    -------
    pairing_lib.widgets.Explorer
    """
    return Explorer(
        _dos_compute, _dos_draw, setup=_dos_setup,
        params=[Param("h", "h / Δ0", values=_DOS_H, default=0.3, fmt="g"),
         Param("broadening", "Dynes broadening Γ_D / Δ0", values=_DOS_GAMMA, default=0.01, fmt="g"),
         Param("T", "T / Δ0", values=_DOS_T, default=0.0, fmt="g")],
        title="Spin-split tunnelling into a thin film in a parallel field (Meservey-Tedrow)",
        figsize=(7.6, 3.7),
        describe=_dos_describe,
    )


EXPLORERS = {
    "orbital_vs_pauli": orbital_vs_pauli_explorer,
    "free_energy": free_energy_explorer,
    "dos": dos_explorer,
}
