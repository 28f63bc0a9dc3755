r"""Weak-coupling BCS in a Zeeman field: the Clogston-Chandrasekhar limit (chapter 1).

.. rubric:: Model

A clean BCS superconductor whose electrons feel only the Zeeman energy
:math:`\pm h` of their spins (orbital effects switched off: thin film in a
parallel field, nm-sized grain). Quasiparticle energies are
:math:`E_\pm = E \pm h` with :math:`E = \sqrt{\xi^2 + \Delta^2}`. Eliminating
the coupling constant and the cutoff with the :math:`T = 0,\ h = 0` gap
:math:`\Delta_0` gives a cutoff-free grand potential per unit density of
states :math:`N(0)` (per spin) -- in the Matsubara representation used here

.. math::

    \frac{\Omega_S - \Omega_N}{N(0)} = \Delta^2 \Big[\ln\frac{T}{T_c}
    + \mathrm{Re}\,\psi\big(\tfrac12 + \tfrac{i h}{2\pi T}\big)
    - \psi\big(\tfrac12\big)\Big]
    + 2\pi T \sum_{n \ge 0} \mathrm{Re}\,
      \frac{\Delta^4}{\tilde\omega_n\,\big(\tilde\omega_n
      + \sqrt{\tilde\omega_n^2 + \Delta^2}\big)^2},
    \qquad \tilde\omega_n = \pi T (2n + 1) + i h,

and at :math:`T = 0` in closed form

.. math::

    \frac{\Omega_S - \Omega_N}{N(0)} =
    \begin{cases}
      \Delta^2\left(\ln\frac{\Delta}{\Delta_0} - \frac12\right) + h^2,
        & h \le \Delta,\\[4pt]
      \Delta^2\left(\ln\frac{h + \sqrt{h^2-\Delta^2}}{\Delta_0} - \frac12\right)
        + h^2 - h\sqrt{h^2 - \Delta^2}, & h > \Delta .
    \end{cases}

From it follow the Clogston-Chandrasekhar field :math:`h_{CC} =
\Delta_0/\sqrt 2`, the unstable Sarma branch :math:`\Delta = \sqrt{\Delta_0(2h
- \Delta_0)}`, the supercooling (:math:`\Delta_0/2`) and superheating
(:math:`\Delta_0`) fields, the tricritical point and the (T, h) phase diagram.
Beyond the seed papers the module gives the Fulde-Ferrell / Larkin-Ovchinnikov
instability of the normal state, the spin-split tunnelling density of
states of Meservey and Tedrow, the low-temperature law of the first-order line
:math:`h_1^2 \simeq \Delta_0^2/2 - \pi^2T^2/3`, the instability of the normal
state with spin-orbit scattering (Maki's :math:`b_{so}`), the Fermi-liquid
correction :math:`h_{CC} = \Delta_0\sqrt{(1 + F_0^a)/2}`, and the orbital
scales of a dirty film (penetration depth :math:`\lambda_L`, thermodynamic
field :math:`B_c`, parallel critical field for thickness :math:`w`).

.. rubric:: Units

Every energy, temperature (:math:`k_B = 1`) and Zeeman energy
:math:`h = \mu_B B` (g = 2) is in units of :math:`\Delta_0`, the bulk gap at
:math:`T = 0,\ h = 0`; free energies are in units of :math:`N(0)\Delta_0^2`.
``TC`` :math:`= T_c/\Delta_0 = e^{\gamma_E}/\pi`. Helpers with ``_tesla`` /
``_mev`` / ``_nm`` in their names take and return SI-like laboratory units.

.. rubric:: Seed papers and chapter

Braun, von Delft, Ralph and Tinkham, PRL 79, 921 (1997) (``braun1997``): the
Clogston-Chandrasekhar argument for films (text around their Eqs. (3)-(4))
and the Al-film numbers; they write the Zeeman energy as
:math:`h = \tfrac12 g \mu_B H`, identical to :math:`h = \mu_B B` for g = 2.
Zhou and Biagini (``zhou1998``): films near the Pauli field. Used in chapter 1
of the book, ``chapters/01_clogston.ipynb``.

Examples
--------
>>> from pairing_lib import clogston
>>> round(clogston.clogston_field(), 6)
0.707107
>>> float(clogston.free_energy(1.0, 0.0, 0.0))
-0.5
"""

from __future__ import annotations

import functools
import math
from numbers import Real

import numpy as np
from scipy import integrate, optimize, special

__all__ = [
    "TC",
    "MU_B_MEV_PER_T",
    "FLUX_QUANTUM_WB",
    "K_B_MEV_PER_K",
    "free_energy",
    "normal_state_energy",
    "gap_equation",
    "landau_coefficients",
    "bcs_gap",
    "gap_solutions",
    "equilibrium_gap",
    "sarma_gap",
    "clogston_field",
    "first_order_field",
    "second_order_field",
    "tricritical_point",
    "supercooling_field",
    "superheating_field",
    "fflo_field",
    "fflo_pair_susceptibility",
    "fflo_instability",
    "phase_diagram",
    "spin_split_dos",
    "spin_resolved_dos",
    "tunnelling_conductance",
    "tunnelling_threshold",
    "clogston_field_tesla",
    "zeeman_energy_mev",
    "orbital_field_film_tesla",
    "orbital_field_grain_tesla",
    "flux_fraction",
    "cc_spin_flip_field",
    "first_order_field_low_t",
    "clogston_field_fermi_liquid",
    "spin_orbit_pair_susceptibility",
    "spin_orbit_instability_field",
    "AL_K_F_PER_NM",
    "dirty_film_scales",
    "orbital_field_film_dirty_tesla",
]

#: Critical temperature in units of the T = 0 gap, Tc / Delta0 = exp(gamma_E) / pi.
TC = float(np.exp(np.euler_gamma) / np.pi)

#: Bohr magneton in meV per tesla (CODATA 2018).
MU_B_MEV_PER_T = 5.7883818060e-2

#: Superconducting flux quantum pi hbar / e (= 2 pi hbar / 2e) in webers (T m^2).
FLUX_QUANTUM_WB = 2.067833848e-15

#: Boltzmann constant in meV per kelvin.
K_B_MEV_PER_K = 8.617333262e-2

_PSI_HALF = float(special.digamma(0.5))
_H_CC = 1.0 / math.sqrt(2.0)
# Matsubara sums run up to omega_n ~ _OMEGA_CUT * max(1, Delta, h); the rest is
# added from an asymptotic (Euler-Maclaurin) expansion, so the result is
# accurate to ~1e-10 independently of T.
_OMEGA_CUT = 12.0
_MAX_MATSUBARA = 2_000_000
_TAIL_ORDER = 7
# thermal kernel -f'(E) is cut at |E| = _KERNEL_RANGE * T (weight lost ~ e^-30)
_KERNEL_RANGE = 30.0


