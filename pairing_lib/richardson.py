r"""Exact solution of the reduced BCS (pairing) Hamiltonian: Richardson's method.

Used by chapter 2 (*Variational grains*, "Beyond the paper": exact energies of
every spin sector of an ultrasmall grain next to the variational ones of
Braun *et al.* 1997, seed 000 of the book, for equally spaced and for
random-matrix spectra, :func:`goe_levels`) and by chapter 4 (the even-odd
parity gap of a grain from exact energies, down to :math:`d = 0.05`).

The model
---------
Pairs of time-reversed electrons on :math:`L` non-degenerate orbital levels
:math:`j` behave as hard-core bosons :math:`b_j = c_{j-} c_{j+}` (at most one
pair per level). With singly occupied ("blocked") levels removed -- they only
add their single-particle energy and drop out of the pairing problem -- the
reduced BCS Hamiltonian of the grain, eq. (1) of the seed with
:math:`h = 0`, becomes

.. math::

    H = \sum_{j=1}^{L} 2\varepsilon_j\, b_j^\dagger b_j
        \;-\; g \sum_{i,j=1}^{L} b_i^\dagger b_j ,
    \qquad
    [b_i, b_j^\dagger] = \delta_{ij}\,(1 - 2 b_j^\dagger b_j),

for :math:`M` pairs (``n_pairs``), with real distinct :math:`\varepsilon_j`
(``eps``) and :math:`g \ge 0` (``g``; the book's pairing strength :math:`G = \lambda d` of the grains of
chapter 2). Note that the double sum includes :math:`i = j`: the "self-energy"
term :math:`-g\sum_j b_j^\dagger b_j` is part of :math:`H`. The state space of
:math:`M` pairs (seniority zero) has :math:`\binom{L}{M}` states.

Richardson's solution
---------------------
Every eigenstate is :math:`\prod_{k=1}^{M} \bigl(\sum_j b_j^\dagger /
(2\varepsilon_j - E_k)\bigr)\,|0\rangle` with energy :math:`E = \sum_k E_k`,
where the pair energies :math:`E_k` solve Richardson's equations
(:func:`richardson_residuals`)

.. math::

    \frac{1}{g} - \sum_{j=1}^{L} \frac{1}{2\varepsilon_j - E_k}
    + \sum_{l \ne k} \frac{2}{E_l - E_k} = 0 , \qquad k = 1,\dots,M .

These equations are singular whenever two pair energies meet at some
:math:`2\varepsilon_j` (beyond such couplings they form complex-conjugate
pairs), which happens for the ground state at a discrete set of couplings,
the first of them already at :math:`g` of the order of the level spacing.
Solving them directly is therefore not robust.

Eigenvalue-based variables
--------------------------
This module works instead with the variables (here made dimensionless by a
factor :math:`g`)

.. math::

    x_i \equiv g\Lambda_i = g \sum_{k=1}^{M} \frac{1}{2\varepsilon_i - E_k},
    \qquad i = 1,\dots,L,

which stay finite where two :math:`E_k` collide at :math:`2\varepsilon_i`
(the two divergent terms cancel). Writing :math:`z_i = 2\varepsilon_i`,
squaring :math:`\Lambda_i`, splitting products with partial fractions and
using Richardson's equations once gives the closed quadratic system

.. math::

    F_i(x) \equiv x_i^2 - x_i
      - g \sum_{j \ne i} \frac{x_i - x_j}{z_i - z_j} = 0 ,
    \qquad i = 1,\dots,L,

with the sum rules (from summing Richardson's equations over :math:`k`, and
:math:`\sum_i z_i\Lambda_i`)

.. math::

    \sum_i x_i = M, \qquad
    E = \sum_i z_i x_i \;-\; g\,M\,(L - M + 1).

At :math:`g = 0` the solutions are :math:`x_i \in \{0, 1\}`: the state with
the :math:`M` levels :math:`\{i : x_i = 1\}` filled. The ground state is
followed from the filled lowest :math:`M` levels at :math:`g = 0` to the
requested :math:`g` by predictor-corrector continuation (cubic Hermite
predictor built from the tangents :math:`dx/dg`, Newton corrector with the
analytic Jacobian :math:`J_{ij} = \partial F_i/\partial x_j`).

Numerical notes (found while writing this module, not in the papers): once
pairing sets in, :math:`J` acquires a singular value that decreases
exponentially with :math:`g` (the equations alone hardly fix
:math:`\sum_i x_i`; for 100 equally spaced levels of spacing :math:`d` at
half filling it is :math:`10^{-12}` already at :math:`g \approx d/2`), so
plain Newton fails. Every linear solve here therefore uses the bordered matrix
:math:`K = \begin{pmatrix} J & b \\ 1^T & 0 \end{pmatrix}`, which adds the
sum rule as an equation; with :math:`b \propto J^{-T}1` (the left near-null
vector, updated on the way) :math:`K` stays well conditioned. The converged
solution is finally polished by iterative refinement with residuals in
extended precision (``numpy.longdouble``), which also gives a first-order
bound on the energy error (attribute ``energy_error``).

Cost. A dense LU of :math:`K` costs :math:`O(L^3)` (0.2 s for 2000 levels on
one core), a product with :math:`K` :math:`O(L^2)`. The continuation
therefore factorises :math:`K` only at a few reference points (in single
precision while its pivots allow it) and solves the Newton systems, the
tangent :math:`dx/dg` and the second derivative :math:`d^2x/dg^2` at the
other points by GMRES preconditioned with that factorisation, refactorising
when GMRES slows down (about one LU per two steps, five GMRES iterations per
solve). At :math:`g = 0`, :math:`J = \mathrm{diag}(\pm 1)` is solved in
:math:`O(L)`. Levels on a uniform grid (equally spaced, also with blocked
levels removed) make :math:`C_{ij} = 1/(z_i - z_j)` a Toeplitz kernel, and
:math:`Cv` is an FFT convolution, in double and in extended precision.
Systems of at most 120 levels keep a fresh LU at every Newton iterate, which
is cheaper there and keeps badly scaled (nearly degenerate) cases accurate.
Measured (one core, one BLAS thread): one ground state of 1000
equally spaced levels at half filling 0.2-0.5 s for :math:`g \le 2d`, 2000
levels 1-2 s; ``benchmarks/bench_richardson.py`` prints the timings.

Conditioning, measured. The 1-norm condition number of the bordered
:math:`K` at the solution (LAPACK ``gecon``) decides the accuracy; the
smallest LU pivot of :math:`K` does not (it falls exponentially with
:math:`g`, to :math:`10^{-11}` of the largest for 2000 levels at
:math:`g = 2d`, while :math:`K` stays well conditioned):

=====================================================  ========================  =============================
levels (half filling)                                  cond(K)                   estimated energy error
=====================================================  ========================  =============================
100-4000 equally spaced, :math:`g \le 2d`              20-700                    :math:`< 10^{-17}` relative
400 GOE (mean spacing :math:`d`), :math:`g = d, 2d`    :math:`2-4\cdot 10^5`     :math:`10^{-11}\,d`
200 uniform random (Poisson), :math:`g = d/2`          :math:`3\cdot 10^8`       :math:`10^{-8}\,d`
200 Poisson, :math:`g = d` (refused)                   :math:`7\cdot 10^{11}`    :math:`10^{-5}\,d`
=====================================================  ========================  =============================

So double precision is not what limits equally spaced levels: 2000 (and
4000) levels at :math:`g = 2d` are solved to rounding level, and they agree
with the large-:math:`N` expansion (BCS plus Gaussian fluctuations) to the
:math:`O(d)` remainder, :math:`-0.0351\,d` at :math:`g = 2d` for every size
from 100 to 3000 levels (``tests/test_richardson.py``). What spoils the
conditioning is a pair of levels much closer than :math:`g`: :math:`C_{ij}`
is then huge and the differences :math:`x_i - x_j` are lost. Level repulsion
keeps GOE spectra safe (all of 100 seeds of 400 levels at :math:`g = 2d`
pass); uncorrelated (Poisson) levels with spacings of :math:`10^{-3} d` on
hundreds of levels at :math:`g \gtrsim d` are refused, with a message that
names the closest pair. (A change of variables to divided differences of
:math:`x` over clusters of close levels would cure this; it is not needed
for the book.)

Hellmann-Feynman derivatives follow from the same factorisation by implicit
differentiation: the pair correlation :math:`\langle\sum_{ij} b_i^\dagger
b_j\rangle = -dE/dg` and the level occupations :math:`\langle b_j^\dagger
b_j\rangle = \partial E/\partial (2\varepsilon_j)`. The pair energies
themselves are recovered from :math:`x` as the eigenvalues of an
:math:`M \times M` matrix (:func:`pair_energies`).

Safety: every continuation step must converge in a few Newton iterations with
a small correction of the prediction, the energy change over the step must
agree with the integral of the Hellmann-Feynman slope :math:`dE/dg` (a
quartic Hermite rule from :math:`dE/dg` and :math:`d^2E/dg^2` at both ends),
and for the ground state :math:`dE/dg` must not increase (:math:`E(g)` is
concave). The returned solution must satisfy :math:`F(x) = 0` to rounding
level and :math:`\sum_i x_i = M`, have an estimated energy error below
:math:`10^{-9}` of the condensation energy (or of the level spacing), and
occupations in :math:`[0, 1]` summing to :math:`M`. Two second routes to the
energy are checked against it: the Hellmann-Feynman integral
:math:`E(0) - \int_0^g\langle B^\dagger B\rangle\,dg'` along the whole path
(attributes ``hf_energy``, ``hf_tolerance``; it catches a jump to another
branch or an inaccurate end point), and, for up to 60 pairs where the pair
energies can be recovered accurately, the sum of pair energies that solve
Richardson's equations (``pair_energy_check``). For the ground state two
theorems are checked as well: the pair correlation is at least :math:`M`
(:math:`E(g)` is concave with slope :math:`-M` at :math:`g = 0`), and the
occupations decrease with :math:`\varepsilon_j` (the ground-state energy is
a concave and even function of the splitting of any two levels, so it
decreases as they are pulled apart). Any failure raises ``RuntimeError``
with what to change: no energy is returned silently from a failed or
inaccurate solve.

Reach: tested to 2000 equally spaced levels at half filling and any
:math:`g \le 2d` (also 3000-4000, slower), with the blocked sectors of
chapter 2 (central levels removed) and the grains of chapter 4 (down to
:math:`d = 0.05\Delta_0`, 1737 levels); GOE spectra
(:func:`goe_levels`) of up to 400 levels at :math:`g \le 2d`. Nearly
degenerate levels (spacings much smaller than :math:`g`) may be refused.

Units
-----
The caller's energy unit: ``eps`` and ``g`` in the same unit, energies
returned in that unit (chapter 2 uses the bulk gap :math:`\Delta_0`).
The pair energy of level :math:`j` is :math:`2\varepsilon_j` (two electrons).

Examples
--------
>>> import numpy as np
>>> from pairing_lib import richardson
>>> eps = richardson.equally_spaced_levels(4)          # -1.5, -0.5, 0.5, 1.5
>>> e = richardson.ground_state_energy(eps, 0.3, 2)
>>> bool(np.isclose(e, richardson.exact_diagonalization(eps, 0.3, 2)))
True

References
----------
- R. W. Richardson, Phys. Lett. 3, 277 (1963).
- R. W. Richardson and N. Sherman, Nucl. Phys. 52, 221 (1964).
- R. W. Richardson, Phys. Rev. 141, 949 (1966).
- F. Braun and J. von Delft, Phys. Rev. Lett. 81, 4712 (1998).
- J. Dukelsky and G. Sierra, Phys. Rev. Lett. 83, 172 (1999).
- J. von Delft and D. C. Ralph, Phys. Rep. 345, 61 (2001).
- O. Babelon and D. Talalaev, J. Stat. Mech. (2007) P06013 (quadratic
  relations for the eigenvalues of the conserved charges).
- A. Faribault, O. El Araby, C. Strater and V. Gritsev, Phys. Rev. B
  83, 235124 (2011) (eigenvalue-based solver of Richardson-Gaudin models).
- O. El Araby, V. Gritsev and A. Faribault, Phys. Rev. B 85,
  115130 (2012).
- P. Claeys, S. De Baerdemacker, M. Van Raemdonck and D. Van Neck,
  Phys. Rev. B 91, 155102 (2015).
- F. Braun, J. von Delft, D. C. Ralph and M. Tinkham, Phys. Rev.
  Lett. 79, 921 (1997) (seed 000, eq. 1).
"""

