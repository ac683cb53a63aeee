"""Run the course notebooks headlessly, each in a fresh kernel, and report.

Usage (from anywhere)::

    python -m course_lib.run_notebooks                       # all notebooks, default dataset
    python -m course_lib.run_notebooks --dataset cifar10     # the whole series on CIFAR-10
    python -m course_lib.run_notebooks notebooks/02_knn.ipynb --inplace   # refresh stored outputs
    python -m course_lib.run_notebooks --check-determinism   # run twice, compare outputs
    python -m course_lib.run_notebooks --restart-twice       # "restart & run all" twice

It prints one row per notebook (status, wall time, peak memory of the kernel) and exits
with status 1 if any notebook failed. The committed notebooks are never overwritten unless
``--inplace`` is given; ``--output-dir`` stores executed copies elsewhere.

Kernels get ``PYTHONHASHSEED=0`` (stable set order) and the chosen ``COURSE_DATASET``;
``MPLBACKEND`` is removed so figures are stored inline as in JupyterLab.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from . import config
from ._validation import positive_int_arg

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")  # colour codes in kernel tracebacks
NOTES_WIDTH = 100  # characters of an error shown in the table; the whole text follows it

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
IGNORE_TAGS = {"nbval-ignore-output", "nbval-skip"}

__all__ = ["RunResult", "run_notebook", "comparable_outputs", "course_notebooks", "main"]


@dataclass
class RunResult:
    """The outcome of one notebook run."""

    path: Path
    ok: bool
    seconds: float
    peak_rss_mb: float | None = None
    error: str = ""
    notebook: nbformat.NotebookNode | None = field(default=None, repr=False)


def course_notebooks(folder: Path = NOTEBOOK_DIR) -> list[Path]:
    """The course notebooks ``NN_topic.ipynb`` in ``folder``, in course order.

    Parameters
    ----------
    folder : str or os.PathLike, default the repository's ``notebooks/``

    Returns
    -------
    list of pathlib.Path, sorted by name (so by number); empty when ``folder`` holds none.

    Raises
    ------
    TypeError
        ``folder`` is not a path (str or os.PathLike).
    """
    if isinstance(folder, bytes) or not isinstance(folder, (str, os.PathLike)):
        raise TypeError(
            f"folder must be a path (str or pathlib.Path) to a folder of notebooks, got "
            f"{type(folder).__name__} {folder!r}"[:160]
        )
    return sorted(p for p in Path(folder).glob("[0-9][0-9]_*.ipynb"))


def kernel_environment(dataset: str | None) -> dict[str, str]:
    """The environment a course kernel runs with (see module docstring)."""
    env = dict(os.environ)
    env["PYTHONHASHSEED"] = "0"
    env.pop("MPLBACKEND", None)
    if dataset is not None:
        env["COURSE_DATASET"] = dataset
    return env


class _PeakMemory:
    """Poll the resident set size of the kernel process tree in a thread."""

    def __init__(self, client):
        self.client = client
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=2)

    def _pid(self):
        km = getattr(self.client, "km", None)
        prov = getattr(km, "provisioner", None)
        proc = getattr(prov, "process", None)
        return getattr(proc, "pid", None)

    def _run(self):
        try:
            import psutil
        except ImportError:
            return
        while not self._stop.is_set():
            pid = self._pid()
            if pid:
                try:
                    proc = psutil.Process(pid)
                    rss = proc.memory_info().rss + sum(
                        c.memory_info().rss for c in proc.children(recursive=True)
                    )
                    self.peak = max(self.peak, rss)
                except (psutil.Error, OSError):
                    pass
            self._stop.wait(0.05)


def _sliced_get_msg(get_msg):
    """Wrap a shell channel's ``get_msg`` so it waits in slices of at most one second.

    A single long wait can block until its full timeout although the reply has arrived,
    after cells that open widgets (jupyter/nbclient#312); waiting in short slices, as the
    proposed fix jupyter/nbclient#311 does, returns as soon as the reply is there.
    """
    import inspect
    from queue import Empty

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


def _client_class():
    from nbclient import NotebookClient

    class CourseNotebookClient(NotebookClient):
        async def _async_poll_for_reply(self, msg_id, cell, timeout, *args, **kwargs):
            channel = self.kc.shell_channel
            if not getattr(channel, "_course_sliced", False):
                channel.get_msg = _sliced_get_msg(channel.get_msg)
                channel._course_sliced = True
            return await super()._async_poll_for_reply(msg_id, cell, timeout, *args, **kwargs)

    return CourseNotebookClient


def run_notebook(
    path,
    *,
    dataset: str | None = None,
    timeout: int = 600,
    runs_in_one_kernel: int = 1,
) -> RunResult:
    """Execute one notebook top to bottom in a fresh kernel (nbclient).

    Parameters
    ----------
    path : path of the .ipynb file
    dataset : str, optional
        ``COURSE_DATASET`` for the kernel (default: the current environment's).
    timeout : int
        Seconds allowed per cell.
    runs_in_one_kernel : int
        Run all cells this many times in the *same* kernel, as "restart & run all" would
        without the restart's fresh state: proves the notebook has no hidden state that a
        second run trips over. The result holds the last run's outputs.

    Returns
    -------
    RunResult (``ok`` False with the error's text when a cell raised, or when the file is
    not a readable notebook: then ``notebook`` is None).

    Raises
    ------
    FileNotFoundError
        ``path`` does not exist.
    """
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    path = Path(path)
    start = time.perf_counter()
    try:
        nb = nbformat.read(path, as_version=4)
    except FileNotFoundError:
        raise
    except Exception as exc:  # not JSON, not a notebook, unreadable: a failed row, not a crash
        error = " ".join(f"not a readable notebook: {type(exc).__name__}: {exc}".split())[:300]
        return RunResult(path, False, time.perf_counter() - start, None, error, None)
    env = kernel_environment(dataset)
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    client = _client_class()(
        nb, timeout=timeout, kernel_name="python3", record_timing=False, coalesce_streams=True,
        resources={"metadata": {"path": str(path.parent)}},
    )
    try:
        with _PeakMemory(client) as mem:
            if runs_in_one_kernel == 1:
                client.execute()
            else:
                with client.setup_kernel():
                    for _ in range(runs_in_one_kernel):
                        for index, cell in enumerate(nb.cells):
                            client.execute_cell(cell, index)
        ok, error = True, ""
    except (CellExecutionError, CellTimeoutError) as exc:
        if isinstance(exc, CellTimeoutError):
            ok, error = False, f"CellTimeoutError: a cell ran longer than the {timeout} s allowed (--timeout)"
        else:
            # the last line that says something (tracebacks end with the error; some texts
            # end with a row of dashes)
            lines = [ln for ln in _ANSI.sub("", str(exc)).splitlines() if ln.strip(" -=")]
            ok, error = False, lines[-1].strip() if lines else repr(exc)
    except Exception as exc:  # kernel died, bad notebook JSON, …
        ok, error = False, _ANSI.sub("", f"{type(exc).__name__}: {exc}")
    finally:
        os.environ.clear()
        os.environ.update(saved)
    seconds = time.perf_counter() - start
    peak = mem.peak / 2**20 if mem.peak else None
    return RunResult(path, ok, seconds, peak, error, nb)


def comparable_outputs(nb) -> list[list[str]]:
    """The outputs nbval compares, per code cell, as strings.

    Text (``text/plain``, ``text/html``, ``text/latex``), streams and errors are kept;
    images and widget views are dropped, as are cells tagged ``nbval-ignore-output`` or
    ``nbval-skip``.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A notebook as ``nbformat.read(path, as_version=4)`` returns it (or
        :attr:`RunResult.notebook`).

    Returns
    -------
    list with one list of strings per code cell (empty for ignored cells).

    Raises
    ------
    TypeError
        ``nb`` is not a notebook (no ``cells`` list).
    """
    if not isinstance(nb, nbformat.NotebookNode) or not isinstance(nb.get("cells"), list):
        raise TypeError(
            "nb must be a notebook (an nbformat.NotebookNode with a list of cells, as "
            f"nbformat.read(path, as_version=4) returns), got {type(nb).__name__} {nb!r}"[:200]
        )
    result = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & IGNORE_TAGS:
            result.append([])
            continue
        outs = []
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                # how the kernel splits printed text into chunks varies from run to run:
                # consecutive chunks of one stream are compared as one text
                if outs and outs[-1].startswith(f"{out.name}:"):
                    outs[-1] += out.text
                else:
                    outs.append(f"{out.name}:{out.text}")
            elif out.output_type in ("execute_result", "display_data"):
                data = out.get("data", {})
                for key in ("text/plain", "text/html", "text/latex"):
                    if key in data and "application/vnd.jupyter.widget-view+json" not in data:
                        outs.append(f"{key}:{data[key]}")
            elif out.output_type == "error":
                outs.append(f"error:{out.ename}:{out.evalue}")
        result.append(outs)
    return result


def _first_difference(a, b) -> str:
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"code cell {i + 1} differs between runs"
    return "number of cells differs" if len(a) != len(b) else ""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m course_lib.run_notebooks",
        description="Execute course notebooks in fresh kernels and print a status table.",
    )
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to run (default: every notebooks/NN_*.ipynb)")
    parser.add_argument("--dataset", choices=config.DATASET_NAMES, default=None,
                        help="dataset the notebooks load (default: $COURSE_DATASET or mnist)")
    parser.add_argument("--inplace", action="store_true",
                        help="write the executed notebooks back over the originals")
    parser.add_argument("--output-dir", type=Path, default=None,
                        help="write executed copies into this folder")
    parser.add_argument("--timeout", type=positive_int_arg, default=600, help="seconds allowed per cell (>= 1)")
    parser.add_argument("--check-determinism", action="store_true",
                        help="run each notebook twice in fresh kernels; fail if compared outputs differ")
    parser.add_argument("--restart-twice", action="store_true",
                        help="also run all cells twice in one kernel; fail if the second run errors")
    args = parser.parse_args(argv)

    if args.inplace and args.dataset not in (None, config.DEFAULT_DATASET):
        parser.error("--inplace stores reference outputs, which are made on the default dataset")
    paths = args.notebooks or course_notebooks()
    if not paths:
        parser.error(f"no notebooks found in {NOTEBOOK_DIR}")
    for p in paths:
        if not p.is_file():
            parser.error(f"notebook not found: {p}")
    if args.output_dir is not None:
        existing = args.output_dir  # the folder, or its nearest existing parent
        while not existing.exists() and existing.parent != existing:
            existing = existing.parent
        if not existing.is_dir():
            parser.error(f"--output-dir must be a folder (it is created if missing), but {existing} is a file")
    dataset = args.dataset
    if args.inplace and dataset is None:
        dataset = config.DEFAULT_DATASET

    if dataset is None:
        try:
            config.dataset_name_from_env()
        except ValueError as exc:
            parser.error(str(exc))
    rows, failed = [], False
    print(f"dataset: {dataset or config.dataset_name_from_env()}", flush=True)
    for path in paths:
        result = run_notebook(path, dataset=dataset, timeout=args.timeout)
        status = "ok" if result.ok else "FAILED"
        notes = result.error
        if result.ok and args.check_determinism:
            again = run_notebook(path, dataset=dataset, timeout=args.timeout)
            diff = _first_difference(comparable_outputs(result.notebook), comparable_outputs(again.notebook))
            if not again.ok or diff:
                status, notes = "NONDETERMINISTIC", diff or again.error
        if result.ok and status == "ok" and args.restart_twice:
            twice = run_notebook(path, dataset=dataset, timeout=args.timeout, runs_in_one_kernel=2)
            if not twice.ok:
                status, notes = "FAILS ON RERUN", twice.error
        failed |= status != "ok"
        if result.notebook is not None:
            # saved widget state holds every widget's last rendering (hundreds of kB); the
            # widgets are rebuilt when the cell runs, so the state is not kept
            result.notebook.metadata.pop("widgets", None)
            for cell in result.notebook.cells:  # per-cell timestamps of older runs
                cell.get("metadata", {}).pop("execution", None)
        if result.ok and args.inplace:
            nbformat.write(result.notebook, path)
        if args.output_dir is not None and result.notebook is not None:
            args.output_dir.mkdir(parents=True, exist_ok=True)
            nbformat.write(result.notebook, args.output_dir / path.name)
        mem = f"{result.peak_rss_mb:.0f}" if result.peak_rss_mb else "-"
        rows.append((path.name, status, f"{result.seconds:.1f}", mem, notes))
        print(f"  {path.name}: {status} in {result.seconds:.1f} s", flush=True)

    total = sum(float(r[2]) for r in rows)
    headers = ("notebook", "status", "seconds", "peak MB", "notes")
    widths = [max(len(str(r[i])) for r in rows + [headers]) for i in range(4)]
    print()
    print("  ".join(h.ljust(w) for h, w in zip(headers[:4], widths)) + "  notes")
    for r in rows:
        note = r[4] if len(r[4]) <= NOTES_WIDTH else r[4][: NOTES_WIDTH - 1] + "…"
        print("  ".join(str(c).ljust(w) for c, w in zip(r[:4], widths)) + ("  " + note if note else ""))
    print(f"total: {total:.1f} s, {sum(r[1] == 'ok' for r in rows)} of {len(rows)} ok")
    for r in rows:
        if r[1] != "ok" and len(r[4]) > NOTES_WIDTH:
            print(f"\n{r[0]} {r[1]}:\n  {r[4]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
