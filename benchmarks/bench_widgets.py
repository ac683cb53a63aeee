"""How fast does each notebook demo redraw? Median time per redraw against a 100 ms goal.

A live demo feels immediate when a slider's redraw takes at most about 100 ms. This script owns
the list of redraws to time (``CASES`` below): each names a drawing function of
``course_lib.demos`` and a few slider settings. A case is one call of the function exactly as
the widget's callback makes it, plus the PNG rendering of the figure it returns
(``plots.figure_to_png``, what ``plots.show_figure`` does before the browser can show it), in
matplotlib's headless Agg backend with the course style. A case whose module or function does
not exist (the demos are rebuilt notebook by notebook) is skipped with a message; update
``CASES`` when a demo's name or arguments change.

Usage::

    python benchmarks/bench_widgets.py                 # every case
    python benchmarks/bench_widgets.py 02 05           # cases of notebooks 02 and 05
    python benchmarks/bench_widgets.py --repeats 11 --strict   # exit 1 if a case misses the goal

One row per case: median time of the call alone, of call + PNG, the median of the slowest
setting, and the ratio of call + PNG to 100 ms. The first row, "(reference)", times a one-line
plot of the default size: this machine's floor. Timings depend on the machine's load (the load
average is printed); compare ratios measured on the same machine at the same time.
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import sys
import time
import traceback
from dataclasses import dataclass, field
from typing import Callable

import matplotlib

matplotlib.use("Agg")  # headless: never a window, whatever MPLBACKEND says

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from course_lib.pixels import CHANGES, sample_photo  # noqa: E402
from course_lib.plots import figure_to_png, use_course_style  # noqa: E402

GOAL_MS = 100.0


@dataclass(frozen=True)
class Case:
    """One redraw to time: ``module.function(**setup(), **kwargs)`` for each kwargs."""

    name: str  # starts with the notebook number, e.g. "02 k-NN plane redraw"
    module: str
    function: str
    kwargs_list: tuple[dict, ...]
    setup: Callable[[], dict] | None = None  # arguments made once, untimed (e.g. a photo)


def _photo() -> dict:
    return {"image": sample_photo(downscale=3)}  # the size notebook 01 uses


def _cv_explorer() -> dict:
    """Notebook 03's widget state: the explorer over its training images (distances sorted once)."""
    from course_lib.datasets import load_course_dataset
    from course_lib.demos.cross_validation import CrossValidationExplorer
    from course_lib.pixels import flatten

    data = load_course_dataset("03_cross_validation")
    return {"explorer": CrossValidationExplorer(flatten(data.X_train), data.y_train, max_samples=2000)}


def _blobs() -> dict:
    """Notebook 04's widget points (imported here: a missing demo module only skips its case)."""
    from course_lib.demos.toy_data import make_blobs

    X, y = make_blobs(num_per_class=40, seed=0)
    return {"X": X, "y": y}


def _loss_figure() -> dict:
    """Notebook 05's widget state: one figure, built once; each slider move updates it in place."""
    from course_lib.demos.losses import LossComparisonFigure

    return {"figure": LossComparisonFigure()}


