"""Explorers of chapter 3 (seniority clusters).

Physics: :mod:`pairing_lib.seniority` (single-shell pairing, canonical and
BCS) and :mod:`pairing_lib.shells` (shell structure). Units as in the
chapter: energies and temperatures in :math:`\\Delta(0) = GM/2` and
:math:`T_c = \\Delta(0)/2`, fields in units of the T = 0 critical field
:math:`\\omega_c` of the shell.
"""

from __future__ import annotations

import functools

import numpy as np

from .. import seniority, shells
from . import Explorer, Param

__all__ = [
    "SHELL_SIZES",
    "FILLINGS",
    "canonical_field_explorer",
    "canonical_vs_bcs_explorer",
    "shell_explorer",
    "EXPLORERS",
]

#: Shell sizes M = 2l + 1 offered by the sliders (the seed's Figs. 1-5).
SHELL_SIZES = (7, 11, 23)

#: Electron numbers relative to half filling, as slider labels.
FILLINGS = ("M−3", "M−1", "M")

_FILLING_OFFSET = {"M−3": -3, "M−1": -1, "M": 0}

#: Temperatures (T / Tc) of the field explorer.
FIELD_TEMPERATURES = (0.02, 0.05, 0.1, 0.2, 0.5)

#: Temperatures (T / Tc) of the canonical-versus-BCS explorer.
BCS_TEMPERATURES = (0.0, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.5)

#: Electron numbers of the shell explorer.
SHELL_ELECTRONS = (8, 18, 20, 34, 40, 50, 58, 68, 80, 92, 106, 120, 132, 138, 150, 166, 168,
                   186, 198, 254)

_W_MAX = 2.0          # fields up to 2 omega_c


