"""CIFAR-10 headline numbers next to CS231n's published figures, and full-size k-NN.

Usage::

    python -m course_lib.benchmarks results     # the results table (README "Performance")
    python -m course_lib.benchmarks knn-full    # 1-NN on the full test set, L1 and L2

Both read CIFAR-10 from ``COURSE_DATA_DIR`` (or the project's ``data/`` folder), as the
notebooks do; ``--data-dir`` overrides it. ``results`` follows CS231n assignment 1's
protocol where the data allow it: k-NN on the first 5,000 training / 500 test images
(k = 1, then k chosen by 5-fold cross-validation); linear SVM and softmax trained on the
training images minus 1,000 kept for validation, inputs centred by the mean training image,
a small grid of (learning_rate, reg) chosen on the validation set, test accuracy reported
once. With the shared sample (10,000 / 2,000 images, pixels from a JPEG re-encoding) the
figures are close to, not equal to, the published ones.

``knn-full`` predicts all test images in blocks of ``--block`` rows, so memory stays
bounded by about ``block × N_train × 8`` bytes for the distance block (500 × 50,000 × 8 B =
200 MB) plus the training set itself, however large the test set.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

from ._validation import check_int, positive_int_arg

#: Published reference figures (CS231n notes "Image classification" and assignment 1).
CS231N_REFERENCE = {
    "knn_k1_5000_500": "≈ 27 %",
    "knn_best_k_5000_500": "≈ 28 %",
    "svm_val_test": "≈ 38-40 %",
    "softmax_val_test": "≈ 38-40 %",
    "svm_initial_loss": "≈ 9 (C - 1)",
    "softmax_initial_loss": "≈ 2.3 (ln 10)",
    "full_1nn_l1": "38.6 %",
    "full_1nn_l2": "35.4 %",
}

K_CHOICES = (1, 3, 5, 8, 10, 12, 15, 20, 50, 100)


def _load(data_dir: str | None):
    from .datasets import load_dataset

    if data_dir is not None:
        os.environ["COURSE_DATA_DIR"] = str(Path(data_dir).resolve())
    return load_dataset("cifar10", download=False)


def knn_first_5000_500(data, num_folds: int = 5, k_choices=K_CHOICES) -> dict:
    """k-NN (L2) on the first 5,000 training and 500 test images, CS231n's protocol.

    Returns a dict with ``acc_k1``, ``best_k``, ``acc_best_k`` and ``cv_mean`` (mean
    validation accuracy per k, shape (len(k_choices),)).
    """
    from .images import flatten
    from .knn import KNearestNeighbor
    from .model_selection import cross_validate_knn

    X_train, y_train = flatten(data.X_train[:5000]), data.y_train[:5000]
    X_test, y_test = flatten(data.X_test[:500]), data.y_test[:500]
    model = KNearestNeighbor().fit(X_train, y_train)
    dists = model.distances(X_test, distance="l2")
    from .knn import predict_from_distances

    acc_k1 = float(np.mean(predict_from_distances(dists, y_train, 1) == y_test))
    acc = cross_validate_knn(X_train, y_train, list(k_choices), num_folds, distance="l2", progress=False)
    cv_mean = np.nanmean(acc, axis=1)
    best_k = int(k_choices[int(np.nanargmax(cv_mean))])
    acc_best = float(np.mean(predict_from_distances(dists, y_train, best_k) == y_test))
    return {"acc_k1": acc_k1, "best_k": best_k, "acc_best_k": acc_best, "cv_mean": cv_mean}


def linear_results(data, seed: int = 0, num_iters: int = 1500, num_val: int = 1000) -> dict:
    """Train linear SVM and softmax classifiers; report initial losses and accuracies.

    Protocol: the last ``num_val`` training images are the validation set, inputs are
    centred by the mean training image, the bias trick is used, SGD with batch size 200;
    (learning_rate, reg) picked from a small grid by validation accuracy; the test set is
    used once per loss, with the chosen setting.
    """
    from .images import flatten
    from .linear import LinearClassifier, append_bias_column
    from .losses import softmax_loss_vectorized, svm_loss_vectorized

    X = flatten(data.X_train)
    X_train, y_train = X[:-num_val], data.y_train[:-num_val]
    X_val, y_val = X[-num_val:], data.y_train[-num_val:]
    X_test, y_test = flatten(data.X_test), data.y_test
    mean_image = X_train.mean(axis=0)
    X_train, X_val, X_test = X_train - mean_image, X_val - mean_image, X_test - mean_image
    C = data.num_classes
    out = {}
    rng = np.random.default_rng(seed)
    W0 = 1e-4 * rng.standard_normal((X_train.shape[1] + 1, C))
    Xb = append_bias_column(X_train[:500])
    out["svm_initial_loss"] = svm_loss_vectorized(W0, Xb, y_train[:500], 0.0)[0]
    out["softmax_initial_loss"] = softmax_loss_vectorized(W0, Xb, y_train[:500], 0.0)[0]
    grid = {
        "svm": [(1e-7, 2.5e4), (1e-7, 5e4), (5e-8, 2.5e4)],
        "softmax": [(1e-7, 2.5e4), (5e-7, 2.5e4), (1e-6, 1e4)],
    }
    for loss, settings in grid.items():
        best = None
        for learning_rate, reg in settings:
            model = LinearClassifier(X_train.shape[1], C, weight_scale=1e-4, seed=seed)
            model.fit(X_train, y_train, loss=loss, learning_rate=learning_rate, reg=reg,
                      num_iters=num_iters, batch_size=200, seed=seed)
            val = model.accuracy(X_val, y_val)
            if best is None or val > best[0]:
                best = (val, learning_rate, reg, model)
        val, learning_rate, reg, model = best
        out[f"{loss}_val"] = val
        out[f"{loss}_test"] = model.accuracy(X_test, y_test)
        out[f"{loss}_setting"] = (learning_rate, reg)
    return out


def _results(args) -> int:
    data = _load(args.data_dir)
    print(f"CIFAR-10 as loaded: {len(data.y_train):,} training / {len(data.y_test):,} test images")
    t0 = time.perf_counter()
    knn = knn_first_5000_500(data)
    lin = linear_results(data, num_iters=args.num_iters)
    rows = [
        ("k-NN L2, k = 1 (first 5,000 / 500)", f"{knn['acc_k1']:.1%}", CS231N_REFERENCE["knn_k1_5000_500"]),
        (f"k-NN L2, cross-validated k = {knn['best_k']}", f"{knn['acc_best_k']:.1%}", CS231N_REFERENCE["knn_best_k_5000_500"]),
        ("linear SVM, validation / test",
         f"{lin['svm_val']:.1%} / {lin['svm_test']:.1%}", CS231N_REFERENCE["svm_val_test"]),
        ("softmax, validation / test",
         f"{lin['softmax_val']:.1%} / {lin['softmax_test']:.1%}", CS231N_REFERENCE["softmax_val_test"]),
        ("initial SVM loss (W ≈ 0)", f"{lin['svm_initial_loss']:.2f}", CS231N_REFERENCE["svm_initial_loss"]),
        ("initial softmax loss (W ≈ 0)", f"{lin['softmax_initial_loss']:.3f}", CS231N_REFERENCE["softmax_initial_loss"]),
    ]
    print()
    print("| measure | this course | CS231n reference |")
    print("| --- | --- | --- |")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} |")
    print(f"\n(took {time.perf_counter() - t0:.0f} s; SVM chose learning_rate, reg = {lin['svm_setting']}, "
          f"softmax {lin['softmax_setting']})")
    return 0


def predict_in_blocks(X_train, y_train, X_test, k: int, distance: str, block: int = 500, progress=True):
    """Predict every test row with k-NN, ``block`` test rows at a time (bounded memory).

    ``block`` : int ≥ 1, the test rows per distance block. Returns the (M,) int64
    predictions. Raises ``TypeError`` / ``ValueError`` for a ``block`` that is not an integer
    ≥ 1, and as :meth:`course_lib.knn.KNearestNeighbor.predict` for the other arguments.
    """
    from tqdm.auto import tqdm

    from .knn import KNearestNeighbor

    block = check_int(block, "block", low=1)
    model = KNearestNeighbor().fit(X_train, y_train)
    out = np.empty(len(X_test), dtype=np.int64)
    starts = range(0, len(X_test), block)
    for s in tqdm(starts, desc=f"1-NN {distance}", disable=not progress):
        out[s:s + block] = model.predict(X_test[s:s + block], k=k, distance=distance)
    return out


def _knn_full(args) -> int:
    from .images import flatten

    data = _load(args.data_dir)
    n_train, n_test = len(data.y_train), len(data.y_test)
    if n_train < 50_000 or n_test < 10_000:
        print(f"note: {n_train:,} training / {n_test:,} test images present, not the full 50,000 / 10,000; "
              "the accuracies are for this smaller set")
    X_train = flatten(data.X_train, dtype=np.float32)
    X_test = flatten(data.X_test, dtype=np.float32)
    for distance in args.distances:
        t0 = time.perf_counter()
        pred = predict_in_blocks(X_train, data.y_train, X_test, 1, distance, block=args.block)
        acc = float(np.mean(pred == data.y_test))
        ref = CS231N_REFERENCE[f"full_1nn_{distance}"]
        print(f"1-NN {distance.upper()}: accuracy {acc:.1%} (CS231n, full set: {ref}) in {time.perf_counter() - t0:.0f} s")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course_lib.benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=None, help="folder holding cifar-10-batches-bin/ (default: COURSE_DATA_DIR or data/)")
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("results", help="the CIFAR-10 results table next to CS231n's figures")
    r.add_argument("--num-iters", type=positive_int_arg, default=1500, help="SGD steps per linear classifier")
    f = sub.add_parser("knn-full", help="1-NN accuracy on the whole test set, bounded memory")
    f.add_argument("--block", type=positive_int_arg, default=500, help="test rows per distance block")
    f.add_argument("--distances", nargs="+", default=["l1", "l2"], choices=["l1", "l2"])
    args = parser.parse_args(argv)
    return _results(args) if args.command == "results" else _knn_full(args)


if __name__ == "__main__":
    sys.exit(main())
