r"""Mesoscopic pairing droplets in disordered films above their critical field (chapter 5).

A thin disordered film in a parallel field :math:`H` slightly above its
critical field :math:`B_{c\parallel}` is, on average, a normal metal: the curvature of
the energy at :math:`\Delta = 0` is positive. Mesoscopic fluctuations make
that curvature a *random* operator, and in rare regions it has negative
eigenvalues: there superconducting "droplets" nucleate. The droplets couple
through Josephson energies whose sign is random in the dirty limit, so the
droplet phases order like a glass. This module turns the scaling arguments
of Zhou and Biagini (arXiv:cond-mat/9807334) into numbers.

Units
-----
Lengths in :math:`\xi_0 = \sqrt{\hbar\mathcal D/\Delta_0}`, the field as
``delta_h`` :math:`= \delta h = (B - B_{c\parallel})/B_{c\parallel}`, ``g`` the sheet conductance
:math:`g_\square`, gap amplitudes in :math:`\Delta_0`. The random part of the
curvature is modelled by its local (white-noise) part, eq. (3) of the paper:

.. math::

    \mathcal O = -\nabla^2 + \delta h + W(\mathbf r), \qquad
    \langle W(\mathbf r) W(\mathbf r')\rangle = g_\square^{-2}\,\delta(\mathbf r-\mathbf r'),

which is eq. (4) at :math:`\Delta = 0` (note the *minus* sign in front of
:math:`\nabla^2`: the gradient term costs energy). On an :math:`L\times L`
lattice of spacing :math:`a` (periodic), :math:`\nabla^2` is the 5-point
Laplacian and :math:`W` is Gaussian, independent from site to site, of
variance :math:`1/(g_\square^2 a^2)` (the lattice delta function is
:math:`\delta_{ij}/a^2`).

Contents
--------
Optimal fluctuation (paper eqs. 8-15)
    :func:`saddle_point` (the correct saddle-point equation
    :math:`(-\nabla^2 + 1)\eta = \eta^3` -- a Townes soliton -- and the
    constants :math:`B_{\rm ZB}`, :math:`A_{\rm ZB}` (attributes ``B``, ``A``)), :func:`radial_profile` (also the printed eq. 13, which
    has no localised solution), :func:`optimal_action`,
    :func:`cumulative_norm`, :func:`gaussian_tail` (the paper's "erfc"),
    :func:`droplet_size`,
    :func:`droplet_density`, :func:`gap_distribution` (eq. 17),
    :func:`amplitude_constant`.
Lattice experiment (beyond the paper)
    :func:`lattice_laplacian`, :func:`disorder_potential`,
    :func:`curvature_operator`, :func:`clean_spectrum`, :func:`count_below`,
    :func:`eigenpairs_below`, :func:`droplet_geometry`,
    :func:`simulate_droplets` (-> :class:`Droplets`),
    :func:`density_ensemble` (-> :class:`DensityEnsemble`),
    :func:`density_importance` (-> :class:`TailEstimate`),
    :func:`fit_exponent`, :func:`fit_prefactor`, :func:`droplet_test_map`,
    :func:`density_scan` (-> :class:`DensityScan`, the chapter's data).
Random Josephson couplings (paper eq. 19 and after)
    :func:`pair_correlation_clean`, :func:`pair_correlation_free`,
    :func:`green_free_2d`, :func:`field_length`, :func:`dirty_coupling_mean`,
    :func:`dirty_couplings`, :func:`negative_fraction`,
    :func:`droplet_network`, :func:`josephson_energy`,
    :func:`xy_ground_state`, :func:`ising_ground_state`,
    :func:`frustrated_fraction`.

Example
-------
>>> from pairing_lib import films
>>> sp = films.saddle_point()
>>> round(sp.norm, 3)              # Townes norm N_T = 2 pi x 1.862
11.701
>>> round(float(films.optimal_action(0.1, 3.0)), 3)   # S = N_T g_\square^2 delta_h
10.531

References
----------
F. Zhou and C. Biagini, "Nucleation of superconducting pairing states at
mesoscopic scales at zero temperature", arXiv:cond-mat/9807334 (1998),
eqs. (2)-(19). Used by chapter 5 of the book, ``chapters/05_films.ipynb``.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sps
import scipy.sparse.linalg as spla
from scipy import integrate, optimize, special

__all__ = [
    # optimal fluctuation
    "SaddlePoint",
    "saddle_point",
    "radial_profile",
    "cumulative_norm",
    "optimal_action",
    "gaussian_tail",
    "droplet_size",
    "droplet_density",
    "gap_distribution",
    "amplitude_constant",
    # lattice experiment
    "lattice_laplacian",
    "disorder_potential",
    "curvature_operator",
    "clean_spectrum",
    "count_below",
    "eigenpairs_below",
    "droplet_geometry",
    "Droplets",
    "simulate_droplets",
    "DensityEnsemble",
    "density_ensemble",
    "TailEstimate",
    "tilt_log_ratio",
    "density_importance",
    "fit_exponent",
    "fit_prefactor",
    "droplet_test_map",
    "DensityScan",
    "density_scan",
    # couplings and the glass
    "green_free_2d",
    "pair_correlation_clean",
    "pair_correlation_free",
    "field_length",
    "dirty_coupling_mean",
    "dirty_couplings",
    "negative_fraction",
    "droplet_network",
    "josephson_energy",
    "xy_ground_state",
    "ising_ground_state",
    "frustrated_fraction",
    # the couplings under strong spin-orbit scattering
    "pair_correlation_diffusive",
    "droplet_coupling_mean",
    "droplet_coupling_rms",
    "pi_junction_probability",
    "mesoscopic_network",
    "critical_field_shift",
]


# ----------------------------------------------------------------------------
# input checks
# ----------------------------------------------------------------------------
def _positive(name, value):
    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        raise ValueError(f"{name} must be > 0 (finite), got {value!r}")
    return arr


def _nonnegative(name, value):
    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0 (finite), got {value!r}")
    return arr


def _lattice_size(L):
    if isinstance(L, bool) or not isinstance(L, (int, np.integer)) or L < 3:
        raise ValueError(f"L must be an integer >= 3, got {L!r}")
    return int(L)


def _scalar_positive(name, value):
    if isinstance(value, bool) or not np.isscalar(value):
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    v = float(value)
    if not np.isfinite(v) or v <= 0:
        raise ValueError(f"{name} must be > 0 (finite), got {value!r}")
    return v


# ============================================================================
# 1. The optimal fluctuation: saddle point, action, density law
# ============================================================================
def _radial_rhs(c1):
    def rhs(r, y):
        q, p = y
        return [p, -p / r + c1 * q - q**3]

    return rhs


def _series_start(q0, c1, r0):
    # eta = q0 + b r^2 + ..., with 4 b = c1 q0 - q0^3 (regular at the origin)
    b = (c1 * q0 - q0**3) / 4.0
    return [q0 + b * r0**2, 2.0 * b * r0]


def radial_profile(q0, r, equation="correct"):
    r"""Radial solution of the dimensionless saddle-point equation, shot from r = 0.

    Integrates, for a radially symmetric :math:`\eta(y)` with
    :math:`\eta(0) = q_0`, :math:`\eta'(0) = 0`,

    .. math::

        \text{correct:}\quad (-\nabla_y^2 + 1)\,\eta = \eta^3, \qquad
        \text{printed (eq. 13):}\quad (\nabla_y^2 + 1)\,\eta + \eta^3 = 0 .

    Parameters
    ----------
    q0 : float
        Central value :math:`\eta(0)`, > 0.
    r : array_like
        Increasing radii :math:`y \ge 0` (in units of :math:`L_f`) at which
        the profile is returned.
    equation : {"correct", "printed"}
        Which equation to integrate. "correct" is the Euler-Lagrange equation
        of the action derived from eq. (4) (see :func:`saddle_point`);
        "printed" is eq. (13) of the paper with the local correlator, whose
        solutions never decay faster than :math:`y^{-1/2}`.

    Returns
    -------
    eta : numpy.ndarray
        :math:`\eta(r)`.

    Raises
    ------
    ValueError
        If ``q0 <= 0``, ``r`` is not increasing and non-negative, or
        ``equation`` is unknown.
    RuntimeError
        If the ODE integration fails.

    References
    ----------
    Zhou and Biagini, eqs. (12)-(13); chapter 5.
    """
    q0 = _scalar_positive("q0", q0)
    r = np.asarray(r, dtype=float)
    if r.ndim != 1 or r.size == 0 or np.any(r < 0) or np.any(np.diff(r) <= 0):
        raise ValueError("r must be a non-empty increasing 1D array of radii >= 0")
    if equation not in ("correct", "printed"):
        raise ValueError(f"equation must be 'correct' or 'printed', got {equation!r}")
    return _integrate_radial(q0, r, 1.0 if equation == "correct" else -1.0)[0]


def _integrate_radial(q0, r, c1, rtol=1e-10, atol=1e-12):
    """(eta, eta') on the radii r for eta'' + eta'/r = c1 eta - eta^3, eta(0) = q0."""
    r0 = 1e-6
    y0 = _series_start(q0, c1, r0)
    out = np.empty((2, r.size))
    small = r <= r0
    b = (c1 * q0 - q0**3) / 4.0
    out[0, small] = q0 + b * r[small] ** 2
    out[1, small] = 2.0 * b * r[small]
    big = ~small
    if np.any(big):
        sol = integrate.solve_ivp(_radial_rhs(c1), [r0, r[big][-1]], y0,
                                  t_eval=r[big], rtol=rtol, atol=atol, method="DOP853")
        if not sol.success:
            raise RuntimeError(f"radial_profile: ODE integration failed: {sol.message}")
        out[:, big] = sol.y
    return out


def cumulative_norm(r, eta):
    r"""Norm of a radial profile inside radius r, :math:`N(r) = 2\pi\int_0^r \eta^2(y)\,y\,dy`.

    A localised droplet has :math:`N(r) \to` const; the solutions of the
    printed eq. (13) have :math:`N(r) \propto r`.

    Parameters
    ----------
    r : array_like
        Increasing radii starting at 0.
    eta : array_like
        Profile on ``r``.

    Returns
    -------
    numpy.ndarray
        :math:`N` on ``r`` (trapezoidal rule).

    Raises
    ------
    ValueError
        If shapes differ or ``r`` does not start at 0 and increase.
    """
    r = np.asarray(r, dtype=float)
    eta = np.asarray(eta, dtype=float)
    if r.shape != eta.shape or r.ndim != 1 or r.size < 2:
        raise ValueError("r and eta must be 1D arrays of one length >= 2")
    if r[0] != 0 or np.any(np.diff(r) <= 0):
        raise ValueError("r must start at 0 and increase")
    return 2.0 * np.pi * integrate.cumulative_trapezoid(eta**2 * r, r, initial=0.0)


def _shoot_townes(max_iter=80):
    """Bisection on q0 for the node-less decaying solution of -Q'' - Q'/r + Q = Q^3."""
    rhs = _radial_rhs(1.0)
    r0 = 1e-6

    def fate(q0):
        # +1: overshoot (crosses zero); -1: undershoot (turns back up)
        def cross(r, y):
            return y[0]

        def turn(r, y):
            return y[1]

        cross.terminal = True
        turn.terminal = True
        turn.direction = 1
        sol = integrate.solve_ivp(rhs, [r0, 40.0], _series_start(q0, 1.0, r0),
                                  events=[cross, turn], rtol=1e-12, atol=1e-14,
                                  method="DOP853")
        if sol.t_events[0].size:
            return 1
        if sol.t_events[1].size:
            return -1
        raise RuntimeError("saddle_point: shooting reached r = 40 without deciding")

    lo, hi = 1.5, 3.0
    if fate(lo) != -1 or fate(hi) != 1:
        raise RuntimeError("saddle_point: shooting bracket [1.5, 3] does not bracket Q(0)")
    for _ in range(max_iter):
        mid = 0.5 * (lo + hi)
        if fate(mid) > 0:
            hi = mid
        else:
            lo = mid
        if hi - lo < 4e-16 * hi:
            return 0.5 * (lo + hi)
    raise RuntimeError(f"saddle_point: bisection did not converge in {max_iter} steps")


@dataclass(frozen=True)
class SaddlePoint:
    r"""The optimal droplet (Townes profile) and the constants of the density law.

    Attributes
    ----------
    r : numpy.ndarray
        Radii :math:`y = r/L_f`.
    profile : numpy.ndarray
        :math:`Q(y)`, the positive, node-less, decaying solution of
        :math:`(-\nabla_y^2 + 1)Q = Q^3` (Townes normalisation).
    q0 : float
        :math:`Q(0) \approx 2.2062`.
    norm : float
        :math:`N_T = \int Q^2\,d^2y \approx 11.70` (Townes norm).
    kinetic : float
        :math:`\int |\nabla Q|^2 d^2y` (equals ``norm`` by the Pohozaev identity).
    quartic : float
        :math:`\int Q^4 d^2y` (equals ``2 * norm``).
    B, A : float
        The constants :math:`B_{\rm ZB}`, :math:`A_{\rm ZB}` of eq. (12) (written B, A in the paper) for the optimal droplet *normalised to*
        :math:`\int \eta_s^2\,d^2y = 1`, i.e. :math:`\eta_s = Q/\sqrt{N_T}`,
        with the sign of eq. (4): :math:`B_{\rm ZB} = \int \eta_s(-\nabla^2 + 1)\eta_s = 2`,
        :math:`A_{\rm ZB}^2 = \int\eta_s^4 = 2/N_T`. Only :math:`B_{\rm ZB}/A_{\rm ZB} = \sqrt{2 N_T}`
        is independent of the normalisation.
    action_coefficient : float
        :math:`B_{\rm ZB}^2/(2A_{\rm ZB}^2) = N_T`: the optimal action is
        :math:`S = N_T\,g_\square^2\,\delta h`.
    gyration_radius : float
        :math:`\sqrt{\int y^2 Q^2 / \int Q^2}` (in :math:`L_f`).
    participation_area : float
        :math:`(\int Q^2)^2/\int Q^4 = N_T/2` (in :math:`L_f^2`).
    L0 : float
        The zero-mode length of eq. (10),
        :math:`L_0^2 = 2\int\eta^2/\int|\nabla\eta|^2 = 2` (in :math:`L_f`).
    tail_coefficient : float
        :math:`c` in :math:`Q(y) \simeq c\,K_0(y)` at large :math:`y`.
    """

    r: np.ndarray = field(repr=False)
    profile: np.ndarray = field(repr=False)
    q0: float
    norm: float
    kinetic: float
    quartic: float
    B: float
    A: float
    action_coefficient: float
    gyration_radius: float
    participation_area: float
    L0: float
    tail_coefficient: float


@functools.lru_cache(maxsize=None)
def _saddle_point_cached(r_max, dr):
    q0 = _shoot_townes()
    r_match = 10.0
    r_in = np.arange(0.0, r_match + 0.5 * dr, dr)
    q_in, dq_in = _integrate_radial(q0, r_in, 1.0, rtol=1e-12, atol=1e-14)
    c_tail = q_in[-1] / special.k0(r_match)
    if not (0 < q_in[-1] < 1e-3) or np.any(np.diff(q_in) > 0):
        raise RuntimeError("saddle_point: the shot profile is not a decaying bound state")

    # integrals: inner part by Simpson, tail (Q = c K0) by quadrature
    def simpson(f):
        return integrate.simpson(f * r_in, x=r_in) * 2.0 * np.pi

    def tail(f):
        return 2.0 * np.pi * integrate.quad(lambda x: f(x) * x, r_match, np.inf,
                                            epsabs=0, epsrel=1e-12, limit=200)[0]

    norm = simpson(q_in**2) + tail(lambda x: (c_tail * special.k0(x)) ** 2)
    kinetic = simpson(dq_in**2) + tail(lambda x: (c_tail * special.k1(x)) ** 2)
    quartic = simpson(q_in**4) + tail(lambda x: (c_tail * special.k0(x)) ** 4)
    second = simpson(r_in**2 * q_in**2) + tail(lambda x: x**2 * (c_tail * special.k0(x)) ** 2)
    if r_max > r_match:
        r_out = np.arange(r_match + dr, r_max + 0.5 * dr, dr)
        r = np.concatenate([r_in, r_out])
        prof = np.concatenate([q_in, c_tail * special.k0(r_out)])
    else:
        keep = r_in <= r_max + 1e-12
        r, prof = r_in[keep], q_in[keep]
    B = (kinetic + norm) / norm
    A = np.sqrt(quartic / norm**2)
    return SaddlePoint(
        r=r, profile=prof, q0=float(q0), norm=float(norm), kinetic=float(kinetic),
        quartic=float(quartic), B=float(B), A=float(A),
        action_coefficient=float(B**2 / (2 * A**2)),
        gyration_radius=float(np.sqrt(second / norm)),
        participation_area=float(norm**2 / quartic),
        L0=float(np.sqrt(2 * norm / kinetic)),
        tail_coefficient=float(c_tail),
    )


def saddle_point(r_max=12.0, dr=0.005):
    r"""The optimal droplet: solve the saddle-point equation and return the constants of eq. (12).

    The probability that a droplet shape :math:`\eta` is unstable,
    :math:`\int\eta\,\mathcal O\,\eta < 0`, is a Gaussian tail
    (eq. 8) whose exponent is :math:`S[\eta] = \mathcal L^2/(2\sigma)` with
    (local correlator, lengths in :math:`\xi_0`)

    .. math::

        \mathcal L = \int\!\left[|\nabla\eta|^2 + \delta h\,\eta^2\right],\qquad
        \sigma = g_\square^{-2}\!\int\!\eta^4 .

    With :math:`\mathbf r = L_f\,y`, :math:`L_f = \delta h^{-1/2}`, this is
    :math:`S = g_\square^2\delta h\,B_{\rm ZB}^2/(2A_{\rm ZB}^2)`. Minimising over :math:`\eta` gives
    the Euler-Lagrange equation :math:`(-\nabla_y^2 + 1)\eta \propto \eta^3`,
    whose minimiser is the Townes soliton :math:`Q`; hence
    :math:`B_{\rm ZB}^2/(2A_{\rm ZB}^2) = N_T` and :math:`S = N_T g_\square^2 \delta h`. The paper's
    eq. (13) has :math:`+\nabla^2` (a sign error inherited from eq. 5): see
    :func:`radial_profile`.

    Parameters
    ----------
    r_max : float
        Largest radius of the returned profile (in :math:`L_f`), >= 1.
        Beyond :math:`y = 10` the profile is the exact linear tail
        :math:`c\,K_0(y)`.
    dr : float
        Radial step of the returned profile, in (0, 0.05].

    Returns
    -------
    SaddlePoint
        Profile and constants; normalisation of :math:`B_{\rm ZB}`, :math:`A_{\rm ZB}`: :math:`\int\eta_s^2 d^2y = 1`
        (so B = 2, A = 0.4134, B/A = 4.838).

    Raises
    ------
    ValueError
        For ``r_max < 1`` or ``dr`` outside (0, 0.05].
    RuntimeError
        If the shooting does not converge.

    References
    ----------
    Zhou and Biagini, eqs. (8)-(13); M. I. Weinstein, Commun. Math. Phys. 87,
    567 (1983) (sharp Gagliardo-Nirenberg constant); chapter 5.
    """
    r_max = _scalar_positive("r_max", r_max)
    dr = _scalar_positive("dr", dr)
    if r_max < 1.0:
        raise ValueError(f"r_max must be >= 1, got {r_max}")
    if dr > 0.05:
        raise ValueError(f"dr must be in (0, 0.05], got {dr}")
    return _saddle_point_cached(float(r_max), float(dr))


def amplitude_constant():
    r"""The constant C of the amplitude distribution (eq. 17) for the droplet's peak gap.

    Near threshold the droplet's curvature eigenvalue :math:`\kappa < 0` is
    exponentially distributed with rate :math:`\partial S/\partial(\delta h)
    = N_T g_\square^2`, and the cubic term of eq. (2) fixes the peak amplitude of the
    optimal droplet :math:`\Delta = \Delta_0\,Q(0)\,|\kappa|^{1/2}`. Hence
    :math:`P_c(\Delta)` is Rayleigh with :math:`\mathcal C = N_T/Q(0)^2 \approx 2.404`.

    Returns
    -------
    float
        :math:`\mathcal C = N_T / Q(0)^2`.

    References
    ----------
    Zhou and Biagini, eqs. (16)-(17); chapter 5.
    """
    sp = saddle_point()
    return sp.norm / sp.q0**2


def optimal_action(delta_h, g):
    r"""Exponent of the droplet probability, :math:`S = N_T\,g_\square^2\,\delta h`.

    Parameters
    ----------
    delta_h : array_like
        :math:`(B - B_{c\parallel})/B_{c\parallel}`, > 0.
    g : array_like
        Sheet conductance :math:`g_\square`, > 0.

    Returns
    -------
    numpy.ndarray
        :math:`S = B_{\rm ZB}^2 g_\square^2\delta h/(2A_{\rm ZB}^2) = N_T g_\square^2 \delta h`.

    Raises
    ------
    ValueError
        For non-positive ``delta_h`` or ``g``.

    References
    ----------
    Zhou and Biagini, eqs. (12), (14); chapter 5.
    """
    dh = _positive("delta_h", delta_h)
    gg = _positive("g", g)
    return saddle_point().action_coefficient * gg**2 * dh


def gaussian_tail(a, b=1.0):
    r"""The paper's "erfc": the upper tail of a centred Gaussian of width b.

    .. math::

        \mathrm{erfc}_{\rm ZB}(a/b) = \int_a^\infty \frac{e^{-x^2/2b^2}}{\sqrt{2\pi b^2}}\,dx
        = \tfrac12\,\mathrm{erfc}\!\left(\frac{a}{\sqrt2\,b}\right)

    (:math:`\mathrm{erfc}` on the right is the standard complementary error
    function). For :math:`a \gg b` it is
    :math:`\simeq (b/a)\,e^{-a^2/2b^2}/\sqrt{2\pi}`.

    Parameters
    ----------
    a : array_like
        Threshold.
    b : array_like
        Standard deviation, > 0.

    Returns
    -------
    numpy.ndarray
        Probability that :math:`X > a` for :math:`X \sim N(0, b^2)`.

    Raises
    ------
    ValueError
        For ``b <= 0`` or non-finite ``a``.

    References
    ----------
    Zhou and Biagini, definition after eq. (8); chapter 5.
    """
    a = np.asarray(a, dtype=float)
    if not np.all(np.isfinite(a)):
        raise ValueError(f"a must be finite, got {a!r}")
    b = _positive("b", b)
    return 0.5 * special.erfc(a / (np.sqrt(2.0) * b))


def droplet_size(delta_h):
    r"""Droplet size :math:`L_f/\xi_0 = \delta h^{-1/2}` (eq. 11).

    Convention: the prefactor is exactly 1, i.e. :math:`L_f` is the length
    that turns the saddle-point equation into :math:`(-\nabla_y^2 + 1)Q = Q^3`
    with no free constant. The optimal droplet :math:`Q(r/L_f)` then has
    gyration radius ``saddle_point().gyration_radius`` :math:`\times L_f`
    and participation area :math:`(N_T/2) L_f^2`.

    Parameters
    ----------
    delta_h : array_like
        :math:`(B - B_{c\parallel})/B_{c\parallel}`, > 0.

    Returns
    -------
    numpy.ndarray
        :math:`L_f/\xi_0`.

    Raises
    ------
    ValueError
        If any ``delta_h <= 0``.

    References
    ----------
    Zhou and Biagini, eq. (11); chapter 5.
    """
    return 1.0 / np.sqrt(_positive("delta_h", delta_h))


def droplet_density(delta_h, g, prefactor=1.0, exponent=None):
    r"""Predicted number of droplets per area, in :math:`\xi_0^{-2}` (eq. 15).

    .. math::

        \rho = \frac{c_\rho}{L_f^2}\,\mathrm{erfc}_{\rm ZB}\!\left(\frac{B_{\rm ZB} g_\square}{A_{\rm ZB}}\,\delta h^{1/2}\right)
        = c_\rho\,\delta h\;\tfrac12\mathrm{erfc}\!\left(g_\square\sqrt{N_T\,\delta h}\right)
        \;\simeq\; c_\rho\,\delta h\,\frac{e^{-N_T g_\square^2 \delta h}}{2\sqrt{\pi N_T g_\square^2 \delta h}} ,

    with :math:`B_{\rm ZB}/A_{\rm ZB} = \sqrt{2N_T}` from :func:`saddle_point` and
    :math:`\mathrm{erfc}_{\rm ZB}` the paper's Gaussian tail
    (:func:`gaussian_tail`). The paper does not compute the fluctuation
    determinant (eq. 9, "~ 1"); its O(1) factor is the free constant
    :math:`c_\rho` = ``prefactor`` (convention: 1). Valid for
    :math:`g_\square^2\delta h \gg 1`.

    Parameters
    ----------
    delta_h : array_like
        :math:`(B - B_{c\parallel})/B_{c\parallel}`, > 0.
    g : array_like
        Sheet conductance :math:`g_\square`, > 0.
    prefactor : float
        :math:`c_\rho`, > 0.
    exponent : float, optional
        Replace :math:`N_T = B_{\rm ZB}^2/2A_{\rm ZB}^2` by another exponent :math:`\alpha`
        (:math:`\rho = c_\rho\,\delta h\,\tfrac12\mathrm{erfc}\sqrt{\alpha g_\square^2\delta h}`),
        to compare other laws with data; > 0. Default: the saddle point.

    Returns
    -------
    numpy.ndarray
        :math:`\rho\,\xi_0^2`.

    Raises
    ------
    ValueError
        For non-positive inputs.

    References
    ----------
    Zhou and Biagini, eqs. (14)-(15); chapter 5.
    """
    dh = _positive("delta_h", delta_h)
    gg = _positive("g", g)
    c = _positive("prefactor", prefactor)
    if exponent is None:
        sp = saddle_point()
        ratio = sp.B / sp.A
    else:
        ratio = np.sqrt(2.0 * _positive("exponent", exponent))
    return c * dh * gaussian_tail(gg * ratio * np.sqrt(dh))


def gap_distribution(delta, g, C=1.0):
    r"""Conditional distribution of a droplet's gap amplitude (Rayleigh, eq. 17).

    .. math::

        P_c(\Delta) = 2 C g_\square^2\,\Delta\,e^{-C g_\square^2 \Delta^2},
        \qquad \int_0^\infty P_c\,d\Delta = 1,\quad
        \langle\Delta^2\rangle = \frac{1}{C g_\square^2},

    with :math:`\Delta` in units of :math:`\Delta_0`. For the droplet's
    *peak* gap the constant is :math:`\mathcal C = N_T/Q(0)^2` (see
    :func:`amplitude_constant`); the paper leaves it "of order unity".

    Parameters
    ----------
    delta : array_like
        :math:`\Delta/\Delta_0`, >= 0.
    g : float or array_like
        Sheet conductance :math:`g_\square`, > 0.
    C : float or array_like
        The constant of eq. (17), > 0.

    Returns
    -------
    numpy.ndarray
        :math:`P_c` in units of :math:`1/\Delta_0`.

    Raises
    ------
    ValueError
        For negative ``delta`` or non-positive ``g``, ``C``.

    References
    ----------
    Zhou and Biagini, eq. (17); chapter 5.
    """
    d = _nonnegative("delta", delta)
    gg = _positive("g", g)
    c = _positive("C", C)
    k = c * gg**2
    return 2.0 * k * d * np.exp(-k * d**2)


# ============================================================================
# 2. The lattice experiment
# ============================================================================
def lattice_laplacian(L, a=1.0):
    r"""Sparse 5-point Laplacian :math:`\nabla^2` on an L x L periodic lattice.

    Site :math:`(i_x, i_y)` (position :math:`(i_x a, i_y a)`) has index
    :math:`i_x L + i_y`.

    Parameters
    ----------
    L : int
        Linear size, >= 3.
    a : float
        Lattice spacing in :math:`\xi_0`, > 0.

    Returns
    -------
    scipy.sparse.csr_matrix
        :math:`(L^2 \times L^2)`, negative semi-definite, entries
        :math:`1/a^2` (neighbours) and :math:`-4/a^2` (diagonal).

    Raises
    ------
    ValueError
        For ``L < 3`` or ``a <= 0``.
    """
    return _laplacian_cached(_lattice_size(L), _scalar_positive("a", a)).copy()


@functools.lru_cache(maxsize=16)
def _laplacian_cached(L, a):
    idx = np.arange(L)
    ring = sps.coo_matrix((np.ones(2 * L), (np.r_[idx, idx], np.r_[(idx + 1) % L, (idx - 1) % L])),
                          shape=(L, L)).tocsr()
    ring = ring - 2.0 * sps.identity(L, format="csr")
    eye = sps.identity(L, format="csr")
    return ((sps.kron(ring, eye) + sps.kron(eye, ring)) / a**2).tocsr()


def disorder_potential(L, g, seed, a=1.0):
    r"""White-noise part of the curvature on the lattice, :math:`W_i \sim N(0, 1/(g_\square a)^2)`.

    The variance :math:`1/(g_\square^2a^2)` is the lattice version of
    :math:`\langle W(\mathbf r)W(\mathbf r')\rangle = g_\square^{-2}\delta(\mathbf r-\mathbf r')`
    (lengths in :math:`\xi_0`): the lattice delta function is
    :math:`\delta_{ij}/a^2`. The same ``seed`` gives the same unit-variance
    noise for every ``g`` and ``a`` (only the scale changes).

    Parameters
    ----------
    L : int
        Linear size, >= 3.
    g : float
        Sheet conductance :math:`g_\square`, > 0.
    seed : int or sequence of int
        Seed for ``numpy.random.default_rng``.
    a : float
        Lattice spacing in :math:`\xi_0`, > 0.

    Returns
    -------
    numpy.ndarray
        Shape (L, L), ``V[ix, iy]``.

    Raises
    ------
    ValueError
        For bad ``L``, ``g`` or ``a``.
    """
    L = _lattice_size(L)
    g = _scalar_positive("g", g)
    a = _scalar_positive("a", a)
    rng = np.random.default_rng(seed)
    return rng.standard_normal((L, L)) / (g * a)


def curvature_operator(delta_h, potential, a=1.0):
    r"""The curvature at :math:`\Delta = 0` on the lattice, :math:`-\nabla^2 + \delta h + W`.

    Parameters
    ----------
    delta_h : float
        :math:`(B - B_{c\parallel})/B_{c\parallel}` (any real number; > 0 above :math:`B_{c\parallel}`).
    potential : array_like
        Shape (L, L), the random part :math:`W` (e.g. from
        :func:`disorder_potential`; zeros for the clean film).
    a : float
        Lattice spacing in :math:`\xi_0`, > 0.

    Returns
    -------
    scipy.sparse.csr_matrix
        The real symmetric operator of size :math:`L^2`.

    Raises
    ------
    ValueError
        If ``potential`` is not a finite square array with L >= 3 or
        ``delta_h`` is not finite.

    References
    ----------
    Zhou and Biagini, eq. (4) with the local part of eq. (3); chapter 5.
    """
    V = np.asarray(potential, dtype=float)
    if V.ndim != 2 or V.shape[0] != V.shape[1] or V.shape[0] < 3:
        raise ValueError(f"potential must be an (L, L) array with L >= 3, got shape {V.shape}")
    if not np.all(np.isfinite(V)):
        raise ValueError("potential must be finite")
    dh = float(delta_h)
    if not np.isfinite(dh):
        raise ValueError(f"delta_h must be finite, got {delta_h!r}")
    lap = _laplacian_cached(_lattice_size(V.shape[0]), _scalar_positive("a", a))
    return (sps.diags(V.ravel() + dh) - lap).tocsr()


def clean_spectrum(L, delta_h, a=1.0):
    r"""Exact spectrum of the clean lattice operator :math:`-\nabla^2 + \delta h`.

    .. math::

        \kappa_{nm} = \delta h + \frac{4}{a^2}\left[\sin^2\frac{\pi n}{L}
        + \sin^2\frac{\pi m}{L}\right],\qquad n, m = 0..L-1 .

    Parameters
    ----------
    L : int
        Linear size, >= 3.
    delta_h : float
        Constant shift.
    a : float
        Lattice spacing, > 0.

    Returns
    -------
    numpy.ndarray
        The :math:`L^2` eigenvalues, sorted.

    Raises
    ------
    ValueError
        For bad ``L`` or ``a``.
    """
    L = _lattice_size(L)
    a = _scalar_positive("a", a)
    s = np.sin(np.pi * np.arange(L) / L) ** 2
    return np.sort((float(delta_h) + 4.0 / a**2 * (s[:, None] + s[None, :])).ravel())


#: Seed of the (fixed) Lanczos starting vector of :func:`eigenpairs_below`.
_LANCZOS_SEED = 20240


def _ldl_factor(H, shift):
    """Sparse LU of H - shift with symmetric ordering and no pivoting (an LDL^T)."""
    n = H.shape[0]
    A = (H - shift * sps.identity(n, format="csr")).tocsc()
    lu = spla.splu(A, permc_spec="MMD_AT_PLUS_A", diag_pivot_thresh=0.0,
                   options=dict(SymmetricMode=True))
    if not np.array_equal(lu.perm_r, lu.perm_c):
        raise RuntimeError("count_below: SuperLU pivoted off the diagonal; inertia unavailable")
    return lu


def _factor_with_nudge(H, E):
    scale = max(1.0, abs(E)) * 1e-12
    for k in range(4):
        try:
            return _ldl_factor(H, E + k * scale), E + k * scale
        except RuntimeError as err:  # exactly singular: E is an eigenvalue
            if "singular" not in str(err).lower():
                raise
    raise RuntimeError(f"count_below: H - E stays singular near E = {E}")


def _check_symmetric(H):
    if H.ndim != 2 or H.shape[0] != H.shape[1]:
        raise ValueError(f"H must be a square matrix, got shape {H.shape}")
    if sps.issparse(H):
        diff = abs(H - H.T).max() if H.nnz else 0.0
        scale = abs(H).max() if H.nnz else 1.0
    else:
        diff = np.max(np.abs(H - H.T))
        scale = np.max(np.abs(H)) or 1.0
    if diff > 1e-12 * scale:
        raise ValueError("H is not symmetric: the curvature operator must be real symmetric")


def count_below(H, E):
    r"""Number of eigenvalues of a real symmetric sparse matrix below E (Sylvester inertia).

    Factorises :math:`P(H - E)P^T = L D L^T` (SuperLU with a symmetric
    fill-reducing ordering and diagonal pivots) and counts the negative
    pivots of D. No eigenvalue is computed.

    Parameters
    ----------
    H : scipy.sparse matrix or numpy.ndarray
        Real symmetric matrix.
    E : float
        Energy.

    Returns
    -------
    int
        :math:`\#\{\kappa_j < E\}` (if E is exactly an eigenvalue it is
        nudged up by :math:`10^{-12}\max(1,|E|)`).

    Raises
    ------
    ValueError
        If H is not square and symmetric.
    RuntimeError
        If the factorisation needs off-diagonal pivoting.
    """
    H = sps.csr_matrix(H)
    _check_symmetric(H)
    lu, _ = _factor_with_nudge(H, float(E))
    return int(np.count_nonzero(lu.U.diagonal() < 0))


def eigenpairs_below(H, E, vectors=True, method="auto", tol=1e-9, max_iter=None,
                     max_count=None):
    r"""All eigenvalues (and eigenvectors) of a real symmetric sparse matrix below E.

    Factorises :math:`H - E = P^T L D L^T P` once (:func:`count_below`): the
    number :math:`n` of negative pivots is the exact number of eigenvalues
    below E. The eigenvalues :math:`\kappa < E` are exactly the :math:`n`
    *algebraically smallest* (negative) eigenvalues
    :math:`1/(\kappa - E)` of :math:`(H - E)^{-1}`, which Lanczos
    (ARPACK, ``which="SA"``) finds using the same factorisation; no guess of
    the lowest eigenvalue is needed.

    Parameters
    ----------
    H : scipy.sparse matrix
        Real symmetric matrix.
    E : float
        Upper energy.
    vectors : bool
        Also return the eigenvectors.
    method : {"auto", "sparse", "dense"}
        "dense" diagonalises with ``numpy.linalg.eigh`` (small matrices);
        "auto" uses it below 900 rows.
    tol : float
        ARPACK relative tolerance on :math:`\nu`.
    max_iter : int, optional
        ARPACK iteration limit (default: ARPACK's, 10 N).
    max_count : int, optional
        Refuse (ValueError; with the sparse method before any eigenvalue is
        computed) if more eigenvalues than this lie below E.

    Returns
    -------
    w : numpy.ndarray
        The eigenvalues below E, ascending.
    v : numpy.ndarray
        Shape (N, n) normalised eigenvectors (only if ``vectors``).

    Raises
    ------
    ValueError
        For a non-symmetric H, a bad ``method``, or (sparse) more than N - 2
        (or ``max_count``) eigenvalues below E.
    RuntimeError
        If ARPACK does not converge or returns a wrong count.
    """
    if method not in ("auto", "sparse", "dense"):
        raise ValueError(f"method must be 'auto', 'sparse' or 'dense', got {method!r}")
    H = sps.csr_matrix(H, dtype=float)
    _check_symmetric(H)
    N = H.shape[0]
    E = float(E)
    if method == "dense" or (method == "auto" and N < 900):
        w, v = np.linalg.eigh(H.toarray())
        m = w < E
        if max_count is not None and np.count_nonzero(m) > max_count:
            raise ValueError(f"{np.count_nonzero(m)} eigenvalues lie below E = {E}, more than "
                             f"max_count = {max_count}")
        return (w[m], v[:, m]) if vectors else w[m]
    return _eigenpairs_below_sparse(H, E, vectors, tol, max_iter, max_count)


def _eigenpairs_below_sparse(H, E, vectors, tol, max_iter, max_count):
    N = H.shape[0]
    lu, Es = _factor_with_nudge(H, E)
    n = int(np.count_nonzero(lu.U.diagonal() < 0))
    if n == 0:
        return (np.empty(0), np.empty((N, 0))) if vectors else np.empty(0)
    if max_count is not None and n > max_count:
        raise ValueError(f"{n} eigenvalues lie below E = {E}, more than max_count = {max_count}")
    if n > N - 2:
        raise ValueError(f"{n} of {N} eigenvalues lie below E = {E}: use method='dense'")
    op = spla.LinearOperator((N, N), matvec=lu.solve, dtype=float)
    # fixed Lanczos start vector: results are reproducible bit for bit
    v0 = np.random.default_rng(_LANCZOS_SEED).standard_normal(N)
    try:
        res = spla.eigsh(op, k=n, which="SA", tol=tol, maxiter=max_iter, v0=v0,
                         return_eigenvectors=vectors)
    except spla.ArpackNoConvergence as err:
        raise RuntimeError(f"eigenpairs_below: ARPACK did not converge for the {n} "
                           f"eigenvalues below E = {E}") from err
    nu = res[0] if vectors else res
    if np.any(nu >= 0):
        raise RuntimeError(f"eigenpairs_below: ARPACK returned {np.count_nonzero(nu >= 0)} "
                           f"eigenvalues above E = {E}")
    w = Es + 1.0 / nu
    order = np.argsort(w)
    if vectors:
        return w[order], res[1][:, order]
    return w[order]


def droplet_geometry(states, L, a=1.0):
    r"""Centre, gyration radius and participation area of lattice eigenstates.

    For a normalised state with weights :math:`w_i = \psi_i^2`: the centre is
    the circular mean on the periodic lattice, the gyration radius
    :math:`R_g = [\sum_i w_i |\mathbf r_i - \bar{\mathbf r}|^2]^{1/2}`
    (minimum-image distances) and the participation area
    :math:`A_{PR} = a^2/\sum_i w_i^2`.

    Parameters
    ----------
    states : array_like
        Shape (L*L, n) (columns are states, as from :func:`eigenpairs_below`)
        or (L*L,).
    L : int
        Linear lattice size.
    a : float
        Lattice spacing in :math:`\xi_0`.

    Returns
    -------
    positions : numpy.ndarray
        Shape (n, 2), in :math:`\xi_0`, in :math:`[0, La)`.
    gyration_radius : numpy.ndarray
        Shape (n,), in :math:`\xi_0`.
    participation_area : numpy.ndarray
        Shape (n,), in :math:`\xi_0^2`.

    Raises
    ------
    ValueError
        If the shape does not match L or a state vanishes.
    """
    L = _lattice_size(L)
    a = _scalar_positive("a", a)
    S = np.asarray(states, dtype=float)
    if S.ndim == 1:
        S = S[:, None]
    if S.shape[0] != L * L:
        raise ValueError(f"states must have L*L = {L * L} rows, got {S.shape[0]}")
    w = S**2
    tot = w.sum(axis=0)
    if np.any(tot <= 0):
        raise ValueError("states must not vanish")
    w = (w / tot).reshape(L, L, -1)
    wx = w.sum(axis=1)          # (L, n) weight per ix
    wy = w.sum(axis=0)          # (L, n) weight per iy
    phase = np.exp(2j * np.pi * np.arange(L) / L)[:, None]
    cx = (np.angle((wx * phase).sum(axis=0)) % (2 * np.pi)) * L / (2 * np.pi)
    cy = (np.angle((wy * phase).sum(axis=0)) % (2 * np.pi)) * L / (2 * np.pi)
    i = np.arange(L)[:, None]
    dx = (i - cx[None, :] + L / 2) % L - L / 2
    dy = (i - cy[None, :] + L / 2) % L - L / 2
    rg2 = (wx * dx**2).sum(axis=0) + (wy * dy**2).sum(axis=0)
    pr = 1.0 / (w**2).sum(axis=(0, 1))
    pos = np.stack([cx, cy], axis=1) * a
    return pos, np.sqrt(rg2) * a, pr * a**2


@dataclass(frozen=True)
class Droplets:
    r"""Droplets of one disorder realisation: the negative eigenstates of the curvature.

    Attributes
    ----------
    L, a : int, float
        Lattice size and spacing (:math:`\xi_0`); the film is
        :math:`(La)^2`, periodic.
    delta_h, g : float
        Field and conductance.
    seed : int
        Seed of the potential.
    eigenvalues : numpy.ndarray
        The negative eigenvalues :math:`\kappa_i` of
        :math:`-\nabla^2 + \delta h + W`, ascending.
    positions : numpy.ndarray
        (n, 2) centres in :math:`\xi_0`.
    gyration_radius : numpy.ndarray
        (n,) in :math:`\xi_0`.
    participation_area : numpy.ndarray
        (n,) in :math:`\xi_0^2`.
    amplitude : numpy.ndarray
        (n,) peak gap :math:`\Delta_i/\Delta_0` to lowest order in the
        cubic term of eq. (2):
        :math:`\Delta_i^2 = 2|\kappa_i|\,\psi_{\max}^2\sum\psi^2/\sum\psi^4`.
    shape_factor : numpy.ndarray
        (n,) :math:`\Delta_i^2/|\kappa_i| = 2\psi_{\max}^2\sum\psi^2/\sum\psi^4`
        (equals :math:`Q(0)^2` for the optimal droplet).
    potential : numpy.ndarray
        (L, L) the random potential :math:`W`.
    states : numpy.ndarray or None
        (n, L, L) normalised eigenstates (if requested).
    """

    L: int
    a: float
    delta_h: float
    g: float
    seed: int
    eigenvalues: np.ndarray
    positions: np.ndarray
    gyration_radius: np.ndarray
    participation_area: np.ndarray
    amplitude: np.ndarray
    shape_factor: np.ndarray = field(repr=False)
    potential: np.ndarray = field(repr=False)
    states: np.ndarray | None = field(default=None, repr=False)

    @property
    def count(self) -> int:
        """Number of droplets (negative eigenvalues)."""
        return int(self.eigenvalues.size)

    @property
    def area(self) -> float:
        r"""Film area :math:`(La)^2` in :math:`\xi_0^2`."""
        return float((self.L * self.a) ** 2)

    @property
    def density(self) -> float:
        r"""Droplets per area, in :math:`\xi_0^{-2}`."""
        return self.count / self.area

    def restrict(self, delta_h):
        """The same realisation at a larger field (exact: delta_h only shifts the spectrum).

        Parameters
        ----------
        delta_h : float
            New field, >= ``self.delta_h``.

        Returns
        -------
        Droplets
            Eigenvalues shifted by ``delta_h - self.delta_h``; the states that
            stay negative, with their amplitudes recomputed.

        Raises
        ------
        ValueError
            If ``delta_h < self.delta_h`` (states above the computed window
            would be missing).
        """
        dh = float(delta_h)
        if not np.isfinite(dh) or dh < self.delta_h - 1e-15:
            raise ValueError(
                f"delta_h must be >= {self.delta_h} (the field this realisation was "
                f"computed at), got {delta_h!r}")
        lam = self.eigenvalues + (dh - self.delta_h)
        keep = lam < 0
        amp = np.sqrt(-lam[keep] * self.shape_factor[keep])
        return Droplets(
            L=self.L, a=self.a, delta_h=dh, g=self.g, seed=self.seed,
            eigenvalues=lam[keep], positions=self.positions[keep],
            gyration_radius=self.gyration_radius[keep],
            participation_area=self.participation_area[keep], amplitude=amp,
            shape_factor=self.shape_factor[keep], potential=self.potential,
            states=None if self.states is None else self.states[keep],
        )


def simulate_droplets(L, delta_h, g, seed, a=1.0, return_states=False, max_droplets=400):
    r"""Droplets of one disorder realisation on an L x L lattice.

    Builds :math:`\mathcal O = -\nabla^2 + \delta h + W` (periodic, spacing
    a, :math:`W` from :func:`disorder_potential`), finds all its negative
    eigenvalues (exact count by inertia, states by shift-invert Lanczos) and
    measures each negative eigenstate: centre, gyration radius,
    participation area and first-order gap amplitude.

    Parameters
    ----------
    L : int
        Linear lattice size, >= 3 (the film is :math:`(La)^2`).
    delta_h : float
        :math:`(B - B_{c\parallel})/B_{c\parallel}`, > 0.
    g : float
        Sheet conductance :math:`g_\square`, > 0.
    seed : int
        Seed of the potential (same seed -> same realisation).
    a : float
        Lattice spacing in :math:`\xi_0`, > 0 (should be well below
        :math:`L_f = \delta h^{-1/2}`).
    return_states : bool
        Keep the eigenstates (n, L, L) in the result.
    max_droplets : int
        Refuse realisations with more negative eigenvalues (not the dilute
        droplet regime).

    Returns
    -------
    Droplets

    Raises
    ------
    ValueError
        For bad parameters, or more than ``max_droplets`` negative
        eigenvalues.
    RuntimeError
        If the eigensolver fails.

    References
    ----------
    Zhou and Biagini, eqs. (4)-(5) (the droplet criterion); chapter 5.
    """
    L = _lattice_size(L)
    dh = _scalar_positive("delta_h", delta_h)
    g = _scalar_positive("g", g)
    a = _scalar_positive("a", a)
    V = disorder_potential(L, g, seed, a)
    H = curvature_operator(dh, V, a)
    try:
        w, v = eigenpairs_below(H, 0.0, vectors=True, max_count=max_droplets)
    except ValueError as err:
        if "max_count" not in str(err):
            raise
        raise ValueError(
            f"more than max_droplets = {max_droplets} negative eigenvalues: not the dilute "
            f"droplet regime (raise delta_h or g), got delta_h={dh}, g={g}") from err
    pos, rg, pr = droplet_geometry(v, L, a) if w.size else (np.empty((0, 2)),) + (np.empty(0),) * 2
    shape = 2.0 * np.max(v**2, axis=0) / np.sum(v**4, axis=0) if w.size else np.empty(0)
    states = v.T.reshape(-1, L, L).copy() if return_states else None
    return Droplets(L=L, a=a, delta_h=dh, g=g, seed=seed, eigenvalues=w,
                    positions=pos, gyration_radius=rg, participation_area=pr,
                    amplitude=np.sqrt(-w * shape), shape_factor=shape, potential=V,
                    states=states)


@dataclass(frozen=True)
class DensityEnsemble:
    r"""Droplet counts of an ensemble of realisations at several fields.

    Attributes
    ----------
    L, a, g : int, float, float
        Lattice and conductance.
    delta_h : numpy.ndarray
        Fields (ascending).
    counts : numpy.ndarray
        (n_samples, n_fields) number of negative eigenvalues.
    seed : int
        Master seed (realisation i uses ``default_rng([seed, i])``).
    """

    L: int
    a: float
    g: float
    delta_h: np.ndarray
    counts: np.ndarray = field(repr=False)
    seed: int

    @property
    def area(self) -> float:
        r"""Total area of the ensemble, in :math:`\xi_0^2`."""
        return float(self.counts.shape[0] * (self.L * self.a) ** 2)

    @property
    def total(self) -> np.ndarray:
        """Total number of droplets at each field."""
        return self.counts.sum(axis=0)

    @property
    def density(self) -> np.ndarray:
        r"""Mean droplet density at each field, in :math:`\xi_0^{-2}`."""
        return self.total / self.area

    @property
    def density_error(self) -> np.ndarray:
        """Standard error of the density (from the sample-to-sample scatter).

        Uses at least the Poisson error sqrt(max(total, 1)) / area.
        """
        n = self.counts.shape[0]
        sem = self.counts.std(axis=0, ddof=1) * np.sqrt(n) if n > 1 else np.zeros_like(self.total)
        return np.maximum(sem, np.sqrt(np.maximum(self.total, 1))) / self.area

    @property
    def s(self) -> np.ndarray:
        r"""Scaling variable :math:`\zeta = g_\square^2\delta h`."""
        return self.g**2 * self.delta_h


def density_ensemble(L, delta_h, g, n_samples, seed, a=1.0):
    r"""Measure the droplet density at several fields over many realisations.

    Since :math:`\delta h` only shifts the spectrum, the number of droplets
    at every field follows from the eigenvalues of :math:`-\nabla^2 + W`
    below :math:`-\min\delta h`: one diagonalisation per realisation.

    Parameters
    ----------
    L : int
        Linear lattice size, >= 3.
    delta_h : array_like
        Fields, > 0.
    g : float
        Sheet conductance :math:`g_\square`, > 0.
    n_samples : int
        Number of realisations, >= 1.
    seed : int
        Master seed; realisation i uses ``numpy.random.default_rng([seed, i])``
        (the same unit noise for every g).
    a : float
        Lattice spacing in :math:`\xi_0`.

    Returns
    -------
    DensityEnsemble

    Raises
    ------
    ValueError
        For bad parameters.
    """
    L = _lattice_size(L)
    g = _scalar_positive("g", g)
    a = _scalar_positive("a", a)
    dh = np.sort(np.atleast_1d(_positive("delta_h", delta_h)).ravel())
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)) or n_samples < 1:
        raise ValueError(f"n_samples must be an integer >= 1, got {n_samples!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    counts = np.zeros((int(n_samples), dh.size), dtype=int)
    for i in range(int(n_samples)):
        V = disorder_potential(L, g, [int(seed), i], a)
        H0 = curvature_operator(0.0, V, a)
        w = eigenpairs_below(H0, -dh[0], vectors=False)
        counts[i] = (w[:, None] < -dh[None, :]).sum(axis=0)
    return DensityEnsemble(L=L, a=a, g=g, delta_h=dh, counts=counts, seed=int(seed))


@dataclass(frozen=True)
class TailEstimate:
    r"""Importance-sampling estimate of the droplet density deep in the tail.

    Attributes
    ----------
    delta_h, g, a : float
        Field, conductance, lattice spacing (:math:`\xi_0`).
    L : int
        Linear size of the periodic box (sites).
    density : float
        Estimated :math:`\rho` in :math:`\xi_0^{-2}`.
    error : float
        Standard error of ``density`` (from the sample scatter).
    n_samples : int
        Number of tilted samples.
    gyration_radius : float
        Weighted mean gyration radius of the droplets (:math:`\xi_0`), or NaN
        if sizes were not measured (``measure_sizes=False``) or no sample
        had a droplet.
    """

    delta_h: float
    g: float
    a: float
    L: int
    density: float
    error: float
    n_samples: int
    gyration_radius: float = float("nan")

    @property
    def s(self) -> float:
        r"""Scaling variable :math:`\zeta = g_\square^2\delta h`."""
        return self.g**2 * self.delta_h


def _periodic_well(L, a, delta_h, tilt):
    """-tilt * delta_h * Q(|x|/L_f)^2 on the periodic L x L lattice, centred at site (0, 0)."""
    sp = saddle_point()
    i = np.arange(L)
    d = np.minimum(i, L - i) * a
    r = np.hypot(d[:, None], d[None, :]) * np.sqrt(delta_h)
    return -tilt * delta_h * np.interp(r, sp.r, sp.profile, right=0.0) ** 2


def tilt_log_ratio(potential, well, sigma):
    r"""Log of the mixture-to-white-noise density ratio used by :func:`density_importance`.

    For the white-noise density :math:`p(V) \propto e^{-|V|^2/2\sigma^2}` and
    the mixture :math:`q(V) = M^{-1}\sum_m p(V - \mu_m)` of copies of the
    well :math:`\mu` translated to every lattice site :math:`m`,

    .. math::

        \ln\frac{q(V)}{p(V)} = \ln\frac1M\sum_m
        \exp\!\left[\frac{V\cdot\mu_m}{\sigma^2} - \frac{|\mu|^2}{2\sigma^2}\right],

    with the correlations :math:`V\cdot\mu_m` computed by FFT.

    Parameters
    ----------
    potential : array_like
        (L, L) potential V.
    well : array_like
        (L, L) well :math:`\mu` centred at site (0, 0) (periodic).
    sigma : float
        Standard deviation of the white noise per site, > 0.

    Returns
    -------
    float
        :math:`\ln[q(V)/p(V)]`.

    Raises
    ------
    ValueError
        For mismatched shapes or ``sigma <= 0``.
    """
    V = np.asarray(potential, dtype=float)
    mu = np.asarray(well, dtype=float)
    if V.shape != mu.shape or V.ndim != 2:
        raise ValueError(f"potential and well must be (L, L) arrays of one shape, got "
                         f"{V.shape} and {mu.shape}")
    sigma = _scalar_positive("sigma", sigma)
    corr = np.fft.ifft2(np.fft.fft2(V) * np.conj(np.fft.fft2(mu))).real
    return float(special.logsumexp(corr / sigma**2 - np.sum(mu**2) / (2 * sigma**2))
                 - np.log(V.size))


def density_importance(delta_h, g, n_samples, seed, a=1.0, box=6.0, tilt=1.0,
                       measure_sizes=False):
    r"""Droplet density deep in the tail, by importance sampling around the optimal droplet.

    Direct sampling cannot reach :math:`g_\square^2\delta h \gtrsim 1.5` (densities
    below :math:`10^{-6}L_f^{-2}`). Here each sample is the white noise plus
    the optimal fluctuation :math:`\mu(\mathbf r) = -\text{tilt}\cdot\delta h\,
    Q^2(|\mathbf r - \mathbf r_m|/L_f)` (the well whose bound state sits
    exactly at zero) centred at a random site :math:`m`; the number of
    negative eigenvalues :math:`n` is counted exactly (:func:`count_below`)
    and reweighted by :math:`p/q` (:func:`tilt_log_ratio`), so that
    :math:`\rho = \langle n\,p/q\rangle_q / (La)^2` is unbiased.

    Parameters
    ----------
    delta_h : float
        > 0.
    g : float
        Sheet conductance :math:`g_\square`, > 0.
    n_samples : int
        Number of tilted samples, >= 2.
    seed : int
        Seed for ``numpy.random.default_rng``.
    a : float
        Lattice spacing in :math:`\xi_0`, > 0.
    box : float
        Side of the periodic box in units of :math:`L_f`, >= 3 (at least 8 sites).
    tilt : float
        Depth of the planted well in units of the optimal one, >= 0
        (0 = direct sampling).
    measure_sizes : bool
        Also diagonalise the samples that hold droplets and return the
        weighted mean gyration radius of their negative eigenstates.

    Returns
    -------
    TailEstimate

    Raises
    ------
    ValueError
        For bad parameters.
    """
    dh = _scalar_positive("delta_h", delta_h)
    g = _scalar_positive("g", g)
    a = _scalar_positive("a", a)
    box = _scalar_positive("box", box)
    if box < 3:
        raise ValueError(f"box must be >= 3 (units of L_f), got {box}")
    tilt = float(_nonnegative("tilt", tilt))
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)) or n_samples < 2:
        raise ValueError(f"n_samples must be an integer >= 2, got {n_samples!r}")
    L = max(int(np.ceil(box / np.sqrt(dh) / a)), 8)
    sigma = 1.0 / (g * a)
    mu = _periodic_well(L, a, dh, tilt)
    rng = np.random.default_rng(seed)
    vals = np.empty(int(n_samples))
    sizes = np.zeros(int(n_samples))
    for k in range(int(n_samples)):
        shift = tuple(rng.integers(L, size=2))
        V = np.roll(mu, shift, axis=(0, 1)) + sigma * rng.standard_normal((L, L))
        H = curvature_operator(dh, V, a)
        n = count_below(H, 0.0)
        vals[k] = n * np.exp(-tilt_log_ratio(V, mu, sigma)) if n else 0.0
        if n and measure_sizes:
            _, vec = eigenpairs_below(H, 0.0, method="sparse")
            sizes[k] = droplet_geometry(vec, L, a)[1].mean()
    area = (L * a) ** 2
    rg = float("nan")
    if measure_sizes and np.any(vals > 0):
        rg = float(np.sum(vals * sizes) / np.sum(vals))
    return TailEstimate(delta_h=dh, g=g, a=a, L=L, density=float(vals.mean() / area),
                        error=float(vals.std(ddof=1) / np.sqrt(n_samples) / area),
                        n_samples=int(n_samples), gyration_radius=rg)


