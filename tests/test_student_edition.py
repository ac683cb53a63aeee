"""tools/student_edition.py: the student edition leaks no answer, keeps the figures, and runs.

Most tests run on two small synthetic notebooks written here in nbgrader's format (the one
notebooks/ uses: NOTEBOOKS.md), so they do not depend on what the course notebooks say. What is
checked: no line of a solution region, hidden test or mark scheme anywhere in the student edition
(sources, outputs, stored widget state); no output stored in exercise or check cells and every
other output and the stored widget state kept; no kept output from a cell that calls a student's
function; each solution cell keeps its signature and docstring around the stub; run top to
bottom, only the check cells fail, each with the exercise's own error; the build is byte for byte
deterministic and ``--check`` lists every stale file. Each check also runs on a notebook that
breaks it, to prove it can fail.

One test covers the real notebooks/ folder, on the format rules only (NOTEBOOKS.md): every solution
cell has nbgrader metadata, the markers stand only in solution, check and task cells, mark schemes
only in task cells; and the student edition built from it into a temporary folder leaks nothing
and keeps every non-exercise output and the widget state. Running the real student edition and
grading the real notebooks take minutes: set COURSE_TEST_REAL_NOTEBOOKS=1 to include them (CI
does). Tests that run nbgrader or a kernel are marked ``slow``.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parents[1]
STUDENT_DIR = ROOT / "student"
REGIONS = {
    "solution": ("### BEGIN SOLUTION", "### END SOLUTION"),
    "hidden tests": ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"),
    "mark scheme": ("=== BEGIN MARK SCHEME ===", "=== END MARK SCHEME ==="),
}
EXERCISE_ERRORS = {"AssertionError", "NotImplementedError"}
SHORT_LINE = 10  # a region line shorter than this must match a whole line to count as found
REAL_RUNS = os.environ.get("COURSE_TEST_REAL_NOTEBOOKS") == "1"  # run and grade the real notebooks too
REAL_RUNS_SKIP = pytest.mark.skipif(not REAL_RUNS, reason="runs every real notebook (minutes): set "
                                    "COURSE_TEST_REAL_NOTEBOOKS=1 to include it")


def _load(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


student_edition = _load("student_edition")
run_notebooks = _load("run_notebooks")


# --------------------------------------------------------------------------- synthetic notebooks


def _nbgrader(cell, **meta):
    cell.metadata["nbgrader"] = {"solution": False, "grade": False, "task": False, "locked": False,
                                 "schema_version": 3, **meta}
    return cell


def _stream(text):
    return [new_output("stream", name="stdout", text=text)]


FIGURE_HTML = '<img src="data:image/png;base64,iVBORw0KGgo=" alt="A grey square, 2 by 2 pixels">'
WIDGET_STATE = {"application/vnd.jupyter.widget-state+json": {
    "state": {"4f1c": {"model_module": "@jupyter-widgets/controls", "model_name": "IntSliderModel",
                       "model_module_version": "2.0.0", "state": {"value": 3, "description": "k"}}},
    "version_major": 2, "version_minor": 0}}


def synthetic_notebooks() -> dict[str, nbformat.NotebookNode]:
    """Two instructor notebooks in the course's exercise format (NOTEBOOKS.md), plain Python."""
    alpha = new_notebook(cells=[
        new_markdown_cell("# 01 · Alpha\n\nA synthetic notebook for the student-edition tests."),
        new_code_cell("import math\nprint('ready')", outputs=_stream("ready\n"), execution_count=1),
        new_code_cell("from IPython.display import HTML, display\n"
                      f"display(HTML('{FIGURE_HTML}'))", execution_count=2,
                      outputs=[new_output("display_data", data={"text/html": FIGURE_HTML,
                                                                "text/plain": "A grey square, 2 by 2 pixels"})]),
        new_markdown_cell("## Exercise: double a number"),
        _nbgrader(new_code_cell(
            'def double(x):\n    """Return twice x (a number)."""\n    ### BEGIN SOLUTION\n'
            "    result = x + x  # the secret doubling trick\n    return 2 * x\n    ### END SOLUTION\n"
            "\n\nprint('double is defined')"), solution=True, grade_id="01_double"),
        _nbgrader(new_code_cell(
            "assert double(3) == 6, 'double(3) is not right'\nprint('double: correct')\n"
            "### BEGIN HIDDEN TESTS\nassert double(-7) == -14, 'a hidden negative case'\n### END HIDDEN TESTS"),
            grade=True, locked=True, grade_id="01_double_check", points=2),
        new_markdown_cell("If your function is not finished, the notebook still runs: from here on we use "
                          "the reference version."),
        new_code_cell("def reference_double(x):\n    return 2 * x\n\nprint(reference_double(21))"),
        _nbgrader(new_markdown_cell(
            "**Question:** why is doubling the same as adding a number to itself?\n\n"
            "=== BEGIN MARK SCHEME ===\nMultiplication distributes over addition, the model answer says.\n"
            "=== END MARK SCHEME ==="), task=True, locked=True, grade_id="01_q_doubling", points=1),
        new_markdown_cell("**Your answer:**"),
        _nbgrader(new_code_cell(
            'def square(x):\n    """Return x squared."""\n    ### BEGIN SOLUTION\n'
            "    return x ** 2  # squared by the power rule\n    ### END SOLUTION"),
            solution=True, grade_id="01_square"),
        _nbgrader(new_code_cell(
            "assert square(4) == 16, 'square(4) is not right'\n"
            "### BEGIN HIDDEN TESTS\nassert square(-3) == 9, 'a hidden square case'\n### END HIDDEN TESTS"),
            grade=True, locked=True, grade_id="01_square_check", points=1),
        new_code_cell("print(math.sqrt(16))"),
    ])
    alpha.metadata["widgets"] = WIDGET_STATE
    beta = new_notebook(cells=[
        new_markdown_cell("# 02 · Beta"),
        _nbgrader(new_code_cell(
            'def count_even(values):\n    """How many of values (ints) are even."""\n    ### BEGIN SOLUTION\n'
            "    return sum(1 for v in values if v % 2 == 0)\n    ### END SOLUTION"),
            solution=True, grade_id="02_count_even"),
        _nbgrader(new_code_cell(
            "assert count_even([1, 2, 4]) == 2, 'count_even([1, 2, 4]) is not right'\n"
            "### BEGIN HIDDEN TESTS\nassert count_even([]) == 0, 'an empty list'\n### END HIDDEN TESTS"),
            grade=True, locked=True, grade_id="02_count_even_check", points=3),
        _nbgrader(new_markdown_cell(
            "**Question:** is zero even?\n\n=== BEGIN MARK SCHEME ===\nYes: zero is two times zero.\n"
            "=== END MARK SCHEME ==="), task=True, locked=True, grade_id="02_q_zero", points=2),
        new_markdown_cell("**Your answer:**"),
        new_markdown_cell("## Summary\n\nThe course's narrative goes on after the answer cell."),
    ])
    notebooks = {"01_alpha.ipynb": alpha, "02_beta.ipynb": beta}
    for nb in notebooks.values():
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebooks


