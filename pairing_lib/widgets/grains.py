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

#: Level spacings d / Delta~ offered by the d sliders.
D_VALUES = (0.2, 0.3, 0.34, 0.4, 0.5, 0.67, 0.8, 1.0)

#: Level spacings at which the exact (Richardson) energies are computed, denser
#: where the exact new spin s_bar changes (0.24-0.26, 0.34-0.37) and where regime I
#: ends (0.43-0.46). Chapter 2 computes its exact first transitions on the same grid,
#: so both share the cached sector energies (434 levels at d = 0.2).
EXACT_D = (0.2, 0.22, 0.24, 0.26, 0.28, 0.3, 0.32, 0.34, 0.37, 0.4, 0.43, 0.46, 0.5,
           0.55, 0.6, 0.67, 0.75, 0.85, 1.0, 1.2, 1.5, 2.0)

#: Largest Zeeman energy shown (h / Delta~).
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


def _ladder_draw(fig, data, d, parity):
    p = 0 if parity == "even" else 1
    ax, ax2 = fig.subplots(1, 2, width_ratios=[1.5, 1])
    h = data["h"]
    pd = data[p]
    e_ref = pd["e0"][0]
    lines = pd["e0"][:, None] - 2.0 * h[None, :] * pd["spins"][:, None] - e_ref
    for k, s in enumerate(pd["spins"]):
        tag = " (paired)" if pd["delta"][k] > 0 else ""
        ax.plot(h, lines[k], lw=1.3, color=f"C{k % 8}", label=f"s = {spin_label(s)}{tag}")
    ax.plot(h, lines.min(axis=0), color="k", lw=3.0, alpha=0.35, label="ground state")
    ax.axvline(pd["h_bar"], color="0.3", ls="--", lw=1)
    ax.annotate(f"h̄ = {pd['h_bar']:.3f}", (pd["h_bar"], 0.0), xytext=(4, 6),
                textcoords="offset points", fontsize=8.5)
    top = max(2.0 * pd["h_bar"], 0.6)
    ax.set_ylim(-2.0 * H_MAX * 1.2, top)
    ax.set_xlim(0, H_MAX)
    ax.set_xlabel("Zeeman energy h / Δ̃")
    ax.set_ylabel(f"E_s(h) − E_{spin_label(p / 2)}(0)  [Δ̃]")
    ax.legend(fontsize=7.5, loc="lower left", ncol=2)
    ax.set_title(f"{parity} grain, d = {d:g} Δ̃: level crossings", fontsize=9.5)
    for q, name, color in ((0, "even", "C0"), (1, "odd", "C1")):
        ax2.step(h, data[q]["gs"], where="post", color=color, lw=2,
                 label=f"{name}: s̄ = {spin_label(data[q]['s_bar'])}")
    ax2.axvline(2 ** -0.5, color="0.4", ls=":", lw=1.2)
    ax2.text(2 ** -0.5, 0.2, " h_CC", fontsize=8, color="0.3")
    ax2.set_xlim(0, H_MAX)
    ax2.set_xlabel("h / Δ̃")
    ax2.set_ylabel("ground-state spin s")
    ax2.legend(fontsize=8, loc="upper left")
    roman = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
    r = int(data["regime"])
    ax2.set_title(f"regime {roman[r - 1] if r <= len(roman) else r}", fontsize=9.5)


