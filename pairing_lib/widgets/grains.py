"""Explorers of chapter 2 (variational grains in a Zeeman field).

Physics: :mod:`pairing_lib.grains` (seed 000, Braun *et al.* 1997). Every
quantity drawn here comes from a library call; the explorers only choose
grids, cache results and plot.

* :func:`spin_ladder_explorer` -- level spacing ``d`` (and parity) ->
  the sector energies :math:`E_s(h) = E_s(0) - 2hs` versus field, their
  level crossings and the ground-state spin staircase (Fig. 2 of the paper
  seen at one ``d``).
* :func:`tunnelling_explorer` -- ``d`` -> the tunnelling lines versus field
  for both parities (Fig. 3 of the paper at any ``d``).
* :func:`exact_vs_variational_explorer` -- spin sector -> variational and
  exact (Richardson) energies versus ``d``.
"""

from __future__ import annotations

import functools
from types import SimpleNamespace

import numpy as np
from matplotlib.collections import LineCollection

from .. import grains
from . import Explorer, Param

__all__ = [
    "spin_ladder_explorer",
    "tunnelling_explorer",
    "exact_vs_variational_explorer",
    "EXPLORERS",
    "spin_label",
    "D_VALUES",
    "EXACT_D",
]

#: Level spacings d / Delta_0 offered by the d sliders.
D_VALUES = (0.2, 0.3, 0.34, 0.4, 0.5, 0.67, 0.8, 1.0)

#: Level spacings at which the exact (Richardson) energies are computed, denser
#: where the exact new spin s_bar changes (0.24-0.26, 0.34-0.37) and where regime I
#: ends (0.43-0.46). Chapter 2 computes its exact first transitions on the same grid,
#: so both share the cached sector energies (434 levels at d = 0.2).
EXACT_D = (0.2, 0.22, 0.24, 0.26, 0.28, 0.3, 0.32, 0.34, 0.37, 0.4, 0.43, 0.46, 0.5,
           0.55, 0.6, 0.67, 0.75, 0.85, 1.0, 1.2, 1.5, 2.0)

#: Largest Zeeman energy shown (h / Delta_0).
H_MAX = 1.3

_SPIN_LABEL = {0.0: "0", 0.5: "1/2", 1.0: "1", 1.5: "3/2", 2.0: "2", 2.5: "5/2",
               3.0: "3", 3.5: "7/2", 4.0: "4", 4.5: "9/2", 5.0: "5", 5.5: "11/2"}


def spin_label(s: float) -> str:
    """A spin as text for plot labels: 0, 1/2, 1, 3/2, ... (a plotting helper)."""
    return _SPIN_LABEL.get(float(s), f"{s:g}")


# ---------------------------------------------------------------------------
# (a) spin ladder and level crossings
# ---------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _ladder_data(d: float):
    h = np.linspace(0.0, H_MAX, 521)
    out = {"h": h}
    for p in (0, 1):
        spins, e0 = grains.sector_energies(d, p, 6)
        hb, sb = grains.first_transition(d, p)
        out[p] = {
            "spins": spins,
            "e0": e0,
            "gs": grains.ground_state_spin(d, h, p),
            "h_bar": hb,
            "s_bar": sb,
            "delta": grains.pairing_parameter(spins, d),
        }
    out["regime"] = grains.regime(d)
    return out


def _ladder_compute(d, parity):
    return _ladder_data(float(d))


#: Number of spin sectors drawn in the level-crossing panel.
_N_SECTORS = 6

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def _ladder_ylim():
    """Energy and spin ranges that hold every state of the sliders.

    The energy panel reaches ``max(2 h̄, 0.6)`` above zero (room for the
    first crossing and its label) at every ``d`` and parity; the staircase
    panel holds the largest ground-state spin reached below :data:`H_MAX`
    (the range autoscaling gives at the smallest ``d``). Fixed ranges let a
    slider move compare two spacings on one scale, and keep the axes out of
    the redrawn part of a frame.
    """
    data = [_ladder_data(float(d)) for d in D_VALUES]
    top = max(max(2.0 * x[p]["h_bar"], 0.6) for x in data for p in (0, 1))
    s_max = max(float(x[p]["gs"].max()) for x in data for p in (0, 1))
    return (-2.0 * H_MAX * 1.2, top), (-0.05 * s_max, 1.05 * s_max)