from __future__ import annotations

import itertools
import math
import numbers
from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla
from scipy.linalg.lapack import sgetrs as _SGETRS
import scipy.sparse as sp
import scipy.sparse.linalg as spla

__all__ = [
    "RichardsonSolution",
    "ExactGroundState",
    "equally_spaced_levels",
    "goe_levels",
    "ground_state",
    "eigenstate",
    "ground_state_energy",
    "condensation_energy",
    "pair_energies",
    "richardson_residuals",
    "exact_diagonalization",
    "exact_ground_state",
    "exact_spectrum",
    "MAX_ED_DIMENSION",
]

#: Largest Hilbert-space dimension C(L, M) accepted by the brute-force
#: diagonalisation functions.
MAX_ED_DIMENSION = 20000

_XF = np.longdouble            # extended precision for the final polish
_EPS_XF = float(np.finfo(np.longdouble).eps)
_DENSE_ED_DIMENSION = 800      # dense eigh below, sparse Lanczos above
_MAX_ED_NONZEROS = 4_000_000   # nonzeros of the pair-annihilation matrix
_MIN_RELATIVE_SEPARATION = 1e-9
_KRYLOV_MAX = 30          # GMRES iterations before the reference LU counts as stale
_KRYLOV_REFACTOR = 10     # refactorise after a step whose solves needed more
_PAIR_CHECK_MAX = 60      # pair-energy route tried up to this many pairs
_DIRECT_MAX = 120         # up to this many levels: fresh LU at every Newton iterate
_NEWTON_RTOL = 1e-3       # relative accuracy of the linear solves inside Newton


# ----------------------------------------------------------------------------
# input checking
# ----------------------------------------------------------------------------

def _check_eps(eps) -> np.ndarray:
    try:
        arr = np.asarray(eps, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"eps must be a 1D array of real numbers, got {eps!r}") from exc
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(
            f"eps must be a non-empty 1D array of level energies, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"eps must be finite (no NaN or inf), got {arr}")
    if arr.size > 1:
        srt = np.sort(arr)
        gaps = np.diff(srt)
        spread = srt[-1] - srt[0]
        k = int(np.argmin(gaps))
        if gaps[k] <= _MIN_RELATIVE_SEPARATION * spread:
            raise ValueError(
                "eps must be distinct (non-degenerate levels, relative separation "
                f"> {_MIN_RELATIVE_SEPARATION:g}), got eps = {srt[k]!r} and "
                f"{srt[k + 1]!r}")
    return arr


def _check_g_scalar(g) -> float:
    try:
        val = float(g)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"g must be a real number >= 0, got {g!r}") from exc
    if not np.isfinite(val) or val < 0:
        raise ValueError(f"g must be a finite real number >= 0, got {g!r}")
    return val


def _check_g_array(g) -> np.ndarray:
    try:
        arr = np.asarray(g, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"g must be real and >= 0, got {g!r}") from exc
    if arr.size == 0:
        raise ValueError("g must contain at least one coupling, got an empty array")
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"g must be finite and >= 0, got {g!r}")
    return arr


def _check_n_pairs(n_pairs, n_levels: int) -> int:
    if isinstance(n_pairs, bool):
        raise ValueError(f"n_pairs must be an integer in [0, {n_levels}], got {n_pairs!r}")
    if isinstance(n_pairs, numbers.Integral):
        val = int(n_pairs)
    elif isinstance(n_pairs, numbers.Real) and float(n_pairs).is_integer():
        val = int(n_pairs)
    else:
        raise ValueError(
            f"n_pairs must be an integer in [0, {n_levels}] (len(eps)), got {n_pairs!r}")
    if not 0 <= val <= n_levels:
        raise ValueError(
            f"n_pairs must be in [0, {n_levels}] (0 <= n_pairs <= len(eps)), got {val}")
    return val


def _check_occupied(occupied, n_levels: int) -> np.ndarray:
    try:
        idx = np.asarray(occupied)
    except Exception as exc:  # pragma: no cover - defensive
        raise ValueError(f"occupied must be a sequence of level indices, got {occupied!r}") from exc
    if idx.ndim != 1 or (idx.size and not np.issubdtype(idx.dtype, np.integer)):
        raise ValueError(
            f"occupied must be a 1D sequence of integer level indices, got {occupied!r}")
    idx = idx.astype(int)
    if idx.size and (idx.min() < 0 or idx.max() >= n_levels):
        raise ValueError(
            f"occupied indices must be in [0, {n_levels - 1}], got {occupied!r}")
    if np.unique(idx).size != idx.size:
        raise ValueError(f"occupied indices must be distinct, got {occupied!r}")
    return np.sort(idx)


# ----------------------------------------------------------------------------
# public helpers
# ----------------------------------------------------------------------------

def _check_level_count(n_levels, d) -> tuple[int, float]:
    """``(n_levels, d)`` checked: an integer >= 1 and a finite spacing > 0."""
    if isinstance(n_levels, bool) or not isinstance(n_levels, numbers.Integral) or n_levels < 1:
        raise ValueError(f"n_levels must be an integer >= 1, got {n_levels!r}")
    try:
        dval = float(d)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"d must be a real number > 0, got {d!r}") from exc
    if not np.isfinite(dval) or dval <= 0:
        raise ValueError(f"d must be > 0, got {d!r}")
    n = int(n_levels)
    return n, dval


def equally_spaced_levels(n_levels: int, d: float = 1.0) -> np.ndarray:
    r"""Equally spaced levels :math:`\varepsilon_j = d\,(j - (L-1)/2)`.

    The ``n_levels`` = :math:`L` levels are centred on zero, so that at half
    filling (``n_pairs = L // 2`` for even :math:`L`) the Fermi level lies
    midway between levels :math:`L/2 - 1` and :math:`L/2`. This is the band of
    the grains of chapter 2 (seed 000, eq. 1: :math:`\varepsilon_j = jd`
    measured from the chemical potential) cut off at :math:`\pm L d/2`.

    Parameters
    ----------
    n_levels : int
        Number of levels :math:`L \ge 1`.
    d : float, optional
        Level spacing, > 0 (default 1).

    Returns
    -------
    numpy.ndarray
        Shape ``(n_levels,)``, increasing.

    Raises
    ------
    ValueError
        If ``n_levels`` is not a positive integer or ``d`` is not > 0.

    Examples
    --------
    >>> equally_spaced_levels(4, d=0.5)
    array([-0.75, -0.25,  0.25,  0.75])
    """
    n, dval = _check_level_count(n_levels, d)
    return dval * (np.arange(n, dtype=float) - 0.5 * (n - 1))


def goe_levels(n_levels: int, d: float = 1.0, seed=0) -> np.ndarray:
    r"""A seeded random level set with the statistics of the Gaussian orthogonal ensemble.

    The spectrum of a chaotic grain (time-reversal symmetric, no spin-orbit
    scattering) is modelled by the eigenvalues of a random real symmetric
    matrix: level repulsion :math:`P(s) \propto s` at small spacings and a
    rigid spectrum (number variance :math:`\Sigma^2(\ell) \approx (2/\pi^2)
    \ln\ell`). We draw the eigenvalues of a GOE matrix of size
    :math:`N = 3L` from its tridiagonal form (Dumitriu and Edelman: same
    eigenvalue distribution, O(N^2) work), unfold them with the semicircle
    law to unit mean spacing, keep the central :math:`L` (far from the
    edges, where the density is smooth) and scale to mean spacing :math:`d`.

    Parameters
    ----------
    n_levels : int
        Number of levels :math:`L \ge 1`.
    d : float, optional
        Mean level spacing, > 0 (default 1).
    seed : int or None, optional
        Seed of ``numpy.random.default_rng`` (default 0): the same seed gives
        the same levels.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_levels,)``, increasing, centred on zero (mean 0), mean
        spacing ``d`` on average (the sample mean fluctuates slightly).

    Raises
    ------
    ValueError
        If ``n_levels`` is not a positive integer or ``d`` is not > 0.

    References
    ----------
    M. L. Mehta, *Random Matrices* (Academic Press, 2004); I. Dumitriu and
    A. Edelman, J. Math. Phys. 43, 5830 (2002); Y. Y. Atas et al., Phys. Rev.
    Lett. 110, 084101 (2013) (ratio statistic used in the tests). Chapter 2
    (random-matrix grain spectra).

    Examples
    --------
    >>> eps = goe_levels(200, d=0.5, seed=1)
    >>> eps.shape, bool(np.all(np.diff(eps) > 0))
    ((200,), True)
    """
    n, dval = _check_level_count(n_levels, d)
    rng = np.random.default_rng(seed)
    size = 3 * n + 2
    # tridiagonal model of sqrt(2) x GOE (H_ii ~ N(0, 1), H_ij ~ N(0, 1/2)):
    # diagonal N(0, 2), off-diagonal chi_{size-1}, ..., chi_1; semicircle of
    # radius 2 sqrt(size)
    diag = rng.normal(0.0, math.sqrt(2.0), size)
    off = np.sqrt(rng.chisquare(np.arange(size - 1, 0, -1)))
    lam = sla.eigh_tridiagonal(diag, off, eigvals_only=True)
    u = np.clip(lam / (2.0 * math.sqrt(size)), -1.0, 1.0)
    counted = size * (0.5 + (u * np.sqrt(1.0 - u * u) + np.arcsin(u)) / math.pi)
    start = (size - n) // 2
    levels = counted[start:start + n]
    return dval * (levels - levels.mean())


