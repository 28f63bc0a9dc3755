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

import time

import numpy as np
from bench_explorers import median_ms, time_explorers

from pairing_lib import films

REALISATION_TARGET_S = 10.0


def _median_s(func, repeat=3):
    return median_ms(func, repeat) / 1e3


def bench_realisations():
    print(f"one realisation, 256 x 256, a = xi0 (target < {REALISATION_TARGET_S:g} s)")
    for dh, g in [(0.05, 4.0), (0.03, 4.0), (0.02, 6.0)]:
        runs = []
        t = _median_s(lambda: runs.append(
            films.simulate_droplets(256, dh, g, seed=1, return_states=True)))
        d = runs[-1]
        flag = "ok" if t < REALISATION_TARGET_S else "SLOW"
        print(f"  delta_h = {dh:<5g} g = {g:<3g} ({d.count:3d} droplets)  {t:7.2f} s  {flag}")


def bench_kernels():
    print("\nlibrary kernels")
    films._saddle_point_cached.cache_clear()
    t0 = time.perf_counter()
    films.saddle_point()
    print(f"  {'saddle_point(), first call':44s} {time.perf_counter() - t0:8.3f} s")
    t = _median_s(lambda: films.density_ensemble(64, np.arange(0.2, 1.41, 0.1) / 9, 3.0, 4, 7))
    print(f"  {'density_ensemble 64^2, g = 3, per sample':44s} {t / 4:8.3f} s")
    t = _median_s(lambda: films.density_importance(2.0 / 36, 6.0, 20, 1))
    print(f"  {'density_importance s = 2, g = 6, per sample':44s} {t / 20:8.4f} s")
    t = _median_s(lambda: films.density_importance(2.0 / 36, 6.0, 20, 1, measure_sizes=True))
    print(f"  {'  ... with sizes, per sample':44s} {t / 20:8.4f} s")
    r = np.linspace(20, 300, 20)
    t = _median_s(lambda: films.pair_correlation_free(r, 0.01), repeat=1)
    print(f"  {'pair_correlation_free, per distance':44s} {t / r.size:8.4f} s")
    J = films.droplet_network(10, 30.0, 1.0, seed=3)[1]
    t = _median_s(lambda: films.xy_ground_state(J, n_starts=32, seed=0))
    print(f"  {'xy_ground_state, 10 droplets, 32 starts':44s} {t:8.3f} s")
    t = _median_s(lambda: films.ising_ground_state(J))
    print(f"  {'ising_ground_state, 10 droplets':44s} {t:8.4f} s")
    films.density_scan.cache_clear()
    t0 = time.perf_counter()
    films.density_scan()
    print(f"  {'density_scan() (chapter data), first call':44s} {time.perf_counter() - t0:8.2f} s")


if __name__ == "__main__":
    bench_realisations()
    bench_kernels()
    time_explorers("films.")
