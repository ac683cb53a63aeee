"""Bad input, everywhere: one table of classic mistakes, fed to every public function.

Each row of :data:`CASES` calls one public function (or method, or ``Value`` operation) of
``course_lib`` with one classic bad input — wrong ndim, shapes that do not fit together,
empty arrays, NaN/inf, float or out-of-range labels, k / num_folds out of range,
non-positive learning_rate or batch_size, negative reg, unknown names — and says what must
happen:

* an error row names the exception type (``ValueError`` or ``TypeError``; a handful of
  documented exceptions to that rule are commented where they occur) and a regular
  expression that the message must match: the argument's name and what was expected;
* a "correct result" row (uint8 input where arithmetic could wrap around) checks the
  value: the right behaviour there is the right number, not an error.

No row may end in a bare numpy error (``operands could not be broadcast``), an
``IndexError`` or an unexplained ``ZeroDivisionError``: those are not among the accepted
types, so they fail the row.

:func:`test_every_public_callable_has_a_case` walks ``__all__`` of every public module and
fails when a public function, class or public method has no row here (explicit,
commented allow-list below for names that take no input worth checking).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import course_lib  # noqa: E402
from course_lib import (  # noqa: E402
    benchmarks,
    datasets,
    distances,
    exercises,
    gradients,
    graph,
    images,
    knn,
    linear,
    losses,
    metrics,
    model_selection,
    optim,
    plots,
    run_notebooks,
    training_plot,
)
from course_lib.demos import backprop as d_backprop  # noqa: E402
from course_lib.demos import cross_validation as d_cv  # noqa: E402
from course_lib.demos import knn as d_knn  # noqa: E402
from course_lib.demos import linear as d_linear  # noqa: E402
from course_lib.demos import losses as d_losses  # noqa: E402
from course_lib.demos import optimization as d_opt  # noqa: E402
from course_lib.demos import pixels as d_pixels  # noqa: E402

# ----------------------------------------------------------------------------- shared inputs

X23 = np.arange(6.0).reshape(2, 3)  # N = 2 samples, D = 3 features
Y2 = np.array([0, 1])  # labels of X23
W32 = np.ones((3, 2))  # D = 3, C = 2
B2 = np.zeros(2)  # one bias per class
NAN23 = np.array([[0.0, np.nan, 1.0], [1.0, 2.0, 3.0]])
INF23 = np.array([[0.0, np.inf, 1.0], [1.0, 2.0, 3.0]])
D23 = np.array([[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]])  # distances, M = 2 test × N = 3 training
YTR3 = np.array([0, 1, 1])  # training labels for D23
IMG = np.arange(64, dtype=np.uint8).reshape(8, 8)  # a greyscale image
RGB = np.zeros((8, 8, 3), dtype=np.uint8)
STACK = np.stack([IMG, 255 - IMG, IMG // 2, IMG // 3])  # 4 greyscale images
STACK_Y = np.array([0, 1, 0, 1])
X_TRAIN = np.array([[0.0, 0.0], [0.0, 1.0], [5.0, 5.0], [5.0, 6.0]])  # 4 points in the plane
Y_TRAIN = np.array([0, 0, 1, 1])
X_CV = np.random.default_rng(0).normal(size=(12, 2))
Y_CV = np.array([0, 1] * 6)
U8_0 = np.array([[0]], dtype=np.uint8)
U8_255 = np.array([[255]], dtype=np.uint8)
SCORES_U8 = np.array([[0, 255]], dtype=np.uint8)
X_U8 = np.array([[0, 255, 17], [255, 3, 200]], dtype=np.uint8)  # where uint8 arithmetic wraps
W_SMALL = np.array([[0.01, -0.02], [0.03, 0.0], [-0.01, 0.02]])


def svm(W, X, y, reg):
    return losses.svm_loss_vectorized(W, X, y, reg)


# ----------------------------------------------------------------------------- the table


@dataclass
class Case:
    id: str
    targets: tuple[str, ...]  # qualified public names the row exercises, e.g. "knn.KNearestNeighbor.fit"
    call: Callable[["Ctx"], Any]
    raises: type | tuple | None = None  # expected exception type(s); None: a correct-result row
    match: str | None = None  # regex the message must match (names the argument)
    check: Callable[[Any], bool] | None = None  # for correct-result rows
    xfail: str | None = None  # TEMPORARY: the module's owner is finishing it (see the report)


class Ctx:
    """What a row's call may need: a scratch folder and fresh Axes."""

    def __init__(self, tmp: Path):
        self.tmp = tmp

    def ax(self):
        return plt.subplots()[1]


CASES: list[Case] = []


def case(id, targets, call, raises=None, match=None, check=None, xfail=None):
    if isinstance(targets, str):
        targets = (targets,)
    CASES.append(Case(id, tuple(targets), call, raises, match, check, xfail))


def close(expected, rtol=1e-12, atol=0.0):
    return lambda result: np.allclose(result, expected, rtol=rtol, atol=atol)


def same_as_float(fn, *args, **kwargs):
    """Check: the result for uint8 args equals ``fn`` on the float64 versions of them."""

    def as_float(a):
        return a.astype(np.float64) if isinstance(a, np.ndarray) and a.dtype == np.uint8 else a

    def check(result):
        ref = fn(*[as_float(a) for a in args], **{k: as_float(v) for k, v in kwargs.items()})
        return _equal(result, ref)

    return check


def _equal(a, b):
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    return np.allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=1e-12, atol=1e-12)


# ============================================================================= datasets

case("load_dataset-unknown-name", "datasets.load_dataset",
     lambda c: datasets.load_dataset("imagenet"), ValueError, r"^name must be one of \('mnist', 'cifar10'\)")
case("load_dataset-name-not-str", "datasets.load_dataset",
     lambda c: datasets.load_dataset(10), TypeError, r"^name must be one of")
case("load_dataset-num_train-zero", "datasets.load_dataset",
     lambda c: datasets.load_dataset("mnist", num_train=0), ValueError, r"^num_train must be an integer in \[1, inf\]")
case("load_dataset-num_test-float", "datasets.load_dataset",
     lambda c: datasets.load_dataset("mnist", num_test=2.5), TypeError, r"^num_test must be an integer")
case("load_dataset-negative-seed", "datasets.load_dataset",
     lambda c: datasets.load_dataset("mnist", num_train=10, seed=-1), ValueError, r"^seed must be an integer in \[0, inf\]")
case("load_dataset-balanced-not-bool", "datasets.load_dataset",
     lambda c: datasets.load_dataset("mnist", balanced="yes"), TypeError, r"^balanced must be True or False")
case("load_dataset-download-not-bool", "datasets.load_dataset",
     lambda c: datasets.load_dataset("cifar10", download=1), TypeError, r"^download must be True or False")
case("load_course_dataset-unknown-notebook", "datasets.load_course_dataset",
     lambda c: datasets.load_course_dataset("99_nothing"), ValueError, r"^notebook must be one of \('01_pixels'")
case("load_course_dataset-unknown-dataset", "datasets.load_course_dataset",
     lambda c: datasets.load_course_dataset("02_knn", name="svhn"), ValueError, r"^name must be one of")


def _bad_batch(c):
    path = c.tmp / "data_batch_1.bin"
    path.write_bytes(b"\x00" * 3000)  # not a multiple of the 3,073-byte record
    return datasets.read_cifar10_batch(path)


def _bad_label_batch(c):
    path = c.tmp / "test_batch.bin"
    path.write_bytes(bytes([12]) + b"\x00" * 3072)  # label byte 12 > 9
    return datasets.read_cifar10_batch(path)


def _not_gzip(c):
    archive = c.tmp / "cifar-10-binary.tar.gz"
    archive.write_bytes(b"this is not a gzip file")
    return datasets.extract_cifar10_archive(archive, c.tmp / "out")


case("read_cifar10_batch-path-not-path", "datasets.read_cifar10_batch",
     lambda c: datasets.read_cifar10_batch(3073), TypeError, r"^path must be a file or folder path")
case("read_cifar10_batch-truncated", "datasets.read_cifar10_batch",
     _bad_batch, ValueError, r"data_batch_1\.bin: size 3000 bytes is not a positive multiple of the 3073-byte")
case("read_cifar10_batch-label-out-of-range", "datasets.read_cifar10_batch",
     _bad_label_batch, ValueError, r"test_batch\.bin: record 0 has label byte 12, expected 0-9")
# A missing file is a FileNotFoundError (an OSError naming the path), the standard for files.
case("read_cifar10_batch-missing", "datasets.read_cifar10_batch",
     lambda c: datasets.read_cifar10_batch(c.tmp / "nope.bin"), FileNotFoundError, r"CIFAR-10 batch file not found.*nope\.bin")
case("load_cifar10_folder-not-path", "datasets.load_cifar10_folder",
     lambda c: datasets.load_cifar10_folder(None), TypeError, r"^folder must be a file or folder path")
case("load_cifar10_folder-missing", "datasets.load_cifar10_folder",
     lambda c: datasets.load_cifar10_folder(c.tmp / "nowhere"), FileNotFoundError, r"CIFAR-10 folder not found")
case("extract_cifar10_archive-archive-not-path", "datasets.extract_cifar10_archive",
     lambda c: datasets.extract_cifar10_archive(1.5, c.tmp), TypeError, r"^archive must be a file or folder path")
case("extract_cifar10_archive-target-not-path", "datasets.extract_cifar10_archive",
     lambda c: datasets.extract_cifar10_archive(c.tmp / "a.tar.gz", 7), TypeError, r"^target_dir must be a file or folder path")
case("extract_cifar10_archive-not-gzip", "datasets.extract_cifar10_archive",
     _not_gzip, ValueError, r"cifar-10-binary\.tar\.gz is damaged or truncated")
case("download_cifar10-bad-url", "datasets.download_cifar10",
     lambda c: datasets.download_cifar10(c.tmp, url="file:///etc/passwd"), ValueError, r"^url must be an http://, https:// or ftp:// URL")
case("download_cifar10-url-not-str", "datasets.download_cifar10",
     lambda c: datasets.download_cifar10(c.tmp, url=b"http://x"), TypeError, r"^url must be a str")
case("download_cifar10-bad-hash", "datasets.download_cifar10",
     lambda c: datasets.download_cifar10(c.tmp, url="http://127.0.0.1:9/x", known_hash="sha256:abc"),
     ValueError, r"^known_hash must be 'sha256:<64 hex digits>'")
case("download_cifar10-progressbar-not-bool", "datasets.download_cifar10",
     lambda c: datasets.download_cifar10(c.tmp, url="http://127.0.0.1:9/x", known_hash="md5:" + "0" * 32,
                                         progressbar="yes"), TypeError, r"^progressbar must be True or False")
case("download_cifar10-folder-not-path", "datasets.download_cifar10",
     lambda c: datasets.download_cifar10(42, url="http://127.0.0.1:9/x", known_hash="md5:" + "0" * 32),
     TypeError, r"^folder must be a file or folder path")

# ============================================================================= images

case("flatten-1d", "images.flatten",
     lambda c: images.flatten(np.zeros(5)), ValueError, r"^images must be 2-D or 3-D or 4-D, got 1-D")
case("flatten-empty", "images.flatten",
     lambda c: images.flatten(np.zeros((0, 4, 4))), ValueError, r"^images must not be empty")
case("flatten-strings", "images.flatten",
     lambda c: images.flatten(np.array([["a"]])), TypeError, r"^images must be a real numeric array")
case("flatten-integer-dtype", "images.flatten",
     lambda c: images.flatten(STACK, dtype=np.uint8), TypeError, r"^dtype must be a floating-point dtype")
case("flatten-uint8-becomes-float64", "images.flatten",
     lambda c: images.flatten(np.full((1, 2, 2), 255, dtype=np.uint8)),
     check=lambda r: r.dtype == np.float64 and r.shape == (1, 4) and (r == 255.0).all())
case("sample_photo-unknown-name", "images.sample_photo",
     lambda c: images.sample_photo("lena.png"), ValueError, r"^name must be one of \('china\.jpg', 'flower\.jpg'\)")
case("sample_photo-downscale-zero", "images.sample_photo",
     lambda c: images.sample_photo(downscale=0), ValueError, r"^downscale must be an integer in \[1, 100\]")
case("to_grayscale-four-channels", "images.to_grayscale",
     lambda c: images.to_grayscale(np.zeros((4, 4, 4))), ValueError, r"^image must have shape \(H, W\) or \(H, W, 3\)")
case("to_grayscale-nan", "images.to_grayscale",
     lambda c: images.to_grayscale(np.full((2, 2, 3), np.nan)), ValueError, r"^image must contain only finite numbers")
case("to_grayscale-uint8-white-stays-255", "images.to_grayscale",
     lambda c: images.to_grayscale(np.full((2, 2, 3), 255, dtype=np.uint8)),
     check=lambda r: r.dtype == np.uint8 and (r == 255).all())
case("mean_abs_difference-shapes", "images.mean_abs_difference",
     lambda c: images.mean_abs_difference(np.zeros((4, 4)), np.zeros((4, 5))), ValueError,
     r"^a and b must have the same shape, got \(4, 4\) and \(4, 5\)")
case("mean_abs_difference-empty", "images.mean_abs_difference",
     lambda c: images.mean_abs_difference(np.zeros(0), np.zeros(0)), ValueError, r"^a must not be empty")
case("mean_abs_difference-uint8-no-wrap", "images.mean_abs_difference",
     lambda c: images.mean_abs_difference(U8_0, U8_255), check=lambda r: r == 255.0)
case("transform-unknown-kind", "images.transform",
     lambda c: images.transform(IMG, "blur", 0.5), ValueError, r"^kind must be one of \('viewpoint'")
case("transform-strength-above-1", "images.transform",
     lambda c: images.transform(IMG, "shift", 1.5), ValueError, r"^strength must be in \[0, 1\], got 1\.5")
case("transform-strength-negative", "images.transform",
     lambda c: images.transform(IMG, "shift", -0.1), ValueError, r"^strength must be >= 0")
case("transform-not-an-image", "images.transform",
     lambda c: images.transform(np.zeros(5), "shift", 0.5), ValueError, r"^image must have shape \(H, W\) or \(H, W, 3\)")
case("transform-negative-seed", "images.transform",
     lambda c: images.transform(IMG, "clutter", 0.5, seed=-1), ValueError, r"^seed must be an integer in \[0, inf\]")
# uint8 (0-255) or float ([0, 1] / [0, 255]) only: int8 wrapped (occlusion grey 128 became -128)
case("transform-int8-refused", "images.transform",
     lambda c: images.transform(np.zeros((4, 4), np.int8), "occlusion", 1.0), TypeError,
     r"^image must be uint8 or float \(pixel values uint8 \(0-255\) or float \(\[0, 1\] or \[0, 255\]\)\), got dtype int8")
case("to_grayscale-uint16-refused", "images.to_grayscale",
     lambda c: images.to_grayscale(np.full((2, 2, 3), 60000, np.uint16)), TypeError, r"^image must be uint8 or float")
case("transform-float01-occlusion-grey", "images.transform",
     lambda c: images.transform(np.ones((10, 10)), "occlusion", 1.0)[4, 4], check=lambda r: r == 128 / 255)
case("to_grayscale-float01-stays-float", "images.to_grayscale",
     lambda c: images.to_grayscale(np.full((2, 2, 3), 0.5)), check=lambda r: r.dtype == np.float64 and np.allclose(r, 0.5))
case("transform-uint8-illumination", "images.transform",
     lambda c: images.transform(np.full((2, 2), 255, dtype=np.uint8), "illumination", 1.0),
     check=lambda r: r.dtype == np.uint8 and (r == 64).all())  # 255 * 0.25 = 63.75, rounded

# ============================================================================= plots

case("class_cmap-zero", "plots.class_cmap",
     lambda c: plots.class_cmap(0), ValueError, r"^num_classes must be an integer in \[1, 10\], got 0")
case("class_cmap-eleven", "plots.class_cmap",
     lambda c: plots.class_cmap(11), ValueError, r"^num_classes must be an integer in \[1, 10\], got 11")
case("class_cmap-float", "plots.class_cmap",
     lambda c: plots.class_cmap(2.0), TypeError, r"^num_classes must be an integer")
case("show_image-four-channels", "plots.show_image",
     lambda c: plots.show_image(np.zeros((2, 2, 4)), ax=c.ax()), ValueError, r"^image must have shape \(H, W\) or \(H, W, 3\)")
case("show_image-empty", "plots.show_image",
     lambda c: plots.show_image(np.zeros((0, 3)), ax=c.ax()), ValueError, r"^image must not be empty")
case("show_image_grid-empty", "plots.show_image_grid",
     lambda c: plots.show_image_grid(np.zeros((0, 4, 4))), ValueError, r"^images must be a non-empty stack")
