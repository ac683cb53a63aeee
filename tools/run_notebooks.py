"""Run the course notebooks headlessly, each in a fresh kernel, and print what was checked.

Usage (from the repository root; needs the ``instructor`` extra: nbclient, nbformat, psutil)::

    python tools/run_notebooks.py                          # every notebooks/NN_*.ipynb, default dataset
    python tools/run_notebooks.py --dataset cifar10        # the whole series on another dataset
    python tools/run_notebooks.py notebooks/02_knn.ipynb --inplace   # refresh the stored outputs
    python tools/run_notebooks.py --check-determinism --restart-twice

One table row per notebook: ``run`` (all cells ran without an error), ``deterministic`` (a second
run in a fresh kernel gives the same outputs as nbval compares them, after the same sanitizing as
tests/nbval_sanitize.cfg), ``rerun`` (all cells run twice in one kernel, as "Run All" twice would),
each ``ok``, a failure word, or ``-`` when not asked for; then the wall time and the kernel's peak
resident memory. Exit status 1 if any check failed. What the kernel process prints on its own
stderr (start-up warnings) goes to a log, shown only below the table for a failed notebook.

The committed notebooks change only with ``--inplace`` (default dataset only); it stores the
widget state with the notebook, so widgets (and progress bars, in their finished state) render
before the kernel runs in a trusted notebook. Kernels get ``PYTHONHASHSEED=0`` and the chosen
``COURSE_DATASET``; ``MPLBACKEND`` is removed so figures are stored as in JupyterLab.
"""

from __future__ import annotations

import argparse
import inspect
import io
import logging
import os
import re
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty

import nbformat
import psutil
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

from course_lib import config

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
SANITIZE_FILE = ROOT / "tests" / "nbval_sanitize.cfg"
IGNORE_TAGS = {"nbval-ignore-output", "nbval-skip"}
NOTES_WIDTH = 100  # characters of an error shown in the table; the whole text follows it
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")  # colour codes in kernel tracebacks
_CHATTER = re.compile(r"running over TCP without encryption")  # printed by every kernel start


@dataclass
class RunResult:
    """The outcome of one notebook run."""

    path: Path
    ok: bool
    seconds: float
    peak_mb: float | None = None
    error: str = ""
    notebook: nbformat.NotebookNode | None = field(default=None, repr=False)
    kernel_log: str = field(default="", repr=False)
    kernel_failed: bool = False  # the kernel died or did not start (not a cell's error)


def course_notebooks(folder=NOTEBOOK_DIR) -> list[Path]:
    """The notebooks ``NN_topic.ipynb`` in ``folder`` (str or Path), sorted by name (course order)."""
    if isinstance(folder, bytes) or not isinstance(folder, (str, os.PathLike)):
        raise TypeError(f"folder must be a path (str or pathlib.Path), got {type(folder).__name__}")
    return sorted(Path(folder).glob("[0-9][0-9]_*.ipynb"))


def kernel_environment(dataset: str | None) -> dict[str, str]:
    """This process's environment with PYTHONHASHSEED=0, no MPLBACKEND, and COURSE_DATASET if given."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    env.pop("MPLBACKEND", None)
    if dataset is not None:
        env["COURSE_DATASET"] = dataset
    return env


def sanitize_patterns(path=SANITIZE_FILE) -> list[tuple[str, str]]:
    """The (regex, replacement) pairs of an nbval sanitize file (none if the file is absent)."""
    path = Path(path)
    if not path.is_file():
        return []
    return re.findall(r"^regex: (.*)$\n^replace: (.*)$", path.read_text(encoding="utf-8"), flags=re.MULTILINE)


class _PeakMemory:
    """Poll the resident memory of the kernel's process tree in a thread (psutil)."""

    def __init__(self, client):
        self.client, self.peak = client, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=2)

    def _run(self):
        while not self._stop.is_set():
            process = getattr(getattr(getattr(self.client, "km", None), "provisioner", None), "process", None)
            if process is not None:
                try:
                    kernel = psutil.Process(process.pid)
                    rss = sum(p.memory_info().rss for p in [kernel, *kernel.children(recursive=True)])
                    self.peak = max(self.peak, rss)
                except (psutil.Error, OSError):
                    pass
            self._stop.wait(0.05)


