"""Notebook 01's figures and widget: a photo as numbers, and how far the world's changes move them.

Each ``…_figure`` function returns ``(figure, alt)``: a matplotlib Figure and the alt text that
says what it shows (numbers computed), ready for ``plots.show_figure(fig, alt=alt)``.
``draw_change`` is the widget's plain redraw; ``change_widget`` wires a dropdown and a slider to it.
``absolute_difference`` is the reference of the notebook's exercise.
"""

from __future__ import annotations

import functools

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle
from PIL import Image

from ..checks import check_choice, check_float, check_image, check_int, check_labels, check_same_shape, check_seed
from ..datasets import load_course_subset
from ..pixels import CHANGES, change_image, mean_abs_difference, to_grayscale
from ..plots import CLASS_COLORS, new_figure, show_figure, show_image, show_pixel_values

__all__ = [
    "absolute_difference", "patch_as_numbers", "pixel_view_figure", "channels_figure", "image_table_figure",
    "unrelated_photos", "unrelated_figure", "change_distances", "changes_figure", "distance_bars_figure", "same_and_other_class",
    "shift_right", "shift_and_nearest", "draw_change", "change_widget", "CHANNEL_NAMES",
]

CHANNEL_NAMES = ("red", "green", "blue")
_MARK = CLASS_COLORS[1]  # orange: the marked patch
_WIDGET_FIGSIZE = (6.6, 2.9)
#: Photo figures are stored at this dpi: photos compress poorly as PNG, and 01 holds many of them.
_PHOTO_DPI = 75


def absolute_difference(a, b) -> np.ndarray:
    """|a − b| pixel by pixel, without uint8 wrap-around (the exercise's reference).

    a, b: arrays of the same shape (two images), real numbers; uint8 is converted to float64
    first. Returns float64 of that shape, values ≥ 0 (0–255 for 0–255 images).
    Raises TypeError / ValueError as ``course_lib.checks.check_same_shape``. Notebook 01.
    """
    a, b = check_same_shape(a, b)
    return np.abs(a - b)


def patch_as_numbers(image) -> np.ndarray:
    """What the pixel tables print: a grey image as stored, a colour image's brightness rounded (uint8)."""
    image = check_image(image)
    if image.ndim == 2 and image.dtype == np.uint8:
        return image
    return np.clip(np.rint(to_grayscale(image)), 0, 255).astype(np.uint8)


def _mark(ax, top, left, height, width):
    ax.add_patch(Rectangle((left - 0.5, top - 0.5), width, height, fill=False, lw=2.5, ec=_MARK))


def pixel_view_figure(image, top: int, left: int, size: int = 12):
    """The photo with a size × size patch marked, and that patch as a table of brightness numbers.

    image: (H, W, 3) or (H, W) uint8. Returns (figure, alt).
    """
    image = check_image(image)
    size = check_int(size, "size", low=1, high=20)
    top = check_int(top, "top", low=0, high=image.shape[0] - size)
    left = check_int(left, "left", low=0, high=image.shape[1] - size)
    patch = patch_as_numbers(image[top:top + size, left:left + size])
    fig, (ax_photo, ax_table) = plt.subplots(1, 2, figsize=(10, 4.8), gridspec_kw={"width_ratios": [1, 1.25]})
    show_image(image, ax=ax_photo, title="the photo, patch marked")
    _mark(ax_photo, top, left, size, size)
    what = "brightness" if image.ndim == 3 else "value"
    show_pixel_values(patch, ax=ax_table, fontsize=9.5, title=f"the patch: {what} of each pixel, 0–255")
    fig.tight_layout()
    alt = (f"Left: the photo with a {size} by {size} pixel patch marked in orange at row {top}, column {left}. "
           f"Right: that patch as a table of {size * size} whole numbers from {patch.min()} to {patch.max()}, "
           "each cell shaded from black (0) to white (255).")
    fig.set_dpi(_PHOTO_DPI)
    return fig, alt


