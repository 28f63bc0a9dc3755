"""High-precision reference energies for tests/test_richardson.py (not a test; needs mpmath).

Newton's method on the eigenvalue-based equations of pairing_lib.richardson,
bordered with the sum rule sum_i x_i = M (a random border column), in mpmath
at 80 digits, started from the double-precision solution. Dense mpmath LU:
minutes for 150 levels, so the values are stored in the test file
(MPMATH_REFERENCE) rather than recomputed.

Run:  python tests/reference_mpmath.py uniform 150 40 1.5 5
      python tests/reference_mpmath.py goe 200 100 2.0 7
"""

import sys

import mpmath as mp
import numpy as np

from pairing_lib import richardson as R


def reference_energy(eps, g, n_pairs, x_start, digits=80):
    mp.mp.dps = digits
    z = [2 * mp.mpf(float(e)) for e in eps]
    x = [mp.mpf(float(v)) for v in x_start]
    g = mp.mpf(float(g))
    n = len(z)
    border = [mp.mpf(v) for v in np.random.default_rng(1).normal(size=n)]
    cmat = [[(1 / (z[i] - z[j]) if i != j else mp.mpf(0)) for j in range(n)] for i in range(n)]
    rows = [mp.fsum(row) for row in cmat]
    for _ in range(10):
        cx = [mp.fdot(cmat[i], x) for i in range(n)]
        f = [x[i] ** 2 - x[i] - g * (x[i] * rows[i] - cx[i]) for i in range(n)]
        f.append(mp.fsum(x) - n_pairs)
        k = mp.zeros(n + 1, n + 1)
        for i in range(n):
            for j in range(n):
                k[i, j] = g * cmat[i][j]
            k[i, i] = 2 * x[i] - 1 - g * rows[i]
            k[i, n] = border[i]
            k[n, i] = 1
        dx = mp.lu_solve(k, mp.matrix(f))
        x = [x[i] - dx[i] for i in range(n)]
        if max(abs(v) for v in dx) < mp.mpf(10) ** (8 - digits):
            break
    return mp.fdot(z, x) - g * n_pairs * (n - n_pairs + 1)


if __name__ == "__main__":
    kind, levels, pairs, g, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), \
        float(sys.argv[4]), int(sys.argv[5])
    if kind == "uniform":
        eps = np.sort(np.random.default_rng(seed).uniform(0, levels, levels))
    else:
        eps = R.goe_levels(levels, 1.0, seed)
    sol = R.ground_state(eps, g, pairs)
    ref = reference_energy(eps, g, pairs, sol.lambdas)
    print(f"double: {sol.energy!r} (error bound {sol.energy_error:.2g}); 80 digits: "
          f"{mp.nstr(ref, 22)}")