def _sliced_get_msg(get_msg):
    """Wrap a shell channel's ``get_msg`` so it waits in slices of at most one second.

    One long wait can block for its whole timeout although the reply has arrived, after cells
    that open widgets (jupyter/nbclient#312); short slices, as the proposed fix
    jupyter/nbclient#311 does, return as soon as the reply is there.
    """
    async def sliced(timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            remaining = 1.0 if deadline is None else min(1.0, max(0.0, deadline - time.monotonic()))
            try:
                msg = get_msg(timeout=remaining)
                return await msg if inspect.isawaitable(msg) else msg
            except Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise

    return sliced


class CourseNotebookClient(NotebookClient):
    """nbclient's client with the sliced wait for shell replies (see ``_sliced_get_msg``)."""

    async def _async_poll_for_reply(self, msg_id, cell, timeout, *args, **kwargs):
        channel = self.kc.shell_channel
        if not getattr(channel, "_course_sliced", False):
            channel.get_msg = _sliced_get_msg(channel.get_msg)
            channel._course_sliced = True
        return await super()._async_poll_for_reply(msg_id, cell, timeout, *args, **kwargs)


def _last_line(text: str) -> str:
    """The last line of an error text that says something (tracebacks end with the error)."""
    lines = [line for line in _ANSI.sub("", text).splitlines() if line.strip(" -=")]
    return lines[-1].strip() if lines else text.strip()


def run_notebook(path, *, dataset: str | None = None, timeout: int = 600, runs_in_one_kernel: int = 1) -> RunResult:
    """Execute one notebook top to bottom in a fresh kernel.

    dataset: COURSE_DATASET for the kernel (default: this environment's). timeout: seconds per cell.
    runs_in_one_kernel: run all cells this many times in the same kernel (2 finds hidden state).
    Returns a RunResult; ``ok`` False with the error's last line when a cell raised or timed out, or
    when the file is not a readable notebook (then ``notebook`` is None). The kernel's stderr is in
    ``kernel_log``. Raises FileNotFoundError for a missing file.
    """
    path = Path(path)
    start = time.perf_counter()
    try:
        nb = nbformat.read(path, as_version=4)
    except FileNotFoundError:
        raise
    except Exception as exc:  # not JSON, not a notebook: a failed row, not a crash
        error = " ".join(f"not a readable notebook: {type(exc).__name__}: {exc}".split())[:300]
        return RunResult(path, False, time.perf_counter() - start, error=error)
    nb.metadata.pop("widgets", None)  # the state of an older run; this run stores its own
    logger = logging.getLogger(f"run_notebooks.{path.stem}")
    logger.propagate = False
    client = CourseNotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                                  coalesce_streams=True, store_widget_state=True, log=logger,
                                  resources={"metadata": {"path": str(path.parent)}})
    messages = io.StringIO()  # nbclient's own warnings
    handler = logging.StreamHandler(messages)
    logger.addHandler(handler)
    with tempfile.TemporaryFile() as kernel_output:  # the kernel process's stdout and stderr
        launch = dict(env=kernel_environment(dataset), stdout=kernel_output, stderr=kernel_output)
        ok, error, kernel_failed = True, "", False
        try:
            with _PeakMemory(client) as memory:
                if runs_in_one_kernel == 1:
                    client.execute(**launch)
                else:
                    with client.setup_kernel(**launch):
                        for _ in range(runs_in_one_kernel):
                            for index, cell in enumerate(nb.cells):
                                client.execute_cell(cell, index)
        except CellTimeoutError:
            ok, error = False, f"CellTimeoutError: a cell ran longer than the {timeout} s allowed (--timeout)"
        except CellExecutionError as exc:
            ok, error = False, _last_line(str(exc))
        except Exception as exc:  # the kernel died, could not start, …
            ok, error, kernel_failed = False, _last_line(f"{type(exc).__name__}: {exc}"), True
        finally:
            logger.removeHandler(handler)
        kernel_output.seek(0)
        log_text = kernel_output.read().decode("utf-8", errors="replace") + messages.getvalue()
    for cell in nb.cells:  # per-cell timestamps of older runs
        cell.get("metadata", {}).pop("execution", None)
    _store_finished_progress_bars(nb)
    peak = memory.peak / 2**20 if memory.peak else None
    return RunResult(path, ok, time.perf_counter() - start, peak, error, nb, log_text, kernel_failed)


