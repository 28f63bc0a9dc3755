"""Tests of pairing_lib.richardson (chapter 2: exact solution of the pairing model).

Every check compares the Richardson solver with something independent of it:
brute-force diagonalisation (two constructions of the Hamiltonian), closed
forms (one pair, one hole, full shell, two levels), perturbation theory in g,
numerical derivatives (Hellmann-Feynman), the Bethe wave function built from
the pair energies, particle-hole symmetry and the BCS bulk limit.
"""

import itertools
import math

import numpy as np
import pytest
from scipy.optimize import brentq

from pairing_lib import richardson as R

# ---------------------------------------------------------------------------
# independent helpers (written from scratch, not using the module's solver)
# ---------------------------------------------------------------------------


def dense_hamiltonian(eps, g, n_pairs):
    """H = sum 2 eps n - g sum_ij b_i^+ b_j by loops over configurations."""
    levels = len(eps)
    basis = list(itertools.combinations(range(levels), n_pairs))
    index = {s: k for k, s in enumerate(basis)}
    ham = np.zeros((len(basis), len(basis)))
    for k, state in enumerate(basis):
        ham[k, k] = sum(2 * eps[j] - g for j in state)
        occupied = set(state)
        for i in state:                       # move the pair on level i ...
            for j in range(levels):           # ... to the empty level j
                if j not in occupied:
                    new = tuple(sorted(occupied - {i} | {j}))
                    ham[index[new], k] -= g
    return basis, ham


def one_pair_energy(z, g):
    """Lowest root of 1 = g sum_j 1/(z_j - E) (one pair), by bracketing."""
    zmin = np.min(z)
    f = lambda e: g * np.sum(1.0 / (z - e)) - 1.0  # noqa: E731
    lo = zmin - g * len(z) - 1.0
    hi = zmin - 1e-14 * max(1.0, abs(zmin))
    return brentq(f, lo, hi, xtol=1e-15, rtol=1e-15, maxiter=500)


def second_order_coefficient(eps, n_pairs):
    """E = E0 - g M + g^2 E2 + O(g^3), E2 = -sum_{a in F, b not in F} 1/(z_b - z_a)."""
    z = np.sort(2 * np.asarray(eps))
    occ, emp = z[:n_pairs], z[n_pairs:]
    return -np.sum(1.0 / (emp[None, :] - occ[:, None]))


def permanent(mat):
    n = mat.shape[0]
    return sum(np.prod([mat[i, p[i]] for i in range(n)])
               for p in itertools.permutations(range(n)))


def random_levels(rng, n):
    return rng.normal(size=n)


# ---------------------------------------------------------------------------
# brute force itself
# ---------------------------------------------------------------------------


def test_ed_two_levels_closed_form():
    # one pair on two levels: 2x2 matrix [[2e1 - g, -g], [-g, 2e2 - g]]
    for e1, e2, g in [(0.0, 1.0, 0.5), (-0.3, 0.8, 2.0), (1.0, -1.0, 0.01)]:
        expected = e1 + e2 - g - math.sqrt((e2 - e1) ** 2 + g * g)
        assert R.exact_diagonalization([e1, e2], g, 1) == pytest.approx(expected, abs=1e-13)
        assert R.ground_state_energy([e1, e2], g, 1) == pytest.approx(expected, abs=1e-13)


def test_ed_matches_loop_construction_and_trace():
    rng = np.random.default_rng(1)
    for levels, n_pairs in [(5, 2), (6, 3), (7, 1), (7, 6)]:
        eps = random_levels(rng, levels)
        g = 0.7
        _, ham = dense_hamiltonian(eps, g, n_pairs)
        spec = R.exact_spectrum(eps, g, n_pairs)
        assert np.allclose(spec, np.linalg.eigvalsh(ham), atol=1e-12)
        trace = math.comb(levels - 1, n_pairs - 1) * 2 * eps.sum() \
            - g * n_pairs * math.comb(levels, n_pairs)
        assert spec.sum() == pytest.approx(trace, abs=1e-10)


def test_ed_sparse_lanczos_branch_matches_dense():
    eps = random_levels(np.random.default_rng(2), 12)
    # C(12, 6) = 924 states: above the dense threshold of exact_diagonalization
    e_sparse = R.exact_diagonalization(eps, 0.4, 6)
    e_dense = R.exact_spectrum(eps, 0.4, 6, n_states=1)[0]
    assert e_sparse == pytest.approx(e_dense, abs=1e-11)