case("show_image_grid-2d", "plots.show_image_grid",
     lambda c: plots.show_image_grid(np.zeros((4, 4))), ValueError, r"^images must be a non-empty stack")
case("show_image_grid-ncols-zero", "plots.show_image_grid",
     lambda c: plots.show_image_grid(STACK, ncols=0), ValueError, r"^ncols must be an integer in \[1, inf\]")
case("show_image_grid-size-zero", "plots.show_image_grid",  # was a LinAlgError from tight_layout
     lambda c: plots.show_image_grid(STACK, size=0), ValueError, r"^size must be > 0, got 0\.0")
case("show_image_grid-size-string", "plots.show_image_grid",
     lambda c: plots.show_image_grid(STACK, size="1"), TypeError, r"^size must be a real number")
case("show_image_grid-titles-length", "plots.show_image_grid",
     lambda c: plots.show_image_grid(STACK, titles=["a"]), ValueError, r"^titles has 1 entries but there are 4 images")
case("show_class_examples-float-labels", "plots.show_class_examples",
     lambda c: plots.show_class_examples(STACK, STACK_Y.astype(float), ["a", "b"], per_class=1),
     TypeError, r"^y must hold integer class labels")
case("show_class_examples-labels-length", "plots.show_class_examples",
     lambda c: plots.show_class_examples(STACK, STACK_Y[:3], ["a", "b"], per_class=1),
     ValueError, r"^y has 3 labels but X has 4 rows")
case("show_class_examples-label-out-of-range", "plots.show_class_examples",
     lambda c: plots.show_class_examples(STACK, np.array([0, 1, 2, 1]), ["a", "b"], per_class=1),
     ValueError, r"^y must hold labels in \[0, 2\)")
case("show_class_examples-too-few", "plots.show_class_examples",
     lambda c: plots.show_class_examples(STACK, STACK_Y, ["a", "b"], per_class=3),
     ValueError, r"class 0 has 2 examples, fewer than per_class=3")
case("show_class_examples-negative-seed", "plots.show_class_examples",
     lambda c: plots.show_class_examples(STACK, STACK_Y, ["a", "b"], per_class=1, seed=-1),
     ValueError, r"^seed must be an integer in \[0, inf\]")
case("show_class_examples-flat-X", "plots.show_class_examples",
     lambda c: plots.show_class_examples(STACK.reshape(4, -1), STACK_Y, ["a", "b"], per_class=1),
     ValueError, r"^X must be a stack of images \(N, H, W\) or \(N, H, W, 3\)")
case("new_figure-negative", "plots.new_figure",
     lambda c: plots.new_figure((-1, 2)), ValueError, r"^figsize must be \(width, height\) in inches")
case("new_figure-string", "plots.new_figure",
     lambda c: plots.new_figure("big"), ValueError, r"^figsize must be \(width, height\)")
case("figure_to_png-not-a-figure", "plots.figure_to_png",
     lambda c: plots.figure_to_png(np.zeros((2, 2))), TypeError, r"^fig must be a matplotlib Figure")
case("show_figure-not-a-figure", "plots.show_figure",
     lambda c: plots.show_figure(None), TypeError, r"^fig must be a matplotlib Figure")
case("show_pixel_values-colour", "plots.show_pixel_values",
     lambda c: plots.show_pixel_values(RGB, ax=c.ax()), ValueError, r"^image must be a greyscale patch \(h, w\)")

# ============================================================================= metrics

case("accuracy-lengths", "metrics.accuracy",
     lambda c: metrics.accuracy([0, 1], [0]), ValueError, r"^y_pred has 1 labels but y_true has 2")
case("accuracy-float-labels", "metrics.accuracy",
     lambda c: metrics.accuracy([0.0, 1.0], [0, 1]), TypeError, r"^y_true must hold integer class labels")
case("accuracy-negative-label", "metrics.accuracy",
     lambda c: metrics.accuracy([0, 1], [0, -1]), ValueError, r"^y_pred must hold labels >= 0")
case("accuracy-empty", "metrics.accuracy",
     lambda c: metrics.accuracy(np.array([], dtype=int), np.array([], dtype=int)), ValueError, r"^y_true must not be empty")
case("accuracy-2d", "metrics.accuracy",
     lambda c: metrics.accuracy(np.zeros((2, 2), int), np.zeros((2, 2), int)), ValueError, r"^y_true must be 1-D")
case("accuracy-uint64-label-beyond-int64", "metrics.accuracy",  # wrapped to a negative label
     lambda c: metrics.accuracy(np.array([0, 2**63], np.uint64), np.array([0, 1], np.uint64)), ValueError,
     r"^y_true must hold labels that fit in int64 \(< 2\*\*63\)")
case("accuracy-uint8-labels", "metrics.accuracy",
     lambda c: metrics.accuracy(np.array([0, 255], np.uint8), np.array([0, 255], np.uint8)), check=lambda r: r == 1.0)

# ============================================================================= exercises
# check() reports a wrong answer with an AssertionError by design (the learner's cell stops).

case("check-no-answer", "exercises.check",
     lambda c: exercises.check("distance", None, 3.0), AssertionError, r"^distance: no answer yet")
case("check-nan-answer-is-wrong", "exercises.check",
     lambda c: exercises.check("sum", np.array([1.0, np.nan]), [1.0, 2.0]), AssertionError,
     r"^sum: not yet\. The answer contains NaN or inf")
case("check-wrong-shape-is-wrong", "exercises.check",
     lambda c: exercises.check("row", [1.0, 2.0], [[1.0, 2.0]]), AssertionError,
     r"^row: not yet\. The answer has shape \(2,\), expected shape \(1, 2\)")
case("check-uint8-answer-compared-as-numbers", "exercises.check",
     lambda c: exercises.check("d", np.array([0, 255], np.uint8), [0.0, 255.0]), check=lambda r: r is None)
# text is never turned into a number: "5" is not 5 (it was accepted)
case("check-text-answer-is-not-a-number", "exercises.check",
     lambda c: exercises.check("q", "5", 5), AssertionError,
     r"^q: not yet\. The answer is text \('5'\), expected a value of type int")
case("check-number-answer-is-not-text", "exercises.check",
     lambda c: exercises.check("q", 5, "5"), AssertionError, r"^q: not yet\. The answer is of type int, expected text")
# arrays of text and dicts of arrays are compared entry by entry (they crashed: "truth value ... ambiguous")
case("check-text-array-vs-list", "exercises.check",
     lambda c: exercises.check("q", np.array(["a", "b"]), ["a", "b"]), check=lambda r: r is None)
case("check-text-array-vs-wrong-list", "exercises.check",
     lambda c: exercises.check("q", np.array(["a", "b"]), ["a", "c"]), AssertionError, r"^q: not yet\. Entry 1: wrong\.")
case("check-dict-of-arrays", "exercises.check",
     lambda c: exercises.check("q", {"k": np.array([1.0, 2.0]), "n": 3}, {"n": 3, "k": [1.0, 2.0]}),
     check=lambda r: r is None)
case("check-dict-of-arrays-wrong", "exercises.check",
     lambda c: exercises.check("q", {"k": np.array([1.0, 2.0])}, {"k": np.array([1.0, 2.5])}), AssertionError,
     r"^q: not yet\. Entry 'k':")
case("check-dict-keys-differ", "exercises.check",
     lambda c: exercises.check("q", {"a": 1}, {"b": 1}), AssertionError, r"^q: not yet\. The answer has the keys \['a'\]")
# NaN where NaN is expected is right (equal_nan)
case("check-nan-expected-nan", "exercises.check",
     lambda c: exercises.check("q", np.nan, float("nan")), check=lambda r: r is None)
case("check-nan-in-array-expected", "exercises.check",
     lambda c: exercises.check("q", np.array([0.5, np.nan]), [0.5, np.nan]), check=lambda r: r is None)
case("check-rtol-not-a-number", "exercises.check",
     lambda c: exercises.check("q", 1.0, 1.0, rtol="x"), TypeError, r"^rtol must be a real number")
case("check-atol-negative", "exercises.check",
     lambda c: exercises.check("q", 1.0, 1.0, atol=-1.0), ValueError, r"^atol must be >= 0")

# ============================================================================= linear

case("linear_scores-X-W-mismatch", "linear.linear_scores",
     lambda c: linear.linear_scores(X23, np.ones((4, 2)), B2), ValueError,
     r"^X has shape \(2, 3\) \(N, D\) but W has shape \(4, 2\) \(D, C\)")
case("linear_scores-b-mismatch", "linear.linear_scores",
     lambda c: linear.linear_scores(X23, W32, np.zeros(3)), ValueError, r"^b has shape \(3,\) but W has shape \(3, 2\)")
case("linear_scores-X-1d", "linear.linear_scores",
     lambda c: linear.linear_scores(np.zeros(3), W32, B2), ValueError, r"^X must be 2-D of shape \(N, D\), got 1-D")
case("linear_scores-W-3d", "linear.linear_scores",
     lambda c: linear.linear_scores(X23, np.ones((3, 2, 1)), B2), ValueError, r"^W must be 2-D, got 3-D")
case("linear_scores-b-2d", "linear.linear_scores",
     lambda c: linear.linear_scores(X23, W32, np.zeros((1, 2))), ValueError, r"^b must be 1-D, got 2-D")
case("linear_scores-nan", "linear.linear_scores",
     lambda c: linear.linear_scores(NAN23, W32, B2), ValueError, r"^X must contain only finite numbers")
case("linear_scores-uint8-no-wrap", "linear.linear_scores",
     lambda c: linear.linear_scores(np.array([[255, 255]], np.uint8), np.ones((2, 1)), np.zeros(1)),
     check=lambda r: r[0, 0] == 510.0)
case("append_bias_column-1d", "linear.append_bias_column",
     lambda c: linear.append_bias_column(np.zeros(3)), ValueError, r"^X must be 2-D, got 1-D")
case("append_bias_column-empty", "linear.append_bias_column",
     lambda c: linear.append_bias_column(np.zeros((0, 3))), ValueError, r"^X must not be empty")
case("append_bias_column-uint8", "linear.append_bias_column",
     lambda c: linear.append_bias_column(U8_255), check=lambda r: r.dtype == np.float64 and r.tolist() == [[255.0, 1.0]])
case("fold_bias-b-mismatch", "linear.fold_bias",
     lambda c: linear.fold_bias(W32, np.zeros(3)), ValueError, r"^b has shape \(3,\) but W has shape \(3, 2\)")
case("fold_bias-inf", "linear.fold_bias",
     lambda c: linear.fold_bias(W32, np.array([0.0, np.inf])), ValueError, r"^b must contain only finite numbers")
case("unfold_bias-one-row", "linear.unfold_bias",
     lambda c: linear.unfold_bias(np.zeros((1, 3))), ValueError, r"^W_folded must have at least 2 rows")
case("unfold_bias-1d", "linear.unfold_bias",
     lambda c: linear.unfold_bias(np.zeros(3)), ValueError, r"^W_folded must be 2-D")
case("LinearClassifier-zero-features", "linear.LinearClassifier",
     lambda c: linear.LinearClassifier(0, 3), ValueError, r"^num_features must be an integer in \[1, inf\]")
case("LinearClassifier-one-class", "linear.LinearClassifier",
     lambda c: linear.LinearClassifier(5, 1), ValueError, r"^num_classes must be an integer in \[2, inf\]")
case("LinearClassifier-float-classes", "linear.LinearClassifier",
     lambda c: linear.LinearClassifier(5, 3.0), TypeError, r"^num_classes must be an integer")
case("LinearClassifier-weight_scale-zero", "linear.LinearClassifier",
     lambda c: linear.LinearClassifier(5, 3, weight_scale=0), ValueError, r"^weight_scale must be > 0")
case("LinearClassifier-negative-seed", "linear.LinearClassifier",
     lambda c: linear.LinearClassifier(5, 3, seed=-1), ValueError, r"^seed must be an integer in \[0, inf\]")
case("LinearClassifier.scores-wrong-D", "linear.LinearClassifier.scores",
     lambda c: linear.LinearClassifier(4, 2).scores(X23), ValueError, r"^X has shape \(2, 3\) \(N, D\) but W has shape \(4, 2\)")
case("LinearClassifier.predict-1d", "linear.LinearClassifier.predict",
     lambda c: linear.LinearClassifier(3, 2).predict(np.zeros(3)), ValueError, r"^X must be 2-D of shape \(N, D\)")
case("LinearClassifier.predict-nan", "linear.LinearClassifier.predict",
     lambda c: linear.LinearClassifier(3, 2).predict(NAN23), ValueError, r"^X must contain only finite numbers")
case("LinearClassifier.accuracy-labels-length", "linear.LinearClassifier.accuracy",
     lambda c: linear.LinearClassifier(3, 2).accuracy(X23, [0, 1, 1]), ValueError, r"^y has 3 labels but X has 2 rows")
case("LinearClassifier.accuracy-label-out-of-range", "linear.LinearClassifier.accuracy",
     lambda c: linear.LinearClassifier(3, 2).accuracy(X23, [0, 2]), ValueError, r"^y must hold labels in \[0, 2\)")
case("LinearClassifier.accuracy-uint8", "linear.LinearClassifier.accuracy",
     lambda c: linear.LinearClassifier(3, 2, seed=1).accuracy(X_U8, Y2),
     check=lambda r: r == linear.LinearClassifier(3, 2, seed=1).accuracy(X_U8.astype(float), Y2))


def _fit(**kwargs):
    args = dict(num_iters=2, batch_size=2)
    args.update(kwargs)
    X = args.pop("X", X23)
    y = args.pop("y", Y2)
    return lambda c: linear.LinearClassifier(3, 2).fit(X, y, **args)


case("LinearClassifier.fit-learning_rate-zero", "linear.LinearClassifier.fit",
     _fit(learning_rate=0.0), ValueError, r"^learning_rate must be > 0, got 0\.0")
case("LinearClassifier.fit-learning_rate-negative", "linear.LinearClassifier.fit",
     _fit(learning_rate=-1e-3), ValueError, r"^learning_rate must be > 0")
case("LinearClassifier.fit-learning_rate-nan", "linear.LinearClassifier.fit",
     _fit(learning_rate=float("nan")), ValueError, r"^learning_rate must be finite")
case("LinearClassifier.fit-reg-negative", "linear.LinearClassifier.fit",
     _fit(reg=-1.0), ValueError, r"^reg must be >= 0, got -1\.0")
case("LinearClassifier.fit-batch_size-zero", "linear.LinearClassifier.fit",
     _fit(batch_size=0), ValueError, r"^batch_size must be an integer in \[1, inf\], got 0")
case("LinearClassifier.fit-batch_size-float", "linear.LinearClassifier.fit",
     _fit(batch_size=2.0), TypeError, r"^batch_size must be an integer")
case("LinearClassifier.fit-num_iters-zero", "linear.LinearClassifier.fit",
     _fit(num_iters=0), ValueError, r"^num_iters must be an integer in \[1, inf\]")
case("LinearClassifier.fit-unknown-loss", "linear.LinearClassifier.fit",
     _fit(loss="hinge"), ValueError, r"^loss must be one of \('softmax', 'svm'\), got 'hinge'")
case("LinearClassifier.fit-callback-not-callable", "linear.LinearClassifier.fit",
     _fit(callback=3), TypeError, r"^callback must be callable")
case("LinearClassifier.fit-wrong-D", "linear.LinearClassifier.fit",
     _fit(X=np.zeros((2, 4))), ValueError, r"^X has shape \(2, 4\) but this classifier has W of shape \(3, 2\)")
case("LinearClassifier.fit-label-out-of-range", "linear.LinearClassifier.fit",
     _fit(y=[0, 2]), ValueError, r"^y must hold labels in \[0, 2\)")
case("LinearClassifier.fit-float-labels", "linear.LinearClassifier.fit",
     _fit(y=[0.0, 1.0]), TypeError, r"^y must hold integer class labels")
case("LinearClassifier.fit-labels-length", "linear.LinearClassifier.fit",
     _fit(y=[0]), ValueError, r"^y has 1 labels but X has 2 rows")
case("LinearClassifier.fit-negative-seed", "linear.LinearClassifier.fit",
     _fit(seed=-3), ValueError, r"^seed must be an integer in \[0, inf\]")


def _fit_history(X):
    model = linear.LinearClassifier(3, 2, seed=0)
    history = model.fit(X, Y2, learning_rate=1e-6, reg=1e-3, num_iters=3, batch_size=2)
    return history, model.W, model.b


case("LinearClassifier.fit-uint8-equals-float64", "linear.LinearClassifier.fit",
     lambda c: _fit_history(X_U8), check=same_as_float(_fit_history, X_U8))
