"""A live training plot: loss and accuracy curves that grow while a model trains (notebook 06).

In the spirit of d2l's ``Animator``: make a :class:`TrainingPlot`, hand its :meth:`callback`
to ``optimization.sgd`` or ``LinearClassifier.fit``, then call :meth:`show`. With
``live=False`` (stored notebooks, nbval) values are only recorded and ``show`` draws one figure;
with ``live=True`` the figure is redrawn inside an output widget while training runs.
"""

from __future__ import annotations

import time

import ipywidgets as widgets
import numpy as np
from IPython.display import display

from ..checks import check_bool, check_callable, check_float, check_int
from ..plots import new_figure, show_figure

__all__ = ["TrainingPlot"]


class TrainingPlot:
    """Curves of training quantities against the iteration, one panel per key of ``panels``.

    panels: {panel title: series names}, e.g. ``{"loss": ["svm", "softmax"], "validation
    accuracy": ["svm acc", "softmax acc"]}`` (names unique across panels). live: redraw during
    training (at most every ``min_interval`` seconds) instead of once at ``show``. logy: panel
    titles with a log y axis. Attribute ``history[name] = (xs, ys)``.
    Raises TypeError / ValueError for malformed panels, unknown panel titles or a bad flag.
    """

    def __init__(self, panels, *, live=False, min_interval=0.5, logy=(), xlabel="iteration"):
        if not isinstance(panels, dict) or not panels:
            raise ValueError("panels must be a non-empty dict {panel title: [series names]}")
        self.panels = {str(title): [names] if isinstance(names, str) else list(names)
                       for title, names in panels.items()}
        names = [name for series in self.panels.values() for name in series]
        if not all(isinstance(name, str) for name in names) or len(set(names)) != len(names) or \
                not all(self.panels.values()):
            raise ValueError(f"panels must name each series once, as a str, in a non-empty list; got {panels!r}"[:200])
        self.logy = [logy] if isinstance(logy, str) else list(logy)
        if any(title not in self.panels for title in self.logy):
            raise ValueError(f"logy names a panel that does not exist; panels are {list(self.panels)}")
        self.live = check_bool(live, "live")
        self.min_interval = check_float(min_interval, "min_interval", low=0.0)
        self.xlabel = str(xlabel)
        self.history = {name: ([], []) for name in names}
        self.num_draws = 0
        self._output, self._last_draw = None, -np.inf

    def add(self, x, **values) -> None:
        """Record one value per named series at position x (e.g. the iteration); redraws if live.

        Raises ValueError for no values or an unknown series name, TypeError for a non-number.
        """
        if not values:
            raise ValueError("add needs at least one value, e.g. plot.add(step, loss=2.3)")
        x = check_float(x, "x")
        for name, value in values.items():
            if name not in self.history:
                raise ValueError(f"{name!r} is not a series of this plot; series are {list(self.history)}")
            check_float(value, name)
        for name, value in values.items():
            self.history[name][0].append(x)
            self.history[name][1].append(float(value))
        if self.live and time.perf_counter() - self._last_draw >= self.min_interval:
            self._redraw()

    def callback(self, loss_name, *, every=10, metrics=None):
        """A ``callback(iteration, W, loss)`` for sgd / LinearClassifier.fit.

        It records the loss under ``loss_name`` at every iteration and, at iteration 0 and every
        ``every`` iterations, ``metrics[name](W)`` (e.g. a validation accuracy) under each name.
        Raises ValueError for unknown series names or every < 1, TypeError for a non-callable metric.
        """
        every = check_int(every, "every", low=1)
        metrics = dict(metrics or {})
        for name in (loss_name, *metrics):
            if name not in self.history:
                raise ValueError(f"{name!r} is not a series of this plot; series are {list(self.history)}")
        for name, metric in metrics.items():
            check_callable(metric, f"metrics[{name!r}]")

        def record(iteration, W, loss):
            self.add(iteration, **{loss_name: loss})
            if metrics and iteration % every == 0:
                self.add(iteration, **{name: metric(W) for name, metric in metrics.items()})
        return record

    def draw(self):
        """A new Figure with every series drawn (one panel per key of ``panels``); returns it."""
        fig = new_figure((4.8 * len(self.panels), 3.6))
        for ax, (title, names) in zip(fig.subplots(1, len(self.panels), squeeze=False)[0], self.panels.items()):
            for name in names:
                xs, ys = self.history[name]
                ax.plot(xs, ys, label=name, linewidth=1.5, marker="o" if 0 < len(xs) <= 30 else None,
                        markersize=4)
            if title in self.logy and all(min(self.history[n][1], default=1.0) > 0 for n in names):
                ax.set_yscale("log")
            ax.set(title=title, xlabel=self.xlabel)
            ax.grid(True, alpha=0.3)
            ax.legend(fontsize=11)
        fig.tight_layout()
        self.num_draws += 1
        return fig

    def describe(self) -> str:
        """Alt text: what each series did, e.g. 'svm: from 9.01 to 3.2 over iterations 0–299'."""
        parts = []
        for name, (xs, ys) in self.history.items():
            if ys:
                parts.append(f"{name}: from {ys[0]:.3g} to {ys[-1]:.3g} over {self.xlabel}s "
                             f"{xs[0]:g}–{xs[-1]:g}")
        panels = "; ".join(f"{title} ({', '.join(names)})" for title, names in self.panels.items())
        return f"Training curves, panels {panels}. " + ("; ".join(parts) or "nothing recorded yet") + "."

    def show(self, alt=None) -> None:
        """Draw the final figure once (or, live, a last time into its widget) with alt text
        (default: :meth:`describe`)."""
        if self.live:
            self._redraw(alt)
        else:
            show_figure(self.draw(), alt=alt or self.describe())

    def _redraw(self, alt=None) -> None:
        if self._output is None:
            self._output = widgets.Output()
            display(self._output)
        with self._output:
            self._output.clear_output(wait=True)
            show_figure(self.draw(), alt=alt or self.describe())
        self._last_draw = time.perf_counter()
