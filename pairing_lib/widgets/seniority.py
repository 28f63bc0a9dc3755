"""Explorers of chapter 3 (seniority clusters).

Physics: :mod:`pairing_lib.seniority` (single-shell pairing, canonical and
BCS) and :mod:`pairing_lib.shells` (shell structure). Units as in the
chapter: energies in the shell gap :math:`\\Delta_{\\rm sh} = GM/2`,
temperatures in :math:`T_c^{\\rm sh} = \\Delta_{\\rm sh}/2`, Zeeman energies
:math:`h` in units of the T = 0 critical field :math:`h_c^{\\rm sh}` of the shell.
"""

from __future__ import annotations

import functools
from types import SimpleNamespace

import numpy as np
from matplotlib.collections import LineCollection

from .. import seniority, shells
from . import Explorer, Param

__all__ = [
    "COUPLINGS",
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

#: Temperatures (T / Tc^sh) of the field explorer.
FIELD_TEMPERATURES = (0.02, 0.05, 0.1, 0.2, 0.5)

#: Which moments the field couples to (slider labels of the field explorer).
COUPLINGS = ("orbit + spin", "spin only")

#: Temperatures (T / Tc^sh) of the canonical-versus-BCS explorer.
BCS_TEMPERATURES = (0.0, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.5)

#: Electron numbers of the shell explorer.
SHELL_ELECTRONS = (8, 18, 20, 34, 40, 50, 58, 68, 80, 92, 106, 120, 132, 138, 150, 166, 168,
                   186, 198, 254)

_W_MAX = 2.0          # fields up to 2 h_c^sh


def _shell(M, filling, orbital=True):
    return seniority.SingleShell((int(M) - 1) // 2, int(M) + _FILLING_OFFSET[filling],
                                 orbital=orbital)


@functools.lru_cache(maxsize=128)
def _field_data(M, filling, T, coupling="orbit + spin"):
    shell = _shell(M, filling, coupling == "orbit + spin")
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
        "path": shell.ground_state_seniorities(),
    }


def _compute_field(M, filling, T, coupling="orbit + spin"):
    if coupling not in COUPLINGS:
        raise ValueError(f"coupling must be one of {COUPLINGS}, got {coupling!r}")
    return _field_data(int(M), filling, float(T), coupling)


def _vlines(ax, **style):
    """An empty collection of vertical lines spanning ``ax`` (x in data, y in axes units)."""
    return ax.add_collection(LineCollection([], transform=ax.get_xaxis_transform(), **style),
                             autolim=False)


def _setup_field(fig):
    axes = fig.subplots(1, 3, sharex=True)
    art = SimpleNamespace(axes=axes, steps=[], curves=[])
    panels = [("Δ_can / Δ_sh", "canonical pair measure"),
              ("χ · Δ_sh / μB²", "susceptibility"),
              ("C / kB", "heat capacity")]
    for ax, (label, title), color in zip(axes, panels, ("C0", "C1", "C2")):
        art.steps.append(_vlines(ax, colors="0.6", linewidths=0.8, linestyles=":"))
        art.curves.append(ax.plot([], [], color=color)[0])
        ax.set_xlabel("h / h_c^sh")
        ax.set_ylabel(label)
        ax.set_title(title, fontsize=9.5)
        ax.set_xlim(0, _W_MAX)
    axes[0].set_ylim(0, 1.15)
    art.suptitle = fig.suptitle("", fontsize=9.5)
    return art


def _draw_field(art, data, M, filling, T, coupling="orbit + spin"):
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
        f"M = {M}, n = {data['n']}, T = {T:g} Tc_sh, {coupling};  h_c^sh = "
        f"{data['wc_over_d0']:.3f} Δ_sh,  {len(data['steps'])} step(s)  (dotted: T = 0 steps)")


