"""Rules every stored notebook follows (notebooks/*.ipynb and the generated student/*.ipynb).

* Every stored image (image/png, image/jpeg, an <img> in HTML or Markdown, also inside stored
  widget state) carries non-empty alt text where JupyterLab and exported HTML expose it: in the
  <img> tag (plots.show_figure). A bare image/png output fails: JupyterLab ignores alt metadata.
* Exactly one H1 per notebook, the first heading; no heading skips a level (## to ####).
* No jet / rainbow / hsv colour maps in code; no ``plt.show()`` (use plots.show_figure).
* No stored error output unless the cell is tagged ``raises-exception``.
* Code cells of at most 15 non-blank lines (nbgrader marker lines and hidden tests not counted),
  except the cells in LONG_CELLS_ALLOWED, each with its reason.
* nbgrader metadata, where present, is well formed: schema_version 3; solution / grade / task
  cells have a unique grade_id; grade and task cells have points > 0; task cells are Markdown,
  grade cells code; solution and hidden-test markers only in code cells of the right kind,
  mark-scheme markers only in Markdown task cells, each BEGIN closed by its END; the student
  edition holds no marker at all.
Each rule is also run on a synthetic notebook that breaks it, to prove the test can fail.
"""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("notebooks", "student")
MAX_CODE_LINES = 15
#: (notebook file name, cell id) -> why this code cell may be longer than MAX_CODE_LINES.
LONG_CELLS_ALLOWED: dict[tuple[str, str], str] = {}
BANNED_CMAPS = ("jet", "rainbow", "hsv", "gist_rainbow", "nipy_spectral", "gist_ncar")
MARKERS = {
    "solution": ("BEGIN SOLUTION", "END SOLUTION"),
    "hidden": ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS"),
    "mark_scheme": ("BEGIN MARK SCHEME", "END MARK SCHEME"),
}


def notebook_paths(folder: str) -> list[Path]:
    return sorted((ROOT / folder).glob("*.ipynb"))


def _source(cell) -> str:
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


# --------------------------------------------------------------------------- alt text


class _Images(HTMLParser):
    """Every <img> tag of an HTML text, with its alt attribute (None when absent)."""

    def __init__(self):
        super().__init__()
        self.alts: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.alts.append(dict(attrs).get("alt"))

    handle_startendtag = handle_starttag


def _img_alts(html: str) -> list[str | None]:
    parser = _Images()
    parser.feed(html)
    return parser.alts


def _output_alt_problems(outputs, where: str) -> list[str]:
    problems = []
    for i, out in enumerate(outputs):
        data = out.get("data", {}) if out.get("output_type") in ("display_data", "execute_result") else {}
        html = data.get("text/html", "")
        html = html if isinstance(html, str) else "".join(html)
        alts = _img_alts(html)
        problems += [f"{where}, output {i + 1}: <img> without alt text" for alt in alts
                     if alt is None or not alt.strip()]
        for mime in ("image/png", "image/jpeg"):
            if mime in data and not (alts and all(a and a.strip() for a in alts)):
                problems.append(f"{where}, output {i + 1}: bare {mime} (JupyterLab ignores alt metadata): "
                                "show it with plots.show_figure(fig, alt=...)")
    return problems


def alt_text_problems(nb) -> list[str]:
    problems = []
    for n, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "code":
            problems += _output_alt_problems(cell.get("outputs", []), f"cell {n}")
        elif cell.cell_type == "markdown":
            text = _source(cell)
            problems += [f"cell {n}: Markdown image without alt text" for alt in re.findall(r"!\[([^\]]*)\]\(", text)
                         if not alt.strip()]
            problems += [f"cell {n}: <img> without alt text" for alt in _img_alts(text) if not (alt or "").strip()]
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    for model_id, model in state.items():
        outputs = model.get("state", {}).get("outputs", [])
        problems += _output_alt_problems(outputs, f"stored widget {model_id[:8]}")
    return problems


# --------------------------------------------------------------------------- headings


