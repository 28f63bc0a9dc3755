"""Timings of pairing_lib.richardson against the targets of issues 4 and 12.

Targets (one ground state, equally spaced levels at half filling, g <= 2d):
  400 levels < 1 s (issue 4), 1000 levels < 1 s, 2000 levels < 5 s, and a
  40-point coupling sweep at 400 levels < 2 s (one continuation, issue 12);
  plus, for information, GOE spectra of 400 levels, the chapter 4 grain at
  d = 0.05 (1737 levels) and the large-N check at 2000 levels.

Run:  .venv/bin/python benchmarks/bench_richardson.py

Prints the median wall-clock time (time.perf_counter, a few repeats) and the
CPU time of the same calls (time.process_time: on a machine shared with other
jobs the wall clock of a single-threaded kernel can be several times its CPU
time). The solver is dominated by LU factorisations and GMRES iterations with
(L+1) x (L+1) matrices: multithreaded BLAS on a shared machine is usually
slower than one thread. ``import pairing_lib`` sets one BLAS thread
(pairing_lib._threads); this script reports that setting and then, for
comparison, every core. Not a test: nothing is asserted.
"""

import os
import time

import numpy as np
from threadpoolctl import threadpool_limits

from pairing_lib import richardson as R
from pairing_lib import symmetry as sym

TARGETS = {400: 1.0, 1000: 1.0, 2000: 5.0}   # seconds, one ground state
TARGET_SWEEP = 2.0                            # seconds, 40 couplings at 400 levels


def timed(fn, repeat=3):
    """Median wall time and median CPU time of ``fn()`` in seconds."""
    walls, cpus = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return float(np.median(walls)), float(np.median(cpus))


def row(name, wall, cpu, target=None):
    if target is None:
        tail = ""
    else:
        tail = f"< {target:g} s  " + ("ok" if wall < target else
                                      ("ok (CPU; machine busy)" if cpu < target else "MISSED"))
    print(f"{name:62s} {wall:8.3f} {cpu:8.3f}  {tail}")


def main(label="one BLAS thread, as set by import pairing_lib"):
    print(f"pairing_lib.richardson benchmarks ({label})")
    print(f"{'case':62s} {'wall s':>8s} {'CPU s':>8s}  target")
    for levels in (400, 1000, 2000):
        eps = R.equally_spaced_levels(levels)
        for lam in (0.224, 0.5, 1.0, 2.0):
            repeat = 1 if levels > 1000 else 3
            wall, cpu = timed(lambda: R.ground_state_energy(eps, lam, levels // 2), repeat)
            sol = R.ground_state(eps, lam, levels // 2)
            row(f"ground state, L={levels} half filling, g/d={lam} ({sol.n_steps} steps)",
                wall, cpu, TARGETS[levels])
    eps = R.equally_spaced_levels(400)
    gs = np.linspace(0.05, 2.0, 40)
    wall, cpu = timed(lambda: R.ground_state_energy(eps, gs, 200), 3)
    row("sweep of 40 couplings 0.05-2 d, L=400 (one continuation)", wall, cpu, TARGET_SWEEP)
    gs = np.linspace(0.05, 0.5, 20)
    wall, cpu = timed(lambda: R.ground_state_energy(eps, gs, 200), 3)
    row("sweep of 20 couplings 0.05-0.5 d, L=400", wall, cpu)
    for seed in (0, 1):
        eps = R.goe_levels(400, 1.0, seed)
        wall, cpu = timed(lambda: R.ground_state_energy(eps, 2.0, 200), 3)
        row(f"GOE spectrum (seed {seed}), L=400, g/d=2", wall, cpu)

    def grain():
        sym._grain_energies_cached.cache_clear()
        sym.parity_gap(0.05)

    wall, cpu = timed(grain, 1)
    row("chapter 4 parity gap at d = 0.05 (1737 levels, two solves)", wall, cpu)
    eps = R.equally_spaced_levels(14)
    wall, cpu = timed(lambda: R.exact_diagonalization(eps, 0.5, 7), 3)
    row("brute force C(14,7) = 3432 states (Lanczos)", wall, cpu)
    wall, cpu = timed(lambda: R.ground_state_energy(eps, 0.5, 7), 3)
    row("Richardson, same system", wall, cpu)
    # what the solutions are checked against at large L (see the test suite)
    sol = R.ground_state(R.equally_spaced_levels(2000), 2.0, 1000)
    print(f"\nL=2000, g=2d: energy {sol.energy:.10f}, error bound {sol.energy_error:.1e}, "
          f"Hellmann-Feynman route {sol.hf_energy:.6f} (tolerance {sol.hf_tolerance:.2g})")


if __name__ == "__main__":
    main()
    cores = os.cpu_count() or 1
    if cores > 1:
        print()
        with threadpool_limits(cores, user_api="blas"):
            main(f"{cores} BLAS threads, for comparison")
