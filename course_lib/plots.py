"""The course's figure style, its class colours, and the image figures every notebook uses.

Notebooks call :func:`use_course_style` once and show every figure with
``show_figure(fig, alt="what the figure shows")``: one PNG inside an ``<img>`` tag that carries
the alt text, so JupyterLab, exported HTML and screen readers all expose it. Drawing functions
return their figure and never display it. Introduced in notebook 01.
"""

from __future__ import annotations

import base64
import html
import io

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .checks import check_array, check_choice, check_float, check_image, check_int, check_labels, check_seed

__all__ = [
    "CLASS_COLORS", "class_cmap", "use_course_style", "new_figure", "figure_to_png", "show_figure",
    "show_image", "show_image_grid", "show_class_examples", "show_pixel_values", "show_templates",
]

#: One colour per class index, the same in every figure of the course: the eight colours of the
#: Okabe–Ito palette (distinguishable with the common colour-vision deficiencies), then two of
#: Paul Tol's (wine, olive) for classes 8 and 9.
CLASS_COLORS = (
    "#0072B2",  # 0 blue
    "#E69F00",  # 1 orange
    "#009E73",  # 2 bluish green
    "#CC79A7",  # 3 reddish purple
    "#56B4E9",  # 4 sky blue
    "#D55E00",  # 5 vermillion
    "#F0E442",  # 6 yellow
    "#000000",  # 7 black
    "#882255",  # 8 wine
    "#999933",  # 9 olive
)

#: Resolution of every course figure (dots per inch): fixed, so stored notebooks stay small and
#: a figure's size in pixels is its size in inches × 100.
DPI = 100

# The largest pixel table show_pixel_values draws (beyond this the numbers are unreadable).
_MAX_PIXEL_CELLS = 40 * 40


def class_cmap(num_classes: int) -> mpl.colors.ListedColormap:
    """A colour map with the course's colours of classes 0 … num_classes − 1 (1 ≤ num_classes ≤ 10).

    Raises TypeError for a non-integer, ValueError outside [1, 10].
    """
    num_classes = check_int(num_classes, "num_classes", low=1, high=len(CLASS_COLORS))
    return mpl.colors.ListedColormap(CLASS_COLORS[:num_classes], name=f"course{num_classes}")


def use_course_style() -> None:
    """Set matplotlib's defaults for the course (call once, in a notebook's first cell).

    Projector-sized fonts, a fixed size and dpi, an opaque white figure and saved-image background
    (figures stay readable in dark themes), the class colours as the colour cycle, and viridis /
    grey as the colour maps (never jet or rainbow, which invent edges and fail colour-blind readers).
    """
    mpl.rcParams.update({
        "figure.figsize": (7.0, 4.0), "figure.dpi": DPI, "savefig.dpi": DPI,
        "figure.facecolor": "white", "figure.edgecolor": "white",
        "savefig.facecolor": "white", "savefig.edgecolor": "white", "savefig.transparent": False,
        "axes.facecolor": "white",
        "font.size": 14, "axes.titlesize": 15, "axes.labelsize": 14,
        "xtick.labelsize": 12, "ytick.labelsize": 12, "legend.fontsize": 12,
        "lines.linewidth": 2.0, "lines.markersize": 7,
        "axes.prop_cycle": mpl.cycler(color=list(CLASS_COLORS)),
        "axes.spines.top": False, "axes.spines.right": False,
        "image.cmap": "viridis", "image.interpolation": "nearest",
        "svg.hashsalt": "course",
    })


def new_figure(figsize=(7.0, 4.0)) -> Figure:
    """A figure that pyplot does not manage, so nothing shows it by accident (for widget callbacks).

    figsize: (width, height) in inches, both > 0. Raises ValueError otherwise.
    """
    try:
        width, height = (float(v) for v in figsize)
    except (TypeError, ValueError):
        raise ValueError(f"figsize must be (width, height) in inches, got {figsize!r}"[:120]) from None
    width = check_float(width, "figsize width", low=0.0, low_open=True)
    height = check_float(height, "figsize height", low=0.0, low_open=True)
    return Figure(figsize=(width, height), dpi=mpl.rcParams["figure.dpi"])


