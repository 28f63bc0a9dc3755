"""Live-update latency of every explorer of the book.

For each explorer (pairing_lib.widgets.all_explorers) and a sample of slider
states, time ``compute`` and ``draw`` (what a live kernel does on every slider
move) and print, for the worst sampled state, the medians against the targets
of the foundation issue: compute < 50 ms, compute + draw < 200 ms; also the
factory call ("setup", the explorer's one-off precomputation) and one static
frame (compute + draw + PNG with palette) at that state.

    .venv/bin/python benchmarks/bench_explorers.py [name-filter]

The chapter scripts (bench_clogston.py, ...) import :func:`median_ms` and
:func:`time_explorers` from here. Not a test: nothing is asserted.
"""

from __future__ import annotations

import itertools
import statistics
import sys
import time

from pairing_lib import plotting
from pairing_lib.widgets import all_explorers

COMPUTE_TARGET_MS = 50.0
TOTAL_TARGET_MS = 200.0


def median_ms(func, repeat=5, setup=None):
    """Median wall time of ``func()`` in ms over ``repeat`` calls (``setup()`` untimed before each)."""
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        t0 = time.perf_counter()
        func()
        times.append(1e3 * (time.perf_counter() - t0))
    return statistics.median(times)


def states(exp, n=12):
    """Up to ``n`` slider states spread over the grid (all of them if ``n`` is None)."""
    combos = list(itertools.product(*(p.stops for p in exp.params)))
    if n is not None:
        combos = combos[:: max(1, len(combos) // n)][:n]
    return [dict(zip((p.name for p in exp.params), c)) for c in combos]


def time_explorer(exp, n=12, repeat=3, clear=None):
    """``(compute ms, draw ms, state)`` at the worst of the sampled states.

    With ``clear``, it is called before every timed ``compute`` (cold caches).
    """
    worst = (0.0, 0.0, None)
    for vals in states(exp, n):
        tc = median_ms(lambda: exp.compute(**vals), repeat, setup=clear)
        data = exp.compute(**vals)

        def draw():
            # what a live slider move costs after compute: draw, rasterise, encode
            # (a bare Figure has no Agg canvas, so canvas.draw() alone would time nothing)
            fig = plotting.new_figure(exp.figsize)
            with plotting.style():
                exp.draw(fig, data, **vals)
            plotting.figure_png(fig, dpi=exp.dpi)

        td = median_ms(draw, repeat)
        if tc + td >= worst[0] + worst[1]:
            worst = (tc, td, vals)
    return worst


def time_explorers(pattern="", n=12, repeat=3, clear=None, cold_compute=False):
    """Print one row per explorer whose ``"module.name"`` key contains ``pattern``.

    ``clear()`` (optional) forgets cached data: it runs before each factory call,
    so "setup" includes the cold warm-up, and with ``cold_compute`` also before
    every timed ``compute``.
    """
    explorers = {k: f for k, f in sorted(all_explorers().items()) if pattern in k}
    width = max(map(len, explorers), default=8)
    print(f"\nexplorers: worst of the sampled slider states (median ms); "
          f"targets compute < {COMPUTE_TARGET_MS:g}, compute + draw < {TOTAL_TARGET_MS:g}")
    print(f"  {'explorer':{width}s} {'frames':>6s} {'setup':>8s} {'compute':>8s} {'draw':>7s} "
          f"{'total':>7s} {'png':>6s}  verdict  worst state")
    for key, factory in explorers.items():
        if clear is not None:
            clear()
        t0 = time.perf_counter()
        exp = factory()
        setup = 1e3 * (time.perf_counter() - t0)
        tc, td, vals = time_explorer(exp, n, repeat, clear if cold_compute else None)
        png = median_ms(lambda: exp.render(palette=True, **vals), repeat=2)
        ok = tc < COMPUTE_TARGET_MS and tc + td < TOTAL_TARGET_MS
        print(f"  {key:{width}s} {exp.frame_count:6d} {setup:8.0f} {tc:8.2f} {td:7.1f} "
              f"{tc + td:7.1f} {png:6.0f}  {'ok  ' if ok else 'SLOW'}     {vals}")


def main(pattern=""):
    time_explorers(pattern)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