case("weights_as_images-D-mismatch", "linear.weights_as_images",
     lambda c: linear.weights_as_images(np.zeros((10, 3)), (4, 4)), ValueError,
     r"^W has shape \(10, 3\) but image_shape \(4, 4\) has 16 values")
case("weights_as_images-folded-hint", "linear.weights_as_images",
     lambda c: linear.weights_as_images(np.zeros((17, 3)), (4, 4)), ValueError, r"unfold the bias first")
case("weights_as_images-bad-image_shape", "linear.weights_as_images",
     lambda c: linear.weights_as_images(np.zeros((32, 3)), (4, 4, 2)), ValueError, r"^image_shape must be \(H, W\) or \(H, W, 3\)")
case("weights_as_images-image_shape-not-tuple", "linear.weights_as_images",
     lambda c: linear.weights_as_images(np.zeros((16, 3)), 16), TypeError, r"^image_shape must be a tuple")
case("weights_as_images-unknown-mode", "linear.weights_as_images",
     lambda c: linear.weights_as_images(np.zeros((16, 3)), (4, 4), mode="abs"), ValueError,
     r"^mode must be one of \('minmax', 'symmetric'\)")
case("show_templates-class_names-length", "linear.show_templates",
     lambda c: linear.show_templates(np.zeros((16, 3)), (4, 4), ["a"]), ValueError,
     r"^class_names has 1 entries but W has 3 classes")
case("show_templates-ncols-zero", "linear.show_templates",
     lambda c: linear.show_templates(np.zeros((16, 3)), (4, 4), ncols=0), ValueError, r"^ncols must be an integer in \[1, inf\]")
case("zero_line-w-shape", "linear.zero_line",
     lambda c: linear.zero_line([1.0, 2.0, 3.0], 0.0, (0, 1), (0, 1)), ValueError, r"^w must have shape \(2,\), got \(3,\)")
case("zero_line-xlim-reversed", "linear.zero_line",
     lambda c: linear.zero_line([1.0, 2.0], 0.0, (1, 0), (0, 1)), ValueError, r"^xlim must be a pair \(low, high\) with low < high")
case("zero_line-b-nan", "linear.zero_line",
     lambda c: linear.zero_line([1.0, 2.0], float("nan"), (0, 1), (0, 1)), ValueError, r"^b must contain only finite numbers")
case("draw_decision_lines-W-not-2xC", "linear.draw_decision_lines",
     lambda c: linear.draw_decision_lines(c.ax(), W32, B2, (0, 1), (0, 1)), ValueError, r"^W must have shape \(2, C\)")
case("draw_decision_lines-short-labels", "linear.draw_decision_lines",  # was an IndexError
     lambda c: linear.draw_decision_lines(c.ax(), np.ones((2, 3)), np.zeros(3), (0, 1), (0, 1), labels=["a"]),
     ValueError, r"^labels has 1 entries but W has 3 classes")
case("draw_decision_lines-short-colors", "linear.draw_decision_lines",
     lambda c: linear.draw_decision_lines(c.ax(), np.ones((2, 3)), np.zeros(3), (0, 1), (0, 1), colors=["red"]),
     ValueError, r"^colors has 1 entries but W has 3 classes")
case("draw_decision_lines-b-mismatch", "linear.draw_decision_lines",
     lambda c: linear.draw_decision_lines(c.ax(), np.ones((2, 3)), B2, (0, 1), (0, 1)), ValueError,
     r"^b has shape \(2,\) but W has shape \(2, 3\)")

# ============================================================================= losses

for _name in ("svm_loss_naive", "svm_loss_vectorized", "softmax_loss_naive", "softmax_loss_vectorized"):
    _fn = getattr(losses, _name)
    _t = f"losses.{_name}"
    case(f"{_name}-X-W-mismatch", _t, lambda c, f=_fn: f(np.ones((4, 2)), X23, Y2, 0.0), ValueError,
         r"^X has 3 columns \(features D\) but W has 4 rows")
    case(f"{_name}-labels-length", _t, lambda c, f=_fn: f(W32, X23, np.array([0, 1, 1]), 0.0), ValueError,
         r"^y has 3 labels but X has 2 rows")
    case(f"{_name}-label-out-of-range", _t, lambda c, f=_fn: f(W32, X23, np.array([0, 2]), 0.0), ValueError,
         r"^y must hold labels in \[0, 2\)")
    case(f"{_name}-float-labels", _t, lambda c, f=_fn: f(W32, X23, np.array([0.0, 1.0]), 0.0), TypeError,
         r"^y must hold integer class labels")
    case(f"{_name}-reg-negative", _t, lambda c, f=_fn: f(W32, X23, Y2, -0.1), ValueError, r"^reg must be >= 0")
    case(f"{_name}-uint8-equals-float64", _t, lambda c, f=_fn: f(W_SMALL, X_U8, Y2, 0.1),
         check=same_as_float(_fn, W_SMALL, X_U8, Y2, 0.1))
case("svm_loss_vectorized-reg-string", "losses.svm_loss_vectorized",
     lambda c: losses.svm_loss_vectorized(W32, X23, Y2, "0.1"), TypeError, r"^reg must be a real number")
case("softmax_loss_vectorized-X-nan", "losses.softmax_loss_vectorized",
     lambda c: losses.softmax_loss_vectorized(W32, NAN23, Y2, 0.0), ValueError, r"^X must contain only finite numbers")
case("softmax_loss_naive-W-1d", "losses.softmax_loss_naive",
     lambda c: losses.softmax_loss_naive(np.ones(3), X23, Y2, 0.0), ValueError, r"^W must be 2-D, got 1-D")
case("softmax-3d", "losses.softmax",
     lambda c: losses.softmax(np.zeros((2, 2, 2))), ValueError, r"^scores must be 1-D or 2-D, got 3-D")
case("softmax-inf", "losses.softmax",
     lambda c: losses.softmax([[np.inf, 0.0]]), ValueError, r"^scores must contain only finite numbers")
case("softmax-empty", "losses.softmax",
     lambda c: losses.softmax(np.zeros((0, 3))), ValueError, r"^scores must not be empty")
case("softmax-uint8", "losses.softmax",
     lambda c: losses.softmax(SCORES_U8), check=close(losses.softmax(SCORES_U8.astype(float))))
case("hinge_loss-delta-negative", "losses.hinge_loss",
     lambda c: losses.hinge_loss([[1.0, 2.0]], [0], delta=-1), ValueError, r"^delta must be >= 0")
case("hinge_loss-scores-1d", "losses.hinge_loss",
     lambda c: losses.hinge_loss([1.0, 2.0], [0]), ValueError, r"^scores must be 2-D, got 1-D")
case("hinge_loss-labels-length", "losses.hinge_loss",
     lambda c: losses.hinge_loss(np.zeros((2, 3)), [0, 1, 2]), ValueError, r"^y has 3 labels but scores has 2 rows")
case("hinge_loss-uint8-no-wrap", "losses.hinge_loss",
     lambda c: losses.hinge_loss(SCORES_U8, [0]), check=lambda r: r.tolist() == [256.0])  # 255 - 0 + 1
case("cross_entropy-label-out-of-range", "losses.cross_entropy",
     lambda c: losses.cross_entropy(np.zeros((2, 3)), [0, 3]), ValueError, r"^y must hold labels in \[0, 3\)")
case("cross_entropy-negative-label", "losses.cross_entropy",
     lambda c: losses.cross_entropy(np.zeros((2, 3)), [0, -1]), ValueError, r"^y must hold labels >= 0")
case("cross_entropy-labels-2d", "losses.cross_entropy",
     lambda c: losses.cross_entropy(np.zeros((2, 3)), [[0, 1]]), ValueError, r"^y must be 1-D")
case("cross_entropy-uint8", "losses.cross_entropy",
     lambda c: losses.cross_entropy(SCORES_U8, [0]), check=close([255.0 + np.log1p(np.exp(-255.0))]))
case("l2_penalty-empty", "losses.l2_penalty",
     lambda c: losses.l2_penalty(np.zeros((0, 2))), ValueError, r"^W must not be empty")
case("l2_penalty-string", "losses.l2_penalty",
     lambda c: losses.l2_penalty("W"), TypeError, r"^W must be a numeric array")
case("l2_penalty-uint8-no-wrap", "losses.l2_penalty",
     lambda c: losses.l2_penalty(np.array([255], np.uint8)), check=lambda r: r == 65025.0)
case("l2_penalty_grad-nan", "losses.l2_penalty_grad",
     lambda c: losses.l2_penalty_grad([np.nan]), ValueError, r"^W must contain only finite numbers")
case("l2_penalty_grad-uint8", "losses.l2_penalty_grad",
     lambda c: losses.l2_penalty_grad(np.array([200], np.uint8)), check=lambda r: r.tolist() == [400.0])
case("l1_penalty-inf", "losses.l1_penalty",
     lambda c: losses.l1_penalty([1.0, -np.inf]), ValueError, r"^W must contain only finite numbers")
case("l1_penalty-complex", "losses.l1_penalty",
     lambda c: losses.l1_penalty(np.array([1j])), TypeError, r"^W must be a real numeric array")
case("l1_penalty_grad-object", "losses.l1_penalty_grad",
     lambda c: losses.l1_penalty_grad(np.array([None, 1.0], dtype=object)), TypeError, r"^W must be a real numeric array")

# ============================================================================= gradients


def _quad(x):
    return float(np.sum(np.asarray(x) ** 2))


case("numerical_gradient-f-not-callable", "gradients.numerical_gradient",
     lambda c: gradients.numerical_gradient(3, np.zeros(2)), TypeError, r"^f must be a callable")
case("numerical_gradient-h-zero", "gradients.numerical_gradient",
     lambda c: gradients.numerical_gradient(_quad, np.zeros(2), h=0), ValueError, r"^h must be > 0")
case("numerical_gradient-unknown-method", "gradients.numerical_gradient",
     lambda c: gradients.numerical_gradient(_quad, np.zeros(2), method="backward"), ValueError,
     r"^method must be one of \('centred', 'forward'\)")
case("numerical_gradient-x-empty", "gradients.numerical_gradient",
     lambda c: gradients.numerical_gradient(_quad, np.zeros(0)), ValueError, r"^x must not be empty")
case("numerical_gradient-x-nan", "gradients.numerical_gradient",
     lambda c: gradients.numerical_gradient(_quad, [np.nan]), ValueError, r"^x must contain only finite numbers")
case("numerical_gradient-f-returns-array", "gradients.numerical_gradient",
     lambda c: gradients.numerical_gradient(lambda x: x * 2, np.zeros(2)), ValueError, r"^f must return a scalar")
case("numerical_gradient-f-returns-nan", "gradients.numerical_gradient",
     lambda c: gradients.numerical_gradient(lambda x: np.nan, np.zeros(2)), ValueError, r"^f returned nan")


def _uint8_gradient(c):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the documented "converted to float64" warning
        return gradients.numerical_gradient(_quad, np.array([200, 3], np.uint8))


case("numerical_gradient-uint8-gradient-at-float-value", "gradients.numerical_gradient",
     _uint8_gradient, check=close([400.0, 6.0], rtol=1e-6))
case("relative_error-shapes", "gradients.relative_error",
     lambda c: gradients.relative_error(np.zeros(2), np.zeros(3)), ValueError, r"^a and b must have broadcastable shapes")
case("relative_error-near-float-max", "gradients.relative_error",  # a - b overflowed: inf, outside [0, 2]
     lambda c: gradients.relative_error([1.7e308, 1.7e308, 3.0], [-1.7e308, 1.7e308, 1.0]),
     check=lambda r: r.tolist() == [2.0, 0.0, 2.0 / 3.0])
case("relative_error-floor-zero", "gradients.relative_error",
     lambda c: gradients.relative_error(1.0, 1.0, floor=0), ValueError, r"^floor must be > 0")
case("relative_error-nan", "gradients.relative_error",
     lambda c: gradients.relative_error(np.nan, 1.0), ValueError, r"^a must contain only finite numbers")
case("relative_error-uint8-no-wrap", "gradients.relative_error",
     lambda c: gradients.relative_error(np.uint8(0), np.uint8(255)), check=lambda r: r == 1.0)
case("gradient_check-grad-shape", "gradients.gradient_check",
     lambda c: gradients.gradient_check(_quad, np.zeros((2, 3)), np.zeros((3, 2))), ValueError,
     r"^analytic_grad must have the shape of x \(2, 3\), got \(3, 2\)")
case("gradient_check-num_checks-zero", "gradients.gradient_check",
     lambda c: gradients.gradient_check(_quad, np.zeros(3), np.zeros(3), num_checks=0), ValueError,
     r"^num_checks must be an integer in \[1, inf\]")
case("gradient_check-num_worst-zero", "gradients.gradient_check",
     lambda c: gradients.gradient_check(_quad, np.zeros(3), np.zeros(3), num_worst=0), ValueError,
     r"^num_worst must be an integer in \[1, inf\]")
case("gradient_check-negative-seed", "gradients.gradient_check",
     lambda c: gradients.gradient_check(_quad, np.zeros(3), np.zeros(3), num_checks=1, seed=-1), ValueError,
     r"^seed must be an integer in \[0, inf\]")
case("gradient_check-grad-inf", "gradients.gradient_check",
     lambda c: gradients.gradient_check(_quad, np.zeros(2), [0.0, np.inf]), ValueError,
     r"^analytic_grad must contain only finite numbers")
case("gradient_check_verdict-negative", "gradients.gradient_check_verdict",
     lambda c: gradients.gradient_check_verdict(-1.0), ValueError, r"^max_rel_error must be >= 0")
case("gradient_check_verdict-nan", "gradients.gradient_check_verdict",
     lambda c: gradients.gradient_check_verdict(float("nan")), ValueError, r"^max_rel_error must be >= 0")
case("gradient_check_verdict-string", "gradients.gradient_check_verdict",
     lambda c: gradients.gradient_check_verdict("1e-9"), TypeError, r"^max_rel_error must be a real number")

# ============================================================================= optim


def _sgd(**kwargs):
    args = dict(learning_rate=1e-3, reg=0.0, batch_size=2, num_iters=2)
    W = kwargs.pop("W", W32)
    X = kwargs.pop("X", X23)
    y = kwargs.pop("y", Y2)
    fn = kwargs.pop("loss_fn", svm)
    args.update(kwargs)
    return lambda c: optim.sgd(fn, W, X, y, **args)


case("sgd-W-rows-mismatch", "optim.sgd", _sgd(W=np.ones((4, 2))), ValueError,
     r"^W must have one row per feature of X: X is \(2, 3\) so W needs 3 rows, got W of shape \(4, 2\)")
case("sgd-X-y-mismatch", "optim.sgd", _sgd(y=np.array([0, 1, 1])), ValueError,
     r"^X has 2 rows but y has 3; they must match")
case("sgd-learning_rate-zero", "optim.sgd", _sgd(learning_rate=0), ValueError, r"^learning_rate must be > 0, got 0\.0")
case("sgd-learning_rate-negative", "optim.sgd", _sgd(learning_rate=-0.1), ValueError, r"^learning_rate must be > 0")
case("sgd-learning_rate-inf", "optim.sgd", _sgd(learning_rate=float("inf")), ValueError, r"^learning_rate must be finite")
case("sgd-batch_size-zero", "optim.sgd", _sgd(batch_size=0), ValueError, r"^batch_size must be an integer in \[1, inf\]")
case("sgd-batch_size-negative", "optim.sgd", _sgd(batch_size=-5), ValueError, r"^batch_size must be an integer in \[1, inf\]")
case("sgd-num_iters-float", "optim.sgd", _sgd(num_iters=10.0), TypeError, r"^num_iters must be an integer")
case("sgd-reg-negative", "optim.sgd", _sgd(reg=-1e-3), ValueError, r"^reg must be >= 0")
case("sgd-loss_fn-not-callable", "optim.sgd", _sgd(loss_fn="svm"), TypeError, r"^loss_fn must be a callable")
case("sgd-callback-not-callable", "optim.sgd", _sgd(callback="plot"), TypeError, r"^callback must be None or callable")
case("sgd-negative-seed", "optim.sgd", _sgd(seed=-1), ValueError, r"^seed must be an integer in \[0, inf\]")
case("sgd-X-1d", "optim.sgd", _sgd(X=np.zeros(3)), ValueError, r"^X must be 2-D, got 1-D")
case("sgd-X-empty", "optim.sgd", _sgd(X=np.zeros((0, 3)), y=np.zeros(0, int)), ValueError, r"^X must not be empty")
case("sgd-label-out-of-range", "optim.sgd", _sgd(y=np.array([0, 5])), ValueError, r"^y must hold labels in \[0, 2\)")
case("sgd-loss_fn-returns-scalar", "optim.sgd", _sgd(loss_fn=lambda W, X, y, reg: 1.0), TypeError,
     r"^loss_fn must return a pair \(loss, dW\)")


