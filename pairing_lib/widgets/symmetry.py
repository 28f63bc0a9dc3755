"""Explorers of chapter 4, *Mesoscopic symmetry breaking* (physics: :mod:`pairing_lib.symmetry`).

* :func:`staircase_explorer` -- chemical potential (gate) and parity gap ->
  grand-potential lines, the staircase <N>(mu), the dot's state and its order
  parameter (seed 003, Fig. 1, eqs. 2, 3, 15-19, 24).
* :func:`phase_winding_explorer` -- time -> the rotating phase of the
  superposition u|N> + v e^{i phi}|N+k> in the laboratory and in the rotating
  frame (seed 003, section 3).
* :func:`josephson_explorer` -- lead phase difference -> SD2S and SD1S
  energies and currents, the 4 pi branch and the one-electron phase of the dot
  (eqs. 25-31).
* :func:`magnet_explorer` -- field direction and magnitude -> moment of an odd
  dot with uniaxial anisotropy (eqs. 40-44).
"""

from __future__ import annotations

import functools
from types import SimpleNamespace

import numpy as np

from .. import symmetry as sym
from . import Explorer, Param

__all__ = [
    "staircase_explorer",
    "phase_winding_explorer",
    "josephson_explorer",
    "magnet_explorer",
    "EXPLORERS",
    "STAIRCASE",
    "JOSEPHSON",
    "MAGNET",
]

#: Parameters of the staircase explorer (energies in units of E_C).
STAIRCASE = {"charging_energy": 1.0, "n_max": 4, "x0": 0.15, "x0_pair": 0.3,
             "mu_range": (-0.25, 4.25)}
#: Parameters of the Josephson explorer (D_left = D_right = D for SD2S, a and b for SD1S).
JOSEPHSON = {"D": 0.5, "a": 1.5, "b": 1.0}
#: Anisotropy of the magnet explorer (uniaxial, easy axis z), energy unit.
MAGNET = {"anisotropy": 1.0}

_KIND_TEXT = {
    0: "normal state |N⟩: gauge invariant, ⟨ψ⟩ = 0",
    1: "u|N⟩ + v e^(iφ)|N+1⟩: one-electron condensate ⟨ψ⟩ ≠ 0",
    2: "u|N⟩ + v e^(iφ)|N+2⟩: pair condensate ⟨ψψ⟩ ≠ 0",
}


# ---------------------------------------------------------------------------
# (a) staircase
# ---------------------------------------------------------------------------
@functools.lru_cache(maxsize=None)
def _staircase_curves(parity_gap):
    p = STAIRCASE
    model = sym.DotModel(p["charging_energy"], parity_gap)
    mu = np.linspace(*p["mu_range"], 700)
    n = np.arange(p["n_max"] + 1)
    lines = sym.grand_potential(model, n[:, None], mu[None, :])
    ideal = sym.ground_state_number(mu, model, p["n_max"])
    mean = sym.mean_number_staircase(mu, model, p["x0"], p["n_max"], p["x0_pair"])
    absd, kind = sym.order_parameter_staircase(mu, model, p["x0"], p["n_max"], p["x0_pair"])
    return model, mu, n, lines, ideal, mean, absd, kind


def _staircase_compute(mu, parity_gap):
    p = STAIRCASE
    model, grid, n, lines, ideal, mean, absd, kind = _staircase_curves(parity_gap)
    n_low, dn, u, v = sym.staircase_state(mu, model, p["x0"], p["n_max"], p["x0_pair"])
    d_here, _ = sym.order_parameter_staircase(mu, model, p["x0"], p["n_max"], p["x0_pair"])
    return {
        "grid": grid, "n": n, "lines": lines, "ideal": ideal, "mean": mean,
        "absd": absd, "kind": kind,
        "n_here": float(sym.mean_number_staircase(mu, model, p["x0"], p["n_max"],
                                                  p["x0_pair"])),
        "line_here": sym.grand_potential(model, n, mu),
        "state": (n_low, dn, u, v), "absd_here": float(d_here),
        "steps": int(sym.step_size(parity_gap, p["charging_energy"])),
    }


