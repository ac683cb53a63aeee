"""The linear classifier: one score per class, ``scores = X @ W + b``.

Introduced in ``notebooks/04_linear_classifier.ipynb`` (lecture part 2, "Parametric approach:
linear classifier"); trained in ``notebooks/06_optimization.ipynb``.

Shapes (the course's row-vector convention, one sample per row):

==========  ============  ==========================================
name        shape         meaning
==========  ============  ==========================================
``X``       ``(N, D)``    N flattened images of D values each
``W``       ``(D, C)``    column ``c`` is the template of class ``c``
``b``       ``(C,)``      one bias per class
``scores``  ``(N, C)``    ``scores[i, c]`` = how much image i looks like class c
==========  ============  ==========================================

The lecture writes one image as a column vector, ``f(x_i, W, b) = W x_i + b`` with ``W`` of
shape ``(C, D)``; the course's ``W`` is that matrix transposed, and ``X @ W + b`` computes
the lecture's formula for all N images at once (row i of the result is ``(W_lecture @ x_i + b)``).

The bias trick (:func:`append_bias_column`, :func:`fold_bias`, :func:`unfold_bias`) turns the
two parameters ``W`` and ``b`` into one matrix of shape ``(D + 1, C)``, so that losses and
optimisers handle a single array.
"""

from __future__ import annotations

import numpy as np

from ._validation import (
    _asarray,
    as_float_array,
    check_choice,
    check_int,
    check_labels,
    check_nonnegative_float,
    check_positive_float,
    check_seed,
)

__all__ = [
    "linear_scores",
    "append_bias_column",
    "fold_bias",
    "unfold_bias",
    "LinearClassifier",
    "weights_as_images",
    "show_templates",
    "zero_line",
    "draw_decision_lines",
]


# ----------------------------------------------------------------------------- checks


