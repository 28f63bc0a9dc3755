"""Explorers of chapter 3 (seniority clusters).

Physics: :mod:`pairing_lib.seniority` (single-shell pairing, canonical and
BCS) and :mod:`pairing_lib.shells` (shell structure). Units as in the
chapter: energies and temperatures in :math:`\\Delta(0) = GM/2` and
:math:`T_c = \\Delta(0)/2`, fields in units of the T = 0 critical field
:math:`\\omega_c` of the shell.
"""

from __future__ import annotations

import functools
from types import SimpleNamespace

import numpy as np
from matplotlib.collections import LineCollection

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


def _vlines(ax, **style):
    """An empty collection of vertical lines spanning ``ax`` (x in data, y in axes units)."""
    return ax.add_collection(LineCollection([], transform=ax.get_xaxis_transform(), **style),
                             autolim=False)


def _setup_field(fig):
    axes = fig.subplots(1, 3, sharex=True)
    art = SimpleNamespace(axes=axes, steps=[], curves=[])
    panels = [("Δc / Δ(0)", "canonical gap"),
              ("χ · Δ(0) / μB²", "susceptibility"),
              ("C / kB", "heat capacity")]
    for ax, (label, title), color in zip(axes, panels, ("C0", "C1", "C2")):
        art.steps.append(_vlines(ax, colors="0.6", linewidths=0.8, linestyles=":"))
        art.curves.append(ax.plot([], [], color=color)[0])
        ax.set_xlabel("ω / ωc")
        ax.set_ylabel(label)
        ax.set_title(title, fontsize=9.5)
        ax.set_xlim(0, _W_MAX)
    axes[0].set_ylim(0, 1.15)
    art.suptitle = fig.suptitle("", fontsize=9.5)
    return art


def _draw_field(art, data, M, filling, T):
    x = data["x"]
    segments = [[(s, 0.0), (s, 1.0)] for s in data["steps"]]
    for k, (ax, steps, curve, y) in enumerate(zip(art.axes, art.steps, art.curves,
                                                   (data["gap"], data["chi"], data["heat"]))):
        steps.set_segments(segments)
        curve.set_data(x, y)
        if k > 0:                   # from 0 to the autoscaled top of the curve
            ax.set_autoscaley_on(True)
            ax.relim()
            ax.autoscale_view(scalex=False)
            ax.set_ylim(bottom=0)
    art.suptitle.set_text(
        f"M = {M}, N = {data['n']}, T = {T:g} Tc;  ωc = {data['wc_over_d0']:.3f} Δ(0),"
        f"  ν_max = {data['nu_max']}  (dotted: T = 0 steps)")


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
        setup=_setup_field,
        params=[Param("M", "shell size M", values=SHELL_SIZES, default=11, fmt="d"),
         Param("filling", "electrons N", values=FILLINGS, default="M−1"),
         Param("T", "T / Tc", values=FIELD_TEMPERATURES, default=0.1, fmt="g")],
        title="Stepwise destruction of pairing: canonical ensemble of one shell",
        figsize=(7.6, 3.3),
    )


#: Fields (omega / omega_c) of the gap-versus-temperature panel of the BCS explorer.
_SWEEP_FIELDS = (0.0, 0.8, 1.2, 2.0)


@functools.lru_cache(maxsize=16)
def _bcs_temperature_sweep(M):
    shell = _shell(M, "M−1")
    wc = shell.critical_field()
    t = np.linspace(0.0, 2.0, 61)
    xs = np.array(_SWEEP_FIELDS)
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


def _setup_bcs(fig):
    ax, ax2 = fig.subplots(1, 2)
    art = SimpleNamespace(ax=ax, ax2=ax2)
    (art.canon,) = ax.plot([], [], color="C0", label="canonical Δc")
    (art.bcs,) = ax.plot([], [], color="C1", ls="--", label="BCS Δ")
    ax.axvline(1.0, color="0.5", lw=0.8, ls=":")
    ax.set_xlabel("ω / ωc")
    ax.set_ylabel("gap / Δ(0)")
    ax.set_xlim(0, _W_MAX)
    ax.set_ylim(0, 1.15)
    ax.legend(loc="upper right")
    # gap versus temperature at a few fields (full: canonical, dashed: BCS), one colour per field
    art.sweep = []
    for j, xv in enumerate(_SWEEP_FIELDS):
        (canon,) = ax2.plot([], [], color=f"C{j}", label=f"ω = {xv:g} ωc")
        (bcs,) = ax2.plot([], [], color=f"C{j}", ls="--")
        art.sweep.append((canon, bcs))
    art.T = ax2.axvline(0.0, color="k", lw=1.0)
    ax2.set_xlabel("T / Tc")
    ax2.set_ylabel("gap / Δ(0)")
    ax2.set_xlim(0, 2)
    ax2.set_ylim(0, 1.15)
    ax2.legend(loc="upper right", fontsize=8)
    ax2.set_title("full: canonical, dashed: BCS", fontsize=9.5)
    art.suptitle = fig.suptitle("", fontsize=9.5)
    return art


