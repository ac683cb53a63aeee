"""Grade the course with nbgrader, offline: what nbgrader has no command for.

nbgrader does the grading (generate_assignment, autograde, generate_feedback, export, the sqlite
gradebook); this tool only makes the course folder, files submissions where nbgrader looks for
them, and records the points of written answers (nbgrader does that only in its formgrader web
page). One nbgrader assignment per notebook, named by the notebook's stem: ``02_knn`` holds
``02_knn.ipynb``. Needs the ``instructor`` extra. Usage (from the repository root)::

    python tools/grade.py init COURSE_DIR                  # nbgrader_config.py, source/NN_topic/NN_topic.ipynb
    python tools/grade.py submit COURSE_DIR alice 02_knn.ipynb …   # -> submitted/alice/02_knn/02_knn.ipynb
    python tools/grade.py answers COURSE_DIR 02_knn        # every written answer, question by question
    python tools/grade.py mark COURSE_DIR 02_knn alice 02_q_bright_rows 1   # record its points

In between, in COURSE_DIR, nbgrader's own commands: ``nbgrader generate_assignment "*" --force``,
``nbgrader autograde "*"``, ``nbgrader generate_feedback "*"``, ``nbgrader export`` (README,
"Grading with nbgrader"). tools/student_edition.py builds the student edition with the same
nbgrader_config.py, so the committed student/ notebooks and release/ are the same notebooks.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
COURSE_ID = "image-classification"
CELL_TIMEOUT = 300  # seconds one cell may run when autograding (a busy machine needs the margin)
MARK_SCHEME = re.compile(r"^=== BEGIN MARK SCHEME ===$(.*?)^=== END MARK SCHEME ===$\n?", re.S | re.M)
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]*")
_SCRIPT = Path(__file__).resolve()  # printed in hints, so they work from the course folder

CONFIG_TEMPLATE = '''\
"""nbgrader settings of this course folder (written by `python tools/grade.py init`)."""
from nbconvert.preprocessors import Preprocessor

c = get_config()  # noqa: F821 (nbgrader defines get_config when it reads this file)
c.CourseDirectory.course_id = "{course_id}"

# autograde: seconds one cell may run; a runaway loop in a submission is interrupted there. On a
# busy machine a slow cell can time out too and leave its notebook ungraded ("Timeout waiting for
# execute reply"): raise this and run nbgrader autograde again with --force.
c.Execute.timeout = {timeout}

# generate_assignment: each solution region becomes this one line (a student edition cell is then
# never longer than the instructor's).
c.ClearSolutions.code_stub = {{"python": "raise NotImplementedError()  # YOUR CODE HERE"}}


class ClearExerciseOutputs(Preprocessor):
    """Clear the stored outputs of exercise (solution) and check (grade) code cells only."""

    def preprocess_cell(self, cell, resources, index):
        meta = cell.metadata.get("nbgrader", {{}})
        if cell.cell_type == "code" and (meta.get("solution") or meta.get("grade")):
            cell.outputs, cell.execution_count = [], None
        return cell, resources


# generate_assignment: nbgrader's ClearOutput would clear every output. Keep the figures and the
# stored widget state, so the unrun student edition reads well, and clear only the outputs of
# exercise and check cells. autograde still clears every output before it runs a submission.
c.GenerateAssignment.Exporter.ClearOutput.enabled = False
c.GenerateAssignment.Exporter.preprocessors = [ClearExerciseOutputs]
'''


class CourseError(Exception):
    """A course-folder problem the instructor can fix (printed without a traceback)."""


def course_notebooks(folder=NOTEBOOK_DIR) -> list[Path]:
    """The notebooks ``NN_topic.ipynb`` in ``folder``, sorted by name (course order)."""
    return sorted(Path(folder).glob("[0-9][0-9]_*.ipynb"))


def nbgrader_config_text(course_id: str = COURSE_ID) -> str:
    """The nbgrader_config.py of a course folder (course id, cell time limit, output clearing)."""
    if not isinstance(course_id, str) or not _ID.fullmatch(course_id):
        raise ValueError(f"course_id must be letters, digits and _.@- (got {course_id!r})")
    return CONFIG_TEMPLATE.format(course_id=course_id, timeout=CELL_TIMEOUT)


def init_course(course_dir, notebooks, *, course_id: str = COURSE_ID, force: bool = False) -> list[Path]:
    """Write ``nbgrader_config.py`` and ``source/<stem>/<stem>.ipynb`` (a copy of each notebook).

    A file that exists with other content is replaced only with ``force`` (CourseError otherwise:
    do not change an assignment that already has submissions). Returns the files written.
    """
    course_dir, notebooks = Path(course_dir), [Path(p) for p in notebooks]
    if not notebooks:
        raise CourseError("no notebooks to put in the course folder")
    for path in notebooks:
        if path.suffix != ".ipynb" or not path.is_file():
            raise CourseError(f"not a notebook file: {path}")
    stems = [p.stem for p in notebooks]
    if len(set(stems)) != len(stems):
        raise CourseError(f"two notebooks with the same name: {sorted(stems)}")
    wanted = {course_dir / "nbgrader_config.py": nbgrader_config_text(course_id).encode()}
    wanted.update({course_dir / "source" / p.stem / p.name: p.read_bytes() for p in notebooks})
    different = [p for p, data in wanted.items() if p.exists() and p.read_bytes() != data]
    if different and not force:
        raise CourseError("these files exist with other content (pass --force to replace them; never change "
                          "an assignment that already has submissions):\n  " + "\n  ".join(map(str, different)))
    written = []
    for path, data in wanted.items():
        if not path.exists() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            written.append(path)
    return written


def assignments(course_dir) -> list[str]:
    """The assignments of a course folder: the folders in ``source/``."""
    return sorted(p.name for p in (Path(course_dir) / "source").glob("*") if p.is_dir())


def submit(course_dir, student_id: str, notebooks) -> list[Path]:
    """Copy a student's notebooks to ``submitted/<student_id>/<stem>/<stem>.ipynb``.

    Each file's stem names its assignment (``02_knn.ipynb`` -> ``02_knn``); an earlier submission
    of the same notebook is replaced. Raises CourseError for an unknown assignment or a bad id.
    """
    course_dir = _course_dir(course_dir)
    if not isinstance(student_id, str) or not _ID.fullmatch(student_id):
        raise CourseError(f"student id must be letters, digits and _.@- (got {student_id!r})")
    known = assignments(course_dir)
    copied = []
    for path in map(Path, notebooks):
        if not path.is_file():
            raise CourseError(f"not a file: {path}")
        if path.stem not in known:
            raise CourseError(f"{path.name}: no assignment {path.stem!r} in {course_dir / 'source'} "
                              f"(the file must keep its name, one of: {', '.join(known)})")
        target = course_dir / "submitted" / student_id / path.stem / f"{path.stem}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        copied.append(target)
    return copied


def _course_dir(course_dir) -> Path:
    course_dir = Path(course_dir)
    if not (course_dir / "nbgrader_config.py").is_file():
        raise CourseError(f"{course_dir} is not a course folder (no nbgrader_config.py): "
                          "run `python tools/grade.py init` first")
    return course_dir


def _gradebook(course_dir):
    """nbgrader's Gradebook of a course folder, with the course id from its nbgrader_config.py."""
    from nbgrader.api import Gradebook
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    course_dir = _course_dir(course_dir)
    if not (course_dir / "gradebook.db").is_file():
        raise CourseError(f"no gradebook in {course_dir}: run nbgrader generate_assignment and autograde first")
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course_dir)).load_config()
    coursedir = CourseDirectory(config=config, root=str(course_dir.resolve()))
    return Gradebook(coursedir.db_url, coursedir.course_id)


