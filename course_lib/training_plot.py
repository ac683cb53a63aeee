"""A live training plot: loss and accuracy curves that grow while a model trains.

Introduced in ``notebooks/06_optimization.ipynb``. In the spirit of d2l's ``Animator``: you
create a :class:`TrainingPlot`, hand its :meth:`TrainingPlot.callback` to ``sgd`` (or
``LinearClassifier.fit``), and the curves are redrawn as numbers arrive.

Two modes, chosen by the ``interactive`` flag (default ``False``):

``interactive=False`` (stored notebooks, nbval, scripts)
    Values are only recorded; :meth:`TrainingPlot.show` draws **one** final figure. The
    notebook's stored output is then one ordinary figure, identical from run to run.
``interactive=True`` (you, in JupyterLab)
    The figure is displayed once with a display handle and updated in place (at most every
    ``min_interval`` seconds, so drawing does not slow training down), and once more at
    :meth:`TrainingPlot.show`. Live output cannot be compared by nbval, which is why it is
    opt-in rather than detected.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ._validation import _check_real, check_int, check_nonnegative_float
from .plots import _check_figsize

__all__ = ["TrainingPlot", "DEFAULT_PANELS"]

#: Panel title -> the names of the series drawn in it.
DEFAULT_PANELS = {"loss": ("loss",), "accuracy": ("train", "val")}


class TrainingPlot:
    """Curves of training quantities against the iteration, optionally updated live.

    Parameters
    ----------
    panels : mapping of str to sequence of str, default ``{"loss": ("loss",),
        "accuracy": ("train", "val")}``
        One subplot per key (its title and y-label), holding one line per series name.
        Series names must be unique across panels.
    xlabel : str, default "iteration"
    interactive : bool, default False
        False: record only, draw once in :meth:`show` (stable notebook output). True: redraw
        live in the notebook through an IPython display handle.
    min_interval : float ≥ 0, default 0.25
        Interactive mode: the least number of seconds between two redraws.
    logy : str or sequence of str, default ("loss",)
        Panels with a logarithmic y axis (positive values only).
    ylim : mapping of str to (low, high), optional
        Fixed y limits per panel, e.g. ``{"accuracy": (0, 1)}``.
    figsize : (float, float), both > 0, optional
        Default: 4.5 inches wide per panel, 3.2 high.

    Attributes
    ----------
    history : dict of str to (list of float, list of float)
        The recorded ``(x values, y values)`` of each series.

    Raises
    ------
    TypeError, ValueError
        Empty or malformed ``panels``; repeated series names; unknown panels in ``logy`` or
        ``ylim``; a negative ``min_interval``; a ``figsize`` that is not two numbers > 0.

    Source: d2l.ai, ``d2l.Animator`` (section 3.6 "Softmax regression from scratch").
    Introduced in notebook 06_optimization.
    """

    def __init__(
        self,
        panels: Mapping[str, Sequence[str]] | None = None,
        *,
        xlabel: str = "iteration",
        interactive: bool = False,
        min_interval: float = 0.25,
        logy: Sequence[str] = ("loss",),
        ylim: Mapping[str, tuple[float, float]] | None = None,
        figsize: tuple[float, float] | None = None,
    ):
        panels = dict(DEFAULT_PANELS if panels is None else panels)
        if not panels:
            raise ValueError("panels must name at least one panel")
        self.panels: dict[str, tuple[str, ...]] = {}
        seen: set[str] = set()
        for title, names in panels.items():
            if not isinstance(title, str):
                raise TypeError(f"panels keys must be str panel titles, got {type(title).__name__}")
            if isinstance(names, str):
                names = (names,)
            try:
                names = tuple(names)
            except TypeError:
                raise TypeError(
                    f"panels[{title!r}] must be a non-empty sequence of series names (str), "
                    f"got {type(names).__name__}"
                ) from None
            if not names or not all(isinstance(n, str) for n in names):
                raise ValueError(
                    f"panels[{title!r}] must be a non-empty sequence of series names (str)"
                )
            repeated = seen.intersection(names) | {n for n in names if names.count(n) > 1}
            if repeated:
                raise ValueError(f"panels: series name(s) {sorted(repeated)} appear more than once")
            seen.update(names)
            self.panels[title] = names
        self.logy = (logy,) if isinstance(logy, str) else tuple(logy)
        self.ylim = dict(ylim or {})
        for name in (*self.logy, *self.ylim):
            if name not in self.panels:
                raise ValueError(
                    f"logy/ylim name {name!r} is not a panel; panels are {tuple(self.panels)}"
                )
        if not isinstance(interactive, bool):
            raise TypeError(f"interactive must be True or False, got {type(interactive).__name__}")
        self.interactive = interactive
        self.min_interval = check_nonnegative_float(min_interval, "min_interval")
        self.xlabel = str(xlabel)
        self.figsize = (4.5 * len(self.panels), 3.2) if figsize is None else _check_figsize(figsize)
        self.history: dict[str, tuple[list[float], list[float]]] = {
            n: ([], []) for names in self.panels.values() for n in names
        }
        self.fig: Figure | None = None
        self._handle = None
        self._last_draw = -np.inf
        self.num_draws = 0

    # ------------------------------------------------------------------ recording

    def add(self, x: float, **values: float) -> None:
        """Record one value per named series at position ``x`` (e.g. the iteration).

        ``plot.add(10, loss=2.3)``; ``plot.add(10, train=0.81, val=0.78)``. In interactive
        mode this may trigger a redraw.

        Raises
        ------
        ValueError
            A name that is not a series of this plot (the message lists them), no values, or
            a non-finite ``x``.
        TypeError
            ``x`` or a value that is not a real number.
        """
        if not values:
            raise ValueError("add needs at least one value, e.g. plot.add(step, loss=2.3)")
        x = _check_real(x, "x")
        for name, value in values.items():
            if name not in self.history:
                raise ValueError(f"{name!r} is not a series of this plot; series are {tuple(self.history)}")
            if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
                raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
        for name, value in values.items():
            xs, ys = self.history[name]
            xs.append(float(x))
            ys.append(float(value))
        if self.interactive and time.perf_counter() - self._last_draw >= self.min_interval:
            self._update_live()

    def callback(
        self,
        *,
        loss_name: str = "loss",
        every: int = 10,
        metrics: Mapping[str, Callable] | None = None,
    ) -> Callable:
        """A ``callback(iteration, loss, W)`` for ``course_lib.optim.sgd`` / ``LinearClassifier.fit``.

        It records the minibatch loss under ``loss_name`` at every iteration and, every
        ``every`` iterations (and at iteration 0), evaluates ``metrics[name](W)`` (e.g. an
        accuracy) for each series name.

        Parameters
        ----------
        loss_name : str, a series of this plot
        every : int ≥ 1
        metrics : mapping of series name to callable ``W -> float``, optional

        Returns
        -------
        callable ``(iteration, loss, W) -> None``

        Raises
        ------
        ValueError
            Names that are not series of this plot; ``every < 1``.
        """
        every = check_int(every, "every", low=1)
        metrics = dict(metrics or {})
        for name in (loss_name, *metrics):
            if name not in self.history:
                raise ValueError(f"{name!r} is not a series of this plot; series are {tuple(self.history)}")
        for name, fn in metrics.items():
            if not callable(fn):
                raise TypeError(f"metrics[{name!r}] must be a callable W -> float")

        def record(iteration, loss, W):
            self.add(iteration, **{loss_name: loss})
            if metrics and iteration % every == 0:
                self.add(iteration, **{name: float(fn(W)) for name, fn in metrics.items()})

        return record

    # ------------------------------------------------------------------ drawing

    def draw(self) -> Figure:
        """(Re)draw every series into the plot's figure and return the figure."""
        if self.fig is None:
            if self.interactive:
                self.fig = Figure(figsize=self.figsize, dpi=plt.rcParams["figure.dpi"])
                axes = self.fig.subplots(1, len(self.panels), squeeze=False)[0]
            else:
                self.fig, axes = plt.subplots(1, len(self.panels), figsize=self.figsize, squeeze=False)
                axes = axes[0]
            self.axes = dict(zip(self.panels, axes))
        for title, names in self.panels.items():
            ax = self.axes[title]
            ax.clear()
            for name in names:
                xs, ys = self.history[name]
                ax.plot(xs, ys, label=name, marker="o" if 0 < len(xs) <= 30 else None, markersize=3)
            if title in self.logy and any(
                len(self.history[n][1]) and min(self.history[n][1]) > 0 for n in names
            ):
                ax.set_yscale("log")
            if title in self.ylim:
                ax.set_ylim(*self.ylim[title])
            ax.set_xlabel(self.xlabel)
            ax.set_title(title)
            if len(names) > 1:
                ax.legend(loc="best")
            ax.grid(True, alpha=0.3)
        self.fig.tight_layout()
        self._last_draw = time.perf_counter()
        self.num_draws += 1
        return self.fig

    def _update_live(self) -> None:
        from IPython.display import display

        fig = self.draw()
        if self._handle is None:
            self._handle = display(fig, display_id=True)
        else:
            self._handle.update(fig)

    def show(self) -> None:
        """Draw the final figure: once, inline (``interactive=False``), or as a last live update.

        Returns None (so that a cell ending with ``plot.show()`` does not display the figure a
        second time); the figure is in the ``fig`` attribute.
        """
        if self.interactive:
            self._update_live()
            return None
        self.draw()
        plt.show()
        return None

    def last(self, name: str) -> float:
        """The last recorded value of series ``name`` (NaN if none yet)."""
        if name not in self.history:
            raise ValueError(f"{name!r} is not a series of this plot; series are {tuple(self.history)}")
        ys = self.history[name][1]
        return ys[-1] if ys else float("nan")