def spin_ladder_explorer():
    """d and parity sliders -> sector energies versus h and the ground-state spin staircase.

    Returns
    -------
    pairing_lib.widgets.Explorer
    """
    return Explorer(
        _ladder_compute,
        _ladder_draw,
        [
            Param("d", "d / Δ̃", values=D_VALUES, default=0.67, fmt="g"),
            Param("parity", "parity", values=("even", "odd"), default="even"),
        ],
        title="Spin sectors in a Zeeman field: who is the ground state?",
        figsize=(7.6, 3.8),
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


def _tunnel_draw(fig, data, d):
    axes = fig.subplots(1, 2, sharey=False)
    for ax, p, name in ((axes[0], 0, "e → o"), (axes[1], 1, "o → e")):
        pd = data[p]
        low = pd["lowest"]
        for sign, color in ((-1.0, "C0"), (1.0, "C1")):
            segs = [[(ln.h_lo, float(ln.energy(ln.h_lo))), (ln.h_hi, float(ln.energy(ln.h_hi)))]
                    for ln in pd["lines"] if ln.slope == sign]
            ax.add_collection(LineCollection(segs, colors=color, linewidths=1.0))
        ax.plot(data["h"], low, color="k", lw=2.6, alpha=0.4)
        for hc in pd["changes"]:
            ax.axvline(hc, color="0.5", ls="--", lw=0.9)
        ax.set_ylim(low.min() - 0.15, low.min() + 2.0)
        ax.set_xlim(0, H_MAX)
        ax.set_xlabel("h / Δ̃")
        ax.set_title(f"{name},  d = {d:g} Δ̃", fontsize=9.5)
    axes[0].set_ylabel("line energy (from lowest at h = 0) / Δ̃")
    axes[0].plot([], [], color="C0", label="s_f = s_i + 1/2")
    axes[0].plot([], [], color="C1", label="s_f = s_i − 1/2")
    axes[0].plot([], [], color="k", lw=2.6, alpha=0.4, label="lowest line")
    axes[0].legend(fontsize=7.5, loc="upper right")


def tunnelling_explorer():
    """d slider -> tunnelling lines versus h for even-to-odd and odd-to-even spectra.

    Returns
    -------
    pairing_lib.widgets.Explorer
    """
    exp = Explorer(
        _tunnel_compute,
        _tunnel_draw,
        [Param("d", "d / Δ̃", values=D_VALUES, default=0.67, fmt="g")],
        title="Tunnelling spectra versus field (dashed: ground-state changes of the initial grain)",
        figsize=(7.6, 3.8),
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


def _exact_draw(fig, data, sector, view):
    ax = fig.subplots()
    t = data[sector]
    d, dx = data["d"], data["d_exact"]
    s = _SECTOR_VALUE[sector]
    ref = "0" if float(s).is_integer() else "1/2"
    if view == "critical field":
        ax.plot(d, t["h_paper"], color="C1", ls="--", label="variational, ε̄ = ε (paper)")
        ax.plot(d, t["h_var"], color="C0", label="variational, self-consistent ε̄")
        ax.plot(dx, t["h_exact"], "o-", color="C2", label="exact (Richardson)")
        ax.axhline(2 ** -0.5, color="0.4", ls=":", lw=1.2, label="h_CC = Δ̃/√2")
        ax.set_ylabel(f"critical field $h_{{{ref},{sector}}}$ / Δ̃")
        ax.set_ylim(0, max(1.6, float(np.max(t["h_exact"])) + 0.1))
        ax.legend(fontsize=8, loc="upper left")
        ax.set_title(f"critical field for |{ref}⟩ → |{sector}⟩: mean field versus exact",
                     fontsize=9.5)
    else:
        r = data[ref]
        ax.plot(d, r["corr_var"], color="C0", lw=1.0, alpha=0.6,
                label=f"variational, s = {ref}")
        ax.plot(dx, r["corr_exact"], "s--", color="C2", lw=1.0, alpha=0.6, ms=4,
                label=f"exact, s = {ref}")
        ax.plot(d, t["corr_var"], color="C0", lw=2.0, label=f"variational, s = {sector}")
        ax.plot(dx, t["corr_exact"], "o-", color="C2", lw=2.0, label=f"exact, s = {sector}")
        ax.axhline(0.0, color="0.7", lw=0.8)
        ax.set_ylabel("correlation energy E_s − E_s⁽⁰⁾  [Δ̃]")
        ax.set_ylim(min(float(r["corr_exact"].min()), -1.0) - 0.3, 0.2)
        ax.legend(fontsize=8, loc="lower right", ncol=2)
        ax.set_title(f"correlation energies of s = {ref} and s = {sector}", fontsize=9.5)
    ax.set_xlim(d.min(), d.max())
    ax.set_xlabel("level spacing d / Δ̃")


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
        [
            Param("sector", "new spin s", values=_SECTORS, default="1"),
            Param("view", "show", values=_VIEWS, default="critical field"),
        ],
        title="Mean field versus the exact solution of the same Hamiltonian",
        figsize=(7.0, 3.8),
    )
    _energy_table()                 # the only slow step; every slider move is then instant
    return exp


EXPLORERS = {
    "spin_ladder": spin_ladder_explorer,
    "tunnelling": tunnelling_explorer,
    "exact_vs_variational": exact_vs_variational_explorer,
}