def _grid(fig, ncols, width_ratios, **margins):
    """Fixed margins instead of constrained layout: the axes stay where setup puts them."""
    fig.set_layout_engine("none")
    kw = dict(left=0.08, right=0.98, bottom=0.14, top=0.9, wspace=0.35)
    kw.update(margins)
    return fig.subplots(1, ncols, width_ratios=width_ratios, gridspec_kw=kw)


def _set_ylim(ax, lo, hi):
    """Change the y range only if it differs (``set_ylim`` marks the axis stale every time)."""
    if tuple(ax.get_ylim()) != (lo, hi):
        ax.set_ylim(lo, hi)


def _padded_range(*curves):
    """The y range autoscaling gives the curves (finite values, 5 % margins)."""
    values = np.concatenate([np.asarray(c, float).ravel() for c in curves])
    values = values[np.isfinite(values)]
    lo, hi = float(values.min()), float(values.max())
    pad = 0.05 * (hi - lo)
    return lo - pad, hi + pad


def _arrow(ax, color, **style):
    """A phase arrow from the origin; :func:`_point_arrow` moves its head."""
    return ax.annotate("", xy=(1.0, 0.0), xytext=(0, 0),
                       arrowprops=dict(arrowstyle="-|>", color=color, **style))


def _point_arrow(arrow, x, y):
    arrow.xy = (float(x), float(y))
    arrow.stale = True          # a direct attribute write: say that it changed


def _staircase_setup(fig):
    p = STAIRCASE
    ax1, ax2, ax3 = _grid(fig, 3, [1.15, 1.15, 0.9], left=0.085, right=0.975, wspace=0.72)
    art = SimpleNamespace(ax1=ax1, ax2=ax2, ax3=ax3)
    n = np.arange(p["n_max"] + 1)
    lo, hi = p["mu_range"]
    xlim = (lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo))

    art.lines = [ax1.plot([], [], lw=1.0, color=f"C{k % 6}", label=f"N = {k}")[0] for k in n]
    (art.envelope,) = ax1.plot([], [], color="k", lw=2.2, alpha=0.5)
    art.mu_line = ax1.axvline(0.0, color="0.3", ls="--", lw=1)
    ax1.set_xlim(*xlim)
    ax1.set_xlabel("μ / E_C")
    ax1.set_ylabel("E(N) − μN  (units of E_C)")
    ax1.set_title("grand-potential lines", fontsize=9.5)
    ax1.legend(fontsize=7, loc="lower left", ncol=2)

    (art.ideal,) = ax2.plot([], [], color="0.6", lw=1.2, drawstyle="steps-post",
                            label="isolated dot")
    (art.mean,) = ax2.plot([], [], color="C0", lw=2, label="coupled: ⟨N⟩")
    (art.point,) = ax2.plot([], [], "o", color="k", ms=7, zorder=5)
    ax2.set_xlim(*xlim)
    ax2.set_xlabel("μ / E_C")
    ax2.set_ylabel("⟨N⟩")
    ax2.set_ylim(-0.3, n[-1] + 0.3)
    tw = ax2.twinx()
    for spine in ax2.spines.values():      # the twin axes draws the same frame
        spine.set_visible(False)
    tw.set_zorder(ax2.get_zorder() - 1)     # the shading under the staircase and its marker
    ax2.patch.set_visible(False)
    art.absd = tw.fill_between([], [], [], color="C1", alpha=0.35, lw=0)
    tw.set_ylim(0, 3 * max(p["x0"], p["x0_pair"]))
    tw.set_ylabel("|D| / E_C (shaded)", color="C1", fontsize=9)
    tw.tick_params(axis="y", labelsize=8, colors="C1")
    tw.grid(False)
    art.ax2_title = ax2.set_title(" ", fontsize=9.5)
    ax2.legend(fontsize=7, loc="upper left")

    art.bars = ax3.bar(n, np.zeros(len(n)), color="C0", width=0.6).patches
    ax3.set_xlim(n[0] - 0.53, n[-1] + 0.53)         # where autoscaling put the bars
    ax3.set_ylim(0, 1.55)
    ax3.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
    ax3.set_xlabel("N")
    ax3.set_ylabel("weight |c_N|²")
    ax3.set_xticks(n)
    ax3.set_axisbelow(True)                 # grid lines behind the bars
    art.ax3_title = ax3.set_title(" \n ", fontsize=9.5)
    art.kind = ax3.text(0.5, 0.97, "", transform=ax3.transAxes, ha="center", va="top",
                        fontsize=7.2, bbox=dict(boxstyle="round", fc="white", ec="0.7"))
    return art