def _headings(text: str) -> list[int]:
    levels, in_fence, previous = [], False, ""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
        elif not in_fence:
            atx = re.match(r"^ {0,3}(#{1,6})(\s|$)", line)
            if atx:
                levels.append(len(atx.group(1)))
            elif previous.strip() and not previous.lstrip().startswith(("-", "*", "+", "|", ">")) and \
                    re.fullmatch(r" {0,3}(=+|-{2,})\s*", line):
                levels.append(1 if "=" in line else 2)  # setext heading: the line above, underlined
            levels += [int(h) for h in re.findall(r"<h([1-6])\b", line, flags=re.I)]
        previous = "" if in_fence else line
    return levels


def heading_problems(nb) -> list[str]:
    levels = [lvl for cell in nb.cells if cell.cell_type == "markdown" for lvl in _headings(_source(cell))]
    problems = []
    if levels.count(1) != 1:
        problems.append(f"{levels.count(1)} H1 headings; a notebook has exactly one (its title)")
    if levels and levels[0] != 1:
        problems.append(f"the first heading is H{levels[0]}; it must be the H1 title")
    for before, after in zip(levels, levels[1:]):
        if after > before + 1:
            problems.append(f"an H{before} is followed by an H{after}: a heading level is skipped")
    return problems


# --------------------------------------------------------------------------- code


def _python(source: str) -> ast.AST | None:
    """The cell's code as an AST (magics and shell lines blanked), or None if it does not parse."""
    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return None


def colormap_problems(nb) -> list[str]:
    pattern = re.compile(rf"""['"]({'|'.join(BANNED_CMAPS)})(_r)?['"]|\bcm\.({'|'.join(BANNED_CMAPS)})\b""")
    return [f"cell {n}: colour map {m.group(0)} (use viridis, cividis or grey)"
            for n, cell in enumerate(nb.cells, start=1) if cell.cell_type == "code"
            for m in pattern.finditer(_source(cell))]


def plt_show_problems(nb) -> list[str]:
    problems = []
    for n, cell in enumerate(nb.cells, start=1):
        tree = _python(_source(cell)) if cell.cell_type == "code" else None
        for node in ast.walk(tree) if tree else []:
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "show":
                owner = node.func.value
                name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
                if name in ("plt", "pyplot") or name.startswith("fig"):
                    problems.append(f"cell {n}: {name}.show() (use show_figure(fig, alt=...))")
    return problems


def error_output_problems(nb) -> list[str]:
    return [f"cell {n}: stored {out.get('ename')} error (fix it, or tag the cell raises-exception)"
            for n, cell in enumerate(nb.cells, start=1) if cell.cell_type == "code"
            and "raises-exception" not in cell.metadata.get("tags", [])
            for out in cell.get("outputs", []) if out.get("output_type") == "error"]


def _counted_lines(source: str) -> int:
    count, hidden = 0, False
    for line in source.splitlines():
        if MARKERS["hidden"][0] in line:
            hidden = True
        elif MARKERS["hidden"][1] in line:
            hidden = False
        elif line.strip() and not hidden and not any(m in line for pair in MARKERS.values() for m in pair):
            count += 1
    return count


def long_cell_problems(nb, name: str) -> list[str]:
    return [f"cell {n} (id {cell.get('id')}): {_counted_lines(_source(cell))} lines of code; split it "
            f"(at most {MAX_CODE_LINES}) or add it to LONG_CELLS_ALLOWED with a reason"
            for n, cell in enumerate(nb.cells, start=1) if cell.cell_type == "code"
            and _counted_lines(_source(cell)) > MAX_CODE_LINES and (name, cell.get("id")) not in LONG_CELLS_ALLOWED]


# --------------------------------------------------------------------------- nbgrader


def _marker_problems(text: str, where: str, kind: str) -> list[str]:
    begin, end = MARKERS[kind]
    depth, problems = 0, []
    for line in text.splitlines():
        if begin in line:
            depth += 1
            if depth > 1:
                problems.append(f"{where}: a second {begin} before {end}")
        elif end in line:
            depth -= 1
            if depth < 0:
                problems.append(f"{where}: {end} without {begin}")
                depth = 0
    return problems + ([f"{where}: {begin} without {end}"] if depth > 0 else [])


