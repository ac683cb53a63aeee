"""course_lib.pixels (notebook 01): flattening, float conversion, greyscale, the mean absolute
difference and the bundled photo. References: hand values, PIL's own greyscale, matplotlib's
sample data, the L1 distance of notebook 02; a bad-input table over every public function."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis.extra.numpy import arrays
from PIL import Image

from course_lib import pixels
from course_lib.distances import l1_distance
from course_lib.pixels import flatten, mean_abs_difference, sample_photo, to_float, to_grayscale


def test_flatten_rows_are_images_in_row_major_order_with_channels_together():
    stack = np.arange(2 * 2 * 3 * 3, dtype=np.uint8).reshape(2, 2, 3, 3)  # N=2, H=2, W=3, RGB
    X = flatten(stack)
    assert X.shape == (2, 18) and X.dtype == np.float64
    np.testing.assert_array_equal(X[1], np.arange(18, 36))
    np.testing.assert_array_equal(X[0, :3], [0, 1, 2])  # R, G, B of pixel (0, 0)
    np.testing.assert_array_equal(X[0, 3:6], stack[0, 0, 1])  # then pixel (0, 1)


def test_a_cifar10_image_is_3072_numbers_and_grey_images_flatten_too():
    assert flatten(np.zeros((5, 32, 32, 3), np.uint8)).shape == (5, 3_072)
    assert flatten(np.zeros((4, 28, 28), np.uint8)).shape == (4, 784)
    X = flatten(np.full((1, 2, 2), 255, np.uint8))
    assert X.dtype == np.float64 and X.tolist() == [[255.0] * 4]  # values unchanged, no scaling


def test_to_float_stops_uint8_arithmetic_from_wrapping():
    a, b = np.array([10, 0], np.uint8), np.array([20, 255], np.uint8)
    assert (a - b).tolist() == [246, 1]  # what uint8 does
    assert (to_float(a) - to_float(b)).tolist() == [-10.0, -255.0]
    assert to_float(a).dtype == np.float64 and to_float(np.zeros((2, 3, 3))).shape == (2, 3, 3)


def test_to_grayscale_uses_the_luma_weights():
    rgb = np.array([[[255, 0, 0], [0, 255, 0], [0, 0, 255], [10, 20, 30]]], np.uint8)
    grey = to_grayscale(rgb)
    assert grey.dtype == np.float64 and grey.shape == (1, 4)
    np.testing.assert_allclose(grey, [[76.245, 149.685, 29.07, 0.299 * 10 + 0.587 * 20 + 0.114 * 30]],
                               rtol=1e-12)
    g = np.array([[1, 2]], np.uint8)
    assert to_grayscale(g).dtype == np.float64 and to_grayscale(g).tolist() == [[1.0, 2.0]]


def test_to_grayscale_agrees_with_pil_on_the_photo():
    photo = sample_photo(downscale=4)
    pil = np.asarray(Image.fromarray(photo).convert("L"), dtype=np.float64)  # rounded to integers
    assert np.abs(to_grayscale(photo) - pil).max() <= 0.5 + 1e-9


def test_mean_abs_difference_does_not_wrap_and_is_l1_over_d():
    a, b = np.array([0, 10], np.uint8), np.array([255, 0], np.uint8)
    assert mean_abs_difference(a, b) == (255 + 10) / 2
    rng = np.random.default_rng(0)
    x, z = rng.integers(0, 256, (2, 8, 8, 3), dtype=np.uint8)
    assert mean_abs_difference(x, z) == pytest.approx(l1_distance(x, z) / x.size, rel=1e-15)


@settings(max_examples=40, deadline=None)
@given(arrays(np.uint8, (6, 7)), arrays(np.uint8, (6, 7)))
def test_mean_abs_difference_is_a_symmetric_distance_in_0_255(a, b):
    d = mean_abs_difference(a, b)
    assert d == mean_abs_difference(b, a)
    assert 0 <= d <= 255
    assert (d == 0) == np.array_equal(a, b)


def test_sample_photo_is_matplotlibs_grace_hopper_downscaled():
    import matplotlib.cbook as cbook  # the tests may import matplotlib; pixels does not

    with cbook.get_sample_data("grace_hopper.jpg") as f:
        full = np.asarray(Image.open(f).convert("RGB"))
    photo = sample_photo()
    assert photo.dtype == np.uint8 and photo.shape == (300, 256, 3) and photo.flags.c_contiguous
    np.testing.assert_array_equal(sample_photo(downscale=1), full)
    np.testing.assert_array_equal(photo, full[::2, ::2])
    assert photo.min() < 20 and photo.max() > 235  # a real photo, not a blank


def test_importing_the_core_does_not_import_matplotlib():
    code = ("import sys, course_lib.pixels, course_lib.distances, course_lib.knn, course_lib.metrics, "
            "course_lib.cross_validation, course_lib.large_scale; "
            "assert 'matplotlib' not in sys.modules, 'matplotlib imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_inputs_are_not_modified():
    rng = np.random.default_rng(1)
    images = rng.integers(0, 256, (3, 4, 4, 3), dtype=np.uint8)
    floats = images.astype(np.float64)
    before = (images.copy(), floats.copy())
    images.flags.writeable = floats.flags.writeable = False  # any write would raise
    flatten(images), flatten(floats), to_float(floats[0]), to_grayscale(floats[0])
    mean_abs_difference(floats[0], floats[1])
    np.testing.assert_array_equal(images, before[0])
    np.testing.assert_array_equal(floats, before[1])


# ----------------------------------------------------------------------------- bad input

IMG = np.zeros((4, 4, 3), np.uint8)

BAD_INPUT = [
    (flatten, (np.zeros(5),), ValueError, "images must be 3-D or 4-D, got 1-D"),
    (flatten, (np.zeros((6, 4)),), ValueError, "images must be 3-D or 4-D, got 2-D"),
    (flatten, (np.zeros((2, 4, 4, 4)),), ValueError, "images must be (N, H, W) or (N, H, W, 3)"),
    (flatten, (np.zeros((0, 4, 4)),), ValueError, "images must not be empty"),
    (flatten, (np.array([[["a"]]]),), TypeError, "images must hold real numbers"),
    (flatten, (np.full((1, 2, 2), np.nan),), ValueError, "images must hold only finite numbers"),
    (to_float, (None,), TypeError, "image must be a numeric array"),
    (to_float, ([],), ValueError, "image must not be empty"),
    (to_float, (np.array([True, False]),), TypeError, "image must hold real numbers"),
    (to_float, (np.array([1.0, np.inf]),), ValueError, "image must hold only finite numbers"),
    (to_grayscale, (np.zeros((4, 4, 4)),), ValueError, "image must be (H, W) or (H, W, 3)"),
    (to_grayscale, (np.zeros(4),), ValueError, "image must be (H, W) or (H, W, 3)"),
    (to_grayscale, (np.full((2, 2, 3), np.nan),), ValueError, "image must hold only finite numbers"),
    (to_grayscale, ("photo",), TypeError, "image must be a numeric array"),
    (mean_abs_difference, (IMG, IMG[:3]), ValueError, "a and b must have the same shape, got (4, 4, 3) and (3, 4, 3)"),
    (mean_abs_difference, ("abc", IMG), TypeError, "a must be a numeric array"),
    (mean_abs_difference, (IMG, np.array([1j])), TypeError, "b must hold real numbers"),
    (mean_abs_difference, ([], []), ValueError, "a must not be empty"),
    (sample_photo, (0,), ValueError, "downscale must be an integer in [1, 100], got 0"),
    (sample_photo, (2.0,), TypeError, "downscale must be an integer"),
]


@pytest.mark.parametrize("fn, args, error, message", BAD_INPUT,
                         ids=[f"{row[0].__name__}-{i}" for i, row in enumerate(BAD_INPUT)])
def test_bad_input_gives_a_clear_error(fn, args, error, message):
    with pytest.raises(error) as info:
        fn(*args)
    assert str(info.value).startswith(message.split(" ")[0])  # the argument's name comes first
    assert message in str(info.value)


def test_every_public_function_has_a_bad_input_row():
    public = {name for name in pixels.__all__ if callable(getattr(pixels, name))}
    assert public == {row[0].__name__ for row in BAD_INPUT}
