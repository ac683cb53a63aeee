"""How fast does each notebook demo redraw? Median time per redraw against a 100 ms goal.

A live demo feels immediate when a slider's redraw takes at most about 100 ms (the goal of
issue 9). This script imports every ``course_lib/demos/<idea>.py`` module, runs the redraw
callables the module registers in ``BENCHMARK_CASES`` in matplotlib's headless Agg backend
(with the course style, so figure sizes and dpi are the notebooks'), and prints one row per
case: the median time of the call alone, the median time of the call plus the PNG encoding
of its figure(s) (what the notebook's inline backend does before the browser can show it),
the median of the slowest setting, and the ratio of the call-plus-PNG median to 100 ms. A
first "(reference)" row times a one-line plot of the default size: this machine's floor.

Usage::

    cd /work/main && python benchmarks/bench_widgets.py              # every demos module
    python benchmarks/bench_widgets.py --repeats 11 losses pixels    # some modules only
    python benchmarks/bench_widgets.py --strict    # exit status 1 if a case misses the goal

Timings depend on the machine and its load (the load average is printed with the table);
compare ratios measured on the same machine at the same time.

The ``BENCHMARK_CASES`` convention (for the authors of ``course_lib/demos/<idea>.py``)
----------------------------------------------------------------------------------------
A demos module may define a module-level list::

    BENCHMARK_CASES = [
        (name, callable, kwargs_list),
        ...
    ]

``name`` (str)
    what is timed, starting with the notebook number, e.g. ``"05 loss comparison redraw"``.
``callable``
    one redraw exactly as the widget's callback does it: called as ``callable(**kwargs)``, it
    computes and draws into a *new* figure (through the module's plain ``draw_…``/
    ``compute_…`` function, not through ipywidgets). It may close its figure with
    ``plt.close(fig)``: while it runs, the benchmark defers ``plt.close`` and encodes every
    figure the call created or closed to PNG with IPython's ``print_figure`` (what the inline
    backend does: the figure's dpi, ``bbox_inches="tight"``) before really closing it, so
    the PNG cost is counted.
    Typical form: ``lambda **kw: plt.close(draw_something(**kw)["figure"])`` (call
    ``plt.close`` through the ``matplotlib.pyplot`` module, as ``plt.close``, so the
    benchmark can defer it; or leave the figure open and the benchmark closes it).
``kwargs_list`` (non-empty list of dicts)
    the slider settings to time: a few representative ones, including the most expensive
    (largest k, most steps, finest grid). Each is called once untimed (warm-up: caches a
    widget fills when it is first displayed, such as ``functools.lru_cache`` data or
    precomputed grids, are not counted), then ``--repeats`` times timed.

The callable must run offline, without a kernel or a display, and must not print. A module
without ``BENCHMARK_CASES`` is listed as such; a malformed list or a failing call is reported
on its row (and makes ``--strict`` fail).
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import pkgutil
import statistics
import sys
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field

import matplotlib

matplotlib.use("Agg")  # headless: never a window, whatever MPLBACKEND says

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib._pylab_helpers import Gcf  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

GOAL_MS = 100.0


@dataclass
class CaseResult:
    """Timings of one benchmark case (all in milliseconds)."""

    module: str
    name: str
    calls: int = 0
    call_ms: list[float] = field(default_factory=list)
    total_ms: list[float] = field(default_factory=list)
    slowest_setting_ms: float = float("nan")
    slowest_setting: dict | None = None
    error: str = ""

    @property
    def median_call(self) -> float:
        return statistics.median(self.call_ms) if self.call_ms else float("nan")

    @property
    def median_total(self) -> float:
        return statistics.median(self.total_ms) if self.total_ms else float("nan")

    @property
    def ratio(self) -> float:
        return self.median_total / GOAL_MS


def _open_figures() -> list[Figure]:
    return [manager.canvas.figure for manager in Gcf.get_all_fig_managers()]


@contextmanager
def _deferred_close():
    """Within the block, ``plt.close`` only records the figures it was asked to close."""
    closed: list[Figure] = []
    real_close = plt.close

    def record(fig=None):
        if fig is None:
            closed.extend(_open_figures()[-1:] if plt.get_fignums() else [])
        elif isinstance(fig, str) and fig == "all":
            closed.extend(_open_figures())
        elif isinstance(fig, Figure):
            closed.append(fig)
        else:  # a figure number or label
            closed.extend(
                f for f in _open_figures() if f.number == fig or f.get_label() == fig
            )

    plt.close = record
    try:
        yield closed
    finally:
        plt.close = real_close


def _encode_png(fig: Figure) -> int:
    """Encode ``fig`` as the notebook's inline backend does (IPython's ``print_figure``:
    PNG, the figure's dpi, ``bbox_inches="tight"``, i.e. a layout pass plus a render);
    returns the number of bytes."""
    try:
        from IPython.core.pylabtools import print_figure
    except ImportError:  # IPython is a dependency of ipykernel; this is only a fallback
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=fig.dpi, bbox_inches="tight")
        return buffer.tell()
    return len(print_figure(fig, fmt="png", bbox_inches="tight") or b"")


def time_one_call(fn, kwargs: dict, encode_png: bool = True) -> tuple[float, float]:
    """(call ms, call + PNG ms) of one ``fn(**kwargs)``; closes every figure it made."""
    before = set(map(id, _open_figures()))
    with _deferred_close() as closed:
        start = time.perf_counter()
        fn(**kwargs)
        called = time.perf_counter()
    new = [f for f in _open_figures() if id(f) not in before]
    figures = list({id(f): f for f in [*closed, *new]}.values())
    if encode_png:
        for fig in figures:
            _encode_png(fig)
    done = time.perf_counter()
    for fig in figures:
        plt.close(fig)
    return (called - start) * 1e3, (done - start) * 1e3


def _check_cases(cases) -> str:
    """An empty string if ``cases`` follows the convention, else what is wrong."""
    if not isinstance(cases, (list, tuple)):
        return f"BENCHMARK_CASES must be a list, got {type(cases).__name__}"
    for i, case in enumerate(cases):
        if not (isinstance(case, (list, tuple)) and len(case) == 3):
            return f"BENCHMARK_CASES[{i}] must be (name, callable, kwargs_list)"
        name, fn, kwargs_list = case
        if not isinstance(name, str) or not callable(fn):
            return f"BENCHMARK_CASES[{i}] must start with a str name and a callable"
        if not kwargs_list or not all(isinstance(kw, dict) for kw in kwargs_list):
            return f"BENCHMARK_CASES[{i}] ({name}): kwargs_list must be a non-empty list of dicts"
    return ""


def bench_case(module: str, name: str, fn, kwargs_list, repeats: int, encode_png: bool) -> CaseResult:
    result = CaseResult(module, name)
    try:
        for kwargs in kwargs_list:
            time_one_call(fn, kwargs, encode_png)  # warm-up, not timed
            totals = []
            for _ in range(repeats):
                call_ms, total_ms = time_one_call(fn, kwargs, encode_png)
                result.call_ms.append(call_ms)
                result.total_ms.append(total_ms)
                totals.append(total_ms)
                result.calls += 1
            setting_ms = statistics.median(totals)
            if not setting_ms <= result.slowest_setting_ms:  # also replaces the initial nan
                result.slowest_setting_ms, result.slowest_setting = setting_ms, kwargs
    except Exception as exc:  # reported on the row, the other cases still run
        result.error = f"{type(exc).__name__}: {exc}"
        traceback.print_exc(file=sys.stderr)
    finally:
        plt.close("all")
    return result


def _reference_plot(num_points: int = 100) -> None:
    """The reference row: the cheapest possible redraw, one line in a figure of the course's
    default size. Its time is this machine's floor (mostly matplotlib's render and PNG)."""
    fig, ax = plt.subplots()
    ax.plot(range(num_points))
    plt.close(fig)


def demo_modules(only: list[str] | None = None) -> list[str]:
    """Names of the ``course_lib.demos`` submodules (all, or those named in ``only``)."""
    import course_lib.demos as demos

    names = sorted(m.name for m in pkgutil.iter_modules(demos.__path__) if not m.name.startswith("_"))
    if only:
        unknown = sorted(set(only) - set(names))
        if unknown:
            raise SystemExit(f"unknown demos module(s): {', '.join(unknown)}; known: {', '.join(names)}")
        names = [n for n in names if n in only]
    return names


def _fmt_ms(value: float) -> str:
    return "—" if value != value else f"{value:.1f}"


def _fmt_setting(kwargs: dict | None, width: int = 38) -> str:
    if not kwargs:
        return ""
    text = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
    return text if len(text) <= width else text[: width - 1] + "…"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="demos modules to time (default: all)")
    parser.add_argument("--repeats", type=int, default=7, help="timed calls per setting (default 7)")
    parser.add_argument("--no-png", action="store_true", help="do not encode the figures to PNG")
    parser.add_argument("--strict", action="store_true",
                        help="exit with status 1 if a case misses the goal, fails, or is malformed")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be >= 1")

    from course_lib.plots import use_course_style

    use_course_style()
    reference = bench_case("(reference)", "one-line plot, default size", _reference_plot,
                           [{}], args.repeats, not args.no_png)
    rows: list[CaseResult] = []
    notes: list[str] = []
    for module_name in demo_modules(args.modules):
        qualified = f"course_lib.demos.{module_name}"
        try:
            module = importlib.import_module(qualified)
        except Exception as exc:
            rows.append(CaseResult(module_name, "(import)", error=f"{type(exc).__name__}: {exc}"))
            continue
        cases = getattr(module, "BENCHMARK_CASES", None)
        if cases is None:
            notes.append(f"{module_name}: no BENCHMARK_CASES (nothing timed)")
            continue
        problem = _check_cases(cases)
        if problem:
            rows.append(CaseResult(module_name, "(BENCHMARK_CASES)", error=problem))
            continue
        for name, fn, kwargs_list in cases:
            rows.append(bench_case(module_name, name, fn, kwargs_list, args.repeats, not args.no_png))

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    total_label = "call ms" if args.no_png else "+png ms"
    print(f"demo redraw times, Agg backend, course style; median of {args.repeats} calls per setting "
          f"after one warm-up; goal {GOAL_MS:.0f} ms; {os.cpu_count()} CPUs, load average {load}")
    header = (f"{'module':<17} {'case':<36} {'calls':>5} {'call ms':>8} {total_label:>8} "
              f"{'slowest':>8} {'ratio':>6}  verdict  slowest setting")
    print(header)
    print("-" * len(header))
    failed = False
    for r in [reference, *rows]:
        if r.error:
            failed = True
            print(f"{r.module:<17} {r.name[:36]:<36} {'':>5} {'':>8} {'':>8} {'':>8} {'':>6}  ERROR    {r.error}")
            continue
        verdict = "ok" if r.ratio <= 1.0 else "SLOW"
        if r is reference:
            verdict = "floor"
        else:
            failed |= verdict != "ok"
        print(f"{r.module:<17} {r.name[:36]:<36} {r.calls:>5} {_fmt_ms(r.median_call):>8} "
              f"{_fmt_ms(r.median_total):>8} {_fmt_ms(r.slowest_setting_ms):>8} {r.ratio:>6.2f}  "
              f"{verdict:<7}  {_fmt_setting(r.slowest_setting)}")
    if not rows:
        print("(no benchmark cases found)")
    for note in notes:
        print(note)
    print(f"ratio = ({total_label.split()[0]}) median / {GOAL_MS:.0f} ms; 'slowest' is the median of the "
          "slowest setting in the case's kwargs_list.")
    return 1 if (args.strict and failed) else 0


if __name__ == "__main__":
    sys.exit(main())