def nbgrader_problems(nb, *, student: bool = False) -> list[str]:
    problems, grade_ids = [], {}
    for n, cell in enumerate(nb.cells, start=1):
        where, meta, text = f"cell {n}", cell.metadata.get("nbgrader"), _source(cell)
        present = {kind for kind, (begin, end) in MARKERS.items() if begin in text or end in text}
        if student and present:
            problems.append(f"{where}: the student edition holds {', '.join(sorted(present))} markers")
        if meta is None:
            problems += [f"{where}: {kind} markers in a cell without nbgrader metadata" for kind in sorted(present)]
            continue
        if meta.get("schema_version") != 3:
            problems.append(f"{where}: nbgrader schema_version must be 3, got {meta.get('schema_version')!r}")
        flags = {key: meta.get(key, False) for key in ("solution", "grade", "task", "locked")}
        problems += [f"{where}: nbgrader {key} must be true or false" for key, v in flags.items()
                     if not isinstance(v, bool)]
        grade_id = meta.get("grade_id")
        if flags["solution"] or flags["grade"] or flags["task"] or flags["locked"]:
            if not isinstance(grade_id, str) or not grade_id.strip():
                problems.append(f"{where}: nbgrader cell without a grade_id")
            elif grade_id in grade_ids:
                problems.append(f"{where}: grade_id {grade_id!r} already used by cell {grade_ids[grade_id]}")
            else:
                grade_ids[grade_id] = n
        points = meta.get("points")
        if (flags["grade"] or flags["task"]) and not (isinstance(points, (int, float)) and not
                                                      isinstance(points, bool) and points > 0):
            problems.append(f"{where}: graded cell without points > 0 (got {points!r})")
        if flags["task"] and (cell.cell_type != "markdown" or flags["solution"] or flags["grade"]):
            problems.append(f"{where}: a task cell must be a Markdown cell, neither solution nor grade")
        if flags["grade"] and not flags["solution"] and cell.cell_type != "code":
            problems.append(f"{where}: a test (grade) cell must be a code cell")
        allowed = set()
        if cell.cell_type == "code" and flags["solution"]:
            allowed.add("solution")
        if cell.cell_type == "code" and flags["grade"]:
            allowed.add("hidden")
        if cell.cell_type == "markdown" and flags["task"]:
            allowed.add("mark_scheme")
        problems += [f"{where}: {kind} markers do not belong in this cell" for kind in sorted(present - allowed)]
        for kind in present & allowed:
            problems += _marker_problems(text, where, kind)
    return problems


RULES = {
    "alt text": lambda nb, name, student: alt_text_problems(nb),
    "headings": lambda nb, name, student: heading_problems(nb),
    "colour maps": lambda nb, name, student: colormap_problems(nb),
    "plt.show": lambda nb, name, student: plt_show_problems(nb),
    "error outputs": lambda nb, name, student: error_output_problems(nb),
    "long cells": lambda nb, name, student: long_cell_problems(nb, name),
    "nbgrader": lambda nb, name, student: nbgrader_problems(nb, student=student),
}


def _cases():
    cases = [pytest.param(folder, path, rule, id=f"{folder}/{path.name}:{rule}")
             for folder in FOLDERS for path in notebook_paths(folder) for rule in RULES]
    return cases or [pytest.param(None, None, None, marks=pytest.mark.skip(reason="no notebooks found"))]


@pytest.mark.parametrize("folder, path, rule", _cases())
def test_stored_notebooks_follow_the_rule(folder, path, rule):
    nb = nbformat.read(path, as_version=4)
    problems = RULES[rule](nb, path.name, folder == "student")
    assert not problems, f"{folder}/{path.name}:\n  " + "\n  ".join(problems)


def test_allowed_long_cells_exist_and_are_long():
    """A stale allow-list entry (cell gone, or now short) must be removed."""
    for (name, cell_id), reason in LONG_CELLS_ALLOWED.items():
        assert reason.strip(), (name, cell_id)
        cells = [c for folder in FOLDERS for p in notebook_paths(folder) if p.name == name
                 for c in nbformat.read(p, as_version=4).cells if c.get("id") == cell_id]
        assert cells and any(_counted_lines(_source(c)) > MAX_CODE_LINES for c in cells), (name, cell_id)


def test_course_lib_names_no_rainbow_colour_map():
    pattern = re.compile(rf"""['"]({'|'.join(BANNED_CMAPS)})(_r)?['"]|\bcm\.({'|'.join(BANNED_CMAPS)})\b""")
    found = [f"{p.relative_to(ROOT)}: {m.group(0)}" for p in sorted((ROOT / "course_lib").rglob("*.py"))
             for m in pattern.finditer(p.read_text(encoding="utf-8"))]
    assert not found, found