def _store_finished_progress_bars(nb) -> None:
    """Give each tqdm bar's stored text (shown where widgets do not render) its final state.

    A tqdm.notebook bar is an HBox of (HTML label, FloatProgress, HTML counts); its text/plain is
    taken when the bar appears, at 0 %. nbval and comparable_outputs skip widget views, so only
    what a reader of the untrusted or exported notebook sees changes.
    """
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get("application/vnd.jupyter.widget-view+json")
            box = state.get(view["model_id"], {}) if view else {}
            children = [state.get(str(c).replace("IPY_MODEL_", ""), {}) for c in box.get("state", {}).get("children", [])]
            if box.get("model_name") != "HBoxModel" or [c.get("model_name") for c in children] != \
                    ["HTMLModel", "FloatProgressModel", "HTMLModel"]:
                continue
            label = re.sub(r"\s*\d+%$", "", children[0]["state"].get("value", ""))  # "folds: 100%" -> "folds:"
            value, total = children[1]["state"].get("value", 0), children[1]["state"].get("max", 1) or 1
            filled = round(10 * value / total)
            out["data"]["text/plain"] = (f"{label + ' ' if label else ''}{100 * value / total:3.0f}%|{'█' * filled}{' ' * (10 - filled)}| "
                                         f"{value:g}/{total:g}")


def comparable_outputs(nb, patterns=()) -> list[list[str]]:
    """The outputs nbval compares, one list of strings per code cell, after applying ``patterns``.

    Kept: text/plain, text/html, text/latex, streams (consecutive chunks joined) and errors;
    dropped: images, widget views, and cells tagged nbval-ignore-output or nbval-skip.
    patterns: (regex, replacement) pairs, e.g. ``sanitize_patterns()``.
    Raises TypeError when nb is not a notebook.
    """
    if not isinstance(nb, nbformat.NotebookNode) or not isinstance(nb.get("cells"), list):
        raise TypeError(f"nb must be a notebook (nbformat.read(path, as_version=4)), got {type(nb).__name__}")

    def clean(text: str) -> str:
        for regex, replacement in patterns:
            text = re.sub(regex, replacement, text)
        return text

    result = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outs = []
        if not set(cell.get("metadata", {}).get("tags", [])) & IGNORE_TAGS:
            for out in cell.get("outputs", []):
                if out.output_type == "stream":  # how a kernel splits a stream into chunks varies
                    if outs and outs[-1].startswith(f"{out.name}:"):
                        outs[-1] += clean(out.text)
                    else:
                        outs.append(f"{out.name}:{clean(out.text)}")
                elif out.output_type in ("execute_result", "display_data"):
                    data = out.get("data", {})
                    if "application/vnd.jupyter.widget-view+json" not in data:
                        outs += [f"{key}:{clean(data[key])}" for key in ("text/plain", "text/html", "text/latex")
                                 if key in data]
                elif out.output_type == "error":
                    outs.append(f"error:{out.ename}:{out.evalue}")
        result.append(outs)
    return result


def first_difference(a: list, b: list) -> str:
    """Where two ``comparable_outputs`` lists differ ("" if they do not)."""
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"code cell {i + 1} differs between runs"
    return "the number of code cells differs" if len(a) != len(b) else ""


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {text}")
    return value


