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


def test_hard_cases_raise():
    # uncorrelated random levels (nearly degenerate pairs) at strong coupling
    # on many levels: the solver cannot certify an accurate ground state and
    # must refuse with RuntimeError rather than return a number
    for seed, levels, m in [(3, 200, 50), (5, 150, 40)]:
        eps = np.sort(np.random.default_rng(seed).uniform(0, levels, levels))
        with pytest.raises(RuntimeError, match="Richardson solver"):
            R.ground_state_energy(eps, 1.5, m)


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
