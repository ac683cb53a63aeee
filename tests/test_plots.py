"""Shared figures: what they draw, and their errors."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib import plots


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_palette_is_ten_distinct_colours_and_cmap_uses_it():
    assert len(set(plots.CLASS_COLORS)) == 10
    cmap = plots.class_cmap(3)
    assert cmap.N == 3
    assert matplotlib.colors.to_hex(cmap(0)) == plots.CLASS_COLORS[0].lower()
    with pytest.raises(ValueError, match="num_classes"):
        plots.class_cmap(11)


def test_use_course_style_sets_projector_fonts_and_palette():
    plots.use_course_style()
    assert matplotlib.rcParams["font.size"] >= 12
    cycle = [c["color"] for c in matplotlib.rcParams["axes.prop_cycle"]]
    assert cycle == list(plots.CLASS_COLORS)


def test_show_pixel_values_prints_every_value_on_its_pixel():
    patch = np.array([[0, 255], [128, 7]], dtype=np.uint8)
    ax = plots.show_pixel_values(patch)
    texts = {(t.get_position(), t.get_text()) for t in ax.texts}
    assert texts == {((0, 0), "0"), ((1, 0), "255"), ((0, 1), "128"), ((1, 1), "7")}
    # dark pixels get white numbers, bright ones black
    colours = {t.get_text(): t.get_color() for t in ax.texts}
    assert colours["0"] == "white" and colours["255"] == "black"
    with pytest.raises(ValueError, match="greyscale patch"):
        plots.show_pixel_values(np.zeros((2, 2, 3), np.uint8))


def test_show_image_uses_full_uint8_range_for_grey():
    im = plots.show_image(np.array([[10, 20]], dtype=np.uint8))
    assert im.get_clim() == (0, 255)
    with pytest.raises(ValueError, match="image must have shape"):
        plots.show_image(np.zeros((2, 2, 2)))


def test_show_image_grid_layout_and_errors():
    fig = plots.show_image_grid(np.zeros((7, 4, 4), np.uint8), titles=list("abcdefg"), ncols=3)
    assert len(fig.axes) == 9
    assert [ax.get_title() for ax in fig.axes[:7]] == list("abcdefg")
    with pytest.raises(ValueError, match="titles has 2 entries but there are 7 images"):
        plots.show_image_grid(np.zeros((7, 4, 4)), titles=["a", "b"])
    with pytest.raises(ValueError, match="non-empty stack"):
        plots.show_image_grid(np.zeros((4, 4)))


def test_show_class_examples_one_row_per_class():
    X = np.zeros((30, 4, 4), np.uint8)
    y = np.repeat(np.arange(3), 10)
    fig = plots.show_class_examples(X, y, ["a", "b", "c"], per_class=4)
    assert len(fig.axes) == 12
    assert [fig.axes[4 * c].get_ylabel() for c in range(3)] == ["a", "b", "c"]
    with pytest.raises(ValueError, match="class 2 has 9 examples, fewer than per_class=10"):
        plots.show_class_examples(X[:-1], y[:-1], ["a", "b", "c"], per_class=10)
    with pytest.raises(ValueError, match=r"labels in \[0, 2\)"):
        plots.show_class_examples(X, y, ["a", "b"], per_class=2)


def test_figure_to_png_renders_one_pass_at_figure_dpi():
    fig = plots.new_figure((2.0, 1.0))
    fig.add_subplot().plot([0, 1], [1, 0])
    png = plots.figure_to_png(fig)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (round(2.0 * fig.dpi), round(1.0 * fig.dpi))
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure"):
        plots.figure_to_png("figure")


def test_show_figure_displays_an_image_and_closes(monkeypatch):
    shown = []
    import IPython.display

    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj))
    fig, _ = plt.subplots()
    plots.show_figure(fig)
    assert len(shown) == 1 and shown[0].format == "png" and shown[0].data[:4] == b"\x89PNG"
    assert not plt.fignum_exists(fig.number)