def _describe_field(data, M, filling, T, coupling="orbit + spin"):
    steps = len(data["steps"])
    how = (f"breaks pairs in {steps} steps (seniority {' → '.join(map(str, data['path']))})"
           if steps > 1 else
           f"goes from seniority {data['path'][0]} to {data['path'][-1]} in one jump")
    return (f"Canonical pair measure, susceptibility and heat capacity against the Zeeman "
            f"energy for a shell of M = {M} orbitals with n = {data['n']} electrons at "
            f"T = {T:g} Tc_sh, field coupled to {coupling}. At T = 0 the shell {how}; "
            f"the last step is at h_c^sh = {data['wc_over_d0']:.3f} Δ_sh.")


def canonical_field_explorer():
    """Shell size, filling, temperature and coupling -> pair measure, susceptibility, heat capacity vs field.

    The coupling switch compares the seed's orbital plus spin moments with
    spin-only moments (a shell whose orbital moment is quenched).

    Returns
    -------
    pairing_lib.widgets.Explorer
        90 frames (3 x 3 x 5 x 2) on the static site.
    """
    return Explorer(
        _compute_field,
        _draw_field,
        setup=_setup_field,
        params=[Param("M", "shell size M", values=SHELL_SIZES, default=11, fmt="d"),
         Param("filling", "electrons n", values=FILLINGS, default="M−1"),
         Param("T", "T / Tc_sh", values=FIELD_TEMPERATURES, default=0.1, fmt="g"),
         Param("coupling", "moments", values=COUPLINGS, default="orbit + spin")],
        title="Stepwise destruction of pairing: canonical ensemble of one shell",
        figsize=(7.6, 3.3),
        describe=_describe_field,
    )


#: Fields (h / h_c^sh) of the pair-measure-versus-temperature panel of the BCS explorer.
_SWEEP_FIELDS = (0.0, 0.8, 1.2, 2.0)


@functools.lru_cache(maxsize=16)
def _bcs_temperature_sweep(M):
    shell = _shell(M, "M−1")
    wc = shell.critical_field()
    t = np.linspace(0.0, 2.0, 61)
    t[0] = 1e-3                               # the connected measure needs T > 0
    xs = np.array(_SWEEP_FIELDS)
    T = t[:, None] * shell.tc
    W = xs[None, :] * wc
    conn = shell.connected_gap(T, W) / shell.delta0
    bcs = shell.bcs_gap(T, W) / shell.delta0
    return t, xs, conn, bcs


@functools.lru_cache(maxsize=64)
def _bcs_field_data(M, T):
    shell = _shell(M, "M−1")
    wc = shell.critical_field()
    x = np.linspace(0.0, _W_MAX, 181)
    t_eff = max(T, 1e-3) * shell.tc          # the connected measure needs T > 0
    return {
        "x": x,
        "canon": shell.canonical_gap(T * shell.tc, x * wc) / shell.delta0,
        "conn": shell.connected_gap(t_eff, x * wc) / shell.delta0,
        "bcs": shell.bcs_gap(T * shell.tc, x * wc) / shell.delta0,
        "background": shell.background_gap / shell.delta0,
        "n": shell.n_electrons,
        "sweep": _bcs_temperature_sweep(M),
    }


def _compute_bcs(M, T):
    return _bcs_field_data(int(M), float(T))