def _text(cell) -> str:
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


def written_answers(course_dir, assignment: str) -> list[dict]:
    """The written questions (task cells) of every autograded submission of ``assignment``.

    One dict per (question, student), question by question in notebook order, students sorted
    within each question: assignment, notebook,
    student, question (grade_id), points (max), question_text, mark_scheme, answer (the Markdown
    cell right after the question, the "Your answer" cell, and any Markdown cells the student
    added after it; the course's own narrative that follows is not part of it) and score (the
    recorded points, None when not marked yet).
    """
    import nbformat

    course_dir = _course_dir(course_dir)
    rows = []
    paths = sorted((course_dir / "autograded").glob(f"*/{assignment}/*.ipynb"))
    if not paths:
        raise CourseError(f"no autograded submission of {assignment!r}: run `nbgrader autograde {assignment}` first")
    with _gradebook(course_dir) as gb:
        for path in sorted(paths, key=lambda p: (p.stem, p.parts[-3])):
            student, cells = path.parts[-3], nbformat.read(path, as_version=4).cells
            source = course_dir / "source" / assignment / path.name
            course_ids = ({c.get("id") for c in nbformat.read(source, as_version=4).cells} - {None}
                          if source.is_file() else set())
            for i, cell in enumerate(cells):
                meta = cell.metadata.get("nbgrader", {})
                if not meta.get("task"):
                    continue
                answer = []
                for following in cells[i + 1:]:
                    if (following.cell_type != "markdown" or "nbgrader" in following.metadata
                            or (answer and following.get("id") in course_ids)):
                        break
                    answer.append(_text(following).strip())
                source = _text(cell)
                scheme = MARK_SCHEME.search(source)
                grade = gb.find_grade(meta["grade_id"], path.stem, assignment, student)
                rows.append(dict(assignment=assignment, notebook=path.stem, student=student, position=i,
                                 question=meta["grade_id"], points=meta.get("points"),
                                 question_text=MARK_SCHEME.sub("", source).strip(),
                                 mark_scheme=scheme.group(1).strip() if scheme else "",
                                 answer="\n\n".join(a for a in answer if a), score=grade.manual_score))
    rows.sort(key=lambda r: (r["notebook"], r.pop("position"), r["student"]))  # question by question
    return rows


