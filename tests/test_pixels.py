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
from course_lib.pixels import (CHANGES, change_image, flatten, mean_abs_difference, sample_photo, to_float,
                               to_grayscale)


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
    (change_image, (IMG.astype(float), "shift", 0.5), TypeError, "image must hold uint8 pixels 0–255, got dtype float64"),
    (change_image, (np.zeros((4, 4, 4), np.uint8), "shift", 0.5), ValueError, "image must be (H, W) or (H, W, 3)"),
    (change_image, (IMG, "rotation", 0.5), ValueError, "kind must be one of ('viewpoint'"),
    (change_image, (IMG, 3, 0.5), TypeError, "kind must be one of"),
    (change_image, (IMG, "scale", 1.5), ValueError, "strength must be a finite number in [0, 1], got 1.5"),
    (change_image, (IMG, "scale", "0.5"), TypeError, "strength must be a number"),
    (change_image, (IMG, "clutter", 0.5, -1), ValueError, "seed must be an integer in [0, inf], got -1"),
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


# ----------------------------------------------------------------------------- change_image

def _grid_image(h=60, w=80):
    """Black lines every 8 pixels on white: straight lines make a warp visible."""
    image = np.full((h, w), 255, np.uint8)
    image[::8], image[:, ::8] = 0, 0
    return image


@pytest.mark.parametrize("kind", CHANGES)
def test_every_change_at_strength_0_returns_the_image_unchanged(kind):
    photo = sample_photo(downscale=4)
    for image in (photo, _grid_image()):
        out = change_image(image, kind, 0.0)
        assert out.dtype == np.uint8 and out.shape == image.shape
        np.testing.assert_array_equal(out, image)


@pytest.mark.parametrize("kind", CHANGES)
def test_every_change_changes_the_image_keeps_its_shape_and_is_seeded(kind):
    photo = sample_photo(downscale=4)
    out = change_image(photo, kind, 1.0, seed=3)
    assert out.dtype == np.uint8 and out.shape == photo.shape and photo.flags.writeable
    assert mean_abs_difference(photo, out) > 1.0
    np.testing.assert_array_equal(out, change_image(photo, kind, 1.0, seed=3))
    grey = change_image(photo[..., 0], kind, 1.0)
    assert grey.shape == photo.shape[:2] and grey.dtype == np.uint8


@pytest.mark.parametrize("shape", [(1, 1), (1, 1, 3), (2, 3, 3), (1, 9)])
def test_every_change_works_on_tiny_images(shape):
    image = np.random.default_rng(0).integers(0, 256, shape, dtype=np.uint8)
    for kind in CHANGES:
        out = change_image(image, kind, 1.0)
        assert out.shape == image.shape and out.dtype == np.uint8


def test_clutter_and_deformation_depend_on_the_seed():
    photo = sample_photo(downscale=4)
    for kind in ("clutter", "deformation"):
        assert not np.array_equal(change_image(photo, kind, 1.0, seed=0), change_image(photo, kind, 1.0, seed=1))


def _perspective_in_pil(image, angle_deg, focal, fill):
    """The same homography built for PIL (its pixel centres sit at +0.5), a reference independent of ours."""
    h, w = image.shape[:2]
    angle, cy, cx = np.deg2rad(angle_deg), (h - 1) / 2, (w - 1) / 2
    t = np.tan(angle)
    k = 1 + cx * t / focal  # output (col, row) -> input, with the denominator's constant scaled to 1
    M = np.array([[(1 / np.cos(angle) - cx * t / focal) / k, 0, (cx * k - cx / np.cos(angle)) / k],
                  [-cy * t / (focal * k), 1 / k, cy * (k - 1) / k],
                  [-t / (focal * k), 0, 1]])
    to_pil, from_pil = np.array([[1, 0, 0.5], [0, 1, 0.5], [0, 0, 1]]), np.array([[1, 0, -0.5], [0, 1, -0.5], [0, 0, 1]])
    M = to_pil @ M @ from_pil
    M /= M[2, 2]
    warped = Image.fromarray(image).transform((w, h), Image.PERSPECTIVE, tuple(M.ravel()[:8]),
                                              resample=Image.BILINEAR, fillcolor=fill)
    return np.asarray(warped).astype(np.float64)


def test_viewpoint_is_pils_perspective_transform_of_the_picture_turned_50_degrees():
    for image in (_grid_image(), sample_photo(downscale=4)[..., 1]):
        ours = change_image(image, "viewpoint", 1.0).astype(np.float64)
        pil = _perspective_in_pil(image, 50.0, 1.5 * image.shape[1], fill=128)
        diff = np.abs(ours - pil)
        assert diff.mean() < 1.0 and np.mean(diff > 8) < 0.01


