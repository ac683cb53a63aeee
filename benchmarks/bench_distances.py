"""Benchmark: L2 distance matrices — the readable no-loop form, course_lib.large_scale, and
scikit-learn's euclidean_distances — against the bare matrix product they all contain.

Problem sizes:

* CIFAR-10 as in CS231n's assignment 1: 500 test × 5,000 training images of 3,072 values,
  float32 (values 0–255). Goals (issue 15, "must not regress"): large_scale at least as fast
  as scikit-learn (time ratio ≤ 1, within the noise of repeated runs) and at least 60 % of
  the bare float32 GEMM's rate (GEMM time / large_scale time ≥ 0.6);
* MNIST-sized, float64: 1,000 test × 4,000 training × 784 (for information).

References, named in every line: ``sklearn.metrics.pairwise.euclidean_distances`` (the
same ‖a‖² + ‖b‖² − 2 a·b formula; float32 input is upcast in blocks) and the bare GEMM
``X_test @ X_train.T`` of the same shapes and dtype. Random values stand in for images: the
cost does not depend on them. Best of ``--repeats`` interleaved runs (a burst of load on a
shared machine then hits every contender alike); timings are inflated on a busy machine.
The last section measures the peak memory of ``large_scale.knn_predict`` against the (M, N)
matrix it never holds.

Usage::

    python benchmarks/bench_distances.py [--repeats 5] [--skip-memory]
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np
from sklearn.metrics.pairwise import euclidean_distances

from course_lib.distances import compute_distances_no_loops
from course_lib.large_scale import knn_predict, pairwise_distances

#: A time ratio within this factor of the goal counts as met: repeated runs of the same
#: code differ by about this much on a shared machine.
TOLERANCE = 1.05


def best_times(contenders: dict, repeats: int) -> dict:
    """Smallest wall time in seconds of each contender, the contenders run in turn each round."""
    best = dict.fromkeys(contenders, float("inf"))
    for fn in contenders.values():
        fn()  # warm up (BLAS threads, page faults)
    for _ in range(repeats):
        for name, fn in contenders.items():
            start = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def bench_case(title, M, N, D, dtype, repeats, goals) -> bool:
    rng = np.random.default_rng(0)
    X_test = (rng.random((M, D)) * 255).astype(dtype)
    X_train = (rng.random((N, D)) * 255).astype(dtype)
    times = best_times({
        "bare GEMM X_test @ X_train.T": lambda: X_test @ X_train.T,
        "large_scale.pairwise_distances": lambda: pairwise_distances(X_test, X_train),
        "scikit-learn euclidean_distances": lambda: euclidean_distances(X_test, X_train),
        "distances.compute_distances_no_loops": lambda: compute_distances_no_loops(X_test, X_train),
    }, repeats)
    gemm, ours = times["bare GEMM X_test @ X_train.T"], times["large_scale.pairwise_distances"]
    sklearn = times["scikit-learn euclidean_distances"]
    print(f"\n{title}: {M:,} test × {N:,} training × {D:,} values, {np.dtype(dtype).name}")
    for name, t in times.items():
        print(f"  {name:<38s} {t * 1e3:9.1f} ms   {t / sklearn:5.2f} × scikit-learn   "
              f"{gemm / t:5.0%} of the GEMM rate")
    print(f"  GEMM rate: {2 * M * N * D / gemm / 1e9:.0f} GFLOP/s")
    reference = euclidean_distances(X_test[:50].astype(np.float64), X_train[:500].astype(np.float64))
    error = np.abs(pairwise_distances(X_test[:50], X_train[:500]) - reference).max()
    print(f"  max |large_scale − float64 reference| on a 50 × 500 block: {error:.1e}")
    if not goals:
        return True
    fast_enough = ours <= TOLERANCE * sklearn
    gemm_share = gemm / ours >= 0.6 / TOLERANCE
    print(f"  goal large_scale ≤ scikit-learn: {ours / sklearn:.2f} × — {'met' if fast_enough else 'NOT met'}")
    print(f"  goal large_scale ≥ 60 % of the GEMM rate: {gemm / ours:.0%} — {'met' if gemm_share else 'NOT met'}")
    return fast_enough and gemm_share


def bench_memory(M=2_000, N=5_000, D=3_072, block_rows=500) -> None:
    rng = np.random.default_rng(1)
    X_test = (rng.random((M, D)) * 255).astype(np.float32)
    X_train = (rng.random((N, D)) * 255).astype(np.float32)
    y_train = rng.integers(0, 10, N)
    tracemalloc.start()  # numpy reports its array allocations to tracemalloc
    knn_predict(X_train, y_train, X_test, k=1, block_rows=block_rows)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"\nknn_predict, {M:,} test × {N:,} training × {D:,} float32, block_rows={block_rows}:")
    print(f"  peak temporary memory {peak / 2**20:.0f} MiB (reference: the (M, N) float64 matrix, "
          f"{M * N * 8 / 2**20:.0f} MiB: {peak / (M * N * 8):.2f} ×)")
    full = 500 * 50_000 * (8 + 4)
    print(f"  full CIFAR-10 (10,000 × 50,000): one block of distances + its float32 product, "
          f"{full / 2**20:.0f} MiB, instead of {10_000 * 50_000 * 8 / 2**30:.1f} GiB for all of them")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args(argv)
    print(f"numpy {np.__version__}; best of {args.repeats} interleaved runs (inflated on a busy machine)")
    ok = bench_case("CIFAR-10 (CS231n assignment size)", 500, 5_000, 3_072, np.float32, args.repeats, True)
    bench_case("MNIST-sized", 1_000, 4_000, 784, np.float64, args.repeats, False)
    if not args.skip_memory:
        bench_memory()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