def fit_exponent(s, scaled_density, counts=None, rel_errors=None, min_count=5):
    r"""Weighted fit :math:`\ln(\rho/\delta h) = c - \alpha\,\zeta` of the density law.

    The prediction is :math:`\alpha \to N_T` for :math:`\zeta = g_\square^2\delta h \gg 1` (argument ``s``).
    Points are weighted by the error of :math:`\ln\rho`: Poisson,
    :math:`1/\sqrt{\text{count}}`, or the given relative errors.

    Parameters
    ----------
    s : array_like
        Scaling variable :math:`g_\square^2\delta h`.
    scaled_density : array_like
        :math:`\rho/\delta h = \rho L_f^2`.
    counts : array_like, optional
        Number of droplets behind each point (direct sampling).
    rel_errors : array_like, optional
        Relative errors of the points (importance sampling); used if
        ``counts`` is None.
    min_count : int
        With ``counts``: points with fewer droplets are left out.

    Returns
    -------
    alpha : float
        Fitted exponent.
    alpha_err : float
        Its standard error (scaled up by the reduced chi-square if > 1).
    c : float
        Intercept.

    Raises
    ------
    ValueError
        If neither or both of ``counts``/``rel_errors`` are given, shapes
        differ, or fewer than 3 points are usable.
    """
    s = np.asarray(s, dtype=float).ravel()
    y = np.asarray(scaled_density, dtype=float).ravel()
    if (counts is None) == (rel_errors is None):
        raise ValueError("give exactly one of counts and rel_errors")
    if counts is not None:
        n = np.asarray(counts, dtype=float).ravel()
        if n.shape != s.shape:
            raise ValueError("s, scaled_density and counts must have the same length")
        m = (n >= min_count) & (y > 0)
        sig = 1.0 / np.sqrt(np.where(m, n, 1.0))
    else:
        sig = np.asarray(rel_errors, dtype=float).ravel()
        if sig.shape != s.shape:
            raise ValueError("s, scaled_density and rel_errors must have the same length")
        m = (y > 0) & (sig > 0) & np.isfinite(sig)
    if y.shape != s.shape:
        raise ValueError("s and scaled_density must have the same length")
    if np.count_nonzero(m) < 3:
        raise ValueError(f"need >= 3 usable points, got {np.count_nonzero(m)}")
    wts = 1.0 / sig[m]
    X = np.stack([np.ones(m.sum()), -s[m]], axis=1)
    Xw = X * wts[:, None]
    coef, *_ = np.linalg.lstsq(Xw, np.log(y[m]) * wts, rcond=None)
    resid = (np.log(y[m]) - X @ coef) * wts
    dof = max(int(m.sum()) - 2, 1)
    cov = np.linalg.inv(Xw.T @ Xw) * max(resid @ resid / dof, 1.0)
    return float(coef[1]), float(np.sqrt(cov[1, 1])), float(coef[0])


