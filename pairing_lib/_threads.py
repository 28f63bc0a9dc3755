r"""One BLAS thread per process for the book's kernels, set once at ``import pairing_lib``.

Why one thread is the fast setting here
---------------------------------------
The heavy kernels of the book are many *small* linear-algebra calls: every
Newton step of Richardson's equations factorises an :math:`(L+1)\times(L+1)`
matrix (:mod:`pairing_lib.richardson`, chapters 2 and 4, with :math:`L` up
to a few hundred levels), the seniority and symmetry models diagonalise
matrices of a few hundred rows, and the sparse eigensolvers of
:mod:`pairing_lib.films` (chapter 5) stream Lanczos vectors through memory.
At these sizes a multithreaded BLAS spends more time waking and
synchronising its threads than computing, and it gets much worse when the
threads outnumber the cores that are really free: OpenBLAS starts one thread
per core it *sees*, a Binder container sees every core of its host while its
CPU quota is about one core, and ``make test`` already runs one pytest
worker per core. On the project's 2-core machine, shared with other jobs,
the ground state of 400 levels at half filling took 0.20 s with one thread
and 0.60 s with two, and twenty 300 x 300 ``eigh`` calls 0.27 s against
7.3 s. One BLAS thread per process is as fast or faster here, and never
pathologically slow; ``benchmarks/bench_richardson.py`` times both settings.

How
---
:func:`limit_blas_threads` sets the limit with ``threadpoolctl`` -- the
library made for this -- on every BLAS the process has loaded (the OpenBLAS
copies bundled with the numpy and scipy wheels, or MKL, BLIS, a system
OpenBLAS); ``pairing_lib/__init__.py`` calls it once, so a notebook (on
Binder or anywhere) needs no setup cell. Unlike the ``OPENBLAS_NUM_THREADS``
environment variable it works after numpy has been imported. It agrees with
the Makefile, which exports ``OPENBLAS_NUM_THREADS=1`` for the build and the
tests: the limit is the same, and setting it again changes nothing.

A reader who wants all cores for their own large matrices can lift the limit
after importing the book's package::

    import os
    from threadpoolctl import threadpool_limits
    threadpool_limits(os.cpu_count(), user_api="blas")
"""

from __future__ import annotations

__all__ = ["BLAS_THREADS", "limit_blas_threads", "blas_thread_counts"]

#: Threads per BLAS library used by pairing_lib (see the module docstring).
BLAS_THREADS = 1


def limit_blas_threads(n_threads: int = BLAS_THREADS):
    """Limit every BLAS library loaded in this process to ``n_threads`` threads.

    numpy's and scipy's BLAS are loaded first (scipy's own OpenBLAS only comes
    in with :mod:`scipy.linalg`), so that both are limited.

    Parameters
    ----------
    n_threads : int, optional
        Threads per BLAS library, >= 1. Default :data:`BLAS_THREADS` (1).

    Returns
    -------
    threadpoolctl.threadpool_limits
        The limiter; its ``restore_original_limits()`` undoes the change.

    Raises
    ------
    ValueError
        If ``n_threads`` is not an integer >= 1.
    """
    if isinstance(n_threads, bool) or not isinstance(n_threads, int) or n_threads < 1:
        raise ValueError(f"n_threads must be an integer >= 1, got {n_threads!r}")
    import numpy  # noqa: F401  (loads numpy's BLAS)
    import scipy.linalg  # noqa: F401  (loads scipy's BLAS)
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=n_threads, user_api="blas")


def blas_thread_counts() -> dict[str, int]:
    """Threads of each loaded BLAS library, ``{file path: num_threads}``.

    Returns
    -------
    dict
        One entry per BLAS library that threadpoolctl finds in the process.
    """
    from threadpoolctl import threadpool_info

    return {
        info["filepath"]: info["num_threads"]
        for info in threadpool_info()
        if info.get("user_api") == "blas"
    }
