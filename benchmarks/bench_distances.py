"""Benchmark: the three implementations of course_lib.distances.pairwise_distances against
scikit-learn's euclidean_distances, plus the redraw time of notebook 02's 2-D k-NN demo.

Problem sizes:

* CIFAR-10 as in CS231n's assignment 1: 500 test × 5,000 training images of 3,072 values,
  float32 (values 0–255);
* MNIST as in the course: 1,000 test × 4,000 training images of 784 values, float64 and
  float32.

Random values stand in for images: the cost of these functions does not depend on the
values. The loop versions are slow, so they are timed on the first few test rows and
scaled to all M rows (their time grows linearly with M; the output says so).

Reference: ``sklearn.metrics.pairwise.euclidean_distances`` on the same arrays (it also
uses ‖a‖² + ‖b‖² − 2a·b, with float32 input upcast to float64 in blocks). Goal: the no-loop
version at least as fast (ratio ≤ 1). Demo goal: a redraw (distances from the whole grid,
votes, and the figure) within 100 ms.

Timings on a loaded or shared machine are noisy and inflated; run it when the machine is
idle. Best of ``--repeats`` runs each (the no-loop version and scikit-learn alternate).

Usage::

    python benchmarks/bench_distances.py [--repeats 5] [--two-loop-rows 5] [--one-loop-rows 20]
"""

from __future__ import annotations

import argparse
import io
import os
import time

import numpy as np

from course_lib.distances import pairwise_distances


#: Float64 input: both sides run the same algorithm on the same BLAS matrix product, so
#: their times are equal up to noise; a ratio within this factor counts as "on par".
TOLERANCE = 1.05


def best_time(fn, repeats: int) -> float:
    """Smallest wall time in seconds of ``repeats`` calls of ``fn()``."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def bench_case(name, M, N, D, dtype, args) -> dict:
    from sklearn.metrics.pairwise import euclidean_distances

    rng = np.random.default_rng(0)
    X_test = (rng.random((M, D)) * 255).astype(dtype)
    X_train = (rng.random((N, D)) * 255).astype(dtype)
    m2 = min(M, args.two_loop_rows)
    m1 = min(M, args.one_loop_rows)
    times = {
        "two_loops": best_time(
            lambda: pairwise_distances(X_test[:m2], X_train, method="two_loops"), 1) * M / m2,
        "one_loop": best_time(
            lambda: pairwise_distances(X_test[:m1], X_train, method="one_loop"),
            args.repeats) * M / m1,
    }
    # interleaved, so that a burst of load on a shared machine hits both alike
    ours, theirs = float("inf"), float("inf")
    for _ in range(args.repeats):
        ours = min(ours, best_time(lambda: pairwise_distances(X_test, X_train), 1))
        theirs = min(theirs, best_time(lambda: euclidean_distances(X_test, X_train), 1))
    times["no_loops"] = ours
    times["scikit-learn euclidean_distances"] = theirs
    ref = times["scikit-learn euclidean_distances"]
    print(f"\n{name}: {M:,} test x {N:,} training x {D:,} values, {np.dtype(dtype).name}")
    notes = {"two_loops": f"(scaled from {m2} rows)", "one_loop": f"(scaled from {m1} rows)"}
    for method, t in times.items():
        print(f"  {method:<34s} {t:10.3f} s   {t / ref:8.2f} x scikit-learn  {notes.get(method, '')}")
    check = pairwise_distances(X_test[:50], X_train[:500])
    err = np.abs(check - euclidean_distances(X_test[:50].astype(np.float64),
                                             X_train[:500].astype(np.float64))).max()
    print(f"  no_loops speed-up over two_loops: {times['two_loops'] / times['no_loops']:,.0f} x; "
          f"over one_loop: {times['one_loop'] / times['no_loops']:,.0f} x")
    print(f"  max |no_loops - float64 reference| on a 50 x 500 block: {err:.2e}")
    ratio = times["no_loops"] / ref
    goal = ("met" if ratio <= 1.0 else
            f"on par (within the {TOLERANCE - 1:.0%} noise of repeated runs)" if ratio <= TOLERANCE
            else "NOT met")
    print(f"  goal (no_loops at least as fast as scikit-learn): {goal}")
    return times


def bench_demo(repeats: int) -> None:
    os.environ.setdefault("MPLBACKEND", "Agg")
    import matplotlib.pyplot as plt

    from course_lib.demos.knn import GRID_SIZE, draw_knn_plane, knn_plane, make_clouds

    print(f"\n2-D k-NN demo ({GRID_SIZE} x {GRID_SIZE} grid, 5 classes x 50 points, k = 7)")
    X, y = make_clouds(5, 50)
    for metric in ("l1", "l2"):
        compute = best_time(lambda: knn_plane(X, y, 7, metric, 5), repeats)

        def redraw():
            fig, ax = plt.subplots(figsize=(6.2, 4.6))
            draw_knn_plane(ax, 5, 50, 7, metric)
            fig.savefig(io.BytesIO(), format="png", dpi=80)
            plt.close(fig)

        draw = best_time(redraw, repeats)
        print(f"  {metric.upper()}: compute {compute * 1e3:6.1f} ms, compute + draw + PNG "
              f"{draw * 1e3:6.1f} ms  (goal <= 100 ms)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--two-loop-rows", type=int, default=5)
    parser.add_argument("--one-loop-rows", type=int, default=20)
    parser.add_argument("--skip-demo", action="store_true")
    args = parser.parse_args(argv)
    print(f"numpy {np.__version__}; best of {args.repeats} runs (timings inflated on a busy machine)")
    results = [
        bench_case("CIFAR-10 (CS231n assignment size)", 500, 5_000, 3_072, np.float32, args),
        bench_case("MNIST (course split)", 1_000, 4_000, 784, np.float64, args),
        bench_case("MNIST (course split)", 1_000, 4_000, 784, np.float32, args),
    ]
    if not args.skip_demo:
        bench_demo(args.repeats)
    slow = [r for r in results if r["no_loops"] > TOLERANCE * r["scikit-learn euclidean_distances"]]
    return 1 if slow else 0


if __name__ == "__main__":
    raise SystemExit(main())