# --------------------------------------------------------------------------
# input validation
# --------------------------------------------------------------------------
def _check_scalar(name, value, low=None, high=None, low_open=False, high_open=False):
    """Return ``value`` as float after checking it is real, finite and in range."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (Real, np.number)):
        arr = np.asarray(value)
        if arr.ndim != 0 or not np.issubdtype(arr.dtype, np.number):
            raise ValueError(f"{name} must be a real number, got {value!r}")
        value = arr.item()
    if isinstance(value, complex):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    v = float(value)
    if not math.isfinite(v):
        raise ValueError(f"{name} must be finite, got {v}")
    if low is not None and (v < low or (low_open and v == low)):
        op = ">" if low_open else ">="
        rng = f"{name} must be {op} {low:g}"
        if high is not None:
            rng += f" and {'<' if high_open else '<='} {high:g}"
        raise ValueError(f"{rng}, got {v}")
    if high is not None and (v > high or (high_open and v == high)):
        op = "<" if high_open else "<="
        rng = f"{name} must be {op} {high:g}"
        if low is not None:
            rng = f"{name} must be in [{low:g}, {high:g}{')' if high_open else ']'}"
        raise ValueError(f"{rng}, got {v}")
    return v


def _check_array(name, value, low=None):
    """Return ``value`` as a float ndarray after checking finiteness and a lower bound."""
    arr = np.asarray(value)
    if not (np.issubdtype(arr.dtype, np.floating) or np.issubdtype(arr.dtype, np.integer)):
        raise ValueError(f"{name} must be real numbers, got dtype {arr.dtype}")
    arr = arr.astype(float)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if low is not None and np.any(arr < low):
        raise ValueError(f"{name} must be >= {low:g}, got min {arr.min()}")
    return arr


def _scalar_or_array(out, *inputs):
    """Return a Python float when every input was a scalar."""
    if all(np.ndim(x) == 0 for x in inputs):
        return float(np.asarray(out).reshape(()))
    return out


# --------------------------------------------------------------------------
# Matsubara machinery
# --------------------------------------------------------------------------
def _hurwitz_tail(p, w):
    r"""Asymptotic :math:`\sum_{k\ge0} (k + w)^{-p}` for large ``|w|``, Re w > 0.

    Euler-Maclaurin with four Bernoulli terms; relative error below 1e-12
    for ``|w| >= 16``.
    """
    w = np.asarray(w, dtype=complex)
    out = w ** (1 - p) / (p - 1) + 0.5 * w ** (-p)
    # B_2 = 1/6, B_4 = -1/30, B_6 = 1/42, B_8 = -1/30
    bern = ((2, 1.0 / 6.0), (4, -1.0 / 30.0), (6, 1.0 / 42.0), (8, -1.0 / 30.0))
    for k, b in bern:
        rising = math.prod(range(p, p + k - 1))  # p (p+1) ... (p+k-2)
        out = out + b / math.factorial(k) * rising * w ** (-p - k + 1)
    return out


def _hurwitz(p, z, shift=24):
    r""":math:`\sum_{k\ge0} (k + z)^{-p}` for complex ``z`` with Re z > 0 (p >= 2)."""
    z = np.asarray(z, dtype=complex)
    k = np.arange(shift).reshape((shift,) + (1,) * z.ndim)
    head = np.sum((k + z) ** (-p), axis=0)
    return head + _hurwitz_tail(p, z + shift)


def _n_matsubara(T, scale):
    n = int(math.ceil(_OMEGA_CUT * scale / (2.0 * math.pi * T))) + 16
    if n > _MAX_MATSUBARA:
        raise ValueError(
            f"T must be >= {_OMEGA_CUT * scale / (2 * math.pi * _MAX_MATSUBARA):.2g} "
            f"for the Matsubara sum (use T = 0 for the closed form), got {T}"
        )
    return n


def _a2(T, h):
    """Coefficient of Delta^2 in the free energy (normal-state pair stiffness)."""
    y = h / (2.0 * math.pi * T)
    return math.log(T / TC) + float(np.real(special.digamma(0.5 + 1j * y))) - _PSI_HALF


def _matsubara_grid(T, h, scale):
    n = _n_matsubara(T, scale)
    wt = 2.0 * math.pi * T * (np.arange(n) + 0.5) + 1j * h
    w_tail = n + 0.5 + 1j * h / (2.0 * math.pi * T)
    return wt, w_tail


def _free_energy_T(delta, T, h):
    """Matsubara free energy for T > 0, delta a 1-D array."""
    dmax = float(delta.max()) if delta.size else 0.0
    wt, w_tail = _matsubara_grid(T, h, max(1.0, dmax, h))
    two_pi_t = 2.0 * math.pi * T
    out = _a2(T, h) * delta**2
    d2 = delta[:, None] ** 2
    # chunk over delta to bound memory
    chunk = max(1, 4_000_000 // wt.size)
    s = np.empty(delta.shape)
    for i in range(0, delta.size, chunk):
        dd = d2[i:i + chunk]
        root = np.sqrt(wt**2 + dd)
        s[i:i + chunk] = np.sum(np.real(dd**2 / (wt * (wt + root) ** 2)), axis=1)
    # tail n >= N from the expansion of the summand in x = Delta^2 / w^2:
    # -2 sum_{k>=2} binom(1/2, k) Delta^(2k) w^(1-2k)
    tail = np.zeros_like(delta)
    for k in range(2, _TAIL_ORDER + 2):
        sk = np.real(_hurwitz_tail(2 * k - 1, w_tail)) / two_pi_t ** (2 * k - 1)
        tail = tail - 2.0 * special.binom(0.5, k) * delta ** (2 * k) * sk
    return out + two_pi_t * (s + tail)


def _gap_function_T(delta, T, h):
    """(dF/dDelta)/(2 Delta) for T > 0, delta a 1-D array (Matsubara)."""
    dmax = float(delta.max()) if delta.size else 0.0
    wt, w_tail = _matsubara_grid(T, h, max(1.0, dmax, h))
    two_pi_t = 2.0 * math.pi * T
    d2 = delta[:, None] ** 2
    chunk = max(1, 4_000_000 // wt.size)
    s = np.empty(delta.shape)
    for i in range(0, delta.size, chunk):
        dd = d2[i:i + chunk]
        root = np.sqrt(wt**2 + dd)
        s[i:i + chunk] = np.sum(np.real(dd / (wt * root * (root + wt))), axis=1)
    # tail: -sum_{k>=1} binom(-1/2, k) Delta^(2k) w^(-2k-1)
    tail = np.zeros_like(delta)
    for k in range(1, _TAIL_ORDER + 1):
        sk = np.real(_hurwitz_tail(2 * k + 1, w_tail)) / two_pi_t ** (2 * k + 1)
        tail = tail - special.binom(-0.5, k) * delta ** (2 * k) * sk
    return _a2(T, h) + two_pi_t * (s + tail)


def _free_energy_0(delta, h):
    """Closed-form T = 0 free energy, delta an array."""
    d = delta
    out = np.empty_like(d)
    gapped = d >= h
    dg = d[gapped]
    out[gapped] = special.xlogy(dg**2, dg) - 0.5 * dg**2 + h**2
    dn = d[~gapped]
    root = np.sqrt(h**2 - dn**2)
    out[~gapped] = dn**2 * (np.log(h + root) - 0.5) + h**2 - h * root
    return out


def _gap_function_0(delta, h):
    """Closed-form T = 0 value of (dF/dDelta)/(2 Delta); -inf at Delta = 0 = h."""
    d = delta
    out = np.empty_like(d)
    gapped = d >= h
    with np.errstate(divide="ignore"):
        out[gapped] = np.log(d[gapped])
    dn = d[~gapped]
    out[~gapped] = np.log(h + np.sqrt(h**2 - dn**2))
    return out


# --------------------------------------------------------------------------
# free energy and gap equation
# --------------------------------------------------------------------------
def free_energy(delta, T, h):
    r"""Condensation free energy :math:`(\Omega_S - \Omega_N)/(N(0)\Delta_0^2)`.

    Uniform singlet order parameter ``delta`` at temperature ``T`` and
    Zeeman energy ``h``, weak coupling, cutoff eliminated with
    :math:`\Delta_0` (module docstring). ``T = 0`` uses the closed form,
    ``T > 0`` the Matsubara sum with an asymptotic tail.

    Parameters
    ----------
    delta : float or array_like
        Gap parameter(s) :math:`\Delta/\Delta_0 \ge 0`; vectorised.
    T : float
        Temperature :math:`k_B T/\Delta_0 \ge 0`.
    h : float
        Zeeman energy :math:`\mu_B B/\Delta_0 \ge 0`.

    Returns
    -------
    float or ndarray
        Same shape as ``delta``; 0 for ``delta = 0`` (normal state at the same
        ``T``, ``h``).

    Raises
    ------
    ValueError
        If ``delta``, ``T`` or ``h`` is negative or not finite, or if ``T`` is
        so small (but non-zero) that the Matsubara sum would be too long.

    References
    ----------
    Clogston, PRL 9, 266 (1962); Sarma, J. Phys. Chem. Solids 24, 1029
    (1963); seed ``braun1997`` (CC argument). Chapter 1, section "The free
    energy landscape".

    Examples
    --------
    >>> from pairing_lib.clogston import free_energy
    >>> float(free_energy(1.0, 0.0, 0.5))   # -1/2 + h^2
    -0.25
    """
    T = _check_scalar("T", T, low=0.0)
    h = _check_scalar("h", h, low=0.0)
    d = _check_array("delta", delta, low=0.0)
    flat = np.atleast_1d(d).ravel()
    if T == 0.0:
        out = _free_energy_0(flat, h)
    else:
        out = _free_energy_T(flat, T, h)
    return _scalar_or_array(out.reshape(np.shape(d)), delta)


def normal_state_energy(T, h):
    r"""Grand potential of the normal metal relative to :math:`T = 0,\ h = 0`.

    For a constant density of states the Sommerfeld expansion terminates:

    .. math::  \frac{\Omega_N(T, h) - \Omega_N(0, 0)}{N(0)}
               = -h^2 - \frac{\pi^2 T^2}{3},

    the first term being the Pauli energy :math:`-\chi_P B^2/2` with
    :math:`\chi_P = 2N(0)\mu_B^2`.

    Parameters
    ----------
    T, h : float or array_like
        Temperature and Zeeman energy >= 0 (units of :math:`\Delta_0`).

    Returns
    -------
    float or ndarray
        In units of :math:`N(0)\Delta_0^2`.

    Raises
    ------
    ValueError
        If ``T`` or ``h`` is negative.

    References
    ----------
    Clogston (1962); chapter 1, eq. ``ch1-pauli``.
    """
    Ts = _check_array("T", T, low=0.0)
    hs = _check_array("h", h, low=0.0)
    return _scalar_or_array(-(hs**2) - math.pi**2 * Ts**2 / 3.0, T, h)


def gap_equation(delta, T, h):
    r"""Gap-equation residual :math:`g = (\partial F/\partial\Delta)/(2\Delta)`.

    Stationary points of :func:`free_energy` with :math:`\Delta > 0` are the
    zeros of ``g``:

    .. math::

        g(\Delta) = \ln\frac{T}{T_c} + 2\pi T \sum_{n\ge0}
        \mathrm{Re}\Big(\frac{1}{\omega_n}
        - \frac{1}{\sqrt{\tilde\omega_n^2 + \Delta^2}}\Big),

    at :math:`T = 0`: :math:`\ln\Delta` for :math:`h \le \Delta` and
    :math:`\ln(h + \sqrt{h^2 - \Delta^2})` for :math:`h > \Delta`.

    Parameters
    ----------
    delta : float or array_like
        Gap parameter(s) > 0 (units of :math:`\Delta_0`); vectorised.
    T, h : float
        Temperature and Zeeman energy (units of :math:`\Delta_0`), >= 0.

    Returns
    -------
    float or ndarray
        ``g``; negative where increasing :math:`\Delta` lowers the free energy.

    Raises
    ------
    ValueError
        If ``delta <= 0`` or ``T``, ``h`` < 0.

    References
    ----------
    Chapter 1, eq. ``ch1-gap-eq``; Sarma (1963).
    """
    T = _check_scalar("T", T, low=0.0)
    h = _check_scalar("h", h, low=0.0)
    d = _check_array("delta", delta)
    if np.any(d <= 0):
        raise ValueError(f"delta must be > 0, got min {d.min()}")
    flat = np.atleast_1d(d).ravel()
    out = _gap_function_0(flat, h) if T == 0.0 else _gap_function_T(flat, T, h)
    return _scalar_or_array(out.reshape(np.shape(d)), delta)


def landau_coefficients(T, h):
    r"""Landau expansion :math:`F \simeq a\,\Delta^2 + b\,\Delta^4` of the free energy.

    .. math::

        a = \ln\frac{T}{T_c} + \mathrm{Re}\,\psi\big(\tfrac12 + i y\big)
        - \psi\big(\tfrac12\big), \qquad
        b = -\frac{\mathrm{Re}\,\psi''\big(\tfrac12 + i y\big)}{8(2\pi T)^2},
        \qquad y = \frac{h}{2\pi T}.

    At :math:`h = 0`: :math:`b = 7\zeta(3)/(16\pi^2T^2)`.

    Parameters
    ----------
    T : float
        Temperature > 0 (units of :math:`\Delta_0`).
    h : float
        Zeeman energy >= 0.

    Returns
    -------
    (a, b) : tuple of float

    Raises
    ------
    ValueError
        If ``T <= 0`` or ``h < 0``.

    References
    ----------
    Sarma (1963); Maki and Tsuneto (1964). Chapter 1, section "Tricritical
    point".
    """
    T = _check_scalar("T", T, low=0.0, low_open=True)
    h = _check_scalar("h", h, low=0.0)
    z = 0.5 + 1j * h / (2 * math.pi * T)
    b = float(np.real(_hurwitz(3, z))) / (4 * (2 * math.pi * T) ** 2)
    return _a2(T, h), b


# --------------------------------------------------------------------------
# gap branches and equilibrium
# --------------------------------------------------------------------------
@functools.lru_cache(maxsize=4096)
def _bcs_gap_cached(T):
    if T == 0.0:
        return 1.0
    if T >= TC:
        return 0.0

    def g(d):
        return float(_gap_function_T(np.array([d]), T, 0.0)[0])

    lo = 1e-12
    if g(lo) >= 0:  # only within rounding of Tc
        return 0.0
    return optimize.brentq(g, lo, 1.0 + 1e-9, xtol=1e-14, rtol=1e-13, maxiter=200)


def bcs_gap(T):
    r"""Zero-field BCS gap :math:`\Delta(T)/\Delta_0` (0 for :math:`T \ge T_c`).

    Parameters
    ----------
    T : float or array_like
        Temperature(s) >= 0 in units of :math:`\Delta_0`.

    Returns
    -------
    float or ndarray

    Raises
    ------
    ValueError
        If ``T`` < 0.

    References
    ----------
    Bardeen, Cooper and Schrieffer, Phys. Rev. 108, 1175 (1957); chapter 1.
    """
    Ts = _check_array("T", T, low=0.0)
    out = np.array([_bcs_gap_cached(float(t)) for t in np.atleast_1d(Ts).ravel()])
    return _scalar_or_array(out.reshape(np.shape(Ts)), T)


def sarma_gap(h):
    r"""The unstable T = 0 Sarma branch :math:`\Delta = \sqrt{\Delta_0 (2h - \Delta_0)}`.

    It is the free-energy *maximum* that separates the normal minimum from the
    BCS minimum :math:`\Delta = \Delta_0` for :math:`\Delta_0/2 < h < \Delta_0`.

    Parameters
    ----------
    h : float or array_like
        Zeeman energy in :math:`[1/2, 1]` (units of :math:`\Delta_0`).

    Returns
    -------
    float or ndarray

    Raises
    ------
    ValueError
        If ``h`` is outside :math:`[1/2, 1]`.

    References
    ----------
    Sarma, J. Phys. Chem. Solids 24, 1029 (1963); chapter 1, eq. ``ch1-sarma``.
    """
    hs = _check_array("h", h)
    if np.any(hs < 0.5) or np.any(hs > 1.0):
        raise ValueError(f"h must be in [0.5, 1] for the Sarma branch, got {h!r}")
    return _scalar_or_array(np.sqrt(2.0 * hs - 1.0), h)


def _delta_grid(dbcs):
    """Scan grid of gap values on (0, Delta_BCS(T)], dense near 0 and near the top."""
    top = dbcs * (1 + 1e-12)
    return np.unique(np.concatenate([np.geomspace(1e-6 * top, 0.05 * top, 30),
                                     np.linspace(0.05 * top, 0.98 * top, 120),
                                     top * (1 - np.geomspace(0.02, 1e-12, 40))[:-1], [top]]))


def _stationary(T, h):
    """All stationary Delta > 0 of F at finite T: (minima, maxima), sorted."""
    dbcs = _bcs_gap_cached(T)
    if dbcs <= 0.0:
        return [], []
    if h == 0.0:
        return [dbcs], []
    grid = _delta_grid(dbcs)
    g = _gap_function_T(grid, T, h)

    def gs(d):
        return float(_gap_function_T(np.array([d]), T, h)[0])

    mins, maxs = [], []
    for i in range(grid.size - 1):
        if g[i] == 0.0:
            (mins if g[i + 1] > 0 else maxs).append(float(grid[i]))
        elif g[i] * g[i + 1] < 0:
            root = optimize.brentq(gs, grid[i], grid[i + 1], xtol=1e-14, rtol=1e-13,
                                   maxiter=200)
            (mins if g[i] < 0 else maxs).append(root)
    return mins, maxs


def gap_solutions(T, h):
    r"""All solutions :math:`\Delta > 0` of the gap equation, with their stability.

    Parameters
    ----------
    T, h : float
        Temperature and Zeeman energy >= 0 (units of :math:`\Delta_0`).

    Returns
    -------
    minima, maxima : list of float
        Local minima (metastable or stable superconducting states) and local
        maxima (Sarma states) of :func:`free_energy`, sorted. At ``T = 0``
        the closed forms :math:`\Delta_0` (for :math:`h < \Delta_0`) and
        :func:`sarma_gap` (for :math:`\Delta_0/2 \le h < \Delta_0`) are used.

    Raises
    ------
    ValueError
        If ``T`` or ``h`` is negative.

    References
    ----------
    Sarma (1963); chapter 1, section "Stable, metastable and unstable states".
    """
    T = _check_scalar("T", T, low=0.0)
    h = _check_scalar("h", h, low=0.0)
    if T == 0.0:
        mins = [1.0] if h < 1.0 else []
        maxs = [math.sqrt(2 * h - 1)] if 0.5 < h < 1.0 else []
        return mins, maxs
    return _stationary(T, h)


def _equilibrium_scalar(T, h):
    if T == 0.0:
        return 1.0 if h <= _H_CC else 0.0
    mins, _ = _stationary(T, h)
    if not mins:
        return 0.0
    f = _free_energy_T(np.array(mins), T, h)
    i = int(np.argmin(f))
    return float(mins[i]) if f[i] < 0.0 else 0.0


def equilibrium_gap(T, h):
    r"""Gap of the thermodynamically stable uniform state (0 when normal).

    The global minimum of :func:`free_energy` over :math:`\Delta \ge 0`. At
    ``T = 0`` this is :math:`\Delta_0` for :math:`h \le h_{CC}` and 0 above
    (at exactly :math:`h_{CC}` the two phases coexist; the superconducting
    value is returned).

    Parameters
    ----------
    T : float or array_like
        Temperature(s) >= 0 (units of :math:`\Delta_0`).
    h : float or array_like
        Zeeman energy (energies) >= 0; broadcast against ``T``.

    Returns
    -------
    float or ndarray

    Raises
    ------
    ValueError
        If ``T`` or ``h`` is negative or not finite.

    References
    ----------
    Clogston (1962); Sarma (1963); chapter 1, section "Phase diagram".

    Examples
    --------
    >>> from pairing_lib.clogston import equilibrium_gap
    >>> equilibrium_gap(0.0, 0.7), equilibrium_gap(0.0, 0.71)
    (1.0, 0.0)
    """
    Ts = _check_array("T", T, low=0.0)
    hs = _check_array("h", h, low=0.0)
    Tb, hb = np.broadcast_arrays(Ts, hs)
    out = np.array([_equilibrium_scalar(float(t), float(x))
                    for t, x in zip(Tb.ravel(), hb.ravel())]).reshape(Tb.shape)
    return _scalar_or_array(out, T, h)


# --------------------------------------------------------------------------
# critical fields
# --------------------------------------------------------------------------
def clogston_field():
    r"""Clogston-Chandrasekhar field :math:`h_{CC} = \Delta_0/\sqrt2` at T = 0.

    Condensation energy :math:`N(0)\Delta_0^2/2` equals the Pauli energy
    :math:`N(0)h^2` gained by the polarised normal state.

    Returns
    -------
    float

    References
    ----------
    Clogston, PRL 9, 266 (1962); Chandrasekhar, APL 1, 7 (1962); seed
    ``braun1997`` (text before Eq. (1)). Chapter 1, eq. ``ch1-hcc``.
    """
    return _H_CC


@functools.lru_cache(maxsize=1)
def _tricritical():
    # b = 0  <=>  Re sum_k (k + 1/2 + i y)^-3 = 0
    def b(y):
        return float(np.real(_hurwitz(3, 0.5 + 1j * y)))

    y = optimize.brentq(b, 0.05, 2.0, xtol=1e-15, rtol=1e-14, maxiter=200)
    lnratio = float(np.real(special.digamma(0.5 + 1j * y))) - _PSI_HALF
    t_star = TC * math.exp(-lnratio)
    return t_star, 2 * math.pi * t_star * y


def tricritical_point():
    r"""Tricritical point :math:`(T^*, h^*)` where the transition changes order.

    Both Landau coefficients vanish: :math:`a(T^*, h^*) = b(T^*, h^*) = 0`
    (:func:`landau_coefficients`). Numerically :math:`T^* \approx 0.561\,T_c
    \approx 0.318\,\Delta_0` and :math:`h^* \approx 0.608\,\Delta_0`.

    Returns
    -------
    (T_star, h_star) : tuple of float

    References
    ----------
    Sarma (1963); Maki and Tsuneto, Prog. Theor. Phys. 31, 945 (1964);
    chapter 1, eq. ``ch1-tricritical``.
    """
    return _tricritical()


def _instability_scalar(T):
    """Field where a(T, h) = 0 (normal state locally unstable below it)."""
    if T == 0.0:
        return 0.5
    if T >= TC:
        raise ValueError(f"T must be < Tc = {TC:.6f}, got {T}")
    lnr = math.log(TC / T)

    def f(h):
        return float(np.real(special.digamma(0.5 + 1j * h / (2 * math.pi * T)))) - _PSI_HALF - lnr

    hi = 1.0
    while f(hi) < 0:
        hi *= 2.0
    return optimize.brentq(f, 0.0, hi, xtol=1e-14, rtol=1e-13, maxiter=200)


def _vector_line(func, name, T, low, high, high_open):
    Ts = _check_array(name, T)
    flat = np.atleast_1d(Ts).ravel()
    for t in flat:
        _check_scalar(name, t, low=low, high=high, high_open=high_open)
    out = np.array([func(float(t)) for t in flat]).reshape(np.shape(Ts))
    return _scalar_or_array(out, T)


def supercooling_field(T):
    r"""Supercooling field: below it the normal state is locally unstable.

    The line :math:`a(T, h) = 0`:
    :math:`\ln(T_c/T) = \mathrm{Re}\,\psi(\tfrac12 + \tfrac{ih}{2\pi T}) -
    \psi(\tfrac12)`; :math:`h = \Delta_0/2` at ``T = 0``. Above :math:`T^*` it
    is the second-order line.

    Parameters
    ----------
    T : float or array_like
        Temperature(s) in :math:`[0, T_c)` (units of :math:`\Delta_0`).

    Returns
    -------
    float or ndarray

    Raises
    ------
    ValueError
        If ``T`` is outside :math:`[0, T_c)`.

    References
    ----------
    Sarma (1963); Saint-James, Sarma and Thomas (1969). Chapter 1.
    """
    return _vector_line(_instability_scalar, "T", T, 0.0, TC, True)


def second_order_field(T):
    r"""Second-order (continuous) transition field for :math:`T^* \le T < T_c`.

    Same equation as :func:`supercooling_field`; above the tricritical
    temperature the quartic Landau coefficient is positive and the
    transition at :math:`a = 0` is continuous.

    Parameters
    ----------
    T : float or array_like
        Temperature(s) in :math:`[T^*, T_c)`.

    Returns
    -------
    float or ndarray

    Raises
    ------
    ValueError
        If ``T`` is outside :math:`[T^*, T_c)`.

    References
    ----------
    Sarma (1963); Maki and Tsuneto (1964). Chapter 1, section "Phase diagram".
    """
    t_star, _ = _tricritical()
    return _vector_line(_instability_scalar, "T", T, t_star, TC, True)


def _min_gap_function(T, h):
    """min over 0 < Delta <= Delta_BCS(T) of g(Delta; T, h), and its argmin."""
    dbcs = _bcs_gap_cached(T)
    grid = _delta_grid(dbcs)
    g = _gap_function_T(grid, T, h)
    i = int(np.argmin(g))
    if i == 0:
        return float(g[0]), float(grid[0])
    lo, hi = grid[i - 1], grid[min(i + 1, grid.size - 1)]
    res = optimize.minimize_scalar(lambda d: float(_gap_function_T(np.array([d]), T, h)[0]),
                                   bounds=(lo, hi), method="bounded",
                                   options={"xatol": 1e-12, "maxiter": 500})
    if res.fun < g[i]:
        return float(res.fun), float(res.x)
    return float(g[i]), float(grid[i])


@functools.lru_cache(maxsize=2048)
def _superheating_point(T):
    """(Delta_sh, h_sh): largest field with a solution of the gap equation.

    g(Delta; T, h) increases with h for every Delta, so min_Delta g is
    increasing in h and its zero is unique.
    """
    if T == 0.0:
        return 1.0, 1.0
    h = optimize.brentq(lambda x: _min_gap_function(T, x)[0], 0.0, 1.05, xtol=1e-13,
                        rtol=1e-12, maxiter=200)
    return _min_gap_function(T, h)[1], h


def _superheating_scalar(T):
    if T == 0.0:
        return 1.0
    t_star, _ = _tricritical()
    if T >= t_star:
        return _instability_scalar(T)
    return _superheating_point(T)[1]


def superheating_field(T):
    r"""Superheating field: above it no superconducting (meta)stable state exists.

    The largest field at which the gap equation still has a solution
    (the point where the BCS minimum and the Sarma maximum merge);
    :math:`\Delta_0` at ``T = 0``. For :math:`T \ge T^*` it coincides with the
    second-order line.

    Parameters
    ----------
    T : float or array_like
        Temperature(s) in :math:`[0, T_c)`.

    Returns
    -------
    float or ndarray

    Raises
    ------
    ValueError
        If ``T`` is outside :math:`[0, T_c)`.

    References
    ----------
    Sarma (1963); Maki and Tsuneto (1964). Chapter 1.
    """
    return _vector_line(_superheating_scalar, "T", T, 0.0, TC, True)


def _upper_minimum_energy(T, h):
    """Free energy of the largest-gap local minimum (+1 if there is none)."""
    mins, _ = _stationary(T, h)
    if not mins:
        return 1.0
    return float(_free_energy_T(np.array([mins[-1]]), T, h)[0])


@functools.lru_cache(maxsize=2048)
def _first_order_scalar(T):
    if T == 0.0:
        return _H_CC
    t_star, h_star = _tricritical()
    if T >= t_star * (1 - 1e-9):
        return h_star
    lo = _instability_scalar(T)
    hi = _superheating_point(T)[1]
    if _upper_minimum_energy(T, lo) >= 0.0 or hi <= lo:  # only within rounding of T*
        return lo
    # the upper minimum crosses F = 0 once between supercooling and superheating;
    # beyond the superheating field the function is +1 (no minimum), still > 0
    return optimize.brentq(lambda x: _upper_minimum_energy(T, x), lo, hi * (1 + 1e-9),
                           xtol=1e-12, rtol=1e-12, maxiter=200)


def first_order_field(T):
    r"""First-order transition field for :math:`0 \le T \le T^*`.

    Where the superconducting minimum of :func:`free_energy` has the same
    free energy as the normal state; :math:`\Delta_0/\sqrt2` at ``T = 0``.

    Parameters
    ----------
    T : float or array_like
        Temperature(s) in :math:`[0, T^*]` (units of :math:`\Delta_0`).

    Returns
    -------
    float or ndarray

    Raises
    ------
    ValueError
        If ``T`` is outside :math:`[0, T^*]`.

    References
    ----------
    Sarma (1963); Maki and Tsuneto (1964); chapter 1, section "Phase diagram".
    """
    t_star, _ = _tricritical()
    return _vector_line(_first_order_scalar, "T", T, 0.0, t_star, False)


# --------------------------------------------------------------------------
# FFLO
# --------------------------------------------------------------------------
def _fflo_a_T0(q, h, dim):
    """T = 0 pair stiffness at pair momentum: <ln 2|h + Q u|>_u, Q = v_F q / 2."""
    Q = np.asarray(q, dtype=float) / 2.0
    if dim == 3:
        out = np.empty_like(Q)
        small = Q < 1e-9 * max(h, 1e-300)
        out[small] = math.log(2 * h) if h > 0 else -np.inf
        Qb = Q[~small]
        with np.errstate(divide="ignore", invalid="ignore"):
            a = special.xlogy(h + Qb, np.abs(h + Qb)) - special.xlogy(h - Qb, np.abs(h - Qb))
        out[~small] = a / (2 * Qb) - 1.0 + math.log(2.0)
        return out
    # dim == 2: average over the angle of ln 2|h + Q cos phi|
    return np.where(Q <= h, np.log(h + np.sqrt(np.maximum(h**2 - Q**2, 0.0))),
                    np.log(np.maximum(Q, 1e-300)))


def _fflo_a_T(q, T, h, dim):
    """Finite-T pair stiffness at momentum q (3D angular average via log Gamma)."""
    Q = np.asarray(q, dtype=float) / 2.0
    a = 0.5 + 1j * h / (2 * math.pi * T)
    b = Q / (2 * math.pi * T)
    if dim != 3:
        raise ValueError(f"dim must be 3 at T > 0, got {dim}")
    out = np.empty(Q.shape, dtype=complex)
    small = b < 1e-4
    bs = b[small]
    # psi(a) - b^2 psi''(a)/6 + b^4 psi''''(a)/120 ; psi'' = -2 S3, psi'''' = -24 S5
    out[small] = special.digamma(a) + bs**2 * _hurwitz(3, a) / 3 - bs**4 * _hurwitz(5, a) / 5
    bl = b[~small]
    out[~small] = (special.loggamma(a + 1j * bl) - special.loggamma(a - 1j * bl)) / (2j * bl)
    return math.log(T / TC) + np.real(out) - _PSI_HALF


def fflo_pair_susceptibility(q, T, h, dim=3):
    r"""Inverse pair susceptibility :math:`a(q; T, h)` of the normal state.

    The coefficient of :math:`|\Delta_q|^2` for a pair amplitude with
    centre-of-mass momentum :math:`q`; the normal state is unstable towards
    a Fulde-Ferrell / Larkin-Ovchinnikov state where it is negative. With
    :math:`Q = v_F q/2` (Doppler shift) and :math:`u = \cos\theta`,

    .. math::

        a = \ln\frac{T}{T_c} + \Big\langle \mathrm{Re}\,\psi\Big(\tfrac12
        + i\frac{h + Qu}{2\pi T}\Big)\Big\rangle_u - \psi\big(\tfrac12\big)
        \;\xrightarrow{T\to0}\; \big\langle \ln 2|h + Qu|\big\rangle_u .

    Parameters
    ----------
    q : float or array_like
        :math:`\hbar v_F q/\Delta_0 \ge 0` (pair momentum times Fermi velocity).
    T : float
        Temperature in :math:`[0, T_c)`.
    h : float
        Zeeman energy > 0.
    dim : {3, 2}
        Dimension of the Fermi surface average (2 only at ``T = 0``).

    Returns
    -------
    float or ndarray

    Raises
    ------
    ValueError
        For negative ``q``, ``T`` outside :math:`[0, T_c)`, ``h <= 0`` or a
        ``dim`` other than 2 or 3 (2 requires ``T = 0``).

    References
    ----------
    Fulde and Ferrell, Phys. Rev. 135, A550 (1964); Larkin and Ovchinnikov,
    Sov. Phys. JETP 20, 762 (1965). Chapter 1, section "Beyond the paper".
    """
    if dim not in (2, 3):
        raise ValueError(f"dim must be 2 or 3, got {dim!r}")
    T = _check_scalar("T", T, low=0.0, high=TC, high_open=True)
    h = _check_scalar("h", h, low=0.0, low_open=True)
    qs = _check_array("q", q, low=0.0)
    flat = np.atleast_1d(qs).ravel()
    out = _fflo_a_T0(flat, h, dim) if T == 0.0 else _fflo_a_T(flat, T, h, dim)
    return _scalar_or_array(out.reshape(np.shape(qs)), q)


def fflo_field(dim=3):
    r"""T = 0 field below which the normal state is unstable to an FFLO state.

    In 3D the optimal Doppler ratio :math:`z = v_F q/(2h)` solves
    :math:`z = \coth z` (:math:`z \approx 1.1997`) and

    .. math::

        h_{FFLO} = \frac{\Delta_0}{2}\exp\!\Big[1 - \frac{(1+z)\ln(1+z)
        + (z-1)\ln(z-1)}{2z}\Big] \approx 0.7545\,\Delta_0 ;

    in 2D it is :math:`\Delta_0` (at :math:`v_F q = 2h`).

    Parameters
    ----------
    dim : {3, 2}

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``dim`` is not 2 or 3.

    References
    ----------
    Fulde and Ferrell (1964); Larkin and Ovchinnikov (1965); chapter 1, eq.
    ``ch1-fflo``.
    """
    if dim == 2:
        return 1.0
    if dim != 3:
        raise ValueError(f"dim must be 2 or 3, got {dim!r}")
    z = optimize.brentq(lambda z: z - 1.0 / math.tanh(z), 1.01, 2.0, xtol=1e-15)
    phi = ((1 + z) * math.log(1 + z) + (z - 1) * math.log(z - 1)) / (2 * z) - 1.0
    return 0.5 * math.exp(-phi)


def _fflo_line_scalar(T):
    """(h, q) of the FFLO instability at T (3D)."""
    if T == 0.0:
        h = fflo_field()
        z = optimize.brentq(lambda z: z - 1.0 / math.tanh(z), 1.01, 2.0, xtol=1e-15)
        return h, 2 * z * h
    h2 = _instability_scalar(T)

    def best(h):
        qs = np.linspace(0.0, 6.0 * h, 121)
        a = _fflo_a_T(qs, T, h, 3)
        i = int(np.argmin(a))
        if i == 0:
            return float(a[0]), 0.0
        lo, hi = qs[max(i - 1, 0)], qs[min(i + 1, qs.size - 1)]
        res = optimize.minimize_scalar(lambda q: float(_fflo_a_T(np.array([q]), T, h, 3)[0]),
                                       bounds=(lo, hi), method="bounded",
                                       options={"xatol": 1e-10})
        if res.fun < a[0]:
            return float(res.fun), float(res.x)
        return float(a[0]), 0.0

    hi = max(h2, 0.5) + 0.05
    while best(hi)[0] <= 0:
        hi += 0.1
    lo = h2
    if best(lo)[0] > 0:  # pragma: no cover - a(0) = 0 at h2 by construction
        lo = h2 * (1 - 1e-9)
    h = optimize.brentq(lambda x: best(x)[0], lo, hi, xtol=1e-12, rtol=1e-12, maxiter=200)
    return h, best(h)[1]


def fflo_instability(T):
    r"""FFLO instability line of the normal state in the (T, h) plane (3D).

    The largest field at which :func:`fflo_pair_susceptibility` becomes zero
    for some pair momentum, and that momentum. Above the tricritical
    temperature the optimal momentum is zero and the line is the
    second-order line.

    Parameters
    ----------
    T : float or array_like
        Temperature(s) in :math:`[0, T_c)` (units of :math:`\Delta_0`).

    Returns
    -------
    h, q : float or ndarray
        Field and :math:`\hbar v_F q/\Delta_0` of the instability.

    Raises
    ------
    ValueError
        If ``T`` is outside :math:`[0, T_c)`.

    References
    ----------
    Fulde and Ferrell (1964); Larkin and Ovchinnikov (1965); Saint-James,
    Sarma and Thomas (1969). Chapter 1, section "Beyond the paper".
    """
    Ts = _check_array("T", T)
    flat = np.atleast_1d(Ts).ravel()
    for t in flat:
        _check_scalar("T", t, low=0.0, high=TC, high_open=True)
    res = np.array([_fflo_line_scalar(float(t)) for t in flat])
    h = res[:, 0].reshape(np.shape(Ts))
    q = res[:, 1].reshape(np.shape(Ts))
    return _scalar_or_array(h, T), _scalar_or_array(q, T)


@functools.lru_cache(maxsize=8)
def _phase_diagram_cached(num):
    t_star, h_star = _tricritical()
    t1 = np.linspace(0.0, t_star, num)
    t2 = np.linspace(t_star, TC * (1 - 1e-6), num)
    tf = np.linspace(0.0, TC * (1 - 1e-6), 2 * num)
    hf, qf = fflo_instability(tf)
    out = {
        "T_first": t1,
        "h_first": np.asarray(first_order_field(t1)),
        "h_supercool": np.asarray(supercooling_field(t1)),
        "h_superheat": np.asarray(superheating_field(t1)),
        "T_second": t2,
        "h_second": np.asarray(second_order_field(t2)),
        "T_fflo": tf,
        "h_fflo": np.asarray(hf),
        "q_fflo": np.asarray(qf),
        "tricritical": (t_star, h_star),
    }
    for v in out.values():
        if isinstance(v, np.ndarray):
            v.setflags(write=False)
    return out


def phase_diagram(num=25):
    r"""The (T, h) phase diagram of the uniform state, sampled on grids.

    Parameters
    ----------
    num : int
        Points per line (>= 3); the FFLO line has ``2 num``.

    Returns
    -------
    dict
        ``T_first, h_first`` (first-order line, :math:`0 \le T \le T^*`),
        ``h_supercool, h_superheat`` (metastability limits on ``T_first``),
        ``T_second, h_second`` (second-order line up to :math:`T_c`),
        ``T_fflo, h_fflo, q_fflo`` (FFLO instability, 3D) and
        ``tricritical`` = (T*, h*). Arrays are read-only (cached).

    Raises
    ------
    ValueError
        If ``num`` is not an integer >= 3.

    References
    ----------
    Sarma (1963); Maki and Tsuneto (1964); Saint-James, Sarma and Thomas
    (1969). Chapter 1, section "Phase diagram".
    """
    if int(num) != num or num < 3:
        raise ValueError(f"num must be an integer >= 3, got {num!r}")
    return _phase_diagram_cached(int(num))


# --------------------------------------------------------------------------
# tunnelling density of states
# --------------------------------------------------------------------------
def _bcs_dos(x, delta, gamma):
    """BCS DOS of one spin at energy x (Dynes broadening gamma)."""
    if delta == 0.0:
        return np.ones_like(x)
    if gamma > 0.0:
        z = x + 1j * gamma
        # sqrt(z - D) sqrt(z + D) is the retarded branch (~ z) for Im z > 0
        root = np.sqrt(z - delta) * np.sqrt(z + delta)
        return np.real(z / root)
    ax = np.abs(x)
    out = np.zeros_like(x)
    outside = ax > delta
    out[outside] = ax[outside] / np.sqrt(ax[outside] ** 2 - delta**2)
    out[ax == delta] = np.inf
    return out


def spin_split_dos(E, delta, h, broadening=0.0):
    r"""Normalised spin-split BCS tunnelling DOS (Meservey-Tedrow).

    .. math::

        \frac{N(E)}{2N(0)} = \frac12\sum_{\sigma=\pm}
        \mathrm{Re}\frac{z_\sigma}{\sqrt{z_\sigma^2 - \Delta^2}},
        \qquad z_\sigma = E - \sigma h + i\Gamma_D ,

    i.e. the BCS density of states of spin :math:`\sigma` shifted by
    :math:`\sigma h` (spin-up, Zeeman energy :math:`+h`, moves up; spin-down
    moves down), with Dynes broadening :math:`\Gamma_D` and the square root on
    the branch that behaves as :math:`z` at large :math:`|z|` (this gives
    :math:`|E|/\sqrt{E^2 - \Delta^2}` at :math:`h = \Gamma_D = 0`). Tends to 1 far
    from the gap and satisfies :math:`\int (N - 1)\,dE = 0`.

    Parameters
    ----------
    E : float or array_like
        Energy (bias) in units of :math:`\Delta_0`.
    delta : float
        Gap >= 0 (use :func:`equilibrium_gap`).
    h : float
        Zeeman energy >= 0.
    broadening : float
        Dynes broadening :math:`\Gamma_D \ge 0`. At 0 the coherence peaks are
        integrable divergences (``inf`` exactly at :math:`|E \pm h| = \Delta`).

    Returns
    -------
    float or ndarray
        Same shape as ``E``.

    Raises
    ------
    ValueError
        If ``delta``, ``h`` or ``broadening`` is negative or not finite.

    References
    ----------
    Meservey, Tedrow and Fulde, PRL 25, 1270 (1970); Meservey and Tedrow,
    Phys. Rep. 238, 173 (1994); Dynes et al., PRL 41, 1509 (1978).
    Chapter 1, section "Spin-split tunnelling".
    """
    delta = _check_scalar("delta", delta, low=0.0)
    h = _check_scalar("h", h, low=0.0)
    gamma = _check_scalar("broadening", broadening, low=0.0)
    x = _check_array("E", E)
    flat = np.atleast_1d(x).ravel()
    out = 0.5 * (_bcs_dos(flat - h, delta, gamma) + _bcs_dos(flat + h, delta, gamma))
    return _scalar_or_array(out.reshape(np.shape(x)), E)


def spin_resolved_dos(E, delta, h, broadening=0.0):
    r"""The two spin components of :func:`spin_split_dos`.

    Spin "up" (magnetic moment against the field, Zeeman energy :math:`+h`)
    has its BCS spectrum shifted up by :math:`h`; spin "down" is shifted
    down. Each component is normalised to 1/2 far from the gap, so that
    ``up + down == spin_split_dos(E, delta, h, broadening)``.

    Parameters
    ----------
    E : float or array_like
        Energy in units of :math:`\Delta_0`.
    delta, h, broadening : float
        As in :func:`spin_split_dos`.

    Returns
    -------
    up, down : float or ndarray

    Raises
    ------
    ValueError
        As :func:`spin_split_dos`.

    References
    ----------
    Meservey, Tedrow and Fulde (1970); chapter 1, section "Spin-split tunnelling".
    """
    delta = _check_scalar("delta", delta, low=0.0)
    h = _check_scalar("h", h, low=0.0)
    gamma = _check_scalar("broadening", broadening, low=0.0)
    x = _check_array("E", E)
    flat = np.atleast_1d(x).ravel()
    up = 0.5 * _bcs_dos(flat - h, delta, gamma)
    down = 0.5 * _bcs_dos(flat + h, delta, gamma)
    return (_scalar_or_array(up.reshape(np.shape(x)), E),
            _scalar_or_array(down.reshape(np.shape(x)), E))


def _dos_antiderivative(x, delta, gamma):
    """Re sqrt(z - D) sqrt(z + D), z = x + i gamma: an antiderivative of the BCS DOS."""
    z = x + 1j * gamma
    return np.real(np.sqrt(z - delta) * np.sqrt(z + delta))


def tunnelling_conductance(V, delta, h, T, broadening=0.0, points_per_T=16):
    r"""Normalised tunnelling conductance of an N-I-S junction at temperature T.

    .. math::

        \frac{G(V)}{G_N} = \int dE\, \frac{N(E)}{2N(0)}
        \Big(-\frac{\partial f(E - V)}{\partial E}\Big),
        \qquad -\frac{\partial f}{\partial E} = \frac{1}{4T\cosh^2(E/2T)} .

    The energy axis is cut into cells of width ``T / points_per_T``; the DOS
    is integrated *exactly* over each cell with its antiderivative
    :math:`\mathrm{Re}\sqrt{(E \mp h + i\Gamma_D)^2 - \Delta^2}` (so sharp
    coherence peaks, even with :math:`\Gamma_D = 0`, need no fine grid) and the
    smooth thermal kernel is taken at the cell centre, over :math:`\pm 30T`;
    the result on the cell-centre grid is interpolated linearly to ``V``.
    ``T = 0`` returns :func:`spin_split_dos`.

    Parameters
    ----------
    V : float or array_like
        Bias :math:`eV/\Delta_0`.
    delta, h, broadening : float
        As in :func:`spin_split_dos`.
    T : float
        Temperature >= 0 of the junction (units of :math:`\Delta_0`).
    points_per_T : int
        Cells per temperature unit (>= 4); the error falls like
        ``points_per_T**-2``.

    Returns
    -------
    float or ndarray

    Raises
    ------
    ValueError
        On negative ``T``, ``points_per_T`` < 4, a bias range too wide for the
        cell grid (more than 2e7 cells), or as :func:`spin_split_dos`.

    References
    ----------
    Meservey and Tedrow, Phys. Rep. 238, 173 (1994); chapter 1.
    """
    T = _check_scalar("T", T, low=0.0)
    if int(points_per_T) != points_per_T or points_per_T < 4:
        raise ValueError(f"points_per_T must be an integer >= 4, got {points_per_T!r}")
    Vs = _check_array("V", V)
    if T == 0.0:
        return spin_split_dos(V, delta, h, broadening)
    delta = _check_scalar("delta", delta, low=0.0)
    h = _check_scalar("h", h, low=0.0)
    gamma = _check_scalar("broadening", broadening, low=0.0)
    flat = np.atleast_1d(Vs).ravel()
    step = T / int(points_per_T)
    half = int(math.ceil(_KERNEL_RANGE * T / step))
    lo = float(flat.min()) - (half + 2) * step
    n_cells = int(math.ceil((float(flat.max()) - lo) / step)) + half + 3
    if n_cells > 20_000_000:
        raise ValueError(f"V range too wide for T = {T}: {n_cells} cells; raise T or split V")
    edges = lo + step * np.arange(n_cells + 1)
    prim = 0.5 * (_dos_antiderivative(edges - h, delta, gamma)
                  + _dos_antiderivative(edges + h, delta, gamma))
    weight = np.diff(prim)                    # integral of N / 2N(0) over each cell
    centres = edges[:-1] + 0.5 * step
    offsets = step * np.arange(-half, half + 1)
    kernel = 1.0 / (4.0 * T * np.cosh(offsets / (2.0 * T)) ** 2)
    # G at the cell centres whose whole kernel window lies on the grid
    g_centres = np.convolve(weight, kernel, mode="valid")
    out = np.interp(flat, centres[half:n_cells - half], g_centres)
    return _scalar_or_array(out.reshape(np.shape(Vs)), V)


def tunnelling_threshold(h):
    r"""T = 0 tunnelling threshold :math:`\max(\Delta_{eq} - h, 0)` of a film.

    The lowest spin-split quasiparticle edge :math:`\Delta - h` while the
    film is superconducting; 0 in the polarised normal state. It jumps from
    :math:`\Delta_0(1 - 1/\sqrt2) \approx 0.293\,\Delta_0` to 0 at
    :math:`h_{CC}`.

    Parameters
    ----------
    h : float or array_like
        Zeeman energy >= 0.

    Returns
    -------
    float or ndarray

    Raises
    ------
    ValueError
        If ``h`` < 0.

    References
    ----------
    Meservey and Tedrow (1994); seed ``braun1997`` (the thin-film jump that
    the grains soften). Chapter 1.
    """
    hs = _check_array("h", h, low=0.0)
    out = np.where(hs <= _H_CC, 1.0 - hs, 0.0)
    return _scalar_or_array(out, h)


# --------------------------------------------------------------------------
# laboratory units and orbital estimates
# --------------------------------------------------------------------------
def clogston_field_tesla(gap_mev, g=2.0):
    r"""Clogston-Chandrasekhar field in tesla: :math:`B_{CC} = \sqrt2\,\Delta_0/(g\mu_B)`.

    With the Zeeman energy :math:`h = \tfrac12 g\mu_B B` (the seed's
    convention; :math:`h = \mu_B B` for g = 2) and :math:`h_{CC} =
    \Delta_0/\sqrt2`.

    Parameters
    ----------
    gap_mev : float or array_like
        Zero-temperature gap in meV (> 0).
    g : float
        Electron g-factor (> 0).

    Returns
    -------
    float or ndarray
        Field in tesla (about 4.64 T for 0.38 meV and g = 2).

    Raises
    ------
    ValueError
        If ``gap_mev`` or ``g`` is not positive.

    References
    ----------
    Clogston (1962); seed ``braun1997``. Chapter 1.
    """
    gaps = _check_array("gap_mev", gap_mev)
    if np.any(gaps <= 0):
        raise ValueError(f"gap_mev must be > 0, got {gap_mev!r}")
    g = _check_scalar("g", g, low=0.0, low_open=True)
    return _scalar_or_array(math.sqrt(2.0) * gaps / (g * MU_B_MEV_PER_T), gap_mev)


def zeeman_energy_mev(B_tesla, g=2.0):
    r"""Zeeman energy :math:`h = \tfrac12 g \mu_B B` in meV.

    Parameters
    ----------
    B_tesla : float or array_like
        Field in tesla (>= 0).
    g : float
        g-factor (> 0).

    Returns
    -------
    float or ndarray

    Raises
    ------
    ValueError
        On negative field or non-positive ``g``.
    """
    B = _check_array("B_tesla", B_tesla, low=0.0)
    g = _check_scalar("g", g, low=0.0, low_open=True)
    return _scalar_or_array(0.5 * g * MU_B_MEV_PER_T * B, B_tesla)


def _positive(name, value):
    arr = _check_array(name, value)
    if np.any(arr <= 0):
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return arr


def orbital_field_film_tesla(w_nm, lambda_L_nm, bc_tesla):
    r"""Orbital (diamagnetic) parallel critical field of a thin film, GL estimate.

    For a film of thickness :math:`w` thinner than the penetration depth
    :math:`\lambda_L` the field enters completely and the screening currents
    cost kinetic energy :math:`\propto B^2 w^2/\lambda_L^2`; balancing it
    against the condensation energy (with the order parameter allowed to
    shrink, Ginzburg-Landau) gives

    .. math::  B_{\parallel} = \sqrt{24}\,\frac{\lambda_L}{w}\,B_c
               \qquad (w \ll \lambda_L),

    and the thermodynamic field :math:`B_c` for :math:`w \gg \lambda_L`.
    Returned: :math:`\max(\sqrt{24}\lambda_L B_c/w,\ B_c)`, an estimate of the
    orbital field scale (not a precise critical field). For a dirty film use
    the :math:`\lambda_L` and :math:`B_c` of :func:`dirty_film_scales`.

    Parameters
    ----------
    w_nm : float or array_like
        Film thickness :math:`w` in nm (> 0).
    lambda_L_nm : float
        (Effective) penetration depth :math:`\lambda_L` in nm (> 0).
    bc_tesla : float
        Thermodynamic critical field :math:`B_c` in tesla (> 0).

    Returns
    -------
    float or ndarray
        Field in tesla.

    Raises
    ------
    ValueError
        If any input is not positive.

    References
    ----------
    Tinkham, *Introduction to Superconductivity*, 2nd ed. (1996), ch. 4.
    Chapter 1, section "Orbital versus spin".
    """
    w = _positive("w_nm", w_nm)
    lam = float(_positive("lambda_L_nm", lambda_L_nm))
    bc = float(_positive("bc_tesla", bc_tesla))
    return _scalar_or_array(np.maximum(math.sqrt(24.0) * lam * bc / w, bc), w_nm)


def orbital_field_grain_tesla(R_nm, lambda_L_nm, bc_tesla):
    r"""Orbital critical field of a small sphere, GL estimate.

    Same energy balance as :func:`orbital_field_film_tesla` for a sphere of
    radius :math:`R \ll \lambda_L` in a uniform field (London gauge
    :math:`\mathbf A = \mathbf B\times\mathbf x/2`, volume average
    :math:`\langle A^2\rangle = B^2 R^2/10`):

    .. math::  B_{\rm orb} = \sqrt{20}\,\frac{\lambda_L}{R}\,B_c \qquad (R \ll \lambda_L),

    and :math:`B_c` for :math:`R \gg \lambda_L`. Returned:
    :math:`\max(\sqrt{20}\lambda_L B_c/R,\ B_c)`.

    Parameters
    ----------
    R_nm : float or array_like
        Grain radius :math:`R` in nm (> 0).
    lambda_L_nm : float
        Penetration depth :math:`\lambda_L` in nm (> 0).
    bc_tesla : float
        Thermodynamic critical field :math:`B_c` in tesla (> 0).

    Returns
    -------
    float or ndarray

    Raises
    ------
    ValueError
        If any input is not positive.

    References
    ----------
    Tinkham (1996), ch. 4; chapter 1, section "Orbital versus spin".
    """
    R = _positive("R_nm", R_nm)
    lam = float(_positive("lambda_L_nm", lambda_L_nm))
    bc = float(_positive("bc_tesla", bc_tesla))
    return _scalar_or_array(np.maximum(math.sqrt(20.0) * lam * bc / R, bc), R_nm)


def flux_fraction(R_nm, B_tesla):
    r"""Flux through a grain's cross-section in units of :math:`\Phi_0 = \pi\hbar/e`.

    :math:`\pi R^2 B/\Phi_0` for a grain of radius :math:`R`.

    Parameters
    ----------
    R_nm : float or array_like
        Radius :math:`R` in nm (> 0).
    B_tesla : float or array_like
        Field in tesla (>= 0).

    Returns
    -------
    float or ndarray

    Raises
    ------
    ValueError
        On non-positive radius or negative field.

    References
    ----------
    Seed ``braun1997`` (flux estimate for 5 nm grains). Chapter 1.
    """
    R = _positive("R_nm", R_nm)
    B = _check_array("B_tesla", B_tesla, low=0.0)
    return _scalar_or_array(math.pi * (R * 1e-9) ** 2 * B / FLUX_QUANTUM_WB, R_nm, B_tesla)


def cc_spin_flip_field(d, parity=0):
    r"""Clogston-Chandrasekhar argument with a discrete spectrum (bridge to chapter 2).

    Bulk energies, discrete spins, for :math:`d \ll \Delta_0`. Relative to the
    normal ground state of the same parity, the paired state has energy
    :math:`-\Delta_0^2/2d` if the grain is even; an odd grain's paired state
    also carries one unpaired quasiparticle, which costs :math:`\Delta_0` and
    gains the Zeeman energy :math:`-h` of its spin. A normal state of spin
    :math:`s` costs :math:`(s^2 - p/4)d` of kinetic energy and gains
    :math:`-2sh`. The first ground-state change from the paired state happens at

    .. math::

        \bar h(d) = \min_{s} \frac{(s^2 - p/4)\,d + \Delta_0^2/2d - p\,\Delta_0}{2s - p},

    with :math:`s` running over :math:`p/2 + 1, p/2 + 2, \dots`. As
    :math:`d \to 0`, :math:`\bar h \to \Delta_0/\sqrt2` with
    :math:`\bar s \approx \Delta_0/(\sqrt2 d)` flipped spins, for both parities;
    at finite :math:`d` the odd grain's field is lower by about
    :math:`(\Delta_0 - h_{CC})/2\bar s \approx 0.21\,d` (the quasiparticle's net
    cost :math:`\Delta_0 - h` spread over the moment :math:`2\bar s`).

    Parameters
    ----------
    d : float
        Mean level spacing in units of :math:`\Delta_0` (> 0).
    parity : {0, 1}
        Electron-number parity p (0 even, 1 odd). For an odd grain the
        estimate needs :math:`d < \Delta_0/2`: beyond, its paired state
        (:math:`-\Delta_0^2/2d + \Delta_0`) is not below the normal one.

    Returns
    -------
    h_bar : float
        Critical field :math:`\bar h` in units of :math:`\Delta_0`.
    s_bar : float
        Spin of the new (normal) ground state.

    Raises
    ------
    ValueError
        If ``d`` <= 0, ``parity`` not in {0, 1}, or ``d >= 0.5`` for an odd grain.

    References
    ----------
    Seed ``braun1997`` (text before Eq. (1), where the paired energy
    :math:`-\Delta_0^2/2d` is used for both parities; the book adds the odd
    grain's quasiparticle energy :math:`\Delta_0`, the bulk parity gap).
    Chapter 1, section "Bridge to chapter 2"; the full variational treatment is
    chapter 2 (``pairing_lib.grains``).
    """
    d = _check_scalar("d", d, low=0.0, low_open=True)
    if parity not in (0, 1):
        raise ValueError(f"parity must be 0 or 1, got {parity!r}")
    if parity == 1 and d >= 0.5:
        raise ValueError(
            f"d must be < 0.5 for an odd grain (with bulk energies its paired state, "
            f"-1/2d + 1, is no longer below the normal one), got {d}")
    s_cont = 1.0 / (math.sqrt(2.0) * d)
    jmax = int(math.ceil(s_cont)) + 3
    s = parity / 2.0 + np.arange(1, jmax + 1)
    hs = ((s**2 - parity / 4.0) * d + 0.5 / d - parity) / (2 * s - parity)
    i = int(np.argmin(hs))
    return float(hs[i]), float(s[i])


# --------------------------------------------------------------------------
# low-temperature first-order line
# --------------------------------------------------------------------------
def first_order_field_low_t(T, quasiparticles=False):
    r"""Low-temperature law of the first-order line, :math:`h_1(T)`.

    For :math:`T \ll \Delta_0 - h` the gapped state has no thermal
    excitations, while the polarised normal metal gains the Sommerfeld free
    energy :math:`-\tfrac{\pi^2}{3}N(0)T^2`. Equating the two free energies,
    :math:`-\tfrac12 N(0)\Delta_0^2 = -N(0)h_1^2 - \tfrac{\pi^2}{3}N(0)T^2`,

    .. math::  h_1(T)^2 \simeq \frac{\Delta_0^2}{2} - \frac{\pi^2 T^2}{3} .

    With ``quasiparticles=True`` the leading correction from the spin-down
    quasiparticles of the gapped state (edge at :math:`\Delta_0 - h`) is
    added, :math:`+2T\sqrt{\pi\Delta_0 T/2}\,e^{-(\Delta_0 - h_1)/T}`, and
    the equation is solved for :math:`h_1`.

    Parameters
    ----------
    T : float or array_like
        Temperature(s) in :math:`[0, 0.2]` (units of :math:`\Delta_0`); the
        expansion is asymptotic and is refused beyond.
    quasiparticles : bool
        Include the exponentially small quasiparticle term.

    Returns
    -------
    float or ndarray
        :math:`h_1/\Delta_0`.

    Raises
    ------
    ValueError
        If ``T`` is outside :math:`[0, 0.2]`.

    References
    ----------
    Sarma (1963); Maki and Tsuneto (1964). Chapter 1, eq. ``ch1-h1-lowT``;
    compare :func:`first_order_field`.
    """
    def one(t):
        base = 0.5 - math.pi**2 * t**2 / 3.0
        if not quasiparticles or t == 0.0:
            return math.sqrt(base)

        def eq(h):
            return h * h - base - 2.0 * t * math.sqrt(math.pi * t / 2.0) * math.exp(-(1.0 - h) / t)
        return optimize.brentq(eq, 0.3, 0.8, xtol=1e-15, rtol=1e-14, maxiter=200)

    return _vector_line(one, "T", T, 0.0, 0.2, False)


# --------------------------------------------------------------------------
# Fermi-liquid enhancement of the spin susceptibility
# --------------------------------------------------------------------------
def clogston_field_fermi_liquid(F0a):
    r"""Clogston-Chandrasekhar field with a Fermi-liquid spin interaction :math:`F_0^a`.

    The spin-antisymmetric Landau parameter :math:`F_0^a` (written
    :math:`G_0` by Fulde) adds the exchange energy :math:`F_0^a P^2/4N(0)`
    to a normal state with spin polarisation :math:`P = n_\downarrow -
    n_\uparrow` (:math:`N(0)` is the quasiparticle density of states per
    spin), so that :math:`E_N(P) = (1 + F_0^a)P^2/4N(0) - hP`; its minimum
    is :math:`-N(0)h^2/(1 + F_0^a)` (susceptibility :math:`\chi_P/(1 + F_0^a)`).
    The singlet BCS state has :math:`P = 0` and does not feel :math:`F_0^a`, so

    .. math::  h_{CC} = \Delta_0\sqrt{\frac{1 + F_0^a}{2}} .

    :math:`F_0^a < 0` (enhanced susceptibility) lowers the field.

    Parameters
    ----------
    F0a : float or array_like
        Spin-antisymmetric Landau parameter, :math:`F_0^a > -1` (Stoner
        instability at -1).

    Returns
    -------
    float or ndarray
        :math:`h_{CC}/\Delta_0`.

    Raises
    ------
    ValueError
        If ``F0a <= -1``.

    References
    ----------
    Fulde, Adv. Phys. 22, 667 (1973). Chapter 1, eq. ``ch1-hcc-fl``.
    """
    g = _check_array("F0a", F0a)
    if np.any(g <= -1.0):
        raise ValueError(f"F0a must be > -1 (Stoner instability at -1), got {F0a!r}")
    return _scalar_or_array(np.sqrt((1.0 + g) / 2.0), F0a)


# --------------------------------------------------------------------------
# spin-orbit scattering: instability of the normal state
# --------------------------------------------------------------------------
def _so_roots(h, s):
    """Roots r1, r2 of w^2 + s w + h^2 and the weights A, B of the partial fractions."""
    disc = np.sqrt(complex(s * s / 4.0 - h * h))
    r2 = s / 2.0 + disc
    r1 = h * h / r2                 # = s/2 - disc, without cancellation
    if abs(r2 - r1) < 1e-12 * max(1.0, s):
        return None
    A = (s - r1) / (r2 - r1)
    B = (r2 - s) / (r2 - r1)
    return r1, r2, A, B


def _so_a(T, h, b_so):
    """Pair susceptibility with spin-orbit scattering (scalar inputs)."""
    s = 2.0 * b_so
    if h == 0.0:
        return math.log(T / TC) if T > 0 else 0.0
    roots = _so_roots(h, s)
    if roots is None:   # degenerate roots: shift h infinitesimally (the function is smooth)
        roots = _so_roots(h * (1 + 1e-7), s)
    r1, r2, A, B = roots
    if T == 0.0:
        out = A * np.log(2 * r1) + B * np.log(2 * r2)
        return float(np.real(out))
    two_pi_t = 2.0 * math.pi * T
    out = (A * special.digamma(0.5 + r1 / two_pi_t) + B * special.digamma(0.5 + r2 / two_pi_t))
    return math.log(T / TC) + float(np.real(out)) - _PSI_HALF


def spin_orbit_pair_susceptibility(T, h, b_so):
    r"""Inverse uniform pair susceptibility of the normal state with spin-orbit scattering.

    In a dirty film, spin-orbit scattering relaxes the triplet component
    that the Zeeman field mixes into a singlet pair, at the rate
    :math:`\hbar/\tau_t = 2 b_{so}\Delta_0` with Maki's parameter
    :math:`b_{so} = \hbar/(3\tau_{so}\Delta_0)`. The linearised gap equation
    then reads :math:`a = 0` with

    .. math::

        a(T, h; b_{so}) = \ln\frac{T}{T_c} + 2\pi T\sum_{n \ge 0}\Big[
        \frac{1}{\omega_n} - \frac{\omega_n + s}{\omega_n^2 + s\,\omega_n + h^2}
        \Big], \qquad s = 2 b_{so}\Delta_0,

    summed in closed form with digamma functions (the roots
    :math:`r_{1,2} = s/2 \mp \sqrt{s^2/4 - h^2}`). For :math:`b_{so} = 0`
    this is the clean Pauli coefficient of :func:`landau_coefficients`; for
    :math:`s \gg h` the field acts as a pair breaker of strength
    :math:`h^2/s` (Abrikosov-Gor'kov form). At :math:`T = 0`,
    :math:`a = \mathrm{Re}[A\ln 2r_1 + B\ln 2r_2]`.

    Parameters
    ----------
    T : float
        Temperature in :math:`[0, T_c)` (units of :math:`\Delta_0`).
    h : float
        Zeeman energy >= 0.
    b_so : float
        Maki's spin-orbit parameter :math:`b_{so} \ge 0`.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If an argument is out of range.

    References
    ----------
    Maki, Phys. Rev. 148, 362 (1966); Werthamer, Helfand and Hohenberg,
    Phys. Rev. 147, 295 (1966) (their :math:`\lambda_{so}` is
    :math:`2\hbar/(3\pi T_c\tau_{so})`); Fulde, Adv. Phys. 22, 667 (1973).
    Chapter 1, section "Spin-orbit scattering".
    """
    T = _check_scalar("T", T, low=0.0, high=TC, high_open=True)
    h = _check_scalar("h", h, low=0.0)
    b_so = _check_scalar("b_so", b_so, low=0.0)
    return _so_a(T, h, b_so)


def spin_orbit_instability_field(T, b_so):
    r"""Field at which the normal state becomes unstable, with spin-orbit scattering.

    The zero of :func:`spin_orbit_pair_susceptibility` in :math:`h`. At
    :math:`b_{so} = 0` it is the supercooling field of the clean model
    (:math:`\Delta_0/2` at :math:`T = 0`); for strong scattering the
    transition is continuous and this is the critical field,
    :math:`h_c \to \Delta_0\sqrt{b_{so}}` at :math:`T = 0`.

    Parameters
    ----------
    T : float
        Temperature in :math:`[0, T_c)`.
    b_so : float
        Maki's spin-orbit parameter >= 0.

    Returns
    -------
    float
        :math:`h/\Delta_0`.

    Raises
    ------
    ValueError
        If an argument is out of range.

    References
    ----------
    Maki (1966); Werthamer, Helfand and Hohenberg (1966). Chapter 1.
    """
    T = _check_scalar("T", T, low=0.0, high=TC, high_open=True)
    b_so = _check_scalar("b_so", b_so, low=0.0)
    if T > 0.0 and _so_a(T, 0.0, b_so) >= 0.0:
        return 0.0
    hi = 1.0
    while _so_a(T, hi, b_so) < 0.0:
        hi *= 2.0
        if hi > 1e6:
            raise ValueError(f"no instability field found for T = {T}, b_so = {b_so}")
    lo = 1e-9
    return optimize.brentq(lambda x: _so_a(T, x, b_so), lo, hi, xtol=1e-13, rtol=1e-12,
                           maxiter=300)


# --------------------------------------------------------------------------
# orbital scale of a dirty film
# --------------------------------------------------------------------------
#: Free-electron Fermi wave number of aluminium (1/nm), as on the notation page.
AL_K_F_PER_NM = 17.5


def dirty_film_scales(gap_mev, mfp_nm, k_f_per_nm=AL_K_F_PER_NM):
    r"""Diffusion constant, penetration depth and thermodynamic field of a dirty film.

    Free-electron metal with Fermi wave number :math:`k_F` (aluminium by
    default), gap :math:`\Delta_0` and elastic mean free path :math:`l`:
    :math:`\mathcal D = v_F l/3`; normal conductivity
    :math:`\sigma = 2e^2N(0)\mathcal D` (Einstein relation, :math:`N(0)` per
    spin); dirty-limit penetration depth at :math:`T = 0`,
    :math:`\lambda_L^2 = \hbar/(\pi\mu_0\sigma\Delta_0)`, which equals
    :math:`\lambda_{L0}^2\,\xi_P/l` with the clean London depth
    :math:`\lambda_{L0}` and the Pippard length :math:`\xi_P = \hbar v_F/\pi\Delta_0`;
    thermodynamic field from the condensation energy,
    :math:`B_c^2/2\mu_0 = \tfrac12 N(0)\Delta_0^2`; and the dirty coherence length
    :math:`\xi_0 = \sqrt{\hbar\mathcal D/\Delta_0}`.

    Parameters
    ----------
    gap_mev : float
        :math:`\Delta_0` in meV (> 0).
    mfp_nm : float
        Mean free path :math:`l` in nm (> 0).
    k_f_per_nm : float
        Fermi wave number in 1/nm (> 0).

    Returns
    -------
    dict
        ``D_nm2_per_s`` (:math:`\mathcal D`), ``lambda_L_nm``, ``B_c_tesla``,
        ``xi0_nm``, ``resistivity_uohm_cm``.

    Raises
    ------
    ValueError
        If an argument is not positive.

    References
    ----------
    Tinkham, *Introduction to Superconductivity*, 2nd ed., ch. 3 (electrodynamics of a
    dirty superconductor) and ch. 4. Chapter 1, section "Orbital versus spin".
    """
    from scipy import constants as k

    gap = float(_positive("gap_mev", gap_mev)) * 1e-3 * k.e
    l = float(_positive("mfp_nm", mfp_nm)) * 1e-9
    kf = float(_positive("k_f_per_nm", k_f_per_nm)) * 1e9
    v_f = k.hbar * kf / k.m_e
    n0 = k.m_e * kf / (2 * math.pi**2 * k.hbar**2)          # per spin, 1/(J m^3)
    D = v_f * l / 3.0
    sigma = 2 * k.e**2 * n0 * D
    lam = math.sqrt(k.hbar / (math.pi * k.mu_0 * sigma * gap))
    bc = math.sqrt(k.mu_0 * n0) * gap
    xi = math.sqrt(k.hbar * D / gap)
    return {"D_nm2_per_s": D * 1e18, "lambda_L_nm": lam * 1e9, "B_c_tesla": bc,
            "xi0_nm": xi * 1e9, "resistivity_uohm_cm": 1e8 / sigma}


def orbital_field_film_dirty_tesla(w_nm, gap_mev, mfp_nm, k_f_per_nm=AL_K_F_PER_NM):
    r"""Orbital (parallel) critical field of a thin dirty film at :math:`T = 0`.

    A parallel field :math:`B` with :math:`\mathbf A = Bz\,\hat{\mathbf x}`
    across a film of thickness :math:`w` breaks pairs at the rate
    :math:`\Gamma_{\rm pb} = 2e^2\mathcal D\langle A^2\rangle/\hbar = e^2\mathcal D
    B^2w^2/6\hbar`; pairing ends at :math:`\Gamma_{\rm pb} = \Delta_0/2`
    (Abrikosov-Gor'kov / Maki), so

    .. math::  B_{\parallel} = \frac{\sqrt{3\hbar\Delta_0/\mathcal D}}{e\,w}
               \qquad (w \ll \xi_0).

    Parameters
    ----------
    w_nm : float or array_like
        Film thickness :math:`w` in nm (> 0).
    gap_mev : float
        :math:`\Delta_0` in meV.
    mfp_nm : float
        Mean free path in nm (:math:`\mathcal D = v_F l/3`).
    k_f_per_nm : float
        Fermi wave number in 1/nm.

    Returns
    -------
    float or ndarray
        Field in tesla.

    Raises
    ------
    ValueError
        If an argument is not positive.

    References
    ----------
    Maki (1966); Fulde, Adv. Phys. 22, 667 (1973).
    Chapter 1, section "Orbital versus spin".
    """
    from scipy import constants as k

    w = _positive("w_nm", w_nm) * 1e-9
    scales = dirty_film_scales(gap_mev, mfp_nm, k_f_per_nm)
    D = scales["D_nm2_per_s"] * 1e-18
    gap = float(gap_mev) * 1e-3 * k.e
    return _scalar_or_array(np.sqrt(3 * k.hbar * gap / D) / (k.e * w), w_nm)