def _parse(argv):
    parser = argparse.ArgumentParser(prog="python tools/run_notebooks.py", description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to run (default: notebooks/NN_*.ipynb)")
    parser.add_argument("--dataset", choices=config.DATASET_NAMES, default=None,
                        help=f"dataset the notebooks load (default: $COURSE_DATASET or {config.DEFAULT_DATASET})")
    parser.add_argument("--inplace", action="store_true",
                        help="write the executed notebooks (outputs and widget state) over the originals")
    parser.add_argument("--output-dir", type=Path, default=None, help="write executed copies into this folder")
    parser.add_argument("--timeout", type=_positive_int, default=600, help="seconds allowed per cell (>= 1)")
    parser.add_argument("--check-determinism", action="store_true",
                        help="run each notebook a second time in a fresh kernel; fail if compared outputs differ")
    parser.add_argument("--restart-twice", action="store_true",
                        help="also run all cells twice in one kernel; fail if the second pass errors")
    args = parser.parse_args(argv)
    if args.inplace and args.dataset not in (None, config.DEFAULT_DATASET):
        parser.error(f"--inplace stores reference outputs, which are made on the default dataset "
                     f"({config.DEFAULT_DATASET})")
    args.notebooks = args.notebooks or course_notebooks()
    if not args.notebooks:
        parser.error(f"no notebooks found in {NOTEBOOK_DIR}")
    for p in args.notebooks:
        if not p.is_file():
            parser.error(f"notebook not found: {p}")
    if args.output_dir is not None:
        existing = args.output_dir  # the folder, or its nearest existing parent
        while not existing.exists() and existing.parent != existing:
            existing = existing.parent
        if not existing.is_dir():
            parser.error(f"--output-dir must be a folder (it is created if missing), but {existing} is a file")
    if args.inplace and args.dataset is None:
        args.dataset = config.DEFAULT_DATASET
    if args.dataset is None:
        try:
            config.dataset_name_from_env()
        except ValueError as exc:
            parser.error(str(exc))
    return args


def _check_notebook(path: Path, args, patterns) -> tuple[RunResult, list[str], str, list[str]]:
    """Run one notebook with the checks asked for: (main run, row cells, notes, failure details)."""
    result = run_notebook(path, dataset=args.dataset, timeout=args.timeout)
    run = "ok" if result.ok else "FAILED"
    deterministic = rerun = "-" if result.ok else "skipped"
    notes, details = [result.error] if result.error else [], []
    log = "\n".join(line for line in result.kernel_log.splitlines() if not _CHATTER.search(line)).strip()
    if result.kernel_failed and log:
        details.append("kernel log:\n" + log[-2000:])
    if result.ok and args.check_determinism:
        again = run_notebook(path, dataset=args.dataset, timeout=args.timeout)
        difference = again.error or first_difference(comparable_outputs(result.notebook, patterns),
                                                     comparable_outputs(again.notebook, patterns))
        deterministic = "DIFFERS" if difference else "ok"
        notes += [f"second run: {difference}"] if difference else []
    if result.ok and args.restart_twice:
        twice = run_notebook(path, dataset=args.dataset, timeout=args.timeout, runs_in_one_kernel=2)
        rerun = "ok" if twice.ok else "FAILED"
        notes += [] if twice.ok else [f"second pass in one kernel: {twice.error}"]
    mem = f"{result.peak_mb:.0f}" if result.peak_mb else "-"
    return result, [path.name, run, deterministic, rerun, f"{result.seconds:.1f}", mem], "; ".join(notes), details


def _print_table(rows: list[list[str]], notes: list[str]) -> None:
    headers = ["notebook", "run", "deterministic", "rerun", "seconds", "peak MB"]
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    right = {4, 5}

    def line(cells):
        return "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    print()
    print(line(headers) + "  notes")
    for row, note in zip(rows, notes):
        short = note if len(note) <= NOTES_WIDTH else note[:NOTES_WIDTH - 1] + "…"
        print((line(row) + "  " + short).rstrip())


def main(argv=None) -> int:
    args = _parse(argv)
    patterns = sanitize_patterns()
    dataset = args.dataset or config.dataset_name_from_env()
    checked = ["run"] + ["deterministic"] * args.check_determinism + ["rerun"] * args.restart_twice
    print(f"dataset: {dataset}; checks: {', '.join(checked)}", flush=True)
    rows, notes, failures = [], [], []
    for path in args.notebooks:
        result, row, note, details = _check_notebook(path, args, patterns)
        rows.append(row)
        notes.append(note)
        passed = all(cell in ("ok", "-") for cell in row[1:4])
        if not passed:
            failures.append((path.name, note, details))
        if result.ok and args.inplace:
            nbformat.write(result.notebook, path)
        if args.output_dir is not None and result.notebook is not None:
            args.output_dir.mkdir(parents=True, exist_ok=True)
            nbformat.write(result.notebook, args.output_dir / path.name)
        print(f"  {path.name}: {'ok' if passed else 'FAILED'} in {result.seconds:.1f} s", flush=True)
    _print_table(rows, notes)
    total = sum(float(r[4]) for r in rows)
    print(f"{len(rows) - len(failures)} of {len(rows)} notebooks passed every check ({', '.join(checked)}); "
          f"'-' = not asked for (--check-determinism, --restart-twice); total {total:.1f} s")
    for name, note, details in failures:
        if len(note) > NOTES_WIDTH or details:
            print(f"\n{name}:\n  {note}" + "".join(f"\n  {d}" for d in details))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
