"""Timings of pairing_lib.seniority and the chapter-3 explorers (not a test).

Targets (issue 5 and COMMON brief):
* canonical thermodynamics of an M = 23 shell on a 400 x 4 (omega, T) grid < 0.5 s;
* every explorer: compute < 50 ms, compute + draw < 200 ms (worst sampled slider state).

Run:  .venv/bin/python benchmarks/bench_seniority.py
"""

from __future__ import annotations

import numpy as np
from bench_explorers import median_ms, time_explorers

from pairing_lib import seniority
from pairing_lib.widgets import seniority as ws


def report(label, ms, target_ms=None):
    flag = "" if target_ms is None else ("  OK" if ms < target_ms else "  SLOW")
    tgt = "" if target_ms is None else f"  (target < {target_ms:.0f} ms)"
    print(f"{label:<58s} {ms:9.1f} ms{tgt}{flag}")


def clear_caches():
    for name in dir(ws):
        obj = getattr(ws, name)
        if hasattr(obj, "cache_clear"):
            obj.cache_clear()


def main():
    print("== kernels ==")
    shell = seniority.SingleShell(11, 22)                       # M = 23
    W = np.linspace(0, 2, 400) * shell.critical_field()
    T = np.array([0.02, 0.1, 0.2, 0.8]) * shell.tc
    grid = (T[None, :], W[:, None])
    shell.thermodynamics(*grid)                                  # warm the count tables
    report("M=23 thermodynamics (all observables), 400x4 grid",
           median_ms(lambda: shell.thermodynamics(*grid)), 500)
    for meth in ("log_partition_function", "canonical_gap", "susceptibility", "heat_capacity"):
        report(f"M=23 {meth}, 400x4 grid",
               median_ms(lambda: getattr(shell, meth)(*grid)), 500)
    report("M=23 bcs_gap, 400x4 grid", median_ms(lambda: shell.bcs_gap(*grid), repeat=3))
    big = seniority.SingleShell(25, 50)                          # M = 51
    Wb = np.linspace(0, 2, 400) * big.critical_field()
    report("M=51 count table (cold, once per l)",
           median_ms(lambda: seniority.seniority_moment_counts(25), repeat=3,
                     setup=seniority._determinant_counts.cache_clear))
    report("M=51 thermodynamics, 400x4 grid",
           median_ms(lambda: big.thermodynamics(T[None, :] / shell.tc * big.tc, Wb[:, None])))
    report("exact_spectrum l=3, n=7 (3432 states, cold)",
           median_ms(lambda: seniority.exact_spectrum(3, 7), repeat=3,
                     setup=seniority._exact_spectrum_cached.cache_clear))

    print("== explorers (cold caches before every compute) ==")
    time_explorers("seniority.", clear=clear_caches, cold_compute=True)


if __name__ == "__main__":
    main()
