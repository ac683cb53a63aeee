"""Tests of course_lib.demos.training_plot.TrainingPlot, notebook 06's live training plot: it records
what sgd reports, draws once with computed alt text when not live, redraws one output widget (at
most every min_interval seconds) when live, and refuses malformed panels and values."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import course_lib.demos.training_plot as training_plot  # noqa: E402
from course_lib.demos.training_plot import TrainingPlot  # noqa: E402
from course_lib.losses import softmax_loss_vectorized  # noqa: E402
from course_lib.optimization import sgd  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def shown(monkeypatch):
    """Every (figure, alt) the plot hands to show_figure."""
    calls = []
    monkeypatch.setattr(training_plot, "show_figure", lambda fig, alt: calls.append((fig, alt)))
    return calls


def test_records_without_drawing_then_shows_one_figure_with_its_alt(shown):
    plot = TrainingPlot({"loss": ["loss"], "accuracy": ["train", "val"]}, logy="loss")
    for it in range(5):
        plot.add(it, loss=1.0 / (it + 1))
    plot.add(4, train=0.5, val=0.4)
    assert plot.num_draws == 0 and not shown
    plot.show()
    ((fig, alt),) = shown
    assert len(fig.axes) == 2 and fig.axes[0].get_yscale() == "log" and fig.axes[1].get_yscale() == "linear"
    np.testing.assert_allclose(fig.axes[0].get_lines()[0].get_ydata(), [1.0, 0.5, 1 / 3, 0.25, 0.2])
    assert [t.get_text() for t in fig.axes[1].get_legend().get_texts()] == ["train", "val"]
    assert alt == plot.describe()
    assert "loss: from 1 to 0.2 over iterations 0–4" in alt and "val: from 0.4 to 0.4" in alt
    plot.show(alt="my own words")
    assert shown[-1][1] == "my own words"


def test_callback_records_what_sgd_reports(shown):
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((40, 3)), rng.integers(0, 3, 40)
    plot = TrainingPlot({"loss": ["softmax"], "accuracy": ["train"]})
    size = lambda W: float(np.abs(W).sum())  # noqa: E731  (grows from 0 as W trains)
    callback = plot.callback("softmax", every=5, metrics={"train": size})
    W, history = sgd(softmax_loss_vectorized, np.zeros((3, 3)), X, y, learning_rate=0.1, reg=0.0,
                     batch_size=10, num_iters=12, callback=callback)
    assert plot.history["softmax"] == (list(map(float, range(12))), history)
    assert plot.history["train"][0] == [0.0, 5.0, 10.0]
    sizes = plot.history["train"][1]
    assert sizes[0] > 0 and len(set(sizes)) == 3       # measured on the W after each of those steps
    assert plot.num_draws == 0


def test_live_mode_redraws_one_output_widget_at_most_every_min_interval(shown, monkeypatch):
    displayed = []
    monkeypatch.setattr(training_plot, "display", displayed.append)
    plot = TrainingPlot({"loss": ["loss"]}, live=True, min_interval=0.0)
    for it in range(3):
        plot.add(it, loss=1.0)
    plot.show()
    assert len(displayed) == 1 and displayed[0].__class__.__name__ == "Output"
    assert plot.num_draws == 4 and len(shown) == 4
    slow = TrainingPlot({"loss": ["loss"]}, live=True, min_interval=1e6)
    displayed.clear()
    for it in range(50):
        slow.add(it, loss=1.0)
    assert slow.num_draws == 1            # throttled: drawn once, then only at show()
    slow.show()
    assert slow.num_draws == 2 and len(displayed) == 1


@pytest.mark.parametrize("kwargs, exc, match", [
    (dict(panels={}), ValueError, "non-empty dict"),
    (dict(panels=[("loss", ["a"])]), ValueError, "non-empty dict"),
    (dict(panels={"a": ["x"], "b": ["x"]}), ValueError, "each series once"),
    (dict(panels={"a": []}), ValueError, "each series once"),
    (dict(panels={"a": [1]}), ValueError, "each series once"),
    (dict(panels={"a": ["x"]}, logy=["nope"]), ValueError, "logy names a panel"),
    (dict(panels={"a": ["x"]}, live="yes"), TypeError, "live must be True or False"),
    (dict(panels={"a": ["x"]}, min_interval=-1.0), ValueError, "min_interval"),
])
def test_bad_construction(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        TrainingPlot(**kwargs)


def test_bad_values():
    plot = TrainingPlot({"loss": ["loss"]})
    with pytest.raises(ValueError, match="not a series"):
        plot.add(0, accuracy=0.5)
    with pytest.raises(TypeError, match="loss must be a number"):
        plot.add(0, loss="high")
    with pytest.raises(ValueError, match="loss must be a finite number"):
        plot.add(0, loss=float("nan"))
    with pytest.raises(ValueError, match="at least one value"):
        plot.add(0)
    with pytest.raises(ValueError, match="not a series"):
        plot.callback("loss", metrics={"test": lambda W: 0.0})
    with pytest.raises(ValueError, match="every must be"):
        plot.callback("loss", every=0)
    with pytest.raises(TypeError, match="must be a function"):
        TrainingPlot({"loss": ["loss"], "acc": ["a"]}).callback("loss", metrics={"a": 3})
    assert plot.history["loss"] == ([], [])          # nothing half-recorded