def _shell(M, filling):
    return seniority.SingleShell((int(M) - 1) // 2, int(M) + _FILLING_OFFSET[filling])


@functools.lru_cache(maxsize=64)
def _field_data(M, filling, T):
    shell = _shell(M, filling)
    wc = shell.critical_field()
    x = np.linspace(0.0, _W_MAX, 321)
    d = shell.thermodynamics(T * shell.tc, x * wc)
    return {
        "x": x,
        "gap": d["canonical_gap"] / shell.delta0,
        "chi": d["susceptibility"] * shell.delta0,
        "heat": d["heat_capacity"],
        "steps": shell.step_fields() / wc,
        "wc_over_d0": wc / shell.delta0,
        "n": shell.n_electrons,
        "nu_max": shell.nu_max,
    }


def _compute_field(M, filling, T):
    return _field_data(int(M), filling, float(T))


def _draw_field(fig, data, M, filling, T):
    axes = fig.subplots(1, 3, sharex=True)
    x = data["x"]
    series = [(data["gap"], "Δc / Δ(0)", "canonical gap"),
              (data["chi"], "χ · Δ(0) / μB²", "susceptibility"),
              (data["heat"], "C / kB", "heat capacity")]
    for ax, (y, label, title), color in zip(axes, series, ("C0", "C1", "C2")):
        for s in data["steps"]:
            ax.axvline(s, color="0.6", lw=0.8, ls=":")
        ax.plot(x, y, color=color)
        ax.set_xlabel("ω / ωc")
        ax.set_ylabel(label)
        ax.set_title(title, fontsize=9.5)
        ax.set_xlim(0, _W_MAX)
        ax.set_ylim(bottom=0)
    axes[0].set_ylim(0, 1.15)
    fig.suptitle(f"M = {M}, N = {data['n']}, T = {T:g} Tc;  ωc = {data['wc_over_d0']:.3f} Δ(0),"
                 f"  ν_max = {data['nu_max']}  (dotted: T = 0 steps)", fontsize=9.5)


def canonical_field_explorer():
    """Shell size, filling and temperature -> canonical gap, susceptibility, heat capacity vs field.

    Returns
    -------
    pairing_lib.widgets.Explorer
        45 frames (3 x 3 x 5) on the static site.
    """
    return Explorer(
        _compute_field,
        _draw_field,
        [Param("M", "shell size M", values=SHELL_SIZES, default=11, fmt="d"),
         Param("filling", "electrons N", values=FILLINGS, default="M−1"),
         Param("T", "T / Tc", values=FIELD_TEMPERATURES, default=0.1, fmt="g")],
        title="Stepwise destruction of pairing: canonical ensemble of one shell",
        figsize=(7.6, 3.3),
    )


@functools.lru_cache(maxsize=16)
def _bcs_temperature_sweep(M):
    shell = _shell(M, "M−1")
    wc = shell.critical_field()
    t = np.linspace(0.0, 2.0, 61)
    xs = np.array([0.0, 0.8, 1.2, 2.0])
    T = t[:, None] * shell.tc
    W = xs[None, :] * wc
    canon = shell.canonical_gap(T, W) / shell.delta0
    bcs = shell.bcs_gap(T, W) / shell.delta0
    return t, xs, canon, bcs


@functools.lru_cache(maxsize=64)
def _bcs_field_data(M, T):
    shell = _shell(M, "M−1")
    wc = shell.critical_field()
    x = np.linspace(0.0, _W_MAX, 181)
    return {
        "x": x,
        "canon": shell.canonical_gap(T * shell.tc, x * wc) / shell.delta0,
        "bcs": shell.bcs_gap(T * shell.tc, x * wc) / shell.delta0,
        "n": shell.n_electrons,
        "sweep": _bcs_temperature_sweep(M),
    }


def _compute_bcs(M, T):
    return _bcs_field_data(int(M), float(T))


def _draw_bcs(fig, data, M, T):
    ax, ax2 = fig.subplots(1, 2)
    ax.plot(data["x"], data["canon"], color="C0", label="canonical Δc")
    ax.plot(data["x"], data["bcs"], color="C1", ls="--", label="BCS Δ")
    ax.axvline(1.0, color="0.5", lw=0.8, ls=":")
    ax.set_xlabel("ω / ωc")
    ax.set_ylabel("gap / Δ(0)")
    ax.set_xlim(0, _W_MAX)
    ax.set_ylim(0, 1.15)
    ax.legend(loc="upper right")
    ax.set_title(f"T = {T:g} Tc", fontsize=9.5)
    t, xs, canon, bcs = data["sweep"]
    for j, xv in enumerate(xs):
        ax2.plot(t, canon[:, j], color=f"C{j}", label=f"ω = {xv:g} ωc")
        ax2.plot(t, bcs[:, j], color=f"C{j}", ls="--")
    ax2.axvline(T, color="k", lw=1.0)
    ax2.set_xlabel("T / Tc")
    ax2.set_ylabel("gap / Δ(0)")
    ax2.set_xlim(0, 2)
    ax2.set_ylim(0, 1.15)
    ax2.legend(loc="upper right", fontsize=8)
    ax2.set_title("full: canonical, dashed: BCS", fontsize=9.5)
    fig.suptitle(f"M = {M}, N = {data['n']} electrons", fontsize=9.5)


def canonical_vs_bcs_explorer():
    """Temperature (and shell size) -> canonical gap and BCS gap versus field and temperature.

    Returns
    -------
    pairing_lib.widgets.Explorer
        24 frames (8 temperatures x 3 shell sizes) on the static site.
    """
    return Explorer(
        _compute_bcs,
        _draw_bcs,
        [Param("T", "T / Tc", values=BCS_TEMPERATURES, default=0.8, fmt="g"),
         Param("M", "shell size M", values=SHELL_SIZES, default=11, fmt="d")],
        title="Canonical (fixed N) versus grand-canonical BCS pairing in a field",
        figsize=(7.6, 3.4),
    )


@functools.lru_cache(maxsize=128)
def _shell_data(N, potential):
    f = shells.shell_filling(potential, N)
    # draw a few levels beyond the LUS
    scheme = shells.level_scheme(potential, min(N + 140, shells.N_MAX))
    closures, gaps = shells.shell_closures(potential, 320)
    return {"filling": f, "scheme": scheme, "closures": closures, "gaps": gaps}


def _compute_shell(N, potential):
    return _shell_data(int(N), potential)


def _draw_shell(fig, data, N, potential):
    ax, ax2 = fig.subplots(1, 2, width_ratios=[1.15, 1])
    f = data["filling"]
    e_hos = f.hos[0].energy
    e_lus = f.lus[0].energy
    unit = "ħ²/(2mR²)" if potential == "hard_wall" else "ħΩ"
    groups = data["scheme"]
    i_hos = next(i for i, g in enumerate(groups) if g[0].energy == e_hos)
    shown = groups[max(0, i_hos - 7):i_hos + 4]
    for group in shown:
        e = group[0].energy
        for s in group:
            if e < e_hos:
                color, lw = "C0", 2.4
            elif e == e_hos:
                color, lw = "C1", 3.4
            elif e == e_lus:
                color, lw = "C2", 3.4
            else:
                color, lw = "0.65", 1.6
            ax.hlines(e, s.l - 0.38, s.l + 0.38, color=color, lw=lw)
            ax.text(s.l + 0.42, e, f"{s.label} ({s.degeneracy})", fontsize=7, va="center")
    ax.set_xlabel("orbital angular momentum l")
    ax.set_ylabel(f"level energy ({unit})")
    lmax = max(s.l for g in shown for s in g)
    ax.set_xlim(-0.6, lmax + 1.6)
    ax.set_title(f"N = {N}: HOS {'+'.join(s.label for s in f.hos)} holds "
                 f"{f.electrons_in_hos}/{f.hos_degeneracy}, LUS "
                 f"{'+'.join(s.label for s in f.lus)}", fontsize=8.5)
    ax.grid(False)
    numbers, gaps = data["closures"], data["gaps"]
    ax2.vlines(numbers, 0, gaps, color="C0", lw=1.5)
    ax2.plot(numbers, gaps, "o", color="C0", ms=3)
    ax2.axvline(N, color="C1", lw=1.5, label=f"N = {N}")
    ax2.set_xlabel("closed-shell electron number")
    ax2.set_ylabel(f"gap above the shell ({unit})")
    ax2.set_xlim(0, 320)
    ax2.set_ylim(0, 1.12 * gaps.max())
    status = "closed shell (magic)" if f.closed else (
        f"open shell: single-shell model with l = {f.hos[0].l}, n = {f.electrons_in_hos}"
        if len(f.hos) == 1 else "open shell (degenerate oscillator shell)")
    ax2.set_title(status, fontsize=8.5)
    ax2.legend(loc="upper right")
    fig.suptitle(f"{'hard-wall sphere' if potential == 'hard_wall' else 'harmonic oscillator'}",
                 fontsize=9.5)


def shell_explorer():
    """Electron number and potential -> level scheme, HOS/LUS, filling and magic numbers.

    Returns
    -------
    pairing_lib.widgets.Explorer
        40 frames (20 electron numbers x 2 potentials) on the static site.
    """
    return Explorer(
        _compute_shell,
        _draw_shell,
        [Param("N", "electrons N", values=SHELL_ELECTRONS, default=166, fmt="d"),
         Param("potential", "potential", values=shells.POTENTIALS, default="hard_wall")],
        title="Shell structure of a spherical cluster",
        figsize=(7.6, 3.6),
    )


EXPLORERS = {
    "canonical_field": canonical_field_explorer,
    "canonical_vs_bcs": canonical_vs_bcs_explorer,
    "shell": shell_explorer,
}