def _setup_bcs(fig):
    ax, ax2 = fig.subplots(1, 2)
    art = SimpleNamespace(ax=ax, ax2=ax2)
    (art.canon,) = ax.plot([], [], color="C0", lw=1.0, alpha=0.7, label="canonical Δ_can")
    (art.conn,) = ax.plot([], [], color="C0", lw=2.0, label="canonical Δ_conn")
    (art.bcs,) = ax.plot([], [], color="C1", ls="--", label="BCS Δ")
    art.bg = ax.axhline(0.0, color="0.5", lw=1.0, ls="-.", label="Δ_can at T = ∞")
    ax.axvline(1.0, color="0.5", lw=0.8, ls=":")
    ax.set_xlabel("h / h_c^sh")
    ax.set_ylabel("pair measure / Δ_sh")
    ax.set_xlim(0, _W_MAX)
    ax.set_ylim(-0.1, 1.15)
    ax.legend(loc="upper right", fontsize=7)
    # connected measure versus temperature at a few fields (full: canonical, dashed: BCS)
    art.sweep = []
    for j, xv in enumerate(_SWEEP_FIELDS):
        (canon,) = ax2.plot([], [], color=f"C{j}", label=f"h = {xv:g} h_c^sh")
        (bcs,) = ax2.plot([], [], color=f"C{j}", ls="--")
        art.sweep.append((canon, bcs))
    art.T = ax2.axvline(0.0, color="k", lw=1.0)
    ax2.set_xlabel("T / Tc_sh")
    ax2.set_ylabel("pair measure / Δ_sh")
    ax2.set_xlim(0, 2)
    ax2.set_ylim(-0.1, 1.15)
    ax2.legend(loc="upper right", fontsize=7)
    ax2.set_title("full: canonical Δ_conn, dashed: BCS Δ", fontsize=9.5)
    art.suptitle = fig.suptitle("", fontsize=9.5)
    return art


def _draw_bcs(art, data, M, T):
    art.canon.set_data(data["x"], data["canon"])
    art.conn.set_data(data["x"], data["conn"])
    art.bcs.set_data(data["x"], data["bcs"])
    art.bg.set_ydata([data["background"]] * 2)
    art.ax.set_title(f"T = {T:g} Tc_sh", fontsize=9.5)
    t, _xs, canon, bcs = data["sweep"]
    for j, (line_c, line_b) in enumerate(art.sweep):
        line_c.set_data(t, canon[:, j])
        line_b.set_data(t, bcs[:, j])
    art.T.set_xdata([T, T])
    art.suptitle.set_text(f"M = {M}, n = {data['n']} electrons")


def _describe_bcs(data, M, T):
    x = data["x"]
    i = int(np.argmin(np.abs(x - 1.2)))
    bcs_end = x[data["bcs"] > 0].max() if np.any(data["bcs"] > 0) else 0.0
    return (f"Pair measures against the Zeeman energy for M = {M}, n = {data['n']} at "
            f"T = {T:g} Tc_sh: at h = 1.2 h_c^sh the connected canonical measure is "
            f"{data['conn'][i]:.2f} Δ_sh (raw {data['canon'][i]:.2f}, infinite-temperature "
            f"background {data['background']:.2f}); the BCS gap vanishes above "
            f"h = {bcs_end:.2f} h_c^sh.")


def canonical_vs_bcs_explorer():
    """Temperature (and shell size) -> canonical pair measures and BCS gap versus field and temperature.

    Returns
    -------
    pairing_lib.widgets.Explorer
        24 frames (8 temperatures x 3 shell sizes) on the static site.
    """
    return Explorer(
        _compute_bcs,
        _draw_bcs,
        setup=_setup_bcs,
        params=[Param("T", "T / Tc_sh", values=BCS_TEMPERATURES, default=0.8, fmt="g"),
         Param("M", "shell size M", values=SHELL_SIZES, default=11, fmt="d")],
        title="Canonical (fixed n) versus grand-canonical BCS pairing in a field",
        figsize=(7.6, 3.4),
        describe=_describe_bcs,
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


def _describe_shell(data, N, potential):
    f = data["filling"]
    where = ("a closed shell" if f.closed else
             f"{f.electrons_in_hos} of the {f.hos_degeneracy} places of the highest occupied "
             f"shell {'+'.join(s.label for s in f.hos)} filled")
    name = "hard-wall sphere" if potential == "hard_wall" else "harmonic oscillator"
    return (f"Single-particle levels near the Fermi energy of a {name} with N = {N} electrons "
            f"({where}; next shell {'+'.join(s.label for s in f.lus)}), and the energy gap "
            f"above every closed shell up to N = 320.")


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
        describe=_describe_shell,
    )


EXPLORERS = {
    "canonical_field": canonical_field_explorer,
    "canonical_vs_bcs": canonical_vs_bcs_explorer,
    "shell": shell_explorer,
}