def channels_figure(image, top: int, left: int, size: int = 5):
    """The three channels of a colour image as grey images, and one small slice of each as numbers.

    image: (H, W, 3) uint8. Returns (figure, alt).
    """
    image = check_image(image)
    if image.ndim != 3:
        raise ValueError(f"image must be a colour image (H, W, 3), got shape {image.shape}")
    size = check_int(size, "size", low=1, high=10)
    top = check_int(top, "top", low=0, high=image.shape[0] - size)
    left = check_int(left, "left", low=0, high=image.shape[1] - size)
    fig, axes = plt.subplots(2, 3, figsize=(9.6, 6.9), gridspec_kw={"height_ratios": [1.2, 1]})
    for c, name in enumerate(CHANNEL_NAMES):
        channel = image[:, :, c]
        show_image(channel, ax=axes[0, c], title=f"channel {c}: {name}")
        _mark(axes[0, c], top, left, size, size)
        show_pixel_values(channel[top:top + size, left:left + size], ax=axes[1, c], fontsize=12.5,
                          title=f"{name}, marked slice")
    fig.tight_layout()
    slice_ = image[top:top + size, left:left + size]
    alt = ("Top row: the photo's red, green and blue channels, each drawn as a grey image (bright = much of "
           f"that colour), with a {size} by {size} slice marked in orange. Bottom row: the slice's numbers in "
           f"each channel; red ranges from {slice_[..., 0].min()} to {slice_[..., 0].max()}, green from "
           f"{slice_[..., 1].min()} to {slice_[..., 1].max()}, blue from {slice_[..., 2].min()} to "
           f"{slice_[..., 2].max()}.")
    fig.set_dpi(_PHOTO_DPI)
    return fig, alt


def image_table_figure(image, title: str):
    """One small image (at most 40 × 40) beside ALL its numbers: brightness for colour, values for grey.

    Returns (figure, alt).
    """
    image = check_image(image)
    numbers = patch_as_numbers(image)
    h, w = numbers.shape
    fig = plt.figure(figsize=(12, 9.0))
    ax_image = fig.add_axes((0.01, 0.55, 0.2, 0.3))
    ax_table = fig.add_axes((0.23, 0.01, 0.76, 0.94))
    show_image(image, ax=ax_image, title=str(title))
    kind = "brightness (rounded)" if image.ndim == 3 else "stored value"
    show_pixel_values(numbers, ax=ax_table, fontsize=7.5 if w > 28 else 8.5,
                      title=f"all {h} × {w} = {h * w:,} numbers: the {kind} of each pixel")
    alt = (f"Left: a {h} by {w} pixel image ({title}). Right: the same image as a table of all {h * w:,} "
           f"numbers, the {kind} of each pixel, from {numbers.min()} to {numbers.max()}, each cell shaded by "
           "its value.")
    fig.set_dpi(_PHOTO_DPI)
    return fig, alt


@functools.lru_cache(maxsize=4)
def _unrelated(height: int, width: int) -> tuple:
    subset = load_course_subset()  # shipped with the package: the same ten photos whatever COURSE_DATASET is
    first = [int(np.flatnonzero(subset.y_test == c)[0]) for c in range(subset.num_classes)]
    photos = np.stack([np.asarray(Image.fromarray(subset.X_test[i]).resize((width, height), Image.BILINEAR))
                       for i in first])
    photos.flags.writeable = False
    return photos, tuple(subset.class_names)


def unrelated_photos(shape):
    """Ten unrelated colour photos of the given (H, W, 3) shape: the first test image of each class of the
    CIFAR-10 course subset, enlarged (bilinear). Returns (photos (10, H, W, 3) uint8 read-only, class names)."""
    if not (isinstance(shape, tuple) and len(shape) == 3 and shape[2] == 3):
        raise ValueError(f"shape must be (H, W, 3), got {shape!r}")
    return _unrelated(check_int(shape[0], "height", low=1), check_int(shape[1], "width", low=1))


