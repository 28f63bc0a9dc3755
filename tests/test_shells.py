"""Tests of pairing_lib.shells (chapter 3).

Level schemes are checked against independent calculations: a
finite-difference solution of the radial Schroedinger equation in a hard-wall
sphere, Cartesian enumeration of oscillator states, and the defining
equations of the Bessel zeros.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter

import numpy as np
import pytest
from scipy.linalg import eigh_tridiagonal
from scipy.special import spherical_jn

from pairing_lib import shells


def radial_fd_levels(l, count, n_grid=3000):
    """Lowest k^2 R^2 of -u'' + l(l+1)/r^2 u = k^2 u, u(0) = u(R) = 0 (R = 1)."""
    h = 1.0 / (n_grid + 1)
    r = h * np.arange(1, n_grid + 1)
    diag = 2 / h**2 + l * (l + 1) / r**2
    off = -np.ones(n_grid - 1) / h**2
    ev = eigh_tridiagonal(diag, off, select="i", select_range=(0, count - 1),
                          eigvals_only=True)
    # Richardson extrapolation with a grid of half the spacing removes O(h^2)
    h2 = 1.0 / (2 * n_grid + 2)
    r2 = h2 * np.arange(1, 2 * n_grid + 2)
    ev2 = eigh_tridiagonal(2 / h2**2 + l * (l + 1) / r2**2, -np.ones(len(r2) - 1) / h2**2,
                           select="i", select_range=(0, count - 1), eigvals_only=True)
    return (4 * ev2 - ev) / 3


def test_bessel_zeros_defining_equations():
    np.testing.assert_allclose(shells.spherical_bessel_zeros(0, 6), np.pi * np.arange(1, 7),
                               rtol=1e-13)
    x = shells.spherical_bessel_zeros(1, 8)       # j_1 = 0  <=>  tan x = x
    np.testing.assert_allclose(np.sin(x) - x * np.cos(x), 0, atol=1e-11)
    for l in (2, 7, 20):
        z = shells.spherical_bessel_zeros(l, 5)
        np.testing.assert_allclose(spherical_jn(l, z), 0, atol=1e-12)
        # interlacing x_{n,l} < x_{n,l+1} < x_{n+1,l}: no zero skipped
        z_next = shells.spherical_bessel_zeros(l + 1, 4)
        assert np.all(z[:4] < z_next) and np.all(z_next < z[1:5])


@pytest.mark.parametrize("l", [0, 1, 3, 7])
def test_hard_wall_levels_match_finite_difference_radial_equation(l):
    fd = radial_fd_levels(l, 3)
    x = shells.spherical_bessel_zeros(l, 3)
    np.testing.assert_allclose(x**2, fd, rtol=1e-5)


def test_hard_wall_magic_numbers_from_finite_difference_spectrum():
    levels = []
    for l in range(0, 14):
        for n, e in enumerate(radial_fd_levels(l, 4, n_grid=1500), start=1):
            levels.append((e, l))
    levels.sort()
    cum = np.cumsum([2 * (2 * l + 1) for _, l in levels])
    expected = [int(c) for c in cum if c <= 250]
    assert shells.magic_numbers("hard_wall", 250) == expected
    # every level is its own group for the hard wall
    scheme = shells.level_scheme("hard_wall", 250)
    assert all(len(g) == 1 for g in scheme)


def cartesian_oscillator_closures(wx, wz, n_quanta, n_max):
    energies = Counter()
    for nx, ny, nz in itertools.product(range(n_quanta + 1), repeat=3):
        e = round(wx * (nx + ny + 1) + wz * (nz + 0.5), 9)
        energies[e] += 2                            # spin
    out, filled = [], 0
    for e in sorted(energies):
        filled += energies[e]
        if filled > n_max:
            break
        out.append(filled)
    return out


def test_harmonic_magic_numbers_by_cartesian_enumeration():
    expected = cartesian_oscillator_closures(1.0, 1.0, 12, 600)
    assert shells.magic_numbers("harmonic", 600) == expected
    assert expected[:6] == [(N + 1) * (N + 2) * (N + 3) // 3 for N in range(6)]
    for group in shells.level_scheme("harmonic", 200):
        N = 2 * (group[0].n - 1) + group[0].l
        assert sum(s.degeneracy for s in group) == (N + 1) * (N + 2)
        assert all(s.energy == N + 1.5 for s in group)


@pytest.mark.parametrize("q", [1.0, 2.0, 0.5, 1.3])
def test_deformed_oscillator_against_cartesian_enumeration(q):
    w_perp, w_z = q ** (1 / 3), q ** (-2 / 3)
    assert w_perp**2 * w_z == pytest.approx(1.0)          # volume conservation
    assert w_perp / w_z == pytest.approx(q)               # axis ratio R_z / R_perp
    expected = cartesian_oscillator_closures(w_perp, w_z, 16, 150)
    assert shells.deformed_magic_numbers(q, 150) == expected
    e, nz, nperp, deg = shells.deformed_oscillator_levels(q, 4)
    brute = sorted(round(w_perp * (a + b + 1) + w_z * (c + 0.5), 9)
                   for a, b, c in itertools.product(range(5), repeat=3) if a + b + c <= 4)
    ours = sorted(itertools.chain.from_iterable([round(x, 9)] * (d // 2)
                                                for x, d in zip(e, deg)))
    assert ours == brute


def test_deformed_levels_vectorised_and_spherical_limit():
    q = np.array([0.7, 1.0, 1.6])
    e, nz, nperp, deg = shells.deformed_oscillator_levels(q, 3)
    assert e.shape == (3, len(nz))
    np.testing.assert_allclose(e[1], nz + nperp + 1.5)


def test_shell_filling_consistency_and_seed_002_example():
    magic = set(shells.magic_numbers("hard_wall", 400))
    for N in range(1, 401):
        f = shells.shell_filling("hard_wall", N)
        assert f.n_below + f.electrons_in_hos == N
        assert 1 <= f.electrons_in_hos <= f.hos_degeneracy
        assert f.closed == (N in magic)
        assert f.gap > 0
        assert f.hos_degeneracy == 2 * (2 * f.hos[0].l + 1)
    # seed 002: N = 166 and 168 have an L = 7 HOS (g = 30) and an L = 4 LUS (g = 18)
    for N in (166, 168):
        f = shells.shell_filling("hard_wall", N)
        assert (f.hos[0].l, f.hos_degeneracy, f.lus[0].l, f.lus_degeneracy) == (7, 30, 4, 18)
    assert shells.shell_filling("hard_wall", 166).electrons_in_hos == 28
    assert shells.shell_filling("hard_wall", 168).closed


def test_fermi_angular_momentum_harmonic_and_seed_001_estimate():
    for N in (30, 100, 1000):
        f = shells.shell_filling("harmonic", N)
        nosc = 2 * (f.hos[0].n - 1) + f.hos[0].l
        ls = range(nosc % 2, nosc + 1, 2)
        mean_l = sum(l * (2 * l + 1) for l in ls) / sum(2 * l + 1 for l in ls)
        assert shells.fermi_angular_momentum("harmonic", N) == pytest.approx(mean_l)
    # seed 001: l ~ N^(1/3) - 1.4 for an oscillator potential (a rough estimate)
    Ns = np.array([200, 1000, 5000, 20000])
    ls = shells.fermi_angular_momentum("harmonic", Ns)
    assert np.all(np.abs(ls - (Ns ** (1 / 3) - 1.4)) < 1.0)


def test_invalid_input():
    with pytest.raises(ValueError, match="potential must be one of"):
        shells.magic_numbers("woods_saxon", 100)
    with pytest.raises(ValueError, match="n_max must be"):
        shells.magic_numbers("harmonic", -3)
    with pytest.raises(ValueError, match="n_electrons must be"):
        shells.shell_filling("hard_wall", 0)
    with pytest.raises(ValueError, match="axis_ratio must be"):
        shells.deformed_oscillator_levels(-1.0, 3)
    with pytest.raises(ValueError, match="count must be"):
        shells.spherical_bessel_zeros(2, 0)
    assert shells.magic_numbers("harmonic", 1) == []
    assert math.isclose(shells.shell_filling("harmonic", 1).gap, 1.0)
