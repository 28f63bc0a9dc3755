"""Energy scales of the landing page (pairing_lib.scales)."""

import numpy as np
import pytest

from pairing_lib import scales


def brute_force_spacing_mev(volume_m3, k_fermi, rel_window=0.25):
    """Mean orbital level spacing at eps_F by counting plane-wave states in a periodic box.

    Free electrons in a cube of the same volume: k = 2 pi n / L with integer n.
    The spacing is 1 / (dN/dE) with N(E) the number of orbital states (one
    spin) below E, differentiated over a window of +-rel_window eps_F.
    """
    side = volume_m3 ** (1 / 3)
    e_f = scales.HBAR**2 * k_fermi**2 / (2 * scales.M_E)
    n_max = int(np.ceil(k_fermi * side / (2 * np.pi) * 1.2)) + 1
    n = np.arange(-n_max, n_max + 1)
    nx, ny, nz = np.meshgrid(n, n, n, indexing="ij", sparse=True)
    energy = scales.HBAR**2 * (2 * np.pi / side) ** 2 * (nx**2 + ny**2 + nz**2) / (2 * scales.M_E)
    e_lo, e_hi = e_f * (1 - rel_window), e_f * (1 + rel_window)
    count = np.count_nonzero(energy < e_hi) - np.count_nonzero(energy < e_lo)
    dos = count / (e_hi - e_lo)
    return 1.0 / dos / scales.EV * 1e3


@pytest.mark.parametrize("metal", ["Al", "Pb", "Nb"])
@pytest.mark.parametrize("radius", [3.0, 5.0])
def test_level_spacing_matches_state_counting(metal, radius):
    m = scales.get_metal(metal)
    volume = 4 / 3 * np.pi * (radius * 1e-9) ** 3
    expected = brute_force_spacing_mev(volume, m.k_fermi)
    assert scales.level_spacing(radius, metal) == pytest.approx(expected, rel=0.03)


def test_level_spacing_equals_four_thirds_fermi_energy_over_electron_count():
    r = np.array([1.0, 2.5, 7.0, 20.0])
    m = scales.METALS["Sn"]
    lhs = scales.level_spacing(r, "Sn")
    rhs = 4 * m.fermi_energy_mev / (3 * scales.electron_count(r, "Sn"))
    np.testing.assert_allclose(lhs, rhs, rtol=1e-12)


def test_free_electron_constants_of_aluminium():
    # Ashcroft & Mermin, Table 2.1: k_F = 1.75 / Angstrom, eps_F = 11.7 eV
    al = scales.METALS["Al"]
    assert al.k_fermi * 1e-10 == pytest.approx(1.75, abs=0.01)
    assert al.fermi_energy_mev / 1e3 == pytest.approx(11.7, abs=0.1)
    # weak-coupling BCS gap 1.764 k_B Tc for Tc = 1.18 K
    assert al.gap_mev == pytest.approx(0.179, abs=0.002)


def test_anderson_radius_solves_d_equals_gap():
    for metal in scales.METALS:
        r = scales.anderson_radius(metal)
        assert scales.level_spacing(r, metal) == pytest.approx(scales.METALS[metal].gap_mev, rel=1e-12)
    # a larger gap (thin Al films, 0.38 meV) allows a smaller grain
    assert scales.anderson_radius("Al", gap_mev=0.38) < scales.anderson_radius("Al")


def test_levels_in_gap_is_one_per_half_gap_at_anderson_radius():
    r = scales.anderson_radius("Al")
    assert scales.levels_in_gap(r, "Al") == pytest.approx(2.0)
    # d scales as r^-3, so doubling the radius puts 8 times more levels in the window
    assert scales.levels_in_gap(2 * r, "Al") == pytest.approx(16.0)


@pytest.mark.parametrize("bad", [0.0, -1.0, np.nan, np.inf])
def test_bad_radius_is_refused(bad):
    with pytest.raises(ValueError, match="radius_nm"):
        scales.level_spacing(bad)


def test_bad_metal_and_gap_are_refused():
    with pytest.raises(ValueError, match="metal"):
        scales.level_spacing(5.0, "Unobtainium")
    with pytest.raises(ValueError, match="gap_mev"):
        scales.anderson_radius("Al", gap_mev=-0.1)