def test_ed_observables_against_finite_differences():
    eps = random_levels(np.random.default_rng(3), 7)
    g, m, h = 0.6, 3, 1e-5
    st = R.exact_ground_state(eps, g, m)
    de_dg = (R.exact_diagonalization(eps, g + h, m) - R.exact_diagonalization(eps, g - h, m)) / (2 * h)
    assert st.pair_correlation == pytest.approx(-de_dg, rel=1e-7)
    assert st.occupations.sum() == pytest.approx(m, abs=1e-12)
    assert st.dimension == math.comb(7, 3)


# ---------------------------------------------------------------------------
# Richardson versus brute force
# ---------------------------------------------------------------------------

COUPLINGS = [0.0, 0.01, 0.2, 0.7, 2.0, 10.0, 100.0]   # mean 2 eps spacing ~ 0.3-1


@pytest.mark.parametrize("seed", range(8))
def test_ground_state_energy_matches_ed_all_fillings(seed):
    rng = np.random.default_rng(seed)
    levels = int(rng.integers(2, 10))
    eps = random_levels(rng, levels)
    for m in range(levels + 1):
        energies = R.ground_state_energy(eps, COUPLINGS, m)
        for g, e in zip(COUPLINGS, energies):
            ed = R.exact_diagonalization(eps, g, m)
            assert e == pytest.approx(ed, abs=1e-10 * max(1.0, abs(ed)))


