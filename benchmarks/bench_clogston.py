"""Timings of chapter 1 (pairing_lib.clogston and its explorers).

Run:  .venv/bin/python benchmarks/bench_clogston.py

Prints median wall times (time.perf_counter, several repeats) against the
targets of the foundation issue: explorer compute < 50 ms, compute + draw
< 200 ms per slider move. Also times the library kernels the chapter uses
and one static-mode frame (compute + draw + PNG). Not a test: machines are
noisy, so nothing is asserted.
"""

from __future__ import annotations

import time

import numpy as np
from bench_explorers import median_ms, time_explorers

from pairing_lib import clogston


def bench_kernels():
    grid = np.linspace(0, 1.25, 251)
    rows = [
        ("free_energy, 251 gaps, T = 0", lambda: clogston.free_energy(grid, 0.0, 0.6)),
        ("free_energy, 251 gaps, T = 0.05", lambda: clogston.free_energy(grid, 0.05, 0.6)),
        ("free_energy, 251 gaps, T = 0.01", lambda: clogston.free_energy(grid, 0.01, 0.6)),
        ("equilibrium_gap(0.15, 0.65)", lambda: clogston.equilibrium_gap(0.15, 0.65)),
        ("gap_solutions(0.15, 0.65)", lambda: clogston.gap_solutions(0.15, 0.65)),
        ("fflo_instability(0.1)", lambda: clogston.fflo_instability(0.1)),
        ("spin_split_dos, 881 energies", lambda: clogston.spin_split_dos(
            np.linspace(-2, 2, 881), 1.0, 0.3, 0.02)),
    ]
    print("library kernels (median ms)")
    for name, f in rows:
        print(f"  {name:40s} {median_ms(f):8.2f}")
    t0 = time.perf_counter()
    clogston.first_order_field(0.123)  # uncached temperature
    print(f"  {'first_order_field(0.123), uncached':40s} {1e3 * (time.perf_counter() - t0):8.2f}")
    t0 = time.perf_counter()
    clogston.phase_diagram(num=16)
    print(f"  {'phase_diagram(16), first call':40s} {1e3 * (time.perf_counter() - t0):8.2f}")


if __name__ == "__main__":
    bench_kernels()
    time_explorers("clogston.")
