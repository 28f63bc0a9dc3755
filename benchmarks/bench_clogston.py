"""Timings of chapter 1 (pairing_lib.clogston and its explorers).

Run:  .venv/bin/python benchmarks/bench_clogston.py

Prints median wall times (time.perf_counter, several repeats) against the
targets of the foundation issue: explorer compute < 50 ms, compute + draw
< 200 ms per slider move. Also times the library kernels the chapter uses
and one static-mode frame (compute + draw + PNG). Not a test: machines are
noisy, so nothing is asserted.
"""

from __future__ import annotations

import itertools
import statistics
import time

import numpy as np

from pairing_lib import clogston, plotting
from pairing_lib.widgets import clogston as cw

COMPUTE_TARGET_MS = 50.0
TOTAL_TARGET_MS = 200.0


def _median_ms(func, repeat=5):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        times.append(1e3 * (time.perf_counter() - t0))
    return statistics.median(times)


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
        print(f"  {name:40s} {_median_ms(f):8.2f}")
    t0 = time.perf_counter()
    clogston.first_order_field(0.123)  # uncached temperature
    print(f"  {'first_order_field(0.123), uncached':40s} {1e3 * (time.perf_counter() - t0):8.2f}")
    t0 = time.perf_counter()
    clogston.phase_diagram(num=16)
    print(f"  {'phase_diagram(16), first call':40s} {1e3 * (time.perf_counter() - t0):8.2f}")


def bench_explorers():
    print("\nexplorers: worst slider state (median ms over repeats)")
    print(f"  {'name':18s} {'frames':>6s} {'compute':>9s} {'draw':>8s} {'total':>8s} "
          f"{'png':>7s}  targets {COMPUTE_TARGET_MS:g}/{TOTAL_TARGET_MS:g} ms")
    for name, factory in cw.EXPLORERS.items():
        exp = factory()
        exp.compute(**exp.defaults())  # warm caches that do not depend on sliders
        worst = (0.0, 0.0, None)
        states = list(itertools.product(*[p.stops for p in exp.params]))
        for values in states[:: max(1, len(states) // 12)]:
            vals = dict(zip([p.name for p in exp.params], values))
            tc = _median_ms(lambda: exp.compute(**vals), repeat=3)
            data = exp.compute(**vals)

            def draw():
                fig = plotting.new_figure(exp.figsize)
                with plotting.style():
                    exp.draw(fig, data, **vals)
                fig.canvas.draw()
            td = _median_ms(draw, repeat=3)
            if tc + td > worst[0] + worst[1]:
                worst = (tc, td, vals)
        tc, td, vals = worst
        tpng = _median_ms(lambda: exp.render(palette=True, **vals), repeat=3)
        flag = "ok" if tc < COMPUTE_TARGET_MS and tc + td < TOTAL_TARGET_MS else "SLOW"
        print(f"  {name:18s} {exp.frame_count:6d} {tc:9.2f} {td:8.2f} {tc + td:8.2f} "
              f"{tpng:7.1f}  {flag}  at {vals}")


if __name__ == "__main__":
    bench_kernels()
    bench_explorers()
