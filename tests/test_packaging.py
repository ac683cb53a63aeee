"""The two ways of installing the course (pip with pyproject.toml, conda with environment.yml)
must name the same packages; README's commands must match what CI runs."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# PyPI name -> conda-forge name where the two differ
CONDA_NAMES = {}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~; \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    runtime = {_name(r): r for r in data["project"]["dependencies"]}
    test = {_name(r): r for r in data["project"]["optional-dependencies"]["test"]}
    return data, runtime, test


def _environment_yml():
    """Parse the conda dependencies (a flat list) and the pip section, without a YAML library."""
    conda, pip = {}, []
    in_pip = in_deps = False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        stripped = line.split("#", 1)[0].rstrip()
        if not stripped.strip():
            continue
        if not stripped.startswith(" "):
            in_deps = stripped == "dependencies:"
            continue
        if not in_deps:
            continue
        m = re.match(r"^(\s*)- (.+)$", stripped)
        if not m:
            in_pip = stripped.strip() == "- pip:" or (in_pip and stripped.startswith("      "))
            continue
        indent, item = len(m.group(1)), m.group(2).strip()
        if item == "pip:":
            in_pip = True
            continue
        if in_pip and indent > 2:
            pip.append(item)
            continue
        in_pip = False
        conda[_name(item)] = item
    return conda, pip


def test_environment_yml_names_the_same_packages_as_pyproject():
    _, runtime, test = _pyproject()
    conda, _ = _environment_yml()
    expected = {CONDA_NAMES.get(n, n) for n in {**runtime, **test}}
    listed = set(conda) - {"python", "pip"}
    assert listed == expected, (
        f"only in environment.yml: {sorted(listed - expected)}; "
        f"only in pyproject.toml: {sorted(expected - listed)}"
    )


def test_environment_yml_uses_the_same_lower_bounds():
    _, runtime, test = _pyproject()
    conda, _ = _environment_yml()
    for name, req in {**runtime, **test}.items():
        bound = re.search(r">=\s*([\w.]+)", req)
        if bound:
            assert f">={bound.group(1)}" in conda[CONDA_NAMES.get(name, name)], (name, req)


def test_environment_yml_pins_python_and_installs_the_package_with_pip():
    conda, pip = _environment_yml()
    data, _, _ = _pyproject()
    assert re.fullmatch(r"python=3\.\d+", conda["python"]), conda["python"]
    minor = conda["python"].split("=")[1]
    assert data["project"]["requires-python"] == ">=3.11" and minor >= "3.11"
    assert "-e ." in pip
    text = (ROOT / "environment.yml").read_text()
    assert "conda-forge" in text and "defaults" not in text


def test_readme_test_command_is_what_ci_runs():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    m = re.search(r"<!-- test-command -->\s*```(?:bash|sh)?\n(.+?)\n```", readme, re.S)
    assert m, "README.md must hold the test command in a code block after <!-- test-command -->"
    command = m.group(1).strip()
    assert command in ci, f"README's test command {command!r} is not run by .ci/run"
