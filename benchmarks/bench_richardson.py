"""Timings of pairing_lib.richardson against the targets of issue 4 (chapter 2).

Target: exact ground state of 400 equally spaced levels at half filling
(200 pairs) in < 1 s, for lambda = g / d in the grain range 0.2-0.5.

Run:  .venv/bin/python benchmarks/bench_richardson.py

Prints median wall-clock times (time.perf_counter, a few repeats). The solver
is dominated by LU factorisations of (L+1) x (L+1) matrices: on a machine
shared with other jobs, multithreaded BLAS can be much slower than one
thread. ``import pairing_lib`` sets one BLAS thread (pairing_lib._threads);
this script reports that setting and then, for comparison, every core.
"""

import os

import numpy as np
from bench_explorers import median_ms
from threadpoolctl import threadpool_limits

from pairing_lib import richardson as R

TARGET_400 = 1.0   # seconds


def median_time(fn, repeat=3):
    return median_ms(fn, repeat) / 1e3


def main(label="one BLAS thread, as set by import pairing_lib"):
    print(f"pairing_lib.richardson benchmarks ({label})")
    print(f"{'case':58s} {'median s':>9s}  target")
    rows = []
    for levels in (100, 200, 400, 800):
        eps = R.equally_spaced_levels(levels)
        for lam in (0.2, 0.35, 0.5):
            repeat = 1 if levels > 400 else 3
            t = median_time(lambda: R.ground_state_energy(eps, lam, levels // 2), repeat)
            sol = R.ground_state(eps, lam, levels // 2)
            target = f"< {TARGET_400:g} s" if levels == 400 else ""
            flag = "" if levels != 400 else ("ok" if t < TARGET_400 else "MISSED")
            name = (f"ground state, L={levels} half filling, g/d={lam} "
                    f"({sol.n_steps} steps)")
            print(f"{name:58s} {t:9.3f}  {target} {flag}")
            rows.append((levels, lam, t))
    eps = R.equally_spaced_levels(400)
    gs = np.linspace(0.05, 0.5, 20)
    t = median_time(lambda: R.ground_state_energy(eps, gs, 200), 1)
    print(f"{'sweep of 20 couplings 0.05-0.5 d, L=400 (one continuation)':58s} {t:9.3f}")
    eps = R.equally_spaced_levels(14)
    t = median_time(lambda: R.exact_diagonalization(eps, 0.5, 7), 3)
    print(f"{'brute force C(14,7) = 3432 states (Lanczos)':58s} {t:9.3f}")
    t = median_time(lambda: R.ground_state_energy(eps, 0.5, 7), 3)
    print(f"{'Richardson, same system':58s} {t:9.3f}")
    return rows


if __name__ == "__main__":
    main()
    cores = os.cpu_count() or 1
    if cores > 1:
        print()
        with threadpool_limits(cores, user_api="blas"):
            main(f"{cores} BLAS threads, for comparison")
