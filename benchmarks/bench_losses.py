"""Benchmark: vectorized vs naive loss + gradient (course_lib.losses).

Reference, named in every line: the naive version of the same loss (CS231n's loops over images
and classes). Problem size as in CS231n's assignment 1: N = 500 images, D = 3,073 (a CIFAR-10
image, 32 × 32 × 3 = 3,072 values, plus the bias column), C = 10, small random weights
(scale 1e-4), reg = 5e-6. Random values stand in for images: the cost does not depend on them.
Best of ``--repeats`` interleaved runs; timings are inflated on a busy machine.

Each naive step is already a numpy operation over all D features, so the naive versions are far
from pure-Python speed; the vectorized ones are bound by reading X twice (X @ W, and X.T @ ...).

Usage::

    python benchmarks/bench_losses.py [--repeats 5] [--n 500] [--d 3073] [--c 10]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from course_lib.losses import softmax_loss_naive, softmax_loss_vectorized, svm_loss_naive, svm_loss_vectorized


def best_times(contenders: dict, repeats: int) -> dict:
    """Smallest wall time in seconds of each contender, the contenders run in turn each round."""
    best = dict.fromkeys(contenders, float("inf"))
    for _ in range(repeats):
        for name, fn in contenders.items():
            start = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
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
    print(f"{'loss':<9}{'naive (reference)':>19}{'vectorized':>12}{'naive / vectorized':>20}   results")
    agree_all = True
    for name, naive, vectorized in [("svm", svm_loss_naive, svm_loss_vectorized),
                                    ("softmax", softmax_loss_naive, softmax_loss_vectorized)]:
        (loss_a, dW_a), (loss_b, dW_b) = naive(W, X, y, reg), vectorized(W, X, y, reg)
        agree = np.isclose(loss_a, loss_b, rtol=1e-10) and np.allclose(dW_a, dW_b, rtol=1e-8, atol=1e-12)
        agree_all &= bool(agree)
        t = best_times({"naive": lambda: naive(W, X, y, reg), "vectorized": lambda: vectorized(W, X, y, reg)},
                       args.repeats)
        print(f"{name:<9}{1e3 * t['naive']:>16.1f} ms{1e3 * t['vectorized']:>9.2f} ms"
              f"{t['naive'] / t['vectorized']:>19.1f}×   {'agree' if agree else 'DISAGREE'}")
    return 0 if agree_all else 1


if __name__ == "__main__":
    raise SystemExit(main())
