"""course_lib.demos.pixels (notebook 01): the pixel tables print the image's own numbers, the distance
figures draw the distances they are given, the widget's redraw shows where the numbers moved, and the
helpers behind the notebook's computed sentences agree with brute force."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from course_lib import pixels  # noqa: E402
from course_lib.demos import pixels as demo  # noqa: E402
from course_lib.plots import figure_to_png, use_course_style  # noqa: E402


@pytest.fixture(autouse=True)
def _style_and_close():
    use_course_style()
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def photo():
    return pixels.sample_photo()


def _numbers_drawn(ax) -> np.ndarray:
    """The whole numbers written on an axes' cells, in drawing order (row by row)."""
    return np.array([int(t.get_text()) for t in ax.texts if isinstance(t, Text) and t.get_text().isdigit()])


# ---------------------------------------------------------------------------- absolute difference


def test_absolute_difference_does_not_wrap_around():
    a, b = np.array([[10, 0]], np.uint8), np.array([[200, 255]], np.uint8)
    assert np.abs(a - b).tolist() == [[66, 1]]  # what uint8 does
    out = demo.absolute_difference(a, b)
    assert out.dtype == np.float64 and out.tolist() == [[190.0, 255.0]]
    assert demo.absolute_difference(b, a).tolist() == [[190.0, 255.0]]


def test_absolute_difference_averages_to_mean_abs_difference(photo):
    changed = pixels.change_image(photo, "shift", 0.2)
    assert demo.absolute_difference(photo, changed).mean() == pytest.approx(
        pixels.mean_abs_difference(photo, changed), rel=1e-12)


@pytest.mark.parametrize("a, b, error, fragment", [
    (np.zeros((2, 2)), np.zeros((2, 3)), ValueError, "a and b must have the same shape"),
    ("x", np.zeros(2), TypeError, "a must be a numeric array"),
])
def test_absolute_difference_refuses_bad_input(a, b, error, fragment):
    with pytest.raises(error, match=fragment):
        demo.absolute_difference(a, b)


# ---------------------------------------------------------------------------- pixel tables


def test_pixel_view_prints_the_patchs_rounded_brightness(photo):
    fig, alt = demo.pixel_view_figure(photo, top=94, left=104, size=12)
    table_ax = fig.axes[1]
    expected = np.rint(pixels.to_grayscale(photo[94:106, 104:116])).astype(int)
    np.testing.assert_array_equal(_numbers_drawn(table_ax), expected.ravel())
    assert f"from {expected.min()} to {expected.max()}" in alt and "row 94, column 104" in alt
    figure_to_png(fig)


def test_channels_figure_prints_each_channels_stored_values(photo):
    fig, alt = demo.channels_figure(photo, top=99, left=184, size=6)
    tables = [ax for ax in fig.axes if ax.texts]
    assert len(tables) == 3
    for c, ax in enumerate(tables):
        np.testing.assert_array_equal(_numbers_drawn(ax), photo[99:105, 184:190, c].ravel())
    red = photo[99:105, 184:190, 0]
    assert f"red ranges from {red.min()} to {red.max()}" in alt
    with pytest.raises(ValueError, match="image must be a colour image"):
        demo.channels_figure(photo[..., 0], top=0, left=0)


def test_image_table_shows_every_number_of_a_small_image():
    rng = np.random.default_rng(0)
    colour = rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)
    fig, alt = demo.image_table_figure(colour, title="cat")
    drawn = _numbers_drawn(fig.axes[1])
    assert drawn.size == 1_024
    np.testing.assert_array_equal(drawn, np.rint(pixels.to_grayscale(colour)).astype(int).ravel())
    assert "1,024" in alt and "brightness" in alt
    digit = rng.integers(0, 256, (28, 28), dtype=np.uint8)
    fig, alt = demo.image_table_figure(digit, title="7")
    np.testing.assert_array_equal(_numbers_drawn(fig.axes[1]), digit.ravel())  # grey: the stored values
    assert "784 numbers, the stored value" in alt


# ---------------------------------------------------------------------------- distances


def test_unrelated_photos_are_ten_other_photos_of_the_photos_size(photo):
    photos, names = demo.unrelated_photos(photo.shape)
    assert photos.shape == (10, *photo.shape) and photos.dtype == np.uint8 and not photos.flags.writeable
    assert names == ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
    distances = [pixels.mean_abs_difference(photo, p) for p in photos]
    assert min(distances) > 30  # genuinely different pictures
    assert len({p.tobytes() for p in photos}) == 10
    with pytest.raises(ValueError, match="shape must be"):
        demo.unrelated_photos((32, 32))


def test_unrelated_figure_titles_each_photo_with_its_distance(photo):
    photos, names = demo.unrelated_photos(photo.shape)
    distances = np.arange(10) + 50.25
    fig, alt = demo.unrelated_figure(photos, names, distances)
    assert [ax.get_title() for ax in fig.axes] == [f"{n}\n{d:.1f}" for n, d in zip(names, distances)]
    assert "bird 52.2" in alt


def test_change_distances_measure_each_change(photo):
    strengths = {"occlusion": 1.0, "illumination": 0.5}
    changes = demo.change_distances(photo, strengths, seed=0)
    for kind, (changed, distance) in changes.items():
        np.testing.assert_array_equal(changed, pixels.change_image(photo, kind, strengths[kind]))
        assert distance == pixels.mean_abs_difference(photo, changed)
    fig, alt = demo.changes_figure(photo, changes, strengths)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[0].strip() == "original" and f"occlusion (1)\nmoved {changes['occlusion'][1]:.1f}" in titles
    assert f"illumination at strength 0.5 moved {changes['illumination'][1]:.1f}" in alt


