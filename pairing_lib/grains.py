r"""Variational BCS for an ultrasmall grain in a Zeeman field (chapter 2).

The model (seed 000, Braun *et al.* 1997, eq. 1) is the reduced BCS
Hamiltonian on equally spaced, spin-degenerate levels with a Zeeman term,

.. math::

    H = \sum_{j\sigma} (\varepsilon_j + \sigma h)\, c_{j\sigma}^\dagger c_{j\sigma}
        \;-\; G \sum_{j,j'} c_{j+}^\dagger c_{j-}^\dagger c_{j'-} c_{j'+},
    \qquad \varepsilon_j = \bigl(j + \tfrac{1-p}{2}\bigr) d ,

with :math:`\sigma = \pm 1` the spin projection on the field axis (the
book's convention, as in eq. 1 of the paper): the favoured electrons have
:math:`\sigma = -1`, their magnetic moment along the field. The "spin"
:math:`s` of a state is counted along its moment, so that its Zeeman energy
is :math:`-2hs` (eq. 3 of the paper) and its moment along the field is
:math:`m = 2s` Bohr magnetons. The double sum includes
:math:`j = j'`. Only the levels within the cut-off :math:`|\varepsilon_j|
\le \omega_D` take part; the dimensionless coupling :math:`\lambda` and the
cut-off define the bulk gap through :math:`\lambda^{-1} = \ln(2\omega_D /
\Delta_0)`, so that in units of :math:`\Delta_0` the window holds
about :math:`2\omega_D/d = e^{1/\lambda}/d` levels. Level labels :math:`j`
follow the paper: :math:`j = 0` is the first level that is not doubly
occupied in the grain's ground state at :math:`h = 0`; the chemical potential
sits midway between :math:`j=-1` and :math:`j=0` for an even grain
(:math:`p=0`) and on :math:`j = 0` for an odd one (:math:`p = 1`), and the
window is symmetric about it (the band is half filled).

Spin sectors
------------
The "spin" :math:`s` of a state is :math:`\sum s_z` (integer for even, half
integer for odd grains). The reduced interaction only moves pairs, so every
singly occupied ("blocked") level keeps its electron: a spin-:math:`s`
ground state has :math:`2|s|` favoured (:math:`\sigma = -1`) electrons on the levels closest to the
Fermi level, :math:`j = -J,\dots,J+p-1` with :math:`J = |s| - p/2`, and the
other levels form a pairing problem. The generalised BCS ansatz (eq. 2 of the
paper) pair-correlates those other levels. Its energy, derived in chapter 2
(:func:`trial_energy`), is

.. math::

    \langle s|H|s\rangle = -2hs + \sum_{j\in B}\varepsilon_j
    + {\sum_j}' 2\varepsilon_j v_j^2
    - G\Bigl({\sum_j}' u_j v_j\Bigr)^2
    - G\,{\sum_j}' v_j^4 .

The :math:`v^4` term carries a **minus** sign (it is the :math:`j=j'` part of
the interaction, whose expectation value is :math:`v_j^2` and not
:math:`v_j^2 u_j^2`); eq. 3 of the paper prints a plus. Minimising at fixed
:math:`\langle N\rangle` gives :math:`v_j^2 = \frac12(1 - \bar\varepsilon_j
/ \sqrt{\bar\varepsilon_j^2 + \Delta_s^2})` with the gap equation
:math:`1 = G {\sum}'_j 1/(2\sqrt{\bar\varepsilon_j^2+\Delta_s^2})`
and the Hartree-shifted levels :math:`\bar\varepsilon_j = \varepsilon_j -
G v_j^2 - \delta\mu`. The particle-number Lagrange multiplier
:math:`\delta\mu = -G/2` keeps the occupations particle-hole
symmetric, so that :math:`\bar\varepsilon_j = \varepsilon_j +
G(\tfrac12 - v_j^2)` (``self_consistent=True``, the default). The
paper's simplification :math:`\bar\varepsilon_j = \varepsilon_j` is
``self_consistent=False``.

Energies are returned relative to the even Fermi sea :math:`|F\rangle`
(all levels :math:`j<0` doubly occupied, the rest empty), as in Fig. 1b of
the paper. With the correct sign of the :math:`v^4` term the uncorrelated
state :math:`|s\rangle_0` has

.. math::

    {}_0\langle s|H|s\rangle_0 - \langle F|H|F\rangle
    = (s^2 - p/4)\,d + G\,(|s| - p/2) - 2hs

(:func:`normal_energy`); the paper's :math:`(s^2-p/4)d` leaves out the
self-energy :math:`G` of each broken pair.

Units
-----
Energies, the level spacing ``d``, the Zeeman energy ``h`` (:math:`h =
\mu_B B`) and the cut-off are in units of the bulk gap :math:`\Delta_0`.
``coupling`` is the dimensionless :math:`\lambda = G/d` (the paper writes
the pairing strength :math:`G` as :math:`\lambda d`); the default :data:`DEFAULT_COUPLING` =
0.224 (the value of von Delft and Braun) implies :math:`\omega_D =
e^{1/\lambda}/2 \approx 43.4\,\Delta_0`, i.e. about :math:`87/d`
levels in the window. ``parity`` is :math:`p = 0` (even) or 1 (odd).

Contents
--------
* spin sectors: :func:`pairing_parameter` (Fig. 1a), :func:`critical_spacing`,
  :func:`variational_energy` (Fig. 1b), :func:`normal_energy`,
  :func:`exact_energy` (Richardson), :func:`correlation_energy`,
  :func:`sector_energies`, :func:`ground_state_spin`;
* critical fields: :func:`critical_field` (eq. 4), :func:`first_transition`
  (Fig. 2, envelope and :math:`\bar s`), :func:`e_to_o_jump` (lower curve
  of Fig. 2), :func:`regime`; beyond the paper: :func:`exact_first_transition`
  (exact :math:`\bar h` and :math:`\bar s`) and
  :func:`uncorrelated_critical_field` (the rigorous floor of every exact
  critical field);
* tunnelling spectra (Fig. 3): :func:`configuration_energy`,
  :func:`tunnelling_lines`, :func:`lowest_line`;
* building blocks: :func:`cutoff`, :func:`levels`, :func:`central_block`,
  :func:`fermi_sea_energy`, :func:`trial_energy` (eq. 3, corrected),
  :func:`solve_bcs`; ``v4_term=`` reproduces the printed eq. 3 for comparison;
* eq. 5 (non-time-reversed pairing): :func:`non_time_reversed_energy`;
* beyond the paper, random-matrix (GOE) grain spectra: :func:`random_levels`,
  :func:`random_correlation_energies` (exact and variational).

Example
-------
>>> from pairing_lib import grains
>>> h, s = grains.first_transition(0.67, parity=0)
>>> s
1.0
>>> round(h / 2**-0.5, 2)       # h_{0,1} / h_CC at d = 0.67
0.95

References
----------
F. Braun, J. von Delft, D. C. Ralph and M. Tinkham, Phys. Rev. Lett. 79,
921 (1997) (seed 000): eqs. 1-5, Figs. 1-3. J. von Delft, A. D. Zaikin,
D. S. Golubev and W. Tichy, Phys. Rev. Lett. 77, 3189 (1996) (parity
effects). R. W. Richardson, Phys. Lett. 3, 277 (1963) (exact solution, see
:mod:`pairing_lib.richardson`). Chapter 2 of the book uses every function here.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.optimize import brentq
from scipy.special import digamma

__all__ = [
    "threshold_spacing",
    "DEFAULT_COUPLING",
    "METHODS",
    "V4_TERMS",
    "cutoff",
    "levels",
    "central_block",
    "fermi_sea_energy",
    "trial_energy",
    "BCSSolution",
    "solve_bcs",
    "pairing_parameter",
    "critical_spacing",
    "critical_spacing_limit",
    "normal_energy",
    "variational_energy",
    "exact_energy",
    "correlation_energy",
    "sector_energies",
    "critical_field",
    "first_transition",
    "exact_first_transition",
    "uncorrelated_critical_field",
    "ground_state_spin",
    "e_to_o_jump",
    "regime",
    "configuration_energy",
    "TunnellingLine",
    "tunnelling_lines",
    "lowest_line",
    "non_time_reversed_energy",
    "random_levels",
    "random_correlation_energies",
]

#: Default dimensionless coupling lambda (von Delft and Braun); the cut-off is
#: omega_D = exp(1/lambda)/2 = 43.4 bulk gaps.
DEFAULT_COUPLING = 0.224

#: The two ways of computing sector energies.
METHODS = ("variational", "exact")

_TOL = 1e-13
_MAX_ITER = 200


# ---------------------------------------------------------------------------
# input checking
# ---------------------------------------------------------------------------

def _check_coupling(coupling) -> float:
    try:
        lam = float(coupling)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"coupling must be a real number in (0, 1), got {coupling!r}") from exc
    if not (np.isfinite(lam) and 0.0 < lam < 1.0):
        raise ValueError(f"coupling must be in (0, 1), got {coupling!r}")
    return lam


def _check_d(d) -> np.ndarray:
    try:
        arr = np.asarray(d, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"d must be a real number > 0, got {d!r}") from exc
    if arr.size == 0:
        raise ValueError("d must not be empty")
    if not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        bad = arr[~(np.isfinite(arr) & (arr > 0))].ravel()[0]
        raise ValueError(f"d must be > 0 and finite, got {bad!r}")
    return arr


def _check_h(h) -> np.ndarray:
    try:
        arr = np.asarray(h, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"h must be a real number, got {h!r}") from exc
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"h must be finite, got {h!r}")
    return arr


def _check_parity(parity) -> int:
    if isinstance(parity, bool) or not isinstance(parity, (numbers.Integral, np.integer)) \
            or int(parity) not in (0, 1):
        raise ValueError(f"parity must be 0 (even) or 1 (odd), got {parity!r}")
    return int(parity)


def _twice_spin(s, name: str = "s") -> np.ndarray:
    """2s as an integer array; refuses anything that is not a (half-)integer."""
    try:
        arr = np.asarray(s, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be an integer or half-integer, got {s!r}") from exc
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got {s!r}")
    two = np.rint(2.0 * arr)
    if np.any(np.abs(2.0 * arr - two) > 1e-9):
        bad = arr.ravel()[np.argmax(np.abs(2.0 * arr - two).ravel())]
        raise ValueError(
            f"{name} must be an integer (even grain, p = 0) or a half-integer "
            f"(odd grain, p = 1), got {bad!r}")
    return two.astype(np.int64)


def _check_method(method) -> str:
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    return method


#: Options for the v^4 term of eq. 3 (coefficient of G sum' v^4).
V4_TERMS = {"derived": -1.0, "printed": 1.0, "dropped": 0.0}


def _v4_coefficient(v4_term, self_consistent) -> float:
    if v4_term not in V4_TERMS:
        raise ValueError(f"v4_term must be one of {tuple(V4_TERMS)}, got {v4_term!r}")
    if v4_term != "derived" and self_consistent:
        raise ValueError(
            f"v4_term = {v4_term!r} is a comparison with the printed eq. 3 and needs "
            "self_consistent=False (the Hartree shift follows from the derived term)")
    return V4_TERMS[v4_term]


def _scalar_out(arr, *inputs):
    """Return a float when every input was a scalar."""
    if all(np.ndim(x) == 0 for x in inputs):
        return float(np.asarray(arr).reshape(-1)[0])
    return arr


# ---------------------------------------------------------------------------
# levels
# ---------------------------------------------------------------------------

def cutoff(coupling=DEFAULT_COUPLING) -> float:
    r"""Cut-off energy :math:`\omega_D` implied by the coupling.

    From :math:`\lambda^{-1} = \ln(2\omega_D/\Delta_0)` (seed 000, below
    eq. 1): :math:`\omega_D = e^{1/\lambda}/2` in units of :math:`\Delta_0`.

    Parameters
    ----------
    coupling : float
        :math:`\lambda`, in (0, 1).

    Returns
    -------
    float
        :math:`\omega_D / \Delta_0`.

    Raises
    ------
    ValueError
        If ``coupling`` is outside (0, 1).

    Examples
    --------
    >>> round(cutoff(0.224), 2)
    43.43
    """
    return 0.5 * math.exp(1.0 / _check_coupling(coupling))


def _half_window(d, parity, lam):
    """Largest |k| of the window: M (even: j = -M..M-1) or K (odd: j = -K..K)."""
    wc = cutoff(lam)
    d = np.asarray(d, dtype=float)
    parity = np.asarray(parity)
    even = np.floor(wc / d + 0.5).astype(np.int64)
    odd = np.floor(wc / d).astype(np.int64)
    return np.where(parity == 0, even, odd)


def levels(d, parity, coupling=DEFAULT_COUPLING):
    r"""The levels of the cut-off window of a grain.

    Level :math:`j` has :math:`\varepsilon_j = (j + (1-p)/2)\,d` measured from
    the chemical potential; the window keeps every level with
    :math:`|\varepsilon_j| \le \omega_D`: :math:`j = -M,\dots,M-1` with
    :math:`M = \lfloor \omega_D/d + 1/2\rfloor` for an even grain and
    :math:`j = -K,\dots,K` with :math:`K = \lfloor \omega_D/d\rfloor` for an
    odd one. The grain holds as many electrons as there are levels (the
    window is half filled).

    Parameters
    ----------
    d : float
        Mean level spacing :math:`d/\Delta_0` (> 0).
    parity : {0, 1}
        Electron-number parity :math:`p`.
    coupling : float
        :math:`\lambda` (sets the cut-off, see :func:`cutoff`).

    Returns
    -------
    labels : numpy.ndarray of int
        The labels :math:`j`, increasing.
    eps : numpy.ndarray
        :math:`\varepsilon_j / \Delta_0`.

    Raises
    ------
    ValueError
        Bad ``d``, ``parity`` or ``coupling``, or a window with fewer than two
        levels (``d`` larger than the cut-off).

    References
    ----------
    Seed 000, eq. 1 and the text below it. Chapter 2, "The model".

    Examples
    --------
    >>> labels, eps = levels(20.0, 0)
    >>> labels, eps
    (array([-2, -1,  0,  1]), array([-30., -10.,  10.,  30.]))
    """
    lam = _check_coupling(coupling)
    p = _check_parity(parity)
    dv = _check_d(d)
    if dv.ndim != 0:
        raise ValueError(f"d must be a scalar here, got shape {dv.shape}")
    dv = float(dv)
    half = int(_half_window(dv, p, lam))
    if half < 1:
        raise ValueError(
            f"d = {dv!r} leaves fewer than two levels in the window |eps| <= omega_D = "
            f"{cutoff(lam):.4g}; d must be < {cutoff(lam):.4g}")
    labels = np.arange(-half, half + p) if p == 1 else np.arange(-half, half)
    return labels, (labels + 0.5 * (1 - p)) * dv


def central_block(s):
    r"""Labels of the levels blocked by the :math:`2|s|` unpaired electrons.

    The ansatz of eq. 2 of seed 000 puts them as close as possible to the
    Fermi level: :math:`j = -J,\dots,J+p-1` with :math:`J = |s| - p/2`.

    Parameters
    ----------
    s : float
        Spin :math:`s = \sum s_z`, integer or half-integer.

    Returns
    -------
    tuple of int

    Raises
    ------
    ValueError
        If ``s`` is not an integer or half-integer.

    Examples
    --------
    >>> central_block(1), central_block(1.5)
    ((-1, 0), (-1, 0, 1))
    """
    two = int(_twice_spin(s).reshape(-1)[0]) if np.ndim(s) == 0 else None
    if two is None:
        raise ValueError(f"s must be a scalar here, got {s!r}")
    two = abs(two)
    p = two % 2
    J = (two - p) // 2
    return tuple(range(-J, J + p))


def fermi_sea_energy(d, parity, coupling=DEFAULT_COUPLING) -> float:
    r""":math:`\langle F|H|F\rangle` of the even Fermi sea in the grain's window.

    :math:`|F\rangle` fills the levels :math:`j<0` (``m`` pairs):
    :math:`\langle F|H|F\rangle = 2\sum_{j<0}\varepsilon_j - G\, m`,
    i.e. :math:`-dM^2 - G M` (even) and :math:`-dK(K+1) - G K`
    (odd). It is the zero of every energy returned by this module.

    Parameters
    ----------
    d : float
        Level spacing (> 0).
    parity : {0, 1}
        Parity of the grain (fixes the labelling and window).
    coupling : float
        :math:`\lambda`.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        As in :func:`levels`.

    References
    ----------
    Seed 000, the definition of :math:`|F\rangle` below eq. 1.
    """
    labels, eps = levels(d, parity, coupling)
    lam = _check_coupling(coupling)
    occ = eps[labels < 0]
    return float(2.0 * occ.sum() - lam * float(d) * occ.size)


# ---------------------------------------------------------------------------
# the variational energy functional and its generic minimiser
# ---------------------------------------------------------------------------

def trial_energy(eps, v2, g, *, blocked_eps=(), sz=0.0, h=0.0) -> float:
    r"""Energy :math:`\langle s|H|s\rangle` of the BCS-like trial state (eq. 2 of seed 000).

    .. math::

        \langle s|H|s\rangle = \sum_{j\in B}\varepsilon_j - 2 h s_z
        + {\sum_j}' 2\varepsilon_j v_j^2 - g\Bigl({\sum_j}' u_j v_j\Bigr)^2
        - g\,{\sum_j}' v_j^4 ,

    with :math:`u_j = \sqrt{1 - v_j^2}` and :math:`g = G = \lambda d`. The
    :math:`j=j'` part of the pair interaction contributes
    :math:`-g\sum' v_j^2`; together with the :math:`j\ne j'` part,
    :math:`-g[(\sum' u_jv_j)^2 - \sum' u_j^2 v_j^2]`, this gives the
    :math:`-g\sum' v_j^4` above (eq. 3 of the paper prints :math:`+`).

    Parameters
    ----------
    eps : array_like
        Energies of the pair-correlated levels (the primed sums).
    v2 : array_like
        Occupation amplitudes :math:`v_j^2 \in [0, 1]`, same shape as ``eps``.
    g : float
        Pairing strength :math:`G = \lambda d \ge 0`.
    blocked_eps : array_like, optional
        Energies of the singly occupied levels.
    sz : float, optional
        Total spin :math:`s` of the unpaired electrons, counted along their moment (enters only with ``h``, as :math:`-2hs`).
    h : float, optional
        Zeeman energy.

    Returns
    -------
    float
        The expectation value of :math:`H` (eq. 1 of the paper, with the
        level energies measured as given).

    Raises
    ------
    ValueError
        Shapes differ, ``v2`` outside [0, 1], ``g < 0`` or non-finite input.

    References
    ----------
    Seed 000, eqs. 2-3 (sign of the :math:`v^4` term corrected). Chapter 2,
    "The variational energy".
    """
    e = np.asarray(eps, dtype=float).ravel()
    w = np.asarray(v2, dtype=float).ravel()
    if e.shape != w.shape:
        raise ValueError(f"eps and v2 must have the same shape, got {e.shape} and {w.shape}")
    if not (np.all(np.isfinite(e)) and np.all(np.isfinite(w))):
        raise ValueError("eps and v2 must be finite")
    if np.any(w < 0) or np.any(w > 1):
        raise ValueError(f"v2 must lie in [0, 1], got min {w.min()!r}, max {w.max()!r}")
    g = float(g)
    if not np.isfinite(g) or g < 0:
        raise ValueError(f"g must be >= 0, got {g!r}")
    b = np.asarray(blocked_eps, dtype=float).ravel()
    uv = np.sqrt(w * (1.0 - w))
    return float(b.sum() - 2.0 * float(h) * float(sz) + 2.0 * np.dot(e, w)
                 - g * uv.sum() ** 2 - g * np.dot(w, w))


@dataclass(frozen=True, eq=False)
class BCSSolution:
    r"""Minimiser of :func:`trial_energy` at fixed particle number.

    Attributes
    ----------
    delta : float
        Pairing parameter :math:`\Delta = g\sum' u_j v_j` (0: uncorrelated).
    mu : float
        Lagrange multiplier (chemical potential) that fixes
        :math:`\sum' 2v_j^2 = 2\,` ``n_pairs``. For an uncorrelated solution it is
        the midpoint of the gap between the last filled and first empty level.
    v2 : numpy.ndarray
        :math:`v_j^2`, in the order of the input levels.
    energy : float
        Pair part of the trial energy, :math:`\sum' 2\varepsilon_j v_j^2 -
        g(\sum' u_jv_j)^2 - g\sum' v_j^4` (the level energies as given).
    condensation_energy : float
        ``energy`` minus that of the filled lowest ``n_pairs`` levels,
        :math:`2\sum_{\rm filled}\varepsilon_j - g\,` ``n_pairs`` (:math:`\le 0`).
    self_consistent : bool
        Whether the Hartree shift :math:`-g v_j^2` was kept in
        :math:`\bar\varepsilon_j`.
    """

    delta: float
    mu: float
    v2: np.ndarray
    energy: float
    condensation_energy: float
    self_consistent: bool


def _occupations(x, y):
    """v^2 = (1 - x/E)/2 computed without cancellation; E = sqrt(x^2 + y)."""
    E = np.sqrt(x * x + y)
    ax = np.abs(x)
    small = y / (2.0 * E * (E + ax)) if y > 0 else np.zeros_like(x)
    return np.where(x >= 0, small, 1.0 - small), E


def _simplified_bcs(e, n_pairs, g, *, guess=None):
    """Solve gap and number equations with bar-eps = e - mu. Returns (delta, mu, v2)."""
    n = e.size
    order = np.sort(e)
    if n_pairs == 0 or n_pairs == n:
        mu = order[0] - 1.0 if n_pairs == 0 else order[-1] + 1.0
        return 0.0, mu, (np.ones(n) if n_pairs == n else np.zeros(n))
    scale = (order[-1] - order[0]) / max(n - 1, 1)
    mu_mid = 0.5 * (order[n_pairs - 1] + order[n_pairs])
    g2 = 0.5 * g

    def number_residual(mu, y):
        x = e - mu
        E = np.sqrt(x * x + y)
        t = y / (E * (E + np.abs(x)))         # 1 - |x|/E
        neg = x < 0
        return 2.0 * (np.count_nonzero(neg) - n_pairs) + t[~neg].sum() - t[neg].sum()

    def mu_of(y):
        span = order[-1] - order[0] + 10.0 * math.sqrt(y) + scale
        lo, hi = order[0] - span, order[-1] + span
        return brentq(number_residual, lo, hi, args=(y,), xtol=1e-15 * span, rtol=1e-15,
                      maxiter=_MAX_ITER)

    # Newton on (delta, mu) from a guess (fast path inside self-consistency loops)
    if guess is not None and guess[0] > 0:
        delta, mu = float(guess[0]), float(guess[1])
        for _ in range(40):
            x = e - mu
            E2 = x * x + delta * delta
            E = np.sqrt(E2)
            E3 = E2 * E
            f1 = g2 * np.sum(1.0 / E) - 1.0
            f2 = number_residual(mu, delta * delta)
            a11 = -g2 * delta * np.sum(1.0 / E3)
            a12 = g2 * np.sum(x / E3)
            a21 = delta * np.sum(x / E3)
            a22 = delta * delta * np.sum(1.0 / E3)
            det = a11 * a22 - a12 * a21
            if det == 0 or not np.isfinite(det):
                break
            dd = (-f1 * a22 + f2 * a12) / det
            dm = (-a11 * f2 + a21 * f1) / det
            if delta + dd <= 0.2 * delta:
                break
            delta += dd
            mu += dm
            if abs(dd) <= 1e-14 * delta and abs(dm) <= 1e-14 * (abs(mu) + scale):
                v2, _ = _occupations(e - mu, delta * delta)
                return delta, mu, v2
        # fall through to the robust nested solver

    def gap_residual(t):
        y = math.exp(2.0 * t)
        mu = mu_of(y)
        x = e - mu
        return g2 * np.sum(1.0 / np.sqrt(x * x + y)) - 1.0

    t_lo = math.log(1e-9 * scale)
    if gap_residual(t_lo) <= 0.0:
        v2 = np.where(e <= mu_mid, 1.0, 0.0)
        if np.count_nonzero(v2) != n_pairs:   # degenerate levels at the Fermi gap
            idx = np.argsort(e, kind="stable")
            v2 = np.zeros(n)
            v2[idx[:n_pairs]] = 1.0
        return 0.0, mu_mid, v2
    t_hi = math.log(2.0 * g2 * n + scale)
    t = brentq(gap_residual, t_lo, t_hi, xtol=1e-15, rtol=1e-15, maxiter=_MAX_ITER)
    delta = math.exp(t)
    mu = mu_of(delta * delta)
    v2, _ = _occupations(e - mu, delta * delta)
    return delta, mu, v2


def solve_bcs(eps, g, n_pairs, *, self_consistent=True) -> BCSSolution:
    r"""Minimise :func:`trial_energy` over :math:`v_j` at fixed :math:`\langle N\rangle`.

    Stationarity of :math:`\langle H\rangle - \mu\langle N\rangle` gives
    :math:`v_j^2 = \frac12\bigl(1 - \bar\varepsilon_j/\sqrt{\bar\varepsilon_j^2
    + \Delta^2}\bigr)` with :math:`\bar\varepsilon_j = \varepsilon_j - \mu - g
    v_j^2` (``self_consistent=True``) or :math:`\varepsilon_j - \mu` (the
    simplification of seed 000), the gap equation :math:`1 = (g/2)\sum'_j
    (\bar\varepsilon_j^2+\Delta^2)^{-1/2}` and :math:`\sum'_j 2v_j^2 = 2M`.
    The Hartree shift is found by iterating the simplified problem with the
    levels :math:`\varepsilon_j - g v_j^2` to self-consistency. If no
    correlated solution exists (or it is not lower), the uncorrelated filling
    of the lowest ``n_pairs`` levels is returned with ``delta = 0``.

    Parameters
    ----------
    eps : array_like
        Energies of the levels open to pairs (any order, finite).
    g : float
        Pairing strength :math:`G = \lambda d > 0`.
    n_pairs : int
        Number of pairs :math:`M`, ``0 <= n_pairs <= len(eps)``.
    self_consistent : bool
        Keep the Hartree shift in :math:`\bar\varepsilon_j` (default) or use
        the paper's :math:`\bar\varepsilon_j = \varepsilon_j - \mu`.

    Returns
    -------
    BCSSolution

    Raises
    ------
    ValueError
        Bad ``eps``, ``g`` or ``n_pairs``.
    RuntimeError
        If the self-consistency loop does not converge in 500 iterations.

    References
    ----------
    Seed 000, text below eq. 3. Chapter 2, "Minimising the energy".
    """
    e = np.asarray(eps, dtype=float).ravel()
    if e.size == 0 or not np.all(np.isfinite(e)):
        raise ValueError(f"eps must be a non-empty array of finite numbers, got {eps!r}")
    g = float(g)
    if not (np.isfinite(g) and g > 0):
        raise ValueError(f"g must be > 0, got {g!r}")
    if isinstance(n_pairs, bool) or not float(n_pairs).is_integer() \
            or not 0 <= int(n_pairs) <= e.size:
        raise ValueError(f"n_pairs must be an integer in [0, {e.size}], got {n_pairs!r}")
    n_pairs = int(n_pairs)
    filled = np.sort(e)[:n_pairs]
    e_normal = 2.0 * filled.sum() - g * n_pairs

    delta, mu, v2 = _simplified_bcs(e, n_pairs, g)
    if self_consistent and delta > 0:
        w = v2
        for it in range(500):
            delta, mu_eff, w_new = _simplified_bcs(e - g * w, n_pairs, g, guess=(delta, mu))
            mu = mu_eff
            change = np.max(np.abs(w_new - w))
            w = 0.5 * (w + w_new) if it < 3 else w_new
            if change < 1e-12 or delta == 0.0:
                w = w_new
                break
        else:
            raise RuntimeError(
                f"solve_bcs: Hartree self-consistency did not converge in 500 iterations "
                f"(g = {g!r}, n_pairs = {n_pairs}, last change {change:.3g})")
        v2 = w
    if delta > 0:
        uv = np.sqrt(v2 * (1.0 - v2))
        energy = float(2.0 * np.dot(e, v2) - g * uv.sum() ** 2 - g * np.dot(v2, v2))
        if energy >= e_normal:
            delta = 0.0
    if delta == 0.0:
        idx = np.argsort(e, kind="stable")
        v2 = np.zeros(e.size)
        v2[idx[:n_pairs]] = 1.0
        energy = e_normal
        if 0 < n_pairs < e.size:
            srt = e[idx]
            mu = 0.5 * (srt[n_pairs - 1] + srt[n_pairs])
    return BCSSolution(delta=float(delta), mu=float(mu), v2=v2, energy=float(energy),
                       condensation_energy=float(energy - e_normal),
                       self_consistent=bool(self_consistent))


# ---------------------------------------------------------------------------
# fast solver for the particle-hole symmetric sectors (central blocks)
# ---------------------------------------------------------------------------

def _zero_gap_residual(d, a, kmin, kmax, lam, sc):
    """lam d sum_k 1/x_k - 1 at Delta = 0 (x_k = (k + a) d, + lam d / 2 with sc), via digamma."""
    shift = np.asarray(a, dtype=float) + (0.5 * lam if sc else 0.0)
    kmin = np.asarray(kmin, dtype=float)
    kmax = np.asarray(kmax, dtype=float)
    return lam * (digamma(kmax + shift + 1.0) - digamma(kmin + shift)) - 1.0


def _ladder_solve(d, a, kmin, kmax, lam, sc, c4=-1.0):
    """Batched ladder solver: only the problems with a correlated solution are iterated."""
    d = np.asarray(d, dtype=float).ravel()
    a = np.asarray(a, dtype=float).ravel()
    kmin = np.asarray(kmin, dtype=np.int64).ravel()
    kmax = np.asarray(kmax, dtype=np.int64).ravel()
    if np.any(kmax < kmin):
        raise ValueError("internal: empty ladder")
    delta = np.zeros(d.size)
    ecorr = np.zeros(d.size)
    paired = _zero_gap_residual(d, a, kmin, kmax, lam, sc) > 0
    if np.any(paired):
        dl, ec = _ladder_core(d[paired], a[paired], kmin[paired], kmax[paired], lam, sc, c4)
        delta[paired] = dl
        ecorr[paired] = ec
    return delta, ecorr


def _ladder_core(d, a, kmin, kmax, lam, sc, c4=-1.0):
    r"""Gap equation and correlation energy for symmetric ladders, batched.

    Problem i: positive half-levels eps_k = (k + a_i) d_i, k = kmin_i..kmax_i,
    mirrored at -eps_k, half filled. Solves lam d sum_k 1/E_k = 1 with
    E_k = sqrt(x_k^2 + Delta^2), x_k = eps_k (simplified) or the root of
    x = eps_k + (lam d / 2) x / E (self-consistent, particle-hole symmetric).
    Returns (delta, ecorr) with ecorr the energy relative to the uncorrelated
    filling of the same ladder; c4 is the coefficient of G sum v^4 in the
    energy (-1 derived, +1 as printed in eq. 3, 0 dropped; only -1 with sc).
    """
    d = np.asarray(d, dtype=float).ravel()
    a = np.asarray(a, dtype=float).ravel()
    kmin = np.asarray(kmin, dtype=np.int64).ravel()
    kmax = np.asarray(kmax, dtype=np.int64).ravel()
    n = d.size
    L = kmax - kmin + 1
    if np.any(L < 1):
        raise ValueError("internal: empty ladder")
    seg = np.repeat(np.arange(n), L)
    start = np.cumsum(L) - L
    k = kmin[seg] + (np.arange(seg.size) - start[seg])
    eps = (k + a[seg]) * d[seg]
    ld = lam * d
    g2 = 0.5 * ld[seg]
    inv_ld = 1.0 / ld

    def xsolve(y_seg, x):
        """Self-consistent x: Newton on phi(x) = x - g2 x / E - eps (convex, increasing)."""
        for _ in range(60):
            E = np.sqrt(x * x + y_seg)
            phi = x - g2 * x / E - eps
            dphi = 1.0 - g2 * y_seg / (E * E * E)
            step = phi / dphi
            x = x - step
            if np.all(np.abs(step) <= 1e-14 * x):
                return x
        raise RuntimeError("grains: Hartree-shifted level equation did not converge")

    x0 = eps + g2 if sc else eps
    F0 = np.bincount(seg, weights=1.0 / x0, minlength=n) - inv_ld
    paired = F0 > 0
    y = np.zeros(n)
    lo = np.zeros(n)
    hi = (ld * L) ** 2 * 1.0001
    x = x0.copy()
    done = ~paired
    # Newton in y = Delta^2 (F is convex and decreasing in y, so Newton from
    # y = 0 approaches the root from the left), bracketed by bisection. In the
    # self-consistent case each iteration also takes one Newton step for every
    # x_k, so x and y converge together; x is polished at the end.
    for _ in range(_MAX_ITER):
        ys = y[seg]
        if sc:
            E = np.sqrt(x * x + ys)
            x_step = (x - g2 * x / E - eps) / (1.0 - g2 * ys / (E * E * E))
            x = x - x_step
        E = np.sqrt(x * x + ys)
        F = np.bincount(seg, weights=1.0 / E, minlength=n) - inv_ld
        E3 = E * E * E
        if sc:
            xy = -g2 * x / (2.0 * E3 * (1.0 - g2 * ys / E3))
            dE = -(2.0 * x * xy + 1.0) / (2.0 * E3)
        else:
            dE = -0.5 / E3
        dF = np.bincount(seg, weights=dE, minlength=n)
        lo = np.where(F > 0, np.maximum(lo, y), lo)
        hi = np.where(F < 0, np.minimum(hi, y), hi)
        y_new = y - F / dF
        bad = ~((y_new > lo) & (y_new < hi))
        y_new = np.where(bad, 0.5 * (lo + hi), y_new)
        conv = np.abs(y_new - y) <= _TOL * np.maximum(y_new, 1e-300)
        if sc:
            xconv = np.bincount(seg, weights=(np.abs(x_step) > 1e-13 * x).astype(float),
                                minlength=n) == 0
            conv &= xconv
        y = np.where(done, y, y_new)
        done = done | conv
        if np.all(done):
            break
    else:
        raise RuntimeError("grains: gap equation did not converge in "
                           f"{_MAX_ITER} iterations")
    y = np.where(paired, y, 0.0)
    delta = np.sqrt(y)
    ys = y[seg]
    if sc:
        x = xsolve(ys, x)            # polish at the final y
        resid = np.bincount(seg, weights=1.0 / np.sqrt(x * x + ys), minlength=n) * ld - 1.0
        if np.any(paired & (np.abs(resid) > 1e-9)):
            raise RuntimeError("grains: self-consistent gap equation not satisfied "
                               f"(max residual {np.max(np.abs(resid[paired])):.3g})")
    else:
        x = eps
    E = np.sqrt(x * x + ys)
    one_minus = ys / (E * (E + x))          # 1 - x/E, x > 0
    kin = np.bincount(seg, weights=2.0 * eps * one_minus, minlength=n)
    uv = np.bincount(seg, weights=1.0 / E, minlength=n) * delta
    diag = np.bincount(seg, weights=ys / (E * E), minlength=n)
    ecorr = kin - ld * uv * uv - c4 * 0.5 * ld * diag
    # the variational state is the lower of the stationary BCS state and the
    # uncorrelated one (the BCS state can lie higher only with bar-eps = eps)
    keep = paired & (ecorr < 0.0)
    return np.where(keep, delta, 0.0), np.where(keep, ecorr, 0.0)


def _sector_geometry(two, d, lam):
    """kmin, kmax, a for sectors with 2|s| = two at spacing d (arrays)."""
    two = np.abs(np.asarray(two, dtype=np.int64))
    d = np.asarray(d, dtype=float)
    p = two % 2
    J = (two - p) // 2
    half = _half_window(d, p, lam)
    kmin = np.where(p == 0, J, J + 1)
    kmax = np.where(p == 0, half - 1, half)
    if np.any(kmax < kmin):
        i = int(np.argmax((kmax < kmin).ravel()))
        sv = two.ravel()[i] / 2 if two.ndim else two / 2
        dv = d.ravel()[i] if d.ndim else float(d)
        nlev = int((2 * half + p).ravel()[i]) if np.ndim(half) else int(2 * half + p)
        raise ValueError(
            f"s = {sv:g} blocks {int(2 * sv)} levels but the window |eps| <= omega_D = "
            f"{cutoff(lam):.4g} holds only {nlev} levels at d = {dv!r}: need 2|s| < "
            "the number of levels (smaller d or |s|)")
    a = np.where(p == 0, 0.5, 0.0)
    return kmin, kmax, a, p


#: Memo of solved sectors: (2|s|, d, lambda, self_consistent, c4) -> (Delta, E_corr).
_SECTOR_MEMO: dict = {}
_SECTOR_MEMO_MAX = 500_000


def _sector_solve(two, d, lam, sc, c4=-1.0):
    """(delta, ecorr) for arrays two, d (broadcast); each sector is solved once per session."""
    two = np.abs(np.asarray(two, dtype=np.int64))
    d = np.asarray(d, dtype=float)
    shape = np.broadcast(two, d).shape
    two_b, d_b = np.broadcast_to(two, shape).ravel(), np.broadcast_to(d, shape).ravel()
    kmin, kmax, a, _ = _sector_geometry(two_b, d_b, lam)      # validates every sector
    keys = [(int(t), float(x), lam, sc, c4) for t, x in zip(two_b.tolist(), d_b.tolist())]
    missing = {}
    for i, key in enumerate(keys):
        if key not in _SECTOR_MEMO and key not in missing:
            missing[key] = i
    if missing:
        idx = np.fromiter(missing.values(), dtype=np.int64, count=len(missing))
        delta, ecorr = _ladder_solve(d_b[idx], a[idx], kmin[idx], kmax[idx], lam, sc, c4)
        if len(_SECTOR_MEMO) + idx.size > _SECTOR_MEMO_MAX:
            _SECTOR_MEMO.clear()
        for key, dl, ec in zip(missing, delta.tolist(), ecorr.tolist()):
            _SECTOR_MEMO[key] = (dl, ec)
    vals = np.array([_SECTOR_MEMO[key] for key in keys], dtype=float).reshape(-1, 2)
    return vals[:, 0].reshape(shape), vals[:, 1].reshape(shape)


def pairing_parameter(s, d, coupling=DEFAULT_COUPLING, *, self_consistent=True,
                      v4_term="derived"):
    r"""Pairing parameter :math:`\Delta_s(d)` of the variational spin-:math:`s` ground state.

    :math:`\Delta_s = G\sum'_j u_j v_j` solves the generalised gap
    equation :math:`1 = G\sum'_j 1/(2\sqrt{\bar\varepsilon_j^2 +
    \Delta_s^2})`, the sum running over the levels not blocked by the
    :math:`2|s|` unpaired electrons (Fig. 1a of seed 000). It is 0 when the
    gap equation has no positive solution. :math:`\Delta_s` does not depend
    on :math:`h`.

    Parameters
    ----------
    s : float or array_like
        Spin(s): integers for an even grain, half-integers for an odd one;
        :math:`\Delta_{-s} = \Delta_s`.
    d : float or array_like
        Level spacing :math:`d/\Delta_0` (> 0); broadcast against ``s``.
    coupling : float
        :math:`\lambda` (default :data:`DEFAULT_COUPLING`).
    self_consistent : bool
        Hartree-shifted :math:`\bar\varepsilon_j` (default) or the paper's
        :math:`\bar\varepsilon_j = \varepsilon_j`.
    v4_term : {"derived", "printed", "dropped"}
        The :math:`v^4` term of eq. 3: as derived (:math:`-G\sum' v^4`,
        default), as printed in the paper (:math:`+`), or left out -- the last
        two only with ``self_consistent=False``, to compare with the paper.

    Returns
    -------
    float or numpy.ndarray
        :math:`\Delta_s/\Delta_0`; 0 also when the correlated solution of
        the gap equation lies above the uncorrelated state (this happens only
        with ``self_consistent=False``).

    Raises
    ------
    ValueError
        ``s`` not a (half-)integer, ``d <= 0``, ``coupling`` outside (0, 1),
        or more blocked levels than the window holds.

    References
    ----------
    Seed 000, gap equation below eq. 3 and Fig. 1a; von Delft *et al.* (1996)
    for :math:`s = 0, 1/2`. Chapter 2.

    Examples
    --------
    The even-odd effect :math:`\Delta_{1/2} < \Delta_{s=0}`:

    >>> d0, d12 = pairing_parameter([0, 0.5], 0.5)
    >>> bool(d12 < d0)
    True
    """
    lam = _check_coupling(coupling)
    two = _twice_spin(s)
    dv = _check_d(d)
    c4 = _v4_coefficient(v4_term, self_consistent)
    delta, _ = _sector_solve(two, dv, lam, bool(self_consistent), c4)
    return _scalar_out(delta, s, d)


def critical_spacing(s, coupling=DEFAULT_COUPLING, *, self_consistent=True):
    r"""Largest level spacing at which the spin-:math:`s` sector is still paired (:math:`\Delta_s > 0`).

    At :math:`\Delta_s = 0` the gap equation reads, in units of :math:`d`,
    :math:`\lambda\sum_{k=k_{\min}}^{K} 1/(k + a) = 1` with :math:`a = 1/2`
    (even) or 0 (odd), shifted by :math:`\lambda/2` with the Hartree term;
    it depends on :math:`d` only through the number :math:`K(d)` of levels in
    the window. Pairing survives while :math:`K(d)` is at least the smallest
    :math:`K_c` for which the sum exceeds 1, i.e. for
    :math:`d \le \omega_D/(K_c + 1/2)` (even) or :math:`\omega_D/K_c` (odd).
    For large :math:`\omega_D` this gives :math:`d_c = 2e^{\gamma}\Delta_0`
    for :math:`s=0`, :math:`e^{\gamma}\Delta_0/2` for :math:`s=1/2`
    (von Delft *et al.* 1996, with :math:`\bar\varepsilon = \varepsilon`) and
    :math:`d_c \approx \Delta_0/2s` for large :math:`s` (seed 000).

    Parameters
    ----------
    s : float
        Spin, integer or half-integer.
    coupling : float
        :math:`\lambda`.
    self_consistent : bool
        Hartree-shifted levels (default) or :math:`\bar\varepsilon = \varepsilon`.

    Returns
    -------
    float
        :math:`d_c/\Delta_0`. With ``self_consistent=False`` the correlated
        state can already lie above the uncorrelated one somewhat below
        :math:`d_c` (see :func:`pairing_parameter`).

    Raises
    ------
    ValueError
        Bad ``s`` or ``coupling``.

    References
    ----------
    Seed 000, text on Fig. 1a; von Delft, Zaikin, Golubev and Tichy (1996).
    Chapter 2.

    Examples
    --------
    >>> round(critical_spacing(0.5, self_consistent=False), 2)
    0.89
    """
    lam = _check_coupling(coupling)
    if np.ndim(s) != 0:
        raise ValueError(f"s must be a scalar, got {s!r}")
    two = abs(int(_twice_spin(s)))
    p = two % 2
    J = (two - p) // 2
    kmin = J if p == 0 else J + 1
    a = (0.5 if p == 0 else 0.0) + (0.5 * lam if self_consistent else 0.0)
    wc = cutoff(lam)
    # smallest K with lam * sum_{k=kmin}^{K} 1/(k + a) > 1 (the sum grows like ln K)
    total, K = 0.0, kmin - 1
    while total * lam <= 1.0:
        K += 1
        total += 1.0 / (K + a)
    return float(wc / (K + 0.5) if p == 0 else wc / K)


def critical_spacing_limit(s, coupling=DEFAULT_COUPLING, *, self_consistent=True):
    r"""Closed form of the critical spacing for a wide window, :math:`d_c(s) = \tfrac12\Delta_0\,e^{-\psi(s + 1/2 + c)}`.

    At :math:`\Delta_s = 0` the gap equation of sector :math:`s` is
    :math:`1 = \lambda\sum_{n=0}^{K} 1/(n + s + \tfrac12 + c)`: the first
    unblocked level above the Fermi energy lies at :math:`(s + \tfrac12)d` for
    both parities, and the Hartree shift of the self-consistent ansatz moves
    every level away by :math:`G/2 = \lambda d/2`, i.e. :math:`c = \lambda/2`
    (:math:`c = 0` for :math:`\bar\varepsilon = \varepsilon`). With
    :math:`\sum_{n=0}^{K} 1/(n + x) = \ln K - \psi(x) + O(1/K)`,
    :math:`K = \omega_D/d` and :math:`1/\lambda = \ln(2\omega_D/\Delta_0)`
    this gives the formula above, up to corrections of order
    :math:`d_c/\omega_D`. Special values (:math:`c = 0`): :math:`2e^{\gamma}
    \Delta_0 \approx 3.56\,\Delta_0` (even ground state), :math:`e^{\gamma}
    \Delta_0/2 \approx 0.89\,\Delta_0` (odd ground state), and
    :math:`\Delta_0/2s` for large :math:`s`.

    Parameters
    ----------
    s : float or array_like
        Spin, integer or half-integer.
    coupling : float
        :math:`\lambda = G/d`; enters only through the Hartree shift.
    self_consistent : bool
        Hartree-shifted levels (default) or the paper's
        :math:`\bar\varepsilon = \varepsilon`.

    Returns
    -------
    float or numpy.ndarray
        :math:`d_c/\Delta_0`; compare :func:`critical_spacing` (the finite
        window).

    Raises
    ------
    ValueError
        Bad ``s`` or ``coupling``.

    References
    ----------
    von Delft, Zaikin, Golubev and Tichy (1996); Braun and von Delft (1999),
    the critical spacings of the even and odd ground states. Chapter 2.

    Examples
    --------
    >>> round(float(critical_spacing_limit(0, self_consistent=False)), 3)
    3.562
    """
    lam = _check_coupling(coupling)
    two = np.abs(_twice_spin(s))
    c = 0.5 * lam if self_consistent else 0.0
    out = 0.5 * np.exp(-digamma(0.5 * two + 0.5 + c))
    return _scalar_out(out, s)


def normal_energy(s, d, h=0.0, coupling=DEFAULT_COUPLING):
    r"""Energy of the uncorrelated spin-:math:`s` state :math:`|s\rangle_0`, relative to :math:`|F\rangle`.

    :math:`|s\rangle_0` fills the levels :math:`j < -J` doubly, the
    :math:`2|s|` central levels singly (favoured spins, :math:`\sigma = -1`, for :math:`s>0`) and leaves the
    rest empty. Its energy is

    .. math::

        {}_0\langle s|H|s\rangle_0 - \langle F|H|F\rangle
        = (s^2 - p/4)\,d + G\,(|s| - p/2) - 2hs ,

    where the :math:`G` term is the lost self-energy
    :math:`-G` of each of the :math:`|s| - p/2` pairs broken
    relative to :math:`|F\rangle` (the paper's Fig. 1b quotes
    :math:`(s^2 - p/4)d`).

    Parameters
    ----------
    s : float or array_like
        Spin(s): integer (even grain) or half-integer (odd grain).
    d : float or array_like
        Level spacing (> 0).
    h : float or array_like
        Zeeman energy :math:`h = \mu_B B`.
    coupling : float
        :math:`\lambda`.

    Returns
    -------
    float or numpy.ndarray

    Raises
    ------
    ValueError
        As in :func:`pairing_parameter`, or non-finite ``h``.

    References
    ----------
    Seed 000, Fig. 1b caption and eq. 3 with :math:`\Delta_s = 0`. Chapter 2.
    """
    lam = _check_coupling(coupling)
    two = _twice_spin(s)
    dv = _check_d(d)
    hv = _check_h(h)
    _sector_geometry(*np.broadcast_arrays(two, dv), lam)   # validates the window
    sv = two / 2.0
    p = np.abs(two) % 2
    out = (sv * sv - p / 4.0) * dv + lam * dv * (np.abs(sv) - p / 2.0) - 2.0 * hv * sv
    return _scalar_out(out, s, d, h)


def variational_energy(s, d, h=0.0, coupling=DEFAULT_COUPLING, *, self_consistent=True,
                       v4_term="derived"):
    r"""Variational energy :math:`E_s(h,d) - \langle F|H|F\rangle` of the spin-:math:`s` ground state.

    The minimum of :func:`trial_energy` over the BCS-like states of eq. 2 of
    seed 000 with the :math:`2|s|` unpaired electrons on the central levels,
    i.e. :func:`normal_energy` plus the (negative) correlation energy

    .. math::

        \sum_{k} 2\varepsilon_k\Bigl(1 - \frac{\bar\varepsilon_k}{E_k}\Bigr)
        - G\Bigl(\sum_k\frac{\Delta_s}{E_k}\Bigr)^2
        + \frac{G}{2}\sum_k\frac{\Delta_s^2}{E_k^2},
        \qquad E_k = \sqrt{\bar\varepsilon_k^2 + \Delta_s^2},

    where :math:`k` runs over the unblocked levels above the Fermi level
    (their mirror images below it are included by particle-hole symmetry).
    The field enters only as :math:`-2hs`.

    Parameters
    ----------
    s : float or array_like
        Spin(s) (negative values: :math:`E_{-s}(h) = E_s(-h)`).
    d : float or array_like
        Level spacing (> 0).
    h : float or array_like
        Zeeman energy.
    coupling : float
        :math:`\lambda`.
    self_consistent : bool
        See :func:`pairing_parameter`.
    v4_term : {"derived", "printed", "dropped"}
        The :math:`v^4` term of eq. 3: as derived (:math:`-G\sum' v^4`,
        default), as printed in the paper (:math:`+`), or left out -- the last
        two only with ``self_consistent=False``, to compare with the paper.

    Returns
    -------
    float or numpy.ndarray
        Energy in units of :math:`\Delta_0`; ``s``, ``d``, ``h`` broadcast.

    Raises
    ------
    ValueError
        As in :func:`normal_energy`.

    References
    ----------
    Seed 000, eq. 3 (with the sign of the :math:`v^4` term corrected) and
    Fig. 1b. Chapter 2.

    Examples
    --------
    For :math:`d \ll \Delta_0` the even ground state approaches the bulk
    condensation energy :math:`-\Delta_0^2/2d`:

    >>> round(variational_energy(0, 0.02) * 0.02, 2)
    -0.5
    """
    lam = _check_coupling(coupling)
    two = _twice_spin(s)
    dv = _check_d(d)
    hv = _check_h(h)
    c4 = _v4_coefficient(v4_term, self_consistent)
    _, ecorr = _sector_solve(two, dv, lam, bool(self_consistent), c4)
    out = normal_energy(two / 2.0, dv, hv, lam) + ecorr
    if c4 != -1.0:       # the uncorrelated energy as the modified formula gives it
        out = out - (1.0 + c4) * lam * dv * (np.abs(two / 2.0) - (np.abs(two) % 2) / 2.0)
    return _scalar_out(out, s, d, h)


# ---------------------------------------------------------------------------
# exact energies (Richardson)
# ---------------------------------------------------------------------------

def _pair_problem(blocked, d, parity, lam):
    """Unblocked levels, number of pairs and blocked level energies of a configuration."""
    labels, eps = levels(d, parity, lam)
    blocked = np.asarray(sorted(blocked), dtype=np.int64)
    mask = np.isin(labels, blocked)
    n_pairs = (labels.size - blocked.size) // 2
    return eps[~mask], n_pairs, eps[mask]


@lru_cache(maxsize=4096)
def _exact_config(blocked: tuple, d: float, parity: int, lam: float) -> float:
    """Exact E(B) - <F|H|F> at h = 0 for blocked level labels B."""
    from . import richardson

    free, n_pairs, beps = _pair_problem(blocked, d, parity, lam)
    g = lam * d
    e_r = richardson.ground_state_energy(free, g, n_pairs)
    normal = 2.0 * np.sort(free)[:n_pairs].sum() - g * n_pairs
    # measured from the normal filling of the same configuration (no large cancellation)
    e_normal_config = beps.sum() + normal - fermi_sea_energy(d, parity, lam)
    return float(e_normal_config + (e_r - normal))


def exact_energy(s, d, h=0.0, coupling=DEFAULT_COUPLING):
    r"""Exact ground-state energy of the spin-:math:`s` sector, :math:`\mathcal E_s(h,d) - \langle F|H|F\rangle`.

    The sector :math:`\sum s_z = s` of the Hamiltonian of eq. 1 of seed 000
    splits into blocked configurations; its ground state blocks the
    :math:`2|s|` levels nearest the Fermi level (spins parallel), and the
    remaining levels carry a pairing problem of hard-core bosons with
    :math:`g = G = \lambda d`, solved exactly by
    :func:`pairing_lib.richardson.ground_state_energy`:

    .. math::

        \mathcal E_s(h,d) = \sum_{j\in B}\varepsilon_j - 2hs
        + E_{\rm R}\bigl(\{\varepsilon_j\}_{j\notin B}, G, M\bigr) ,
        \qquad M = (N - 2|s|)/2 .

    This is the exact counterpart of :func:`variational_energy`, on the
    same window of levels.

    Parameters
    ----------
    s : float or array_like
        Spin(s): integer (even grain) or half-integer (odd grain).
    d : float or array_like
        Level spacing (> 0). The window holds about :math:`e^{1/\lambda}/d`
        levels; the cost grows quickly for small ``d``.
    h : float or array_like
        Zeeman energy.
    coupling : float
        :math:`\lambda`.

    Returns
    -------
    float or numpy.ndarray

    Raises
    ------
    ValueError
        As in :func:`variational_energy`.
    RuntimeError
        If the Richardson solver cannot certify its solution.

    References
    ----------
    Richardson (1963); Braun and von Delft, Phys. Rev. Lett. 81, 4712 (1998);
    seed 000 for the model. Chapter 2, "Beyond the paper".
    """
    lam = _check_coupling(coupling)
    two = _twice_spin(s)
    dv = _check_d(d)
    hv = _check_h(h)
    two_b, d_b, h_b = np.broadcast_arrays(two, dv, hv)
    _sector_geometry(two_b, d_b, lam)
    out = np.empty(two_b.shape)
    for idx in np.ndindex(two_b.shape):
        t = abs(int(two_b[idx]))
        out[idx] = _exact_config(central_block(t / 2.0), float(d_b[idx]), t % 2, lam)
    out = out - 2.0 * h_b * (two_b / 2.0)
    return _scalar_out(out, s, d, h)


def correlation_energy(s, d, coupling=DEFAULT_COUPLING, *, method="variational",
                       self_consistent=True):
    r"""Correlation energy of the spin-:math:`s` ground state, :math:`E_s - {}_0\langle s|H|s\rangle_0`.

    The energy gained relative to the uncorrelated state :math:`|s\rangle_0`
    (:func:`normal_energy`); it does not depend on :math:`h`. In the
    variational approach it vanishes once :math:`\Delta_s = 0`; the exact
    correlation energy never does.

    Parameters
    ----------
    s : float or array_like
        Spin(s): integer (even grain) or half-integer (odd grain).
    d : float or array_like
        Level spacing (> 0).
    coupling : float
        :math:`\lambda`.
    method : {"variational", "exact"}
    self_consistent : bool
        Variational method only.

    Returns
    -------
    float or numpy.ndarray
        :math:`\le 0`, in units of :math:`\Delta_0`.

    Raises
    ------
    ValueError
        Bad input.

    References
    ----------
    Seed 000, Fig. 1b ("correlation energy"); Braun and von Delft (1998).
    Chapter 2.
    """
    lam = _check_coupling(coupling)
    _check_method(method)
    if method == "variational":
        e = variational_energy(s, d, 0.0, lam, self_consistent=self_consistent)
    else:
        e = exact_energy(s, d, 0.0, lam)
    return _scalar_out(np.asarray(e) - np.asarray(normal_energy(s, d, 0.0, lam)), s, d)


def _sector_energy0(two, d, lam, method, sc, v4_term="derived"):
    """Energies at h = 0 of the sectors 2s = two (arrays broadcast)."""
    if method == "variational":
        return variational_energy(np.asarray(two) / 2.0, d, 0.0, lam, self_consistent=sc,
                                  v4_term=v4_term)
    return exact_energy(np.asarray(two) / 2.0, d, 0.0, lam)


def sector_energies(d, parity, n_sectors, coupling=DEFAULT_COUPLING, *,
                    method="variational", self_consistent=True):
    r"""Zero-field energies :math:`E_s(0,d)` of the lowest spin sectors of one parity.

    Parameters
    ----------
    d : float
        Level spacing (> 0).
    parity : {0, 1}
        :math:`p`.
    n_sectors : int
        How many sectors: :math:`s = p/2, p/2 + 1, \dots` (>= 1).
    coupling : float
        :math:`\lambda`.
    method : {"variational", "exact"}
        :func:`variational_energy` or :func:`exact_energy`.
    self_consistent : bool
        Variational method only.

    Returns
    -------
    spins : numpy.ndarray
    energies : numpy.ndarray
        :math:`E_s(0,d) - \langle F|H|F\rangle`; at field :math:`h` add
        :math:`-2hs`.

    Raises
    ------
    ValueError
        Bad input.

    References
    ----------
    Seed 000, eqs. 3-4. Chapter 2 (level-crossing explorer).
    """
    p = _check_parity(parity)
    lam = _check_coupling(coupling)
    _check_method(method)
    if isinstance(n_sectors, bool) or not isinstance(n_sectors, numbers.Integral) \
            or n_sectors < 1:
        raise ValueError(f"n_sectors must be an integer >= 1, got {n_sectors!r}")
    dv = float(_check_d(d))
    spins = p / 2.0 + np.arange(n_sectors)
    e = _sector_energy0(np.rint(2 * spins).astype(np.int64), dv, lam, method, self_consistent)
    return spins, np.asarray(e, dtype=float)


# ---------------------------------------------------------------------------
# critical fields
# ---------------------------------------------------------------------------

def critical_field(s, s_new, d, coupling=DEFAULT_COUPLING, *, method="variational",
                   self_consistent=True, v4_term="derived"):
    r"""Field :math:`h_{s,s'}(d)` at which :math:`E_{s'}` drops below :math:`E_s` (eq. 4 of seed 000).

    .. math::

        h_{s,s'}(d) = \frac{E_{s'}(0,d) - E_s(0,d)}{2s' - 2s} .

    Parameters
    ----------
    s, s_new : float
        Spins (integers or half-integers) of the same parity, ``s_new != s``.
    d : float or array_like
        Level spacing(s) (> 0).
    coupling : float
        :math:`\lambda`.
    method : {"variational", "exact"}
        Energies from :func:`variational_energy` or :func:`exact_energy`.
    self_consistent : bool
        Variational method only (see :func:`pairing_parameter`).
    v4_term : {"derived", "printed", "dropped"}
        The :math:`v^4` term of eq. 3: as derived (:math:`-G\sum' v^4`,
        default), as printed in the paper (:math:`+`), or left out -- the last
        two only with ``self_consistent=False``, to compare with the paper. Variational
        method only.

    Returns
    -------
    float or numpy.ndarray
        :math:`h_{s,s'}/\Delta_0`.

    Raises
    ------
    ValueError
        Spins of different parity, ``s_new == s``, or bad ``d``/``coupling``.

    References
    ----------
    Seed 000, eq. 4 and Fig. 2. Chapter 2.
    """
    lam = _check_coupling(coupling)
    _check_method(method)
    t1 = _twice_spin(s, "s")
    t2 = _twice_spin(s_new, "s_new")
    if np.any(np.abs(t1) % 2 != np.abs(t2) % 2):
        raise ValueError(
            f"s and s_new must have the same parity (both integer or both half-integer), "
            f"got s = {s!r}, s_new = {s_new!r}")
    if np.any(t1 == t2):
        raise ValueError(f"s_new must differ from s, got s = s_new = {s!r}")
    dv = _check_d(d)
    _v4_coefficient(v4_term, self_consistent and method == "variational")
    e1 = _sector_energy0(t1, dv, lam, method, self_consistent, v4_term)
    e2 = _sector_energy0(t2, dv, lam, method, self_consistent, v4_term)
    out = (np.asarray(e2) - np.asarray(e1)) / ((t2 - t1).astype(float))
    return _scalar_out(out, s, s_new, d)


def _pairing_limit(dv, p, lam, sc):
    """J_c per d: the smallest J = |s| - p/2 whose sector has no correlated solution."""
    dv = np.asarray(dv, dtype=float)
    half = _half_window(dv, p, lam)
    kmax = half - 1 if p == 0 else half
    k0 = 0 if p == 0 else 1
    a = 0.5 if p == 0 else 0.0
    lo = np.full(dv.shape, -1, dtype=np.int64)          # residual > 0 (formally)
    hi = kmax - k0 + 1                                   # empty ladder: residual -1
    while np.any(hi - lo > 1):
        mid = (lo + hi) // 2
        r = _zero_gap_residual(dv, a, k0 + mid, kmax, lam, sc)
        hi = np.where((hi - lo > 1) & (r <= 0), mid, hi)
        lo = np.where((hi - lo > 1) & (r > 0), mid, lo)
    return hi


def _first_transition_variational(dv, p, lam, sc, c4=-1.0):
    dv = np.asarray(dv, dtype=float).ravel()
    jc = _pairing_limit(dv, p, lam, sc)
    # paired sectors J = 0 .. jc-1 (and always J = 0), solved in one batch
    reps = np.maximum(jc, 1)
    d_rep = np.repeat(dv, reps)
    J_rep = np.concatenate([np.arange(r) for r in reps])
    two_rep = 2 * J_rep + p
    _, ecorr = _sector_solve(two_rep, d_rep, lam, sc, c4)
    starts = np.cumsum(reps) - reps
    h_bar = np.empty(dv.size)
    s_bar = np.empty(dv.size)
    for i, di in enumerate(dv):
        ec = ecorr[starts[i]:starts[i] + reps[i]]
        c = -ec[0]
        best_h, best_J = np.inf, 0
        for J in range(1, reps[i]):        # correlated sectors
            hJ = ((J * J + p * J) * di - c4 * lam * di * J + ec[J] - ec[0]) / (2.0 * J)
            if hJ < best_h - 1e-14:
                best_h, best_J = hJ, J
        jstar = math.sqrt(c / di)
        for J in {max(int(jc[i]), 1, int(math.floor(jstar))),
                  max(int(jc[i]), 1, int(math.ceil(jstar)))}:
            hJ = (J + p) * di / 2.0 - c4 * lam * di / 2.0 + c / (2.0 * J)
            if hJ < best_h - 1e-14 or (abs(hJ - best_h) <= 1e-14 and J < best_J):
                best_h, best_J = hJ, J
        h_bar[i] = best_h
        s_bar[i] = best_J + p / 2.0
    _sector_geometry(np.rint(2 * s_bar).astype(np.int64), dv, lam)   # s_bar must fit the window
    return h_bar, s_bar


def _first_transition_exact(dv, p, lam):
    """Exact (h_bar, s_bar) per d; see :func:`exact_first_transition` for the search."""
    dv = np.asarray(dv, dtype=float).ravel()
    h_bar = np.empty(dv.size)
    s_bar = np.empty(dv.size)
    for i, di in enumerate(dv):
        J_last = int(_half_window(di, p, lam)) - 1      # largest J = |s| - p/2 that fits
        if J_last < 1:
            raise ValueError(
                f"d = {di!r}: the window |eps| <= omega_D = {cutoff(lam):.4g} holds no spin "
                f"sector above s = {p / 2:g}; d must be smaller")
        # the uncorrelated energy of s = p/2 is zero: its exact energy is C_0
        corr0 = float(exact_energy(p / 2.0, di, 0.0, lam))
        best_h, best_J = np.inf, 0
        for J in range(1, J_last + 1):
            e_J = float(exact_energy(J + p / 2.0, di, 0.0, lam))
            h_J = (e_J - corr0) / (2.0 * J)
            if h_J < best_h - 1e-12:                     # ties go to the smaller spin
                best_h, best_J = h_J, J
            if J == J_last:
                break
            # every later sector J' > J has corr_J' >= corr_J (theorem), hence
            # h_J' >= (J' + p) d/2 + lam d/2 + c/(2J'), c = corr_J - corr_0 >= 0
            c = max(e_J - float(normal_energy(J + p / 2.0, di, 0.0, lam)) - corr0, 0.0)
            j_star = math.sqrt(c / di)
            cands = {min(max(J + 1, int(math.floor(j_star))), J_last),
                     min(max(J + 1, int(math.ceil(j_star))), J_last)}
            lower = min((Jp + p) * di / 2.0 + lam * di / 2.0 + c / (2.0 * Jp) for Jp in cands)
            if lower >= best_h:
                break
        h_bar[i] = best_h
        s_bar[i] = best_J + p / 2.0
    return h_bar, s_bar


def uncorrelated_critical_field(s, s_new, d, coupling=DEFAULT_COUPLING):
    r"""Critical field :math:`h^{(0)}_{s,s'}(d)` between the uncorrelated states :math:`|s\rangle_0` and :math:`|s'\rangle_0`.

    Eq. 4 of seed 000 with the energies of :func:`normal_energy`:

    .. math::

        h^{(0)}_{s,s'} = \frac{{}_0\langle s'|H|s'\rangle_0 - {}_0\langle s|H|s\rangle_0}{2s' - 2s}
        = \frac{s + s'}{2}\,d + \frac{G}{2}
        \quad (0 \le s < s'\ \text{of the same parity}).

    It is the critical field of a grain without pair correlations, and the
    variational :func:`critical_field` when :math:`\Delta_s = \Delta_{s'} = 0`.

    **It bounds the exact critical field from below**: for
    :math:`0 \le s < s'`, :math:`h^{\rm exact}_{s,s'} \ge h^{(0)}_{s,s'}`.
    Proof: write :math:`\mathcal E_s = {}_0\langle s|H|s\rangle_0 + C_s`
    with the exact correlation energy :math:`C_s \le 0`. Take the exact
    ground state of sector :math:`s'` and put pairs on the levels that
    sector :math:`s'` blocks but sector :math:`s` fills (the lower half of
    the extra blocked levels), leaving the upper half empty. This is a
    state of sector :math:`s` (same electron number) in which every pair
    hop into or out of the added levels has zero expectation value (it
    leads to an orthogonal state), so its energy is
    :math:`{}_0\langle s|H|s\rangle_0 + C_{s'}`, and the variational
    principle gives :math:`C_s \le C_{s'}`: blocking more levels never gains
    correlation energy. Then :math:`h_{s,s'} = h^{(0)}_{s,s'} + (C_{s'} -
    C_s)/(2s' - 2s) \ge h^{(0)}_{s,s'}`.

    Parameters
    ----------
    s, s_new : float or array_like
        Spins of the same parity (integers or half-integers), ``s_new != s``.
    d : float or array_like
        Level spacing(s) (> 0).
    coupling : float
        :math:`\lambda`.

    Returns
    -------
    float or numpy.ndarray
        :math:`h^{(0)}_{s,s'}/\Delta_0`.

    Raises
    ------
    ValueError
        Spins of different parity, ``s_new == s``, sectors that do not fit
        the window, or bad ``d``/``coupling``.

    References
    ----------
    Seed 000, eq. 4 and Fig. 1b (uncorrelated energies). Chapter 2, "Beyond
    the paper" (the floor of the exact critical fields).

    Examples
    --------
    >>> h = uncorrelated_critical_field(0, 1, 1.0)
    >>> bool(abs(h - (1 + DEFAULT_COUPLING) / 2) < 1e-12)
    True
    """
    lam = _check_coupling(coupling)
    t1 = _twice_spin(s, "s")
    t2 = _twice_spin(s_new, "s_new")
    if np.any(np.abs(t1) % 2 != np.abs(t2) % 2):
        raise ValueError(
            f"s and s_new must have the same parity (both integer or both half-integer), "
            f"got s = {s!r}, s_new = {s_new!r}")
    if np.any(t1 == t2):
        raise ValueError(f"s_new must differ from s, got s = s_new = {s!r}")
    dv = _check_d(d)
    e1 = normal_energy(t1 / 2.0, dv, 0.0, lam)
    e2 = normal_energy(t2 / 2.0, dv, 0.0, lam)
    out = (np.asarray(e2) - np.asarray(e1)) / ((t2 - t1).astype(float))
    return _scalar_out(out, s, s_new, d)


def exact_first_transition(d, parity, coupling=DEFAULT_COUPLING):
    r"""Exact first ground-state change in a rising field: :math:`(\bar h(d),\ \bar s(d))`.

    The exact counterpart of :func:`first_transition`: the lower envelope
    :math:`\bar h = \min_{s'} h_{p/2,s'}` of the critical fields (eq. 4 of
    seed 000) built from the exact sector energies of :func:`exact_energy`
    (Richardson's solution of the same Hamiltonian on the same window), and
    the spin :math:`\bar s` of the sector that realises it (ties go to the
    smaller spin).

    Only finitely many sectors need to be solved. Write the exact energy of
    sector :math:`s = p/2 + J` as its uncorrelated energy plus a correlation
    energy :math:`C_J \le 0`; blocking more levels never gains correlation
    energy, :math:`C_{J'} \ge C_J` for :math:`J' > J` (proof in
    :func:`uncorrelated_critical_field`). Hence after sector :math:`J`, every
    later sector obeys

    .. math::

        h_{p/2,p/2+J'} \ge \frac{(J' + p)\,d}{2} + \frac{G}{2}
        + \frac{C_J - C_0}{2J'} ,

    a convex function of :math:`J'`; the search stops as soon as its minimum
    over :math:`J' > J` is not below the best field found. The result is the
    exact minimum over all sectors that fit the window, not an estimate.

    Two rigorous consequences (both tested): :math:`\bar h \ge (1 + p)d/2 +
    G/2`, the uncorrelated :math:`h^{(0)}_{p/2,p/2+1}`; and where the
    variational zero-field state is uncorrelated (:math:`d` above
    :func:`critical_spacing` of :math:`s = p/2`) the exact :math:`\bar h` is
    not below the variational one.

    Parameters
    ----------
    d : float or array_like
        Level spacing(s) (> 0). The window holds about :math:`e^{1/\lambda}/d`
        levels; at the default coupling ``d = 0.2`` (434 levels) takes a few
        tenths of a second per parity (the sector energies are cached).
    parity : {0, 1}
        :math:`p`.
    coupling : float
        :math:`\lambda`.

    Returns
    -------
    h_bar : float or numpy.ndarray
        :math:`\bar h/\Delta_0`.
    s_bar : float or numpy.ndarray
        :math:`\bar s`.

    Raises
    ------
    ValueError
        Bad ``d``, ``parity`` or ``coupling``, or a window too small to hold a
        sector with :math:`s > p/2`.
    RuntimeError
        If the Richardson solver cannot certify a sector energy.

    References
    ----------
    Seed 000, eq. 4 and Fig. 2 (variational version); Richardson (1963);
    Braun and von Delft (1998, 1999) for the exact treatment of grains.
    Chapter 2, "Beyond the paper".

    Examples
    --------
    >>> h, s = exact_first_transition(1.0, 0)
    >>> s, bool(h > uncorrelated_critical_field(0, 1, 1.0))
    (1.0, True)
    """
    lam = _check_coupling(coupling)
    p = _check_parity(parity)
    dv = _check_d(d)
    hb, sb = _first_transition_exact(dv, p, lam)
    if np.ndim(d) == 0:
        return float(hb[0]), float(sb[0])
    return hb.reshape(dv.shape), sb.reshape(dv.shape)


def first_transition(d, parity, coupling=DEFAULT_COUPLING, *, method="variational",
                     self_consistent=True, v4_term="derived"):
    r"""First ground-state change in a rising field: :math:`(\bar h_{p/2,\bar s}(d),\ \bar s(d))`.

    The lower envelope :math:`\bar h = \min_{s'} h_{p/2,s'}` of the critical
    fields from the zero-field ground state :math:`|p/2\rangle` (Fig. 2 of
    seed 000) and the spin :math:`\bar s` of the new ground state. For
    :math:`d \to 0` it tends to Clogston's :math:`\Delta_0/\sqrt2` with a
    macroscopic :math:`\bar s \approx \Delta_0/(\sqrt2 d)`.

    All sectors are compared: the correlated ones explicitly, the
    uncorrelated ones (:math:`\Delta_{s'} = 0`, where
    :math:`h_{p/2,s'}` is convex in :math:`s'`) through their closed-form
    energies; ties go to the smaller spin.

    Parameters
    ----------
    d : float or array_like
        Level spacing(s) (> 0).
    parity : {0, 1}
        :math:`p`.
    coupling : float
        :math:`\lambda`.
    method : {"variational", "exact"}
        Which energies; ``"exact"`` is :func:`exact_first_transition`.
    self_consistent : bool
        Variational method only.
    v4_term : {"derived", "printed", "dropped"}
        The :math:`v^4` term of eq. 3: as derived (:math:`-G\sum' v^4`,
        default), as printed in the paper (:math:`+`), or left out -- the last
        two only with ``self_consistent=False``, to compare with the paper. Variational
        method only.

    Returns
    -------
    h_bar : float or numpy.ndarray
        :math:`\bar h/\Delta_0`.
    s_bar : float or numpy.ndarray
        :math:`\bar s`.

    Raises
    ------
    ValueError
        Bad ``d``, ``parity``, ``coupling`` or ``method``.

    References
    ----------
    Seed 000, eq. 4, Fig. 2 and the text that follows; Clogston (1962),
    Chandrasekhar (1962). Chapter 2.
    """
    lam = _check_coupling(coupling)
    p = _check_parity(parity)
    _check_method(method)
    dv = _check_d(d)
    if method == "variational":
        c4 = _v4_coefficient(v4_term, self_consistent)
        hb, sb = _first_transition_variational(dv, p, lam, bool(self_consistent), c4)
    else:
        hb, sb = _first_transition_exact(dv, p, lam)
    if np.ndim(d) == 0:
        return float(hb[0]), float(sb[0])
    return hb.reshape(dv.shape), sb.reshape(dv.shape)


def _sectors_for_fields(dv, p, lam, h_max, method, sc):
    """Spins and zero-field energies of every sector that can be a ground state for h <= h_max."""
    # an uncorrelated sector s beats s+1 as long as h < (2s+1+p... ) -- bound below
    J_top = int(math.ceil(max(h_max, 0.0) / dv)) + 2
    half = int(_half_window(dv, p, lam))
    J_top = min(J_top, half - 1)
    spins, energies = sector_energies(dv, p, J_top + 1, lam, method=method,
                                      self_consistent=sc)
    return spins, energies


def ground_state_spin(d, h, parity, coupling=DEFAULT_COUPLING, *, method="variational",
                      self_consistent=True):
    r"""Spin of the ground state of a grain at Zeeman energy :math:`h`.

    :math:`s_{\rm GS}(h) = \arg\min_s [E_s(0,d) - 2hs]` over the sectors of
    the given parity (:math:`s \ge 0` for :math:`h \ge 0`). The result is a
    staircase whose steps are the critical fields of eq. 4 of seed 000.

    Parameters
    ----------
    d : float
        Level spacing (> 0).
    h : float or array_like
        Zeeman energies, >= 0.
    parity : {0, 1}
        :math:`p`.
    coupling : float
        :math:`\lambda`.
    method : {"variational", "exact"}
    self_consistent : bool

    Returns
    -------
    float or numpy.ndarray
        :math:`s_{\rm GS}` for each ``h``.

    Raises
    ------
    ValueError
        Bad input or ``h < 0``.

    References
    ----------
    Seed 000, Fig. 2 and the discussion of regimes. Chapter 2 (explorer (a)).
    """
    lam = _check_coupling(coupling)
    p = _check_parity(parity)
    _check_method(method)
    dv = float(_check_d(d))
    hv = _check_h(h)
    if np.any(hv < 0):
        raise ValueError(f"h must be >= 0, got {hv.min()!r}")
    spins, e0 = _sectors_for_fields(dv, p, lam, float(np.max(hv)), method, self_consistent)
    tot = e0[None, :] - 2.0 * np.atleast_1d(hv).ravel()[:, None] * spins[None, :]
    out = spins[np.argmin(tot, axis=1)].reshape(np.shape(hv))
    return _scalar_out(out, h)


def e_to_o_jump(d, coupling=DEFAULT_COUPLING, *, method="variational", self_consistent=True):
    r"""Drop of the lowest even-to-odd tunnelling line at the first even transition.

    Below :math:`\bar h = \bar h_{0,\bar s}` (even grain, :func:`first_transition`)
    the lowest e :math:`\to` o line is :math:`E^{o}_{1/2}(h) - E^{e}_0(h)`;
    above it the initial state is :math:`|\bar s\rangle` and the selection
    rule :math:`s_f = \bar s \pm 1/2` gives
    :math:`\min_\pm E^o_{\bar s\pm1/2}(h) - E^e_{\bar s}(h)`. Since
    :math:`E^e_{\bar s}(\bar h) = E^e_0(\bar h)`, the line drops by

    .. math::

        \delta(d) = E^o_{1/2}(\bar h) - \min_\pm E^o_{\bar s\pm 1/2}(\bar h) ,

    which is zero in regime I (:math:`\bar s = 1` and
    :math:`h_{0,1} < h_{1/2,3/2}`, a kink only) and tends to the thin-film
    value :math:`\Delta_0(1 - 1/\sqrt2)` for :math:`d\to0`. A negative
    value would mean the line jumps up.

    Parameters
    ----------
    d : float or array_like
        Level spacing(s) (> 0).
    coupling : float
        :math:`\lambda`.
    method : {"variational", "exact"}
    self_consistent : bool

    Returns
    -------
    float or numpy.ndarray
        :math:`\delta/\Delta_0`.

    Raises
    ------
    ValueError
        Bad input.

    References
    ----------
    Seed 000, lower curve of Fig. 2 and the discussion of Fig. 3. Chapter 2.
    """
    lam = _check_coupling(coupling)
    _check_method(method)
    dv = _check_d(d)
    hb, sb = first_transition(dv, 0, lam, method=method, self_consistent=self_consistent)
    hb = np.asarray(hb, dtype=float)
    sb = np.asarray(sb, dtype=float)

    def e_odd(spin):
        if method == "variational":
            return variational_energy(spin, dv, hb, lam, self_consistent=self_consistent)
        return exact_energy(spin, dv, hb, lam)

    before = e_odd(np.full(sb.shape, 0.5))
    after = np.minimum(e_odd(sb - 0.5), e_odd(sb + 0.5))
    return _scalar_out(np.asarray(before) - np.asarray(after), d)


def regime(d, coupling=DEFAULT_COUPLING, *, method="variational", self_consistent=True):
    r"""Regime of Fig. 2 of seed 000: the order of the first even and odd ground-state changes.

    Seed 000 defines regime I by the order in which the ground states change
    with rising field: first the even grain, :math:`|0\rangle\to|1\rangle`, then
    the odd one, :math:`|1/2\rangle\to|3/2\rangle`. Then the lowest
    e :math:`\to` o line evolves without a jump (:func:`e_to_o_jump` is 0). We
    number the following regimes, towards smaller :math:`d`, by the new spins
    :math:`(\bar s_e, \bar s_o)` of the first even and odd transitions and by
    which parity changes first:

    .. math::

        r = \bar s_e + \bar s_o - \tfrac32 + [\bar h_o < \bar h_e] ,

    so that I = (1, 3/2, even first), II = (1, 3/2, odd first),
    III = (2, 3/2), IV = (2, 5/2), V = (3, 5/2), ... (below regime II the odd
    grain always changes first). The paper draws the regimes without stating
    their numbering; this is our reading of it. Near a boundary the steps of
    the cut-off window can make the regime flicker.

    Parameters
    ----------
    d : float or array_like
        Level spacing(s) (> 0).
    coupling : float
    method : {"variational", "exact"}
    self_consistent : bool

    Returns
    -------
    int or numpy.ndarray of int

    Raises
    ------
    ValueError
        Bad input.

    References
    ----------
    Seed 000, Fig. 2 and the discussion of Fig. 3. Chapter 2.
    """
    he, se = first_transition(d, 0, coupling, method=method, self_consistent=self_consistent)
    ho, so = first_transition(d, 1, coupling, method=method, self_consistent=self_consistent)
    odd_first = (np.asarray(ho) < np.asarray(he)).astype(float)
    out = np.rint(np.asarray(se) + np.asarray(so) - 1.5 + odd_first).astype(np.int64)
    return int(out) if np.ndim(d) == 0 else out


# ---------------------------------------------------------------------------
# configurations and tunnelling spectra
# ---------------------------------------------------------------------------

def _check_blocked(blocked, d, parity, lam):
    try:
        b = tuple(sorted(int(j) for j in blocked))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"blocked must be a sequence of integer level labels, got {blocked!r}") from exc
    if len(set(b)) != len(b):
        raise ValueError(f"blocked labels must be distinct, got {blocked!r}")
    if any(not float(j).is_integer() for j in blocked):
        raise ValueError(f"blocked must hold integer labels, got {blocked!r}")
    if len(b) % 2 != parity:
        raise ValueError(
            f"an {'odd' if parity else 'even'} grain needs an {'odd' if parity else 'even'} "
            f"number of singly occupied levels, got {len(b)} in blocked = {b}")
    labels, _ = levels(d, parity, lam)
    if b and (b[0] < labels[0] or b[-1] > labels[-1]):
        raise ValueError(
            f"blocked labels must lie in the window [{labels[0]}, {labels[-1]}] at d = {d!r}, "
            f"got {b}")
    if len(b) >= labels.size:
        raise ValueError(f"blocked = {b} leaves no level for pairs at d = {d!r}")
    return b


@lru_cache(maxsize=8192)
def _variational_config(blocked: tuple, d: float, parity: int, lam: float, sc: bool) -> float:
    if blocked == central_block(len(blocked) / 2.0):
        return float(variational_energy(len(blocked) / 2.0, d, 0.0, lam, self_consistent=sc))
    free, n_pairs, beps = _pair_problem(blocked, d, parity, lam)
    sol = solve_bcs(free, lam * d, n_pairs, self_consistent=sc)
    return float(beps.sum() + sol.energy - fermi_sea_energy(d, parity, lam))


def configuration_energy(blocked, d, parity, coupling=DEFAULT_COUPLING, *,
                         method="variational", self_consistent=True) -> float:
    r"""Zero-field energy of the lowest state with a given set of singly occupied levels.

    A configuration is the set :math:`B` of blocked level labels (each holds
    one electron; spins only add :math:`-2hs_z`). Its energy is
    :math:`\sum_{j\in B}\varepsilon_j` plus the pairing energy of the other
    levels with :math:`M = (N - |B|)/2` pairs -- variational
    (:func:`solve_bcs`, with the chemical potential re-fixed so that
    :math:`\langle N\rangle = N` also for non-symmetric :math:`B`) or exact
    (Richardson). The central blocks are the sector ground states; other
    :math:`B` give the excited states :math:`|s,n\rangle` of seed 000.

    Parameters
    ----------
    blocked : sequence of int
        Labels :math:`j` (see :func:`levels`); :math:`|B| \equiv p \pmod 2`.
    d : float
        Level spacing (> 0).
    parity : {0, 1}
        :math:`p`.
    coupling : float
        :math:`\lambda`.
    method : {"variational", "exact"}
    self_consistent : bool
        Variational method only.

    Returns
    -------
    float
        :math:`E_B(0,d) - \langle F|H|F\rangle`.

    Raises
    ------
    ValueError
        Labels outside the window, repeated, of the wrong parity, or bad input.

    References
    ----------
    Seed 000, "Tunneling spectra" (excited states :math:`|s,n\rangle`). Chapter 2.
    """
    lam = _check_coupling(coupling)
    p = _check_parity(parity)
    _check_method(method)
    dv = float(_check_d(d))
    b = _check_blocked(blocked, dv, p, lam)
    if method == "exact":
        return _exact_config(b, dv, p, lam)
    return _variational_config(b, dv, p, lam, bool(self_consistent))


@dataclass(frozen=True)
class TunnellingLine:
    r"""One line of a tunnelling spectrum on the field interval where its initial state is the ground state.

    The line is :math:`\varepsilon(h) = ` ``energy0`` + ``slope`` :math:`\cdot h`
    for ``h_lo`` <= h <= ``h_hi``; ``slope`` is :math:`\pm1`.

    Attributes
    ----------
    h_lo, h_hi : float
        Field interval.
    energy0 : float
        Value of the line extrapolated to :math:`h = 0`.
    slope : float
        :math:`-2(s_f - s_i) = \mp 1`.
    s_initial, s_final : float
        :math:`s_z` of the initial (ground) and final states.
    blocked_initial, blocked_final : tuple of int
        Singly occupied levels of the two states.
    """

    h_lo: float
    h_hi: float
    energy0: float
    slope: float
    s_initial: float
    s_final: float
    blocked_initial: tuple
    blocked_final: tuple

    def energy(self, h):
        """Line energy at ``h`` (no check that ``h`` lies in the interval)."""
        return self.energy0 + self.slope * np.asarray(h, dtype=float)

    @property
    def label(self) -> str:
        """Readable transition label, e.g. ``'0 → 1/2'``."""
        def fmt(x):
            two = int(round(2 * x))
            return f"{two // 2}" if two % 2 == 0 else f"{two}/2"
        return f"{fmt(self.s_initial)} → {fmt(self.s_final)}"


def _gs_intervals(spins, e0, h_max):
    """Lower envelope of E_s(0) - 2 h s on [0, h_max]: list of (h_lo, h_hi, index)."""
    out = []
    h = 0.0
    cur = int(np.argmin(e0 - 2.0 * h * spins + 1e-12 * spins))
    while True:
        best_h, nxt = h_max, None
        for k in range(spins.size):
            if spins[k] > spins[cur]:
                hc = (e0[k] - e0[cur]) / (2.0 * (spins[k] - spins[cur]))
                if hc < best_h - 1e-13 or (nxt is not None and abs(hc - best_h) <= 1e-13
                                          and spins[k] > spins[nxt]):
                    if hc >= h - 1e-13:
                        best_h, nxt = max(hc, h), k
        out.append((h, best_h, cur))
        if nxt is None or best_h >= h_max:
            break
        h, cur = best_h, nxt
    return out


def tunnelling_lines(d, initial_parity, h_max=1.2, coupling=DEFAULT_COUPLING, *,
                     method="variational", self_consistent=True, window=3,
                     relative=True):
    r"""Tunnelling spectrum of a grain versus Zeeman energy (Fig. 3 of seed 000).

    A line is the energy :math:`E^{N}_f(h) - E^{N\pm1}_i(h)` of a tunnelling
    transition from the ground state :math:`|i\rangle` of the grain with
    parity ``initial_parity`` (at that field) to a state :math:`|f\rangle` of
    the other parity. Adding or removing one electron changes the occupancy
    of one level only, so the final set of singly occupied levels differs
    from the initial one by one level :math:`j`, and
    :math:`s_f - s_i = \pm1/2` (slopes :math:`\mp1`). We keep every such
    :math:`j` within ``window`` levels of the initial blocked levels. When the
    initial ground state changes at a critical field, every line changes:
    kinks where the new lines connect, jumps where they do not.

    Parameters
    ----------
    d : float
        Level spacing (> 0).
    initial_parity : {0, 1}
        Parity of the initial grain: 0 gives the e :math:`\to` o spectrum,
        1 the o :math:`\to` e spectrum.
    h_max : float
        Largest field (> 0).
    coupling : float
        :math:`\lambda`.
    method : {"variational", "exact"}
    self_consistent : bool
        Variational method only.
    window : int
        How many levels beyond the initial blocked ones are considered (>= 1).
    relative : bool
        Measure energies from the lowest line at :math:`h = 0` (only line
        spacings are physical: the gate voltage shifts all lines together).

    Returns
    -------
    list of TunnellingLine
        Sorted by initial interval, then by energy at its start.

    Raises
    ------
    ValueError
        Bad input.

    References
    ----------
    Seed 000, "Tunneling spectra" and Fig. 3; Ralph, Black and Tinkham (1997)
    for the measured spectra. Chapter 2.
    """
    lam = _check_coupling(coupling)
    pi = _check_parity(initial_parity)
    _check_method(method)
    dv = float(_check_d(d))
    hm = float(_check_h(h_max))
    if hm <= 0:
        raise ValueError(f"h_max must be > 0, got {h_max!r}")
    if isinstance(window, bool) or not isinstance(window, numbers.Integral) or window < 1:
        raise ValueError(f"window must be an integer >= 1, got {window!r}")
    pf = 1 - pi
    spins, e0 = _sectors_for_fields(dv, pi, lam, hm, method, self_consistent)
    labels_f, _ = levels(dv, pf, lam)
    lines = []
    for h_lo, h_hi, idx in _gs_intervals(spins, e0, hm):
        s_i = float(spins[idx])
        b_i = central_block(s_i)
        e_i = float(e0[idx])
        lo = (b_i[0] if b_i else 0) - window
        hi = (b_i[-1] if b_i else -1) + window
        for j in range(lo, hi + 1):
            if j < labels_f[0] or j > labels_f[-1]:
                continue
            if j in b_i:
                b_f = tuple(x for x in b_i if x != j)
                finals = [s_i - 0.5]            # an up spin leaves
            else:
                b_f = tuple(sorted(b_i + (j,)))
                finals = [s_i + 0.5, s_i - 0.5]
            e_f = configuration_energy(b_f, dv, pf, lam, method=method,
                                       self_consistent=self_consistent)
            for s_f in finals:
                slope = -2.0 * (s_f - s_i)
                lines.append(TunnellingLine(h_lo, h_hi, e_f - e_i, slope, s_i, s_f, b_i, b_f))
    if relative:
        first = [ln for ln in lines if ln.h_lo == 0.0]
        ref = min(ln.energy0 for ln in first)
        lines = [TunnellingLine(ln.h_lo, ln.h_hi, ln.energy0 - ref, ln.slope, ln.s_initial,
                                ln.s_final, ln.blocked_initial, ln.blocked_final)
                 for ln in lines]
    lines.sort(key=lambda ln: (ln.h_lo, float(ln.energy(ln.h_lo))))
    return lines


def lowest_line(lines, h):
    r"""Energy of the lowest tunnelling line at each field ``h``.

    Parameters
    ----------
    lines : sequence of TunnellingLine
        Output of :func:`tunnelling_lines`.
    h : float or array_like
        Fields inside the range of ``lines``.

    Returns
    -------
    float or numpy.ndarray

    Raises
    ------
    ValueError
        If ``lines`` is empty or some ``h`` lies outside every interval.

    References
    ----------
    Seed 000, Fig. 3 (the measured tunnelling threshold). Chapter 2.
    """
    if len(lines) == 0:
        raise ValueError("lines must not be empty")
    hv = np.atleast_1d(_check_h(h)).astype(float)
    out = np.full(hv.shape, np.inf)
    for ln in lines:
        inside = (hv >= ln.h_lo) & (hv <= ln.h_hi)
        # half-open intervals: at a critical field the new ground state counts
        if ln.h_hi < max(l.h_hi for l in lines):
            inside &= hv < ln.h_hi
        out = np.where(inside, np.minimum(out, ln.energy(hv)), out)
    if not np.all(np.isfinite(out)):
        raise ValueError(f"h outside the field range of lines: {hv[~np.isfinite(out)][0]!r}")
    return _scalar_out(out, h)


# ---------------------------------------------------------------------------
# eq. 5: non-time-reversed pairing
# ---------------------------------------------------------------------------

def non_time_reversed_energy(s, d, h=0.0, coupling=DEFAULT_COUPLING, *,
                             self_consistent=True):
    r"""Energy of the non-time-reversed pairing state :math:`|s\rangle'` of eq. 5 of seed 000.

    Suppose the interaction also scattered pairs :math:`(j+2s,+;\,j,-)` with
    the same strength :math:`G` (channel :math:`\delta j = 2s`). The
    trial state of eq. 5 puts the :math:`2|s|` unpaired favoured electrons at
    the bottom of the window and pair-correlates
    :math:`c^\dagger_{j+2s,+}c^\dagger_{j,-}`. Its uncorrelated limit is the
    paramagnetic state :math:`|s\rangle_0`, and the pairs see the pair
    energies :math:`\varepsilon_j + \varepsilon_{j+2s}`: a half-filled,
    particle-hole symmetric ladder with spacing :math:`2d` and *no* blocked
    level at the Fermi energy, for every :math:`s`. Hence

    .. math::

        E'_s(h) - \langle F|H|F\rangle = (s^2 - p/4)d + G(|s| - p/2)
        - 2hs + E_{\rm corr}^{(0)} ,

    with :math:`E_{\rm corr}^{(0)}` the correlation energy of the unblocked
    even ladder. Both partners of a pair must lie in the cut-off window, so
    that ladder has :math:`N/2 - |s| + p/2` levels on each side: apart from
    this edge effect (of order :math:`|s|\,d\,\Delta_0^2/\omega_D`) the
    correlation energy does not depend on :math:`s`, spin costs only its
    kinetic energy, and the first transition would occur at :math:`h \sim d`.

    Parameters
    ----------
    s : float or array_like
        Spin(s): integer (even grain) or half-integer (odd grain).
    d : float or array_like
        Level spacing (> 0).
    h : float or array_like
        Zeeman energy.
    coupling : float
        :math:`\lambda` (the same strength in the :math:`\delta j = 2s` channel).
    self_consistent : bool
        See :func:`pairing_parameter`.

    Returns
    -------
    float or numpy.ndarray
        Energy relative to :math:`\langle F|H|F\rangle`.

    Raises
    ------
    ValueError
        As in :func:`variational_energy`.

    References
    ----------
    Seed 000, eq. 5 and the paragraph "Non-time-reversed pairing"; Anderson,
    J. Phys. Chem. Solids 11, 26 (1959). Chapter 2 (worked example).
    """
    lam = _check_coupling(coupling)
    two = _twice_spin(s)
    dv = _check_d(d)
    hv = _check_h(h)
    two_b, d_b = np.broadcast_arrays(np.abs(two), dv)
    p = two_b % 2
    J = (two_b - p) // 2
    half = _half_window(d_b, p, lam)
    per_side = half - J                     # M - J (even) or K - J (odd)
    if np.any(per_side < 1):
        raise ValueError(f"s = {s!r} leaves no pair levels in the window at d = {d!r}")
    _, ecorr = _ladder_solve(d_b.ravel(), np.full(d_b.size, 0.5), np.zeros(d_b.size),
                             per_side.ravel() - 1, lam, bool(self_consistent))
    # pair energies eps_j + eps_{j+2s} = 2 (k + 1/2) d: the even ladder with spacing d
    out = normal_energy(two / 2.0, dv, hv, lam) + ecorr.reshape(d_b.shape)
    return _scalar_out(out, s, d, h)


def threshold_spacing(d, values, target):
    """Smallest level spacing on a grid above which ``values`` equals ``target`` everywhere.

    Used to read thresholds such as "the new spin is 1 for all d >= d*" off a
    sweep (chapter 2, exact versus variational first transitions).

    Parameters
    ----------
    d : array_like
        Grid of level spacings (any order, distinct).
    values : array_like
        Quantity on that grid (e.g. ``s_bar`` or the regime number).
    target : float
        The value reached at large d.

    Returns
    -------
    float
        The smallest grid point d* such that ``values == target`` for every
        grid point d >= d*; the smallest grid point if ``values`` equals
        ``target`` everywhere.

    Raises
    ------
    ValueError
        If the arrays differ in shape, are empty, or ``values`` does not equal
        ``target`` at the largest d (no threshold on this grid).
    """
    d = np.asarray(d, dtype=float)
    values = np.asarray(values)
    if d.shape != values.shape or d.ndim != 1 or d.size == 0:
        raise ValueError(f"d and values must be 1D arrays of one length, got shapes "
                         f"{d.shape} and {values.shape}")
    if values[np.argmax(d)] != target:
        raise ValueError(f"values must equal target={target!r} at the largest d={d.max()!r}; "
                         "the grid ends before the threshold")
    bad = d[values != target]
    if bad.size == 0:
        return float(d.min())
    return float(d[d > bad.max()].min())


# ---------------------------------------------------------------------------
# random-matrix (GOE) grain spectra: exact versus variational
# ---------------------------------------------------------------------------

def random_levels(d, parity, seed=0, coupling=DEFAULT_COUPLING):
    r"""A grain window with a random-matrix (GOE) spectrum instead of equal spacings.

    The same labels :math:`j` and the same number of levels as
    :func:`levels`, but the level energies are a seeded GOE spectrum of mean
    spacing :math:`d` (:func:`pairing_lib.richardson.goe_levels`), shifted so
    that the chemical potential is at zero: midway between
    :math:`\varepsilon_{-1}` and :math:`\varepsilon_0` for an even grain, on
    :math:`\varepsilon_0` for an odd one. Such spectra model chaotic grains
    (irregular shape, time-reversal symmetric) like those of the experiments.

    Parameters
    ----------
    d : float
        Mean level spacing :math:`d/\Delta_0` (> 0).
    parity : {0, 1}
        Electron-number parity.
    seed : int, optional
        Seed of the spectrum (``numpy.random.default_rng``).
    coupling : float
        :math:`\lambda` (sets the number of levels through the cut-off).

    Returns
    -------
    labels : numpy.ndarray of int
    eps : numpy.ndarray
        Increasing level energies (units of :math:`\Delta_0`).

    Raises
    ------
    ValueError
        As in :func:`levels`.

    References
    ----------
    Seed 000, eq. 1 (equal spacings there); the GOE model of grain spectra:
    J. von Delft and D. C. Ralph, Phys. Rep. 345, 61 (2001). Chapter 2,
    "Beyond the paper: random-matrix grains".
    """
    from . import richardson

    labels, _ = levels(d, parity, coupling)
    eps = richardson.goe_levels(labels.size, float(d), seed)
    if int(parity) == 0:
        mid = 0.5 * (eps[labels == -1][0] + eps[labels == 0][0])
    else:
        mid = eps[labels == 0][0]
    return labels, eps - mid


def random_correlation_energies(d, seeds, spins=(0, 1), coupling=DEFAULT_COUPLING, *,
                                method="exact", self_consistent=True):
    r"""Correlation energies :math:`C_s = E_s - {}_0\langle s|H|s\rangle_0` of GOE grains.

    For each seed, the grain of :func:`random_levels` with the parity of
    ``spins``; for each spin :math:`s` the central block of :math:`2|s|`
    levels (:func:`central_block`: the unpaired electrons next to the
    Fermi level, which is the lowest uncorrelated state of the sector for
    any level set) is blocked and the other levels carry the pairing problem
    of eq. 1 with :math:`g = G = \lambda d`. ``method="exact"`` solves it with
    Richardson's method, ``"variational"`` with the BCS ansatz of eq. 2
    (:func:`solve_bcs`). In both cases the energy is measured from the
    uncorrelated filling of the same configuration, so that the critical
    field of :math:`s \to s'` is the uncorrelated one plus
    :math:`(C_{s'} - C_s)/(2s' - 2s)` (Eq. ch2-floor of the chapter).

    Parameters
    ----------
    d : float
        Mean level spacing (> 0).
    seeds : sequence of int
        Seeds of the spectra (one grain each).
    spins : sequence of float
        Spins of one parity (integers: even grain; half-integers: odd).
    coupling : float
        :math:`\lambda`.
    method : {"exact", "variational"}
    self_consistent : bool
        Hartree shift in the variational solution (ignored for ``"exact"``).

    Returns
    -------
    numpy.ndarray
        Shape ``(len(seeds), len(spins))``, units of :math:`\Delta_0`,
        all :math:`\le 0`.

    Raises
    ------
    ValueError
        Bad ``d``, ``coupling``, ``method``, spins of mixed parity or more
        blocked levels than the window holds, or no seeds.
    RuntimeError
        If the Richardson solver cannot certify a solution.

    References
    ----------
    Seed 000, eqs. 1-3; Richardson (1963). Chapter 2, "Beyond the paper:
    random-matrix grains".
    """
    from . import richardson

    lam = _check_coupling(coupling)
    method = _check_method(method)
    dv = _check_d(d)
    if dv.ndim != 0:
        raise ValueError(f"d must be a scalar here, got shape {dv.shape}")
    dv = float(dv)
    seeds = list(seeds)
    if not seeds:
        raise ValueError("seeds must contain at least one seed, got an empty sequence")
    two = np.abs(_twice_spin(spins)).reshape(-1)
    parities = set((two % 2).tolist())
    if len(parities) != 1:
        raise ValueError(f"spins must all be integers or all half-integers, got {spins!r}")
    parity = parities.pop()
    _sector_geometry(two, np.full(two.shape, dv), lam)      # enough levels for each s
    g = lam * dv
    out = np.empty((len(seeds), two.size))
    for i, seed in enumerate(seeds):
        labels, eps = random_levels(dv, parity, seed, lam)
        for k, t in enumerate(two.tolist()):
            mask = np.isin(labels, central_block(t / 2.0))
            free = eps[~mask]
            n_pairs = (labels.size - int(mask.sum())) // 2
            if method == "exact":
                normal = 2.0 * np.sort(free)[:n_pairs].sum() - g * n_pairs
                out[i, k] = richardson.ground_state_energy(free, g, n_pairs) - normal
            else:
                out[i, k] = solve_bcs(free, g, n_pairs,
                                      self_consistent=self_consistent).condensation_energy
    return out