def fit_prefactor(s, scaled_density, rel_errors, exponent=None):
    r"""Prefactor :math:`c_\rho` of the density law for a given exponent (weighted fit).

    Fits :math:`\ln(\rho/\delta h) = \ln c_\rho + \ln[\tfrac12\mathrm{erfc}\sqrt{\alpha\zeta}]`
    (:func:`droplet_density`) with :math:`\alpha` fixed, weights
    :math:`1/\text{rel\_errors}^2`.

    Parameters
    ----------
    s : array_like
        :math:`g_\square^2\delta h`, > 0.
    scaled_density : array_like
        :math:`\rho/\delta h`, > 0.
    rel_errors : array_like
        Relative errors of the points, > 0.
    exponent : float, optional
        :math:`\alpha`; default :math:`N_T`.

    Returns
    -------
    ln_c : float
        :math:`\ln c_\rho`.
    ln_c_err : float
        Its standard error.

    Raises
    ------
    ValueError
        For mismatched shapes or non-positive values.
    """
    s = np.atleast_1d(_positive("s", s)).ravel()
    y = np.atleast_1d(_positive("scaled_density", scaled_density)).ravel()
    e = np.atleast_1d(_positive("rel_errors", rel_errors)).ravel()
    if not (s.shape == y.shape == e.shape):
        raise ValueError("s, scaled_density and rel_errors must have the same length")
    law = droplet_density(s, 1.0, exponent=exponent) / s
    w = 1.0 / e**2
    d = np.log(y) - np.log(law)
    ln_c = float(np.sum(w * d) / np.sum(w))
    chi2 = float(np.sum(w * (d - ln_c) ** 2)) / max(s.size - 1, 1)
    return ln_c, float(np.sqrt(max(chi2, 1.0) / np.sum(w)))


