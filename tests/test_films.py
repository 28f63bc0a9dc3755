"""Tests of pairing_lib.films (chapter 5): every formula against an independent calculation."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import scipy.sparse as sps
from scipy import integrate, optimize, special, stats

from pairing_lib import films

# literature values of the Townes soliton (e.g. Fibich, The Nonlinear Schroedinger
# Equation, 2015): N_T = 11.7009 = 2 pi x 1.8623, Q(0) = 2.20620
TOWNES_NORM_LIT = 11.7009
TOWNES_Q0_LIT = 2.20620086


# ----------------------------------------------------------------------------
# helpers (independent implementations)
# ----------------------------------------------------------------------------
def _petviashvili_townes(n=256, half=20.0, iters=200):
    """Townes soliton by Petviashvili iteration on a periodic 2D FFT grid."""
    x = (np.arange(n) - n // 2) * (2 * half / n)
    X, Y = np.meshgrid(x, x, indexing="ij")
    k = 2 * np.pi * np.fft.fftfreq(n, d=2 * half / n)
    K2 = k[:, None] ** 2 + k[None, :] ** 2
    u = 2.0 * np.exp(-(X**2 + Y**2) / 2)
    for _ in range(iters):
        uh = np.fft.fft2(u)
        nh = np.fft.fft2(u**3)
        M = np.sum((K2 + 1) * np.abs(uh) ** 2) / np.sum(np.conj(uh) * nh).real
        u = np.fft.ifft2(M**1.5 * nh / (K2 + 1)).real
    dx = 2 * half / n
    return u.max(), np.sum(u**2) * dx**2, np.sum(u**4) * dx**2


def _dense_laplacian(L, a):
    N = L * L
    M = np.zeros((N, N))
    for ix in range(L):
        for iy in range(L):
            i = ix * L + iy
            M[i, i] -= 4 / a**2
            for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
                j = ((ix + dx) % L) * L + (iy + dy) % L
                M[i, j] += 1 / a**2
    return M


def _disk_bound_state(V0, R, delta_h):
    """Lowest eigenvalue of -lap + delta_h - V0 theta(R - r) in the continuum (s wave).

    Inside: J0(k r), k^2 = V0 - delta_h + lam; outside: K0(q r), q^2 = delta_h - lam.
    """
    def match(lam):
        k = np.sqrt(V0 - delta_h + lam)
        q = np.sqrt(delta_h - lam)
        return k * special.j1(k * R) / special.j0(k * R) - q * special.k1(q * R) / special.k0(q * R)

    lo = delta_h - V0 + 1e-9
    # first root below the first zero of J0 (k R < 2.405)
    hi = min(delta_h - 1e-9, (2.404825 / R) ** 2 - V0 + delta_h - 1e-9)
    return optimize.brentq(match, lo, hi, xtol=1e-14)


# ============================================================================
# saddle point and the optimal fluctuation
# ============================================================================
class TestSaddlePoint:
    def test_townes_constants_match_independent_petviashvili(self):
        sp = films.saddle_point()
        q0, norm, quartic = _petviashvili_townes()
        assert sp.q0 == pytest.approx(q0, rel=1e-6)
        assert sp.norm == pytest.approx(norm, rel=1e-6)
        assert sp.quartic == pytest.approx(quartic, rel=1e-6)

    def test_townes_constants_match_literature(self):
        sp = films.saddle_point()
        assert sp.norm == pytest.approx(TOWNES_NORM_LIT, rel=1e-5)
        assert sp.q0 == pytest.approx(TOWNES_Q0_LIT, rel=1e-7)

    def test_pohozaev_identities(self):
        # multiply (-lap + 1)Q = Q^3 by Q and by r.grad Q: K + N = P4, N = P4 / 2
        sp = films.saddle_point()
        assert sp.kinetic == pytest.approx(sp.norm, rel=1e-8)
        assert sp.quartic == pytest.approx(2 * sp.norm, rel=1e-8)
        assert sp.B == pytest.approx(2.0, rel=1e-8)
        assert sp.A == pytest.approx(np.sqrt(2 / sp.norm), rel=1e-8)
        assert sp.action_coefficient == pytest.approx(sp.norm, rel=1e-8)
        assert sp.participation_area == pytest.approx(sp.norm / 2, rel=1e-8)
        assert sp.L0 == pytest.approx(np.sqrt(2), rel=1e-8)

    def test_profile_solves_the_pde(self):
        sp = films.saddle_point()
        r, q = sp.r, sp.profile
        m = (r > 0.2) & (r < 9.0)
        d1 = np.gradient(q, r)
        d2 = np.gradient(d1, r)
        res = -d2[m] - d1[m] / r[m] + q[m] - q[m] ** 3
        assert np.max(np.abs(res)) < 1e-3
        assert np.all(np.diff(q) < 0) and np.all(q > 0)

    def test_tail_is_bessel_k0(self):
        sp = films.saddle_point()
        for y in (6.0, 8.0, 9.5):
            qy = np.interp(y, sp.r, sp.profile)
            assert qy / special.k0(y) == pytest.approx(sp.tail_coefficient, rel=2e-4)

    def test_gyration_radius_by_quadrature_of_profile(self):
        sp = films.saddle_point(r_max=20.0)
        r, q = sp.r, sp.profile
        rg2 = integrate.simpson(r**3 * q**2, x=r) / integrate.simpson(r * q**2, x=r)
        assert sp.gyration_radius == pytest.approx(np.sqrt(rg2), rel=1e-5)

    def test_townes_is_the_minimiser_of_the_action(self):
        # S/(g^2 dh) = (K + N)^2 / (2 P4) >= N_T for any trial (Weinstein); the
        # Gaussian gives 4 pi and a flexible two-parameter family gets close to N_T.
        sp = films.saddle_point()
        r = np.linspace(0, 30, 30001)

        def ratio(eta):
            d = np.gradient(eta, r)
            K = 2 * np.pi * integrate.simpson(d**2 * r, x=r)
            N = 2 * np.pi * integrate.simpson(eta**2 * r, x=r)
            P = 2 * np.pi * integrate.simpson(eta**4 * r, x=r)
            return (K + N) ** 2 / (2 * P)

        assert ratio(np.exp(-r**2 / 2)) == pytest.approx(4 * np.pi, rel=1e-6)

        def trial(p):
            w, b = np.exp(p)
            return ratio(1.0 / np.cosh(r / w) ** b)

        best = optimize.minimize(trial, [0.0, 0.0], method="Nelder-Mead",
                                 options=dict(xatol=1e-6, fatol=1e-9))
        assert best.fun >= sp.action_coefficient * (1 - 1e-6)
        assert best.fun == pytest.approx(sp.action_coefficient, rel=5e-3)
        rng = np.random.default_rng(1)
        for _ in range(5):
            c = rng.uniform(0.1, 1, 3)
            eta = np.exp(-r**2 / 2) * (1 + c[0] * r**2) + c[1] * np.exp(-c[2] * r)
            assert ratio(eta) > sp.action_coefficient

    def test_planted_townes_well_has_a_zero_mode(self):
        # the optimal fluctuation V = -dh Q(r/Lf)^2 binds a state exactly at threshold:
        # lowest eigenvalue of -lap + dh + V -> 0 (continuum limit), a check of Q
        # by an independent linear eigenproblem
        sp = films.saddle_point()
        dh, a, L = 0.04, 0.625, 96  # Lf = 5 = 8 a, box 12 Lf
        x = (np.arange(L) - L / 2) * a
        r = np.hypot(x[:, None], x[None, :]) * np.sqrt(dh)
        V = -dh * np.interp(r, sp.r, sp.profile, right=0.0) ** 2
        H = films.curvature_operator(dh, V, a)
        lam = films.eigenpairs_below(H, 0.2 * dh, vectors=False)
        assert lam.size >= 1
        assert abs(lam[0]) < 0.03 * dh

    def test_printed_equation_has_no_localised_solution(self):
        # eq. (13) as printed: (lap + 1) eta + eta^3 = 0. Solutions oscillate with
        # an envelope ~ y^(-1/2): the norm int eta^2 d^2y grows linearly.
        r = np.linspace(0, 80, 8001)
        for q0 in (0.3, 1.0, 2.2, 4.0):
            eta = films.radial_profile(q0, r, equation="printed")
            norm = 2 * np.pi * integrate.cumulative_trapezoid(eta**2 * r, r, initial=0)
            n40, n80 = np.interp([40.0, 80.0], r, norm)
            assert n80 / n40 > 1.7
            env = np.sqrt(r[r > 40]) * np.abs(eta[r > 40])
            assert env.max() > 0.1 * q0 / (1 + q0)

    def test_cumulative_norm_of_a_gaussian(self):
        r = np.linspace(0, 6, 6001)
        N = films.cumulative_norm(r, np.exp(-r**2 / 2))
        np.testing.assert_allclose(N, np.pi * (1 - np.exp(-r**2)), atol=1e-6)
        with pytest.raises(ValueError, match="start at 0"):
            films.cumulative_norm(r[1:], r[1:])

    def test_correct_equation_decays_for_townes_q0(self):
        sp = films.saddle_point()
        r = np.linspace(0, 8, 801)
        eta = films.radial_profile(sp.q0, r)
        assert eta[-1] == pytest.approx(sp.tail_coefficient * special.k0(8.0), rel=1e-3)
        # and a slightly different q0 does not decay (shooting is sharp)
        for q0 in (0.99 * sp.q0, 1.01 * sp.q0):
            far = films.radial_profile(q0, np.linspace(0, 14, 1401))
            assert np.abs(far[-1]) > 0.1

    def test_bad_input(self):
        with pytest.raises(ValueError, match="q0"):
            films.radial_profile(-1.0, [0, 1])
        with pytest.raises(ValueError, match="equation"):
            films.radial_profile(1.0, [0, 1], equation="other")
        with pytest.raises(ValueError, match="r must"):
            films.radial_profile(1.0, [1, 0])
        with pytest.raises(ValueError, match="dr"):
            films.saddle_point(dr=0.5)


class TestDensityLaw:
    def test_gaussian_tail_is_papers_erfc_by_quadrature(self):
        for a, b in [(0.0, 1.0), (1.3, 0.7), (-0.5, 2.0), (4.0, 1.0)]:
            direct = integrate.quad(lambda x: np.exp(-x**2 / (2 * b**2)) / np.sqrt(2 * np.pi * b**2),
                                    a, np.inf, epsabs=0, epsrel=1e-12)[0]
            assert films.gaussian_tail(a, b) == pytest.approx(direct, rel=1e-9)
        # asymptote (b / a) exp(-a^2 / 2 b^2) / sqrt(2 pi)
        a = 12.0
        assert films.gaussian_tail(a) == pytest.approx(np.exp(-a**2 / 2) / (a * np.sqrt(2 * np.pi)),
                                                      rel=1e-2)

    def test_optimal_action(self):
        assert films.optimal_action(0.1, 3.0) == pytest.approx(
            TOWNES_NORM_LIT * 9 * 0.1, rel=1e-5)
        g = np.array([1.0, 2.0, 5.0])
        np.testing.assert_allclose(films.optimal_action(0.02, g), TOWNES_NORM_LIT * g**2 * 0.02,
                                   rtol=1e-5)

    def test_droplet_size_is_the_optimal_gaussian_width(self):
        # minimise the dimensional action of a Gaussian trial over its width w:
        # S(w) = g^2 (pi + dh pi w^2)^2 / (2 pi w^2 / 2) -> w* = dh^(-1/2) = L_f
        g = 3.0
        for dh in (0.01, 0.05, 0.3):
            S = lambda lw: g**2 * (np.pi + dh * np.pi * np.exp(2 * lw)) ** 2 / (np.pi * np.exp(2 * lw))  # noqa: E731
            w = np.exp(optimize.minimize_scalar(S, bounds=(-5, 8), method="bounded",
                                                options=dict(xatol=1e-10)).x)
            assert films.droplet_size(dh) == pytest.approx(w, rel=1e-5)

    def test_density_law_asymptote_and_scaling(self):
        NT = films.saddle_point().norm  # noqa: N806
        # large s: rho ~ dh exp(-N_T s) / (2 sqrt(pi N_T s))
        for g, dh in [(10.0, 0.5), (30.0, 0.2)]:
            s = g**2 * dh
            asym = dh * np.exp(-NT * s) / (2 * np.sqrt(np.pi * NT * s))
            assert films.droplet_density(dh, g) == pytest.approx(asym, rel=2e-3)
        # rho / dh depends on g^2 dh only
        assert films.droplet_density(0.02, 5.0) / 0.02 == pytest.approx(
            films.droplet_density(0.08, 2.5) / 0.08, rel=1e-12)
        # prefactor convention; another exponent alpha: dh erfc(sqrt(alpha s)) / 2
        assert films.droplet_density(0.05, 3.0, prefactor=7.0) == pytest.approx(
            7 * films.droplet_density(0.05, 3.0), rel=1e-12)
        assert films.droplet_density(0.05, 3.0, exponent=8.0) == pytest.approx(
            0.05 * 0.5 * special.erfc(np.sqrt(8.0 * 9 * 0.05)), rel=1e-12)
        assert films.droplet_density(0.05, 3.0, exponent=NT) == pytest.approx(
            films.droplet_density(0.05, 3.0), rel=1e-9)

    def test_density_law_in_papers_variables(self):
        # eq. (15): rho = L_f^-2 erfc_ZB(B g sqrt(dh) / A) with B, A from eq. (12)
        sp = films.saddle_point()
        dh, g = 0.04, 4.0
        paper = films.droplet_size(dh) ** -2 * films.gaussian_tail(sp.B * g * np.sqrt(dh) / sp.A)
        assert films.droplet_density(dh, g) == pytest.approx(paper, rel=1e-12)

    def test_gap_distribution_normalisation_and_moments(self):
        for g, C in [(1.0, 1.0), (5.0, 2.4), (20.0, 0.3)]:
            f = lambda d: films.gap_distribution(d, g, C)  # noqa: E731
            scale = 1 / (np.sqrt(C) * g)
            norm = integrate.quad(f, 0, np.inf, epsabs=0, epsrel=1e-12)[0]
            m1 = integrate.quad(lambda d: d * f(d), 0, np.inf, epsrel=1e-12)[0]
            m2 = integrate.quad(lambda d: d**2 * f(d), 0, np.inf, epsrel=1e-12)[0]
            assert norm == pytest.approx(1.0, rel=1e-10)
            assert m1 == pytest.approx(0.5 * np.sqrt(np.pi) * scale, rel=1e-9)
            assert m2 == pytest.approx(scale**2, rel=1e-9)
            mode = optimize.minimize_scalar(lambda d: -f(d), bounds=(0, 5 * scale),
                                            method="bounded", options=dict(xatol=1e-12)).x
            assert mode == pytest.approx(scale / np.sqrt(2), rel=1e-5)

    def test_amplitude_constant(self):
        sp = films.saddle_point()
        assert films.amplitude_constant() == pytest.approx(TOWNES_NORM_LIT / TOWNES_Q0_LIT**2,
                                                           rel=1e-5)
        assert films.amplitude_constant() == pytest.approx(sp.norm / sp.q0**2)

    def test_first_order_amplitude_against_the_nonlinear_gl_equation(self):
        # Solve O Delta + Delta^3 / 2 = 0 (eq. 2 with Delta0 = 1) by minimising the
        # lattice energy sum(Delta O Delta) + sum(Delta^4) / 4, in a well that is
        # slightly supercritical; the peak must match sqrt(|lam| * shape_factor).
        L, a, dh = 28, 0.5, 0.16
        x = (np.arange(L) - L / 2 + 0.5) * a
        well = -np.exp(-(x[:, None] ** 2 + x[None, :] ** 2) / 4.0)

        def lowest(V0):  # eigenpairs_below is checked against dense diagonalisation above
            H = films.curvature_operator(dh, V0 * well, a)
            return films.eigenpairs_below(H, 1.0, vectors=False, method="sparse")[0]

        V0 = optimize.brentq(lambda v: lowest(v) + 0.005, 0.5, 1.5, xtol=1e-6)
        H = films.curvature_operator(dh, V0 * well, a)
        lam, vec = films.eigenpairs_below(H, 0.0, method="dense")
        assert lam.size == 1 and lam[0] == pytest.approx(-0.005, rel=1e-3)
        shape = 2 * np.max(vec**2) * np.sum(vec**2) / np.sum(vec**4)
        def energy(d):
            Hd = H @ d
            return d @ Hd + 0.25 * np.sum(d**4), 2 * Hd + d**3

        res = optimize.minimize(energy, 0.1 * vec[:, 0], jac=True, method="L-BFGS-B",
                                options=dict(gtol=1e-12, ftol=1e-16, maxiter=10000))
        peak = np.max(np.abs(res.x))
        pred = np.sqrt(-lam[0] * shape)
        assert peak == pytest.approx(pred, rel=0.03)

    def test_bad_input(self):
        with pytest.raises(ValueError, match="delta_h"):
            films.droplet_size(-0.1)
        with pytest.raises(ValueError, match="g"):
            films.droplet_density(0.1, 0.0)
        with pytest.raises(ValueError, match="delta"):
            films.gap_distribution(-0.1, 2.0)
        with pytest.raises(ValueError, match="C"):
            films.gap_distribution(0.1, 2.0, C=-1)
        with pytest.raises(ValueError, match="b"):
            films.gaussian_tail(1.0, 0.0)


# ============================================================================
# lattice operator and eigen-solvers
# ============================================================================
class TestLattice:
    def test_laplacian_matches_explicit_construction(self):
        for L, a in [(3, 1.0), (5, 0.7), (6, 2.0)]:
            np.testing.assert_allclose(films.lattice_laplacian(L, a).toarray(),
                                       _dense_laplacian(L, a), atol=1e-14)

    def test_clean_spectrum_vs_dense_and_sum_rules(self):
        for L, a, dh in [(5, 0.7, 0.3), (6, 1.0, -0.1), (7, 1.5, 0.0)]:
            H = films.curvature_operator(dh, np.zeros((L, L)), a)
            w = np.linalg.eigvalsh(H.toarray())
            ana = films.clean_spectrum(L, dh, a)
            np.testing.assert_allclose(w, ana, atol=1e-12)
            N = L * L
            assert ana.sum() == pytest.approx(N * (dh + 4 / a**2), rel=1e-12)
            assert (ana**2).sum() == pytest.approx(N * ((dh + 4 / a**2) ** 2 + 4 / a**4), rel=1e-12)
        # continuum limit of the lowest levels: dh + (2 pi / (L a))^2 (n^2 + m^2)
        L, a = 200, 0.1
        low = films.clean_spectrum(L, 0.5, a)[:5]
        k = 2 * np.pi / (L * a)
        np.testing.assert_allclose(low, 0.5 + k**2 * np.array([0, 1, 1, 1, 1]), rtol=1e-4)

    def test_disorder_statistics_and_seeds(self):
        V = films.disorder_potential(200, g=2.0, seed=5, a=0.5)
        var = 1 / (2.0 * 0.5) ** 2
        n = V.size
        assert abs(V.mean()) < 5 * np.sqrt(var / n)
        assert V.var() == pytest.approx(var, abs=5 * var * np.sqrt(2 / n))
        np.testing.assert_array_equal(V, films.disorder_potential(200, 2.0, 5, 0.5))
        np.testing.assert_allclose(films.disorder_potential(200, 4.0, 5, 0.5), V / 2, rtol=1e-14)
        assert not np.allclose(films.disorder_potential(200, 2.0, 6, 0.5), V)

    def test_count_below_matches_dense(self):
        V = films.disorder_potential(8, 1.0, seed=2)
        H = films.curvature_operator(0.2, V)
        w = np.linalg.eigvalsh(H.toarray())
        for E in np.linspace(w[0] - 0.5, w[-1] + 0.5, 23):
            assert films.count_below(H, E) == np.count_nonzero(w < E)
        # E exactly an eigenvalue (clean lattice, degenerate levels): nudged upwards
        Hc = films.curvature_operator(0.0, np.zeros((4, 4)))
        assert films.count_below(Hc, 0.0) == 1

    def test_eigenpairs_below_sparse_matches_dense(self):
        L = 30
        V = films.disorder_potential(L, 1.5, seed=11)
        H = films.curvature_operator(0.2, V)
        w_dense = np.linalg.eigvalsh(H.toarray())
        for E in (0.0, 0.1):
            w, v = films.eigenpairs_below(H, E, method="sparse")
            ref = w_dense[w_dense < E]
            assert w.size == ref.size > 0
            np.testing.assert_allclose(w, ref, atol=1e-8)
            np.testing.assert_allclose(H @ v, v * w, atol=1e-6)
            np.testing.assert_allclose(np.sum(v**2, axis=0), 1.0, atol=1e-10)
            np.testing.assert_allclose(films.eigenpairs_below(H, E, vectors=False, method="sparse"),
                                       ref, atol=1e-8)
        w, v = films.eigenpairs_below(H, w_dense[0] - 1.0, method="sparse")
        assert w.size == 0 and v.shape == (L * L, 0)

    def test_non_symmetric_rejected(self):
        M = sps.csr_matrix(np.array([[1.0, 2.0], [0.0, 1.0]]))
        with pytest.raises(ValueError, match="symmetric"):
            films.count_below(M, 0.0)

    def test_geometry_of_a_planted_gaussian_across_the_boundary(self):
        L, a, w = 48, 0.5, 2.0
        c = np.array([1.0, 22.0])  # close to the edges: wraps around
        x = np.arange(L) * a
        dx = (x[:, None] - c[0] + L * a / 2) % (L * a) - L * a / 2
        dy = (x[None, :] - c[1] + L * a / 2) % (L * a) - L * a / 2
        psi = np.exp(-(dx**2 + dy**2) / (2 * w**2))
        pos, rg, pa = films.droplet_geometry(psi.ravel(), L, a)
        np.testing.assert_allclose(pos[0], c, atol=1e-6)
        assert rg[0] == pytest.approx(w, rel=1e-6)            # <r^2> = w^2
        assert pa[0] == pytest.approx(2 * np.pi * w**2, rel=1e-6)

    def test_droplet_detection_in_a_planted_disk_well(self):
        # one circular well, depth V0, radius R: exactly one s state below 0,
        # at the continuum Bessel-matching energy, centred on the well
        dh, V0, R = 0.1, 0.35, 3.0
        lam_exact = _disk_bound_state(V0, R, dh)
        assert -0.2 < lam_exact < 0
        L, a = 120, 0.25
        x = np.arange(L) * a
        c = np.array([10.0, 20.0])
        sub = (np.arange(8) + 0.5) / 8 * a - a / 2   # area-weighted disk edge
        X = x[:, None, None, None] + sub[None, None, :, None]
        Y = x[None, :, None, None] + sub[None, None, None, :]
        V = -V0 * (np.hypot(X - c[0], Y - c[1]) < R).mean(axis=(2, 3))
        w, v = films.eigenpairs_below(films.curvature_operator(dh, V, a), 0.0)
        assert w.size == 1
        assert w[0] == pytest.approx(lam_exact, rel=0.01)
        pos, rg, pa = films.droplet_geometry(v, L, a)
        np.testing.assert_allclose(pos[0], c, atol=0.05)


class TestSimulation:
    def test_simulate_droplets_consistency_and_seeds(self):
        L, dh, g, seed = 40, 0.05, 2.5, 3
        d = films.simulate_droplets(L, dh, g, seed, return_states=True)
        d2 = films.simulate_droplets(L, dh, g, seed)
        np.testing.assert_array_equal(d.eigenvalues, d2.eigenvalues)
        # independent: rebuild the operator from the documented potential
        V = np.random.default_rng(seed).standard_normal((L, L)) / g
        H = films.curvature_operator(dh, V)
        w = np.linalg.eigvalsh(H.toarray())
        ref = w[w < 0]
        assert d.count == ref.size > 0
        np.testing.assert_allclose(d.eigenvalues, ref, atol=1e-8)
        assert d.density == pytest.approx(ref.size / L**2)
        # amplitudes from the states
        s = d.states.reshape(d.count, -1)
        amp = np.sqrt(2 * -d.eigenvalues * np.max(s**2, 1) * np.sum(s**2, 1) / np.sum(s**4, 1))
        np.testing.assert_allclose(d.amplitude, amp, rtol=1e-10)
        assert films.simulate_droplets(L, dh, g, seed + 1).eigenvalues.size != d.count or \
            not np.allclose(films.simulate_droplets(L, dh, g, seed + 1).eigenvalues, d.eigenvalues)

    def test_restrict_equals_direct_simulation(self):
        L, g, seed = 40, 2.5, 4
        low = films.simulate_droplets(L, 0.03, g, seed)
        for dh in (0.03, 0.05, 0.08):
            direct = films.simulate_droplets(L, dh, g, seed)
            r = low.restrict(dh)
            np.testing.assert_allclose(r.eigenvalues, direct.eigenvalues, atol=1e-8)
            np.testing.assert_allclose(r.amplitude, direct.amplitude, rtol=1e-6)
            np.testing.assert_allclose(r.gyration_radius, direct.gyration_radius, rtol=1e-6)
        with pytest.raises(ValueError, match="delta_h"):
            low.restrict(0.01)

    def test_too_many_droplets_refused(self):
        with pytest.raises(ValueError, match="max_droplets"):
            films.simulate_droplets(30, 0.001, 1.0, seed=0, max_droplets=5)

    def test_density_ensemble_counts(self):
        L, g, seed = 24, 2.0, 9
        dh = np.array([0.05, 0.1, 0.2])
        ens = films.density_ensemble(L, dh, g, n_samples=3, seed=seed)
        for i in range(3):
            V = np.random.default_rng([seed, i]).standard_normal((L, L)) / g
            for j, x in enumerate(dh):
                w = np.linalg.eigvalsh(films.curvature_operator(x, V).toarray())
                assert ens.counts[i, j] == np.count_nonzero(w < 0)
        assert ens.density == pytest.approx(ens.counts.sum(0) / (3 * L**2))
        np.testing.assert_allclose(ens.s, g**2 * dh)
        assert np.all(np.diff(ens.total) <= 0)

    def test_tilt_log_ratio_against_explicit_mixture(self):
        L, sigma = 3, 0.7
        rng = np.random.default_rng(0)
        mu = -rng.uniform(0, 1, (L, L))
        V = rng.normal(0, sigma, (L, L))
        cov = sigma**2 * np.eye(L * L)
        logp = stats.multivariate_normal(np.zeros(L * L), cov).logpdf(V.ravel())
        comps = [stats.multivariate_normal(np.roll(mu, (i, j), (0, 1)).ravel(), cov).logpdf(V.ravel())
                 for i in range(L) for j in range(L)]
        logq = special.logsumexp(comps) - np.log(L * L)
        assert films.tilt_log_ratio(V, mu, sigma) == pytest.approx(logq - logp, rel=1e-10)

    def test_importance_sampling_agrees_with_direct_sampling(self):
        g, dh = 3.0, 0.08
        est = films.density_importance(dh, g, n_samples=200, seed=1, box=4.0)
        direct = films.density_importance(dh, g, n_samples=1500, seed=2, box=4.0, tilt=0.0)
        assert direct.density > 0 and est.density > 0
        diff = abs(est.density - direct.density)
        assert diff < 3.5 * np.hypot(est.error, direct.error)
        assert est.error < 0.35 * est.density

    def test_droplet_test_map_is_a_rayleigh_quotient(self):
        L, a, dh = 48, 0.8, 0.05
        V = films.disorder_potential(L, 3.0, seed=1, a=a)
        R = films.droplet_test_map(V, dh, a)
        H = films.curvature_operator(dh, V, a)
        sp = films.saddle_point()
        i = np.arange(L)
        for c in [(0, 0), (5, 40), (30, 17)]:
            dx = np.minimum((i - c[0]) % L, (c[0] - i) % L) * a
            dy = np.minimum((i - c[1]) % L, (c[1] - i) % L) * a
            eta = np.interp(np.hypot(dx[:, None], dy[None, :]) * np.sqrt(dh), sp.r, sp.profile,
                            right=0.0).ravel()
            assert R[c] == pytest.approx(eta @ (H @ eta) / (eta @ eta), rel=1e-10)
        # variational principle: lowest eigenvalue below the best trial
        lam0 = films.eigenpairs_below(H, R.min() + 1.0, vectors=False)[0]
        assert lam0 <= R.min() + 1e-12
        # clean film: 2 dh in the continuum limit (Pohozaev: kinetic = dh)
        Rc = films.droplet_test_map(np.zeros((80, 80)), 0.01, 0.5)
        np.testing.assert_allclose(Rc, 0.02, rtol=0.01)
        with pytest.raises(ValueError, match="wide"):
            films.droplet_test_map(np.zeros((10, 10)), 0.01, 1.0)

    def test_fit_exponent_recovers_a_planted_law(self):
        rng = np.random.default_rng(3)
        s = np.linspace(0.2, 1.5, 14)
        expected = 4000 * np.exp(1.0 - 9.0 * s)
        counts = rng.poisson(expected)
        alpha, err, c = films.fit_exponent(s, counts / 4000, counts)
        assert abs(alpha - 9.0) < 4 * err and err < 0.3
        # with relative errors (importance-sampling points)
        y = np.exp(2.0 - 11.0 * s) * np.exp(rng.normal(0, 0.1, s.size))
        alpha, err, c = films.fit_exponent(s, y, rel_errors=np.full(s.size, 0.1))
        assert abs(alpha - 11.0) < 4 * err and err < 0.2
        with pytest.raises(ValueError, match="points"):
            films.fit_exponent(s[:2], [1, 1], [10, 10])
        with pytest.raises(ValueError, match="exactly one"):
            films.fit_exponent(s, y)

    def test_fit_prefactor_recovers_a_planted_prefactor(self):
        rng = np.random.default_rng(4)
        s = np.linspace(1.5, 4.0, 6)
        y = 900.0 * films.droplet_density(s, 1.0) / s * np.exp(rng.normal(0, 0.3, s.size))
        ln_c, err = films.fit_prefactor(s, y, np.full(s.size, 0.3))
        assert abs(ln_c - np.log(900.0)) < 4 * err and err < 0.25
        ln_c8, _ = films.fit_prefactor(s, y, np.full(s.size, 0.3), exponent=8.0)
        assert ln_c8 < ln_c          # a smaller exponent needs a smaller prefactor
        with pytest.raises(ValueError, match="rel_errors"):
            films.fit_prefactor(s, y, np.zeros(s.size))

    def test_bad_input(self):
        with pytest.raises(ValueError, match="L must"):
            films.simulate_droplets(2, 0.1, 1.0, 0)
        with pytest.raises(ValueError, match="delta_h"):
            films.simulate_droplets(10, -0.1, 1.0, 0)
        with pytest.raises(ValueError, match="g must"):
            films.simulate_droplets(10, 0.1, 0.0, 0)
        with pytest.raises(ValueError, match="a must"):
            films.lattice_laplacian(5, a=-1)
        with pytest.raises(ValueError, match="n_samples"):
            films.density_ensemble(10, [0.1], 1.0, 0, 1)
        with pytest.raises(ValueError, match="box"):
            films.density_importance(0.1, 2.0, 10, 0, box=1.0)


# ============================================================================
# couplings and the glass
# ============================================================================
class TestCouplings:
    def test_green_function_sum_rule_and_helmholtz(self):
        # int d^2r G(r, i eps) = G(k = 0) = 1 / (i eps + mu + z)
        for eps, z in [(0.3, 0.0), (0.05, 0.1), (-0.2, -0.05)]:
            f_re = lambda r: 2 * np.pi * r * films.green_free_2d(r, eps, 1.0, z).real  # noqa: E731
            f_im = lambda r: 2 * np.pi * r * films.green_free_2d(r, eps, 1.0, z).imag  # noqa: E731
            tot = sum(integrate.quad(f, lo, hi, limit=800)[0] * (1j if f is f_im else 1)
                      for f in (f_re, f_im) for lo, hi in ((1e-12, 10), (10, 400)))
            assert tot == pytest.approx(1 / (1j * eps + 0.5 + z), rel=1e-5)
        # radial Helmholtz equation G'' + G'/r + kappa^2 G = 0
        r = np.linspace(2, 6, 4001)
        G = films.green_free_2d(r, 0.3, 1.0, 0.0)
        d1 = np.gradient(G, r)
        d2 = np.gradient(d1, r)
        kap2 = 2 * (0.5 + 0.3j)
        res = d2 + d1 / r + kap2 * G
        assert np.max(np.abs(res[5:-5])) < 1e-4 * np.max(np.abs(G))

    def test_exact_pair_correlation_tends_to_clean_asymptote_without_phase(self):
        h, kF = 0.01, 1.0
        r = np.array([60.0, 110.0, 160.0, 230.0, 300.0])
        exact = films.pair_correlation_free(r, h, kF)
        # the exact Fermi momenta of the two spins give the oscillation period
        dk = np.sqrt(2 * (0.5 + h)) - np.sqrt(2 * (0.5 - h))
        np.testing.assert_allclose(exact * 2 * np.pi * r**2, np.cos(dk * r), atol=5e-3)
        asym = films.pair_correlation_clean(r, h, v_F=kF)
        assert np.max(np.abs(exact - asym) * 2 * np.pi * r**2) < 0.02
        printed = films.pair_correlation_clean(r, h, v_F=kF, phase=-np.pi / 4)
        assert np.max(np.abs(exact - printed) * 2 * np.pi * r**2) > 0.3

    def test_clean_correlation_zero_field_and_zeros(self):
        r = np.array([1.0, 5.0, 40.0])
        np.testing.assert_allclose(films.pair_correlation_clean(r, 0.0), 1 / (2 * np.pi * r**2))
        assert np.all(films.pair_correlation_free(r * 20, 0.0) > 0)
        h, v = 0.3, 2.0
        zeros = (np.arange(5) + 0.5) * np.pi * v / (2 * h)
        np.testing.assert_allclose(films.pair_correlation_clean(zeros, h, v), 0.0, atol=1e-15)
        assert np.all(np.diff(np.sign(films.pair_correlation_clean(
            zeros[:-1, None] + np.array([-0.01, 0.01]), h, v)), axis=1) != 0)

    def test_field_length(self):
        # L_H = sqrt(D / mu_B H) with xi0 = sqrt(D / Delta0): D = 2.5, Delta0 = 0.4
        D, Delta0 = 2.5, 0.4
        for muH in (0.1, 0.4, 1.3):
            assert films.field_length(muH / Delta0) == pytest.approx(
                np.sqrt(D / muH) / np.sqrt(D / Delta0), rel=1e-12)
        with pytest.raises(ValueError, match="h must"):
            films.field_length(0.0)

    def test_dirty_couplings_statistics(self):
        L_H = 1.2
        for r in (0.3, 1.0, 4.0):
            J = films.dirty_couplings(np.full(200000, r), L_H, seed=4)
            mean = films.dirty_coupling_mean(r, L_H)
            assert J.mean() == pytest.approx(mean, abs=5 * J.std() / np.sqrt(J.size))
            assert np.mean(J < 0) == pytest.approx(float(films.negative_fraction(r, L_H)), abs=0.005)
            assert np.max(np.abs(J)) <= 1 / r**2 + 1e-15
        assert films.negative_fraction(1e-4, L_H) < 1e-6
        assert films.negative_fraction(100.0, L_H) == pytest.approx(0.5, abs=1e-12)
        np.testing.assert_array_equal(films.dirty_couplings([1.0, 2.0], 1.0, 3),
                                      films.dirty_couplings([1.0, 2.0], 1.0, 3))

    def test_network(self):
        pos, J = films.droplet_network(8, 20.0, 1.0, seed=2, r_min=2.0)
        assert pos.shape == (8, 2) and J.shape == (8, 8)
        np.testing.assert_array_equal(J, J.T)
        assert np.all(np.diag(J) == 0)
        d = np.hypot(*(pos[:, None] - pos[None]).transpose(2, 0, 1))
        assert np.min(d[np.triu_indices(8, 1)]) >= 2.0
        pos2, J2 = films.droplet_network(8, 20.0, 1.0, seed=2, r_min=2.0)
        np.testing.assert_array_equal(J, J2)
        with pytest.raises(ValueError, match="n="):
            films.droplet_network(50, 2.0, 1.0, seed=0, r_min=1.0)


class TestGlass:
    def test_energy_and_gradient(self):
        rng = np.random.default_rng(0)
        J = rng.normal(size=(5, 5))
        J = J + J.T
        ph = rng.uniform(-np.pi, np.pi, 5)
        e = sum(-J[i, j] * np.cos(ph[i] - ph[j]) for i in range(5) for j in range(i + 1, 5))
        assert films.josephson_energy(ph, J) == pytest.approx(e, rel=1e-12)

    def test_ferromagnet_and_gauge_equivalent(self):
        rng = np.random.default_rng(1)
        A = np.abs(rng.normal(size=(6, 6)))
        A = A + A.T
        np.fill_diagonal(A, 0)
        e_ferro = -A[np.triu_indices(6, 1)].sum()
        E, ph = films.xy_ground_state(A, n_starts=8, seed=0)
        assert E == pytest.approx(e_ferro, rel=1e-9)
        np.testing.assert_allclose(np.cos(ph), 1.0, atol=1e-5)
        # J_ij = s_i s_j |J_ij|: unfrustrated, same energy, phases 0 / pi
        s = np.array([1, -1, -1, 1, -1, 1])
        J = A * s[:, None] * s[None, :]
        E, ph = films.xy_ground_state(J, n_starts=8, seed=0)
        assert E == pytest.approx(e_ferro, rel=1e-9)
        np.testing.assert_allclose(np.cos(ph), s, atol=1e-5)
        Ei, phi = films.ising_ground_state(J)
        assert Ei == pytest.approx(e_ferro, rel=1e-12)

    def test_frustrated_triangle(self):
        J = -(np.ones((3, 3)) - np.eye(3))   # three pi junctions
        E, ph = films.xy_ground_state(J, n_starts=8, seed=1)
        assert E == pytest.approx(-1.5, rel=1e-9)
        d = np.angle(np.exp(1j * (ph[:, None] - ph[None, :])))
        np.testing.assert_allclose(np.abs(d[np.triu_indices(3, 1)]), 2 * np.pi / 3, atol=1e-5)
        Ei, _ = films.ising_ground_state(J)
        assert Ei == pytest.approx(-1.0)      # one bond must stay unsatisfied
        assert films.frustrated_fraction(J) == 1.0
        assert films.frustrated_fraction(-J) == 0.0

    def test_three_droplets_against_brute_force_grid(self):
        rng = np.random.default_rng(7)
        t = np.linspace(-np.pi, np.pi, 721)
        T1, T2 = np.meshgrid(t, t, indexing="ij")
        for _ in range(4):
            J = rng.normal(size=(3, 3))
            J = J + J.T
            grid = -(J[0, 1] * np.cos(T1) + J[0, 2] * np.cos(T2) + J[1, 2] * np.cos(T1 - T2))
            E, _ = films.xy_ground_state(J, n_starts=16, seed=0)
            assert E <= grid.min() + 1e-12
            assert E == pytest.approx(grid.min(), abs=1e-4 * np.abs(J).sum())

    def test_ising_exhaustive_and_xy_below(self):
        rng = np.random.default_rng(11)
        J = rng.normal(size=(7, 7))
        J = J + J.T
        np.fill_diagonal(J, 0)
        best = min(-0.5 * np.array(s) @ J @ np.array(s)
                   for s in itertools.product([1, -1], repeat=7))
        Ei, ph = films.ising_ground_state(J)
        assert Ei == pytest.approx(best, rel=1e-12)
        assert films.josephson_energy(ph, J) == pytest.approx(Ei, rel=1e-12)
        Exy, _ = films.xy_ground_state(J, n_starts=32, seed=0)
        assert Exy <= Ei + 1e-12

    def test_seeded_and_bad_input(self):
        J = np.random.default_rng(2).normal(size=(6, 6))
        J = J + J.T
        a = films.xy_ground_state(J, n_starts=4, seed=3)
        b = films.xy_ground_state(J, n_starts=4, seed=3)
        assert a[0] == b[0]
        np.testing.assert_array_equal(a[1], b[1])
        with pytest.raises(ValueError, match="symmetric"):
            films.josephson_energy(np.zeros(2), np.array([[0, 1.0], [2.0, 0]]))
        with pytest.raises(ValueError, match="n must"):
            films.ising_ground_state(np.zeros((21, 21)))
        with pytest.raises(ValueError, match="n >= 3"):
            films.frustrated_fraction(np.zeros((2, 2)))


# ----------------------------------------------------------------------------
# couplings under strong spin-orbit scattering (the paper's regime)
# ----------------------------------------------------------------------------
def _k_by_frequency_integral(r, zeeman, pair_breaking):
    # <K(r)> = (nu / pi) Re int_0^inf d eps  K0(r sqrt(2 eps + 2 Gamma + 2 i h)) / (2 pi D),
    # evaluated numerically (D = 1): the q integral is the 2D Green function
    def f(eps, part):
        z = r * np.sqrt(2 * eps + 2 * pair_breaking + 2j * zeeman)
        v = special.kv(0, z)
        return v.real if part == 0 else v.imag
    val = integrate.quad(f, 0, np.inf, args=(0,), limit=400, epsabs=1e-13)[0]
    return val / (2 * np.pi**2)


@pytest.mark.parametrize("zeeman,gamma", [(0.0, 0.5), (1.0, 0.0), (0.3, 0.2), (2.0, 0.0)])
def test_pair_correlation_diffusive_against_frequency_integral(zeeman, gamma):
    for r in (0.3, 1.0, 2.5):
        ref = _k_by_frequency_integral(r, zeeman, gamma)
        got = float(films.pair_correlation_diffusive(r, zeeman=zeeman, pair_breaking=gamma))
        assert got == pytest.approx(ref, rel=1e-6, abs=1e-12)


def test_pair_correlation_diffusive_limits_and_signs():
    r = np.linspace(0.2, 12, 400)
    # zero field: the diffusive average is the 1/r^2 law, nu / (2 pi^2 r^2)
    k0 = films.pair_correlation_diffusive(r)
    assert np.allclose(k0, 1 / (2 * np.pi**2 * r**2), rtol=1e-12)
    # pair breaking (strong spin-orbit scattering): positive, monotonic, exp(-r sqrt(2 Gamma))
    kp = films.pair_correlation_diffusive(r, pair_breaking=0.5)
    assert np.all(kp > 0) and np.all(np.diff(kp) < 0)
    slope = np.diff(np.log(kp * r**2 / np.sqrt(r)))[-50:] / np.diff(r)[-50:]
    assert np.allclose(slope, -1.0, atol=0.02)          # kappa = sqrt(2 x 0.5) = 1 / xi_0
    # Zeeman phase without spin-orbit scattering: oscillating, decay rate 1/L_H (not sqrt2/L_H)
    h = 1.0
    kz = films.pair_correlation_diffusive(r, zeeman=h)
    zeros = r[:-1][np.sign(kz[:-1]) != np.sign(kz[1:])]
    assert len(zeros) >= 3
    L_H = float(films.field_length(h))
    assert np.allclose(np.diff(zeros), np.pi * L_H, rtol=0.03)   # period 2 pi L_H / 2 crossings
    x = (1 + 1j) * r / L_H
    # large-x expansion of x K1(x): sqrt(pi x / 2) e^{-x} (1 + 3/(8x) - 15/(128 x^2))
    asym = np.real(np.sqrt(np.pi * x / 2) * np.exp(-x) * (1 + 3 / (8 * x) - 15 / (128 * x**2))) \
        / (2 * np.pi**2 * r**2)
    far = r > 6
    assert np.allclose(kz[far], asym[far], atol=0.005 * np.abs(asym[far]).max())
    with pytest.raises(ValueError, match="pair_breaking"):
        films.pair_correlation_diffusive(1.0, pair_breaking=-0.1)
    with pytest.raises(ValueError, match="r"):
        films.pair_correlation_diffusive(0.0)


def test_droplet_coupling_mean_against_two_dimensional_overlap():
    sp = films.saddle_point()
    n, ext = 1201, 30.0
    x = np.linspace(-ext / 2, ext / 2, n)
    X, Y = np.meshgrid(x, x, indexing="ij")
    dA = (x[1] - x[0]) ** 2
    q = lambda rr: np.interp(rr, sp.r, sp.profile, right=0.0)
    rr = np.hypot(X, Y)
    q3 = q(rr) ** 3
    for R in (4.0, 6.0, 8.0):
        overlap = np.sum(q3 * q(np.hypot(X - R, Y))) * dA / sp.q0**2
        assert float(films.droplet_coupling_mean(R)) == pytest.approx(overlap, rel=0.02)
    m = films.droplet_coupling_mean(np.linspace(1, 20, 50))
    assert np.all(m > 0) and np.all(np.diff(m) < 0)


def test_droplet_coupling_rms_against_the_double_integral():
    # variance of 2 int int eta_i dO eta_j with <dO(a,b) dO(b,a)> = g^-2 / |a-b|^4
    sp = films.saddle_point()
    g, R = 7.0, 14.0
    n, ext = 101, 10.0
    x = np.linspace(-ext / 2, ext / 2, n)
    X, Y = np.meshgrid(x, x, indexing="ij")
    dA = (x[1] - x[0]) ** 2
    w = (np.interp(np.hypot(X, Y), sp.r, sp.profile) / sp.q0).ravel() ** 2 * dA
    P = np.stack([X.ravel(), Y.ravel()], axis=1)
    keep = w > 1e-10 * w.max()
    P, w = P[keep], w[keep]
    d2 = ((P[:, None, 0] - P[None, :, 0] - R) ** 2 + (P[:, None, 1] - P[None, :, 1]) ** 2)
    var = (w[:, None] * w[None, :] / d2**2).sum() / g**2
    # at R = 14 the 1/r^4 kernel varies across the droplets: compare with the exact
    # small-droplet expansion  <1/|R + u|^4> = R^-4 (1 + 4 <u^2>/R^2 + ...)
    rg2 = sp.gyration_radius**2
    expected = float(films.droplet_coupling_rms(R, g)) ** 2 * (1 + 8 * rg2 / R**2)
    assert var == pytest.approx(expected, rel=0.03)


def test_pi_junction_probability_and_network_statistics():
    R = np.array([2.0, 5.0, 8.0, 15.0])
    p = films.pi_junction_probability(R, 10.0)
    assert np.all(np.diff(p) > 0) and p[0] < 1e-6 and p[-1] == pytest.approx(0.5, abs=1e-3)
    # crossover where the mean equals the rms: g R^2 Q(R) = const -> moves out with g
    pg = films.pi_junction_probability(6.0, 3.0)
    assert pg > films.pi_junction_probability(6.0, 30.0)
    # sampled couplings: mean and spread as the two functions say
    dh, g = 0.04, 5.0
    pos, gaps, J = films.mesoscopic_network(60, 400.0, dh, g, seed=3)
    iu = np.triu_indices(60, 1)
    d = np.hypot(*(pos[iu[0]] - pos[iu[1]]).T)
    Rr = d * np.sqrt(dh)
    x = (J[iu] / (2 * gaps[iu[0]] * gaps[iu[1]]) - films.droplet_coupling_mean(Rr)) \
        / films.droplet_coupling_rms(Rr, g)
    assert abs(np.mean(x)) < 0.1 and np.std(x) == pytest.approx(1.0, abs=0.08)
    assert np.mean(J[iu] < 0) == pytest.approx(np.mean(films.pi_junction_probability(Rr, g)), abs=0.05)
    assert np.allclose(J, J.T) and np.all(gaps > 0)
    with pytest.raises(ValueError, match="g"):
        films.mesoscopic_network(5, 50.0, 0.1, 0.0, seed=0)


def test_critical_field_shift_against_lattice_sum_and_logarithm():
    # direct sum over the k points of a large periodic lattice (an independent route)
    for a, dh in ((1.0, 0.05), (0.5, 0.1)):
        L = 512
        k = 2 * np.pi * np.fft.fftfreq(L, d=a)
        KX, KY = np.meshgrid(k, k, indexing="ij")
        eps = 4 / a**2 * (np.sin(KX * a / 2) ** 2 + np.sin(KY * a / 2) ** 2)
        direct = np.mean(1 / (eps + dh)) / a**2
        assert float(films.critical_field_shift(dh, 1.0, a)) == pytest.approx(direct, rel=2e-3)
    # small a^2 dh: ln(32 / (a^2 dh)) / (4 pi g^2); halving a adds ln 4 / (4 pi g^2)
    g = 3.0
    s = films.critical_field_shift(np.array([1e-3, 1e-4]), g)
    assert np.allclose(s, np.log(32 / np.array([1e-3, 1e-4])) / (4 * np.pi * g**2), rtol=2e-3)
    d = films.critical_field_shift(1e-3, g, 0.5) - films.critical_field_shift(1e-3, g, 1.0)
    assert float(d) == pytest.approx(np.log(4) / (4 * np.pi * g**2), rel=1e-2)
    with pytest.raises(ValueError, match="delta_h"):
        films.critical_field_shift(0.0, 1.0)
