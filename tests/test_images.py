"""Pixels and the transformations of notebook 01."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from course_lib import images
from course_lib.demos import pixels as demo


def test_flatten_gives_one_row_per_image_in_row_major_order():
    stack = np.arange(2 * 2 * 3 * 3, dtype=np.uint8).reshape(2, 2, 3, 3)
    X = images.flatten(stack)
    assert X.shape == (2, 18) and X.dtype == np.float64
    np.testing.assert_array_equal(X[1], np.arange(18, 36))
    # the three channel values of a pixel sit next to each other
    np.testing.assert_array_equal(X[0, :3], stack[0, 0, 0])


def test_cifar10_image_has_3072_numbers():
    assert images.flatten(np.zeros((5, 32, 32, 3), np.uint8)).shape == (5, 3072)


@pytest.mark.parametrize("bad, exc", [(np.zeros(3), ValueError), ("x", TypeError), (np.zeros((0, 2, 2)), ValueError)])
def test_flatten_rejects(bad, exc):
    with pytest.raises(exc, match="images"):
        images.flatten(bad)


def test_sample_photo_is_a_real_colour_photo():
    photo = images.sample_photo()
    assert photo.shape == (214, 320, 3) and photo.dtype == np.uint8
    assert photo.min() == 0 and photo.max() == 255
    assert images.sample_photo("flower.jpg", downscale=1).shape == (427, 640, 3)
    with pytest.raises(ValueError, match="name must be one of"):
        images.sample_photo("cat.jpg")
    with pytest.raises(ValueError, match="downscale"):
        images.sample_photo(downscale=0)


def test_to_grayscale_uses_luma_weights():
    rgb = np.array([[[255, 0, 0], [0, 255, 0], [0, 0, 255], [10, 20, 30]]], dtype=np.uint8)
    grey = images.to_grayscale(rgb)
    assert grey.dtype == np.uint8
    assert grey.tolist() == [[76, 150, 29, round(0.299 * 10 + 0.587 * 20 + 0.114 * 30)]]
    g = np.array([[1, 2]], dtype=np.uint8)
    assert images.to_grayscale(g) is g


def test_mean_abs_difference_does_not_wrap():
    a = np.array([0, 10], dtype=np.uint8)
    b = np.array([255, 0], dtype=np.uint8)
    assert images.mean_abs_difference(a, b) == pytest.approx((255 + 10) / 2)
    with pytest.raises(ValueError, match="same shape"):
        images.mean_abs_difference(a, np.zeros(3))


@settings(max_examples=25, deadline=None)
@given(arrays(np.uint8, (6, 7)), arrays(np.uint8, (6, 7)))
def test_mean_abs_difference_is_a_symmetric_distance(a, b):
    d = images.mean_abs_difference(a, b)
    assert d == images.mean_abs_difference(b, a)
    assert 0 <= d <= 255
    assert (d == 0) == np.array_equal(a, b)


@pytest.mark.parametrize("kind", images.TRANSFORMATIONS)
def test_transform_keeps_shape_and_dtype_and_strength_zero_is_identity(kind):
    photo = images.sample_photo(downscale=4)
    out = images.transform(photo, kind, 0.7)
    assert out.shape == photo.shape and out.dtype == np.uint8
    assert not np.array_equal(out, photo)
    np.testing.assert_array_equal(images.transform(photo, kind, 0.0), photo)


def test_transform_known_values():
    img = np.full((10, 10), 200, dtype=np.uint8)
    assert images.transform(img, "illumination", 1.0).max() == 50  # 25 % of 200
    occluded = images.transform(img, "occlusion", 1.0)
    assert occluded[4, 4] == 128 and occluded[0, 0] == 200
    ramp = np.tile(np.arange(10, dtype=np.uint8), (10, 1))
    shifted = images.transform(ramp, "shift", 1.0)  # 15 % of 10 = 1.5 -> 2 columns
    assert shifted[0].tolist() == [0, 0, 0, 1, 2, 3, 4, 5, 6, 7]


def test_transform_clutter_is_seeded():
    photo = images.sample_photo(downscale=4)
    a = images.transform(photo, "clutter", 0.5, seed=1)
    np.testing.assert_array_equal(a, images.transform(photo, "clutter", 0.5, seed=1))
    assert not np.array_equal(a, images.transform(photo, "clutter", 0.5, seed=2))


@pytest.mark.parametrize(
    "args, exc, words",
    [
        ((np.zeros((4, 4)), "blur", 0.5), ValueError, "kind must be one of"),
        ((np.zeros((4, 4)), "shift", 1.5), ValueError, r"strength must be in \[0, 1\]"),
        ((np.zeros((4, 4)), "shift", -0.1), ValueError, "strength must be >= 0"),
        ((np.zeros(4), "shift", 0.5), ValueError, "image must have shape"),
        ((np.zeros((4, 4)), "shift", "big"), TypeError, "strength must be a real number"),
    ],
)
def test_transform_rejects(args, exc, words):
    with pytest.raises(exc, match=words):
        images.transform(*args)


# ----------------------------------------------------------------------------- the pixel rule:
# uint8 (0-255) or float ([0, 1] if max <= 1, else [0, 255]); other dtypes refused.


@pytest.mark.parametrize("kind", images.TRANSFORMATIONS)
def test_float_image_in_0_1_gets_the_same_picture_as_uint8(kind):
    photo = images.sample_photo(downscale=8)
    as_float = photo / 255.0
    out = images.transform(as_float, kind, 0.8, seed=3)
    assert out.dtype == np.float64 and out.shape == photo.shape
    assert 0.0 <= out.min() and out.max() <= 1.0
    # the same change, in the other range: within the uint8 result's rounding
    np.testing.assert_allclose(out * 255, images.transform(photo, kind, 0.8, seed=3), atol=0.5 + 1e-9)
    same_range = images.transform(photo.astype(np.float32), kind, 0.8, seed=3)  # float in [0, 255]
    assert same_range.dtype == np.float32
    np.testing.assert_allclose(same_range, images.transform(photo, kind, 0.8, seed=3), atol=0.5 + 1e-4)


def test_float_occlusion_grey_and_clutter_in_the_image_range():
    img = np.full((10, 10), 0.8)
    occluded = images.transform(img, "occlusion", 1.0)
    assert occluded[4, 4] == pytest.approx(128 / 255) and occluded[0, 0] == 0.8
    assert images.transform(img * 255, "occlusion", 1.0)[4, 4] == 128.0
    assert images.transform(img, "clutter", 1.0).max() <= 1.0


def test_to_grayscale_keeps_float_input_float():
    rgb = np.array([[[1.0, 0.0, 0.0], [0.2, 0.4, 0.6]]])
    grey = images.to_grayscale(rgb)
    assert grey.dtype == np.float64
    np.testing.assert_allclose(grey, [[0.299, 0.299 * 0.2 + 0.587 * 0.4 + 0.114 * 0.6]], rtol=1e-12)
    assert images.to_grayscale(rgb.astype(np.float32)).dtype == np.float32
    # uint8 stays rounded uint8, as before
    assert images.to_grayscale((rgb * 255).astype(np.uint8)).tolist() == [[76, 93]]  # [51, 102, 153]


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.uint16, np.int64, bool])
def test_other_pixel_dtypes_are_refused(dtype):
    img = np.zeros((4, 4, 3), dtype=dtype)
    for call in (lambda: images.transform(img, "occlusion", 1.0), lambda: images.to_grayscale(img),
                 lambda: images.to_grayscale(img[..., 0]), lambda: demo.compare_transformation(img, "shift", 0.5),
                 lambda: demo.transformation_widget(img)):
        with pytest.raises(TypeError, match=r"^image must be uint8 or float \(pixel values uint8 \(0-255\) or "
                                            r"float \(\[0, 1\] or \[0, 255\]\)\), got dtype"):
            call()


def test_demo_measures_float_images_in_0_255_units():
    photo = images.sample_photo(downscale=8)
    for kind in ("illumination", "occlusion"):
        as_uint8 = demo.compare_transformation(photo, kind, 1.0)
        as_float = demo.compare_transformation(photo / 255.0, kind, 1.0)
        assert as_float["mean_abs_difference"] == pytest.approx(as_uint8["mean_abs_difference"], abs=0.5)
        assert as_float["fraction_changed"] == pytest.approx(as_uint8["fraction_changed"], abs=0.02)
    drawn = demo.draw_transformation(photo / 255.0, "occlusion", 0.5)
    assert drawn["figure"].axes[2].images[0].get_clim() == (0.0, 1.0)
    matplotlib.pyplot.close("all")


def test_demo_compare_and_draw():
    photo = images.sample_photo(downscale=4)
    result = demo.compare_transformation(photo, "illumination", 1.0)
    expected = images.mean_abs_difference(photo, images.transform(photo, "illumination", 1.0))
    assert result["mean_abs_difference"] == pytest.approx(expected)
    assert 0.5 < result["fraction_changed"] <= 1
    drawn = demo.draw_transformation(photo, "occlusion", 0.5)
    fig = drawn["figure"]
    assert len(fig.axes) == 3
    assert fig.axes[2].get_title().startswith("|difference|: mean ")
    matplotlib.pyplot.close(fig)


def test_demo_widget_redraws_on_change():
    photo = images.sample_photo(downscale=4)
    widget = demo.transformation_widget(photo)
    kind, strength = widget.children[:2]
    kind.value, strength.value = "illumination", 0.0
    assert widget.state["latest"]["mean_abs_difference"] == 0
    strength.value = 1.0
    assert widget.state["latest"]["mean_abs_difference"] > 50
    matplotlib.pyplot.close("all")