def test_half_filled_equally_spaced_matches_ed():
    for levels in (8, 12, 14):
        eps = R.equally_spaced_levels(levels, d=1.0)
        for g in (0.2, 0.5, 1.0, 3.0):
            e = R.ground_state_energy(eps, g, levels // 2)
            assert e == pytest.approx(R.exact_diagonalization(eps, g, levels // 2), abs=1e-10)


def test_many_levels_few_pairs_matches_ed():
    # strong coupling on many levels with few pairs (and, by particle-hole
    # symmetry, few holes)
    rng = np.random.default_rng(5)
    for levels, m in [(30, 2), (40, 1), (25, 3), (30, 28), (20, 17)]:
        eps = np.sort(rng.uniform(-levels / 2, levels / 2, levels))
        for g in (0.05, 0.5, 3.0, 30.0):
            e = R.ground_state_energy(eps, g, m)
            ed = R.exact_diagonalization(eps, g, m)
            assert e == pytest.approx(ed, abs=1e-9 * max(1.0, abs(ed)))


def test_never_silently_wrong_nearly_degenerate_levels():
    # nearly degenerate pairs of levels and strong coupling: the solver must
    # either return the exact energy or raise RuntimeError
    rng = np.random.default_rng(2)
    answered = 0
    for _ in range(8):
        eps = np.sort(rng.uniform(-1, 1, 11))
        k = int(rng.integers(0, 10))
        eps[k + 1] = eps[k] + 2 * 10 ** rng.uniform(-8, -5)
        eps = np.sort(eps)
        m = int(rng.integers(1, 11))
        for g in (0.02, 0.2, 2.0, 20.0):
            try:
                e = R.ground_state_energy(eps, g, m)
            except RuntimeError as exc:
                assert "Richardson" in str(exc)
                continue
            answered += 1
            ed = R.exact_diagonalization(eps, g, m)
            assert e == pytest.approx(ed, abs=1e-9 * max(1.0, abs(ed)))
    assert answered >= 16


def test_wrong_branch_is_detected(monkeypatch):
    # Force the continuation to start from an excited configuration while
    # claiming it is the ground state: the ground-state certificates
    # (occupations decreasing with eps, concave E(g)) must refuse it. At weak
    # coupling every excited configuration has a hole below a pair, so all are
    # caught; at strong coupling the certificates are necessary conditions
    # only, and most (not all) are caught.
    eps = np.sort(random_levels(np.random.default_rng(0), 8))
    caught = {0.1: 0, 1.0: 0}
    excited = [occ for occ in itertools.combinations(range(8), 4) if occ != (0, 1, 2, 3)]
    for occ in excited:
        monkeypatch.setattr(R, "_lowest", lambda e, n, occ=occ: occ)
        for g in caught:
            try:
                R.ground_state(eps, g, 4)
            except RuntimeError as exc:
                assert "Richardson solver" in str(exc)
                caught[g] += 1
    assert caught[0.1] == len(excited)
    assert caught[1.0] >= 0.9 * len(excited)


#: Reference energies of two ill-conditioned problems from Newton's method on
#: the same eigenvalue-based equations in 80-digit arithmetic (mpmath, started
#: from the double-precision solution; tests/reference_mpmath.py): an
#: independent evaluation of the equations, not of this module's numerics.
MPMATH_REFERENCE = {
    ("uniform", 150, 40, 1.5, 5): -1546.634365541630178,
    ("goe", 200, 100, 2.0, 7): -21835.00735054942175,
}


def test_hard_cases_raise_or_are_right():
    # uncorrelated random levels (nearly degenerate pairs: spacings down to
    # 1e-3 of the mean) at strong coupling on many levels: the solver must
    # refuse with a message that names the closest levels, or be right
    eps = np.sort(np.random.default_rng(3).uniform(0, 200, 200))
    with pytest.raises(RuntimeError, match="Richardson solver") as info:
        R.ground_state_energy(eps, 1.5, 50)
    assert "closest levels" in str(info.value) and "apart" in str(info.value)
    eps = np.sort(np.random.default_rng(5).uniform(0, 150, 150))
    sol = R.ground_state(eps, 1.5, 40)
    ref = MPMATH_REFERENCE[("uniform", 150, 40, 1.5, 5)]
    assert abs(sol.energy - ref) <= sol.energy_error
    assert sol.energy_error < 1e-6


def test_order_of_levels_is_irrelevant():
    rng = np.random.default_rng(7)
    eps = random_levels(rng, 9)
    perm = rng.permutation(9)
    a = R.ground_state(eps, 0.8, 4)
    b = R.ground_state(eps[perm], 0.8, 4)
    assert a.energy == pytest.approx(b.energy, abs=1e-11)
    assert np.allclose(a.occupations[perm], b.occupations, atol=1e-10)


def test_singular_points_of_richardson_equations():
    # Equally spaced levels, 4 pairs on 8 levels: as g grows, two real pair
    # energies meet at some 2 eps_j and turn complex. There Richardson's
    # equations are singular (0/0); the eigenvalue-based solution is not.
    eps = np.arange(8.0)
    m = 4

    def complex_pairs(g):
        return bool(np.any(np.abs(R.pair_energies(eps, g, m).imag) > 1e-6))

    assert not complex_pairs(0.2) and complex_pairs(0.5)
    lo, hi = 0.2, 0.5
    for _ in range(45):
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if complex_pairs(mid) else (mid, hi)
    # at the singular coupling two pair energies sit on a level 2 eps_j
    pe = R.pair_energies(eps, lo, m)
    dist = np.abs(pe[:, None] - 2 * eps[None, :])
    assert np.sort(dist.min(axis=1))[1] < 1e-4
    # Richardson's equations hold there only through the cancellation of
    # divergent terms 1/(2 eps_j - E_k) (0/0); the solution still satisfies them
    assert np.max(np.abs(1.0 / dist)) > 1e4
    assert np.max(np.abs(R.richardson_residuals(eps, lo, pe))) < 1e-1
    for g in (lo, 0.5 * (lo + hi), hi, lo - 1e-9, hi + 1e-9):
        e = R.ground_state_energy(eps, g, m)
        assert e == pytest.approx(R.exact_diagonalization(eps, g, m), abs=1e-10)
    # a dense sweep across the region of collisions (vectorised call)
    gs = np.linspace(0.05, 3.0, 40)
    es = R.ground_state_energy(eps, gs, m)
    ed = [R.exact_diagonalization(eps, g, m) for g in gs]
    assert np.allclose(es, ed, atol=1e-9)


# ---------------------------------------------------------------------------
# analytic limits
# ---------------------------------------------------------------------------


def test_trivial_limits():
    eps = np.array([0.3, -1.2, 2.0, 0.9, -0.1])
    z = 2 * eps
    assert R.ground_state_energy(eps, 0.7, 0) == 0.0
    # full shell: only the diagonal of -g sum_ij b_i^+ b_j survives
    assert R.ground_state_energy(eps, 0.7, 5) == pytest.approx(z.sum() - 0.7 * 5, abs=1e-13)
    # g = 0: the lowest levels
    for m in range(6):
        assert R.ground_state_energy(eps, 0.0, m) == pytest.approx(np.sort(z)[:m].sum())


def test_one_pair_secular_equation():
    rng = np.random.default_rng(11)
    eps = rng.uniform(-5, 5, 60)
    for g in (0.01, 0.3, 1.0, 5.0):
        sol = R.ground_state(eps, g, 1)
        assert sol.energy == pytest.approx(one_pair_energy(2 * eps, g), abs=1e-10)
        # the single pair energy is the energy; the variable x_i = g/(2 eps_i - E)
        assert np.allclose(sol.lambdas, g / (2 * eps - sol.energy), atol=1e-10)


def test_one_hole_by_particle_hole_symmetry():
    # b_j -> hole: E(eps, g, L - 1) = sum 2 eps - g L + E_one_pair(g - eps)
    rng = np.random.default_rng(12)
    eps = rng.uniform(-3, 3, 40)
    for g in (0.05, 0.4, 2.0):
        expected = 2 * eps.sum() - g * eps.size + one_pair_energy(2 * (g - eps), g)
        assert R.ground_state_energy(eps, g, eps.size - 1) == pytest.approx(expected, abs=1e-9)


def test_particle_hole_symmetry_many_levels():
    rng = np.random.default_rng(13)
    eps = np.sort(rng.uniform(0, 80, 80))
    for m in (20, 40, 55):
        for g in (0.3, 1.5):
            direct = R.ground_state_energy(eps, g, m)
            holes = 2 * eps.sum() - g * eps.size + R.ground_state_energy(g - eps, g, eps.size - m)
            assert direct == pytest.approx(holes, abs=1e-9 * abs(direct))


def test_perturbation_theory_first_and_second_order():
    rng = np.random.default_rng(14)
    eps = np.sort(rng.uniform(-2, 2, 12))
    for m in (3, 6):
        e0 = 2 * np.sort(eps)[:m].sum()
        e2 = second_order_coefficient(eps, m)
        devs = []
        for g in (2e-3, 1e-3):
            e = R.ground_state_energy(eps, g, m)
            devs.append((e - e0 + g * m) / g**2 - e2)
        # remainder is O(g): small and halving with g
        assert abs(devs[1]) < 0.05 * abs(e2)
        assert devs[0] / devs[1] == pytest.approx(2.0, rel=0.05)


# ---------------------------------------------------------------------------
# Hellmann-Feynman quantities, wave function and pair energies
# ---------------------------------------------------------------------------


def test_hellmann_feynman_against_ed_and_finite_differences():
    rng = np.random.default_rng(15)
    eps = random_levels(rng, 9)
    m, h = 4, 1e-5
    for g in (0.1, 0.6, 3.0):
        sol = R.ground_state(eps, g, m)
        ed = R.exact_ground_state(eps, g, m)
        assert sol.pair_correlation == pytest.approx(ed.pair_correlation, rel=1e-8)
        assert np.allclose(sol.occupations, ed.occupations, atol=1e-8)
        d_e = (R.ground_state_energy(eps, g + h, m) - R.ground_state_energy(eps, g - h, m)) / (2 * h)
        assert sol.pair_correlation == pytest.approx(-d_e, rel=1e-6)
        for j in (0, 4, 8):
            up, dn = eps.copy(), eps.copy()
            up[j] += h
            dn[j] -= h
            d_ej = (R.ground_state_energy(up, g, m) - R.ground_state_energy(dn, g, m)) / (2 * h)
            assert sol.occupations[j] == pytest.approx(d_ej / 2, abs=1e-6)


def test_occupations_large_system_sum_rule_and_order():
    eps = R.equally_spaced_levels(200)
    sol = R.ground_state(eps, 0.4, 100)
    assert sol.occupations.sum() == pytest.approx(100, abs=1e-8)
    assert np.all(np.diff(sol.occupations) <= 1e-12)
    # particle-hole symmetric spectrum at half filling: n_j + n_{L-1-j} = 1
    assert np.allclose(sol.occupations + sol.occupations[::-1], 1.0, atol=1e-8)


def test_bethe_wave_function_is_an_eigenvector():
    # psi(S) = permanent of 1/(2 eps_j - E_k), j in S: checks the pair
    # energies and Richardson's ansatz against a Hamiltonian built by loops
    rng = np.random.default_rng(16)
    for levels, m, g in [(6, 2, 0.3), (7, 3, 0.5), (8, 4, 0.2), (6, 3, 2.0)]:
        eps = random_levels(rng, levels)
        pe = R.pair_energies(eps, g, m)
        basis, ham = dense_hamiltonian(eps, g, m)
        psi = np.array([permanent(1.0 / (2 * eps[list(s)][:, None] - pe[None, :]))
                        for s in basis])
        energy = R.ground_state_energy(eps, g, m)
        assert abs(pe.sum() - energy) < 1e-10
        assert np.linalg.norm(ham @ psi - energy * psi) < 1e-8 * np.linalg.norm(psi)
        # the ground state has amplitudes of one sign (Perron-Frobenius)
        phase = psi / psi[np.argmax(np.abs(psi))]
        assert np.all(phase.real > 0) and np.allclose(phase.imag, 0, atol=1e-8)


def test_pair_energies_solve_richardson_equations():
    rng = np.random.default_rng(17)
    eps = random_levels(rng, 10)
    for g in (0.05, 0.3, 1.0):
        pe = R.pair_energies(eps, g, 5)
        assert np.allclose(np.sort_complex(pe), np.sort_complex(pe.conj()), atol=1e-8)
        assert np.max(np.abs(R.richardson_residuals(eps, g, pe))) < 1e-6
        assert pe.sum().real == pytest.approx(R.exact_diagonalization(eps, g, 5), abs=1e-9)


def test_excited_states_reproduce_the_whole_spectrum():
    rng = np.random.default_rng(18)
    for levels, m, g in [(6, 3, 0.5), (7, 2, 1.5), (6, 2, 0.1)]:
        eps = np.sort(random_levels(rng, levels))
        found = sorted(R.eigenstate(eps, g, occ).energy
                       for occ in itertools.combinations(range(levels), m))
        assert np.allclose(found, R.exact_spectrum(eps, g, m), atol=1e-9)


def test_condensation_energy():
    rng = np.random.default_rng(19)
    eps = random_levels(rng, 8)
    basis, ham = dense_hamiltonian(eps, 0.5, 4)
    fermi = tuple(sorted(np.argsort(eps)[:4]))
    expected = np.linalg.eigvalsh(ham)[0] - ham[basis.index(fermi), basis.index(fermi)]
    assert R.condensation_energy(eps, 0.5, 4) == pytest.approx(expected, abs=1e-11)
    assert np.all(R.condensation_energy(eps, [0.0, 0.1, 1.0], 4) <= 1e-12)


# ---------------------------------------------------------------------------
# many levels: reach and the BCS limit
# ---------------------------------------------------------------------------


def bcs_condensation_energy(eps, g, n_pairs):
    """Grand-canonical BCS <H> - <F|H|F> for the same H (with the -g sum v^4 term)."""
    def gap(mu):
        xi = eps - mu
        f = lambda D: g * np.sum(0.5 / np.sqrt(xi**2 + D**2)) - 1.0  # noqa: E731
        return brentq(f, 1e-12, 10 * g * len(eps))

    def excess(mu):
        xi = eps - mu
        return np.sum(0.5 * (1 - xi / np.sqrt(xi**2 + gap(mu) ** 2))) - n_pairs

    mu = brentq(excess, eps.min(), eps.max())
    delta = gap(mu)
    xi = eps - mu
    ek = np.sqrt(xi**2 + delta**2)
    v2 = 0.5 * (1 - xi / ek)
    uv = delta / (2 * ek)
    e_bcs = np.sum(2 * eps * v2) - g * uv.sum() ** 2 - g * np.sum(v2**2)
    fermi = 2 * np.sort(eps)[:n_pairs].sum() - g * n_pairs
    return e_bcs - fermi


def test_bulk_limit_versus_bcs():
    # equally spaced levels (d = 1), half filling, lambda = g / d = 0.5:
    # the bandwidth L d fixes omega = L d / 2 and Delta = omega / sinh(1/lambda)
    lam = 0.5
    gaps = []
    for levels in (100, 200, 400):
        eps = R.equally_spaced_levels(levels)
        exact = R.condensation_energy(eps, lam, levels // 2)
        bcs = bcs_condensation_energy(eps, lam, levels // 2)
        assert exact < bcs < 0          # exact state lies below the BCS estimate
        gaps.append(exact / bcs - 1)
        if levels == 400:
            delta = (levels / 2) / math.sinh(1 / lam)
            assert exact / (-delta**2 / 2) == pytest.approx(1.0, abs=0.03)
    # the relative difference shrinks roughly like d / Delta
    assert gaps[0] > gaps[1] > gaps[2]
    assert gaps[2] < 0.05
    assert gaps[1] / gaps[2] == pytest.approx(2.0, rel=0.2)


def test_four_hundred_levels_half_filling():
    eps = R.equally_spaced_levels(400)
    gs = np.array([0.2, 0.5])
    sols = [R.ground_state(eps, g, 200) for g in gs]
    energies = np.array([s.energy for s in sols])
    assert np.all(np.isfinite(energies))
    assert all(s.energy_error < 1e-8 for s in sols)
    # a vectorised sweep (one continuation) agrees with separate calls
    assert np.allclose(R.ground_state_energy(eps, gs, 200), energies, rtol=0, atol=1e-8)
    # concavity: the chord slope lies between the Hellmann-Feynman slopes
    slopes = -np.array([s.pair_correlation for s in sols])
    chord = (energies[1] - energies[0]) / (gs[1] - gs[0])
    assert slopes[0] > chord > slopes[1]


# ---------------------------------------------------------------------------
# input checking and failure reporting
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("eps, match", [
    ([[0.0, 1.0], [2.0, 3.0]], "eps"),
    ([], "eps"),
    ([0.0, np.nan], "eps"),
    ([0.0, np.inf], "eps"),
    ([0.0, 1.0, 1.0], "distinct"),
    ([0.0, 1.0, 1.0 + 1e-14], "distinct"),
    (["a", "b"], "eps"),
])
def test_bad_eps(eps, match):
    with pytest.raises(ValueError, match=match):
        R.ground_state_energy(eps, 0.1, 1)


@pytest.mark.parametrize("g", [-0.1, np.nan, np.inf, "x", [0.1, -1.0], []])
def test_bad_g(g):
    with pytest.raises(ValueError, match="g must"):
        R.ground_state_energy([0.0, 1.0, 2.0], g, 1)


@pytest.mark.parametrize("n_pairs", [-1, 4, 1.5, True, "2", None])
def test_bad_n_pairs(n_pairs):
    with pytest.raises(ValueError, match="n_pairs"):
        R.ground_state_energy([0.0, 1.0, 2.0], 0.1, n_pairs)


def test_other_bad_inputs():
    with pytest.raises(ValueError, match="20000"):
        R.exact_diagonalization(np.arange(40.0), 0.1, 20)
    with pytest.raises(ValueError, match="n_states"):
        R.exact_spectrum(np.arange(5.0), 0.1, 2, n_states=0)
    with pytest.raises(ValueError, match="occupied"):
        R.eigenstate(np.arange(5.0), 0.1, [0, 5])
    with pytest.raises(ValueError, match="occupied"):
        R.eigenstate(np.arange(5.0), 0.1, [1, 1])
    with pytest.raises(ValueError, match="g must be > 0"):
        R.richardson_residuals(np.arange(5.0), 0.0, [0.1])
    with pytest.raises(ValueError, match="n_levels"):
        R.equally_spaced_levels(0)
    with pytest.raises(ValueError, match="d must be > 0"):
        R.equally_spaced_levels(5, d=-1.0)
    assert R.ground_state_energy([0.0, 1.0], 0.2, 1.0) == R.ground_state_energy([0.0, 1.0], 0.2, 1)


def test_failed_continuation_raises():
    eps = R.equally_spaced_levels(50)
    with pytest.raises(RuntimeError, match="max_steps"):
        R.ground_state(eps, 5.0, 25, max_steps=2)


def test_equally_spaced_levels():
    eps = R.equally_spaced_levels(6, d=0.25)
    assert np.allclose(np.diff(eps), 0.25)
    assert eps.mean() == pytest.approx(0.0, abs=1e-15)
    assert eps.shape == (6,)


# ---------------------------------------------------------------------------
# issue 12: random-matrix levels, the second routes, large-N asymptotics
# ---------------------------------------------------------------------------


def test_goe_levels_statistics():
    # GOE signatures, independent of the unfolding: the ratio of consecutive
    # spacings <r> = 0.5307 (Atas et al. 2013; Poisson 0.386, i.i.d. Wigner
    # surmise spacings 0.536 would not be told apart, but they fail the next
    # check); number variance Sigma^2(10) = (2/pi^2)(ln(20 pi) + gamma + 1 -
    # pi^2/8) = 0.909 (spectral rigidity; Poisson 10, i.i.d. surmise ~2.7)
    ratios, counts, spacings = [], [], []
    for seed in range(24):
        e = R.goe_levels(400, d=0.5, seed=seed) / 0.5
        s = np.diff(e)
        spacings.append(s)
        ratios.append(np.mean(np.minimum(s[1:], s[:-1]) / np.maximum(s[1:], s[:-1])))
        for start in np.arange(e[40], e[-50], 2.5):
            counts.append(np.count_nonzero((e >= start) & (e < start + 10)))
    spacings = np.concatenate(spacings)
    assert spacings.mean() == pytest.approx(1.0, abs=0.01)
    assert np.mean(ratios) == pytest.approx(0.5307, abs=0.006)
    sigma2 = 2 / np.pi**2 * (np.log(20 * np.pi) + np.euler_gamma + 1 - np.pi**2 / 8)
    assert np.var(counts) == pytest.approx(sigma2, rel=0.12)
    # level repulsion: P(s < 0.1) ~ (pi/4) s^2 = 0.0079 (Poisson: 0.095)
    assert 0.004 < np.mean(spacings < 0.1) < 0.013
    # seeded, centred, sorted; bad input refused
    a, b = R.goe_levels(50, seed=3), R.goe_levels(50, seed=3)
    assert np.array_equal(a, b) and not np.array_equal(a, R.goe_levels(50, seed=4))
    assert abs(a.mean()) < 1e-12 and np.all(np.diff(a) > 0)
    with pytest.raises(ValueError, match="n_levels"):
        R.goe_levels(0)
    with pytest.raises(ValueError, match="d must be > 0"):
        R.goe_levels(10, d=0.0)


def _near_degenerate(rng, eps, smallest_exponent):
    eps = np.sort(eps.copy())
    k = int(rng.integers(0, eps.size - 1))
    gap = eps[k + 1] - eps[k] if k + 1 < eps.size else 1.0
    eps[k + 1] = eps[k] + gap * 10 ** rng.uniform(smallest_exponent, -1)
    return np.sort(eps)


@pytest.mark.parametrize("seed", range(6))
def test_goe_levels_against_ed_with_near_degeneracies(seed):
    # small GOE spectra (mean spacing 1), one pair of levels pushed together
    # (down to 1e-6 of its spacing), every filling, g up to 2 d: exact or refused
    rng = np.random.default_rng(100 + seed)
    levels = int(rng.integers(8, 13))
    eps = R.goe_levels(levels, 1.0, seed)
    if seed % 2:
        eps = _near_degenerate(rng, eps, -6)
    answered = 0
    for m in range(1, levels):
        try:
            es = R.ground_state_energy(eps, [0.1, 0.5, 1.0, 2.0], m)
        except RuntimeError as exc:
            assert "Richardson solver" in str(exc)
            continue
        answered += 1
        for g, e in zip([0.1, 0.5, 1.0, 2.0], es):
            assert e == pytest.approx(R.exact_diagonalization(eps, g, m), abs=1e-9)
    assert answered == levels - 1


def test_second_routes_are_recorded_and_agree():
    eps = R.goe_levels(40, 1.0, 2)
    for g in (0.3, 1.0, 2.0):
        sol = R.ground_state(eps, g, 20)
        assert abs(sol.hf_energy - sol.energy) <= sol.hf_tolerance
        assert sol.hf_tolerance < 1e-2 * abs(R.condensation_energy(eps, g, 20))
    # few pairs: the pair energies are recovered and checked
    sol = R.ground_state(eps, 0.5, 4)
    assert sol.pair_energy_check is not None and sol.pair_energy_check < 1e-9
    # a dense sweep integrates dE/dg accurately
    gs = np.linspace(0.05, 2.0, 40)
    last = R._solve(eps, gs, R._lowest(eps, 20), ground=True, max_steps=5000)[-1]
    assert abs(last.hf_energy - last.energy) < 1e-5 * abs(R.condensation_energy(eps, 2.0, 20))


def test_branch_jump_is_caught_by_hellmann_feynman_route(monkeypatch):
    # hand the verification a solution of another branch (an excited state
    # reached from another g = 0 filling) together with the ground-state path
    eps = R.goe_levels(12, 1.0, 0)
    excited = R.eigenstate(eps, 0.8, [0, 1, 2, 3, 4, 6]).lambdas
    real_follow = R._follow

    def follow(system, x0, targets, **kw):
        out = real_follow(system, x0, targets, **kw)
        x, fac, steps, rec = out[-1]
        return out[:-1] + [(excited, R._Bordered(system, excited, targets[-1], fac.border),
                            steps, rec)]

    monkeypatch.setattr(R, "_follow", follow)
    with pytest.raises(RuntimeError, match="Hellmann-Feynman"):
        R._solve(eps, [0.8], R._lowest(eps, 6), ground=False, max_steps=5000)


def test_uniform_grid_fft_path_matches_dense_path(monkeypatch):
    # levels on a grid (equally spaced with the central block removed, as in
    # the spin sectors of chapter 2) take the FFT route; compare with dense
    eps = np.delete(R.equally_spaced_levels(260, 0.7), [128, 129, 130, 131])
    assert R._EBVSystem(2 * eps, 128)._grid is not None
    fast = R.ground_state(eps, 0.9, 126)
    monkeypatch.setattr(R._EBVSystem, "_uniform_grid", staticmethod(lambda z: None))
    dense = R.ground_state(eps, 0.9, 126)
    assert fast.energy == pytest.approx(dense.energy, abs=1e-9)
    assert np.allclose(fast.occupations, dense.occupations, atol=1e-10)
    assert fast.pair_correlation == pytest.approx(dense.pair_correlation, rel=1e-11)


def test_goe_levels_strong_coupling_against_high_precision_reference():
    sol = R.ground_state(R.goe_levels(200, 1.0, 7), 2.0, 100)
    ref = MPMATH_REFERENCE[("goe", 200, 100, 2.0, 7)]
    assert abs(sol.energy - ref) <= max(sol.energy_error, 1e-12 * abs(ref))
    assert sol.energy_error < 1e-11


def test_goe_four_hundred_levels_strong_coupling():
    for seed in (0, 1):
        eps = R.goe_levels(400, 1.0, seed)
        sol = R.ground_state(eps, 2.0, 200)
        assert sol.energy_error < 1e-9 * abs(R.condensation_energy(eps, 2.0, 200))
        assert abs(sol.hf_energy - sol.energy) <= sol.hf_tolerance
        # particle-hole: 200 holes on the reflected levels g - eps
        holes = 2 * eps.sum() - 2.0 * eps.size + R.ground_state_energy(2.0 - eps, 2.0, 200)
        assert sol.energy == pytest.approx(holes, abs=1e-8 * abs(sol.energy))


def test_coupling_sweep_reuses_the_continuation():
    eps = R.equally_spaced_levels(400)
    gs = np.linspace(0.05, 2.0, 40)
    sweep = R.ground_state_energy(eps, gs, 200)
    for k in (0, 17, 39):
        assert sweep[k] == pytest.approx(R.ground_state_energy(eps, gs[k], 200), abs=1e-8)
    # E(g) concave with slope -<B^+ B> <= -M
    assert np.all(np.diff(sweep, 2) < 0) and np.all(np.diff(sweep) < -200 * 0.049)


def classical_bcs_and_fluctuations(eps, g):
    """Large-N expansion of the half-filled symmetric problem, written from scratch.

    Pseudospins: H = sum 2 eps S^z - g (S_x^2 + S_y^2) + const. Leading order:
    classical spins (gap equation 1 = (g/2) sum 1/E_j), condensation energy
    sum(|xi| - xi^2/E) - Delta^2/g. Next order: Gaussian (Holstein-Primakoff)
    fluctuations, zero-point energy sum_a omega_a / 2 - sum E_j, the omega_a^2
    the eigenvalues of 4 B A with A = diag(E) - (g/2) c c^T (c = xi/E,
    amplitude channel) and B = diag(E) - (g/2) 1 1^T (phase channel, one zero
    mode: the Goldstone mode of the broken U(1), frozen at fixed N), plus the
    g L / 2 of the Fermi-sea reference. Returns (Delta, classical, E_1).
    """
    xi = np.asarray(eps, dtype=float)
    delta = brentq(lambda D: 0.5 * g * np.sum(1 / np.sqrt(xi**2 + D**2)) - 1,
                   1e-12, 10 * g * xi.size, xtol=1e-14, rtol=1e-15)
    e = np.sqrt(xi**2 + delta**2)
    classical = np.sum(np.abs(xi) - xi**2 / e) - delta**2 / g
    c = xi / e
    a = np.diag(e) - 0.5 * g * np.outer(c, c)
    b = np.diag(e) - 0.5 * g * np.ones((xi.size, xi.size))
    w, v = np.linalg.eigh(a)
    root = (v * np.sqrt(w)) @ v.T
    omega2 = np.clip(np.linalg.eigvalsh(root @ b @ root), 0.0, None)
    e1 = np.sum(np.sqrt(omega2)) - e.sum() + 0.5 * g * xi.size
    return delta, classical, e1


def test_bulk_limit_and_first_finite_size_correction():
    # equally spaced levels (d = 1), half filling, g = lambda d: the exact
    # condensation energy is the classical (BCS) value, O(L^2), plus the
    # Gaussian-fluctuation correction E_1, O(L), up to a remainder that stays
    # O(d) as L grows
    for lam in (1.0, 2.0):
        rests, per_level = [], []
        for levels in (100, 200, 400):
            eps = R.equally_spaced_levels(levels)
            exact = R.condensation_energy(eps, lam, levels // 2)
            delta, classical, e1 = classical_bcs_and_fluctuations(eps, lam)
            rests.append(exact - classical - e1)
            per_level.append(exact / levels**2)
            assert abs(e1) > 100 * abs(rests[-1])          # E_1 is resolved
        assert max(map(abs, rests)) < 0.1                  # O(d)
        assert abs(rests[2] - rests[1]) < 0.3 * abs(rests[1] - rests[0]) + 2e-4
        # per level^2 the bulk value (1 - coth(1/lambda)) / 4 (omega = L d / 2,
        # Delta = omega / sinh(1/lambda)), approached like 1/L
        bulk = (1 - 1 / math.tanh(1 / lam)) / 4
        dev = [p / bulk - 1 for p in per_level]
        assert abs(dev[2]) < 0.02 and dev[0] / dev[1] == pytest.approx(2.0, rel=0.05)


def test_thousand_levels_match_the_asymptotics():
    # 1000 levels at g = 2 d: 500 pairs, beyond any check but the asymptotics
    eps = R.equally_spaced_levels(1000)
    sol = R.ground_state(eps, 2.0, 500)
    exact = sol.energy - (2 * np.sort(eps)[:500].sum() - 2.0 * 500)
    _, classical, e1 = classical_bcs_and_fluctuations(eps, 2.0)
    # the O(d) remainder found at 100-400 levels (-0.0351 at g = 2 d)
    assert exact - classical - e1 == pytest.approx(-0.0351, abs=0.002)
    assert sol.energy_error < 1e-8 and abs(sol.hf_energy - sol.energy) <= sol.hf_tolerance
