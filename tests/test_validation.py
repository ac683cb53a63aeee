"""The shared argument checks: right values pass through, wrong ones give a clear error."""

import numpy as np
import pytest

from course_lib import _validation as v


def test_as_float_array_converts_uint8_before_arithmetic():
    a = v.as_float_array(np.array([0], dtype=np.uint8), "a")
    b = v.as_float_array(np.array([255], dtype=np.uint8), "b")
    assert a.dtype == np.float64
    assert (a - b)[0] == -255.0


@pytest.mark.parametrize(
    "x, kwargs, exc, words",
    [
        ("abc", {}, TypeError, "x must be a numeric array"),
        (None, {}, TypeError, "x must be a numeric array"),
        (np.array(["a"]), {}, TypeError, "real numeric"),
        (np.array([1 + 2j]), {}, TypeError, "real numeric"),
        (np.zeros((2, 2)), {"ndim": 1}, ValueError, "x must be 1-D, got 2-D"),
        (np.zeros(0), {}, ValueError, "x must not be empty"),
        (np.array([1.0, np.nan]), {}, ValueError, "finite"),
        (np.array([np.inf]), {}, ValueError, "finite"),
    ],
)
def test_as_float_array_rejects(x, kwargs, exc, words):
    with pytest.raises(exc, match=words):
        v.as_float_array(x, "x", **kwargs)


def test_check_labels_accepts_integers_and_returns_int64():
    y = v.check_labels(np.array([0, 2, 1], dtype=np.uint8), num_classes=3, n=3)
    assert y.dtype == np.int64 and y.tolist() == [0, 2, 1]
    big = v.check_labels(np.array([0, 2**63 - 1], dtype=np.uint64))  # the largest that fits
    assert big.dtype == np.int64 and big.tolist() == [0, 2**63 - 1]


def test_check_label_range_refuses_sparse_labels_only():
    assert v.check_label_range(np.array([0, 1, 2])) == 3
    assert v.check_label_range(np.array([0, 999])) == 1000  # C <= 1000: never refused
    assert v.check_label_range(np.arange(0, 20_000, 10)) == 19_991  # 2,000 labels: C < 10 × 2,000
    with pytest.raises(ValueError, match=r"^y has labels up to 1000 but only 2 distinct values, so "
                                         r"max\(y\) \+ 1 = 1001 classes would be mostly empty: pass num_classes"):
        v.check_label_range(np.array([0, 1000]))


def test_positive_int_arg():
    import argparse

    assert v.positive_int_arg("3") == 3
    for text in ("0", "-5", "2.5", "x"):
        with pytest.raises(argparse.ArgumentTypeError, match="^expected an integer >= 1, got"):
            v.positive_int_arg(text)


def test_check_seed_refuses_none_unless_allowed():
    assert v.check_seed(None, allow_none=True) is None
    assert v.check_seed(np.int64(4)) == 4
    with pytest.raises(TypeError, match="^seed must be an integer, got NoneType None"):
        v.check_seed(None)


@pytest.mark.parametrize(
    "y, kwargs, exc, words",
    [
        (np.array([0.0, 1.0]), {}, TypeError, "integer class labels"),
        (np.array([True, False]), {}, TypeError, "integer class labels"),
        (np.array([[0, 1]]), {}, ValueError, r"1-D of shape \(N,\)"),
        (np.array([0, -1]), {}, ValueError, "labels >= 0"),
        (np.array([0, 3]), {"num_classes": 3}, ValueError, r"\[0, 3\)"),
        (np.array([0, 1]), {"n": 3}, ValueError, "2 labels but X has 3 rows"),
        # 2**63 as uint64 would wrap to -2**63 in int64
        (np.array([0, 2**63], dtype=np.uint64), {}, ValueError,
         r"^y must hold labels that fit in int64 \(< 2\*\*63\), found 9223372036854775808"),
    ],
)
def test_check_labels_rejects(y, kwargs, exc, words):
    with pytest.raises(exc, match=words):
        v.check_labels(y, **kwargs)


def test_check_int():
    assert v.check_int(np.int32(3), "k", low=1) == 3
    with pytest.raises(TypeError, match="k must be an integer"):
        v.check_int(3.0, "k")
    with pytest.raises(TypeError, match="k must be an integer"):
        v.check_int(True, "k")
    with pytest.raises(ValueError, match=r"k must be an integer in \[1, 5\], got 0"):
        v.check_int(0, "k", low=1, high=5)


def test_check_floats_and_choices():
    assert v.check_positive_float(1e-3, "learning_rate") == 1e-3
    assert v.check_nonnegative_float(0, "reg") == 0.0
    with pytest.raises(ValueError, match="learning_rate must be > 0"):
        v.check_positive_float(0, "learning_rate")
    with pytest.raises(ValueError, match="reg must be >= 0"):
        v.check_nonnegative_float(-1, "reg")
    with pytest.raises(ValueError, match="finite"):
        v.check_positive_float(float("nan"), "learning_rate")
    with pytest.raises(TypeError, match="real number"):
        v.check_positive_float("0.1", "learning_rate")
    assert v.check_choice("l1", "metric", ("l1", "l2")) == "l1"
    with pytest.raises(ValueError, match=r"metric must be one of \('l1', 'l2'\), got 'l3'"):
        v.check_choice("l3", "metric", ("l1", "l2"))
    with pytest.raises(TypeError, match="metric must be one of"):
        v.check_choice(1, "metric", ("l1", "l2"))


def test_as_image():
    assert v.as_image(np.zeros((4, 5), np.uint8)).shape == (4, 5)
    assert v.as_image(np.zeros((4, 5, 3), np.uint8)).shape == (4, 5, 3)
    with pytest.raises(ValueError, match=r"image must have shape \(H, W\) or \(H, W, 3\)"):
        v.as_image(np.zeros((4, 5, 4)))
    with pytest.raises(ValueError, match=r"image must have shape"):
        v.as_image(np.zeros(5))
    with pytest.raises(TypeError, match="image must be an image array"):
        v.as_image("photo.jpg")
