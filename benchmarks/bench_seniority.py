"""Timings of pairing_lib.seniority and the chapter-3 explorers (not a test).

Targets (issue 5 and COMMON brief):
* canonical thermodynamics of an M = 23 shell on a 400 x 4 (omega, T) grid < 0.5 s;
* every explorer: median compute < 50 ms, compute + draw < 200 ms.

Run:  .venv/bin/python benchmarks/bench_seniority.py
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from pairing_lib import plotting, seniority
from pairing_lib.widgets import seniority as ws


def median_time(fn, repeat=5, setup=None):
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def report(label, seconds, target=None):
    flag = "" if target is None else ("  OK" if seconds < target else "  SLOW")
    tgt = "" if target is None else f"  (target < {target * 1e3:.0f} ms)"
    print(f"{label:<58s} {seconds * 1e3:9.1f} ms{tgt}{flag}")


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
           median_time(lambda: shell.thermodynamics(*grid)), 0.5)
    for meth in ("log_partition_function", "canonical_gap", "susceptibility", "heat_capacity"):
        report(f"M=23 {meth}, 400x4 grid",
               median_time(lambda: getattr(shell, meth)(*grid)), 0.5)
    report("M=23 bcs_gap, 400x4 grid", median_time(lambda: shell.bcs_gap(*grid), repeat=3))
    big = seniority.SingleShell(25, 50)                          # M = 51
    Wb = np.linspace(0, 2, 400) * big.critical_field()
    report("M=51 count table (cold, once per l)",
           median_time(lambda: seniority.seniority_moment_counts(25), repeat=3,
                       setup=seniority._determinant_counts.cache_clear))
    report("M=51 thermodynamics, 400x4 grid",
           median_time(lambda: big.thermodynamics(T[None, :] / shell.tc * big.tc, Wb[:, None])))
    report("exact_spectrum l=3, n=7 (3432 states, cold)",
           median_time(lambda: seniority.exact_spectrum(3, 7), repeat=3,
                       setup=seniority._exact_spectrum_cached.cache_clear))

    print("== explorers (cold caches; median over slider states) ==")
    for name, factory in ws.EXPLORERS.items():
        ex = factory()
        states = []
        defaults = ex.defaults()
        for p in ex.params:
            for v in p.stops[:: max(1, len(p.stops) // 4)]:
                states.append({**defaults, p.name: v})
        comp, full = [], []
        for st in states:
            clear_caches()
            comp.append(median_time(lambda: ex.compute(**st), repeat=1))
            clear_caches()
            def draw_all():
                data = ex.compute(**st)
                fig = plotting.new_figure(ex.figsize)
                with plotting.style():
                    ex.draw(fig, data, **st)
                fig.canvas.draw()
            full.append(median_time(draw_all, repeat=1))
        report(f"{name}: compute", statistics.median(comp), 0.05)
        report(f"{name}: compute + draw", statistics.median(full), 0.2)
        report(f"{name}: compute, worst state", max(comp))


if __name__ == "__main__":
    main()