def droplet_test_map(potential, delta_h, a=1.0):
    r"""Curvature seen by an optimal droplet centred at each site (a variational test).

    For the trial state :math:`\eta_{\mathbf r_0}(\mathbf r) = Q(|\mathbf r -
    \mathbf r_0|/L_f)` (Townes profile, :math:`L_f = \delta h^{-1/2}`), the
    Rayleigh quotient of :math:`\mathcal O = -\nabla^2 + \delta h + W` is

    .. math::

        \kappa(\mathbf r_0) = \frac{\langle\eta|\mathcal O|\eta\rangle}{\langle\eta|\eta\rangle}
        = 2\,\delta h + \frac{\sum_{\mathbf r} W(\mathbf r)\,\eta_{\mathbf r_0}^2(\mathbf r)}
        {\sum_{\mathbf r}\eta_{\mathbf r_0}^2(\mathbf r)}

    in the continuum limit (the kinetic term of the Townes profile equals
    :math:`\delta h` by the Pohozaev identity). By the variational
    principle, :math:`\kappa(\mathbf r_0)` bounds the lowest curvature eigenvalue from above, so :math:`\min\kappa < 0` guarantees a droplet. The lattice kinetic
    term is evaluated exactly here, not in the continuum limit.

    Parameters
    ----------
    potential : array_like
        (L, L) random potential :math:`W` (periodic).
    delta_h : float
        > 0.
    a : float
        Lattice spacing in :math:`\xi_0`, > 0.

    Returns
    -------
    numpy.ndarray
        (L, L) map of :math:`\kappa(\mathbf r_0)` (same units as :math:`\delta h`).

    Raises
    ------
    ValueError
        For bad input or a droplet wider than the lattice (:math:`L a < 4 L_f`).
    """
    V = np.asarray(potential, dtype=float)
    if V.ndim != 2 or V.shape[0] != V.shape[1] or V.shape[0] < 3:
        raise ValueError(f"potential must be an (L, L) array with L >= 3, got shape {V.shape}")
    dh = _scalar_positive("delta_h", delta_h)
    a = _scalar_positive("a", a)
    L = V.shape[0]
    if L * a < 4.0 / np.sqrt(dh):
        raise ValueError(f"the lattice (L a = {L * a}) must be at least 4 L_f = "
                         f"{4 / np.sqrt(dh):.3g} wide for delta_h = {dh}")
    eta = np.sqrt(-_periodic_well(L, a, dh, 1.0) / dh)   # Q(|r|/L_f), centred at (0, 0)
    w = eta**2
    norm = w.sum()
    lap = lattice_laplacian(L, a)
    kinetic = float(-(eta.ravel() @ (lap @ eta.ravel())) / norm)
    corr = np.fft.ifft2(np.fft.fft2(V) * np.conj(np.fft.fft2(w))).real / norm
    return kinetic + dh + corr


