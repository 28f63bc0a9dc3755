"""Tests of pairing_lib.seniority (chapter 3).

Every closed-form result is checked against something independent:
brute-force exact diagonalisation in the Slater-determinant basis
(``exact_spectrum``, which uses no quasi-spin algebra), explicit enumeration
of determinants, numerical derivatives, analytic limits (infinite
temperature, the BCS gap equation solved by hand), and a brute-force
minimisation of the BCS free energy.
"""

from __future__ import annotations

import functools
import itertools
import math

import numpy as np
import pytest
from scipy.optimize import brentq

from pairing_lib import seniority as sen
from pairing_lib.seniority import SingleShell

# (l, n) cases diagonalised by brute force: both parities, below, at and above
# half filling, empty and full shells
ED_CASES = [(0, 1), (1, 0), (1, 1), (1, 2), (1, 3), (1, 4), (1, 5), (1, 6),
            (2, 3), (2, 4), (2, 5), (2, 6), (2, 7), (3, 6), (3, 7), (3, 9)]


@functools.lru_cache(maxsize=None)
def ed(l, n):
    return sen.exact_spectrum(l, n)


def levels_closed_form(l, n):
    """(E, m) of every state from the seniority solution, as a sorted array."""
    shell = SingleShell(l, n)
    m_values, counts = sen.seniority_moment_counts(l)
    rows = []
    for nu in shell.seniorities:
        e = shell.seniority_energy(nu)
        for m, c in zip(m_values, counts[nu]):
            rows += [(round(e, 8), int(m))] * int(c)
    return sorted(rows)


# ---------------------------------------------------------------- spectrum
@pytest.mark.parametrize("l,n", ED_CASES)
def test_spectrum_and_moments_match_exact_diagonalisation(l, n):
    e, m = ed(l, n)
    brute = sorted((round(float(x), 8), int(y)) for x, y in zip(e, m))
    assert brute == levels_closed_form(l, n)
    assert len(e) == math.comb(2 * (2 * l + 1), n)


@pytest.mark.parametrize("l", [0, 1, 2, 3, 6, 11, 25])
def test_seniority_counts_sum_to_binomial_differences(l):
    M = 2 * l + 1
    _, counts = sen.seniority_moment_counts(l)
    for nu in range(M + 1):
        expected = math.comb(2 * M, nu) - (math.comb(2 * M, nu - 2) if nu >= 2 else 0)
        assert counts[nu].sum() == pytest.approx(expected, rel=1e-12)
        assert sen.seniority_degeneracy(M, nu) == expected
    # every n: the allowed seniorities exhaust the C(2M, n) states
    for n in range(2 * M + 1):
        total = sum(counts[nu].sum() for nu in sen.allowed_seniorities(l, n))
        assert total == pytest.approx(math.comb(2 * M, n), rel=1e-12)


def test_allowed_seniorities_constraint():
    # nu <= n, nu <= 2M - n, same parity as n -- not just nu <= M
    assert sen.allowed_seniorities(2, 8).tolist() == [0, 2]      # M = 5, 2M - n = 2
    assert sen.allowed_seniorities(2, 9).tolist() == [1]
    assert sen.allowed_seniorities(2, 5).tolist() == [1, 3, 5]
    assert sen.allowed_seniorities(2, 0).tolist() == [0]
    for l, n in ED_CASES:          # ED: the distinct pairing energies are the E_nu
        e, _ = ed(l, n)
        distinct = np.unique(np.round(e, 8))
        shell = SingleShell(l, n)
        expected = np.unique(np.round(np.atleast_1d(
            shell.seniority_energy(shell.seniorities)), 8))
        np.testing.assert_allclose(distinct, expected)


@pytest.mark.parametrize("l,n", ED_CASES)
def test_max_moment_against_exact_diagonalisation(l, n):
    e, m = ed(l, n)
    shell = SingleShell(l, n)
    for nu in shell.seniorities:
        mask = np.isclose(e, shell.seniority_energy(nu))
        assert m[mask].max() == shell.max_moment(nu)


@pytest.mark.parametrize("l", range(0, 21))
def test_max_moment_eq11_is_sum_of_largest_single_particle_moments(l):
    top = np.sort(sen.single_particle_moments(l))[::-1]
    for nu in range(2 * l + 2):
        assert sen.max_moment(l, nu) == top[:nu].sum()


def test_determinant_generating_function_by_enumeration():
    for l in (1, 2):
        mk = sen.single_particle_moments(l)
        for nu in range(0, 2 * (2 * l + 1) + 1):
            for x in (-0.7, 0.0, 0.3, 1.9):
                brute = sum(np.exp(x * sum(c)) for c in itertools.combinations(mk, nu))
                assert sen.determinant_generating_function(l, nu, x) == pytest.approx(
                    brute, rel=1e-11)


# ------------------------------------------------------ canonical ensemble
THERMO_POINTS = [(0.05, 0.0), (0.3, 0.0), (0.4, 0.45), (1.0, 1.2), (2.5, 2.2), (0.15, 3.0)]


