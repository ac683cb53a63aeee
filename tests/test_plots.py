"""course_lib.plots: the figure helper (alt text in the HTML), the style, and the image figures."""

import base64
import html
import io
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from PIL import Image  # noqa: E402

from course_lib import plots  # noqa: E402

BANNED_CMAPS = {"jet", "rainbow", "hsv", "gist_rainbow", "nipy_spectral", "gist_ncar"}


@pytest.fixture(autouse=True)
def _course_style_and_cleanup():
    with matplotlib.rc_context():
        plots.use_course_style()
        yield
    plt.close("all")


@pytest.fixture
def displayed(monkeypatch):
    """What show_figure displays: a list of (bundle, kwargs)."""
    shown = []
    monkeypatch.setattr(plots, "display", lambda obj, **kw: shown.append((obj, kw)))
    return shown


def _png_from_html(tag: str) -> bytes:
    m = re.fullmatch(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)" alt="([^"]*)" '
                     r'width="(\d+)" height="(\d+)">', tag)
    assert m, tag[:200]
    return base64.b64decode(m.group(1))


# --------------------------------------------------------------------------- show_figure


def test_show_figure_displays_one_img_with_the_alt_text_in_html_and_as_plain_text(displayed):
    fig, ax = plt.subplots(figsize=(2.0, 1.5))
    ax.plot([0, 1], [1, 0])
    alt = 'Loss falls from 2.3 to 0.4 over 100 steps; "fast" <then> flat & done'
    assert plots.show_figure(fig, alt=alt) is None
    assert len(displayed) == 1
    bundle, kwargs = displayed[0]
    assert kwargs == {"raw": True}
    assert set(bundle) == {"text/html", "text/plain"}
    assert bundle["text/plain"] == alt
    tag = bundle["text/html"]
    png = _png_from_html(tag)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert f'alt="{html.escape(alt, quote=True)}"' in tag
    assert 'width="200" height="150"' in tag  # 2 × 1.5 inches at the course's 100 dpi
    assert not plt.fignum_exists(fig.number)  # closed


def test_show_figure_collapses_whitespace_of_the_alt_text(displayed):
    fig, _ = plt.subplots()
    plots.show_figure(fig, alt="  Two\nlines   of text ")
    assert displayed[0][0]["text/plain"] == "Two lines of text"


@pytest.mark.parametrize("alt, exc, message", [
    (None, TypeError, "alt must be a str"),
    (b"bytes", TypeError, "alt must be a str"),
    (3, TypeError, "alt must be a str"),
    ("", ValueError, "alt must describe what the figure shows"),
    ("  \n ", ValueError, "alt must describe what the figure shows"),
])
def test_show_figure_refuses_missing_alt_and_still_closes_the_figure(displayed, alt, exc, message):
    fig, _ = plt.subplots()
    with pytest.raises(exc, match=message):
        plots.show_figure(fig, alt)
    assert displayed == []
    assert not plt.fignum_exists(fig.number)


def test_show_figure_requires_alt_argument():
    fig, _ = plt.subplots()
    with pytest.raises(TypeError):
        plots.show_figure(fig)  # noqa


def test_show_figure_refuses_a_non_figure(displayed):
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure"):
        plots.show_figure("figure", alt="text")
    assert displayed == []


def test_figure_to_png_is_opaque_even_for_a_transparent_figure():
    fig = plots.new_figure((1.0, 1.0))
    fig.patch.set_alpha(0.0)
    fig.add_subplot().set_facecolor("none")
    image = Image.open(io.BytesIO(plots.figure_to_png(fig))).convert("RGBA")
    assert image.size == (100, 100)
    alpha = np.asarray(image)[..., 3]
    assert alpha.min() == 255


def test_figure_to_png_is_deterministic_and_without_version_metadata():
    def draw():
        fig = plots.new_figure((2.0, 1.0))
        fig.add_subplot().plot([0, 1, 2], [2, 0, 1])
        return plots.figure_to_png(fig)

    first = draw()
    assert first == draw()
    assert b"Matplotlib version" not in first and b"matplotlib.org" not in first


def test_figure_to_png_and_new_figure_errors():
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure"):
        plots.figure_to_png(plt.gca())
    for bad in [(0, 2), (2,), "ab", (2, float("nan"))]:
        with pytest.raises(ValueError, match="figsize"):
            plots.new_figure(bad)
    before = set(plt.get_fignums())  # new_figure's figures are not managed by pyplot
    plots.new_figure((1, 1))
    assert set(plt.get_fignums()) == before


# --------------------------------------------------------------------------- style and colours


def test_palette_is_ten_distinct_colours_and_cmap_uses_it():
    assert len(set(plots.CLASS_COLORS)) == 10
    assert plots.CLASS_COLORS[:3] == ("#0072B2", "#E69F00", "#009E73")  # Okabe–Ito order
    cmap = plots.class_cmap(3)
    assert cmap.N == 3
    assert [matplotlib.colors.to_hex(cmap(i)) for i in range(3)] == [c.lower() for c in plots.CLASS_COLORS[:3]]
    with pytest.raises(ValueError, match="num_classes"):
        plots.class_cmap(11)
    with pytest.raises(TypeError, match="num_classes"):
        plots.class_cmap(2.0)


def test_use_course_style_projector_fonts_opaque_white_background_palette_and_no_rainbow():
    rc = matplotlib.rcParams
    assert rc["font.size"] >= 14 and rc["xtick.labelsize"] >= 12
    assert rc["figure.dpi"] == rc["savefig.dpi"] == plots.DPI
    for key in ("figure.facecolor", "savefig.facecolor", "axes.facecolor"):
        assert matplotlib.colors.to_rgba(rc[key]) == (1.0, 1.0, 1.0, 1.0), key
    assert rc["savefig.transparent"] is False
    assert [c["color"] for c in rc["axes.prop_cycle"]] == list(plots.CLASS_COLORS)
    assert rc["image.cmap"] not in BANNED_CMAPS


def test_no_banned_colour_map_is_named_in_the_module():
    source = open(plots.__file__, encoding="utf-8").read()
    for name in BANNED_CMAPS:
        assert not re.search(rf"['\"]{name}['\"]", source), name


# --------------------------------------------------------------------------- image figures


def test_show_image_draws_uint8_on_the_fixed_range_and_floats_on_their_own():
    fig = plots.show_image(np.array([[10, 20]], dtype=np.uint8), title="two pixels")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.images[0].get_clim() == (0.0, 255.0) and ax.get_title() == "two pixels"
    assert ax.get_xticks().size == 0
    fig = plots.show_image(np.array([[0.25, 0.75]]))
    assert fig.axes[0].images[0].get_clim() == (0.25, 0.75)
    colour = np.zeros((2, 2, 3), dtype=np.uint8)
    colour[0, 0] = 255
    drawn = plots.show_image(colour).axes[0].images[0].get_array()
    assert drawn.max() == 1.0 and drawn.min() == 0.0


def test_show_image_draws_into_a_given_axes_and_refuses_non_images():
    fig, (a, b) = plt.subplots(1, 2)
    assert plots.show_image(np.zeros((3, 3), np.uint8), ax=b) is fig
    assert len(b.images) == 1 and len(a.images) == 0
    with pytest.raises(ValueError, match=r"image must be \(H, W\) or \(H, W, 3\)"):
        plots.show_image(np.zeros((2, 2, 2)))
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        plots.show_image(np.zeros((2, 2)), ax="left")


def test_show_image_grid_layout_and_errors():
    fig = plots.show_image_grid(np.zeros((7, 4, 4), np.uint8), titles=list("abcdefg"), ncols=3)
    assert len(fig.axes) == 9
    assert [ax.get_title() for ax in fig.axes[:7]] == list("abcdefg")
    assert [ax.axison for ax in fig.axes[7:]] == [False, False]
    with pytest.raises(ValueError, match="titles has 2 entries but there are 7 images"):
        plots.show_image_grid(np.zeros((7, 4, 4)), titles=["a", "b"])
    with pytest.raises(ValueError, match="non-empty stack"):
        plots.show_image_grid(np.zeros((4, 4)))
    with pytest.raises(ValueError, match="size"):
        plots.show_image_grid(np.zeros((2, 4, 4)), size=0)


def test_show_class_examples_one_row_per_class_seeded():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, size=(30, 4, 4), dtype=np.uint8)
    y = np.repeat(np.arange(3), 10)
    fig = plots.show_class_examples(X, y, ["a", "b", "c"], per_class=4, seed=1)
    assert len(fig.axes) == 12
    assert [fig.axes[4 * c].get_ylabel() for c in range(3)] == ["a", "b", "c"]
    drawn = [np.asarray(ax.images[0].get_array()) for ax in fig.axes]
    again = plots.show_class_examples(X, y, ["a", "b", "c"], per_class=4, seed=1)
    assert all(np.array_equal(a, np.asarray(ax.images[0].get_array())) for a, ax in zip(drawn, again.axes))
    for j, image in enumerate(drawn):  # row c shows per_class different images of class c
        matches = [i for i in range(len(X)) if np.array_equal(X[i], image)]
        assert len(matches) == 1 and y[matches[0]] == j // 4
    assert len({a.tobytes() for a in drawn}) == 12
    with pytest.raises(ValueError, match=r"class 2 \(c\) has 9 examples, fewer than per_class=10"):
        plots.show_class_examples(X[:-1], y[:-1], ["a", "b", "c"], per_class=10)
    with pytest.raises(ValueError, match=r"labels in \[0, 2\)"):
        plots.show_class_examples(X, y, ["a", "b"], per_class=2)
    with pytest.raises(ValueError, match="not flattened rows"):
        plots.show_class_examples(X.reshape(30, 16), y, ["a", "b", "c"])