@dataclass(frozen=True)
class DensityScan:
    r"""The chapter's measurement of the density law (see :func:`density_scan`).

    Attributes
    ----------
    ensembles : tuple of DensityEnsemble
        Direct sampling, one per conductance.
    tail : tuple of TailEstimate
        Importance sampling deep in the tail.
    """

    ensembles: tuple
    tail: tuple


@functools.lru_cache(maxsize=4)
def density_scan(g_values=(3.0, 4.0, 6.0), s_values=tuple(np.round(np.arange(0.2, 1.41, 0.1), 2)),
                 L=64, n_samples=24, seed=7, tail_g=6.0, tail_s=(1.5, 2.0, 2.5, 3.0, 3.5, 4.0),
                 tail_samples=60, a=1.0):
    r"""Direct and importance-sampled droplet densities over a range of g and delta_h (cached).

    The data of chapter 5's density-law figures and explorer, computed once
    per session (``functools.lru_cache``). For each g in ``g_values``,
    :func:`density_ensemble` on ``n_samples`` L x L lattices at
    :math:`\delta h = \zeta/g_\square^2`, :math:`\zeta` in ``s_values``; then
    :func:`density_importance` at ``tail_g`` for s in ``tail_s``
    (``tail_samples`` samples each, seed ``seed + k``, sizes measured).

    Parameters
    ----------
    g_values, s_values, tail_s : tuple of float
        Conductances and scaling variables :math:`\zeta = g_\square^2\delta h`.
    L : int
        Lattice size of the direct ensembles.
    n_samples : int
        Realisations per conductance.
    seed : int
        Master seed.
    tail_g : float
        Conductance of the importance-sampling run.
    tail_samples : int
        Samples per tail point.
    a : float
        Lattice spacing in :math:`\xi_0`.

    Returns
    -------
    DensityScan

    Raises
    ------
    ValueError
        For bad parameters (from the underlying functions).
    """
    ens = tuple(density_ensemble(L, np.asarray(s_values) / g**2, g, n_samples, seed, a)
                for g in g_values)
    tail = tuple(density_importance(s / tail_g**2, tail_g, tail_samples, seed + k, a,
                                    measure_sizes=True)
                 for k, s in enumerate(tail_s))
    return DensityScan(ensembles=ens, tail=tail)


