r"""Pairing in a single degenerate shell: seniority, quasi-spin, canonical thermodynamics.

The model (seed paper 001, eq. (1); chapter 3 of the book) is one spherical
shell of orbital angular momentum :math:`l` -- :math:`M = 2l + 1` orbitals
:math:`\lambda = -l, \dots, l`, each with two spin states -- holding
:math:`n` electrons (``n_electrons``), with the pairing interaction and the
orbital plus spin Zeeman coupling to a field along :math:`z`:

.. math::

    H = -G A^\dagger A - \omega\,(L_z + 2 S_z), \qquad
    A^\dagger = \sum_{\lambda=-l}^{l} a^\dagger_{\lambda\uparrow}
                a^\dagger_{-\lambda\downarrow}.

Every single-particle state :math:`k = (\lambda, \sigma)` carries the moment
:math:`m_k = \lambda + 2\sigma` (in units of :math:`\mu_B`); the pair
operator creates two electrons in time-reversed states whose moments cancel,
so :math:`A^\dagger` commutes with :math:`L_z + 2S_z`.

Exact solution (quasi-spin SU(2), seed 001 eq. (4))
    The eigenvalues of :math:`-GA^\dagger A` are

    .. math:: E_\nu = -\frac{G}{4}\,(n - \nu)(2M + 2 - n - \nu),

    with the seniority :math:`\nu` (number of unpaired electrons) restricted
    to :math:`0 \le \nu \le \min(n, 2M - n)` and :math:`\nu \equiv n \pmod 2`
    (the seed's ":math:`\nu \le M`" alone is incomplete). There are
    :math:`\binom{2M}{\nu} - \binom{2M}{\nu-2}` states of seniority
    :math:`\nu` at every allowed :math:`n`.

Canonical partition function (derived in chapter 3; replaces seed eqs. (6)-(9))
    .. math::

        Z = \sum_\nu e^{-\beta E_\nu}\,\bigl[\Phi_\nu - \Phi_{\nu-2}\bigr],\qquad
        \Phi_\nu = \sum_{\text{all }\nu\text{-electron determinants}}
                   e^{\beta\omega m} = e_\nu(x_1, \dots, x_{2M}),

    with :math:`x_k = e^{\beta\omega m_k}` and :math:`e_\nu` the elementary
    symmetric polynomial (:math:`\Phi_{-1} = \Phi_{-2} = 0`). Numerically the
    library expands :math:`\Phi_\nu - \Phi_{\nu-2}` into the integer number
    :math:`c_\nu(m)` of seniority-:math:`\nu` states of moment :math:`m` and
    sums Boltzmann factors measured from the ground state, which never
    overflows (shells up to :math:`l = 50` are accepted).

Units
    The caller's energy unit; ``G = 1`` sets it. Temperatures with
    :math:`k_B = 1`; :math:`\omega = \mu_B B` is the Larmor energy, moments
    are in :math:`\mu_B`. The susceptibility is :math:`\chi = -\partial^2 F /
    \partial\omega^2` (in :math:`\mu_B^2` per energy unit; multiply by
    :math:`1/V` for the seed's eq. (2) with :math:`\hbar = 1`), and the heat
    capacity is :math:`C = -T\,\partial^2 F/\partial T^2` (the seed's eq. (2)
    lacks the factor :math:`T`). Chapter 3 plots in units of
    :math:`\Delta(0) = GM/2` (:attr:`SingleShell.delta0`) and
    :math:`T_c = \Delta(0)/2` (:attr:`SingleShell.tc`), the grand-canonical
    BCS values of the half-filled shell.

Example
-------
>>> shell = SingleShell(l=5, n_electrons=10)          # M = 11, G = 1
>>> float(shell.seniority_energy(0))
-35.0
>>> [round(float(w), 4) for w in shell.step_fields()]  # T = 0 crossings
[1.0, 1.125, 1.1667, 1.25, 1.5]
>>> float(shell.canonical_gap(0.0, 0.0)) ** 2         # = -G E_0
35.0

References
----------
Seed 001: Frauendorf, Kuzmenko, Mikhajlov, Sheikh, "Step wise destruction of
the pair correlations in micro clusters by a magnetic field", eqs. (1)-(12).
Quasi-spin: Kerman, Ann. Phys. 12, 300 (1961); seniority: Racah (1943).
Used in chapter 3 ("Seniority clusters").
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "L_MAX",
    "single_particle_moments",
    "pair_moments",
    "allowed_seniorities",
    "seniority_energy",
    "seniority_degeneracy",
    "max_moment",
    "seniority_moment_counts",
    "determinant_generating_function",
    "exact_spectrum",
    "exact_thermodynamics",
    "BCSSolution",
    "SingleShell",
]

#: Largest orbital angular momentum accepted (M = 101 orbitals).
L_MAX = 50

# --------------------------------------------------------------------------
# input checks
# --------------------------------------------------------------------------


def _check_l(l):
    if isinstance(l, bool) or not float(l).is_integer():
        raise ValueError(f"l must be an integer in [0, {L_MAX}], got {l!r}")
    l = int(l)
    if not 0 <= l <= L_MAX:
        raise ValueError(f"l must be an integer in [0, {L_MAX}], got {l}")
    return l


def _check_n(n, M):
    if isinstance(n, bool) or not float(n).is_integer():
        raise ValueError(
            f"n_electrons must be an integer in [0, 2M] = [0, {2 * M}], got {n!r}")
    n = int(n)
    if not 0 <= n <= 2 * M:
        raise ValueError(
            f"n_electrons must be an integer in [0, 2M] = [0, {2 * M}], got {n}")
    return n


def _check_G(G):
    G = float(G)
    if not (np.isfinite(G) and G > 0):
        raise ValueError(f"G must be a finite number > 0, got {G}")
    return G


def _as_float_array(name, value):
    arr = np.asarray(value, dtype=float)
    bad = ~np.isfinite(arr)
    if np.any(bad):
        raise ValueError(f"{name} must be finite, got {arr[bad].ravel()[0]}")
    return arr


def _check_T(T, strictly_positive):
    T = _as_float_array("T", T)
    if strictly_positive:
        if np.any(T <= 0):
            raise ValueError(f"T must be > 0, got {T[T <= 0].ravel()[0]}")
    elif np.any(T < 0):
        raise ValueError(f"T must be >= 0, got {T[T < 0].ravel()[0]}")
    return T


# --------------------------------------------------------------------------
# single-particle structure and seniority bookkeeping
# --------------------------------------------------------------------------


def single_particle_moments(l):
    r"""Moments :math:`m_k = \lambda + 2\sigma` of the :math:`2M` states of a shell.

    Parameters
    ----------
    l : int
        Orbital angular momentum of the shell, ``0 <= l <= L_MAX``.

    Returns
    -------
    numpy.ndarray of int, shape (2M,)
        First the spin-up states :math:`\lambda = -l, \dots, l` (moments
        :math:`\lambda + 1`), then the spin-down states (:math:`\lambda - 1`).

    Raises
    ------
    ValueError
        If ``l`` is not an integer in the allowed range.

    References
    ----------
    Seed 001, eq. (1) (g-factor 2 for the spin, 1 for the orbit). Chapter 3.
    """
    l = _check_l(l)
    lam = np.arange(-l, l + 1)
    return np.concatenate([lam + 1, lam - 1]).astype(int)


def pair_moments(l):
    r"""Moment :math:`m_p` of the first member of each time-reversed pair.

    The pair :math:`p` is :math:`\{(\lambda,\uparrow), (-\lambda,\downarrow)\}`
    with moments :math:`\pm(\lambda + 1)`; these enter the BCS quasiparticle
    energies :math:`E_p \mp \omega m_p`.

    Parameters
    ----------
    l : int
        Orbital angular momentum of the shell.

    Returns
    -------
    numpy.ndarray of int, shape (M,)
        :math:`m_p = \lambda + 1` for :math:`\lambda = -l, \dots, l`.

    Raises
    ------
    ValueError
        If ``l`` is not an integer in ``[0, L_MAX]``.

    References
    ----------
    Seed 001, eq. (1) and the BCS treatment cited there. Chapter 3.
    """
    l = _check_l(l)
    return np.arange(-l, l + 1) + 1


def allowed_seniorities(l, n_electrons):
    r"""Seniorities that occur for ``n_electrons`` in the shell.

    :math:`\nu \equiv n \pmod 2` and :math:`0 \le \nu \le \min(n, 2M - n)`
    (which implies :math:`\nu \le M`).

    Parameters
    ----------
    l : int
        Orbital angular momentum, :math:`M = 2l + 1`.
    n_electrons : int
        Electrons in the shell, ``0 <= n <= 2M``.

    Returns
    -------
    numpy.ndarray of int
        The allowed seniorities in ascending order.

    Raises
    ------
    ValueError
        If ``l`` or ``n_electrons`` is out of range.

    References
    ----------
    Seed 001, text after eq. (4) (where only :math:`\nu \le n` and
    :math:`\nu \le M` are stated). Chapter 3.
    """
    l = _check_l(l)
    M = 2 * l + 1
    n = _check_n(n_electrons, M)
    return np.arange(n % 2, min(n, 2 * M - n) + 1, 2)


def seniority_energy(nu, n_electrons, M, G=1.0):
    r"""Pairing energy :math:`E_\nu = -\tfrac{G}{4}(n-\nu)(2M+2-n-\nu)`.

    Pure formula (seed 001, eq. (4)); :meth:`SingleShell.seniority_energy`
    checks that :math:`\nu` is allowed. Vectorised over ``nu``.

    Parameters
    ----------
    nu : int or array_like
        Seniority.
    n_electrons : int
        Electrons in the shell.
    M : int
        Number of orbitals, :math:`2l + 1`.
    G : float
        Pairing strength, > 0.

    Returns
    -------
    float or numpy.ndarray
        :math:`E_\nu` in units of the caller (``G`` sets them).

    Raises
    ------
    ValueError
        If ``G <= 0``.

    References
    ----------
    Seed 001, eq. (4); derivation by quasi-spin in chapter 3.
    """
    G = _check_G(G)
    nu = np.asarray(nu, dtype=float)
    # "+ 0.0" turns the -0.0 of a fully blocked shell into 0.0
    return -0.25 * G * (n_electrons - nu) * (2 * M + 2 - n_electrons - nu) + 0.0


def seniority_degeneracy(M, nu):
    r"""Number of states of seniority :math:`\nu`: :math:`\binom{2M}{\nu}-\binom{2M}{\nu-2}`.

    The same at every electron number :math:`n` for which :math:`\nu` is
    allowed (each state is the bottom of a quasi-spin multiplet).

    Parameters
    ----------
    M : int
        Number of orbitals (> 0).
    nu : int
        Seniority, ``0 <= nu <= M``.

    Returns
    -------
    int
        Exact integer count.

    Raises
    ------
    ValueError
        If ``M < 1`` or ``nu`` is outside ``[0, M]``.

    References
    ----------
    Seed 001, text after eq. (5). Chapter 3.
    """
    M = int(M)
    if M < 1:
        raise ValueError(f"M must be >= 1, got {M}")
    nu = int(nu)
    if not 0 <= nu <= M:
        raise ValueError(f"nu must be in [0, M] = [0, {M}], got {nu}")
    return math.comb(2 * M, nu) - (math.comb(2 * M, nu - 2) if nu >= 2 else 0)


def max_moment(l, nu):
    r"""Largest moment :math:`m_\nu` (in :math:`\mu_B`) among seniority-:math:`\nu` states.

    .. math::

        m_\nu = \tfrac14\Bigl\{\nu(2M - \nu) - \tfrac12\bigl[1 - (-1)^\nu\bigr]
                 + 4(1 - \delta_{\nu 0})\Bigr\},

    i.e. the :math:`\nu` largest single-particle moments
    :math:`l+1, l, l-1, l-1, l-2, l-2, \dots` (seed 001, eq. (11), verified).

    Parameters
    ----------
    l : int
        Orbital angular momentum, :math:`M = 2l + 1`.
    nu : int or array_like of int
        Seniority, ``0 <= nu <= M``.

    Returns
    -------
    int or numpy.ndarray of int

    Raises
    ------
    ValueError
        If ``l`` or ``nu`` is out of range.

    References
    ----------
    Seed 001, eq. (11). Chapter 3.
    """
    l = _check_l(l)
    M = 2 * l + 1
    nu_arr = np.asarray(nu)
    if not np.all(np.equal(np.mod(nu_arr, 1), 0)) or np.any((nu_arr < 0) | (nu_arr > M)):
        raise ValueError(f"nu must be integer(s) in [0, M] = [0, {M}], got {nu!r}")
    v = nu_arr.astype(int)
    four_m = v * (2 * M - v) - (v % 2) + 4 * (v > 0)
    out = four_m // 4
    return int(out) if out.ndim == 0 else out


@functools.lru_cache(maxsize=64)
def _determinant_counts(l):
    """Counts e_t(m) of t-electron determinants of total moment m, t = 0..M.

    Returns (m_values, table) with table[t, j] the count at m = m_values[j];
    float64 (exact integers below 2**53, i.e. for l <= 13).
    """
    M = 2 * l + 1
    mk = single_particle_moments(l)
    mmax = (M * M + 3) // 4  # = max_moment(l, M), the largest |m| for t <= M
    width = 2 * mmax + 1
    table = np.zeros((M + 1, width))
    table[0, mmax] = 1.0
    for m in mk:
        shifted = np.zeros((M, width))
        if m >= 0:
            shifted[:, m:] = table[:-1, :width - m]
        else:
            shifted[:, :width + m] = table[:-1, -m:]
        table[1:] += shifted
    return np.arange(-mmax, mmax + 1), table


def seniority_moment_counts(l):
    r"""Number :math:`c_\nu(m)` of seniority-:math:`\nu` states with moment :math:`m`.

    :math:`c_\nu(m)` is the coefficient of :math:`q^m` in
    :math:`e_\nu - e_{\nu-2}`, where :math:`e_t = \sum q^{m}` over all
    :math:`t`-electron Slater determinants of the shell (generating function
    :math:`\prod_k (1 + t\,q^{m_k})`, built by a recursion over the :math:`2M`
    single-particle states).

    Parameters
    ----------
    l : int
        Orbital angular momentum, ``0 <= l <= L_MAX``.

    Returns
    -------
    m_values : numpy.ndarray of int, shape (W,)
        Moments :math:`-m_{\max}, \dots, m_{\max}`.
    counts : numpy.ndarray of float
        Shape ``(M + 1, W)``; ``counts[nu, j]`` = :math:`c_\nu(m_j)`; integers (exact for
        :math:`l \le 13`, relative accuracy ~1e-14 beyond).

    Raises
    ------
    ValueError
        If ``l`` is out of range.

    References
    ----------
    Chapter 3 (derivation of the partition function); corrects seed 001,
    eqs. (6)-(7).
    """
    l = _check_l(l)
    m_values, e = _determinant_counts(l)
    c = e.copy()
    c[2:] -= e[:-2]
    scale = e.max(axis=1, keepdims=True)
    if np.any(c < -1e-9 * scale):  # pragma: no cover - would be a library bug
        raise RuntimeError("negative seniority count: inconsistent generating function")
    c = np.where(c < 0.5, 0.0, c)
    exact = e.max() < 2.0 ** 52
    if exact:
        c = np.rint(c)
    return m_values, c


def determinant_generating_function(l, nu, beta_omega):
    r"""Sum of :math:`e^{\beta\omega m}` over all :math:`\nu`-electron determinants.

    Closed form used in seed 001, eqs. (8)-(9) (corrected and derived in
    chapter 3): split the :math:`\nu` electrons into :math:`\nu/2 + \Sigma`
    spin-up and :math:`\nu/2 - \Sigma` spin-down ones,

    .. math::

        \Phi_\nu = \sum_{\Sigma} e^{2\beta\omega\Sigma}\,
            \tilde\Phi_{\nu/2+\Sigma}\,\tilde\Phi_{\nu/2-\Sigma},\qquad
        \tilde\Phi_k = \prod_{\mu=1}^{k}
            \frac{\sinh[\beta\omega(M+1-\mu)/2]}{\sinh(\beta\omega\mu/2)},

    where :math:`\tilde\Phi_k` (a Gaussian binomial coefficient) is the sum
    over :math:`k`-subsets of the orbitals of :math:`e^{\beta\omega\sum\lambda}`.
    Meant for moderate :math:`|\beta\omega|` (the products overflow for
    large arguments; :class:`SingleShell` uses exact integer counts instead).

    Parameters
    ----------
    l : int
        Orbital angular momentum.
    nu : int
        Number of electrons, ``0 <= nu <= 2M``.
    beta_omega : float or array_like
        :math:`\beta\omega`; 0 gives :math:`\binom{2M}{\nu}`.

    Returns
    -------
    float or numpy.ndarray

    Raises
    ------
    ValueError
        If ``l`` or ``nu`` is out of range, or ``|beta_omega| > 50`` (overflow).

    References
    ----------
    Seed 001, eqs. (8)-(9). Chapter 3.
    """
    l = _check_l(l)
    M = 2 * l + 1
    nu = _check_n(nu, M)
    x = _as_float_array("beta_omega", beta_omega)
    if np.any(np.abs(x) > 50):
        raise ValueError(
            f"beta_omega must be in [-50, 50] for the product form, got "
            f"{x[np.abs(x) > 50].ravel()[0]}")

    def phi_tilde(k):
        if k < 0 or k > M:
            return np.zeros_like(x)
        out = np.ones_like(x)
        small = np.abs(x) < 1e-8
        xs = np.where(small, 1.0, x)
        for mu in range(1, k + 1):
            ratio = np.sinh(xs * (M + 1 - mu) / 2) / np.sinh(xs * mu / 2)
            out = out * np.where(small, (M + 1 - mu) / mu, ratio)
        return out

    total = np.zeros_like(x)
    for n_up in range(0, nu + 1):
        n_dn = nu - n_up
        total = total + np.exp(x * (n_up - n_dn)) * phi_tilde(n_up) * phi_tilde(n_dn)
    return float(total) if total.ndim == 0 else total


# --------------------------------------------------------------------------
# brute-force exact diagonalisation (independent of the seniority algebra)
# --------------------------------------------------------------------------


def _apply_annihilate(state, mode):
    """c_mode |state> for a bit-string state: (sign, new_state) or None."""
    if not (state >> mode) & 1:
        return None
    sign = -1 if bin(state & ((1 << mode) - 1)).count("1") % 2 else 1
    return sign, state & ~(1 << mode)


def _apply_create(state, mode):
    """c_mode^dagger |state>: (sign, new_state) or None."""
    if (state >> mode) & 1:
        return None
    sign = -1 if bin(state & ((1 << mode) - 1)).count("1") % 2 else 1
    return sign, state | (1 << mode)


def exact_spectrum(l, n_electrons, G=1.0):
    r"""Brute-force spectrum of :math:`-GA^\dagger A` with the moment of each state.

    Builds the pairing Hamiltonian in the basis of all
    :math:`\binom{2M}{n}` Slater determinants with explicit fermionic signs
    (modes ordered spin-up :math:`\lambda=-l..l`, then spin-down), splits it
    into blocks of fixed :math:`L_z + 2S_z` and diagonalises each block
    densely. Nothing of the quasi-spin algebra is used, so this is the
    independent check of :class:`SingleShell`.

    Parameters
    ----------
    l : int
        Orbital angular momentum; the Hilbert space must not exceed
        20 000 states (``l <= 3`` always works).
    n_electrons : int
        Electrons in the shell.
    G : float
        Pairing strength (> 0).

    Returns
    -------
    pair_energies : numpy.ndarray, shape (D,)
        Eigenvalues of :math:`-GA^\dagger A`.
    moments : numpy.ndarray of int, shape (D,)
        The :math:`L_z + 2S_z` eigenvalue of each eigenstate; in a field the
        energies are ``pair_energies - omega * moments``.

    Raises
    ------
    ValueError
        If the input is out of range or the space is too large.

    References
    ----------
    Seed 001, eq. (1). "Beyond the paper" section of chapter 3.
    """
    l = _check_l(l)
    M = 2 * l + 1
    n = _check_n(n_electrons, M)
    G = _check_G(G)
    dim = math.comb(2 * M, n)
    if dim > 20000:
        raise ValueError(
            f"Hilbert space of l={l}, n_electrons={n} has {dim} states; "
            "exact_spectrum accepts at most 20000")
    e, m = _exact_spectrum_cached(l, n, G)
    return e.copy(), m.copy()


@functools.lru_cache(maxsize=32)
def _exact_spectrum_cached(l, n, G):
    M = 2 * l + 1
    lam = np.arange(-l, l + 1)
    mode_moment = np.concatenate([lam + 1, lam - 1])
    up = {int(x): i for i, x in enumerate(lam)}          # mode of (lam, up)
    dn = {int(x): M + i for i, x in enumerate(lam)}      # mode of (lam, down)
    pairs = [(up[int(x)], dn[int(-x)]) for x in lam]      # (k, kbar)

    states = [sum(1 << i for i in occ) for occ in itertools.combinations(range(2 * M), n)]
    blocks = {}
    for s in states:
        m = int(sum(mode_moment[i] for i in range(2 * M) if (s >> i) & 1))
        blocks.setdefault(m, []).append(s)

    energies, moments = [], []
    for m, basis in blocks.items():
        index = {s: i for i, s in enumerate(basis)}
        h = np.zeros((len(basis), len(basis)))
        for col, s in enumerate(basis):
            for k, kb in pairs:            # A = sum a_kbar a_k
                r1 = _apply_annihilate(s, k)
                if r1 is None:
                    continue
                r2 = _apply_annihilate(r1[1], kb)
                if r2 is None:
                    continue
                sign_a = r1[0] * r2[0]
                mid = r2[1]
                for q, qb in pairs:        # A^dagger = sum a_q^dagger a_qbar^dagger
                    r3 = _apply_create(mid, qb)
                    if r3 is None:
                        continue
                    r4 = _apply_create(r3[1], q)
                    if r4 is None:
                        continue
                    h[index[r4[1]], col] += -G * sign_a * r3[0] * r4[0]
        if not np.allclose(h, h.T, atol=1e-12):  # pragma: no cover - bug guard
            raise RuntimeError("brute-force pairing matrix is not symmetric")
        ev = np.linalg.eigvalsh(h)
        energies.append(ev)
        moments.append(np.full(len(ev), m))
    return np.concatenate(energies), np.concatenate(moments)


def exact_thermodynamics(l, n_electrons, T, omega, G=1.0):
    r"""Canonical thermodynamics from the brute-force spectrum (:func:`exact_spectrum`).

    Direct Boltzmann sums over all eigenstates :math:`U_i = E_i - \omega m_i`.

    Parameters
    ----------
    l, n_electrons, G
        As in :func:`exact_spectrum`.
    T : float
        Temperature, > 0.
    omega : float
        Larmor energy.

    Returns
    -------
    dict
        ``log_Z``, ``free_energy``, ``pair_energy`` (:math:`\langle -GA^\dagger
        A\rangle`), ``canonical_gap`` (:math:`\sqrt{-G E_c}`), ``moment``,
        ``susceptibility`` (:math:`\beta\,\mathrm{Var}\,m`), ``heat_capacity``
        (:math:`\mathrm{Var}\,U / T^2`).

    Raises
    ------
    ValueError
        If ``T <= 0`` or the input of :func:`exact_spectrum` is invalid.

    References
    ----------
    Seed 001, eqs. (2), (10). Chapter 3, "Beyond the paper".
    """
    T = float(_check_T(T, strictly_positive=True))
    omega = float(_as_float_array("omega", omega))
    e, m = exact_spectrum(l, n_electrons, G)
    u = e - omega * m
    x = -(u - u.min()) / T
    w = np.exp(x)
    z = w.sum()
    p = w / z
    mean_m = p @ m
    mean_u = p @ u
    ec = p @ e
    return {
        "log_Z": float(np.log(z) - u.min() / T),
        "free_energy": float(u.min() - T * np.log(z)),
        "pair_energy": float(ec),
        "canonical_gap": float(np.sqrt(max(-G * ec, 0.0))),
        "moment": float(mean_m),
        "susceptibility": float(p @ (m - mean_m) ** 2 / T),
        "heat_capacity": float(p @ (u - mean_u) ** 2 / T**2),
    }


# --------------------------------------------------------------------------
# the single-shell model
# --------------------------------------------------------------------------


@functools.lru_cache(maxsize=128)
def _level_tables(l, n):
    """Seniority levels of (l, n) in the d-index form used by the thermodynamics.

    Returns nus (K,), m_nu (K,), counts (K, D) with counts[i, d] = c_nu(m_nu - d).
    """
    nus = allowed_seniorities(l, n)
    m_values, c = seniority_moment_counts(l)
    mmax = (len(m_values) - 1) // 2
    m_nu = np.atleast_1d(max_moment(l, nus))
    D = 2 * int(m_nu.max()) + 1
    table = np.zeros((len(nus), D))
    for i, (nu, mn) in enumerate(zip(nus, m_nu)):
        # c_nu(m) for m = mn, mn-1, ..., -mn  -> d = 0 .. 2 mn
        j_hi = mmax + mn
        j_lo = mmax - mn
        table[i, :2 * mn + 1] = c[nu, j_lo:j_hi + 1][::-1]
    return nus, m_nu.astype(float), table


def _boltzmann(beta, arg):
    """exp(-beta * arg) for arg >= 0, with beta = inf meaning the T -> 0 limit."""
    with np.errstate(invalid="ignore", over="ignore"):
        out = np.exp(-beta * arg)
    zero_t = np.isinf(beta) & np.ones_like(arg, dtype=bool)
    if np.any(zero_t):
        out = np.where(zero_t, (arg <= 0).astype(float), out)
    return out


@dataclass(frozen=True)
class BCSSolution:
    """Grand-canonical BCS mean-field state of a shell at given (T, omega).

    Attributes
    ----------
    gap : numpy.ndarray
        :math:`\\Delta \\ge 0`.
    xi : numpy.ndarray
        :math:`\\xi = \\epsilon - \\mu` of the shell level (:math:`\\epsilon = 0`),
        fixed by :math:`\\langle n\\rangle = n`.
    free_energy : numpy.ndarray
        :math:`F = \\Omega + \\mu n` of the chosen (lowest) solution.
    moment : numpy.ndarray
        :math:`\\langle L_z + 2S_z \\rangle` (:math:`\\mu_B`).
    """

    gap: np.ndarray
    xi: np.ndarray
    free_energy: np.ndarray
    moment: np.ndarray


@dataclass(frozen=True)
class SingleShell:
    r"""A degenerate shell of :math:`M = 2l + 1` orbitals with :math:`n` electrons.

    :math:`H = -G A^\dagger A - \omega (L_z + 2S_z)` (seed 001, eq. (1)); see
    the module docstring for the solution and units. All thermodynamic
    methods are canonical (fixed :math:`n`) and vectorised: ``T`` and
    ``omega`` broadcast against each other.

    Parameters
    ----------
    l : int
        Orbital angular momentum, ``0 <= l <= L_MAX``.
    n_electrons : int
        Electrons in the shell, ``0 <= n_electrons <= 2M``.
    G : float
        Pairing strength, > 0 (sets the energy unit).

    Raises
    ------
    ValueError
        If a parameter is out of range.

    References
    ----------
    Seed 001, eqs. (1)-(12). Chapter 3.

    Examples
    --------
    >>> s = SingleShell(l=1, n_electrons=3)
    >>> s.M, s.seniorities.tolist(), s.max_moment(3)
    (3, [1, 3], 3)
    """

    l: int
    n_electrons: int
    G: float = 1.0

    def __post_init__(self):
        l = _check_l(self.l)
        object.__setattr__(self, "l", l)
        object.__setattr__(self, "n_electrons", _check_n(self.n_electrons, 2 * l + 1))
        object.__setattr__(self, "G", _check_G(self.G))

    # -- basic structure -------------------------------------------------------
    @property
    def M(self) -> int:
        """Number of orbitals :math:`2l + 1` (the shell holds :math:`2M` electrons)."""
        return 2 * self.l + 1

    @property
    def delta0(self) -> float:
        """:math:`\\Delta(0) = GM/2`, BCS gap of the half-filled shell (chapter unit)."""
        return self.G * self.M / 2

    @property
    def tc(self) -> float:
        """:math:`T_c = \\Delta(0)/2 = GM/4`, BCS transition of the half-filled shell."""
        return self.delta0 / 2

    @property
    def seniorities(self) -> np.ndarray:
        """Allowed seniorities (see :func:`allowed_seniorities`)."""
        return allowed_seniorities(self.l, self.n_electrons)

    @property
    def nu_max(self) -> int:
        """Largest allowed seniority :math:`\\min(n, 2M - n)`."""
        return int(self.seniorities[-1])

    def _check_nu(self, nu):
        nu_arr = np.asarray(nu)
        allowed = self.seniorities
        if not np.all(np.isin(nu_arr, allowed)):
            raise ValueError(
                f"nu must be one of the allowed seniorities {allowed.tolist()} for "
                f"l={self.l}, n_electrons={self.n_electrons}, got {nu!r}")
        return nu_arr.astype(int)

    def seniority_energy(self, nu):
        """:math:`E_\\nu` of seed 001 eq. (4) for an allowed seniority (vectorised).

        Parameters
        ----------
        nu : int or array_like of int
            Allowed seniority (see :attr:`seniorities`).

        Returns
        -------
        float or numpy.ndarray

        Raises
        ------
        ValueError
            If ``nu`` is not allowed for this shell and electron number.

        References
        ----------
        Seed 001, eq. (4). Chapter 3.
        """
        nu = self._check_nu(nu)
        out = seniority_energy(nu, self.n_electrons, self.M, self.G)
        return float(out) if np.ndim(out) == 0 else out

    def degeneracy(self, nu):
        r"""Number of states of seniority ``nu`` (:func:`seniority_degeneracy`).

        Parameters
        ----------
        nu : int
            Allowed seniority.

        Returns
        -------
        int
            :math:`\binom{2M}{\nu} - \binom{2M}{\nu-2}`.

        Raises
        ------
        ValueError
            If ``nu`` is not allowed.
        """
        nu = int(self._check_nu(nu))
        return seniority_degeneracy(self.M, nu)

    def max_moment(self, nu):
        r"""Maximal moment :math:`m_\nu` (:math:`\mu_B`) of seniority ``nu`` (eq. (11)).

        Parameters
        ----------
        nu : int or array_like of int
            Allowed seniority.

        Returns
        -------
        int or numpy.ndarray of int

        Raises
        ------
        ValueError
            If ``nu`` is not allowed.
        """
        nu = self._check_nu(nu)
        return max_moment(self.l, nu)

    # -- T = 0 -------------------------------------------------------------------
    def step_fields(self):
        r"""Fields :math:`\omega_{\nu+2}` where seniority :math:`\nu+2` becomes the ground state.

        From :math:`E_{\nu+2} - E_\nu = G(M - \nu)` (independent of :math:`n`)
        and :math:`m_{\nu+2} - m_\nu`:

        .. math::

            \omega_{\nu+2} = \frac{G(M-\nu)}{m_{\nu+2}-m_\nu}
            = \frac{2\Delta(0)}{M}\Bigl[\delta_{\nu0}
              + \frac{M-\nu}{M-\nu-1}(1-\delta_{\nu 0})\Bigr],

        ascending in :math:`\nu`, so the ground state passes through every
        allowed seniority in turn (seed 001, eq. (12), verified).

        Returns
        -------
        numpy.ndarray
            The fields in ascending order (empty if only one seniority is
            allowed); the last one is the critical field :math:`\omega_c`.

        References
        ----------
        Seed 001, eq. (12). Chapter 3.
        """
        nus = self.seniorities
        if len(nus) < 2:
            return np.zeros(0)
        lo = nus[:-1]
        dm = max_moment(self.l, lo + 2) - max_moment(self.l, lo)
        return self.G * (self.M - lo) / dm

    def critical_field(self):
        r"""The last step field :math:`\omega_c` (pairing fully blocked above it at T = 0).

        Returns
        -------
        float
            :math:`3\Delta(0)/M` for :math:`n = M \pm 1`, :math:`4\Delta(0)/M`
            for :math:`n = M`; in general the last of :meth:`step_fields`.

        Raises
        ------
        ValueError
            If the shell has a single allowed seniority (no step at all).
        """
        w = self.step_fields()
        if len(w) == 0:
            raise ValueError(
                f"l={self.l}, n_electrons={self.n_electrons} has a single seniority "
                f"{self.seniorities.tolist()}: there is no critical field")
        return float(w[-1])

    def ground_state(self, omega):
        r"""Seniority, moment and energy of the ground state at T = 0 (vectorised).

        For ``omega < 0`` the moment is reversed. At an exact crossing the
        lower seniority is returned.

        Parameters
        ----------
        omega : float or array_like
            Larmor energy.

        Returns
        -------
        nu, moment, energy : numpy.ndarray
            Ground-state seniority, its moment (:math:`\mu_B`) and its energy
            :math:`E_\nu - |\omega| m_\nu`.

        Raises
        ------
        ValueError
            If ``omega`` is not finite.
        """
        w = _as_float_array("omega", omega)
        nus = self.seniorities
        e = seniority_energy(nus, self.n_electrons, self.M, self.G)
        m = np.atleast_1d(max_moment(self.l, nus)).astype(float)
        u = e[None, :] - np.abs(w.ravel())[:, None] * m[None, :]
        i = np.argmin(u, axis=1)
        shape = w.shape
        sgn = np.where(w.ravel() < 0, -1.0, 1.0)
        return (nus[i].reshape(shape), (sgn * m[i]).reshape(shape),
                u[np.arange(len(i)), i].reshape(shape))

    def lowest_levels(self, omega):
        """Lowest energy :math:`E_\\nu - |\\omega|\\,m_\\nu` of every allowed seniority.

        The straight lines of the level-crossing diagram; their lower envelope
        is the ground-state energy (:meth:`ground_state`).

        Parameters
        ----------
        omega : float or array_like
            Larmor energy.

        Returns
        -------
        numpy.ndarray, shape ``(len(seniorities),) + np.shape(omega)``

        Raises
        ------
        ValueError
            If ``omega`` is not finite.

        References
        ----------
        Seed 001, eqs. (5), (11). Chapter 3.
        """
        w = np.abs(_as_float_array("omega", omega))
        nus = self.seniorities
        e = seniority_energy(nus, self.n_electrons, self.M, self.G)
        m = np.atleast_1d(max_moment(self.l, nus)).astype(float)
        return e.reshape((-1,) + (1,) * w.ndim) - m.reshape((-1,) + (1,) * w.ndim) * w

    # -- canonical thermodynamics -----------------------------------------------
    def _moments(self, T, omega, strictly_positive):
        """Core: Boltzmann sums over the (nu, m) levels, measured from the ground state."""
        T = _check_T(T, strictly_positive)
        w = _as_float_array("omega", omega)
        T, w = np.broadcast_arrays(T, w)
        shape = T.shape
        t = T.ravel()
        sgn = np.where(w.ravel() < 0, -1.0, 1.0)
        aw = np.abs(w.ravel())
        nus, m_nu, C = _level_tables(self.l, self.n_electrons)
        e_nu = seniority_energy(nus, self.n_electrons, self.M, self.G)
        d = np.arange(C.shape[1], dtype=float)
        with np.errstate(divide="ignore"):
            beta = np.where(t > 0, 1.0 / np.where(t > 0, t, 1.0), np.inf)

        u_nu = e_nu[None, :] - aw[:, None] * m_nu[None, :]       # (P, K) lowest level of nu
        umin = u_nu.min(axis=1)
        ig = np.argmin(u_nu, axis=1)
        v = u_nu - umin[:, None]                                  # >= 0
        scale = self.G * self.M * self.M
        v = np.where(v < 1e-13 * scale, 0.0, v)
        a = _boltzmann(beta[:, None], v)                          # (P, K)
        with np.errstate(invalid="ignore"):
            bw = np.where(aw == 0, 0.0, beta * aw)
        B = _boltzmann(bw[:, None], d[None, :])                    # (P, D): exp(-beta w d)
        S0 = B @ C.T
        S1 = B @ (d * C).T
        S2 = B @ (d * d * C).T
        z = np.sum(a * S0, axis=1)                                 # >= 1
        # moment relative to the ground-state seniority's maximal moment
        delta = m_nu[None, :] - m_nu[ig][:, None]
        mu1 = np.sum(a * (delta * S0 - S1), axis=1) / z
        mu2 = np.sum(a * (delta**2 * S0 - 2 * delta * S1 + S2), axis=1) / z
        var_m = np.maximum(mu2 - mu1**2, 0.0)
        mean_m = m_nu[ig] + mu1
        # energy relative to the ground level
        nu1 = np.sum(a * (v * S0 + aw[:, None] * S1), axis=1) / z
        nu2 = np.sum(a * (v**2 * S0 + 2 * v * aw[:, None] * S1 + aw[:, None] ** 2 * S2),
                     axis=1) / z
        var_u = np.maximum(nu2 - nu1**2, 0.0)
        ec = np.sum(a * e_nu[None, :] * S0, axis=1) / z
        return {
            "shape": shape, "t": t, "beta": beta, "log_z_shifted": np.log(z), "umin": umin,
            "mean_m": sgn * mean_m, "var_m": var_m, "var_u": var_u, "mean_u": umin + nu1,
            "pair_energy": ec,
        }

    @staticmethod
    def _out(x, shape):
        x = x.reshape(shape)
        return float(x) if x.ndim == 0 else x

    def log_partition_function(self, T, omega):
        """:math:`\\ln Z` of the canonical ensemble (no overflow for any shell size).

        Parameters
        ----------
        T : float or array_like
            Temperature, > 0.
        omega : float or array_like
            Larmor energy (broadcasts against ``T``).

        Returns
        -------
        float or numpy.ndarray

        Raises
        ------
        ValueError
            If ``T <= 0`` or an input is not finite.

        References
        ----------
        Chapter 3, the derived replacement of seed 001 eqs. (6)-(9).
        """
        r = self._moments(T, omega, strictly_positive=True)
        return self._out(r["log_z_shifted"] - r["beta"] * r["umin"], r["shape"])

    def partition_function(self, T, omega):
        r""":math:`Z = \sum_\nu e^{-\beta E_\nu}\sum_m c_\nu(m)\,e^{\beta\omega m}`.

        Parameters
        ----------
        T : float or array_like
            Temperature, > 0.
        omega : float or array_like
            Larmor energy.

        Returns
        -------
        float or numpy.ndarray

        Raises
        ------
        ValueError
            If ``T <= 0``, or if :math:`Z` exceeds the float range (use
            :meth:`log_partition_function` then).

        References
        ----------
        Seed 001, eqs. (6)-(9) (corrected, see chapter 3).
        """
        lz = np.asarray(self.log_partition_function(T, omega))
        if np.any(lz > 709.0):
            raise ValueError(
                f"partition function overflows float64 (ln Z = {lz.max():.1f} > 709); "
                "use log_partition_function")
        out = np.exp(lz)
        return float(out) if out.ndim == 0 else out

    def free_energy(self, T, omega):
        """:math:`F = -T \\ln Z`; at ``T = 0`` the ground-state energy.

        Parameters
        ----------
        T : float or array_like
            Temperature, >= 0.
        omega : float or array_like
            Larmor energy.

        Returns
        -------
        float or numpy.ndarray

        Raises
        ------
        ValueError
            If ``T < 0`` or an input is not finite.
        """
        r = self._moments(T, omega, strictly_positive=False)
        with np.errstate(invalid="ignore"):
            f = np.where(r["t"] > 0, r["umin"] - r["t"] * r["log_z_shifted"], r["umin"])
        return self._out(f, r["shape"])

    def pair_energy(self, T, omega):
        """Canonical pair-correlation energy :math:`E_c = \\langle -GA^\\dagger A\\rangle` (eq. (10)).

        ``T = 0`` gives the ground state (the average over the degenerate
        ground levels at an exact crossing, i.e. the T -> 0 limit).

        Raises
        ------
        ValueError
            If ``T < 0`` or an input is not finite.
        """
        r = self._moments(T, omega, strictly_positive=False)
        return self._out(r["pair_energy"], r["shape"])

    def canonical_gap(self, T, omega):
        """Canonical gap :math:`\\Delta_c = \\sqrt{-G E_c}` (seed 001, eq. (10)).

        Parameters
        ----------
        T : float or array_like
            Temperature, >= 0.
        omega : float or array_like
            Larmor energy.

        Returns
        -------
        float or numpy.ndarray
            In the unit of ``G``.

        Raises
        ------
        ValueError
            If ``T < 0`` or an input is not finite.

        References
        ----------
        Seed 001, eq. (10). Chapter 3.
        """
        ec = np.asarray(self.pair_energy(T, omega))
        out = np.sqrt(np.maximum(-self.G * ec, 0.0))
        return float(out) if out.ndim == 0 else out

    def magnetic_moment(self, T, omega):
        """Thermal moment :math:`\\langle L_z + 2S_z\\rangle = -\\partial F/\\partial\\omega` (:math:`\\mu_B`).

        Raises
        ------
        ValueError
            If ``T < 0`` or an input is not finite.
        """
        r = self._moments(T, omega, strictly_positive=False)
        return self._out(r["mean_m"], r["shape"])

    def susceptibility(self, T, omega):
        """Paramagnetic susceptibility :math:`\\chi = -\\partial^2F/\\partial\\omega^2 = \\beta\\,\\mathrm{Var}(m)`.

        In :math:`\\mu_B^2` per energy unit (seed 001, eq. (2) without the
        factor :math:`1/V`).

        Parameters
        ----------
        T : float or array_like
            Temperature, > 0.
        omega : float or array_like
            Larmor energy.

        Returns
        -------
        float or numpy.ndarray

        Raises
        ------
        ValueError
            If ``T <= 0`` or an input is not finite.

        References
        ----------
        Seed 001, eq. (2). Chapter 3.
        """
        r = self._moments(T, omega, strictly_positive=True)
        return self._out(r["var_m"] * r["beta"], r["shape"])

    def heat_capacity(self, T, omega):
        """Heat capacity at fixed field :math:`C = -T\\,\\partial^2F/\\partial T^2 = \\mathrm{Var}(U)/T^2`.

        Dimensionless (:math:`k_B = 1`). The seed's eq. (2) omits the factor
        :math:`T`.

        Parameters
        ----------
        T : float or array_like
            Temperature, > 0.
        omega : float or array_like
            Larmor energy.

        Returns
        -------
        float or numpy.ndarray

        Raises
        ------
        ValueError
            If ``T <= 0`` or an input is not finite.

        References
        ----------
        Seed 001, eq. (2) (corrected). Chapter 3.
        """
        r = self._moments(T, omega, strictly_positive=True)
        return self._out(r["var_u"] * r["beta"] ** 2, r["shape"])

    def thermodynamics(self, T, omega):
        """All canonical observables from one Boltzmann sum (for sweeps and explorers).

        Parameters
        ----------
        T : float or array_like
            Temperature, > 0.
        omega : float or array_like
            Larmor energy (broadcasts against ``T``).

        Returns
        -------
        dict of numpy.ndarray
            ``free_energy``, ``pair_energy``, ``canonical_gap``, ``moment``,
            ``susceptibility``, ``heat_capacity`` -- the same values as the
            individual methods.

        Raises
        ------
        ValueError
            If ``T <= 0`` or an input is not finite.
        """
        r = self._moments(T, omega, strictly_positive=True)
        shape = r["shape"]
        out = {
            "free_energy": r["umin"] - r["t"] * r["log_z_shifted"],
            "pair_energy": r["pair_energy"],
            "canonical_gap": np.sqrt(np.maximum(-self.G * r["pair_energy"], 0.0)),
            "moment": r["mean_m"],
            "susceptibility": r["var_m"] * r["beta"],
            "heat_capacity": r["var_u"] * r["beta"] ** 2,
        }
        return {k: v.reshape(shape) for k, v in out.items()}

    # -- grand-canonical BCS mean field ---------------------------------------------
    def bcs_solution(self, T, omega, n_grid=48):
        r"""Grand-canonical BCS mean field of the shell in a field.

        Quasiparticles of pair :math:`p` have energies
        :math:`E \mp \omega m_p` with :math:`E = \sqrt{\xi^2 + \Delta^2}`
        (orbital and spin Zeeman energy, :func:`pair_moments`). With
        :math:`S_p = 1 - f(E-\omega m_p) - f(E+\omega m_p)` the gap and
        number equations are

        .. math::

            1 = \frac{G}{2}\sum_p \frac{S_p(E)}{E}, \qquad
            n = \sum_p\Bigl[1 - \frac{\xi}{E} S_p(E)\Bigr],

        whose nontrivial solutions all have :math:`\xi = G(M - n)/2`. The
        free energy at fixed mean particle number, :math:`F = \Omega + \mu n`,

        .. math::

            F = \frac{\Delta^2}{G} + \sum_p\Bigl[\xi - E - T\sum_\pm
                \ln\bigl(1 + e^{-(E \mp \omega m_p)/T}\bigr)\Bigr] - \xi n,

        is compared between the normal state (:math:`\Delta = 0`, :math:`\xi`
        from the number equation of free electrons at energies
        :math:`-\omega m_k`) and every local minimum of :math:`F` on the
        superconducting branch, and the lowest is returned (this resolves the
        first-order jumps in a field). At :math:`T = 0` the roots are found
        exactly (:math:`E = G k/2` with :math:`k` unblocked pairs); at
        :math:`T > 0` by a scan refined around the blocking energies
        :math:`E = \omega|m_p|` followed by bisection. The Hartree-Fock term
        :math:`-G\sum v^4` is dropped, as in the seed.

        Parameters
        ----------
        T : float or array_like
            Temperature, >= 0.
        omega : float or array_like
            Larmor energy.
        n_grid : int
            Uniform points of the root scan (>= 16), added to the refined ones.

        Returns
        -------
        BCSSolution
            Arrays of the broadcast shape of ``T`` and ``omega``.

        Raises
        ------
        ValueError
            If an input is out of range.

        References
        ----------
        Seed 001, Figs. 1-2 (dotted lines) and text; at :math:`T = \omega = 0`
        and :math:`n = M`, :math:`\Delta = GM/2` and :math:`T_c = GM/4`.
        Chapter 3.
        """
        if int(n_grid) < 16:
            raise ValueError(f"n_grid must be >= 16, got {n_grid}")
        T = _check_T(T, strictly_positive=False)
        w = _as_float_array("omega", omega)
        T, w = np.broadcast_arrays(T, w)
        shape = T.shape
        t = T.ravel().astype(float)
        sgn = np.where(w.ravel() < 0, -1.0, 1.0)
        om = np.abs(w.ravel()).astype(float)
        P = len(t)
        G, M, n = self.G, self.M, self.n_electrons
        # pairs grouped by |m_p| (S_p and m_p S_p-type sums are even in m_p)
        u_p, w_p = np.unique(np.abs(pair_moments(self.l)), return_counts=True)
        u_p, w_p = u_p.astype(float), w_p.astype(float)
        # single-particle moments grouped (normal state)
        u_k, w_k = np.unique(single_particle_moments(self.l), return_counts=True)
        u_k, w_k = u_k.astype(float), w_k.astype(float)
        hot = t > 0
        tsafe = np.where(hot, t, 1.0)

        # ---------------- normal state (Delta = 0) ----------------
        if n == M:       # the moments are symmetric: xi = 0 at any T, omega
            xi_n = np.zeros(P)
        else:
            xi_n = np.zeros(P)
            # T = 0: the Fermi level sits on the n-th highest moment
            desc = np.sort(single_particle_moments(self.l))[::-1].astype(float)
            if n > 0:
                xi_n[~hot] = om[~hot] * desc[n - 1]
            if np.any(hot):
                th, oh = t[hot], om[hot]
                span = oh * (u_k.max() + 1) + 40 * th + G
                lo, hi = -span, span.copy()
                for _ in range(80):
                    mid = 0.5 * (lo + hi)
                    x = (mid[:, None] - oh[:, None] * u_k[None, :]) / (2 * th[:, None])
                    cnt = (0.5 * (1 - np.tanh(x)) * w_k[None, :]).sum(axis=1)
                    too_many = cnt > n
                    lo = np.where(too_many, mid, lo)
                    hi = np.where(too_many, hi, mid)
                    if np.all(hi - lo < 1e-13 * span):
                        break
                xi_n[hot] = 0.5 * (lo + hi)
        xk = xi_n[:, None] - om[:, None] * u_k[None, :]
        with np.errstate(over="ignore"):
            lse = -tsafe[:, None] * np.logaddexp(0.0, -xk / tsafe[:, None])
            occ_hot = 0.5 * (1 - np.tanh(xk / (2 * tsafe[:, None])))
        occ_cold = np.where(xk < 0, 1.0, np.where(xk > 0, 0.0, 0.5))
        occ = np.where(hot[:, None], occ_hot, occ_cold)
        f_normal = (np.where(hot[:, None], lse, np.minimum(0.0, xk)) * w_k).sum(axis=1) - xi_n * n
        m_normal = (occ * w_k * u_k).sum(axis=1)
        if np.any(~hot) and n > 0:
            # T = 0: the n largest single-particle moments are occupied (omega > 0)
            desc = np.sort(single_particle_moments(self.l))[::-1].astype(float)
            m_normal[~hot] = desc[:n].sum()
        m_normal = np.where(om > 0, m_normal, 0.0)

        gap = np.zeros(P)
        xi_out = xi_n.copy()
        f_best = f_normal.copy()
        m_best = m_normal.copy()

        xi_s = G * (M - n) / 2.0
        e_lo, e_hi = abs(xi_s), G * M / 2.0
        if e_hi - e_lo <= 1e-12 * G * M:          # empty or full shell: no pairing
            return BCSSolution(gap=gap.reshape(shape), xi=xi_out.reshape(shape),
                               free_energy=f_best.reshape(shape),
                               moment=(sgn * m_best).reshape(shape))

        def s_sum(E, idx):
            """sum_p S_p(E) for points idx, E of shape (len(idx), J) (T > 0)."""
            tt = 2 * t[idx][:, None, None]
            a = om[idx][:, None, None] * u_p[None, None, :]
            e3 = E[:, :, None]
            s = 0.5 * (np.tanh((e3 + a) / tt) + np.tanh((e3 - a) / tt))
            return (s * w_p).sum(axis=2)

        def f_branch(E, idx):
            """F on the superconducting branch (xi = xi_s) at energies E (len(idx),)."""
            a = om[idx][:, None] * u_p[None, :]
            tt = t[idx][:, None]
            ts = np.where(tt > 0, tt, 1.0)
            e2 = E[:, None]
            with np.errstate(over="ignore"):
                hotpart = (-ts * (np.logaddexp(0.0, -(e2 - a) / ts)
                                  + np.logaddexp(0.0, -(e2 + a) / ts)))
                fm = (0.5 * (1 - np.tanh((e2 - a) / (2 * ts)))
                      - 0.5 * (1 - np.tanh((e2 + a) / (2 * ts))))
            coldpart = np.minimum(0.0, e2 - a)
            fm_cold = np.where(a > e2, 1.0, np.where(a == e2, 0.5, 0.0))
            qp = np.where(tt > 0, hotpart, coldpart)
            fm = np.where(tt > 0, fm, fm_cold)
            f = ((E**2 - xi_s**2) / G + M * (xi_s - E) + (qp * w_p).sum(axis=1) - xi_s * n)
            mom = (fm * w_p * u_p).sum(axis=1)
            return f, mom

        cand_p, cand_e = [], []
        # ---- T = 0: E_k = G k / 2 is a root if exactly k pairs are unblocked
        cold = np.nonzero(~hot)[0]
        if len(cold):
            k = np.arange(1, M + 1, dtype=float)
            ek = G * k / 2
            a = om[cold][:, None, None] * u_p[None, None, :]
            tol = 1e-12 * G * M
            s = np.where(a < ek[None, :, None] - tol, 1.0,
                         np.where(a <= ek[None, :, None] + tol, 0.5, 0.0))
            unblocked = (s * w_p).sum(axis=2)
            ok = (np.abs(unblocked - k[None, :]) < 1e-9) & (ek[None, :] > e_lo + tol)
            ci, ki = np.nonzero(ok)
            cand_p.append(cold[ci])
            cand_e.append(ek[ki])
        # ---- T > 0: scan h(E) = (G/2) sum_p S_p(E) - E, refine downward crossings
        hot_i = np.nonzero(hot)[0]
        if len(hot_i):
            J = int(n_grid)
            base = e_lo + (e_hi - e_lo) * np.arange(1, J + 1) / J
            th = t[hot_i][:, None]
            feats = (om[hot_i][:, None, None] * u_p[None, :, None]
                     + th[:, :, None] * np.array([-6.0, -2.0, 0.0, 2.0, 6.0])[None, None, :])
            feats = feats.reshape(len(hot_i), -1)
            roots0 = np.broadcast_to(G * np.arange(1, M + 1) / 2.0, (len(hot_i), M))
            grid = np.concatenate([np.broadcast_to(base, (len(hot_i), J)), feats, roots0,
                                   np.full((len(hot_i), 1), e_lo + 1e-9 * (e_hi - e_lo))],
                                  axis=1)
            grid = np.sort(np.clip(grid, e_lo + 1e-9 * (e_hi - e_lo), e_hi), axis=1)
            h = (G / 2) * s_sum(grid, hot_i) - grid
            down = (h[:, :-1] > 0) & (h[:, 1:] <= 0)
            ri, ji = np.nonzero(down)
            if len(ri):
                pidx = hot_i[ri]
                lo_e = grid[ri, ji].copy()
                hi_e = grid[ri, ji + 1].copy()
                for _ in range(80):
                    mid = 0.5 * (lo_e + hi_e)
                    hm = (G / 2) * s_sum(mid[:, None], pidx)[:, 0] - mid
                    pos = hm > 0
                    lo_e = np.where(pos, mid, lo_e)
                    hi_e = np.where(pos, hi_e, mid)
                    if np.all(hi_e - lo_e < 1e-14 * e_hi):
                        break
                cand_p.append(pidx)
                cand_e.append(0.5 * (lo_e + hi_e))
        if cand_p:
            cp = np.concatenate(cand_p)
            ce = np.concatenate(cand_e)
            if len(cp):
                fs, ms = f_branch(ce, cp)
                # keep, per point, the lowest candidate if it beats the normal state
                order = np.lexsort((fs, cp))
                cp, ce, fs, ms = cp[order], ce[order], fs[order], ms[order]
                first = np.ones(len(cp), dtype=bool)
                first[1:] = cp[1:] != cp[:-1]
                cp, ce, fs, ms = cp[first], ce[first], fs[first], ms[first]
                better = fs < f_best[cp] - 1e-12 * G * M * M
                cp, ce, fs, ms = cp[better], ce[better], fs[better], ms[better]
                f_best[cp] = fs
                gap[cp] = np.sqrt(np.maximum(ce**2 - xi_s**2, 0.0))
                xi_out[cp] = xi_s
                m_best[cp] = ms
        return BCSSolution(gap=gap.reshape(shape), xi=xi_out.reshape(shape),
                           free_energy=f_best.reshape(shape),
                           moment=(sgn * m_best).reshape(shape))

    def bcs_gap(self, T, omega):
        """BCS gap :math:`\\Delta(T, \\omega)` of the grand-canonical mean field.

        See :meth:`bcs_solution` for the equations and the choice among
        several solutions.

        Parameters
        ----------
        T : float or array_like
            Temperature, >= 0.
        omega : float or array_like
            Larmor energy.

        Returns
        -------
        float or numpy.ndarray

        Raises
        ------
        ValueError
            If an input is out of range.

        References
        ----------
        Seed 001, Figs. 1-2. Chapter 3.
        """
        g = self.bcs_solution(T, omega).gap
        return float(g) if g.ndim == 0 else g

    def bcs_susceptibility(self, T, omega, d_omega=None):
        """Mean-field susceptibility :math:`\\partial\\langle m\\rangle/\\partial\\omega` (central difference).

        Parameters
        ----------
        T : float or array_like
            Temperature, >= 0.
        omega : float or array_like
            Larmor energy.
        d_omega : float, optional
            Difference step; default ``1e-4 * G``.

        Returns
        -------
        float or numpy.ndarray

        Raises
        ------
        ValueError
            If an input is out of range or ``d_omega <= 0``.

        References
        ----------
        Seed 001, Fig. 4 (discussion of the BCS peaks). Chapter 3.
        """
        h = 1e-4 * self.G if d_omega is None else float(d_omega)
        if not h > 0:
            raise ValueError(f"d_omega must be > 0, got {d_omega}")
        w = _as_float_array("omega", omega)
        mp = self.bcs_solution(T, w + h).moment
        mm = self.bcs_solution(T, w - h).moment
        out = (mp - mm) / (2 * h)
        return float(out) if out.ndim == 0 else out