def _luminance(rgb) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb[:3]]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b) -> float:
    la, lb = _luminance(matplotlib.colors.to_rgb(a)), _luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def test_show_pixel_values_prints_every_value_on_its_pixel():
    patch = np.array([[0, 255], [128, 7]], dtype=np.uint8)
    ax = plots.show_pixel_values(patch, title="patch").axes[0]
    texts = {(t.get_position(), t.get_text()) for t in ax.texts}
    assert texts == {((0, 0), "0"), ((1, 0), "255"), ((0, 1), "128"), ((1, 1), "7")}
    colours = {t.get_text(): t.get_color() for t in ax.texts}
    assert colours["0"] == "white" and colours["255"] == "black"
    assert colours["128"] == "black"  # mid-grey: black reads better (the old figure used white)
    assert ax.get_title() == "patch"


def test_show_pixel_values_text_is_readable_on_every_grey_level():
    patch = np.arange(256, dtype=np.uint8).reshape(16, 16)
    ax = plots.show_pixel_values(patch).axes[0]
    cmap = plt.get_cmap("gray")
    for t in ax.texts:
        cell = cmap(int(t.get_text()) / 255)[:3]
        assert _contrast(t.get_color(), cell) >= 4.5, (t.get_text(), t.get_color())


def test_show_pixel_values_floats_and_errors():
    ax = plots.show_pixel_values(np.array([[0.5, 0.25]])).axes[0]
    assert sorted(t.get_text() for t in ax.texts) == ["0.25", "0.50"]
    with pytest.raises(ValueError, match="grey patch"):
        plots.show_pixel_values(np.zeros((2, 2, 3), np.uint8))
    with pytest.raises(ValueError, match="at most 40 × 40"):
        plots.show_pixel_values(np.zeros((41, 41), np.uint8))