def _sgd_result(X):
    return optim.sgd(svm, W_SMALL, X, Y2, learning_rate=1e-4, reg=1e-3, batch_size=1, num_iters=4, seed=3)


case("sgd-uint8-equals-float64", "optim.sgd", lambda c: _sgd_result(X_U8), check=same_as_float(_sgd_result, X_U8))
case("gradient_descent-learning_rate-negative", "optim.gradient_descent",
     lambda c: optim.gradient_descent(svm, W32, X23, Y2, learning_rate=-1.0, reg=0.0, num_iters=1), ValueError,
     r"^learning_rate must be > 0")
case("gradient_descent-X-nan", "optim.gradient_descent",
     lambda c: optim.gradient_descent(svm, W32, NAN23, Y2, learning_rate=1.0, reg=0.0, num_iters=1), ValueError,
     r"^X must contain only finite numbers")
case("gradient_descent-y-string", "optim.gradient_descent",
     lambda c: optim.gradient_descent(svm, W32, X23, "01", learning_rate=1.0, reg=0.0, num_iters=1), TypeError,
     r"^y must be an array of N labels")
case("random_search-num_tries-zero", "optim.random_search",
     lambda c: optim.random_search(svm, X23, Y2, num_tries=0), ValueError, r"^num_tries must be an integer in \[1, inf\]")
case("random_search-weight_scale-zero", "optim.random_search",
     lambda c: optim.random_search(svm, X23, Y2, num_tries=1, weight_scale=0.0), ValueError, r"^weight_scale must be > 0")
case("random_search-float-labels", "optim.random_search",
     lambda c: optim.random_search(svm, X23, np.array([0.0, 1.0]), num_tries=1), TypeError,
     r"^y must hold integer class labels to infer the number of classes")
case("random_search-num_classes-zero", "optim.random_search",
     lambda c: optim.random_search(svm, X23, Y2, num_tries=1, num_classes=0), ValueError,
     r"^num_classes must be an integer in \[1, inf\]")
case("random_search-reg-negative", "optim.random_search",
     lambda c: optim.random_search(svm, X23, Y2, num_tries=1, reg=-2.0), ValueError, r"^reg must be >= 0")
case("random_local_search-step_size-zero", "optim.random_local_search",
     lambda c: optim.random_local_search(svm, W32, X23, Y2, num_iters=1, step_size=0.0), ValueError,
     r"^step_size must be > 0")
case("random_local_search-W-rows-mismatch", "optim.random_local_search",
     lambda c: optim.random_local_search(svm, np.ones((2, 2)), X23, Y2, num_iters=1, step_size=0.1), ValueError,
     r"^W must have one row per feature of X")
case("random_local_search-num_iters-zero", "optim.random_local_search",
     lambda c: optim.random_local_search(svm, W32, X23, Y2, num_iters=0, step_size=0.1), ValueError,
     r"^num_iters must be an integer in \[1, inf\]")
case("minibatch_indices-num_samples-zero", "optim.minibatch_indices",
     lambda c: optim.minibatch_indices(0, 1, 1), ValueError, r"^num_samples must be an integer in \[1, inf\]")
case("minibatch_indices-batch_size-zero", "optim.minibatch_indices",
     lambda c: optim.minibatch_indices(10, 0, 1), ValueError, r"^batch_size must be an integer in \[1, inf\]")
case("minibatch_indices-num_batches-float", "optim.minibatch_indices",
     lambda c: optim.minibatch_indices(10, 2, 1.5), TypeError, r"^num_batches must be an integer")

# ============================================================================= training_plot

TP = "training_plot.TrainingPlot"
case("TrainingPlot-figsize-zero", TP,  # was a LinAlgError from the layout, at show()
     lambda c: training_plot.TrainingPlot(figsize=(0, 0)), ValueError,
     r"^figsize must be \(width, height\) in inches, both > 0, got \(0, 0\)")
case("TrainingPlot-figsize-string", TP,
     lambda c: training_plot.TrainingPlot(figsize="big"), ValueError, r"^figsize must be \(width, height\)")
case("TrainingPlot-no-panels", TP,
     lambda c: training_plot.TrainingPlot(panels={}), ValueError, r"^panels must name at least one panel")
case("TrainingPlot-repeated-series", TP,
     lambda c: training_plot.TrainingPlot(panels={"a": ("x",), "b": ("x",)}), ValueError,
     r"^panels: series name\(s\) \['x'\] appear more than once")
case("TrainingPlot-panel-not-a-sequence", TP,
     lambda c: training_plot.TrainingPlot(panels={"loss": 3}), TypeError,
     r"^panels\['loss'\] must be a non-empty sequence of series names")
case("TrainingPlot-unknown-logy", TP,
     lambda c: training_plot.TrainingPlot(logy=("nope",)), ValueError, r"^logy/ylim name 'nope' is not a panel")
case("TrainingPlot-logy-as-string", TP,
     lambda c: training_plot.TrainingPlot(logy="accuracy").logy, check=lambda r: r == ("accuracy",))
case("TrainingPlot-interactive-not-bool", TP,
     lambda c: training_plot.TrainingPlot(interactive="yes"), TypeError, r"^interactive must be True or False")
case("TrainingPlot-min_interval-negative", TP,
     lambda c: training_plot.TrainingPlot(min_interval=-1), ValueError, r"^min_interval must be >= 0")
case("TrainingPlot.add-unknown-series", f"{TP}.add",
     lambda c: training_plot.TrainingPlot().add(1, nope=2.0), ValueError, r"^'nope' is not a series of this plot")
case("TrainingPlot.add-value-not-number", f"{TP}.add",
     lambda c: training_plot.TrainingPlot().add(1, loss="2.3"), TypeError, r"^loss must be a real number")
case("TrainingPlot.add-no-values", f"{TP}.add",
     lambda c: training_plot.TrainingPlot().add(1), ValueError, r"^add needs at least one value")
case("TrainingPlot.add-x-not-number", f"{TP}.add",
     lambda c: training_plot.TrainingPlot().add("ten", loss=1.0), TypeError, r"^x must be a real number")
case("TrainingPlot.add-x-nan", f"{TP}.add",
     lambda c: training_plot.TrainingPlot().add(float("nan"), loss=1.0), ValueError, r"^x must be finite")
case("TrainingPlot.callback-every-zero", f"{TP}.callback",
     lambda c: training_plot.TrainingPlot().callback(every=0), ValueError, r"^every must be an integer in \[1, inf\]")
case("TrainingPlot.callback-metric-not-callable", f"{TP}.callback",
     lambda c: training_plot.TrainingPlot().callback(metrics={"val": 0.5}), TypeError, r"^metrics\['val'\] must be a callable")
case("TrainingPlot.callback-unknown-loss_name", f"{TP}.callback",
     lambda c: training_plot.TrainingPlot().callback(loss_name="cost"), ValueError, r"^'cost' is not a series of this plot")
case("TrainingPlot.last-unknown", f"{TP}.last",
     lambda c: training_plot.TrainingPlot().last("nope"), ValueError, r"^'nope' is not a series of this plot")

# ============================================================================= graph (Value and helpers)

V = "graph.Value"
case("Value-string", V, lambda c: graph.Value("3"), TypeError, r"^data must be a real number \(int or float\), got str")
case("Value-bool", V, lambda c: graph.Value(True), TypeError, r"^data must be a real number")
case("Value-nan", V, lambda c: graph.Value(float("nan")), ValueError, r"^data must be a finite number, got nan")
case("Value-of-Value", V, lambda c: graph.Value(graph.Value(1.0)), TypeError, r"^data must be a plain number")
case("Value-label-not-str", V, lambda c: graph.Value(1.0, label=3), TypeError, r"^label must be a str")
case("Value-uint8-scalar", V, lambda c: (graph.Value(np.uint8(255)) + 1).data, check=lambda r: r == 256.0)
case("Value+str", f"{V}.__add__", lambda c: graph.Value(1.0) + "a", TypeError,
     r"unsupported operand type\(s\) for \+: 'Value' and 'str'")
case("Value-overflow-add", f"{V}.__add__", lambda c: graph.Value(1e308) + graph.Value(1e308), ValueError,
     r"the result of '\+' on 1e\+308, 1e\+308 is inf \(overflow\)")
case("Value-minus-None", f"{V}.__sub__", lambda c: graph.Value(1.0) - None, TypeError, r"unsupported operand")
case("Value*list", f"{V}.__mul__", lambda c: graph.Value(1.0) * [2.0], TypeError,
     r"can't multiply sequence by non-int of type 'Value'")  # Python's message, after Value refuses the list
case("Value*overflow", f"{V}.__mul__", lambda c: graph.Value(1e200) * graph.Value(1e200), ValueError,
     r"overflow\): the inputs are too large")
case("Value*uint8-no-wrap", f"{V}.__mul__", lambda c: (graph.Value(np.uint8(200)) * np.uint8(200)).data,
     check=lambda r: r == 40000.0)
# Division by zero stays a ZeroDivisionError (Python's own type), with a message that explains it.
case("Value/zero", f"{V}.__truediv__", lambda c: graph.Value(1.0) / 0, ZeroDivisionError,
     r"^division by zero: the divisor '0' is 0, so a / b and its gradient -a / b\*\*2 are undefined")
case("Value/bool", f"{V}.__truediv__", lambda c: graph.Value(1.0) / True, TypeError, r"unsupported operand")
case("Value**Value", f"{V}.__pow__", lambda c: graph.Value(2.0) ** graph.Value(2.0), TypeError,
     r"^exponent must be a plain number")
case("Value**negative-base-fraction", f"{V}.__pow__", lambda c: graph.Value(-1.0) ** 0.5, ValueError,
     r"^a negative base \(-1\) to the non-integer power 0\.5 is not a real number")
case("Value**nan", f"{V}.__pow__", lambda c: graph.Value(2.0) ** float("nan"), ValueError,
     r"^exponent must be a finite number")
case("Value-zero**negative", f"{V}.__pow__", lambda c: graph.Value(0.0) ** -1, ZeroDivisionError,
     r"^0 \*\* -1 is undefined \(division by zero\)")
case("Value**overflow", f"{V}.__pow__", lambda c: graph.Value(1e200) ** 2, ValueError, r"overflows a float")
case("str+Value", f"{V}.__radd__", lambda c: "a" + graph.Value(1.0), TypeError,
     r'can only concatenate str \(not "Value"\) to str')  # Python's message, after Value refuses the str
case("int+Value", f"{V}.__radd__", lambda c: (np.uint8(255) + graph.Value(1.0)).data, check=lambda r: r == 256.0)
case("None-Value", f"{V}.__rsub__", lambda c: None - graph.Value(1.0), TypeError, r"unsupported operand")
case("uint8-Value-no-wrap", f"{V}.__rsub__", lambda c: (np.uint8(0) - graph.Value(255.0)).data, check=lambda r: r == -255.0)
case("list*Value", f"{V}.__rmul__", lambda c: [1] * graph.Value(2.0), TypeError, r"can't multiply sequence|unsupported operand")
case("number/zero-Value", f"{V}.__rtruediv__", lambda c: 1.0 / graph.Value(0.0), ZeroDivisionError,
     r"^division by zero: the divisor")
case("Value<Value", f"{V}.__lt__", lambda c: graph.Value(1.0) < graph.Value(2.0), TypeError,
     r"^Values cannot be compared with <, >")
case("Value.exp-overflow", f"{V}.exp", lambda c: graph.Value(1000.0).exp(), ValueError,
     r"^exp\(1000\) overflows a float")
case("Value.log-zero", f"{V}.log", lambda c: graph.Value(0.0).log(), ValueError, r"^log is defined only for positive numbers")
case("Value.log-negative", f"{V}.log", lambda c: graph.Value(-2.0, "a").log(), ValueError, r"but 'a' is -2")
case("Value.max-string", f"{V}.max", lambda c: graph.Value(1.0).max("2"), TypeError, r"^other must be a Value or a real number")
case("Value.sigmoid-large-negative", f"{V}.sigmoid", lambda c: graph.Value(-1e4).sigmoid().data, check=lambda r: r == 0.0)
case("Value.sigmoid-large-positive", f"{V}.sigmoid", lambda c: graph.Value(1e4).sigmoid().data, check=lambda r: r == 1.0)
case("Value.tanh-large", f"{V}.tanh", lambda c: graph.Value(-1e4).tanh().data, check=lambda r: r == -1.0)
case("Value.relu-at-zero", f"{V}.relu", lambda c: graph.Value(0.0).relu().data, check=lambda r: r == 0.0)


def _lecture():
    x, y, z = graph.Value(3.0, "x"), graph.Value(5.0, "y"), graph.Value(-2.0, "z")
    return (x + y) * z


case("Value.backward-num_steps-negative", f"{V}.backward", lambda c: _lecture().backward(num_steps=-1), ValueError,
     r"^num_steps must be an integer in \[0, 2\]")
case("Value.backward-num_steps-too-many", f"{V}.backward", lambda c: _lecture().backward(num_steps=3), ValueError,
     r"^num_steps must be an integer in \[0, 2\]")
case("Value.backward-num_steps-float", f"{V}.backward", lambda c: _lecture().backward(num_steps=1.0), TypeError,
     r"^num_steps must be an integer")
case("topological_order-not-Value", "graph.topological_order", lambda c: graph.topological_order(3.0), TypeError,
     r"^node must be a course_lib\.graph\.Value, got float")
case("backward_order-not-Value", "graph.backward_order", lambda c: graph.backward_order("f"), TypeError,
     r"^node must be a course_lib\.graph\.Value")
case("describe_backward_step-step-range", "graph.describe_backward_step",
     lambda c: graph.describe_backward_step(_lecture(), 99), ValueError, r"^step must be an integer in \[0, 2\]")
case("describe_backward_step-not-Value", "graph.describe_backward_step",
     lambda c: graph.describe_backward_step(1.0, 0), TypeError, r"^output must be a course_lib\.graph\.Value")
case("gradients_final_after-negative-step", "graph.gradients_final_after",
     lambda c: graph.gradients_final_after(_lecture(), -1), ValueError, r"^step must be an integer in \[0, 2\]")
case("draw_graph-unknown-show", "graph.draw_graph",
     lambda c: graph.draw_graph(_lecture(), c.ax(), show="both"), ValueError, r"^show must be one of \('gradients', 'values'\)")
case("draw_graph-step-with-values", "graph.draw_graph",
     lambda c: graph.draw_graph(_lecture(), c.ax(), show="values", step=1), ValueError, r"^step must be None when show='values'")
case("draw_graph-step-range", "graph.draw_graph",
     lambda c: graph.draw_graph(_lecture(), c.ax(), step=7), ValueError, r"^step must be an integer in \[0, 2\]")
case("draw_graph-too-many-nodes", "graph.draw_graph",
     lambda c: graph.draw_graph(_lecture(), c.ax(), max_nodes=2), ValueError, r"^node's graph has 5 nodes, more than max_nodes=2")
case("draw_graph-not-Value", "graph.draw_graph",
     lambda c: graph.draw_graph(np.float64(1.0), c.ax()), TypeError, r"^node must be a course_lib\.graph\.Value")
case("grads_of-not-Values", "graph.grads_of",
     lambda c: graph.grads_of([graph.Value(1.0), 2.0]), TypeError, r"^nodes must hold only Values, found float at index \(1,\)")
case("softmax_loss_from_values-X-W-mismatch", "graph.softmax_loss_from_values",
     lambda c: graph.softmax_loss_from_values(np.ones((4, 2)), X23, Y2), ValueError, r"^X has 3 columns but W has 4 rows")
case("softmax_loss_from_values-label-out-of-range", "graph.softmax_loss_from_values",
     lambda c: graph.softmax_loss_from_values(W32, X23, [0, 2]), ValueError, r"^y must hold labels in \[0, 2\)")
case("softmax_loss_from_values-reg-negative", "graph.softmax_loss_from_values",
     lambda c: graph.softmax_loss_from_values(W32, X23, Y2, reg=-1), ValueError, r"^reg must be >= 0")
case("softmax_loss_from_values-uint8-equals-vectorized", "graph.softmax_loss_from_values",
     lambda c: graph.softmax_loss_from_values(W_SMALL, X_U8, Y2, reg=0.1)[0].data,
     check=close(losses.softmax_loss_vectorized(W_SMALL, X_U8.astype(float), Y2, 0.1)[0]))

# ============================================================================= distances

