"""Structure of the book: configuration, table of contents and chapter template."""

from __future__ import annotations

import re

import nbformat
import pytest
import yaml

from conftest import ROOT

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text())
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))


def toc_files():
    files = [TOC["root"]]
    for part in TOC.get("parts", []):
        files += [c["file"] for c in part["chapters"]]
    return files


def test_execution_cache_cannot_go_stale():
    # jupyter-cache keys ignore pairing_lib: execute every notebook at every build
    assert CONFIG["execute"]["execute_notebooks"] == "force"
    assert CONFIG["execute"]["allow_errors"] is False


def test_website_assets_are_served_locally():
    sphinx = CONFIG["sphinx"]["config"]
    assert "://" not in sphinx["mathjax_path"]
    assert sphinx["nb_ipywidgets_js"], "the widget manager must be configured"
    for path in sphinx["nb_ipywidgets_js"]:
        assert "://" not in path, f"{path} would come from a CDN"
    # Jupyter Book adds every .js under _static to every page: keep no _static folder
    assert not (ROOT / "_static").exists()
    assert "_static" not in sphinx["html_static_path"]


def test_binder_and_repository_are_configured_in_one_place():
    assert CONFIG["repository"]["url"].startswith("https://")
    assert CONFIG["repository"]["branch"]
    assert CONFIG["launch_buttons"]["binderhub_url"].startswith("https://")
    req = (ROOT / "requirements.txt").read_text()
    assert re.search(r"^jupyter-book>=1[^\n]*<2", req, re.M)
    assert re.search(r"^-e \.$", req, re.M), "Binder must install pairing_lib itself"


def test_toc_lists_every_chapter_and_every_entry_exists():
    files = toc_files()
    for chapter in CHAPTERS:
        assert f"chapters/{chapter.stem}" in files
    for f in files:
        assert any((ROOT / f"{f}{ext}").exists() for ext in (".md", ".ipynb")), f


def test_readme_names_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    assert "make book" in readme and "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text()
    commands = [line.strip() for line in ci.splitlines()
                if line.strip() and not line.startswith("#") and not line.startswith(("set ", "cd "))]
    assert commands == ["make test"]


@pytest.mark.parametrize("path", CHAPTERS, ids=[c.stem for c in CHAPTERS])
def test_chapter_follows_the_template(path):
    nb = nbformat.read(path, as_version=4)
    md = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    code = [c for c in nb.cells if c.cell_type == "code"]
    # committed without outputs: the build executes it
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    # exercises with solutions hidden by default
    n_ex = len(re.findall(r"^[`:]{3,}\{exercise\}", md, re.M))
    solutions = re.findall(r"^[`:]{3,}\{solution\}[^\n]*\n((?::[^\n]*\n)*)", md, re.M)
    assert n_ex >= 4, f"{path.name}: {n_ex} exercises"
    assert len(solutions) >= n_ex
    assert all(":class: dropdown" in opts for opts in solutions), "solutions must be folded"
    # headline numbers checked in a hidden cell
    checks = [c for c in code if "remove-cell" in c.metadata.get("tags", [])
              and "assert" in c.source]
    assert checks, f"{path.name}: no hidden assert cell"
    # references and a pointer to the graded assignment
    # citations link the chapter's own reference list (_ext/references.py writes it)
    assert re.search(r"^## References", md, re.M) and re.search(r"\{ref\}`[^`]+<ch\d-ref-", md)
    assert "instructors" in md
    # no physics in the notebook: no function definitions in code cells
    for c in code:
        assert not re.search(r"^\s*def \w+\(", c.source, re.M), (
            f"{path.name}: a function is defined in the notebook; move it to pairing_lib"
        )