def _staircase_draw(art, data, mu, parity_gap):
    grid = data["grid"]
    for line, values in zip(art.lines, data["lines"]):
        line.set_data(grid, values)
    env = data["lines"].min(axis=0)
    art.envelope.set_data(grid, env)
    _set_ylim(art.ax1, float(env.min()) - 1.5, 2.5)   # the same for every Δ_P (-6 to 2.5)
    art.mu_line.set_xdata([mu, mu])

    art.ideal.set_data(grid, data["ideal"])
    art.mean.set_data(grid, data["mean"])
    art.point.set_data([mu], [data["n_here"]])
    art.absd.set_data(grid, np.zeros_like(grid), data["absd"])
    art.ax2_title.set_text(f"staircase: {data['steps']}-electron steps")

    n_low, dn, u, v = data["state"]
    probs = np.zeros(len(data["n"]))
    probs[n_low] += u**2
    if dn:
        probs[n_low + dn] += v**2
    for bar, height in zip(art.bars, probs):
        bar.set_height(height)
    art.ax3_title.set_text(f"⟨N⟩ = {data['n_here']:.2f}\n|D| = {data['absd_here']:.2f} E_C")
    art.kind.set_text(_KIND_TEXT[dn].replace(": ", ":\n"))


def _staircase_describe(data, mu, parity_gap):
    n_low, dn, u, v = data["state"]
    state = ("a state of definite charge" if dn == 0 else
             f"the superposition of N = {n_low} and N = {n_low + dn}")
    return (f"Gate sweep of a dot with parity gap Δ_P = {parity_gap:.1f} E_C, which changes its "
            f"charge in {data['steps']}-electron steps. At μ = {mu:.2f} E_C the coupled dot holds "
            f"⟨N⟩ = {data['n_here']:.2f} in {state}, with mean-field order parameter "
            f"|D| = {data['absd_here']:.2f} E_C.")


def staircase_explorer():
    """Chemical potential and parity gap -> lines E(N) - mu N, staircase, state.

    Returns
    -------
    pairing_lib.widgets.Explorer
        Sliders: mu / E_C (13 stops) and Delta_P / E_C (3 stops).
    """
    mus = np.round(np.arange(0.5, 3.51, 0.25), 2)
    return Explorer(
        _staircase_compute, _staircase_draw, setup=_staircase_setup,
        params=[Param("mu", "μ / E_C", values=mus, default=1.5, fmt=".2f"),
                Param("parity_gap", "Δ_P / E_C", values=[0.0, 0.6, 1.4], default=0.6, fmt=".1f")],
        title="Gate a dot through its charge states (seed 003, Fig. 1)",
        figsize=(8.6, 3.7),
        describe=_staircase_describe,
    )


# ---------------------------------------------------------------------------
# (b) phase winding
# ---------------------------------------------------------------------------
_WIND = {"u": np.sqrt(0.6), "v": np.sqrt(0.4), "phi": 0.3, "mu_c": 1.0}


def _winding_compute(t, kind):
    dn = 1 if kind == "one electron" else 2
    w = _WIND
    delta_e = dn * w["mu_c"]                   # E(N+k) - E(N) at the critical point
    period1 = 2 * np.pi / w["mu_c"]
    ts = np.linspace(0, 2 * period1, 300)
    out = {"ts": ts / period1, "dn": dn}
    for frame, mu in (("lab", 0.0), ("rot", w["mu_c"])):
        out[frame] = sym.winding_order_parameter(ts, w["u"], w["v"], w["phi"], delta_e, mu, dn)
        out[frame + "_here"] = complex(sym.winding_order_parameter(
            t * period1, w["u"], w["v"], w["phi"], delta_e, mu, dn))
        out[frame + "_period"] = float(sym.winding_period(delta_e, mu, dn)) / period1
    c_lo, c_hi = sym.superposition_state(t * period1, w["u"], w["v"], w["phi"], delta_e, 0.0, dn)
    out["c"] = (complex(c_lo), complex(c_hi))
    return out


