"""Timings of chapter 2 (pairing_lib.grains and its explorers).

Run:  .venv/bin/python benchmarks/bench_grains.py

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

import time

import numpy as np
from bench_explorers import median_ms, time_explorers

from pairing_lib import grains
from pairing_lib.widgets import grains as gw

FIG2_TARGET_MS = 1000.0


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
        ms = median_ms(f, repeat=3)
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


def _cold_explorers():
    """Forget every cached sector and table, so the explorers' setup is their cold warm-up."""
    _cold()
    grains._exact_config.cache_clear()
    for cached in (gw._ladder_data, gw._spectra, gw._energy_table):
        cached.cache_clear()


if __name__ == "__main__":
    bench_kernels()
    time_explorers("grains.", clear=_cold_explorers)