def write_synthetic_notebooks(folder: Path) -> list[Path]:
    """Write the synthetic instructor notebooks into ``folder``, executed (outputs stored)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, nb in synthetic_notebooks().items():
        for i, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
            cell.execution_count = i + 1
        for cell in nb.cells:  # the outputs an instructor's run stores
            if cell.cell_type == "code" and not cell.outputs:
                printed = re.findall(r"^print\('([^']*)'\)$", cell.source, flags=re.M)
                cell.outputs = _stream("".join(p + "\n" for p in printed)) if printed else []
            if cell.source.startswith("def reference_double"):
                cell.outputs = _stream("42\n")
            if cell.source == "print(math.sqrt(16))":
                cell.outputs = _stream("4.0\n")
        nbformat.write(nb, folder / name)
        paths.append(folder / name)
    return paths


# --------------------------------------------------------------------------- what the checks look at


def _text(cell) -> str:
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def has_exercises(nb) -> bool:
    return any(nbgrader_meta(cell) for cell in nb.cells)


def region_lines(nb, kind: str) -> list[str]:
    """The stripped, non-empty lines between a region's markers, in every cell of nb."""
    begin, end = REGIONS[kind]
    lines = []
    for cell in nb.cells:
        inside = False
        for line in _text(cell).splitlines():
            if begin in line:
                inside = True
            elif end in line:
                inside = False
            elif inside and line.strip():
                lines.append(line.strip())
    return lines