def mark(course_dir, assignment: str, student_id: str, question: str, points: float) -> tuple[float | None, float]:
    """Record ``points`` for one graded cell (a written question) of one autograded submission.

    Sets nbgrader's manual score, as formgrader would; ``nbgrader export`` then counts it. Returns
    (the previous manual score or None, the cell's maximum). Raises CourseError when the submission
    or question is unknown, or points are not in [0, maximum].
    """
    from nbgrader.api import MissingEntry

    with _gradebook(course_dir) as gb:
        try:
            grade = gb.find_grade(question, assignment, assignment, student_id)
        except MissingEntry:
            raise CourseError(f"no grade {question!r} for {student_id!r} in {assignment!r}: check the names "
                              f"(`python tools/grade.py answers COURSE_DIR {assignment}` lists them) and that "
                              "the submission was autograded") from None
        if not 0 <= points <= grade.max_score:
            raise CourseError(f"points must be between 0 and {grade.max_score:g} for {question}, got {points:g}")
        previous = grade.manual_score
        grade.manual_score = float(points)
        grade.needs_manual_grade = False
        gb.db.commit()
        return previous, grade.max_score


def _points(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of points, got {text!r}") from None


def _parse(argv):
    parser = argparse.ArgumentParser(prog="python tools/grade.py", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("init", help="make a course folder: nbgrader_config.py and source/ from the notebooks")
    p.add_argument("course_dir", type=Path)
    p.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/NN_*.ipynb")
    p.add_argument("--course-id", default=COURSE_ID, help=f"nbgrader course id (default: {COURSE_ID})")
    p.add_argument("--force", action="store_true", help="replace files that exist with other content")
    p = sub.add_parser("submit", help="file a student's notebooks under submitted/<student>/<assignment>/")
    p.add_argument("course_dir", type=Path)
    p.add_argument("student_id")
    p.add_argument("notebooks", nargs="+", type=Path, help="the student's NN_topic.ipynb files")
    p = sub.add_parser("answers", help="print the written answers of an autograded assignment")
    p.add_argument("course_dir", type=Path)
    p.add_argument("assignment")
    p = sub.add_parser("mark", help="record the points of a written answer in the gradebook")
    p.add_argument("course_dir", type=Path)
    p.add_argument("assignment")
    p.add_argument("student_id")
    p.add_argument("question", help="the question's grade_id, e.g. 02_q_bright_rows")
    p.add_argument("points", type=_points)
    return parser.parse_args(argv)


def _print_answers(rows: list[dict]) -> None:
    question = None
    for row in rows:
        if row["question"] != question:
            question = row["question"]
            print(f"\n== {row['notebook']} · {question} ({row['points']:g} point{'s' * (row['points'] != 1)})")
            print(row["question_text"])
            print(f"-- mark scheme:\n{row['mark_scheme'] or '(none)'}")
        score = "not marked" if row["score"] is None else f"{row['score']:g}/{row['points']:g}"
        answer = row["answer"] or "(no answer)"
        print(f"-- {row['student']} [{score}]:\n{answer}")
    print(f"\nRecord points with: python {_SCRIPT} mark COURSE_DIR {rows[0]['assignment']} STUDENT QUESTION POINTS"
          if rows else "no written questions in this assignment")


def main(argv=None) -> int:
    args = _parse(argv)
    try:
        if args.command == "init":
            notebooks = args.notebooks or course_notebooks()
            written = init_course(args.course_dir, notebooks, course_id=args.course_id, force=args.force)
            print(f"{args.course_dir}: {len(written)} file(s) written; assignments: "
                  f"{', '.join(p.stem for p in notebooks)}")
            print(f"next, in {args.course_dir}: nbgrader generate_assignment \"*\" --force")
        elif args.command == "submit":
            for path in submit(args.course_dir, args.student_id, args.notebooks):
                print(f"submitted {path}")
        elif args.command == "answers":
            _print_answers(written_answers(args.course_dir, args.assignment))
        else:
            previous, maximum = mark(args.course_dir, args.assignment, args.student_id, args.question, args.points)
            was = "not marked" if previous is None else f"{previous:g}"
            print(f"{args.student_id} · {args.assignment} · {args.question}: {args.points:g}/{maximum:g} (was {was}); "
                  "run `nbgrader generate_feedback` and `nbgrader export` again to include it")
    except CourseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