def _winding_setup(fig):
    w = _WIND
    ax1, ax2 = _grid(fig, 2, [1, 1.6], left=0.1, wspace=0.3)
    art = SimpleNamespace(ax1=ax1, ax2=ax2)
    # |<C_k>|/F = u v for both kinds of state: the circle and the limits are fixed
    r = abs(complex(sym.winding_order_parameter(0.0, w["u"], w["v"], w["phi"], w["mu_c"])))
    circ = np.exp(1j * np.linspace(0, 2 * np.pi, 200))
    ax1.plot(r * circ.real, r * circ.imag, color="0.75", lw=1)
    art.arrows = {}
    for frame, col, lab in (("lab", "C0", "laboratory"), ("rot", "C1", "rotating at μ_c")):
        art.arrows[frame] = _arrow(ax1, col, lw=2.2)
        ax1.plot([], [], color=col, lw=2.2, label=lab)
    ax1.set_aspect("equal")
    lim = 1.4 * r
    ax1.set_xlim(-lim, lim)
    ax1.set_ylim(-lim, lim)
    ax1.legend(fontsize=7.5, loc="lower left")
    art.ax1_title = ax1.set_title(" ", fontsize=9.5)

    (art.lab,) = ax2.plot([], [], color="C0", label=" ")
    (art.rot,) = ax2.plot([], [], color="C1", ls="--", label=" ")
    art.t_line = ax2.axvline(0.0, color="0.3", lw=1.0, ls=":")
    (art.lab_here,) = ax2.plot([], [], "o", color="C0", ms=6)
    (art.rot_here,) = ax2.plot([], [], "o", color="C1", ms=6)
    ax2.set_xlim(-0.1, 2.1)                 # two periods, t / (2πħ/μ_c) in [0, 2]
    ax2.set_xlabel("time t / (2πħ/μ_c)")
    ax2.set_ylabel("order parameter")
    ax2.set_ylim(-0.62, 0.8)
    art.legend = ax2.legend(fontsize=7.5, loc="upper right", ncol=2)
    art.ax2_title = ax2.set_title(" ", fontsize=9)
    return art


def _winding_draw(art, data, t, kind):
    name = "⟨ψ⟩/f" if data["dn"] == 1 else "⟨ψψ⟩/f"
    for frame in ("lab", "rot"):
        z = data[frame + "_here"]
        _point_arrow(art.arrows[frame], z.real, z.imag)
    if art.ax1.get_xlabel() != f"Re {name}":   # changes with the kind of state only
        art.ax1.set_xlabel(f"Re {name}")
        art.ax1.set_ylabel(f"Im {name}")
    art.ax1_title.set_text(f"lab-frame period = {data['lab_period']:.2g} × 2πħ/μ_c")

    art.lab.set_data(data["ts"], data["lab"].real)
    art.rot.set_data(data["ts"], data["rot"].real)
    art.legend.texts[0].set_text(f"Re {name}, laboratory")
    art.legend.texts[1].set_text(f"Re {name}, rotating frame")
    art.t_line.set_xdata([t, t])
    art.lab_here.set_data([t], [data["lab_here"].real])
    art.rot_here.set_data([t], [data["rot_here"].real])
    c_lo, c_hi = data["c"]
    k = data["dn"]
    art.ax2_title.set_text(f"laboratory frame: {abs(c_lo):.2f}|N⟩ + {abs(c_hi):.2f} "
                           f"e^(i{np.angle(c_hi):+.2f})|N+{k}⟩")


def _winding_describe(data, t, kind):
    name = "⟨ψ⟩" if data["dn"] == 1 else "⟨ψψ⟩"
    turned = np.degrees(np.angle(data["lab_here"] / data["rot_here"])) % 360
    return (f"Order parameter {name} of the {kind} superposition at t = {t:.2f} × 2πħ/μ_c: "
            f"in the laboratory it has turned by {turned:.0f}° (period "
            f"{data['lab_period']:.2g} × 2πħ/μ_c), in the frame rotating at μ_c it stands still.")