@pytest.mark.parametrize("l,n", ED_CASES)
def test_canonical_thermodynamics_match_exact_diagonalisation(l, n):
    shell = SingleShell(l, n)
    for T, w in THERMO_POINTS:
        e, m = ed(l, n)
        u = e - w * m
        lnz = np.log(np.sum(np.exp(-(u - u.min()) / T))) - u.min() / T
        assert shell.log_partition_function(T, w) == pytest.approx(lnz, abs=1e-10, rel=1e-12)
        exact = sen.exact_thermodynamics(l, n, T, w)
        assert shell.free_energy(T, w) == pytest.approx(exact["free_energy"], abs=1e-10)
        assert shell.canonical_gap(T, w) == pytest.approx(exact["canonical_gap"], abs=1e-9)
        assert shell.magnetic_moment(T, w) == pytest.approx(exact["moment"], abs=1e-9)
        assert shell.susceptibility(T, w) == pytest.approx(exact["susceptibility"], abs=1e-9)
        assert shell.heat_capacity(T, w) == pytest.approx(exact["heat_capacity"], abs=1e-9)


@pytest.mark.parametrize("l,n", [(1, 2), (2, 5), (3, 6), (5, 10)])
def test_partition_function_from_corrected_eqs_6_to_9(l, n):
    # Z = sum_nu exp(-beta E_nu) [Phi_nu - Phi_{nu-2}], Phi = sum over ALL determinants
    shell = SingleShell(l, n)
    for T, w in [(0.7, 0.2), (1.5, 0.9), (3.0, 2.0)]:
        bw = w / T
        z = 0.0
        for nu in shell.seniorities:
            phi = sen.determinant_generating_function(l, nu, bw)
            phi2 = sen.determinant_generating_function(l, nu - 2, bw) if nu >= 2 else 0.0
            z += np.exp(-shell.seniority_energy(nu) / T) * (phi - phi2)
        assert shell.partition_function(T, w) == pytest.approx(z, rel=1e-10)


@pytest.mark.parametrize("l,n", [(5, 10), (5, 11), (11, 22), (3, 4)])
def test_susceptibility_and_moment_are_field_derivatives_of_F(l, n):
    shell = SingleShell(l, n)
    h = 1e-3
    for T, w in [(0.3, 0.5), (1.0, 1.1), (2.0, 0.0), (0.8, 1.6)]:
        f = [shell.free_energy(T, w + k * h) for k in (-2, -1, 0, 1, 2)]
        d1 = (f[0] - 8 * f[1] + 8 * f[3] - f[4]) / (12 * h)
        d2 = (-f[0] + 16 * f[1] - 30 * f[2] + 16 * f[3] - f[4]) / (12 * h * h)
        assert shell.magnetic_moment(T, w) == pytest.approx(-d1, rel=1e-6, abs=1e-8)
        assert shell.susceptibility(T, w) == pytest.approx(-d2, rel=1e-4, abs=1e-5)


@pytest.mark.parametrize("l,n", [(5, 10), (5, 11), (11, 22), (2, 3)])
def test_heat_capacity_is_minus_T_d2F_dT2(l, n):
    shell = SingleShell(l, n)
    for T, w in [(0.4, 0.5), (1.0, 1.1), (2.0, 0.0), (3.5, 2.0)]:
        h = 1e-3 * T
        f = [shell.free_energy(T + k * h, w) for k in (-2, -1, 0, 1, 2)]
        d2 = (-f[0] + 16 * f[1] - 30 * f[2] + 16 * f[3] - f[4]) / (12 * h * h)
        assert shell.heat_capacity(T, w) == pytest.approx(-T * d2, rel=1e-4, abs=1e-6)


def test_pair_energy_is_G_derivative_of_F():
    # Hellmann-Feynman: <-G A^+A> = G dF/dG at fixed T, omega
    for l, n in [(3, 6), (5, 11)]:
        for T, w in [(0.5, 0.3), (2.0, 1.5)]:
            G, h = 1.0, 1e-5
            fp = SingleShell(l, n, G + h).free_energy(T, w)
            fm = SingleShell(l, n, G - h).free_energy(T, w)
            assert SingleShell(l, n, G).pair_energy(T, w) == pytest.approx(
                G * (fp - fm) / (2 * h), rel=1e-7)


def test_field_symmetry_and_particle_hole_shift():
    shell = SingleShell(4, 7)
    T, w = 0.6, np.array([0.3, 1.2])
    assert np.allclose(shell.free_energy(T, w), shell.free_energy(T, -w))
    assert np.allclose(shell.magnetic_moment(T, w), -shell.magnetic_moment(T, -w))
    # spectrum of 2M - n electrons = spectrum of n shifted by -G (M - n)
    M = shell.M
    hole = SingleShell(4, 2 * M - 7)
    assert np.allclose(hole.free_energy(T, w), shell.free_energy(T, w) - (M - 7))


