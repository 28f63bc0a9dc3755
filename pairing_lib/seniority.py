r"""Pairing in a single degenerate shell: seniority, quasi-spin, canonical thermodynamics.

The model (seed paper 001, eq. (1); chapter 3 of the book) is one spherical
shell of orbital angular momentum :math:`l` -- :math:`M = 2l + 1` orbitals
:math:`\Lambda = -l, \dots, l`, each with two spin states -- holding
:math:`n` electrons (``n_electrons``), with the pairing interaction and the
orbital plus spin Zeeman coupling to a field along :math:`z`:

.. math::

    H = -G A^\dagger A - h\,(L_z + 2 S_z), \qquad
    A^\dagger = \sum_{\Lambda=-l}^{l} a^\dagger_{\Lambda\uparrow}
                a^\dagger_{-\Lambda\downarrow}.

Every single-particle state :math:`k = (\Lambda, s_z)` (:math:`\Lambda` the
orbital projection, :math:`s_z = \pm\tfrac12` measured along the moment, chapter 3)
carries the moment :math:`m_k = \Lambda + 2s_z` (in units of :math:`\mu_B`); the pair
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
                   e^{\beta h m} = e_\nu(x_1, \dots, x_{2M}),

    with :math:`x_k = e^{\beta h m_k}` and :math:`e_\nu` the elementary
    symmetric polynomial (:math:`\Phi_{-1} = \Phi_{-2} = 0`). Numerically the
    library expands :math:`\Phi_\nu - \Phi_{\nu-2}` into the integer number
    :math:`c_\nu(m)` of seniority-:math:`\nu` states of moment :math:`m` and
    sums Boltzmann factors measured from the ground state, which never
    overflows (shells up to :math:`l = 50` are accepted).

Units
    The caller's energy unit; ``G = 1`` sets it. Temperatures with
    :math:`k_B = 1`; :math:`h = \mu_B B` is the Zeeman energy (argument ``omega``), moments
    are in :math:`\mu_B`. The susceptibility is :math:`\chi = -\partial^2 F /
    \partial h^2` (in :math:`\mu_B^2` per energy unit; multiply by
    :math:`1/V` for the seed's eq. (2) with :math:`\hbar = 1`), and the heat
    capacity is :math:`C = -T\,\partial^2 F/\partial T^2` (the seed's eq. (2)
    lacks the factor :math:`T`). Chapter 3 plots in units of
    the shell gap :math:`\Delta_{\rm sh} = GM/2` (:attr:`SingleShell.delta0`;
    the seed's zero-temperature gap) and :math:`T_c^{\rm sh} = \Delta_{\rm sh}/2`
    (:attr:`SingleShell.tc`), the grand-canonical BCS values of the
    half-filled shell. With :math:`\lambda = G/d` (bulk coupling
    :math:`\lambda`, level spacing :math:`d`), :math:`\Delta_{\rm sh} =
    \lambda M d/2`, which is not the bulk gap :math:`\Delta_0`.

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


def single_particle_moments(l, orbital=True):
    r"""Moments :math:`m_k = \Lambda + 2s_z` of the :math:`2M` states of a shell.

    Parameters
    ----------
    l : int
        Orbital angular momentum of the shell, ``0 <= l <= L_MAX``.
    orbital : bool
        ``True`` (the seed's model): orbital plus spin moment,
        :math:`m_k = \Lambda + 2s_z`. ``False``: spin only, :math:`m_k = 2s_z = \pm1`
        (the orbital moment quenched, as in a deformed cluster).

    Returns
    -------
    numpy.ndarray of int, shape (2M,)
        First the states ":math:`\uparrow`" (moment along the field)
        :math:`\Lambda = -l, \dots, l` (moments :math:`\Lambda + 1`, or
        :math:`+1` without the orbital part), then the states
        ":math:`\downarrow`" (:math:`\Lambda - 1`, or :math:`-1`).

    Raises
    ------
    ValueError
        If ``l`` is not an integer in the allowed range.

    References
    ----------
    Seed 001, eq. (1) (g-factor 2 for the spin, 1 for the orbit). Chapter 3.
    """
    l = _check_l(l)
    lam = np.arange(-l, l + 1) if orbital else np.zeros(2 * l + 1, dtype=int)
    return np.concatenate([lam + 1, lam - 1]).astype(int)


def pair_moments(l, orbital=True):
    r"""Moment :math:`m_p` of the first member of each time-reversed pair.

    The pair :math:`p` is :math:`\{(\Lambda,\uparrow), (-\Lambda,\downarrow)\}`
    with moments :math:`\pm(\Lambda + 1)`; these enter the BCS quasiparticle
    energies :math:`E_p \mp h m_p`.

    Parameters
    ----------
    l : int
        Orbital angular momentum of the shell.
    orbital : bool
        Include the orbital moment (default) or not (spin only: all
        :math:`m_p = 1`).

    Returns
    -------
    numpy.ndarray of int, shape (M,)
        :math:`m_p = \Lambda + 1` for :math:`\Lambda = -l, \dots, l`.

    Raises
    ------
    ValueError
        If ``l`` is not an integer in ``[0, L_MAX]``.

    References
    ----------
    Seed 001, eq. (1) and the BCS treatment cited there. Chapter 3.
    """
    l = _check_l(l)
    if not orbital:
        return np.ones(2 * l + 1, dtype=int)
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


def max_moment(l, nu, orbital=True):
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
    orbital : bool
        With ``False`` (spin-only moments) the answer is :math:`m_\nu = \nu`:
        all unpaired spins along the field.

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
    if not orbital:
        out = v
    else:
        four_m = v * (2 * M - v) - (v % 2) + 4 * (v > 0)
        out = four_m // 4
    return int(out) if out.ndim == 0 else out


@functools.lru_cache(maxsize=64)
def _determinant_counts(l, orbital=True):
    """Counts e_t(m) of t-electron determinants of total moment m, t = 0..M.

    Returns (m_values, table) with table[t, j] the count at m = m_values[j];
    float64 (exact integers below 2**53, i.e. for l <= 13).
    """
    M = 2 * l + 1
    mk = single_particle_moments(l, orbital)
    mmax = int(max_moment(l, M, orbital))  # the largest |m| for t <= M
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


def seniority_moment_counts(l, orbital=True):
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
    orbital : bool
        Orbital plus spin moments (default) or spin only.

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
    m_values, e = _determinant_counts(l, bool(orbital))
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
    r"""Sum of :math:`e^{\beta h m}` over all :math:`\nu`-electron determinants.

    Closed form used in seed 001, eqs. (8)-(9) (corrected and derived in
    chapter 3): split the :math:`\nu` electrons into :math:`\nu/2 + \Sigma`
    spin-up and :math:`\nu/2 - \Sigma` spin-down ones,

    .. math::

        \Phi_\nu = \sum_{\Sigma} e^{2\beta h\Sigma}\,
            \tilde\Phi_{\nu/2+\Sigma}\,\tilde\Phi_{\nu/2-\Sigma},\qquad
        \tilde\Phi_k = \prod_{\mu=1}^{k}
            \frac{\sinh[\beta h(M+1-\mu)/2]}{\sinh(\beta h\mu/2)},

    where :math:`\tilde\Phi_k` (a Gaussian binomial coefficient) is the sum
    over :math:`k`-subsets of the orbitals of :math:`e^{\beta h\sum\Lambda}`.
    Meant for moderate :math:`|\beta h|` (the products overflow for
    large arguments; :class:`SingleShell` uses exact integer counts instead).

    Parameters
    ----------
    l : int
        Orbital angular momentum.
    nu : int
        Number of electrons, ``0 <= nu <= 2M``.
    beta_omega : float or array_like
        :math:`\beta h`; 0 gives :math:`\binom{2M}{\nu}`.

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


def exact_spectrum(l, n_electrons, G=1.0, orbital=True):
    r"""Brute-force spectrum of :math:`-GA^\dagger A` with the moment of each state.

    Builds the pairing Hamiltonian in the basis of all
    :math:`\binom{2M}{n}` Slater determinants with explicit fermionic signs
    (modes ordered spin-up :math:`\Lambda=-l..l`, then spin-down), splits it
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
    orbital : bool
        Block by the total moment :math:`L_z + 2S_z` (default) or by the spin
        moment :math:`2S_z` alone.

    Returns
    -------
    pair_energies : numpy.ndarray, shape (D,)
        Eigenvalues of :math:`-GA^\dagger A`.
    moments : numpy.ndarray of int, shape (D,)
        The moment :math:`m` of each eigenstate (:math:`L_z + 2S_z`, or
        :math:`2S_z`); in a field the energies are
        ``pair_energies - omega * moments`` (``omega`` is the book's :math:`h`).

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
    e, m = _exact_spectrum_cached(l, n, G, bool(orbital))
    return e.copy(), m.copy()


@functools.lru_cache(maxsize=32)
def _exact_spectrum_cached(l, n, G, orbital=True):
    M = 2 * l + 1
    lam = np.arange(-l, l + 1)
    mode_moment = single_particle_moments(l, orbital)
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


def exact_thermodynamics(l, n_electrons, T, omega, G=1.0, orbital=True):
    r"""Canonical thermodynamics from the brute-force spectrum (:func:`exact_spectrum`).

    Direct Boltzmann sums over all eigenstates :math:`U_i = E_i - h m_i`.

    Parameters
    ----------
    l, n_electrons, G, orbital
        As in :func:`exact_spectrum`.
    T : float
        Temperature, > 0.
    omega : float
        Zeeman energy :math:`h = \mu_B B`.

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
    e, m = exact_spectrum(l, n_electrons, G, orbital)
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
# occupation numbers: the blocked-pair decomposition
# --------------------------------------------------------------------------


def _shift(arr, s):
    """out[..., j] = arr[..., j - s] (zeros shifted in)."""
    out = np.zeros_like(arr)
    if s > 0:
        out[..., s:] = arr[..., :-s]
    elif s < 0:
        out[..., :s] = arr[..., -s:]
    else:
        out[...] = arr
    return out


@functools.lru_cache(maxsize=32)
def _blocking_tables(l, orbital=True):
    """Configurations of singly occupied ("blocked") pairs, counted by moment.

    Returns ``m_values (W,)``, ``full (M+1, W)`` with ``full[b, j]`` the number
    of ways to put one electron into each of ``b`` distinct pairs (either
    member) with total moment ``m_values[j]``; ``u_values (U,)`` the distinct
    ``|m_p|``; ``excl (U, M+1, W)`` the same counts with one pair of
    ``|m_p| = u`` left out.
    """
    M = 2 * l + 1
    mp = pair_moments(l, orbital)
    mmax = int(np.abs(mp).sum())
    W = 2 * mmax + 1

    def build(moms):
        table = np.zeros((M + 1, W))
        table[0, mmax] = 1.0
        for mm in moms:
            new = table.copy()
            new[1:] += _shift(table[:-1], int(mm)) + _shift(table[:-1], -int(mm))
            table = new
        return table

    full = build(mp)
    u_values = np.unique(np.abs(mp))
    excl = np.empty((len(u_values), M + 1, W))
    for i, u in enumerate(u_values):
        drop = int(np.nonzero(np.abs(mp) == u)[0][0])
        excl[i] = build(np.delete(mp, drop))
    return np.arange(-mmax, mmax + 1), full, u_values, excl


def _logsumexp(a, axis):
    amax = np.max(a, axis=axis, keepdims=True)
    amax = np.where(np.isfinite(amax), amax, 0.0)
    with np.errstate(divide="ignore"):
        out = np.log(np.sum(np.exp(a - amax), axis=axis, keepdims=True)) + amax
    return np.squeeze(out, axis=axis)


# --------------------------------------------------------------------------
# the single-shell model
# --------------------------------------------------------------------------


@functools.lru_cache(maxsize=128)
def _level_tables(l, n, orbital=True):
    """Seniority levels of (l, n) in the d-index form used by the thermodynamics.

    Returns nus (K,), m_nu (K,), counts (K, D) with counts[i, d] = c_nu(m_nu - d).
    """
    nus = allowed_seniorities(l, n)
    m_values, c = seniority_moment_counts(l, orbital)
    mmax = (len(m_values) - 1) // 2
    m_nu = np.atleast_1d(max_moment(l, nus, orbital))
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

    :math:`H = -G A^\dagger A - h (L_z + 2S_z)` (seed 001, eq. (1)); see
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
        Pairing strength, > 0 (sets the energy unit). In a cluster
        :math:`\lambda = G/d` is the bulk BCS coupling, with
        :math:`d` the mean level spacing (chapter 3).
    orbital : bool
        ``True`` (default, the seed's model): the field couples to
        :math:`L_z + 2S_z`. ``False``: to the spin moment :math:`2S_z` only
        (orbital moment quenched).

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
    orbital: bool = True

    def __post_init__(self):
        if not isinstance(self.orbital, (bool, np.bool_)):
            raise ValueError(f"orbital must be True or False, got {self.orbital!r}")
        object.__setattr__(self, "orbital", bool(self.orbital))
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
        """The shell gap :math:`\\Delta_{\\rm sh} = GM/2` (chapter 3's energy unit).

        The BCS gap of the half-filled shell at :math:`T = h = 0` (the seed's
        zero-temperature gap); with :math:`\\lambda = G/d` it is
        :math:`\\lambda M d/2`, not the bulk gap :math:`\\Delta_0`.
        """
        return self.G * self.M / 2

    @property
    def tc(self) -> float:
        """:math:`T_c^{\\rm sh} = \\Delta_{\\rm sh}/2 = GM/4`, BCS transition of the half-filled shell."""
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
        return max_moment(self.l, nu, self.orbital)

    # -- T = 0 -------------------------------------------------------------------
    def _envelope(self):
        """Seniorities of the T = 0 ground state as h grows, and the fields where it changes."""
        nus = self.seniorities
        e = seniority_energy(nus, self.n_electrons, self.M, self.G)
        m = np.atleast_1d(max_moment(self.l, nus, self.orbital)).astype(float)
        i = int(np.argmin(e))
        path, fields = [int(nus[i])], []
        while True:
            up = np.nonzero(m > m[i])[0]
            if len(up) == 0:
                break
            h = (e[up] - e[i]) / (m[up] - m[i])
            hmin = h.min()
            j = int(up[np.nonzero(np.isclose(h, hmin, rtol=1e-12, atol=0))[0][-1]])
            fields.append(float(hmin))
            path.append(int(nus[j]))
            i = j
        return np.array(path), np.array(fields)

    def step_fields(self):
        r"""Zeeman energies at which the T = 0 ground state changes seniority.

        The lower envelope of the lines :math:`E_\nu - h\,m_\nu`. With
        orbital and spin moments (the seed's model) consecutive seniorities
        cross at

        .. math::

            h_{\nu+2} = \frac{G(M-\nu)}{m_{\nu+2}-m_\nu}
            = \frac{2\Delta_{\rm sh}}{M}\Bigl[\delta_{\nu0}
              + \frac{M-\nu}{M-\nu-1}(1-\delta_{\nu 0})\Bigr],

        ascending in :math:`\nu`, so the ground state passes through every
        allowed seniority in turn (seed 001, eq. (12), verified). With spin
        moments only (``orbital=False``) :math:`m_\nu = \nu` and
        :math:`G(M-\nu)/2` *decreases* with :math:`\nu`: the shell goes from
        :math:`\nu_{\min}` to :math:`\nu_{\max}` in one jump.

        Returns
        -------
        numpy.ndarray
            The fields :math:`h` (book symbol; in the unit of ``G``) in
            ascending order (empty if only one seniority is allowed); the
            last one is the critical field :math:`h_c^{\rm sh}`.

        References
        ----------
        Seed 001, eq. (12). Chapter 3.
        """
        return self._envelope()[1]

    def ground_state_seniorities(self):
        """Seniorities the T = 0 ground state takes as the field grows (see :meth:`step_fields`).

        Returns
        -------
        numpy.ndarray of int
            One more entry than :meth:`step_fields`.
        """
        return self._envelope()[0]

    def critical_field(self):
        r"""The last step field :math:`h_c^{\rm sh}` (pairing fully blocked above it at T = 0).

        Returns
        -------
        float
            :math:`3\Delta_{\rm sh}/M` for :math:`n = M \pm 1`, :math:`4\Delta_{\rm sh}/M`
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
            Zeeman energy :math:`h = \mu_B B` (book symbol).

        Returns
        -------
        nu, moment, energy : numpy.ndarray
            Ground-state seniority, its moment (:math:`\mu_B`) and its energy
            :math:`E_\nu - |h| m_\nu`.

        Raises
        ------
        ValueError
            If ``omega`` is not finite.
        """
        w = _as_float_array("omega", omega)
        nus = self.seniorities
        e = seniority_energy(nus, self.n_electrons, self.M, self.G)
        m = np.atleast_1d(max_moment(self.l, nus, self.orbital)).astype(float)
        u = e[None, :] - np.abs(w.ravel())[:, None] * m[None, :]
        i = np.argmin(u, axis=1)
        shape = w.shape
        sgn = np.where(w.ravel() < 0, -1.0, 1.0)
        return (nus[i].reshape(shape), (sgn * m[i]).reshape(shape),
                u[np.arange(len(i)), i].reshape(shape))

    def lowest_levels(self, omega):
        """Lowest energy :math:`E_\\nu - |h|\\,m_\\nu` of every allowed seniority.

        The straight lines of the level-crossing diagram; their lower envelope
        is the ground-state energy (:meth:`ground_state`).

        Parameters
        ----------
        omega : float or array_like
            Zeeman energy :math:`h = \mu_B B` (book symbol).

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
        m = np.atleast_1d(max_moment(self.l, nus, self.orbital)).astype(float)
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
        nus, m_nu, C = _level_tables(self.l, self.n_electrons, self.orbital)
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
            Zeeman energy :math:`h = \mu_B B` (book symbol), broadcasts against ``T``.

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
        r""":math:`Z = \sum_\nu e^{-\beta E_\nu}\sum_m c_\nu(m)\,e^{\beta h m}`.

        Parameters
        ----------
        T : float or array_like
            Temperature, > 0.
        omega : float or array_like
            Zeeman energy :math:`h = \mu_B B` (book symbol).

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
            Zeeman energy :math:`h = \mu_B B` (book symbol).

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
            Zeeman energy :math:`h = \mu_B B` (book symbol).

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
        """Thermal moment :math:`\\langle L_z + 2S_z\\rangle = -\\partial F/\\partial h` (:math:`\\mu_B`).

        Raises
        ------
        ValueError
            If ``T < 0`` or an input is not finite.
        """
        r = self._moments(T, omega, strictly_positive=False)
        return self._out(r["mean_m"], r["shape"])

    def susceptibility(self, T, omega):
        """Paramagnetic susceptibility :math:`\\chi = -\\partial^2F/\\partial h^2 = \\beta\\,\\mathrm{Var}(m)`.

        In :math:`\\mu_B^2` per energy unit (seed 001, eq. (2) without the
        factor :math:`1/V`).

        Parameters
        ----------
        T : float or array_like
            Temperature, > 0.
        omega : float or array_like
            Zeeman energy :math:`h = \mu_B B` (book symbol).

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
            Zeeman energy :math:`h = \mu_B B` (book symbol).

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
            Zeeman energy :math:`h = \mu_B B` (book symbol), broadcasts against ``T``.

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
        :math:`E \mp h m_p` with :math:`E = \sqrt{\xi^2 + \Delta^2}`
        (orbital and spin Zeeman energy, :func:`pair_moments`). With
        :math:`S_p = 1 - f(E-h m_p) - f(E+h m_p)` the gap and
        number equations are

        .. math::

            1 = \frac{G}{2}\sum_p \frac{S_p(E)}{E}, \qquad
            n = \sum_p\Bigl[1 - \frac{\xi}{E} S_p(E)\Bigr],

        whose nontrivial solutions all have :math:`\xi = G(M - n)/2`. The
        free energy at fixed mean particle number, :math:`F = \Omega + \mu n`,

        .. math::

            F = \frac{\Delta^2}{G} + \sum_p\Bigl[\xi - E - T\sum_\pm
                \ln\bigl(1 + e^{-(E \mp h m_p)/T}\bigr)\Bigr] - \xi n,

        is compared between the normal state (:math:`\Delta = 0`, :math:`\xi`
        from the number equation of free electrons at energies
        :math:`-h m_k`) and every local minimum of :math:`F` on the
        superconducting branch, and the lowest is returned (this resolves the
        first-order jumps in a field). At :math:`T = 0` the roots are found
        exactly (:math:`E = G k/2` with :math:`k` unblocked pairs); at
        :math:`T > 0` by a scan refined around the blocking energies
        :math:`E = h|m_p|` followed by bisection. The Hartree-Fock term
        :math:`-G\sum v^4` is dropped, as in the seed.

        Parameters
        ----------
        T : float or array_like
            Temperature, >= 0.
        omega : float or array_like
            Zeeman energy :math:`h = \mu_B B` (book symbol).
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
        Seed 001, Figs. 1-2 (dotted lines) and text; at :math:`T = h = 0`
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
        u_p, w_p = np.unique(np.abs(pair_moments(self.l, self.orbital)), return_counts=True)
        u_p, w_p = u_p.astype(float), w_p.astype(float)
        # single-particle moments grouped (normal state)
        u_k, w_k = np.unique(single_particle_moments(self.l, self.orbital), return_counts=True)
        u_k, w_k = u_k.astype(float), w_k.astype(float)
        hot = t > 0
        tsafe = np.where(hot, t, 1.0)

        # ---------------- normal state (Delta = 0) ----------------
        if n == M:       # the moments are symmetric: xi = 0 at any T, omega
            xi_n = np.zeros(P)
        else:
            xi_n = np.zeros(P)
            # T = 0: the Fermi level sits on the n-th highest moment
            desc = np.sort(single_particle_moments(self.l, self.orbital))[::-1].astype(float)
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
            desc = np.sort(single_particle_moments(self.l, self.orbital))[::-1].astype(float)
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
        """BCS gap :math:`\\Delta(T, h)` of the grand-canonical mean field.

        See :meth:`bcs_solution` for the equations and the choice among
        several solutions.

        Parameters
        ----------
        T : float or array_like
            Temperature, >= 0.
        omega : float or array_like
            Zeeman energy :math:`h = \mu_B B` (book symbol).

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
        """Mean-field susceptibility :math:`\\partial\\langle m\\rangle/\\partial h` (central difference).

        Parameters
        ----------
        T : float or array_like
            Temperature, >= 0.
        omega : float or array_like
            Zeeman energy :math:`h = \mu_B B` (book symbol).
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

    # -- pair correlations: the raw and the connected measure ------------------------
    def _pair_log_weights(self, beta):
        """log P_b: the pair part of the canonical weight of b blocked pairs, shape (P, M+1).

        For b blocked pairs the remaining (n - b)/2 pairs move in M - b pair
        slots; their states have pair seniority v with energies E_{b+2v} and
        C(M-b, v) - C(M-b, v-1) states each.
        """
        M, n, G = self.M, self.n_electrons, self.G
        logp = np.full((len(beta), M + 1), -np.inf)
        fill = np.zeros(M + 1)
        for b in range(M + 1):
            n_pairs2 = n - b
            if n_pairs2 < 0 or n_pairs2 % 2 or n_pairs2 // 2 > M - b:
                continue
            npair, omega_slots = n_pairs2 // 2, M - b
            v = np.arange(0, min(npair, omega_slots - npair) + 1)
            deg = np.array([math.comb(omega_slots, int(x))
                            - (math.comb(omega_slots, int(x) - 1) if x >= 1 else 0)
                            for x in v], dtype=float)
            e = seniority_energy(b + 2 * v, n, M, G)
            logp[:, b] = _logsumexp(np.log(deg)[None, :] - beta[:, None] * e[None, :], axis=1)
            fill[b] = npair / omega_slots if omega_slots > 0 else 0.0
        return logp, fill

    def _occupation_parts(self, T, omega):
        """Single- and double-occupation probabilities per pair class (T > 0)."""
        T = _check_T(T, strictly_positive=True)
        w = _as_float_array("omega", omega)
        T, w = np.broadcast_arrays(T, w)
        shape = T.shape
        t, h = T.ravel().astype(float), w.ravel().astype(float)
        m_values, full, u_values, excl = _blocking_tables(self.l, self.orbital)
        with np.errstate(divide="ignore"):
            log_full = np.log(full)
            log_excl = np.log(excl)
        U = len(u_values)
        P = len(t)
        single_p = np.zeros((P, U))     # member with moment +u singly occupied
        single_m = np.zeros((P, U))     # member with moment -u
        double = np.zeros((P, U))
        chunk = max(1, int(2e7 // ((U + 1) * full.size)))
        for lo in range(0, P, chunk):
            sl = slice(lo, min(P, lo + chunk))
            beta = 1.0 / t[sl]
            bh = beta * h[sl]
            logp, fill = self._pair_log_weights(beta)
            zee = bh[:, None] * m_values[None, :]                            # (p, W)
            log_ze = _logsumexp(log_full[None] + zee[:, None, :], axis=2)     # (p, B)
            log_z = _logsumexp(logp + log_ze, axis=1)                         # (p,)
            log_zx = _logsumexp(log_excl[None] + zee[:, None, None, :], axis=3)  # (p, U, B)
            with np.errstate(divide="ignore"):
                log_fill = np.log(fill)
            # one electron in the chosen member, b - 1 other blocked pairs
            base = logp[:, None, 1:] + log_zx[:, :, :-1] - log_z[:, None, None]
            log_s = _logsumexp(base, axis=2)                                 # (p, U)
            single_p[sl] = np.exp(log_s + bh[:, None] * u_values[None, :])
            single_m[sl] = np.exp(log_s - bh[:, None] * u_values[None, :])
            dbl = logp[:, None, :] + log_fill[None, None, :] + log_zx - log_z[:, None, None]
            double[sl] = np.exp(_logsumexp(dbl, axis=2))
        return shape, u_values, single_p, single_m, double

    def pair_occupations(self, T, omega):
        r"""Canonical occupation :math:`\langle n_k\rangle` of every single-particle state.

        Uses the blocked-pair decomposition: the pairing Hamiltonian conserves
        which time-reversed pairs hold exactly one electron; the other pairs
        share their slots symmetrically, so each unblocked slot is doubly
        occupied with probability :math:`(n-b)/[2(M-b)]` in a block with
        :math:`b` blocked pairs.

        Parameters
        ----------
        T : float or array_like
            Temperature, > 0.
        omega : float or array_like
            Zeeman energy :math:`h` (book symbol), broadcasts against ``T``.

        Returns
        -------
        numpy.ndarray
            Shape ``broadcast(T, omega).shape + (2M,)``; the states in the order
            of :func:`single_particle_moments`. They sum to :math:`n`.

        Raises
        ------
        ValueError
            If ``T <= 0`` or an input is not finite.

        References
        ----------
        Chapter 3 ("A measure without the background").
        """
        shape, u_values, sp, sm, dbl = self._occupation_parts(T, omega)
        mk = single_particle_moments(self.l, self.orbital)
        iu = np.searchsorted(u_values, np.abs(mk))
        occ = np.where(mk[None, :] >= 0, sp[:, iu], sm[:, iu]) + dbl[:, iu]
        return occ.reshape(shape + (len(mk),))

    def uncorrelated_pairs(self, T, omega):
        r""":math:`\sum_\Lambda \langle n_{\Lambda\uparrow}\rangle\langle n_{-\Lambda\downarrow}\rangle`,
        the pair occupation expected from uncorrelated electrons.

        Parameters
        ----------
        T : float or array_like
            Temperature, > 0.
        omega : float or array_like
            Zeeman energy :math:`h`.

        Returns
        -------
        float or numpy.ndarray

        Raises
        ------
        ValueError
            If ``T <= 0`` or an input is not finite.

        References
        ----------
        Chapter 3.
        """
        shape, u_values, sp, sm, dbl = self._occupation_parts(T, omega)
        mp = np.abs(pair_moments(self.l, self.orbital))
        iu = np.searchsorted(u_values, mp)
        out = ((sp[:, iu] + dbl[:, iu]) * (sm[:, iu] + dbl[:, iu])).sum(axis=1)
        return self._out(out, shape)

    def connected_pair_correlation(self, T, omega):
        r"""Connected pair correlation :math:`\langle A^\dagger A\rangle
        - \sum_\Lambda \langle n_{\Lambda\uparrow}\rangle\langle n_{-\Lambda\downarrow}\rangle`.

        Zero for any single Slater determinant, :math:`(\Delta/G)^2` for a BCS
        state, and :math:`-n(2M-n)/[4M(2M-1)]` at infinite temperature (the
        fixed electron number anticorrelates the two members of a pair).

        Parameters
        ----------
        T : float or array_like
            Temperature, > 0.
        omega : float or array_like
            Zeeman energy :math:`h`.

        Returns
        -------
        float or numpy.ndarray
            Dimensionless (number of pairs).

        Raises
        ------
        ValueError
            If ``T <= 0`` or an input is not finite.

        References
        ----------
        Chapter 3 ("A measure without the background"); the same subtraction
        defines the pairing parameter of ultrasmall grains (von Delft and
        Ralph, Phys. Rep. 345, 61 (2001)).
        """
        raw = -np.asarray(self.pair_energy(T, omega)) / self.G
        unc = np.asarray(self.uncorrelated_pairs(T, omega))
        out = raw - unc
        return float(out) if out.ndim == 0 else out

    def connected_gap(self, T, omega):
        r"""Connected pair measure :math:`\Delta_{\rm conn} = G\,{\rm sign}(C)\sqrt{|C|}`.

        See :meth:`connected_pair_correlation`. For a BCS state it equals the
        BCS gap; unlike :meth:`canonical_gap` it does not count pairs
        occupied by chance. It can be (slightly) negative: at high temperature
        it tends to :attr:`connected_gap_infinite_T`.

        Parameters
        ----------
        T : float or array_like
            Temperature, > 0.
        omega : float or array_like
            Zeeman energy :math:`h`.

        Returns
        -------
        float or numpy.ndarray
            In the unit of ``G``.

        Raises
        ------
        ValueError
            If ``T <= 0`` or an input is not finite.

        References
        ----------
        Chapter 3.
        """
        c = np.asarray(self.connected_pair_correlation(T, omega))
        out = self.G * np.sign(c) * np.sqrt(np.abs(c))
        return float(out) if out.ndim == 0 else out

    @property
    def background_gap(self) -> float:
        r"""Infinite-temperature value of :meth:`canonical_gap`: :math:`G\sqrt{n(n-1)/[2(2M-1)]}`.

        With all :math:`\binom{2M}{n}` states equally likely, both members of a
        given pair are occupied with probability :math:`n(n-1)/[2M(2M-1)]`;
        summed over the :math:`M` pairs this is :math:`\langle A^\dagger A\rangle`.
        """
        n, M = self.n_electrons, self.M
        return self.G * math.sqrt(n * (n - 1) / (2 * (2 * M - 1)))

    @property
    def connected_gap_infinite_T(self) -> float:
        r"""Infinite-temperature value of :meth:`connected_gap`: :math:`-G\sqrt{n(2M-n)/[4M(2M-1)]}`."""
        n, M = self.n_electrons, self.M
        return -self.G * math.sqrt(n * (2 * M - n) / (4 * M * (2 * M - 1)))

    def bcs_pair_measures(self, T, omega):
        r"""The grand-canonical BCS state measured like the canonical one.

        With :math:`u^2, v^2 = \tfrac12(1 \pm \xi/E)` and the quasiparticle
        energies :math:`E \mp h m_p` of pair :math:`p`,
        :math:`\langle n_{\pm}\rangle = u^2 f(E \mp h m_p) + v^2[1 - f(E \pm h m_p)]`.
        Then :math:`\langle A^\dagger A\rangle = (\Delta/G)^2 + \sum_p
        \langle n_+\rangle\langle n_-\rangle` (Wick's theorem), so the raw
        measure :math:`G\sqrt{\langle A^\dagger A\rangle}` contains the same
        kind of background as :meth:`canonical_gap`, and the connected one is
        :math:`\Delta` itself.

        Parameters
        ----------
        T : float or array_like
            Temperature, >= 0.
        omega : float or array_like
            Zeeman energy :math:`h`.

        Returns
        -------
        dict of numpy.ndarray
            ``raw`` (:math:`G\sqrt{\langle A^\dagger A\rangle}`), ``connected``
            (:math:`\Delta`), ``uncorrelated`` (:math:`\sum_p\langle n_+\rangle
            \langle n_-\rangle`).

        Raises
        ------
        ValueError
            If an input is out of range.

        References
        ----------
        Chapter 3.
        """
        T = _check_T(T, strictly_positive=False)
        w = _as_float_array("omega", omega)
        T, w = np.broadcast_arrays(T, w)
        sol = self.bcs_solution(T, w)
        gap, xi = sol.gap.ravel(), sol.xi.ravel()
        t, h = T.ravel(), np.abs(w.ravel())
        E = np.hypot(xi, gap)
        safe_e = np.where(E > 0, E, 1.0)
        u2 = np.where(E > 0, 0.5 * (1 + xi / safe_e), (xi >= 0).astype(float))
        v2 = 1.0 - u2
        mp = np.abs(pair_moments(self.l, self.orbital)).astype(float)
        a = h[:, None] * mp[None, :]

        def fermi(x):
            tt = t[:, None]
            hot = 0.5 * (1 - np.tanh(x / (2 * np.where(tt > 0, tt, 1.0))))
            cold = np.where(x < 0, 1.0, np.where(x > 0, 0.0, 0.5))
            return np.where(tt > 0, hot, cold)

        e2 = E[:, None]
        n_plus = u2[:, None] * fermi(e2 - a) + v2[:, None] * (1 - fermi(e2 + a))
        n_minus = u2[:, None] * fermi(e2 + a) + v2[:, None] * (1 - fermi(e2 - a))
        unc = (n_plus * n_minus).sum(axis=1)
        raw = np.sqrt(gap**2 + self.G**2 * unc)
        shape = T.shape
        return {"raw": raw.reshape(shape), "connected": gap.reshape(shape),
                "uncorrelated": unc.reshape(shape)}

    def bcs_heat_capacity(self, T, omega, rel_step=1e-3):
        r"""Heat capacity :math:`C = -T\,\partial^2F/\partial T^2` of the BCS mean field.

        Central second difference of the free energy of :meth:`bcs_solution`
        (step ``rel_step * T``). At half filling and :math:`h = 0` it jumps
        from :math:`3M` just below :math:`T_c^{\rm sh}` to zero above it
        (chapter 3); the canonical heat capacity has no jump.

        Parameters
        ----------
        T : float or array_like
            Temperature, > 0.
        omega : float or array_like
            Zeeman energy :math:`h`.
        rel_step : float
            Relative temperature step, in (0, 0.1].

        Returns
        -------
        float or numpy.ndarray
            In units of :math:`k_B`.

        Raises
        ------
        ValueError
            If ``T <= 0``, an input is not finite or ``rel_step`` is out of range.

        References
        ----------
        Chapter 3 ("What fluctuations do to a sharp transition").
        """
        if not 0 < rel_step <= 0.1:
            raise ValueError(f"rel_step must be in (0, 0.1], got {rel_step}")
        T = _check_T(T, strictly_positive=True)
        w = _as_float_array("omega", omega)
        T, w = np.broadcast_arrays(T, w)
        dt = rel_step * T
        f0 = self.bcs_solution(T, w).free_energy
        fp = self.bcs_solution(T + dt, w).free_energy
        fm = self.bcs_solution(T - dt, w).free_energy
        out = -T * (fp - 2 * f0 + fm) / dt**2
        return float(out) if out.ndim == 0 else out