case("l1_distance-shapes", "distances.l1_distance",
     lambda c: distances.l1_distance(np.zeros(3), np.zeros(4)), ValueError, r"^a and b must have the same shape, got \(3,\) and \(4,\)")
case("l1_distance-empty", "distances.l1_distance",
     lambda c: distances.l1_distance(np.zeros(0), np.zeros(0)), ValueError, r"^a must not be empty")
case("l1_distance-uint8-0-255", "distances.l1_distance",
     lambda c: distances.l1_distance(U8_0, U8_255), check=lambda r: r == 255.0)
case("l2_distance-nan", "distances.l2_distance",
     lambda c: distances.l2_distance([0.0, np.nan], [0.0, 0.0]), ValueError, r"^a must contain only finite numbers")
case("l2_distance-strings", "distances.l2_distance",
     lambda c: distances.l2_distance("abc", "abd"), TypeError, r"^a must be a numeric array")
case("l2_distance-uint8-0-255", "distances.l2_distance",
     lambda c: distances.l2_distance(np.array([0, 0], np.uint8), np.array([255, 255], np.uint8)),
     check=close(255.0 * np.sqrt(2.0)))
PD = "distances.pairwise_distances"
case("pairwise_distances-D-mismatch", PD, lambda c: distances.pairwise_distances(X23, np.zeros((4, 5))), ValueError,
     r"^X_test has 3 features per row but X_train has 5")
case("pairwise_distances-unknown-metric", PD, lambda c: distances.pairwise_distances(X23, X23, metric="cosine"), ValueError,
     r"^metric must be one of \('l1', 'l2'\), got 'cosine'")
case("pairwise_distances-unknown-method", PD, lambda c: distances.pairwise_distances(X23, X23, method="fast"), ValueError,
     r"^method must be one of \('two_loops', 'one_loop', 'no_loops'\)")
case("pairwise_distances-chunk_size-zero", PD, lambda c: distances.pairwise_distances(X23, X23, chunk_size=0), ValueError,
     r"^chunk_size must be an integer in \[1, inf\]")
case("pairwise_distances-X_test-1d", PD, lambda c: distances.pairwise_distances(np.zeros(3), X23), ValueError,
     r"^X_test must be 2-D, got 1-D")
case("pairwise_distances-X_train-empty", PD, lambda c: distances.pairwise_distances(X23, np.zeros((0, 3))), ValueError,
     r"^X_train must not be empty")
case("pairwise_distances-X_train-inf", PD, lambda c: distances.pairwise_distances(X23, INF23), ValueError,
     r"^X_train must contain only finite numbers")
case("pairwise_distances-X_test-bool", PD, lambda c: distances.pairwise_distances(np.array([[True]]), np.array([[3.0]])),
     check=lambda r: r.tolist() == [[2.0]])
for _metric in distances.METRICS:
    for _method in distances.METHODS:
        case(f"pairwise_distances-uint8-0-255-{_metric}-{_method}", PD,
             lambda c, m=_metric, h=_method: distances.pairwise_distances(
                 np.array([[0, 255]], np.uint8), np.array([[255, 0], [0, 255]], np.uint8), metric=m, method=h),
             check=close([[255.0 * (2 if _metric == "l1" else np.sqrt(2.0)), 0.0]]))

# ============================================================================= knn

case("nearest_neighbors-k-too-large", "knn.nearest_neighbors",
     lambda c: knn.nearest_neighbors(D23, 4), ValueError, r"^k must be an integer in \[1, 3\] \(the number of training samples\), got 4")
case("nearest_neighbors-k-zero", "knn.nearest_neighbors",
     lambda c: knn.nearest_neighbors(D23, 0), ValueError, r"^k must be an integer in \[1, inf\], got 0")
case("nearest_neighbors-k-float", "knn.nearest_neighbors",
     lambda c: knn.nearest_neighbors(D23, 1.5), TypeError, r"^k must be an integer")
case("nearest_neighbors-dists-1d", "knn.nearest_neighbors",
     lambda c: knn.nearest_neighbors(np.zeros(3), 1), ValueError, r"^dists must be 2-D, got 1-D")
case("nearest_neighbors-dists-nan", "knn.nearest_neighbors",
     lambda c: knn.nearest_neighbors(NAN23, 1), ValueError, r"^dists must contain only finite numbers")
case("vote_counts-labels-length", "knn.vote_counts",
     lambda c: knn.vote_counts(D23, [0, 1], 1), ValueError, r"^y_train has 2 labels but dists has 3 columns")
case("vote_counts-num_classes-zero", "knn.vote_counts",
     lambda c: knn.vote_counts(D23, YTR3, 1, num_classes=0), ValueError, r"^num_classes must be an integer in \[1, inf\]")
case("vote_counts-label-beyond-num_classes", "knn.vote_counts",
     lambda c: knn.vote_counts(D23, YTR3, 1, num_classes=1), ValueError, r"^y_train must hold labels in \[0, 1\)")
case("vote_counts-k-too-large", "knn.vote_counts",
     lambda c: knn.vote_counts(D23, YTR3, 5), ValueError, r"^k must be an integer in \[1, 3\]")
case("predict_from_distances-float-labels", "knn.predict_from_distances",
     lambda c: knn.predict_from_distances(D23, [0.0, 1.0, 1.0], 1), TypeError, r"^y_train must hold integer class labels")
case("predict_from_distances-negative-label", "knn.predict_from_distances",
     lambda c: knn.predict_from_distances(D23, [0, -1, 1], 1), ValueError, r"^y_train must hold labels >= 0")
case("predict_from_distances-dists-inf", "knn.predict_from_distances",
     lambda c: knn.predict_from_distances(INF23, YTR3, 1), ValueError, r"^dists must contain only finite numbers")
KN = "knn.KNearestNeighbor"


def _fitted():
    return knn.KNearestNeighbor().fit(X_TRAIN, Y_TRAIN)


case("KNearestNeighbor.fit-labels-length", f"{KN}.fit",
     lambda c: knn.KNearestNeighbor().fit(X_TRAIN, Y_TRAIN[:3]), ValueError, r"^y has 3 labels but X has 4 rows")
case("KNearestNeighbor.fit-X-1d", f"{KN}.fit",
     lambda c: knn.KNearestNeighbor().fit(np.zeros(4), Y_TRAIN), ValueError, r"^X must be 2-D, got 1-D")
case("KNearestNeighbor.fit-X-nan", f"{KN}.fit",
     lambda c: knn.KNearestNeighbor().fit(NAN23, Y2), ValueError, r"^X must contain only finite numbers")
case("KNearestNeighbor.fit-negative-label", f"{KN}.fit",
     lambda c: knn.KNearestNeighbor().fit(X_TRAIN, [0, 0, -1, 1]), ValueError, r"^y must hold labels >= 0")
case("KNearestNeighbor.fit-float-labels", f"{KN}.fit",
     lambda c: knn.KNearestNeighbor().fit(X_TRAIN, [0.0, 0.0, 1.0, 1.0]), TypeError, r"^y must hold integer class labels")
case("KNearestNeighbor.predict-D-mismatch", f"{KN}.predict",
     lambda c: _fitted().predict(np.zeros((2, 5))), ValueError, r"^X has 5 features per row but the training data has 2")
case("KNearestNeighbor.predict-k-zero", f"{KN}.predict",
     lambda c: _fitted().predict(X_TRAIN, k=0), ValueError, r"^k must be an integer in \[1, inf\], got 0")
case("KNearestNeighbor.predict-k-too-large", f"{KN}.predict",
     lambda c: _fitted().predict(X_TRAIN, k=5), ValueError, r"^k must be an integer in \[1, 4\]")
case("KNearestNeighbor.predict-k-float", f"{KN}.predict",
     lambda c: _fitted().predict(X_TRAIN, k=3.0), TypeError, r"^k must be an integer")
case("KNearestNeighbor.predict-unknown-distance", f"{KN}.predict",
     lambda c: _fitted().predict(X_TRAIN, distance="cosine"), ValueError, r"^distance must be one of \('l1', 'l2'\)")
case("KNearestNeighbor.predict-unknown-method", f"{KN}.predict",
     lambda c: _fitted().predict(X_TRAIN, method="kd_tree"), ValueError, r"^method must be one of")
case("KNearestNeighbor.predict-X-empty", f"{KN}.predict",
     lambda c: _fitted().predict(np.zeros((0, 2))), ValueError, r"^X must not be empty")
# Predicting before fitting is a RuntimeError (wrong order of calls, not a wrong argument).
case("KNearestNeighbor.predict-not-fitted", f"{KN}.predict",
     lambda c: knn.KNearestNeighbor().predict(X_TRAIN), RuntimeError, r"not fitted yet: call fit\(X, y\) first")
for _method in distances.METHODS:
    case(f"KNearestNeighbor.predict-uint8-{_method}", f"{KN}.predict",
         lambda c, h=_method: knn.KNearestNeighbor().fit(np.array([[0, 0], [200, 200]], np.uint8), [0, 1]).predict(
             np.array([[255, 255], [10, 0]], np.uint8), method=h),
         check=lambda r: r.tolist() == [1, 0])
case("KNearestNeighbor.distances-D-mismatch", f"{KN}.distances",
     lambda c: _fitted().distances(np.zeros((1, 3))), ValueError, r"^X_test has 3 features per row but X_train has 2")
case("KNearestNeighbor.distances-unknown-distance", f"{KN}.distances",
     lambda c: _fitted().distances(X_TRAIN, distance="l3"), ValueError, r"^metric must be one of \('l1', 'l2'\)|^distance must be one of")
case("KNearestNeighbor.distances-uint8", f"{KN}.distances",
     lambda c: knn.KNearestNeighbor().fit(U8_0, [0]).distances(U8_255), check=lambda r: r.tolist() == [[255.0]])

# ============================================================================= model_selection

case("train_val_split-labels-length", "model_selection.train_val_split",
     lambda c: model_selection.train_val_split(X_TRAIN, [0, 1, 0], 0.5), ValueError, r"^y has 3 labels but X has 4 rows")
case("train_val_split-val_fraction-float32", "model_selection.train_val_split",  # was 3 of 10
     lambda c: [len(part) for part in model_selection.train_val_split(np.zeros((10, 1)), np.zeros(10, int),
                                                                      np.float32(0.2))[:2]],
     check=lambda r: r == [8, 2])
case("train_val_split-val_fraction-zero", "model_selection.train_val_split",
     lambda c: model_selection.train_val_split(X_TRAIN, Y_TRAIN, 0.0), ValueError, r"^val_fraction must be strictly between 0 and 1")
case("train_val_split-val_fraction-one", "model_selection.train_val_split",
     lambda c: model_selection.train_val_split(X_TRAIN, Y_TRAIN, 1.0), ValueError, r"^val_fraction must be strictly between 0 and 1")
case("train_val_split-val_fraction-string", "model_selection.train_val_split",
     lambda c: model_selection.train_val_split(X_TRAIN, Y_TRAIN, "0.2"), TypeError, r"^val_fraction must be a number in \(0, 1\)")
case("train_val_split-nothing-left", "model_selection.train_val_split",
     lambda c: model_selection.train_val_split(X_TRAIN, Y_TRAIN, 0.9), ValueError, r"^val_fraction=0\.9 leaves no training samples")
case("train_val_split-negative-seed", "model_selection.train_val_split",
     lambda c: model_selection.train_val_split(X_TRAIN, Y_TRAIN, 0.5, seed=-1), ValueError, r"^seed must be an integer in \[0, inf\]")
case("train_val_split-X-nan", "model_selection.train_val_split",
     lambda c: model_selection.train_val_split(NAN23, Y2, 0.5), ValueError, r"^X must contain only finite numbers")
case("train_val_split-uint8-kept", "model_selection.train_val_split",
     lambda c: model_selection.train_val_split(STACK, STACK_Y, 0.5, seed=None),
     check=lambda r: r[0].dtype == np.uint8 and np.array_equal(np.concatenate([r[0], r[1]]), STACK))
case("k_fold_indices-one-fold", "model_selection.k_fold_indices",
     lambda c: model_selection.k_fold_indices(10, 1), ValueError, r"^num_folds must be an integer in \[2, 10\] for 10 samples")
case("k_fold_indices-more-folds-than-samples", "model_selection.k_fold_indices",
     lambda c: model_selection.k_fold_indices(10, 11), ValueError, r"^num_folds must be an integer in \[2, 10\]")
case("k_fold_indices-float-folds", "model_selection.k_fold_indices",
     lambda c: model_selection.k_fold_indices(10, 2.0), TypeError, r"^num_folds must be an integer")
case("k_fold_indices-n-one", "model_selection.k_fold_indices",
     lambda c: model_selection.k_fold_indices(1, 2), ValueError, r"^n must be an integer in \[2, inf\]")
case("k_fold_indices-negative-seed", "model_selection.k_fold_indices",
     lambda c: model_selection.k_fold_indices(10, 2, seed=-1), ValueError, r"^seed must be an integer in \[0, inf\]")
case("fold_sizes-too-many-folds", "model_selection.fold_sizes",
     lambda c: model_selection.fold_sizes(5, 6), ValueError, r"^num_folds must be an integer in \[2, 5\]")
case("fold_sizes-n-float", "model_selection.fold_sizes",
     lambda c: model_selection.fold_sizes(5.0, 2), TypeError, r"^n must be an integer")
CV = "model_selection.cross_validate_knn"
case("cross_validate_knn-k-zero", CV, lambda c: model_selection.cross_validate_knn(X_CV, Y_CV, [0], 2), ValueError,
     r"^k_choices\[0\] must be an integer in \[1, inf\]")
case("cross_validate_knn-k-float", CV, lambda c: model_selection.cross_validate_knn(X_CV, Y_CV, [1, 2.5], 2), TypeError,
     r"^k_choices\[1\] must be an integer")
case("cross_validate_knn-k_choices-scalar", CV, lambda c: model_selection.cross_validate_knn(X_CV, Y_CV, 3, 2), TypeError,
     r"^k_choices must be a sequence of integers")
case("cross_validate_knn-k_choices-empty", CV, lambda c: model_selection.cross_validate_knn(X_CV, Y_CV, [], 2), ValueError,
     r"^k_choices must contain at least one k")
case("cross_validate_knn-one-fold", CV, lambda c: model_selection.cross_validate_knn(X_CV, Y_CV, [1], 1), ValueError,
     r"^num_folds must be an integer in \[2, 12\]")
case("cross_validate_knn-unknown-distance", CV, lambda c: model_selection.cross_validate_knn(X_CV, Y_CV, [1], 2, distance="cos"),
     ValueError, r"^distance must be one of \('l1', 'l2'\)")
case("cross_validate_knn-progress-string", CV, lambda c: model_selection.cross_validate_knn(X_CV, Y_CV, [1], 2, progress="yes"),
     TypeError, r"^progress must be True, False or None")
case("cross_validate_knn-labels-length", CV, lambda c: model_selection.cross_validate_knn(X_CV, Y_CV[:5], [1], 2), ValueError,
     r"^y has 5 labels but X has 12 rows")
case("cross_validate_knn-X-3d", CV, lambda c: model_selection.cross_validate_knn(STACK, STACK_Y, [1], 2), ValueError,
     r"^X must be 2-D, got 3-D")
case("cross_validate_knn-uint8-equals-float64", CV,
     lambda c: model_selection.cross_validate_knn(STACK.reshape(4, -1), STACK_Y, [1, 2], 2, progress=False),
     check=same_as_float(model_selection.cross_validate_knn, STACK.reshape(4, -1), STACK_Y, [1, 2], 2, progress=False))
case("accuracies_from_distances-y_train-length", "model_selection.accuracies_from_distances",
     lambda c: model_selection.accuracies_from_distances(D23, [0, 1], [0, 1], [1]), ValueError, r"^y_train has 2 labels but")
case("accuracies_from_distances-y_val-length", "model_selection.accuracies_from_distances",
     lambda c: model_selection.accuracies_from_distances(D23, YTR3, [0], [1]), ValueError, r"^y_val has 1 labels but")
case("accuracies_from_distances-k-negative", "model_selection.accuracies_from_distances",
     lambda c: model_selection.accuracies_from_distances(D23, YTR3, [0, 1], [-1]), ValueError, r"^k_choices\[0\] must be")
case("best_k-rows-mismatch", "model_selection.best_k",
     lambda c: model_selection.best_k([1, 3], np.zeros((3, 2))), ValueError, r"^accuracies must have one row per k: 2 rows")
case("best_k-all-nan", "model_selection.best_k",
     lambda c: model_selection.best_k([1, 3], np.full((2, 2), np.nan)), ValueError, r"^accuracies has no value for any k")
case("best_k-inf", "model_selection.best_k",
     lambda c: model_selection.best_k([1], np.array([[np.inf]])), ValueError, r"^accuracies must not contain inf")

