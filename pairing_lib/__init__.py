"""pairing_lib -- the physics behind the book *Pairing in small superconductors*.

Every chapter of the book is a notebook that narrates, calls this package and
plots; the formulas live here and are tested in ``tests/``.

Modules (one per model)
-----------------------
scales
    Energy scales of a metallic grain: mean level spacing versus bulk gap
    (landing page).
clogston
    Weak-coupling BCS with a Zeeman term, Clogston-Chandrasekhar limit, FFLO
    (chapter 1).
grains, richardson
    Variational BCS for ultrasmall grains in a Zeeman field and the exact
    Richardson solution of the same reduced BCS Hamiltonian (chapter 2).
shells, seniority
    Shell structure of metallic clusters and the single-shell pairing model
    solved by seniority (chapter 3).
symmetry
    Gauge-symmetry breaking in mesoscopic dots, one-electron phase, 4 pi
    Josephson effect, magnetism of odd dots (chapter 4).
films
    Mesoscopic pairing droplets in disordered films above their critical field
    (chapter 5).
plotting, widgets
    One figure style for the whole book and the dual-mode (live kernel /
    static website) explorers.

Units
-----
Each module states its units in its docstring; the conventions are

* chapter 1 (``clogston``): energies, temperatures (k_B = 1) and the Zeeman
  energy h = mu_B B in units of Delta0, the bulk gap at T = 0, h = 0;
  ``clogston.TC`` = Tc / Delta0 = exp(gamma_E) / pi.
* chapter 2 (``grains``): energies, the level spacing d and h in units of the
  bulk gap Delta-tilde; ``richardson`` works in the caller's unit.
* chapter 3 (``seniority``): the caller's energy unit with the pairing
  strength G (G = 1 sets it); Larmor energy omega = mu_B B.
* chapter 4 (``symmetry``): the dot's energies in the caller's unit; currents
  in units of 2e/hbar (pairs) or e/hbar (single electrons).
* chapter 5 (``films``): lengths in units of xi0 = sqrt(D / Delta0), fields
  as delta_h = (H - Hc) / Hc, g the dimensionless film conductance.
* ``scales``: SI inputs (radius in nm) and energies in meV.

The Zeeman energy is h = mu_B B (g-factor 2) unless a function says
otherwise. Bad input raises ``ValueError`` naming the parameter, its value
and the allowed range.

Importing the package limits every loaded BLAS library to one thread (with
``threadpoolctl``, in ``pairing_lib._threads``, which explains why that is
the fastest setting for the book's many small matrix problems): a notebook
needs no thread setup of its own, on Binder or anywhere else.
"""

from pairing_lib import _threads

__version__ = "0.1.0"

__all__ = ["__version__"]

_threads.limit_blas_threads()
