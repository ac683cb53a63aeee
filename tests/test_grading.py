"""Grading offline with nbgrader: tools/grade.py and nbgrader's own commands, end to end.

In a temporary course folder made by ``tools/grade.py init``, the documented commands run in
order (``nbgrader db student import``, ``nbgrader db assignment add``, ``nbgrader generate_assignment``,
``tools/grade.py submit``, ``nbgrader autograde``, ``tools/grade.py mark``, ``nbgrader
generate_feedback``, ``nbgrader export``) on three submissions of every notebook: the instructor
edition (full marks on every autograded cell, written questions awaiting a grader), the untouched
student edition (0, and the grader does not crash), and the student edition with exactly one
exercise solved (exactly that exercise's points). Runs on the synthetic notebooks of
tests/test_student_edition.py; with COURSE_TEST_REAL_NOTEBOOKS=1 (CI) also on the notebooks in
notebooks/ that carry nbgrader cells, with a student edition freshly built from them. The
autograde time of one student is printed, not asserted.
"""

from __future__ import annotations

import csv
import resource
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from test_student_edition import (
    REAL_RUNS_SKIP, nbgrader_meta, exercise_notebooks, student_edition, write_synthetic_notebooks,
)

grade = student_edition.grade  # tools/grade.py, as tools/student_edition.py imports it
STUDENTS = ("instructor", "blank", "one")
ANSWER = "**Your answer:** it is the same sum, written twice."


@dataclass
class Graded:
    """A course folder after the whole pipeline, and what each submission should score."""

    course: Path
    assignments: list[str]
    student_dir: Path  # the student edition that was submitted untouched
    solved: dict[str, tuple[list[str], float]] = field(default_factory=dict)  # "one": grade ids, points
    marked: tuple[str, str, float] | None = None  # "one": (assignment, question, points) marked by hand
    autograde_seconds: float = 0.0
    autograde_cpu_seconds: float = 0.0  # nbgrader and its kernels: what a quiet 2-core machine would take


def nbgrader(course: Path, *args: str) -> str:
    result = student_edition.nbgrader_command(course, *args)
    assert result.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{result.stderr[-4000:]}"
    return result.stderr


def exercise_groups(nb) -> list[tuple[list[int], list[int]]]:
    """(solution cell indices, check cell indices) of each exercise, in notebook order."""
    groups = []
    for i, cell in enumerate(nb.cells):
        meta = nbgrader_meta(cell)
        if meta.get("solution"):
            if not groups or groups[-1][1]:
                groups.append(([], []))
            groups[-1][0].append(i)
        elif meta.get("grade") and cell.cell_type == "code" and groups:
            groups[-1][1].append(i)
    return groups


def solve_one(instructor, student) -> tuple[nbformat.NotebookNode, list[str], float]:
    """The student edition with its last exercise solved (and one written answer written)."""
    solutions, checks = exercise_groups(instructor)[-1]
    nb = nbformat.from_dict(student)
    for i in solutions:
        assert nbgrader_meta(nb.cells[i])["grade_id"] == nbgrader_meta(instructor.cells[i])["grade_id"]
        nb.cells[i].source = instructor.cells[i].source
    for i, cell in enumerate(nb.cells[:-1]):
        if nbgrader_meta(cell).get("task"):
            nb.cells[i + 1].source = ANSWER
            break
    return nb, [nbgrader_meta(instructor.cells[i])["grade_id"] for i in checks], sum(
        nbgrader_meta(instructor.cells[i])["points"] for i in checks)


def _pipeline(folder: Path, notebooks: list[Path], student_dir: Path) -> Graded:
    course = folder / "course"
    assert grade.main(["init", str(course), *map(str, notebooks)]) == 0
    graded = Graded(course, [p.stem for p in notebooks], student_dir)
    (course / "students.csv").write_text("id,last_name,first_name,email\n" + "".join(
        f"{s},{s.title()},Test,{s}@example.org\n" for s in STUDENTS))
    nbgrader(course, "db", "student", "import", "students.csv")
    nbgrader(course, "db", "assignment", "add", graded.assignments[0])
    nbgrader(course, "generate_assignment", "*", "--force")
    one_dir = folder / "one"
    one_dir.mkdir()
    for path in notebooks:
        instructor = nbformat.read(path, as_version=4)
        solved, grade_ids, points = solve_one(instructor, nbformat.read(student_dir / path.name, as_version=4))
        nbformat.write(solved, one_dir / path.name)
        graded.solved[path.stem] = (grade_ids, points)
    assert grade.main(["submit", str(course), "instructor", *map(str, notebooks)]) == 0
    assert grade.main(["submit", str(course), "blank", *(str(student_dir / p.name) for p in notebooks)]) == 0
    assert grade.main(["submit", str(course), "one", *(str(one_dir / p.name) for p in notebooks)]) == 0
    start, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    nbgrader(course, "autograde", "*", "--student", "instructor")
    graded.autograde_seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    graded.autograde_cpu_seconds = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
    nbgrader(course, "autograde", "*")  # the other students (the graded one is skipped)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", grade.COURSE_ID) as gb:
        task = gb.find_notebook(graded.assignments[0], graded.assignments[0]).task_cells[0]
        graded.marked = (graded.assignments[0], task.name, task.max_score)
    assert grade.main(["mark", str(course), graded.marked[0], "one", graded.marked[1], str(graded.marked[2])]) == 0
    nbgrader(course, "generate_feedback", "*")
    nbgrader(course, "export")
    return graded


