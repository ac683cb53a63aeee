"""The headless runner for instructors (course_lib.run_notebooks)."""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from course_lib import run_notebooks as rn


def _write(path, *sources, tags=None):
    nb = new_notebook(cells=[new_code_cell(s) for s in sources])
    if tags:
        nb.cells[0].metadata["tags"] = tags
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def test_course_notebooks_are_found_in_order():
    names = [p.name for p in rn.course_notebooks()]
    assert names[0] == "01_pixels.ipynb"
    assert names == sorted(names)


def test_run_ok_and_failure_and_exit_code(tmp_path, capsys):
    good = _write(tmp_path / "01_good.ipynb", "import os\nprint(os.environ['PYTHONHASHSEED'], os.environ['COURSE_DATASET'])")
    bad = _write(tmp_path / "02_bad.ipynb", "raise ValueError('boom')")
    before = good.read_text()
    assert rn.main([str(good), str(bad), "--dataset", "mnist"]) == 1
    out = capsys.readouterr().out
    assert "01_good.ipynb  ok" in out and "02_bad.ipynb   FAILED" in out and "boom" in out
    assert good.read_text() == before  # never overwritten without --inplace
    result = rn.run_notebook(good, dataset="cifar10")
    assert result.ok and result.notebook.cells[0].outputs[0]["text"] == "0 cifar10\n"


def test_inplace_writes_outputs(tmp_path):
    nb = _write(tmp_path / "01_x.ipynb", "print(6 * 7)")
    assert rn.main([str(nb), "--inplace"]) == 0
    stored = nbformat.read(nb, as_version=4)
    assert stored.cells[0].outputs[0]["text"] == "42\n"
    assert stored.cells[0].execution_count == 1


def test_determinism_check_catches_unseeded_randomness(tmp_path, capsys):
    seeded = _write(tmp_path / "01_seeded.ipynb", "import numpy as np\nprint(np.random.default_rng(0).random())")
    unseeded = _write(tmp_path / "02_unseeded.ipynb", "import numpy as np\nprint(np.random.random())")
    assert rn.main([str(seeded), "--check-determinism"]) == 0
    assert rn.main([str(unseeded), "--check-determinism"]) == 1
    assert "NONDETERMINISTIC" in capsys.readouterr().out


def test_restart_twice_catches_hidden_state(tmp_path, capsys):
    hidden = _write(tmp_path / "01_hidden.ipynb", "try:\n    counter += 1\nexcept NameError:\n    counter = 0\nassert counter == 0")
    assert rn.main([str(hidden), "--restart-twice"]) == 1
    assert "FAILS ON RERUN" in capsys.readouterr().out


def test_comparable_outputs_skip_ignored_cells_and_images():
    nb = new_notebook(cells=[new_code_cell("a"), new_code_cell("b")])
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="t0")]
    nb.cells[0].metadata["tags"] = ["nbval-ignore-output"]
    nb.cells[1].outputs = [
        nbformat.v4.new_output("display_data", data={"image/png": "xx", "text/plain": "<Figure>"}),
        nbformat.v4.new_output("stream", name="stdout", text="kept"),
    ]
    assert rn.comparable_outputs(nb) == [[], ["text/plain:<Figure>", "stdout:kept"]]


def test_cli_rejects_missing_notebook(tmp_path):
    with pytest.raises(SystemExit):
        rn.main([str(tmp_path / "nope.ipynb")])


def test_course_notebooks_takes_str_or_path_and_names_folder_otherwise(tmp_path):
    for name in ("02_b.ipynb", "01_a.ipynb", "notes.ipynb", "1_x.ipynb"):
        (tmp_path / name).write_text("{}")
    expected = [tmp_path / "01_a.ipynb", tmp_path / "02_b.ipynb"]
    assert rn.course_notebooks(tmp_path) == expected
    assert rn.course_notebooks(str(tmp_path)) == expected
    with pytest.raises(TypeError, match="^folder must be a path"):
        rn.course_notebooks(3)


def test_comparable_outputs_names_nb_for_a_non_notebook():
    with pytest.raises(TypeError, match="^nb must be a notebook"):
        rn.comparable_outputs({"cells": []})  # a plain dict: cells would lack attribute access
