r"""Mesoscopic symmetry breaking: gauge symmetry and time reversal with a discrete N.

Used by chapter 4 of the book (``chapters/04_symmetry.ipynb``), which follows
Andreev's paper on superfluidity, superconductivity and magnetism in
mesoscopic systems (seed 003, :cite:`andreev1998`; equation numbers below are
those of that paper).

The central object is a dot whose only unfrozen degree of freedom is its
particle number :math:`N`. Near a degeneracy of :math:`|N_c\rangle` and
:math:`|N_c+k\rangle` (:math:`k = 1` for one particle, :math:`k = 2` for a
pair) and coupled to a reservoir, it is described by the two-state
Hamiltonian (eqs. 15 and 24)

.. math::

    H = \frac{|D|^2}{2x_0} + 2x\,|N_c+k\rangle\langle N_c+k|
        - D\,|N_c+k\rangle\langle N_c| - D^*\,|N_c\rangle\langle N_c+k| ,

whose ground state :math:`u|N_c\rangle + v\,(D/|D|)\,|N_c+k\rangle` has
energy :math:`E_g = |D|^2/2x_0 + x - \sqrt{x^2+|D|^2}`; minimising over
:math:`|D|` gives the order parameter :math:`|D| = \sqrt{x_0^2-x^2}` for
:math:`|x|<x_0` (eq. 18).

Contents
--------
* Grand-potential lines :math:`E(N)-\mu N` and the staircase
  :math:`\langle N\rangle(\mu)` (section 3, Fig. 1; section 4 for fermions
  with an even/odd energy difference): :class:`DotModel`,
  :func:`grand_potential`, :func:`ground_state_number`,
  :func:`charge_transitions`, :func:`mean_number_staircase`,
  :func:`order_parameter_staircase`, :func:`staircase_state`,
  :func:`step_size`.
* The phase winding of :math:`u|N\rangle + v e^{i\varphi}|N+k\rangle` (eqs.
  2, 3): :func:`superposition_state`, :func:`winding_order_parameter`,
  :func:`winding_period`.
* The two-state dot, ND1N and ND2N (eqs. 4-7, 15-20, 24):
  :func:`dot_hamiltonian`, :func:`dot_ground_state`,
  :func:`dot_energy_landscape`, :func:`order_parameter`, :func:`dot_energy`,
  :func:`mean_number`, :func:`anomalous_average`, and the dot's reduced
  density matrix in the closed system, :func:`dot_density_matrix`.
* Josephson currents: SD2S (eqs. 25-26) and SD1S with the one-electron phase
  (eqs. 27-31): :func:`sd2s_energy`, :func:`josephson_current_sd2s`,
  :func:`sd2s_mean_number`, :func:`sd1s_x0`, :func:`sd1s_energy`,
  :func:`sd1s_energy_functional`, :func:`josephson_current_sd1s` (with the
  :math:`4\pi`-periodic continuation), :func:`sd1s_current_jump`,
  :func:`sd1s_dot_phase`.
* Magnetism of an odd dot (eqs. 36-44): :func:`spin_hamiltonian`,
  :func:`spin_ground_state_polarization`, :func:`anisotropy_energy`,
  :func:`magnetic_moment` (exact minimisation over the unit vector
  :math:`\mathbf n`), :func:`magnetic_ground_energy` and the limits
  :func:`magnetic_moment_weak`, :func:`magnetic_moment_strong`.
* The parity gap of an ultrasmall grain from the exact solution of the
  reduced BCS Hamiltonian (chapter 2 conventions): :func:`grain_levels`,
  :func:`matched_spacing`, :func:`grain_energies`, :func:`parity_gap`, and
  its limits :func:`parity_gap_perturbative`, :func:`parity_gap_renormalized`.
* The parity effect of a large island at finite temperature (Tuominen et al.
  1992; Averin and Nazarov 1992): :func:`parity_sum`,
  :func:`free_energy_difference`, :func:`effective_qp_number`,
  :func:`free_energy_difference_low_t`, :func:`parity_crossover_temperature`,
  and quasiparticle poisoning: :func:`quasiparticle_fraction`,
  :func:`poisoning_temperature`; the charge of a box,
  :func:`box_mean_number`.
* A quantum dot between superconductors in the atomic limit (singlet-doublet,
  or 0-pi, transition): :func:`atomic_limit_energies`,
  :func:`atomic_limit_ground_parity`, :func:`atomic_limit_current`,
  :func:`atomic_limit_critical_phase`.

Units
-----
Energies of the dot (:math:`x`, :math:`x_0`, :math:`D`, :math:`\mu`, the
charging energy) are in the caller's unit; :math:`\hbar = 1` so that times
are in inverse energy units. Josephson currents are in units of
:math:`2e/\hbar` (SD2S, pair current, eq. 26) or :math:`e/\hbar` (SD1S, eq.
30) times the energy unit. In the magnetism part the field is given as the
Zeeman energy vector :math:`m\mathbf B` (in the same unit as the anisotropy
tensor) and the moment is returned in units of :math:`m`. The parity gap
and the level spacing are in units of the bulk gap :math:`\Delta_0`
(chapter 2).

Examples
--------
>>> from pairing_lib import symmetry
>>> float(symmetry.order_parameter(0.6, 1.0))
0.8
>>> float(symmetry.mean_number(0.0, 1.0))
0.5
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    # staircase
    "DotModel",
    "grand_potential",
    "ground_state_number",
    "charge_transitions",
    "mean_number_staircase",
    "order_parameter_staircase",
    "staircase_state",
    "step_size",
    # phase winding
    "superposition_state",
    "winding_order_parameter",
    "winding_period",
    # two-state dot
    "dot_hamiltonian",
    "dot_ground_state",
    "dot_energy_landscape",
    "order_parameter",
    "dot_energy",
    "mean_number",
    "anomalous_average",
    "dot_density_matrix",
    # Josephson
    "sd2s_energy",
    "josephson_current_sd2s",
    "sd2s_mean_number",
    "sd1s_x0",
    "sd1s_energy",
    "sd1s_energy_functional",
    "josephson_current_sd1s",
    "sd1s_current_jump",
    "sd1s_dot_phase",
    # magnetism
    "spin_hamiltonian",
    "spin_ground_state_polarization",
    "anisotropy_tensor",
    "anisotropy_energy",
    "magnetic_moment",
    "magnetic_ground_energy",
    "magnetic_moment_weak",
    "magnetic_moment_strong",
    # parity gap of a grain
    "DEFAULT_COUPLING",
    "MAX_PAIRS",
    "grain_levels",
    "matched_spacing",
    "grain_energies",
    "parity_gap",
    "parity_gap_perturbative",
    "parity_gap_renormalized",
    # parity effect at finite temperature, poisoning
    "parity_sum",
    "free_energy_difference",
    "effective_qp_number",
    "free_energy_difference_low_t",
    "parity_crossover_temperature",
    "quasiparticle_fraction",
    "poisoning_temperature",
    "box_mean_number",
    # a dot between superconductors, atomic limit
    "atomic_limit_energies",
    "atomic_limit_ground_parity",
    "atomic_limit_current",
    "atomic_limit_critical_phase",
]


# ---------------------------------------------------------------------------
# input checks
# ---------------------------------------------------------------------------
def _real(name, value):
    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return arr


def _positive(name, value):
    arr = _real(name, value)
    if np.any(arr <= 0):
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return arr


def _nonnegative(name, value):
    arr = _real(name, value)
    if np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0, got {value!r}")
    return arr


def _complex(name, value):
    arr = np.asarray(value, dtype=complex)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return arr


def _out(arr):
    """Return a Python float for 0-d results, the array otherwise."""
    arr = np.asarray(arr)
    return arr[()] if arr.ndim == 0 else arr


# ---------------------------------------------------------------------------
# 1. Grand-potential lines and the staircase (section 3, Fig. 1; section 4)
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class DotModel:
    r"""Ground-state energy :math:`E(N)` of an isolated dot.

    .. math::

        E(N) = E_C\,(N - n_g)^2 + \Delta_P\,\pi(N), \qquad
        \pi(N) = \begin{cases} 1 & N \text{ odd}\\ 0 & N\text{ even}\end{cases}

    A convex charging (or, for neutral bosons in a trap, interaction) energy
    plus the even-odd energy difference of section 4 of seed 003: the lines
    of odd :math:`N` are shifted by :math:`\Delta_P` with respect to the even
    ones. ``parity_gap = 0`` describes bosons (or fermions without pairing):
    every step of the staircase is then a one-particle step.

    Parameters
    ----------
    charging_energy : float
        :math:`E_C > 0` (:math:`E_C = e^2/2C` for a metallic island).
    parity_gap : float
        :math:`\Delta_P` (any sign; positive for attractive pairing, which
        lifts the odd states).
    n_gate : float
        Offset :math:`n_g` (the gate charge in units of e); it only shifts the
        chemical potentials at which the steps occur.

    Raises
    ------
    ValueError
        If ``charging_energy`` is not finite and > 0, or another field is not
        finite.

    References
    ----------
    Seed 003 (Andreev 1998), section 3, Fig. 1 and section 4; chapter 4.
    """

    charging_energy: float = 1.0
    parity_gap: float = 0.0
    n_gate: float = 0.0

    def __post_init__(self):
        ec = float(self.charging_energy)
        if not math.isfinite(ec) or ec <= 0:
            raise ValueError(f"charging_energy must be finite and > 0, got {self.charging_energy!r}")
        for name in ("parity_gap", "n_gate"):
            val = float(getattr(self, name))
            if not math.isfinite(val):
                raise ValueError(f"{name} must be finite, got {getattr(self, name)!r}")

    def energy(self, n):
        """:math:`E(N)` for integer ``n`` (array allowed).

        Raises
        ------
        ValueError
            If ``n`` is not integer-valued.
        """
        n_arr = np.asarray(n)
        if not np.all(np.equal(np.mod(n_arr, 1), 0)):
            raise ValueError(f"n must be integer-valued, got {n!r}")
        n_arr = n_arr.astype(int)
        odd = np.mod(n_arr, 2)
        return _out(self.charging_energy * (n_arr - self.n_gate) ** 2 + self.parity_gap * odd)


def _n_grid(n_max):
    n_max = int(n_max)
    if n_max < 1:
        raise ValueError(f"n_max must be >= 1, got {n_max!r}")
    return np.arange(0, n_max + 1)


def grand_potential(model, n, mu):
    r"""Grand-potential lines :math:`E'(N,\mu) = E(N) - \mu N` (Fig. 1a).

    Parameters
    ----------
    model : DotModel
        The energies :math:`E(N)`.
    n : int or array of int
        Particle numbers (broadcast against ``mu``).
    mu : float or array
        Chemical potential of the reservoir, in the energy unit of ``model``.

    Returns
    -------
    float or ndarray
        :math:`E(N) - \mu N`, the energy in the frame rotating at
        :math:`\mu/\hbar` in the space of the gauge phase.

    References
    ----------
    Seed 003, section 3 (the lines of Fig. 1a); chapter 4.
    """
    mu = _real("mu", mu)
    n_arr = np.asarray(n)
    return _out(model.energy(n_arr) - mu * n_arr)


def ground_state_number(mu, model, n_max=8):
    r"""The integer :math:`N` that minimises :math:`E(N) - \mu N` (T = 0).

    Parameters
    ----------
    mu : float or array
        Chemical potential(s).
    model : DotModel
    n_max : int
        Particle numbers :math:`0 \dots n_{max}` are considered.

    Returns
    -------
    int or ndarray of int
        The ground-state :math:`N`; at an exact degeneracy the smaller
        :math:`N` is returned (the vertical segments of Fig. 1b are the
        superposition states, see :func:`mean_number_staircase`).

    References
    ----------
    Seed 003, Fig. 1b; chapter 4.
    """
    mu = _real("mu", mu)
    n = _n_grid(n_max)
    lines = model.energy(n)[None, :] - np.reshape(mu, (-1, 1)) * n[None, :]
    idx = np.argmin(lines, axis=1)
    return _out(np.reshape(n[idx], np.shape(mu)))


def charge_transitions(model, n_max=8):
    r"""Chemical potentials at which the ground-state :math:`N` jumps.

    The ground state :math:`N(\mu)` follows the lower convex hull of the
    points :math:`(N, E(N))`: each hull edge from :math:`N` to
    :math:`N + k` is a step of :math:`k` particles at
    :math:`\mu_c = [E(N+k) - E(N)]/k`. For :class:`DotModel` the odd
    plateaus have width :math:`2E_C - 2\Delta_P`: they disappear and the
    steps become pair steps (:math:`k=2`) when :math:`\Delta_P > E_C`.

    Parameters
    ----------
    model : DotModel
    n_max : int
        Particle numbers :math:`0 \dots n_{max}` are considered.

    Returns
    -------
    mu_c : ndarray
        Critical chemical potentials, increasing.
    n_before : ndarray of int
        Ground-state :math:`N` just below each :math:`\mu_c`.
    dn : ndarray of int
        Size of each step (1: one-particle state eq. 2; 2: pair state eq. 3).

    References
    ----------
    Seed 003, sections 3-4 and eqs. (2), (3); chapter 4.
    """
    n = _n_grid(n_max)
    e = np.asarray(model.energy(n), dtype=float)
    hull = [0]
    for i in range(1, len(n)):
        while len(hull) >= 2:
            i0, i1 = hull[-2], hull[-1]
            # remove i1 if it lies on or above the segment i0 -> i
            cross = (n[i1] - n[i0]) * (e[i] - e[i0]) - (e[i1] - e[i0]) * (n[i] - n[i0])
            if cross <= 0:
                hull.pop()
            else:
                break
        hull.append(i)
    hull = np.asarray(hull)
    dn = np.diff(n[hull])
    mu_c = np.diff(e[hull]) / dn
    return mu_c, n[hull[:-1]], dn


def _window_weights(mu, model, x0, n_max, x0_pair):
    mu = _real("mu", mu)
    x0 = float(_positive("x0", x0))
    x0_pair = x0 if x0_pair is None else float(_positive("x0_pair", x0_pair))
    mu_c, n_before, dn = charge_transitions(model, n_max)
    mu_col = np.reshape(mu, (-1, 1))
    xk = dn[None, :] * (mu_c[None, :] - mu_col) / 2.0
    x0k = np.where(dn == 1, x0, x0_pair)[None, :]
    v2 = np.clip((x0k - xk) / (2.0 * x0k), 0.0, 1.0)
    absd = np.sqrt(np.clip(x0k**2 - xk**2, 0.0, None))
    return mu, n_before, dn, v2, absd


def mean_number_staircase(mu, model, x0, n_max=8, x0_pair=None):
    r"""Staircase :math:`\langle N\rangle(\mu)` of a dot weakly coupled to a reservoir.

    Each step :math:`N\to N+k` at :math:`\mu_c` is replaced by the ground
    state of the two-state dot (eqs. 15, 24) with
    :math:`2x = k(\mu_c - \mu)`: inside the window :math:`|x| < x_0` the
    dot is in the superposition :math:`u|N\rangle + v e^{i\varphi}
    |N+k\rangle` with :math:`\langle N\rangle = N + k v^2` and
    :math:`v^2 = (x_0 - x)/2x_0` (eq. 19). Windows of neighbouring steps are
    assumed not to overlap (:math:`x_0` small compared with the plateaus).

    Parameters
    ----------
    mu : float or array
        Chemical potential(s).
    model : DotModel
    x0 : float
        Window :math:`x_0 > 0` of the one-particle steps (ND1N).
    n_max : int
        Particle numbers :math:`0 \dots n_{max}` are considered.
    x0_pair : float, optional
        Window of the pair steps (ND2N); defaults to ``x0``.

    Returns
    -------
    float or ndarray
        :math:`\langle N\rangle`. As ``x0 -> 0`` this tends to the step
        function of Fig. 1b.

    Raises
    ------
    ValueError
        If ``x0`` or ``x0_pair`` is not > 0.

    References
    ----------
    Seed 003, eqs. (15)-(19), (24) and Fig. 1b; chapter 4.
    """
    mu, n_before, dn, v2, _ = _window_weights(mu, model, x0, n_max, x0_pair)
    n0 = n_before[0] if len(n_before) else 0
    return _out(np.reshape(n0 + (dn[None, :] * v2).sum(axis=1), np.shape(mu)))


def order_parameter_staircase(mu, model, x0, n_max=8, x0_pair=None):
    r"""Order parameter :math:`|D|` along the staircase and the kind of step.

    Parameters
    ----------
    mu : float or array
        Chemical potential(s).
    model : DotModel
    x0 : float
        Window :math:`x_0 > 0` of the one-particle steps.
    n_max : int
        Particle numbers :math:`0 \dots n_{max}` are considered.
    x0_pair : float, optional
        Window of the pair steps; defaults to ``x0``.

    Returns
    -------
    abs_d : float or ndarray
        :math:`|D| = \sqrt{x_0^2 - x^2}` inside a window (eq. 18), 0 on the
        plateaus (normal, gauge-invariant states).
    kind : int or ndarray of int
        0 on a plateau, 1 inside a one-particle window (order parameter
        :math:`\langle\psi\rangle`), 2 inside a pair window
        (:math:`\langle\psi\psi\rangle`).

    References
    ----------
    Seed 003, eqs. (18), (20) and section 4; chapter 4.
    """
    mu, n_before, dn, v2, absd = _window_weights(mu, model, x0, n_max, x0_pair)
    inside = (v2 > 0) & (v2 < 1)
    kind = np.where(inside, dn[None, :], 0).max(axis=1) if len(dn) else np.zeros(mu.size, int)
    total = absd.sum(axis=1) if len(dn) else np.zeros(mu.size)
    return _out(np.reshape(total, np.shape(mu))), _out(np.reshape(kind, np.shape(mu)))


def staircase_state(mu, model, x0, n_max=8, x0_pair=None):
    r"""The dot's state at one chemical potential: :math:`u|N\rangle + v e^{i\varphi}|N+k\rangle`.

    Parameters
    ----------
    mu : float
        Chemical potential.
    model : DotModel
    x0 : float
        Window of the one-particle steps (> 0).
    n_max : int
        Particle numbers :math:`0 \dots n_{max}` are considered.
    x0_pair : float, optional
        Window of the pair steps; defaults to ``x0``.

    Returns
    -------
    n_low : int
        :math:`N`.
    dn : int
        :math:`k`: 0 on a plateau (a normal state :math:`|N\rangle`), 1 or 2
        inside a window (one-particle or pair superposition).
    u, v : float
        Amplitudes, :math:`u^2 + v^2 = 1` (:math:`u = 1, v = 0` on a
        plateau).

    References
    ----------
    Seed 003, eqs. (2), (3), (16), (19); chapter 4.
    """
    mu = float(_real("mu", mu))
    n_gs = int(ground_state_number(mu, model, n_max))
    _, n_before, dn, v2, _ = _window_weights(mu, model, x0, n_max, x0_pair)
    v2 = v2[0]
    inside = np.flatnonzero((v2 > 0) & (v2 < 1))
    if inside.size == 0:
        return n_gs, 0, 1.0, 0.0
    k = int(inside[0])
    return int(n_before[k]), int(dn[k]), float(np.sqrt(1 - v2[k])), float(np.sqrt(v2[k]))


def step_size(parity_gap, charging_energy):
    r"""Size of the charge steps of a dot: 1 (one electron) or 2 (pairs).

    With :math:`E(N) = E_C(N-n_g)^2 + \Delta_P\pi(N)` the odd plateaus of
    the staircase have width :math:`2E_C - 2\Delta_P` and the even ones
    :math:`2E_C + 2\Delta_P` (in :math:`\mu`). One kind disappears when
    :math:`|\Delta_P| \ge E_C`: the steps are then pair steps.

    Parameters
    ----------
    parity_gap : float or array
        :math:`\Delta_P` (Matveev-Larkin parity parameter, see
        :func:`parity_gap`).
    charging_energy : float or array
        :math:`E_C = e^2/2C > 0`.

    Returns
    -------
    int or ndarray of int
        2 where :math:`|\Delta_P| \ge E_C`, else 1.

    Raises
    ------
    ValueError
        If ``charging_energy`` is not > 0.

    References
    ----------
    Seed 003, section 4; Matveev and Larkin (1997); chapter 4.
    """
    dp = _real("parity_gap", parity_gap)
    ec = _positive("charging_energy", charging_energy)
    return _out(np.where(np.abs(dp) >= ec, 2, 1))


# ---------------------------------------------------------------------------
# 2. Phase winding of the superposition states (eqs. 2, 3)
# ---------------------------------------------------------------------------
def superposition_state(t, u, v, phi, delta_e, mu=0.0, dn=1):
    r"""Amplitudes of :math:`u|N\rangle + v e^{i\varphi}|N+k\rangle` at time t.

    With :math:`E(N) = 0` as the reference and :math:`\hbar = 1`,

    .. math::

        |\psi(t)\rangle = u\,|N\rangle
            + v\,e^{i\varphi - i(\Delta E - k\mu)t}\,|N+k\rangle ,

    in the frame rotating at :math:`\mu` (``mu = 0``: laboratory frame),
    :math:`\Delta E = E(N+k) - E(N)`.

    Parameters
    ----------
    t : float or array
        Time(s) in units of :math:`\hbar/\text{energy}`.
    u, v : float
        Real amplitudes with :math:`u^2 + v^2 = 1`.
    phi : float
        Phase at :math:`t = 0`.
    delta_e : float
        :math:`E(N+k) - E(N)` (:math:`\mu_c` for ``dn = 1``,
        :math:`2\mu_c^{(2)}` for ``dn = 2``).
    mu : float
        Angular rate of the rotating frame (the reservoir's chemical
        potential).
    dn : {1, 2}
        :math:`k`, the number of particles the two components differ by.

    Returns
    -------
    c_low, c_high : complex or ndarray
        Amplitudes of :math:`|N\rangle` and :math:`|N+k\rangle`.

    Raises
    ------
    ValueError
        If ``u`` or ``v`` is negative, :math:`u^2+v^2 \ne 1`, or ``dn`` is
        not 1 or 2.

    References
    ----------
    Seed 003, eqs. (2), (3) and section 3 (time periodicity); chapter 4.
    """
    t = _real("t", t)
    u = float(_nonnegative("u", u))
    v = float(_nonnegative("v", v))
    if abs(u * u + v * v - 1.0) > 1e-9:
        raise ValueError(f"u**2 + v**2 must be 1, got u={u!r}, v={v!r}")
    if dn not in (1, 2):
        raise ValueError(f"dn must be 1 or 2, got {dn!r}")
    phi = float(_real("phi", phi))
    rate = float(_real("delta_e", delta_e)) - dn * float(_real("mu", mu))
    c_low = np.full(np.shape(t), u, dtype=complex)
    c_high = v * np.exp(1j * (phi - rate * t))
    return _out(c_low), _out(c_high)


def winding_order_parameter(t, u, v, phi, delta_e, mu=0.0, dn=1):
    r"""Order parameter :math:`\langle\psi(t)|\hat C_k|\psi(t)\rangle/F` of the state.

    :math:`\hat C_1 = \hat\psi` (one-particle condensate, eq. 2) or
    :math:`\hat C_2 = \hat\psi\hat\psi` (pair condensate, eq. 3), divided by
    the matrix element :math:`F = \langle N|\hat C_k|N+k\rangle`:

    .. math:: \langle \hat C_k\rangle/F = u v\, e^{i\varphi - i(\Delta E - k\mu)t}.

    It rotates at the angular rate :math:`\Delta E - k\mu` (period
    :func:`winding_period`) and stands still in the frame rotating at
    :math:`\mu = \Delta E/k`, the critical potential.

    Parameters
    ----------
    t, u, v, phi, delta_e, mu, dn
        As in :func:`superposition_state`.

    Returns
    -------
    complex or ndarray

    References
    ----------
    Seed 003, eqs. (2), (3), (20) and section 3; chapter 4.
    """
    c_low, c_high = superposition_state(t, u, v, phi, delta_e, mu, dn)
    return _out(np.conj(c_low) * c_high)


def winding_period(delta_e, mu=0.0, dn=1):
    r"""Period :math:`2\pi\hbar/|\Delta E - k\mu|` of the superfluid state.

    Parameters
    ----------
    delta_e : float or array
        :math:`E(N+k) - E(N)`.
    mu : float or array
        Rotating-frame rate (0: laboratory frame).
    dn : {1, 2}
        :math:`k`.

    Returns
    -------
    float or ndarray
        The period; ``inf`` where the state is stationary (rotating frame at
        the critical potential).

    References
    ----------
    Seed 003, section 3 (period :math:`2\pi\hbar/\mu_c`); chapter 4.
    """
    if dn not in (1, 2):
        raise ValueError(f"dn must be 1 or 2, got {dn!r}")
    rate = np.abs(_real("delta_e", delta_e) - dn * _real("mu", mu))
    with np.errstate(divide="ignore"):
        return _out(np.where(rate > 0, 2 * np.pi / np.where(rate > 0, rate, 1.0), np.inf))


# ---------------------------------------------------------------------------
# 3. The two-state dot: ND1N and ND2N (eqs. 4-7, 15-20, 24)
# ---------------------------------------------------------------------------
def dot_hamiltonian(x, D, x0=None):
    r"""Matrix of the two-state dot Hamiltonian (eqs. 4, 15, 24).

    In the basis :math:`(|N_c\rangle, |N_c+k\rangle)`, with :math:`k=1`
    (ND1N, eq. 15) or :math:`k=2` (ND2N, eq. 24) -- the matrices are the
    same, only the meaning of the second state and of the phase of
    :math:`D` differ:

    .. math::

        H = \frac{|D|^2}{2x_0}\,\mathbb 1
          + \begin{pmatrix} 0 & -D^* \\ -D & 2x \end{pmatrix}.

    Parameters
    ----------
    x : float
        Half the detuning :math:`2x = E'(N_c+k) - E'(N_c)`.
    D : complex
        Tunnelling amplitude / order parameter.
    x0 : float, optional
        Stiffness of the leads (:math:`|D|^2/2x_0` is their energy cost);
        ``None`` omits the term (eq. 4, fixed :math:`D`).

    Returns
    -------
    ndarray
        Complex :math:`2\times2` matrix.

    Raises
    ------
    ValueError
        For non-finite input or ``x0 <= 0``.

    References
    ----------
    Seed 003, eqs. (4), (15), (24); chapter 4.
    """
    x = float(_real("x", x))
    D = complex(_complex("D", D))
    h = np.array([[0.0, -np.conj(D)], [-D, 2.0 * x]], dtype=complex)
    if x0 is not None:
        h = h + abs(D) ** 2 / (2.0 * float(_positive("x0", x0))) * np.eye(2)
    return h


def dot_ground_state(x, D, x0=None):
    r"""Ground state of the two-state dot: energy and amplitudes (eqs. 5-7, 16-17).

    .. math::

        E_g = x - \sqrt{x^2 + |D|^2}\;\Big[+\,\frac{|D|^2}{2x_0}\Big],\qquad
        u^2 = \tfrac12\Big(1 + \frac{x}{\sqrt{x^2+|D|^2}}\Big),\quad
        v^2 = \tfrac12\Big(1 - \frac{x}{\sqrt{x^2+|D|^2}}\Big),

    the state being :math:`u|N_c\rangle + v\,(D/|D|)\,|N_c+k\rangle`.

    Parameters
    ----------
    x : float or array
        Half detuning.
    D : complex or array
        Tunnelling amplitude (broadcast against ``x``).
    x0 : float, optional
        If given, the lead energy :math:`|D|^2/2x_0` is included.

    Returns
    -------
    energy, u, v : float or ndarray
        :math:`u, v \ge 0`. At the exact degeneracy :math:`x = D = 0` the
        limit :math:`D \to 0` at :math:`x = 0` is returned
        (:math:`u = v = 1/\sqrt2`).

    References
    ----------
    Seed 003, eqs. (5)-(7), (16), (17); chapter 4.
    """
    x = _real("x", x)
    absd = np.abs(_complex("D", D))
    x, absd = np.broadcast_arrays(x, absd)
    s = np.hypot(x, absd)
    safe = np.where(s > 0, s, 1.0)
    u2 = np.where(s > 0, 0.5 * (1.0 + x / safe), 0.5)
    v2 = np.where(s > 0, 0.5 * (1.0 - x / safe), 0.5)
    energy = x - s
    if x0 is not None:
        energy = energy + absd**2 / (2.0 * _positive("x0", x0))
    return _out(energy), _out(np.sqrt(u2)), _out(np.sqrt(v2))


def dot_energy_landscape(D, x, x0):
    r"""Energy :math:`E_g(D) = |D|^2/2x_0 + x - \sqrt{x^2+|D|^2}` (eq. 17).

    A function of the complex order parameter: for :math:`|x| < x_0` it is a
    "Mexican hat" whose minima form a circle -- the phase of :math:`D` is
    not fixed (broken gauge symmetry).

    Parameters
    ----------
    D : complex or array
        Order parameter(s).
    x : float
        Half detuning.
    x0 : float
        Lead stiffness (> 0).

    Returns
    -------
    float or ndarray

    References
    ----------
    Seed 003, eq. (17); chapter 4.
    """
    absd = np.abs(_complex("D", D))
    x = _real("x", x)
    x0 = _positive("x0", x0)
    return _out(absd**2 / (2 * x0) + x - np.hypot(x, absd))


def order_parameter(x, x0):
    r"""Equilibrium :math:`|D|` of the dot coupled to normal leads (eq. 18).

    .. math:: |D| = \sqrt{x_0^2 - x^2}\ (|x|<x_0), \qquad 0\ (|x| \ge x_0).

    Parameters
    ----------
    x : float or array
        Half detuning (gate voltage).
    x0 : float or array
        Lead stiffness (> 0).

    Returns
    -------
    float or ndarray

    Raises
    ------
    ValueError
        If ``x0`` is not > 0.

    References
    ----------
    Seed 003, eq. (18) (ND1N; the same for ND2N, eq. 24); chapter 4.
    """
    x = _real("x", x)
    x0 = _positive("x0", x0)
    return _out(np.sqrt(np.clip(x0**2 - x**2, 0.0, None)))


def dot_energy(x, x0):
    r"""Equilibrium energy of the dot, minimised over :math:`|D|` (eq. 19).

    .. math::

        E_g = \begin{cases} 2x & x \le -x_0\\
            -(x_0 - x)^2/2x_0 & |x| < x_0\\ 0 & x \ge x_0\end{cases}

    Continuous with its first derivative; the second derivative jumps at
    :math:`x = \pm x_0` (second-order transitions).

    Parameters
    ----------
    x : float or array
        Half detuning.
    x0 : float or array
        Lead stiffness (> 0).

    Returns
    -------
    float or ndarray

    References
    ----------
    Seed 003, eq. (19); chapter 4.
    """
    x = _real("x", x)
    x0 = _positive("x0", x0)
    inside = -((x0 - x) ** 2) / (2 * x0)
    return _out(np.where(x >= x0, 0.0, np.where(x <= -x0, 2 * x, inside)))


def mean_number(x, x0, pair=False):
    r"""Mean particle number :math:`\langle N\rangle - N_c` of the dot (eq. 19).

    :math:`k\,v^2` with :math:`v^2 = (x_0 - x)/2x_0` inside the window,
    clipped to 0 (:math:`x \ge x_0`) and 1 (:math:`x \le -x_0`); ``k = 1``
    for ND1N, ``k = 2`` for ND2N (``pair=True``: :math:`(x_0-x)/x_0`).

    Parameters
    ----------
    x : float or array
        Half detuning.
    x0 : float or array
        Lead stiffness (> 0).
    pair : bool
        Pair (ND2N) rather than one-particle (ND1N) transition.

    Returns
    -------
    float or ndarray

    References
    ----------
    Seed 003, eq. (19) and the line after eq. (24); chapter 4.
    """
    x = _real("x", x)
    x0 = _positive("x0", x0)
    k = 2.0 if pair else 1.0
    return _out(k * np.clip((x0 - x) / (2 * x0), 0.0, 1.0))


def anomalous_average(x, x0):
    r"""Modulus :math:`uv = |D|/2x_0` of the anomalous average (eq. 20).

    :math:`\langle\psi(r)\rangle = uv\,(D/|D|)\,F(r)`; in units of the
    matrix element :math:`F`.

    Parameters
    ----------
    x : float or array
        Half detuning.
    x0 : float or array
        Lead stiffness (> 0).

    Returns
    -------
    float or ndarray
        :math:`\sqrt{x_0^2-x^2}/2x_0` inside the window, 0 outside.

    References
    ----------
    Seed 003, eq. (20); chapter 4.
    """
    x0 = _positive("x0", x0)
    return _out(order_parameter(x, x0) / (2 * x0))


def dot_density_matrix(x, D, closed=True):
    r"""Density matrix of the dot in the basis :math:`(|N_c\rangle, |N_c+1\rangle)` (eqs. 4-5).

    In the closed system of eq. (4) the extra particle is either in the dot
    or in the outside state :math:`|e\rangle`; the ground state is the
    entangled state :math:`u|N_c\rangle|e\rangle + v\,(D/|D|)|N_c+1\rangle
    |0\rangle`. Tracing out the outside state leaves

    .. math:: \rho_{closed} = \mathrm{diag}(u^2, v^2),

    without coherence between :math:`N_c` and :math:`N_c+1`, so
    :math:`\langle\psi\rangle = \mathrm{Tr}\,\rho\psi = 0`. The paper
    instead assigns the dot the pure state (2) (``closed=False``),

    .. math::

        \rho_{pure} = \begin{pmatrix} u^2 & uv\,e^{-i\varphi}\\
            uv\,e^{i\varphi} & v^2\end{pmatrix},
        \qquad e^{i\varphi} = D/|D| ,

    arguing that this is what the mesoscopic limit produces (end of section
    5). The difference is the physical content of the one-electron order
    parameter; chapter 4 discusses it.

    Parameters
    ----------
    x : float
        Half detuning.
    D : complex
        Tunnelling amplitude.
    closed : bool
        ``True``: reduced density matrix of the closed system; ``False``: the
        pure state (2) with the same :math:`u, v, \varphi`.

    Returns
    -------
    ndarray
        Complex :math:`2\times2` matrix.

    References
    ----------
    Seed 003, eqs. (2), (4)-(6) and the end of section 5; chapter 4.
    """
    _, u, v = dot_ground_state(x, D)
    D = complex(_complex("D", D))
    phase = D / abs(D) if abs(D) > 0 else 1.0
    rho = np.array([[u * u, 0.0], [0.0, v * v]], dtype=complex)
    if not closed:
        rho[0, 1] = u * v * np.conj(phase)
        rho[1, 0] = u * v * phase
    return rho


# ---------------------------------------------------------------------------
# 4. Josephson currents: SD2S (eqs. 25-26) and SD1S (eqs. 27-31)
# ---------------------------------------------------------------------------
def _sd2s_absd2(theta, d_left, d_right):
    theta = _real("theta", theta)
    dl = _nonnegative("D_left", d_left)
    dr = _nonnegative("D_right", d_right)
    return theta, dl, dr, dl**2 + dr**2 + 2 * dl * dr * np.cos(theta)


def sd2s_energy(theta, x, D_left, D_right):
    r"""Ground-state energy of the SD2S junction (eq. 25).

    .. math::

        E_g(\theta) = x - \sqrt{x^2 + |D(\theta)|^2},\qquad
        |D|^2 = |D_L|^2 + |D_R|^2 + 2|D_L||D_R|\cos\theta .

    Parameters
    ----------
    theta : float or array
        Phase difference :math:`\theta = \varphi_R - \varphi_L` of the leads.
    x : float or array
        Half detuning of the pair transition :math:`N_c \to N_c + 2`.
    D_left, D_right : float
        Moduli :math:`|D_L|, |D_R| \ge 0` (barrier transparencies).

    Returns
    -------
    float or ndarray

    References
    ----------
    Seed 003, eq. (25); chapter 4.
    """
    theta, dl, dr, absd2 = _sd2s_absd2(theta, D_left, D_right)
    x = _real("x", x)
    return _out(x - np.sqrt(x**2 + absd2))


def josephson_current_sd2s(theta, x, D_left, D_right):
    r"""Josephson current of the SD2S junction, units :math:`2e/\hbar = 1` (eq. 26).

    .. math::

        J = \frac{\partial E_g}{\partial\theta}
          = \frac{|D_L||D_R|\sin\theta}
                 {\sqrt{x^2 + |D_L|^2 + |D_R|^2 + 2|D_L||D_R|\cos\theta}} .

    Parameters
    ----------
    theta, x, D_left, D_right
        As in :func:`sd2s_energy`.

    Returns
    -------
    float or ndarray
        The current; where the denominator vanishes (:math:`x = 0`,
        :math:`|D_L| = |D_R|`, :math:`\theta = \pi` mod :math:`2\pi`) the
        current jumps between :math:`\pm|D_L|` and the midpoint 0 is returned.

    References
    ----------
    Seed 003, eq. (26) (coincides with Matveev et al. for an SSS
    transistor); chapter 4.
    """
    theta, dl, dr, absd2 = _sd2s_absd2(theta, D_left, D_right)
    x = _real("x", x)
    den = np.sqrt(x**2 + absd2)
    num = dl * dr * np.sin(theta)
    safe = np.where(den > 0, den, 1.0)
    return _out(np.where(den > 0, num / safe, 0.0))


def sd2s_mean_number(theta, x, D_left, D_right):
    r""":math:`\langle N\rangle - N_c = 1 - x/\sqrt{x^2+|D|^2}` in the SD2S junction (eq. 25).

    Parameters
    ----------
    theta, x, D_left, D_right
        As in :func:`sd2s_energy`.

    Returns
    -------
    float or ndarray
        Between 0 and 2 (1 at :math:`x = 0`, and 1 at the singular point
        :math:`x = |D| = 0`).

    References
    ----------
    Seed 003, eq. (25); chapter 4.
    """
    theta, dl, dr, absd2 = _sd2s_absd2(theta, D_left, D_right)
    x = _real("x", x)
    s = np.sqrt(x**2 + absd2)
    return _out(np.where(s > 0, 1.0 - x / np.where(s > 0, s, 1.0), 1.0))


def _check_ab(a, b):
    a = float(_real("a", a))
    b = float(_real("b", b))
    if not a > abs(b):
        raise ValueError(f"a must be > |b| (so that x0(theta) > 0), got a={a!r}, b={b!r}")
    return a, b


def sd1s_x0(theta, a, b, branch=None):
    r"""Effective stiffness :math:`x_0(\theta)` of the SD1S junction (eq. 29).

    .. math::

        x_0(\theta) = \big(a - |b\cos(\theta/2)|\big)^{-1}
        \quad(\text{ground state}),\qquad
        x_0^{(s)}(\theta) = \big(a - s|b|\cos(\theta/2)\big)^{-1}
        \quad(\text{branch } s = \pm 1).

    The branches follow one pair of dot phases :math:`\varphi` continuously;
    they are :math:`4\pi`-periodic and cross at :math:`\theta = \pi`
    (mod :math:`2\pi`). The ground state takes the lower-energy branch, which
    is :math:`2\pi`-periodic with a cusp at the crossing.

    Parameters
    ----------
    theta : float or array
        Phase difference of the leads.
    a, b : float
        Constants of eqs. (27)-(29), :math:`a > |b|`.
    branch : {None, +1, -1}
        ``None``: the ground state (eq. 29); ``+1``/``-1``: a branch.

    Returns
    -------
    float or ndarray

    Raises
    ------
    ValueError
        If :math:`a \le |b|` or ``branch`` is not None, +1 or -1.

    References
    ----------
    Seed 003, eqs. (27)-(29); chapter 4.
    """
    theta = _real("theta", theta)
    a, b = _check_ab(a, b)
    c = np.cos(theta / 2)
    if branch is None:
        return _out(1.0 / (a - np.abs(b * c)))
    if branch not in (1, -1):
        raise ValueError(f"branch must be None, +1 or -1, got {branch!r}")
    return _out(1.0 / (a - branch * abs(b) * c))


def sd1s_energy(theta, x, a, b, branch=None):
    r"""Ground-state energy of the SD1S junction (eqs. 19, 29).

    :math:`E_g = -(x_0(\theta) - x)^2/2x_0(\theta)` for
    :math:`|x| < x_0(\theta)` (:func:`dot_energy` with :math:`x_0 =
    x_0(\theta)`), already minimised over :math:`|D|` and over the
    one-electron phase :math:`\varphi` of the dot.

    Parameters
    ----------
    theta : float or array
        Phase difference of the leads.
    x : float
        Half detuning of the one-electron transition.
    a, b : float
        Constants of eq. (29), :math:`a > |b|`.
    branch : {None, +1, -1}
        See :func:`sd1s_x0`.

    Returns
    -------
    float or ndarray

    References
    ----------
    Seed 003, eqs. (19), (27)-(29); chapter 4.
    """
    return dot_energy(x, sd1s_x0(theta, a, b, branch))


def sd1s_energy_functional(abs_d, phi, theta, x, a, b, phi_mean=0.0):
    r"""SD1S energy before minimisation, as a function of :math:`|D|` and :math:`\varphi`.

    .. math::

        E = \frac a2 |D|^2 - \frac b2 |D|^2 \cos(2\varphi - \bar\varphi)
            \cos\frac\theta2 + x - \sqrt{x^2 + |D|^2},

    eq. (15) with the lead energy :math:`a|D|^2/2` and the phase-dependent
    term (27), :math:`\bar\varphi = (\varphi_L + \varphi_R)/2`,
    :math:`\theta = \varphi_R - \varphi_L`.

    Parameters
    ----------
    abs_d : float or array
        :math:`|D| \ge 0`.
    phi : float or array
        One-electron phase of the dot.
    theta : float or array
        Phase difference of the leads.
    x : float
        Half detuning.
    a, b : float
        Constants, :math:`a > |b|`.
    phi_mean : float
        :math:`\bar\varphi`.

    Returns
    -------
    float or ndarray

    References
    ----------
    Seed 003, eqs. (15), (27); chapter 4.
    """
    absd = _nonnegative("abs_d", abs_d)
    phi = _real("phi", phi)
    theta = _real("theta", theta)
    x = _real("x", x)
    a, b = _check_ab(a, b)
    phi_mean = _real("phi_mean", phi_mean)
    lead = 0.5 * a * absd**2 - 0.5 * b * absd**2 * np.cos(2 * phi - phi_mean) * np.cos(theta / 2)
    return _out(lead + x - np.hypot(x, absd))


def josephson_current_sd1s(theta, x, a, b, continuation=False):
    r"""Josephson current of the SD1S junction, units :math:`e/\hbar = 1` (eq. 30).

    .. math::

        J(\theta) = 2\,\frac{\partial E_g}{\partial\theta}
          = \frac{|b|}{2}\,\big(x_0(\theta)^2 - x^2\big)\,\sin\frac\theta2
        \qquad (-\pi < \theta < \pi,\ |x| < x_0(\theta)),

    and 0 where :math:`|x| \ge x_0(\theta)` (no order parameter). The
    factor 2 converts the pair current :math:`(2e/\hbar)\partial_\theta E`
    to units of :math:`e/\hbar`; :math:`x_0` depends on :math:`\theta`
    through eq. (29).

    Parameters
    ----------
    theta : float or array
        Phase difference of the leads.
    x : float
        Half detuning.
    a, b : float
        Constants of eq. (29), :math:`a > |b|`.
    continuation : bool
        ``False``: the equilibrium current, :math:`2\pi`-periodic, with jumps
        at :math:`\theta = \pi` (mod :math:`2\pi`). ``True``: the analytic
        continuation of the formula from :math:`(-\pi, \pi)` -- the current
        on the branch :math:`s = +1` of :func:`sd1s_x0`, which is
        :math:`4\pi`-periodic and continuous.

    Returns
    -------
    float or ndarray
        At the jump points themselves the midpoint 0 is returned.

    References
    ----------
    Seed 003, eqs. (29)-(31); chapter 4.
    """
    theta = _real("theta", theta)
    x = float(_real("x", x))
    a, b = _check_ab(a, b)
    if continuation:
        th = theta
    else:
        th = np.mod(theta + np.pi, 2 * np.pi) - np.pi  # in [-pi, pi)
    x0 = 1.0 / (a - abs(b) * np.cos(th / 2))
    j = 0.5 * abs(b) * np.clip(x0**2 - x**2, 0.0, None) * np.sin(th / 2)
    if not continuation:
        at_jump = np.isclose(np.abs(th), np.pi, rtol=0, atol=1e-12)
        j = np.where(at_jump, 0.0, j)
    return _out(j)


def sd1s_current_jump(x, a, b):
    r"""Jump :math:`\Delta J = J(\pi^-) - J(-\pi^+) = |b|(x_0(\pi)^2 - x^2)` (eq. 31).

    Units :math:`e/\hbar`; :math:`x_0(\pi) = 1/a`. Zero if
    :math:`|x| \ge 1/a`.

    Parameters
    ----------
    x : float or array
        Half detuning.
    a, b : float
        Constants of eq. (29), :math:`a > |b|`.

    Returns
    -------
    float or ndarray

    References
    ----------
    Seed 003, eq. (31); chapter 4.
    """
    x = _real("x", x)
    a, b = _check_ab(a, b)
    return _out(abs(b) * np.clip(1.0 / a**2 - x**2, 0.0, None))


def sd1s_dot_phase(theta, b, phi_left=0.0, branch=None):
    r"""One-electron phase :math:`\varphi` of the dot that minimises eq. (27).

    :math:`-\tfrac b2|D|^2\cos(2\varphi-\bar\varphi)\cos\tfrac\theta2` is
    lowest for :math:`2\varphi = \bar\varphi` or :math:`\bar\varphi + \pi`
    (mod :math:`2\pi`), :math:`\bar\varphi = \varphi_L + \theta/2`;
    :math:`\varphi` and :math:`\varphi + \pi` are degenerate (eq. 28 and the
    text after it). On a branch :math:`s` (see :func:`sd1s_x0`) the phase
    follows :math:`\theta` continuously, :math:`\varphi = \varphi_L/2 +
    \theta/4` (+ :math:`\pi/2` if :math:`s\,\mathrm{sign}(b) < 0`): after
    :math:`\theta \to \theta + 4\pi` it has advanced by :math:`\pi`, the
    sign change of a state with an odd electron under a :math:`2\pi`
    rotation.

    Parameters
    ----------
    theta : float or array
        Phase difference :math:`\varphi_R - \varphi_L` of the leads.
    b : float
        Constant of eq. (27), nonzero.
    phi_left : float
        Pair phase :math:`\varphi_L` of the left lead.
    branch : {None, +1, -1}
        ``None``: the ground state, returned modulo :math:`\pi` in
        :math:`[0, \pi)`; ``+1``/``-1``: the continuous phase on that branch.

    Returns
    -------
    float or ndarray

    Raises
    ------
    ValueError
        If ``b`` is zero or ``branch`` is not None, +1 or -1.

    References
    ----------
    Seed 003, eqs. (27), (28); chapter 4.
    """
    theta = _real("theta", theta)
    b = float(_real("b", b))
    if b == 0:
        raise ValueError("b must be nonzero (otherwise the one-electron phase is free), got 0.0")
    phi_left = float(_real("phi_left", phi_left))
    base = 0.5 * phi_left + 0.25 * theta
    if branch is None:
        shift = np.where(b * np.cos(theta / 2) >= 0, 0.0, 0.5 * np.pi)
        return _out(np.mod(base + shift, np.pi))
    if branch not in (1, -1):
        raise ValueError(f"branch must be None, +1 or -1, got {branch!r}")
    return _out(base + (0.0 if branch * np.sign(b) > 0 else 0.5 * np.pi))


# ---------------------------------------------------------------------------
# 5. Magnetism of an odd dot (eqs. 36-44)
# ---------------------------------------------------------------------------
_PAULI = np.array(
    [[[0, 1], [1, 0]], [[0, -1j], [1j, 0]], [[1, 0], [0, -1]]], dtype=complex
)


def spin_hamiltonian(b_internal):
    r"""Effective Hamiltonian :math:`H = -\boldsymbol\sigma\cdot\mathbf b` of a Kramers doublet (eq. 36).

    Parameters
    ----------
    b_internal : array_like
        Effective field :math:`m\mathbf B_i` (energy units), three
        components.

    Returns
    -------
    ndarray
        Complex :math:`2\times2` matrix.

    References
    ----------
    Seed 003, eq. (36); chapter 4.
    """
    b = _real("b_internal", b_internal)
    if b.shape != (3,):
        raise ValueError(f"b_internal must have shape (3,), got shape {b.shape}")
    return -np.einsum("i,ijk->jk", b, _PAULI)


def spin_ground_state_polarization(b_internal):
    r"""Polarisation :math:`\langle\boldsymbol\sigma\rangle` of the ground state of eq. (36).

    The ground state of :math:`-\boldsymbol\sigma\cdot\mathbf b` is fully
    polarised along :math:`\mathbf n = \mathbf b/|\mathbf b|` (eq. 38), with
    energy :math:`-|\mathbf b|`.

    Parameters
    ----------
    b_internal : array_like
        Effective field (three components, nonzero).

    Returns
    -------
    ndarray
        :math:`\mathbf n` (three components).

    Raises
    ------
    ValueError
        If the field is zero (the doublet is then degenerate).

    References
    ----------
    Seed 003, eqs. (36)-(38); chapter 4.
    """
    b = _real("b_internal", b_internal)
    if b.shape != (3,):
        raise ValueError(f"b_internal must have shape (3,), got shape {b.shape}")
    norm = np.linalg.norm(b)
    if norm == 0:
        raise ValueError("b_internal must be nonzero, got the zero vector")
    return b / norm


def anisotropy_tensor(anisotropy):
    r"""The anisotropy tensor :math:`\mathcal K_{ik} = \mathrm{diag}(\mathcal K_x, \mathcal K_y, 0)` (eq. 40).

    In the frame of its principal axes, with the additive constant fixed by
    :math:`\mathcal K_{zz} = 0` along the easy axis (smallest eigenvalue).

    Parameters
    ----------
    anisotropy : float or sequence of float
        :math:`\mathcal K` (uniaxial, :math:`\mathcal K_x = \mathcal K_y = \mathcal K`) or :math:`(\mathcal K_x, \mathcal K_y)`;
        all > 0.

    Returns
    -------
    ndarray
        The :math:`3\times3` tensor.

    Raises
    ------
    ValueError
        If a value is not finite and > 0, or the shape is wrong.

    References
    ----------
    Seed 003, eq. (40) and the paragraph after it; chapter 4.
    """
    return np.diag(np.append(_axy(anisotropy), 0.0))


def _axy(anisotropy):
    arr = np.atleast_1d(np.asarray(anisotropy, dtype=float))
    if arr.shape == (1,):
        arr = np.repeat(arr, 2)
    if arr.shape != (2,):
        raise ValueError(
            f"anisotropy must be a number or a pair (a_x, a_y), got {anisotropy!r}"
        )
    if not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        raise ValueError(f"anisotropy must be finite and > 0, got {anisotropy!r}")
    return arr


def _field(B):
    b = _real("B", B)
    if b.ndim == 0 or b.shape[-1] != 3:
        raise ValueError(f"B must have a last axis of length 3, got shape {b.shape}")
    return b


def anisotropy_energy(n, B, anisotropy):
    r"""Energy :math:`E(\mathbf n) = -\mathbf n\cdot\mathbf B + \frac12 \mathcal K_{ik}n_in_k` (eq. 40).

    Parameters
    ----------
    n : array_like
        Unit vector(s) of the spin polarisation, shape ``(..., 3)``.
    B : array_like
        Zeeman energy vector :math:`m\mathbf B`, shape ``(..., 3)``
        (broadcast against ``n``).
    anisotropy : float or sequence of float
        See :func:`anisotropy_tensor`.

    Returns
    -------
    float or ndarray
        In the units of ``B`` and ``anisotropy``.

    References
    ----------
    Seed 003, eq. (40); chapter 4.
    """
    n = _field(n)
    b = _field(B)
    ax, ay = _axy(anisotropy)
    return _out(-(n * b).sum(-1) + 0.5 * (ax * n[..., 0] ** 2 + ay * n[..., 1] ** 2))


def _minimise_on_sphere(b, axy, max_iter=400):
    """Global minimum of -n.b + (ax nx^2 + ay ny^2)/2 on |n| = 1 (vectorised).

    Lagrange: (a + t) n = b with t >= 0 the multiplier (minus lambda). The
    secular function f(t) = sum_k (b_k/(a_k + t))^2 decreases from f(0) to
    0; the global minimum is its root t* in [|b_z|, |b|] (a_z = 0), or, if
    b_z = 0 and f(0) <= 1, t* = 0 with a free n_z ("hard case"). The problem
    is first scaled by |b| (the minimiser depends on a/|b| only).
    """
    bmax = np.abs(b).max(axis=-1)
    b = b / np.where(bmax > 0, bmax, 1.0)[..., None]
    babs = np.sqrt((b**2).sum(-1)) * bmax  # overflow-free |b|
    scale = np.where(babs > 0, babs, 1.0)
    unit = np.where(bmax > 0, np.sqrt((b**2).sum(-1)), 1.0)
    bx, by, bz = (b[..., k] / unit for k in range(3))
    with np.errstate(over="ignore"):
        ax, ay = axy[0] / scale, axy[1] / scale
    babs = np.where(babs > 0, 1.0, 0.0)
    abz = np.abs(bz)

    def f(t):
        safe = np.where(t > 0, t, 1.0)
        with np.errstate(over="ignore"):  # an infinite f(0) just means "not hard"
            tz = np.where(t > 0, (bz / safe) ** 2, np.where(bz != 0, np.inf, 0.0))
            return (bx / (ax + t)) ** 2 + (by / (ay + t)) ** 2 + tz

    hard = (bz == 0) & (f(np.zeros_like(babs)) <= 1.0)
    lo = abz.copy()
    hi = babs.copy()
    geometric = lo > 0
    for _ in range(max_iter):
        mid = np.where(geometric, np.sqrt(lo) * np.sqrt(hi), 0.5 * (lo + hi))
        big = f(mid) > 1.0
        lo = np.where(big, mid, lo)
        hi = np.where(big, hi, mid)
        if np.all(hard | ((hi - lo) <= 1e-15 * hi)):
            break
    t = np.where(hard, 0.0, 0.5 * (lo + hi))
    not_done = ~hard & ((hi - lo) > 1e-12 * hi)
    if np.any(not_done):
        raise RuntimeError(
            f"magnetic_moment: bisection for the Lagrange multiplier did not converge "
            f"in {max_iter} iterations"
        )
    safe = np.where(t > 0, t, 1.0)
    nx = bx / (ax + t)
    ny = by / (ay + t)
    nz = np.where(t > 0, bz / safe, 0.0)
    nz = np.where(hard, np.sqrt(np.clip(1.0 - nx**2 - ny**2, 0.0, None)), nz)
    n = np.stack([nx, ny, nz], axis=-1)
    return n / np.linalg.norm(n, axis=-1, keepdims=True)


def magnetic_moment(B, anisotropy):
    r"""Magnetic moment :math:`\mathbf M/m = \mathbf n^*` of an odd dot (eqs. 40-44).

    :math:`\mathbf n^*` minimises :math:`E(\mathbf n) = -\mathbf n\cdot\mathbf
    B + \frac12 \mathcal K_{ik}n_in_k` on the unit sphere (eq. 40); by the envelope
    theorem :math:`\mathbf M = -\partial E_{min}/\partial\mathbf B = m
    \mathbf n^*`, so the moment has the constant length :math:`m` and only
    turns, from the easy axis :math:`\pm\hat z` (weak field,
    :func:`magnetic_moment_weak`) to the field direction (strong field,
    :func:`magnetic_moment_strong`). The minimum is found exactly from the
    Lagrange condition :math:`(\mathcal K + t)\mathbf n = \mathbf B`, :math:`t \ge 0`,
    by bisection on the secular equation :math:`|\mathbf n(t)| = 1`.

    Parameters
    ----------
    B : array_like
        Shape ``(..., 3)``: the external field as the Zeeman energy vector :math:`m\mathbf B` in the
        frame of the anisotropy axes (:math:`z` = easy axis). Requires
        :math:`|\mathbf B| \ll B_0` (the exchange field), as in the paper.
    anisotropy : float or sequence of float
        :math:`\mathcal K` or :math:`(\mathcal K_x, \mathcal K_y)`, all > 0 (:func:`anisotropy_tensor`).

    Returns
    -------
    ndarray
        Shape ``(..., 3)``: the moment in units of :math:`m`. When :math:`B_z = 0` and the
        field is too weak to pull the moment into the hard plane, the two
        time-reversed minima :math:`\pm n_z` are degenerate (spontaneously
        broken time reversal); the one with :math:`n_z > 0` is returned.

    Raises
    ------
    ValueError
        For a field without a last axis of length 3, non-finite input or an
        anisotropy that is not > 0.
    RuntimeError
        If the bisection does not converge (it always should).

    References
    ----------
    Seed 003, eqs. (38), (40)-(44); chapter 4.
    """
    b = _field(B)
    return _minimise_on_sphere(b, _axy(anisotropy))


def magnetic_ground_energy(B, anisotropy):
    r"""Minimum over :math:`\mathbf n` of the energy (40).

    Parameters
    ----------
    B : array_like
        Zeeman energy vector(s), shape ``(..., 3)``.
    anisotropy : float or sequence of float
        See :func:`anisotropy_tensor`.

    Returns
    -------
    float or ndarray

    References
    ----------
    Seed 003, eqs. (40), (41), (43); chapter 4.
    """
    b = _field(B)
    return anisotropy_energy(magnetic_moment(b, anisotropy), b, anisotropy)


def magnetic_moment_weak(B, anisotropy):
    r"""Weak-field moment :math:`\mathbf n_0 + (\mathcal K^{-1})_{ik}B_k` (eq. 42).

    :math:`\mathbf n_0 = (0, 0, \mathrm{sign}\,B_z)` (``+1`` for
    :math:`B_z = 0`); the transverse correction is :math:`(B_x/\mathcal K_x,
    B_y/\mathcal K_y, 0)`. Valid for :math:`|\mathbf B| \ll \mathcal K`; the error is of
    second order in :math:`B/\mathcal K`.

    Parameters
    ----------
    B : array_like
        Zeeman energy vector(s), shape ``(..., 3)``.
    anisotropy : float or sequence of float
        See :func:`anisotropy_tensor`.

    Returns
    -------
    ndarray
        Moment in units of :math:`m`, shape ``(..., 3)``.

    References
    ----------
    Seed 003, eqs. (41), (42); chapter 4.
    """
    b = _field(B)
    ax, ay = _axy(anisotropy)
    sz = np.where(b[..., 2] < 0, -1.0, 1.0)
    return np.stack([b[..., 0] / ax, b[..., 1] / ay, sz], axis=-1)


def magnetic_moment_strong(B, anisotropy):
    r"""Strong-field moment (eq. 44).

    .. math::

        \mathbf M/m = \hat{\mathbf b} - \frac{\mathcal K\hat{\mathbf b} - \hat{\mathbf b}\,(\hat{\mathbf b}
        \cdot \mathcal K\,\hat{\mathbf b})}{|\mathbf B|},\qquad \hat{\mathbf b} = \mathbf B/|\mathbf B|,

    from :math:`E = -|\mathbf B| + \frac12 \mathcal K_{ik}\hat b_i\hat b_k` (eq. 43). Valid for
    :math:`\mathcal K \ll |\mathbf B|`; the error is of second order in
    :math:`\mathcal K/B`.

    Parameters
    ----------
    B : array_like
        Zeeman energy vector(s), shape ``(..., 3)``, nonzero.
    anisotropy : float or sequence of float
        See :func:`anisotropy_tensor`.

    Returns
    -------
    ndarray
        Moment in units of :math:`m`, shape ``(..., 3)``.

    Raises
    ------
    ValueError
        If a field vector is zero.

    References
    ----------
    Seed 003, eqs. (43), (44); chapter 4.
    """
    b = _field(B)
    babs = np.linalg.norm(b, axis=-1, keepdims=True)
    if np.any(babs == 0):
        raise ValueError("B must be nonzero for the strong-field limit, got a zero vector")
    h = b / babs
    a = anisotropy_tensor(anisotropy)
    ah = h @ a  # a symmetric
    hah = (ah * h).sum(-1, keepdims=True)
    return h - (ah - h * hah) / babs


# ---------------------------------------------------------------------------
# 6. Parity gap of an ultrasmall grain from the exact (Richardson) solution
# ---------------------------------------------------------------------------
#: Default dimensionless coupling :math:`\lambda` of the parity-gap
#: calculation, the chapter-2 value (``pairing_lib.grains.DEFAULT_COUPLING``,
#: von Delft and Braun's choice for Al). With :math:`\lambda^{-1} =
#: \ln(2\omega_D/\Delta_0)` the cutoff is :math:`\omega_D =
#: e^{1/\lambda}/2 \approx 43\Delta_0`. Results in units of
#: :math:`\Delta_0` depend on :math:`\lambda` only through small
#: corrections (``tests/test_symmetry.py`` compares 0.2, 0.224 and 0.35),
#: while the number of levels, hence the cost of the exact solution, is
#: :math:`e^{1/\lambda}/d`.
DEFAULT_COUPLING = 0.224

#: Largest number of pairs for which :func:`parity_gap` calls the exact
#: solver: 2 MAX_PAIRS + 1 = 2001 levels, the tested reach of
#: ``pairing_lib.richardson`` (2000 equally spaced levels at g <= 2d; here
#: G = lambda d is much weaker). At the default coupling this is
#: d >= 0.0434 (d = 0.05 needs 868 pairs, 1737 levels, about a second per
#: energy); smaller ``d`` is refused.
MAX_PAIRS = 1000


def _check_d_coupling(d, coupling):
    d = _positive("d", d)
    lam = float(_positive("coupling", coupling))
    if lam >= 1:
        raise ValueError(f"coupling must be < 1 (weak coupling), got {coupling!r}")
    return d, lam


def grain_levels(d, coupling=DEFAULT_COUPLING):
    r"""Equally spaced levels of a grain inside the cutoff (chapter 2 conventions).

    Levels :math:`\varepsilon_j = j d`, :math:`j = -K, \dots, K`, with
    :math:`K = \lfloor\omega_D/d\rfloor` and the cutoff fixed by
    :math:`\lambda^{-1} = \ln(2\omega_D/\Delta_0)`: all levels with
    :math:`|\varepsilon_j| \le \omega_D`, symmetric about the Fermi level
    :math:`\varepsilon_0 = 0` (the level blocked by the odd electron).

    Parameters
    ----------
    d : float
        Level spacing in units of :math:`\Delta_0` (> 0).
    coupling : float
        :math:`\lambda`, in (0, 1).

    Returns
    -------
    eps : ndarray
        The :math:`2K+1` level energies (units of :math:`\Delta_0`).
    K : int
        Number of pairs of the even grain :math:`N = 2K` (the book's :math:`K`).

    References
    ----------
    Seed 000 (Braun et al. 1997), eq. (1); chapter 2; chapter 4.
    """
    d, lam = _check_d_coupling(d, coupling)
    d = float(d)
    omega_D = 0.5 * math.exp(1.0 / lam)
    m = int(math.floor(omega_D / d + 1e-12))
    return d * np.arange(-m, m + 1, dtype=float), m


def matched_spacing(m, coupling=DEFAULT_COUPLING):
    r"""Level spacing at which exactly :math:`2K+1` levels fill the band :math:`2\omega_D`.

    :math:`d_K = 2\omega_D/(2K+1)`: every level "owns" a width :math:`d` and
    the cutoff lies half-way between the last level inside and the first
    outside. Sampling :math:`d` on these values avoids the sawtooth that the
    sharp cutoff of :func:`grain_levels` produces when a level leaves the band.

    Parameters
    ----------
    m : int or array of int
        Number :math:`K` of pairs of the even grain (the book's :math:`K`), >= 0.
    coupling : float
        :math:`\lambda` in (0, 1).

    Returns
    -------
    float or ndarray
        :math:`d_m` in units of :math:`\Delta_0`.

    References
    ----------
    Chapter 4 (sampling of the parity-gap curve).
    """
    m_arr = np.asarray(m)
    if not np.all(np.equal(np.mod(m_arr, 1), 0)) or np.any(m_arr < 0):
        raise ValueError(f"m must be an integer >= 0, got {m!r}")
    lam = float(_positive("coupling", coupling))
    if lam >= 1:
        raise ValueError(f"coupling must be < 1 (weak coupling), got {coupling!r}")
    return _out(math.exp(1.0 / lam) / (2 * m_arr + 1.0))


@functools.lru_cache(maxsize=512)
def _grain_energies_cached(d, lam):
    from . import richardson

    eps, m = grain_levels(d, lam)
    if m > MAX_PAIRS:
        dmin = 0.5 * math.exp(1.0 / lam) / (MAX_PAIRS + 1)
        raise ValueError(
            f"d must be >= {dmin:.4g} at coupling {lam!r}: d = {d!r} puts {2 * m + 1} levels "
            f"({m} pairs) in the band, and the exact solution is limited to "
            f"{2 * MAX_PAIRS + 1} levels ({MAX_PAIRS} pairs, symmetry.MAX_PAIRS, the tested "
            "reach of pairing_lib.richardson); use d >= that value, or a larger coupling "
            "(fewer levels for the same d; in units of the bulk gap the parity gap hardly "
            "depends on it)"
        )
    g = lam * d
    e_even = richardson.ground_state_energy(eps, g, m)
    # Particle-hole symmetry of the symmetric level set (eps_j -> -eps_{-j},
    # pairs -> holes) gives E(K+1 pairs) = E(K pairs) - G exactly; the test
    # suite checks this identity by brute-force diagonalisation.
    e_even2 = e_even - g
    # odd grain: one electron blocks the level at the Fermi energy (eps = 0);
    # the m pairs live on the remaining 2m levels.
    eps_odd = np.delete(eps, m)
    e_odd = eps[m] + (richardson.ground_state_energy(eps_odd, g, m) if m > 0 else 0.0)
    return float(e_even), float(e_odd), float(e_even2)


def grain_energies(d, coupling=DEFAULT_COUPLING):
    r"""Exact ground-state energies :math:`E(2K), E(2K+1), E(2K+2)` of a grain.

    Reduced BCS Hamiltonian on the levels of :func:`grain_levels` with
    coupling :math:`G = \lambda d`,

    .. math::

        H = \sum_j 2\varepsilon_j b_j^\dagger b_j
          - \lambda d \sum_{i,j} b_i^\dagger b_j ,

    solved exactly by ``pairing_lib.richardson.ground_state_energy``.
    The odd grain has its unpaired electron on the level
    :math:`\varepsilon_0 = 0` at the Fermi energy, which is then blocked
    for the pairs.

    Parameters
    ----------
    d : float
        Level spacing in units of :math:`\Delta_0` (> 0).
    coupling : float
        :math:`\lambda` in (0, 1).

    Returns
    -------
    tuple of float
        :math:`E(2K), E(2K+1), E(2K+2)` in units of :math:`\Delta_0`.
        :math:`E(2K+2) = E(2K) - \lambda d` follows from particle-hole
        symmetry of the symmetric level set.

    Raises
    ------
    ValueError
        As in :func:`parity_gap`.
    RuntimeError
        If the Richardson solver cannot verify its solution.

    References
    ----------
    Seed 000, eq. (1); Richardson (1963); Matveev and Larkin (1997);
    chapters 2 and 4.
    """
    d, lam = _check_d_coupling(d, coupling)
    return _grain_energies_cached(float(d), lam)


def parity_gap(d, coupling=DEFAULT_COUPLING):
    r"""Parity gap :math:`\Delta_P` of a grain from the exact solution, units of :math:`\Delta_0`.

    The Matveev-Larkin parity parameter

    .. math::

        \Delta_P = E(2K+1) - \tfrac12\big[E(2K) + E(2K+2)\big],

    which is zero without interaction (the single-particle level energies
    cancel) and is exactly the quantity that shortens the odd plateaus of
    the charge staircase (:func:`step_size`). Limits: :math:`\Delta_P \to
    \lambda d/2` for :math:`d \gg \omega_D` (first-order perturbation
    theory, :func:`parity_gap_perturbative`),
    :math:`\Delta_P \approx d/[2\ln(2e^{-\gamma}d/\Delta_0)]` for
    :math:`\Delta_0 \ll d \ll \omega_D` (:func:`parity_gap_renormalized`)
    and :math:`\Delta_P \to \Delta_0` for :math:`d \to 0`, as
    :math:`\Delta_P \approx \Delta_0 - d/2` for :math:`d \ll \Delta_0`
    (Matveev and Larkin; at the default coupling the exact values agree with
    it to 1 % for :math:`d \le 0.15` and to 0.02 % at :math:`d = 0.05`).
    Covered: :math:`d \ge 0.0434` at the default coupling (up to 2001 levels,
    :data:`MAX_PAIRS`), about a second per energy at :math:`d = 0.05`.

    Parameters
    ----------
    d : float or array
        Level spacing in units of :math:`\Delta_0` (> 0).
    coupling : float
        :math:`\lambda`, default :data:`DEFAULT_COUPLING`.

    Returns
    -------
    float or ndarray

    Raises
    ------
    ValueError
        If ``d`` is not > 0, ``coupling`` is not in (0, 1), or ``d`` is so
        small that the grain has more than :data:`MAX_PAIRS` pairs.
    RuntimeError
        If the Richardson solver cannot verify its solution.

    References
    ----------
    Matveev and Larkin, Phys. Rev. Lett. 78, 3749 (1997); seed 003 section 4;
    chapters 2 and 4.
    """
    d_arr, lam = _check_d_coupling(d, coupling)
    flat = np.atleast_1d(d_arr).ravel()
    out = np.empty(flat.shape)
    for i, di in enumerate(flat):
        e0, e1, e2 = _grain_energies_cached(float(di), lam)
        out[i] = e1 - 0.5 * (e0 + e2)
    return _out(np.reshape(out, np.shape(d_arr)))


def parity_gap_perturbative(d, coupling=DEFAULT_COUPLING, order=2):
    r"""Parity gap in perturbation theory in :math:`G = \lambda d`.

    First order: :math:`\Delta_P = G/2` (every pair gains :math:`-G`; the
    odd grain has :math:`K` pairs, the two even ones :math:`K` and
    :math:`K+1`). Second order, on the symmetric levels of
    :func:`grain_levels`:

    .. math::

        \Delta_P = \frac{\lambda d}{2}\Big(1 + \lambda H_K\Big),
        \qquad H_K = \sum_{k=1}^{m} \frac1k ,

    because the odd grain misses the virtual pair excitations across the
    blocked level.

    Parameters
    ----------
    d : float or array
        Level spacing (units of :math:`\Delta_0`, > 0).
    coupling : float
        :math:`\lambda` in (0, 1).
    order : {1, 2}
        Order in :math:`g`.

    Returns
    -------
    float or ndarray

    References
    ----------
    Chapter 4 (derivation); Matveev and Larkin (1997).
    """
    d_arr, lam = _check_d_coupling(d, coupling)
    if order not in (1, 2):
        raise ValueError(f"order must be 1 or 2, got {order!r}")
    first = 0.5 * lam * d_arr
    if order == 1:
        return _out(first)
    flat = np.atleast_1d(d_arr).ravel()
    harm = np.array([np.sum(1.0 / np.arange(1, grain_levels(di, lam)[1] + 1)) for di in flat])
    return _out(first * (1 + lam * np.reshape(harm, np.shape(d_arr))))


def parity_gap_renormalized(d):
    r"""Renormalised weak-coupling parity gap :math:`d / [2\ln(2e^{-\gamma} d/\Delta_0)]`.

    Summing the leading logarithms of the perturbation series
    (:math:`H_K \approx \ln m + \gamma`, :math:`m \approx \omega_D/d`) turns
    :math:`\lambda` into the running coupling :math:`1/\ln(2e^{-\gamma}
    d/\Delta_0)`, independent of the cutoff. Valid for
    :math:`\Delta_0 \ll d \ll \omega_D`; it diverges as :math:`d` falls
    towards :math:`e^{\gamma}\Delta_0/2`, where perturbation theory
    fails.

    Parameters
    ----------
    d : float or array
        Level spacing in units of :math:`\Delta_0`, must exceed
        :math:`e^{\gamma}/2 \approx 0.89`.

    Returns
    -------
    float or ndarray

    Raises
    ------
    ValueError
        If ``d`` is not above :math:`e^\gamma/2`.

    References
    ----------
    Matveev and Larkin (1997) (to logarithmic accuracy); chapter 4.
    """
    d = _positive("d", d)
    dmin = 0.5 * math.exp(np.euler_gamma)
    if np.any(d <= dmin):
        raise ValueError(f"d must be > exp(gamma)/2 = {dmin:.4f}, got {d!r}")
    return _out(d / (2 * np.log(2 * math.exp(-np.euler_gamma) * d)))


# ---------------------------------------------------------------------------
# 7. The parity effect at finite temperature (Tuominen et al. 1992,
#    Averin and Nazarov 1992, Lafarge et al. 1993) and quasiparticle poisoning
# ---------------------------------------------------------------------------
def _ln_coth_half(y):
    """ln coth(y/2) = ln[(1 + e^-y)/(1 - e^-y)] for y > 0, without overflow."""
    q = np.exp(-y)
    return np.log1p(q) - np.log1p(-q)


def _check_temperature(T):
    T = _real("T", T)
    if np.any(T <= 0):
        raise ValueError(f"T must be > 0 (units of the gap), got {T!r}")
    return T


def _ln_coth_half_scaled(y, y0):
    """e^{y0} ln coth(y/2) for y >= y0 > 0, finite even when both are large."""
    y = np.asarray(y, float)
    big = y > 30.0
    out = np.empty_like(y)
    yb = y[big]
    out[big] = 2.0 * np.exp(-(yb - y0)) * (1.0 + np.exp(-2 * yb) / 3.0)
    ys = y[~big]
    out[~big] = _ln_coth_half(ys) * math.exp(min(y0, 30.0)) if ys.size else ys
    return out


def _log_parity_sum(T, d, gap, levels):
    """ln S(T) for one temperature (S can be far below the smallest float)."""
    from scipy.integrate import quad

    y0 = gap / T
    if levels is not None:
        e = np.sqrt(levels**2 + gap**2)
        return math.log(_ln_coth_half_scaled(e / T, y0).sum()) - y0
    xi_max = math.sqrt((gap + 70 * T) ** 2 - gap**2)
    val, _ = quad(lambda x: float(_ln_coth_half_scaled(math.sqrt(x * x + gap * gap) / T, y0)),
                  0.0, xi_max, epsabs=0.0, epsrel=1e-11, limit=200,
                  points=[min(xi_max, math.sqrt(2 * gap * T))])
    return math.log(2.0 * val / d) - y0


def _parity_inputs(T, d, gap, levels):
    T = _check_temperature(T)
    gap = float(_positive("gap", gap))
    if levels is not None:
        levels = _real("levels", levels).ravel()
    else:
        d = float(_positive("d", d))
    return T, d, gap, levels


def parity_sum(T, d, gap=1.0, levels=None):
    r"""The sum :math:`S(T) = \sum_j \ln\coth(E_j/2T)` over the orbital levels of an island.

    Each orbital level :math:`\xi_j` of a superconducting island holds two
    quasiparticle states (both spins) of energy :math:`E_j = \sqrt{\xi_j^2 +
    \Delta^2}`. Projecting the grand-canonical quasiparticle partition
    function on even and odd quasiparticle number gives
    :math:`Z_{o}/Z_{e} = \tanh S` with this :math:`S` (see
    :func:`free_energy_difference`).

    Parameters
    ----------
    T : float or array
        Temperature in units of the gap (> 0).
    d : float
        Mean level spacing :math:`d = 1/[N(0)V]` in units of the gap (> 0);
        used for the continuum sum :math:`S = (2/d)\int_0^\infty d\xi\,
        \ln\coth(E/2T)` when ``levels`` is None.
    gap : float
        The gap :math:`\Delta` (the book's :math:`\Delta_0`; kept fixed: the
        gap's own temperature dependence is negligible for :math:`T \ll
        T_c`).
    levels : array_like, optional
        Explicit orbital energies :math:`\xi_j`; then ``d`` is not used.

    Returns
    -------
    float or ndarray

    References
    ----------
    Tuominen et al., Phys. Rev. Lett. 69, 1997 (1992); Averin and Nazarov,
    Phys. Rev. Lett. 69, 1993 (1992); chapter 4.
    """
    T, d, gap, levels = _parity_inputs(T, d, gap, levels)
    out = [math.exp(_log_parity_sum(t, d, gap, levels)) for t in np.atleast_1d(T).ravel()]
    return _out(np.reshape(np.array(out), np.shape(T)))


def free_energy_difference(T, d, gap=1.0, levels=None):
    r"""Even-odd free-energy difference :math:`F_o - F_e` of an isolated superconducting island.

    With :math:`P_\pm = \prod_j (1 \pm e^{-E_j/T})^2` (two spin states per
    orbital level) the quasiparticle partition functions of even and odd
    number are :math:`Z_{e,o} = (P_+ \pm P_-)/2`, so

    .. math::

        F_o - F_e = -T \ln\frac{Z_o}{Z_e} = -T\ln\tanh S(T),
        \qquad S = \sum_j \ln\coth\frac{E_j}{2T}

    (:func:`parity_sum`). At low temperature :math:`S \approx N_{\rm eff}
    e^{-\Delta/T}` and :math:`F_o - F_e \approx \Delta - T\ln N_{\rm eff}`
    (:func:`free_energy_difference_low_t`, :func:`effective_qp_number`); at
    high temperature it falls as :math:`2T e^{-2S}`. The condensate energy
    is the same for both parities and drops out; the gap is held fixed.

    Parameters
    ----------
    T, d, gap, levels
        As in :func:`parity_sum` (units of the gap).

    Returns
    -------
    float or ndarray
        :math:`F_o - F_e` in units of the gap.

    References
    ----------
    Tuominen et al. (1992); Averin and Nazarov (1992); Lafarge et al.,
    Phys. Rev. Lett. 70, 994 (1993); chapter 4.
    """
    T, d, gap, levels = _parity_inputs(T, d, gap, levels)
    out = []
    for t in np.atleast_1d(T).ravel():
        ln_s = _log_parity_sum(t, d, gap, levels)
        if ln_s < -15:                      # tanh S = S (1 - S^2/3 + ...)
            out.append(-t * ln_s + t * math.exp(2 * ln_s) / 3)
        else:
            q = math.exp(-2 * math.exp(ln_s))
            out.append(t * (math.log1p(q) - math.log1p(-q)))      # -T ln tanh S
    return _out(np.reshape(np.array(out), np.shape(T)))


def effective_qp_number(T, d, gap=1.0):
    r"""Effective number of thermally accessible quasiparticle states, :math:`N_{\rm eff} = 2N(0)V\sqrt{2\pi\Delta T}`.

    In the book's units :math:`N(0)V = 1/d`, so :math:`N_{\rm eff} =
    2\sqrt{2\pi\Delta T}/d` (both spin states counted; papers that write
    :math:`N(0)` for both spins write :math:`N(0)V\sqrt{2\pi\Delta T}`).

    Parameters
    ----------
    T, d, gap : float or array
        Temperature, level spacing and gap (same unit), all > 0.

    Returns
    -------
    float or ndarray

    References
    ----------
    Tuominen et al. (1992); chapter 4.
    """
    T = _check_temperature(T)
    d = _positive("d", d)
    gap = _positive("gap", gap)
    return _out(2.0 * np.sqrt(2 * np.pi * gap * T) / d)


def free_energy_difference_low_t(T, d, gap=1.0):
    r"""Low-temperature form :math:`F_o - F_e \approx \Delta - T\ln N_{\rm eff}(T)`.

    Parameters
    ----------
    T, d, gap : float or array
        As in :func:`effective_qp_number`.

    Returns
    -------
    float or ndarray

    References
    ----------
    Tuominen et al. (1992); Averin and Nazarov (1992); chapter 4.
    """
    return _out(np.asarray(gap, float) - np.asarray(T, float) * np.log(effective_qp_number(T, d, gap)))


def parity_crossover_temperature(d, gap=1.0):
    r"""Crossover temperature :math:`T_{\rm eo}` at which the low-temperature form vanishes.

    :math:`T_{\rm eo}` solves :math:`\Delta = T_{\rm eo}\ln N_{\rm eff}(T_{\rm eo})`, i.e. the
    thermal quasiparticle number :math:`N_{\rm eff}e^{-\Delta/T}` reaches one.
    Below :math:`T_{\rm eo}` the island prefers even :math:`N` (2e-periodic
    behaviour); above it even and odd are nearly equally likely and the
    exact :math:`F_o - F_e` (:func:`free_energy_difference`) is already
    small, :math:`-T_{\rm eo}\ln\tanh 1 \approx 0.27\,T_{\rm eo}` at :math:`T_{\rm eo}`.

    Parameters
    ----------
    d : float
        Level spacing in units of the gap, ``0 < d < 1`` (an island with many
        levels in the thermal window).
    gap : float
        The gap.

    Returns
    -------
    float
        :math:`T_{\rm eo}` in the unit of ``gap``.

    Raises
    ------
    ValueError
        If ``d`` is not in (0, 1) times the gap.

    References
    ----------
    Tuominen et al. (1992); chapter 4.
    """
    from scipy.optimize import brentq

    d = float(_positive("d", d))
    gap = float(_positive("gap", gap))
    if d >= gap:
        raise ValueError(f"d must be in (0, gap) for a parity crossover, got d = {d!r}")

    def f(t):
        return t * math.log(2.0 * math.sqrt(2 * math.pi * gap * t) / d) - gap

    lo = 1e-6 * gap
    while f(lo) > 0:                       # pragma: no cover - only for absurdly small d
        lo /= 10
    return float(brentq(f, lo, gap, xtol=1e-14 * gap, rtol=1e-13))


def quasiparticle_fraction(T, gap=1.0):
    r"""Thermal quasiparticle density per Cooper-pair density, :math:`x_{qp} = \sqrt{2\pi T/\Delta}\,e^{-\Delta/T}`.

    The density of quasiparticles (both spins) is :math:`n_{qp} =
    4N(0)\int_0^\infty d\xi\, f(E) \approx 2N(0)\sqrt{2\pi\Delta T}
    e^{-\Delta/T}` for :math:`T \ll \Delta`; normalised, as in the literature
    on quasiparticle poisoning, by the Cooper-pair density :math:`n_{cp} =
    2N(0)\Delta` (the book's :math:`x_{\rm qp}`, with :math:`\Delta = \Delta_0`).

    Parameters
    ----------
    T, gap : float or array
        Temperature and gap (same unit), > 0.

    Returns
    -------
    float or ndarray

    References
    ----------
    Aumentado et al., Phys. Rev. Lett. 92, 066802 (2004); chapter 4.
    """
    T = _check_temperature(T)
    gap = _positive("gap", gap)
    return _out(np.sqrt(2 * np.pi * T / gap) * np.exp(-gap / T))


def poisoning_temperature(x_qp, gap=1.0):
    r"""Temperature at which the thermal :math:`x_{qp}` equals a given quasiparticle fraction.

    The inverse of :func:`quasiparticle_fraction`: an island whose
    quasiparticle fraction is ``x_qp`` (from any source) is poisoned as a
    thermal island at this temperature would be.

    Parameters
    ----------
    x_qp : float
        Quasiparticle fraction, in (0, 1e-2).
    gap : float
        The gap.

    Returns
    -------
    float
        Temperature in the unit of ``gap``.

    References
    ----------
    Chapter 4.
    """
    from scipy.optimize import brentq

    x = float(_positive("x_qp", x_qp))
    gap = float(_positive("gap", gap))
    if x >= 1e-2:
        raise ValueError(f"x_qp must be in (0, 1e-2) (the low-temperature form), got {x_qp!r}")
    return float(brentq(lambda t: math.log(math.sqrt(2 * math.pi * t / gap)) - gap / t - math.log(x),
                        1e-4 * gap, 0.5 * gap, xtol=1e-15, rtol=1e-13))


# ---------------------------------------------------------------------------
# 8. A quantum dot between two superconductors in the atomic limit:
#    singlet-doublet (0-pi) transition
# ---------------------------------------------------------------------------
def _gamma_phi(phi, gamma_left, gamma_right):
    phi = _real("phi", phi)
    gl = float(_nonnegative("gamma_left", gamma_left))
    gr = float(_nonnegative("gamma_right", gamma_left if gamma_right is None else gamma_right))
    return phi, gl, gr, np.sqrt(np.maximum(gl**2 + gr**2 + 2 * gl * gr * np.cos(phi), 0.0))


def atomic_limit_energies(phi, eps, U, gamma_left, gamma_right=None):
    r"""Singlet and doublet energies of a dot between superconductors with :math:`\Delta \to \infty`.

    In the limit of a large lead gap the leads act on the dot only through a
    local pairing term, and the dot (one orbital, Coulomb energy :math:`U`)
    is described by

    .. math::

        H = \xi\,(n_\uparrow + n_\downarrow) + U n_\uparrow n_\downarrow
            - \bigl(\Gamma_\theta\, d^\dagger_\uparrow d^\dagger_\downarrow + {\rm h.c.}\bigr),
        \qquad \Gamma_\theta = \Gamma_L + \Gamma_R e^{i\theta},

    with :math:`\varepsilon_d = \xi + U/2` the detuning from the
    particle-hole symmetric point. The odd states (a spin doublet) have
    energy :math:`\varepsilon_d - U/2`, independent of :math:`\theta`; the
    even states mix :math:`|0\rangle` and :math:`|{\uparrow\downarrow}\rangle`
    and the lower one, the singlet, has

    .. math::

        E_S = \varepsilon_d - \sqrt{\varepsilon_d^2 + |\Gamma_\theta|^2},\qquad
        |\Gamma_\theta|^2 = \Gamma_L^2 + \Gamma_R^2 + 2\Gamma_L\Gamma_R\cos\theta .

    The even sector is the two-state problem of the SD2S junction
    (:func:`sd2s_energy` with :math:`x = \varepsilon_d`, :math:`D_{L,R} =
    \Gamma_{L,R}`).

    Parameters
    ----------
    phi : float or array
        Phase difference :math:`\theta = \varphi_R - \varphi_L` of the leads (rad).
    eps : float
        Detuning :math:`\varepsilon_d` (energy unit).
    U : float
        Charging (Coulomb) energy of the doubly occupied dot, >= 0.
    gamma_left, gamma_right : float
        Pairing amplitudes induced by the two leads, >= 0 (``gamma_right``
        defaults to ``gamma_left``).

    Returns
    -------
    singlet, doublet : float or ndarray

    References
    ----------
    Glazman and Matveev, JETP Lett. 49, 659 (1989); Spivak and Kivelson,
    Phys. Rev. B 43, 3740 (1991); chapter 4.
    """
    phi, gl, gr, g = _gamma_phi(phi, gamma_left, gamma_right)
    eps = float(_real("eps", eps))
    U = float(_nonnegative("U", U))
    singlet = eps - np.sqrt(eps**2 + g**2)
    doublet = np.full_like(np.asarray(singlet, float), eps - U / 2)
    return _out(singlet), _out(doublet)


def atomic_limit_ground_parity(phi, eps, U, gamma_left, gamma_right=None):
    r"""Fermion parity of the dot's ground state: 0 for the singlet, 1 for the doublet.

    Parameters
    ----------
    phi, eps, U, gamma_left, gamma_right
        As in :func:`atomic_limit_energies`.

    Returns
    -------
    int or ndarray of int

    References
    ----------
    Chapter 4.
    """
    s, dbl = atomic_limit_energies(phi, eps, U, gamma_left, gamma_right)
    out = np.where(np.asarray(dbl) < np.asarray(s), 1, 0)
    return int(out) if out.ndim == 0 else out


def atomic_limit_current(phi, eps, U, gamma_left, gamma_right=None):
    r"""Josephson current of the atomic-limit dot in its ground state, units of :math:`2e/\hbar`.

    :math:`J = \partial E_{\rm ground}/\partial\theta`: in the singlet
    :math:`J = \Gamma_L\Gamma_R\sin\theta/\sqrt{\varepsilon_d^2 +
    |\Gamma_\theta|^2}`, in the doublet :math:`J = 0` (its energy does not
    depend on the phase in this limit; at finite lead gap it carries a small
    reversed current, the :math:`\pi` junction). Where the ground state
    changes with :math:`\theta` the current jumps.

    Parameters
    ----------
    phi, eps, U, gamma_left, gamma_right
        As in :func:`atomic_limit_energies`.

    Returns
    -------
    float or ndarray

    References
    ----------
    Glazman and Matveev (1989); van Dam et al., Nature 442, 667 (2006);
    chapter 4.
    """
    phi, gl, gr, g = _gamma_phi(phi, gamma_left, gamma_right)
    eps = float(_real("eps", eps))
    parity = atomic_limit_ground_parity(phi, eps, U, gamma_left, gamma_right)
    j = gl * gr * np.sin(phi) / np.sqrt(eps**2 + g**2 + 1e-300)
    return _out(np.where(np.asarray(parity) == 1, 0.0, j))


def atomic_limit_critical_phase(eps, U, gamma):
    r"""Phase :math:`\theta_c \in [0, \pi]` at which a symmetric dot turns from singlet to doublet.

    With :math:`\Gamma_L = \Gamma_R = \Gamma`, :math:`|\Gamma_\theta| =
    2\Gamma|\cos(\theta/2)|` and the doublet wins where
    :math:`\varepsilon_d^2 + |\Gamma_\theta|^2 < U^2/4`:

    .. math:: \cos\frac{\theta_c}{2} = \frac{\sqrt{U^2/4 - \varepsilon_d^2}}{2\Gamma}.

    Parameters
    ----------
    eps, U, gamma : float
        Detuning, charging energy (>= 0), pairing amplitude of each lead (> 0).

    Returns
    -------
    float
        :math:`\theta_c`; ``0.0`` if the doublet is the ground state at every
        phase, ``pi`` if the singlet is.

    References
    ----------
    Chapter 4.
    """
    eps = float(_real("eps", eps))
    U = float(_nonnegative("U", U))
    gamma = float(_positive("gamma", gamma))
    if U / 2 <= abs(eps):
        return math.pi                      # singlet everywhere (doublet only touches at pi)
    c = math.sqrt(U**2 / 4 - eps**2) / (2 * gamma)
    if c >= 1:
        return 0.0
    return 2 * math.acos(c)


def box_mean_number(n_g, charging_energy, T, d, gap=1.0, n_max=6):
    r"""Thermal mean charge :math:`\langle N\rangle` of a superconducting box against the gate charge.

    The island's free energy with :math:`N` extra electrons is
    :math:`E_C(N - n_g)^2 + p(N)\,(F_o - F_e)`, with :math:`p(N)` the parity
    of :math:`N` and :math:`F_o - F_e` from :func:`free_energy_difference`,
    so

    .. math::

        \langle N\rangle = \frac{\sum_N N\, e^{-[E_C(N-n_g)^2 + p(N)(F_o-F_e)]/T}}
                                {\sum_N e^{-[E_C(N-n_g)^2 + p(N)(F_o-F_e)]/T}} .

    For :math:`T \to 0` this is the staircase of :class:`DotModel` with
    ``parity_gap`` equal to the gap; for :math:`F_o - F_e \to 0` it is the
    thermally smeared staircase of a normal box.

    Parameters
    ----------
    n_g : float or array
        Gate charge in units of :math:`e`.
    charging_energy : float
        :math:`E_C = e^2/2C` in units of the gap (> 0).
    T : float
        Temperature in units of the gap (> 0).
    d : float
        Level spacing of the island in units of the gap (> 0).
    gap : float
        The gap :math:`\Delta_0`.
    n_max : int
        Charge states :math:`N = 0 \dots n_{max}` are kept (``n_g`` should lie
        well inside).

    Returns
    -------
    float or ndarray

    References
    ----------
    Lafarge et al., Phys. Rev. Lett. 70, 994 (1993); Tuominen et al. (1992);
    chapter 4.
    """
    n_g = _real("n_g", n_g)
    ec = float(_positive("charging_energy", charging_energy))
    T = float(_check_temperature(T))
    df = float(free_energy_difference(T, d, gap))
    n = _n_grid(n_max)
    f = ec * (n[None, :] - np.reshape(n_g, (-1, 1))) ** 2 + (n[None, :] % 2) * df
    w = np.exp(-(f - f.min(axis=1, keepdims=True)) / T)
    mean = (w * n[None, :]).sum(axis=1) / w.sum(axis=1)
    return _out(np.reshape(mean, np.shape(n_g)))