#: The redraws this script times (one per interactive demo; the names follow SPEC's demos/).
CASES = (
    Case("01 image change redraw", "course_lib.demos.pixels", "draw_change",
         tuple(dict(kind=kind, strength=0.5) for kind in CHANGES), _photo),
    Case("02 k-NN decision regions redraw", "course_lib.demos.knn", "draw_knn_plane",
         (dict(k=1, distance="l2"), dict(k=7, distance="l1"),
          dict(data="two clusters", num_per_class=100, k=25, distance="l1"))),
    Case("03 cross-validation widget redraw", "course_lib.demos.cross_validation", "draw_cv_explorer",
         (dict(num_folds=10, k_range=(1, 100)), dict(num_folds=5, k_range=(3, 50)),
          dict(num_folds=2, k_range=(1, 200))), _cv_explorer),
    Case("04 linear classifier 2-D redraw", "course_lib.demos.linear_classifier", "draw_linear_plane",
         (dict(W=[[1.0, -0.5, -0.5], [0.0, 0.9, -0.9]], b=[1.0, 0.0, -1.0]),   # the widget's start
          dict(W=[[-2.9, 3.0, 0.1], [3.0, -2.5, 0.0]], b=[6.0, -6.0, 0.0])), _blobs),
    Case("05 hinge vs softmax slider redraw", "course_lib.demos.losses", "redraw_loss_comparison",
         (dict(correct_score=2.0, wrong_score=1.23), dict(correct_score=-1.0, wrong_score=3.0),
          dict(correct_score=5.0, wrong_score=0.0)), _loss_figure),
    Case("05 hinge vs softmax figure, built anew", "course_lib.demos.losses", "draw_loss_comparison",
         (dict(correct_score=2.0, wrong_score=1.23), dict(correct_score=-1.0, wrong_score=3.0))),
    Case("06 gradient descent on a bowl", "course_lib.demos.optimization", "draw_gradient_descent",
         (dict(learning_rate=0.05, num_steps=20), dict(learning_rate=0.2, num_steps=60),
          dict(learning_rate=0.24, num_steps=60))),
    Case("07 computational graph redraw", "course_lib.demos.backpropagation", "draw_lecture_graph",
         (dict(x=3.0, y=5.0, z=-2.0, step=None), dict(x=-2.0, y=5.0, z=-4.0, step=1),
          dict(x=3.0, y=-1.0, z=2.0, step=2))),
    Case("08 network on the moons redraw", "course_lib.demos.neural_network", "draw_moons_network",
         (dict(hidden_size=16, reg=1e-4), dict(hidden_size=64, reg=0.0), dict(hidden_size=1, reg=0.1))),
)


@dataclass
class CaseResult:
    """Timings of one case (milliseconds)."""

    name: str
    call_ms: list[float] = field(default_factory=list)
    total_ms: list[float] = field(default_factory=list)
    slowest_ms: float = float("nan")
    slowest_setting: dict | None = None
    error: str = ""

    @property
    def median_call(self) -> float:
        return statistics.median(self.call_ms) if self.call_ms else float("nan")

    @property
    def median_total(self) -> float:
        return statistics.median(self.total_ms) if self.total_ms else float("nan")


def figures_in(result) -> list[Figure]:
    """The figures a drawing function returned: a Figure, or Figures inside a dict / tuple / list."""
    if isinstance(result, Figure):
        return [result]
    items = result.values() if isinstance(result, dict) else result if isinstance(result, (tuple, list)) else []
    return [item for item in items if isinstance(item, Figure)]


def time_one_call(fn, kwargs: dict) -> tuple[float, float]:
    """(call ms, call + PNG ms) of one redraw; every figure it made is closed afterwards."""
    before = set(plt.get_fignums())
    start = time.perf_counter()
    figures = figures_in(fn(**kwargs))
    called = time.perf_counter()
    figures += [plt.figure(n) for n in set(plt.get_fignums()) - before if plt.figure(n) not in figures]
    for fig in figures:
        figure_to_png(fig)
    done = time.perf_counter()
    for fig in figures:
        plt.close(fig)
    return (called - start) * 1e3, (done - start) * 1e3


def bench(name: str, fn, kwargs_list, repeats: int) -> CaseResult:
    """One warm-up call per setting (caches are not counted), then ``repeats`` timed calls."""
    result = CaseResult(name)
    try:
        for kwargs in kwargs_list:
            time_one_call(fn, kwargs)
            totals = []
            for _ in range(repeats):
                call_ms, total_ms = time_one_call(fn, kwargs)
                result.call_ms.append(call_ms)
                result.total_ms.append(total_ms)
                totals.append(total_ms)
            if not statistics.median(totals) <= result.slowest_ms:  # also replaces the initial nan
                result.slowest_ms, result.slowest_setting = statistics.median(totals), kwargs
    except Exception as exc:  # reported on the row; the other cases still run
        result.error = f"{type(exc).__name__}: {exc}"
        traceback.print_exc(file=sys.stderr)
    finally:
        plt.close("all")
    return result