def test_broadcasting_shapes():
    shell = SingleShell(5, 10)
    T = np.array([0.1, 0.5, 1.0])[:, None]
    w = np.linspace(0, 2, 7)[None, :]
    assert shell.canonical_gap(T, w).shape == (3, 7)
    assert shell.susceptibility(T, w).shape == (3, 7)
    assert isinstance(shell.heat_capacity(0.5, 0.2), float)
    d = shell.thermodynamics(T, w)
    assert np.allclose(d["heat_capacity"], shell.heat_capacity(T, w))
    assert np.allclose(d["canonical_gap"], shell.canonical_gap(T, w))


# ---------------------------------------------------------- T = 0: steps
def lower_envelope_breakpoints(energies, moments):
    """Fields where the ground state of lines E - omega m changes (omega > 0)."""
    energies = np.asarray(energies, float)
    moments = np.asarray(moments, float)
    e0 = energies.min()
    cur = np.argmax(np.where(np.isclose(energies, e0), moments, -np.inf))
    out = []
    while True:
        higher = moments > moments[cur] + 0.5
        if not np.any(higher):
            return out
        w = (energies[higher] - energies[cur]) / (moments[higher] - moments[cur])
        wmin = w.min()
        cand = np.nonzero(higher)[0][np.isclose(w, wmin)]
        out.append(wmin)
        cur = cand[np.argmax(moments[cand])]


@pytest.mark.parametrize("l,n", ED_CASES)
def test_step_fields_against_exact_diagonalisation(l, n):
    e, m = ed(l, n)
    steps = SingleShell(l, n).step_fields()
    np.testing.assert_allclose(steps, lower_envelope_breakpoints(e, m), atol=1e-9)


@pytest.mark.parametrize("l", [2, 5, 11, 25])
def test_step_fields_eq12_both_parities_and_fillings(l):
    M = 2 * l + 1
    for n in range(1, 2 * M):
        shell = SingleShell(l, n)
        lines_e = np.atleast_1d(shell.seniority_energy(shell.seniorities))
        lines_m = np.atleast_1d(shell.max_moment(shell.seniorities))
        np.testing.assert_allclose(shell.step_fields(),
                                   lower_envelope_breakpoints(lines_e, lines_m), rtol=1e-12)
        # eq. (12) of seed 001 in units of Delta(0) = G M / 2
        d0 = shell.delta0
        eq12 = [2 * d0 / M * (1.0 if nu == 0 else (M - nu) / (M - nu - 1))
                for nu in shell.seniorities[:-1]]
        np.testing.assert_allclose(shell.step_fields(), eq12, rtol=1e-12)
    # critical fields of the (nearly) half-filled shell, seed 001 text
    d0 = SingleShell(l, M).delta0
    assert SingleShell(l, M).critical_field() == pytest.approx(4 * d0 / M)
    assert SingleShell(l, M - 1).critical_field() == pytest.approx(3 * d0 / M)
    assert SingleShell(l, M + 1).critical_field() == pytest.approx(3 * d0 / M)


def test_zero_temperature_gap_and_moment_are_ground_state_values():
    shell = SingleShell(5, 10)
    steps = shell.step_fields()
    mids = np.concatenate([[0.5 * steps[0]], 0.5 * (steps[1:] + steps[:-1]), [steps[-1] + 1]])
    nu, m, u = shell.ground_state(mids)
    assert nu.tolist() == shell.seniorities.tolist()
    e_nu = np.array([shell.seniority_energy(v) for v in nu])
    np.testing.assert_allclose(shell.canonical_gap(0.0, mids), np.sqrt(-e_nu))
    np.testing.assert_allclose(shell.magnetic_moment(0.0, mids), m)
    np.testing.assert_allclose(shell.free_energy(0.0, mids), u)
    # continuity T -> 0+
    np.testing.assert_allclose(shell.canonical_gap(1e-3, mids), np.sqrt(-e_nu), rtol=1e-9)
    # the all-blocked state below half filling has no pair energy
    assert shell.canonical_gap(0.0, 2 * steps[-1]) == 0.0


# ------------------------------------------------------- large shells
def test_large_shell_no_overflow_and_infinite_temperature_limit():
    l = 25                                       # M = 51: brute force impossible
    shell = SingleShell(l, 50)
    w = np.linspace(0, 2, 41) * shell.critical_field()
    for T in (0.02 * shell.tc, 0.1 * shell.tc, 2 * shell.tc):
        d = shell.thermodynamics(T, w)
        for key, val in d.items():
            assert np.all(np.isfinite(val)), key
    assert shell.log_partition_function(0.02 * shell.tc, 0.0) > 709
    with pytest.raises(ValueError, match="log_partition_function"):
        shell.partition_function(0.02 * shell.tc, 0.0)
    # T -> infinity: all C(2M, n) states equally likely
    M, n = shell.M, shell.n_electrons
    T = 1e9
    assert shell.log_partition_function(T, 0.0) == pytest.approx(
        math.log(math.comb(2 * M, n)), abs=1e-5)
    mk = sen.single_particle_moments(l).astype(float)
    var_draw = n * (2 * M - n) / (2 * M - 1) * mk.var()   # sampling without replacement
    assert shell.susceptibility(T, 0.0) * T == pytest.approx(var_draw, rel=1e-6)