@dataclass(frozen=True, eq=False)
class RichardsonSolution:
    r"""An exact eigenstate of the pairing Hamiltonian found by Richardson's method.

    Attributes
    ----------
    eps : numpy.ndarray
        The level energies :math:`\varepsilon_j` (caller's order).
    g : float
        Pairing coupling :math:`g`.
    n_pairs : int
        Number of pairs :math:`M`.
    occupied : tuple of int
        Levels filled at :math:`g = 0` on the branch that was followed (the
        lowest ``n_pairs`` levels for the ground state).
    energy : float
        Exact eigenenergy :math:`E = \sum_k E_k`.
    lambdas : numpy.ndarray
        Eigenvalue-based variables :math:`x_i = g\Lambda_i = g\sum_k
        1/(2\varepsilon_i - E_k)`; they sum to ``n_pairs``.
    occupations : numpy.ndarray
        Pair occupations :math:`\langle b_j^\dagger b_j\rangle = \partial E /
        \partial(2\varepsilon_j)` (Hellmann-Feynman); the electron number in
        level :math:`j` is twice this.
    pair_correlation : float
        :math:`\langle\sum_{ij} b_i^\dagger b_j\rangle = -dE/dg`
        (Hellmann-Feynman).
    residual : float
        Largest :math:`|F_i(x)|` of the (dimensionless) eigenvalue-based
        equations at the returned solution.
    energy_error : float
        Estimated bound on the error of ``energy`` from rounding (first-order
        propagation of the residual; caller's unit).
    n_steps : int
        Number of continuation steps taken from :math:`g = 0`.
    hf_energy : float
        The energy by a second route: :math:`E(0) - \int_0^g \langle
        B^\dagger B\rangle\,dg'`, the Hellmann-Feynman integral along the
        continuation path (per step the quintic through three nodes of
        :math:`dE/dg` and :math:`d^2E/dg^2`). It agrees with ``energy`` to
        within ``hf_tolerance`` (checked): typically to :math:`10^{-5}` of
        the condensation energy, much better in a dense sweep; a jump to
        another branch or an inaccurate final solution would show up here.
    hf_tolerance : float
        Allowed :math:`|` ``hf_energy`` - ``energy`` :math:`|`, caller's unit:
        ten times the estimated quadrature error (per step, the difference
        between the quartic Hermite rule and the quintic through the previous
        node as well, which is the integral used).
    pair_energy_check : float or None
        Where the pair energies :math:`E_k` can be recovered accurately from
        the :math:`x_i` (few pairs, or weak coupling: Richardson's equations
        then hold to :math:`10^{-8}`), :math:`|\sum_k E_k - E|`; checked to be
        below :math:`10^{-8}` of the energy scale. ``None`` where the root
        finding is too ill-conditioned for a check.
    """

    eps: np.ndarray
    g: float
    n_pairs: int
    occupied: tuple
    energy: float
    lambdas: np.ndarray
    occupations: np.ndarray
    pair_correlation: float
    residual: float
    energy_error: float
    n_steps: int
    hf_energy: float = float("nan")
    hf_tolerance: float = 0.0
    pair_energy_check: float | None = None


@dataclass(frozen=True, eq=False)
class ExactGroundState:
    r"""Ground state of the pairing Hamiltonian by brute-force diagonalisation.

    Attributes
    ----------
    energy : float
        Ground-state energy.
    occupations : numpy.ndarray
        :math:`\langle b_j^\dagger b_j\rangle` for each level (caller's order).
    pair_correlation : float
        :math:`\langle\sum_{ij} b_i^\dagger b_j\rangle`.
    dimension : int
        Number of basis states :math:`\binom{L}{M}`.
    """

    energy: float
    occupations: np.ndarray
    pair_correlation: float
    dimension: int


# ----------------------------------------------------------------------------
# eigenvalue-based continuation (the solver)
# ----------------------------------------------------------------------------

def _lag_kernel(lags, power, dtype):
    """1/l**power at integer lags l (0 at l = 0; 1/|l| for ``power = -1``)."""
    lag = np.asarray(lags).astype(dtype)
    out = np.zeros(lag.shape, dtype=dtype)
    nz = lag != 0
    if power == -1:
        out[nz] = dtype(1) / np.abs(lag[nz])
    else:
        out[nz] = dtype(1) / lag[nz] ** power
    return out


class _Extended:
    """z', r and products with C, |C| and C**2 (elementwise) in extended precision.

    For levels on a uniform grid (``system._grid``) the products are FFT
    convolutions in ``numpy.longdouble`` (their rounding error is a few
    extended-precision units of |C| |v|) and z' is the exact grid; otherwise
    dense matrices. ``offset`` holds z - z_grid in the caller's unit (zero
    without a grid): the polish solves the grid problem and corrects the
    energy to first order, E(z) = E(z_grid) + sum_j n_j offset_j.
    """

    def __init__(self, system):
        grid = system._grid
        scale, ref = _XF(system.scale), _XF(system.ref)
        n = system.n
        if grid is None:
            zl = (system._z_raw.astype(_XF) - ref) / scale
            diff = zl[:, None] - zl[None, :]
            np.fill_diagonal(diff, _XF(1))
            cl = _XF(1) / diff
            np.fill_diagonal(cl, _XF(0))
            self._dense = (cl, np.abs(cl), cl * cl)
            self.offset = np.zeros(n)
        else:
            q = _XF(grid["step"]) / scale                 # grid step in scaled units
            zl = (_XF(grid["zmin"]) - ref) / scale + grid["k"].astype(_XF) * q
            self._dense = None
            lags = grid["lags"]
            self._kernels = [np.fft.rfft(_lag_kernel(lags, p, _XF)) * f for p, f in
                             ((1, 1 / q), (-1, 1 / q), (2, 1 / (q * q)))]
            self.offset = np.asarray(system._z_raw.astype(_XF) - (ref + scale * zl),
                                     dtype=float)
        self._grid = grid
        self.z = zl
        self.r = self._apply(0, np.ones(n, dtype=_XF))

    def _apply(self, which, v):
        if self._dense is not None:
            return self._dense[which] @ v
        grid = self._grid
        buf = np.zeros(grid["nfft"], dtype=_XF)
        buf[grid["k"]] = v
        conv = np.fft.irfft(np.fft.rfft(buf) * self._kernels[which], grid["nfft"])
        return conv[grid["k"]]

    def c(self, v):
        """C @ v."""
        return self._apply(0, v)

    def cabs(self, v):
        """|C| @ v."""
        return self._apply(1, v)

    def c_diff(self, x):
        """sum_k (x_i - x_k) C_ik = x * r - C @ x, and its rounding scale.

        Dense: the differences x_i - x_k are formed before they are multiplied
        by C_ik, so that a nearly degenerate pair of levels (large C_ik, nearly
        equal x) adds no cancellation error; the rounding scale is then
        sum_k |x_i - x_k| |C_ik| instead of |x_i r_i| + (|C| |x|)_i. Grid: the
        convolution form (no close pairs on a grid).
        """
        if self._dense is not None:
            dmat = (x[:, None] - x[None, :]) * self._dense[0]
            return dmat.sum(axis=1), np.abs(dmat).sum(axis=1)
        return x * self.r - self.c(x), np.abs(x * self.r) + self.cabs(np.abs(x))

    def m_products(self, x, y):
        """M @ y and M @ 1 for M_ik = (x_i - x_k) C_ik**2 (occupations).

        Dense: the differences x_i - x_k are formed first (no cancellation for
        nearly degenerate levels, where C_ik is large); grid: convolutions.
        """
        if self._dense is not None:
            mmat = (x[:, None] - x[None, :]) * self._dense[2]
            return mmat @ y, mmat.sum(axis=1)
        one = np.ones(x.size, dtype=_XF)
        return (x * self._apply(2, y) - self._apply(2, x * y),
                x * self._apply(2, one) - self._apply(2, x))