# ============================================================================
# 3. Josephson couplings between droplets and the glass
# ============================================================================
def green_free_2d(r, eps, k_F=1.0, zeeman=0.0):
    r"""Matsubara Green function of free 2D electrons in real space (hbar = m = 1).

    .. math::

        G(r, i\epsilon) = \int\frac{d^2k}{(2\pi)^2}\frac{e^{i\mathbf k\cdot\mathbf r}}
        {i\epsilon - k^2/2 + \mu + z} = -\frac{i}{2}H_0^{(1)}(\kappa r),\quad
        \kappa = \sqrt{2(\mu + z + i\epsilon)},\ \mu = k_F^2/2,

    for :math:`\epsilon > 0` (:math:`G(r,-i\epsilon) = G(r,i\epsilon)^*`).
    ``zeeman`` :math:`z = \pm h` is the spin's Zeeman shift.

    Parameters
    ----------
    r : array_like
        Distance, > 0.
    eps : array_like
        Matsubara frequency, != 0.
    k_F : float
        Fermi momentum, > 0.
    zeeman : float
        Energy shift of the spin species, :math:`|z| < \mu`.

    Returns
    -------
    numpy.ndarray (complex)

    Raises
    ------
    ValueError
        For ``r <= 0``, ``eps == 0``, ``k_F <= 0`` or ``|zeeman| >= mu``.
    """
    r = _positive("r", r)
    eps = np.asarray(eps, dtype=float)
    if np.any(eps == 0) or not np.all(np.isfinite(eps)):
        raise ValueError("eps must be finite and non-zero")
    k_F = _scalar_positive("k_F", k_F)
    mu = 0.5 * k_F**2
    if abs(zeeman) >= mu:
        raise ValueError(f"zeeman must satisfy |zeeman| < mu = {mu}, got {zeeman}")
    kap = np.sqrt(2.0 * (mu + zeeman + 1j * np.abs(eps)))
    G = -0.5j * special.hankel1(0, kap * r)
    return np.where(eps > 0, G, np.conj(G))


def pair_correlation_clean(r, h, v_F=1.0, phase=0.0):
    r"""Clean-limit Cooper-pair correlation of a 2D metal at T = 0, large distance.

    .. math::

        \Pi(r) \simeq \frac{\nu}{2\pi}\,\frac{\cos(2hr/v_F + \varphi)}{r^2},
        \qquad \varphi = 0,

    in units of the density of states per spin :math:`\nu` (hbar = 1,
    :math:`h = \mu_B B`). This is the asymptote of
    :func:`pair_correlation_free`; eq. (19) of the paper prints
    :math:`\varphi = -\pi/4`, which the exact calculation does not support
    (the :math:`\pi/4` phases of the two Green functions cancel). Pass
    ``phase=-np.pi/4`` to draw the printed form.

    Parameters
    ----------
    r : array_like
        Distance (units of :math:`v_F/\text{energy}`), > 0.
    h : array_like
        Zeeman energy :math:`h = \mu_B B`, >= 0.
    v_F : float
        Fermi velocity, > 0.
    phase : float
        Constant phase :math:`\varphi` (default 0, the exact value).

    Returns
    -------
    numpy.ndarray
        :math:`\Pi(r)/\nu`; zeros at :math:`r = (n + 1/2)\pi v_F/(2h)` for
        :math:`\varphi = 0`.

    Raises
    ------
    ValueError
        For ``r <= 0``, ``h < 0`` or ``v_F <= 0``.

    References
    ----------
    Zhou and Biagini, eq. (19); chapter 5.
    """
    r = _positive("r", r)
    h = _nonnegative("h", h)
    v_F = _scalar_positive("v_F", v_F)
    return np.cos(2.0 * h * r / v_F + float(phase)) / (2.0 * np.pi * r**2)


def pair_correlation_free(r, h, k_F=1.0):
    r"""Exact T = 0 pair correlation of free 2D electrons with a Zeeman splitting.

    .. math::

        \Pi(r) = \int_{-\infty}^{\infty}\frac{d\epsilon}{2\pi}\,
        G_\uparrow(r, i\epsilon)\,G_\downarrow(r, -i\epsilon)
        = \int_0^\infty \frac{d\epsilon}{\pi}\,
        \mathrm{Re}\,[G_\uparrow(r, i\epsilon)G_\downarrow(r, i\epsilon)^*],

    with :func:`green_free_2d` (spin up/down shifted by :math:`\pm h`),
    hbar = m = 1, :math:`v_F = k_F`, :math:`\nu = 1/(2\pi)`. Returned in units
    of :math:`\nu`, to compare with :func:`pair_correlation_clean`.

    Parameters
    ----------
    r : array_like
        Distances, > 0 (:math:`k_F r \gtrsim 1`).
    h : float
        Zeeman energy, :math:`0 \le h < k_F^2/2`.
    k_F : float
        Fermi momentum, > 0.

    Returns
    -------
    numpy.ndarray
        :math:`\Pi(r)/\nu`.

    Raises
    ------
    ValueError
        For bad inputs.
    RuntimeError
        If the frequency integral does not converge.
    """
    r = np.atleast_1d(_positive("r", r)).astype(float)
    h = float(_nonnegative("h", h))
    k_F = _scalar_positive("k_F", k_F)
    if h >= 0.5 * k_F**2:
        raise ValueError(f"h must be < k_F^2/2 = {0.5 * k_F**2}, got {h}")
    nu = 1.0 / (2.0 * np.pi)
    out = np.empty_like(r)
    for i, ri in enumerate(r.ravel()):
        def f(e, ri=ri):
            gu = green_free_2d(ri, e, k_F, +h)
            gd = green_free_2d(ri, e, k_F, -h)
            return float((gu * np.conj(gd)).real) / np.pi

        scale = k_F / ri  # integrand decays on eps ~ v_F / r
        edges = [0.0] + list(scale * np.array([0.3, 1, 3, 10, 30, 100])) + [np.inf]
        val = 0.0
        for lo, hi in zip(edges[:-1], edges[1:]):
            v, err = integrate.quad(f, lo, hi, limit=400, epsabs=1e-14, epsrel=1e-10)
            val += v
        out.ravel()[i] = val / nu
    return out.reshape(np.shape(r))


def field_length(h):
    r"""Zeeman length of the dirty film, :math:`L_H/\xi_0 = (\Delta_0/h)^{1/2}`.

    :math:`L_H = \sqrt{\hbar\mathcal D/h}` is the distance a pair diffuses while its
    Zeeman phase grows by one; with :math:`\xi_0 = \sqrt{\hbar\mathcal D/\Delta_0}`,
    :math:`L_H/\xi_0 = (h/\Delta_0)^{-1/2}`.

    Parameters
    ----------
    h : array_like
        Zeeman energy :math:`h/\Delta_0 = \mu_B B/\Delta_0`, > 0.

    Returns
    -------
    numpy.ndarray
        :math:`L_H/\xi_0`.

    Raises
    ------
    ValueError
        For ``h <= 0``.

    References
    ----------
    Zhou and Biagini, after eq. (19); chapter 5.
    """
    return 1.0 / np.sqrt(_positive("h", h))


def dirty_coupling_mean(r, L_H):
    r"""The paper's disorder-averaged Josephson coupling in the dirty limit (Zeeman-phase picture).

    Regime: a film *without* spin-orbit scattering (the paper's grain
    example), not the strong spin-orbit films of its droplets. Chapter 5
    shows that the diffusive average in that regime is in fact
    :math:`\propto e^{-r/L_H}\cos(r/L_H - \pi/8)` at large distance (see
    :func:`pair_correlation_diffusive`); :math:`\sqrt2/L_H` is the modulus of
    the complex decay constant. Kept as the paper's formula.

    .. math::

        \langle E_J(r)\rangle \propto \frac{e^{-\sqrt2\,r/L_H}}{r^2},\qquad
        L_H = \sqrt{\hbar\mathcal D/h} = \xi_0\sqrt{\Delta_0/h},

    while the typical magnitude stays :math:`\propto 1/r^2` (paper, after
    eq. 19). Normalised so that the typical coupling is :math:`1/r^2`.

    Parameters
    ----------
    r : array_like
        Distance in :math:`\xi_0`, > 0.
    L_H : float
        Field length in :math:`\xi_0`, > 0.

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    ValueError
        For non-positive inputs.
    """
    r = _positive("r", r)
    L_H = _scalar_positive("L_H", L_H)
    return np.exp(-np.sqrt(2.0) * r / L_H) / r**2


