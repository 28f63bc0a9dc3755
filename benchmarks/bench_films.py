"""Timings of chapter 5 (pairing_lib.films and its explorers).

Run:  .venv/bin/python benchmarks/bench_films.py

Prints median wall times (time.perf_counter, several repeats) against the
targets of issue 7 and the foundation issue:

* one disorder realisation on a 256 x 256 lattice (all droplets, with
  eigenstates): < 10 s;
* explorer compute < 50 ms, compute + draw < 200 ms per slider move.

Also times the kernels behind the chapter's figures (saddle point, density
ensembles, importance sampling, the exact pair correlation) and the
one-off precomputation of each explorer. Not a test: machines are noisy,
so nothing is asserted.
"""

from __future__ import annotations

import itertools
import statistics
import time

import numpy as np

from pairing_lib import films, plotting
from pairing_lib.widgets import films as fw

REALISATION_TARGET_S = 10.0
COMPUTE_TARGET_MS = 50.0
TOTAL_TARGET_MS = 200.0


def _median(func, repeat=3):
    times = []
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def bench_realisations():
    print(f"one realisation, 256 x 256, a = xi0 (target < {REALISATION_TARGET_S:g} s)")
    for dh, g in [(0.05, 4.0), (0.03, 4.0), (0.02, 6.0)]:
        t, d = _median(lambda: films.simulate_droplets(256, dh, g, seed=1, return_states=True))
        flag = "ok" if t < REALISATION_TARGET_S else "SLOW"
        print(f"  delta_h = {dh:<5g} g = {g:<3g} ({d.count:3d} droplets)  {t:7.2f} s  {flag}")


def bench_kernels():
    print("\nlibrary kernels")
    films._saddle_point_cached.cache_clear()
    t0 = time.perf_counter()
    films.saddle_point()
    print(f"  {'saddle_point(), first call':44s} {time.perf_counter() - t0:8.3f} s")
    t, _ = _median(lambda: films.density_ensemble(64, np.arange(0.2, 1.41, 0.1) / 9, 3.0, 4, 7))
    print(f"  {'density_ensemble 64^2, g = 3, per sample':44s} {t / 4:8.3f} s")
    t, _ = _median(lambda: films.density_importance(2.0 / 36, 6.0, 20, 1))
    print(f"  {'density_importance s = 2, g = 6, per sample':44s} {t / 20:8.4f} s")
    t, _ = _median(lambda: films.density_importance(2.0 / 36, 6.0, 20, 1, measure_sizes=True))
    print(f"  {'  ... with sizes, per sample':44s} {t / 20:8.4f} s")
    r = np.linspace(20, 300, 20)
    t, _ = _median(lambda: films.pair_correlation_free(r, 0.01), repeat=1)
    print(f"  {'pair_correlation_free, per distance':44s} {t / r.size:8.4f} s")
    J = films.droplet_network(10, 30.0, 1.0, seed=3)[1]
    t, _ = _median(lambda: films.xy_ground_state(J, n_starts=32, seed=0))
    print(f"  {'xy_ground_state, 10 droplets, 32 starts':44s} {t:8.3f} s")
    t, _ = _median(lambda: films.ising_ground_state(J))
    print(f"  {'ising_ground_state, 10 droplets':44s} {t:8.4f} s")
    films.density_scan.cache_clear()
    t0 = time.perf_counter()
    films.density_scan()
    print(f"  {'density_scan() (chapter data), first call':44s} {time.perf_counter() - t0:8.2f} s")


def _ms(func, repeat=5):
    t, _ = _median(func, repeat)
    return 1e3 * t


def bench_explorers():
    print("\nexplorers: worst slider state (median ms over repeats)")
    print(f"  {'name':12s} {'setup s':>8s} {'frames':>6s} {'compute':>9s} {'draw':>8s} "
          f"{'total':>8s}  targets {COMPUTE_TARGET_MS:g}/{TOTAL_TARGET_MS:g} ms")
    for name, factory in fw.EXPLORERS.items():
        t0 = time.perf_counter()
        exp = factory()
        setup = time.perf_counter() - t0
        worst = (0.0, 0.0, None)
        states = list(itertools.product(*[p.stops for p in exp.params]))
        for values in states[:: max(1, len(states) // 12)]:
            vals = dict(zip([p.name for p in exp.params], values))
            tc = _ms(lambda: exp.compute(**vals), repeat=3)
            data = exp.compute(**vals)

            def draw():
                fig = plotting.new_figure(exp.figsize)
                with plotting.style():
                    exp.draw(fig, data, **vals)
                fig.canvas.draw()

            td = _ms(draw, repeat=3)
            if tc + td > worst[0] + worst[1]:
                worst = (tc, td, vals)
        tc, td, vals = worst
        flag = "ok" if tc < COMPUTE_TARGET_MS and tc + td < TOTAL_TARGET_MS else "SLOW"
        print(f"  {name:12s} {setup:8.2f} {exp.frame_count:6d} {tc:9.1f} {td:8.1f} "
              f"{tc + td:8.1f}  {flag}  at {vals}")


if __name__ == "__main__":
    bench_realisations()
    bench_kernels()
    bench_explorers()
