"""Course settings: the dataset names, the default, and how much data each notebook loads.

Every notebook calls ``load_course_dataset("NN_topic")``, which takes its sizes from
``NOTEBOOK_SUBSETS``; ``COURSE_DATASET`` switches the whole course, e.g.
``COURSE_DATASET=cifar10 jupyter lab notebooks/``. Notebook 01 introduces it.
"""

from __future__ import annotations

import os

#: The names ``load_dataset`` and ``COURSE_DATASET`` accept.
DATASET_NAMES = ("cifar10-course", "cifar10", "mnist")

#: The dataset when ``COURSE_DATASET`` is unset: the CIFAR-10 subset inside the package.
DEFAULT_DATASET = "cifar10-course"

#: Per notebook and dataset: the keyword arguments of ``load_dataset`` (None = the whole
#: split). cifar10-course has 4,000 / 1,000 images, mnist 4,000 / 1,000, cifar10 50,000 /
#: 10,000 (the shared sample 10,000 / 2,000). Sizes keep each notebook to seconds on 2 cores.
NOTEBOOK_SUBSETS: dict[str, dict[str, dict]] = {
    "01_pixels": {
        "cifar10-course": dict(num_train=None, num_test=None),
        "cifar10": dict(num_train=5_000, num_test=500),
        "mnist": dict(num_train=None, num_test=None),
    },
    "02_knn": {
        "cifar10-course": dict(num_train=None, num_test=500),
        # CS231n's protocol: the first 5,000 training and 500 test images.
        "cifar10": dict(num_train=5_000, num_test=500, balanced=False),
        "mnist": dict(num_train=None, num_test=500),
    },
    "03_cross_validation": {
        "cifar10-course": dict(num_train=2_000, num_test=500),
        "cifar10": dict(num_train=5_000, num_test=500, balanced=False),
        "mnist": dict(num_train=2_000, num_test=500),
    },
    "04_linear_classifier": {
        "cifar10-course": dict(num_train=None, num_test=None),
        "cifar10": dict(num_train=5_000, num_test=1_000),
        "mnist": dict(num_train=None, num_test=None),
    },
    "05_losses": {
        "cifar10-course": dict(num_train=500, num_test=100),
        "cifar10": dict(num_train=500, num_test=100),
        "mnist": dict(num_train=500, num_test=100),
    },
    "06_optimization": {
        "cifar10-course": dict(num_train=None, num_test=None),
        "cifar10": dict(num_train=5_000, num_test=1_000),
        "mnist": dict(num_train=None, num_test=None),
    },
    "07_backpropagation": {
        # 100 images for the cost count and timing; the test split is barely used.
        "cifar10-course": dict(num_train=100, num_test=10),
        "cifar10": dict(num_train=100, num_test=10),
        "mnist": dict(num_train=100, num_test=10),
    },
    "08_neural_network": {
        # the numpy two-layer net trains on these; the Value-based MLP takes a small slice
        "cifar10-course": dict(num_train=None, num_test=None),
        "cifar10": dict(num_train=5_000, num_test=1_000),
        "mnist": dict(num_train=None, num_test=None),
    },
}


def dataset_name_from_env() -> str:
    """The dataset ``COURSE_DATASET`` names (case and spaces ignored); ``DEFAULT_DATASET`` if unset.

    Raises ValueError, listing the names, for any other value.
    """
    value = os.environ.get("COURSE_DATASET", "")
    name = value.strip().lower() or DEFAULT_DATASET
    if name not in DATASET_NAMES:
        raise ValueError(f"COURSE_DATASET must be one of {DATASET_NAMES}, got {value!r}")
    return name