def _phase_width2(r, L_H):
    # random-phase model: <cos theta> = exp(-sigma^2/2) = exp(-sqrt2 r / L_H)
    return 2.0 * np.sqrt(2.0) * r / L_H


def dirty_couplings(r, L_H, seed):
    r"""Random Josephson couplings in the dirty limit (a minimal random-phase model).

    Regime: the paper's Zeeman-phase picture (no spin-orbit scattering). In
    the strong spin-orbit regime of the droplets the random signs come from
    the mesoscopic coupling instead (:func:`mesoscopic_network`).

    Each coupling is :math:`E_J = \cos\theta / r^2` with a Gaussian pair
    phase :math:`\theta \sim N(0, \sigma^2)`, :math:`\sigma^2 = 2\sqrt2\,r/L_H`,
    chosen so that :math:`\langle E_J\rangle` is :func:`dirty_coupling_mean`
    while :math:`|E_J| \sim 1/r^2`. (The paper gives only these two
    moments; the Gaussian phase is our model of the pair's Zeeman phase
    accumulated along many diffusive paths.)

    Parameters
    ----------
    r : array_like
        Distances in :math:`\xi_0`, > 0 (any shape).
    L_H : float
        Field length in :math:`\xi_0`, > 0.
    seed : int
        Seed for ``numpy.random.default_rng``.

    Returns
    -------
    numpy.ndarray
        Couplings, same shape as ``r``.

    Raises
    ------
    ValueError
        For non-positive inputs.
    """
    r = _positive("r", r)
    L_H = _scalar_positive("L_H", L_H)
    rng = np.random.default_rng(seed)
    theta = rng.standard_normal(r.shape) * np.sqrt(_phase_width2(r, L_H))
    return np.cos(theta) / r**2


def negative_fraction(r, L_H, n_terms=200):
    r"""Probability that a dirty-limit coupling at distance r is negative (pi junction).

    For :math:`\theta \sim N(0,\sigma^2)`, from the Fourier series of
    :math:`\mathrm{sign}\cos\theta`:

    .. math::

        P(E_J < 0) = \frac12 - \frac{2}{\pi}\sum_{k\ge0}\frac{(-1)^k}{2k+1}
        e^{-(2k+1)^2\sigma^2/2} ,

    which rises from 0 (:math:`r \ll L_H`) to 1/2 (:math:`r \gg L_H`).

    Parameters
    ----------
    r : array_like
        Distances in :math:`\xi_0`, > 0.
    L_H : float
        Field length in :math:`\xi_0`, > 0.
    n_terms : int
        Terms of the series, >= 1.

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    ValueError
        For non-positive inputs.
    """
    r = _positive("r", r)
    L_H = _scalar_positive("L_H", L_H)
    if int(n_terms) < 1:
        raise ValueError(f"n_terms must be >= 1, got {n_terms}")
    s2 = _phase_width2(r, L_H)[..., None]
    k = np.arange(int(n_terms))
    terms = (-1.0) ** k / (2 * k + 1) * np.exp(-((2 * k + 1) ** 2) * s2 / 2)
    p = 0.5 - 2.0 / np.pi * terms.sum(axis=-1)
    return np.clip(p, 0.0, 0.5)


def _place_droplets(n, box, r_min, rng):
    """``n`` uniform random points in ``[0, box)^2``, no two closer than ``r_min``.

    Rejection sampling with at most ``2000 n`` draws; raises ``ValueError`` when
    the points do not fit.
    """
    pos = []
    for _ in range(2000 * n):
        p = rng.uniform(0, box, size=2)
        if all(np.hypot(*(p - q)) >= r_min for q in pos):
            pos.append(p)
            if len(pos) == n:
                return np.array(pos)
    raise ValueError(f"could not place n={n} droplets at distance >= r_min={r_min} "
                     f"in a box of side {box}")


