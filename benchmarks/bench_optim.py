"""Benchmark: analytic vs numerical gradient, and the cost of an SGD step vs the batch size.

Part 1 — why the course computes gradients analytically and uses the numerical one only to
check them (notebook 06). Reference: the full centred numerical gradient
(``course_lib.optimization.numerical_gradient``: 2 loss evaluations per weight), timed on
``--probe`` weights with ``gradient_check`` and extrapolated to all D·C weights, against one
call of ``svm_loss_vectorized``, which returns the whole analytic gradient.

Part 2 — why minibatches: one ``course_lib.optimization.sgd`` step for batch sizes 32 … N,
per step and per epoch (a pass over the N images). Reference: the full batch (N rows a step,
i.e. gradient descent).

Problem size as in CS231n's assignment 1: N = 500, D = 3,073 (CIFAR-10 plus the bias column),
C = 10, random data (the cost does not depend on the values). Timings are inflated on a busy
machine (multi-threaded BLAS on a loaded machine can be much slower: try OPENBLAS_NUM_THREADS=1).

Usage::

    python benchmarks/bench_optim.py [--n 500] [--d 3073] [--c 10] [--probe 100]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from course_lib.losses import svm_loss_vectorized
from course_lib.optimization import gradient_check, sgd


def best_time(fn, repeats: int = 3) -> float:
    """Smallest wall time in seconds of ``repeats`` calls of ``fn()``."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--d", type=int, default=3073)
    parser.add_argument("--c", type=int, default=10)
    parser.add_argument("--probe", type=int, default=100,
                        help="weights timed for the numerical gradient (then extrapolated)")
    args = parser.parse_args(argv)

    rng = np.random.default_rng(0)
    X = rng.normal(scale=0.3, size=(args.n, args.d))
    y = rng.integers(0, args.c, size=args.n)
    W = rng.normal(scale=1e-3, size=(args.d, args.c))
    reg = 1e-3

    # ---- part 1: analytic vs numerical
    t_analytic = best_time(lambda: svm_loss_vectorized(W, X, y, reg), repeats=5)
    _, dW = svm_loss_vectorized(W, X, y, reg)
    start = time.perf_counter()
    max_error = gradient_check(lambda w: svm_loss_vectorized(w, X, y, reg)[0], W, dW, num_checks=args.probe)
    t_numerical = (time.perf_counter() - start) / args.probe * W.size
    print(f"gradient of the SVM loss, N={args.n}, D={args.d}, C={args.c} ({W.size:,} weights)")
    print(f"  analytic, svm_loss_vectorized: {1e3 * t_analytic:9.2f} ms")
    print(f"  numerical, centred (reference; estimated from {args.probe} weights): {t_numerical:9.1f} s")
    print(f"  numerical / analytic: {t_numerical / t_analytic:,.0f}×; largest relative error on the probed "
          f"weights {max_error:.1e}")

    # ---- part 2: cost of one SGD step
    steps = 20
    sizes = [b for b in (32, 64, 128, 256) if b < args.n] + [args.n]
    per_step = {b: best_time(lambda b=b: sgd(svm_loss_vectorized, W, X, y, learning_rate=1e-3, reg=reg,
                                             batch_size=b, num_iters=steps)) / steps for b in sizes}
    full = per_step[args.n]
    print(f"\none SGD step of the SVM loss, N={args.n} (reference: the full batch, {1e3 * full:.2f} ms a step)")
    print(f"{'batch size':>12}{'ms / step':>12}{'÷ full-batch step':>19}{'ms / epoch':>12}")
    for b in sizes:
        label = f"{b}" + (" (full)" if b == args.n else "")
        print(f"{label:>12}{1e3 * per_step[b]:>12.2f}{per_step[b] / full:>19.2f}"
              f"{1e3 * per_step[b] * (args.n // b):>12.1f}")  # an epoch: N // b steps
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
