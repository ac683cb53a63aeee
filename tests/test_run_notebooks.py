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


def test_an_unreadable_notebook_is_a_failed_row_and_the_run_goes_on(tmp_path, capsys):
    broken = tmp_path / "01_broken.ipynb"
    broken.write_text("this is not JSON")
    good = _write(tmp_path / "02_good.ipynb", "print('still runs')")
    out_dir = tmp_path / "out"
    assert rn.main([str(broken), str(good), "--output-dir", str(out_dir)]) == 1
    out = capsys.readouterr().out
    assert "01_broken.ipynb  FAILED" in out and "not a readable notebook: NotJSONError" in out
    assert "02_good.ipynb    ok" in out
    assert [p.name for p in out_dir.iterdir()] == ["02_good.ipynb"]
    result = rn.run_notebook(broken)
    assert not result.ok and result.notebook is None and result.error.startswith("not a readable notebook")


@pytest.mark.parametrize("argv, message", [
    (["--timeout", "0"], "--timeout: expected an integer >= 1, got 0"),
    (["--timeout", "-5"], "--timeout: expected an integer >= 1, got -5"),
    (["--output-dir", "{file}"], "--output-dir must be a folder (it is created if missing), but {file} is a file"),
    (["--output-dir", "{file}/sub"], "but {file} is a file"),
])
def test_cli_rejects_bad_options_before_running(tmp_path, capsys, argv, message):
    nb = _write(tmp_path / "01_x.ipynb", "raise SystemExit('must not run')")
    a_file = tmp_path / "results.txt"
    a_file.write_text("")
    argv = [a.format(file=a_file) for a in argv]
    with pytest.raises(SystemExit) as info:
        rn.main([str(nb)] + argv)
    assert info.value.code == 2
    assert message.format(file=a_file) in capsys.readouterr().err


def test_bad_course_dataset_is_an_argument_error_not_a_traceback(tmp_path, monkeypatch, capsys):
    nb = _write(tmp_path / "01_x.ipynb", "print(1)")
    monkeypatch.setenv("COURSE_DATASET", "cifar-10")
    with pytest.raises(SystemExit) as exit_info:
        rn.main([str(nb)])
    assert exit_info.value.code == 2
    assert "COURSE_DATASET must be one of ('mnist', 'cifar10'), got 'cifar-10'" in capsys.readouterr().err


def test_long_errors_are_cut_in_the_table_and_printed_whole_below(tmp_path, capsys):
    message = "x" * 150 + " THE FIX IS AT THE END"
    nb = _write(tmp_path / "01_long.ipynb", f"raise ValueError({message!r})")
    assert rn.main([str(nb), "--dataset", "mnist"]) == 1
    out = capsys.readouterr().out
    table_row = next(line for line in out.splitlines() if line.startswith("01_long.ipynb"))
    assert "THE FIX" not in table_row and table_row.endswith("…")
    assert f"ValueError: {message}" in out
    assert "\x1b[" not in out  # no colour codes from the kernel's traceback


def test_comparable_outputs_join_chunks_of_one_stream():
    nb = new_notebook(cells=[new_code_cell("a")])
    nb.cells[0].outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="before\n"),
        nbformat.v4.new_output("stream", name="stdout", text="after\n"),
        nbformat.v4.new_output("stream", name="stderr", text="warn\n"),
    ]
    assert rn.comparable_outputs(nb) == [["stdout:before\nafter\n", "stderr:warn\n"]]


def test_a_cell_timeout_is_named_in_the_notes(tmp_path, capsys):
    nb = _write(tmp_path / "01_slow.ipynb", "import time\ntime.sleep(5)")
    assert rn.main([str(nb), "--dataset", "mnist", "--timeout", "1"]) == 1
    out = capsys.readouterr().out
    assert "CellTimeoutError: a cell ran longer than the 1 s allowed (--timeout)" in out