# ============================================================================= run_notebooks (the runner, tooling)

case("run_notebook-missing-file", "run_notebooks.run_notebook",
     lambda c: run_notebooks.run_notebook(c.tmp / "99_missing.ipynb"), FileNotFoundError, r"99_missing\.ipynb")
case("comparable_outputs-not-a-notebook", "run_notebooks.comparable_outputs",
     lambda c: run_notebooks.comparable_outputs(3), TypeError, r"^nb must be")
case("course_notebooks-folder-not-path", "run_notebooks.course_notebooks",
     lambda c: run_notebooks.course_notebooks(3), TypeError, r"^folder must be")

# ============================================================================= benchmarks (command-line tool; its one library function)

case("predict_in_blocks-block-negative", "benchmarks.predict_in_blocks",  # was: uninitialised memory returned
     lambda c: benchmarks.predict_in_blocks(X_TRAIN, Y_TRAIN, X_TRAIN, 1, "l2", block=-1, progress=False),
     ValueError, r"^block must be an integer in \[1, inf\], got -1")
case("predict_in_blocks-block-zero", "benchmarks.predict_in_blocks",
     lambda c: benchmarks.predict_in_blocks(X_TRAIN, Y_TRAIN, X_TRAIN, 1, "l2", block=0, progress=False),
     ValueError, r"^block must be an integer in \[1, inf\], got 0")
case("predict_in_blocks-block-float", "benchmarks.predict_in_blocks",
     lambda c: benchmarks.predict_in_blocks(X_TRAIN, Y_TRAIN, X_TRAIN, 1, "l2", block=2.0, progress=False),
     TypeError, r"^block must be an integer")
case("predict_in_blocks-block-one", "benchmarks.predict_in_blocks",
     lambda c: benchmarks.predict_in_blocks(X_TRAIN, Y_TRAIN, X_TRAIN + 0.1, 1, "l2", block=1, progress=False),
     check=lambda r: r.tolist() == [0, 0, 1, 1])

# ============================================================================= demos.pixels

case("compare_transformation-unknown-kind", "demos.pixels.compare_transformation",
     lambda c: d_pixels.compare_transformation(IMG, "blur", 0.5), ValueError, r"^kind must be one of")
case("compare_transformation-uint8-no-wrap", "demos.pixels.compare_transformation",
     lambda c: d_pixels.compare_transformation(np.full((4, 4), 255, np.uint8), "illumination", 1.0)["mean_abs_difference"],
     check=lambda r: r == 191.0)  # 255 -> 64
case("draw_transformation-not-an-image", "demos.pixels.draw_transformation",
     lambda c: d_pixels.draw_transformation(np.zeros(3), "shift", 0.5), ValueError, r"^image must have shape \(H, W\) or \(H, W, 3\)")
case("draw_transformation-strength", "demos.pixels.draw_transformation",
     lambda c: d_pixels.draw_transformation(IMG, "shift", 2.0), ValueError, r"^strength must be in \[0, 1\]")
case("transformation_widget-not-an-image", "demos.pixels.transformation_widget",
     lambda c: d_pixels.transformation_widget(np.zeros(3)), ValueError, r"^image must have shape \(H, W\) or \(H, W, 3\)")
case("transformation_widget-negative-seed", "demos.pixels.transformation_widget",
     lambda c: d_pixels.transformation_widget(IMG, seed=-1), ValueError, r"^seed must be an integer in \[0, inf\]")

# ============================================================================= demos.linear

case("toy_data_2d-unknown-kind", "demos.linear.toy_data_2d",
     lambda c: d_linear.toy_data_2d("spiral"), ValueError, r"^kind must be one of \('blobs', 'two_clusters', 'xor'\)")
case("toy_data_2d-num_per_class-zero", "demos.linear.toy_data_2d",
     lambda c: d_linear.toy_data_2d(num_per_class=0), ValueError, r"^num_per_class must be an integer in \[1, inf\]")
case("toy_data_2d-negative-seed", "demos.linear.toy_data_2d",
     lambda c: d_linear.toy_data_2d(seed=-1), ValueError, r"^seed must be an integer in \[0, inf\]")
case("plane_grid-lim-zero", "demos.linear.plane_grid",
     lambda c: d_linear.plane_grid(lim=0), ValueError, r"^lim must be > 0")
case("plane_grid-resolution-one", "demos.linear.plane_grid",
     lambda c: d_linear.plane_grid(resolution=1), ValueError, r"^resolution must be an integer in \[2, inf\]")
case("winning_class-grid-columns", "demos.linear.winning_class",
     lambda c: d_linear.winning_class(np.ones((2, 3)), np.zeros(3), np.zeros((5, 3))), ValueError,
     r"^grid has 3 columns but W has 2 rows")
case("winning_class-grid-1d", "demos.linear.winning_class",
     lambda c: d_linear.winning_class(np.ones((2, 3)), np.zeros(3), np.zeros(2)), ValueError, r"^grid must be 2-D")
case("winning_class-b-mismatch", "demos.linear.winning_class",
     lambda c: d_linear.winning_class(np.ones((2, 3)), np.zeros(2), np.zeros((5, 2))), ValueError, r"^b has shape \(2,\)")
case("winning_class-uint8-grid", "demos.linear.winning_class",
     lambda c: d_linear.winning_class(np.array([[1.0, -1.0], [0.0, 0.0]]), np.array([0.0, 100.0]),
                                      np.array([[255, 0], [0, 0]], np.uint8)),
     check=lambda r: r.tolist() == [0, 1])
case("draw_linear_2d-W-not-2xC", "demos.linear.draw_linear_2d",
     lambda c: d_linear.draw_linear_2d(c.ax(), W32, B2), ValueError, r"^W must have shape \(2, C\)")
case("draw_linear_2d-X-without-y", "demos.linear.draw_linear_2d",
     lambda c: d_linear.draw_linear_2d(c.ax(), d_linear.DEMO_W, d_linear.DEMO_B, X=X_TRAIN), ValueError,
     r"^y must be given together with X")
case("draw_linear_2d-label-out-of-range", "demos.linear.draw_linear_2d",
     lambda c: d_linear.draw_linear_2d(c.ax(), d_linear.DEMO_W, d_linear.DEMO_B, X=X_TRAIN, y=[0, 1, 2, 3]), ValueError,
     r"^y must hold labels in \[0, 3\)")
case("draw_linear_2d-X-three-columns", "demos.linear.draw_linear_2d",
     lambda c: d_linear.draw_linear_2d(c.ax(), d_linear.DEMO_W, d_linear.DEMO_B, X=np.zeros((4, 3)), y=Y_TRAIN), ValueError,
     r"^X must have shape \(N, 2\)")
case("draw_score_plane-w-shape", "demos.linear.draw_score_plane",
     lambda c: d_linear.draw_score_plane(c.ax(), [1.0, 2.0, 3.0], 0.0), ValueError, r"^w must have shape \(2,\)")
case("draw_score_plane-b-array", "demos.linear.draw_score_plane",
     lambda c: d_linear.draw_score_plane(c.ax(), [1.0, 2.0], [0.0, 1.0]), ValueError, r"^b must be 0-D")
case("random_linear_recalls-num_classes-one", "demos.linear.random_linear_recalls",
     lambda c: d_linear.random_linear_recalls(X_TRAIN, Y_TRAIN, 1), ValueError, r"^num_classes must be an integer in \[2, inf\]")
case("random_linear_recalls-num_tries-zero", "demos.linear.random_linear_recalls",
     lambda c: d_linear.random_linear_recalls(X_TRAIN, Y_TRAIN, 2, num_tries=0), ValueError, r"^num_tries must be an integer")
case("random_linear_recalls-scale-zero", "demos.linear.random_linear_recalls",
     lambda c: d_linear.random_linear_recalls(X_TRAIN, Y_TRAIN, 2, scale=0.0), ValueError, r"^scale must be > 0")
case("random_linear_recalls-label-out-of-range", "demos.linear.random_linear_recalls",
     lambda c: d_linear.random_linear_recalls(X_TRAIN, [0, 1, 2, 0], 2), ValueError, r"^y must hold labels in \[0, 2\)")
case("per_class_accuracy-lengths", "demos.linear.per_class_accuracy",
     lambda c: d_linear.per_class_accuracy([0, 1], [0], 2), ValueError, r"^y_pred has 1 labels but y_true has 2")
case("per_class_accuracy-num_classes-zero", "demos.linear.per_class_accuracy",
     lambda c: d_linear.per_class_accuracy([0, 1], [0, 1], 0), ValueError, r"^num_classes must be an integer in \[1, inf\]")
case("per_class_accuracy-label-out-of-range", "demos.linear.per_class_accuracy",
     lambda c: d_linear.per_class_accuracy([0, 1], [0, 2], 2), ValueError, r"^y_pred must hold labels in \[0, 2\)")
case("linear_2d_widget-four-classes", "demos.linear.linear_2d_widget",
     lambda c: d_linear.linear_2d_widget(W=np.ones((2, 4)), b=np.zeros(4)), ValueError, r"W must have shape \(2, 3\), got \(2, 4\)")
case("linear_2d_widget-b-mismatch", "demos.linear.linear_2d_widget",
     lambda c: d_linear.linear_2d_widget(b=np.zeros(2)), ValueError, r"^b has shape \(2,\) but W has shape \(2, 3\)")

# ============================================================================= demos.losses

case("compute_loss_comparison-nan-score", "demos.losses.compute_loss_comparison",
     lambda c: d_losses.compute_loss_comparison(float("nan"), 1.0), ValueError, r"^correct_score must be finite")
case("compute_loss_comparison-string-score", "demos.losses.compute_loss_comparison",
     lambda c: d_losses.compute_loss_comparison(2.0, "1"), TypeError, r"^wrong_score must be a real number")
case("compute_loss_comparison-other_scores-2d", "demos.losses.compute_loss_comparison",
     lambda c: d_losses.compute_loss_comparison(2.0, 1.0, [[1.0]]), ValueError, r"^other_scores must be 1-D")
case("compute_loss_comparison-delta-negative", "demos.losses.compute_loss_comparison",
     lambda c: d_losses.compute_loss_comparison(2.0, 1.0, delta=-1.0), ValueError, r"^delta must be >= 0")
case("compute_loss_comparison-uint8-scores", "demos.losses.compute_loss_comparison",
     lambda c: d_losses.compute_loss_comparison(np.uint8(0), np.uint8(255), ())["hinge"], check=lambda r: r == 256.0)
case("draw_loss_comparison-class_names-length", "demos.losses.draw_loss_comparison",
     lambda c: d_losses.draw_loss_comparison(2.0, 1.0, class_names=("a", "b")), ValueError,
     r"^class_names must have one name per score \(3\), got 2")
case("draw_loss_comparison-class_names-a-string", "demos.losses.draw_loss_comparison",
     lambda c: d_losses.draw_loss_comparison(2.0, 1.0, class_names="abc"), TypeError,
     r"^class_names must be a sequence of 3 names, got the str 'abc'")
case("loss_comparison_widget-class_names-length", "demos.losses.loss_comparison_widget",
     lambda c: d_losses.loss_comparison_widget(class_names=("a",)), ValueError, r"^class_names must have one name per score")
case("loss_comparison_widget-delta-negative", "demos.losses.loss_comparison_widget",
     lambda c: d_losses.loss_comparison_widget(delta=-1.0), ValueError, r"^delta must be >= 0")
case("loss_comparison_widget-score-nan", "demos.losses.loss_comparison_widget",
     lambda c: d_losses.loss_comparison_widget(correct_score=float("nan")), ValueError, r"^correct_score must be finite")

# ============================================================================= demos.optimization

case("bowl_loss-w-last-axis", "demos.optimization.bowl_loss",
     lambda c: d_opt.bowl_loss([1.0, 2.0, 3.0]), ValueError, r"^w must have a last axis of length 2")
case("bowl_loss-curvature-negative", "demos.optimization.bowl_loss",
     lambda c: d_opt.bowl_loss([1.0, 2.0], curvatures=(1.0, -1.0)), ValueError, r"^curvatures must be two positive numbers")
case("bowl_loss-uint8-w", "demos.optimization.bowl_loss",
     lambda c: d_opt.bowl_loss(np.array([255, 0], np.uint8))[0], check=lambda r: r == 0.5 * 255.0**2)
case("gradient_descent_path-grad_fn-not-callable", "demos.optimization.gradient_descent_path",
     lambda c: d_opt.gradient_descent_path(3, [0.0, 0.0], 0.1, 1), TypeError, r"^grad_fn must be callable")
case("gradient_descent_path-learning_rate-zero", "demos.optimization.gradient_descent_path",
     lambda c: d_opt.gradient_descent_path(lambda w: w, [0.0, 0.0], 0.0, 1), ValueError, r"^learning_rate must be > 0")
case("gradient_descent_path-num_steps-negative", "demos.optimization.gradient_descent_path",
     lambda c: d_opt.gradient_descent_path(lambda w: w, [0.0, 0.0], 0.1, -1), ValueError, r"^num_steps must be an integer in \[0, inf\]")
case("gradient_descent_path-start-2d", "demos.optimization.gradient_descent_path",
     lambda c: d_opt.gradient_descent_path(lambda w: w, [[0.0, 0.0]], 0.1, 1), ValueError, r"^start must be 1-D")
case("gradient_descent_path-grad-shape", "demos.optimization.gradient_descent_path",
     lambda c: d_opt.gradient_descent_path(lambda w: np.zeros(3), [0.0, 0.0], 0.1, 1), ValueError,
     r"^grad_fn returned shape \(3,\), expected \(2,\)")
case("draw_gd_on_bowl-learning_rate-negative", "demos.optimization.draw_gd_on_bowl",
     lambda c: d_opt.draw_gd_on_bowl(c.ax(), -0.1), ValueError, r"^learning_rate must be > 0")
case("draw_gd_on_bowl-lim-zero", "demos.optimization.draw_gd_on_bowl",
     lambda c: d_opt.draw_gd_on_bowl(c.ax(), 0.1, lim=0.0), ValueError, r"^lim must be > 0")
case("gd_bowl_widget-curvatures", "demos.optimization.gd_bowl_widget",
     lambda c: d_opt.gd_bowl_widget((1.0, 0.0)), ValueError, r"^curvatures must be two positive numbers")
case("loss_slice-X-W-mismatch", "demos.optimization.loss_slice",
     lambda c: d_opt.loss_slice(np.ones((4, 2)), X23, Y2, [np.ones((4, 2))], [0.0, 1.0]), ValueError,
     r"^X has 3 columns but W has 4 rows")
case("loss_slice-three-directions", "demos.optimization.loss_slice",
     lambda c: d_opt.loss_slice(W32, X23, Y2, [W32, W32, W32], [0.0, 1.0]), ValueError, r"^directions must hold 1 or 2 arrays, got 3")
case("loss_slice-direction-shape", "demos.optimization.loss_slice",
     lambda c: d_opt.loss_slice(W32, X23, Y2, [np.ones((2, 2))], [0.0, 1.0]), ValueError,
     r"^directions\[0\] must have W's shape \(3, 2\), got \(2, 2\)")
case("loss_slice-steps-2d", "demos.optimization.loss_slice",
     lambda c: d_opt.loss_slice(W32, X23, Y2, [W32], [[0.0, 1.0]]), ValueError, r"^steps must be 1-D")
case("loss_slice-reg-negative", "demos.optimization.loss_slice",
     lambda c: d_opt.loss_slice(W32, X23, Y2, [W32], [0.0, 1.0], reg=-1.0), ValueError, r"^reg must be >= 0")
case("draw_loss_slice-shapes", "demos.optimization.draw_loss_slice",
     lambda c: d_opt.draw_loss_slice(c.ax(), np.arange(5.0), np.zeros(4)), ValueError,
     r"^losses must have shape \(5,\) or \(5, 5\), got \(4,\)")
case("finite_difference_errors-negative-h", "demos.optimization.finite_difference_errors",
     lambda c: d_opt.finite_difference_errors(np.sin, np.cos, 0.0, [0.1, -1.0]), ValueError, r"^hs must hold step sizes > 0")
case("finite_difference_errors-unknown-method", "demos.optimization.finite_difference_errors",
     lambda c: d_opt.finite_difference_errors(np.sin, np.cos, 0.0, [0.1], method="backward"), ValueError, r"^method must be one of")
case("finite_difference_errors-f-not-callable", "demos.optimization.finite_difference_errors",
     lambda c: d_opt.finite_difference_errors(1.0, np.cos, 0.0, [0.1]), TypeError, r"^f and df must be callables")
case("finite_difference_errors-x0-array", "demos.optimization.finite_difference_errors",
     lambda c: d_opt.finite_difference_errors(np.sin, np.cos, [0.0, 1.0], [0.1]), ValueError, r"^x0 must be 0-D")