def unrelated_figure(photos, names, distances):
    """The unrelated photos in two rows, each titled with its name and its distance. Returns (figure, alt)."""
    ncols = -(-len(photos) // 2)
    fig, axes = plt.subplots(2, ncols, figsize=(1.6 * ncols, 4.4), squeeze=False)
    for ax, photo, name, distance in zip(axes.flat, photos, names, distances):
        show_image(photo, ax=ax, title=f"{name}\n{distance:.1f}")
        ax.title.set_fontsize(12)
    for ax in axes.flat[len(photos):]:
        ax.axis("off")
    fig.subplots_adjust(left=0.01, right=0.99, top=0.88, bottom=0.01, wspace=0.1, hspace=0.4)
    listed = ", ".join(f"{name} {distance:.1f}" for name, distance in zip(names, distances))
    alt = (f"{len(photos)} unrelated photos, one per CIFAR-10 class, enlarged to the portrait's size, each titled "
           f"with its mean absolute difference from the portrait: {listed}.")
    fig.set_dpi(_PHOTO_DPI)
    return fig, alt


def change_distances(image, strengths: dict, seed: int = 0) -> dict:
    """{kind: (changed image, mean absolute difference from image)} for each kind → strength given."""
    changes = {}
    for kind, strength in strengths.items():
        changed = change_image(image, kind, strength, seed=seed)
        changes[kind] = (changed, mean_abs_difference(image, changed))
    return changes


def changes_figure(image, changes: dict, strengths: dict):
    """The original and each changed image (from ``change_distances``), titled with its distance.

    Returns (figure, alt).
    """
    ncols = 4
    nrows = -(-(len(changes) + 1) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(8.6, 3.1 * nrows))
    show_image(image, ax=axes.flat[0], title="original\n")
    axes.flat[0].title.set_fontsize(13)
    for ax, (kind, (changed, distance)) in zip(axes.flat[1:], changes.items()):
        show_image(changed, ax=ax, title=f"{kind} ({strengths[kind]:g})\nmoved {distance:.1f}")
        ax.title.set_fontsize(13)
    for ax in axes.flat[len(changes) + 1:]:
        ax.axis("off")
    fig.tight_layout()
    listed = "; ".join(f"{kind} at strength {strengths[kind]:g} moved {d:.1f}" for kind, (_, d) in changes.items())
    alt = (f"The photo and {len(changes)} changed versions of it. "
           f"Mean absolute difference from the original, 0–255 units: {listed}.")
    fig.set_dpi(_PHOTO_DPI)
    return fig, alt


def distance_bars_figure(distances: dict, unrelated: np.ndarray, unrelated_names):
    """Horizontal bars: how far each change moved the numbers, against the closest and the median of
    the unrelated photos' distances. distances: {label: float}; unrelated: (n,) floats. Returns (figure, alt)."""
    unrelated = np.asarray(unrelated, dtype=np.float64)
    labels, values = list(distances), np.array(list(distances.values()))
    closest, median = unrelated.min(), np.median(unrelated)
    fig, ax = plt.subplots(figsize=(10, 0.55 * len(labels) + 1.8))
    ax.barh(labels, values, color=CLASS_COLORS[0])
    ax.invert_yaxis()
    ax.axvline(closest, color=CLASS_COLORS[5], ls="--", lw=2.5,
               label=f"closest unrelated photo ({unrelated_names[int(unrelated.argmin())]}): {closest:.1f}")
    ax.axvline(median, color="black", ls=":", lw=2.5, label=f"median of {len(unrelated)} unrelated photos: {median:.1f}")
    for y, v in enumerate(values):
        ax.text(v + 0.8, y, f"{v:.1f}", va="center", fontsize=12)
    ax.set_xlim(0, max(values.max(), median) * 1.15)
    ax.set_xlabel("mean absolute difference from the original (0–255)")
    ax.legend(loc="lower right", framealpha=1)
    fig.tight_layout()
    beyond = [label for label, v in distances.items() if v >= closest]
    alt = (f"Bar chart of how far each change moved the photo's numbers, from {values.min():.1f} ({labels[values.argmin()]}) "
           f"to {values.max():.1f} ({labels[values.argmax()]}); a dashed line marks the closest unrelated photo at "
           f"{closest:.1f} and a dotted line the median unrelated photo at {median:.1f}. "
           f"{len(beyond)} of {len(labels)} changes reach the dashed line.")
    return fig, alt


def same_and_other_class(X, y, num_pairs: int = 500, seed: int = 0) -> tuple[float, float]:
    """Mean absolute difference between random pairs of images of the same class and of different classes.

    X: (N, …) images; y: (N,) labels. Returns (mean over same-class pairs, mean over other-class pairs).
    """
    y = check_labels(y, "y", num_samples=len(X))
    num_pairs = check_int(num_pairs, "num_pairs", low=1)
    rng = np.random.default_rng(check_seed(seed))
    flat = np.asarray(X).reshape(len(X), -1)
    same, other = [], []
    while len(same) < num_pairs or len(other) < num_pairs:
        i, j = rng.integers(len(X), size=2)
        bucket = same if y[i] == y[j] else other
        if i != j and len(bucket) < num_pairs:
            bucket.append(mean_abs_difference(flat[i], flat[j]))
    return float(np.mean(same)), float(np.mean(other))


def shift_right(images, num_pixels: int) -> np.ndarray:
    """images (N, H, W) or (N, H, W, 3) moved right by ``num_pixels`` columns; the first column repeats."""
    images = np.asarray(images)
    num_pixels = check_int(num_pixels, "num_pixels", low=1, high=images.shape[2] - 1)
    return np.concatenate([images[:, :, :1].repeat(num_pixels, axis=2), images[:, :, :-num_pixels]], axis=2)


def shift_and_nearest(images, num_pixels: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Per image: how far a shift by ``num_pixels`` moves it, and how far the nearest OTHER image of
    the stack is (both mean absolute differences, 0–255). images: (N, H, W[, 3]), N ≥ 2.
    Returns two (N,) float arrays."""
    images = np.asarray(images)
    X = images.reshape(len(images), -1).astype(np.float64)
    shifted = shift_right(images, num_pixels).reshape(len(images), -1)
    moved = np.mean(np.abs(X - shifted), axis=1)
    nearest = np.empty(len(X))
    for i in range(len(X)):
        to_all = np.mean(np.abs(X - X[i]), axis=1)
        to_all[i] = np.inf  # not itself
        nearest[i] = to_all.min()
    return moved, nearest


def _as_rgb(image) -> np.ndarray:
    """A uint8 image (H, W) or (H, W, 3) as (H, W, 3) floats in [0, 1], for one combined picture."""
    image = np.asarray(image, dtype=np.float64) / 255
    return image if image.ndim == 3 else np.repeat(image[:, :, None], 3, axis=2)


def draw_change(image, kind: str, strength: float, seed: int = 0) -> dict:
    """The widget's redraw: original, changed image, and where the numbers moved (|difference|).

    image: (H, W, 3) or (H, W) uint8. Returns dict(figure, alt, changed, moved, mean_abs_difference)
    with ``moved`` (H, W): the mean |difference| over the channels at each pixel. The three panels
    and the colour scale are ONE picture in one axes (a redraw then takes a fraction of the time).
    """
    changed = change_image(image, kind, strength, seed=seed)
    moved = absolute_difference(image, changed)
    moved = moved.mean(axis=2) if moved.ndim == 3 else moved
    distance = float(moved.mean())
    h, w = moved.shape
    magma = plt.get_cmap("magma")
    gap, scale = np.ones((h, max(1, w // 12), 3)), magma(np.linspace(1, 0, h))[:, None, :3]
    picture = np.concatenate([_as_rgb(image), gap, _as_rgb(changed), gap, magma(moved / 255)[:, :, :3],
                              gap[:, : max(1, w // 30)], np.repeat(scale, max(1, w // 14), axis=1)], axis=1)
    fig = new_figure(_WIDGET_FIGSIZE)
    ax = fig.add_axes((0.005, 0.02, 0.91, 0.8))
    ax.imshow(picture)
    ax.axis("off")
    step = w + gap.shape[1]
    titles = ["original", f"{kind}, strength {strength:.2f}", f"where numbers moved\nmean {distance:.1f}"]
    for i, title in enumerate(titles):
        ax.text(i * step + w / 2, -0.03 * h, title, ha="center", va="bottom", fontsize=13)
    right = picture.shape[1] + 0.02 * w
    for y, label in ((0, "255"), (h / 2, "128"), (h - 1, "0")):
        ax.text(right, y, label, va="center", fontsize=12, clip_on=False)
    share = float(np.mean(moved > 10))
    alt = (f"Left: the original photo. Middle: the photo after the change '{kind}' at strength {strength:.2f}. "
           f"Right: how much each pixel's numbers moved, black for no change to bright for 255; "
           f"{share:.0%} of the pixels moved by more than 10, the mean change is {distance:.1f}.")
    fig.set_dpi(_PHOTO_DPI)
    return {"figure": fig, "alt": alt, "changed": changed, "moved": moved, "mean_abs_difference": distance}


def change_widget(image, *, kind: str = "shift", strength: float = 0.1, seed: int = 0):
    """A dropdown (which change) and a slider (how strong) redrawing ``draw_change`` below them.

    Returns the ipywidgets VBox. Raises TypeError / ValueError at once for bad arguments
    (inside a callback ipywidgets would only print them).
    """
    change_image(image, check_choice(kind, "kind", CHANGES), check_float(strength, "strength", low=0.0, high=1.0),
                 seed=check_seed(seed))  # checks everything once, here
    choose = widgets.Dropdown(options=CHANGES, value=kind, description="change")
    slider = widgets.FloatSlider(value=strength, min=0.0, max=1.0, step=0.05, description="strength",
                                 continuous_update=False)
    output = widgets.Output()

    def redraw(_=None):
        result = draw_change(image, choose.value, slider.value, seed=seed)
        output.clear_output(wait=True)
        with output:
            show_figure(result["figure"], alt=result["alt"])

    choose.observe(redraw, names="value")
    slider.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox([choose, slider]), output])
