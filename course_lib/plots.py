"""Shared figure style and the image figures used across the course.

Every notebook calls :func:`use_course_style` once, so figures look the same everywhere and
stay readable on a projector (large fonts, a colour-blind-safe palette with one fixed colour
per class index across all notebooks).

Introduced in ``notebooks/01_pixels.ipynb``.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

from ._validation import _asarray, as_image, check_int, check_labels, check_positive_float

__all__ = [
    "CLASS_COLORS",
    "class_cmap",
    "use_course_style",
    "show_image",
    "show_image_grid",
    "show_class_examples",
    "show_pixel_values",
    "new_figure",
    "figure_to_png",
    "show_figure",
]

#: One colour per class index, used for class 0, 1, … in every figure of the course.
#: The first eight are the Okabe–Ito palette (safe for the common colour-vision
#: deficiencies); two distinguishable extras from Paul Tol's palette complete ten classes.
CLASS_COLORS = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
    "#882255",  # wine
    "#999933",  # olive
)


def class_cmap(num_classes: int) -> mpl.colors.ListedColormap:
    """A ``ListedColormap`` with the course's class colours for classes ``0..num_classes-1``.

    Raises ``ValueError`` unless ``1 <= num_classes <= 10``.
    """
    num_classes = check_int(num_classes, "num_classes", low=1, high=len(CLASS_COLORS))
    return mpl.colors.ListedColormap(CLASS_COLORS[:num_classes], name=f"course{num_classes}")


def use_course_style() -> None:
    """Set matplotlib defaults for the course: projector-sized fonts, the class palette as the
    colour cycle, a fixed figure size and dpi (so stored notebooks stay small and stable)."""
    mpl.rcParams.update(
        {
            "figure.figsize": (7.0, 4.0),
            "figure.dpi": 80,
            "savefig.dpi": 80,
            "font.size": 13,
            "axes.titlesize": 14,
            "axes.labelsize": 13,
            "xtick.labelsize": 11,
            "ytick.labelsize": 11,
            "legend.fontsize": 11,
            "axes.prop_cycle": mpl.cycler(color=list(CLASS_COLORS)),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "image.interpolation": "nearest",
            "svg.hashsalt": "course",
        }
    )


def show_image(image, ax=None, title: str | None = None):
    """Draw one image as a human sees it: uint8 (H, W) in grey or (H, W, 3) in colour.

    Floats are shown with their own min–max range. Axes ticks are hidden.

    Returns the ``AxesImage``. Raises ``TypeError``/``ValueError`` for a non-image array.
    """
    image = as_image(image)
    ax = plt.gca() if ax is None else ax
    if image.ndim == 2:
        vmin, vmax = (0, 255) if image.dtype == np.uint8 else (None, None)
        im = ax.imshow(image, cmap="gray", vmin=vmin, vmax=vmax)
    else:
        if image.dtype != np.uint8:
            lo, hi = float(image.min()), float(image.max())
            image = (image - lo) / (hi - lo) if hi > lo else np.zeros_like(image, dtype=float)
        im = ax.imshow(image)
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(title)
    return im


def show_image_grid(images, titles=None, ncols: int = 10, size: float = 1.2):
    """Draw images in a grid; returns the ``Figure``.

    Parameters
    ----------
    images : array, shape (N, H, W) or (N, H, W, 3)
    titles : sequence of str, optional, length N
    ncols : int, images per row
    size : float > 0, inches per image

    Raises ``ValueError`` for an empty or non-image stack, a titles length ≠ N, or a
    ``size`` ≤ 0; ``TypeError`` for a ``size`` that is not a number.
    """
    size = check_positive_float(size, "size")
    images = _asarray(images, "images")
    if images.ndim not in (3, 4) or len(images) == 0:
        raise ValueError(
            f"images must be a non-empty stack (N, H, W) or (N, H, W, 3), got shape {images.shape}"
        )
    ncols = check_int(ncols, "ncols", low=1)
    if titles is not None and len(titles) != len(images):
        raise ValueError(f"titles has {len(titles)} entries but there are {len(images)} images")
    n = len(images)
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + 0.3 * (titles is not None)), squeeze=False)
    for i, ax in enumerate(axes.flat):
        if i < n:
            show_image(images[i], ax=ax, title=None if titles is None else titles[i])
            if titles is not None:
                ax.title.set_fontsize(9)
        else:
            ax.axis("off")
    fig.tight_layout()
    return fig


def show_class_examples(X, y, class_names, per_class: int = 8, seed: int = 0):
    """A grid with one row per class and ``per_class`` random examples of it.

    Parameters
    ----------
    X : uint8 array (N, H, W) or (N, H, W, 3)
    y : int array (N,), labels in [0, C)
    class_names : sequence of str, length C
    per_class : int ≥ 1
    seed : int ≥ 0, the seed of the random choice (``np.random.default_rng``)

    Returns the ``Figure``. Raises ``ValueError`` when a class has fewer than ``per_class``
    examples, ``X`` is not a stack of images, shapes disagree or ``seed`` < 0; ``TypeError``
    for non-integer labels or seed.
    """
    X = _asarray(X, "X")
    if X.ndim not in (3, 4) or (X.ndim == 4 and X.shape[3] != 3):
        raise ValueError(
            f"X must be a stack of images (N, H, W) or (N, H, W, 3), got shape {X.shape} "
            "(pass the images, not the flattened rows)"
        )
    y = check_labels(y, "y", num_classes=len(class_names), n=len(X))
    per_class = check_int(per_class, "per_class", low=1)
    seed = check_int(seed, "seed", low=0)
    rng = np.random.default_rng(seed)
    C = len(class_names)
    counts = np.bincount(y, minlength=C)
    if counts.min() < per_class:
        c = int(np.argmin(counts))
        raise ValueError(f"class {c} has {counts[c]} examples, fewer than per_class={per_class}")
    fig, axes = plt.subplots(C, per_class, figsize=(0.9 * per_class + 1.4, 0.9 * C), squeeze=False)
    for c in range(C):
        idx = np.flatnonzero(y == c)
        for j, i in enumerate(rng.choice(idx, per_class, replace=False)):
            show_image(X[i], ax=axes[c, j])
        axes[c, 0].set_ylabel(class_names[c], rotation=0, ha="right", va="center", fontsize=11)
    fig.subplots_adjust(wspace=0.05, hspace=0.05, left=0.15)
    return fig


def show_pixel_values(image, ax=None, fontsize: float = 8, title: str | None = None):
    """What the computer sees: a patch of a greyscale image as a table of 0–255 numbers,
    each cell shaded by its value (in the style of fastbook's pixel view).

    Parameters
    ----------
    image : uint8 array (h, w), a small patch (≤ 24 × 24 keeps the numbers legible)

    Returns the ``Axes``. Raises ``ValueError`` for a colour or non-image array.
    """
    image = as_image(image)
    if image.ndim != 2:
        raise ValueError(f"image must be a greyscale patch (h, w), got shape {image.shape}")
    ax = plt.gca() if ax is None else ax
    values = image.astype(np.float64)
    ax.imshow(values, cmap="Greys_r", vmin=0, vmax=255)
    for (r, c), v in np.ndenumerate(values):
        ax.text(c, r, f"{v:.0f}", ha="center", va="center", fontsize=fontsize,
                color="black" if v > 127 else "white")
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(title)
    return ax


def new_figure(figsize=(7.0, 4.0)):
    """A matplotlib ``Figure`` that pyplot does not manage (nothing shows it by accident);
    widget callbacks draw into one and display it with :func:`show_figure`.

    Parameters
    ----------
    figsize : (width, height) in inches, both > 0

    Raises ``ValueError`` unless ``figsize`` is two positive finite numbers.
    """
    from matplotlib.figure import Figure

    return Figure(figsize=_check_figsize(figsize), dpi=mpl.rcParams["figure.dpi"])


def _check_figsize(figsize, name: str = "figsize") -> tuple[float, float]:
    """``figsize`` as (width, height) in inches, both finite and > 0; else a ValueError
    (a zero size would fail much later, as a LinAlgError from the layout)."""
    try:
        size = np.asarray(figsize, dtype=float) if not isinstance(figsize, str) else np.array([])
    except (TypeError, ValueError):
        size = np.array([])
    if size.shape != (2,) or not np.all(np.isfinite(size)) or np.any(size <= 0):
        raise ValueError(f"{name} must be (width, height) in inches, both > 0, got {figsize!r}"[:160])
    return (float(size[0]), float(size[1]))


def figure_to_png(fig) -> bytes:
    """Render ``fig`` to PNG bytes in one pass, at the figure's dpi.

    The notebook's inline backend saves with ``bbox_inches="tight"``, which draws every
    figure twice (once to measure it); the demos' figures lay themselves out with
    ``tight_layout``, so one pass is enough and a slider redraw takes about half the time.

    Raises ``TypeError`` when ``fig`` is not a matplotlib ``Figure``.
    """
    import io

    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi)
    return buffer.getvalue()


def show_figure(fig) -> None:
    """Display ``fig`` as a PNG image in the notebook (see :func:`figure_to_png`) and close it.

    For widget callbacks: faster than ``plt.show()`` and independent of the inline
    backend's settings. Raises ``TypeError`` when ``fig`` is not a ``Figure``.
    """
    from IPython.display import Image, display

    png = figure_to_png(fig)
    plt.close(fig)
    display(Image(data=png, format="png"))