def phase_winding_explorer():
    """Time -> phase of u|N> + v e^{i phi}|N+k> in the laboratory and the rotating frame.

    Returns
    -------
    pairing_lib.widgets.Explorer
        Sliders: t (12 stops over one period 2 pi hbar / mu_c) and the kind of
        state (one electron, eq. 2, or pair, eq. 3).
    """
    return Explorer(
        _winding_compute, _winding_draw, setup=_winding_setup,
        params=[Param("t", "t / (2πħ/μ_c)", values=np.round(np.arange(12) / 12, 4),
                      default=0.0, fmt=".3f"),
                Param("kind", "state", values=["one electron", "pair"])],
        title="The superposition state of a dot rotates in time (seed 003, section 3)",
        figsize=(7.6, 3.5),
        describe=_winding_describe,
    )


# ---------------------------------------------------------------------------
# (c) Josephson currents
# ---------------------------------------------------------------------------
def _break_at_jumps(theta, values):
    """Insert NaN between samples across which the curve jumps (drawing only)."""
    th = np.asarray(theta, float)
    vals = np.asarray(values, float)
    wrap = np.floor((th + np.pi) / (2 * np.pi))
    cut = np.flatnonzero(np.diff(wrap) != 0) + 1
    return np.insert(th, cut, np.nan), np.insert(vals, cut, np.nan)


@functools.lru_cache(maxsize=None)
def _josephson_curves(x):
    p = JOSEPHSON
    th = np.linspace(0, 4 * np.pi, 721)
    return {
        "th": th,
        "e2": sym.sd2s_energy(th, x, p["D"], p["D"]),
        "j2": sym.josephson_current_sd2s(th, x, p["D"], p["D"]),
        "e1": sym.sd1s_energy(th, x, p["a"], p["b"]),
        "e1p": sym.sd1s_energy(th, x, p["a"], p["b"], branch=1),
        "e1m": sym.sd1s_energy(th, x, p["a"], p["b"], branch=-1),
        "j1": sym.josephson_current_sd1s(th, x, p["a"], p["b"]),
        "j1c": sym.josephson_current_sd1s(th, x, p["a"], p["b"], continuation=True),
        "jump": float(sym.sd1s_current_jump(x, p["a"], p["b"])),
    }


#: Detuning stops of the Josephson explorer.
_JOSEPHSON_X = (-0.3, 0.1, 0.5)


@functools.lru_cache(maxsize=None)
def _josephson_ranges():
    """Energy and current ranges that hold the curves of every x stop (fixed axes)."""
    curves = [_josephson_curves(x) for x in _JOSEPHSON_X]
    energy = _padded_range(*(c[k] for c in curves for k in ("e2", "e1p", "e1m", "e1")))
    current = _padded_range(*(c[k] for c in curves for k in ("j2", "j1", "j1c")), [0.0])
    return energy, current


def _josephson_compute(theta_over_pi, x):
    p = JOSEPHSON
    theta = theta_over_pi * np.pi
    data = dict(_josephson_curves(x))
    data.update({
        "theta": theta,
        "e2_here": float(sym.sd2s_energy(theta, x, p["D"], p["D"])),
        "e1_here": float(sym.sd1s_energy(theta, x, p["a"], p["b"])),
        "j2_here": float(sym.josephson_current_sd2s(theta, x, p["D"], p["D"])),
        "j1_here": float(sym.josephson_current_sd1s(theta, x, p["a"], p["b"])),
        "j1c_here": float(sym.josephson_current_sd1s(theta, x, p["a"], p["b"],
                                                     continuation=True)),
        "phi_branch": float(sym.sd1s_dot_phase(theta, p["b"], 0.0, branch=1)),
        "phi_ground": float(sym.sd1s_dot_phase(theta, p["b"], 0.0)),
    })
    return data