# ------------------------------------------------------------------ BCS
def brute_bcs(l, n, T, w, G=1.0, nd=500):
    """min over a Delta grid of F = Omega + mu n, mu from the number equation."""
    M = 2 * l + 1
    mp = np.arange(-l, l + 1) + 1.0

    def fermi(x):
        return np.where(x < 0, 1.0, np.where(x > 0, 0.0, 0.5)) if T == 0 else \
            0.5 * (1 - np.tanh(x / (2 * T)))

    def nlog(x):
        return np.minimum(0, x) if T == 0 else -T * np.logaddexp(0, -x / T)

    def free(D):
        if T == 0 and D == 0:
            return np.sort(np.concatenate([-w * mp, w * mp]))[:n].sum()

        def num(xi):
            E = np.hypot(xi, D)
            if E == 0:
                return np.sum(fermi(-w * mp) + fermi(w * mp)) - n
            return np.sum(1 - xi / E * (1 - fermi(E - w * mp) - fermi(E + w * mp))) - n
        big = 50 * (G * M + abs(w) * M + T + 1)
        xi = brentq(num, -big, big, xtol=1e-14)
        E = np.hypot(xi, D)
        return D * D / G + np.sum(xi - E + nlog(E - w * mp) + nlog(E + w * mp)) - xi * n

    grid = np.linspace(0, G * M / 2 * 1.001, nd)
    fs = np.array([free(D) for D in grid])
    i = int(np.argmin(fs))
    return grid[i], fs[i], grid[1] - grid[0]


@pytest.mark.parametrize("l,n,T_tc,w", [
    (2, 5, 0.6, 0.36), (4, 11, 0.3, 0.07), (3, 6, 0.6, 0.76), (1, 4, 0.02, 0.69),
    (5, 10, 0.0, 0.5), (5, 10, 0.1, 1.02), (5, 11, 0.0, 0.9), (3, 7, 0.9, 0.2),
])
def test_bcs_is_the_minimum_of_the_mean_field_free_energy(l, n, T_tc, w):
    shell = SingleShell(l, n)
    T = T_tc * shell.tc
    d_brute, f_brute, step = brute_bcs(l, n, T, w)
    sol = shell.bcs_solution(T, w)
    assert float(sol.free_energy) <= f_brute + 1e-9
    assert float(sol.free_energy) == pytest.approx(f_brute, abs=1e-4)
    assert float(sol.gap) == pytest.approx(d_brute, abs=1.5 * step)


def test_bcs_zero_temperature_zero_field_gap():
    for l in (1, 3, 5, 11):
        M = 2 * l + 1
        for n in (1, M - 1, M, M + 2, 2 * M - 1):
            shell = SingleShell(l, n)
            # degenerate-level BCS: v^2 = n / 2M and Delta = G M u v
            assert shell.bcs_gap(0.0, 0.0) == pytest.approx(0.5 * math.sqrt(n * (2 * M - n)))
        assert SingleShell(l, M).bcs_gap(0.0, 0.0) == pytest.approx(SingleShell(l, M).delta0)


def test_bcs_temperature_dependence_and_tc_half_filling():
    shell = SingleShell(5, 11)
    GM = shell.G * shell.M
    # at omega = 0, xi = 0 the gap equation inverts to T(Delta) = Delta / (2 artanh(2 Delta / GM))
    for frac in (0.05, 0.3, 0.7, 0.95):
        delta = frac * shell.delta0
        T = delta / (2 * math.atanh(2 * delta / GM))
        assert shell.bcs_gap(T, 0.0) == pytest.approx(delta, rel=1e-8)
    assert shell.tc == pytest.approx(shell.delta0 / 2)
    assert shell.bcs_gap(0.999 * shell.tc, 0.0) > 0
    assert shell.bcs_gap(1.001 * shell.tc, 0.0) == 0.0