def resolve(case: Case):
    """(callable with the setup arguments bound, "") or (None, why the case is skipped).

    A missing demo module or function is skipped; a demo that exists but fails to import raises.
    """
    try:
        module = importlib.import_module(case.module)
    except ModuleNotFoundError as exc:
        if exc.name is None or not case.module.startswith(exc.name):
            raise  # the demo exists but imports something missing: an error, not a skip
        return None, f"{case.module} not found"
    fn = getattr(module, case.function, None)
    if fn is None:
        return None, f"{case.module}.{case.function} not found"
    extra = case.setup() if case.setup is not None else {}
    return (lambda **kwargs: fn(**extra, **kwargs)), ""


def _reference_plot() -> Figure:
    fig, ax = plt.subplots()
    ax.plot(range(100))
    return fig


def _fmt(value: float) -> str:
    return "—" if value != value else f"{value:.1f}"


def _fmt_setting(kwargs: dict | None, width: int = 38) -> str:
    text = ", ".join(f"{k}={v!r}" for k, v in (kwargs or {}).items())
    return text if len(text) <= width else text[:width - 1] + "…"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", help="notebook numbers whose cases to time (default: all)")
    parser.add_argument("--repeats", type=int, default=7, help="timed calls per setting (default 7)")
    parser.add_argument("--strict", action="store_true",
                        help="exit with status 1 if a case misses the goal or fails (skipped cases do not count)")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be >= 1")
    use_course_style()
    cases = [c for c in CASES if not args.notebooks or c.name.split()[0] in args.notebooks]
    rows, skipped = [bench("(reference) one-line plot, default size", _reference_plot, [{}], args.repeats)], []
    for case in cases:
        try:
            fn, why = resolve(case)
        except Exception as exc:  # a broken demo module: an ERROR row
            rows.append(CaseResult(case.name, error=f"import failed: {type(exc).__name__}: {exc}"))
            continue
        if fn is None:
            skipped.append(f"skipped {case.name}: {why}")
        else:
            rows.append(bench(case.name, fn, case.kwargs_list, args.repeats))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    print(f"demo redraw times, Agg backend, course style; median of {args.repeats} calls per setting after "
          f"one warm-up; goal {GOAL_MS:.0f} ms; {os.cpu_count()} CPUs, load average {load}")
    header = f"{'case':<42} {'call ms':>8} {'+png ms':>8} {'slowest':>8} {'ratio':>6}  verdict  slowest setting"
    print(header + "\n" + "-" * len(header))
    failed = False
    for i, r in enumerate(rows):
        if r.error:
            failed = True
            print(f"{r.name[:42]:<42} {'':>8} {'':>8} {'':>8} {'':>6}  ERROR    {r.error}")
            continue
        ratio = r.median_total / GOAL_MS
        verdict = "floor" if i == 0 else "ok" if ratio <= 1.0 else "SLOW"
        failed |= verdict == "SLOW"
        print(f"{r.name[:42]:<42} {_fmt(r.median_call):>8} {_fmt(r.median_total):>8} {_fmt(r.slowest_ms):>8} "
              f"{ratio:>6.2f}  {verdict:<7}  {_fmt_setting(r.slowest_setting)}")
    for line in skipped:
        print(line)
    print(f"ratio = (call + PNG) median / {GOAL_MS:.0f} ms; 'slowest' is the median of the slowest setting.")
    return 1 if (args.strict and failed) else 0


if __name__ == "__main__":
    sys.exit(main())