def figure_to_png(fig) -> bytes:
    """The figure as PNG bytes, rendered once at the figure's dpi on an opaque background.

    A transparent figure background is painted white (dark themes would hide black text).
    Raises TypeError when fig is not a matplotlib Figure.
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    facecolor, alpha = fig.get_facecolor(), fig.patch.get_alpha()
    opaque = facecolor[3] == 1.0 and alpha in (None, 1.0)
    buffer = io.BytesIO()
    try:
        fig.patch.set_alpha(None)
        fig.savefig(buffer, format="png", dpi=fig.dpi, facecolor=facecolor if opaque else "white",
                    transparent=False, metadata={"Software": None})
    finally:
        fig.patch.set_alpha(alpha)
        fig.patch.set_facecolor(facecolor)
    return buffer.getvalue()


def show_figure(fig, alt: str) -> None:
    """Show ``fig`` in the notebook with its alt text, then close it: THE way to display a figure.

    Displays ``<img src="data:image/png;base64,…" alt="…">`` as text/html (the alt text must sit in
    the HTML: JupyterLab and nbconvert ignore alt metadata on image outputs) and ``alt`` as
    text/plain. alt: a non-empty sentence saying what the figure shows (compute its numbers).
    Raises TypeError when fig is not a Figure or alt not a str, ValueError for an empty alt; the
    figure is closed in every case, so no figure without alt text is ever shown.
    """
    try:
        if not isinstance(alt, str):
            raise TypeError(f"alt must be a str describing what the figure shows, got {type(alt).__name__}")
        if not alt.strip():
            raise ValueError("alt must describe what the figure shows, got an empty text")
        png = figure_to_png(fig)
    finally:
        if isinstance(fig, Figure):
            plt.close(fig)
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    data = base64.b64encode(png).decode("ascii")
    text = " ".join(alt.split())
    tag = (f'<img src="data:image/png;base64,{data}" alt="{html.escape(text, quote=True)}" '
           f'width="{width}" height="{height}">')
    display({"text/html": tag, "text/plain": text}, raw=True)


def _axes_or_new(ax, figsize):
    if ax is None:
        return plt.subplots(figsize=figsize)[1]
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    return ax


def _display_range(image: np.ndarray):
    """(vmin, vmax) for drawing: 0–255 for integer images, the image's own range for floats."""
    if image.dtype.kind in "iu" and image.min() >= 0 and image.max() <= 255:
        return 0.0, 255.0
    lo, hi = float(image.min()), float(image.max())
    return (lo, hi) if hi > lo else (lo - 0.5, hi + 0.5)


def show_image(image, ax=None, title: str | None = None) -> Figure:
    """Draw one image as a person sees it, without ticks; returns the figure drawn into.

    image: (H, W) grey or (H, W, 3) colour; integer images (uint8) are drawn on the fixed 0–255
    scale, float images stretched from their own minimum to their maximum. ax: an Axes to draw
    into (default: a new figure). Raises TypeError / ValueError for a non-image.
    """
    image = check_image(image)
    ax = _axes_or_new(ax, (3.0, 3.0))
    vmin, vmax = _display_range(image)
    if image.ndim == 2:
        ax.imshow(image, cmap="gray", vmin=vmin, vmax=vmax)
    else:
        ax.imshow(np.clip((image.astype(np.float64) - vmin) / (vmax - vmin), 0.0, 1.0))
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(str(title))
    return ax.figure


def _check_image_stack(images, name: str) -> np.ndarray:
    images = np.asarray(images)
    if images.ndim not in (3, 4) or (images.ndim == 4 and images.shape[3] != 3) or len(images) == 0:
        raise ValueError(f"{name} must be a non-empty stack of images (N, H, W) or (N, H, W, 3), "
                         f"got shape {images.shape} (pass the images, not flattened rows)")
    return images