def test_bcs_moment_is_minus_dF_domega_and_gap_equation_holds():
    shell = SingleShell(5, 10)
    for T_tc, w in [(0.3, 0.4), (0.8, 0.3), (1.5, 1.0)]:
        T = T_tc * shell.tc
        h = 1e-5
        fp = float(shell.bcs_solution(T, w + h).free_energy)
        fm = float(shell.bcs_solution(T, w - h).free_energy)
        sol = shell.bcs_solution(T, w)
        assert float(sol.moment) == pytest.approx(-(fp - fm) / (2 * h), rel=1e-5, abs=1e-6)
        if sol.gap > 0:
            E = math.hypot(float(sol.xi), float(sol.gap))
            mp = sen.pair_moments(5)
            s = 0.5 * (np.tanh((E + w * mp) / (2 * T)) + np.tanh((E - w * mp) / (2 * T)))
            assert shell.G / 2 * np.sum(s) / E == pytest.approx(1.0, abs=1e-10)
    chi = shell.bcs_susceptibility(0.5 * shell.tc, 0.3)
    m1 = float(shell.bcs_solution(0.5 * shell.tc, 0.3 + 1e-3).moment)
    m0 = float(shell.bcs_solution(0.5 * shell.tc, 0.3 - 1e-3).moment)
    assert chi == pytest.approx((m1 - m0) / 2e-3, rel=1e-3)


def test_bcs_destroyed_faster_than_canonical_pairing():
    # seed 001, Fig. 1: above the T = 0 critical field the canonical gap survives at
    # finite T, the BCS gap does not
    shell = SingleShell(5, 10)
    wc = shell.critical_field()
    T = 0.8 * shell.tc
    assert shell.bcs_gap(T, 1.2 * wc) == 0.0
    assert shell.canonical_gap(T, 1.2 * wc) > 0.2 * shell.delta0
    assert shell.canonical_gap(0.0, 1.2 * wc) == 0.0


# ----------------------------------------------------------- bad input
@pytest.mark.parametrize("kwargs,match", [
    (dict(l=-1, n_electrons=0), "l must be"),
    (dict(l=1.5, n_electrons=1), "l must be"),
    (dict(l=sen.L_MAX + 1, n_electrons=1), "l must be"),
    (dict(l=2, n_electrons=11), "n_electrons must be"),
    (dict(l=2, n_electrons=-1), "n_electrons must be"),
    (dict(l=2, n_electrons=2.5), "n_electrons must be"),
    (dict(l=2, n_electrons=4, G=0.0), "G must be"),
    (dict(l=2, n_electrons=4, G=float("nan")), "G must be"),
])
def test_invalid_shell(kwargs, match):
    with pytest.raises(ValueError, match=match):
        SingleShell(**kwargs)


def test_invalid_arguments():
    shell = SingleShell(2, 4)
    with pytest.raises(ValueError, match="nu must be one of"):
        shell.seniority_energy(1)
    with pytest.raises(ValueError, match="nu must be one of"):
        shell.max_moment(6)
    with pytest.raises(ValueError, match="T must be > 0"):
        shell.susceptibility(0.0, 0.1)
    with pytest.raises(ValueError, match="T must be >= 0"):
        shell.canonical_gap(-0.1, 0.1)
    with pytest.raises(ValueError, match="omega must be finite"):
        shell.canonical_gap(0.1, np.nan)
    with pytest.raises(ValueError, match="T must be >= 0"):
        shell.bcs_gap(-1.0, 0.0)
    with pytest.raises(ValueError, match="single seniority"):
        SingleShell(2, 9).critical_field()
    with pytest.raises(ValueError, match="at most 20000"):
        sen.exact_spectrum(5, 11)
    with pytest.raises(ValueError, match="beta_omega"):
        sen.determinant_generating_function(2, 3, 100.0)
    with pytest.raises(ValueError, match="nu must be"):
        sen.seniority_degeneracy(3, 4)


@pytest.mark.parametrize("l,n", [(1, 3), (2, 4), (2, 5), (3, 6)])
def test_lowest_levels_against_exact_diagonalisation(l, n):
    e, m = ed(l, n)
    shell = SingleShell(l, n)
    w = np.array([0.0, 0.4, 1.3, 2.7])
    lines = shell.lowest_levels(w)
    assert lines.shape == (len(shell.seniorities), 4)
    for i, nu in enumerate(shell.seniorities):
        mask = np.isclose(e, shell.seniority_energy(nu))
        brute = np.array([np.min(e[mask] - x * m[mask]) for x in w])
        np.testing.assert_allclose(lines[i], brute, atol=1e-10)
    np.testing.assert_allclose(lines.min(axis=0), shell.ground_state(w)[2])


def test_chapter_explorers_stay_within_the_static_frame_cap_and_draw():
    from pairing_lib.widgets import MAX_FRAMES
    from pairing_lib.widgets import seniority as ws

    for name, factory in ws.EXPLORERS.items():
        ex = factory()
        assert ex.frame_count <= MAX_FRAMES, name
        png = ex.render()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
    # the explorer shows library values, nothing computed on its own
    data = ws.canonical_field_explorer().compute(M=11, filling="M−1", T=0.1)
    shell = SingleShell(5, 10)
    wc = shell.critical_field()
    np.testing.assert_allclose(data["gap"], shell.canonical_gap(0.1 * shell.tc, data["x"] * wc)
                               / shell.delta0)
    np.testing.assert_allclose(data["steps"], shell.step_fields() / wc)


