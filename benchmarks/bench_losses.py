"""Benchmark: vectorised vs naive loss + gradient (course_lib.losses).

Problem size as in CS231n's assignment 1: N = 500 examples, D = 3,073 features (a
CIFAR-10 image, 32 x 32 x 3 = 3,072 values, plus the bias column), C = 10 classes, with
small random weights (scale 1e-4) and reg = 5e-6. Random data stands in for images: the
cost of these functions does not depend on the values.

Reference: the naive (explicit-loop) implementation of the same loss. The goal is a
vectorised version at least 100x faster (best of several repeats each). Timings on a loaded
or shared machine are noisy; run it when the machine is idle.

Usage::

    python benchmarks/bench_losses.py [--repeats 10] [--n 500] [--d 3073] [--c 10]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from course_lib.losses import (
    softmax_loss_naive,
    softmax_loss_vectorized,
    svm_loss_naive,
    svm_loss_vectorized,
)

GOAL = 100.0


def best_time(fn, *args, repeats: int) -> float:
    """Smallest wall time in seconds of ``repeats`` calls of ``fn(*args)``."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn(*args)
        best = min(best, time.perf_counter() - start)
    return best


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--d", type=int, default=3073)
    parser.add_argument("--c", type=int, default=10)
    args = parser.parse_args(argv)

    rng = np.random.default_rng(0)
    X = rng.normal(scale=60.0, size=(args.n, args.d))
    y = rng.integers(0, args.c, size=args.n)
    W = rng.normal(scale=1e-4, size=(args.d, args.c))
    reg = 5e-6

    print(f"loss + gradient, N={args.n}, D={args.d}, C={args.c}, best of {args.repeats}")
    print(f"{'loss':<10}{'naive (ms)':>12}{'vectorised (ms)':>17}{'speed-up':>10}   goal >= {GOAL:.0f}x")
    all_ok = True
    for name, naive, vectorized in [
        ("svm", svm_loss_naive, svm_loss_vectorized),
        ("softmax", softmax_loss_naive, softmax_loss_vectorized),
    ]:
        loss_a, dW_a = naive(W, X, y, reg)
        loss_b, dW_b = vectorized(W, X, y, reg)
        agree = np.isclose(loss_a, loss_b, rtol=1e-10) and np.allclose(dW_a, dW_b, rtol=1e-8, atol=1e-12)
        t_naive = best_time(naive, W, X, y, reg, repeats=args.repeats)
        t_vec = best_time(vectorized, W, X, y, reg, repeats=args.repeats)
        ratio = t_naive / t_vec
        ok = ratio >= GOAL
        all_ok &= ok and agree
        print(
            f"{name:<10}{1e3 * t_naive:>12.1f}{1e3 * t_vec:>17.2f}{ratio:>9.0f}x   "
            f"{'met' if ok else 'NOT met'}; results {'agree' if agree else 'DISAGREE'}"
        )
    if not all_ok:
        print(
            "note: each step of the naive loops is itself a numpy operation over all D features, so the\n"
            "naive versions are far from pure-Python speed; the vectorised ones are bound by reading X\n"
            "(N x D float64) twice, for X @ W and for the gradient X.T @ (...)."
        )
    return 0 if all_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
