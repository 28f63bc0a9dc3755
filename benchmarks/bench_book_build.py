"""Cold build of the whole book, timed (what `make book` does after installing).

    .venv/bin/python benchmarks/bench_book_build.py

Removes the previous HTML and executed notebooks, builds with the explorers in
static mode (every frame precomputed) and prints the wall-clock time and the
size of the site and the weight of every chapter page (HTML + images).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main():
    for sub in ("html", "jupyter_execute", ".doctrees"):
        shutil.rmtree(ROOT / "_build" / sub, ignore_errors=True)
    env = {**os.environ, "PAIRING_LIB_WIDGETS": "static"}
    jb = Path(sys.executable).with_name("jupyter-book")
    t0 = time.perf_counter()
    proc = subprocess.run([str(jb), "build", str(ROOT), "-W", "-n", "--keep-going"],
                          env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    size = sum(p.stat().st_size for p in (ROOT / "_build" / "html").rglob("*") if p.is_file())
    print(f"cold book build: {elapsed:.1f} s (exit code {proc.returncode}), "
          f"site {size / 1e6:.1f} MB")
    site = ROOT / "_build" / "html"
    for page in sorted(site.glob("**/*.html")):
        if "chapters" in page.parts or page.name == "intro.html":
            text = page.read_text(encoding="utf-8")
            images = {(page.parent / src).resolve()
                      for src in re.findall(r'<img[^>]*\ssrc="([^":?#]+)', text)}
            weight = page.stat().st_size + sum(p.stat().st_size for p in images if p.is_file())
            print(f"  {page.relative_to(site)}: {page.stat().st_size / 1e6:.2f} MB HTML, "
                  f"{weight / 1e6:.2f} MB with its images (budget 1.5 MB)")


if __name__ == "__main__":
    main()
