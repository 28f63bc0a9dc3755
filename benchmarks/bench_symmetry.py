"""Timings of chapter 4 (pairing_lib.symmetry and its explorers).

Run:  .venv/bin/python benchmarks/bench_symmetry.py

Prints median wall times (time.perf_counter, several repeats) against the
targets of issue 6: explorer compute < 50 ms, compute + draw < 200 ms per
slider move (every slider state is timed, the worst is reported), the cost of
one static frame (compute + draw + PNG) at that state and of the library
kernels, including the exact parity gap (Richardson solver) that the chapter's
static figure uses.
Not a test: machines are noisy, so nothing is asserted.
"""

from __future__ import annotations

import time

import numpy as np
from bench_explorers import median_ms, time_explorers

from pairing_lib import symmetry as sym


def bench_kernels():
    th = np.linspace(0, 4 * np.pi, 721)
    fields = np.random.default_rng(0).normal(size=(1000, 3))
    model = sym.DotModel(1.0, 0.6)
    mu = np.linspace(0, 9, 700)
    rows = [
        ("mean_number_staircase, 700 mu", lambda: sym.mean_number_staircase(mu, model, 0.15, 5)),
        ("josephson_current_sd2s, 721 theta", lambda: sym.josephson_current_sd2s(th, 0.1, .5, .5)),
        ("josephson_current_sd1s, 721 theta", lambda: sym.josephson_current_sd1s(th, 0.1, 1.5, 1)),
        ("magnetic_moment, 1000 fields", lambda: sym.magnetic_moment(fields, (1.0, 2.0))),
    ]
    print("library kernels (median ms)")
    for name, f in rows:
        print(f"  {name:40s} {median_ms(f):8.2f}")
    print("\nexact parity gap (uncached, one call each; Richardson solver)")
    for lam, m in [(0.25, 10), (0.25, 24), (0.25, 48), (0.35, 66), (0.224, 200), (0.224, 434),
                   (0.224, 868)]:
        d = float(sym.matched_spacing(m, lam))
        sym._grain_energies_cached.cache_clear()
        t0 = time.perf_counter()
        val = sym.parity_gap(d, lam)
        dt = 1e3 * (time.perf_counter() - t0)
        print(f"  lambda={lam}, m={m:3d} (d={d:6.3f}): Delta_P={val:.4f}  {dt:9.1f} ms")


if __name__ == "__main__":
    bench_kernels()
    time_explorers("symmetry.")