def visible_lines(nb) -> set[str]:
    """The stripped lines nb shows outside every solution, hidden-test and mark-scheme region: its
    sources, and the text outputs of cells that are neither exercise nor check cells (e.g. the source
    of a course function printed as a model for the exercise; outputs_from_student_functions makes
    sure no such output comes from the student's function)."""
    lines, inside = set(), None
    for cell in nb.cells:
        if cell.cell_type == "code" and not (nbgrader_meta(cell).get("solution") or nbgrader_meta(cell).get("grade")):
            for out in cell.get("outputs", []):
                text = out.get("text") or out.get("data", {}).get("text/plain") or ""
                lines |= {line.strip() for line in (text if isinstance(text, str) else "".join(text)).splitlines()}
        for line in _text(cell).splitlines():
            kind = next((k for k, (b, _) in REGIONS.items() if b in line), None)
            if kind:
                inside = kind
            elif inside and REGIONS[inside][1] in line:
                inside = None
            elif not inside:
                lines.add(line.strip())
        inside = None
    return lines


def _strings(node):
    """Every string in a notebook (sources, outputs, metadata such as the stored widget state)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def leaked_lines(instructor, student) -> list[str]:
    """Lines of the instructor's solution regions, hidden tests and mark schemes found in ``student``.

    A line that the instructor edition also shows outside those regions (as a line or inside one,
    e.g. the task's wording quotes the call to make) is not a leak. A line of SHORT_LINE characters
    or more counts when it occurs anywhere (inside an output, a traceback, widget state); a shorter
    one when it is a whole line.
    """
    strings = list(_strings(student))
    whole_lines = {line.strip() for s in strings for line in s.splitlines()}
    shown = visible_lines(instructor)
    leaks = []
    for kind in REGIONS:
        for line in region_lines(instructor, kind):
            if line in shown or (len(line) >= SHORT_LINE and any(line in visible for visible in shown)):
                continue
            found = any(line in s for s in strings) if len(line) >= SHORT_LINE else line in whole_lines
            if found:
                leaks.append(f"{kind}: {line}")
    return leaks


def output_problems(instructor, student) -> list[str]:
    """Exercise/check cells with stored outputs; other cells whose outputs or widget state changed."""
    problems = []
    if [c.cell_type for c in instructor.cells] != [c.cell_type for c in student.cells]:
        return ["the student edition does not have the instructor edition's cells"]
    for n, (mine, theirs) in enumerate(zip(instructor.cells, student.cells), start=1):
        if theirs.cell_type != "code":
            continue
        meta = nbgrader_meta(theirs)
        if meta.get("solution") or meta.get("grade"):
            if theirs.outputs or theirs.execution_count is not None:
                problems.append(f"cell {n}: exercise or check cell with a stored output or execution count")
        elif theirs.outputs != mine.outputs:
            problems.append(f"cell {n}: its stored output was not kept")
    if student.metadata.get("widgets") != instructor.metadata.get("widgets"):
        problems.append("the stored widget state was not kept")
    return problems


def _python(source: str):
    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return None


def _bound(statement) -> set[str]:
    names = set()
    for node in ast.walk(statement):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def outputs_from_student_functions(nb) -> list[str]:
    """Cells outside exercises that keep an output and call a function a solution cell defines.

    A name stops counting as the student's once a later cell binds it again (e.g. imports the
    course's reference under the same name).
    """
    students, problems = set(), []
    for n, cell in enumerate(nb.cells, start=1):
        tree = _python(_text(cell)) if cell.cell_type == "code" else None
        if tree is None:
            continue
        meta = nbgrader_meta(cell)
        if meta.get("solution"):
            students |= {node.name for node in tree.body
                         if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
            continue
        for statement in tree.body:
            used = {node.id for node in ast.walk(statement) if isinstance(node, ast.Name)
                    and isinstance(node.ctx, ast.Load)} & students
            if used and cell.outputs and not meta.get("grade"):
                problems.append(f"cell {n}: its stored output comes from {', '.join(sorted(used))}, "
                                "a function the student writes")
            students -= _bound(statement)
    return problems


def stub_problems(instructor, student) -> list[str]:
    """Solution cells that lost the code around the solution region, got no stub or got longer."""
    problems = []
    begin, end = REGIONS["solution"]
    for n, (mine, theirs) in enumerate(zip(instructor.cells, student.cells), start=1):
        if not (nbgrader_meta(mine).get("solution") and mine.cell_type == "code"):
            continue
        kept = re.sub(rf"^[ \t]*{re.escape(begin)}.*?^[ \t]*{re.escape(end)}[^\n]*\n?", "", _text(mine),
                      flags=re.S | re.M)
        text = _text(theirs)
        if "raise NotImplementedError()" not in text:
            problems.append(f"cell {n}: no `raise NotImplementedError()` stub")
        counted = [len([line for line in t.splitlines() if line.strip() and begin not in line and end not in line])
                   for t in (_text(mine), text)]
        if counted[1] > counted[0]:
            problems.append(f"cell {n}: the stubs make it longer ({counted[1]} lines) than the instructor's "
                            f"({counted[0]})")
        lines = iter(text.splitlines())
        if not all(any(line == other for other in lines) for line in kept.splitlines()):
            problems.append(f"cell {n}: the signature, docstring or other code around the solution changed")
    return problems


MARKER_CELLS = {  # marker -> (the kind of cell it may stand in, the nbgrader flag that cell needs)
    "### BEGIN SOLUTION": ("code", "solution"), "### END SOLUTION": ("code", "solution"),
    "### BEGIN HIDDEN TESTS": ("code", "grade"), "### END HIDDEN TESTS": ("code", "grade"),
    "=== BEGIN MARK SCHEME ===": ("markdown", "task"), "=== END MARK SCHEME ===": ("markdown", "task"),
}


def format_problems(nb) -> list[str]:
    """Breaches of NOTEBOOKS.md's exercise format: markers outside their cells, solution cells
    without metadata or markers, check cells without points, duplicate grade ids, missing cell ids."""
    problems, ids = [], {}
    for n, cell in enumerate(nb.cells, start=1):
        text, meta = _text(cell), nbgrader_meta(cell)
        if "id" not in cell:
            problems.append(f"cell {n}: no cell id")
        for marker, (cell_type, flag) in MARKER_CELLS.items():
            if marker in text and not (cell.cell_type == cell_type and meta.get(flag)):
                problems.append(f"cell {n}: {marker!r} in a {cell.cell_type} cell without nbgrader "
                                f"{flag} metadata (only {flag} {cell_type} cells may hold it)")
        if not meta:
            continue
        if meta.get("grade_id") in ids:
            problems.append(f"cell {n}: grade_id {meta['grade_id']!r} already used by cell {ids[meta['grade_id']]}")
        ids.setdefault(meta.get("grade_id"), n)
        if not meta.get("grade_id") or meta.get("schema_version") != 3:
            problems.append(f"cell {n}: nbgrader metadata without a grade_id or schema_version 3")
        if meta.get("solution") and cell.cell_type == "code" and not all(
                m in text for m in ("### BEGIN SOLUTION", "### END SOLUTION")):
            problems.append(f"cell {n} ({meta.get('grade_id')}): a solution cell without its solution markers")
        if (meta.get("grade") or meta.get("task")) and not meta.get("points"):
            problems.append(f"cell {n} ({meta.get('grade_id')}): a check or task cell without points")
        if meta.get("task") and cell.cell_type != "markdown":
            problems.append(f"cell {n} ({meta.get('grade_id')}): a task (written question) cell that is not Markdown")
    return problems


def execution_problems(nb, folder: Path) -> list[str]:
    """Run nb cell by cell (errors allowed); every check cell must fail with the exercise's own
    error, and no other cell may fail."""
    client = run_notebooks.CourseNotebookClient(
        nb, timeout=300, kernel_name="python3", allow_errors=True, record_timing=False,
        resources={"metadata": {"path": str(folder)}})
    client.execute(env=run_notebooks.kernel_environment(None))
    problems = []
    for n, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        errors = [out.ename for out in cell.outputs if out.output_type == "error"]
        if nbgrader_meta(cell).get("grade") and not nbgrader_meta(cell).get("solution"):
            if not errors:
                problems.append(f"cell {n} ({nbgrader_meta(cell).get('grade_id')}): the check passed on a stub")
            problems += [f"cell {n} ({nbgrader_meta(cell).get('grade_id')}): the check failed with {e}, not the "
                         "exercise's own error" for e in errors if e not in EXERCISE_ERRORS]
        else:
            problems += [f"cell {n}: {e} outside a check cell" for e in errors]
    return problems


# --------------------------------------------------------------------------- the editions under test


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """Synthetic instructor notebooks and their student edition built by the tool's CLI."""
    folder = tmp_path_factory.mktemp("synthetic")
    write_synthetic_notebooks(folder / "notebooks")
    assert student_edition.main(["--notebooks-dir", str(folder / "notebooks"),
                                 "--output-dir", str(folder / "student")]) == 0
    return folder


def real_notebooks() -> list[Path]:
    return sorted(ROOT.glob("notebooks/[0-9][0-9]_*.ipynb"))


def exercise_notebooks() -> list[Path]:
    """The notebooks in notebooks/ that carry nbgrader cells."""
    return [p for p in real_notebooks() if has_exercises(nbformat.read(p, as_version=4))]


@pytest.fixture(scope="module")
def real_student_dir(tmp_path_factory):
    """A fresh student edition of the notebooks in notebooks/ that carry exercises (never student/)."""
    notebooks = exercise_notebooks()
    if not notebooks:
        pytest.skip("no notebook in notebooks/ carries nbgrader cells yet")
    out = tmp_path_factory.mktemp("real") / "student"
    student_edition.write(student_edition.build(notebooks), out)
    return out


def _cases(real: bool = False):
    """The synthetic notebooks (built with nbgrader: slow); with ``real``, the real ones too (opt-in)."""
    cases = [pytest.param("synthetic", name, id=f"synthetic/{name}", marks=pytest.mark.slow)
             for name in synthetic_notebooks()]
    if real:
        cases += [pytest.param("real", path.name, id=path.name, marks=[pytest.mark.slow, REAL_RUNS_SKIP])
                  for path in real_notebooks()]
    return cases


def _edition(request, kind: str, name: str):
    """(instructor notebook, student notebook, student notebook's folder) for one case."""
    if kind == "synthetic":
        folder = request.getfixturevalue("synthetic")
        instructor_path, student_folder = folder / "notebooks" / name, folder / "student"
    else:
        instructor_path, student_folder = ROOT / "notebooks" / name, request.getfixturevalue("real_student_dir")
        if not has_exercises(nbformat.read(instructor_path, as_version=4)):
            pytest.skip(f"{name} has no nbgrader cells (no exercise)")
    student_path = student_folder / name
    assert student_path.is_file(), f"{student_path} is missing: run `python tools/student_edition.py`"
    return nbformat.read(instructor_path, as_version=4), nbformat.read(student_path, as_version=4), student_folder


EDITIONS = pytest.mark.parametrize("kind, name", _cases())


@EDITIONS
def test_no_solution_hidden_test_or_mark_scheme_in_the_student_edition(request, kind, name):
    instructor, student, _ = _edition(request, kind, name)
    assert region_lines(instructor, "solution"), "an exercise notebook without a solution region"
    assert not leaked_lines(instructor, student)


@EDITIONS
def test_exercise_and_check_outputs_are_cleared_and_every_other_output_kept(request, kind, name):
    instructor, student, _ = _edition(request, kind, name)
    assert not output_problems(instructor, student)


@EDITIONS
def test_no_kept_output_comes_from_a_function_the_student_writes(request, kind, name):
    instructor, student, _ = _edition(request, kind, name)
    assert not outputs_from_student_functions(instructor)
    assert not outputs_from_student_functions(student)


@EDITIONS
def test_solution_cells_keep_signature_and_docstring_around_the_stub(request, kind, name):
    instructor, student, _ = _edition(request, kind, name)
    assert not stub_problems(instructor, student)
    assert student.metadata[student_edition.NOTE_KEY].startswith("Generated from notebooks/")


@pytest.mark.parametrize("kind, name", _cases(real=True))
def test_student_edition_runs_with_only_its_check_cells_failing(request, kind, name):
    _, student, folder = _edition(request, kind, name)
    assert not execution_problems(student, folder)


@pytest.mark.slow
def test_real_notebooks_follow_the_exercise_format_and_their_student_edition_leaks_nothing(real_student_dir):
    """notebooks/ as it is now (other notebooks may still be in progress): format rules only."""
    problems = []
    for path in real_notebooks():
        instructor = nbformat.read(path, as_version=4)
        problems += [f"{path.name}: {p}" for p in format_problems(instructor)]
        if not has_exercises(instructor):
            continue
        student = nbformat.read(real_student_dir / path.name, as_version=4)
        problems += [f"{path.name}: leaked {p}" for p in leaked_lines(instructor, student)]
        problems += [f"{path.name}: {p}" for p in output_problems(instructor, student)]
        problems += [f"{path.name}: {p}" for p in stub_problems(instructor, student)]
        problems += [f"{path.name}: {p}" for p in outputs_from_student_functions(student)]
        if not student.metadata.get(student_edition.NOTE_KEY, "").startswith("Generated from notebooks/"):
            problems.append(f"{path.name}: the student edition does not say it is generated")
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------- the checks can fail


def test_the_checks_fail_on_the_instructor_edition_and_on_a_leaking_notebook(tmp_path):
    alpha = synthetic_notebooks()["01_alpha.ipynb"]
    leaks = leaked_lines(alpha, alpha)
    assert "solution: result = x + x  # the secret doubling trick" in leaks
    assert "solution: return x ** 2  # squared by the power rule" in leaks
    assert "hidden tests: assert double(-7) == -14, 'a hidden negative case'" in leaks
    assert "mark scheme: Multiplication distributes over addition, the model answer says." in leaks
    assert not any("return 2 * x" in leak for leak in leaks)  # the reference cell shows it too
    with_output = nbformat.from_dict(json.loads(json.dumps(alpha)))
    with_output.cells[5].outputs = _stream("double: correct\n")
    assert output_problems(alpha, with_output) == [
        "cell 6: exercise or check cell with a stored output or execution count"]
    figure_lost = nbformat.from_dict(json.loads(json.dumps(alpha)))
    figure_lost.cells[2].outputs = []
    figure_lost.metadata.pop("widgets")
    assert output_problems(alpha, figure_lost) == ["cell 3: its stored output was not kept",
                                                   "the stored widget state was not kept"]
    assert stub_problems(alpha, alpha) == ["cell 5: no `raise NotImplementedError()` stub",
                                           "cell 11: no `raise NotImplementedError()` stub"]
    longer = nbformat.from_dict(json.loads(json.dumps(alpha)))
    longer.cells[10].source = 'def square(x):\n    """Return x squared."""\n    # YOUR CODE HERE\n    raise NotImplementedError()'
    assert stub_problems(alpha, longer)[1:] == ["cell 11: the stubs make it longer (4 lines) than the instructor's (3)"]
    in_narrative = [new_code_cell("print(double(21))", outputs=_stream("42\n")),
                    new_code_cell("from reference import double\nprint(double(2))", outputs=_stream("4\n"))]
    alpha.cells[6:6] = in_narrative
    assert outputs_from_student_functions(alpha) == [
        "cell 7: its stored output comes from double, a function the student writes"]


def test_format_check_passes_the_synthetic_notebooks_and_finds_each_breach():
    for nb in synthetic_notebooks().values():
        assert format_problems(nb) == []
    nb = synthetic_notebooks()["02_beta.ipynb"]
    nb.cells.insert(1, new_markdown_cell("Put your code between ### BEGIN SOLUTION and ### END SOLUTION."))
    nb.cells.insert(2, new_code_cell("x = 1\n### BEGIN HIDDEN TESTS\nassert x\n### END HIDDEN TESTS"))
    nb.cells[3].metadata["nbgrader"] = {}  # the solution cell loses its metadata
    nb.cells[4].metadata["nbgrader"].pop("points")
    nb.cells[5].source += "\n=== BEGIN MARK SCHEME ===\nok\n=== END MARK SCHEME ==="
    nb.cells[5].metadata["nbgrader"]["grade_id"] = "02_count_even_check"
    problems = format_problems(nb)
    assert [re.split(r"[:(]", p)[0].strip() for p in problems] == ["cell 2", "cell 2", "cell 3", "cell 3", "cell 4", "cell 4",
                                                   "cell 5", "cell 6"], problems
    assert "'### BEGIN SOLUTION' in a markdown cell without nbgrader solution metadata" in problems[0]
    assert "'### BEGIN SOLUTION' in a code cell without nbgrader solution metadata" in problems[4]
    assert problems[6] == "cell 5 (02_count_even_check): a check or task cell without points"
    assert problems[7] == "cell 6: grade_id '02_count_even_check' already used by cell 5"


@pytest.mark.slow
def test_execution_check_fails_when_a_check_passes_or_another_cell_crashes(tmp_path):
    nb = synthetic_notebooks()["02_beta.ipynb"]  # the instructor edition: its check passes
    nb.cells.append(new_code_cell("count_even(None)"))  # a crash outside the check cells
    problems = execution_problems(nb, tmp_path)
    assert problems == ["cell 3 (02_count_even_check): the check passed on a stub",
                        "cell 7: TypeError outside a check cell"]


# --------------------------------------------------------------------------- the tool itself


@pytest.mark.slow
def test_build_is_deterministic_and_check_finds_every_stale_file(synthetic, capsys):
    args = ["--notebooks-dir", str(synthetic / "notebooks"), "--output-dir", str(synthetic / "student")]
    capsys.readouterr()
    assert student_edition.main([*args, "--check"]) == 0  # a second build: byte for byte the same
    assert "is up to date (3 files)" in capsys.readouterr().out
    stale = synthetic / "stale"
    stale.mkdir()
    for path in (synthetic / "student").iterdir():
        (stale / path.name).write_bytes(path.read_bytes())
    (stale / "01_alpha.ipynb").write_text((stale / "01_alpha.ipynb").read_text().replace("double", "twice"))
    (stale / "README.md").unlink()
    (stale / "99_old.ipynb").write_text("{}")
    (stale / ".ipynb_checkpoints").mkdir()
    (stale / ".ipynb_checkpoints" / "02_beta-checkpoint.ipynb").write_text("{}")
    assert student_edition.main([args[0], args[1], "--output-dir", str(stale), "--check"]) == 1
    out = capsys.readouterr().out
    assert [line.split(str(stale) + "/")[1] for line in out.splitlines() if line.startswith("stale: ")] == [
        "01_alpha.ipynb: differs", "README.md: missing", "99_old.ipynb: not generated"]
    assert "run `python tools/student_edition.py` and commit the result" in out


def test_write_replaces_stale_files_and_removes_only_generated_notebooks(tmp_path):
    files = {"01_a.ipynb": b"new\n", "README.md": b"readme\n"}
    (tmp_path / "01_a.ipynb").write_bytes(b"old\n")
    old = new_notebook(metadata={student_edition.NOTE_KEY: "Generated from notebooks/02_old.ipynb"})
    nbformat.write(old, tmp_path / "02_old.ipynb")
    (tmp_path / "notes.txt").write_text("mine")
    changes = student_edition.write(files, tmp_path)
    assert changes == ["01_a.ipynb: written", "README.md: written", "02_old.ipynb: removed (its instructor "
                       "notebook is gone)", "notes.txt: not generated, left in place (remove it by hand)"]
    assert (tmp_path / "01_a.ipynb").read_bytes() == b"new\n" and not (tmp_path / "02_old.ipynb").exists()
    assert (tmp_path / "notes.txt").exists()
    assert student_edition.stale_files(files, tmp_path) == ["notes.txt: not generated"]


@pytest.mark.slow
def test_nbgrader_errors_are_reported_not_hidden(tmp_path, capsys):
    nb = synthetic_notebooks()["02_beta.ipynb"]
    nb.cells.insert(1, new_markdown_cell("Write your code between ### BEGIN SOLUTION and the end marker."))
    (tmp_path / "notebooks").mkdir()
    nbformat.write(nb, tmp_path / "notebooks" / "02_beta.ipynb")
    assert student_edition.main(["--notebooks-dir", str(tmp_path / "notebooks"),
                                 "--output-dir", str(tmp_path / "student")]) == 2
    err = capsys.readouterr().err
    assert "nbgrader generate_assignment failed for 02_beta.ipynb" in err
    assert "RuntimeError: no end solution statement found" in err
    assert "Traceback" not in err  # the cause, without nbgrader's long traceback
    assert not (tmp_path / "student").exists()


def test_cells_without_ids_are_refused_before_nbgrader_runs(tmp_path):
    nb = synthetic_notebooks()["02_beta.ipynb"]
    nb.nbformat_minor = 4
    for cell in nb.cells:
        del cell["id"]
    path = tmp_path / "02_beta.ipynb"
    path.write_text(json.dumps(nb))
    with pytest.raises(student_edition.BuildError, match="cells without an id"):
        student_edition.build([path])


@pytest.mark.parametrize("args, message", [
    (["--notebooks-dir", "/nonexistent"], "no NN_topic.ipynb notebooks in /nonexistent"),
    (["--notebooks-dir", "notebooks", "--output-dir", "notebooks"], "must not be the folder of the instructor"),
])
def test_bad_arguments_are_refused(args, message, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    with pytest.raises(SystemExit) as info:
        student_edition.main(args)
    assert info.value.code == 2 and message in capsys.readouterr().err


@pytest.mark.slow
def test_committed_student_edition_is_up_to_date(capsys):
    if not STUDENT_DIR.is_dir():
        pytest.skip("student/ is not committed yet (generated once the notebooks carry nbgrader metadata)")
    code = student_edition.main(["--check"])
    assert code == 0, capsys.readouterr().out