case("weights_accuracy-X-W-mismatch", "demos.optimization.weights_accuracy",
     lambda c: d_opt.weights_accuracy(np.ones((4, 2)), X23, Y2), ValueError, r"^X has 3 columns but W has 4 rows")
case("weights_accuracy-label-out-of-range", "demos.optimization.weights_accuracy",
     lambda c: d_opt.weights_accuracy(W32, X23, [0, 7]), ValueError, r"^y must hold labels in \[0, 2\)")
case("weights_accuracy-uint8", "demos.optimization.weights_accuracy",
     lambda c: d_opt.weights_accuracy(W_SMALL, X_U8, Y2), check=same_as_float(d_opt.weights_accuracy, W_SMALL, X_U8, Y2))
SH = "demos.optimization.search_hyperparameters"
case("search_hyperparameters-learning_rate-zero", SH,
     lambda c: d_opt.search_hyperparameters(X23, Y2, X23, Y2, [0.0], [0.1]), ValueError, r"^learning_rates\[0\] must be > 0")
case("search_hyperparameters-reg-negative", SH,
     lambda c: d_opt.search_hyperparameters(X23, Y2, X23, Y2, [0.1], [0.1, -1.0]), ValueError, r"^regs\[1\] must be >= 0")
case("search_hyperparameters-learning_rates-float", SH,  # was "'float' object is not iterable"
     lambda c: d_opt.search_hyperparameters(X23, Y2, X23, Y2, 0.1, [0.1]), TypeError,
     r"^learning_rates must be a sequence of numbers, e\.g\. \[1e-3, 1e-2\] \(a list even for one value\), got float 0\.1")
case("search_hyperparameters-regs-float", SH,
     lambda c: d_opt.search_hyperparameters(X23, Y2, X23, Y2, [0.1], 0.5), TypeError, r"^regs must be a sequence of numbers")
case("search_hyperparameters-empty-grid", SH,
     lambda c: d_opt.search_hyperparameters(X23, Y2, X23, Y2, [], [0.1]), ValueError, r"^learning_rates and regs must each hold")
case("search_hyperparameters-X_val-columns", SH,
     lambda c: d_opt.search_hyperparameters(X23, Y2, np.zeros((2, 4)), Y2, [0.1], [0.1]), ValueError,
     r"^X_val has 4 columns but X_train has 3")
case("search_hyperparameters-unknown-loss", SH,
     lambda c: d_opt.search_hyperparameters(X23, Y2, X23, Y2, [0.1], [0.1], loss="hinge"), ValueError, r"^loss must be one of")
case("search_hyperparameters-batch_size-zero", SH,
     lambda c: d_opt.search_hyperparameters(X23, Y2, X23, Y2, [0.1], [0.1], batch_size=0), ValueError,
     r"^batch_size must be an integer in \[1, inf\]")
case("search_hyperparameters-y_val-length", SH,
     lambda c: d_opt.search_hyperparameters(X23, Y2, X23, [0], [0.1], [0.1]), ValueError, r"^y_val has 1 labels but")
case("draw_search_scatter-empty", "demos.optimization.draw_search_scatter",
     lambda c: d_opt.draw_search_scatter(c.ax(), {}), ValueError, r"^results must hold at least one")
case("draw_search_scatter-reg-zero", "demos.optimization.draw_search_scatter",
     lambda c: d_opt.draw_search_scatter(c.ax(), {(0.1, 0.0): (0.5, 0.5)}), ValueError, r"^results: reg values must be > 0")

# ============================================================================= demos.knn

case("make_clouds-one-class", "demos.knn.make_clouds",
     lambda c: d_knn.make_clouds(num_classes=1), ValueError, r"^num_classes must be an integer in \[2, 5\]")
case("make_clouds-too-many-points", "demos.knn.make_clouds",
     lambda c: d_knn.make_clouds(points_per_class=51), ValueError, r"^points_per_class must be an integer in \[1, 50\]")
case("make_clouds-negative-seed", "demos.knn.make_clouds",
     lambda c: d_knn.make_clouds(seed=-1), ValueError, r"^seed must be an integer in \[0, inf\]")
case("knn_plane-X-three-columns", "demos.knn.knn_plane",
     lambda c: d_knn.knn_plane(np.zeros((4, 3)), Y_TRAIN, 1), ValueError, r"^X must have shape \(N, 2\)")
case("knn_plane-k-zero", "demos.knn.knn_plane",
     lambda c: d_knn.knn_plane(X_TRAIN, Y_TRAIN, 0), ValueError, r"^k must be an integer in \[1, inf\]")
case("knn_plane-k-too-large", "demos.knn.knn_plane",
     lambda c: d_knn.knn_plane(X_TRAIN, Y_TRAIN, 9), ValueError, r"^k must be an integer in \[1, 4\]")
case("knn_plane-unknown-metric", "demos.knn.knn_plane",
     lambda c: d_knn.knn_plane(X_TRAIN, Y_TRAIN, 1, metric="l3"), ValueError, r"^metric must be one of")
case("knn_plane-grid-three-columns", "demos.knn.knn_plane",
     lambda c: d_knn.knn_plane(X_TRAIN, Y_TRAIN, 1, grid=np.zeros((5, 3))), ValueError, r"^grid must have shape \(G, 2\)")
case("draw_knn_plane-k-too-large", "demos.knn.draw_knn_plane",
     lambda c: d_knn.draw_knn_plane(c.ax(), 2, 3, k=7), ValueError, r"^k must be an integer in \[1, 6\]")
case("draw_knn_plane-unknown-metric", "demos.knn.draw_knn_plane",
     lambda c: d_knn.draw_knn_plane(c.ax(), metric="cosine"), ValueError, r"^metric must be one of")
case("knn_plane_widget-negative-seed", "demos.knn.knn_plane_widget",
     lambda c: d_knn.knn_plane_widget(seed=-1), ValueError, r"^seed must be an integer in \[0, inf\]")
case("draw_worked_example-shapes", "demos.knn.draw_worked_example",
     lambda c: d_knn.draw_worked_example(np.zeros((3, 3)), np.zeros((3, 4))), ValueError,
     r"^test_image and train_image must be greyscale \(h, w\) images of the same shape")
case("draw_worked_example-values-above-255", "demos.knn.draw_worked_example",
     lambda c: d_knn.draw_worked_example(np.full((2, 2), 300.0), np.zeros((2, 2))), ValueError,
     r"^test_image must hold pixel values in 0–255")
case("draw_worked_example-uint8-no-wrap", "demos.knn.draw_worked_example",
     lambda c: d_knn.draw_worked_example(np.zeros((2, 2), np.uint8), np.full((2, 2), 255, np.uint8))["distance"],
     check=lambda r: r == 4 * 255.0)
case("draw_distance_matrix-y_test-length", "demos.knn.draw_distance_matrix",
     lambda c: d_knn.draw_distance_matrix(c.ax(), D23, [0, 1, 1], YTR3), ValueError, r"^y_test has 3 labels but")
case("draw_distance_matrix-dists-nan", "demos.knn.draw_distance_matrix",
     lambda c: d_knn.draw_distance_matrix(c.ax(), NAN23, Y2, YTR3), ValueError, r"^dists must contain only finite numbers")
case("show_neighbors-index-out-of-range", "demos.knn.show_neighbors",
     lambda c: d_knn.show_neighbors(STACK[:1], STACK, [[0, 4]], STACK_Y, ["a", "b"]), ValueError,
     r"^neighbor_idx must hold training indices in \[0, 4\)")
case("show_neighbors-index-shape", "demos.knn.show_neighbors",
     lambda c: d_knn.show_neighbors(STACK[:2], STACK, [[0, 1]], STACK_Y, ["a", "b"]), ValueError,
     r"^neighbor_idx must have shape \(2, k\)")
# Labels without a name, negative labels and empty galleries: a message, not an IndexError.
case("draw_distance_matrix-short-class_names", "demos.knn.draw_distance_matrix",
     lambda c: d_knn.draw_distance_matrix(c.ax(), D23, [0, 2], YTR3, class_names=["a", "b"]), ValueError,
     r"^y_test must hold labels in \[0, 2\), found 2")
case("draw_distance_matrix-class_names-str", "demos.knn.draw_distance_matrix",
     lambda c: d_knn.draw_distance_matrix(c.ax(), D23, Y2, YTR3, class_names="ab"), TypeError,
     r"^class_names must be a sequence of names")
case("draw_distance_matrix-huge-labels-no-names", "demos.knn.draw_distance_matrix",
     lambda c: d_knn.draw_distance_matrix(c.ax(), D23, [0, 2**40], [2**40, 0, 0])["col_order"],
     check=lambda r: r.tolist() == [1, 2, 0])  # tick labels only for the labels present
case("show_neighbors-y_test-out-of-range", "demos.knn.show_neighbors",
     lambda c: d_knn.show_neighbors(STACK[:1], STACK, [[0]], STACK_Y, ["a", "b"], y_test=[5]), ValueError,
     r"^y_test must hold labels in \[0, 2\), found 5")
case("show_neighbors-y_test-negative", "demos.knn.show_neighbors",
     lambda c: d_knn.show_neighbors(STACK[:1], STACK, [[0]], STACK_Y, ["a", "b"], y_test=[-1]), ValueError,
     r"^y_test must hold labels >= 0")
case("show_neighbors-short-class_names", "demos.knn.show_neighbors",
     lambda c: d_knn.show_neighbors(STACK[:1], STACK, [[1]], STACK_Y, ["a"]), ValueError,
     r"^y_train must hold labels in \[0, 1\), found 1")
case("show_neighbors-no-neighbours", "demos.knn.show_neighbors",
     lambda c: d_knn.show_neighbors(STACK[:1], STACK, np.zeros((1, 0), int), STACK_Y, ["a", "b"]), ValueError,
     r"^neighbor_idx must hold at least one test image and one neighbour, got shape \(1, 0\)")
case("show_neighbors-y_train-length", "demos.knn.show_neighbors",
     lambda c: d_knn.show_neighbors(STACK[:1], STACK, [[0]], STACK_Y[:2], ["a", "b"]), ValueError, r"^y_train has 2 labels but")

# ============================================================================= demos.cross_validation

case("make_toy_data-num_per_class-zero", "demos.cross_validation.make_toy_data",
     lambda c: d_cv.make_toy_data(0), ValueError, r"^num_per_class must be an integer in \[1, inf\]")
case("make_toy_data-noise-negative", "demos.cross_validation.make_toy_data",
     lambda c: d_cv.make_toy_data(noise=-0.1), ValueError, r"^noise must be >= 0")
case("make_toy_data-negative-seed", "demos.cross_validation.make_toy_data",
     lambda c: d_cv.make_toy_data(seed=-1), ValueError, r"^seed must be an integer in \[0, inf\]")
case("knn_decision_grid-X-three-columns", "demos.cross_validation.knn_decision_grid",
     lambda c: d_cv.knn_decision_grid(np.zeros((4, 3)), Y_TRAIN, 1, xlim=(0, 1), ylim=(0, 1)), ValueError,
     r"^X_train must have shape \(N, 2\)")
case("knn_decision_grid-k-too-large", "demos.cross_validation.knn_decision_grid",
     lambda c: d_cv.knn_decision_grid(X_TRAIN, Y_TRAIN, 5, xlim=(0, 1), ylim=(0, 1)), ValueError,
     r"^k must be an integer in \[1, 4\]")
case("knn_decision_grid-xlim-reversed", "demos.cross_validation.knn_decision_grid",
     lambda c: d_cv.knn_decision_grid(X_TRAIN, Y_TRAIN, 1, xlim=(1, 0), ylim=(0, 1)), ValueError,
     r"^xlim must be \(low, high\) with low < high")
case("knn_decision_grid-resolution-one", "demos.cross_validation.knn_decision_grid",
     lambda c: d_cv.knn_decision_grid(X_TRAIN, Y_TRAIN, 1, xlim=(0, 1), ylim=(0, 1), resolution=1), ValueError,
     r"^resolution must be an integer in \[2, inf\]")
case("draw_fit_regimes-axes-count", "demos.cross_validation.draw_fit_regimes",
     lambda c: d_cv.draw_fit_regimes([c.ax()], X_TRAIN, Y_TRAIN, X_TRAIN, Y_TRAIN, [1, 3]), ValueError,
     r"^axes must hold one Axes per k: 2 needed, got 1")
case("draw_fit_regimes-y_test-length", "demos.cross_validation.draw_fit_regimes",
     lambda c: d_cv.draw_fit_regimes([c.ax()], X_TRAIN, Y_TRAIN, X_TRAIN, Y_TRAIN[:2], [1]), ValueError,
     r"^y_test has 2 labels but")
case("tuning_on_test_set-k-zero", "demos.cross_validation.tuning_on_test_set",
     lambda c: d_cv.tuning_on_test_set([0]), ValueError, r"^k_values\[0\] must be an integer")
case("tuning_on_test_set-k-above-num_train", "demos.cross_validation.tuning_on_test_set",
     lambda c: d_cv.tuning_on_test_set([300], num_train=200), ValueError, r"^k_values\[0\] must be an integer in \[1, 200\]")
case("tuning_on_test_set-num_train-one", "demos.cross_validation.tuning_on_test_set",
     lambda c: d_cv.tuning_on_test_set([1], num_train=1), ValueError, r"^num_train must be an integer in \[2, inf\]")
case("draw_fold_diagram-one-fold", "demos.cross_validation.draw_fold_diagram",
     lambda c: d_cv.draw_fold_diagram(c.ax(), 5, 1), ValueError, r"^num_folds must be an integer in \[2, 5\]")
case("cv_summary-rows-mismatch", "demos.cross_validation.cv_summary",
     lambda c: d_cv.cv_summary([1, 3], np.zeros((3, 2))), ValueError, r"^accuracies must have one row per k")
case("draw_cv_accuracy-rows-mismatch", "demos.cross_validation.draw_cv_accuracy",
     lambda c: d_cv.draw_cv_accuracy(c.ax(), [1, 3], np.zeros((1, 2))), ValueError, r"^accuracies must have one row per k")
CVE = "demos.cross_validation.CrossValidationExplorer"
case("CrossValidationExplorer-labels-length", CVE,
     lambda c: d_cv.CrossValidationExplorer(X_CV, Y_CV[:3]), ValueError, r"^y has 3 labels but X has 12 rows")
case("CrossValidationExplorer-unknown-distance", CVE,
     lambda c: d_cv.CrossValidationExplorer(X_CV, Y_CV, distance="cos"), ValueError, r"^distance must be one of")
case("CrossValidationExplorer.accuracies-k-zero", f"{CVE}.accuracies",
     lambda c: d_cv.CrossValidationExplorer(X_CV, Y_CV).accuracies([0], 2), ValueError, r"^k_choices\[0\] must be an integer")
case("CrossValidationExplorer.accuracies-one-fold", f"{CVE}.accuracies",
     lambda c: d_cv.CrossValidationExplorer(X_CV, Y_CV).accuracies([1], 1), ValueError, r"^num_folds must be an integer in \[2, 12\]")
case("CrossValidationExplorer.draw-k_range-int", f"{CVE}.draw",  # was "'int' object is not subscriptable"
     lambda c: d_cv.CrossValidationExplorer(X_CV, Y_CV).draw(c.ax(), 5, 5), TypeError,
     r"^k_range must be a pair \(k_min, k_max\) of integers, got int 5")
case("cross_validation_widget-one-sample", "demos.cross_validation.cross_validation_widget",  # was a TraitError
     lambda c: d_cv.cross_validation_widget(X_CV[:1], Y_CV[:1]), ValueError,
     r"^X must hold at least 2 samples for cross-validation \(num_folds >= 2\), got 1")
case("CrossValidationExplorer.draw-k_range-reversed", f"{CVE}.draw",
     lambda c: d_cv.CrossValidationExplorer(X_CV, Y_CV).draw(c.ax(), 2, (3, 1)), ValueError,
     r"^k_range\[1\] must be an integer in \[3, inf\]")
case("CrossValidationExplorer.draw-k_range-too-large", f"{CVE}.draw",
     lambda c: d_cv.CrossValidationExplorer(X_CV, Y_CV).draw(c.ax(), 2, (50, 60)), ValueError,
     r"^k_range=\(50, 60\): every k is larger than a fold's training part")
case("cross_validation_widget-max_samples", "demos.cross_validation.cross_validation_widget",
     lambda c: d_cv.cross_validation_widget(X_CV, Y_CV, max_samples=3), ValueError, r"^max_samples must be an integer in \[4, inf\]")