def _check_X_W_b(X, W, b) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate and convert ``X (N, D)``, ``W (D, C)`` and ``b (C,)``; errors name both shapes."""
    if not isinstance(X, (str, bytes)) and X is not None:
        X = _asarray(X, "X")
    if isinstance(X, np.ndarray) and X.ndim == 1:
        raise ValueError(
            f"X must be 2-D of shape (N, D), got 1-D with shape {np.shape(X)}; for one image "
            "pass x[None, :] (a batch of one)"
        )
    X = as_float_array(X, "X", ndim=2)
    W = as_float_array(W, "W", ndim=2)
    b = as_float_array(b, "b", ndim=1)
    if X.shape[1] != W.shape[0]:
        raise ValueError(
            f"X has shape {X.shape} (N, D) but W has shape {W.shape} (D, C): the number of "
            f"features must match (X has D={X.shape[1]} columns, W has {W.shape[0]} rows). "
            "Did you forget to flatten the images, or pass the lecture's (C, D) matrix "
            "instead of its transpose?"
        )
    if b.shape[0] != W.shape[1]:
        raise ValueError(
            f"b has shape {b.shape} but W has shape {W.shape} (D, C): b needs one entry per "
            f"class, i.e. shape ({W.shape[1]},)"
        )
    return X, W, b


# ----------------------------------------------------------------------------- scores


def linear_scores(X, W, b) -> np.ndarray:
    """The class scores of a linear classifier, ``X @ W + b``.

    Parameters
    ----------
    X : array_like, shape (N, D), any real dtype (uint8 images are converted to float64 first)
        One flattened image per row.
    W : array_like, shape (D, C)
        Weights; column ``c`` is the template of class ``c``.
    b : array_like, shape (C,)
        Biases, one per class.

    Returns
    -------
    scores : numpy.ndarray of float64, shape (N, C)
        ``scores[i, c] = sum_d X[i, d] * W[d, c] + b[c]``; the predicted class of image i is
        ``scores[i].argmax()``. Row i equals the lecture's ``W_lecture @ x_i + b`` with
        ``W_lecture = W.T`` of shape (C, D).

    Raises
    ------
    TypeError
        A non-numeric argument.
    ValueError
        ``X`` not 2-D (pass one image as ``x[None, :]``), ``W`` not 2-D, ``b`` not 1-D,
        non-finite values, or shapes that do not fit together (the message names both
        shapes).

    Source: lecture part 2, "Parametric approach: linear classifier", f(x_i, W, b) = W x_i + b;
    CS231n notes, "Linear classification". Introduced in notebook 04.
    """
    X, W, b = _check_X_W_b(X, W, b)
    return X @ W + b


# ----------------------------------------------------------------------------- bias trick


def append_bias_column(X) -> np.ndarray:
    """Append a column of ones to ``X`` (the input half of the bias trick).

    Parameters
    ----------
    X : array_like, shape (N, D), any real dtype (integers are converted to float64)

    Returns
    -------
    X_bias : numpy.ndarray of float64, shape (N, D + 1)
        ``X_bias[:, :D] == X`` and ``X_bias[:, D] == 1``; a new array (``X`` is not changed).

    Raises
    ------
    TypeError
        Non-numeric ``X``.
    ValueError
        ``X`` not 2-D, empty, or not finite.

    Source: CS231n notes, "Linear classification", bias trick. Introduced in notebook 04.
    """
    X = as_float_array(X, "X", ndim=2)
    out = np.empty((X.shape[0], X.shape[1] + 1), dtype=np.float64)
    out[:, :-1] = X
    out[:, -1] = 1.0
    return out


def fold_bias(W, b) -> np.ndarray:
    """Stack ``b`` under ``W`` as an extra row (the weight half of the bias trick).

    With ``X_bias = append_bias_column(X)``,
    ``X_bias @ fold_bias(W, b) == X @ W + b`` (exactly when the arithmetic is exact, e.g.
    integer-valued floats; otherwise up to rounding, because the sums are grouped differently).

    Parameters
    ----------
    W : array_like, shape (D, C)
    b : array_like, shape (C,)

    Returns
    -------
    W_folded : numpy.ndarray of float64, shape (D + 1, C); rows ``0..D-1`` are ``W``, row ``D``
        is ``b``. A new array.

    Raises
    ------
    TypeError
        Non-numeric input.
    ValueError
        ``W`` not 2-D, ``b`` not 1-D, ``len(b) != W.shape[1]``, or non-finite values.

    Source: CS231n notes, "Linear classification", bias trick. Introduced in notebook 04.
    """
    W = as_float_array(W, "W", ndim=2)
    b = as_float_array(b, "b", ndim=1)
    if b.shape[0] != W.shape[1]:
        raise ValueError(
            f"b has shape {b.shape} but W has shape {W.shape} (D, C): b needs one entry per "
            f"class, i.e. shape ({W.shape[1]},)"
        )
    return np.vstack([W, b[None, :]])


def unfold_bias(W_folded) -> tuple[np.ndarray, np.ndarray]:
    """Split a folded weight matrix back into ``W`` and ``b`` (the inverse of :func:`fold_bias`).

    Parameters
    ----------
    W_folded : array_like, shape (D + 1, C) with D ≥ 1; its last row is the bias

    Returns
    -------
    W : numpy.ndarray of float64, shape (D, C), a copy
    b : numpy.ndarray of float64, shape (C,), a copy

    Raises
    ------
    TypeError
        Non-numeric input.
    ValueError
        Not 2-D, fewer than 2 rows, or non-finite values.

    Source: CS231n notes, "Linear classification", bias trick. Introduced in notebook 04.
    """
    W_folded = as_float_array(W_folded, "W_folded", ndim=2)
    if W_folded.shape[0] < 2:
        raise ValueError(
            f"W_folded must have at least 2 rows (D weight rows and 1 bias row), got shape "
            f"{W_folded.shape}"
        )
    return W_folded[:-1].copy(), W_folded[-1].copy()


# ----------------------------------------------------------------------------- classifier


class LinearClassifier:
    """A linear classifier: parameters ``W (D, C)`` and ``b (C,)``, scores ``X @ W + b``.

    Parameters
    ----------
    num_features : int ≥ 1
        D, the number of values per (flattened) input.
    num_classes : int ≥ 2
        C.
    weight_scale : float > 0, default 1e-3
        Standard deviation of the initial weights: ``W = weight_scale * standard normal``
        (small random numbers, so that no class is preferred at the start); ``b`` starts at 0.
    seed : int ≥ 0 or None, default 0
        Seed of ``np.random.default_rng`` for the initial weights. ``None`` draws fresh
        entropy from the operating system (other initial weights every time).

    Attributes
    ----------
    W : numpy.ndarray of float64, shape (D, C)
    b : numpy.ndarray of float64, shape (C,)

    Raises
    ------
    TypeError, ValueError
        Arguments of the wrong type or out of range (the message names the argument).

    Source: lecture part 2 (linear classifier); CS231n assignment 1, ``LinearClassifier``.
    Introduced in notebook 04; trained in notebook 06.
    """

    def __init__(self, num_features, num_classes, *, weight_scale=1e-3, seed=0):
        num_features = check_int(num_features, "num_features", low=1)
        num_classes = check_int(num_classes, "num_classes", low=2)
        weight_scale = check_positive_float(weight_scale, "weight_scale")
        seed = check_seed(seed, allow_none=True)
        rng = np.random.default_rng(seed)
        self.W = weight_scale * rng.standard_normal((num_features, num_classes))
        self.b = np.zeros(num_classes)

    @property
    def num_features(self) -> int:
        """D, the number of rows of ``W``."""
        return int(self.W.shape[0])

    @property
    def num_classes(self) -> int:
        """C, the number of columns of ``W``."""
        return int(self.W.shape[1])

    @property
    def num_parameters(self) -> int:
        """The number of learned numbers, ``D * C + C``."""
        return int(self.W.size + self.b.size)

    def __repr__(self) -> str:
        return f"LinearClassifier(num_features={self.num_features}, num_classes={self.num_classes})"

    def scores(self, X) -> np.ndarray:
        """Class scores ``X @ W + b`` of shape ``(N, C)``; see :func:`linear_scores`.

        Raises ``TypeError``/``ValueError`` for bad ``X`` (e.g. the wrong number of features).
        """
        return linear_scores(X, self.W, self.b)

    def predict(self, X) -> np.ndarray:
        """Predicted labels ``(N,)`` int64: the class with the highest score (ties: the
        smallest class index, as ``numpy.argmax``).

        Raises ``TypeError``/``ValueError`` for bad ``X``.
        """
        return np.argmax(self.scores(X), axis=1).astype(np.int64)

    def accuracy(self, X, y) -> float:
        """Fraction of rows of ``X`` whose predicted label equals ``y`` (float in [0, 1]).

        Raises ``TypeError``/``ValueError`` for bad ``X`` or ``y`` (non-integer labels,
        labels outside ``[0, C)``, a length different from ``len(X)``).
        """
        X = as_float_array(X, "X", ndim=2)
        y = check_labels(y, "y", num_classes=self.num_classes, n=X.shape[0])
        return float(np.mean(self.predict(X) == y))

    def fit(
        self,
        X,
        y,
        *,
        loss="softmax",
        learning_rate=1e-3,
        reg=1e-5,
        num_iters=200,
        batch_size=200,
        seed=0,
        callback=None,
    ) -> list[float]:
        """Train ``W`` and ``b`` with minibatch stochastic gradient descent, starting from the
        current values.

        The bias trick makes one parameter matrix: ``X_bias = append_bias_column(X)`` and
        ``W_folded = fold_bias(W, b)``; then ``course_lib.optim.sgd`` minimises
        ``loss_fn(W_folded, X_bias, y, reg)`` (the mean data loss plus ``reg * sum(W_folded**2)``,
        see ``course_lib.losses``), and the result is unfolded into ``W`` and ``b``.

        Parameters
        ----------
        X : array_like, shape (N, D), real (uint8 converted to float64)
        y : array_like of int, shape (N,), labels in ``[0, C)``
        loss : {"softmax", "svm"}
            Cross-entropy (``softmax_loss_vectorized``) or multiclass hinge
            (``svm_loss_vectorized``).
        learning_rate : float > 0
        reg : float ≥ 0, the regularisation strength λ
        num_iters : int ≥ 1, the number of SGD steps
        batch_size : int ≥ 1, images per step (≥ N means full-batch gradient descent)
        seed : int ≥ 0, seed of the minibatch order
        callback : callable ``(iteration, loss, W_folded)``, optional, called after each step
            (``W_folded`` has shape (D + 1, C); its last row is the bias)

        Returns
        -------
        loss_history : list of float, one loss per step.

        Raises
        ------
        TypeError, ValueError
            Bad arguments (named in the message), or ``X`` with a number of columns other
            than D.
        ImportError
            ``course_lib.optim`` or ``course_lib.losses`` is not available.
        FloatingPointError or ValueError
            From ``sgd`` when the loss becomes NaN/inf (try a smaller ``learning_rate``).

        Source: CS231n assignment 1, ``LinearClassifier.train``. Introduced in notebook 04,
        explained in notebook 06.
        """
        from . import losses, optim  # imported here: written in notebooks 05 and 06

        X = as_float_array(X, "X", ndim=2)
        if X.shape[1] != self.num_features:
            raise ValueError(
                f"X has shape {X.shape} but this classifier has W of shape {self.W.shape}: "
                f"X needs {self.num_features} columns"
            )
        y = check_labels(y, "y", num_classes=self.num_classes, n=X.shape[0])
        loss = check_choice(loss, "loss", ("softmax", "svm"))
        learning_rate = check_positive_float(learning_rate, "learning_rate")
        reg = check_nonnegative_float(reg, "reg")
        num_iters = check_int(num_iters, "num_iters", low=1)
        batch_size = check_int(batch_size, "batch_size", low=1)
        seed = check_seed(seed)
        if callback is not None and not callable(callback):
            raise TypeError(f"callback must be callable or None, got {type(callback).__name__}")
        loss_fn = losses.softmax_loss_vectorized if loss == "softmax" else losses.svm_loss_vectorized
        W_new, history = optim.sgd(
            loss_fn,
            fold_bias(self.W, self.b),
            append_bias_column(X),
            y,
            learning_rate=learning_rate,
            reg=reg,
            batch_size=batch_size,
            num_iters=num_iters,
            seed=seed,
            callback=callback,
        )
        W_new = np.asarray(W_new, dtype=np.float64)
        if W_new.shape != (self.num_features + 1, self.num_classes):
            raise RuntimeError(
                f"optim.sgd returned W of shape {W_new.shape}, expected "
                f"{(self.num_features + 1, self.num_classes)}"
            )
        self.W, self.b = unfold_bias(W_new)
        return [float(v) for v in history]


# ----------------------------------------------------------------------------- templates


def _check_image_shape(image_shape) -> tuple[int, ...]:
    try:
        shape = tuple(int(s) for s in image_shape)
    except TypeError:
        raise TypeError(
            f"image_shape must be a tuple (H, W) or (H, W, 3), got {type(image_shape).__name__}"
        ) from None
    if not (len(shape) == 2 or (len(shape) == 3 and shape[2] == 3)) or min(shape) < 1:
        raise ValueError(f"image_shape must be (H, W) or (H, W, 3) with positive sizes, got {shape}")
    return shape


def weights_as_images(W, image_shape, *, mode="minmax") -> np.ndarray:
    """Reshape each class's weights into an image, rescaled per class to ``[0, 1]`` for display.

    Parameters
    ----------
    W : array_like, shape (D, C) with D = prod(image_shape)
        Column ``c`` is reshaped (row-major, like ``course_lib.images.flatten``) to
        ``image_shape``. A folded matrix (D + 1 rows) must be unfolded first.
    image_shape : tuple, (H, W) for greyscale or (H, W, 3) for RGB
    mode : {"minmax", "symmetric"}
        ``"minmax"``: the smallest weight of the class becomes 0 and the largest 1 (each class
        uses the full colour range; colour channels are rescaled together, so the colour
        balance is kept). ``"symmetric"``: weight 0 becomes 0.5 and the largest ``|w|`` of the
        class becomes 0 or 1 (grey means "this pixel does not matter").
        A constant template (max == min, or all zeros in symmetric mode) becomes uniform 0.5,
        never NaN.

    Returns
    -------
    images : numpy.ndarray of float64, shape (C, *image_shape), values in [0, 1]

    Raises
    ------
    TypeError
        Non-numeric ``W`` or a non-tuple ``image_shape``.
    ValueError
        ``W`` not 2-D or not finite, an ``image_shape`` that is not (H, W)/(H, W, 3), or
        ``W.shape[0] != prod(image_shape)`` (the message names both).

    Source: CS231n notes, "Linear classification", interpretation as template matching
    (the lecture's figure of CIFAR-10 weights). Introduced in notebook 04.
    """
    W = as_float_array(W, "W", ndim=2)
    shape = _check_image_shape(image_shape)
    mode = check_choice(mode, "mode", ("minmax", "symmetric"))
    D = int(np.prod(shape))
    if W.shape[0] != D:
        hint = ""
        if W.shape[0] == D + 1:
            hint = " (it has one extra row: unfold the bias first)"
        elif W.shape[1] == D:
            hint = " (it looks transposed: pass W of shape (D, C), the course's layout)"
        raise ValueError(
            f"W has shape {W.shape} but image_shape {shape} has {D} values: W needs {D} rows"
            + hint
        )
    T = W.T.reshape((W.shape[1], -1))  # (C, D)
    if mode == "minmax":
        lo = T.min(axis=1, keepdims=True)
        span = T.max(axis=1, keepdims=True) - lo
        safe = np.where(span > 0, span, 1.0)
        out = np.where(span > 0, (T - lo) / safe, 0.5)
    else:
        m = np.abs(T).max(axis=1, keepdims=True)
        safe = np.where(m > 0, m, 1.0)
        out = np.where(m > 0, 0.5 + 0.5 * T / safe, 0.5)
    return np.clip(out, 0.0, 1.0).reshape((W.shape[1],) + shape)


def show_templates(W, image_shape, class_names=None, *, mode="minmax", ncols=10, size=1.3, fig=None):
    """Draw every class's weights as an image (the "templates" of the classifier).

    Greyscale templates use the grey colour map (white = large weight, black = small);
    RGB templates are shown in colour. Each class is rescaled separately (see
    :func:`weights_as_images`), so brightness cannot be compared across classes.

    Parameters
    ----------
    W : array_like, shape (D, C), D = prod(image_shape)
    image_shape : (H, W) or (H, W, 3)
    class_names : sequence of str of length C, optional (titles)
    mode : {"minmax", "symmetric"}, see :func:`weights_as_images`
    ncols : int ≥ 1, templates per row
    size : float > 0, inches per template
    fig : matplotlib Figure, optional; cleared and reused

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError, ValueError
        As :func:`weights_as_images`; ``class_names`` of the wrong length.

    Source: CS231n notes, "Linear classification" (template figure). Introduced in notebook 04.
    """
    import matplotlib.pyplot as plt

    images = weights_as_images(W, image_shape, mode=mode)
    C = images.shape[0]
    if class_names is not None and len(class_names) != C:
        raise ValueError(f"class_names has {len(class_names)} entries but W has {C} classes (columns)")
    ncols = min(check_int(ncols, "ncols", low=1), C)
    size = check_positive_float(size, "size")
    nrows = -(-C // ncols)
    if fig is None:
        fig = plt.figure(figsize=(size * ncols, size * nrows + 0.35 * nrows))
    fig.clear()
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.set_xticks([])
        ax.set_yticks([])
        if i >= C:
            ax.axis("off")
            continue
        if images.ndim == 3:
            ax.imshow(images[i], cmap="gray", vmin=0.0, vmax=1.0)
        else:
            ax.imshow(images[i])
        if class_names is not None:
            ax.set_title(str(class_names[i]), fontsize=10)
    fig.tight_layout(pad=0.3)
    return fig


# ----------------------------------------------------------------------------- 2-D geometry


def zero_line(w, b, xlim, ylim) -> np.ndarray:
    """The segment of the line ``w[0]*x + w[1]*y + b = 0`` inside a rectangle.

    In 2-D each class's score ``s = w · p + b`` is zero on this line, positive on the side
    ``w`` points to, and grows by ``|w|`` per unit step along ``w``.

    Parameters
    ----------
    w : array_like, shape (2,), the class's weights (a column of ``W``)
    b : float, the class's bias
    xlim, ylim : pairs (low, high) with low < high

    Returns
    -------
    points : numpy.ndarray of float64, shape (2, 2): the two end points ``[[x0, y0], [x1, y1]]``
        where the line crosses the rectangle's border; all NaN when the line misses the
        rectangle or ``w == 0`` (then the score is the constant ``b`` and there is no line).

    Raises
    ------
    TypeError, ValueError
        ``w`` not of shape (2,), non-finite numbers, or a limit pair with low ≥ high.

    Source: CS231n notes, "Linear classification", interpretation as a high-dimensional
    geometry. Introduced in notebook 04.
    """
    w = as_float_array(w, "w", ndim=1)
    if w.shape != (2,):
        raise ValueError(f"w must have shape (2,), got {w.shape}")
    b = float(as_float_array(b, "b", ndim=0))
    lims = []
    for name, lim in (("xlim", xlim), ("ylim", ylim)):
        lim = as_float_array(lim, name, ndim=1)
        if lim.shape != (2,) or not lim[0] < lim[1]:
            raise ValueError(f"{name} must be a pair (low, high) with low < high, got {lim.tolist()}")
        lims.append(lim)
    (x0, x1), (y0, y1) = lims
    nan = np.full((2, 2), np.nan)
    if not np.any(w):
        return nan
    pts = []
    if w[1] != 0:  # crossings with the left and right borders
        for x in (x0, x1):
            y = -(b + w[0] * x) / w[1]
            if y0 <= y <= y1:
                pts.append((x, y))
    if w[0] != 0:  # crossings with the bottom and top borders
        for y in (y0, y1):
            x = -(b + w[1] * y) / w[0]
            if x0 <= x <= x1:
                pts.append((x, y))
    uniq = []
    for p in pts:
        if not any(np.allclose(p, q, rtol=0, atol=1e-12) for q in uniq):
            uniq.append(p)
    if len(uniq) < 2:
        return nan
    uniq.sort()
    return np.array([uniq[0], uniq[-1]], dtype=np.float64)


def draw_decision_lines(ax, W, b, xlim, ylim, *, colors=None, labels=None):
    """Draw each class's zero-score line ``W[:, c] · p + b[c] = 0`` on ``ax``.

    Parameters
    ----------
    ax : matplotlib Axes
    W : array_like, shape (2, C); b : array_like, shape (C,)
    xlim, ylim : pairs (low, high), the drawing area (also set on ``ax``)
    colors : sequence of C colours, optional (default: ``course_lib.plots.CLASS_COLORS``)
    labels : sequence of C str, optional (legend labels)

    Returns
    -------
    list of C ``Line2D`` (a line with NaN data when it misses the area).

    Raises
    ------
    TypeError
        ``colors`` or ``labels`` not a sequence.
    ValueError
        ``W`` not of shape (2, C), ``b`` not of shape (C,), more than 10 classes without
        ``colors``, ``colors`` or ``labels`` with fewer than C entries.

    Source: CS231n notes, "Linear classification" (geometric interpretation). Introduced in
    notebook 04.
    """
    from .plots import CLASS_COLORS

    W = as_float_array(W, "W", ndim=2)
    if W.shape[0] != 2:
        raise ValueError(f"W must have shape (2, C) for a 2-D picture, got {W.shape}")
    _, W, b = _check_X_W_b(np.zeros((1, 2)), W, b)
    C = W.shape[1]
    if colors is None:
        if C > len(CLASS_COLORS):
            raise ValueError(f"W has {C} classes; pass colors for more than {len(CLASS_COLORS)}")
        colors = CLASS_COLORS[:C]
    for name, given in (("colors", colors), ("labels", labels)):
        if given is None:
            continue
        if isinstance(given, (str, bytes)) or not hasattr(given, "__len__"):
            raise TypeError(f"{name} must be a sequence with one entry per class, got {type(given).__name__}")
        if len(given) < C:
            raise ValueError(f"{name} has {len(given)} entries but W has {C} classes (columns): it needs one per class")
    lines = []
    for c in range(C):
        seg = zero_line(W[:, c], b[c], xlim, ylim)
        (line,) = ax.plot(seg[:, 0], seg[:, 1], color=colors[c], lw=2.5,
                          label=None if labels is None else labels[c])
        lines.append(line)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    return lines