def test_distance_bars_draw_the_given_distances_and_the_yardsticks():
    distances = {"a": 10.0, "b": 60.0, "c": 30.0}
    unrelated = np.array([50.0, 80.0, 90.0])
    fig, alt = demo.distance_bars_figure(distances, unrelated, ("x", "y", "z"))
    ax = fig.axes[0]
    assert [round(p.get_width(), 6) for p in ax.patches] == [10.0, 60.0, 30.0]
    lines = sorted(line.get_xdata()[0] for line in ax.lines)
    assert lines == [50.0, 80.0]  # closest and median of the unrelated photos
    assert "1 of 3 changes reach the dashed line" in alt and "closest unrelated photo at 50.0" in alt
    assert "(x)" in ax.get_legend().get_texts()[0].get_text()


def test_same_and_other_class_on_constant_classes():
    X = np.repeat(np.array([0, 100, 200], np.uint8), 10)[:, None, None] * np.ones((1, 4, 4), np.uint8)
    y = np.repeat([0, 1, 2], 10)
    same, other = demo.same_and_other_class(X, y, num_pairs=50, seed=0)
    assert same == 0.0
    assert 100.0 <= other <= 200.0
    assert demo.same_and_other_class(X, y, num_pairs=50, seed=0) == (same, other)


def test_shift_right_repeats_the_first_column():
    images = np.arange(2 * 3 * 4).reshape(2, 3, 4)
    out = demo.shift_right(images, 1)
    np.testing.assert_array_equal(out[:, :, 1:], images[:, :, :-1])
    np.testing.assert_array_equal(out[:, :, 0], images[:, :, 0])
    with pytest.raises(ValueError, match="num_pixels must be an integer in"):
        demo.shift_right(images, 4)


def test_shift_and_nearest_agree_with_brute_force():
    rng = np.random.default_rng(3)
    images = rng.integers(0, 256, (6, 5, 7, 3), dtype=np.uint8)
    moved, nearest = demo.shift_and_nearest(images, num_pixels=2)
    shifted = demo.shift_right(images, 2)
    for i in range(6):
        assert moved[i] == pytest.approx(pixels.mean_abs_difference(images[i], shifted[i]))
        others = [pixels.mean_abs_difference(images[i], images[j]) for j in range(6) if j != i]
        assert nearest[i] == pytest.approx(min(others))


# ---------------------------------------------------------------------------- widget


@pytest.mark.parametrize("kind", pixels.CHANGES)
def test_draw_change_shows_where_the_numbers_moved(photo, kind):
    result = demo.draw_change(photo, kind, 0.5)
    np.testing.assert_array_equal(result["changed"], pixels.change_image(photo, kind, 0.5))
    np.testing.assert_allclose(result["moved"], demo.absolute_difference(photo, result["changed"]).mean(axis=2))
    assert result["mean_abs_difference"] == pytest.approx(pixels.mean_abs_difference(photo, result["changed"]))
    (ax,) = result["figure"].axes
    picture = ax.images[0].get_array()
    h, w = photo.shape[:2]
    np.testing.assert_allclose(picture[:, :w], photo / 255)  # the original on the left
    step = w + max(1, w // 12)
    np.testing.assert_allclose(picture[:, step:step + w], result["changed"] / 255)  # then the changed photo
    moved_colours = picture[:, 2 * step:2 * step + w]
    assert np.all(moved_colours[result["moved"] == 0] < 0.02)  # black where nothing moved (magma's floor)
    titles = [t.get_text() for t in ax.texts]
    assert f"{kind}, strength 0.50" in titles and f"where numbers moved\nmean {result['mean_abs_difference']:.1f}" in titles
    assert f"'{kind}' at strength 0.50" in result["alt"] and f"{result['mean_abs_difference']:.1f}" in result["alt"]
    assert figure_to_png(result["figure"]).startswith(b"\x89PNG")


def test_draw_change_works_on_a_grey_image():
    digit = np.zeros((28, 28), np.uint8)
    digit[6:22, 12:16] = 250
    result = demo.draw_change(digit, "shift", 1.0)
    assert result["moved"].shape == (28, 28) and result["mean_abs_difference"] > 0


def test_occlusion_moves_numbers_only_under_the_square(photo):
    rows, cols = np.nonzero(demo.draw_change(photo, "occlusion", 1.0)["moved"])
    assert rows.max() - rows.min() < photo.shape[0] / 2 and cols.max() - cols.min() < photo.shape[1] / 2


def test_change_widget_redraws_when_a_control_moves(photo, capsys):
    widget = demo.change_widget(photo[::3, ::3], kind="shift", strength=0.1)
    choose, slider = widget.children[0].children
    assert (choose.value, slider.value, slider.continuous_update) == ("shift", 0.1, False)
    assert tuple(choose.options) == pixels.CHANGES
    capsys.readouterr()
    choose.value = "occlusion"  # outside a kernel, show_figure's text lands on stdout
    assert "the change 'occlusion' at strength 0.10" in capsys.readouterr().out
    slider.value = 0.6
    assert "the change 'occlusion' at strength 0.60" in capsys.readouterr().out


@pytest.mark.parametrize("kwargs, error, fragment", [
    (dict(kind="rotation"), ValueError, "kind must be one of"),
    (dict(strength=2.0), ValueError, "strength must be a finite number in [0, 1]"),
    (dict(seed=-1), ValueError, "seed must be an integer in [0, inf]"),
])
def test_change_widget_checks_its_arguments_at_once(photo, kwargs, error, fragment):
    with pytest.raises(error, match=fragment.replace("[", r"\[").replace("]", r"\]")):
        demo.change_widget(photo, **kwargs)
    with pytest.raises(TypeError, match="image must hold uint8 pixels"):
        demo.change_widget(photo.astype(float))
