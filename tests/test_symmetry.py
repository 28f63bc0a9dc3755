"""Tests of pairing_lib.symmetry (chapter 4, seed 003) against independent calculations.

Independent references used here:

* brute-force loops over N for the grand potential and the staircase;
* dense diagonalisation (numpy ``eigh``) of the two-state Hamiltonians of
  eqs. (4), (15), (24), built here from the paper, and of the Kramers doublet
  (36); ``scipy.linalg.expm`` for the time evolution;
* numerical minimisation (scipy ``minimize_scalar`` / ``minimize`` and grids)
  of the energy over |D|, over the one-electron phase phi and over the unit
  vector n on the sphere;
* numerical differentiation: currents as derivatives of the ground-state
  energy, <N> as a derivative of the grand potential, the moment as
  -dE/dB;
* a brute-force diagonalisation of the reduced BCS (hard-core boson)
  Hamiltonian written here, and second-order perturbation theory, for the
  parity gap; analytic limits (single level, weak and strong field, d -> 0);
* for the parity effect at finite temperature, an enumeration of every
  quasiparticle occupation of a few levels (even and odd partition functions),
  the sum over levels against the continuum integral, the low-temperature
  expansion and a direct Fermi integral;
* for the dot between superconductors in the atomic limit, a Jordan-Wigner
  Fock-space Hamiltonian written here, diagonalised, and the current as the
  numerical phase derivative.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy import linalg, optimize

from pairing_lib import symmetry as s


# ----------------------------------------------------------------------------
# independent helpers
# ----------------------------------------------------------------------------
def _two_state_matrix(x, D, x0=None):
    """Eq. (15)/(24) written out here: basis (|Nc>, |Nc+k>)."""
    h = np.array([[0.0, -np.conj(D)], [-D, 2 * x]], dtype=complex)
    if x0 is not None:
        h = h + abs(D) ** 2 / (2 * x0) * np.eye(2)
    return h


def _ground(h):
    vals, vecs = np.linalg.eigh(h)
    return vals[0], vecs[:, 0]


def _minimise_abs_d(x, x0):
    """min over |D| >= 0 of the lowest eigenvalue of eq. (15) (numerical)."""
    def energy(absd):
        return _ground(_two_state_matrix(x, absd, x0))[0]

    grid = np.linspace(0, 3 * x0 + 3 * abs(x), 601)
    k = int(np.argmin([energy(g) for g in grid]))
    lo, hi = grid[max(k - 1, 0)], grid[min(k + 1, len(grid) - 1)]
    if hi == lo:
        return grid[k], energy(grid[k])
    res = optimize.minimize_scalar(energy, bounds=(lo, hi), method="bounded",
                                   options={"xatol": 1e-12})
    best = min((energy(grid[k]), grid[k]), (res.fun, res.x))
    return best[1], best[0]


def _pair_hamiltonian(eps, g, n_pairs):
    """Dense H = sum 2 eps_j n_j - g sum_ij b_i^+ b_j for hard-core bosons."""
    L = len(eps)
    basis = list(itertools.combinations(range(L), n_pairs))
    index = {b: k for k, b in enumerate(basis)}
    h = np.zeros((len(basis), len(basis)))
    for k, occ in enumerate(basis):
        h[k, k] = sum(2 * eps[j] for j in occ) - g * n_pairs  # i = j terms
        occ_set = set(occ)
        for j in occ:              # move the pair from j to an empty level i
            for i in range(L):
                if i in occ_set:
                    continue
                new = tuple(sorted((occ_set - {j}) | {i}))
                h[index[new], k] += -g
    return h


def _ed_energy(eps, g, n_pairs):
    if n_pairs == 0:
        return 0.0
    return float(np.linalg.eigvalsh(_pair_hamiltonian(np.asarray(eps), g, n_pairs))[0])


def _sphere_min(B, axy):
    """Brute-force global minimum of eq. (40): grid on the sphere + local polish."""
    ax, ay = axy
    B = np.asarray(B, float)

    def energy(n):
        return -n @ B + 0.5 * (ax * n[0] ** 2 + ay * n[1] ** 2)

    th = np.linspace(0, np.pi, 181)
    ph = np.linspace(0, 2 * np.pi, 361)
    T, P = np.meshgrid(th, ph, indexing="ij")
    n = np.stack([np.sin(T) * np.cos(P), np.sin(T) * np.sin(P), np.cos(T)], -1)
    e = -(n @ B) + 0.5 * (ax * n[..., 0] ** 2 + ay * n[..., 1] ** 2)
    best = None
    for flat in np.argsort(e.ravel())[:6]:
        i, j = np.unravel_index(flat, e.shape)

        def f(v):
            t, p = v
            return energy(np.array([np.sin(t) * np.cos(p), np.sin(t) * np.sin(p), np.cos(t)]))

        r = optimize.minimize(f, [T[i, j], P[i, j]], method="Nelder-Mead",
                              options={"xatol": 1e-11, "fatol": 1e-14, "maxiter": 4000})
        t, p = r.x
        cand = np.array([np.sin(t) * np.cos(p), np.sin(t) * np.sin(p), np.cos(t)])
        if best is None or r.fun < best[0]:
            best = (r.fun, cand)
    return best


# ----------------------------------------------------------------------------
# 1. grand potential and staircase
# ----------------------------------------------------------------------------
@pytest.mark.parametrize("ec,dp,ng", [(1.0, 0.0, 0.0), (1.0, 0.4, 0.3), (0.7, 1.1, 0.0),
                                      (1.0, -0.3, 0.2), (1.0, -1.4, 0.0)])
def test_ground_state_number_is_brute_force_minimum(ec, dp, ng):
    model = s.DotModel(ec, dp, ng)
    mus = np.linspace(-3, 15, 611)
    got = s.ground_state_number(mus, model, n_max=8)
    for mu, n in zip(mus, got):
        energies = [ec * (k - ng) ** 2 + dp * (k % 2) - mu * k for k in range(9)]
        assert energies[n] <= min(energies) + 1e-12


def test_grand_potential_lines_cross_at_transitions():
    model = s.DotModel(1.0, 0.0)
    mu_c, n_before, dn = s.charge_transitions(model, 6)
    assert np.all(dn == 1)
    for mu, n in zip(mu_c, n_before):
        assert s.grand_potential(model, n, mu) == pytest.approx(
            s.grand_potential(model, n + 1, mu), abs=1e-12)
        # E(N+1) - E(N) = mu_c(N) (section 3)
        assert mu == pytest.approx(model.energy(n + 1) - model.energy(n))


@pytest.mark.parametrize("dp", [0.0, 0.3, 0.9])
def test_plateau_widths_and_one_electron_steps(dp):
    ec = 1.0
    mu_c, n_before, dn = s.charge_transitions(s.DotModel(ec, dp), 10)
    assert np.all(dn == 1)
    widths = np.diff(mu_c)
    plateau_n = n_before[1:]            # the plateau between mu_c[k] and mu_c[k+1]
    for w, n in zip(widths, plateau_n):
        expected = 2 * ec - 2 * dp if n % 2 else 2 * ec + 2 * dp
        assert w == pytest.approx(expected)


@pytest.mark.parametrize("dp", [1.0 + 1e-9, 1.3, 3.0])
def test_pair_steps_when_parity_gap_exceeds_charging_energy(dp):
    mu_c, n_before, dn = s.charge_transitions(s.DotModel(1.0, dp), 10)
    assert np.all(dn == 2)
    assert np.all(n_before % 2 == 0)
    assert np.allclose(np.diff(mu_c), 4.0)     # 2 electrons per step, 2 E_C each
    assert np.all(s.step_size(dp, 1.0) == 2)


def test_step_size_matches_hull():
    for dp in np.linspace(-2.5, 2.5, 41):
        if abs(abs(dp) - 1.0) < 1e-9:
            continue
        dn = s.charge_transitions(s.DotModel(1.0, float(dp)), 12)[2]
        # away from the ends of the N window all steps are of one kind
        assert int(np.median(dn)) == s.step_size(dp, 1.0)


def test_mean_number_is_minus_derivative_of_grand_potential():
    model = s.DotModel(1.0, 0.35, 0.1)
    mus = np.linspace(-1.5, 12.5, 300)
    h = 1e-6

    def omega(mu):
        return min(model.energy(k) - mu * k for k in range(9))

    mu_c = s.charge_transitions(model, 8)[0]
    n = s.ground_state_number(mus, model, 8)
    for mu, nk in zip(mus, n):
        if np.min(np.abs(mu - mu_c)) < 1e-4:
            continue
        deriv = -(omega(mu + h) - omega(mu - h)) / (2 * h)
        assert deriv == pytest.approx(nk, abs=1e-6)


@pytest.mark.parametrize("dp", [0.3, 1.4])
def test_staircase_windows_from_two_state_diagonalisation(dp):
    """<N> inside a window = N + k v^2 of the numerically minimised dot."""
    model = s.DotModel(1.0, dp)
    x0 = 0.15
    mu_c, n_before, dn = s.charge_transitions(model, 8)
    for muk, nk, k in zip(mu_c, n_before, dn):
        for frac in (-0.8, -0.3, 0.0, 0.45, 0.9):
            x = frac * x0
            mu = muk - 2 * x / k
            absd, _ = _minimise_abs_d(x, x0)
            _, vec = _ground(_two_state_matrix(x, absd, x0))
            v2 = abs(vec[1]) ** 2
            assert s.mean_number_staircase(mu, model, x0, 8) == pytest.approx(nk + k * v2,
                                                                              abs=1e-6)
            od, kind = s.order_parameter_staircase(mu, model, x0, 8)
            assert od == pytest.approx(absd, abs=1e-5)
            assert kind == k


def test_staircase_state_amplitudes():
    model = s.DotModel(1.0, 0.4)
    x0 = 0.2
    mu_c, n_before, dn = s.charge_transitions(model, 8)
    for mu in np.linspace(-0.5, 12, 97):
        n, k, u, v = s.staircase_state(mu, model, x0, 8)
        assert u**2 + v**2 == pytest.approx(1.0)
        assert s.mean_number_staircase(mu, model, x0, 8) == pytest.approx(n + k * v**2)
        if k == 0:
            assert n == s.ground_state_number(mu, model, 8) and v == 0.0
        else:
            j = int(np.argmin(np.abs(mu_c - mu)))
            x = k * (mu_c[j] - mu) / 2
            _, vec = _ground(_two_state_matrix(x, s.order_parameter(x, x0), x0))
            assert (n, k) == (n_before[j], dn[j])
            assert v == pytest.approx(abs(vec[1]), abs=1e-9)


def test_staircase_tends_to_steps_for_small_x0():
    model = s.DotModel(1.0, 0.5)
    mus = np.linspace(-1, 10, 500)
    mu_c = s.charge_transitions(model, 8)[0]
    away = np.min(np.abs(mus[:, None] - mu_c[None, :]), axis=1) > 1e-3
    got = s.mean_number_staircase(mus, model, 1e-4, 8)
    assert np.allclose(got[away], s.ground_state_number(mus, model, 8)[away])


def test_staircase_input_errors():
    with pytest.raises(ValueError, match="charging_energy"):
        s.DotModel(0.0)
    with pytest.raises(ValueError, match="parity_gap"):
        s.DotModel(1.0, float("nan"))
    with pytest.raises(ValueError, match="x0"):
        s.mean_number_staircase(0.0, s.DotModel(), -1.0)
    with pytest.raises(ValueError, match="n must be integer"):
        s.DotModel().energy(1.5)
    with pytest.raises(ValueError, match="n_max"):
        s.ground_state_number(0.0, s.DotModel(), n_max=0)


# ----------------------------------------------------------------------------
# 2. phase winding
# ----------------------------------------------------------------------------
def test_superposition_state_matches_expm():
    e_n, e_n1 = 0.0, 1.7         # E(N) = 0 reference, E(N+1) = mu_c
    u, v, phi = math.sqrt(0.3), math.sqrt(0.7), 0.4
    for mu in (0.0, 0.5, 1.7):
        n_c = 7                    # H' = E(N) - mu N on (|Nc>, |Nc+1>)
        h = np.diag([e_n - mu * n_c, e_n1 - mu * (n_c + 1)]).astype(complex)
        psi0 = np.array([u, v * np.exp(1j * phi)])
        for t in (0.0, 0.3, 2.9, 11.0):
            psi = linalg.expm(-1j * h * t) @ psi0
            # remove the global phase so that the |Nc> amplitude is real positive
            ref = psi * np.exp(-1j * np.angle(psi[0]))
            c_lo, c_hi = s.superposition_state(t, u, v, phi, e_n1 - e_n, mu=mu)
            assert c_lo == pytest.approx(ref[0], abs=1e-12)
            assert c_hi == pytest.approx(ref[1], abs=1e-12)


def test_winding_period_and_rotating_frame():
    u, v, phi, de = 0.6, 0.8, 0.1, 2.3
    for dn in (1, 2):
        T = s.winding_period(de, dn=dn)
        assert T == pytest.approx(2 * np.pi / de)
        t = np.linspace(0, 3, 7)
        a = s.winding_order_parameter(t, u, v, phi, de, dn=dn)
        b = s.winding_order_parameter(t + T, u, v, phi, de, dn=dn)
        assert np.allclose(a, b)
        assert np.allclose(np.abs(a), u * v)
        # frame rotating at the critical potential: stationary
        still = s.winding_order_parameter(t, u, v, phi, de, mu=de / dn, dn=dn)
        assert np.allclose(still, u * v * np.exp(1j * phi))
        assert s.winding_period(de, mu=de / dn, dn=dn) == math.inf


def test_gauge_transformation_shifts_phase():
    """exp(i N f) maps u|N> + v e^{i phi}|N+k> to the same form with phi + k f."""
    u, v, phi, f = 0.6, 0.8, 0.3, 0.7
    for k in (1, 2):
        n = 5
        c_lo, c_hi = s.superposition_state(0.0, u, v, phi, 1.0, dn=k)
        g_lo, g_hi = np.exp(1j * n * f) * c_lo, np.exp(1j * (n + k) * f) * c_hi
        # remove the common phase: coefficient of |N> real positive
        g_hi = g_hi * np.exp(-1j * np.angle(g_lo))
        t_lo, t_hi = s.superposition_state(0.0, u, v, phi + k * f, 1.0, dn=k)
        assert g_hi == pytest.approx(t_hi)
        assert abs(g_hi - c_hi) > 0.1        # not invariant: broken gauge symmetry


def test_superposition_input_errors():
    with pytest.raises(ValueError, match="u\\*\\*2"):
        s.superposition_state(0.0, 0.5, 0.5, 0.0, 1.0)
    with pytest.raises(ValueError, match="dn"):
        s.superposition_state(0.0, 0.6, 0.8, 0.0, 1.0, dn=3)
    with pytest.raises(ValueError, match="v must be >= 0"):
        s.superposition_state(0.0, 0.6, -0.8, 0.0, 1.0)


# ----------------------------------------------------------------------------
# 3. two-state dot (ND1N, ND2N)
# ----------------------------------------------------------------------------
@pytest.mark.parametrize("x", [-1.3, -0.2, 0.0, 0.4, 2.0])
@pytest.mark.parametrize("D", [0.0 + 0.0j, 0.5, 0.3 - 0.8j, -1.1j])
def test_dot_ground_state_against_eigh(x, D):
    e_ref, vec = _ground(_two_state_matrix(x, D))
    e, u, v = s.dot_ground_state(x, D)
    assert e == pytest.approx(e_ref, abs=1e-12)
    if abs(D) > 0:
        state = np.array([u, v * D / abs(D)])
        assert abs(np.vdot(state, vec)) == pytest.approx(1.0, abs=1e-10)
    else:
        assert e == pytest.approx(min(0.0, 2 * x))
    assert u**2 + v**2 == pytest.approx(1.0)
    # the library's matrix is eq. (15) as well
    assert np.allclose(s.dot_hamiltonian(x, D, 0.7), _two_state_matrix(x, D, 0.7))


@pytest.mark.parametrize("x", np.linspace(-1.6, 1.6, 17))
def test_order_parameter_and_energy_minimise_eq15(x):
    x0 = 1.0
    absd, e_min = _minimise_abs_d(x, x0)
    assert s.order_parameter(x, x0) == pytest.approx(absd, abs=2e-5)
    assert s.dot_energy(x, x0) == pytest.approx(e_min, abs=1e-10)
    # the landscape of eq. (17) at the optimum, any phase
    for ph in (0.0, 1.0, 2.5):
        assert s.dot_energy_landscape(absd * np.exp(1j * ph), x, x0) == pytest.approx(
            e_min, abs=1e-10)
    # <N> from the eigenvector (v^2) and from -dE/dmu with 2x = mu_c - mu
    _, vec = _ground(_two_state_matrix(x, absd, x0))
    v2 = abs(vec[1]) ** 2
    assert s.mean_number(x, x0) == pytest.approx(v2, abs=1e-5)
    h = 1e-6
    dedx = (s.dot_energy(x + h, x0) - s.dot_energy(x - h, x0)) / (2 * h)
    assert s.mean_number(x, x0) == pytest.approx(0.5 * dedx, abs=1e-6)   # dx/dmu = -1/2
    assert s.mean_number(x, x0, pair=True) == pytest.approx(dedx, abs=1e-6)  # dx/dmu = -1
    # anomalous average u v (eq. 20)
    assert s.anomalous_average(x, x0) == pytest.approx(abs(vec[0] * vec[1]), abs=1e-5)


def test_second_order_transitions_at_pm_x0():
    x0, h = 0.8, 1e-4
    for xc in (-x0, x0):
        left = s.dot_energy(np.array([xc - 2 * h, xc - h, xc]), x0)
        right = s.dot_energy(np.array([xc, xc + h, xc + 2 * h]), x0)
        assert left[2] == pytest.approx(right[0])                       # E continuous
        d1l = (left[2] - left[1]) / h
        d1r = (right[1] - right[0]) / h
        assert d1l == pytest.approx(d1r, abs=1e-3)                      # E' continuous
        d2l = (left[2] - 2 * left[1] + left[0]) / h**2
        d2r = (right[2] - 2 * right[1] + right[0]) / h**2
        inside, outside = (d2r, d2l) if xc < 0 else (d2l, d2r)
        assert inside == pytest.approx(-1 / x0, rel=1e-6)               # E'' jumps
        assert outside == pytest.approx(0.0, abs=1e-6)


def test_mexican_hat_phase_degeneracy():
    x, x0 = 0.3, 1.0
    r = s.order_parameter(x, x0)
    ring = s.dot_energy_landscape(r * np.exp(1j * np.linspace(0, 2 * np.pi, 13)), x, x0)
    assert np.ptp(ring) < 1e-12
    assert s.dot_energy_landscape(0.0, x, x0) > ring[0] + 1e-3


def test_closed_system_reduced_density_matrix():
    """Eq. (4) in the product space dot x outside state, partial trace by numpy."""
    for x, D in [(0.3, 0.5 * np.exp(0.7j)), (-0.2, 1.1), (0.0, -0.4j)]:
        # basis |n_dot, n_out> with n_dot in {Nc, Nc+1} (0, 1), n_out in {0, 1};
        # total Nc + 1 particles: |1, 0> (in the dot) and |0, 1> (outside)
        h = np.zeros((4, 4), dtype=complex)
        idx = {(0, 0): 0, (0, 1): 1, (1, 0): 2, (1, 1): 3}
        h[idx[1, 0], idx[1, 0]] = 2 * x             # E(Nc+1) - E(Nc) - e
        h[idx[1, 0], idx[0, 1]] = -D                 # outside -> dot
        h[idx[0, 1], idx[1, 0]] = -np.conj(D)
        sub = [idx[0, 1], idx[1, 0]]
        vals, vecs = np.linalg.eigh(h[np.ix_(sub, sub)])
        psi = np.zeros(4, dtype=complex)
        psi[sub] = vecs[:, 0]
        m = psi.reshape(2, 2)                        # m[n_dot, n_out]
        rho = m @ m.conj().T                         # trace over the outside state
        assert np.allclose(rho, s.dot_density_matrix(x, D))
        assert abs(rho[0, 1]) < 1e-14                # no <psi> in the closed system
        pure = s.dot_density_matrix(x, D, closed=False)
        _, u, v = s.dot_ground_state(x, D)
        assert np.allclose(np.diag(pure), np.diag(rho))
        assert pure[1, 0] == pytest.approx(u * v * D / abs(D))
        assert np.allclose(pure @ pure, pure)        # a pure state


def test_dot_input_errors():
    with pytest.raises(ValueError, match="x0 must be > 0"):
        s.order_parameter(0.0, 0.0)
    with pytest.raises(ValueError, match="x must be finite"):
        s.dot_ground_state(float("nan"), 1.0)
    with pytest.raises(ValueError, match="D must be finite"):
        s.dot_hamiltonian(0.0, complex("inf"))


# ----------------------------------------------------------------------------
# 4. Josephson currents
# ----------------------------------------------------------------------------
def _sd2s_energy_eigh(theta, x, dl, dr, phi_left=0.37):
    D = dl * np.exp(1j * phi_left) + dr * np.exp(1j * (phi_left + theta))
    return _ground(_two_state_matrix(x, D))[0]


@pytest.mark.parametrize("x,dl,dr", [(0.5, 0.3, 0.7), (0.0, 0.4, 0.4 + 1e-3), (-0.3, 1.0, 0.2)])
def test_sd2s_energy_and_current_from_diagonalisation(x, dl, dr):
    h = 1e-5
    for theta in np.linspace(-3.0, 3.0, 13):
        e = _sd2s_energy_eigh(theta, x, dl, dr)
        assert s.sd2s_energy(theta, x, dl, dr) == pytest.approx(e, abs=1e-12)
        deriv = (_sd2s_energy_eigh(theta + h, x, dl, dr)
                 - _sd2s_energy_eigh(theta - h, x, dl, dr)) / (2 * h)
        assert s.josephson_current_sd2s(theta, x, dl, dr) == pytest.approx(deriv, abs=2e-6)
        # <N> - Nc = 2 v^2 (pair transition)
        D = dl * np.exp(0.37j) + dr * np.exp(1j * (0.37 + theta))
        _, vec = _ground(_two_state_matrix(x, D))
        assert s.sd2s_mean_number(theta, x, dl, dr) == pytest.approx(2 * abs(vec[1]) ** 2,
                                                                     abs=1e-9)


def test_sd2s_symmetric_resonant_limit():
    """x = 0, D_L = D_R: J = D sin(theta/2) sign(cos(theta/2)), jump at pi."""
    dd = 0.6
    th = np.linspace(-np.pi + 1e-3, np.pi - 1e-3, 50)
    assert np.allclose(s.josephson_current_sd2s(th, 0.0, dd, dd), dd * np.sin(th / 2))
    assert s.josephson_current_sd2s(np.pi, 0.0, dd, dd) == 0.0   # midpoint at the jump
    assert np.all(np.isfinite(s.josephson_current_sd2s(th, 0.0, dd, dd)))


def _sd1s_energy_numeric(theta, x, a, b, phi_l=0.2):
    """min over |D| and phi of eq. (15) with a|D|^2/2 and eq. (27) (first form)."""
    phi_r = phi_l + theta

    def energy(v):
        absd, phi = abs(v[0]), v[1]
        lead = 0.5 * a * absd**2 - 0.25 * b * absd**2 * (np.cos(2 * phi - phi_l)
                                                        + np.cos(2 * phi - phi_r))
        return lead + x - math.hypot(x, absd)

    best = None
    for phi0 in np.linspace(0, np.pi, 9, endpoint=False):
        for d0 in (0.05, 0.5, 1.5):
            r = optimize.minimize(energy, [d0, phi0], method="Nelder-Mead",
                                  options={"xatol": 1e-12, "fatol": 1e-15, "maxiter": 5000})
            if best is None or r.fun < best:
                best = r.fun
    return min(best, energy([0.0, 0.0]))


@pytest.mark.parametrize("x,a,b", [(0.1, 1.5, 0.9), (-0.2, 1.2, -0.7)])
def test_sd1s_energy_from_numerical_minimisation(x, a, b):
    for theta in np.linspace(-np.pi, 3 * np.pi, 9):
        ref = _sd1s_energy_numeric(theta, x, a, b)
        assert s.sd1s_energy(theta, x, a, b) == pytest.approx(ref, abs=1e-9)
    # the library's functional agrees with eq. (27) in its first form
    for phi in (0.0, 0.4, 1.3):
        lead27 = -0.25 * b * (np.cos(2 * phi - 0.2) + np.cos(2 * phi - 0.2 - 1.1))
        ref = 0.5 * a + lead27 + x - math.hypot(x, 1.0)
        got = s.sd1s_energy_functional(1.0, phi, 1.1, x, a, b, phi_mean=0.2 + 0.55)
        assert got == pytest.approx(ref)


def test_sd1s_two_fold_degeneracy_phi_plus_pi():
    for phi in np.linspace(0, 2, 5):
        e1 = s.sd1s_energy_functional(0.7, phi, 0.9, 0.1, 1.5, 0.8)
        e2 = s.sd1s_energy_functional(0.7, phi + np.pi, 0.9, 0.1, 1.5, 0.8)
        assert e1 == pytest.approx(e2)


@pytest.mark.parametrize("x,a,b", [(0.1, 1.5, 0.9), (0.5, 1.3, -1.0), (0.0, 2.0, 1.0)])
def test_sd1s_current_is_twice_energy_derivative(x, a, b):
    """Units e/hbar: J = (2e/hbar) dE/dtheta = 2 dE/dtheta."""
    h = 1e-5
    for theta in np.linspace(-np.pi + 0.05, np.pi - 0.05, 15):
        deriv = (s.sd1s_energy(theta + h, x, a, b) - s.sd1s_energy(theta - h, x, a, b)) / (2 * h)
        assert s.josephson_current_sd1s(theta, x, a, b) == pytest.approx(2 * deriv, abs=1e-6)
    # and against the numerically minimised energy at a few points
    for theta in (-2.0, 0.7, 2.5):
        hh = 1e-3
        deriv = (_sd1s_energy_numeric(theta + hh, x, a, b)
                 - _sd1s_energy_numeric(theta - hh, x, a, b)) / (2 * hh)
        assert s.josephson_current_sd1s(theta, x, a, b) == pytest.approx(2 * deriv, abs=1e-5)


def test_sd1s_periodicity_continuation_and_jump():
    x, a, b = 0.2, 1.4, 0.9
    th = np.linspace(-np.pi + 0.01, np.pi - 0.01, 101)
    j = s.josephson_current_sd1s(th, x, a, b)
    jc = s.josephson_current_sd1s(th, x, a, b, continuation=True)
    assert np.allclose(j, jc)                                    # same on (-pi, pi)
    assert np.allclose(s.josephson_current_sd1s(th + 2 * np.pi, x, a, b), j)   # 2 pi
    jc2 = s.josephson_current_sd1s(th + 2 * np.pi, x, a, b, continuation=True)
    assert not np.allclose(jc2, jc)                              # not 2 pi periodic
    # over 2 pi the branch s = +1 turns into the branch s = -1 (E_+(th + 2pi) = E_-(th))
    assert np.allclose(s.sd1s_energy(th + 2 * np.pi, x, a, b, branch=1),
                       s.sd1s_energy(th, x, a, b, branch=-1))
    h = 1e-5
    d_minus = (s.sd1s_energy(th + h, x, a, b, branch=-1)
               - s.sd1s_energy(th - h, x, a, b, branch=-1)) / (2 * h)
    assert np.allclose(jc2, 2 * d_minus, atol=1e-6)
    assert np.allclose(s.josephson_current_sd1s(th + 4 * np.pi, x, a, b, continuation=True), jc)
    # the continued current is the derivative of the branch s = +1 energy
    for t in np.linspace(0.5, 3.5 * np.pi, 9):
        deriv = (s.sd1s_energy(t + h, x, a, b, branch=1)
                 - s.sd1s_energy(t - h, x, a, b, branch=1)) / (2 * h)
        assert s.josephson_current_sd1s(t, x, a, b, continuation=True) == pytest.approx(
            2 * deriv, abs=1e-6)
    # ground state = lower branch; branches cross at theta = pi
    for t in np.linspace(0, 4 * np.pi, 17):
        lower = min(s.sd1s_energy(t, x, a, b, branch=1), s.sd1s_energy(t, x, a, b, branch=-1))
        assert s.sd1s_energy(t, x, a, b) == pytest.approx(lower)
    assert s.sd1s_energy(np.pi, x, a, b, 1) == pytest.approx(s.sd1s_energy(np.pi, x, a, b, -1))
    # jump, eq. (31)
    eps = 1e-9
    jump = (s.josephson_current_sd1s(np.pi - eps, x, a, b)
            - s.josephson_current_sd1s(-np.pi + eps, x, a, b))
    assert jump == pytest.approx(s.sd1s_current_jump(x, a, b), rel=1e-6)
    assert s.sd1s_current_jump(x, a, b) == pytest.approx(abs(b) * (1 / a**2 - x**2))
    # equilibrium current vanishes where |x| > x0(theta) (normal dot)
    assert s.josephson_current_sd1s(0.5, 5.0, a, b) == 0.0


def test_sd1s_dot_phase_minimises_eq27():
    b, phi_l = 0.8, 0.3
    phis = np.linspace(0, np.pi, 20001, endpoint=False)
    for theta in np.linspace(-3.0, 9.0, 13):
        phi_r = phi_l + theta
        e = -0.25 * b * (np.cos(2 * phis - phi_l) + np.cos(2 * phis - phi_r))
        best = phis[np.argmin(e)]
        if abs(np.cos(theta / 2)) < 1e-3:
            continue
        got = s.sd1s_dot_phase(theta, b, phi_l)
        dist = abs(np.angle(np.exp(2j * (got - best)))) / 2    # compare modulo pi
        assert dist < 1e-3
    # branches: the phase advances by pi over 4 pi (odd electron: sign change)
    for br in (1, -1):
        p0 = s.sd1s_dot_phase(0.4, b, phi_l, branch=br)
        assert s.sd1s_dot_phase(0.4 + 4 * np.pi, b, phi_l, branch=br) == pytest.approx(p0 + np.pi)
        # and it realises the branch energy of eq. (29)
        theta = 0.4
        term = -0.5 * b * np.cos(2 * p0 - (phi_l + theta / 2)) * np.cos(theta / 2)
        assert term == pytest.approx(-0.5 * br * abs(b) * np.cos(theta / 2))
    with pytest.raises(ValueError, match="b must be nonzero"):
        s.sd1s_dot_phase(0.0, 0.0)


def test_josephson_input_errors():
    with pytest.raises(ValueError, match="a must be > \\|b\\|"):
        s.josephson_current_sd1s(0.0, 0.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="D_left must be >= 0"):
        s.josephson_current_sd2s(0.0, 0.0, -1.0, 1.0)
    with pytest.raises(ValueError, match="branch"):
        s.sd1s_x0(0.0, 2.0, 1.0, branch=2)


# ----------------------------------------------------------------------------
# 5. magnetism of an odd dot
# ----------------------------------------------------------------------------
def test_kramers_doublet_fully_polarised():
    rng = np.random.default_rng(7)
    for _ in range(5):
        b = rng.normal(size=3)
        vals, vecs = np.linalg.eigh(s.spin_hamiltonian(b))
        g = vecs[:, 0]
        pauli = [np.array([[0, 1], [1, 0]]), np.array([[0, -1j], [1j, 0]]),
                 np.array([[1, 0], [0, -1]])]
        pol = np.real([np.vdot(g, p @ g) for p in pauli])
        assert vals[0] == pytest.approx(-np.linalg.norm(b))
        assert np.allclose(pol, s.spin_ground_state_polarization(b))
        assert np.linalg.norm(pol) == pytest.approx(1.0)


def test_exchange_field_is_dot_energy_at_x_zero():
    """Eq. (39) = eq. (17) at x = 0: |B_i| = B0 and E = -B0/2."""
    b0 = 1.7
    r = optimize.minimize_scalar(lambda bi: -bi + bi**2 / (2 * b0), bounds=(0, 10),
                                 method="bounded", options={"xatol": 1e-12})
    assert r.x == pytest.approx(b0, abs=1e-6)
    assert s.dot_energy(0.0, b0) == pytest.approx(r.fun, abs=1e-12)
    assert s.order_parameter(0.0, b0) == pytest.approx(b0)


FIELDS = [(0.3, 0.1, 0.5), (0.0, 0.0, -0.2), (1.5, -0.4, 0.05), (3.0, 2.0, -4.0),
          (0.2, 0.0, 0.0), (2.5, 0.0, 0.0), (0.0, 0.7, 0.0), (-0.6, 0.9, 0.3)]


@pytest.mark.parametrize("B", FIELDS)
@pytest.mark.parametrize("axy", [(1.0, 1.0), (1.0, 2.5)])
def test_magnetic_moment_is_global_minimum(B, axy):
    e_ref, n_ref = _sphere_min(B, axy)
    n = s.magnetic_moment(B, axy)
    assert np.linalg.norm(n) == pytest.approx(1.0)
    e = s.anisotropy_energy(n, B, axy)
    assert e <= e_ref + 1e-10
    assert e == pytest.approx(e_ref, abs=1e-9)
    assert s.magnetic_ground_energy(B, axy) == pytest.approx(e)
    if abs(B[2]) > 0 or np.linalg.norm(np.divide(B[:2], axy)) > 1:   # unique minimum
        assert np.allclose(n, n_ref, atol=1e-5)
    else:                                                             # +-n_z degenerate
        assert np.allclose(n[:2], n_ref[:2], atol=1e-5)
        assert n[2] >= 0


@pytest.mark.parametrize("B", [(0.3, 0.1, 0.5), (1.5, -0.4, 0.05), (-0.6, 0.9, 0.3),
                               (2.0, 1.0, 3.0)])
def test_moment_is_minus_field_derivative_of_energy(B):
    axy = (1.0, 2.0)
    B = np.array(B)
    h = 1e-6
    grad = np.zeros(3)
    for k in range(3):
        dB = np.zeros(3)
        dB[k] = h
        grad[k] = (s.magnetic_ground_energy(B + dB, axy) - s.magnetic_ground_energy(B - dB, axy)) / (2 * h)
    assert np.allclose(s.magnetic_moment(B, axy), -grad, atol=1e-6)


def test_weak_field_limit_eq42():
    axy = (1.0, 2.0)
    direction = np.array([0.6, -0.5, 0.62])
    errs = []
    for scale in (0.04, 0.02, 0.01):
        B = scale * direction
        errs.append(np.linalg.norm(s.magnetic_moment(B, axy) - s.magnetic_moment_weak(B, axy)))
    assert errs[0] < 4e-3
    assert errs[1] / errs[0] == pytest.approx(0.25, abs=0.03)     # second order in B
    assert errs[2] / errs[1] == pytest.approx(0.25, abs=0.03)
    # B_z = 0 below the spin-flop field: the transverse part of eq. (42) is exact
    B = np.array([0.3, 0.4, 0.0])
    n = s.magnetic_moment(B, axy)
    assert np.allclose(n[:2], [0.3 / 1.0, 0.4 / 2.0])
    assert np.allclose(n[:2], s.magnetic_moment_weak(B, axy)[:2])


def test_strong_field_limit_eq44():
    axy = (1.0, 2.0)
    direction = np.array([0.6, -0.5, 0.62])
    direction /= np.linalg.norm(direction)
    errs = []
    for B in (40.0, 80.0, 160.0):
        errs.append(np.linalg.norm(s.magnetic_moment(B * direction, axy)
                                   - s.magnetic_moment_strong(B * direction, axy)))
    assert errs[0] < 1e-3
    assert errs[1] / errs[0] == pytest.approx(0.25, abs=0.03)     # second order in a/B
    # leading order alone (M = h) is only first order
    lead = np.linalg.norm(s.magnetic_moment(160 * direction, axy) - direction)
    assert lead > 10 * errs[2]
    # eq. (43): E = -B + h.a.h/2 up to O(a^2/B)
    B = 160.0 * direction
    h = direction
    e43 = -160.0 + 0.5 * (axy[0] * h[0] ** 2 + axy[1] * h[1] ** 2)
    assert s.magnetic_ground_energy(B, axy) == pytest.approx(e43, abs=1e-2)


def test_time_reversal_and_crossover():
    axy = (1.0, 1.0)
    B = np.array([0.7, 0.2, 0.3])
    assert np.allclose(s.magnetic_moment(-B, axy), -s.magnetic_moment(B, axy))
    # along a sweep the moment turns from the easy axis to the field, |M| fixed
    h = np.array([1.0, 0.0, 0.2]) / np.hypot(1.0, 0.2)
    mags = np.geomspace(1e-3, 1e3, 60)
    m = s.magnetic_moment(mags[:, None] * h, axy)
    assert np.allclose(np.linalg.norm(m, axis=1), 1.0)
    assert np.allclose(m[0], [0, 0, 1], atol=2e-3)
    assert np.allclose(m[-1], h, atol=2e-3)
    assert np.all(np.diff(m @ h) >= -1e-12)      # monotonic alignment


def test_magnetic_input_errors():
    with pytest.raises(ValueError, match="anisotropy must be finite and > 0"):
        s.magnetic_moment([1, 0, 0], 0.0)
    with pytest.raises(ValueError, match="anisotropy must be a number or a pair"):
        s.magnetic_moment([1, 0, 0], (1, 2, 3))
    with pytest.raises(ValueError, match="B must have a last axis of length 3"):
        s.magnetic_moment([1, 0], 1.0)
    with pytest.raises(ValueError, match="B must be nonzero"):
        s.magnetic_moment_strong([0, 0, 0], 1.0)
    with pytest.raises(ValueError, match="B must be finite"):
        s.magnetic_moment([np.nan, 0, 0], 1.0)


# ----------------------------------------------------------------------------
# 6. parity gap of a grain (exact solution)
# ----------------------------------------------------------------------------
@pytest.mark.parametrize("lam,d", [(0.5, 0.9), (0.25, 27.3 / 3.5), (0.4, 1.5), (0.6, 0.7)])
def test_grain_energies_against_brute_force(lam, d):
    eps, m = s.grain_levels(d, lam)
    assert len(eps) == 2 * m + 1 and m >= 2
    g = lam * d
    e0, e1, e2 = s.grain_energies(d, lam)
    assert e0 == pytest.approx(_ed_energy(eps, g, m), abs=1e-9)
    assert e2 == pytest.approx(_ed_energy(eps, g, m + 1), abs=1e-9)   # p-h identity
    # odd grain: blocking the Fermi level is optimal among all blocked levels
    odd = [eps[b] + _ed_energy(np.delete(eps, b), g, m) for b in range(len(eps))]
    assert int(np.argmin(odd)) == m
    assert e1 == pytest.approx(min(odd), abs=1e-9)
    assert s.parity_gap(d, lam) == pytest.approx(min(odd) - 0.5 * (e0 + e2), abs=1e-9)


def test_parity_gap_single_level_limit():
    """d > omega_D: one level, E(0) = E(1) = 0, E(2) = -G, so Delta_P = G/2 = lambda d / 2."""
    lam = 0.25
    omega_D = 0.5 * math.exp(1 / lam)
    for d in (1.2 * omega_D, 3 * omega_D):
        assert s.grain_levels(d, lam)[1] == 0
        assert s.parity_gap(d, lam) == pytest.approx(lam * d / 2, rel=1e-12)


def test_parity_gap_second_order_perturbation():
    """Delta_P = g/2 + g^2 H_m / (2 d) + O(g^3), checked with the exact solver."""
    from pairing_lib import richardson

    m = 4
    eps = np.arange(-m, m + 1, dtype=float)        # d = 1
    harmonic = sum(1 / k for k in range(1, m + 1))
    coeffs = []
    for g in (0.02, 0.01, 0.005):
        e0 = _ed_energy(eps, g, m)
        e2 = _ed_energy(eps, g, m + 1)
        e1 = _ed_energy(np.delete(eps, m), g, m)
        coeffs.append((e1 - 0.5 * (e0 + e2) - g / 2) / g**2)
        assert richardson.ground_state_energy(np.delete(eps, m), g, m) == pytest.approx(e1)
    # (Delta_P - g/2)/g^2 -> H_m / 2 linearly in g
    extrap = 2 * coeffs[2] - coeffs[1]
    assert extrap == pytest.approx(harmonic / 2, rel=1e-3)
    # the library's second-order formula uses the same H_m of its level set
    lam = 0.3
    d = 0.5 * math.exp(1 / lam) / (m + 0.5)
    assert s.grain_levels(d, lam)[1] == m
    assert s.parity_gap_perturbative(d, lam, order=2) == pytest.approx(
        lam * d / 2 * (1 + lam * harmonic))
    assert s.parity_gap_perturbative(d, lam, order=1) == pytest.approx(lam * d / 2)


def test_parity_gap_large_d_regime():
    """Delta_P -> lambda d / 2 as d grows; second order beats first order."""
    lam = 0.25
    for d in (3.0, 6.0, 12.0):
        exact = s.parity_gap(d, lam)
        first = s.parity_gap_perturbative(d, lam, 1)
        second = s.parity_gap_perturbative(d, lam, 2)
        assert first < exact
        assert abs(second - exact) < abs(first - exact)
    ratios = [s.parity_gap(d, lam) / (lam * d / 2) for d in (3.0, 6.0, 12.0, 24.0)]
    # the ratio falls towards 1 (reached at d > omega_D = 27.3); slowly, since
    # the coupling is renormalised logarithmically
    assert np.all(np.diff(ratios) < 0) and 1.0 < ratios[-1] < 1.3
    # renormalised (cutoff-free) weak-coupling law for Delta_0 << d << omega_D
    # (leading logarithms only: it overshoots by O(1/ln(d)) and improves slowly)
    lam = 0.2
    rel = [s.parity_gap(d, lam) / s.parity_gap_renormalized(d) for d in (3.0, 6.0, 12.0)]
    assert np.all(np.diff(rel) > 0)
    assert 0.85 < rel[-1] < 1.0


def test_parity_gap_approaches_bulk_gap_for_small_d():
    lam = 0.35
    dps = s.parity_gap(np.array([0.6, 0.35, 0.2]), lam)
    assert np.all(np.diff(dps) > 0)              # grows as d decreases
    assert 0.88 < dps[-1] < 1.0                  # within 12 % of the bulk gap
    assert dps[-1] == pytest.approx(1 - 0.2 / 2, abs=0.02)


def test_parity_gap_matveev_larkin_small_d_law():
    """Book coupling, down to d = 0.1 (869 levels): Delta_P -> Delta_0 - d/2.

    The remainder falls faster than d (it is O(d^2) or smaller), and the
    distance from the bulk gap is d/2 to a few per cent.
    """
    lam = s.DEFAULT_COUPLING
    d = s.matched_spacing(np.array([200, 434]), lam)           # 0.217 and 0.100
    dp = s.parity_gap(d, lam)
    rest = dp - (1 - d / 2)
    assert abs(rest[0]) < 0.015 and abs(rest[1]) < 0.002
    assert abs(rest[1]) < 0.25 * abs(rest[0])
    assert (1 - dp[1]) / (d[1] / 2) == pytest.approx(1.0, abs=0.05)


def test_parity_gap_range_and_refusal_message():
    """The exact curve covers d = 0.05 ... 4 at the book coupling; below, a clear refusal."""
    lam = s.DEFAULT_COUPLING
    assert s.grain_levels(0.05, lam)[1] <= s.MAX_PAIRS
    dmin = 0.5 * math.exp(1 / lam) / (s.MAX_PAIRS + 1)
    assert 0.04 < dmin < 0.05
    with pytest.raises(ValueError, match=r"2001 levels") as info:
        s.parity_gap(0.03, lam)
    assert f"{dmin:.4g}" in str(info.value)
    assert s.parity_gap_perturbative(4.0, lam, 1) < s.parity_gap(4.0, lam) < 1.2


def test_parity_gap_cutoff_independence():
    """In units of the bulk gap the result hardly depends on lambda (and omega_D)."""
    ref = s.parity_gap(2.0, s.DEFAULT_COUPLING)
    assert s.parity_gap(2.0, 0.2) == pytest.approx(ref, rel=0.015)
    # on the matched spacings of each coupling the curves agree as well
    d35 = float(s.matched_spacing(5, 0.35))
    d224 = float(s.matched_spacing(27, s.DEFAULT_COUPLING))
    assert abs(d35 - d224) / d224 < 0.01
    assert s.parity_gap(d35, 0.35) == pytest.approx(s.parity_gap(d224), rel=0.04)


def test_default_coupling_is_chapter_2_value():
    from pairing_lib import grains

    assert s.DEFAULT_COUPLING == grains.DEFAULT_COUPLING
    # the level window is chapter 2's odd-grain window (level at the Fermi energy)
    for d in (0.7, 2.0, 9.0):
        labels, eps = grains.levels(d, 1)
        assert np.allclose(s.grain_levels(d)[0], eps)


def test_parity_gap_versus_charging_energy_criterion():
    """Odd plateau width of the exact grain + charging energy = 2 E_C - 2 Delta_P."""
    d, lam = 2.0, 0.3
    e0, e1, e2 = s.grain_energies(d, lam)
    dp = s.parity_gap(d, lam)
    for ec in (0.5 * dp, 2 * dp):
        e = np.array([e0, e1, e2]) + ec * (np.arange(3) - 1.0) ** 2
        width = (e[2] - e[1]) - (e[1] - e[0])
        assert width == pytest.approx(2 * ec - 2 * dp)
        assert (width > 0) == (s.step_size(dp, ec) == 1)


def test_matched_spacing_gives_m_pairs():
    for lam in (0.25, 0.35):
        for m in (0, 1, 5, 40):
            d = s.matched_spacing(m, lam)
            eps, mm = s.grain_levels(d, lam)
            assert mm == m
            assert len(eps) * d == pytest.approx(2 * 0.5 * math.exp(1 / lam))   # L d = 2 omega_D
    with pytest.raises(ValueError, match="m must be an integer"):
        s.matched_spacing(1.5)


def test_parity_gap_input_errors():
    with pytest.raises(ValueError, match="d must be > 0"):
        s.parity_gap(-1.0)
    with pytest.raises(ValueError, match="coupling must be < 1"):
        s.parity_gap(1.0, coupling=1.5)
    with pytest.raises(ValueError, match="d must be >="):
        s.parity_gap(1e-3, coupling=0.224)
    with pytest.raises(ValueError, match="d must be >"):
        s.parity_gap_renormalized(0.5)
    with pytest.raises(ValueError, match="order"):
        s.parity_gap_perturbative(1.0, order=3)


# ----------------------------------------------------------------------------
# 7. the chapter's explorers (thin wrappers: they must run and stay within the frame cap)
# ----------------------------------------------------------------------------
def test_explorers_render_and_respect_frame_cap():
    from pairing_lib.widgets import MAX_FRAMES
    from pairing_lib.widgets import symmetry as sw

    assert set(sw.EXPLORERS) == {"staircase", "phase_winding", "josephson", "magnet"}
    for factory in sw.EXPLORERS.values():
        exp = factory()
        assert exp.frame_count <= MAX_FRAMES
        png = exp.render(**exp.defaults())
        assert png[:8] == b"\x89PNG\r\n\x1a\n"


# ---------------------------------------------------------------------------
# parity effect at finite temperature: independent calculations
# ---------------------------------------------------------------------------
def _brute_force_parity_free_energy(xi, gap, T):
    """Enumerate every occupation of the 2 len(xi) quasiparticle states."""
    e = np.repeat(np.sqrt(np.asarray(xi) ** 2 + gap**2), 2)       # both spins
    z = [0.0, 0.0]
    for occ in itertools.product((0, 1), repeat=len(e)):
        z[sum(occ) % 2] += math.exp(-np.dot(occ, e) / T)
    return -T * math.log(z[1] / z[0])


@pytest.mark.parametrize("T", [0.15, 0.4, 1.0, 3.0])
def test_free_energy_difference_matches_enumeration(T):
    xi = np.array([-0.7, -0.1, 0.0, 0.35, 1.2])
    exact = _brute_force_parity_free_energy(xi, 1.0, T)
    assert s.free_energy_difference(T, None, 1.0, levels=xi) == pytest.approx(exact, rel=1e-10)


def test_parity_sum_continuum_matches_level_sum():
    # Euler-Maclaurin: for d << sqrt(gap T) the sum over levels is the integral
    d = 2e-3
    xi = d * (np.arange(-20000, 20000) + 0.5)
    for T in (0.05, 0.1, 0.3):
        assert s.parity_sum(T, d) == pytest.approx(s.parity_sum(T, d, levels=xi), rel=1e-8)


def test_free_energy_difference_low_temperature_limit():
    d = 1e-5
    for T in (0.01, 0.02, 0.04):
        exact = s.free_energy_difference(T, d)
        low = s.free_energy_difference_low_t(T, d)
        # S = N_eff e^{-1/T} (1 + 3T/8 + ...): the difference is -T ln(1 + 3T/8) ~ -3T^2/8
        assert exact - low == pytest.approx(-3 * T**2 / 8, rel=0.15, abs=1e-12)
    assert s.free_energy_difference(1e-3, d) == pytest.approx(1.0, abs=0.02)


def test_crossover_temperature():
    for d in (1e-6, 4.8e-5, 1e-3):
        ts = s.parity_crossover_temperature(d)
        assert s.effective_qp_number(ts, d) * math.exp(-1 / ts) == pytest.approx(1.0, rel=1e-9)
        # exact value at T*: S is within a few per cent of 1, F = -T ln tanh S ~ 0.27 T*
        assert s.free_energy_difference(ts, d) / ts == pytest.approx(-math.log(math.tanh(1)),
                                                                      rel=0.1)
    with pytest.raises(ValueError, match="d must be in"):
        s.parity_crossover_temperature(1.5)


def test_quasiparticle_fraction_against_fermi_integral():
    from scipy.integrate import quad
    for T in (0.02, 0.05):
        # n_qp / (2 N(0) gap) = (2/gap) int_0^inf f(E) dxi
        val = 2 * quad(lambda x: 1 / (math.exp(math.sqrt(x * x + 1) / T) + 1), 0, 60 * T + 3)[0]
        assert s.quasiparticle_fraction(T) == pytest.approx(val, rel=T)    # O(T/gap) correction
    for x in (1e-8, 1e-6):
        assert s.quasiparticle_fraction(s.poisoning_temperature(x)) == pytest.approx(x, rel=1e-9)
    with pytest.raises(ValueError, match="x_qp"):
        s.poisoning_temperature(0.5)
    with pytest.raises(ValueError, match="T must be > 0"):
        s.free_energy_difference(-0.1, 1e-3)


# ---------------------------------------------------------------------------
# dot between superconductors, atomic limit: brute-force Fock space
# ---------------------------------------------------------------------------
def _fock_hamiltonian(phi, eps, U, gl, gr):
    """Jordan-Wigner matrices of d_up, d_down on the 4-state Fock space."""
    a = np.array([[0, 1], [0, 0]], dtype=complex)        # annihilates an occupied mode
    z = np.diag([1, -1]).astype(complex)
    eye = np.eye(2)
    d_up, d_dn = np.kron(a, eye), np.kron(z, a)
    n_up, n_dn = d_up.conj().T @ d_up, d_dn.conj().T @ d_dn
    xi = eps - U / 2
    gphi = gl + gr * np.exp(1j * phi)
    pair = gphi * d_up.conj().T @ d_dn.conj().T
    h = xi * (n_up + n_dn) + U * n_up @ n_dn - (pair + pair.conj().T)
    parity = np.diag(np.diag(n_up + n_dn).real % 2)
    return h, parity


@pytest.mark.parametrize("eps,U,gl,gr", [(0.0, 1.0, 0.4, 0.4), (0.3, 2.0, 0.5, 0.2),
                                         (-0.2, 0.5, 0.1, 0.6)])
def test_atomic_limit_matches_fock_space(eps, U, gl, gr):
    for phi in np.linspace(-np.pi, 2 * np.pi, 17):
        h, parity = _fock_hamiltonian(phi, eps, U, gl, gr)
        w, v = np.linalg.eigh(h)
        par = np.round(np.einsum("ik,ij,jk->k", v.conj(), parity, v).real)
        even, odd = w[par == 0].min(), w[par == 1].min()
        sing, dbl = s.atomic_limit_energies(phi, eps, U, gl, gr)
        assert sing == pytest.approx(even, abs=1e-12) and dbl == pytest.approx(odd, abs=1e-12)
        assert s.atomic_limit_ground_parity(phi, eps, U, gl, gr) == int(odd < even)


def test_atomic_limit_current_is_the_phase_derivative():
    eps, U, g = 0.1, 1.0, 0.35
    phi = np.linspace(-3.0, 3.0, 61)
    h = 1e-6
    e_plus = np.minimum(*s.atomic_limit_energies(phi + h, eps, U, g))
    e_minus = np.minimum(*s.atomic_limit_energies(phi - h, eps, U, g))
    phi_c = s.atomic_limit_critical_phase(eps, U, g)
    away = np.abs(np.abs(phi) - phi_c) > 1e-3
    assert np.allclose(s.atomic_limit_current(phi, eps, U, g)[away],
                       ((e_plus - e_minus) / (2 * h))[away], atol=1e-8)
    # the singlet and doublet energies cross at phi_c; the current jumps to zero there
    sing, dbl = s.atomic_limit_energies(phi_c, eps, U, g)
    assert sing == pytest.approx(dbl, abs=1e-12)
    assert s.atomic_limit_current(phi_c + 1e-6, eps, U, g) == 0.0
    assert s.atomic_limit_current(phi_c - 1e-6, eps, U, g) > 0.1
    assert s.atomic_limit_critical_phase(0.6, 1.0, 0.3) == math.pi      # singlet everywhere
    assert s.atomic_limit_critical_phase(0.0, 3.0, 0.3) == 0.0          # doublet everywhere


def test_box_mean_number_limits():
    ng = np.linspace(0.1, 3.9, 77)
    # T -> 0: the staircase of the ground state of E_C (N - n_g)^2 + Delta p(N), minimised here
    for ec in (0.6, 2.0):
        n = np.arange(7)
        e = ec * (n[None, :] - ng[:, None]) ** 2 + (n % 2)[None, :] * 1.0
        ground = n[np.argmin(e, axis=1)]
        got = s.box_mean_number(ng, ec, 0.004, 1e-4)
        far = np.min(np.abs(np.diff(np.sort(e, axis=1)[:, :2], axis=1)), axis=1) > 0.1
        assert np.allclose(got[far], ground[far], atol=1e-6)
    # a huge island at high T: F_o - F_e ~ 0, the box is a normal one
    T = 0.3
    assert s.free_energy_difference(T, 1e-6) < 1e-12
    n = np.arange(7)
    w = np.exp(-0.6 * (n[None, :] - ng[:, None]) ** 2 / T)
    assert np.allclose(s.box_mean_number(ng, 0.6, T, 1e-6), (w * n).sum(1) / w.sum(1), atol=1e-12)