def _ladder_setup(fig):
    ax, ax2 = fig.subplots(1, 2, width_ratios=[1.5, 1])
    art = SimpleNamespace(ax=ax, ax2=ax2)
    # one line per spin sector (colour by index, as in the legend), the ground state on top
    art.sectors = [ax.plot([], [], lw=1.3, color=f"C{k % 8}")[0] for k in range(_N_SECTORS)]
    (art.ground,) = ax.plot([], [], color="k", lw=3.0, alpha=0.35)
    art.h_bar = ax.axvline(0.0, color="0.3", ls="--", lw=1)
    art.note = ax.annotate("", (0.0, 0.0), xytext=(4, 6), textcoords="offset points",
                           fontsize=8.5)
    energy_lim, spin_lim = _ladder_ylim()
    ax.set_ylim(*energy_lim)
    ax.set_xlim(0, H_MAX)
    ax.set_xlabel("Zeeman energy h / Δ0")
    # relative to the zero-field ground sector s0 = 0 (even) or 1/2 (odd), named in the title
    ax.set_ylabel("E_s(h) − E_s₀(0)  [Δ0]")
    art.legend = ax.legend(art.sectors + [art.ground],
                           [f"s = {k}" for k in range(_N_SECTORS)] + ["ground state"],
                           fontsize=7.5, loc="lower left", ncol=2)
    # ground-state spin staircase of both parities (depends on d only)
    art.stairs = [ax2.step([], [], where="post", color=color, lw=2)[0] for color in ("C0", "C1")]
    ax2.axvline(2 ** -0.5, color="0.4", ls=":", lw=1.2)
    ax2.text(2 ** -0.5, 0.2, " h_CC", fontsize=8, color="0.3")
    ax2.set_xlim(0, H_MAX)
    ax2.set_ylim(*spin_lim)
    ax2.set_xlabel("h / Δ0")
    ax2.set_ylabel("ground-state spin s")
    art.legend2 = ax2.legend(art.stairs, ["even", "odd"], fontsize=8, loc="upper left")
    return art


def _ladder_draw(art, data, d, parity):
    p = 0 if parity == "even" else 1
    h = data["h"]
    pd = data[p]
    e_ref = pd["e0"][0]
    lines = pd["e0"][:, None] - 2.0 * h[None, :] * pd["spins"][:, None] - e_ref
    for k, (line, text) in enumerate(zip(art.sectors, art.legend.texts)):
        if k < len(pd["spins"]):
            tag = " (paired)" if pd["delta"][k] > 0 else ""
            line.set_data(h, lines[k])
            text.set_text(f"s = {spin_label(pd['spins'][k])}{tag}")
        else:
            line.set_data([], [])
            text.set_text("")
    art.ground.set_data(h, lines.min(axis=0))
    art.h_bar.set_xdata([pd["h_bar"]] * 2)
    art.note.set_text(f"h̄ = {pd['h_bar']:.3f}")
    art.note.xy = (pd["h_bar"], 0.0)
    art.note.stale = True
    right = pd["h_bar"] < 0.8 * H_MAX        # near the right edge: label left of the line
    art.note.xyann = (4, 6) if right else (-4, 6)
    art.note.set_horizontalalignment("left" if right else "right")
    art.ax.set_title(f"{parity} grain (s₀ = {spin_label(p / 2)}), d = {d:g} Δ0: "
                     "level crossings", fontsize=9.5)
    for q, name, line, text in zip((0, 1), ("even", "odd"), art.stairs, art.legend2.texts):
        line.set_data(h, data[q]["gs"])
        text.set_text(f"{name}: s̄ = {spin_label(data[q]['s_bar'])}")
    r = int(data["regime"])
    art.ax2.set_title(f"regime {_ROMAN[r - 1] if r <= len(_ROMAN) else r}", fontsize=9.5)


def _ladder_describe(data, d, parity):
    """One sentence on the frame: the first ground-state change and its spin."""
    p = 0 if parity == "even" else 1
    pd = data[p]
    hb, sb = pd["h_bar"], pd["s_bar"]
    flips = int(round(sb - p / 2))
    return (f"Energies of the spin sectors of an {parity} grain against the Zeeman energy h at "
            f"level spacing d = {d:g} Δ0: the ground state leaves s = {spin_label(p / 2)} at "
            f"h̄ = {hb:.3f} Δ0 ({hb / 2 ** -0.5:.2f} h_CC) for the uncorrelated sector "
            f"s̄ = {spin_label(sb)}, " + ("flipping a single spin." if flips == 1
                                           else f"flipping {flips} spins at once."))