class _EBVSystem:
    """The quadratic eigenvalue-based equations in scaled units.

    Scaled units: z' = (z - z_ref) / s and g' = g / s with s the mean spacing
    of z = 2 eps, so that F, J and x are O(1) and E = s * E' + z_ref * M.
    """

    def __init__(self, z: np.ndarray, n_pairs: int):
        n = z.size
        self.n = n
        self.n_pairs = n_pairs
        zmin, zmax = float(z.min()), float(z.max())
        self.scale = (zmax - zmin) / (n - 1)
        self.ref = 0.5 * (zmin + zmax)
        self.z = (z - self.ref) / self.scale
        diff = self.z[:, None] - self.z[None, :]
        np.fill_diagonal(diff, 1.0)
        cmat = 1.0 / diff
        np.fill_diagonal(cmat, 0.0)
        self.c = cmat                       # C_ij = 1/(z_i - z_j), i != j
        self.r = cmat.sum(axis=1)           # sum_{j != i} C_ij
        self.rabs_max = float(np.abs(cmat).sum(axis=1).max())
        self.const = n_pairs * (n - n_pairs + 1)
        self._diag = np.arange(n)
        self._z_raw = z
        self._extended = None
        self._grid = self._uniform_grid(z)
        self.direct = n <= _DIRECT_MAX

    @staticmethod
    def _uniform_grid(z):
        """FFT data if the levels sit on a uniform grid (any subset of one), else None.

        Then C_ij = 1/(s (k_i - k_j)) is a Toeplitz kernel in the integer grid
        positions k, and C @ v is a convolution (O(L log L) instead of O(L^2)).
        The levels must lie on the grid to within a few rounding errors of
        their values; the remaining offsets are handled to first order by the
        extended-precision polish (:class:`_Extended`).
        """
        n = z.size
        if n < 64:
            return None
        srt = np.sort(z)
        step = float(np.min(np.diff(srt)))
        if not step > 0:
            return None
        span = float(srt[-1] - srt[0])
        step = span / max(1.0, float(np.rint(span / step)))     # least rounding-affected
        pos = (z - srt[0]) / step
        k = np.rint(pos)
        tol = 64 * np.finfo(float).eps * (1.0 + float(np.max(np.abs(z))) / step)
        if np.max(np.abs(pos - k)) > tol or k.max() + 1 > 4 * n:
            return None
        k = k.astype(np.int64)
        size = int(k.max()) + 1
        nfft = 1 << int(np.ceil(np.log2(2 * size - 1)))
        lags = np.arange(nfft)
        lags = np.where(lags < nfft // 2, lags, lags - nfft)
        return dict(k=k, size=size, nfft=nfft, lags=lags, step=step, zmin=float(srt[0]),
                    kernel=np.fft.rfft(_lag_kernel(lags, 1, float)))

    def extended(self):
        """The system in extended precision (:class:`_Extended`), cached."""
        if self._extended is None:
            self._extended = _Extended(self)
        return self._extended

    def cmul(self, v):
        """C @ v (by FFT convolution for levels on a uniform grid)."""
        grid = self._grid
        if grid is None:
            return self.c @ v
        buf = np.zeros(grid["nfft"])
        buf[grid["k"]] = v
        conv = np.fft.irfft(np.fft.rfft(buf) * grid["kernel"], grid["nfft"])
        # grid spacing in scaled units: z'_i - z'_j = (k_i - k_j) step / scale
        return conv[grid["k"]] * (self.scale / grid["step"])

    def s_term(self, x):
        """S_i = sum_{j != i} (x_i - x_j) / (z_i - z_j)  (= -dF_i/dg)."""
        return x * self.r - self.cmul(x)

    def residual(self, x, g):
        return x * x - x - g * self.s_term(x)

    def energy(self, x, g):
        """Scaled energy sum_i z'_i x_i - g' M (L - M + 1)."""
        return float(self.z @ x) - g * self.const

    def tolerance(self, x, g, rtol):
        xm = max(1.0, float(np.max(np.abs(x))))
        return rtol * (xm * xm + g * xm * self.rabs_max)


class _Bordered:
    """LU factors of the bordered Jacobian K = [[J, b], [1^T, 0]] at a reference point.

    In the pairing regime J has one nearly null direction (exponentially small
    singular value: the equations barely fix sum_i x_i); the sum rule
    sum_i x_i = M fixes it. With b close to the left null vector of J (taken
    from J^{-T} 1 at the previous factorisation) K is well conditioned, and
    for the consistent systems solved here the bordering variable vanishes.

    The factorisation is computed once at a reference point (x_ref, g_ref)
    and reused, as a preconditioner of GMRES, for the bordered Jacobians at
    nearby points (:meth:`krylov`): a dense LU costs O(L^3), a preconditioned
    GMRES iteration O(L^2).
    """

    def __init__(self, system, x, g, border, single=False):
        n = system.n
        kmat = np.empty((n + 1, n + 1), dtype=np.float32 if single else float)
        kmat[:n, :n] = g * system.c
        kmat[system._diag, system._diag] = 2.0 * x - 1.0 - g * system.r
        kmat[:n, n] = border
        kmat[n, :n] = 1.0
        kmat[n, n] = 0.0
        self.n = n
        self.system = system
        self.border = border
        self.x_ref = np.array(x, dtype=float)
        self.g_ref = float(g)
        self.single = single
        self.lu = sla.lu_factor(kmat, overwrite_a=True, check_finite=False)
        piv = np.abs(np.diag(self.lu[0])).astype(float)
        self.pivot_ratio = float(piv.min() / piv.max()) if piv.max() > 0 else 0.0
        # partial pivoting is backward stable whatever the pivot sizes: the
        # smallest pivot of K falls exponentially with g on many levels while
        # K itself stays well conditioned (module docstring); only exact zeros
        # and overflow are refused here, accuracy is verified after the polish
        self.ok = bool(np.all(np.isfinite(self.lu[0])) and piv.min() > 1e-300 * piv.max())
        if single:
            self.ok = self.ok and piv.min() > 1e-6 * piv.max()

    def precondition(self, v):
        """K_ref^{-1} v (single precision if the factors are)."""
        if not self.single:
            return sla.lu_solve(self.lu, v, check_finite=False)
        sol, info = _SGETRS(self.lu[0], self.lu[1], v.astype(np.float32))
        return sol.astype(float)

    def solve(self, f, c=0.0, full=False):
        """K^{-1} [f; c]: the first n components (and the last if ``full``)."""
        sol = self.precondition(np.append(f, c))
        return (sol[:self.n], sol[self.n]) if full else sol[:self.n]

    def solve_transposed(self, f, c=0.0, full=False):
        """K^{-T} [f; c]: the first n components (and the last if ``full``)."""
        sol = sla.lu_solve(self.lu, np.append(f, c), trans=1, check_finite=False)
        sol = sol.astype(float)
        return (sol[:self.n], sol[self.n]) if full else sol[:self.n]

    def next_border(self):
        """Unit vector along J^{-T} 1 (the left near-null vector of J)."""
        w = self.solve_transposed(np.zeros(self.n), 1.0)
        norm = float(np.linalg.norm(w))
        return w / norm if np.isfinite(norm) and norm > 0 else None

    def krylov(self, x, g, f, c=0.0, rtol=1e-11, max_iter=_KRYLOV_MAX):
        """Solve K(x, g) [v; mu] = [f; c] (same border b) by right-preconditioned GMRES.

        Returns ``(v, iterations)``, or ``(None, iterations)`` if GMRES does not
        reach ``rtol`` (relative residual) within ``max_iter`` iterations: the
        reference factorisation is then too far from (x, g).
        """
        system, n = self.system, self.n
        if g == self.g_ref and np.array_equal(x, self.x_ref):
            return self.precondition(np.append(f, c))[:n], 0    # the reference itself
        diag = 2.0 * x - 1.0 - g * system.r
        border = self.border

        def apply_k(u):
            out = np.empty(n + 1)
            out[:n] = diag * u[:n] + g * system.cmul(u[:n]) + border * u[n]
            out[n] = u[:n].sum()
            return out

        rhs = np.append(f, c)
        bnorm = float(np.linalg.norm(rhs))
        if bnorm == 0.0:
            return np.zeros(n), 0
        if not np.isfinite(bnorm):
            return None, 0
        u = self.precondition(rhs)
        r = rhs - apply_k(u)
        beta = float(np.linalg.norm(r))
        iters = 0
        if beta <= rtol * bnorm:
            return u[:n], iters
        m = max_iter
        basis = np.empty((m + 1, n + 1))
        precs = np.empty((m, n + 1))
        hess = np.zeros((m + 1, m))
        basis[0] = r / beta
        rhs_small = np.zeros(m + 1)
        rhs_small[0] = beta
        y = None
        for k in range(m):
            iters = k + 1
            precs[k] = self.precondition(basis[k])
            w = apply_k(precs[k])
            # classical Gram-Schmidt, twice (numerically as good as Householder)
            h = basis[:k + 1] @ w
            w -= h @ basis[:k + 1]
            h2 = basis[:k + 1] @ w
            w -= h2 @ basis[:k + 1]
            hess[:k + 1, k] = h + h2
            hess[k + 1, k] = float(np.linalg.norm(w))
            y, *_ = np.linalg.lstsq(hess[:k + 2, :k + 1], rhs_small[:k + 2], rcond=None)
            resid = float(np.linalg.norm(hess[:k + 2, :k + 1] @ y - rhs_small[:k + 2]))
            if not np.isfinite(resid):
                return None, iters
            if resid <= 0.5 * rtol * bnorm or hess[k + 1, k] <= 1e-300:
                break
            basis[k + 1] = w / hess[k + 1, k]
        u = u + y @ precs[:y.size]
        r = rhs - apply_k(u)
        if not float(np.linalg.norm(r)) <= rtol * bnorm:
            return None, iters
        return u[:n], iters


class _DiagonalBordered(_Bordered):
    """The bordered Jacobian at g = 0, where J = diag(2x - 1) = diag(+-1): solved in O(L).

    With b = (2x - 1)/sqrt(L) the solution of J v + b mu = f, 1^T v = c is
    mu = (1^T J^{-1} f - c)/sqrt(L), v = J^{-1}(f - b mu); the transposed
    system likewise. Serves as the first reference of the continuation.
    """

    def __init__(self, system, x):
        n = system.n
        self.n = n
        self.system = system
        self.sign = 2.0 * np.asarray(x, dtype=float) - 1.0
        self.border = self.sign / math.sqrt(n)
        self.x_ref = np.array(x, dtype=float)
        self.g_ref = 0.0
        self.single = False
        self.pivot_ratio = 1.0
        self.ok = True

    def precondition(self, v):
        f, c = v[:self.n], v[self.n]
        mu = (float(self.sign @ f) - c) / math.sqrt(self.n)
        return np.append(self.sign * (f - self.border * mu), mu)

    def solve_transposed(self, f, c=0.0, full=False):
        # K^T = [[J, 1], [b^T, 0]]: J w + om 1 = f, b^T w = c
        om = (float(self.border @ (self.sign * f)) - c) / (float(self.border @ self.sign))
        w = self.sign * (f - om)
        return (w, om) if full else w


class _ContinuationError(RuntimeError):
    pass


_STALE = "stale"   # Newton could not solve its linear systems with the reference LU


def _newton(system, fac, x, g, rtol, max_iter, first_max):
    """Newton iterations on F(x) = 0, sum(x) = M.

    Small systems (``system.direct``) factorise the bordered Jacobian afresh at
    every iterate (the LU is cheaper than a few GMRES iterations there and
    keeps badly scaled problems -- nearly degenerate levels -- at full
    accuracy); larger ones solve by :meth:`_Bordered.krylov` with the
    reference factorisation ``fac``.

    Returns (x, iterations, first correction, largest GMRES count, fresh
    factorisation at x or None), None if the iteration does not converge
    quickly from the prediction (step too long), or ``_STALE`` if the
    reference factorisation is too far away.
    """
    first = 0.0
    prev = np.inf
    kmax = 0
    border = fac.border
    for it in range(max_iter + 1):
        res = system.residual(x, g)
        cons = float(np.sum(x)) - system.n_pairs
        if not np.all(np.isfinite(res)):
            return None
        here = None
        if system.direct:
            here = _Bordered(system, x, g, border)
            if not here.ok:
                return None
            border = here.next_border()
            if border is None:
                return None
        if (np.max(np.abs(res)) <= system.tolerance(x, g, rtol)
                and abs(cons) <= 1e-12 * max(1, system.n_pairs)):
            return x, it, first, kmax, here
        if it == max_iter:
            return None
        if here is not None:
            dx = here.solve(res, cons)
        else:
            dx, kits = fac.krylov(x, g, res, cons, rtol=_NEWTON_RTOL)
            kmax = max(kmax, kits)
            if dx is None:
                return _STALE
        size = float(np.max(np.abs(dx)))
        if not np.isfinite(size):
            return None
        if it == 0:
            first = size
            if size > first_max:
                return None
        elif size > 0.5 * prev and size > 1e3 * rtol:
            return None  # not converging quadratically: too far from the branch
        prev = size
        x = x - dx
    return None  # pragma: no cover


def _derivatives(system, fac, x, g):
    """dx/dg and d^2x/dg^2 at a solution, from the differentiated equations.

    Differentiating F(x(g), g) = 0 once gives J t = S(x) (S the s_term), twice
    J t' = 2 S(t) - 2 t*t; both with sum(t) = sum(t') = 0. Returns (t, t', GMRES
    count) or None if the solves fail with the reference factorisation.
    """
    t, k1 = fac.krylov(x, g, system.s_term(x), 0.0, rtol=1e-10)
    if t is None:
        return None
    t2, k2 = fac.krylov(x, g, 2.0 * system.s_term(t) - 2.0 * t * t, 0.0, rtol=1e-6)
    if t2 is None:
        return None
    return t, t2, max(k1, k2)


def _quintic_step_integral(n0, n1, n2):
    """int_{g1}^{g2} f for the quintic through three nodes (g, f, f'), f = dE/dg."""
    g = np.array([n0[0], n1[0], n2[0]])
    mid, half = 0.5 * (g[1] + g[2]), 0.5 * (g[2] - g[1])
    t = (g - mid) / half                       # the step is t in [-1, 1]
    powers = np.arange(6)
    rows = [t[i] ** powers for i in range(3)]
    drows = [np.where(powers > 0, powers * t[i] ** np.maximum(powers - 1, 0), 0.0) / half
             for i in range(3)]
    mat = np.array(rows + drows)
    rhs = np.array([n0[1], n1[1], n2[1], n0[2], n1[2], n2[2]])
    coef = np.linalg.solve(mat, rhs)
    weights = np.where(powers % 2 == 0, 2.0 / (powers + 1), 0.0)   # int_{-1}^{1} t^k
    return float(half * (weights @ coef))


def _follow(system, x0, targets, *, ground, rtol=1e-13, max_steps=5000,
            h_init=0.01, max_newton=6, first_max=0.05, first_target=0.01):
    """Continue the solution x(g) from g = 0 (x0) through sorted scaled targets.

    Returns a list of (x, fresh factorisation at x, steps, Hellmann-Feynman
    record) at each target. The record holds the energy at g = 0, the
    Hellmann-Feynman integral -int_0^g <B^+B> dg' along the path (a quartic
    Hermite rule per step) and the sum of the moduli of the rule's correction
    terms (a scale for its quadrature error).
    """
    g0 = 0.0
    x_cur = x0.astype(float)
    fac = _DiagonalBordered(system, x_cur)                # exact at g = 0
    n_factor = 1
    der = _derivatives(system, fac, x_cur, 0.0)
    if der is None or not fac.ok:  # pragma: no cover - J(g = 0) is diagonal
        raise _ContinuationError("the bordered Jacobian at g = 0 is singular")
    t_cur, t2_cur, _ = der
    e0 = system.energy(x_cur, 0.0)
    e_cur = e0
    de_cur = float(system.z @ t_cur) - system.const       # dE/dg
    dde_cur = float(system.z @ t2_cur)                    # d^2E/dg^2
    hf_integral = 0.0                                      # int_0^g dE/dg'
    hf_scale = 0.0
    hf_node = None                                         # (g, dE/dg, d2E/dg2) before
    prev = None                                            # (g, x, dx/dg) before
    h = h_init
    steps = 0
    convex = 0                                             # consecutive failures
    out = []

    def refactor(x, g, single=True):
        nonlocal fac, n_factor
        nb = fac.next_border()
        nb = nb if nb is not None else fac.border
        # single precision only while the pivots leave it enough digits
        single = single and getattr(fac, "pivot_ratio", 1.0) > 1e-5
        new = _Bordered(system, x, g, nb, single=single)
        n_factor += 1
        if single and not new.ok:              # small pivots: use double precision
            new = _Bordered(system, x, g, nb)
            n_factor += 1
        if not new.ok:
            raise _ContinuationError(
                f"the bordered Jacobian is numerically singular at g = {g * system.scale:g}")
        fac = new

    for target in targets:
        while g0 < target:
            if steps >= max_steps:
                raise _ContinuationError(
                    f"continuation in g did not reach g = {target * system.scale:g} "
                    f"within max_steps = {max_steps} steps (stopped at "
                    f"g = {g0 * system.scale:g}); raise max_steps")
            steps += 1
            hstep = min(h, target - g0)
            if target - g0 - hstep < 0.1 * hstep:
                hstep = target - g0
            g1 = g0 + hstep
            # predictor: cubic Hermite extrapolation through the last two
            # accepted points (values and tangents), else the tangent
            if prev is None:
                x_pred = x_cur + hstep * t_cur + 0.5 * hstep * hstep * t2_cur
            else:
                gp, xp, tp = prev
                hp = g0 - gp
                u = 1.0 + hstep / hp
                x_pred = ((2 * u**3 - 3 * u**2 + 1) * xp + (u**3 - 2 * u**2 + u) * hp * tp
                          + (-2 * u**3 + 3 * u**2) * x_cur + (u**3 - u**2) * hp * t_cur)
            result = _newton(system, fac, x_pred, g1, rtol, max_newton, first_max)
            if result is _STALE:
                if fac.g_ref != g0:
                    refactor(x_cur, g0)          # fresh reference, same step again
                    steps -= 1
                    continue
                result = None                    # fresh reference: the step is too long
            ok = result is not None
            der = None
            if ok:
                x_new, iters, first, kmax, fresh = result
                if fresh is not None:
                    fac = fresh
                    n_factor += 1
                der = _derivatives(system, fac, x_new, g1)
                if der is None:
                    refactor(x_new, g1)
                    der = _derivatives(system, fac, x_new, g1)
                    if der is None:
                        raise _ContinuationError(
                            f"tangent solve failed at g = {g1 * system.scale:g}")
            if ok:
                t_new, t2_new, k_der = der
                kmax = max(kmax, k_der)
                e_new = system.energy(x_new, g1)
                de_new = float(system.z @ t_new) - system.const
                dde_new = float(system.z @ t2_new)
                # Hellmann-Feynman consistency over the step: the energy change
                # must equal the integral of dE/dg (Hermite rule, exact for a
                # quartic E(g)); a jump to another branch changes E by a
                # finite amount (loose backstop; the global check is in _finish)
                corr = hstep * hstep * (dde_cur - dde_new) / 12.0
                quad = 0.5 * hstep * (de_cur + de_new) + corr
                herm = e_new - e_cur - quad
                scale_e = abs(e_new - e_cur) + hstep * (abs(de_cur) + abs(de_new)) + 1e-3
                if not abs(herm) <= 0.05 * scale_e:
                    ok = False
                elif ground and de_new > de_cur + 1e-9 * (1.0 + abs(de_cur)):
                    # E(g) of the ground state is concave: a smaller step
                    # helps only if this step jumped to another branch
                    ok = False
                    convex += 1
                    if convex >= 3:
                        raise _ContinuationError(
                            f"dE/dg increases near g = {g0 * system.scale:g} although the "
                            "ground-state E(g) is concave (wrong branch or loss of accuracy)")
            if ok:
                convex = 0
                # the same integral from the quintic through the previous
                # node too (order h^6): the integral, and |difference| as the
                # error scale of the quartic rule
                if hf_node is not None:
                    q6 = _quintic_step_integral(hf_node, (g0, de_cur, dde_cur),
                                                (g1, de_new, dde_new))
                    hf_integral += q6
                    hf_scale += abs(q6 - quad)
                else:
                    hf_integral += quad
                    hf_scale += abs(corr)
                hf_node = (g0, de_cur, dde_cur)
                prev = (g0, x_cur, t_cur)
                g0, x_cur, t_cur, t2_cur = g1, x_new, t_new, t2_new
                e_cur, de_cur, dde_cur = e_new, de_new, dde_new
                if kmax > _KRYLOV_REFACTOR:
                    refactor(x_cur, g0)
                # step control: aim at a first Newton correction ~ first_target
                grow = 0.9 * (first_target / max(first, 1e-300)) ** (1.0 / 3.0)
                grow = min(2.0, max(0.5, grow))
                if iters >= 4:
                    grow = min(grow, 0.7)
                h = grow * hstep if hstep >= h else max(h, grow * hstep)
            else:
                h = 0.25 * hstep
                if h < 1e-12 * max(1.0, g0):
                    raise _ContinuationError(
                        f"continuation step in g collapsed near g = {g0 * system.scale:g} "
                        "(Newton could not follow the branch)")
        if fac.g_ref != g0 or fac.single:
            refactor(x_cur, g0, single=False)      # double precision for the polish
        record = dict(e0=e0, hf_integral=hf_integral, hf_scale=hf_scale,
                      factorizations=n_factor)
        out.append((x_cur, fac, steps, record))
    return out


def _trivial_solution(eps, g, n_pairs, occupied):
    """Closed forms for M = 0, M = L or g = 0."""
    n = eps.size
    x = np.zeros(n)
    x[list(occupied)] = 1.0
    z = 2.0 * eps
    # full shell: only the diagonal of the pairing term acts, <B^+ B> = L;
    # empty: E = 0; g = 0: the filled levels, and -dE/dg = M at g = 0+
    energy = float(z[list(occupied)].sum()) - g * n_pairs
    corr = float(n_pairs)
    return RichardsonSolution(eps=eps.copy(), g=g, n_pairs=n_pairs, occupied=tuple(occupied),
                              energy=energy, lambdas=x, occupations=x.copy(),
                              pair_correlation=corr, residual=0.0, energy_error=0.0,
                              n_steps=0, hf_energy=energy, hf_tolerance=0.0,
                              pair_energy_check=0.0)


def _solve(eps, g_values, occupied, *, ground, max_steps):
    """Solutions at every coupling in g_values (1D array, any order)."""
    n = eps.size
    n_pairs = len(occupied)
    g_values = np.asarray(g_values, dtype=float)
    sols = [None] * g_values.size
    if n_pairs == 0 or n_pairs == n:
        return [_trivial_solution(eps, float(gv), n_pairs, occupied) for gv in g_values]
    system = _EBVSystem(2.0 * eps, n_pairs)
    x0 = np.zeros(n)
    x0[list(occupied)] = 1.0
    positive = sorted({float(gv) for gv in g_values if gv > 0})
    results = {}
    if positive:
        targets = [gv / system.scale for gv in positive]
        try:
            followed = _follow(system, x0, targets, ground=ground, max_steps=max_steps)
        except _ContinuationError as exc:
            raise RuntimeError(
                f"Richardson solver failed for L = {n} levels, n_pairs = {n_pairs}, "
                f"g = {max(positive):g}: {exc}. " + _advice(eps, max(positive))) from None
        for gv, (x, fac, steps, record) in zip(positive, followed):
            results[gv] = _finish(system, eps, gv, n_pairs, occupied, x, fac, steps, ground,
                                  record)
    for k, gv in enumerate(g_values):
        gv = float(gv)
        sols[k] = results[gv] if gv > 0 else _trivial_solution(eps, 0.0, n_pairs, occupied)
    return sols


def _refined_solve(fac, apply_ld, rhs, rhs_last, max_iter=6):
    """Solve K v = [rhs; rhs_last] (or its transpose) by iterative refinement.

    ``fac`` applies the double-precision LU (``fac.solve`` or
    ``fac.solve_transposed`` passed as ``fac``), ``apply_ld`` the exact
    operator in extended precision, so the solution is accurate to about
    cond(K) times the extended-precision rounding.
    """
    sol, mult = fac(rhs.astype(float), float(rhs_last), full=True)
    sol, mult = sol.astype(_XF), _XF(mult)
    last = np.inf
    for _ in range(max_iter):
        r_main, r_last = apply_ld(sol, mult)
        dv, dm = fac(np.asarray(rhs - r_main, dtype=float), float(rhs_last - r_last),
                     full=True)
        size = float(np.max(np.abs(dv)))
        sol += dv
        mult += dm
        if size <= 8 * _EPS_XF * max(1.0, float(np.max(np.abs(sol)))) or size >= 0.5 * last:
            break
        last = size
    return sol


def _polish(system, x, fac, g):
    """Refine x in extended precision; energy, Hellmann-Feynman data, error bound.

    Newton's corrections use the double-precision LU of the bordered
    Jacobian, the residuals are evaluated in extended precision
    (iterative refinement). Returns a dict with the scaled energy, the
    occupations dE/dz, the pair correlation -dE/dg, the residual and a
    first-order bound on the energy error (scaled units).
    """
    ext = system.extended()
    zl, rl = ext.z, ext.r
    gl = _XF(g)
    m = system.n_pairs
    xl = x.astype(_XF)
    last = np.inf
    for _ in range(8):
        res = xl * xl - xl - gl * ext.c_diff(xl)[0]
        cons = np.sum(xl) - _XF(m)
        dx = fac.solve(res.astype(float), float(cons))
        size = float(np.max(np.abs(dx)))
        if not np.isfinite(size):
            break
        xl = xl - dx.astype(_XF)
        if size <= 8 * _EPS_XF * max(1.0, float(np.max(np.abs(xl)))) or size >= 0.5 * last:
            break
        last = size
    s_l, s_abs = ext.c_diff(xl)
    res = xl * xl - xl - gl * s_l
    noise = _EPS_XF * (xl * xl + np.abs(xl) + gl * s_abs)
    diag = 2 * xl - 1 - gl * rl
    border = fac.border.astype(_XF)

    def apply_k(v, mu):
        return diag * v + gl * ext.c(v) + border * mu, np.sum(v)

    def apply_kt(w, om):                      # C is antisymmetric
        return diag * w - gl * ext.c(w) + om, border @ w

    # adjoint y = K^{-T} [z; 0] (energy sensitivity) and tangent t = dx/dg
    y = _refined_solve(fac.solve_transposed, apply_kt, zl, _XF(0))
    t = _refined_solve(fac.solve, apply_k, s_l, _XF(0))
    pair_corr = _XF(system.const) - zl @ t
    # occupations dE/dz_i = x_i - g sum_k M_ik (y_i + y_k), M_ik = (x_i - x_k) C_ik^2
    m_y, m_one = ext.m_products(xl, y)
    occ = xl - gl * (m_y + y * m_one)
    # the energy responds to a residual r as y . r; the residual cannot be
    # smaller than the rounding of its terms: bound (safety factor 10)
    err = 10.0 * (float(np.abs(y) @ noise) + float(_EPS_XF * (np.abs(zl) @ np.abs(xl))))
    energy_xf = zl @ xl - gl * system.const
    return dict(x=xl, energy=float(energy_xf), energy_xf=energy_xf,
                occupations=occ.astype(float), pair_correlation=float(pair_corr),
                residual=float(np.max(np.abs(res))), noise=float(np.max(noise)), error=err,
                tangent=t, adjoint=y)


def _scaled_richardson_residuals(z, g, energies):
    """max_k |g R_k| of Richardson's equations in scaled units (g R_k is O(1))."""
    e = np.asarray(energies, dtype=complex)
    res = 1.0 - g * np.sum(1.0 / (z[None, :] - e[:, None]), axis=1)
    diff = e[None, :] - e[:, None]
    np.fill_diagonal(diff, np.inf)
    res = res + g * np.sum(2.0 / diff, axis=1)
    return float(np.max(np.abs(res))) if e.size else 0.0


def _advice(eps, g):
    """What to change when the solver refuses: the closest levels, the measured reach."""
    srt = np.sort(eps)
    gaps = np.diff(srt)
    mean = (srt[-1] - srt[0]) / max(eps.size - 1, 1)
    k = int(np.argmin(gaps))
    ratio = g / gaps[k]
    if ratio > 20.0 and gaps[k] < 0.05 * mean:
        return (f"The closest levels, eps = {srt[k]:.10g} and {srt[k + 1]:.10g}, are "
                f"{gaps[k]:.3g} apart, g / spacing = {ratio:.3g}: nearly degenerate levels at "
                "strong coupling make the eigenvalue-based equations ill-conditioned. Move "
                "them apart (or merge them into one level of the problem), or lower g "
                "(random levels with GOE statistics work up to 400 levels at g = 2 d).")
    return (f"Tested reach of this solver: 2000 equally spaced levels (and 400 GOE levels) "
            f"at g <= 2 d; here L = {eps.size}, g / (mean spacing) = {g / mean:.3g}. Use "
            "fewer levels or a smaller g, or raise max_steps if the step limit was hit.")


def _finish(system, eps, g, n_pairs, occupied, x, fac, steps, ground, record):
    gs = g / system.scale
    pol = _polish(system, x, fac, gs)
    occ, corr, err = pol["occupations"], pol["pair_correlation"], pol["error"]
    xl = pol["x"]
    e_fermi = float(np.sort(system.z)[:n_pairs].sum()) - gs * n_pairs
    problems = []
    if not (np.all(np.isfinite(xl)) and pol["residual"] <= 1e3 * pol["noise"] + 1e-13):
        problems.append(f"residual {pol['residual']:.3g} above rounding level {pol['noise']:.3g}")
    if abs(float(np.sum(xl)) - n_pairs) > 1e-9 * n_pairs:
        problems.append(f"sum of x = {float(np.sum(xl)):.12g} != n_pairs")
    if not err <= 1e-9 * max(1.0, abs(pol["energy"] - e_fermi)):
        problems.append(
            f"ill-conditioned: estimated energy error {err * system.scale:.3g} (strong "
            "coupling on many, or nearly degenerate, levels is beyond this method)")
    otol = 1e-8 + 100.0 * err
    if not (np.all(np.isfinite(occ)) and occ.min() > -otol and occ.max() < 1 + otol):
        problems.append(f"occupations outside [0, 1] (min {occ.min():.3g}, max {occ.max():.3g})")
    if abs(float(occ.sum()) - n_pairs) > 1e-8 * n_pairs + otol:
        problems.append(f"sum of occupations {occ.sum():.12g} != n_pairs")
    # second route 1: the Hellmann-Feynman integral along the path
    hf_scaled = record["e0"] + record["hf_integral"]
    hf_tol = 10.0 * record["hf_scale"] + 1e-9 * max(1.0, abs(pol["energy"] - e_fermi))
    if not abs(hf_scaled - pol["energy"]) <= hf_tol:
        problems.append(
            f"energy {pol['energy'] * system.scale:.12g} (relative to the reference) differs "
            f"from the Hellmann-Feynman integral {hf_scaled * system.scale:.12g} along the "
            f"path by more than its tolerance {hf_tol * system.scale:.3g} (a jump to another "
            "branch)")
    # second route 2: the pair energies, where they can be recovered accurately
    pe_check = None
    if n_pairs <= _PAIR_CHECK_MAX:
        try:
            with np.errstate(all="ignore"):
                pe = _pair_energies_from_lambdas(system.z, gs, xl.astype(float), n_pairs)
                bethe = _scaled_richardson_residuals(system.z, gs, pe)
        except (np.linalg.LinAlgError, ValueError):
            bethe = np.inf           # the root finding broke down: no check here
        if np.isfinite(bethe) and bethe <= 1e-8:
            pe_check = abs(float(pe.sum().real) - pol["energy"])
            if not pe_check <= 1e-8 * max(1.0, abs(pol["energy"] - e_fermi)):
                problems.append(
                    f"the pair energies solve Richardson's equations but their sum differs "
                    f"from the energy by {pe_check * system.scale:.3g}")
            pe_check *= system.scale
    if ground:
        # ground state: <B^+ B> grows from M at g = 0 (E concave in g), and the
        # occupations decrease with the level energy (E is concave and even in
        # the splitting of any two levels)
        if not (np.isfinite(corr) and corr >= n_pairs - 1e-9 * n_pairs - otol):
            problems.append(f"pair correlation {corr:.6g} < n_pairs")
        order = np.argsort(eps, kind="stable")
        rise = float(np.max(np.diff(occ[order]), initial=0.0))
        if rise > otol:
            problems.append(f"occupations not decreasing with eps (rise {rise:.3g})")
    if problems:
        raise RuntimeError(
            f"Richardson solver: solution for L = {eps.size}, n_pairs = {n_pairs}, g = {g:g} "
            "failed verification: " + "; ".join(problems) + ". " + _advice(eps, g))
    # levels on a grid: the polish solved the grid problem (levels moved by
    # rounding-size offsets); first-order correction with the occupations
    offset = system.extended().offset
    energy = float(_XF(system.scale) * pol["energy_xf"] + _XF(system.ref) * n_pairs
                   + _XF(float(occ @ offset)))
    err = err + 1e-6 * float(np.abs(offset).sum()) / system.scale
    return RichardsonSolution(eps=eps.copy(), g=float(g), n_pairs=n_pairs,
                              occupied=tuple(int(i) for i in occupied), energy=energy,
                              lambdas=xl.astype(float), occupations=np.clip(occ, 0.0, 1.0),
                              pair_correlation=corr, residual=pol["residual"],
                              energy_error=float(err * system.scale), n_steps=int(steps),
                              hf_energy=float(system.scale * hf_scaled + system.ref * n_pairs
                                              + float(occ @ offset)),
                              hf_tolerance=float(hf_tol * system.scale),
                              pair_energy_check=pe_check)


def _lowest(eps, n_pairs):
    return tuple(int(i) for i in np.sort(np.argsort(eps, kind="stable")[:n_pairs]))


def ground_state(eps, g, n_pairs, *, max_steps: int = 5000) -> RichardsonSolution:
    r"""Exact ground state of the pairing Hamiltonian from Richardson's equations.

    Solves the eigenvalue-based form of Richardson's equations (see the module
    docstring) by continuation in :math:`g` from the filled lowest ``n_pairs``
    levels at :math:`g = 0`, and verifies the result.

    Parameters
    ----------
    eps : array_like, shape (L,)
        Real, distinct level energies :math:`\varepsilon_j` (any order).
    g : float
        Pairing coupling :math:`g \ge 0`.
    n_pairs : int
        Number of pairs :math:`M`, ``0 <= n_pairs <= len(eps)``.
    max_steps : int, optional
        Limit on the number of continuation steps.

    Returns
    -------
    RichardsonSolution
        Energy, eigenvalue-based variables, occupations and pair correlation.

    Raises
    ------
    ValueError
        Bad ``eps`` (not 1D, NaN, degenerate), ``g < 0`` or NaN, or ``n_pairs``
        outside ``[0, len(eps)]``.
    RuntimeError
        If the continuation fails or the solution fails verification.

    References
    ----------
    Richardson (1963, 1966); eigenvalue-based variables: Babelon and Talalaev
    (2007), Faribault et al. (2011), El Araby, Gritsev and Faribault (2012),
    Claeys et al. (2015). Chapter 2 of the book.
    """
    eps = _check_eps(eps)
    gval = _check_g_scalar(g)
    m = _check_n_pairs(n_pairs, eps.size)
    return _solve(eps, np.array([gval]), _lowest(eps, m), ground=True, max_steps=max_steps)[0]


def eigenstate(eps, g, occupied, *, max_steps: int = 5000) -> RichardsonSolution:
    r"""Exact eigenstate connected to a given filling of the levels at :math:`g = 0`.

    Every eigenstate of :math:`H` with :math:`M` pairs is adiabatically
    connected to a state with :math:`M` filled levels at :math:`g = 0`
    (Richardson's labelling of the states). This follows that branch by the
    same continuation as :func:`ground_state` (without the concavity check,
    which holds for the ground state only).

    Parameters
    ----------
    eps : array_like, shape (L,)
        Real, distinct level energies.
    g : float
        Pairing coupling :math:`g \ge 0`.
    occupied : sequence of int
        Indices (into ``eps``) of the levels filled at :math:`g = 0`; their
        number is the number of pairs.
    max_steps : int, optional
        Limit on the number of continuation steps.

    Returns
    -------
    RichardsonSolution

    Raises
    ------
    ValueError
        Bad input (see :func:`ground_state`; indices out of range or repeated).
    RuntimeError
        If the continuation fails or the solution fails verification.

    References
    ----------
    Richardson (1966); Claeys et al. (2015). Chapter 2 of the book.
    """
    eps = _check_eps(eps)
    gval = _check_g_scalar(g)
    occ = _check_occupied(occupied, eps.size)
    return _solve(eps, np.array([gval]), tuple(int(i) for i in occ), ground=False,
                  max_steps=max_steps)[0]


def ground_state_energy(eps, g, n_pairs):
    r"""Exact ground-state energy of :math:`M` pairs on levels :math:`\varepsilon_j`.

    .. math::

        H = \sum_j 2\varepsilon_j b_j^\dagger b_j - g\sum_{i,j} b_i^\dagger b_j .

    Parameters
    ----------
    eps : array_like, shape (L,)
        Real, distinct level energies (any order, any spacing).
    g : float or array_like
        Coupling(s) :math:`g \ge 0`. An array is swept by one continuation
        (cheaper than separate calls) and gives an array of the same shape.
    n_pairs : int
        Number of pairs, ``0 <= n_pairs <= len(eps)``.

    Returns
    -------
    float or numpy.ndarray
        Ground-state energy (caller's unit). For ``g = 0`` it is the sum of the
        lowest ``n_pairs`` values of :math:`2\varepsilon_j`; for
        ``n_pairs = len(eps)`` it is :math:`\sum_j 2\varepsilon_j - gL`.

    Raises
    ------
    ValueError
        Bad ``eps``, ``g`` or ``n_pairs`` (message names the parameter).
    RuntimeError
        If the solver cannot verify its solution.

    References
    ----------
    Richardson (1963); Richardson and Sherman (1964). Chapter 2 (exact
    energies of the spin sectors) and chapter 4 (parity gap).

    Examples
    --------
    One pair on two levels: :math:`E = \varepsilon_1 + \varepsilon_2 - g -
    \sqrt{(\varepsilon_2 - \varepsilon_1)^2 + g^2}`.

    >>> round(ground_state_energy([0.0, 1.0], 0.5, 1), 12)
    -0.61803398875
    """
    eps = _check_eps(eps)
    garr = _check_g_scalar(g) if np.ndim(g) == 0 else _check_g_array(g)
    m = _check_n_pairs(n_pairs, eps.size)
    flat = np.atleast_1d(np.asarray(garr, dtype=float)).ravel()
    sols = _solve(eps, flat, _lowest(eps, m), ground=True, max_steps=5000)
    energies = np.array([s.energy for s in sols])
    if np.ndim(g) == 0:
        return float(energies[0])
    return energies.reshape(np.shape(garr))


def condensation_energy(eps, g, n_pairs):
    r"""Ground-state energy measured from the filled Fermi sea, :math:`E_G - \langle F|H|F\rangle`.

    :math:`|F\rangle` fills the lowest ``n_pairs`` levels, so
    :math:`\langle F|H|F\rangle = \sum_{j \in F} 2\varepsilon_j - g M`. This is
    the exact counterpart of the variational condensation energies of seed
    000 (chapter 2), and it is :math:`\le 0`.

    Parameters
    ----------
    eps, g, n_pairs
        As in :func:`ground_state_energy` (``g`` may be an array).

    Returns
    -------
    float or numpy.ndarray

    Raises
    ------
    ValueError, RuntimeError
        As in :func:`ground_state_energy`.

    References
    ----------
    Braun and von Delft (1998); seed 000. Chapter 2.
    """
    energy = ground_state_energy(eps, g, n_pairs)
    eps_arr = np.asarray(eps, dtype=float)
    m = int(n_pairs)
    fermi = 2.0 * float(np.sort(eps_arr)[:m].sum()) - np.asarray(g, dtype=float) * m
    out = energy - fermi
    return float(out) if np.ndim(out) == 0 else out


def _pair_energies_from_lambdas(z, g, x, n_pairs):
    """Roots E_k of P(z) = prod_k (z - E_k) from x_i = g P'(z_i) / P(z_i).

    P is written on N support levels S as P(z) = w(z) (1 + sum_a c_a/(z - z_a)),
    w(z) = prod_{a in S} (z - z_a). The conditions P'(z_b) = Lambda_b P(z_b),
    b in S, are the linear system
    (x_b - g sum_{a != b} 1/(z_b - z_a)) c_b - g sum_{a != b} c_a/(z_b - z_a) = g,
    and the roots of P are the eigenvalues of diag(z_S) - 1 c^T.
    """
    if n_pairs == 0:
        return np.zeros(0, dtype=complex)
    support = np.sort(np.argsort(-x, kind="stable")[:n_pairs])
    zs = z[support]
    xs = x[support]
    if g == 0.0:
        return np.sort(zs).astype(complex)
    diff = zs[:, None] - zs[None, :]
    np.fill_diagonal(diff, 1.0)
    inv = 1.0 / diff
    np.fill_diagonal(inv, 0.0)
    mat = -g * inv
    mat[np.diag_indices(n_pairs)] = xs - g * inv.sum(axis=1)
    c = np.linalg.solve(mat, np.full(n_pairs, g))
    roots = np.linalg.eigvals(np.diag(zs) - np.outer(np.ones(n_pairs), c))
    roots = _newton_pair_energies(z, g, roots)
    return roots[np.lexsort((roots.imag, roots.real))]


def _newton_pair_energies(z, g, energies, max_iter=6):
    """Polish pair energies by Newton's method on Richardson's equations.

    The eigenvalues of the matrix above are accurate where the support
    polynomial is well conditioned; at strong coupling (complex pair
    energies far from every z_i) that matrix is strongly non-normal and its
    eigenvalues can be off by 1e-6 while Richardson's equations themselves
    are well conditioned there (Jacobian condition number of order 10 for
    10 random levels at g = 1). A few Newton steps on
    g R_k(E) = 0 (the scaled residuals) then recover full accuracy. A step is
    kept only if it lowers the residual, so near the singular points (two
    pair energies meeting at some z_i, where the Jacobian blows up) the
    eigenvalue estimate is returned unchanged.
    """
    e = np.asarray(energies, dtype=complex).copy()
    m = e.size
    if m == 0 or g == 0.0:
        return e
    best = _scaled_richardson_residuals(z, g, e)
    for _ in range(max_iter):
        if not np.isfinite(best) or best == 0.0:
            break
        with np.errstate(all="ignore"):
            diff = e[None, :] - e[:, None]                 # E_l - E_k
            np.fill_diagonal(diff, 1.0)
            inv = 1.0 / diff
            np.fill_diagonal(inv, 0.0)
            lev = 1.0 / (z[None, :] - e[:, None])
            res = 1.0 - g * lev.sum(axis=1) + 2.0 * g * inv.sum(axis=1)
            jac = -2.0 * g * inv ** 2                      # d res_k / d E_l, l != k
            np.fill_diagonal(jac, -g * np.sum(lev ** 2, axis=1)
                             + 2.0 * g * np.sum(inv ** 2, axis=1))
            try:
                step = np.linalg.solve(jac, res)
            except np.linalg.LinAlgError:
                break
            trial = e - step
            new = _scaled_richardson_residuals(z, g, trial)
        if not (np.isfinite(new) and new < best):
            break
        e, best = trial, new
    # the equations have real coefficients: the set of solutions is closed
    # under conjugation; restore that symmetry exactly (rounding breaks it)
    partner = np.argmin(np.abs(e[:, None] - e.conj()[None, :]), axis=1)
    if np.array_equal(partner[partner], np.arange(m)):
        e = 0.5 * (e + e[partner].conj())
    return e


def pair_energies(eps, g, n_pairs):
    r"""Richardson pair energies :math:`E_k` of the ground state.

    Recovered from the eigenvalue-based variables as the roots of
    :math:`P(z) = \prod_k (z - E_k)`, which satisfies :math:`g P'(z_i) = x_i
    P(z_i)` at every :math:`z_i = 2\varepsilon_i`: written on ``n_pairs``
    support levels this is a linear system whose solution defines an
    ``n_pairs`` x ``n_pairs`` matrix with eigenvalues :math:`E_k`. Pair
    energies may be real or come in complex-conjugate pairs; their sum is the
    energy. Root finding is ill-conditioned for many pairs: use this for
    illustration (tens of pairs), and :func:`ground_state_energy` for
    energies.

    Parameters
    ----------
    eps, g, n_pairs
        As in :func:`ground_state` (scalar ``g``).

    Returns
    -------
    numpy.ndarray of complex
        Shape ``(n_pairs,)``, sorted by real then imaginary part.

    Raises
    ------
    ValueError, RuntimeError
        As in :func:`ground_state`.

    References
    ----------
    Richardson (1966); El Araby, Gritsev and Faribault (2012). Chapter 2.
    """
    sol = ground_state(eps, g, n_pairs)
    return _pair_energies_from_lambdas(2.0 * sol.eps, sol.g, sol.lambdas, sol.n_pairs)


def richardson_residuals(eps, g, energies):
    r"""Left-hand sides of Richardson's equations for trial pair energies.

    .. math::

        R_k = \frac{1}{g} - \sum_j \frac{1}{2\varepsilon_j - E_k}
              + \sum_{l \ne k}\frac{2}{E_l - E_k}.

    Parameters
    ----------
    eps : array_like, shape (L,)
        Level energies.
    g : float
        Coupling, > 0.
    energies : array_like, shape (M,)
        Trial pair energies (complex allowed).

    Returns
    -------
    numpy.ndarray of complex
        :math:`R_k`; all zero for an exact eigenstate (infinite where a pair
        energy equals some :math:`2\varepsilon_j` or two coincide: the
        singular points).

    Raises
    ------
    ValueError
        If ``g <= 0`` or ``eps`` is bad.

    References
    ----------
    Richardson (1963); Richardson and Sherman (1964).
    """
    eps = _check_eps(eps)
    gval = _check_g_scalar(g)
    if gval == 0.0:
        raise ValueError("g must be > 0 for Richardson's equations, got 0")
    e = np.asarray(energies, dtype=complex).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        res = 1.0 / gval - np.sum(1.0 / (2.0 * eps[None, :] - e[:, None]), axis=1)
        diff = e[None, :] - e[:, None]          # E_l - E_k
        np.fill_diagonal(diff, np.inf)
        res = res + np.sum(2.0 / diff, axis=1)
    return res


# ----------------------------------------------------------------------------
# brute-force diagonalisation (validation)
# ----------------------------------------------------------------------------

def _ed_operators(eps, n_pairs):
    """Basis, diagonal energies and pair-annihilation matrix B = sum_j b_j."""
    n = eps.size
    dim = math.comb(n, n_pairs)
    if dim > MAX_ED_DIMENSION:
        raise ValueError(
            f"exact diagonalisation needs C({n}, {n_pairs}) = {dim} states; "
            f"the allowed maximum is {MAX_ED_DIMENSION}")
    if dim * n_pairs > _MAX_ED_NONZEROS:
        raise ValueError(
            f"exact diagonalisation of {n_pairs} pairs on {n} levels is too large "
            f"({dim * n_pairs} matrix elements > {_MAX_ED_NONZEROS})")
    basis = list(itertools.combinations(range(n), n_pairs))
    occ = np.zeros((dim, n))
    for k, state in enumerate(basis):
        occ[k, list(state)] = 1.0
    diag = occ @ (2.0 * eps)
    if n_pairs == 0:
        bmat = sp.csr_matrix((0, dim))
    else:
        lower = {s: k for k, s in enumerate(itertools.combinations(range(n), n_pairs - 1))}
        rows, cols = [], []
        for k, state in enumerate(basis):
            for pos in range(n_pairs):
                rows.append(lower[state[:pos] + state[pos + 1:]])
                cols.append(k)
        bmat = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(lower), dim))
    return occ, diag, bmat


