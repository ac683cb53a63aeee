"""Build the student edition, student/NN_topic.ipynb, from notebooks/NN_topic.ipynb with nbgrader.

    python tools/student_edition.py            # (re)write student/
    python tools/student_edition.py --check    # exit 1, listing the stale files, if student/ is not up to date

nbgrader's generate_assignment runs in a temporary course folder made by ``tools/grade.py init``
(one assignment per notebook, named by its stem) with that folder's nbgrader_config.py: solution
regions become ``raise NotImplementedError()``, hidden tests and mark schemes are removed, the
outputs of exercise and check cells are cleared and every other output (figures, stored widget
state) is kept. Each student notebook records in its metadata (``student_edition``) that it is
generated; student/README.md says so too. The same notebooks give byte-identical files on every
run. Needs the ``instructor`` extra (nbgrader).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tools/ is not a package: grade.py sits next to this file
import grade  # noqa: E402

ROOT = grade.ROOT
STUDENT_DIR = ROOT / "student"
COMMAND = "python tools/student_edition.py"
NOTE_KEY = "student_edition"
README = f"""\
# Student edition

The course's notebooks with the exercises left for you: each exercise's function body is
`raise NotImplementedError()`, and the hidden tests and model answers are gone. Open one with
`jupyter lab student/01_pixels.ipynb`, write the function, and run the check cell below it until
it passes. Write the answers to the questions in the "Your answer" cell under each question.

These files are generated from `notebooks/` by `{COMMAND}`; never edit them by hand in the
repository (CI runs `{COMMAND} --check` and fails when they are stale).
"""


class BuildError(Exception):
    """nbgrader could not build the student edition (its log is in the message)."""


def _has_exercises(nb) -> bool:
    return any(cell.get("metadata", {}).get("nbgrader") for cell in nb.cells)


def nbgrader_command(course_dir, *args: str) -> subprocess.CompletedProcess:
    """Run ``nbgrader ARGS`` in ``course_dir`` with only that folder's nbgrader_config.py.

    JUPYTER_NO_CONFIG hides the user's and the system's Jupyter config, so the result does not
    depend on the machine; this interpreter's bin/ is put first on PATH (``nbgrader db`` runs
    alembic from there).
    """
    env = dict(os.environ, JUPYTER_NO_CONFIG="1")
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course_dir, env=env,
                          capture_output=True, text=True, encoding="utf-8")


def _errors(log: str) -> str:
    """The lines of an nbgrader log that say what went wrong, with the cell it shows (not its traceback)."""
    kept, cell_lines = [], 0
    for line in log.splitlines():
        if cell_lines and line.startswith("    ") and not line.lstrip().startswith('File "'):
            kept.append(line.rstrip())
            cell_lines -= 1
            continue
        cell_lines = 0
        if line.rstrip().endswith("(most recent call last):"):
            continue
        if "| ERROR]" in line or "| WARNING]" in line or re.match(r"\s*\w+(Error|Exception): ", line):
            kept.append(line.strip())
            cell_lines = 8 if "Cell contents are:" in line else 0
    return "\n".join(kept) if kept else log.strip()[-3000:]


def build(notebooks) -> dict[str, bytes]:
    """The student edition of ``notebooks``: {file name: content}, README.md included.

    Raises BuildError when nbgrader fails (malformed markers or metadata) or a cell has no id
    (nbformat would give it a random one, and the output would change from run to run).
    """
    notebooks = [Path(p) for p in notebooks]
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        if any("id" not in cell for cell in nb.cells):
            raise BuildError(f"{path}: cells without an id (nbformat would invent random ones); "
                             "save it once with JupyterLab or tools/run_notebooks.py --inplace")
    files = {}
    with tempfile.TemporaryDirectory(prefix="student-edition-") as tmp:
        course = Path(tmp) / "course"
        grade.init_course(course, notebooks)
        result = nbgrader_command(course, "generate_assignment", "*", "--force")
        missing = [p.name for p in notebooks if not (course / "release" / p.stem / p.name).is_file()]
        if result.returncode != 0 or missing:
            raise BuildError(f"nbgrader generate_assignment failed for {', '.join(missing) or 'the notebooks'}:\n"
                             f"{_errors(result.stderr)}")
        for path in notebooks:
            nb = nbformat.read(course / "release" / path.stem / path.name, as_version=4)
            nb.metadata[NOTE_KEY] = (f"Generated from {path.parent.name}/{path.name} by `{COMMAND}`; "
                                     "edit the instructor edition and regenerate, never this file.")
            text = nbformat.writes(nb)
            files[path.name] = (text if text.endswith("\n") else text + "\n").encode("utf-8")
    files["README.md"] = README.encode("utf-8")
    return files


def stale_files(files: dict[str, bytes], out_dir) -> list[str]:
    """What in ``out_dir`` differs from ``files``: "NAME: differs", "NAME: missing", "NAME: not generated".

    Hidden files and folders (.ipynb_checkpoints) are ignored.
    """
    out_dir = Path(out_dir)
    present = {p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*") if p.is_file()
               and not any(part.startswith(".") for part in p.relative_to(out_dir).parts)} if out_dir.is_dir() else set()
    stale = [f"{name}: missing" if name not in present else f"{name}: differs"
             for name, data in sorted(files.items())
             if name not in present or (out_dir / name).read_bytes() != data]
    return stale + [f"{name}: not generated" for name in sorted(present - set(files))]


def write(files: dict[str, bytes], out_dir) -> list[str]:
    """Write ``files`` into ``out_dir``; remove older generated notebooks no longer built.

    Returns what changed. Other files left in ``out_dir`` are reported, never deleted.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    changes = []
    for entry in stale_files(files, out_dir):
        name, state = entry.rsplit(": ", 1)
        path = out_dir / name
        if state != "not generated":
            path.write_bytes(files[name])
            changes.append(f"{name}: written")
        elif path.suffix == ".ipynb" and NOTE_KEY in nbformat.read(path, as_version=4).metadata:
            path.unlink()
            changes.append(f"{name}: removed (its instructor notebook is gone)")
        else:
            changes.append(f"{name}: not generated, left in place (remove it by hand)")
    return changes


def _parse(argv):
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 listing the stale files if the output folder is not up to date")
    parser.add_argument("--notebooks-dir", type=Path, default=grade.NOTEBOOK_DIR,
                        help="the instructor edition (default: notebooks/)")
    parser.add_argument("--output-dir", type=Path, default=STUDENT_DIR, help="the student edition (default: student/)")
    args = parser.parse_args(argv)
    args.notebooks = grade.course_notebooks(args.notebooks_dir)
    if not args.notebooks:
        parser.error(f"no NN_topic.ipynb notebooks in {args.notebooks_dir}")
    if args.output_dir.resolve() == args.notebooks_dir.resolve():
        parser.error("--output-dir must not be the folder of the instructor edition")
    return args


def main(argv=None) -> int:
    args = _parse(argv)
    try:
        files = build(args.notebooks)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in args.notebooks:
        if not _has_exercises(nbformat.read(path, as_version=4)):
            print(f"note: {path.name} has no nbgrader cells (no exercise): its student edition is a copy")
    if args.check:
        stale = stale_files(files, args.output_dir)
        for entry in stale:
            print(f"stale: {args.output_dir / entry}")
        print(f"{args.output_dir} is stale: run `{COMMAND}` and commit the result" if stale
              else f"{args.output_dir} is up to date ({len(files)} files)")
        return 1 if stale else 0
    changes = write(files, args.output_dir)
    for change in changes:
        print(f"{args.output_dir / change}")
    print(f"{args.output_dir}: {len(files)} files, {len(changes)} changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
