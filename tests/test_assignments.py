"""Round trip of every graded assignment through nbgrader.

For each source assignment in ``assignments/source``: generate the student
release, then autograde two submissions -- the instructor's solution handed in
as a student, and the untouched student release. The solution must earn every
autograded point and the blank release none. Manually graded answers are
counted separately (they need a human) but must exist.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.assignments

COURSE = ROOT / "assignments"
ASSIGNMENTS = sorted(p.name for p in (COURSE / "source").iterdir() if p.is_dir()) if (
    COURSE / "source"
).exists() else []
CHAPTERS = sorted(p.stem for p in (ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))


def nbgrader(course: Path, *args: str) -> None:
    cmd = [sys.executable, "-m", "nbgrader", *args]
    # nbgrader runs `alembic` by name to create the gradebook: use this environment's
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    proc = subprocess.run(cmd, cwd=course, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory):
    """A copy of the course with every assignment released and autograded."""
    course = tmp_path_factory.mktemp("course")
    shutil.copy(COURSE / "nbgrader_config.py", course)
    shutil.copytree(COURSE / "source", course / "source")
    for student in ("instructor", "blank", "partial"):
        nbgrader(course, "db", "student", "add", student)
    for name in ASSIGNMENTS:
        nbgrader(course, "generate_assignment", name, "--force")
        for student, origin in (("instructor", "source"), ("blank", "release")):
            dest = course / "submitted" / student / name
            dest.mkdir(parents=True)
            for nb in (course / origin / name).glob("*.ipynb"):
                shutil.copy(nb, dest / nb.name)
        dest = course / "submitted" / "partial" / name
        dest.mkdir(parents=True)
        for nb in (course / "source" / name).glob("*.ipynb"):
            break_first_solution(nb, dest / nb.name)
        nbgrader(course, "autograde", name, "--force")
    return course


def break_first_solution(src: Path, dest: Path) -> float:
    """Copy a solved notebook whose first code answer raises; return the points it costs.

    The points lost are those of the test cells between the broken answer and
    the next answer cell: the questions must be independent of each other.
    """
    import nbformat

    nb = nbformat.read(src, as_version=4)
    lost = 0.0
    broken = False
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("solution"):
            if broken:
                break
            cell.source = "raise RuntimeError('a bug in the student answer')"
            broken = True
        elif broken and cell.cell_type == "code" and meta.get("grade"):
            lost += meta.get("points", 0)
    nbformat.write(nb, dest)
    return lost


def scores(course: Path, assignment: str, student: str):
    """(autograded score, autograded max, number of manual answers) of one submission."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        sub = gb.find_submission(assignment, student)
        auto = auto_max = 0.0
        manual = 0
        for nb in sub.notebooks:
            for grade in nb.grades:
                if grade.cell_type == "code":
                    auto += grade.auto_score or 0.0
                    auto_max += grade.max_score
                else:
                    manual += 1
        return auto, auto_max, manual


def test_every_chapter_has_an_assignment():
    numbers = {name.split("_")[0] for name in ASSIGNMENTS}
    for chapter in CHAPTERS:
        assert f"ch{int(chapter[:2])}" in numbers, f"no assignment for chapter {chapter}"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_release_hides_the_solutions(graded_course, name):
    for nb in (graded_course / "release" / name).glob("*.ipynb"):
        text = nb.read_text()
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
        assert "NotImplementedError" in text and "YOUR ANSWER HERE" in text


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_instructor_solution_gets_full_autograded_marks(graded_course, name):
    auto, auto_max, manual = scores(graded_course, name, "instructor")
    assert auto_max >= 5, f"{name}: too few autograded points ({auto_max})"
    assert manual >= 1, f"{name}: no manually graded derivation question"
    assert auto == pytest.approx(auto_max), f"{name}: solution earned {auto} of {auto_max}"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_blank_release_gets_zero_autograded_marks(graded_course, name):
    auto, auto_max, _ = scores(graded_course, name, "blank")
    assert auto_max > 0
    assert auto == 0, f"{name}: the untouched release earned {auto} of {auto_max}"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_an_exception_costs_only_its_own_question(graded_course, name, tmp_path):
    lost = break_first_solution(
        next((COURSE / "source" / name).glob("*.ipynb")), tmp_path / "probe.ipynb"
    )
    auto, auto_max, _ = scores(graded_course, name, "partial")
    assert lost > 0, f"{name}: the first code answer has no test cell after it"
    assert auto == pytest.approx(auto_max - lost), (
        f"{name}: a failing first answer cost {auto_max - auto} points, expected {lost}"
    )