def _ed_hamiltonian(eps, g, n_pairs):
    occ, diag, bmat = _ed_operators(eps, n_pairs)
    ham = sp.diags(diag) - g * (bmat.T @ bmat)
    return occ, bmat, sp.csr_matrix(ham)


def _ed_lowest(ham, n_states):
    dim = ham.shape[0]
    if dim <= _DENSE_ED_DIMENSION or n_states >= dim - 1:
        vals, vecs = sla.eigh(ham.toarray(), subset_by_index=[0, n_states - 1])
        return vals, vecs
    vals, vecs = spla.eigsh(ham, k=n_states, which="SA", tol=1e-14, maxiter=100 * dim)
    order = np.argsort(vals)
    return vals[order], vecs[:, order]


def exact_diagonalization(eps, g, n_pairs) -> float:
    r"""Ground-state energy by brute-force diagonalisation (for validation).

    Builds :math:`H` in the basis of the :math:`\binom{L}{M}` configurations
    of ``n_pairs`` hard-core bosons on ``len(eps)`` levels, as
    :math:`H = D - g B^\dagger B` with :math:`D` the diagonal kinetic energy
    and :math:`B = \sum_j b_j` the pair-annihilation operator (a sparse
    matrix into the :math:`M - 1` pair sector), and finds its lowest
    eigenvalue (dense ``eigh`` for small, Lanczos ``eigsh`` for larger
    dimensions).

    Parameters
    ----------
    eps : array_like, shape (L,)
        Real, distinct level energies.
    g : float
        Coupling :math:`g \ge 0`.
    n_pairs : int
        ``0 <= n_pairs <= len(eps)``.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        Bad input, or more than :data:`MAX_ED_DIMENSION` basis states.

    References
    ----------
    Braun and von Delft (1998); Dukelsky and Sierra (1999) compare it with
    Richardson's solution. Chapter 2.
    """
    return exact_ground_state(eps, g, n_pairs).energy