def _josephson_setup(fig):
    ax1, ax2, ax3 = _grid(fig, 3, [1.2, 1.2, 0.75], left=0.085, right=0.99, wspace=0.38)
    art = SimpleNamespace(ax1=ax1, ax2=ax2, ax3=ax3)
    (art.e2,) = ax1.plot([], [], color="C0", label="SD2S")
    (art.e1p,) = ax1.plot([], [], color="C2", ls="--", lw=1.2, label="SD1S branch s=+1")
    (art.e1m,) = ax1.plot([], [], color="C4", ls=":", lw=1.4, label="SD1S branch s=−1")
    (art.e1,) = ax1.plot([], [], color="C1", lw=2.2, alpha=0.6, label="SD1S ground state")
    (art.e_here,) = ax1.plot([], [], "o", color="k", ms=5, zorder=5)
    ax1.set_xlabel("θ / π")
    ax1.set_ylabel("ground-state energy")
    ax1.set_title("energies", fontsize=9.5)
    ax1.legend(fontsize=6.8, loc="upper right")

    (art.j2,) = ax2.plot([], [], color="C0", label="SD2S (units 2e/ħ)")
    (art.j1,) = ax2.plot([], [], color="C1", lw=2, label="SD1S (units e/ħ)")
    (art.j1c,) = ax2.plot([], [], color="C2", ls="--", lw=1.2, label="SD1S continued (4π)")
    ax2.axhline(0, color="0.5", lw=0.6)
    (art.j2_here,) = ax2.plot([], [], "o", color="k", ms=5, zorder=5)
    (art.j1_here,) = ax2.plot([], [], "s", color="k", ms=5, zorder=5)
    art.t_line = ax2.axvline(0.0, color="0.4", lw=0.8, ls=":")
    ax2.set_xlabel("θ / π")
    ax2.set_ylabel("Josephson current")
    art.ax2_title = ax2.set_title(" ", fontsize=9.5)
    ax2.legend(fontsize=6.8, loc="lower left")
    # one range for every x: the curves shift with x against fixed axes
    energy, current = _josephson_ranges()
    ax1.set_ylim(*energy)
    ax2.set_ylim(*current)
    for ax in (ax1, ax2):
        ax.set_xlim(-0.2, 4.2)              # θ / π in [0, 4] with the usual 5 % margins
        ax.set_xticks([0, 1, 2, 3, 4])

    circ = np.exp(1j * np.linspace(0, 2 * np.pi, 200))
    ax3.plot(circ.real, circ.imag, color="0.8", lw=1)
    art.arrows = []
    for col, lab in (("C0", "φ_L (pair)"), ("C1", "φ_R (pair)"), ("C2", "φ dot, s=+1")):
        art.arrows.append(_arrow(ax3, col, lw=2))
        ax3.plot([], [], color=col, lw=2, label=lab)
    ax3.set_aspect("equal")
    ax3.set_xlim(-1.3, 1.3)
    ax3.set_ylim(-1.3, 1.3)
    ax3.set_xticks([])
    ax3.set_yticks([])
    ax3.legend(fontsize=6.8, loc="lower center", bbox_to_anchor=(0.5, -0.42))
    art.ax3_title = ax3.set_title(" ", fontsize=9.5)
    return art


def _josephson_draw(art, data, theta_over_pi, x):
    u = data["th"] / np.pi
    t = theta_over_pi
    art.e2.set_data(u, data["e2"])
    art.e1p.set_data(u, data["e1p"])
    art.e1m.set_data(u, data["e1m"])
    art.e1.set_data(u, data["e1"])
    art.e_here.set_data([t, t], [data["e2_here"], data["e1_here"]])

    art.j2.set_data(u, data["j2"])
    th_b, j1_b = _break_at_jumps(data["th"], data["j1"])
    art.j1.set_data(th_b / np.pi, j1_b)
    art.j1c.set_data(u, data["j1c"])
    art.j2_here.set_data([t], [data["j2_here"]])
    art.j1_here.set_data([t], [data["j1_here"]])
    art.t_line.set_xdata([t, t])
    art.ax2_title.set_text(f"currents; SD1S jump ΔJ = {data['jump']:.2f} e/ħ")

    for arrow, ang in zip(art.arrows, (0.0, data["theta"], data["phi_branch"])):
        _point_arrow(arrow, np.cos(ang), np.sin(ang))
    art.ax3_title.set_text(f"phases; φ = {data['phi_branch'] / np.pi:.2f}π")


def _josephson_describe(data, theta_over_pi, x):
    return (f"Ground-state energies and Josephson currents against the phase difference θ at "
            f"detuning x = {x:.1f}: at θ = {theta_over_pi:.2f}π the pair dot (SD2S) carries "
            f"{data['j2_here']:.3f} × 2e/ħ and the one-electron dot (SD1S) {data['j1_here']:.3f} × e/ħ; "
            f"the SD1S ground-state current jumps by {data['jump']:.2f} e/ħ at θ = π.")


