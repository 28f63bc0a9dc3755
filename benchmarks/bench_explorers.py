"""Live-update latency of every explorer of the book.

For each explorer (pairing_lib.widgets.all_explorers) and a handful of slider
states, time ``compute`` alone and ``compute + draw + PNG`` (what a live
kernel does on every slider move) and print the medians against the targets
of the foundation issue: compute < 50 ms, compute + draw < 200 ms.

    .venv/bin/python benchmarks/bench_explorers.py [name-filter]
"""

from __future__ import annotations

import itertools
import statistics
import sys
import time

from pairing_lib.widgets import all_explorers

COMPUTE_TARGET = 0.050
DRAW_TARGET = 0.200


def states(exp, n=6):
    """A few slider states spread over the grid (not the cached default only)."""
    combos = list(itertools.product(*(p.stops for p in exp.params)))
    step = max(1, len(combos) // n)
    return [dict(zip((p.name for p in exp.params), c)) for c in combos[::step][:n]]


def main(pattern=""):
    rows = []
    for key, factory in sorted(all_explorers().items()):
        if pattern not in key:
            continue
        exp = factory()
        exp.render()  # warm caches that do not depend on the slider
        t_compute, t_total = [], []
        for vals in states(exp):
            full = {**exp.defaults(), **vals}
            t0 = time.perf_counter()
            exp.compute(**full)
            t1 = time.perf_counter()
            exp.render(**full)
            t2 = time.perf_counter()
            t_compute.append(t1 - t0)
            t_total.append(t2 - t1)
        c, d = statistics.median(t_compute), statistics.median(t_total)
        rows.append((key, exp.frame_count, c, d))
    print(f"{'explorer':34s} {'frames':>6s} {'compute ms':>11s} {'+draw ms':>9s}  verdict")
    for key, frames, c, d in rows:
        ok = c < COMPUTE_TARGET and d < DRAW_TARGET
        print(f"{key:34s} {frames:6d} {c * 1e3:11.1f} {d * 1e3:9.1f}  {'ok' if ok else 'SLOW'}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
