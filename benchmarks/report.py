"""The course's performance report in one run: every figure as a ratio to a named reference.

    python benchmarks/report.py            # about 3 minutes on 2 cores

Sections (each a script of its own in this folder, run here in a fresh process):
1. the notebook series on the default dataset: wall time and peak kernel memory per notebook
   (bench_series.py; reference: 15 s and 500 MB per notebook, 60 s in all);
2. no-loop L2 distances vs scikit-learn's ``euclidean_distances`` (bench_distances.py) and vs
   this machine's float32 matrix-multiply rate (below; reference: the bare GEMM of the same
   shapes, goal at least 60 % of its rate);
3. vectorised vs naive losses (bench_losses.py; reference: the naive loops, goal 100×);
4. widget redraw latency (bench_widgets.py; reference: 100 ms per redraw).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def gemm_efficiency(M: int = 500, N: int = 5000, D: int = 3072, repeats: int = 5) -> None:
    """Time the no-loop L2 against the bare float32 GEMM ``X_test @ X_train.T`` it contains."""
    from course_lib.distances import pairwise_distances

    rng = np.random.default_rng(0)
    X_test = rng.integers(0, 256, size=(M, D)).astype(np.float32)
    X_train = rng.integers(0, 256, size=(N, D)).astype(np.float32)

    def best(fn):
        fn()
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return min(times)

    gemm = best(lambda: X_test @ X_train.T)
    l2 = best(lambda: pairwise_distances(X_test, X_train, metric="l2", method="no_loops"))
    gflops = 2 * M * N * D / gemm / 1e9
    print(f"float32 GEMM {M} x {D} @ {D} x {N}: {gemm * 1000:.1f} ms ({gflops:.0f} GFLOP/s)")
    print(f"no-loop L2 distances, same shapes: {l2 * 1000:.1f} ms = {gemm / l2:.0%} of the GEMM rate "
          f"(goal >= 60 %): {'met' if gemm / l2 >= 0.6 else 'NOT met'}")


def main() -> int:
    sections = [
        ("1. notebook series, default dataset", [sys.executable, str(HERE / "bench_series.py")]),
        ("2a. distances vs scikit-learn", [sys.executable, str(HERE / "bench_distances.py")]),
        ("3. losses: vectorised vs naive", [sys.executable, str(HERE / "bench_losses.py")]),
        ("4. widget redraw latency", [sys.executable, str(HERE / "bench_widgets.py")]),
    ]
    status = 0
    for title, cmd in sections[:2]:
        print(f"\n== {title}", flush=True)
        status |= subprocess.run(cmd).returncode
    print("\n== 2b. distances vs this machine's float32 GEMM rate", flush=True)
    gemm_efficiency()
    for title, cmd in sections[2:]:
        print(f"\n== {title}", flush=True)
        status |= subprocess.run(cmd).returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