def test_show_templates_one_panel_per_class_rescaled_per_class():
    D, C = 2 * 3 * 3, 4
    W = np.arange(D * C, dtype=float).reshape(D, C)
    W[:, 3] = 5.0  # a constant template becomes mid-grey, not NaN
    fig = plots.show_templates(W, (2, 3, 3), ["a", "b", "c", "d"], ncols=2)
    assert len(fig.axes) == 4
    assert [ax.get_title() for ax in fig.axes] == ["a", "b", "c", "d"]
    first = fig.axes[0].images[0].get_array()
    assert first.shape == (2, 3, 3)
    assert first.min() == 0.0 and first.max() == 1.0
    np.testing.assert_allclose(first.reshape(-1), np.linspace(0, 1, D))  # row-major, like flatten
    np.testing.assert_array_equal(fig.axes[3].images[0].get_array(), 0.5)
    sym = plots.show_templates(np.array([[-2.0], [1.0]]), (1, 2), mode="symmetric").axes[0].images[0].get_array()
    np.testing.assert_allclose(sym, [[0.0, 0.75]])


@pytest.mark.parametrize("args, kwargs, exc, message", [
    ((np.zeros((19, 2)), (2, 3, 3)), {}, ValueError, "one extra row: unfold the bias first"),
    ((np.zeros((17, 2)), (2, 3, 3)), {}, ValueError, r"W has 17 rows but image_shape \(2, 3, 3\) holds 18"),
    ((np.zeros((18, 2)), (2, 3, 3), ["a"]), {}, ValueError, "class_names has 1 entries but W has 2"),
    ((np.zeros((24, 2)), (2, 3, 4)), {}, ValueError, "image_shape must be"),
    ((np.zeros((24, 2)), (2, 12.0)), {}, ValueError, "image_shape must be"),
    ((np.zeros((18, 2)), (3, 2, 3)), {"mode": "max"}, ValueError, "mode must be one of"),
    ((np.zeros(18), (2, 3, 3)), {}, ValueError, "W must be 2-D"),
])
def test_show_templates_errors(args, kwargs, exc, message):
    with pytest.raises(exc, match=message):
        plots.show_templates(*args, **kwargs)


def test_drawing_functions_never_display(displayed):
    plots.show_image(np.zeros((2, 2), np.uint8))
    plots.show_image_grid(np.zeros((2, 2, 2), np.uint8))
    plots.show_pixel_values(np.zeros((2, 2), np.uint8))
    plots.show_templates(np.ones((4, 2)), (2, 2))
    assert displayed == []