def spin_ladder_explorer():
    """d and parity sliders -> sector energies versus h and the ground-state spin staircase.

    Returns
    -------
    pairing_lib.widgets.Explorer
    """
    return Explorer(
        _ladder_compute,
        _ladder_draw,
        setup=_ladder_setup,
        params=[
            Param("d", "d / Δ0", values=D_VALUES, default=0.67, fmt="g"),
            Param("parity", "parity", values=("even", "odd"), default="even"),
        ],
        title="Spin sectors in a Zeeman field: who is the ground state?",
        figsize=(7.6, 3.8),
        describe=_ladder_describe,
    )


# ---------------------------------------------------------------------------
# (b) tunnelling spectra
# ---------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _spectra(d: float):
    out = {}
    hs = np.linspace(0.0, H_MAX, 1301)
    for p in (0, 1):
        lines = grains.tunnelling_lines(d, p, H_MAX, window=2)
        spins, e0 = grains.sector_energies(d, p, 6)
        # fields where the initial grain changes its ground state
        changes = sorted({ln.h_lo for ln in lines if ln.h_lo > 0})
        out[p] = {"lines": lines, "lowest": grains.lowest_line(lines, hs), "changes": changes}
    out["h"] = hs
    return out


def _tunnel_compute(d):
    return _spectra(float(d))


def _tunnel_ylim():
    """One energy window per panel for every d of the slider (lowest line - 0.15 to + 2.0)."""
    lows = [[float(_spectra(float(d))[p]["lowest"].min()) for d in D_VALUES] for p in (0, 1)]
    return [(min(low) - 0.15, max(low) + 2.0) for low in lows]


def _segments(lines, sign):
    return [[(ln.h_lo, float(ln.energy(ln.h_lo))), (ln.h_hi, float(ln.energy(ln.h_hi)))]
            for ln in lines if ln.slope == sign]


def _tunnel_setup(fig):
    axes = fig.subplots(1, 2, sharey=False)
    art = SimpleNamespace(axes=axes, panels=[])
    for ax, ylim in zip(axes, _tunnel_ylim()):
        panel = SimpleNamespace()
        panel.slopes = [ax.add_collection(LineCollection([], colors=color, linewidths=1.0),
                                          autolim=False)
                        for color in ("C0", "C1")]
        (panel.lowest,) = ax.plot([], [], color="k", lw=2.6, alpha=0.4)
        # dashed: fields where the initial grain changes its ground state
        panel.changes = ax.add_collection(
            LineCollection([], colors="0.5", linestyles="--", linewidths=0.9,
                           transform=ax.get_xaxis_transform()), autolim=False)
        ax.set_ylim(*ylim)
        ax.set_xlim(0, H_MAX)
        ax.set_xlabel("h / Δ0")
        art.panels.append(panel)
    axes[0].set_ylabel("line energy (from lowest at h = 0) / Δ0")
    axes[0].plot([], [], color="C0", label="s_f = s_i + 1/2")
    axes[0].plot([], [], color="C1", label="s_f = s_i − 1/2")
    axes[0].plot([], [], color="k", lw=2.6, alpha=0.4, label="lowest line")
    axes[0].legend(fontsize=7.5, loc="upper right")
    return art


def _tunnel_draw(art, data, d):
    for ax, panel, p, name in zip(art.axes, art.panels, (0, 1), ("e → o", "o → e")):
        pd = data[p]
        for coll, sign in zip(panel.slopes, (-1.0, 1.0)):
            coll.set_segments(_segments(pd["lines"], sign))
        panel.lowest.set_data(data["h"], pd["lowest"])
        panel.changes.set_segments([[(hc, 0.0), (hc, 1.0)] for hc in pd["changes"]])
        ax.set_title(f"{name},  d = {d:g} Δ0", fontsize=9.5)


