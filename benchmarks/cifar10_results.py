"""CIFAR-10 headline numbers next to CS231n's published figures, and full-size k-NN.

Usage (from the repository root)::

    python benchmarks/cifar10_results.py results    # the results table (README "Performance")
    python benchmarks/cifar10_results.py knn-full   # 1-NN on the whole test set, L1 and L2
    python benchmarks/cifar10_results.py --data-dir ../shared/data/cifar-10-sample results

Both read CIFAR-10 with ``course_lib.datasets``: ``--data-dir`` names a folder holding the binary
batches (or its ``cifar-10-batches-bin/``), read as it is; without it, the release in
``COURSE_DATA_DIR`` / ``data/`` (downloaded and hash-checked when absent, as in the notebooks).

``results`` follows CS231n assignment 1's protocol where the data allow it: k-NN on the first
5,000 training / 500 test images (k = 1, then k chosen by 5-fold cross-validation); linear SVM and
softmax trained on the training images minus 1,000 kept for validation, inputs centred by the mean
training image, a small (learning_rate, reg) grid chosen on the validation set, test accuracy
reported once. On the shared sample (10,000 / 2,000 images re-encoded from JPEG) the figures are
close to, not equal to, the published ones.

``knn-full`` predicts every test image with ``course_lib.large_scale.knn_predict`` in blocks of
``--block`` test rows, so memory stays bounded by one (block, N_train) distance block plus the
training set in float32 (50,000 × 3,072 × 4 B = 600 MB), however large the test set.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from course_lib import cross_validation, datasets, knn, large_scale, losses, metrics
from course_lib.linear_classifier import LinearClassifier, append_bias_column
from course_lib.pixels import flatten

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

#: (learning_rate, reg) settings tried per loss; the best on the validation set is reported.
LINEAR_GRID = {
    "svm": [(1e-7, 2.5e4), (1e-7, 5e4), (5e-8, 2.5e4)],
    "softmax": [(1e-7, 2.5e4), (5e-7, 2.5e4), (1e-6, 1e4)],
}


def load_cifar10(data_dir: str | None) -> datasets.Dataset:
    """CIFAR-10 from ``data_dir`` (its batches or its cifar-10-batches-bin/), else the release."""
    if data_dir is None:
        return datasets.load_dataset("cifar10")
    folder = Path(data_dir)
    if (folder / datasets.CIFAR10_FOLDER).is_dir():
        folder = folder / datasets.CIFAR10_FOLDER
    return datasets.load_cifar10_folder(folder)


def rows_float32(images: np.ndarray) -> np.ndarray:
    """The data matrix of ``pixels.flatten`` (same row-major order) in float32: half the memory."""
    return images.reshape(len(images), -1).astype(np.float32)


def knn_first_5000_500(data, num_folds: int = 5, k_choices=K_CHOICES) -> dict:
    """k-NN (L2) on the first 5,000 training and 500 test images, CS231n's protocol.

    Returns acc_k1, best_k, acc_best_k and cv_mean (mean validation accuracy per k).
    """
    X_train, y_train = flatten(data.X_train[:5000]), data.y_train[:5000]
    X_test, y_test = flatten(data.X_test[:500]), data.y_test[:500]
    dists = large_scale.pairwise_distances(X_test, X_train, "l2")
    acc_k1 = metrics.accuracy(y_test, knn.predict_labels(dists, y_train, 1))
    k_choices = [k for k in k_choices if k <= len(y_train) * (num_folds - 1) // num_folds]
    accuracies = cross_validation.cross_validate_knn(X_train, y_train, k_choices, num_folds, distance="l2")
    best_k, _ = cross_validation.best_k(k_choices, accuracies)
    acc_best = metrics.accuracy(y_test, knn.predict_labels(dists, y_train, best_k))
    return {"acc_k1": acc_k1, "best_k": best_k, "acc_best_k": acc_best, "cv_mean": accuracies.mean(axis=1)}


def linear_results(data, seed: int = 0, num_iters: int = 1500, num_val: int = 1000) -> dict:
    """Linear SVM and softmax by SGD (batch 200, bias trick, inputs centred): initial losses,
    validation and test accuracies, and the chosen (learning_rate, reg) per loss."""
    X = flatten(data.X_train)
    X_train, y_train = X[:-num_val], data.y_train[:-num_val]
    X_val, y_val = X[-num_val:], data.y_train[-num_val:]
    mean_image = X_train.mean(axis=0)
    X_train, X_val = X_train - mean_image, X_val - mean_image
    X_test = flatten(data.X_test) - mean_image
    C = data.num_classes
    W0 = 1e-4 * np.random.default_rng(seed).standard_normal((X_train.shape[1] + 1, C))
    Xb = append_bias_column(X_train[:500])
    out = {"svm_initial_loss": losses.svm_loss_vectorized(W0, Xb, y_train[:500], 0.0)[0],
           "softmax_initial_loss": losses.softmax_loss_vectorized(W0, Xb, y_train[:500], 0.0)[0]}
    for loss, settings in LINEAR_GRID.items():
        best = None
        for learning_rate, reg in settings:
            model = LinearClassifier(X_train.shape[1], C, weight_scale=1e-4, seed=seed)
            model.fit(X_train, y_train, loss=loss, learning_rate=learning_rate, reg=reg,
                      num_iters=num_iters, batch_size=200, seed=seed)
            val = model.accuracy(X_val, y_val)
            if best is None or val > best[0]:
                best = (val, (learning_rate, reg), model)
        val, setting, model = best
        out.update({f"{loss}_val": val, f"{loss}_test": model.accuracy(X_test, data.y_test),
                    f"{loss}_setting": setting})
    return out


def _results(args) -> int:
    data = load_cifar10(args.data_dir)
    print(f"CIFAR-10 as loaded: {len(data.y_train):,} training / {len(data.y_test):,} test images")
    start = time.perf_counter()
    k = knn_first_5000_500(data)
    lin = linear_results(data, num_iters=args.num_iters)
    rows = [
        ("k-NN L2, k = 1 (first 5,000 / 500)", f"{k['acc_k1']:.1%}", CS231N_REFERENCE["knn_k1_5000_500"]),
        (f"k-NN L2, cross-validated k = {k['best_k']}", f"{k['acc_best_k']:.1%}",
         CS231N_REFERENCE["knn_best_k_5000_500"]),
        ("linear SVM, validation / test", f"{lin['svm_val']:.1%} / {lin['svm_test']:.1%}",
         CS231N_REFERENCE["svm_val_test"]),
        ("softmax, validation / test", f"{lin['softmax_val']:.1%} / {lin['softmax_test']:.1%}",
         CS231N_REFERENCE["softmax_val_test"]),
        ("initial SVM loss (W ≈ 0)", f"{lin['svm_initial_loss']:.2f}", CS231N_REFERENCE["svm_initial_loss"]),
        ("initial softmax loss (W ≈ 0)", f"{lin['softmax_initial_loss']:.3f}",
         CS231N_REFERENCE["softmax_initial_loss"]),
    ]
    print("\n| measure | this course | CS231n reference |\n| --- | --- | --- |")
    for row in rows:
        print(f"| {row[0]} | {row[1]} | {row[2]} |")
    print(f"\n(took {time.perf_counter() - start:.0f} s; SVM chose learning_rate, reg = {lin['svm_setting']}, "
          f"softmax {lin['softmax_setting']})")
    return 0


def _knn_full(args) -> int:
    data = load_cifar10(args.data_dir)
    n_train, n_test = len(data.y_train), len(data.y_test)
    if n_train < 50_000 or n_test < 10_000:
        print(f"note: {n_train:,} training / {n_test:,} test images present, not the full 50,000 / 10,000; "
              "the accuracies are for this smaller set")
    X_train, X_test = rows_float32(data.X_train), rows_float32(data.X_test)
    for distance in args.distances:
        start = time.perf_counter()
        y_pred = large_scale.knn_predict(X_train, data.y_train, X_test, k=1, distance=distance,
                                         block_rows=args.block, progress=True)
        print(f"1-NN {distance.upper()}: accuracy {metrics.accuracy(data.y_test, y_pred):.1%} "
              f"(CS231n, full set: {CS231N_REFERENCE[f'full_1nn_{distance}']}) "
              f"in {time.perf_counter() - start:.0f} s")
    return 0


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {text}")
    return value


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python benchmarks/cifar10_results.py",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=None,
                        help="folder holding the CIFAR-10 binary batches (default: COURSE_DATA_DIR or data/)")
    sub = parser.add_subparsers(dest="command", required=True)
    results = sub.add_parser("results", help="the CIFAR-10 results table next to CS231n's figures")
    results.add_argument("--num-iters", type=_positive_int, default=1500, help="SGD steps per linear classifier")
    full = sub.add_parser("knn-full", help="1-NN accuracy on the whole test set, bounded memory")
    full.add_argument("--block", type=_positive_int, default=500, help="test rows per distance block")
    full.add_argument("--distances", nargs="+", default=["l1", "l2"], choices=["l1", "l2"])
    args = parser.parse_args(argv)
    return _results(args) if args.command == "results" else _knn_full(args)


if __name__ == "__main__":
    sys.exit(main())