# ------------------------------------- pair measures and occupation numbers
def brute_force_thermal(l, n, T, h, orbital=True, G=1.0):
    """<n_k> and <A^dagger A> from the full Hamiltonian -G A^+A - h m, diagonalised with vectors.

    Written independently of the library: modes 0..M-1 are (lambda, up) with
    lambda = -l..l, modes M..2M-1 are (lambda, down); the pair partner of
    (lambda, up) is (-lambda, down).
    """
    M = 2 * l + 1
    lam = np.arange(-l, l + 1)
    moment = np.concatenate([lam + 1, lam - 1]) if orbital else np.repeat([1, -1], M)
    pairs = [(i, M + (M - 1 - i)) for i in range(M)]
    basis = [sum(1 << k for k in occ) for occ in itertools.combinations(range(2 * M), n)]
    index = {s: i for i, s in enumerate(basis)}

    def sign(s, k):
        return -1.0 if bin(s & ((1 << k) - 1)).count("1") % 2 else 1.0

    ada = np.zeros((len(basis), len(basis)))          # A^dagger A
    for col, s in enumerate(basis):
        for k, kb in pairs:
            if not (s >> k) & 1 or not (s >> kb) & 1:
                continue
            sg = sign(s, k)                            # a_k
            s1 = s & ~(1 << k)
            sg *= sign(s1, kb)                         # a_kbar
            s2 = s1 & ~(1 << kb)
            for q, qb in pairs:
                if (s2 >> q) & 1 or (s2 >> qb) & 1:
                    continue
                sg2 = sign(s2, qb)                     # a_qbar^dagger
                s3 = s2 | (1 << qb)
                sg2 *= sign(s3, q)                     # a_q^dagger
                ada[index[s3 | (1 << q)], col] += sg * sg2
    occ = np.array([[(s >> k) & 1 for k in range(2 * M)] for s in basis], dtype=float)
    ham = -G * ada - h * np.diag(occ @ moment)
    e, v = np.linalg.eigh(ham)
    p = np.exp(-(e - e.min()) / T)
    p /= p.sum()
    rho_diag = (v**2) @ p                              # <det|rho|det>
    nk = rho_diag @ occ
    mean_ada = np.einsum("i,ji,jk,ki->", p, v, ada, v)
    return nk, mean_ada


PAIR_CASES = [(1, 2, True), (1, 3, True), (2, 4, True), (2, 5, True), (2, 6, True),
              (1, 2, False), (2, 4, False), (2, 5, False)]


@pytest.mark.parametrize("l,n,orbital", PAIR_CASES)
def test_occupations_and_connected_measure_against_brute_force(l, n, orbital):
    shell = SingleShell(l, n, orbital=orbital)
    mk = sen.single_particle_moments(l, orbital)
    for T, h in [(0.05, 0.0), (0.3, 0.4), (1.0, 1.3), (2.5, 0.2), (0.2, 3.0)]:
        nk, ada = brute_force_thermal(l, n, T, h, orbital)
        occ = shell.pair_occupations(T, h)
        np.testing.assert_allclose(occ, nk, atol=1e-10)
        assert occ.sum() == pytest.approx(n, abs=1e-10)
        M = shell.M
        unc = sum(nk[i] * nk[M + (M - 1 - i)] for i in range(M))
        assert shell.uncorrelated_pairs(T, h) == pytest.approx(unc, abs=1e-10)
        assert shell.connected_pair_correlation(T, h) == pytest.approx(ada - unc, abs=1e-9)
        assert shell.canonical_gap(T, h) == pytest.approx(math.sqrt(ada), abs=1e-9)
    # the field favours the states with a moment along it
    occ = shell.pair_occupations(0.3, 0.4)
    assert occ[np.argmax(mk)] >= occ[np.argmin(mk)]


@pytest.mark.parametrize("l,n", [(1, 2), (2, 4), (5, 10), (5, 11), (11, 22)])
def test_pair_measures_at_infinite_temperature(l, n):
    shell = SingleShell(l, n)
    M, T = shell.M, 1e8
    # every pair is doubly occupied with probability n(n-1)/(2M(2M-1))
    assert shell.background_gap == pytest.approx(math.sqrt(n * (n - 1) / (2 * (2 * M - 1))))
    assert shell.canonical_gap(T, 0.3) == pytest.approx(shell.background_gap, rel=1e-5)
    # each state is occupied with probability n / 2M
    np.testing.assert_allclose(shell.pair_occupations(T, 0.3), n / (2 * M), rtol=1e-5)
    c_inf = n * (n - 1) / (2 * (2 * M - 1)) - n * n / (4 * M)
    assert shell.connected_pair_correlation(T, 0.3) == pytest.approx(c_inf, abs=1e-5)
    assert shell.connected_gap(T, 0.3) == pytest.approx(shell.connected_gap_infinite_T,
                                                        rel=1e-4)