def josephson_explorer():
    """Lead phase difference -> SD2S / SD1S energies, currents and the dot's phase.

    Returns
    -------
    pairing_lib.widgets.Explorer
        Sliders: theta / pi on [0, 4] (13 stops) and the detuning x (3 stops).
    """
    return Explorer(
        _josephson_compute, _josephson_draw, setup=_josephson_setup,
        params=[Param("theta_over_pi", "θ / π", values=np.round(np.arange(13) / 3, 4),
                      default=2 / 3, fmt=".2f"),
                Param("x", "x", values=_JOSEPHSON_X, default=0.1, fmt=".1f")],
        title="Josephson currents through a pair dot (SD2S) and a one-electron dot (SD1S)",
        figsize=(8.6, 3.6),
        describe=_josephson_describe,
    )


# ---------------------------------------------------------------------------
# (d) magnetic moment of an odd dot
# ---------------------------------------------------------------------------
@functools.lru_cache(maxsize=None)
def _magnet_sweep(angle_deg):
    a = MAGNET["anisotropy"]
    h = np.array([np.sin(np.radians(angle_deg)), 0.0, np.cos(np.radians(angle_deg))])
    mags = np.geomspace(0.02, 50, 160) * a
    m = sym.magnetic_moment(mags[:, None] * h, a)
    weak_mask = mags < 0.8 * a
    strong_mask = mags > 1.5 * a
    weak = sym.magnetic_moment_weak(mags[weak_mask, None] * h, a)
    strong = sym.magnetic_moment_strong(mags[strong_mask, None] * h, a)
    psi = np.linspace(-np.pi, np.pi, 361)
    n_circle = np.stack([np.sin(psi), np.zeros_like(psi), np.cos(psi)], axis=-1)
    return h, mags, m, weak_mask, weak, strong_mask, strong, psi, n_circle


def _magnet_compute(angle_deg, field):
    a = MAGNET["anisotropy"]
    h, mags, m, weak_mask, weak, strong_mask, strong, psi, n_circle = _magnet_sweep(angle_deg)
    B = field * a * h
    return {
        "h": h, "mags": mags / a, "m": m, "weak_mask": weak_mask, "weak": weak,
        "strong_mask": strong_mask, "strong": strong, "psi": psi,
        "energy": sym.anisotropy_energy(n_circle, B, a) / a,
        "M": sym.magnetic_moment(B, a),
        "M_weak": sym.magnetic_moment_weak(B, a),
        "M_strong": sym.magnetic_moment_strong(B, a),
    }


def _magnet_setup(fig):
    ax1, ax2, ax3 = _grid(fig, 3, [0.85, 1.1, 1.2], left=0.075, right=0.99, wspace=0.38)
    art = SimpleNamespace(ax1=ax1, ax2=ax2, ax3=ax3)
    circ = np.exp(1j * np.linspace(0, 2 * np.pi, 200))
    ax1.plot(circ.real, circ.imag, color="0.8", lw=1)
    ax1.plot([0, 0], [-1.25, 1.25], color="0.6", ls=":", lw=1)
    ax1.text(0.05, 1.15, "easy axis z", fontsize=7, color="0.4")
    art.field_arrow = _arrow(ax1, "0.45", lw=1.5, ls="--")
    art.moment_arrow = _arrow(ax1, "C3", lw=2.4)
    ax1.plot([], [], color="0.45", ls="--", label="field B")
    ax1.plot([], [], color="C3", lw=2.4, label="moment M")
    ax1.set_aspect("equal")
    ax1.set_xlim(-1.3, 1.3)
    ax1.set_ylim(-1.3, 1.3)
    ax1.set_xlabel("x")
    ax1.set_ylabel("z")
    ax1.legend(fontsize=7, loc="lower left")
    art.ax1_title = ax1.set_title(" ", fontsize=9.5)

    (art.energy,) = ax2.plot([], [], color="C0")
    art.minimum = ax2.axvline(0.0, color="C3", lw=1.2, label="minimum")
    art.direction = ax2.axvline(0.0, color="0.45", ls="--", lw=1.2, label="field direction")
    ax2.set_xlim(-198.0, 198.0)             # angles in [-180, 180] with 5 % margins
    ax2.set_xlabel("angle of n from z (deg)")
    ax2.set_ylabel(r"E(n) / $\mathcal{K}$")
    ax2.set_xticks([-180, -90, 0, 90, 180])
    ax2.legend(fontsize=7, loc="upper right")
    ax2.set_title("energy (40) on the x-z circle", fontsize=9.5)

    (art.mz,) = ax3.semilogx([], [], color="C0", label="M_z (exact)")
    (art.mx,) = ax3.semilogx([], [], color="C1", label="M_x (exact)")
    (art.weak_x,) = ax3.semilogx([], [], color="C1", ls=":", lw=1.6, label="weak field (42)")
    (art.strong_x,) = ax3.semilogx([], [], color="C1", ls="--", lw=1.2,
                                   label="strong field (44)")
    (art.strong_z,) = ax3.semilogx([], [], color="C0", ls="--", lw=1.2)
    art.field_line = ax3.axvline(1.0, color="C3", lw=1.2)
    mags = _magnet_sweep(0)[1] / MAGNET["anisotropy"]     # the same sweep for every angle
    span = np.log10(mags[-1] / mags[0])
    ax3.set_xlim(mags[0] * 10 ** (-0.05 * span), mags[-1] * 10 ** (0.05 * span))
    ax3.set_ylim(-0.05, 1.25)
    ax3.set_xlabel(r"mB / $\mathcal{K}$")
    ax3.set_ylabel("moment / m")
    ax3.legend(fontsize=6.8, loc="upper left", ncol=2)
    ax3.set_title("crossover easy axis → field", fontsize=9.5)
    return art