def test_viewpoint_is_a_perspective_not_a_rotation():
    image = _grid_image()
    out = change_image(image, "viewpoint", 0.6)
    h, w = image.shape
    left, right = out[:, w // 4], out[:, 3 * w // 4]
    dark_left, dark_right = np.flatnonzero(left < 128), np.flatnonzero(right < 128)
    # the near (left) side is magnified, the far side shrinks: the horizontal lines converge to the right
    assert dark_left.max() - dark_left.min() > dark_right.max() - dark_right.min()
    # the turn is about the vertical axis: the centre column stays vertical and in place
    np.testing.assert_array_equal(out[:, (w - 1) // 2 - 1 : (w - 1) // 2 + 2].min(axis=1) < 128,
                                  image[:, (w - 1) // 2 - 1 : (w - 1) // 2 + 2].min(axis=1) < 128)


def test_scale_zooms_in_about_the_centre():
    image = np.zeros((41, 41), np.uint8)
    image[20 + 8, 20] = 255  # a dot 8 rows below the centre
    out = change_image(image, "scale", 1.0)  # 2x
    assert np.unravel_index(np.argmax(out), out.shape) == (20 + 16, 20)
    assert out[20, 20] == 0


def test_deformation_is_a_smooth_warp_that_leaves_the_border_alone():
    image = _grid_image()
    out = change_image(image, "deformation", 1.0, seed=2)
    np.testing.assert_array_equal(out[[0, -1]], image[[0, -1]])
    np.testing.assert_array_equal(out[:, [0, -1]], image[:, [0, -1]])
    assert mean_abs_difference(out[20:40, 25:55], image[20:40, 25:55]) > 10
    # smooth: every pixel still comes from within 6 % of the width (about 5 pixels here) of itself
    dots = np.zeros((60, 80), np.uint8)
    dots[30, 40] = 255
    moved = np.argwhere(change_image(dots, "deformation", 1.0, seed=2) > 0)
    assert len(moved) and np.abs(moved - [30, 40]).max() <= 0.06 * 80 + 1


def _skin(image):
    r, g, b = (image[..., c].astype(int) for c in range(3))
    return (r > 95) & (r > g + 15) & (g > b)


def test_occlusion_is_a_grey_square_on_the_face():
    photo = sample_photo()
    out = change_image(photo, "occlusion", 1.0)
    covered = np.any(out != photo, axis=2)
    rows, cols = np.flatnonzero(covered.any(axis=1)), np.flatnonzero(covered.any(axis=0))
    side = round(0.35 * min(photo.shape[:2]) / 2) * 2
    assert (rows.size, cols.size) == (side, side)  # one square ...
    assert np.all(out[rows.min():rows.max() + 1, cols.min():cols.max() + 1] == 128)  # ... of grey
    assert np.mean(_skin(photo)[covered]) > 0.6  # ... over the face, not the background
    np.testing.assert_array_equal(out[~covered], photo[~covered])


def test_clutter_replaces_only_the_plain_backdrop_with_a_busy_texture():
    photo = sample_photo()
    out = change_image(photo, "clutter", 1.0)
    changed = np.any(out != photo, axis=2)
    s = min(photo.shape[:2]) // 8
    backdrop = np.median(photo[:s, -s:].reshape(-1, 3), axis=0)  # the plain top-right corner
    distance = np.sqrt(np.sum((photo.astype(float) - backdrop) ** 2, axis=2))
    assert distance[changed].max() < pixels.BACKDROP_TOLERANCE  # only backdrop-coloured pixels change
    assert not changed[_skin(photo)].any()  # the face and hands are intact
    assert changed[:100, 210:].mean() > 0.95  # the plain backdrop beside her head is replaced
    assert changed[:, :60].mean() < 0.02  # the flag is not plain backdrop (a few of its pixels share the blue)
    assert out[changed].astype(float).std(axis=0).min() > 40  # busy: many colours
    half = change_image(photo, "clutter", 0.5).astype(float)
    np.testing.assert_allclose(half[changed], (photo[changed] + out[changed].astype(float)) / 2, atol=1.01)


def test_clutter_works_on_a_grey_digit():
    digit = np.zeros((28, 28), np.uint8)
    digit[6:22, 12:16] = 250  # a bright "1" on black
    out = change_image(digit, "clutter", 1.0)
    np.testing.assert_array_equal(out[6:22, 12:16], 250)
    assert np.mean(out[digit == 0] != 0) > 0.9


def test_illumination_scales_every_value():
    photo = sample_photo(downscale=4)
    np.testing.assert_array_equal(change_image(photo, "illumination", 0.5),
                                  np.rint(photo * (1 - 0.75 * 0.5)).astype(np.uint8))


def test_shift_moves_whole_pixels_right_and_down():
    photo = sample_photo(downscale=4)  # 150 x 128
    out = change_image(photo, "shift", 0.5)
    dy, dx = round(0.05 * 150), round(0.05 * 128)
    np.testing.assert_array_equal(out[dy:, dx:], photo[:-dy, :-dx])
    np.testing.assert_array_equal(out[:dy, dx:], np.broadcast_to(photo[0, :-dx], (dy, 128 - dx, 3)))