def test_issue_value_of_the_background_and_connected_measure_of_a_determinant():
    shell = SingleShell(5, 10)                      # M = 11, n = 10
    assert shell.background_gap / shell.delta0 == pytest.approx(0.2662, abs=1e-4)
    # above h_c at T -> 0 the ground state is one Slater determinant: C = 0
    hc = shell.critical_field()
    assert shell.connected_pair_correlation(1e-3 * shell.tc, 1.5 * hc) == pytest.approx(
        0.0, abs=1e-12)
    # at T -> 0, h = 0: <A^+A> = -E_0/G and <n_k> = n/2M
    c0 = -shell.seniority_energy(0) - 10**2 / (4 * 11)
    assert shell.connected_pair_correlation(1e-3 * shell.tc, 0.0) == pytest.approx(c0)


def test_bcs_pair_measures_against_one_pair_density_matrix():
    """Each pair of the BCS state is a 4-state system: diagonalise it directly."""
    for l, n, T_tc, h_rel in [(5, 10, 0.0, 0.0), (5, 10, 0.4, 0.3), (3, 6, 0.6, 0.5),
                              (5, 11, 0.9, 0.0), (2, 4, 1.5, 0.2)]:
        shell = SingleShell(l, n)
        T, h = T_tc * shell.tc, h_rel * shell.critical_field()
        sol = shell.bcs_solution(T, h)
        gap, xi = float(sol.gap), float(sol.xi)
        meas = shell.bcs_pair_measures(T, h)
        unc, amp, ntot = 0.0, 0.0, 0.0
        for mp in sen.pair_moments(l):
            # basis |0>, |k>, |kbar>, |k kbar>; H = (xi - h m) n_k + (xi + h m) n_kbar - gap (P + P^+)
            H = np.diag([0.0, xi - h * mp, xi + h * mp, 2 * xi])
            H[0, 3] = H[3, 0] = -gap
            e, v = np.linalg.eigh(H)
            p = np.exp(-(e - e.min()) / T) if T > 0 else (e == e.min()).astype(float)
            p /= p.sum()
            rho = v @ np.diag(p) @ v.T
            nk, nkb = rho[1, 1] + rho[3, 3], rho[2, 2] + rho[3, 3]
            unc += nk * nkb
            amp += rho[0, 3]
            ntot += nk + nkb
        assert ntot == pytest.approx(n, abs=1e-8)          # number equation
        assert shell.G * amp == pytest.approx(gap, abs=1e-8)  # gap equation
        assert float(meas["uncorrelated"]) == pytest.approx(unc, abs=1e-8)
        assert float(meas["connected"]) == pytest.approx(gap)
        assert float(meas["raw"]) == pytest.approx(math.sqrt(gap**2 + unc), abs=1e-8)


def test_bcs_heat_capacity_jump_3M_at_half_filling():
    shell = SingleShell(5, 11)                      # n = M
    M = shell.M
    # Landau expansion: F_s - F_n = -(3M/2)(Tc - T)^2/Tc, so C -> 3M below Tc, 0 above
    assert shell.bcs_heat_capacity(0.999 * shell.tc, 0.0) == pytest.approx(3 * M, rel=3e-3)
    assert abs(shell.bcs_heat_capacity(1.01 * shell.tc, 0.0)) < 1e-6
    # against T dS/dT from a numerical entropy of the brute-force minimum
    T = 0.6 * shell.tc
    dT = 1e-3 * T
    f = [float(shell.bcs_solution(T + k * dT, 0.0).free_energy) for k in (-1, 0, 1)]
    assert shell.bcs_heat_capacity(T, 0.0) == pytest.approx(
        -T * (f[2] - 2 * f[1] + f[0]) / dT**2, rel=1e-9)
    with pytest.raises(ValueError, match="rel_step"):
        shell.bcs_heat_capacity(T, 0.0, rel_step=0.5)


# ---------------------------------------------------- spin-only moments
@pytest.mark.parametrize("l,n", [(1, 2), (1, 3), (2, 4), (2, 5), (3, 6)])
def test_spin_only_spectrum_against_exact_diagonalisation(l, n):
    e, m = sen.exact_spectrum(l, n, orbital=False)
    shell = SingleShell(l, n, orbital=False)
    m_values, counts = sen.seniority_moment_counts(l, orbital=False)
    rows = []
    for nu in shell.seniorities:
        for mm, c in zip(m_values, counts[nu]):
            rows += [(round(shell.seniority_energy(nu), 8), int(mm))] * int(c)
    assert sorted(rows) == sorted((round(float(x), 8), int(y)) for x, y in zip(e, m))
    for nu in shell.seniorities:
        assert m[np.isclose(e, shell.seniority_energy(nu))].max() == nu
    for T, h in [(0.1, 0.0), (0.5, 0.8), (2.0, 3.0)]:
        exact = sen.exact_thermodynamics(l, n, T, h, orbital=False)
        assert shell.free_energy(T, h) == pytest.approx(exact["free_energy"], abs=1e-10)
        assert shell.susceptibility(T, h) == pytest.approx(exact["susceptibility"], abs=1e-9)