def exact_ground_state(eps, g, n_pairs) -> ExactGroundState:
    r"""Ground state by brute-force diagonalisation, with its observables.

    Parameters
    ----------
    eps, g, n_pairs
        As in :func:`exact_diagonalization`.

    Returns
    -------
    ExactGroundState
        Energy, pair occupations :math:`\langle b_j^\dagger b_j\rangle` and
        pair correlation :math:`\langle B^\dagger B\rangle = \|B\psi\|^2`.

    Raises
    ------
    ValueError
        As in :func:`exact_diagonalization`.
    """
    eps = _check_eps(eps)
    gval = _check_g_scalar(g)
    m = _check_n_pairs(n_pairs, eps.size)
    occ, bmat, ham = _ed_hamiltonian(eps, gval, m)
    vals, vecs = _ed_lowest(ham, 1)
    psi = vecs[:, 0]
    prob = psi * psi
    prob = prob / prob.sum()
    bpsi = bmat @ psi
    corr = float(bpsi @ bpsi) / float(psi @ psi)
    return ExactGroundState(energy=float(vals[0]), occupations=prob @ occ,
                            pair_correlation=corr, dimension=ham.shape[0])


def exact_spectrum(eps, g, n_pairs, n_states=None) -> np.ndarray:
    r"""Lowest eigenvalues of :math:`H` with ``n_pairs`` pairs, by dense diagonalisation.

    Parameters
    ----------
    eps, g, n_pairs
        As in :func:`exact_diagonalization`.
    n_states : int, optional
        How many of the lowest eigenvalues to return (default: all).

    Returns
    -------
    numpy.ndarray
        Increasing eigenvalues.

    Raises
    ------
    ValueError
        Bad input, or a dimension above 3000 (dense diagonalisation).
    """
    eps = _check_eps(eps)
    gval = _check_g_scalar(g)
    m = _check_n_pairs(n_pairs, eps.size)
    dim = math.comb(eps.size, m)
    if dim > 3000:
        raise ValueError(
            f"exact_spectrum diagonalises densely: C({eps.size}, {m}) = {dim} states "
            "exceeds the allowed maximum 3000")
    if n_states is None:
        n_states = dim
    if isinstance(n_states, bool) or not isinstance(n_states, numbers.Integral) \
            or not 1 <= n_states <= dim:
        raise ValueError(f"n_states must be an integer in [1, {dim}], got {n_states!r}")
    _, _, ham = _ed_hamiltonian(eps, gval, m)
    return sla.eigvalsh(ham.toarray(), subset_by_index=[0, int(n_states) - 1])