def show_image_grid(images, titles=None, ncols: int = 10, size: float = 1.2) -> Figure:
    """Draw a stack of images in a grid, ``ncols`` per row; returns the figure.

    images: (N, H, W) or (N, H, W, 3); titles: N strings or None; size: inches per image.
    Raises ValueError for an empty or non-image stack, titles of another length, size ≤ 0.
    """
    images = _check_image_stack(images, "images")
    ncols = min(check_int(ncols, "ncols", low=1), len(images))
    size = check_float(size, "size", low=0.0, low_open=True)
    if titles is not None and len(titles) != len(images):
        raise ValueError(f"titles has {len(titles)} entries but there are {len(images)} images")
    nrows = -(-len(images) // ncols)
    fig, axes = plt.subplots(nrows, ncols, squeeze=False,
                             figsize=(size * ncols, (size + 0.3 * (titles is not None)) * nrows))
    for i, ax in enumerate(axes.flat):
        if i < len(images):
            show_image(images[i], ax=ax, title=None if titles is None else titles[i])
            ax.title.set_fontsize(11)
        else:
            ax.axis("off")
    fig.tight_layout(pad=0.3)
    return fig


def show_class_examples(X, y, class_names, per_class: int = 8, seed: int = 0) -> Figure:
    """One row per class with ``per_class`` randomly chosen examples of it; returns the figure.

    X: images (N, H, W) or (N, H, W, 3); y: (N,) labels in [0, C); class_names: C strings;
    seed: the seed of the choice. Raises ValueError when a class has fewer than per_class images
    or the shapes disagree, TypeError for non-integer labels.
    """
    X = _check_image_stack(X, "X")
    C = len(class_names)
    y = check_labels(y, "y", num_samples=len(X), num_classes=C)
    per_class = check_int(per_class, "per_class", low=1)
    rng = np.random.default_rng(check_seed(seed))
    counts = np.bincount(y, minlength=C)
    if counts.min() < per_class:
        c = int(np.argmin(counts))
        raise ValueError(f"class {c} ({class_names[c]}) has {counts[c]} examples, fewer than "
                         f"per_class={per_class}")
    fig, axes = plt.subplots(C, per_class, squeeze=False, figsize=(0.9 * per_class + 1.6, 0.9 * C))
    for c in range(C):
        for j, i in enumerate(rng.choice(np.flatnonzero(y == c), per_class, replace=False)):
            show_image(X[i], ax=axes[c, j])
        axes[c, 0].set_ylabel(str(class_names[c]), rotation=0, ha="right", va="center", fontsize=12)
    fig.subplots_adjust(wspace=0.05, hspace=0.05, left=1.5 / (0.9 * per_class + 1.6), right=0.98)
    return fig


def _relative_luminance(rgb) -> float:
    """WCAG relative luminance of an sRGB colour with components in [0, 1]."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb[:3]]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _readable_text_color(rgb) -> str:
    """Black or white, whichever contrasts more with the background colour ``rgb``."""
    luminance = _relative_luminance(rgb)
    return "black" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "white"


def show_pixel_values(image, ax=None, *, fontsize: float = 10, title: str | None = None) -> Figure:
    """What the computer sees: a grey patch as a table of numbers, each cell shaded by its value.

    image: (h, w) grey patch, at most 40 × 40 (slice a patch out first). Integer images are
    shaded on 0–255, floats on their own range; each number is black or white, whichever reads
    better on its cell (contrast ≥ 4.5 : 1 on every cell). Returns the figure.
    Raises ValueError for a colour image or a patch that is too large.
    """
    image = check_image(image)
    if image.ndim != 2:
        raise ValueError(f"image must be a grey patch (h, w), got shape {image.shape}: "
                         "convert it to grey or pick one channel first")
    if image.size > _MAX_PIXEL_CELLS:
        raise ValueError(f"image has {image.shape[0]} × {image.shape[1]} pixels, too many numbers to "
                         "read: show a patch of at most 40 × 40 (e.g. image[10:26, 10:26])")
    h, w = image.shape
    ax = _axes_or_new(ax, (0.45 * w + 0.6, 0.45 * h + 0.6))
    vmin, vmax = _display_range(image)
    cmap = plt.get_cmap("gray")
    ax.imshow(image, cmap=cmap, vmin=vmin, vmax=vmax)
    whole = image.dtype.kind in "iu" or bool(np.all(image == np.round(image)))
    for (r, c), v in np.ndenumerate(image):
        cell = cmap(float(np.clip((v - vmin) / (vmax - vmin), 0.0, 1.0)))
        ax.text(c, r, f"{v:.0f}" if whole else f"{v:.2f}", ha="center", va="center",
                fontsize=fontsize, color=_readable_text_color(cell))
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(str(title))
    return ax.figure


def _template_images(W: np.ndarray, shape: tuple, mode: str) -> np.ndarray:
    """Each column of W as an image in [0, 1], rescaled per class (a constant one becomes 0.5)."""
    T = W.T  # (C, D)
    if mode == "minmax":
        lo, span = T.min(axis=1, keepdims=True), np.ptp(T, axis=1, keepdims=True)
        out = np.where(span > 0, (T - lo) / np.where(span > 0, span, 1.0), 0.5)
    else:
        top = np.abs(T).max(axis=1, keepdims=True)
        out = np.where(top > 0, 0.5 + 0.5 * T / np.where(top > 0, top, 1.0), 0.5)
    return out.reshape((W.shape[1], *shape))


def show_templates(W, image_shape, class_names=None, *, mode: str = "minmax", ncols: int = 10,
                   size: float = 1.3) -> Figure:
    """Each class's weights drawn as an image: the linear classifier's templates. Returns the figure.

    W: (D, C) with D = prod(image_shape), column c reshaped row-major to image_shape, (H, W) or
    (H, W, 3). Each class is rescaled on its own (brightness is not comparable across classes):
    mode "minmax" maps its smallest weight to black and largest to white; "symmetric" maps 0 to
    mid-grey. class_names: C titles or None. Raises ValueError when the shapes disagree.
    Notebooks 04 and 06.
    """
    W = check_array(W, "W", ndim=2)
    mode = check_choice(mode, "mode", ("minmax", "symmetric"))
    shape = tuple(image_shape) if isinstance(image_shape, (tuple, list)) else ()
    if not (len(shape) == 2 or (len(shape) == 3 and shape[2] == 3)) or \
            not all(isinstance(s, (int, np.integer)) and s > 0 for s in shape):
        raise ValueError(f"image_shape must be (H, W) or (H, W, 3) with positive sizes, got {image_shape!r}")
    D = int(np.prod(shape))
    if W.shape[0] != D:
        extra = " (one extra row: unfold the bias first)" if W.shape[0] == D + 1 else ""
        raise ValueError(f"W has {W.shape[0]} rows but image_shape {shape} holds {D} values{extra}")
    C = W.shape[1]
    if class_names is not None and len(class_names) != C:
        raise ValueError(f"class_names has {len(class_names)} entries but W has {C} classes (columns)")
    ncols = min(check_int(ncols, "ncols", low=1), C)
    size = check_float(size, "size", low=0.0, low_open=True)
    nrows = -(-C // ncols)
    fig, axes = plt.subplots(nrows, ncols, squeeze=False, figsize=(size * ncols, (size + 0.35) * nrows))
    for i, (ax, image) in enumerate(zip(axes.flat, _template_images(W, shape, mode))):
        ax.imshow(image, cmap="gray", vmin=0.0, vmax=1.0)
        ax.set_xticks([])
        ax.set_yticks([])
        if class_names is not None:
            ax.set_title(str(class_names[i]), fontsize=12)
    for ax in list(axes.flat)[C:]:
        ax.axis("off")
    fig.tight_layout(pad=0.3)
    return fig