# --------------------------------------------------------------------------- each rule can fail

GOOD_IMG = '<img src="data:image/png;base64,iVBORw0KGgo=" alt="A loss curve falling from 2.3 to 0.4">'


def _nb(*cells, widgets=None):
    nb = new_notebook(cells=list(cells))
    if widgets:
        nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": widgets}}
    return nbformat.from_dict(nb)


def _figure_cell(data):
    return new_code_cell("show_figure(fig, alt=alt)", outputs=[new_output("display_data", data=data)])


def test_alt_text_rule():
    assert alt_text_problems(_nb(new_markdown_cell("# T\n![A cat](cat.png)"), _figure_cell({"text/html": GOOD_IMG}))) == []
    bare = alt_text_problems(_nb(_figure_cell({"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"})))
    assert bare == ["cell 1, output 1: bare image/png (JupyterLab ignores alt metadata): show it with "
                    "plots.show_figure(fig, alt=...)"]
    assert alt_text_problems(_nb(_figure_cell({"text/html": GOOD_IMG.replace('alt="A loss', 'title="A loss')})))
    assert alt_text_problems(_nb(_figure_cell({"text/html": GOOD_IMG.replace("A loss curve falling from 2.3 to 0.4", " ")})))
    assert alt_text_problems(_nb(_figure_cell({"image/jpeg": "/9j/", "text/plain": "x"})))
    assert alt_text_problems(_nb(new_markdown_cell("![](cat.png)"))) == ["cell 1: Markdown image without alt text"]
    assert alt_text_problems(_nb(new_markdown_cell('<img src="cat.png">'))) == ["cell 1: <img> without alt text"]
    widget = {"abc123456": {"state": {"outputs": [{"output_type": "display_data", "data": {"image/png": "x"}}]}}}
    assert len(alt_text_problems(_nb(widgets=widget))) == 1


def test_heading_rule():
    ok = _nb(new_markdown_cell("# Title\n\n## A\n\n### B\n\n```\n# not a heading\n```"), new_markdown_cell("## C"))
    assert heading_problems(ok) == []
    assert heading_problems(_nb(new_markdown_cell("# One"), new_markdown_cell("# Two"))) == [
        "2 H1 headings; a notebook has exactly one (its title)"]
    assert heading_problems(_nb(new_markdown_cell("# T\n## A\n#### B"))) == [
        "an H2 is followed by an H4: a heading level is skipped"]
    assert "the first heading is H2; it must be the H1 title" in heading_problems(_nb(new_markdown_cell("## A\n# T")))
    assert heading_problems(_nb(new_markdown_cell("Title\n=====\n\nPart\n----\n<h4>x</h4>"))) == [
        "an H2 is followed by an H4: a heading level is skipped"]
    assert heading_problems(_nb(new_markdown_cell("no title at all"))) == [
        "0 H1 headings; a notebook has exactly one (its title)"]


def test_colour_map_rule():
    assert colormap_problems(_nb(new_code_cell("ax.imshow(x, cmap='viridis')"))) == []
    for code in ("ax.imshow(x, cmap='jet')", 'plt.scatter(a, b, cmap="rainbow_r")', "c = plt.cm.hsv(0.5)"):
        assert len(colormap_problems(_nb(new_code_cell(code)))) == 1, code


def test_plt_show_rule():
    assert plt_show_problems(_nb(new_code_cell("%matplotlib inline\nshow_figure(fig, alt='a')\nwidget.show = 1"))) == []
    assert plt_show_problems(_nb(new_code_cell("import matplotlib.pyplot as plt\nplt.plot([1])\nplt.show()"))) == [
        "cell 1: plt.show() (use show_figure(fig, alt=...))"]
    assert len(plt_show_problems(_nb(new_code_cell("fig.show()\nmatplotlib.pyplot.show()")))) == 2


def test_error_output_rule():
    failing = new_code_cell("1 / 0", outputs=[new_output("error", ename="ZeroDivisionError", evalue="", traceback=[])])
    assert error_output_problems(_nb(failing)) == [
        "cell 1: stored ZeroDivisionError error (fix it, or tag the cell raises-exception)"]
    failing.metadata["tags"] = ["raises-exception"]
    assert error_output_problems(_nb(failing)) == []


