"""Timings of chapter 2 (pairing_lib.grains and its explorers).

Run:  OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/bench_grains.py

Prints median wall times (time.perf_counter, several repeats) against the
targets of issue 4: the whole data of Fig. 2 (300 values of d, spins s <= 5,
both parities: sector energies, critical fields, envelopes, the e->o jump)
< 1 s; explorer compute < 50 ms and compute + draw < 200 ms per slider move
(after the explorer's one-off precomputation, also timed); the exact first
transitions of the chapter (``exact_first_transition`` on the grid ``EXACT_D``,
d >= 0.2, up to 434 levels) take a few seconds in all. Not a test:
machines are noisy, so nothing is asserted.
"""

from __future__ import annotations

import itertools
import statistics
import time

import numpy as np

from pairing_lib import grains, plotting
from pairing_lib.widgets import grains as gw

FIG2_TARGET_MS = 1000.0
COMPUTE_TARGET_MS = 50.0
TOTAL_TARGET_MS = 200.0


def _median_ms(func, repeat=5):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        times.append(1e3 * (time.perf_counter() - t0))
    return statistics.median(times)


def fig2_data(self_consistent=True):
    """Everything Fig. 2 of seed 000 needs, for 300 values of d."""
    d = np.linspace(0.04, 1.2, 300)
    out = {}
    for p in (0, 1):
        spins = p / 2 + np.arange(6)                       # s <= 5 (11/2 for odd)
        e = grains.variational_energy(spins[:, None], d[None, :],
                                      self_consistent=self_consistent)
        out[p] = (e[1:] - e[0]) / (2 * (spins[1:, None] - spins[0]))   # h_{p/2,s'}
        out[(p, "bar")] = grains.first_transition(d, p, self_consistent=self_consistent)
    out["h12"] = grains.critical_field(1, 2, d, self_consistent=self_consistent)
    out["h3252"] = grains.critical_field(1.5, 2.5, d, self_consistent=self_consistent)
    out["jump"] = grains.e_to_o_jump(d, self_consistent=self_consistent)
    out["regime"] = grains.regime(d, self_consistent=self_consistent)
    return out


def _cold():
    """Forget every solved sector (the library memoises them per session)."""
    grains._SECTOR_MEMO.clear()


def bench_kernels():
    print("library kernels (median ms)")
    rows = [
        ("Fig. 2 data, 300 d, s <= 5, self-consistent, cold",
         lambda: (_cold(), fig2_data(True)), FIG2_TARGET_MS),
        ("Fig. 2 data, 300 d, s <= 5, eps_bar = eps, cold",
         lambda: (_cold(), fig2_data(False)), FIG2_TARGET_MS),
        ("Fig. 2 data, self-consistent, memo warm", lambda: fig2_data(True), None),
        ("first_transition(d = 0.01, even), cold",
         lambda: (_cold(), grains.first_transition(0.01, 0)), None),
        ("pairing_parameter(s <= 5, 300 d), cold", lambda: (_cold(), grains.pairing_parameter(
            np.arange(6)[:, None], np.linspace(0.04, 1.2, 300)[None, :])), None),
        ("tunnelling_lines(0.34, even), uncached", lambda: (
            grains._variational_config.cache_clear(),
            grains.tunnelling_lines(0.34, 0, 1.3, window=2)), None),
        ("tunnelling_lines(0.34, even), cached", lambda: grains.tunnelling_lines(
            0.34, 0, 1.3, window=2), None),
    ]
    for name, f, target in rows:
        ms = _median_ms(f, repeat=3)
        tgt = f"  (target < {target:g} ms: {'ok' if ms < target else 'SLOW'})" if target else ""
        print(f"  {name:48s} {ms:9.2f}{tgt}")
    for d in (1.0, 0.67, 0.5, 0.3, 0.2):
        grains._exact_config.cache_clear()
        t0 = time.perf_counter()
        grains.exact_energy(0, d)
        ms = 1e3 * (time.perf_counter() - t0)
        n = grains.levels(d, 0)[0].size
        print(f"  {f'exact_energy(0, d = {d}) ({n} levels), uncached':48s} {ms:9.2f}")
    for d in (0.67, 0.3, 0.2):
        for p in (0, 1):
            grains._exact_config.cache_clear()
            t0 = time.perf_counter()
            _, s_bar = grains.exact_first_transition(d, p)
            ms = 1e3 * (time.perf_counter() - t0)
            name = f"exact_first_transition(d = {d}, p = {p}), uncached"
            print(f"  {name:48s} {ms:9.2f}   (s_bar = {s_bar:g})")
    grains._exact_config.cache_clear()
    t0 = time.perf_counter()
    c0 = time.process_time()
    for p in (0, 1):
        grains.exact_first_transition(np.array(gw.EXACT_D), p)
    ms, cpu = 1e3 * (time.perf_counter() - t0), 1e3 * (time.process_time() - c0)
    name = f"chapter-2 exact sweep ({len(gw.EXACT_D)} d, both p), cold"
    print(f"  {name:48s} {ms:9.2f}   (CPU {cpu:.0f} ms)")


def bench_explorers():
    print("\nexplorers (median ms; worst sampled slider state)")
    print(f"  {'name':22s} {'frames':>6s} {'setup':>9s} {'compute':>9s} {'draw':>8s} "
          f"{'total':>8s} {'png':>7s}  targets {COMPUTE_TARGET_MS:g}/{TOTAL_TARGET_MS:g} ms")
    for name, factory in gw.EXPLORERS.items():
        # cold start: forget every cached sector and table, so "setup" is the one-off warm-up
        _cold()
        grains._exact_config.cache_clear()
        for cached in (gw._ladder_data, gw._spectra, gw._energy_table):
            cached.cache_clear()
        t0 = time.perf_counter()
        exp = factory()
        setup = 1e3 * (time.perf_counter() - t0)
        states = list(itertools.product(*[p.stops for p in exp.params]))
        for values in states:                      # first visit of every state
            exp.compute(**dict(zip([p.name for p in exp.params], values)))
        worst = (0.0, 0.0, None)
        for values in states[:: max(1, len(states) // 8)]:
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
        tp = _median_ms(lambda: exp.render(palette=True, **vals), repeat=2)
        flag = "ok" if tc < COMPUTE_TARGET_MS and tc + td < TOTAL_TARGET_MS else "SLOW"
        print(f"  {name:22s} {exp.frame_count:6d} {setup:9.0f} {tc:9.2f} {td:8.1f} "
              f"{tc + td:8.1f} {tp:7.0f}  {flag}  worst at {vals}")
    print("  (setup = factory call incl. the cold cache warm-up; png = one static frame incl. palette)")


if __name__ == "__main__":
    bench_kernels()
    bench_explorers()
