"""Live-update latency of every explorer of the book, measured as a reader meets it.

For each explorer (pairing_lib.widgets.all_explorers) the live widget is built
and its sliders are moved one at a time, along a seeded random walk over the
live slider's stops (at least four times the static ones: most moves land
between the static stops, where nothing was precomputed); each move is timed from ``slider.value = ...`` until the widget's
image holds the new PNG (compute + in-place draw or blit + PNG encode + widget
update: what a kernel runs for every move; with no event loop running the
redraw happens synchronously inside the assignment). Printed per explorer:
the factory call ("setup", one-off precomputation), the median and the worst
move against the targets of issue 11 (median < 100 ms, worst < 150 ms), the
median of ``compute`` alone over all moves and over the moves to values between
the static stops ("between": the target is median < 100 ms too), the number of
live / static states, and how many frames were blitted.

    .venv/bin/python benchmarks/bench_explorers.py [name-filter] [--static]

``--static`` also encodes every explorer's precomputed frames (what the book
build does) and prints their size on the website.

The chapter scripts (bench_clogston.py, ...) import :func:`median_ms` and
:func:`time_explorers` from here. Not a test: nothing is asserted.
"""

from __future__ import annotations

import math
import statistics
import sys
import time

import numpy as np

from pairing_lib.widgets import all_explorers

MEDIAN_TARGET_MS = 100.0
WORST_TARGET_MS = 150.0


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


def _find(widget, cls):
    out = [widget] if isinstance(widget, cls) else []
    for child in getattr(widget, "children", ()):
        out.extend(_find(child, cls))
    return out


def slider_walk(exp, moves=24, seed=0, mode="live"):
    """A seeded random walk: ``moves`` pairs (slider index, new stop index) over the
    stops of the sliders in ``mode``."""
    rng = np.random.default_rng(seed)
    index = [p.index_of(p.stops[p.default_index], mode) for p in exp.params]
    walk = []
    movable = [i for i, p in enumerate(exp.params) if len(p.mode_stops(mode)) > 1]
    for _ in range(moves):
        k = int(rng.choice(movable))
        n = len(exp.params[k].mode_stops(mode))
        new = int((index[k] + rng.integers(1, n)) % n)
        index[k] = new
        walk.append((k, new))
    return walk


def time_live_moves(exp, moves=24, clear=None):
    """Milliseconds of each slider move through the live widget, and the compute times."""
    import ipywidgets as w

    box = exp.live_widget()
    sliders = _find(box, w.SelectionSlider)
    image = _find(box, w.Image)[0]
    compute = exp.compute
    compute_ms, between_ms = [], []

    def timed_compute(**vals):
        t0 = time.perf_counter()
        out = compute(**vals)
        ms = 1e3 * (time.perf_counter() - t0)
        compute_ms.append(ms)
        if any(vals[p.name] not in p.stops for p in exp.params):
            between_ms.append(ms)
        return out

    exp.compute = timed_compute
    times = []
    try:
        for k, new in slider_walk(exp, moves):
            if clear is not None:
                clear()
            before = image.value
            t0 = time.perf_counter()
            sliders[k].index = new
            times.append(1e3 * (time.perf_counter() - t0))
            if image.value is before:
                raise RuntimeError(f"slider {k} -> {new} did not redraw")
    finally:
        exp.compute = compute
    return times, compute_ms, between_ms


def time_explorers(pattern="", moves=24, clear=None, cold_compute=False, static=False):
    """Print one row per explorer whose ``"module.name"`` key contains ``pattern``.

    ``clear()`` (optional) forgets cached data: it runs before each factory call,
    so "setup" includes the cold warm-up, and with ``cold_compute`` also before
    every slider move.
    """
    explorers = {k: f for k, f in sorted(all_explorers().items()) if pattern in k}
    width = max(map(len, explorers), default=8)
    print(f"\nexplorers: slider moves through the live widget (ms); targets median < "
          f"{MEDIAN_TARGET_MS:g}, worst < {WORST_TARGET_MS:g}")
    head = (f"  {'explorer':{width}s} {'frames':>6s} {'setup':>7s} {'median':>7s} {'worst':>7s} "
            f"{'compute':>8s} {'between':>8s} {'live/static':>11s} {'blit':>9s}")
    if static:
        head += f" {'static kB':>9s} {'build s':>7s}"
    print(head + "  verdict")
    total_kb = 0.0
    for key, factory in explorers.items():
        if clear is not None:
            clear()
        t0 = time.perf_counter()
        exp = factory()
        setup = 1e3 * (time.perf_counter() - t0)
        times, compute_ms, between_ms = time_live_moves(exp, moves,
                                                        clear if cold_compute else None)
        med, worst = statistics.median(times), max(times)
        between = statistics.median(between_ms) if between_ms else float("nan")
        stats = exp.renderer.stats
        ok = med < MEDIAN_TARGET_MS and worst < WORST_TARGET_MS and not between >= MEDIAN_TARGET_MS
        n_live = math.prod(len(p.live_stops) for p in exp.params)
        row = (f"  {key:{width}s} {exp.frame_count:6d} {setup:7.0f} {med:7.1f} {worst:7.1f} "
               f"{statistics.median(compute_ms):8.2f} {between:8.2f} "
               f"{n_live:>5d}/{exp.frame_count:<5d} {stats.blit:4d}/{stats.blit + stats.full:<4d}")
        if static:
            t0 = time.perf_counter()
            fs = exp.static_frames()
            build = time.perf_counter() - t0
            total_kb += fs.nbytes / 1e3
            row += f" {fs.nbytes / 1e3:9.0f} {build:7.1f}"
        print(row + f"  {'ok' if ok else 'SLOW'}")
    if static:
        print(f"  all frames of the selection: {total_kb:.0f} kB (before base64 in the page)")


def main(argv):
    static = "--static" in argv
    args = [a for a in argv if a != "--static"]
    time_explorers(args[0] if args else "", static=static)


if __name__ == "__main__":
    main(sys.argv[1:])
