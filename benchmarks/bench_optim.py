"""Benchmark: analytic vs numerical gradient, and the cost of an SGD step vs the batch size.

Part 1 — the reason the course computes gradients analytically and uses the numerical one
only to *check* them (notebook 06). Reference: a full centred numerical gradient
(``course_lib.gradients.numerical_gradient``), whose time is measured on a sample of
coordinates and extrapolated to all D·C of them (2 loss evaluations per coordinate). The
analytic gradient (``svm_loss_vectorized``) should be thousands of times faster.

Part 2 — why minibatches: the wall time of one ``course_lib.optim.sgd`` step for batch sizes
32 … N (full-batch gradient descent) and the time per epoch (a pass over N images).

Problem size as in CS231n's assignment 1: N = 500 images, D = 3,073 (CIFAR-10 plus the bias
column), C = 10, random data (the cost does not depend on the values). Timings on a loaded or
shared machine are noisy (and multi-threaded BLAS on a busy machine can be many times slower
than single-threaded: compare with ``OPENBLAS_NUM_THREADS=1``); run it when the machine is idle.

Usage::

    python benchmarks/bench_optim.py [--n 500] [--d 3073] [--c 10] [--probe 200]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from course_lib.gradients import gradient_check
from course_lib.losses import svm_loss_vectorized
from course_lib.optim import sgd

GOAL = 1000.0


def best_time(fn, repeats: int = 5) -> float:
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
    parser.add_argument("--probe", type=int, default=200,
                        help="coordinates timed for the numerical gradient (then extrapolated)")
    args = parser.parse_args(argv)

    rng = np.random.default_rng(0)
    X = rng.normal(scale=0.3, size=(args.n, args.d))
    y = rng.integers(0, args.c, size=args.n)
    W = rng.normal(scale=1e-3, size=(args.d, args.c))
    reg = 1e-3

    # ---- part 1: analytic vs numerical
    t_analytic = best_time(lambda: svm_loss_vectorized(W, X, y, reg))
    _, dW = svm_loss_vectorized(W, X, y, reg)
    f = lambda w: svm_loss_vectorized(w, X, y, reg)[0]  # noqa: E731
    start = time.perf_counter()
    max_err, _ = gradient_check(f, W, dW, num_checks=args.probe, seed=0)
    t_probe = time.perf_counter() - start
    t_numerical = t_probe / args.probe * W.size
    ratio = t_numerical / t_analytic
    print(f"gradient of the SVM loss, N={args.n}, D={args.d}, C={args.c} ({W.size:,} weights)")
    print(f"  analytic (svm_loss_vectorized): {1e3 * t_analytic:10.2f} ms")
    print(f"  numerical, centred (estimated from {args.probe} coordinates): {t_numerical:10.1f} s")
    print(f"  ratio {ratio:,.0f}x (goal >= {GOAL:,.0f}x: {'met' if ratio >= GOAL else 'NOT met'}); "
          f"max relative error on the probed coordinates {max_err:.1e}")

    # ---- part 2: cost of one SGD step
    print(f"\none SGD step of the SVM loss, N={args.n}:")
    print(f"{'batch size':>12}{'ms / step':>12}{'ms / epoch':>13}")
    for batch_size in [32, 64, 128, 256, args.n]:
        steps = 20
        t = best_time(lambda: sgd(svm_loss_vectorized, W, X, y, learning_rate=1e-3, reg=reg,
                                  batch_size=batch_size, num_iters=steps, seed=0), repeats=3)
        per_step = t / steps
        per_epoch = per_step * args.n / min(batch_size, args.n)
        label = f"{batch_size}" + (" (full)" if batch_size >= args.n else "")
        print(f"{label:>12}{1e3 * per_step:>12.2f}{1e3 * per_epoch:>13.1f}")
    return 0 if ratio >= GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main())