def test_long_cell_rule_counts_code_lines_only():
    short = "\n\n".join(f"x{i} = {i}" for i in range(15)) + "\n### BEGIN HIDDEN TESTS\n" + "y = 1\n" * 20 + \
        "### END HIDDEN TESTS\n"
    assert long_cell_problems(_nb(new_code_cell(short)), "01_x.ipynb") == []
    long = new_code_cell("\n".join(f"x{i} = {i}" for i in range(16)))
    problems = long_cell_problems(_nb(long), "01_x.ipynb")
    assert len(problems) == 1 and "16 lines of code" in problems[0]
    LONG_CELLS_ALLOWED[("01_x.ipynb", long.id)] = "a test of the allow-list"
    try:
        assert long_cell_problems(_nb(long), "01_x.ipynb") == []
    finally:
        del LONG_CELLS_ALLOWED[("01_x.ipynb", long.id)]


def _graded(cell, **meta):
    cell.metadata["nbgrader"] = {"solution": False, "grade": False, "task": False, "locked": False,
                                 "schema_version": 3, **meta}
    return cell


def test_nbgrader_rule_accepts_well_formed_exercises():
    nb = _nb(
        _graded(new_code_cell("def f(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION"),
                solution=True, grade_id="f"),
        _graded(new_code_cell("check_function(f, ref, cases, name='f')\n### BEGIN HIDDEN TESTS\nmore()\n"
                              "### END HIDDEN TESTS"), grade=True, locked=True, grade_id="t_f", points=2),
        _graded(new_markdown_cell("Why?\n\n=== BEGIN MARK SCHEME ===\nBecause.\n=== END MARK SCHEME ==="),
                task=True, grade_id="q1", points=1),
        new_code_cell("plain code"),
    )
    assert nbgrader_problems(nb) == []


@pytest.mark.parametrize("cells, fragment", [
    ([_graded(new_code_cell("x"), solution=True)], "nbgrader cell without a grade_id"),
    ([_graded(new_code_cell("x"), solution=True, grade_id="a", schema_version=2)], "schema_version must be 3"),
    ([_graded(new_code_cell("x"), solution=True, grade_id="a"),
      _graded(new_code_cell("y"), grade=True, grade_id="a", points=1)], "grade_id 'a' already used by cell 1"),
    ([_graded(new_code_cell("check()"), grade=True, grade_id="t")], "graded cell without points > 0"),
    ([_graded(new_markdown_cell("Q"), task=True, grade_id="q", points=0)], "graded cell without points > 0"),
    ([_graded(new_code_cell("Q"), task=True, grade_id="q", points=1)], "a task cell must be a Markdown cell"),
    ([_graded(new_markdown_cell("t"), grade=True, grade_id="t", points=1)], "a test (grade) cell must be a code cell"),
    ([new_markdown_cell("Write your code between ### BEGIN SOLUTION and ### END SOLUTION.")],
     "solution markers in a cell without nbgrader metadata"),
    ([_graded(new_code_cell("### BEGIN HIDDEN TESTS\nx\n### END HIDDEN TESTS"), solution=True, grade_id="s")],
     "hidden markers do not belong in this cell"),
    ([_graded(new_code_cell("### BEGIN SOLUTION\nx = 1"), solution=True, grade_id="s")],
     "BEGIN SOLUTION without END SOLUTION"),
    ([_graded(new_markdown_cell("=== END MARK SCHEME ==="), task=True, grade_id="q", points=1)],
     "END MARK SCHEME without BEGIN MARK SCHEME"),
    ([_graded(new_code_cell("x"), solution="yes", grade_id="s")], "nbgrader solution must be true or false"),
])
def test_nbgrader_rule_catches(cells, fragment):
    problems = nbgrader_problems(_nb(*cells))
    assert any(fragment in p for p in problems), problems


def test_student_edition_holds_no_markers():
    stub = _graded(new_code_cell("def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()"),
                   solution=True, grade_id="f")
    assert nbgrader_problems(_nb(stub), student=True) == []
    leaked = _graded(new_code_cell("### BEGIN SOLUTION\nx\n### END SOLUTION"), solution=True, grade_id="f")
    assert "cell 1: the student edition holds solution markers" in nbgrader_problems(_nb(leaked), student=True)