@pytest.fixture(scope="module", params=[pytest.param("synthetic", marks=pytest.mark.slow),
                                        pytest.param("real", marks=[pytest.mark.slow, REAL_RUNS_SKIP])])
def graded(request, tmp_path_factory) -> Graded:
    folder = tmp_path_factory.mktemp(f"grading-{request.param}")
    if request.param == "synthetic":
        notebooks = write_synthetic_notebooks(folder / "notebooks")
        student_dir = folder / "student"
        student_edition.write(student_edition.build(notebooks), student_dir)
    else:
        notebooks = exercise_notebooks()
        if not notebooks:
            pytest.skip("no notebook in notebooks/ carries nbgrader cells yet")
        student_dir = folder / "student"
        student_edition.write(student_edition.build(notebooks), student_dir)
    graded = _pipeline(folder, notebooks, student_dir)
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    message = (f"[grading, {request.param}] nbgrader autograde of {len(graded.assignments)} notebooks for one "
               f"student: {graded.autograde_seconds:.1f} s wall, {graded.autograde_cpu_seconds:.1f} s CPU "
               f"(the limit is 3 minutes on 2 cores; not asserted)")
    if reporter is not None:
        reporter.write_line("\n" + message)
    return graded


def _grades(graded: Graded, student: str) -> dict[str, dict[str, tuple]]:
    """{assignment: {grade_id: (kind, auto_score, manual_score, max_score, needs_manual_grade)}}."""
    result = {}
    with Gradebook(f"sqlite:///{graded.course / 'gradebook.db'}", grade.COURSE_ID) as gb:
        for a in graded.assignments:
            notebook = gb.find_notebook(a, a)
            cells = [("check", c) for c in notebook.grade_cells] + [("written", c) for c in notebook.task_cells]
            result[a] = {}
            for kind, cell in cells:
                g = gb.find_grade(cell.name, a, a, student)
                result[a][cell.name] = (kind, g.auto_score, g.manual_score, cell.max_score, g.needs_manual_grade)
    return result


def test_instructor_edition_gets_full_marks_and_written_questions_await_a_grader(graded):
    for assignment, cells in _grades(graded, "instructor").items():
        assert any(kind == "check" for kind, *_ in cells.values()), assignment
        for grade_id, (kind, auto, manual, maximum, needs_manual) in cells.items():
            if kind == "check":
                assert (auto, manual, needs_manual) == (maximum, None, False), (assignment, grade_id)
            else:  # a written question: no automatic score, waiting for a person
                assert (auto, manual, needs_manual) == (None, None, True), (assignment, grade_id)
        with Gradebook(f"sqlite:///{graded.course / 'gradebook.db'}", grade.COURSE_ID) as gb:
            submission = gb.find_submission_notebook(assignment, assignment, "instructor")
            assert submission.needs_manual_grade
            assert submission.score == submission.max_code_score


def test_untouched_student_edition_scores_zero_without_crashing_the_grader(graded):
    for assignment, cells in _grades(graded, "blank").items():
        assert (graded.course / "autograded" / "blank" / assignment / f"{assignment}.ipynb").is_file()
        assert (graded.course / "feedback" / "blank" / assignment / f"{assignment}.html").is_file()
        for grade_id, (kind, auto, manual, maximum, needs_manual) in cells.items():
            assert auto == (0 if kind == "check" else None) and manual is None, (assignment, grade_id)


def test_one_exercise_solved_scores_exactly_its_points(graded):
    for assignment, cells in _grades(graded, "one").items():
        solved, points = graded.solved[assignment]
        scored = {grade_id: auto for grade_id, (kind, auto, *_) in cells.items() if kind == "check" and auto}
        assert set(scored) == set(solved) and sum(scored.values()) == points, assignment


def test_export_writes_grades_csv_with_the_written_marks(graded):
    with open(graded.course / "grades.csv", newline="") as f:
        rows = {(r["assignment"], r["student_id"]): r for r in csv.DictReader(f)}
    assert set(rows) == {(a, s) for a in graded.assignments for s in STUDENTS}
    code = {a: sum(v[3] for v in cells.values() if v[0] == "check") for a, cells in _grades(graded, "blank").items()}
    total = {a: sum(v[3] for v in cells.values()) for a, cells in _grades(graded, "blank").items()}
    marked_assignment, _, marked_points = graded.marked
    for (a, student), row in rows.items():
        expected = {"instructor": code[a], "blank": 0.0,
                    "one": graded.solved[a][1] + (marked_points if a == marked_assignment else 0)}[student]
        assert float(row["raw_score"]) == pytest.approx(expected), (a, student)
        assert float(row["max_score"]) == pytest.approx(total[a]), a