@pytest.mark.parametrize("l,n", [(3, 6), (5, 10), (5, 11), (11, 22)])
def test_spin_only_shell_breaks_in_one_jump(l, n):
    shell = SingleShell(l, n, orbital=False)
    M = shell.M
    nus = shell.seniorities
    # consecutive crossings G(M - nu)/2 decrease with nu ...
    consecutive = shell.G * (M - nus[:-1]) / 2
    assert np.all(np.diff(consecutive) < 0)
    # ... so the ground state jumps from the lowest to the highest seniority at once
    assert shell.ground_state_seniorities().tolist() == [nus[0], nus[-1]]
    h_jump = (shell.seniority_energy(nus[-1]) - shell.seniority_energy(nus[0])) / (
        nus[-1] - nus[0])
    np.testing.assert_allclose(shell.step_fields(), [h_jump])
    # brute force of the lower envelope on a fine grid
    h = np.linspace(0, 2 * h_jump, 4001)
    lines = shell.lowest_levels(h)
    nu_gs = nus[np.argmin(lines, axis=0)]
    assert set(nu_gs.tolist()) == {nus[0], nus[-1]}
    # with orbital moments the same shell passes through every seniority
    assert SingleShell(l, n).ground_state_seniorities().tolist() == nus.tolist()
    if n == M - 1:
        assert h_jump / shell.delta0 == pytest.approx((M + 3) / (2 * M))


def test_connected_measure_high_temperature_expansion():
    """<X>_T = <X>_inf - (1/T) Cov_inf(X, H) + ...; at h = 0 the occupations stay n/2M."""
    shell = SingleShell(5, 10)
    nus = shell.seniorities
    a = np.array([-shell.seniority_energy(v) for v in nus])       # A^+A on seniority nu
    w = np.array([shell.degeneracy(v) for v in nus], dtype=float)
    w /= w.sum()
    var = (w * a * a).sum() - (w * a).sum() ** 2
    c_inf = -(shell.connected_gap_infinite_T / shell.G) ** 2
    for T in (200.0, 1000.0):
        c = shell.connected_pair_correlation(T, 0.0)
        assert c - c_inf == pytest.approx(shell.G * var / T, rel=5 * shell.G * shell.M / T)


def test_spin_only_jump_field_closed_forms():
    """(M + 3)/(2M) Delta_sh for n = M - 1 and (M + 1)/(2M) Delta_sh for n = M."""
    for l in (2, 3, 5, 11):
        M = 2 * l + 1
        even, odd = SingleShell(l, M - 1, orbital=False), SingleShell(l, M, orbital=False)
        assert even.critical_field() == pytest.approx((M + 3) / (2 * M) * even.delta0)
        assert odd.critical_field() == pytest.approx((M + 1) / (2 * M) * odd.delta0)
        # the crossing of the two end lines, written out from E_nu of eq. (4)
        G = even.G
        assert even.critical_field() == pytest.approx(G * (M - 1) * (M + 3) / 4 / (M - 1))


def _grand_canonical_connected(l, n_mean, T, h):
    """Exact grand-canonical connected bracket: average over all n with weights Z_n e^{mu n / T}."""
    M = 2 * l + 1
    ns = np.arange(2 * M + 1)
    shells = [SingleShell(l, int(n)) for n in ns]
    log_z = np.array([float(s.log_partition_function(T, h)) for s in shells])
    ada = np.array([float(s.canonical_gap(T, h)) ** 2 for s in shells])   # G = 1
    occ = np.array([s.pair_occupations(T, h) for s in shells])
    lo, hi = -60.0, 60.0
    for _ in range(200):                       # bisection for mu: <n> = n_mean
        mu = 0.5 * (lo + hi)
        w = log_z + mu * ns / T
        w = np.exp(w - w.max())
        w /= w.sum()
        if (w * ns).sum() < n_mean:
            lo = mu
        else:
            hi = mu
    nk = (w[:, None] * occ).sum(axis=0)
    unc = sum(nk[i] * nk[M + (M - 1 - i)] for i in range(M))
    return (w * ada).sum() - unc, (w * ns).sum()


def test_temperature_induced_correlations_are_not_a_fixed_n_effect():
    """Above h_c the exact grand-canonical ensemble shows the same rise as the canonical one."""
    shell = SingleShell(5, 10)
    h = 1.2 * shell.critical_field()
    for t in (0.05, 0.5, 1.0, 2.0):
        T = t * shell.tc
        c_gc, n_gc = _grand_canonical_connected(5, 10, T, h)
        assert n_gc == pytest.approx(10, abs=1e-6)
        gap_gc = math.copysign(math.sqrt(abs(c_gc)), c_gc) / shell.delta0
        gap_c = float(shell.connected_gap(T, h)) / shell.delta0
        assert abs(gap_gc - gap_c) < 5e-3
        if t >= 0.5:
            assert gap_gc > 0.19                # the rise is there in both ensembles
