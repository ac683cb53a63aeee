"""tools/run_notebooks.py, the instructors' headless runner, on tiny synthetic notebooks."""

import importlib.util
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parents[1]


def _load_runner():
    spec = importlib.util.spec_from_file_location("run_notebooks", ROOT / "tools" / "run_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["run_notebooks"] = module
    spec.loader.exec_module(module)
    return module


rn = _load_runner()


def _write(path, *sources, tags=None, metadata=None):
    nb = new_notebook(cells=[new_markdown_cell("# Test"), *[new_code_cell(s) for s in sources]])
    if tags:
        nb.cells[1].metadata["tags"] = tags
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata.update(metadata or {})
    nbformat.write(nb, path)
    return path


def _row(out: str, name: str) -> list[str]:
    line = next(line for line in out.splitlines() if line.startswith(name + " "))
    return line.split()


def test_course_notebooks_in_order_from_str_or_path(tmp_path):
    for name in ("02_b.ipynb", "01_a.ipynb", "notes.ipynb", "1_x.ipynb"):
        (tmp_path / name).write_text("{}")
    expected = [tmp_path / "01_a.ipynb", tmp_path / "02_b.ipynb"]
    assert rn.course_notebooks(tmp_path) == expected
    assert rn.course_notebooks(str(tmp_path)) == expected
    with pytest.raises(TypeError, match="^folder must be a path"):
        rn.course_notebooks(3)


def test_table_says_what_ran_kernel_chatter_stays_out_and_failures_fail(tmp_path, capfd, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")  # would make figures vanish from stored outputs
    good = _write(tmp_path / "01_good.ipynb",
                  "import os\nprint(os.environ['PYTHONHASHSEED'], os.environ['COURSE_DATASET'], "
                  "os.environ.get('MPLBACKEND'))")
    bad = _write(tmp_path / "02_bad.ipynb", "raise ValueError('boom')")
    before = good.read_text()
    assert rn.main([str(good), str(bad), "--dataset", "mnist"]) == 1
    out, err = capfd.readouterr()
    assert out.startswith("dataset: mnist; checks: run\n")
    assert re.search(r"^notebook\s+run\s+deterministic\s+rerun\s+seconds\s+peak MB\s+notes$", out, re.M)
    good_row, bad_row = _row(out, "01_good.ipynb"), _row(out, "02_bad.ipynb")
    assert good_row[1:4] == ["ok", "-", "-"] and float(good_row[4]) > 0 and float(good_row[5]) > 10
    assert bad_row[1:4] == ["FAILED", "skipped", "skipped"] and "ValueError: boom" in out
    assert "1 of 2 notebooks passed every check (run)" in out
    for chatter in ("IPKernelApp", "without encryption", "WARNING"):  # the kernel's start-up warning
        assert chatter not in out and chatter not in err.replace("kernel log", "")
    assert good.read_text() == before  # never overwritten without --inplace
    result = rn.run_notebook(good, dataset="cifar10")
    assert result.ok
    assert result.notebook.cells[1].outputs[0]["text"] == "0 cifar10 module://matplotlib_inline.backend_inline\n"
    assert result.peak_mb > 10


def test_inplace_stores_outputs_and_finished_widget_state(tmp_path):
    nb = _write(tmp_path / "01_x.ipynb", "print(6 * 7)",
                "from tqdm.auto import tqdm\nfor _ in tqdm(range(3)):\n    pass",
                metadata={"widgets": {"application/vnd.jupyter.widget-state+json": {"state": {"old": {}}}}})
    assert rn.main([str(nb), "--inplace"]) == 0
    stored = nbformat.read(nb, as_version=4)
    assert stored.cells[1].outputs[0]["text"] == "42\n" and stored.cells[1].execution_count == 1
    state = stored.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    assert "old" not in state  # the older run's state is replaced, not merged
    bars = [m["state"] for m in state.values() if m["model_name"] in ("FloatProgressModel", "IntProgressModel")]
    assert len(bars) == 1
    assert bars[0]["value"] == bars[0]["max"] == 3 and bars[0]["bar_style"] == "success"
    view = stored.cells[2].outputs[0]["data"]["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] in state
    assert stored.cells[2].outputs[0]["data"]["text/plain"] == "100%|██████████| 3/3"  # finished, not 0 %
    assert all("execution" not in c.metadata for c in stored.cells)


def test_inplace_without_widgets_drops_stale_widget_state(tmp_path):
    nb = _write(tmp_path / "01_x.ipynb", "1 + 1",
                metadata={"widgets": {"application/vnd.jupyter.widget-state+json": {"state": {"old": {}}}}})
    assert rn.main([str(nb), "--inplace"]) == 0
    assert "widgets" not in nbformat.read(nb, as_version=4).metadata


def test_determinism_check_passes_stable_outputs_sanitizes_figures_and_catches_randomness(tmp_path, capfd):
    figure = ("import base64, os\nfrom IPython.display import display\n"
              "png = base64.b64encode(os.urandom(30)).decode()\n"
              "display({'text/html': f'<img src=\"data:image/png;base64,{png}\" alt=\"a chart\">', "
              "'text/plain': 'a chart'}, raw=True)")
    seeded = _write(tmp_path / "01_seeded.ipynb", "import numpy as np\nprint(np.random.default_rng(0).random())",
                    figure)
    unseeded = _write(tmp_path / "02_unseeded.ipynb", "import numpy as np\nprint(np.random.random())")
    assert rn.main([str(seeded), "--check-determinism"]) == 0
    assert _row(capfd.readouterr().out, "01_seeded.ipynb")[1:4] == ["ok", "ok", "-"]
    assert rn.main([str(unseeded), "--check-determinism"]) == 1
    out = capfd.readouterr().out
    assert _row(out, "02_unseeded.ipynb")[1:4] == ["ok", "DIFFERS", "-"]
    assert "second run: code cell 1 differs between runs" in out


def test_restart_twice_catches_hidden_state(tmp_path, capfd):
    hidden = _write(tmp_path / "01_hidden.ipynb",
                    "try:\n    counter += 1\nexcept NameError:\n    counter = 0\nassert counter == 0, 'ran twice'")
    assert rn.main([str(hidden), "--restart-twice"]) == 1
    out = capfd.readouterr().out
    assert _row(out, "01_hidden.ipynb")[1:4] == ["ok", "-", "FAILED"]
    assert "second pass in one kernel: AssertionError: ran twice" in out


def test_comparable_outputs_keep_what_nbval_compares():
    nb = new_notebook(cells=[new_code_cell("a"), new_markdown_cell("m"), new_code_cell("b")])
    nb.cells[0].outputs = [new_output("stream", name="stdout", text="t0")]
    nb.cells[0].metadata["tags"] = ["nbval-ignore-output"]
    nb.cells[2].outputs = [
        new_output("display_data", data={"image/png": "xx", "text/plain": "<Figure>"}),
        new_output("stream", name="stdout", text="before\n"),
        new_output("stream", name="stdout", text="after\n"),
        new_output("stream", name="stderr", text="warn\n"),
        new_output("display_data", data={"text/plain": "HBox()",
                                         "application/vnd.jupyter.widget-view+json": {"model_id": "m"}}),
        new_output("display_data", data={"text/html": '<img src="data:image/png;base64,AbC+/=" alt="x">'}),
        new_output("error", ename="ValueError", evalue="bad", traceback=[]),
    ]
    patterns = [(r"data:image/png;base64,[A-Za-z0-9+/=]+", "data:image/png;base64,PNG")]
    assert rn.comparable_outputs(nb, patterns) == [[], [
        "text/plain:<Figure>", "stdout:before\nafter\n", "stderr:warn\n",
        'text/html:<img src="data:image/png;base64,PNG" alt="x">', "error:ValueError:bad"]]
    with pytest.raises(TypeError, match="^nb must be a notebook"):
        rn.comparable_outputs({"cells": []})


def test_the_repository_sanitizer_is_read_alike_by_nbval_and_replaces_figure_bytes(tmp_path):
    from nbval.plugin import get_sanitize_patterns

    pairs = rn.sanitize_patterns()
    assert pairs == get_sanitize_patterns(rn.SANITIZE_FILE.read_text()) and len(pairs) == 1
    regex, replacement = pairs[0]
    a = '<img src="data:image/png;base64,iVBORw0KGgo+/AAA=" alt="loss curve" width="700" height="400">'
    b = '<img src="data:image/png;base64,iVBORw0KGgoZZZZ==" alt="loss curve" width="700" height="400">'
    assert re.sub(regex, replacement, a) == re.sub(regex, replacement, b) != a
    c = b.replace("loss curve", "accuracy curve")
    assert re.sub(regex, replacement, b) != re.sub(regex, replacement, c)  # the alt text is compared
    assert rn.sanitize_patterns(tmp_path / "absent.cfg") == []


def test_an_unreadable_notebook_is_a_failed_row_and_the_run_goes_on(tmp_path, capfd):
    broken = tmp_path / "01_broken.ipynb"
    broken.write_text("this is not JSON")
    good = _write(tmp_path / "02_good.ipynb", "print('still runs')")
    out_dir = tmp_path / "out"
    assert rn.main([str(broken), str(good), "--output-dir", str(out_dir)]) == 1
    out = capfd.readouterr().out
    assert _row(out, "01_broken.ipynb")[1] == "FAILED" and "not a readable notebook: NotJSONError" in out
    assert _row(out, "02_good.ipynb")[1] == "ok"
    assert [p.name for p in out_dir.iterdir()] == ["02_good.ipynb"]


@pytest.mark.parametrize("argv, message", [
    (["--timeout", "0"], "--timeout: expected an integer >= 1, got 0"),
    (["--timeout", "x"], "--timeout: expected an integer >= 1, got x"),
    (["--output-dir", "{file}"], "--output-dir must be a folder (it is created if missing), but {file} is a file"),
    (["--output-dir", "{file}/sub"], "but {file} is a file"),
    (["--dataset", "cifar-10"], "argument --dataset: invalid choice: 'cifar-10'"),
    (["--inplace", "--dataset", "mnist"], "--inplace stores reference outputs"),
    (["{missing}"], "notebook not found"),
])
def test_cli_rejects_bad_options_before_running(tmp_path, capsys, argv, message):
    nb = _write(tmp_path / "01_x.ipynb", "raise SystemExit('must not run')")
    a_file = tmp_path / "results.txt"
    a_file.write_text("")
    argv = [a.format(file=a_file, missing=tmp_path / "nope.ipynb") for a in argv]
    with pytest.raises(SystemExit) as info:
        rn.main([str(nb)] + argv)
    assert info.value.code == 2
    assert message.format(file=a_file) in capsys.readouterr().err


def test_bad_course_dataset_is_an_argument_error_not_a_traceback(tmp_path, monkeypatch, capsys):
    nb = _write(tmp_path / "01_x.ipynb", "print(1)")
    monkeypatch.setenv("COURSE_DATASET", "cifar-10")
    with pytest.raises(SystemExit) as info:
        rn.main([str(nb)])
    assert info.value.code == 2
    assert "COURSE_DATASET must be one of" in capsys.readouterr().err


def test_long_errors_are_cut_in_the_table_and_printed_whole_below(tmp_path, capfd):
    message = "x" * 150 + " THE FIX IS AT THE END"
    nb = _write(tmp_path / "01_long.ipynb", f"raise ValueError({message!r})")
    assert rn.main([str(nb), "--dataset", "mnist"]) == 1
    out = capfd.readouterr().out
    table_row = next(line for line in out.splitlines() if line.startswith("01_long.ipynb"))
    assert "THE FIX" not in table_row and table_row.endswith("…")
    assert f"ValueError: {message}" in out
    assert "\x1b[" not in out  # no colour codes from the kernel's traceback


def test_a_cell_timeout_is_named_in_the_notes(tmp_path, capfd):
    nb = _write(tmp_path / "01_slow.ipynb", "import time\ntime.sleep(5)")
    assert rn.main([str(nb), "--dataset", "mnist", "--timeout", "1"]) == 1
    assert "CellTimeoutError: a cell ran longer than the 1 s allowed (--timeout)" in capfd.readouterr().out


def test_a_dead_kernel_shows_its_own_output_below_the_table_without_the_chatter(tmp_path, capfd):
    nb = _write(tmp_path / "01_dies.ipynb", "import os\nos.write(2, b'native crash message\\n')\nos._exit(3)")
    assert rn.main([str(nb), "--dataset", "mnist"]) == 1
    out = capfd.readouterr().out
    assert _row(out, "01_dies.ipynb")[1] == "FAILED" and "DeadKernelError" in out
    assert "kernel log:\nnative crash message" in out
    assert "without encryption" not in out