def _magnet_draw(art, data, angle_deg, field):
    h, M = data["h"], data["M"]
    _point_arrow(art.field_arrow, 1.15 * h[0], 1.15 * h[2])
    _point_arrow(art.moment_arrow, M[0], M[2])
    art.ax1_title.set_text(f"|M| = {np.linalg.norm(M):.3f} m")

    art.energy.set_data(np.degrees(data["psi"]), data["energy"])
    art.minimum.set_xdata([np.degrees(np.arctan2(M[0], M[2]))] * 2)
    art.direction.set_xdata([angle_deg, angle_deg])
    # the energy scale grows with the field: this panel keeps autoscaling in y
    _set_ylim(art.ax2, *_padded_range(data["energy"]))

    mags, m = data["mags"], data["m"]
    art.mz.set_data(mags, m[:, 2])
    art.mx.set_data(mags, m[:, 0])
    art.weak_x.set_data(mags[data["weak_mask"]], data["weak"][:, 0])
    art.strong_x.set_data(mags[data["strong_mask"]], data["strong"][:, 0])
    art.strong_z.set_data(mags[data["strong_mask"]], data["strong"][:, 2])
    art.field_line.set_xdata([field, field])


def _magnet_describe(data, angle_deg, field):
    M = data["M"]
    tilt = np.degrees(np.arctan2(M[0], M[2]))
    return (f"Moment of an odd dot in mean field, field at {angle_deg}° from the easy axis with "
            f"a field energy mB of {field:.2g} times the anisotropy energy: the moment points {tilt:.0f}° from the easy axis, "
            f"M = ({M[0]:.2f}, {M[2]:.2f}) m in the x-z plane, length {np.linalg.norm(M):.3f} m.")


def magnet_explorer():
    """Field direction and magnitude -> moment of an odd dot with uniaxial anisotropy.

    Returns
    -------
    pairing_lib.widgets.Explorer
        Sliders: angle of the field from the easy axis (4 stops) and m B / a
        (9 stops, logarithmic), with m the moment of the doublet.
    """
    fields = [0.1, 0.2, 0.4, 0.7, 1.0, 1.5, 2.5, 5.0, 20.0]
    return Explorer(
        _magnet_compute, _magnet_draw, setup=_magnet_setup,
        params=[Param("angle_deg", "field angle from easy axis (deg)",
                      values=[0, 45, 80, 90], default=45, fmt="d"),
                Param("field", "mB / anisotropy energy", values=fields, default=1.0, fmt=".2g")],
        title="Moment of an odd dot in mean field: a Kramers doublet with anisotropy (seed 003, section 7)",
        figsize=(8.6, 3.5),
        describe=_magnet_describe,
    )


EXPLORERS = {
    "staircase": staircase_explorer,
    "phase_winding": phase_winding_explorer,
    "josephson": josephson_explorer,
    "magnet": magnet_explorer,
}