def _tunnel_describe(data, d):
    """One sentence on the frame: does the lowest even-to-odd line kink or jump?"""
    jump = float(grains.e_to_o_jump(float(d)))
    hb, sb = grains.first_transition(float(d), 0)
    what = ("only kinks there (regime I)" if jump == 0.0
            else f"drops by {jump:.2f} Δ0 there")
    return (f"Tunnelling lines against the Zeeman energy h for both parities at level spacing "
            f"d = {d:g} Δ0: the even grain first changes its ground state at h = {hb:.3f} Δ0 "
            f"(into s = {spin_label(sb)}), and the lowest even-to-odd line {what}.")


def tunnelling_explorer():
    """d slider -> tunnelling lines versus h for even-to-odd and odd-to-even spectra.

    Returns
    -------
    pairing_lib.widgets.Explorer
    """
    exp = Explorer(
        _tunnel_compute,
        _tunnel_draw,
        setup=_tunnel_setup,
        params=[Param("d", "d / Δ0", values=D_VALUES, default=0.67, fmt="g")],
        title="Tunnelling spectra versus field (dashed: ground-state changes of the initial grain)",
        figsize=(7.6, 3.8),
        describe=_tunnel_describe,
    )
    if exp.mode == "live":        # warm the cache: every later slider move is instant
        for d in D_VALUES:
            _spectra(float(d))
    return exp


# ---------------------------------------------------------------------------
# (c) exact versus variational
# ---------------------------------------------------------------------------

_SECTORS = ("1", "3/2", "2", "5/2")
_SECTOR_VALUE = {"0": 0.0, "1/2": 0.5, "1": 1.0, "3/2": 1.5, "2": 2.0, "5/2": 2.5}
_VIEWS = ("critical field", "correlation energy")


@functools.lru_cache(maxsize=None)
def _energy_table():
    d_fine = np.linspace(min(EXACT_D), max(EXACT_D), 181)
    d_ex = np.array(EXACT_D)
    table = {"d": d_fine, "d_exact": d_ex}
    for name, s in _SECTOR_VALUE.items():
        row = {
            "corr_var": grains.correlation_energy(s, d_fine),
            "corr_paper": grains.correlation_energy(s, d_fine, self_consistent=False),
            "corr_exact": np.array([grains.correlation_energy(s, x, method="exact")
                                    for x in d_ex]),
        }
        if s >= 1:
            s0 = (2 * s % 2) / 2.0          # the zero-field ground sector p/2
            row["h_var"] = grains.critical_field(s0, s, d_fine)
            row["h_paper"] = grains.critical_field(s0, s, d_fine, self_consistent=False)
            row["h_exact"] = np.array([grains.critical_field(s0, s, x, method="exact")
                                       for x in d_ex])
        table[name] = row
    return table


def _exact_compute(sector, view):
    return _energy_table()


def _exact_setup(fig):
    ax = fig.subplots()
    art = SimpleNamespace(ax=ax)
    # view "critical field"
    (paper,) = ax.plot([], [], color="C1", ls="--", label="variational, ε̄ = ε (paper)")
    (var,) = ax.plot([], [], color="C0", label="variational, self-consistent ε̄")
    (exact,) = ax.plot([], [], "o-", color="C2", label="exact (Richardson)")
    h_cc = ax.axhline(2 ** -0.5, color="0.4", ls=":", lw=1.2, label="h_CC = Δ0/√2")
    art.field = SimpleNamespace(paper=paper, var=var, exact=exact)
    art.field_artists = [paper, var, exact, h_cc]
    art.field_legend = ax.legend(handles=art.field_artists, fontsize=8, loc="upper left")
    ax.add_artist(art.field_legend)
    # view "correlation energy": the reference sector (thin) and the chosen one (thick)
    (ref_var,) = ax.plot([], [], color="C0", lw=1.0, alpha=0.6)
    (ref_exact,) = ax.plot([], [], "s--", color="C2", lw=1.0, alpha=0.6, ms=4)
    (corr_var,) = ax.plot([], [], color="C0", lw=2.0)
    (corr_exact,) = ax.plot([], [], "o-", color="C2", lw=2.0)
    zero = ax.axhline(0.0, color="0.7", lw=0.8)
    art.corr = SimpleNamespace(ref_var=ref_var, ref_exact=ref_exact, var=corr_var,
                               exact=corr_exact)
    art.corr_artists = [ref_var, ref_exact, corr_var, corr_exact, zero]
    art.corr_legend = ax.legend(handles=[ref_var, ref_exact, corr_var, corr_exact],
                                labels=["variational", "exact", "variational", "exact"],
                                fontsize=8, loc="lower right", ncol=2)
    t = _energy_table()
    ax.set_xlim(t["d"].min(), t["d"].max())
    ax.set_xlabel("level spacing d / Δ0")
    return art


