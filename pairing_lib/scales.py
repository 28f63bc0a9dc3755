r"""Energy scales of a small metallic grain: level spacing versus the bulk gap.

Used by the landing page of the book (``intro``).

A grain of volume :math:`V` holding free electrons of density :math:`n` has a
discrete single-particle spectrum. Each orbital level holds two electrons
(spin up and down), and the mean spacing of the orbital levels at the Fermi
energy is the inverse of the density of states *per spin*,

.. math::

    d = \frac{1}{\nu_\sigma(\varepsilon_F)\,V}
      = \frac{2\pi^2\hbar^2}{m k_F V}
      = \frac{4\,\varepsilon_F}{3\,N_e},

with :math:`N_e = nV` conduction electrons and :math:`\varepsilon_F = \hbar^2
k_F^2 / 2m` (free-electron model). This is the :math:`d = 1/N(\varepsilon_F)`
of Braun *et al.* (seed 000 of the book, the paragraph below its abstract).
Anderson's criterion (Anderson, 1959) says that
superconductivity in the usual sense cannot survive once :math:`d` exceeds
the bulk gap :math:`\Delta`; :func:`anderson_radius` gives the radius of the
sphere where :math:`d = \Delta`.

**Units.** Radii in nm, energies in meV, fields in tesla. Material constants are
free-electron values (Ashcroft & Mermin, Table 2.1) and the bulk gap is the
weak-coupling BCS value :math:`\Delta = 1.764\,k_B T_c` from the measured
:math:`T_c` (strong-coupling metals such as Pb have a somewhat larger gap).

Examples
--------
>>> from pairing_lib import scales
>>> round(scales.level_spacing(5.0, "Al"), 3)      # meV
0.164
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "Metal",
    "METALS",
    "HBAR",
    "M_E",
    "EV",
    "K_B_MEV",
    "get_metal",
    "electron_count",
    "level_spacing",
    "anderson_radius",
    "levels_in_gap",
]

HBAR = 1.054571817e-34  #: J s
M_E = 9.1093837015e-31  #: kg
EV = 1.602176634e-19  #: J
K_B_MEV = 8.617333262e-2  #: Boltzmann constant in meV / K
BCS_RATIO = 1.764  #: Delta / (k_B Tc) in weak-coupling BCS (pi / e^gamma)


@dataclass(frozen=True)
class Metal:
    """Free-electron parameters of a metal.

    Parameters
    ----------
    name : str
        Chemical symbol.
    n_cm3 : float
        Conduction-electron density in units of 1e22 cm^-3.
    tc_kelvin : float
        Bulk superconducting transition temperature in K.
    """

    name: str
    n_cm3: float
    tc_kelvin: float

    @property
    def density(self) -> float:
        """Electron density n in m^-3."""
        return self.n_cm3 * 1e28

    @property
    def k_fermi(self) -> float:
        """Fermi wave number k_F = (3 pi^2 n)^(1/3) in m^-1."""
        return (3 * np.pi**2 * self.density) ** (1.0 / 3.0)

    @property
    def fermi_energy_mev(self) -> float:
        """Fermi energy hbar^2 k_F^2 / 2m in meV."""
        return HBAR**2 * self.k_fermi**2 / (2 * M_E) / EV * 1e3

    @property
    def gap_mev(self) -> float:
        """Weak-coupling bulk gap 1.764 k_B Tc in meV."""
        return BCS_RATIO * K_B_MEV * self.tc_kelvin


#: Metals offered by the landing-page explorer (free-electron densities from
#: Ashcroft & Mermin, Table 2.1; Tc from standard tables).
METALS = {
    "Al": Metal("Al", 18.1, 1.18),
    "Sn": Metal("Sn", 14.8, 3.72),
    "Zn": Metal("Zn", 13.2, 0.85),
    "Pb": Metal("Pb", 13.2, 7.19),
    "Nb": Metal("Nb", 5.56, 9.25),
}


def get_metal(metal) -> Metal:
    """Return a :class:`Metal` from a symbol in :data:`METALS` or a Metal.

    Raises
    ------
    ValueError
        If the symbol is unknown.
    """
    if isinstance(metal, Metal):
        return metal
    if metal not in METALS:
        raise ValueError(f"metal must be one of {sorted(METALS)}, got {metal!r}")
    return METALS[metal]


def _check_radius(radius_nm):
    r = np.asarray(radius_nm, dtype=float)
    if not np.all(np.isfinite(r)) or np.any(r <= 0):
        raise ValueError(f"radius_nm must be finite and > 0, got {radius_nm!r}")
    return r


def electron_count(radius_nm, metal="Al"):
    """Number of conduction electrons N_e = n (4/3) pi r^3 in a sphere.

    Parameters
    ----------
    radius_nm : float or array
        Radius in nm (> 0).
    metal : str or Metal
        Symbol from :data:`METALS`.

    Returns
    -------
    float or ndarray
    """
    r = _check_radius(radius_nm) * 1e-9
    return get_metal(metal).density * 4.0 / 3.0 * np.pi * r**3


def level_spacing(radius_nm, metal="Al"):
    """Mean orbital level spacing d = 2 pi^2 hbar^2 / (m k_F V) in meV.

    Parameters
    ----------
    radius_nm : float or array
        Radius of the spherical grain in nm (> 0).
    metal : str or Metal
        Symbol from :data:`METALS`.

    Returns
    -------
    float or ndarray
        d in meV (the spacing of spin-degenerate levels, 1 / (DOS per spin)).

    Raises
    ------
    ValueError
        For a non-positive radius or an unknown metal.

    References
    ----------
    Braun *et al.*, seed 000 (d = 1/N(eps_F)); landing page of the book.
    """
    r = _check_radius(radius_nm) * 1e-9
    m = get_metal(metal)
    volume = 4.0 / 3.0 * np.pi * r**3
    d_joule = 2 * np.pi**2 * HBAR**2 / (M_E * m.k_fermi * volume)
    return d_joule / EV * 1e3


def anderson_radius(metal="Al", gap_mev=None) -> float:
    """Radius (nm) of the sphere whose level spacing equals the gap.

    Parameters
    ----------
    metal : str or Metal
        Symbol from :data:`METALS`.
    gap_mev : float, optional
        Gap to compare with (default: the metal's weak-coupling bulk gap).
        Thin Al films have 0.38 meV, for example.

    Returns
    -------
    float
        r such that ``level_spacing(r, metal) == gap``.

    Raises
    ------
    ValueError
        If ``gap_mev`` is not positive.
    """
    m = get_metal(metal)
    gap = m.gap_mev if gap_mev is None else float(gap_mev)
    if not np.isfinite(gap) or gap <= 0:
        raise ValueError(f"gap_mev must be finite and > 0, got {gap_mev!r}")
    # d scales as r^-3: d(r) = d(1 nm) / r^3
    d1 = float(level_spacing(1.0, m))
    return (d1 / gap) ** (1.0 / 3.0)


def levels_in_gap(radius_nm, metal="Al", gap_mev=None):
    """Number of orbital levels within one gap of the Fermi energy, 2 Delta / d.

    This counts the levels that take part in pairing (those within Delta
    above or below eps_F): many in a bulk sample, of order one at the
    Anderson radius.
    """
    m = get_metal(metal)
    gap = m.gap_mev if gap_mev is None else float(gap_mev)
    if not np.isfinite(gap) or gap <= 0:
        raise ValueError(f"gap_mev must be finite and > 0, got {gap_mev!r}")
    return 2 * gap / level_spacing(radius_nm, m)