def test_answers_lists_each_written_answer_with_its_mark_scheme(graded, capsys):
    assignment, question, points = graded.marked
    rows = grade.written_answers(graded.course, assignment)
    assert [r["student"] for r in rows if r["question"] == question] == sorted(STUDENTS)
    ones = {r["student"]: r for r in rows if r["question"] == question}
    assert ones["one"]["answer"] == ANSWER and ones["one"]["score"] == points
    assert ones["blank"]["answer"].startswith("**Your answer:**") and ones["blank"]["score"] is None
    assert ones["one"]["mark_scheme"] and ones["one"]["mark_scheme"] not in ones["one"]["question_text"]
    for row in grade.written_answers(graded.course, graded.assignments[-1]):  # narrative after it is not the answer
        assert "The course's narrative" not in row["answer"], row
    assert grade.main(["answers", str(graded.course), assignment]) == 0
    out = capsys.readouterr().out
    assert f"-- one [{points:g}/{points:g}]:\n{ANSWER}" in out and "-- blank [not marked]:" in out


def test_release_folder_is_the_student_edition(graded):
    """`nbgrader generate_assignment` in the course folder gives the student edition (but its note)."""
    for a in graded.assignments:
        release = nbformat.read(graded.course / "release" / a / f"{a}.ipynb", as_version=4)
        student = nbformat.read(graded.student_dir / f"{a}.ipynb", as_version=4)
        del student.metadata[student_edition.NOTE_KEY]
        assert release == student, a


@pytest.mark.parametrize("args, message", [
    (["mark", "{course}", "{a}", "one", "{q}", "99"], "points must be between 0 and"),
    (["mark", "{course}", "{a}", "one", "no_such_question", "1"], "no grade 'no_such_question' for 'one'"),
    (["mark", "{course}", "{a}", "nobody", "{q}", "1"], "no grade"),
    (["answers", "{course}", "no_such_assignment"], "no autograded submission of 'no_such_assignment'"),
])
def test_mark_and_answers_refuse_what_is_not_there(graded, args, message, capsys):
    assignment, question, _ = graded.marked
    args = [a.format(course=graded.course, a=assignment, q=question) for a in args]
    assert grade.main(args) == 1
    assert message in capsys.readouterr().err


# --------------------------------------------------------------------------- without nbgrader runs


def test_init_writes_the_course_folder_and_never_overwrites_silently(tmp_path, capsys):
    notebooks = write_synthetic_notebooks(tmp_path / "notebooks")
    course = tmp_path / "course"
    assert grade.main(["init", str(course), *map(str, notebooks)]) == 0
    assert sorted(p.relative_to(course).as_posix() for p in course.rglob("*") if p.is_file()) == [
        "nbgrader_config.py", "source/01_alpha/01_alpha.ipynb", "source/02_beta/02_beta.ipynb"]
    config = (course / "nbgrader_config.py").read_text()
    assert 'c.CourseDirectory.course_id = "image-classification"' in config
    assert "c.Execute.timeout = 300" in config and "c.GenerateAssignment.Exporter.ClearOutput.enabled = False" in config
    assert grade.main(["init", str(course), *map(str, notebooks)]) == 0  # same files: nothing to do
    assert "0 file(s) written" in capsys.readouterr().out
    notebooks[0].write_text(notebooks[0].read_text().replace("Alpha", "Alpha, revised"))
    assert grade.main(["init", str(course), *map(str, notebooks)]) == 1
    assert "source/01_alpha/01_alpha.ipynb" in capsys.readouterr().err
    assert grade.main(["init", str(course), *map(str, notebooks), "--force"]) == 0
    assert "revised" in (course / "source" / "01_alpha" / "01_alpha.ipynb").read_text()


def test_submit_files_notebooks_by_assignment_and_refuses_unknown_ones(tmp_path, capsys):
    notebooks = write_synthetic_notebooks(tmp_path / "notebooks")
    course = tmp_path / "course"
    assert grade.main(["submit", str(course), "alice", str(notebooks[0])]) == 1
    assert "not a course folder" in capsys.readouterr().err
    grade.init_course(course, notebooks)
    assert grade.main(["submit", str(course), "alice", *map(str, notebooks)]) == 0
    assert (course / "submitted" / "alice" / "02_beta" / "02_beta.ipynb").read_bytes() == notebooks[1].read_bytes()
    renamed = tmp_path / "02_beta (1).ipynb"
    renamed.write_bytes(notebooks[1].read_bytes())
    assert grade.main(["submit", str(course), "alice", str(renamed)]) == 1
    assert "no assignment '02_beta (1)'" in capsys.readouterr().err
    assert grade.main(["submit", str(course), "al ice", str(notebooks[0])]) == 1
    assert "student id must be" in capsys.readouterr().err


@pytest.mark.parametrize("course_id", ["", "two words", "a/b", None])
def test_init_refuses_a_bad_course_id(course_id, tmp_path):
    with pytest.raises(ValueError, match="course_id must be"):
        grade.nbgrader_config_text(course_id)