def _draw_bcs(art, data, M, T):
    art.canon.set_data(data["x"], data["canon"])
    art.bcs.set_data(data["x"], data["bcs"])
    art.ax.set_title(f"T = {T:g} Tc", fontsize=9.5)
    t, _xs, canon, bcs = data["sweep"]
    for j, (line_c, line_b) in enumerate(art.sweep):
        line_c.set_data(t, canon[:, j])
        line_b.set_data(t, bcs[:, j])
    art.T.set_xdata([T, T])
    art.suptitle.set_text(f"M = {M}, N = {data['n']} electrons")


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
        setup=_setup_bcs,
        params=[Param("T", "T / Tc", values=BCS_TEMPERATURES, default=0.8, fmt="g"),
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


def _shown_levels(data):
    """The levels drawn for one state: from seven energies below the HOS to three above it.

    Returns ``(level, colour, linewidth)`` triples, lowest energy first.
    """
    f = data["filling"]
    e_hos = f.hos[0].energy
    e_lus = f.lus[0].energy
    groups = data["scheme"]
    i_hos = next(i for i, g in enumerate(groups) if g[0].energy == e_hos)
    out = []
    for group in groups[max(0, i_hos - 7):i_hos + 4]:
        e = group[0].energy
        if e < e_hos:
            style = ("C0", 2.4)
        elif e == e_hos:
            style = ("C1", 3.4)
        elif e == e_lus:
            style = ("C2", 3.4)
        else:
            style = ("0.65", 1.6)
        out.extend((s, *style) for s in group)
    return out


def _max_levels_shown():
    """Most levels any state of the shell explorer draws (the size of the label pool)."""
    return max(len(_shown_levels(_shell_data(int(N), potential)))
               for N in SHELL_ELECTRONS for potential in shells.POTENTIALS)


def _setup_shell(fig):
    ax, ax2 = fig.subplots(1, 2, width_ratios=[1.15, 1])
    art = SimpleNamespace(ax=ax, ax2=ax2, potential=None)
    # level scheme: one collection of level bars, a pool of labels (unused ones hidden)
    art.levels = ax.add_collection(LineCollection([]), autolim=False)
    art.labels = [ax.text(0.0, 0.0, "", fontsize=7, va="center", visible=False)
                  for _ in range(_max_levels_shown())]
    ax.set_xlabel("orbital angular momentum l")
    ax.grid(False)
    # gaps above the closed shells, and the chosen N
    art.stems = ax2.add_collection(LineCollection([], colors="C0", linewidths=1.5),
                                   autolim=False)
    (art.heads,) = ax2.plot([], [], "o", color="C0", ms=3)
    art.N = ax2.axvline(0.0, color="C1", lw=1.5)
    ax2.set_xlabel("closed-shell electron number")
    ax2.set_xlim(0, 320)
    art.legend = ax2.legend([art.N], ["N"], loc="upper right")
    art.suptitle = fig.suptitle("", fontsize=9.5)
    return art


def _draw_shell(art, data, N, potential):
    ax, ax2 = art.ax, art.ax2
    f = data["filling"]
    unit = "ħ²/(2mR²)" if potential == "hard_wall" else "ħΩ"
    shown = _shown_levels(data)
    art.levels.set_segments([[(s.l - 0.38, s.energy), (s.l + 0.38, s.energy)]
                             for s, _, _ in shown])
    art.levels.set_colors([color for _, color, _ in shown])
    art.levels.set_linewidths([lw for _, _, lw in shown])
    for k, text in enumerate(art.labels):
        if k < len(shown):
            s = shown[k][0]
            text.set_text(f"{s.label} ({s.degeneracy})")
            text.set_position((s.l + 0.42, s.energy))
            text.set_visible(True)
        else:
            text.set_visible(False)
    energies = np.array([s.energy for s, _, _ in shown])
    lo, hi = float(energies.min()), float(energies.max())
    margin = 0.05 * (hi - lo)        # matplotlib's default autoscale margins
    ax.set_xlim(-0.6, max(s.l for s, _, _ in shown) + 1.6)
    ax.set_ylim(lo - margin, hi + margin)
    ax.set_title(f"N = {N}: HOS {'+'.join(s.label for s in f.hos)} holds "
                 f"{f.electrons_in_hos}/{f.hos_degeneracy}, LUS "
                 f"{'+'.join(s.label for s in f.lus)}", fontsize=8.5)
    numbers, gaps = data["closures"], data["gaps"]
    art.stems.set_segments([[(n, 0.0), (n, g)] for n, g in zip(numbers, gaps)])
    art.heads.set_data(numbers, gaps)
    art.N.set_xdata([N, N])
    art.legend.texts[0].set_text(f"N = {N}")
    status = "closed shell (magic)" if f.closed else (
        f"open shell: single-shell model with l = {f.hos[0].l}, n = {f.electrons_in_hos}"
        if len(f.hos) == 1 else "open shell (degenerate oscillator shell)")
    ax2.set_title(status, fontsize=8.5)
    art.suptitle.set_text("hard-wall sphere" if potential == "hard_wall"
                          else "harmonic oscillator")
    # units and gap range only when the potential changes: setting a limit or an axis
    # label, even to the same value, makes the renderer redraw that axes whole
    if potential != art.potential:
        ax.set_ylabel(f"level energy ({unit})")
        ax2.set_ylabel(f"gap above the shell ({unit})")
        ax2.set_ylim(0, 1.12 * gaps.max())
        art.potential = potential


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
        setup=_setup_shell,
        params=[Param("N", "electrons N", values=SHELL_ELECTRONS, default=166, fmt="d"),
         Param("potential", "potential", values=shells.POTENTIALS, default="hard_wall")],
        title="Shell structure of a spherical cluster",
        figsize=(7.6, 3.6),
    )


EXPLORERS = {
    "canonical_field": canonical_field_explorer,
    "canonical_vs_bcs": canonical_vs_bcs_explorer,
    "shell": shell_explorer,
}