case("cross_validation_widget-labels-length", "demos.cross_validation.cross_validation_widget",
     lambda c: d_cv.cross_validation_widget(X_CV, Y_CV[:4]), ValueError, r"^y has 4 labels but X has 12 rows")
case("prediction_times-size-above-N", "demos.cross_validation.prediction_times",
     lambda c: d_cv.prediction_times(X_TRAIN, Y_TRAIN, X_TRAIN, [2, 10]), ValueError, r"^sizes\[1\] must be an integer in \[1, 4\]")
case("prediction_times-size-zero", "demos.cross_validation.prediction_times",
     lambda c: d_cv.prediction_times(X_TRAIN, Y_TRAIN, X_TRAIN, [0]), ValueError, r"^sizes\[0\] must be an integer")
case("prediction_times-repeats-zero", "demos.cross_validation.prediction_times",
     lambda c: d_cv.prediction_times(X_TRAIN, Y_TRAIN, X_TRAIN, [2], repeats=0), ValueError, r"^repeats must be an integer")
case("draw_prediction_times-missing-entry", "demos.cross_validation.draw_prediction_times",
     lambda c: d_cv.draw_prediction_times(c.ax(), {"sizes": [1, 2]}, 10), ValueError, r"^timings must")
case("draw_prediction_times-lengths", "demos.cross_validation.draw_prediction_times",
     lambda c: d_cv.draw_prediction_times(c.ax(), {"sizes": [1, 2], "fit_seconds": [0.1], "predict_seconds": [0.1]}, 10),
     ValueError, r"^timings")
case("shift_image-dx-too-large", "demos.cross_validation.shift_image",
     lambda c: d_cv.shift_image(IMG, 8), ValueError, r"^dx must be an integer in \[-7, 7\]")
case("shift_image-dx-float", "demos.cross_validation.shift_image",
     lambda c: d_cv.shift_image(IMG, 1.5), TypeError, r"^dx must be an integer")
case("shift_image-not-an-image", "demos.cross_validation.shift_image",
     lambda c: d_cv.shift_image(np.zeros(5), 1), ValueError, r"^image must have shape \(H, W\) or \(H, W, 3\)")
case("shift_image-uint8-to-float64", "demos.cross_validation.shift_image",
     lambda c: d_cv.shift_image(np.array([[0, 255]], np.uint8), 1), check=lambda r: r.tolist() == [[0.0, 0.0]])
case("occlude_image-alpha-above-1", "demos.cross_validation.occlude_image",
     lambda c: d_cv.occlude_image(IMG, 2.0, 2), ValueError, r"^alpha must be in \[0, 1\], got 2\.0")
case("occlude_image-size-zero", "demos.cross_validation.occlude_image",
     lambda c: d_cv.occlude_image(IMG, 0.5, 0), ValueError, r"^size must be an integer in \[1, 8\]")
case("occlude_image-fill-negative", "demos.cross_validation.occlude_image",
     lambda c: d_cv.occlude_image(IMG, 0.5, 2, fill=-1.0), ValueError, r"^fill must be >= 0")
case("darken_image-amount-above-1", "demos.cross_validation.darken_image",
     lambda c: d_cv.darken_image(IMG, 1.5), ValueError, r"^amount must be in \[0, 1\], got 1\.5")
case("darken_image-uint8-no-wrap", "demos.cross_validation.darken_image",
     lambda c: d_cv.darken_image(np.array([[255]], np.uint8), 0.5), check=lambda r: r.tolist() == [[127.5]])
case("equal_distance_copies-index-out-of-range", "demos.cross_validation.equal_distance_copies",
     lambda c: d_cv.equal_distance_copies(STACK, STACK_Y, 4), ValueError, r"^index must be an integer in \[0, 3\]")
case("equal_distance_copies-flat-images", "demos.cross_validation.equal_distance_copies",
     lambda c: d_cv.equal_distance_copies(STACK.reshape(4, -1), STACK_Y, 0), ValueError, r"^images must be a stack")
case("equal_distance_copies-labels-length", "demos.cross_validation.equal_distance_copies",
     lambda c: d_cv.equal_distance_copies(STACK, STACK_Y[:2], 0), ValueError, r"^labels has 2 labels but")
case("equal_distance_copies-one-class", "demos.cross_validation.equal_distance_copies",
     lambda c: d_cv.equal_distance_copies(STACK, np.zeros(4, int), 0), ValueError, r"^labels: every image has the same label")
case("pick_equal_distance_example-shift-zero", "demos.cross_validation.pick_equal_distance_example",
     lambda c: d_cv.pick_equal_distance_example(STACK, STACK_Y, shifts=[0]), ValueError, r"^shifts\[0\] must be an integer")
case("pick_equal_distance_example-num_candidates-zero", "demos.cross_validation.pick_equal_distance_example",
     lambda c: d_cv.pick_equal_distance_example(STACK, STACK_Y, num_candidates=0), ValueError,
     r"^num_candidates must be an integer in \[1, inf\]")
case("draw_equal_distance_copies-axes-count", "demos.cross_validation.draw_equal_distance_copies",
     lambda c: d_cv.draw_equal_distance_copies([c.ax()], {}, STACK, ["a", "b"], STACK_Y), ValueError,
     r"^axes must hold 5 Axes, got 1")
case("nearest_farthest_ratio-dim-zero", "demos.cross_validation.nearest_farthest_ratio",
     lambda c: d_cv.nearest_farthest_ratio([0]), ValueError, r"^dims\[0\] must be an integer")
case("nearest_farthest_ratio-num_points-two", "demos.cross_validation.nearest_farthest_ratio",
     lambda c: d_cv.nearest_farthest_ratio([2], num_points=2), ValueError, r"^num_points must be an integer in \[3, inf\]")
case("draw_distance_concentration-lengths", "demos.cross_validation.draw_distance_concentration",
     lambda c: d_cv.draw_distance_concentration(c.ax(), [1, 10, 100], [0.5, 0.6]), ValueError,
     r"^dims and ratios must have the same length")

# ============================================================================= demos.backprop

case("lecture_example-x-string", "demos.backprop.lecture_example",
     lambda c: d_backprop.lecture_example(x="3"), TypeError, r"^x must be a real number")
case("lecture_example-z-nan", "demos.backprop.lecture_example",
     lambda c: d_backprop.lecture_example(z=float("nan")), ValueError, r"^z must be a finite number")
case("compute_backprop_state-step-too-large", "demos.backprop.compute_backprop_state",
     lambda c: d_backprop.compute_backprop_state(step=3), ValueError, r"^step must be an integer in \[0, 2\]")
case("compute_backprop_state-step-float", "demos.backprop.compute_backprop_state",
     lambda c: d_backprop.compute_backprop_state(step=1.0), TypeError, r"^step must be an integer")
case("draw_backprop_step-step-negative", "demos.backprop.draw_backprop_step",
     lambda c: d_backprop.draw_backprop_step(c.ax(), step=-1), ValueError, r"^step must be an integer in \[0, 2\]")
case("backprop_widget-x-nan", "demos.backprop.backprop_widget",
     lambda c: d_backprop.backprop_widget(x=float("nan")), ValueError, r"^x must be")
case("backprop_widget-x-string", "demos.backprop.backprop_widget",
     lambda c: d_backprop.backprop_widget(x="a"), TypeError, r"^x must be")


# ============================================================================= ragged lists and bools as integers
# A list of rows of different lengths (a classic slip when typing data by hand) must be named,
# not reported as numpy's "setting an array element with a sequence". True is not a k.

RAGGED = [[1.0, 2.0], [3.0]]
case("linear_scores-ragged-X", "linear.linear_scores",
     lambda c: linear.linear_scores(RAGGED, np.ones((2, 2)), B2), ValueError, r"^X must be a rectangular array")
case("softmax-ragged", "losses.softmax",
     lambda c: losses.softmax(RAGGED), ValueError, r"^scores must be a rectangular array")
case("svm_loss_vectorized-ragged-y", "losses.svm_loss_vectorized",
     lambda c: losses.svm_loss_vectorized(W32, X23, [[0], [0, 1]], 0.0), ValueError, r"^y must be a rectangular array")
case("accuracy-ragged", "metrics.accuracy",
     lambda c: metrics.accuracy([[0, 1], [0]], [0, 1]), ValueError, r"^y_true must be a rectangular array")
case("sgd-ragged-y", "optim.sgd", _sgd(y=[[0], [1, 1]]), ValueError, r"^y must be a rectangular array")
case("show_image_grid-ragged", "plots.show_image_grid",
     lambda c: plots.show_image_grid([np.zeros((2, 2)), np.zeros((3, 3))]), ValueError, r"^images must be a rectangular array")
case("append_bias_column-ragged", "linear.append_bias_column",
     lambda c: linear.append_bias_column(RAGGED), ValueError, r"^X must be a rectangular array")
case("pairwise_distances-ragged", PD,
     lambda c: distances.pairwise_distances(RAGGED, [[1.0, 2.0]]), ValueError, r"^X_test must be a rectangular array")
case("KNearestNeighbor.fit-ragged", f"{KN}.fit",
     lambda c: knn.KNearestNeighbor().fit(RAGGED, [0, 1]), ValueError, r"^X must be a rectangular array")
case("train_val_split-ragged", "model_selection.train_val_split",
     lambda c: model_selection.train_val_split(RAGGED, [0, 1], 0.5), ValueError, r"^X must be a rectangular array")
case("nearest_neighbors-k-True", "knn.nearest_neighbors",
     lambda c: knn.nearest_neighbors(D23, True), TypeError, r"^k must be an integer, got bool")
case("k_fold_indices-num_folds-True", "model_selection.k_fold_indices",
     lambda c: model_selection.k_fold_indices(10, True), TypeError, r"^num_folds must be an integer, got bool")
case("LinearClassifier.fit-batch_size-True", "linear.LinearClassifier.fit",
     _fit(batch_size=True), TypeError, r"^batch_size must be an integer, got bool")


# ----------------------------------------------------------------------------- the test

ACCEPTED = (ValueError, TypeError)
# Documented exceptions to "ValueError or TypeError", each with its reason above its rows:
# AssertionError (exercises.check), ZeroDivisionError with an explanation (graph.Value),
# RuntimeError (k-NN used before fit), FileNotFoundError (missing files).
ALSO_ACCEPTED = (AssertionError, ZeroDivisionError, RuntimeError, FileNotFoundError)


def _params():
    params = []
    for c in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=c.xfail)] if c.xfail else []
        params.append(pytest.param(c, id=c.id, marks=marks))
    return params


def test_case_ids_are_unique():
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_the_table_is_large():
    errors = [c for c in CASES if c.raises is not None]
    values = [c for c in CASES if c.raises is None]
    assert len(errors) >= 80 and len(values) >= 20, (len(errors), len(values))


@pytest.mark.parametrize("c", _params())
def test_bad_input(c: Case, tmp_path):
    ctx = Ctx(tmp_path)
    try:
        if c.raises is None:
            assert c.check is not None, "a correct-result row needs a check"
            with warnings.catch_warnings():
                warnings.simplefilter("error", RuntimeWarning)  # overflow / invalid value = wrapped arithmetic
                result = c.call(ctx)
            assert c.check(result), f"wrong result: {result!r}"
            return
        expected = c.raises if isinstance(c.raises, tuple) else (c.raises,)
        assert all(issubclass(e, ACCEPTED + ALSO_ACCEPTED) for e in expected), expected
        assert c.match, "an error row must say what the message has to contain"
        with pytest.raises(expected, match=c.match) as info:
            c.call(ctx)
        message = str(info.value)
        assert "operands could not be broadcast" not in message
        assert not isinstance(info.value, IndexError)
        assert len(message) >= 15, f"message too short to help: {message!r}"
    finally:
        plt.close("all")


# Command lines: argparse refuses a bad value with exit status 2 and a usage message that
# names the option (the runner's own rows are in test_run_notebooks.py).
CLI_CASES = [
    (benchmarks.main, ["knn-full", "--block", "0"], "--block: expected an integer >= 1, got 0"),
    (benchmarks.main, ["knn-full", "--block", "-1"], "--block: expected an integer >= 1, got -1"),
    (benchmarks.main, ["results", "--num-iters", "0"], "--num-iters: expected an integer >= 1, got 0"),
    (benchmarks.main, ["results", "--num-iters", "x"], "--num-iters: expected an integer >= 1, got 'x'"),
]


@pytest.mark.parametrize("main, argv, message", CLI_CASES, ids=[" ".join(a) for _, a, _ in CLI_CASES])
def test_command_line_rejects_bad_values(main, argv, message, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert message in capsys.readouterr().err


# ----------------------------------------------------------------------------- coverage of the table

#: Public modules without ``__all__``: command-line tools and settings, no teaching functions.
MODULES_WITHOUT_ALL = {
    "course_lib.benchmarks",  # command-line benchmark script (argparse), reads CIFAR-10 itself
    "course_lib.config",  # settings: NOTEBOOK_SUBSETS, DATASET_NAMES, dataset_name_from_env() (no arguments)
    "course_lib.demos",  # package marker
}

#: Public callables (and methods) that take no input worth checking. Every entry says why.
ALLOW_LIST = {
    # no arguments at all
    "datasets.data_dir",  # reads COURSE_DATA_DIR; no arguments
    "knn.KNearestNeighbor",  # the constructor takes no arguments (fit/predict/distances have rows)
    "plots.use_course_style",  # sets matplotlib rcParams; no arguments
    # records, exception and warning classes: built by the library, not validated input
    "datasets.Dataset",  # frozen record returned by the loaders
    "gradients.CheckedCoordinate",  # NamedTuple returned by gradient_check
    "optim.TrainingDiverged",  # exception class (its use is tested in test_robustness.py)
    "model_selection.SkippedKWarning",  # warning class
    "graph.GraphDrawing",  # record returned by draw_graph
    "run_notebooks.RunResult",  # record returned by run_notebook
    # only an Axes (or nothing) as input: fixed diagrams
    "demos.knn.draw_unit_circles",  # draws two fixed curves on the given Axes
    "demos.losses.draw_loss_recap",  # draws a fixed diagram on the given (or a new) Axes
    # methods without arguments
    "training_plot.TrainingPlot.draw",  # redraws recorded values
    "training_plot.TrainingPlot.show",  # draws the final figure
    "graph.Value.zero_grad",  # resets gradients
    "graph.Value.local_grads",  # reads the gate's own inputs
    "graph.Value.__neg__",  # unary minus: no second operand
    # the command line of the runner: argparse rejects bad arguments (exit status 2 + usage)
    "run_notebooks.main",
}

#: Operator methods of ``graph.Value`` that take an operand and so need a row.
VALUE_OPERATORS = {"__add__", "__sub__", "__mul__", "__truediv__", "__pow__", "__radd__", "__rsub__",
                   "__rmul__", "__rtruediv__", "__lt__", "__neg__"}


def _public_modules():
    mods = []
    for info in pkgutil.walk_packages(course_lib.__path__, prefix="course_lib."):
        if any(part.startswith("_") for part in info.name.split(".")[1:]):
            continue
        mods.append(importlib.import_module(info.name))
    return mods


def _required_names():
    """``module.name`` (and ``module.Class.method``) for every public callable."""
    required = set()
    missing_all = []
    for mod in _public_modules():
        short = mod.__name__.removeprefix("course_lib.")
        if not hasattr(mod, "__all__"):
            missing_all.append(mod.__name__)
            continue
        for name in mod.__all__:
            obj = getattr(mod, name)
            if not callable(obj):
                continue  # constants: tuples, dicts, arrays, lists of benchmark cases
            required.add(f"{short}.{name}")
            if inspect.isclass(obj) and not issubclass(obj, BaseException):
                for attr, value in vars(obj).items():
                    if isinstance(value, property) or not callable(value):
                        continue
                    if not attr.startswith("_") or (obj is graph.Value and attr in VALUE_OPERATORS):
                        required.add(f"{short}.{name}.{attr}")
    return required, missing_all


def _resolve(target: str):
    parts = target.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module("course_lib." + ".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise LookupError(target)


def test_every_public_callable_has_a_case():
    required, missing_all = _required_names()
    assert set(missing_all) <= MODULES_WITHOUT_ALL, f"public modules without __all__: {missing_all}"
    covered = {t for c in CASES for t in c.targets}
    missing = sorted(required - covered - ALLOW_LIST)
    assert not missing, f"public callables without a bad-input row: {missing}"


def test_table_targets_and_allow_list_name_real_objects():
    for name in sorted({t for c in CASES for t in c.targets} | ALLOW_LIST):
        _resolve(name)  # AttributeError / LookupError for a typo
    required, _ = _required_names()
    stale = sorted(ALLOW_LIST - required)
    assert not stale, f"allow-list entries that are no longer public callables: {stale}"