def _exact_draw(art, data, sector, view):
    ax = art.ax
    t = data[sector]
    d, dx = data["d"], data["d_exact"]
    s = _SECTOR_VALUE[sector]
    ref = "0" if float(s).is_integer() else "1/2"
    field = view == "critical field"
    for artist in art.field_artists + [art.field_legend]:
        artist.set_visible(field)
    for artist in art.corr_artists + [art.corr_legend]:
        artist.set_visible(not field)
    if field:
        art.field.paper.set_data(d, t["h_paper"])
        art.field.var.set_data(d, t["h_var"])
        art.field.exact.set_data(dx, t["h_exact"])
        ylabel = f"critical field $h_{{{ref},{sector}}}$ / Δ0"
        ylim = (0, max(1.6, float(np.max(t["h_exact"])) + 0.1))
        ax.set_title(f"critical field for |{ref}⟩ → |{sector}⟩: mean field versus exact",
                     fontsize=9.5)
    else:
        r = data[ref]
        art.corr.ref_var.set_data(d, r["corr_var"])
        art.corr.ref_exact.set_data(dx, r["corr_exact"])
        art.corr.var.set_data(d, t["corr_var"])
        art.corr.exact.set_data(dx, t["corr_exact"])
        labels = [f"variational, s = {ref}", f"exact, s = {ref}",
                  f"variational, s = {sector}", f"exact, s = {sector}"]
        for text, label in zip(art.corr_legend.texts, labels):
            text.set_text(label)
        ylabel = "correlation energy E_s − E_s⁽⁰⁾  [Δ0]"
        ylim = (min(float(r["corr_exact"].min()), -1.0) - 0.3, 0.2)
        ax.set_title(f"correlation energies of s = {ref} and s = {sector}", fontsize=9.5)
    # y range and label follow the sector (this axes is redrawn whole at every move)
    ax.set_ylabel(ylabel)
    ax.set_ylim(*ylim)


def _exact_describe(data, sector, view):
    """One sentence on the frame: exact against variational at the largest spacing shown."""
    t = data[sector]
    s = _SECTOR_VALUE[sector]
    ref = "0" if float(s).is_integer() else "1/2"
    d_max = float(data["d_exact"][-1])
    if view == "critical field":
        return (f"Critical field of the transition |{ref}⟩ → |{sector}⟩ against the level "
                f"spacing d, variational and exact: at d = {d_max:g} Δ0 the exact field is "
                f"{t['h_exact'][-1]:.2f} Δ0, the self-consistent variational one "
                f"{t['h_var'][-1]:.2f} Δ0.")
    return (f"Correlation energies of the sectors s = {ref} and s = {sector} against the level "
            f"spacing d: at d = {d_max:g} Δ0 the exact value for s = {sector} is "
            f"{t['corr_exact'][-1]:.2f} Δ0, the variational one {t['corr_var'][-1]:.2f} Δ0 "
            "(mean field has lost all pairing there, the exact ground state has not).")


def exact_vs_variational_explorer():
    """Sector and view sliders -> variational and exact critical fields or correlation energies versus d.

    The exact energies (Richardson's solution, :func:`pairing_lib.grains.exact_energy`)
    are computed once, at the spacings :data:`EXACT_D`, and cached.

    Returns
    -------
    pairing_lib.widgets.Explorer
    """
    exp = Explorer(
        _exact_compute,
        _exact_draw,
        setup=_exact_setup,
        params=[
            Param("sector", "new spin s", values=_SECTORS, default="1"),
            Param("view", "show", values=_VIEWS, default="critical field"),
        ],
        title="Mean field versus the exact solution of the same Hamiltonian",
        figsize=(7.0, 3.8),
        describe=_exact_describe,
    )
    _energy_table()                 # the only slow step; every slider move is then instant
    return exp


EXPLORERS = {
    "spin_ladder": spin_ladder_explorer,
    "tunnelling": tunnelling_explorer,
    "exact_vs_variational": exact_vs_variational_explorer,
}