def droplet_network(n, box, L_H, seed, r_min=1.0):
    r"""Random droplet positions in a square and their dirty-limit couplings.

    Positions are uniform in :math:`[0, \text{box})^2` (rejecting pairs closer
    than ``r_min``); couplings :math:`J_{ij}` from :func:`dirty_couplings`.

    Parameters
    ----------
    n : int
        Number of droplets, >= 2.
    box : float
        Side of the square in :math:`\xi_0`, > 0.
    L_H : float
        Field length in :math:`\xi_0`, > 0.
    seed : int
        Seed for ``numpy.random.default_rng``.
    r_min : float
        Smallest droplet distance, > 0.

    Returns
    -------
    positions : numpy.ndarray
        (n, 2).
    J : numpy.ndarray
        (n, n) symmetric couplings, zero diagonal.

    Raises
    ------
    ValueError
        For bad inputs, or if n droplets do not fit at distance ``r_min``.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"n must be an integer >= 2, got {n!r}")
    box = _scalar_positive("box", box)
    L_H = _scalar_positive("L_H", L_H)
    r_min = _scalar_positive("r_min", r_min)
    rng = np.random.default_rng(seed)
    pos = _place_droplets(n, box, r_min, rng)
    d = np.hypot(*(pos[:, None, :] - pos[None, :, :]).transpose(2, 0, 1))
    iu = np.triu_indices(n, 1)
    J = np.zeros((n, n))
    J[iu] = dirty_couplings(d[iu], L_H, rng.integers(2**63))
    return pos, J + J.T


def _check_couplings(J):
    J = np.asarray(J, dtype=float)
    if J.ndim != 2 or J.shape[0] != J.shape[1] or J.shape[0] < 2:
        raise ValueError(f"J must be a square (n, n) matrix with n >= 2, got shape {J.shape}")
    if not np.all(np.isfinite(J)) or not np.allclose(J, J.T, atol=1e-14):
        raise ValueError("J must be a finite symmetric matrix")
    J = J.copy()
    np.fill_diagonal(J, 0.0)
    return J


def josephson_energy(phases, J):
    r"""Josephson energy of droplet phases, :math:`E = -\sum_{i<j} J_{ij}\cos(\varphi_i - \varphi_j)`.

    :math:`J_{ij} > 0` favours equal phases (0 junction), :math:`J_{ij} < 0`
    opposite phases (:math:`\pi` junction).

    Parameters
    ----------
    phases : array_like
        Shape (..., n).
    J : array_like
        (n, n) symmetric couplings (diagonal ignored).

    Returns
    -------
    numpy.ndarray
        Energy, shape (...).

    Raises
    ------
    ValueError
        For a non-symmetric J or mismatched shapes.
    """
    J = _check_couplings(J)
    ph = np.asarray(phases, dtype=float)
    if ph.shape[-1] != J.shape[0]:
        raise ValueError(f"phases must end with n = {J.shape[0]} entries, got shape {ph.shape}")
    d = ph[..., :, None] - ph[..., None, :]
    return -0.5 * np.sum(J * np.cos(d), axis=(-2, -1))


def xy_ground_state(J, n_starts=32, seed=0, max_iter=2000):
    r"""Ground state of the droplet-phase (XY) model by multi-start local minimisation.

    Minimises :func:`josephson_energy` over the phases with L-BFGS from
    ``n_starts`` random starts (``numpy.random.default_rng(seed)``), the
    first phase fixed to 0 (global gauge).

    Parameters
    ----------
    J : array_like
        (n, n) symmetric couplings.
    n_starts : int
        Number of random starts, >= 1.
    seed : int
        Seed for the starting phases.
    max_iter : int
        Iteration limit of each local minimisation.

    Returns
    -------
    energy : float
        Lowest energy found.
    phases : numpy.ndarray
        (n,) phases in :math:`(-\pi, \pi]`, with phase 0 equal to 0.

    Raises
    ------
    ValueError
        For bad inputs.
    RuntimeError
        If no local minimisation converges.
    """
    J = _check_couplings(J)
    if int(n_starts) < 1:
        raise ValueError(f"n_starts must be >= 1, got {n_starts}")
    n = J.shape[0]
    rng = np.random.default_rng(seed)

    def fun(x):
        ph = np.concatenate([[0.0], x])
        d = ph[:, None] - ph[None, :]
        e = -0.5 * np.sum(J * np.cos(d))
        grad = np.sum(J * np.sin(d), axis=1)
        return e, grad[1:]

    best = (np.inf, None)
    for _ in range(int(n_starts)):
        x0 = rng.uniform(-np.pi, np.pi, n - 1)
        res = optimize.minimize(fun, x0, jac=True, method="L-BFGS-B",
                                options=dict(maxiter=int(max_iter), gtol=1e-10, ftol=1e-13))
        if res.success and res.fun < best[0]:
            best = (float(res.fun), res.x)
    if best[1] is None:
        raise RuntimeError(f"xy_ground_state: no local minimisation converged in {max_iter} steps")
    ph = np.concatenate([[0.0], best[1]])
    ph = np.angle(np.exp(1j * ph))
    return best[0], ph


def ising_ground_state(J):
    r"""Exact ground state with phases restricted to 0 or pi (exhaustive search).

    Minimises :math:`-\sum_{i<j}J_{ij}\sigma_i\sigma_j` over all
    :math:`2^{n-1}` sign patterns (:math:`\sigma_0 = +1`).

    Parameters
    ----------
    J : array_like
        (n, n) symmetric couplings, 2 <= n <= 20.

    Returns
    -------
    energy : float
    phases : numpy.ndarray
        (n,) with values 0 or pi.

    Raises
    ------
    ValueError
        For bad J or n > 20.
    """
    J = _check_couplings(J)
    n = J.shape[0]
    if n > 20:
        raise ValueError(f"ising_ground_state: n must be <= 20 for exhaustive search, got {n}")
    bits = (np.arange(2 ** (n - 1))[:, None] >> np.arange(n - 1)[None, :]) & 1
    sig = np.concatenate([np.ones((bits.shape[0], 1)), 1 - 2 * bits], axis=1)
    e = -0.5 * np.einsum("ci,ij,cj->c", sig, J, sig)
    k = int(np.argmin(e))
    return float(e[k]), np.where(sig[k] > 0, 0.0, np.pi)


def frustrated_fraction(J):
    r"""Fraction of droplet triangles whose coupling signs are frustrated.

    A triangle (i, j, k) is frustrated when
    :math:`J_{ij}J_{jk}J_{ki} < 0`: no choice of phases 0/pi satisfies all
    three junctions.

    Parameters
    ----------
    J : array_like
        (n, n) symmetric couplings, n >= 3.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        For bad J.
    """
    J = _check_couplings(J)
    n = J.shape[0]
    if n < 3:
        raise ValueError(f"need n >= 3 droplets for triangles, got {n}")
    tri = np.array(list(itertools.combinations(range(n), 3)))
    prod = J[tri[:, 0], tri[:, 1]] * J[tri[:, 1], tri[:, 2]] * J[tri[:, 2], tri[:, 0]]
    return float(np.mean(prod < 0))


# ============================================================================
# 4. The couplings under strong spin-orbit scattering (the paper's regime)
# ============================================================================
def pair_correlation_diffusive(r, zeeman=0.0, pair_breaking=0.0):
    r"""Disorder-averaged pair correlation of a diffusive 2D film at T = 0.

    The ladder-summed pair propagator (Cooperon) of a diffusive film is
    :math:`[\mathcal D q^2 + 2|\epsilon| + 2\Gamma_{\rm pb} + 2ih\,\mathrm{sgn}\,\epsilon]^{-1}`:
    a Zeeman energy :math:`h` *without* spin-orbit scattering enters as an
    imaginary shift (the pair's Zeeman phase), a pair-breaking rate
    :math:`\Gamma_{\rm pb}` (the Zeeman field *with* strong spin-orbit scattering,
    :math:`\Gamma_{\rm pb} \sim h^2\tau_{\rm so}/\hbar`) as a real one. Integrating over
    the frequency at :math:`T = 0` and over the 2D momentum gives

    .. math::

        \langle \Pi(r)\rangle = \frac{\nu}{2\pi^2 r^2}\,
        \mathrm{Re}\left[\kappa r\,K_1(\kappa r)\right],\qquad
        \kappa^2 = \frac{2(\Gamma_{\rm pb} + i h)}{\mathcal D} .

    With :math:`\Gamma_{\rm pb} = 0` the decay is S/F-like,
    :math:`\propto e^{-r/L_H}\cos(r/L_H + \dots)` with
    :math:`L_H = \sqrt{\mathcal D/h}` (``field_length``); with :math:`h = 0`
    it is monotonic, :math:`\propto e^{-r\sqrt{2\Gamma_{\rm pb}/\mathcal D}}`.

    Parameters
    ----------
    r : array_like
        Distance in :math:`\xi_0 = \sqrt{\hbar\mathcal D/\Delta_0}`, > 0.
    zeeman : float
        Zeeman energy :math:`h/\Delta_0` acting on the pair's phase (no
        spin-orbit scattering), >= 0.
    pair_breaking : float
        Pair-breaking rate :math:`\Gamma_{\rm pb}/\Delta_0`, >= 0 (the
        Abrikosov-Gor'kov critical value at T = 0 is 1/2).

    Returns
    -------
    numpy.ndarray
        :math:`\langle \Pi(r)\rangle` in units of :math:`\nu/\xi_0^2`.

    Raises
    ------
    ValueError
        For ``r <= 0`` or negative ``zeeman``, ``pair_breaking``.

    References
    ----------
    Zhou and Biagini, after eq. (19) (who give the decay as
    :math:`e^{-\sqrt2 r/L_H}`); chapter 5, section on the couplings.
    """
    r = _positive("r", r)
    h = float(_nonnegative("zeeman", zeeman))
    gam = float(_nonnegative("pair_breaking", pair_breaking))
    kappa = np.sqrt(2.0 * (gam + 1j * h))
    x = kappa * r
    with np.errstate(invalid="ignore"):
        f = np.where(np.abs(x) > 0, x * special.kv(1, np.where(np.abs(x) > 0, x, 1.0)), 1.0)
    return np.real(f) / (2.0 * np.pi**2 * r**2)


def _tail_profile(y):
    """Townes profile Q(y) for any y >= 0 (grid inside, exact c K0 tail outside)."""
    sp = saddle_point()
    y = np.asarray(y, dtype=float)
    inside = np.interp(y, sp.r, sp.profile)
    return np.where(y <= sp.r[-1], inside, sp.tail_coefficient * special.k0(np.maximum(y, 1e-300)))


def _tail_source():
    # Q = G * Q^3 with G = K0/(2 pi) the Green function of -lap + 1, so the
    # overlap integral int Q^3(y) c K0(|y - R|) d^2y equals 2 pi c Q(R) exactly
    return 2.0 * np.pi * saddle_point().tail_coefficient


def droplet_coupling_mean(R):
    r"""Average Josephson coupling of two optimal droplets at distance r (in units of L_f).

    Two droplets :math:`\Delta_i\eta_i + e^{i\varphi}\Delta_j\eta_j`, with
    :math:`\eta_i = Q(|\mathbf r - \mathbf r_i|/L_f)/Q(0)` (peak value 1),
    each at threshold in its own optimal well :math:`W_i = -\delta h\,Q^2`,
    have the cross energy :math:`-J_{ij}\cos\varphi` with
    :math:`J_{ij} = -2\Delta_i\Delta_j\int\eta_i\,\mathcal O\,\eta_j
    = 2\Delta_i\Delta_j\,\bar j(\tilde r)`. For :math:`\tilde r = r/L_f \gg 1`

    .. math::

        \bar j(\tilde r) = \frac{1}{Q(0)^2}\int Q^3(\mathbf y)\,Q(|\mathbf y - \tilde{\mathbf r}|)\,d^2y
        \simeq \frac{2\pi c}{Q(0)^2}\,Q(\tilde r) ,

    with :math:`Q(y) \simeq c\,K_0(y)` (in the tail :math:`Q` is
    :math:`c\,K_0`, and :math:`Q = (K_0/2\pi) * Q^3` exactly, which turns the
    overlap integral into :math:`2\pi c\,Q(\tilde r)`): positive and monotonic, decaying as
    :math:`e^{-\tilde r}/\sqrt{\tilde r}`. The average part of the curvature couples
    droplets only through the overlap of their tails.

    Parameters
    ----------
    R : array_like
        Distance in units of :math:`L_f = \xi_0\,\delta h^{-1/2}`, > 0.

    Returns
    -------
    numpy.ndarray
        :math:`\bar j(\tilde r)`, the coupling per :math:`2\Delta_i\Delta_j` (gaps in
        :math:`\Delta_0`), in the units of the book's unit-normalised
        Ginzburg-Landau functional (the curvature is dimensionless with
        lengths in :math:`\xi_0`, so :math:`\delta h\,L_f^2 = 1`).

    Raises
    ------
    ValueError
        For ``R <= 0``.

    References
    ----------
    Zhou and Biagini, text after eq. (18) (overlap estimate
    :math:`\propto e^{-L_d/L_f}`); chapter 5.
    """
    R = _positive("R", R)
    sp = saddle_point()
    return _tail_source() * _tail_profile(R) / sp.q0**2


def droplet_coupling_rms(R, g, nonlocal_strength=1.0):
    r"""Root-mean-square mesoscopic Josephson coupling of two optimal droplets.

    The non-local term of the paper's eq. (3),
    :math:`\langle\delta\mathcal O(\mathbf a,\mathbf b)\,\delta\mathcal O(\mathbf b,\mathbf a)\rangle
    = c_{nl}\,g_\square^{-2}\,\xi_0^4/|\mathbf a - \mathbf b|^4`, gives the coupling
    :math:`2\Delta_i\Delta_j\int\!\!\int\eta_i\,\delta\mathcal O\,\eta_j` a random
    part of zero mean and, for :math:`r \gg L_f`, the rms value

    .. math::

        \delta j(R) = \frac{\sqrt{c_{nl}}}{g_\square r^2}\int\eta_i^2\,d^2r
        = \frac{\sqrt{c_{nl}}\,N_T}{Q(0)^2\,g_\square\,R^2} ,

    per :math:`2\Delta_i\Delta_j`, with :math:`\int\eta^2 = N_T L_f^2/Q(0)^2` and
    :math:`r = R L_f`. It decays as a power, so beyond a few :math:`L_f` it
    dominates :func:`droplet_coupling_mean`.

    Parameters
    ----------
    R : array_like
        Distance in :math:`L_f`, > 0.
    g : float
        Sheet conductance :math:`g_\square`, > 0.
    nonlocal_strength : float
        :math:`c_{nl}`, the unknown order-one constant of the non-local
        correlator (the paper writes "proportional to"), > 0.

    Returns
    -------
    numpy.ndarray
        :math:`\delta j(R)` in the units of :func:`droplet_coupling_mean`.

    Raises
    ------
    ValueError
        For non-positive inputs.

    References
    ----------
    Zhou and Biagini, eqs. (3) and (18); Zhou and Spivak, PRL 80, 5647 (1998);
    chapter 5.
    """
    R = _positive("R", R)
    g = _scalar_positive("g", g)
    c = _scalar_positive("nonlocal_strength", nonlocal_strength)
    sp = saddle_point()
    return np.sqrt(c) * sp.norm / (sp.q0**2 * g * R**2)


def pi_junction_probability(R, g, nonlocal_strength=1.0):
    r"""Probability that the coupling of two optimal droplets is negative (a pi junction).

    With a Gaussian mesoscopic part,
    :math:`P(J < 0) = \tfrac12\,\mathrm{erfc}\big(\bar j/\sqrt2\,\delta j\big)`,
    from :func:`droplet_coupling_mean` and :func:`droplet_coupling_rms`. It
    rises from 0 for overlapping droplets to 1/2 once
    :math:`g_\square R^2 e^{-R}/\sqrt R \ll 1`.

    Parameters
    ----------
    R : array_like
        Distance in :math:`L_f`, > 0.
    g : float
        Sheet conductance :math:`g_\square`, > 0.
    nonlocal_strength : float
        :math:`c_{nl}`, > 0.

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    ValueError
        For non-positive inputs.

    References
    ----------
    Chapter 5 (the book's reading of the paper's eq. 18).
    """
    m = droplet_coupling_mean(R)
    s = droplet_coupling_rms(R, g, nonlocal_strength)
    return 0.5 * special.erfc(m / (np.sqrt(2.0) * s))


def mesoscopic_network(n, box, delta_h, g, seed, r_min=None, nonlocal_strength=1.0):
    r"""Optimal droplets at random positions with mean + mesoscopic Josephson couplings.

    Positions are uniform in :math:`[0, \text{box})^2` (in :math:`\xi_0`),
    no two closer than ``r_min`` (default :math:`2L_f`). Each droplet gets a
    peak gap :math:`\Delta_i` drawn from the Rayleigh law of eq. (17) with
    :math:`\mathcal C = N_T/Q(0)^2`; each pair gets
    :math:`J_{ij} = 2\Delta_i\Delta_j[\bar j(\tilde r) + \delta j(\tilde r)\,x_{ij}]`,
    :math:`x_{ij}` standard normal, :math:`\tilde r = r_{ij}/L_f`. The mesoscopic part is
    taken real (a 0 or :math:`\pi` junction); see chapter 5 for why it is in
    general complex when time reversal is broken.

    Parameters
    ----------
    n : int
        Number of droplets, >= 2.
    box : float
        Side of the square in :math:`\xi_0`, > 0.
    delta_h : float
        :math:`\delta h`, > 0 (sets :math:`L_f = \delta h^{-1/2}`).
    g : float
        Sheet conductance :math:`g_\square`, > 0.
    seed : int
        Seed for ``numpy.random.default_rng``.
    r_min : float, optional
        Smallest distance in :math:`\xi_0`, > 0 (default :math:`2L_f`).
    nonlocal_strength : float
        :math:`c_{nl}` of :func:`droplet_coupling_rms`, > 0.

    Returns
    -------
    positions : numpy.ndarray
        (n, 2), in :math:`\xi_0`.
    gaps : numpy.ndarray
        (n,) peak gaps :math:`\Delta_i/\Delta_0`.
    J : numpy.ndarray
        (n, n) symmetric couplings, zero diagonal.

    Raises
    ------
    ValueError
        For bad inputs, or if the droplets do not fit.

    References
    ----------
    Zhou and Biagini, eqs. (17)-(18); chapter 5.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"n must be an integer >= 2, got {n!r}")
    box = _scalar_positive("box", box)
    delta_h = _scalar_positive("delta_h", delta_h)
    g = _scalar_positive("g", g)
    L_f = 1.0 / np.sqrt(delta_h)
    r_min = 2.0 * L_f if r_min is None else _scalar_positive("r_min", r_min)
    rng = np.random.default_rng(seed)
    pos = _place_droplets(n, box, r_min, rng)
    gaps = np.sqrt(rng.exponential(size=n) / (amplitude_constant() * g**2))
    d = np.hypot(*(pos[:, None, :] - pos[None, :, :]).transpose(2, 0, 1))
    iu = np.triu_indices(n, 1)
    R = d[iu] / L_f
    j = droplet_coupling_mean(R) + droplet_coupling_rms(R, g, nonlocal_strength) * rng.standard_normal(R.size)
    J = np.zeros((n, n))
    J[iu] = 2.0 * gaps[iu[0]] * gaps[iu[1]] * j
    return pos, gaps, J + J.T


def critical_field_shift(delta_h, g, a=1.0):
    r"""One-loop (Brezin-Parisi) shift of the critical field by the white-noise disorder.

    To second order in the random potential the averaged curvature at the
    threshold energy is :math:`-\nabla^2 + \delta h - \Sigma`, with

    .. math::

        \Sigma(\delta h) = \frac{1}{g_\square^2}\int_{\rm BZ}\frac{d^2k}{(2\pi)^2}
        \frac{1}{\epsilon_k + \delta h}, \qquad
        \epsilon_k = \frac{4}{a^2}\left[\sin^2\frac{k_xa}{2} + \sin^2\frac{k_ya}{2}\right],

    which in two dimensions depends logarithmically on the lattice spacing,
    :math:`\Sigma \simeq \ln[32/(a^2\delta h)]/(4\pi g_\square^2)` for
    :math:`a^2\delta h \ll 1`. Measuring the field from the renormalised
    critical field, :math:`\delta h_R = \delta h - \Sigma`, removes that
    cutoff dependence from the droplet density to leading order. Evaluated as
    :math:`a^{-2}\int_0^\infty dt\,e^{-\delta h\,t}\,[e^{-x}I_0(x)]^2`,
    :math:`x = 2t/a^2` (the heat kernel of the square lattice).

    Parameters
    ----------
    delta_h : array_like
        :math:`\delta h`, > 0.
    g : float
        Sheet conductance :math:`g_\square`, > 0.
    a : float
        Lattice spacing in :math:`\xi_0`, > 0.

    Returns
    -------
    numpy.ndarray
        :math:`\Sigma` (same shape as ``delta_h``).

    Raises
    ------
    ValueError
        For non-positive inputs.

    References
    ----------
    E. Brezin and G. Parisi, J. Phys. C 13, L307 (1980) (renormalise the
    band edge before the optimal fluctuation); chapter 5.
    """
    dh = _positive("delta_h", delta_h)
    g = _scalar_positive("g", g)
    a = _scalar_positive("a", a)

    def one(x):
        f = lambda t: np.exp(-x * t) * special.ive(0, 2.0 * t / a**2) ** 2
        val = integrate.quad(f, 0, np.inf, limit=400, epsabs=0, epsrel=1e-10)[0]
        return val / a**2

    out = np.vectorize(one, otypes=[float])(dh)
    return out / g**2
