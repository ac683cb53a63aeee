"""Small seeded 2-D datasets for the pictures of notebooks 02–04 and 08 (shared, so the XOR of
notebook 04 and the moons of notebook 03 are exactly the data notebook 08 trains on)."""

from __future__ import annotations

import numpy as np

from ..checks import check_float, check_int, check_seed

__all__ = ["make_moons", "make_xor", "make_blobs", "make_two_clusters", "plane_grid"]


def make_moons(num_per_class=100, noise=0.2, seed=0):
    """Two interleaved half-moons (radius 1) with Gaussian noise of std ``noise`` per coordinate.

    Returns X (2·num_per_class, 2) float64 and y (2·num_per_class,) int64 in {0, 1}, shuffled.
    Raises TypeError / ValueError for a bad count, noise or seed. Notebooks 03 and 08.
    """
    n = check_int(num_per_class, "num_per_class", low=1)
    noise = check_float(noise, "noise", low=0.0)
    rng = np.random.default_rng(check_seed(seed))
    t = rng.uniform(0.0, np.pi, size=(2, n))
    upper = np.column_stack([np.cos(t[0]), np.sin(t[0])])
    lower = np.column_stack([1.0 - np.cos(t[1]), 0.5 - np.sin(t[1])])
    X = np.vstack([upper, lower]) + rng.normal(0.0, noise, size=(2 * n, 2))
    y = np.repeat(np.arange(2, dtype=np.int64), n)
    order = rng.permutation(2 * n)
    return X[order], y[order]


def make_xor(num_per_class=60, seed=0):
    """XOR in the plane: class 0 where x·y > 0, class 1 where x·y < 0, points in [-3, 3]² at least
    0.2 from the axes; every point comes with its mirror image −p (num_per_class rounded up to even).

    Returns X (N, 2) float64, y (N,) int64. Raises TypeError / ValueError. Notebooks 04 and 08.
    """
    half = (check_int(num_per_class, "num_per_class", low=1) + 1) // 2
    rng = np.random.default_rng(check_seed(seed))
    parts = []
    for sign in (1.0, -1.0):  # class 0 from quadrant 1, class 1 from quadrant 2
        p = rng.uniform(0.2, 3.0, (half, 2))
        p[:, 0] *= sign
        parts.append(np.concatenate([p, -p]))
    return np.concatenate(parts), np.repeat(np.arange(2, dtype=np.int64), 2 * half)


def make_blobs(num_per_class=40, seed=0):
    """Three Gaussian clouds (std 0.6) 120° apart at radius 2: linearly separable.

    Returns X (3·num_per_class, 2) float64, y int64 in {0, 1, 2}. Raises TypeError / ValueError.
    Notebook 04.
    """
    n = check_int(num_per_class, "num_per_class", low=1)
    rng = np.random.default_rng(check_seed(seed))
    angles = np.deg2rad([0.0, 120.0, 240.0])
    centres = 2.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    X = np.concatenate([c + 0.6 * rng.standard_normal((n, 2)) for c in centres])
    return X, np.repeat(np.arange(3, dtype=np.int64), n)


def make_two_clusters(num_per_class=40, seed=0):
    """Class 0 in two clouds at (±2.5, 0), class 1 between them at (0, 0), class 2 at (0, 2.5):
    class 0 would need two templates. Returns X (4·num_per_class, 2), y int64 in {0, 1, 2}.
    Raises TypeError / ValueError. Notebook 04.
    """
    n = check_int(num_per_class, "num_per_class", low=1)
    rng = np.random.default_rng(check_seed(seed))
    centres = np.array([(-2.5, 0.0), (2.5, 0.0), (0.0, 0.0), (0.0, 2.5)])
    X = np.concatenate([c + 0.5 * rng.standard_normal((n, 2)) for c in centres])
    return X, np.repeat(np.array([0, 0, 1, 2], dtype=np.int64), n)


def plane_grid(xlim=(-4.0, 4.0), ylim=(-4.0, 4.0), resolution=150):
    """Centres of a resolution × resolution grid over xlim × ylim, shape (resolution², 2), row
    r·resolution + c = grid row r (bottom to top), column c. For decision-region pictures."""
    resolution = check_int(resolution, "resolution", low=2)
    xs = np.linspace(*xlim, resolution)
    ys = np.linspace(*ylim, resolution)
    gx, gy = np.meshgrid(xs, ys)
    return np.column_stack([gx.ravel(), gy.ravel()])
