"""Notebook 01's demo: change a photo the way the world changes it, and watch the numbers move.

``compare_transformation`` is the plain, tested computation; ``draw_transformation`` draws
it; ``transformation_widget`` wires both to ipywidgets.
"""

from __future__ import annotations

import functools

import matplotlib.pyplot as plt
import numpy as np

from .._validation import as_image, check_int
from ..images import TRANSFORMATIONS, _pixel_scale, mean_abs_difference, to_grayscale, transform
from ..plots import figure_to_png, new_figure, show_figure, show_image

_FIGSIZE = (11, 3.2)

__all__ = ["compare_transformation", "draw_transformation", "transformation_widget", "BENCHMARK_CASES"]


def compare_transformation(image, kind: str, strength: float, seed: int = 0) -> dict:
    """Transform ``image`` and measure how far the numbers moved.

    ``image`` is uint8 (0–255) or float ([0, 1] or [0, 255]), as for
    :func:`course_lib.images.transform`; differences are always reported in 0–255 units (a
    float image in [0, 1] is measured as if multiplied by 255).

    Returns
    -------
    dict with
        ``"transformed"``: the changed image (same shape and dtype);
        ``"mean_abs_difference"``: the average change of one pixel value, 0–255 units;
        ``"fraction_changed"``: the fraction of values that changed by more than 10 (of 255).

    Raises the errors of :func:`course_lib.images.transform`.
    """
    changed = transform(image, kind, strength, seed=seed)
    to_255 = 255.0 / _pixel_scale(as_image(image))  # 1 for uint8 and 0–255 floats
    diff = np.abs(changed.astype(np.float64) - np.asarray(image, dtype=np.float64))
    if to_255 != 1.0:
        diff *= to_255
    return {
        "transformed": changed,
        "mean_abs_difference": mean_abs_difference(image, changed) * to_255,
        "fraction_changed": float(np.mean(diff > 10)),
    }


def draw_transformation(image, kind: str, strength: float, seed: int = 0, fig=None) -> dict:
    """Draw original, transformed and |difference| side by side; return the comparison dict
    (see :func:`compare_transformation`) with the ``"figure"`` added."""
    result = compare_transformation(image, kind, strength, seed=seed)
    if fig is None:
        fig = plt.figure(figsize=_FIGSIZE)
    fig.clear()
    axes = fig.subplots(1, 3)
    show_image(image, ax=axes[0], title="original")
    show_image(result["transformed"], ax=axes[1], title=f"{kind}, strength {strength:.2f}")
    white = _pixel_scale(as_image(image))  # the colour scale of the difference: 0 to white
    diff = np.abs(to_grayscale(result["transformed"]).astype(float) - to_grayscale(image).astype(float))
    axes[2].imshow(diff, cmap="magma", vmin=0, vmax=white)
    axes[2].set_xticks([])
    axes[2].set_yticks([])
    axes[2].set_title(f"|difference|: mean {result['mean_abs_difference']:.1f}")
    fig.tight_layout()
    result["figure"] = fig
    return result


def transformation_widget(image, seed: int = 0):
    """A dropdown (which change) and a slider (how strong) redrawing :func:`draw_transformation`.

    Returns the ``ipywidgets.interactive`` widget; ``widget.state["latest"]`` is the latest
    comparison dict (the callback itself returns None so that nothing extra is displayed).

    Raises ``TypeError``/``ValueError`` at once for a non-image or a bad ``seed``.
    """
    import ipywidgets as widgets

    # Checked here: ipywidgets would only print an error raised inside the callback.
    image = as_image(image)
    _pixel_scale(image)  # uint8 or float only, as transform requires
    seed = check_int(seed, "seed", low=0)
    state = {}

    def update(kind, strength):
        result = draw_transformation(image, kind, strength, seed=seed, fig=new_figure(_FIGSIZE))
        show_figure(result["figure"])
        state["latest"] = {k: v for k, v in result.items() if k != "figure"}

    widget = widgets.interactive(
        update,
        kind=widgets.Dropdown(options=TRANSFORMATIONS, value="shift", description="change"),
        strength=widgets.FloatSlider(value=0.3, min=0.0, max=1.0, step=0.05,
                                     description="strength", continuous_update=False),
    )
    widget.state = state
    return widget


@functools.lru_cache(maxsize=1)
def _benchmark_image():
    from ..images import sample_photo

    return sample_photo(downscale=3)  # the size notebook 01 uses


#: (name, callable, list of kwargs) for benchmarks/bench_widgets.py: the redraw of the demo.
BENCHMARK_CASES = [
    (
        "01 transformation redraw (one-pass PNG, as the widget shows it)",
        lambda **kw: figure_to_png(
            draw_transformation(_benchmark_image(), **kw, fig=new_figure(_FIGSIZE))["figure"]),
        [dict(kind=k, strength=0.5) for k in TRANSFORMATIONS],
    ),
]
