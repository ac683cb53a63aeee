"""The course on the shared CIFAR-10 sample: the lecture's headline k-NN number.

Reads ../shared/data/cifar-10-sample (see its README) and skips with a reason where it is
absent. CS231n reports about 27 % for 1-NN (L2) on the first 5,000 training / 500 test
images of CIFAR-10; the sample's pixels come from a JPEG re-encoding, so the figure is close,
not equal.
"""

import os
from pathlib import Path

import numpy as np
import pytest

#: The shared sample beside the project (../shared/data/cifar-10-sample), or the folder
#: named by COURSE_CIFAR10_SAMPLE (a folder that holds cifar-10-batches-bin/).
SAMPLE = Path(
    os.environ.get("COURSE_CIFAR10_SAMPLE")
    or Path(__file__).resolve().parents[1].parent / "shared" / "data" / "cifar-10-sample"
)

pytestmark = pytest.mark.skipif(
    not (SAMPLE / "cifar-10-batches-bin" / "data_batch_1.bin").is_file(),
    reason=f"CIFAR-10 sample not found at {SAMPLE}",
)


@pytest.fixture(scope="module")
def cifar():
    import warnings

    from course_lib.datasets import load_dataset

    old = os.environ.get("COURSE_DATA_DIR")
    os.environ["COURSE_DATA_DIR"] = str(SAMPLE)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # only one training batch in the sample
            return load_dataset("cifar10", download=False)
    finally:
        if old is None:
            del os.environ["COURSE_DATA_DIR"]
        else:
            os.environ["COURSE_DATA_DIR"] = old


def test_nearest_neighbour_accuracy_on_first_5000_500_matches_cs231n(cifar):
    from course_lib.images import flatten
    from course_lib.knn import KNearestNeighbor

    model = KNearestNeighbor().fit(flatten(cifar.X_train[:5000]), cifar.y_train[:5000])
    pred = model.predict(flatten(cifar.X_test[:500]), k=1, distance="l2")
    accuracy = float(np.mean(pred == cifar.y_test[:500]))
    assert 0.24 <= accuracy <= 0.31, accuracy


def test_blockwise_prediction_equals_one_shot(cifar):
    from course_lib.benchmarks import predict_in_blocks
    from course_lib.images import flatten
    from course_lib.knn import KNearestNeighbor

    X_train, y_train = flatten(cifar.X_train[:1000]), cifar.y_train[:1000]
    X_test = flatten(cifar.X_test[:230])
    one_shot = KNearestNeighbor().fit(X_train, y_train).predict(X_test, k=3, distance="l1")
    blocks = predict_in_blocks(X_train, y_train, X_test, 3, "l1", block=100, progress=False)
    np.testing.assert_array_equal(blocks, one_shot)


def test_course_notebook_subsets_fit_the_sample(cifar):
    from course_lib import config

    for notebook, sizes in config.NOTEBOOK_SUBSETS.items():
        spec = sizes["cifar10"]
        for key, available in (("num_train", len(cifar.y_train)), ("num_test", len(cifar.y_test))):
            n = spec.get(key)
            assert n is None or n <= available, (notebook, key, n, available)
