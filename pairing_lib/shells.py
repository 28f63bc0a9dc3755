r"""Electronic shell structure of spherical (and spheroidal) metal clusters.

The delocalised valence electrons of a small metal cluster move in a
self-consistent potential that is, to a good first approximation, spherical.
Its levels carry the orbital angular momentum :math:`l` and a radial quantum
number :math:`n = 1, 2, \dots`; each :math:`(n, l)` level holds
:math:`2(2l+1)` electrons. Closed levels followed by a large gap give the
*magic numbers* seen in cluster mass spectra (Knight et al. 1984). Two
textbook potentials bracket the realistic (Woods-Saxon-like) one:

Hard-wall sphere of radius :math:`R`
    :math:`\psi = j_l(kr) Y_{lm}` with :math:`j_l(kR) = 0`, so

    .. math:: \varepsilon_{nl} = \frac{\hbar^2 x_{nl}^2}{2 m_e R^2},

    :math:`x_{nl}` the :math:`n`-th positive zero of the spherical Bessel
    function :math:`j_l`. Energies here are :math:`x_{nl}^2`, i.e. in units
    of :math:`\hbar^2 / (2 m_e R^2)`.

Isotropic harmonic oscillator :math:`V = m_e\Omega^2 r^2/2`
    .. math:: \varepsilon_{nl} = \hbar\Omega\,\bigl(2(n-1) + l + \tfrac32\bigr),

    energies in units of :math:`\hbar\Omega`; the levels with the same
    :math:`N = 2(n-1) + l` are degenerate, a major shell holds
    :math:`(N+1)(N+2)` electrons and the magic numbers are
    :math:`(N+1)(N+2)(N+3)/3 = 2, 8, 20, 40, 70, 112, 168, \dots`

Deformation (illustration)
    An axially deformed (spheroidal) cluster is modelled by the anisotropic
    oscillator with frequencies :math:`\omega_\perp, \omega_z` at fixed
    volume, :math:`\omega_\perp^2\omega_z = \Omega^3` (the Clemenger-Nilsson
    model without its :math:`l^2` correction). With the axis ratio
    :math:`q = R_z/R_\perp = \omega_\perp/\omega_z` its exact levels are

    .. math::

        \varepsilon(n_z, n_\perp) = \hbar\Omega\,\bigl[q^{1/3}(n_\perp + 1)
            + q^{-2/3}(n_z + \tfrac12)\bigr],

    each holding :math:`2(n_\perp + 1)` electrons: deformation splits the
    :math:`2(2l+1)`-fold spherical degeneracy into levels of fixed
    :math:`|\Lambda|`, which is what weakens the orbital magnetism of
    non-spherical clusters (chapter 3).

Example
-------
>>> magic_numbers("harmonic", 120)
[2, 8, 20, 40, 70, 112]
>>> magic_numbers("hard_wall", 70)
[2, 8, 18, 20, 34, 40, 58, 68]
>>> f = shell_filling("hard_wall", 166)
>>> f.hos[0].label, f.hos_degeneracy, f.electrons_in_hos, f.lus[0].label
('1j', 30, 28, '2g')

References
----------
Seed 002 (Kresin and Ovchinnikov, lecture slides): magic numbers, HOS/LUS,
degeneracy 2(2L+1), deformation of open-shell clusters. Seed 001: the
single-shell picture and :math:`l \approx N^{1/3} - 1.4`. Knight et al.,
Phys. Rev. Lett. 52, 2141 (1984); Clemenger, Phys. Rev. B 32, 1359 (1985);
de Heer, Rev. Mod. Phys. 65, 611 (1993). Used in chapter 3.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq
from scipy.special import spherical_jn

__all__ = [
    "POTENTIALS",
    "SPECTROSCOPIC",
    "Subshell",
    "ShellFilling",
    "spherical_bessel_zeros",
    "level_scheme",
    "shell_closures",
    "magic_numbers",
    "shell_filling",
    "fermi_angular_momentum",
    "deformed_oscillator_levels",
    "deformed_magic_numbers",
]

#: The spherical potentials this module knows.
POTENTIALS = ("hard_wall", "harmonic")

#: Spectroscopic letters for l = 0, 1, 2, ... (the letter j is skipped in
#: atomic physics but used by the cluster literature, as here).
SPECTROSCOPIC = "spdfghijklmnoqrtuvwxyz"

#: Largest electron number the level schemes are built for.
N_MAX = 100_000

#: Relative tolerance for calling two levels degenerate.
_DEGENERACY_RTOL = 1e-9


def _check_potential(potential):
    if potential not in POTENTIALS:
        raise ValueError(f"potential must be one of {POTENTIALS}, got {potential!r}")
    return potential


def _check_count(name, value, lo=0, hi=N_MAX):
    if isinstance(value, bool) or not float(value).is_integer():
        raise ValueError(f"{name} must be an integer in [{lo}, {hi}], got {value!r}")
    value = int(value)
    if not lo <= value <= hi:
        raise ValueError(f"{name} must be an integer in [{lo}, {hi}], got {value}")
    return value


def _label(n, l):
    letter = SPECTROSCOPIC[l] if l < len(SPECTROSCOPIC) else f"[l={l}]"
    return f"{n}{letter}"


@dataclass(frozen=True)
class Subshell:
    """One spherical level :math:`(n, l)`.

    Attributes
    ----------
    n : int
        Radial quantum number, 1, 2, ... (number of radial nodes + 1).
    l : int
        Orbital angular momentum.
    energy : float
        In units of :math:`\\hbar^2/(2m_eR^2)` (hard wall) or
        :math:`\\hbar\\Omega` (harmonic).
    """

    n: int
    l: int
    energy: float

    @property
    def degeneracy(self) -> int:
        """Number of electrons the level holds, :math:`2(2l+1)`."""
        return 2 * (2 * self.l + 1)

    @property
    def M(self) -> int:
        """Orbitals :math:`2l+1` (the :math:`M` of the single-shell model)."""
        return 2 * self.l + 1

    @property
    def label(self) -> str:
        """Spectroscopic label, e.g. ``"1d"``, ``"2p"``."""
        return _label(self.n, self.l)


@dataclass(frozen=True)
class ShellFilling:
    """Where the Fermi level of an N-electron cluster sits.

    Attributes
    ----------
    n_electrons : int
        Number of valence electrons N.
    hos : tuple of Subshell
        Highest occupied shell: the (degenerate group of) level(s) holding the
        N-th electron.
    lus : tuple of Subshell
        Lowest unoccupied shell: the next level group above the HOS.
    n_below : int
        Electrons in the shells below the HOS.
    """

    n_electrons: int
    hos: tuple
    lus: tuple
    n_below: int

    @property
    def hos_degeneracy(self) -> int:
        """Electrons the HOS can hold."""
        return sum(s.degeneracy for s in self.hos)

    @property
    def lus_degeneracy(self) -> int:
        """Electrons the LUS can hold."""
        return sum(s.degeneracy for s in self.lus)

    @property
    def electrons_in_hos(self) -> int:
        """Electrons in the HOS (1 .. hos_degeneracy)."""
        return self.n_electrons - self.n_below

    @property
    def closed(self) -> bool:
        """True if N is a magic number (the HOS is full)."""
        return self.electrons_in_hos == self.hos_degeneracy

    @property
    def gap(self) -> float:
        """Energy spacing LUS - HOS (units of the potential)."""
        return self.lus[0].energy - self.hos[0].energy


def spherical_bessel_zeros(l, count):
    r"""The first ``count`` positive zeros :math:`x_{1l} < x_{2l} < \dots` of :math:`j_l`.

    Parameters
    ----------
    l : int
        Order, ``0 <= l <= 400``.
    count : int
        Number of zeros, ``1 <= count <= 2000``.

    Returns
    -------
    numpy.ndarray, shape (count,)

    Raises
    ------
    ValueError
        If ``l`` or ``count`` is out of range.

    References
    ----------
    Hard-wall sphere levels (module docstring). Chapter 3.

    Examples
    --------
    >>> float(spherical_bessel_zeros(0, 2)[1] / np.pi)
    2.0
    """
    l = _check_count("l", l, 0, 400)
    count = _check_count("count", count, 1, 2000)
    return _bessel_zeros_cached(l, count).copy()


@functools.lru_cache(maxsize=1024)
def _bessel_zeros_cached(l, count):
    # zeros of j_l interlace and are spaced by about pi; the first lies above l
    x0 = max(float(l), 0.5)
    zeros = []
    step = 0.25
    x = x0
    f_prev = spherical_jn(l, x)
    while len(zeros) < count:
        xs = x + step * np.arange(1, 201)
        fs = spherical_jn(l, xs)
        vals = np.concatenate([[f_prev], fs])
        grid = np.concatenate([[x], xs])
        idx = np.nonzero(np.sign(vals[:-1]) * np.sign(vals[1:]) < 0)[0]
        for i in idx:
            zeros.append(brentq(lambda y: spherical_jn(l, y), grid[i], grid[i + 1],
                                xtol=1e-14, rtol=1e-14, maxiter=200))
            if len(zeros) == count:
                break
        x, f_prev = xs[-1], fs[-1]
    return np.array(zeros[:count])


def _hard_wall_levels(x_cut):
    """All hard-wall levels with x_nl < x_cut, sorted by energy."""
    levels = []
    l = 0
    while True:
        zs = _bessel_zeros_below(l, x_cut)
        if len(zs) == 0:
            break
        levels.extend(Subshell(i + 1, l, float(z * z)) for i, z in enumerate(zs))
        l += 1
    return levels


def _bessel_zeros_below(l, x_cut):
    if x_cut <= l:
        return np.zeros(0)
    count = 1
    while True:
        zs = _bessel_zeros_cached(l, count)
        if zs[-1] >= x_cut:
            return zs[zs < x_cut]
        count *= 2


def _harmonic_levels(n_osc_max):
    levels = []
    for N in range(n_osc_max + 1):
        for l in range(N % 2, N + 1, 2)[::-1]:
            levels.append(Subshell((N - l) // 2 + 1, l, N + 1.5))
    return levels


@functools.lru_cache(maxsize=64)
def _scheme(potential, n_max):
    """Sorted levels covering n_max electrons plus the whole next level group."""
    if potential == "harmonic":
        N = 0
        while (N + 1) * (N + 2) * (N + 3) // 3 < n_max:
            N += 1
        levels = _harmonic_levels(N + 1)
    else:
        # Weyl estimate N(x) ~ 4 x^3 / (9 pi), then enlarge until two groups spare
        x_cut = (9 * np.pi * max(n_max, 2) / 4) ** (1 / 3) * 1.2 + 6.0
        while True:
            levels = _hard_wall_levels(x_cut)
            cum = np.cumsum([s.degeneracy for s in sorted(levels, key=lambda s: s.energy)])
            if cum[-1] > n_max + 200 + 4 * x_cut:
                break
            x_cut *= 1.3
    levels = sorted(levels, key=lambda s: (s.energy, -s.l))
    # group degenerate levels
    groups, current = [], [levels[0]]
    for s in levels[1:]:
        if abs(s.energy - current[0].energy) <= _DEGENERACY_RTOL * current[0].energy:
            current.append(s)
        else:
            groups.append(tuple(current))
            current = [s]
    groups.append(tuple(current))
    out, filled = [], 0
    for g in groups:
        out.append(g)
        filled += sum(s.degeneracy for s in g)
        if filled >= n_max and len(out) >= 2 and filled - sum(s.degeneracy for s in g) >= n_max:
            break
    return tuple(out)


def level_scheme(potential, n_max):
    """Spherical levels sorted by energy, enough for ``n_max`` electrons plus the next level.

    Parameters
    ----------
    potential : {"hard_wall", "harmonic"}
        The confining potential.
    n_max : int
        Electron number to cover, ``1 <= n_max <= 100000``.

    Returns
    -------
    list of tuple of Subshell
        Groups of degenerate levels in ascending energy (one level per group
        for the hard wall, a whole major shell for the oscillator). The last
        group lies entirely above the ``n_max``-th electron.

    Raises
    ------
    ValueError
        If ``potential`` is unknown or ``n_max`` is out of range.

    References
    ----------
    Seed 002 (shell structure, HOS/LUS); Knight et al. (1984). Chapter 3.
    """
    _check_potential(potential)
    n_max = _check_count("n_max", n_max, 1)
    return list(_scheme(potential, n_max))


def shell_closures(potential, n_max):
    """Closed-shell electron numbers up to ``n_max`` and the gap above each.

    Parameters
    ----------
    potential : {"hard_wall", "harmonic"}
        The confining potential.
    n_max : int
        Largest electron number, ``0 <= n_max <= 100000``.

    Returns
    -------
    numbers : numpy.ndarray of int
        Cumulative electron numbers at which a level group is full.
    gaps : numpy.ndarray
        Energy from that group to the next (units of the potential); large
        gaps mark the strongly magic numbers.

    Raises
    ------
    ValueError
        If ``potential`` is unknown or ``n_max`` is out of range.

    References
    ----------
    Seed 002; chapter 3.
    """
    _check_potential(potential)
    n_max = _check_count("n_max", n_max, 0)
    if n_max < 2:
        return np.zeros(0, dtype=int), np.zeros(0)
    groups = _scheme(potential, n_max)
    numbers, gaps, filled = [], [], 0
    for g, g_next in zip(groups[:-1], groups[1:]):
        filled += sum(s.degeneracy for s in g)
        if filled > n_max:
            break
        numbers.append(filled)
        gaps.append(g_next[0].energy - g[0].energy)
    return np.array(numbers, dtype=int), np.array(gaps)


def magic_numbers(potential, n_max):
    """Magic numbers (closed-shell electron counts) of a spherical potential, up to ``n_max``.

    Every closed level group counts (for the hard wall each :math:`(n, l)`
    level; for the oscillator each major shell). Use :func:`shell_closures`
    for the size of the gap above each number.

    Parameters
    ----------
    potential : {"hard_wall", "harmonic"}
        Hard-wall sphere or isotropic harmonic oscillator.
    n_max : int
        Largest electron number to report, ``0 <= n_max <= 100000``.

    Returns
    -------
    list of int
        Ascending.

    Raises
    ------
    ValueError
        If ``potential`` is unknown or ``n_max`` is out of range.

    References
    ----------
    Seed 002 (magic numbers 8, 20, 40, ..., 168, ...). Chapter 3.

    Examples
    --------
    >>> magic_numbers("harmonic", 40)
    [2, 8, 20, 40]
    """
    numbers, _ = shell_closures(potential, n_max)
    return [int(x) for x in numbers]


def shell_filling(potential, n_electrons):
    """Highest occupied and lowest unoccupied shell of an ``n_electrons`` cluster.

    Parameters
    ----------
    potential : {"hard_wall", "harmonic"}
        The confining potential.
    n_electrons : int
        Valence electrons, ``1 <= n_electrons <= 100000``.

    Returns
    -------
    ShellFilling

    Raises
    ------
    ValueError
        If ``potential`` is unknown or ``n_electrons`` is out of range.

    References
    ----------
    Seed 002 (HOS, LUS, N = 166 and 168 examples). Chapter 3.
    """
    _check_potential(potential)
    n = _check_count("n_electrons", n_electrons, 1)
    groups = _scheme(potential, n)
    below = 0
    for i, g in enumerate(groups):
        cap = sum(s.degeneracy for s in g)
        if below + cap >= n:
            return ShellFilling(n_electrons=n, hos=g, lus=groups[i + 1], n_below=below)
        below += cap
    raise RuntimeError("level scheme too short")  # pragma: no cover - _scheme covers n


def fermi_angular_momentum(potential, n_electrons):
    """Mean orbital angular momentum of the HOS, weighted by degeneracy.

    For the hard wall this is the :math:`l` of the HOS; for the oscillator
    the :math:`2(2l+1)`-weighted mean over the major shell. Seed 001 quotes
    :math:`l \\approx N^{1/3} - 1.4` for the oscillator.

    Parameters
    ----------
    potential : {"hard_wall", "harmonic"}
        The confining potential.
    n_electrons : int or sequence of int
        Valence electrons (each ``1 <= N <= 100000``).

    Returns
    -------
    float or numpy.ndarray

    Raises
    ------
    ValueError
        If an input is out of range.

    References
    ----------
    Seed 001 (the estimate of l at the Fermi surface). Chapter 3.
    """
    arr = np.atleast_1d(np.asarray(n_electrons))
    out = np.empty(arr.shape, dtype=float)
    for i, n in enumerate(arr.ravel()):
        f = shell_filling(potential, int(n) if float(n).is_integer() else n)
        out.ravel()[i] = sum(s.l * s.degeneracy for s in f.hos) / f.hos_degeneracy
    return float(out[0]) if np.ndim(n_electrons) == 0 else out


def _check_axis_ratio(axis_ratio):
    q = np.asarray(axis_ratio, dtype=float)
    if np.any(~np.isfinite(q)) or np.any(q <= 0):
        bad = q[~(np.isfinite(q) & (q > 0))].ravel()[0]
        raise ValueError(f"axis_ratio must be finite and > 0, got {bad}")
    return q


def deformed_oscillator_levels(axis_ratio, n_osc_max):
    r"""Levels of the volume-conserving axially deformed oscillator.

    :math:`\varepsilon = q^{1/3}(n_\perp+1) + q^{-2/3}(n_z+\tfrac12)` in units
    of :math:`\hbar\Omega`, for all :math:`n_z + n_\perp \le` ``n_osc_max``.

    Parameters
    ----------
    axis_ratio : float or array_like
        :math:`q = R_z / R_\perp` (> 1 prolate, < 1 oblate, 1 spherical).
    n_osc_max : int
        Largest spherical major-shell index :math:`N = n_z + n_\perp` kept,
        ``0 <= n_osc_max <= 60``.

    Returns
    -------
    energies : numpy.ndarray, shape ``np.shape(axis_ratio) + (K,)``
    n_z, n_perp : numpy.ndarray of int, shape (K,)
    degeneracy : numpy.ndarray of int, shape (K,)
        :math:`2(n_\perp + 1)` electrons per level (spin and :math:`\pm\Lambda`).

    Raises
    ------
    ValueError
        If ``axis_ratio <= 0`` or ``n_osc_max`` is out of range.

    References
    ----------
    Clemenger (1985) deformed-oscillator cluster model; seed 002 (deformation
    of open-shell clusters). Chapter 3.
    """
    q = _check_axis_ratio(axis_ratio)
    n_osc_max = _check_count("n_osc_max", n_osc_max, 0, 60)
    nz, nperp = [], []
    for N in range(n_osc_max + 1):
        for a in range(N + 1):
            nz.append(N - a)
            nperp.append(a)
    nz = np.array(nz)
    nperp = np.array(nperp)
    e = (q[..., None] ** (1 / 3) * (nperp + 1) + q[..., None] ** (-2 / 3) * (nz + 0.5))
    return e, nz, nperp, 2 * (nperp + 1)


def deformed_magic_numbers(axis_ratio, n_max):
    """Closed-shell electron numbers of the deformed oscillator at one axis ratio.

    Parameters
    ----------
    axis_ratio : float
        :math:`q = R_z/R_\\perp` (> 0).
    n_max : int
        Largest electron number to report, ``0 <= n_max <= 5000``.

    Returns
    -------
    list of int
        Electron numbers at which a (possibly accidentally degenerate) level
        group is full.

    Raises
    ------
    ValueError
        If an input is out of range.

    References
    ----------
    Clemenger (1985); chapter 3.
    """
    q = float(_check_axis_ratio(axis_ratio))
    n_max = _check_count("n_max", n_max, 0, 5000)
    n_osc = 1
    while True:
        e, nz, nperp, deg = deformed_oscillator_levels(q, n_osc)
        order = np.argsort(e, kind="stable")
        e, deg = e[order], deg[order]
        # the list is complete below the lowest level of the first omitted shell
        e_complete = min(q ** (1 / 3) * (a + 1) + q ** (-2 / 3) * (n_osc + 1 - a + 0.5)
                         for a in range(n_osc + 2))
        out, filled, done = [], 0, False
        for i in range(len(e)):
            if e[i] >= e_complete * (1 - _DEGENERACY_RTOL):
                break
            filled += int(deg[i])
            if i + 1 < len(e) and e[i + 1] - e[i] <= _DEGENERACY_RTOL * e[i]:
                continue
            if i + 1 < len(e) and e[i + 1] >= e_complete * (1 - _DEGENERACY_RTOL):
                break  # the group may continue in the omitted shell
            if filled > n_max:
                done = True
                break
            out.append(filled)
        if done:
            return out
        if n_osc >= 60:
            raise ValueError(
                f"n_max={n_max} needs more than 60 oscillator shells at axis_ratio={q}")
        n_osc = min(60, 2 * n_osc)
