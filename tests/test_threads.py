"""BLAS threads: one place of pairing_lib limits them (threadpoolctl), no notebook does.

``import pairing_lib`` must leave every loaded BLAS library at one thread
whatever the environment says (a Binder kernel sets nothing), agree with the
Makefile's ``OPENBLAS_NUM_THREADS=1``, and no ctypes or environment-variable
workaround may remain in the package or the notebooks.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib

import nbformat
import pytest

from conftest import ROOT

THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                    "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")
NOTEBOOKS = sorted([ROOT / "intro.ipynb", *(ROOT / "chapters").glob("*.ipynb"),
                    *(ROOT / "assignments" / "source").rglob("*.ipynb")])


def blas_threads_after_import(extra_env):
    """{library: threads} in a fresh interpreter that only imports pairing_lib.films."""
    env = {k: v for k, v in os.environ.items() if k not in THREAD_VARIABLES}
    env.update(extra_env)
    code = ("import json, pairing_lib.films\n"
            "from pairing_lib import _threads\n"
            "print(json.dumps(_threads.blas_thread_counts()))")
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True,
                         capture_output=True, text=True, timeout=120)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("extra_env", [{}, {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}],
                         ids=["no-thread-variables", "makefile-variables"])
def test_import_leaves_every_blas_at_one_thread(extra_env):
    counts = blas_threads_after_import(extra_env)
    assert counts, "threadpoolctl found no BLAS library after importing pairing_lib"
    assert set(counts.values()) == {1}, counts


def test_limit_refuses_a_bad_thread_count():
    from pairing_lib import _threads

    for bad in (0, -2, 1.5, True, "1"):
        with pytest.raises(ValueError, match="n_threads"):
            _threads.limit_blas_threads(bad)


def test_threads_are_limited_in_one_place_only():
    sources = {p.relative_to(ROOT).as_posix(): p.read_text()
               for p in (ROOT / "pairing_lib").rglob("*.py")}
    for name, text in sources.items():
        assert not re.search(r"^\s*(import ctypes|from ctypes )", text, re.M), name
        for var in THREAD_VARIABLES:
            assert var not in text or name == "pairing_lib/_threads.py", (name, var)
    users = [n for n, t in sources.items() if "threadpool_limits" in t]
    assert users == ["pairing_lib/_threads.py"], users
    init = sources["pairing_lib/__init__.py"]
    assert "_threads.limit_blas_threads()" in init


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.relative_to(ROOT).as_posix() for p in NOTEBOOKS])
def test_no_notebook_sets_threads_itself(path):
    nb = nbformat.read(path, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for word in (*THREAD_VARIABLES, "threadpoolctl", "ctypes"):
        assert word not in code, f"{path.name} sets threads itself ({word}): pairing_lib does it"


def test_threadpoolctl_is_a_declared_dependency():
    req = (ROOT / "requirements.txt").read_text()
    assert re.search(r"^threadpoolctl\b", req, re.M)
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert any(d.startswith("threadpoolctl") for d in deps), deps
